//! The Rust type of an IR type expression, and every fact about it that
//! generated code depends on, decided once for everyone.
//!
//! [`of`] maps a [`Ty`] to a [`RustTy`], a small tree of paths and const
//! generic arguments. Emit turns it into tokens ([`RustTy::tokens`]) and
//! spec-diff and docs print it for readers (`Display`, which names generated
//! types `types::Name` as a user of the crate writes them).
//!
//! [`entry`] resolves a type expression through named aliases and answers
//! the rest, as typify's `TypeEntry` does: whether it is `Copy`, bounded
//! or validated, how a setter or argument takes it ([`Input`]), and sample
//! values for examples. [`format`] holds what each string [`Format`] is in
//! Rust. Emit, examples, spec-diff and the conformance plan ask these and
//! do not match on [`Ty`] or [`Format`] to find out; the matches that
//! remain here are exhaustive, so a new kind of type expression or format
//! is a compile error in each place where it needs an answer.

use std::fmt;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, ArrayTy, Field, FloatKind, FloatTy, Format, IntKind, IntTy, Presence, StrTy, Ty, TypeKind};

mod samples;
use samples::{sample_json, sample_rust};

/// A Rust type as generated code writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustTy {
    /// A path with generic arguments: `Vec<T>`, `rt::BoundedInt<i32, 0, 9>`.
    Path(&'static str, Vec<RustTy>),
    /// A type or pattern marker the crate generates: `crate::types::Name`.
    Generated(String),
    /// A const generic integer argument, written as a literal (`u64::MAX`
    /// for no maximum length or item count).
    Int(i128),
    /// A const generic boolean argument.
    Bool(bool),
    /// A const generic float bound, kept as its bits, since stable Rust has
    /// no `f64` const generics: generated code writes the bits as a literal
    /// (readers see `{ rt::bits(0.25) }`, `{ rt::NO_MAX }` for infinity).
    ///
    /// Every const argument is a literal, never an expression block
    /// (`{ usize::MAX }`): rustdoc shows a block in a type another crate
    /// declared as a path into that crate's private modules
    /// (`part_2::::types::t_u::User::phone_number::{constant#1}`), and
    /// re-exported types of a split client are such types.
    Float(u64),
}

/// The Rust type of `ty`, as generated code writes it: a merged shape by
/// the one name lowering chose for it.
pub fn of(api: &Api, ty: &Ty) -> RustTy {
    written(api, ty, true)
}

/// The Rust type of `ty` with each named type by the name the description
/// gives it, a same-shape alias too (`types::GetRoleResponseContent`, which
/// is `types::Role`): spec-diff compares these, so that which of a shape's
/// names generated code writes is not a change.
pub fn declared(api: &Api, ty: &Ty) -> RustTy {
    written(api, ty, false)
}

