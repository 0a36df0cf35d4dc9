//! The conformance plan, computed by `build.rs` from the IR of
//! `spec/openapi.yaml`: one input per operation (arguments from field
//! defaults and a value generator for each schema, canned 2xx and 4xx
//! responses), and the Rust source of the dispatcher that makes each call
//! through the generated client. The Node side reads the same inputs.
//!
//! Values are chosen deterministically (first enum value, first union
//! variant, one array item, strings built to match their `pattern`), so
//! the same spec gives the same inputs.

use std::fmt::Write as _;

use generator::ir::{
    Api, BodyKind, Operation, ParamLocation, PathPart, Presence, ResponseBody, StatusMatch, Ty, TypeKind,
};
use serde_json::{json, Map, Value};

/// How deep optional fields are filled; deeper objects get required fields only.
const OPTIONAL_DEPTH: usize = 2;
/// Recursion guard for self-referencing types.
const MAX_DEPTH: usize = 8;

/// Requests omit read-only fields, responses write-only ones.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

struct Gen<'a> {
    api: &'a Api,
}

impl Gen<'_> {
    fn value(&self, ty: &Ty, side: Side, depth: usize) -> Value {
        match ty {
            Ty::Bool => json!(true),
            Ty::Int(i) => {
                let n = 1i128.max(i.min.unwrap_or(1)).min(i.max.unwrap_or(i128::MAX));
                json!(n as i64)
            }
            Ty::Float(f) => {
                let lo = f.min.map_or(1.5, |m| m + if f.exclusive_min { 0.5 } else { 0.0 });
                let v = match f.max {
                    Some(m) if lo > m => m,
                    _ => lo,
                };
                json!(v)
            }
            Ty::Str(s) => {
                let mut text = match s.pattern {
                    Some(p) => pattern_sample(&self.api.patterns[p.0].source),
                    None => "sample".to_string(),
                };
                if s.pattern.is_none() {
                    let min = s.min_len.unwrap_or(0) as usize;
                    while text.chars().count() < min {
                        text.push('x');
                    }
                    if let Some(max) = s.max_len {
                        text = text.chars().take(max as usize).collect();
                    }
                }
                json!(text)
            }
            Ty::Format(f) => json!(generator::rust_ty::format(*f).sample_wire),
            Ty::Base64 => json!("aGVsbG8="),
            Ty::Binary => json!("hello"),
            Ty::Json => json!({"key": "value"}),
            Ty::Array(a) => {
                if depth >= MAX_DEPTH {
                    return json!([]);
                }
                let n = a.min_items.unwrap_or(1).max(1).min(a.max_items.unwrap_or(u64::MAX)) as usize;
                Value::Array((0..n).map(|_| self.value(&a.item, side, depth + 1)).collect())
            }
            Ty::Map(v) => {
                if depth >= MAX_DEPTH {
                    return json!({});
                }
                json!({"key": self.value(v, side, depth + 1)})
            }
            Ty::Option(t) => self.value(t, side, depth),
            Ty::Named(id) => self.named(id.0, side, depth),
        }
    }

    fn named(&self, id: usize, side: Side, depth: usize) -> Value {
        match &self.api.types[id].kind {
            TypeKind::SameShape(t) => self.named(t.0, side, depth),
            TypeKind::Alias(t) => self.value(t, side, depth),
            TypeKind::Enum(e) => match e.variants.first() {
                Some(v) => match v.int {
                    Some(n) => json!(n),
                    None => json!(v.name.wire),
                },
                None => json!("value"),
            },
            TypeKind::Union(u) => {
                let Some(v) = u.variants.first() else { return Value::Null };
                let mut value = self.value(&v.ty, side, depth);
                if let (Some(tag), Some(t), Some(obj)) = (&u.tag, v.tags.first(), value.as_object_mut()) {
                    obj.insert(tag.clone(), json!(t));
                }
                value
            }
            TypeKind::Struct(st) => {
                let mut obj = Map::new();
                if depth >= MAX_DEPTH {
                    return Value::Object(obj);
                }
                for f in &st.fields {
                    if (side == Side::Request && f.read_only) || (side == Side::Response && f.write_only) {
                        continue;
                    }
                    let required = matches!(f.presence, Presence::Required | Presence::RequiredNull);
                    if !required && depth >= OPTIONAL_DEPTH {
                        continue;
                    }
                    let v = match &f.default {
                        Some(d) if !matches!(f.ty, Ty::Named(_)) => {
                            serde_json::from_str(&d.to_json()).unwrap_or_else(|_| self.value(&f.ty, side, depth + 1))
                        }
                        _ => self.value(&f.ty, side, depth + 1),
                    };
                    obj.insert(f.name.wire.clone(), v);
                }
                Value::Object(obj)
            }
        }
    }
}

