//! The differential conformance suite: every operation of the generated
//! Auth0 client called the same way as through Auth0's official Node SDK,
//! and the two requests and readings of the same canned responses compared.
//!
//! `cargo xtask conformance` installs the pinned SDK and runs this binary:
//! it writes one input file per operation (from `build.rs`'s plan), runs
//! `sdk.mjs` on them with Node, makes the same calls through the Rust client
//! against a capture server on 127.0.0.1, prints one row per operation and
//! fails on any difference that `allow.yaml` does not list with a reason.
//! It does not talk to Auth0.

mod cassettes;
mod compare;
mod recordings;
// The plan is built by build.rs; its unit tests run with the binary's.
#[cfg(test)]
mod plan;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use auth0_management_api::runtime::{ApiResponse, Error, FilePart, OperationError, Validate};
use serde_json::Value;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

include!(concat!(env!("OUT_DIR"), "/dispatch.rs"));

/// What one call through the Rust client gave.
#[derive(Debug)]
pub enum Outcome {
    /// A success; the body serialised back to JSON when it is compared,
    /// and the first constraint of the spec the decoded value breaks.
    Ok { value: Option<Value>, violation: Option<String> },
    /// An error status the operation lists, with the raw body and whether
    /// it decoded as the status's type.
    Api { status: u16, body: Vec<u8>, decoded: bool },
    /// A status the operation does not list.
    Unexpected { status: u16, body: Vec<u8> },
    /// A success whose body does not decode as the operation's type.
    Decode { status: u16, type_name: String, path: String, message: String },
    /// The client refused the input before sending (validation, encoding).
    Refused(String),
    /// Anything else (decode errors, transport).
    Failed(String),
}

fn path_arg<T: serde::de::DeserializeOwned>(input: &Value, n: usize) -> Result<T, Outcome> {
    let v = input["path"].get(n).and_then(|p| p.get(1)).cloned().unwrap_or(Value::Null);
    serde_json::from_value(v).map_err(|e| Outcome::Refused(format!("path argument {n} does not decode: {e}")))
}

fn field<T: serde::de::DeserializeOwned>(input: &Value, section: &str, name: &str) -> Result<T, Outcome> {
    let v = if section.is_empty() { input.get(name) } else { input[section].get(name) };
    serde_json::from_value(v.cloned().unwrap_or(Value::Null))
        .map_err(|e| Outcome::Refused(format!("{section} {name} does not decode: {e}")))
}

/// Sets the filename and content type of the file parts of a field.
trait FileFix {
    fn fix(&mut self, filename: &str, content_type: &str);
}

impl FileFix for FilePart {
    fn fix(&mut self, filename: &str, content_type: &str) {
        *self = std::mem::take(self).filename(filename).content_type(content_type);
    }
}

impl<T: FileFix> FileFix for Option<T> {
    fn fix(&mut self, filename: &str, content_type: &str) {
        if let Some(f) = self {
            f.fix(filename, content_type);
        }
    }
}

impl<T: FileFix> FileFix for Vec<T> {
    fn fix(&mut self, filename: &str, content_type: &str) {
        for f in self {
            f.fix(filename, content_type);
        }
    }
}

fn fix_file<F: FileFix>(f: &mut F, input: &Value, wire: &str) {
    let meta = &input["files"][wire];
    f.fix(
        meta["filename"].as_str().unwrap_or(wire),
        meta["content_type"].as_str().unwrap_or("application/octet-stream"),
    );
}

fn error_outcome<E: OperationError>(e: Error<E>) -> Outcome {
    match e {
        Error::Api(e) => {
            let api = e.api_error();
            Outcome::Api { status: api.status().as_u16(), body: api.raw_body().to_vec(), decoded: api.decoded() }
        }
        Error::UnexpectedStatus(e) => Outcome::Unexpected { status: e.status.as_u16(), body: e.body.to_vec() },
        Error::Decode(d) => Outcome::Decode {
            status: d.status.as_u16(),
            type_name: d.type_name.clone(),
            path: d.path.clone(),
            message: d.message.clone(),
        },
        Error::Validation(v) => Outcome::Refused(v.to_string()),
        Error::InvalidRequest(v) => Outcome::Refused(v),
        other => Outcome::Failed(other.to_string()),
    }
}

fn finish_json<T: serde::Serialize + Validate, E: OperationError>(r: Result<ApiResponse<T>, Error<E>>) -> Outcome {
    match r {
        Ok(v) => {
            let violation = v.check().err().map(|e| e.to_string());
            match serde_json::to_value(v.into_inner()) {
                Ok(v) => Outcome::Ok { value: Some(v), violation },
                Err(e) => Outcome::Failed(format!("the value does not serialise: {e}")),
            }
        }
        Err(e) => error_outcome(e),
    }
}

fn finish_other<T, E: OperationError>(r: Result<ApiResponse<T>, Error<E>>) -> Outcome {
    match r {
        Ok(_) => Outcome::Ok { value: None, violation: None },
        Err(e) => error_outcome(e),
    }
}

/// The capture server's state: the canned response and what it received.
#[derive(Clone, Default)]
struct Capture {
    canned: Arc<Mutex<(u16, Option<Vec<u8>>)>>,
    seen: Arc<Mutex<Vec<Request>>>,
}

