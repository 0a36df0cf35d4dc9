//! The build-script client against a server on 127.0.0.1, and its manifest
//! against the runtime's dependency list.

use petstore_build_script::types::Pet;
use petstore_build_script::Client;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_generated_client_lists_pets() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([{"id": 1, "name": "Rex"}])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let limit = petstore_build_script::runtime::BoundedInt::new(2).unwrap();
    let params = petstore_build_script::operations::pets::PetsListPetsParams { limit: Some(limit) };
    let pets = client.pets().list_pets(&params).await.unwrap().into_inner();
    assert_eq!(&pets[..], [Pet::new(1, "Rex")]);
}

#[test]
fn the_manifest_lists_every_runtime_dependency() {
    let manifest = include_str!("../Cargo.toml");
    let tables = [generator::runtime_dependencies(), generator::runtime_features()];
    for line in tables.iter().flat_map(|t| t.lines().skip(1)).filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        assert!(manifest.contains(line), "Cargo.toml lacks `{line}`");
    }
}
