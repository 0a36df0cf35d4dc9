//! The property that tells an untagged union's variants apart without a
//! discriminator: one that each variant having it allows a single string
//! value of, a different value in each (Auth0's log streams' `type`,
//! `"http"` in one variant and `"datadog"` in another). The two-pass read
//! then tries first the variant the object's value names (the runtime's
//! `raw_variant_order_by`), and the others after it, as before.

use crate::ir::{Api, Struct, Ty, TypeKind, Union};

/// The property and each variant's one value of it (`None`: the variant
/// has no such property), when at least two variants have it, each with
/// its own value; of several, the one most variants have, then the first.
pub(super) fn one_value_key<'a>(api: &'a Api, u: &'a Union) -> Option<(&'a str, Vec<Option<&'a str>>)> {
    let per_variant: Vec<Vec<(&str, &str)>> = u.variants.iter().map(|v| one_value_fields(api, &v.ty)).collect();
    let mut keys: Vec<&str> = Vec::new();
    for (k, _) in per_variant.iter().flatten() {
        if !keys.contains(k) {
            keys.push(k);
        }
    }
    let mut best: Option<(&str, Vec<Option<&str>>, usize)> = None;
    for k in keys {
        let values: Vec<Option<&str>> =
            per_variant.iter().map(|fs| fs.iter().find(|(f, _)| *f == k).map(|(_, v)| *v)).collect();
        let mut present: Vec<&str> = values.iter().flatten().copied().collect();
        let n = present.len();
        present.sort_unstable();
        present.dedup();
        if n < 2 || present.len() != n {
            continue;
        }
        if best.as_ref().is_none_or(|(_, _, most)| n > *most) {
            best = Some((k, values, n));
        }
    }
    best.map(|(k, values, _)| (k, values))
}

/// The fields of a struct variant whose type allows one string value:
/// their wire names and that value.
fn one_value_fields<'a>(api: &'a Api, ty: &'a Ty) -> Vec<(&'a str, &'a str)> {
    let Some(st) = struct_of(api, ty) else { return Vec::new() };
    st.fields
        .iter()
        .filter(|f| !f.boxed)
        .filter_map(|f| {
            let (_, v) = api.single_value(&f.ty).filter(|(_, v)| v.int.is_none())?;
            Some((f.name.wire.as_str(), v.name.wire.as_str()))
        })
        .collect()
}

/// The struct a type expression names, through aliases.
fn struct_of<'a>(api: &'a Api, ty: &'a Ty) -> Option<&'a Struct> {
    let Ty::Named(id) = crate::rust_ty::resolve(api, ty) else { return None };
    match api.definition(*id) {
        TypeKind::Struct(st) => Some(st),
        _ => None,
    }
}
