//! `Serialize` and `Deserialize` of generated structs, written once here
//! instead of derived per type (used by generated code through
//! `serde_struct!`; not an API of its own).
//!
//! serde's derives write, for every struct, a field enum, three key
//! visitors, a sequence visitor, a map visitor and a `serialize` with a
//! branch per field: about 40 lines of code to type-check per field, which
//! made up most of a large client's build time. `serde_struct!` takes a
//! table of fields and writes one `let`, one `match` arm on the field's
//! index, one initializer and one writer call per field; key decoding and
//! the rest live here.
//!
//! A field's kind says how it is read and written:
//!
//! | kind | Rust type | absent | `null` | written |
//! |---|---|---|---|---|
//! | `req` | `T` | error | error (unless `T` takes it) | always |
//! | `req_null` | `Option<T>` | `None` | `None` | always (`None` as `null`) |
//! | `opt` | `Option<T>` | `None` | `None` | when `Some` |
//! | `opt_null` | `Option<Option<T>>` | `None` | `Some(None)` | when `Some` |
//!
//! Unknown keys are skipped, or kept in `additional_properties` when the
//! schema allows them (written after the named fields). A repeated key keeps
//! its last value, as JSON parsers in browsers do. Values are written as a
//! map, which is what a JSON object is.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Error, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize};

/// What [`FieldKey`] gives for a key that is not a field.
pub const NOT_A_FIELD: u16 = u16::MAX;

/// A map key of a struct that keeps unknown properties, decoded by
/// [`KeepKey`].
pub enum Key<'de> {
    /// The field at this index of the struct's field names.
    Field(u16),
    /// A key that is not a field, kept.
    Other(Cow<'de, str>),
}

impl Key<'_> {
    /// The field's index, or [`NOT_A_FIELD`].
    #[inline]
    pub fn index(&self) -> u16 {
        match self {
            Key::Field(i) => *i,
            Key::Other(_) => NOT_A_FIELD,
        }
    }
}

/// Decodes a map key of a struct with the field names `fields` to the
/// field's index, or [`NOT_A_FIELD`], so the generated `visit_map` matches
/// integers (one switch) instead of comparing the key with every name in
/// turn. A `u16` comes back in a register, as the field enum of serde's
/// derives does; an unknown key costs no allocation. A struct that keeps
/// unknown keys reads them with [`KeepKey`].
#[derive(Clone, Copy)]
pub struct FieldKey {
    pub fields: &'static [&'static str],
    /// The indices of `fields` by the hash of their names
    /// ([`key_table`], built when the generated crate compiles).
    pub table: &'static [u16],
}

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = u16;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u16, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl FieldKey {
    /// The index of the field named `key`, or `None`: the slot of its hash
    /// in `table`, then the next ones until the name or an empty slot (the
    /// table is at least twice the number of fields, so a lookup compares
    /// about one name). serde's derives compare the key with a `match` per
    /// struct; this is the same work in one function.
    #[inline(always)]
    fn field(self, key: &str) -> Option<u16> {
        let k = key.as_bytes();
        let mask = self.table.len().checked_sub(1)?;
        let mut slot = key_hash(k) & mask;
        loop {
            let i = *self.table.get(slot)?;
            let name = self.fields.get(usize::from(i))?.as_bytes();
            if same_bytes(name, k) {
                return Some(i);
            }
            slot = (slot + 1) & mask;
        }
    }
}

impl<'de> Visitor<'de> for FieldKey {
    type Value = u16;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<u16, E> {
        super::one_pass::key_seen(v);
        Ok(self.field(v).unwrap_or(NOT_A_FIELD))
    }

    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<u16, E> {
        self.visit_str(&String::from_utf8_lossy(v))
    }
}

/// [`FieldKey`] for a struct that keeps unknown properties: a key that is
/// not a field comes back as its name.
#[derive(Clone, Copy)]
pub struct KeepKey(pub FieldKey);

impl<'de> DeserializeSeed<'de> for KeepKey {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeepKey {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(self.0.field(v).map_or(Key::Other(Cow::Borrowed(v)), Key::Field))
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.field(v).map_or_else(|| Key::Other(Cow::Owned(v.to_owned())), Key::Field))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(self.0.field(&v).map_or(Key::Other(Cow::Owned(v)), Key::Field))
    }

    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        self.visit_str(&String::from_utf8_lossy(v))
    }
}

