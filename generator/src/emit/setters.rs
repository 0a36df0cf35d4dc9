//! Constructors and chainable setters of structs and params structs.
//!
//! `new` takes the required members, each setter one member, both through
//! [`rust_ty::input`](crate::rust_ty::input): the type itself for `bool`
//! and unbounded numbers, any iterable of convertible items for lists,
//! `impl Into<T>` for the rest, and the unchecked
//! value for constrained types and free-form objects (`json!({..})`, checked
//! to be an object), which makes the constructor or setter
//! return `Result<Self, rt::ValidationError>`. A member that may be `null`
//! also gets `<name>_null()`, which sends `null`. An operation's list body
//! is taken as a list field's setter takes it ([`list_body`]).

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Cx};
use crate::ir::{Presence, Setter, Ty};
use crate::rust_ty::{Convert, Input};

/// A field of a struct, or a parameter of a params struct.
pub(crate) struct Member<'a> {
    pub rust: &'a str,
    pub wire: &'a str,
    pub ty: &'a Ty,
    pub boxed: bool,
    pub presence: Presence,
    pub setter: &'a Setter,
    /// Set by the server only: no setter.
    pub read_only: bool,
}

/// What `impl #name` holds: `new` when some member is required (`ctor`),
/// and the setters when `setters` is set.
pub(crate) fn emit(cx: &Cx<'_>, name: &str, members: &[Member<'_>], rest: TokenStream, setters: bool) -> TokenStream {
    let ctor = constructor(cx, members, rest);
    let mut methods = TokenStream::new();
    if setters {
        for m in members.iter().filter(|m| settable(cx, m)) {
            methods.extend(setter(cx, m));
        }
    }
    if ctor.is_empty() && methods.is_empty() {
        return quote!();
    }
    let name = ident(name);
    // Only members of one value are required: `new()` is the default.
    let default = members.iter().all(|m| !cx.api.takes_in_new(m.presence, m.ty)) && !ctor.is_empty();
    let default = if default {
        quote! {
            impl Default for #name {
                #[inline]
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        quote!()
    };
    quote! {
        impl #name {
            #ctor
            #methods
        }
        #default
    }
}

