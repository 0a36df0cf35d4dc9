//! The pieces every emitted `Cargo.toml` is made of, whole crate or part
//! of a split one: `[package]` and its metadata, TOML strings and the
//! `[lib]` table.

use crate::config::Config;

/// The `[lib]` table of every generated crate.
pub(crate) const LIB_TABLE: &str = "
# The crate is tested from outside (`client-tests`, `generator/tests`): its
# own test and doctest builds would compile thousands of types twice more.
[lib]
test = false
doctest = false
";

/// `[package]` with its metadata, then the dependencies and features.
pub(crate) fn manifest(name: &str, config: &Config, metadata: &str, dependencies: &str, features: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2021\"\nrust-version = \"1.85\"\n{metadata}\n{dependencies}\n{features}",
        version = config.crate_version,
    )
}

/// `description` to `publish`: what a registry shows and whether it takes
/// the crate; the README is the generated one (`readme`: the crate has one).
pub(crate) fn package_metadata(p: &crate::config::PackageSettings, readme: bool) -> String {
    let description = p.description.as_deref().unwrap_or("A typed client, generated from an OpenAPI description");
    let mut out = format!("description = {}\nlicense = \"MIT OR Apache-2.0\"\n", toml_str(description));
    if readme {
        out.push_str("readme = \"README.md\"\n");
    }
    for (key, value) in [("repository", &p.repository), ("documentation", &p.documentation), ("homepage", &p.homepage)]
    {
        if let Some(v) = value {
            out.push_str(&format!("{key} = {}\n", toml_str(v)));
        }
    }
    for (key, items) in [("keywords", &p.keywords), ("categories", &p.categories)] {
        if !items.is_empty() {
            let items: Vec<String> = items.iter().map(|i| toml_str(i)).collect();
            out.push_str(&format!("{key} = [{}]\n", items.join(", ")));
        }
    }
    if !p.publish {
        out.push_str("publish = false\n");
    }
    out
}

/// A TOML basic string.
pub(crate) fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
