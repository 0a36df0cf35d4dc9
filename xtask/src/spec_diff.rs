//! `cargo xtask spec-diff`: what a spec change does to the generated crate.
//!
//! Loads two descriptions (a git revision of `spec/openapi.yaml` and the
//! working tree, or two files), lowers both with the generator and prints
//! `generator::diff`'s report as Markdown (for a pull-request comment) or
//! JSON. `--fail-on breaking` turns breaking changes into a failure.
//!
//! `cargo xtask spec-diff-corpus SPEC` is a self-test on a large real
//! description: it edits a copy in memory, diffs it against the original and
//! checks the report names the expected Rust paths. It needs a file outside
//! the repository, so it is a CI step rather than a `cargo test` test.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use generator::diff::{self, Bump, Class};
use generator::ir::Api;
use generator::value::Value;
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
}

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
    let (old_label, old_bytes, new_label, new_bytes) = match (&args.base, &args.old, &args.new) {
        (Some(rev), None, None) => {
            let old = git_show(rev, DEFAULT_SPEC)?;
            let Some(old) = old else {
                // A new description: everything in it is an addition.
                eprintln!("{DEFAULT_SPEC} does not exist at {rev}; every operation and type is new");
                return run_apis(
                    args,
                    "nothing",
                    empty_api(),
                    &format!("{DEFAULT_SPEC} (working tree)"),
                    &read(&project_root().join(DEFAULT_SPEC))?,
                );
            };
            let path = project_root().join(DEFAULT_SPEC);
            let new = read(&path)?;
            (format!("{DEFAULT_SPEC} at {rev}"), old, format!("{DEFAULT_SPEC} (working tree)"), new)
        }
        (None, Some(old), Some(new)) => (label(old), read(old)?, label(new), read(new)?),
        _ => return Err("error: give either `--base REV` or `OLD_SPEC NEW_SPEC`".to_string()),
    };
    let old = load(&old_label, &old_bytes)?;
    run_apis(args, &old_label, old, &new_label, &new_bytes)
}

/// Loads the new description, compares and writes the report.
fn run_apis(args: &Args, old_label: &str, old: Api, new_label: &str, new_bytes: &[u8]) -> Result<(), String> {
    let new = load(new_label, new_bytes)?;
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

fn config(label: &str) -> Config {
    Config {
        crate_name: DEFAULT_CRATE.to_string(),
        crate_version: "0.1.0".to_string(),
        spec_label: label.to_string(),
        command: "cargo xtask spec-diff".to_string(),
        standalone: false,
        runtime: Default::default(),
        parts: 0,
        settings: Default::default(),
    }
}

fn load(label: &str, bytes: &[u8]) -> Result<Api, String> {
    match generator::load_api(label, bytes, &config(label)) {
        Ok((api, _warnings)) => Ok(api),
        Err(d) => Err(format!("{d}error: {label} could not be loaded ({} errors)", d.errors().count())),
    }
}

fn lower(label: &str, doc: &Value) -> Result<Api, String> {
    match generator::lower::lower(label, doc, &config(label)) {
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
        };
        let err = super::run(&args).expect_err("a narrowed constraint is breaking");
        assert!(err.contains("breaking"), "{err}");
        let json = std::fs::read_to_string(&out).unwrap();
        assert!(json.contains("\"bump\": \"major\""), "{json}");
        let same = super::Args { new: Some(old), ..args };
        assert!(super::run(&same).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
