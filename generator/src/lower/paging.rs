//! Paging without settings: the conventions a description shows, each a
//! [`PagingKind`], in this order of precedence (settings come first, in
//! `lower/operation.rs`):
//!
//! 1. `x-dropshot-pagination` (Oxide): `items` + `next_page`, `page_token`;
//!    later pages send only the token and `limit`.
//! 2. `x-ms-pageable` (Azure): `itemName` (default `value`) and the
//!    `nextLinkName` field, a full URL.
//! 3. Stripe and OpenAI: a `has_more` boolean and a `data` list,
//!    `starting_after` (Stripe), `after` (OpenAI, Resend) or `after_id`
//!    (Anthropic) set to the last item's `id` (a string, or a uuid).
//! 4. A cursor token echoed: the only list field of the response, a string
//!    field such as `next_page`/`next_cursor`/`nextPageToken`/`next_marker`,
//!    and a string query parameter of the matching name (`page_token`,
//!    `cursor`, Box's `marker`, ...); or a string field and query parameter
//!    of one name that the parameter's description calls a cursor
//!    (Pinterest's `bookmark`). A list that also has offsets with a total
//!    pages by those (8): Box answers its cursor only when asked.
//! 5. A next page's URL in the body (Twilio's `next_page_uri`, `nextLink`,
//!    `next_url`) beside the response's only list field; or Figma's
//!    `pagination.next_page` beside `prev_page`, on a GET with no parameter
//!    to send a `next_page` token in; or HAL's `_links.next.href` (Okta;
//!    Adyen's `link.next.href`), on a GET taking a cursor, page or page size.
//! 6. RFC 8288 `Link: <...>; rel="next"` (GitHub): a declared `Link` header
//!    on a list response (an array, or an object with one list field, or
//!    with several where one alone is named after the path's last segment:
//!    Mastodon's `notification_groups` of `/api/v2/notifications`).
//! 7. Page numbers with a body hint (Harvest, Hetzner, authentik, Xero):
//!    integer `page` and `per_page`/`page_size`/`pageSize`/`limit`/`size`
//!    query parameters, the response's only list, and the next page's
//!    number, the page count (`total_pages`, `pageCount`, ...) or the total,
//!    at the top or in `meta`, `meta.pagination` or `pagination`;
//!    or (Auth0) a response that is a union of the list and an object
//!    holding it beside `start`, `limit` and `total`: a page index from 0.
//! 8. Offsets with a total (Clerk, Spotify, PagerDuty): integer (or number) `offset` and
//!    `limit`/`per_page`/`page_size`/`size` query parameters, the response's
//!    only list and a total (`total_count`, `total`, `count`) in the same
//!    places as a page-number hint; a boolean `more`/`has_more` beside it
//!    ends the stream too, and stands for the total where there is none
//!    (PagerDuty's v3 schedules). The page may be the response's one object
//!    field beside scalars (Spotify's `playlists`), with its total.
//! 9. Offsets ending on a short page (Clerk's and Mastodon's bare arrays):
//!    the same parameters, a bare array or an object whose only list has
//!    no total nor flag beside it; a page shorter than the size sent (or
//!    the largest page read) is the last, a page equal to the one before
//!    ends the stream with an error.
//!
//!
//! The response's only list (bounded or not: PayPal's declare a
//! `maxItems`) is its one list field, or of several the one
//! named as pages name their items (`entries`, `data`, `items`, ...) when
//! exactly one is (Box's `entries` beside their sort `order`), or else the
//! one named after the route's last segment (Xero's `Invoices` of
//! `/Invoices` beside its `Warnings`).
//!
//! A cursor object (4, after the echo): Spotify's cursor paging objects and
//! Figma's team libraries, the page's only list beside `cursors.after` or
//! `cursor.after` (the page may be the response's one object field beside
//! scalars), sent back in an optional `after` query parameter: a string, or
//! a number parameter holding the cursor parsed.
//!
//! A cursor echo (4) also reads a boolean done flag beside the token
//! (`done`, `has_more`, `next_page`, `more`): with one, the token may be a
//! patterned or bounded string, and Svix's `iterator` and Notion's
//! `start_cursor` count as token parameters.
//!
//! After every operation is lowered, a GET that declares no `Link` header
//! but takes the integer `page` and `per_page` query parameters of GETs that
//! do (and answers with a list) pages by `Link` too, rather than by a body
//! hint: GitHub's description declares the header on most of its lists, not
//! on all.
//!
//! Convention 5 is in `lower/paging_body_links.rs`, `Link` headers in
//! `lower/paging_links.rs`, cursors inside an object of the page in
//! `lower/paging_nested.rs`.
//!
//! A false positive is a wrong stream, so each needs all of its structural
//! evidence; a vendor extension whose evidence is missing is a warning and
//! no stream.