/// Whether `a` and `b` are the same bytes. Field names are mostly up to 16
/// bytes: those are compared as two overlapping words (or the three bytes
/// that make up a name under 4), in line, where `==` on slices calls
/// `bcmp`, a call that cost more than the comparison for such keys.
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    #[inline(always)]
    fn word(s: &[u8], at: usize) -> u64 {
        let mut w = [0; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_ne_bytes(w)
    }
    #[inline(always)]
    fn half(s: &[u8], at: usize) -> u32 {
        let mut w = [0; 4];
        w.copy_from_slice(&s[at..at + 4]);
        u32::from_ne_bytes(w)
    }
    match n {
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

/// The hash of a field name for [`FieldKey::table`]: its length and three
/// of its bytes, a few instructions for a key of any length. Names that
/// share all four are told apart by the probe.
const fn key_hash(k: &[u8]) -> usize {
    let n = k.len();
    if n == 0 {
        return 0;
    }
    let (first, mid, last) = (k[0] as usize, k[n / 2] as usize, k[n - 1] as usize);
    (n.wrapping_mul(0x9e37) ^ first.wrapping_mul(0x1f3) ^ mid.wrapping_mul(0x7f1) ^ last.wrapping_mul(0x3d)) >> 2
}

/// The open-addressing table of `fields` for [`FieldKey::table`]: `T`
/// slots (a power of two, at least twice `fields.len()` and above it),
/// each the index of a field or `u16::MAX`, each field at the first free
/// slot from its hash on. A `const fn`: `serde_struct!` calls it in a
/// constant, so the table is built by the compiler and no code of it is
/// in a binary.
pub const fn key_table<const T: usize>(fields: &[&str]) -> [u16; T] {
    let mut table = [u16::MAX; T];
    assert!(T.is_power_of_two() && T > fields.len() && fields.len() < u16::MAX as usize);
    let mut i = 0;
    while i < fields.len() {
        let mut slot = key_hash(fields[i].as_bytes()) & (T - 1);
        while table[slot] != u16::MAX {
            slot = (slot + 1) & (T - 1);
        }
        table[slot] = i as u16;
        i += 1;
    }
    table
}

// The readers below call `next_value_seed` rather than `next_value` (a
// provided method: one more function per field type in every binary) and
// pass errors on with `serde_struct!`'s `@tri`, not `?` (a `branch` and a
// `from_residual` per field type).

/// Reads a map value into an `Option` slot as `Some` (a required field).
pub fn put_some<'de, A: MapAccess<'de>, T: Deserialize<'de>>(m: &mut A, slot: &mut Option<T>) -> Result<(), A::Error> {
    *slot = Some(crate::runtime::serde_struct!(@tri m.next_value_seed(PhantomData)));
    Ok(())
}

/// Reads a map value into an `Option` slot, `null` being `None` (an
/// optional field, or a required one that may be `null`).
pub fn put<'de, A: MapAccess<'de>, T: Deserialize<'de>>(m: &mut A, slot: &mut Option<T>) -> Result<(), A::Error> {
    m.next_value_seed(OptionSlot(slot))
}

/// Reads a map value into the slot of an optional field that may be
/// `null`: `Some(None)` for `null`, `Some(Some(..))` for a value.
pub fn put_null<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    m: &mut A,
    slot: &mut Option<Option<T>>,
) -> Result<(), A::Error> {
    let mut value = None;
    crate::runtime::serde_struct!(@tri m.next_value_seed(OptionSlot(&mut value)));
    *slot = Some(value);
    Ok(())
}

/// Reads `null` or a `T` into an `Option<T>` in place: what serde's
/// `Option<T>` impl does, without the functions it adds per `T` in every
/// binary (its visitor's `map(Some)`, the `Some` it passes, the `Result`
/// it returns and drops).
struct OptionSlot<'a, T>(&'a mut Option<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for OptionSlot<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionSlot<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: Error>(self) -> Result<(), E> {
        *self.0 = None;
        Ok(())
    }

    fn visit_unit<E: Error>(self) -> Result<(), E> {
        *self.0 = None;
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        *self.0 = Some(crate::runtime::serde_struct!(@tri T::deserialize(d)));
        Ok(())
    }
}

