//! Paging without settings: the conventions a description shows, each a
//! [`PagingKind`], in this order of precedence (settings come first, in
//! `lower/operation.rs`):
//!
//! 1. `x-dropshot-pagination` (Oxide): `items` + `next_page`, `page_token`;
//!    later pages send only the token and `limit`.
//! 2. `x-ms-pageable` (Azure): `itemName` (default `value`) and the
//!    `nextLinkName` field, a full URL.
//! 3. Stripe and OpenAI: a `has_more` boolean and a `data` list,
//!    `starting_after` (Stripe), `after` (OpenAI) or `after_id` (Anthropic)
//!    set to the last item's `id`.
//! 4. A cursor token echoed: the only list field of the response, a string
//!    field such as `next_page`/`next_cursor`/`nextPageToken`, and a string
//!    query parameter of the matching name (`page_token`, `cursor`, ...).
//! 5. A next page's URL in the body (Twilio's `next_page_uri`, `nextLink`,
//!    `next_url`) beside the response's only list field.
//! 6. RFC 8288 `Link: <...>; rel="next"` (GitHub): a declared `Link` header
//!    on a list response (an array, or an object with one list field).
//!
//! After every operation is lowered, a GET that declares no `Link` header
//! but takes the integer `page` and `per_page` query parameters of GETs that
//! do (and answers with a list) pages by `Link` too: GitHub's description
//! declares the header on most of its lists, not on all.
//!
//! A false positive is a wrong stream, so each needs all of its structural
//! evidence; a vendor extension whose evidence is missing is a warning and
//! no stream.

use super::Ctx;
use crate::ir::{
    ItemId, LinkFrom, Method, Operation, Paging, PagingKind, Param, ParamLocation, ResponseBody, StrTy, Ty, TypeKind,
};
use crate::pointer::Pointer;
use crate::value::{Map, Value};

/// Which struct field of a page holds its items.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Items<'n> {
    /// The first unbounded list (settings).
    First,
    /// The list of this wire name.
    Named(&'n str),
    /// The struct's only list field.
    Sole,
}

/// Token fields a generic cursor echo recognises (lowercase, without `_`
/// and `-`), each with the query parameters it may be sent back in.
const TOKEN_ECHOES: &[(&str, &[&str])] = &[
    ("nextpage", &["page", "pagetoken", "nextpage"]),
    ("nextpagetoken", &["pagetoken", "nextpagetoken"]),
    ("nextcursor", &["cursor", "nextcursor"]),
    ("nexttoken", &["token", "nexttoken", "pagetoken"]),
    ("next", &["next", "cursor"]),
    ("cursor", &["cursor"]),
];

/// Query parameters that take the `id` of the last item seen, with a
/// `has_more` list: Stripe's, OpenAI's and Anthropic's names.
const AFTER_CURSORS: &[&str] = &["starting_after", "after", "after_id"];

/// Body fields holding the next page's URL (lowercase, without `_`/`-`).
const NEXT_LINKS: &[&str] = &["nextpageuri", "nextpageurl", "nextlink", "nexturl", "nexturi"];

fn squash(name: &str) -> String {
    name.chars().filter(|c| *c != '_' && *c != '-').map(|c| c.to_ascii_lowercase()).collect()
}

/// An optional string query parameter (its length may be bounded).
fn string_query<'p>(params: &'p [Param], wire: &str) -> Option<&'p Param> {
    params.iter().find(|p| {
        p.location == ParamLocation::Query
            && p.name.wire == wire
            && !p.required
            && matches!(p.ty, Ty::Str(StrTy { min_len: None, pattern: None, .. }))
    })
}

impl<'a> Ctx<'a> {
    /// The first paging convention the operation fully shows, or `None`.
    /// `body` is the success response's JSON type.
    pub(super) fn convention_paging(
        &mut self,
        optr: &Pointer,
        op: &'a Map,
        params: &[Param],
        body: &Ty,
    ) -> Option<Paging> {
        if op.contains_key("x-dropshot-pagination") {
            let res = self.dropshot(params, body);
            if res.is_none() {
                self.diags.warning(
                    optr.join("x-dropshot-pagination"),
                    "no stream: a dropshot page needs `items` and `next_page` in the response and an optional string `page_token` query parameter",
                );
            }
            return res;
        }
        if let Some(ext) = op.get("x-ms-pageable") {
            return self.ms_pageable(&optr.join("x-ms-pageable"), ext, body);
        }
        if let Some(p) = self.has_more(params, body) {
            return Some(p);
        }
        if let Some(p) = self.token_echo(params, body) {
            return Some(p);
        }
        if let Some(p) = self.link_field(body) {
            return Some(p);
        }
        if self.declares_link_header(optr, op) {
            let (item, sources) =
                self.page_sources(body, Items::Sole, None).filter(|(_, s)| s.len() == 1 && s[0].variant.is_none())?;
            return Some(Paging { kind: PagingKind::NextLink { from: LinkFrom::Header }, item, sources, cap: None });
        }
        None
    }

