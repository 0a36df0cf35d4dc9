//! Descriptions split into files: a `$ref` to another file
//! (`models/pet.yaml`, `paths/pets.yaml#/list`) is read relative to the
//! file that holds it, and the description becomes one document before
//! lowering, as `redocly bundle` makes it.
//!
//! - A schema from another file (a `$ref` where a schema stands) moves to
//!   `#/components/schemas`, once per file and fragment, under the
//!   fragment's last token or else the file's stem (`pet.yaml` is `pet`,
//!   made unique with a numeric suffix), and every `$ref` to it points
//!   there. So recursive schemas across files stay references, and each
//!   schema is one type. A component schema that is only such a `$ref`
//!   takes the schema's content under its own name. The moved schema keeps
//!   where it came from in `x-bundled-from`.
//! - Anything else (a path item, an operation, a parameter, a response, an
//!   example) is copied in place of its `$ref`, the `$ref`'s other keys
//!   kept over it.
//! - Inside another file, `#/..` points into that file. A path is a URI
//!   reference's, percent-decoded (`dog%20v2.yaml` is `dog v2.yaml`).
//! - A discriminator's `mapping` values that are references (not schema
//!   names) point where their schemas moved, as its members' `$ref`s do:
//!   lowering matches the two to tag each variant.
//! - A `$ref` under an extension (`x-codeSamples`, whose `source` may name
//!   a `.cs` file) or in data (`example`) is left as it is: lowering reads
//!   neither.
//!
//! A description with no `$ref` to another file is returned as its bytes,
//! untouched. A file that cannot be read, a fragment that points at
//! nothing, a remote reference (`https://..`, never fetched), or files
//! nesting deeper than [`MAX_DEPTH`] are errors naming the file and the
//! JSON pointer of the `$ref`. Diagnostics of lowering then point into the
//! bundled document: a moved schema is at `#/components/schemas/<name>`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::pointer::Pointer;
use crate::value::{Map, Value};

/// How deep copies of other files may nest (a cycle of path items or
/// parameters never ends).
pub const MAX_DEPTH: usize = 32;
/// How many files one description may read.
pub const MAX_FILES: usize = 4096;
/// How many values the copies of other files' content may hold in all:
/// files that each include the next twice would otherwise double at every
/// level.
pub const MAX_COPIED: usize = 4_000_000;

/// The bytes of the description at `path` (named `label` in diagnostics),
/// made one document when it refers to other files: then as JSON.
pub fn read(path: &Path, label: &str) -> Result<Vec<u8>, Diagnostics> {
    let mut diags = Diagnostics::new(label);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.error("#", format!("cannot read {}: {e}", path.display()));
            return Err(diags);
        }
    };
    if !may_refer_outside(&bytes) {
        return Ok(bytes);
    }
    // A document that does not load is lowering's to report, as it is.
    let Ok(mut root) = crate::load::load(label, &bytes) else { return Ok(bytes) };
    if !refers_outside(&root) {
        return Ok(bytes);
    }
    let root_path = path.to_path_buf();
    let mut b = Bundler {
        root: root_path.clone(),
        // The description as written: what another file's `$ref` back into it reads.
        files: BTreeMap::from([(root_path.clone(), root.clone())]),
        moved: BTreeMap::new(),
        schemas: Vec::new(),
        taken: BTreeSet::new(),
        placed: BTreeSet::new(),
        copied: 0,
        failed: BTreeSet::new(),
        diags,
    };
    if let Some(Value::Object(s)) = root.get("components").and_then(|c| c.get("schemas")) {
        b.taken.extend(s.keys().cloned());
    }
    b.name_component_refs(&mut root);
    b.walk(&mut root, &root_path, &Pointer::root(), Kind::Doc, 0);
    if b.diags.has_errors() {
        return Err(b.diags);
    }
    let Value::Object(map) = &mut root else { return Ok(bytes) };
    let components = map.entry("components".to_string()).or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(c) = components {
        let schemas = c.entry("schemas".to_string()).or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(s) = schemas {
            for (name, schema) in b.schemas {
                s.insert(name, schema);
            }
        }
    }
    Ok(root.to_json().into_bytes())
}

