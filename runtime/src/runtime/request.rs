//! A request being built by an operation method: path, query, headers
//! and body, validated as they are added.

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;
use serde::Serialize;

// @part multipart
use super::encode::Multipart;
// @end multipart
use super::encode::{self, ParamStyle};
use super::validate::{Validate, ValidationError, Validator};

/// A request being built by an operation method.
#[derive(Debug)]
pub struct Request {
    pub(super) operation: &'static str,
    pub(super) method: Method,
    pub(super) route: &'static str,
    pub(super) path: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: HeaderMap,
    pub(super) cookies: Vec<String>,
    pub(super) body: Option<(HeaderValue, Bytes)>,
    pub(super) validator: Validator,
    pub(super) encode_error: Option<String>,
    /// The operation lists a 3xx status: redirects are its answers, never
    /// followed.
    pub(super) keep_redirects: bool,
    /// A success body is a stream (`text/event-stream`): it is handed over
    /// unread instead of being read under the timeout.
    pub(super) streaming: bool,
}

impl Request {
    /// A `GET` of `path`, a path of literals (`"/prompts/mfa-push"`), for a
    /// route the description lacks: the route, the path and the operation's
    /// name in traces and errors are all `path`. [`Request::to`] for
    /// another method; [`Request::new`] and [`Request::literal`] for a path
    /// with parameters.
    pub fn get(path: &'static str) -> Self {
        Self::to(Method::GET, path)
    }

    /// A request of `method` for `path`, a path of literals ([`Request::get`]).
    pub fn to(method: Method, path: &'static str) -> Self {
        let mut request = Self::new(method, path, path);
        request.literal(path);
        request
    }

    pub fn new(method: Method, route: &'static str, operation: &'static str) -> Self {
        Request {
            operation,
            method,
            route,
            path: String::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            validator: Validator::for_request(),
            encode_error: None,
            keep_redirects: false,
            streaming: false,
        }
    }

    /// The same request again, to resume an event stream: every part but
    /// the checks, which the first send passed.
    pub(super) fn resend(&self) -> Request {
        Request {
            operation: self.operation,
            method: self.method.clone(),
            route: self.route,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body: self.body.clone(),
            validator: Validator::for_request(),
            encode_error: None,
            keep_redirects: self.keep_redirects,
            streaming: self.streaming,
        }
    }

    /// Hands a success body over unread, as a stream. Used by generated
    /// code for `text/event-stream` responses.
    pub fn streaming(&mut self) {
        self.streaming = true;
    }

    /// Never follows a redirect for this request: its operation lists 3xx
    /// statuses as answers. Used by generated code.
    pub fn keep_redirects(&mut self) {
        self.keep_redirects = true;
    }

    fn encode_failed(&mut self, e: String) {
        self.encode_error.get_or_insert(e);
    }

    /// Appends literal path text from the route.
    pub fn literal(&mut self, s: &str) {
        self.path.push_str(s);
    }

    /// Appends a path parameter, percent-encoded as one segment.
    pub fn path_param<T: Serialize + Validate + ?Sized>(&mut self, name: &str, value: &T) {
        self.validator.field(name, value);
        match encode::to_json(value).map(|v| encode::simple_string(&v)) {
            Ok(Some(s)) if !s.is_empty() => self.path.push_str(&encode::encode_segment(&s)),
            Ok(_) => self.validator.field(name, &NonEmpty),
            Err(e) => self.encode_failed(e),
        }
    }

    /// Adds a path parameter made by a constrained type's `new`: a value
    /// that breaks the constraint is reported like any other violation,
    /// and the request is not sent.
    pub fn checked_path_param<T: Serialize + Validate>(&mut self, name: &str, made: Result<T, ValidationError>) {
        match made {
            Ok(value) => self.path_param(name, &value),
            Err(e) => {
                for mut v in e.violations {
                    v.path = name.to_string();
                    self.validator.push(v);
                }
                self.path.push('_');
            }
        }
    }

    /// Adds a query parameter (nothing when the value is `None`).
    pub fn query<T: Serialize + Validate + ?Sized>(&mut self, name: &str, value: &T, style: ParamStyle) {
        self.validator.field(name, value);
        match encode::to_json(value) {
            Ok(v) => self.query.extend(encode::query_pairs(name, &v, style)),
            Err(e) => self.encode_failed(e),
        }
    }

