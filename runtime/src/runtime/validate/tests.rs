//! Unit tests of `validate.rs` (not copied into generated crates).

use super::*;

#[test]
fn bounded_string_counts_chars() {
    type S = BoundedString<2, 3>;
    assert!(S::new("ab").is_ok());
    assert!(S::new("äöü").is_ok());
    let err = S::new("abcd").unwrap_err();
    assert_eq!(err.constraint, "maxLength 3");
    assert_eq!(err.actual, "length 4");
    assert!(S::new("a").is_err());
}

#[test]
fn deserialization_is_lenient_validation_is_not() {
    let s: BoundedString<2, 3> = serde_json::from_str("\"toolong\"").unwrap();
    let err = s.check().unwrap_err();
    assert_eq!(err.to_string(), "value: length 7 breaks maxLength 3");
}

#[test]
fn bounded_numbers() {
    assert!(BoundedInt::<i64, 1, 100>::new(0).is_err());
    assert!(BoundedInt::<i64, 1, 100>::new(100).is_ok());
    assert!(BoundedFloat::<f64, 0, 1, false, true>::new(1.0).is_err());
    assert!(BoundedFloat::<f64, 0, 1, false, true>::new(0.5).is_ok());
    assert!(BoundedVec::<u8, 1, 2>::new(vec![]).is_err());
}