/// Whether the text may hold a `$ref` to another file: some `$ref` is not
/// followed by `#` (past quotes, a colon and blanks). Saves parsing a
/// large one-file description twice; a `$ref` in prose answers yes, and
/// the parsed document decides.
fn may_refer_outside(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some(at) = rest.windows(4).position(|w| w == b"$ref") {
        rest = &rest[at + 4..];
        let next = rest.iter().find(|b| !matches!(b, b'"' | b'\'' | b':' | b' ' | b'\t'));
        if next != Some(&b'#') {
            return true;
        }
    }
    false
}

/// Whether some `$ref` of the document names another file.
fn refers_outside(v: &Value) -> bool {
    match v {
        Value::Object(m) => {
            m.get("$ref").and_then(Value::as_str).is_some_and(|r| !r.starts_with('#')) || m.values().any(refers_outside)
        }
        Value::Array(a) => a.iter().any(refers_outside),
        _ => false,
    }
}

/// What a node of the walk is: where a `$ref` is copied, moved, or left.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Any object of the description but a schema.
    Doc,
    Schema,
    /// An object or list whose values are schemas (`properties`, `allOf`).
    Schemas,
    /// Data (`example`, `default`, `enum`): not walked.
    Data,
}

/// What a `$ref` to another file becomes ([`Bundler::resolve_ref`]).
enum Resolved {
    /// Left as it is (an error was reported, or it points into the
    /// description already).
    Leave,
    /// Pointed at this reference within the description.
    Point(String),
    /// Replaced by a copy of the value at this file and fragment.
    Copy(PathBuf, String),
}

struct Bundler {
    root: PathBuf,
    /// The files read, by path as resolved.
    files: BTreeMap<PathBuf, Value>,
    /// A schema of another file, by file and fragment: its name in
    /// `#/components/schemas`.
    moved: BTreeMap<(PathBuf, String), String>,
    /// The moved schemas, in the order they were met.
    schemas: Vec<(String, Value)>,
    /// Names in `#/components/schemas`, the description's and the moved.
    taken: BTreeSet<String>,
    /// The names of [`Self::schemas`].
    placed: BTreeSet<String>,
    /// The values copied so far ([`MAX_COPIED`]).
    copied: usize,
    /// The files that could not be read.
    failed: BTreeSet<PathBuf>,
    diags: Diagnostics,
}

impl Bundler {
    /// A component schema that is only a `$ref` to another file names that
    /// schema: it is moved under the component's name.
    fn name_component_refs(&mut self, root: &mut Value) {
        let Some(Value::Object(schemas)) = root.get("components").and_then(|c| c.get("schemas")) else { return };
        let mut named = Vec::new();
        for (name, s) in schemas {
            let Value::Object(m) = s else { continue };
            if m.len() != 1 {
                continue;
            }
            if let Some(r) = m.get("$ref").and_then(Value::as_str).filter(|r| !r.starts_with('#')) {
                let (file, fragment) = r.split_once('#').unwrap_or((r, ""));
                if !file.contains("://") {
                    named.push((resolve(&self.root, file), fragment.to_string(), name.clone()));
                }
            }
        }
        for (file, fragment, name) in named {
            self.moved.entry((file, fragment)).or_insert(name);
        }
    }

