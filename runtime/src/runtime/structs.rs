//! `Serialize` and `Deserialize` of generated structs, written once here
//! instead of derived per type (used by generated code through
//! `serde_struct!`; not an API of its own).
//!
//! serde's derives write, for every struct, a field enum, three key
//! visitors, a sequence visitor, a map visitor and a `serialize` with a
//! branch per field: about 40 lines of code to type-check per field, which
//! made up most of a large client's build time. `serde_struct!` takes a
//! table of fields and writes one `let`, one `match` arm, one initializer
//! and one `serialize` call per field; key decoding and the rest live here.
//!
//! A field's kind says how it is read and written:
//!
//! | kind | Rust type | absent | `null` | written |
//! |---|---|---|---|---|
//! | `req` | `T` | error | error (unless `T` takes it) | always |
//! | `req_null` | `Option<T>` | `None` | `None` | always (`None` as `null`) |
//! | `opt` | `Option<T>` | `None` | `None` | when `Some` |
//! | `opt_null` | `Option<Option<T>>` | `None` | `Some(None)` | when `Some` |
//!
//! Unknown keys are skipped, or kept in `additional_properties` when the
//! schema allows them (written after the named fields). A repeated key keeps
//! its last value, as JSON parsers in browsers do. Values are written as a
//! map, which is what a JSON object is.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Error, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize};

/// Decodes a map key of a struct with the field names `fields`.
///
/// Gives `None` for a key that is not a field when `keep_unknown` is false,
/// so skipped keys cost no allocation.
#[derive(Clone, Copy)]
pub struct FieldKey {
    pub fields: &'static [&'static str],
    pub keep_unknown: bool,
}

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = Option<Cow<'de, str>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl FieldKey {
    /// A key that is not borrowed from the input: the field's own name, a
    /// copy when unknown keys are kept, else `None`.
    fn lookup<'de>(self, key: &str) -> Option<Cow<'de, str>> {
        match self.fields.iter().find(|f| **f == key) {
            Some(f) => Some(Cow::Borrowed(f)),
            None if self.keep_unknown => Some(Cow::Owned(key.to_owned())),
            None => None,
        }
    }
}

impl<'de> Visitor<'de> for FieldKey {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.lookup(v))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }

    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(self.lookup(&String::from_utf8_lossy(v)))
    }
}

/// Reads a map value into an `Option` slot as `Some`.
pub fn put_some<'de, A: MapAccess<'de>, T: Deserialize<'de>>(m: &mut A, slot: &mut Option<T>) -> Result<(), A::Error> {
    *slot = Some(m.next_value()?);
    Ok(())
}

/// Reads a map value into a slot (an `Option` field, `null` being `None`).
pub fn put<'de, A: MapAccess<'de>, T: Deserialize<'de>>(m: &mut A, slot: &mut T) -> Result<(), A::Error> {
    *slot = m.next_value()?;
    Ok(())
}

/// Skips a map value.
pub fn skip<'de, A: MapAccess<'de>>(m: &mut A) -> Result<(), A::Error> {
    m.next_value::<serde::de::IgnoredAny>().map(|_| ())
}

/// The value of a required field, or serde's "missing field" error.
pub fn required<T, E: Error>(value: Option<T>, key: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(key))
}

/// Writes a field that is always sent.
pub fn write<M: SerializeMap, T: Serialize + ?Sized>(m: &mut M, key: &'static str, value: &T) -> Result<(), M::Error> {
    m.serialize_entry(key, value)
}

/// Writes an optional field when it is `Some`.
pub fn write_some<M: SerializeMap, T: Serialize>(
    m: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(v) => m.serialize_entry(key, v),
        None => Ok(()),
    }
}

/// How many entries an optional field writes: 1 when it is `Some`.
pub fn count<T>(value: &Option<T>) -> usize {
    usize::from(value.is_some())
}

