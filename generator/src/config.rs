//! Generation settings: what the caller decides, not what the spec says.

/// Settings for one generation run. There is deliberately no `Default`: every
/// caller says what it wants (rust-analyzer's style).
#[derive(Debug, Clone)]
pub struct Config {
    /// Name of the generated crate (`auth0-management`).
    pub crate_name: String,
    /// Version written into the generated `Cargo.toml`.
    pub crate_version: String,
    /// How the spec is named in file headers (`spec/openapi.yaml`).
    pub spec_label: String,
    /// The command that regenerates the output, written in every header.
    pub command: String,
    /// Add an empty `[workspace]` table so the crate builds outside ours.
    pub standalone: bool,
}
