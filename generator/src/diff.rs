//! Comparing two lowered APIs: what a spec change does to the generated crate.
//!
//! [`diff`] walks two [`Api`]s (the old and the new description, both lowered
//! by the same generator) and lists every change on the wire together with
//! the Rust item it touches, named the way a user of the generated crate
//! writes it (`client.users().authentication_methods().create`,
//! `types::CreateUserAuthenticationMethodRequestContent::phone_number`).
//! Each change is classified as breaking or compatible, and the report says
//! which semver bump the generated crate needs.
//!
//! Operations are matched by method and route, then by operation id (so a
//! moved route is a change, not a removal plus an addition). Types are matched
//! by their schema name under `#/components/schemas`, and inline types by
//! their Rust name. Documentation changes are not reported.
//!
//! The rules are deliberately simple and are explained in README.md
//! ("Reviewing spec changes"). This module does no IO; `cargo xtask spec-diff`
//! loads the descriptions and prints [`Report::to_markdown`] or
//! [`Report::to_json`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::ir::{
    Api, BodyContent, Field, FloatKind, IntKind, Method, Operation, Param, ParamLocation, ResponseBody, StatusMatch,
    Struct, Ty, TypeDef, TypeKind,
};

/// Compares `old` with `new`.
pub fn diff(old: &Api, new: &Api) -> Report {
    let cx = Cx { old, new };
    let mut operations = cx.diff_operations();
    operations.sort_by(|a, b| (&a.route, a.method, &a.operation_id).cmp(&(&b.route, b.method, &b.operation_id)));
    let mut types = cx.diff_types();
    types.sort_by(|a, b| (&a.rust_path, &a.wire).cmp(&(&b.rust_path, &b.wire)));
    Report { operations, types }
}

/// Whether code written against the old crate keeps working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Existing code compiles and behaves as before.
    Compatible,
    /// Existing code may stop compiling, or behave differently.
    Breaking,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Compatible => "compatible",
            Class::Breaking => "breaking",
        }
    }
}

/// The semver bump the generated crate needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// The rule that selects this bump, for reports.
    pub fn rule(self) -> &'static str {
        match self {
            Bump::Major => "at least one breaking change needs a major version",
            Bump::Minor => "new API without breaking changes needs a minor version",
            Bump::Patch => "no change to the generated Rust API needs at most a patch version",
        }
    }
}

/// Whether an operation or type was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Added,
    Removed,
    Changed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
        }
    }
}

/// One change, on the wire and in Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub class: Class,
    /// A stable identifier of the kind of change (`field-added`,
    /// `constraint-narrowed`, ...), listed in README.md.
    pub kind: &'static str,
    /// The Rust item the change is about.
    pub rust_path: String,
    /// What changed in the description.
    pub wire: String,
    /// What it does to the Rust API.
    pub rust: String,
}

/// The changes of one operation.
#[derive(Debug, Clone)]
pub struct OperationDiff {
    pub status: Status,
    pub method: Method,
    /// The route in the new description (the old one when removed).
    pub route: String,
    pub operation_id: String,
    /// The method a user calls (`client.users().authentication_methods().create`).
    pub rust_path: String,
    pub changes: Vec<Change>,
}

/// The changes of one named type.
#[derive(Debug, Clone)]
pub struct TypeDiff {
    pub status: Status,
    /// The schema name (`#/components/schemas/<wire>`), or the pointer of an
    /// inline schema.
    pub wire: String,
    /// `types::<Name>`.
    pub rust_path: String,
    pub changes: Vec<Change>,
}

/// Everything that changed between two descriptions.
#[derive(Debug, Clone)]
pub struct Report {
    /// Operations with at least one change, sorted by route and method.
    pub operations: Vec<OperationDiff>,
    /// Types with at least one change, sorted by Rust path.
    pub types: Vec<TypeDiff>,
}

/// How many operations or types were added, removed and changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

impl Report {
    /// Every change, operations first.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.operations.iter().flat_map(|o| &o.changes).chain(self.types.iter().flat_map(|t| &t.changes))
    }

    pub fn n_breaking(&self) -> usize {
        self.changes().filter(|c| c.class == Class::Breaking).count()
    }

    pub fn n_compatible(&self) -> usize {
        self.changes().filter(|c| c.class == Class::Compatible).count()
    }

    pub fn is_breaking(&self) -> bool {
        self.n_breaking() > 0
    }

    /// Major for any breaking change, minor for compatible changes only,
    /// patch when the Rust API does not change.
    pub fn bump(&self) -> Bump {
        if self.is_breaking() {
            Bump::Major
        } else if self.changes().next().is_some() {
            Bump::Minor
        } else {
            Bump::Patch
        }
    }

    pub fn operation_counts(&self) -> Counts {
        counts(self.operations.iter().map(|o| o.status))
    }

    pub fn type_counts(&self) -> Counts {
        counts(self.types.iter().map(|t| t.status))
    }

    /// The one-line summary that starts the Markdown report.
    pub fn summary(&self) -> String {
        let (o, t) = (self.operation_counts(), self.type_counts());
        let bump = self.bump();
        format!(
            "**Operations:** {} added, {} removed, {} changed. **Types:** {} added, {} removed, {} changed. \
             **Changes:** {} breaking, {} compatible. **Semver bump: {}** ({}).",
            o.added,
            o.removed,
            o.changed,
            t.added,
            t.removed,
            t.changed,
            self.n_breaking(),
            self.n_compatible(),
            bump.as_str(),
            bump.rule()
        )
    }

    /// A Markdown report for a pull-request comment; `title` names the two
    /// descriptions compared.
    pub fn to_markdown(&self, title: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "## Spec changes: {title}\n");
        let _ = writeln!(out, "{}\n", self.summary());
        if self.operations.is_empty() && self.types.is_empty() {
            out.push_str("No operation or type changed.\n");
            return out;
        }
        if !self.operations.is_empty() {
            out.push_str("### Operations\n\n");
            for o in &self.operations {
                let _ = writeln!(
                    out,
                    "#### {} `{} {}`: `{}` ({})\n",
                    icon(&o.changes),
                    o.method.as_str(),
                    o.route,
                    o.rust_path,
                    o.status.as_str()
                );
                changes_table(&mut out, &o.changes);
            }
        }
        if !self.types.is_empty() {
            out.push_str("### Types\n\n");
            for t in &self.types {
                let _ = writeln!(
                    out,
                    "#### {} `{}` (`{}`, {})\n",
                    icon(&t.changes),
                    t.rust_path,
                    t.wire,
                    t.status.as_str()
                );
                changes_table(&mut out, &t.changes);
            }
        }
        out.push_str(
            "<sub>Generated by `cargo xtask spec-diff`. \
             Breaking: code that compiled may stop compiling or behave differently. \
             See README.md, \"Reviewing spec changes\".</sub>\n",
        );
        out
    }

    /// A stable JSON document: keys are sorted, lists keep report order.
    pub fn to_json(&self) -> String {
        use serde_json::{json, Value};
        let counts_json = |c: Counts| json!({ "added": c.added, "removed": c.removed, "changed": c.changed });
        let changes_json = |cs: &[Change]| -> Value {
            cs.iter()
                .map(|c| {
                    json!({
                        "class": c.class.as_str(),
                        "kind": c.kind,
                        "rust_path": c.rust_path,
                        "wire": c.wire,
                        "rust": c.rust,
                    })
                })
                .collect()
        };
        let bump = self.bump();
        let doc = json!({
            "summary": {
                "operations": counts_json(self.operation_counts()),
                "types": counts_json(self.type_counts()),
                "breaking": self.n_breaking(),
                "compatible": self.n_compatible(),
                "bump": bump.as_str(),
                "rule": bump.rule(),
            },
            "operations": self.operations.iter().map(|o| json!({
                "status": o.status.as_str(),
                "method": o.method.as_str(),
                "route": o.route,
                "operation_id": o.operation_id,
                "rust_path": o.rust_path,
                "changes": changes_json(&o.changes),
            })).collect::<Vec<_>>(),
            "types": self.types.iter().map(|t| json!({
                "status": t.status.as_str(),
                "wire": t.wire,
                "rust_path": t.rust_path,
                "changes": changes_json(&t.changes),
            })).collect::<Vec<_>>(),
        });
        let mut res = serde_json::to_string_pretty(&doc).unwrap_or_default();
        res.push('\n');
        res
    }
}

