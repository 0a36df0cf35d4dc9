//! The intermediate representation: what the generated client is made of.
//!
//! Lowering builds it from the spec; emitting reads it. It is plain data with
//! no `openapiv3`, `proc_macro2` or `syn` types, so that it can be printed,
//! diffed (spec-diff compares two `Api`s) and tested on its own.
//! Every name here is final: `rust` names were chosen by `naming` during
//! lowering, `wire` names are what goes over HTTP. Collections are `Vec`s in a
//! deterministic order (types sorted by Rust name, operations in spec order).

use crate::pointer::Pointer;

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
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: Name,
    pub ty: Ty,
    /// Whether the field may be absent and whether it may be `null`: the one
    /// place this is decided (emit, examples and spec-diff all read it).
    pub presence: Presence,
    /// Cycles through this field are broken with a `Box`.
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

/// How a list operation pages: from the generator settings (matched on
/// parameter and field names), or from a convention of the description.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    pub kind: PagingKind,
    /// The type of one item.
    pub item: Ty,
    /// Where the items are in each possible shape of the response.
    pub sources: Vec<PageSource>,
    /// The server serves at most this many results by page number; the
    /// stream ends with an error naming the limit and the hint.
    pub cap: Option<(u64, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PagingKind {
    /// Page numbers: the `page` parameter (an integer of `page_kind`), a
    /// totals flag to set when there is one, and the page size parameter
    /// with the size to send when the caller sets none. Parameters are
    /// indices into [`Operation::params`], as in the variants below. From
    /// the settings, or (`convention`) by Auth0's shape of a page: `page`
    /// from 0 beside `start`, `limit` and `total` ([`crate::lower`]'s
    /// `paging.rs`).
    Offset {
        page_param: usize,
        page_kind: IntKind,
        totals_param: Option<usize>,
        default_size: Option<(usize, u64)>,
        convention: bool,
    },
    /// Cursors: the `from` parameter, and the `take` parameter (an
    /// integer), set to `default_take` when the caller sets none. A page
    /// without a next cursor continues from `item_cursor`, a string field
    /// of the last item (and whether it is optional).
    Checkpoint { from_param: usize, take_param: usize, default_take: Option<u64>, item_cursor: Option<(String, bool)> },
    /// A token each page carries (`PageSource::next_field`) sent back in the
    /// `token_param` query parameter (a generic `next_page`/`cursor` echo).
    /// `only`: later pages send the token and only these parameters, every
    /// other parameter unset (`x-dropshot-pagination`: `limit`). `done`:
    /// a boolean field of the page that ends the stream (Svix's `done`,
    /// Figma's `next_page`), beside the token.
    Token { token_param: usize, only: Option<Vec<usize>>, done: Option<DoneFlag> },
    /// Stripe: while the page's `has_more_field` is true, the next page
    /// starts after the last item's `item_id` string field (and whether it is
    /// optional), sent in the `after_param` query parameter; `more_optional`:
    /// the flag may be absent (absent is false).
    HasMore { after_param: usize, has_more_field: String, more_optional: bool, item_id: ItemId },
    /// A URL of the next page (resolved against the base URL), fetched as is
    /// and only on the base URL's origin: from the response's `Link` header
    /// (`rel="next"`, RFC 8288), or from each page's `PageSource::next_field`.
    NextLink { from: LinkFrom },
    /// Page numbers a description shows without settings, with a body hint.
    PageNumber(PageNumbers),
    /// Offsets with a total (Clerk, Spotify, PagerDuty): each page's offset
    /// is the number of items received so far.
    OffsetTotal(OffsetTotal),
    /// Offsets whose only end is a short page (Clerk's and Mastodon's bare
    /// arrays): each page's offset is the number of items received so far.
    OffsetShort(OffsetShort),
}

/// The type of an offset parameter: an integer, or a number (Clerk's
/// `api_keys`), sent as a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetKind {
    Int(IntKind),
    Float(FloatKind),
}

/// Offset paging without a total or flag: the integer `offset_param` (as
/// in [`OffsetTotal`]) and the integer page size `size_param` (of
/// `size_kind`, `size_bounded` when it has a minimum or maximum); a page
/// shorter than the size sent (or, with none sent, than the largest page
/// read) is the last.
#[derive(Debug, Clone, PartialEq)]
pub struct OffsetShort {
    pub offset_param: usize,
    pub offset_kind: IntKind,
    pub bounded: bool,
    pub size_param: usize,
    pub size_kind: IntKind,
    pub size_bounded: bool,
}

/// A boolean field of a cursor page saying whether the list goes on.
#[derive(Debug, Clone, PartialEq)]
pub struct DoneFlag {
    /// The field's Rust name.
    pub field: String,
    /// Its presence: an absent or `null` flag says nothing.
    pub presence: Presence,
    /// The value that ends the stream: `true` for `done`, `false` for
    /// `has_more` and `next_page`.
    pub stops_on: bool,
}

