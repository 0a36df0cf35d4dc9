//! Golden tests: each `fixtures/<name>.yaml` (or `.json`) is generated and
//! compared with `fixtures/<name>.rs`, the generated crate's own files
//! (everything but the verbatim runtime, and the crate skeleton but for one
//! fixture) joined with `// ---- path` lines.
//!
//! Update the goldens with `UPDATE_GOLDEN=1 cargo test -p generator --test golden`
//! and review the diff; one fixture's test is named after it and runs alone
//! (`cargo test -p generator --test golden -- seed`). `fixtures_compile`
//! builds every fixture crate with warnings denied and every feature on (the
//! blocking client), so goldens are always valid Rust, and a crate that
//! `include!`s one fixture in the single-file layout, as a build script's
//! crate does.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use generator::Config;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture_specs() -> Vec<PathBuf> {
    let mut res: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    res.sort();
    assert!(!res.is_empty(), "no fixtures found");
    res
}

fn config(name: &str) -> Config {
    let stem = name.split('.').next().unwrap_or(name);
    // `paging_*` fixtures page by the conventions they show, with no settings.
    let settings = if stem.starts_with("paging") { Default::default() } else { auth0_settings() };
    Config {
        crate_name: format!("fixture-{}", stem.replace('_', "-")),
        crate_version: "0.1.0".into(),
        spec_label: format!("generator/tests/fixtures/{name}"),
        command: "UPDATE_GOLDEN=1 cargo test -p generator --test golden".into(),
        standalone: false,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::Crate,
        settings,
    }
}

/// The settings of spec/codegen.yaml, so fixtures can page.
fn auth0_settings() -> generator::config::Settings {
    generator::config::Settings {
        paging: generator::config::PagingConfig {
            offset: Some(("page".into(), "per_page".into(), Some("include_totals".into()))),
            checkpoint: Some(("from".into(), "take".into(), "next".into())),
            default_take: Some(50),
            item_cursor: vec!["log_id".into()],
            default_per_page: None,
            page_size_caps: Vec::new(),
            result_caps: vec![generator::config::ResultCap {
                route: "/users".into(),
                limit: 1000,
                hint: "export them with a job".into(),
            }],
        },
        readme_operation: None,
        readme_fields: Vec::new(),
        telemetry_header: None,
        custom_domain: None,
        token_url: None,
        event_type_field: None,
        package: Default::default(),
        overlays: Vec::new(),
    }
}

fn generate(spec: &Path) -> generator::Output {
    let name = spec.file_name().unwrap().to_str().unwrap();
    let bytes = fs::read(spec).unwrap();
    match generator::generate(name, &bytes, &config(name)) {
        Ok(o) => o,
        Err(d) => panic!("{name} failed to generate:\n{d}"),
    }
}

/// The fixture whose golden keeps the crate skeleton (`src/lib.rs`,
/// `src/client.rs`): the other goldens hold only what their spec decides, so
/// an edit of the skeleton's prose changes one golden, not every one.
const SKELETON_FIXTURE: &str = "seed";

/// The golden text: every non-runtime `.rs` file, in path order (the
/// skeleton files only for [`SKELETON_FIXTURE`]); `build.rs` is the
/// runtime's, the same for every spec.
fn golden_text(name: &str, out: &generator::Output) -> String {
    let skeleton = |p: &str| p == "src/lib.rs" || p == "src/client.rs";
    let mut res = String::new();
    for f in out.files.iter().filter(|f| {
        f.path.ends_with(".rs")
            && !f.path.starts_with("src/runtime/")
            && f.path != "build.rs"
            && (name == SKELETON_FIXTURE || !skeleton(&f.path))
    }) {
        res.push_str(&format!("// ---- {} ----\n", f.path));
        res.push_str(&f.contents);
        res.push('\n');
    }
    res
}