fn counts(it: impl Iterator<Item = Status>) -> Counts {
    let mut res = Counts::default();
    for s in it {
        match s {
            Status::Added => res.added += 1,
            Status::Removed => res.removed += 1,
            Status::Changed => res.changed += 1,
        }
    }
    res
}

fn icon(changes: &[Change]) -> &'static str {
    if changes.iter().any(|c| c.class == Class::Breaking) {
        "💥"
    } else {
        "✨"
    }
}

fn changes_table(out: &mut String, changes: &[Change]) {
    out.push_str("| Class | On the wire | In Rust |\n|---|---|---|\n");
    for c in changes {
        let class = match c.class {
            Class::Breaking => "**breaking**",
            Class::Compatible => "compatible",
        };
        let _ = writeln!(out, "| {class} | {} | {} |", cell(&c.wire), cell(&c.rust));
    }
    out.push('\n');
}

/// Table cells cannot hold `|` or line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A change before it is attached to a Rust path.
struct Delta {
    class: Class,
    kind: &'static str,
    wire: String,
}

/// Both APIs, for lookups while comparing.
struct Cx<'a> {
    old: &'a Api,
    new: &'a Api,
}

/// Which of the two APIs a type expression belongs to.
#[derive(Clone, Copy)]
enum Side {
    Old,
    New,
}

