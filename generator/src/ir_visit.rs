//! Walking every type expression in an [`Api`], for passes that renumber or
//! inspect types after lowering.

use crate::ir::{Api, Ty, TypeKind};

/// Calls `f` on every [`Ty`] node in `api`, outermost first.
pub fn for_each_ty_mut(api: &mut Api, f: &mut dyn FnMut(&mut Ty)) {
    for def in &mut api.types {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    walk_mut(&mut field.ty, f);
                }
                if let Some(a) = &mut s.additional {
                    walk_mut(a, f);
                }
            }
            TypeKind::Enum(_) => {}
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    walk_mut(&mut v.ty, f);
                }
            }
            TypeKind::Alias(ty) => walk_mut(ty, f),
        }
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
        }
        for r in &mut op.responses {
            if let crate::ir::ResponseBody::Json(ty) = &mut r.body {
                walk_mut(ty, f);
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