/// A minimal valid value of `ty` as a response carries it (the paged
/// lists of `client-tests/tests/it/auth0_streams.rs` are made of these).
#[allow(dead_code)] // used by client-tests/build/auth0_streams.rs, not by this crate
pub fn sample_response(api: &Api, ty: &Ty) -> Value {
    Gen { api }.value(ty, Side::Response, 0)
}

/// A valid value of `ty` as a request sends it (path arguments).
#[allow(dead_code)] // used by client-tests/build/auth0_streams.rs, not by this crate
pub fn sample_request(api: &Api, ty: &Ty) -> Value {
    Gen { api }.value(ty, Side::Request, 0)
}

/// A string matching an ECMA-262 `pattern`: each quantified atom taken its
/// smallest useful number of times, each alternation its first branch.
/// The result is checked with `regress`; when the first strategy fails,
/// quantifiers are taken at their minimum.
pub fn pattern_sample(pattern: &str) -> String {
    let re = regress::Regex::new(pattern).ok();
    let matches =
        |s: &str| re.as_ref().is_some_and(|r| r.find(s).is_some_and(|m| m.start() == 0 && m.end() == s.len()));
    for at_least_one in [true, false] {
        let s = Sampler { chars: pattern.chars().collect(), at: 0, at_least_one }.alternation();
        if matches(&s) {
            return s;
        }
    }
    Sampler { chars: pattern.chars().collect(), at: 0, at_least_one: true }.alternation()
}

struct Sampler {
    chars: Vec<char>,
    at: usize,
    at_least_one: bool,
}

impl Sampler {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn alternation(&mut self) -> String {
        let first = self.sequence();
        while self.peek() == Some('|') {
            self.at += 1;
            self.sequence();
        }
        first
    }

