//! OpenAPI 3.0/3.1 to Rust client generator.
//!
//! The pipeline is `load -> lower -> IR -> emit -> render`:
//! - [`load`] reads YAML or JSON into an untyped [`value::Value`] tree;
//! - [`overlay`] applies the OpenAPI Overlay documents of the settings
//!   ([`config::Settings::overlays`]) to it, in order;
//! - [`lower`] validates the document and builds the [`ir::Api`], resolving
//!   every `$ref` and choosing every Rust name;
//! - `emit` turns the IR into token streams (it cannot fail);
//! - `render` formats tokens with `prettyplease` and adds headers;
//! - `pipeline` runs emit's jobs on all cores and renders their output.
//!
//! [`generate`] runs them all and returns the files of a client crate.
//! Nothing but [`mod@write`] does IO: it reads a description, its settings and
//! the overlays they list, and writes a crate folder, for the
//! `openapi-rust-client` command, `cargo xtask` and build scripts. A caller
//! that builds [`config::Settings`] itself gives the overlays' bytes in
//! [`config::OverlayFile::bytes`]; an overlay without them is an error.
//! Diagnostics after the overlays point into the description with the
//! overlays applied.

pub mod bundle;
pub mod config;
pub mod diag;
pub mod diff;
mod emit;
mod file_model;
pub mod ir;
pub mod ir_visit;
pub mod load;
pub mod lower;
pub mod naming;
pub mod overlay;
mod pipeline;
pub mod pointer;
pub mod render;
pub mod rust_ty;
mod settings_keys;
pub mod value;
pub mod write;

pub use config::{Config, Layout, RuntimeSource};
pub use diag::{Diagnostic, Diagnostics, Severity};

pub use render::OutputFile;

/// The result of a successful generation.
#[derive(Debug)]
pub struct Output {
    pub files: Vec<OutputFile>,
    /// Warnings: documented fallbacks that were taken.
    pub diagnostics: Diagnostics,
    pub timings: Timings,
    pub n_operations: usize,
    pub n_types: usize,
    /// The `*_stream` methods, by paging convention
    /// ([`ir::PagingKind::convention`]).
    pub streams: std::collections::BTreeMap<&'static str, usize>,
    /// The GETs taking a paging query parameter ([`ir::Api::paging_census`]):
    /// each one's method and route, and why it gets no stream (`None`: it
    /// gets one).
    pub paging_census: Vec<(String, Option<&'static str>)>,
}

impl Output {
    /// The crate as one file, for a build script to write into `OUT_DIR`
    /// and a crate to `include!` at its root: the one file of a crate
    /// generated with [`Layout::SingleFile`]; `None` for a crate folder.
    pub fn single_file(&self) -> Option<&str> {
        match self.files.as_slice() {
            [only] if only.path == "src/lib.rs" => Some(&only.contents),
            _ => None,
        }
    }
}

/// Time spent in each phase (`parse` includes applying overlays). Emitting
/// and rendering run file by file on all cores: `emit` and `render` are CPU
/// time summed over threads, `emit_and_render` the wall time of both.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub parse: std::time::Duration,
    pub lower: std::time::Duration,
    pub emit: std::time::Duration,
    pub render: std::time::Duration,
    pub emit_and_render: std::time::Duration,
}

/// The `[dependencies]` table every generated crate has (the runtime's),
/// for crates that include generated code from a build script.
pub fn runtime_dependencies() -> &'static str {
    emit::runtime_dependencies()
}

/// The `[features]` table every generated crate has (the runtime's:
/// `blocking`), for crates that include generated code from a build script.
pub fn runtime_features() -> &'static str {
    emit::runtime_features()
}

/// Loads and lowers a spec to the IR (used by spec-diff and by [`generate`]),
/// with the overlays of `config.settings` applied.
pub fn load_api(file: &str, bytes: &[u8], config: &Config) -> Result<(ir::Api, Diagnostics), Diagnostics> {
    let doc = load_document(file, bytes, config)?;
    lower::lower(file, &doc, config)
}

