//! `cargo xtask bench --decode`: how fast the generated types decode real
//! response bodies, against `serde_json::Value`, `serde::de::IgnoredAny`
//! (the parse floor) and the same types with serde's derives.
//!
//! The bodies are every 2xx JSON response of the go-vcr cassettes in
//! `--recordings` (by default the Terraform provider's,
//! `../shared/recordings/terraform-provider-auth0`), read in place. Each is
//! matched to an operation of `spec/openapi.yaml` by method and route (the
//! template with the most literal segments wins, as in the recordings
//! replay) and decoded as the type of that operation's success response for
//! the recorded status. The bodies are grouped by what the type is:
//!
//! - plain structs: a struct that holds no union, however deep;
//! - structs holding unions: a struct with a union somewhere below it;
//! - structs under unions: a union whose body is an object (a struct
//!   variant is chosen: Auth0's lists with totals);
//! - unions: a union whose body is not an object (a list variant);
//! - maps, lists: a map or an array at the top.
//!
//! The bench is a crate of its own, written to `target/bench/decode` and
//! built there in release, over `target/bench/decode-client`, the Auth0 client generated from
//! `spec/openapi.yaml` by this working tree (as `cargo xtask codegen`
//! writes `generated/`, with the workspace's runtime crate); `src/main.rs`
//! is `xtask/bench/decode/main.rs` (and `src/bin/rss.rs`, `bench --rss`,
//! is `xtask/bench/decode/rss.rs`); `src/types.rs` is the derive build of
//! the types the bodies use ([`generator::bench_derive_types`], never
//! shipped); `src/dispatch.rs` decodes a body as its type, included once
//! over the client's `types` and once over the derive build's. Only bodies
//! that both builds decode are timed; the others are counted.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use generator::ir::{Api, Operation, ResponseBody, StatusMatch, Ty, TypeKind};
use generator::value::Value;

use generator::write::{ensure_files, load_api_file};

// Shared with the recordings replay: cassettes and route matching.
#[path = "../../client-tests/conformance/src/cassettes.rs"]
mod cassettes;

use crate::codegen::{runtime_crate, DEFAULT_CRATE, DEFAULT_SPEC};
use crate::project_root;

/// The groups, in the order the bench prints them.
const GROUPS: [&str; 6] =
    ["plain structs", "structs holding unions", "structs under unions", "unions", "maps", "lists"];

/// The bench crate's manifest: a workspace of its own, over the client in
/// `../decode-client`.
const MANIFEST: &str =
    "[package]\nname = \"decode-bench\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
    [dependencies]\nauth0-management-api = { path = \"../decode-client\" }\n\
    serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n\
    uuid = { version = \"1\", features = [\"serde\"] }\n\
    tokio = { version = \"1\", features = [\"rt\"] }\n\n[workspace]\n";

/// One body to decode: the index of its type in the dispatcher, its group
/// and its text.
struct Body {
    ty: usize,
    group: usize,
    text: String,
}

/// What `bench --decode` or `bench --rss` measures.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Decode,
    /// The peak memory of a stream walking 2,000 pages
    /// (`xtask/bench/decode/rss.rs`), in the same crate.
    Rss,
}