    fn dropshot(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        let token = string_query(params, "page_token").filter(|p| p.ty == Ty::Str(StrTy::default()))?;
        // Later pages leave every other parameter unset: each must be optional.
        if params.iter().any(|p| p.location != ParamLocation::Path && p.required) {
            return None;
        }
        let (item, sources) = self.page_sources(body, Items::Named("items"), Some("next_page"))?;
        if sources.len() != 1 || sources[0].variant.is_some() || sources[0].next_field.is_none() {
            return None;
        }
        let unset = params
            .iter()
            .filter(|p| p.location == ParamLocation::Query && p.name.wire != "page_token" && p.name.wire != "limit")
            .map(|p| p.name.rust.clone())
            .collect();
        Some(Paging {
            kind: PagingKind::Token { token_field: token.name.rust.clone(), only: Some(unset) },
            item,
            sources,
            cap: None,
        })
    }

    fn ms_pageable(&mut self, ptr: &Pointer, ext: &'a Value, body: &Ty) -> Option<Paging> {
        let next = match ext.get("nextLinkName") {
            // `nextLinkName: null`: one page, nothing to follow.
            None | Some(Value::Null) => return None,
            Some(v) => v.as_str(),
        };
        let item_name = match ext.get("itemName") {
            None => Some("value"),
            Some(v) => v.as_str(),
        };
        let found = match (next, item_name) {
            (Some(next), Some(items)) => self
                .page_sources(body, Items::Named(items), Some(next))
                .filter(|(_, s)| s.len() == 1 && s[0].variant.is_none() && s[0].next_field.is_some()),
            _ => None,
        };
        match found {
            Some((item, sources)) => {
                Some(Paging { kind: PagingKind::NextLink { from: LinkFrom::MsPageable }, item, sources, cap: None })
            }
            None => {
                self.diags.warning(
                    ptr,
                    "no stream: the response has no list named by `itemName` (default `value`) or no string field named by `nextLinkName`",
                );
                None
            }
        }
    }

    /// Stripe and OpenAI: `has_more` + `data`, the after-cursor parameter =
    /// the last item's `id`.
    fn has_more(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        let after = AFTER_CURSORS.iter().find_map(|name| string_query(params, name))?;
        let Ty::Named(id) = body else { return None };
        let TypeKind::Struct(st) = &self.types.get(id.0)?.as_ref()?.kind else { return None };
        let more =
            st.fields.iter().find(|f| f.name.wire == "has_more" && f.ty == Ty::Bool && !f.presence.is_nullable())?;
        let (item, sources) = self.page_sources(body, Items::Named("data"), None)?;
        let item_id = self.item_cursor_field(&item, "id")?;
        Some(Paging {
            kind: PagingKind::HasMore {
                after_field: after.name.rust.clone(),
                has_more_field: more.name.rust.clone(),
                more_optional: more.presence.is_optional(),
                item_id,
            },
            item,
            sources,
            cap: None,
        })
    }

    /// A token field of the response sent back in a query parameter of the
    /// matching name.
    fn token_echo(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        let Ty::Named(id) = body else { return None };
        let TypeKind::Struct(st) = &self.types.get(id.0)?.as_ref()?.kind else { return None };
        for f in &st.fields {
            let Some((_, wanted)) = TOKEN_ECHOES.iter().find(|(n, _)| *n == squash(&f.name.wire)) else { continue };
            let Some(token) = params.iter().find(|p| wanted.contains(&squash(&p.name.wire).as_str())) else { continue };
            if string_query(params, &token.name.wire).is_none() {
                continue;
            }
            let Some((item, sources)) = self.page_sources(body, Items::Sole, Some(&f.name.wire)) else { continue };
            if sources.len() != 1 || sources[0].next_field.is_none() {
                continue;
            }
            return Some(Paging {
                kind: PagingKind::Token { token_field: token.name.rust.clone(), only: None },
                item,
                sources,
                cap: None,
            });
        }
        None
    }

