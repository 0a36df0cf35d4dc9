//! Descriptions split into files (`generator::bundle`): the fixture
//! `fixtures/multi_file/` (operations, path items, parameters, responses and
//! schemas in other files, schemas referring to each other across files,
//! and references back into the description) becomes one client; broken
//! references are errors naming the file and the pointer. The fixture is
//! also built warning-free by `golden.rs`' `fixtures_compile`.

use std::fs;
use std::path::{Path, PathBuf};

use generator::{Config, Output};

fn config() -> Config {
    Config {
        crate_name: "multi".into(),
        crate_version: "0.1.0".into(),
        spec_label: "api.yaml".into(),
        command: "cargo test -p generator --test bundle".into(),
        standalone: true,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::Crate,
        settings: Default::default(),
    }
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi_file/api.yaml")
}

fn generate(path: &Path) -> Output {
    let bytes = generator::bundle::read(path, "api.yaml").unwrap_or_else(|d| panic!("{d}"));
    generator::generate("api.yaml", &bytes, &config()).unwrap_or_else(|d| panic!("{d}"))
}

/// Every `.rs` file of the crate but the runtime's, in one text.
fn text(out: &Output) -> String {
    out.files.iter().filter(|f| f.path.ends_with(".rs") && !f.path.contains("runtime")).map(|f| &*f.contents).collect()
}

#[test]
fn a_description_in_files_is_one_client_with_one_type_per_schema() {
    let out = generate(&fixture());
    assert_eq!(out.n_operations, 2);
    assert!(out.diagnostics.is_empty(), "{}", out.diagnostics);
    let text = text(&out);
    // The component that is a `$ref` names its schema; the others take the
    // fragment's last token (`Owner`, `Tags`); a schema met twice is one type.
    for decl in ["pub struct Pet {", "pub struct Owner {", "pub type Tags = Vec<String>;", "pub struct Problem {"] {
        assert!(text.contains(decl), "no `{decl}` in the crate");
    }
    assert!(!text.contains("Pet2") && !text.contains("Owner2"), "a schema became two types");
    // Across files, the cycle Pet -> Owner -> Pet stays a reference.
    assert!(text.contains("pub owner: Option<crate::types::Owner>"), "Pet.owner");
    assert!(text.contains("pub pets: Option<Vec<crate::types::Pet>>"), "Owner.pets");
    // The path item and the operation from other files, with the shared
    // parameter and the response whose schema is back in the description.
    assert!(text.contains("pub async fn list_pets("), "listPets");
    assert!(text.contains("pub async fn get_pet("), "getPet");
    assert!(text.contains("pub limit: Option<"), "the shared `limit` parameter");
    assert!(text.contains("Default(Box<rt::ApiError<crate::types::Problem>>)"), "the shared error response");
}

#[test]
fn bundling_is_deterministic_and_leaves_a_single_file_as_it_is() {
    let once = generator::bundle::read(&fixture(), "api.yaml").unwrap();
    assert_eq!(once, generator::bundle::read(&fixture(), "api.yaml").unwrap());
    let single = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed.yaml");
    assert_eq!(generator::bundle::read(&single, "seed.yaml").unwrap(), fs::read(&single).unwrap());
}

