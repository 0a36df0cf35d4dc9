//! Comparing operations: routes, parameters, bodies and responses.

use std::collections::{BTreeMap, BTreeSet};

use super::*;

impl<'a> Cx<'a> {
    pub(super) fn diff_operations(&self) -> Vec<OperationDiff> {
        let mut by_route: BTreeMap<(Method, &str), usize> = BTreeMap::new();
        let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (idx, op) in self.old.operations.iter().enumerate() {
            by_route.insert((op.method, op.route.as_str()), idx);
            by_id.entry(op.name.wire.as_str()).or_default().push(idx);
        }
        let new_routes: BTreeSet<(Method, &str)> =
            self.new.operations.iter().map(|op| (op.method, op.route.as_str())).collect();
        let mut used = vec![false; self.old.operations.len()];
        let mut res = Vec::new();
        for op in &self.new.operations {
            let matched = by_route.get(&(op.method, op.route.as_str())).copied().or_else(|| {
                // A moved route: same operation id, old route gone.
                match by_id.get(op.name.wire.as_str()).map(Vec::as_slice) {
                    Some(&[idx]) => {
                        let o = &self.old.operations[idx];
                        (!new_routes.contains(&(o.method, o.route.as_str()))).then_some(idx)
                    }
                    _ => None,
                }
            });
            match matched {
                Some(idx) if !used[idx] => {
                    used[idx] = true;
                    let changes = self.diff_operation(&self.old.operations[idx], op);
                    if !changes.is_empty() {
                        res.push(op_diff(Status::Changed, op, changes));
                    }
                }
                _ => {
                    let path = op_path(op);
                    let change = Change {
                        class: Class::Compatible,
                        kind: "operation-added",
                        rust_path: path.clone(),
                        wire: format!("`{} {}` (`{}`) added", op.method.as_str(), op.route, op.name.wire),
                        rust: format!("new method `{path}`"),
                    };
                    res.push(op_diff(Status::Added, op, vec![change]));
                }
            }
        }
        for (idx, op) in self.old.operations.iter().enumerate() {
            if used[idx] {
                continue;
            }
            let path = op_path(op);
            let change = Change {
                class: Class::Breaking,
                kind: "operation-removed",
                rust_path: path.clone(),
                wire: format!("`{} {}` (`{}`) removed", op.method.as_str(), op.route, op.name.wire),
                rust: format!("method `{path}` removed"),
            };
            res.push(op_diff(Status::Removed, op, vec![change]));
        }
        res
    }

    pub(super) fn diff_operation(&self, old: &Operation, new: &Operation) -> Vec<Change> {
        let mut res = Vec::new();
        let path = op_path(new);
        let old_path = op_path(old);
        if old_path != path {
            res.push(Change {
                class: Class::Breaking,
                kind: "operation-renamed",
                rust_path: path.clone(),
                wire: format!("`{}` is grouped or named differently", new.name.wire),
                rust: format!("`{old_path}` is now `{path}`"),
            });
        }
        if old.route != new.route || old.method != new.method {
            res.push(Change {
                class: Class::Breaking,
                kind: "route-changed",
                rust_path: path.clone(),
                wire: format!(
                    "route `{} {}` is now `{} {}`",
                    old.method.as_str(),
                    old.route,
                    new.method.as_str(),
                    new.route
                ),
                rust: format!("`{path}` sends requests to the new route"),
            });
        } else if old.name.wire != new.name.wire {
            res.push(Change {
                class: Class::Compatible,
                kind: "operation-id-changed",
                rust_path: path.clone(),
                wire: format!("operation id `{}` is now `{}`", old.name.wire, new.name.wire),
                rust: format!("`{path}` reports the new id in errors and traces"),
            });
        }
        self.diff_params(old, new, &path, &mut res);
        self.diff_body(old, new, &path, &mut res);
        self.diff_responses(old, new, &path, &mut res);
        res
    }

