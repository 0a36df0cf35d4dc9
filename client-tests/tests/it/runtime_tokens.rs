//! Client credentials in full: token requests retried on 429 and 5xx, the
//! typed token error, a private-key JWT client assertion checked by the
//! server (signature and claims), and the audience, organization and token
//! URL set at run time.

use std::sync::{Arc, Mutex};

use crate::support::{base, body, created, received_on, RecordingSleeper, CREATE_PATH, USER};
use auth0_management_api::runtime::{ClientAssertion, SigningAlgorithm};
use auth0_management_api::{Client, Error};
use base64::Engine;
use ring::signature::{
    EcdsaKeyPair, KeyPair, RsaPublicKeyComponents, UnparsedPublicKey, ECDSA_P256_SHA256_FIXED,
    ECDSA_P256_SHA256_FIXED_SIGNING, RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA256,
};
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "token-from-the-endpoint";

fn token_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": TOKEN, "expires_in": 3600}))
}

async fn mount_api(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .mount(server)
        .await;
}

fn form(req: &wiremock::Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&req.body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn a_token_endpoint_failing_twice_is_retried_until_it_answers() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "2"))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/token")).respond_with(token_ok()).with_priority(3).mount(&server).await;
    mount_api(&server).await;
    let sleeper = RecordingSleeper::default();
    let client = Client::builder()
        .base_url(base(&server))
        .client_credentials("my-client-id", "my-secret")
        .sleeper(Arc::new(sleeper.clone()))
        .build()
        .unwrap();

    let resp = client.users().authentication_methods().create(USER, &body()).await.unwrap();

    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(received_on(&server, "/oauth/token").await.len(), 3);
    let waits = sleeper.waits();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert_eq!(waits[1], std::time::Duration::from_secs(2), "the 429's Retry-After: {waits:?}");
}

#[tokio::test]
async fn a_refused_secret_is_a_typed_error_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                serde_json::json!({"error": "access_denied", "error_description": "Unauthorized client"}),
            ),
        )
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = Client::builder()
        .base_url(base(&server))
        .client_credentials("my-client-id", "wrong-secret-123")
        .sleeper(Arc::new(sleeper.clone()))
        .build()
        .unwrap();

    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();

    let Error::Auth(e) = &err else { panic!("{err:?}") };
    assert_eq!(e.status.map(|s| s.as_u16()), Some(401));
    assert_eq!(e.error.as_deref(), Some("access_denied"));
    assert_eq!(e.error_description.as_deref(), Some("Unauthorized client"));
    assert_eq!(e.attempts, 1);
    assert!(sleeper.waits().is_empty());
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("Unauthorized client") && !shown.contains("wrong-secret-123"), "{shown}");
}

#[tokio::test]
async fn audience_organization_and_token_url_are_set_at_run_time() {
    let server = MockServer::start().await;
    Mock::given(path("/custom/token")).respond_with(token_ok()).mount(&server).await;
    mount_api(&server).await;
    let client = Client::builder()
        .base_url(base(&server))
        .client_credentials("my-client-id", "my-secret")
        .token_url(format!("{}/custom/token", server.uri()))
        .token_audience("https://api.example.com/")
        .token_organization("org_123")
        .build()
        .unwrap();

    client.users().authentication_methods().create(USER, &body()).await.unwrap();

    let reqs = received_on(&server, "/custom/token").await;
    assert_eq!(reqs.len(), 1);
    let f = form(&reqs[0]);
    assert_eq!(field(&f, "audience"), Some("https://api.example.com/"));
    assert_eq!(field(&f, "organization"), Some("org_123"));
    assert_eq!(f.iter().filter(|(k, _)| k == "audience").count(), 1);
}

#[tokio::test]
async fn the_default_token_request_goes_to_oauth_token_with_the_api_audience() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token_ok()).mount(&server).await;
    mount_api(&server).await;
    let client = Client::builder().base_url(base(&server)).client_credentials("id", "s").build().unwrap();
    client.users().authentication_methods().create(USER, &body()).await.unwrap();
    let reqs = received_on(&server, "/oauth/token").await;
    assert_eq!(field(&form(&reqs[0]), "audience"), Some(format!("{}/api/v2/", server.uri()).as_str()));
}

/// The public half of a key pair made for a test, as the server verifies with it.
enum PublicKey {
    Es256(Vec<u8>),
    /// RS256 (PKCS#1 v1.5) or PS256 (PSS): the modulus and exponent.
    Rsa {
        pss: bool,
        n: Vec<u8>,
        e: Vec<u8>,
    },
}

impl PublicKey {
    fn alg(&self) -> &'static str {
        match self {
            PublicKey::Es256(_) => "ES256",
            PublicKey::Rsa { pss: false, .. } => "RS256",
            PublicKey::Rsa { pss: true, .. } => "PS256",
        }
    }

    fn verify(&self, message: &[u8], sig: &[u8]) -> bool {
        match self {
            PublicKey::Es256(k) => UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, k).verify(message, sig).is_ok(),
            PublicKey::Rsa { pss, n, e } => {
                let params = if *pss { &RSA_PSS_2048_8192_SHA256 } else { &RSA_PKCS1_2048_8192_SHA256 };
                RsaPublicKeyComponents { n, e }.verify(params, message, sig).is_ok()
            }
        }
    }
}

