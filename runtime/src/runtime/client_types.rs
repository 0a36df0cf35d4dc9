//! The client types a generated crate exports: `Client`, `ClientBuilder`
//! and `BlockingClient`, declared in the generated crate by
//! [`client_types!`](crate::client_types) so that it can add its own
//! methods to them (`Client::builder()`, the operation groups, a setter per
//! server variable). Each wraps the runtime's type of the same name and
//! forwards to it; the methods and their docs live here once.

/// Declares `Client`, `ClientBuilder` and (cargo feature `blocking`)
/// `BlockingClient` in the calling module, over the runtime's types.
#[doc(hidden)]
#[allow(unused_macros)]
#[macro_export] // @crate
macro_rules! client_types {
    () => {
        /// The API client. Cheap to clone; clones share connections, tokens
        /// and the last rate-limit state.
        #[derive(Clone)]
        pub struct Client {
            core: $crate::runtime::Client,
        }

        $crate::runtime::client_types!(@debug Client);

        impl ::std::convert::From<$crate::runtime::Client> for Client {
            #[inline]
            fn from(__core: $crate::runtime::Client) -> Self {
                Client { core: __core }
            }
        }

        impl Client {
            /// A handle whose calls all use `options` (merged over this handle's).
            #[inline]
            pub fn with_options(&self, options: $crate::runtime::RequestOptions) -> Client {
                Client { core: self.core.with_options(options) }
            }

            /// The `X-RateLimit-*` values of the last response that had them.
            #[inline]
            pub fn last_rate_limit(&self) -> ::std::option::Option<$crate::runtime::RateLimit> {
                self.core.last_rate_limit()
            }

            /// Sends a request built by hand (a `runtime::Request`, for a route
            /// the description lacks), retrying as the policy allows.
            pub async fn send(
                &self,
                request: $crate::runtime::Request,
            ) -> ::std::result::Result<$crate::runtime::RawResponse, $crate::runtime::Error<::std::convert::Infallible>>
            {
                self.core.send(request).await
            }

            /// The base URL requests go to.
            #[inline]
            pub fn base_url(&self) -> &$crate::runtime::__private::Url {
                self.core.base_url()
            }
        }

        /// Builds a [`Client`] (or, with the cargo feature `blocking`, a
        /// `BlockingClient`): server URL and variables, credentials, retry
        /// policy, timeouts and limits.
        pub struct ClientBuilder {
            core: $crate::runtime::ClientBuilder,
        }

        $crate::runtime::client_types!(@debug ClientBuilder);

        $crate::runtime::client_types!(@builder
            /// Sets a server variable of the URL template.
            server_variable(name: &str, value: impl Into<String>);
            /// Uses this base URL instead of the spec's server (`http://127.0.0.1:8080/api/v2`).
            base_url(url: impl Into<String>);
            /// Sends `Authorization: Bearer <token>`.
            bearer_token(token: impl Into<$crate::runtime::Secret>);
            /// Gets bearer tokens from `provider`; a 401 asks it once for a new one.
            token_provider(provider: ::std::sync::Arc<dyn $crate::runtime::TokenProvider>);
            /// Sends HTTP basic credentials.
            basic_auth(user: impl Into<String>, password: impl Into<$crate::runtime::Secret>);
            /// Sends an API key in a header, query parameter or cookie; a
            /// name or key that cannot be sent there makes `build` fail.
            api_key(location: $crate::runtime::ApiKeyLocation, name: impl Into<String>, value: impl Into<$crate::runtime::Secret>);
            /// Uses your own `reqwest::Client` (proxies, custom TLS, pools). Its
            /// own timeouts then apply besides ours. Build it with
            /// `.redirect(reqwest::redirect::Policy::none())`: `reqwest` follows
            /// redirects to any host by default and turns a redirected `POST` into
            /// a `GET`; this client follows only the safe ones itself.
            http_client(http: $crate::runtime::__private::HttpClient);
            /// The retry policy: which failures are retried, how often, and the
            /// waits between attempts.
            retry_policy(retry: $crate::runtime::RetryPolicy);
            /// Retries after the first attempt (default 2; 0 turns retries off).
            max_retries(n: u32);
            /// The time one attempt may take (default 60 s).
            timeout(timeout: ::std::time::Duration);
            /// The time a whole call may take, attempts and waits between them
            /// together (default none); `RequestOptions::deadline` overrides it.
            deadline(deadline: ::std::time::Duration);
            /// Follows redirects of GET and HEAD requests to the same origin
            /// (default true). Redirects to another origin, and of any other
            /// method, are never followed: they are returned as
            /// `Error::UnexpectedStatus`, whose `ApiError::location` says where.
            follow_redirects(yes: bool);
            /// The time connecting may take (default 10 s).
            connect_timeout(timeout: ::std::time::Duration);
            /// The `User-Agent` header (default: this crate's name and version).
            user_agent(user_agent: impl Into<String>);
            /// Adds a hook that sees every request before it is sent and every
            /// answer (the operation, method, route, status, attempt).
            hook(hook: ::std::sync::Arc<dyn $crate::runtime::Hook>);
            /// How the client waits between attempts (tokio's timer by default;
            /// tests record or skip the waits).
            sleeper(sleeper: ::std::sync::Arc<dyn $crate::runtime::Sleeper>);
            /// The largest response body read (default 32 MiB).
            max_response_bytes(n: usize);
            /// Names the header that carries idempotency keys (`Idempotency-Key`).
            /// When set, every POST and PATCH gets a fresh key, reused by its
            /// retries, and is retried like an idempotent request.
            idempotency_header(name: $crate::runtime::HeaderName);
            /// Sends the telemetry header (default true, when the API has one):
            /// this crate's name and version and the Rust compiler's version,
            /// nothing about your data.
            telemetry(on: bool);
            /// Adds an entry to the telemetry header's `env` object (the name and
            /// version of your tool, say); a key given twice keeps the last value.
            telemetry_env(key: impl Into<String>, value: impl Into<String>);
            /// Sends this domain in the API's custom-domain header on the endpoints
            /// that accept it (`RequestOptions::custom_domain` sets it per call).
            custom_domain(domain: impl Into<String>);
        );

        // @part oauth
        $crate::runtime::client_types!(@builder
            /// OAuth2 client credentials against `token_url` (relative URLs and
            /// form values starting with `/` are resolved against the server),
            /// authenticated by a client secret or a `runtime::ClientAssertion`.
            client_credentials_at(
                token_url: &str,
                form: &[(&str, &str)],
                client_id: impl Into<String>,
                client_auth: impl Into<$crate::runtime::ClientAuth>
            );
            /// The token endpoint of client credentials, instead of the spec's
            /// (an absolute URL, or a path on the server).
            token_url(url: impl Into<String>);
            /// Sets a form parameter of every token request, replacing one of the
            /// same name: `audience` (the API the token is for), `organization`.
            token_parameter(name: &str, value: impl Into<String>);
            /// The `audience` of client-credentials tokens, instead of the spec's.
            token_audience(audience: impl Into<String>);
            /// The `organization` client-credentials tokens are issued for.
            token_organization(organization: impl Into<String>);
        );
        // @end oauth

        impl ClientBuilder {
            /// Builds the client; fails on a missing or invalid setting (a
            /// server variable without a value, a base URL that is not
            /// http(s), a header that is not valid HTTP).
            #[inline]
            pub fn build(self) -> ::std::result::Result<Client, $crate::runtime::BuildError> {
                self.core.build().map(|__core| Client { core: __core })
            }

            /// Builds a [`BlockingClient`]: the same operations without
            /// `async`, on a runtime the client owns (cargo feature `blocking`).
            #[cfg(feature = "blocking")]
            #[inline]
            pub fn build_blocking(self) -> ::std::result::Result<BlockingClient, $crate::runtime::BuildError> {
                BlockingClient::new(self.build()?)
            }
        }

        /// The client without `async`: the same groups and operations, with
        /// the same arguments and answers, on one current-thread tokio
        /// runtime shared by its clones. Streams are iterators.
        #[cfg(feature = "blocking")]
        #[derive(Clone)]
        pub struct BlockingClient {
            core: $crate::runtime::BlockingClient,
            client: Client,
        }

        #[cfg(feature = "blocking")]
        $crate::runtime::client_types!(@debug BlockingClient);

        #[cfg(feature = "blocking")]
        impl BlockingClient {
            /// A blocking client over `client`, with a runtime of its own.
            #[inline]
            pub fn new(client: Client) -> ::std::result::Result<Self, $crate::runtime::BuildError> {
                let __core = $crate::runtime::BlockingClient::new(client.core.clone())?;
                Ok(BlockingClient { core: __core, client })
            }

            /// The async client this one drives.
            #[inline]
            pub fn client(&self) -> &Client {
                &self.client
            }

            /// A handle whose calls all use `options`, on the same runtime.
            #[inline]
            pub fn with_options(&self, options: $crate::runtime::RequestOptions) -> BlockingClient {
                BlockingClient { core: self.core.with_options(options.clone()), client: self.client.with_options(options) }
            }
        }
    };
    (@debug $name:ident) => {
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.core, f)
            }
        }
    };
    (@builder $($(#[doc = $doc:literal])* $name:ident($($arg:ident: $ty:ty),* $(,)?);)*) => {
        impl ClientBuilder {
            $(
                $(#[doc = $doc])*
                #[inline]
                pub fn $name(self, $($arg: $ty),*) -> Self {
                    ClientBuilder { core: self.core.$name($($arg),*) }
                }
            )*
        }
    };
}
// @embedded #[allow(unused_imports)]
// @embedded pub(crate) use client_types;
