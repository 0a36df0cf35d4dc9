//! Names of pattern marker types by what the pattern is for, not by the
//! first schema that used it.
//!
//! A pattern is one marker type however many fields share it, so the name
//! of the first use (`ChangePasswordTicketIdentityConnectionIdPattern` for
//! every Auth0 connection id) misleads at every other use. Every use is
//! recorded while lowering ([`PatternUse`]); at the end each marker takes the
//! first free name of, in order:
//! 1. the component schema that is the pattern's string (`ConnectionName`
//!    gives `ConnectionNamePattern`);
//! 2. the field name most of its uses have, when no other pattern is used
//!    by a field of that name (`phone_number` gives `PhoneNumberPattern`;
//!    `id` names many patterns, so it names none);
//! 3. the shortest of its uses' names (the parent type and field);
//! 4. the name it was given at its first use.
//!
//! A name is free when no type has it and no other marker has it or had it
//! first, so that the fallback never collides. Markers are named in the
//! order they were found, which keeps the result deterministic.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::PatternDef;
use crate::naming;
use crate::pointer::Pointer;

/// Where a pattern is used.
#[derive(Debug, Clone)]
pub(crate) struct PatternUse {
    /// The component schema whose string has the pattern.
    schema: Option<String>,
    /// The property whose string has the pattern.
    field: Option<String>,
    /// The name hint of the use (parent type and field).
    hint: String,
}

impl PatternUse {
    /// A use at the schema `ptr` named by `hint`.
    pub(crate) fn at(ptr: &Pointer, hint: &str) -> Self {
        let tokens: Vec<String> = ptr.tokens().collect();
        let schema = match tokens.as_slice() {
            [c, s, name] if c == "components" && s == "schemas" => Some(name.clone()),
            _ => None,
        };
        let field = match tokens.as_slice() {
            [.., p, name] if p == "properties" => Some(name.clone()),
            _ => None,
        };
        PatternUse { schema, field, hint: hint.to_string() }
    }
}

/// Renames `patterns` (whose uses are `uses`, by pattern index) by the
/// rules above; `types` are the names of all other types.
pub(crate) fn rename(patterns: &mut [PatternDef], uses: &[Vec<PatternUse>], types: &BTreeSet<String>) {
    // Field names used by more than one pattern name none.
    let mut field_patterns: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (i, us) in uses.iter().enumerate() {
        for u in us {
            if let Some(f) = &u.field {
                field_patterns.entry(f.as_str()).or_default().insert(i);
            }
        }
    }
    let first: BTreeSet<String> = patterns.iter().map(|p| p.rust.clone()).collect();
    let mut chosen = BTreeSet::new();
    for (i, p) in patterns.iter_mut().enumerate() {
        let us = uses.get(i).map(Vec::as_slice).unwrap_or_default();
        let free = |name: &String| {
            !types.contains(name) && !chosen.contains(name) && (*name == p.rust || !first.contains(name))
        };
        let name = candidates(us, &field_patterns)
            .into_iter()
            .map(|base| naming::type_name(&format!("{base}Pattern")))
            .find(free)
            .unwrap_or_else(|| p.rust.clone());
        chosen.insert(name.clone());
        p.rust = name;
    }
}

/// The names to try, best first (rules 1 to 3).
fn candidates(uses: &[PatternUse], field_patterns: &BTreeMap<&str, BTreeSet<usize>>) -> Vec<String> {
    let mut res: Vec<String> = uses.iter().filter_map(|u| u.schema.clone()).take(1).collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in uses.iter().filter_map(|u| u.field.as_deref()) {
        *counts.entry(f).or_default() += 1;
    }
    let top = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
    if let Some((field, n)) = top {
        if n * 2 > uses.len() && field_patterns.get(field).is_some_and(|s| s.len() == 1) {
            res.push(naming::type_name(field));
        }
    }
    if let Some(short) = uses.iter().map(|u| u.hint.as_str()).min_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b))) {
        res.push(short.to_string());
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(rust: &str) -> PatternDef {
        PatternDef { rust: rust.into(), source: String::new() }
    }

    fn at(ptr: &str, hint: &str) -> PatternUse {
        PatternUse::at(&Pointer::from_ref(ptr).unwrap(), hint)
    }

    #[test]
    fn a_marker_is_named_by_its_schema_then_its_field_then_its_shortest_use() {
        let mut patterns =
            vec![def("AFirstUsePattern"), def("BFirstUsePattern"), def("CFirstPattern"), def("DPattern")];
        let uses = vec![
            vec![
                at("#/components/schemas/A/properties/name", "AName"),
                at("#/components/schemas/ConnectionName", "ConnectionName"),
            ],
            vec![
                at(
                    "#/components/schemas/Ticket/properties/identity/properties/phone_number",
                    "TicketIdentityPhoneNumber",
                ),
                at("#/components/schemas/User/properties/phone_number", "UserPhoneNumber"),
            ],
            // `id` is the field of two patterns: it names neither.
            vec![
                at("#/components/schemas/Group/properties/id", "Group"),
                at("#/components/schemas/Grp/properties/id", "GrpId"),
            ],
            vec![at("#/components/schemas/Role/properties/id", "RoleId")],
        ];
        rename(&mut patterns, &uses, &BTreeSet::from(["RoleIdPattern".to_string()]));
        let names: Vec<&str> = patterns.iter().map(|p| p.rust.as_str()).collect();
        // The last one's candidate is a type's name: it keeps its first name.
        assert_eq!(names, ["ConnectionNamePattern", "PhoneNumberPattern", "GroupPattern", "DPattern"]);
    }

    #[test]
    fn no_marker_takes_a_name_another_had_first() {
        let mut patterns = vec![def("XPattern"), def("PhoneNumberPattern")];
        let uses = vec![vec![at("#/components/schemas/X/properties/phone_number", "X")], vec![]];
        rename(&mut patterns, &uses, &BTreeSet::new());
        assert_eq!(patterns[0].rust, "XPattern");
        assert_eq!(patterns[1].rust, "PhoneNumberPattern");
    }
}
