//! Tests of `generator::diff`, the comparison behind `cargo xtask spec-diff`.
//!
//! Each folder under `tests/diff/` holds a pair of small descriptions
//! (`old.yaml` or `old.json`, `new.yaml` or `new.json`) showing one kind of
//! change, and `expected.md`, the Markdown report. The table in `cases`
//! states each pair's expected classification, so a golden cannot be
//! accepted with the wrong class. Update the reports with
//! `UPDATE_GOLDEN=1 cargo test -p generator --test spec_diff` and review
//! the diff.
//!
//! `seed_pair` edits the real seed description, `generator/tests/fixtures/seed.yaml`, in
//! memory and checks the report names the generated crate's Rust paths.

use std::fs;
use std::path::{Path, PathBuf};

use generator::diff::{self, Bump, Class, Report};
use generator::ir::Api;
use generator::Config;

use Class::{Breaking, Compatible};

fn config(label: &str) -> Config {
    Config {
        crate_name: "fixture".into(),
        crate_version: "0.1.0".into(),
        spec_label: label.into(),
        command: "cargo test -p generator --test spec_diff".into(),
        standalone: false,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::Crate,
        settings: Default::default(),
    }
}

fn load(label: &str, bytes: &[u8]) -> Api {
    match generator::load_api(label, bytes, &config(label)) {
        Ok((api, _)) => api,
        Err(d) => panic!("{label} failed to load:\n{d}"),
    }
}

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff").join(case)
}

/// The `old.*` or `new.*` file of a case.
fn side(dir: &Path, stem: &str) -> PathBuf {
    ["yaml", "json"]
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("{} has no {stem}.yaml or {stem}.json", dir.display()))
}

fn diff_case(case: &str) -> Report {
    let dir = case_dir(case);
    let (old, new) = (side(&dir, "old"), side(&dir, "new"));
    let old = load(&format!("{case}/old"), &fs::read(old).unwrap());
    let new = load(&format!("{case}/new"), &fs::read(new).unwrap());
    diff::diff(&old, &new)
}

/// Checks a case's bump and its exact list of `(class, kind, rust_path)`
/// changes, then compares the Markdown report with `expected.md`.
#[track_caller]
fn check(case: &str, bump: Bump, expected: &[(Class, &str, &str)]) {
    let report = diff_case(case);
    let got: Vec<(Class, &str, &str)> = report.changes().map(|c| (c.class, c.kind, c.rust_path.as_str())).collect();
    assert_eq!(got, expected, "{case}: changes differ");
    assert_eq!(report.bump(), bump, "{case}: bump differs");
    assert_eq!(report.is_breaking(), expected.iter().any(|e| e.0 == Breaking), "{case}");
    let markdown = report.to_markdown(&format!("{case}/old → {case}/new"));
    let golden = case_dir(case).join("expected.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&golden, &markdown).unwrap();
        return;
    }
    let want = fs::read_to_string(&golden).unwrap_or_default().replace("\r\n", "\n");
    if want != markdown {
        let diff = similar::TextDiff::from_lines(&want, &markdown);
        panic!(
            "{case}: the report differs from {}\n{}\nrun `UPDATE_GOLDEN=1 cargo test -p generator --test spec_diff` and review the diff",
            golden.display(),
            diff.unified_diff().header("expected", "actual")
        );
    }
}

#[test]
fn operation_added() {
    check("operation_added", Bump::Minor, &[(Compatible, "operation-added", "client.pets().get")]);
}

#[test]
fn operation_removed() {
    check("operation_removed", Bump::Major, &[(Breaking, "operation-removed", "client.pets().create")]);
}

#[test]
fn param_added_optional() {
    check(
        "param_added_optional",
        Bump::Minor,
        &[(Compatible, "param-added", "operations::pets::PetsListParams::offset")],
    );
}

#[test]
fn param_added_required() {
    check("param_added_required", Bump::Major, &[(Breaking, "param-added", "operations::pets::PetsListParams::owner")]);
}

/// The first optional query parameter adds a `params` argument, which
/// breaks callers even though the parameter itself is optional.
#[test]
fn param_added_first() {
    check(
        "param_added_first",
        Bump::Major,
        &[
            (Breaking, "params-struct-added", "operations::pets::PetsCreateParams"),
            (Compatible, "param-added", "operations::pets::PetsCreateParams::dry_run"),
        ],
    );
}