pub(crate) fn run(mode: Mode, recordings: Option<&Path>, rounds: usize) -> Result<(), String> {
    let root = project_root();
    let recordings =
        recordings.map_or_else(|| root.join("../shared/recordings/terraform-provider-auth0"), Path::to_path_buf);
    let config = generator::Config {
        crate_name: DEFAULT_CRATE.into(),
        crate_version: "0.1.0".into(),
        spec_label: DEFAULT_SPEC.into(),
        command: "cargo xtask codegen".into(),
        standalone: false,
        settings: Default::default(),
        runtime: runtime_crate(false),
        parts: 0,
        layout: generator::Layout::Crate,
    };
    let api = load_api_file(&root.join(DEFAULT_SPEC), config)?;
    let mut types: Vec<String> = Vec::new();
    let mut roots: Vec<&Ty> = Vec::new();
    let mut bodies = Vec::new();
    let (mut unmatched, mut interactions) = (0, 0);
    for (method, path, status, text) in read_interactions(&recordings)? {
        if !(200..300).contains(&status) || text.trim().is_empty() {
            continue;
        }
        interactions += 1;
        let Some(op) = find_operation(&api, &method, &path) else {
            unmatched += 1;
            continue;
        };
        let Some(ty) = success_type(op, status) else { continue };
        // A body that is not JSON is no body to decode.
        let Ok(json) = generator::load::load("body.json", text.as_bytes()) else { continue };
        let rust = generator::rust_ty::of(&api, ty).to_string();
        let idx = match types.iter().position(|t| *t == rust) {
            Some(i) => i,
            None => {
                types.push(rust);
                roots.push(ty);
                types.len() - 1
            }
        };
        bodies.push(Body { ty: idx, group: group(&api, ty, &json), text });
    }
    if mode == Mode::Decode {
        println!(
            "{} 2xx bodies in {}: {} of operations with a JSON success type, {} of routes the description lacks",
            interactions,
            recordings.display(),
            bodies.len(),
            unmatched
        );
    }
    let dir = root.join("target/bench/decode");
    let spec = root.join(DEFAULT_SPEC);
    let client = crate::codegen::generate(&spec, DEFAULT_SPEC, DEFAULT_CRATE, "cargo xtask codegen", true)?;
    ensure_files(&root.join("target/bench/decode-client"), &client.output.files, false)?;
    write_crate(&dir, &root, &api, &types, &roots, &bodies)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root.join("target/bench-decode");
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "--target-dir"])
        .arg(&target)
        .current_dir(&dir)
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("error: the decode bench in {} does not build", dir.display()));
    }
    let mut bench = match mode {
        Mode::Decode => Command::new(target.join("release/decode-bench")),
        Mode::Rss => Command::new(target.join("release/rss")),
    };
    if mode == Mode::Decode {
        bench.arg(dir.join("bodies.txt")).arg(rounds.to_string());
    }
    let status = bench.status().map_err(|e| format!("error: cannot run the decode bench: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("error: the decode bench failed".into())
    }
}

/// `(method, path below /api/v2, status, response body)` of every
/// interaction of every cassette in `dir`, in file-name order.
fn read_interactions(dir: &Path) -> Result<Vec<(String, String, u16, String)>, String> {
    let mut out = Vec::new();
    for (_, doc) in cassettes::read_cassettes(dir).map_err(|e| format!("error: {e}"))? {
        for i in doc.get("interactions").and_then(Value::as_array).unwrap_or(&[]) {
            let field = |a: &str, b: &str| i.get(a).and_then(|v| v.get(b));
            let url = field("request", "url").and_then(Value::as_str).unwrap_or("");
            // `https://host/api/v2/path?query`: the path below /api/v2.
            let path = url.split_once("://").map_or(url, |(_, rest)| rest);
            let path = path.find('/').map_or("", |at| &path[at..]);
            let path = path.split(['?', '#']).next().unwrap_or("");
            let path = path.strip_prefix("/api/v2").unwrap_or(path).to_string();
            let method = field("request", "method").and_then(Value::as_str).unwrap_or("GET").to_string();
            let status = field("response", "code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok());
            let body = field("response", "body").and_then(Value::as_str).unwrap_or("").to_string();
            out.push((method, path, status.unwrap_or(0), body));
        }
    }
    Ok(out)
}

/// The operation whose method and route template match `path`, chosen as
/// the recordings replay chooses it ([`cassettes::best_route`]).
fn find_operation<'a>(api: &'a Api, method: &str, path: &str) -> Option<&'a Operation> {
    let routes = api.operations.iter().map(|op| (op.method.as_str(), op.route.as_str()));
    cassettes::best_route(routes, method, path).map(|(idx, _)| &api.operations[idx])
}

