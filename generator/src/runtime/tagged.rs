//! Serde helpers for generated types: discriminated unions and file parts.

use std::fmt;

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::validate::Validate;

/// The discriminator value of a JSON object, if it has one.
pub fn tag(value: &serde_json::Value, property: &str) -> Option<String> {
    value.get(property).and_then(|t| t.as_str()).map(str::to_string)
}

/// Decodes a variant of a discriminated union from its JSON value.
pub fn from_value<T: serde::de::DeserializeOwned, E: serde::de::Error>(value: serde_json::Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Serializes a union variant with its discriminator property set, whether
/// or not the variant's own type declares it.
pub fn serialize_tagged<S: Serializer, T: Serialize>(s: S, property: &str, tag: &str, value: &T) -> Result<S::Ok, S::Error> {
    let mut v = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let serde_json::Value::Object(m) = &mut v {
        m.entry(property.to_string()).or_insert_with(|| serde_json::Value::String(tag.to_string()));
    }
    v.serialize(s)
}

/// A file sent as a part of a `multipart/form-data` body (or, inside JSON,
/// as text).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    pub bytes: Bytes,
    pub filename: Option<String>,
    pub content_type: Option<String>,
}

impl FilePart {
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart { bytes: bytes.into(), filename: None, content_type: None }
    }
    pub fn filename(mut self, name: impl Into<String>) -> Self {
        self.filename = Some(name.into());
        self
    }
    pub fn content_type(mut self, ct: impl Into<String>) -> Self {
        self.content_type = Some(ct.into());
        self
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("bytes", &self.bytes.len())
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| FilePart::new(s.into_bytes()))
    }
}

impl Validate for FilePart {}
