//! `anyOf` or `oneOf` whose members only require properties, the JSON
//! Schema idiom for "at least one of" and "exactly one of" on an object
//! (GitHub's gist update: `anyOf: [{required: [description]}, {required:
//! [files]}]`; DigitalOcean's firewall, inside an `allOf`). Such a schema is
//! one object, not a union of two: its struct has every property (those
//! the members require stay optional), and the rule is checked on the
//! requests that send it ([`crate::ir::KeyRule`]).

use super::Ctx;
use crate::ir::{Field, KeyRule};
use crate::pointer::Pointer;
use crate::value::{Map, Value};

/// The keys a member may have and still only require properties.
const MEMBER_KEYS: [&str; 4] = ["required", "title", "description", "type"];

/// An `anyOf` or `oneOf` of members that only require properties, as the
/// description has it.
pub(super) struct Alternatives {
    /// Where the `anyOf` or `oneOf` is.
    at: Pointer,
    exactly_one: bool,
    /// Each member's required properties, by wire name.
    sets: Vec<Vec<String>>,
}

/// The rules of `obj`'s `anyOf` and `oneOf` when every member of each only
/// requires properties. `None` when some member is more than that (a union).
pub(super) fn required_alternatives(ptr: &Pointer, obj: &Map) -> Option<Vec<Alternatives>> {
    let mut rules = Vec::new();
    for (key, exactly_one) in [("anyOf", false), ("oneOf", true)] {
        let Some(members) = obj.get(key) else { continue };
        let members = members.as_array().filter(|m| !m.is_empty())?;
        let mut sets = Vec::new();
        for m in members {
            let m = m.as_object()?;
            if m.keys().any(|k| !MEMBER_KEYS.contains(&k.as_str()))
                || m.get("type").is_some_and(|t| t.as_str() != Some("object"))
            {
                return None;
            }
            let names: Vec<String> =
                m.get("required")?.as_array()?.iter().map(|n| n.as_str().map(str::to_string)).collect::<Option<_>>()?;
            if names.is_empty() {
                return None;
            }
            sets.push(names);
        }
        rules.push(Alternatives { at: ptr.join(key), exactly_one, sets });
    }
    (!rules.is_empty()).then_some(rules)
}

/// Whether `obj` is an object whose `anyOf`/`oneOf` only require some of
/// its properties ([`required_alternatives`]), to be lowered as that object.
pub(super) fn is_object_with_key_rules(obj: &Map) -> bool {
    let object = obj.get("type").and_then(Value::as_str) == Some("object")
        || obj.contains_key("properties")
        || obj.contains_key("allOf");
    object && required_alternatives(&Pointer::root(), obj).is_some()
}

impl Ctx<'_> {
    /// The rules among `fields`: each set's names as field indices. A rule
    /// naming a property the struct does not have is left unchecked, with
    /// a warning.
    pub(super) fn key_rules(&mut self, rules: Vec<Alternatives>, fields: &[Field]) -> Vec<KeyRule> {
        let mut res = Vec::new();
        'rules: for Alternatives { at: ptr, exactly_one, sets } in rules {
            let mut idx_sets = Vec::new();
            for set in sets {
                let mut idx = Vec::new();
                for name in set {
                    let Some(i) = fields.iter().position(|f| f.name.wire == name) else {
                        self.diags.warning(
                            &ptr,
                            format!("the members require `{name}`, which is no property of the object; the rule is not checked"),
                        );
                        continue 'rules;
                    };
                    idx.push(i);
                }
                idx_sets.push(idx);
            }
            res.push(KeyRule { exactly_one, sets: idx_sets });
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{TypeDef, TypeKind};

    /// A spec whose one schema `S` is `schema` (YAML, indented by four).
    fn spec(schema: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    S:\n{schema}"
        )
    }

    fn named<'a>(api: &'a crate::ir::Api, name: &str) -> &'a TypeDef {
        api.types.iter().find(|t| t.name.rust == name).unwrap_or_else(|| panic!("no type {name}"))
    }

    #[test]
    fn members_that_only_require_properties_are_a_rule_of_one_struct() {
        let s = "      type: object\n      properties:\n        a: {type: string}\n        b: {type: string}\n        \
                 c: {type: string}\n      oneOf:\n        - {required: [a]}\n        - {title: B and C, required: [b, c]}\n";
        let (api, diags) = crate::lower::lowered_with_diagnostics(&spec(s));
        assert!(diags.is_empty(), "{diags}");
        let TypeKind::Struct(st) = &named(&api, "S").kind else { panic!("S is no struct") };
        assert_eq!(st.fields.len(), 3);
        assert_eq!(st.key_rules, [crate::ir::KeyRule { exactly_one: true, sets: vec![vec![0], vec![1, 2]] }]);
    }

    #[test]
    fn a_member_with_more_than_required_keeps_the_union() {
        let s = "      type: object\n      properties:\n        a: {type: string}\n      anyOf:\n        \
                 - {required: [a]}\n        - {required: [b], properties: {b: {type: integer}}}\n";
        let api = crate::lower::lowered_for_test(&spec(s));
        assert!(matches!(named(&api, "S").kind, TypeKind::Union(_)), "{:?}", named(&api, "S").kind);
    }

    #[test]
    fn a_rule_naming_no_property_is_not_checked_and_says_so() {
        let s = "      type: object\n      properties:\n        a: {type: string}\n      anyOf:\n        \
                 - {required: [a]}\n        - {required: [zz]}\n";
        let (api, diags) = crate::lower::lowered_with_diagnostics(&spec(s));
        let TypeKind::Struct(st) = &named(&api, "S").kind else { panic!("S is no struct") };
        assert!(st.key_rules.is_empty());
        let w: Vec<String> = diags.warnings().map(|w| w.to_string()).collect();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("#/components/schemas/S/anyOf") && w[0].contains("`zz`"), "{w:?}");
    }
}
