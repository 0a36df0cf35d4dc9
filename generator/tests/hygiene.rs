//! Hygiene of generated code: the names it introduces can never meet a
//! name from a description.
//!
//! Generated functions bind their own locals (and generic parameters) next
//! to arguments named by the spec, and the runtime macros expand inside
//! generated items. Every such name starts with `__`, a prefix that
//! `naming` never produces for a spec name, so a path parameter `req` or a
//! schema `D` cannot capture or be captured. This test walks every fixture's
//! generated code and the bodies of the runtime's `macro_rules!` and checks:
//! - every binding (`let`, closure, `match`, `for`) and every generic type
//!   parameter has the prefix, or rebinds an argument of its function;
//! - `fixtures/hygiene.yaml` names a parameter or property (a schema, for
//!   generic parameters) after every prefixed name, without the prefix, so a
//!   new local cannot be added without that fixture covering it, and the
//!   hygiene fixture reaches every local that any other fixture reaches;
//! - every prelude name that generated code uses unqualified (`Option`,
//!   `Into`...) is one that `naming::type_name` never gives a spec schema.
//!
//! What it does not check: that the fixture compiles (`golden.rs`,
//! `fixtures_compile`, does that with warnings denied).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, Group, Ident, TokenStream, TokenTree};
use syn::visit::{self, Visit};

use generator::naming::{self, LOCAL_PREFIX};
use generator::value::Value;

/// Names of the Rust prelude that generated code might use unqualified.
const PRELUDE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "Iterator",
    "IntoIterator",
    "Extend",
    "FromIterator",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "ToString",
    "ToOwned",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "Fn",
    "FnMut",
    "FnOnce",
    "Drop",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn fixture_specs() -> Vec<PathBuf> {
    let mut res: Vec<PathBuf> = fs::read_dir(root().join("tests/fixtures"))
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    res.sort();
    res
}

fn config() -> generator::Config {
    generator::Config {
        crate_name: "fixture-hygiene".into(),
        crate_version: "0.1.0".into(),
        spec_label: "hygiene".into(),
        command: "cargo test -p generator --test hygiene".into(),
        standalone: false,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::Crate,
        // The paging settings of spec/codegen.yaml, so streams are emitted.
        settings: generator::config::Settings {
            paging: generator::config::PagingConfig {
                offset: Some(("page".into(), "per_page".into(), Some("include_totals".into()))),
                checkpoint: Some(("from".into(), "take".into(), "next".into())),
                default_take: Some(50),
                item_cursor: vec!["log_id".into()],
                default_per_page: None,
                page_size_caps: Vec::new(),
                result_caps: vec![generator::config::ResultCap {
                    route: "/users".into(),
                    limit: 1000,
                    hint: "export them with a job".into(),
                }],
            },
            readme_operation: None,
            readme_fields: Vec::new(),
            telemetry_header: None,
            custom_domain: None,
            token_url: None,
            event_type_field: None,
            package: Default::default(),
            overlays: Vec::new(),
        },
    }
}

/// What a walk over some code found.
#[derive(Default)]
struct Scan {
    /// Argument names of the functions being walked, innermost last.
    args: Vec<BTreeSet<String>>,
    /// Arguments that the binding being walked may rebind.
    rebinding: BTreeSet<String>,
    /// Prefixed names, without the prefix.
    stems: BTreeSet<String>,
    /// Names bound without the prefix, with where they were found.
    unprefixed: BTreeSet<String>,
    /// Prelude names used unqualified.
    bare: BTreeSet<String>,
    /// Macros invoked (last path segment): the runtime macros to scan.
    macros: BTreeSet<String>,
    /// Types the code defines itself (spec names, used unqualified).
    defined: BTreeSet<String>,
    place: String,
}

impl Scan {
    fn binding(&mut self, name: &str, what: &str) {
        if let Some(stem) = name.strip_prefix(LOCAL_PREFIX) {
            self.stems.insert(stem.to_string());
        } else if !self.rebinding.contains(name) {
            self.unprefixed.insert(format!("{what} `{name}` in {}", self.place));
        }
    }

