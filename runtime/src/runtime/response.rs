//! A response before the operation decides what its status means, and
//! how its body is decoded.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::client::StreamSource;
use super::error::{ApiError, ApiResponse, DecodeError, Error};
use super::json_path;
// @part sse
use super::sse::EventStream;
// @end sse

/// A response before the operation decides what its status means.
#[derive(Debug)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body; empty while `stream` holds it unread.
    pub body: Bytes,
    pub attempts: u32,
    /// The unread body of a success to a streaming request.
    // Read only by event streams, which a crate without them leaves out.
    #[allow(dead_code)]
    pub(crate) stream: Option<reqwest::Response>,
    /// How the stream resumes, and its limits.
    pub(crate) source: Option<StreamSource>,
    /// The operation's id and route template, for errors.
    pub(crate) operation: &'static str,
    pub(crate) route: &'static str,
}

impl RawResponse {
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes a JSON body; the error names the path that failed.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<ApiResponse<T>, Error<E>> {
        match decode::<T>(&self.body) {
            Ok(v) => Ok(ApiResponse::new(self.status, self.headers, v)),
            Err((path, message)) => Err(self.decode_error(short_type_name(std::any::type_name::<T>()), path, message)),
        }
    }

    /// The error of a body that does not decode (not generic: one copy).
    fn decode_error<E>(self, type_name: String, path: String, message: String) -> Error<E> {
        let message = if self.body.is_empty() { "the body is empty".to_string() } else { message };
        Error::Decode(Box::new(DecodeError {
            status: self.status,
            headers: self.headers,
            body: self.body,
            type_name,
            path,
            message,
        }))
    }

    /// A success status the operation does not list (Auth0 answers 200
    /// where the description lists 201, say): the server acted, so the
    /// call is not an error. Logs a warning naming the operation, route and
    /// status, and hands the response on to be read as the operation's
    /// success.
    pub fn undeclared(self) -> Self {
        tracing::warn!(
            operation = self.operation,
            route = self.route,
            status = self.status.as_u16(),
            "the server answered with a success status the description does not list for this operation; \
             reading it as the nearest listed success"
        );
        self
    }

    /// An undeclared success of an operation with several success bodies:
    /// read as the success of the nearest listed status (`listed[i]` is
    /// read by `reads[i]`), then as each other in spec order; the first
    /// that reads wins, else the nearest one's error. An empty body is read
    /// by a bodiless success first, when there is one (`bodiless`).
    pub fn undeclared_any<T, E>(
        self,
        listed: &[u16],
        bodiless: Option<usize>,
        reads: &[Read<T, E>],
    ) -> Result<ApiResponse<T>, Error<E>> {
        let this = self.undeclared();
        let order = nearest_first(this.status.as_u16(), listed, if this.body.is_empty() { bodiless } else { None });
        let mut first_error = None;
        for i in order {
            let Some(read) = reads.get(i) else { continue };
            match read(this.duplicate()) {
                Ok(v) => return Ok(v),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Err(this.decode_error(String::new(), String::new(), "no reader for this success status".into())),
        }
    }

    /// A copy of a response whose body was read (not a streaming one).
    fn duplicate(&self) -> RawResponse {
        RawResponse {
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.clone(),
            attempts: self.attempts,
            stream: None,
            source: None,
            operation: self.operation,
            route: self.route,
        }
    }

    /// The JSON body of a success to a request sent by hand
    /// ([`Client::send`](super::Client)): a status that is not 2xx is
    /// [`Error::UnexpectedStatus`] with the raw body, a body that does not
    /// decode as `T` is [`Error::Decode`] with its JSON path.
    pub fn into_json<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error<std::convert::Infallible>> {
        if self.status.is_success() {
            self.json()
        } else {
            Err(self.unexpected())
        }
    }

    /// A response whose body is ignored.
    pub fn empty<E>(self) -> Result<ApiResponse<()>, Error<E>> {
        Ok(ApiResponse::new(self.status, self.headers, ()))
    }

    /// A text body; invalid UTF-8 is a decode error.
    pub fn text<E>(self) -> Result<ApiResponse<String>, Error<E>> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(s) => Ok(ApiResponse::new(self.status, self.headers, s)),
            Err(e) => Err(Error::Decode(Box::new(DecodeError {
                status: self.status,
                headers: self.headers,
                body: self.body,
                type_name: "String".into(),
                path: String::new(),
                message: format!("body is not valid utf-8: {e}"),
            }))),
        }
    }

    /// A binary body.
    pub fn bytes<E>(self) -> Result<ApiResponse<Bytes>, Error<E>> {
        Ok(ApiResponse::new(self.status, self.headers, self.body))
    }

    // @part sse
    /// A `text/event-stream` body as typed events, read as they arrive
    /// (`type_field`: see [`EventStream`]).
    pub fn event_stream<T: DeserializeOwned + Send + 'static, E>(
        self,
        type_field: Option<&'static str>,
    ) -> Result<ApiResponse<EventStream<T>>, Error<E>> {
        let events = match self.stream {
            Some(resp) => EventStream::resuming(resp, self.source, type_field),
            // A body that was read already (within the size limit): its
            // events all at once.
            None => EventStream::new(futures_util::stream::iter([Ok(self.body)]), type_field),
        };
        Ok(ApiResponse::new(self.status, self.headers, events))
    }
    // @end sse

    /// An error status the spec lists, decoded leniently as `T`. The
    /// variant is a function pointer, not generic: one copy per operation
    /// error type rather than one per variant.
    pub fn error<T: DeserializeOwned, E>(self, variant: fn(Box<ApiError<T>>) -> E) -> Error<E> {
        Error::Api(variant(self.api_error()))
    }

    /// A status the spec does not list.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(self.api_error())
    }

    fn api_error<T: DeserializeOwned>(self) -> Box<ApiError<T>> {
        let operation = (self.operation, self.route);
        Box::new(ApiError::from_parts(self.status, self.headers, self.body, self.attempts, operation))
    }
}

