//! Reading a spec file: bytes in, [`Value`] tree out.
//!
//! JSON is recognised by its first non-blank byte; everything else is read as
//! YAML with `serde_norway` (a maintained fork of `serde_yaml`). Both parsers
//! bound nesting depth (128 levels), and YAML alias expansion is bounded by the
//! parser, so hostile input gives an error, not a stack overflow or an
//! unbounded allocation. This module does no OpenAPI interpretation.

use crate::diag::Diagnostics;
use crate::value::Value;

/// The largest spec we accept. The biggest real description we know of is
/// about 4 MB; 64 MiB leaves room while bounding memory on hostile input.
pub const MAX_SPEC_BYTES: usize = 64 * 1024 * 1024;

/// Parses `bytes` (named `file` in diagnostics) into a document tree.
pub fn load(file: &str, bytes: &[u8]) -> Result<Value, Diagnostics> {
    let mut diags = Diagnostics::new(file);
    if bytes.len() > MAX_SPEC_BYTES {
        diags.error("#", format!("file is {} bytes, above the limit of {MAX_SPEC_BYTES} bytes", bytes.len()));
        return Err(diags);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => {
            diags.error("#", format!("file is not valid utf-8 (at byte {})", e.valid_up_to()));
            return Err(diags);
        }
    };
    let first = text.trim_start().chars().next();
    let res = if matches!(first, Some('{') | Some('[')) {
        serde_json::from_str::<Value>(text).map_err(|e| format!("invalid json: {}", lower_first(&e.to_string())))
    } else {
        serde_norway::from_str::<Value>(text).map_err(|e| format!("invalid yaml: {}", lower_first(&e.to_string())))
    };
    match res {
        Ok(Value::Object(m)) => Ok(Value::Object(m)),
        Ok(other) => {
            diags.error("#", format!("document root is {}, expected an object", other.kind()));
            Err(diags)
        }
        Err(msg) => {
            diags.error("#", msg);
            Err(diags)
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_integer_keys_become_strings() {
        let v = load("t.yaml", b"responses:\n  200:\n    description: ok\n").unwrap();
        assert!(v.get("responses").unwrap().get("200").is_some());
    }

    #[test]
    fn big_integers_load() {
        let v = load("t.yaml", b"minimum: -9223372036854776000\n").unwrap();
        assert_eq!(v.get("minimum").unwrap().as_f64(), Some(-9223372036854776000.0));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = load("t.yaml", b"a: 1\na: 2\n").unwrap_err();
        assert!(err.to_string().contains("duplicate"), "{err}");
        let err = load("t.json", br#"{"a": 1, "a": 2}"#).unwrap_err();
        assert!(err.to_string().contains("duplicate key"), "{err}");
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let err = load("t.yaml", b"a: \xff\n").unwrap_err();
        assert!(err.to_string().contains("utf-8"), "{err}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_an_overflow() {
        let deep = "[".repeat(100_000);
        assert!(load("t.json", deep.as_bytes()).is_err());
        let deep_yaml = format!("a: {}", "[".repeat(100_000));
        assert!(load("t.yaml", deep_yaml.as_bytes()).is_err());
    }
}
