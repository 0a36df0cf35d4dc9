//! The names a user of the Auth0 client writes, checked on `spec/openapi.yaml`
//! and the checked-in `generated/`: path parameters (and every other
//! argument) are plain values, never constraint types; a type a request
//! takes keeps the description's name for it; a params struct keeps the
//! name `x-operation-request-parameters-name` gives it.

use std::path::Path;

use generator::Config;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace")
}

fn auth0() -> (generator::ir::Api, generator::value::Value) {
    let spec = std::fs::read(root().join("spec/openapi.yaml")).expect("spec");
    let settings = generator::write::read_settings(&root().join("spec/codegen.yaml")).expect("settings");
    let config = Config {
        crate_name: "auth0-management-api".into(),
        crate_version: "0.1.0".into(),
        spec_label: "spec/openapi.yaml".into(),
        command: "cargo test -p generator --test user_names".into(),
        standalone: false,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::Crate,
        settings,
    };
    let (api, _) = generator::load_api("openapi.yaml", &spec, &config).expect("lowers");
    // The description the client is generated from: with the overlays.
    let doc = generator::load_document("openapi.yaml", &spec, &config).expect("loads");
    (api, doc)
}

/// The signature of every public function of the operation modules, from
/// `pub` to its body's `{`.
fn signatures(text: &str) -> Vec<String> {
    let mut res = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("pub async fn ").or_else(|| rest.find("pub fn ")) {
        let tail = &rest[i..];
        let end = tail.find('{').unwrap_or(tail.len());
        res.push(tail[..end].split_whitespace().collect::<Vec<_>>().join(" "));
        rest = &tail[end..];
    }
    res
}

#[test]
fn no_argument_of_an_operation_or_setter_is_a_constraint_type() {
    // The Auth0 client is split into crates (`generated/crates/*`).
    let mut files = Vec::new();
    for krate in std::fs::read_dir(root().join("generated/crates")).expect("crates") {
        let dir = krate.expect("entry").path().join("src/operations");
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(entries.map(|e| e.expect("entry").path()));
        }
    }
    files.sort();
    assert!(files.len() > 40, "{files:?}");
    let mut bad = Vec::new();
    let mut seen = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        for sig in signatures(&text) {
            seen += 1;
            let args = sig.split(") ->").next().unwrap_or(&sig);
            if args.contains("rt::Bounded") || args.contains("Pattern") {
                bad.push(sig);
            }
        }
    }
    assert!(seen > 1000, "only {seen} signatures found: the scan is broken");
    assert!(bad.is_empty(), "arguments of constraint types:\n{}", bad.join("\n"));
}

#[test]
fn every_type_a_request_takes_keeps_the_description_s_name() {
    let (api, doc) = auth0();
    let reached =
        generator::ir_visit::reachable(&api, api.operations.iter().flat_map(generator::ir_visit::request_tys));
    let schemas = doc.get("components").and_then(|c| c.get("schemas")).and_then(|s| s.as_object()).expect("schemas");
    let (mut named, mut bad) = (0, Vec::new());
    for (def, _) in api.types.iter().zip(&reached).filter(|(_, r)| **r) {
        let mut tokens = def.pointer.tokens();
        let key = match (tokens.next().as_deref(), tokens.next().as_deref(), tokens.next(), tokens.next()) {
            (Some("components"), Some("schemas"), Some(key), None) => key,
            // Written inline: the description gives it no name.
            _ => continue,
        };
        assert!(schemas.get(&key).is_some(), "{key} is no schema");
        named += 1;
        let own: String = key.chars().filter(char::is_ascii_alphanumeric).collect();
        if def.name.rust.len() > own.len() || def.name.rust != generator::naming::type_name(&key) {
            bad.push(format!("{key} is {}", def.name.rust));
        }
    }
    assert!(named > 500, "only {named} named request types: the walk is broken");
    assert!(bad.is_empty(), "types renamed from the description's names:\n{}", bad.join("\n"));

    let mut params = 0;
    for op in &api.operations {
        let mut t = op.pointer.tokens().skip(1);
        let (Some(route), Some(method)) = (t.next(), t.next()) else { continue };
        let given = doc
            .get("paths")
            .and_then(|p| p.get(&route))
            .and_then(|p| p.get(&method))
            .and_then(|o| o.get("x-operation-request-parameters-name"))
            .and_then(|n| n.as_str());
        if let (Some(given), Some(ps)) = (given, &op.params_struct) {
            params += 1;
            assert_eq!(*ps, generator::naming::type_name(given), "{route} {method}");
        }
    }
    assert!(params > 50, "only {params} params structs named by the description");
}

/// Every setter of the Auth0 client that is not its field's own name, with
/// the reason: the rule (`naming::setters`) renames only a field whose name
/// is a method every value has, or the constructor, to `with_<name>`.
const SETTER_RENAMES: &[(&str, &str, &str, &str)] = &[
    ("ConnectionPasswordOptionsDictionary", "default", "with_default", "an inherent `default` takes `T::default()`"),
    ("FormFieldPasswordConfig", "hash", "with_hash", "an inherent `hash` hides `Hash::hash` from method calls"),
    ("FormLanguages", "default", "with_default", "an inherent `default` takes `T::default()`"),
];

