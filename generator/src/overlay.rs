//! OpenAPI Overlay Specification 1.0.0 documents, applied to a loaded
//! description before it is lowered, so that a user can correct a vendor's
//! description without forking it.
//!
//! An overlay is `overlay: 1.0.x`, `info {title, version}`, an optional
//! `extends` (not used: the settings or the command line say which
//! description an overlay is for) and a non-empty list of `actions`, each a
//! `target` (an RFC 9535 JSONPath query, evaluated by `serde_json_path` on a
//! `serde_json` view of the tree) with `update` or `remove: true`. Actions
//! apply in order, each to the result of the one before, and overlays in
//! the order given. The edits are made on the generator's own
//! [`Value`] tree at the locations the query returns, so key order and
//! integers beyond `i64` survive; the view is refreshed where it changed.
//!
//! The semantics, from the specification's text:
//! - a target must select objects or arrays (not primitives or `null`);
//! - `update` on an object must be an object, merged recursively: a key only
//!   in the update is added (at the end, in the update's order), an object
//!   is merged into an object, an array is appended to an array, a primitive
//!   replaces a primitive, and any other pair is an error (the rules that
//!   Overlay 1.1.0 spells out for 1.0's "MUST be compatible");
//! - `update` on an array is one entry appended to it;
//! - `remove: true` removes each selected node from the object or array
//!   holding it (`update` is then ignored).
//!
//! Stricter than the specification, so that an overlay does not rot
//! silently when the description changes: a target that matches nothing
//! is an error, as is an action with neither `update` nor `remove: true`
//! and an unknown field (other than `x-` extensions). A node selected twice
//! by one query is edited once.
//!
//! Every problem is a diagnostic naming the overlay file and the JSON
//! pointer into it (`#/actions/3/target`). Work is bounded: the overlay is
//! read by [`crate::load`] (its size and nesting limits), a target is at
//! most [`MAX_TARGET_LEN`] bytes, [`MAX_TARGET_BRACKETS`] brackets and
//! [`MAX_TARGET_PARENS`] parentheses deep with at most
//! [`MAX_DESCENDANT_SEGMENTS`] `..` (the JSONPath parser recurses, and
//! backtracks on nested filters), an overlay has at most [`MAX_ACTIONS`]
//! actions, updates add at most [`MAX_ADDED_NODES`] nodes in all, and no
//! update nests the description deeper than [`MAX_DEPTH`] levels.

use serde_json_path::JsonPath;

use crate::config::OverlayFile;
use crate::diag::Diagnostics;
use crate::pointer::Pointer;
use crate::value::{Map, Value};

/// The most actions one overlay may have.
pub const MAX_ACTIONS: usize = 10_000;
/// The longest target, in bytes.
pub const MAX_TARGET_LEN: usize = 4_096;
/// The deepest nesting of `[` in a target (filters in filters).
pub const MAX_TARGET_BRACKETS: usize = 8;
/// The deepest nesting of `(` in a target.
pub const MAX_TARGET_PARENS: usize = 32;
/// The most descendant segments (`..`) in a target.
pub const MAX_DESCENDANT_SEGMENTS: usize = 2;
/// The most nodes all the updates of a run may add (an update counts once
/// per node it is applied to).
pub const MAX_ADDED_NODES: usize = 1 << 22;
/// The deepest nesting an update may give the description (the load limit).
pub const MAX_DEPTH: usize = 128;

/// Applies `overlays` to `doc` in order. Errors name the overlay's path.
pub fn apply_all(doc: &mut Value, overlays: &[OverlayFile]) -> Result<(), Diagnostics> {
    let mut budget = MAX_ADDED_NODES;
    for overlay in overlays {
        let Some(bytes) = &overlay.bytes else {
            let mut diags = Diagnostics::new(&overlay.path);
            diags.error(
                "#",
                "the overlay was not read (the library does no io: read settings with \
                 `generator::write::read_settings`, or set the overlay's bytes)",
            );
            return Err(diags);
        };
        let ov = crate::load::load(&overlay.path, bytes)?;
        apply(doc, &overlay.path, &ov, &mut budget)?;
    }
    Ok(())
}

/// One checked action.
struct Action<'a> {
    /// `#/actions/N`.
    at: Pointer,
    target: &'a str,
    update: Option<&'a Value>,
    remove: bool,
}

