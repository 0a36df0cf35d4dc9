//! A Petstore client generated at build time (see `build.rs`): the whole
//! generated crate, included at this crate's root because generated code
//! names its items by `crate::` paths.
//!
//! The spec is `spec/petstore.yaml`, the OpenAPI Initiative's example
//! (Apache-2.0, from OAI/OpenAPI-Specification `_archive_/schemas/v3.0/pass/petstore.yaml`).

include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
