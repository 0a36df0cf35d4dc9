//! The seed endpoint over real HTTP: `POST /users/{id}/authentication-methods`
//! against a wiremock server on 127.0.0.1.

use auth0_management_api::operations::users::UsersAuthenticationMethodsCreateError as CreateError;
use auth0_management_api::runtime::{BoundedString, Hostname, Validate};
use auth0_management_api::types::{
    CreateUserAuthenticationMethodRequestContent as Request, CreatedUserAuthenticationMethodTypeEnum as MethodType,
    PreferredAuthenticationMethodEnum,
};
use auth0_management_api::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request as Received, ResponseTemplate};

const TOKEN: &str = "test-token-5f3a9c";

async fn server() -> MockServer {
    MockServer::builder().start().await
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(format!("{}/api/v2", server.uri())).bearer_token(TOKEN).max_retries(0).build().unwrap()
}

fn phone_request() -> Request {
    Request::new(MethodType::Phone)
        .phone_number("+15551234567")
        .unwrap()
        .preferred_authentication_method(PreferredAuthenticationMethodEnum::Sms)
}

#[test]
fn setters_build_what_field_assignment_builds() {
    let mut assigned = Request::new(MethodType::Phone);
    assigned.phone_number = Some(BoundedString::new("+15551234567").unwrap());
    assigned.preferred_authentication_method = Some(PreferredAuthenticationMethodEnum::Sms);
    assert_eq!(phone_request(), assigned);
}

#[test]
fn a_setter_checks_the_constraint_and_names_the_field() {
    let shortest = Request::new(MethodType::Phone).phone_number("+1").unwrap();
    assert_eq!(shortest.phone_number.as_deref(), Some("+1"));
    let err = Request::new(MethodType::Phone).phone_number("+1".repeat(16)).unwrap_err();
    assert_eq!(err.to_string(), "phone_number: length 32 breaks maxLength 30");
}

fn created_body() -> serde_json::Value {
    json!({
        "id": "phone|dev_abc",
        "type": "phone",
        "phone_number": "+15551234567",
        "preferred_authentication_method": "sms",
        "authentication_methods": [{"type": "totp", "id": "totp|1", "extra": true}],
        "created_at": "2023-11-07T05:31:56Z"
    })
}

async fn received(server: &MockServer) -> Vec<Received> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn sends_the_exact_request() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/users/auth0%7C123/authentication-methods"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"type": "phone", "phone_number": "+15551234567", "preferred_authentication_method": "sms"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(created_body()))
        .expect(1)
        .mount(&server)
        .await;
    let res = client(&server).users().authentication_methods().create("auth0|123", &phone_request()).await.unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.id.as_deref(), Some("phone|dev_abc"));
    assert_eq!(res.type_, MethodType::Phone);
    assert_eq!(res.created_at.unwrap().to_string(), "2023-11-07T05:31:56Z");
    let methods = res.authentication_methods.as_ref().unwrap();
    assert_eq!(methods[0].additional_properties.get("extra"), Some(&json!(true)));

    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 1);
    let ua = reqs[0].headers.get("user-agent").unwrap().to_str().unwrap();
    assert_eq!(ua, "auth0-management-api/0.1.0");
    // Unset optional fields are left out, not sent as null.
    let sent: serde_json::Value = serde_json::from_slice(&reqs[0].body).unwrap();
    assert_eq!(sent.as_object().unwrap().len(), 3, "{sent}");
}

