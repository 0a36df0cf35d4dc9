//! Cargo features per top-level operation group: which groups there are,
//! which groups reach each named type, and the `#[cfg]` attributes that put
//! a group's operations and the types only some groups use behind their
//! features. `full` (the default) turns every group on.
//!
//! The one home of these decisions: `types.rs`, `operations.rs`,
//! `client.rs` and `files.rs` only ask for the attribute or the table.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use crate::ir::{Api, ResponseBody, Ty};

/// Specs with more top-level groups than this get only `full`: a feature
/// list that long helps nobody, and reachability is a walk per group.
const MAX_GROUPS: usize = 300;

/// How far above the mean load a part may grow before a group that ranks
/// it first goes to its next choice (`Features::split`).
const LOAD_CAP: f64 = 1.3;

/// The most part crates a client is split into (`Features::homes` keeps a
/// type's parts in a `u64`).
const MAX_PARTS: usize = 64;

/// The features of a crate and what each named type needs.
pub(crate) struct Features {
    /// Top-level groups by Rust name, sorted, with their feature names.
    groups: Vec<(String, String)>,
    /// Per named type, the indices into `groups` of the groups that reach
    /// it, ascending; `None` when every group does (or there are no groups).
    reach: Vec<Option<Vec<usize>>>,
    /// Per group, the part crate that holds it, when the client is split
    /// into parts ([`Features::split`]); empty otherwise.
    part_of_group: Vec<usize>,
    /// How many part crates there are (0: one crate).
    parts: usize,
    /// Per named type, its crate when the client is split.
    homes: Vec<Home>,
    /// Whether groups and types are behind their features at all
    /// ([`Features::ungate`]).
    gated: bool,
}

/// Which crate of a split client an item goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Home {
    /// The crate of shared types: reached by groups of several parts, by
    /// every group, or by none.
    Common,
    /// Part `k` (from 0): its groups, and the types only they reach.
    Part(usize),
}

