//! `cargo xtask bench [SPEC]...`: how long codegen takes and how much memory
//! it needs, phase by phase; with `--build`, how long `cargo build` of the
//! generated crate takes once its dependencies are built (the runtime crate
//! among them): clean (with its parts, when it is split into crates), after
//! touching one file (the `lib.rs` of its largest part, when it is split),
//! and clean with one group's feature alone (`--group`),
//! each as wall time and as the CPU time of cargo and the compilers it ran
//! (less sensitive to other load on the machine), and the peak memory of
//! the largest compiler process.
//!
//! With `--vs-progenitor DIR` (a crate progenitor generated for the same
//! description, `cargo progenitor -i SPEC -o DIR -n NAME -v 0.1.0`), that
//! crate is built clean in the same run, after the generated crates, with
//! the same target directory and flags, and the table gives our clean build
//! over its clean build.
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
    /// The group whose feature is built alone with `--build` (a crate
    /// without it builds its first group).
    #[arg(long, default_value = "users")]
    pub group: String,
    /// A crate progenitor generated for the same description: with
    /// `--build`, also build it clean and print our clean build over its.
    #[arg(long, value_name = "DIR")]
    pub vs_progenitor: Option<PathBuf>,
    /// Instead: decode throughput of the generated types on recorded
    /// bodies, against `Value`, `IgnoredAny` and a derive build
    /// (`--runs` rounds; see `bench_decode.rs`).
    #[arg(long)]
    pub decode: bool,
    /// Instead: the peak memory of the generated client's stream walking
    /// 100,000 organizations in 2,000 pages from a local server
    /// (`xtask/bench/decode/rss.rs`).
    #[arg(long)]
    pub rss: bool,
    /// The go-vcr cassettes `--decode` reads (default
    /// `../shared/recordings/terraform-provider-auth0`).
    #[arg(long, value_name = "DIR")]
    pub recordings: Option<PathBuf>,
    /// Where crates are written (default `target/bench`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Internal: measure one spec in this process and print one result line.
    #[arg(long, hide = true)]
    pub child: bool,
}

const PHASES: [&str; 6] = ["read", "parse", "lower", "emit+render", "write", "total"];

pub(crate) fn run(args: &Args) -> Result<(), String> {
    if args.decode || args.rss {
        let mode = if args.rss { crate::bench_decode::Mode::Rss } else { crate::bench_decode::Mode::Decode };
        return crate::bench_decode::run(mode, args.recordings.as_deref(), args.runs.max(1));
    }
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
    if args.vs_progenitor.is_some() && !args.build {
        return Err("error: --vs-progenitor builds crates: pass --build too".into());
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
            builds.push((spec.clone(), build_times(&out.join(crate_name(spec)), &crate_name(spec), &args.group)?));
        }
    }
    if args.build {
        println!();
        println!("Load average before the builds: {}", load_average());
        println!();
        println!("| spec | clean (s) | clean CPU (s) | touched (s) | touched CPU (s) | one group | alone (s) | alone CPU (s) | peak rustc MB |");
        println!("|---|---:|---:|---:|---:|---|---:|---:|---:|");
        for (spec, b) in &builds {
            println!(
                "| {} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {:.1} | {:.1} | {:.0} |",
                file_name(spec),
                b.clean.wall,
                b.clean.cpu,
                b.touched.wall,
                b.touched.cpu,
                b.group,
                b.alone.wall,
                b.alone.cpu,
                b.clean.peak_mb.max(b.alone.peak_mb)
            );
        }
        if let Some(dir) = &args.vs_progenitor {
            vs_progenitor(dir, &builds)?;
        }
        for (spec, b) in &builds {
            let Some(u) = &b.user else { continue };
            println!();
            println!(
                "User binary, five calls, after touching its main.rs ({}; median of {USER_TOUCHED_RUNS} builds each, alternating):",
                file_name(spec)
            );
            println!();
            println!("| binary | touched (s) | touched CPU (s) | wall over by hand | CPU over by hand |");
            println!("|---|---:|---:|---:|---:|");
            let by_hand = &u.handwritten;
            for (label, r) in [
                ("generated client, default features", &u.generated),
                ("generated client, only the groups called", &u.groups),
                ("reqwest + serde by hand", by_hand),
            ] {
                println!(
                    "| {label} | {:.2} | {:.2} | {} | {} |",
                    r.wall,
                    r.cpu,
                    ratio(r.wall, by_hand.wall),
                    ratio(r.cpu, by_hand.cpu)
                );
            }
        }
    }
    Ok(())
}

