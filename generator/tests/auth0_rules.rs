//! Rules that Auth0's documented behaviour taught the generator: statuses
//! without a body, files in multipart bodies and the paging settings
//! (default `take`, item cursors, result caps). The HTTP behaviour itself
//! is tested in `client-tests/tests/auth0_behaviour.rs`.

use generator::config::{ResultCap, Settings};
use generator::Config;

fn config(settings: Settings) -> Config {
    Config {
        crate_name: "rules".into(),
        crate_version: "0.1.0".into(),
        spec_label: "rules.yaml".into(),
        command: "cargo test -p generator --test auth0_rules".into(),
        standalone: true,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::Crate,
        settings,
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

#[test]
fn declared_content_of_bodiless_statuses_is_a_warning_with_its_pointer() {
    let out = generator::generate("openapi31.yaml", &fixture("openapi31.yaml"), &config(Settings::default()))
        .expect("generates");
    let warnings: Vec<String> = out.diagnostics.warnings().map(|w| w.to_string()).collect();
    let want = [
        ("#/paths/~1imports~1{id}~1errors/get/responses/204/content", "status 204 has no body (RFC 9110)"),
        ("#/paths/~1imports~1{id}~1errors/head/responses/200/content", "an answer to HEAD has no body (RFC 9110)"),
    ];
    for (pointer, message) in want {
        assert!(
            out.diagnostics.warnings().any(|w| w.pointer == pointer && w.message.contains(message)),
            "no warning {message:?} at {pointer}: {warnings:?}"
        );
    }
    // Compared without whitespace: the formatter wraps long lines.
    let ops: String = out.files.iter().flat_map(|f| f.contents.chars()).filter(|c| !c.is_whitespace()).collect();
    assert!(
        ops.contains("__resp.empty().map(|__r|__r.map(|_|ImportsImportErrorsResponse::NoContent))"),
        "a 204 is decoded"
    );
}

#[test]
fn multipart_files_of_openapi_31_are_file_parts() {
    let out = generator::generate("openapi31.yaml", &fixture("openapi31.yaml"), &config(Settings::default()))
        .expect("generates");
    let all = out.files.iter().map(|f| f.contents.as_str()).collect::<String>();
    assert!(all.contains("pub users: rt::FilePart"), "contentMediaType is not a file");
    assert!(all.contains("pub avatar: Option<rt::FilePart>"), "contentEncoding is not a file");
    assert!(all.contains("pub attachments: Option<Vec<rt::FilePart>>"), "an array of files is not files");
    assert!(all.contains("pub settings: Option<String>"), "a JSON part became a file");
    assert!(all.contains(r#"__req.multipart(body, __parts, &["users", "avatar", "attachments"])"#), "{all}");
}

#[test]
fn paging_settings_are_read_and_checked() {
    let yaml = "paging:\n  checkpoint: {from: from, take: take, next: next, default_take: 50, item_cursor: log_id}\n  result_caps:\n    - {route: /users, limit: 1000, hint: export}\n";
    let s = Settings::from_yaml("codegen.yaml", yaml).expect("valid settings");
    assert_eq!(s.paging.default_take, Some(50));
    assert_eq!(s.paging.item_cursor, ["log_id"]);
    assert_eq!(s.paging.default_per_page, None);
    assert_eq!(s.paging.result_caps, [ResultCap { route: "/users".into(), limit: 1000, hint: "export".into() }]);
    let yaml = "paging:\n  offset: {page: page, per_page: per_page, default_per_page: 50}\n  checkpoint: {from: from, take: take, next: next, item_cursor: [log_id, id]}\n";
    let s = Settings::from_yaml("codegen.yaml", yaml).expect("valid settings");
    assert_eq!(s.paging.item_cursor, ["log_id", "id"]);
    assert_eq!(s.paging.default_per_page, Some(50));
    let yaml = "paging:\n  page_size_caps:\n    - {route: '/users/{id}/connected-accounts', limit: 20}\n";
    let s = Settings::from_yaml("codegen.yaml", yaml).expect("valid settings");
    assert_eq!(s.paging.page_size_caps, [("/users/{id}/connected-accounts".to_string(), 20)]);
    let e = Settings::from_yaml("codegen.yaml", "paging:\n  page_size_caps:\n    - {route: /a, limit: 0}\n")
        .expect_err("0");
    assert!(e.to_string().contains("#/paging/page_size_caps/0: expected `route`"), "{e}");
    let e = Settings::from_yaml("codegen.yaml", "paging:\n  checkpoint: {item_cursor: [1]}\n").expect_err("a number");
    assert!(e.to_string().contains("expected a string or a list of strings"), "{e}");

    let bad = "paging:\n  checkpoint: {from: from, take: take, next: next, default_take: 0}\n  result_caps:\n    - {route: /users}\n";
    let e = Settings::from_yaml("codegen.yaml", bad).expect_err("invalid settings");
    let text = e.to_string();
    assert!(text.contains("#/paging/checkpoint/default_take: expected a positive integer"), "{text}");
    assert!(text.contains("#/paging/result_caps/0: expected `route`"), "{text}");
}

#[test]
fn streams_default_take_continue_from_items_and_stop_at_caps() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /logs:
    get:
      operationId: listLogs
      parameters:
        - {name: from, in: query, schema: {type: string}}
        - {name: take, in: query, schema: {type: integer}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Log'}}}}}
  /users:
    get:
      operationId: listUsers
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Log'}}}}}
  /deliveries:
    get:
      operationId: listDeliveries
      parameters:
        - {name: from, in: query, schema: {type: string}}
        - {name: take, in: query, schema: {type: integer}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Delivery'}}}}}
  /templates:
    get:
      operationId: listTemplates
      parameters:
        - {name: from, in: query, schema: {type: string}}
        - {name: take, in: query, schema: {type: integer, minimum: 1, maximum: 10}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  next: {type: [string, 'null']}
                  templates: {type: array, items: {$ref: '#/components/schemas/Delivery'}}
components:
  schemas:
    Log: {type: object, properties: {log_id: {type: string}}}
    Delivery: {type: object, required: [id], properties: {id: {type: string}}}
"#;
    let yaml = "paging:\n  offset: {page: page, per_page: per_page, default_per_page: 50}\n  checkpoint: {from: from, take: take, next: next, default_take: 50, item_cursor: [log_id, id]}\n  result_caps:\n    - {route: /users, limit: 1000, hint: export them}\n  page_size_caps:\n    - {route: /deliveries, limit: 20}\n";
    let settings = Settings::from_yaml("codegen.yaml", yaml).expect("valid settings");
    let out = generator::generate("paging.yaml", spec.as_bytes(), &config(settings)).expect("generates");
    let all = out.files.iter().map(|f| f.contents.as_str()).collect::<String>();
    assert!(all.contains("__p.take = Some(50);"), "no default take:\n{all}");
    assert!(all.contains(".and_then(|__i| __i.log_id.clone())"), "no item cursor:\n{all}");
    // The second item cursor name, for items without the first.
    assert!(all.contains(".map(|__i| __i.id.clone())"), "no `id` item cursor:\n{all}");
    // A `next` that is `null` on the last page ends the stream.
    assert!(all.contains("__x.next.flatten()"), "no nullable next:\n{all}");
    assert!(all.contains("list_templates_stream"), "no stream for a nullable next:\n{all}");
    assert!(all.contains("__p.per_page = Some(50);"), "no default per_page:\n{all}");
    // The route's page size cap lowers the default take.
    assert!(all.contains("__p.take = Some(20);"), "no capped take:\n{all}");
    // And the parameter's maximum.
    assert!(
        all.contains("__p.take = ::core::convert::TryFrom::try_from(10i64).ok();"),
        "no take at the maximum:\n{all}"
    );
    assert!(all.contains(r#"Some((1000u64, "export them"))"#), "no cap:\n{all}");
}
