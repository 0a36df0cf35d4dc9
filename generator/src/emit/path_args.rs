//! How an operation method takes a path parameter and sends it: `&str`
//! for strings (constrained or not, so a value read from one response
//! passes straight into the next call), by value for plain numbers and
//! booleans, by reference otherwise. Used by operation methods and by the
//! streams that call them page after page.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Cx};
use crate::ir::{Param, Ty};
use crate::rust_ty::{Convert, Input};

/// How a path parameter is taken and sent.
pub(super) struct PathArg {
    /// The argument's type: `&str` for strings, constrained or not (a
    /// value read from one response passes straight into the next call,
    /// and the method stays non-generic), the number for numbers, `&T` for
    /// the rest.
    pub(super) ty: TokenStream,
    /// What the method's body does with the argument named `name`.
    pub(super) send: TokenStream,
    /// How a stream keeps it across pages: a copy, or an owned clone.
    pub(super) keep: Keep,
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Keep {
    Copy,
    Ref,
}

pub(super) fn path_arg(cx: &Cx<'_>, p: &Param) -> PathArg {
    let name = ident(&p.name.rust);
    let wire = &p.name.wire;
    let checked = |ty: crate::rust_ty::RustTy, value: TokenStream| {
        let ty = ty.tokens();
        quote!(__req.checked_path_param(#wire, <#ty>::new(#value));)
    };
    match crate::rust_ty::input(cx.api, &p.ty) {
        Input::Plain(ty) => {
            PathArg { ty: ty.tokens(), send: quote!(__req.path_param(#wire, &#name);), keep: Keep::Copy }
        }
        Input::Into(_) if matches!(p.ty, Ty::Str(_)) => {
            PathArg { ty: quote!(&str), send: quote!(__req.path_param(#wire, #name);), keep: Keep::Ref }
        }
        // A string, or an alias of one (an id type the spec names).
        Input::Checked { ty, convert: Convert::Str, .. } => {
            PathArg { ty: quote!(&str), send: checked(ty, quote!(#name)), keep: Keep::Ref }
        }
        Input::Checked { ty, input, convert: Convert::None } => {
            PathArg { ty: input, send: checked(ty, quote!(#name)), keep: Keep::Copy }
        }
        _ => {
            let t = cx.ty(&p.ty);
            PathArg { ty: quote!(&#t), send: quote!(__req.path_param(#wire, #name);), keep: Keep::Ref }
        }
    }
}
