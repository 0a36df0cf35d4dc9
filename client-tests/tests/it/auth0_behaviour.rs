//! The generated client against a small Auth0 behaviour server on
//! 127.0.0.1, written from Auth0's documentation rather than from our code or
//! our reading of the description:
//!
//! - offset paging (<https://auth0.com/docs/api/management/v2#!/Users/get_users>,
//!   <https://auth0.com/docs/manage-users/user-search/view-search-results-by-page>):
//!   `page` from 0, `per_page` (default 50, at most 100); a bare array unless
//!   `include_totals=true`, then `{start, limit, length, total, <items>}`;
//! - checkpoint paging (<https://auth0.com/docs/api/management/guides/retrieve-users/checkpoint-pagination>,
//!   "Checkpoint pagination"): used only when `from` or `take` is sent, `take`
//!   defaults to 50; `{<items>, next}` with `next` absent on the last page;
//!   without `from`/`take` the list answers as offset paging does;
//! - the first 1,000 results of `GET /users` only
//!   (<https://auth0.com/docs/manage-users/user-search/view-search-results-by-page#limitation>):
//!   a page starting at or beyond 1,000 is a 400;
//! - logs (<https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api>):
//!   with `from`/`take`, a bare array of the `take` logs after the log `from`
//!   (by `log_id`), every other parameter (`page` too) ignored; by page
//!   number, at most 1,000 results;
//! - `GET /jobs/{id}/errors` answers 204 with no body when a job has no errors.

use std::sync::Arc;

use auth0_management_api::operations::clients::ClientsConnectionsGetParams;
use auth0_management_api::operations::logs::ListLogsRequestParameters;
use auth0_management_api::operations::organizations::{
    ListOrganizationMembersRequestParameters, ListOrganizationsRequestParameters,
};
use auth0_management_api::operations::roles::ListRoleUsersRequestParameters;
use auth0_management_api::operations::users::{ListUserOrganizationsRequestParameters, ListUsersRequestParameters};
use auth0_management_api::runtime::{Error, FilePart, StreamExt};
use auth0_management_api::Client;
use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// One paged collection of the tenant.
struct Collection {
    /// The route under `/api/v2` (`/organizations/org_1/members`).
    route: String,
    /// The key of the items in the paginated objects (`members`).
    key: &'static str,
    items: Vec<Value>,
    /// Checkpoint paging is available (switched on by `from`/`take`).
    checkpoint: bool,
    /// Page numbers reach only this many results (Auth0: 1,000 for user
    /// and log searches).
    search_cap: Option<usize>,
    /// Checkpoint pages are bare arrays continuing after the `from` log id.
    logs: bool,
}

/// The behaviour server: every collection of one tenant.
struct Tenant(Vec<Collection>);

fn bad_request(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(
        json!({"statusCode": 400, "error": "Bad Request", "message": message, "errorCode": "invalid_paging"}),
    )
}

