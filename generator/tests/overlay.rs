//! OpenAPI Overlay 1.0.0 documents applied between load and lower
//! (`generator::overlay`): update (merge, append, replace), remove, the
//! order of actions, JSONPath filters, the located errors of a bad overlay,
//! what survives an update (key order, big integers), hostile overlays, and
//! the settings' `overlays` through the library and `generator::write`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use generator::config::{OverlayFile, Settings};
use generator::value::Value;
use generator::Config;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/overlay")
}

const HEAD: &str = "overlay: 1.0.0\ninfo: {title: test, version: '1'}\n";

/// `doc` with the overlay `text` (named `fix.overlay.yaml`) applied.
fn apply(doc: &str, text: &str) -> Result<Value, String> {
    let mut doc = generator::load::load("api.yaml", doc.as_bytes()).map_err(|d| d.to_string())?;
    let overlay = OverlayFile { path: "fix.overlay.yaml".into(), bytes: Some(text.as_bytes().to_vec()) };
    generator::overlay::apply_all(&mut doc, &[overlay]).map_err(|d| d.to_string())?;
    Ok(doc)
}

/// `apply` with `actions` (YAML list items) after the overlay's head.
fn actions(doc: &str, actions: &str) -> Result<Value, String> {
    apply(doc, &format!("{HEAD}actions:\n{actions}"))
}

fn json(v: &Result<Value, String>) -> String {
    match v {
        Ok(v) => v.to_json(),
        Err(e) => panic!("the overlay does not apply:\n{e}"),
    }
}

fn err(v: Result<Value, String>) -> String {
    match v {
        Ok(v) => panic!("the overlay applies: {}", v.to_json()),
        Err(e) => e,
    }
}

#[test]
fn update_merges_objects_appends_arrays_and_replaces_primitives() {
    let doc = "a:\n  keep: 1\n  nested: {x: 1, deep: {y: 1}}\n  list: [1, 2]\n  word: old\n  gone: null\n";
    let res = actions(
        doc,
        "  - target: $.a\n    update:\n      nested: {deep: {z: 2}, x: 9}\n      list: [3]\n      word: new\n      \
         gone: 5\n      added: {b: true}\n",
    );
    // Untouched keys stay, new ones come last in the update's order.
    assert_eq!(
        json(&res),
        r#"{"a":{"keep":1,"nested":{"x":9,"deep":{"y":1,"z":2}},"list":[1,2,3],"word":"new","gone":5,"added":{"b":true}}}"#
    );
}

