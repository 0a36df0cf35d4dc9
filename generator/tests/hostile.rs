//! Hostile specs that must be refused: each case names the input, the JSON
//! pointer and the message of the error it must produce. Never a panic, a
//! hang or an unbounded allocation.
//!
//! Hostile specs that must generate compiling code are golden fixtures
//! (`fixtures/hostile_*.yaml`), built warning-free by `golden::fixtures_compile`.
//! Memory is bounded by `load::MAX_SPEC_BYTES` (32 MiB) of input, a parse
//! nesting limit of 128, no YAML alias expansion beyond the parser's limit,
//! a lowering nesting limit of 96, `lower::MAX_SIZE` units of generated code
//! and at most 10,000 diagnostics.
//!
//! Sizes here are small enough for debug builds; the big ones (100,000 enum
//! values, 40,000-type chains, 20,000 parameters) are measured in release.

use std::time::{Duration, Instant};

use generator::{Config, Diagnostics, Output};

fn config() -> Config {
    Config {
        crate_name: "hostile".into(),
        crate_version: "0.1.0".into(),
        spec_label: "hostile.yaml".into(),
        command: "cargo test -p generator --test hostile".into(),
        standalone: true,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::Crate,
        settings: Default::default(),
    }
}

fn generate(file: &str, bytes: &[u8]) -> Result<Output, Diagnostics> {
    generator::generate(file, bytes, &config())
}

/// A 3.0 document with `schemas` under `components/schemas` and `paths`.
fn spec(schemas: &str, paths: &str) -> String {
    let indent =
        |s: &str, n: usize| -> String { s.lines().map(|l| format!("{}{l}\n", " ".repeat(n))).collect::<String>() };
    format!(
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n{}components:\n  schemas:\n{}",
        if paths.is_empty() { "  {}\n".to_string() } else { indent(paths, 2) },
        if schemas.is_empty() { "    {}\n".to_string() } else { indent(schemas, 4) },
    )
}

/// Generation fails with an error at `pointer` whose message contains `message`;
/// the printed diagnostics name the file.
#[track_caller]
fn check_error(file: &str, bytes: &[u8], pointer: &str, message: &str) {
    let t = Instant::now();
    let res = generate(file, bytes);
    let elapsed = t.elapsed();
    let diags = match res {
        Ok(_) => panic!("{file}: expected an error at {pointer} containing {message:?}, got a crate"),
        Err(d) => d,
    };
    assert!(
        diags.errors().any(|d| d.pointer == pointer && d.message.contains(message)),
        "{file}: expected an error at {pointer} containing {message:?}, got:\n{diags}"
    );
    assert!(diags.to_string().contains(&format!("{file}: error: {pointer}: ")), "{diags}");
    assert!(elapsed < Duration::from_secs(5), "{file}: took {elapsed:?}");
}

/// Generation succeeds; returns the output.
#[track_caller]
fn check_ok(file: &str, bytes: &[u8]) -> Output {
    match generate(file, bytes) {
        Ok(out) => out,
        Err(d) => panic!("{file}: expected a crate, got:\n{d}"),
    }
}

fn deep_json(levels: usize) -> String {
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{"A":{}{{}}{}}}}}}}"#,
        r#"{"type":"array","items":"#.repeat(levels),
        "}".repeat(levels)
    )
}

#[test]
fn nesting_10000_levels_deep() {
    check_error("deep.json", deep_json(10_000).as_bytes(), "#", "invalid json: recursion limit exceeded");
    // Block YAML: 10,000 nested sequences on one line.
    let yaml = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx:\n{}1\n", "- ".repeat(10_000));
    check_error("deep.yaml", yaml.as_bytes(), "#", "invalid yaml: recursion limit exceeded");
    // Flow YAML: refused before the parser sees it.
    let yaml = format!("openapi: 3.0.3\nx: {}\n", "[".repeat(10_000));
    check_error("flow.yaml", yaml.as_bytes(), "#", "flow collections nested more than 128 levels deep (line 2)");
}

