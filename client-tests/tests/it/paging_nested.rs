//! Streams over cursors one or two objects down the page (the `nested`
//! operations of `generator/tests/fixtures/paging_conventions.yaml`):
//! Asana's `next_page.offset`, Intercom's `pages.next.starting_after`,
//! Slack's `response_metadata.next_cursor` and Figma's activity logs
//! (`meta.cursor` beside `meta.next_page`), each walked over several pages
//! of a server on 127.0.0.1 to what ends it.

use client_tests::operations::nested::{
    NestedGetActivityLogPagesParams, NestedGetTasksParams, NestedListChannelsParams, NestedListConversationsParams,
};
use client_tests::runtime::{Error, StreamExt};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer};

use super::paging_conventions::{client, page};

/// The ids of the items read, and the error that ended the stream if any.
async fn walk<T, E>(
    s: impl client_tests::runtime::Stream<Item = Result<T, Error<E>>>,
    id: impl Fn(T) -> String,
) -> (Vec<String>, Option<String>)
where
    Error<E>: std::fmt::Display,
{
    let s = std::pin::pin!(s);
    let got: Vec<Result<T, Error<E>>> = s.collect().await;
    let mut ids = Vec::new();
    for r in got {
        match r {
            Ok(x) => ids.push(id(x)),
            Err(e) => return (ids, Some(e.to_string())),
        }
    }
    (ids, None)
}

fn items(ids: &[&str]) -> Vec<serde_json::Value> {
    ids.iter().map(|id| json!({"id": id})).collect()
}

/// Asana: the filter goes on every page, `next_page.offset` goes back in
/// `?offset=`, and a `null` next page ends the list.
#[tokio::test]
async fn a_next_page_object_gives_the_offset_until_it_is_null() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/nested/tasks")).and(query_param("project", "p1"));
    let next = |o: &str| json!({"offset": o, "path": format!("/tasks?offset={o}"), "uri": format!("https://app.example/tasks?offset={o}")});
    page(
        &server,
        route().and(query_param_is_missing("offset")),
        json!({"data": items(&["t1", "t2"]), "next_page": next("o1")}),
    )
    .await;
    page(&server, route().and(query_param("offset", "o1")), json!({"data": items(&["t3"]), "next_page": next("o2")}))
        .await;
    page(&server, route().and(query_param("offset", "o2")), json!({"data": items(&["t4"]), "next_page": null})).await;
    let params = NestedGetTasksParams { project: Some("p1".into()), ..Default::default() };
    let c = client(&server);
    let (ids, err) = walk(c.nested().get_tasks_stream(&params), |t| t.id).await;
    assert_eq!((ids, err), (["t1", "t2", "t3", "t4"].map(String::from).to_vec(), None));
}

/// An offset the server gave before would loop: the stream ends with an
/// error after the page's items; a page without `next_page` ends it too.
#[tokio::test]
async fn a_repeated_or_absent_next_page_ends_the_stream() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/nested/tasks"));
    page(
        &server,
        route().and(query_param_is_missing("offset")),
        json!({"data": items(&["t1"]), "next_page": {"offset": "o1"}}),
    )
    .await;
    page(
        &server,
        route().and(query_param("offset", "o1")),
        json!({"data": items(&["t2"]), "next_page": {"offset": "o1"}}),
    )
    .await;
    let c = client(&server);
    let (ids, err) = walk(c.nested().get_tasks_stream(&NestedGetTasksParams::default()), |t| t.id).await;
    assert_eq!(ids, ["t1", "t2"]);
    let err = err.expect("a repeated offset is an error");
    assert!(err.contains("\"o1\" a second time"), "{err}");

    let server = MockServer::start().await;
    page(&server, Mock::given(method("GET")).and(path("/nested/tasks")), json!({"data": items(&["t1"])})).await;
    let c = client(&server);
    let (ids, err) = walk(c.nested().get_tasks_stream(&NestedGetTasksParams::default()), |t| t.id).await;
    assert_eq!((ids, err), (["t1"].map(String::from).to_vec(), None));
}

