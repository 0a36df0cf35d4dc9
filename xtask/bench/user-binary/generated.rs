//! A user's binary making five Auth0 calls through the generated client;
//! `cargo xtask bench --build` times its build after touching this file
//! against `handwritten.rs`, the same calls with reqwest and serde.

use auth0_management::{types, Client};

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let client =
        Client::builder().tenant_domain("example.auth0.com").bearer_token(std::env::var("API_TOKEN")?).build()?;
    let users = client.users().list(&Default::default()).await?;
    println!("{:?}", *users);
    let user = client.users().get("auth0|123", &Default::default()).await?;
    println!("{:?}", user.email);
    let organizations = client.organizations().list(&Default::default()).await?;
    println!("{:?}", *organizations);
    let role = client.roles().create(&types::CreateRoleRequestContent::new("admins")).await?;
    println!("{:?}", role.id);
    let app = client.clients().get("abc", &Default::default()).await?;
    println!("{:?}", app.name);
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(run())
}