fn written(api: &Api, ty: &Ty, merged: bool) -> RustTy {
    use RustTy::{Generated, Path};
    let of = |api: &Api, ty: &Ty| written(api, ty, merged);
    let upper = |max: Option<u64>| RustTy::Int(max.unwrap_or(u64::MAX).into());
    match ty {
        // A merged shape is written by the one name lowering chose for it
        // (`lower/dedup.rs`), wherever the spec used another of its names.
        Ty::Named(id) => match api.types[id.0].kind {
            TypeKind::SameShape(rep) if merged => Generated(api.types[rep.0].name.rust.clone()),
            _ => Generated(api.types[id.0].name.rust.clone()),
        },
        Ty::Bool => Path("bool", vec![]),
        Ty::Int(i) => {
            let (base, lo, hi): (_, i128, i128) = match i.kind {
                IntKind::I32 => ("i32", i32::MIN.into(), i32::MAX.into()),
                IntKind::I64 => ("i64", i64::MIN.into(), i64::MAX.into()),
                IntKind::U32 => ("u32", 0, u32::MAX.into()),
                IntKind::U64 => ("u64", 0, u64::MAX.into()),
            };
            if !int_bounded(i) {
                return Path(base, vec![]);
            }
            let (min, max) = (RustTy::Int(i.min.unwrap_or(lo)), RustTy::Int(i.max.unwrap_or(hi)));
            let mut args = vec![Path(base, vec![]), min, max];
            // `MULTIPLE_OF` defaults to 1: integer types without it keep their spelling.
            args.extend(i.multiple_of.map(|m| RustTy::Int(m.into())));
            Path("rt::BoundedInt", args)
        }
        Ty::Float(f) => {
            let base = match f.kind {
                FloatKind::F32 => "f32",
                FloatKind::F64 => "f64",
            };
            if !float_bounded(f) {
                return Path(base, vec![]);
            }
            let min = RustTy::Float(f.min.unwrap_or(f64::NEG_INFINITY).to_bits());
            let max = RustTy::Float(f.max.unwrap_or(f64::INFINITY).to_bits());
            let (emin, emax) = (RustTy::Bool(f.exclusive_min), RustTy::Bool(f.exclusive_max));
            let mut args = vec![Path(base, vec![]), min, max, emin, emax];
            args.extend(f.multiple_of.map(|m| RustTy::Float(m.to_bits())));
            Path("rt::BoundedFloat", args)
        }
        Ty::Str(s) => {
            if !str_bounded(s) {
                return Path("String", vec![]);
            }
            let mut args = vec![RustTy::Int(s.min_len.unwrap_or(0).into()), upper(s.max_len)];
            if let Some(p) = s.pattern {
                args.push(Generated(api.patterns[p.0].rust.clone()));
            }
            Path("rt::BoundedString", args)
        }
        Ty::Format(f) => Path(format(*f).path, vec![]),
        Ty::Base64 => Path("rt::Base64", vec![]),
        Ty::Binary => Path("rt::FilePart", vec![]),
        Ty::Json => Path("serde_json::Value", vec![]),
        Ty::Array(a) => {
            let item = of(api, &a.item);
            if !array_bounded(a) {
                return Path("Vec", vec![item]);
            }
            Path("rt::BoundedVec", vec![item, RustTy::Int(a.min_items.unwrap_or(0).into()), upper(a.max_items)])
        }
        Ty::Map(v) => Path("std::collections::BTreeMap", vec![Path("String", vec![]), of(api, v)]),
        Ty::Option(t) => Path("Option", vec![of(api, t)]),
    }
}

/// The type of a struct field: its type boxed when [`Field::boxed`], in as
/// many `Option`s as its [`Presence`] needs.
pub fn field(api: &Api, f: &Field) -> RustTy {
    field_as(f, of(api, &f.ty))
}

/// [`field`], with named types as [`declared`] writes them.
pub fn declared_field(api: &Api, f: &Field) -> RustTy {
    field_as(f, declared(api, &f.ty))
}

fn field_as(f: &Field, mut ty: RustTy) -> RustTy {
    if f.boxed {
        ty = RustTy::Path("Box", vec![ty]);
    }
    match f.presence {
        Presence::Required => ty,
        Presence::RequiredNull | Presence::Optional => RustTy::Path("Option", vec![ty]),
        Presence::OptionalNull => RustTy::Path("Option", vec![RustTy::Path("Option", vec![ty])]),
    }
}

/// What a [`Format`] is in Rust, in one place: a new format is one arm of
/// [`format`] (and its type in the runtime's `formats.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatEntry {
    /// The Rust type's path (`rt::` for the runtime's own).
    pub path: &'static str,
    /// Whether the Rust type is `Copy`.
    pub is_copy: bool,
    /// Whether the type checks its text: made by a fallible `new` from
    /// `impl Into<String>` (and so it validates).
    pub checked: bool,
    /// A Rust expression of the type itself (not only of what converts into
    /// it: a path argument or a union variant holds it), for examples;
    /// `{krate}::runtime::` is put before it when `in_runtime`.
    sample_rust: &'static str,
    in_runtime: bool,
    /// A realistic value on the wire, for the conformance plan (which the
    /// Node SDK and the real service accept).
    pub sample_wire: &'static str,
}

impl FormatEntry {
    /// A Rust expression of the type, for examples in crate `krate`.
    pub fn sample_rust(&self, krate: &str) -> String {
        if self.in_runtime {
            format!("{krate}::runtime::{}", self.sample_rust)
        } else {
            self.sample_rust.to_string()
        }
    }
}

