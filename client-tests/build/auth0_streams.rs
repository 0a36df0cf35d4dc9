//! The paged lists of `spec/openapi.yaml`, found in the IR by their
//! parameters (not by our paging lowering), written into
//! `OUT_DIR/auth0_streams.rs` for `tests/it/auth0_streams.rs`: one `Case`
//! per list (its route, the paging modes its parameters document, the
//! shapes of its answers, one sample item) and `walk`, which calls the
//! list's `*_stream` through the generated client with default parameters
//! (`walk_blocking`: its iterator twin on the blocking client).
//!
//! A list is a GET whose query parameters are `page` and `per_page`, or
//! `from` and `take`, and whose success body is an array, an object with an
//! array, or a union of those. A list without a stream gets a `walk` arm
//! that answers `None`, and the test fails naming it.

use std::fmt::Write as _;

use generator::ir::{Api, Operation, ParamLocation, PathPart, ResponseBody, Ty, TypeKind};
use serde_json::Value;

use crate::plan;

/// One shape of a list's answer.
enum Shape {
    Bare,
    /// An object: the wire name of its array field and of every other field.
    Object {
        key: String,
        fields: Vec<String>,
    },
}

/// The definition `ty` names, through aliases and `Option`.
fn named_kind<'a>(api: &'a Api, ty: &Ty) -> Option<&'a TypeKind> {
    match unalias(api, ty) {
        Ty::Named(id) => Some(api.definition(id)),
        Ty::Option(t) => named_kind(api, &t),
        _ => None,
    }
}

/// `ty` through named aliases (a union variant may be an alias of an array).
fn unalias(api: &Api, ty: &Ty) -> Ty {
    let mut ty = ty.clone();
    for _ in 0..8 {
        match &ty {
            Ty::Named(id) => match api.definition(*id) {
                TypeKind::Alias(t) => ty = t.clone(),
                _ => break,
            },
            _ => break,
        }
    }
    ty
}

/// The item type and shapes of a list body.
fn shapes(api: &Api, body: &Ty) -> Option<(Ty, Vec<Shape>)> {
    let one = |ty: &Ty| -> Option<(Ty, Shape)> {
        if let Ty::Array(a) = unalias(api, ty) {
            return Some((a.item.clone(), Shape::Bare));
        }
        let Some(TypeKind::Struct(st)) = named_kind(api, ty) else { return None };
        let arr = st.fields.iter().find(|f| matches!(f.ty, Ty::Array(_)))?;
        let Ty::Array(a) = &arr.ty else { return None };
        let fields = st.fields.iter().filter(|f| f.name.wire != arr.name.wire).map(|f| f.name.wire.clone()).collect();
        Some((a.item.clone(), Shape::Object { key: arr.name.wire.clone(), fields }))
    };
    let found: Vec<(Ty, Shape)> = match named_kind(api, body) {
        Some(TypeKind::Union(u)) => u.variants.iter().filter_map(|v| one(&v.ty)).collect(),
        _ => one(body).into_iter().collect(),
    };
    let item = found.first()?.0.clone();
    Some((item, found.into_iter().map(|(_, s)| s).collect()))
}

/// Is `ty` a plain string (through aliases)?
fn is_str(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::Str(_) => true,
        Ty::Named(id) => matches!(api.definition(*id), TypeKind::Alias(t) if is_str(api, t)),
        _ => false,
    }
}

/// The string field that identifies an item (`None`: the item is a
/// string): `log_id`, `id`, `user_id`, another `*_id`, `name`, else the
/// first string field.
fn id_field(api: &Api, item: &Ty) -> Result<Option<String>, String> {
    if is_str(api, item) {
        return Ok(None);
    }
    let st = match named_kind(api, item) {
        Some(TypeKind::Struct(st)) => st,
        Some(TypeKind::Union(u)) => match u.variants.first().and_then(|v| named_kind(api, &v.ty)) {
            Some(TypeKind::Struct(st)) => st,
            _ => return Err("the first variant of the item union is not a struct".into()),
        },
        _ => return Err("the item is neither a struct nor a string".into()),
    };
    let strings: Vec<&str> = st.fields.iter().filter(|f| is_str(api, &f.ty)).map(|f| f.name.wire.as_str()).collect();
    let pick = ["log_id", "id", "user_id"]
        .iter()
        .find(|n| strings.contains(n))
        .copied()
        .or_else(|| strings.iter().find(|n| n.ends_with("_id")).copied())
        .or_else(|| strings.iter().find(|n| **n == "name").copied())
        .or_else(|| strings.first().copied());
    pick.map(|s| Some(s.to_string())).ok_or_else(|| "the item has no string field".into())
}

