//! The runtime of generated clients: HTTP transport, retries,
//! authentication, validation and wire encoding.
//!
//! A generated crate either depends on this crate (the generator's
//! `RuntimeSource::Crate`: built once, as a dependency, and shared by every
//! client that uses it) and re-exports its `runtime` module, or carries
//! its sources (`RuntimeSource::Embedded`, the default of the standalone
//! generator: the sources under `src/runtime/`, without their `tests`
//! modules, cut down to the parts its description uses, and the
//! `[dependencies]` of this crate's `Cargo.toml`). The module sits at
//! `crate::runtime` here too, so that paths such as
//! `$crate::runtime::Validate` in the runtime's macros resolve the same way
//! in both places.

// `pub(crate)` helpers that only generated code calls (`Error::cast`) have
// no caller in this crate.
#[allow(dead_code)]
pub mod runtime;
