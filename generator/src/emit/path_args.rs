//! How an operation method takes a path parameter and sends it: `&str`
//! for strings (constrained or not, so a value read from one response
//! passes straight into the next call), by value for plain numbers and
//! booleans, by reference otherwise. Used by operation methods and by the
//! streams that call them page after page ([`stream_args`]: what a stream
//! copies to own them).

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Cx};
use crate::ir::{Operation, Param, PathPart, Ty};
use crate::rust_ty::{entry, Convert, Input};

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

impl PathArg {
    /// The argument's type with its borrow's lifetime named `'a`, as a call
    /// holding it declares it (`emit/fluent.rs`).
    pub(super) fn held(&self) -> TokenStream {
        match self.keep {
            Keep::Copy => self.ty.clone(),
            Keep::Ref => {
                let mut tokens = self.ty.clone().into_iter();
                let amp = tokens.next();
                let rest: TokenStream = tokens.collect();
                quote!(#amp 'a #rest)
            }
        }
    }
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

/// A stream's path arguments: copied so the stream owns everything it
/// needs, and lent to each page's call.
pub(super) struct StreamArgs {
    pub args: TokenStream,
    /// The argument names, as the blocking iterator passes them on.
    pub forward: TokenStream,
    pub owned: TokenStream,
    pub reborrow: TokenStream,
    pub call_args: TokenStream,
}

pub(super) fn stream_args(cx: &Cx<'_>, op: &Operation) -> StreamArgs {
    let mut res =
        StreamArgs { args: quote!(), forward: quote!(), owned: quote!(), reborrow: quote!(), call_args: quote!() };
    for part in &op.path {
        if let PathPart::Param(idx) = part {
            let p = &op.params[*idx];
            let name = ident(&p.name.rust);
            let PathArg { ty, keep, .. } = path_arg(cx, p);
            res.args.extend(quote!(#name: #ty,));
            res.forward.extend(quote!(#name,));
            match keep {
                Keep::Ref => {
                    // `Copy` formats are copied once, not cloned per page.
                    if matches!(p.ty, Ty::Format(f) if crate::rust_ty::format(f).is_copy) {
                        res.owned.extend(quote!(let #name = *#name;));
                    } else {
                        res.owned.extend(quote!(let #name = #name.to_owned();));
                        // A named type may be an alias of a `Copy` one (GitHub's
                        // `AlertNumber` is an `i64`).
                        let allow = if entry(cx.api, &p.ty).is_copy() {
                            quote!(#[allow(clippy::clone_on_copy)])
                        } else {
                            quote!()
                        };
                        res.reborrow.extend(quote!(#allow let #name = #name.clone();));
                    }
                    res.call_args.extend(quote!(&#name,));
                }
                Keep::Copy => res.call_args.extend(quote!(#name,)),
            }
        }
    }
    res
}
