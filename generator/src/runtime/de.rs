//! Decoding of generated structs, shared instead of derived per type (used
//! by generated code through `de_struct!`; not an API of its own).
//!
//! `#[derive(Deserialize)]` writes a field enum, three key visitors, a
//! sequence visitor and a map visitor for every struct: about 35 lines of
//! code to type-check per field, which made up half of a large client's
//! build time. Generated structs call [`de_struct!`](crate::runtime::de_struct)
//! instead: one `let`, one `match` arm and one initializer per field, with
//! key decoding done once here.
//!
//! Behaviour, as serde's derive with `#[serde(default)]` fields:
//! - unknown keys are skipped (or kept in `additional_properties` when the
//!   schema allows them);
//! - a missing required field is an error, a missing optional one `None`;
//! - `null` for an optional field is `None`, and `Some(None)` for a field
//!   that is both optional and nullable (`Option<Option<T>>`);
//! - a repeated key keeps its last value, as JSON parsers in browsers do.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Error, Visitor};
use serde::Deserializer;

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
    fn owned<'de>(self, key: &str) -> Option<Cow<'de, str>> {
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
        Ok(self.owned(v))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }

    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(self.owned(&String::from_utf8_lossy(v)))
    }
}

/// The value of a required field, or serde's "missing field" error.
pub fn required<T, E: Error>(value: Option<T>, key: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(key))
}

/// Implements `Deserialize` for a generated struct.
///
/// `de_struct!(Name { field: "wire" kind, .. } additional_properties)`: each
/// field with its wire name and kind (`req`uired, `opt`ional, or `nul`:
/// optional and nullable, `Option<Option<T>>`), then the map of unknown
/// properties if the struct has one.
#[allow(unused_macros)]
macro_rules! de_struct {
    ($name:ident { $($field:ident: $key:literal $kind:ident),* $(,)? } $($extra:ident)?) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const __FIELDS: &[&str] = &[$($key),*];
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    #[allow(unused_mut)]
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<$name, A::Error> {
                        let key = $crate::runtime::de::FieldKey {
                            fields: __FIELDS,
                            keep_unknown: $crate::runtime::de_struct!(@keep $($extra)?),
                        };
                        $(let mut $field = None;)*
                        $(let mut $extra = std::collections::BTreeMap::new();)?
                        while let Some(k) = m.next_key_seed(key)? {
                            match k.as_deref() {
                                $(Some($key) => $crate::runtime::de_struct!(@read $kind $field m),)*
                                _ => $crate::runtime::de_struct!(@other m k $($extra)?),
                            }
                        }
                        Ok($name {
                            $($field: $crate::runtime::de_struct!(@build $kind $field $key),)*
                            $($extra)?
                        })
                    }
                }
                d.deserialize_struct(stringify!($name), __FIELDS, __Visitor)
            }
        }
    };
    (@keep) => { false };
    (@keep $extra:ident) => { true };
    (@read req $f:ident $m:ident) => { $f = Some($m.next_value()?) };
    (@read nul $f:ident $m:ident) => { $f = Some($m.next_value()?) };
    (@read opt $f:ident $m:ident) => { $f = $m.next_value()? };
    (@build req $f:ident $key:literal) => { $crate::runtime::de::required($f, $key)? };
    (@build nul $f:ident $key:literal) => { $f };
    (@build opt $f:ident $key:literal) => { $f };
    (@other $m:ident $k:ident) => {{
        $m.next_value::<serde::de::IgnoredAny>()?;
    }};
    (@other $m:ident $k:ident $extra:ident) => {{
        match $k {
            Some(k) => {
                $extra.insert(k.into_owned(), $m.next_value()?);
            }
            None => {
                $m.next_value::<serde::de::IgnoredAny>()?;
            }
        }
    }};
}

