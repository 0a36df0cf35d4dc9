//! Normalises the two captured requests and readings of the canned
//! responses, compares them, and prints the report with the allow-list.
//!
//! Compared: the method; the path, decoded segment by segment and encoded;
//! the query as a multiset of decoded (name, value) pairs; headers other
//! than transport and telemetry ones; JSON bodies as values, form bodies as
//! pairs, multipart bodies part by part (name, filename, content type,
//! bytes); the 2xx body as read (the Rust value serialised back to JSON
//! against the SDK's object); and the status, `message` and `errorCode` of
//! the 4xx.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::Outcome;

/// Headers that say how a request travelled or who sent it, not what it asks.
const IGNORED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "user-agent",
    "accept-encoding",
    "connection",
    "transfer-encoding",
    "auth0-client",
    "x-fern-language",
    "x-fern-sdk-name",
    "x-fern-sdk-version",
    "x-fern-runtime",
    "x-fern-runtime-version",
    "x-request-id",
    // Node's fetch sends its default `*/*`; the Rust client asks for JSON, which
    // is what every Auth0 endpoint answers with.
    "accept",
];

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Body {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
    Multipart(Vec<Part>),
    Text(String),
}

/// A request, normalised.
#[derive(Debug, Clone, PartialEq)]
struct Req {
    method: String,
    path: String,
    segments: Vec<String>,
    query: Vec<(String, String)>,
    headers: BTreeMap<String, String>,
    body: Body,
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn media_type(headers: &BTreeMap<String, String>) -> String {
    headers
        .get("content-type")
        .map(|c| c.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default()
}

fn normalise(method: &str, url: &url::Url, mut headers: BTreeMap<String, String>, body: Body) -> Req {
    let path = url.path().strip_prefix("/api/v2").unwrap_or(url.path()).to_string();
    let segments = path.split('/').map(decode).collect();
    let mut query: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    query.sort();
    headers.retain(|k, _| !IGNORED_HEADERS.contains(&k.as_str()) && !k.starts_with("x-fern-"));
    // The multipart boundary is random on both sides.
    if let Some(ct) = headers.get_mut("content-type") {
        if ct.starts_with("multipart/") {
            *ct = ct.split(';').next().unwrap_or("").to_string();
        }
    }
    let body = match body {
        Body::Text(t) if t.is_empty() => Body::None,
        Body::Text(t) => match media_type(&headers).as_str() {
            m if m == "application/json" || m.ends_with("+json") => match serde_json::from_str(&t) {
                Ok(v) => Body::Json(canonical(&v)),
                Err(_) => Body::Text(t),
            },
            "application/x-www-form-urlencoded" => {
                let mut pairs: Vec<(String, String)> =
                    url::form_urlencoded::parse(t.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
                pairs.sort();
                Body::Form(pairs)
            }
            _ => Body::Text(t),
        },
        Body::Multipart(mut parts) => {
            parts.sort();
            Body::Multipart(parts)
        }
        other => other,
    };
    Req { method: method.to_ascii_uppercase(), path, segments, query, headers, body }
}

/// Splits a multipart body into its parts.
fn multipart(content_type: &str, bytes: &[u8]) -> Vec<Part> {
    let Some(boundary) = content_type.split(';').find_map(|p| p.trim().strip_prefix("boundary=")) else {
        return Vec::new();
    };
    let boundary = boundary.trim_matches('"');
    let text = String::from_utf8_lossy(bytes);
    let delim = format!("--{boundary}");
    let mut parts = Vec::new();
    for chunk in text.split(delim.as_str()).skip(1) {
        if chunk.starts_with("--") {
            break;
        }
        let chunk = chunk.strip_prefix("\r\n").unwrap_or(chunk);
        let Some((head, data)) = chunk.split_once("\r\n\r\n") else { continue };
        let data = data.strip_suffix("\r\n").unwrap_or(data);
        let (mut name, mut filename, mut ct) = (String::new(), None, None);
        for line in head.split("\r\n") {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition:") {
                for attr in line.split(';').skip(1) {
                    let attr = attr.trim();
                    if let Some(v) = attr.strip_prefix("name=") {
                        name = v.trim_matches('"').to_string();
                    } else if let Some(v) = attr.strip_prefix("filename=") {
                        filename = Some(v.trim_matches('"').to_string());
                    }
                }
            } else if lower.starts_with("content-type:") {
                ct = Some(line["content-type:".len()..].trim().to_string());
            }
        }
        parts.push(Part { name, filename, content_type: ct, data: data.to_string() });
    }
    parts
}

fn rust_request(req: &wiremock::Request) -> Req {
    let headers: BTreeMap<String, String> = req
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let ct = headers.get("content-type").cloned().unwrap_or_default();
    let body = if req.body.is_empty() {
        Body::None
    } else if ct.starts_with("multipart/") {
        Body::Multipart(multipart(&ct, &req.body))
    } else {
        Body::Text(String::from_utf8_lossy(&req.body).into_owned())
    };
    normalise(req.method.as_str(), &req.url, headers, body)
}

fn sdk_request(v: &Value) -> Option<Req> {
    let url = url::Url::parse(v["url"].as_str()?).ok()?;
    let headers: BTreeMap<String, String> = v["headers"]
        .as_object()?
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().unwrap_or("").to_string()))
        .collect();
    let b = &v["body"];
    let body = match b["kind"].as_str() {
        Some("multipart") => Body::Multipart(
            b["parts"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| Part {
                            name: p["name"].as_str().unwrap_or("").to_string(),
                            filename: p["filename"].as_str().map(str::to_string),
                            content_type: p["content_type"].as_str().map(str::to_string),
                            data: p["data"].as_str().unwrap_or("").to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        ),
        Some("none") | None => Body::None,
        _ => Body::Text(b["text"].as_str().unwrap_or("").to_string()),
    };
    Some(normalise(v["method"].as_str()?, &url, headers, body))
}

/// What differs between two requests, in a few words each.
fn request_diffs(rust: &Req, sdk: &Req) -> Vec<String> {
    let mut d = Vec::new();
    if rust.method != sdk.method {
        d.push(format!("method {} vs {}", rust.method, sdk.method));
    }
    if rust.segments != sdk.segments {
        d.push(format!("path {} vs {}", rust.path, sdk.path));
    } else if rust.path != sdk.path {
        d.push(format!("path encoding {} vs {}", rust.path, sdk.path));
    }
    if rust.query != sdk.query {
        let only = |a: &[(String, String)], b: &[(String, String)]| {
            a.iter().filter(|p| !b.contains(p)).map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
        };
        d.push(format!("query rust [{}] vs sdk [{}]", only(&rust.query, &sdk.query), only(&sdk.query, &rust.query)));
    }
    if rust.headers != sdk.headers {
        let mut names: Vec<&String> = rust.headers.keys().chain(sdk.headers.keys()).collect();
        names.sort();
        names.dedup();
        for n in names {
            let (a, b) = (rust.headers.get(n), sdk.headers.get(n));
            if a != b {
                d.push(format!("header {n}: {} vs {}", a.map_or("-", String::as_str), b.map_or("-", String::as_str)));
            }
        }
    }
    if rust.body != sdk.body {
        d.push(match (&rust.body, &sdk.body) {
            (Body::Json(a), Body::Json(b)) => format!("json body {}", json_diff(a, b, "")),
            (Body::Multipart(a), Body::Multipart(b)) => format!("multipart parts {a:?} vs {b:?}"),
            (a, b) => format!("body {} vs {}", kind(a), kind(b)),
        });
    }
    d
}

fn kind(b: &Body) -> &'static str {
    match b {
        Body::None => "none",
        Body::Json(_) => "json",
        Body::Form(_) => "form",
        Body::Multipart(_) => "multipart",
        Body::Text(_) => "text",
    }
}

/// The same data written the same way: numbers as numbers (`1.0` is `1`),
/// RFC 3339 date-times without trailing zero fractions (`.000Z` is `Z`).
fn canonical(v: &Value) -> Value {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9e15 => Value::from(f as i64),
            _ => v.clone(),
        },
        Value::String(s) => Value::String(canonical_date_time(s).unwrap_or_else(|| s.clone())),
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), canonical(v))).collect()),
        other => other.clone(),
    }
}

