//! Emitting the crate's `Cargo.toml`, `README.md` and `lib.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::manifest::{manifest, package_metadata, toml_str, LIB_TABLE};
use super::{crate_lints, doc_lines, module_lints, Cx};
use crate::config::{Config, Layout, RuntimeSource};
use crate::file_model::Piece;
use crate::ir::{BodyKind, Operation, SecurityKind};

/// The manifest: the package metadata of the settings (`package.*`), the
/// dependencies of the runtime's parts the crate carries (from the
/// `runtime` crate's manifest), or the runtime crate, and no test targets.
pub(crate) fn cargo_toml(cx: &Cx<'_>, config: &Config) -> String {
    let mut dependencies = match &config.runtime {
        RuntimeSource::Embedded => super::runtime::dependencies_for(cx.api.runtime),
        RuntimeSource::Crate { path } => super::runtime::crate_dependencies(path.as_deref(), toml_str),
    };
    let split = cx.features.parts() > 0;
    let features = if split {
        dependencies.push_str(&super::parts::facade_dependencies(cx, config));
        super::parts::facade_features(cx, config)
    } else {
        features_table(cx, config)
    };
    let workspace = match (config.standalone, split) {
        (false, _) => "",
        (true, false) => "\n[workspace]\n",
        (true, true) => "\n[workspace]\nmembers = [\"crates/*\"]\n",
    };
    manifest(&config.crate_name, config, &package_metadata(&config.settings.package, true), &dependencies, &features)
        + "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"rt\"] }\n"
        + LIB_TABLE
        + workspace
}

/// The `[features]` table: one per operation group, and the runtime's own
/// (`blocking`).
fn features_table(cx: &Cx<'_>, config: &Config) -> String {
    let mut table = cx.features.manifest_table();
    match config.runtime {
        RuntimeSource::Embedded => table.push_str(super::runtime::features().trim_start_matches("[features]\n")),
        RuntimeSource::Crate { .. } => table.push_str(&super::runtime::crate_features()),
    }
    table
}

/// The operation the README and crate docs show.
fn showcase<'a>(cx: &Cx<'a>, config: &Config) -> Option<&'a Operation> {
    let ops = &cx.api.operations;
    if let Some(id) = &config.settings.readme_operation {
        if let Some(op) = ops.iter().find(|o| &o.name.wire == id) {
            return Some(op);
        }
    }
    ops.iter()
        .find(|o| o.body.as_ref().is_some_and(|b| b.contents[0].kind == BodyKind::Json) && o.path.len() > 1)
        .or_else(|| ops.first())
}

/// Example code calling the showcase operation.
fn example(cx: &Cx<'_>, config: &Config) -> Vec<String> {
    let krate = config.crate_name.replace('-', "_");
    let mut builder = String::from("Client::builder()");
    if let Some(s) = cx.api.servers.first() {
        for v in &s.variables {
            let value = if v.default.contains('{') { "example.auth0.com".to_string() } else { v.default.clone() };
            let value = if v.name.wire.to_ascii_lowercase().contains("domain") { value } else { v.default.clone() };
            builder.push_str(&format!("\n    .{}({:?})", v.name.rust, value));
        }
        if s.url.starts_with('/') || s.url.is_empty() {
            builder.push_str("\n    .base_url(\"https://api.example.com\")");
        }
    } else {
        builder.push_str("\n    .base_url(\"https://api.example.com\")");
    }
    if cx
        .api
        .security
        .iter()
        .any(|s| matches!(s.kind, SecurityKind::Bearer | SecurityKind::OAuth2ClientCredentials { .. }))
    {
        builder.push_str("\n    .bearer_token(std::env::var(\"API_TOKEN\")?)");
    }
    builder.push_str("\n    .build()?;");
    let mut res = vec![
        format!("use {krate}::Client;"),
        String::new(),
        "# async fn run() -> Result<(), Box<dyn std::error::Error>> {".into(),
    ];
    res.push(format!("let client = {builder}"));
    if let Some(op) = showcase(cx, config) {
        let call = super::examples::call(cx, op, &krate, "\"auth0|123\"", &config.settings.readme_fields);
        if call.uses_types {
            res[0] = format!("use {krate}::{{types, Client}};");
        }
        res.extend(call.lines);
        res.push("println!(\"{} {:?}\", response.status(), *response);".into());
    }
    res.push("# Ok(())".into());
    res.push("# }".into());
    res
}