use super::Ctx;
use crate::ir::{
    DoneFlag, FloatTy, IntTy, ItemId, LinkFrom, OffsetKind, OffsetShort, OffsetTotal, Operation, PageHint,
    PageHintKind, PageNumbers, PageSource, Paging, PagingKind, Param, ParamLocation, Presence, ResponseBody, StrTy, Ty,
    TypeKind,
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
pub(super) const TOKEN_ECHOES: &[(&str, &[&str])] = &[
    ("nextpage", &["page", "pagetoken", "nextpage"]),
    ("nextpagetoken", &["pagetoken", "nextpagetoken"]),
    ("nextcursor", &["cursor", "nextcursor"]),
    ("nexttoken", &["token", "nexttoken", "pagetoken"]),
    ("next", &["next", "cursor"]),
    ("cursor", &["cursor"]),
    ("nextmarker", &["marker"]),
];

/// Cursor fields that are a token only beside a done flag
/// ([`DONE_FLAGS`]), each with the query parameters it may be sent back in
/// (lowercase, without `_`): Svix's `iterator`, Notion's `start_cursor`.
const FLAGGED_ECHOES: &[(&str, &[&str])] =
    &[("iterator", &["iterator"]), ("nextcursor", &["startcursor"]), ("cursor", &["startcursor"])];

/// Boolean page fields saying whether a list goes on (lowercase, without
/// `_`), each with the value that ends it.
const DONE_FLAGS: &[(&str, bool)] = &[("done", true), ("hasmore", false), ("nextpage", false), ("more", false)];

/// Fields counting every item of an offset list (lowercase, without `_`),
/// in order of precedence.
const OFFSET_TOTALS: &[&str] = &["totalcount", "total", "count"];

/// Query parameters that take the `id` of the last item seen, with a
/// `has_more` list: Stripe's, OpenAI's and Anthropic's names.
const AFTER_CURSORS: &[&str] = &["starting_after", "after", "after_id"];

/// Cursor query parameters (lowercase, without `_`/`-`) a list may share
/// with a list declaring a `Link` header: the position, never the size.
pub(super) const LINK_CURSORS: &[&str] =
    &["after", "cursor", "page", "marker", "sinceid", "maxid", "minid", "pagetoken"];

/// Query parameters holding the page size beside an integer `page` (Xero's
/// and Adyen's camel case too).
pub(super) const PAGE_SIZES: &[&str] =
    &["per_page", "page_size", "limit", "size", "pageSize", "perPage", "itemsPerPage", "items_per_page"];

/// Query parameters numbering pages (MongoDB Atlas' `pageNum` beside
/// `itemsPerPage`), in order of precedence.
const PAGE_NUMBERS: &[&str] = &["page", "pageNum", "pageNumber", "page_number"];

/// The names pages give their list of items (lowercase, without `_`), by
/// which one list of several is the page's ([`items_by_name`]).
const ITEM_LISTS: &[&str] = &["entries", "data", "items", "results", "records"];

/// Of several list fields of a page, the one named as pages name their
/// items ([`ITEM_LISTS`]), when exactly one is: Box's `entries` beside the
/// `order` they are sorted by; else the one named after the route's last
/// segment `segment` ([`named_after`]):
/// Xero's `Invoices` of `/Invoices` beside its `Warnings`. None when none
/// or several are.
pub(super) fn items_by_name<'f>(lists: &[&'f crate::ir::Field], segment: Option<&str>) -> Option<&'f crate::ir::Field> {
    let mut named = lists.iter().filter(|f| ITEM_LISTS.contains(&squash(&f.name.wire).as_str()));
    if let (Some(f), None) = (named.next(), named.next()) {
        return Some(*f);
    }
    let wires: Vec<&str> = lists.iter().map(|f| f.name.wire.as_str()).collect();
    let wire = named_after(segment?, &wires)?;
    lists.iter().find(|f| f.name.wire == wire).copied()
}

/// Where a page-number list's hint may be: the response itself, or these
/// objects in it.
const HINT_PLACES: &[&[&str]] = &[&[], &["meta"], &["meta", "pagination"], &["pagination"]];

