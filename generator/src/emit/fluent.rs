//! The call built in place ([`crate::ir::Fluent`]): for an operation whose
//! JSON body has only optional fields, `update_with(id)` starts the call
//! with an empty body, takes the body's setters, and sends the request when
//! awaited (`IntoFuture`), or on `send()` from the blocking client:
//! `client.users().update_with(id).blocked(true).await?`.
//!
//! The call holds the path arguments, the params struct and the body as a
//! `Result`: a setter breaking a constraint keeps its error, and the request
//! reports it unsent, as the operation method does for a body conversion.
//! Both forms await the operation's private non-generic `__<name>` method,
//! so the sending code is compiled once (issue 15).

use proc_macro2::TokenStream;
use quote::quote;

use super::path_args::path_arg;
use super::{ident, setters, Cx};
use crate::ir::{Fluent, Operation, PathPart, Ty, TypeKind};

/// What the operation gains: the method on the async handle, the one on the
/// blocking handle, and the call's type with its setters (module items).
struct Emitted {
    method: TokenStream,
    blocking: TokenStream,
    items: TokenStream,
}

/// The lines the operation method's docs gain: where its call built in
/// place is.
pub(super) fn doc(op: &Operation) -> Vec<String> {
    match &op.fluent {
        Some(f) => vec![
            String::new(),
            format!(
                "The body's fields can also be set on the call: [`{0}`](Self::{0}) (`.{0}(..).field(value).await`).",
                f.method
            ),
        ],
        None => Vec::new(),
    }
}

/// The methods of `op`'s call built in place on the async and the blocking
/// handle `handle` (empty when it has none); its type goes to `items`.
pub(super) fn parts(
    cx: &Cx<'_>,
    handle: &str,
    op: &Operation,
    answer: (&TokenStream, &proc_macro2::Ident),
    items: &mut TokenStream,
) -> (TokenStream, TokenStream) {
    match op.fluent.as_ref().and_then(|f| emit(cx, handle, op, f, answer)) {
        Some(Emitted { method, blocking, items: call }) => {
            items.extend(call);
            (method, blocking)
        }
        None => (quote!(), quote!()),
    }
}

