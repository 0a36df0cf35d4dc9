//! Streams by the paging conventions a description shows without settings
//! (the client of `generator/tests/fixtures/paging_conventions.yaml`, built
//! by `client-tests/build.rs`): each walks several pages of a server on
//! 127.0.0.1, and what ends it (no token, a repeated token, a link to
//! another origin, a `null` next page, the page count, the total, an empty
//! page, a done flag) is checked.

use client_tests::operations::azure::AzureVaultsListParams;
use client_tests::operations::bookmark::BookmarkBoardsListParams;
use client_tests::operations::cursor::CursorListEventsParams;
use client_tests::operations::cursors::{
    CursorsGetFollowedParams, CursorsGetRecentlyPlayedParams, CursorsGetTeamComponentsParams,
};
use client_tests::operations::done::{
    DoneGetBlockChildrenParams, DoneGetLibraryAnalyticsActionsParams, DoneGetLibraryAnalyticsUsagesParams,
    DoneV1ApplicationListParams,
};
use client_tests::operations::dropshot::DropshotInstanceListParams;
use client_tests::operations::github::{GithubActionsListRunnersParams, GithubIssuesListForOwnerParams};
use client_tests::operations::hetzner::HetznerListServersParams;
use client_tests::operations::laravel::LaravelListPostsParams;
use client_tests::operations::links::LinksGetFileVersionsParams;
use client_tests::operations::numbered::{NumberedListClustersParams, NumberedListTicketsParams};
use client_tests::operations::offsets::{
    OffsetsGetAListOfCurrentUsersPlaylistsParams, OffsetsListOrganizationsParams, OffsetsListPagerdutyUsersParams,
};
use client_tests::operations::stripe::StripeGetCustomersParams;
use client_tests::runtime::{BoundedInt, Error, StreamExt};
use client_tests::Client;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub(super) fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().unwrap()
}

pub(super) async fn page(server: &MockServer, mock: wiremock::MockBuilder, body: serde_json::Value) {
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body)).expect(1).mount(server).await;
}

async fn collect<T, E>(s: impl client_tests::runtime::Stream<Item = Result<T, Error<E>>>) -> Vec<Result<T, String>>
where
    Error<E>: std::fmt::Display,
{
    let s = std::pin::pin!(s);
    s.map(|r| r.map_err(|e| e.to_string())).collect().await
}

fn instance(n: u8) -> serde_json::Value {
    json!({"id": format!("00000000-0000-0000-0000-0000000000{n:02}"), "name": format!("i{n}")})
}

#[tokio::test]
async fn dropshot_sends_only_the_token_and_limit_on_later_pages() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/projects/s1/instances")).and(query_param("limit", "2"));
    page(
        &server,
        route()
            .and(query_param("project", "p1"))
            .and(query_param("sort_by", "name_ascending"))
            .and(query_param_is_missing("page_token")),
        json!({"items": [instance(1), instance(2)], "next_page": "t1"}),
    )
    .await;
    for (token, items, next) in
        [("t1", vec![instance(3), instance(4)], json!("t2")), ("t2", vec![instance(5)], json!(null))]
    {
        page(
            &server,
            route()
                .and(query_param("page_token", token))
                .and(query_param_is_missing("project"))
                .and(query_param_is_missing("sort_by")),
            json!({"items": items, "next_page": next}),
        )
        .await;
    }
    let params = DropshotInstanceListParams {
        limit: Some(BoundedInt::new(2).unwrap()),
        page_token: None,
        project: Some("p1".into()),
        sort_by: Some(client_tests::types::DropshotInstanceListSortBy::NameAscending),
    };
    let c = client(&server);
    let got = collect(c.dropshot().instance_list_stream("s1", &params)).await;
    let names: Vec<String> = got.into_iter().map(|r| r.unwrap().name).collect();
    assert_eq!(names, ["i1", "i2", "i3", "i4", "i5"]);
}

#[tokio::test]
async fn ms_pageable_follows_next_link_on_the_same_origin_only() {
    let server = MockServer::start().await;
    let base = server.uri();
    let route = || Mock::given(method("GET")).and(path("/vaults"));
    page(
        &server,
        route().and(query_param("api-version", "2023-07-01")).and(query_param_is_missing("$skiptoken")),
        json!({"value": [{"name": "v1"}, {"name": "v2"}], "nextLink": format!("{base}/vaults?api-version=2023-07-01&$skiptoken=a")}),
    )
    .await;
    page(
        &server,
        route().and(query_param("$skiptoken", "a")),
        // An empty page with a link goes on.
        json!({"value": [], "nextLink": format!("{base}/vaults?api-version=2023-07-01&$skiptoken=b")}),
    )
    .await;
    page(
        &server,
        route().and(query_param("$skiptoken", "b")),
        json!({"value": [{"name": "v3"}], "nextLink": "https://elsewhere.example.com/vaults?$skiptoken=c"}),
    )
    .await;
    let c = client(&server);
    let got = collect(c.azure().vaults_list_stream(&AzureVaultsListParams::new("2023-07-01"))).await;
    assert_eq!(got.len(), 4, "{got:?}");
    let names: Vec<String> = got[..3].iter().map(|r| r.as_ref().unwrap().name.clone().unwrap()).collect();
    assert_eq!(names, ["v1", "v2", "v3"]);
    // The link to another host is refused, never sent.
    let err = got[3].as_ref().unwrap_err();
    assert!(err.contains("elsewhere.example.com") && err.contains("not followed"), "{err}");
}

#[tokio::test]
async fn stripe_starts_after_the_last_id_while_has_more() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/v1/customers")).and(query_param("limit", "2"));
    let customers = |ids: &[&str], more: bool| {
        let data: Vec<_> = ids.iter().map(|id| json!({"id": id, "object": "customer"})).collect();
        json!({"data": data, "has_more": more, "object": "list", "url": "/v1/customers"})
    };
    page(&server, route().and(query_param_is_missing("starting_after")), customers(&["cus_1", "cus_2"], true)).await;
    page(&server, route().and(query_param("starting_after", "cus_2")), customers(&["cus_3", "cus_4"], true)).await;
    page(&server, route().and(query_param("starting_after", "cus_4")), customers(&["cus_5"], false)).await;
    let params = StripeGetCustomersParams { limit: Some(2), ..Default::default() };
    let c = client(&server);
    let got = collect(c.stripe().get_customers_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id.to_string()).collect();
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]);
}