/// The hints of a page-number list, in order of precedence (lowercase,
/// without `_`), each with whether it may be only in a `pagination` object
/// (`pagination.next`).
const PAGE_HINTS: &[(PageHintKind, &str, bool)] = &[
    (PageHintKind::Next, "nextpage", false),
    (PageHintKind::Next, "next", true),
    (PageHintKind::Pages, "totalpages", false),
    (PageHintKind::Pages, "lastpage", false),
    (PageHintKind::Pages, "pagecount", false),
    (PageHintKind::Total, "total", false),
    (PageHintKind::Total, "totalcount", false),
    (PageHintKind::Total, "totalentries", false),
    (PageHintKind::Total, "itemcount", false),
];

/// Of several list fields, the one named after the resource the path's
/// last segment names (Mastodon's `notification_groups` of
/// `/api/v2/notifications`, beside the `accounts` and `statuses` it
/// refers to): the only one whose name starts with the segment, or with
/// it less a plural `s`, of at least four letters. None when the segment
/// is a parameter or no one list is so named (a search's `accounts`,
/// `statuses` and `hashtags`).
pub(super) fn named_after<'l>(last: &str, lists: &[&'l str]) -> Option<&'l str> {
    let segment = last.to_ascii_lowercase();
    let stem = segment.strip_suffix('s').unwrap_or(&segment);
    if stem.len() < 4 || !stem.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let mut named = lists.iter().filter(|l| l.to_ascii_lowercase().starts_with(stem));
    match (named.next(), named.next()) {
        (Some(l), None) => Some(*l),
        _ => None,
    }
}

/// The first boolean field of [`DONE_FLAGS`] among a page's fields.
pub(super) fn done_flag(fields: &[crate::ir::Field]) -> Option<DoneFlag> {
    DONE_FLAGS.iter().find_map(|(name, stops_on)| {
        let f = fields.iter().find(|f| squash(&f.name.wire) == *name && f.ty == Ty::Bool && !f.boxed)?;
        Some(DoneFlag { field: f.name.rust.clone(), presence: f.presence, stops_on: *stops_on, via: Vec::new() })
    })
}

pub(super) fn squash(name: &str) -> String {
    name.chars().filter(|c| *c != '_' && *c != '-').map(|c| c.to_ascii_lowercase()).collect()
}

/// The query parameter a token field `wire` goes back in: a name
/// [`TOKEN_ECHOES`] gives it (with a done flag, `flagged`, also
/// [`FLAGGED_ECHOES`]), an optional string; with a flag it may be bounded
/// or patterned (a token it cannot hold ends the stream).
pub(super) fn echo_param(params: &[Param], wire: &str, flagged: bool) -> Option<usize> {
    let flagged_echoes = if flagged { FLAGGED_ECHOES } else { &[] };
    let name = squash(wire);
    TOKEN_ECHOES.iter().chain(flagged_echoes).filter(|(n, _)| *n == name).find_map(|(_, wanted)| {
        let (i, token) = params.iter().enumerate().find(|(_, p)| wanted.contains(&squash(&p.name.wire).as_str()))?;
        let strict = string_query(params, &token.name.wire).is_some();
        let loose =
            flagged && token.location == ParamLocation::Query && !token.required && matches!(token.ty, Ty::Str(_));
        (strict || loose).then_some(i)
    })
}

/// An optional string query parameter (its length may be bounded), with
/// its index in `params`.
pub(super) fn string_query<'p>(params: &'p [Param], wire: &str) -> Option<(usize, &'p Param)> {
    optional_query(params, wire, |t| matches!(t, Ty::Str(StrTy { min_len: None, pattern: None, .. })))
}

/// The optional query parameter `wire` whose type passes `ty`, with its
/// index.
pub(super) fn optional_query<'p>(
    params: &'p [Param],
    wire: &str,
    ty: impl Fn(&Ty) -> bool,
) -> Option<(usize, &'p Param)> {
    params
        .iter()
        .enumerate()
        .find(|(_, p)| p.location == ParamLocation::Query && p.name.wire == wire && !p.required && ty(&p.ty))
}

/// Whether a field may be missing from a page, absent or `null`.
pub(super) fn may_lack(f: &crate::ir::Field) -> bool {
    f.presence.is_optional() || f.presence.is_nullable()
}

