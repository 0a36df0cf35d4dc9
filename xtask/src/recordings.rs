//! `cargo xtask recordings [DIR]`: recorded traffic of a real tenant
//! replayed through the generated Auth0 client.
//!
//! Runs the `conformance` binary's `recordings` mode (the same generated
//! dispatcher as `cargo xtask conformance`) on every go-vcr cassette of
//! `DIR` (default `../shared/recordings/terraform-provider-auth0`, beside
//! the project), against a server on 127.0.0.1 that answers with the
//! recorded responses. It prints the report (routes and statuses the
//! description lacks, bodies that do not decode, constraint breaks,
//! totals) and fails on any failure that
//! `client-tests/conformance/recordings-allow.yaml` does not list with a
//! reason. Nothing here talks to Auth0.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use crate::project_root;

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// A folder of go-vcr cassettes (`*.yaml`).
    pub dir: Option<PathBuf>,
}

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let t = Instant::now();
    let root = project_root();
    let dir = args.dir.clone().unwrap_or_else(|| root.join("../shared/recordings/terraform-provider-auth0"));
    if !dir.is_dir() {
        return Err(format!(
            "error: {} is not a folder of cassettes; pass one: `cargo xtask recordings DIR`",
            dir.display()
        ));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut cmd = Command::new(cargo);
    cmd.args(["run", "--quiet", "-p", "conformance", "--", "recordings", "--dir"])
        .arg(&dir)
        .arg("--allow")
        .arg(root.join("client-tests/conformance/recordings-allow.yaml"))
        .current_dir(&root);
    eprintln!("$ cargo run -p conformance -- recordings --dir {}", dir.display());
    let status = cmd.status().map_err(|e| format!("error: cannot run cargo: {e}"))?;
    eprintln!("recordings: {:.1}s in all (build and replay)", t.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err("error: a recorded interaction does not replay as recorded and client-tests/conformance/recordings-allow.yaml does not list it; fix the description (spec/auth0.overlay.yaml) or the client, or list it with the reason".to_string())
    }
}