#[test]
fn nesting_within_the_parser_limit_but_above_the_lowering_limit() {
    // 120 levels parse (limit 128) but lowering stops at 96, with a pointer.
    let json = deep_json(120);
    let pointer = format!("#/components/schemas/A{}", "/items".repeat(96));
    check_error("deep.json", json.as_bytes(), &pointer, "schema is nested more than 96 levels deep");
}

#[test]
fn ref_cycles_through_all_of_chains_are_bounded() {
    // A chain of allOf references deeper than any real spec: an error at the
    // 96th link, not a stack overflow (and not quadratic work).
    let n = 300;
    let mut schemas = String::new();
    for i in 0..n {
        schemas.push_str(&format!(
            "S{i}:\n  allOf:\n    - $ref: '#/components/schemas/S{}'\n    - properties: {{p{i}: {{type: string}}}}\n",
            (i + 1) % n
        ));
    }
    let yaml = spec(&schemas, "");
    check_error("chain.yaml", yaml.as_bytes(), "#/components/schemas/S96/allOf/0", "allOf is nested more than 96");
}

/// One operationId on two operations (Temporal's routes under `/api/v1`
/// and at the root): both are generated, the second with a warning at its
/// `operationId` and a suffixed method and types.
#[test]
fn duplicate_operation_ids_generate_both_apart() {
    let paths = "/a:\n  get:\n    operationId: dup\n    tags: [t]\n    responses: {'204': {description: ok}}\n\
                 /b:\n  get:\n    operationId: dup\n    tags: [t]\n    responses: {'204': {description: ok}}\n";
    let out = check_ok("dup.yaml", spec("", paths).as_bytes());
    let warned: Vec<(String, String)> =
        out.diagnostics.warnings().map(|w| (w.pointer.clone(), w.message.clone())).collect();
    assert!(
        warned.iter().any(|(p, m)| p == "#/paths/~1b/get/operationId"
            && m.starts_with("duplicate operationId \"dup\", first used at #/paths/~1a/get")),
        "{warned:?}"
    );
    let code: String = out.files.iter().map(|f| f.contents.as_str()).collect();
    for (method, route) in [("pub async fn dup(", "\"/a\""), ("pub async fn dup_2(", "\"/b\"")] {
        assert!(code.contains(method) && code.contains(route), "{method} {route}");
    }
}

#[test]
fn responses_that_are_not_an_object() {
    let paths = "/a:\n  get:\n    responses: 7\n";
    check_error(
        "responses.yaml",
        spec("", paths).as_bytes(),
        "#/paths/~1a/get/responses",
        "expected an object of responses",
    );
}

#[test]
fn missing_ref_targets_fall_back_with_a_warning_at_the_ref() {
    // One bad reference costs one node, not the client.
    let yaml = spec("A: {$ref: '#/components/schemas/Missing'}", "");
    let out = check_ok("missing.yaml", yaml.as_bytes());
    let warnings: Vec<String> = out.diagnostics.warnings().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            r##"warning: #/components/schemas/A/$ref: unresolved $ref "#/components/schemas/Missing"; it falls back to serde_json::Value"##
        ]
    );
    let yaml = spec("A: {type: object, properties: {b: {$ref: '#/nope/~1x'}}}", "");
    let out = check_ok("missing.yaml", yaml.as_bytes());
    let types =
        out.files.iter().find(|f| f.path == "src/types/t_a.rs").map(|f| f.contents.as_str()).unwrap_or_default();
    assert!(types.contains("pub b: Option<serde_json::Value>"), "{types}");
    assert_eq!(
        out.diagnostics.to_string(),
        "missing.yaml: warning: #/components/schemas/A/properties/b/$ref: unresolved $ref \"#/nope/~1x\"; it falls back to serde_json::Value\n"
    );
}

