//! Lowering: the spec's document tree in, the [`ir::Api`] out.
//!
//! All validation happens here (emit cannot fail). Every `$ref` is resolved,
//! every name is chosen, and every problem becomes a [`Diagnostic`] with the
//! JSON pointer of the node at fault. OpenAPI 3.0 and 3.1 are read by the
//! same code: 3.1 forms (`type` arrays, `const`, numeric `exclusive*`) are
//! understood where they appear rather than rewritten beforehand, so pointers
//! always refer to the user's file.
//!
//! [`Diagnostic`]: crate::diag::Diagnostic

mod all_of;
mod boxing;
mod cycles;
mod dedup;
mod fluent;
mod key_rules;
mod operation;
mod paging;
mod paging_body_links;
mod paging_census;
mod paging_items;
mod paging_links;
mod paging_nested;
mod pattern_names;
mod schema;

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::ir::{self, Api, Docs, Name, PatternDef, PatternId, Server, ServerVariable, TypeDef, TypeId};
use crate::naming::{self, Namespace};
use crate::pointer::Pointer;
use crate::value::{Map, Value};

/// The lowering context: the document, the types made so far, diagnostics.
pub(crate) struct Ctx<'a> {
    pub(crate) root: &'a Value,
    #[allow(dead_code)] // Read by paging rules once they are configured.
    pub(crate) config: &'a Config,
    pub(crate) diags: Diagnostics,
    /// Slots for named types; `None` while a type is being lowered.
    pub(crate) types: Vec<Option<TypeDef>>,
    /// The Rust name of each slot, known from allocation on.
    pub(crate) type_rust: Vec<String>,
    pub(crate) type_names: Namespace,
    /// Named types by the pointer of the schema they came from.
    pub(crate) by_pointer: BTreeMap<Pointer, TypeId>,
    /// Named types whose schema allows `null`.
    pub(crate) nullable_types: std::collections::BTreeSet<TypeId>,
    pub(crate) patterns: Vec<PatternDef>,
    pub(crate) pattern_by_source: BTreeMap<String, PatternId>,
    /// Where each pattern is used, for its name (`pattern_names`).
    pub(crate) pattern_uses: Vec<Vec<pattern_names::PatternUse>>,
    pub(crate) depth: usize,
    /// What is left of [`MAX_SIZE`].
    pub(crate) budget: usize,
    /// 3.1 documents use JSON Schema 2020-12 forms.
    pub(crate) v31: bool,
    /// While the paging conventions of a GET are tried: its route's last
    /// literal segment, by which one list of several may be the page's
    /// (`paging::items_by_name`).
    pub(crate) paged_segment: Option<String>,
}

/// The most a spec may define, in units: a named type or an operation costs
/// 4, a field, parameter or enum value 1. Emitting and formatting take about
/// 4 KB per unit at their peak (100,000 types need 1.1 GB), so this bounds
/// memory at roughly 1 GB whatever the input; Stripe, the largest spec of the
/// corpus, uses about 55,000.
pub const MAX_SIZE: usize = 250_000;