/// Applies the overlay document `ov` (named `file`) to `doc`; `budget` is
/// how many nodes updates may still add.
pub fn apply(doc: &mut Value, file: &str, ov: &Value, budget: &mut usize) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::new(file);
    let actions = check_document(ov, &mut diags);
    if diags.has_errors() {
        diags.finish();
        return Err(diags);
    }
    let mut view = to_json(doc);
    for action in &actions {
        if let Err((pointer, message)) = apply_action(doc, &mut view, action, budget) {
            diags.error(pointer, message);
            return Err(diags);
        }
    }
    Ok(())
}

/// Checks the overlay's structure and returns its actions.
fn check_document<'a>(ov: &'a Value, diags: &mut Diagnostics) -> Vec<Action<'a>> {
    let root = Pointer::root();
    check_fields(ov, &root, &["overlay", "info", "extends", "actions"], diags);
    match ov.get("overlay").map(|v| (v, v.as_str())) {
        None => diags.error("#", "missing `overlay` (the overlay specification's version, 1.0.0)"),
        Some((_, Some(v))) if is_version_1_0(v) => {}
        Some((_, Some(v))) => diags
            .error("#/overlay", format!("unsupported overlay specification version `{v}`; this generator reads 1.0.x")),
        Some((v, None)) => diags.error("#/overlay", format!("expected a version string (1.0.0), found {}", v.kind())),
    }
    match ov.get("info") {
        None => diags.error("#", "missing `info` (an object with `title` and `version`)"),
        Some(info @ Value::Object(_)) => {
            let at = root.join("info");
            check_fields(info, &at, &["title", "version"], diags);
            for key in ["title", "version"] {
                match info.get(key) {
                    Some(Value::String(_)) => {}
                    Some(v) => diags.error(at.join(key), format!("expected a string, found {}", v.kind())),
                    None => diags.error(&at, format!("missing `{key}`")),
                }
            }
        }
        Some(v) => diags.error("#/info", format!("expected an object, found {}", v.kind())),
    }
    if let Some(v) = ov.get("extends").filter(|v| v.as_str().is_none()) {
        diags.error("#/extends", format!("expected a uri reference, found {}", v.kind()));
    }
    let list = match ov.get("actions") {
        None => {
            diags.error("#", "missing `actions` (a list of at least one action)");
            return Vec::new();
        }
        Some(Value::Array(list)) if list.is_empty() => {
            diags.error("#/actions", "an overlay needs at least one action");
            return Vec::new();
        }
        Some(Value::Array(list)) if list.len() > MAX_ACTIONS => {
            diags.error("#/actions", format!("{} actions, above the limit of {MAX_ACTIONS}", list.len()));
            return Vec::new();
        }
        Some(Value::Array(list)) => list,
        Some(v) => {
            diags.error("#/actions", format!("expected a list of actions, found {}", v.kind()));
            return Vec::new();
        }
    };
    let mut res = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let at = root.join("actions").join(i.to_string());
        if let Some(action) = check_action(a, at, diags) {
            res.push(action);
        }
    }
    res
}

fn check_action<'a>(a: &'a Value, at: Pointer, diags: &mut Diagnostics) -> Option<Action<'a>> {
    if a.as_object().is_none() {
        diags.error(&at, format!("expected an action object, found {}", a.kind()));
        return None;
    }
    check_fields(a, &at, &["target", "description", "update", "remove"], diags);
    if let Some(v) = a.get("description").filter(|v| v.as_str().is_none()) {
        diags.error(at.join("description"), format!("expected a string, found {}", v.kind()));
    }
    let remove = match a.get("remove") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(v) => {
            diags.error(at.join("remove"), format!("expected true or false, found {}", v.kind()));
            false
        }
    };
    let update = a.get("update");
    if update.is_none() && !remove && a.get("remove").is_none_or(|r| r.as_bool().is_some()) {
        diags.error(&at, "an action needs `update` or `remove: true`");
    }
    let target = match a.get("target") {
        Some(Value::String(t)) => t.as_str(),
        Some(v) => {
            diags.error(at.join("target"), format!("expected a jsonpath string, found {}", v.kind()));
            return None;
        }
        None => {
            diags.error(&at, "missing `target` (a jsonpath query)");
            return None;
        }
    };
    Some(Action { at, target, update, remove })
}

