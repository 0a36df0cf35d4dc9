//! Headers from the generator's settings (`spec/codegen.yaml`): the
//! `Auth0-Client` telemetry header and `User-Agent` on every request, and
//! `Auth0-Custom-Domain` only on the routes that accept it.

use crate::support::{builder, RecordingSleeper};
use auth0_management_api::runtime::{Method, Request};
use auth0_management_api::RequestOptions;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn request(route: &'static str, path: &str) -> Request {
    let mut req = Request::new(Method::GET, route, "op");
    req.literal(path);
    req
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    server
}

/// The headers named `name` of every request `server` received, in order.
async fn sent(server: &MockServer, name: &str) -> Vec<Option<String>> {
    let reqs = server.received_requests().await.unwrap();
    reqs.iter().map(|r| r.headers.get(name).map(|v| v.to_str().unwrap().to_string())).collect()
}

/// The generated crate's version, from its manifest.
fn generated_version() -> &'static str {
    let manifest = include_str!("../../../generated/Cargo.toml");
    let line = manifest.lines().find(|l| l.starts_with("version = ")).unwrap();
    line.trim_start_matches("version = ").trim_matches('"')
}

fn decode(value: &str) -> serde_json::Value {
    // base64url without padding, as the official SDKs send it.
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits: u32 = 0;
    let mut n = 0;
    let mut out = Vec::new();
    for c in value.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c).unwrap_or_else(|| panic!("not base64url: {value}")) as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    serde_json::from_slice(&out).unwrap()
}

#[tokio::test]
async fn every_request_names_the_client() {
    let server = ok_server().await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).telemetry_env("tool", "my-cli/2.0").build().unwrap();
    client.send(request("/clients", "/clients")).await.unwrap();

    let ua = sent(&server, "user-agent").await;
    assert_eq!(ua, [Some(format!("auth0-management-api/{}", generated_version()))]);
    let telemetry = sent(&server, "auth0-client").await;
    let json = decode(telemetry[0].as_deref().expect("no Auth0-Client header"));
    assert_eq!(json["name"], "auth0-management-api");
    assert_eq!(json["version"], generated_version());
    assert_eq!(json["env"]["tool"], "my-cli/2.0");
    let rust = json["env"]["rust"].as_str().unwrap();
    assert!(rust.starts_with("1.") && rust.split('.').count() >= 3, "{json}");
}

#[tokio::test]
async fn telemetry_can_be_turned_off() {
    let server = ok_server().await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).telemetry(false).build().unwrap();
    client.send(request("/clients", "/clients")).await.unwrap();
    assert_eq!(sent(&server, "auth0-client").await, [None]);
}

#[tokio::test]
async fn the_custom_domain_goes_only_to_the_routes_that_accept_it() {
    let server = ok_server().await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).custom_domain("login.example.com").build().unwrap();
    client.send(request("/users/{id}", "/users/auth0%7C1")).await.unwrap();
    client.send(request("/clients", "/clients")).await.unwrap();
    client.send(request("/users/{id}/roles", "/users/auth0%7C1/roles")).await.unwrap();
    // Per request, another domain replaces the client's.
    let other = client.with_options(RequestOptions::new().custom_domain("id.example.org"));
    other.send(request("/tickets/password-change", "/tickets/password-change")).await.unwrap();
    other.send(request("/clients", "/clients")).await.unwrap();

    let got = sent(&server, "auth0-custom-domain").await;
    assert_eq!(got, [Some("login.example.com".to_string()), None, None, Some("id.example.org".to_string()), None]);
}

#[tokio::test]
async fn without_a_custom_domain_no_header_is_sent() {
    let server = ok_server().await;
    let sleeper = RecordingSleeper::default();
    builder(&server, &sleeper).build().unwrap().send(request("/users", "/users")).await.unwrap();
    assert_eq!(sent(&server, "auth0-custom-domain").await, [None]);
}