    fn diff_params(&self, old: &Operation, new: &Operation, op_path: &str, res: &mut Vec<Change>) {
        match (&old.params_struct, &new.params_struct) {
            (None, Some(b)) => res.push(Change {
                class: Class::Breaking,
                kind: "params-struct-added",
                rust_path: params_struct_path(new).unwrap_or_default(),
                wire: "the first query, header or cookie parameter is added".to_string(),
                rust: format!("`{op_path}` takes a new argument `params: &{b}`"),
            }),
            (Some(a), None) => res.push(Change {
                class: Class::Breaking,
                kind: "params-struct-removed",
                rust_path: params_struct_path(old).unwrap_or_default(),
                wire: "the last query, header or cookie parameter is removed".to_string(),
                rust: format!("`{op_path}` loses its argument `params: &{a}`"),
            }),
            _ => {}
        }
        if let (Some(a), Some(b)) = (&old.params_struct, &new.params_struct) {
            if a != b {
                res.push(Change {
                    class: Class::Breaking,
                    kind: "params-struct-renamed",
                    rust_path: params_struct_path(new).unwrap_or_default(),
                    wire: "parameters are named differently".to_string(),
                    rust: format!("the parameters struct `{a}` of `{op_path}` is now `{b}`"),
                });
            }
        }
        let key = param_key;
        let olds: BTreeMap<_, &Param> = old.params.iter().map(|p| (key(p), p)).collect();
        let news: BTreeSet<_> = new.params.iter().map(key).collect();
        for p in &new.params {
            let rust_path = param_path(new, p, op_path);
            let loc = loc_str(p.location);
            match olds.get(&key(p)) {
                None => {
                    let breaking = p.required || p.location == ParamLocation::Path;
                    let (class, how) = if breaking {
                        let how = if p.location == ParamLocation::Path {
                            format!("`{op_path}` takes a new argument `{}`", p.name.rust)
                        } else {
                            format!("new field `{rust_path}` must be set (`new()` takes it)")
                        };
                        (Class::Breaking, how)
                    } else {
                        (Class::Compatible, format!("new optional field `{rust_path}`"))
                    };
                    let req = if p.required { "required" } else { "optional" };
                    res.push(Change {
                        class,
                        kind: "param-added",
                        rust_path,
                        wire: format!("{req} {loc} parameter `{}` added", p.name.wire),
                        rust: how,
                    });
                }
                Some(o) => {
                    if o.required != p.required && p.location != ParamLocation::Path {
                        let (kind, wire) = if p.required {
                            ("param-required", format!("{loc} parameter `{}` becomes required", p.name.wire))
                        } else {
                            ("param-optional", format!("{loc} parameter `{}` becomes optional", p.name.wire))
                        };
                        res.push(Change {
                            class: Class::Breaking,
                            kind,
                            rust_path: rust_path.clone(),
                            wire,
                            rust: format!(
                                "`{rust_path}` is now `{}` (was `{}`)",
                                self.param_ty(Side::New, p),
                                self.param_ty(Side::Old, o)
                            ),
                        });
                    }
                    if o.name.rust != p.name.rust {
                        res.push(Change {
                            class: Class::Breaking,
                            kind: "param-renamed",
                            rust_path: rust_path.clone(),
                            wire: format!("{loc} parameter `{}` gets a different Rust name", p.name.wire),
                            rust: format!("`{}` is now `{}`", param_path(old, o, op_path), rust_path),
                        });
                    }
                    let mut deltas = Vec::new();
                    self.cmp_ty(&o.ty, &p.ty, "", &mut deltas);
                    if let Some(c) = combine(
                        deltas,
                        &format!("{loc} parameter `{}`", p.name.wire),
                        rust_path,
                        self.param_ty(Side::Old, o),
                        self.param_ty(Side::New, p),
                    ) {
                        res.push(c);
                    }
                }
            }
        }
        for o in &old.params {
            if news.contains(&key(o)) {
                continue;
            }
            let rust_path = param_path(old, o, op_path);
            let rust = if o.location == ParamLocation::Path {
                format!("`{op_path}` loses its argument `{}`", o.name.rust)
            } else {
                format!("field `{rust_path}` removed")
            };
            res.push(Change {
                class: Class::Breaking,
                kind: "param-removed",
                rust_path,
                wire: format!("{} parameter `{}` removed", loc_str(o.location), o.name.wire),
                rust,
            });
        }
    }