/// Intercom: `starting_after` two objects down (`pages.next`); a page
/// whose `pages` has no `next`, or whose `pages` is `null`, is the last.
#[tokio::test]
async fn a_cursor_two_objects_down_is_followed_until_there_is_no_next() {
    for last in [json!({"page": 3, "per_page": 1, "total_pages": 3}), json!(null)] {
        let server = MockServer::start().await;
        let route = || Mock::given(method("GET")).and(path("/nested/conversations")).and(query_param("per_page", "1"));
        let pages = |c: &str| json!({"page": 1, "per_page": 1, "next": {"per_page": 1, "starting_after": c}});
        page(
            &server,
            route().and(query_param_is_missing("starting_after")),
            json!({"type": "conversation.list", "conversations": items(&["c1"]), "pages": pages("a1")}),
        )
        .await;
        page(
            &server,
            route().and(query_param("starting_after", "a1")),
            json!({"conversations": items(&["c2"]), "pages": pages("a2")}),
        )
        .await;
        page(
            &server,
            route().and(query_param("starting_after", "a2")),
            json!({"conversations": items(&["c3"]), "pages": last}),
        )
        .await;
        let params = NestedListConversationsParams { per_page: Some(1), ..Default::default() };
        let c = client(&server);
        let (ids, err) = walk(c.nested().list_conversations_stream(&params), |t| t.id).await;
        assert_eq!((ids, err), (["c1", "c2", "c3"].map(String::from).to_vec(), None));
    }
}

/// Slack: `response_metadata.next_cursor` goes back in `?cursor=`; the
/// last page's cursor is empty.
#[tokio::test]
async fn a_cursor_in_the_response_metadata_is_followed_until_it_is_empty() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/nested/channels"));
    let body = |ids: &[&str], next: &str| json!({"ok": true, "channels": items(ids), "response_metadata": {"next_cursor": next}});
    page(&server, route().and(query_param_is_missing("cursor")), body(&["ch1"], "dXNlcjpVMDYx")).await;
    page(&server, route().and(query_param("cursor", "dXNlcjpVMDYx")), body(&["ch2", "ch3"], "")).await;
    let c = client(&server);
    let (ids, err) = walk(c.nested().list_channels_stream(&NestedListChannelsParams::default()), |t| t.id).await;
    assert_eq!((ids, err), (["ch1", "ch2", "ch3"].map(String::from).to_vec(), None));
}

/// Figma's activity logs: the list, the cursor and the `next_page` flag
/// all in `meta`; `next_page: false` ends it though the page has a cursor,
/// and a page without `meta` has no items and ends it.
#[tokio::test]
async fn a_cursor_beside_the_list_in_meta_is_followed_while_next_page_is_true() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/nested/activity_logs"));
    let body = |ids: &[&str], cursor: &str, more: bool| json!({"status": 200, "error": false, "meta": {"activity_logs": items(ids), "cursor": cursor, "next_page": more}});
    page(&server, route().and(query_param_is_missing("cursor")), body(&["l1"], "k1", true)).await;
    page(&server, route().and(query_param("cursor", "k1")), body(&["l2"], "k2", true)).await;
    // The last page still carries a cursor: it is never sent.
    page(&server, route().and(query_param("cursor", "k2")), body(&["l3"], "k3", false)).await;
    let c = client(&server);
    let params = NestedGetActivityLogPagesParams::default();
    let (ids, err) = walk(c.nested().get_activity_log_pages_stream(&params), |t| t.id).await;
    assert_eq!((ids, err), (["l1", "l2", "l3"].map(String::from).to_vec(), None));

    let server = MockServer::start().await;
    page(
        &server,
        Mock::given(method("GET")).and(path("/nested/activity_logs")),
        json!({"status": 200, "error": false}),
    )
    .await;
    let c = client(&server);
    let (ids, err) = walk(c.nested().get_activity_log_pages_stream(&params), |t| t.id).await;
    assert_eq!((ids.len(), err), (0, None));
}

/// Apideck: `meta.cursors.next` goes back in `?cursor=` until it is
/// `null`; the URL in `links.next` is never sent as the cursor.
#[tokio::test]
async fn a_next_cursor_in_meta_cursors_is_followed_until_null() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/nested/companies"));
    let body = |ids: &[&str], next: Option<&str>| {
        let link = next.map(|n| format!("https://unify.example/crm/companies?cursor={n}"));
        json!({"status_code": 200, "data": items(ids), "meta": {"items_on_page": ids.len(), "cursors": {"previous": null, "current": null, "next": next}}, "links": {"previous": null, "current": "https://unify.example/crm/companies", "next": link}})
    };
    page(&server, route().and(query_param_is_missing("cursor")), body(&["co1"], Some("em9obzox"))).await;
    page(&server, route().and(query_param("cursor", "em9obzox")), body(&["co2"], Some("em9obzoy"))).await;
    page(&server, route().and(query_param("cursor", "em9obzoy")), body(&["co3"], None)).await;
    let c = client(&server);
    let params = client_tests::operations::nested::NestedGetCompaniesParams::default();
    let (ids, err) = walk(c.nested().get_companies_stream(&params), |t| t.id).await;
    assert_eq!((ids, err), (["co1", "co2", "co3"].map(String::from).to_vec(), None));
}
