//! Putting values on the wire: path segments, query strings, headers,
//! cookies, form and multipart bodies.
//!
//! Values go through `serde_json::Value` first, so one encoder serves every
//! generated type (enums give their wire names, dates RFC 3339). Path values
//! are percent-encoded as one segment: no value can add a segment or a query.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;

/// Everything but RFC 3986 unreserved characters is encoded in a segment,
/// as `encodeURIComponent` does, and `!'()*` too.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How an array or object parameter is written (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `ids=1&ids=2` (explode) or `ids=1,2`.
    Form {
        explode: bool,
    },
    SpaceDelimited,
    PipeDelimited,
    /// `filter[name]=x&filter[age]=3`.
    DeepObject,
    /// `1,2` (path and header default).
    Simple,
}

/// Percent-encodes one path segment.
pub(crate) fn encode_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// The text of a scalar JSON value; `None` for null.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(b.to_string()),
        // A whole number as JavaScript writes it (`2`, not `2.0`), which a
        // server reading an integer accepts.
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => (f as i64).to_string(),
            _ => n.to_string(),
        }),
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Serializes a value to JSON, for encoding.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| format!("cannot encode value: {e}"))
}

/// A value as one string (path segments and headers): arrays are joined
/// with commas, objects written `k,v,k,v` (OpenAPI's simple style).
pub(crate) fn simple_string(v: &Value) -> Option<String> {
    match v {
        Value::Array(items) => Some(items.iter().filter_map(scalar).collect::<Vec<_>>().join(",")),
        Value::Object(m) => {
            Some(m.iter().filter_map(|(k, v)| scalar(v).map(|v| format!("{k},{v}"))).collect::<Vec<_>>().join(","))
        }
        other => scalar(other),
    }
}

/// The `(name, value)` pairs of one query parameter.
pub(crate) fn query_pairs(name: &str, v: &Value, style: ParamStyle) -> Vec<(String, String)> {
    match v {
        Value::Null => Vec::new(),
        Value::Array(items) => {
            let texts: Vec<String> = items.iter().filter_map(scalar).collect();
            match style {
                ParamStyle::Form { explode: true } | ParamStyle::DeepObject => {
                    texts.into_iter().map(|t| (name.to_string(), t)).collect()
                }
                ParamStyle::SpaceDelimited => vec![(name.to_string(), texts.join(" "))],
                ParamStyle::PipeDelimited => vec![(name.to_string(), texts.join("|"))],
                ParamStyle::Form { explode: false } | ParamStyle::Simple => vec![(name.to_string(), texts.join(","))],
            }
        }
        Value::Object(m) => match style {
            ParamStyle::DeepObject => {
                let mut res = Vec::new();
                deep_object(name, v, &mut res);
                res
            }
            ParamStyle::Form { explode: true } => {
                m.iter().filter_map(|(k, v)| scalar(v).map(|t| (k.clone(), t))).collect()
            }
            _ => vec![(name.to_string(), simple_string(v).unwrap_or_default())],
        },
        other => scalar(other).map(|t| vec![(name.to_string(), t)]).unwrap_or_default(),
    }
}

fn deep_object(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                deep_object(&format!("{prefix}[{k}]"), v, out);
            }
        }
        Value::Array(items) => {
            for (idx, it) in items.iter().enumerate() {
                deep_object(&format!("{prefix}[{idx}]"), it, out);
            }
        }
        other => {
            if let Some(t) = scalar(other) {
                out.push((prefix.to_string(), t));
            }
        }
    }
}

/// An `application/x-www-form-urlencoded` body: top-level fields, arrays
/// repeated, nested objects in bracket notation.
pub(crate) fn form_body(v: &Value) -> Result<String, String> {
    let Value::Object(m) = v else {
        return Err("a form body must be an object".to_string());
    };
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in m {
        for (name, value) in query_pairs(k, v, ParamStyle::DeepObject) {
            ser.append_pair(&name, &value);
        }
    }
    Ok(ser.finish())
}

// @part multipart
/// A `multipart/form-data` body, built in memory so that a retry can send
/// the same bytes again.
#[derive(Debug)]
pub struct Multipart {
    boundary: String,
    body: Vec<u8>,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    pub fn new() -> Self {
        let boundary: String = (0..32).map(|_| fastrand::alphanumeric()).collect();
        Multipart { boundary: format!("----rustclient{boundary}"), body: Vec::new() }
    }

    fn header(&mut self, name: &str, filename: Option<&str>, content_type: Option<&str>) {
        let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"").replace(['\r', '\n'], " ");
        self.body.extend_from_slice(format!("--{}\r\n", self.boundary).as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", quote(name));
        if let Some(f) = filename {
            disposition.push_str(&format!("; filename=\"{}\"", quote(f)));
        }
        self.body.extend_from_slice(disposition.as_bytes());
        self.body.extend_from_slice(b"\r\n");
        if let Some(ct) = content_type {
            self.body.extend_from_slice(format!("Content-Type: {}\r\n", quote(ct)).as_bytes());
        }
        self.body.extend_from_slice(b"\r\n");
    }

    /// Adds a text part.
    pub fn text(&mut self, name: &str, value: &str) {
        self.header(name, None, None);
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
    }

    /// Adds a file part.
    pub fn file(&mut self, name: &str, filename: &str, content_type: &str, bytes: &[u8]) {
        self.header(name, Some(filename), Some(content_type));
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
    }

    /// Adds every field of a serialized object as a text part (JSON for
    /// non-strings), skipping the names in `skip`.
    pub(crate) fn fields(&mut self, v: &Value, skip: &[&str]) {
        if let Value::Object(m) = v {
            for (k, v) in m {
                if skip.contains(&k.as_str()) || v.is_null() {
                    continue;
                }
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                self.text(k, &text);
            }
        }
    }

    /// The content type and the bytes.
    pub(crate) fn finish(mut self) -> (String, Vec<u8>) {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (format!("multipart/form-data; boundary={}", self.boundary), self.body)
    }
}
// @end multipart

#[cfg(test)]
mod tests;
