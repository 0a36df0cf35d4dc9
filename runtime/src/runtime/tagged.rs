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
pub fn serialize_tagged<S: Serializer, T: Serialize>(
    s: S,
    property: &str,
    tag: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
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

/// The order in which to try the variants of an untagged union for `value`.
/// `fields[i]` lists the properties variant `i` knows (`None` for variants
/// that are not objects or accept any property). For an object, variants
/// that know all of its properties come first, then those that know most,
/// so that a response is not read as a variant that would drop its fields.
pub fn variant_order(value: &serde_json::Value, fields: &[Option<&[&str]>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..fields.len()).collect();
    if let serde_json::Value::Object(m) = value {
        let score = |i: &usize| -> (usize, std::cmp::Reverse<usize>) {
            match fields[*i] {
                Some(known) => {
                    let matched = m.keys().filter(|k| known.contains(&k.as_str())).count();
                    (m.len() - matched, std::cmp::Reverse(matched))
                }
                None => (0, std::cmp::Reverse(0)),
            }
        };
        order.sort_by_key(score);
    }
    order
}

/// Decodes a union variant from a borrowed JSON value, if it fits.
pub fn try_variant<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Option<T> {
    T::deserialize(value).ok()
}

#[cfg(test)]
mod tests;