    /// The string field `name` of a struct item type, never `null` (its
    /// length may be bounded), and whether it is optional; or the field of
    /// every variant of a union of such structs (Stripe's polymorphic lists).
    fn item_cursor_field(&self, item: &Ty, name: &str) -> Option<ItemId> {
        let field = |ty: &Ty| -> Option<(String, bool)> {
            let Ty::Named(id) = ty else { return None };
            let TypeKind::Struct(st) = &self.types.get(id.0)?.as_ref()?.kind else { return None };
            let f = st.fields.iter().find(|f| {
                f.name.wire == name && !f.presence.is_nullable() && matches!(f.ty, Ty::Str(StrTy { pattern: None, .. }))
            })?;
            Some((f.name.rust.clone(), f.presence.is_optional()))
        };
        if let Some((f, optional)) = field(item) {
            return Some(ItemId::Field(f, optional));
        }
        let Ty::Named(id) = item else { return None };
        let TypeKind::Union(u) = &self.types.get(id.0)?.as_ref()?.kind else { return None };
        let variants: Option<Vec<(String, String, bool)>> =
            u.variants.iter().map(|v| field(&v.ty).map(|(f, optional)| (v.rust.clone(), f, optional))).collect();
        variants.filter(|v| !v.is_empty()).map(ItemId::Variants)
    }

    /// A body field holding the next page's URL (Twilio's `next_page_uri`),
    /// beside the response's only list.
    fn link_field(&self, body: &Ty) -> Option<Paging> {
        let Ty::Named(id) = body else { return None };
        let TypeKind::Struct(st) = &self.types.get(id.0)?.as_ref()?.kind else { return None };
        let f = st.fields.iter().find(|f| NEXT_LINKS.contains(&squash(&f.name.wire).as_str()))?;
        let (item, sources) = self.page_sources(body, Items::Sole, Some(&f.name.wire))?;
        if sources.len() != 1 || sources[0].next_field.is_none() {
            return None;
        }
        Some(Paging { kind: PagingKind::NextLink { from: LinkFrom::Field }, item, sources, cap: None })
    }

    /// Gives `Link` paging to the GETs without paging that take the integer
    /// `page` and `per_page` query parameters, when an operation declaring
    /// the header takes them too.
    pub(super) fn link_paging_by_example(&self, ops: &mut [Operation]) {
        let paged = |op: &Operation| {
            ["page", "per_page"].iter().all(|n| {
                op.params.iter().any(|p| {
                    p.location == ParamLocation::Query && p.name.wire == *n && !p.required && matches!(p.ty, Ty::Int(_))
                })
            })
        };
        let by_link =
            |op: &Operation| matches!(&op.paging, Some(p) if p.kind == PagingKind::NextLink { from: LinkFrom::Header });
        if !ops.iter().any(|op| by_link(op) && paged(op)) {
            return;
        }
        for op in ops.iter_mut().filter(|op| op.paging.is_none() && op.method == Method::Get && paged(op)) {
            let body =
                op.responses.iter().find_map(|r| match (&r.body, crate::ir::is_success(&op.responses, r.status)) {
                    (ResponseBody::Json(ty), true) => Some(ty.clone()),
                    _ => None,
                });
            let Some(body) = body else { continue };
            let Some((item, sources)) =
                self.page_sources(&body, Items::Sole, None).filter(|(_, s)| s.len() == 1 && s[0].variant.is_none())
            else {
                continue;
            };
            op.paging = Some(Paging {
                kind: PagingKind::NextLink { from: LinkFrom::HeaderByExample },
                item,
                sources,
                cap: None,
            });
        }
    }

    /// A success response of the operation declares a `Link` header.
    fn declares_link_header(&mut self, optr: &Pointer, op: &'a Map) -> bool {
        let Some(Value::Object(responses)) = op.get("responses") else { return false };
        for (code, r) in responses {
            if !code.starts_with('2') {
                continue;
            }
            let Some((r, _)) = self.deref_quiet(&optr.join("responses").join(code), r) else { continue };
            if let Some(Value::Object(headers)) = r.get("headers") {
                if headers.keys().any(|k| k.eq_ignore_ascii_case("link")) {
                    return true;
                }
            }
        }
        false
    }
}
