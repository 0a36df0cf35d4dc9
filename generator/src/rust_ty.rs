//! The Rust type of an IR type expression, printed once for everyone.
//!
//! [`of`] maps a [`Ty`] to a [`RustTy`], a small tree of paths and const
//! generic arguments. Emit turns it into tokens ([`RustTy::tokens`]) and
//! spec-diff and docs print it for readers (`Display`, which names generated
//! types `types::Name` as a user of the crate writes them). A new kind of
//! type expression, or a change in how one is written in Rust, is made here.

use std::fmt;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Field, FloatKind, Format, IntKind, Presence, Ty};

/// A Rust type as generated code writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustTy {
    /// A path with generic arguments: `Vec<T>`, `rt::BoundedInt<i32, 0, 9>`.
    Path(&'static str, Vec<RustTy>),
    /// A type or pattern marker the crate generates: `crate::types::Name`.
    Generated(String),
    /// A const generic integer argument.
    Int(i128),
    /// A const generic boolean argument.
    Bool(bool),
    /// A const generic argument that is a constant's path (`usize::MAX`).
    Const(&'static str),
    /// A const generic float bound, kept as its bits (for `Eq`): written
    /// `{ rt::bits(0.25) }`, since stable Rust has no `f64` const generics.
    Float(u64),
}

/// The Rust type of `ty`.
pub fn of(api: &Api, ty: &Ty) -> RustTy {
    use RustTy::{Generated, Path};
    let upper = |max: Option<u64>| match max {
        Some(m) if m <= u32::MAX.into() => RustTy::Int(m.into()),
        _ => RustTy::Const("usize::MAX"),
    };
    match ty {
        Ty::Named(id) => Generated(api.types[id.0].name.rust.clone()),
        Ty::Bool => Path("bool", vec![]),
        Ty::Int(i) => {
            let (base, lo, hi): (_, i128, i128) = match i.kind {
                IntKind::I32 => ("i32", i32::MIN.into(), i32::MAX.into()),
                IntKind::I64 => ("i64", i64::MIN.into(), i64::MAX.into()),
                IntKind::U32 => ("u32", 0, u32::MAX.into()),
                IntKind::U64 => ("u64", 0, u64::MAX.into()),
            };
            if i.min.is_none() && i.max.is_none() && i.multiple_of.is_none() {
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
            if f.min.is_none() && f.max.is_none() && f.multiple_of.is_none() {
                return Path(base, vec![]);
            }
            let min = f.min.map_or(RustTy::Const("rt::NO_MIN"), |m| RustTy::Float(m.to_bits()));
            let max = f.max.map_or(RustTy::Const("rt::NO_MAX"), |m| RustTy::Float(m.to_bits()));
            let (emin, emax) = (RustTy::Bool(f.exclusive_min), RustTy::Bool(f.exclusive_max));
            let mut args = vec![Path(base, vec![]), min, max, emin, emax];
            args.extend(f.multiple_of.map(|m| RustTy::Float(m.to_bits())));
            Path("rt::BoundedFloat", args)
        }
        Ty::Str(s) => {
            if s.min_len.is_none() && s.max_len.is_none() && s.pattern.is_none() {
                return Path("String", vec![]);
            }
            let mut args = vec![RustTy::Int(s.min_len.unwrap_or(0).into()), upper(s.max_len)];
            if let Some(p) = s.pattern {
                args.push(Generated(api.patterns[p.0].rust.clone()));
            }
            Path("rt::BoundedString", args)
        }
        Ty::Format(f) => Path(
            match f {
                Format::DateTime => "rt::DateTime",
                Format::Date => "rt::Date",
                Format::Uuid => "uuid::Uuid",
                Format::Email => "rt::Email",
                Format::Uri => "rt::Uri",
                Format::Hostname => "rt::Hostname",
                Format::Ipv4 => "std::net::Ipv4Addr",
                Format::Ipv6 => "std::net::Ipv6Addr",
            },
            vec![],
        ),
        Ty::Base64 => Path("rt::Base64", vec![]),
        Ty::Binary => Path("rt::FilePart", vec![]),
        Ty::Json => Path("serde_json::Value", vec![]),
        Ty::Array(a) => {
            let item = of(api, &a.item);
            if a.min_items.is_none() && a.max_items.is_none() {
                return Path("Vec", vec![item]);
            }
            Path("rt::BoundedVec", vec![item, RustTy::Int(a.min_items.unwrap_or(0).into()), upper(a.max_items)])
        }
        Ty::Map(v) => Path("std::collections::BTreeMap", vec![Path("String", vec![]), of(api, v)]),
        Ty::Option(t) => Path("Option", vec![of(api, t)]),
    }
}

/// The type of a struct field: its type boxed when it breaks a cycle, in as
/// many `Option`s as its [`Presence`] needs.
pub fn field(api: &Api, f: &Field) -> RustTy {
    let mut ty = of(api, &f.ty);
    if f.boxed {
        ty = RustTy::Path("Box", vec![ty]);
    }
    match f.presence {
        Presence::Required => ty,
        Presence::RequiredNull | Presence::Optional => RustTy::Path("Option", vec![ty]),
        Presence::OptionalNull => RustTy::Path("Option", vec![RustTy::Path("Option", vec![ty])]),
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
}

/// How a setter takes a value of `ty`. A named alias (`pub type`) is taken
/// as the type it names.
pub fn input(api: &Api, ty: &Ty) -> Input {
    let mut seen = 0;
    let mut ty = ty;
    while let Ty::Named(id) = ty {
        match &api.types[id.0].kind {
            crate::ir::TypeKind::Alias(t) if seen < 32 => ty = t,
            crate::ir::TypeKind::SameShape(rep) if seen < 32 => {
                if let crate::ir::TypeKind::Alias(t) = &api.types[rep.0].kind {
                    ty = t;
                } else {
                    break;
                }
            }
            _ => break,
        }
        seen += 1;
    }
    let rust = of(api, ty);
    let checked = |input: TokenStream, convert: Convert| Input::Checked { ty: rust.clone(), input, convert };
    match (ty, &rust) {
        (Ty::Bool | Ty::Int(_) | Ty::Float(_), RustTy::Path(_, args)) if args.is_empty() => Input::Plain(rust),
        (Ty::Int(_) | Ty::Float(_), RustTy::Path(_, args)) => {
            let base = args.first().map(RustTy::tokens).unwrap_or_default();
            checked(base, Convert::None)
        }
        (Ty::Str(_) | Ty::Format(Format::Email | Format::Uri | Format::Hostname), RustTy::Path(p, _))
            if *p != "String" =>
        {
            checked(quote!(impl Into<String>), Convert::Str)
        }
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
                let lit = Literal::i128_unsuffixed(n.abs());
                if *n < 0 {
                    quote!({ -#lit })
                } else {
                    quote!(#lit)
                }
            }
            RustTy::Bool(b) => quote!(#b),
            RustTy::Const(path) => {
                let path = path_tokens(path);
                quote!({ #path })
            }
            RustTy::Float(bits) => {
                // Lowering keeps only finite bounds, which are literals.
                let x = f64::from_bits(*bits);
                let lit = Literal::f64_unsuffixed(x.abs());
                if x.is_sign_negative() {
                    quote!({ rt::bits(-#lit) })
                } else {
                    quote!({ rt::bits(#lit) })
                }
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
            RustTy::Int(n) => write!(f, "{n}"),
            RustTy::Bool(b) => write!(f, "{b}"),
            RustTy::Const(path) => write!(f, "{{ {path} }}"),
            RustTy::Float(bits) => write!(f, "{{ rt::bits({:?}) }}", f64::from_bits(*bits)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ArrayTy, FloatTy, IntTy, StrTy};

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
        assert_eq!(t.to_string(), "rt::BoundedVec<rt::BoundedInt<i32, -1, 2147483647>, 0, { usize::MAX }>");
        assert_eq!(
            t.tokens().to_string(),
            "rt :: BoundedVec < rt :: BoundedInt < i32 , { - 1 } , 2147483647 > , 0 , { usize :: MAX } >"
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
            "rt :: BoundedFloat < f64 , { rt :: bits (- 0.5) } , { rt :: NO_MAX } , true , false , { rt :: bits (0.25) } >"
        );
    }
}
