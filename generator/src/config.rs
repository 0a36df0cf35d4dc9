//! Generation settings: what the caller decides, not what the spec says.

/// Settings for one generation run. There is deliberately no `Default`: every
/// caller says what it wants (rust-analyzer's style).
#[derive(Debug, Clone)]
pub struct Config {
    /// Name of the generated crate (`auth0-management-api`).
    pub crate_name: String,
    /// Version written into the generated `Cargo.toml`.
    pub crate_version: String,
    /// How the spec is named in file headers (`spec/openapi.yaml`).
    pub spec_label: String,
    /// The command that regenerates the output, written in every header.
    pub command: String,
    /// Add an empty `[workspace]` table so the crate builds outside ours.
    pub standalone: bool,
    /// What the spec cannot say, from the settings file (`spec/codegen.yaml`).
    pub settings: Settings,
    /// Where the generated crate's runtime comes from.
    pub runtime: RuntimeSource,
    /// Split the client into this many crates of whole operation groups
    /// (under `crates/`, with one of shared types), which the crate itself
    /// depends on and re-exports: they build in parallel, and a change
    /// rebuilds only its part. At most one part per two groups; 0 or 1, or
    /// a client with fewer than four groups: one crate. Only with
    /// [`RuntimeSource::Crate`] and [`Layout::Crate`].
    pub parts: usize,
    /// A crate folder, or the crate as one file for a build script.
    pub layout: Layout,
}

/// How the generated code is laid out: chosen here once, read by emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A crate folder: `Cargo.toml`, `README.md`, a file per module.
    Crate,
    /// The crate's Rust code as one file (`src/lib.rs`, see
    /// [`crate::Output::single_file`]) for a build script to write into
    /// `OUT_DIR` and a crate to `include!` at its root: every module inline,
    /// no inner attributes at the top (`include!` takes none; the crate's
    /// lints are outer attributes of each top-level module, its docs are
    /// left out) and no group features (everything is in, as with `full`:
    /// the including crate has none of them). The runtime's own features
    /// (`blocking`, [`crate::runtime_features`]) stay: the including crate
    /// declares them. Generated code names items by `crate::` paths, so the
    /// file must be included at a crate root.
    SingleFile,
}

/// Where a generated crate's runtime comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RuntimeSource {
    /// Its sources are copied into the crate as the `runtime` module, cut
    /// down to the parts the description uses: the crate depends on no
    /// crate of ours and builds anywhere.
    #[default]
    Embedded,
    /// The crate depends on the runtime crate (`client-runtime`, the
    /// generator's own version exactly), found at `path` (relative to the
    /// generated crate, or absolute) when given, else on the registry. It
    /// is built once, as a dependency, and shared by every client that
    /// uses it.
    Crate { path: Option<String> },
}

/// The generator settings file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub paging: PagingConfig,
    /// The `operationId` the README and crate docs show (`readme.operation`).
    pub readme_operation: Option<String>,
    /// Body fields the example sets besides the required ones, as
    /// (wire name, string value) (`readme.fields`).
    pub readme_fields: Vec<(String, String)>,
    /// A header naming the client on every request (`telemetry.header`):
    /// base64url JSON of the crate's name and version and the compiler's.
    pub telemetry_header: Option<String>,
    /// A header carrying the caller's custom domain, sent only on the
    /// routes listed (`custom_domain.header`, `custom_domain.routes`).
    pub custom_domain: Option<CustomDomainConfig>,
    /// The client-credentials token endpoint, instead of the description's
    /// `tokenUrl` (`client_credentials.token_url`).
    pub token_url: Option<String>,
    /// The field of an event's JSON `data` that gets the SSE `event` name
    /// when the data lacks it (`event_stream.type_field`).
    pub event_type_field: Option<String>,
    /// What the generated manifest says about the package (`package`).
    pub package: PackageSettings,
    /// Overlay documents applied to the description before lowering, in
    /// order: those the settings file lists (`overlays`), then those of the
    /// command line (`--overlay`). See [`crate::overlay`].
    pub overlays: Vec<OverlayFile>,
}