impl Features {
    pub(crate) fn new(api: &Api) -> Self {
        let mut names: Vec<&str> =
            api.operations.iter().filter_map(|o| o.group.first()).map(|g| g.rust.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        if names.len() > MAX_GROUPS {
            names.clear();
        }
        let groups: Vec<(String, String)> =
            names.iter().map(|n| (n.to_string(), crate::naming::feature_name(n))).collect();
        let reach = reachability(api, &names);
        Features { groups, reach, part_of_group: Vec::new(), parts: 0, homes: Vec::new(), gated: true }
    }

    /// Puts nothing behind a feature: every group and type is in, as with
    /// `full`. The single-file layout's: the crate that includes the file
    /// declares none of the groups' features (only the runtime's own).
    pub(crate) fn ungate(&mut self) {
        self.gated = false;
    }

    /// Splits the client into up to `parts` crates of whole top-level groups
    /// (and one of shared types): into fewer parts when it has fewer than
    /// `2 * parts` groups or `parts` is above [`MAX_PARTS`], not at all when
    /// it has fewer than four groups (or `parts` is below 2).
    ///
    /// Each group ranks the parts by a hash of its name and the part's
    /// number (rendezvous hashing) and, taken in name order, goes to the
    /// first part in its ranking with room for its weight (the types it
    /// reaches and its operations) below [`LOAD_CAP`] times the mean load,
    /// else to the lightest part. A group's part so depends on its name and
    /// on little else: a change to one group moves another only where a
    /// part is near full, and shows in review as a plain diff (filling the
    /// lightest part, heaviest group first, balances better but one field
    /// more reshuffles every group after it). A part no group takes is left
    /// out.
    pub(crate) fn split(&mut self, api: &Api, parts: usize) {
        let parts = parts.min(MAX_PARTS).min(self.groups.len() / 2);
        if parts < 2 {
            return;
        }
        // A group weighs its operations and the code of the types it
        // reaches, a type shared by several groups weighing on each a share.
        // A type no group reaches weighs on the groups of the types it holds.
        let mut weight = vec![0usize; self.groups.len()];
        for (idx, def) in api.types.iter().enumerate() {
            let groups = match &self.reach[idx] {
                Some(g) if g.is_empty() => held_groups(&def.kind, &self.reach),
                Some(g) => g.clone(),
                None => continue,
            };
            let share = type_weight(&def.kind) / groups.len().max(1);
            for g in groups {
                weight[g] += share;
            }
        }
        for op in &api.operations {
            if let Some(g) = op.group.first().and_then(|g| self.group_index(&g.rust)) {
                weight[g] += 120 + 10 * op.params.len();
            }
        }
        let total: usize = weight.iter().sum();
        let cap = (total as f64 * LOAD_CAP / parts as f64) as usize;
        let mut load = vec![0usize; parts];
        let mut picked = vec![0usize; self.groups.len()];
        for (g, (name, _)) in self.groups.iter().enumerate() {
            let part = (0..parts)
                .filter(|&p| load[p] + weight[g] <= cap)
                .max_by_key(|&p| (rank(name, p), std::cmp::Reverse(p)))
                .unwrap_or_else(|| (0..parts).min_by_key(|&p| (load[p], p)).unwrap_or(0));
            load[part] += weight[g];
            picked[g] = part;
        }
        // The parts in use, renumbered from 0 in order.
        let mut used = picked.clone();
        used.sort_unstable();
        used.dedup();
        if used.len() < 2 {
            return;
        }
        self.part_of_group = picked.iter().map(|p| used.binary_search(p).unwrap_or(0)).collect();
        self.parts = used.len();
        self.homes = self.homes(api);
    }

    /// Where each type goes. A type reached by the groups of one part goes
    /// there. One no group reaches goes to the part of the types it holds,
    /// when they are of one part. Every other type goes to the common
    /// crate, and so does everything a type there holds: the common crate
    /// depends on no part.
    fn homes(&self, api: &Api) -> Vec<Home> {
        let edges: Vec<Vec<usize>> = api.types.iter().map(|d| crate::ir_visit::named_refs(&d.kind)).collect();
        let by_reach = |idx: usize| -> Option<Home> {
            match &self.reach[idx] {
                Some(groups) if groups.is_empty() => None,
                Some(groups) => {
                    let k = self.part_of_group[groups[0]];
                    Some(if groups.iter().all(|&g| self.part_of_group[g] == k) { Home::Part(k) } else { Home::Common })
                }
                None => Some(Home::Common),
            }
        };
        // For each type no group reaches, the parts of the reached types it
        // holds, directly or not, as a bit set: grown to a fixpoint along
        // "is held by" edges, each set growing at most once per part, so
        // the work is linear in the edges (times the parts).
        let n = edges.len();
        let mut held_by: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (t, refs) in edges.iter().enumerate() {
            for &u in refs {
                held_by[u].push(t);
            }
        }
        let mut mask = vec![0u64; n];
        let mut work: Vec<usize> = (0..n).filter(|&t| by_reach(t).is_none()).collect();
        while let Some(t) = work.pop() {
            let mut m = mask[t];
            for &u in &edges[t] {
                m |= match by_reach(u) {
                    Some(Home::Part(k)) => 1 << k,
                    Some(Home::Common) => 0,
                    None => mask[u],
                };
            }
            if m != mask[t] {
                mask[t] = m;
                work.extend(held_by[t].iter().copied().filter(|&h| by_reach(h).is_none()));
            }
        }
        let mut homes: Vec<Home> = (0..n)
            .map(|t| {
                by_reach(t).unwrap_or(if mask[t].count_ones() == 1 {
                    Home::Part(mask[t].trailing_zeros() as usize)
                } else {
                    Home::Common
                })
            })
            .collect();
        let mut work: Vec<usize> = (0..homes.len()).filter(|&t| homes[t] == Home::Common).collect();
        while let Some(t) = work.pop() {
            for &u in &edges[t] {
                if homes[u] != Home::Common {
                    homes[u] = Home::Common;
                    work.push(u);
                }
            }
        }
        homes
    }

    /// How many part crates the client is split into (0: it is one crate).
    pub(crate) fn parts(&self) -> usize {
        self.parts
    }

    /// The index of the top-level group `rust_name` (`groups` is sorted).
    fn group_index(&self, rust_name: &str) -> Option<usize> {
        self.groups.binary_search_by(|(g, _)| g.as_str().cmp(rust_name)).ok()
    }

    /// The top-level groups of part `k`, by Rust name, with their features.
    fn part_members(&self, k: usize) -> impl Iterator<Item = &(String, String)> + '_ {
        self.groups.iter().zip(&self.part_of_group).filter(move |(_, &p)| p == k).map(|(g, _)| g)
    }