    /// `let x = x.clone();` or `if let Some(x) = x`: an argument rebound
    /// from itself may keep its name; any other binding may not.
    fn walk_binding(&mut self, pat: &syn::Pat, init: Option<&syn::Expr>) {
        let mut from_self = BTreeSet::new();
        if let (Some(args), Some(init)) = (self.args.last(), init) {
            for t in quote::ToTokens::to_token_stream(init) {
                if let TokenTree::Ident(i) = t {
                    let i = i.to_string();
                    if args.contains(&i) {
                        from_self.insert(i);
                    }
                }
            }
        }
        let outer = std::mem::replace(&mut self.rebinding, from_self);
        self.visit_pat(pat);
        self.rebinding = outer;
        if let Some(init) = init {
            self.visit_expr(init);
        }
    }

    fn walk_fn(&mut self, sig: &syn::Signature, block: &syn::Block) {
        let mut args = BTreeSet::new();
        for input in &sig.inputs {
            if let syn::FnArg::Typed(t) = input {
                if let syn::Pat::Ident(p) = &*t.pat {
                    args.insert(p.ident.to_string());
                }
                self.visit_type(&t.ty);
            }
        }
        self.visit_generics(&sig.generics);
        self.visit_return_type(&sig.output);
        self.args.push(args);
        self.visit_block(block);
        self.args.pop();
    }
}

impl<'ast> Visit<'ast> for Scan {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.walk_fn(&f.sig, &f.block);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.walk_fn(&f.sig, &f.block);
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        self.walk_binding(&l.pat, l.init.as_ref().map(|i| &*i.expr));
        if let Some(diverge) = l.init.as_ref().and_then(|i| i.diverge.as_ref()) {
            self.visit_expr(&diverge.1);
        }
    }

    fn visit_expr_let(&mut self, l: &'ast syn::ExprLet) {
        self.walk_binding(&l.pat, Some(&l.expr));
    }

    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        let name = p.ident.to_string();
        // `None`, `Self`, constants: paths, not bindings.
        if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
            self.binding(&name, "binding");
        }
        visit::visit_pat_ident(self, p);
    }

    fn visit_type_param(&mut self, p: &'ast syn::TypeParam) {
        self.binding(&p.ident.to_string(), "generic parameter");
        visit::visit_type_param(self, p);
    }

    fn visit_item_struct(&mut self, i: &'ast syn::ItemStruct) {
        self.defined.insert(i.ident.to_string());
        visit::visit_item_struct(self, i);
    }

    fn visit_item_enum(&mut self, i: &'ast syn::ItemEnum) {
        self.defined.insert(i.ident.to_string());
        visit::visit_item_enum(self, i);
    }

    fn visit_item_type(&mut self, i: &'ast syn::ItemType) {
        self.defined.insert(i.ident.to_string());
        visit::visit_item_type(self, i);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if let Some(last) = m.path.segments.last() {
            self.macros.insert(last.ident.to_string());
        }
        visit::visit_macro(self, m);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        if p.leading_colon.is_none() {
            if let Some(first) = p.segments.first() {
                let name = first.ident.to_string();
                if PRELUDE.contains(&name.as_str()) {
                    self.bare.insert(name);
                }
            }
        }
        visit::visit_path(self, p);
    }
}

/// Scans every non-runtime `.rs` file of a generated crate.
fn scan_output(name: &str, out: &generator::Output, scan: &mut Scan) {
    // Only the crate's sources meet spec names (`build.rs` is a fixed script).
    for f in out
        .files
        .iter()
        .filter(|f| f.path.starts_with("src/") && f.path.ends_with(".rs") && !f.path.starts_with("src/runtime/"))
    {
        scan.place = format!("{name}: {}", f.path);
        let file = syn::parse_file(&f.contents).unwrap_or_else(|e| panic!("{}: {e}", scan.place));
        scan.visit_file(&file);
    }
}