#[test]
fn setters_keep_field_names_but_for_the_listed_renames() {
    let (api, _) = auth0();
    let reached =
        generator::ir_visit::reachable(&api, api.operations.iter().flat_map(generator::ir_visit::request_tys));
    let mut renames = Vec::new();
    for (i, def) in api.types.iter().enumerate() {
        if let (true, generator::ir::TypeKind::Struct(s)) = (reached[i], &def.kind) {
            for f in s.fields.iter().filter(|f| !f.read_only && !f.setter.name.is_empty()) {
                if f.setter.name != f.name.rust {
                    renames.push((def.name.rust.clone(), f.name.rust.clone(), f.setter.name.clone()));
                }
            }
        }
    }
    for op in &api.operations {
        for p in op.params.iter().filter(|p| p.location != generator::ir::ParamLocation::Path) {
            if !p.setter.name.is_empty() && p.setter.name != p.name.rust {
                renames.push((op.name.rust.clone(), p.name.rust.clone(), p.setter.name.clone()));
            }
        }
    }
    let listed: Vec<(String, String, String)> =
        SETTER_RENAMES.iter().map(|(t, f, s, _)| (t.to_string(), f.to_string(), s.to_string())).collect();
    assert_eq!(renames, listed, "setters renamed: (type or operation, field, setter)");
    for (_, field, setter) in &renames {
        assert_eq!(setter, &format!("with_{field}"), "the one rename rule");
    }
}

/// Whether a type is a component schema of the description whose name is
/// not an operation's wrapper (`naming::is_operation_wrapper`).
fn plain_component(def: &generator::ir::TypeDef) -> bool {
    let mut t = def.pointer.tokens();
    let component = matches!(
        (t.next().as_deref(), t.next().as_deref(), t.next(), t.next()),
        (Some("components"), Some("schemas"), Some(_), None)
    );
    component && !generator::naming::is_operation_wrapper(&def.name.rust)
}

#[test]
fn a_merged_shape_is_named_by_what_it_is() {
    use generator::ir::TypeKind;
    let (api, _) = auth0();
    let n = api.types.len();
    // For each type that keeps its code, the names sharing it.
    let mut names: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, def) in api.types.iter().enumerate() {
        if let TypeKind::SameShape(rep) = def.kind {
            names[rep.0].push(i);
        }
    }
    let mut merged = 0;
    let mut bad = Vec::new();
    for (rep, others) in names.iter().enumerate().filter(|(_, o)| !o.is_empty()) {
        merged += 1;
        let def = &api.types[rep];
        if !plain_component(def) {
            if let Some(&p) = others.iter().find(|&&o| plain_component(&api.types[o])) {
                bad.push(format!("{} names the shape of {}", def.name.rust, api.types[p].name.rust));
            }
        }
    }
    assert!(merged > 200, "only {merged} merged shapes: dedup is broken");
    assert!(bad.is_empty(), "merged shapes named by an operation's wrapper:\n{}", bad.join("\n"));
    let name = |key: &str| {
        let i = api.types.iter().position(|t| t.name.rust == key).unwrap_or_else(|| panic!("no type {key}"));
        match api.types[i].kind {
            TypeKind::SameShape(rep) => api.types[rep.0].name.rust.clone(),
            _ => key.to_string(),
        }
    };
    // The examples: what users meet for roles, logs and applications.
    for (wrapper, plain) in [
        ("CreateRoleResponseContent", "Role"),
        ("GetLogResponseContent", "Log"),
        ("GetClientResponseContent", "Client"),
        ("CreateUserResponseContent", "UserResponseSchema"),
    ] {
        assert_eq!(name(wrapper), plain, "{wrapper}");
    }
}

#[test]
fn no_signature_names_another_name_of_a_merged_shape() {
    use generator::ir::TypeKind;
    let (api, _) = auth0();
    // The names a signature must not write: every same-shape alias (the
    // shape's own name is written instead).
    let aliases: std::collections::BTreeSet<&str> =
        api.types.iter().filter(|t| matches!(t.kind, TypeKind::SameShape(_))).map(|t| t.name.rust.as_str()).collect();
    assert!(aliases.contains("CreateRoleResponseContent") && aliases.contains("GetLogResponseContent"));
    let mut files = Vec::new();
    for krate in std::fs::read_dir(root().join("generated/crates")).expect("crates") {
        let dir = krate.expect("entry").path().join("src/operations");
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(entries.map(|e| e.expect("entry").path()));
        }
    }
    files.sort();
    let (mut named, mut bad) = (0, Vec::new());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        for sig in signatures(&text) {
            for part in sig.split("crate::types::").skip(1) {
                let ty: String = part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                named += 1;
                if aliases.contains(ty.as_str()) {
                    bad.push(format!("{ty} in {sig}"));
                }
            }
        }
    }
    assert!(named > 500, "only {named} types named in signatures: the scan is broken");
    assert!(bad.is_empty(), "signatures naming another name of a merged shape:\n{}", bad.join("\n"));
}

/// Rustdoc of a type another crate declares (every type the split client
/// re-exports) shows a const argument written as an expression block as a
/// path into that crate's private modules (`..::{constant#1}`), so every
/// const argument of a constrained type is a literal.
#[test]
fn constrained_types_take_literal_const_arguments() {
    let mut files = Vec::new();
    for krate in std::fs::read_dir(root().join("generated/crates")).expect("crates") {
        let dir = krate.expect("entry").path().join("src/types");
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(entries.map(|e| e.expect("entry").path()));
        }
    }
    files.sort();
    let (mut bounded, mut bad) = (0, Vec::new());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        // Formatting splits long arguments over lines: read without whitespace.
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for part in text.split("rt::Bounded").skip(1) {
            let args: String = part.chars().take_while(|c| *c != '>').collect();
            bounded += 1;
            if args.contains('{') {
                bad.push(format!("{}: rt::Bounded{args}>", path.display()));
            }
        }
    }
    assert!(bounded > 1000, "only {bounded} constrained types found: the scan is broken");
    assert!(bad.is_empty(), "const arguments written as blocks:\n{}", bad[..bad.len().min(20)].join("\n"));
}