/// Every position of `fixtures/broken_refs.yaml` (built warning-free by
/// `golden::fixtures_compile`), with the exact warning at each `$ref`.
#[test]
fn broken_refs_fixture_warns_at_every_ref() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/broken_refs.yaml");
    let bytes = std::fs::read(path).expect("the fixture");
    let out = check_ok("broken_refs.yaml", &bytes);
    let warnings: Vec<String> = out.diagnostics.warnings().map(|w| w.to_string()).collect();
    let unresolved = |pointer: &str, target: &str, fallback: &str| {
        format!("warning: {pointer}: unresolved $ref \"{target}\"; {fallback}")
    };
    let value = "it falls back to serde_json::Value";
    let member = |key: &str| format!("the {key} member is left out and its values are kept in Unknown");
    let expected = [
        unresolved("#/components/schemas/Alias/$ref", "#/components/schemas/Nowhere", value),
        unresolved(
            "#/components/schemas/Dog/allOf/0/$ref",
            "#/components/schemas/Animal",
            "the allOf member adds nothing",
        ),
        unresolved(
            "#/components/schemas/Ghost/allOf/0/$ref",
            "#/components/schemas/Spirit",
            "the allOf member adds nothing",
        ),
        unresolved(
            "#/components/schemas/Ghost/allOf/1/$ref",
            "#/components/schemas/Phantom",
            "the allOf member adds nothing",
        ),
        unresolved("#/components/schemas/NameOrThing/anyOf/1/$ref", "#/components/schemas/Thing", &member("anyOf")),
        unresolved(
            "#/components/schemas/Pet/properties/labels/additionalProperties/$ref",
            "#/components/schemas/Label",
            value,
        ),
        unresolved("#/components/schemas/Pet/properties/owner/$ref", "#/components/schemas/Owner", value),
        unresolved("#/components/schemas/Pet/properties/tags/items/$ref", "#/components/schemas/Tag", value),
        unresolved("#/components/schemas/PetOrCat/oneOf/1/$ref", "#/components/schemas/Cat", &member("oneOf")),
        unresolved("#/components/schemas/Tagged/oneOf/1/$ref", "#/components/schemas/Cat", &member("oneOf")),
        unresolved(
            "#/components/securitySchemes/gone/$ref",
            "#/components/securitySchemes/Missing",
            "the client does not apply the scheme",
        ),
        unresolved("#/paths/~1gone/$ref", "#/paths/~1nowhere", "the path item is left out"),
        unresolved(
            "#/paths/~1pets/get/parameters/1/$ref",
            "#/components/parameters/Missing",
            "the parameter is left out",
        ),
        unresolved("#/paths/~1pets/get/parameters/2/schema/$ref", "#/components/schemas/Filter", value),
        unresolved(
            "#/paths/~1pets/get/responses/400/$ref",
            "#/components/responses/Missing",
            "the response body is taken as serde_json::Value",
        ),
        unresolved(
            "#/paths/~1pets/post/requestBody/content/application~1json/schema/$ref",
            "#/components/schemas/NewPet",
            value,
        ),
        unresolved(
            "#/paths/~1pets/post/responses/201/content/application~1json/schema/$ref",
            "#/components/schemas/Created",
            value,
        ),
        unresolved(
            "#/paths/~1pets/post/responses/204/$ref",
            "#/components/responses/Nothing",
            "the response has no body",
        ),
        unresolved(
            "#/paths/~1pets~1{id}/parameters/0/$ref",
            "#/components/parameters/PetId",
            "the parameter is left out",
        ),
        "warning: #/paths/~1pets~1{id}/put: path parameter \"id\" is not declared; it is taken as a string".to_string(),
        unresolved(
            "#/paths/~1pets~1{id}/put/requestBody/$ref",
            "#/components/requestBodies/Missing",
            "the body is taken as serde_json::Value",
        ),
    ];
    assert_eq!(warnings, expected);
}

#[test]
fn refs_that_are_not_followed_are_still_refused() {
    // A `$ref` that is not a string, or a chain that never ends, is no
    // reference to fall back from.
    check_error("bad.yaml", spec("A: {$ref: 42}", "").as_bytes(), "#/components/schemas/A/$ref", "expected a string");
    let paths = "/a:\n  get:\n    parameters: [{$ref: '#/components/parameters/P'}]\n    responses: {'204': {description: ok}}\n";
    let yaml = format!("{}  parameters:\n    P: {{$ref: '#/components/parameters/P'}}\n", spec("", paths));
    check_error("loop.yaml", yaml.as_bytes(), "#/paths/~1a/get/parameters/0", "$ref chain is too long or cyclic");
}

