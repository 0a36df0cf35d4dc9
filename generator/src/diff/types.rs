//! Comparing types: structs field by field, enums value by value, unions
//! alternative by alternative, and type expressions.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::ir::{Enum, Union};

impl<'a> Cx<'a> {
    pub(super) fn diff_types(&self) -> Vec<TypeDiff> {
        let old_keys: BTreeMap<String, usize> =
            self.old.types.iter().enumerate().map(|(idx, def)| (type_key(def), idx)).collect();
        let new_keys: BTreeSet<String> = self.new.types.iter().map(type_key).collect();
        let mut res = Vec::new();
        for def in &self.new.types {
            let rust_path = format!("types::{}", def.name.rust);
            match old_keys.get(&type_key(def)) {
                None => res.push(TypeDiff {
                    status: Status::Added,
                    wire: type_wire(def),
                    rust_path: rust_path.clone(),
                    changes: vec![Change {
                        class: Class::Compatible,
                        kind: "type-added",
                        rust_path: rust_path.clone(),
                        wire: format!("{} `{}` added", kind_str(&def.kind), type_wire(def)),
                        rust: format!("new type `{rust_path}`"),
                    }],
                }),
                Some(&idx) => {
                    let changes = self.diff_type(&self.old.types[idx], def);
                    if !changes.is_empty() {
                        res.push(TypeDiff { status: Status::Changed, wire: type_wire(def), rust_path, changes });
                    }
                }
            }
        }
        for def in &self.old.types {
            if new_keys.contains(&type_key(def)) {
                continue;
            }
            let rust_path = format!("types::{}", def.name.rust);
            res.push(TypeDiff {
                status: Status::Removed,
                wire: type_wire(def),
                rust_path: rust_path.clone(),
                changes: vec![Change {
                    class: Class::Breaking,
                    kind: "type-removed",
                    rust_path: rust_path.clone(),
                    wire: format!("{} `{}` removed", kind_str(&def.kind), type_wire(def)),
                    rust: format!("type `{rust_path}` removed"),
                }],
            });
        }
        res
    }

