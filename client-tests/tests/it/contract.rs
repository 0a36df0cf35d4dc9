//! Contract test: the generated client's requests pass the request
//! validation of Prism (`@stoplight/prism-cli`, pinned in `contract/`),
//! an OpenAPI mock server started here on 127.0.0.1 from `spec/openapi.yaml`.
//! A request built by hand that breaks the spec is rejected, which shows
//! the check can fail.
//!
//! When Prism is missing (plain `cargo test` on a fresh clone), the test
//! installs the pinned version itself with `npm ci --prefix contract`, as
//! `cargo xtask test` does.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use auth0_management_api::runtime::{BoundedString, Hook, Hostname, ResponseInfo};
use auth0_management_api::types::{
    CreateUserAuthenticationMethodRequestContent as Request, CreatedUserAuthenticationMethodTypeEnum as MethodType,
    PreferredAuthenticationMethodEnum,
};
use auth0_management_api::Client;

struct Prism {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn start_prism() -> Prism {
    let bin = root().join("contract/node_modules/.bin/prism");
    if !bin.exists() {
        install_prism();
    }
    assert!(bin.exists(), "{} is missing after `npm ci --prefix contract`", bin.display());
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(bin)
        .args(["mock", "--errors", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(root().join("spec/openapi.yaml"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start prism");
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let prism = Prism { child, addr };
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(Instant::now() < deadline, "prism did not start listening on {addr} within 60 s");
        std::thread::sleep(Duration::from_millis(200));
    }
    prism
}

/// Installs the Prism version pinned by `contract/package-lock.json`.
fn install_prism() {
    let status = Command::new("npm")
        .args(["ci", "--prefix", "contract", "--no-audit", "--no-fund"])
        .current_dir(root())
        .status()
        .unwrap_or_else(|e| panic!("prism is missing and npm cannot run ({e}): install Node.js and npm"));
    assert!(status.success(), "`npm ci --prefix contract` failed: {status}");
}

/// Records Prism's `sl-violations` header of every response.
#[derive(Default)]
struct Violations(Mutex<Vec<Option<String>>>);

impl Hook for Violations {
    fn on_response(&self, r: &ResponseInfo<'_>) {
        let v = r.headers.get("sl-violations").map(|v| v.to_str().unwrap_or("?").to_string());
        self.0.lock().unwrap().push(v);
    }
}

#[tokio::test]
async fn client_requests_pass_prism_validation() {
    let prism = start_prism();
    let hook = Arc::new(Violations::default());
    let client = Client::builder()
        .base_url(format!("http://{}", prism.addr))
        .bearer_token("contract-test-token")
        .max_retries(0)
        .hook(hook.clone())
        .build()
        .unwrap();

    let minimal = Request::new(MethodType::Phone);
    let mut full = Request::new(MethodType::WebauthnRoaming);
    full.name = Some("my key".into());
    full.totp_secret = Some("JBSWY3DPEHPK3PXP".into());
    full.phone_number = Some(BoundedString::new("+15551234567").unwrap());
    full.email = Some("a@example.com".into());
    full.preferred_authentication_method = Some(PreferredAuthenticationMethodEnum::Voice);
    full.key_id = Some("key-1".into());
    full.public_key = Some("cHVibGljIGtleQ==".into());
    full.relying_party_identifier = Some(Hostname::new("login.example.com").unwrap());

    for (id, body) in [("auth0|64f1", &minimal), ("a/../b c", &full)] {
        let res = client.users().authentication_methods().create(id, body).await;
        let res = res.unwrap_or_else(|e| panic!("prism rejected the client's request for {id:?}: {e:?}"));
        assert_eq!(res.status(), 201);
    }
    let seen = hook.0.lock().unwrap().clone();
    assert_eq!(seen, vec![None, None], "prism reported violations");

    // A request that breaks the spec, sent around the client, is rejected.
    let raw = reqwest::Client::new()
        .post(format!("http://{}/users/auth0%7C1/authentication-methods", prism.addr))
        .bearer_auth("contract-test-token")
        .header("content-type", "application/json")
        .body(r#"{"phone_number": "1"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let violations =
        raw.headers().get("sl-violations").expect("prism explains the rejection").to_str().unwrap().to_string();
    assert!(violations.contains("required") && violations.contains("minLength"), "{violations}");
    drop(prism);
}
