//! Lowering paths and operations: parameters, bodies, responses, naming.
//!
//! Methods are grouped and named by `x-operation-group`/`x-operation-name`
//! when present (Auth0), else by the first tag and the `operationId` (with
//! the tag prefix removed), else by the first path segment and the HTTP
//! method plus the path.

use std::collections::BTreeMap;

use super::paging::Items;
use super::Ctx;
use crate::ir::{
    BodyContent, BodyKind, IntTy, Method, Name, Operation, PageSource, Paging, PagingKind, Param, ParamLocation,
    ParamStyle, PathPart, RequestBody, Response, ResponseBody, StatusMatch, StrTy, Ty, TypeKind,
};
use crate::naming::{self, Namespace};
use crate::pointer::Pointer;
use crate::value::{Map, Value};

const METHODS: &[(&str, Method)] = &[
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
    ("trace", Method::Trace),
];

impl<'a> Ctx<'a> {
    pub(crate) fn lower_operations(&mut self, doc: &'a Map) -> Vec<Operation> {
        let paths_ptr = Pointer::root().join("paths");
        let Some(paths) = doc.get("paths") else { return Vec::new() };
        let Some(paths) = paths.as_object() else {
            self.diags.error(&paths_ptr, format!("expected an object, found {}", paths.kind()));
            return Vec::new();
        };
        let mut res = Vec::new();
        let mut op_ids: BTreeMap<String, Pointer> = BTreeMap::new();
        let mut stems = Namespace::new();
        // Method and sub-group names share one namespace per group handle.
        let mut group_members: BTreeMap<Vec<String>, Namespace> = BTreeMap::new();
        // Top-level groups become methods of the runtime's `Client`.
        let root = group_members.entry(Vec::new()).or_default();
        // The client's own methods, and the modules a top-level group's
        // module sits in (`operations`) or holds (`blocking`): a group of
        // either name would be `operations::operations`, a module in a
        // module of its name.
        for taken in
            ["builder", "with_options", "last_rate_limit", "base_url", "send", "clone", "operations", "blocking"]
        {
            root.reserve(taken);
        }
        for (route, item) in paths {
            let iptr = paths_ptr.join(route);
            if route.starts_with("x-") {
                continue;
            }
            let Some((item, iptr)) = self.deref(&iptr, item, "the path item is left out") else { continue };
            let Some(item_obj) = item.as_object() else {
                self.diags.error(&iptr, format!("expected a path item object, found {}", item.kind()));
                continue;
            };
            for (key, op) in item_obj {
                let Some((_, method)) = METHODS.iter().find(|(m, _)| m == key) else { continue };
                // OpenAPI has no `$ref` for an operation, but the sources
                // bundlers read do (DigitalOcean's, to other files): a
                // local one is followed, an external one is an error, never
                // an operation of nothing.
                let Some((op, optr)) = self.deref(&iptr.join(key), op, "the operation is left out") else {
                    continue;
                };
                let Some(op_obj) = op.as_object() else {
                    self.diags.error(&optr, format!("expected an operation object, found {}", op.kind()));
                    continue;
                };
                let op_id = match op_obj.get("operationId") {
                    Some(Value::String(s)) if !s.is_empty() => s.clone(),
                    Some(other @ (Value::Int(_) | Value::Float(_) | Value::Bool(_))) => other.to_json(),
                    _ => format!("{key}{route}"),
                };
                // Temporal serves each route under two prefixes with one
                // operationId: both are generated, the second named apart
                // (a suffix where its group already has the name).
                match op_ids.get(&op_id) {
                    Some(first) => self.diags.warning(
                        optr.join("operationId"),
                        format!("duplicate operationId {op_id:?}, first used at {first}; this operation is generated too, named apart by its group or a suffix"),
                    ),
                    None => {
                        op_ids.insert(op_id.clone(), optr.clone());
                    }
                }
                if let Some(op) = self.lower_operation(
                    route,
                    &optr,
                    item_obj,
                    op_obj,
                    *method,
                    &op_id,
                    &mut stems,
                    &mut group_members,
                ) {
                    res.push(op);
                }
            }
        }
        self.link_paging_by_example(&mut res);
        // The lists paged just now, by the description's examples, claim
        // their streams' names after every operation has its own.
        for op in res.iter_mut().filter(|op| op.paging.is_some() && op.stream_name.is_none()) {
            let members = group_members.entry(op.group.iter().map(|g| g.rust.clone()).collect()).or_default();
            op.stream_name = Some(self.stream_name(&op.pointer, &op.name.rust, members));
        }
        self.stream_item_unions(&mut res);
        res
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_operation(
        &mut self,
        route: &str,
        optr: &Pointer,
        item: &'a Map,
        op: &'a Map,
        method: Method,
        op_id: &str,
        stems: &mut Namespace,
        group_members: &mut BTreeMap<Vec<String>, Namespace>,
    ) -> Option<Operation> {
        self.spend(optr, 4);
        let (group_wire, name_wire) = self.group_and_name(route, op, method, op_id);
        // Group names: each level unique among its parent's members.
        let mut group: Vec<Name> = Vec::new();
        let mut key: Vec<String> = Vec::new();
        for g in &group_wire {
            let rust = naming::method_name(g);
            let members = group_members.entry(key.clone()).or_default();
            let rust = if members.contains(&format!("group:{rust}")) {
                rust
            } else if members.contains(&rust) {
                // A method already has this name: the group keeps it, suffixed.
                let r = members.unique(&rust);
                members.reserve(&format!("group:{r}"));
                r
            } else {
                members.reserve(&rust);
                members.reserve(&format!("group:{rust}"));
                rust
            };
            key.push(rust.clone());
            group.push(Name { wire: g.clone(), rust });
        }
        let members = group_members.entry(key.clone()).or_default();
        let base = naming::method_name(&name_wire);
        let rust_name = super::fluent::claim_method(members, &base).unwrap_or_else(|r| {
            self.diags.warning(optr, format!("method name `{base}` is taken in its group; this operation is `{r}`"));
            r
        });
        let stem_src: String =
            group.iter().map(|g| naming::hint_part(&g.rust)).chain([naming::hint_part(&rust_name)]).collect();
        let type_stem = stems.unique(&naming::type_name(&stem_src));

        let mut params = self.lower_params(optr, item, op, &type_stem);
        let path = self.lower_path(route, optr, &mut params);
        let in_struct: Vec<usize> = (0..params.len()).filter(|&i| params[i].location != ParamLocation::Path).collect();
        let setters = naming::setters(in_struct.iter().map(|&i| (params[i].name.rust.as_str(), false)));
        for (&i, setter) in in_struct.iter().zip(setters) {
            params[i].setter = setter;
        }
        let body = match op.get("requestBody") {
            Some(b) => self.lower_body(&optr.join("requestBody"), b, &type_stem),
            None => None,
        };
        let responses = self.lower_responses(optr, op, &type_stem, method);
        let paging = if method == Method::Get {
            self.paged_segment = route.rsplit('/').find(|s| !s.is_empty()).map(str::to_string);
            let paging = self.lower_paging(route, optr, op, &params, &responses);
            self.paged_segment = None;
            paging
        } else {
            None
        };
        let has_struct = params.iter().any(|p| p.location != ParamLocation::Path);
        let params_struct =
            has_struct.then(|| match op.get("x-operation-request-parameters-name").and_then(Value::as_str) {
                Some(n) => stems.unique(&naming::type_name(n)),
                None => stems.unique(&format!("{type_stem}Params")),
            });
        let members = group_members.entry(key).or_default();
        let stream_name = paging.as_ref().map(|_| self.stream_name(optr, &rust_name, members));
        let fluent = self.fluent((&body, &responses), &rust_name, members, stems, &type_stem);
        Some(Operation {
            name: Name { wire: op_id.to_string(), rust: rust_name },
            group,
            type_stem,
            method,
            route: route.to_string(),
            path,
            params,
            params_struct,
            body,
            responses,
            docs: self.lower_docs(&Value::Object(op.clone())),
            pointer: optr.clone(),
            paging,
            stream_name,
            fluent,
        })
    }

    /// Recognises a list operation by the parameter and field names of the
    /// paging settings, and finds its items in every shape of the response;
    /// else by a convention the description shows (`lower/paging.rs`).
    fn lower_paging(
        &mut self,
        route: &str,
        optr: &Pointer,
        op: &'a Map,
        params: &[Param],
        responses: &[Response],
    ) -> Option<Paging> {
        let config = self.config;
        let cfg = &config.settings.paging;
        // A query parameter by wire name, with its index in `params`.
        let query = |wire: &str| {
            params.iter().enumerate().find(|(_, p)| p.location == ParamLocation::Query && p.name.wire == wire)
        };
        let body = responses.iter().find_map(|r| match (&r.body, crate::ir::is_success(responses, r.status)) {
            (ResponseBody::Json(ty), true) => Some(ty.clone()),
            _ => None,
        })?;
        let next_name = cfg.checkpoint.as_ref().map(|c| c.2.as_str());
        let Some((item, sources)) = self.page_sources(&body, Items::First, next_name) else {
            return self.convention_paging(optr, op, params, &body);
        };
        let cap = cfg.result_caps.iter().find(|c| c.route == route).map(|c| (c.limit, c.hint.clone()));
        // A default page size no larger than the route's cap or the
        // parameter's maximum (`take` of `GET /connection-profiles` is at most 10).
        let size_cap = cfg.page_size_caps.iter().find(|(r, _)| r == route).map(|(_, n)| *n);
        let capped = |n: u64, ty: &Ty| {
            let n = size_cap.map_or(n, |c| n.min(c));
            match ty {
                Ty::Int(IntTy { max: Some(m), .. }) if *m >= 1 => u64::try_from(*m).map_or(n, |m| n.min(m)),
                _ => n,
            }
        };
        if let Some((from, take, _)) = &cfg.checkpoint {
            if let (Some((from_param, f)), Some((take_param, t))) = (query(from), query(take)) {
                // Only lists whose pages never carry a next cursor continue
                // from their last item.
                let item_cursor = match sources.iter().any(|s| s.next_field.is_some()) {
                    true => None,
                    false => cfg.item_cursor.iter().find_map(|name| self.item_cursor(&item, name)),
                };
                if matches!(f.ty, Ty::Str(StrTy { min_len: None, pattern: None, .. }))
                    && matches!(t.ty, Ty::Int(_))
                    && (item_cursor.is_some() || sources.iter().any(|s| s.next_field.is_some()))
                {
                    return Some(Paging {
                        kind: PagingKind::Checkpoint {
                            from_param,
                            take_param,
                            default_take: cfg.default_take.map(|n| capped(n, &t.ty)),
                            item_cursor,
                        },
                        item,
                        sources,
                        cap: None,
                    });
                }
            }
        }
        if let Some((page, per_page, totals)) = &cfg.offset {
            if let (Some((page_param, p)), Some((size_param, size))) = (query(page), query(per_page)) {
                if let Ty::Int(IntTy { kind, min: None | Some(0), multiple_of: None, .. }) = p.ty {
                    let totals_param =
                        totals.as_deref().and_then(query).filter(|(_, t)| t.ty == Ty::Bool).map(|(i, _)| i);
                    let default_size = match (&size.ty, cfg.default_per_page) {
                        (Ty::Int(_), Some(n)) => Some((size_param, capped(n, &size.ty))),
                        _ => None,
                    };
                    return Some(Paging {
                        kind: PagingKind::Offset {
                            page_param,
                            page_kind: kind,
                            totals_param,
                            default_size,
                            convention: false,
                        },
                        item,
                        sources,
                        cap,
                    });
                }
            }
        }
        self.convention_paging(optr, op, params, &body)
    }

    /// The string field `name` of a struct item type, and whether it is
    /// optional: the cursor of checkpoint pages that carry no `next`.
    fn item_cursor(&self, item: &Ty, name: &str) -> Option<(String, bool)> {
        let Ty::Named(id) = item else { return None };
        let TypeKind::Struct(st) = &self.types.get(id.0)?.as_ref()?.kind else { return None };
        let f = st
            .fields
            .iter()
            .find(|f| f.name.wire == name && !f.presence.is_nullable() && f.ty == Ty::Str(StrTy::default()))?;
        Some((f.name.rust.clone(), f.presence.is_optional()))
    }

    /// The item type and the shapes holding items, for a list response.
    pub(super) fn page_sources(
        &self,
        body: &Ty,
        items_rule: Items<'_>,
        next_name: Option<&str>,
    ) -> Option<(Ty, Vec<PageSource>)> {
        let def = |ty: &Ty| match ty {
            Ty::Named(id) => self.types.get(id.0).and_then(Option::as_ref),
            _ => None,
        };
        let struct_source = |ty: &Ty, variant: Option<String>| -> Option<(Ty, PageSource)> {
            let TypeKind::Struct(st) = &def(ty)?.kind else { return None };
            let optional = |f: &crate::ir::Field| f.presence.is_optional();
            // Bounded too (an `rt::BoundedVec`, `items_bounded`).
            let is_array =
                |f: &&crate::ir::Field| !f.presence.is_nullable() && !f.boxed && matches!(f.ty, Ty::Array(_));
            // A union of lists counts as a list, except by the settings' rule.
            let list_union = |f: &crate::ir::Field| self.list_union(&f.ty).filter(|_| !f.presence.is_nullable());
            let is_list = |f: &&crate::ir::Field| is_array(f) || list_union(f).is_some();
            let items = match items_rule {
                Items::First => st.fields.iter().find(is_array)?,
                Items::Named(n) => st.fields.iter().find(|f| f.name.wire == n).filter(is_list)?,
                Items::Sole => {
                    let lists: Vec<&crate::ir::Field> = st
                        .fields
                        .iter()
                        .filter(|f| matches!(f.ty, Ty::Array(_)) || self.list_union(&f.ty).is_some())
                        .collect();
                    match lists[..] {
                        [f] => Some(f).filter(is_list)?,
                        _ => super::paging::items_by_name(&lists, self.paged_segment.as_deref()).filter(is_list)?,
                    }
                }
            };
            // The item of a union of lists stands for the union of its
            // lists' items until a stream takes it (`lower/paging_items.rs`).
            let (item, items_union) = match &items.ty {
                Ty::Array(a) => (a.item.clone(), None),
                ty => (ty.clone(), Some(crate::ir::ListUnion { ty: ty.clone(), variants: list_union(items)? })),
            };
            let next = next_name.and_then(|n| {
                st.fields.iter().find(|f| {
                    f.name.wire == n
                        && match items_rule {
                            // `next` may be `null` on the last page (verifiable-credential templates).
                            Items::First => f.ty == Ty::Str(StrTy::default()),
                            _ => matches!(
                                &f.ty,
                                Ty::Str(StrTy { pattern: None, .. }) | Ty::Format(crate::ir::Format::Uri)
                            ),
                        }
                })
            });
            let next_field = next.map(|f| (f.name.rust.clone(), super::paging::may_lack(f)));
            let next_nullable = next.is_some_and(|f| f.presence == crate::ir::Presence::OptionalNull);
            let total = st.fields.iter().find(|f| {
                matches!(f.name.wire.as_str(), "total" | "total_count" | "totalCount")
                    && matches!(f.ty, Ty::Int(_) | Ty::Float(_))
                    && !f.presence.is_nullable()
            });
            let total_field = total.map(|f| (f.name.rust.clone(), optional(f)));
            Some((
                item,
                PageSource {
                    variant,
                    items_via: Vec::new(),
                    items_field: Some((items.name.rust.clone(), optional(items))),
                    items_union,
                    items_bounded: matches!(&items.ty, Ty::Array(a) if crate::rust_ty::array_bounded(a)),
                    next_via: Vec::new(),
                    next_field,
                    next_nullable,
                    total_field,
                },
            ))
        };
        let array_source = |ty: &Ty, variant: Option<String>| -> Option<(Ty, PageSource)> {
            match ty {
                Ty::Array(a) if a.min_items.is_none() && a.max_items.is_none() => Some((
                    a.item.clone(),
                    PageSource {
                        variant,
                        items_via: Vec::new(),
                        items_field: None,
                        items_union: None,
                        items_bounded: false,
                        next_via: Vec::new(),
                        next_field: None,
                        next_nullable: false,
                        total_field: None,
                    },
                )),
                _ => None,
            }
        };
        let found: Vec<(Ty, PageSource)> = match def(body).map(|d| &d.kind) {
            Some(TypeKind::Union(u)) => u
                .variants
                .iter()
                .filter_map(|v| {
                    array_source(&v.ty, Some(v.rust.clone())).or_else(|| struct_source(&v.ty, Some(v.rust.clone())))
                })
                .collect(),
            Some(TypeKind::Struct(_)) => struct_source(body, None).into_iter().collect(),
            _ => array_source(body, None).into_iter().collect(),
        };
        let item = found.first()?.0.clone();
        if found.iter().any(|(t, _)| *t != item) {
            return None;
        }
        Some((item, found.into_iter().map(|(_, s)| s).collect()))
    }

    fn group_and_name(&mut self, route: &str, op: &Map, method: Method, op_id: &str) -> (Vec<String>, String) {
        let x_group: Option<Vec<String>> = match op.get("x-operation-group") {
            Some(Value::String(s)) => Some(vec![s.clone()]),
            Some(Value::Array(a)) => Some(a.iter().filter_map(Value::as_str).map(str::to_string).collect()),
            _ => None,
        };
        let x_name = op.get("x-operation-name").and_then(Value::as_str).map(str::to_string);
        if let (Some(g), Some(n)) = (&x_group, &x_name) {
            if !g.is_empty() {
                return (g.clone(), n.clone());
            }
        }
        let tag = op
            .get("tags")
            .and_then(Value::as_array)
            .and_then(|t| t.first())
            .and_then(Value::as_str)
            .map(str::to_string);
        let group = x_group.filter(|g| !g.is_empty()).or_else(|| tag.map(|t| vec![t])).unwrap_or_else(|| {
            let first = route.split('/').find(|s| !s.is_empty() && !s.starts_with('{')).unwrap_or("root");
            vec![first.to_string()]
        });
        if let Some(n) = x_name {
            return (group, n);
        }
        let has_id = op.get("operationId").and_then(Value::as_str).is_some_and(|s| !s.is_empty());
        let name = if has_id {
            let snake = naming::method_name(op_id);
            let prefix = format!("{}_", naming::method_name(group.last().map(String::as_str).unwrap_or("")));
            match snake.strip_prefix(&prefix) {
                Some(rest) if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_string(),
                _ => snake,
            }
        } else {
            let segments: Vec<&str> =
                route.split('/').filter(|s| !s.is_empty()).map(|s| if s.starts_with('{') { "by" } else { s }).collect();
            format!("{}_{}", method.as_str().to_ascii_lowercase(), segments.join("_"))
        };
        (group, name)
    }

    fn lower_params(&mut self, optr: &Pointer, item: &'a Map, op: &'a Map, stem: &str) -> Vec<Param> {
        // Path-level parameters first, replaced by operation-level ones with
        // the same name and location.
        let mut raw: Vec<(Pointer, &'a Value)> = Vec::new();
        // An index, not a search per parameter: hostile specs have 100,000.
        let mut raw_idx: BTreeMap<(Option<String>, Option<String>), usize> = BTreeMap::new();
        let item_ptr = Pointer::from_ref(&format!("#{}", optr.as_str().rsplit_once('/').map(|(a, _)| a).unwrap_or("")))
            .unwrap_or_default();
        for (src, base) in
            [(item.get("parameters"), item_ptr.join("parameters")), (op.get("parameters"), optr.join("parameters"))]
        {
            let Some(list) = src else { continue };
            let Some(list) = list.as_array() else {
                self.diags.error(&base, format!("expected an array, found {}", list.kind()));
                continue;
            };
            for (idx, p) in list.iter().enumerate() {
                let pptr = base.join(idx.to_string());
                let Some((p, pptr)) = self.deref(&pptr, p, "the parameter is left out") else { continue };
                let key = |v: &Value| {
                    (
                        v.get("name").and_then(Value::as_str).map(str::to_string),
                        v.get("in").and_then(Value::as_str).map(str::to_string),
                    )
                };
                let k = key(p);
                match raw_idx.get(&k) {
                    Some(&i) => raw[i] = (pptr, p),
                    None => {
                        raw_idx.insert(k, raw.len());
                        raw.push((pptr, p));
                    }
                }
            }
        }
        // One namespace for path arguments and params struct fields; only
        // path arguments avoid the method's own argument names.
        let mut names = Namespace::new();
        let mut res = Vec::new();
        for (pptr, p) in raw {
            self.spend(&pptr, 1);
            let Some(name) = p.get("name").and_then(Value::as_str) else {
                self.diags.error(pptr.join("name"), "parameter has no name");
                continue;
            };
            let location = match p.get("in").and_then(Value::as_str) {
                Some("path") => ParamLocation::Path,
                Some("query") => ParamLocation::Query,
                Some("header") => ParamLocation::Header,
                Some("cookie") => ParamLocation::Cookie,
                other => {
                    self.diags.error(
                        pptr.join("in"),
                        format!("unknown parameter location {other:?}, expected path, query, header or cookie"),
                    );
                    continue;
                }
            };
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str())
            {
                // OpenAPI says these are ignored: the client sets them.
                continue;
            }
            let hint = format!("{stem}{}", naming::hint_part(name));
            let lowered = match (p.get("schema"), p.get("content")) {
                (Some(s), _) => self.lower_schema(&pptr.join("schema"), s, &hint),
                (None, Some(c)) => {
                    let schema = c.as_object().and_then(|m| m.values().next()).and_then(|m| m.get("schema"));
                    match schema {
                        Some(s) => {
                            let mt = c.as_object().and_then(|m| m.keys().next()).cloned().unwrap_or_default();
                            self.lower_schema(&pptr.join("content").join(mt).join("schema"), s, &hint)
                        }
                        None => super::schema::Lowered { ty: Ty::Json, nullable: false },
                    }
                }
                (None, None) => super::schema::Lowered { ty: Ty::Str(StrTy::default()), nullable: false },
            };
            let explode = p.get("explode").and_then(Value::as_bool);
            let style = match (location, p.get("style").and_then(Value::as_str)) {
                (_, Some("deepObject")) => ParamStyle::DeepObject,
                (_, Some("spaceDelimited")) => ParamStyle::SpaceDelimited,
                (_, Some("pipeDelimited")) => ParamStyle::PipeDelimited,
                (ParamLocation::Query | ParamLocation::Cookie, Some("form") | None) => {
                    ParamStyle::Form { explode: explode.unwrap_or(true) }
                }
                (_, Some("simple") | None) => ParamStyle::Simple,
                (_, Some(other)) => {
                    self.diags.warning(
                        pptr.join("style"),
                        format!("parameter style {other:?} is not supported; the simple style is used"),
                    );
                    ParamStyle::Simple
                }
            };
            let rust = match location {
                ParamLocation::Path => names.unique(&naming::path_arg_name(name)),
                _ => names.unique(&naming::field_name(name)),
            };
            let required =
                location == ParamLocation::Path || p.get("required").and_then(Value::as_bool).unwrap_or(false);
            let ty = lowered.ty;
            res.push(Param {
                name: Name { wire: name.to_string(), rust },
                location,
                ty,
                required,
                style,
                docs: self.lower_docs(p),
                pointer: pptr,
                setter: Default::default(),
            });
        }
        res
    }

    fn lower_path(&mut self, route: &str, optr: &Pointer, params: &mut Vec<Param>) -> Vec<PathPart> {
        let mut res = Vec::new();
        let mut rest = route;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                self.diags.error(optr, format!("unclosed `{{` in path {route:?}"));
                return vec![PathPart::Literal(route.to_string())];
            };
            if open > 0 {
                res.push(PathPart::Literal(rest[..open].to_string()));
            }
            let name = &rest[open + 1..open + close];
            let idx = params.iter().position(|p| p.location == ParamLocation::Path && p.name.wire == name);
            let idx = match idx {
                Some(i) => i,
                None => {
                    self.diags
                        .warning(optr, format!("path parameter {name:?} is not declared; it is taken as a string"));
                    let mut names = Namespace::new();
                    for p in params.iter() {
                        names.reserve(&p.name.rust);
                    }
                    params.push(Param {
                        name: Name { wire: name.to_string(), rust: names.unique(&naming::path_arg_name(name)) },
                        location: ParamLocation::Path,
                        ty: Ty::Str(StrTy::default()),
                        required: true,
                        style: ParamStyle::Simple,
                        docs: Default::default(),
                        pointer: optr.clone(),
                        setter: Default::default(),
                    });
                    params.len() - 1
                }
            };
            res.push(PathPart::Param(idx));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            res.push(PathPart::Literal(rest.to_string()));
        }
        // Declared path parameters that the route does not contain are dropped.
        let used: Vec<usize> =
            res.iter().filter_map(|p| if let PathPart::Param(i) = p { Some(*i) } else { None }).collect();
        let unused: Vec<usize> =
            (0..params.len()).filter(|i| params[*i].location == ParamLocation::Path && !used.contains(i)).collect();
        for i in unused.iter().rev() {
            self.diags.warning(
                &params[*i].pointer,
                format!("path parameter {:?} does not appear in the path; it is ignored", params[*i].name.wire),
            );
            params.remove(*i);
            for part in res.iter_mut() {
                if let PathPart::Param(j) = part {
                    if *j > *i {
                        *j -= 1;
                    }
                }
            }
        }
        res
    }

    fn lower_body(&mut self, ptr: &Pointer, b: &'a Value, stem: &str) -> Option<RequestBody> {
        let Some((b, bptr)) = self.deref(ptr, b, "the body is taken as serde_json::Value") else {
            return Some(RequestBody {
                required: false,
                contents: vec![BodyContent {
                    media_type: "application/json".into(),
                    kind: BodyKind::Json,
                    ty: Ty::Json,
                }],
                docs: Default::default(),
            });
        };
        let content = b.get("content").and_then(Value::as_object)?;
        let mut contents: Vec<BodyContent> = Vec::new();
        let hint = format!("{stem}Body");
        for (mt, media) in content {
            let kind = body_kind(mt);
            let mptr = bptr.join("content").join(mt);
            let ty = match kind {
                BodyKind::Binary => Ty::Binary,
                BodyKind::Text => Ty::Str(StrTy::default()),
                _ => match media.get("schema") {
                    Some(s) => self.lower_schema(&mptr.join("schema"), s, &hint).folded(),
                    None => Ty::Json,
                },
            };
            contents.push(BodyContent { media_type: mt.clone(), kind, ty });
        }
        if contents.is_empty() {
            return None;
        }
        // JSON first, then form, multipart, binary, text; stable otherwise.
        contents.sort_by_key(|c| c.kind as u8);
        // An object or list body is taken as required whatever `required`
        // says (Auth0 never sets it, its SDKs always take a body): an empty
        // object is `&Default::default()`, an empty list `[]`.
        let needs_fields = contents[0].kind == BodyKind::Json && self.object_or_list(&contents[0].ty);
        Some(RequestBody {
            required: b.get("required").and_then(Value::as_bool).unwrap_or(false) || needs_fields,
            contents,
            docs: self.lower_docs(b),
        })
    }

    /// Whether a body of type `ty` is an object or a list, through named
    /// aliases (a bounded number of them: an alias cycle is neither).
    fn object_or_list(&self, ty: &Ty) -> bool {
        let mut ty = ty;
        for _ in 0..16 {
            match ty {
                Ty::Array(_) => return true,
                Ty::Named(id) => match self.types.get(id.0).and_then(Option::as_ref).map(|d| &d.kind) {
                    Some(crate::ir::TypeKind::Struct(_)) => return true,
                    Some(crate::ir::TypeKind::Alias(t)) => ty = t,
                    _ => return false,
                },
                _ => return false,
            }
        }
        false
    }

    fn lower_responses(&mut self, optr: &Pointer, op: &'a Map, stem: &str, method: Method) -> Vec<Response> {
        let rptr = optr.join("responses");
        let responses = match op.get("responses") {
            None => return Vec::new(),
            Some(Value::Object(r)) => r,
            Some(other) => {
                self.diags.error(&rptr, format!("expected an object of responses, found {}", other.kind()));
                return Vec::new();
            }
        };
        let mut res: Vec<Response> = Vec::new();
        let mut variants = Namespace::new();
        variants.reserve("Unknown");
        let n_success = responses.keys().filter(|k| k.starts_with('2')).count();
        for (code, r) in responses {
            let sptr = rptr.join(code);
            if code.starts_with("x-") {
                continue;
            }
            let status = match code.as_str() {
                "default" => StatusMatch::Default,
                c if c.len() == 3 && c.ends_with("XX") || c.ends_with("xx") => match c.as_bytes()[0] {
                    d @ b'1'..=b'5' => StatusMatch::Range(d - b'0'),
                    _ => {
                        self.diags.error(&sptr, format!("invalid status code {c:?}"));
                        continue;
                    }
                },
                c => match c.parse::<u16>() {
                    Ok(n) if (100..=599).contains(&n) => StatusMatch::Exact(n),
                    _ => {
                        self.diags.error(&sptr, format!("invalid status code {c:?}"));
                        continue;
                    }
                },
            };
            // RFC 9110: 204, 205 and 304 have no body, nor does any answer
            // to HEAD, whatever the description declares.
            let bodiless = method == Method::Head || matches!(status, StatusMatch::Exact(204 | 205 | 304));
            let fallback =
                if bodiless { "the response has no body" } else { "the response body is taken as serde_json::Value" };
            let Some((r, sptr)) = self.deref(&sptr, r, fallback) else {
                let body = if bodiless { ResponseBody::Empty } else { ResponseBody::Json(Ty::Json) };
                let variant = variants.unique(&status_variant(status));
                res.push(Response { status, variant, body, docs: Default::default() });
                continue;
            };
            let hint = if status.is_2xx() && n_success <= 1 {
                format!("{stem}Response")
            } else {
                format!("{stem}Response{code}")
            };
            let body = if bodiless {
                if r.get("content").and_then(Value::as_object).is_some_and(|c| !c.is_empty()) {
                    let why =
                        if method == Method::Head { "an answer to HEAD".to_string() } else { format!("status {code}") };
                    self.diags.warning(
                        sptr.join("content"),
                        format!("{why} has no body (RFC 9110); the declared content is ignored"),
                    );
                }
                ResponseBody::Empty
            } else {
                self.lower_response_body(&sptr, r, &hint)
            };
            let variant = variants.unique(&status_variant(status));
            res.push(Response { status, variant, body, docs: self.lower_docs(r) });
        }
        res
    }

    fn lower_response_body(&mut self, ptr: &Pointer, r: &'a Value, hint: &str) -> ResponseBody {
        let Some(content) = r.get("content").and_then(Value::as_object) else { return ResponseBody::Empty };
        let pick = content.iter().min_by_key(|(mt, _)| body_kind(mt) as u8).map(|(mt, m)| (mt.clone(), m));
        let Some((mt, media)) = pick else { return ResponseBody::Empty };
        if is_event_stream(&mt) {
            return ResponseBody::EventStream(match media.get("schema") {
                Some(s) => self.lower_schema(&ptr.join("content").join(&mt).join("schema"), s, hint).folded(),
                None => Ty::Json,
            });
        }
        match body_kind(&mt) {
            BodyKind::Json => match media.get("schema") {
                Some(s) => ResponseBody::Json(
                    self.lower_schema(&ptr.join("content").join(&mt).join("schema"), s, hint).folded(),
                ),
                None => ResponseBody::Json(Ty::Json),
            },
            BodyKind::Text => ResponseBody::Text,
            _ => ResponseBody::Binary,
        }
    }
}