/// OpenAI's lists: `after` is the last item's `id`, the caller's `order`
/// and `limit` go on every page, and `has_more: false` ends the stream.
#[tokio::test]
async fn openai_sends_after_the_last_id_while_has_more() {
    let server = MockServer::start().await;
    let route = || {
        Mock::given(method("GET"))
            .and(path("/v1/assistants"))
            .and(query_param("limit", "2"))
            .and(query_param("order", "asc"))
    };
    let assistants = |ids: &[&str], more: bool| {
        let data: Vec<_> = ids.iter().map(|id| json!({"id": id, "object": "assistant", "name": null})).collect();
        json!({"object": "list", "data": data, "first_id": ids[0], "last_id": ids[ids.len() - 1], "has_more": more})
    };
    page(&server, route().and(query_param_is_missing("after")), assistants(&["asst_1", "asst_2"], true)).await;
    page(&server, route().and(query_param("after", "asst_2")), assistants(&["asst_3"], false)).await;
    let params = client_tests::operations::openai::OpenaiListAssistantsParams {
        limit: Some(2),
        order: Some(client_tests::types::OpenaiListAssistantsOrder::Asc),
        ..Default::default()
    };
    let c = client(&server);
    let got = collect(c.openai().list_assistants_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["asst_1", "asst_2", "asst_3"]);
}

#[tokio::test]
async fn stripe_lists_of_several_kinds_start_after_the_last_id_of_any_kind() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/v1/customers/cus_1/sources"));
    page(
        &server,
        route().and(query_param_is_missing("starting_after")),
        json!({"data": [{"id": "cus_2", "object": "customer"}, {"id": "card_1", "object": "card"}], "has_more": true}),
    )
    .await;
    page(
        &server,
        route().and(query_param("starting_after", "card_1")),
        json!({"data": [{"id": "card_2", "object": "card"}], "has_more": false}),
    )
    .await;
    let c = client(&server);
    let params = client_tests::operations::stripe::StripeGetCustomersCustomerSourcesParams::default();
    let got = collect(c.stripe().get_customers_customer_sources_stream("cus_1", &params)).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.iter().all(Result::is_ok), "{got:?}");
}

#[tokio::test]
async fn a_cursor_echo_keeps_the_filters_and_stops_on_null() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/events")).and(query_param("kind", "push"));
    page(
        &server,
        route().and(query_param_is_missing("cursor")),
        json!({"events": [{"id": "e1"}], "next_cursor": "c1"}),
    )
    .await;
    page(&server, route().and(query_param("cursor", "c1")), json!({"events": [{"id": "e2"}], "next_cursor": "c2"}))
        .await;
    page(&server, route().and(query_param("cursor", "c2")), json!({"events": [{"id": "e3"}], "next_cursor": null}))
        .await;
    let params = CursorListEventsParams { kind: Some("push".into()), cursor: None };
    let c = client(&server);
    let got = collect(c.cursor().list_events_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["e1", "e2", "e3"]);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/events"));
    page(
        &server,
        route().and(query_param_is_missing("cursor")),
        json!({"events": [{"id": "e1"}], "next_cursor": "c1"}),
    )
    .await;
    page(&server, route().and(query_param("cursor", "c1")), json!({"events": [{"id": "e2"}], "next_cursor": "c2"}))
        .await;
    // The server goes back to a cursor it gave before: the pages would loop.
    page(&server, route().and(query_param("cursor", "c2")), json!({"events": [{"id": "e3"}], "next_cursor": "c1"}))
        .await;
    let c = client(&server);
    let got = collect(c.cursor().list_events_stream(&CursorListEventsParams::default())).await;
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[2].as_ref().unwrap().id, "e3");
    let err = got[3].as_ref().unwrap_err();
    assert!(err.contains("\"c1\" a second time"), "{err}");
}

#[tokio::test]
async fn a_next_page_uri_in_the_body_is_followed_from_the_base_url() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/Accounts.json"));
    let next = |token: &str| format!("/Accounts.json?PageSize=2&Page=1&PageToken={token}");
    page(
        &server,
        route().and(query_param("FriendlyName", "a")).and(query_param_is_missing("PageToken")),
        json!({"accounts": [{"id": "AC1"}, {"id": "AC2"}], "next_page_uri": next("PA2"), "page": 0}),
    )
    .await;
    page(
        &server,
        route().and(query_param("PageToken", "PA2")),
        json!({"accounts": [{"id": "AC3"}], "next_page_uri": null, "page": 1}),
    )
    .await;
    let params = client_tests::operations::twilio::TwilioListAccountParams {
        friendly_name: Some("a".into()),
        ..Default::default()
    };
    let c = client(&server);
    let got = collect(c.twilio().list_account_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["AC1", "AC2", "AC3"]);
}