    pub(super) fn diff_type(&self, old: &'a TypeDef, new: &'a TypeDef) -> Vec<Change> {
        let mut res = Vec::new();
        let path = format!("types::{}", new.name.rust);
        if old.name.rust != new.name.rust {
            res.push(Change {
                class: Class::Breaking,
                kind: "type-renamed",
                rust_path: path.clone(),
                wire: format!("`{}` gets a different Rust name", type_wire(new)),
                rust: format!("`types::{}` is now `{path}`", old.name.rust),
            });
        }
        self.diff_same_shape(old, new, &path, &mut res);
        // A same-shape alias stands for its target's definition.
        let kind = |side: Side, def: &'a TypeDef| match def.kind {
            TypeKind::SameShape(id) => &self.api(side).types[id.0].kind,
            _ => &def.kind,
        };
        match (kind(Side::Old, old), kind(Side::New, new)) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => self.diff_struct(a, b, &path, &mut res),
            (TypeKind::Enum(a), TypeKind::Enum(b)) => self.diff_enum(a, b, &path, &mut res),
            (TypeKind::Union(a), TypeKind::Union(b)) => self.diff_union(a, b, &path, &mut res),
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                let mut deltas = Vec::new();
                self.cmp_ty(a, b, "", &mut deltas);
                let (ra, rb) = (self.rust_ty(Side::Old, a), self.rust_ty(Side::New, b));
                if let Some(c) = combine(deltas, &format!("`{}`", type_wire(new)), path, ra, rb) {
                    res.push(c);
                }
            }
            (a, b) => res.push(Change {
                class: Class::Breaking,
                kind: "type-changed",
                rust_path: path.clone(),
                wire: format!("`{}` changes from {} to {}", type_wire(new), kind_str(a), kind_str(b)),
                rust: format!("`{path}` changes from a Rust {} to a {}", rust_kind_str(a), rust_kind_str(b)),
            }),
        }
        res
    }

    /// Two names becoming one type (deduplication) is compatible but for
    /// trait impls; one type splitting into two breaks code that passes one
    /// name where the other is expected.
    fn diff_same_shape(&self, old: &TypeDef, new: &TypeDef, path: &str, res: &mut Vec<Change>) {
        let target = |side: Side, def: &TypeDef| match def.kind {
            TypeKind::SameShape(id) => Some(self.api(side).types[id.0].name.rust.clone()),
            _ => None,
        };
        match (target(Side::Old, old), target(Side::New, new)) {
            (None, None) => {}
            (Some(a), Some(b)) if a == b => {}
            (Some(a), b) => res.push(Change {
                class: Class::Breaking,
                kind: "type-split",
                rust_path: path.to_string(),
                wire: format!("`{}` no longer has the shape of `{a}`", type_wire(new)),
                rust: match b {
                    Some(b) => format!("`{path}` is now `types::{b}`, no longer `types::{a}`: code that uses one for the other stops compiling"),
                    None => format!("`{path}` is its own type, no longer `types::{a}`: code that uses one for the other stops compiling"),
                },
            }),
            (None, Some(b)) => res.push(Change {
                class: Class::Compatible,
                kind: "type-merged",
                rust_path: path.to_string(),
                wire: format!("`{}` now has the shape of `{b}`", type_wire(new)),
                rust: format!("`{path}` is now another name for `types::{b}`; only implementing a trait for both names conflicts"),
            }),
        }
    }

    fn diff_enum(&self, a: &Enum, b: &Enum, path: &str, res: &mut Vec<Change>) {
        if a.is_integer() != b.is_integer() {
            res.push(Change {
                class: Class::Breaking,
                kind: "type-changed",
                rust_path: path.to_string(),
                wire: format!(
                    "enum values change from {} to {}",
                    if a.is_integer() { "integers" } else { "strings" },
                    if b.is_integer() { "integers" } else { "strings" }
                ),
                rust: format!("`{path}` has different variants and conversions"),
            });
        }
        for v in &b.variants {
            let vpath = format!("{path}::{}", v.name.rust);
            match a.variants.iter().find(|o| o.name.wire == v.name.wire) {
                None => res.push(Change {
                    class: Class::Compatible,
                    kind: "enum-value-added",
                    rust_path: vpath.to_string(),
                    wire: format!("enum value `{}` added", v.name.wire),
                    rust: format!("new variant `{vpath}` (older clients read the value as `{path}::Unknown`)"),
                }),
                Some(o) if o.name.rust != v.name.rust => res.push(Change {
                    class: Class::Breaking,
                    kind: "enum-value-renamed",
                    rust_path: vpath.to_string(),
                    wire: format!("enum value `{}` gets a different Rust name", v.name.wire),
                    rust: format!("`{path}::{}` is now `{vpath}`", o.name.rust),
                }),
                Some(_) => {}
            }
        }
        for o in &a.variants {
            if !b.variants.iter().any(|v| v.name.wire == o.name.wire) {
                let vpath = format!("{path}::{}", o.name.rust);
                res.push(Change {
                    class: Class::Breaking,
                    kind: "enum-value-removed",
                    rust_path: vpath.to_string(),
                    wire: format!("enum value `{}` removed", o.name.wire),
                    rust: format!("variant `{vpath}` removed"),
                });
            }
        }
    }

    fn diff_union(&self, a: &Union, b: &Union, path: &str, res: &mut Vec<Change>) {
        if a.tag != b.tag {
            res.push(Change {
                class: Class::Breaking,
                kind: "discriminator-changed",
                rust_path: path.to_string(),
                wire: format!(
                    "discriminator `{}` is now `{}`",
                    a.tag.as_deref().unwrap_or("(none)"),
                    b.tag.as_deref().unwrap_or("(none)")
                ),
                rust: format!("`{path}` is serialized and matched differently"),
            });
        }
        for v in &b.variants {
            let vpath = format!("{path}::{}", v.rust);
            match a.variants.iter().find(|o| o.rust == v.rust) {
                None => res.push(Change {
                    class: Class::Breaking,
                    kind: "union-variant-added",
                    rust_path: vpath.to_string(),
                    wire: format!("`oneOf`/`anyOf` alternative {} added", self.wire_ty(Side::New, &v.ty)),
                    rust: format!("new variant `{vpath}`: exhaustive `match`es on `{path}` stop compiling"),
                }),
                Some(o) => {
                    let mut deltas = Vec::new();
                    self.cmp_ty(&o.ty, &v.ty, "", &mut deltas);
                    let what = format!("alternative `{}`", v.rust);
                    let (ra, rb) = (self.rust_ty(Side::Old, &o.ty), self.rust_ty(Side::New, &v.ty));
                    if let Some(c) = combine(deltas, &what, vpath, ra, rb) {
                        res.push(c);
                    }
                }
            }
        }
        for o in &a.variants {
            if !b.variants.iter().any(|v| v.rust == o.rust) {
                let vpath = format!("{path}::{}", o.rust);
                res.push(Change {
                    class: Class::Breaking,
                    kind: "union-variant-removed",
                    rust_path: vpath.to_string(),
                    wire: format!("`oneOf`/`anyOf` alternative {} removed", self.wire_ty(Side::Old, &o.ty)),
                    rust: format!("variant `{vpath}` removed"),
                });
            }
        }
    }

    /// Changes in whether a field may be absent, `null`, or sent at all.
    fn diff_presence(&self, o: &Field, f: &Field, fpath: &str, old_ty: &str, new_ty: &str, res: &mut Vec<Change>) {
        let presence = [
            (
                o.presence.is_optional() != f.presence.is_optional(),
                if f.presence.is_optional() { "field-optional" } else { "field-required" },
                {
                    if !f.presence.is_optional() {
                        "becomes required"
                    } else {
                        "becomes optional"
                    }
                },
            ),
            (
                o.presence.is_nullable() != f.presence.is_nullable(),
                "field-nullable",
                if f.presence.is_nullable() { "becomes nullable" } else { "is no longer nullable" },
            ),
            (
                o.read_only != f.read_only || o.write_only != f.write_only,
                "field-access-changed",
                "changes `readOnly`/`writeOnly`",
            ),
        ];
        for (changed, kind, what) in presence {
            if !changed {
                continue;
            }
            // The Rust type tells whether user code is affected: a
            // read-only field is `Option` whether required or not.
            let class =
                if old_ty != new_ty || needs_ctor(o) != needs_ctor(f) { Class::Breaking } else { Class::Compatible };
            let mut rust = if old_ty != new_ty {
                format!("`{fpath}` is now `{new_ty}` (was `{old_ty}`)")
            } else {
                format!("`{fpath}` keeps its type `{new_ty}`")
            };
            if needs_ctor(f) && !needs_ctor(o) {
                rust.push_str("; `new()` takes it");
            } else if needs_ctor(o) && !needs_ctor(f) {
                rust.push_str("; `new()` no longer takes it");
            }
            res.push(Change {
                class,
                kind,
                rust_path: fpath.to_string(),
                wire: format!("property `{}` {what}", f.name.wire),
                rust,
            });
        }
    }

    fn diff_struct(&self, a: &Struct, b: &Struct, path: &str, res: &mut Vec<Change>) {
        for f in &b.fields {
            let fpath = format!("{path}::{}", f.name.rust);
            let Some(o) = a.fields.iter().find(|o| o.name.wire == f.name.wire) else {
                let (class, rust) = if needs_ctor(f) {
                    (
                        Class::Breaking,
                        format!("new field `{fpath}: {}` must be set (`new()` takes it)", self.field_ty(Side::New, f)),
                    )
                } else {
                    (Class::Compatible, format!("new optional field `{fpath}: {}`", self.field_ty(Side::New, f)))
                };
                let req = if f.presence.is_optional() { "optional" } else { "required" };
                res.push(Change {
                    class,
                    kind: "field-added",
                    rust_path: fpath,
                    wire: format!("{req} property `{}` ({}) added", f.name.wire, self.wire_ty(Side::New, &f.ty)),
                    rust,
                });
                continue;
            };
            let (old_ty, new_ty) = (self.field_ty(Side::Old, o), self.field_ty(Side::New, f));
            if o.name.rust != f.name.rust {
                res.push(Change {
                    class: Class::Breaking,
                    kind: "field-renamed",
                    rust_path: fpath.clone(),
                    wire: format!("property `{}` gets a different Rust name", f.name.wire),
                    rust: format!("`{path}::{}` is now `{fpath}`", o.name.rust),
                });
            }
            self.diff_presence(o, f, &fpath, &old_ty, &new_ty, res);
            let mut deltas = Vec::new();
            self.cmp_ty(&o.ty, &f.ty, "", &mut deltas);
            if let Some(c) = combine(deltas, &format!("property `{}`", f.name.wire), fpath, old_ty, new_ty) {
                res.push(c);
            }
        }
        for o in &a.fields {
            if b.fields.iter().any(|f| f.name.wire == o.name.wire) {
                continue;
            }
            let fpath = format!("{path}::{}", o.name.rust);
            res.push(Change {
                class: Class::Breaking,
                kind: "field-removed",
                rust_path: fpath.clone(),
                wire: format!("property `{}` removed", o.name.wire),
                rust: format!("field `{fpath}` removed"),
            });
        }
        let extra = format!("{path} (additional properties)");
        match (&a.additional, &b.additional) {
            (None, None) => {}
            (None, Some(t)) => res.push(Change {
                class: Class::Compatible,
                kind: "additional-properties-added",
                rust_path: extra,
                wire: format!("additional properties ({}) allowed", self.wire_ty(Side::New, t)),
                rust: format!("`{path}` keeps unknown properties"),
            }),
            (Some(_), None) => res.push(Change {
                class: Class::Breaking,
                kind: "additional-properties-removed",
                rust_path: extra,
                wire: "additional properties no longer allowed".to_string(),
                rust: format!("`{path}` no longer keeps unknown properties"),
            }),
            (Some(x), Some(y)) => {
                let mut deltas = Vec::new();
                self.cmp_ty(x, y, "", &mut deltas);
                let (ra, rb) = (self.rust_ty(Side::Old, x), self.rust_ty(Side::New, y));
                if let Some(c) = combine(deltas, "additional properties", extra, ra, rb) {
                    res.push(c);
                }
            }
        }
        diff_key_rules(a, b, path, res);
    }

    pub(super) fn field_ty(&self, side: Side, f: &Field) -> String {
        crate::rust_ty::declared_field(self.api(side), f).to_string()
    }

    // Type expressions.

    /// Compares two type expressions; `at` locates nested differences
    /// (`items`, `values`).
    pub(super) fn cmp_ty(&self, a: &Ty, b: &Ty, at: &str, out: &mut Vec<Delta>) {
        let here = |s: String| {
            if at.is_empty() {
                s
            } else {
                format!("{at}: {s}")
            }
        };
        match (a, b) {
            (Ty::Named(x), Ty::Named(y)) => {
                let (x, y) = (&self.old.types[x.0], &self.new.types[y.0]);
                if type_key(x) != type_key(y) {
                    out.push(Delta {
                        class: Class::Breaking,
                        kind: "type-changed",
                        wire: here(format!("type `{}` is now `{}`", type_wire(x), type_wire(y))),
                    });
                }
            }
            (Ty::Int(x), Ty::Int(y)) => {
                if x.kind != y.kind {
                    out.push(Delta {
                        class: Class::Breaking,
                        kind: "format-changed",
                        wire: here(format!("format `{}` is now `{}`", int_format(x.kind), int_format(y.kind))),
                    });
                }
                bound(out, &here("minimum".into()), x.min, y.min, true);
                bound(out, &here("maximum".into()), x.max, y.max, false);
                let as_f64 = |m: Option<u64>| m.map(|m| m as f64);
                multiple(out, &here("multipleOf".into()), as_f64(x.multiple_of), as_f64(y.multiple_of));
            }
            (Ty::Float(x), Ty::Float(y)) => {
                if x.kind != y.kind {
                    out.push(Delta {
                        class: Class::Breaking,
                        kind: "format-changed",
                        wire: here(format!("format `{}` is now `{}`", float_format(x.kind), float_format(y.kind))),
                    });
                }
                let min = if y.exclusive_min { "exclusiveMinimum" } else { "minimum" };
                let max = if y.exclusive_max { "exclusiveMaximum" } else { "maximum" };
                bound(out, &here(min.into()), x.min, y.min, true);
                bound(out, &here(max.into()), x.max, y.max, false);
                multiple(out, &here("multipleOf".into()), x.multiple_of, y.multiple_of);
                if x.exclusive_min != y.exclusive_min || x.exclusive_max != y.exclusive_max {
                    let narrowed = (!x.exclusive_min && y.exclusive_min) || (!x.exclusive_max && y.exclusive_max);
                    out.push(Delta {
                        class: if narrowed { Class::Breaking } else { Class::Compatible },
                        kind: if narrowed { "constraint-narrowed" } else { "constraint-widened" },
                        wire: here("bound exclusivity changes".into()),
                    });
                }
            }
            (Ty::Str(x), Ty::Str(y)) => {
                bound(out, &here("minLength".into()), x.min_len, y.min_len, true);
                bound(out, &here("maxLength".into()), x.max_len, y.max_len, false);
                let pa = x.pattern.map(|p| self.old.patterns[p.0].source.as_str());
                let pb = y.pattern.map(|p| self.new.patterns[p.0].source.as_str());
                match (pa, pb) {
                    (None, Some(p)) => out.push(Delta {
                        class: Class::Breaking,
                        kind: "constraint-narrowed",
                        wire: here(format!("pattern `{p}` added")),
                    }),
                    (Some(p), None) => out.push(Delta {
                        class: Class::Compatible,
                        kind: "constraint-widened",
                        wire: here(format!("pattern `{p}` removed")),
                    }),
                    (Some(p), Some(q)) if p != q => out.push(Delta {
                        class: Class::Breaking,
                        kind: "constraint-changed",
                        wire: here(format!("pattern `{p}` is now `{q}`")),
                    }),
                    _ => {}
                }
            }
            (Ty::Format(x), Ty::Format(y)) if x == y => {}
            (Ty::Bool, Ty::Bool) | (Ty::Base64, Ty::Base64) | (Ty::Binary, Ty::Binary) | (Ty::Json, Ty::Json) => {}
            (Ty::Array(x), Ty::Array(y)) => {
                let at_items = if at.is_empty() { "items".to_string() } else { format!("{at}.items") };
                self.cmp_ty(&x.item, &y.item, &at_items, out);
                bound(out, &here("minItems".into()), x.min_items, y.min_items, true);
                bound(out, &here("maxItems".into()), x.max_items, y.max_items, false);
            }
            (Ty::Map(x), Ty::Map(y)) => {
                let at_values = if at.is_empty() { "values".to_string() } else { format!("{at}.values") };
                self.cmp_ty(x, y, &at_values, out);
            }
            (Ty::Option(x), Ty::Option(y)) => self.cmp_ty(x, y, at, out),
            (a, b) => {
                let stringish = |t: &Ty| match t {
                    Ty::Str(_) | Ty::Format(_) | Ty::Base64 => true,
                    Ty::Named(_)
                    | Ty::Bool
                    | Ty::Int(_)
                    | Ty::Float(_)
                    | Ty::Binary
                    | Ty::Json
                    | Ty::Array(_)
                    | Ty::Map(_)
                    | Ty::Option(_) => false,
                };
                let kind = if stringish(a) && stringish(b) { "format-changed" } else { "type-changed" };
                out.push(Delta {
                    class: Class::Breaking,
                    kind,
                    wire: here(format!("type {} is now {}", self.wire_ty(Side::Old, a), self.wire_ty(Side::New, b))),
                });
            }
        }
    }

    /// The Rust type the generated crate uses (with `types::` for named
    /// types), each by the name the description gives it: a shape's other
    /// names are the same type, whichever of them `emit` writes.
    pub(super) fn rust_ty(&self, side: Side, ty: &Ty) -> String {
        crate::rust_ty::declared(self.api(side), ty).to_string()
    }

    /// A short description of a type expression in OpenAPI terms.
    pub(super) fn wire_ty(&self, side: Side, ty: &Ty) -> String {
        let api = self.api(side);
        match ty {
            Ty::Named(id) => format!("`{}`", type_wire(&api.types[id.0])),
            Ty::Bool => "`boolean`".to_string(),
            Ty::Int(i) => format!("`integer` (`{}`)", int_format(i.kind)),
            Ty::Float(f) => format!("`number` (`{}`)", float_format(f.kind)),
            Ty::Str(_) => "`string`".to_string(),
            Ty::Format(f) => format!("`string` (`{}`)", f.wire()),
            Ty::Base64 => "`string` (`byte`)".to_string(),
            Ty::Binary => "`string` (`binary`)".to_string(),
            Ty::Json => "any JSON".to_string(),
            Ty::Array(a) => format!("array of {}", self.wire_ty(side, &a.item)),
            Ty::Map(v) => format!("map of {}", self.wire_ty(side, v)),
            Ty::Option(t) => format!("nullable {}", self.wire_ty(side, t)),
        }
    }
}

/// The key rules ([`crate::ir::KeyRule`]) one side of a struct has and the
/// other has not, by the wire names they require: a rule added refuses
/// requests the old description allowed.
fn diff_key_rules(a: &Struct, b: &Struct, path: &str, res: &mut Vec<Change>) {
    let rules = |s: &Struct| -> Vec<String> {
        s.key_rules
            .iter()
            .map(|r| {
                let how = if r.exactly_one { "exactly one" } else { "at least one" };
                format!("{how} of {}", r.labels(&s.fields).join(", "))
            })
            .collect()
    };
    let (old, new) = (rules(a), rules(b));
    for r in new.iter().filter(|r| !old.contains(r)) {
        res.push(Change {
            class: Class::Breaking,
            kind: "constraint-narrowed",
            rust_path: path.to_string(),
            wire: format!("{r} now required"),
            rust: format!("a `{path}` without {r} is refused before it is sent"),
        });
    }
    for r in old.iter().filter(|r| !new.contains(r)) {
        res.push(Change {
            class: Class::Compatible,
            kind: "constraint-widened",
            rust_path: path.to_string(),
            wire: format!("{r} no longer required"),
            rust: format!("a `{path}` without {r} is sent"),
        });
    }
}
