//! Lowering schemas to type expressions and named types.
//!
//! A component schema always becomes a named type (a struct, enum, union or
//! alias). Inline objects, enums and unions become named types too, named
//! after where they appear (`CreateUserRequestContentIdentities`). Anything
//! the IR cannot express falls back to `serde_json::Value` with a warning.

use std::collections::BTreeSet;

use super::Ctx;
use crate::ir::{
    ArrayTy, Enum, EnumVariant, Field, FloatKind, FloatTy, Format, IntKind, IntTy, Name, Presence, StrTy, Struct, Ty,
    TypeDef, TypeId, TypeKind, Union, UnionVariant,
};
use crate::naming::{self, Namespace};
use crate::pointer::Pointer;
use crate::value::{Map, Value};

/// The deepest schema nesting we follow; deeper input is reported.
pub(super) const MAX_DEPTH: usize = 96;

/// A lowered schema: its type and whether `null` is allowed.
#[derive(Debug, Clone)]
pub(crate) struct Lowered {
    pub ty: Ty,
    pub nullable: bool,
}

impl Lowered {
    pub(super) fn of(ty: Ty) -> Self {
        Lowered { ty, nullable: false }
    }
    pub(super) fn json() -> Self {
        Lowered { ty: Ty::Json, nullable: false }
    }
    /// The type with nullability folded in (for array items, map values).
    pub(crate) fn folded(self) -> Ty {
        match (self.nullable, self.ty) {
            (true, Ty::Json) => Ty::Json,
            (true, ty) => Ty::Option(Box::new(ty)),
            (false, ty) => ty,
        }
    }
}

const KNOWN_TYPES: &[&str] = &["object", "array", "string", "integer", "number", "boolean", "null"];

impl<'a> Ctx<'a> {
    /// The named type for the schema at `ptr` (a component or a `$ref`
    /// target), lowering it the first time it is asked for.
    pub(crate) fn named_type(&mut self, ptr: &Pointer, hint: Option<&str>) -> Option<TypeId> {
        if let Some(id) = self.by_pointer.get(ptr) {
            return Some(*id);
        }
        let v = self.lookup(ptr)?;
        let name = match hint {
            Some(h) => h.to_string(),
            None => ptr.last().unwrap_or_default(),
        };
        let id = self.alloc_type(&name, ptr);
        let docs = self.lower_docs(v);
        let res = self.lower_schema_in(ptr, v, &self.type_rust_name(id), Some(id));
        if self.types[id.0].is_none() {
            // The schema was not an object, enum or union: name its type.
            let ty = match res.ty {
                Ty::Named(other) if other == id => {
                    // `A: {$ref: A}` or `A: {allOf: [{$ref: A}]}`: no type at all.
                    self.diags.warning(ptr, "recursive type alias falls back to serde_json::Value");
                    Ty::Json
                }
                ty => ty,
            };
            let rust = self.type_rust_name(id);
            self.fill_type(
                id,
                TypeDef { name: Name { wire: name, rust }, pointer: ptr.clone(), docs, kind: TypeKind::Alias(ty) },
            );
        }
        if res.nullable {
            self.nullable_types.insert(id);
        }
        Some(id)
    }

    /// Lowers an inline schema; `hint` names any type it has to create.
    pub(crate) fn lower_schema(&mut self, ptr: &Pointer, v: &'a Value, hint: &str) -> Lowered {
        self.lower_schema_in(ptr, v, hint, None)
    }

    /// Like [`lower_schema`](Self::lower_schema); a struct, enum or union it
    /// creates goes into `slot` when given.
    pub(super) fn lower_schema_in(&mut self, ptr: &Pointer, v: &'a Value, hint: &str, slot: Option<TypeId>) -> Lowered {
        if self.depth >= MAX_DEPTH {
            self.diags.error(ptr, format!("schema is nested more than {MAX_DEPTH} levels deep"));
            return Lowered::json();
        }
        self.depth += 1;
        let res = self.lower_schema_inner(ptr, v, hint, slot);
        self.depth -= 1;
        res
    }