/// The facts of a string format.
pub fn format(f: Format) -> FormatEntry {
    let entry = |path, is_copy, checked, sample_rust, sample_wire| FormatEntry {
        path,
        is_copy,
        checked,
        sample_rust,
        in_runtime: false,
        sample_wire,
    };
    match f {
        Format::DateTime => FormatEntry {
            in_runtime: true,
            ..entry(
                "rt::DateTime",
                true,
                false,
                "DateTime(time::OffsetDateTime::UNIX_EPOCH)",
                "2024-01-02T03:04:05.000Z",
            )
        },
        Format::Date => {
            FormatEntry { in_runtime: true, ..entry("rt::Date", true, false, "Date(time::Date::MIN)", "2024-01-02") }
        }
        Format::Uuid => entry("uuid::Uuid", true, false, "uuid::Uuid::nil()", "123e4567-e89b-12d3-a456-426614174000"),
        Format::Email => entry("rt::Email", false, true, "\"user@example.com\"", "user@example.com"),
        Format::Uri => entry("rt::Uri", false, true, "\"https://example.com\"", "https://example.com/callback"),
        Format::Hostname => entry("rt::Hostname", false, true, "\"example.com\"", "login.example.com"),
        Format::Ipv4 => entry("std::net::Ipv4Addr", true, false, "std::net::Ipv4Addr::LOCALHOST", "192.0.2.1"),
        Format::Ipv6 => entry("std::net::Ipv6Addr", true, false, "std::net::Ipv6Addr::LOCALHOST", "2001:db8::1"),
    }
}

/// Whether an integer is an `rt::BoundedInt`: a minimum, a maximum or a
/// `multipleOf` (all three are checked when a value is made).
pub fn int_bounded(i: &IntTy) -> bool {
    i.min.is_some() || i.max.is_some() || i.multiple_of.is_some()
}

/// Whether a number is an `rt::BoundedFloat`.
pub fn float_bounded(f: &FloatTy) -> bool {
    f.min.is_some() || f.max.is_some() || f.multiple_of.is_some()
}

/// Whether a string is an `rt::BoundedString`.
pub fn str_bounded(s: &StrTy) -> bool {
    s.min_len.is_some() || s.max_len.is_some() || s.pattern.is_some()
}

/// Whether a list is an `rt::BoundedVec`.
pub fn array_bounded(a: &ArrayTy) -> bool {
    a.min_items.is_some() || a.max_items.is_some()
}

/// The type expression a named alias stands for, through aliases and
/// same-shape names of aliases (a named struct, enum or union is its own
/// answer). Chains are cut after 32 links.
pub fn resolve<'a>(api: &'a Api, ty: &'a Ty) -> &'a Ty {
    let mut ty = ty;
    for _ in 0..32 {
        let Ty::Named(id) = ty else { break };
        ty = match &api.types[id.0].kind {
            TypeKind::Alias(t) => t,
            TypeKind::SameShape(rep) => match &api.types[rep.0].kind {
                TypeKind::Alias(t) => t,
                _ => break,
            },
            _ => break,
        };
    }
    ty
}

/// A struct's only member taken in `new`, if it has exactly one.
fn sole_member<'a>(api: &Api, s: &'a crate::ir::Struct) -> Option<&'a Field> {
    let mut taken = s.fields.iter().filter(|f| api.takes_in_new(f.presence, &f.ty));
    let (Some(f), None) = (taken.next(), taken.next()) else { return None };
    Some(f)
}

/// The member a struct converts from when made from a string (`From<&str>`,
/// `From<String>`): its only member taken in `new`, when that is a string
/// (constrained or not, a string format included) and not read-only.
pub fn string_member<'a>(api: &Api, s: &'a crate::ir::Struct) -> Option<&'a Field> {
    let f = sole_member(api, s)?;
    let string = match resolve(api, &f.ty) {
        Ty::Str(_) => true,
        Ty::Format(x) => format(*x).checked,
        _ => false,
    };
    (string && !f.read_only && !f.boxed).then_some(f)
}

