//! JSON pointers (RFC 6901) into the spec, displayed as URI fragments.
//!
//! `~` is written `~0` and `/` is written `~1`, so the path
//! `/users/{id}` becomes `#/paths/~1users~1{id}`. Pointers are built while
//! walking the document and stored on IR nodes for diagnostics.

use std::fmt;

/// A location in the spec document.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// Parses the fragment of a local `$ref` (`#/components/schemas/Foo`).
    pub fn from_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        if !rest.is_empty() && !rest.starts_with('/') {
            return None;
        }
        Some(Pointer(rest.to_string()))
    }

    /// The pointer to a child key or index.
    pub fn join(&self, token: impl AsRef<str>) -> Self {
        let token = token.as_ref();
        let mut res = String::with_capacity(self.0.len() + token.len() + 1);
        res.push_str(&self.0);
        res.push('/');
        for c in token.chars() {
            match c {
                '~' => res.push_str("~0"),
                '/' => res.push_str("~1"),
                c => res.push(c),
            }
        }
        Pointer(res)
    }

    /// The unescaped reference tokens.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~"))
    }

    /// The last token, unescaped.
    pub fn last(&self) -> Option<String> {
        self.tokens().last()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl fmt::Debug for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl From<Pointer> for String {
    fn from(p: Pointer) -> String {
        p.to_string()
    }
}

impl From<&Pointer> for String {
    fn from(p: &Pointer) -> String {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slash_and_tilde() {
        let p = Pointer::root().join("paths").join("/users/{id}").join("a~b");
        assert_eq!(p.to_string(), "#/paths/~1users~1{id}/a~0b");
        assert_eq!(p.tokens().collect::<Vec<_>>(), ["paths", "/users/{id}", "a~b"]);
    }

    #[test]
    fn parses_local_refs_only() {
        assert_eq!(Pointer::from_ref("#/components/schemas/A").unwrap().last().as_deref(), Some("A"));
        assert!(Pointer::from_ref("other.yaml#/A").is_none());
        assert!(Pointer::from_ref("#A").is_none());
    }
}