impl Respond for Tenant {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let decoded = percent_encoding::percent_decode_str(req.url.path()).decode_utf8_lossy();
        let path = decoded.trim_start_matches("/api/v2");
        if req.method.as_str() == "GET" && path.starts_with("/jobs/") && path.ends_with("/errors") {
            return ResponseTemplate::new(204);
        }
        let Some(c) = self.0.iter().find(|c| c.route == path) else {
            return ResponseTemplate::new(404).set_body_json(json!({"statusCode": 404, "message": "not found"}));
        };
        let q: Vec<(String, String)> = req.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let get = |name: &str| q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let num = |name: &str, default: usize| get(name).and_then(|v| v.parse::<usize>().ok()).unwrap_or(default);
        if c.checkpoint && (get("from").is_some() || get("take").is_some()) {
            let take = num("take", 50);
            if take == 0 || take > 100 {
                return bad_request("take must be between 1 and 100");
            }
            if c.logs {
                // After the log `from`, in log id order; `page` is ignored.
                let start = match get("from") {
                    Some(from) => c.items.iter().position(|l| l["log_id"] == from).map_or(0, |i| i + 1),
                    None => 0,
                };
                let page: Vec<Value> = c.items.iter().skip(start).take(take).cloned().collect();
                return ResponseTemplate::new(200).set_body_json(Value::Array(page));
            }
            // Cursors are opaque: here the index of the next item.
            let start = match get("from") {
                Some(from) => match from.strip_prefix("cursor-").and_then(|n| n.parse::<usize>().ok()) {
                    Some(n) => n,
                    None => return bad_request("invalid from"),
                },
                None => 0,
            };
            let end = (start + take).min(c.items.len());
            let mut body = json!({ c.key: c.items[start.min(end)..end] });
            if end < c.items.len() {
                body["next"] = json!(format!("cursor-{end}"));
            }
            return ResponseTemplate::new(200).set_body_json(body);
        }
        let page = num("page", 0);
        let per_page = num("per_page", 50);
        if per_page > 100 {
            return bad_request("per_page must be at most 100");
        }
        let start = page * per_page;
        if let Some(cap) = c.search_cap {
            if start >= cap {
                return bad_request(&format!("You can only page through the first {cap} records."));
            }
        }
        let end = (start + per_page).min(c.items.len());
        let items = c.items[start.min(end)..end].to_vec();
        if get("include_totals") == Some("true") {
            let body =
                json!({"start": start, "limit": per_page, "length": items.len(), "total": c.items.len(), c.key: items});
            ResponseTemplate::new(200).set_body_json(body)
        } else {
            ResponseTemplate::new(200).set_body_json(Value::Array(items))
        }
    }
}

fn collection(route: &str, key: &'static str, items: Vec<Value>, checkpoint: bool) -> Collection {
    Collection { route: route.to_string(), key, items, checkpoint, search_cap: None, logs: false }
}

fn users(n: usize) -> Vec<Value> {
    (0..n).map(|i| json!({"user_id": format!("auth0|{i:05}"), "email": format!("u{i}@example.com")})).collect()
}

/// A tenant of 120 organizations, 2,500 logs, 250 users (5 pages of 50),
/// 130 members of `org_1` and 140 users of role `rol_1`.
pub(crate) async fn tenant(n_users: usize) -> (MockServer, Client) {
    let orgs = (0..120).map(|i| json!({"id": format!("org_{i:04}"), "name": format!("org-{i}")})).collect();
    let logs = (0..2500).map(|i| json!({"log_id": format!("{i:020}"), "type": "s"})).collect();
    let members = (0..130).map(|i| json!({"user_id": format!("auth0|m{i}")})).collect();
    let role_users = (0..140).map(|i| json!({"user_id": format!("auth0|r{i}")})).collect();
    let mut user_list = collection("/users", "users", users(n_users), false);
    user_list.search_cap = Some(1000);
    let mut log_list = collection("/logs", "logs", logs, true);
    log_list.search_cap = Some(1000);
    log_list.logs = true;
    let user_orgs = (0..120).map(|i| json!({"id": format!("org_{i:04}"), "name": format!("org-{i}")})).collect();
    let client_connections = (0..130).map(|i| json!({"id": format!("con_{i:016}"), "name": format!("c{i}")})).collect();
    let tenant = Tenant(vec![
        collection("/users/auth0|1/organizations", "organizations", user_orgs, false),
        collection("/clients/cli_1/connections", "connections", client_connections, true),
        collection("/organizations", "organizations", orgs, true),
        collection("/organizations/org_1/members", "members", members, true),
        collection("/roles/rol_1/users", "users", role_users, true),
        user_list,
        log_list,
    ]);
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(tenant).mount(&server).await;
    let client = Client::builder()
        .base_url(format!("{}/api/v2", server.uri()))
        .bearer_token("t")
        .max_retries(0)
        .build()
        .unwrap();
    (server, client)
}