/// Implements `Serialize` and `Deserialize` for a generated struct.
///
/// `serde_struct!(Name { field: "wire" kind, .. } additional_properties)`:
/// each field with its wire name and kind (see the module docs), then the
/// map of unknown properties if the struct has one.
#[doc(hidden)]
#[allow(unused_macros)]
#[macro_export] // @crate
macro_rules! serde_struct {
    ($name:ident { $($field:ident: $key:literal $kind:ident),* $(,)? } $($extra:ident)?) => {
        impl serde::Serialize for $name {
            #[allow(unused_mut)]
            fn serialize<__S: serde::Serializer>(&self, s: __S) -> Result<__S::Ok, __S::Error> {
                use serde::ser::SerializeMap;
                let __len = 0 $(+ $crate::runtime::serde_struct!(@count $kind self.$field))* $(+ self.$extra.len())?;
                let mut __m = s.serialize_map(Some(__len))?;
                $($crate::runtime::serde_struct!(@write $kind __m $key self.$field)?;)*
                $(for (__k, __v) in &self.$extra {
                    __m.serialize_entry(__k, __v)?;
                })?
                __m.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(d: __D) -> Result<Self, __D::Error> {
                const __FIELDS: &[&str] = &[$($key),*];
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    #[allow(unused_mut)]
                    fn visit_map<__A: serde::de::MapAccess<'de>>(self, mut m: __A) -> Result<$name, __A::Error> {
                        let __key = $crate::runtime::__private::FieldKey {
                            fields: __FIELDS,
                            keep_unknown: $crate::runtime::serde_struct!(@keep $($extra)?),
                        };
                        $(let mut $field = None;)*
                        $(let mut $extra = std::collections::BTreeMap::new();)?
                        while let Some(__k) = m.next_key_seed(__key)? {
                            match __k.as_deref() {
                                $(Some($key) => $crate::runtime::serde_struct!(@read $kind $field m),)*
                                _ => $crate::runtime::serde_struct!(@other m __k $($extra)?),
                            }?;
                        }
                        Ok($name {
                            $($field: $crate::runtime::serde_struct!(@build $kind $field $key),)*
                            $($extra)?
                        })
                    }
                }
                d.deserialize_struct(stringify!($name), __FIELDS, __Visitor)
            }
        }
    };
    (@count req $v:expr) => { 1 };
    (@count req_null $v:expr) => { 1 };
    (@count $kind:ident $v:expr) => { $crate::runtime::__private::count(&$v) };
    (@write req $m:ident $key:literal $v:expr) => { $crate::runtime::__private::write(&mut $m, $key, &$v) };
    (@write req_null $m:ident $key:literal $v:expr) => { $crate::runtime::__private::write(&mut $m, $key, &$v) };
    (@write $kind:ident $m:ident $key:literal $v:expr) => { $crate::runtime::__private::write_some(&mut $m, $key, &$v) };
    (@keep) => { false };
    (@keep $extra:ident) => { true };
    (@read req $f:ident $m:ident) => { $crate::runtime::__private::put_some(&mut $m, &mut $f) };
    (@read opt_null $f:ident $m:ident) => { $crate::runtime::__private::put_some(&mut $m, &mut $f) };
    (@read $kind:ident $f:ident $m:ident) => { $crate::runtime::__private::put(&mut $m, &mut $f) };
    (@build req $f:ident $key:literal) => { $crate::runtime::__private::required($f, $key)? };
    (@build $kind:ident $f:ident $key:literal) => { $f };
    (@other $m:ident $k:ident) => { $crate::runtime::__private::skip(&mut $m) };
    (@other $m:ident $k:ident $extra:ident) => {{
        match $k {
            Some(__k) => $m.next_value().map(|__v| {
                $extra.insert(__k.into_owned(), __v);
            }),
            None => $crate::runtime::__private::skip(&mut $m),
        }
    }};
}
// @embedded #[allow(unused_imports)]
// @embedded pub(crate) use serde_struct;

#[cfg(test)]
mod tests;
