//! Diagnostics: what the generator tells a user about their spec.
//!
//! Every message is lowercase, has no trailing period and names the JSON
//! pointer of the offending node (`#/paths/~1users~1{id}/post/...`). Errors
//! stop generation; warnings mark a documented fallback that was taken.
//! This module only formats and collects; it never prints.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A construct was not modelled exactly; a documented fallback was used.
    Warning,
    /// The spec cannot be turned into a client.
    Error,
}

/// One finding about the spec, located by JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub pointer: String,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{kind}: {}: {}", self.pointer, self.message)
    }
}

/// A sorted, deduplicated collection of diagnostics for one spec file.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    /// The file the pointers refer to, as the user named it.
    pub file: String,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new(file: impl Into<String>) -> Self {
        Diagnostics { file: file.into(), items: Vec::new() }
    }

    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Error, pointer.into(), message.into());
    }

    pub fn warning(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Warning, pointer.into(), message.into());
    }

    fn push(&mut self, severity: Severity, pointer: String, message: String) {
        // Hostile specs can produce one finding per node; a bound keeps memory
        // and output sane while the first findings still tell the story.
        const MAX_DIAGNOSTICS: usize = 10_000;
        if self.items.len() < MAX_DIAGNOSTICS {
            self.items.push(Diagnostic { pointer, severity, message });
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Warning)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorts by pointer and drops exact duplicates, so output is deterministic.
    pub fn finish(&mut self) {
        self.items.sort();
        self.items.dedup();
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{}: {d}", self.file)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