impl<'a> Cx<'a> {
    fn api(&self, side: Side) -> &'a Api {
        match side {
            Side::Old => self.old,
            Side::New => self.new,
        }
    }

    // Operations.

    fn diff_operations(&self) -> Vec<OperationDiff> {
        let mut by_route: BTreeMap<(Method, &str), usize> = BTreeMap::new();
        let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (idx, op) in self.old.operations.iter().enumerate() {
            by_route.insert((op.method, op.route.as_str()), idx);
            by_id.entry(op.name.wire.as_str()).or_default().push(idx);
        }
        let new_routes: BTreeSet<(Method, &str)> =
            self.new.operations.iter().map(|op| (op.method, op.route.as_str())).collect();
        let mut used = vec![false; self.old.operations.len()];
        let mut res = Vec::new();
        for op in &self.new.operations {
            let matched = by_route.get(&(op.method, op.route.as_str())).copied().or_else(|| {
                // A moved route: same operation id, old route gone.
                match by_id.get(op.name.wire.as_str()).map(Vec::as_slice) {
                    Some(&[idx]) => {
                        let o = &self.old.operations[idx];
                        (!new_routes.contains(&(o.method, o.route.as_str()))).then_some(idx)
                    }
                    _ => None,
                }
            });
            match matched {
                Some(idx) if !used[idx] => {
                    used[idx] = true;
                    let changes = self.diff_operation(&self.old.operations[idx], op);
                    if !changes.is_empty() {
                        res.push(op_diff(Status::Changed, op, changes));
                    }
                }
                _ => {
                    let path = op_path(op);
                    let change = Change {
                        class: Class::Compatible,
                        kind: "operation-added",
                        rust_path: path.clone(),
                        wire: format!("`{} {}` (`{}`) added", op.method.as_str(), op.route, op.name.wire),
                        rust: format!("new method `{path}`"),
                    };
                    res.push(op_diff(Status::Added, op, vec![change]));
                }
            }
        }
        for (idx, op) in self.old.operations.iter().enumerate() {
            if used[idx] {
                continue;
            }
            let path = op_path(op);
            let change = Change {
                class: Class::Breaking,
                kind: "operation-removed",
                rust_path: path.clone(),
                wire: format!("`{} {}` (`{}`) removed", op.method.as_str(), op.route, op.name.wire),
                rust: format!("method `{path}` removed"),
            };
            res.push(op_diff(Status::Removed, op, vec![change]));
        }
        res
    }

    fn diff_operation(&self, old: &Operation, new: &Operation) -> Vec<Change> {
        let mut res = Vec::new();
        let path = op_path(new);
        let old_path = op_path(old);
        if old_path != path {
            res.push(Change {
                class: Class::Breaking,
                kind: "operation-renamed",
                rust_path: path.clone(),
                wire: format!("`{}` is grouped or named differently", new.name.wire),
                rust: format!("`{old_path}` is now `{path}`"),
            });
        }
        if old.route != new.route || old.method != new.method {
            res.push(Change {
                class: Class::Breaking,
                kind: "route-changed",
                rust_path: path.clone(),
                wire: format!(
                    "route `{} {}` is now `{} {}`",
                    old.method.as_str(),
                    old.route,
                    new.method.as_str(),
                    new.route
                ),
                rust: format!("`{path}` sends requests to the new route"),
            });
        } else if old.name.wire != new.name.wire {
            res.push(Change {
                class: Class::Compatible,
                kind: "operation-id-changed",
                rust_path: path.clone(),
                wire: format!("operation id `{}` is now `{}`", old.name.wire, new.name.wire),
                rust: format!("`{path}` reports the new id in errors and traces"),
            });
        }
        self.diff_params(old, new, &path, &mut res);
        self.diff_body(old, new, &path, &mut res);
        self.diff_responses(old, new, &path, &mut res);
        res
    }

    fn diff_params(&self, old: &Operation, new: &Operation, op_path: &str, res: &mut Vec<Change>) {
        match (&old.params_struct, &new.params_struct) {
            (None, Some(b)) => res.push(Change {
                class: Class::Breaking,
                kind: "params-struct-added",
                rust_path: params_struct_path(new).unwrap_or_default(),
                wire: "the first query, header or cookie parameter is added".to_string(),
                rust: format!("`{op_path}` takes a new argument `params: &{b}`"),
            }),
            (Some(a), None) => res.push(Change {
                class: Class::Breaking,
                kind: "params-struct-removed",
                rust_path: params_struct_path(old).unwrap_or_default(),
                wire: "the last query, header or cookie parameter is removed".to_string(),
                rust: format!("`{op_path}` loses its argument `params: &{a}`"),
            }),
            _ => {}
        }
        if let (Some(a), Some(b)) = (&old.params_struct, &new.params_struct) {
            if a != b {
                res.push(Change {
                    class: Class::Breaking,
                    kind: "params-struct-renamed",
                    rust_path: params_struct_path(new).unwrap_or_default(),
                    wire: "parameters are named differently".to_string(),
                    rust: format!("the parameters struct `{a}` of `{op_path}` is now `{b}`"),
                });
            }
        }
        let key = param_key;
        let olds: BTreeMap<_, &Param> = old.params.iter().map(|p| (key(p), p)).collect();
        let news: BTreeSet<_> = new.params.iter().map(key).collect();
        for p in &new.params {
            let rust_path = param_path(new, p, op_path);
            let loc = loc_str(p.location);
            match olds.get(&key(p)) {
                None => {
                    let breaking = p.required || p.location == ParamLocation::Path;
                    let (class, how) = if breaking {
                        let how = if p.location == ParamLocation::Path {
                            format!("`{op_path}` takes a new argument `{}`", p.name.rust)
                        } else {
                            format!("new field `{rust_path}` must be set (`new()` takes it)")
                        };
                        (Class::Breaking, how)
                    } else {
                        (Class::Compatible, format!("new optional field `{rust_path}`"))
                    };
                    let req = if p.required { "required" } else { "optional" };
                    res.push(Change {
                        class,
                        kind: "param-added",
                        rust_path,
                        wire: format!("{req} {loc} parameter `{}` added", p.name.wire),
                        rust: how,
                    });
                }
                Some(o) => {
                    if o.required != p.required && p.location != ParamLocation::Path {
                        let (kind, wire) = if p.required {
                            ("param-required", format!("{loc} parameter `{}` becomes required", p.name.wire))
                        } else {
                            ("param-optional", format!("{loc} parameter `{}` becomes optional", p.name.wire))
                        };
                        res.push(Change {
                            class: Class::Breaking,
                            kind,
                            rust_path: rust_path.clone(),
                            wire,
                            rust: format!(
                                "`{rust_path}` is now `{}` (was `{}`)",
                                self.param_ty(Side::New, p),
                                self.param_ty(Side::Old, o)
                            ),
                        });
                    }
                    if o.name.rust != p.name.rust {
                        res.push(Change {
                            class: Class::Breaking,
                            kind: "param-renamed",
                            rust_path: rust_path.clone(),
                            wire: format!("{loc} parameter `{}` gets a different Rust name", p.name.wire),
                            rust: format!("`{}` is now `{}`", param_path(old, o, op_path), rust_path),
                        });
                    }
                    let mut deltas = Vec::new();
                    self.cmp_ty(&o.ty, &p.ty, "", &mut deltas);
                    if let Some(c) = combine(
                        deltas,
                        &format!("{loc} parameter `{}`", p.name.wire),
                        rust_path,
                        self.param_ty(Side::Old, o),
                        self.param_ty(Side::New, p),
                    ) {
                        res.push(c);
                    }
                }
            }
        }
        for o in &old.params {
            if news.contains(&key(o)) {
                continue;
            }
            let rust_path = param_path(old, o, op_path);
            let rust = if o.location == ParamLocation::Path {
                format!("`{op_path}` loses its argument `{}`", o.name.rust)
            } else {
                format!("field `{rust_path}` removed")
            };
            res.push(Change {
                class: Class::Breaking,
                kind: "param-removed",
                rust_path,
                wire: format!("{} parameter `{}` removed", loc_str(o.location), o.name.wire),
                rust,
            });
        }
    }

    fn diff_body(&self, old: &Operation, new: &Operation, op_path: &str, res: &mut Vec<Change>) {
        let rust_path = format!("{op_path}(.., body)");
        let (a, b) = match (&old.body, &new.body) {
            (None, None) => return,
            (None, Some(b)) => {
                res.push(Change {
                    class: Class::Breaking,
                    kind: "body-added",
                    rust_path: rust_path.clone(),
                    wire: format!(
                        "{} request body added ({})",
                        if b.required { "required" } else { "optional" },
                        media_types(&b.contents)
                    ),
                    rust: format!("`{op_path}` takes a new `body` argument"),
                });
                return;
            }
            (Some(a), None) => {
                res.push(Change {
                    class: Class::Breaking,
                    kind: "body-removed",
                    rust_path: rust_path.clone(),
                    wire: format!("request body removed ({})", media_types(&a.contents)),
                    rust: format!("`{op_path}` loses its `body` argument"),
                });
                return;
            }
            (Some(a), Some(b)) => (a, b),
        };
        if a.required != b.required {
            let (kind, wire, rust) = if b.required {
                ("body-required", "request body becomes required", "`body` is now `&T` (was `Option<&T>`)")
            } else {
                ("body-optional", "request body becomes optional", "`body` is now `Option<&T>` (was `&T`)")
            };
            res.push(Change {
                class: Class::Breaking,
                kind,
                rust_path: rust_path.clone(),
                wire: wire.to_string(),
                rust: format!("{rust} in `{op_path}`"),
            });
        }
        if let (Some(ad), Some(bd)) = (a.contents.first(), b.contents.first()) {
            if ad.media_type != bd.media_type {
                res.push(Change {
                    class: Class::Breaking,
                    kind: "default-media-type-changed",
                    rust_path: rust_path.clone(),
                    wire: format!("the first request media type `{}` is now `{}`", ad.media_type, bd.media_type),
                    rust: format!(
                        "`{op_path}` sends `{}` and takes `{}` (was `{}`)",
                        bd.media_type,
                        self.rust_ty(Side::New, &bd.ty),
                        self.rust_ty(Side::Old, &ad.ty)
                    ),
                });
            }
        }
        for c in &b.contents {
            match a.contents.iter().find(|x| x.media_type == c.media_type) {
                None => res.push(Change {
                    class: Class::Compatible,
                    kind: "media-type-added",
                    rust_path: rust_path.clone(),
                    wire: format!("request media type `{}` added", c.media_type),
                    rust: format!("`{op_path}` keeps sending `{}`", b.contents[0].media_type),
                }),
                Some(o) => {
                    let mut deltas = Vec::new();
                    self.cmp_ty(&o.ty, &c.ty, "", &mut deltas);
                    if let Some(ch) = combine(
                        deltas,
                        &format!("`{}` request body", c.media_type),
                        rust_path.clone(),
                        self.rust_ty(Side::Old, &o.ty),
                        self.rust_ty(Side::New, &c.ty),
                    ) {
                        res.push(ch);
                    }
                }
            }
        }
        for o in &a.contents {
            if !b.contents.iter().any(|c| c.media_type == o.media_type) {
                res.push(Change {
                    class: Class::Breaking,
                    kind: "media-type-removed",
                    rust_path: rust_path.clone(),
                    wire: format!("request media type `{}` removed", o.media_type),
                    rust: format!("the server no longer accepts `{}` bodies from `{op_path}`", o.media_type),
                });
            }
        }
    }

    fn diff_responses(&self, old: &Operation, new: &Operation, op_path: &str, res: &mut Vec<Change>) {
        let old_ret = self.success_ty(Side::Old, old);
        let new_ret = self.success_ty(Side::New, new);
        for r in &new.responses {
            let rust_path = self.status_path(new, r.status, &r.variant, op_path);
            match old.responses.iter().find(|o| o.status == r.status) {
                None => {
                    let rust = if r.status.is_success() {
                        format!("`{op_path}` decodes `{}` responses", status_str(r.status))
                    } else {
                        format!("new error variant `{rust_path}`")
                    };
                    res.push(Change {
                        class: Class::Compatible,
                        kind: "status-added",
                        rust_path,
                        wire: format!("response status `{}` added", status_str(r.status)),
                        rust,
                    });
                }
                Some(o) => {
                    if o.variant != r.variant && !r.status.is_success() {
                        res.push(Change {
                            class: Class::Breaking,
                            kind: "status-renamed",
                            rust_path: rust_path.clone(),
                            wire: format!("response `{}` gets a different name", status_str(r.status)),
                            rust: format!(
                                "`{}` is now `{rust_path}`",
                                self.status_path(old, o.status, &o.variant, op_path)
                            ),
                        });
                    }
                    let what = format!("response `{}` body", status_str(r.status));
                    match (&o.body, &r.body) {
                        (ResponseBody::Json(a), ResponseBody::Json(b)) => {
                            let mut deltas = Vec::new();
                            self.cmp_ty(a, b, "", &mut deltas);
                            let (ra, rb) = (self.rust_ty(Side::Old, a), self.rust_ty(Side::New, b));
                            if let Some(c) = combine(deltas, &what, rust_path, ra, rb) {
                                res.push(c);
                            }
                        }
                        (ResponseBody::Empty, ResponseBody::Empty)
                        | (ResponseBody::Text, ResponseBody::Text)
                        | (ResponseBody::Binary, ResponseBody::Binary) => {}
                        (a, b) => res.push(Change {
                            class: Class::Breaking,
                            kind: "response-changed",
                            rust_path,
                            wire: format!(
                                "{what} changes from {} to {}",
                                self.body_wire(Side::Old, a),
                                self.body_wire(Side::New, b)
                            ),
                            rust: format!("`{op_path}` decodes the `{}` response differently", status_str(r.status)),
                        }),
                    }
                }
            }
        }
        for o in &old.responses {
            if new.responses.iter().any(|r| r.status == o.status) {
                continue;
            }
            let rust_path = self.status_path(old, o.status, &o.variant, op_path);
            let rust = if o.status.is_success() {
                format!("`{op_path}` no longer decodes `{}` responses", status_str(o.status))
            } else {
                format!("error variant `{rust_path}` removed")
            };
            res.push(Change {
                class: Class::Breaking,
                kind: "status-removed",
                rust_path,
                wire: format!("response status `{}` removed", status_str(o.status)),
                rust,
            });
        }
        if old_ret != new_ret {
            res.push(Change {
                class: Class::Breaking,
                kind: "return-type-changed",
                rust_path: op_path.to_string(),
                wire: "the success responses decode to a different type".to_string(),
                rust: format!("`{op_path}` returns `{new_ret}` (was `{old_ret}`)"),
            });
        }
    }

    /// The success type as the generated method returns it.
    fn success_ty(&self, side: Side, op: &Operation) -> String {
        let has_success = op.responses.iter().any(|r| r.status.is_success());
        let mut bodies: Vec<&ResponseBody> = Vec::new();
        for r in &op.responses {
            if (r.status.is_success() || (!has_success && r.status == StatusMatch::Default))
                && !bodies.contains(&&r.body)
            {
                bodies.push(&r.body);
            }
        }
        match bodies.as_slice() {
            [] => "()".to_string(),
            [b] => self.body_rust(side, b),
            _ => format!("{}::{}Response", op_module(op), op.type_stem),
        }
    }

    fn body_rust(&self, side: Side, b: &ResponseBody) -> String {
        match b {
            ResponseBody::Empty => "()".to_string(),
            ResponseBody::Json(t) => self.rust_ty(side, t),
            ResponseBody::Text => "String".to_string(),
            ResponseBody::Binary => "rt::Bytes".to_string(),
        }
    }

    fn body_wire(&self, side: Side, b: &ResponseBody) -> String {
        match b {
            ResponseBody::Empty => "no body".to_string(),
            ResponseBody::Json(t) => format!("JSON {}", self.wire_ty(side, t)),
            ResponseBody::Text => "text".to_string(),
            ResponseBody::Binary => "binary".to_string(),
        }
    }

    fn status_path(&self, op: &Operation, status: StatusMatch, variant: &str, op_path: &str) -> String {
        let has_success = op.responses.iter().any(|r| r.status.is_success());
        if status.is_success() || (!has_success && status == StatusMatch::Default) {
            op_path.to_string()
        } else {
            format!("{}::{}Error::{variant}", op_module(op), op.type_stem)
        }
    }

    fn param_ty(&self, side: Side, p: &Param) -> String {
        let ty = self.rust_ty(side, &p.ty);
        if p.required || p.location == ParamLocation::Path {
            ty
        } else {
            format!("Option<{ty}>")
        }
    }

    // Types.

    fn diff_types(&self) -> Vec<TypeDiff> {
        let old_keys: BTreeMap<String, usize> =
            self.old.types.iter().enumerate().map(|(idx, def)| (type_key(def), idx)).collect();
        let new_keys: BTreeSet<String> = self.new.types.iter().map(type_key).collect();
        let mut res = Vec::new();
        for def in &self.new.types {
            let rust_path = format!("types::{}", def.name.rust);
            match old_keys.get(&type_key(def)) {
                None => res.push(TypeDiff {
                    status: Status::Added,
                    wire: type_wire(def),
                    rust_path: rust_path.clone(),
                    changes: vec![Change {
                        class: Class::Compatible,
                        kind: "type-added",
                        rust_path: rust_path.clone(),
                        wire: format!("{} `{}` added", kind_str(&def.kind), type_wire(def)),
                        rust: format!("new type `{rust_path}`"),
                    }],
                }),
                Some(&idx) => {
                    let changes = self.diff_type(&self.old.types[idx], def);
                    if !changes.is_empty() {
                        res.push(TypeDiff { status: Status::Changed, wire: type_wire(def), rust_path, changes });
                    }
                }
            }
        }
        for def in &self.old.types {
            if new_keys.contains(&type_key(def)) {
                continue;
            }
            let rust_path = format!("types::{}", def.name.rust);
            res.push(TypeDiff {
                status: Status::Removed,
                wire: type_wire(def),
                rust_path: rust_path.clone(),
                changes: vec![Change {
                    class: Class::Breaking,
                    kind: "type-removed",
                    rust_path: rust_path.clone(),
                    wire: format!("{} `{}` removed", kind_str(&def.kind), type_wire(def)),
                    rust: format!("type `{rust_path}` removed"),
                }],
            });
        }
        res
    }

    fn diff_type(&self, old: &TypeDef, new: &TypeDef) -> Vec<Change> {
        let mut res = Vec::new();
        let path = format!("types::{}", new.name.rust);
        if old.name.rust != new.name.rust {
            res.push(Change {
                class: Class::Breaking,
                kind: "type-renamed",
                rust_path: path.clone(),
                wire: format!("`{}` gets a different Rust name", type_wire(new)),
                rust: format!("`types::{}` is now `{path}`", old.name.rust),
            });
        }
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => self.diff_struct(a, b, &path, &mut res),
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                if a.integer != b.integer {
                    res.push(Change {
                        class: Class::Breaking,
                        kind: "type-changed",
                        rust_path: path.clone(),
                        wire: format!(
                            "enum values change from {} to {}",
                            if a.integer { "integers" } else { "strings" },
                            if b.integer { "integers" } else { "strings" }
                        ),
                        rust: format!("`{path}` has different variants and conversions"),
                    });
                }
                for v in &b.variants {
                    let vpath = format!("{path}::{}", v.name.rust);
                    match a.variants.iter().find(|o| o.name.wire == v.name.wire) {
                        None => res.push(Change {
                            class: Class::Compatible,
                            kind: "enum-value-added",
                            rust_path: vpath.clone(),
                            wire: format!("enum value `{}` added", v.name.wire),
                            rust: format!("new variant `{vpath}` (older clients read the value as `{path}::Unknown`)"),
                        }),
                        Some(o) if o.name.rust != v.name.rust => res.push(Change {
                            class: Class::Breaking,
                            kind: "enum-value-renamed",
                            rust_path: vpath.clone(),
                            wire: format!("enum value `{}` gets a different Rust name", v.name.wire),
                            rust: format!("`{path}::{}` is now `{vpath}`", o.name.rust),
                        }),
                        Some(_) => {}
                    }
                }
                for o in &a.variants {
                    if !b.variants.iter().any(|v| v.name.wire == o.name.wire) {
                        let vpath = format!("{path}::{}", o.name.rust);
                        res.push(Change {
                            class: Class::Breaking,
                            kind: "enum-value-removed",
                            rust_path: vpath.clone(),
                            wire: format!("enum value `{}` removed", o.name.wire),
                            rust: format!("variant `{vpath}` removed"),
                        });
                    }
                }
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                if a.tag != b.tag {
                    res.push(Change {
                        class: Class::Breaking,
                        kind: "discriminator-changed",
                        rust_path: path.clone(),
                        wire: format!(
                            "discriminator `{}` is now `{}`",
                            a.tag.as_deref().unwrap_or("(none)"),
                            b.tag.as_deref().unwrap_or("(none)")
                        ),
                        rust: format!("`{path}` is serialized and matched differently"),
                    });
                }
                for v in &b.variants {
                    let vpath = format!("{path}::{}", v.rust);
                    match a.variants.iter().find(|o| o.rust == v.rust) {
                        None => res.push(Change {
                            class: Class::Breaking,
                            kind: "union-variant-added",
                            rust_path: vpath.clone(),
                            wire: format!("`oneOf`/`anyOf` alternative {} added", self.wire_ty(Side::New, &v.ty)),
                            rust: format!("new variant `{vpath}`: exhaustive `match`es on `{path}` stop compiling"),
                        }),
                        Some(o) => {
                            let mut deltas = Vec::new();
                            self.cmp_ty(&o.ty, &v.ty, "", &mut deltas);
                            let what = format!("alternative `{}`", v.rust);
                            let (ra, rb) = (self.rust_ty(Side::Old, &o.ty), self.rust_ty(Side::New, &v.ty));
                            if let Some(c) = combine(deltas, &what, vpath, ra, rb) {
                                res.push(c);
                            }
                        }
                    }
                }
                for o in &a.variants {
                    if !b.variants.iter().any(|v| v.rust == o.rust) {
                        let vpath = format!("{path}::{}", o.rust);
                        res.push(Change {
                            class: Class::Breaking,
                            kind: "union-variant-removed",
                            rust_path: vpath.clone(),
                            wire: format!("`oneOf`/`anyOf` alternative {} removed", self.wire_ty(Side::Old, &o.ty)),
                            rust: format!("variant `{vpath}` removed"),
                        });
                    }
                }
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                let mut deltas = Vec::new();
                self.cmp_ty(a, b, "", &mut deltas);
                let (ra, rb) = (self.rust_ty(Side::Old, a), self.rust_ty(Side::New, b));
                if let Some(c) = combine(deltas, &format!("`{}`", type_wire(new)), path, ra, rb) {
                    res.push(c);
                }
            }
            (a, b) => res.push(Change {
                class: Class::Breaking,
                kind: "type-changed",
                rust_path: path.clone(),
                wire: format!("`{}` changes from {} to {}", type_wire(new), kind_str(a), kind_str(b)),
                rust: format!("`{path}` changes from a Rust {} to a {}", rust_kind_str(a), rust_kind_str(b)),
            }),
        }
        res
    }

    fn diff_struct(&self, a: &Struct, b: &Struct, path: &str, res: &mut Vec<Change>) {
        for f in &b.fields {
            let fpath = format!("{path}::{}", f.name.rust);
            let Some(o) = a.fields.iter().find(|o| o.name.wire == f.name.wire) else {
                let (class, rust) = if needs_ctor(f) {
                    (
                        Class::Breaking,
                        format!("new field `{fpath}: {}` must be set (`new()` takes it)", self.field_ty(Side::New, f)),
                    )
                } else {
                    (Class::Compatible, format!("new optional field `{fpath}: {}`", self.field_ty(Side::New, f)))
                };
                let req = if f.required { "required" } else { "optional" };
                res.push(Change {
                    class,
                    kind: "field-added",
                    rust_path: fpath,
                    wire: format!("{req} property `{}` ({}) added", f.name.wire, self.wire_ty(Side::New, &f.ty)),
                    rust,
                });
                continue;
            };
            let (old_ty, new_ty) = (self.field_ty(Side::Old, o), self.field_ty(Side::New, f));
            if o.name.rust != f.name.rust {
                res.push(Change {
                    class: Class::Breaking,
                    kind: "field-renamed",
                    rust_path: fpath.clone(),
                    wire: format!("property `{}` gets a different Rust name", f.name.wire),
                    rust: format!("`{path}::{}` is now `{fpath}`", o.name.rust),
                });
            }
            let presence = [
                (o.required != f.required, if f.required { "field-required" } else { "field-optional" }, {
                    if f.required {
                        "becomes required"
                    } else {
                        "becomes optional"
                    }
                }),
                (
                    o.nullable != f.nullable,
                    "field-nullable",
                    if f.nullable { "becomes nullable" } else { "is no longer nullable" },
                ),
                (
                    o.read_only != f.read_only || o.write_only != f.write_only,
                    "field-access-changed",
                    "changes `readOnly`/`writeOnly`",
                ),
            ];
            for (changed, kind, what) in presence {
                if !changed {
                    continue;
                }
                // The Rust type tells whether user code is affected: a
                // read-only field is `Option` whether required or not.
                let class = if old_ty != new_ty || needs_ctor(o) != needs_ctor(f) {
                    Class::Breaking
                } else {
                    Class::Compatible
                };
                let mut rust = if old_ty != new_ty {
                    format!("`{fpath}` is now `{new_ty}` (was `{old_ty}`)")
                } else {
                    format!("`{fpath}` keeps its type `{new_ty}`")
                };
                if needs_ctor(f) && !needs_ctor(o) {
                    rust.push_str("; `new()` takes it");
                } else if needs_ctor(o) && !needs_ctor(f) {
                    rust.push_str("; `new()` no longer takes it");
                }
                res.push(Change {
                    class,
                    kind,
                    rust_path: fpath.clone(),
                    wire: format!("property `{}` {what}", f.name.wire),
                    rust,
                });
            }
            let mut deltas = Vec::new();
            self.cmp_ty(&o.ty, &f.ty, "", &mut deltas);
            if let Some(c) = combine(deltas, &format!("property `{}`", f.name.wire), fpath, old_ty, new_ty) {
                res.push(c);
            }
        }
        for o in &a.fields {
            if b.fields.iter().any(|f| f.name.wire == o.name.wire) {
                continue;
            }
            let fpath = format!("{path}::{}", o.name.rust);
            res.push(Change {
                class: Class::Breaking,
                kind: "field-removed",
                rust_path: fpath.clone(),
                wire: format!("property `{}` removed", o.name.wire),
                rust: format!("field `{fpath}` removed"),
            });
        }
        let extra = format!("{path} (additional properties)");
        match (&a.additional, &b.additional) {
            (None, None) => {}
            (None, Some(t)) => res.push(Change {
                class: Class::Compatible,
                kind: "additional-properties-added",
                rust_path: extra,
                wire: format!("additional properties ({}) allowed", self.wire_ty(Side::New, t)),
                rust: format!("`{path}` keeps unknown properties"),
            }),
            (Some(_), None) => res.push(Change {
                class: Class::Breaking,
                kind: "additional-properties-removed",
                rust_path: extra,
                wire: "additional properties no longer allowed".to_string(),
                rust: format!("`{path}` no longer keeps unknown properties"),
            }),
            (Some(x), Some(y)) => {
                let mut deltas = Vec::new();
                self.cmp_ty(x, y, "", &mut deltas);
                let (ra, rb) = (self.rust_ty(Side::Old, x), self.rust_ty(Side::New, y));
                if let Some(c) = combine(deltas, "additional properties", extra, ra, rb) {
                    res.push(c);
                }
            }
        }
    }

    fn field_ty(&self, side: Side, f: &Field) -> String {
        let mut ty = self.rust_ty(side, &f.ty);
        if f.boxed {
            ty = format!("Box<{ty}>");
        }
        let optional = !f.required || f.read_only || f.write_only;
        match (optional, f.nullable) {
            (false, false) => ty,
            (true, true) => format!("Option<Option<{ty}>>"),
            _ => format!("Option<{ty}>"),
        }
    }

    // Type expressions.

    /// Compares two type expressions; `at` locates nested differences
    /// (`items`, `values`).
    fn cmp_ty(&self, a: &Ty, b: &Ty, at: &str, out: &mut Vec<Delta>) {
        let here = |s: String| {
            if at.is_empty() {
                s
            } else {
                format!("{at}: {s}")
            }
        };
        match (a, b) {
            (Ty::Named(x), Ty::Named(y)) => {
                let (x, y) = (&self.old.types[x.0], &self.new.types[y.0]);
                if type_key(x) != type_key(y) {
                    out.push(Delta {
                        class: Class::Breaking,
                        kind: "type-changed",
                        wire: here(format!("type `{}` is now `{}`", type_wire(x), type_wire(y))),
                    });
                }
            }
            (Ty::Int(x), Ty::Int(y)) => {
                if x.kind != y.kind {
                    out.push(Delta {
                        class: Class::Breaking,
                        kind: "format-changed",
                        wire: here(format!("format `{}` is now `{}`", int_format(x.kind), int_format(y.kind))),
                    });
                }
                bound(out, &here("minimum".into()), x.min, y.min, true);
                bound(out, &here("maximum".into()), x.max, y.max, false);
                multiple(
                    out,
                    &here("multipleOf".into()),
                    x.multiple_of.map(|m| m as f64),
                    y.multiple_of.map(|m| m as f64),
                );
            }
            (Ty::Float(x), Ty::Float(y)) => {
                if x.kind != y.kind {
                    out.push(Delta {
                        class: Class::Breaking,
                        kind: "format-changed",
                        wire: here(format!("format `{}` is now `{}`", float_format(x.kind), float_format(y.kind))),
                    });
                }
                let min = if y.exclusive_min { "exclusiveMinimum" } else { "minimum" };
                let max = if y.exclusive_max { "exclusiveMaximum" } else { "maximum" };
                bound(out, &here(min.into()), x.min, y.min, true);
                bound(out, &here(max.into()), x.max, y.max, false);
                multiple(out, &here("multipleOf".into()), x.multiple_of, y.multiple_of);
                if x.exclusive_min != y.exclusive_min || x.exclusive_max != y.exclusive_max {
                    let narrowed = (!x.exclusive_min && y.exclusive_min) || (!x.exclusive_max && y.exclusive_max);
                    out.push(Delta {
                        class: if narrowed { Class::Breaking } else { Class::Compatible },
                        kind: if narrowed { "constraint-narrowed" } else { "constraint-widened" },
                        wire: here("bound exclusivity changes".into()),
                    });
                }
            }
            (Ty::Str(x), Ty::Str(y)) => {
                bound(out, &here("minLength".into()), x.min_len, y.min_len, true);
                bound(out, &here("maxLength".into()), x.max_len, y.max_len, false);
                let pa = x.pattern.map(|p| self.old.patterns[p.0].source.as_str());
                let pb = y.pattern.map(|p| self.new.patterns[p.0].source.as_str());
                match (pa, pb) {
                    (None, Some(p)) => out.push(Delta {
                        class: Class::Breaking,
                        kind: "constraint-narrowed",
                        wire: here(format!("pattern `{p}` added")),
                    }),
                    (Some(p), None) => out.push(Delta {
                        class: Class::Compatible,
                        kind: "constraint-widened",
                        wire: here(format!("pattern `{p}` removed")),
                    }),
                    (Some(p), Some(q)) if p != q => out.push(Delta {
                        class: Class::Breaking,
                        kind: "constraint-changed",
                        wire: here(format!("pattern `{p}` is now `{q}`")),
                    }),
                    _ => {}
                }
            }
            (Ty::Format(x), Ty::Format(y)) if x == y => {}
            (Ty::Bool, Ty::Bool) | (Ty::Base64, Ty::Base64) | (Ty::Binary, Ty::Binary) | (Ty::Json, Ty::Json) => {}
            (Ty::Array(x), Ty::Array(y)) => {
                let at_items = if at.is_empty() { "items".to_string() } else { format!("{at}.items") };
                self.cmp_ty(&x.item, &y.item, &at_items, out);
                bound(out, &here("minItems".into()), x.min_items, y.min_items, true);
                bound(out, &here("maxItems".into()), x.max_items, y.max_items, false);
            }
            (Ty::Map(x), Ty::Map(y)) => {
                let at_values = if at.is_empty() { "values".to_string() } else { format!("{at}.values") };
                self.cmp_ty(x, y, &at_values, out);
            }
            (Ty::Option(x), Ty::Option(y)) => self.cmp_ty(x, y, at, out),
            (a, b) => {
                let stringish = |t: &Ty| matches!(t, Ty::Str(_) | Ty::Format(_) | Ty::Base64);
                let kind = if stringish(a) && stringish(b) { "format-changed" } else { "type-changed" };
                out.push(Delta {
                    class: Class::Breaking,
                    kind,
                    wire: here(format!("type {} is now {}", self.wire_ty(Side::Old, a), self.wire_ty(Side::New, b))),
                });
            }
        }
    }

    /// The Rust type the generated crate uses, as `emit` writes it (with
    /// `types::` for named types).
    fn rust_ty(&self, side: Side, ty: &Ty) -> String {
        let api = self.api(side);
        let bounded = |min: Option<u64>, max: Option<u64>| {
            let max = match max {
                Some(m) if m <= u32::MAX.into() => m.to_string(),
                _ => "{ usize::MAX }".to_string(),
            };
            format!("{}, {max}", min.unwrap_or(0))
        };
        match ty {
            Ty::Named(id) => format!("types::{}", api.types[id.0].name.rust),
            Ty::Bool => "bool".to_string(),
            Ty::Int(i) => {
                let base = match i.kind {
                    IntKind::I32 => "i32",
                    IntKind::I64 => "i64",
                    IntKind::U32 => "u32",
                    IntKind::U64 => "u64",
                };
                if i.min.is_none() && i.max.is_none() {
                    return base.to_string();
                }
                let (lo, hi): (i128, i128) = match i.kind {
                    IntKind::I32 => (i32::MIN.into(), i32::MAX.into()),
                    IntKind::I64 => (i64::MIN.into(), i64::MAX.into()),
                    IntKind::U32 => (0, u32::MAX.into()),
                    IntKind::U64 => (0, u64::MAX.into()),
                };
                match i.multiple_of {
                    Some(m) => format!("rt::BoundedInt<{base}, {}, {}, {m}>", i.min.unwrap_or(lo), i.max.unwrap_or(hi)),
                    None => format!("rt::BoundedInt<{base}, {}, {}>", i.min.unwrap_or(lo), i.max.unwrap_or(hi)),
                }
            }
            Ty::Float(f) => {
                let base = float_rust(f.kind);
                if f.min.is_none() && f.max.is_none() && f.multiple_of.is_none() {
                    return base.to_string();
                }
                let bits = |v: f64| format!("{{ rt::bits({v:?}) }}");
                let min = f.min.map(bits).unwrap_or_else(|| "{ rt::NO_MIN }".to_string());
                let max = f.max.map(bits).unwrap_or_else(|| "{ rt::NO_MAX }".to_string());
                let multiple = f.multiple_of.map(|m| format!(", {}", bits(m))).unwrap_or_default();
                format!("rt::BoundedFloat<{base}, {min}, {max}, {}, {}{multiple}>", f.exclusive_min, f.exclusive_max)
            }
            Ty::Str(s) => {
                if s.min_len.is_none() && s.max_len.is_none() && s.pattern.is_none() {
                    return "String".to_string();
                }
                match s.pattern {
                    Some(p) => format!(
                        "rt::BoundedString<{}, types::{}>",
                        bounded(s.min_len, s.max_len),
                        api.patterns[p.0].rust
                    ),
                    None => format!("rt::BoundedString<{}>", bounded(s.min_len, s.max_len)),
                }
            }
            Ty::Format(f) => {
                use crate::ir::Format as F;
                match f {
                    F::DateTime => "rt::DateTime",
                    F::Date => "rt::Date",
                    F::Uuid => "uuid::Uuid",
                    F::Email => "rt::Email",
                    F::Uri => "rt::Uri",
                    F::Hostname => "rt::Hostname",
                    F::Ipv4 => "std::net::Ipv4Addr",
                    F::Ipv6 => "std::net::Ipv6Addr",
                }
                .to_string()
            }
            Ty::Base64 => "rt::Base64".to_string(),
            Ty::Binary => "rt::FilePart".to_string(),
            Ty::Json => "serde_json::Value".to_string(),
            Ty::Array(a) => {
                let item = self.rust_ty(side, &a.item);
                if a.min_items.is_none() && a.max_items.is_none() {
                    format!("Vec<{item}>")
                } else {
                    format!("rt::BoundedVec<{item}, {}>", bounded(a.min_items, a.max_items))
                }
            }
            Ty::Map(v) => format!("BTreeMap<String, {}>", self.rust_ty(side, v)),
            Ty::Option(t) => format!("Option<{}>", self.rust_ty(side, t)),
        }
    }

    /// A short description of a type expression in OpenAPI terms.
    fn wire_ty(&self, side: Side, ty: &Ty) -> String {
        let api = self.api(side);
        match ty {
            Ty::Named(id) => format!("`{}`", type_wire(&api.types[id.0])),
            Ty::Bool => "`boolean`".to_string(),
            Ty::Int(i) => format!("`integer` (`{}`)", int_format(i.kind)),
            Ty::Float(f) => format!("`number` (`{}`)", float_format(f.kind)),
            Ty::Str(_) => "`string`".to_string(),
            Ty::Format(f) => format!("`string` (`{}`)", format_str(*f)),
            Ty::Base64 => "`string` (`byte`)".to_string(),
            Ty::Binary => "`string` (`binary`)".to_string(),
            Ty::Json => "any JSON".to_string(),
            Ty::Array(a) => format!("array of {}", self.wire_ty(side, &a.item)),
            Ty::Map(v) => format!("map of {}", self.wire_ty(side, v)),
            Ty::Option(t) => format!("nullable {}", self.wire_ty(side, t)),
        }
    }
}