#[tokio::test]
async fn link_headers_are_followed_to_the_last_page() {
    let server = MockServer::start().await;
    let base = server.uri();
    let route = || Mock::given(method("GET")).and(path("/repos/octo/issues")).and(query_param("per_page", "2"));
    let link = |next: Option<u32>| {
        let mut links = vec![format!("<{base}/repos/octo/issues?state=open&per_page=2&page=1>; rel=\"first\"")];
        links.extend(next.map(|n| format!("<{base}/repos/octo/issues?state=open&per_page=2&page={n}>; rel=\"next\"")));
        links.push(format!("<{base}/repos/octo/issues?state=open&per_page=2&page=3>; rel=\"last\""));
        links.join(", ")
    };
    let issues = |ns: &[i64]| json!(ns.iter().map(|n| json!({"number": n})).collect::<Vec<_>>());
    for (page_no, ns, next) in
        [(None, vec![1, 2], Some(2)), (Some("2"), vec![3, 4], Some(3)), (Some("3"), vec![5], None)]
    {
        let m = match page_no {
            None => route().and(query_param("state", "open")).and(query_param_is_missing("page")),
            Some(p) => route().and(query_param("page", p)),
        };
        m.respond_with(
            ResponseTemplate::new(200).set_body_json(issues(&ns)).insert_header("link", link(next).as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    }
    let params = GithubIssuesListForOwnerParams {
        state: Some(client_tests::types::GithubIssuesListForOwnerState::Open),
        per_page: Some(2),
        page: None,
    };
    let c = client(&server);
    let got = collect(c.github().issues_list_for_owner_stream("octo", &params)).await;
    let numbers: Vec<i64> = got.into_iter().map(|r| r.unwrap().number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn a_list_with_the_page_parameters_of_link_lists_follows_link_too() {
    let server = MockServer::start().await;
    let next = format!("<{}/repos/octo/events?page=2>; rel=\"next\"", server.uri());
    Mock::given(method("GET"))
        .and(path("/repos/octo/events"))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"id": "1"}])).insert_header("link", next.as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    page(
        &server,
        Mock::given(method("GET")).and(path("/repos/octo/events")).and(query_param("page", "2")),
        json!([{"id": "2"}]),
    )
    .await;
    let c = client(&server);
    let params = client_tests::operations::github::GithubActivityListRepoEventsParams::default();
    let got = collect(c.github().activity_list_repo_events_stream("octo", &params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["1", "2"]);
}

#[tokio::test]
async fn a_link_header_list_in_an_object_streams_its_one_list() {
    let server = MockServer::start().await;
    let next = format!("<{}/repos/octo/runners?page=2>; rel=\"next\"", server.uri());
    Mock::given(method("GET"))
        .and(path("/repos/octo/runners"))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": 3, "runners": [{"number": 1}, {"number": 2}]}))
                .insert_header("link", next.as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    page(
        &server,
        Mock::given(method("GET")).and(path("/repos/octo/runners")).and(query_param("page", "2")),
        json!({"total_count": 3, "runners": [{"number": 3}]}),
    )
    .await;
    let c = client(&server);
    let got = collect(c.github().actions_list_runners_stream("octo", &GithubActionsListRunnersParams::default())).await;
    let numbers: Vec<i64> = got.into_iter().map(|r| r.unwrap().number).collect();
    assert_eq!(numbers, [1, 2, 3]);
}

/// A caller's query parameter goes on every page once: added where the next
/// link lacks it, not repeated where the link echoes it.
#[tokio::test]
async fn next_links_get_the_callers_query_once() {
    let server = MockServer::start().await;
    let base = server.uri();
    let link = |page: u32, echo: bool| {
        let trace = if echo { "&trace=on" } else { "" };
        format!("<{base}/repos/octo/events?page={page}{trace}>; rel=\"next\"")
    };
    for (page_no, next) in [(None, Some(link(2, true))), (Some("2"), Some(link(3, false))), (Some("3"), None)] {
        let m = Mock::given(method("GET")).and(path("/repos/octo/events"));
        let m = match page_no {
            None => m.and(query_param_is_missing("page")),
            Some(p) => m.and(query_param("page", p)),
        };
        let mut answer = ResponseTemplate::new(200).set_body_json(json!([{"id": page_no.unwrap_or("1")}]));
        if let Some(next) = &next {
            answer = answer.insert_header("link", next.as_str());
        }
        m.respond_with(answer).expect(1).mount(&server).await;
    }
    let c = client(&server).with_options(client_tests::runtime::RequestOptions::new().query("trace", "on"));
    let params = client_tests::operations::github::GithubActivityListRepoEventsParams::default();
    let got = collect(c.github().activity_list_repo_events_stream("octo", &params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        let traces = r.url.query_pairs().filter(|(k, _)| k == "trace").count();
        assert_eq!(traces, 1, "{}", r.url);
    }
}

/// Items that are only their `id`.
pub(super) fn events(ids: &[&str]) -> Vec<serde_json::Value> {
    ids.iter().map(|id| json!({"id": id})).collect()
}

fn servers(ids: &[&str], next: serde_json::Value) -> serde_json::Value {
    json!({"servers": events(ids), "meta": {"pagination": {"page": 1, "next_page": next, "last_page": null}}})
}

/// Hetzner's lists: the caller's filters and page size go on every page,
/// the first page is the server's default, and `next_page: null` ends it.
#[tokio::test]
async fn page_numbers_follow_the_next_page_until_null() {
    let server = MockServer::start().await;
    let route = || {
        Mock::given(method("GET"))
            .and(path("/servers"))
            .and(query_param("name", "web"))
            .and(query_param("page_size", "2"))
    };
    page(&server, route().and(query_param_is_missing("page")), servers(&["s1", "s2"], json!(2))).await;
    page(&server, route().and(query_param("page", "2")), servers(&["s3", "s4"], json!(3))).await;
    page(&server, route().and(query_param("page", "3")), servers(&["s5"], json!(null))).await;
    let params = HetznerListServersParams { name: Some("web".into()), page_size: Some(2), ..Default::default() };
    let c = client(&server);
    let got = collect(c.hetzner().list_servers_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["s1", "s2", "s3", "s4", "s5"]);
}

#[tokio::test]
async fn a_repeated_next_page_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/servers"));
    page(&server, route().and(query_param("page", "1")), servers(&["s1"], json!(2))).await;
    page(&server, route().and(query_param("page", "2")), servers(&["s2"], json!(3))).await;
    // The server names a page it served before: the pages would loop.
    page(&server, route().and(query_param("page", "3")), servers(&["s3"], json!(2))).await;
    let params = HetznerListServersParams { page: Some(1), ..Default::default() };
    let c = client(&server);
    let got = collect(c.hetzner().list_servers_stream(&params)).await;
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[2].as_ref().unwrap().id, "s3");
    let err = got[3].as_ref().unwrap_err();
    assert!(err.contains("\"2\" a second time"), "{err}");
}

#[tokio::test]
async fn an_empty_page_ends_a_page_number_stream() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/servers"));
    page(&server, route().and(query_param_is_missing("page")), servers(&["s1"], json!(2))).await;
    // A next page on an empty page is not followed (no mock serves page 3).
    page(&server, route().and(query_param("page", "2")), servers(&[], json!(3))).await;
    let c = client(&server);
    let got = collect(c.hetzner().list_servers_stream(&HetznerListServersParams::default())).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["s1"]);
}

/// Laravel's lists: `meta.last_page` counts the pages from 1.
#[tokio::test]
async fn page_numbers_stop_at_the_page_count() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/posts")).and(query_param("limit", "2"));
    let posts = |ids: &[&str]| json!({"data": events(ids), "meta": {"current_page": 1, "last_page": 3, "total": 5}});
    page(&server, route().and(query_param_is_missing("page")), posts(&["p1", "p2"])).await;
    page(&server, route().and(query_param("page", "2")), posts(&["p3", "p4"])).await;
    // Full, but the last: page 4 is never asked for.
    page(&server, route().and(query_param("page", "3")), posts(&["p5", "p6"])).await;
    let params = LaravelListPostsParams { limit: Some(BoundedInt::new(2).unwrap()), ..Default::default() };
    let c = client(&server);
    let got = collect(c.laravel().list_posts_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["p1", "p2", "p3", "p4", "p5", "p6"]);
}

