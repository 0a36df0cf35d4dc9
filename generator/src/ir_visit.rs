//! Walking every type expression in an [`Api`], for passes that renumber or
//! inspect types after lowering.

use crate::ir::{Api, Ty, TypeKind};

/// Calls `f` on every [`Ty`] node in `api`, outermost first.
pub fn for_each_ty_mut(api: &mut Api, f: &mut dyn FnMut(&mut Ty)) {
    for def in &mut api.types {
        kind_tys_mut(&mut def.kind, &mut |ty| walk_mut(ty, f));
    }
    for op in &mut api.operations {
        for p in &mut op.params {
            walk_mut(&mut p.ty, f);
        }
        if let Some(body) = &mut op.body {
            for c in &mut body.contents {
                walk_mut(&mut c.ty, f);
            }
        }
        if let Some(p) = &mut op.paging {
            walk_mut(&mut p.item, f);
            p.sources.iter_mut().filter_map(|s| s.items_union.as_mut()).for_each(|u| walk_mut(&mut u.ty, f));
        }
        for r in &mut op.responses {
            if let crate::ir::ResponseBody::Json(ty) | crate::ir::ResponseBody::EventStream(ty) = &mut r.body {
                walk_mut(ty, f);
            }
        }
    }
}

/// Calls `f` on every [`Ty`] node in `api`, outermost first: [`for_each_ty_mut`], reading.
pub fn for_each_ty(api: &Api, f: &mut dyn FnMut(&Ty)) {
    for def in &api.types {
        kind_tys(&def.kind, &mut |ty| walk(ty, f));
    }
    for op in &api.operations {
        for p in &op.params {
            walk(&p.ty, f);
        }
        if let Some(body) = &op.body {
            for c in &body.contents {
                walk(&c.ty, f);
            }
        }
        if let Some(p) = &op.paging {
            walk(&p.item, f);
            p.sources.iter().filter_map(|s| s.items_union.as_ref()).for_each(|u| walk(&u.ty, f));
        }
        for r in &op.responses {
            if let crate::ir::ResponseBody::Json(ty) | crate::ir::ResponseBody::EventStream(ty) = &r.body {
                walk(ty, f);
            }
        }
    }
}

/// Calls `f` on each type expression a named type holds directly: its
/// fields' and additional properties' types, its variants', or the aliased
/// type (not the types nested in those; see [`walk`]).
pub fn kind_tys(kind: &TypeKind, f: &mut dyn FnMut(&Ty)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|field| f(&field.ty));
            if let Some(a) = &s.additional {
                f(a);
            }
        }
        TypeKind::Enum(_) => {}
        TypeKind::Union(u) => u.variants.iter().for_each(|v| f(&v.ty)),
        TypeKind::Alias(ty) => f(ty),
        TypeKind::SameShape(id) => f(&Ty::Named(*id)),
    }
}

/// The ids of the named types a type refers to anywhere in its type
/// expressions, in order and with repeats.
pub fn named_refs(kind: &TypeKind) -> Vec<usize> {
    let mut refs = Vec::new();
    kind_tys(kind, &mut |ty| {
        walk(ty, &mut |t| {
            if let Ty::Named(id) = t {
                refs.push(id.0);
            }
        })
    });
    refs
}

/// [`kind_tys`], mutably.
pub fn kind_tys_mut(kind: &mut TypeKind, f: &mut dyn FnMut(&mut Ty)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|field| f(&mut field.ty));
            if let Some(a) = &mut s.additional {
                f(a);
            }
        }
        TypeKind::Enum(_) => {}
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Alias(ty) => f(ty),
        TypeKind::SameShape(id) => {
            let mut ty = Ty::Named(*id);
            f(&mut ty);
            if let Ty::Named(new) = ty {
                *id = new;
            }
        }
    }
}

/// Calls `f` on `ty` and every type nested in it.
pub fn walk_mut(ty: &mut Ty, f: &mut dyn FnMut(&mut Ty)) {
    f(ty);
    match ty {
        Ty::Array(a) => walk_mut(&mut a.item, f),
        Ty::Map(t) | Ty::Option(t) => walk_mut(t, f),
        _ => {}
    }
}

/// Calls `f` on `ty` and every type nested in it.
pub fn walk(ty: &Ty, f: &mut dyn FnMut(&Ty)) {
    f(ty);
    match ty {
        Ty::Array(a) => walk(&a.item, f),
        Ty::Map(t) | Ty::Option(t) => walk(t, f),
        _ => {}
    }
}

/// Which named types the type expressions `roots` reach, directly or
/// through other named types (linear: each type is expanded once).
pub fn reachable<'t>(api: &Api, roots: impl IntoIterator<Item = &'t Ty>) -> Vec<bool> {
    let mut seen = vec![false; api.types.len()];
    let mut work = Vec::new();
    let visit = |ty: &Ty, seen: &mut Vec<bool>, work: &mut Vec<usize>| {
        walk(ty, &mut |t| {
            if let Ty::Named(id) = t {
                if !seen[id.0] {
                    seen[id.0] = true;
                    work.push(id.0);
                }
            }
        })
    };
    for ty in roots {
        visit(ty, &mut seen, &mut work);
    }
    while let Some(idx) = work.pop() {
        kind_tys(&api.types[idx].kind, &mut |ty| visit(ty, &mut seen, &mut work));
    }
    seen
}

/// Whether each named type is read inside another value: a field, item,
/// variant or map value of a named type (another name for the same shape
/// is no value of its own), a parameter or request body, or inside a
/// response's list, map or option. A type read only as a whole response
/// body (or an event's data) is read at most once a body.
pub fn read_inside(api: &Api) -> Vec<bool> {
    let mut roots: Vec<Ty> = Vec::new();
    for def in api.types.iter().filter(|d| !matches!(d.kind, TypeKind::SameShape(_))) {
        kind_tys(&def.kind, &mut |ty| roots.push(ty.clone()));
    }
    for op in &api.operations {
        roots.extend(request_tys(op).cloned());
        for r in &op.responses {
            match &r.body {
                crate::ir::ResponseBody::Json(Ty::Named(_)) | crate::ir::ResponseBody::EventStream(Ty::Named(_)) => {}
                crate::ir::ResponseBody::Json(ty) | crate::ir::ResponseBody::EventStream(ty) => roots.push(ty.clone()),
                _ => {}
            }
        }
    }
    reachable(api, roots.iter())
}

/// The type expressions an operation sends: its parameters and bodies.
pub fn request_tys(op: &crate::ir::Operation) -> impl Iterator<Item = &Ty> {
    let bodies = op.body.iter().flat_map(|b| b.contents.iter().map(|c| &c.ty));
    op.params.iter().map(|p| &p.ty).chain(bodies)
}
