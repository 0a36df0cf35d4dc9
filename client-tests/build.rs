//! Generates the paging fixture (`generator/tests/fixtures/paging_conventions.yaml`)
//! with no settings file into `OUT_DIR/paging_conventions.rs`; `src/lib.rs`
//! includes it, and `tests/it/paging_conventions.rs` walks its streams over
//! HTTP. A failure to generate fails the build with the diagnostics.
//!
//! Also lowers `spec/openapi.yaml` (as `cargo xtask codegen` does) and
//! writes its paged lists into `OUT_DIR/auth0_streams.rs`
//! (`build/auth0_streams.rs`), which `tests/it/auth0_streams.rs` walks.

use std::path::PathBuf;

#[path = "build/auth0_streams.rs"]
mod auth0_streams;
// The conformance plan's value generator; the rest of it is unused here.
#[allow(dead_code)]
#[path = "conformance/src/plan.rs"]
mod plan;

fn main() {
    auth0_lists();
    let spec = "../generator/tests/fixtures/paging_conventions.yaml";
    println!("cargo:rerun-if-changed={spec}");
    let config = generator::Config {
        crate_name: "paging-conventions".into(),
        crate_version: "0.1.0".into(),
        spec_label: "generator/tests/fixtures/paging_conventions.yaml".into(),
        command: "cargo build -p client-tests (build.rs)".into(),
        standalone: false,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::SingleFile,
        settings: Default::default(),
    };
    let output = match generator::write::generate_file(spec.as_ref(), None, config) {
        Ok(output) => output,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    // `Layout::SingleFile`: the crate is one file, its modules inline.
    let Some(code) = output.single_file() else {
        eprintln!("error: the generator made a crate folder, not one file");
        std::process::exit(1);
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("paging_conventions.rs");
    if let Err(e) = std::fs::write(&out, code) {
        eprintln!("error: cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}

/// Writes `OUT_DIR/auth0_streams.rs` from the IR of `spec/openapi.yaml`.
fn auth0_lists() {
    for f in ["../spec/openapi.yaml", "../spec/codegen.yaml", "build/auth0_streams.rs", "conformance/src/plan.rs"] {
        println!("cargo:rerun-if-changed={f}");
    }
    let fail = |e: String| -> ! {
        eprintln!("error: {e}");
        std::process::exit(1);
    };
    let bytes = std::fs::read("../spec/openapi.yaml").unwrap_or_else(|e| fail(format!("spec/openapi.yaml: {e}")));
    // With the overlays it lists, as `cargo xtask codegen` reads them.
    let settings = generator::write::read_settings("../spec/codegen.yaml".as_ref()).unwrap_or_else(|e| fail(e));
    for overlay in &settings.overlays {
        println!("cargo:rerun-if-changed=../spec/{}", overlay.path);
    }
    let config = generator::Config {
        crate_name: "auth0-management-api".into(),
        crate_version: "0.1.0".into(),
        spec_label: "spec/openapi.yaml".into(),
        command: "cargo xtask codegen".into(),
        standalone: false,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::Crate,
        settings,
    };
    let (api, _) = generator::load_api("spec/openapi.yaml", &bytes, &config)
        .unwrap_or_else(|d| fail(format!("spec/openapi.yaml does not lower: {d}")));
    let src = auth0_streams::source(&api).unwrap_or_else(|e| fail(e));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("auth0_streams.rs");
    if let Err(e) = std::fs::write(&out, src) {
        fail(format!("cannot write {}: {e}", out.display()));
    }
}