/// The JSON type of the success response the client reads for `status`:
/// the one listed for it, else the `2XX` range's, else the first success
/// (a 2xx the description does not list reads as its nearest success).
fn success_type(op: &Operation, status: u16) -> Option<&Ty> {
    let exact = op.successes().find(|r| r.status == StatusMatch::Exact(status));
    let range = op.successes().find(|r| r.status == StatusMatch::Range(2));
    match &exact.or(range).or_else(|| op.successes().next())?.body {
        ResponseBody::Json(ty) => Some(ty),
        _ => None,
    }
}

/// The group of a body of type `ty` (see the module docs).
fn group(api: &Api, ty: &Ty, body: &Value) -> usize {
    let holds_union = |ty: &Ty| {
        generator::ir_visit::reachable(api, [ty])
            .iter()
            .enumerate()
            .any(|(i, r)| *r && matches!(api.types[i].kind, TypeKind::Union(_)))
    };
    match resolve(api, ty) {
        Ty::Named(id) => match api.definition(*id) {
            TypeKind::Union(_) if body.as_object().is_none() => 3,
            TypeKind::Union(_) => 2,
            _ if holds_union(ty) => 1,
            _ => 0,
        },
        Ty::Map(_) => 4,
        _ => 5,
    }
}

/// `ty` through aliases and nullable wrappers.
fn resolve<'a>(api: &'a Api, mut ty: &'a Ty) -> &'a Ty {
    loop {
        match ty {
            Ty::Option(t) => ty = t,
            Ty::Named(id) => match api.definition(*id) {
                TypeKind::Alias(t) => ty = t,
                _ => return ty,
            },
            _ => return ty,
        }
    }
}

/// Writes the bench crate into `dir` (see the module docs) and the bodies
/// (`bodies.txt`: the group names on the first line, then per body a line
/// `type group length` and its text).
fn write_crate(
    dir: &Path,
    root: &Path,
    api: &Api,
    types: &[String],
    roots: &[&Ty],
    bodies: &[Body],
) -> Result<(), String> {
    let write = |path: &Path, text: &[u8]| {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("error: cannot create {}: {e}", parent.display()))?;
        }
        // Unchanged files keep their time, so cargo rebuilds nothing.
        if fs::read(path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        fs::write(path, text).map_err(|e| format!("error: cannot write {}: {e}", path.display()))
    };

    write(&dir.join("Cargo.toml"), MANIFEST.as_bytes())?;
    let lock = fs::read(root.join("Cargo.lock")).map_err(|e| format!("error: cannot read Cargo.lock: {e}"))?;
    if !dir.join("Cargo.lock").exists() {
        write(&dir.join("Cargo.lock"), &lock)?;
    }
    write(&dir.join("src/main.rs"), include_str!("../bench/decode/main.rs").as_bytes())?;
    write(&dir.join("src/bin/rss.rs"), include_str!("../bench/decode/rss.rs").as_bytes())?;
    write(&dir.join("src/types.rs"), generator::bench_derive_types(api, roots).as_bytes())?;
    let mut dispatch = String::from(
        "// Written by `cargo xtask bench --decode`: a body decoded as the type of its index.\n\
         pub fn decode(ty: usize, body: &str) -> bool {\n    match ty {\n",
    );
    for (i, t) in types.iter().enumerate() {
        let _ = writeln!(dispatch, "        {i} => crate::run::<{t}>(body),");
    }
    dispatch.push_str("        _ => false,\n    }\n}\n\n/// The type of each index, for `decode-bench BODIES REPS types`.\npub const NAMES: &[&str] = &[\n");
    for t in types {
        let _ = writeln!(dispatch, "    {:?},", t.trim_start_matches("types::"));
    }
    dispatch.push_str("];\n");
    write(&dir.join("src/dispatch.rs"), dispatch.as_bytes())?;
    let mut data = GROUPS.join("\t").into_bytes();
    data.push(b'\n');
    for b in bodies {
        data.extend(format!("{} {} {}\n", b.ty, b.group, b.text.len()).bytes());
        data.extend(b.text.bytes());
        data.push(b'\n');
    }
    write(&dir.join("bodies.txt"), &data)
}