    /// Adds a header parameter; values with CR, LF or NUL are rejected.
    pub fn header<T: Serialize + Validate + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.validator.field(name, value);
        let text = match encode::to_json(value) {
            Ok(v) => encode::simple_string(&v),
            Err(e) => return self.encode_failed(e),
        };
        let Some(text) = text else { return };
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&text)) {
            (Ok(n), Ok(v)) if !text.contains(['\r', '\n', '\0']) => {
                self.headers.append(n, v);
            }
            _ => self.validator.field(name, &HeaderText),
        }
    }

    /// Adds a cookie parameter.
    pub fn cookie<T: Serialize + Validate + ?Sized>(&mut self, name: &str, value: &T) {
        self.validator.field(name, value);
        match encode::to_json(value).map(|v| encode::simple_string(&v)) {
            Ok(Some(text)) => {
                let enc = percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC).to_string();
                self.cookies.push(format!("{name}={enc}"));
            }
            Ok(None) => {}
            Err(e) => self.encode_failed(e),
        }
    }

    /// Validates a value (parameters structs) without encoding it.
    pub fn validate<T: Validate + ?Sized>(&mut self, value: &T) {
        value.validate(&mut self.validator);
    }

    fn set_body(&mut self, content_type: &str, bytes: Vec<u8>) {
        match HeaderValue::from_str(content_type) {
            Ok(ct) => self.body = Some((ct, Bytes::from(bytes))),
            Err(_) => self.encode_failed(format!("invalid content type {content_type:?}")),
        }
    }

    /// A JSON body (validated as a request).
    pub fn json<T: Serialize + Validate + ?Sized>(&mut self, content_type: &str, body: &T) {
        body.validate(&mut self.validator);
        match serde_json::to_vec(body) {
            Ok(bytes) => self.set_body(content_type, bytes),
            Err(e) => self.encode_failed(format!("cannot encode body: {e}")),
        }
    }

    /// A JSON body made by a constrained type's `new` (a list body with
    /// bounds, or of constrained items): a value that breaks a constraint is
    /// reported like any other violation, and the request is not sent.
    pub fn checked_json<T: Serialize + Validate>(&mut self, content_type: &str, made: Result<T, ValidationError>) {
        match made {
            Ok(body) => self.json(content_type, &body),
            Err(e) => e.violations.into_iter().for_each(|v| self.validator.push(v)),
        }
    }

    /// The body an operation method was given ([`IntoBody`]): what it
    /// sends, or `None` when making it broke a constraint, reported like any
    /// other violation so that the request is not sent.
    pub fn body_arg<'a, T>(&mut self, made: Result<BodyArg<'a, T>, ValidationError>) -> Option<BodyArg<'a, T>> {
        match made {
            Ok(body) => Some(body),
            Err(e) => {
                e.violations.into_iter().for_each(|v| self.validator.push(v));
                None
            }
        }
    }

    /// An `application/x-www-form-urlencoded` body.
    pub fn form<T: Serialize + Validate + ?Sized>(&mut self, body: &T) {
        body.validate(&mut self.validator);
        match encode::to_json(body).and_then(|v| encode::form_body(&v)) {
            Ok(text) => self.set_body("application/x-www-form-urlencoded", text.into_bytes()),
            Err(e) => self.encode_failed(e),
        }
    }

    // @part multipart
    /// A `multipart/form-data` body: every field of `body` as a text part
    /// except `files`, which the caller added to `parts`.
    pub fn multipart<T: Serialize + Validate + ?Sized>(&mut self, body: &T, mut parts: Multipart, files: &[&str]) {
        body.validate(&mut self.validator);
        match encode::to_json(body) {
            Ok(v) => {
                parts.fields(&v, files);
                let (ct, bytes) = parts.finish();
                self.set_body(&ct, bytes);
            }
            Err(e) => self.encode_failed(e),
        }
    }
    // @end multipart

    /// A raw body.
    pub fn bytes(&mut self, content_type: &str, body: impl Into<Bytes>) {
        match HeaderValue::from_str(content_type) {
            Ok(ct) => self.body = Some((ct, body.into())),
            Err(_) => self.encode_failed(format!("invalid content type {content_type:?}")),
        }
    }
}

/// A marker that reports an empty path parameter.
struct NonEmpty;

impl Validate for NonEmpty {
    fn validate(&self, v: &mut Validator) {
        v.fail("a non-empty path segment", "an empty value".to_string());
    }
}

/// A marker that reports a header value with control characters.
struct HeaderText;

impl Validate for HeaderText {
    fn validate(&self, v: &mut Validator) {
        v.fail("a header value without CR, LF or control characters", "a value with them".to_string());
    }
}

/// What an operation takes as its request body `B`: the body by value or
/// by reference, or, for a body of one required string or list, that
/// string or list (`client.users().roles().assign(id, roles)`), the other
/// fields then unset. A value that breaks a constraint is reported when the
/// request is sent, which it then is not. Implemented through
/// [`BodyFrom`], as `Into` is through `From`.
pub trait IntoBody<'a, B> {
    /// The body, or the constraints making it broke.
    fn into_body(self) -> Result<BodyArg<'a, B>, ValidationError>;
}

/// A body made from a `T` ([`IntoBody`]); generated code implements it
/// for a body's one string or list.
pub trait BodyFrom<'a, T>: Sized {
    /// The body, or the constraints making it broke.
    fn body_from(value: T) -> Result<BodyArg<'a, Self>, ValidationError>;
}

impl<'a, T, B: BodyFrom<'a, T>> IntoBody<'a, B> for T {
    #[inline]
    fn into_body(self) -> Result<BodyArg<'a, B>, ValidationError> {
        B::body_from(self)
    }
}

/// A body given by reference or by value ([`IntoBody`]).
#[derive(Debug)]
pub enum BodyArg<'a, B> {
    Borrowed(&'a B),
    Owned(B),
}

impl<B> std::ops::Deref for BodyArg<'_, B> {
    type Target = B;

    fn deref(&self) -> &B {
        match self {
            BodyArg::Borrowed(body) => body,
            BodyArg::Owned(body) => body,
        }
    }
}

impl<'a, B: Validate> BodyFrom<'a, &'a B> for B {
    #[inline]
    fn body_from(value: &'a B) -> Result<BodyArg<'a, B>, ValidationError> {
        Ok(BodyArg::Borrowed(value))
    }
}

impl<'a, B: Validate> BodyFrom<'a, B> for B {
    #[inline]
    fn body_from(value: B) -> Result<BodyArg<'a, B>, ValidationError> {
        Ok(BodyArg::Owned(value))
    }
}
