//! Unit tests of `structs.rs` (not copied into generated crates).

use std::collections::BTreeMap;

use serde_json::json;

#[derive(Debug, PartialEq)]
struct Inner {
    n: i64,
}
serde_struct!(Inner { n: "n" req Option<i64> = 0 });

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
    name: "name" req Option<String> = 0,
    tag: "tag" opt Option<String> = 1,
    owner: "owner" opt_null Option<Option<String>> = 2,
    inner: "inner" opt Option<Inner> = 3,
    type_: "type" opt Option<String> = 4,
    vet: "vet" req_null Option<String> = 5,
});

#[derive(Debug, PartialEq)]
struct Open {
    id: Option<i64>,
    additional_properties: BTreeMap<String, serde_json::Value>,
}
serde_struct!(Open { id: "id" opt Option<i64> = 0 } additional_properties);

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
    m: "m" req Option<i64> = 0,
    k: "k" opt Option<i64> = 1,
    key: "key" opt Option<i64> = 2,
    len: "len" opt_null Option<Option<i64>> = 3,
    s: "s" req_null Option<i64> = 4,
    d: "d" req Option<i64> = 5,
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
    // The same from text, the path a response takes.
    let p: Pet = serde_json::from_str(r#"{"name": "rex", "tag": null, "owner": null, "vet": "v"}"#).unwrap();
    assert_eq!((p.tag, p.owner, p.vet.as_deref()), (None, Some(None), Some("v")));
    let p: Pet = serde_json::from_str(r#"{"name": "rex", "tag": "t", "owner": "ann", "vet": null}"#).unwrap();
    assert_eq!((p.tag.as_deref(), p.owner, p.vet), (Some("t"), Some(Some("ann".to_string())), None));
    let e = serde_json::from_str::<Pet>(r#"{"name": "rex", "tag": 5}"#).unwrap_err().to_string();
    assert!(e.contains("invalid type: integer `5`, expected a string"), "{e}");
    let e = serde_json::from_str::<Pet>(r#"{"name": "rex", "owner": [1]}"#).unwrap_err().to_string();
    assert!(e.contains("invalid type: sequence, expected a string"), "{e}");
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

#[test]
fn names_compare_as_slices_do() {
    // Every length up to past the in-line cases, each byte changed in turn.
    let base: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
    for n in 0..=base.len() {
        let a = &base[..n];
        assert!(super::same_bytes(a, &base[..n]), "{n}");
        assert!(n == 0 || !super::same_bytes(a, &base[..n - 1]), "{n}: a shorter name");
        for at in 0..n {
            let mut b = a.to_vec();
            b[at] ^= 0x20;
            assert!(!super::same_bytes(a, &b), "{n}: byte {at}");
        }
    }
}

#[test]
fn every_key_is_found_in_the_table() {
    use super::{key_table, FieldKey, VisitStruct};
    // Twice the fields, rounded up to a power of two; every field once.
    let table = <Pet as VisitStruct>::TABLE;
    assert_eq!(table.len(), 16);
    let mut seen: Vec<u16> = table.iter().copied().filter(|&i| i != u16::MAX).collect();
    seen.sort_unstable();
    assert_eq!(seen, [0, 1, 2, 3, 4, 5]);
    assert_eq!(<Empty as VisitStruct>::TABLE, [u16::MAX]);
    // Names sharing length, first, middle and last byte collide and are
    // told apart by the probe; the empty name is a name too.
    const FIELDS: &[&str] = &["bb", "a", "ccc", "ab", "b", "", "cc", "abcd", "axxd", "ayyd", "abcdefgh", "abxdefgh"];
    const TABLE: &[u16] = &key_table::<32>(FIELDS);
    let key = FieldKey { fields: FIELDS, table: TABLE };
    for (i, name) in FIELDS.iter().enumerate() {
        assert_eq!(key.field(name), Some(i as u16), "{name}");
    }
    for other in ["c", "ba", "abc", "abcde", "bbb", "aa", "azzd", "abydefgh", "abcdefg"] {
        assert!(key.field(other).is_none(), "{other}");
    }
    let empty = FieldKey { fields: &[], table: &[u16::MAX] };
    assert!(empty.field("a").is_none() && empty.field("").is_none());
    // Through a whole struct, keys in any order and unknown ones between.
    let v =
        pet(json!({"vet": "v", "zzz": 1, "type": "cat", "name": "Rex", "inner": {"n": 2}, "tag": "t", "owner": null}));
    let v = v.unwrap();
    assert_eq!((v.name.as_str(), v.vet.as_deref(), v.type_.as_deref()), ("Rex", Some("v"), Some("cat")));
    assert_eq!((v.tag.as_deref(), v.owner, v.inner), (Some("t"), Some(None), Some(Inner { n: 2 })));
}