    /// The Rust names of the top-level groups of part `k`, sorted.
    pub(crate) fn part_groups(&self, k: usize) -> impl Iterator<Item = &str> + '_ {
        self.part_members(k).map(|(g, _)| g.as_str())
    }

    /// The crate of the top-level group `rust_name`.
    pub(crate) fn group_home(&self, rust_name: &str) -> Home {
        match self.group_index(rust_name) {
            Some(i) if self.parts > 0 => Home::Part(self.part_of_group[i]),
            _ => Home::Common,
        }
    }

    /// The crate of the named type `idx` (see `homes`).
    pub(crate) fn type_home(&self, idx: usize) -> Home {
        self.homes.get(idx).copied().unwrap_or(Home::Common)
    }

    /// The `[features]` table of part `k`: its groups, each turning on its
    /// types in the common crate, so that the part builds on its own (as
    /// docs.rs and `cargo build -p` build it); `full` also turns on the
    /// common types no group reaches, which the part's own may hold.
    pub(crate) fn part_manifest_table(&self, k: usize, common: &str) -> String {
        let own: Vec<&str> = self.part_members(k).map(|(_, f)| f.as_str()).collect();
        let rows = own.iter().map(|f| (*f, format!("\"{common}/{f}\"")));
        table("", &own, &[format!("{common}/full")], rows)
    }

    /// The `[features]` table of the crate that re-exports the parts: each
    /// group turns on its feature in its part (which turns on the common
    /// crate's), and `full` every part's `full`.
    pub(crate) fn facade_manifest_table(&self, part: impl Fn(usize) -> String) -> String {
        let all: Vec<&str> = self.groups.iter().map(|(_, f)| f.as_str()).collect();
        let parts: Vec<String> = (0..self.parts).map(|k| format!("{}/full", part(k))).collect();
        let rows = self
            .groups
            .iter()
            .zip(&self.part_of_group)
            .map(|((_, f), &p)| (f.as_str(), format!("\"{}/{f}\"", part(p))));
        table(FULL_COMMENT, &all, &parts, rows)
    }

    /// The `[features]` table of the manifest, ending with a newline.
    pub(crate) fn manifest_table(&self) -> String {
        let all: Vec<&str> = self.groups.iter().map(|(_, f)| f.as_str()).collect();
        table(FULL_COMMENT, &all, &[], all.iter().map(|f| (*f, String::new())))
    }

    /// `#[cfg(feature = "..")]` of the top-level group `rust_name`.
    pub(crate) fn group_cfg(&self, rust_name: &str) -> TokenStream {
        if !self.gated {
            return TokenStream::new();
        }
        match self.group_index(rust_name).map(|i| &self.groups[i]) {
            Some((_, f)) => quote!(#[cfg(feature = #f)]),
            None => quote!(#[cfg(feature = "full")]),
        }
    }

    /// The attribute of the named type `idx`: nothing when every group
    /// reaches it, else `#[cfg(any(..))]` of the groups that do (`full`
    /// for a type no operation reaches).
    pub(crate) fn type_cfg(&self, idx: usize) -> TokenStream {
        if !self.gated {
            return TokenStream::new();
        }
        match self.reach.get(idx) {
            Some(Some(groups)) if groups.is_empty() => quote!(#[cfg(feature = "full")]),
            Some(Some(groups)) if groups.len() == 1 => {
                let f = &self.groups[groups[0]].1;
                quote!(#[cfg(feature = #f)])
            }
            Some(Some(groups)) => {
                let fs = groups.iter().map(|&g| self.groups[g].1.as_str());
                quote!(#[cfg(any(#(feature = #fs),*))])
            }
            _ => TokenStream::new(),
        }
    }
}

/// The comment above `full` in the manifest of the crate users depend on.
const FULL_COMMENT: &str =
    "# Every operation group. Each group alone: `default-features = false, features = [\"<group>\"]`.\n";

/// A `[features]` table: `full` (the default, headed by `comment`) turns on
/// `groups` and `also`, and each row is a feature and what it turns on
/// (already quoted, comma-separated; empty for nothing).
fn table<'a>(comment: &str, groups: &[&str], also: &[String], rows: impl Iterator<Item = (&'a str, String)>) -> String {
    let full: Vec<String> =
        groups.iter().map(|f| f.to_string()).chain(also.iter().cloned()).map(|f| format!("\"{f}\"")).collect();
    let mut out = format!("[features]\ndefault = [\"full\"]\n{comment}full = [{}]\n", full.join(", "));
    for (f, on) in rows {
        out.push_str(&format!("{f} = [{on}]\n"));
    }
    out
}

/// How highly part `part` ranks for the group `group` (FNV-1a of the name
/// and the part's number, then a 64-bit finalizer so nearby inputs spread):
/// fixed by the two alone, on every machine and Rust release.
fn rank(group: &str, part: usize) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in group.bytes().chain((part as u64).to_le_bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

/// The groups that reach the types a type holds, for a type no group
/// reaches itself (only its own fields and variants: a weight, not a home).
fn held_groups(kind: &crate::ir::TypeKind, reach: &[Option<Vec<usize>>]) -> Vec<usize> {
    let mut groups = std::collections::BTreeSet::new();
    for u in crate::ir_visit::named_refs(kind) {
        groups.extend(reach[u].iter().flatten().copied());
    }
    groups.into_iter().collect()
}

/// About how much code a type's definition makes (a struct's serde, `Debug`
/// and setters grow with its fields; a union's with its variants), in the
/// units `Features::split` weighs groups in (an operation is 120 + 10 per
/// parameter).
fn type_weight(kind: &crate::ir::TypeKind) -> usize {
    use crate::ir::TypeKind;
    match kind {
        TypeKind::Struct(s) => 60 + 20 * s.fields.len(),
        TypeKind::Enum(e) => 30 + 3 * e.variants.len(),
        TypeKind::Union(u) => 60 + 30 * u.variants.len(),
        TypeKind::Alias(_) => 10,
        TypeKind::SameShape(_) => 5,
    }
}

/// Per named type, the groups (indices into `groups`) whose operations
/// reach it through parameters, bodies, responses and the types those hold.
/// One walk per group, so the work is the number of groups (bounded by
/// [`MAX_GROUPS`]) times the size of the API.
fn reachability(api: &Api, groups: &[&str]) -> Vec<Option<Vec<usize>>> {
    let n = api.types.len();
    if groups.is_empty() {
        return vec![None; n];
    }
    let edges: Vec<Vec<usize>> = api.types.iter().map(|d| crate::ir_visit::named_refs(&d.kind)).collect();
    let mut roots: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for op in &api.operations {
        let Some(g) = op.group.first().and_then(|g| groups.binary_search(&g.rust.as_str()).ok()) else { continue };
        let mut push = |ty: &Ty| {
            crate::ir_visit::walk(ty, &mut |t| {
                if let Ty::Named(id) = t {
                    roots[g].push(id.0);
                }
            })
        };
        op.params.iter().for_each(|p| push(&p.ty));
        op.body.iter().flat_map(|b| b.contents.iter()).for_each(|c| push(&c.ty));
        op.paging.iter().for_each(|p| push(&p.item));
        for r in &op.responses {
            if let ResponseBody::Json(ty) | ResponseBody::EventStream(ty) = &r.body {
                push(ty);
            }
        }
    }
    let mut reach: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut seen = vec![usize::MAX; n];
    for (g, roots) in roots.into_iter().enumerate() {
        let mut work = roots;
        while let Some(t) = work.pop() {
            if seen[t] == g {
                continue;
            }
            seen[t] = g;
            reach[t].push(g);
            work.extend(edges[t].iter().copied().filter(|&u| seen[u] != g));
        }
    }
    reach.into_iter().map(|r| if r.len() == groups.len() { None } else { Some(r) }).collect()
}

/// `items` with `cfg` in front of each top-level item, so that every item
/// a type emits (the type, its impls, its macro calls) shares its `cfg`.
/// An item ends at a top-level `;` or at a top-level `{..}` (with a `;`
/// right after it); attributes stay with the item they precede.
pub(crate) fn each_item(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items;
    }
    let mut out = TokenStream::new();
    let mut item: Vec<TokenTree> = Vec::new();
    // After a top-level `=` (`pub type A = B<{ .. }>;`) only `;` ends it.
    let mut assigns = false;
    let mut tokens = items.into_iter().peekable();
    while let Some(tt) = tokens.next() {
        let ends = match &tt {
            TokenTree::Punct(p) => {
                assigns |= p.as_char() == '=';
                p.as_char() == ';'
            }
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace && !assigns,
            _ => false,
        };
        item.push(tt);
        if ends {
            if let Some(TokenTree::Punct(p)) = tokens.peek() {
                if p.as_char() == ';' {
                    item.extend(tokens.next());
                }
            }
            out.extend(cfg.clone());
            out.extend(item.drain(..));
            assigns = false;
        }
    }
    if !item.is_empty() {
        out.extend(cfg.clone());
        out.extend(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_gets_the_cfg() {
        let cfg = quote!(#[cfg(feature = "users")]);
        let items = quote! {
            #[doc = " A."]
            pub struct A { pub x: u8 }
            rt::serde_struct!(A { x: "x" req Option<u8> = 0 });
            impl A { pub fn new(x: u8) -> Self { Self { x } } }
            pub type B = A;
            pub type E = rt::BoundedFloat<{ rt::bits(0.5) }>;
            pub struct C;
        };
        let out = each_item(&cfg, items).to_string();
        assert_eq!(out.matches("cfg (feature = \"users\")").count(), 6, "{out}");
        assert!(out.starts_with("# [cfg (feature = \"users\")] # [doc = \" A.\"] pub struct A"), "{out}");
        assert!(
            each_item(
                &TokenStream::new(),
                quote!(
                    pub struct D;
                )
            )
            .to_string()
                == "pub struct D ;"
        );
    }
}