/// Whether a media type is Server-Sent Events.
fn is_event_stream(media_type: &str) -> bool {
    media_type.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("text/event-stream")
}

/// Classifies a media type.
pub(crate) fn body_kind(media_type: &str) -> BodyKind {
    let mt = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if mt == "application/json" || mt.ends_with("+json") || mt == "text/json" || mt == "application/x-json" {
        BodyKind::Json
    } else if mt == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if mt.starts_with("multipart/") {
        BodyKind::Multipart
    } else if mt.starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Binary
    }
}

/// The variant name for a status (`404` -> `NotFound`).
pub(crate) fn status_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Default => "Default".into(),
        StatusMatch::Range(r) => match r {
            1 => "Informational".into(),
            2 => "Success".into(),
            3 => "Redirection".into(),
            4 => "ClientError".into(),
            _ => "ServerError".into(),
        },
        StatusMatch::Exact(code) => match code {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritativeInformation",
            204 => "NoContent",
            205 => "ResetContent",
            206 => "PartialContent",
            207 => "MultiStatus",
            300 => "MultipleChoices",
            301 => "MovedPermanently",
            302 => "Found",
            303 => "SeeOther",
            304 => "NotModified",
            307 => "TemporaryRedirect",
            308 => "PermanentRedirect",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            408 => "RequestTimeout",
            409 => "Conflict",
            410 => "Gone",
            411 => "LengthRequired",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            414 => "UriTooLong",
            415 => "UnsupportedMediaType",
            416 => "RangeNotSatisfiable",
            417 => "ExpectationFailed",
            418 => "ImATeapot",
            421 => "MisdirectedRequest",
            422 => "UnprocessableEntity",
            423 => "Locked",
            424 => "FailedDependency",
            425 => "TooEarly",
            426 => "UpgradeRequired",
            428 => "PreconditionRequired",
            429 => "TooManyRequests",
            431 => "RequestHeaderFieldsTooLarge",
            451 => "UnavailableForLegalReasons",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            505 => "HttpVersionNotSupported",
            507 => "InsufficientStorage",
            508 => "LoopDetected",
            511 => "NetworkAuthenticationRequired",
            other => return format!("Status{other}"),
        }
        .into(),
    }
}
