//! `cargo xtask codegen`: spec in, crate folder out, only changed files
//! written; `--check` compares instead of writing (rust-analyzer's
//! `ensure_file_contents` pattern).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use generator::{Config, OutputFile};

use crate::project_root;

/// The spec `cargo xtask codegen` reads by default.
pub(crate) const DEFAULT_SPEC: &str = "spec/openapi.yaml";
/// The crate it writes by default.
pub(crate) const DEFAULT_OUT: &str = "generated";
pub(crate) const DEFAULT_CRATE: &str = "auth0-management";

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Fail (with a diff) if the output is not up to date, write nothing.
    #[arg(long)]
    pub check: bool,
    /// The OpenAPI description (YAML or JSON).
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// The crate folder to write.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The generated crate's name.
    #[arg(long = "crate-name")]
    pub crate_name: Option<String>,
    /// Treat warnings (fallbacks taken) as errors.
    #[arg(long = "deny-warnings")]
    pub deny_warnings: bool,
    /// Print timings of each phase.
    #[arg(long)]
    pub timings: bool,
}

/// What one generation produced, for reports.
pub(crate) struct Generated {
    pub output: generator::Output,
    pub read: std::time::Duration,
}

/// Reads and generates; errors are printed diagnostics.
pub(crate) fn generate(
    spec: &Path,
    label: &str,
    crate_name: &str,
    command: &str,
    standalone: bool,
) -> Result<Generated, String> {
    let t = std::time::Instant::now();
    let bytes = fs::read(spec).map_err(|e| format!("error: cannot read {}: {e}", spec.display()))?;
    let read = t.elapsed();
    // Settings the spec cannot express live beside it (`spec/codegen.yaml`).
    let settings = spec.with_file_name("codegen.yaml");
    let settings = match fs::read_to_string(&settings) {
        Ok(text) => generator::config::Settings::from_yaml("codegen.yaml", &text)
            .map_err(|d| format!("{d}error: {} is invalid", settings.display()))?,
        Err(_) => Default::default(),
    };
    let config = Config {
        crate_name: crate_name.to_string(),
        crate_version: "0.1.0".to_string(),
        spec_label: label.to_string(),
        command: command.to_string(),
        standalone,
        settings,
    };
    match generator::generate(label, &bytes, &config) {
        Ok(output) => Ok(Generated { output, read }),
        Err(diags) => {
            Err(format!("{diags}error: {} could not be generated ({} errors)", label, diags.errors().count()))
        }
    }
}

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let root = project_root();
    let default = args.spec.is_none() && args.out.is_none();
    let spec = args.spec.clone().unwrap_or_else(|| root.join(DEFAULT_SPEC));
    let out = args.out.clone().unwrap_or_else(|| root.join(DEFAULT_OUT));
    let crate_name = args.crate_name.clone().unwrap_or_else(|| {
        if default {
            DEFAULT_CRATE.to_string()
        } else {
            spec.file_stem().and_then(|s| s.to_str()).map(crate_name_of).unwrap_or_else(|| "client".to_string())
        }
    });
    let (label, command) = if default {
        (DEFAULT_SPEC.to_string(), "cargo xtask codegen".to_string())
    } else {
        let label = spec.file_name().and_then(|s| s.to_str()).unwrap_or("spec").to_string();
        (label.clone(), format!("cargo xtask codegen --spec {label}"))
    };
    let generated = generate(&spec, &label, &crate_name, &command, !default)?;
    let diags = &generated.output.diagnostics;
    for w in diags.warnings() {
        eprintln!("{}: {w}", diags.file);
    }
    if args.deny_warnings && diags.warnings().next().is_some() {
        return Err(format!("error: {} warnings and --deny-warnings is set", diags.warnings().count()));
    }
    if args.timings {
        let t = &generated.output.timings;
        eprintln!(
            "read {:?}, parse {:?}, lower {:?}, emit+render {:?} wall (emit {:?}, render {:?} cpu)",
            generated.read, t.parse, t.lower, t.emit_and_render, t.emit, t.render
        );
    }
    let mut files = generated.output.files;
    if default {
        files.extend(examples(&root.join("spec/examples"), &command, &label)?);
    }
    let changed = ensure_files(&out, &files, args.check)?;
    if args.check {
        if !changed.is_empty() {
            let mut msg = String::new();
            for c in &changed {
                msg.push_str(c);
            }
            let _ = write!(
                msg,
                "error: {} is not up to date ({} files differ)\n    NOTE: run `{command}` locally and commit the updated files",
                out.display(),
                changed.len()
            );
            return Err(msg);
        }
        eprintln!("{} is up to date", out.display());
    } else {
        eprintln!("{}: {} files changed", out.display(), changed.len());
    }
    Ok(())
}

