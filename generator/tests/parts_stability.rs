//! A change to a description moves few groups between the crates of a split
//! client (`Config::parts`), so that regenerating shows in review as the
//! change itself rather than as files moving between crates: the Auth0
//! description (`spec/openapi.yaml`) split as `cargo xtask codegen` splits
//! it, then changed three ways.

use std::collections::BTreeMap;
use std::path::Path;

use generator::Config;
use serde_json::{json, Value};

fn spec() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml");
    serde_norway::from_slice(&std::fs::read(path).expect("spec/openapi.yaml")).expect("the spec parses")
}

/// Each group's part crate, by feature name.
fn parts_of(spec: &Value) -> BTreeMap<String, String> {
    let config = Config {
        crate_name: "stability".into(),
        crate_version: "0.1.0".into(),
        spec_label: "spec/openapi.yaml".into(),
        command: "cargo test -p generator --test parts_stability".into(),
        standalone: false,
        settings: Default::default(),
        runtime: generator::RuntimeSource::Crate { path: Some("../runtime".into()) },
        parts: 8,
        layout: generator::Layout::Crate,
    };
    let bytes = serde_json::to_vec(spec).unwrap();
    let out = generator::generate("openapi.json", &bytes, &config).unwrap_or_else(|d| panic!("{d}"));
    let mut parts = BTreeMap::new();
    for f in &out.files {
        let Some(part) = f.path.strip_prefix("crates/").and_then(|p| p.strip_suffix("/Cargo.toml")) else { continue };
        if part == "common" {
            continue;
        }
        let full = f.contents.lines().find_map(|l| l.strip_prefix("full = [")).expect("a full feature");
        for group in full.trim_end_matches(']').split(", ").filter(|g| !g.contains('/')) {
            parts.insert(group.trim_matches('"').to_string(), part.to_string());
        }
    }
    assert!(parts.len() > 16, "the client is split by group: {parts:?}");
    parts
}

/// The groups in both splits whose crate differs.
fn moved(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    before.iter().filter(|(g, p)| after.get(*g).is_some_and(|q| q != *p)).map(|(g, _)| g.clone()).collect()
}

#[test]
fn a_change_moves_at_most_one_other_group() {
    let base = spec();
    let before = parts_of(&base);

    // A field more in a type of one group.
    let mut grown = base.clone();
    let props = grown.pointer_mut("/components/schemas/CreateRoleRequestContent/properties").expect("the schema");
    props["stability_probe"] = json!({"type": "string"});
    assert!(moved(&before, &parts_of(&grown)).is_empty(), "a new field moved groups");

    // A new group.
    let mut more = base.clone();
    more["paths"]["/stability-probe"] = json!({"get": {
        "operationId": "get_stability_probe",
        "x-operation-group": "stabilityProbe",
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}}}}}}
    }});
    let after = parts_of(&more);
    assert!(after.contains_key("stability_probe"), "{after:?}");
    let m = moved(&before, &after);
    assert!(m.len() <= 1, "a new group moved {m:?}");

    // A group less.
    let mut fewer = base.clone();
    let paths = fewer["paths"].as_object_mut().unwrap();
    let n = paths.len();
    paths.retain(|route, _| !route.starts_with("/stats"));
    assert!(paths.len() < n, "the spec has a stats group");
    let after = parts_of(&fewer);
    assert!(!after.contains_key("stats"), "{after:?}");
    let m = moved(&before, &after);
    assert!(m.len() <= 1, "removing a group moved {m:?}");
}
