//! How a stream takes what it needs out of each shape of page: the items
//! (owned, through the fields leading to them, or out of a union of
//! lists) and the next cursor, for every pager of `emit/streams.rs`, and
//! the list operation a pager is for. What the shapes are was decided in
//! lowering ([`PageSource`]).

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Cx};
use crate::ir::{Api, Operation, PageSource, Paging, Presence};

/// The list operation a pager is for, its paging and its response type.
pub(super) struct List<'a> {
    pub(super) api: &'a Api,
    pub(super) op: &'a Operation,
    pub(super) paging: &'a Paging,
    pub(super) resp_ty: &'a TokenStream,
    /// The arms turning a union of lists into items ([`union_items`]).
    pub(super) items_union: Option<TokenStream>,
}

impl List<'_> {
    /// The Rust name of parameter `idx` (a params struct field).
    pub(super) fn param(&self, idx: usize) -> &str {
        &self.op.params[idx].name.rust
    }

    /// The doc line of the stream, `how` it pages said after the method.
    pub(super) fn doc(&self, how: &str) -> String {
        format!(" Every item of [`{}`](Self::{}), {how}", self.op.name.rust, self.op.name.rust)
    }
}

/// How a stream takes what it needs out of each shape of page: a `match`
/// on the response `__body`, or the response itself. `value` gives, for a
/// shape bound to `__x` and the expression of its items, the statements
/// before the value and the value: the items alone (`offset_pages`), or
/// the items and the next cursor; `empty` is the value of a shape none
/// matches (a union's `Unknown`).
pub(super) fn page_arms(
    list: &List<'_>,
    empty: TokenStream,
    value: impl Fn(&PageSource, TokenStream) -> (TokenStream, TokenStream),
) -> TokenStream {
    let resp_ty = list.resp_ty;
    let mut res = TokenStream::new();
    for src in &list.paging.sources {
        let items = match &src.items_field {
            None => quote!(__x),
            Some(last) => owned_items(src, last, src.items_union.as_ref().and(list.items_union.as_ref())),
        };
        let (lets, value) = value(src, items);
        match &src.variant {
            Some(v) if lets.is_empty() => {
                let v = ident(v);
                res.extend(quote!(#resp_ty::#v(__x) => #value,));
            }
            Some(v) => {
                let v = ident(v);
                res.extend(quote!(#resp_ty::#v(__x) => { #lets #value }));
            }
            // The response itself: no match needed.
            None => return quote!({ let __x = __body; #lets #value }),
        }
    }
    res.extend(quote!(#[allow(unreachable_patterns)] _ => #empty,));
    quote!(match __body { #res })
}

/// The `match` arms that turn a page's union of lists into the stream's
/// items, each list's items wrapped in their variant of the item union
/// `item`; a value none of the lists fits (its `Unknown`) is read item by
/// item when it is a list, and has no items when it is not.
pub(super) fn union_items(cx: &Cx<'_>, paging: &Paging, item: &TokenStream) -> Option<TokenStream> {
    let lists = paging.sources.iter().find_map(|s| s.items_union.as_ref())?;
    let list_ty = cx.ty(&lists.ty);
    let arms = lists.variants.iter().map(|(v, i)| {
        let (v, i) = (ident(v), ident(i));
        quote!(#list_ty::#v(__v) => __v.into_iter().map(#item::#i).collect(),)
    });
    Some(quote!(#(#arms)* #list_ty::Unknown(__v) => rt::__private::unknown_items(__v, #item::Unknown),))
}

/// The items of a page `__x`, owned, through the fields of `src`'s
/// `items_via` to the list field `last` (each optional step an `Option`
/// chained on), a `Vec` (a bounded list's `into_inner`); `union`: the field
/// is a union of lists, turned into items by these arms.
pub(super) fn owned_items(src: &PageSource, last: &(String, bool), union: Option<&TokenStream>) -> TokenStream {
    let mut e = quote!(__x);
    let mut is_opt = false;
    for (f, optional) in src.items_via.iter().chain(std::iter::once(last)) {
        let f = ident(f);
        e = match (is_opt, optional) {
            (false, _) => quote!(#e.#f),
            (true, true) => quote!(#e.and_then(|__l| __l.#f)),
            (true, false) => quote!(#e.map(|__l| __l.#f)),
        };
        is_opt |= *optional;
    }
    match (is_opt, union) {
        (true, None) if src.items_bounded => quote!(#e.map(rt::BoundedVec::into_inner).unwrap_or_default()),
        (false, None) if src.items_bounded => quote!(#e.into_inner()),
        (true, None) => quote!(#e.unwrap_or_default()),
        (false, None) => e,
        (true, Some(arms)) => quote!(#e.map(|__u| match __u { #arms }).unwrap_or_default()),
        (false, Some(arms)) => quote!(match #e { #arms }),
    }
}

/// The next cursor a page carries in its `next_field`, as text (a token may
/// be a bounded string); `None` when the shape carries none.
pub(super) fn next_token(src: &PageSource) -> TokenStream {
    if !src.next_via.is_empty() {
        return nested_next_token(src);
    }
    match &src.next_field {
        Some((f, optional)) => {
            let f = ident(f);
            match (optional, src.next_nullable) {
                (_, true) => quote!(__x.#f.flatten().map(|__s| __s.to_string())),
                (true, false) => quote!(__x.#f.map(|__s| __s.to_string())),
                (false, false) => quote!(Some(__x.#f.to_string())),
            }
        }
        None => quote!(None),
    }
}

/// [`next_token`] for a cursor in an object of the page (HAL's
/// `_links.next.href`, Asana's `next_page.offset`), read by reference, so
/// that it can be taken before the items move out of the same object.
fn nested_next_token(src: &PageSource) -> TokenStream {
    let Some((last, last_optional)) = &src.next_field else { return quote!(None) };
    let presence = match (last_optional, src.next_nullable) {
        (_, true) => Presence::OptionalNull,
        (true, false) => Presence::Optional,
        (false, false) => Presence::Required,
    };
    match borrowed(&src.next_via, last, presence) {
        (e, true) => quote!(#e.map(|__s| __s.to_string())),
        (e, false) => quote!(Some(#e.to_string())),
    }
}

/// The field `last` of a page `__x` (of this presence), by reference,
/// through the fields of `via`: the expression, and whether it is an
/// `Option<&_>` (some step may be absent or `null`) rather than a place.
pub(super) fn borrowed(via: &[(String, Presence)], last: &str, presence: Presence) -> (TokenStream, bool) {
    let mut e = quote!(__x);
    let mut is_opt = false;
    for (f, p) in via.iter().map(|(f, p)| (f.as_str(), *p)).chain(std::iter::once((last, presence))) {
        let f = ident(f);
        e = match (is_opt, p) {
            (false, Presence::Required) => quote!(#e.#f),
            (false, Presence::Optional | Presence::RequiredNull) => quote!(#e.#f.as_ref()),
            (false, Presence::OptionalNull) => quote!(#e.#f.as_ref().and_then(Option::as_ref)),
            (true, Presence::Required) => quote!(#e.map(|__l| &__l.#f)),
            (true, Presence::Optional | Presence::RequiredNull) => quote!(#e.and_then(|__l| __l.#f.as_ref())),
            (true, Presence::OptionalNull) => {
                quote!(#e.and_then(|__l| __l.#f.as_ref().and_then(Option::as_ref)))
            }
        };
        is_opt |= p != Presence::Required;
    }
    (e, is_opt)
}
