//! `cargo xtask recordings`: recorded traffic of a real tenant replayed
//! through the generated client.
//!
//! Every interaction of every go-vcr cassette in a folder (by default the
//! Terraform provider's, `../shared/recordings/terraform-provider-auth0`)
//! is matched to an operation of `spec/openapi.yaml` by its method and
//! route, its recorded request is turned into that operation's input (path
//! arguments, query parameters read as their declared types, the JSON
//! body), and the call is made through the same generated dispatcher as the
//! conformance suite, against a server on 127.0.0.1 that answers with the
//! recorded response. A recorded 2xx must come back `Ok` with a value that
//! decodes; a recorded 4xx or 5xx must come back as the typed error of its
//! status with a body that decodes as that status's type. Constraints a
//! decoded success breaks are counted, not failed: responses are lenient.
//!
//! The report lists routes the description lacks, statuses it lacks, bodies
//! that do not decode (type, JSON path, the real value's kind), constraint
//! breaks and totals. Each failure that `recordings-allow.yaml` does not
//! list with a reason fails the run, and so does an entry that matches
//! nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::{json, Map, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::cassettes::{best_route, read_cassettes};
use crate::{dispatch, Outcome};

/// One recorded request and its response.
pub struct Interaction {
    /// The cassette's file name and the interaction's index in it.
    pub file: String,
    pub index: usize,
    pub method: String,
    /// The path below `/api/v2`, still percent-encoded.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: String,
    /// The request's `Content-Type` (multipart bodies need its boundary).
    pub body_type: Option<String>,
    pub status: u16,
    pub content_type: Option<String>,
    pub response: String,
}

impl Interaction {
    fn at(&self) -> String {
        format!("{}#{}", self.file, self.index)
    }
}

/// Reads every interaction of every cassette of `dir`, in file-name order.
pub fn read_dir(dir: &Path) -> Result<Vec<Interaction>, String> {
    let mut out = Vec::new();
    for (name, doc) in read_cassettes(dir)? {
        let doc: Value = serde_json::from_str(&doc.to_json()).map_err(|e| format!("{name}: {e}"))?;
        for (index, i) in doc["interactions"].as_array().into_iter().flatten().enumerate() {
            let url = i["request"]["url"].as_str().unwrap_or("");
            let url = url::Url::parse(url).map_err(|e| format!("{name}: #/interactions/{index}/request/url: {e}"))?;
            let path = url.path().strip_prefix("/api/v2").unwrap_or(url.path()).to_string();
            let header = |side: &str| {
                i[side]["headers"]
                    .as_object()
                    .and_then(|h| h.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")))
                    .and_then(|(_, v)| v[0].as_str())
                    .map(str::to_string)
            };
            let content_type = header("response");
            out.push(Interaction {
                file: name.clone(),
                index,
                method: i["request"]["method"].as_str().unwrap_or("GET").to_string(),
                path,
                query: url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect(),
                body: i["request"]["body"].as_str().unwrap_or("").to_string(),
                body_type: header("request"),
                status: i["response"]["code"].as_u64().and_then(|c| u16::try_from(c).ok()).unwrap_or(0),
                content_type,
                response: i["response"]["body"].as_str().unwrap_or("").to_string(),
            });
        }
    }
    Ok(out)
}

/// The operation whose method and route template match (see
/// [`best_route`]), and the path arguments' decoded values.
fn find_operation(inputs: &[Value], method: &str, path: &str) -> Option<(usize, Vec<String>)> {
    let routes = inputs.iter().map(|i| (i["method"].as_str().unwrap_or(""), i["route"].as_str().unwrap_or("")));
    let (idx, args) = best_route(routes, method, path)?;
    let decoded = args.iter().map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned());
    Some((idx, decoded.collect()))
}

/// A recorded query or path string as the JSON kind of the plan's sample
/// for that parameter (numbers, booleans, comma-separated arrays).
fn typed(sample: &Value, raw: &[&str]) -> Value {
    match sample {
        Value::Array(items) => {
            let item = items.first().cloned().unwrap_or(Value::String(String::new()));
            Value::Array(raw.iter().flat_map(|r| r.split(',')).map(|r| typed(&item, &[r])).collect())
        }
        Value::Bool(_) => match raw.first().copied() {
            Some("true") => Value::Bool(true),
            Some("false") => Value::Bool(false),
            other => Value::String(other.unwrap_or("").to_string()),
        },
        Value::Number(_) => {
            let r = raw.first().copied().unwrap_or("");
            serde_json::from_str::<serde_json::Number>(r).map(Value::Number).unwrap_or(Value::String(r.to_string()))
        }
        _ => Value::String(raw.first().copied().unwrap_or("").to_string()),
    }
}