/// For each named type, whether it converts from a string: a struct with a
/// [`string_member`] that is a required field of some struct (a nested
/// required object, which a constructor then takes as a plain string).
pub fn from_string_types(api: &Api) -> Vec<bool> {
    let mut res = vec![false; api.types.len()];
    for def in &api.types {
        let TypeKind::Struct(s) = &def.kind else { continue };
        for f in s.fields.iter().filter(|f| f.presence == Presence::Required) {
            let mut id = match resolve(api, &f.ty) {
                Ty::Named(id) => *id,
                _ => continue,
            };
            if let TypeKind::SameShape(rep) = api.types[id.0].kind {
                id = rep;
            }
            if let TypeKind::Struct(inner) = &api.types[id.0].kind {
                res[id.0] |= string_member(api, inner).is_some();
            }
        }
    }
    res
}

/// What a body of one required string or list converts from
/// ([`body_member`]), as `rt::IntoBody` takes it.
pub enum BodySource {
    /// `&str` and `String`.
    Str,
    /// Any iterable of items convertible into this item type.
    Items(RustTy),
}

/// The member a request body converts from (`rt::IntoBody`), so that
/// `assign(id, roles)` sends `{"roles": [..]}`: its only member taken in
/// `new`, when that is a string or a list of convertible items, and not
/// read-only. The conversion is the body's `new`.
pub fn body_member<'a>(api: &Api, s: &'a crate::ir::Struct) -> Option<(&'a Field, BodySource)> {
    let f = sole_member(api, s)?;
    if f.read_only || f.boxed {
        return None;
    }
    let source = match (resolve(api, &f.ty), input(api, &f.ty)) {
        (_, Input::Checked { convert: Convert::Str, .. }) => BodySource::Str,
        (_, Input::Into(RustTy::Path("String", args))) if args.is_empty() => BodySource::Str,
        (_, Input::Items(item)) => BodySource::Items(item),
        // A bounded list: of items convertible as they are, or of
        // constrained strings, each taken as a string.
        (Ty::Array(a), Input::Checked { convert: Convert::Collect | Convert::EachItem { .. }, .. }) => {
            match input(api, &a.item) {
                Input::Into(item) => BodySource::Items(item),
                Input::Checked { convert: Convert::Str, .. } => BodySource::Items(RustTy::Path("String", vec![])),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some((f, source))
}

/// For each named type, whether it is the required object body of some
/// operation (JSON, form or multipart): it then converts into the body
/// argument from its [`body_member`].
pub fn body_types(api: &Api) -> Vec<bool> {
    let mut res = vec![false; api.types.len()];
    for body in api.operations.iter().filter_map(|op| op.body.as_ref()).filter(|b| b.required) {
        let content = &body.contents[0];
        if matches!(content.kind, crate::ir::BodyKind::Binary | crate::ir::BodyKind::Text) {
            continue;
        }
        let Ty::Named(mut id) = resolve(api, &content.ty) else { continue };
        if let TypeKind::SameShape(rep) = api.types[id.0].kind {
            id = rep;
        }
        if matches!(api.types[id.0].kind, TypeKind::Struct(_)) {
            res[id.0] = true;
        }
    }
    res
}

/// For each named type, whether it validates: it has constraints of its
/// own (or read-only fields, or key rules) or holds a type that validates.
pub fn validating_types(api: &Api) -> Vec<bool> {
    let n = api.types.len();
    // Propagating along "is held by" edges from the types with their own
    // constraints is linear; a fixpoint over all types took a pass per
    // link of a chain (a minute for 40,000 types).
    let none = vec![false; n];
    let mut validates = vec![false; n];
    let mut held_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut work = Vec::new();
    for (idx, def) in api.types.iter().enumerate() {
        let mut own =
            matches!(&def.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.read_only) || !s.key_rules.is_empty());
        crate::ir_visit::kind_tys(&def.kind, &mut |t| own |= ty_validates(t, &none));
        for h in crate::ir_visit::named_refs(&def.kind) {
            held_by[h].push(idx);
        }
        if own {
            validates[idx] = true;
            work.push(idx);
        }
    }
    while let Some(t) = work.pop() {
        for &u in &held_by[t] {
            if !validates[u] {
                validates[u] = true;
                work.push(u);
            }
        }
    }
    validates
}

fn ty_validates(ty: &Ty, named: &[bool]) -> bool {
    match ty {
        Ty::Named(id) => named[id.0],
        Ty::Int(i) => int_bounded(i),
        Ty::Float(f) => float_bounded(f),
        Ty::Str(s) => str_bounded(s),
        Ty::Format(f) => format(*f).checked,
        Ty::Array(a) => array_bounded(a) || ty_validates(&a.item, named),
        Ty::Map(t) | Ty::Option(t) => ty_validates(t, named),
        Ty::Bool | Ty::Base64 | Ty::Binary | Ty::Json => false,
    }
}

/// One type expression with everything generated code asks about it:
/// its Rust type, whether it is `Copy`, bounded or validated, how a setter
/// takes it, and sample values. Users ask it rather than match on [`Ty`].
#[derive(Clone, Copy)]
pub struct Entry<'a> {
    api: &'a Api,
    ty: &'a Ty,
    /// `ty` through named aliases ([`resolve`]).
    resolved: &'a Ty,
}

/// The entry of `ty`.
pub fn entry<'a>(api: &'a Api, ty: &'a Ty) -> Entry<'a> {
    Entry { api, ty, resolved: resolve(api, ty) }
}

impl<'a> Entry<'a> {
    /// The type expression, as the IR gives it.
    pub fn ty(&self) -> &'a Ty {
        self.ty
    }

    /// The type expression through named aliases.
    pub fn resolved(&self) -> &'a Ty {
        self.resolved
    }

    /// Its Rust type (an alias keeps its name).
    pub fn rust(&self) -> RustTy {
        of(self.api, self.ty)
    }

    /// Its Rust type as generated code writes it.
    pub fn tokens(&self) -> TokenStream {
        self.rust().tokens()
    }

    /// Whether the Rust type is `Copy` (scalars, `Copy` formats, and
    /// aliases of them).
    pub fn is_copy(&self) -> bool {
        match self.resolved {
            Ty::Bool | Ty::Int(_) | Ty::Float(_) => true,
            Ty::Format(f) => format(*f).is_copy,
            Ty::Named(_)
            | Ty::Str(_)
            | Ty::Base64
            | Ty::Binary
            | Ty::Json
            | Ty::Array(_)
            | Ty::Map(_)
            | Ty::Option(_) => false,
        }
    }

    /// Whether the Rust type (through aliases) is one of the runtime's
    /// bounded wrappers (`rt::BoundedInt`, `BoundedFloat`, `BoundedString`,
    /// `BoundedVec`), which hold only values within the bounds: a value
    /// made in generated code must go through its fallible `new`.
    pub fn is_bounded(&self) -> bool {
        match self.resolved {
            Ty::Int(i) => int_bounded(i),
            Ty::Float(f) => float_bounded(f),
            Ty::Str(s) => str_bounded(s),
            Ty::Array(a) => array_bounded(a),
            Ty::Named(_)
            | Ty::Bool
            | Ty::Format(_)
            | Ty::Base64
            | Ty::Binary
            | Ty::Json
            | Ty::Map(_)
            | Ty::Option(_) => false,
        }
    }

    /// Whether a value must be validated before it is sent; `named` is
    /// [`validating_types`].
    pub fn validates(&self, named: &[bool]) -> bool {
        ty_validates(self.ty, named)
    }

    /// How a setter or argument takes a value.
    pub fn input(&self) -> Input {
        input(self.api, self.ty)
    }

    /// A Rust expression of a value (for examples in crate `krate`), or
    /// `None` when some value has no simple sample: see [`Entry::sample_json`].
    pub fn sample_rust(&self, krate: &str) -> Option<String> {
        sample_rust(self.api, self.ty, krate, 0)
    }

    /// A JSON value with the required fields filled with sample values (the
    /// first enum value, `"example"`, `0`, `false`), for examples.
    pub fn sample_json(&self) -> String {
        sample_json(self.api, self.ty, 0)
    }
}

