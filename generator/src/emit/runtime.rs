//! The runtime every generated crate carries, embedded from the `runtime`
//! workspace crate: its module sources without their unit tests, and the
//! `[dependencies]` of its manifest, the one list of what generated crates
//! depend on.
//!
//! Only the parts of the runtime the description uses are written
//! ([`RuntimeParts`], decided in lowering): a file that is wholly one part
//! ([`FILE_PARTS`]) is left out, and so are the lines between
//! `// @part NAME` and `// @end NAME` in the others and the dependencies
//! marked `# @part NAME`.
//!
//! In the single-file layout the runtime's root module ([`inline_root`])
//! is parsed, so that each of its `mod name;` is printed inline with the
//! module's file; the other files are copied as they are either way.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use crate::file_model::{FileBody, Module, Piece};
use crate::ir::RuntimeParts;

/// The runtime modules as the `runtime` crate has them (`src/runtime/`).
const SOURCES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../../runtime/src/runtime/mod.rs")),
    ("oauth.rs", include_str!("../../../runtime/src/runtime/oauth.rs")),
    ("auth.rs", include_str!("../../../runtime/src/runtime/auth.rs")),
    ("blocking.rs", include_str!("../../../runtime/src/runtime/blocking.rs")),
    ("builder.rs", include_str!("../../../runtime/src/runtime/builder.rs")),
    ("client.rs", include_str!("../../../runtime/src/runtime/client.rs")),
    ("client_types.rs", include_str!("../../../runtime/src/runtime/client_types.rs")),
    ("encode.rs", include_str!("../../../runtime/src/runtime/encode.rs")),
    ("error.rs", include_str!("../../../runtime/src/runtime/error.rs")),
    ("fit.rs", include_str!("../../../runtime/src/runtime/fit.rs")),
    ("formats.rs", include_str!("../../../runtime/src/runtime/formats.rs")),
    ("json_path.rs", include_str!("../../../runtime/src/runtime/json_path.rs")),
    ("macros.rs", include_str!("../../../runtime/src/runtime/macros.rs")),
    ("one_pass.rs", include_str!("../../../runtime/src/runtime/one_pass.rs")),
    ("paging.rs", include_str!("../../../runtime/src/runtime/paging.rs")),
    ("request.rs", include_str!("../../../runtime/src/runtime/request.rs")),
    ("response.rs", include_str!("../../../runtime/src/runtime/response.rs")),
    ("retry.rs", include_str!("../../../runtime/src/runtime/retry.rs")),
    ("send.rs", include_str!("../../../runtime/src/runtime/send.rs")),
    ("sse.rs", include_str!("../../../runtime/src/runtime/sse.rs")),
    ("structs.rs", include_str!("../../../runtime/src/runtime/structs.rs")),
    ("tagged.rs", include_str!("../../../runtime/src/runtime/tagged.rs")),
    ("telemetry.rs", include_str!("../../../runtime/src/runtime/telemetry.rs")),
    ("validate.rs", include_str!("../../../runtime/src/runtime/validate.rs")),
];

/// Runtime files that are wholly one part.
const FILE_PARTS: &[(&str, &str)] = &[("oauth.rs", "oauth"), ("paging.rs", "paging"), ("sse.rs", "sse")];

/// Every part: the runtime as a whole.
const ALL: RuntimeParts = RuntimeParts { multipart: true, oauth: true, paging: true, sse: true, telemetry: true };

/// The dependencies of every part, without their marks (for crates that
/// include generated code from a build script).
pub(crate) fn all_dependencies() -> &'static str {
    static ALL_DEPS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ALL_DEPS.get_or_init(|| dependencies_for(ALL))
}

/// Whether the crate carries the part `name` of the runtime; `streams`
/// (the `Stream` re-exports, `futures-util`) is paging or events.
fn carries(parts: &RuntimeParts, name: &str) -> bool {
    match name {
        "multipart" => parts.multipart,
        "oauth" => parts.oauth,
        "paging" => parts.paging,
        "sse" => parts.sse,
        "streams" => parts.paging || parts.sse,
        "telemetry" => parts.telemetry,
        _ => true,
    }
}

/// The runtime's build script (the compiler version for telemetry),
/// written as the generated crate's `build.rs`.
pub(crate) const BUILD_SCRIPT: &str = include_str!("../../../runtime/build.rs");

/// The runtime crate's manifest.
const MANIFEST: &str = include_str!("../../../runtime/Cargo.toml");

