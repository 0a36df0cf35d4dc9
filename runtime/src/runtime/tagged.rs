//! Serde helpers for generated types: unions and file parts.
//!
//! A union's value is read once as its raw JSON text ([`raw`]: serde_json
//! checks it, building no tree, and the text is borrowed from the input
//! when the deserializer borrows, else copied), then the chosen
//! variant is decoded from that text. Buffering a `serde_json::Value`
//! instead allocated a map per object and a string per key and value, and
//! then decoded the variant from the tree: everything under a union was
//! built twice, and unions decoded at a third of a struct's speed. The
//! variant is picked as before: by the discriminator's value ([`raw_tag`],
//! a scan of the object's top-level keys), or for an untagged union by how
//! well each variant's fields fit the object's keys ([`raw_variant_order`]),
//! trying each in turn; the text becomes a `Value` only for `Unknown`.
//! Variants are decoded with `serde_json::from_str`, the same decoder a
//! response body is read with, so their code is shared with it.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::de::{MapAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::fit::{order_by_keys, Fit};
use super::validate::Validate;

/// A union's value as its JSON text, checked by serde_json, not parsed
/// into a tree: borrowed from the input when the deserializer borrows
/// (`from_str`, `from_slice`: the capture is then only a scan), copied
/// when it cannot (`from_reader`, a `Value`).
pub struct Raw<'de>(Cow<'de, str>);

impl Raw<'_> {
    /// The JSON text.
    pub fn get(&self) -> &str {
        &self.0
    }
}

/// The name serde_json's deserializers answer with a value's raw text, as
/// `&RawValue` and `Box<RawValue>` ask for it; serde_json's
/// `raw_value` feature has read it since 1.0.32. Asking for it here lets
/// one visitor take the text borrowed or owned, whichever the
/// deserializer gives, where `&RawValue` fails on an owning one and
/// `Box<RawValue>` always copies. The unit tests check both paths.
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// Reads a union's value as its JSON text.
pub fn raw<'de, D: Deserializer<'de>>(d: D) -> Result<Raw<'de>, D::Error> {
    d.deserialize_newtype_struct(RAW_TOKEN, RawVisitor)
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
        match map.next_key::<RawKey>()? {
            Some(RawKey) => map.next_value::<Raw<'de>>(),
            None => Err(serde::de::Error::invalid_type(Unexpected::Map, &self)),
        }
    }
}

/// The one key of the map serde_json answers [`RAW_TOKEN`] with.
struct RawKey;

impl<'de> Deserialize<'de> for RawKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = RawKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("raw value")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<RawKey, E> {
                if s == RAW_TOKEN {
                    Ok(RawKey)
                } else {
                    Err(E::custom("unexpected raw value"))
                }
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

/// The text itself, the value under [`RawKey`].
impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Raw<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("raw value")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, s: &'de str) -> Result<Raw<'de>, E> {
                Ok(Raw(Cow::Borrowed(s)))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Raw<'de>, E> {
                Ok(Raw(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Raw<'de>, E> {
                Ok(Raw(Cow::Owned(s)))
            }
        }
        d.deserialize_str(TextVisitor)
    }
}

/// The discriminator value of a JSON object, if it has one: the string
/// value of its last `property` key, as `serde_json::Value::get` (which
/// keeps a repeated key's last value) gave it.
pub fn raw_tag(raw: &Raw<'_>, property: &str) -> Option<String> {
    let text = raw.get();
    let mut tag = None;
    scan_keys(text, |key, after| {
        if key == property {
            tag = string_at(text, after);
        }
    });
    tag
}

/// Decodes a variant of a discriminated union from its text. A failure
/// is the variant's error message, without the position in the union's
/// text: the caller's deserializer places it (after the union's value, as
/// when the variant was decoded from a `Value`).
pub fn from_raw<T: DeserializeOwned, E: serde::de::Error>(raw: &Raw<'_>) -> Result<T, E> {
    match serde_json::from_str(raw.get()) {
        Ok(v) => Ok(v),
        Err(e) => Err(E::custom(message(&e))),
    }
}

/// A union's `Unknown` value: its text as a `Value`.
pub fn unknown<E: serde::de::Error>(raw: &Raw<'_>) -> Result<serde_json::Value, E> {
    from_raw(raw)
}

/// `e`'s message without the " at line L column C" serde_json adds.
fn message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&at) {
        Some(m) if e.line() != 0 => m.to_string(),
        _ => text,
    }
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