/// A token endpoint that accepts only a client assertion signed by `public_key`.
struct AssertionChecker {
    public_key: PublicKey,
    audience: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl AssertionChecker {
    fn check(&self, req: &Request) -> Result<(), String> {
        let f = form(req);
        if field(&f, "client_secret").is_some() {
            return Err("a client secret was sent".into());
        }
        if field(&f, "client_assertion_type") != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
            return Err("wrong client_assertion_type".into());
        }
        let jwt = field(&f, "client_assertion").ok_or("no client_assertion")?;
        let parts: Vec<&str> = jwt.split('.').collect();
        let [h, c, sig] = parts[..] else { return Err("not a JWS".into()) };
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let sig = b64.decode(sig).map_err(|e| e.to_string())?;
        if !self.public_key.verify(format!("{h}.{c}").as_bytes(), &sig) {
            return Err("bad signature".to_string());
        }
        let header: serde_json::Value = serde_json::from_slice(&b64.decode(h).unwrap()).unwrap();
        let claims: serde_json::Value = serde_json::from_slice(&b64.decode(c).unwrap()).unwrap();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        let checks = [
            (header["alg"] == self.public_key.alg(), "alg"),
            (header["kid"] == "key-2024", "kid"),
            (claims["iss"] == "my-client-id" && claims["sub"] == "my-client-id", "iss/sub"),
            (claims["aud"] == self.audience.as_str(), "aud"),
            (claims["iat"].as_u64().is_some_and(|t| t.abs_diff(now) < 60), "iat"),
            (claims["exp"].as_u64() == claims["iat"].as_u64().map(|t| t + 120), "exp"),
            (claims["jti"].as_str().is_some_and(|j| j.len() >= 16), "jti"),
        ];
        for (ok, what) in checks {
            if !ok {
                return Err(format!("claim {what} is wrong: {header} {claims}"));
            }
        }
        self.seen.lock().unwrap().push(claims["jti"].as_str().unwrap().to_string());
        Ok(())
    }
}

impl Respond for AssertionChecker {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        match self.check(req) {
            Ok(()) => token_ok(),
            Err(e) => ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"error": "invalid_client", "error_description": e})),
        }
    }
}

/// A P-256 key pair made for this test: the PKCS#8 PEM and the public key.
fn es256_key_pair() -> (String, PublicKey) {
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(pkcs8.as_ref());
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
    let pem = format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", lines.join("\n"));
    (pem, PublicKey::Es256(pair.public_key().as_ref().to_vec()))
}

/// A 2048-bit RSA key pair made for this test: the PKCS#8 PEM and the public key.
fn rsa_key_pair(pss: bool) -> (String, PublicKey) {
    let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    let pem = key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
    (pem, PublicKey::Rsa { pss, n: key.n().to_bytes_be(), e: key.e().to_bytes_be() })
}

/// The client signs with `alg` and a key made for the test; the token
/// endpoint verifies the signature with the public half and checks the
/// claims; a key it does not know is refused.
async fn private_key_jwt_round_trip(alg: SigningAlgorithm, key_pair: fn() -> (String, PublicKey)) {
    let server = MockServer::start().await;
    let (pem, public_key) = key_pair();
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let checker = AssertionChecker { public_key, audience: format!("{}/", server.uri()), seen: seen.clone() };
    Mock::given(path("/oauth/token")).respond_with(checker).mount(&server).await;
    mount_api(&server).await;
    let assertion = ClientAssertion::from_pem(alg, pem.as_bytes()).unwrap().kid("key-2024");
    assert!(!format!("{assertion:?}").contains("PRIVATE"), "{assertion:?}");
    let client =
        Client::builder().base_url(base(&server)).client_credentials("my-client-id", assertion).build().unwrap();

    let resp = client.users().authentication_methods().create(USER, &body()).await;
    assert_eq!(resp.map(|r| r.status().as_u16()).map_err(|e| e.to_string()), Ok(201));
    assert_eq!(seen.lock().unwrap().len(), 1);

    // A key the endpoint does not know is refused.
    let (other_pem, _) = key_pair();
    let other = ClientAssertion::from_pem(alg, other_pem.as_bytes()).unwrap().kid("key-2024");
    let client = Client::builder().base_url(base(&server)).client_credentials("my-client-id", other).build().unwrap();
    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();
    assert!(matches!(&err, Error::Auth(e) if e.error_description.as_deref() == Some("bad signature")), "{err:?}");
}

#[tokio::test]
async fn a_private_key_jwt_is_signed_and_verified_by_the_token_endpoint() {
    private_key_jwt_round_trip(SigningAlgorithm::ES256, es256_key_pair).await;
}

#[tokio::test]
async fn an_rs256_client_assertion_is_verified_by_the_token_endpoint() {
    private_key_jwt_round_trip(SigningAlgorithm::RS256, || rsa_key_pair(false)).await;
}

#[tokio::test]
async fn a_ps256_client_assertion_is_verified_by_the_token_endpoint() {
    private_key_jwt_round_trip(SigningAlgorithm::PS256, || rsa_key_pair(true)).await;
}

#[test]
fn a_key_that_is_not_a_key_is_refused_without_echoing_it() {
    let err = ClientAssertion::from_pem(SigningAlgorithm::RS256, b"not-a-key-but-secret-ish").unwrap_err();
    assert!(!err.to_string().contains("secret-ish"), "{err}");
}

#[tokio::test]
async fn a_token_endpoint_asking_for_a_long_wait_fails_at_once() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "31536000"))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = Client::builder()
        .base_url(base(&server))
        .client_credentials("my-client-id", "my-secret")
        .sleeper(Arc::new(sleeper.clone()))
        .build()
        .unwrap();
    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();
    assert!(matches!(&err, Error::Auth(e) if e.status.map(|s| s.as_u16()) == Some(429) && e.attempts == 1), "{err:?}");
    assert!(sleeper.waits().is_empty(), "{:?}", sleeper.waits());
    assert_eq!(received_on(&server, "/oauth/token").await.len(), 1);
}