#[allow(unused_imports)]
pub(crate) use de_struct;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Inner {
        n: i64,
    }
    de_struct!(Inner { n: "n" req });

    #[derive(Debug, PartialEq)]
    struct Pet {
        name: String,
        tag: Option<String>,
        owner: Option<Option<String>>,
        inner: Option<Inner>,
        type_: Option<String>,
    }
    de_struct!(Pet {
        name: "name" req,
        tag: "tag" opt,
        owner: "owner" nul,
        inner: "inner" opt,
        type_: "type" opt,
    });

    #[derive(Debug, PartialEq)]
    struct Open {
        id: Option<i64>,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }
    de_struct!(Open { id: "id" opt } additional_properties);

    #[derive(Debug, PartialEq)]
    struct Empty {}
    de_struct!(Empty {});

    fn pet(v: serde_json::Value) -> Result<Pet, serde_json::Error> {
        serde_json::from_value(v)
    }

    #[test]
    fn required_optional_and_nullable_fields() {
        let p = pet(json!({"name": "rex"})).unwrap();
        assert_eq!(p, Pet { name: "rex".into(), tag: None, owner: None, inner: None, type_: None });
        let p = pet(json!({"name": "rex", "tag": null, "owner": null, "type": "dog"})).unwrap();
        assert_eq!((p.tag, p.owner, p.type_.as_deref()), (None, Some(None), Some("dog")));
        let p = pet(json!({"name": "rex", "owner": "ann"})).unwrap();
        assert_eq!(p.owner, Some(Some("ann".to_string())));
        let e = pet(json!({"tag": "x"})).unwrap_err().to_string();
        assert_eq!(e, "missing field `name`");
        let e = pet(json!({"name": null})).unwrap_err().to_string();
        assert!(e.contains("invalid type: null, expected a string"), "{e}");
    }

    #[test]
    fn unknown_keys_are_skipped_or_kept() {
        let p = pet(json!({"name": "rex", "color": {"deep": [1, 2]}})).unwrap();
        assert_eq!(p.name, "rex");
        let o: Open = serde_json::from_value(json!({"id": 1, "x": [true], "y": null})).unwrap();
        assert_eq!(o.id, Some(1));
        assert_eq!(o.additional_properties, BTreeMap::from([("x".into(), json!([true])), ("y".into(), json!(null))]));
        let e: Empty = serde_json::from_str(r#"{"a": 1}"#).unwrap();
        assert_eq!(e, Empty {});
    }

    #[test]
    fn escaped_keys_from_text_and_bytes() {
        // `\u006e` is `n`: the key is decoded into a new string, not borrowed.
        let text = r#"{"\u006eame": "rex", "na\u006De": "max", "\u0074ype": "cat", "ext\u0072a": 1}"#;
        let p: Pet = serde_json::from_str(text).unwrap();
        assert_eq!((p.name.as_str(), p.type_.as_deref()), ("max", Some("cat")), "the last repeated key wins");
        let p: Pet = serde_json::from_reader(text.as_bytes()).unwrap();
        assert_eq!(p.name, "max");
        let o: Open = serde_json::from_reader(r#"{"\u0078": 2, "id": 3}"#.as_bytes()).unwrap();
        assert_eq!((o.id, o.additional_properties.get("x")), (Some(3), Some(&json!(2))));
    }

    #[test]
    fn errors_name_the_field_path() {
        let text = br#"{"name": "rex", "inner": {"n": "seven"}}"#;
        let mut de = serde_json::Deserializer::from_slice(text);
        let e = serde_path_to_error::deserialize::<_, Pet>(&mut de).unwrap_err();
        assert_eq!(e.path().to_string(), "inner.n");
        let e = serde_json::from_str::<Pet>(r#"["rex"]"#).unwrap_err().to_string();
        assert!(e.contains("invalid type: sequence, expected struct Pet"), "{e}");
        let e = serde_json::from_str::<Pet>(r#""rex""#).unwrap_err().to_string();
        assert!(e.contains("expected struct Pet"), "{e}");
    }
}