/// A number a parameter's description gives (`Defaults to 5.`,
/// `20 by default`, `maximum of 20`), as Auth0's reference shows it.
fn described(text: &str, before: &[&str], after: &[&str]) -> Option<usize> {
    let t = text.to_ascii_lowercase().replace("<code>", "").replace("</code>", "");
    for b in before {
        if let Some(i) = t.find(b) {
            let n: String = t[i + b.len()..].trim_start().chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = n.parse() {
                return Some(n);
            }
        }
    }
    for a in after {
        if let Some(i) = t.find(a) {
            let head = t[..i].trim_end();
            let digits: String = head.chars().rev().take_while(char::is_ascii_digit).collect();
            let n: String = digits.chars().rev().collect();
            if let Ok(n) = n.parse() {
                return Some(n);
            }
        }
    }
    None
}

/// `(default, maximum)` of a page-size parameter: the schema's maximum,
/// else the description's; the description's default, else 50.
fn size_limits(op: &Operation, name: &str) -> Option<(usize, usize)> {
    let p = op.params.iter().find(|p| p.location == ParamLocation::Query && p.name.wire == name)?;
    let text = p.docs.summary.clone().unwrap_or_default() + " " + &p.docs.description.clone().unwrap_or_default();
    let default =
        described(&text, &["defaults to", "default value is", "default is", "default:"], &["by default", "by def"])
            .unwrap_or(50);
    let schema_max = match &p.ty {
        Ty::Int(i) => i.max.map(|m| m as usize),
        _ => None,
    };
    let text_max = described(&text, &["maximum of", "maximum value is", "max of"], &[]);
    let max = match (schema_max, text_max) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(100),
    };
    Some((default, max))
}

fn str_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("&[{}]", quoted.join(", "))
}

/// The `Case` literal and the `walk` arm of a list, or `None` when the
/// operation is not a list.
fn case(api: &Api, idx: usize, op: &Operation) -> Option<Result<CaseSource, String>> {
    if op.method.as_str() != "GET" {
        return None;
    }
    let has = |n: &str| op.params.iter().any(|p| p.location == ParamLocation::Query && p.name.wire == n);
    let offset = has("page") && has("per_page");
    let checkpoint = has("from") && has("take");
    if !offset && !checkpoint {
        return None;
    }
    let body = op.successes().find_map(|r| match &r.body {
        ResponseBody::Json(t) => Some(t.clone()),
        _ => None,
    })?;
    let (item, shapes) = shapes(api, &body)?;
    Some(case_of(api, idx, op, &item, &shapes, offset, checkpoint))
}

/// The `Case` literal, and the `walk` and `walk_blocking` arms.
type CaseSource = (String, (String, String));

