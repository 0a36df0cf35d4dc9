//! Unit tests of `validate.rs` (not copied into generated crates).

use super::*;

/// The one violation of a constructor's error.
fn one(e: ValidationError) -> Violation {
    assert_eq!(e.violations.len(), 1, "{e}");
    e.violations.into_iter().next().expect("one")
}

#[test]
fn bounded_string_counts_chars() {
    type S = BoundedString<2, 3>;
    assert!(S::new("ab").is_ok());
    assert!(S::new("äöü").is_ok());
    let err = one(S::new("abcd").unwrap_err());
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
    assert!(BoundedFloat::<f64, { bits(0.0) }, { bits(1.0) }, false, true>::new(1.0).is_err());
    assert!(BoundedFloat::<f64, { bits(0.0) }, { bits(1.0) }, false, true>::new(0.5).is_ok());
    assert!(BoundedVec::<u8, 1, 2>::new(vec![]).is_err());
}

#[test]
fn multiples_of_integers() {
    type Even = BoundedInt<i64, { i64::MIN as i128 }, { i64::MAX as i128 }, 2>;
    assert!(Even::new(-4).is_ok());
    let err = one(Even::new(3).unwrap_err());
    assert_eq!((err.constraint.as_str(), err.actual.as_str()), ("multipleOf 2", "3"));
    assert!(BoundedInt::<u32, 10, 100, 5>::new(15).is_ok());
    assert!(BoundedInt::<u32, 10, 100, 5>::new(5).is_err());
}

#[test]
fn non_integral_bounds_and_multiples() {
    type Ratio = BoundedFloat<f64, { bits(0.1) }, { bits(1.5) }, false, false>;
    assert!(Ratio::new(0.1).is_ok());
    assert!(Ratio::new(1.5).is_ok());
    let err = one(Ratio::new(0.09999).unwrap_err());
    assert_eq!((err.constraint.as_str(), err.actual.as_str()), ("minimum 0.1", "0.09999"));
    assert_eq!(one(Ratio::new(1.5000001).unwrap_err()).constraint, "maximum 1.5");
    assert!(Ratio::new(f64::NAN).is_err());

    type Above = BoundedFloat<f32, { bits(0.25) }, NO_MAX, true, false>;
    assert_eq!(one(Above::new(0.25).unwrap_err()).constraint, "exclusiveMinimum 0.25");
    assert!(Above::new(0.2501).is_ok());
    assert!(Above::new(f32::MAX).is_ok());

    type Below = BoundedFloat<f64, NO_MIN, { bits(-2.5) }, false, true>;
    assert_eq!(one(Below::new(-2.5).unwrap_err()).constraint, "exclusiveMaximum -2.5");
    assert!(Below::new(-1e300).is_ok());

    type Cents = BoundedFloat<f64, { bits(0.0) }, NO_MAX, false, false, { bits(0.01) }>;
    assert!(Cents::new(19.99).is_ok());
    assert!(Cents::new(0.3).is_ok());
    let err = one(Cents::new(0.005).unwrap_err());
    assert_eq!((err.constraint.as_str(), err.actual.as_str()), ("multipleOf 0.01", "0.005"));
    assert!(Cents::new(-1.0).is_err(), "the minimum still applies");

    type Halves = BoundedFloat<f64, NO_MIN, NO_MAX, false, false, { bits(0.5) }>;
    assert!(Halves::new(1e6 + 0.5).is_ok());
    assert!(Halves::new(1e6 + 0.25).is_err());
}

#[test]
fn responses_breaking_float_bounds_decode_and_check_reports_them() {
    type Ratio = BoundedFloat<f64, { bits(0.1) }, { bits(1.5) }, false, true, { bits(0.1) }>;
    let r: Ratio = serde_json::from_str("1.5").unwrap();
    let err = r.check().unwrap_err();
    assert_eq!(err.to_string(), "value: 1.5 breaks exclusiveMaximum 1.5");
    let r: Ratio = serde_json::from_str("0.35").unwrap();
    assert_eq!(r.check().unwrap_err().to_string(), "value: 0.35 breaks multipleOf 0.1");
    let r: Ratio = serde_json::from_str("0.7").unwrap();
    assert!(r.check().is_ok());
}

