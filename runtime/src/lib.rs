//! The client runtime as a crate of its own, so that it has a manifest,
//! unit tests and docs.
//!
//! Generated crates do not depend on this crate: the generator embeds the
//! sources under `src/runtime/` (without their `tests` modules) and writes
//! them into every generated crate as its `runtime` module, and copies the
//! `[dependencies]` of this crate's `Cargo.toml` into the generated
//! manifest. The module sits at `crate::runtime` here too, so that paths
//! such as `$crate::runtime::Validate` in the runtime's macros resolve the
//! same way in both places.

// `pub(crate)` helpers that only generated code calls (`Error::cast`) have
// no caller in this crate.
#[allow(dead_code)]
pub mod runtime;