/// `new(required..)`, or nothing when every member is optional (the
/// struct is `Default` then).
fn constructor(cx: &Cx<'_>, members: &[Member<'_>], rest: TokenStream) -> TokenStream {
    let mut args = TokenStream::new();
    let mut fields = TokenStream::new();
    let mut checked = false;
    let (mut required, mut constant) = (false, false);
    for m in members {
        let fname = ident(m.rust);
        if m.presence != Presence::Required {
            fields.extend(quote!(#fname: None,));
            continue;
        }
        required = true;
        if let Some(value) = constant_value(cx, m) {
            fields.extend(quote!(#fname: #value,));
            constant = true;
            continue;
        }
        let (arg, value, fallible) = take(cx, m, quote!(#fname));
        checked |= fallible;
        args.extend(quote!(#fname: #arg,));
        let value = boxed(m, value);
        if fname == value.to_string() {
            fields.extend(quote!(#fname,));
        } else {
            fields.extend(quote!(#fname: #value,));
        }
    }
    if !required {
        return quote!();
    }
    let constants = if constant {
        quote! {
            ///
            /// A required field that can hold one value only is set to it.
        }
    } else {
        quote!()
    };
    if checked {
        quote! {
            /// A value with the required fields set and the others `None`;
            /// fails when a value breaks its field's constraints.
            #constants
            #[inline]
            pub fn new(#args) -> Result<Self, rt::ValidationError> {
                Ok(Self { #fields #rest })
            }
        }
    } else {
        quote! {
            /// A value with the required fields set and the others `None`.
            #constants
            #[inline]
            pub fn new(#args) -> Self {
                Self { #fields #rest }
            }
        }
    }
}

/// The value of a required member that can hold one value only.
fn constant_value(cx: &Cx<'_>, m: &Member<'_>) -> Option<TokenStream> {
    let (id, variant) = cx.api.constant_member(m.presence, m.ty)?;
    let ty = crate::rust_ty::of(cx.api, &Ty::Named(id)).tokens();
    let v = ident(&variant.name.rust);
    Some(boxed(m, quote!(#ty::#v)))
}

/// `From<String>` and `From<&str>` for a struct made from its one string
/// member ([`crate::rust_ty::string_member`]), the others `None`: a
/// constructor taking the struct (`impl Into<T>`) then takes the string. A
/// constrained string is taken as is and checked when a request sends it,
/// as every value is, so the conversion cannot fail.
pub(crate) fn from_string(
    cx: &Cx<'_>,
    name: &str,
    field: &str,
    members: &[Member<'_>],
    rest: TokenStream,
) -> TokenStream {
    let mut fields = TokenStream::new();
    for m in members {
        let fname = ident(m.rust);
        let value = if m.rust == field {
            match crate::rust_ty::of(cx.api, crate::rust_ty::resolve(cx.api, m.ty)) {
                crate::rust_ty::RustTy::Path("String", _) => quote!(value),
                _ => quote!(rt::__private::unchecked(value)),
            }
        } else {
            constant_value(cx, m).unwrap_or_else(|| quote!(None))
        };
        fields.extend(quote!(#fname: #value,));
    }
    let doc = format!(
        " A value with only `{}` set (and fields of one value); a constraint it breaks is reported when a request sends it.",
        super::inline_text(field)
    );
    let name = ident(name);
    quote! {
        impl From<String> for #name {
            #[doc = #doc]
            #[inline]
            fn from(value: String) -> Self {
                Self { #fields #rest }
            }
        }

        impl From<&str> for #name {
            #[doc = #doc]
            #[inline]
            fn from(value: &str) -> Self {
                Self::from(value.to_owned())
            }
        }
    }
}

/// `rt::BodyFrom` for an operation's body from its one string or list
/// member ([`crate::rust_ty::body_member`]), so that the operation takes
/// that (`rt::IntoBody`): the body's `new`, whose failure the request
/// reports when it is sent.
pub(crate) fn body_from(
    cx: &Cx<'_>,
    name: &str,
    field: &crate::ir::Field,
    source: crate::rust_ty::BodySource,
) -> TokenStream {
    let q = if crate::rust_ty::input(cx.api, &field.ty).is_checked() { quote!(?) } else { quote!() };
    let name = ident(name);
    let doc = format!(" The body with only `{}` set.", super::inline_text(&field.name.rust));
    // `body_from` taking `arg`, whose `value` `convert` makes into what `new` takes.
    let body = |arg: TokenStream, convert: TokenStream| {
        quote! {
            #[doc = #doc]
            #[inline]
            fn body_from(value: #arg) -> Result<rt::BodyArg<'__body, Self>, rt::ValidationError> {
                #convert
                Ok(rt::BodyArg::Owned(Self::new(value)#q))
            }
        }
    };
    match source {
        crate::rust_ty::BodySource::Str => {
            let (borrowed, owned) = (body(quote!(&str), quote!()), body(quote!(String), quote!()));
            quote! {
                impl<'__body> rt::BodyFrom<'__body, &str> for #name {
                    #borrowed
                }

                impl<'__body> rt::BodyFrom<'__body, String> for #name {
                    #owned
                }
            }
        }
        // Strings as any `AsRef<str>`, so that a `&[&str]` converts too.
        crate::rust_ty::BodySource::Items(crate::rust_ty::RustTy::Path("String", args)) if args.is_empty() => {
            let items = body(quote!(__I), quote!(let value = value.into_iter().map(|__s| __s.as_ref().to_owned());));
            quote! {
                impl<'__body, __I> rt::BodyFrom<'__body, __I> for #name
                where
                    __I: IntoIterator,
                    __I::Item: AsRef<str>,
                {
                    #items
                }
            }
        }
        crate::rust_ty::BodySource::Items(item) => {
            let item = item.tokens();
            let items = body(quote!(__I), quote!());
            quote! {
                impl<'__body, __I> rt::BodyFrom<'__body, __I> for #name
                where
                    __I: IntoIterator,
                    __I::Item: Into<#item>,
                {
                    #items
                }
            }
        }
    }
}

/// The argument type of a member, the expression that makes its value from
/// `arg`, and whether making it can fail (the expression then uses `?`).
fn take(cx: &Cx<'_>, m: &Member<'_>, arg: TokenStream) -> (TokenStream, TokenStream, bool) {
    let wire = m.wire;
    match crate::rust_ty::input(cx.api, m.ty) {
        Input::Plain(ty) => (ty.tokens(), arg, false),
        Input::Into(ty) => {
            let ty = ty.tokens();
            (quote!(impl Into<#ty>), quote!(#arg.into()), false)
        }
        Input::Items(item) => {
            let item = item.tokens();
            (
                quote!(impl IntoIterator<Item = impl Into<#item>>),
                quote!(#arg.into_iter().map(Into::into).collect()),
                false,
            )
        }
        Input::Checked { ty, input, convert } => {
            let made = made(&ty, &convert, arg);
            (input, quote!(rt::__private::checked(#wire, #made)?), true)
        }
    }
}

/// The `Result<T, rt::ValidationError>` that makes a constrained `ty` from
/// `arg`, the unchecked value [`Input::Checked`] takes.
pub(crate) fn made(ty: &crate::rust_ty::RustTy, convert: &Convert, arg: TokenStream) -> TokenStream {
    let ty = ty.tokens();
    match convert {
        Convert::None | Convert::Str => quote!(<#ty>::new(#arg)),
        Convert::Into => quote!(<#ty>::new(#arg.into())),
        Convert::Collect => quote!(<#ty>::new(#arg.into_iter().map(Into::into).collect::<Vec<_>>())),
        Convert::JsonObject => quote!(rt::IntoJsonObject::into_json_object(#arg)),
        Convert::EachValue { value, optional } => {
            let value = value.tokens();
            let made = if *optional { quote!(__v.map(<#value>::new).transpose()) } else { quote!(<#value>::new(__v)) };
            quote! {
                #arg.into_iter()
                    .map(|(__k, __v)| #made.map(|__v| (__k.into(), __v)))
                    .collect::<Result<std::collections::BTreeMap<_, _>, _>>()
            }
        }
        Convert::EachItem { item, bounded } => {
            let item = item.tokens();
            let each = quote!(#arg.into_iter().map(<#item>::new).collect::<Result<Vec<_>, _>>());
            if *bounded {
                quote!(#each.and_then(<#ty>::new))
            } else {
                each
            }
        }
    }
}

fn boxed(m: &Member<'_>, value: TokenStream) -> TokenStream {
    if m.boxed {
        quote!(Box::new(#value))
    } else {
        value
    }
}

/// The doc line of a field whose setter is not its own name
/// (`naming::setters`: `with_default`), so the field's docs name it.
pub(crate) fn renamed_note(field: &str, setter: &Setter) -> Option<String> {
    let why = if field == "new" { "the constructor" } else { "a method every value has" };
    (!setter.name.is_empty() && setter.name != field)
        .then(|| format!("Set with [`{0}`](Self::{0}): `{field}` is {why}.", setter.name))
}

/// Whether `m` gets a setter: it is sent, named, and can hold more than
/// one value.
fn settable(cx: &Cx<'_>, m: &Member<'_>) -> bool {
    !m.read_only && !m.setter.name.is_empty() && cx.api.constant_member(m.presence, m.ty).is_none()
}

/// A setter of one member: its name, argument, docs, and the value it
/// stores (`Some(..)`, boxed, checked when `fallible`).
struct Sig {
    set: proc_macro2::Ident,
    arg: TokenStream,
    value: TokenStream,
    fallible: bool,
    docs: TokenStream,
    /// `name_null()` and the value it stores, for a member that may be `null`.
    null: Option<(proc_macro2::Ident, TokenStream, TokenStream)>,
}

/// `deferred`: the setter of a call, whose failure the request reports.
fn sig(cx: &Cx<'_>, m: &Member<'_>, deferred: bool) -> Sig {
    let set = ident(&m.setter.name);
    let (arg, value, fallible) = take(cx, m, quote!(value));
    let value = boxed(m, value);
    let value = match m.presence {
        Presence::Required => value,
        Presence::RequiredNull | Presence::Optional => quote!(Some(#value)),
        Presence::OptionalNull => quote!(Some(Some(#value))),
    };
    let doc = format!(" Sets `{}`.", super::inline_text(m.wire));
    let docs = if fallible {
        let object = matches!(crate::rust_ty::input(cx.api, m.ty), Input::Checked { convert: Convert::JsonObject, .. });
        let doc2 = match (object, deferred) {
            (true, false) => {
                " Takes a `serde_json::Value` (`json!({..})`) or a map; fails when the value is not a JSON object."
            }
            (false, false) => " Fails when the value breaks the field's constraints.",
            (true, true) => {
                " Takes a `serde_json::Value` (`json!({..})`) or a map; a value that is not a JSON object is reported, unsent, by the call."
            }
            (false, true) => " A value breaking the field's constraints is reported, unsent, by the call.",
        };
        quote!(#[doc = #doc] #[doc = ""] #[doc = #doc2])
    } else {
        quote!(#[doc = #doc])
    };
    let null = m.setter.null.as_ref().map(|null| {
        let value = match m.presence {
            Presence::OptionalNull => quote!(Some(None)),
            _ => quote!(None),
        };
        let doc = format!(" Sends `{}` as `null`.", super::inline_text(m.wire));
        (ident(null), value, quote!(#[doc = #doc]))
    });
    Sig { set, arg, value, fallible, docs, null }
}

/// `name(value)` and, for a member that may be `null`, `name_null()`.
fn setter(cx: &Cx<'_>, m: &Member<'_>) -> TokenStream {
    let fname = ident(m.rust);
    let Sig { set, arg, value, fallible, docs, null } = sig(cx, m, false);
    let mut res = if fallible {
        quote! {
            #docs
            #[inline]
            pub fn #set(mut self, value: #arg) -> Result<Self, rt::ValidationError> {
                self.#fname = #value;
                Ok(self)
            }
        }
    } else {
        quote! {
            #docs
            #[inline]
            pub fn #set(mut self, value: #arg) -> Self {
                self.#fname = #value;
                self
            }
        }
    };
    if let Some((null, value, docs)) = null {
        res.extend(quote! {
            #docs
            #[inline]
            pub fn #null(mut self) -> Self {
                self.#fname = #value;
                self
            }
        });
    }
    res
}

/// The setters of a call built in place (`emit/fluent.rs`): each sets the
/// member on the call's `__body`, a `Result` that keeps the first value
/// breaking a constraint, which the request reports unsent.
pub(crate) fn forwarders(cx: &Cx<'_>, members: &[Member<'_>]) -> TokenStream {
    let mut res = TokenStream::new();
    for m in members.iter().filter(|m| settable(cx, m)) {
        let Sig { set, arg, fallible, docs, null, .. } = sig(cx, m, true);
        let apply = if fallible { quote!(and_then) } else { quote!(map) };
        res.extend(quote! {
            #docs
            #[inline]
            pub fn #set(mut self, value: #arg) -> Self {
                self.__body = self.__body.#apply(|__b| __b.#set(value));
                self
            }
        });
        if let Some((null, _, docs)) = null {
            res.extend(quote! {
                #docs
                #[inline]
                pub fn #null(mut self) -> Self {
                    self.__body = self.__body.map(|__b| __b.#null());
                    self
                }
            });
        }
    }
    res
}

/// How a JSON list body is taken: any iterable of items convertible into
/// the item type, as a list field's setter takes it (`[a, b]`, a `Vec`, an
/// iterator): the argument type, the expression that makes the list from
/// `body`, and whether that is checked (a `Result`). `None` for a body that
/// is not a list.
pub(crate) fn list_body(cx: &Cx<'_>, ty: &Ty) -> Option<(TokenStream, TokenStream, bool)> {
    if !matches!(crate::rust_ty::resolve(cx.api, ty), Ty::Array(_)) {
        return None;
    }
    match crate::rust_ty::input(cx.api, ty) {
        Input::Items(item) => {
            let item = item.tokens();
            Some((
                quote!(impl IntoIterator<Item = impl Into<#item>>),
                quote!(body.into_iter().map(Into::into).collect()),
                false,
            ))
        }
        Input::Into(list) => {
            let list = list.tokens();
            Some((quote!(impl Into<#list>), quote!(body.into()), false))
        }
        Input::Checked { ty, input, convert } => Some((input, made(&ty, &convert, quote!(body)), true)),
        Input::Plain(_) => None,
    }
}
