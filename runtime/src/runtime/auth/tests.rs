//! Unit tests of `auth.rs` (not copied into generated crates).

use super::*;

#[test]
fn secrets_are_redacted() {
    let s = Secret::new("hunter2");
    assert_eq!(format!("{s:?}"), "Secret([redacted])");
    assert_eq!(s.to_string(), "[redacted]");
}
