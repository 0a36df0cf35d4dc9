//! The decode bench that `cargo xtask bench --decode` writes and runs:
//! `decode-bench BODIES ROUNDS`. Each group of bodies is decoded by each
//! decoder in turn (the generated types, the derive build, `Value`,
//! `IgnoredAny`, all read as the client reads a body; then `Value` as
//! `serde_json::from_slice` reads it), one timed pass of every body of the group per decoder,
//! alternating, `ROUNDS` times; the table gives the median MB/s of each and
//! the generated types' over the others'. `decode-bench BODIES REPS
//! DECODER GROUP` runs one decoder on one group `REPS` times, for a
//! profiler (a group past the last: every body). `decode-bench BODIES
//! REPS types` times each type's bodies alone, the generated types against
//! `Value`: set beside the total, it shows what decoding many types in one
//! pass costs over decoding each with its code in cache.

#![allow(dead_code, unused_imports)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

pub use auth0_management_api::runtime;

/// The types the bodies use, with serde's derives (the bench-only emit mode).
mod types;

/// Decodes with the generated crate's types.
mod typed {
    use auth0_management_api::runtime as rt;
    use auth0_management_api::types;
    include!("dispatch.rs");
}

/// Decodes with the derive build's types.
mod derived {
    use crate::runtime as rt;
    use crate::types;
    include!("dispatch.rs");
}

/// Decodes `body` as `T` from bytes, the way the client reads a response
/// (`from_json_bytes`: the body's UTF-8 checked once, then read as text);
/// whether it decodes.
fn run<T: DeserializeOwned>(body: &str) -> bool {
    match runtime::__private::from_json_bytes::<T>(body.as_bytes()) {
        Ok(v) => {
            black_box(v);
            true
        }
        Err(_) => false,
    }
}

/// What the derive build reads an optional field that may be `null` with:
/// absent is `None` (serde's `default`), `null` is `Some(None)`.
pub fn __double_option<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

struct Body {
    ty: usize,
    group: usize,
    text: String,
}

const DECODERS: [&str; 5] = ["generated", "derive", "Value", "IgnoredAny", "Value from_slice"];

fn decode(decoder: usize, b: &Body) -> bool {
    match decoder {
        0 => typed::decode(b.ty, &b.text),
        1 => derived::decode(b.ty, &b.text),
        2 => run::<serde_json::Value>(&b.text),
        3 => run::<serde::de::IgnoredAny>(&b.text),
        // What `reqwest::Response::json::<Value>()` does: every string's
        // UTF-8 checked as it is read.
        _ => serde_json::from_slice::<serde_json::Value>(b.text.as_bytes()).is_ok(),
    }
}

