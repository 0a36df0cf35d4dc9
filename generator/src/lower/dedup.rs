//! Deduplication: named types that would generate the same code become
//! [`TypeKind::SameShape`] aliases of the one type of their shape that keeps
//! the code.
//!
//! Real specs repeat shapes under many names (Auth0 has a
//! `...ResponseContent` per endpoint that is often field for field another
//! endpoint's). Each copy costs its derives and serde impls at every build
//! of the client, so each shape is emitted once and its other names become
//! `pub type Other = Name;`: callers still name, construct (`new`, struct
//! literals) and match them as before. It runs last in lowering, on the
//! sorted types, so that the IR (and spec-diff) says which names are one
//! type.
//!
//! The name that keeps the code says what the shape is ([`better_name`]):
//! a component schema that is no operation's wrapper (`Role`, not
//! `CreateRoleResponseContent`), then the name most type expressions use,
//! then the shortest, then the first by Rust name. Generated code writes a
//! shape by that name wherever the description used another
//! (`rust_ty::of`).
//!
//! Two structs, enums or unions are the same shape when everything emitted
//! for them is equal except the type's own name and docs: field names, wire
//! names, docs, defaults, constraints, and referenced types up to this same
//! equivalence. Types are visited in dependency order (Kahn's algorithm over
//! "refers to" edges), so a type is compared only after the types it refers
//! to have their representative. Types on a reference cycle keep their own
//! code (the first left waiting is taken as unique, which frees the rest),
//! which is safe: a unique type is never merged wrongly. One pass, linear
//! apart from the sorted maps.
//!
//! A named alias (`pub type UserId = String;`) is one Rust type with what it
//! names, so a field of type `UserId` is emitted the same as one of another
//! alias of `String`: aliases compare by the type expression they name, with
//! its constraints and pattern marker, and referenced types again by their
//! representatives. The aliases themselves keep their definitions (only
//! their users merge), and an alias left waiting on a cycle is the first
//! taken as unique, as every such alias was before aliases were compared,
//! so that comparing them never costs a merge of the types around them.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Ty, TypeId, TypeKind};
use crate::ir_visit::{for_each_ty, kind_tys_mut, named_refs, walk_mut};
use crate::naming;
use crate::pointer::Pointer;

/// Turns every type whose shape an earlier type has into a
/// [`TypeKind::SameShape`] of it. Types must be in their final order.
pub(crate) fn alias_same_shapes(api: &mut Api) {
    for (idx, rep) in same_shapes(api).into_iter().enumerate() {
        if let Some(rep) = rep {
            api.types[idx].kind = TypeKind::SameShape(TypeId(rep));
        }
    }
}

