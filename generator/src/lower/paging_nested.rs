//! Cursors in an object of the page, sent back in a query parameter: the
//! next page's parameters in a `next` object (Asana's `next_page.offset`,
//! Intercom's `pages.next.starting_after`), and a token in an object of
//! the page, beside the list or around it, with a done flag beside the
//! token if there is one (Slack's `response_metadata.next_cursor`,
//! Figma's `meta.cursor` and `meta.next_page`, Apideck's
//! `meta.cursors.next`). Half of one (no parameter to send the cursor in,
//! no one list) is no stream.

use super::paging::{done_flag, echo_param, may_lack, squash, string_query, Items};
use super::Ctx;
use crate::ir::{Field, PageSource, Paging, PagingKind, Param, Presence, StrTy, Ty};

/// Objects of a page that hold the next page's parameters (lowercase,
/// without `_`).
const NEXT_OBJECTS: &[&str] = &["next", "nextpage"];

impl Ctx<'_> {
    /// A cursor in an object of the page ([`Self::next_object`], else
    /// [`Self::wrapped_token`]).
    pub(super) fn nested_cursor(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        self.next_object(params, body).or_else(|| self.wrapped_token(params, body))
    }

    /// The one `next` or `next_page` object of the page, or of an object of
    /// the page (Intercom's `pages.next`), with a string field named as an
    /// optional string query parameter: the next page is the same request
    /// with that parameter set to the field. Either object may be absent
    /// or `null` (Asana's `next_page` is `null` on the last page).
    fn next_object(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        let is_next = |f: &Field| !f.boxed && NEXT_OBJECTS.contains(&squash(&f.name.wire).as_str());
        let mut paths: Vec<Vec<&Field>> = Vec::new();
        for outer in self.struct_fields(body)?.iter().filter(|f| !f.boxed) {
            let Some(inner) = self.object_fields(&outer.ty) else { continue };
            if is_next(outer) {
                paths.push(vec![outer]);
                continue;
            }
            let nested = inner.iter().filter(|f| is_next(f) && self.object_fields(&f.ty).is_some());
            paths.extend(nested.map(|f| vec![outer, f]));
        }
        // Two such objects: which one is the next page's is not shown.
        let [path] = &paths[..] else { return None };
        let next = self.object_fields(&path.last()?.ty)?;
        let (token_param, token) = next.iter().find_map(|f| {
            let string = !f.boxed && matches!(f.ty, Ty::Str(StrTy { pattern: None, .. }));
            string.then(|| string_query(params, &f.name.wire)).flatten().map(|(i, _)| (i, f))
        })?;
        let (item, mut sources) = self.list_beside(body, None)?;
        set_next(&mut sources[0], path, token);
        Some(Paging { kind: PagingKind::Token { token_param, only: None, done: None }, item, sources, cap: None })
    }

    /// An object of the page holding a cursor a query parameter echoes (a
    /// field named as a cursor, token or iterator, as the page-level echo
    /// pairs them: `next_cursor` in `cursor`), with the done flag beside it
    /// if any, or holding a `cursors` object whose `next` goes back in
    /// `cursor` (Apideck's `meta.cursors.next`). The page's one list is
    /// beside the object or in it (Figma's `meta.activity_logs`). An object
    /// of links (`links`, `_links`) holds URLs, not cursors.
    fn wrapped_token(&self, params: &[Param], body: &Ty) -> Option<Paging> {
        let wrappers = self.struct_fields(body)?.iter().filter(|f| {
            !f.boxed
                && f.presence != Presence::OptionalNull
                && !["links", "link"].contains(&squash(&f.name.wire).as_str())
        });
        let string = |f: &&Field| !f.boxed && matches!(f.ty, Ty::Str(StrTy { pattern: None, .. }));
        for w in wrappers {
            let Some(inner) = self.object_fields(&w.ty) else { continue };
            let done = done_flag(inner);
            let named = inner.iter().filter(string).filter(|f| {
                let n = squash(&f.name.wire);
                n.contains("cursor") || n.contains("token") || n == "iterator"
            });
            let mut found: Vec<(Vec<&Field>, &Field, usize)> =
                named.filter_map(|t| Some((vec![w], t, echo_param(params, &t.name.wire, done.is_some())?))).collect();
            if let Some((cursors, fields)) = self.object_field(inner, "cursors") {
                let next = fields.iter().filter(string).find(|f| f.name.wire == "next");
                let param = string_query(params, "cursor").map(|(i, _)| i);
                found.extend(next.zip(param).map(|(t, i)| (vec![w, cursors], t, i)));
            }
            for (path, token, token_param) in found {
                let Some((item, mut sources)) = self.list_beside(body, Some(w)) else { continue };
                set_next(&mut sources[0], &path, token);
                // The flag is the object's, whichever of its cursors it is.
                let flag =
                    done.clone().map(|d| crate::ir::DoneFlag { via: vec![(w.name.rust.clone(), w.presence)], ..d });
                let kind = PagingKind::Token { token_param, only: None, done: flag };
                return Some(Paging { kind, item, sources, cap: None });
            }
        }
        None
    }

    /// The page's one list: a field of the page, else (with `wrapper`, an
    /// object field of the page that is never `null`) a field of that
    /// object. A total counts only beside a list of the page.
    fn list_beside(&self, body: &Ty, wrapper: Option<&Field>) -> Option<(Ty, Vec<PageSource>)> {
        let listed = |ty: &Ty| self.one_page(ty, Items::Sole).filter(|(_, s)| s[0].items_field.is_some());
        if let Some(found) = listed(body) {
            return Some(found);
        }
        let w = wrapper?;
        let (item, mut sources) = listed(&w.ty)?;
        sources[0].items_via = vec![(w.name.rust.clone(), may_lack(w))];
        sources[0].total_field = None;
        Some((item, sources))
    }
}

/// The page's next cursor is `token`, in the object the fields of `path`
/// lead to.
fn set_next(src: &mut PageSource, path: &[&Field], token: &Field) {
    src.next_via = path.iter().map(|f| (f.name.rust.clone(), f.presence)).collect();
    src.next_field = Some((token.name.rust.clone(), may_lack(token)));
    src.next_nullable = token.presence == Presence::OptionalNull;
}