pub(crate) fn readme(cx: &Cx<'_>, config: &Config) -> String {
    let api = cx.api;
    let mut out = format!("# {}\n\n", config.crate_name);
    out.push_str(&format!(
        "A typed async Rust client for **{}** (API version {}), generated from `{}`.\n\n",
        super::inline_text(&api.title),
        super::inline_text(&api.version),
        config.spec_label
    ));
    out.push_str(&format!("- {} operations, {} types\n", api.operations.len(), api.types.len()));
    out.push_str("- requests are validated before they are sent; responses are read leniently\n");
    out.push_str("- enums keep values the spec does not list (`Unknown`)\n");
    out.push_str(
        "- retries with backoff that honour `Retry-After` and `X-RateLimit-Reset`; timeouts; tracing spans\n\n",
    );
    out.push_str("## Usage\n\n```rust,no_run\n");
    for l in example(cx, config) {
        // Hidden doctest lines are left out.
        let l = l.strip_prefix("# ").map(|_| None).unwrap_or(Some(l));
        if let Some(l) = l {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out.push_str("```\n\nSee the crate documentation for errors, retries, timeouts and per-request options.\n");
    out
}

/// The crate root: its docs and lints as inner attributes, or, in the
/// single-file layout (where `include!` takes no inner attributes), the
/// lints on each top-level module and no docs (the including crate has
/// its own).
pub(crate) fn lib_rs(cx: &Cx<'_>, config: &Config) -> Vec<Piece> {
    let single = cx.layout == Layout::SingleFile;
    let (top, lints) =
        if single { (TokenStream::new(), module_lints()) } else { (crate_docs(cx, config), TokenStream::new()) };
    let module = |head: TokenStream, file: &str| super::module(cx, quote!(#lints #head), file.to_string());
    // Generated modules are formatted by prettyplease, not rustfmt.
    let mut res = vec![Piece::Items(top), module(quote!(#[rustfmt::skip] mod client), "src/client.rs")];
    let runtime = match config.runtime {
        RuntimeSource::Embedded => module(quote!(pub mod runtime), "src/runtime/mod.rs"),
        RuntimeSource::Crate { .. } => Piece::Items(super::runtime::reexport()),
    };
    if cx.features.parts() > 0 {
        res.push(runtime);
        res.push(Piece::Items(super::parts::facade_modules(cx, config)));
    } else {
        res.push(module(quote!(#[rustfmt::skip] pub mod operations), "src/operations/mod.rs"));
        res.push(runtime);
        res.push(module(quote!(#[rustfmt::skip] pub mod types), "src/types/mod.rs"));
    }
    let prelude = prelude(cx);
    res.push(Piece::Items(quote!(#lints #prelude)));
    res.push(Piece::Items(quote! {
        pub use client::{Client, ClientBuilder, SERVER_URL};
        pub use runtime::{ApiError, ApiResponse, Error};
        pub use runtime::{RateLimit, RequestOptions, RetryPolicy, Secret};
        #[cfg(feature = "blocking")]
        pub use client::BlockingClient;
    }));
    res
}

/// The crate root's inner attributes: its docs and lints.
fn crate_docs(cx: &Cx<'_>, config: &Config) -> TokenStream {
    let api = cx.api;
    let mut lines = vec![format!("A typed client for {}.", super::inline_text(&api.title))];
    if let Some(d) = &api.description {
        lines.push(String::new());
        lines.extend(doc_lines(d));
    }
    lines.push(String::new());
    lines.push(format!("Generated by `{}` from `{}`.", config.command, config.spec_label));
    lines.push(String::new());
    lines.push("# Example".into());
    lines.push(String::new());
    lines.push("```no_run".into());
    lines.extend(example(cx, config).iter().flat_map(|l| l.lines().map(str::to_string)));
    lines.push("```".into());
    lines.extend(guide(api.runtime).lines().map(str::to_string));
    let mut inner = TokenStream::new();
    for l in &lines {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        inner.extend(quote!(#![doc = #l]));
    }
    let lints = crate_lints();
    quote!(#inner #lints)
}

/// `prelude`: one import path for a call's arguments and answers, the
/// types, every params struct (from `operations::<group>`, behind its
/// group's feature) and the client. The crate's `Client` shadows a type of
/// that name (`types::Client`), which stays under `types`.
fn prelude(cx: &Cx<'_>) -> TokenStream {
    let mut by_group: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for op in &cx.api.operations {
        if let (Some(top), Some(ps)) = (op.group.first(), &op.params_struct) {
            let names = by_group.entry(top.rust.as_str()).or_default();
            // The prelude's own names below take precedence (a second `pub use`
            // of one name would not compile); such a struct stays in its group.
            let own = ["Client", "Error", "RequestOptions", "StreamExt"].contains(&ps.as_str());
            if !own && !names.contains(&ps.as_str()) {
                names.push(ps);
            }
        }
    }
    let params = by_group.iter().map(|(group, names)| {
        let cfg = cx.features.group_cfg(group);
        let group = super::ident(group);
        let names = names.iter().map(|n| super::ident(n));
        quote! {
            #cfg
            #[doc(no_inline)]
            pub use crate::operations::#group::{#(#names),*};
        }
    });
    let stream = if cx.api.runtime.paging {
        quote! {
            #[doc(no_inline)]
            pub use crate::runtime::StreamExt;
        }
    } else {
        quote!()
    };
    quote! {
        #[rustfmt::skip]
        pub mod prelude {
            #![doc = " One import for a call: `use <this crate>::prelude::*;` brings the client, every type"]
            #![doc = " of `types` and every params struct of `operations`. The crate's `Client` takes the"]
            #![doc = " name before a type `Client` of the description, which stays `types::Client`."]
            #[doc(no_inline)]
            #[allow(unused_imports)]
            pub use crate::types::*;
            #(#params)*
            #stream
            #[doc(no_inline)]
            pub use crate::{Client, Error, RequestOptions};
        }
    }
}

/// The crate docs after the example, section by section; the parts of the
/// runtime the crate leaves out have none.
fn guide(parts: crate::ir::RuntimeParts) -> String {
    let mut res = vec![SETUP.to_string()];
    if parts.oauth {
        res[0].push_str(OAUTH);
    }
    res.extend([STRICT, ERRORS, RETRIES, TIMEOUTS, PER_REQUEST].map(str::to_string));
    if parts.paging {
        res.push(STREAMS.into());
    }
    if parts.sse {
        res.push(EVENTS.into());
    }
    res.extend([BLOCKING, SECRETS].map(str::to_string));
    format!("\n{}", res.join("\n\n"))
}

const SETUP: &str = "# Setting up a client

`Client::builder()` starts from the description's server URL, with a setter per server
variable; `base_url(..)` replaces it (a proxy, a test server). The builder takes the
credentials (`bearer_token`, or a `TokenProvider` that fetches and refreshes them), the retry
policy, timeouts, hooks and the HTTP client; `build()` checks them. A `Client` is cheap to clone
and is meant to be shared: clones share connections, tokens and the last rate-limit state.";

const OAUTH: &str = "
With client credentials, `client_credentials(id, secret)` (or a signed `ClientAssertion`
instead of the secret: `ClientAssertion::from_pem(SigningAlgorithm::RS256, pem)?`) fetches
tokens from the token endpoint, caches them until shortly before they expire, shares them
between clones and fetches a new one once when a call answers 401; `token_audience`,
`token_organization` and `token_url` adjust the request. A failure is `Error::Auth`.";

const STRICT: &str = "# Requests are strict, responses lenient

Constrained values are types: a string with `minLength`/`maxLength`/`pattern` is a
`runtime::BoundedString`, a bounded number a `runtime::BoundedInt` or `runtime::BoundedFloat`,
`format: hostname` a `runtime::Hostname`. Their constructors check the constraint, and every
request is validated again before any network I/O: an invalid value is never sent, and
`Error::Validation` names the field, the constraint and the value.
Responses are decoded as the server sends them: a value breaking a constraint still decodes,
and `Validate::check` shows the violation. Enums keep unknown values in an `Unknown` variant.
Unset optional fields are left out of request bodies; a field that is both optional and
nullable is an `Option<Option<T>>` (`Some(None)` sends `null`). Unknown properties of a
response are skipped, unless the schema allows additional properties: then they are kept in
`additional_properties` and sent back as they came.

A schema with exactly the shape of another (same fields, names, docs and constraints) is a
`pub type` alias of the first by name, so the crate compiles each shape once.";

const ERRORS: &str = "# Errors

Every operation returns `Result<ApiResponse<T>, Error<E>>`: `ApiResponse` derefs to the
decoded body and carries the status and headers; `E` is the operation's error enum, with a
variant per error status its description lists, each holding an `ApiError` (status, headers,
raw body, the body decoded when it decodes, attempts). A status the description does not list
is `Error::UnexpectedStatus`; transport failures, timeouts, invalid requests, undecodable
success bodies and oversized bodies have their own `Error` variants. Branching needs no match
and no trait import: `err.status()`, `err.is_not_found()`, `err.is_rate_limited()` with
`err.retry_after()`, `err.error_code()` and `err.message()` (from an error body's
`errorCode`/`message`, `error`/`error_description`), `err.attempts()`. `Display` names the
operation, the route template and the status, never a credential; `source()` chains the
cause.";

const RETRIES: &str = "# Retries

GET, HEAD, PUT, DELETE, OPTIONS and TRACE are retried on connection errors, timeouts and
statuses 408, 429, 500, 502, 503, 504. POST and PATCH are retried only when the server cannot
have processed them (a refused connection, 429), unless `RetryPolicy::retry_non_idempotent`,
`RequestOptions::retry_non_idempotent` or an idempotency key says otherwise. The wait is
`Retry-After` (seconds or HTTP date) or, on a 429, `X-RateLimit-Reset` when the server sends them,
else capped exponential backoff with jitter. A server asking for more than
`RetryPolicy::max_retry_after` (60 s) gets its answer returned at once, without a wait
(`ApiError::retry_after` says what it asked for). Two retries by default; a retried request
sends the same bytes.";

const TIMEOUTS: &str = "# Timeouts, deadlines and redirects

`ClientBuilder::timeout` / `RequestOptions::timeout` bound each attempt (60 s by default);
`ClientBuilder::deadline` / `RequestOptions::deadline` bound the whole call, every attempt and
wait together. `Error::Timeout` says which ran out. Redirects are followed only for GET and HEAD
and only to the same origin (`ClientBuilder::follow_redirects`); any other redirect is
`Error::UnexpectedStatus`, whose `ApiError::location` says where it pointed. A method is
never changed.";

const PER_REQUEST: &str = r#"# Per-request options

`client.with_options(RequestOptions::new().header("x-request-id", "abc").timeout(d).retries(0))`
is a client for the calls made through it: extra headers and query parameters (strings; a
header that is not valid HTTP fails the call unsent), the per-attempt timeout, the deadline,
retries, an idempotency key."#;

const STREAMS: &str = "# Streams and pages

A list operation that pages has a `*_stream` method: a `runtime::Paged` stream of every item,
fetching each page as the stream is read. It is `Unpin` (`.next().await` as is, with
`runtime::StreamExt`) and has `try_next` and `try_collect`. A page that fails ends the stream
with its error. One page from the list method reads the same whatever shape the server
answered with: `items()`, `into_items()` and `total()` (when the server sent it).";

const EVENTS: &str = "# Event streams

A `text/event-stream` response is an `EventStream` of typed `Event`s (`id`, `event`, `data`,
`retry`), read as it arrives: the per-attempt timeout bounds only the wait for its headers.
When the connection ends or breaks, a GET stream whose events have ids reconnects by itself
with `Last-Event-ID`, after the server's `retry:` hint (3 s without one; a hint longer than
`RetryPolicy::max_retry_after` ends the stream), at most `max_retries` times in a row without a
new event; a 204 answer ends it. One event may hold at most `ClientBuilder::max_response_bytes`:
a longer one ends the stream with `EventError::TooLarge`. `EventStream::last_event_id` and
`RequestOptions::last_event_id` resume a stream by hand.";

const BLOCKING: &str = "# Blocking client

With the cargo feature `blocking`, `ClientBuilder::build_blocking` gives a `BlockingClient`:
the same groups and operations, with the same arguments and answers, without `async`, for
scripts and command-line tools. Streams are iterators. It owns one current-thread tokio
runtime (shared by its clones), not one per call. Called from inside an async runtime, where
blocking would stall it, a call returns `Error::InvalidRequest` and sends nothing.
Without the feature, none of it is compiled.";

const SECRETS: &str = "# Secrets

Tokens, passwords and client secrets are `Secret`s: `Debug` prints `[redacted]`, and tracing
spans record the operation, method, route template, status, attempt and duration, never
headers or bodies. The `Debug` output of responses and errors prints credential-like headers
(`set-cookie`, `authorization`, names with `token`, `secret`, `session`, `key` or `password`)
as `[redacted]`; `headers()` still returns them as sent.";