/// Pages counted from 0 (`page` has `minimum: 0`) until the items read
/// reach `total_count`.
#[tokio::test]
async fn page_numbers_from_zero_stop_at_the_total() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/tickets")).and(query_param("size", "2"));
    let tickets = |ids: &[&str]| json!({"tickets": events(ids), "total_count": 6});
    page(&server, route().and(query_param_is_missing("page")), tickets(&["t1", "t2"])).await;
    page(&server, route().and(query_param("page", "1")), tickets(&["t3", "t4"])).await;
    // Full, but the total is reached: page 3 is never asked for.
    page(&server, route().and(query_param("page", "2")), tickets(&["t5", "t6"])).await;
    let params = NumberedListTicketsParams { size: Some(2), ..Default::default() };
    let c = client(&server);
    let got = collect(c.numbered().list_tickets_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["t1", "t2", "t3", "t4", "t5", "t6"]);
}

/// MongoDB Atlas' lists: `pageNum` from 1 and `itemsPerPage`, until the
/// items read reach `totalCount`; the path argument is percent-encoded on
/// every page.
#[tokio::test]
async fn page_numbers_named_page_num_stop_at_the_total_count() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/groups/g%201/clusters")).and(query_param("itemsPerPage", "2"));
    let clusters =
        |ids: &[&str]| json!({"links": [{"href": "x", "rel": "self"}], "results": events(ids), "totalCount": 5});
    page(&server, route().and(query_param_is_missing("pageNum")), clusters(&["c1", "c2"])).await;
    page(&server, route().and(query_param("pageNum", "2")), clusters(&["c3", "c4"])).await;
    // Short and the total reached: page 4 is never asked for.
    page(&server, route().and(query_param("pageNum", "3")), clusters(&["c5"])).await;
    let params = NumberedListClustersParams { items_per_page: Some(BoundedInt::new(2).unwrap()), ..Default::default() };
    let c = client(&server);
    let got = collect(c.numbered().list_clusters_stream("g 1", &params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5"]);
}

#[tokio::test]
async fn a_list_sharing_the_cursor_of_a_link_list_follows_link_until_a_repeat() {
    let server = MockServer::start().await;
    let link = |after: &str| format!("<{}/api/v1/users?after={after}&limit=2>; rel=\"next\"", server.uri());
    let route = || Mock::given(method("GET")).and(path("/api/v1/users"));
    let pages = [(None, "u1", "c1"), (Some("c1"), "u2", "c2"), (Some("c2"), "u3", "c1")];
    for (after, id, next) in pages {
        let mock = match after {
            None => route().and(query_param_is_missing("after")),
            Some(a) => route().and(query_param("after", a)),
        };
        mock.respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"id": id}])).insert_header("link", link(next).as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    }
    let c = client(&server);
    let params = client_tests::operations::okta::OktaListUsersParams::default();
    let got = collect(c.okta().list_users_stream(&params)).await;
    assert_eq!(got.len(), 4, "{got:?}");
    let ids: Vec<&str> = got[..3].iter().map(|r| r.as_ref().unwrap().id.as_str()).collect();
    assert_eq!(ids, ["u1", "u2", "u3"]);
    // The third page links back to the second: the pages would loop.
    let err = got[3].as_ref().unwrap_err();
    assert!(err.contains("a second time"), "{err}");
}

/// Clerk's lists: offset 0 first, then one past the items read, with the
/// caller's filters, until the items reach `total_count`.
#[tokio::test]
async fn offsets_grow_by_the_items_read_until_the_total() {
    let server = MockServer::start().await;
    let route = || {
        Mock::given(method("GET"))
            .and(path("/organizations"))
            .and(query_param("query", "acme"))
            .and(query_param("limit", "2"))
    };
    let orgs = |ids: &[&str]| json!({"data": events(ids), "total_count": 5});
    page(&server, route().and(query_param("offset", "0")), orgs(&["o1", "o2"])).await;
    page(&server, route().and(query_param("offset", "2")), orgs(&["o3", "o4"])).await;
    // The total reached: offset 5 is never asked for.
    page(&server, route().and(query_param("offset", "4")), orgs(&["o5"])).await;
    let params = OffsetsListOrganizationsParams {
        limit: Some(BoundedInt::new(2).unwrap()),
        query: Some("acme".into()),
        ..Default::default()
    };
    let c = client(&server);
    let got = collect(c.offsets().list_organizations_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["o1", "o2", "o3", "o4", "o5"]);
}

/// Spotify's paging object: the caller's offset is the first.
#[tokio::test]
async fn an_offset_stream_starts_at_the_callers_offset() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/me/playlists"));
    let playlists = |ids: &[&str], offset: u32| json!({"href": "h", "items": events(ids), "limit": 2, "next": null, "offset": offset, "previous": null, "total": 13});
    page(&server, route().and(query_param("offset", "10")), playlists(&["p10", "p11"], 10)).await;
    page(&server, route().and(query_param("offset", "12")), playlists(&["p12"], 12)).await;
    let params = OffsetsGetAListOfCurrentUsersPlaylistsParams { offset: Some(10), ..Default::default() };
    let c = client(&server);
    let got = collect(c.offsets().get_a_list_of_current_users_playlists_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["p10", "p11", "p12"]);
}

/// PagerDuty's lists: `total` is `null` unless asked for, and `more: false`
/// ends the stream on a full page.
#[tokio::test]
async fn an_offset_stream_stops_when_more_is_false() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/users"));
    let users =
        |ids: &[&str], more: bool| json!({"users": events(ids), "offset": 0, "limit": 2, "more": more, "total": null});
    page(&server, route().and(query_param("offset", "0")), users(&["u1", "u2"], true)).await;
    page(&server, route().and(query_param("offset", "2")), users(&["u3", "u4"], true)).await;
    page(&server, route().and(query_param("offset", "4")), users(&["u5", "u6"], false)).await;
    let c = client(&server);
    let got = collect(c.offsets().list_pagerduty_users_stream(&OffsetsListPagerdutyUsersParams::default())).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5", "u6"]);
}

