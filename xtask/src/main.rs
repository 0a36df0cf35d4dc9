//! Project tasks, run as `cargo xtask <task>`.
//!
//! - `conformance`: compare every operation with Auth0's official Node SDK.
//! - `recordings`: replay recorded real-tenant traffic through the client.
//! - `codegen`: regenerate `generated/` from `spec/` (or any spec into any
//!   folder with `--spec`/`--out`); `--check` fails on drift instead.
//! - `bench`: codegen time per phase and peak memory for the large specs;
//!   `--build` adds the build time of the generated crates; `--decode`
//!   measures decoding recorded bodies instead.
//! - `corpus`: generate (and build) a client for every spec of a folder.
//! - `check-features`: every per-group feature of a generated crate builds
//!   alone with warnings denied.
//! - `fuzz`: structured mutation fuzzing of the generator (panics, hangs).
//! - `test`: install the pinned Prism and run every test of the workspace.
//! - `spec-diff`: report what a spec change does to the generated crate
//!   (`--base REV` or two files), as Markdown or JSON.
//! - `spec-diff-corpus`: self-test of `spec-diff` on a full Auth0 description.
//!
//! Tasks print what they do and exit non-zero with a message saying which
//! command fixes the problem.

mod bench;
mod bench_decode;
mod codegen;
mod conformance;
mod corpus;
mod features;
mod fuzz;
mod recordings;
mod spec_diff;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Emitting and formatting allocate millions of small token trees on every
// core; glibc's allocator spent a quarter of codegen time in malloc/free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "xtask", about = "Project tasks for the OpenAPI client generator")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate a client crate from an OpenAPI description.
    Codegen(codegen::Args),
    /// Compare every operation with Auth0's official Node SDK (installs it when needed).
    Conformance(conformance::Args),
    /// Replay recorded real-tenant traffic through the generated client.
    Recordings(recordings::Args),
    /// Time codegen phase by phase, peak memory, and (--build) crate builds.
    Bench(bench::Args),
    /// Generate (and with --build, lint) a client for every spec in a folder.
    Corpus(corpus::Args),
    /// Check that every per-group feature of a generated crate builds alone.
    CheckFeatures(features::Args),
    /// Fuzz the generator with mutated specs; findings go to a crash folder.
    Fuzz(fuzz::Args),
    /// Run every test (installs the pinned Prism first when needed).
    Test(test::Args),
    /// Report what a spec change does to the generated crate.
    SpecDiff(spec_diff::Args),
    /// Check spec-diff on a full Auth0 description edited in memory.
    SpecDiffCorpus(spec_diff::CorpusArgs),
}

/// The workspace root.
pub(crate) fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(1).unwrap_or(Path::new(".")).to_path_buf()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let res = match cli.task {
        Task::Codegen(args) => codegen::run(&args),
        Task::Conformance(args) => conformance::run(&args),
        Task::Recordings(args) => recordings::run(&args),
        Task::Bench(args) => bench::run(&args),
        Task::Corpus(args) => corpus::run(&args),
        Task::CheckFeatures(args) => features::run(&args),
        Task::Fuzz(args) => fuzz::run(&args),
        Task::Test(args) => test::run(&args),
        Task::SpecDiff(args) => spec_diff::run(&args),
        Task::SpecDiffCorpus(args) => spec_diff::corpus(&args),
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