/// How an operation with several success bodies reads one of them.
pub type Read<T, E> = fn(RawResponse) -> Result<ApiResponse<T>, Error<E>>;

/// The order in which an undeclared success `status` is read: the listed
/// status nearest to it first (the lower on a tie), then the others in
/// spec order; `first`, when given, before all of them.
fn nearest_first(status: u16, listed: &[u16], first: Option<usize>) -> Vec<usize> {
    let nearest = (0..listed.len()).min_by_key(|&i| (listed[i].abs_diff(status), listed[i]));
    let mut order: Vec<usize> = first.into_iter().chain(nearest).collect();
    for i in 0..listed.len() {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    order
}

/// `auth0_management_api::types::t_u::User` as `User`, for messages:
/// every path keeps its last segment (`alloc::vec::Vec<a::User>` is
/// `Vec<User>`).
fn short_type_name(full: &str) -> String {
    let mut out = String::with_capacity(full.len());
    let mut segment = 0;
    let mut chars = full.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            out.truncate(segment);
        } else {
            out.push(c);
            if !(c.is_alphanumeric() || c == '_') {
                segment = out.len();
            }
        }
    }
    out
}

/// Decodes `body` as `T` with `serde_json` (unions in one pass where they
/// can, [`one_pass`](super::one_pass)): each response type's
/// `Deserialize` is instantiated once per binary, for one deserializer type,
/// and generic only over `T`, not the operation's error. On failure the path
/// is found from the error's position ([`json_path`](super::json_path)),
/// not tracked while decoding, which would wrap every visitor in a second
/// deserializer type in every binary that decodes. Trailing data after the
/// value is an error, as `from_slice` makes it.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, String)> {
    super::one_pass::from_str(utf8(body)?).map_err(|e| (json_path::of_error(body, &e), e.to_string()))
}

/// Decodes JSON text as the client decodes a body: the UTF-8 of the whole
/// body is checked once, in one pass, and the text is then read as a
/// `str`. `serde_json::from_slice` checks every string on its own as it
/// reads it (a tenth of the time of a typed decode), and the text of
/// every union value again when it is captured. Used by the decode bench
/// (`cargo xtask bench --decode`), so that it times this path.
pub fn from_json_bytes<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    match utf8(body) {
        Ok(text) => super::one_pass::from_str(text),
        Err((_, message)) => Err(serde::de::Error::custom(message)),
    }
}

/// `body` as text, or the path and message of a body that is not UTF-8
/// (so not JSON), placed at the first byte that is not: `invalid unicode
/// code point at line L column C`, as `serde_json` words it (its column
/// counts bytes).
fn utf8(body: &[u8]) -> Result<&str, (String, String)> {
    let at = match std::str::from_utf8(body) {
        Ok(text) => return Ok(text),
        Err(e) => e.valid_up_to(),
    };
    let line_start = body[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = body[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let message = format!("invalid unicode code point at line {line} column {}", at - line_start + 1);
    Err((json_path::of_offset(body, at), message))
}

#[cfg(test)]
mod tests;
