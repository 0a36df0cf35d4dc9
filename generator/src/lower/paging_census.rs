//! The paging census: every GET taking a paging query parameter
//! ([`POSITIONS`] or [`SIZES`]), and for each one without a stream, why not, in the
//! terms of the detection in `lower/paging.rs` (which convention's
//! evidence is missing). `cargo xtask corpus` prints it; nothing is decided
//! here.

use super::paging::{squash, success_json};
use super::Ctx;
use crate::ir::{Method, Operation, ParamLocation, Ty, TypeKind};

/// Query parameters that size or offset a page (lowercase, without
/// `_`/`-`); with [`POSITIONS`], every parameter that pages a list.
const SIZES: &[&str] = &["perpage", "pagesize", "limit", "offset"];

/// Query parameters that send a position (a cursor or page), not a size
/// (lowercase, without `_`/`-`).
const POSITIONS: &[&str] = &[
    "page",
    "pagenumber",
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
        let arrays =
            |ty: &Ty| self.struct_fields(ty).map_or(0, |f| f.iter().filter(|f| matches!(f.ty, Ty::Array(_))).count());
        let Some((_, sources)) = self.page_sources(body, super::paging::Items::Sole, None) else {
            return Some(match arrays(body) {
                0 if self.is_union(body) => "no list in the 200 body (a union)",
                0 => "no list in the 200 body",
                1 => "the body's list is nullable or bounded",
                _ => "two lists in the body",
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
            return Some("a next link in the body's `_links` (HAL), but no `_links.next.href` string");
        }
        Some(if positioned {
            "cursor or page parameter, but no body field a convention knows as its cursor, next link or page hint"
        } else {
            "only a size or offset, and no body field a convention knows as a next link or page hint"
        })
    }

    fn is_union(&self, ty: &Ty) -> bool {
        let Ty::Named(id) = ty else { return false };
        matches!(self.types.get(id.0).and_then(Option::as_ref).map(|t| &t.kind), Some(TypeKind::Union(_)))
    }
}