/// The JSON body of the operation's first success response with one.
pub(super) fn success_json(op: &Operation) -> Option<&Ty> {
    op.responses.iter().find_map(|r| match (&r.body, crate::ir::is_success(&op.responses, r.status)) {
        (ResponseBody::Json(ty), true) => Some(ty),
        _ => None,
    })
}

/// The description calls the parameter a cursor or page token ("Cursor
/// used to fetch the next page of items").
fn describes_cursor(docs: &crate::ir::Docs) -> bool {
    let Some(d) = docs.description.as_deref() else { return false };
    let d = d.to_ascii_lowercase();
    ["cursor", "continuation token", "pagination token", "page token"].iter().any(|s| d.contains(s))
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
            // Paged both ways, a list answers by offset unless asked for
            // its cursor (Box's `usemarker`): with an offset and a total,
            // the offsets are the pages a request gets.
            return Some(self.offset_total(params, body).unwrap_or(p));
        }
        if let Some(p) = self.cursor_object(params, body) {
            return Some(p);
        }
        if let Some(p) = self.nested_cursor(params, body) {
            return Some(p);
        }
        if let Some(p) = self.link_field(body) {
            return Some(p);
        }
        if let Some(p) = self.pagination_links(params, body) {
            return Some(p);
        }
        if let Some(p) = self.hal_next(params, body) {
            return Some(p);
        }
        if self.declares_link_header(optr, op) {
            // `#/paths/{template}/{method}`.
            let template = optr.tokens().nth(1);
            let last = template.as_deref().and_then(|t| t.rsplit('/').next());
            let (item, sources) = self.path_list(body, last)?;
            return Some(Paging { kind: PagingKind::NextLink { from: LinkFrom::Header }, item, sources, cap: None });
        }
        if let Some(p) = self.page_number(params, body, self.counts_from_zero(optr, op)) {
            return Some(p);
        }
        if let Some(p) = self.page_start_total(params, body) {
            return Some(p);
        }
        self.offset_total(params, body).or_else(|| self.offset_short(params, body))
    }

    /// The operation's page number query parameter ([`PAGE_NUMBERS`])
    /// declares `minimum: 0` or `default: 0` (an unsigned integer type no
    /// longer shows it).
    fn counts_from_zero(&self, optr: &Pointer, op: &'a Map) -> bool {
        let Some(Value::Array(list)) = op.get("parameters") else { return false };
        list.iter().enumerate().any(|(i, p)| {
            let Some((p, ptr)) = self.deref_quiet(&optr.join("parameters").join(i.to_string()), p) else {
                return false;
            };
            if !p.get("name").and_then(Value::as_str).is_some_and(|n| PAGE_NUMBERS.contains(&n))
                || p.get("in").and_then(Value::as_str) != Some("query")
            {
                return false;
            }
            let Some((schema, _)) = p.get("schema").and_then(|s| self.deref_quiet(&ptr.join("schema"), s)) else {
                return false;
            };
            let zero = |k: &str| schema.get(k).and_then(Value::as_f64) == Some(0.0);
            zero("minimum") || zero("default")
        })
    }

    /// Page numbers with a body hint: an optional integer `page` (or
    /// another of [`PAGE_NUMBERS`]) whose first page is 0 when its minimum or
    /// default is 0 (else 1), a page size, and the response's only list
    /// beside a next page, a page count or a total.
    fn page_number(&self, params: &[Param], body: &Ty, from_zero: bool) -> Option<Paging> {
        let int_query = |wire: &str| optional_query(params, wire, |t| matches!(t, Ty::Int(_)));
        let (page_param, page) = PAGE_NUMBERS.iter().find_map(|n| int_query(n))?;
        PAGE_SIZES.iter().find_map(|n| int_query(n))?;
        let Ty::Int(IntTy { kind, min, max, multiple_of: None }) = page.ty else { return None };
        let first_page = match min {
            Some(0) => 0,
            None if from_zero => 0,
            None | Some(1) => 1,
            Some(_) => return None,
        };
        let (item, sources) = self.one_page(body, Items::Sole)?;
        let hint = self.page_hint(body)?;
        Some(Paging {
            kind: PagingKind::PageNumber(PageNumbers {
                page_param,
                page_kind: kind,
                bounded: min.is_some() || max.is_some(),
                first_page,
                hint,
            }),
            item,
            sources,
            cap: None,
        })
    }

    /// Auth0's pages: an optional integer `page` (no minimum above 0) and a
    /// page size, and a response that is a union of the list and an object
    /// holding it beside `start`, `limit` and `total` numbers (the object
    /// answered when an optional boolean `include_totals` is set, which the
    /// stream sets). `start` being the first item's index, pages count
    /// from 0. The stream stops on an empty page or a short one.
    fn page_start_total(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        let int_query = |wire: &str| optional_query(params, wire, |t| matches!(t, Ty::Int(_)));
        let (page_param, page) = int_query("page")?;
        PAGE_SIZES.iter().find_map(|n| int_query(n))?;
        let Ty::Int(IntTy { kind, min: None | Some(0), multiple_of: None, .. }) = page.ty else { return None };
        let Ty::Named(id) = body else { return None };
        let TypeKind::Union(u) = &self.types.get(id.0)?.as_ref()?.kind else { return None };
        let counted = |t: &Ty| {
            self.struct_fields(t).is_some_and(|fields| {
                ["start", "limit", "total"].iter().all(|n| {
                    fields.iter().any(|f| {
                        f.name.wire == *n && matches!(f.ty, Ty::Int(_) | Ty::Float(_)) && !f.presence.is_nullable()
                    })
                })
            })
        };
        if !u.variants.iter().any(|v| counted(&v.ty)) {
            return None;
        }
        let (item, sources) = self.page_sources(body, Items::Sole, None)?;
        let totals_param = optional_query(params, "include_totals", |t| *t == Ty::Bool).map(|(i, _)| i);
        Some(Paging {
            kind: PagingKind::Offset {
                page_param,
                page_kind: kind,
                totals_param,
                default_size: None,
                convention: true,
            },
            item,
            sources,
            cap: None,
        })
    }

    /// The first hint of [`PAGE_HINTS`] found in a place of
    /// [`HINT_PLACES`]: an integer or number field, which may be `null`.
    fn page_hint(&self, body: &Ty) -> Option<PageHint> {
        PAGE_HINTS.iter().find_map(|(kind, name, in_pagination)| {
            HINT_PLACES
                .iter()
                .filter(|place| !*in_pagination || place.last() == Some(&"pagination"))
                .find_map(|place| self.hint_at(body, place, name, *kind))
        })
    }

    /// The integer or number field `name` (squashed) of the object at
    /// `place` in the response, as a hint of `kind`.
    fn hint_at(&self, body: &Ty, place: &[&str], name: &str, kind: PageHintKind) -> Option<PageHint> {
        let mut path = Vec::new();
        let mut wire = Vec::new();
        let mut here = self.struct_fields(body)?;
        for step in place {
            let f = here.iter().find(|f| f.name.wire == *step)?;
            let next = self.struct_fields(&f.ty)?;
            path.push((f.name.rust.clone(), f.presence));
            wire.push(f.name.wire.clone());
            here = next;
        }
        let f = here
            .iter()
            .find(|f| squash(&f.name.wire) == name && !f.boxed && matches!(f.ty, Ty::Int(_) | Ty::Float(_)))?;
        path.push((f.name.rust.clone(), f.presence));
        wire.push(f.name.wire.clone());
        Some(PageHint { kind, path, wire: wire.join(".") })
    }

    /// Offsets with a total: an optional integer `offset` from 0 (its
    /// minimum, if any, is 0), a page size, the response's only list and a
    /// total of [`OFFSET_TOTALS`] in a place of [`HINT_PLACES`], or a
    /// boolean `more`/`has_more` flag at the top beside the page's own
    /// `offset`, or both. A list with offsets but neither shows half the
    /// convention: no stream.
    fn offset_total(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        // Integers, or numbers (Clerk's `api_keys` and `m2m_tokens`).
        let number_query = |wire: &str| optional_query(params, wire, |t| matches!(t, Ty::Int(_) | Ty::Float(_)));
        let (offset_param, offset) = number_query("offset")?;
        PAGE_SIZES.iter().find_map(|n| number_query(n))?;
        let (offset_kind, bounded) = match &offset.ty {
            Ty::Int(IntTy { kind, min: min @ (None | Some(0)), max, multiple_of: None }) => {
                (OffsetKind::Int(*kind), min.is_some() || max.is_some())
            }
            Ty::Float(FloatTy { kind, min, max, exclusive_min: false, multiple_of: None, .. })
                if min.is_none_or(|m| m == 0.0) =>
            {
                (OffsetKind::Float(*kind), min.is_some() || max.is_some())
            }
            _ => return None,
        };
        let sole = |ty: &Ty| self.one_page(ty, Items::Sole);
        // The page itself, or the one object of the response holding it
        // (Spotify's `{message, playlists: {items, total, ...}}`).
        let (wrapper, (item, mut sources)) = match sole(body) {
            Some(found) => (None, found),
            None => {
                let (w, inner) = self.page_wrapper(body)?;
                (Some(w), sole(inner)?)
            }
        };
        let total = match wrapper {
            None => OFFSET_TOTALS.iter().find_map(|name| {
                HINT_PLACES.iter().find_map(|place| self.hint_at(body, place, name, PageHintKind::Total))
            }),
            Some(w) => {
                OFFSET_TOTALS.iter().find_map(|name| self.hint_at(body, &[&w.name.wire], name, PageHintKind::Total))
            }
        };
        let more = match wrapper {
            None => self.struct_fields(body).and_then(done_flag),
            // A wrapped page stops at its total.
            Some(w) => {
                total.as_ref()?;
                sources[0].items_via = vec![(w.name.rust.clone(), may_lack(w))];
                None
            }
        };
        // Without a total, the flag goes with the page's own offset, which
        // tells a page served again (a server ignoring `offset`).
        let echo = match total {
            Some(_) => None,
            None => Some(self.hint_at(body, &[], "offset", PageHintKind::Total)?),
        };
        if total.is_none() && more.is_none() {
            return None;
        }
        Some(Paging {
            kind: PagingKind::OffsetTotal(OffsetTotal { offset_param, offset_kind, bounded, total, more, echo }),
            item,
            sources,
            cap: None,
        })
    }

    /// Offsets ending on a short page: an optional integer `offset` from 0
    /// and an optional integer page size ([`PAGE_SIZES`]), answering a bare
    /// array or an object whose only list has no total nor flag beside it
    /// (those are [`Self::offset_total`]'s, or half of it: no stream).
    fn offset_short(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        let int_query = |wire: &str| optional_query(params, wire, |t| matches!(t, Ty::Int(_)));
        let (offset_param, offset) = int_query("offset")?;
        let (size_param, size) = PAGE_SIZES.iter().find_map(|n| int_query(n))?;
        let Ty::Int(IntTy { kind, min: None | Some(0), max, multiple_of: None }) = offset.ty else { return None };
        let Ty::Int(IntTy { kind: size_kind, min: size_min, max: size_max, multiple_of: None }) = size.ty else {
            return None;
        };
        let (item, sources) = self.one_page(body, Items::Sole)?;
        if let Some(fields) = self.struct_fields(body) {
            let total = OFFSET_TOTALS.iter().any(|name| {
                HINT_PLACES.iter().any(|place| self.hint_at(body, place, name, PageHintKind::Total).is_some())
            });
            if total || done_flag(fields).is_some() {
                return None;
            }
        }
        let bounded = matches!(offset.ty, Ty::Int(IntTy { min: Some(_), .. })) || max.is_some();
        Some(Paging {
            kind: PagingKind::OffsetShort(OffsetShort {
                offset_param,
                offset_kind: kind,
                bounded,
                size_param,
                size_kind,
                size_bounded: size_min.is_some() || size_max.is_some(),
            }),
            item,
            sources,
            cap: None,
        })
    }

    /// The response's one object field holding a page, with its type, when
    /// the response has no list of its own: every other field is a scalar
    /// (Spotify's `message`), or another object when only this one holds
    /// a list beside a total (Clerk's front-end API answers `{response:
    /// {data, total_count}, client}`, the signed-in client beside every
    /// page; a search's several lists, each with its total, stay apart).
    fn page_wrapper<'t>(&'t self, body: &'t Ty) -> Option<(&'t crate::ir::Field, &'t Ty)> {
        let fields = self.struct_fields(body)?;
        let objects: Vec<&crate::ir::Field> =
            fields.iter().filter(|f| self.object_field(fields, &f.name.wire).is_some()).collect();
        let w = match objects[..] {
            [w] => w,
            [] => return None,
            _ => {
                let totalled = |w: &&&crate::ir::Field| {
                    self.one_page(&w.ty, Items::Sole).is_some_and(|(_, s)| s[0].items_field.is_some())
                        && OFFSET_TOTALS
                            .iter()
                            .any(|n| self.hint_at(body, &[&w.name.wire], n, PageHintKind::Total).is_some())
                };
                let mut paged = objects.iter().filter(totalled);
                let (Some(w), None) = (paged.next(), paged.next()) else { return None };
                w
            }
        };
        // `w` is one of `objects`.
        let rest = fields.iter().all(|f| {
            objects.iter().any(|o| std::ptr::eq(f, *o))
                || matches!(f.ty, Ty::Str(_) | Ty::Int(_) | Ty::Float(_) | Ty::Bool | Ty::Format(_))
        });
        rest.then_some((w, &w.ty))
    }

    fn dropshot(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        let (token_param, _) = string_query(params, "page_token").filter(|(_, p)| p.ty == Ty::Str(StrTy::default()))?;
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
            .enumerate()
            .filter(|(_, p)| {
                p.location == ParamLocation::Query && p.name.wire != "page_token" && p.name.wire != "limit"
            })
            .map(|(i, _)| i)
            .collect();
        Some(Paging {
            kind: PagingKind::Token { token_param, only: Some(unset), done: None },
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
        let (after_param, _) = AFTER_CURSORS.iter().find_map(|name| string_query(params, name))?;
        let Ty::Named(id) = body else { return None };
        let TypeKind::Struct(st) = &self.types.get(id.0)?.as_ref()?.kind else { return None };
        let more =
            st.fields.iter().find(|f| f.name.wire == "has_more" && f.ty == Ty::Bool && !f.presence.is_nullable())?;
        let (item, sources) = self.page_sources(body, Items::Named("data"), None)?;
        let item_id = self.item_cursor_field(&item, "id")?;
        Some(Paging {
            kind: PagingKind::HasMore {
                after_param,
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
    /// matching name, with the done flag beside it if any. With a flag,
    /// the names of [`FLAGGED_ECHOES`] count too, and the parameter may be
    /// a bounded or patterned string (a token it cannot hold ends the
    /// stream).
    fn token_echo(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        let Ty::Named(id) = body else { return None };
        let TypeKind::Struct(st) = &self.types.get(id.0)?.as_ref()?.kind else { return None };
        let done = done_flag(&st.fields);
        for f in &st.fields {
            let Some(token_param) = echo_param(params, &f.name.wire, done.is_some()) else { continue };
            let Some((item, sources)) = self.page_sources(body, Items::Sole, Some(&f.name.wire)) else { continue };
            if sources.len() != 1 || sources[0].next_field.is_none() {
                continue;
            }
            let kind = PagingKind::Token { token_param, only: None, done: done.clone() };
            return Some(Paging { kind, item, sources, cap: None });
        }
        self.same_name_echo(params, body, &st.fields, done)
    }

    /// A cursor object (Spotify's `cursors`, Figma's `cursor`): the page
    /// (the response, or its one object field beside scalars, never
    /// optional) holds its only list and an object `cursors` or `cursor`
    /// whose `after` field is sent back in the optional `after` query
    /// parameter: a string, or an integer or number without bounds (a
    /// cursor it cannot hold ends the stream). Only `after`: a `before`
    /// pages backwards.
    fn cursor_object(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        let (token_param, _) = params.iter().enumerate().find(|(_, p)| {
            p.location == ParamLocation::Query
                && p.name.wire == "after"
                && !p.required
                && matches!(
                    p.ty,
                    Ty::Str(StrTy { min_len: None, max_len: None, pattern: None })
                        | Ty::Int(IntTy { min: None, max: None, multiple_of: None, .. })
                        | Ty::Float(FloatTy { min: None, max: None, multiple_of: None, .. })
                )
        })?;
        let sole = |ty: &Ty| self.one_page(ty, Items::Sole);
        let (wrapper, (item, mut sources)) = match sole(body) {
            Some(found) => (None, found),
            None => {
                let (w, inner) = self.page_wrapper(body)?;
                if w.presence != Presence::Required {
                    return None;
                }
                (Some(w), sole(inner)?)
            }
        };
        sources[0].items_field.as_ref()?;
        let fields = match wrapper {
            None => self.struct_fields(body)?,
            Some(w) => self.object_field(self.struct_fields(body)?, &w.name.wire)?.1,
        };
        let (cursors, inner) = ["cursors", "cursor"].iter().find_map(|n| self.object_field(fields, n))?;
        let after = inner.iter().find(|f| {
            f.name.wire == "after"
                && !f.boxed
                && matches!(f.ty, Ty::Str(StrTy { pattern: None, .. }) | Ty::Int(_) | Ty::Float(_))
        })?;
        let src = &mut sources[0];
        if let Some(w) = wrapper {
            src.items_via = vec![(w.name.rust.clone(), false)];
            src.next_via.push((w.name.rust.clone(), w.presence));
        }
        src.next_via.push((cursors.name.rust.clone(), cursors.presence));
        src.next_field = Some((after.name.rust.clone(), may_lack(after)));
        src.next_nullable = after.presence == Presence::OptionalNull;
        let kind = PagingKind::Token { token_param, only: None, done: None };
        Some(Paging { kind, item, sources, cap: None })
    }

    /// A token echoed under its own name (Pinterest's `bookmark`): a string
    /// field of the page and an optional string query parameter of the same
    /// name that its description calls a cursor or page token. A filter
    /// echoed in the body (`status`, `name`) is described otherwise.
    fn same_name_echo(
        &self,
        params: &[Param],
        body: &Ty,
        fields: &[crate::ir::Field],
        done: Option<DoneFlag>,
    ) -> Option<Paging> {
        fields.iter().find_map(|f| {
            let (token_param, token) = string_query(params, &f.name.wire)?;
            if !describes_cursor(&token.docs) {
                return None;
            }
            let (item, sources) = self.page_sources(body, Items::Sole, Some(&f.name.wire))?;
            if sources.len() != 1 || sources[0].next_field.is_none() {
                return None;
            }
            let kind = PagingKind::Token { token_param, only: None, done: done.clone() };
            Some(Paging { kind, item, sources, cap: None })
        })
    }

    /// The string field `name` of a struct item type, never `null` (its
    /// length may be bounded), and whether it is optional; or the field of
    /// every variant of a union of such structs (Stripe's polymorphic lists).
    fn item_cursor_field(&self, item: &Ty, name: &str) -> Option<ItemId> {
        let field = |ty: &Ty| -> Option<(String, bool)> {
            let Ty::Named(id) = ty else { return None };
            let TypeKind::Struct(st) = &self.types.get(id.0)?.as_ref()?.kind else { return None };
            let f = st.fields.iter().find(|f| {
                f.name.wire == name
                    && !f.presence.is_nullable()
                    && matches!(f.ty, Ty::Str(StrTy { pattern: None, .. }) | Ty::Format(crate::ir::Format::Uuid))
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

    /// The field `name` of `fields` holding an object (a struct, or a name
    /// for one), never `Option<Option<_>>` nor boxed, and that object's fields.
    pub(super) fn object_field<'f>(
        &'f self,
        fields: &'f [crate::ir::Field],
        name: &str,
    ) -> Option<(&'f crate::ir::Field, &'f [crate::ir::Field])> {
        let f = fields.iter().find(|f| f.name.wire == name && !f.boxed && f.presence != Presence::OptionalNull)?;
        Some((f, self.object_fields(&f.ty)?))
    }

    /// The fields of the object type `ty`: a struct, or a name for one.
    pub(super) fn object_fields<'t>(&'t self, mut ty: &'t Ty) -> Option<&'t [crate::ir::Field]> {
        // Through aliases and same-shape names, a few steps at most.
        for _ in 0..8 {
            let Ty::Named(id) = ty else { return None };
            match &self.types.get(id.0)?.as_ref()?.kind {
                TypeKind::Struct(st) => return Some(st.fields.as_slice()),
                TypeKind::Alias(t) => ty = t,
                TypeKind::SameShape(other) => {
                    let TypeKind::Struct(st) = &self.types.get(other.0)?.as_ref()?.kind else { return None };
                    return Some(st.fields.as_slice());
                }
                _ => return None,
            }
        }
        None
    }

    /// The fields of a struct type.
    /// The page's list by `items`, in one shape: the response itself, not
    /// each variant of a union.
    pub(super) fn one_page(&self, body: &Ty, items: Items<'_>) -> Option<(Ty, Vec<PageSource>)> {
        self.page_sources(body, items, None).filter(|(_, s)| s.len() == 1 && s[0].variant.is_none())
    }

    pub(super) fn struct_fields(&self, ty: &Ty) -> Option<&[crate::ir::Field]> {
        let Ty::Named(id) = ty else { return None };
        match &self.types.get(id.0)?.as_ref()?.kind {
            TypeKind::Struct(st) => Some(st.fields.as_slice()),
            _ => None,
        }
    }
}