/// How a setter or constructor takes a value of a type: the argument it
/// declares, and whether making the value can fail.
#[derive(Debug, Clone)]
pub enum Input {
    /// The type itself (`bool`, `i64`): with `impl Into` an integer
    /// literal would have no type to settle on.
    Plain(RustTy),
    /// `impl Into<T>`.
    Into(RustTy),
    /// A list of `T`: `impl IntoIterator<Item = impl Into<T>>`, so that
    /// `["a", "b"]` fills a `Vec<String>`.
    Items(RustTy),
    /// A constrained type, made by its fallible `new` from the unchecked
    /// value: `impl Into<String>` for strings, the number for bounded
    /// numbers, a list for bounded arrays (converted as `convert` says).
    Checked { ty: RustTy, input: TokenStream, convert: Convert },
}

impl Input {
    /// Whether taking the value can fail (the constructor or setter then
    /// returns a `Result`).
    pub fn is_checked(&self) -> bool {
        matches!(self, Input::Checked { .. })
    }
}

/// How the unchecked value of [`Input::Checked`] becomes what `new` takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Convert {
    /// As is.
    None,
    /// As is, and the value is a string (`impl Into<String>`): a path
    /// parameter takes it as `&str`.
    Str,
    /// `.into()`.
    Into,
    /// `.into_iter().map(Into::into).collect()`.
    Collect,
    /// A list of constrained items: each made by `item`'s `new`, then the
    /// list by the list type's `new` when it is `bounded`.
    EachItem { item: RustTy, bounded: bool },
    /// A map of constrained strings (or of optional ones, when `optional`):
    /// each value made by `value`'s `new`.
    EachValue { value: RustTy, optional: bool },
    /// A free-form object from a `serde_json::Value` or a map:
    /// `rt::IntoJsonObject::into_json_object`, which refuses a value that
    /// is not an object.
    JsonObject,
}

