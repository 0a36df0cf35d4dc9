//! `cargo xtask spec-diff`: what a spec change does to the generated crate.
//!
//! Loads two descriptions (a git revision of `spec/openapi.yaml` and the
//! working tree, or two files), lowers both with the generator and prints
//! `generator::diff`'s report as Markdown (for a pull-request comment) or
//! JSON. `--fail-on breaking` turns breaking changes into a failure.
//!
//! Each description is lowered with its settings (`spec/codegen.yaml` at the
//! same revision, or the `codegen.yaml` beside a file) and the overlays they
//! list, as `cargo xtask codegen` generates it, then `--overlay` files
//! (applied to both); `--without-overlays` compares the descriptions as
//! they are, to see an upstream change alone.
//!
//! `cargo xtask spec-diff-corpus SPEC` is a self-test on a large real
//! description: it edits a copy in memory, diffs it against the original and
//! checks the report names the expected Rust paths. It needs a file outside
//! the repository, so it is a CI step rather than a `cargo test` test.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use generator::config::{OverlayFile, Settings};
use generator::diff::{self, Bump, Class};
use generator::ir::Api;
use generator::value::Value;
use generator::write::Overlays;
use generator::Config;

use crate::codegen::{DEFAULT_CRATE, DEFAULT_SPEC};
use crate::project_root;

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Compare `spec/openapi.yaml` at this git revision with the working tree.
    #[arg(long, value_name = "REV", conflicts_with_all = ["old", "new"])]
    pub base: Option<String>,
    /// The old description (YAML or JSON, OpenAPI 3.0 or 3.1).
    #[arg(value_name = "OLD_SPEC", requires = "new")]
    pub old: Option<PathBuf>,
    /// The new description.
    #[arg(value_name = "NEW_SPEC")]
    pub new: Option<PathBuf>,
    /// The report format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Exit with an error when the report has changes of this class.
    #[arg(long = "fail-on", value_enum, value_name = "CLASS")]
    pub fail_on: Option<FailOn>,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Apply this OpenAPI Overlay 1.0 document to both descriptions, after those their settings list (repeatable, in order).
    #[arg(long = "overlay", value_name = "FILE")]
    pub overlays: Vec<PathBuf>,
    /// Compare the descriptions as they are, without any overlay: the upstream change alone.
    #[arg(long = "without-overlays", conflicts_with = "overlays")]
    pub without_overlays: bool,
}

/// Settings file of the default description, beside it.
const DEFAULT_SETTINGS: &str = "spec/codegen.yaml";

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Markdown,
    Json,
    /// Markdown sized for a pull-request comment (at most 60,000 characters).
    Comment,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FailOn {
    Breaking,
}

#[derive(clap::Args, Debug)]
pub(crate) struct CorpusArgs {
    /// A full Auth0 Management API description
    /// (for example `/work/shared/specs/auth0-management-2026-05.yaml`).
    #[arg(value_name = "SPEC")]
    pub spec: PathBuf,
}

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let overlays = if args.without_overlays { Overlays::Without } else { Overlays::Listed(&args.overlays) };
    let (old, new) = match (&args.base, &args.old, &args.new) {
        (Some(rev), None, None) => {
            let new_settings = generator::write::read_settings(&project_root().join(DEFAULT_SETTINGS))?;
            let new = Side {
                label: format!("{DEFAULT_SPEC} (working tree)"),
                bytes: read(&project_root().join(DEFAULT_SPEC))?,
                settings: overlays.apply_to(new_settings)?,
            };
            let Some(old) = git_show(rev, DEFAULT_SPEC)? else {
                // A new description: everything in it is an addition.
                eprintln!("{DEFAULT_SPEC} does not exist at {rev}; every operation and type is new");
                return run_apis(args, "nothing", empty_api(), &new);
            };
            let old = Side {
                label: format!("{DEFAULT_SPEC} at {rev}"),
                bytes: old,
                settings: overlays.apply_to(settings_at(rev)?)?,
            };
            (old, new)
        }
        (None, Some(old), Some(new)) => (Side::read(old, overlays)?, Side::read(new, overlays)?),
        _ => return Err("error: give either `--base REV` or `OLD_SPEC NEW_SPEC`".to_string()),
    };
    let old_api = load(&old.label, &old.bytes, old.settings)?;
    run_apis(args, &old.label, old_api, &new)
}

