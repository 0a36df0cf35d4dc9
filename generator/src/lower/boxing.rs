//! Boxing large struct fields: a field holding a struct of more than
//! [`LARGE`] bytes holds it in a `Box`, so the struct around it stays
//! small. A value is moved several times as it is decoded (out of the
//! field's slot, into the struct, out of each `Result`), and every move of
//! a struct is a copy of all of it; Auth0's application held its 2 KB of
//! add-ons inline, and copying made up a sixth of decoding it.
//!
//! Sizes are estimated from the IR ([`Sizes`]), as a 64-bit target lays the
//! generated types out, closely enough to tell a few bytes from kilobytes.
//! Page bodies and the objects they hold are left as they are: streams read
//! their cursors and items by field ([`crate::ir::Paging`]).

use crate::ir::{Api, IntKind, ResponseBody, Ty, TypeKind};

/// A field's struct is boxed from this many bytes on.
pub(crate) const LARGE: usize = 512;

/// Marks the fields of a struct type larger than [`LARGE`] as boxed,
/// except in page bodies.
pub(crate) fn box_large_fields(api: &mut Api) {
    let mut sizes = Sizes { done: vec![None; api.types.len()] };
    let paged = page_types(api);
    let mut large = Vec::new();
    for (i, def) in api.types.iter().enumerate() {
        let TypeKind::Struct(s) = &def.kind else { continue };
        if paged[i] {
            continue;
        }
        for (fi, f) in s.fields.iter().enumerate() {
            if !f.boxed && holds_struct(api, &f.ty) && sizes.of(api, &f.ty) >= LARGE {
                large.push((i, fi));
            }
        }
    }
    for (i, fi) in large {
        if let TypeKind::Struct(s) = &mut api.types[i].kind {
            s.fields[fi].boxed = true;
        }
    }
}

/// Whether `ty` is a named struct (through aliases), the only values boxed.
fn holds_struct(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(_) => true,
            TypeKind::Alias(t) => holds_struct(api, t),
            TypeKind::SameShape(rep) => holds_struct(api, &Ty::Named(*rep)),
            TypeKind::Enum(_) | TypeKind::Union(_) => false,
        },
        _ => false,
    }
}

/// The types a stream reads by field: the bodies of paged operations and
/// every type they hold by value (not through a list or a map).
fn page_types(api: &Api) -> Vec<bool> {
    let mut seen = vec![false; api.types.len()];
    let mut todo: Vec<usize> = Vec::new();
    for op in api.operations.iter().filter(|o| o.paging.is_some()) {
        for r in &op.responses {
            if let ResponseBody::Json(ty) = &r.body {
                held(ty, &mut todo);
            }
        }
    }
    while let Some(i) = todo.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        match &api.types[i].kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| held(&f.ty, &mut todo)),
            TypeKind::Union(u) => u.variants.iter().for_each(|v| held(&v.ty, &mut todo)),
            TypeKind::Alias(t) => held(t, &mut todo),
            TypeKind::SameShape(rep) => todo.push(rep.0),
            TypeKind::Enum(_) => {}
        }
    }
    seen
}

fn held(ty: &Ty, todo: &mut Vec<usize>) {
    match ty {
        Ty::Named(id) => todo.push(id.0),
        Ty::Option(t) => held(t, todo),
        _ => {}
    }
}

/// Estimated sizes of the generated types in bytes, computed once each.
struct Sizes {
    done: Vec<Option<usize>>,
}

impl Sizes {
    fn of(&mut self, api: &Api, ty: &Ty) -> usize {
        match ty {
            Ty::Named(id) => self.named(api, id.0),
            Ty::Bool => 1,
            Ty::Int(i) => match i.kind {
                IntKind::I32 | IntKind::U32 => 4,
                IntKind::I64 | IntKind::U64 => 8,
            },
            Ty::Float(_) => 8,
            Ty::Str(_) | Ty::Format(_) | Ty::Base64 | Ty::Binary | Ty::Array(_) | Ty::Map(_) => 24,
            Ty::Json => 32,
            Ty::Option(t) => self.of(api, t) + 8,
        }
    }