#[test]
fn external_refs_are_refused_not_fetched() {
    for target in
        ["other.yaml#/components/schemas/A", "/etc/passwd", "https://example.com/spec.json#/A", "file:///etc/passwd"]
    {
        let yaml = spec(&format!("A: {{$ref: '{target}'}}"), "");
        check_error(
            "external.yaml",
            yaml.as_bytes(),
            "#/components/schemas/A/$ref",
            &format!("external $ref {target:?} is not followed in a description given as bytes"),
        );
    }
    // Also where parameters and path items are referenced.
    let paths = "/a:\n  get:\n    parameters: [{$ref: 'params.yaml#/P'}]\n    responses: {'204': {description: ok}}\n";
    check_error("external.yaml", spec("", paths).as_bytes(), "#/paths/~1a/get/parameters/0/$ref", "external $ref");
    let paths = "/a:\n  $ref: 'https://example.com/paths.yaml#/a'\n";
    check_error("external.yaml", spec("", paths).as_bytes(), "#/paths/~1a/$ref", "external $ref");
    // And where an operation is (DigitalOcean's sources), never taken as an
    // operation of nothing; a local one is followed.
    let paths = "/a:\n  get:\n    $ref: 'resources/list.yml'\n";
    check_error("external.yaml", spec("", paths).as_bytes(), "#/paths/~1a/get/$ref", "generator::bundle::read");
    let paths = "/a:\n  get:\n    $ref: '#/x-ops/list'\n";
    let yaml = format!(
        "{}x-ops:\n  list:\n    operationId: listA\n    responses: {{'204': {{description: ok}}}}\n",
        spec("", paths)
    );
    let out = check_ok("local.yaml", yaml.as_bytes());
    assert!(out.files.iter().any(|f| f.contents.contains("pub async fn list_a(")), "the operation the $ref names");
}

#[test]
fn billion_laughs() {
    let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n");
    yaml.push_str("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (name, prev) in [("b", "a"), ("c", "b"), ("d", "c"), ("e", "d"), ("f", "e"), ("g", "f"), ("h", "g"), ("i", "h")]
    {
        yaml.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 10].join(", ")));
    }
    check_error("laughs.yaml", yaml.as_bytes(), "#", "invalid yaml: repetition limit exceeded");
}

#[test]
fn duplicate_keys() {
    check_error("dup.yaml", spec("A: {type: string}\nA: {type: integer}", "").as_bytes(), "#", "duplicate");
    check_error(
        "dup.json",
        br#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "paths": {}}"#,
        "#",
        "duplicate key \"paths\"",
    );
}

#[test]
fn fifty_megabytes_are_refused_before_parsing() {
    let mut big = spec("", "").into_bytes();
    big.resize(50 * 1024 * 1024, b' ');
    check_error("big.yaml", &big, "#", "file is 52428800 bytes, above the limit of 33554432 bytes");
}

#[test]
fn invalid_utf8() {
    let mut bytes = spec("A: {type: string, description: 'x'}", "").into_bytes();
    let at = bytes.len() - 3;
    bytes[at] = 0xff;
    check_error("bad.yaml", &bytes, "#", &format!("file is not valid utf-8 (at byte {at})"));
}

#[test]
fn not_a_document() {
    check_error("list.json", b"[1, 2]", "#", "document root is array, expected an object");
    check_error("scalar.yaml", b"just text", "#", "document root is string, expected an object");
    check_error("empty.yaml", b"", "#", "document root is null, expected an object");
    check_error("nul.yaml", b"\0", "#", "invalid yaml");
}

