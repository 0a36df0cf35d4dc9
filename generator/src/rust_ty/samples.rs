//! Sample values of a type expression, for the examples in rustdoc and
//! `examples/`: a JSON value with the required fields filled in, and the
//! Rust expression that builds one through the generated constructors.

use super::{format, input, Convert, Input};
use crate::ir::{Api, Presence, Ty, TypeKind};

pub(super) fn sample_json(api: &Api, ty: &Ty, depth: usize) -> String {
    match ty {
        Ty::Named(id) if depth < 4 => match &api.types[id.0].kind {
            TypeKind::Struct(st) => {
                let fields: Vec<String> = st
                    .fields
                    .iter()
                    .filter(|f| f.presence == Presence::Required)
                    .map(|f| {
                        format!(
                            "{}: {}",
                            serde_json::Value::from(f.name.wire.as_str()),
                            sample_json(api, &f.ty, depth + 1)
                        )
                    })
                    .collect();
                format!("{{{}}}", fields.join(", "))
            }
            TypeKind::Enum(e) => match e.variants.first() {
                Some(v) if e.is_integer() => v.name.wire.clone(),
                Some(v) => serde_json::Value::from(v.name.wire.as_str()).to_string(),
                None => "null".into(),
            },
            TypeKind::Alias(t) => sample_json(api, t, depth + 1),
            TypeKind::SameShape(id) => sample_json(api, &Ty::Named(*id), depth + 1),
            TypeKind::Union(u) => u.variants.first().map_or("null".into(), |v| sample_json(api, &v.ty, depth + 1)),
        },
        Ty::Bool => "false".into(),
        Ty::Int(i) => i.min.unwrap_or(0).to_string(),
        Ty::Float(_) => "0.0".into(),
        Ty::Array(a) => match a.min_items {
            Some(_) => format!("[{}]", sample_json(api, &a.item, depth + 1)),
            None => "[]".into(),
        },
        Ty::Map(_) | Ty::Json => "{}".into(),
        Ty::Named(_) | Ty::Str(_) | Ty::Format(_) | Ty::Base64 | Ty::Binary | Ty::Option(_) => "\"example\"".into(),
    }
}

/// Through the generated constructors (`?` after a fallible one); `None`
/// for a pattern-free value without a simple sample (a union of lists).
pub(super) fn sample_rust(api: &Api, ty: &Ty, krate: &str, depth: usize) -> Option<String> {
    match ty {
        Ty::Named(id) if depth < 4 => {
            let def = &api.types[id.0];
            let name = &def.name.rust;
            match &def.kind {
                TypeKind::Enum(e) => e.variants.first().map(|v| format!("types::{name}::{}", v.name.rust)),
                TypeKind::Alias(t) => sample_rust(api, t, krate, depth + 1),
                TypeKind::SameShape(rep) => sample_rust(api, &Ty::Named(*rep), krate, depth + 1),
                TypeKind::Struct(st) => {
                    if !st.fields.iter().any(|f| f.presence == Presence::Required) {
                        return Some(format!("types::{name}::default()"));
                    }
                    let mut args = Vec::new();
                    let mut fallible = false;
                    for f in st.fields.iter().filter(|f| api.takes_in_new(f.presence, &f.ty)) {
                        fallible |= input(api, &f.ty).is_checked();
                        args.push(sample_rust(api, &f.ty, krate, depth + 1)?);
                    }
                    let q = if fallible { "?" } else { "" };
                    Some(format!("types::{name}::new({}){q}", args.join(", ")))
                }
                TypeKind::Union(u) => u.variants.iter().find_map(|v| {
                    let inner = sample_rust(api, &v.ty, krate, depth + 1)?;
                    // A variant holds the value itself, not what setters take.
                    let plain = !matches!(input(api, &v.ty), Input::Checked { .. } | Input::Items(_));
                    let inner = if v.boxed { format!("Box::new({inner})") } else { inner };
                    (plain && !inner.starts_with('[') && !inner.starts_with('"'))
                        .then(|| format!("types::{name}::{}({inner})", v.rust))
                }),
            }
        }
        Ty::Named(_) => None,
        Ty::Bool => Some("false".into()),
        Ty::Int(i) => Some(i.min.unwrap_or(0).max(0).to_string()),
        Ty::Float(f) => {
            let v = f.min.map_or(0.0, |m| if f.exclusive_min { m + 1.0 } else { m });
            Some(format!("{v:?}"))
        }
        // A placeholder of an allowed length (a pattern may still refuse it:
        // examples are compiled, not run).
        Ty::Str(s) => {
            let n = s.max_len.map_or(7, |m| m.min(7)).max(s.min_len.unwrap_or(0)).min(64) as usize;
            Some(format!("{:?}", "example".repeat(n.div_ceil(7).max(1))[..n].to_string()))
        }
        Ty::Format(f) => Some(format(*f).sample_rust(krate)),
        // One item: an empty array literal would leave its type unknown.
        Ty::Array(a) => sample_rust(api, &a.item, krate, depth + 1).map(|x| format!("[{x}]")),
        Ty::Base64 => Some("b\"example\".to_vec()".into()),
        Ty::Binary => Some(format!("{krate}::runtime::FilePart::new(b\"example\".to_vec())")),
        Ty::Json => Some("serde_json::json!({})".into()),
        Ty::Map(v) if matches!(**v, Ty::Json) => Some("serde_json::json!({})".into()),
        // Pairs of strings, for a map of constrained strings: a map of the
        // plain values, whose type an empty map must name.
        Ty::Map(_) => Some(match input(api, ty) {
            Input::Checked { convert: Convert::EachValue { optional: true, .. }, .. } => {
                "std::collections::BTreeMap::<String, Option<String>>::new()".into()
            }
            Input::Checked { convert: Convert::EachValue { .. }, .. } => {
                "std::collections::BTreeMap::<String, String>::new()".into()
            }
            _ => "std::collections::BTreeMap::new()".into(),
        }),
        Ty::Option(_) => Some("None".into()),
    }
}
