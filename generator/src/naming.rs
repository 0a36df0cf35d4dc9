//! Turning spec names into Rust names: the only user of `heck`.
//!
//! Rules (documented for users in README.md):
//! - types and enum variants are `UpperCamelCase`, fields, methods and
//!   modules `snake_case`;
//! - non-ASCII characters become `U` plus their hex code point, punctuation
//!   that carries meaning in enum values (`=`, `<`, `+`...) becomes a word,
//!   other punctuation separates words;
//! - a name that would start with a digit gets a `_` prefix (`_2fa`), an empty
//!   name becomes `empty`/`Empty`;
//! - Rust keywords get a trailing `_` (`type_`, `self_`, `Self_`);
//! - two names that collide after conversion are told apart with a numeric
//!   suffix (`foo`, `foo_2`), the first in spec order keeping the plain name;
//! - no name starts with [`LOCAL_PREFIX`] (`__`): that prefix is kept for the
//!   locals and generic parameters of generated code and runtime macros
//!   (`__req`, `__S`), so they never capture or shadow a spec name.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// The longest identifier we emit; longer names are cut and suffixed.
const MAX_IDENT: usize = 96;

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "try", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "union",
];

/// The prefix of every name that generated code binds itself (locals,
/// closure arguments, generic parameters: `__req`, `__resp`, `__S`), in
/// method bodies and in the runtime macros. No function of this module
/// returns a name with it (`finish` makes sure), so a path parameter `req`
/// or a schema `S` never meets generated code's own names
/// (`tests/hygiene.rs` checks the generated side).
pub const LOCAL_PREFIX: &str = "__";

/// Names that generated code writes unqualified beside generated types (in
/// `types` and `operations` modules). The crate's `Client` and
/// `ClientBuilder` are not among them: generated code names them and the
/// runtime's by path (`rt::Client`, `crate::Client`), so a schema `Client`
/// is `types::Client`, beside the crate's `Client`.
const RESERVED_TYPES: &[&str] = &[
    "Error",
    "Result",
    "Option",
    "Vec",
    "String",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Unknown",
    // `impl Into<String>` arguments of operations and setters, next to
    // group handles; `impl IntoIterator<..>` arguments of list setters.
    "Into",
    "IntoIterator",
    // `impl From<String>` of an object made from its one string.
    "From",
];

/// Splits punctuation into words and spells out symbols that would otherwise
/// make distinct enum values collide (`<` and `>`).
fn words(raw: &str) -> String {
    let mut res = String::with_capacity(raw.len() + 8);
    let push_word = |res: &mut String, w: &str| {
        res.push(' ');
        res.push_str(w);
        res.push(' ');
    };
    for c in raw.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => res.push(c),
            '=' => push_word(&mut res, "eq"),
            '!' => push_word(&mut res, "not"),
            '<' => push_word(&mut res, "lt"),
            '>' => push_word(&mut res, "gt"),
            '~' => push_word(&mut res, "tilde"),
            '+' => push_word(&mut res, "plus"),
            '*' => push_word(&mut res, "star"),
            '@' => push_word(&mut res, "at"),
            '#' => push_word(&mut res, "hash"),
            '%' => push_word(&mut res, "percent"),
            '&' => push_word(&mut res, "and"),
            '|' => push_word(&mut res, "or"),
            '^' => push_word(&mut res, "caret"),
            '$' => push_word(&mut res, "dollar"),
            c if c.is_ascii() => res.push(' '),
            c => push_word(&mut res, &format!("u{:x}", c as u32)),
        }
    }
    res
}

/// Like [`words`], but a leading `-` means minus (`-1` in an enum).
fn value_words(raw: &str) -> String {
    match raw.strip_prefix('-') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => format!("minus {}", words(rest)),
        _ => words(raw),
    }
}

fn finish(mut name: String, empty: &str, reserved: &[&str]) -> String {
    if name.is_empty() {
        name = empty.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if name.len() > MAX_IDENT {
        // Keep names readable and bounded; the hash keeps cut names distinct.
        // Camel-case names get `H` and the hash, snake-case names `_` and it.
        let hash = fnv(&name);
        let camel = name.starts_with(|c: char| c.is_ascii_uppercase());
        name.truncate(MAX_IDENT - 9);
        name.push_str(&if camel { format!("H{hash:08x}") } else { format!("_{hash:08x}") });
    }
    if KEYWORDS.contains(&name.as_str()) || reserved.contains(&name.as_str()) {
        name.push('_');
    }
    // Case conversion drops leading underscores and only a digit gets one
    // back, so this never fires; it keeps the guarantee local to this file.
    while name.starts_with(LOCAL_PREFIX) {
        name.remove(0);
    }
    name
}

/// A stable 32-bit FNV-1a hash (not `std`'s randomized hasher).
pub fn fnv(s: &str) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x01000193);
    }
    h
}

