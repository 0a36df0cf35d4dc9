//! Every key a settings file (`codegen.yaml`) may hold, with its type: an
//! unknown key (a typo such as `defualt_take`) or a value of the wrong type
//! is an error naming the file, the line and the key path, instead of a
//! setting silently ignored. README.md's "Settings reference" documents the
//! same keys; a test checks that it names every one.

use crate::diag::Diagnostics;
use crate::pointer::Pointer;
use crate::value::Value;

/// The shape of a settings value.
pub(crate) enum Shape {
    Str,
    Int,
    Bool,
    Strings,
    /// A string, or a list of strings.
    StrOrStrings,
    Table(&'static [(&'static str, Shape)]),
    ListOf(&'static [(&'static str, Shape)]),
}

use Shape::{Bool, Int, ListOf, Str, StrOrStrings, Strings, Table};

/// The settings file, key by key.
pub(crate) const SETTINGS: &[(&str, Shape)] = &[
    (
        "paging",
        Table(&[
            ("offset", Table(&[("page", Str), ("per_page", Str), ("include_totals", Str), ("default_per_page", Int)])),
            (
                "checkpoint",
                Table(&[
                    ("from", Str),
                    ("take", Str),
                    ("next", Str),
                    ("default_take", Int),
                    ("item_cursor", StrOrStrings),
                ]),
            ),
            ("result_caps", ListOf(&[("route", Str), ("limit", Int), ("hint", Str)])),
            ("page_size_caps", ListOf(&[("route", Str), ("limit", Int)])),
        ]),
    ),
    ("readme", Table(&[("operation", Str), ("fields", ListOf(&[("field", Str), ("value", Str)]))])),
    ("telemetry", Table(&[("header", Str)])),
    ("custom_domain", Table(&[("header", Str), ("routes", Strings)])),
    ("client_credentials", Table(&[("token_url", Str)])),
    ("event_stream", Table(&[("type_field", Str)])),
    (
        "package",
        Table(&[
            ("description", Str),
            ("repository", Str),
            ("documentation", Str),
            ("homepage", Str),
            ("keywords", Strings),
            ("categories", Strings),
            ("publish", Bool),
        ]),
    ),
    ("overlays", Strings),
];

/// Checks `doc` (the file `text`) against [`SETTINGS`].
pub(crate) fn check(text: &str, doc: &Value, diags: &mut Diagnostics) {
    match doc {
        Value::Null => {}
        Value::Object(_) => check_table(text, doc, SETTINGS, &Pointer::root(), &mut Vec::new(), diags),
        other => diags.error("#", format!("line 1: expected a table of settings, found {}", other.kind())),
    }
}

fn check_table(
    text: &str,
    v: &Value,
    keys: &[(&str, Shape)],
    ptr: &Pointer,
    path: &mut Vec<String>,
    diags: &mut Diagnostics,
) {
    let Some(map) = v.as_object() else {
        let at = located(text, path);
        diags.error(ptr, format!("{at}: expected a table, found {}", v.kind()));
        return;
    };
    for (key, value) in map.iter() {
        path.push(key.clone());
        match keys.iter().find(|(k, _)| k == key) {
            None => {
                let known: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
                let at = located(text, path);
                diags
                    .error(ptr.join(key), format!("{at}: unknown settings key; known keys here: {}", known.join(", ")));
            }
            Some((_, shape)) => check_value(text, value, shape, &ptr.join(key), path, diags),
        }
        path.pop();
    }
}