#[test]
fn param_removed() {
    check(
        "param_removed",
        Bump::Major,
        &[
            (Breaking, "params-struct-removed", "operations::pets::PetsListParams"),
            (Breaking, "param-removed", "operations::pets::PetsListParams::limit"),
        ],
    );
}

#[test]
fn field_added_optional() {
    check("field_added_optional", Bump::Minor, &[(Compatible, "field-added", "types::NewPet::age")]);
}

#[test]
fn field_added_required() {
    check("field_added_required", Bump::Major, &[(Breaking, "field-added", "types::NewPet::owner")]);
}

#[test]
fn field_removed() {
    check("field_removed", Bump::Major, &[(Breaking, "field-removed", "types::NewPet::tag")]);
}

#[test]
fn field_became_required() {
    check("field_became_required", Bump::Major, &[(Breaking, "field-required", "types::NewPet::tag")]);
}

#[test]
fn enum_value_added() {
    check("enum_value_added", Bump::Minor, &[(Compatible, "enum-value-added", "types::PetKind::Bird")]);
}

#[test]
fn enum_value_removed() {
    check("enum_value_removed", Bump::Major, &[(Breaking, "enum-value-removed", "types::PetKind::Dog")]);
}

#[test]
fn status_added() {
    check("status_added", Bump::Minor, &[(Compatible, "status-added", "operations::pets::PetsCreateError::Conflict")]);
}

#[test]
fn status_removed() {
    check(
        "status_removed",
        Bump::Major,
        &[(Breaking, "status-removed", "operations::pets::PetsCreateError::BadRequest")],
    );
}

#[test]
fn constraint_narrowed() {
    check("constraint_narrowed", Bump::Major, &[(Breaking, "constraint-narrowed", "types::NewPet::name")]);
}

/// An `anyOf` of members that only require properties: requests without
/// either are refused now.
#[test]
fn key_rule_added() {
    check("key_rule_added", Bump::Major, &[(Breaking, "constraint-narrowed", "types::NewPet")]);
}

#[test]
fn number_bounds() {
    // A larger non-integral minimum and a new multipleOf narrow; a multipleOf
    // that divides the old one widens.
    check(
        "number_bounds",
        Bump::Major,
        &[
            (Breaking, "constraint-narrowed", "types::NewPet::weight"),
            (Compatible, "constraint-widened", "types::NewPet::count"),
        ],
    );
}

#[test]
fn constraint_widened() {
    check("constraint_widened", Bump::Minor, &[(Compatible, "constraint-widened", "types::NewPet::name")]);
}

#[test]
fn type_changed() {
    check("type_changed", Bump::Major, &[(Breaking, "type-changed", "types::Pet::id")]);
}

#[test]
fn format_changed() {
    check("format_changed", Bump::Major, &[(Breaking, "format-changed", "types::Pet::id")]);
}

#[test]
fn media_type_added() {
    check("media_type_added", Bump::Minor, &[(Compatible, "media-type-added", "client.pets().create(.., body)")]);
}

#[test]
fn media_type_removed() {
    check("media_type_removed", Bump::Major, &[(Breaking, "media-type-removed", "client.pets().create(.., body)")]);
}

#[test]
fn type_added() {
    check("type_added", Bump::Minor, &[(Compatible, "type-added", "types::Owner")]);
}

#[test]
fn type_removed() {
    check("type_removed", Bump::Major, &[(Breaking, "type-removed", "types::Owner")]);
}

#[test]
fn docs_only() {
    check("docs_only", Bump::Patch, &[]);
}

/// OpenAPI 3.0 YAML against 3.1 JSON: only the 3.1 `type: [string, "null"]`
/// differs.
#[test]
fn yaml30_to_json31() {
    check("yaml30_to_json31", Bump::Major, &[(Breaking, "field-nullable", "types::NewPet::tag")]);
}

/// Every case folder has a test above (a new folder must get one).
#[test]
fn every_case_is_checked() {
    let this = include_str!("spec_diff.rs");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let mut n = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        assert!(this.contains(&format!("fn {name}()")), "tests/diff/{name} has no test");
        n += 1;
    }
    assert!(n >= 20, "only {n} cases");
}