/// A part of a type name hint (`phone_number` -> `PhoneNumber`): plain
/// `UpperCamelCase`, not yet checked or made unique; [`type_name`] finishes
/// the hint it is joined into.
pub fn hint_part(raw: &str) -> String {
    raw.to_upper_camel_case()
}

/// A type name: `UpperCamelCase`.
pub fn type_name(raw: &str) -> String {
    finish(words(raw).to_upper_camel_case(), "Empty", RESERVED_TYPES)
}

/// An enum variant name for a wire value.
pub fn variant_name(raw: &str) -> String {
    finish(value_words(raw).to_upper_camel_case(), "Empty", &["Unknown", "Self"])
}

/// Whether a type name reads as one operation's request or response body
/// (`CreateRoleResponseContent`, `UpdateUserRequestBody`, `GetLogResponse`)
/// rather than the thing it is: such a name names a shape several types
/// share only when no other name does (`lower/dedup.rs`).
pub fn is_operation_wrapper(name: &str) -> bool {
    ["Request", "Response"].iter().any(|w| {
        ["", "Content", "Body"]
            .iter()
            .any(|tail| name.strip_suffix(tail).is_some_and(|rest| rest.len() > w.len() && rest.ends_with(w)))
    })
}

/// A field, method, module or parameter name: `snake_case`. A name of
/// digits only gets an `n` prefix (`_1` is not a descriptive binding).
/// A field keeps its name even where an operation method's argument has
/// it (`params.body`); only [`path_arg_name`] must avoid those.
pub fn field_name(raw: &str) -> String {
    snake_name(raw, &[])
}

/// A path parameter's name, which is an argument of the operation method
/// beside `&self`, `params`, `body` and `options` (and `client` in the
/// blocking wrappers): one of those gets a `_` (`body_`).
pub fn path_arg_name(raw: &str) -> String {
    snake_name(raw, &["client", "options", "body", "params"])
}

fn snake_name(raw: &str, reserved: &[&str]) -> String {
    let snake = value_words(raw).to_snake_case();
    let snake = if !snake.is_empty() && snake.chars().all(|c| c.is_ascii_digit() || c == '_') {
        format!("n{}", snake.trim_start_matches('_'))
    } else {
        snake
    };
    finish(snake, "empty", reserved)
}

/// Methods that a setter must not shadow: the constructor and what users
/// call on every value (an inherent `clone(self, v)` setter would hide
/// `Clone::clone` from method calls, an inherent `default` would take
/// `T::default()`). A setter of one of these fields is `with_<name>`.
/// `from` is not among them: the structs have no `From` impls of their
/// own, and `.from(cursor)` is what a user of a `from` parameter looks for.
const SETTER_RESERVED: &[&str] = &[
    "new",
    "clone",
    "clone_from",
    "clone_into",
    "eq",
    "ne",
    "fmt",
    "hash",
    "validate",
    "serialize",
    "deserialize",
    "default",
    "into",
    "try_into",
    "try_from",
    "to_owned",
    "to_string",
    "borrow",
    "borrow_mut",
    "type_id",
    "as_ref",
    "as_mut",
];

/// The chainable setters of a struct's fields, given each field's Rust
/// name and whether it may be `null`: the setter is the field's name
/// (`with_clone` for a reserved one), the `null` setter `<name>_null`,
/// each made unique among all the struct's setters.
pub fn setters<'n>(fields: impl IntoIterator<Item = (&'n str, bool)>) -> Vec<crate::ir::Setter> {
    let mut ns = Namespace::new();
    for r in SETTER_RESERVED {
        ns.reserve(r);
    }
    let fields: Vec<(&str, bool)> = fields.into_iter().collect();
    let mut res: Vec<crate::ir::Setter> = fields
        .iter()
        .map(|(rust, _)| {
            let base = if SETTER_RESERVED.contains(rust) { format!("with_{rust}") } else { rust.to_string() };
            crate::ir::Setter { name: ns.unique(&base), null: None }
        })
        .collect();
    for (setter, (_, nullable)) in res.iter_mut().zip(&fields) {
        if *nullable {
            let base = format!("{}_null", setter.name.trim_end_matches('_'));
            setter.null = Some(ns.unique(&base));
        }
    }
    res
}

/// A module or method name.
pub fn method_name(raw: &str) -> String {
    finish(words(raw).to_snake_case(), "empty", &["new", "client", "with_options", "options"])
}

/// The Cargo feature of a top-level operation group (its module name);
/// `default` and `full` are the crate's own features.
pub fn feature_name(group: &str) -> String {
    match group {
        "default" | "full" => format!("{group}_"),
        _ => group.to_string(),
    }
}

