//! The paging census: every GET taking a paging query parameter
//! ([`POSITIONS`] or [`SIZES`]), and for each one without a stream, why not, in the
//! terms of the detection in `lower/paging.rs` (which convention's
//! evidence is missing). `cargo xtask corpus` prints it; nothing is decided
//! here.
//!
//! A reason starting "no " says the GET is not a paged list, and the census
//! does not count it as one: no list in its body, several lists each paged
//! on its own (Spotify's `/search`), or a size alone (`limit`) with nothing
//! in the request or the body to ask for a later page (Spotify's
//! `/recommendations`, Mastodon's `/suggestions`). A size beside a body
//! that carries a cursor or next page (Figma's activity logs) is a list
//! whose description lacks the parameter: it counts, and is listed.

use super::paging::{squash, success_json};
use super::Ctx;
use crate::ir::{Method, Operation, ParamLocation, Ty, TypeKind};

/// Query parameters that size or offset a page (lowercase, without
/// `_`/`-`); with [`POSITIONS`], every parameter that pages a list.
const SIZES: &[&str] = &["perpage", "pagesize", "limit", "offset", "itemsperpage"];

/// Query parameters that send a position (a cursor or page), not a size
/// (lowercase, without `_`/`-`).
/// Body fields (lowercase, without `_`/`-`), at the top or one object
/// down, that carry a later page's position, a next link or a flag saying
/// more follow: a GET taking only a size beside one of them is a list
/// whose description lacks the position parameter, not a capped answer.
const CARRIES_NEXT: &[&str] = &[
    "next",
    "nextpage",
    "nextpagetoken",
    "nextcursor",
    "nexttoken",
    "nextlink",
    "nexturl",
    "nexturi",
    "nextpageuri",
    "nextpageurl",
    "cursor",
    "cursors",
    "after",
    "iterator",
    "bookmark",
    "links",
    "more",
    "hasmore",
    "done",
    "pagination",
];

const POSITIONS: &[&str] = &[
    "page",
    "pagenumber",
    "pagenum",
    "cursor",
    "after",
    "before",
    "startingafter",
    "endingbefore",
    "iterator",
    "bookmark",
    "pagetoken",
    "nexttoken",
    "nextpage",
    "startcursor",
    "marker",
    "sinceid",
    "maxid",
    "minid",
    "continuationtoken",
    "skiptoken",
];