fn case_of(
    api: &Api,
    idx: usize,
    op: &Operation,
    item: &Ty,
    shapes: &[Shape],
    offset: bool,
    checkpoint: bool,
) -> Result<CaseSource, String> {
    let id = id_field(api, item).map_err(|e| format!("{}: {e}", op.name.wire))?;
    let sample = plan::sample_response(api, item);
    let bare = shapes.iter().any(|s| matches!(s, Shape::Bare));
    let objects: Vec<(&String, &Vec<String>)> = shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Object { key, fields } => Some((key, fields)),
            Shape::Bare => None,
        })
        .collect();
    let object = |pick: &dyn Fn(&Vec<String>) -> bool| -> String {
        match objects.iter().find(|(_, f)| pick(f)) {
            Some((key, fields)) => format!("Some(Object {{ key: {key:?}, fields: {} }})", str_list(fields)),
            None => "None".into(),
        }
    };
    let mut path = String::new();
    let mut args = String::new();
    let mut call = Vec::new();
    for part in &op.path {
        match part {
            PathPart::Literal(s) => path.push_str(s),
            PathPart::Param(i) => {
                let p = &op.params[*i];
                let v = plan::sample_request(api, &p.ty);
                let text = match &v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                path.push_str(&text);
                let n = call.len();
                let json = serde_json::to_string(&v).map_err(|e| e.to_string())?;
                // As the conformance dispatcher passes path arguments.
                match &p.ty {
                    Ty::Str(_) => {
                        let _ = writeln!(args, "let a{n}: String = serde_json::from_str({json:?}).unwrap();");
                        call.push(format!("&a{n}"));
                    }
                    ty @ (Ty::Bool | Ty::Int(_) | Ty::Float(_)) if !plan::validates(ty) => {
                        let _ = writeln!(args, "let a{n} = serde_json::from_str({json:?}).unwrap();");
                        call.push(format!("a{n}"));
                    }
                    _ => {
                        let _ = writeln!(args, "let a{n} = serde_json::from_str({json:?}).unwrap();");
                        call.push(format!("&a{n}"));
                    }
                }
            }
        }
    }
    // Default parameters: a params struct with required fields (the user of
    // `GET /refresh-tokens`) gets sample values for those only.
    let required: Vec<_> = op.params.iter().filter(|p| p.location != ParamLocation::Path && p.required).collect();
    match &op.params_struct {
        Some(ps) if !required.is_empty() => {
            let module = &op.group[0].rust;
            let _ = writeln!(args, "let p = auth0_management_api::operations::{module}::{ps} {{");
            for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
                let v = if p.required { plan::sample_request(api, &p.ty) } else { Value::Null };
                let json = serde_json::to_string(&v).map_err(|e| e.to_string())?;
                let _ = writeln!(args, "r#{}: serde_json::from_str({json:?}).unwrap(),", p.name.rust);
            }
            let _ = writeln!(args, "}};");
            call.push("&p".into());
        }
        _ => call.push("&Default::default()".into()),
    }
    let offset_lit = if offset {
        let (default, max) = size_limits(op, "per_page").unwrap_or((50, 100));
        let p = op.params.iter().find(|p| p.name.wire == "per_page");
        let text = p.map(|p| format!("{:?} {:?}", p.docs.summary, p.docs.description)).unwrap_or_default();
        let disabled = text.contains("Paging is disabled if parameter not sent");
        let totals = op.params.iter().any(|p| p.location == ParamLocation::Query && p.name.wire == "include_totals");
        let obj =
            object(&|f: &Vec<String>| f.iter().any(|n| ["total", "start", "limit", "length"].contains(&n.as_str())));
        let obj = if obj == "None" { object(&|f: &Vec<String>| !f.iter().any(|n| n == "next")) } else { obj };
        format!(
            "Some(Offset {{ totals_param: {totals}, default: {default}, max: {max}, disabled_without_per_page: {disabled}, object: {obj} }})"
        )
    } else {
        "None".into()
    };
    let checkpoint_lit = if checkpoint {
        let (default, max) = size_limits(op, "take").unwrap_or((50, 100));
        let obj = object(&|f: &Vec<String>| f.iter().any(|n| n == "next"));
        if obj == "None" && !bare {
            return Err(format!("{}: a checkpoint list with neither `next` nor a bare array", op.name.wire));
        }
        format!("Some(Checkpoint {{ default: {default}, max: {max}, object: {obj} }})")
    } else {
        "None".into()
    };
    let chain: String = op.group.iter().map(|g| format!(".r#{}()", g.rust)).collect();
    let stream = format!("{}_stream", op.name.rust);
    let shown = format!("{}.{stream}", op.group.iter().map(|g| g.rust.clone()).collect::<Vec<_>>().join("."));
    let item_json = serde_json::to_string(&sample).map_err(|e| e.to_string())?;
    let lit = format!(
        "Case {{ id: {:?}, stream: {shown:?}, route: {:?}, path: {path:?}, bare: {bare}, offset: {offset_lit}, \
         checkpoint: {checkpoint_lit}, item: {item_json:?}, id_field: {id:?}, has_stream: {} }},\n",
        op.name.wire,
        op.route,
        op.stream_paging().is_some()
    );
    let arms = if op.stream_paging().is_some() {
        let call = call.join(", ");
        (
            format!("{idx} => {{\n{args}Some(walked(c{chain}.r#{stream}({call}), limit).await)\n}}\n"),
            format!("{idx} => {{\n{args}Some(walked_iter(c{chain}.r#{stream}({call}), limit))\n}}\n"),
        )
    } else {
        (String::new(), String::new())
    };
    Ok((lit, arms))
}

/// The source of `OUT_DIR/auth0_streams.rs`.
pub fn source(api: &Api) -> Result<String, String> {
    let mut cases = String::new();
    let mut arms = String::new();
    let mut blocking = String::new();
    let mut n = 0;
    for op in &api.operations {
        let Some(c) = case(api, n, op) else { continue };
        let (lit, (arm, blocking_arm)) = c?;
        cases.push_str(&lit);
        arms.push_str(&arm);
        blocking.push_str(&blocking_arm);
        n += 1;
    }
    Ok(format!(
        "/// Every paged list of `spec/openapi.yaml`, in spec order.\n\
         pub(crate) const CASES: &[Case] = &[\n{cases}];\n\n\
         /// Walks the stream of `CASES[idx]` with default parameters, at most\n\
         /// `limit` items; `None`: the list has no stream.\n\
         pub(crate) async fn walk(c: &auth0_management_api::Client, idx: usize, limit: usize) -> Option<Vec<Result<serde_json::Value, String>>> {{\n\
         match idx {{\n{arms}_ => None,\n}}\n}}\n\n\
         /// `walk` through the blocking client: the streams' iterator twins.\n\
         pub(crate) fn walk_blocking(c: &auth0_management_api::BlockingClient, idx: usize, limit: usize) -> Option<Vec<Result<serde_json::Value, String>>> {{\n\
         match idx {{\n{blocking}_ => None,\n}}\n}}\n"
    ))
}