    fn sequence(&mut self) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom();
            let (min, max) = self.quantifier();
            let n = if self.at_least_one { min.max(1).min(max) } else { min };
            for _ in 0..n {
                out.push_str(&atom);
            }
        }
        out
    }

    fn atom(&mut self) -> String {
        let Some(c) = self.peek() else { return String::new() };
        self.at += 1;
        match c {
            '^' | '$' => String::new(),
            '.' => "a".into(),
            '(' => {
                // Lookarounds match no characters: (?= (?! (?<= (?<!
                let mut lookaround = false;
                if self.peek() == Some('?') {
                    self.at += 1;
                    match self.peek() {
                        Some('=' | '!') => {
                            lookaround = true;
                            self.at += 1;
                        }
                        Some('<') if matches!(self.chars.get(self.at + 1), Some('=' | '!')) => {
                            lookaround = true;
                            self.at += 2;
                        }
                        Some('<') => {
                            while let Some(c) = self.peek() {
                                self.at += 1;
                                if c == '>' {
                                    break;
                                }
                            }
                        }
                        _ => self.at += 1,
                    }
                }
                let s = self.alternation();
                if self.peek() == Some(')') {
                    self.at += 1;
                }
                if lookaround {
                    String::new()
                } else {
                    s
                }
            }
            '[' => self.class(),
            '\\' => self.escape(),
            c => c.to_string(),
        }
    }

    fn escape(&mut self) -> String {
        let Some(c) = self.peek() else { return String::new() };
        self.at += 1;
        match c {
            'd' => "1".into(),
            'w' => "a".into(),
            's' => " ".into(),
            'D' | 'W' | 'S' => "-".into(),
            'b' | 'B' => String::new(),
            'n' => "\n".into(),
            't' => "\t".into(),
            'u' => {
                let hex: String = self.chars[self.at..].iter().take(4).collect();
                self.at += hex.len();
                u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).map(String::from).unwrap_or_default()
            }
            c => c.to_string(),
        }
    }

    fn class(&mut self) -> String {
        let negated = self.peek() == Some('^');
        if negated {
            self.at += 1;
        }
        let mut first: Option<char> = None;
        let mut excluded = Vec::new();
        let mut start = true;
        while let Some(c) = self.peek() {
            if c == ']' && !start {
                self.at += 1;
                break;
            }
            start = false;
            self.at += 1;
            let ch = if c == '\\' {
                let e = self.escape();
                e.chars().next().unwrap_or('a')
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|c| *c != ']') {
                self.at += 1;
                let end = self.peek().unwrap_or(ch);
                self.at += 1;
                excluded.extend([ch, end]);
            } else {
                excluded.push(ch);
            }
            first.get_or_insert(ch);
        }
        if negated {
            ['a', 'x', '1', '_'].into_iter().find(|c| !excluded.contains(c)).unwrap_or('z').to_string()
        } else {
            first.unwrap_or('a').to_string()
        }
    }

    fn quantifier(&mut self) -> (usize, usize) {
        let q = match self.peek() {
            Some('*') => (0, usize::MAX),
            Some('+') => (1, usize::MAX),
            Some('?') => (0, 1),
            Some('{') => {
                let rest: String = self.chars[self.at..].iter().collect();
                let Some(end) = rest.find('}') else { return (1, 1) };
                let body = &rest[1..end];
                let mut parts = body.splitn(2, ',');
                let min = parts.next().and_then(|s| s.trim().parse().ok());
                let Some(min) = min else { return (1, 1) };
                let max = match parts.next() {
                    None => min,
                    Some(s) if s.trim().is_empty() => usize::MAX,
                    Some(s) => s.trim().parse().unwrap_or(min),
                };
                self.at += end;
                (min, max)
            }
            _ => return (1, 1),
        };
        self.at += 1;
        if self.peek() == Some('?') {
            self.at += 1;
        }
        q
    }
}

/// The inputs of every operation, in spec order, and the dispatcher source.
pub fn plan(api: &Api) -> (Value, String) {
    let g = Gen { api };
    let mut inputs = Vec::new();
    let mut arms = String::new();
    for (idx, op) in api.operations.iter().enumerate() {
        inputs.push(input(&g, op));
        arms.push_str(&dispatch_arm(api, idx, op));
    }
    let src = format!(
        "/// Calls operation `idx` of the spec with `input`, through the generated client.\n\
         pub async fn dispatch(c: &auth0_management_api::Client, idx: usize, input: &serde_json::Value) -> Outcome {{\n\
         match idx {{\n{arms}_ => Outcome::Refused(\"no such operation\".into()),\n}}\n}}\n"
    );
    (Value::Array(inputs), src)
}

fn lower_camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.trim_end_matches('_').chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn success_bodies(op: &Operation) -> Vec<&ResponseBody> {
    let mut bodies: Vec<&ResponseBody> = Vec::new();
    for r in op.successes() {
        if !bodies.contains(&&r.body) {
            bodies.push(&r.body);
        }
    }
    bodies
}

