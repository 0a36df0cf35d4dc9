//! Unit tests of `formats.rs` (not copied into generated crates).

use super::*;

#[test]
fn hostnames() {
    assert!(is_hostname("example.auth0.com"));
    assert!(is_hostname("a-b.c"));
    assert!(!is_hostname("-a.com"));
    assert!(!is_hostname("a-.com"));
    assert!(!is_hostname("a..com"));
    assert!(!is_hostname(&format!("{}.com", "a".repeat(64))));
    assert!(!is_hostname(&["a"; 130].join(".")));
    assert!(!is_hostname("under_score.com"));
    assert!(Hostname::new("bad host").is_err());
}

#[test]
fn date_times_round_trip() {
    let d: DateTime = serde_json::from_str("\"2023-11-07T05:31:56Z\"").unwrap();
    assert_eq!(serde_json::to_string(&d).unwrap(), "\"2023-11-07T05:31:56Z\"");
    assert!(serde_json::from_str::<DateTime>("\"yesterday\"").is_err());
    let d: Date = serde_json::from_str("\"2023-11-07\"").unwrap();
    assert_eq!(d.to_string(), "2023-11-07");
}

#[test]
fn base64_is_lenient_on_alphabet() {
    let b: Base64 = serde_json::from_str("\"aGk\"").unwrap();
    assert_eq!(b.0, b"hi");
    assert_eq!(serde_json::to_string(&b).unwrap(), "\"aGk=\"");
}
