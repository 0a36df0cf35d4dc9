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

mod comment;
mod operations;
mod report;
mod types;

pub use comment::COMMENT_LIMIT;

use std::fmt::Write as _;

use crate::ir::{
    Api, BodyContent, Field, FloatKind, IntKind, Method, Operation, Param, ParamLocation, Presence, ResponseBody,
    StatusMatch, Struct, Ty, TypeDef, TypeKind,
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

/// Compares one bound; `lower` is true for minimums, where a larger value
/// narrows.
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
    f.presence == Presence::Required
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
        TypeKind::Alias(_) | TypeKind::SameShape(_) => "schema",
    }
}

fn rust_kind_str(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) | TypeKind::Union(_) => "enum",
        TypeKind::Alias(_) | TypeKind::SameShape(_) => "type alias",
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
