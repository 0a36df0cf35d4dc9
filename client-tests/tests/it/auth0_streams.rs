//! Every paged list of the Auth0 client walked over HTTP with default
//! parameters against a behaviour server that pages as Auth0's reference
//! documents each list. The lists come from the spec (`build/auth0_streams.rs`
//! finds them by their parameters and writes `CASES` and `walk`), so a new
//! paged list is covered without a new test, and a list without a stream,
//! or a stream that is not a case, fails here.
//!
//! The server reads each list's mode from the parameters the reference
//! gives it, never from our paging lowering or generated code:
//!
//! | list's parameters | without `from`/`take` | with `from` or `take` | source |
//! |---|---|---|---|
//! | `page`, `per_page` (+ `include_totals`) | page `page` (from 0) of `per_page` (the description's default, else 50; at most the schema's or description's maximum, else 100); a bare array, or with `include_totals=true` the object `{<items>, start, limit, length, total}` (the fields the list's object declares); lists without a bare form (Actions) always answer the object (`total`, `page`, `per_page`) | - | <https://auth0.com/docs/api/management/v2#!/Users/get_users>, <https://auth0.com/docs/manage-users/user-search/view-search-results-by-page>, <https://auth0.com/docs/api/management/v2/actions/get-actions> |
//! | the same, `per_page` described "Paging is disabled if parameter not sent" | every item in one answer, `page` ignored | - | the parameter's description (`GET /actions/modules`, `GET /users/{id}/logs`) |
//! | `from`, `take` and an object with `next` | one offset page if the list has `page`/`per_page`; else the first page of `take` (the description's default) in checkpoint form, or every item when the list also has a bare form (`GET /custom-domains`) | `{<items>, next}`, `next` absent on the last page; `take` at most its maximum | <https://auth0.com/docs/api/management/guides/retrieve-users/checkpoint-pagination> ("Checkpoint pagination"), <https://auth0.com/docs/api/management/v2/custom-domains/get-custom-domains> |
//! | `from`, `take` and only a bare array (logs, event-stream deliveries) | one offset page (logs), or the first `take` items | a bare array of the `take` items after the item whose id is `from` (exclusive) | logs: <https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api> ("Log Event Id from which to start selection (exclusive)"); deliveries: <https://auth0.com/docs/api/management/v2/event-streams/get-event-deliveries> ("Optional Id from which to start selection"; the Node SDK does not page this list) |
//!
//! Lists where the description's text, the schema and the official Node
//! SDK (node-auth0 v6.1.0, `src/management/api/resources/*/client/Client.ts`)
//! differ; the description's text wins:
//!
//! - `GET /users/{id}/connected-accounts`: `take` "Defaults to 10 with a
//!   maximum of 20" (schema: at most 100); the SDK sends `take=50`, which
//!   this server refuses as Auth0 documents; our stream sends 20
//!   (`page_size_caps` in `spec/codegen.yaml`).
//! - `GET /connection-profiles`: `take` at most 10, "Defaults to 5"; the SDK
//!   sends 50; our stream sends 10 (the parameter's maximum).
//! - `GET /actions/modules`, `GET /users/{id}/logs`: "Paging is disabled if
//!   parameter not sent" (`per_page`); the SDK and our streams send
//!   `per_page=50`.
//! - `GET /verifiable-credentials/verification/templates`: `next` is a string
//!   or `null`; the SDK stops on `null` or `""`, as our stream does.
//! - `GET /event-streams/{id}/deliveries`: a bare array with `from`/`take` and
//!   no `next`; the SDK does not page it (one call, `take=50`); our stream
//!   continues from the last delivery's `id`, as logs do from `log_id`.
//!
//! Page numbers of `GET /users` and `GET /logs` reach only the first 1,000
//! results (<https://auth0.com/docs/manage-users/user-search/view-search-results-by-page#limitation>);
//! a tenant of 120 items per list stays below that (`auth0_behaviour.rs`
//! tests the cap).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use auth0_management_api::runtime::{Error, Stream, StreamExt};
use serde_json::{json, Map, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// One paged list of the spec, as `build/auth0_streams.rs` found it.
pub(crate) struct Case {
    /// The operation id.
    pub id: &'static str,
    /// The stream's method, by group (`organizations.members.list_stream`).
    pub stream: &'static str,
    pub route: &'static str,
    /// The route with the sample path arguments, decoded, under `/api/v2`.
    pub path: &'static str,
    /// The list answers a bare array in some mode.
    pub bare: bool,
    pub offset: Option<Offset>,
    pub checkpoint: Option<Checkpoint>,
    /// One minimal valid item (JSON) from the response schema.
    pub item: &'static str,
    /// The string field that tells items apart (`None`: items are strings).
    pub id_field: Option<&'static str>,
    /// The generator gave the list a stream.
    pub has_stream: bool,
}

/// Page numbers (`page`, `per_page`).
pub(crate) struct Offset {
    pub totals_param: bool,
    pub default: usize,
    pub max: usize,
    pub disabled_without_per_page: bool,
    /// The object answered with totals (or always, without a bare form).
    pub object: Option<Object>,
}

/// Checkpoint paging (`from`, `take`).
pub(crate) struct Checkpoint {
    pub default: usize,
    pub max: usize,
    /// The object with `next`; `None`: bare arrays after the `from` item.
    pub object: Option<Object>,
}

/// An object form of a page: the items' key and the other declared fields.
pub(crate) struct Object {
    pub key: &'static str,
    pub fields: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/auth0_streams.rs"));

/// Items per list: more than two pages of 50 (and of Auth0's larger
/// defaults, 100 for connections).
const TENANT: usize = 120;

/// Result caps of page numbers, by route.
const CAPS: &[(&str, usize)] = &[("/users", 1000), ("/logs", 1000)];

async fn walked<T: serde::Serialize, E: std::fmt::Debug>(
    stream: impl Stream<Item = Result<T, Error<E>>>,
    limit: usize,
) -> Vec<Result<Value, String>> {
    stream
        .take(limit)
        .map(|r| r.map_err(|e| format!("{e:?}")).and_then(|v| serde_json::to_value(v).map_err(|e| e.to_string())))
        .collect()
        .await
}

fn walked_iter<T: serde::Serialize, E: std::fmt::Debug>(
    iter: impl Iterator<Item = Result<T, Error<E>>>,
    limit: usize,
) -> Vec<Result<Value, String>> {
    iter.take(limit)
        .map(|r| r.map_err(|e| format!("{e:?}")).and_then(|v| serde_json::to_value(v).map_err(|e| e.to_string())))
        .collect()
}

fn id_of(case: &Case, item: &Value) -> Option<String> {
    match case.id_field {
        Some(f) => item.get(f)?.as_str().map(str::to_string),
        None => item.as_str().map(str::to_string),
    }
}

/// The tenant's items of a list: the sample item with ids `<n>-00000`..
/// (in id order, as logs are).
fn items(idx: usize, case: &Case) -> Vec<Value> {
    let sample: Value = serde_json::from_str(case.item).unwrap();
    (0..TENANT)
        .map(|i| {
            let id = format!("{idx:02}-{i:05}");
            match case.id_field {
                Some(f) => {
                    let mut v = sample.clone();
                    v.as_object_mut().unwrap().insert(f.to_string(), json!(id));
                    v
                }
                None => json!(id),
            }
        })
        .collect()
}

fn bad_request(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(
        json!({"statusCode": 400, "error": "Bad Request", "message": message, "errorCode": "invalid_paging"}),
    )
}

/// The behaviour server: every list of one tenant.
struct Tenant {
    lists: Vec<(&'static Case, Vec<Value>)>,
    /// Requests per list.
    seen: Arc<Mutex<BTreeMap<&'static str, usize>>>,
}

type Query<'q> = &'q [(String, String)];

fn get<'q>(q: Query<'q>, name: &str) -> Option<&'q str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A page size sent (or the default); `Err`: Auth0's message.
fn size(q: Query<'_>, name: &str, default: usize, max: usize) -> Result<usize, String> {
    match get(q, name) {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(format!("{name} must be between 1 and {max}")),
        },
    }
}

fn object(o: &Object, items: &[Value], start: usize, per_page: usize, page: usize, total: usize) -> Value {
    let mut body = Map::new();
    body.insert(o.key.to_string(), Value::Array(items.to_vec()));
    for f in o.fields {
        let v = match *f {
            "start" => json!(start),
            "limit" => json!(per_page),
            "length" => json!(items.len()),
            "total" => json!(total),
            "page" => json!(page),
            "per_page" => json!(per_page),
            _ => continue,
        };
        body.insert(f.to_string(), v);
    }
    Value::Object(body)
}

fn checkpoint_page(case: &Case, cp: &Checkpoint, all: &[Value], q: Query<'_>) -> ResponseTemplate {
    let take = match size(q, "take", cp.default, cp.max) {
        Ok(n) => n,
        Err(e) => return bad_request(&e),
    };
    let Some(o) = &cp.object else {
        // After the item `from`, in id order.
        let start = match get(q, "from") {
            None => 0,
            Some(from) => match all.iter().position(|v| id_of(case, v).as_deref() == Some(from)) {
                Some(i) => i + 1,
                None => return bad_request("invalid from"),
            },
        };
        let page: Vec<Value> = all.iter().skip(start).take(take).cloned().collect();
        return ResponseTemplate::new(200).set_body_json(Value::Array(page));
    };
    // Cursors are opaque: here the index of the next item.
    let start = match get(q, "from") {
        None => 0,
        Some(from) => match from.strip_prefix("cursor-").and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n <= all.len() => n,
            _ => return bad_request("invalid from"),
        },
    };
    let end = (start + take).min(all.len());
    let mut body = Map::new();
    body.insert(o.key.to_string(), Value::Array(all[start..end].to_vec()));
    if end < all.len() {
        body.insert("next".into(), json!(format!("cursor-{end}")));
    }
    ResponseTemplate::new(200).set_body_json(Value::Object(body))
}