    /// Resolves every `$ref` to another file under `v`, which is `kind` and
    /// at `ptr` of `file`.
    fn walk(&mut self, v: &mut Value, file: &Path, ptr: &Pointer, kind: Kind, depth: usize) {
        if self.copied > MAX_COPIED {
            return;
        }
        if kind == Kind::Data {
            return;
        }
        // A `$ref` of the description to itself is lowering's; any other is
        // resolved here, also where a map of schemas is itself in another
        // file (`properties: {$ref: ..}`).
        if let Some(r) = v.get("$ref").and_then(Value::as_str).map(str::to_string) {
            if file != self.root || !r.starts_with('#') {
                self.reference(v, &r, file, ptr, kind, depth);
                return;
            }
        }
        if kind == Kind::Schema {
            self.mapping(v, file, ptr, depth);
        }
        match v {
            Value::Array(items) => {
                let child = if kind == Kind::Schemas { Kind::Schema } else { kind };
                for (i, it) in items.iter_mut().enumerate() {
                    self.walk(it, file, &ptr.join(i.to_string()), child, depth);
                }
            }
            Value::Object(m) => {
                for (k, it) in m.iter_mut() {
                    let child = child_kind(kind, k, it);
                    self.walk(it, file, &ptr.join(k), child, depth);
                }
            }
            _ => {}
        }
    }

    /// The `$ref` `r` at `node`: a schema moved and pointed at, anything
    /// else copied in its place.
    fn reference(&mut self, node: &mut Value, r: &str, file: &Path, ptr: &Pointer, kind: Kind, depth: usize) {
        let (target, fragment) = match self.resolve_ref(r, file, ptr, kind, depth) {
            Resolved::Leave => return,
            Resolved::Point(to) => return set_ref(node, to),
            Resolved::Copy(target, fragment) => (target, fragment),
        };
        let here = self.where_(file, ptr);
        let Some(mut content) = self.target(&target, &fragment, r, &here) else { return };
        self.copied += size(&content);
        if self.copied > MAX_COPIED {
            self.diags.error(here, format!("copies of other files hold more than {MAX_COPIED} values at `{r}`"));
            return;
        }
        self.walk(&mut content, &target, &at(&fragment).unwrap_or_default(), kind, depth + 1);
        if let (Value::Object(siblings), Value::Object(c)) = (&*node, &mut content) {
            for (k, v) in siblings.iter().filter(|(k, _)| *k != "$ref") {
                c.insert(k.clone(), v.clone());
            }
        }
        *node = content;
    }

    /// What the reference `r` at `ptr` of `file` becomes, where a `kind`
    /// stands: a schema is moved and pointed at; errors are reported and
    /// leave it.
    fn resolve_ref(&mut self, r: &str, file: &Path, ptr: &Pointer, kind: Kind, depth: usize) -> Resolved {
        let (rel, fragment) = r.split_once('#').unwrap_or((r, ""));
        let here = self.where_(file, ptr);
        if rel.contains("://") {
            self.diags.error(
                here,
                format!("the reference `{r}` is remote, and remote references are not fetched: download the file and refer to it by path"),
            );
            return Resolved::Leave;
        }
        let target = if rel.is_empty() { file.to_path_buf() } else { resolve(file, rel) };
        // `#/..` in another file that finds nothing there but finds it in
        // the description (written for the bundle): left pointing there.
        if rel.is_empty() && self.find(file, fragment).is_none() && self.find(&self.root, fragment).is_some() {
            return Resolved::Leave;
        }
        if !rel.is_empty() && target == self.root {
            // Back into the description: a reference within it.
            return Resolved::Point(format!("#{fragment}"));
        }
        if depth >= MAX_DEPTH {
            self.diags.error(
                here,
                format!("references to other files nest more than {MAX_DEPTH} levels deep at `{r}` (a cycle?)"),
            );
            return Resolved::Leave;
        }
        if kind != Kind::Schema {
            return Resolved::Copy(target, fragment.to_string());
        }
        match self.move_schema(&target, fragment, r, &here, depth) {
            Some(name) => Resolved::Point(Pointer::root().join("components").join("schemas").join(&name).to_string()),
            None => Resolved::Leave,
        }
    }

