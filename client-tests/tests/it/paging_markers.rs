//! Streams over the paging shapes of Box, Adyen, Resend, Xero and PayPal (the
//! `markers` operations of `generator/tests/fixtures/paging_conventions.yaml`):
//! a `next_marker` sent back in `marker`, offsets preferred where a list
//! takes both, a `link.next.href` followed with the required page
//! parameters, `has_more` with uuid ids, and page numbers to a page count
//! with the list named after the path (a bounded one too); each walked over
//! several pages of a server on 127.0.0.1 to what ends it.

use client_tests::operations::markers::{
    MarkersGetInvoicesParams, MarkersGetMarkerUsersParams, MarkersGetMarkerWebhooksParams, MarkersListDevicesParams,
    MarkersListHooksParams, MarkersListPlansParams,
};
use client_tests::runtime::StreamExt;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::Mock;
use wiremock::MockServer;

use super::paging_conventions::{client, events, page};

/// Box: `next_marker` goes back in `?marker=` with the caller's `limit`;
/// `entries` are the items, not the `order` beside them; `null` ends it.
#[tokio::test]
async fn a_next_marker_goes_back_in_marker_until_null() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/markers/webhooks")).and(query_param("limit", "2"));
    let order = json!([{"by": "id", "direction": "ASC"}]);
    let body = |ids: &[&str], next: serde_json::Value| json!({"limit": 2, "next_marker": next, "prev_marker": null, "entries": events(ids), "order": order});
    page(&server, route().and(query_param_is_missing("marker")), body(&["w1", "w2"], json!("m1"))).await;
    page(&server, route().and(query_param("marker", "m1")), body(&["w3", "w4"], json!("m2"))).await;
    page(&server, route().and(query_param("marker", "m2")), body(&["w5"], json!(null))).await;
    let params = MarkersGetMarkerWebhooksParams::default().limit(2).unwrap();
    let c = client(&server);
    let ids: Vec<String> =
        c.markers().get_marker_webhooks_stream(&params).map(|r| r.unwrap().id).collect::<Vec<_>>().await;
    assert_eq!(ids, ["w1", "w2", "w3", "w4", "w5"]);
}

/// Box's users page by offset unless asked for markers: the stream sends
/// offsets to `total_count` and never a marker, though the body has one.
#[tokio::test]
async fn a_list_paged_both_ways_is_read_by_offset_to_its_total() {
    let server = MockServer::start().await;
    let route = || {
        Mock::given(method("GET"))
            .and(path("/markers/users"))
            .and(query_param("limit", "2"))
            .and(query_param_is_missing("marker"))
    };
    let body = |offset: u64, ids: &[&str]| json!({"total_count": 5, "limit": 2, "offset": offset, "next_marker": "never-sent", "entries": events(ids)});
    page(&server, route().and(query_param("offset", "0")), body(0, &["u1", "u2"])).await;
    page(&server, route().and(query_param("offset", "2")), body(2, &["u3", "u4"])).await;
    page(&server, route().and(query_param("offset", "4")), body(4, &["u5"])).await;
    let params = MarkersGetMarkerUsersParams::default().offset(0).limit(2).unwrap();
    let c = client(&server);
    let ids: Vec<String> =
        c.markers().get_marker_users_stream(&params).map(|r| r.unwrap().id).collect::<Vec<_>>().await;
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5"]);
}

/// Adyen: the first page gets the required `pageNumber` and `pageSize`,
/// later ones are `link.next.href` as it is; no `next` ends the stream.
#[tokio::test]
async fn a_link_next_href_is_followed_from_the_required_first_page() {
    let server = MockServer::start().await;
    let href = |n: u32| json!({"href": format!("{}/markers/devices?pageNumber={n}&pageSize=2", server.uri())});
    let route = |n: &str| {
        Mock::given(method("GET"))
            .and(path("/markers/devices"))
            .and(query_param("pageNumber", n))
            .and(query_param("pageSize", "2"))
    };
    let body = |ids: &[&str], next: Option<u32>| {
        let mut link = json!({"first": href(1)});
        if let Some(n) = next {
            link["next"] = href(n);
        }
        json!({"data": events(ids), "itemsTotal": 5, "pagesTotal": 3, "link": link})
    };
    page(&server, route("1"), body(&["d1", "d2"], Some(2))).await;
    page(&server, route("2"), body(&["d3", "d4"], Some(3))).await;
    page(&server, route("3"), body(&["d5"], None)).await;
    let params = MarkersListDevicesParams::new(1, 2).unwrap();
    let c = client(&server);
    let ids: Vec<String> = c.markers().list_devices_stream(&params).map(|r| r.unwrap().id).collect::<Vec<_>>().await;
    assert_eq!(ids, ["d1", "d2", "d3", "d4", "d5"]);
}

