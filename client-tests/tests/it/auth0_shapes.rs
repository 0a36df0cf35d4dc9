//! One operation of each shape of the full Auth0 client, over real HTTP on
//! 127.0.0.1: a list with offset paging, a list with checkpoint paging, get
//! by id, create, update with PATCH, delete, and query arrays; and the check
//! of a non-integral bound.

use auth0_management_api::operations::connections::ListConnectionsQueryParameters;
use auth0_management_api::operations::organizations::ListOrganizationsRequestParameters;
use auth0_management_api::operations::users::{GetUserRequestParameters, ListUsersRequestParameters};
use auth0_management_api::runtime::{BoundedInt, StreamExt};
use auth0_management_api::types::{ConnectionStrategyEnum, CreateUserRequestContent, UpdateUserRequestContent};
use auth0_management_api::Client;
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(format!("{}/api/v2", server.uri())).bearer_token("t").max_retries(0).build().unwrap()
}

fn user(id: &str) -> serde_json::Value {
    json!({"user_id": id, "email": format!("{id}@example.com"), "created_at": "2024-01-01T00:00:00.000Z"})
}

#[tokio::test]
async fn offset_paging_walks_every_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users"))
        .and(query_param("page", "0"))
        .and(query_param("per_page", "2"))
        .and(query_param("include_totals", "true"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"start": 0, "limit": 2, "length": 2, "total": 3, "users": [user("a"), user("b")]}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users"))
        .and(query_param("page", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"start": 2, "limit": 2, "length": 1, "total": 3, "users": [user("c")]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let params = ListUsersRequestParameters { per_page: Some(BoundedInt::new(2).unwrap()), ..Default::default() };
    let mut stream = c.users().list_stream(&params);
    let mut ids = Vec::new();
    while let Some(user) = stream.next().await {
        ids.push(user.unwrap().user_id.unwrap());
    }
    assert_eq!(ids, ["a", "b", "c"]);
}

#[tokio::test]
async fn checkpoint_paging_follows_next() {
    let server = MockServer::start().await;
    let org = |id: &str| json!({"id": id, "name": id});
    Mock::given(method("GET"))
        .and(path("/api/v2/organizations"))
        .and(query_param_is_missing("from"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"organizations": [org("o1"), org("o2")], "next": "cursor-2"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/organizations"))
        .and(query_param("from", "cursor-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"organizations": [org("o3")]})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let params = ListOrganizationsRequestParameters { take: Some(BoundedInt::new(2).unwrap()), ..Default::default() };
    let ids: Vec<String> =
        c.organizations().list_stream(&params).map(|o| o.unwrap().id.unwrap().to_string()).collect().await;
    assert_eq!(ids, ["o1", "o2", "o3"]);
}

#[tokio::test]
async fn paging_stops_at_the_first_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"statusCode": 403, "message": "no"})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let results: Vec<_> = c.users().list_stream(&Default::default()).collect().await;
    assert_eq!(results.len(), 1);
    assert!(results[0].is_err());
}

#[tokio::test]
async fn get_create_update_delete() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users/auth0%7C1"))
        .and(query_param("include_fields", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user("auth0|1")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/users"))
        .and(body_json(json!({"connection": "Username-Password-Authentication", "email": "new@example.com"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(user("auth0|2")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/users/auth0%7C2"))
        .and(body_json(json!({"blocked": true})))
        .respond_with(ResponseTemplate::new(200).set_body_json(user("auth0|2")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/v2/users/auth0%7C2"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let params = GetUserRequestParameters { include_fields: Some(true), ..Default::default() };
    let got = c.users().get("auth0|1", &params).await.unwrap();
    assert_eq!(got.user_id.as_deref(), Some("auth0|1"));

    let new =
        CreateUserRequestContent::new("Username-Password-Authentication").unwrap().email("new@example.com").unwrap();
    let created = c.users().create(&new).await.unwrap();
    assert_eq!(created.status(), 201);

    let patch = UpdateUserRequestContent { blocked: Some(true), ..Default::default() };
    let updated = c.users().update("auth0|2", &patch).await.unwrap();
    assert_eq!(updated.status(), 200);

    let deleted = c.users().delete("auth0|2").await.unwrap();
    assert_eq!(deleted.status(), 204);
}

#[tokio::test]
async fn query_arrays_repeat_the_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/connections"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let c = client(&server);
    let params = ListConnectionsQueryParameters {
        strategy: Some(vec![ConnectionStrategyEnum::Auth0, ConnectionStrategyEnum::GoogleOauth2]),
        ..Default::default()
    };
    c.connections().list(&params).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs[0].url.query(), Some("strategy=auth0&strategy=google-oauth2"));
}

/// Auth0's one-off charge amount has `minimum: 0.01`, a non-integral bound:
/// a request value cannot be built below it, and a response value below it
/// still decodes and is reported by `check()`.
#[test]
fn non_integral_minimum_is_strict_in_requests_and_reported_in_responses() {
    use auth0_management_api::runtime::{BoundedFloat, Validate};
    use auth0_management_api::types::{
        FormFieldPaymentConfigChargeOneOffOneOff, FormFieldPaymentConfigChargeOneOffOneOffAmount,
    };
    type Amount = BoundedFloat<
        f64,
        { auth0_management_api::runtime::bits(0.01) },
        { auth0_management_api::runtime::NO_MAX },
        false,
        false,
    >;
    let err = Amount::new(0.005).unwrap_err();
    let [v] = err.violations.as_slice() else { panic!("one violation: {err}") };
    assert_eq!((v.constraint.as_str(), v.actual.as_str()), ("minimum 0.01", "0.005"));
    assert!(Amount::new(0.01).is_ok());

    let v: FormFieldPaymentConfigChargeOneOffOneOff =
        serde_json::from_value(json!({"amount": 0.001, "currency": "USD"})).unwrap();
    assert!(matches!(v.amount, FormFieldPaymentConfigChargeOneOffOneOffAmount::Number(_)), "{:?}", v.amount);
    let err = v.check().unwrap_err().to_string();
    assert!(err.contains("amount") && err.contains("minimum 0.01"), "{err}");
    let ok: FormFieldPaymentConfigChargeOneOffOneOff =
        serde_json::from_value(json!({"amount": 19.99, "currency": "USD"})).unwrap();
    assert!(ok.check().is_ok());
}

/// A required field that can hold one value (`strategy: {const: twitter}`)
/// is no constructor argument: `new` sets it, and it is sent.
#[test]
fn a_field_of_one_value_is_filled_in_by_new() {
    use auth0_management_api::types::CreateConnectionRequestContentTwitter;
    let body = CreateConnectionRequestContentTwitter::new("my-twitter").unwrap();
    let sent = serde_json::to_value(&body).unwrap();
    assert_eq!(sent, serde_json::json!({"strategy": "twitter", "name": "my-twitter"}));
}

#[tokio::test]
async fn free_form_metadata_takes_json_and_refuses_what_is_no_object() {
    // `app_metadata` and `user_metadata` are `type: object` with any
    // properties: their setters take `json!({..})` (or a map) and refuse a
    // value that is not an object, as a `ValidationError` naming the field.
    let err = UpdateUserRequestContent::default().app_metadata(json!(["admin"])).unwrap_err();
    assert_eq!(err.violations.len(), 1);
    assert_eq!(err.violations[0].path, "app_metadata");
    assert_eq!(err.violations[0].constraint, "type object");
    assert_eq!(err.violations[0].actual, "an array");
    assert!(UpdateUserRequestContent::default().user_metadata(json!("pro")).is_err());
    assert!(UpdateUserRequestContent::default().user_metadata(serde_json::Value::Null).is_err());
    // A map still works, as before the setter took JSON.
    let pairs = UpdateUserRequestContent::default().user_metadata([("tier", json!(2))]).unwrap();
    assert_eq!(pairs.user_metadata.unwrap()["tier"], json!(2));

    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/users/auth0%7C1"))
        .and(body_json(json!({"app_metadata": {"roles": ["admin"], "plan": {"tier": 2}}, "user_metadata": {}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(user("auth0|1")))
        .expect(1)
        .mount(&server)
        .await;
    let body = UpdateUserRequestContent::default()
        .app_metadata(json!({"roles": ["admin"], "plan": {"tier": 2}}))
        .unwrap()
        .user_metadata(serde_json::Map::new())
        .unwrap();
    client(&server).users().update("auth0|1", &body).await.unwrap();
}

#[tokio::test]
async fn the_prelude_is_one_import_for_a_call() {
    // Bodies (`types`), params structs (`operations::users`) and the client,
    // from one path; the crate's `Client`, not the application type, is
    // `prelude::Client`.
    use auth0_management_api::prelude::*;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users"))
        .and(query_param("q", "email:\"a@example.com\""))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([user("auth0|1")])))
        .expect(1)
        .mount(&server)
        .await;
    let client: Client = client(&server);
    let params = ListUsersRequestParameters::default().q("email:\"a@example.com\"");
    let users = client.users().list(&params).await.unwrap();
    let first: &UserResponseSchema = &users.items()[0];
    assert_eq!(first.user_id.as_deref(), Some("auth0|1"));
    let app: auth0_management_api::types::Client = Default::default();
    assert_eq!(app.client_id, None);
}

#[tokio::test]
async fn an_optional_body_is_a_reference_or_none() {
    // `POST /hooks/{id}/secrets` takes an optional body: `&body` and
    // `Some(&body)` send it; `None` sends no body and no `Content-Type`, and
    // the server's refusal of that comes back as the operation's error.
    use auth0_management_api::operations::hooks::HooksSecretsCreateError;
    use auth0_management_api::runtime::Error;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/hooks/h1/secrets"))
        .and(body_json(json!({"API_KEY": "k"})))
        .respond_with(ResponseTemplate::new(201))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/hooks/h1/secrets"))
        .and(|r: &wiremock::Request| r.body.is_empty() && !r.headers.contains_key("content-type"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(
                json!({"statusCode": 400, "error": "Bad Request", "message": "Payload validation error"}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let secrets = [("API_KEY".to_string(), "k".to_string())].into();
    client.hooks().secrets().create("h1", &secrets).await.unwrap();
    client.hooks().secrets().create("h1", Some(&secrets)).await.unwrap();
    let refused = client.hooks().secrets().create("h1", None).await.unwrap_err();
    assert!(matches!(refused, Error::Api(HooksSecretsCreateError::BadRequest(_))), "{refused:?}");
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn a_body_is_a_value_a_reference_or_its_one_string_or_list() {
    // `POST /organizations` (only `name` required, 1 to 50 characters) and
    // `POST /users/{id}/roles` (only `roles`, at least one): the body by
    // value, by reference, or its one required string or list, which sends
    // the body with only that field; one that breaks a constraint is refused
    // before sending, as a constructor would refuse it.
    use auth0_management_api::runtime::Error;
    use auth0_management_api::types::{AssignUserRolesRequestContent, CreateOrganizationRequestContent};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/organizations"))
        .and(body_json(json!({"name": "acme"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "org_1", "name": "acme"})))
        .expect(4)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/users/auth0%7C1/roles"))
        .and(body_json(json!({"roles": ["rol_1", "rol_2"]})))
        .respond_with(ResponseTemplate::new(204))
        .expect(5)
        .mount(&server)
        .await;
    let client = client(&server);
    let orgs = client.organizations();
    let body = CreateOrganizationRequestContent::new("acme").unwrap();
    assert_eq!(orgs.create(&body).await.unwrap().id.as_deref(), Some("org_1"));
    orgs.create(body).await.unwrap();
    orgs.create("acme").await.unwrap();
    orgs.create(String::from("acme")).await.unwrap();
    let roles = client.users().roles();
    let ids: &[&str] = &["rol_1", "rol_2"];
    roles.assign("auth0|1", ids).await.unwrap();
    roles.assign("auth0|1", vec!["rol_1".to_string(), "rol_2".to_string()]).await.unwrap();
    roles.assign("auth0|1", ["rol_1", "rol_2"].iter().map(|r| r.to_string())).await.unwrap();
    let body = AssignUserRolesRequestContent::new(["rol_1", "rol_2"]).unwrap();
    roles.assign("auth0|1", &body).await.unwrap();
    roles.assign("auth0|1", body).await.unwrap();
    // Broken conversions: refused, unsent (the mocks' `expect` counts).
    let long = "a".repeat(51);
    let refused = orgs.create(long.as_str()).await.unwrap_err();
    assert!(matches!(&refused, Error::Validation(_)), "{refused:?}");
    assert!(refused.to_string().contains("name"), "{refused}");
    let refused = roles.assign("auth0|1", Vec::<String>::new()).await.unwrap_err();
    assert!(matches!(&refused, Error::Validation(_)), "{refused:?}");
    assert!(refused.to_string().contains("roles"), "{refused}");
}

#[tokio::test]
async fn a_list_body_is_any_iterable_of_items() {
    // `DELETE /hooks/{id}/secrets` takes a list of names (`minItems: 1`),
    // `PATCH /connections/{id}/clients` a list of objects, `PUT
    // /guardian/policies` a list of enum values: an array, a `Vec`, a
    // reference to a `Vec<String>` and an iterator all fill them, and an
    // empty list where one item is the minimum is refused before sending.
    use auth0_management_api::runtime::Error;
    use auth0_management_api::types::{MfaPolicyEnum, UpdateEnabledClientConnectionsRequestContentItem as Enabled};
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/v2/hooks/h1/secrets"))
        .and(body_json(json!(["A", "B"])))
        .respond_with(ResponseTemplate::new(204))
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/connections/con_1/clients"))
        .and(body_json(json!([{"client_id": "c1", "status": true}, {"client_id": "c2", "status": false}])))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/v2/guardian/policies"))
        .and(body_json(json!(["all-applications"])))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["all-applications"])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/v2/guardian/policies"))
        .and(body_json(json!([])))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let secrets = client.hooks().secrets();
    secrets.delete("h1", ["A", "B"]).await.unwrap();
    let names = vec!["A".to_string(), "B".to_string()];
    secrets.delete("h1", &names).await.unwrap();
    secrets.delete("h1", "A,B".split(',')).await.unwrap();
    let empty = secrets.delete("h1", Vec::<String>::new()).await.unwrap_err();
    assert!(matches!(&empty, Error::Validation(e) if e.to_string().contains("minItems 1")), "{empty:?}");

    let clients = client.connections().clients();
    clients.update("con_1", [Enabled::new("c1", true), Enabled::new("c2", false)]).await.unwrap();
    let enabled = [("c1", true), ("c2", false)];
    clients.update("con_1", enabled.iter().map(|&(id, on)| Enabled::new(id, on))).await.unwrap();

    let set = client.guardian().policies().set([MfaPolicyEnum::AllApplications]).await.unwrap();
    assert_eq!(set.into_inner(), vec![MfaPolicyEnum::AllApplications]);
    client.guardian().policies().set(Vec::<MfaPolicyEnum>::new()).await.unwrap();
    // Five sent to the hooks and connections mocks, two to guardian; the empty list never left.
    assert_eq!(server.received_requests().await.unwrap().len(), 7);
}

#[tokio::test]
async fn a_nested_object_of_one_string_is_that_string() {
    // An invitation's `inviter` is `{name}` (1 to 300 characters) and its
    // `invitee` `{email}`: each converts from its string, so the
    // constructor takes plain strings. A value breaking a constraint
    // still converts, and the request refuses it unsent, naming the field.
    use auth0_management_api::runtime::Error;
    use auth0_management_api::types::{
        CreateOrganizationInvitationRequestContent as NewInvitation, OrganizationInvitationInviter as Inviter,
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/organizations/org_1/invitations"))
        .and(body_json(json!({
            "inviter": {"name": "Acme admin"},
            "invitee": {"email": "jane@example.com"},
            "client_id": "app_1"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "uinv_1"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let invitations = client.organizations().invitations();
    let body = NewInvitation::new("Acme admin", "jane@example.com", "app_1");
    assert_eq!(body.inviter, Inviter::new("Acme admin").unwrap());
    let sent = invitations.create("org_1", &body).await.unwrap();
    assert_eq!(sent.id.as_deref(), Some("uinv_1"));

    let nameless = NewInvitation::new(String::new(), "not an address", "app_1");
    let refused = invitations.create("org_1", &nameless).await.unwrap_err();
    let Error::Validation(e) = &refused else { panic!("{refused:?}") };
    let paths: Vec<&str> = e.violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["inviter.name", "invitee.email"], "{e}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "the refused invitation is not sent");
}

#[tokio::test]
async fn a_list_that_fits_no_variant_is_kept_whole_as_before_one_pass_reading() {
    // `GET /users` answers a list or an object with totals: the JSON type
    // picks the variant, read in one pass. A page whose user has a `user_id`
    // that is a number fits neither; the body is then read again as a
    // union's text is, and kept in `Unknown`, exactly as serde_json alone
    // reads it. A date that is not one, below another union, is the same.
    use auth0_management_api::types::ListUsersResponseContent;
    let bodies = [
        json!([user("a"), user("b")]),
        json!({"start": 0, "limit": 1, "length": 1, "total": 1, "users": [user("a")]}),
        json!({"start": 0, "limit": 1, "length": 1, "total": 1, "users": [{"user_id": 5}]}),
        json!([{"user_id": "a", "created_at": {"at": "yesterday"}}]),
        json!("not a list"),
    ];
    for (i, body) in bodies.iter().enumerate() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/v2/users"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
        let got = client(&server).users().list(&ListUsersRequestParameters::default()).await.unwrap().into_inner();
        let two_pass: ListUsersResponseContent = serde_json::from_str(&body.to_string()).unwrap();
        assert_eq!(got, two_pass, "body {i}");
        let unknown = matches!(got, ListUsersResponseContent::Unknown(_));
        assert_eq!(unknown, i == 2 || i == 4, "body {i}: {got:?}");
        if let ListUsersResponseContent::Unknown(v) = &got {
            assert_eq!(v, body, "kept as sent");
        }
    }
}

#[tokio::test]
async fn a_page_of_two_object_shapes_is_read_as_the_shape_its_keys_fit_page_after_page() {
    // `GET /connections` answers a list, an offset page or a checkpoint
    // page; both pages are objects, and only their keys tell them apart
    // (a checkpoint page would also read an offset page, dropping its
    // totals). An object is read in one pass as the shape the last page
    // was, and kept only when the keys fit that shape first; otherwise the
    // body is read again in two passes. Each body here decodes exactly as
    // serde_json alone reads it, whatever shape came before.
    use auth0_management_api::types::ListConnectionsResponseContent as Page;
    let conn = |id: &str| json!({"id": id, "name": id, "strategy": "auth0"});
    let offset = |ids: &[&str]| json!({"start": 0, "limit": 2, "total": 9, "connections": ids.iter().map(|i| conn(i)).collect::<Vec<_>>()});
    let checkpoint = |ids: &[&str], next: &str| json!({"connections": ids.iter().map(|i| conn(i)).collect::<Vec<_>>(), "next": next});
    let bodies = [
        (offset(&["a", "b"]), "offset"),
        (offset(&["c"]), "offset"),
        (checkpoint(&["d"], "n1"), "checkpoint"),
        (checkpoint(&["e"], "n2"), "checkpoint"),
        (offset(&["f"]), "offset"),
        // Keys neither page knows: the one knowing most of them wins.
        (json!({"connections": [conn("g")], "next": "n3", "extra": true}), "checkpoint"),
        (json!({"connections": [conn("h")], "total": 1, "extra": true}), "offset"),
        // A connection that is no connection: no shape fits.
        (json!({"connections": [{"id": 5}], "next": "n4"}), "unknown"),
        (json!([conn("i")]), "list"),
        (checkpoint(&["j"], "n5"), "checkpoint"),
    ];
    for (i, (body, want)) in bodies.iter().enumerate() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/v2/connections"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
        let got =
            client(&server).connections().list(&ListConnectionsQueryParameters::default()).await.unwrap().into_inner();
        let two_pass: Page = serde_json::from_str(&body.to_string()).unwrap();
        assert_eq!(got, two_pass, "body {i}");
        let shape = match &got {
            Page::ListConnectionsOffsetPaginatedResponseContent(_) => "offset",
            Page::ListConnectionsCheckpointPaginatedResponseContent(_) => "checkpoint",
            Page::Array(_) => "list",
            Page::Unknown(_) => "unknown",
        };
        assert_eq!(shape, *want, "body {i}: {got:?}");
    }
}

/// A union without a discriminator whose variants each allow one `type`:
/// a log stream is read as the variant its `type` names, also when the
/// first variant would take it too (an `http` sink's one required field
/// beside a Datadog sink's), and a `type` no variant names is read as
/// before (the first variant that fits, its `type` kept unknown).
#[tokio::test]
async fn a_log_stream_is_the_variant_its_type_names() {
    use auth0_management_api::types::LogStreamResponseSchema as Stream;
    let sink = json!({"httpEndpoint": "https://logs.example", "datadogApiKey": "k", "datadogRegion": "us", "splunkDomain": "s.example", "splunkToken": "t", "splunkPort": "8088", "splunkSecure": true});
    let stream =
        |kind: &str| json!({"id": format!("lst_{kind}"), "name": kind, "type": kind, "status": "active", "sink": sink});
    let server = MockServer::start().await;
    let body = json!([stream("datadog"), stream("http"), stream("splunk"), stream("sumo2")]);
    Mock::given(method("GET"))
        .and(path("/api/v2/log-streams"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;
    let got = client(&server).log_streams().list().await.unwrap().into_inner();
    let kinds: Vec<&str> = got
        .iter()
        .map(|s| match s {
            Stream::LogStreamDatadogResponseSchema(_) => "datadog",
            Stream::LogStreamHttpResponseSchema(_) => "http",
            Stream::LogStreamSplunkResponseSchema(_) => "splunk",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["datadog", "http", "splunk", "http"], "{got:?}");
    // Each `type` reads back as sent, the unknown one too.
    let back = serde_json::to_value(&got).unwrap();
    let types: Vec<&str> = back.as_array().unwrap().iter().map(|s| s["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["datadog", "http", "splunk", "sumo2"]);
}

#[tokio::test]
async fn a_call_built_in_place_sends_only_the_fields_set_and_refuses_a_broken_one_unsent() {
    // `PATCH /users/{id}`, whose body has no required field: `update_with`
    // takes the body's setters and sends when awaited, from async and from
    // the blocking client; a value breaking a constraint (an email that is
    // no address, a name under 1 character) is reported, unsent.
    use auth0_management_api::runtime::Error;
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/users/auth0%7C1"))
        .and(body_json(json!({"blocked": true, "app_metadata": {"plan": "pro"}, "email": null})))
        .respond_with(ResponseTemplate::new(200).set_body_json(user("auth0|1")))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/users/auth0%7C2"))
        .and(body_json(json!({"blocked": false})))
        .respond_with(ResponseTemplate::new(200).set_body_json(user("auth0|2")))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let call = client.users().update_with("auth0|1").blocked(true).app_metadata(json!({"plan": "pro"})).email_null();
    assert_eq!(call.await.unwrap().user_id.as_deref(), Some("auth0|1"));
    client.users().update_with("auth0|2").blocked(false).await.unwrap();
    for refused in [
        client.users().update_with("auth0|1").email("no address").blocked(true).await.unwrap_err(),
        client.users().update_with("auth0|1").blocked(true).given_name("").await.unwrap_err(),
        client.users().update_with("auth0|1").app_metadata(json!(["no", "object"])).await.unwrap_err(),
    ] {
        assert!(matches!(&refused, Error::Validation(_)), "{refused:?}");
    }
    let base = format!("{}/api/v2", server.uri());
    // On a plain thread: the blocking client refuses to run inside a runtime.
    let sent = std::thread::spawn(move || {
        let blocking = Client::builder().base_url(base).bearer_token("t").build_blocking().unwrap();
        let call = blocking.users().update_with("auth0|1").app_metadata(json!({"plan": "pro"}));
        call.blocked(true).email_null().send().map(|u| u.user_id.clone())
    });
    assert_eq!(sent.join().unwrap().unwrap().as_deref(), Some("auth0|1"));
}

#[tokio::test]
async fn a_map_of_constrained_strings_is_set_from_pairs_each_value_checked() {
    // A custom domain's `domain_metadata`: values of at most 255 characters,
    // or `null`, set from pairs of strings; a longer value is refused,
    // naming the field, and nothing is sent (the mock's `expect`).
    use auth0_management_api::types::UpdateCustomDomainRequestContent as UpdateDomain;
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/custom-domains/cd_1"))
        .and(body_json(json!({"domain_metadata": {"team": "blue", "old": null}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "custom_domain_id": "cd_1", "domain": "login.example.com", "primary": true, "status": "ready",
            "type": "auth0_managed_certs", "verification": {"methods": []}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let body = UpdateDomain::default().domain_metadata([("team", Some("blue")), ("old", None)]).unwrap();
    let updated = client.custom_domains().update("cd_1", body).await.unwrap();
    assert_eq!(updated.custom_domain_id, "cd_1");
    let refused = UpdateDomain::default().domain_metadata([("team", Some("a".repeat(256)))]).unwrap_err();
    assert!(refused.to_string().contains("domain_metadata"), "{refused}");
}
