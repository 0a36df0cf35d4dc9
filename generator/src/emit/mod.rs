//! Emitting: the IR in, token streams and text files of a crate out.
//!
//! Emitting cannot fail: lowering has checked everything. Files come out in a
//! fixed order and every collection is walked in IR order, so the same IR
//! always gives the same bytes. Formatting is `render`'s job.

mod client;
mod dedup;
mod files;
mod operations;
mod prose;
mod types;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::config::Config;
use crate::ir::{Api, Docs, FloatKind, Format, IntKind, Ty, TypeKind};

/// A file of the generated crate.
pub(crate) struct CrateFile {
    pub path: String,
    pub body: FileBody,
}

pub(crate) enum FileBody {
    /// Rust code to format; `//!` docs are inner attributes in the tokens.
    Rust(TokenStream),
    /// Rust code copied as is (the runtime).
    Verbatim(&'static str),
    /// Any other text (Cargo.toml, README.md).
    Text(String),
}

/// The runtime modules, copied into every generated crate.
const RUNTIME: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../runtime/mod.rs")),
    ("auth.rs", include_str!("../runtime/auth.rs")),
    ("client.rs", include_str!("../runtime/client.rs")),
    ("encode.rs", include_str!("../runtime/encode.rs")),
    ("error.rs", include_str!("../runtime/error.rs")),
    ("formats.rs", include_str!("../runtime/formats.rs")),
    ("macros.rs", include_str!("../runtime/macros.rs")),
    ("paging.rs", include_str!("../runtime/paging.rs")),
    ("retry.rs", include_str!("../runtime/retry.rs")),
    ("structs.rs", include_str!("../runtime/structs.rs")),
    ("tagged.rs", include_str!("../runtime/tagged.rs")),
    ("validate.rs", include_str!("../runtime/validate.rs")),
];

/// A file to emit: its path and the work that makes its contents. Jobs run
/// on several threads; token streams never leave the thread that made them.
pub(crate) type Job<'a> = (String, Box<dyn FnOnce() -> FileBody + Send + 'a>);

/// Emits and renders every file of the client crate. Returns the files in
/// a fixed order and the summed CPU time of emitting and of rendering.
pub(crate) fn emit_and_render(api: &Api, config: &Config) -> (Vec<crate::OutputFile>, Duration, Duration) {
    let cx = Cx::new(api);
    let cx = &cx;
    let mut jobs: Vec<Job<'_>> = vec![
        ("Cargo.toml".into(), Box::new(move || FileBody::Text(files::cargo_toml(config)))),
        ("README.md".into(), Box::new(move || FileBody::Text(files::readme(cx, config)))),
        ("src/lib.rs".into(), Box::new(move || FileBody::Rust(files::lib_rs(cx, config)))),
        ("src/client.rs".into(), Box::new(move || FileBody::Rust(client::emit_client(cx)))),
    ];
    jobs.extend(types::emit_types(cx));
    jobs.extend(operations::emit_operations(cx));
    for (name, text) in RUNTIME {
        jobs.push((format!("src/runtime/{name}"), Box::new(move || FileBody::Verbatim(text))));
    }
    let header = crate::render::header(config);
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    let n = jobs.len();
    // Largest files first would balance better, but they are unknown before
    // emitting; popping from the end takes the type chunks first.
    let queue = Mutex::new(jobs.into_iter().enumerate().collect::<Vec<_>>());
    let slots: Mutex<Vec<Option<crate::OutputFile>>> = Mutex::new((0..n).map(|_| None).collect());
    let times = Mutex::new((Duration::ZERO, Duration::ZERO));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let Some((idx, (path, job))) = queue.lock().unwrap_or_else(|e| e.into_inner()).pop() else { break };
                let t = Instant::now();
                let body = job();
                let emit = t.elapsed();
                let t = Instant::now();
                let out = crate::render::render_one(CrateFile { path, body }, &header);
                let render = t.elapsed();
                slots.lock().unwrap_or_else(|e| e.into_inner())[idx] = Some(out);
                let mut tm = times.lock().unwrap_or_else(|e| e.into_inner());
                tm.0 += emit;
                tm.1 += render;
            });
        }
    });
    let files = slots
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|f| f.unwrap_or_else(|| unreachable!("every job produces its file")))
        .collect();
    let (emit, render) = times.into_inner().unwrap_or_else(|e| e.into_inner());
    (files, emit, render)
}

