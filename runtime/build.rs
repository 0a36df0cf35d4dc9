//! Records the version of the compiler building this crate, for the
//! telemetry header's `env.rust` entry (`CLIENT_RUSTC_VERSION`); it is
//! `unknown` when `rustc --version` cannot be read. The generator copies
//! this file into every generated crate as its `build.rs`.

fn main() {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.split_whitespace().nth(1).map(str::to_string))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=CLIENT_RUSTC_VERSION={version}");
    println!("cargo:rerun-if-env-changed=RUSTC");
    println!("cargo:rerun-if-changed=build.rs");
}