/// `2024-01-02T03:04:05.000Z` -> `2024-01-02T03:04:05Z`; `None` when `s` is
/// not a date-time.
fn canonical_date_time(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let shape = s.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shape {
        return None;
    }
    let rest = &s[19..];
    let (frac, zone) = match rest.strip_prefix('.') {
        Some(r) => {
            let end = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            (&r[..end], &r[end..])
        }
        None => ("", rest),
    };
    let frac = frac.trim_end_matches('0');
    let zone = if zone == "+00:00" { "Z" } else { zone };
    Some(format!("{}{}{}{zone}", &s[..19], if frac.is_empty() { "" } else { "." }, frac))
}

/// The first place two JSON values differ, as a pointer.
fn json_diff(a: &Value, b: &Value, at: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if w == v => {}
                    Some(w) => return json_diff(v, w, &format!("{at}/{k}")),
                    None => return format!("{at}/{k} only in rust"),
                }
            }
            match y.keys().find(|k| !x.contains_key(*k)) {
                Some(k) => format!("{at}/{k} only in sdk"),
                None => format!("{at} differs"),
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            match x.iter().zip(y).enumerate().find(|(_, (v, w))| v != w) {
                Some((i, (v, w))) => json_diff(v, w, &format!("{at}/{i}")),
                None => format!("{at} differs"),
            }
        }
        _ => format!("{at}: {} vs {}", short(a), short(b)),
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 60 {
        format!("{}...", &s[..s.char_indices().nth(57).map_or(s.len(), |(i, _)| i)])
    } else {
        s
    }
}

