//! A generated crate as one file of Rust, for a build script that writes it
//! into `OUT_DIR` and a crate that `include!`s it at its root.
//!
//! `include!` cannot take inner attributes or out-of-line modules, so every
//! `mod name;` is replaced by the file it names, inline; each file's `//!`
//! docs are dropped and its inner attributes become outer attributes of its
//! module (the crate root's, of every top-level module), so that no module
//! mixes inner and outer attributes. Generated code names items by
//! `crate::` paths, so the file must be included at a crate root.
//!
//! The including crate has none of the generated crate's group features, so
//! their `#[cfg(feature = ..)]` attributes are dropped: everything is in, as
//! with the default feature `full`. The runtime's own features (`blocking`)
//! stay: the including crate declares them and turns them on or off.

use std::collections::BTreeMap;

use crate::render::OutputFile;

/// The crate in `files` (as [`crate::generate`] returns it) as one file.
pub fn single_file(files: &[OutputFile]) -> Result<String, String> {
    let texts: Vec<String> = files.iter().map(|f| without_feature_cfgs(&f.contents)).collect();
    let by_path: BTreeMap<&str, &str> = files.iter().zip(&texts).map(|(f, t)| (f.path.as_str(), t.as_str())).collect();
    let root = by_path.get("src/lib.rs").ok_or("the crate has no src/lib.rs")?;
    let (lints, body) = split_inner(root);
    let mut out = String::new();
    if let Some(header) = root.lines().next().filter(|l| crate::render::is_generated(l)) {
        out.push_str(header);
        out.push_str("\n\n");
    }
    inline(&by_path, "src/lib.rs", &body, &lints, 0, &mut out)?;
    Ok(out)
}

/// A file's inner attributes as outer ones, and the rest of the file
/// without its header, `//!` docs and inner attributes.
fn split_inner(text: &str) -> (Vec<String>, String) {
    let mut lints = Vec::new();
    let mut body = String::new();
    let mut in_attr: Option<String> = None;
    // Inner attributes and docs only come before the first item.
    let mut leading = true;
    for line in text.lines() {
        if !leading {
            body.push_str(line);
            body.push('\n');
            continue;
        }
        if let Some(attr) = &mut in_attr {
            attr.push('\n');
            attr.push_str(line);
            if line.starts_with(")]") || line == "]" {
                lints.push(std::mem::take(attr));
                in_attr = None;
            }
            continue;
        }
        if crate::render::is_generated(line) || line.starts_with("//!") {
            continue;
        }
        if let Some(rest) = line.strip_prefix("#![") {
            let attr = format!("#[{rest}");
            if line.ends_with(']') {
                lints.push(attr);
            } else {
                in_attr = Some(attr);
            }
            continue;
        }
        leading = line.trim().is_empty() || line.starts_with("//");
        body.push_str(line);
        body.push('\n');
    }
    (lints, body)
}

/// Appends `text` (the file at `path`) with its `mod name;` lines replaced
/// by the modules' files; `lints` go before top-level modules.
fn inline(
    files: &BTreeMap<&str, &str>,
    path: &str,
    text: &str,
    lints: &[String],
    depth: usize,
    out: &mut String,
) -> Result<(), String> {
    if depth > 16 {
        return Err(format!("modules nest too deep at {path}"));
    }
    // `src/lib.rs` and `src/x/mod.rs` hold modules of their folder;
    // `src/x.rs` those of `src/x/`.
    let dir = match path.strip_suffix("lib.rs").or_else(|| path.strip_suffix("mod.rs")) {
        Some(dir) => dir.to_string(),
        None => format!("{}/", path.trim_end_matches(".rs")),
    };
    for line in text.lines() {
        let Some((indent, decl, name)) = mod_decl(line) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let (child, child_text) = [format!("{dir}{name}.rs"), format!("{dir}{name}/mod.rs")]
            .into_iter()
            .find_map(|p| files.get(p.as_str()).map(|t| (p, *t)))
            .ok_or_else(|| format!("{path}: `{decl};` names no generated file"))?;
        let (own, child_body) = split_inner(child_text);
        for attr in lints.iter().chain(&own) {
            out.push_str(attr);
            out.push('\n');
        }
        out.push_str(&format!("{indent}{decl} {{\n"));
        inline(files, &child, &child_body, &[], depth + 1, out)?;
        out.push_str(&format!("{indent}}}\n"));
    }
    Ok(())
}