fn input(g: &Gen<'_>, op: &Operation) -> Value {
    let mut path = Vec::new();
    for part in &op.path {
        if let PathPart::Param(i) = part {
            let p = &op.params[*i];
            // An unconstrained string gets characters that need encoding.
            let v = match &p.ty {
                Ty::Str(s) if s.pattern.is_none() && s.max_len.is_none() => json!("auth0|a b/c"),
                ty => g.value(ty, Side::Request, 0),
            };
            path.push(json!([p.name.wire, v]));
        }
    }
    let mut query = Map::new();
    let mut headers = Map::new();
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
        let v = g.value(&p.ty, Side::Request, 0);
        match p.location {
            ParamLocation::Header => headers.insert(p.name.wire.clone(), v),
            _ => query.insert(p.name.wire.clone(), v),
        };
    }
    let (mut body, mut body_kind, mut files) = (Value::Null, Value::Null, Map::new());
    if let Some(b) = &op.body {
        let content = &b.contents[0];
        body_kind = json!(match content.kind {
            BodyKind::Json => "json",
            BodyKind::Form => "form",
            BodyKind::Multipart => "multipart",
            BodyKind::Binary => "binary",
            BodyKind::Text => "text",
        });
        body = match content.kind {
            BodyKind::Binary | BodyKind::Text => json!("hello"),
            _ => g.value(&content.ty, Side::Request, 0),
        };
        if content.kind == BodyKind::Multipart {
            if let Ty::Named(id) = &content.ty {
                if let TypeKind::Struct(st) = g.api.definition(*id) {
                    for f in &st.fields {
                        if matches!(f.ty, Ty::Binary) {
                            files.insert(
                                f.name.wire.clone(),
                                json!({"filename": format!("{}.json", f.name.wire), "content_type": "application/json"}),
                            );
                            if let Some(obj) = body.as_object_mut() {
                                obj.insert(f.name.wire.clone(), json!("[{\"email\":\"jane@example.com\"}]"));
                            }
                        }
                    }
                }
            }
        }
    }
    let bodies = success_bodies(op);
    let ok_status = op
        .responses
        .iter()
        .find_map(|r| match r.status {
            StatusMatch::Exact(s) if (200..300).contains(&s) => Some(s),
            _ => None,
        })
        .unwrap_or(200);
    let ok_body = match op.responses.iter().find(|r| r.status == StatusMatch::Exact(ok_status)).map(|r| &r.body) {
        Some(ResponseBody::Json(t)) => g.value(t, Side::Response, 0),
        Some(ResponseBody::Text) => json!("text"),
        _ => Value::Null,
    };
    let err_status = op
        .responses
        .iter()
        .find_map(|r| match r.status {
            StatusMatch::Exact(s) if (400..500).contains(&s) => Some(s),
            _ => None,
        })
        .unwrap_or(400);
    let sdk_name = lower_camel(&op.name.rust);
    json!({
        "id": op.name.wire,
        "group": op.group.iter().map(|g| g.rust.clone()).collect::<Vec<_>>().join("."),
        "name": op.name.rust,
        "sdk": {"path": op.group.iter().map(|g| g.wire.clone()).collect::<Vec<_>>(), "method": sdk_name},
        "method": op.method.as_str(),
        "route": op.route,
        "path": path,
        "query": query,
        "headers": headers,
        "body": body,
        "body_kind": body_kind,
        "files": files,
        "ok": {"status": ok_status, "body": ok_body},
        // The statuses the description lists (`200`, `4XX`, `default`).
        "statuses": op.responses.iter().map(|r| match r.status {
            StatusMatch::Exact(s) => s.to_string(),
            StatusMatch::Range(r) => format!("{r}XX"),
            StatusMatch::Default => "default".to_string(),
        }).collect::<Vec<_>>(),
        // The response is compared only when it is one JSON value.
        "compare_response": bodies.len() == 1 && matches!(bodies[0], ResponseBody::Json(_)),
        "err": {"status": err_status, "body": {
            "statusCode": err_status, "error": "Bad Request", "message": "the canned error", "errorCode": "canned_error"
        }},
    })
}

