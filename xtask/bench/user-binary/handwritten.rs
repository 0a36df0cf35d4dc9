//! The five Auth0 calls of `generated.rs`, written by hand with reqwest and
//! serde: the baseline of `cargo xtask bench --build`'s user-binary ratio.

use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
struct User {
    user_id: Option<String>,
    email: Option<String>,
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Organization {
    id: Option<String>,
    name: Option<String>,
    display_name: Option<String>,
}

#[derive(Debug, Serialize)]
struct CreateRole<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

#[derive(Debug, Deserialize)]
struct Role {
    id: Option<String>,
    name: Option<String>,
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
struct App {
    client_id: Option<String>,
    name: Option<String>,
    app_type: Option<String>,
}

struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, Box<dyn std::error::Error>> {
        let resp = self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await?;
        let resp = resp.error_for_status()?;
        Ok(serde_json::from_slice(&resp.bytes().await?)?)
    }

    async fn post<B: Serialize, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, Box<dyn std::error::Error>> {
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body)?)
            .send()
            .await?;
        let resp = resp.error_for_status()?;
        Ok(serde_json::from_slice(&resp.bytes().await?)?)
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let api = Api {
        http: reqwest::Client::new(),
        base: "https://example.auth0.com/api/v2".into(),
        token: std::env::var("API_TOKEN")?,
    };
    let users: Vec<User> = api.get("/users").await?;
    println!("{users:?}");
    let user: User = api.get("/users/auth0%7C123").await?;
    println!("{:?} {:?} {:?}", user.user_id, user.email, user.name);
    let organizations: Vec<Organization> = api.get("/organizations").await?;
    for o in &organizations {
        println!("{:?} {:?} {:?}", o.id, o.name, o.display_name);
    }
    let role: Role = api.post("/roles", &CreateRole { name: "admins", description: None }).await?;
    println!("{:?} {:?} {:?}", role.id, role.name, role.description);
    let app: App = api.get("/clients/abc").await?;
    println!("{:?} {:?} {:?}", app.client_id, app.name, app.app_type);
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(run())
}
