//! Cookbook: add an API's permission to a role (Auth0's guide "Add
//! Permissions to Roles").
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example add_permissions_to_role -- rol_0123456789abcdef https://api.example.com`.

use auth0_management_api::types::PermissionRequestPayload as Permission;
use auth0_management_api::Client;

/// Gives the role the API's `read:reports` permission.
pub async fn run(client: &Client, role_id: &str, api: &str) -> Result<(), Box<dyn std::error::Error>> {
    // cookbook:start
    let body = [Permission::new(api, "read:reports")];
    client.roles().permissions().add(role_id, body).await?;
    // cookbook:end
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .tenant_domain(std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into()))
        .bearer_token(std::env::var("AUTH0_TOKEN").unwrap_or_default())
        .build()?;
    let role = std::env::args().nth(1).unwrap_or_else(|| "rol_0123456789abcdef".into());
    let api = std::env::args().nth(2).unwrap_or_else(|| "https://api.example.com".into());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(run(&client, &role, &api))?;
    println!("{role} may read:reports on {api}");
    Ok(())
}
