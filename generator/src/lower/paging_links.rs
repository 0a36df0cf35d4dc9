//! Paging by RFC 8288 `Link` headers (GitHub, Okta, Mastodon): which
//! lists the header pages, whether a success response declares it, and
//! the lists that declare none but share the parameters of one that does
//! (`page` and `per_page` by example, or a cursor of the same name and
//! type, or one whose description says it comes from the header).

use super::paging::{named_after, optional_query, squash, success_json, Items, LINK_CURSORS};
use super::Ctx;
use crate::ir::{LinkFrom, Method, Operation, PageSource, Paging, PagingKind, Param, ParamLocation, Ty};
use crate::pointer::Pointer;
use crate::value::{Map, Value};

/// The operation pages by a `Link` header it declares.
fn by_link(op: &Operation) -> bool {
    matches!(&op.paging, Some(p) if p.kind == PagingKind::NextLink { from: LinkFrom::Header })
}

/// An optional query parameter of a [`LINK_CURSORS`] name.
fn link_cursor(p: &Param) -> bool {
    p.location == ParamLocation::Query && !p.required && LINK_CURSORS.contains(&squash(&p.name.wire).as_str())
}

/// The same cursor: one shared parameter (`#/components/parameters/...`),
/// or string parameters of the same name. An integer `page` of its own is
/// no evidence: page numbers are as common without `Link` as with it.
fn same_cursor(a: &Param, b: &Param) -> bool {
    let shared = |p: &Param| p.pointer.as_str().starts_with("/components/parameters/");
    (shared(a) && a.pointer == b.pointer) || (a.name.wire == b.name.wire && matches!(a.ty, Ty::Str(_)) && a.ty == b.ty)
}

/// The description says the value comes from the `Link` header (Okta:
/// "obtained from the `Link` response header", "a link in the HTTP Header
/// (`rel=next`)", "the next link relation"; GitHub: "Refer to the `link`
/// header").
fn mentions_link_header(docs: &crate::ir::Docs) -> bool {
    let Some(d) = docs.description.as_deref() else { return false };
    let d = d.to_ascii_lowercase();
    ["`link` header", "`link` response header", "link header", "(`rel=next`)", "next link relation"]
        .iter()
        .any(|s| d.contains(s))
}

impl<'a> Ctx<'a> {
    /// Gives `Link` paging to the GETs without paging that take the integer
    /// `page` and `per_page` query parameters, when an operation declaring
    /// the header takes them too; then [`Self::link_cursor_by_example`].
    pub(super) fn link_paging_by_example(&self, ops: &mut [Operation]) {
        let paged = |op: &Operation| {
            ["page", "per_page"].iter().all(|n| optional_query(&op.params, n, |t| matches!(t, Ty::Int(_))).is_some())
        };
        self.link_cursor_by_example(ops);
        if !ops.iter().any(|op| by_link(op) && paged(op)) {
            return;
        }
        // A body hint gives way to the `Link` header the description shows
        // (GitHub's `total_count` lists).
        let by_number = |op: &Operation| matches!(&op.paging, Some(p) if matches!(p.kind, PagingKind::PageNumber(_)));
        for op in
            ops.iter_mut().filter(|op| (op.paging.is_none() || by_number(op)) && op.method == Method::Get && paged(op))
        {
            let Some((item, sources)) = self.sole_list(op) else { continue };
            op.paging = Some(Paging {
                kind: PagingKind::NextLink { from: LinkFrom::HeaderByExample },
                item,
                sources,
                cap: None,
            });
        }
    }

    /// Gives `Link` paging to the GETs without paging whose cursor
    /// parameter ([`LINK_CURSORS`]) is one a list declaring the header takes
    /// (same name, location and type: Okta's shared `queryAfter`), or says
    /// it comes from the `Link` header, when they answer a list with no next
    /// link of their own in the body (Okta's `_links.next`).
    fn link_cursor_by_example(&self, ops: &mut [Operation]) {
        // One of each shared parameter, or string parameter of a name.
        let mut shared: Vec<&Param> = Vec::new();
        for p in ops.iter().filter(|op| by_link(op)).flat_map(|op| op.params.iter().filter(|p| link_cursor(p))) {
            if !shared.iter().any(|s| same_cursor(s, p)) {
                shared.push(p);
            }
        }
        let found: Vec<(usize, Ty, Vec<PageSource>)> = ops
            .iter()
            .enumerate()
            .filter(|(_, op)| op.paging.is_none() && op.method == Method::Get)
            .filter(|(_, op)| {
                op.params
                    .iter()
                    .filter(|p| link_cursor(p))
                    .any(|p| shared.iter().any(|s| same_cursor(s, p)) || mentions_link_header(&p.docs))
            })
            .filter(|(_, op)| !self.hal_links(op))
            .filter_map(|(i, op)| self.sole_list(op).map(|(item, sources)| (i, item, sources)))
            .collect();
        for (i, item, sources) in found {
            let kind = PagingKind::NextLink { from: LinkFrom::HeaderByExample };
            ops[i].paging = Some(Paging { kind, item, sources, cap: None });
        }
    }

    /// The response's list, in one shape ([`Self::path_list`]).
    pub(super) fn sole_list(&self, op: &Operation) -> Option<(Ty, Vec<PageSource>)> {
        let last = match op.path.last() {
            Some(crate::ir::PathPart::Literal(l)) => l.rsplit('/').next(),
            _ => None,
        };
        self.path_list(success_json(op)?, last)
    }

    /// The list of `body`, in one shape: an array, or an object with one
    /// list field, or with several where exactly one is named after the
    /// path's last segment `last` ([`named_after`]).
    pub(super) fn path_list(&self, body: &Ty, last: Option<&str>) -> Option<(Ty, Vec<PageSource>)> {
        self.one_page(body, Items::Sole).or_else(|| {
            let fields = self.struct_fields(body)?;
            let lists: Vec<&str> =
                fields.iter().filter(|f| matches!(f.ty, Ty::Array(_))).map(|f| f.name.wire.as_str()).collect();
            self.one_page(body, Items::Named(named_after(last?, &lists)?))
        })
    }

    /// A success response of the operation declares a `Link` header.
    pub(super) fn declares_link_header(&mut self, optr: &Pointer, op: &'a Map) -> bool {
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
