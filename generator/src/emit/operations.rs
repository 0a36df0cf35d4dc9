//! Emitting operations: group handles, methods, parameter structs, error
//! enums and multi-status response enums, one file per top-level group.
//! A list's `*_stream` method is made by `emit/streams.rs`.
//!
//! Each group file ends with a `blocking` module behind the cargo feature
//! `blocking`: a handle per group whose methods take the same arguments
//! (the same tokens the async method's [`Call`] built) and block on the
//! async method; streams become iterators.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::path_args::{path_arg, PathArg};
use super::{docs, ident, Cx, FileBody, Job};
use crate::file_model::Piece;
use crate::ir::{
    BodyKind, Method, Operation, ParamLocation, ParamStyle, PathPart, Presence, ResponseBody, StatusMatch, Ty,
};
use crate::naming::Namespace;

/// A node of the group tree.
#[derive(Default)]
struct Group<'a> {
    /// Wire names of the group path, for docs.
    wire: Vec<String>,
    children: BTreeMap<String, Group<'a>>,
    ops: Vec<&'a Operation>,
}

pub(crate) fn emit_operations<'a>(cx: &'a Cx<'a>) -> Vec<Job<'a>> {
    emit_operations_of(cx, None, String::new())
}

/// The operations of one crate of a split client (the groups of part
/// `part`; `None`: every group, the client being one crate), under `prefix`.
pub(crate) fn emit_operations_of<'a>(cx: &'a Cx<'a>, part: Option<usize>, prefix: String) -> Vec<Job<'a>> {
    let mut root: Group<'a> = Group::default();
    for op in &cx.api.operations {
        let top = op.group.first().map_or("", |g| g.rust.as_str());
        if part.is_some_and(|k| cx.features.group_home(top) != super::features::Home::Part(k)) {
            continue;
        }
        let mut node = &mut root;
        for (depth, g) in op.group.iter().enumerate() {
            node = node.children.entry(g.rust.clone()).or_default();
            if node.wire.is_empty() {
                node.wire = op.group[..=depth].iter().map(|n| n.wire.clone()).collect();
            }
        }
        node.ops.push(op);
    }
    let mut res: Vec<Job<'a>> = Vec::new();
    // Token streams are not `Send`: the job gets the names and makes them.
    let names: Vec<String> = root.children.keys().cloned().collect();
    let dir = format!("{prefix}src/operations");
    res.push((
        format!("{dir}/mod.rs"),
        Box::new(move || {
            let doc = quote!(#![doc = " Operations, grouped as `client.<group>().<sub_group>().<operation>(..)`."]);
            let mut pieces = vec![Piece::Items(doc)];
            for n in &names {
                let cfg = cx.features.group_cfg(n);
                let m = ident(n);
                pieces.push(super::module(cx, quote!(#cfg pub mod #m), format!("{dir}/{n}.rs")));
            }
            FileBody::Pieces(pieces)
        }),
    ));
    for (name, group) in root.children {
        let path = format!("{prefix}src/operations/{name}.rs");
        res.push((
            path,
            Box::new(move || {
                let mut names = Namespace::new();
                let mut out = GroupOut::default();
                emit_group(cx, std::slice::from_ref(&name), &group, &mut names, &mut out);
                let wire = super::inline_text(&group.wire.first().cloned().unwrap_or_default());
                let doc = format!(" Operations of the `{wire}` group.");
                let blocking_doc = format!(
                    " The operations of the `{wire}` group without `async` (cargo feature `blocking`): see `BlockingClient`."
                );
                let GroupOut { body, blocking } = out;
                FileBody::Rust(quote! {
                    #![doc = #doc]
                    #[allow(unused_imports)]
                    use crate::runtime as rt;
                    #body

                    #[cfg(feature = "blocking")]
                    pub mod blocking {
                        #![doc = #blocking_doc]
                        #[allow(unused_imports)]
                        use super::*;
                        #[allow(unused_imports)]
                        use crate::runtime as rt;
                        #blocking
                    }
                })
            }),
        ));
    }
    res
}

/// The handle struct name of a group path.
pub(crate) fn handle_name(path: &[String]) -> String {
    // Through `naming`, so that a group `_1` or `self_` gives a valid,
    // non-keyword type name (`_1`, `Self_`), not `1` or `Self`.
    crate::naming::type_name(&path.join(" "))
}

/// What a group file holds: the async handles, methods and types, and the
/// blocking handles.
#[derive(Default)]
struct GroupOut {
    body: TokenStream,
    blocking: TokenStream,
}

/// Emits a group handle and everything under it; returns the handle's name.
fn emit_group(cx: &Cx<'_>, path: &[String], group: &Group<'_>, names: &mut Namespace, out: &mut GroupOut) -> String {
    let handle_str = names.unique(&handle_name(path));
    let handle = ident(&handle_str);
    let wire = group.wire.join(".");
    let doc = format!(" The `{}` operations.", super::inline_text(&wire));
    let mut methods = TokenStream::new();
    let mut blocking_methods = TokenStream::new();
    let mut children = Vec::new();
    for (child_name, child) in &group.children {
        let mut child_path = path.to_vec();
        child_path.push(child_name.clone());
        let mut child_out = GroupOut::default();
        let child_handle = emit_group(cx, &child_path, child, names, &mut child_out);
        let m = ident(child_name);
        let h = ident(&child_handle);
        let cdoc = format!(" The `{}` operations.", super::inline_text(&child.wire.join(".")));
        let accessor = quote! {
            #[doc = #cdoc]
            #[inline]
            pub fn #m(&self) -> #h<'a> {
                #h { client: self.client }
            }
        };
        methods.extend(accessor.clone());
        blocking_methods.extend(accessor);
        children.push(child_out);
    }
    let mut extra = TokenStream::new();
    for op in &group.ops {
        let emitted = emit_operation(cx, &handle_str, op);
        methods.extend(emitted.method);
        blocking_methods.extend(emitted.blocking);
        extra.extend(emitted.items);
    }
    out.blocking.extend(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            #[doc(hidden)]
            pub client: &'a rt::BlockingClient,
        }

        impl<'a> #handle<'a> {
            #blocking_methods
        }
    });
    out.body.extend(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            #[doc(hidden)]
            pub client: &'a rt::Client,
        }

        impl<'a> #handle<'a> {
            #methods
        }

        #extra
    });
    for c in children {
        out.body.extend(c.body);
        out.blocking.extend(c.blocking);
    }
    handle_str
}

