//! `cargo xtask fuzz --minutes N [--seed S] [--corpus PATH]...`: a structured
//! mutation fuzzer for the generator (cargo-fuzz needs nightly).
//!
//! Seed specs (`generator/tests/fixtures/*.{yaml,json}` plus the files or
//! folders passed with `--corpus`) are loaded as trees; each execution applies
//! a few random structural mutations (replace, delete, duplicate, swap types,
//! hostile strings and names, `$ref` cycles, deep nesting) or, sometimes, byte
//! mutations of a seed's text, and runs load + lower + emit + render under
//! `catch_unwind`. A panic, an output that fails to parse as Rust, or an
//! execution slower than `--timeout-secs` is a finding, written to the crash
//! folder (default `target/fuzz-crashes`).
//!
//! Stack overflows abort a process, so the loop runs in a worker process:
//! the worker writes each input to `in-flight.json` before running it, and the
//! parent saves that file as a crash when the worker dies, then starts a new
//! worker. The PRNG is a seeded xorshift, so `--seed` reproduces a run.
//!
//! With `--compile`, every mutated spec that generates without error (and
//! whose output was not compiled before) is also compiled: the crate is
//! written to `target/fuzz-compile/crate` and checked with `cargo check`
//! (warnings denied, one cargo at a time, in the target dir
//! `target/fuzz-compile/target` that all runs share). A crate that does not
//! check is a finding (`compile-*.json`, and the compiler's output in
//! `compile-*.txt`), keyed by its normalized error messages, so "generates
//! but does not compile" is found like a panic. Seeds above
//! `--compile-max-seed-bytes` are left out in this mode: big crates check
//! too slowly to be useful.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use generator::value::Value;
use generator::Config;

use crate::project_root;

mod mutate;

use mutate::{fnv, make_input, Rng};

#[derive(clap::Args, Debug, Clone)]
pub(crate) struct Args {
    /// How long to run.
    #[arg(long, default_value_t = 1.0)]
    pub minutes: f64,
    /// The PRNG seed (default: from the clock); printed so a run can be repeated.
    #[arg(long)]
    pub seed: Option<u64>,
    /// More seed specs: files or folders of `*.yaml`/`*.yml`/`*.json`.
    #[arg(long)]
    pub corpus: Vec<PathBuf>,
    /// Where findings are written.
    #[arg(long)]
    pub crashes: Option<PathBuf>,
    /// An execution slower than this is a finding (a hang).
    #[arg(long = "timeout-secs", default_value_t = 30)]
    pub timeout_secs: u64,
    /// Also compile (`cargo check`, warnings denied) each spec that generates.
    #[arg(long)]
    pub compile: bool,
    /// With `--compile`, seeds bigger than this are not used.
    #[arg(long = "compile-max-seed-bytes", default_value_t = 64 * 1024)]
    pub compile_max_seed_bytes: u64,
    /// Internal: run the loop in this process until this many milliseconds pass.
    #[arg(long, hide = true)]
    pub worker_ms: Option<u64>,
}

