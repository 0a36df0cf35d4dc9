//! Success statuses the description does not list, over HTTP: real Auth0
//! tenants answer 200 where 201 is listed (`POST /flows`), 201 where 200 is
//! listed (`POST /organizations/{id}/invitations`) and 200 with a body where
//! only 204 is listed (`DELETE /network-acls/{id}`). Once the server acted
//! the call is not an error: the response reads as the nearest listed
//! success and keeps its real status. A success body that does not decode
//! says the request succeeded and is never retried.

use auth0_management_api::runtime::{Error, RetryPolicy};
use auth0_management_api::types::{CreateFlowRequestContent, CreateOrganizationInvitationRequestContent};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{builder, RecordingSleeper};

fn flow() -> serde_json::Value {
    json!({
        "id": "af_1234567890abcdef",
        "name": "my flow",
        "created_at": "2024-05-01T10:00:00.000Z",
        "updated_at": "2024-05-01T10:00:00.000Z"
    })
}

async fn serve(server: &MockServer, verb: &str, route: &str, response: ResponseTemplate) {
    Mock::given(method(verb)).and(path(route)).respond_with(response).mount(server).await;
}

#[tokio::test]
async fn a_200_where_201_is_listed_reads_as_the_201_body() {
    let server = MockServer::start().await;
    serve(&server, "POST", "/api/v2/flows", ResponseTemplate::new(200).set_body_json(flow())).await;
    let client = builder(&server, &RecordingSleeper::default()).build().unwrap();
    let body = CreateFlowRequestContent::new("my flow").unwrap();
    let created = client.flows().create(&body).await.unwrap();
    assert_eq!(created.status().as_u16(), 200, "the response keeps its real status");
    assert_eq!(created.id.as_str(), "af_1234567890abcdef");
    assert_eq!(created.name.as_str(), "my flow");
}

#[tokio::test]
async fn a_201_where_200_is_listed_reads_as_the_200_body() {
    let server = MockServer::start().await;
    let invitation = json!({
        "id": "uinv_0000000000000001",
        "organization_id": "org_1",
        "inviter": {"name": "Jane"},
        "invitee": {"email": "john@example.com"},
        "client_id": "abc",
        "invitation_url": "https://example.com/login?invitation=x",
        "created_at": "2024-05-01T10:00:00.000Z",
        "expires_at": "2024-05-08T10:00:00.000Z",
        "ticket_id": "t1"
    });
    serve(
        &server,
        "POST",
        "/api/v2/organizations/org_1/invitations",
        ResponseTemplate::new(201).set_body_json(invitation),
    )
    .await;
    let client = builder(&server, &RecordingSleeper::default()).build().unwrap();
    let body: CreateOrganizationInvitationRequestContent = serde_json::from_value(json!({
        "inviter": {"name": "Jane"},
        "invitee": {"email": "john@example.com"},
        "client_id": "abc"
    }))
    .unwrap();
    let sent = client.organizations().invitations().create("org_1", &body).await.unwrap();
    assert_eq!(sent.status().as_u16(), 201);
    assert_eq!(sent.id.as_deref(), Some("uinv_0000000000000001"));
}

#[tokio::test]
async fn a_body_on_a_status_declared_bodiless_is_ignored() {
    let server = MockServer::start().await;
    // Listed: 204 without a body. Sent: 200 with the deleted ACL.
    serve(
        &server,
        "DELETE",
        "/api/v2/network-acls/acl_1",
        ResponseTemplate::new(200).set_body_json(json!({"id": "acl_1", "description": "gone"})),
    )
    .await;
    let client = builder(&server, &RecordingSleeper::default()).build().unwrap();
    let deleted = client.network_acls().delete("acl_1").await.unwrap();
    assert_eq!(deleted.status().as_u16(), 200);
    assert_eq!(deleted.into_inner(), ());
}

#[tokio::test]
async fn several_success_bodies_read_the_nearest_listed_status_first() {
    use auth0_management_api::operations::jobs::JobsErrorsGetResponse;
    let server = MockServer::start().await;
    let client = builder(&server, &RecordingSleeper::default()).build().unwrap();
    let job = "job_0123456789abcdef";
    let route = format!("/api/v2/jobs/{job}/errors");
    // 201 is nearest to the listed 200, whose body is a list of errors.
    let errors = json!([{"user": {"email": "a@example.com"}, "errors": [{"code": "X", "message": "bad"}]}]);
    serve(&server, "GET", &route, ResponseTemplate::new(201).set_body_json(errors)).await;
    let read = client.jobs().errors().get(job).await.unwrap();
    assert_eq!(read.status().as_u16(), 201);
    assert!(matches!(read.into_inner(), JobsErrorsGetResponse::Ok(_)));

    // An empty body goes to the bodiless 204 first, whatever the status.
    server.reset().await;
    serve(&server, "GET", &route, ResponseTemplate::new(202)).await;
    let read = client.jobs().errors().get(job).await.unwrap();
    assert_eq!(read.status().as_u16(), 202);
    assert_eq!(read.into_inner(), JobsErrorsGetResponse::NoContent);
}

#[tokio::test]
async fn a_success_body_that_does_not_decode_says_the_request_succeeded_and_is_not_retried() {
    let server = MockServer::start().await;
    // `id` is a number where the description has a string; every status
    // of the 2xx class, listed (201) or not (200), reads the same way.
    for status in [201, 200] {
        server.reset().await;
        let bad = json!({"id": 5, "name": "my flow", "created_at": "2024-05-01T10:00:00.000Z", "updated_at": "x"});
        serve(&server, "POST", "/api/v2/flows", ResponseTemplate::new(status).set_body_json(bad)).await;
        // Even with POST retries turned on, a decoded success is not sent again.
        let policy = RetryPolicy { retry_non_idempotent: true, ..RetryPolicy::default() };
        let client = builder(&server, &RecordingSleeper::default()).retry_policy(policy).build().unwrap();
        let err = client.flows().create(&CreateFlowRequestContent::new("my flow").unwrap()).await.unwrap_err();
        assert!(!err.is_retryable());
        assert!(err.request_succeeded());
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let Error::Decode(decode) = &err else { panic!("expected a decode error, got {err:?}") };
        assert_eq!(decode.path, "id");
        assert_eq!(decode.type_name, "CreateFlowResponseContent");
        assert!(std::str::from_utf8(&decode.body).unwrap().contains("\"id\":5"));
        let text = err.to_string();
        assert!(text.starts_with(&format!("the request succeeded with status {status}")), "{text}");
        assert!(text.contains("as `CreateFlowResponseContent` at `id`"), "{text}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "sent once");
    }
}

#[tokio::test]
async fn errors_say_whether_a_retry_may_help() {
    let server = MockServer::start().await;
    let client = builder(&server, &RecordingSleeper::default()).retry_policy(RetryPolicy::none()).build().unwrap();
    for (status, retryable) in [(503, true), (429, true), (400, false), (404, false), (409, false)] {
        server.reset().await;
        serve(&server, "DELETE", "/api/v2/network-acls/acl_1", ResponseTemplate::new(status)).await;
        let err = client.network_acls().delete("acl_1").await.unwrap_err();
        assert_eq!(err.is_retryable(), retryable, "status {status}");
        assert!(!err.request_succeeded(), "status {status}");
    }
}