/// One row of the report.
pub struct Row {
    pub id: String,
    pub group: String,
    pub name: String,
    pub method: String,
    pub route: String,
    /// `None`: the same; else what differs (or which client lacks it).
    pub diffs: Vec<String>,
    pub only_rust: bool,
    pub only_sdk: bool,
}

/// Rows for the SDK methods that no operation of the description maps to.
pub fn only_in_sdk(inputs: &[Value], methods: &[String]) -> Vec<Row> {
    let ours: std::collections::BTreeSet<String> = inputs
        .iter()
        .map(|i| {
            let mut path: Vec<String> = i["sdk"]["path"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|g| g.as_str().map(str::to_string))
                .collect();
            path.push(i["sdk"]["method"].as_str().unwrap_or("").to_string());
            path.join(".")
        })
        .collect();
    methods
        .iter()
        // Methods of the root client (`fetch`) are helpers, not operations.
        .filter(|m| m.contains('.') && !ours.contains(*m))
        .map(|m| {
            let (group, name) = m.rsplit_once('.').unwrap_or(("", m));
            Row {
                id: m.clone(),
                group: group.to_string(),
                name: name.to_string(),
                method: "-".into(),
                route: "-".into(),
                diffs: Vec::new(),
                only_rust: false,
                only_sdk: true,
            }
        })
        .collect()
}

fn error_fields(body: &[u8]) -> (Option<String>, Option<String>) {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    (v["message"].as_str().map(str::to_string), v["errorCode"].as_str().map(str::to_string))
}

pub fn row(input: &Value, sdk: Option<&Value>, phases: &[(Outcome, Option<wiremock::Request>)]) -> Row {
    let s = |k: &str| input[k].as_str().unwrap_or("").to_string();
    let mut row = Row {
        id: s("id"),
        group: s("group"),
        name: s("name"),
        method: s("method"),
        route: s("route"),
        diffs: Vec::new(),
        only_rust: false,
        only_sdk: false,
    };
    let Some(sdk) = sdk.filter(|s| s["ok"]["missing"] != Value::Bool(true)) else {
        row.only_rust = true;
        return row;
    };
    for ((outcome, seen), phase) in phases.iter().zip(["ok", "err"]) {
        let theirs = &sdk[phase];
        if let Outcome::Refused(why) = outcome {
            row.diffs.push(format!("{phase}: rust refused the input: {why}"));
            continue;
        }
        let sdk_req = sdk_request(&theirs["request"]);
        match (seen, &sdk_req) {
            (Some(r), Some(s)) => {
                if phase == "ok" {
                    row.diffs.extend(request_diffs(&rust_request(r), s));
                }
            }
            (None, _) => row.diffs.push(format!("{phase}: rust sent nothing ({outcome:?})")),
            (_, None) => {
                let why = theirs["thrown"].as_str().unwrap_or("no request");
                row.diffs.push(format!("{phase}: sdk sent nothing ({why})"));
                continue;
            }
        }
        match (phase, outcome) {
            ("ok", Outcome::Ok { value: Some(v), .. }) => {
                let (ours, sdk_data) = (canonical(v), canonical(theirs.get("data").unwrap_or(&Value::Null)));
                if input["compare_response"] == Value::Bool(true) && ours != sdk_data {
                    let d = json_diff(&ours, &sdk_data, "");
                    row.diffs.push(format!("response {d}"));
                }
            }
            ("ok", Outcome::Ok { value: None, .. }) => {}
            ("err", Outcome::Api { status, body, .. }) => {
                let (message, code) = error_fields(body);
                let e = &theirs["error"];
                if e["status"].as_u64() != Some(u64::from(*status))
                    || e["message"].as_str() != message.as_deref()
                    || e["errorCode"].as_str() != code.as_deref()
                {
                    row.diffs.push(format!("error read as {status} {message:?} {code:?} vs {e}"));
                }
            }
            (_, other) => row.diffs.push(format!("{phase}: rust gave {}", short(&Value::String(format!("{other:?}"))))),
        }
    }
    row
}

