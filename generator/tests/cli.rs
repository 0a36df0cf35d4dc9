//! The `openapi-rust-client` command as a user runs it: generate, check
//! (fresh and stale), diff, and the exit codes and messages of bad input.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_openapi-rust-client"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output { status, stdout, stderr } = cmd.output().expect("the command runs");
    (status.code().unwrap_or(-1), String::from_utf8_lossy(&stdout).into(), String::from_utf8_lossy(&stderr).into())
}

#[test]
fn generate_then_check_then_stale() {
    let out = temp("gen");
    let spec = fixture("seed.yaml");
    let (code, _, err) = run(bin().args(["generate", "--spec"]).arg(&spec).arg("--out").arg(&out));
    assert_eq!(code, 0, "{err}");
    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("a crate");
    assert!(manifest.contains("name = \"seed-client\"") && manifest.contains("[workspace]"), "{manifest}");
    assert!(out.join("src/lib.rs").exists() && out.join("src/runtime/mod.rs").exists());

    let (code, _, err) = run(bin().args(["check", "--spec"]).arg(&spec).arg("--out").arg(&out));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("is up to date"), "{err}");

    let lib = out.join("src/lib.rs");
    fs::write(&lib, fs::read_to_string(&lib).unwrap().replace("pub mod types;", "pub mod types; // edited")).unwrap();
    let (code, _, err) = run(bin().args(["check", "--spec"]).arg(&spec).arg("--out").arg(&out));
    assert_eq!(code, 1, "a stale crate fails the check");
    assert!(err.contains("src/lib.rs") && err.contains("-pub mod types; // edited"), "{err}");

    // A second generate writes only what changed.
    let (code, _, err) = run(bin().args(["generate", "--spec"]).arg(&spec).arg("--out").arg(&out));
    assert_eq!(code, 0);
    assert!(err.contains("1 files changed"), "{err}");
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn runtime_crate_makes_a_crate_that_depends_on_it_and_switching_back_restores_the_copy() {
    let out = temp("runtime-crate");
    let spec = fixture("seed.yaml");
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let (code, _, err) =
        run(bin().args(["generate", "--spec"]).arg(&spec).arg("--out").arg(&out).arg("--runtime-crate").arg(&runtime));
    assert_eq!(code, 0, "{err}");
    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("a crate");
    let dep = format!("client-runtime = {{ version = \"=0.1.0\", path = {:?} }}", runtime.display().to_string());
    assert!(manifest.contains(&dep), "{manifest}");
    assert!(manifest.contains("blocking = [\"client-runtime/blocking\"]"), "{manifest}");
    assert!(!manifest.contains("reqwest"), "the runtime's own dependencies stay the runtime's: {manifest}");
    assert!(!out.join("src/runtime").exists() && !out.join("build.rs").exists());
    let lib = fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains("pub use client_runtime::runtime;") && !lib.contains("pub mod runtime;"), "{lib}");

    // Without the flag the same folder carries the runtime again.
    let (code, _, err) = run(bin().args(["generate", "--spec"]).arg(&spec).arg("--out").arg(&out));
    assert_eq!(code, 0, "{err}");
    assert!(out.join("src/runtime/mod.rs").exists());
    assert!(!fs::read_to_string(out.join("Cargo.toml")).unwrap().contains("client-runtime"));
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn a_bad_description_is_located_and_exits_1() {
    let dir = temp("bad");
    let spec = dir.join("api.yaml");
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        \
                '200': {description: ok, content: {application/json: {schema: {$ref: 'other.yaml#/Nope'}}}}\n";
    fs::write(&spec, text).unwrap();
    let (code, _, err) = run(bin().args(["generate", "--spec"]).arg(&spec).arg("--out").arg(dir.join("out")));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("api.yaml") && err.contains("#/paths/~1a/get/responses/200"), "{err}");
    assert!(!dir.join("out").exists(), "nothing is written for a bad description");

    let (code, _, err) = run(bin().args(["generate", "--spec"]).arg(dir.join("missing.yaml")).arg("--out").arg(&dir));
    assert_eq!(code, 1);
    assert!(err.contains("cannot read") && err.contains("missing.yaml"), "{err}");

    let (code, _, err) = run(bin().args(["generate", "--out", "x"]));
    assert_eq!(code, 2, "usage errors are clap's: {err}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn an_unresolved_ref_warns_and_deny_warnings_makes_it_an_error() {
    let dir = temp("dangling");
    let spec = dir.join("api.yaml");
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        \
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}}\n";
    fs::write(&spec, text).unwrap();
    let warning = "api.yaml: warning: #/paths/~1a/get/responses/200/content/application~1json/schema/$ref: \
                   unresolved $ref \"#/components/schemas/Nope\"; it falls back to serde_json::Value\n";
    let (code, _, err) = run(bin().args(["generate", "--spec"]).arg(&spec).arg("--out").arg(dir.join("out")));
    assert_eq!(code, 0, "{err}");
    assert!(err.starts_with(warning), "{err}");
    assert!(dir.join("out/src/lib.rs").exists(), "the client is generated");

    let (code, _, err) =
        run(bin().args(["generate", "--deny-warnings", "--spec"]).arg(&spec).arg("--out").arg(dir.join("denied")));
    assert_eq!(code, 1, "{err}");
    assert!(err.starts_with(warning) && err.contains("error: 1 warnings and --deny-warnings is set"), "{err}");
    assert!(!dir.join("denied").exists(), "nothing is written when warnings are denied");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn diff_reports_and_fails_on_breaking() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff/field_removed");
    let (old, new) = (cases.join("old.yaml"), cases.join("new.yaml"));
    let (code, out, err) = run(bin().arg("diff").arg(&old).arg(&new));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("## Spec changes") && out.contains("field-removed") || out.contains("removed"), "{out}");
    let (code, out, _) = run(bin().arg("diff").arg(&old).arg(&new).args(["--format", "json", "--fail-on", "breaking"]));
    assert_eq!(code, 1, "a breaking change fails with --fail-on breaking");
    assert!(out.trim_start().starts_with('{'), "{out}");
    let (code, _, _) = run(bin().arg("diff").arg(&old).arg(&old).args(["--fail-on", "breaking"]));
    assert_eq!(code, 0, "no change, no failure");
}

