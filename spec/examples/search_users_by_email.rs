//! Cookbook: every user with an email address, across all pages.
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example search_users_by_email -- jane@example.com`.

use auth0_management_api::operations::users::ListUsersRequestParameters as Params;
use auth0_management_api::types::SearchEngineVersionsEnum as Engine;
use auth0_management_api::Client;

/// The ids of the users with this email, however many pages they fill.
pub async fn run(client: &Client, email: &str) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    // cookbook:start
    let query = format!("email:\"{email}\"");
    let params = Params::default().q(query).search_engine(Engine::V3);
    let users = client.users().list_stream(&params).try_collect().await?;
    let ids = users.into_iter().filter_map(|user| user.user_id).collect();
    // cookbook:end
    Ok(ids)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .tenant_domain(std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into()))
        .bearer_token(std::env::var("AUTH0_TOKEN").unwrap_or_default())
        .build()?;
    let email = std::env::args().nth(1).unwrap_or_else(|| "jane@example.com".into());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    println!("{:?}", runtime.block_on(run(&client, &email))?);
    Ok(())
}