/// A description in a fresh folder of the temporary directory: `files`
/// are (path, text), the first the description, whose path it derefs to.
/// The folder is removed when the value is dropped.
fn folder(name: &str, files: &[(&str, &str)]) -> Folder {
    let dir = std::env::temp_dir().join(format!("bundle-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    for (path, text) in files {
        let p = dir.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    Folder { description: dir.join(files[0].0), dir }
}

struct Folder {
    dir: PathBuf,
    description: PathBuf,
}

impl std::ops::Deref for Folder {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.description
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

fn errors(path: &Path) -> String {
    match generator::bundle::read(path, "api.yaml") {
        Ok(_) => panic!("{} bundled", path.display()),
        Err(d) => {
            assert!(d.has_errors());
            d.to_string()
        }
    }
}

#[test]
fn a_broken_reference_to_another_file_is_an_error_naming_the_file_and_the_pointer() {
    let paths = "paths:\n  /a:\n    get:\n      $ref: ops/a.yaml\n";
    // A file that is not there, from the description.
    let missing = folder("missing", &[("api.yaml", &format!("{HEAD}{paths}"))]);
    let e = errors(&missing);
    assert!(e.contains("#/paths/~1a/get") && e.contains("ops/a.yaml") && e.contains("cannot be read"), "{e}");
    // A fragment that points at nothing, from another file: the pointer is that file's.
    let op = "responses:\n  '200':\n    $ref: '../shared.yaml#/nope'\n";
    let nothing = folder(
        "nothing",
        &[("api.yaml", &format!("{HEAD}{paths}")), ("ops/a.yaml", op), ("shared.yaml", "ok: {description: ok}\n")],
    );
    let e = errors(&nothing);
    assert!(e.contains("ops/a.yaml#/responses/200") && e.contains("points at nothing"), "{e}");
    // A remote reference is never fetched.
    let remote = "paths:\n  /a:\n    get:\n      $ref: 'https://example.com/a.yaml'\n";
    let e = errors(&folder("remote", &[("api.yaml", &format!("{HEAD}{remote}"))]));
    assert!(e.contains("#/paths/~1a/get") && e.contains("remote references are not fetched"), "{e}");
    // Path items that include each other never end.
    let cycle = "get:\n  $ref: 'b.yaml'\n";
    let e = errors(&folder(
        "cycle",
        &[
            ("api.yaml", &format!("{HEAD}paths:\n  /a:\n    $ref: a.yaml\n")),
            ("a.yaml", cycle),
            ("b.yaml", "$ref: a.yaml\n"),
        ],
    ));
    assert!(e.contains("nest more than"), "{e}");
    // A file that is no description fragment: its parse error, located.
    let e = errors(&folder("bad", &[("api.yaml", &format!("{HEAD}{paths}")), ("ops/a.yaml", "a: [1, 2\n")]));
    assert!(e.contains("ops/a.yaml") && e.contains("invalid yaml"), "{e}");
}

#[test]
fn files_that_include_the_next_twice_are_refused_not_copied_without_end() {
    // 30 levels of path items each made of two copies of the next: 2^30
    // copies if nothing bounded them.
    let mut files: Vec<(String, String)> =
        vec![("api.yaml".into(), format!("{HEAD}paths:\n  /a:\n    $ref: l0.yaml\n"))];
    for i in 0..30 {
        let next = format!("l{}.yaml", i + 1);
        files.push((format!("l{i}.yaml"), format!("get:\n  a: {{$ref: {next}}}\n  b: {{$ref: {next}}}\n")));
    }
    files.push(("l30.yaml".into(), "description: leaf\nitems: [1, 2, 3, 4, 5, 6, 7, 8]\n".into()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let t = std::time::Instant::now();
    let e = errors(&folder("doubling", &refs));
    assert!(e.contains("more than"), "{e}");
    assert!(t.elapsed() < std::time::Duration::from_secs(60), "took {:?}", t.elapsed());
}

#[test]
fn a_ref_to_another_file_is_found_however_it_is_quoted() {
    // JSON, and YAML plain, single- and double-quoted: each is bundled (the
    // text scan that skips one-file descriptions must not miss any).
    let op = "responses: {'204': {description: ok}}\n";
    for (name, r) in
        [("plain", "$ref: ops/a.yaml"), ("single", "$ref: 'ops/a.yaml'"), ("double", "\"$ref\": \"ops/a.yaml\"")]
    {
        let api = format!("{HEAD}paths:\n  /a:\n    get:\n      {r}\n");
        let path = folder(name, &[("api.yaml", &api), ("ops/a.yaml", op)]);
        let bytes = generator::bundle::read(&path, "api.yaml").unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("\"204\"") && !text.contains("ops/a.yaml"), "{name}: {text}");
    }
    let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"$ref" : "ops/a.yaml"}}}}"#;
    let path = folder("json", &[("api.json", json), ("ops/a.yaml", op)]);
    let text = String::from_utf8(generator::bundle::read(&path, "api.json").unwrap()).unwrap();
    assert!(text.contains("\"204\""), "{text}");
}

#[test]
fn a_discriminator_mapping_to_other_files_points_where_the_schemas_moved_and_file_names_are_percent_decoded() {
    // The members and the mapping name the same files, one of them with a
    // space in its name, written percent-encoded as a URI reference is; a
    // mapping value that is a schema's name (with dots) is left as it is.
    let api = format!(
        "{HEAD}paths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: a pet\n          \
         content:\n            application/json:\n              schema: {{$ref: 'models/pet.yaml'}}\n\
         components:\n  schemas:\n    io.pets.Bird:\n      type: object\n      properties:\n        \
         kind: {{type: string}}\n        wings: {{type: integer}}\n"
    );
    let pet = "oneOf:\n  - $ref: 'dog%20v2.yaml'\n  - $ref: './cat.yaml#/Cat'\n  - $ref: '../api.yaml#/components/schemas/io.pets.Bird'\n\
               discriminator:\n  propertyName: kind\n  mapping:\n    dog: 'dog%20v2.yaml'\n    cat: './cat.yaml#/Cat'\n    \
               bird: io.pets.Bird\n";
    let dog = "type: object\nproperties:\n  kind: {type: string}\n  barks: {type: boolean}\n";
    let cat = "Cat:\n  type: object\n  properties:\n    kind: {type: string}\n    lives: {type: integer}\n";
    let path = folder(
        "mapping",
        &[("api.yaml", &api), ("models/pet.yaml", pet), ("models/dog v2.yaml", dog), ("models/cat.yaml", cat)],
    );
    let out = generate(&path);
    assert!(out.diagnostics.is_empty(), "{}", out.diagnostics);
    let text = text(&out);
    // Each variant is chosen by the wire value its mapping gives, not by
    // the name of the schema it moved to (`Some("dog v2")`, `Some("Cat")`).
    for arm in ["Some(\"dog\") =>", "Some(\"cat\") =>", "Some(\"bird\") =>"] {
        assert!(text.contains(arm), "no `{arm}` in the crate");
    }
    assert!(text.contains("pub struct DogV2 {") || text.contains("pub struct Dogv2 {"), "the file with a space");
}