/// Compares one fixture's golden (or writes it, with `UPDATE_GOLDEN`).
fn check_golden(name: &str) {
    let spec = fixture_specs()
        .into_iter()
        .find(|p| p.file_stem().is_some_and(|s| s == name))
        .unwrap_or_else(|| panic!("no fixture {name}.yaml or {name}.json"));
    let text = golden_text(name, &generate(&spec));
    let golden = spec.with_extension("rs");
    let old = fs::read_to_string(&golden).unwrap_or_default().replace("\r\n", "\n");
    if old == text {
        return;
    }
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&golden, &text).unwrap();
        eprintln!("updated {}", golden.display());
        return;
    }
    let diff = similar::TextDiff::from_lines(&old, &text);
    let mut shown = diff.unified_diff().context_radius(2).to_string();
    shown.truncate(8_000);
    panic!(
        "{} is stale:\n{shown}\nrun `UPDATE_GOLDEN=1 cargo test -p generator --test golden -- {name}` and review the diff",
        golden.display()
    );
}

/// One test per fixture, named after it, so one golden runs alone
/// (`cargo test -p generator --test golden -- seed`).
/// `every_fixture_has_a_golden_test` keeps the list whole.
macro_rules! goldens {
    ($($name:ident),* $(,)?) => {
        /// The fixtures with a golden test, by file stem.
        const GOLDEN_TESTS: &[&str] = &[$(stringify!($name)),*];
        mod golden {
            $(
                #[test]
                fn $name() {
                    super::check_golden(stringify!($name));
                }
            )*
        }
    };
}

goldens!(
    blocking,
    bodies,
    broken_refs,
    composition,
    dispatch,
    hostile_names,
    hostile_text,
    hygiene,
    names,
    no_operations,
    numbers,
    numbers31,
    openapi31,
    paging_conventions,
    paging_stream_names,
    parameters,
    scalars,
    seed,
);

#[test]
fn every_fixture_has_a_golden_test() {
    let stems: Vec<String> =
        fixture_specs().iter().filter_map(|p| p.file_stem()?.to_str().map(str::to_string)).collect();
    let missing: Vec<&String> = stems.iter().filter(|s| !GOLDEN_TESTS.contains(&s.as_str())).collect();
    let stale: Vec<&&str> = GOLDEN_TESTS.iter().filter(|t| !stems.iter().any(|s| s == *t)).collect();
    assert!(missing.is_empty(), "fixtures without a golden test (add them to `goldens!`): {missing:?}");
    assert!(stale.is_empty(), "golden tests without a fixture: {stale:?}");
}

#[test]
fn output_is_deterministic() {
    for spec in fixture_specs() {
        let a = generate(&spec);
        let b = generate(&spec);
        assert_eq!(a.files, b.files, "{} differs between two runs", spec.display());
    }
}

/// A fixture in the single-file layout (`Layout::SingleFile`).
fn single_file(spec: &Path) -> String {
    let name = spec.file_name().unwrap().to_str().unwrap();
    let mut config = config(name);
    config.layout = generator::Layout::SingleFile;
    let out = generator::generate(name, &fs::read(spec).unwrap(), &config).unwrap_or_else(|d| panic!("{d}"));
    let paths: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["src/lib.rs"], "{name}: the single-file layout is one file");
    out.single_file().unwrap_or_else(|| panic!("{name}: no single file")).to_string()
}

/// The modules of `items`, inline or not, by path from the crate root
/// (`types::t_a`), with each `#[cfg(feature = ..)]` found on the way.
fn modules(items: &[syn::Item], prefix: &str, out: &mut Vec<(String, bool)>, features: &mut Vec<String>) {
    use quote::ToTokens;
    for item in items {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Type(t) => &t.attrs,
            syn::Item::Macro(m) => &m.attrs,
            _ => continue,
        };
        for a in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
            let text = a.meta.to_token_stream().to_string();
            if text.contains("feature") {
                features.push(text);
            }
        }
        if let syn::Item::Mod(m) = item {
            let path = format!("{prefix}{}", m.ident);
            out.push((path.clone(), m.content.is_some()));
            if let Some((_, items)) = &m.content {
                modules(items, &format!("{path}::"), out, features);
            }
        }
    }
}