/// For each type, the index of an earlier type of the same shape to alias,
/// or `None` when the type keeps its own definition.
fn same_shapes(api: &Api) -> Vec<Option<usize>> {
    let n = api.types.len();
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (idx, def) in api.types.iter().enumerate() {
        let mut refs = named_refs(&def.kind);
        refs.sort_unstable();
        refs.dedup();
        for &r in &refs {
            users[r].push(idx);
        }
        deps[idx] = refs;
    }

    // `class[i]`: the representative of `i`'s shape (itself when unique).
    let mut class: Vec<usize> = (0..n).collect();
    let mut done = vec![false; n];
    let mut pending: Vec<usize> = deps.iter().map(Vec::len).collect();
    // Ready types in index order, so that a shape's class is the first of
    // its types by Rust name (which of them keeps the code is chosen after).
    let mut ready: BTreeSet<usize> = (0..n).filter(|&i| pending[i] == 0).collect();
    let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
    let mut next_stuck = 0;
    let mut next_stuck_alias = 0;
    loop {
        let idx = match ready.pop_first() {
            Some(idx) => idx,
            None => {
                // Only types on cycles (or waiting on one) are left: the
                // first alias of a type expression keeps its own class, else
                // the first type keeps its own code; either may free others.
                while next_stuck_alias < n
                    && (done[next_stuck_alias] || !names_expression(&api.types[next_stuck_alias].kind))
                {
                    next_stuck_alias += 1;
                }
                while next_stuck < n && done[next_stuck] {
                    next_stuck += 1;
                }
                if next_stuck_alias < n {
                    next_stuck_alias
                } else if next_stuck < n {
                    next_stuck
                } else {
                    break;
                }
            }
        };
        done[idx] = true;
        let def = &api.types[idx];
        class[idx] = match &def.kind {
            _ if pending[idx] > 0 => idx,
            TypeKind::Alias(Ty::Named(id)) | TypeKind::SameShape(id) => class[id.0],
            // An alias of `String`, `BTreeMap<String, T>`... is what it
            // names: its key is that expression's, apart from its name.
            kind => *shapes.entry(shape_key(kind, &class)).or_insert(idx),
        };
        for &u in &users[idx] {
            pending[u] -= 1;
            if pending[u] == 0 && !done[u] {
                ready.insert(u);
            }
        }
    }

    // Each shape of several types is named by its best name: `name[c]`,
    // for the class `c`, is the member that keeps the code.
    let merged = |idx: usize| !matches!(api.types[idx].kind, TypeKind::Alias(_) | TypeKind::SameShape(_));
    let uses = use_counts(api);
    let mut name: Vec<usize> = (0..n).collect();
    for idx in (0..n).filter(|&i| merged(i)) {
        let c = class[idx];
        if c != idx && better_name(api, &uses, idx, name[c]) {
            name[c] = idx;
        }
    }
    (0..n).map(|idx| Some(name[class[idx]]).filter(|&rep| merged(idx) && rep != idx)).collect()
}

/// How many type expressions (of types and operations) name each type.
fn use_counts(api: &Api) -> Vec<usize> {
    let mut uses = vec![0; api.types.len()];
    for_each_ty(api, &mut |ty| {
        if let Ty::Named(id) = ty {
            uses[id.0] += 1;
        }
    });
    uses
}

/// Whether type `a` names a merged shape better than type `b`: a component
/// schema that is no operation's wrapper ([`naming::is_operation_wrapper`])
/// first, then the name more type expressions use, then the shorter name,
/// then the first in order (by Rust name).
fn better_name(api: &Api, uses: &[usize], a: usize, b: usize) -> bool {
    let rank = |i: usize| {
        let def = &api.types[i];
        let mut t = def.pointer.tokens();
        let component = matches!(
            (t.next().as_deref(), t.next().as_deref(), t.next(), t.next()),
            (Some("components"), Some("schemas"), Some(_), None)
        );
        let plain = component && !naming::is_operation_wrapper(&def.name.rust);
        (std::cmp::Reverse(plain), std::cmp::Reverse(uses[i]), def.name.rust.len(), i)
    };
    rank(a) < rank(b)
}

/// Whether `kind` is an alias of a type expression other than a named type
/// (`String`, `Vec<Item>`, a map): such an alias stands for that expression.
fn names_expression(kind: &TypeKind) -> bool {
    matches!(kind, TypeKind::Alias(ty) if !matches!(ty, Ty::Named(_)))
}

/// Everything emitted for a type but its name, docs and spec locations,
/// with referenced types replaced by their representatives.
fn shape_key(kind: &TypeKind, class: &[usize]) -> String {
    let mut kind = kind.clone();
    if let TypeKind::Struct(s) = &mut kind {
        s.fields.iter_mut().for_each(|f| f.pointer = Pointer::default());
    }
    kind_tys_mut(&mut kind, &mut |ty| {
        walk_mut(ty, &mut |t| {
            if let Ty::Named(id) = t {
                id.0 = class[id.0];
            }
        })
    });
    format!("{kind:?}")
}

#[cfg(test)]
mod tests {
    /// The same-shape aliases lowering makes of a spec, as (type, the type it
    /// aliases) Rust names.
    fn aliases(spec: &str) -> Vec<(String, String)> {
        let api = crate::lower::lowered_for_test(spec);
        let names = |i: usize| api.types[i].name.rust.clone();
        api.types
            .iter()
            .enumerate()
            .filter_map(|(i, t)| match t.kind {
                crate::ir::TypeKind::SameShape(r) => Some((names(i), names(r.0))),
                _ => None,
            })
            .collect()
    }