/// Skips a map value.
pub fn skip<'de, A: MapAccess<'de>>(m: &mut A) -> Result<(), A::Error> {
    crate::runtime::serde_struct!(@tri m.next_value_seed(PhantomData::<serde::de::IgnoredAny>));
    Ok(())
}

/// Reads the value of an unknown key into `extra` when the key is kept.
pub fn put_other<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    m: &mut A,
    key: Key<'de>,
    extra: &mut BTreeMap<String, T>,
) -> Result<(), A::Error> {
    match key {
        Key::Other(k) => {
            extra.insert(k.into_owned(), crate::runtime::serde_struct!(@tri m.next_value_seed(PhantomData)));
            Ok(())
        }
        _ => skip(m),
    }
}

/// The value of a required field, or serde's "missing field" error.
pub fn required<T, E: Error>(value: Option<T>, key: &'static str) -> Result<T, E> {
    match value {
        Some(v) => Ok(v),
        None => Err(E::missing_field(key)),
    }
}

/// A generated struct's side of its `Deserialize`: its name, its field
/// names and its `visit_map` (written by `serde_struct!`). The visitor
/// around it is `StructVisitor`, one generic type here instead of a
/// visitor type, its `Visitor` impl and its `expecting` in every struct.
pub trait VisitStruct<'de>: Sized {
    /// The struct's name, for "expected struct ..." errors.
    const NAME: &'static str;
    /// The wire names of its fields, in index order.
    const FIELDS: &'static [&'static str];
    /// `FIELDS` by the hash of their names ([`key_table`]).
    const TABLE: &'static [u16];

    /// Reads the struct from a map.
    fn visit_map<A: MapAccess<'de>>(m: A) -> Result<Self, A::Error>;
}

/// The visitor of every generated struct: reads a map with the struct's
/// [`VisitStruct::visit_map`].
struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: VisitStruct<'de>> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<T, A::Error> {
        super::one_pass::in_struct(|| T::visit_map(m))
    }
}

/// `Deserialize::deserialize` of a generated struct: a map and nothing else.
/// `deserialize_map`, not `deserialize_struct`: serde_json's
/// `deserialize_struct` also reads a struct from an array, which would
/// compile the visitor's (failing) `visit_seq` for every struct in every
/// binary; a generated struct is a JSON object, and an array gets the same
/// "invalid type: sequence, expected struct ..." either way.
pub fn deserialize_struct<'de, T: VisitStruct<'de>, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(StructVisitor(PhantomData))
}

/// Writes a struct's entries, keeping the first error: one call per field
/// and no `?` (a branch each) in the generated `serialize`.
pub struct MapWriter<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> MapWriter<M> {
    /// Writes into `map`; its length is not announced (JSON needs none).
    pub fn new<S: serde::Serializer<SerializeMap = M>>(s: S) -> Result<Self, S::Error> {
        Ok(MapWriter { map: s.serialize_map(None)?, error: None })
    }

    /// Writes a field that is always sent.
    pub fn write<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if self.error.is_none() {
            self.error = self.map.serialize_entry(key, value).err();
        }
    }

    /// Writes an optional field when it is `Some`.
    pub fn write_some<T: Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.write(key, v);
        }
    }

    /// Writes the unknown properties a struct keeps, after its fields.
    pub fn write_all<T: Serialize>(&mut self, extra: &BTreeMap<String, T>) {
        for (k, v) in extra {
            self.write(k, v);
        }
    }

    /// Ends the map, or gives the first error.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

