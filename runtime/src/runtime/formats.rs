//! String formats with their own types.
//!
//! `date-time` and `date` are real date types (RFC 3339, via `time`) and are
//! parsed strictly: a malformed value fails decoding with the field's path.
//! `hostname`, `email` and `uri` are string newtypes that check their rules
//! on construction and in [`Validate`], but, like every constraint, accept
//! any string when deserialized. `byte` is [`Base64`].
//! Unknown formats (`authenticator-id`) are plain `String`s.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::validate::{Validate, ValidationError, Validator, Violation};

fn violation(constraint: &str, value: &str) -> Violation {
    Violation { path: String::new(), constraint: constraint.to_string(), actual: format!("{value:?}") }
}

macro_rules! checked_string {
    ($(#[$doc:meta])* $name:ident, $check:path, $constraint:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Checks the format; the error names it.
            pub fn new(value: impl Into<String>) -> Result<Self, ValidationError> {
                let value = value.into();
                if $check(&value) {
                    Ok($name(value))
                } else {
                    Err(violation($constraint, &value).into())
                }
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl super::validate::Unchecked for $name {
            fn unchecked(value: String) -> Self {
                $name(value)
            }
        }

        impl Validate for $name {
            fn validate(&self, v: &mut Validator) {
                if !$check(&self.0) {
                    v.fail($constraint, format!("{:?}", self.0));
                }
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValidationError;
            fn try_from(value: String) -> Result<Self, ValidationError> {
                Self::new(value)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = ValidationError;
            fn try_from(value: &str) -> Result<Self, ValidationError> {
                Self::new(value)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map($name)
            }
        }
    };
}

checked_string!(
    /// A DNS host name (RFC 1123): at most 253 octets, labels of 1 to 63
    /// letters, digits and hyphens, no label starting or ending with `-`.
    Hostname,
    is_hostname,
    "format hostname (RFC 1123)"
);
checked_string!(
    /// An e-mail address: one `@` with a non-empty local part and a domain.
    Email,
    is_email,
    "format email"
);
checked_string!(
    /// An absolute URI (RFC 3986).
    Uri,
    is_uri,
    "format uri"
);

/// RFC 1123 host name rules.
pub(crate) fn is_hostname(s: &str) -> bool {
    let s = s.strip_suffix('.').unwrap_or(s);
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn is_email(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && !domain.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

fn is_uri(s: &str) -> bool {
    url::Url::parse(s).is_ok()
}

/// An RFC 3339 date-time (`2023-11-07T05:31:56Z`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime(pub time::OffsetDateTime);

impl DateTime {
    /// Parses an RFC 3339 date-time; the error names the format.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        Self::read(s).map_err(ValidationError::from)
    }
    fn read(s: &str) -> Result<Self, Violation> {
        time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
            .map(DateTime)
            .map_err(|_| violation("format date-time (RFC 3339)", s))
    }
    pub fn now_utc() -> Self {
        DateTime(time::OffsetDateTime::now_utc())
    }
}

impl Deref for DateTime {
    type Target = time::OffsetDateTime;
    fn deref(&self) -> &time::OffsetDateTime {
        &self.0
    }
}

impl From<time::OffsetDateTime> for DateTime {
    fn from(t: time::OffsetDateTime) -> Self {
        DateTime(t)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(&time::format_description::well_known::Rfc3339) {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{}", self.0),
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = super::macros::borrowed_str(d)?;
        DateTime::read(&s).map_err(|v| serde::de::Error::custom(format!("{} breaks {}", v.actual, v.constraint)))
    }
}

impl Validate for DateTime {}

/// An RFC 3339 full date (`2023-11-07`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub time::Date);

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl Date {
    /// Parses an RFC 3339 full date; the error names the format.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        Self::read(s).map_err(ValidationError::from)
    }
    fn read(s: &str) -> Result<Self, Violation> {
        time::Date::parse(s, DATE_FORMAT).map(Date).map_err(|_| violation("format date (RFC 3339)", s))
    }
}

impl Deref for Date {
    type Target = time::Date;
    fn deref(&self) -> &time::Date {
        &self.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(DATE_FORMAT) {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{}", self.0),
        }
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = super::macros::borrowed_str(d)?;
        Date::read(&s).map_err(|v| serde::de::Error::custom(format!("{} breaks {}", v.actual, v.constraint)))
    }
}

impl Validate for Date {}

/// Bytes sent as base64 text (`format: byte`). Decoding accepts the
/// standard and URL-safe alphabets, with or without padding.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64(pub Vec<u8>);

impl Deref for Base64 {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(v: Vec<u8>) -> Self {
        Base64(v)
    }
}

impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({} bytes)", self.0.len())
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use base64::Engine;
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
        use base64::Engine;
        let s = super::macros::borrowed_str(d)?;
        let trimmed = s.trim_end_matches('=');
        STANDARD_NO_PAD
            .decode(trimmed)
            .or_else(|_| URL_SAFE_NO_PAD.decode(trimmed))
            .map(Base64)
            .map_err(|e| serde::de::Error::custom(format!("invalid base64: {e}")))
    }
}

impl Validate for Base64 {}

#[cfg(test)]
mod tests;
