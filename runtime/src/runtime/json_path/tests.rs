//! Unit tests of `json_path.rs` (not copied into generated crates): the
//! path found from `serde_json`'s position is the one `serde_path_to_error`
//! tracks while decoding, on bodies that fail in every place a body can.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{of_error, offset};

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct Item {
    n: i64,
    tags: Option<Vec<String>>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct Page {
    items: Vec<Item>,
    next: Option<String>,
    meta: Option<BTreeMap<String, Item>>,
}

/// Our path and `serde_path_to_error`'s for a body that fails as `T`.
fn both<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> (String, String) {
    let text = body.as_bytes();
    let e = serde_json::from_slice::<T>(text).unwrap_err();
    let ours = of_error(text, &e);
    let mut de = serde_json::Deserializer::from_slice(text);
    let tracked = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => e.path().to_string(),
        Ok(_) => de.end().map(|_| String::from("decoded")).unwrap_or_else(|_| String::from(".")),
    };
    (ours, tracked)
}

#[test]
fn paths_agree_with_tracking_while_decoding() {
    let cases: &[(&str, &str)] = &[
        (r#"{"items": [{"n": 1}, {"n": "x"}]}"#, "items[1].n"),
        (r#"{"items": [{"n": 1}, {}]}"#, "items[1]"),
        (r#"{"items": [{"n": 1, "tags": ["a", 2]}]}"#, "items[0].tags[1]"),
        (r#"{"items": [], "next": 5}"#, "next"),
        (r#"{"items": [], "meta": {"a,b": {"n": 1}, "c\"}": {"n": false}}}"#, "meta.c\"}.n"),
        (r#"{"items": [], "meta": {"\u0078": {"n": []}}}"#, "meta.x.n"),
        ("{\n  \"items\": [\n    {\"n\": 1},\n    {\"n\": null}\n  ]\n}", "items[1].n"),
        (r#"{"items": [{"n": 99999999999999999999}]}"#, "items[0].n"),
        (r#""page""#, "."),
        (r#"  true"#, "."),
        (r#"{"items": "none"}"#, "items"),
        (r#"{"next": "a"}"#, "."),
        (r#"{"items": [{"n": 1}"#, "items"),
        (r#"{"items":[{"n":{}}]}"#, "items[0].n"),
        (r#"{"items": [{"n": 1, "tags": [[]]}]}"#, "items[0].tags[0]"),
        (r#"{"items": [{"n": 1, "tags": ["a",{}]}]}"#, "items[0].tags[1]"),
        (r#"{"items": [{"n": 1} {"n": 2}]}"#, "items"),
    ];
    for (body, want) in cases {
        let (ours, tracked) = both::<Page>(body);
        assert_eq!(ours, tracked, "{body}");
        assert_eq!(ours, *want, "{body}");
    }
}

#[test]
fn syntax_errors_agree_too() {
    for body in [
        "[1 2]",
        r#"{"items": [1,]}"#,
        r#"{"items" [1]}"#,
        r#"{"items": [], "next": "a",}"#,
        r#"{"items": [], "next": "\x"}"#,
        r#"{"items": [{"n": 1}], "meta": {"k": {"n": 1 "tags": []}}}"#,
        r#"{"items": [{"n": tru}]}"#,
    ] {
        let (ours, tracked) = both::<Page>(body);
        // Tracking writes `?` for a key it was reading; we stop at the
        // object that holds it.
        let tracked = match tracked.replace(".?", "").replace('?', "") {
            t if t.is_empty() => ".".to_string(),
            t => t,
        };
        assert_eq!(ours, tracked, "{body}");
    }
}

#[test]
fn nested_arrays_and_scalars_at_the_root() {
    assert_eq!(both::<Vec<Vec<i64>>>("[[1, 2], [3, \"x\"]]"), ("[1][1]".into(), "[1][1]".into()));
    assert_eq!(both::<i64>("\"x\""), (".".into(), ".".into()));
    assert_eq!(both::<Vec<i64>>("[1, 2] 3").0, ".", "trailing data is the whole value's failure");
}

#[test]
fn offsets_count_bytes_from_one_and_zero_is_the_start_of_the_line() {
    let text = b"ab\ncd\nef";
    assert_eq!(offset(text, 1, 1), 0);
    assert_eq!(offset(text, 2, 2), 4);
    assert_eq!(offset(text, 2, 0), 3);
    assert_eq!(offset(text, 9, 1), text.len(), "a line past the end");
    assert_eq!(offset(text, 3, 40), text.len(), "a column past the end");
}