/// How a setter takes a value of `ty`. A named alias (`pub type`) is taken
/// as the type it names.
pub fn input(api: &Api, ty: &Ty) -> Input {
    let ty = resolve(api, ty);
    let rust = of(api, ty);
    let checked = |input: TokenStream, convert: Convert| Input::Checked { ty: rust.clone(), input, convert };
    match (ty, &rust) {
        (Ty::Bool | Ty::Int(_) | Ty::Float(_), RustTy::Path(_, args)) if args.is_empty() => Input::Plain(rust),
        (Ty::Int(_) | Ty::Float(_), RustTy::Path(_, args)) => {
            let base = args.first().map(RustTy::tokens).unwrap_or_default();
            checked(base, Convert::None)
        }
        (Ty::Str(_), RustTy::Path(p, _)) if *p != "String" => checked(quote!(impl Into<String>), Convert::Str),
        (Ty::Format(f), _) if format(*f).checked => checked(quote!(impl Into<String>), Convert::Str),
        (Ty::Array(a), RustTy::Path(list @ ("rt::BoundedVec" | "Vec"), _)) => {
            let bounded = *list == "rt::BoundedVec";
            match input(api, &a.item) {
                Input::Into(item) if bounded => {
                    let item = item.tokens();
                    checked(quote!(impl IntoIterator<Item = impl Into<#item>>), Convert::Collect)
                }
                Input::Into(item) => Input::Items(item),
                Input::Checked { ty: item, input, convert: Convert::None | Convert::Str } => {
                    checked(quote!(impl IntoIterator<Item = #input>), Convert::EachItem { item, bounded })
                }
                _ if bounded => {
                    let item = of(api, &a.item).tokens();
                    checked(quote!(impl Into<Vec<#item>>), Convert::Into)
                }
                _ => Input::Into(rust),
            }
        }
        // A free-form object: `json!({..})` or the map, checked to be an object.
        (Ty::Map(v), _) if matches!(**v, Ty::Json) => checked(quote!(impl rt::IntoJsonObject), Convert::JsonObject),
        // A map of constrained strings: pairs of strings, each value checked.
        (Ty::Map(v), _) => {
            let (inner, optional) = match &**v {
                Ty::Option(t) => (&**t, true),
                t => (t, false),
            };
            match input(api, inner) {
                Input::Checked { ty: value, convert: Convert::Str, .. } => {
                    let item = if optional { quote!(Option<impl Into<String>>) } else { quote!(impl Into<String>) };
                    checked(
                        quote!(impl IntoIterator<Item = (impl Into<String>, #item)>),
                        Convert::EachValue { value, optional },
                    )
                }
                _ => Input::Into(rust),
            }
        }
        _ => Input::Into(rust),
    }
}

impl RustTy {
    /// The type as generated code writes it.
    pub fn tokens(&self) -> TokenStream {
        match self {
            RustTy::Path(path, args) => {
                let path = path_tokens(path);
                if args.is_empty() {
                    path
                } else {
                    let args = args.iter().map(RustTy::tokens);
                    quote!(#path<#(#args),*>)
                }
            }
            RustTy::Generated(name) => {
                let name = Ident::new(name, Span::call_site());
                quote!(crate::types::#name)
            }
            RustTy::Int(n) => {
                let lit = Literal::i128_unsuffixed(n.unsigned_abs() as i128);
                if *n < 0 {
                    quote!(-#lit)
                } else {
                    quote!(#lit)
                }
            }
            RustTy::Bool(b) => quote!(#b),
            RustTy::Float(bits) => {
                let lit = Literal::u64_unsuffixed(*bits);
                quote!(#lit)
            }
        }
    }
}

fn path_tokens(path: &str) -> TokenStream {
    let segments = path.split("::").map(|s| Ident::new(s, Span::call_site()));
    quote!(#(#segments)::*)
}

/// For readers: `types::Name` for generated types, paths as written.
impl fmt::Display for RustTy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustTy::Path(path, args) => {
                f.write_str(path)?;
                if let Some((first, rest)) = args.split_first() {
                    write!(f, "<{first}")?;
                    for a in rest {
                        write!(f, ", {a}")?;
                    }
                    f.write_str(">")?;
                }
                Ok(())
            }
            RustTy::Generated(name) => write!(f, "types::{name}"),
            RustTy::Int(n) if *n == i128::from(u64::MAX) => f.write_str("u64::MAX"),
            RustTy::Int(n) => write!(f, "{n}"),
            RustTy::Bool(b) => write!(f, "{b}"),
            RustTy::Float(bits) => match f64::from_bits(*bits) {
                x if x == f64::INFINITY => f.write_str("{ rt::NO_MAX }"),
                x if x == f64::NEG_INFINITY => f.write_str("{ rt::NO_MIN }"),
                x => write!(f, "{{ rt::bits({x:?}) }}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> Api {
        Api {
            title: String::new(),
            version: String::new(),
            description: None,
            servers: vec![],
            security: vec![],
            types: vec![],
            patterns: vec![],
            operations: vec![],
            paging_census: vec![],
            runtime: Default::default(),
        }
    }

    #[test]
    fn code_and_readers_see_the_same_type() {
        let api = api();
        let ty = Ty::Array(Box::new(ArrayTy {
            item: Ty::Int(IntTy { kind: IntKind::I32, min: Some(-1), max: None, multiple_of: None }),
            min_items: None,
            max_items: Some(u64::MAX),
        }));
        let t = of(&api, &ty);
        assert_eq!(t.to_string(), "rt::BoundedVec<rt::BoundedInt<i32, -1, 2147483647>, 0, u64::MAX>");
        assert_eq!(
            t.tokens().to_string(),
            "rt :: BoundedVec < rt :: BoundedInt < i32 , - 1 , 2147483647 > , 0 , 18446744073709551615 >"
        );
        assert_eq!(of(&api, &Ty::Str(StrTy::default())).to_string(), "String");
        let ty = Ty::Float(FloatTy {
            kind: FloatKind::F64,
            min: Some(-0.5),
            max: None,
            exclusive_min: true,
            exclusive_max: false,
            multiple_of: Some(0.25),
        });
        let t = of(&api, &ty);
        assert_eq!(
            t.to_string(),
            "rt::BoundedFloat<f64, { rt::bits(-0.5) }, { rt::NO_MAX }, true, false, { rt::bits(0.25) }>"
        );
        assert_eq!(
            t.tokens().to_string(),
            "rt :: BoundedFloat < f64 , 13826050856027422720 , 9218868437227405312 , true , false , 4598175219545276416 >"
        );
    }

    fn int(min: Option<i128>, max: Option<i128>, multiple_of: Option<u64>) -> Ty {
        Ty::Int(IntTy { kind: IntKind::I32, min, max, multiple_of })
    }

    #[test]
    fn an_integer_with_only_multiple_of_is_bounded() {
        let api = api();
        let ty = int(None, None, Some(5));
        let e = entry(&api, &ty);
        assert!(e.is_bounded());
        assert!(e.validates(&[]));
        assert!(e.is_copy());
        assert_eq!(e.rust().to_string(), "rt::BoundedInt<i32, -2147483648, 2147483647, 5>");
        assert!(e.input().is_checked());
        let ty = int(None, None, None);
        let e = entry(&api, &ty);
        assert!(!e.is_bounded() && !e.validates(&[]) && !e.input().is_checked());
    }

    #[test]
    fn aliases_are_resolved() {
        use crate::ir::{Docs, Name, TypeDef, TypeId};
        use crate::pointer::Pointer;
        let mut api = api();
        let def = |rust: &str, kind| TypeDef {
            name: Name { rust: rust.into(), wire: rust.into() },
            pointer: Pointer::default(),
            docs: Docs::default(),
            kind,
        };
        api.types.push(def("Id", TypeKind::Alias(Ty::Format(Format::Uuid))));
        api.types.push(def("OtherId", TypeKind::SameShape(TypeId(0))));
        let ty = Ty::Named(TypeId(1));
        let e = entry(&api, &ty);
        assert_eq!(e.resolved(), &Ty::Format(Format::Uuid));
        assert!(e.is_copy() && !e.is_bounded());
        // A same-shape name is written as the name it shares; a setter takes
        // what that alias names.
        assert_eq!(e.rust().to_string(), "types::Id");
        assert!(matches!(e.input(), Input::Into(RustTy::Path("uuid::Uuid", _))));
        assert_eq!(e.sample_rust("k").as_deref(), Some("uuid::Uuid::nil()"));
    }

    #[test]
    fn formats_agree_with_their_entries() {
        let api = api();
        for f in [
            Format::DateTime,
            Format::Date,
            Format::Uuid,
            Format::Email,
            Format::Uri,
            Format::Hostname,
            Format::Ipv4,
            Format::Ipv6,
        ] {
            let ty = Ty::Format(f);
            let e = entry(&api, &ty);
            let facts = format(f);
            assert_eq!(e.rust().to_string(), facts.path);
            assert_eq!(e.is_copy(), facts.is_copy, "{f:?}");
            assert_eq!(e.validates(&[]), facts.checked, "{f:?}");
            assert_eq!(e.input().is_checked(), facts.checked, "{f:?}");
            assert!(!facts.sample_wire.is_empty());
        }
        assert_eq!(format(Format::Date).sample_rust("k"), "k::runtime::Date(time::Date::MIN)");
    }

    /// A format type of the runtime is `Copy` exactly when its entry says
    /// so: a stream copies a `Copy` path argument, and clones the others
    /// (clippy's `clone_on_copy` in generated code otherwise).
    #[test]
    fn runtime_formats_are_copy_as_their_entries_say() {
        let src = include_str!("../../runtime/src/runtime/formats.rs");
        let mut seen = 0;
        for f in [Format::DateTime, Format::Date, Format::Email, Format::Uri, Format::Hostname] {
            let facts = format(f);
            let Some(name) = facts.path.strip_prefix("rt::") else { continue };
            let Some(at) =
                src.find(&format!("pub struct {name}(")).or_else(|| src.find(&format!("pub struct {name} ")))
            else {
                continue;
            };
            let derive = src[..at].rfind("#[derive(").map(|d| &src[d..at]).unwrap_or("");
            assert_eq!(derive.contains("Copy"), facts.is_copy, "{name}: {derive}");
            seen += 1;
        }
        assert!(seen >= 2, "only {seen} runtime format types found in formats.rs");
    }
}