/// A server that serves the same page whatever the offset, or an empty
/// one, cannot make an offset stream loop: the total or the empty page
/// ends it (each mock answers once).
#[tokio::test]
async fn a_repeated_or_empty_offset_page_ends_the_stream() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/organizations"));
    let orgs = |ids: &[&str]| json!({"data": events(ids), "total_count": 4});
    page(&server, route().and(query_param("offset", "0")), orgs(&["o1", "o2"])).await;
    page(&server, route().and(query_param("offset", "2")), orgs(&["o1", "o2"])).await;
    let c = client(&server);
    let got = collect(c.offsets().list_organizations_stream(&OffsetsListOrganizationsParams::default())).await;
    assert_eq!(got.len(), 4, "{got:?}");
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/users"));
    page(&server, route().and(query_param("offset", "0")), json!({"users": events(&["u1"]), "more": true})).await;
    page(&server, route().and(query_param("offset", "1")), json!({"users": [], "more": true})).await;
    let c = client(&server);
    let got = collect(c.offsets().list_pagerduty_users_stream(&OffsetsListPagerdutyUsersParams::default())).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["u1"]);
}

fn app_id(n: u8) -> String {
    format!("app_{n:0>27}")
}

/// Svix's lists: the `iterator` goes back in `?iterator=` (a patterned
/// parameter) until `done`, though the last page still has an iterator.
#[tokio::test]
async fn an_iterator_is_followed_until_done() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/api/v1/app")).and(query_param("order", "ascending"));
    let apps = |ids: &[&str], next: String, done: bool| json!({"data": events(ids), "iterator": next, "prevIterator": null, "done": done});
    page(&server, route().and(query_param_is_missing("iterator")), apps(&["a1"], app_id(1), false)).await;
    page(&server, route().and(query_param("iterator", app_id(1))), apps(&["a2"], app_id(2), false)).await;
    // Done: its iterator is never sent.
    page(&server, route().and(query_param("iterator", app_id(2))), apps(&["a3"], app_id(3), true)).await;
    let params = DoneV1ApplicationListParams {
        order: Some(client_tests::types::DoneV1ApplicationListOrder::Ascending),
        ..Default::default()
    };
    let c = client(&server);
    let got = collect(c.done().v1_application_list_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["a1", "a2", "a3"]);
}

/// Figma's analytics: `next_page: false` ends it, and the cursor is absent.
#[tokio::test]
async fn a_cursor_is_followed_while_next_page_is_true() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/v1/analytics/actions")).and(query_param("group_by", "team"));
    page(
        &server,
        route().and(query_param_is_missing("cursor")),
        json!({"rows": events(&["r1"]), "next_page": true, "cursor": "k1"}),
    )
    .await;
    page(
        &server,
        route().and(query_param("cursor", "k1")),
        json!({"rows": events(&["r2"]), "next_page": true, "cursor": "k2"}),
    )
    .await;
    page(&server, route().and(query_param("cursor", "k2")), json!({"rows": events(&["r3"]), "next_page": false})).await;
    let params =
        DoneGetLibraryAnalyticsActionsParams::new(client_tests::types::DoneGetLibraryAnalyticsActionsGroupBy::Team);
    let c = client(&server);
    let got = collect(c.done().get_library_analytics_actions_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["r1", "r2", "r3"]);
}

/// Figma's analytics: a page's `rows` is a list of one item type or of
/// another (`group_by`); the stream yields either, keeps a list that fits
/// neither item by item, and ends on a repeated cursor.
#[tokio::test]
async fn a_union_of_lists_streams_each_lists_items_and_keeps_the_unknown() {
    use client_tests::types::DoneGetLibraryAnalyticsUsagesResponseRowsItem as Row;
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/v1/analytics/usages")).and(query_param("group_by", "team"));
    let teams = json!([{"team_name": "t1", "usages": 3}, {"team_name": "t2", "usages": 0}]);
    page(
        &server,
        route().and(query_param_is_missing("cursor")),
        json!({"rows": teams, "next_page": true, "cursor": "k1"}),
    )
    .await;
    // Neither list: one row of each kind, and one of neither.
    let mixed = json!([{"team_name": "t3", "usages": 1}, {"component_key": "c1", "usages": 2}, {"other": true}]);
    page(&server, route().and(query_param("cursor", "k1")), json!({"rows": mixed, "next_page": true, "cursor": "k2"}))
        .await;
    let assets = json!([{"component_key": "c2", "usages": 5}]);
    page(&server, route().and(query_param("cursor", "k2")), json!({"rows": assets, "next_page": true, "cursor": "k3"}))
        .await;
    // No rows at all (`rows` is optional): no items, and the walk goes on.
    page(&server, route().and(query_param("cursor", "k3")), json!({"next_page": true, "cursor": "k1"})).await;
    let params =
        DoneGetLibraryAnalyticsUsagesParams::new(client_tests::types::DoneGetLibraryAnalyticsUsagesGroupBy::Team);
    let c = client(&server);
    let got = collect(c.done().get_library_analytics_usages_stream(&params)).await;
    let seen: Vec<String> = got
        .iter()
        .map(|r| match r {
            Ok(Row::TeamUsage(t)) => format!("team {} {}", t.team_name, t.usages),
            Ok(Row::AssetUsage(a)) => format!("asset {} {}", a.component_key, a.usages),
            Ok(Row::Unknown(v)) => format!("unknown {v}"),
            Err(e) => format!("error {e}"),
        })
        .collect();
    assert_eq!(
        seen[..6],
        ["team t1 3", "team t2 0", "team t3 1", "asset c1 2", r#"unknown {"other":true}"#, "asset c2 5"]
    );
    assert_eq!(seen.len(), 7, "{seen:?}");
    assert!(seen[6].starts_with("error") && seen[6].contains("\"k1\" a second time"), "{}", seen[6]);
}

/// Notion's lists: `next_cursor` goes back in `start_cursor` while
/// `has_more`; a cursor given twice ends the stream with an error.
#[tokio::test]
async fn a_repeated_cursor_with_has_more_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/blocks/b1/children"));
    let blocks = |ids: &[&str], next: &str| json!({"results": events(ids), "next_cursor": next, "has_more": true});
    page(&server, route().and(query_param_is_missing("start_cursor")), blocks(&["b1"], "n1")).await;
    page(&server, route().and(query_param("start_cursor", "n1")), blocks(&["b2"], "n2")).await;
    // Back to a cursor given before: the pages would loop.
    page(&server, route().and(query_param("start_cursor", "n2")), blocks(&["b3"], "n1")).await;
    let c = client(&server);
    let got = collect(c.done().get_block_children_stream("b1", &DoneGetBlockChildrenParams::default())).await;
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[2].as_ref().unwrap().id, "b3");
    let err = got[3].as_ref().unwrap_err();
    assert!(err.contains("\"n1\" a second time"), "{err}");
}