/// `stripe.yaml` -> `stripe-client`.
pub(crate) fn crate_name_of(stem: &str) -> String {
    let s: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("client-{s}")
    } else {
        format!("{s}-client")
    }
}

/// Runnable examples kept beside the spec, copied with a header.
fn examples(dir: &Path, command: &str, label: &str) -> Result<Vec<OutputFile>, String> {
    let mut res = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return Ok(res) };
    let mut paths: Vec<PathBuf> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "rs")).collect();
    paths.sort();
    for p in paths {
        let text = fs::read_to_string(&p).map_err(|e| format!("error: cannot read {}: {e}", p.display()))?;
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("example.rs");
        res.push(OutputFile {
            path: format!("examples/{name}"),
            contents: format!(
                "{}\n{text}",
                generator::render::rust_header(command, &format!("{label} and spec/examples/{name}"))
            ),
        });
    }
    Ok(res)
}

/// Makes `out` hold exactly `files` (plus files that are not ours).
/// Returns a description (with a diff) of each file that differed.
pub(crate) fn ensure_files(out: &Path, files: &[OutputFile], check: bool) -> Result<Vec<String>, String> {
    let mut changed = Vec::new();
    for f in files {
        let path = out.join(&f.path);
        let old = fs::read_to_string(&path).ok().map(|s| s.replace("\r\n", "\n"));
        if old.as_deref() == Some(f.contents.as_str()) {
            continue;
        }
        changed.push(describe_change(&f.path, old.as_deref(), &f.contents));
        if !check {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| format!("error: cannot create {}: {e}", parent.display()))?;
            }
            fs::write(&path, &f.contents).map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
        }
    }
    // Generated files that the spec no longer produces are stale.
    for stale in stale_files(out, files) {
        changed.push(format!("--- {} (stale: no longer generated)\n", stale.display()));
        if !check {
            fs::remove_file(&stale).map_err(|e| format!("error: cannot remove {}: {e}", stale.display()))?;
        }
    }
    Ok(changed)
}

fn stale_files(out: &Path, files: &[OutputFile]) -> Vec<PathBuf> {
    let mut res = Vec::new();
    let mut stack = vec![out.join("src"), out.join("examples")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p.strip_prefix(out).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            if files.iter().any(|f| f.path == rel) {
                continue;
            }
            let ours = fs::read_to_string(&p).is_ok_and(|t| t.starts_with("// @generated"));
            if ours {
                res.push(p);
            }
        }
    }
    res.sort();
    res
}

fn describe_change(path: &str, old: Option<&str>, new: &str) -> String {
    let Some(old) = old else {
        return format!("--- {path} (missing)\n");
    };
    let diff = similar::TextDiff::from_lines(old, new);
    let mut res = format!("--- {path} (committed)\n+++ {path} (generated)\n");
    let mut n = 0;
    for hunk in diff.unified_diff().context_radius(2).iter_hunks() {
        let text = hunk.to_string();
        n += text.len();
        res.push_str(&text);
        if n > 20_000 {
            res.push_str("... (diff cut)\n");
            break;
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails when `generated/` is stale (rust-analyzer's pattern).
    #[test]
    fn generated_is_fresh() {
        let args = Args { check: true, spec: None, out: None, crate_name: None, deny_warnings: false, timings: false };
        if let Err(e) = run(&args) {
            panic!("{e}");
        }
    }

    #[test]
    fn crate_names() {
        assert_eq!(crate_name_of("stripe"), "stripe-client");
        assert_eq!(crate_name_of("twilio_api_v2010"), "twilio-api-v2010-client");
        assert_eq!(crate_name_of("3d"), "client-3d");
    }
}
