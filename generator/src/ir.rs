//! The intermediate representation: what the generated client is made of.
//!
//! Lowering builds it from the spec; emitting reads it. It is plain data with
//! no `openapiv3`, `proc_macro2` or `syn` types, so that it can be printed,
//! diffed (spec-diff compares two `Api`s) and tested on its own.
//! Every name here is final: `rust` names were chosen by `naming` during
//! lowering, `wire` names are what goes over HTTP. Collections are `Vec`s in a
//! deterministic order (types sorted by Rust name, operations in spec order).

use crate::pointer::Pointer;

mod paging;
pub use paging::*;

/// A whole API.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    pub security: Vec<SecurityScheme>,
    /// Named types, sorted by Rust name; [`TypeId`] indexes this.
    pub types: Vec<TypeDef>,
    /// Marker types for `pattern` constraints, sorted by Rust name.
    pub patterns: Vec<PatternDef>,
    pub operations: Vec<Operation>,
    /// The GETs taking a paging query parameter (`lower/paging_census.rs`):
    /// each one's index in `operations` and, when it gets no stream, why.
    pub paging_census: Vec<(usize, Option<&'static str>)>,
    /// The parts of the runtime the crate carries (`lower::runtime_parts`).
    pub runtime: RuntimeParts,
}

/// The optional parts of the runtime: each is left out of a crate whose
/// description does not use it, so that a small API builds small. Decided
/// once, in lowering; emit only reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RuntimeParts {
    /// `multipart/form-data` request bodies.
    pub multipart: bool,
    /// An OAuth2 client-credentials scheme: the token provider, client
    /// assertions and `jsonwebtoken`.
    pub oauth: bool,
    /// Operations with paging settings: the page streams.
    pub paging: bool,
    /// `text/event-stream` responses: Server-Sent Events.
    pub sse: bool,
    /// The telemetry header of the settings: the build script that records
    /// the compiler's version.
    pub telemetry: bool,
}

impl Api {
    /// What the named type `id` is defined as: for a same-shape alias, its
    /// target's definition.
    pub fn definition(&self, id: TypeId) -> &TypeKind {
        match self.types[id.0].kind {
            TypeKind::SameShape(target) => &self.types[target.0].kind,
            ref kind => kind,
        }
    }

    /// The enum and its one value when `ty` can hold only one (a `const`,
    /// or an enum of one value), through aliases: constructors fill such a
    /// required member in themselves ([`Api::constant_member`]).
    pub fn single_value(&self, ty: &Ty) -> Option<(TypeId, &EnumVariant)> {
        let mut ty = ty;
        for _ in 0..32 {
            let Ty::Named(id) = ty else { return None };
            match self.definition(*id) {
                TypeKind::Alias(t) => ty = t,
                TypeKind::Enum(e) if e.variants.len() == 1 => return Some((*id, &e.variants[0])),
                _ => return None,
            }
        }
        None
    }

    /// The value of a required member that can hold only one: `new`
    /// fills it in, and it gets no setter.
    pub fn constant_member(&self, presence: Presence, ty: &Ty) -> Option<(TypeId, &EnumVariant)> {
        self.single_value(ty).filter(|_| presence == Presence::Required)
    }

    /// Whether `new` takes a member of this presence and type as an
    /// argument: it is required and can hold more than one value.
    pub fn takes_in_new(&self, presence: Presence, ty: &Ty) -> bool {
        presence == Presence::Required && self.constant_member(presence, ty).is_none()
    }
}

/// A server URL template with its variables.
#[derive(Debug, Clone)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone)]
pub struct ServerVariable {
    pub name: Name,
    pub default: String,
    pub description: Option<String>,
    pub allowed: Vec<String>,
}

/// How requests are authenticated.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    pub key: String,
    pub kind: SecurityKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub enum SecurityKind {
    Bearer,
    Basic,
    ApiKey {
        location: ApiKeyLocation,
        name: String,
    },
    OAuth2ClientCredentials {
        token_url: String,
        form_parameters: Vec<(String, String)>,
    },
    /// Schemes the runtime cannot drive itself (implicit, openIdConnect...);
    /// a caller can still supply a bearer token.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// A name as it appears on the wire and in Rust.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name {
    pub wire: String,
    pub rust: String,
}

/// Index into [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Index into [`Api::patterns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PatternId(pub usize);