/// Builds the progenitor crate in `dir` clean, like the generated crates
/// (its dependencies first, then the crate alone), and prints its times and
/// our clean build over its for each spec built in this run.
fn vs_progenitor(dir: &Path, builds: &[(PathBuf, Builds)]) -> Result<(), String> {
    let manifest = fs::read_to_string(dir.join("Cargo.toml"))
        .map_err(|e| format!("error: {}: cannot read Cargo.toml: {e}", dir.display()))?;
    let name = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("name = ").map(|v| v.trim_matches('"').to_string()))
        .ok_or_else(|| format!("error: {}: Cargo.toml has no package name", dir.display()))?;
    // Its dependencies are progenitor's, which our lock file may not hold:
    // resolved and fetched by cargo, not offline.
    cargo_in(dir, &["build", "--quiet"])?;
    cargo_in(dir, &["clean", "--quiet", "-p", &name])?;
    let theirs = cargo_in(dir, &["build", "--quiet"])?;
    println!();
    println!("Progenitor's crate `{name}` ({}), built clean in the same run:", dir.display());
    println!();
    println!(
        "| spec | ours clean (s) | progenitor clean (s) | ratio | ours CPU (s) | progenitor CPU (s) | ratio CPU |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (spec, b) in builds {
        println!(
            "| {} | {:.1} | {:.1} | {} | {:.1} | {:.1} | {} |",
            file_name(spec),
            b.clean.wall,
            theirs.wall,
            ratio(b.clean.wall, theirs.wall),
            b.clean.cpu,
            theirs.cpu,
            ratio(b.clean.cpu, theirs.cpu)
        );
    }
    Ok(())
}

/// `a` over `b` to two places, `?` when `b` is not positive.
fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.2}", a / b)
    } else {
        "?".into()
    }
}

/// The 1, 5 and 15 minute load averages (Linux).
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
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
    let median = |i: usize| median(samples.iter().map(|s| s[i]));
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

/// One timed `cargo` run.
#[derive(Debug, Clone, Copy, Default)]
struct Run {
    wall: f64,
    /// User and system time of cargo and every process it waited for.
    cpu: f64,
    /// The largest resident set of a compiler cargo ran.
    peak_mb: f64,
}

/// The builds of one generated crate.
struct Builds {
    clean: Run,
    touched: Run,
    group: String,
    alone: Run,
    /// The user binaries, for the Auth0 client.
    user: Option<UserBuilds>,
}

/// The touched builds of the user binary through the generated client and
/// of the same calls written by hand.
struct UserBuilds {
    generated: Run,
    /// With only the groups the binary calls.
    groups: Run,
    handwritten: Run,
}

/// Waits for `child`, measuring the CPU time of it and the processes it
/// waited for (the children's times in `/proc/self/stat`, before and
/// after), and the peak memory (`VmHWM`) of its direct children (rustc
/// under cargo), sampled while it runs.
fn wait_measured(mut child: std::process::Child, started: Instant) -> Result<(bool, Run), String> {
    let before = children_cpu();
    let pid = child.id();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop = done.clone();
    let sampler = std::thread::spawn(move || {
        let mut peak_kb = 0u64;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            peak_kb = peak_kb.max(children_peak_kb(pid));
            std::thread::sleep(Duration::from_millis(100));
        }
        peak_kb
    });
    let status = child.wait().map_err(|e| format!("error: cannot wait for cargo: {e}"))?;
    let wall = started.elapsed().as_secs_f64();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak_kb = sampler.join().unwrap_or(0);
    let cpu = children_cpu() - before;
    Ok((status.success(), Run { wall, cpu, peak_mb: peak_kb as f64 / 1024.0 }))
}

/// User and system time of this process's waited-for children, in seconds
/// (fields 16 and 17 of `/proc/self/stat`, in clock ticks of 1/100 s).
fn children_cpu() -> f64 {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name may hold spaces; the fields after it do not.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0) / 100.0;
    // `rest` starts at field 3 (state): cutime is field 16, cstime 17.
    tick(16 - 3) + tick(17 - 3)
}

/// The largest `VmHWM` of the live processes whose parent is `parent`, in kB.
fn children_peak_kb(parent: u32) -> u64 {
    let Ok(dir) = fs::read_dir("/proc") else { return 0 };
    let mut peak = 0;
    for entry in dir.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().filter(|n| n.bytes().all(|b| b.is_ascii_digit())) else { continue };
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let ppid = stat.rsplit_once(')').and_then(|(_, r)| r.split_whitespace().nth(1)).and_then(|p| p.parse().ok());
        if ppid != Some(parent) {
            continue;
        }
        let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let kb = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0);
        peak = peak.max(kb);
    }
    peak
}