/// Lowers a loaded document into the IR.
pub fn lower(file: &str, root: &Value, config: &Config) -> Result<(Api, Diagnostics), Diagnostics> {
    let mut cx = Ctx {
        root,
        config,
        diags: Diagnostics::new(file),
        types: Vec::new(),
        type_rust: Vec::new(),
        type_names: Namespace::new(),
        by_pointer: BTreeMap::new(),
        nullable_types: Default::default(),
        patterns: Vec::new(),
        pattern_by_source: BTreeMap::new(),
        pattern_uses: Vec::new(),
        depth: 0,
        budget: MAX_SIZE,
        v31: false,
        paged_segment: None,
    };
    let root_ptr = Pointer::root();
    let Some(doc) = root.as_object() else {
        cx.diags.error("#", "document root is not an object");
        return Err(cx.diags);
    };
    match (doc.get("openapi"), doc.get("swagger")) {
        (Some(Value::String(v)), _) if v.starts_with("3.0") => {}
        (Some(Value::String(v)), _) if v.starts_with("3.1") => cx.v31 = true,
        (Some(v), _) => {
            cx.diags.error(
                root_ptr.join("openapi"),
                format!("unsupported openapi version {}, expected 3.0.x or 3.1.x", v.to_json()),
            );
            return Err(cx.diags);
        }
        (None, Some(_)) => {
            cx.diags.error(root_ptr.join("swagger"), "swagger 2.0 is not supported, expected openapi 3.0.x or 3.1.x");
            return Err(cx.diags);
        }
        (None, None) => {
            cx.diags.error("#", "missing `openapi` version field, expected 3.0.x or 3.1.x");
            return Err(cx.diags);
        }
    }
    if cx.v31 && doc.contains_key("webhooks") {
        cx.diags.warning(root_ptr.join("webhooks"), "webhooks are not part of a client and are ignored");
    }
    for reserved in ["Error", "Result", "Unknown"] {
        cx.type_names.reserve(reserved);
    }

    let info = doc.get("info");
    let title = info.and_then(|i| i.get("title")).and_then(Value::as_str).unwrap_or("API").to_string();
    let version = info.and_then(|i| i.get("version")).map(value_text).unwrap_or_default();
    let description = info.and_then(|i| i.get("description")).and_then(Value::as_str).map(str::to_string);
    let servers = cx.lower_servers(doc);
    let security = cx.lower_security(doc);

    // Every component schema becomes a named type, even when unused, so that
    // names are stable whatever the operations reference.
    let schemas_ptr = root_ptr.join("components").join("schemas");
    if let Some(schemas) = doc.get("components").and_then(|c| c.get("schemas")) {
        match schemas.as_object() {
            Some(schemas) => {
                for name in schemas.keys() {
                    cx.named_type(&schemas_ptr.join(name), None);
                }
            }
            None => cx.diags.error(&schemas_ptr, format!("expected an object, found {}", schemas.kind())),
        }
    }
    let operations = cx.lower_operations(doc);
    let paging_census = cx.paging_census(&operations);

    if cx.diags.has_errors() {
        cx.diags.finish();
        return Err(cx.diags);
    }
    let type_names = cx.type_rust.iter().cloned().collect();
    pattern_names::rename(&mut cx.patterns, &cx.pattern_uses, &type_names);
    let types: Vec<TypeDef> = std::mem::take(&mut cx.types)
        .into_iter()
        .enumerate()
        .map(|(idx, t)| t.unwrap_or_else(|| unreachable!("every allocated type slot is filled (slot {idx})")))
        .collect();
    let mut api = Api {
        title,
        version,
        description,
        servers,
        security,
        types,
        patterns: std::mem::take(&mut cx.patterns),
        operations,
        paging_census,
        runtime: ir::RuntimeParts::default(),
    };
    api.runtime = runtime_parts(&api.security, &api.operations, config);
    cycles::break_cycles(&mut api, &mut cx.diags);
    sort_types(&mut api);
    dedup::alias_same_shapes(&mut api);
    boxing::box_large_fields(&mut api);
    cx.diags.finish();
    if cx.diags.has_errors() {
        return Err(cx.diags);
    }
    Ok((api, cx.diags))
}

/// The parts of the runtime the crate needs: the one place that decides
/// what a generated crate leaves out of its runtime.
fn runtime_parts(security: &[ir::SecurityScheme], operations: &[ir::Operation], config: &Config) -> ir::RuntimeParts {
    let bodies = || operations.iter().flat_map(|o| o.body.iter().flat_map(|b| b.contents.iter()));
    ir::RuntimeParts {
        multipart: bodies().any(|c| c.kind == ir::BodyKind::Multipart),
        oauth: security.iter().any(|s| matches!(s.kind, ir::SecurityKind::OAuth2ClientCredentials { .. })),
        paging: operations.iter().any(|o| o.paging.is_some()),
        sse: operations
            .iter()
            .flat_map(|o| o.responses.iter())
            .any(|r| matches!(r.body, ir::ResponseBody::EventStream(_))),
        telemetry: config.settings.telemetry_header.is_some(),
    }
}

/// Methods of the runtime's `ClientBuilder` that server variables must not shadow.
const BUILDER_METHODS: &[&str] = &[
    "new",
    "server_variable",
    "base_url",
    "bearer_token",
    "token_provider",
    "basic_auth",
    "api_key",
    "api_key_value",
    "client_credentials",
    "client_credentials_at",
    "http_client",
    "retry_policy",
    "max_retries",
    "timeout",
    "connect_timeout",
    "user_agent",
    "hook",
    "sleeper",
    "max_response_bytes",
    "idempotency_header",
    "build",
];

