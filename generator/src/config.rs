//! Generation settings: what the caller decides, not what the spec says.

/// Settings for one generation run. There is deliberately no `Default`: every
/// caller says what it wants (rust-analyzer's style).
#[derive(Debug, Clone)]
pub struct Config {
    /// Name of the generated crate (`auth0-management`).
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
}

/// The generator settings file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub paging: PagingConfig,
    /// The `operationId` the README and crate docs show (`readme.operation`).
    pub readme_operation: Option<String>,
}

impl Settings {
    /// Reads a settings file (see `spec/codegen.yaml`).
    pub fn from_yaml(file: &str, text: &str) -> Result<Self, crate::diag::Diagnostics> {
        let paging = PagingConfig::from_settings(file, text)?;
        let doc = crate::load::load(file, text.as_bytes())?;
        let readme_operation = doc
            .get("readme")
            .and_then(|r| r.get("operation"))
            .and_then(crate::value::Value::as_str)
            .map(str::to_string);
        Ok(Settings { paging, readme_operation })
    }
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
        if paging.get("checkpoint").is_some() {
            let from = get("checkpoint", "from", &mut diags);
            let take = get("checkpoint", "take", &mut diags);
            let next = get("checkpoint", "next", &mut diags);
            if let (Some(a), Some(b), Some(c)) = (from, take, next) {
                res.checkpoint = Some((a, b, c));
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(res)
    }
}
