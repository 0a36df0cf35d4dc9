//! `allOf`: merging the parts of a composition into one struct, or
//! intersecting scalar constraints (`allOf: [{$ref: Id}, {maxLength: 50}]`).

use std::collections::{BTreeMap, BTreeSet};

use super::schema::{required_set, Lowered, MAX_DEPTH};
use super::{inline_flags, Ctx};
use crate::ir::{FloatTy, IntTy, StrTy, Struct, Ty, TypeId, TypeKind};
use crate::pointer::Pointer;
use crate::value::{Map, Value};

/// What becomes of an `allOf` member whose `$ref` resolves to nothing.
const ALL_OF_FALLBACK: &str = "the allOf member adds nothing";

impl<'a> Ctx<'a> {
    pub(super) fn lower_all_of(&mut self, ptr: &Pointer, obj: &'a Map, hint: &str, slot: Option<TypeId>) -> Lowered {
        let Some(parts) = obj.get("allOf").and_then(Value::as_array) else {
            self.diags.error(ptr.join("allOf"), "expected an array");
            return Lowered::json();
        };
        let aptr = ptr.join("allOf");
        let own_props = obj.contains_key("properties");
        let meaningful: Vec<(usize, &'a Value)> = parts
            .iter()
            .enumerate()
            .filter(|(i, p)| !is_docs_only(p) && !self.restates_type(&aptr, parts, *i))
            .collect();
        if meaningful.len() == 1 && !own_props {
            let (idx, part) = meaningful[0];
            return self.lower_schema_in(&aptr.join(idx.to_string()), part, hint, slot);
        }
        // Merge objects: properties and `required` from every part.
        let mut merged = Merged::default();
        let mut visited = BTreeSet::new();
        if !self.collect_all_of(ptr, obj, &mut merged, &mut visited) {
            // Not objects: constraints on one scalar (`$ref` to a string plus
            // `maxLength`) are intersected into one type.
            if let Some(ty) = self.intersect_all_of(ptr, obj, parts, hint) {
                return Lowered::of(ty);
            }
            self.diags.warning(&aptr, "allOf combining non-object schemas falls back to serde_json::Value");
            return Lowered::json();
        }
        // Later parts override earlier ones; an index keeps this linear.
        let mut dedup: Vec<(String, Pointer, &'a Value)> = Vec::new();
        let mut dedup_idx: BTreeMap<String, usize> = BTreeMap::new();
        let Merged { props, required, additional, rules } = merged;
        for (k, p, v) in props {
            match dedup_idx.get(&k) {
                Some(&i) => dedup[i] = (k, p, v),
                None => {
                    dedup_idx.insert(k.clone(), dedup.len());
                    dedup.push((k, p, v));
                }
            }
        }
        // Every member a reference to nothing (each warned): no shape is
        // known, so any JSON.
        let all_dangling = !meaningful.is_empty() && meaningful.iter().all(|(_, p)| self.is_dangling(p));
        if dedup.is_empty() && additional.is_none() && all_dangling {
            return Lowered::json();
        }
        let id = slot.unwrap_or_else(|| self.alloc_type(hint, ptr));
        let src = dedup.iter().map(|(k, p, v)| (k.as_str(), p.clone(), *v)).collect();
        let fields = self.lower_fields(&self.type_rust_name(id), src, &required);
        let extra = match additional {
            Some(Some(v)) => {
                let l = self.lower_schema(&ptr.join("additionalProperties"), v, &format!("{hint}Value"));
                Some(l.folded())
            }
            Some(None) => Some(Ty::Json),
            None => None,
        };
        let key_rules = self.key_rules(rules, &fields);
        self.define(id, ptr, obj, TypeKind::Struct(Struct { fields, additional: extra, key_rules }));
        Lowered::of(Ty::Named(id))
    }

    /// Whether part `idx` of an `allOf` only restates the scalar type of
    /// another part that is a `$ref`, with documentation (Plaid's
    /// `allOf: [{$ref: Scope}, {type: string, description: ..}]`, a 3.0 way
    /// to document a reference): it adds no constraint, so the reference
    /// alone is the type.
    fn restates_type(&self, aptr: &Pointer, parts: &'a [Value], idx: usize) -> bool {
        let Some(part) = parts[idx].as_object() else { return false };
        let Some(ty) = part.get("type").and_then(Value::as_str) else { return false };
        if !part.keys().all(|k| k == "type" || is_docs_key(k))
            || !["string", "integer", "number", "boolean"].contains(&ty)
        {
            return false;
        }
        parts.iter().enumerate().any(|(i, p)| {
            i != idx
                && p.get("$ref").is_some()
                && self
                    .deref_quiet(&aptr.join(i.to_string()), p)
                    .is_some_and(|(t, _)| t.get("type").and_then(Value::as_str) == Some(ty))
        })
    }

    /// The intersection of scalar `allOf` parts, or `None` if they do not
    /// describe one scalar type.
    fn intersect_all_of(&mut self, ptr: &Pointer, obj: &'a Map, parts: &'a [Value], hint: &str) -> Option<Ty> {
        let aptr = ptr.join("allOf");
        let mut acc: Option<Ty> = None;
        let mut deferred: Vec<(Pointer, &'a Map)> = Vec::new();
        let outer_type = obj.get("type").and_then(Value::as_str);
        for (idx, part) in parts.iter().enumerate() {
            let pptr = aptr.join(idx.to_string());
            let pobj = part.as_object()?;
            if self.is_dangling(part) {
                // `collect_all_of` has warned: the member adds nothing.
                continue;
            }
            let typed = pobj.contains_key("$ref") || pobj.contains_key("type") || pobj.contains_key("allOf");
            if !typed {
                if is_docs_only(part) {
                    continue;
                }
                deferred.push((pptr, pobj));
                continue;
            }
            let ty = self.lower_schema(&pptr, part, hint).ty;
            let ty = self.resolve_alias(ty)?;
            acc = Some(match acc {
                None => ty,
                Some(prev) => self.intersect_patterns(ptr, prev, ty, hint)?,
            });
        }
        let type_name = match &acc {
            Some(Ty::Str(_) | Ty::Format(_) | Ty::Base64) => "string",
            Some(Ty::Int(_)) => "integer",
            Some(Ty::Float(_)) => "number",
            Some(Ty::Bool) => "boolean",
            Some(Ty::Named(_) | Ty::Binary | Ty::Json | Ty::Array(_) | Ty::Map(_) | Ty::Option(_)) => return None,
            None => outer_type?,
        };
        if outer_type.is_some_and(|t| t != type_name) {
            return None;
        }
        // The outer schema's own keywords and untyped parts constrain it too.
        deferred.push((ptr.clone(), obj));
        for (pptr, pobj) in deferred {
            let ty = self.lower_by_type(&pptr, pobj, Some(type_name), hint, None, false).ty;
            acc = Some(match acc {
                None => ty,
                Some(prev) => self.intersect_patterns(ptr, prev, ty, hint)?,
            });
        }
        acc
    }

    /// [`intersect`], combining two different patterns into one that
    /// requires both (a lookahead for each, as ECMA-262 allows).
    fn intersect_patterns(&mut self, ptr: &Pointer, a: Ty, b: Ty, hint: &str) -> Option<Ty> {
        if let (Ty::Str(x), Ty::Str(y)) = (&a, &b) {
            if let (Some(p), Some(q)) = (x.pattern, y.pattern) {
                if p != q {
                    let (p, q) = (self.patterns[p.0].source.clone(), self.patterns[q.0].source.clone());
                    // A leading `(?i)` becomes a modifier group, `(?i:...)`,
                    // so that it stays on its own part.
                    let scoped = |source: &str| match inline_flags(source) {
                        ("", _) => source.to_string(),
                        (flags, body) => format!("(?{flags}:{body})"),
                    };
                    let (p, q) = (scoped(&p), scoped(&q));
                    let both = format!("^(?=[\\s\\S]*?(?:{p}))(?=[\\s\\S]*?(?:{q}))");
                    let id = self.pattern(ptr, &both, hint);
                    let mut a = x.clone();
                    a.pattern = id;
                    let mut b = y.clone();
                    b.pattern = id;
                    return intersect(Ty::Str(a), Ty::Str(b));
                }
            }
        }
        intersect(a, b)
    }

    /// The type an alias names (`None` while it is still being lowered).
    fn resolve_alias(&self, ty: Ty) -> Option<Ty> {
        let mut ty = ty;
        for _ in 0..32 {
            match ty {
                Ty::Named(id) => match self.types.get(id.0).and_then(Option::as_ref).map(|d| &d.kind) {
                    Some(TypeKind::Alias(inner)) => ty = inner.clone(),
                    _ => return None,
                },
                other => return Some(other),
            }
        }
        None
    }

    /// Gathers the properties of an `allOf` tree; false if a part is not an object.
    #[allow(clippy::type_complexity)]
    fn collect_all_of(
        &mut self,
        ptr: &Pointer,
        obj: &'a Map,
        merged: &mut Merged<'a>,
        visited: &mut BTreeSet<Pointer>,
    ) -> bool {
        if !visited.insert(ptr.clone()) {
            self.diags.warning(ptr, "allOf refers to itself; the cycle is cut");
            return true;
        }
        if obj.contains_key("enum") {
            return false;
        }
        // Members that only require properties are rules on the object's
        // keys (`lower/key_rules.rs`); any other `oneOf` is no object.
        if obj.contains_key("oneOf") || obj.contains_key("anyOf") {
            match super::key_rules::required_alternatives(ptr, obj) {
                Some(rules) => merged.rules.extend(rules),
                None => return false,
            }
        }
        match obj.get("type").and_then(Value::as_str) {
            Some("object") | None => {}
            Some(_) => return false,
        }
        if let Some(parts) = obj.get("allOf").and_then(Value::as_array) {
            for (idx, part) in parts.iter().enumerate() {
                let pptr = ptr.join("allOf").join(idx.to_string());
                let Some((target, tptr)) = self.deref(&pptr, part, ALL_OF_FALLBACK) else { continue };
                let Some(tobj) = target.as_object() else { return false };
                // A chain of `allOf` references recurses here, not through
                // `lower_schema_in`: bound it the same way.
                if self.depth >= MAX_DEPTH {
                    self.diags.error(&pptr, format!("allOf is nested more than {MAX_DEPTH} levels deep"));
                    return true;
                }
                self.depth += 1;
                let ok = self.collect_all_of(&tptr, tobj, merged, visited);
                self.depth -= 1;
                if !ok {
                    return false;
                }
            }
        }
        if let Some(p) = obj.get("properties").and_then(Value::as_object) {
            for (k, v) in p {
                merged.props.push((k.clone(), ptr.join("properties").join(k), v));
            }
        }
        merged.required.extend(required_set(obj));
        match obj.get("additionalProperties") {
            Some(Value::Bool(true)) => merged.additional = Some(None),
            Some(v @ Value::Object(m)) if !m.is_empty() => merged.additional = Some(Some(v)),
            _ => {}
        }
        true
    }
}

/// The parts of an `allOf` of objects, merged ([`Ctx::collect_all_of`]).
#[derive(Default)]
struct Merged<'a> {
    /// Properties in order, a later part's after an earlier's.
    props: Vec<(String, Pointer, &'a Value)>,
    required: BTreeSet<String>,
    /// `additionalProperties`: `Some(None)` for any value.
    additional: Option<Option<&'a Value>>,
    /// Members that only require properties ([`super::key_rules`]).
    rules: Vec<super::key_rules::Alternatives>,
}

/// The values both types accept, when that is one type we can express.
fn intersect(a: Ty, b: Ty) -> Option<Ty> {
    fn max_opt<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
        match (a, b) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, None) | (None, x) => x,
        }
    }
    fn min_opt<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
        match (a, b) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, None) | (None, x) => x,
        }
    }
    Some(match (a, b) {
        (Ty::Json, x) | (x, Ty::Json) => x,
        (Ty::Str(x), Ty::Str(y)) => {
            if x.pattern.is_some() && y.pattern.is_some() && x.pattern != y.pattern {
                return None;
            }
            Ty::Str(StrTy {
                min_len: max_opt(x.min_len, y.min_len),
                max_len: min_opt(x.max_len, y.max_len),
                pattern: x.pattern.or(y.pattern),
            })
        }
        (f @ (Ty::Format(_) | Ty::Base64), Ty::Str(_)) | (Ty::Str(_), f @ (Ty::Format(_) | Ty::Base64)) => f,
        (Ty::Format(x), Ty::Format(y)) if x == y => Ty::Format(x),
        (Ty::Int(x), Ty::Int(y)) => {
            let multiple_of = match (x.multiple_of, y.multiple_of) {
                (Some(a), Some(b)) => Some(lcm(a, b)?),
                (a, b) => a.or(b),
            };
            Ty::Int(IntTy { kind: x.kind, min: max_opt(x.min, y.min), max: min_opt(x.max, y.max), multiple_of })
        }
        (Ty::Float(x), Ty::Float(y))
            if x.exclusive_min == y.exclusive_min
                && x.exclusive_max == y.exclusive_max
                && (x.multiple_of == y.multiple_of || x.multiple_of.is_none() || y.multiple_of.is_none()) =>
        {
            let pick = |a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64| match (a, b) {
                (Some(a), Some(b)) => Some(f(a, b)),
                (a, b) => a.or(b),
            };
            let (min, max) = (pick(x.min, y.min, f64::max), pick(x.max, y.max, f64::min));
            Ty::Float(FloatTy { min, max, multiple_of: x.multiple_of.or(y.multiple_of), ..x })
        }
        (Ty::Bool, Ty::Bool) => Ty::Bool,
        _ => return None,
    })
}