#[tokio::test]
async fn a_bookmark_echoed_under_its_own_name_is_followed_until_null() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/boards")).and(query_param("privacy", "public"));
    page(&server, route().and(query_param_is_missing("bookmark")), json!({"items": [{"id": "b1"}], "bookmark": "k1"}))
        .await;
    page(&server, route().and(query_param("bookmark", "k1")), json!({"items": [{"id": "b2"}], "bookmark": "k2"})).await;
    page(&server, route().and(query_param("bookmark", "k2")), json!({"items": [{"id": "b3"}], "bookmark": null})).await;
    let params = BookmarkBoardsListParams { privacy: Some("public".into()), ..Default::default() };
    let c = client(&server);
    let got = collect(c.bookmark().boards_list_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["b1", "b2", "b3"]);
}

#[tokio::test]
async fn a_repeated_or_absent_bookmark_ends_the_stream() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/boards"));
    page(&server, route().and(query_param_is_missing("bookmark")), json!({"items": [{"id": "b1"}], "bookmark": "k1"}))
        .await;
    // The server hands back the bookmark it was sent: the pages would loop.
    page(&server, route().and(query_param("bookmark", "k1")), json!({"items": [{"id": "b2"}], "bookmark": "k1"})).await;
    let c = client(&server);
    let got = collect(c.bookmark().boards_list_stream(&BookmarkBoardsListParams::default())).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[1].as_ref().unwrap().id, "b2");
    let err = got[2].as_ref().unwrap_err();
    assert!(err.contains("\"k1\" a second time"), "{err}");

    let server = MockServer::start().await;
    // No bookmark at all on the last page: the stream ends there.
    page(&server, Mock::given(method("GET")).and(path("/boards")), json!({"items": [{"id": "b1"}, {"id": "b2"}]}))
        .await;
    let got = collect(client(&server).bookmark().boards_list_stream(&Default::default())).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["b1", "b2"]);
}

/// Okta's wrapper lists: `_links.next.href` is followed until a page has
/// no `next`, and a link given before ends the stream.
#[tokio::test]
async fn a_hal_next_link_is_followed_until_absent_or_repeated() {
    let server = MockServer::start().await;
    let href = |after: &str| json!({"next": {"href": format!("{}/api/v1/iam/roles?after={after}", server.uri())}});
    let route = || Mock::given(method("GET")).and(path("/api/v1/iam/roles"));
    page(&server, route().and(query_param_is_missing("after")), json!({"roles": [{"id": "r1"}], "_links": href("c1")}))
        .await;
    page(&server, route().and(query_param("after", "c1")), json!({"roles": [{"id": "r2"}], "_links": href("c2")}))
        .await;
    page(&server, route().and(query_param("after", "c2")), json!({"roles": [{"id": "r3"}], "_links": {}})).await;
    let c = client(&server);
    let params = client_tests::operations::okta::OktaListRolesParams::default();
    let got = collect(c.okta().list_roles_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["r1", "r2", "r3"]);

    let server = MockServer::start().await;
    let href = |after: &str| json!({"next": {"href": format!("{}/api/v1/iam/roles?after={after}", server.uri())}});
    page(&server, route().and(query_param_is_missing("after")), json!({"roles": [{"id": "r1"}], "_links": href("c1")}))
        .await;
    // The second page links to itself: the pages would loop.
    page(&server, route().and(query_param("after", "c1")), json!({"roles": [{"id": "r2"}], "_links": href("c1")}))
        .await;
    let got = collect(client(&server).okta().list_roles_stream(&params)).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[1].as_ref().unwrap().id, "r2");
    let err = got[2].as_ref().unwrap_err();
    assert!(err.contains("a second time"), "{err}");
}

/// PagerDuty's v3 schedules: no total, so `more` must say more follow
/// (absent ends it), and a page echoing another offset than the one sent
/// was served before: the stream ends rather than loop.
#[tokio::test]
async fn offsets_with_only_a_more_flag_stop_when_it_says_nothing_or_a_page_repeats() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/schedules"));
    let page_at = |offset: u64, ids: &[&str], more: Option<bool>| {
        let mut body = json!({"schedules": events(ids), "offset": offset, "limit": 2});
        if let Some(m) = more {
            body["more"] = json!(m);
        }
        body
    };
    page(&server, route().and(query_param("offset", "0")), page_at(0, &["s1", "s2"], Some(true))).await;
    page(&server, route().and(query_param("offset", "2")), page_at(2, &["s3", "s4"], Some(true))).await;
    page(&server, route().and(query_param("offset", "4")), page_at(4, &["s5"], None)).await;
    let c = client(&server);
    let params = client_tests::operations::offsets::OffsetsListSchedulesParams::default();
    let got = collect(c.offsets().list_schedules_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["s1", "s2", "s3", "s4", "s5"]);

    // A server ignoring `offset` serves the first page again, `more: true`.
    let server = MockServer::start().await;
    page(&server, route().and(query_param("offset", "0")), page_at(0, &["s1", "s2"], Some(true))).await;
    page(&server, route().and(query_param("offset", "2")), page_at(0, &["s1", "s2"], Some(true))).await;
    let got = collect(client(&server).offsets().list_schedules_stream(&params)).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[1].as_ref().unwrap().id, "s2");
    let err = got[2].as_ref().unwrap_err();
    assert!(err.contains("\"0\" a second time"), "{err}");
}

