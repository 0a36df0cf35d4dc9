//! Unit tests of `telemetry.rs` (not copied into generated crates).

use super::*;

#[test]
fn routes_match_whatever_their_parameters_are_named() {
    assert!(same_route("/users/{id}", "/users/{user_id}"));
    assert!(same_route("/users", "/users"));
    assert!(!same_route("/users/{id}", "/users"));
    assert!(!same_route("/users/{id}", "/users/{id}/roles"));
    assert!(!same_route("/users/{id}", "/users/me"));
}

#[test]
fn telemetry_is_base64url_json_with_the_compiler_and_extra_env() {
    use base64::Engine;
    let v = telemetry_value("my-client", "1.2.3", &[("target".into(), "cli".into())]).unwrap();
    let text = v.to_str().unwrap();
    assert!(!text.contains(['+', '/', '=']), "{text}");
    let json: serde_json::Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).unwrap()).unwrap();
    assert_eq!(json["name"], "my-client");
    assert_eq!(json["version"], "1.2.3");
    assert_eq!(json["env"]["target"], "cli");
    assert!(json["env"]["rust"].as_str().unwrap().starts_with("1."), "{json}");
}