fn method_tokens(m: Method) -> TokenStream {
    match m {
        Method::Get => quote!(rt::Method::GET),
        Method::Put => quote!(rt::Method::PUT),
        Method::Post => quote!(rt::Method::POST),
        Method::Delete => quote!(rt::Method::DELETE),
        Method::Options => quote!(rt::Method::OPTIONS),
        Method::Head => quote!(rt::Method::HEAD),
        Method::Patch => quote!(rt::Method::PATCH),
        Method::Trace => quote!(rt::Method::TRACE),
    }
}

fn style_tokens(s: ParamStyle) -> TokenStream {
    match s {
        ParamStyle::Form { explode } => quote!(rt::ParamStyle::Form { explode: #explode }),
        ParamStyle::SpaceDelimited => quote!(rt::ParamStyle::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(rt::ParamStyle::PipeDelimited),
        ParamStyle::DeepObject => quote!(rt::ParamStyle::DeepObject),
        ParamStyle::Simple => quote!(rt::ParamStyle::Simple),
    }
}

fn status_pattern(s: StatusMatch) -> TokenStream {
    match s {
        StatusMatch::Exact(n) => {
            let n = Literal::u16_unsuffixed(n);
            quote!(#n)
        }
        StatusMatch::Range(r) => {
            let lo = Literal::u16_unsuffixed(u16::from(r) * 100);
            let hi = Literal::u16_unsuffixed(u16::from(r) * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    }
}

/// The 2xx statuses an operation does not list, as a pattern of ranges
/// around the listed ones (`201..=203 | 205..=299` when 200 and 204 are
/// listed), so that no arm overlaps another; `None` when all are listed.
fn unlisted_2xx(op: &Operation) -> Option<TokenStream> {
    let mut listed: Vec<u16> = op
        .responses
        .iter()
        .filter_map(|r| match r.status {
            StatusMatch::Exact(n) if (200..300).contains(&n) => Some(n),
            _ => None,
        })
        .collect();
    listed.sort_unstable();
    listed.dedup();
    let mut alts = Vec::new();
    let mut lo = 200u16;
    for n in listed.into_iter().chain([300]) {
        if n > lo {
            let (a, b) = (Literal::u16_unsuffixed(lo), Literal::u16_unsuffixed(n - 1));
            alts.push(if n - 1 == lo { quote!(#a) } else { quote!(#a..=#b) });
        }
        lo = n + 1;
    }
    (!alts.is_empty()).then(|| quote!(#(#alts)|*))
}

/// The rank of a status in the `match` of a response: exact codes first,
/// then `1XX`..`5XX` ranges, then `default` (the sort is stable, so spec
/// order is kept within a rank).
fn specificity(s: StatusMatch) -> u8 {
    match s {
        StatusMatch::Exact(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    }
}

fn status_text(s: StatusMatch) -> String {
    match s {
        StatusMatch::Exact(n) => n.to_string(),
        StatusMatch::Range(r) => format!("{r}XX"),
        StatusMatch::Default => "default".to_string(),
    }
}

/// One operation's code: the async method (and stream), the module items
/// (params struct, error enum, response enum) and the blocking method (and
/// iterator).
struct Emitted {
    method: TokenStream,
    items: TokenStream,
    blocking: TokenStream,
}

/// Emits one operation of the group whose handle is `handle`.
fn emit_operation(cx: &Cx<'_>, handle: &str, op: &Operation) -> Emitted {
    let handle_id = ident(handle);
    let mut items = TokenStream::new();
    let method_name = ident(&op.name.rust);
    let error_name = ident(&format!("{}Error", op.type_stem));
    let op_id = &op.name.wire;
    let route = &op.route;
    let http_method = method_tokens(op.method);

    // Arguments: path parameters in path order, then the params struct, then the body.
    let mut call = Call::default();
    // A 3xx the spec lists is an answer: the runtime must not follow it.
    if op.responses.iter().any(|r| matches!(r.status, StatusMatch::Exact(300..=399) | StatusMatch::Range(3))) {
        call.build.extend(quote!(__req.keep_redirects();));
    }
    // An event stream is read as it arrives, not under the timeout.
    if op.responses.iter().any(|r| matches!(r.body, ResponseBody::EventStream(_))) {
        call.build.extend(quote!(__req.streaming();));
    }
    emit_path_args(cx, op, &mut call);
    if let Some(ps) = &op.params_struct {
        items.extend(emit_params_struct(cx, op, ps, &mut call));
    }
    if let Some(body) = &op.body {
        emit_body(cx, body, &mut call);
    }
    let Call { args, forward, build, arg_docs, inner, generics } = call;
    let responses = emit_responses(cx, op, &error_name);
    items.extend(responses.items);
    let (success_ty, arms, err_docs, bodies) =
        (responses.success_ty, responses.arms, responses.err_docs, responses.bodies);

    let mut extra_docs = vec![format!("`{} {}`", op.method.as_str(), super::inline_text(route))];
    if !arg_docs.is_empty() {
        extra_docs.push(String::new());
        extra_docs.extend(arg_docs);
    }
    if !err_docs.is_empty() {
        extra_docs.push(String::new());
        extra_docs.push("Errors:".to_string());
        extra_docs.extend(err_docs);
    }
    extra_docs.extend(super::fluent::doc(op));
    extra_docs.push(String::new());
    extra_docs.extend(super::examples::op_doc(cx, op));
    let mdocs = docs(&op.docs, &extra_docs);
    let (stream, blocking_stream) = match (op.stream_paging(), op.bodiless_beside_list()) {
        (Some(paging), None) if bodies.len() == 1 => {
            super::streams::emit_stream(cx, handle, op, paging, bodies[0], &error_name, None)
        }
        // A bodiless success beside the list: the stream reads the list's
        // variant of the success enum, and any other ends it.
        (Some(paging), Some(list)) => {
            let within = (ident(&format!("{}Response", op.type_stem)), ident(&list.variant));
            super::streams::emit_stream(cx, handle, op, paging, &list.body, &error_name, Some(within))
        }
        _ => (quote!(), quote!()),
    };
    // The blocking method: the same arguments, the same answer; an event
    // stream is read as an iterator.
    let (blocking_ty, blocking_map) = match bodies[..] {
        [ResponseBody::EventStream(t)] => {
            let t = cx.ty(t);
            (quote!(rt::BlockingIter<rt::EventStream<#t>>), quote!(.map(|__r| __r.map(|__s| self.client.iter(__s)))))
        }
        _ => (success_ty.clone(), quote!()),
    };
    let bdoc = format!(
        " [`{}`](super::{handle}::{}) without `async`: `{} {}`.",
        op.name.rust,
        op.name.rust,
        op.method.as_str(),
        super::inline_text(route)
    );
    let (fluent_method, fluent_blocking) = super::fluent::parts(cx, handle, op, (&success_ty, &error_name), &mut items);
    let deprecated = if op.docs.deprecated { quote!(#[deprecated]) } else { quote!() };
    let blocking = quote! {
        #[doc = #bdoc]
        #deprecated
        #[inline]
        pub fn #method_name #generics(&self, #args) -> rt::Result<#blocking_ty, #error_name> {
            self.client.wait(super::#handle_id { client: self.client.client() }.#method_name(#forward))#blocking_map
        }

        #fluent_blocking
        #blocking_stream
    };
    let send = quote! {
        let mut __req = rt::Request::new(#http_method, #route, #op_id);
        #build
        let __resp = self.client.send(__req).await.map_err(rt::Error::cast)?;
        match __resp.status() {
            #arms
        }
    };
    let method = match inner {
        Some(inner) => {
            let (outer, inner) = shell(&method_name, (&generics, &args), inner, (&success_ty, &error_name), send);
            quote!(#mdocs #outer #inner #fluent_method #stream)
        }
        None => quote! {
            #mdocs
            pub async fn #method_name(&self, #args) -> rt::Result<#success_ty, #error_name> {
                #send
            }

            #stream
        },
    };
    Emitted { method, items, blocking }
}

/// An operation whose body argument is generic (a body as
/// `impl rt::IntoBody<T>`, an optional body as `impl Into<Option<&T>>`, a
/// list as any iterable): the public method only
/// converts the argument, awaiting the private `__<name>` method that
/// builds and sends the request. The sending code, the large part, is not
/// generic: it is compiled once, in this crate, however many argument types
/// callers use (issue 15).
fn shell(
    name: &proc_macro2::Ident,
    (generics, args): (&TokenStream, &TokenStream),
    Inner { args: inner_args, forward, convert }: Inner,
    (success_ty, error_name): (&TokenStream, &proc_macro2::Ident),
    send: TokenStream,
) -> (TokenStream, TokenStream) {
    let inner = ident(&format!("{}{name}", crate::naming::LOCAL_PREFIX));
    let outer = quote! {
        pub async fn #name #generics(&self, #args) -> rt::Result<#success_ty, #error_name> {
            #convert
            self.#inner(#forward).await
        }
    };
    let inner = quote! {
        async fn #inner(&self, #inner_args) -> rt::Result<#success_ty, #error_name> {
            #send
        }
    };
    (outer, inner)
}

/// The private method of [`shell`]: its arguments, what the public method
/// passes it, and the statements that make that from the public arguments.
struct Inner {
    args: TokenStream,
    forward: TokenStream,
    convert: TokenStream,
}

/// What an operation method takes and how it builds its request. The
/// blocking method takes the same `args` and passes `forward` on.
#[derive(Default)]
struct Call {
    args: TokenStream,
    /// The argument names, in order, as the blocking method passes them.
    forward: TokenStream,
    build: TokenStream,
    /// `- `name`: ...` lines for the method docs.
    arg_docs: Vec<String>,
    /// For a body taken generically (every body but bytes and text): the private
    /// method that takes it as it is sent ([`shell`]).
    inner: Option<Inner>,
    /// The method's generic parameters (the lifetime of a body).
    generics: TokenStream,
}

/// Path parameters become arguments in path order.
fn emit_path_args(cx: &Cx<'_>, op: &Operation, call: &mut Call) {
    let Call { args, forward, build, arg_docs, .. } = call;
    for part in &op.path {
        match part {
            PathPart::Literal(l) => build.extend(quote!(__req.literal(#l);)),
            PathPart::Param(idx) => {
                let p = &op.params[*idx];
                let name = ident(&p.name.rust);
                let PathArg { ty, send, .. } = path_arg(cx, p);
                args.extend(quote!(#name: #ty,));
                forward.extend(quote!(#name,));
                build.extend(send);
                if let Some(d) = p.docs.description.as_deref().or(p.docs.summary.as_deref()) {
                    let first = super::doc_lines(d).into_iter().next().unwrap_or_default();
                    arg_docs.push(format!("- `{}`: {first}", p.name.rust));
                }
            }
        }
    }
}

/// The params struct of query, header and cookie parameters, and the code
/// that sends them.
fn emit_params_struct(cx: &Cx<'_>, op: &Operation, ps: &str, call: &mut Call) -> TokenStream {
    let Call { args, forward, build, .. } = call;
    let route = &op.route;
    let ps_ident = ident(ps);
    args.extend(quote!(params: &#ps_ident,));
    forward.extend(quote!(params,));
    let mut fields = TokenStream::new();
    let mut members = Vec::new();
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
        let name = ident(&p.name.rust);
        let wire = &p.name.wire;
        let ty = cx.ty(&p.ty);
        let loc = match p.location {
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
            ParamLocation::Path => "path",
        };
        let mut extra = vec![format!("Sent as the {loc} parameter `{}`.", super::inline_text(wire))];
        extra.extend(super::setters::renamed_note(&p.name.rust, &p.setter));
        let pdocs = docs(&p.docs, &extra);
        if p.required {
            fields.extend(quote!(#pdocs pub #name: #ty,));
        } else {
            fields.extend(quote!(#pdocs pub #name: Option<#ty>,));
        }
        members.push(super::setters::Member {
            rust: &p.name.rust,
            wire,
            ty: &p.ty,
            boxed: false,
            presence: p.presence(),
            setter: &p.setter,
            read_only: false,
        });
        match p.location {
            ParamLocation::Query => {
                let style = style_tokens(p.style);
                build.extend(quote!(__req.query(#wire, &params.#name, #style);));
            }
            ParamLocation::Header => build.extend(quote!(__req.header(#wire, &params.#name);)),
            ParamLocation::Cookie => build.extend(quote!(__req.cookie(#wire, &params.#name);)),
            ParamLocation::Path => {}
        }
    }
    let doc = format!(
        " Parameters of [`{}::{}`](crate::operations) (`{} {}`).",
        op.group.iter().map(|g| g.rust.clone()).collect::<Vec<_>>().join("::"),
        op.name.rust,
        op.method.as_str(),
        super::inline_text(route)
    );
    let all_optional = members.iter().all(|m| m.presence != Presence::Required);
    let default = if all_optional { quote!(Default,) } else { quote!() };
    let ctor = super::setters::emit(cx, ps, &members, quote!(), true);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #ps_ident {
            #fields
        }

        #ctor
    }
}

/// The body argument and its encoding.
fn emit_body(cx: &Cx<'_>, body: &crate::ir::RequestBody, call: &mut Call) {
    let Call { args, forward, build, inner, generics, .. } = call;
    let (before, before_forward) = (args.clone(), forward.clone());
    forward.extend(quote!(body,));
    let content = &body.contents[0];
    let mt = &content.media_type;
    match content.kind {
        BodyKind::Json | BodyKind::Form | BodyKind::Multipart => {
            let ty = cx.ty(&content.ty);
            // The request's encoding of the body held by the local `b` (a
            // `&T`, or the `rt::BodyArg` it derefs from).
            let encode_in = |b: TokenStream, as_ref: TokenStream| match content.kind {
                BodyKind::Json => quote!(__req.json(#mt, #as_ref)),
                BodyKind::Form => quote!(__req.form(#as_ref)),
                _ => multipart_encode(cx, content, b, as_ref),
            };
            let encode = encode_in(quote!(body), quote!(body));
            let list = match content.kind {
                BodyKind::Json if body.required => super::setters::list_body(cx, &content.ty),
                _ => None,
            };
            if let Some((input, convert, checked)) = list {
                args.extend(quote!(body: #input,));
                // The private method owns the list. A constrained list is
                // checked as it is made, and the request refuses it (unsent)
                // when it breaks a bound.
                let (arg, encode) = if checked {
                    (quote!(Result<#ty, rt::ValidationError>), quote!(__req.checked_json(#mt, body)))
                } else {
                    (quote!(#ty), quote!(__req.json(#mt, &body)))
                };
                *inner = Some(Inner {
                    args: quote!(#before body: #arg,),
                    forward: quote!(#before_forward __body,),
                    convert: quote!(let __body: #arg = #convert;),
                });
                build.extend(quote!(#encode;));
            } else if body.required {
                // The body by value, by reference or by what converts into it
                // (`rt::IntoBody`); a conversion breaking a constraint leaves
                // the request unsent, reported like any other violation.
                generics.extend(quote!(<'__body>));
                args.extend(quote!(body: impl rt::IntoBody<'__body, #ty>,));
                *inner = Some(Inner {
                    args: quote!(#before body: Result<rt::BodyArg<'_, #ty>, rt::ValidationError>,),
                    forward: quote!(#before_forward rt::IntoBody::into_body(body),),
                    convert: quote!(),
                });
                let encode = encode_in(quote!(__body), quote!(&*__body));
                build.extend(quote!(if let Some(__body) = __req.body_arg(body) { #encode; }));
            } else {
                // Stable Rust wants the reference's lifetime named in `impl Trait`.
                generics.extend(quote!(<'__body>));
                args.extend(quote!(body: impl Into<Option<&'__body #ty>>,));
                *inner = Some(Inner {
                    args: quote!(#before body: Option<&#ty>,),
                    forward: quote!(#before_forward body.into(),),
                    convert: quote!(),
                });
                build.extend(quote!(if let Some(body) = body { #encode; }));
            }
        }
        BodyKind::Binary => {
            args.extend(quote!(body: impl Into<rt::Bytes>,));
            build.extend(quote!(__req.bytes(#mt, body);));
        }
        BodyKind::Text => {
            args.extend(quote!(body: impl Into<String>,));
            build.extend(quote!(__req.bytes(#mt, body.into());));
        }
    }
}

/// A multipart body: file fields become file parts, the rest text parts.
/// `body` is the local holding it (a `&T`, or the `rt::BodyArg` it
/// derefs from), `as_ref` the `&T` from it.
fn multipart_encode(
    cx: &Cx<'_>,
    content: &crate::ir::BodyContent,
    body: TokenStream,
    as_ref: TokenStream,
) -> TokenStream {
    // File fields become file parts; the rest text parts.
    let mut files = Vec::new();
    let mut adds = TokenStream::new();
    if let Ty::Named(id) = &content.ty {
        if let crate::ir::TypeKind::Struct(s) = cx.api.definition(*id) {
            for f in s.fields.iter().filter(|f| is_file_field(&f.ty)) {
                let w = &f.name.wire;
                let fname = ident(&f.name.rust);
                files.push(w.clone());
                let get = match f.presence {
                    Presence::Required => quote!(Some(&#body.#fname)),
                    Presence::OptionalNull => {
                        quote!(#body.#fname.as_ref().and_then(|__x| __x.as_ref()))
                    }
                    Presence::RequiredNull | Presence::Optional => quote!(#body.#fname.as_ref()),
                };
                let add = quote! {
                    __parts.file(#w, __file.filename.as_deref().unwrap_or(#w), __file.content_type.as_deref().unwrap_or("application/octet-stream"), &__file.bytes);
                };
                // An array of files is one part per file, all with the field's name.
                adds.extend(if matches!(f.ty, Ty::Binary) {
                    quote!(if let Some(__file) = #get { #add })
                } else {
                    quote!(if let Some(__files) = #get { for __file in __files { #add } })
                });
            }
        }
    }
    quote!({
        #[allow(unused_mut)]
        let mut __parts = rt::Multipart::new();
        #adds
        __req.multipart(#as_ref, __parts, &[#(#files),*])
    })
}

/// How an operation reads its responses.
struct Responses<'a> {
    /// The success type the method returns.
    success_ty: TokenStream,
    /// The `match` arms on the status, most specific first.
    arms: TokenStream,
    /// The error enum, and the success enum when there are several bodies.
    items: TokenStream,
    /// `- `404` (...)` lines for the method docs.
    err_docs: Vec<String>,
    /// The distinct success bodies.
    bodies: Vec<&'a ResponseBody>,
}

fn emit_responses<'a>(cx: &Cx<'_>, op: &'a Operation, error_name: &proc_macro2::Ident) -> Responses<'a> {
    let mut items = TokenStream::new();
    let mut bodies: Vec<&ResponseBody> = Vec::new();
    for s in op.successes() {
        if !bodies.contains(&&s.body) {
            bodies.push(&s.body);
        }
    }
    let (success_ty, mut arms_by_status) = success_arms(cx, op, &bodies, &mut items);
    let (err_arms, err_docs) = error_arms(cx, op, error_name, &mut items);
    arms_by_status.extend(err_arms);
    // One arm per status, most specific first (exact codes, then ranges,
    // then `default`), whichever of them count as success: a `default`
    // success arm before a `303` error arm would make the latter unreachable.
    arms_by_status.sort_by_key(|(status, _)| specificity(*status));
    let mut arms: TokenStream = arms_by_status.into_iter().map(|(_, arm)| arm).collect();
    let has_default_arm = op.responses.iter().any(|r| r.status == StatusMatch::Default);
    if !has_default_arm {
        arms.extend(quote!(_ => Err(__resp.unexpected()),));
    }
    Responses { success_ty, arms, items, err_docs, bodies }
}

fn decode(cx: &Cx<'_>, b: &ResponseBody) -> TokenStream {
    decode_from(cx, b, quote!(__resp))
}

/// How the response `resp` (an expression) is read as the body `b`.
fn decode_from(cx: &Cx<'_>, b: &ResponseBody, resp: TokenStream) -> TokenStream {
    match b {
        ResponseBody::Empty => quote!(#resp.empty()),
        ResponseBody::Json(t) => {
            let t = cx.ty(t);
            quote!(#resp.json::<#t, _>())
        }
        ResponseBody::Text => quote!(#resp.text()),
        ResponseBody::Binary => quote!(#resp.bytes()),
        ResponseBody::EventStream(t) => {
            let t = cx.ty(t);
            let field = match &cx.event_type_field {
                Some(f) => quote!(Some(#f)),
                None => quote!(None),
            };
            quote!(#resp.event_stream::<#t, _>(#field))
        }
    }
}

fn body_ty(cx: &Cx<'_>, b: &ResponseBody) -> TokenStream {
    match b {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(t) => cx.ty(t),
        ResponseBody::Text => quote!(String),
        ResponseBody::Binary => quote!(rt::Bytes),
        ResponseBody::EventStream(t) => {
            let t = cx.ty(t);
            quote!(rt::EventStream<#t>)
        }
    }
}

/// The first line of a response's docs, or nothing.
fn first_doc_line(r: &crate::ir::Response) -> String {
    r.docs
        .description
        .as_deref()
        .or(r.docs.summary.as_deref())
        .map(|d| super::doc_lines(d).into_iter().next().unwrap_or_default())
        .unwrap_or_default()
}

/// The success type and the arms of the success statuses; with several
/// bodies, the success enum goes into `items`.
fn success_arms(
    cx: &Cx<'_>,
    op: &Operation,
    bodies: &[&ResponseBody],
    items: &mut TokenStream,
) -> (TokenStream, Vec<(StatusMatch, TokenStream)>) {
    let mut arms_by_status = Vec::new();
    // Every 2xx no listed status covers reads as the nearest listed success.
    let unlisted = unlisted_2xx(op).filter(|_| op.reads_undeclared_successes());
    if bodies.len() <= 1 {
        let b = bodies.first().copied().unwrap_or(&ResponseBody::Empty);
        for r in op.successes() {
            let pat = status_pattern(r.status);
            let d = decode(cx, b);
            arms_by_status.push((r.status, quote!(#pat => #d,)));
        }
        if let Some(any_2xx) = &unlisted {
            let d = decode_from(cx, b, quote!(__resp.undeclared()));
            arms_by_status.push((StatusMatch::Range(2), quote!(#any_2xx => #d,)));
        }
        return (body_ty(cx, b), arms_by_status);
    }
    let resp_name = ident(&format!("{}Response", op.type_stem));
    let mut variants = TokenStream::new();
    let (mut listed, mut reads, mut bodiless) = (Vec::new(), Vec::new(), None::<usize>);
    for r in op.successes() {
        let v = ident(&r.variant);
        let first = first_doc_line(r);
        let doc = format!(
            " `{}`{}",
            status_text(r.status),
            if first.is_empty() { String::new() } else { format!(": {first}") }
        );
        match &r.body {
            ResponseBody::Empty => variants.extend(quote!(#[doc = #doc] #v,)),
            b => {
                let t = body_ty(cx, b);
                variants.extend(quote!(#[doc = #doc] #v(#t),));
            }
        }
        let pat = status_pattern(r.status);
        let d = decode(cx, &r.body);
        let map = match r.body {
            ResponseBody::Empty => quote!(|_| #resp_name::#v),
            _ => quote!(#resp_name::#v),
        };
        arms_by_status.push((r.status, quote!(#pat => #d.map(|__r| __r.map(#map)),)));
        if let StatusMatch::Exact(n) = r.status {
            listed.push(Literal::u16_unsuffixed(n));
            reads.push(quote!(|__resp: rt::RawResponse| #d.map(|__r| __r.map(#map))));
            if r.body == ResponseBody::Empty && bodiless.is_none() {
                bodiless = Some(listed.len() - 1);
            }
        }
    }
    if let Some(any_2xx) = unlisted.filter(|_| !listed.is_empty()) {
        let bodiless = match bodiless {
            Some(i) => {
                let i = Literal::usize_unsuffixed(i);
                quote!(Some(#i))
            }
            None => quote!(None),
        };
        arms_by_status.push((
            StatusMatch::Range(2),
            quote!(#any_2xx => __resp.undeclared_any(&[#(#listed),*], #bodiless, &[#(#reads),*]),),
        ));
    }
    items.extend(quote! {
        #[doc = " The success responses of this operation."]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #resp_name {
            #variants
        }
    });
    (quote!(#resp_name), arms_by_status)
}

/// The arms of the error statuses, the error enum (into `items`) and the
/// doc lines that list the errors.
fn error_arms(
    cx: &Cx<'_>,
    op: &Operation,
    error_name: &proc_macro2::Ident,
    items: &mut TokenStream,
) -> (Vec<(StatusMatch, TokenStream)>, Vec<String>) {
    let mut arms_by_status = Vec::new();
    let mut err_variants = TokenStream::new();
    let mut err_match = TokenStream::new();
    let mut err_docs = Vec::new();
    let mut errors: Vec<&crate::ir::Response> = op.errors().collect();
    errors.sort_by_key(|r| specificity(r.status));
    for r in errors {
        let v = ident(&r.variant);
        let t = match &r.body {
            ResponseBody::Json(t) => cx.ty(t),
            _ => quote!(serde_json::Value),
        };
        let first = first_doc_line(r);
        let first = if first.is_empty() { String::new() } else { format!(": {first}") };
        let doc = format!(" `{}`{first}", status_text(r.status));
        err_docs.push(format!("- `{}` ([`{}::{}`]){first}", status_text(r.status), error_name, r.variant));
        err_variants.extend(quote!(#[doc = #doc] #v(Box<rt::ApiError<#t>>),));
        err_match.extend(quote!(Self::#v(__e) => &**__e,));
        let pat = status_pattern(r.status);
        arms_by_status.push((r.status, quote!(#pat => Err(__resp.error(#error_name::#v)),)));
    }
    let api_error_body = if err_match.is_empty() { quote!(match *self {}) } else { quote!(match self { #err_match }) };
    let err_doc = format!(" The error statuses of `{} {}`.", op.method.as_str(), super::inline_text(&op.route));
    items.extend(quote! {
        #[doc = #err_doc]
        #[derive(Debug)]
        pub enum #error_name {
            #err_variants
        }

        impl rt::OperationError for #error_name {
            #[inline]
            fn api_error(&self) -> &dyn rt::AnyApiError {
                #api_error_body
            }
        }
    });
    (arms_by_status, err_docs)
}

/// A multipart field sent as file parts: bytes, or an array of bytes.
fn is_file_field(ty: &Ty) -> bool {
    match ty {
        Ty::Binary => true,
        Ty::Array(a) => matches!(a.item, Ty::Binary),
        _ => false,
    }
}