/// Offset paging: the integer `offset_param` (an index into
/// [`Operation::params`], of `offset_kind`, `bounded` when it has a minimum
/// or maximum) starts at the caller's offset or 0 and grows by each page's
/// items; `total` counts every item (a [`PageHintKind::Total`] hint), and
/// `more` is a boolean field saying whether more follow (PagerDuty). One
/// of them is there; with no total, a page whose flag says nothing (absent
/// or `null`) is the last (PagerDuty's v3 schedules).
#[derive(Debug, Clone, PartialEq)]
pub struct OffsetTotal {
    pub offset_param: usize,
    pub offset_kind: OffsetKind,
    pub bounded: bool,
    pub total: Option<PageHint>,
    pub more: Option<DoneFlag>,
    /// The page's own offset (PagerDuty's `offset`), required when there
    /// is no total: a page echoing another offset than the one sent was
    /// served before, and ends the stream with `Error::PagingRepeated`.
    pub echo: Option<PageHint>,
}

/// Page numbers with a body hint: the `page_param` parameter (an index
/// into [`Operation::params`]; an integer of `page_kind`, `bounded` when it
/// has a minimum or maximum), whose first page is `first_page`, and the
/// body field saying whether another page follows.
#[derive(Debug, Clone, PartialEq)]
pub struct PageNumbers {
    pub page_param: usize,
    pub page_kind: IntKind,
    pub bounded: bool,
    pub first_page: u64,
    pub hint: PageHint,
}

/// The body field of a page-number list that tells whether another page
/// follows: a path of struct fields from the response (`meta.pagination`),
/// ending at an integer or number.
#[derive(Debug, Clone, PartialEq)]
pub struct PageHint {
    pub kind: PageHintKind,
    /// Each field's Rust name and presence, outermost first.
    pub path: Vec<(String, Presence)>,
    /// The path as the description spells it (`meta.next_page`).
    pub wire: String,
}

/// What a page-number hint counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageHintKind {
    /// The next page's number; `null` (or one below the first page) is none.
    Next,
    /// How many pages there are.
    Pages,
    /// How many items there are in every page.
    Total,
}

/// Where a next page's link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkFrom {
    /// The `Link` header's `rel="next"` target.
    Header,
    /// The same, for a GET that does not declare the header but takes the
    /// `page` and `per_page` parameters of GETs that do (GitHub).
    HeaderByExample,
    /// The body field `x-ms-pageable`'s `nextLinkName` names.
    MsPageable,
    /// A body field named like `next_page_uri` or `nextLink` (Twilio).
    Field,
    /// A HAL link: `_links.next.href` in the body (Okta).
    Hal,
}

/// Where an item's id is (Stripe's `starting_after` cursor).
#[derive(Debug, Clone, PartialEq)]
pub enum ItemId {
    /// A string field of the item struct, and whether it is optional.
    Field(String, bool),
    /// The item is a union of structs that all have the field: each
    /// variant, its field and whether it is optional.
    Variants(Vec<(String, String, bool)>),
}

impl PagingKind {
    /// The convention's name, for diagnostics and reports.
    pub fn convention(&self) -> &'static str {
        match self {
            PagingKind::Offset { convention: false, .. } => "page numbers (settings)",
            PagingKind::Offset { convention: true, .. } => "page index with start and total",
            PagingKind::Checkpoint { .. } => "checkpoint (settings)",
            PagingKind::Token { only: Some(_), .. } => "x-dropshot-pagination",
            // With a done flag or without: one convention, a token echoed.
            PagingKind::Token { only: None, .. } => "cursor token",
            PagingKind::HasMore { .. } => "has_more",
            PagingKind::NextLink { from: LinkFrom::Header } => "link header",
            PagingKind::NextLink { from: LinkFrom::HeaderByExample } => "link header by example",
            PagingKind::NextLink { from: LinkFrom::MsPageable } => "x-ms-pageable",
            PagingKind::NextLink { from: LinkFrom::Field } => "next link field",
            PagingKind::NextLink { from: LinkFrom::Hal } => "hal next link",
            PagingKind::PageNumber(_) => "page number",
            PagingKind::OffsetTotal(OffsetTotal { total: Some(_), .. }) => "offset and total",
            PagingKind::OffsetTotal(OffsetTotal { total: None, .. }) => "offset and more flag",
            PagingKind::OffsetShort(_) => "offset and short page",
        }
    }
}

/// One shape of a list response.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSource {
    /// The union variant holding this shape (`None`: the response itself).
    pub variant: Option<String>,
    /// The struct fields leading to the object holding `items_field`
    /// (Spotify's `playlists` paging object inside the page), outermost
    /// first, each with whether it is optional; empty: the page holds it.
    pub items_via: Vec<(String, bool)>,
    /// The struct field holding the items (`None`: the value is the list).
    pub items_field: Option<(String, bool)>,
    /// The struct fields leading to the object that holds `next_field`
    /// (HAL's `_links.next`), outermost first, each with whether it is
    /// optional; empty: the page holds it.
    pub next_via: Vec<(String, bool)>,
    /// The struct field holding the next cursor, and whether it is optional.
    pub next_field: Option<(String, bool)>,
    /// The next cursor field is `Option<Option<String>>` (optional and
    /// nullable, as dropshot's `next_page`).
    pub next_nullable: bool,
    /// The integer field counting every item (`total`, `total_count`), and
    /// whether it is optional: the page's `total()`.
    pub total_field: Option<(String, bool)>,
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