/// Does a type validate (and so is passed by reference as a path argument)?
pub fn validates(ty: &Ty) -> bool {
    match ty {
        Ty::Int(i) => i.min.is_some() || i.max.is_some(),
        Ty::Float(f) => f.min.is_some() || f.max.is_some(),
        _ => false,
    }
}

fn dispatch_arm(api: &Api, idx: usize, op: &Operation) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{idx} => {{");
    let mut call_args = Vec::new();
    let mut n = 0;
    for part in &op.path {
        if let PathPart::Param(i) = part {
            let p = &op.params[*i];
            let v = format!("a{n}");
            n += 1;
            match &p.ty {
                // Every string path parameter is a `&str`, constrained or not.
                Ty::Str(_) => {
                    let _ = writeln!(
                        s,
                        "let {v}: String = match path_arg(input, {n_}) {{ Ok(v) => v, Err(e) => return e }};",
                        n_ = n - 1
                    );
                    call_args.push(format!("&{v}"));
                }
                ty @ (Ty::Bool | Ty::Int(_) | Ty::Float(_)) if !validates(ty) => {
                    let _ = writeln!(
                        s,
                        "let {v} = match path_arg(input, {n_}) {{ Ok(v) => v, Err(e) => return e }};",
                        n_ = n - 1
                    );
                    call_args.push(v);
                }
                _ => {
                    let _ = writeln!(
                        s,
                        "let {v} = match path_arg(input, {n_}) {{ Ok(v) => v, Err(e) => return e }};",
                        n_ = n - 1
                    );
                    call_args.push(format!("&{v}"));
                }
            }
        }
    }
    if let Some(ps) = &op.params_struct {
        let module = &op.group[0].rust;
        let _ = writeln!(s, "let p = auth0_management_api::operations::{module}::{ps} {{");
        for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
            let section = if p.location == ParamLocation::Header { "headers" } else { "query" };
            let _ = writeln!(
                s,
                "r#{}: match field(input, {section:?}, {:?}) {{ Ok(v) => v, Err(e) => return e }},",
                p.name.rust, p.name.wire
            );
        }
        let _ = writeln!(s, "}};");
        call_args.push("&p".into());
    }
    if let Some(b) = &op.body {
        let content = &b.contents[0];
        match content.kind {
            BodyKind::Binary => {
                let _ = writeln!(
                    s,
                    "let body: String = match field(input, \"\", \"body\") {{ Ok(v) => v, Err(e) => return e }};"
                );
                call_args.push("body.into_bytes()".into());
            }
            BodyKind::Text => {
                let _ = writeln!(
                    s,
                    "let body: String = match field(input, \"\", \"body\") {{ Ok(v) => v, Err(e) => return e }};"
                );
                call_args.push("body".into());
            }
            // A list body is any iterable of items: read as the list type, passed as its items.
            BodyKind::Json if b.required && matches!(generator::rust_ty::resolve(api, &content.ty), Ty::Array(_)) => {
                let ty = match &content.ty {
                    Ty::Named(id) => format!("auth0_management_api::types::{}", api.types[id.0].name.rust),
                    _ => "Vec<_>".into(),
                };
                let _ = writeln!(
                    s,
                    "let body: {ty} = match field(input, \"\", \"body\") {{ Ok(v) => v, Err(e) => return e }};"
                );
                call_args.push("body.iter().cloned()".into());
            }
            _ => {
                // A required body is any `IntoBody`: its type is written, not inferred.
                let ty = match &content.ty {
                    Ty::Named(id) if b.required => {
                        format!(": auth0_management_api::types::{}", api.types[id.0].name.rust)
                    }
                    _ => String::new(),
                };
                let _ = writeln!(s, "#[allow(unused_mut)] let mut body{ty} = match field(input, \"\", \"body\") {{ Ok(v) => v, Err(e) => return e }};");
                if content.kind == BodyKind::Multipart {
                    if let Ty::Named(id) = &content.ty {
                        if let TypeKind::Struct(st) = api.definition(*id) {
                            let ty = &api.types[id.0].name.rust;
                            let _ = writeln!(s, "let _: &auth0_management_api::types::{ty} = &body;");
                            for f in st.fields.iter().filter(|f| matches!(f.ty, Ty::Binary)) {
                                let _ = writeln!(s, "fix_file(&mut body.r#{}, input, {:?});", f.name.rust, f.name.wire);
                            }
                        }
                    }
                }
                call_args.push(if b.required { "&body".into() } else { "Some(&body)".into() });
            }
        }
    }
    let chain: String = op.group.iter().map(|g| format!(".r#{}()", g.rust)).collect();
    let compare = {
        let bodies = success_bodies(op);
        bodies.len() == 1 && matches!(bodies[0], ResponseBody::Json(_))
    };
    let finish = if compare { "finish_json" } else { "finish_other" };
    let _ = writeln!(s, "{finish}(c{chain}.r#{}({}).await)", op.name.rust, call_args.join(", "));
    let _ = writeln!(s, "}}");
    s
}