/// The runtime crate's package name.
pub(crate) const CRATE: &str = "client-runtime";

/// The crates generated code names itself (`serde_json::Value`, the
/// `serde` derives and paths in the runtime's macros, `uuid::Uuid`), which a
/// crate depending on the runtime crate lists besides it; the other
/// dependencies are the runtime's own (patterns are matched by the runtime's
/// `PatternCell`, so `regress` is one of them).
const NAMED_BY_GENERATED_CODE: &[&str] = &["serde", "serde_json", "uuid"];

/// How a crate on the runtime crate has its `runtime` module.
pub(crate) fn reexport() -> TokenStream {
    let krate = super::ident(&CRATE.replace('-', "_"));
    quote! {
        #[doc = " The client runtime (the `client-runtime` crate): HTTP transport, retries, authentication, validation and wire encoding."]
        pub use #krate::runtime;
    }
}

/// The runtime crate's version, from its manifest's `[package]`.
fn crate_version() -> &'static str {
    MANIFEST
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or("0.0.0")
}

/// The `[dependencies]` of a crate that depends on the runtime crate: that
/// crate, at exactly the generator's version (generated code calls its
/// hidden items, which may change with any version), found at `path` when
/// given; and the crates generated code names itself, at the runtime's
/// versions.
pub(crate) fn crate_dependencies(path: Option<&str>, toml_str: impl Fn(&str) -> String) -> String {
    let mut out = String::from("[dependencies]\n");
    let path = path.map(|p| format!(", path = {}", toml_str(p))).unwrap_or_default();
    out.push_str(&format!("{CRATE} = {{ version = \"={}\"{path} }}\n", crate_version()));
    for line in dependencies().lines().skip(1) {
        let dep = line.split_once(" # @part ").map_or(line, |(dep, _)| dep);
        let name = dep.split_once(" = ").map_or("", |(name, _)| name.trim());
        if NAMED_BY_GENERATED_CODE.contains(&name) {
            out.push_str(dep);
            out.push('\n');
        }
    }
    out
}