/// The group features of a generated manifest (`[features]` but `default`
/// and `full`), in order.
fn group_features(dir: &Path) -> Vec<String> {
    let text = fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    let table = text.split("\n[features]\n").nth(1).unwrap_or("");
    table
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
        .filter(|k| k != "default" && k != "full")
        .collect()
}

/// One `cargo` command in `dir`, timed, with the bench's target directory.
fn cargo_in(dir: &Path, args: &[&str]) -> Result<Run, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = project_root().join("target/bench-target");
    let t = Instant::now();
    let child = Command::new(&cargo)
        .args(args)
        .arg("--target-dir")
        .arg(&target)
        .current_dir(dir)
        .env_remove("RUSTFLAGS")
        .spawn()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    let (ok, run) = wait_measured(child, t)?;
    if !ok {
        return Err(format!("error: cargo {} failed in {}", args.join(" "), dir.display()));
    }
    Ok(run)
}

/// `cargo fetch` in `dir`: downloads what its lock file names and the
/// machine lacks, so that the timed builds can be offline.
fn fetch(dir: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(["fetch", "--quiet"])
        .current_dir(dir)
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("error: cargo fetch failed in {}", dir.display()))
    }
}

/// Rewrites `file` with its own bytes, so cargo rebuilds its crate.
fn touch(file: &Path) -> Result<(), String> {
    let text = fs::read(file).map_err(|e| format!("error: cannot read {}: {e}", file.display()))?;
    fs::write(file, &text).map_err(|e| format!("error: cannot touch {}: {e}", file.display()))
}

/// `cargo clean` of the generated crate `name` and, when it is split into
/// crates (`crates/*`), of each of them: everything generated, not the
/// dependencies.
fn clean_args(dir: &Path, name: &str) -> Vec<String> {
    let mut args: Vec<String> = ["clean", "--offline", "--quiet", "-p", name].map(String::from).into();
    for (_, manifest) in split_crates(dir) {
        let name = manifest.lines().find_map(|l| l.strip_prefix("name = \"")).map(|n| n.trim_end_matches('"'));
        args.extend(name.map(|n| ["-p".to_string(), n.to_string()]).into_iter().flatten());
    }
    args
}

