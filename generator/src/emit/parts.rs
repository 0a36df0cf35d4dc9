//! Emitting a client split into crates ([`Config::parts`]): a crate of
//! shared types (`crates/common`), part crates of whole top-level groups
//! with the types only they reach (`crates/part-N`), and the crate itself,
//! which depends on them, re-exports their `types` and `operations` and
//! declares the client. Which group and type goes where is
//! [`Features::group_home`](super::features::Features::group_home) and
//! [`Features::type_home`](super::features::Features::type_home).
//!
//! Generated code names items by `crate::types::..` and
//! `crate::operations::..` paths in every crate: a part's `types` module
//! re-exports the common crate's, so the same text compiles in a part and
//! in a crate of its own.

use proc_macro2::TokenStream;
use quote::quote;

use super::features::Home;
use super::manifest::{manifest, package_metadata, toml_str, LIB_TABLE};
use super::{ident, Cx, FileBody, Job};
use crate::config::{Config, RuntimeSource};

/// The folder of the common crate, from the crate's own.
const COMMON_DIR: &str = "crates/common";

/// The package name of the common crate.
fn common_crate(config: &Config) -> String {
    format!("{}-common", config.crate_name)
}

/// The package name of part `k` (from 0; named from 1).
fn part_crate(config: &Config, k: usize) -> String {
    format!("{}-part-{}", config.crate_name, k + 1)
}

/// The folder of part `k`, from the crate's own.
fn part_dir(k: usize) -> String {
    format!("crates/part-{}", k + 1)
}

/// Rust's name of a package.
fn rust_name(package: &str) -> String {
    package.replace('-', "_")
}

/// The runtime crate's dependency line for a crate two folders below the
/// crate's own (`crates/<name>/`): a relative path is one from the crate.
fn runtime_dependencies(config: &Config) -> String {
    let path = match &config.runtime {
        RuntimeSource::Crate { path: Some(p) } if std::path::Path::new(p).is_absolute() => Some(p.clone()),
        RuntimeSource::Crate { path: Some(p) } => Some(format!("../../{p}")),
        _ => None,
    };
    super::runtime::crate_dependencies(path.as_deref(), toml_str)
}

/// A dependency on a crate of the split client, at exactly this version.
fn sibling(package: &str, path: &str, config: &Config) -> String {
    format!(
        "{package} = {{ version = \"={}\", path = {}, default-features = false }}\n",
        config.crate_version,
        toml_str(path)
    )
}

/// What the crate itself depends on besides the runtime: the common crate
/// and every part, their features off (its own turn them on).
pub(crate) fn facade_dependencies(cx: &Cx<'_>, config: &Config) -> String {
    let mut out = sibling(&common_crate(config), COMMON_DIR, config);
    for k in 0..cx.features.parts() {
        out.push_str(&sibling(&part_crate(config, k), &part_dir(k), config));
    }
    out
}

/// The crate's `[features]`: each group turns on its part's feature (which
/// turns on the common crate's); `blocking` turns on every part's.
pub(crate) fn facade_features(cx: &Cx<'_>, config: &Config) -> String {
    let mut out = cx.features.facade_manifest_table(|k| part_crate(config, k));
    let mut blocking = vec![format!("\"{}/blocking\"", super::runtime::CRATE)];
    blocking.extend((0..cx.features.parts()).map(|k| format!("\"{}/blocking\"", part_crate(config, k))));
    out.push_str(&format!(
        "# The blocking client: a current-thread tokio runtime owned by the client.\nblocking = [{}]\n",
        blocking.join(", ")
    ));
    out
}

