//! A response before the operation decides what its status means, and
//! how its body is decoded.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::client::Client;
use super::error::{ApiError, ApiResponse, DecodeError, Error};
use super::json_path;
use super::request::Request;
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
            Err((path, message)) => Err(self.decode_error(path, message)),
        }
    }

    /// The error of a body that does not decode (not generic: one copy).
    fn decode_error<E>(self, path: String, message: String) -> Error<E> {
        let message = if self.body.is_empty() { "the body is empty".to_string() } else { message };
        Error::Decode(Box::new(DecodeError {
            status: self.status,
            headers: self.headers,
            body: self.body,
            path,
            message,
        }))
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

/// What resuming a stream takes: the client that sent the request (its
/// options, retry policy, sleeper and size limit) and, when it may be sent
/// again (a GET), the request.
// Read only by event streams, which a crate without them leaves out.
#[allow(dead_code)]
#[derive(Debug)]
pub(crate) struct StreamSource {
    pub(crate) client: Client,
    pub(crate) resend: Option<Request>,
}

/// Decodes `body` as `T` with plain `serde_json`: each response type's
/// `Deserialize` is instantiated once per binary, for one deserializer type,
/// and generic only over `T`, not the operation's error. On failure the path
/// is found from the error's position ([`json_path`](super::json_path)),
/// not tracked while decoding, which would wrap every visitor in a second
/// deserializer type in every binary that decodes. Trailing data after the
/// value is an error, as `from_slice` makes it.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, String)> {
    serde_json::from_slice(body).map_err(|e| (json_path::of_error(body, &e), e.to_string()))
}
