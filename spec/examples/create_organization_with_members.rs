//! Cookbook: create an organization and add members to it.
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example create_organization_with_members`.

use auth0_management_api::types::CreateOrganizationRequestContent as NewOrg;
use auth0_management_api::Client;

/// Creates `acme` with two members; returns the organization's id.
pub async fn run(client: &Client) -> Result<String, Box<dyn std::error::Error>> {
    // cookbook:start
    let body = NewOrg::new("acme")?.display_name("Acme")?;
    let org = client.organizations().create(body).await?;
    let id = org.id.as_deref().unwrap_or_default();
    let members = ["auth0|1", "auth0|2"];
    client.organizations().members().create(id, members).await?;
    // cookbook:end
    Ok(id.to_string())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .tenant_domain(std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into()))
        .bearer_token(std::env::var("AUTH0_TOKEN").unwrap_or_default())
        .build()?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    println!("created {}", runtime.block_on(run(&client))?);
    Ok(())
}
