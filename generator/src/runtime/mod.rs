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
mod client;
mod encode;
mod error;
mod formats;
mod macros;
mod paging;
mod retry;
#[doc(hidden)]
pub mod structs;
mod tagged;
mod validate;

pub use auth::{ClientCredentials, Secret, TokenFuture, TokenProvider};
pub use client::{Client, ClientBuilder, Hook, RawResponse, Request, RequestOptions, ResponseInfo, Sleeper};
pub use encode::{Multipart, ParamStyle};
pub use error::{
    AnyApiError, ApiError, ApiResponse, BuildError, DecodeError, Error, ErrorDetails, OperationError, Result,
};
pub use formats::{Base64, Date, DateTime, Email, Hostname, Uri};
pub use futures_util::{Stream, StreamExt};
#[allow(unused_imports)]
pub(crate) use macros::{int_enum, string_enum};
pub use paging::{cursor_pages, offset_pages};
pub use retry::{RateLimit, RetryPolicy};
#[allow(unused_imports)]
pub(crate) use structs::serde_struct;
pub use tagged::{from_value, serialize_tagged, tag, try_variant, variant_order, FilePart};
pub use validate::{
    bits, BoundedFloat, BoundedInt, BoundedString, BoundedVec, NoPattern, Pattern, Validate, ValidationError,
    Validator, Violation, NO_MAX, NO_MIN, NO_MULTIPLE,
};

pub use bytes::Bytes;
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode};