/// Folds the deltas of one item into one change: the most severe class
/// wins, and the Rust text shows the type before and after.
fn combine(deltas: Vec<Delta>, what: &str, rust_path: String, old_ty: String, new_ty: String) -> Option<Change> {
    let worst = deltas.iter().max_by_key(|d| d.class)?;
    let (class, kind) = (worst.class, worst.kind);
    let wire = format!("{what}: {}", deltas.iter().map(|d| d.wire.as_str()).collect::<Vec<_>>().join("; "));
    let mut rust = if old_ty != new_ty {
        format!("`{rust_path}` is now `{new_ty}` (was `{old_ty}`)")
    } else {
        format!("`{rust_path}` keeps its type `{new_ty}`")
    };
    match kind {
        "constraint-narrowed" | "constraint-changed" => {
            rust.push_str("; values the old description allowed are now rejected")
        }
        "constraint-widened" => rust.push_str("; more values are accepted"),
        _ => {}
    }
    Some(Change { class, kind, rust_path, wire, rust })
}

/// Compares one bound; `lower` is true for minimums, where a larger value
/// narrows.
/// A `multipleOf` change: a new one narrows, a removed one widens, another
/// value widens only when it divides the old one.
fn multiple(out: &mut Vec<Delta>, what: &str, a: Option<f64>, b: Option<f64>) {
    let narrowed = match (a, b) {
        (None, None) => return,
        (Some(x), Some(y)) if x == y => return,
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some(x), Some(y)) => (x / y).fract() != 0.0,
    };
    let show = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_else(|| "none".to_string());
    out.push(Delta {
        class: if narrowed { Class::Breaking } else { Class::Compatible },
        kind: if narrowed { "constraint-narrowed" } else { "constraint-widened" },
        wire: format!("{what} {} -> {}", show(a), show(b)),
    });
}