    /// The references among the values of a discriminator's `mapping` in
    /// the schema `schema` (at `ptr` of `file`), pointed where their schemas
    /// are, as the `$ref`s of its `oneOf` are: lowering matches the two to
    /// give each variant its tag. A value that is a schema's name
    /// ([`is_reference`]) is left.
    fn mapping(&mut self, schema: &mut Value, file: &Path, ptr: &Pointer, depth: usize) {
        let Some(Value::Object(mapping)) = schema_mapping(schema) else { return };
        let refs: Vec<(String, String)> = mapping
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .filter(|(_, r)| is_reference(r) && (file != self.root || !r.starts_with('#')))
            .collect();
        let at = ptr.join("discriminator").join("mapping");
        for (k, r) in refs {
            if let Resolved::Point(to) = self.resolve_ref(&r, file, &at.join(&k), Kind::Schema, depth) {
                if let Some(Value::Object(m)) = schema_mapping(schema) {
                    m.insert(k, Value::String(to));
                }
            }
        }
    }

    /// The name in `#/components/schemas` of the schema at `fragment` of
    /// `file`, moved there the first time it is met.
    fn move_schema(&mut self, file: &Path, fragment: &str, r: &str, here: &str, depth: usize) -> Option<String> {
        let key = (file.to_path_buf(), fragment.to_string());
        if let Some(name) = self.moved.get(&key).filter(|n| self.placed.contains(*n)) {
            return Some(name.clone());
        }
        let mut content = self.target(file, fragment, r, here)?;
        let name = match self.moved.get(&key) {
            Some(n) => n.clone(),
            None => {
                let token = at(fragment).and_then(|p| p.last());
                let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("schema").to_string();
                let base = token.filter(|t| !t.is_empty()).unwrap_or(stem);
                let mut name = base.clone();
                let mut n = 2;
                while self.taken.contains(&name) {
                    name = format!("{base}{n}");
                    n += 1;
                }
                self.moved.insert(key, name.clone());
                name
            }
        };
        self.taken.insert(name.clone());
        // Placed before its content is walked, so a cycle back to it is a reference.
        self.placed.insert(name.clone());
        let slot = self.schemas.len();
        self.schemas.push((name.clone(), Value::Null));
        self.walk(&mut content, file, &at(fragment).unwrap_or_default(), Kind::Schema, depth + 1);
        if let Value::Object(m) = &mut content {
            m.insert("x-bundled-from".into(), Value::String(self.relative(file, fragment)));
        }
        self.schemas[slot].1 = content;
        Some(name)
    }

    /// The value at `fragment` of `file`, read once.
    fn target(&mut self, file: &Path, fragment: &str, r: &str, here: &str) -> Option<Value> {
        // A file that could not be read is reported once.
        if self.failed.contains(file) {
            return None;
        }
        if !self.files.contains_key(file) {
            if self.files.len() >= MAX_FILES {
                self.diags.error(here, format!("the description reads more than {MAX_FILES} files"));
                return None;
            }
            let loaded = std::fs::read(file).map_err(|e| e.to_string()).and_then(|bytes| {
                crate::load::load(&file.display().to_string(), &bytes)
                    .map_err(|d| d.errors().next().map(|e| format!("{}: {}", e.pointer, e.message)).unwrap_or_default())
            });
            match loaded {
                Ok(doc) => {
                    self.files.insert(file.to_path_buf(), doc);
                }
                Err(e) => {
                    self.failed.insert(file.to_path_buf());
                    self.diags.error(
                        here,
                        format!("the reference `{r}` names {}, which cannot be read: {e}", file.display()),
                    );
                    return None;
                }
            }
        }
        match self.find(file, fragment) {
            Some(v) => Some(v.clone()),
            None => {
                self.diags.error(here, format!("the reference `{r}` points at nothing in {}", file.display()));
                None
            }
        }
    }

