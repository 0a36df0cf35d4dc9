//! The typed page accessors of list responses: `items()`, `into_items()`
//! and `total()` read every shape Auth0 answers a list with (a bare array,
//! the totals object of `include_totals`, a checkpoint page), so a caller
//! of `list` does not match on the response's shapes.

use auth0_management_api::operations::organizations::ListOrganizationsRequestParameters;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{builder, RecordingSleeper};

fn orgs(ids: &[&str]) -> serde_json::Value {
    ids.iter().map(|id| json!({"id": id, "name": id})).collect()
}

#[tokio::test]
async fn every_page_shape_gives_its_items_and_the_total_when_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/organizations"))
        .and(query_param("include_totals", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "start": 0, "limit": 2, "total": 120, "organizations": orgs(&["org_1", "org_2"])
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/organizations"))
        .and(query_param("take", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"next": "cursor", "organizations": orgs(&["org_3", "org_4"])})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/organizations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(orgs(&["org_5"])))
        .mount(&server)
        .await;
    let client = builder(&server, &RecordingSleeper::default()).build().unwrap();
    let orgs = client.organizations();

    let totals = orgs.list(&ListOrganizationsRequestParameters::default().include_totals(true)).await.unwrap();
    let ids: Vec<_> = totals.items().iter().map(|o| o.id.as_ref().unwrap().to_string()).collect();
    assert_eq!(ids, ["org_1", "org_2"]);
    assert_eq!(totals.total(), Some(120));

    let checkpoint = orgs.list(&ListOrganizationsRequestParameters::default().take(2).unwrap()).await.unwrap();
    assert_eq!(checkpoint.total(), None, "a checkpoint page has no total");
    let owned = checkpoint.into_inner().into_items();
    assert_eq!(owned.iter().map(|o| o.id.as_ref().unwrap().to_string()).collect::<Vec<_>>(), ["org_3", "org_4"]);

    let bare = orgs.list(&Default::default()).await.unwrap();
    assert_eq!(bare.items().len(), 1);
    assert_eq!(bare.total(), None, "a bare array has no total");
}
