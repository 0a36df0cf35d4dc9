//! `openapi-rust-client`: the generator as a command, for any description.
//!
//! - `generate --spec PATH --out DIR`: writes a complete crate (only files
//!   whose bytes change), prints warnings with file and JSON pointer.
//! - `check --spec PATH --out DIR`: fails with a readable diff when DIR is
//!   not what `generate` would write.
//! - `diff OLD NEW`: what a description change does to the generated crate.
//!
//! `--overlay FILE` (repeatable) applies OpenAPI Overlay documents after
//! those the settings file lists (`overlays`), in order; `diff` applies them
//! to both descriptions, and `diff --without-overlays` compares the two
//! descriptions as they are (an upstream change alone).
//!
//! Exit codes: 0 success, 1 errors (invalid description, stale crate,
//! breaking changes with `--fail-on breaking`), 2 usage errors (clap's).
//! `cargo xtask codegen` in this repository runs the same library code
//! (`generator::write`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use generator::write::{crate_name_of, ensure_files, generate_file_with, Overlays};
use generator::Config;

#[derive(Parser)]
#[command(
    name = "openapi-rust-client",
    version,
    about = "Typed, validated Rust clients from OpenAPI 3.0/3.1 descriptions"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate from a description.
    Generate(GenArgs),
    /// Fail (with a diff) if a crate folder is not what `generate` writes.
    Check(GenArgs),
    /// Report what a description change does to the generated crate.
    Diff(DiffArgs),
}

#[derive(clap::Args)]
struct GenArgs {
    /// The OpenAPI description (YAML or JSON, 3.0 or 3.1).
    #[arg(long, value_name = "PATH")]
    spec: PathBuf,
    /// The crate folder to write (created when missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The crate's name (default: from the description's file name, `stripe.yaml` -> `stripe-client`).
    #[arg(long = "crate-name", value_name = "NAME")]
    crate_name: Option<String>,
    /// The crate's version.
    #[arg(long = "crate-version", value_name = "VERSION", default_value = "0.1.0")]
    crate_version: String,
    /// Generator settings (default: `codegen.yaml` beside the description, if there is one).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Apply this OpenAPI Overlay 1.0 document to the description, after those the settings list (repeatable, in order).
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<PathBuf>,
    /// Treat warnings (documented fallbacks taken) as errors.
    #[arg(long = "deny-warnings")]
    deny_warnings: bool,
    /// Depend on the `client-runtime` crate at DIR (its folder, relative to the crate folder or absolute) instead of carrying the runtime's sources: it is built once, as a dependency, and shared by every client that uses it.
    #[arg(long = "runtime-crate", value_name = "DIR")]
    runtime_crate: Option<String>,
    /// With `--runtime-crate`: split the client into N crates of whole operation groups (under `crates/`, plus one of shared types), which the crate depends on and re-exports; they build in parallel. A client with fewer than 2N groups gets fewer parts (two groups each at least); one with fewer than four groups stays one crate.
    #[arg(long, value_name = "N", default_value_t = 0)]
    parts: usize,
    /// Write the crate into the enclosing Cargo workspace instead of adding an empty `[workspace]` table.
    #[arg(long = "in-workspace")]
    in_workspace: bool,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The old description.
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The new description.
    #[arg(value_name = "NEW")]
    new: PathBuf,
    /// The report format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// Exit with 1 when the report has changes of this class.
    #[arg(long = "fail-on", value_enum, value_name = "CLASS")]
    fail_on: Option<FailOn>,
    /// Apply this OpenAPI Overlay 1.0 document to both descriptions, after those their settings list (repeatable, in order).
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<PathBuf>,
    /// Compare the descriptions as they are, without any overlay: the upstream change alone.
    #[arg(long = "without-overlays", conflicts_with = "overlays")]
    without_overlays: bool,
}

#[derive(ValueEnum, Clone, Copy)]
enum Format {
    Markdown,
    Json,
    /// Markdown sized for a pull-request comment (at most 60,000 characters).
    Comment,
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
enum FailOn {
    Breaking,
}

fn main() -> ExitCode {
    let res = match Cli::parse().command {
        Command::Generate(args) => generate(&args, false),
        Command::Check(args) => generate(&args, true),
        Command::Diff(args) => diff(&args),
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().and_then(|s| s.to_str()).unwrap_or("spec").to_string()
}

fn generate(args: &GenArgs, check: bool) -> Result<(), String> {
    let label = file_name(&args.spec);
    let stem = args.spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    let config = Config {
        crate_name: args.crate_name.clone().unwrap_or_else(|| crate_name_of(stem)),
        crate_version: args.crate_version.clone(),
        spec_label: label.clone(),
        command: format!("openapi-rust-client generate --spec {label}{}", overlay_args(&args.overlays)),
        standalone: !args.in_workspace,
        runtime: match &args.runtime_crate {
            Some(dir) => generator::RuntimeSource::Crate { path: Some(dir.clone()) },
            None => generator::RuntimeSource::Embedded,
        },
        parts: if args.runtime_crate.is_some() { args.parts } else { 0 },
        layout: generator::Layout::Crate,
        settings: Default::default(),
    };
    let output = generate_file_with(&args.spec, args.config.as_deref(), Overlays::Listed(&args.overlays), config)?;
    let diags = &output.diagnostics;
    for w in diags.warnings() {
        eprintln!("{}: {w}", diags.file);
    }
    if args.deny_warnings && diags.warnings().next().is_some() {
        return Err(format!("error: {} warnings and --deny-warnings is set", diags.warnings().count()));
    }
    let changed = ensure_files(&args.out, &output.files, check)?;
    if check {
        if !changed.is_empty() {
            return Err(format!(
                "{}error: {} is not up to date ({} files differ); run `openapi-rust-client generate` with the same arguments",
                changed.concat(),
                args.out.display(),
                changed.len()
            ));
        }
        eprintln!("{} is up to date", args.out.display());
    } else {
        eprintln!(
            "{}: {} operations, {} types; {} files changed",
            args.out.display(),
            output.n_operations,
            output.n_types,
            changed.len()
        );
    }
    Ok(())
}

/// ` --overlay NAME` per overlay, for the header's command.
fn overlay_args(overlays: &[PathBuf]) -> String {
    overlays.iter().map(|p| format!(" --overlay {}", file_name(p))).collect()
}

fn diff(args: &DiffArgs) -> Result<(), String> {
    let load = |path: &Path| {
        let config = Config {
            crate_name: "client".into(),
            crate_version: "0.1.0".into(),
            spec_label: path.display().to_string(),
            command: "openapi-rust-client diff".into(),
            standalone: true,
            runtime: Default::default(),
            parts: 0,
            layout: generator::Layout::Crate,
            settings: Default::default(),
        };
        let overlays = if args.without_overlays { Overlays::Without } else { Overlays::Listed(&args.overlays) };
        generator::write::load_api_file_with(path, overlays, config)
    };
    let (old, new) = (load(&args.old)?, load(&args.new)?);
    let report = generator::diff::diff(&old, &new);
    let text = match args.format {
        Format::Markdown => report.to_markdown(&format!("`{}` → `{}`", file_name(&args.old), file_name(&args.new))),
        Format::Json => report.to_json(),
        Format::Comment => report.to_comment(
            &format!("`{}` → `{}`", file_name(&args.old), file_name(&args.new)),
            generator::diff::COMMENT_LIMIT,
        ),
    };
    print!("{text}");
    if args.fail_on == Some(FailOn::Breaking) && report.is_breaking() {
        return Err(format!("error: {} breaking changes and `--fail-on breaking` is set", report.n_breaking()));
    }
    Ok(())
}