/// Reports fields that are neither `known` nor `x-` extensions.
fn check_fields(v: &Value, at: &Pointer, known: &[&str], diags: &mut Diagnostics) {
    let Some(map) = v.as_object() else {
        if at.as_str().is_empty() {
            diags.error("#", format!("an overlay document is an object, found {}", v.kind()));
        }
        return;
    };
    for key in map.keys() {
        if !known.contains(&key.as_str()) && !key.starts_with("x-") {
            diags.error(at.join(key), format!("unknown overlay field; known fields here: {}", known.join(", ")));
        }
    }
}

/// `1.0.N`: the patch version is not considered (the specification's
/// "Versions").
fn is_version_1_0(v: &str) -> bool {
    v.strip_prefix("1.0.").is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// A step of a location: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// A matched node: where it is, as steps, in normalized-path text, and by
/// position in the tree (document order, to sort by).
struct Location {
    steps: Vec<Step>,
    text: String,
    order: Vec<usize>,
}

type Located = Result<(), (Pointer, String)>;

fn apply_action(doc: &mut Value, view: &mut serde_json::Value, action: &Action, budget: &mut usize) -> Located {
    let target_at = action.at.join("target");
    let path = parse_target(action.target).map_err(|m| (target_at.clone(), m))?;
    let mut found = locations(doc, view, &path);
    if found.is_empty() {
        return Err((target_at, format!("target `{}` matches nothing", action.target)));
    }
    for loc in &found {
        let node = get(doc, &loc.steps);
        if let Some(v) = node.filter(|v| !matches!(v, Value::Object(_) | Value::Array(_))) {
            return Err((
                target_at,
                format!(
                    "target `{}` selects {} at {}; a target must select objects or arrays \
                     (select the object holding it)",
                    action.target,
                    v.kind(),
                    loc.text
                ),
            ));
        }
    }
    if action.remove {
        // Last first: removing a node moves no index still to be removed,
        // and a node inside another is removed before it.
        found.reverse();
        for loc in &found {
            remove(doc, view, &loc.steps).map_err(|m| (target_at.clone(), m))?;
        }
        return Ok(());
    }
    let Some(update) = action.update else { return Ok(()) };
    let update_at = action.at.join("update");
    let (size, depth) = measure(update);
    for loc in &found {
        *budget = budget.checked_sub(size).ok_or_else(|| {
            (update_at.clone(), format!("the overlays add more than {MAX_ADDED_NODES} nodes to the description"))
        })?;
        let Some(node) = get_mut(doc, &loc.steps) else { continue };
        let extra = usize::from(matches!(node, Value::Array(_)));
        if loc.steps.len() + extra + depth > MAX_DEPTH {
            return Err((
                update_at,
                format!("the update would nest the description more than {MAX_DEPTH} levels deep at {}", loc.text),
            ));
        }
        match (node, update) {
            (Value::Array(items), entry) => items.push(entry.clone()),
            (Value::Object(map), Value::Object(with)) => merge(map, with, &update_at, &loc.text)?,
            (Value::Object(_), other) => {
                return Err((
                    update_at,
                    format!("expected an object to merge into the object at {}, found {}", loc.text, other.kind()),
                ))
            }
            _ => {}
        }
        if let (Some(node), Some(slot)) = (get(doc, &loc.steps), view_mut(view, &loc.steps)) {
            *slot = to_json(node);
        }
    }
    Ok(())
}

/// Checks a target's size and shape, then parses it. The parser takes
/// time exponential in the nesting of brackets (a filter in a filter: about
/// twice as long per level), and each descendant segment (`..`) inside a
/// filter multiplies the work of a query by the size of the description,
/// so both are bounded far above what a real target needs.
fn parse_target(target: &str) -> Result<JsonPath, String> {
    if target.len() > MAX_TARGET_LEN {
        return Err(format!("target is {} bytes, above the limit of {MAX_TARGET_LEN}", target.len()));
    }
    let (mut brackets, mut parens, mut deepest_brackets, mut deepest_parens) = (0usize, 0usize, 0usize, 0usize);
    for c in target.chars() {
        match c {
            '[' => {
                brackets += 1;
                deepest_brackets = deepest_brackets.max(brackets);
            }
            '(' => {
                parens += 1;
                deepest_parens = deepest_parens.max(parens);
            }
            ']' => brackets = brackets.saturating_sub(1),
            ')' => parens = parens.saturating_sub(1),
            _ => {}
        }
    }
    if deepest_brackets > MAX_TARGET_BRACKETS {
        return Err(format!("target nests brackets more than {MAX_TARGET_BRACKETS} levels deep"));
    }
    if deepest_parens > MAX_TARGET_PARENS {
        return Err(format!("target nests parentheses more than {MAX_TARGET_PARENS} levels deep"));
    }
    if target.matches("..").count() > MAX_DESCENDANT_SEGMENTS {
        return Err(format!("target has more than {MAX_DESCENDANT_SEGMENTS} descendant segments (`..`)"));
    }
    JsonPath::parse(target).map_err(|e| {
        let message = e.message();
        format!("invalid jsonpath `{target}` (rfc 9535): at position {}, {message}", e.position())
    })
}

/// The distinct nodes `path` selects, in document order.
fn locations(doc: &Value, view: &serde_json::Value, path: &JsonPath) -> Vec<Location> {
    let mut res: Vec<Location> = Vec::new();
    for node in path.query_located(view).iter() {
        let loc = node.location();
        let steps: Vec<Step> = loc
            .iter()
            .map(|e| match e {
                serde_json_path::PathElement::Name(n) => Step::Key(n.to_string()),
                serde_json_path::PathElement::Index(i) => Step::Index(*i),
            })
            .collect();
        let Some(order) = order_of(doc, &steps) else { continue };
        res.push(Location { steps, text: loc.to_string(), order });
    }
    res.sort_by(|a, b| a.order.cmp(&b.order));
    res.dedup_by(|a, b| a.order == b.order);
    res
}

/// The position of each step's node among its siblings.
fn order_of(doc: &Value, steps: &[Step]) -> Option<Vec<usize>> {
    let mut v = doc;
    let mut res = Vec::with_capacity(steps.len());
    for step in steps {
        match (v, step) {
            (Value::Object(m), Step::Key(k)) => {
                let (i, _, next) = m.get_full(k)?;
                res.push(i);
                v = next;
            }
            (Value::Array(a), Step::Index(i)) => {
                res.push(*i);
                v = a.get(*i)?;
            }
            _ => return None,
        }
    }
    Some(res)
}

fn get<'v>(mut v: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    for step in steps {
        v = match (v, step) {
            (Value::Object(m), Step::Key(k)) => m.get(k)?,
            (Value::Array(a), Step::Index(i)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

fn get_mut<'v>(mut v: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    for step in steps {
        v = match (v, step) {
            (Value::Object(m), Step::Key(k)) => m.get_mut(k)?,
            (Value::Array(a), Step::Index(i)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

fn view_mut<'v>(mut v: &'v mut serde_json::Value, steps: &[Step]) -> Option<&'v mut serde_json::Value> {
    for step in steps {
        v = match (v, step) {
            (serde_json::Value::Object(m), Step::Key(k)) => m.get_mut(k)?,
            (serde_json::Value::Array(a), Step::Index(i)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Removes the node at `steps` from its parent, in the tree and the view.
fn remove(doc: &mut Value, view: &mut serde_json::Value, steps: &[Step]) -> Result<(), String> {
    let Some((last, parent)) = steps.split_last() else {
        return Err("`remove` cannot remove the document root".to_string());
    };
    match (get_mut(doc, parent), last) {
        (Some(Value::Object(m)), Step::Key(k)) => {
            m.shift_remove(k);
        }
        (Some(Value::Array(a)), Step::Index(i)) if *i < a.len() => {
            a.remove(*i);
        }
        _ => return Ok(()),
    }
    match (view_mut(view, parent), last) {
        (Some(serde_json::Value::Object(m)), Step::Key(k)) => {
            m.remove(k);
        }
        (Some(serde_json::Value::Array(a)), Step::Index(i)) if *i < a.len() => {
            a.remove(*i);
        }
        _ => {}
    }
    Ok(())
}

/// Merges `with` into `into` (the object at `text`), by the rules in the
/// module docs; `at` points at `with` in the overlay.
fn merge(into: &mut Map, with: &Map, at: &Pointer, text: &str) -> Located {
    for (key, value) in with {
        let Some(old) = into.get_mut(key) else {
            into.insert(key.clone(), value.clone());
            continue;
        };
        let here = format!("{text}[{}]", serde_json::to_string(key).unwrap_or_default().replace('"', "'"));
        match (old, value) {
            (Value::Object(old), Value::Object(value)) => merge(old, value, &at.join(key), &here)?,
            (Value::Array(old), Value::Array(value)) => old.extend(value.iter().cloned()),
            (old, value) if is_primitive(old) && is_primitive(value) => *old = value.clone(),
            (old, value) => {
                return Err((
                    at.join(key),
                    format!("cannot merge {} into the {} at {here}", an(value.kind()), old.kind()),
                ))
            }
        }
    }
    Ok(())
}

fn is_primitive(v: &Value) -> bool {
    !matches!(v, Value::Object(_) | Value::Array(_))
}

fn an(kind: &str) -> String {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {kind}")
    } else {
        format!("a {kind}")
    }
}

/// The number of nodes of `v` and its nesting depth (a scalar is 0 deep).
fn measure(v: &Value) -> (usize, usize) {
    match v {
        Value::Array(items) => items.iter().map(measure).fold((1, 1), |(n, d), (cn, cd)| (n + cn, d.max(cd + 1))),
        Value::Object(m) => m.values().map(measure).fold((1, 1), |(n, d), (cn, cd)| (n + cn, d.max(cd + 1))),
        _ => (1, 0),
    }
}

/// The `serde_json` view of the tree that queries run on. Integers beyond
/// `i64`/`u64` become floats and non-finite floats `null` in the view only:
/// the edits are made on the tree.
fn to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => match (i64::try_from(*i), u64::try_from(*i)) {
            (Ok(i), _) => J::from(i),
            (_, Ok(u)) => J::from(u),
            _ => serde_json::Number::from_f64(*i as f64).map_or(J::Null, J::Number),
        },
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::String(s) => J::String(s.clone()),
        Value::Array(a) => J::Array(a.iter().map(to_json).collect()),
        Value::Object(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(doc: &str, overlay: &str) -> Result<Value, String> {
        let mut doc = crate::load::load("api.yaml", doc.as_bytes()).unwrap();
        let ov = OverlayFile { path: "fix.yaml".into(), bytes: Some(overlay.as_bytes().to_vec()) };
        apply_all(&mut doc, &[ov]).map(|()| doc).map_err(|d| d.to_string())
    }

    #[test]
    fn versions_are_1_0_any_patch() {
        assert!(is_version_1_0("1.0.0") && is_version_1_0("1.0.12"));
        assert!(!is_version_1_0("1.1.0") && !is_version_1_0("1.0") && !is_version_1_0("1.0.x"));
    }

    #[test]
    fn an_unread_overlay_is_an_error() {
        let mut doc = crate::load::load("api.yaml", b"a: 1\n").unwrap();
        let e = apply_all(&mut doc, &[OverlayFile { path: "fix.yaml".into(), bytes: None }]).unwrap_err();
        assert!(e.to_string().starts_with("fix.yaml: error: #: the overlay was not read"), "{e}");
    }

    #[test]
    fn the_view_follows_each_action() {
        // The second action sees the key the first added; the third no
        // longer sees the one removed.
        let ov = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n\
                  - {target: $.a, update: {b: {c: 1}}}\n- {target: $.a.b, update: {d: 2}}\n\
                  - {target: $.a.b, remove: true}\n- {target: $.a.b, update: {e: 3}}\n";
        let e = run("a: {}\n", ov).unwrap_err();
        assert!(e.contains("#/actions/3/target: target `$.a.b` matches nothing"), "{e}");
        let ov = ov.replace("- {target: $.a.b, update: {e: 3}}\n", "- {target: $.a, update: {z: [1]}}\n");
        assert_eq!(run("a: {}\n", &ov).unwrap().to_json(), r#"{"a":{"z":[1]}}"#);
    }

    #[test]
    fn measure_counts_nodes_and_depth() {
        let v = crate::load::load("t.json", br#"{"a": [1, {"b": 2}], "c": 3}"#).unwrap();
        assert_eq!(measure(&v), (6, 3));
    }
}
