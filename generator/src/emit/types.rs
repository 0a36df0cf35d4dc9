//! Emitting named types: structs, forward-compatible enums, unions,
//! aliases and pattern markers, split over `types/<letter>.rs` files.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::features::Home;
use super::{docs, ident, setters, Cx, FileBody, Job};
use crate::file_model::{Cell, Module, Piece, Table};
use crate::ir::{Enum, Field, PatternDef, Presence, Struct, TypeDef, TypeKind, Union, UnionVariant};

pub(crate) fn emit_types<'a>(cx: &'a Cx<'a>) -> Vec<Job<'a>> {
    emit_types_of(cx, None, String::new(), None)
}

/// The types of one crate of a split client (`home`; `None`: every type,
/// the client being one crate), under `prefix`; a part's `types` module
/// also re-exports those of the common crate (`common`, its Rust name).
pub(crate) fn emit_types_of<'a>(
    cx: &'a Cx<'a>,
    home: Option<Home>,
    prefix: String,
    common: Option<String>,
) -> Vec<Job<'a>> {
    // One file per first letter keeps files and diffs small and stable.
    let mut chunks: BTreeMap<String, (Vec<usize>, Vec<&'a PatternDef>)> = BTreeMap::new();
    for (idx, def) in cx.api.types.iter().enumerate() {
        if home.is_none_or(|h| cx.features.type_home(idx) == h) {
            chunks.entry(chunk_key(&def.name.rust)).or_default().0.push(idx);
        }
    }
    if home.is_none_or(|h| h == Home::Common) {
        for p in &cx.api.patterns {
            chunks.entry(chunk_key(&p.rust)).or_default().1.push(p);
        }
    }
    let mut res: Vec<Job<'a>> = Vec::new();
    // Token streams are not `Send`: the job gets the names and makes them.
    let keys: Vec<String> = chunks.keys().cloned().collect();
    let dir = format!("{prefix}src/types");
    res.push((
        format!("{dir}/mod.rs"),
        Box::new(move || {
            let mut top = quote! {
                #![doc = " The schemas of the API as Rust types."]
                #![doc = ""]
                #![doc = " Request values are checked before sending; response values are"]
                #![doc = " accepted as the server sends them (see `runtime::Validate`)."]
            };
            if let Some(common) = common {
                let common = ident(&common);
                top.extend(quote! {
                    #[allow(unused_imports)]
                    pub use #common::types::*;
                });
            }
            let mut pieces = vec![Piece::Items(top)];
            for key in &keys {
                let m = ident(&format!("t_{key}"));
                pieces.push(super::module(cx, quote!(mod #m), format!("{dir}/t_{key}.rs")));
                // A file may hold only types of features that are off.
                pieces.push(Piece::Items(quote! {
                    #[allow(unused_imports)]
                    pub use #m::*;
                }));
            }
            FileBody::Pieces(pieces)
        }),
    ));
    for (key, (defs, patterns)) in chunks {
        let path = format!("{prefix}src/types/t_{key}.rs");
        res.push((path, Box::new(move || FileBody::Pieces(emit_chunk(cx, &key, &defs, &patterns)))));
    }
    res
}

fn emit_chunk(cx: &Cx<'_>, key: &str, defs: &[usize], patterns: &[&PatternDef]) -> Vec<Piece> {
    let doc = format!(" Types whose names start with `{}`.", key.trim_start_matches('_').to_uppercase());
    let mut pieces = vec![Piece::Items(quote! {
        #![doc = #doc]
        #[allow(unused_imports)]
        use crate::runtime as rt;
    })];
    for &idx in defs {
        let cfg = cx.features.type_cfg(idx);
        for piece in emit_type(cx, idx) {
            pieces.push(match piece {
                Piece::Items(items) => Piece::Items(super::features::each_item(&cfg, items)),
                Piece::Table(table) => {
                    let tokens = table.tokens;
                    Piece::Table(Table { tokens: quote!(#cfg #tokens), attrs: cfg.clone(), ..table })
                }
                Piece::Module(Module { head, file }) => Piece::Module(Module { head: quote!(#cfg #head), file }),
            });
        }
    }
    let mut markers = TokenStream::new();
    for p in patterns {
        markers.extend(pattern_marker(p));
    }
    pieces.push(Piece::Items(markers));
    pieces
}

/// A pattern's marker type and its `rt::Pattern` impl.
fn pattern_marker(p: &PatternDef) -> TokenStream {
    let name = ident(&p.rust);
    let source = &p.source;
    let doc = format!(" The pattern `{}`.", super::inline_text(source));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct #name;

        impl rt::Pattern for #name {
            const SOURCE: &'static str = #source;
            #[inline]
            fn is_match(s: &str) -> bool {
                static RE: rt::__private::PatternCell = rt::__private::PatternCell::new();
                RE.is_match(Self::SOURCE, s)
            }
        }
    }
}

fn chunk_key(name: &str) -> String {
    match name.chars().find(|c| c.is_ascii_alphanumeric()) {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_lowercase().to_string(),
        _ => "_".to_string(),
    }
}

/// A named type's items; a struct's `serde_struct!` call is a [`Table`].
fn emit_type(cx: &Cx<'_>, idx: usize) -> Vec<Piece> {
    match &cx.api.types[idx].kind {
        TypeKind::Struct(s) => {
            let mut res = emit_struct(cx, idx, &cx.api.types[idx], s);
            res.push(Piece::Items(super::pages::accessors(cx, idx)));
            res
        }
        _ => vec![Piece::Items(emit_other_type(cx, idx))],
    }
}

/// A named type other than a struct.
fn emit_other_type(cx: &Cx<'_>, idx: usize) -> TokenStream {
    let def = &cx.api.types[idx];
    if let TypeKind::SameShape(rep) = def.kind {
        let name = ident(&def.name.rust);
        let rep = &cx.api.types[rep.0].name.rust;
        let docs = docs(
            &def.docs,
            &[format!("Another name for [`{rep}`](crate::types::{rep}): the spec gives both the same shape.")],
        );
        let rep = ident(rep);
        return quote! {
            #docs
            pub type #name = crate::types::#rep;
        };
    }
    match &def.kind {
        TypeKind::Struct(_) => unreachable!("structs are emitted by `emit_type`"),
        TypeKind::Enum(e) => emit_enum(def, e),
        TypeKind::Union(u) => {
            let mut res = emit_union(cx, idx, def, u);
            res.extend(super::pages::accessors(cx, idx));
            res
        }
        TypeKind::SameShape(_) => unreachable!("same-shape aliases are emitted above"),
        TypeKind::Alias(ty) => {
            let name = ident(&def.name.rust);
            let ty = cx.ty(ty);
            let docs = docs(&def.docs, &[]);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

/// How a field is declared: its Rust type and how serde handles it.
fn field_decl(cx: &Cx<'_>, f: &Field) -> TokenStream {
    crate::rust_ty::field(cx.api, f).tokens()
}

fn field_docs(f: &Field, setters: bool) -> TokenStream {
    let mut extra = Vec::new();
    if setters && !f.read_only {
        extra.extend(setters::renamed_note(&f.name.rust, &f.setter));
    }
    if let Some(d) = &f.default {
        extra.push(format!("Default: `{}`.", super::inline_text(&d.to_json())));
    }
    if f.read_only {
        extra.push("Read-only: set by the server, never sent.".to_string());
    }
    if f.write_only {
        extra.push("Write-only: sent, never returned.".to_string());
    }
    if f.presence == Presence::OptionalNull {
        extra.push("`None`: absent; `Some(None)`: `null`.".to_string());
    }
    docs(&f.docs, &extra)
}

/// A struct's key rules ([`crate::ir::KeyRule`]): the checks its
/// `validate` makes, and a line of its docs for each.
fn key_rules(s: &Struct) -> (TokenStream, Vec<String>) {
    let mut checks = TokenStream::new();
    let mut notes = Vec::new();
    for rule in &s.key_rules {
        let labels = rule.labels(&s.fields);
        let present = rule.sets.iter().map(|set| {
            let each = set.iter().map(|&i| {
                let f = &s.fields[i];
                let fname = ident(&f.name.rust);
                match f.presence {
                    Presence::Required | Presence::RequiredNull => quote!(true),
                    Presence::Optional | Presence::OptionalNull => quote!(self.#fname.is_some()),
                }
            });
            quote!(#(#each)&&*)
        });
        let one = rule.exactly_one;
        checks.extend(quote!(v.key_sets(#one, &[#(#labels),*], &[#(#present),*]);));
        let how = if one { "Exactly one" } else { "At least one" };
        notes.push(format!("{how} of {} is sent (checked before a request is sent).", labels.join(", ")));
    }
    (checks, notes)
}

fn emit_struct(cx: &Cx<'_>, idx: usize, def: &TypeDef, s: &Struct) -> Vec<Piece> {
    let name = ident(&def.name.rust);
    let (mut checks, notes) = key_rules(s);
    let docs = docs(&def.docs, &notes);
    let mut fields = TokenStream::new();
    let mut rows = Vec::with_capacity(s.fields.len());
    let mut members = Vec::with_capacity(s.fields.len());
    for (index, f) in s.fields.iter().enumerate() {
        let ty = field_decl(cx, f);
        let fname = ident(&f.name.rust);
        let wire = &f.name.wire;
        // What `visit_map` collects the field in: a required field's value
        // may be missing, an optional one's slot is the field itself.
        let slot = if f.presence == Presence::Required { quote!(Option<#ty>) } else { ty.clone() };
        rows.push(FieldRow { field: fname.clone(), wire, presence: f.presence, slot, index });
        let fdocs = field_docs(f, cx.in_request[idx]);
        fields.extend(quote! {
            #fdocs
            pub #fname: #ty,
        });
        members.push(setters::Member {
            rust: &f.name.rust,
            wire,
            ty: &f.ty,
            boxed: f.boxed,
            presence: f.presence,
            setter: &f.setter,
            read_only: f.read_only,
        });
        if f.read_only {
            checks.extend(quote!(v.read_only(#wire, &self.#fname);));
        } else if cx.ty_validates(&f.ty) {
            checks.extend(quote!(v.field(#wire, &self.#fname);));
        }
    }
    let all_optional = s.fields.iter().all(|f| f.presence != Presence::Required);
    let mut extra_field = None;
    let mut rest = quote!();
    if let Some(extra) = &s.additional {
        let ty = cx.ty(extra);
        extra_field = Some(ident("additional_properties"));
        fields.extend(quote! {
            /// Properties not named in the schema.
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        });
        rest = quote!(additional_properties: Default::default(),);
        if cx.ty_validates(extra) {
            checks.extend(quote!(v.field("additionalProperties", &self.additional_properties);));
        }
    }
    let default = if all_optional { quote!(Default,) } else { quote!() };
    let validate = if checks.is_empty() {
        quote!(impl rt::Validate for #name {})
    } else {
        quote! {
            impl rt::Validate for #name {
                #[inline]
                fn validate(&self, v: &mut rt::Validator) {
                    #checks
                }
            }
        }
    };
    let from = match crate::rust_ty::string_member(cx.api, s) {
        Some(f) if cx.from_string[idx] && cx.in_request[idx] => {
            setters::from_string(cx, &def.name.rust, &f.name.rust, &members, rest.clone())
        }
        _ => quote!(),
    };
    let body_from = match crate::rust_ty::body_member(cx.api, s) {
        Some((f, source)) if cx.bodies[idx] => setters::body_from(cx, &def.name.rust, f, source),
        _ => quote!(),
    };
    let ctor = setters::emit(cx, &def.name.rust, &members, rest, cx.in_request[idx]);
    vec![
        Piece::Items(quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #default)]
            pub struct #name {
                #fields
            }
        }),
        Piece::Table(serde_struct(&name, &rows, extra_field)),
        Piece::Items(quote! {
            #ctor

            #from

            #body_from

            #validate
        }),
    ]
}

/// A field's entry in a struct's `serde_struct!` table.
struct FieldRow<'a> {
    field: proc_macro2::Ident,
    wire: &'a str,
    presence: Presence,
    /// The type `visit_map` collects the field in.
    slot: TokenStream,
    index: usize,
}

/// `rt::serde_struct!(Name { field: "wire" kind Slot = index, .. } extra);`
/// (the syntax of `runtime/src/runtime/structs.rs`), as tokens and as the
/// table render prints one field per line.
fn serde_struct(name: &proc_macro2::Ident, rows: &[FieldRow<'_>], extra: Option<proc_macro2::Ident>) -> Table {
    let mut entries = TokenStream::new();
    let mut laid = Vec::with_capacity(rows.len());
    for FieldRow { field, wire, presence, slot, index } in rows {
        let kind = match presence {
            Presence::Required => "req",
            Presence::RequiredNull => "req_null",
            Presence::Optional => "opt",
            Presence::OptionalNull => "opt_null",
        };
        let kind_ident = ident(kind);
        let wire = Literal::string(wire);
        let index = Literal::usize_unsuffixed(*index);
        entries.extend(quote!(#field: #wire #kind_ident #slot = #index,));
        laid.push(vec![
            Cell::Text(format!("{field}:")),
            Cell::Text(wire.to_string()),
            Cell::Text(kind.to_string()),
            Cell::Type(slot.clone()),
            Cell::Text("=".to_string()),
            Cell::Text(index.to_string()),
        ]);
    }
    let tail = match &extra {
        Some(extra) => format!("}} {extra});"),
        None => "});".to_string(),
    };
    Table {
        attrs: TokenStream::new(),
        head: format!("rt::serde_struct!({name} {{"),
        rows: laid,
        tail,
        tokens: quote!(rt::serde_struct!(#name { #entries } #extra);),
    }
}

fn emit_enum(def: &TypeDef, e: &Enum) -> TokenStream {
    let name = ident(&def.name.rust);
    let docs = docs(&def.docs, &["Values this client does not know are kept in `Unknown`.".to_string()]);
    let mut variants = TokenStream::new();
    let mut table = TokenStream::new();
    for v in &e.variants {
        let vname = ident(&v.name.rust);
        let doc = format!(" `{}`", super::inline_text(&v.name.wire));
        variants.extend(quote! {
            #[doc = #doc]
            #vname,
        });
        if let Some(n) = v.int {
            // `unsigned_abs`: `i64::MIN` has no positive `i64` counterpart.
            let lit = Literal::u64_unsuffixed(n.unsigned_abs());
            let n = if n < 0 { quote!(-#lit) } else { quote!(#lit) };
            table.extend(quote!((#n, Self::#vname),));
        } else {
            let w = &v.name.wire;
            table.extend(quote!((#w, Self::#vname),));
        }
    }
    let (derive_copy, unknown, wire_ty, mac) = if e.is_integer() {
        (quote!(Copy,), quote!(Unknown(i64)), quote!(i64), quote!(int_enum))
    } else {
        (quote!(), quote!(Unknown(String)), quote!(&'static str), quote!(string_enum))
    };
    quote! {
        #docs
        #[derive(Debug, Clone, #derive_copy PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #variants
            /// A value not listed in the spec, kept as sent.
            #unknown,
        }

        impl #name {
            /// The values the spec lists, as sent on the wire.
            pub const VARIANTS: &'static [(#wire_ty, Self)] = &[#table];
        }

        rt::#mac!(#name);
    }
}

fn emit_union(cx: &Cx<'_>, idx: usize, def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.name.rust);
    let mut variants = TokenStream::new();
    let mut checks = TokenStream::new();
    let mut ser = TokenStream::new();
    for v in &u.variants {
        let vname = ident(&v.rust);
        let mut ty = cx.ty(&v.ty);
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        variants.extend(quote!(#vname(#ty),));
        if cx.ty_validates(&v.ty) {
            checks.extend(quote!(Self::#vname(__x) => rt::Validate::validate(__x, v),));
        }
        ser.extend(match &u.tag {
            None => quote!(Self::#vname(__x) => serde::Serialize::serialize(__x, s),),
            Some(tag) => {
                let first = v.tags.first().cloned().unwrap_or_default();
                quote!(Self::#vname(__x) => rt::__private::serialize_tagged(s, #tag, #first, __x),)
            }
        });
    }
    let validate = if checks.is_empty() {
        quote!(impl rt::Validate for #name {})
    } else {
        quote! {
            impl rt::Validate for #name {
                #[inline]
                fn validate(&self, v: &mut rt::Validator) {
                    #[allow(unreachable_patterns)]
                    match self {
                        #checks
                        _ => {}
                    }
                }
            }
        }
    };
    let (docs, unknown_doc, deserialize) = match &u.tag {
        None => (
            docs(
                &def.docs,
                &["The variant that best fits the value is chosen; anything else is kept in `Unknown`.".to_string()],
            ),
            quote!(#[doc = " A value matching no variant, kept as sent."]),
            untagged_deserialize(cx, u),
        ),
        Some(tag) => (
            docs(
                &def.docs,
                &[format!("Chosen by the `{}` property; other values are kept in `Unknown`.", super::inline_text(tag))],
            ),
            quote!(#[doc = " A value with an unknown discriminator, kept as sent."]),
            tagged_deserialize(u, tag),
        ),
    };
    let (one_pass_read, one_pass_impl) = one_pass(cx, idx, &name, u).unzip();
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #variants
            #unknown_doc
            Unknown(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<__S: serde::Serializer>(&self, s: __S) -> Result<__S::Ok, __S::Error> {
                match self {
                    #ser
                    Self::Unknown(__x) => serde::Serialize::serialize(__x, s),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            #[allow(clippy::question_mark)]
            fn deserialize<__D: serde::Deserializer<'de>>(d: __D) -> Result<Self, __D::Error> {
                #one_pass_read
                let __v = match rt::__private::raw(d) {
                    Ok(__v) => __v,
                    Err(__e) => return Err(__e),
                };
                #deserialize
            }
        }

        #one_pass_impl
        #validate
    }
}

/// What JSON values a type may be read from (when unsure: any): which
/// variants the two-pass read tries on an object, and whether one pass can
/// read a union.
#[derive(Clone, Copy)]
struct Kinds {
    object: bool,
    list: bool,
    scalar: bool,
}

impl Kinds {
    const ANY: Kinds = Kinds { object: true, list: true, scalar: true };
    const SCALAR: Kinds = Kinds { object: false, list: false, scalar: true };
}

fn json_kinds(api: &crate::ir::Api, ty: &crate::ir::Ty, depth: usize) -> Kinds {
    use crate::ir::Ty;
    match ty {
        Ty::Named(id) if depth < 8 => match api.definition(*id) {
            TypeKind::Enum(_) => Kinds::SCALAR,
            TypeKind::Struct(_) => Kinds { object: true, list: false, scalar: false },
            TypeKind::Alias(t) => json_kinds(api, t, depth + 1),
            TypeKind::SameShape(id) => json_kinds(api, &Ty::Named(*id), depth + 1),
            TypeKind::Union(_) => Kinds::ANY,
        },
        Ty::Option(t) => Kinds { scalar: true, ..json_kinds(api, t, depth + 1) },
        // Bytes in JSON (`FilePart`) are read from a string.
        Ty::Bool | Ty::Int(_) | Ty::Float(_) | Ty::Str(_) | Ty::Format(_) | Ty::Base64 | Ty::Binary => Kinds::SCALAR,
        Ty::Array(_) => Kinds { object: false, list: true, scalar: false },
        Ty::Map(_) => Kinds { object: true, list: false, scalar: false },
        Ty::Named(_) | Ty::Json => Kinds::ANY,
    }
}

/// The one-pass read of an untagged union (the runtime's `one_pass`
/// module) when at most one variant can be an object and at most one a
/// list: the call at the top of `deserialize` and the `OnePass` impl, or
/// nothing. Scalars try every variant that may be one, in order, then
/// `Unknown`, as the two-pass read does.
fn one_pass(cx: &Cx<'_>, idx: usize, name: &proc_macro2::Ident, u: &Union) -> Option<(TokenStream, TokenStream)> {
    if u.tag.is_some() {
        return None;
    }
    let kinds: Vec<Kinds> = u.variants.iter().map(|v| json_kinds(cx.api, &v.ty, 0)).collect();
    let pick = |of: fn(&Kinds) -> bool| -> Option<(TokenStream, TokenStream)> {
        let mut found = u.variants.iter().zip(&kinds).filter(|(_, k)| of(k));
        let (ty, make) = match (found.next(), found.next()) {
            (Some(_), Some(_)) => return None,
            (Some((v, _)), None) => {
                let vname = ident(&v.rust);
                let ty = cx.ty(&v.ty);
                if v.boxed {
                    (ty, quote!(Self::#vname(Box::new(v))))
                } else {
                    (ty, quote!(Self::#vname(v)))
                }
            }
            (None, _) => (quote!(serde_json::Value), quote!(Self::Unknown(v))),
        };
        Some((ty, make))
    };
    let (list_ty, list) = pick(|k| k.list)?;
    let (object_ty, object, guessed) = match pick(|k| k.object) {
        Some((ty, make)) => (ty, make, quote!()),
        None => guessed_objects(cx, idx, name, u)?,
    };
    let mut scalars = TokenStream::new();
    for (v, _) in u.variants.iter().zip(&kinds).filter(|(_, k)| k.scalar) {
        let vname = ident(&v.rust);
        let make = if v.boxed { quote!(Self::#vname(Box::new(__x))) } else { quote!(Self::#vname(__x)) };
        scalars.extend(quote! {
            if let Some(__x) = rt::__private::try_scalar(&v) {
                return #make;
            }
        });
    }
    let wire = name.to_string();
    let read = quote! {
        if rt::__private::one_pass_enabled() {
            return rt::__private::one_pass(d);
        }
    };
    let imp = quote! {
        impl rt::__private::OnePass for #name {
            const NAME: &'static str = #wire;
            type Object = #object_ty;
            type List = #list_ty;
            #[inline]
            fn object(v: #object_ty) -> Self {
                #object
            }
            #[inline]
            fn list(v: #list_ty) -> Self {
                #list
            }
            #[inline]
            fn scalar(v: serde_json::Value) -> Self {
                #scalars
                Self::Unknown(v)
            }
        }
        #guessed
    };
    Some((read, imp))
}

/// How a variant of an untagged union may fit an object (the runtime's
/// `Fit`, which orders the variants tried on one).
enum ObjectFit<'a> {
    /// A struct that knows these properties and keeps no others.
    Fields(Vec<&'a str>),
    /// It is never an object.
    NotObject,
    /// It may be any object.
    Any,
}

impl<'a> ObjectFit<'a> {
    fn of(cx: &Cx<'a>, v: &UnionVariant) -> Self {
        if let crate::ir::Ty::Named(id) = &v.ty {
            if let TypeKind::Struct(st) = cx.api.definition(*id) {
                if st.additional.is_none() {
                    return ObjectFit::Fields(st.fields.iter().map(|f| f.name.wire.as_str()).collect());
                }
            }
        }
        match json_kinds(cx.api, &v.ty, 0).object {
            false => ObjectFit::NotObject,
            true => ObjectFit::Any,
        }
    }

    fn tokens(&self) -> TokenStream {
        match self {
            ObjectFit::Fields(names) => quote!(rt::__private::Fit::Fields(&[#(#names),*])),
            ObjectFit::NotObject => quote!(rt::__private::Fit::NotObject),
            ObjectFit::Any => quote!(rt::__private::Fit::Any),
        }
    }
}

/// The one-pass read of an object for a union of several struct variants
/// that know only their fields, read only as a whole response (a list's
/// page, Auth0's offset or checkpoint page): the object is read as the
/// variant the last one was, and kept only if the two-pass read would have
/// tried that one first (the runtime's `ObjectVariants`). The `Object`
/// type, its conversion into the union, and the `ObjectVariants` impl; or
/// `None` for a union read inside other values, where the guess could be
/// wrong for every other item and each miss costs a second decode.
fn guessed_objects(
    cx: &Cx<'_>,
    idx: usize,
    name: &proc_macro2::Ident,
    u: &Union,
) -> Option<(TokenStream, TokenStream, TokenStream)> {
    // The guess keeps the order of the fields; a value naming the variant
    // ([`super::union_peek`]) would reorder the two-pass read.
    if cx.read_inside[idx] || super::union_peek::one_value_key(cx.api, u).is_some() {
        return None;
    }
    let fits: Vec<ObjectFit<'_>> = u.variants.iter().map(|v| ObjectFit::of(cx, v)).collect();
    if fits.iter().any(|f| matches!(f, ObjectFit::Any)) {
        return None;
    }
    let objects: Vec<usize> = (0..fits.len()).filter(|i| matches!(fits[*i], ObjectFit::Fields(_))).collect();
    let (&last, rest) = objects.split_last()?;
    let first = Literal::usize_unsuffixed(*objects.first()?);
    let read = |i: usize| {
        let v = &u.variants[i];
        let vname = ident(&v.rust);
        match v.boxed {
            true => quote!(rt::__private::object_as(__m).map(|__x| Self::#vname(Box::new(__x)))),
            false => quote!(rt::__private::object_as(__m).map(Self::#vname)),
        }
    };
    let arms = rest.iter().map(|&i| {
        let (at, read) = (Literal::usize_unsuffixed(i), read(i));
        quote!(#at => #read,)
    });
    let last = read(last);
    let fits = fits.iter().map(ObjectFit::tokens);
    let imp = quote! {
        impl rt::__private::ObjectVariants for #name {
            const FITS: &'static [rt::__private::Fit] = &[#(#fits),*];
            #[inline]
            fn last() -> &'static ::std::sync::atomic::AtomicUsize {
                static LAST: ::std::sync::atomic::AtomicUsize = ::std::sync::atomic::AtomicUsize::new(#first);
                &LAST
            }
            fn object_as<'de, __A: serde::de::MapAccess<'de>>(__i: usize, __m: __A) -> Result<Self, __A::Error> {
                match __i {
                    #(#arms)*
                    _ => #last,
                }
            }
        }
    };
    Some((quote!(rt::__private::Guessed<Self>), quote!(v.0), imp))
}

/// Without a discriminator: the variants are tried in the order that fits
/// the value's fields best, then `Unknown`.
fn untagged_deserialize(cx: &Cx<'_>, u: &Union) -> TokenStream {
    let mut known = TokenStream::new();
    let mut tries = TokenStream::new();
    for (idx, v) in u.variants.iter().enumerate() {
        let vname = ident(&v.rust);
        let fields = ObjectFit::of(cx, v).tokens();
        known.extend(quote!(#fields,));
        let idx = Literal::usize_unsuffixed(idx);
        if v.boxed {
            tries.extend(quote!(#idx => rt::__private::try_raw(&__v).map(|__x| Self::#vname(Box::new(__x))),));
        } else {
            tries.extend(quote!(#idx => rt::__private::try_raw(&__v).map(Self::#vname),));
        }
    }
    let order = match super::union_peek::one_value_key(cx.api, u) {
        Some((key, values)) => {
            let values = values.iter().map(|v| match v {
                Some(v) => quote!(Some(#v)),
                None => quote!(None),
            });
            quote!(rt::__private::raw_variant_order_by(&__v, &[#known], #key, &[#(#values),*]))
        }
        None => quote!(rt::__private::raw_variant_order(&__v, &[#known])),
    };
    quote! {
        for __idx in #order {
            let __found = match __idx {
                #tries
                _ => None,
            };
            if let Some(__x) = __found {
                return Ok(__x);
            }
        }
        rt::__private::unknown(&__v).map(Self::Unknown)
    }
}

/// With a discriminator: the variant its value names, else `Unknown`.
fn tagged_deserialize(u: &Union, tag: &str) -> TokenStream {
    let mut de = TokenStream::new();
    for v in &u.variants {
        let vname = ident(&v.rust);
        let tags = &v.tags;
        if v.boxed {
            de.extend(
                quote!(#(Some(#tags))|* => rt::__private::from_raw(&__v).map(|__x| Self::#vname(Box::new(__x))),),
            );
        } else {
            de.extend(quote!(#(Some(#tags))|* => rt::__private::from_raw(&__v).map(Self::#vname),));
        }
    }
    quote! {
        #[allow(unreachable_patterns)]
        match rt::__private::raw_tag(&__v, #tag).as_deref() {
            #de
            _ => rt::__private::unknown(&__v).map(Self::Unknown),
        }
    }
}

/// Bench only (`cargo xtask bench --decode`), never in a generated crate:
/// the named types `roots` reach and every pattern marker, with structs
/// and unions written the way other generators write them, by serde's
/// `#[derive(Deserialize)]` (fields renamed, optional ones `default`, the
/// unknown properties a struct keeps in a `#[serde(flatten)]` map, unions
/// `#[serde(untagged)]` with `Unknown` last, a discriminated one too).
/// Enums, aliases, formats and constrained scalars are the shipped ones,
/// so the bench compares the struct and union code alone. The items go in
/// a module `crate::types` of a crate that has `crate::runtime` and a
/// `crate::__double_option` (`Option<Option<T>>` reader for optional
/// fields that may be `null`).
pub(crate) fn derive_types(cx: &Cx<'_>, roots: &[&crate::ir::Ty]) -> TokenStream {
    let reached = crate::ir_visit::reachable(cx.api, roots.iter().copied());
    let mut body = TokenStream::new();
    for (idx, def) in cx.api.types.iter().enumerate().filter(|(i, _)| reached[*i]) {
        let name = ident(&def.name.rust);
        body.extend(match &def.kind {
            TypeKind::Struct(s) => {
                let mut fields = TokenStream::new();
                for f in &s.fields {
                    let ty = field_decl(cx, f);
                    let fname = ident(&f.name.rust);
                    let wire = &f.name.wire;
                    fields.extend(match f.presence {
                        Presence::Required => quote!(#[serde(rename = #wire)] pub #fname: #ty,),
                        Presence::RequiredNull | Presence::Optional => {
                            quote!(#[serde(rename = #wire, default)] pub #fname: #ty,)
                        }
                        Presence::OptionalNull => quote! {
                            #[serde(rename = #wire, default, deserialize_with = "crate::__double_option")]
                            pub #fname: #ty,
                        },
                    });
                }
                if let Some(extra) = &s.additional {
                    let ty = cx.ty(extra);
                    fields.extend(quote! {
                        #[serde(flatten)]
                        pub additional_properties: std::collections::BTreeMap<String, #ty>,
                    });
                }
                quote! {
                    #[derive(serde::Deserialize)]
                    pub struct #name { #fields }
                }
            }
            TypeKind::Union(u) => {
                let mut variants = TokenStream::new();
                for v in &u.variants {
                    let vname = ident(&v.rust);
                    let mut ty = cx.ty(&v.ty);
                    if v.boxed {
                        ty = quote!(Box<#ty>);
                    }
                    variants.extend(quote!(#vname(#ty),));
                }
                quote! {
                    #[derive(serde::Deserialize)]
                    #[serde(untagged)]
                    pub enum #name { #variants Unknown(serde_json::Value), }
                }
            }
            _ => emit_type(cx, idx)
                .into_iter()
                .map(|piece| match piece {
                    Piece::Items(items) => items,
                    Piece::Table(table) => table.tokens,
                    Piece::Module(Module { head, .. }) => quote!(#head;),
                })
                .collect(),
        });
    }
    for p in &cx.api.patterns {
        body.extend(pattern_marker(p));
    }
    quote! {
        #[allow(unused_imports)]
        use crate::runtime as rt;
        #body
    }
}
