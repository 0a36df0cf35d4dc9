//! `cargo xtask bench [SPEC]...`: how long codegen takes and how much memory
//! it needs, phase by phase; with `--build`, how long `cargo build` of the
//! generated crate takes once its dependencies are built.
//!
//! Each spec runs in a child process (`bench --child`), so its peak memory
//! (`VmHWM`) is its own. A run goes from reading the file to writing the
//! formatted files, like `cargo xtask codegen`. Build with `--release` first:
//! `cargo build --release -p xtask && target/release/xtask bench`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::codegen::generate;
use crate::project_root;
use generator::write::{crate_name_of, ensure_files};

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Specs to measure (default: stripe.yaml, github.json and the Auth0
    /// description in ../shared/specs).
    pub specs: Vec<PathBuf>,
    /// Runs per spec; the table shows the median and the fastest.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Also time `cargo build` of each generated crate: clean (dependencies
    /// already built) and after touching one file.
    #[arg(long)]
    pub build: bool,
    /// Where crates are written (default `target/bench`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Internal: measure one spec in this process and print one result line.
    #[arg(long, hide = true)]
    pub child: bool,
}

const PHASES: [&str; 6] = ["read", "parse", "lower", "emit+render", "write", "total"];

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let root = project_root();
    let out = args.out.clone().unwrap_or_else(|| root.join("target/bench"));
    let specs: Vec<PathBuf> = if args.specs.is_empty() {
        ["stripe.yaml", "github.json", "auth0-management-2026-05.yaml"]
            .iter()
            .map(|s| root.join("../shared/specs").join(s))
            .collect()
    } else {
        args.specs.clone()
    };
    if args.child {
        let [spec] = specs.as_slice() else { return Err("error: --child takes one spec".into()) };
        return child(spec, &out, args.runs.max(1));
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: xtask is a debug build; build it with --release for real figures");
    }
    let exe = std::env::current_exe().map_err(|e| format!("error: cannot find xtask: {e}"))?;
    println!("| spec | read | parse | lower | emit+render | write | total (median) | total (fastest) | peak MB |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut builds = Vec::new();
    for spec in &specs {
        let output = Command::new(&exe)
            .args(["bench", "--child", "--runs", &args.runs.to_string(), "--out"])
            .arg(&out)
            .arg(spec)
            .output()
            .map_err(|e| format!("error: cannot run {}: {e}", exe.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            eprint!("{}", String::from_utf8_lossy(&output.stderr));
            return Err(format!("error: benchmarking {} failed", spec.display()));
        }
        print!("{stdout}");
        if args.build {
            builds.push((spec.clone(), build_times(&out.join(crate_name(spec)), &crate_name(spec))?));
        }
    }
    if args.build {
        println!();
        println!("| spec | cargo build, clean (s) | after touching one file (s) |");
        println!("|---|---:|---:|");
        for (spec, (clean, touched)) in builds {
            println!("| {} | {clean:.1} | {touched:.1} |", file_name(&spec));
        }
    }
    Ok(())
}

fn file_name(spec: &Path) -> String {
    spec.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn crate_name(spec: &Path) -> String {
    crate_name_of(&spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default())
}

/// Measures one spec `runs` times and prints its table row.
fn child(spec: &Path, out: &Path, runs: usize) -> Result<(), String> {
    let label = file_name(spec);
    let crate_name = crate_name(spec);
    let dir = out.join(&crate_name);
    let command = format!("cargo xtask codegen --spec {label}");
    let mut samples: Vec<[Duration; 6]> = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let g = generate(spec, &label, &crate_name, &command, true)?;
        let w = Instant::now();
        ensure_files(&dir, &g.output.files, false)?;
        let write = w.elapsed();
        let tm = g.output.timings;
        samples.push([g.read, tm.parse, tm.lower, tm.emit_and_render, write, t.elapsed()]);
    }
    let median = |i: usize| {
        let mut v: Vec<Duration> = samples.iter().map(|s| s[i]).collect();
        v.sort();
        v[v.len() / 2]
    };
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    let fastest = samples.iter().map(|s| s[5]).min().unwrap_or_default();
    let cols: Vec<String> = (0..PHASES.len()).map(|i| ms(median(i))).collect();
    println!("| {label} | {} | {} | {} |", cols.join(" | "), ms(fastest), peak_mb().unwrap_or_else(|| "?".into()));
    Ok(())
}

/// Peak resident memory of this process (Linux), in MB.
fn peak_mb() -> Option<String> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(format!("{:.0}", kb / 1024.0))
}

/// `cargo build` of the generated crate `name` in `dir`: once for its
/// dependencies, then clean (the crate alone) and after touching `src/lib.rs`.
fn build_times(dir: &Path, name: &str) -> Result<(f64, f64), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = project_root().join("target/bench-target");
    let lock = project_root().join("Cargo.lock");
    fs::copy(&lock, dir.join("Cargo.lock")).map_err(|e| format!("error: cannot copy Cargo.lock: {e}"))?;
    let cargo_run = |args: &[&str]| -> Result<f64, String> {
        let t = Instant::now();
        let status = Command::new(&cargo)
            .args(args)
            .arg("--target-dir")
            .arg(&target)
            .current_dir(dir)
            .env_remove("RUSTFLAGS")
            .status()
            .map_err(|e| format!("error: cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("error: cargo {} failed in {}", args.join(" "), dir.display()));
        }
        Ok(t.elapsed().as_secs_f64())
    };
    cargo_run(&["build", "--offline", "--quiet"])?;
    cargo_run(&["clean", "--offline", "--quiet", "-p", name])?;
    let clean = cargo_run(&["build", "--offline", "--quiet"])?;
    let lib = dir.join("src/lib.rs");
    let text = fs::read(&lib).map_err(|e| format!("error: cannot read {}: {e}", lib.display()))?;
    fs::write(&lib, &text).map_err(|e| format!("error: cannot touch {}: {e}", lib.display()))?;
    let touched = cargo_run(&["build", "--offline", "--quiet"])?;
    Ok((clean, touched))
}