/// The crates a split client is made of (`crates/*`), with their manifests,
/// in name order.
fn split_crates(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = fs::read_dir(dir.join("crates"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| fs::read_to_string(p.join("Cargo.toml")).ok().map(|m| (p, m)))
        .collect();
    out.sort();
    out
}

/// The file the touched build touches: `src/lib.rs` of the crate, or of
/// its largest part when it is split (touching the crate's own `lib.rs`
/// would rebuild only the few lines that re-export the parts).
fn touched_file(dir: &Path) -> PathBuf {
    let size = |p: &Path| -> u64 {
        walk_rs(&p.join("src")).iter().filter_map(|f| fs::metadata(f).ok()).map(|m| m.len()).sum()
    };
    split_crates(dir)
        .into_iter()
        .map(|(p, _)| (size(&p), p))
        .max()
        .map_or_else(|| dir.join("src/lib.rs"), |(_, p)| p.join("src/lib.rs"))
}

/// The `.rs` files under `dir`.
fn walk_rs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for p in fs::read_dir(&d).into_iter().flatten().filter_map(|e| e.ok().map(|e| e.path())) {
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out
}

/// `cargo build` of the generated crate `name` in `dir`: once for its
/// dependencies, then clean (the crate alone, and its parts when it is
/// split), after touching one `lib.rs` (`touched_file`),
/// and clean with only the feature of `group`; for the Auth0 client, the
/// user binaries too.
fn build_times(dir: &Path, name: &str, group: &str) -> Result<Builds, String> {
    let lock = project_root().join("Cargo.lock");
    fs::copy(&lock, dir.join("Cargo.lock")).map_err(|e| format!("error: cannot copy Cargo.lock: {e}"))?;
    // The timed builds are offline; what the lock file names is fetched
    // first (a fresh machine has none of it).
    fetch(dir)?;
    cargo_in(dir, &["build", "--offline", "--quiet"])?;
    let clean_args = clean_args(dir, name);
    let clean_args: Vec<&str> = clean_args.iter().map(String::as_str).collect();
    cargo_in(dir, &clean_args)?;
    let clean = cargo_in(dir, &["build", "--offline", "--quiet"])?;
    touch(&touched_file(dir))?;
    let touched = cargo_in(dir, &["build", "--offline", "--quiet"])?;
    let user = if name.starts_with(USER_BINARY_CRATE) { Some(user_binaries(dir, name)?) } else { None };
    let groups = group_features(dir);
    let group =
        if groups.iter().any(|g| g == group) { group.to_string() } else { groups.first().cloned().unwrap_or_default() };
    let mut alone = Run::default();
    if !group.is_empty() {
        cargo_in(dir, &clean_args)?;
        alone = cargo_in(dir, &["build", "--offline", "--quiet", "--no-default-features", "--features", &group])?;
    }
    Ok(Builds { clean, touched, group, alone, user })
}

/// The crate whose user binaries are measured (by the start of its name:
/// the bench names crates after the spec's file); their calls are Auth0's,
/// through the library name `auth0_management`.
const USER_BINARY_CRATE: &str = "auth0-management";

/// The user binaries: five operations through the generated client with
/// its default features (every group), the same through only the groups
/// they call, and the same calls written by hand (`xtask/bench/user-binary/`).
const USER_BINARIES: [(&str, &str); 3] = [
    ("generated", include_str!("../bench/user-binary/generated.rs")),
    ("groups", include_str!("../bench/user-binary/generated.rs")),
    ("handwritten", include_str!("../bench/user-binary/handwritten.rs")),
];

/// The operation groups whose operations `generated.rs` calls: the features
/// of the `groups` user binary.
const USER_BINARY_GROUPS: &str = r#""users", "organizations", "roles", "clients""#;

/// How many touched builds of each user binary the bench takes, alternating
/// the binaries; it reports the median of each. One build takes about half
/// a second and its noise is a few hundredths.
const USER_TOUCHED_RUNS: usize = 9;

/// Builds each user binary next to the generated crate in `dir` (its
/// dependencies built first), then again after touching its `main.rs`,
/// `USER_TOUCHED_RUNS` times, alternating: the medians of the touched builds
/// of each binary.
fn user_binaries(dir: &Path, name: &str) -> Result<UserBuilds, String> {
    let parent = dir.parent().unwrap_or(dir);
    let client = dir.canonicalize().map_err(|e| format!("error: cannot resolve {}: {e}", dir.display()))?;
    let lock = project_root().join("Cargo.lock");
    let mut bins = Vec::new();
    for (kind, main) in USER_BINARIES {
        let bin = parent.join(format!("user-binary-{kind}"));
        let client = format!("package = {name:?}, path = {:?}", client.display().to_string());
        let deps = match kind {
            "generated" => format!("auth0_management = {{ {client} }}\n"),
            "groups" => format!(
                "auth0_management = {{ {client}, default-features = false, features = [{USER_BINARY_GROUPS}] }}\n"
            ),
            _ => "reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\", \"http2\"] }\n\
                  serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n"
                .to_string(),
        };
        let manifest = format!(
            "[package]\nname = \"user-binary-{kind}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{deps}tokio = {{ version = \"1\", features = [\"rt\"] }}\n\n[workspace]\n"
        );
        let write = |path: &Path, text: &str| {
            fs::write(path, text).map_err(|e| format!("error: cannot write {}: {e}", path.display()))
        };
        fs::create_dir_all(bin.join("src")).map_err(|e| format!("error: cannot create {}: {e}", bin.display()))?;
        write(&bin.join("Cargo.toml"), &manifest)?;
        write(&bin.join("src/main.rs"), main)?;
        fs::copy(&lock, bin.join("Cargo.lock")).map_err(|e| format!("error: cannot copy Cargo.lock: {e}"))?;
        fetch(&bin)?;
        cargo_in(&bin, &["build", "--offline", "--quiet"])?;
        bins.push(bin);
    }
    let mut runs: [Vec<Run>; 3] = Default::default();
    for _ in 0..USER_TOUCHED_RUNS {
        for (bin, runs) in bins.iter().zip(&mut runs) {
            touch(&bin.join("src/main.rs"))?;
            runs.push(cargo_in(bin, &["build", "--offline", "--quiet"])?);
        }
    }
    let [generated, groups, handwritten] = runs.map(|r| median_run(&r));
    Ok(UserBuilds { generated, groups, handwritten })
}

/// The median wall and the median CPU time of `runs` (each on its own).
fn median_run(runs: &[Run]) -> Run {
    Run {
        wall: median(runs.iter().map(|r| r.wall)),
        cpu: median(runs.iter().map(|r| r.cpu)),
        peak_mb: median(runs.iter().map(|r| r.peak_mb)),
    }
}

/// The median of `values` (the upper one of an even count; the default of
/// none), for durations and for seconds alike.
fn median<T: PartialOrd + Copy + Default>(values: impl Iterator<Item = T>) -> T {
    let mut v: Vec<T> = values.collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v.get(v.len() / 2).copied().unwrap_or_default()
}