/// One description to compare, with the settings (and overlays) it is
/// generated with.
struct Side {
    label: String,
    bytes: Vec<u8>,
    settings: Settings,
}

impl Side {
    /// A file, with the `codegen.yaml` beside it and its overlays.
    fn read(path: &Path, overlays: Overlays) -> Result<Side, String> {
        let settings = generator::write::read_settings(&path.with_file_name(generator::write::SETTINGS_FILE))?;
        Ok(Side { label: label(path), bytes: read(path)?, settings: overlays.apply_to(settings)? })
    }
}

/// `spec/codegen.yaml` at `rev` and the overlays it lists there (relative
/// to `spec/`, read at `rev` too); the defaults when it does not exist.
fn settings_at(rev: &str) -> Result<Settings, String> {
    let Some(text) = git_show(rev, DEFAULT_SETTINGS)? else { return Ok(Settings::default()) };
    let file = format!("{DEFAULT_SETTINGS} at {rev}");
    let text = String::from_utf8(text).map_err(|_| format!("error: {file} is not utf-8"))?;
    let mut settings = Settings::from_yaml(&file, &text).map_err(|d| format!("{d}error: {file} is invalid"))?;
    for overlay in &mut settings.overlays {
        let path = repo_path(&format!("spec/{}", overlay.path));
        let bytes = git_show(rev, &path)?
            .ok_or_else(|| format!("error: overlay {path}, listed in {file}, does not exist at {rev}"))?;
        *overlay = OverlayFile { path, bytes: Some(bytes) };
    }
    Ok(settings)
}

/// `a/./b/../c` as `a/c`: a path `git show` takes.
fn repo_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Loads the new description, compares and writes the report.
fn run_apis(args: &Args, old_label: &str, old: Api, new: &Side) -> Result<(), String> {
    let new_label = new.label.as_str();
    let new = load(new_label, &new.bytes, new.settings.clone())?;
    let report = diff::diff(&old, &new);
    let text = match args.format {
        Format::Markdown => report.to_markdown(&format!("`{old_label}` → `{new_label}`")),
        Format::Json => report.to_json(),
        Format::Comment => report.to_comment(&format!("`{old_label}` → `{new_label}`"), diff::COMMENT_LIMIT),
    };
    match &args.output {
        Some(path) => fs::write(path, &text).map_err(|e| format!("error: cannot write {}: {e}", path.display()))?,
        None => print!("{text}"),
    }
    if args.fail_on == Some(FailOn::Breaking) && report.is_breaking() {
        return Err(format!(
            "error: {} breaking changes (the generated crate needs a major version); \
             `--fail-on breaking` is set",
            report.n_breaking()
        ));
    }
    Ok(())
}