/// A `macro_rules!` body as Rust: `$crate` becomes `crate`, a metavariable
/// `$x` the identifier `Meta_x` (uppercase, so never counted as a binding:
/// it is the caller's name), and a repetition `$(..)sep*` its contents once.
fn substitute(ts: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = ts.into_iter().collect();
    let mut res = TokenStream::new();
    let mut idx = 0;
    while idx < tokens.len() {
        match &tokens[idx] {
            TokenTree::Punct(p) if p.as_char() == '$' => match tokens.get(idx + 1) {
                Some(TokenTree::Ident(i)) => {
                    let name = if i == "crate" { "crate".to_string() } else { format!("Meta_{i}") };
                    res.extend([TokenTree::Ident(Ident::new(&name, i.span()))]);
                    idx += 2;
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    res.extend(substitute(g.stream()));
                    idx += 2;
                    // An optional separator, then `*`, `+` or `?`.
                    let is_op = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if matches!(p.as_char(), '*' | '+' | '?'));
                    if !is_op(tokens.get(idx)) {
                        idx += 1;
                    }
                    if is_op(tokens.get(idx)) {
                        idx += 1;
                    }
                }
                _ => {
                    res.extend([tokens[idx].clone()]);
                    idx += 1;
                }
            },
            TokenTree::Group(g) => {
                let mut ng = Group::new(g.delimiter(), substitute(g.stream()));
                ng.set_span(g.span());
                res.extend([TokenTree::Group(ng)]);
                idx += 1;
            }
            t => {
                res.extend([t.clone()]);
                idx += 1;
            }
        }
    }
    res
}

/// Scans the arm bodies of the runtime's `macro_rules!` that generated code
/// invokes (those in `scan.macros`, which the scan of generated code filled),
/// as the generated crate `out` carries them.
fn scan_macros(scan: &mut Scan, out: &generator::Output) -> usize {
    let mut n_arms = 0;
    for f in out.files.iter().filter(|f| f.path.starts_with("src/runtime/") && f.path.ends_with(".rs")) {
        let path = &f.path;
        let file = syn::parse_file(&f.contents).unwrap_or_else(|e| panic!("{path}: {e}"));
        for item in &file.items {
            let syn::Item::Macro(m) = item else { continue };
            if !m.mac.path.is_ident("macro_rules") {
                continue;
            }
            let name = m.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
            if !scan.macros.contains(&name) {
                continue;
            }
            // Arms are `(matcher) => { body }` separated by `;`.
            let tokens: Vec<TokenTree> = m.mac.tokens.clone().into_iter().collect();
            for (idx, t) in tokens.iter().enumerate() {
                let TokenTree::Group(body) = t else { continue };
                let after_arrow = idx >= 2
                    && matches!(&tokens[idx - 1], TokenTree::Punct(p) if p.as_char() == '>')
                    && matches!(&tokens[idx - 2], TokenTree::Punct(p) if p.as_char() == '=');
                if !after_arrow {
                    continue;
                }
                n_arms += 1;
                scan.place = format!("{path}: macro {name}, arm {n_arms}");
                let body = substitute(body.stream());
                if let Ok(file) = syn::parse2::<syn::File>(body.clone()) {
                    scan.visit_file(&file);
                } else {
                    let block: syn::Block = syn::parse2(quote::quote!({ #body })).unwrap_or_else(|e| {
                        panic!(
                            "{}: the arm is neither items nor a block ({e}); keep macro arms readable as Rust: {body}",
                            scan.place
                        )
                    });
                    scan.args.push(BTreeSet::new());
                    scan.visit_block(&block);
                    scan.args.pop();
                }
            }
        }
    }
    n_arms
}

/// Parameter names, property names and schema names of a spec.
fn spec_names(tree: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    fn walk(v: &Value, lower: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(props)) = m.get("properties") {
                    lower.extend(props.keys().cloned());
                }
                if let (Some(Value::String(n)), Some(_)) = (m.get("name"), m.get("in")) {
                    lower.insert(n.clone());
                }
                for (_, x) in m.iter() {
                    walk(x, lower);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, lower)),
            _ => {}
        }
    }
    let mut lower = BTreeSet::new();
    walk(tree, &mut lower);
    let schemas = tree
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    (lower, schemas)
}

