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

use generator::value::{Map, Value};
use generator::Config;

use crate::project_root;

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

/// One input: a mutated seed tree as JSON, or a seed's text with byte edits.
fn make_input(seeds: &[Seed], rng: &mut Rng) -> Vec<u8> {
    let seed = &seeds[rng.below(seeds.len())];
    if rng.below(10) == 0 {
        let mut text = seed.text.clone();
        for _ in 0..1 + rng.below(4) {
            mutate_bytes(&mut text, rng);
        }
        return text;
    }
    let mut tree = seed.tree.clone();
    for _ in 0..1 + rng.below(4) {
        mutate(&mut tree, rng);
    }
    tree.to_json().into_bytes()
}

const HOSTILE: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "async",
    "r#type",
    "",
    " ",
    "_",
    "__",
    "0",
    "123abc",
    "-1",
    "ñandú",
    "日本語",
    "🦀",
    "*/",
    "/*",
    "#[",
    "#![allow(x)]",
    "\"",
    "\\",
    "\\\"",
    "\0",
    "\u{202E}",
    "\u{2066}",
    "\u{feff}",
    "\u{2028}",
    "\u{85}",
    "\u{7f}",
    "\r\n",
    "\r",
    "\t",
    "```rust\nfn main() { panic!() }\n```",
    "```\ncode\n",
    "    indented code",
    "//! inner",
    "{id}",
    "{",
    "}",
    "{}",
    "ASC",
    "asc",
    "=",
    "!=",
    ">=",
    "<=",
    "a-b",
    "a_b",
    "A B",
    "$ref",
    "#/components/schemas/",
    "#",
    "Unknown",
    "Client",
    "Error",
    "Result",
    "Option",
    "None",
    "std",
    "core",
    "serde",
    "rt",
    "req",
    "resp",
    "this",
    "p",
    "x",
    "v",
    "cursor",
    "page",
    "first",
    "parts",
    "file",
    "body",
    "params",
    "From",
    "Into",
    "S",
    "D",
    "A",
    "types",
    "new",
    "'",
    "http://",
    "https://{a}/{b}",
    "%00",
    "..",
    "x-",
    "application/json",
    "*/*",
    "multipart/form-data",
    "1.0e400",
    "^(a+)+$",
    "[",
    "(?<x>a)",
    "\\p{L}",
];

const KEYWORDS: &[&str] = &[
    "type",
    "format",
    "enum",
    "const",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "prefixItems",
    "properties",
    "required",
    "nullable",
    "additionalProperties",
    "discriminator",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "default",
    "example",
    "examples",
    "description",
    "title",
    "readOnly",
    "writeOnly",
    "deprecated",
    "$ref",
    "in",
    "name",
    "schema",
    "content",
    "parameters",
    "requestBody",
    "responses",
    "servers",
    "security",
    "operationId",
    "tags",
    "style",
    "explode",
    "propertyName",
    "mapping",
];

const TYPES: &[&str] = &["string", "integer", "number", "boolean", "object", "array", "null"];
const FORMATS: &[&str] =
    &["int32", "int64", "uint64", "float", "double", "date-time", "date", "uuid", "email", "uri", "binary", "byte"];

fn hostile(rng: &mut Rng) -> String {
    match rng.below(12) {
        0 => "a".repeat(1 + rng.below(5000)),
        1 => format!("{}{}", HOSTILE[rng.below(HOSTILE.len())], HOSTILE[rng.below(HOSTILE.len())]),
        2 => (0..1 + rng.below(20)).map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('?')).collect(),
        _ => HOSTILE[rng.below(HOSTILE.len())].to_string(),
    }
}

fn scalar(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::Int([0, -1, 1, i64::MAX as i128, i64::MIN as i128, u64::MAX as i128 + 1, 1 << 100][rng.below(7)]),
        3 => Value::Float([0.5, -0.0, 1e300, -1e300, 1e-300, f64::MAX][rng.below(6)]),
        4 => Value::String(TYPES[rng.below(TYPES.len())].into()),
        5 => Value::String(FORMATS[rng.below(FORMATS.len())].into()),
        6 => Value::Array(Vec::new()),
        7 => Value::Object(Map::new()),
        _ => Value::String(hostile(rng)),
    }
}