impl Ctx<'_> {
    /// Each GET taking a paging query parameter, by index, with why it
    /// gets no stream (`None`: it gets one).
    pub(super) fn paging_census(&self, ops: &[Operation]) -> Vec<(usize, Option<&'static str>)> {
        let takes = |op: &Operation, names: &[&str]| {
            op.params
                .iter()
                .any(|p| p.location == ParamLocation::Query && names.contains(&squash(&p.name.wire).as_str()))
        };
        ops.iter()
            .enumerate()
            .filter(|(_, op)| op.method == Method::Get && (takes(op, POSITIONS) || takes(op, SIZES)))
            .map(|(i, op)| (i, self.why_no_stream(op, takes(op, POSITIONS))))
            .collect()
    }

    /// Why a GET taking paging parameters gets no stream; `positioned`:
    /// one of them is a cursor or page, not only a size or offset.
    fn why_no_stream(&self, op: &Operation, positioned: bool) -> Option<&'static str> {
        if op.stream_paging().is_some() {
            return None;
        }
        if op.paging.is_some() {
            return Some(match op.body.as_ref().is_some_and(|b| b.required) {
                true => "pages, but takes a required request body",
                false => "pages, but its success responses differ (two bodies, or a bodiless one beside a union)",
            });
        }
        let Some(body) = success_json(op) else { return Some("no JSON body in the success response") };
        let offset = op.params.iter().any(|p| p.location == ParamLocation::Query && squash(&p.name.wire) == "offset");
        // A size alone, and nothing in the body to reach a later page by:
        // the size caps one answer (Spotify's recommendations).
        if !positioned && !offset && !self.carries_next(body) {
            return Some("no later page to ask for: only a size parameter, no offset, page or cursor, and no next page in the body");
        }
        let arrays =
            |ty: &Ty| self.struct_fields(ty).map_or(0, |f| f.iter().filter(|f| matches!(f.ty, Ty::Array(_))).count());
        let Some((_, sources)) = self.page_sources(body, super::paging::Items::Sole, None) else {
            return Some(match arrays(body) {
                0 if self.is_union(body) => "no list in the 200 body (a union)",
                0 => match self.lists_one_down(body) {
                    0 if self.union_of_lists(body) => {
                        "the body's list is a union of lists (`oneOf` of arrays) that no stream reads: nullable, discriminated, of bounded lists or beside another list"
                    }
                    0 => "no list in the 200 body",
                    1 if !positioned && !offset => {
                        "a list one object down, with a cursor or next page beside it, but no parameter sends it back"
                    }
                    1 => "a list one object down, with no cursor, next link or page hint a convention knows beside it",
                    _ => "no one list: several lists, each in its own object, answered at once (a search)",
                },
                1 => "the body's list is nullable",
                _ => "two lists in the body: no one item type to stream",
            });
        };
        if sources.len() > 1 || sources[0].variant.is_some() {
            return Some("a union of lists in the body");
        }
        if sources[0].items_field.is_none() {
            return Some(match positioned {
                false => "answers a bare array, takes only a size or offset and declares no Link header",
                true => "answers a bare array and declares no Link header",
            });
        }
        if self.hal_links(op) {
            return Some(
                "links by relation in the body (HAL's `_links`, or `links`), but no `next.href` string beside one list",
            );
        }
        Some(match (positioned, offset) {
            (true, _) => {
                "cursor or page parameter, but no body field a convention knows as its cursor, next link or page hint"
            }
            (false, false) => "only a size: the body carries a cursor or next page, but no parameter sends it back",
            (false, true) => "only a size or offset, and no body field a convention knows as a next link or page hint",
        })
    }

    /// A field of the body, at the top or in one of its objects, of a
    /// [`CARRIES_NEXT`] name.
    fn carries_next(&self, body: &Ty) -> bool {
        let Some(fields) = self.struct_fields(body) else { return false };
        let named = |f: &crate::ir::Field| CARRIES_NEXT.contains(&squash(&f.name.wire).as_str());
        fields.iter().any(|f| named(f) || self.struct_fields(&f.ty).is_some_and(|inner| inner.iter().any(named)))
    }

    /// How many object fields of the body hold a list of their own.
    fn lists_one_down(&self, body: &Ty) -> usize {
        let Some(fields) = self.struct_fields(body) else { return 0 };
        fields
            .iter()
            .filter_map(|f| self.struct_fields(&f.ty))
            .filter(|inner| inner.iter().any(|f| matches!(f.ty, Ty::Array(_))))
            .count()
    }

    /// A field of the body is a union whose variants are all lists, which
    /// `page_sources` did not take as the page's list (it takes Figma's
    /// `rows`, `lower/paging_items.rs`).
    fn union_of_lists(&self, body: &Ty) -> bool {
        let Some(fields) = self.struct_fields(body) else { return false };
        fields.iter().any(|f| {
            let Ty::Named(id) = &f.ty else { return false };
            match self.types.get(id.0).and_then(Option::as_ref).map(|t| &t.kind) {
                Some(TypeKind::Union(u)) => {
                    !u.variants.is_empty() && u.variants.iter().all(|v| matches!(v.ty, Ty::Array(_)))
                }
                _ => false,
            }
        })
    }

    fn is_union(&self, ty: &Ty) -> bool {
        let Ty::Named(id) = ty else { return false };
        matches!(self.types.get(id.0).and_then(Option::as_ref).map(|t| &t.kind), Some(TypeKind::Union(_)))
    }
}