/// The `[features]` entries of a crate that depends on the runtime crate:
/// each of the runtime's features, turning on the runtime crate's.
pub(crate) fn crate_features() -> String {
    let mut out = String::new();
    for line in features().lines().skip(1) {
        match line.split_once(" = ") {
            Some((name, _)) if !line.starts_with('#') => {
                out.push_str(&format!("{name} = [\"{CRATE}/{name}\"]\n"));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// How a runtime module declares its unit tests (in `<module>/tests.rs`,
/// which is not embedded).
const TESTS_DECL: &str = "\n#[cfg(test)]\nmod tests;\n";

/// The runtime modules as written into a generated crate's `src/runtime/`,
/// with only the parts it carries.
pub(crate) fn sources(parts: RuntimeParts) -> impl Iterator<Item = (&'static str, String)> {
    SOURCES
        .iter()
        .filter(move |(name, _)| FILE_PARTS.iter().all(|(file, part)| file != name || carries(&parts, part)))
        .map(move |&(name, text)| (name, embedded(&only_parts(without_tests(text), &parts))))
}

/// The text as a module of the generated crate rather than a crate of its
/// own: lines ending in `// @crate` (the macros' `#[macro_export]` and
/// their re-exports from the crate root) are left out, and lines written
/// `// @embedded LINE` become `LINE` (the macros' `pub(crate) use`).
/// Exported macros could not be named by path where a build script's
/// `include!` embeds the runtime.
fn embedded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.trim_end().ends_with("// @crate") {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        match line.trim_start().strip_prefix("// @embedded ") {
            Some(rest) => {
                out.push_str(&line[..indent]);
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The runtime's root module (`mod.rs`, as [`sources`] gives it) for the
/// single-file layout: its items, each `mod name;` a module whose items are
/// those of `src/runtime/name.rs`, inline. It is parsed rather than copied
/// (its `//` comments go, its docs stay). It is the runtime crate's own
/// source, cut down to parts, which `the_root_parses_with_any_parts`
/// parses: were it not Rust, render would report the generator bug
/// instead of writing the file.
pub(crate) fn inline_root(text: &str) -> FileBody {
    let file = match syn::parse_file(text) {
        Ok(file) => file,
        Err(e) => return FileBody::Broken(format!("the runtime's mod.rs does not parse: {e}")),
    };
    let attrs = &file.attrs;
    let mut pieces = vec![Piece::Items(quote!(#(#attrs)*))];
    for item in file.items {
        match item {
            syn::Item::Mod(m) if m.content.is_none() => {
                let (attrs, vis, name) = (&m.attrs, &m.vis, &m.ident);
                let head = quote!(#(#attrs)* #vis mod #name);
                pieces.push(Piece::Module(Module { head, file: format!("src/runtime/{name}.rs") }));
            }
            item => pieces.push(Piece::Items(item.into_token_stream())),
        }
    }
    FileBody::Pieces(pieces)
}

/// Whether the crate has a build script (the compiler's version for the
/// telemetry header; without it the header says `unknown`).
pub(crate) fn has_build_script(parts: RuntimeParts) -> bool {
    carries(&parts, "telemetry")
}

/// The text without the `// @part NAME` ... `// @end NAME` regions of the
/// parts not carried; marker lines are dropped either way.
fn only_parts(text: &str, parts: &RuntimeParts) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skipping = false;
    // After a region left out, a blank line that would double the one
    // before it is dropped too.
    let mut left_out = false;
    for line in text.split_inclusive('\n') {
        let marker = line.trim();
        if let Some(name) = marker.strip_prefix("// @part ") {
            skipping = !carries(parts, name);
            left_out |= skipping;
        } else if marker.starts_with("// @end ") {
            skipping = false;
        } else if !skipping {
            if !(left_out && marker.is_empty() && (out.ends_with("\n\n") || out.is_empty())) {
                out.push_str(line);
            }
            left_out = false;
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn without_tests(text: &'static str) -> &'static str {
    text.strip_suffix(TESTS_DECL).unwrap_or(text)
}

/// The dependencies of a crate carrying `parts`: the lines of the runtime
/// manifest's table marked `# @part NAME` only for the parts it carries,
/// without their marks.
pub(crate) fn dependencies_for(parts: RuntimeParts) -> String {
    let mut out = String::new();
    for line in dependencies().split_inclusive('\n') {
        match line.split_once(" # @part ") {
            Some((dep, name)) if carries(&parts, name.trim()) => {
                out.push_str(dep);
                out.push('\n');
            }
            Some(_) => {}
            None => out.push_str(line),
        }
    }
    out
}

/// The `[dependencies]` table of the runtime's manifest, header included,
/// ending with a newline.
fn dependencies() -> &'static str {
    table("\n[dependencies]\n")
}

/// The `[features]` table of the runtime's manifest (`blocking`), header
/// included, ending with a newline.
pub(crate) fn features() -> &'static str {
    table("\n[features]\n")
}

/// A table of the runtime's manifest: from its header to the first blank line.
fn table(header: &str) -> &'static str {
    let Some(start) = MANIFEST.find(header) else { return "" };
    let rest = &MANIFEST[start + 1..];
    let end = rest.find("\n\n").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crate_on_the_runtime_crate_depends_on_its_exact_version_and_what_generated_code_names() {
        let deps = crate_dependencies(Some("../runtime"), |s| format!("{s:?}"));
        let mut lines = deps.lines();
        assert_eq!(lines.next(), Some("[dependencies]"));
        assert_eq!(
            lines.next(),
            Some(format!("client-runtime = {{ version = \"={}\", path = \"../runtime\" }}", crate_version()).as_str())
        );
        let names: Vec<&str> = lines.map(|l| l.split(" = ").next().unwrap_or_default()).collect();
        assert_eq!(names, NAMED_BY_GENERATED_CODE, "{deps}");
        assert!(crate_version().split('.').all(|n| n.parse::<u32>().is_ok()), "{}", crate_version());
        assert!(!crate_dependencies(None, |s| s.to_string()).contains("path"));
        assert!(crate_features().contains("blocking = [\"client-runtime/blocking\"]"), "{}", crate_features());
        assert!(crate_features().lines().all(|l| l.starts_with('#') || !l.contains("tokio")), "{}", crate_features());
    }

    #[test]
    fn generated_crates_carry_no_test_code() {
        for (name, text) in sources(RuntimeParts::default()).chain(sources(ALL)) {
            assert!(!text.contains("cfg(test)"), "runtime/src/runtime/{name} still declares tests");
            assert!(text.ends_with("}\n") || text.ends_with(";\n"), "runtime/src/runtime/{name} lost its end");
            for crate_only in ["@crate", "@embedded", "macro_export"] {
                assert!(!text.contains(crate_only), "runtime/src/runtime/{name} still has `{crate_only}`");
            }
        }
    }

    #[test]
    fn part_markers_are_balanced_and_known() {
        for (name, text) in SOURCES {
            let mut open: Option<&str> = None;
            for line in text.lines().map(str::trim) {
                if let Some(part) = line.strip_prefix("// @part ") {
                    assert!(open.is_none(), "{name}: part {part} opens inside part {open:?}");
                    assert!(
                        carries(&ALL, part) && !carries(&RuntimeParts::default(), part),
                        "{name}: unknown part {part}"
                    );
                    open = Some(part);
                } else if let Some(part) = line.strip_prefix("// @end ") {
                    assert_eq!(open, Some(part), "{name}: @end {part} closes {open:?}");
                    open = None;
                }
            }
            assert_eq!(open, None, "{name}: part left open");
        }
        for (file, part) in FILE_PARTS {
            assert!(SOURCES.iter().any(|(n, _)| n == file), "{file} is not a runtime file");
            assert!(carries(&ALL, part) && !carries(&RuntimeParts::default(), part), "{file}: unknown part {part}");
        }
    }

    #[test]
    fn parts_not_carried_are_left_out() {
        let none: Vec<(&str, String)> = sources(RuntimeParts::default()).collect();
        assert!(none.iter().all(|(n, _)| *n != "sse.rs" && *n != "oauth.rs" && *n != "paging.rs"));
        let module = &none.iter().find(|(n, _)| *n == "mod.rs").map(|(_, t)| t.clone()).unwrap_or_default();
        assert!(
            !module.contains("mod sse;") && !module.contains("Multipart") && !module.contains("// @end"),
            "{module}"
        );
        assert!(module.contains("mod send;"), "{module}");
        let all: Vec<(&str, String)> = sources(ALL).collect();
        assert_eq!(all.len(), SOURCES.len());
        let full = &all.iter().find(|(n, _)| *n == "mod.rs").map(|(_, t)| t.clone()).unwrap_or_default();
        assert!(full.contains("mod sse;") && full.contains("pub use encode::Multipart;"), "{full}");
        let deps = dependencies_for(RuntimeParts::default());
        assert!(
            !deps.contains("jsonwebtoken") && !deps.contains("eventsource") && !deps.contains("futures-util"),
            "{deps}"
        );
        assert!(deps.contains("\nreqwest = "), "{deps}");
        let deps = dependencies_for(ALL);
        assert!(deps.contains("\njsonwebtoken = ") && !deps.contains("# @part"), "{deps}");
        assert_eq!(all_dependencies(), deps);
    }

    #[test]
    fn the_root_parses_with_any_parts() {
        let some = RuntimeParts { paging: true, ..RuntimeParts::default() };
        for parts in [RuntimeParts::default(), some, ALL] {
            let names: Vec<String> = sources(parts).map(|(n, _)| format!("src/runtime/{n}")).collect();
            let root = sources(parts).find(|(n, _)| *n == "mod.rs").map(|(_, t)| t).unwrap_or_default();
            let FileBody::Pieces(pieces) = inline_root(&root) else { panic!("the runtime root does not parse") };
            let modules: Vec<&str> = pieces
                .iter()
                .filter_map(|p| match p {
                    Piece::Module(m) => Some(m.file.as_str()),
                    _ => None,
                })
                .collect();
            // Every file but the root is one of its modules, inline.
            assert_eq!(modules.len() + 1, names.len(), "{modules:?} {names:?}");
            assert!(modules.iter().all(|m| names.iter().any(|n| n == m)), "{modules:?} {names:?}");
        }
    }

    #[test]
    fn every_runtime_module_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src/runtime");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok()?.file_name().into_string().ok()).filter(|n| n.ends_with(".rs")).collect())
            .unwrap_or_default();
        on_disk.sort();
        let mut embedded: Vec<String> = SOURCES.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn dependencies_are_the_runtime_manifest_table() {
        let deps = dependencies();
        assert!(deps.starts_with("[dependencies]\n"), "{deps}");
        assert!(deps.contains("\nreqwest = "), "{deps}");
        assert!(!deps.contains("[dev-dependencies]"), "{deps}");
        assert!(deps.ends_with("\"\n") || deps.ends_with("}\n"), "{deps:?}");
    }

    #[test]
    fn features_are_the_runtime_manifest_table() {
        let features = features();
        assert!(features.starts_with("[features]\n"), "{features}");
        assert!(features.contains("\nblocking = [\"tokio/rt\"]\n"), "{features}");
        assert!(!features.contains("dependencies"), "{features}");
    }
}