/// A plausible value for a schema/OpenAPI keyword.
fn keyword_value(key: &str, rng: &mut Rng) -> Value {
    let s = |x: &str| Value::String(x.to_string());
    match (key, rng.below(4)) {
        (_, 0) => scalar(rng),
        ("type", 1) => Value::Array(vec![s(TYPES[rng.below(7)]), s(TYPES[rng.below(7)])]),
        ("type", _) => s(TYPES[rng.below(TYPES.len())]),
        ("format", _) => s(FORMATS[rng.below(FORMATS.len())]),
        ("enum", _) => Value::Array((0..rng.below(8)).map(|_| Value::String(hostile(rng))).collect()),
        ("allOf" | "oneOf" | "anyOf" | "prefixItems", _) => Value::Array(vec![ref_value(rng), ref_value(rng)]),
        ("items" | "not" | "additionalProperties" | "schema", _) => ref_value(rng),
        ("properties", _) => {
            let mut m = Map::new();
            m.insert(hostile(rng), ref_value(rng));
            m.insert(hostile(rng), ref_value(rng));
            Value::Object(m)
        }
        ("required", _) => Value::Array(vec![Value::String(hostile(rng))]),
        ("$ref", _) => ref_string(rng),
        ("in", _) => s(["path", "query", "header", "cookie", "body"][rng.below(5)]),
        _ => scalar(rng),
    }
}

fn ref_string(rng: &mut Rng) -> Value {
    let r = match rng.below(10) {
        0 => "other.yaml#/components/schemas/A".to_string(),
        1 => "https://example.com/spec.json#/x".to_string(),
        2 => "#/nope/missing".to_string(),
        3 => "#".to_string(),
        4 => "/etc/passwd".to_string(),
        5 => "#/components/schemas/~1~0~2".to_string(),
        _ => format!("#/components/schemas/{}", ["A", "B", "HostileA", "HostileB", "Error"][rng.below(5)]),
    };
    Value::String(r)
}

fn ref_value(rng: &mut Rng) -> Value {
    let mut m = Map::new();
    if rng.below(2) == 0 {
        m.insert("$ref".into(), ref_string(rng));
    } else {
        m.insert("type".into(), Value::String(TYPES[rng.below(TYPES.len())].into()));
    }
    Value::Object(m)
}

#[derive(Clone)]
enum Seg {
    Key(String),
    Idx(usize),
}

/// A random path from the root: a random walk that stops with probability 1/4
/// at each level (and always at a leaf).
fn random_path(root: &Value, rng: &mut Rng) -> Vec<Seg> {
    let mut path = Vec::new();
    let mut node = root;
    loop {
        if !path.is_empty() && rng.below(4) == 0 {
            return path;
        }
        match node {
            Value::Object(m) if !m.is_empty() => {
                let idx = rng.below(m.len());
                let (k, v) = m.get_index(idx).expect("index below len");
                path.push(Seg::Key(k.clone()));
                node = v;
            }
            Value::Array(a) if !a.is_empty() => {
                let idx = rng.below(a.len());
                path.push(Seg::Idx(idx));
                node = &a[idx];
            }
            _ => return path,
        }
    }
}