fn check_value(text: &str, v: &Value, shape: &Shape, ptr: &Pointer, path: &mut Vec<String>, diags: &mut Diagnostics) {
    let expected = match shape {
        Str if v.as_str().is_none() => "a string",
        Int if v.as_u64().is_none() => "a non-negative integer",
        Bool if v.as_bool().is_none() => "true or false",
        Strings if !v.as_array().is_some_and(|a| a.iter().all(|x| x.as_str().is_some())) => "a list of strings",
        StrOrStrings
            if v.as_str().is_none() && !v.as_array().is_some_and(|a| a.iter().all(|x| x.as_str().is_some())) =>
        {
            "a string or a list of strings"
        }
        Table(keys) => return check_table(text, v, keys, ptr, path, diags),
        ListOf(keys) => {
            let Some(items) = v.as_array() else {
                let at = located(text, path);
                return diags.error(ptr, format!("{at}: expected a list of tables, found {}", v.kind()));
            };
            for (i, item) in items.iter().enumerate() {
                check_table(text, item, keys, &ptr.join(i.to_string()), path, diags);
            }
            return;
        }
        _ => return,
    };
    let at = located(text, path);
    diags.error(ptr, format!("{at}: expected {expected}, found {}", v.kind()));
}

/// `line N, key a.b.c`: where a key path is in the text (block or flow
/// YAML): each key is looked for from the line of its parent on.
fn located(text: &str, path: &[String]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut line = 0;
    for key in path {
        let found = (line..lines.len()).find(|&i| has_key(lines[i], key));
        if let Some(i) = found {
            line = i;
        }
    }
    format!("line {}, key `{}`", line + 1, path.join("."))
}

/// Whether `line` holds `key:` as a key (at its start, or after `{`, `,`
/// or `- `).
fn has_key(line: &str, key: &str) -> bool {
    let code = line.split(" #").next().unwrap_or(line);
    let mut rest = code;
    while let Some(i) = rest.find(key) {
        let before = rest[..i].trim_end();
        let after = &rest[i + key.len()..];
        let quoted_after = after.strip_prefix('"').or_else(|| after.strip_prefix('\'')).unwrap_or(after);
        let key_start = before.is_empty() || before.ends_with(['{', ',', '-', '"', '\'']);
        if key_start && quoted_after.trim_start().starts_with(':') {
            return true;
        }
        rest = &rest[i + key.len()..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        let doc = crate::load::load("codegen.yaml", text.as_bytes()).expect("yaml");
        let mut diags = Diagnostics::new("codegen.yaml");
        check(text, &doc, &mut diags);
        diags.errors().map(|d| format!("{} {}", d.pointer, d.message)).collect()
    }

    #[test]
    fn the_repository_settings_are_valid() {
        let text = include_str!("../../spec/codegen.yaml");
        assert_eq!(errors(text), Vec::<String>::new());
    }

    /// Every key path, `paging.checkpoint.default_take`-style (lists of
    /// tables by the list's key).
    fn key_paths(keys: &[(&str, Shape)], prefix: &str, out: &mut Vec<String>) {
        for (k, shape) in keys {
            let path = if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
            match shape {
                Table(inner) => key_paths(inner, &path, out),
                _ => out.push(path),
            }
        }
    }

    #[test]
    fn the_readme_documents_every_key() {
        let readme = include_str!("../../README.md");
        let mut paths = Vec::new();
        key_paths(SETTINGS, "", &mut paths);
        assert!(paths.len() > 10);
        for p in paths {
            assert!(readme.contains(&format!("| `{p}` |")), "README's settings reference lacks `{p}`");
        }
    }

    #[test]
    fn unknown_keys_and_wrong_types_name_the_line_and_key_path() {
        let text = "paging:\n  checkpoint:\n    from: from\n    defualt_take: 50\nreadme: {operation: 3}\n";
        assert_eq!(
            errors(text),
            [
                "#/paging/checkpoint/defualt_take line 4, key `paging.checkpoint.defualt_take`: unknown settings key; \
                 known keys here: from, take, next, default_take, item_cursor",
                "#/readme/operation line 5, key `readme.operation`: expected a string, found integer",
            ]
        );
        let text = "paging:\n  result_caps:\n    - route: /users\n      limit: many\ncustom_domain: {routes: [1]}\n";
        assert_eq!(
            errors(text),
            [
                "#/paging/result_caps/0/limit line 4, key `paging.result_caps.limit`: expected a non-negative integer, found string",
                "#/custom_domain/routes line 5, key `custom_domain.routes`: expected a list of strings, found array",
            ]
        );
        assert_eq!(errors("pagng: {}\n").len(), 1);
    }
}