/// The inline `operations` and `types` modules of the crate itself: the
/// parts' and the common crate's, re-exported.
pub(crate) fn facade_modules(cx: &Cx<'_>, config: &Config) -> TokenStream {
    let common = ident(&rust_name(&common_crate(config)));
    let parts: Vec<_> = (0..cx.features.parts()).map(|k| ident(&rust_name(&part_crate(config, k)))).collect();
    quote! {
        pub mod operations {
            #![doc = " Operations, grouped as `client.<group>().<sub_group>().<operation>(..)`."]
            #(
                #[doc(inline)]
                #[allow(unused_imports)]
                pub use #parts::operations::*;
            )*
        }

        pub mod types {
            #![doc = " The schemas of the API as Rust types."]
            #![doc = ""]
            #![doc = " Request values are checked before sending; response values are"]
            #![doc = " accepted as the server sends them (see `runtime::Validate`)."]
            #[doc(inline)]
            #[allow(unused_imports)]
            pub use #common::types::*;
            #(
                #[doc(inline)]
                #[allow(unused_imports)]
                pub use #parts::types::*;
            )*
        }
    }
}

/// The files of the common crate and of every part.
pub(crate) fn jobs<'a>(cx: &'a Cx<'a>, config: &'a Config) -> Vec<Job<'a>> {
    let mut jobs: Vec<Job<'a>> = Vec::new();
    let common = common_crate(config);
    let groups = |k: usize| -> Vec<String> { cx.features.part_groups(k).map(str::to_string).collect() };
    jobs.push((
        format!("{COMMON_DIR}/Cargo.toml"),
        Box::new(move || {
            let about = format!("The types that several operation groups of `{}` use", config.crate_name);
            FileBody::Text(part_manifest(config, &common_crate(config), &about, "", &cx.features.manifest_table()))
        }),
    ));
    jobs.push((
        format!("{COMMON_DIR}/src/lib.rs"),
        Box::new(move || FileBody::Rust(part_lib(config, "the types that several of its operation groups use", false))),
    ));
    jobs.extend(super::types::emit_types_of(cx, Some(Home::Common), format!("{COMMON_DIR}/"), None));
    for k in 0..cx.features.parts() {
        let dir = part_dir(k);
        let common_rust = rust_name(&common);
        let common = common.clone();
        jobs.push((
            format!("{dir}/Cargo.toml"),
            Box::new(move || {
                let list = groups(k).join("`, `");
                let about = format!("The operation groups `{list}` of `{}`", config.crate_name);
                let deps = sibling(&common, "../common", config);
                let mut features = cx.features.part_manifest_table(k, &common);
                features.push_str("blocking = [\"client-runtime/blocking\"]\n");
                FileBody::Text(part_manifest(config, &part_crate(config, k), &about, &deps, &features))
            }),
        ));
        jobs.push((
            format!("{dir}/src/lib.rs"),
            Box::new(move || {
                let what = format!("the operation groups `{}` and the types only they use", groups(k).join("`, `"));
                FileBody::Rust(part_lib(config, &what, true))
            }),
        ));
        jobs.extend(super::types::emit_types_of(cx, Some(Home::Part(k)), format!("{dir}/"), Some(common_rust)));
        jobs.extend(super::operations::emit_operations_of(cx, Some(k), format!("{dir}/")));
    }
    jobs
}

/// The manifest of the common crate or a part.
fn part_manifest(config: &Config, name: &str, about: &str, siblings: &str, features: &str) -> String {
    let mut package = config.settings.package.clone();
    package.description = Some(format!("{about}, re-exported there: depend on `{}` instead", config.crate_name));
    let mut dependencies = runtime_dependencies(config);
    dependencies.push_str(siblings);
    manifest(name, config, &package_metadata(&package, false), &dependencies, features) + LIB_TABLE
}

/// The `lib.rs` of the common crate or a part.
fn part_lib(config: &Config, what: &str, operations: bool) -> TokenStream {
    let doc = format!(" Part of `{}`: {what}.", config.crate_name);
    let doc2 = format!(" Depend on `{}` instead: it re-exports every item here.", config.crate_name);
    let runtime = super::runtime::reexport();
    let lints = super::crate_lints();
    let operations = operations.then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod operations;
        }
    });
    quote! {
        #![doc = #doc]
        #![doc = ""]
        #![doc = #doc2]
        #lints

        #operations
        #runtime
        #[rustfmt::skip]
        pub mod types;
    }
}
