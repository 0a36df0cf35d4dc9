//! Unit tests of `oauth.rs` (not copied into generated crates).

use super::*;

#[test]
fn client_secrets_are_redacted() {
    let cc = ClientCredentials::new(url::Url::parse("https://x.test/oauth/token").unwrap(), "id", "topsecret");
    assert!(!format!("{cc:?}").contains("topsecret"));
}