#[test]
fn ref_cycles_without_a_concrete_type_generate() {
    // `A: B, B: A` and `C: allOf [C]` name no type at all: both fall back to
    // serde_json::Value with a warning, and generation succeeds.
    let yaml = spec(
        "A: {$ref: '#/components/schemas/B'}\nB: {$ref: '#/components/schemas/A'}\nC: {allOf: [{$ref: '#/components/schemas/C'}]}\nD: {$ref: '#/components/schemas/D'}",
        "",
    );
    let out = check_ok("cycle.yaml", yaml.as_bytes());
    let warnings: Vec<String> = out.diagnostics.warnings().map(|w| w.to_string()).collect();
    for name in ["A", "B", "C", "D"] {
        let pointer = format!("#/components/schemas/{name}");
        assert!(warnings.iter().any(|w| w.contains(&pointer)), "no warning for {name}: {warnings:?}");
    }
}

#[test]
fn leading_inline_flags_are_checked_others_are_not() {
    let yaml = spec(
        "A:\n  type: object\n  properties:\n    lead: {type: string, pattern: '(?im)^[a-z]+$'}\n    \
         middle: {type: string, pattern: 'a(?i)b'}\n    unknown: {type: string, pattern: '(?x)^a b$'}\n    \
         both: {allOf: [{type: string, pattern: '(?i)^a'}, {pattern: 'b$'}]}",
        "",
    );
    let out = check_ok("flags.yaml", yaml.as_bytes());
    let warnings: Vec<String> = out.diagnostics.warnings().map(|w| w.to_string()).collect();
    let not_checked = |field: &str, source: &str, why: &str| {
        format!(
            "warning: #/components/schemas/A/properties/{field}/pattern: pattern {source:?} is not a valid ECMA-262 \
             regex ({why}); it is not checked"
        )
    };
    assert_eq!(
        warnings,
        [
            not_checked("middle", "a(?i)b", "Invalid group modifier"),
            not_checked("unknown", "(?x)^a b$", "Invalid group modifier"),
        ]
    );
    let types: String =
        out.files.iter().filter(|f| f.path.starts_with("src/types/")).map(|f| f.contents.as_str()).collect();
    assert!(types.contains(r#"const SOURCE: &'static str = "(?im)^[a-z]+$";"#), "{types}");
    // Each part of an allOf keeps its own flags, as a modifier group.
    let both = r#"const SOURCE: &'static str = "^(?=[\\s\\S]*?(?:(?i:^a)))(?=[\\s\\S]*?(?:b$))";"#;
    assert!(types.contains(both), "{types}");
    assert!(types.contains("pub middle: Option<String>") && types.contains("pub unknown: Option<String>"), "{types}");
}

#[test]
fn many_enum_values_generate_in_linear_time() {
    // 100,000 values take a few seconds in a debug build; the release binary
    // (`cargo xtask codegen --timings`) is measured in the report instead.
    let n = 10_000;
    let values: Vec<String> = (0..n).map(|i| format!("v{i}")).collect();
    let yaml = spec(&format!("Big: {{type: string, enum: [{}]}}", values.join(", ")), "");
    let t = Instant::now();
    let out = check_ok("enum.yaml", yaml.as_bytes());
    let elapsed = t.elapsed();
    let types = out.files.iter().find(|f| f.path == "src/types/t_b.rs").expect("t_b.rs");
    assert!(types.contents.contains("V9999"), "the last variant is missing");
    assert!(elapsed < Duration::from_secs(10), "10,000 enum values took {elapsed:?}");
}

#[test]
fn integer_enums_outside_i64_keep_their_base_type() {
    // Regression: values beyond i64 all became `0` (duplicate match arms).
    let yaml = spec("Big: {type: integer, enum: [1, 18446744073709551616, 36893488147419103232]}", "");
    let out = check_ok("enum.yaml", yaml.as_bytes());
    assert!(out.diagnostics.warnings().any(|w| w.pointer == "#/components/schemas/Big/enum"), "{}", out.diagnostics);
}

/// Every string literal and identifier of a token stream, recursively.
fn walk(tokens: proc_macro2::TokenStream, strings: &mut Vec<String>, idents: &mut Vec<String>) {
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Group(g) => walk(g.stream(), strings, idents),
            proc_macro2::TokenTree::Ident(i) => idents.push(i.to_string()),
            proc_macro2::TokenTree::Literal(l) => {
                if let Ok(s) = syn::parse_str::<syn::LitStr>(&l.to_string()) {
                    strings.push(s.value());
                }
            }
            proc_macro2::TokenTree::Punct(_) => {}
        }
    }
}