#[tokio::test]
async fn path_parameters_are_one_encoded_segment() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created_body()))
        .mount(&server)
        .await;
    let c = client(&server);
    for id in ["a/../b", "x y", "ü?#&="] {
        c.users().authentication_methods().create(id, &phone_request()).await.unwrap();
    }
    let paths: Vec<String> = received(&server).await.iter().map(|r| r.url.path().to_string()).collect();
    assert_eq!(
        paths,
        [
            "/api/v2/users/a%2F..%2Fb/authentication-methods",
            "/api/v2/users/x%20y/authentication-methods",
            "/api/v2/users/%C3%BC%3F%23%26%3D/authentication-methods",
        ]
    );
    // Dot segments and empty ids cannot change the path: nothing is sent.
    for id in ["..", ".", ""] {
        let err = c.users().authentication_methods().create(id, &phone_request()).await.unwrap_err();
        assert!(matches!(err, Error::Validation(_)), "{id:?}: {err:?}");
    }
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn every_listed_error_status_has_its_variant() {
    let server = server().await;
    let c = client(&server);
    for status in [400u16, 401, 403, 404, 409, 429] {
        server.reset().await;
        let mut resp = ResponseTemplate::new(status).set_body_json(json!({
            "statusCode": status, "error": "Some Error", "message": "it went wrong", "errorCode": "some_code"
        }));
        if status == 429 {
            resp = resp
                .insert_header("retry-after", "7")
                .insert_header("x-ratelimit-limit", "50")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "1700000000");
        }
        Mock::given(method("POST")).respond_with(resp).mount(&server).await;
        let err = c.users().authentication_methods().create("auth0|1", &phone_request()).await.unwrap_err();
        let Error::Api(api) = &err else { panic!("{status}: {err:?}") };
        let e = match (status, api) {
            (400, CreateError::BadRequest(e))
            | (401, CreateError::Unauthorized(e))
            | (403, CreateError::Forbidden(e))
            | (404, CreateError::NotFound(e))
            | (409, CreateError::Conflict(e))
            | (429, CreateError::TooManyRequests(e)) => e,
            other => panic!("wrong variant for {status}: {other:?}"),
        };
        assert_eq!(e.status.as_u16(), status);
        let parsed = e.parsed.as_ref().expect("error body parsed");
        assert_eq!(parsed["message"], "it went wrong");
        assert_eq!(e.details().unwrap().message.as_deref(), Some("it went wrong"));
        assert_eq!(e.details().unwrap().error_code.as_deref(), Some("some_code"));
        assert!(err.to_string().contains("it went wrong"), "{err}");
        let named = format!("post_authentication-methods (/users/{{id}}/authentication-methods): status {status}");
        assert!(err.to_string().contains(&named), "the message names the operation and route: {err}");
        assert_eq!((e.operation, e.route), ("post_authentication-methods", "/users/{id}/authentication-methods"));
        if status == 429 {
            assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(7)));
            let rl = e.rate_limit();
            assert_eq!((rl.limit, rl.remaining, rl.reset), (Some(50), Some(0), Some(1700000000)));
        }
    }
}

#[tokio::test]
async fn unlisted_status_is_unexpected() {
    let server = server().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(418).set_body_string("teapot")).mount(&server).await;
    let err = client(&server).users().authentication_methods().create("u", &phone_request()).await.unwrap_err();
    match err {
        Error::UnexpectedStatus(e) => {
            assert_eq!(e.status.as_u16(), 418);
            assert_eq!(&e.body[..], b"teapot");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn bad_bodies_are_decode_errors_not_panics() {
    let server = server().await;
    let c = client(&server);
    let cases: Vec<(ResponseTemplate, &str)> = vec![
        (ResponseTemplate::new(201).set_body_raw("{\"type\": \"phone\", ", "application/json"), "EOF"),
        (ResponseTemplate::new(201), "empty"),
        (ResponseTemplate::new(201).set_body_raw("<html>oops</html>", "text/html"), "text/html"),
        (ResponseTemplate::new(201).set_body_json(json!({"type": 5})), "type"),
        (ResponseTemplate::new(201).set_body_json(json!({"type": "phone", "created_at": "yesterday"})), "created_at"),
        (ResponseTemplate::new(201).set_body_raw(vec![0xff, 0xfe], "application/json"), "decode"),
    ];
    for (resp, needle) in cases {
        server.reset().await;
        Mock::given(method("POST")).respond_with(resp).mount(&server).await;
        let err = c.users().authentication_methods().create("u", &phone_request()).await.unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
        assert!(err.to_string().contains(needle), "{needle}: {err}");
    }
}

#[tokio::test]
async fn responses_are_lenient() {
    let server = server().await;
    let long = "9".repeat(40);
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "type": "carrier-pigeon",
            "phone_number": long,
            "preferred_authentication_method": "fax",
            "authentication_methods": [{"type": "smoke-signal"}],
            "brand_new_field": 1
        })))
        .mount(&server)
        .await;
    let res = client(&server).users().authentication_methods().create("u", &phone_request()).await.unwrap();
    // Unknown enum values are kept and serialize back unchanged.
    assert_eq!(res.type_, MethodType::Unknown("carrier-pigeon".into()));
    assert_eq!(serde_json::to_value(&res.type_).unwrap(), json!("carrier-pigeon"));
    assert_eq!(res.preferred_authentication_method.as_ref().unwrap().as_str(), "fax");
    // The out-of-range value decodes, and the violation can be seen.
    assert_eq!(res.phone_number.as_deref(), Some(long.as_str()));
    let violations = res.check().unwrap_err();
    assert_eq!(violations.to_string(), "phone_number: length 40 breaks maxLength 30");
}

