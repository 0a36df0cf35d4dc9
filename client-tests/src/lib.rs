//! Tests of the generated client live in `tests/`; this library is empty.
//!
//! `generated/` is written only by `cargo xtask codegen`, so its tests are
//! kept here, against a real HTTP server on 127.0.0.1.
