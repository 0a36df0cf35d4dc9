//! The mutator: structured edits of a spec tree (hostile names, keywords,
//! `$ref`s, deep nesting) and raw byte edits, driven by a seeded PRNG so
//! that a finding replays.

use generator::value::{Map, Value};

use super::Seed;

/// One input: a mutated seed tree as JSON, or a seed's text with byte edits.
pub(super) fn make_input(seeds: &[Seed], rng: &mut Rng) -> Vec<u8> {
    let seed = &seeds[rng.below(seeds.len())];
    if rng.below(10) == 0 {
        let mut text = seed.text.clone();
        for _ in 0..1 + rng.below(4) {
            mutate_bytes(&mut text, rng);
        }
        return text;
    }
    let mut tree = seed.tree.clone();
    for _ in 0..1 + rng.below(4) {
        mutate(&mut tree, rng);
    }
    tree.to_json().into_bytes()
}

const HOSTILE: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "async",
    "r#type",
    "",
    " ",
    "_",
    "__",
    "0",
    "123abc",
    "-1",
    "ñandú",
    "日本語",
    "🦀",
    "*/",
    "/*",
    "#[",
    "#![allow(x)]",
    "\"",
    "\\",
    "\\\"",
    "\0",
    "\u{202E}",
    "\u{2066}",
    "\u{feff}",
    "\u{2028}",
    "\u{85}",
    "\u{7f}",
    "\r\n",
    "\r",
    "\t",
    "```rust\nfn main() { panic!() }\n```",
    "```\ncode\n",
    "    indented code",
    "//! inner",
    "{id}",
    "{",
    "}",
    "{}",
    "ASC",
    "asc",
    "=",
    "!=",
    ">=",
    "<=",
    "a-b",
    "a_b",
    "A B",
    "$ref",
    "#/components/schemas/",
    "#",
    "Unknown",
    "Client",
    "Error",
    "Result",
    "Option",
    "None",
    "std",
    "core",
    "serde",
    "rt",
    "req",
    "resp",
    "this",
    "p",
    "x",
    "v",
    "cursor",
    "page",
    "first",
    "parts",
    "file",
    "body",
    "params",
    "From",
    "Into",
    "S",
    "D",
    "A",
    "types",
    "new",
    "'",
    "http://",
    "https://{a}/{b}",
    "%00",
    "..",
    "x-",
    "application/json",
    "*/*",
    "multipart/form-data",
    "1.0e400",
    "^(a+)+$",
    "[",
    "(?<x>a)",
    "\\p{L}",
];

const KEYWORDS: &[&str] = &[
    "type",
    "format",
    "enum",
    "const",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "prefixItems",
    "properties",
    "required",
    "nullable",
    "additionalProperties",
    "discriminator",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "default",
    "example",
    "examples",
    "description",
    "title",
    "readOnly",
    "writeOnly",
    "deprecated",
    "$ref",
    "in",
    "name",
    "schema",
    "content",
    "parameters",
    "requestBody",
    "responses",
    "servers",
    "security",
    "operationId",
    "tags",
    "style",
    "explode",
    "propertyName",
    "mapping",
];

const TYPES: &[&str] = &["string", "integer", "number", "boolean", "object", "array", "null"];
const FORMATS: &[&str] =
    &["int32", "int64", "uint64", "float", "double", "date-time", "date", "uuid", "email", "uri", "binary", "byte"];

fn hostile(rng: &mut Rng) -> String {
    match rng.below(12) {
        0 => "a".repeat(1 + rng.below(5000)),
        1 => format!("{}{}", HOSTILE[rng.below(HOSTILE.len())], HOSTILE[rng.below(HOSTILE.len())]),
        2 => (0..1 + rng.below(20)).map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('?')).collect(),
        _ => HOSTILE[rng.below(HOSTILE.len())].to_string(),
    }
}

fn scalar(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::Int([0, -1, 1, i64::MAX as i128, i64::MIN as i128, u64::MAX as i128 + 1, 1 << 100][rng.below(7)]),
        3 => Value::Float([0.5, -0.0, 1e300, -1e300, 1e-300, f64::MAX][rng.below(6)]),
        4 => Value::String(TYPES[rng.below(TYPES.len())].into()),
        5 => Value::String(FORMATS[rng.below(FORMATS.len())].into()),
        6 => Value::Array(Vec::new()),
        7 => Value::Object(Map::new()),
        _ => Value::String(hostile(rng)),
    }
}