/// The operation's input (as the conformance plan writes one) for a
/// recorded request, and the query parameters the description lacks.
fn input_for(plan: &Value, args: &[String], rec: &Interaction) -> (Value, Vec<String>) {
    let mut input = plan.clone();
    let path: Vec<Value> = plan["path"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(args)
        .map(|(p, a)| json!([p[0], typed(&p[1], &[a.as_str()])]))
        .collect();
    input["path"] = Value::Array(path);
    let mut query = Map::new();
    let mut unknown = Vec::new();
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (k, v) in &rec.query {
        by_name.entry(k.as_str()).or_default().push(v.as_str());
    }
    for (name, values) in by_name {
        match plan["query"].get(name) {
            Some(sample) => {
                query.insert(name.to_string(), typed(sample, &values));
            }
            None => unknown.push(name.to_string()),
        }
    }
    input["query"] = Value::Object(query);
    input["headers"] = Value::Object(Map::new());
    input["body"] = match plan["body_kind"].as_str() {
        Some("json") => serde_json::from_str(&rec.body).unwrap_or(Value::Null),
        Some("binary" | "text") => Value::String(rec.body.clone()),
        Some("form") => {
            let pairs: Vec<(String, String)> = url::form_urlencoded::parse(rec.body.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let fields = pairs.iter().map(|(k, v)| (k.as_str(), None, v.as_str())).collect::<Vec<_>>();
            typed_fields(&plan["body"], &fields)
        }
        Some("multipart") => {
            let boundary = rec
                .body_type
                .as_deref()
                .and_then(|t| t.split(';').find_map(|p| p.trim().strip_prefix("boundary=")))
                .map(|b| b.trim_matches('"').to_string())
                .unwrap_or_default();
            let parts = multipart_parts(&rec.body, &boundary);
            let mut files = Map::new();
            for (name, filename, _) in &parts {
                if let Some(f) = filename {
                    files.insert(name.to_string(), json!({"filename": f, "content_type": "application/json"}));
                }
            }
            input["files"] = Value::Object(files);
            typed_fields(&plan["body"], &parts)
        }
        _ => Value::Null,
    };
    (input, unknown)
}

/// A form's or multipart body's fields as a JSON object, each value read
/// as the JSON kind of the plan's sample for that field (a file part's
/// content stays a string).
fn typed_fields(sample: &Value, fields: &[(&str, Option<&str>, &str)]) -> Value {
    let mut out = Map::new();
    for (name, filename, value) in fields {
        let v = match (filename, sample.get(*name)) {
            (None, Some(s)) => typed(s, &[value]),
            _ => Value::String(value.to_string()),
        };
        out.insert(name.to_string(), v);
    }
    Value::Object(out)
}

/// The parts of a `multipart/form-data` body: name, filename, content.
fn multipart_parts<'b>(body: &'b str, boundary: &str) -> Vec<(&'b str, Option<&'b str>, &'b str)> {
    if boundary.is_empty() {
        return Vec::new();
    }
    let delimiter = format!("--{boundary}");
    body.split(delimiter.as_str())
        .filter_map(|part| {
            let part = part.strip_prefix("\r\n")?;
            let (head, content) = part.split_once("\r\n\r\n")?;
            let disposition = head.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))?;
            let attr = |key: &str| {
                let at = disposition.find(&format!("{key}=\""))? + key.len() + 2;
                disposition[at..].split('"').next()
            };
            Some((attr("name")?, attr("filename"), content.strip_suffix("\r\n").unwrap_or(content)))
        })
        .collect()
}

/// Serves the recorded response of the interaction being replayed.
#[derive(Clone, Default)]
struct Replay {
    canned: Arc<Mutex<(u16, Option<String>, String)>>,
    seen: Arc<Mutex<Vec<Request>>>,
}

