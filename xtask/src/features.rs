//! `cargo xtask check-features [--crate DIR]...`: every per-group feature of
//! a generated crate builds on its own with warnings denied: one
//! `cargo check --no-default-features --features <group>` per group (and
//! one with no group at all), sharing one target directory so that the
//! dependencies are checked once. The default crate is `generated/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::project_root;

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Generated crates to check (default `generated/`).
    #[arg(long = "crate")]
    pub crates: Vec<PathBuf>,
    /// The target directory (default `target/features-target`; warnings are
    /// denied through `RUSTFLAGS`, which a shared target would rebuild for).
    #[arg(long)]
    pub target_dir: Option<PathBuf>,
}

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let root = project_root();
    let crates = if args.crates.is_empty() { vec![root.join("generated")] } else { args.crates.clone() };
    let target = args.target_dir.clone().unwrap_or_else(|| root.join("target/features-target"));
    let mut failed = Vec::new();
    println!("| crate | features | cargo check (s) | result |");
    println!("|---|---|---:|---|");
    for dir in &crates {
        let groups = groups_of(dir)?;
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // With no group first: it also checks the dependencies, once.
        for features in std::iter::once(String::new()).chain(groups) {
            let t = Instant::now();
            let ok = check(dir, &target, &features)?;
            let shown = if features.is_empty() { "(none)" } else { features.as_str() };
            println!("| {name} | {shown} | {:.1} | {} |", t.elapsed().as_secs_f64(), if ok { "ok" } else { "FAILED" });
            if !ok {
                failed.push(format!("{name}: {shown}"));
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("error: {} feature(s) do not build alone: {}", failed.len(), failed.join(", ")))
    }
}

/// The group features of the crate in `dir`: the keys of its manifest's
/// `[features]` table but `default` and `full`.
fn groups_of(dir: &Path) -> Result<Vec<String>, String> {
    let path = dir.join("Cargo.toml");
    let text = fs::read_to_string(&path).map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
    let mut groups = Vec::new();
    let mut in_features = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_features = line == "[features]";
        } else if in_features && !line.starts_with('#') {
            if let Some((key, _)) = line.split_once('=') {
                let key = key.trim();
                if key != "default" && key != "full" {
                    groups.push(key.to_string());
                }
            }
        }
    }
    if groups.is_empty() {
        return Err(format!("error: {} has no group features", path.display()));
    }
    Ok(groups)
}

/// `cargo check` of the crate in `dir` with only `features`, warnings denied.
fn check(dir: &Path, target: &Path, features: &str) -> Result<bool, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["check", "--quiet", "--offline", "--lib", "--no-default-features"]);
    if !features.is_empty() {
        cmd.args(["--features", features]);
    }
    let status = cmd
        .arg("--target-dir")
        .arg(target)
        .current_dir(dir)
        .env("RUSTFLAGS", "-D warnings")
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    Ok(status.success())
}