/// The call of `op` on the group handle `handle`, whose answer is
/// `rt::Result<success, error>`.
fn emit(
    cx: &Cx<'_>,
    handle: &str,
    op: &Operation,
    fluent: &Fluent,
    (success, error): (&TokenStream, &proc_macro2::Ident),
) -> Option<Emitted> {
    let content = op.body.as_ref()?.contents.first()?;
    let body_ty = cx.ty(&content.ty);
    let (body_name, fields) = body_struct(cx, &content.ty)?;
    let members: Vec<setters::Member<'_>> = fields
        .iter()
        .map(|f| setters::Member {
            rust: &f.name.rust,
            wire: &f.name.wire,
            ty: &f.ty,
            boxed: f.boxed,
            presence: f.presence,
            setter: &f.setter,
            read_only: f.read_only,
        })
        .collect();
    let forwarders = setters::forwarders(cx, &members);

    // The held arguments: path parameters in path order, then the params struct.
    let Held { args, names, sent } = held(cx, op);

    let handle_id = ident(handle);
    let call = ident(&fluent.call);
    let method = ident(&fluent.method);
    let name = &op.name.rust;
    let inner = ident(&format!("{}{name}", crate::naming::LOCAL_PREFIX));
    let mdoc = format!(
        " [`{name}`](Self::{name}) with its body built in place: the call takes the setters of [`{body}`](crate::types::{body}), \
         starting from an empty body, and sends the request when awaited (`client.…().{}(..).field(value).await`).",
        fluent.method,
        body = body_name
    );
    let bdoc = format!(
        " [`{0}`](super::{handle}::{0}) without `async`: the call's `send()` sends the request and waits for the answer.",
        fluent.method
    );
    let cdoc = format!(
        " A call of [`{handle}::{name}`] built in place ([`{handle}::{0}`]): set the body's fields, then `.await` it \
         (or `send()` it, from the blocking client). A value breaking a field's constraints is reported by the \
         request as `Error::Validation`, unsent.",
        fluent.method
    );
    let deprecated = if op.docs.deprecated { quote!(#[deprecated]) } else { quote!() };
    let method_tokens = quote! {
        #[doc = #mdoc]
        #deprecated
        #[inline]
        pub fn #method(&self, #args) -> #call<'a> {
            #call { __handle: *self, #names __body: Ok(Default::default()), __life: ::std::marker::PhantomData }
        }
    };
    let blocking = quote! {
        #[doc = #bdoc]
        #deprecated
        #[inline]
        pub fn #method(&self, #args) -> super::#call<'a, #handle_id<'a>> {
            super::#call { __handle: *self, #names __body: Ok(Default::default()), __life: ::std::marker::PhantomData }
        }
    };
    let items = quote! {
        #[doc = #cdoc]
        #[must_use = "the request is sent when the call is awaited"]
        #[derive(Debug)]
        pub struct #call<'a, __H = #handle_id<'a>> {
            __handle: __H,
            #args
            __body: Result<#body_ty, rt::ValidationError>,
            /// The lifetime of the client, held by the handle, when no argument is borrowed.
            __life: ::std::marker::PhantomData<&'a ()>,
        }

        impl<__H> #call<'_, __H> {
            #forwarders
        }

        impl<'a> ::std::future::IntoFuture for #call<'a> {
            type Output = rt::Result<#success, #error>;
            type IntoFuture = ::std::pin::Pin<Box<dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a>>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                Box::pin(async move { self.__handle.#inner(#sent self.__body.map(rt::BodyArg::Owned)).await })
            }
        }

        #[cfg(feature = "blocking")]
        impl<'a> #call<'a, blocking::#handle_id<'a>> {
            /// Sends the request and waits for the answer.
            #deprecated
            #[inline]
            pub fn send(self) -> rt::Result<#success, #error> {
                let __async = #handle_id { client: self.__handle.client.client() };
                self.__handle.client.wait(__async.#inner(#sent self.__body.map(rt::BodyArg::Owned)))
            }
        }
    };
    Some(Emitted { method: method_tokens, blocking, items })
}

/// The arguments a call holds: path parameters in path order, then the
/// params struct.
struct Held {
    /// `name: type,` with borrows of lifetime `'a`: the method's arguments
    /// and the call's fields.
    args: TokenStream,
    /// `name,`: the fields set from the arguments of the same name.
    names: TokenStream,
    /// `self.name,`: what the call passes to the operation's `__<name>`.
    sent: TokenStream,
}

fn held(cx: &Cx<'_>, op: &Operation) -> Held {
    let (mut args, mut names, mut sent) = (quote!(), quote!(), quote!());
    for part in &op.path {
        if let PathPart::Param(idx) = part {
            let p = &op.params[*idx];
            let name = ident(&p.name.rust);
            let held = path_arg(cx, p).held();
            args.extend(quote!(#name: #held,));
            names.extend(quote!(#name,));
            sent.extend(quote!(self.#name,));
        }
    }
    if let Some(ps) = &op.params_struct {
        let ps = ident(ps);
        args.extend(quote!(params: &'a #ps,));
        names.extend(quote!(params,));
        sent.extend(quote!(self.params,));
    }

    Held { args, names, sent }
}

/// The struct a body of type `ty` is, through aliases and same-shape
/// names: the name it goes by in `crate::types`, and its fields.
fn body_struct<'c>(cx: &'c Cx<'_>, ty: &'c Ty) -> Option<(&'c str, &'c [crate::ir::Field])> {
    let Ty::Named(id) = crate::rust_ty::resolve(cx.api, ty) else { return None };
    let def = &cx.api.types[id.0];
    let def = match def.kind {
        TypeKind::SameShape(rep) => &cx.api.types[rep.0],
        _ => def,
    };
    match &def.kind {
        TypeKind::Struct(s) => Some((&def.name.rust, &s.fields)),
        _ => None,
    }
}