/// Exit code of a worker whose execution timed out.
const HANG_EXIT: i32 = 3;
/// Seeds bigger than this make executions too slow to be useful.
const MAX_SEED_BYTES: u64 = 2 * 1024 * 1024;

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let crashes = args.crashes.clone().unwrap_or_else(|| project_root().join("target/fuzz-crashes"));
    fs::create_dir_all(&crashes).map_err(|e| format!("error: cannot create {}: {e}", crashes.display()))?;
    if let Some(ms) = args.worker_ms {
        return worker(args, &crashes, Duration::from_millis(ms));
    }
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1)
    });
    let seeds = load_seeds(args)?;
    eprintln!(
        "fuzz: {} seed specs, seed {seed}, {} minutes, findings in {}",
        seeds.len(),
        args.minutes,
        crashes.display()
    );
    let start = Instant::now();
    let total = Duration::from_secs_f64(args.minutes.max(0.0) * 60.0);
    let exe = std::env::current_exe().map_err(|e| format!("error: cannot find the xtask binary: {e}"))?;
    let (mut execs, mut panics, mut invalid, mut aborts, mut hangs) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let (mut compiled, mut compile_failures) = (0u64, 0u64);
    // Distinct causes of compile failures, across workers.
    let mut causes: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut n_workers = 0u64;
    while start.elapsed() < total {
        let left = total - start.elapsed();
        let mut cmd = Command::new(&exe);
        cmd.arg("fuzz")
            .arg("--seed")
            .arg(seed.wrapping_add(n_workers.wrapping_mul(0x9E37_79B9_7F4A_7C15)).to_string())
            .arg("--crashes")
            .arg(&crashes)
            .arg("--timeout-secs")
            .arg(args.timeout_secs.to_string())
            .arg("--worker-ms")
            .arg(left.as_millis().to_string());
        for c in &args.corpus {
            cmd.arg("--corpus").arg(c);
        }
        if args.compile {
            cmd.arg("--compile").arg("--compile-max-seed-bytes").arg(args.compile_max_seed_bytes.to_string());
        }
        n_workers += 1;
        let mut child =
            cmd.stdout(Stdio::piped()).spawn().map_err(|e| format!("error: cannot start a fuzz worker: {e}"))?;
        let mut last = [0u64; 5];
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("stats ") {
                    let n: Vec<u64> = rest.split(' ').filter_map(|x| x.parse().ok()).collect();
                    if n.len() == 5 {
                        last = [n[0], n[1], n[2], n[3], n[4]];
                    }
                } else if let Some(rest) = line.strip_prefix("cause ") {
                    causes.insert(rest.to_string());
                } else {
                    println!("{line}");
                }
            }
        }
        let status = child.wait().map_err(|e| format!("error: fuzz worker: {e}"))?;
        execs += last[0];
        panics += last[1];
        invalid += last[2];
        compiled += last[3];
        compile_failures += last[4];
        if !status.success() {
            let kind = if status.code() == Some(HANG_EXIT) { "hang" } else { "abort" };
            if kind == "hang" {
                hangs += 1;
            } else {
                aborts += 1;
                // The input that killed the worker did not get counted.
                execs += 1;
            }
            let inflight = crashes.join("in-flight.json");
            match fs::read(&inflight) {
                Ok(bytes) => {
                    let path = crashes.join(format!("{kind}-{:08x}.json", fnv(&bytes)));
                    let _ = fs::write(&path, &bytes);
                    println!("fuzz: worker died ({status}), input saved as {}", path.display());
                }
                Err(_) => println!("fuzz: worker died ({status}) with no input in flight"),
            }
        }
        let _ = fs::remove_file(crashes.join("in-flight.json"));
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "fuzz: {execs} executions in {secs:.0} s ({:.1}/s), {} findings: {panics} panics, {invalid} invalid rust, \
         {aborts} aborts (stack overflow/oom), {hangs} hangs; seed {seed}, {n_workers} workers",
        execs as f64 / secs.max(0.001),
        panics + invalid + aborts + hangs,
    );
    if args.compile {
        println!(
            "fuzz: compile mode: {compiled} specs compiled, {compile_failures} did not compile, {} distinct causes",
            causes.len()
        );
        for c in &causes {
            println!("fuzz: cause: {c}");
        }
    }
    if panics + invalid + aborts + hangs + compile_failures > 0 {
        return Err(format!("error: findings written to {}", crashes.display()));
    }
    Ok(())
}

/// A seed: its tree and its original text (for byte mutations).
struct Seed {
    tree: Value,
    text: Vec<u8>,
}

fn load_seeds(args: &Args) -> Result<Vec<Seed>, String> {
    let mut paths = spec_files(&project_root().join("generator/tests/fixtures"))?;
    let max = if args.compile { args.compile_max_seed_bytes } else { MAX_SEED_BYTES };
    for p in &args.corpus {
        if p.is_dir() {
            paths.extend(spec_files(p)?);
        } else {
            paths.push(p.clone());
        }
    }
    let mut res = Vec::new();
    for p in paths {
        let size = fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        if size > max {
            eprintln!("fuzz: skipping {} ({size} bytes, above {max})", p.display());
            continue;
        }
        let text = fs::read(&p).map_err(|e| format!("error: cannot read {}: {e}", p.display()))?;
        match generator::load::load("seed", &text) {
            Ok(tree) => res.push(Seed { tree, text }),
            Err(d) => eprintln!("fuzz: skipping {}: {d}", p.display()),
        }
    }
    if res.is_empty() {
        return Err("error: no seed specs could be loaded".into());
    }
    Ok(res)
}

fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut res: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("error: cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json"))
        .collect();
    res.sort();
    Ok(res)
}

fn worker(args: &Args, crashes: &Path, budget: Duration) -> Result<(), String> {
    let seeds = load_seeds(args)?;
    let mut rng = Rng::new(args.seed.unwrap_or(1));
    let config = Config {
        crate_name: "fuzz-client".into(),
        crate_version: "0.1.0".into(),
        spec_label: "fuzz.json".into(),
        command: "cargo xtask fuzz".into(),
        standalone: true,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::Crate,
        settings: Default::default(),
    };
    // The panic hook records where a panic happened, for de-duplication.
    let last_panic: Arc<Mutex<String>> = Arc::default();
    let hook_panic = last_panic.clone();
    std::panic::set_hook(Box::new(move |info| {
        let msg = match info.payload().downcast_ref::<&str>() {
            Some(s) => s.to_string(),
            None => info.payload().downcast_ref::<String>().cloned().unwrap_or_default(),
        };
        let loc = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        *hook_panic.lock().unwrap_or_else(|e| e.into_inner()) = format!("{loc}: {msg}");
    }));
    // The watchdog ends the worker when one execution runs too long.
    let started_ms = Arc::new(AtomicU64::new(0));
    let epoch = Instant::now();
    {
        let started_ms = started_ms.clone();
        let timeout = args.timeout_secs * 1000;
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(500));
            let s = started_ms.load(Ordering::Relaxed);
            let now = epoch.elapsed().as_millis() as u64;
            if s != 0 && now.saturating_sub(s) > timeout {
                std::process::exit(HANG_EXIT);
            }
        });
    }
    let inflight = crashes.join("in-flight.json");
    let (mut execs, mut panics, mut invalid) = (0u64, 0u64, 0u64);
    let (mut compiled, mut compile_failures) = (0u64, 0u64);
    let mut compiled_outputs: std::collections::BTreeSet<u32> = std::collections::BTreeSet::new();
    let mut seen: Vec<String> = Vec::new();
    let mut last_report = Instant::now();
    while epoch.elapsed() < budget {
        let input = make_input(&seeds, &mut rng);
        fs::write(&inflight, &input).map_err(|e| format!("error: cannot write {}: {e}", inflight.display()))?;
        started_ms.store(epoch.elapsed().as_millis().max(1) as u64, Ordering::Relaxed);
        let res = std::panic::catch_unwind(|| generator::generate("fuzz.json", &input, &config));
        started_ms.store(0, Ordering::Relaxed);
        execs += 1;
        let finding = match res {
            Err(_) => {
                panics += 1;
                Some(("panic", last_panic.lock().unwrap_or_else(|e| e.into_inner()).clone()))
            }
            Ok(Ok(out)) => {
                match out.files.iter().find(|f| f.contents.contains("internal error: invalid Rust generated")) {
                    Some(f) => Some(("invalid", format!("invalid rust in {}", f.path))),
                    None if args.compile && compiled_outputs.insert(output_hash(&out)) => {
                        compiled += 1;
                        match check_crate(&out)? {
                            Ok(()) => None,
                            Err((causes, log)) => {
                                compile_failures += 1;
                                for c in &causes {
                                    println!("cause {c}");
                                }
                                let key = causes.join("\n");
                                let path = crashes.join(format!("compile-{:08x}.txt", fnv(key.as_bytes())));
                                if !path.exists() {
                                    let _ = fs::write(&path, &log);
                                }
                                Some(("compile", key))
                            }
                        }
                    }
                    None => None,
                }
            }
            Ok(Err(_)) => None,
        };
        if let Some((kind, what)) = finding {
            if kind == "invalid" {
                invalid += 1;
            }
            if !seen.contains(&what) {
                let path = crashes.join(format!("{kind}-{:08x}.json", fnv(what.as_bytes())));
                let _ = fs::write(&path, &input);
                println!("fuzz: {kind}: {what} ({})", path.display());
                seen.push(what);
            }
        }
        if last_report.elapsed() > Duration::from_secs(5) {
            println!("stats {execs} {panics} {invalid} {compiled} {compile_failures}");
            last_report = Instant::now();
        }
    }
    println!("stats {execs} {panics} {invalid} {compiled} {compile_failures}");
    let _ = fs::remove_file(&inflight);
    Ok(())
}