/// Calls `f` with each top-level key of the object `text` (unescaped)
/// and the offset just after it; nothing for another value. `text` is
/// JSON serde_json has checked (a [`Raw`]), so the scan only tracks
/// strings and nesting: a fraction of a parse, and no allocation but for
/// keys with escapes. Strings, most of a body's bytes, are passed over
/// with `memchr` (many bytes a step) rather than byte by byte.
fn scan_keys<'t>(text: &'t str, mut f: impl FnMut(Cow<'t, str>, usize)) {
    let b = text.as_bytes();
    if b.first() != Some(&b'{') {
        return;
    }
    let (mut i, mut depth, mut key_next) = (1, 1usize, true);
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => {
                let Some((end, escaped)) = string_end(b, i + 1) else { return };
                if depth == 1 && key_next {
                    key_next = false;
                    f(unescape(text, i, end, escaped), end + 1);
                }
                i = end + 1;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            b',' if depth == 1 => key_next = true,
            _ => {}
        }
        i += 1;
    }
}

/// The offset of the quote ending the string whose text starts at
/// `start`, and whether the string has escapes.
fn string_end(b: &[u8], start: usize) -> Option<(usize, bool)> {
    let mut i = start;
    let mut escaped = false;
    loop {
        i += memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
        match b[i] {
            b'"' => return Some((i, escaped)),
            _ => {
                escaped = true;
                i += 2;
            }
        }
    }
}

/// The string whose opening quote is at `open` and closing one at
/// `close`, unescaped by serde_json when it has escapes.
fn unescape(text: &str, open: usize, close: usize, escaped: bool) -> Cow<'_, str> {
    let inner = text.get(open + 1..close).unwrap_or("");
    if !escaped {
        return Cow::Borrowed(inner);
    }
    match text.get(open..=close).map(serde_json::from_str::<String>) {
        Some(Ok(s)) => Cow::Owned(s),
        _ => Cow::Borrowed(inner),
    }
}

/// The string value after the key ending at `after` (past the `:`), or
/// `None` when the value is not a string.
fn string_at(text: &str, after: usize) -> Option<String> {
    let b = text.as_bytes();
    let mut i = after;
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace() || *c == b':') {
        i += 1;
    }
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let (end, escaped) = string_end(b, i + 1)?;
    Some(unescape(text, i, end, escaped).into_owned())
}

/// The order in which to try the variants of an untagged union for the
/// value `raw`, `fits[i]` saying how variant `i` fits an object. For an
/// object, variants that know all of its properties come first, then
/// those that know most (a variant of any object counting as knowing
/// all), so that a response is not read as a variant that would drop its
/// fields; variants that are never objects are left out, as they could
/// not fit. Other values try every variant in order.
pub fn raw_variant_order(raw: &Raw<'_>, fits: &[Fit]) -> Vec<usize> {
    if !raw.get().starts_with('{') {
        return (0..fits.len()).collect();
    }
    let mut order: Vec<usize> = (0..fits.len()).filter(|i| !matches!(fits[*i], Fit::NotObject)).collect();
    // The keys are scanned only when they can change the order.
    if order.len() < 2 || !order.iter().any(|i| matches!(fits[*i], Fit::Fields(_))) {
        return order;
    }
    let mut keys: Vec<Cow<'_, str>> = Vec::new();
    scan_keys(raw.get(), |k, _| keys.push(k));
    order_by_keys(&mut order, keys, fits);
    order
}

/// [`raw_variant_order`] for a union whose variants each allow one value
/// of the property `key` (`values`, by variant: a log stream's `type` is
/// `"http"` in one, `"datadog"` in another; `None` where a variant has no
/// such property): when the object's `key` is a string, the variants
/// allowing that value are tried first, then those without the property,
/// then the others, each group in the order of the fields. Every variant
/// is still tried, so a variant that fits though its value is another
/// (an unknown enum value is kept) is read as before.
pub fn raw_variant_order_by(raw: &Raw<'_>, fits: &[Fit], key: &str, values: &[Option<&str>]) -> Vec<usize> {
    let mut order = raw_variant_order(raw, fits);
    if let Some(value) = raw_tag(raw, key) {
        order.sort_by_key(|i| match values.get(*i).copied().flatten() {
            Some(v) if v == value => 0,
            None => 1,
            Some(_) => 2,
        });
    }
    order
}

/// Decodes a union variant from the union's text, if it fits.
/// Unions below it are read in two passes: a failure here is no error
/// but the next variant's turn ([`one_pass`](super::one_pass)).
pub fn try_raw<T: DeserializeOwned>(raw: &Raw<'_>) -> Option<T> {
    super::one_pass::with(false, || serde_json::from_str(raw.get()).ok())
}

#[cfg(test)]
mod tests;
