//! Generates the paging fixture (`generator/tests/fixtures/paging_conventions.yaml`)
//! with no settings file into `OUT_DIR/paging_conventions.rs`; `src/lib.rs`
//! includes it, and `tests/it/paging_conventions.rs` walks its streams over
//! HTTP. A failure to generate fails the build with the diagnostics.

use std::path::PathBuf;

fn main() {
    let spec = "../generator/tests/fixtures/paging_conventions.yaml";
    println!("cargo:rerun-if-changed={spec}");
    let config = generator::Config {
        crate_name: "paging-conventions".into(),
        crate_version: "0.1.0".into(),
        spec_label: "generator/tests/fixtures/paging_conventions.yaml".into(),
        command: "cargo build -p client-tests (build.rs)".into(),
        standalone: false,
        settings: Default::default(),
    };
    let output = match generator::write::generate_file(spec.as_ref(), None, config) {
        Ok(output) => output,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let code = match generator::single_file::single_file(&output.files) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("paging_conventions.rs");
    if let Err(e) = std::fs::write(&out, code) {
        eprintln!("error: cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}
