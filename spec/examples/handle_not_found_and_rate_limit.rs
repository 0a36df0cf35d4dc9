//! Cookbook: tell a missing user (404) and a rate limit (429) from other errors.
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example handle_not_found_and_rate_limit -- 'auth0|123'`.

use auth0_management_api::Client;

/// The user's email, or what went wrong when the user is missing or the
/// tenant is rate limited; other errors are returned.
pub async fn run(client: &Client, id: &str) -> Result<String, Box<dyn std::error::Error>> {
    // cookbook:start
    match client.users().get(id, &Default::default()).await {
        Ok(user) => Ok(user.email.as_deref().unwrap_or_default().to_string()),
        Err(e) if e.is_not_found() => Ok("no such user".into()),
        Err(e) if e.is_rate_limited() => Ok(format!("rate limited, retry after {:?}", e.retry_after())),
        Err(e) => Err(e.into()),
    }
    // cookbook:end
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .tenant_domain(std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into()))
        .bearer_token(std::env::var("AUTH0_TOKEN").unwrap_or_default())
        .build()?;
    let id = std::env::args().nth(1).unwrap_or_else(|| "auth0|123".into());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    println!("{}", runtime.block_on(run(&client, &id))?);
    Ok(())
}