fn bound<T: PartialOrd + std::fmt::Display + Copy>(
    out: &mut Vec<Delta>,
    what: &str,
    a: Option<T>,
    b: Option<T>,
    lower: bool,
) {
    let show = |v: Option<T>| v.map(|v| v.to_string()).unwrap_or_else(|| "none".to_string());
    let narrowed = match (a, b) {
        (None, None) => return,
        (Some(x), Some(y)) if x == y => return,
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some(x), Some(y)) => {
            if lower {
                y > x
            } else {
                y < x
            }
        }
    };
    out.push(Delta {
        class: if narrowed { Class::Breaking } else { Class::Compatible },
        kind: if narrowed { "constraint-narrowed" } else { "constraint-widened" },
        wire: format!("{what} {} -> {}", show(a), show(b)),
    });
}

fn op_diff(status: Status, op: &Operation, changes: Vec<Change>) -> OperationDiff {
    OperationDiff {
        status,
        method: op.method,
        route: op.route.clone(),
        operation_id: op.name.wire.clone(),
        rust_path: op_path(op),
        changes,
    }
}

/// `client.users().authentication_methods().create`.
pub fn op_path(op: &Operation) -> String {
    let mut res = String::from("client");
    for g in &op.group {
        let _ = write!(res, ".{}()", g.rust);
    }
    let _ = write!(res, ".{}", op.name.rust);
    res
}