/// A client of the mock tenant `server`.
fn client(server: &MockServer) -> Client {
    Client::builder().base_url(format!("{}/api/v2", server.uri())).bearer_token("t").build().unwrap()
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

#[tokio::test]
async fn organizations_stream_walks_120_with_default_parameters() {
    let (server, c) = tenant(0).await;
    let params = ListOrganizationsRequestParameters::default();
    let ids: Vec<String> =
        c.organizations().list_stream(&params).map(|o| o.unwrap().id.unwrap().to_string()).collect().await;
    assert_eq!(ids.len(), 120);
    assert_eq!(ids.first().map(String::as_str), Some("org_0000"));
    assert_eq!(ids.last().map(String::as_str), Some("org_0119"));
    // take=50 like the SDK: 50 + 50 + 20, the last page without `next`.
    assert_eq!(requests(&server).await, 3);
    let first = &server.received_requests().await.unwrap()[0];
    assert!(first.url.query().unwrap_or("").contains("take=50"), "{}", first.url);
}

#[tokio::test]
async fn organization_members_and_role_users_walk_every_item() {
    let (_server, c) = tenant(0).await;
    let members: Vec<_> = c
        .organizations()
        .members()
        .list_stream("org_1", &ListOrganizationMembersRequestParameters::default())
        .collect()
        .await;
    assert_eq!(members.len(), 130);
    assert!(members.iter().all(Result::is_ok));
    let users: Vec<_> =
        c.roles().users().list_stream("rol_1", &ListRoleUsersRequestParameters::default()).collect().await;
    assert_eq!(users.len(), 140);
    assert!(users.iter().all(Result::is_ok));
}

#[tokio::test]
async fn logs_stream_walks_2500_by_log_id() {
    let (server, c) = tenant(0).await;
    let ids: Vec<String> =
        c.logs().list_stream(&ListLogsRequestParameters::default()).map(|l| l.unwrap().log_id.unwrap()).collect().await;
    assert_eq!(ids.len(), 2500);
    let mut sorted = ids.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), 2500, "a log came twice");
    // 50 full pages and the empty one after the last log.
    assert_eq!(requests(&server).await, 51);
}

#[tokio::test]
async fn logs_stream_with_a_few_logs_stops() {
    // Regression: 6 logs gave 150 items from 75 requests (page numbers,
    // which checkpoint mode ignores).
    let (server, c) = tenant(0).await;
    let from = format!("{:020}", 2493);
    let params = ListLogsRequestParameters { from: Some(from), take: Some(2), ..Default::default() };
    let n = c.logs().list_stream(&params).count().await;
    assert_eq!(n, 6);
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn users_stream_walks_5_pages_with_default_parameters() {
    let (server, c) = tenant(250).await;
    let ids: Vec<String> = c
        .users()
        .list_stream(&ListUsersRequestParameters::default())
        .map(|u| u.unwrap().user_id.unwrap())
        .collect()
        .await;
    assert_eq!(ids.len(), 250);
    assert_eq!(ids[249], "auth0|00249");
    // Five pages of 50 and the empty sixth.
    assert_eq!(requests(&server).await, 6);
}

#[tokio::test]
async fn a_stream_is_read_as_is_and_collects_into_a_vec() {
    let (_server, c) = tenant(0).await;
    let params = ListOrganizationsRequestParameters::default();
    // No `Box::pin`: the stream is `Unpin`.
    let mut stream = c.organizations().list_stream(&params);
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.id.as_deref(), Some("org_0000"));
    let second = stream.try_next().await.unwrap().unwrap();
    assert_eq!(second.id.as_deref(), Some("org_0001"));
    let all = c.organizations().list_stream(&params).try_collect().await.unwrap();
    assert_eq!(all.len(), 120);
    // The first error ends the walk and is what `try_collect` returns.
    let (_server, c) = tenant(1200).await;
    let err = c.users().list_stream(&ListUsersRequestParameters::default()).try_collect().await.unwrap_err();
    assert!(matches!(err, Error::PagingLimit { limit: 1000, .. }), "{err:?}");
}