fn read(path: &str) -> Result<(Vec<String>, Vec<Body>), String> {
    let data = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let (head, mut rest) = data.split_once('\n').ok_or("no groups line")?;
    let groups = head.split('\t').map(str::to_string).collect();
    let mut bodies = Vec::new();
    while let Some((line, tail)) = rest.split_once('\n') {
        let n: Vec<usize> = line.split(' ').filter_map(|x| x.parse().ok()).collect();
        let [ty, group, len] = n[..] else { return Err(format!("bad line {line:?}")) };
        let text = tail.get(..len).ok_or("truncated body")?;
        bodies.push(Body { ty, group, text: text.to_string() });
        rest = tail.get(len + 1..).unwrap_or("");
    }
    Ok((groups, bodies))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// One timed pass of `bodies` with `decoder`, `reps` times: MB/s.
fn pass(decoder: usize, bodies: &[&Body], reps: usize) -> f64 {
    let bytes: usize = bodies.iter().map(|b| b.text.len()).sum();
    let t = Instant::now();
    for _ in 0..reps {
        for b in bodies {
            black_box(decode(decoder, black_box(b)));
        }
    }
    (bytes * reps) as f64 / t.elapsed().as_secs_f64() / 1e6
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).map_or("bodies.txt", String::as_str);
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(9);
    let (groups, all) = match read(path) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    // `decode-bench BODIES REPS types`: each type's bodies, the generated
    // types against `Value`, the types that take the most time first.
    if args.get(3).map(String::as_str) == Some("types") {
        by_type(&all, rounds);
        return;
    }
    // `decode-bench BODIES REPS DECODER GROUP`: only that decoder on that
    // group (the index of each), REPS passes, for a profiler.
    if let (Some(d), Some(g)) =
        (args.get(3).and_then(|d| d.parse::<usize>().ok()), args.get(4).and_then(|g| g.parse::<usize>().ok()))
    {
        // A group index past the last is every body (the total).
        let set: Vec<&Body> =
            all.iter().filter(|b| (b.group == g || g >= groups.len()) && decode(0, b) && decode(1, b)).collect();
        println!("{} MB/s", pass(d, &set, rounds) as u64);
        return;
    }
    // Only bodies both builds decode are timed.
    let mut failed = [0usize; 2];
    let bodies: Vec<&Body> = all
        .iter()
        .filter(|b| {
            let ok = [decode(0, b), decode(1, b)];
            for (f, ok) in failed.iter_mut().zip(ok) {
                *f += usize::from(!ok);
            }
            ok[0] && ok[1]
        })
        .collect();
    println!(
        "{} bodies decode ({} do not with the generated types, {} not with the derive build); {} rounds, alternating",
        bodies.len(),
        failed[0],
        failed[1],
        rounds
    );
    println!();
    print!("| group | bodies | KB |");
    for d in DECODERS {
        print!(" {d} MB/s |");
    }
    println!(" over derive | over Value | over IgnoredAny | over Value from_slice |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut sets: Vec<(String, Vec<&Body>)> = groups
        .iter()
        .enumerate()
        .map(|(g, name)| (name.clone(), bodies.iter().copied().filter(|b| b.group == g).collect()))
        .collect();
    sets.push(("total".to_string(), bodies.clone()));
    for (name, set) in sets {
        if set.is_empty() {
            println!("| {name} | 0 | 0 | | | | | | | | | |");
            continue;
        }
        let bytes: usize = set.iter().map(|b| b.text.len()).sum();
        // Each pass takes about 50 ms with the slowest decoder measured.
        let t = Instant::now();
        let mut probe = 0;
        while t.elapsed() < Duration::from_millis(20) {
            for d in 0..DECODERS.len() {
                pass(d, &set, 1);
            }
            probe += 1;
        }
        let per_pass = t.elapsed().as_secs_f64() / probe as f64 / DECODERS.len() as f64;
        let reps = ((0.05 / per_pass).ceil() as usize).max(1);
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); DECODERS.len()];
        for _ in 0..rounds {
            for (d, s) in samples.iter_mut().enumerate() {
                s.push(pass(d, &set, reps));
            }
        }
        let m: Vec<f64> = samples.into_iter().map(median).collect();
        print!("| {name} | {} | {:.0} |", set.len(), bytes as f64 / 1e3);
        for x in &m {
            print!(" {x:.0} |");
        }
        println!(" {:.2}x | {:.2}x | {:.2}x | {:.2}x |", m[0] / m[1], m[0] / m[2], m[0] / m[3], m[0] / m[4]);
    }
}

/// Each type's bodies decoded `reps` times by the generated types and by
/// `Value`, alternating: the share of the generated types' time each type
/// takes, and its ratio over `Value`.
fn by_type(all: &[Body], reps: usize) {
    let mut types: Vec<usize> = all.iter().map(|b| b.ty).collect();
    types.sort_unstable();
    types.dedup();
    let mut rows = Vec::new();
    for ty in types {
        let set: Vec<&Body> = all.iter().filter(|b| b.ty == ty && decode(0, b) && decode(1, b)).collect();
        if set.is_empty() {
            continue;
        }
        let bytes: usize = set.iter().map(|b| b.text.len()).sum();
        let (mut typed, mut value) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            typed.push(pass(0, &set, reps));
            value.push(pass(2, &set, reps));
        }
        let (t, v) = (median(typed), median(value));
        rows.push((bytes as f64 / t, ty, set.len(), bytes, t, v));
    }
    let total: f64 = rows.iter().map(|r| r.0).sum();
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("| type | bodies | KB | share of time | generated MB/s | Value MB/s | over Value |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    // The ratio if each type's bodies decoded as fast as they do alone:
    // `Value`'s time over the generated types', summed by share.
    let mut alone = 0.0;
    for (cost, ty, n, bytes, t, v) in rows {
        alone += cost / total * t / v;
        println!(
            "| {} | {n} | {:.0} | {:.1}% | {t:.0} | {v:.0} | {:.2}x |",
            typed::NAMES.get(ty).unwrap_or(&"?"),
            bytes as f64 / 1e3,
            cost / total * 100.0,
            t / v
        );
    }
    println!();
    println!("each type alone, weighted by its share of the time: {alone:.2}x Value");
}
