//! Runs the unit tests inside the runtime module that every generated crate
//! carries (the generated crate itself is built with `test = false`).

#[allow(dead_code, unused_imports)]
#[path = "../../generated/src/runtime/mod.rs"]
mod runtime;
