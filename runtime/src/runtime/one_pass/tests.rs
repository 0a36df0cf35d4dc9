//! Unit tests of `one_pass.rs` (not copied into generated crates).

use std::cell::Cell;

use serde_json::json;

use super::*;
use crate::runtime::fit::Fit;
use crate::runtime::tagged::{raw, raw_variant_order, try_raw, unknown};

thread_local! {
    /// How many unions read their value in one pass.
    static ONE_PASS_READS: Cell<usize> = const { Cell::new(0) };
}

/// A page of a list: the object variant.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Page {
    total: u32,
    items: Vec<Union>,
}

/// A union as the generator writes one: a list, an object, a string, a
/// number, else `Unknown`; read in one pass when the mode allows, else in
/// two (its text, then each variant in turn).
#[derive(Debug, Clone, PartialEq)]
enum Union {
    List(Vec<u32>),
    Page(Box<Page>),
    Text(String),
    Number(f64),
    Unknown(Value),
}

impl<'de> Deserialize<'de> for Union {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if enabled() {
            ONE_PASS_READS.with(|n| n.set(n.get() + 1));
            return one_pass(d);
        }
        let v = raw(d)?;
        let fits = [Fit::NotObject, Fit::Fields(&["total", "items"]), Fit::NotObject, Fit::NotObject];
        for i in raw_variant_order(&v, &fits) {
            let found = match i {
                0 => try_raw(&v).map(Union::List),
                1 => try_raw(&v).map(|p| Union::Page(Box::new(p))),
                2 => try_raw(&v).map(Union::Text),
                3 => try_raw(&v).map(Union::Number),
                _ => None,
            };
            if let Some(x) = found {
                return Ok(x);
            }
        }
        unknown(&v).map(Union::Unknown)
    }
}

impl OnePass for Union {
    const NAME: &'static str = "Union";
    type Object = Page;
    type List = Vec<u32>;
    fn object(v: Page) -> Self {
        Union::Page(Box::new(v))
    }
    fn list(v: Vec<u32>) -> Self {
        Union::List(v)
    }
    fn scalar(v: Value) -> Self {
        if let Some(x) = try_scalar(&v) {
            return Union::Text(x);
        }
        if let Some(x) = try_scalar(&v) {
            return Union::Number(x);
        }
        Union::Unknown(v)
    }
}

/// `from_str` and the two-pass read agree, values and errors alike; the
/// count of one-pass reads while decoding.
fn both(text: &str) -> (Result<Vec<Union>, String>, usize) {
    ONE_PASS_READS.with(|n| n.set(0));
    let fast = from_str::<Vec<Union>>(text).map_err(|e| e.to_string());
    let reads = ONE_PASS_READS.with(Cell::get);
    assert!(!enabled(), "the mode is off after a decode");
    let two_pass = serde_json::from_str::<Vec<Union>>(text).map_err(|e| e.to_string());
    assert_eq!(fast, two_pass, "{text}");
    (fast, reads)
}

#[test]
fn a_value_the_json_type_decides_is_read_in_one_pass() {
    let (got, reads) = both(r#"[[1, 2], {"total": 1, "items": ["a", 2.5, null]}, "b", 3]"#);
    assert_eq!(
        got.unwrap(),
        [
            Union::List(vec![1, 2]),
            Union::Page(Box::new(Page {
                total: 1,
                items: vec![Union::Text("a".into()), Union::Number(2.5), Union::Unknown(Value::Null)],
            })),
            Union::Text("b".into()),
            Union::Number(3.0),
        ]
    );
    // The four at the top and the three in the page: no second decode.
    assert_eq!(reads, 7);
}

#[test]
fn a_value_no_variant_fits_is_kept_in_unknown_by_the_second_decode() {
    // The page's total is not a number and the list holds a string: the
    // one-pass read fails, and the two-pass read keeps both as sent.
    let text = r#"[{"total": "x", "items": []}, [1, "two"], true, {"items": [[-1]], "total": 0}]"#;
    let (got, reads) = both(text);
    assert_eq!(
        got.unwrap(),
        [
            Union::Unknown(json!({"total": "x", "items": []})),
            Union::Unknown(json!([1, "two"])),
            Union::Unknown(json!(true)),
            Union::Page(Box::new(Page { total: 0, items: vec![Union::Unknown(json!([-1]))] })),
        ]
    );
    assert_eq!(reads, 1, "only the first value was read in one pass before it failed");
}

#[test]
fn a_body_that_is_not_json_gets_the_two_pass_error() {
    let (got, _) = both(r#"[{"total": 1, "items": [}]"#);
    assert!(got.unwrap_err().contains("line 1 column"));
    let (got, _) = both(r#"[1] x"#);
    assert!(got.unwrap_err().contains("trailing characters"));
}

#[test]
fn variants_tried_in_a_two_pass_read_read_their_unions_in_two_passes_too() {
    // `try_raw` turns a failure into the next variant's turn, so a union
    // below it must not fail where the two-pass read keeps `Unknown`.
    let v: Value = json!({"total": 2, "items": [{"total": "no"}]});
    let text = v.to_string();
    let got = with(true, || {
        let mut d = serde_json::Deserializer::from_str(&text);
        let r = raw(&mut d).unwrap();
        let page: Option<Page> = try_raw(&r);
        assert!(enabled(), "try_raw restores the mode");
        page
    });
    assert_eq!(got, Some(Page { total: 2, items: vec![Union::Unknown(json!({"total": "no"}))] }));
}

#[test]
fn the_mode_is_restored_after_a_panic() {
    let caught = std::panic::catch_unwind(|| with(true, || panic!("in a decode")));
    assert!(caught.is_err());
    assert!(!enabled());
}