/// A type expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Named(TypeId),
    Bool,
    Int(IntTy),
    Float(FloatTy),
    Str(StrTy),
    /// A string format with a dedicated Rust type.
    Format(Format),
    /// `format: byte`: base64 text on the wire, bytes in Rust.
    Base64,
    /// Raw bytes (binary bodies and `format: binary` fields in JSON).
    Binary,
    /// Anything: free-form JSON (`serde_json::Value`).
    Json,
    Array(Box<ArrayTy>),
    /// `additionalProperties` maps with string keys.
    Map(Box<Ty>),
    /// A nullable value inside an array, map or union (fields carry their
    /// own nullability in [`Field::presence`]).
    Option(Box<Ty>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntKind {
    I32,
    I64,
    U32,
    U64,
}

/// An integer with inclusive bounds that are not implied by its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct IntTy {
    pub kind: IntKind,
    pub min: Option<i128>,
    pub max: Option<i128>,
    /// `multipleOf`, when it constrains anything (above 1).
    pub multiple_of: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatKind {
    F32,
    F64,
}

/// A number with the bounds of its schema, integral or not (finite).
#[derive(Debug, Clone, PartialEq)]
pub struct FloatTy {
    pub kind: FloatKind,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub exclusive_min: bool,
    pub exclusive_max: bool,
    /// `multipleOf`, when positive.
    pub multiple_of: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct StrTy {
    pub min_len: Option<u64>,
    pub max_len: Option<u64>,
    pub pattern: Option<PatternId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArrayTy {
    pub item: Ty,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
}

/// Declares [`Format`], its `format` keyword values and [`Format::ALL`] from
/// one list, so a new format is one line here; the compiler then points to
/// every place that must handle it (`rust_ty::format` and the matches).
macro_rules! formats {
    ($($variant:ident = $wire:literal),* $(,)?) => {
        /// A string `format` with a Rust type of its own.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Format {
            $($variant),*
        }

        impl Format {
            /// Every format, in declaration order.
            pub const ALL: &'static [Format] = &[$(Format::$variant),*];

            /// The `format` keyword's value, as spec-diff names it.
            pub fn wire(self) -> &'static str {
                match self {
                    $(Format::$variant => $wire),*
                }
            }
        }
    };
}

formats! {
    DateTime = "date-time",
    Date = "date",
    Uuid = "uuid",
    Email = "email",
    Uri = "uri",
    Hostname = "hostname",
    Ipv4 = "ipv4",
    Ipv6 = "ipv6",
}

impl Format {
    /// The format a `format` keyword value names (`url` is also `uri`).
    pub fn from_wire(value: &str) -> Option<Format> {
        let value = if value == "url" { "uri" } else { value };
        Format::ALL.iter().copied().find(|f| f.wire() == value)
    }
}

/// A regular expression a string must match (ECMA-262 syntax).
#[derive(Debug, Clone)]
pub struct PatternDef {
    pub rust: String,
    pub source: String,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: Name,
    pub pointer: Pointer,
    pub docs: Docs,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum, forward compatible.
    Enum(Enum),
    /// A `oneOf`/`anyOf`.
    Union(Union),
    /// A name for another type expression (`type X = ...`), as the spec
    /// gives it.
    Alias(Ty),
    /// Another name for a type of exactly the same shape (`type X = Name;`),
    /// the type that names the shape, decided by deduplication in lowering
    /// so that spec-diff sees when two names stop being one type.
    SameShape(TypeId),
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties`: `None` when absent or `false`.
    pub additional: Option<Ty>,
    /// Which of its optional fields a request must send together
    /// (`lower/key_rules.rs`).
    pub key_rules: Vec<KeyRule>,
}

/// An `anyOf` (at least one) or `oneOf` (exactly one) of members that only
/// require properties: `sets` are the members' required fields, as
/// indices of the struct's fields. Checked on requests; a response is read
/// as it comes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRule {
    pub exactly_one: bool,
    pub sets: Vec<Vec<usize>>,
}

impl KeyRule {
    /// Each set as the wire names of its fields in `fields` (the struct's),
    /// in backticks: `` `tags` and `tag_match` ``.
    pub fn labels(&self, fields: &[Field]) -> Vec<String> {
        self.sets
            .iter()
            .map(|set| set.iter().map(|&i| format!("`{}`", fields[i].name.wire)).collect::<Vec<_>>().join(" and "))
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: Name,
    pub ty: Ty,
    /// Whether the field may be absent and whether it may be `null`: the one
    /// place this is decided (emit, examples and spec-diff all read it).
    pub presence: Presence,
    /// Held in a `Box`: it is on a reference cycle (`lower/cycles.rs`), or
    /// its struct is large (`lower/boxing.rs`).
    pub boxed: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub default: Option<crate::value::Value>,
    pub docs: Docs,
    pub pointer: Pointer,
    /// The names of the field's chainable setters.
    pub setter: Setter,
}

/// The chainable setters of a field or parameter: `name(value)` sets it,
/// `null` (for a field that may be `null`) sends `null`. Chosen by
/// `naming::setters` so that no setter shadows `new`, a trait method or
/// another setter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Setter {
    pub name: String,
    pub null: Option<String>,
}

/// How a field is present on the wire and typed in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`: always present, never `null`.
    Required,
    /// `Option<T>`: always present; `None` is sent as `null`.
    RequiredNull,
    /// `Option<T>`: may be absent; `None` is not sent.
    Optional,
    /// `Option<Option<T>>`: may be absent or `null`; `Some(None)` is `null`.
    OptionalNull,
}

impl Presence {
    /// From the schema: a `readOnly` or `writeOnly` field is optional
    /// whatever `required` says, since one direction never carries it.
    pub fn new(required: bool, nullable: bool, read_only: bool, write_only: bool) -> Self {
        match (!required || read_only || write_only, nullable) {
            (false, false) => Presence::Required,
            (false, true) => Presence::RequiredNull,
            (true, false) => Presence::Optional,
            (true, true) => Presence::OptionalNull,
        }
    }

    /// May be absent (an `Option` that `None` leaves out).
    pub fn is_optional(self) -> bool {
        matches!(self, Presence::Optional | Presence::OptionalNull)
    }

    /// May be `null`.
    pub fn is_nullable(self) -> bool {
        matches!(self, Presence::RequiredNull | Presence::OptionalNull)
    }
}

/// A forward-compatible enum. Its variants are all integers or all strings.
#[derive(Debug, Clone)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
}

