//! Macros that generated types use instead of repeating the same impls for
//! every enum. Generated code declares the enum and its `VARIANTS` table
//! (wire value and variant, one per line); the impls live here once, and
//! the table lookups they make are two generic functions, type-checked here
//! once instead of as closures in every enum.
//! Their methods are `#[inline]`, like every non-generic method the
//! generator writes per type: their code is generated only in the crates
//! that call them, not in every build of the client.

/// Implements `as_str`, `From<&str>`, `Display`, serde and `Validate` for a
/// string enum with an `Unknown(String)` variant and a `VARIANTS` table.
#[doc(hidden)]
#[allow(unused_macros)]
#[macro_export] // @crate
macro_rules! string_enum {
    ($name:ident) => {
        impl $name {
            /// The value on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    Self::Unknown(__s) => __s,
                    __known => $crate::runtime::__private::wire_of(Self::VARIANTS, __known),
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            #[inline]
            fn from(s: &str) -> Self {
                match $crate::runtime::__private::variant_of(Self::VARIANTS, s) {
                    Some(__v) => __v,
                    None => Self::Unknown(s.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, s: __S) -> Result<__S::Ok, __S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(d: __D) -> Result<Self, __D::Error> {
                match $crate::runtime::__private::borrowed_str(d) {
                    Ok(__s) => Ok(Self::from(&*__s)),
                    Err(__e) => Err(__e),
                }
            }
        }

        impl $crate::runtime::Validate for $name {}
    };
}
// @embedded #[allow(unused_imports)]
// @embedded pub(crate) use string_enum;

/// Like [`string_enum`] for integer enums with an `Unknown(i64)` variant.
#[doc(hidden)]
#[allow(unused_macros)]
#[macro_export] // @crate
macro_rules! int_enum {
    ($name:ident) => {
        impl $name {
            /// The value on the wire.
            #[inline]
            pub fn value(&self) -> i64 {
                match self {
                    Self::Unknown(__n) => *__n,
                    __known => $crate::runtime::__private::wire_of(Self::VARIANTS, __known),
                }
            }
        }

        impl ::core::convert::From<i64> for $name {
            #[inline]
            fn from(n: i64) -> Self {
                match $crate::runtime::__private::variant_of(Self::VARIANTS, &n) {
                    Some(__v) => __v,
                    None => Self::Unknown(n),
                }
            }
        }

        impl std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.value().fmt(f)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, s: __S) -> Result<__S::Ok, __S::Error> {
                s.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(d: __D) -> Result<Self, __D::Error> {
                <i64 as serde::Deserialize>::deserialize(d).map(Self::from)
            }
        }

        impl $crate::runtime::Validate for $name {}
    };
}
// @embedded #[allow(unused_imports)]
// @embedded pub(crate) use int_enum;

/// The wire value of the known variant `known` in an enum's `VARIANTS`
/// table (written once here, not as a search in every enum's `as_str`).
pub fn wire_of<W: Copy + Default, T: PartialEq>(variants: &[(W, T)], known: &T) -> W {
    // An index loop, not `iter().find().map()`: slice indexing is built in,
    // while the iterator chain would be four more functions per enum in
    // every binary that uses it.
    let mut i = 0;
    while i < variants.len() {
        if variants[i].1 == *known {
            return variants[i].0;
        }
        i += 1;
    }
    W::default()
}

/// The variant whose wire value is `wire`, if an enum's `VARIANTS` table
/// has one.
pub fn variant_of<W: std::borrow::Borrow<V>, V: PartialEq + ?Sized, T: Clone>(
    variants: &[(W, T)],
    wire: &V,
) -> Option<T> {
    // An index loop, as in `wire_of`.
    let mut i = 0;
    while i < variants.len() {
        if variants[i].0.borrow() == wire {
            return Some(variants[i].1.clone());
        }
        i += 1;
    }
    None
}

/// Reads a string, borrowed from the input when it can be (no escapes),
/// for values that are matched or parsed rather than kept (enums, dates):
/// serde's `Cow<str>` impl always makes a `String`, one allocation per
/// value. Generic over the deserializer only, so its code is made once,
/// not per enum. A value that is not a string is the same "invalid type:
/// .., expected a string" as `String`'s.
pub fn borrowed_str<'de, D: serde::Deserializer<'de>>(d: D) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    d.deserialize_str(CowStr)
}

struct CowStr;

impl<'de> serde::de::Visitor<'de> for CowStr {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Borrowed(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v))
    }
}
