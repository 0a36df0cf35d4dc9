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
//!
//! A union whose variants that can be objects are several structs, each
//! knowing only its fields, needs the object's keys to choose (Auth0's
//! offset or checkpoint pages). When it is read only as a whole response,
//! its object is read as the variant the last one was, the keys noted as
//! the struct reads them, and kept only if those keys put that variant
//! first in the two-pass order ([`ObjectVariants`], [`Guessed`]); else the
//! body is read again in two passes, and the next guess is the variant
//! that fitted. Inside other values a miss would come back item after
//! item, so such a union is read in two passes there.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeOwned, Error, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::fit::{order_by_keys, Fit};

thread_local! {
    /// Whether unions may read their value in one pass.
    static ONE_PASS: Cell<bool> = const { Cell::new(false) };
    /// While an object is read as a guessed variant ([`Guessed`]), how
    /// deep in structs the read is: 1 outside the variant's struct, 2 in
    /// it; 0 when no guess is being read.
    static KEY_DEPTH: Cell<u32> = const { Cell::new(0) };
    /// The keys of the guessed variant's object, as read.
    static KEYS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
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
    let first = with(true, || read(text));
    if first.is_ok() {
        return first;
    }
    with(false, || read(text))
}

/// `serde_json::from_str`, returning the decoded value where it was
/// decoded rather than moving it out and back in: a large struct (Auth0's
/// application is 4.5 KB) is otherwise copied once more for every body.
#[inline]
fn read<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let read = T::deserialize(&mut de);
    match (&read, de.end()) {
        (Ok(_), Err(e)) => Err(e),
        _ => read,
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

/// An untagged union read only at the top of a body (a list page: Auth0's
/// offset or checkpoint page beside the bare list) whose variants that can
/// be objects are several structs that know only their fields,
/// implemented by the generated union. Its [`OnePass::Object`] is
/// [`Guessed`]: an object is read as the variant the last one was, its
/// keys noted as they go by, and kept if the two-pass read would have
/// tried that variant first ([`raw_variant_order`](super::tagged::raw_variant_order),
/// by the same keys). Otherwise the read fails, so the body is decoded
/// again in two passes ([`from_str`]), and the next object is read as the
/// variant that fitted.
pub trait ObjectVariants: Sized {
    /// How each variant fits an object, as the two-pass read has it.
    const FITS: &'static [Fit];
    /// The variant an object was last read as: the next one's guess.
    fn last() -> &'static AtomicUsize;
    /// Decodes the object `m` as variant `i` (a `Fit::Fields` one).
    fn object_as<'de, A: MapAccess<'de>>(i: usize, m: A) -> Result<Self, A::Error>;
}

/// Decodes the object `m` as `T`, for [`ObjectVariants::object_as`].
#[inline]
pub fn object_as<'de, T: Deserialize<'de>, A: MapAccess<'de>>(m: A) -> Result<T, A::Error> {
    T::deserialize(MapAccessDeserializer::new(m))
}

/// An object read as the guessed variant of a union ([`ObjectVariants`]).
pub struct Guessed<U>(pub U);

impl<'de, U: ObjectVariants> Deserialize<'de> for Guessed<U> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(GuessVisitor(PhantomData))
    }
}

struct GuessVisitor<U>(PhantomData<U>);

impl<'de, U: ObjectVariants> Visitor<'de> for GuessVisitor<U> {
    type Value = Guessed<U>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Guessed<U>, A::Error> {
        let objects: Vec<usize> = (0..U::FITS.len()).filter(|i| matches!(U::FITS[*i], Fit::Fields(_))).collect();
        let guess = U::last().load(Ordering::Relaxed);
        if !objects.contains(&guess) {
            return Err(A::Error::custom("no variant of the union to read an object as"));
        }
        let (read, keys) = noting_keys(|| U::object_as(guess, m));
        let value = match read {
            Ok(v) => v,
            Err(e) => {
                // The next object tries the next variant first.
                let next = objects.iter().position(|i| *i == guess).map_or(0, |p| (p + 1) % objects.len());
                U::last().store(objects[next], Ordering::Relaxed);
                return Err(e);
            }
        };
        let mut order = objects;
        order_by_keys(&mut order, keys, U::FITS);
        match order.first() {
            Some(best) if *best == guess => Ok(Guessed(value)),
            best => {
                U::last().store(best.copied().unwrap_or(guess), Ordering::Relaxed);
                Err(A::Error::custom("another variant of the union fits the object better"))
            }
        }
    }
}

/// Runs `f`, the read of a guessed variant, noting the keys of its own
/// object ([`key_seen`]); the state before is restored after, also when
/// `f` panics.
fn noting_keys<R>(f: impl FnOnce() -> R) -> (R, Vec<String>) {
    struct Restore(u32, Vec<String>);
    impl Drop for Restore {
        fn drop(&mut self) {
            KEY_DEPTH.with(|d| d.set(self.0));
            KEYS.with(|k| *k.borrow_mut() = std::mem::take(&mut self.1));
        }
    }
    let restore = Restore(KEY_DEPTH.with(|d| d.replace(1)), KEYS.with(|k| std::mem::take(&mut *k.borrow_mut())));
    let read = f();
    let keys = KEYS.with(|k| std::mem::take(&mut *k.borrow_mut()));
    drop(restore);
    (read, keys)
}

/// A generated struct is read (`structs.rs`' visitor): one level deeper
/// while a guessed variant's keys are noted.
#[inline]
pub(crate) fn in_struct<R>(f: impl FnOnce() -> R) -> R {
    let depth = KEY_DEPTH.with(Cell::get);
    if depth == 0 {
        return f();
    }
    KEY_DEPTH.with(|d| d.set(depth + 1));
    let read = f();
    KEY_DEPTH.with(|d| d.set(depth));
    read
}

/// A generated struct that keeps no unknown keys ([`FieldKey`](super::structs::FieldKey),
/// as every guessed variant is) read the key `key`: noted when it is one
/// of the guessed variant's own.
#[inline]
pub(crate) fn key_seen(key: &str) {
    if KEY_DEPTH.with(Cell::get) == 2 {
        KEYS.with(|k| k.borrow_mut().push(key.to_owned()));
    }
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
