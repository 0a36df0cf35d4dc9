//! Cookbook: rotate an application's client secret.
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example rotate_client_secret -- CLIENT_ID`.

use auth0_management_api::Client;

/// The application's new secret.
pub async fn run(client: &Client, client_id: &str) -> Result<Option<String>, Box<dyn std::error::Error>> {
    // cookbook:start
    let rotated = client.clients().rotate_secret(client_id).await?;
    Ok(rotated.client_secret.clone())
    // cookbook:end
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .tenant_domain(std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into()))
        .bearer_token(std::env::var("AUTH0_TOKEN").unwrap_or_default())
        .build()?;
    let id = std::env::args().nth(1).unwrap_or_else(|| "CLIENT_ID".into());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    // The secret is printed only as its length: it is a credential.
    println!("new secret of {} characters", runtime.block_on(run(&client, &id))?.unwrap_or_default().len());
    Ok(())
}