    fn diff_body(&self, old: &Operation, new: &Operation, op_path: &str, res: &mut Vec<Change>) {
        let rust_path = format!("{op_path}(.., body)");
        let (a, b) = match (&old.body, &new.body) {
            (None, None) => return,
            (None, Some(b)) => {
                res.push(Change {
                    class: Class::Breaking,
                    kind: "body-added",
                    rust_path: rust_path.clone(),
                    wire: format!(
                        "{} request body added ({})",
                        if b.required { "required" } else { "optional" },
                        media_types(&b.contents)
                    ),
                    rust: format!("`{op_path}` takes a new `body` argument"),
                });
                return;
            }
            (Some(a), None) => {
                res.push(Change {
                    class: Class::Breaking,
                    kind: "body-removed",
                    rust_path: rust_path.clone(),
                    wire: format!("request body removed ({})", media_types(&a.contents)),
                    rust: format!("`{op_path}` loses its `body` argument"),
                });
                return;
            }
            (Some(a), Some(b)) => (a, b),
        };
        if a.required != b.required {
            let (kind, wire, rust) = if b.required {
                ("body-required", "request body becomes required", "`body` is now `&T` (was `Option<&T>`)")
            } else {
                ("body-optional", "request body becomes optional", "`body` is now `Option<&T>` (was `&T`)")
            };
            res.push(Change {
                class: Class::Breaking,
                kind,
                rust_path: rust_path.clone(),
                wire: wire.to_string(),
                rust: format!("{rust} in `{op_path}`"),
            });
        }
        if let (Some(ad), Some(bd)) = (a.contents.first(), b.contents.first()) {
            if ad.media_type != bd.media_type {
                res.push(Change {
                    class: Class::Breaking,
                    kind: "default-media-type-changed",
                    rust_path: rust_path.clone(),
                    wire: format!("the first request media type `{}` is now `{}`", ad.media_type, bd.media_type),
                    rust: format!(
                        "`{op_path}` sends `{}` and takes `{}` (was `{}`)",
                        bd.media_type,
                        self.rust_ty(Side::New, &bd.ty),
                        self.rust_ty(Side::Old, &ad.ty)
                    ),
                });
            }
        }
        for c in &b.contents {
            match a.contents.iter().find(|x| x.media_type == c.media_type) {
                None => res.push(Change {
                    class: Class::Compatible,
                    kind: "media-type-added",
                    rust_path: rust_path.clone(),
                    wire: format!("request media type `{}` added", c.media_type),
                    rust: format!("`{op_path}` keeps sending `{}`", b.contents[0].media_type),
                }),
                Some(o) => {
                    let mut deltas = Vec::new();
                    self.cmp_ty(&o.ty, &c.ty, "", &mut deltas);
                    if let Some(ch) = combine(
                        deltas,
                        &format!("`{}` request body", c.media_type),
                        rust_path.clone(),
                        self.rust_ty(Side::Old, &o.ty),
                        self.rust_ty(Side::New, &c.ty),
                    ) {
                        res.push(ch);
                    }
                }
            }
        }
        for o in &a.contents {
            if !b.contents.iter().any(|c| c.media_type == o.media_type) {
                res.push(Change {
                    class: Class::Breaking,
                    kind: "media-type-removed",
                    rust_path: rust_path.clone(),
                    wire: format!("request media type `{}` removed", o.media_type),
                    rust: format!("the server no longer accepts `{}` bodies from `{op_path}`", o.media_type),
                });
            }
        }
    }

