//! The client runtime: HTTP transport, retries, authentication, validation
//! and wire encoding shared by every operation of this crate.
//!
//! This module is copied verbatim into every generated crate, so a generated
//! client depends on no crate of ours. Generated operation code only builds a
//! [`Request`] and matches on the status of the [`RawResponse`].

// `Error` carries the whole response (status, headers, body) by value so
// callers can match on it; boxing it would cost an allocation per error and a
// less direct API.
#![allow(clippy::result_large_err)]

mod auth;
#[cfg(feature = "blocking")]
mod blocking;
mod builder;
mod client;
mod encode;
mod error;
mod formats;
mod macros;
mod paging;
mod request;
mod response;
mod retry;
mod send;
mod sse;
mod structs;
mod tagged;
mod telemetry;
mod validate;

pub use auth::{
    ClientAssertion, ClientAuth, ClientCredentials, Secret, SigningAlgorithm, TokenError, TokenFuture, TokenProvider,
};
#[cfg(feature = "blocking")]
pub use blocking::{BlockingClient, BlockingIter, InsideRuntime};
pub use builder::ClientBuilder;
pub use client::{Client, Hook, RequestOptions, ResponseInfo, Sleeper};
pub use encode::{Multipart, ParamStyle};
pub use error::{
    AnyApiError, ApiError, ApiResponse, BuildError, DecodeError, Error, ErrorDetails, OperationError, Result,
    TimeoutKind,
};
pub use formats::{Base64, Date, DateTime, Email, Hostname, Uri};
pub use futures_util::{Stream, StreamExt};
#[allow(unused_imports)]
pub(crate) use macros::{int_enum, string_enum};
pub use paging::Paged;
pub use request::Request;
pub use response::RawResponse;
pub use retry::{RateLimit, RetryPolicy};
pub use sse::{Event, EventError, EventStream, DEFAULT_RECONNECT_WAIT};
#[allow(unused_imports)]
pub(crate) use structs::serde_struct;
pub use tagged::FilePart;
pub use telemetry::rustc_version;
pub use validate::{
    bits, BoundedFloat, BoundedInt, BoundedString, BoundedVec, NoPattern, Pattern, Validate, ValidationError,
    Validator, Violation, NO_MAX, NO_MIN, NO_MULTIPLE,
};

pub use bytes::Bytes;
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode};

/// What generated code calls and users should not: not part of the API,
/// and free to change with any regeneration.
#[doc(hidden)]
pub mod __private {
    pub use super::paging::{at_url, cursor_pages, next_link, offset_pages, token_pages};
    pub use super::structs::{count, put, put_some, required, skip, write, write_some, FieldKey};
    pub use super::tagged::{from_value, serialize_tagged, tag, try_variant, variant_order};
    pub use super::validate::checked;
}