/// A whole-pattern leading group of inline flags ECMA-262 has as regex
/// flags (`(?i)`, `(?m)`, `(?s)`, combined: `(?ims)`), and the pattern after
/// it; any other pattern has no flags. The runtime's `PatternCell` reads a
/// pattern the same way (`runtime/src/runtime/validate.rs`), so what passes
/// here is checked there. Inline flags anywhere else, or others (`(?x)`),
/// stay what regress rejects.
pub(crate) fn inline_flags(pattern: &str) -> (&str, &str) {
    let Some(rest) = pattern.strip_prefix("(?") else { return ("", pattern) };
    let Some((flags, body)) = rest.split_once(')') else { return ("", pattern) };
    let known = !flags.is_empty() && flags.chars().all(|c| matches!(c, 'i' | 'm' | 's'));
    let distinct = flags.char_indices().all(|(i, c)| !flags[..i].contains(c));
    if known && distinct {
        (flags, body)
    } else {
        ("", pattern)
    }
}

/// Text of a scalar (`version: 2.0` is a number in YAML).
pub(crate) fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_json(),
    }
}

impl<'a> Ctx<'a> {
    /// Follows a local `$ref`. An external one is an error; one that
    /// resolves to nothing is a warning naming `fallback`, what the caller
    /// does instead (one bad reference costs one node, not the client).
    pub(crate) fn resolve_ref(
        &mut self,
        at: &Pointer,
        reference: &str,
        fallback: &str,
    ) -> Option<(&'a Value, Pointer)> {
        let Some(target) = Pointer::from_ref(reference) else {
            self.diags.error(
                at.join("$ref"),
                format!(
                    "external $ref {reference:?} is not followed in a description given as bytes: read it from its file (`generator::bundle::read`, which the command line and `cargo xtask` use) so that references to other files are resolved"
                ),
            );
            return None;
        };
        match self.lookup(&target) {
            Some(v) => Some((v, target)),
            None => {
                self.diags.warning(at.join("$ref"), format!("unresolved $ref {reference:?}; {fallback}"));
                None
            }
        }
    }