impl Respond for Replay {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).push(req.clone());
        let (status, content_type, body) = self.canned.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let res = ResponseTemplate::new(status);
        if body.is_empty() || [204, 205, 304].contains(&status) {
            return res;
        }
        res.set_body_raw(body.into_bytes(), content_type.as_deref().unwrap_or("application/json"))
    }
}

/// One reviewed failure: `kind` (`route`, `status`, `decode`,
/// `error-decode`, `refused`, `request`, `failed`), the interaction
/// (`file#index`, or only `file`) or the operation id, and a substring of
/// the failure's text.
struct Allowed {
    kind: String,
    at: Option<String>,
    operation: Option<String>,
    contains: String,
}

fn read_allow(path: &Path) -> Result<Vec<Allowed>, String> {
    let text = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let label = path.display().to_string();
    let doc = generator::load::load(&label, &text).map_err(|d| d.to_string())?;
    let mut out = Vec::new();
    for (i, e) in doc.get("allow").and_then(|a| a.as_array()).unwrap_or(&[]).iter().enumerate() {
        let get = |k: &str| e.get(k).and_then(|v| v.as_str()).map(str::to_string);
        match (get("kind"), get("reason"), get("at"), get("operation")) {
            (Some(kind), Some(_), at, operation) if at.is_some() || operation.is_some() => {
                out.push(Allowed { kind, at, operation, contains: get("contains").unwrap_or_default() })
            }
            _ => {
                return Err(format!(
                    "{label}: #/allow/{i}: expected `kind`, `reason`, and `at` (file#index or file) or `operation`"
                ))
            }
        }
    }
    Ok(out)
}

/// What one replayed interaction gave.
struct Failure {
    kind: &'static str,
    at: String,
    operation: String,
    text: String,
}

/// Counters and tables of the report.
#[derive(Default)]
struct Report {
    interactions: usize,
    matched: usize,
    ok_2xx: usize,
    recorded_2xx: usize,
    typed_errors: usize,
    recorded_errors: usize,
    violations: BTreeMap<(String, String), (usize, String)>,
    routes: BTreeMap<(String, String), (usize, String)>,
    statuses: BTreeMap<(String, String, u16), (usize, String)>,
    decodes: BTreeMap<(String, String, String, String), (usize, String)>,
    unknown_query: BTreeMap<(String, String), usize>,
    failures: Vec<Failure>,
}