fn seed() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed.yaml");
    fs::read_to_string(path).unwrap()
}

#[track_caller]
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

/// The seed against a changed copy: a new enum value, `phone_number`
/// narrowed from 30 to 20 characters in the request, a new required field.
#[test]
fn seed_pair() {
    let old_text = seed();
    let mut new_text = edit(
        &old_text,
        "        - webauthn-roaming\n        - passkey\n",
        "        - webauthn-roaming\n        - passkey\n        - recovery-code\n",
    );
    // Narrow only the request's `phone_number` (the response has the same
    // property, which must stay unchanged).
    let (head, tail) = new_text.split_at(new_text.find("    CreateUserAuthenticationMethodRequestContent:").unwrap());
    let tail = tail.replacen("maxLength: 30", "maxLength: 20", 1);
    new_text = format!("{head}{tail}");
    new_text = edit(
        &new_text,
        "      additionalProperties: false\n      required:\n        - type\n      properties:\n        type:\n          $ref: '#/components/schemas/CreatedUserAuthenticationMethodTypeEnum'\n        name:",
        "      additionalProperties: false\n      required:\n        - type\n        - connection\n      properties:\n        type:\n          $ref: '#/components/schemas/CreatedUserAuthenticationMethodTypeEnum'\n        connection:\n          type: string\n          description: The connection.\n        name:",
    );
    let old = load("spec/openapi.yaml", old_text.as_bytes());
    let new = load("spec/openapi.yaml (edited)", new_text.as_bytes());
    let report = diff::diff(&old, &new);
    let got: Vec<(Class, &str, &str)> = report.changes().map(|c| (c.class, c.kind, c.rust_path.as_str())).collect();
    assert_eq!(
        got,
        [
            (Breaking, "field-added", "types::CreateUserAuthenticationMethodRequestContent::connection"),
            (Breaking, "constraint-narrowed", "types::CreateUserAuthenticationMethodRequestContent::phone_number"),
            (Compatible, "enum-value-added", "types::CreatedUserAuthenticationMethodTypeEnum::RecoveryCode"),
        ]
    );
    assert_eq!(report.bump(), Bump::Major);
    let md = report.to_markdown("seed");
    for needle in [
        "**Semver bump: major**",
        "`types::CreateUserAuthenticationMethodRequestContent::phone_number` is now `Option<rt::BoundedString<2, 20>>` (was `Option<rt::BoundedString<2, 30>>`)",
        "maxLength 30 -> 20",
        "`types::CreateUserAuthenticationMethodRequestContent::connection: String` must be set",
        "`types::CreatedUserAuthenticationMethodTypeEnum::RecoveryCode`",
    ] {
        assert!(md.contains(needle), "{needle:?} not in:\n{md}");
    }
    assert!(!md.contains("CreateUserAuthenticationMethodResponseContent"), "{md}");
    // The JSON form carries the same facts, and both forms are deterministic.
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["summary"]["bump"], "major");
    assert_eq!(json["summary"]["breaking"], 2);
    assert_eq!(json["summary"]["types"]["changed"], 2);
    assert_eq!(
        json["types"][0]["changes"][1]["rust_path"],
        "types::CreateUserAuthenticationMethodRequestContent::phone_number"
    );
    assert_eq!(report.to_json(), diff::diff(&old, &new).to_json());
}

/// A description against itself has no changes and needs no bump.
#[test]
fn seed_unchanged() {
    let api = load("spec/openapi.yaml", seed().as_bytes());
    let report = diff::diff(&api, &api);
    assert_eq!(report.changes().count(), 0);
    assert_eq!(report.bump(), Bump::Patch);
    assert!(report.to_markdown("same").contains("No operation or type changed."));
}

/// A type that was another name for a same-shape type becomes its own
/// struct: code that passed one for the other stops compiling.
#[test]
fn alias_split() {
    check(
        "alias_split",
        Bump::Major,
        &[(Breaking, "type-split", "types::Owner"), (Compatible, "field-added", "types::Owner::since")],
    );
}

/// A struct that takes another's shape becomes another name for it.
#[test]
fn alias_merged() {
    check(
        "alias_merged",
        Bump::Major,
        &[(Compatible, "type-merged", "types::Owner"), (Breaking, "field-removed", "types::Owner::since")],
    );
}