/// Clerk's bare arrays: offsets until a page is shorter than the `limit`
/// sent, or, with none sent, than the largest page read; a server ignoring
/// the offset serves the same page again, which ends the stream.
#[tokio::test]
async fn a_bare_array_by_offset_stops_on_a_short_page_or_a_repeated_one() {
    use client_tests::operations::offsets::OffsetsGetClientListParams;
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/clients"));
    page(&server, route().and(query_param("offset", "0")).and(query_param("limit", "2")), json!(events(&["c1", "c2"])))
        .await;
    page(&server, route().and(query_param("offset", "2")).and(query_param("limit", "2")), json!(events(&["c3", "c4"])))
        .await;
    page(&server, route().and(query_param("offset", "4")).and(query_param("limit", "2")), json!(events(&["c5"]))).await;
    let c = client(&server);
    let params = OffsetsGetClientListParams { limit: Some(BoundedInt::new(2).unwrap()), ..Default::default() };
    let got = collect(c.offsets().get_client_list_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5"]);

    // No limit sent: the server's page size is the largest page read.
    let server = MockServer::start().await;
    let unsized_route = || route().and(query_param_is_missing("limit"));
    page(&server, unsized_route().and(query_param("offset", "0")), json!(events(&["c1", "c2", "c3"]))).await;
    page(&server, unsized_route().and(query_param("offset", "3")), json!(events(&["c4", "c5"]))).await;
    let got = collect(client(&server).offsets().get_client_list_stream(&Default::default())).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5"]);

    let server = MockServer::start().await;
    page(&server, route().and(query_param("offset", "0")), json!(events(&["c1", "c2"]))).await;
    page(&server, route().and(query_param("offset", "2")), json!(events(&["c1", "c2"]))).await;
    let got = collect(client(&server).offsets().get_client_list_stream(&Default::default())).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[1].as_ref().unwrap().id, "c2");
    let err = got[2].as_ref().unwrap_err();
    assert!(err.contains("\"2\" a second time"), "{err}");
}

/// Clerk's API keys take `offset` and `limit` as numbers: the offsets are
/// sent as whole numbers until the total.
#[tokio::test]
async fn a_number_offset_is_sent_as_a_whole_number_until_the_total() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/api_keys"));
    let keys = |ids: &[&str]| json!({"data": events(ids), "total_count": 5});
    page(&server, route().and(query_param("offset", "0")), keys(&["k1", "k2"])).await;
    page(&server, route().and(query_param("offset", "2")), keys(&["k3", "k4"])).await;
    page(&server, route().and(query_param("offset", "4")), keys(&["k5"])).await;
    let c = client(&server);
    let params = client_tests::operations::offsets::OffsetsGetApiKeysParams::default();
    let got = collect(c.offsets().get_api_keys_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["k1", "k2", "k3", "k4", "k5"]);
}

/// Mastodon's home timeline: `Link` pages, and a bodiless 206 while the
/// feed is rebuilt, which ends the stream after the items read; a link
/// given before ends it with an error.
#[tokio::test]
async fn a_bodiless_success_beside_the_list_ends_a_link_stream() {
    let server = MockServer::start().await;
    let link = |max: &str| format!("<{}/api/v1/timelines/home?max_id={max}>; rel=\"next\"", server.uri());
    let route = || Mock::given(method("GET")).and(path("/api/v1/timelines/home"));
    let listed = |ids: &[&str], max: &str| {
        ResponseTemplate::new(200).set_body_json(json!(events(ids))).insert_header("link", link(max).as_str())
    };
    route()
        .and(query_param_is_missing("max_id"))
        .respond_with(listed(&["h1", "h2"], "m1"))
        .expect(1)
        .mount(&server)
        .await;
    route().and(query_param("max_id", "m1")).respond_with(listed(&["h3"], "m2")).expect(1).mount(&server).await;
    route().and(query_param("max_id", "m2")).respond_with(ResponseTemplate::new(206)).expect(1).mount(&server).await;
    let c = client(&server);
    let params = client_tests::operations::mastodon::MastodonGetTimelinesHomeParams::default();
    let got = collect(c.mastodon().get_timelines_home_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["h1", "h2", "h3"]);

    let server = MockServer::start().await;
    let link = format!("<{}/api/v1/timelines/home?max_id=m1>; rel=\"next\"", server.uri());
    let again =
        || ResponseTemplate::new(200).set_body_json(json!(events(&["h1"]))).insert_header("link", link.as_str());
    route().and(query_param_is_missing("max_id")).respond_with(again()).expect(1).mount(&server).await;
    // The second page links to itself: the pages would loop.
    route().and(query_param("max_id", "m1")).respond_with(again()).expect(1).mount(&server).await;
    let got = collect(client(&server).mastodon().get_timelines_home_stream(&params)).await;
    assert_eq!(got.len(), 3, "{got:?}");
    let err = got[2].as_ref().unwrap_err();
    assert!(err.contains("a second time"), "{err}");
}

