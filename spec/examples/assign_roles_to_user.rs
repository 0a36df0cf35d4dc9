//! Cookbook: assign roles to a user (Auth0's guide "Assign Roles to Users").
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example assign_roles_to_user -- 'auth0|123' rol_0123456789abcdef`.

use auth0_management_api::Client;

/// Gives the user these roles, by id.
pub async fn run(client: &Client, user_id: &str, roles: &[&str]) -> Result<(), Box<dyn std::error::Error>> {
    // cookbook:start
    client.users().roles().assign(user_id, roles).await?;
    // cookbook:end
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .tenant_domain(std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into()))
        .bearer_token(std::env::var("AUTH0_TOKEN").unwrap_or_default())
        .build()?;
    let user = std::env::args().nth(1).unwrap_or_else(|| "auth0|123".into());
    let role = std::env::args().nth(2).unwrap_or_else(|| "rol_0123456789abcdef".into());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(run(&client, &user, &[role.as_str()]))?;
    println!("assigned {role} to {user}");
    Ok(())
}