    fn lower_schema_inner(&mut self, ptr: &Pointer, v: &'a Value, hint: &str, slot: Option<TypeId>) -> Lowered {
        let obj = match v {
            Value::Object(o) => o,
            Value::Bool(true) => return Lowered::json(),
            Value::Bool(false) => {
                self.diags.warning(ptr, "schema `false` accepts nothing; it falls back to serde_json::Value");
                return Lowered::json();
            }
            other => {
                self.diags.error(ptr, format!("expected a schema object, found {}", other.kind()));
                return Lowered::json();
            }
        };
        if let Some(r) = obj.get("$ref") {
            return self.lower_ref(ptr, obj, r);
        }

        let mut nullable = obj.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        let ty_name: Option<&str> = match obj.get("type") {
            None => None,
            Some(Value::String(t)) => Some(t.as_str()),
            Some(Value::Array(types)) => {
                let mut names: Vec<&str> = Vec::new();
                for t in types {
                    match t.as_str() {
                        Some("null") => nullable = true,
                        Some(t) => names.push(t),
                        None => self.diags.error(ptr.join("type"), format!("expected a type name, found {}", t.kind())),
                    }
                }
                match names.as_slice() {
                    [] => Some("null"),
                    [one] => Some(*one),
                    [_, _, ..] => {
                        if obj.get("oneOf").is_none() && obj.get("anyOf").is_none() {
                            self.diags.warning(
                                ptr.join("type"),
                                format!(
                                    "a value of several types ({}) falls back to serde_json::Value",
                                    names.join(", ")
                                ),
                            );
                            return Lowered { ty: Ty::Json, nullable };
                        }
                        None
                    }
                }
            }
            Some(other) => {
                self.diags.error(ptr.join("type"), format!("expected a string or an array, found {}", other.kind()));
                return Lowered::json();
            }
        };
        if let Some(t) = ty_name {
            if !KNOWN_TYPES.contains(&t) {
                self.diags.error(ptr.join("type"), format!("unknown type {t:?}"));
                return Lowered::json();
            }
        }
        if obj.contains_key("not") {
            self.diags.warning(ptr.join("not"), "`not` is not checked; values are accepted without it");
        }

        if obj.contains_key("allOf") {
            let mut res = self.lower_all_of(ptr, obj, hint, slot);
            res.nullable |= nullable;
            return res;
        }
        let union = ["oneOf", "anyOf"].into_iter().find(|k| obj.contains_key(*k));
        if let Some(key) = union.filter(|_| !super::key_rules::is_object_with_key_rules(obj)) {
            let mut res = self.lower_union(ptr, obj, key, hint, slot);
            res.nullable |= nullable;
            return res;
        }
        if obj.contains_key("enum") || obj.contains_key("const") {
            let mut res = self.lower_enum(ptr, obj, ty_name, hint, slot);
            res.nullable |= nullable;
            return res;
        }

        self.lower_by_type(ptr, obj, ty_name, hint, slot, nullable)
    }

    /// Lowers by the `type` keyword alone (after composition and enums).
    pub(super) fn lower_by_type(
        &mut self,
        ptr: &Pointer,
        obj: &'a Map,
        ty_name: Option<&str>,
        hint: &str,
        slot: Option<TypeId>,
        mut nullable: bool,
    ) -> Lowered {
        let ty = match ty_name {
            Some("object") => return self.lower_object(ptr, obj, hint, slot, nullable),
            None if obj.contains_key("properties") || obj.contains_key("additionalProperties") => {
                return self.lower_object(ptr, obj, hint, slot, nullable)
            }
            Some("array") => self.lower_array(ptr, obj, hint),
            None if obj.contains_key("items") || obj.contains_key("prefixItems") => self.lower_array(ptr, obj, hint),
            Some("string") => self.lower_string(ptr, obj, hint),
            Some("integer") => self.lower_integer(ptr, obj),
            Some("number") => self.lower_number(ptr, obj),
            Some("boolean") => Ty::Bool,
            Some("null") => {
                nullable = true;
                Ty::Json
            }
            _ => Ty::Json,
        };
        Lowered { ty, nullable }
    }