    fn diff_responses(&self, old: &Operation, new: &Operation, op_path: &str, res: &mut Vec<Change>) {
        let old_ret = self.success_ty(Side::Old, old);
        let new_ret = self.success_ty(Side::New, new);
        for r in &new.responses {
            let rust_path = self.status_path(new, r.status, &r.variant, op_path);
            match old.responses.iter().find(|o| o.status == r.status) {
                None => {
                    let rust = if new.is_success(r.status) {
                        format!("`{op_path}` decodes `{}` responses", status_str(r.status))
                    } else {
                        format!("new error variant `{rust_path}`")
                    };
                    res.push(Change {
                        class: Class::Compatible,
                        kind: "status-added",
                        rust_path,
                        wire: format!("response status `{}` added", status_str(r.status)),
                        rust,
                    });
                }
                Some(o) => {
                    if o.variant != r.variant && !new.is_success(r.status) {
                        res.push(Change {
                            class: Class::Breaking,
                            kind: "status-renamed",
                            rust_path: rust_path.clone(),
                            wire: format!("response `{}` gets a different name", status_str(r.status)),
                            rust: format!(
                                "`{}` is now `{rust_path}`",
                                self.status_path(old, o.status, &o.variant, op_path)
                            ),
                        });
                    }
                    let what = format!("response `{}` body", status_str(r.status));
                    match (&o.body, &r.body) {
                        (ResponseBody::Json(a), ResponseBody::Json(b))
                        | (ResponseBody::EventStream(a), ResponseBody::EventStream(b)) => {
                            let mut deltas = Vec::new();
                            self.cmp_ty(a, b, "", &mut deltas);
                            let (ra, rb) = (self.rust_ty(Side::Old, a), self.rust_ty(Side::New, b));
                            if let Some(c) = combine(deltas, &what, rust_path, ra, rb) {
                                res.push(c);
                            }
                        }
                        (ResponseBody::Empty, ResponseBody::Empty)
                        | (ResponseBody::Text, ResponseBody::Text)
                        | (ResponseBody::Binary, ResponseBody::Binary) => {}
                        (a, b) => res.push(Change {
                            class: Class::Breaking,
                            kind: "response-changed",
                            rust_path,
                            wire: format!(
                                "{what} changes from {} to {}",
                                self.body_wire(Side::Old, a),
                                self.body_wire(Side::New, b)
                            ),
                            rust: format!("`{op_path}` decodes the `{}` response differently", status_str(r.status)),
                        }),
                    }
                }
            }
        }
        for o in &old.responses {
            if new.responses.iter().any(|r| r.status == o.status) {
                continue;
            }
            let rust_path = self.status_path(old, o.status, &o.variant, op_path);
            let rust = if old.is_success(o.status) {
                format!("`{op_path}` no longer decodes `{}` responses", status_str(o.status))
            } else {
                format!("error variant `{rust_path}` removed")
            };
            res.push(Change {
                class: Class::Breaking,
                kind: "status-removed",
                rust_path,
                wire: format!("response status `{}` removed", status_str(o.status)),
                rust,
            });
        }
        if old_ret != new_ret {
            res.push(Change {
                class: Class::Breaking,
                kind: "return-type-changed",
                rust_path: op_path.to_string(),
                wire: "the success responses decode to a different type".to_string(),
                rust: format!("`{op_path}` returns `{new_ret}` (was `{old_ret}`)"),
            });
        }
    }

    /// The success type as the generated method returns it.
    pub(super) fn success_ty(&self, side: Side, op: &Operation) -> String {
        let mut bodies: Vec<&ResponseBody> = Vec::new();
        for r in op.successes() {
            if !bodies.contains(&&r.body) {
                bodies.push(&r.body);
            }
        }
        match bodies.as_slice() {
            [] => "()".to_string(),
            [b] => self.body_rust(side, b),
            _ => format!("{}::{}Response", op_module(op), op.type_stem),
        }
    }

    pub(super) fn body_rust(&self, side: Side, b: &ResponseBody) -> String {
        match b {
            ResponseBody::Empty => "()".to_string(),
            ResponseBody::Json(t) => self.rust_ty(side, t),
            ResponseBody::Text => "String".to_string(),
            ResponseBody::Binary => "rt::Bytes".to_string(),
            ResponseBody::EventStream(t) => format!("rt::EventStream<{}>", self.rust_ty(side, t)),
        }
    }

    pub(super) fn body_wire(&self, side: Side, b: &ResponseBody) -> String {
        match b {
            ResponseBody::Empty => "no body".to_string(),
            ResponseBody::Json(t) => format!("JSON {}", self.wire_ty(side, t)),
            ResponseBody::Text => "text".to_string(),
            ResponseBody::Binary => "binary".to_string(),
            ResponseBody::EventStream(t) => format!("event stream of {}", self.wire_ty(side, t)),
        }
    }

    pub(super) fn status_path(&self, op: &Operation, status: StatusMatch, variant: &str, op_path: &str) -> String {
        if op.is_success(status) {
            op_path.to_string()
        } else {
            format!("{}::{}Error::{variant}", op_module(op), op.type_stem)
        }
    }

    pub(super) fn param_ty(&self, side: Side, p: &Param) -> String {
        let ty = self.rust_ty(side, &p.ty);
        if p.required || p.location == ParamLocation::Path {
            ty
        } else {
            format!("Option<{ty}>")
        }
    }
}
