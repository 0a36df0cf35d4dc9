//! Creates a phone authentication method for a user, as Auth0's reference
//! page does with the official SDK:
//! `client.users.authenticationMethods.create("id", { type: "phone" })`.
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example create_authentication_method -- 'auth0|123'`.

use auth0_management_api::types::{
    CreateUserAuthenticationMethodRequestContent, CreatedUserAuthenticationMethodTypeEnum,
};
use auth0_management_api::{Client, Error};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let domain = std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into());
    let token = std::env::var("AUTH0_TOKEN").unwrap_or_default();
    let user_id = std::env::args().nth(1).unwrap_or_else(|| "auth0|123".into());

    let client = Client::builder().tenant_domain(domain).bearer_token(token).build()?;

    let request = CreateUserAuthenticationMethodRequestContent::new(CreatedUserAuthenticationMethodTypeEnum::Phone)
        .phone_number("+15551234567")?;

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    match runtime.block_on(client.users().authentication_methods().create(&user_id, &request)) {
        Ok(method) => println!("created {:?} ({})", method.id, method.status()),
        Err(Error::Api(e)) => eprintln!("the API said no: {e:?}"),
        Err(e) => eprintln!("request failed: {e}"),
    }
    Ok(())
}