/// Diffs a real description against a copy edited in memory and checks the
/// report names the Rust paths the edits touch.
pub(crate) fn corpus(args: &CorpusArgs) -> Result<(), String> {
    let label = label(&args.spec);
    let bytes = read(&args.spec)?;
    let t = Instant::now();
    let doc = generator::load::load(&label, &bytes).map_err(|d| format!("{d}error: {label} could not be loaded"))?;
    let mut edited = doc.clone();
    edit_corpus(&mut edited)?;
    let old = lower(&label, &doc)?;
    let new = lower(&format!("{label} (edited)"), &edited)?;
    let loaded = t.elapsed();
    let t = Instant::now();
    let report = diff::diff(&old, &new);
    let markdown = report.to_markdown("corpus");
    let json = report.to_json();
    let diffed = t.elapsed();
    let expected: &[(Class, &str, &str)] = &[
        (Class::Breaking, "constraint-narrowed", "types::CreateUserAuthenticationMethodRequestContent::phone_number"),
        (Class::Compatible, "enum-value-added", "types::CreatedUserAuthenticationMethodTypeEnum::Recovery"),
        (Class::Breaking, "field-added", "types::CreateUserAuthenticationMethodRequestContent::nickname"),
        (Class::Compatible, "field-added", "types::CreateUserAuthenticationMethodRequestContent::label"),
        (Class::Breaking, "enum-value-removed", "types::CreatedUserAuthenticationMethodTypeEnum::Passkey"),
        (Class::Compatible, "status-added", "UsersAuthenticationMethodsCreateError::UnprocessableEntity"),
        (Class::Breaking, "operation-removed", "client.users().authentication_methods().delete_all"),
        (Class::Compatible, "param-added", "::locale"),
    ];
    let mut missing = Vec::new();
    for (class, kind, path) in expected {
        let found = report.changes().any(|c| c.class == *class && c.kind == *kind && c.rust_path.ends_with(path));
        if !found || !markdown.contains(path.trim_start_matches("::")) {
            missing.push(format!("{} {kind} {path}", class.as_str()));
        }
    }
    let ops = report.operation_counts();
    eprintln!(
        "{label}: {} operations, {} types; load and lower both {:?}, diff and render {:?}",
        new.operations.len(),
        new.types.len(),
        loaded,
        diffed
    );
    eprintln!("{}", report.summary());
    if !missing.is_empty() || report.bump() != Bump::Major || ops.removed != 1 || json.len() < 100 {
        return Err(format!(
            "{markdown}\nerror: the corpus report is not as expected (bump {}, {} operations removed); missing:\n  {}",
            report.bump().as_str(),
            ops.removed,
            missing.join("\n  ")
        ));
    }
    // Review-sized comments fit for the edit and for the largest change
    // there is: every operation and type removed, and every one added.
    for (what, r) in [
        ("edit", report.clone()),
        ("all removed", diff::diff(&old, &empty_api())),
        ("all added", diff::diff(&empty_api(), &old)),
    ] {
        let comment = r.to_comment(what, diff::COMMENT_LIMIT);
        let full = r.to_markdown(what);
        let first_compatible = comment.find("### Compatible changes").unwrap_or(comment.len());
        let breaking_listed = comment[..first_compatible].matches("\n- `").count();
        eprintln!(
            "comment ({what}): {} of {} characters, {} breaking changes listed of {}",
            comment.len(),
            full.len(),
            breaking_listed,
            r.n_breaking()
        );
        if comment.len() > diff::COMMENT_LIMIT || (r.n_breaking() > 0 && breaking_listed == 0) {
            return Err(format!(
                "error: the {what} comment is {} characters or lists no breaking change",
                comment.len()
            ));
        }
    }
    // The original against itself has no changes at all.
    let same = diff::diff(&old, &old);
    if same.changes().next().is_some() || same.bump() != Bump::Patch {
        return Err(format!(
            "{}\nerror: a description diffed against itself reports changes",
            same.to_markdown("self")
        ));
    }
    eprintln!("spec-diff-corpus: ok");
    Ok(())
}

/// The in-memory edits `corpus` checks for.
fn edit_corpus(doc: &mut Value) -> Result<(), String> {
    let schemas = ["components", "schemas"];
    let req = [&schemas[..], &["CreateUserAuthenticationMethodRequestContent"]].concat();
    set(doc, &[&req[..], &["properties", "phone_number", "maxLength"]].concat(), Value::Int(20))?;
    let props = object(at(doc, &[&req[..], &["properties"]].concat())?)?;
    props.insert("nickname".into(), string_schema());
    props.insert("label".into(), string_schema());
    let required = at(doc, &[&req[..], &["required"]].concat())?;
    let Value::Array(required) = required else {
        return Err("error: `required` is not an array".into());
    };
    required.push(Value::String("nickname".into()));
    let en = at(doc, &[&schemas[..], &["CreatedUserAuthenticationMethodTypeEnum", "enum"]].concat())?;
    let Value::Array(values) = en else {
        return Err("error: `enum` is not an array".into());
    };
    values.retain(|v| v.as_str() != Some("passkey"));
    values.push(Value::String("recovery".into()));
    let responses = object(at(doc, &["paths", "/users/{id}/authentication-methods", "post", "responses"])?)?;
    responses.insert("422".into(), obj(&[("description", Value::String("Unprocessable.".into()))]));
    let item = object(at(doc, &["paths", "/users/{id}/authentication-methods"])?)?;
    if item.shift_remove("delete").is_none() {
        return Err("error: `DELETE /users/{id}/authentication-methods` is not in the corpus".into());
    }
    let get = object(at(doc, &["paths", "/users/{id}/authentication-methods", "get"])?)?;
    let Some(Value::Array(params)) = get.get_mut("parameters") else {
        return Err("error: no parameters".into());
    };
    params.push(obj(&[
        ("name", Value::String("locale".into())),
        ("in", Value::String("query".into())),
        ("schema", string_schema()),
    ]));
    Ok(())
}

