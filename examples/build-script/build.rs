//! Generates the Petstore client into `OUT_DIR/petstore.rs` at build time;
//! `src/lib.rs` includes it. A bad description fails the build with the
//! generator's diagnostics (file and JSON pointer).

use std::path::PathBuf;

fn main() {
    let spec = "spec/petstore.yaml";
    println!("cargo:rerun-if-changed={spec}");
    let config = generator::Config {
        crate_name: "petstore-build-script".into(),
        crate_version: "0.1.0".into(),
        spec_label: spec.into(),
        command: "cargo build (build.rs)".into(),
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
    for w in output.diagnostics.warnings() {
        println!("cargo:warning={spec}: {w}");
    }
    // `Layout::SingleFile`: the crate is one file, its modules inline.
    let Some(code) = output.single_file() else {
        eprintln!("error: the generator made a crate folder, not one file");
        std::process::exit(1);
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("petstore.rs");
    if let Err(e) = std::fs::write(&out, code) {
        eprintln!("error: cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}
