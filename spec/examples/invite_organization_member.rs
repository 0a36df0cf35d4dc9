//! Cookbook: invite someone to an organization by email (Auth0's guide
//! "Send Organization Membership Invitations"); returns the invitation's
//! link.
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example invite_organization_member -- org_0123456789abcdef jane@example.com CLIENT_ID`.

use auth0_management_api::types::CreateOrganizationInvitationRequestContent as NewInvitation;
use auth0_management_api::Client;

/// Invites `email` to the organization, to log in to the application
/// `client_id`; returns the invitation's URL.
pub async fn run(
    client: &Client,
    org_id: &str,
    email: &str,
    client_id: &str,
) -> Result<Option<String>, Box<dyn std::error::Error>> {
    // cookbook:start
    let body = NewInvitation::new("Acme admin", email, client_id);
    let invitations = client.organizations().invitations();
    let sent = invitations.create(org_id, body).await?;
    Ok(sent.invitation_url.clone())
    // cookbook:end
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .tenant_domain(std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into()))
        .bearer_token(std::env::var("AUTH0_TOKEN").unwrap_or_default())
        .build()?;
    let org = std::env::args().nth(1).unwrap_or_else(|| "org_0123456789abcdef".into());
    let email = std::env::args().nth(2).unwrap_or_else(|| "jane@example.com".into());
    let app = std::env::args().nth(3).unwrap_or_else(|| "CLIENT_ID".into());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    println!("{:?}", runtime.block_on(run(&client, &org, &email, &app))?);
    Ok(())
}
