//! Example calls for docs: an operation called with sample values, its
//! body and parameters built through the generated constructors and
//! setters (`?` after a fallible one). The README, the crate docs, every
//! operation's rustdoc and `examples/operations.rs` (which compiles them
//! all) use the same code.

use super::Cx;
use crate::ir::{BodyKind, Operation, ParamLocation, Ty};
use crate::rust_ty::{Convert, Input};

/// The lines of an example call, ending in `let response = ...;`.
pub(crate) struct Call {
    pub lines: Vec<String>,
    /// The lines name `types::..`: the example needs `use <crate>::types;`.
    pub uses_types: bool,
}

/// Calls `op` on `client` with `path_sample` for each path parameter,
/// sample values for the required parameters and body fields, and the
/// settings' `readme.fields` on the body.
pub(crate) fn call(cx: &Cx<'_>, op: &Operation, krate: &str, path_sample: &str, fields: &[(String, String)]) -> Call {
    let mut res = Call { lines: Vec::new(), uses_types: false };
    let mut call = String::from("client");
    for g in &op.group {
        call.push_str(&format!(".{}()", g.rust));
    }
    let mut args = Vec::new();
    for part in &op.path {
        if let crate::ir::PathPart::Param(i) = part {
            args.push(path_arg(cx, &op.params[*i].ty, krate, path_sample));
        }
    }
    if let Some(ps) = &op.params_struct {
        args.push(params(cx, op, krate, ps, &mut res));
    }
    if let Some(b) = &op.body {
        let content = &b.contents[0];
        // A list body is any iterable: the example passes an array of items.
        let list = b.required && content.kind == BodyKind::Json && super::setters::list_body(cx, &content.ty).is_some();
        // A required body is taken by value too (`rt::IntoBody`); an optional one by reference.
        let arg = if b.required { "body" } else { "&body" };
        // A body of one required string or list is passed as that
        // (`rt::IntoBody`), unless the settings set more fields.
        let member = match content.kind {
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => member_arg(cx, b, &content.ty, fields),
            BodyKind::Binary | BodyKind::Text => None,
        };
        match (&content.kind, member) {
            (_, Some(member)) => {
                res.uses_types |= member.contains("types::");
                args.push(member);
            }
            (BodyKind::Binary, None) => args.push("b\"example\".to_vec()".into()),
            (BodyKind::Text, None) => args.push("\"example\"".into()),
            (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, None) => {
                // A body that is not a struct (a list, an alias of one) is read from JSON:
                // samples are what setters take, not the body's own type.
                let sample = match &content.ty {
                    Ty::Named(id) if matches!(cx.api.types[id.0].kind, crate::ir::TypeKind::Struct(_)) => {
                        crate::rust_ty::entry(cx.api, &content.ty).sample_rust(&cx.krate)
                    }
                    _ if list => crate::rust_ty::entry(cx.api, &content.ty).sample_rust(&cx.krate),
                    _ => None,
                };
                let line = match sample {
                    Some(expr) => {
                        res.uses_types |= expr.contains("types::");
                        let more = match &content.ty {
                            Ty::Named(id) => setters(cx, *id, fields),
                            _ => String::new(),
                        };
                        format!("let body = {expr}{more};")
                    }
                    None => {
                        // A list read from JSON is passed as a `Vec` of its items.
                        let ty = match crate::rust_ty::resolve(cx.api, &content.ty) {
                            Ty::Array(a) if list => {
                                let item = crate::rust_ty::of(cx.api, &a.item).tokens();
                                quote::quote!(Vec<#item>)
                            }
                            _ => crate::rust_ty::of(cx.api, &content.ty).tokens(),
                        };
                        let ty = ty.to_string().replace(' ', "");
                        let ty = ty
                            .replace("crate::", &format!("{krate}::"))
                            .replace("rt::", &format!("{krate}::runtime::"));
                        let json = crate::rust_ty::entry(cx.api, &content.ty).sample_json();
                        format!("let body: {ty} = serde_json::from_value(serde_json::json!({json}))?;")
                    }
                };
                res.lines.push(line);
                args.push(arg.into());
            }
        }
    }
    call.push_str(&format!(".{}({}).await?;", op.name.rust, args.join(", ")));
    res.lines.push(format!("let response = {call}"));
    res
}

/// The `# Example` section of an operation's rustdoc: [`call`] in an
/// `async fn` taking the client (hidden lines start with `# `).
pub(crate) fn op_doc(cx: &Cx<'_>, op: &Operation) -> Vec<String> {
    let krate = &cx.krate;
    let call = call(cx, op, krate, "\"id\"", &[]);
    let mut res = vec![
        "# Example".to_string(),
        String::new(),
        "```no_run".to_string(),
        format!("# async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{"),
    ];
    if call.uses_types {
        res.push(format!("use {krate}::types;"));
    }
    res.extend(call.lines);
    res.push("# let _ = response;".into());
    res.extend(["# Ok(())".to_string(), "# }".to_string(), "```".to_string()]);
    res
}

/// `examples/operations.rs`: every operation's example as a function, so
/// that building the example compiles them all in one binary.
pub(crate) fn all_ops(cx: &Cx<'_>) -> String {
    let krate = &cx.krate;
    let mut out = String::from(
        "//! Every operation's rustdoc example, compiled in one binary: `cargo build --example operations`.\n\n\
         fn main() {}\n\n\
         // Formatted by the generator; each function is the example of the operation it names.\n\
         #[rustfmt::skip]\n\
         #[allow(dead_code, non_snake_case, clippy::needless_borrows_for_generic_args)]\n\
         mod operations {\n",
    );
    for op in &cx.api.operations {
        let path: Vec<&str> = op.group.iter().map(|g| g.rust.as_str()).chain([op.name.rust.as_str()]).collect();
        // A deprecated operation's example calls it knowingly.
        let allow = if op.docs.deprecated { "    #[allow(deprecated)]\n" } else { "" };
        out.push_str(&format!(
            "    /// `{} {}`\n{allow}    async fn {}(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n",
            op.method.as_str(),
            super::inline_text(&op.route).replace('\n', " "),
            path.join("__")
        ));
        for line in op_doc(cx, op).iter().filter(|l| !l.starts_with("```") && !l.starts_with("# ")) {
            if !line.is_empty() && line != "# Example" {
                out.push_str(&format!("        {line}\n"));
            }
        }
        out.push_str("        let _ = response;\n        Ok(())\n    }\n");
    }
    out.push_str("}\n");
    out
}

/// A path argument: `path_sample` for strings, a number, or a reference
/// to a sample value (an enum's first variant).
fn path_arg(cx: &Cx<'_>, ty: &Ty, krate: &str, path_sample: &str) -> String {
    let entry = crate::rust_ty::entry(cx.api, ty);
    match entry.input() {
        Input::Checked { convert: Convert::Str, .. } => path_sample.to_string(),
        // As `emit::operations` declares it: `&str` for a plain string only;
        // a format that is not checked text (a UUID, a date) is taken as `&T`.
        Input::Into(_) if matches!(ty, Ty::Str(_)) => path_sample.to_string(),
        Input::Plain(_) | Input::Checked { .. } => entry.sample_rust(&cx.krate).unwrap_or_else(|| "0".into()),
        _ => match entry.sample_rust(&cx.krate) {
            // A named alias of a string is taken as `&Alias`, a `&String`.
            Some(v) if v.starts_with('"') => format!("&{v}.to_string()"),
            Some(v) => format!("&{}", v.replace("types::", &format!("{krate}::types::"))),
            None => format!("&serde_json::from_value(serde_json::json!({}))?", entry.sample_json()),
        },
    }
}

/// The params struct argument: `&Default::default()`, or its constructor
/// with sample values for the required parameters.
fn params(cx: &Cx<'_>, op: &Operation, krate: &str, ps: &str, res: &mut Call) -> String {
    let members: Vec<_> = op.params.iter().filter(|p| p.location != ParamLocation::Path).collect();
    if !members.iter().any(|p| p.required) {
        return "&Default::default()".into();
    }
    let mut args = Vec::new();
    let mut fallible = false;
    for p in members.into_iter().filter(|p| cx.api.takes_in_new(p.presence(), &p.ty)) {
        let entry = crate::rust_ty::entry(cx.api, &p.ty);
        fallible |= entry.input().is_checked();
        match entry.sample_rust(&cx.krate) {
            Some(v) => args.push(v),
            None => return "&Default::default()".into(),
        }
    }
    res.uses_types |= args.iter().any(|a| a.contains("types::"));
    let module = op.group.first().map_or("", |g| g.rust.as_str());
    let q = if fallible { "?" } else { "" };
    res.lines.push(format!("let params = {krate}::operations::{module}::{ps}::new({}){q};", args.join(", ")));
    "&params".into()
}

/// The argument of a required body that converts from its one string or
/// list ([`crate::rust_ty::body_member`]): a string literal, or an array of
/// one sample item. `None` when the settings' `fields` set some field.
fn member_arg(cx: &Cx<'_>, body: &crate::ir::RequestBody, ty: &Ty, fields: &[(String, String)]) -> Option<String> {
    let &Ty::Named(mut id) = crate::rust_ty::resolve(cx.api, ty) else { return None };
    if let crate::ir::TypeKind::SameShape(rep) = cx.api.types[id.0].kind {
        id = rep;
    }
    let crate::ir::TypeKind::Struct(st) = &cx.api.types[id.0].kind else { return None };
    if !body.required || !cx.bodies[id.0] || !setters(cx, id, fields).is_empty() {
        return None;
    }
    let (f, source) = crate::rust_ty::body_member(cx.api, st)?;
    match (source, crate::rust_ty::resolve(cx.api, &f.ty)) {
        (crate::rust_ty::BodySource::Str, Ty::Format(x)) => {
            Some(format!("{:?}", crate::rust_ty::format(*x).sample_wire))
        }
        (crate::rust_ty::BodySource::Str, _) => crate::rust_ty::entry(cx.api, &f.ty).sample_rust(&cx.krate),
        (crate::rust_ty::BodySource::Items(_), Ty::Array(a)) => match crate::rust_ty::resolve(cx.api, &a.item) {
            Ty::Format(x) => Some(format!("[{:?}]", crate::rust_ty::format(*x).sample_wire)),
            _ => crate::rust_ty::entry(cx.api, &f.ty).sample_rust(&cx.krate),
        },
        _ => None,
    }
}

/// The setter calls of the settings' `readme.fields` on a struct.
fn setters(cx: &Cx<'_>, id: crate::ir::TypeId, fields: &[(String, String)]) -> String {
    let crate::ir::TypeKind::Struct(st) = &cx.api.types[id.0].kind else { return String::new() };
    let mut res = String::new();
    for (wire, value) in fields {
        if let Some(f) = st.fields.iter().find(|f| &f.name.wire == wire && !f.read_only) {
            let q = if crate::rust_ty::entry(cx.api, &f.ty).input().is_checked() { "?" } else { "" };
            res.push_str(&format!("\n    .{}({value:?}){q}", f.setter.name));
        }
    }
    res
}