#[test]
fn generated_locals_have_the_reserved_prefix_and_the_fixture_names_them_all() {
    let mut per_fixture: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut all = Scan::default();
    let mut last = None;
    for spec in fixture_specs() {
        let name = spec.file_name().unwrap().to_str().unwrap().to_string();
        let bytes = fs::read(&spec).unwrap();
        let out = generator::generate(&name, &bytes, &config()).unwrap_or_else(|d| panic!("{name}: {d}"));
        let mut scan = Scan::default();
        scan_output(&name, &out, &mut scan);
        all.unprefixed.extend(scan.unprefixed);
        all.bare.extend(scan.bare);
        all.macros.extend(scan.macros);
        per_fixture.insert(name, scan.stems);
        last = Some(out);
    }
    let n_arms = scan_macros(&mut all, &last.expect("fixtures exist"));
    assert!(n_arms >= 10, "only {n_arms} macro arms found: is the runtime still where this test looks?");
    assert!(
        all.unprefixed.is_empty(),
        "generated code binds names without the `{LOCAL_PREFIX}` prefix, which a spec name can meet:\n{}",
        all.unprefixed.iter().cloned().collect::<Vec<_>>().join("\n")
    );

    // The hygiene fixture reaches every local that any fixture reaches.
    let hygiene = per_fixture.get("hygiene.yaml").expect("fixtures/hygiene.yaml exists").clone();
    for (name, stems) in &per_fixture {
        let missing: Vec<_> = stems.difference(&hygiene).collect();
        assert!(missing.is_empty(), "{name} reaches locals that hygiene.yaml does not: {missing:?}; extend it");
    }
    let mut stems = hygiene;
    stems.extend(all.stems.iter().cloned());
    for expected in ["req", "resp", "this", "p", "cursor", "parts", "file", "x", "S", "D", "A"] {
        assert!(stems.contains(expected), "`{LOCAL_PREFIX}{expected}` no longer found: is the scan still working?");
    }

    // ... and names a parameter or property (a schema, for a generic) after each.
    let text = fs::read(root().join("tests/fixtures/hygiene.yaml")).unwrap();
    let tree = generator::load::load("hygiene.yaml", &text).expect("hygiene.yaml loads");
    let (lower, schemas) = spec_names(&tree);
    let uncovered: Vec<_> = stems
        .iter()
        .filter(|s| {
            if s.starts_with(|c: char| c.is_ascii_uppercase()) {
                !schemas.contains(*s)
            } else {
                !lower.contains(*s)
            }
        })
        .collect();
    assert!(
        uncovered.is_empty(),
        "fixtures/hygiene.yaml names no parameter or property (schema, for generics) after {uncovered:?}"
    );
}

#[test]
fn prelude_names_used_unqualified_are_never_spec_type_names() {
    let mut scan = Scan::default();
    let mut last = None;
    for spec in fixture_specs() {
        let name = spec.file_name().unwrap().to_str().unwrap().to_string();
        let bytes = fs::read(&spec).unwrap();
        let out = generator::generate(&name, &bytes, &config()).unwrap_or_else(|d| panic!("{name}: {d}"));
        let mut one = Scan::default();
        scan_output(&name, &out, &mut one);
        scan.bare.extend(one.bare.difference(&one.defined).cloned());
        scan.macros.extend(one.macros);
        last = Some(out);
    }
    scan_macros(&mut scan, &last.expect("fixtures exist"));
    assert!(
        scan.bare.contains("Option") && scan.bare.contains("Ok"),
        "the scan found no prelude names: {:?}",
        scan.bare
    );
    let captured: Vec<_> = scan.bare.iter().filter(|n| naming::type_name(n) == **n).collect();
    assert!(
        captured.is_empty(),
        "generated code uses {captured:?} unqualified, but a schema or group can be named so: \
         qualify the path or reserve the name in naming.rs"
    );
}