fn offset_page(case: &Case, off: &Offset, all: &[Value], q: Query<'_>) -> ResponseTemplate {
    let unpaged = off.disabled_without_per_page && get(q, "per_page").is_none();
    let per_page = match size(q, "per_page", off.default, off.max) {
        Ok(n) => n,
        Err(e) => return bad_request(&e),
    };
    let page = match get(q, "page").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return bad_request("page must be a number"),
    };
    let (start, per_page, page) = if unpaged { (0, all.len(), 0) } else { (page * per_page, per_page, page) };
    if let Some((_, cap)) = CAPS.iter().find(|(r, _)| *r == case.route) {
        if start >= *cap {
            return bad_request(&format!("You can only page through the first {cap} records."));
        }
    }
    let end = (start + per_page).min(all.len());
    let items = &all[start.min(end)..end];
    let totals = get(q, "include_totals") == Some("true") && off.totals_param;
    match &off.object {
        Some(o) if totals || !case.bare => {
            ResponseTemplate::new(200).set_body_json(object(o, items, start, per_page, page, all.len()))
        }
        _ => ResponseTemplate::new(200).set_body_json(Value::Array(items.to_vec())),
    }
}

impl Respond for Tenant {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let decoded = percent_encoding::percent_decode_str(req.url.path()).decode_utf8_lossy();
        let path = decoded.trim_start_matches("/api/v2");
        let Some((case, all)) = self.lists.iter().find(|(c, _)| c.path == path) else {
            return ResponseTemplate::new(404).set_body_json(json!({"statusCode": 404, "message": "not found"}));
        };
        *self.seen.lock().unwrap().entry(case.id).or_default() += 1;
        let q: Vec<(String, String)> = req.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let cursor_sent = get(&q, "from").is_some() || get(&q, "take").is_some();
        match (&case.checkpoint, &case.offset) {
            (Some(cp), _) if cursor_sent => checkpoint_page(case, cp, all, &q),
            (_, Some(off)) => offset_page(case, off, all, &q),
            // A checkpoint list sent neither: its bare form holds every item,
            // else the first page.
            (Some(cp), None) if case.bare && cp.object.is_some() => {
                ResponseTemplate::new(200).set_body_json(Value::Array(all.clone()))
            }
            (Some(cp), None) => checkpoint_page(case, cp, all, &q),
            (None, None) => ResponseTemplate::new(500),
        }
    }
}

