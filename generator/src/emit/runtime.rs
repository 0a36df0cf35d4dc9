//! The runtime every generated crate carries, embedded from the `runtime`
//! workspace crate: its module sources without their unit tests, and the
//! `[dependencies]` of its manifest, the one list of what generated crates
//! depend on.

/// The runtime modules as the `runtime` crate has them (`src/runtime/`).
const SOURCES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../../runtime/src/runtime/mod.rs")),
    ("auth.rs", include_str!("../../../runtime/src/runtime/auth.rs")),
    ("blocking.rs", include_str!("../../../runtime/src/runtime/blocking.rs")),
    ("builder.rs", include_str!("../../../runtime/src/runtime/builder.rs")),
    ("client.rs", include_str!("../../../runtime/src/runtime/client.rs")),
    ("encode.rs", include_str!("../../../runtime/src/runtime/encode.rs")),
    ("error.rs", include_str!("../../../runtime/src/runtime/error.rs")),
    ("formats.rs", include_str!("../../../runtime/src/runtime/formats.rs")),
    ("macros.rs", include_str!("../../../runtime/src/runtime/macros.rs")),
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

/// The runtime's build script (the compiler version for telemetry),
/// written as the generated crate's `build.rs`.
pub(crate) const BUILD_SCRIPT: &str = include_str!("../../../runtime/build.rs");

/// The runtime crate's manifest.
const MANIFEST: &str = include_str!("../../../runtime/Cargo.toml");

/// How a runtime module declares its unit tests (in `<module>/tests.rs`,
/// which is not embedded).
const TESTS_DECL: &str = "\n#[cfg(test)]\nmod tests;\n";

/// The runtime modules as written into a generated crate's `src/runtime/`.
pub(crate) fn sources() -> impl Iterator<Item = (&'static str, &'static str)> {
    SOURCES.iter().map(|&(name, text)| (name, without_tests(text)))
}

fn without_tests(text: &'static str) -> &'static str {
    text.strip_suffix(TESTS_DECL).unwrap_or(text)
}

/// The `[dependencies]` table of the runtime's manifest, header included,
/// ending with a newline.
pub(crate) fn dependencies() -> &'static str {
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
    fn generated_crates_carry_no_test_code() {
        for (name, text) in sources() {
            assert!(!text.contains("cfg(test)"), "runtime/src/runtime/{name} still declares tests");
            assert!(text.ends_with("}\n") || text.ends_with(";\n"), "runtime/src/runtime/{name} lost its end");
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