/// A pattern marker as the generator emits it.
macro_rules! pattern {
    ($name:ident, $source:literal) => {
        struct $name;
        impl Pattern for $name {
            const SOURCE: &'static str = $source;
            fn is_match(s: &str) -> bool {
                static RE: PatternCell = PatternCell::new();
                RE.is_match(Self::SOURCE, s)
            }
        }
    };
}

#[test]
fn leading_inline_flags_are_regex_flags() {
    pattern!(Lower, "(?i)^[a-z]+$");
    type S = BoundedString<0, { u64::MAX }, Lower>;
    assert!(S::new("ABC").is_ok(), "(?i) ignores case");
    assert!(S::new("abc").is_ok());
    let err = one(S::new("AB1").unwrap_err());
    assert_eq!(err.constraint, "pattern \"(?i)^[a-z]+$\"");

    pattern!(Lines, "(?ms)^b.c$");
    assert!(Lines::is_match("a\nb\nc"), "m: ^ and $ at lines, s: . matches a newline");
    pattern!(NoFlags, "^b.c$");
    assert!(!NoFlags::is_match("a\nb\nc"));
    pattern!(DotAll, "(?s)^a.b$");
    assert!(DotAll::is_match("a\nb") && !DotAll::is_match("a\n\nb"));

    // The generator's intersection of `(?i)^a` and `b$` (allOf): each part
    // keeps its own flags, as a modifier group.
    pattern!(Both, r"^(?=[\s\S]*?(?:(?i:^a)))(?=[\s\S]*?(?:b$))");
    assert!(Both::is_match("Axb") && !Both::is_match("AxB") && !Both::is_match("xb"));

    assert_eq!(inline_flags("(?ims)x"), ("ims", "x"));
    assert_eq!(inline_flags("(?i)"), ("i", ""));
    for other in ["(?ii)x", "(?x)a", "(?:a)b", "(?=a)", "(?-i)a", "(?)a", "a(?i)b", "(?i"] {
        assert_eq!(inline_flags(other), ("", other), "{other}");
    }
}

#[test]
fn patterns_ecma_262_lacks_match_everything() {
    // The generator warned that these are not checked; the client does not
    // reject what it cannot check.
    pattern!(Middle, "a(?i)b");
    pattern!(Extended, "(?x) a b");
    assert!(Middle::is_match("zzz") && Extended::is_match("zzz"));
}

#[test]
fn key_sets_want_one_present_set_of_a_request_and_leave_responses_alone() {
    let sets = ["`description`", "`files`"];
    let run = |request: bool, exactly_one: bool, present: [bool; 2]| {
        let mut v = if request { Validator::for_request() } else { Validator::for_response() };
        v.path.push("body".into());
        v.key_sets(exactly_one, &sets, &present);
        v.finish()
    };
    // anyOf: one or both sets sent; oneOf: exactly one.
    assert!(run(true, false, [true, false]).is_ok());
    assert!(run(true, false, [true, true]).is_ok());
    assert!(run(true, true, [false, true]).is_ok());
    let none = one(run(true, false, [false, false]).unwrap_err());
    assert_eq!(none.path, "body");
    assert_eq!(none.constraint, "anyOf (at least one of `description`, `files`)");
    assert_eq!(none.actual, "none sent");
    let both = one(run(true, true, [true, true]).unwrap_err());
    assert_eq!(both.constraint, "oneOf (exactly one of `description`, `files`)");
    assert_eq!(both.actual, "2 sent");
    assert_eq!(
        ValidationError { violations: vec![both] }.to_string(),
        "body: 2 sent breaks oneOf (exactly one of `description`, `files`)"
    );
    // A response is read as it comes.
    assert!(run(false, true, [false, false]).is_ok());
    assert!(run(false, true, [true, true]).is_ok());
}
