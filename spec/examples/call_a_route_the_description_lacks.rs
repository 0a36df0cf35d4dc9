//! Cookbook: call a route the description lacks (`GET /prompts/mfa-push`,
//! which Auth0's tenants serve and neither its description nor its Node SDK
//! has) with a request built by hand: the client's credentials, retries,
//! timeouts, telemetry and tracing apply to it as to every operation.
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example call_a_route_the_description_lacks`.

use auth0_management_api::runtime::Request;
use auth0_management_api::Client;
use serde_json::Value;

/// The tenant's MFA push notification settings, as JSON.
pub async fn run(client: &Client) -> Result<Value, Box<dyn std::error::Error>> {
    // cookbook:start
    let response = client.send(Request::get("/prompts/mfa-push")).await?;
    Ok(response.into_json::<Value>()?.into_inner())
    // cookbook:end
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .tenant_domain(std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into()))
        .bearer_token(std::env::var("AUTH0_TOKEN").unwrap_or_default())
        .build()?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    println!("{}", runtime.block_on(run(&client))?);
    Ok(())
}