/// Requests per list, as the tenant counts them.
type Seen = Arc<Mutex<BTreeMap<&'static str, usize>>>;

/// The behaviour server with every list of the tenant, and its base URL.
async fn tenant() -> (MockServer, Seen, String) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(BTreeMap::new()));
    let lists = CASES.iter().enumerate().map(|(i, c)| (c, items(i, c))).collect();
    Mock::given(wiremock::matchers::any()).respond_with(Tenant { lists, seen: seen.clone() }).mount(&server).await;
    let base = format!("{}/api/v2", server.uri());
    (server, seen, base)
}

/// At most this many items per walk: a stream that repeats pages stops.
const LIMIT: usize = 2 * TENANT + 10;

/// What is wrong with one walk of `CASES[idx]` (`None`: no stream).
fn check(idx: usize, got: Option<Vec<Result<Value, String>>>, seen: &Seen) -> Option<String> {
    let case = &CASES[idx];
    let name = format!("{} (`{}`, {})", case.stream, case.route, case.id);
    let Some(got) = got else { return Some(format!("{name}: the list has no stream")) };
    if let Some(Err(e)) = got.iter().find(|r| r.is_err()) {
        return Some(format!("{name}: {e}"));
    }
    let mut ids: Vec<Option<String>> = got.iter().flatten().map(|v| id_of(case, v)).collect();
    ids.sort();
    let expected: Vec<Option<String>> = items(idx, case).iter().map(|v| id_of(case, v)).collect();
    if ids != expected {
        let mut distinct = ids.clone();
        distinct.dedup();
        return Some(format!(
            "{name}: {} items ({} distinct), the tenant has {}",
            ids.len(),
            distinct.len(),
            expected.len()
        ));
    }
    let requests = seen.lock().unwrap().get(case.id).copied().unwrap_or(0);
    (requests < 2).then(|| format!("{name}: {requests} request(s), not page by page"))
}