/// A plausible value for a schema/OpenAPI keyword.
fn keyword_value(key: &str, rng: &mut Rng) -> Value {
    let s = |x: &str| Value::String(x.to_string());
    match (key, rng.below(4)) {
        (_, 0) => scalar(rng),
        ("type", 1) => Value::Array(vec![s(TYPES[rng.below(7)]), s(TYPES[rng.below(7)])]),
        ("type", _) => s(TYPES[rng.below(TYPES.len())]),
        ("format", _) => s(FORMATS[rng.below(FORMATS.len())]),
        ("enum", _) => Value::Array((0..rng.below(8)).map(|_| Value::String(hostile(rng))).collect()),
        ("allOf" | "oneOf" | "anyOf" | "prefixItems", _) => Value::Array(vec![ref_value(rng), ref_value(rng)]),
        ("items" | "not" | "additionalProperties" | "schema", _) => ref_value(rng),
        ("properties", _) => {
            let mut m = Map::new();
            m.insert(hostile(rng), ref_value(rng));
            m.insert(hostile(rng), ref_value(rng));
            Value::Object(m)
        }
        ("required", _) => Value::Array(vec![Value::String(hostile(rng))]),
        ("$ref", _) => ref_string(rng),
        ("in", _) => s(["path", "query", "header", "cookie", "body"][rng.below(5)]),
        _ => scalar(rng),
    }
}

fn ref_string(rng: &mut Rng) -> Value {
    let r = match rng.below(10) {
        0 => "other.yaml#/components/schemas/A".to_string(),
        1 => "https://example.com/spec.json#/x".to_string(),
        2 => "#/nope/missing".to_string(),
        3 => "#".to_string(),
        4 => "/etc/passwd".to_string(),
        5 => "#/components/schemas/~1~0~2".to_string(),
        _ => format!("#/components/schemas/{}", ["A", "B", "HostileA", "HostileB", "Error"][rng.below(5)]),
    };
    Value::String(r)
}

fn ref_value(rng: &mut Rng) -> Value {
    let mut m = Map::new();
    if rng.below(2) == 0 {
        m.insert("$ref".into(), ref_string(rng));
    } else {
        m.insert("type".into(), Value::String(TYPES[rng.below(TYPES.len())].into()));
    }
    Value::Object(m)
}

#[derive(Clone)]
pub(super) enum Seg {
    Key(String),
    Idx(usize),
}

/// A random path from the root: a random walk that stops with probability 1/4
/// at each level (and always at a leaf).
pub(super) fn random_path(root: &Value, rng: &mut Rng) -> Vec<Seg> {
    let mut path = Vec::new();
    let mut node = root;
    loop {
        if !path.is_empty() && rng.below(4) == 0 {
            return path;
        }
        match node {
            Value::Object(m) if !m.is_empty() => {
                let idx = rng.below(m.len());
                let (k, v) = m.get_index(idx).expect("index below len");
                path.push(Seg::Key(k.clone()));
                node = v;
            }
            Value::Array(a) if !a.is_empty() => {
                let idx = rng.below(a.len());
                path.push(Seg::Idx(idx));
                node = &a[idx];
            }
            _ => return path,
        }
    }
}

