//! Emitting: the IR in, token streams and text files of a crate out.
//!
//! Emitting cannot fail: lowering has checked everything. Files come out in a
//! fixed order and every collection is walked in IR order, so the same IR
//! always gives the same bytes. Each file is a [`Job`]; `pipeline` runs the
//! jobs on all cores and hands their output to `render`, which formats it.
//!
//! **Lean output.** The build time of a generated crate is a product feature
//! (`cargo xtask bench --build`), so what every type or call would repeat
//! lives once in the runtime:
//! - structs are `serde_struct!` tables over one generic visitor, enums
//!   `string_enum!`; a shape is emitted once however many names it has;
//! - `Client::send` returns a boxed future, so the retry loop and reqwest's
//!   and hyper's futures are compiled in the runtime crate, not in each
//!   user's crate that awaits a call;
//! - a pattern's regex is compiled and matched by `PatternCell`, not by
//!   regress's generic code instantiated per pattern;
//! - generic serde code passes errors on with `match` and `return`, not
//!   `?` (each `?` there makes the trait solver search every `From` impl);
//! - every non-generic function emitted per type or group (setters,
//!   constructors, `Validate`, page accessors, group handles, blocking
//!   wrappers, `as_str`) is `#[inline]`, so its machine code is made only in
//!   the crates that call it (tidy's `inline where used`).

mod client;
mod examples;
mod features;
mod files;
mod fluent;
mod manifest;
mod operations;
mod page_arms;
mod pages;
mod parts;
mod path_args;
mod prose;
mod runtime;
mod setters;
mod streams;
mod types;
mod union_peek;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::config::{Config, Layout, RuntimeSource};
use crate::file_model::{Module, Piece};
use crate::ir::{Api, Docs, Ty};

pub(crate) use crate::file_model::FileBody;

/// A file to emit: its path and the work that makes its contents. Jobs run
/// on several threads; token streams never leave the thread that made them.
pub(crate) type Job<'a> = (String, Box<dyn FnOnce() -> FileBody + Send + 'a>);

/// See [`crate::runtime_dependencies`]: every part's.
pub(crate) fn runtime_dependencies() -> &'static str {
    runtime::all_dependencies()
}

/// See [`crate::runtime_features`].
pub(crate) fn runtime_features() -> &'static str {
    runtime::features()
}

/// The jobs that emit every file of the client crate, in a fixed order:
/// in the single-file layout only its Rust modules, each inline in its
/// parent ([`module`]).
pub(crate) fn jobs<'a>(cx: &'a Cx<'a>, config: &'a Config) -> Vec<Job<'a>> {
    let crate_layout = cx.layout == Layout::Crate;
    let mut jobs: Vec<Job<'_>> = Vec::new();
    if crate_layout {
        jobs.push(("Cargo.toml".into(), Box::new(move || FileBody::Text(files::cargo_toml(cx, config)))));
        jobs.push(("README.md".into(), Box::new(move || FileBody::Text(files::readme(cx, config)))));
    }
    jobs.push(("src/lib.rs".into(), Box::new(move || FileBody::Pieces(files::lib_rs(cx, config)))));
    jobs.push(("src/client.rs".into(), Box::new(move || FileBody::Rust(client::emit_client(cx, config)))));
    if crate_layout && !cx.api.operations.is_empty() {
        jobs.push(("examples/operations.rs".into(), Box::new(move || FileBody::Text(examples::all_ops(cx)))));
    }
    let embedded = config.runtime == RuntimeSource::Embedded;
    if crate_layout && embedded && runtime::has_build_script(cx.api.runtime) {
        jobs.push(("build.rs".into(), Box::new(move || FileBody::Verbatim(runtime::BUILD_SCRIPT.into()))));
    }
    if cx.features.parts() > 0 {
        jobs.extend(parts::jobs(cx, config));
    } else {
        jobs.extend(types::emit_types(cx));
        jobs.extend(operations::emit_operations(cx));
    }
    if embedded {
        for (name, text) in runtime::sources(cx.api.runtime) {
            let body: Box<dyn FnOnce() -> FileBody + Send> = match cx.layout {
                Layout::SingleFile if name == "mod.rs" => Box::new(move || runtime::inline_root(&text)),
                _ => Box::new(move || FileBody::Verbatim(text)),
            };
            jobs.push((format!("src/runtime/{name}"), body));
        }
    }
    jobs
}