fn string_schema() -> Value {
    obj(&[("type", Value::String("string".into()))])
}

fn obj(entries: &[(&str, Value)]) -> Value {
    Value::Object(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

fn at<'v>(mut v: &'v mut Value, path: &[&str]) -> Result<&'v mut Value, String> {
    for key in path {
        v = match v {
            Value::Object(m) => {
                m.get_mut(*key).ok_or_else(|| format!("error: `{}` is not in the corpus", path.join("/")))?
            }
            _ => return Err(format!("error: `{}` is not an object path", path.join("/"))),
        };
    }
    Ok(v)
}

fn set(doc: &mut Value, path: &[&str], value: Value) -> Result<(), String> {
    *at(doc, path)? = value;
    Ok(())
}

fn object(v: &mut Value) -> Result<&mut generator::value::Map, String> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(format!("error: expected an object, found {}", other.kind())),
    }
}

fn config(label: &str, settings: Settings) -> Config {
    Config {
        crate_name: DEFAULT_CRATE.to_string(),
        crate_version: "0.1.0".to_string(),
        spec_label: label.to_string(),
        command: "cargo xtask spec-diff".to_string(),
        standalone: false,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::Crate,
        settings,
    }
}

fn load(label: &str, bytes: &[u8], settings: Settings) -> Result<Api, String> {
    match generator::load_api(label, bytes, &config(label, settings)) {
        Ok((api, _warnings)) => Ok(api),
        Err(d) => Err(format!("{d}error: {label} could not be loaded ({} errors)", d.errors().count())),
    }
}

fn lower(label: &str, doc: &Value) -> Result<Api, String> {
    match generator::lower::lower(label, doc, &config(label, Settings::default())) {
        Ok((api, _warnings)) => Ok(api),
        Err(d) => Err(format!("{d}error: {label} could not be lowered ({} errors)", d.errors().count())),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|e| format!("error: cannot read {}: {e}", path.display()))
}

fn label(path: &Path) -> String {
    path.display().to_string()
}

/// An API with nothing in it, the base of a description added by a change.
fn empty_api() -> Api {
    Api {
        title: String::new(),
        version: String::new(),
        description: None,
        servers: Vec::new(),
        security: Vec::new(),
        types: Vec::new(),
        patterns: Vec::new(),
        operations: Vec::new(),
        paging_census: Vec::new(),
        runtime: Default::default(),
    }
}