#[tokio::test]
async fn users_stream_ends_at_the_search_cap_with_a_clear_error() {
    let (server, c) = tenant(1200).await;
    let results: Vec<_> = c.users().list_stream(&ListUsersRequestParameters::default()).collect().await;
    assert_eq!(results.len(), 1001);
    assert!(results[..1000].iter().all(Result::is_ok));
    let err = results[1000].as_ref().unwrap_err();
    assert!(matches!(err, Error::PagingLimit { limit: 1000, .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("at most 1000 results") && text.contains("users_exports"), "{text}");
    // The stream stopped before a request that Auth0 refuses.
    assert_eq!(requests(&server).await, 20);
}

#[tokio::test]
async fn job_errors_204_has_no_body_to_decode() {
    let (_server, c) = tenant(0).await;
    let res = c.jobs().errors().get("job_0123456789abcdef").await.unwrap();
    assert!(matches!(res.into_inner(), auth0_management_api::operations::jobs::JobsErrorsGetResponse::NoContent));
}

/// Records the multipart body of `POST /jobs/users-imports`.
struct Capture(Arc<std::sync::Mutex<Vec<u8>>>);

impl Respond for Capture {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        *self.0.lock().unwrap() = req.body.clone();
        ResponseTemplate::new(202).set_body_json(json!({
            "id": "job_1", "type": "users_import", "status": "pending", "connection": "db",
            "connection_id": "con_0123456789abcdef", "created_at": "2024-01-01T00:00:00.000Z"
        }))
    }
}

#[tokio::test]
async fn users_imports_sends_a_file_part() {
    let server = MockServer::start().await;
    let body = Arc::new(std::sync::Mutex::new(Vec::new()));
    Mock::given(wiremock::matchers::path("/api/v2/jobs/users-imports"))
        .respond_with(Capture(body.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let file = FilePart::new(br#"[{"email":"a@example.com"}]"#.to_vec())
        .filename("users.json")
        .content_type("application/json");
    let req = auth0_management_api::types::CreateImportUsersRequestContent::new(file, "con_0123456789abcdef").unwrap();
    c.jobs().users_imports().create(&req).await.unwrap();
    let sent = String::from_utf8(body.lock().unwrap().clone()).unwrap();
    assert!(
        sent.contains(
            "Content-Disposition: form-data; name=\"users\"; filename=\"users.json\"\r\nContent-Type: application/json\r\n\r\n[{\"email\":\"a@example.com\"}]\r\n"
        ),
        "{sent}"
    );
    assert!(sent.contains("name=\"connection_id\"\r\n\r\ncon_0123456789abcdef\r\n"), "{sent}");
}

#[tokio::test]
async fn streams_with_bounded_page_and_cursor_parameters_walk_every_item() {
    // `page` of `GET /users/{id}/organizations` is at most 1000 and `from` of
    // `GET /clients/{id}/connections` at most 1000 characters: both are
    // bounded types, and both lists still stream.
    let (_server, c) = tenant(0).await;
    let orgs: Vec<_> = c
        .users()
        .organizations()
        .list_stream("auth0|1", &ListUserOrganizationsRequestParameters::default())
        .collect()
        .await;
    assert_eq!(orgs.len(), 120);
    assert!(orgs.iter().all(Result::is_ok));
    let conns: Vec<String> = c
        .clients()
        .connections()
        .get_stream("cli_1", &ClientsConnectionsGetParams::default())
        .map(|r| r.unwrap().id.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(conns.len(), 130);
    assert_eq!(conns.last().map(String::as_str), Some("con_0000000000000129"));
}

#[tokio::test]
async fn a_server_ignoring_the_page_number_ends_the_stream_instead_of_looping() {
    // Every request answers the same full page of 50: without the check the
    // stream would ask for pages forever.
    let server = MockServer::start().await;
    let users: Vec<Value> = (0..50).map(|i| json!({"user_id": format!("auth0|{i:05}")})).collect();
    Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path("/api/v2/users"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"start": 0, "limit": 50, "length": 50, "total": 500, "users": users})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server);
    let got: Vec<_> = c.users().list_stream(&ListUsersRequestParameters::default()).collect().await;
    assert_eq!(got.len(), 51, "one page, then the error");
    assert!(got[..50].iter().all(Result::is_ok));
    assert!(matches!(&got[50], Err(Error::PagingRepeated { cursor }) if cursor == "1"), "{:?}", got[50]);
}
