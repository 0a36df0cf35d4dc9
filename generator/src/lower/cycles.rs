//! Breaking reference cycles: fields and variants on a cycle are boxed, and
//! recursive aliases (which Rust cannot express) become `serde_json::Value`.
//! Cycles are strongly connected components, found in one linear pass.

use crate::diag::Diagnostics;
use crate::ir::{Api, Ty, TypeKind};

/// Marks struct fields and union variants that must be boxed to break
/// recursion, and replaces recursive type aliases (which Rust cannot
/// express) with `serde_json::Value`.
pub(crate) fn break_cycles(api: &mut Api, diags: &mut Diagnostics) {
    let n = api.types.len();
    // Aliases that reach themselves through other aliases only.
    let alias_edges: Vec<Vec<usize>> = (0..n)
        .map(|i| match &api.types[i].kind {
            TypeKind::Alias(ty) => {
                let mut res = Vec::new();
                crate::ir_visit::walk(ty, &mut |t| {
                    if let Ty::Named(id) = t {
                        if matches!(api.types[id.0].kind, TypeKind::Alias(_)) {
                            res.push(id.0);
                        }
                    }
                });
                res
            }
            _ => Vec::new(),
        })
        .collect();
    // Strongly connected components, not a search per type: a search per
    // field is quadratic, minutes for a hostile spec of 100,000 types.
    let alias_scc = scc(&alias_edges);
    let mut alias_scc_len = vec![0usize; n];
    for c in &alias_scc {
        alias_scc_len[*c] += 1;
    }
    for i in 0..n {
        if alias_scc_len[alias_scc[i]] > 1 || alias_edges[i].contains(&i) {
            diags.warning(&api.types[i].pointer, "recursive type alias falls back to serde_json::Value");
            api.types[i].kind = TypeKind::Alias(Ty::Json);
        }
    }
    // Inline containment: a struct field or union variant holding a type by value.
    let direct = |ty: &Ty| -> Option<usize> {
        match ty {
            Ty::Named(id) => Some(id.0),
            Ty::Option(inner) => match &**inner {
                Ty::Named(id) => Some(id.0),
                _ => None,
            },
            _ => None,
        }
    };
    let edges: Vec<Vec<usize>> = api
        .types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
            TypeKind::Union(u) => u.variants.iter().filter_map(|v| direct(&v.ty)).collect(),
            TypeKind::Alias(ty) => direct(ty).into_iter().collect(),
            // Deduplication runs after cycle breaking: there are none yet.
            TypeKind::Enum(_) | TypeKind::SameShape(_) => Vec::new(),
        })
        .collect();
    // A field `i -> target` is on a cycle when `target` reaches `i`, that is
    // when both are in one component.
    let comp = scc(&edges);
    for i in 0..n {
        let targets: Vec<(usize, usize)> = match &api.types[i].kind {
            TypeKind::Struct(s) => {
                s.fields.iter().enumerate().filter_map(|(fi, f)| direct(&f.ty).map(|t| (fi, t))).collect()
            }
            TypeKind::Union(u) => {
                u.variants.iter().enumerate().filter_map(|(vi, v)| direct(&v.ty).map(|t| (vi, t))).collect()
            }
            _ => Vec::new(),
        };
        for (idx, target) in targets {
            if comp[target] == comp[i] {
                match &mut api.types[i].kind {
                    TypeKind::Struct(s) => s.fields[idx].boxed = true,
                    TypeKind::Union(u) => u.variants[idx].boxed = true,
                    _ => {}
                }
            }
        }
    }
}

/// The strongly connected component of every node (Tarjan's algorithm,
/// iterative so that long chains cannot overflow the stack).
fn scc(edges: &[Vec<usize>]) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![NONE; n];
    let mut stack = Vec::new();
    let (mut next_index, mut n_comps) = (0, 0);
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge_idx)) = work.last_mut() {
            if let Some(&w) = edges[v].get(*edge_idx) {
                *edge_idx += 1;
                if index[w] == NONE {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = n_comps;
                    if w == v {
                        break;
                    }
                }
                n_comps += 1;
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::scc;

    #[test]
    fn scc_finds_cycles_and_survives_long_chains() {
        // 0 -> 1 -> 2 -> 0 is a cycle, 3 -> 0 is not on it, 4 loops on itself.
        let c = scc(&[vec![1], vec![2], vec![0], vec![0], vec![4]]);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        let chain: Vec<Vec<usize>> =
            (0..1_000_000).map(|i| if i + 1 < 1_000_000 { vec![i + 1] } else { vec![0] }).collect();
        let c = scc(&chain);
        assert!(c.iter().all(|x| *x == c[0]));
    }
}