/// Implements `Serialize` and `Deserialize` for a generated struct.
///
/// `serde_struct!(Name { field: "wire" kind Slot = index, .. } additional_properties)`:
/// each field with its wire name, kind (see the module docs), the type
/// `visit_map` collects it in (`Option<T>` for a `req` field of type `T`,
/// else the field's type) and index (0, 1, ..), then the map of unknown
/// properties if the struct has one. The slot's type is written where the
/// slot is declared: inferred from the struct literal at the end instead,
/// every slot would be an open inference variable through the whole key
/// loop, which makes type-checking a large struct's `visit_map` grow with
/// the square of its fields.
///
/// Errors are passed on with `match` and `return`, not `?`: in these
/// generic functions each `?` asks the trait solver for
/// `From<A::Error> for A::Error`, which it answers by looking through every
/// `From` impl in scope; `?` made the expansion about an eighth slower to
/// compile (as `serde_json`'s `tri!` notes too).
#[doc(hidden)]
#[allow(unused_macros)]
#[macro_export] // @crate
macro_rules! serde_struct {
    ($name:ident { $($field:ident: $key:literal $kind:ident $slot:ty = $idx:literal),* $(,)? } $($extra:ident)?) => {
        impl serde::Serialize for $name {
            #[allow(unused_mut, clippy::question_mark)]
            fn serialize<__S: serde::Serializer>(&self, s: __S) -> Result<__S::Ok, __S::Error> {
                let mut __w = $crate::runtime::serde_struct!(@tri $crate::runtime::__private::MapWriter::new(s));
                $($crate::runtime::serde_struct!(@write $kind __w $key self.$field);)*
                $(__w.write_all(&self.$extra);)?
                __w.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(d: __D) -> Result<Self, __D::Error> {
                $crate::runtime::__private::deserialize_struct(d)
            }
        }

        impl<'de> $crate::runtime::__private::VisitStruct<'de> for $name {
            const NAME: &'static str = stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($key),*];
            const TABLE: &'static [u16] = &$crate::runtime::__private::key_table::<
                { (([$($idx,)* 0].len() - 1) * 2).next_power_of_two() },
            >(Self::FIELDS);

            #[allow(unused_mut, clippy::question_mark)]
            fn visit_map<__A: serde::de::MapAccess<'de>>(mut m: __A) -> Result<Self, __A::Error> {
                let __key = $crate::runtime::__private::FieldKey { fields: Self::FIELDS, table: Self::TABLE };
                $(let mut $field: $slot = None;)*
                $(let mut $extra = std::collections::BTreeMap::new();)?
                loop {
                    let __k = match m.next_key_seed($crate::runtime::serde_struct!(@seed __key $($extra)?)) {
                        Ok(Some(__k)) => __k,
                        Ok(None) => break,
                        Err(__e) => return Err(__e),
                    };
                    $crate::runtime::serde_struct!(@tri match $crate::runtime::serde_struct!(@index __k $($extra)?) {
                        $($idx => $crate::runtime::serde_struct!(@read $kind $field m),)*
                        _ => $crate::runtime::serde_struct!(@other m __k $($extra)?),
                    });
                }
                Ok($name {
                    $($field: $crate::runtime::serde_struct!(@build $kind $field $key),)*
                    $($extra)?
                })
            }
        }
    };
    (@write req $w:ident $key:literal $v:expr) => { $w.write($key, &$v) };
    (@write req_null $w:ident $key:literal $v:expr) => { $w.write($key, &$v) };
    (@write $kind:ident $w:ident $key:literal $v:expr) => { $w.write_some($key, &$v) };
    (@seed $key:ident) => { $key };
    (@seed $key:ident $extra:ident) => { $crate::runtime::__private::KeepKey($key) };
    (@index $k:ident) => { $k };
    (@index $k:ident $extra:ident) => { $k.index() };
    (@read req $f:ident $m:ident) => { $crate::runtime::__private::put_some(&mut $m, &mut $f) };
    (@read opt_null $f:ident $m:ident) => { $crate::runtime::__private::put_null(&mut $m, &mut $f) };
    (@read $kind:ident $f:ident $m:ident) => { $crate::runtime::__private::put(&mut $m, &mut $f) };
    (@build req $f:ident $key:literal) => {
        $crate::runtime::serde_struct!(@tri $crate::runtime::__private::required($f, $key))
    };
    (@build $kind:ident $f:ident $key:literal) => { $f };
    (@other $m:ident $k:ident) => { $crate::runtime::__private::skip(&mut $m) };
    (@other $m:ident $k:ident $extra:ident) => { $crate::runtime::__private::put_other(&mut $m, $k, &mut $extra) };
    // `?` without the `From` search: the one place the pass-through is
    // written, for the expansion and for the readers above.
    (@tri $e:expr) => {
        match $e {
            Ok(__v) => __v,
            Err(__e) => return Err(__e),
        }
    };
}
// @embedded #[allow(unused_imports)]
// @embedded pub(crate) use serde_struct;

#[cfg(test)]
mod tests;
