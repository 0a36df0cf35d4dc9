//! `cargo xtask test`: every test of the workspace, in one command.
//!
//! Installs the pinned Node tools of `contract/package.json` (`npm ci
//! --prefix contract`: the Prism mock server, and Prettier for the
//! cookbook's Node line counts) when one is missing or when running in CI,
//! then runs `cargo test --workspace`, which includes the golden tests, the
//! freshness check of `generated/` and the contract test against Prism.

use std::process::Command;

use crate::project_root;

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Extra arguments for `cargo test` (after `--`).
    #[arg(last = true)]
    pub rest: Vec<String>,
}

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let root = project_root();
    let tools = ["prism", "prettier"].map(|t| root.join("contract/node_modules/.bin").join(t));
    if tools.iter().any(|t| !t.exists()) || std::env::var_os("CI").is_some() {
        eprintln!("$ npm ci --prefix contract");
        let status = Command::new("npm")
            .args(["ci", "--prefix", "contract", "--no-audit", "--no-fund"])
            .current_dir(&root)
            .status()
            .map_err(|e| {
                format!("error: cannot run npm ({e}); install Node.js and npm, then run `cargo xtask test`")
            })?;
        if !status.success() {
            return Err("error: `npm ci --prefix contract` failed".to_string());
        }
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    eprintln!("$ cargo test --workspace {}", args.rest.join(" "));
    let status = Command::new(cargo)
        .args(["test", "--workspace"])
        .args(&args.rest)
        .current_dir(&root)
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("error: tests failed".to_string())
    }
}