/// The module holding an operation's params struct and error enum.
fn op_module(op: &Operation) -> String {
    match op.group.first() {
        Some(g) => format!("operations::{}", g.rust),
        None => "operations".to_string(),
    }
}

fn params_struct_path(op: &Operation) -> Option<String> {
    op.params_struct.as_ref().map(|s| format!("{}::{s}", op_module(op)))
}

/// Path parameters are method arguments; the others are params struct fields.
fn param_path(op: &Operation, p: &Param, op_path: &str) -> String {
    match (p.location, params_struct_path(op)) {
        (ParamLocation::Path, _) | (_, None) => format!("{op_path}({})", p.name.rust),
        (_, Some(s)) => format!("{s}::{}", p.name.rust),
    }
}

/// A field `new()` must be given.
fn needs_ctor(f: &Field) -> bool {
    f.required && !f.nullable && !f.read_only && !f.write_only
}

/// How types are matched: component schemas by name, inline ones by their
/// Rust name.
fn type_key(def: &TypeDef) -> String {
    let mut tokens = def.pointer.tokens();
    let component = tokens.next().as_deref() == Some("components")
        && tokens.next().as_deref() == Some("schemas")
        && tokens.next().is_some()
        && tokens.next().is_none();
    if component {
        format!("schema:{}", def.name.wire)
    } else {
        format!("rust:{}", def.name.rust)
    }
}

