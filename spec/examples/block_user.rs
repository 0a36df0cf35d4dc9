//! Cookbook: block a user, or unblock one (Auth0's guide "Block and Unblock
//! Users").
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example block_user -- 'auth0|123' true`.

use auth0_management_api::Client;

/// Blocks the user (`blocked` true) or unblocks them (false).
pub async fn run(client: &Client, user_id: &str, blocked: bool) -> Result<(), Box<dyn std::error::Error>> {
    // cookbook:start
    client.users().update_with(user_id).blocked(blocked).await?;
    // cookbook:end
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .tenant_domain(std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into()))
        .bearer_token(std::env::var("AUTH0_TOKEN").unwrap_or_default())
        .build()?;
    let user = std::env::args().nth(1).unwrap_or_else(|| "auth0|123".into());
    let blocked = std::env::args().nth(2).is_none_or(|b| b != "false");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(run(&client, &user, blocked))?;
    println!("{user} blocked: {blocked}");
    Ok(())
}
