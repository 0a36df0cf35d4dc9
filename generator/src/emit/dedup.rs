//! Finding named types that would generate the same code.
//!
//! Real specs repeat shapes under many names (Auth0 has a
//! `...ResponseContent` per endpoint that is often field for field another
//! endpoint's). Each copy costs its derives and serde impls at every build
//! of the client, so a type whose shape equals an earlier type's is emitted
//! as `pub type Name = Earlier;`: callers still name, construct (`new`,
//! struct literals) and match it as before.
//!
//! Two structs, enums or unions are the same shape when everything emitted
//! for them is equal except the type's own name and docs: field names, wire
//! names, docs, defaults, constraints, and referenced types up to this same
//! equivalence. Types are visited in dependency order (Kahn's algorithm over
//! "refers to" edges), so a type is compared only after the types it refers
//! to have their representative; types on a reference cycle, and types that
//! refer to them, keep their own code. One pass, linear apart from the
//! sorted map of shapes.

use std::collections::BTreeMap;

use crate::ir::{Api, Ty, TypeKind};
use crate::ir_visit::{walk, walk_mut};
use crate::pointer::Pointer;

/// For each type, the index of an earlier type of the same shape to alias,
/// or `None` when the type is emitted in full.
pub(crate) fn same_shapes(api: &Api) -> Vec<Option<usize>> {
    let n = api.types.len();
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (idx, def) in api.types.iter().enumerate() {
        let mut refs = Vec::new();
        let mut add = |ty: &Ty| {
            walk(ty, &mut |t| {
                if let Ty::Named(id) = t {
                    refs.push(id.0);
                }
            })
        };
        match &def.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|f| add(&f.ty));
                s.additional.iter().for_each(&mut add);
            }
            TypeKind::Union(u) => u.variants.iter().for_each(|v| add(&v.ty)),
            TypeKind::Alias(Ty::Named(id)) => refs.push(id.0),
            TypeKind::Alias(_) | TypeKind::Enum(_) => {}
        }
        refs.sort_unstable();
        refs.dedup();
        for &r in &refs {
            users[r].push(idx);
        }
        deps[idx] = refs;
    }

    // `class[i]`: the representative of `i`'s shape (itself when unique).
    let mut class: Vec<usize> = (0..n).collect();
    let mut pending: Vec<usize> = deps.iter().map(Vec::len).collect();
    // Ready types in index order, so the representative of a shape is the
    // first of its types by Rust name.
    let mut ready: std::collections::BTreeSet<usize> = (0..n).filter(|&i| pending[i] == 0).collect();
    let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
    while let Some(idx) = ready.pop_first() {
        let def = &api.types[idx];
        class[idx] = match &def.kind {
            TypeKind::Alias(Ty::Named(id)) => class[id.0],
            TypeKind::Alias(_) => idx,
            kind => *shapes.entry(shape_key(kind, &class)).or_insert(idx),
        };
        for &u in &users[idx] {
            pending[u] -= 1;
            if pending[u] == 0 {
                ready.insert(u);
            }
        }
    }

    api.types
        .iter()
        .enumerate()
        .map(|(idx, def)| match def.kind {
            TypeKind::Alias(_) => None,
            _ => Some(class[idx]).filter(|&c| c != idx),
        })
        .collect()
}

/// Everything emitted for a type but its name, docs and spec locations,
/// with referenced types replaced by their representatives.
fn shape_key(kind: &TypeKind, class: &[usize]) -> String {
    let mut kind = kind.clone();
    let canon = |ty: &mut Ty| {
        walk_mut(ty, &mut |t| {
            if let Ty::Named(id) = t {
                id.0 = class[id.0];
            }
        })
    };
    match &mut kind {
        TypeKind::Struct(s) => {
            for f in &mut s.fields {
                f.pointer = Pointer::default();
                canon(&mut f.ty);
            }
            if let Some(a) = &mut s.additional {
                canon(a);
            }
        }
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| canon(&mut v.ty)),
        TypeKind::Enum(_) | TypeKind::Alias(_) => {}
    }
    format!("{kind:?}")
}
