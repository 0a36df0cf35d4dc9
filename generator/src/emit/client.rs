//! Emitting `client.rs`: the builder's server variables and credentials,
//! and the accessors of the top-level operation groups.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_lines, docs, ident, Cx};
use crate::config::Config;
use crate::ir::{ApiKeyLocation, SecurityKind};

pub(crate) fn emit_client(cx: &Cx<'_>, config: &Config) -> TokenStream {
    let api = cx.api;
    let server = api.servers.first();
    let url = server.map(|s| s.url.clone()).unwrap_or_default();
    let mut vars = TokenStream::new();
    let mut setters = TokenStream::new();
    if let Some(s) = server {
        for v in &s.variables {
            let wire = &v.name.wire;
            let default = &v.default;
            let allowed = &v.allowed;
            vars.extend(quote!((#wire, #default, &[#(#allowed),*]),));
            let setter = ident(&v.name.rust);
            let mut lines = v.description.as_deref().map(doc_lines).unwrap_or_default();
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(format!(
                "Sets the server variable `{{{}}}` of `{}`.",
                super::inline_text(wire),
                super::inline_text(&url)
            ));
            let d = super::doc_attrs(&lines);
            setters.extend(quote! {
                #d
                pub fn #setter(self, value: impl Into<String>) -> Self {
                    self.server_variable(#wire, value)
                }
            });
        }
    }
    setters.extend(credential_setters(api, config));
    let mut groups = TokenStream::new();
    let mut blocking_groups = TokenStream::new();
    // The first operation of each top-level group names it; a set, not a
    // search per operation (40,000 groups took half a minute).
    let mut top: std::collections::BTreeMap<&str, &crate::ir::Name> = std::collections::BTreeMap::new();
    for op in &api.operations {
        if let Some(g) = op.group.first() {
            top.entry(g.rust.as_str()).or_insert(g);
        }
    }
    let top = top.into_values();
    for g in top {
        let m = ident(&g.rust);
        let h = ident(&super::operations::handle_name(std::slice::from_ref(&g.rust)));
        let doc = format!(" The `{}` operations.", super::inline_text(&g.wire));
        let cfg = cx.features.group_cfg(&g.rust);
        groups.extend(quote! {
            #[doc = #doc]
            #cfg
            #[inline]
            pub fn #m(&self) -> crate::operations::#m::#h<'_> {
                crate::operations::#m::#h { client: &self.core }
            }
        });
        blocking_groups.extend(quote! {
            #[doc = #doc]
            #cfg
            #[inline]
            pub fn #m(&self) -> crate::operations::#m::blocking::#h<'_> {
                crate::operations::#m::blocking::#h { client: &self.core }
            }
        });
    }
    let title_docs = docs(
        &crate::ir::Docs {
            summary: Some(format!("A client for {}.", super::inline_text(&api.title))),
            description: None,
            deprecated: false,
        },
        &[],
    );
    let headers = settings_headers(config);
    let url_doc = format!(" The server URL template of the spec: `{}`.", super::inline_text(&url));
    quote! {
        #![doc = " The client's entry points: `Client::builder()` and the operation groups."]
        use crate::runtime as rt;

        #[doc = #url_doc]
        pub const SERVER_URL: &str = #url;

        rt::client_types!();

        impl Client {
            #title_docs
            pub fn builder() -> ClientBuilder {
                ClientBuilder {
                    core: rt::ClientBuilder::new(SERVER_URL, &[#vars], concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                        #headers
                }
            }

            #groups
        }

        impl ClientBuilder {
            #setters
        }

        #[cfg(feature = "blocking")]
        impl BlockingClient {
            #[doc = " A builder; finish it with `build_blocking`."]
            pub fn builder() -> ClientBuilder {
                Client::builder()
            }

            #blocking_groups
        }
    }
}

/// The builder calls for the headers of the settings file: telemetry on
/// every request, the custom domain on the routes that accept it.
fn settings_headers(config: &Config) -> TokenStream {
    let mut headers = TokenStream::new();
    if let Some(h) = &config.settings.telemetry_header {
        headers.extend(quote!(.telemetry_header(#h, env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))));
    }
    if let Some(cd) = &config.settings.custom_domain {
        let h = &cd.header;
        let routes = &cd.routes;
        headers.extend(quote!(.custom_domain_header(#h, &[#(#routes),*])));
    }
    headers
}

/// The builder's credential methods: one per kind of scheme the spec declares.
fn credential_setters(api: &crate::ir::Api, config: &Config) -> TokenStream {
    let mut setters = TokenStream::new();
    let mut seen = BTreeSet::new();
    for scheme in &api.security {
        match &scheme.kind {
            SecurityKind::OAuth2ClientCredentials { token_url, form_parameters }
                if seen.insert("client_credentials") =>
            {
                let keys: Vec<&String> = form_parameters.iter().map(|(k, _)| k).collect();
                let values: Vec<&String> = form_parameters.iter().map(|(_, v)| v).collect();
                let token_url = config.settings.token_url.as_ref().unwrap_or(token_url);
                let doc = format!(" OAuth2 client credentials: tokens come from `{}`, are cached until shortly before they expire, and are refreshed once when the API answers 401.", super::inline_text(token_url));
                let doc2 = " `client_auth` is the client secret (a `&str`, `String` or `Secret`) or a private-key JWT `rt::ClientAssertion`; `token_url`, `token_audience` and `token_organization` change the request.";
                setters.extend(quote! {
                    #[doc = #doc]
                    #[doc = ""]
                    #[doc = #doc2]
                    pub fn client_credentials(self, client_id: impl Into<String>, client_auth: impl Into<rt::ClientAuth>) -> Self {
                        self.client_credentials_at(#token_url, &[#((#keys, #values)),*], client_id, client_auth)
                    }
                });
            }
            SecurityKind::ApiKey { location, name } if seen.insert("api_key_value") => {
                let (loc, variant) = match location {
                    ApiKeyLocation::Header => ("header", quote!(Header)),
                    ApiKeyLocation::Query => ("query", quote!(Query)),
                    ApiKeyLocation::Cookie => ("cookie", quote!(Cookie)),
                };
                let doc = format!(" Sends the API key in the {loc} `{}`.", super::inline_text(name));
                setters.extend(quote! {
                    #[doc = #doc]
                    pub fn api_key_value(self, key: impl Into<rt::Secret>) -> Self {
                        self.api_key(rt::ApiKeyLocation::#variant, #name, key)
                    }
                });
            }
            _ => {}
        }
    }
    setters
}