/// An OpenAPI Overlay document to apply to the description.
///
/// The library does no IO, so a settings file gives only its path:
/// [`crate::write::read_settings`] reads the files it lists (relative to
/// the settings file) and [`crate::write::read_overlay`] one named on a
/// command line; a caller with the bytes at hand sets them itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayFile {
    /// The path as written (in the settings file, relative to its folder;
    /// on a command line, as given); it names the overlay in messages.
    pub path: String,
    /// The document, YAML or JSON; `None` until it is read. Applying an
    /// overlay that was not read is an error, never a silent skip.
    pub bytes: Option<Vec<u8>>,
}

/// The generated `Cargo.toml`'s package metadata, for publishing
/// (`package.*`). Without `publish: true` the crate is `publish = false`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageSettings {
    pub description: Option<String>,
    pub repository: Option<String>,
    pub documentation: Option<String>,
    pub homepage: Option<String>,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
    pub publish: bool,
}

impl PackageSettings {
    /// Reads and checks `package` by the registry's rules: URLs are https,
    /// at most five keywords (ASCII, at most 20 characters, starting with a
    /// letter) and five categories.
    fn read(doc: &crate::value::Value, diags: &mut crate::diag::Diagnostics) -> Self {
        let Some(p) = doc.get("package") else { return Self::default() };
        let text = |key: &str| p.get(key).and_then(crate::value::Value::as_str).map(str::to_string);
        let list = |key: &str| -> Vec<String> {
            p.get(key)
                .and_then(crate::value::Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let res = PackageSettings {
            description: text("description"),
            repository: text("repository"),
            documentation: text("documentation"),
            homepage: text("homepage"),
            keywords: list("keywords"),
            categories: list("categories"),
            publish: p.get("publish").and_then(crate::value::Value::as_bool).unwrap_or(false),
        };
        for (key, url) in
            [("repository", &res.repository), ("documentation", &res.documentation), ("homepage", &res.homepage)]
        {
            if url.as_ref().is_some_and(|u| !u.starts_with("https://") || u.contains(char::is_whitespace)) {
                diags.error(format!("#/package/{key}"), "expected an https URL");
            }
        }
        for (key, items) in [("keywords", &res.keywords), ("categories", &res.categories)] {
            if items.len() > 5 {
                diags.error(format!("#/package/{key}"), format!("at most 5 {key}, found {}", items.len()));
            }
        }
        for (i, k) in res.keywords.iter().enumerate() {
            let ok = k.len() <= 20
                && k.starts_with(|c: char| c.is_ascii_alphabetic())
                && k.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_+".contains(&b));
            if !ok {
                diags.error(
                    format!("#/package/keywords/{i}"),
                    "expected a keyword of at most 20 ASCII letters, digits, `-`, `_` or `+`, starting with a letter",
                );
            }
        }
        if res.description.as_ref().is_some_and(|d| d.trim().is_empty()) {
            diags.error("#/package/description", "expected a description");
        }
        res
    }
}

/// The custom-domain header and the routes that accept it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomDomainConfig {
    pub header: String,
    /// Route templates as the spec writes them; parameter names may differ.
    pub routes: Vec<String>,
}

impl Settings {
    /// Reads a settings file (see `spec/codegen.yaml`).
    pub fn from_yaml(file: &str, text: &str) -> Result<Self, crate::diag::Diagnostics> {
        // Every key is known and of its type before any is read.
        let doc = crate::load::load(file, text.as_bytes())?;
        let mut keys = crate::diag::Diagnostics::new(file);
        crate::settings_keys::check(text, &doc, &mut keys);
        if keys.has_errors() {
            keys.finish();
            return Err(keys);
        }
        let paging = PagingConfig::from_settings(file, text)?;
        let doc = crate::load::load(file, text.as_bytes())?;
        let readme_operation = doc
            .get("readme")
            .and_then(|r| r.get("operation"))
            .and_then(crate::value::Value::as_str)
            .map(str::to_string);
        let readme_fields = doc
            .get("readme")
            .and_then(|r| r.get("fields"))
            .and_then(crate::value::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|f| Some((f.get("field")?.as_str()?.to_string(), f.get("value")?.as_str()?.to_string())))
            .collect();
        let mut diags = crate::diag::Diagnostics::new(file);
        let header_name = |v: Option<&crate::value::Value>, at: &str, diags: &mut crate::diag::Diagnostics| {
            let name = v.and_then(crate::value::Value::as_str);
            match name {
                Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b)) => {
                    Some(n.to_string())
                }
                _ => {
                    diags.error(at, "expected a header name (letters, digits, `-` and `_`)");
                    None
                }
            }
        };
        let telemetry_header = match doc.get("telemetry") {
            None => None,
            Some(t) => header_name(t.get("header"), "#/telemetry/header", &mut diags),
        };
        let custom_domain = match doc.get("custom_domain") {
            None => None,
            Some(c) => {
                let header = header_name(c.get("header"), "#/custom_domain/header", &mut diags);
                let mut routes = Vec::new();
                match c.get("routes").and_then(crate::value::Value::as_array) {
                    Some(list) => {
                        for (i, r) in list.iter().enumerate() {
                            match r.as_str() {
                                Some(r) if r.starts_with('/') => routes.push(r.to_string()),
                                _ => diags
                                    .error(format!("#/custom_domain/routes/{i}"), "expected a route starting with `/`"),
                            }
                        }
                    }
                    None => diags.error("#/custom_domain/routes", "expected a list of routes"),
                }
                header.map(|header| CustomDomainConfig { header, routes })
            }
        };
        let token_url = match doc.get("client_credentials").map(|c| c.get("token_url")) {
            None => None,
            Some(Some(v)) if v.as_str().is_some_and(|u| u.starts_with('/') || u.starts_with("https://")) => {
                v.as_str().map(str::to_string)
            }
            Some(_) => {
                diags.error("#/client_credentials/token_url", "expected a path starting with `/` or an https URL");
                None
            }
        };
        let event_type_field = match doc.get("event_stream").map(|e| e.get("type_field")) {
            None => None,
            Some(Some(v)) if v.as_str().is_some_and(|f| !f.is_empty()) => v.as_str().map(str::to_string),
            Some(_) => {
                diags.error("#/event_stream/type_field", "expected a field name");
                None
            }
        };
        let package = PackageSettings::read(&doc, &mut diags);
        let overlays = overlay_paths(&doc, &mut diags);
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Settings {
            paging,
            readme_operation,
            readme_fields,
            telemetry_header,
            custom_domain,
            token_url,
            event_type_field,
            package,
            overlays,
        })
    }
}

