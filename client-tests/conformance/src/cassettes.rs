//! go-vcr cassettes and route templates, shared by the recordings replay
//! (`recordings.rs`) and the decode bench (`xtask/src/bench_decode.rs`,
//! which includes this file by path): the cassette files of a folder, and
//! which route template a recorded path matches. Depends on the standard
//! library and the generator's YAML loader only.

use std::path::Path;

use generator::value::Value;

/// Every `*.yaml` cassette of `dir`, in file-name order: its file name and
/// its document.
pub fn read_cassettes(dir: &Path) -> Result<Vec<(String, Value)>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let doc = generator::load::load(&name, &bytes).map_err(|d| d.to_string())?;
        out.push((name, doc));
    }
    Ok(out)
}

/// How well `path` (below the API's base path, still percent-encoded)
/// fits the route template `route`: the number of its literal segments and
/// the path's segments where the template has parameters, or `None` when
/// it does not fit. Callers keep the template with the most literal
/// segments (`/users/search` over `/users/{id}`).
pub fn route_fit<'p>(route: &str, path: &'p str) -> Option<(usize, Vec<&'p str>)> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let template: Vec<&str> = route.split('/').collect();
    if template.len() != segments.len() {
        return None;
    }
    let mut literal = 0;
    let mut args = Vec::new();
    for (r, s) in template.iter().zip(&segments) {
        if r.starts_with('{') && r.ends_with('}') {
            if s.is_empty() {
                return None;
            }
            args.push(*s);
        } else if r == s {
            literal += 1;
        } else {
            return None;
        }
    }
    Some((literal, args))
}

/// The index of the best-fitting of `routes` (`(method, template)` pairs)
/// for a recorded `method` and `path`, and the path's parameter segments;
/// the first of equally good ones.
pub fn best_route<'r, 'p>(
    routes: impl Iterator<Item = (&'r str, &'r str)>,
    method: &str,
    path: &'p str,
) -> Option<(usize, Vec<&'p str>)> {
    let mut best: Option<(usize, usize, Vec<&'p str>)> = None;
    for (idx, (m, route)) in routes.enumerate() {
        if m != method {
            continue;
        }
        if let Some((literal, args)) = route_fit(route, path) {
            if best.as_ref().is_none_or(|(_, l, _)| literal > *l) {
                best = Some((idx, literal, args));
            }
        }
    }
    best.map(|(idx, _, args)| (idx, args))
}
