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
/// about 4 MB; 32 MiB leaves room while bounding memory on hostile input
/// (parsing peaks at about 60 bytes per byte of YAML, 11 per byte of JSON).
pub const MAX_SPEC_BYTES: usize = 32 * 1024 * 1024;

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
    } else if let Some(line) = deep_flow_nesting(&without_block_scalars(text)) {
        // libyaml takes time quadratic in flow nesting depth; refuse early.
        Err(format!("invalid yaml: flow collections nested more than {MAX_FLOW_DEPTH} levels deep (line {line})"))
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

/// `text` with the content lines of block scalars (`|`, `>-`...) blanked,
/// line for line: code samples in descriptions are text, and their braces
/// and quotes are no flow collections (Asana's description has thousands).
/// The content of a block scalar is every following line that is blank or
/// indented more than the line of its indicator.
fn without_block_scalars(text: &str) -> std::borrow::Cow<'_, str> {
    let is_indicator = |line: &str| {
        let trimmed = line.trim_end();
        let (before, last) = trimmed.rsplit_once(' ').unwrap_or(("", trimmed.trim_start()));
        let mut c = last.chars();
        matches!(c.next(), Some('|' | '>'))
            && c.all(|c| matches!(c, '-' | '+' | '1'..='9'))
            && (before.trim_end().ends_with(':') || before.trim_end().ends_with('-') || before.trim().is_empty())
    };
    if !text.lines().any(is_indicator) {
        return std::borrow::Cow::Borrowed(text);
    }
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let mut res = String::with_capacity(text.len());
    let mut block: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        if let Some(b) = block {
            if line.trim().is_empty() || indent(line) > b {
                res.push('\n');
                continue;
            }
            block = None;
        }
        if is_indicator(line) {
            block = Some(indent(line));
        }
        res.push_str(line);
    }
    std::borrow::Cow::Owned(res)
}

/// Deeper flow nesting than any real spec has.
const MAX_FLOW_DEPTH: usize = 128;

/// The line where `[`/`{` flow nesting first exceeds [`MAX_FLOW_DEPTH`],
/// skipping quoted text and comments. A line starting in column 0 is back at
/// the top level (flow content must be indented), which resets the count.
fn deep_flow_nesting(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut line_no = 1;
    let mut quote: Option<char> = None;
    let mut prev = '\n';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line_no += 1;
            prev = c;
            if chars.peek().is_some_and(|n| !n.is_whitespace() && *n != ']' && *n != '}' && *n != ',')
                && quote.is_none()
            {
                depth = 0;
            }
            continue;
        }
        match quote {
            Some('"') => {
                if c == '\\' {
                    chars.next();
                } else if c == '"' {
                    quote = None;
                }
            }
            Some(q) => {
                if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' if matches!(prev, ' ' | '\t' | '\n' | '[' | '{' | ',' | ':') => quote = Some(c),
                '#' if matches!(prev, ' ' | '\t' | '\n') => {
                    while chars.peek().is_some_and(|n| *n != '\n') {
                        chars.next();
                    }
                }
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(line_no);
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        prev = c;
    }
    None
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
    fn flow_nesting_is_bounded_quickly() {
        let err = load("t.yaml", format!("a: {}", "[".repeat(1_000_000)).as_bytes()).unwrap_err();
        assert!(err.to_string().contains("nested more than 128 levels"), "{err}");
        // Brackets inside quotes and comments do not count.
        let ok = format!("a: \"{}\"\nb: 1 # {}\nc: [[1], {{d: [2]}}]\n", "[".repeat(500), "{".repeat(500));
        assert!(load("t.yaml", ok.as_bytes()).is_ok());
        // Nor do braces and quotes in block scalars (code samples).
        let code: String = (0..200)
            .map(|i| format!("  code{i}: |-\n    let opts = {{ 'a': \"b\", c: [\n\n    f({{ x: [1,\n  other{i}: 1\n"))
            .collect();
        let ok = format!("a:\n{code}  tail: [1]\n");
        let v = load("t.yaml", ok.as_bytes()).unwrap();
        assert!(v.get("a").unwrap().get("code7").unwrap().as_str().unwrap().starts_with("let opts"));
        let ok = format!("a:\n  - >-\n{}  - [1]\n", "      {[{[\n".repeat(100));
        assert!(load("t.yaml", ok.as_bytes()).is_ok());
        // Outside block scalars the limit still holds.
        let deep = format!("a: |\n  {{\nb: {}\n", "[".repeat(200));
        assert!(load("t.yaml", deep.as_bytes()).unwrap_err().to_string().contains("nested more than 128"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_an_overflow() {
        let deep = "[".repeat(100_000);
        assert!(load("t.json", deep.as_bytes()).is_err());
        let deep_yaml: String = (0..300).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        assert!(load("t.yaml", deep_yaml.as_bytes()).is_err());
    }
}