/// Mastodon's grouped notifications: three lists beside the `Link` header;
/// the one named after the path is the stream's, the accounts and statuses
/// it refers to are the page's.
#[tokio::test]
async fn the_list_named_after_the_path_is_streamed_of_several() {
    let server = MockServer::start().await;
    let link = |max: &str| format!("<{}/api/v2/notifications?max_id={max}>; rel=\"next\"", server.uri());
    let route = || Mock::given(method("GET")).and(path("/api/v2/notifications"));
    let body = |ids: &[&str]| json!({"accounts": [], "notification_groups": events(ids), "statuses": []});
    route()
        .and(query_param_is_missing("max_id"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(body(&["g1", "g2"])).insert_header("link", link("m1").as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    route()
        .and(query_param("max_id", "m1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(&["g3"])))
        .expect(1)
        .mount(&server)
        .await;
    let params = client_tests::operations::mastodon::MastodonGetGroupedNotificationsParams::default();
    let got = collect(client(&server).mastodon().get_grouped_notifications_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["g1", "g2", "g3"]);
}

/// Auth0's raw description, without our settings: `page` from 0 with the
/// totals asked for, read until the total; a bare list (a server ignoring
/// `include_totals`) ends on a short page.
#[tokio::test]
async fn a_page_index_beside_start_and_total_is_read_from_zero_to_the_total() {
    use client_tests::operations::pageindex::PageindexGetUsersParams;
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/api/v2/users")).and(query_param("include_totals", "true"));
    let body = |start: u32, ids: &[&str]| json!({"start": start, "limit": 2, "length": ids.len(), "total": 5, "users": events(ids)});
    page(&server, route().and(query_param("page", "0")), body(0, &["u1", "u2"])).await;
    page(&server, route().and(query_param("page", "1")), body(2, &["u3", "u4"])).await;
    page(&server, route().and(query_param("page", "2")), body(4, &["u5"])).await;
    let params = PageindexGetUsersParams::default().q("x");
    let got = collect(client(&server).pageindex().get_users_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5"]);

    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/api/v2/users"));
    page(&server, route().and(query_param("page", "1")), json!(events(&["u3", "u4"]))).await;
    page(&server, route().and(query_param("page", "2")), json!(events(&["u5"]))).await;
    let got = collect(client(&server).pageindex().get_users_stream(&PageindexGetUsersParams::default().page(1))).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["u3", "u4", "u5"]);
}

/// Spotify's featured playlists: the paging object one level down, by
/// offset until its total; a page's `items()` and `total()` reach into it.
#[tokio::test]
async fn a_paging_object_inside_the_response_is_read_to_its_total() {
    use client_tests::operations::offsets::OffsetsGetFeaturedPlaylistsParams;
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/browse/featured-playlists"));
    let playlists = |ids: &[&str]| json!({"message": "Popular", "playlists": {"items": events(ids), "total": 3}});
    page(&server, route().and(query_param("offset", "0")), playlists(&["p1", "p2"])).await;
    page(&server, route().and(query_param("offset", "2")), playlists(&["p3"])).await;
    let c = client(&server);
    let got = collect(c.offsets().get_featured_playlists_stream(&OffsetsGetFeaturedPlaylistsParams::default())).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["p1", "p2", "p3"]);

    let server = MockServer::start().await;
    page(&server, route(), playlists(&["p1", "p2"])).await;
    let one = client(&server).offsets().get_featured_playlists(&Default::default()).await.unwrap().into_inner();
    assert_eq!(one.items().len(), 2);
    assert_eq!(one.total(), Some(3));
    assert_eq!(one.into_items().len(), 2);
}

#[tokio::test]
async fn a_cursor_object_one_level_down_is_sent_back_in_after_until_it_is_null() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/me/following")).and(query_param("type", "artist"));
    let body = |ids: &[&str], after: serde_json::Value| {
        let items: Vec<serde_json::Value> = ids.iter().map(|id| json!({"id": id})).collect();
        json!({"artists": {"items": items, "next": null, "cursors": {"after": after}, "limit": 2}})
    };
    page(&server, route().and(query_param_is_missing("after")), body(&["a1", "a2"], json!("a2"))).await;
    page(&server, route().and(query_param("after", "a2")), body(&["a3", "a4"], json!("a4"))).await;
    page(&server, route().and(query_param("after", "a4")), body(&["a5"], json!(null))).await;
    let c = client(&server);
    let got = collect(c.cursors().get_followed_stream(&CursorsGetFollowedParams::new())).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["a1", "a2", "a3", "a4", "a5"]);
}

#[tokio::test]
async fn a_cursor_object_sent_in_an_integer_parameter_ends_on_a_repeat_with_an_error() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/me/player/recently-played"));
    let body = |id: &str, after: &str| json!({"items": [{"id": id}], "cursors": {"after": after}});
    page(&server, route().and(query_param_is_missing("after")), body("t1", "100")).await;
    page(&server, route().and(query_param("after", "100")), body("t2", "200")).await;
    // The server gives a cursor it gave before: the pages would loop.
    page(&server, route().and(query_param("after", "200")), body("t3", "100")).await;
    let c = client(&server);
    let got = collect(c.cursors().get_recently_played_stream(&CursorsGetRecentlyPlayedParams::default())).await;
    assert_eq!(got.len(), 4, "{got:?}");
    let ids: Vec<&str> = got[..3].iter().map(|r| r.as_ref().unwrap().id.as_str()).collect();
    assert_eq!(ids, ["t1", "t2", "t3"]);
    let err = got[3].as_ref().unwrap_err();
    assert!(err.contains("\"100\" a second time"), "{err}");
}

#[tokio::test]
async fn a_cursor_no_integer_parameter_can_hold_ends_the_stream() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/me/player/recently-played"));
    page(
        &server,
        route().and(query_param("after", "5")),
        json!({"items": [{"id": "t1"}], "cursors": {"after": "not-a-number"}}),
    )
    .await;
    let c = client(&server);
    let params = CursorsGetRecentlyPlayedParams { after: Some(5), ..Default::default() };
    let got = collect(c.cursors().get_recently_played_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["t1"]);
}

#[tokio::test]
async fn a_number_cursor_in_a_meta_object_is_sent_as_a_whole_number_until_absent() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/teams/t1/components"));
    let body = |id: &str, cursor: serde_json::Value| json!({"status": 200, "error": false, "meta": {"components": [{"id": id}], "cursor": cursor}});
    page(&server, route().and(query_param_is_missing("after")), body("c1", json!({"after": 7}))).await;
    page(&server, route().and(query_param("after", "7")), body("c2", json!({"before": 7, "after": 12}))).await;
    page(&server, route().and(query_param("after", "12")), body("c3", json!({"before": 12}))).await;
    let c = client(&server);
    let got = collect(c.cursors().get_team_components_stream("t1", &CursorsGetTeamComponentsParams::default())).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);
}

#[tokio::test]
async fn pagination_next_page_links_are_followed_until_absent_or_repeated() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/files/k1/versions"));
    let body = |id: &str, next: Option<&str>| {
        let mut pagination = json!({"prev_page": "/files/k1/versions?after=0"});
        if let Some(next) = next {
            pagination["next_page"] = json!(next);
        }
        json!({"versions": [{"id": id}], "pagination": pagination})
    };
    let link = |before: u32| format!("/files/k1/versions?page_size=1&before={before}");
    page(&server, route().and(query_param_is_missing("before")), body("v9", Some(&link(8)))).await;
    page(&server, route().and(query_param("before", "8")), body("v8", Some(&link(7)))).await;
    // The server links back to a page it linked before: the pages would loop.
    page(&server, route().and(query_param("before", "7")), body("v7", Some(&link(8)))).await;
    let c = client(&server);
    let got = collect(c.links().get_file_versions_stream("k1", &LinksGetFileVersionsParams::default())).await;
    assert_eq!(got.len(), 4, "{got:?}");
    let ids: Vec<&str> = got[..3].iter().map(|r| r.as_ref().unwrap().id.as_str()).collect();
    assert_eq!(ids, ["v9", "v8", "v7"]);
    let err = got[3].as_ref().unwrap_err();
    assert!(err.contains("a second time"), "{err}");

    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/files/k1/versions"));
    page(&server, route().and(query_param_is_missing("before")), body("v2", Some(&link(1)))).await;
    page(&server, route().and(query_param("before", "1")), body("v1", None)).await;
    let c = client(&server);
    let got = collect(c.links().get_file_versions_stream("k1", &LinksGetFileVersionsParams::default())).await;
    let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["v2", "v1"]);
}