    /// The node at `target`, if the document has one.
    pub(crate) fn lookup(&self, target: &Pointer) -> Option<&'a Value> {
        self.root.at(target)
    }

    /// Whether `v` is a `$ref` to a local node that does not exist.
    pub(crate) fn is_dangling(&self, v: &Value) -> bool {
        match v.get("$ref").and_then(Value::as_str).map(Pointer::from_ref) {
            Some(Some(target)) => self.lookup(&target).is_none(),
            _ => false,
        }
    }

    /// Like [`is_dangling`](Self::is_dangling), and warns at the `$ref` with
    /// `fallback` when it is.
    pub(crate) fn warn_dangling(&mut self, ptr: &Pointer, v: &Value, fallback: &str) -> bool {
        let dangling = self.is_dangling(v);
        if dangling {
            let r = v.get("$ref").and_then(Value::as_str).unwrap_or_default();
            self.diags.warning(ptr.join("$ref"), format!("unresolved $ref {r:?}; {fallback}"));
        }
        dangling
    }

    /// Follows `$ref` chains on non-schema objects (parameters, responses...);
    /// `fallback` is what the caller does if one resolves to nothing.
    pub(crate) fn deref(&mut self, ptr: &Pointer, v: &'a Value, fallback: &str) -> Option<(&'a Value, Pointer)> {
        let mut cur = (v, ptr.clone());
        for _ in 0..32 {
            match cur.0.get("$ref") {
                Some(Value::String(r)) => {
                    let r = r.clone();
                    cur = self.resolve_ref(&cur.1, &r, fallback)?;
                }
                Some(other) => {
                    self.diags.error(cur.1.join("$ref"), format!("expected a string, found {}", other.kind()));
                    return None;
                }
                None => return Some(cur),
            }
        }
        self.diags.error(ptr, "$ref chain is too long or cyclic");
        None
    }

    /// Like [`deref`](Self::deref), without diagnostics: for a second look
    /// at a node whose lowering reports its problems.
    pub(crate) fn deref_quiet(&self, ptr: &Pointer, v: &'a Value) -> Option<(&'a Value, Pointer)> {
        let mut cur = (v, ptr.clone());
        for _ in 0..32 {
            match cur.0.get("$ref") {
                Some(r) => {
                    let target = Pointer::from_ref(r.as_str()?)?;
                    cur = (self.lookup(&target)?, target);
                }
                None => return Some(cur),
            }
        }
        None
    }

    /// Counts `n` units against [`MAX_SIZE`]; the first overdraft is an error.
    pub(crate) fn spend(&mut self, ptr: &Pointer, n: usize) {
        if self.budget == usize::MAX {
            return;
        }
        match self.budget.checked_sub(n) {
            Some(left) => self.budget = left,
            None => {
                self.diags.error(
                    ptr,
                    format!(
                        "spec is too large: it defines more than {MAX_SIZE} units (a type or operation is 4, a field, \
                         parameter or enum value 1), the limit that bounds memory"
                    ),
                );
                // Reported once.
                self.budget = usize::MAX;
            }
        }
    }

    /// Allocates a named type slot with a unique name derived from `hint`.
    pub(crate) fn alloc_type(&mut self, hint: &str, ptr: &Pointer) -> TypeId {
        self.spend(ptr, 4);
        let rust = self.type_names.unique(&naming::type_name(hint));
        let id = TypeId(self.types.len());
        self.types.push(None);
        self.type_rust.push(rust);
        self.by_pointer.insert(ptr.clone(), id);
        id
    }

    pub(crate) fn fill_type(&mut self, id: TypeId, def: TypeDef) {
        self.types[id.0] = Some(def);
    }

    /// The Rust name of a type that may still be being lowered.
    pub(crate) fn type_rust_name(&self, id: TypeId) -> String {
        self.type_rust[id.0].clone()
    }

    pub(crate) fn lower_docs(&self, v: &Value) -> Docs {
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string).filter(|s| !s.trim().is_empty());
        Docs {
            summary: text("summary").or_else(|| text("title")),
            description: text("description"),
            deprecated: v.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
        }
    }

    /// Registers a `pattern` after checking it compiles as ECMA-262.
    pub(crate) fn pattern(&mut self, ptr: &Pointer, source: &str, hint: &str) -> Option<PatternId> {
        if let Some(id) = self.pattern_by_source.get(source) {
            self.pattern_uses[id.0].push(pattern_names::PatternUse::at(ptr, hint));
            return Some(*id);
        }
        let (flags, body) = inline_flags(source);
        if let Err(e) = regress::Regex::with_flags(body, flags) {
            self.diags.warning(
                ptr.join("pattern"),
                format!("pattern {source:?} is not a valid ECMA-262 regex ({e}); it is not checked"),
            );
            return None;
        }
        let rust = self.type_names.unique(&naming::type_name(&format!("{hint}Pattern")));
        let id = PatternId(self.patterns.len());
        self.patterns.push(PatternDef { rust, source: source.to_string() });
        self.pattern_by_source.insert(source.to_string(), id);
        self.pattern_uses.push(vec![pattern_names::PatternUse::at(ptr, hint)]);
        Some(id)
    }

    fn lower_servers(&mut self, doc: &'a Map) -> Vec<Server> {
        let ptr = Pointer::root().join("servers");
        let Some(servers) = doc.get("servers") else { return Vec::new() };
        let Some(list) = servers.as_array() else {
            self.diags.error(&ptr, format!("expected an array, found {}", servers.kind()));
            return Vec::new();
        };
        let mut res = Vec::new();
        for (idx, s) in list.iter().enumerate() {
            let sptr = ptr.join(idx.to_string());
            let Some(url) = s.get("url").and_then(Value::as_str) else {
                self.diags.error(sptr.join("url"), "server has no url");
                continue;
            };
            let mut names = Namespace::new();
            for taken in BUILDER_METHODS {
                names.reserve(taken);
            }
            let mut variables = Vec::new();
            if let Some(vars) = s.get("variables").and_then(Value::as_object) {
                for (name, var) in vars {
                    let default = var.get("default").map(value_text).unwrap_or_default();
                    let allowed = var
                        .get("enum")
                        .and_then(Value::as_array)
                        .map(|a| a.iter().map(value_text).collect())
                        .unwrap_or_default();
                    variables.push(ServerVariable {
                        name: Name { wire: name.clone(), rust: names.unique(&naming::method_name(name)) },
                        default,
                        description: var.get("description").and_then(Value::as_str).map(str::to_string),
                        allowed,
                    });
                }
            }
            res.push(Server {
                url: url.to_string(),
                description: s.get("description").and_then(Value::as_str).map(str::to_string),
                variables,
            });
        }
        res
    }

    fn lower_security(&mut self, doc: &'a Map) -> Vec<ir::SecurityScheme> {
        let ptr = Pointer::root().join("components").join("securitySchemes");
        let Some(schemes) = doc.get("components").and_then(|c| c.get("securitySchemes")).and_then(Value::as_object)
        else {
            return Vec::new();
        };
        let mut res = Vec::new();
        for (key, scheme) in schemes {
            let sptr = ptr.join(key);
            let Some((scheme, sptr)) = self.deref(&sptr, scheme, "the client does not apply the scheme") else {
                res.push(ir::SecurityScheme { key: key.clone(), kind: ir::SecurityKind::Other, description: None });
                continue;
            };
            let ty = scheme.get("type").and_then(Value::as_str).unwrap_or("");
            let kind = match ty {
                "http" => match scheme.get("scheme").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
                    Some("bearer") => ir::SecurityKind::Bearer,
                    Some("basic") => ir::SecurityKind::Basic,
                    _ => ir::SecurityKind::Other,
                },
                "apiKey" => {
                    let location = match scheme.get("in").and_then(Value::as_str) {
                        Some("query") => ir::ApiKeyLocation::Query,
                        Some("cookie") => ir::ApiKeyLocation::Cookie,
                        _ => ir::ApiKeyLocation::Header,
                    };
                    let name = scheme.get("name").and_then(Value::as_str).unwrap_or("Authorization").to_string();
                    ir::SecurityKind::ApiKey { location, name }
                }
                "oauth2" => match scheme.get("flows").and_then(|f| f.get("clientCredentials")) {
                    Some(cc) => {
                        let token_url = cc.get("tokenUrl").and_then(Value::as_str).unwrap_or("").to_string();
                        let form_parameters = cc
                            .get("x-form-parameters")
                            .and_then(Value::as_object)
                            .map(|m| m.iter().map(|(k, v)| (k.clone(), value_text(v))).collect())
                            .unwrap_or_default();
                        ir::SecurityKind::OAuth2ClientCredentials { token_url, form_parameters }
                    }
                    None => ir::SecurityKind::Other,
                },
                _ => {
                    if ty.is_empty() {
                        self.diags.error(sptr.join("type"), "security scheme has no type");
                    }
                    ir::SecurityKind::Other
                }
            };
            res.push(ir::SecurityScheme {
                key: key.clone(),
                kind,
                description: scheme.get("description").and_then(Value::as_str).map(str::to_string),
            });
        }
        res
    }
}

