//! Cookbook: import users from a JSON file and poll the job until it ends.
//!
//! Run it with `AUTH0_DOMAIN=your-tenant.auth0.com AUTH0_TOKEN=... cargo run -p auth0-management-api --example import_users_and_poll -- users.json con_0123456789abcdef`.

use std::time::Duration;

use auth0_management_api::runtime::FilePart;
use auth0_management_api::types::CreateImportUsersRequestContent as NewImport;
use auth0_management_api::Client;

/// Imports the users in the file at `path` into the connection; returns
/// the job's last status (`completed`, `failed`).
pub async fn run(
    client: &Client,
    path: &str,
    connection_id: &str,
    every: Duration,
) -> Result<String, Box<dyn std::error::Error>> {
    // cookbook:start
    let file = FilePart::new(std::fs::read(path)?).filename("users.json");
    let import = NewImport::new(file.content_type("application/json"), connection_id)?;
    let job = client.jobs().users_imports().create(&import).await?;
    let mut status = job.status.clone();
    while status == "pending" || status == "processing" {
        tokio::time::sleep(every).await;
        status = client.jobs().get(&job.id).await?.into_inner().status;
    }
    // cookbook:end
    Ok(status)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .tenant_domain(std::env::var("AUTH0_DOMAIN").unwrap_or_else(|_| "your-tenant.auth0.com".into()))
        .bearer_token(std::env::var("AUTH0_TOKEN").unwrap_or_default())
        .build()?;
    let path = std::env::args().nth(1).unwrap_or_else(|| "users.json".into());
    let connection = std::env::args().nth(2).unwrap_or_else(|| "con_0123456789abcdef".into());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    println!("{}", runtime.block_on(run(&client, &path, &connection, Duration::from_secs(1)))?);
    Ok(())
}