fn report(failures: &[String]) {
    // Auth0 has more than 60 paged lists; fewer cases means the finder broke.
    assert!(CASES.len() >= 60, "{} cases", CASES.len());
    assert!(failures.is_empty(), "{} of {} lists:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[tokio::test]
async fn every_paged_list_streams_every_item_with_default_parameters() {
    let (_server, seen, base) = tenant().await;
    let client =
        auth0_management_api::Client::builder().base_url(base).bearer_token("t").max_retries(0).build().unwrap();
    let mut failures = Vec::new();
    for idx in 0..CASES.len() {
        failures.extend(check(idx, walk(&client, idx, LIMIT).await, &seen));
    }
    report(&failures);
}

#[test]
fn every_blocking_stream_iterates_every_item_with_default_parameters() {
    // The server runs on a runtime of its own; the test thread blocks.
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (_server, seen, base) = rt.block_on(tenant());
    let client = auth0_management_api::Client::builder()
        .base_url(base)
        .bearer_token("t")
        .max_retries(0)
        .build_blocking()
        .unwrap();
    let mut failures = Vec::new();
    for idx in 0..CASES.len() {
        failures.extend(check(idx, walk_blocking(&client, idx, LIMIT), &seen));
    }
    report(&failures);
}

/// Each top-level group's `*_stream` methods, as `group.name_stream`: the
/// async ones (`indent` 4), or their blocking twins one module deeper (8).
fn generated_streams(indent: usize) -> Vec<String> {
    // The client is split into crates: each part has its groups' files.
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/crates");
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&crates).unwrap() {
        if let Ok(entries) = std::fs::read_dir(krate.unwrap().path().join("src/operations")) {
            files.extend(entries.map(|e| e.unwrap().path()));
        }
    }
    let prefix = format!("{}pub fn ", " ".repeat(indent));
    let mut out = Vec::new();
    for path in files {
        let group = path.file_stem().unwrap().to_string_lossy().into_owned();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let Some(rest) = line.strip_prefix(&prefix) else { continue };
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if name.ends_with("_stream") {
                out.push(format!("{group}.{name}"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_generated_stream_is_a_case() {
    let mut cases: Vec<String> = CASES
        .iter()
        .filter(|c| c.has_stream)
        .map(|c| {
            let group = c.stream.split('.').next().unwrap_or_default();
            let name = c.stream.rsplit('.').next().unwrap_or_default();
            format!("{group}.{name}")
        })
        .collect();
    cases.sort();
    let streams = generated_streams(4);
    assert!(streams.len() >= 50, "{streams:?}");
    assert_eq!(streams, cases, "the generated streams (left) are not the paged lists with a stream (right)");
    assert_eq!(generated_streams(8), streams, "the blocking twins (left) are not the async streams (right)");
}
