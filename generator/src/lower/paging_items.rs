//! The items of a union of lists: a page whose list is a `oneOf` of arrays
//! (Figma's analytics `rows`, an array of one item type or of another,
//! chosen by the `group_by` parameter) streams items of a union of the
//! lists' item types, made here once a stream takes the list. Until then,
//! paging detection stands the union of lists for the item
//! ([`crate::ir::ListUnion`]).

use std::collections::BTreeMap;

use super::Ctx;
use crate::ir::{Docs, Name, Operation, Ty, TypeDef, TypeId, TypeKind, Union, UnionVariant};

impl Ctx<'_> {
    /// The variants of `ty` when it is an untagged union of two or more
    /// unbounded lists, each with the name of its items' variant in the
    /// item union: the item type's name, or the list's variant name when
    /// the item is no named type or two lists hold one type.
    pub(super) fn list_union(&self, ty: &Ty) -> Option<Vec<(String, String)>> {
        let Ty::Named(id) = ty else { return None };
        let TypeKind::Union(u) = &self.types.get(id.0)?.as_ref()?.kind else { return None };
        if u.tag.is_some() || u.variants.len() < 2 {
            return None;
        }
        let items: Vec<&Ty> = u
            .variants
            .iter()
            .map(|v| match &v.ty {
                Ty::Array(a) if a.min_items.is_none() && a.max_items.is_none() => Some(&a.item),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let named = |item: &Ty| match item {
            Ty::Named(id) if items.iter().filter(|i| **i == item).count() == 1 => Some(self.type_rust_name(*id)),
            _ => None,
        };
        let mut names: Vec<(String, String)> = u
            .variants
            .iter()
            .zip(&items)
            .map(|(v, item)| (v.rust.clone(), named(item).unwrap_or_else(|| v.rust.clone())))
            .collect();
        // Type names and variant names may meet (`Array` beside a type `Array`).
        let mut seen = std::collections::BTreeSet::new();
        if !names.iter().all(|(_, n)| seen.insert(n.clone()) && n != "Unknown") {
            names.iter_mut().for_each(|(v, n)| n.clone_from(v));
        }
        Some(names)
    }

    /// Gives each stream over a union of lists its item union, one per
    /// union of lists.
    pub(super) fn stream_item_unions(&mut self, ops: &mut [Operation]) {
        let mut made: BTreeMap<TypeId, TypeId> = BTreeMap::new();
        for paging in ops.iter_mut().filter_map(|op| op.paging.as_mut()) {
            let Some(list) = paging.sources.iter().find_map(|s| s.items_union.as_ref()) else { continue };
            let Ty::Named(list_id) = list.ty else { continue };
            let item = match made.get(&list_id) {
                Some(id) => *id,
                None => {
                    let id = self.item_union(list_id, &list.variants);
                    made.insert(list_id, id);
                    id
                }
            };
            paging.item = Ty::Named(item);
        }
    }

    /// The union of the items of the union of lists `list`, whose variants
    /// are named as `variants` says ([`Self::list_union`]).
    fn item_union(&mut self, list: TypeId, variants: &[(String, String)]) -> TypeId {
        let def = self.types[list.0].as_ref().map(|d| (d.name.rust.clone(), d.pointer.clone(), d.kind.clone()));
        let Some((list_name, pointer, TypeKind::Union(u))) = def else {
            unreachable!("a union of lists is a lowered union (slot {})", list.0)
        };
        let variants = u
            .variants
            .iter()
            .zip(variants)
            .map(|(v, (_, rust))| {
                let Ty::Array(a) = &v.ty else { unreachable!("every variant of a union of lists is a list") };
                UnionVariant { rust: rust.clone(), tags: Vec::new(), ty: a.item.clone(), boxed: false }
            })
            .collect();
        // A pointer of its own, under the union of lists' (which names that union).
        let pointer = pointer.join("x-stream-item");
        let id = self.alloc_type(&format!("{list_name}Item"), &pointer);
        let summary = format!("One item of a list of `{list_name}`: what its operation's stream yields.");
        self.fill_type(
            id,
            TypeDef {
                name: Name { wire: pointer.last().unwrap_or_default(), rust: self.type_rust_name(id) },
                pointer,
                docs: Docs { summary: Some(summary), description: None, deprecated: false },
                kind: TypeKind::Union(Union { tag: None, variants }),
            },
        );
        id
    }
}