/// Hands out unique names within one namespace, first come first served.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeMap<String, u32>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves `name` (so that no later name takes it).
    pub fn reserve(&mut self, name: &str) {
        self.taken.entry(name.to_string()).or_insert(1);
    }

    /// Returns `base` if free, else `base2`, `base3`... (`base_2` for snake case).
    pub fn unique(&mut self, base: &str) -> String {
        if !self.taken.contains_key(base) {
            self.taken.insert(base.to_string(), 1);
            return base.to_string();
        }
        let snake = base.chars().any(|c| c.is_ascii_lowercase()) && !base.starts_with(|c: char| c.is_ascii_uppercase());
        // `_2fa` may be a type or a field: `_2fa2` is valid camel and snake
        // case (`_2fa_2` is no camel case), and after a digit `_1_2` is both.
        let ambiguous = base.starts_with('_') && base[1..].starts_with(|c: char| c.is_ascii_digit());
        let snake = if ambiguous { base.ends_with(|c: char| c.is_ascii_digit()) } else { snake };
        let mut n = *self.taken.get(base).unwrap_or(&1);
        // `type_` becomes `type_2`, not `type__2`; `Self_` becomes `Self2`
        // (an underscore before a digit is not camel case).
        let stem = match base.trim_end_matches('_') {
            "" => base,
            s => s,
        };
        loop {
            n += 1;
            let candidate = if snake { format!("{stem}_{n}") } else { format!("{stem}{n}") };
            if !self.taken.contains_key(&candidate) {
                self.taken.insert(base.to_string(), n);
                self.taken.insert(candidate.clone(), 1);
                return candidate;
            }
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains_key(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_digits() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(field_name("123"), "n123");
        assert_eq!(field_name("-1"), "minus_1");
        assert_eq!(field_name("+1"), "plus_1");
        assert_eq!(type_name("2fa-thing"), "_2faThing");
        assert_eq!(field_name(""), "empty");
        assert_eq!(method_name("post_authentication-methods"), "post_authentication_methods");
        assert_eq!(method_name("repos/get-content"), "repos_get_content");
    }

    #[test]
    fn enum_values() {
        assert_eq!(variant_name("webauthn-roaming"), "WebauthnRoaming");
        assert_eq!(variant_name(">="), "GtEq");
        assert_eq!(variant_name("<"), "Lt");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("1"), "_1");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("café"), "CafUe9");
    }

    #[test]
    fn long_names_are_bounded() {
        let long = "a".repeat(5000);
        let n = field_name(&long);
        assert!(n.len() <= MAX_IDENT);
        assert_ne!(n, field_name(&"a".repeat(4999)));
    }

    #[test]
    fn no_name_has_the_local_prefix() {
        let inputs = [
            "__req",
            "_req",
            "__",
            "_",
            "___",
            "__S",
            "_2",
            "__2",
            "_-_x",
            "-_",
            " __x",
            "__Visitor",
            "__FIELDS",
            "\u{0}__x",
        ];
        for raw in inputs {
            for name in [type_name(raw), variant_name(raw), field_name(raw), method_name(raw)] {
                assert!(!name.starts_with(LOCAL_PREFIX), "{raw:?} became {name:?}");
                assert!(!name.is_empty(), "{raw:?} became an empty name");
            }
        }
        assert_eq!(field_name("__req"), "req");
        assert_eq!(type_name("__S"), "S");
        assert_eq!(field_name("_2fa"), "_2fa");
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut ns = Namespace::new();
        assert_eq!(ns.unique("Foo"), "Foo");
        assert_eq!(ns.unique("Foo"), "Foo2");
        assert_eq!(ns.unique("Foo"), "Foo3");
        let mut ns = Namespace::new();
        assert_eq!(ns.unique("foo"), "foo");
        assert_eq!(ns.unique("foo"), "foo_2");
    }

    #[test]
    fn collisions_of_keyword_escapes_keep_the_case_lints_happy() {
        let mut ns = Namespace::new();
        assert_eq!(ns.unique("Self_"), "Self_");
        assert_eq!(ns.unique("Self_"), "Self2");
        let mut ns = Namespace::new();
        assert_eq!(ns.unique("self_"), "self_");
        assert_eq!(ns.unique("self_"), "self_2");
        assert_eq!(ns.unique("self_"), "self_3");
        // `_2fa` is a type or a field: the suffix suits both.
        let mut ns = Namespace::new();
        assert_eq!(ns.unique("_2fa"), "_2fa");
        assert_eq!(ns.unique("_2fa"), "_2fa2");
        assert_eq!(ns.unique("_1"), "_1");
        assert_eq!(ns.unique("_1"), "_1_2");
        let mut ns = Namespace::new();
        ns.reserve("Unknown");
        assert_eq!(ns.unique(&variant_name("Unknown")), "Unknown_");
        assert_eq!(ns.unique(&variant_name("unknown")), "Unknown2");
    }
}