/// A hash of a generated crate's files, so an output is compiled once.
fn output_hash(out: &generator::Output) -> u32 {
    let mut all = Vec::new();
    for f in &out.files {
        all.extend_from_slice(f.path.as_bytes());
        all.push(0);
        all.extend_from_slice(f.contents.as_bytes());
        all.push(0);
    }
    fnv(&all)
}

/// Writes a generated crate to `target/fuzz-compile/crate` and runs
/// `cargo check` on it with warnings denied. `Err` of the outer result is an
/// IO problem of the fuzzer; `Err` of the inner one is a finding: the
/// normalized error messages (at most five) and the compiler output.
fn check_crate(out: &generator::Output) -> Result<Result<(), (Vec<String>, String)>, String> {
    let root = project_root().join("target/fuzz-compile");
    let dir = root.join("crate");
    let src = dir.join("src");
    // Files of an earlier spec must not stay behind.
    if src.exists() {
        fs::remove_dir_all(&src).map_err(|e| format!("error: cannot clear {}: {e}", src.display()))?;
    }
    for f in &out.files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("error: cannot create {}: {e}", parent.display()))?;
        }
        let contents = if f.path == "src/lib.rs" {
            // Inner attributes must come first; the header is a comment.
            f.contents.replacen("\n#![", "\n#![deny(warnings)]\n#![", 1)
        } else {
            f.contents.clone()
        };
        fs::write(&path, contents).map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
    }
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        let _ = fs::copy(project_root().join("Cargo.lock"), &lock);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--message-format", "short", "--target-dir"])
        .arg(root.join("target"))
        .current_dir(&dir)
        .env_remove("RUSTFLAGS")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("error: cannot run cargo check: {e}"))?;
    if output.status.success() {
        return Ok(Ok(()));
    }
    let log = String::from_utf8_lossy(&output.stderr).into_owned();
    let mut causes: Vec<String> = Vec::new();
    for line in log.lines() {
        // `src/x.rs:1:2: error[E0425]: cannot find value `req` in this scope`
        let msg = match line.find(": error") {
            Some(idx) => &line[idx + 2..],
            None if line.starts_with("error") => line,
            None => continue,
        };
        if msg.starts_with("error: could not compile") || msg.starts_with("error: aborting") {
            continue;
        }
        let cause = normalize_cause(msg);
        if !causes.contains(&cause) && causes.len() < 5 {
            causes.push(cause);
        }
    }
    if causes.is_empty() {
        causes.push("cargo check failed without an error line".into());
    }
    Ok(Err((causes, log)))
}

/// An error message with the names it quotes replaced by `_`, so that one
/// cause found with many names counts once.
fn normalize_cause(msg: &str) -> String {
    let mut res = String::with_capacity(msg.len());
    let mut quoted = false;
    for c in msg.chars() {
        if c == '`' {
            if !quoted {
                res.push_str("`_");
            }
            quoted = !quoted;
        }
        if !quoted {
            res.push(c);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compile_causes_are_keyed_without_the_names_they_quote() {
        let a = normalize_cause("error[E0425]: cannot find value `req` in this scope");
        let b = normalize_cause("error[E0425]: cannot find value `resp_2` in this scope");
        assert_eq!(a, "error[E0425]: cannot find value `_` in this scope");
        assert_eq!(a, b);
        assert_ne!(a, normalize_cause("error[E0308]: mismatched types"));
        assert_eq!(normalize_cause("error: unterminated `x"), "error: unterminated `_");
    }

    #[test]
    fn inputs_are_reproducible_and_mostly_documents() {
        let text = b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n".to_vec();
        let tree = generator::load::load("seed.yaml", &text).expect("seed loads");
        let seeds = [Seed { tree, text }];
        let run = |seed| {
            let mut rng = Rng::new(seed);
            (0..200).map(|_| make_input(&seeds, &mut rng)).collect::<Vec<_>>()
        };
        let a = run(7);
        assert_eq!(a, run(7), "same seed, same inputs");
        assert_ne!(a, run(8), "another seed, other inputs");
        let loaded = a.iter().filter(|i| generator::load::load("fuzz.json", i).is_ok()).count();
        assert!(loaded > 100, "only {loaded} of 200 mutated inputs load");
    }
}