    fn spec(schemas: &str) -> String {
        let schemas: String = schemas.lines().map(|l| format!("    {l}\n")).collect();
        format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}")
    }

    #[test]
    fn equal_shapes_alias_the_first_by_name() {
        let found = aliases(&spec(
            "B: {type: object, description: one, properties: {id: {type: string}}}\n\
             A: {type: object, description: two, properties: {id: {type: string}}}\n\
             C: {type: object, properties: {id: {type: string}}}\n\
             E1: {type: string, enum: [x, y]}\n\
             E2: {type: string, enum: [x, y]}",
        ));
        assert_eq!(found, [("B", "A"), ("C", "A"), ("E2", "E1")].map(|(a, b)| (a.to_string(), b.to_string())));
    }

    #[test]
    fn a_shape_is_named_by_a_plain_schema_then_by_uses_then_shortness() {
        // `Role` is the one name of its shape that is no operation's wrapper;
        // `Bbbb` is used (by `Holds`) and `Aa` is not, though shorter; of
        // three unused enums the shortest, `Cc`, is the name.
        let found = aliases(&spec(
            "CreateRoleResponseContent: {type: object, properties: {id: {type: string}}}\n\
             GetRoleResponseContent: {type: object, properties: {id: {type: string}}}\n\
             Role: {type: object, properties: {id: {type: string}}}\n\
             Aa: {type: object, properties: {n: {type: integer}}}\n\
             Bbbb: {type: object, properties: {n: {type: integer}}}\n\
             Holds: {type: object, properties: {v: {$ref: '#/components/schemas/Bbbb'}}}\n\
             Cccc: {type: string, enum: [x]}\n\
             Cc: {type: string, enum: [x]}\n\
             Ccc: {type: string, enum: [x]}",
        ));
        assert_eq!(
            found,
            [
                ("Aa", "Bbbb"),
                ("Ccc", "Cc"),
                ("Cccc", "Cc"),
                ("CreateRoleResponseContent", "Role"),
                ("GetRoleResponseContent", "Role"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn anything_emitted_tells_shapes_apart() {
        let found = aliases(&spec(
            "A: {type: object, properties: {id: {type: string}}}\n\
             Doc: {type: object, properties: {id: {type: string, description: the id}}}\n\
             Req: {type: object, required: [id], properties: {id: {type: string}}}\n\
             Wire: {type: object, properties: {Id: {type: string}}}\n\
             Len: {type: object, properties: {id: {type: string, maxLength: 3}}}\n\
             Null: {type: object, properties: {id: {type: string, nullable: true}}}\n\
             Open: {type: object, additionalProperties: true, properties: {id: {type: string}}}\n\
             Def: {type: object, properties: {id: {type: string, default: x}}}\n\
             Int: {type: string, enum: [x, z]}\n\
             Ext: {type: string, enum: [x, y, z]}",
        ));
        assert_eq!(found, Vec::<(String, String)>::new());
    }

    #[test]
    fn references_compare_by_their_shapes() {
        // `HoldsY` refers to `Y`, which is `X`'s shape: it is `HoldsX`'s shape too.
        // `HoldsZ` refers to `Z`, another shape.
        let found = aliases(&spec(
            "X: {type: object, properties: {n: {type: integer}}}\n\
             Y: {type: object, properties: {n: {type: integer}}}\n\
             Z: {type: object, properties: {m: {type: integer}}}\n\
             HoldsX: {type: object, properties: {v: {$ref: '#/components/schemas/X'}}}\n\
             HoldsY: {type: object, properties: {v: {$ref: '#/components/schemas/Y'}}}\n\
             HoldsZ: {type: object, properties: {v: {$ref: '#/components/schemas/Z'}}}",
        ));
        assert_eq!(found, [("HoldsY", "HoldsX"), ("Y", "X")].map(|(a, b)| (a.to_string(), b.to_string())));
    }

    #[test]
    fn aliases_compare_by_what_they_name() {
        // `UserId` and `OrgId` are both `String`, `Tags1` and `Tags2` both
        // `Vec<Tag>`: `Org` is `User`'s shape, though its fields name other
        // aliases. The aliases keep their own definitions.
        let found = aliases(&spec(
            "UserId: {type: string, description: a user}\n\
             OrgId: {type: string, description: an organization}\n\
             Tag: {type: object, properties: {n: {type: string}}}\n\
             Tags1: {type: array, items: {$ref: '#/components/schemas/Tag'}}\n\
             Tags2: {type: array, items: {$ref: '#/components/schemas/Tag'}}\n\
             User: {type: object, required: [id], properties: {id: {$ref: '#/components/schemas/UserId'}, tags: {$ref: '#/components/schemas/Tags1'}}}\n\
             Org: {type: object, required: [id], properties: {id: {$ref: '#/components/schemas/OrgId'}, tags: {$ref: '#/components/schemas/Tags2'}}}",
        ));
        assert_eq!(found, [("User".to_string(), "Org".to_string())]);
    }

    #[test]
    fn aliases_with_other_constraints_keep_their_users_apart() {
        // Each struct's field names an alias of `String` that differs from
        // every other's in a constraint or its pattern (a marker type of its
        // own): no two structs are one shape.
        let found = aliases(&spec(
            "Plain: {type: string}\n\
             Short: {type: string, maxLength: 3}\n\
             Shorter: {type: string, maxLength: 2}\n\
             Lower: {type: string, pattern: '^[a-z]+$'}\n\
             Upper: {type: string, pattern: '^[A-Z]+$'}\n\
             Mail: {type: string, format: email}\n\
             Small: {type: integer, format: int32}\n\
             Big: {type: integer, format: int64}\n\
             A: {type: object, properties: {v: {$ref: '#/components/schemas/Plain'}}}\n\
             B: {type: object, properties: {v: {$ref: '#/components/schemas/Short'}}}\n\
             C: {type: object, properties: {v: {$ref: '#/components/schemas/Shorter'}}}\n\
             D: {type: object, properties: {v: {$ref: '#/components/schemas/Lower'}}}\n\
             E: {type: object, properties: {v: {$ref: '#/components/schemas/Upper'}}}\n\
             F: {type: object, properties: {v: {$ref: '#/components/schemas/Mail'}}}\n\
             G: {type: object, properties: {v: {$ref: '#/components/schemas/Small'}}}\n\
             H: {type: object, properties: {v: {$ref: '#/components/schemas/Big'}}}",
        ));
        assert_eq!(found, Vec::<(String, String)>::new());
    }

    #[test]
    fn an_alias_on_a_cycle_costs_no_merge() {
        // `NodeList` is `Vec<Node>` and `Node` holds a `NodeList`: the cycle
        // leaves the alias its own class, as before aliases were compared
        // (not `Node`, the first by name), so `Node` and `Tree`, which hold
        // the same alias, still meet.
        let found = aliases(&spec(
            "Node: {type: object, properties: {kids: {$ref: '#/components/schemas/NodeList'}}}\n\
             NodeList: {type: array, items: {$ref: '#/components/schemas/Node'}}\n\
             Tree: {type: object, properties: {kids: {$ref: '#/components/schemas/NodeList'}}}",
        ));
        assert_eq!(found, [("Tree".to_string(), "Node".to_string())]);
    }

    #[test]
    fn types_on_cycles_keep_their_code() {
        let found = aliases(&spec(
            "N1: {type: object, properties: {next: {$ref: '#/components/schemas/N1'}}}\n\
             N2: {type: object, properties: {next: {$ref: '#/components/schemas/N2'}}}\n\
             Uses1: {type: object, properties: {n: {$ref: '#/components/schemas/N1'}}}\n\
             Uses2: {type: object, properties: {n: {$ref: '#/components/schemas/N1'}}}\n\
             Uses3: {type: object, properties: {n: {$ref: '#/components/schemas/N2'}}}",
        ));
        // The cycles stay apart; types referring to the same cycle member meet.
        assert_eq!(found, [("Uses2".to_string(), "Uses1".to_string())]);
    }
}
