//! Unit tests of `response.rs` (not copied into generated crates).

use super::{decode, from_json_bytes, nearest_first, short_type_name};

#[test]
fn an_undeclared_success_is_read_as_the_nearest_listed_status_first() {
    // 200 where 201 and 202 are listed: 201 first, then 202.
    assert_eq!(nearest_first(200, &[201, 202], None), vec![0, 1]);
    // 201 where 200 and 202 are listed: a tie goes to the lower status.
    assert_eq!(nearest_first(201, &[202, 200], None), vec![1, 0]);
    // 206 where 200 and 204 are listed: 204, then 200.
    assert_eq!(nearest_first(206, &[200, 204], None), vec![1, 0]);
    // An empty body goes to the bodiless success first.
    assert_eq!(nearest_first(200, &[201, 204, 202], Some(1)), vec![1, 0, 2]);
    assert_eq!(nearest_first(200, &[], None), Vec::<usize>::new());
}

#[test]
fn type_names_lose_their_module_paths() {
    assert_eq!(short_type_name("auth0_management_api::types::t_u::User"), "User");
    assert_eq!(short_type_name("alloc::vec::Vec<a::b::Role>"), "Vec<Role>");
    assert_eq!(
        short_type_name("std::collections::BTreeMap<alloc::string::String, serde_json::Value>"),
        "BTreeMap<String, Value>"
    );
    assert_eq!(short_type_name("()"), "()");
}

#[test]
fn a_body_that_is_not_utf8_is_a_located_error() {
    // The second line's string holds a lone continuation byte (0x80).
    let body = b"{\"a\": 1,\n \"b\": [\"x\", \"\x80\"]}";
    let (path, message) = decode::<serde_json::Value>(body).unwrap_err();
    assert_eq!(path, "b[1]");
    assert_eq!(message, "invalid unicode code point at line 2 column 14");
    let e = from_json_bytes::<serde_json::Value>(body).unwrap_err();
    assert_eq!(e.to_string(), message);
}

#[test]
fn a_utf8_body_decodes_as_from_slice_decodes_it() {
    let body = "{\"name\": \"Zo\u{eb}\", \"n\": [1, 2.5, null], \"e\": \"a\\u00e9\"}".as_bytes();
    let want: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(decode::<serde_json::Value>(body).unwrap(), want);
    assert_eq!(from_json_bytes::<serde_json::Value>(body).unwrap(), want);
    // Trailing data is still an error, with its position.
    let (path, message) = decode::<serde_json::Value>(b"{} x").unwrap_err();
    assert_eq!((path.as_str(), message.as_str()), (".", "trailing characters at line 1 column 4"));
}