fn get_mut<'a>(root: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut node = root;
    for seg in path {
        node = match (seg, node) {
            (Seg::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Seg::Idx(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn pointer_of(path: &[Seg]) -> String {
    let mut res = String::from("#");
    for seg in path {
        res.push('/');
        match seg {
            Seg::Key(k) => res.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Seg::Idx(i) => res.push_str(&i.to_string()),
        }
    }
    res
}

fn mutate(root: &mut Value, rng: &mut Rng) {
    let path = random_path(root, rng);
    match rng.below(12) {
        // Replace with a scalar or hostile string.
        0 => {
            if let Some(n) = get_mut(root, &path) {
                *n = scalar(rng);
            }
        }
        // Delete.
        1 => {
            if let Some((last, parent)) = path.split_last() {
                match (last, get_mut(root, parent)) {
                    (Seg::Key(k), Some(Value::Object(m))) => {
                        m.shift_remove(k);
                    }
                    (Seg::Idx(i), Some(Value::Array(a))) if *i < a.len() => {
                        a.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        // Duplicate one subtree over another (or beside it).
        2 => {
            let from = random_path(root, rng);
            let Some(copy) = get_mut(root, &from).map(|v| v.clone()) else { return };
            match get_mut(root, &path) {
                Some(Value::Array(a)) if rng.below(2) == 0 => a.push(copy),
                Some(Value::Object(m)) if rng.below(2) == 0 => {
                    let key = match from.last() {
                        Some(Seg::Key(k)) => k.clone(),
                        _ => hostile(rng),
                    };
                    m.insert(key, copy);
                }
                Some(n) => *n = copy,
                None => {}
            }
        }
        // Swap the type of a node.
        3 => {
            if let Some(n) = get_mut(root, &path) {
                let old = std::mem::replace(n, Value::Null);
                *n = match old {
                    Value::Object(m) => Value::Array(m.into_values().collect()),
                    Value::Array(a) => {
                        Value::Object(a.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect())
                    }
                    Value::String(s) => match rng.below(3) {
                        0 => Value::Int(s.len() as i128),
                        1 => Value::Array(vec![Value::String(s)]),
                        _ => {
                            let mut m = Map::new();
                            m.insert(s, Value::Null);
                            Value::Object(m)
                        }
                    },
                    Value::Int(i) => Value::String(i.to_string()),
                    Value::Float(f) => Value::Int(f as i128),
                    Value::Bool(b) => Value::String(b.to_string()),
                    Value::Null => Value::Object(Map::new()),
                };
            }
        }
        // Hostile string or key.
        4 | 5 => {
            let new_key = hostile(rng);
            match path.split_last() {
                Some((Seg::Key(k), parent)) if rng.below(2) == 0 => {
                    if let Some(Value::Object(m)) = get_mut(root, parent) {
                        if let Some(idx) = m.get_index_of(k) {
                            if !m.contains_key(&new_key) {
                                if let Some((_, v)) = m.shift_remove_index(idx) {
                                    m.shift_insert(idx, new_key, v);
                                }
                            }
                        }
                    }
                }
                _ => {
                    if let Some(n) = get_mut(root, &path) {
                        *n = Value::String(new_key);
                    }
                }
            }
        }
        // `$ref` cycles and references to random nodes.
        6 => {
            let schemas = ensure_schemas(root);
            let a = |r: &str| {
                let mut m = Map::new();
                m.insert("$ref".into(), Value::String(format!("#/components/schemas/{r}")));
                Value::Object(m)
            };
            match rng.below(3) {
                0 => {
                    schemas.insert("HostileA".into(), a("HostileB"));
                    schemas.insert("HostileB".into(), a("HostileA"));
                }
                1 => {
                    let mut m = Map::new();
                    m.insert("allOf".into(), Value::Array(vec![a("HostileA")]));
                    schemas.insert("HostileA".into(), Value::Object(m));
                }
                _ => {
                    let mut m = Map::new();
                    m.insert("type".into(), Value::String("object".into()));
                    let mut props = Map::new();
                    props.insert("next".into(), a("HostileA"));
                    m.insert("properties".into(), Value::Object(props));
                    schemas.insert("HostileA".into(), Value::Object(m));
                }
            }
            let target = random_path(root, rng);
            let ptr = pointer_of(&target);
            if let Some(n) = get_mut(root, &path) {
                let mut m = Map::new();
                m.insert("$ref".into(), if rng.below(2) == 0 { Value::String(ptr) } else { ref_string(rng) });
                *n = Value::Object(m);
            }
        }
        // Deep nesting.
        7 => {
            let max = if rng.below(4) == 0 { 300 } else { 40 };
            let depth = 1 + rng.below(max);
            if let Some(n) = get_mut(root, &path) {
                let mut v = std::mem::replace(n, Value::Null);
                for _ in 0..depth {
                    let mut m = Map::new();
                    match rng.below(5) {
                        0 => {
                            m.insert("type".into(), Value::String("array".into()));
                            m.insert("items".into(), v);
                        }
                        1 => {
                            m.insert("allOf".into(), Value::Array(vec![v]));
                        }
                        2 => {
                            m.insert("oneOf".into(), Value::Array(vec![v, ref_value(rng)]));
                        }
                        3 => {
                            m.insert("additionalProperties".into(), v);
                        }
                        _ => {
                            let mut props = Map::new();
                            props.insert("a".into(), v);
                            m.insert("type".into(), Value::String("object".into()));
                            m.insert("properties".into(), Value::Object(props));
                        }
                    }
                    v = Value::Object(m);
                }
                *n = v;
            }
        }
        // A keyword with a plausible value.
        8 | 9 => {
            let key = KEYWORDS[rng.below(KEYWORDS.len())];
            let v = keyword_value(key, rng);
            match get_mut(root, &path) {
                Some(Value::Object(m)) => {
                    m.insert(key.into(), v);
                }
                Some(n) => {
                    let mut m = Map::new();
                    m.insert(key.into(), v);
                    *n = Value::Object(m);
                }
                None => {}
            }
        }
        // An enum of hostile, colliding values.
        10 => {
            if let Some(n) = get_mut(root, &path) {
                let mut m = Map::new();
                m.insert("type".into(), Value::String("string".into()));
                let values = (0..1 + rng.below(10)).map(|_| Value::String(hostile(rng))).collect();
                m.insert("enum".into(), Value::Array(values));
                *n = Value::Object(m);
            }
        }
        // A new schema with a hostile name, or a colliding one.
        _ => {
            let name = hostile(rng);
            let v = ref_value(rng);
            let schemas = ensure_schemas(root);
            let name = match schemas.get_index(rng.below(schemas.len().max(1))) {
                Some((k, _)) if rng.below(2) == 0 => {
                    // Same name after case conversion.
                    let k = k.clone();
                    if k.chars().next().is_some_and(|c| c.is_uppercase()) {
                        k.to_lowercase()
                    } else {
                        k.to_uppercase()
                    }
                }
                _ => name,
            };
            schemas.insert(name, v);
        }
    }
}

/// `components/schemas` of the document, created when missing.
fn ensure_schemas(root: &mut Value) -> &mut Map {
    if !matches!(root, Value::Object(_)) {
        *root = Value::Object(Map::new());
    }
    let Value::Object(doc) = root else { unreachable!("root was just made an object") };
    let components = doc.entry("components".to_string()).or_insert_with(|| Value::Object(Map::new()));
    if !matches!(components, Value::Object(_)) {
        *components = Value::Object(Map::new());
    }
    let Value::Object(components) = components else { unreachable!("components was just made an object") };
    let schemas = components.entry("schemas".to_string()).or_insert_with(|| Value::Object(Map::new()));
    if !matches!(schemas, Value::Object(_)) {
        *schemas = Value::Object(Map::new());
    }
    let Value::Object(schemas) = schemas else { unreachable!("schemas was just made an object") };
    schemas
}

const SNIPPETS: &[&[u8]] = &[
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"\0",
    b"\xff",
    b"\xef\xbb\xbf",
    b"[[[[",
    b"{{{{",
    b"'",
    b"\"",
    b"!!binary ",
    b"!!float ",
    b"? ",
    b": ",
    b"- ",
    b"\n",
    b"\t",
    b"---\n",
    b"...\n",
    b"%YAML 1.2\n",
    b"|\n",
    b">-\n",
    b"~",
    b"0x10",
    b".nan",
    b"1e999",
];

fn mutate_bytes(text: &mut Vec<u8>, rng: &mut Rng) {
    let at = rng.below(text.len() + 1);
    match rng.below(4) {
        0 => text.truncate(at),
        1 => {
            let s = SNIPPETS[rng.below(SNIPPETS.len())];
            text.splice(at..at, s.iter().copied());
        }
        2 if at < text.len() => text[at] = rng.below(256) as u8,
        _ => {
            let len = rng.below(64).min(text.len() - at.min(text.len()));
            let chunk: Vec<u8> = text[at..at + len].to_vec();
            let to = rng.below(text.len() + 1);
            text.splice(to..to, chunk);
        }
    }
}

/// xorshift64*: small, fast and reproducible.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x2545_F491_4F6C_DD1D | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn fnv(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x01000193);
    }
    h
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