/// The `overlays` of a settings file: paths, not yet read.
fn overlay_paths(doc: &crate::value::Value, diags: &mut crate::diag::Diagnostics) -> Vec<OverlayFile> {
    let Some(list) = doc.get("overlays").and_then(crate::value::Value::as_array) else { return Vec::new() };
    let mut res = Vec::new();
    for (i, v) in list.iter().enumerate() {
        match v.as_str() {
            Some(p) if !p.trim().is_empty() => res.push(OverlayFile { path: p.to_string(), bytes: None }),
            _ => diags.error(format!("#/overlays/{i}"), "expected the path of an overlay document"),
        }
    }
    res
}

/// Names of the parameters and fields that drive paging. The OpenAPI
/// description cannot say how an API pages, so a settings file does
/// (`spec/codegen.yaml`); no operation name is hard-coded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PagingConfig {
    /// Page-number paging: `(page, per_page)` query parameter names, and
    /// a boolean parameter that asks for totals (`include_totals`).
    pub offset: Option<(String, String, Option<String>)>,
    /// Cursor paging: `(from, take)` query parameters and the response
    /// field holding the next cursor (`next`).
    pub checkpoint: Option<(String, String, String)>,
    /// The page size a checkpoint stream sends when the caller sets none
    /// (`checkpoint.default_take`): Auth0 pages by cursor only when `from`
    /// or `take` is sent, and answers with one offset page otherwise.
    pub default_take: Option<u64>,
    /// Item fields, tried in order, whose last value is the next cursor of
    /// lists whose pages carry none (`checkpoint.item_cursor`: Auth0's logs
    /// continue from the last `log_id`, event-stream deliveries from the
    /// last `id`).
    pub item_cursor: Vec<String>,
    /// The page size a page-number stream sends when the caller sets none
    /// (`offset.default_per_page`): some Auth0 lists do not page at all
    /// without `per_page`.
    pub default_per_page: Option<u64>,
    /// Routes whose page-number paging stops at a number of results
    /// (`result_caps`), with what to do instead.
    pub result_caps: Vec<ResultCap>,
    /// Routes whose page size is at most this (`page_size_caps`): the
    /// default `take`/`per_page` a stream sends is lowered to it (Auth0's
    /// connected accounts: "a maximum of 20" in the description, though
    /// the schema allows 100).
    pub page_size_caps: Vec<(String, u64)>,
}