/// The reviewed differences: each with the reason and the Auth0 page.
pub struct AllowList {
    entries: Vec<(String, String)>,
}

impl AllowList {
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let label = path.display().to_string();
        let doc = generator::load::load(&label, &text).map_err(|d| d.to_string())?;
        let mut entries = Vec::new();
        for (i, e) in doc.get("allow").and_then(|a| a.as_array()).unwrap_or(&[]).iter().enumerate() {
            let get = |k: &str| e.get(k).and_then(|v| v.as_str()).map(str::to_string);
            match (get("operation"), get("differs"), get("reason"), get("docs")) {
                (Some(op), Some(d), Some(_), Some(docs)) if docs.starts_with("https://auth0.com/") => {
                    entries.push((op, d))
                }
                _ => {
                    return Err(format!(
                        "{label}: #/allow/{i}: expected `operation`, `differs`, `reason` and `docs` (an https://auth0.com/ page)"
                    ))
                }
            }
        }
        Ok(AllowList { entries })
    }

    fn allows(&self, id: &str, diff: &str) -> Option<usize> {
        self.entries.iter().position(|(op, d)| op == id && diff.contains(d.as_str()))
    }
}

/// Prints the table and the totals; `true` when nothing unlisted differs.
pub fn report(rows: &[Row], allow: &AllowList, elapsed: Duration) -> bool {
    let (mut same, mut allowed, mut differs, mut only_rust, mut only_sdk) = (0, 0, 0, 0, 0);
    let mut used = vec![false; allow.entries.len()];
    println!("{:<40} {:<28} {:<7} {:<55} status", "group", "name", "method", "route");
    for r in rows {
        let status = if r.only_rust {
            only_rust += 1;
            "only in rust".to_string()
        } else if r.only_sdk {
            only_sdk += 1;
            "only in sdk".to_string()
        } else if r.diffs.is_empty() {
            same += 1;
            "same".to_string()
        } else {
            let unlisted: Vec<&String> = r
                .diffs
                .iter()
                .filter(|d| match allow.allows(&r.id, d) {
                    Some(i) => {
                        used[i] = true;
                        false
                    }
                    None => true,
                })
                .collect();
            if unlisted.is_empty() {
                allowed += 1;
                format!("allowed ({})", r.diffs.join("; "))
            } else {
                differs += 1;
                format!("differs ({})", unlisted.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; "))
            }
        };
        println!("{:<40} {:<28} {:<7} {:<55} {status}", r.group, r.name, r.method, r.route);
    }
    let stale: Vec<&(String, String)> = allow.entries.iter().zip(&used).filter(|(_, u)| !**u).map(|(e, _)| e).collect();
    for (op, d) in &stale {
        println!("stale allow-list entry: {op}: {d:?} matches no difference");
    }
    println!(
        "total: {} rows: {same} same, {allowed} allowed, {differs} differ, {only_rust} only in rust, {only_sdk} only in sdk ({:.1}s)",
        rows.len(),
        elapsed.as_secs_f64()
    );
    differs == 0 && stale.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn req(url: &str, headers: &[(&str, &str)], body: Body) -> Req {
        let headers = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        normalise("get", &url::Url::parse(url).unwrap(), headers, body)
    }

    #[test]
    fn date_times_and_numbers_compare_as_data() {
        assert_eq!(canonical_date_time("2024-01-02T03:04:05.000Z").as_deref(), Some("2024-01-02T03:04:05Z"));
        assert_eq!(canonical_date_time("2024-01-02T03:04:05.120+00:00").as_deref(), Some("2024-01-02T03:04:05.12Z"));
        assert_eq!(canonical_date_time("2024-01-02"), None);
        assert_eq!(canonical_date_time("not a date at all, really"), None);
        assert_eq!(
            canonical(&json!({"a": [1.0, 2.5], "t": "2024-01-02T03:04:05.000Z"})),
            json!({"a": [1, 2.5], "t": "2024-01-02T03:04:05Z"})
        );
        assert_ne!(canonical(&json!(1.5)), canonical(&json!(1)));
    }

    #[test]
    fn every_kind_of_request_difference_is_reported() {
        let base = req("http://h/api/v2/users/a%7Cb?x=1&y=2", &[("authorization", "Bearer t")], Body::None);
        assert!(request_diffs(&base, &base.clone()).is_empty());
        // Query order does not matter; transport headers are ignored.
        let same = req(
            "http://h/api/v2/users/a%7Cb?y=2&x=1",
            &[("authorization", "Bearer t"), ("user-agent", "x")],
            Body::None,
        );
        assert!(request_diffs(&base, &same).is_empty(), "{:?}", request_diffs(&base, &same));
        let encoded = req("http://h/api/v2/users/a|b?x=1&y=2", &[("authorization", "Bearer t")], Body::None);
        assert!(request_diffs(&base, &encoded)[0].starts_with("path encoding"));
        let query = req("http://h/api/v2/users/a%7Cb?x=1", &[("authorization", "Bearer t")], Body::None);
        assert_eq!(request_diffs(&base, &query), ["query rust [y=2] vs sdk []"]);
        let header = req("http://h/api/v2/users/a%7Cb?x=1&y=2", &[], Body::None);
        assert_eq!(request_diffs(&base, &header), ["header authorization: Bearer t vs -"]);
        let json_ct = [("content-type", "application/json")];
        let a = req("http://h/api/v2/x", &json_ct, Body::Text(r#"{"a":1,"b":[true]}"#.into()));
        let b = req("http://h/api/v2/x", &json_ct, Body::Text(r#"{"b":[false],"a":1.0}"#.into()));
        assert_eq!(request_diffs(&a, &b), ["json body /b/0: true vs false"]);
    }

    #[test]
    fn multipart_bodies_compare_part_by_part() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"users\"; filename=\"users.json\"\r\nContent-Type: application/json\r\n\r\n[1]\r\n--XyZ\r\nContent-Disposition: form-data; name=\"connection_id\"\r\n\r\ncon_1\r\n--XyZ--\r\n";
        let parts = multipart("multipart/form-data; boundary=XyZ", body);
        assert_eq!(
            parts,
            [
                Part {
                    name: "users".into(),
                    filename: Some("users.json".into()),
                    content_type: Some("application/json".into()),
                    data: "[1]".into()
                },
                Part { name: "connection_id".into(), filename: None, content_type: None, data: "con_1".into() },
            ]
        );
        let mut text_part = parts.clone();
        text_part[0].filename = None;
        let ct = [("content-type", "multipart/form-data; boundary=1")];
        let d = request_diffs(
            &req("http://h/x", &ct, Body::Multipart(parts)),
            &req("http://h/x", &ct, Body::Multipart(text_part)),
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].starts_with("multipart parts"), "{d:?}");
    }

    #[test]
    fn sdk_methods_without_an_operation_are_rows() {
        let inputs = [json!({"sdk": {"path": ["users", "roles"], "method": "list"}})];
        let methods = ["users.roles.list".to_string(), "users.roles.assign".to_string(), "fetch".to_string()];
        let rows = only_in_sdk(&inputs, &methods);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].group.as_str(), rows[0].name.as_str(), rows[0].only_sdk), ("users.roles", "assign", true));
    }

    #[test]
    fn allow_list_entries_need_a_reason_and_an_auth0_page() {
        let dir = std::env::temp_dir().join(format!("conformance-allow-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("allow.yaml");
        std::fs::write(
            &path,
            "allow:\n  - {operation: get_logs, differs: query, reason: why, docs: 'https://auth0.com/docs/x'}\n",
        )
        .unwrap();
        let allow = AllowList::read(&path).unwrap();
        assert_eq!(allow.allows("get_logs", "query rust [from=a] vs sdk []"), Some(0));
        assert_eq!(allow.allows("get_users", "query rust [from=a] vs sdk []"), None);
        std::fs::write(
            &path,
            "allow:\n  - {operation: get_logs, differs: query, reason: why, docs: 'https://example.com'}\n",
        )
        .unwrap();
        let e = AllowList::read(&path).err().unwrap();
        assert!(e.contains("#/allow/0: expected `operation`, `differs`, `reason` and `docs`"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