/// The least common multiple, `None` when it does not fit.
fn lcm(a: u64, b: u64) -> Option<u64> {
    let (mut x, mut y) = (a, b);
    while y != 0 {
        (x, y) = (y, x % y);
    }
    (a / x).checked_mul(b)
}

/// True for `allOf` parts that only document (`{description: ...}`).
fn is_docs_only(v: &Value) -> bool {
    v.as_object().is_some_and(|o| o.keys().all(|k| is_docs_key(k)))
}

/// A keyword that documents a schema rather than constrains its values.
fn is_docs_key(k: &str) -> bool {
    matches!(
        k,
        "description"
            | "title"
            | "example"
            | "examples"
            | "nullable"
            | "deprecated"
            | "default"
            | "readOnly"
            | "writeOnly"
    ) || k.starts_with("x-")
}

#[cfg(test)]
mod tests {
    use crate::ir::{Ty, TypeKind};

    /// The type of property `p` of the schema `S` in a spec of the
    /// schemas `schemas` (YAML, indented by four), and the warnings.
    fn property(schemas: &str) -> (Ty, Vec<String>) {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        );
        let (api, diags) = crate::lower::lowered_with_diagnostics(&spec);
        let s = api.types.iter().find(|t| t.name.rust == "S").expect("S");
        let TypeKind::Struct(st) = &s.kind else { panic!("S is no struct") };
        (st.fields[0].ty.clone(), diags.warnings().map(|w| w.to_string()).collect())
    }

    const SCOPE: &str = "    Scope:\n      type: string\n      enum: [me, all]\n";

    #[test]
    fn a_part_that_restates_the_type_of_a_reference_leaves_the_reference() {
        let s = "    S:\n      type: object\n      properties:\n        p:\n          allOf:\n            \
                 - $ref: '#/components/schemas/Scope'\n            - {type: string, description: the scope, nullable: true}\n";
        let (ty, warnings) = property(&format!("{SCOPE}{s}"));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(matches!(ty, Ty::Named(_)), "{ty:?}");
    }

    #[test]
    fn a_part_of_another_type_or_with_a_constraint_is_no_restatement() {
        for part in ["{type: integer}", "{type: string, maxLength: 1}"] {
            let s = format!(
                "    S:\n      type: object\n      properties:\n        p:\n          allOf:\n            \
                 - $ref: '#/components/schemas/Scope'\n            - {part}\n"
            );
            let (ty, warnings) = property(&format!("{SCOPE}{s}"));
            assert!(!matches!(ty, Ty::Named(_)), "{part}: {ty:?}");
            assert_eq!(warnings.len(), 1, "{part}: {warnings:?}");
        }
    }
}