/// Loads a spec into its tree and applies the overlays of
/// `config.settings`, in order: the document lowering sees.
pub fn load_document(file: &str, bytes: &[u8], config: &Config) -> Result<value::Value, Diagnostics> {
    let mut doc = load::load(file, bytes)?;
    overlay::apply_all(&mut doc, &config.settings.overlays)?;
    Ok(doc)
}

/// Generates a client crate from the spec `bytes` (named `file` in messages).
///
/// The files come back in a fixed order; [`write::ensure_files`] writes
/// them into a folder. With [`Layout::SingleFile`] the crate is one file
/// ([`Output::single_file`]) for a build script to `include!`. Errors and
/// warnings name the file and the JSON pointer of each problem.
///
/// ```
/// let spec = br##"{"openapi": "3.0.3", "info": {"title": "Pets", "version": "1"},
///   "paths": {"/pets/{id}": {"get": {"operationId": "getPet",
///     "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
///     "responses": {"200": {"description": "a pet", "content": {"application/json":
///       {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}}}}}}}"##;
/// let config = generator::Config {
///     crate_name: "pets-client".into(),
///     crate_version: "0.1.0".into(),
///     spec_label: "pets.json".into(),
///     command: "build.rs".into(),
///     standalone: true,
///     runtime: Default::default(),
///     parts: 0,
///     layout: generator::Layout::Crate,
///     settings: Default::default(),
/// };
/// let out = generator::generate("pets.json", spec, &config).map_err(|d| d.to_string())?;
/// assert!(out.files.iter().any(|f| f.path == "src/lib.rs"));
/// assert_eq!(out.n_operations, 1);
///
/// // A broken description is a diagnostic with its pointer, not a panic;
/// // a reference to nothing falls back to `serde_json::Value`, with a warning.
/// let bad = br##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get":
///   {"responses": {"200": {"description": "x", "content": {"application/json": {"schema": {"$ref": "#/nope"}}}}}}}}}"##;
/// let out = generator::generate("bad.json", bad, &config).map_err(|d| d.to_string())?;
/// assert!(out.diagnostics.to_string().contains("#/paths/~1a/get/responses/200"));
/// let external = br##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get":
///   {"responses": {"200": {"description": "x", "content": {"application/json": {"schema": {"$ref": "other.json#/A"}}}}}}}}}"##;
/// let diags = generator::generate("bad.json", external, &config).unwrap_err();
/// assert!(diags.to_string().contains("#/paths/~1a/get/responses/200"));
/// # Ok::<(), String>(())
/// ```
pub fn generate(file: &str, bytes: &[u8], config: &Config) -> Result<Output, Diagnostics> {
    let mut timings = Timings::default();
    let t = std::time::Instant::now();
    let doc = load_document(file, bytes, config)?;
    timings.parse = t.elapsed();
    let t = std::time::Instant::now();
    let (api, diagnostics) = lower::lower(file, &doc, config)?;
    drop(doc);
    timings.lower = t.elapsed();
    let t = std::time::Instant::now();
    let rendered = pipeline::emit_and_render(file, &api, config)?;
    timings.emit_and_render = t.elapsed();
    timings.emit = rendered.emit;
    timings.render = rendered.render;
    let files = rendered.files;
    let mut streams = std::collections::BTreeMap::new();
    for p in api.operations.iter().filter_map(ir::Operation::stream_paging) {
        *streams.entry(p.kind.convention()).or_insert(0) += 1;
    }
    let paging_census = api
        .paging_census
        .iter()
        .filter_map(|(i, why)| Some((format!("GET {}", api.operations.get(*i)?.route), *why)))
        .collect();
    Ok(Output {
        files,
        diagnostics,
        timings,
        n_operations: api.operations.len(),
        n_types: api.types.len(),
        streams,
        paging_census,
    })
}

/// Bench only (`cargo xtask bench --decode`), never part of a generated
/// crate: the types `roots` reach with structs and unions deriving
/// `serde::Deserialize`, the anchor the generated types' decoding is
/// measured against (see `emit::types::derive_types`), as unformatted
/// Rust source.
#[doc(hidden)]
pub fn bench_derive_types(api: &ir::Api, roots: &[&ir::Ty]) -> String {
    emit::derive_types(api, roots).to_string()
}