/// Sorts types by Rust name and renumbers every [`TypeId`].
fn sort_types(api: &mut Api) {
    let mut order: Vec<usize> = (0..api.types.len()).collect();
    order.sort_by(|a, b| api.types[*a].name.rust.cmp(&api.types[*b].name.rust));
    let mut remap = vec![0; order.len()];
    for (new, old) in order.iter().enumerate() {
        remap[*old] = new;
    }
    let mut slots: Vec<Option<TypeDef>> = std::mem::take(&mut api.types).into_iter().map(Some).collect();
    api.types = order.iter().map(|old| slots[*old].take().unwrap_or_else(|| unreachable!("permutation"))).collect();
    let mut patterns: Vec<(usize, PatternDef)> = std::mem::take(&mut api.patterns).into_iter().enumerate().collect();
    patterns.sort_by(|a, b| a.1.rust.cmp(&b.1.rust));
    let mut premap = vec![0; patterns.len()];
    for (new, (old, _)) in patterns.iter().enumerate() {
        premap[*old] = new;
    }
    api.patterns = patterns.into_iter().map(|(_, p)| p).collect();
    crate::ir_visit::for_each_ty_mut(api, &mut |ty| match ty {
        ir::Ty::Named(id) => id.0 = remap[id.0],
        ir::Ty::Str(s) => {
            if let Some(p) = &mut s.pattern {
                p.0 = premap[p.0];
            }
        }
        _ => {}
    });
}

/// The IR of a spec given as text, lowered with no settings, for the unit
/// tests of lowering's passes; panics with the diagnostics if it does not
/// lower.
#[cfg(test)]
pub(crate) fn lowered_for_test(spec: &str) -> Api {
    lowered_with_diagnostics(spec).0
}

/// [`lowered_for_test`] with the diagnostics lowering gave.
#[cfg(test)]
pub(crate) fn lowered_with_diagnostics(spec: &str) -> (Api, crate::diag::Diagnostics) {
    let config = Config {
        crate_name: "t".into(),
        crate_version: "0.1.0".into(),
        spec_label: "t.yaml".into(),
        command: "test".into(),
        standalone: true,
        runtime: Default::default(),
        parts: 0,
        layout: crate::config::Layout::Crate,
        settings: Default::default(),
    };
    crate::load_api("t.yaml", spec.as_bytes(), &config).unwrap_or_else(|d| panic!("{d}"))
}