    fn lower_ref(&mut self, ptr: &Pointer, obj: &'a Map, r: &Value) -> Lowered {
        let Some(r) = r.as_str() else {
            self.diags.error(ptr.join("$ref"), format!("expected a string, found {}", r.kind()));
            return Lowered::json();
        };
        let Some((_, target)) = self.resolve_ref(ptr, r, "it falls back to serde_json::Value") else {
            return Lowered::json();
        };
        let hint = target.last().unwrap_or_default();
        let hint = if hint.is_empty() || hint.chars().all(|c| c.is_ascii_digit()) || hint == "schema" {
            None
        } else {
            Some(hint)
        };
        let id = self.named_type(&target, hint.as_deref());
        let Some(id) = id else { return Lowered::json() };
        // 3.1 allows siblings next to `$ref`; `nullable` there (3.0 style) is
        // honoured since real specs write it, documentation is ignored.
        let nullable =
            self.nullable_types.contains(&id) || obj.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        Lowered { ty: Ty::Named(id), nullable }
    }

    fn lower_object(
        &mut self,
        ptr: &Pointer,
        obj: &'a Map,
        hint: &str,
        slot: Option<TypeId>,
        nullable: bool,
    ) -> Lowered {
        let props = obj.get("properties").and_then(Value::as_object);
        if let Some(p) = obj.get("properties") {
            if p.as_object().is_none() {
                self.diags.error(ptr.join("properties"), format!("expected an object, found {}", p.kind()));
            }
        }
        let additional = self.lower_additional(ptr, obj, hint);
        let has_props = props.is_some_and(|p| !p.is_empty());
        if !has_props && slot.is_none() {
            // A map or a free-form object needs no struct of its own.
            let ty = match additional {
                Additional::Typed(t) => Ty::Map(Box::new(t)),
                Additional::FreeForm | Additional::Absent => Ty::Map(Box::new(Ty::Json)),
                Additional::Forbidden => Ty::Map(Box::new(Ty::Json)),
            };
            return Lowered { ty, nullable };
        }
        if !has_props {
            let ty = match additional.clone() {
                Additional::Typed(t) => Some(Ty::Map(Box::new(t))),
                Additional::FreeForm | Additional::Absent => Some(Ty::Map(Box::new(Ty::Json))),
                Additional::Forbidden => None,
            };
            if let Some(ty) = ty {
                return Lowered { ty, nullable };
            }
        }
        let mut fields_src = Vec::new();
        if let Some(props) = props {
            let pptr = ptr.join("properties");
            for (k, v) in props {
                fields_src.push((k.as_str(), pptr.join(k), v));
            }
        }
        let required = required_set(obj);
        let id = slot.unwrap_or_else(|| self.alloc_type(hint, ptr));
        let fields = self.lower_fields(&self.type_rust_name(id), fields_src, &required);
        let extra = match additional {
            Additional::Typed(t) => Some(t),
            Additional::FreeForm => Some(Ty::Json),
            Additional::Absent | Additional::Forbidden => None,
        };
        let rules = super::key_rules::required_alternatives(ptr, obj).unwrap_or_default();
        let key_rules = self.key_rules(rules, &fields);
        self.define(id, ptr, obj, TypeKind::Struct(Struct { fields, additional: extra, key_rules }));
        Lowered { ty: Ty::Named(id), nullable }
    }