/// The wire name of a type: its schema name, or the pointer of an inline schema.
fn type_wire(def: &TypeDef) -> String {
    if type_key(def).starts_with("schema:") {
        def.name.wire.clone()
    } else {
        def.pointer.to_string()
    }
}

fn media_types(contents: &[BodyContent]) -> String {
    contents.iter().map(|c| format!("`{}`", c.media_type)).collect::<Vec<_>>().join(", ")
}

/// Parameters are matched by location and wire name.
fn param_key(p: &Param) -> (u8, &str) {
    (loc_order(p.location), p.name.wire.as_str())
}

fn loc_order(l: ParamLocation) -> u8 {
    match l {
        ParamLocation::Path => 0,
        ParamLocation::Query => 1,
        ParamLocation::Header => 2,
        ParamLocation::Cookie => 3,
    }
}

fn loc_str(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn status_str(s: StatusMatch) -> String {
    match s {
        StatusMatch::Exact(n) => n.to_string(),
        StatusMatch::Range(r) => format!("{r}XX"),
        StatusMatch::Default => "default".to_string(),
    }
}

fn kind_str(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct(_) => "object schema",
        TypeKind::Enum(_) => "enum schema",
        TypeKind::Union(_) => "oneOf/anyOf schema",
        TypeKind::Alias(_) => "schema",
    }
}

fn rust_kind_str(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) | TypeKind::Union(_) => "enum",
        TypeKind::Alias(_) => "type alias",
    }
}

fn int_format(k: IntKind) -> &'static str {
    match k {
        IntKind::I32 => "int32",
        IntKind::I64 => "int64",
        IntKind::U32 => "uint32",
        IntKind::U64 => "uint64",
    }
}

fn float_format(k: FloatKind) -> &'static str {
    match k {
        FloatKind::F32 => "float",
        FloatKind::F64 => "double",
    }
}

fn float_rust(k: FloatKind) -> &'static str {
    match k {
        FloatKind::F32 => "f32",
        FloatKind::F64 => "f64",
    }
}

fn format_str(f: crate::ir::Format) -> &'static str {
    use crate::ir::Format as F;
    match f {
        F::DateTime => "date-time",
        F::Date => "date",
        F::Uuid => "uuid",
        F::Email => "email",
        F::Uri => "uri",
        F::Hostname => "hostname",
        F::Ipv4 => "ipv4",
        F::Ipv6 => "ipv6",
    }
}
