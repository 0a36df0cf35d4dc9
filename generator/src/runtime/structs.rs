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
#[allow(unused_macros)]
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
                        let __key = $crate::runtime::structs::FieldKey {
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
    (@count $kind:ident $v:expr) => { $crate::runtime::structs::count(&$v) };
    (@write req $m:ident $key:literal $v:expr) => { $crate::runtime::structs::write(&mut $m, $key, &$v) };
    (@write req_null $m:ident $key:literal $v:expr) => { $crate::runtime::structs::write(&mut $m, $key, &$v) };
    (@write $kind:ident $m:ident $key:literal $v:expr) => { $crate::runtime::structs::write_some(&mut $m, $key, &$v) };
    (@keep) => { false };
    (@keep $extra:ident) => { true };
    (@read req $f:ident $m:ident) => { $crate::runtime::structs::put_some(&mut $m, &mut $f) };
    (@read opt_null $f:ident $m:ident) => { $crate::runtime::structs::put_some(&mut $m, &mut $f) };
    (@read $kind:ident $f:ident $m:ident) => { $crate::runtime::structs::put(&mut $m, &mut $f) };
    (@build req $f:ident $key:literal) => { $crate::runtime::structs::required($f, $key)? };
    (@build $kind:ident $f:ident $key:literal) => { $f };
    (@other $m:ident $k:ident) => { $crate::runtime::structs::skip(&mut $m) };
    (@other $m:ident $k:ident $extra:ident) => {{
        match $k {
            Some(__k) => $m.next_value().map(|__v| {
                $extra.insert(__k.into_owned(), __v);
            }),
            None => $crate::runtime::structs::skip(&mut $m),
        }
    }};
}

#[allow(unused_imports)]
pub(crate) use serde_struct;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Inner {
        n: i64,
    }
    serde_struct!(Inner { n: "n" req });

    #[derive(Debug, PartialEq)]
    struct Pet {
        name: String,
        tag: Option<String>,
        owner: Option<Option<String>>,
        inner: Option<Inner>,
        type_: Option<String>,
        vet: Option<String>,
    }
    serde_struct!(Pet {
        name: "name" req,
        tag: "tag" opt,
        owner: "owner" opt_null,
        inner: "inner" opt,
        type_: "type" opt,
        vet: "vet" req_null,
    });

    #[derive(Debug, PartialEq)]
    struct Open {
        id: Option<i64>,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }
    serde_struct!(Open { id: "id" opt } additional_properties);

    #[derive(Debug, PartialEq)]
    struct Empty {}
    serde_struct!(Empty {});

    /// Fields named like the macro's own locals.
    #[derive(Debug, PartialEq)]
    struct Locals {
        m: i64,
        k: Option<i64>,
        key: Option<i64>,
        len: Option<Option<i64>>,
        s: Option<i64>,
        d: i64,
    }
    serde_struct!(Locals {
        m: "m" req,
        k: "k" opt,
        key: "key" opt,
        len: "len" opt_null,
        s: "s" req_null,
        d: "d" req,
    });

    #[test]
    fn field_names_do_not_clash_with_the_macro() {
        let text = r#"{"m":1,"k":2,"key":3,"len":null,"s":5,"d":6}"#;
        let v: Locals = serde_json::from_str(text).unwrap();
        assert_eq!(v, Locals { m: 1, k: Some(2), key: Some(3), len: Some(None), s: Some(5), d: 6 });
        assert_eq!(serde_json::to_string(&v).unwrap(), text);
    }

    fn pet(v: serde_json::Value) -> Result<Pet, serde_json::Error> {
        serde_json::from_value(v)
    }

    #[test]
    fn required_optional_and_nullable_fields() {
        let p = pet(json!({"name": "rex"})).unwrap();
        assert_eq!(p, Pet { name: "rex".into(), tag: None, owner: None, inner: None, type_: None, vet: None });
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
    fn writes_what_each_kind_says() {
        let mut p = pet(json!({"name": "rex"})).unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"name":"rex","vet":null}"#);
        p.owner = Some(None);
        p.tag = Some("a\"b".into());
        p.inner = Some(Inner { n: 7 });
        p.type_ = Some("dog".into());
        p.vet = Some("ann".into());
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(text, r#"{"name":"rex","tag":"a\"b","owner":null,"inner":{"n":7},"type":"dog","vet":"ann"}"#);
        assert_eq!(pet(serde_json::from_str(&text).unwrap()).unwrap(), p, "round trip");
        p.owner = Some(Some("bo".into()));
        assert_eq!(serde_json::to_value(&p).unwrap()["owner"], json!("bo"));
        let o = Open { id: Some(1), additional_properties: BTreeMap::from([("z".into(), json!([1]))]) };
        assert_eq!(serde_json::to_string(&o).unwrap(), r#"{"id":1,"z":[1]}"#);
        assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
        let pretty = serde_json::to_string_pretty(&Open { id: None, additional_properties: BTreeMap::new() }).unwrap();
        assert_eq!(pretty, "{}");
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