    pub(super) fn lower_fields(
        &mut self,
        owner: &str,
        src: Vec<(&str, Pointer, &'a Value)>,
        required: &BTreeSet<String>,
    ) -> Vec<Field> {
        let mut names = Namespace::new();
        names.reserve("additional_properties");
        let mut res = Vec::with_capacity(src.len());
        for (wire, fptr, fv) in src {
            self.spend(&fptr, 1);
            let rust = names.unique(&naming::field_name(wire));
            let hint = format!("{owner}{}", naming::hint_part(wire));
            let lowered = self.lower_schema(&fptr, fv, &hint);
            let flag = |k: &str| fv.get(k).and_then(Value::as_bool).unwrap_or(false);
            let (read_only, write_only) = (flag("readOnly"), flag("writeOnly"));
            res.push(Field {
                name: Name { wire: wire.to_string(), rust },
                ty: lowered.ty,
                presence: Presence::new(required.contains(wire), lowered.nullable, read_only, write_only),
                boxed: false,
                read_only,
                write_only,
                default: fv.get("default").cloned(),
                docs: self.lower_docs(fv),
                pointer: fptr,
                setter: Default::default(),
            });
        }
        let nullable = |f: &Field| matches!(f.presence, Presence::RequiredNull | Presence::OptionalNull);
        let setters = naming::setters(res.iter().map(|f| (f.name.rust.as_str(), nullable(f))));
        for (f, setter) in res.iter_mut().zip(setters) {
            f.setter = setter;
        }
        res
    }

    fn lower_additional(&mut self, ptr: &Pointer, obj: &'a Map, hint: &str) -> Additional {
        match obj.get("additionalProperties") {
            None => Additional::Absent,
            Some(Value::Bool(true)) => Additional::FreeForm,
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(v @ Value::Object(m)) if m.is_empty() => {
                let _ = v;
                Additional::FreeForm
            }
            Some(v) => {
                let l = self.lower_schema(&ptr.join("additionalProperties"), v, &format!("{hint}Value"));
                Additional::Typed(l.folded())
            }
        }
    }

    pub(super) fn define(&mut self, id: TypeId, ptr: &Pointer, obj: &'a Map, kind: TypeKind) {
        let rust = self.type_rust_name(id);
        let wire = ptr.last().unwrap_or_default();
        let docs = self.lower_docs(&Value::Object(obj.clone()));
        self.fill_type(id, TypeDef { name: Name { wire, rust }, pointer: ptr.clone(), docs, kind });
    }

    fn lower_array(&mut self, ptr: &Pointer, obj: &'a Map, hint: &str) -> Ty {
        let item = match (obj.get("items"), obj.get("prefixItems")) {
            (Some(items @ Value::Object(_)), _) => {
                self.lower_schema(&ptr.join("items"), items, &format!("{hint}Item")).folded()
            }
            (_, Some(Value::Array(prefix))) => {
                // Tuples: items of differing types are kept as JSON values.
                let _ = prefix;
                self.diags.warning(
                    ptr.join("prefixItems"),
                    "tuple arrays (prefixItems) fall back to a Vec of serde_json::Value",
                );
                Ty::Json
            }
            _ => Ty::Json,
        };
        Ty::Array(Box::new(ArrayTy {
            item,
            min_items: obj.get("minItems").and_then(Value::as_u64).filter(|n| *n > 0),
            max_items: obj.get("maxItems").and_then(Value::as_u64),
        }))
    }

    fn lower_string(&mut self, ptr: &Pointer, obj: &'a Map, hint: &str) -> Ty {
        let format = obj.get("format").and_then(Value::as_str);
        let fmt = match format {
            Some("byte") => return Ty::Base64,
            Some("binary") => return Ty::Binary,
            Some(f) => Format::from_wire(f),
            None => None,
        };
        if obj.get("contentEncoding").and_then(Value::as_str) == Some("base64") {
            return Ty::Base64;
        }
        // OpenAPI 3.1 declares a file with `contentMediaType` (a type that is
        // not text) or a `contentEncoding` other than base64: bytes, which a
        // multipart body sends as a file part.
        let media = obj.get("contentMediaType").and_then(Value::as_str).map(str::to_ascii_lowercase);
        let text_media = |m: &str| m.starts_with("text/") || m == "application/json" || m.ends_with("+json");
        if media.as_deref().is_some_and(|m| !text_media(m))
            || obj.get("contentEncoding").and_then(Value::as_str).is_some()
        {
            return Ty::Binary;
        }
        if let Some(f) = fmt {
            return Ty::Format(f);
        }
        let min_len = obj.get("minLength").and_then(Value::as_u64).filter(|n| *n > 0);
        let max_len = obj.get("maxLength").and_then(Value::as_u64);
        let pattern = match obj.get("pattern").and_then(Value::as_str) {
            Some(p) => self.pattern(ptr, p, hint),
            None => None,
        };
        Ty::Str(StrTy { min_len, max_len, pattern })
    }

    /// A bound and whether it is exclusive, from `minimum` and
    /// `exclusiveMinimum` (or the `maximum` pair): 3.0's boolean form or
    /// 3.1's numeric one. When 3.1 gives both, the tighter one applies.
    /// Bounds that are not finite numbers (YAML's `.inf`, `.nan`) are
    /// dropped with a warning.
    fn bound(&mut self, ptr: &Pointer, obj: &Map, key: &str, excl_key: &str) -> (Option<f64>, bool) {
        let lower = key == "minimum";
        let mut finite = |k: &str| -> Option<f64> {
            let x = obj.get(k).and_then(Value::as_f64)?;
            if x.is_finite() {
                Some(x)
            } else {
                self.diags.warning(ptr.join(k), format!("bound {x} is not a finite number and is not checked"));
                None
            }
        };
        let value = finite(key);
        match obj.get(excl_key) {
            Some(Value::Bool(b)) => (value, *b && value.is_some()),
            Some(Value::Int(_) | Value::Float(_)) => match (finite(excl_key), value) {
                (Some(x), Some(m)) if (lower && m > x) || (!lower && m < x) => (Some(m), false),
                // 3.1: `exclusiveMinimum: 5` is its own bound.
                (Some(x), _) => (Some(x), true),
                (None, m) => (m, false),
            },
            _ => (value, false),
        }
    }

    /// `multipleOf`, when it is a positive finite number.
    fn multiple_of(&mut self, ptr: &Pointer, obj: &Map) -> Option<f64> {
        let v = obj.get("multipleOf")?;
        match v.as_f64() {
            Some(m) if m > 0.0 && m.is_finite() => Some(m),
            _ => {
                self.diags.warning(
                    ptr.join("multipleOf"),
                    format!("multipleOf {} is not a positive number and is not checked", v.to_json()),
                );
                None
            }
        }
    }

    fn lower_integer(&mut self, ptr: &Pointer, obj: &'a Map) -> Ty {
        let (min, excl_min) = self.bound(ptr, obj, "minimum", "exclusiveMinimum");
        let (max, excl_max) = self.bound(ptr, obj, "maximum", "exclusiveMaximum");
        // An integer is a multiple of `m` for every integer `k` with
        // `k * m == 1` (0.5, 0.25): no constraint. Other non-integral
        // values (2.5) are not checked.
        let multiple_of = match self.multiple_of(ptr, obj) {
            Some(m) if m.fract() == 0.0 && m < 1.8e19 => Some(m as u64).filter(|m| *m > 1),
            Some(m) if (1.0 / m).fract() == 0.0 => None,
            Some(m) => {
                self.diags.warning(
                    ptr.join("multipleOf"),
                    format!("non-integral multipleOf {m} on an integer is not checked"),
                );
                None
            }
            None => None,
        };
        let to_int = |x: f64, up: bool| -> i128 {
            let r = if up { x.ceil() } else { x.floor() };
            r.clamp(-1.7e38, 1.7e38) as i128
        };
        let mut min = min.map(|m| to_int(m, true) + i128::from(excl_min && m.fract() == 0.0));
        let max = max.map(|m| to_int(m, false) - i128::from(excl_max && m.fract() == 0.0));
        let format = obj.get("format").and_then(Value::as_str);
        let unsigned =
            min.is_some_and(|m| m >= 0) || matches!(format, Some("uint32" | "uint64" | "uint" | "uint8" | "uint16"));
        let small = matches!(format, Some("int32" | "uint32" | "int8" | "int16" | "uint8" | "uint16"));
        let kind = match (unsigned, small) {
            (true, true) => IntKind::U32,
            (true, false) => IntKind::U64,
            (false, true) => IntKind::I32,
            (false, false) => IntKind::I64,
        };
        let (lo, hi): (i128, i128) = match kind {
            IntKind::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntKind::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntKind::U32 => (0, u32::MAX.into()),
            IntKind::U64 => (0, u64::MAX.into()),
        };
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                self.diags.warning(ptr, format!("minimum {a} is above maximum {b}; the bounds are not checked"));
                return Ty::Int(IntTy { kind, min: None, max: None, multiple_of });
            }
        }
        if min.is_some_and(|m| m <= lo) {
            min = None;
        }
        let max = max.filter(|m| *m < hi);
        let min = min.filter(|m| *m > lo);
        Ty::Int(IntTy { kind, min, max, multiple_of })
    }

    fn lower_number(&mut self, ptr: &Pointer, obj: &'a Map) -> Ty {
        let (min, exclusive_min) = self.bound(ptr, obj, "minimum", "exclusiveMinimum");
        let (max, exclusive_max) = self.bound(ptr, obj, "maximum", "exclusiveMaximum");
        let multiple_of = self.multiple_of(ptr, obj);
        let kind =
            if obj.get("format").and_then(Value::as_str) == Some("float") { FloatKind::F32 } else { FloatKind::F64 };
        if let (Some(a), Some(b)) = (min, max) {
            if a > b || (a == b && (exclusive_min || exclusive_max)) {
                self.diags.warning(ptr, format!("minimum {a} is above maximum {b}; the bounds are not checked"));
                return Ty::Float(FloatTy {
                    kind,
                    min: None,
                    max: None,
                    exclusive_min: false,
                    exclusive_max: false,
                    multiple_of,
                });
            }
        }
        Ty::Float(FloatTy { kind, min, max, exclusive_min, exclusive_max, multiple_of })
    }

    fn lower_enum(
        &mut self,
        ptr: &Pointer,
        obj: &'a Map,
        ty_name: Option<&str>,
        hint: &str,
        slot: Option<TypeId>,
    ) -> Lowered {
        let values: Vec<&Value> = match (obj.get("enum"), obj.get("const")) {
            (Some(Value::Array(a)), _) => a.iter().collect(),
            (Some(other), _) => {
                self.diags.error(ptr.join("enum"), format!("expected an array, found {}", other.kind()));
                return Lowered::json();
            }
            (None, Some(c)) => vec![c],
            (None, None) => unreachable!("lower_enum is called only for schemas with enum or const"),
        };
        let nullable = values.iter().any(|v| matches!(v, Value::Null));
        let non_null: Vec<&Value> = values.into_iter().filter(|v| !matches!(v, Value::Null)).collect();
        let all_strings = non_null.iter().all(|v| matches!(v, Value::String(_)));
        // The generated integer enum holds `i64`; wider values keep the base type.
        let all_ints = non_null.iter().all(|v| matches!(v, Value::Int(i) if i64::try_from(*i).is_ok()));
        let integer = !non_null.is_empty() && all_ints && ty_name != Some("string");
        if non_null.is_empty()
            || !(all_strings || integer)
            || matches!(ty_name, Some("boolean" | "number" | "object" | "array"))
        {
            // Boolean, number or mixed enums: keep the base type, drop the set.
            if !non_null.is_empty() && ty_name != Some("boolean") {
                self.diags.warning(
                    ptr.join("enum"),
                    "enum of non-string values is kept as its base type; values are not checked",
                );
            }
            let ty_name = ty_name.or(match non_null.first() {
                Some(Value::Bool(_)) => Some("boolean"),
                Some(Value::Float(_)) => Some("number"),
                _ => None,
            });
            return self.lower_by_type(ptr, obj, ty_name, hint, slot, nullable);
        }
        let mut names = Namespace::new();
        names.reserve("Unknown");
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for v in non_null {
            let wire = super::value_text(v);
            if !seen.insert(wire.clone()) {
                continue;
            }
            self.spend(&ptr.join("enum"), 1);
            let rust = names.unique(&naming::variant_name(&wire));
            // `all_ints` checked that every value fits an `i64`.
            let int = match v {
                Value::Int(i) if integer => i64::try_from(*i).ok(),
                _ => None,
            };
            variants.push(EnumVariant { name: Name { wire, rust }, int, docs: Default::default() });
        }
        let id = slot.unwrap_or_else(|| self.alloc_type(hint, ptr));
        self.define(id, ptr, obj, TypeKind::Enum(Enum { variants }));
        Lowered { ty: Ty::Named(id), nullable }
    }

    fn lower_union(&mut self, ptr: &Pointer, obj: &'a Map, key: &str, hint: &str, slot: Option<TypeId>) -> Lowered {
        let uptr = ptr.join(key);
        let Some(parts) = obj.get(key).and_then(Value::as_array) else {
            self.diags.error(&uptr, "expected an array");
            return Lowered::json();
        };
        let mut nullable = false;
        let mut items: Vec<(Pointer, &'a Value)> = Vec::new();
        for (idx, part) in parts.iter().enumerate() {
            let pptr = uptr.join(idx.to_string());
            let is_null = part.get("type").and_then(Value::as_str) == Some("null")
                || part
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.iter().all(|v| matches!(v, Value::Null)));
            if is_null {
                nullable = true;
            } else {
                items.push((pptr, part));
            }
        }
        match items.len() {
            0 => return Lowered { ty: Ty::Json, nullable: true },
            1 => {
                let (pptr, part) = items[0].clone();
                let mut res = self.lower_schema_in(&pptr, part, hint, slot);
                res.nullable |= nullable;
                return res;
            }
            _ => {}
        }
        // A union of string constants is one enum.
        if let Some(values) = self.const_strings(&items) {
            self.spend(&uptr, values.len());
            let mut names = Namespace::new();
            names.reserve("Unknown");
            let variants = values
                .into_iter()
                .map(|wire| EnumVariant {
                    name: Name { rust: names.unique(&naming::variant_name(&wire)), wire },
                    int: None,
                    docs: Default::default(),
                })
                .collect();
            let id = slot.unwrap_or_else(|| self.alloc_type(hint, ptr));
            self.define(id, ptr, obj, TypeKind::Enum(Enum { variants }));
            return Lowered { ty: Ty::Named(id), nullable };
        }
        let id = slot.unwrap_or_else(|| self.alloc_type(hint, ptr));
        let owner = self.type_rust_name(id);
        let disc = obj.get("discriminator");
        let tag = disc.and_then(|d| d.get("propertyName")).and_then(Value::as_str).map(str::to_string);
        let mapping: Vec<(String, String)> = disc
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| {
                        let target = v.as_str()?;
                        let target = if target.starts_with('#') {
                            target.to_string()
                        } else {
                            format!("#/components/schemas/{target}")
                        };
                        Some((k.clone(), target))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let all_refs = items.iter().all(|(_, p)| p.get("$ref").and_then(Value::as_str).is_some());
        let tagged = tag.is_some() && all_refs;
        let mut names = Namespace::new();
        names.reserve("Unknown");
        let mut variants = Vec::new();
        for (idx, (pptr, part)) in items.iter().enumerate() {
            // A reference to nothing is no variant: its values are kept in
            // `Unknown`, where a `serde_json::Value` variant would take the
            // values of every variant after it.
            if self.warn_dangling(
                pptr,
                part,
                &format!("the {key} member is left out and its values are kept in Unknown"),
            ) {
                continue;
            }
            let lowered = self.lower_schema(pptr, part, &format!("{owner}Variant{idx}"));
            let base = match &lowered.ty {
                Ty::Named(t) => self.type_rust_name(*t),
                other => variant_base(other),
            };
            let rust = names.unique(&base);
            let mut tags = Vec::new();
            if tagged {
                let r = part.get("$ref").and_then(Value::as_str).unwrap_or_default();
                tags = mapping.iter().filter(|(_, t)| t == r).map(|(k, _)| k.clone()).collect();
                if tags.is_empty() {
                    tags.push(Pointer::from_ref(r).and_then(|p| p.last()).unwrap_or_default());
                }
            }
            variants.push(UnionVariant { rust, tags, ty: lowered.folded(), boxed: false });
        }
        let tag = if tagged { tag } else { None };
        self.define(id, ptr, obj, TypeKind::Union(Union { tag, variants }));
        Lowered { ty: Ty::Named(id), nullable }
    }

    /// The values of a union whose parts are all string constants.
    fn const_strings(&mut self, items: &[(Pointer, &'a Value)]) -> Option<Vec<String>> {
        let mut res = Vec::new();
        for (pptr, part) in items {
            let (v, _) = self.deref_quiet(pptr, part)?;
            let o = v.as_object()?;
            if o.contains_key("properties") {
                return None;
            }
            match (o.get("const"), o.get("enum")) {
                (Some(Value::String(s)), _) => res.push(s.clone()),
                (None, Some(Value::Array(a))) if a.iter().all(|x| matches!(x, Value::String(_))) => {
                    res.extend(a.iter().filter_map(|x| x.as_str().map(str::to_string)))
                }
                _ => return None,
            }
        }
        res.dedup();
        let unique: BTreeSet<&String> = res.iter().collect();
        (unique.len() == res.len()).then_some(res)
    }
}

#[derive(Clone)]
enum Additional {
    Absent,
    FreeForm,
    Forbidden,
    Typed(Ty),
}

pub(super) fn required_set(obj: &Map) -> BTreeSet<String> {
    obj.get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// A variant name for an unnamed union member.
fn variant_base(ty: &Ty) -> String {
    match ty {
        Ty::Bool => "Boolean",
        Ty::Int(_) => "Integer",
        Ty::Float(_) => "Number",
        Ty::Str(_) | Ty::Format(_) => "String",
        Ty::Base64 | Ty::Binary => "Bytes",
        Ty::Json => "Value",
        Ty::Array(_) => "Array",
        Ty::Map(_) => "Object",
        Ty::Option(_) => "Nullable",
        Ty::Named(_) => "Type",
    }
    .to_string()
}