/// `git show REV:PATH` in the workspace root; `None` when `PATH` does not
/// exist at `REV`.
fn git_show(rev: &str, path: &str) -> Result<Option<Vec<u8>>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(project_root())
        .arg("show")
        .arg(format!("{rev}:{path}"))
        .output()
        .map_err(|e| format!("error: cannot run git: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && (stderr.contains("does not exist in") || stderr.contains("exists on disk, but not in"))
    {
        return Ok(None);
    }
    if !out.status.success() {
        return Err(format!(
            "error: `git show {rev}:{path}` failed: {}\n    NOTE: fetch the base revision first (`git fetch origin <branch>`)",
            stderr.trim()
        ));
    }
    Ok(Some(out.stdout))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::{Cli, Task};

    #[test]
    fn args_need_base_or_two_files() {
        assert!(Cli::try_parse_from(["xtask", "spec-diff", "--base", "HEAD", "a.yaml"]).is_err());
        assert!(Cli::try_parse_from(["xtask", "spec-diff", "a.yaml"]).is_err());
        let cli = Cli::try_parse_from([
            "xtask",
            "spec-diff",
            "a.yaml",
            "b.json",
            "--format",
            "json",
            "--fail-on",
            "breaking",
        ])
        .expect("two files parse");
        let Task::SpecDiff(args) = cli.task else { panic!("not spec-diff") };
        assert_eq!(args.format, super::Format::Json);
        assert_eq!(args.fail_on, Some(super::FailOn::Breaking));
    }

    #[test]
    fn fail_on_breaking_fails() {
        let dir = std::env::temp_dir().join(format!("xtask-spec-diff-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let seed = std::fs::read_to_string(crate::project_root().join(super::DEFAULT_SPEC)).unwrap();
        let narrowed = seed.replace("maxLength: 30", "maxLength: 20");
        assert_ne!(seed, narrowed);
        let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
        std::fs::write(&old, &seed).unwrap();
        std::fs::write(&new, &narrowed).unwrap();
        let out = dir.join("report.json");
        let args = super::Args {
            base: None,
            old: Some(old.clone()),
            new: Some(new.clone()),
            format: super::Format::Json,
            fail_on: Some(super::FailOn::Breaking),
            output: Some(out.clone()),
            overlays: Vec::new(),
            without_overlays: false,
        };
        let err = super::run(&args).expect_err("a narrowed constraint is breaking");
        assert!(err.contains("breaking"), "{err}");
        let json = std::fs::read_to_string(&out).unwrap();
        assert!(json.contains("\"bump\": \"major\""), "{json}");
        let same = super::Args { new: Some(old), ..args };
        assert!(super::run(&same).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The new side's settings list an overlay that narrows a constraint:
    /// breaking with it, no change without overlays (the upstream alone).
    #[test]
    fn overlays_are_compared_applied_unless_without_overlays() {
        let dir = std::env::temp_dir().join(format!("xtask-spec-diff-overlay-{}", std::process::id()));
        let (a, b) = (dir.join("a"), dir.join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let seed = std::fs::read_to_string(crate::project_root().join(super::DEFAULT_SPEC)).unwrap();
        std::fs::write(a.join("openapi.yaml"), &seed).unwrap();
        std::fs::write(b.join("openapi.yaml"), &seed).unwrap();
        std::fs::write(b.join("codegen.yaml"), "overlays: [narrow.overlay.yaml]\n").unwrap();
        let overlay = "overlay: 1.0.0\ninfo: {title: narrow, version: '1'}\nactions:\n  \
                       - target: $.components.schemas.CreateUserAuthenticationMethodRequestContent.properties.phone_number\n    \
                       update: {maxLength: 20}\n";
        std::fs::write(b.join("narrow.overlay.yaml"), overlay).unwrap();
        let out = dir.join("report.json");
        let args = super::Args {
            base: None,
            old: Some(a.join("openapi.yaml")),
            new: Some(b.join("openapi.yaml")),
            format: super::Format::Json,
            fail_on: Some(super::FailOn::Breaking),
            output: Some(out.clone()),
            overlays: Vec::new(),
            without_overlays: false,
        };
        let err = super::run(&args).expect_err("the overlay narrows a constraint");
        assert!(err.contains("breaking"), "{err}");
        assert!(std::fs::read_to_string(&out).unwrap().contains("phone_number"));
        let upstream = super::Args { without_overlays: true, ..args };
        super::run(&upstream).expect("the descriptions are the same");
        assert!(std::fs::read_to_string(&out).unwrap().contains("\"bump\": \"patch\""));
        // `--overlay` applies to both sides: the same narrowing on each is no change.
        let both = super::Args { without_overlays: false, overlays: vec![b.join("narrow.overlay.yaml")], ..upstream };
        super::run(&both).expect("both sides are narrowed the same");
        assert!(std::fs::read_to_string(&out).unwrap().contains("\"bump\": \"patch\""));
        assert_eq!(super::repo_path("spec/./a/../b.yaml"), "spec/b.yaml");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