    /// The value at `fragment` of `file`, if it is read and has one.
    fn find(&self, file: &Path, fragment: &str) -> Option<&Value> {
        self.files.get(file)?.at(&at(fragment)?)
    }

    /// Where a diagnostic about `ptr` of `file` points: the pointer, after
    /// the file when it is not the description's own.
    fn where_(&self, file: &Path, ptr: &Pointer) -> String {
        if file == self.root {
            ptr.to_string()
        } else {
            format!("{}{ptr}", self.relative(file, ""))
        }
    }

    /// `file` relative to the description's folder, with `#fragment`.
    fn relative(&self, file: &Path, fragment: &str) -> String {
        let dir = self.root.parent().unwrap_or(Path::new(""));
        let rel = file.strip_prefix(dir).unwrap_or(file).display().to_string();
        if fragment.is_empty() {
            rel
        } else {
            format!("{rel}#{fragment}")
        }
    }
}

/// What the value at key `k` of a `kind` object is.
fn child_kind(kind: Kind, k: &str, v: &Value) -> Kind {
    match kind {
        Kind::Doc => match k {
            "schema" => Kind::Schema,
            "schemas" | "definitions" => Kind::Schemas,
            "example" | "value" => Kind::Data,
            // Extensions are their tools' (`x-codeSamples` refer to source files).
            _ if k.starts_with("x-") => Kind::Data,
            _ => Kind::Doc,
        },
        Kind::Schema => match k {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" | "allOf" | "oneOf"
            | "anyOf" | "prefixItems" => Kind::Schemas,
            "items" if matches!(v, Value::Array(_)) => Kind::Schemas,
            "items"
            | "additionalProperties"
            | "not"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedProperties"
            | "unevaluatedItems"
            | "additionalItems" => Kind::Schema,
            _ => Kind::Data,
        },
        Kind::Schemas => Kind::Schema,
        Kind::Data => Kind::Data,
    }
}

/// The pointer a `$ref`'s fragment (after `#`) names.
fn at(fragment: &str) -> Option<Pointer> {
    Pointer::from_ref(&format!("#{fragment}"))
}

/// The number of values in `v`.
fn size(v: &Value) -> usize {
    match v {
        Value::Object(m) => 1 + m.values().map(size).sum::<usize>(),
        Value::Array(a) => 1 + a.iter().map(size).sum::<usize>(),
        _ => 1,
    }
}

/// `rel`, a URI reference's path (percent-encoded: `my%20pet.yaml` is
/// `my pet.yaml`), read from the folder of `file`.
fn resolve(file: &Path, rel: &str) -> PathBuf {
    let rel = percent_encoding::percent_decode_str(rel).decode_utf8_lossy();
    let joined = file.parent().unwrap_or(Path::new("")).join(&*rel);
    // `a/../b` as `b`, so one file read two ways is read once.
    let mut res = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir if res.file_name().is_some() => {
                res.pop();
            }
            std::path::Component::CurDir => {}
            c => res.push(c),
        }
    }
    res
}

/// Whether a discriminator's mapping value is a reference, not a schema's
/// name: a pointer or a path (`#/..`, `models/dog.yaml`, `dog.json`). A
/// name may hold dots (Kubernetes' `io.k8s.api.core.v1.Pod`).
fn is_reference(v: &str) -> bool {
    v.contains(['#', '/']) || [".yaml", ".yml", ".json"].iter().any(|e| v.to_ascii_lowercase().ends_with(e))
}

/// The `discriminator.mapping` of a schema, if it has one.
fn schema_mapping(schema: &mut Value) -> Option<&mut Value> {
    let Value::Object(m) = schema else { return None };
    let Some(Value::Object(d)) = m.get_mut("discriminator") else { return None };
    d.get_mut("mapping")
}

/// `node`'s `$ref` set to `to`, its other keys kept.
fn set_ref(node: &mut Value, to: String) {
    if let Value::Object(m) = node {
        m.insert("$ref".into(), Value::String(to));
    }
}