impl Respond for Capture {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).push(req.clone());
        let (status, body) = self.canned.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let res = ResponseTemplate::new(status);
        match body {
            Some(b) if ![204, 205, 304].contains(&status) => res.set_body_raw(b, "application/json"),
            _ => res,
        }
    }
}

struct Args {
    sdk: PathBuf,
    allow: PathBuf,
    work: PathBuf,
    only: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let (mut sdk, mut allow, mut work, mut only) = (None, None, None, None);
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--sdk" => sdk = Some(PathBuf::from(val()?)),
            "--allow" => allow = Some(PathBuf::from(val()?)),
            "--work" => work = Some(PathBuf::from(val()?)),
            "--only" => only = Some(val()?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let usage = "usage: conformance --sdk sdk.mjs --allow allow.yaml --work DIR [--only TEXT]";
    Ok(Args { sdk: sdk.ok_or(usage)?, allow: allow.ok_or(usage)?, work: work.ok_or(usage)?, only })
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `conformance recordings --dir DIR --allow FILE`: see [`recordings`].
fn run_recordings(inputs: &[Value]) -> Result<bool, String> {
    let mut it = std::env::args().skip(2);
    let (mut dir, mut allow) = (None, None);
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--dir" => dir = Some(PathBuf::from(val()?)),
            "--allow" => allow = Some(PathBuf::from(val()?)),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let usage = "usage: conformance recordings --dir DIR --allow recordings-allow.yaml";
    recordings::run(inputs, &dir.ok_or(usage)?, &allow.ok_or(usage)?)
}

fn run() -> Result<bool, String> {
    let inputs: Vec<Value> = serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/inputs.json")))
        .map_err(|e| format!("the plan does not parse: {e}"))?;
    if std::env::args().nth(1).as_deref() == Some("recordings") {
        return run_recordings(&inputs);
    }
    let args = parse_args()?;
    let t = Instant::now();
    let allow = compare::AllowList::read(&args.allow)?;
    let selected: Vec<(usize, &Value)> = inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| args.only.as_deref().is_none_or(|o| i["id"].as_str().is_some_and(|id| id.contains(o))))
        .collect();

    // One shared input file per operation.
    let dir = args.work.join("inputs");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (idx, input) in &selected {
        let path = dir.join(format!("{idx:03}-{}.json", input["id"].as_str().unwrap_or("op")));
        let text = serde_json::to_string_pretty(input).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }

    // The Node SDK's side.
    let sdk_out = args.work.join("sdk.json");
    let status = Command::new("node")
        .arg(&args.sdk)
        .arg(&dir)
        .arg(&sdk_out)
        .status()
        .map_err(|e| format!("cannot run node ({e}); install Node.js, then run `cargo xtask conformance`"))?;
    if !status.success() {
        return Err(format!("`node {}` failed", args.sdk.display()));
    }
    let sdk_text = std::fs::read_to_string(&sdk_out).map_err(|e| format!("cannot read {}: {e}", sdk_out.display()))?;
    let sdk: Value = serde_json::from_str(&sdk_text).map_err(|e| format!("the SDK's results do not parse: {e}"))?;
    let sdk_methods: Vec<String> =
        sdk["methods"].as_array().into_iter().flatten().filter_map(|m| m.as_str().map(str::to_string)).collect();
    let sdk: BTreeMap<String, Value> = sdk["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (r["id"].as_str().unwrap_or("").to_string(), r.clone()))
        .collect();

    // The Rust client's side, against the capture server.
    let rt = tokio::runtime::Runtime::new().map_err(|e| format!("cannot start tokio: {e}"))?;
    let rows = rt.block_on(async {
        let capture = Capture::default();
        let server = MockServer::builder().start().await;
        Mock::given(wiremock::matchers::any()).respond_with(capture.clone()).mount(&server).await;
        let client = auth0_management_api::Client::builder()
            .base_url(format!("{}/api/v2", server.uri()))
            .bearer_token("t")
            .max_retries(0)
            .build()
            .map_err(|e| format!("cannot build the client: {e}"))?;
        let mut rows = Vec::new();
        for (idx, input) in &selected {
            let mut phases = Vec::new();
            for phase in ["ok", "err"] {
                let canned = &input[phase];
                let status = canned["status"].as_u64().unwrap_or(200) as u16;
                let body = match &canned["body"] {
                    Value::Null => None,
                    b => Some(serde_json::to_vec(b).unwrap_or_default()),
                };
                *capture.canned.lock().unwrap_or_else(|e| e.into_inner()) = (status, body);
                capture.seen.lock().unwrap_or_else(|e| e.into_inner()).clear();
                let outcome = dispatch(&client, *idx, input).await;
                let seen = capture.seen.lock().unwrap_or_else(|e| e.into_inner()).first().cloned();
                phases.push((outcome, seen));
            }
            let id = input["id"].as_str().unwrap_or("");
            rows.push(compare::row(input, sdk.get(id), &phases));
        }
        Ok::<_, String>(rows)
    })?;
    let mut rows = rows;
    if args.only.is_none() {
        rows.extend(compare::only_in_sdk(&inputs, &sdk_methods));
    }
    Ok(compare::report(&rows, &allow, t.elapsed()))
}