#[tokio::test]
async fn invalid_requests_never_reach_the_network() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created_body()))
        .mount(&server)
        .await;
    let c = client(&server);
    // The constructor refuses, naming the constraint and the length.
    // It returns the error every setter returns.
    let err: auth0_management_api::runtime::ValidationError = BoundedString::<2, 30>::new("1".repeat(31)).unwrap_err();
    let [v] = err.violations.as_slice() else { panic!("one violation: {err}") };
    assert_eq!((v.constraint.as_str(), v.actual.as_str()), ("maxLength 30", "length 31"));
    assert!(BoundedString::<2, 30>::new("1").is_err());
    assert!(Hostname::new("-bad-.example").is_err());
    // A value that got around the constructors (here: deserialized) is
    // still caught before sending.
    let sneaky: Request = serde_json::from_value(json!({
        "type": "webauthn-roaming", "phone_number": "1", "relying_party_identifier": "not a host"
    }))
    .unwrap();
    let err = c.users().authentication_methods().create("u", &sneaky).await.unwrap_err();
    let Error::Validation(v) = &err else { panic!("{err:?}") };
    let text = v.to_string();
    assert!(text.contains("phone_number: length 1 breaks minLength 2"), "{text}");
    assert!(text.contains("relying_party_identifier: \"not a host\" breaks format hostname"), "{text}");
    assert!(received(&server).await.is_empty(), "an invalid request was sent");
}

#[tokio::test]
async fn token_is_redacted() {
    let server = server().await;
    let c = client(&server);
    let shown = format!("{c:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
    let builder = Client::builder().bearer_token(TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN));
}

#[test]
fn builder_checks_the_server() {
    // The tenant domain has no usable default.
    let err = Client::builder().bearer_token("t").build().unwrap_err();
    assert!(err.to_string().contains("tenantDomain"), "{err}");
    let ok = Client::builder().tenant_domain("example.auth0.com").bearer_token("t").build().unwrap();
    assert_eq!(ok.base_url().as_str(), "https://example.auth0.com/api/v2");
    for bad in ["evil.com/x?", "a b", "user@evil.com", "evil.com#"] {
        assert!(Client::builder().tenant_domain(bad).build().is_err(), "{bad}");
    }
    assert!(Client::builder().base_url("ftp://x").build().is_err());
    assert!(Client::builder().base_url("not a url").build().is_err());
}

#[test]
fn a_null_setter_sends_null_and_a_value_setter_a_value() {
    use auth0_management_api::types::UpdateAculRequestContent;
    let body = UpdateAculRequestContent::default().use_page_template(true).head_tags_null();
    assert_eq!(serde_json::to_value(&body).unwrap(), json!({"use_page_template": true, "head_tags": null}));
}

#[tokio::test]
async fn a_path_parameter_is_a_plain_string_checked_before_sending() {
    let server = server().await;
    let c = client(&server);
    // `GET /organizations/name/{name}`: `name` is 1 to 50 characters.
    let err = c.organizations().get_by_name(&"x".repeat(51)).await.unwrap_err();
    match err {
        Error::Validation(v) => assert_eq!(v.to_string(), "name: length 51 breaks maxLength 50"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(received(&server).await.is_empty(), "nothing is sent");
}