impl Enum {
    /// Integer enums carry numbers on the wire.
    pub fn is_integer(&self) -> bool {
        self.variants.iter().any(|v| v.int.is_some())
    }
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// `wire` is the value as text (`"a"`, `"3"`).
    pub name: Name,
    /// The value of an integer enum's variant; `None` in a string enum.
    pub int: Option<i64>,
    pub docs: Docs,
}

#[derive(Debug, Clone)]
pub struct Union {
    /// `Some(property)` when a discriminator lets serde tag the enum.
    pub tag: Option<String>,
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub rust: String,
    /// Discriminator values selecting this variant (the first is written).
    pub tags: Vec<String>,
    pub ty: Ty,
    pub boxed: bool,
}

/// Documentation carried into rustdoc.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
}

/// One HTTP operation, a method on a group handle.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The `operationId` (or a synthesized one) and the method's Rust name.
    pub name: Name,
    /// Group path, outermost first (`users`, `authentication_methods`).
    pub group: Vec<Name>,
    /// A unique UpperCamel stem for the operation's own types
    /// (`CreateUserAuthenticationMethod` -> `...Error`, `...Params`).
    pub type_stem: String,
    pub method: Method,
    /// The route as written in the spec (`/users/{id}/authentication-methods`).
    pub route: String,
    pub path: Vec<PathPart>,
    pub params: Vec<Param>,
    /// Name of the struct holding query, header and cookie parameters.
    pub params_struct: Option<String>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    pub docs: Docs,
    pub pointer: Pointer,
    /// How the operation pages: from the paging settings, or from a
    /// convention the description shows (`lower/paging.rs`).
    pub paging: Option<Paging>,
    /// The method of its stream, when it pages (`list_stream`), unique in
    /// its group (`lower/fluent.rs`).
    pub stream_name: Option<String>,
    /// The call built in place, for a JSON body whose fields are all
    /// optional (`lower/operation.rs`, `fluent`).
    pub fluent: Option<Fluent>,
}

/// `update_with(id)`: the operation started with an empty body, a call
/// that takes the body's setters and is sent when awaited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fluent {
    /// The method that starts it: `<method>_with`.
    pub method: String,
    /// The call's type in the operation's module: `<stem>Call`.
    pub call: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Methods that RFC 9110 defines as idempotent.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// Index into [`Operation::params`].
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// How an array or object parameter is serialized (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Form { explode: bool },
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: Name,
    pub location: ParamLocation,
    pub ty: Ty,
    pub required: bool,
    pub style: ParamStyle,
    pub docs: Docs,
    pub pointer: Pointer,
    /// Setter names in the params struct (query, header and cookie
    /// parameters; empty for path parameters).
    pub setter: Setter,
}