/// A server-side limit on how far page-number paging goes (Auth0 serves
/// the first 1,000 results of `GET /users`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultCap {
    /// The route as written in the spec (`/users`).
    pub route: String,
    pub limit: u64,
    /// What to do instead, ending the stream's error message.
    pub hint: String,
}

impl PagingConfig {
    /// Reads the `paging` section of a settings file:
    ///
    /// ```yaml
    /// paging:
    ///   offset: { page: page, per_page: per_page, include_totals: include_totals }
    ///   checkpoint: { from: from, take: take, next: next }
    /// ```
    pub fn from_settings(file: &str, text: &str) -> Result<Self, crate::diag::Diagnostics> {
        let doc = crate::load::load(file, text.as_bytes())?;
        let mut diags = crate::diag::Diagnostics::new(file);
        let mut res = PagingConfig::default();
        let Some(paging) = doc.get("paging") else { return Ok(res) };
        let get = |section: &str, key: &str, diags: &mut crate::diag::Diagnostics| -> Option<String> {
            let v = paging.get(section)?.get(key);
            match v.and_then(crate::value::Value::as_str) {
                Some(s) => Some(s.to_string()),
                None => {
                    diags.error(format!("#/paging/{section}/{key}"), "expected a string");
                    None
                }
            }
        };
        if paging.get("offset").is_some() {
            let page = get("offset", "page", &mut diags);
            let per_page = get("offset", "per_page", &mut diags);
            let totals =
                paging.get("offset").and_then(|o| o.get("include_totals")).and_then(|v| v.as_str()).map(str::to_string);
            if let (Some(a), Some(b)) = (page, per_page) {
                res.offset = Some((a, b, totals));
            }
        }
        if let Some(v) = paging.get("offset").and_then(|o| o.get("default_per_page")) {
            match v.as_u64() {
                Some(n) if n > 0 => res.default_per_page = Some(n),
                _ => diags.error("#/paging/offset/default_per_page", "expected a positive integer"),
            }
        }
        if paging.get("checkpoint").is_some() {
            let from = get("checkpoint", "from", &mut diags);
            let take = get("checkpoint", "take", &mut diags);
            let next = get("checkpoint", "next", &mut diags);
            if let (Some(a), Some(b), Some(c)) = (from, take, next) {
                res.checkpoint = Some((a, b, c));
            }
        }
        if let Some(cp) = paging.get("checkpoint") {
            match cp.get("default_take") {
                None => {}
                Some(v) => match v.as_u64() {
                    Some(n) if n > 0 => res.default_take = Some(n),
                    _ => diags.error("#/paging/checkpoint/default_take", "expected a positive integer"),
                },
            }
            match cp.get("item_cursor") {
                None => {}
                Some(v) => match (v.as_str(), v.as_array()) {
                    (Some(s), _) => res.item_cursor = vec![s.to_string()],
                    (_, Some(list)) if list.iter().all(|x| x.as_str().is_some()) => {
                        res.item_cursor = list.iter().filter_map(|x| x.as_str()).map(str::to_string).collect();
                    }
                    _ => diags.error("#/paging/checkpoint/item_cursor", "expected a string or a list of strings"),
                },
            }
        }
        if let Some(caps) = paging.get("result_caps") {
            match caps.as_array() {
                Some(caps) => {
                    for (i, cap) in caps.iter().enumerate() {
                        let route = cap.get("route").and_then(crate::value::Value::as_str);
                        let limit = cap.get("limit").and_then(crate::value::Value::as_u64);
                        let hint = cap.get("hint").and_then(crate::value::Value::as_str);
                        match (route, limit, hint) {
                            (Some(route), Some(limit), Some(hint)) => res.result_caps.push(ResultCap {
                                route: route.to_string(),
                                limit,
                                hint: hint.to_string(),
                            }),
                            _ => diags.error(
                                format!("#/paging/result_caps/{i}"),
                                "expected `route` (a string), `limit` (an integer) and `hint` (a string)",
                            ),
                        }
                    }
                }
                None => diags.error("#/paging/result_caps", "expected a list"),
            }
        }
        if let Some(caps) = paging.get("page_size_caps") {
            match caps.as_array() {
                Some(caps) => {
                    for (i, cap) in caps.iter().enumerate() {
                        let route = cap.get("route").and_then(crate::value::Value::as_str);
                        let limit = cap.get("limit").and_then(crate::value::Value::as_u64);
                        match (route, limit) {
                            (Some(route), Some(limit)) if limit > 0 => {
                                res.page_size_caps.push((route.to_string(), limit));
                            }
                            _ => diags.error(
                                format!("#/paging/page_size_caps/{i}"),
                                "expected `route` (a string) and `limit` (a positive integer)",
                            ),
                        }
                    }
                }
                None => diags.error("#/paging/page_size_caps", "expected a list"),
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(res)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_from_the_settings_file() {
        let text = "telemetry:\n  header: Auth0-Client\ncustom_domain:\n  header: Auth0-Custom-Domain\n  routes: [/users, '/users/{id}']\n";
        let s = Settings::from_yaml("codegen.yaml", text).unwrap();
        assert_eq!(s.telemetry_header.as_deref(), Some("Auth0-Client"));
        let cd = s.custom_domain.unwrap();
        assert_eq!(cd.header, "Auth0-Custom-Domain");
        assert_eq!(cd.routes, ["/users", "/users/{id}"]);
        assert_eq!(Settings::from_yaml("codegen.yaml", "paging: {}\n").unwrap().telemetry_header, None);
        let t = Settings::from_yaml("codegen.yaml", "client_credentials:\n  token_url: /oauth/token\n").unwrap();
        assert_eq!(t.token_url.as_deref(), Some("/oauth/token"));
        let e = Settings::from_yaml("codegen.yaml", "event_stream:\n  type_field: type\n").unwrap();
        assert_eq!(e.event_type_field.as_deref(), Some("type"));
    }

    #[test]
    fn overlays_are_paths_in_order_until_read() {
        let s = Settings::from_yaml("codegen.yaml", "overlays: [fix.overlay.yaml, more/b.json]\n").unwrap();
        let paths: Vec<_> = s.overlays.iter().map(|o| (o.path.as_str(), o.bytes.is_none())).collect();
        assert_eq!(paths, [("fix.overlay.yaml", true), ("more/b.json", true)]);
        assert!(Settings::from_yaml("codegen.yaml", "readme: {}\n").unwrap().overlays.is_empty());
        let e = Settings::from_yaml("codegen.yaml", "overlays: ['']\n").unwrap_err().to_string();
        assert!(e.contains("#/overlays/0: expected the path of an overlay document"), "{e}");
        let e = Settings::from_yaml("codegen.yaml", "overlays: fix.yaml\n").unwrap_err().to_string();
        assert!(e.contains("key `overlays`: expected a list of strings"), "{e}");
    }

    #[test]
    fn bad_header_settings_are_errors() {
        let bad = "telemetry:\n  header: \"X: y\"\ncustom_domain:\n  header: H\n  routes: [users]\n";
        let e = Settings::from_yaml("codegen.yaml", bad).unwrap_err().to_string();
        assert!(e.contains("#/telemetry/header"), "{e}");
        assert!(e.contains("#/custom_domain/routes/0"), "{e}");
    }

    #[test]
    fn package_settings_follow_the_registry_rules() {
        let ok = "package:\n  repository: https://example.com/r\n  keywords: [auth0, api]\n  publish: true\n";
        let s = Settings::from_yaml("codegen.yaml", ok).unwrap();
        assert!(s.package.publish);
        assert_eq!(s.package.keywords, ["auth0", "api"]);
        assert!(
            !Settings::from_yaml("codegen.yaml", "readme: {}\n").unwrap().package.publish,
            "publish defaults to false"
        );
        let bad = "package:\n  repository: http://example.com\n  keywords: [a, b, c, d, e, f]\n  categories: []\n";
        let e = Settings::from_yaml("codegen.yaml", bad).unwrap_err().to_string();
        assert!(e.contains("#/package/repository"), "{e}");
        assert!(e.contains("at most 5 keywords, found 6"), "{e}");
        let bad = "package:\n  keywords: [\"9lives\"]\n  publish: yes please\n";
        let e = Settings::from_yaml("codegen.yaml", bad).unwrap_err().to_string();
        assert!(e.contains("package.publish`: expected true or false"), "{e}");
        let bad = "package:\n  keywords: [\"9lives\"]\n";
        let e = Settings::from_yaml("codegen.yaml", bad).unwrap_err().to_string();
        assert!(e.contains("#/package/keywords/0"), "{e}");
    }
}