/// The module `head` (its outer attributes, visibility and `mod name`)
/// whose items are the file `file`: `head;`, the file beside it, in the
/// crate layout; the file's items inline in the single-file layout, which
/// `include!` can take (it cannot load a module's file).
pub(crate) fn module(cx: &Cx<'_>, head: TokenStream, file: String) -> Piece {
    match cx.layout {
        Layout::Crate => Piece::Items(quote!(#head;)),
        Layout::SingleFile => Piece::Module(Module { head, file }),
    }
}

/// The lints every generated crate allows: generated code follows the
/// description, not clippy's taste.
fn allowed_lints() -> TokenStream {
    quote!(
        clippy::too_many_arguments,
        clippy::large_enum_variant,
        clippy::doc_lazy_continuation,
        clippy::doc_overindented_list_items,
        clippy::tabs_in_doc_comments,
        clippy::empty_docs,
        clippy::type_complexity,
        clippy::single_match,
        clippy::match_single_binding,
        clippy::should_implement_trait
    )
}

/// The allowed lints as the crate root's inner attributes.
pub(crate) fn crate_lints() -> TokenStream {
    let lints = allowed_lints();
    quote! {
        #![allow(deprecated)]
        #![allow(#lints)]
    }
}

/// The allowed lints as outer attributes of a top-level module, where the
/// crate root can have none (the single-file layout). Its inline modules
/// keep their docs and inner attributes (`//!`, `#![allow]`) under outer
/// ones (`#[cfg]`, these), which `include!` takes and clippy's
/// `mixed_attributes_style` would flag.
pub(crate) fn module_lints() -> TokenStream {
    let lints = allowed_lints();
    quote! {
        #[allow(deprecated)]
        #[allow(#lints, clippy::mixed_attributes_style)]
    }
}

/// See [`crate::bench_derive_types`].
pub(crate) fn derive_types(api: &Api, roots: &[&Ty]) -> TokenStream {
    types::derive_types(&Cx::new(api), roots)
}

/// Shared emit state: the API and what each type needs.
pub(crate) struct Cx<'a> {
    pub api: &'a Api,
    /// Whether a named type has constraints to validate.
    pub validates: Vec<bool>,
    /// Whether a named type is sent in some request (it gets setters).
    pub in_request: Vec<bool>,
    /// Whether a named type is read inside other values, not only as a
    /// whole response ([`crate::ir_visit::read_inside`]).
    pub read_inside: Vec<bool>,
    /// Whether a named struct converts from a string
    /// ([`crate::rust_ty::from_string_types`]).
    pub from_string: Vec<bool>,
    /// Whether a named struct is an operation's required object body
    /// ([`crate::rust_ty::body_types`]).
    pub bodies: Vec<bool>,
    /// The field of an event's JSON `data` that gets the event's name
    /// when missing (`event_stream.type_field` of the settings).
    pub event_type_field: Option<String>,
    /// The crate's name as Rust code writes it (`auth0_management_api`), for
    /// examples.
    pub krate: String,
    /// The crate's per-group features and what each type needs.
    pub features: features::Features,
    /// For each named type, a list it is the page of and that list's paging
    /// (it gets `items()` and `total()`).
    pub pages: Vec<Option<(&'a crate::ir::Operation, &'a crate::ir::Paging)>>,
    /// A crate folder or one file ([`Config::layout`]).
    pub layout: Layout,
}

impl<'a> Cx<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        let validates = crate::rust_ty::validating_types(api);
        let in_request = crate::ir_visit::reachable(api, api.operations.iter().flat_map(crate::ir_visit::request_tys));
        Cx {
            api,
            validates,
            in_request,
            read_inside: crate::ir_visit::read_inside(api),
            from_string: crate::rust_ty::from_string_types(api),
            bodies: crate::rust_ty::body_types(api),
            event_type_field: None,
            krate: String::new(),
            features: features::Features::new(api),
            pages: pages::page_types(api),
            layout: Layout::Crate,
        }
    }

    /// The state for a generation run with `config`: the one place its
    /// layout and split are decided. One file has no features and is one
    /// crate; a folder is split into parts only on the runtime crate.
    pub(crate) fn configured(api: &'a Api, config: &Config) -> Self {
        let mut cx = Cx::new(api);
        cx.event_type_field = config.settings.event_type_field.clone();
        cx.krate = config.crate_name.replace('-', "_");
        cx.layout = config.layout;
        match config.layout {
            Layout::Crate if matches!(config.runtime, RuntimeSource::Crate { .. }) => {
                cx.features.split(api, config.parts)
            }
            Layout::Crate => {}
            Layout::SingleFile => cx.features.ungate(),
        }
        cx
    }

    pub fn ty_validates(&self, ty: &Ty) -> bool {
        crate::rust_ty::entry(self.api, ty).validates(&self.validates)
    }

    /// The Rust type of a type expression (see `rust_ty`).
    pub fn ty(&self, ty: &Ty) -> TokenStream {
        crate::rust_ty::of(self.api, ty).tokens()
    }
}

