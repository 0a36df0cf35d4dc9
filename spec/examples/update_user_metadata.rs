//! Cookbook: set a user's metadata (Auth0's guide "Manage Metadata Using
//! the Management API"): `user_metadata` is merged into what the user has.
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example update_user_metadata -- 'auth0|123'`.

use auth0_management_api::types::{UpdateUserRequestContent as UpdateUser, UserMetadata};
use auth0_management_api::Client;
use serde_json::json;

/// Sets the user's `user_metadata.plan`; returns the user's metadata as
/// the tenant now has it, the other keys kept.
pub async fn run(client: &Client, user_id: &str) -> Result<Option<UserMetadata>, Box<dyn std::error::Error>> {
    // cookbook:start
    let body = UpdateUser::default().user_metadata(json!({"plan": "pro"}))?;
    let user = client.users().update(user_id, body).await?;
    Ok(user.user_metadata.clone())
    // cookbook:end
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .tenant_domain(std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into()))
        .bearer_token(std::env::var("AUTH0_TOKEN").unwrap_or_default())
        .build()?;
    let user = std::env::args().nth(1).unwrap_or_else(|| "auth0|123".into());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    println!("{:?}", runtime.block_on(run(&client, &user))?);
    Ok(())
}
