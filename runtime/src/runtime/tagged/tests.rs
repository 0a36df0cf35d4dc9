//! Unit tests of `tagged.rs` (not copied into generated crates).

use super::*;

fn raw_of(text: &str) -> Raw<'_> {
    let mut d = serde_json::Deserializer::from_str(text);
    raw(&mut d).unwrap()
}

#[test]
fn raw_text_is_borrowed_when_it_can_be_and_copied_when_not() {
    let text = r#" {"a": [1, "x"], "b": {"c": null}} "#;
    let mut d = serde_json::Deserializer::from_str(text);
    let borrowed = raw(&mut d).unwrap();
    assert!(matches!(borrowed.0, Cow::Borrowed(_)));
    assert_eq!(borrowed.get(), text.trim());
    let mut d = serde_json::Deserializer::from_reader(text.as_bytes());
    let owned = raw(&mut d).unwrap();
    assert!(matches!(owned.0, Cow::Owned(_)));
    assert_eq!(owned.get(), text.trim());
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(raw(&value).unwrap().get(), value.to_string());
    // Bad JSON is an error, not a text.
    let mut d = serde_json::Deserializer::from_str(r#"{"a": }"#);
    assert!(raw(&mut d).is_err());
}

#[test]
fn variants_knowing_every_property_come_first() {
    let offset = Fit::Fields(&["start", "limit", "total", "users"]);
    let checkpoint = Fit::Fields(&["next", "users"]);
    let order = raw_variant_order(&raw_of(r#"{"next": "x", "users": []}"#), &[Fit::Any, offset, checkpoint]);
    assert_eq!(order, [2, 0, 1]);
    let order = raw_variant_order(&raw_of(r#"{"start": 0, "users": []}"#), &[Fit::Any, offset, checkpoint]);
    assert_eq!(order, [1, 0, 2]);
    assert_eq!(raw_variant_order(&raw_of("[1]"), &[Fit::Any, offset]), [0, 1]);
    // A repeated key counts once, as in a `Value`'s map; escaped keys are
    // compared unescaped; keys of nested objects are not the object's.
    let order = raw_variant_order(
        &raw_of(r#"{"next": 1, "next": {"start": [{"limit": 0}], "total": "}"}, "u\u0073ers": []}"#),
        &[offset, checkpoint],
    );
    assert_eq!(order, [1, 0]);
    // A variant that is never an object is not tried on one.
    let order = raw_variant_order(&raw_of(r#"{"next": "x"}"#), &[Fit::NotObject, offset, checkpoint]);
    assert_eq!(order, [2, 1]);
    assert_eq!(raw_variant_order(&raw_of("[]"), &[Fit::NotObject, offset]), [0, 1]);
}

#[test]
fn the_variant_a_one_value_property_names_is_tried_first() {
    let (any, fits) = (Fit::Any, [Fit::Any, Fit::Any, Fit::Any, Fit::Any]);
    let values = [Some("http"), None, Some("datadog"), Some("splunk")];
    let order = |text: &str| raw_variant_order_by(&raw_of(text), &fits, "type", &values);
    // The value's variant, then the one without the property, then the rest in order.
    assert_eq!(order(r#"{"type": "datadog", "sink": {}}"#), [2, 1, 0, 3]);
    assert_eq!(order(r#"{"sink": {"type": "splunk"}, "type": "splunk"}"#), [3, 1, 0, 2]);
    // No variant's value: the ones without the property first, then every other.
    assert_eq!(order(r#"{"type": "sumo"}"#), [1, 0, 2, 3]);
    // No string value, or no object: the order of the fields, unchanged.
    assert_eq!(order(r#"{"type": 3}"#), [0, 1, 2, 3]);
    assert_eq!(order(r#"{"sink": {"type": "http"}}"#), [0, 1, 2, 3]);
    assert_eq!(order(r#""http""#), raw_variant_order(&raw_of(r#""http""#), &[any, any, any, any]));
    // The order by fields holds inside each group.
    let offset = Fit::Fields(&["type", "start", "users"]);
    let checkpoint = Fit::Fields(&["type", "next", "users"]);
    let order = raw_variant_order_by(
        &raw_of(r#"{"type": "page", "next": "x", "users": []}"#),
        &[offset, checkpoint],
        "type",
        &[Some("page"), Some("page")],
    );
    assert_eq!(order, [1, 0]);
}

#[test]
fn the_tag_is_the_last_string_value_of_its_key() {
    assert_eq!(raw_tag(&raw_of(r#"{"a": {"type": "x"}, "type": "b"}"#), "type").as_deref(), Some("b"));
    assert_eq!(raw_tag(&raw_of(r#"{"type": "a", "type": "b"}"#), "type").as_deref(), Some("b"));
    assert_eq!(raw_tag(&raw_of(r#"{"type": "a", "type": 1}"#), "type"), None);
    assert_eq!(raw_tag(&raw_of(r#"{"type": ["a"]}"#), "type"), None);
    assert_eq!(raw_tag(&raw_of(r#"["type"]"#), "type"), None);
    assert_eq!(raw_tag(&raw_of(r#"{"ty\u0070e": "a\nb"}"#), "type").as_deref(), Some("a\nb"));
    assert_eq!(raw_tag(&raw_of(r#"{"x": "type\"", "y": ["type", {"type": "z"}]}"#), "type"), None);
    assert_eq!(raw_tag(&raw_of(r#"{ "type" :  "a" }"#), "type").as_deref(), Some("a"));
    // A string ending in an escaped backslash ends at the next quote.
    assert_eq!(raw_tag(&raw_of(r#"{"x": "a\\", "type": "b\\"}"#), "type").as_deref(), Some("b\\"));
    assert_eq!(raw_tag(&raw_of(r#"{"x": "\\\"type\": \"c", "type": "d"}"#), "type").as_deref(), Some("d"));
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Two {
    a: u32,
    b: String,
}

#[test]
fn a_variant_error_is_the_message_a_value_gave() {
    for text in [r#"{"a": 1}"#, r#"{"a": "x", "b": "y"}"#, r#"{"a": 1, "b": 2}"#, "[1]", "3"] {
        let from_value = serde_json::from_value::<Two>(serde_json::from_str(text).unwrap()).unwrap_err().to_string();
        let from_raw = from_raw::<Two, serde_json::Error>(&raw_of(text)).unwrap_err().to_string();
        assert_eq!(from_raw, from_value, "{text}");
    }
}

#[test]
fn unknown_keeps_the_value() {
    let text = r#"{"x": [1, 2.5, "s", null, {"y": true}]}"#;
    let v: serde_json::Value = unknown::<serde_json::Error>(&raw_of(text)).unwrap();
    assert_eq!(v, serde_json::from_str::<serde_json::Value>(text).unwrap());
}