    fn named(&mut self, api: &Api, i: usize) -> usize {
        if let Some(n) = self.done[i] {
            return n;
        }
        // A type on a cycle reaches itself only through a box: counted as a
        // pointer while it is being measured.
        self.done[i] = Some(8);
        let n = match &api.types[i].kind {
            TypeKind::Struct(s) => {
                let fields: usize =
                    s.fields.iter().map(|f| if f.boxed { 8 } else { self.of(api, &f.ty) }).sum::<usize>();
                fields + if s.additional.is_some() { 24 } else { 0 }
            }
            TypeKind::Enum(_) => 24,
            TypeKind::Union(u) => {
                8 + u.variants.iter().map(|v| if v.boxed { 8 } else { self.of(api, &v.ty) }).max().unwrap_or(0)
            }
            TypeKind::Alias(t) => self.of(api, t),
            TypeKind::SameShape(rep) => self.named(api, rep.0),
        };
        self.done[i] = Some(n);
        n
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, TypeKind};

    /// A struct of `n` string properties: `n * 24` bytes.
    fn strings(n: usize) -> String {
        let props: Vec<String> = (0..n).map(|i| format!("p{i}: {{ type: string }}")).collect();
        format!("{{ type: object, properties: {{ {} }} }}", props.join(", "))
    }

    fn lowered() -> Api {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{ title: t, version: '1' }}\npaths:\n  /things:\n    get:\n      operationId: listThings\n\
             \x20     parameters:\n        - {{ in: query, name: page_token, schema: {{ type: string }} }}\n\
             \x20     responses:\n        '200':\n          description: a page\n          content:\n\
             \x20           application/json:\n              schema: {{ $ref: '#/components/schemas/Page' }}\n\
             components:\n  schemas:\n    Big: {big}\n    Small: {small}\n\
             \x20   Holder: {{ type: object, required: [req], properties: {{ big: {{ $ref: '#/components/schemas/Big' }}, \
             req: {{ $ref: '#/components/schemas/Big' }}, small: {{ $ref: '#/components/schemas/Small' }}, \
             list: {{ type: array, items: {{ $ref: '#/components/schemas/Big' }} }} }} }}\n\
             \x20   Page: {{ type: object, properties: {{ items: {{ type: array, items: {{ $ref: '#/components/schemas/Holder' }} }}, \
             next_page_token: {{ type: string }}, summary: {{ $ref: '#/components/schemas/Big' }} }} }}\n",
            big = strings(22),
            small = strings(20),
        );
        crate::lower::lowered_for_test(&spec)
    }

    fn boxed(api: &Api, ty: &str) -> Vec<(String, bool)> {
        let def = api.types.iter().find(|t| t.name.rust == ty).unwrap_or_else(|| panic!("no type {ty}"));
        let TypeKind::Struct(s) = &def.kind else { panic!("{ty} is not a struct") };
        s.fields.iter().map(|f| (f.name.wire.clone(), f.boxed)).collect()
    }

    #[test]
    fn a_field_holding_a_large_struct_is_boxed_but_not_in_a_page() {
        let api = lowered();
        assert!(api.operations[0].paging.is_some(), "the list streams, so its page is read by field");
        // 22 strings are 528 bytes, 20 are 480: only the first is boxed,
        // required or not; a list of them is a pointer already.
        let holder = boxed(&api, "Holder");
        let want = [("big", true), ("req", true), ("small", false), ("list", false)];
        assert_eq!(holder, want.map(|(n, b)| (n.to_string(), b)).to_vec());
        // The page keeps its fields as they are, for the stream's reads.
        assert!(boxed(&api, "Page").iter().all(|(_, b)| !b));
    }
}