/// Shared emit state: the API and what each type needs.
pub(crate) struct Cx<'a> {
    pub api: &'a Api,
    /// Whether a named type has constraints to validate.
    pub validates: Vec<bool>,
    /// For each type, an earlier type of the same shape that it aliases
    /// (see [`dedup`]).
    pub same_shape: Vec<Option<usize>>,
}

impl<'a> Cx<'a> {
    fn new(api: &'a Api) -> Self {
        let n = api.types.len();
        // A type validates if it has constraints of its own or holds a type
        // that validates. Propagating along "is held by" edges from the types
        // with their own constraints is linear; a fixpoint over all types
        // took a pass per link of a chain (a minute for 40,000 types).
        let none = vec![false; n];
        let mut validates = vec![false; n];
        let mut held_by: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut work = Vec::new();
        for (idx, def) in api.types.iter().enumerate() {
            let mut own = matches!(&def.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.read_only));
            crate::ir_visit::kind_tys(&def.kind, &mut |t| own |= ty_validates(t, &none));
            let held = crate::ir_visit::named_refs(&def.kind);
            for h in held {
                held_by[h].push(idx);
            }
            if own {
                validates[idx] = true;
                work.push(idx);
            }
        }
        while let Some(t) = work.pop() {
            for &u in &held_by[t] {
                if !validates[u] {
                    validates[u] = true;
                    work.push(u);
                }
            }
        }
        Cx { api, validates, same_shape: dedup::same_shapes(api) }
    }

    pub fn ty_validates(&self, ty: &Ty) -> bool {
        ty_validates(ty, &self.validates)
    }

    /// The Rust type of a type expression.
    pub fn ty(&self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::Named(id) => {
                let name = ident(&self.api.types[id.0].name.rust);
                quote!(crate::types::#name)
            }
            Ty::Bool => quote!(bool),
            Ty::Int(i) => {
                let base = match i.kind {
                    IntKind::I32 => quote!(i32),
                    IntKind::I64 => quote!(i64),
                    IntKind::U32 => quote!(u32),
                    IntKind::U64 => quote!(u64),
                };
                if i.min.is_none() && i.max.is_none() && i.multiple_of.is_none() {
                    return base;
                }
                let (lo, hi): (i128, i128) = match i.kind {
                    IntKind::I32 => (i32::MIN.into(), i32::MAX.into()),
                    IntKind::I64 => (i64::MIN.into(), i64::MAX.into()),
                    IntKind::U32 => (0, u32::MAX.into()),
                    IntKind::U64 => (0, u64::MAX.into()),
                };
                let min = const_int(i.min.unwrap_or(lo));
                let max = const_int(i.max.unwrap_or(hi));
                match i.multiple_of {
                    Some(m) => {
                        let m = Literal::u64_unsuffixed(m);
                        quote!(rt::BoundedInt<#base, #min, #max, #m>)
                    }
                    None => quote!(rt::BoundedInt<#base, #min, #max>),
                }
            }
            Ty::Float(f) => {
                let base = match f.kind {
                    FloatKind::F32 => quote!(f32),
                    FloatKind::F64 => quote!(f64),
                };
                if f.min.is_none() && f.max.is_none() && f.multiple_of.is_none() {
                    return base;
                }
                let min = f.min.map(const_float).unwrap_or(quote!({ rt::NO_MIN }));
                let max = f.max.map(const_float).unwrap_or(quote!({ rt::NO_MAX }));
                let (emin, emax) = (f.exclusive_min, f.exclusive_max);
                match f.multiple_of {
                    Some(m) => {
                        let m = const_float(m);
                        quote!(rt::BoundedFloat<#base, #min, #max, #emin, #emax, #m>)
                    }
                    None => quote!(rt::BoundedFloat<#base, #min, #max, #emin, #emax>),
                }
            }
            Ty::Str(s) => {
                if s.min_len.is_none() && s.max_len.is_none() && s.pattern.is_none() {
                    return quote!(String);
                }
                let min = Literal::u64_unsuffixed(s.min_len.unwrap_or(0));
                let max = match s.max_len {
                    Some(m) if m <= u32::MAX.into() => {
                        let m = Literal::u64_unsuffixed(m);
                        quote!(#m)
                    }
                    _ => quote!({ usize::MAX }),
                };
                match s.pattern {
                    Some(p) => {
                        let p = ident(&self.api.patterns[p.0].rust);
                        quote!(rt::BoundedString<#min, #max, crate::types::#p>)
                    }
                    None => quote!(rt::BoundedString<#min, #max>),
                }
            }
            Ty::Format(f) => match f {
                Format::DateTime => quote!(rt::DateTime),
                Format::Date => quote!(rt::Date),
                Format::Uuid => quote!(uuid::Uuid),
                Format::Email => quote!(rt::Email),
                Format::Uri => quote!(rt::Uri),
                Format::Hostname => quote!(rt::Hostname),
                Format::Ipv4 => quote!(std::net::Ipv4Addr),
                Format::Ipv6 => quote!(std::net::Ipv6Addr),
            },
            Ty::Base64 => quote!(rt::Base64),
            Ty::Binary => quote!(rt::FilePart),
            Ty::Json => quote!(serde_json::Value),
            Ty::Array(a) => {
                let item = self.ty(&a.item);
                if a.min_items.is_none() && a.max_items.is_none() {
                    return quote!(Vec<#item>);
                }
                let min = Literal::u64_unsuffixed(a.min_items.unwrap_or(0));
                let max = match a.max_items {
                    Some(m) if m <= u32::MAX.into() => {
                        let m = Literal::u64_unsuffixed(m);
                        quote!(#m)
                    }
                    _ => quote!({ usize::MAX }),
                };
                quote!(rt::BoundedVec<#item, #min, #max>)
            }
            Ty::Map(v) => {
                let v = self.ty(v);
                quote!(std::collections::BTreeMap<String, #v>)
            }
            Ty::Option(t) => {
                let t = self.ty(t);
                quote!(Option<#t>)
            }
        }
    }
}

fn const_int(n: i128) -> TokenStream {
    let lit = Literal::i128_unsuffixed(n.abs());
    if n < 0 {
        quote!({ -#lit })
    } else {
        quote!(#lit)
    }
}

/// A float bound as a const argument, `{ rt::bits(0.25) }` (lowering keeps
/// only finite bounds).
fn const_float(x: f64) -> TokenStream {
    let lit = Literal::f64_unsuffixed(x.abs());
    if x.is_sign_negative() {
        quote!({ rt::bits(-#lit) })
    } else {
        quote!({ rt::bits(#lit) })
    }
}

fn ty_validates(ty: &Ty, named: &[bool]) -> bool {
    match ty {
        Ty::Named(id) => named[id.0],
        Ty::Int(i) => i.min.is_some() || i.max.is_some() || i.multiple_of.is_some(),
        Ty::Float(f) => f.min.is_some() || f.max.is_some() || f.multiple_of.is_some(),
        Ty::Str(s) => s.min_len.is_some() || s.max_len.is_some() || s.pattern.is_some(),
        Ty::Format(Format::Email | Format::Uri | Format::Hostname) => true,
        Ty::Array(a) => a.min_items.is_some() || a.max_items.is_some() || ty_validates(&a.item, named),
        Ty::Map(t) | Ty::Option(t) => ty_validates(t, named),
        _ => false,
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
