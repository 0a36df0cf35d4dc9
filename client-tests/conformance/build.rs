//! Lowers `spec/openapi.yaml` with the generator (as `cargo xtask codegen`
//! does) and writes the conformance plan into `OUT_DIR`: `inputs.json`,
//! one input per operation, and `dispatch.rs`, the calls through the
//! generated client.

#[path = "src/plan.rs"]
mod plan;

use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let spec = root.join("spec/openapi.yaml");
    let settings = root.join("spec/codegen.yaml");
    println!("cargo:rerun-if-changed={}", spec.display());
    println!("cargo:rerun-if-changed={}", settings.display());
    println!("cargo:rerun-if-changed=src/plan.rs");
    let bytes = std::fs::read(&spec).expect("spec/openapi.yaml is readable");
    // With the overlays it lists, as `cargo xtask codegen` reads them.
    let settings = generator::write::read_settings(&settings).unwrap_or_else(|e| panic!("{e}"));
    for overlay in &settings.overlays {
        println!("cargo:rerun-if-changed={}", root.join("spec").join(&overlay.path).display());
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
        .unwrap_or_else(|d| panic!("spec/openapi.yaml does not lower: {d}"));
    let (inputs, dispatch) = plan::plan(&api);
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    std::fs::write(out.join("inputs.json"), serde_json::to_string_pretty(&inputs).expect("json"))
        .expect("OUT_DIR is writable");
    std::fs::write(out.join("dispatch.rs"), dispatch).expect("OUT_DIR is writable");
}