pub(super) fn get_mut<'a>(root: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut node = root;
    for seg in path {
        node = match (seg, node) {
            (Seg::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Seg::Idx(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

pub(super) fn pointer_of(path: &[Seg]) -> String {
    let mut res = String::from("#");
    for seg in path {
        res.push('/');
        match seg {
            Seg::Key(k) => res.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Seg::Idx(i) => res.push_str(&i.to_string()),
        }
    }
    res
}

/// One random edit of the document, at a random node: each kind of edit
/// is a function below, drawn with these weights.
pub(super) fn mutate(root: &mut Value, rng: &mut Rng) {
    let path = random_path(root, rng);
    match rng.below(12) {
        0 => replace_with_scalar(root, &path, rng),
        1 => delete(root, &path),
        2 => duplicate(root, &path, rng),
        3 => swap_type(root, &path, rng),
        4 | 5 => hostile_name(root, &path, rng),
        6 => references(root, &path, rng),
        7 => deep_nesting(root, &path, rng),
        8 | 9 => keyword(root, &path, rng),
        10 => hostile_enum(root, &path, rng),
        _ => new_schema(root, rng),
    }
}

/// Replaces a node with a scalar or hostile string.
fn replace_with_scalar(root: &mut Value, path: &[Seg], rng: &mut Rng) {
    if let Some(n) = get_mut(root, path) {
        *n = scalar(rng);
    }
}

/// Deletes a node from its parent.
fn delete(root: &mut Value, path: &[Seg]) {
    if let Some((last, parent)) = path.split_last() {
        match (last, get_mut(root, parent)) {
            (Seg::Key(k), Some(Value::Object(m))) => {
                m.shift_remove(k);
            }
            (Seg::Idx(i), Some(Value::Array(a))) if *i < a.len() => {
                a.remove(*i);
            }
            _ => {}
        }
    }
}

/// Copies one subtree over another (or beside it).
fn duplicate(root: &mut Value, path: &[Seg], rng: &mut Rng) {
    let from = random_path(root, rng);
    let Some(copy) = get_mut(root, &from).map(|v| v.clone()) else { return };
    match get_mut(root, path) {
        Some(Value::Array(a)) if rng.below(2) == 0 => a.push(copy),
        Some(Value::Object(m)) if rng.below(2) == 0 => {
            let key = match from.last() {
                Some(Seg::Key(k)) => k.clone(),
                _ => hostile(rng),
            };
            m.insert(key, copy);
        }
        Some(n) => *n = copy,
        None => {}
    }
}

/// Swaps the type of a node (an object becomes an array, a string a number, ...).
fn swap_type(root: &mut Value, path: &[Seg], rng: &mut Rng) {
    if let Some(n) = get_mut(root, path) {
        let old = std::mem::replace(n, Value::Null);
        *n = match old {
            Value::Object(m) => Value::Array(m.into_values().collect()),
            Value::Array(a) => Value::Object(a.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect()),
            Value::String(s) => match rng.below(3) {
                0 => Value::Int(s.len() as i128),
                1 => Value::Array(vec![Value::String(s)]),
                _ => {
                    let mut m = Map::new();
                    m.insert(s, Value::Null);
                    Value::Object(m)
                }
            },
            Value::Int(i) => Value::String(i.to_string()),
            Value::Float(f) => Value::Int(f as i128),
            Value::Bool(b) => Value::String(b.to_string()),
            Value::Null => Value::Object(Map::new()),
        };
    }
}

/// Renames a key to a hostile string, or replaces the node with one.
fn hostile_name(root: &mut Value, path: &[Seg], rng: &mut Rng) {
    let new_key = hostile(rng);
    match path.split_last() {
        Some((Seg::Key(k), parent)) if rng.below(2) == 0 => {
            if let Some(Value::Object(m)) = get_mut(root, parent) {
                if let Some(idx) = m.get_index_of(k) {
                    if !m.contains_key(&new_key) {
                        if let Some((_, v)) = m.shift_remove_index(idx) {
                            m.shift_insert(idx, new_key, v);
                        }
                    }
                }
            }
        }
        _ => {
            if let Some(n) = get_mut(root, path) {
                *n = Value::String(new_key);
            }
        }
    }
}

/// `$ref` cycles among new schemas, and a reference to a random node.
fn references(root: &mut Value, path: &[Seg], rng: &mut Rng) {
    let schemas = ensure_schemas(root);
    let a = |r: &str| {
        let mut m = Map::new();
        m.insert("$ref".into(), Value::String(format!("#/components/schemas/{r}")));
        Value::Object(m)
    };
    match rng.below(3) {
        0 => {
            schemas.insert("HostileA".into(), a("HostileB"));
            schemas.insert("HostileB".into(), a("HostileA"));
        }
        1 => {
            let mut m = Map::new();
            m.insert("allOf".into(), Value::Array(vec![a("HostileA")]));
            schemas.insert("HostileA".into(), Value::Object(m));
        }
        _ => {
            let mut m = Map::new();
            m.insert("type".into(), Value::String("object".into()));
            let mut props = Map::new();
            props.insert("next".into(), a("HostileA"));
            m.insert("properties".into(), Value::Object(props));
            schemas.insert("HostileA".into(), Value::Object(m));
        }
    }
    let target = random_path(root, rng);
    let ptr = pointer_of(&target);
    if let Some(n) = get_mut(root, path) {
        let mut m = Map::new();
        m.insert("$ref".into(), if rng.below(2) == 0 { Value::String(ptr) } else { ref_string(rng) });
        *n = Value::Object(m);
    }
}

/// Wraps a node in many levels of arrays, `allOf`, `oneOf`, maps or objects.
fn deep_nesting(root: &mut Value, path: &[Seg], rng: &mut Rng) {
    let max = if rng.below(4) == 0 { 300 } else { 40 };
    let depth = 1 + rng.below(max);
    if let Some(n) = get_mut(root, path) {
        let mut v = std::mem::replace(n, Value::Null);
        for _ in 0..depth {
            let mut m = Map::new();
            match rng.below(5) {
                0 => {
                    m.insert("type".into(), Value::String("array".into()));
                    m.insert("items".into(), v);
                }
                1 => {
                    m.insert("allOf".into(), Value::Array(vec![v]));
                }
                2 => {
                    m.insert("oneOf".into(), Value::Array(vec![v, ref_value(rng)]));
                }
                3 => {
                    m.insert("additionalProperties".into(), v);
                }
                _ => {
                    let mut props = Map::new();
                    props.insert("a".into(), v);
                    m.insert("type".into(), Value::String("object".into()));
                    m.insert("properties".into(), Value::Object(props));
                }
            }
            v = Value::Object(m);
        }
        *n = v;
    }
}

/// Sets a schema keyword with a plausible value.
fn keyword(root: &mut Value, path: &[Seg], rng: &mut Rng) {
    let key = KEYWORDS[rng.below(KEYWORDS.len())];
    let v = keyword_value(key, rng);
    match get_mut(root, path) {
        Some(Value::Object(m)) => {
            m.insert(key.into(), v);
        }
        Some(n) => {
            let mut m = Map::new();
            m.insert(key.into(), v);
            *n = Value::Object(m);
        }
        None => {}
    }
}

/// Replaces a node with an enum of hostile, colliding values.
fn hostile_enum(root: &mut Value, path: &[Seg], rng: &mut Rng) {
    if let Some(n) = get_mut(root, path) {
        let mut m = Map::new();
        m.insert("type".into(), Value::String("string".into()));
        let values = (0..1 + rng.below(10)).map(|_| Value::String(hostile(rng))).collect();
        m.insert("enum".into(), Value::Array(values));
        *n = Value::Object(m);
    }
}

/// Adds a schema with a hostile name, or one that collides with another
/// after case conversion.
fn new_schema(root: &mut Value, rng: &mut Rng) {
    let name = hostile(rng);
    let v = ref_value(rng);
    let schemas = ensure_schemas(root);
    let name = match schemas.get_index(rng.below(schemas.len().max(1))) {
        Some((k, _)) if rng.below(2) == 0 => {
            let k = k.clone();
            if k.chars().next().is_some_and(|c| c.is_uppercase()) {
                k.to_lowercase()
            } else {
                k.to_uppercase()
            }
        }
        _ => name,
    };
    schemas.insert(name, v);
}

/// `components/schemas` of the document, created when missing.
pub(super) fn ensure_schemas(root: &mut Value) -> &mut Map {
    if !matches!(root, Value::Object(_)) {
        *root = Value::Object(Map::new());
    }
    let Value::Object(doc) = root else { unreachable!("root was just made an object") };
    let components = doc.entry("components".to_string()).or_insert_with(|| Value::Object(Map::new()));
    if !matches!(components, Value::Object(_)) {
        *components = Value::Object(Map::new());
    }
    let Value::Object(components) = components else { unreachable!("components was just made an object") };
    let schemas = components.entry("schemas".to_string()).or_insert_with(|| Value::Object(Map::new()));
    if !matches!(schemas, Value::Object(_)) {
        *schemas = Value::Object(Map::new());
    }
    let Value::Object(schemas) = schemas else { unreachable!("schemas was just made an object") };
    schemas
}

const SNIPPETS: &[&[u8]] = &[
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"\0",
    b"\xff",
    b"\xef\xbb\xbf",
    b"[[[[",
    b"{{{{",
    b"'",
    b"\"",
    b"!!binary ",
    b"!!float ",
    b"? ",
    b": ",
    b"- ",
    b"\n",
    b"\t",
    b"---\n",
    b"...\n",
    b"%YAML 1.2\n",
    b"|\n",
    b">-\n",
    b"~",
    b"0x10",
    b".nan",
    b"1e999",
];

pub(super) fn mutate_bytes(text: &mut Vec<u8>, rng: &mut Rng) {
    let at = rng.below(text.len() + 1);
    match rng.below(4) {
        0 => text.truncate(at),
        1 => {
            let s = SNIPPETS[rng.below(SNIPPETS.len())];
            text.splice(at..at, s.iter().copied());
        }
        2 if at < text.len() => text[at] = rng.below(256) as u8,
        _ => {
            let len = rng.below(64).min(text.len() - at.min(text.len()));
            let chunk: Vec<u8> = text[at..at + len].to_vec();
            let to = rng.below(text.len() + 1);
            text.splice(to..to, chunk);
        }
    }
}

/// xorshift64*: small, fast and reproducible.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Rng(seed ^ 0x2545_F491_4F6C_DD1D | 1)
    }

    pub(super) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(super) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

pub(super) fn fnv(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x01000193);
    }
    h
}