/// An identifier; `naming` made sure it is valid.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Removes what must not reach generated source: control characters
/// (tabs excepted) and Unicode bidirectional controls, which rustc rejects
/// in comments.
pub(crate) fn clean_text(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
                && (!c.is_control() || *c == '\n' || *c == '\t')
        })
        .collect()
}

/// Text for one doc line, inside a code span: cleaned, line breaks and tabs
/// become spaces (a line break would start new Markdown, a code fence that
/// rustdoc runs as a doctest), backticks become quotes (they would end the span).
pub(crate) fn inline_text(s: &str) -> String {
    clean_text(s)
        .chars()
        .map(|c| match c {
            '\n' | '\t' => ' ',
            '`' => '\'',
            c => c,
        })
        .collect()
}

/// Doc lines for rustdoc. Code fences without a language become `text`
/// and indentation is dropped, so that spec prose never runs as a doctest;
/// prose outside fences is escaped for rustdoc's Markdown ([`prose`]).
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let text = clean_text(text);
    let mut res = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            let lang = trimmed[3..].trim();
            if !in_fence {
                in_fence = true;
                let safe = if lang.is_empty()
                    || lang.split(',').any(|t| {
                        matches!(
                            t.trim(),
                            "rust"
                                | "ignore"
                                | "should_panic"
                                | "no_run"
                                | "compile_fail"
                                | "edition2018"
                                | "edition2021"
                        )
                    }) {
                    "text"
                } else {
                    lang
                };
                res.push(format!("{fence}{safe}"));
            } else {
                in_fence = false;
                res.push(fence.to_string());
            }
            continue;
        }
        if in_fence {
            res.push(line.trim_end().to_string());
        } else {
            res.push(prose::escape_line(trimmed.trim_end()));
        }
    }
    if in_fence {
        res.push("```".to_string());
    }
    while res.last().is_some_and(|l| l.is_empty()) {
        res.pop();
    }
    while res.first().is_some_and(|l| l.is_empty()) {
        res.remove(0);
    }
    res
}

/// `#[doc = " ..."]` attributes for the lines.
pub(crate) fn doc_attrs(lines: &[String]) -> TokenStream {
    let mut res = TokenStream::new();
    for l in lines {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        res.extend(quote!(#[doc = #l]));
    }
    res
}

/// Doc attributes for an IR [`Docs`], with extra lines appended.
pub(crate) fn docs(d: &Docs, extra: &[String]) -> TokenStream {
    let mut lines = Vec::new();
    if let Some(s) = &d.summary {
        lines.extend(doc_lines(s));
    }
    if let Some(desc) = &d.description {
        if d.summary.as_deref().map(str::trim) != Some(desc.trim()) {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(doc_lines(desc));
        }
    }
    if !extra.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(extra.iter().cloned());
    }
    let mut res = doc_attrs(&lines);
    if d.deprecated {
        res.extend(quote!(#[deprecated]));
    }
    res
}
