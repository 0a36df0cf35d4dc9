//! Unit tests of `encode.rs` (not copied into generated crates).

use super::*;
use serde_json::json;

#[test]
fn segments_cannot_escape() {
    assert_eq!(encode_segment("auth0|64f1"), "auth0%7C64f1");
    assert_eq!(encode_segment("a/../b"), "a%2F..%2Fb");
    assert_eq!(encode_segment("a b?c#d&e"), "a%20b%3Fc%23d%26e");
}

#[test]
fn query_styles() {
    let v = json!(["a", "b"]);
    assert_eq!(query_pairs("x", &v, ParamStyle::Form { explode: true }).len(), 2);
    assert_eq!(query_pairs("x", &v, ParamStyle::Form { explode: false }), vec![("x".into(), "a,b".into())]);
    assert_eq!(query_pairs("x", &v, ParamStyle::PipeDelimited), vec![("x".into(), "a|b".into())]);
    let o = json!({"a": 1, "b": {"c": true}});
    assert_eq!(
        query_pairs("f", &o, ParamStyle::DeepObject),
        vec![("f[a]".into(), "1".into()), ("f[b][c]".into(), "true".into())]
    );
    assert!(query_pairs("x", &Value::Null, ParamStyle::Simple).is_empty());
}

#[test]
fn form_encoding_escapes() {
    assert_eq!(form_body(&json!({"a": "x&y=z", "n": 1})).unwrap(), "a=x%26y%3Dz&n=1");
}

#[test]
fn multipart_has_parts() {
    let mut m = Multipart::new();
    m.text("name", "v");
    m.file("file", "a\"b.txt", "text/plain", b"hello");
    let (ct, body) = m.finish();
    let body = String::from_utf8(body).unwrap();
    assert!(ct.starts_with("multipart/form-data; boundary="));
    assert!(body.contains("filename=\"a\\\"b.txt\""));
    assert!(body.contains("hello\r\n"));
}

#[test]
fn whole_numbers_are_written_without_a_fraction() {
    let pairs = |v: Value| query_pairs("n", &v, ParamStyle::Form { explode: true });
    assert_eq!(pairs(json!(2.0)), vec![("n".into(), "2".into())]);
    assert_eq!(pairs(json!(-3.0)), vec![("n".into(), "-3".into())]);
    assert_eq!(pairs(json!(2.5)), vec![("n".into(), "2.5".into())]);
    assert_eq!(pairs(json!(1e300)), vec![("n".into(), "1e+300".into())]);
    assert_eq!(simple_string(&json!([1.0, 7])), Some("1,7".into()));
}
