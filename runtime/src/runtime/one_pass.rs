//! Untagged unions read in one pass, where the JSON type of the value
//! alone picks the variant.
//!
//! [`tagged`](super::tagged) reads a union's value as its text and then
//! decodes the chosen variant from that text: everything under a union is
//! parsed twice, and a response that is a union (Auth0's lists with totals:
//! a list or an object) decodes at two thirds of a struct's speed. Most
//! untagged unions need no look ahead: at most one variant can be an object
//! and at most one a list ([`OnePass`], decided by the generator), so the
//! first byte of the value chooses, and an object or a list is decoded as
//! that variant straight from the deserializer ([`one_pass`]). A scalar is
//! held in full as it is read, so its variants are tried in order as before.
//!
//! What the two-pass read does on a value no variant fits is keep it in
//! `Unknown`, which a single pass cannot do once it has consumed part of an
//! object. So a body is first decoded with unions read in one pass, and
//! only if that fails is it decoded again as before ([`from_str`]): any
//! value that decodes in one pass decodes to the same value in two (the
//! object or list had only that variant to be), and any other body gets
//! exactly the two-pass result, `Unknown` values and errors included, at
//! the cost of a second decode. The mode is a thread-local flag, set only
//! while [`from_str`] runs the first decode and cleared inside
//! [`try_raw`](super::tagged::try_raw), where a failure picks another
//! variant instead of failing the body: `serde_json::from_str` called
//! anywhere else reads every union in two passes, as it always did.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeOwned, Error, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

thread_local! {
    /// Whether unions may read their value in one pass.
    static ONE_PASS: Cell<bool> = const { Cell::new(false) };
}

/// Whether the union being decoded may read its value in one pass.
#[inline]
pub fn enabled() -> bool {
    ONE_PASS.with(Cell::get)
}

/// Runs `f` with one-pass reading on or off, restoring the mode after
/// (also when `f` panics).
pub(crate) fn with<R>(on: bool, f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ONE_PASS.with(|m| m.set(self.0));
        }
    }
    let _restore = Restore(ONE_PASS.with(|m| m.replace(on)));
    f()
}

/// Decodes JSON text as `T`: with unions read in one pass, and if that
/// fails, again with every union read in two, whose result (a value or an
/// error) is returned.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    match with(true, || serde_json::from_str(text)) {
        Ok(v) => Ok(v),
        Err(_) => with(false, || serde_json::from_str(text)),
    }
}

/// An untagged union that at most one variant of can be an object and at
/// most one a list, implemented by the generated union.
pub trait OnePass: Sized {
    /// The union's name, for "expected ..." errors.
    const NAME: &'static str;
    /// The variant an object is decoded as (`Value` for `Unknown` when no
    /// variant can be one).
    type Object: DeserializeOwned;
    /// The variant a list is decoded as (`Value` for `Unknown` when no
    /// variant can be one).
    type List: DeserializeOwned;
    /// The union of its object variant.
    fn object(v: Self::Object) -> Self;
    /// The union of its list variant.
    fn list(v: Self::List) -> Self;
    /// A string, number, boolean or `null`: the first variant, in order,
    /// that decodes it, else `Unknown` ([`try_scalar`]).
    fn scalar(v: Value) -> Self;
}

/// Reads a [`OnePass`] union: an object or a list decoded as its one
/// variant, straight from `d`.
pub fn one_pass<'de, U: OnePass, D: Deserializer<'de>>(d: D) -> Result<U, D::Error> {
    d.deserialize_any(OnePassVisitor(PhantomData))
}

/// Decodes a scalar as a variant, if it fits, with unions below it read in
/// two passes (a failure here picks the next variant).
pub fn try_scalar<T: DeserializeOwned>(v: &Value) -> Option<T> {
    with(false, || T::deserialize(v).ok())
}

struct OnePassVisitor<U>(PhantomData<U>);

impl<'de, U: OnePass> Visitor<'de> for OnePassVisitor<U> {
    type Value = U;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "union {}", U::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<U, A::Error> {
        match U::Object::deserialize(MapAccessDeserializer::new(m)) {
            Ok(v) => Ok(U::object(v)),
            Err(e) => Err(e),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<U, A::Error> {
        match U::List::deserialize(SeqAccessDeserializer::new(s)) {
            Ok(v) => Ok(U::list(v)),
            Err(e) => Err(e),
        }
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<U, E> {
        Ok(U::scalar(Value::String(v.to_owned())))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<U, E> {
        Ok(U::scalar(Value::String(v)))
    }

    fn visit_bool<E: Error>(self, v: bool) -> Result<U, E> {
        Ok(U::scalar(Value::Bool(v)))
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<U, E> {
        Ok(U::scalar(Value::from(v)))
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<U, E> {
        Ok(U::scalar(Value::from(v)))
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<U, E> {
        // JSON has no NaN or infinity: `from` maps them to `null`, as a
        // `Value` read from the text would never hold them.
        Ok(U::scalar(Value::from(v)))
    }

    fn visit_unit<E: Error>(self) -> Result<U, E> {
        Ok(U::scalar(Value::Null))
    }

    fn visit_none<E: Error>(self) -> Result<U, E> {
        Ok(U::scalar(Value::Null))
    }
}

#[cfg(test)]
mod tests;