#[test]
fn update_of_an_array_appends_one_entry() {
    let res = actions("tags: [a]\n", "  - {target: $.tags, update: {name: b}}\n  - {target: $.tags, update: [c, d]}\n");
    assert_eq!(json(&res), r#"{"tags":["a",{"name":"b"},["c","d"]]}"#);
}

#[test]
fn remove_takes_the_node_out_of_its_parent() {
    let doc = "a: {b: 1, c: {d: 2}, e: 3}\nparams: [{name: x}, {name: dummy}, {name: y}, {name: dummy}]\n";
    let res = actions(
        doc,
        "  - {target: $.a.c, remove: true}\n  - {target: \"$.params[?@.name == 'dummy']\", remove: true}\n",
    );
    assert_eq!(json(&res), r#"{"a":{"b":1,"e":3},"params":[{"name":"x"},{"name":"y"}]}"#);
    // A node and one inside it, both selected: both go, nothing is left half-removed.
    let res = actions("a: {x: {x: {x: {}}}, y: 2}\n", "  - {target: '$..x', remove: true}\n");
    assert_eq!(json(&res), r#"{"a":{"y":2}}"#);
    // `update` has no effect when `remove` is true.
    let res = actions("a: {b: {}}\n", "  - {target: $.a.b, remove: true, update: {c: 1}}\n");
    assert_eq!(json(&res), r#"{"a":{}}"#);
    let e = err(actions("a: 1\n", "  - {target: $, remove: true}\n"));
    assert!(e.contains("fix.overlay.yaml: error: #/actions/0/target: `remove` cannot remove the document root"), "{e}");
}

#[test]
fn actions_apply_in_order_each_on_the_result_of_the_one_before() {
    // Deleted, then re-created: the specification's own use of the order.
    let doc = "paths:\n  /old: {get: {summary: s, x-a: 1}}\n";
    let res = actions(
        doc,
        "  - {target: \"$.paths['/old']\", remove: true}\n  \
         - {target: $.paths, update: {/old: {post: {summary: new}}}}\n  \
         - {target: \"$.paths['/old'].post\", update: {x-b: 2}}\n",
    );
    assert_eq!(json(&res), r#"{"paths":{"/old":{"post":{"summary":"new","x-b":2}}}}"#);
    // Overlays apply in the order given, the second seeing the first's result.
    let mut tree = generator::load::load("api.yaml", b"a: {}\n").expect("loads");
    let first = format!("{HEAD}actions:\n  - {{target: $.a, update: {{b: {{}}}}}}\n");
    let second = format!("{HEAD}actions:\n  - {{target: $.a.b, update: {{c: 1}}}}\n");
    let overlays = [first, second]
        .iter()
        .enumerate()
        .map(|(i, t)| OverlayFile { path: format!("{i}.yaml"), bytes: Some(t.clone().into_bytes()) })
        .collect::<Vec<_>>();
    generator::overlay::apply_all(&mut tree, &overlays).expect("applies");
    assert_eq!(tree.to_json(), r#"{"a":{"b":{"c":1}}}"#);
    let e = generator::overlay::apply_all(&mut generator::load::load("api.yaml", b"a: {}\n").expect("loads"), &{
        let mut o = overlays.clone();
        o.reverse();
        o
    })
    .expect_err("the second overlay first finds no `b`");
    assert!(e.to_string().contains("1.yaml: error: #/actions/0/target: target `$.a.b` matches nothing"), "{e}");
}

#[test]
fn targets_are_rfc_9535_queries_with_filters() {
    let spec = fs::read_to_string(dir().join("api.yaml")).expect("fixture");
    let res =
        actions(&spec, "  - target: \"$.paths['/users'].get.responses\"\n    update: {'204': {description: none}}\n");
    let tree = res.as_ref().expect("applies");
    let responses = tree.get("paths").and_then(|p| p.get("/users")).and_then(|u| u.get("get")).map(|g| g.to_json());
    assert!(responses.is_some_and(|r| r.contains(r#""204":{"description":"none"}"#)), "{}", json(&res));
    // A filter on a field of the operations under any path.
    let res = actions(&spec, "  - target: \"$.paths.*[?@.operationId == 'getUser']\"\n    update: {x-found: true}\n");
    let text = json(&res);
    assert_eq!(text.matches("x-found").count(), 1, "{text}");
    assert!(text.contains(r#""operationId":"getUser","tags":["users"],"parameters""#), "{text}");
    // Every query parameter of every operation, by two conditions.
    let res = actions(
        &spec,
        "  - target: \"$.paths.*.*.parameters[?@.name == 'fields' && @.in == 'query']\"\n    \
         update: {description: which fields}\n",
    );
    assert!(
        json(&res).contains(r#""name":"fields","in":"query","schema":{"type":"string"},"description":"which fields""#)
    );
}

#[test]
fn a_target_that_matches_nothing_is_a_located_error() {
    let e = err(actions(
        "paths: {}\n",
        "  - {target: $.paths, update: {}}\n  - {target: \"$.paths['/nope'].get\", update: {x: 1}}\n",
    ));
    assert_eq!(e, "fix.overlay.yaml: error: #/actions/1/target: target `$.paths['/nope'].get` matches nothing\n");
}

#[test]
fn a_bad_jsonpath_is_a_located_error() {
    let e = err(actions("a: {}\n", "  - {target: '$.a[?@.b ==]', update: {}}\n"));
    assert!(
        e.starts_with(
            "fix.overlay.yaml: error: #/actions/0/target: invalid jsonpath `$.a[?@.b ==]` (rfc 9535): at position"
        ),
        "{e}"
    );
    // RFC 9535, not the older dialects: no `$.a[(@.length-1)]` script expressions.
    let e = err(actions("a: [1]\n", "  - {target: '$.a[(@.length-1)]', update: {}}\n"));
    assert!(e.contains("#/actions/0/target: invalid jsonpath"), "{e}");
}

#[test]
fn bad_documents_are_located_errors() {
    let cases: &[(&str, &str)] = &[
        ("info: {title: t, version: '1'}\nactions: [{target: $, update: {}}]\n", "#: missing `overlay`"),
        (
            "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, update: {}}]\n",
            "#/overlay: unsupported overlay specification version `1.1.0`; this generator reads 1.0.x",
        ),
        ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\n", "#: missing `actions`"),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\n",
            "#/actions: an overlay needs at least one action",
        ),
        ("overlay: 1.0.0\nactions: [{target: $, update: {}}]\n", "#: missing `info`"),
        ("overlay: 1.0.0\ninfo: {title: t}\nactions: [{target: $, update: {}}]\n", "#/info: missing `version`"),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, updates: {}}]\n",
            "#/actions/0/updates: unknown overlay field; known fields here: target, description, update, remove",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $}]\n",
            "#/actions/0: an action needs `update` or `remove: true`",
        ),
        ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{update: {}}]\n", "#/actions/0: missing `target`"),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, remove: 'yes'}]\n",
            "#/actions/0/remove: expected true or false, found string",
        ),
        ("- overlay\n", "#: document root is array, expected an object"),
        ("overlay: [\n", "#: invalid yaml"),
    ];
    for (text, expected) in cases {
        let e = err(apply("a: {b: 1}\n", text));
        assert!(e.contains(&format!("fix.overlay.yaml: error: {expected}")), "{text}:\n{e}");
    }
    // Extensions are allowed everywhere the specification allows them.
    let ok = "overlay: 1.0.0\nx-tool: 1\ninfo: {title: t, version: '1', x-v: 2}\nextends: ./api.yaml\n\
              actions: [{target: $.a, update: {c: 2}, x-why: because}]\n";
    assert_eq!(json(&apply("a: {b: 1}\n", ok)), r#"{"a":{"b":1,"c":2}}"#);
}

#[test]
fn updates_that_do_not_fit_the_target_are_located_errors() {
    let e = err(actions("a: {b: 1}\n", "  - {target: $.a, update: 3}\n"));
    assert!(
        e.contains("#/actions/0/update: expected an object to merge into the object at $['a'], found integer"),
        "{e}"
    );
    let e = err(actions("a: {b: {c: 1}}\n", "  - {target: $.a, update: {b: {c: [2]}}}\n"));
    assert!(e.contains("#/actions/0/update/b/c: cannot merge an array into the integer at $['a']['b']['c']"), "{e}");
    let e = err(actions("a: {b: [1]}\n", "  - {target: $.a, update: {b: {c: 1}}}\n"));
    assert!(e.contains("#/actions/0/update/b: cannot merge an object into the array at $['a']['b']"), "{e}");
    // A target must select objects or arrays, never primitives.
    let e = err(actions("info: {title: t}\n", "  - {target: $.info.title, update: new}\n"));
    assert!(
        e.contains("#/actions/0/target: target `$.info.title` selects string at $['info']['title']; a target must select objects or arrays"),
        "{e}"
    );
}

#[test]
fn big_integers_and_key_order_survive_an_update() {
    let spec = fs::read_to_string(dir().join("api.yaml")).expect("fixture");
    let res = actions(&spec, "  - target: $.components.schemas.User.properties\n    update: {email: {type: string}}\n");
    let tree = res.as_ref().expect("applies");
    let user = tree.get("components").and_then(|c| c.get("schemas")).and_then(|s| s.get("User"));
    let props = user.and_then(|u| u.get("properties")).and_then(Value::as_object).expect("properties");
    assert_eq!(props.keys().collect::<Vec<_>>(), ["id", "logins", "name", "email"]);
    let max = props.get("logins").and_then(|l| l.get("maximum"));
    assert_eq!(max, Some(&Value::Int(i128::MAX)), "an integer beyond u64 keeps every digit");
    let top: Vec<&String> = tree.as_object().expect("object").keys().collect();
    assert_eq!(top, ["openapi", "info", "paths", "components"]);
    // A filter compares big integers in the view (as floats), and still edits the tree.
    let res = actions(&spec, "  - target: '$..properties[?@.maximum > 1e30]'\n    update: {minimum: 0}\n");
    let text = json(&res);
    assert!(text.contains(r#""maximum":170141183460469231731687303715884105727,"minimum":0"#), "{text}");
}

fn config(settings: Settings) -> Config {
    Config {
        crate_name: "users-client".into(),
        crate_version: "0.1.0".into(),
        spec_label: "api.yaml".into(),
        command: "cargo test -p generator --test overlay".into(),
        standalone: true,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::Crate,
        settings,
    }
}

fn operations_file(out: &generator::Output) -> String {
    out.files.iter().filter(|f| f.path.starts_with("src/operations")).map(|f| f.contents.as_str()).collect()
}

#[test]
fn generate_and_load_api_apply_the_settings_overlays() {
    let spec = fs::read(dir().join("api.yaml")).expect("fixture");
    let plain = generator::generate("api.yaml", &spec, &config(Settings::default())).expect("generates");
    let overlay = fs::read(dir().join("not_found.overlay.yaml")).expect("fixture");
    let settings = Settings {
        overlays: vec![OverlayFile { path: "not_found.overlay.yaml".into(), bytes: Some(overlay) }],
        ..Default::default()
    };
    let fixed = generator::generate("api.yaml", &spec, &config(settings.clone())).expect("generates");
    let (before, after) = (operations_file(&plain), operations_file(&fixed));
    assert!(!before.contains("NotFound") && after.contains("NotFound"), "the 404 becomes an error variant:\n{after}");
    let (api, _) = generator::load_api("api.yaml", &spec, &config(settings)).expect("lowers");
    let get_user = api.operations.iter().find(|o| o.route == "/users/{id}").expect("getUser");
    let statuses: Vec<_> = get_user.responses.iter().map(|r| r.status).collect();
    assert!(statuses.contains(&generator::ir::StatusMatch::Exact(404)), "{statuses:?}");
    // An overlay named in settings but never read is an error, not a silent skip.
    let unread = Settings::from_yaml("codegen.yaml", "overlays: [not_found.overlay.yaml]\n").expect("valid");
    let e = generator::generate("api.yaml", &spec, &config(unread)).expect_err("unread");
    assert!(e.to_string().contains("not_found.overlay.yaml: error: #: the overlay was not read"), "{e}");
}

#[test]
fn write_reads_the_overlays_the_settings_list_relative_to_them() {
    let settings = generator::write::read_settings(&dir().join("codegen.yaml")).expect("reads");
    assert_eq!(settings.overlays.len(), 1);
    assert!(settings.overlays[0].bytes.as_ref().is_some_and(|b| b.starts_with(b"# Auth0-style")));
    let out = generator::write::generate_file(&dir().join("api.yaml"), None, config(Settings::default()))
        .expect("generates with codegen.yaml beside it");
    assert!(operations_file(&out).contains("NotFound"));
    let without = generator::write::generate_file_with(
        &dir().join("api.yaml"),
        None,
        generator::write::Overlays::Without,
        config(Settings::default()),
    )
    .expect("generates");
    assert!(!operations_file(&without).contains("NotFound"));
    let tmp = std::env::temp_dir().join(format!("overlay-settings-{}", std::process::id()));
    fs::create_dir_all(&tmp).expect("temp dir");
    fs::write(tmp.join("codegen.yaml"), "overlays: [missing.overlay.yaml]\n").expect("writes");
    let e = generator::write::read_settings(&tmp.join("codegen.yaml")).expect_err("missing overlay");
    assert!(e.contains("cannot read overlay") && e.contains("missing.overlay.yaml"), "{e}");
    let _ = fs::remove_dir_all(&tmp);
}

#[test]
fn hostile_overlays_are_refused_quickly() {
    let t = Instant::now();
    // Parsed by load: its size and nesting limits hold for overlays too.
    let huge = vec![b' '; generator::load::MAX_SPEC_BYTES + 1];
    let e = err(apply("a: {}\n", std::str::from_utf8(&huge).expect("ascii")));
    assert!(e.contains("fix.overlay.yaml: error: #: file is") && e.contains("above the limit"), "{e}");
    let deep = format!("{HEAD}actions: [{{target: $, update: {}1{}}}]\n", "[".repeat(100_000), "]".repeat(100_000));
    assert!(err(apply("a: {}\n", &deep)).contains("fix.overlay.yaml: error: #: invalid yaml"));
    // The JSONPath parser recurses, and backtracks on filters in filters:
    // deep brackets are refused before it runs, and so are many `..`.
    for (target, message) in [
        (format!("$.a{}", "[?(".repeat(400)), "target nests brackets more than 8 levels deep"),
        (format!("$[?{}@.a{}]", "(".repeat(40), ")".repeat(40)), "target nests parentheses more than 32 levels deep"),
        ("$..a..b..c".to_string(), "target has more than 2 descendant segments (`..`)"),
    ] {
        let e = err(actions("a: {}\n", &format!("  - {{target: '{target}', update: {{}}}}\n")));
        assert!(e.contains(&format!("#/actions/0/target: {message}")), "{e}");
    }
    // At the limits it parses and runs in milliseconds.
    let t0 = Instant::now();
    let target = format!("$[?@..*{}.x{}]", "[?(@".repeat(7), ")]".repeat(7));
    let e = err(actions("a: {b: [1, {c: 2}]}\n", &format!("  - {{target: '{target}', update: {{}}}}\n")));
    assert!(e.contains("matches nothing"), "{e}");
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
    let e = err(actions("a: {}\n", &format!("  - {{target: '$.{}', update: {{}}}}\n", "a".repeat(5_000))));
    assert!(e.contains("above the limit of 4096"), "{e}");
    // An update copied to every node does not grow the tree without bound.
    let wide: String = (0..200).map(|i| format!("k{i}: {{}}\n")).collect();
    let big = format!("[{}]", vec!["1"; 25_000].join(","));
    let e = err(actions(&wide, &format!("  - {{target: '$.*', update: {{v: {big}}}}}\n")));
    assert!(e.contains("#/actions/0/update: the overlays add more than 4194304 nodes"), "{e}");
    // Nor nest it without bound, one action at a time.
    let nest = |n: usize| format!("{}1{}", "{a: ".repeat(n), "}".repeat(n));
    let e = err(actions(
        "a: {}\n",
        &format!(
            "  - {{target: $.a, update: {}}}\n  - {{target: '$..[?@.a == 1]', update: {}}}\n",
            nest(100),
            nest(50)
        ),
    ));
    assert!(e.contains("#/actions/1/update: the update would nest the description more than 128 levels"), "{e}");
    let many = format!("{HEAD}actions:\n{}", "  - {target: $, update: {}}\n".repeat(10_001));
    assert!(err(apply("a: {}\n", &many)).contains("#/actions: 10001 actions, above the limit of 10000"));
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
}
