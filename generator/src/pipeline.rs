//! Running the emit jobs on all cores and rendering each file.
//!
//! The one module that knows both `emit` and `render`: emit makes a job per
//! file, render formats what a job made, and neither imports the other.
//! Files come back in job order whatever thread ran them; render then
//! prints the files emit put inline inside their modules ([`render::join`]).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::emit::{self, Cx};
use crate::file_model::CrateFile;
use crate::ir::Api;
use crate::render::{self, OutputFile, Printed};

/// The files of a crate and the CPU time of emitting and of rendering,
/// summed over threads.
pub(crate) struct Rendered {
    pub files: Vec<OutputFile>,
    pub emit: Duration,
    pub render: Duration,
}

/// Emits and renders every file of the client crate for `api`. A file that
/// does not render (emitted tokens that are not Rust: a generator bug) is an
/// error diagnostic naming the file, never output.
pub(crate) fn emit_and_render(file: &str, api: &Api, config: &Config) -> Result<Rendered, Diagnostics> {
    let cx = Cx::configured(api, config);
    let jobs = emit::jobs(&cx, config);
    let header = render::header(config);
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    let n = jobs.len();
    // Largest files first would balance better, but they are unknown before
    // emitting; popping from the end takes the type chunks first.
    let queue = Mutex::new(jobs.into_iter().enumerate().collect::<Vec<_>>());
    let slots: Mutex<Vec<Option<Result<Printed, String>>>> = Mutex::new((0..n).map(|_| None).collect());
    let times = Mutex::new((Duration::ZERO, Duration::ZERO));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let Some((idx, (path, job))) = queue.lock().unwrap_or_else(|e| e.into_inner()).pop() else { break };
                let t = Instant::now();
                let body = job();
                let emit = t.elapsed();
                let t = Instant::now();
                let out = render::print(CrateFile { path, body });
                let render = t.elapsed();
                slots.lock().unwrap_or_else(|e| e.into_inner())[idx] = Some(out);
                let mut tm = times.lock().unwrap_or_else(|e| e.into_inner());
                tm.0 += emit;
                tm.1 += render;
            });
        }
    });
    let mut diags = Diagnostics::new(file);
    let mut files = Vec::with_capacity(n);
    for slot in slots.into_inner().unwrap_or_else(|e| e.into_inner()) {
        match slot {
            Some(Ok(f)) => files.push(f),
            Some(Err(e)) => diags.error("#", e),
            None => diags.error("#", "internal error: an emit job produced no file"),
        }
    }
    let files = if diags.has_errors() {
        Vec::new()
    } else {
        render::join(files, &header).unwrap_or_else(|e| {
            diags.error("#", e);
            Vec::new()
        })
    };
    if diags.has_errors() {
        diags.finish();
        return Err(diags);
    }
    let (emit, render) = times.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(Rendered { files, emit, render })
}