/// The module of a crate file (`src/types/t_a.rs` -> `types::t_a`).
fn module_of(path: &str) -> Option<String> {
    let rel = path.strip_prefix("src/")?.strip_suffix(".rs")?;
    let rel = rel.strip_suffix("/mod").unwrap_or(rel);
    (rel != "lib").then(|| rel.replace('/', "::"))
}

/// The single-file form of every fixture is one file `include!` can take:
/// Rust with no inner attribute at its top, no module out of line, no group
/// feature (only the runtime's `blocking`), and a module for every Rust file
/// of the crate folder, so that nothing is dropped on the way.
#[test]
fn single_file_is_the_crate_with_its_modules_inline() {
    for spec in fixture_specs() {
        let name = spec.file_name().unwrap().to_str().unwrap().to_string();
        let text = single_file(&spec);
        assert!(text.starts_with("// @generated by "), "{name}: the header comes first");
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{name}: the single file does not parse: {e}"));
        assert!(file.attrs.is_empty(), "{name}: `include!` takes no inner attribute at the top");
        let (mut mods, mut features) = (Vec::new(), Vec::new());
        modules(&file.items, "", &mut mods, &mut features);
        let out_of_line: Vec<&String> = mods.iter().filter(|(_, inline)| !inline).map(|(m, _)| m).collect();
        assert!(out_of_line.is_empty(), "{name}: modules out of line: {out_of_line:?}");
        // The runtime's own `blocking` stays: the including crate declares it.
        assert!(!features.is_empty(), "{name}: the blocking client is behind `blocking`");
        assert!(features.iter().all(|f| f == "cfg (feature = \"blocking\")"), "{name}: {features:?}");
        // Every Rust file of the crate folder is a module of the single file
        // (which has more: those inline in both, such as `blocking`).
        let folder = generate(&spec);
        let got: Vec<String> = mods.into_iter().map(|(m, _)| m).collect();
        let dropped: Vec<String> =
            folder.files.iter().filter_map(|f| module_of(&f.path)).filter(|m| !got.contains(m)).collect();
        assert!(dropped.is_empty(), "{name}: files of the crate folder not in the single file: {dropped:?}");
    }
}

/// A fixture split into crates (`Config::parts`), on the runtime crate:
/// the crates of its groups must build on their own, each naming only its
/// own types and the common crate's.
fn split_fixture(root: &Path) -> generator::Output {
    let name = "paging_conventions.yaml";
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let mut config = config(name);
    config.crate_name = "fixture-split".into();
    config.runtime = generator::RuntimeSource::Crate { path: Some(root.join("runtime").display().to_string()) };
    config.parts = 2;
    let out = generator::generate(name, &fs::read(&spec).unwrap(), &config).unwrap_or_else(|d| panic!("{d}"));
    let paths: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
    for part in ["crates/common", "crates/part-1", "crates/part-2"] {
        assert!(paths.contains(&format!("{part}/Cargo.toml").as_str()), "{paths:?}");
    }
    assert!(!paths.iter().any(|p| p.starts_with("src/types") || p.starts_with("src/runtime")), "{paths:?}");
    out
}

/// Asked for more parts than it has pairs of groups, or for more than the
/// generator makes, a client gets at most one part per two groups (and the
/// groups are all placed).
#[test]
fn parts_are_at_most_one_per_two_groups() {
    let name = "paging_conventions.yaml";
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    for asked in [64, 1000] {
        let mut config = config(name);
        config.runtime = generator::RuntimeSource::Crate { path: Some("../runtime".into()) };
        config.parts = asked;
        let out = generator::generate(name, &fs::read(&spec).unwrap(), &config).unwrap_or_else(|d| panic!("{d}"));
        let manifest = out.files.iter().find(|f| f.path == "Cargo.toml").map(|f| f.contents.clone()).unwrap();
        // `full` lists every group, then every part's own `full`.
        let full = manifest.lines().find_map(|l| l.strip_prefix("full = [")).unwrap();
        let groups = full.split(", ").filter(|f| !f.contains('/')).count();
        let parts =
            out.files.iter().filter(|f| f.path.starts_with("crates/part-") && f.path.ends_with("/Cargo.toml")).count();
        assert!(groups >= 4, "the fixture needs four groups to split: {manifest}");
        // A part no group's ranking picks is left out (`Features::split`).
        assert!((2..=groups / 2).contains(&parts), "asked for {asked} parts, made {parts}: {manifest}");
    }
}