#[test]
fn hostile_text_stays_inside_docs_and_literals() {
    // The golden fixture proves it compiles; this proves it means the same:
    // every file parses, the hostile text is found whole in doc attributes
    // and string literals, and none of it became code.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile_text.yaml");
    let out = check_ok("hostile_text.yaml", &std::fs::read(path).expect("fixture"));
    let (mut strings, mut idents) = (Vec::new(), Vec::new());
    for f in out.files.iter().filter(|f| f.path.ends_with(".rs") && !f.path.starts_with("src/runtime/")) {
        let file = syn::parse_file(&f.contents).unwrap_or_else(|e| panic!("{} does not parse: {e}", f.path));
        walk(quote::ToTokens::into_token_stream(file), &mut strings, &mut idents);
    }
    for wire in ["*/", "/*", "#[", "\"", "\\", "\\\"", "\0", "\u{202E}", "a\nb", "`tick`", "*/ pub fn x() {} /*"] {
        assert!(strings.iter().any(|s| s == wire), "enum value {wire:?} is not a literal");
    }
    for exact in [
        "https://{host}/v1/*/\"quoted\"\\back\u{202E}",
        "^[*/]+\"\\\\/*\u{202E}$",
        "^[^*/\"\\\\]*$",
        "/items/{id}/*/\"q\"\\",
        "x-hdr\"*/",
        "quote\"key*/",
        "nul\0key",
        "api.example.com\"\\*/\u{202E}",
    ] {
        assert!(strings.iter().any(|s| s == exact), "{exact:?} is not a literal");
    }
    // Doc text: cleaned of controls and bidi characters, brackets that are
    // no Markdown link escaped (they render as written), otherwise whole.
    for doc in
        [" */ pub fn injected() {} /*", " #!\\[forbid(unsafe_code)\\]", " Item */ /* #\\[derive(Debug)\\] \" \\  "]
    {
        assert!(strings.iter().any(|s| s == doc.trim_end()), "doc line {doc:?} is missing");
    }
    assert!(strings.iter().all(|s| !s.starts_with(' ') || !s.contains('\u{202E}')), "a bidi control reached a doc");
    // Code fences in spec text never run as doctests.
    let mut open: Option<&str> = None;
    for line in strings.iter().flat_map(|s| s.lines()) {
        if let Some(tag) = line.trim().strip_prefix("```") {
            match open {
                Some(_) => open = None,
                None => {
                    assert!(tag == "text" || tag == "no_run", "a fence tagged {tag:?} would run as a doctest");
                    open = Some(tag);
                }
            }
        }
    }
    assert!(open.is_none(), "an unclosed fence");
    for not_code in ["injected", "forbid", "derive_Debug"] {
        assert!(!idents.iter().any(|i| i == not_code), "{not_code} became code");
    }
}

