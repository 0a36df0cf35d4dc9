//! `cargo xtask conformance`: the differential conformance report against
//! Auth0's official Node SDK.
//!
//! Installs the SDK pinned by `client-tests/conformance/package-lock.json`
//! (`npm ci`) when it is missing or when running in CI, then runs the
//! `conformance` binary, which prints one row per operation and a total and
//! fails on any difference that `client-tests/conformance/allow.yaml` does
//! not list. Nothing here talks to Auth0.

use std::process::Command;
use std::time::Instant;

use crate::project_root;

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Only the operations whose id contains this text.
    #[arg(long)]
    pub only: Option<String>,
}

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let t = Instant::now();
    let root = project_root();
    let dir = root.join("client-tests/conformance");
    if !dir.join("node_modules/auth0/package.json").exists() || std::env::var_os("CI").is_some() {
        eprintln!("$ npm ci --prefix client-tests/conformance");
        let status = Command::new("npm")
            .args(["ci", "--prefix", "client-tests/conformance", "--no-audit", "--no-fund"])
            .current_dir(&root)
            .status()
            .map_err(|e| {
                format!("error: cannot run npm ({e}); install Node.js and npm, then run `cargo xtask conformance`")
            })?;
        if !status.success() {
            return Err("error: `npm ci --prefix client-tests/conformance` failed".to_string());
        }
    }
    let work = root.join("target/conformance");
    std::fs::create_dir_all(&work).map_err(|e| format!("error: cannot create {}: {e}", work.display()))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut cmd = Command::new(cargo);
    cmd.args(["run", "--quiet", "-p", "conformance", "--"])
        .arg("--sdk")
        .arg(dir.join("sdk.mjs"))
        .arg("--allow")
        .arg(dir.join("allow.yaml"))
        .arg("--work")
        .arg(&work)
        .current_dir(&root);
    if let Some(only) = &args.only {
        cmd.args(["--only", only]);
    }
    eprintln!("$ cargo run -p conformance");
    let status = cmd.status().map_err(|e| format!("error: cannot run cargo: {e}"))?;
    eprintln!("conformance: {:.1}s in all (npm, build and run)", t.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err("error: the clients differ where client-tests/conformance/allow.yaml says nothing; fix the difference or list it with the reason and the Auth0 page".to_string())
    }
}