/// The JSON kind of the value at `path` (`a.b[0].c`, as decode errors
/// name it) in `body`, or `absent`.
fn kind_at(body: &str, path: &str) -> &'static str {
    let Ok(mut v) = serde_json::from_str::<Value>(body) else { return "not JSON" };
    let mut rest = path.trim_start_matches('.');
    while !rest.is_empty() {
        let (key, tail) = match rest.find(['.', '[']) {
            Some(0) if rest.starts_with('[') => {
                let end = rest.find(']').unwrap_or(rest.len());
                let n: usize = rest[1..end].parse().unwrap_or(usize::MAX);
                v = match v.get(n) {
                    Some(x) => x.clone(),
                    None => return "absent",
                };
                rest = rest.get(end + 1..).unwrap_or("").trim_start_matches('.');
                continue;
            }
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        v = match v.get(key) {
            Some(x) => x.clone(),
            None => return "absent",
        };
        rest = tail.trim_start_matches('.');
    }
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A route template of an unmatched path, for grouping: segments that look
/// like ids become `{id}`.
fn route_shape(path: &str) -> String {
    path.split('/')
        .map(|s| {
            let mixed_case = s.chars().any(|c| c.is_ascii_uppercase()) && s.chars().any(|c| c.is_ascii_lowercase());
            let id_like = mixed_case || s.contains(['|', '%']) || s.chars().any(|c| c.is_ascii_digit());
            if id_like && !s.is_empty() {
                "{id}"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn listed(plan: &Value, status: u16) -> bool {
    let statuses: Vec<&str> = plan["statuses"].as_array().into_iter().flatten().filter_map(|s| s.as_str()).collect();
    statuses.contains(&status.to_string().as_str())
        || statuses.contains(&format!("{}XX", status / 100).as_str())
        || (statuses.contains(&"default") && status >= 400)
}

/// Replays every interaction of `dir`; prints the report and returns
/// whether every failure is allowed and every allowance used.
pub fn run(inputs: &[Value], dir: &Path, allow: &Path) -> Result<bool, String> {
    let t = Instant::now();
    let interactions = read_dir(dir)?;
    let allow = read_allow(allow)?;
    let rt = tokio::runtime::Runtime::new().map_err(|e| format!("cannot start tokio: {e}"))?;
    let report = rt.block_on(replay(inputs, &interactions))?;
    let ok = print(&report, &allow);
    println!(
        "recordings: {} interactions of {} replayed in {:.1}s",
        interactions.len(),
        dir.display(),
        t.elapsed().as_secs_f64()
    );
    Ok(ok)
}

async fn replay(inputs: &[Value], interactions: &[Interaction]) -> Result<Report, String> {
    let replay = Replay::default();
    let server = MockServer::builder().start().await;
    Mock::given(wiremock::matchers::any()).respond_with(replay.clone()).mount(&server).await;
    let client = auth0_management_api::Client::builder()
        .base_url(format!("{}/api/v2", server.uri()))
        .bearer_token("t")
        .max_retries(0)
        .build()
        .map_err(|e| format!("cannot build the client: {e}"))?;
    let mut r = Report::default();
    for rec in interactions {
        r.interactions += 1;
        let Some((idx, args)) = find_operation(inputs, &rec.method, &rec.path) else {
            let key = (rec.method.clone(), route_shape(&rec.path));
            let e = r.routes.entry(key.clone()).or_insert((0, rec.at()));
            e.0 += 1;
            r.failures.push(Failure {
                kind: "route",
                at: rec.at(),
                operation: String::new(),
                text: format!("{} {}", key.0, key.1),
            });
            continue;
        };
        r.matched += 1;
        let plan = &inputs[idx];
        let id = plan["id"].as_str().unwrap_or("").to_string();
        let route = plan["route"].as_str().unwrap_or("").to_string();
        let (input, unknown) = input_for(plan, &args, rec);
        for q in unknown {
            *r.unknown_query.entry((id.clone(), q)).or_default() += 1;
        }
        if !listed(plan, rec.status) {
            let e = r.statuses.entry((id.clone(), route.clone(), rec.status)).or_insert((0, rec.at()));
            e.0 += 1;
        }
        *replay.canned.lock().unwrap_or_else(|e| e.into_inner()) =
            (rec.status, rec.content_type.clone(), rec.response.clone());
        replay.seen.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let outcome = dispatch(&client, idx, &input).await;
        let seen = replay.seen.lock().unwrap_or_else(|e| e.into_inner()).first().cloned();
        let mut fail = |kind: &'static str, text: String| {
            r.failures.push(Failure { kind, at: rec.at(), operation: id.clone(), text })
        };
        if let Some(seen) = &seen {
            let sent = seen.url.path().strip_prefix("/api/v2").unwrap_or(seen.url.path()).to_string();
            let decode = |p: &str| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned();
            if seen.method.as_str() != rec.method || decode(&sent) != decode(rec.path.trim_end_matches('/')) {
                fail("request", format!("sent {} {sent}, recorded {} {}", seen.method, rec.method, rec.path));
            }
        }
        let success = (200..300).contains(&rec.status);
        if success {
            r.recorded_2xx += 1;
        } else {
            r.recorded_errors += 1;
        }
        match outcome {
            Outcome::Ok { violation, .. } if success => {
                r.ok_2xx += 1;
                if let Some(v) = violation {
                    let e = r.violations.entry((id.clone(), v)).or_insert((0, rec.at()));
                    e.0 += 1;
                }
            }
            Outcome::Decode { status, type_name, path, message } if success => {
                // A required field that is absent: its own path.
                let missing = message.strip_prefix("missing field `").and_then(|m| m.split('`').next());
                let path = match missing {
                    Some(field) if path == "." || path.is_empty() => field.to_string(),
                    Some(field) => format!("{path}.{field}"),
                    None => path,
                };
                let kind = kind_at(&rec.response, &path);
                let e = r
                    .decodes
                    .entry((id.clone(), type_name.clone(), path.clone(), kind.to_string()))
                    .or_insert((0, rec.at()));
                e.0 += 1;
                fail("decode", format!("{status} as `{type_name}` at `{path}` (the real value is {kind}): {message}"));
            }
            Outcome::Api { status, decoded, .. } if !success && status == rec.status => {
                if decoded || rec.response.is_empty() {
                    r.typed_errors += 1;
                } else {
                    fail("error-decode", format!("the {status} body does not decode as its declared type"));
                }
            }
            Outcome::Refused(why) => fail("refused", why),
            other => fail("failed", format!("recorded {}, got {}", rec.status, short(&other))),
        }
    }
    Ok(r)
}

fn short(o: &Outcome) -> String {
    let s = format!("{o:?}");
    if s.len() > 200 {
        let mut end = 200;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &s[..end])
    } else {
        s
    }
}

fn print(r: &Report, allow: &[Allowed]) -> bool {
    println!("## Routes the description lacks\n");
    println!("| method | route | interactions | first |\n|---|---|---:|---|");
    for ((m, route), (n, at)) in &r.routes {
        println!("| {m} | `{route}` | {n} | {at} |");
    }
    println!("\n## Statuses the description lacks\n");
    println!("| operation | route | status | interactions | first |\n|---|---|---:|---:|---|");
    for ((op, route, status), (n, at)) in &r.statuses {
        println!("| {op} | `{route}` | {status} | {n} | {at} |");
    }
    println!("\n## Bodies that do not decode\n");
    println!("| operation | type | path | real value | interactions | first |\n|---|---|---|---|---:|---|");
    for ((op, ty, path, kind), (n, at)) in &r.decodes {
        println!("| {op} | `{ty}` | `{path}` | {kind} | {n} | {at} |");
    }
    println!("\n## Bodies that decode but break a declared constraint (counted, not failed)\n");
    println!("| operation | constraint | interactions | first |\n|---|---|---:|---|");
    for ((op, v), (n, at)) in &r.violations {
        println!("| {op} | {v} | {n} | {at} |");
    }
    println!("\n## Query parameters the description lacks (not sent)\n");
    println!("| operation | parameter | interactions |\n|---|---|---:|");
    for ((op, q), n) in &r.unknown_query {
        println!("| {op} | `{q}` | {n} |");
    }
    let mut used = vec![false; allow.len()];
    let mut unlisted = Vec::new();
    for f in &r.failures {
        let hit = allow.iter().position(|a| {
            a.kind == f.kind
                && a.at.as_ref().is_none_or(|at| *at == f.at || f.at.split('#').next() == Some(at.as_str()))
                && a.operation.as_ref().is_none_or(|op| *op == f.operation)
                && f.text.contains(&a.contains)
        });
        match hit {
            Some(i) => used[i] = true,
            None => unlisted.push(f),
        }
    }
    let allowed = r.failures.len() - unlisted.len();
    println!("\n## Totals\n");
    println!("| | count |\n|---|---:|");
    println!("| interactions | {} |", r.interactions);
    println!("| matched to an operation | {} |", r.matched);
    println!("| routes the description lacks | {} ({} interactions) |", r.routes.len(), r.interactions - r.matched);
    println!("| statuses the description lacks | {} |", r.statuses.len());
    println!("| recorded 2xx read as `Ok` | {} of {} |", r.ok_2xx, r.recorded_2xx);
    println!(
        "| recorded 4xx/5xx read as the typed error of their status | {} of {} |",
        r.typed_errors, r.recorded_errors
    );
    println!("| bodies that do not decode | {} |", r.decodes.values().map(|v| v.0).sum::<usize>());
    println!("| decoded bodies breaking a constraint | {} |", r.violations.values().map(|v| v.0).sum::<usize>());
    println!("| failures allowed by recordings-allow.yaml | {allowed} |");
    println!("| failures not allowed | {} |", unlisted.len());
    for f in unlisted.iter().take(200) {
        println!("FAIL {} {} {}: {}", f.kind, f.at, f.operation, f.text);
    }
    let unused: Vec<usize> = (0..allow.len()).filter(|i| !used[*i]).collect();
    for i in &unused {
        let a = &allow[*i];
        println!("UNUSED allowance #/allow/{i}: {} {:?} {:?} {:?}", a.kind, a.at, a.operation, a.contains);
    }
    unlisted.is_empty() && unused.is_empty()
}