impl Param {
    /// A parameter as a member of its params struct: required, or `None`
    /// when not sent.
    pub fn presence(&self) -> Presence {
        if self.required {
            Presence::Required
        } else {
            Presence::Optional
        }
    }
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub required: bool,
    /// Media types offered, the default first.
    pub contents: Vec<BodyContent>,
    pub docs: Docs,
}

#[derive(Debug, Clone)]
pub struct BodyContent {
    pub media_type: String,
    pub kind: BodyKind,
    pub ty: Ty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
    Multipart,
    Binary,
    Text,
}

/// A status the spec lists, with what its body decodes to.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: StatusMatch,
    /// Rust name of the error variant (for non-success statuses) or the
    /// success variant when an operation has several success bodies.
    pub variant: String,
    pub body: ResponseBody,
    pub docs: Docs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Exact(u16),
    /// `2XX` is `Range(2)`.
    Range(u8),
    Default,
}

impl StatusMatch {
    /// A `2xx` status or the `2XX` range (not `default`; see
    /// [`is_success`] for what an operation returns as success).
    pub fn is_2xx(self) -> bool {
        match self {
            StatusMatch::Exact(s) => (200..300).contains(&s),
            StatusMatch::Range(r) => r == 2,
            StatusMatch::Default => false,
        }
    }
}

/// Whether a response with `status` is an operation's success (`Ok`): every
/// `2xx` status, or `default` when the operation lists no `2xx`. The one
/// place this is decided; emit, examples and spec-diff ask
/// [`Operation::is_success`].
pub fn is_success(responses: &[Response], status: StatusMatch) -> bool {
    status.is_2xx() || (status == StatusMatch::Default && !responses.iter().any(|r| r.status.is_2xx()))
}

impl Operation {
    /// See [`is_success`].
    pub fn is_success(&self, status: StatusMatch) -> bool {
        is_success(&self.responses, status)
    }

    /// The paging of an operation that gets a `*_stream` method: one JSON
    /// success body (several statuses may share it), or one JSON success
    /// beside bodiless ones (Mastodon's home timeline answers 206 while it
    /// is rebuilt; such a page ends the stream), a params struct, and no
    /// required request body.
    pub fn stream_paging(&self) -> Option<&Paging> {
        let paging = self.paging.as_ref()?;
        if self.body.as_ref().is_some_and(|b| b.required) {
            return None;
        }
        let mut bodies = self.successes().map(|r| &r.body);
        let first = bodies.next()?;
        let one_json = matches!(first, ResponseBody::Json(_)) && bodies.all(|b| b == first);
        (self.params_struct.is_some() && (one_json || self.bodiless_beside_list().is_some())).then_some(paging)
    }

    /// The one success response with a JSON body, when the others have no
    /// body and the list is the body itself (no union of page shapes).
    pub fn bodiless_beside_list(&self) -> Option<&Response> {
        let paging = self.paging.as_ref()?;
        let mut json = self.successes().filter(|r| matches!(r.body, ResponseBody::Json(_)));
        let list = json.next().filter(|_| json.next().is_none())?;
        let rest_bodiless = self.successes().all(|r| r.status == list.status || r.body == ResponseBody::Empty);
        let plain = paging.sources.iter().all(|s| s.variant.is_none());
        (rest_bodiless && plain && self.successes().count() > 1).then_some(list)
    }

    /// Whether a 2xx status that no listed status covers is read as a
    /// success of its own arm: once the server acted, a 2xx is never an
    /// error (Auth0 answers 200 where its description lists 201), so such a
    /// status reads as the nearest listed success. False when a `2XX` range
    /// or a success `default` already covers every 2xx.
    pub fn reads_undeclared_successes(&self) -> bool {
        !self.responses.iter().any(|r| {
            r.status == StatusMatch::Range(2) || (r.status == StatusMatch::Default && self.is_success(r.status))
        })
    }

    /// The success responses, in spec order.
    pub fn successes(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| self.is_success(r.status))
    }

    /// The error responses (every response that is not a success), in spec
    /// order.
    pub fn errors(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !self.is_success(r.status))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Empty,
    Json(Ty),
    Text,
    Binary,
    /// `text/event-stream`: a stream of events whose `data` is this type.
    EventStream(Ty),
}

#[cfg(test)]
mod tests {
    use super::Format;

    #[test]
    fn every_format_is_read_back_from_its_keyword() {
        assert_eq!(Format::ALL.len(), 8);
        for &f in Format::ALL {
            assert_eq!(Format::from_wire(f.wire()), Some(f));
        }
        assert_eq!(Format::from_wire("url"), Some(Format::Uri));
        assert_eq!(Format::from_wire("int32"), None);
    }
}
