//! Cookbook: send a user the email that verifies their address (Auth0's
//! guide "Resend Verification Emails"): a job, whose id is returned.
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example send_verification_email -- 'auth0|123'`.

use auth0_management_api::Client;

/// The id of the job that sends the email.
pub async fn run(client: &Client, user_id: &str) -> Result<String, Box<dyn std::error::Error>> {
    // cookbook:start
    let job = client.jobs().verification_email().create(user_id).await?;
    Ok(job.id.clone())
    // cookbook:end
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .tenant_domain(std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into()))
        .bearer_token(std::env::var("AUTH0_TOKEN").unwrap_or_default())
        .build()?;
    let user = std::env::args().nth(1).unwrap_or_else(|| "auth0|123".into());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    println!("job {}", runtime.block_on(run(&client, &user))?);
    Ok(())
}