/// Resend: while `has_more`, the next page starts `after` the last item's
/// id, a uuid sent as the text it was read from.
#[tokio::test]
async fn has_more_starts_after_the_last_uuid() {
    let server = MockServer::start().await;
    let id = |n: u8| format!("479e3145-dd38-476b-932c-529ceb7059{n:02}");
    let route = || Mock::given(method("GET")).and(path("/markers/hooks")).and(query_param("limit", "2"));
    let body = |ns: &[u8], more: bool| {
        let data: Vec<_> = ns.iter().map(|n| json!({"id": id(*n), "endpoint": "https://h.example"})).collect();
        json!({"object": "list", "has_more": more, "data": data})
    };
    page(&server, route().and(query_param_is_missing("after")), body(&[1, 2], true)).await;
    page(&server, route().and(query_param("after", id(2).as_str())), body(&[3], false)).await;
    let params = MarkersListHooksParams::default().limit(2);
    let c = client(&server);
    let ids: Vec<String> = c
        .markers()
        .list_hooks_stream(&params)
        .map(|r| r.unwrap().id.map(|u| u.to_string()).unwrap_or_default())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(ids, [id(1), id(2), id(3)]);
}

/// Xero: the `Invoices` of `/Invoices` (not the `Warnings` beside them),
/// page after page to `pagination.pageCount`, with the caller's `pageSize`.
#[tokio::test]
async fn page_numbers_read_the_list_named_after_the_path_to_the_page_count() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/markers/Invoices")).and(query_param("pageSize", "2"));
    let body = |page: u32, ids: &[&str]| {
        json!({
            "pagination": {"page": page, "pageSize": 2, "pageCount": 3, "itemCount": 5},
            "Warnings": [{"Message": "not an invoice"}],
            "Invoices": events(ids)
        })
    };
    page(&server, route().and(query_param_is_missing("page")), body(1, &["i1", "i2"])).await;
    page(&server, route().and(query_param("page", "2")), body(2, &["i3", "i4"])).await;
    page(&server, route().and(query_param("page", "3")), body(3, &["i5"])).await;
    let params = MarkersGetInvoicesParams::default().page_size(2);
    let c = client(&server);
    let ids: Vec<String> = c.markers().get_invoices_stream(&params).map(|r| r.unwrap().id).collect::<Vec<_>>().await;
    assert_eq!(ids, ["i1", "i2", "i3", "i4", "i5"]);
}

/// PayPal: `plans`, a list with a `maxItems`, read page after page to
/// `total_pages`; the HATEOAS `links` beside it are not items.
#[tokio::test]
async fn a_bounded_list_is_streamed_to_the_page_count() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/markers/plans")).and(query_param("page_size", "2"));
    let body = |ids: &[&str]| {
        let links = json!([{"href": "https://api.example.com/markers/plans?page=2", "rel": "next", "method": "GET"}]);
        json!({"plans": events(ids), "total_items": 5, "total_pages": 3, "links": links})
    };
    page(&server, route().and(query_param("page", "1")), body(&["p1", "p2"])).await;
    page(&server, route().and(query_param("page", "2")), body(&["p3", "p4"])).await;
    page(&server, route().and(query_param("page", "3")), body(&["p5"])).await;
    let params = MarkersListPlansParams::default().page(1).unwrap().page_size(2).unwrap();
    let c = client(&server);
    let ids: Vec<String> = c.markers().list_plans_stream(&params).map(|r| r.unwrap().id).collect::<Vec<_>>().await;
    assert_eq!(ids, ["p1", "p2", "p3", "p4", "p5"]);
}