/// Builds every fixture crate, in one cargo workspace, with warnings denied.
#[test]
fn fixtures_compile() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let ws = root.join("target/fixtures-ws");
    let _ = fs::remove_dir_all(&ws);
    let mut members = Vec::new();
    let mut crates: Vec<(String, generator::Output)> = Vec::new();
    for spec in fixture_specs() {
        crates.push((spec.file_stem().unwrap().to_str().unwrap().to_string(), generate(&spec)));
    }
    crates.push(("split".to_string(), split_fixture(&root)));
    // A description split into files, made one document first.
    let multi = fixtures_dir().join("multi_file/api.yaml");
    let bytes = generator::bundle::read(&multi, "api.yaml").unwrap_or_else(|d| panic!("multi_file: {d}"));
    let out = generator::generate("api.yaml", &bytes, &config("multi_file.yaml")).unwrap_or_else(|d| panic!("{d}"));
    crates.push(("multi-file".to_string(), out));
    // A crate that includes a fixture's single file at its root, as the
    // build-script example does: the fixture of hostile group names.
    let single = ws.join("single-file");
    fs::create_dir_all(single.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"fixture-single-file\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n{}\n{}",
        generator::runtime_dependencies(),
        generator::runtime_features()
    );
    fs::write(single.join("Cargo.toml"), manifest).unwrap();
    fs::write(single.join("src/generated.rs"), single_file(&fixtures_dir().join("hostile_names.yaml"))).unwrap();
    let lib = "//! The hostile-names fixture, included.\n#![deny(warnings)]\ninclude!(\"generated.rs\");\n";
    fs::write(single.join("src/lib.rs"), lib).unwrap();
    members.push("\"single-file\"".to_string());
    for (name, out) in crates {
        let dir = ws.join(&name);
        for f in &out.files {
            if let Some(part) = f.path.strip_suffix("/Cargo.toml") {
                members.push(format!("{:?}", format!("{name}/{part}")));
            }
            let path = dir.join(&f.path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            let contents = if f.path.ends_with("src/lib.rs") {
                // Inner attributes must come first; the header is a comment.
                f.contents.replacen("\n#![", "\n#![deny(warnings)]\n#![", 1)
            } else if f.path.starts_with("examples/") && f.path.ends_with(".rs") {
                // An example is a crate root of its own: warnings denied there too.
                format!("#![deny(warnings)]\n{}", f.contents)
            } else {
                f.contents.clone()
            };
            fs::write(path, contents).unwrap();
        }
        members.push(format!("{name:?}"));
    }
    fs::write(ws.join("Cargo.toml"), format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")))
        .unwrap();
    fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        // `--all-features`: the blocking client too (it compiles the async
        // code as well, so nothing goes unchecked); `--all-targets`: every
        // operation's example (`examples/operations.rs`).
        .args(["build", "--offline", "--quiet", "--all-features", "--all-targets", "--target-dir"])
        .arg(root.join("target/fixtures"))
        .current_dir(&ws)
        .env_remove("RUSTFLAGS")
        .status()
        .expect("run cargo");
    assert!(status.success(), "a fixture crate does not build warning-free (see the output above)");
    // A part crate also builds on its own, with only its own features (as
    // docs.rs and `cargo build -p` build it): its groups turn on what they
    // need in the common crate. `blocking` keeps the runtime's build as above.
    for part in ["fixture-split-part-1", "fixture-split-part-2"] {
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--offline", "--quiet", "-p", part, "--features", "blocking", "--target-dir"])
            .arg(root.join("target/fixtures"))
            .current_dir(&ws)
            .env_remove("RUSTFLAGS")
            .status()
            .expect("run cargo");
        assert!(status.success(), "{part} does not build on its own (see the output above)");
    }
}
