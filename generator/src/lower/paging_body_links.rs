//! Next pages by a link in the body: a field holding the next page's URL
//! beside the page's list (Twilio's `next_page_uri`), Figma's
//! `pagination.next_page` beside `prev_page`, and links by relation, HAL's
//! `_links.next.href` (Okta) or `link.next.href` (Adyen). Conventions 5 of
//! `lower/paging.rs`, which tries them in its order.

use super::paging::{may_lack, squash, success_json, Items, LINK_CURSORS, PAGE_SIZES, TOKEN_ECHOES};
use super::Ctx;
use crate::ir::{LinkFrom, Operation, Paging, PagingKind, Param, ParamLocation, Presence, StrTy, Ty, TypeKind};

/// Body fields holding the next page's URL (lowercase, without `_`/`-`).
const NEXT_LINKS: &[&str] = &["nextpageuri", "nextpageurl", "nextlink", "nexturl", "nexturi"];

/// The objects of a page holding its links by relation (`next.href`):
/// HAL's `_links`, and the `links` or `link` of descriptions that name it so.
const LINKS_OBJECTS: &[&str] = &["_links", "links", "link"];

impl Ctx<'_> {
    /// A body field holding the next page's URL (Twilio's `next_page_uri`),
    /// beside the response's only list.
    pub(super) fn link_field(&self, body: &Ty) -> Option<Paging> {
        let Ty::Named(id) = body else { return None };
        let TypeKind::Struct(st) = &self.types.get(id.0)?.as_ref()?.kind else { return None };
        let f = st.fields.iter().find(|f| NEXT_LINKS.contains(&squash(&f.name.wire).as_str()))?;
        let (item, sources) = self.page_sources(body, Items::Sole, Some(&f.name.wire))?;
        if sources.len() != 1 || sources[0].next_field.is_none() {
            return None;
        }
        Some(Paging { kind: PagingKind::NextLink { from: LinkFrom::Field }, item, sources, cap: None })
    }

    /// Page links in a `pagination` object (Figma's file versions and
    /// webhooks): the response's only list beside `pagination.next_page`
    /// and `pagination.prev_page`, strings, on a GET with no query
    /// parameter a token of that name would go back in ([`TOKEN_ECHOES`]
    /// for `next_page`): with nowhere to send it, the next page is a URL.
    pub(super) fn pagination_links(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        let echoes = TOKEN_ECHOES.iter().filter(|(n, _)| *n == "nextpage").flat_map(|(_, wanted)| wanted.iter());
        if echoes.clone().any(|w| params.iter().any(|p| squash(&p.name.wire) == *w)) {
            return None;
        }
        let (item, mut sources) = self.one_page(body, Items::Sole).filter(|(_, s)| s[0].items_field.is_some())?;
        let (pagination, fields) = self.object_field(self.struct_fields(body)?, "pagination")?;
        let link = |name: &str| {
            fields.iter().find(|f| {
                f.name.wire == name
                    && !f.boxed
                    && matches!(&f.ty, Ty::Str(StrTy { pattern: None, .. }) | Ty::Format(crate::ir::Format::Uri))
            })
        };
        let next = link("next_page")?;
        link("prev_page")?;
        let src = &mut sources[0];
        src.next_via = vec![(pagination.name.rust.clone(), pagination.presence)];
        src.next_field = Some((next.name.rust.clone(), may_lack(next)));
        src.next_nullable = next.presence == Presence::OptionalNull;
        Some(Paging { kind: PagingKind::NextLink { from: LinkFrom::Field }, item, sources, cap: None })
    }

    /// A HAL next link (Okta's wrapper lists, Adyen's): the response's only
    /// list beside `_links.next.href` (or `links` or `link` for `_links`,
    /// [`LINKS_OBJECTS`]), a string, on a GET taking a cursor, page or size
    /// query parameter ([`LINK_CURSORS`], [`PAGE_SIZES`], `offset`,
    /// `pageNumber`). The parameter may be required: later pages follow the
    /// link as it is.
    pub(super) fn hal_next(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        let pages = params.iter().any(|p| {
            let name = squash(&p.name.wire);
            p.location == ParamLocation::Query
                && (LINK_CURSORS.contains(&name.as_str())
                    || PAGE_SIZES.contains(&p.name.wire.as_str())
                    || ["offset", "pagenumber"].contains(&name.as_str()))
        });
        if !pages {
            return None;
        }
        let (item, mut sources) = self.one_page(body, Items::Sole).filter(|(_, s)| s[0].items_field.is_some())?;
        let top = self.struct_fields(body)?;
        let (links, fields) = LINKS_OBJECTS.iter().find_map(|n| self.object_field(top, n))?;
        let (next, fields) = self.object_field(fields, "next")?;
        let href = fields.iter().find(|f| {
            f.name.wire == "href"
                && !f.boxed
                && matches!(&f.ty, Ty::Str(StrTy { pattern: None, .. }) | Ty::Format(crate::ir::Format::Uri))
        })?;
        let src = &mut sources[0];
        src.next_via = vec![(links.name.rust.clone(), links.presence), (next.name.rust.clone(), next.presence)];
        src.next_field = Some((href.name.rust.clone(), may_lack(href)));
        src.next_nullable = href.presence == Presence::OptionalNull;
        Some(Paging { kind: PagingKind::NextLink { from: LinkFrom::Hal }, item, sources, cap: None })
    }

    /// The response is an object with a HAL `_links` field, or another of
    /// [`LINKS_OBJECTS`] (where Okta's and Adyen's wrapper lists put their
    /// next page).
    pub(super) fn hal_links(&self, op: &Operation) -> bool {
        success_json(op)
            .and_then(|b| self.struct_fields(b))
            .is_some_and(|f| f.iter().any(|f| LINKS_OBJECTS.contains(&f.name.wire.as_str())))
    }
}