#[test]
fn size_is_bounded_in_units_of_generated_code() {
    // 62,501 types cost 4 units each: over the 250,000 limit, which bounds
    // emit and render memory (about 1 GB at the limit). The slowest case here
    // (about 3 s in a debug build): the limit cannot be reached with less.
    let n = generator::lower::MAX_SIZE / 4 + 1;
    let mut json =
        String::from(r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"#);
    for i in 0..n {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&format!(r#""T{i}":{{"type":"string"}}"#));
    }
    json.push_str("}}}");
    let last = format!("#/components/schemas/T{}", n - 1);
    let err = generate("big.json", json.as_bytes()).expect_err("an error");
    assert!(
        err.errors()
            .any(|d| d.pointer == last && d.message.contains("spec is too large: it defines more than 250000 units")),
        "{err}"
    );
}

#[test]
fn parameters_and_all_of_properties_are_merged_in_linear_time() {
    // Regression: both were merged with a search per item (quadratic; 20,000
    // of each now lower in 0.3 s in a release build, see the report).
    let n = 5_000;
    let params: Vec<String> =
        (0..n).map(|i| format!(r#"{{"name":"p{i}","in":"query","schema":{{"type":"string"}}}}"#)).collect();
    let props: Vec<String> = (0..n).map(|i| format!(r#""q{i}":{{"type":"string"}}"#)).collect();
    let json = format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{"/a":{{"parameters":[{p}],"get":{{"parameters":[{p}],"responses":{{"204":{{"description":"ok"}}}}}}}}}},"components":{{"schemas":{{"A":{{"allOf":[{{"properties":{{{q}}}}},{{"properties":{{{q}}}}}]}}}}}}}}"#,
        p = params.join(","),
        q = props.join(",")
    );
    let t = Instant::now();
    let (api, _) = generator::load_api("wide.json", json.as_bytes(), &config()).expect("lowers");
    assert_eq!(api.operations[0].params.len(), n);
    assert!(t.elapsed() < Duration::from_secs(3), "took {:?}", t.elapsed());
}

#[test]
fn fuzz_findings_group_names_that_are_not_identifiers() {
    // Regression (cargo xtask fuzz, run 1): a tag that converts to a name
    // starting with a digit panicked (`Ident cannot be a number`), and `self`
    // gave `pub struct Self`, which does not parse.
    for tag in ["-1", "2fa", "123abc", "10e400", "1027Snapshot", "\u{1f980}", "self", "Self", "super", ""] {
        let paths = format!("/a:\n  get:\n    tags: [{tag:?}]\n    responses: {{'204': {{description: ok}}}}\n");
        let out = check_ok("tag.yaml", spec("", &paths).as_bytes());
        for f in out.files.iter().filter(|f| f.path.ends_with(".rs")) {
            assert!(syn::parse_file(&f.contents).is_ok(), "tag {tag:?}: {} does not parse", f.path);
        }
    }
}

#[test]
fn validation_propagates_along_long_chains_in_linear_time() {
    // Regression: whether a type validates was a fixpoint over all types,
    // one pass per link of a chain listed last-first (40,000 types: 60 s of
    // emit in a release build, 1.2 s now). T0 holds T1 ... holds a maxLength.
    let n = 3_000;
    let mut schemas = format!("T{n}: {{type: object, properties: {{s: {{type: string, maxLength: 3}}}}}}\n");
    for i in (0..n).rev() {
        schemas.push_str(&format!(
            "T{i}: {{type: object, properties: {{n: {{$ref: '#/components/schemas/T{}'}}}}}}\n",
            i + 1
        ));
    }
    let t = Instant::now();
    let out = check_ok("chain.yaml", spec(&schemas, "").as_bytes());
    let types = out.files.iter().find(|f| f.path == "src/types/t_t.rs").expect("t_t.rs");
    assert!(types.contents.contains("impl rt::Validate for T0 "), "T0 does not validate what it holds");
    assert!(t.elapsed() < Duration::from_secs(10), "took {:?}", t.elapsed());
}

/// A top-level group named as the module that holds the groups
/// (`operations`) or the module every group holds (`blocking`) gets
/// another name: `operations::operations` or `operations::blocking::blocking`
/// compiles, but is clippy's `module_inception` (Typesense's `operations`
/// tag).
#[test]
fn groups_are_never_named_as_the_modules_around_them() {
    let paths = "/a:\n  get:\n    operationId: stats\n    tags: [operations]\n    responses:\n      '204': {description: ok}\n\
                 /b:\n  get:\n    operationId: block\n    tags: [Blocking]\n    responses:\n      '204': {description: ok}\n";
    let out = check_ok("groups.yaml", spec("", paths).as_bytes());
    let files: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
    for inception in ["src/operations/operations.rs", "src/operations/blocking.rs"] {
        assert!(!files.contains(&inception), "{inception} in {files:?}");
    }
    for renamed in ["src/operations/operations_2.rs", "src/operations/blocking_2.rs"] {
        assert!(files.contains(&renamed), "{renamed} not in {files:?}");
    }
}
