//! The client runtime: HTTP transport, retries, authentication, validation
//! and wire encoding shared by every operation of this crate.
//!
//! A generated crate re-exports this module from the `client-runtime`
//! crate, or carries a copy of it (and then depends on no crate of ours).
//! In a copy, code between a `@part NAME` and an
//! `@end NAME` comment line (and files that are wholly one part) is left
//! out of crates whose description does not use that part (the
//! generator's `ir::RuntimeParts`). Generated operation code only builds a
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
mod client_types;
mod encode;
mod error;
mod fit;
mod formats;
mod json_path;
mod macros;
mod one_pass;
// @part oauth
mod oauth;
// @end oauth
// @part paging
mod paging;
// @end paging
mod request;
mod response;
mod retry;
mod send;
// @part sse
mod sse;
// @end sse
mod structs;
mod tagged;
mod telemetry;
mod validate;

pub use auth::{Secret, TokenError, TokenFuture, TokenProvider};
// The generated crate's `Client`, `ClientBuilder` and `BlockingClient`
// (declared by `client_types!`) wrap these and document their methods.
#[cfg(feature = "blocking")]
#[doc(hidden)]
pub use blocking::BlockingClient;
// @part streams
#[cfg(feature = "blocking")]
pub use blocking::{BlockingIter, InsideRuntime};
// @end streams
#[doc(hidden)]
pub use builder::ClientBuilder;
#[doc(hidden)]
pub use client::Client;
pub use client::{ApiKeyLocation, Hook, RequestOptions, ResponseInfo, Sleeper};
// @part multipart
pub use encode::Multipart;
// @end multipart
pub use encode::ParamStyle;
pub use error::{
    AnyApiError, ApiError, ApiResponse, BuildError, DecodeError, Error, ErrorDetails, OperationError, Result,
    TimeoutKind,
};
// Every public type of `formats` (a new format needs no line here).
pub use formats::*;
// @part streams
pub use futures_util::{Stream, StreamExt};
// @end streams
// @part oauth
pub use oauth::{ClientAssertion, ClientAuth, ClientCredentials, SigningAlgorithm};
// @end oauth
// @part paging
pub use paging::Paged;
// @end paging
pub use request::{BodyArg, BodyFrom, IntoBody, Request};
pub use response::RawResponse;
pub use retry::{RateLimit, RetryPolicy};
// @part sse
pub use sse::{Event, EventError, EventStream, DEFAULT_RECONNECT_WAIT};
// @end sse
pub use tagged::FilePart;
pub use telemetry::rustc_version;
pub use validate::{
    bits, BoundedFloat, BoundedInt, BoundedString, BoundedVec, IntoJsonObject, NoPattern, Pattern, Validate,
    ValidationError, Validator, Violation, NO_MAX, NO_MIN, NO_MULTIPLE,
};

// The macros generated code calls: exported by the runtime crate, and
// used from the module where a generated crate embeds the runtime.
#[doc(hidden)] // @crate
pub use crate::{client_types, int_enum, serde_struct, string_enum}; // @crate

// @embedded #[allow(unused_imports)]
// @embedded pub(crate) use client_types::client_types;
// @embedded #[allow(unused_imports)]
// @embedded pub(crate) use macros::{int_enum, string_enum};
// @embedded #[allow(unused_imports)]
// @embedded pub(crate) use structs::serde_struct;

pub use bytes::Bytes;
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode};

/// What generated code calls and users should not: not part of the API,
/// and free to change with any regeneration.
#[doc(hidden)]
pub mod __private {
    // @part paging
    pub use super::paging::{
        at_url, cursor_pages, next_link, next_offset, offset_pages, token_pages, unknown_items, PageCount, ShortPages,
    };
    // @end paging
    pub use super::fit::Fit;
    pub use super::macros::{borrowed_str, variant_of, wire_of};
    pub use super::one_pass::{
        enabled as one_pass_enabled, object_as, one_pass, try_scalar, Guessed, ObjectVariants, OnePass,
    };
    pub use super::response::from_json_bytes;
    pub use super::structs::{
        deserialize_struct, key_table, put, put_null, put_other, put_some, required, skip, FieldKey, KeepKey, Key,
        MapWriter, VisitStruct,
    };
    pub use super::tagged::{
        from_raw, raw, raw_tag, raw_variant_order, raw_variant_order_by, serialize_tagged, try_raw, unknown,
    };
    pub use super::validate::{checked, unchecked, PatternCell, Unchecked};
    pub use reqwest::Client as HttpClient;
    pub use url::Url;
}