#[cfg(test)]
mod tests {
    use super::pattern_sample;

    #[test]
    fn every_operation_has_an_input_and_a_dispatch_arm() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
        // With the overlays the settings list, as `cargo xtask codegen` reads them.
        let settings = generator::write::read_settings(&root.join("codegen.yaml")).unwrap();
        let config = generator::Config {
            crate_name: "auth0-management-api".into(),
            crate_version: "0.1.0".into(),
            spec_label: "spec/openapi.yaml".into(),
            command: "cargo xtask codegen".into(),
            standalone: false,
            runtime: Default::default(),
            parts: 0,
            layout: generator::Layout::Crate,
            settings,
        };
        let bytes = std::fs::read(root.join("openapi.yaml")).unwrap();
        let (api, _) = generator::load_api("spec/openapi.yaml", &bytes, &config).unwrap();
        let (inputs, src) = super::plan(&api);
        let inputs = inputs.as_array().unwrap();
        assert_eq!(inputs.len(), api.operations.len());
        assert_eq!(src.matches(" => {\n").count(), api.operations.len());
        let import = inputs.iter().find(|i| i["id"] == "post_users-imports").unwrap();
        assert_eq!(import["files"]["users"]["filename"], "users.json");
        assert_eq!(import["body_kind"], "multipart");
        let logs = inputs.iter().find(|i| i["id"] == "get_logs").unwrap();
        assert_eq!(logs["sdk"]["path"][0], "logs");
        assert_eq!(logs["sdk"]["method"], "list");
        // Unconstrained path strings carry characters that need encoding.
        let user = inputs.iter().find(|i| i["route"] == "/users/{id}" && i["method"] == "GET").unwrap();
        assert_eq!(user["path"][0][1], "auth0|a b/c");
    }

    #[test]
    fn sampled_strings_match_auth0_patterns() {
        for p in [
            "^con_[A-Za-z0-9]{16}$",
            "^job_[A-Za-z0-9]{16}$",
            r"^(?!-)(?!.*--)(?:[a-zA-Z0-9-]|{org_id}|{org_name})*$",
            r"^((date)|(connection)|(client_id))(,((date)|(connection)|(client_id)))*$",
            r"^[^\s]+@[^\s]+\.[a-z]{2,}$",
            r"^\+?[0-9]{1,15}$",
        ] {
            let s = pattern_sample(p);
            let re = regress::Regex::new(p).unwrap();
            let m = re.find(&s).unwrap_or_else(|| panic!("{s:?} does not match {p}"));
            assert_eq!((m.start(), m.end()), (0, s.len()), "{s:?} does not match all of {p}");
        }
    }
}
