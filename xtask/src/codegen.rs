//! `cargo xtask codegen`: spec in, crate folder out, only changed files
//! written; `--check` compares instead of writing (rust-analyzer's
//! `ensure_file_contents` pattern). The overlays the settings list
//! (`overlays` in `spec/codegen.yaml`), then those given with `--overlay`,
//! are applied first, so `--check` fails when an overlay changed and the
//! crate was not regenerated.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use generator::write::{crate_name_of, ensure_files, Overlays};
use generator::{Config, OutputFile, RuntimeSource};

use crate::project_root;

/// The spec `cargo xtask codegen` reads by default.
pub(crate) const DEFAULT_SPEC: &str = "spec/openapi.yaml";
/// The crate it writes by default.
pub(crate) const DEFAULT_OUT: &str = "generated";
pub(crate) const DEFAULT_CRATE: &str = "auth0-management-api";

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
    /// Apply this OpenAPI Overlay 1.0 document after those the settings list (repeatable, in order).
    #[arg(long = "overlay", value_name = "FILE")]
    pub overlays: Vec<PathBuf>,
}

/// What one generation produced, for reports.
pub(crate) struct Generated {
    pub output: generator::Output,
    /// Reading the spec and its settings: the time outside the generator's
    /// phases.
    pub read: std::time::Duration,
}

/// The runtime of the crates xtask writes: this workspace's `runtime`
/// crate, as a dependency (`../runtime` from `generated/`, by absolute path
/// from anywhere else), so that it is built once and shared.
pub(crate) fn runtime_crate(standalone: bool) -> RuntimeSource {
    let path = if standalone { project_root().join("runtime").display().to_string() } else { "../runtime".into() };
    RuntimeSource::Crate { path: Some(path) }
}

/// How many crates of operation groups the clients xtask writes are split
/// into (see `Config::parts`). Eight, measured against four, six, ten, 12
/// and 16 on two cores (`cargo xtask bench --build`, interleaved runs):
/// smaller crates cost less CPU in all (the Auth0 client's clean build
/// took 30.4 s of CPU in eight parts against 35.5 s in four) and balance
/// better over the cores, while the common crate stays the same size; a
/// touched file rebuilds an eighth of the client.
pub(crate) const PARTS: usize = 8;

/// Reads and generates (with the settings beside the spec and the overlays
/// they list); errors are printed diagnostics. A `standalone` crate has a
/// workspace of its own.
pub(crate) fn generate(
    spec: &Path,
    label: &str,
    crate_name: &str,
    command: &str,
    standalone: bool,
) -> Result<Generated, String> {
    generate_with(spec, label, crate_name, command, standalone, &[])
}

/// [`generate`], with `overlays` applied after those the settings list.
fn generate_with(
    spec: &Path,
    label: &str,
    crate_name: &str,
    command: &str,
    standalone: bool,
    overlays: &[PathBuf],
) -> Result<Generated, String> {
    let config = Config {
        crate_name: crate_name.to_string(),
        crate_version: "0.1.0".to_string(),
        spec_label: label.to_string(),
        command: command.to_string(),
        standalone,
        settings: Default::default(),
        runtime: runtime_crate(standalone),
        parts: PARTS,
        layout: generator::Layout::Crate,
    };
    let t = std::time::Instant::now();
    let output = generator::write::generate_file_with(spec, None, Overlays::Listed(overlays), config)?;
    Ok(Generated {
        read: t.elapsed().saturating_sub(output.timings.parse + output.timings.lower + output.timings.emit_and_render),
        output,
    })
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
    let (label, mut command) = if default {
        (DEFAULT_SPEC.to_string(), "cargo xtask codegen".to_string())
    } else {
        let label = spec.file_name().and_then(|s| s.to_str()).unwrap_or("spec").to_string();
        (label.clone(), format!("cargo xtask codegen --spec {label}"))
    };
    for overlay in &args.overlays {
        let _ = write!(command, " --overlay {}", overlay.file_name().and_then(|s| s.to_str()).unwrap_or("overlay"));
    }
    let generated = generate_with(&spec, &label, &crate_name, &command, !default, &args.overlays)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails when `generated/` is stale (rust-analyzer's pattern).
    #[test]
    fn generated_is_fresh() {
        let args = Args {
            check: true,
            spec: None,
            out: None,
            crate_name: None,
            deny_warnings: false,
            timings: false,
            overlays: Vec::new(),
        };
        if let Err(e) = run(&args) {
            panic!("{e}");
        }
    }

    /// The check regenerates with the settings' overlays (and `--overlay`
    /// ones): an overlay edited without regenerating fails it.
    #[test]
    fn check_covers_overlays() {
        let dir = std::env::temp_dir().join(format!("xtask-codegen-overlay-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let fixtures = project_root().join("generator/tests/overlay");
        for f in ["api.yaml", "codegen.yaml", "not_found.overlay.yaml"] {
            fs::copy(fixtures.join(f), dir.join(f)).unwrap();
        }
        let args = Args {
            check: false,
            spec: Some(dir.join("api.yaml")),
            out: Some(dir.join("out")),
            crate_name: None,
            deny_warnings: false,
            timings: false,
            overlays: Vec::new(),
        };
        run(&args).unwrap();
        let ops = fs::read_to_string(dir.join("out/src/operations/users.rs")).unwrap();
        assert!(ops.contains("NotFound"), "the settings' overlay applies: {ops}");
        let check = Args { check: true, ..args };
        run(&check).unwrap();
        let overlay = dir.join("not_found.overlay.yaml");
        let text = fs::read_to_string(&overlay).unwrap();
        fs::write(&overlay, text.replace("description: no such user", "description: no user with this id")).unwrap();
        let err = run(&check).unwrap_err();
        assert!(err.contains("is not up to date") && err.contains("no user with this id"), "{err}");
        let extra = dir.join("extra.overlay.yaml");
        fs::write(
            &extra,
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $.info, update: {title: Renamed}}]\n",
        )
        .unwrap();
        let err = run(&Args { overlays: vec![extra], ..check }).unwrap_err();
        assert!(err.contains("is not up to date") && err.contains("--overlay extra.overlay.yaml"), "{err}");
        let _ = fs::remove_dir_all(&dir);
    }
}