/// The text without the attributes that put items behind group features:
/// `#[cfg(feature = "g")]` and `#[cfg(any(feature = "a", ..))]`, on one line
/// or spread over several as the formatter breaks them.
fn without_feature_cfgs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending: Vec<&str> = Vec::new();
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if pending.is_empty() {
            if t == "#[cfg(" {
                pending.push(line);
            } else if !is_feature_cfg(t) {
                out.push_str(line);
            }
            continue;
        }
        pending.push(line);
        if t == ")]" {
            let inner: String = pending[1..pending.len() - 1].iter().map(|l| l.trim()).collect();
            if !is_feature_cfg(&format!("#[cfg({inner})]")) {
                pending.iter().for_each(|l| out.push_str(l));
            }
            pending.clear();
        } else if !(t == "any(" || t == ")" || t.starts_with("feature = \"")) {
            pending.iter().for_each(|l| out.push_str(l));
            pending.clear();
        }
    }
    pending.iter().for_each(|l| out.push_str(l));
    out
}

/// Whether `attr` (one line, trimmed) is a group-feature `cfg`. A `cfg`
/// of the runtime's own features (`blocking`) is kept: the including crate
/// declares those ([`crate::runtime_features`]) and chooses them.
fn is_feature_cfg(attr: &str) -> bool {
    let Some(inner) = attr.strip_prefix("#[cfg(").and_then(|a| a.strip_suffix(")]")) else { return false };
    let list = inner.strip_prefix("any(").and_then(|i| i.strip_suffix(')')).unwrap_or(inner);
    let runtime: Vec<&str> =
        crate::runtime_features().lines().filter_map(|l| l.split_once(" =")).map(|(name, _)| name.trim()).collect();
    list.split(',').map(str::trim).filter(|f| !f.is_empty()).all(|f| {
        f.strip_prefix("feature = \"")
            .and_then(|f| f.strip_suffix('"'))
            .is_some_and(|n| !n.contains('"') && !runtime.contains(&n))
    })
}

/// `    pub mod name;` -> (`    `, `pub mod name`, `name`).
fn mod_decl(line: &str) -> Option<(&str, &str, &str)> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let decl = trimmed.strip_suffix(';')?;
    let name = ["mod ", "pub mod ", "pub(crate) mod "].iter().find_map(|p| decl.strip_prefix(p))?;
    let ident = name.strip_prefix("r#").unwrap_or(name);
    if ident.is_empty() || !ident.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some((indent, decl, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_feature_cfgs_are_dropped() {
        let text = "#[cfg(feature = \"users\")]\npub mod users;\n    #[cfg(any(feature = \"a\", feature = \"b\"))]\n    pub struct A;\n#[cfg(\n    any(\n        feature = \"a\",\n        feature = \"b\",\n    )\n)]\npub struct B;\n#[cfg(test)]\nmod t;\n#[cfg(\n    not(unix)\n)]\nfn c() {}\n";
        let out = without_feature_cfgs(text);
        assert_eq!(out, "pub mod users;\n    pub struct A;\npub struct B;\n#[cfg(test)]\nmod t;\n#[cfg(\n    not(unix)\n)]\nfn c() {}\n");
    }

    #[test]
    fn runtime_feature_cfgs_stay() {
        let text = "#[cfg(feature = \"blocking\")]\npub mod blocking;\n#[cfg(feature = \"users\")]\npub mod users;\n";
        assert_eq!(without_feature_cfgs(text), "#[cfg(feature = \"blocking\")]\npub mod blocking;\npub mod users;\n");
    }

    fn file(path: &str, contents: &str) -> OutputFile {
        OutputFile { path: path.into(), contents: contents.into() }
    }

    #[test]
    fn modules_are_inlined_and_root_lints_move_onto_them() {
        let files = [
            file("src/lib.rs", "// @generated by `t` from t.yaml. Do not edit by hand.\n\n//! Docs.\n#![allow(deprecated)]\n#![allow(\n    clippy::a,\n    clippy::b\n)]\n\npub mod types;\nmod client;\npub use client::X;\n"),
            file("src/types/mod.rs", "// @generated by `t` from t.yaml. Do not edit by hand.\n\n//! Types.\nmod t_a;\npub use t_a::*;\n"),
            file("src/types/t_a.rs", "pub struct A;\n"),
            file("src/client.rs", "pub struct X;\n"),
        ];
        let text = single_file(&files).expect("inlines");
        assert!(text.starts_with("// @generated by `t`"), "{text}");
        assert!(!text.contains("#!["), "{text}");
        assert!(text.contains("#[allow(deprecated)]\n#[allow(\n    clippy::a,\n    clippy::b\n)]\npub mod types {\n\nmod t_a {\npub struct A;\n}\npub use t_a::*;\n}\n"), "{text}");
        assert!(text.contains("mod client {\npub struct X;\n}\npub use client::X;"), "{text}");
        assert!(!text.contains("//! Docs."), "{text}");
    }

    #[test]
    fn a_module_without_a_file_is_an_error() {
        let files = [file("src/lib.rs", "mod gone;\n")];
        assert_eq!(single_file(&files), Err("src/lib.rs: `mod gone;` names no generated file".to_string()));
        assert!(single_file(&[]).is_err());
    }
}
