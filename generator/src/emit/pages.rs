//! Typed page accessors: `items()`, `into_items()` and `total()` on the
//! response type of every list operation that has a stream, so that a
//! caller of `list` reads the page without matching on the response's
//! shapes (Auth0 answers a bare array, a totals object or a checkpoint
//! page, depending on the parameters).
//!
//! The shapes come from the operation's [`Paging`] sources, decided in
//! lowering; a response type shared by several list operations gets its
//! accessors once. A value matching none of the shapes (a union's
//! `Unknown`) has no items and no total. A page whose list is a union of
//! lists gets none: it holds no slice of the stream's items to lend.

use proc_macro2::TokenStream;
use quote::quote;

use super::page_arms::owned_items;
use super::{ident, Cx};
use crate::ir::{Api, Operation, Paging, PagingKind, Ty, TypeKind};

/// For each named type, the first streamed list operation that answers
/// with it and its paging (same-shape aliases count for their target).
pub(crate) fn page_types(api: &Api) -> Vec<Option<(&Operation, &Paging)>> {
    let mut res = vec![None; api.types.len()];
    for op in &api.operations {
        let Some(paging) = op.stream_paging() else { continue };
        let Some(crate::ir::ResponseBody::Json(Ty::Named(id))) = op.successes().map(|r| &r.body).next() else {
            continue;
        };
        let id = match api.types[id.0].kind {
            TypeKind::SameShape(rep) => rep,
            _ => *id,
        };
        // Only a struct or a union of shapes can have inherent methods.
        let holds = matches!(api.types[id.0].kind, TypeKind::Struct(_) | TypeKind::Union(_));
        if holds && res[id.0].is_none() {
            res[id.0] = Some((op, paging));
        }
    }
    res
}

/// The accessors of type `idx`, or nothing when it is no list's page or a
/// setter already has one of their names.
pub(crate) fn accessors(cx: &Cx<'_>, idx: usize) -> TokenStream {
    let Some((op, paging)) = cx.pages[idx] else { return quote!() };
    // A union of lists holds no slice of the stream's items to lend.
    if paging.sources.iter().any(|s| s.items_union.is_some()) {
        return quote!();
    }
    let def = &cx.api.types[idx];
    let union = match &def.kind {
        TypeKind::Struct(s) => {
            let taken = s.fields.iter().any(|f| ["items", "into_items", "total"].contains(&f.setter.name.as_str()));
            if taken && cx.in_request[idx] {
                return quote!();
            }
            false
        }
        TypeKind::Union(_) => true,
        _ => return quote!(),
    };
    // The item as the page type names it: `paging` may be another list's,
    // whose page has the same shape and whose item type is another name of
    // the same shape, one that may live in another crate of a split client.
    let item = match &paging.item {
        Ty::Named(id) => match cx.api.types[id.0].kind {
            TypeKind::SameShape(rep) => cx.ty(&Ty::Named(rep)),
            _ => cx.ty(&paging.item),
        },
        other => cx.ty(other),
    };
    // Per shape: the variant's pattern, the items by reference and owned,
    // and the total.
    let (mut borrow, mut owned, mut total) = (Vec::new(), Vec::new(), Vec::new());
    for src in &paging.sources {
        let pat = src.variant.as_ref().map(|v| {
            let v = ident(v);
            quote!(Self::#v(__x))
        });
        // The object holding the items: `__x` itself, or an `Option<&_>`
        // reached through `items_via` (`is_opt`).
        let (inner, is_opt) = reach(&src.items_via);
        let on = |value: TokenStream, fallback: TokenStream| match (src.items_via.is_empty(), is_opt) {
            (true, _) => value,
            (false, true) => quote!(#inner.map(|__x| #value).unwrap_or(#fallback)),
            (false, false) => quote!({ let __x = &#inner; #value }),
        };
        let by_ref = match &src.items_field {
            None => quote!(__x),
            Some((f, true)) => {
                let f = ident(f);
                on(quote!(__x.#f.as_deref().unwrap_or_default()), quote!(&[]))
            }
            Some((f, false)) => {
                let f = ident(f);
                let by_ref = match (src.items_via.is_empty(), src.items_bounded) {
                    (true, _) => quote!(&__x.#f),
                    (false, false) => quote!(__x.#f.as_slice()),
                    (false, true) => quote!(&*__x.#f),
                };
                on(by_ref, quote!(&[]))
            }
        };
        let by_value = match &src.items_field {
            Some(last) => owned_items(src, last, None),
            None => quote!(__x),
        };
        borrow.push((pat.clone(), by_ref));
        owned.push((pat.clone(), by_value));
        if let Some((f, optional)) = &src.total_field {
            let f = ident(f);
            let value = if *optional {
                quote!(__x.#f.and_then(rt::__private::PageCount::page_count))
            } else {
                quote!(rt::__private::PageCount::page_count(__x.#f))
            };
            let value = match (src.items_via.is_empty(), is_opt) {
                (false, true) => quote!(#inner.and_then(|__x| #value)),
                _ => on(value, quote!(None)),
            };
            total.push((pat, value));
        }
    }
    let items = body(union, &borrow, quote!(&[]));
    let into_items = body(union, &owned, quote!(Vec::new()));
    let total = if total.is_empty() { quote!(None) } else { body(union, &total, quote!(None)) };
    let name = ident(&def.name.rust);
    let flag = match &paging.kind {
        PagingKind::Offset { totals_param: Some(t), .. } => {
            let doc = format!(" It is sent when `{}` is set.", op.params[*t].name.rust);
            quote!(#[doc = #doc])
        }
        _ => quote!(),
    };
    quote! {
        impl #name {
            /// The items of this page, whatever shape the server answered with.
            #[inline]
            pub fn items(&self) -> &[#item] {
                #items
            }
            /// The items of this page, owned.
            #[inline]
            pub fn into_items(self) -> Vec<#item> {
                #into_items
            }
            /// The number of items in all pages, when the server sent it.
            #flag
            #[inline]
            pub fn total(&self) -> Option<u64> {
                #total
            }
        }
    }
}

/// The object of a page `__x` (a reference) that `via` leads to, and
/// whether it is an `Option<&_>` (else a place to borrow); `__x` itself
/// when `via` is empty.
fn reach(via: &[(String, bool)]) -> (TokenStream, bool) {
    let mut e = quote!(__x);
    let mut is_opt = false;
    for (f, optional) in via {
        let f = ident(f);
        e = match (is_opt, optional) {
            (false, false) => quote!(#e.#f),
            (false, true) => quote!(#e.#f.as_ref()),
            (true, true) => quote!(#e.and_then(|__l| __l.#f.as_ref())),
            (true, false) => quote!(#e.map(|__l| &__l.#f)),
        };
        is_opt |= *optional;
    }
    (e, is_opt)
}

/// A union's `match` over its page shapes (`rest` for any other), or a
/// struct's one shape.
fn body(union: bool, arms: &[(Option<TokenStream>, TokenStream)], rest: TokenStream) -> TokenStream {
    if !union {
        let value = arms.first().map(|(_, v)| v.clone()).unwrap_or(rest);
        return quote!(let __x = self; #value);
    }
    let arms = arms.iter().filter_map(|(pat, value)| pat.as_ref().map(|p| quote!(#p => #value,)));
    quote!(match self { #(#arms)* _ => #rest, })
}