#[test]
fn version_and_help() {
    let (code, out, _) = run(bin().arg("--version"));
    assert_eq!(code, 0);
    assert!(out.starts_with("openapi-rust-client "), "{out}");
    for sub in ["generate", "check", "diff"] {
        let (code, out, _) = run(bin().args([sub, "--help"]));
        assert_eq!(code, 0);
        assert!(out.contains("Usage: openapi-rust-client"), "{out}");
    }
}

/// `--overlay` on generate, check and diff: an overlay declaring a 404
/// changes the generated code; the settings' `overlays` apply too, before
/// the command line's; a bad overlay is located in the overlay file.
#[test]
fn overlays_change_the_output_of_generate_check_and_diff() {
    let dir = temp("overlay");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/overlay");
    let spec = dir.join("api.yaml");
    fs::copy(fixtures.join("api.yaml"), &spec).unwrap();
    let overlay = fixtures.join("not_found.overlay.yaml");
    let out = dir.join("out");
    let ops = |out: &Path| fs::read_to_string(out.join("src/operations/users.rs")).unwrap_or_default();
    let (code, _, err) = run(bin().args(["generate", "--spec"]).arg(&spec).arg("--out").arg(&out));
    assert_eq!(code, 0, "{err}");
    assert!(ops(&out).contains("pub enum") && !ops(&out).contains("NotFound"), "{}", ops(&out));

    // The crate generated without the overlay is stale with it.
    let (code, _, err) =
        run(bin().args(["check", "--spec"]).arg(&spec).arg("--out").arg(&out).arg("--overlay").arg(&overlay));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("src/operations/users.rs") && err.contains("NotFound"), "{err}");
    let (code, _, err) =
        run(bin().args(["generate", "--spec"]).arg(&spec).arg("--out").arg(&out).arg("--overlay").arg(&overlay));
    assert_eq!(code, 0, "{err}");
    assert!(ops(&out).contains("NotFound"), "{}", ops(&out));
    assert!(ops(&out).contains("--spec api.yaml --overlay not_found.overlay.yaml"), "the header names the overlay");

    // `diff` compares with the overlays applied, or the descriptions alone.
    let (code, report, err) = run(bin().arg("diff").arg(&spec).arg(&spec).arg("--overlay").arg(&overlay));
    assert_eq!(code, 0, "{err}");
    assert!(!report.contains("status-added"), "the same overlay on both sides: {report}");
    let with = dir.join("with");
    fs::create_dir_all(&with).unwrap();
    fs::copy(&spec, with.join("api.yaml")).unwrap();
    fs::copy(&overlay, with.join("fix.overlay.yaml")).unwrap();
    fs::write(with.join("codegen.yaml"), "overlays: [fix.overlay.yaml]\n").unwrap();
    let (code, report, err) = run(bin().arg("diff").arg(&spec).arg(with.join("api.yaml")).args(["--format", "json"]));
    assert_eq!(code, 0, "{err}");
    assert!(report.contains("status-added") && report.contains("NotFound"), "{report}");
    let (code, report, err) =
        run(bin().arg("diff").arg(&spec).arg(with.join("api.yaml")).args(["--format", "json", "--without-overlays"]));
    assert_eq!(code, 0, "{err}");
    assert!(!report.contains("status-added"), "the upstream change alone is none: {report}");

    // The settings' overlay first, then the command line's, each on the result before.
    let second = dir.join("second.overlay.yaml");
    fs::write(&second, "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: \"$.paths['/users/{id}'].get.responses['404']\"\n    update: {description: gone}\n").unwrap();
    let (code, _, err) = run(bin()
        .args(["generate", "--spec"])
        .arg(with.join("api.yaml"))
        .arg("--out")
        .arg(dir.join("out2"))
        .arg("--overlay")
        .arg(&second));
    assert_eq!(code, 0, "{err}");
    assert!(ops(&dir.join("out2")).contains("gone"), "{}", ops(&dir.join("out2")));
    let (code, _, err) = run(bin()
        .args(["generate", "--spec"])
        .arg(&spec)
        .arg("--out")
        .arg(dir.join("out3"))
        .arg("--overlay")
        .arg(&second));
    assert_eq!(code, 1, "without the settings' overlay there is no 404 to update");
    assert!(
        err.contains("second.overlay.yaml: error: #/actions/0/target: target") && err.contains("matches nothing"),
        "{err}"
    );
    assert!(!dir.join("out3").exists());
    let (code, _, err) = run(bin().args(["diff"]).arg(&spec).arg(&spec).args(["--overlay", "x", "--without-overlays"]));
    assert_eq!(code, 2, "the two flags conflict: {err}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_description_in_files_generates_from_its_file_and_a_missing_one_exits_1() {
    let out = temp("multi-file");
    let spec = fixture("multi_file/api.yaml");
    let (code, _, err) = run(bin().args(["generate", "--deny-warnings", "--spec"]).arg(&spec).arg("--out").arg(&out));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("2 operations, 4 types"), "{err}");
    let (code, _, err) = run(bin().args(["check", "--spec"]).arg(&spec).arg("--out").arg(&out));
    assert_eq!(code, 0, "{err}");
    // The same description with a file it names gone.
    let copy = temp("multi-file-broken");
    fs::write(copy.join("api.yaml"), fs::read(&spec).unwrap()).unwrap();
    let (code, _, err) = run(bin().args(["generate", "--spec"]).arg(copy.join("api.yaml")).arg("--out").arg(&out));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("api.yaml: error: #/paths/~1pets/get") && err.contains("cannot be read"), "{err}");
    let _ = fs::remove_dir_all(&out);
    let _ = fs::remove_dir_all(&copy);
}
