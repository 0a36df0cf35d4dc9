//! Constraints as types, and request validation.
//!
//! Constrained values are newtypes over the plain value: [`BoundedString`]
//! (`minLength`/`maxLength`/`pattern`), [`BoundedInt`], [`BoundedFloat`]
//! (`minimum`/`maximum`, exclusive or not, and `multipleOf`; float bounds
//! need not be integral) and [`BoundedVec`] (`minItems`/`maxItems`). Their
//! constructors check the constraint, so a value built in code is valid.
//!
//! Requests are strict, responses lenient: deserializing never rejects a
//! value for breaking a constraint (the server is the authority), but
//! [`Validate`] reports it, and every request is validated before any
//! network I/O, so an invalid value can never be sent.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where the value is (`phone_number`, `identities[2].user_id`).
    pub path: String,
    /// The constraint as the spec writes it (`maxLength 30`).
    pub constraint: String,
    /// What the value has instead (`length 31`).
    pub actual: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "value" } else { &self.path };
        write!(f, "{path}: {} breaks {}", self.actual, self.constraint)
    }
}

impl std::error::Error for Violation {}

/// All the violations found in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (idx, v) in self.violations.iter().enumerate() {
            if idx > 0 {
                f.write_str("; ")?;
            }
            v.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

impl From<Violation> for ValidationError {
    fn from(v: Violation) -> Self {
        ValidationError { violations: vec![v] }
    }
}

/// What the setter of a free-form object field takes (Auth0's
/// `user_metadata`, `app_metadata`): a `serde_json::Value` that is an
/// object, so that `json!({"plan": "pro"})` is one expression, or the
/// object itself (`serde_json::Map`, `BTreeMap<String, Value>`, an array
/// of key and value pairs). Any other value is refused: the schema says
/// `type: object`.
pub trait IntoJsonObject {
    /// The object, or the violation of a value that is not one.
    fn into_json_object(self) -> Result<BTreeMap<String, serde_json::Value>, ValidationError>;
}

impl IntoJsonObject for serde_json::Value {
    fn into_json_object(self) -> Result<BTreeMap<String, serde_json::Value>, ValidationError> {
        use serde_json::Value;
        let actual = match self {
            Value::Object(map) => return Ok(map.into_iter().collect()),
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
        };
        Err(Violation { path: String::new(), constraint: "type object".into(), actual: actual.into() }.into())
    }
}

impl IntoJsonObject for serde_json::Map<String, serde_json::Value> {
    #[inline]
    fn into_json_object(self) -> Result<BTreeMap<String, serde_json::Value>, ValidationError> {
        Ok(self.into_iter().collect())
    }
}

impl IntoJsonObject for BTreeMap<String, serde_json::Value> {
    #[inline]
    fn into_json_object(self) -> Result<BTreeMap<String, serde_json::Value>, ValidationError> {
        Ok(self)
    }
}

impl<K: Into<String>, V: Into<serde_json::Value>, const N: usize> IntoJsonObject for [(K, V); N] {
    #[inline]
    fn into_json_object(self) -> Result<BTreeMap<String, serde_json::Value>, ValidationError> {
        Ok(self.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

/// A constrained value a setter made, its violation located at the field
/// (`phone_number: length 31 breaks maxLength 30`).
#[doc(hidden)]
pub fn checked<T>(field: &str, made: Result<T, ValidationError>) -> Result<T, ValidationError> {
    made.map_err(|mut e| {
        for v in &mut e.violations {
            v.path = if v.path.is_empty() { field.to_string() } else { format!("{field}.{}", v.path) };
        }
        e
    })
}

/// Collects violations while walking a value.
#[derive(Debug, Default)]
pub struct Validator {
    path: Vec<String>,
    violations: Vec<Violation>,
    /// Set when validating a request: read-only fields must be unset.
    request: bool,
}

impl Validator {
    pub fn for_request() -> Self {
        Validator { request: true, ..Self::default() }
    }

    pub fn for_response() -> Self {
        Validator::default()
    }

    /// Validates a named field.
    pub fn field<T: Validate + ?Sized>(&mut self, name: &str, value: &T) {
        self.path.push(if self.path.is_empty() { name.to_string() } else { format!(".{name}") });
        value.validate(self);
        self.path.pop();
    }

    /// Reports a read-only field that a request tries to send.
    pub fn read_only<T>(&mut self, name: &str, value: &Option<T>) {
        if self.request && value.is_some() {
            self.path.push(if self.path.is_empty() { name.to_string() } else { format!(".{name}") });
            self.fail("readOnly (set by the server)", "a value".to_string());
            self.path.pop();
        }
    }

    fn index<T: Validate + ?Sized>(&mut self, idx: usize, value: &T) {
        self.path.push(format!("[{idx}]"));
        value.validate(self);
        self.path.pop();
    }

    fn key<T: Validate + ?Sized>(&mut self, key: &str, value: &T) {
        self.path.push(format!("[{key:?}]"));
        value.validate(self);
        self.path.pop();
    }

    /// Checks an `anyOf` (`exactly_one` false: at least one) or `oneOf`
    /// (exactly one) of members that only require properties: `sets` names
    /// each member's properties, `present` says whether a request sends
    /// them all. Only requests are checked: a response is read as it comes.
    pub fn key_sets(&mut self, exactly_one: bool, sets: &[&str], present: &[bool]) {
        let sent = present.iter().filter(|p| **p).count();
        if !self.request || sent == 1 || (sent > 1 && !exactly_one) {
            return;
        }
        let how = if exactly_one { "oneOf (exactly one of" } else { "anyOf (at least one of" };
        let actual = if sent == 0 { "none sent".to_string() } else { format!("{sent} sent") };
        self.fail(format!("{how} {})", sets.join(", ")), actual);
    }

    /// Records a violation at the current path.
    pub fn fail(&mut self, constraint: impl Into<String>, actual: String) {
        self.violations.push(Violation { path: self.path.concat(), constraint: constraint.into(), actual });
    }

    /// Records a violation found elsewhere, at its own path.
    pub fn push(&mut self, v: Violation) {
        self.violations.push(v);
    }

    fn check(&mut self, res: Result<(), Violation>) {
        if let Err(v) = res {
            self.fail(v.constraint, v.actual);
        }
    }

    pub fn finish(self) -> Result<(), ValidationError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations: self.violations })
        }
    }
}

/// Values that can check their constraints.
pub trait Validate {
    fn validate(&self, v: &mut Validator) {
        let _ = v;
    }

    /// Checks this value as a response value (read-only fields allowed).
    fn check(&self) -> Result<(), ValidationError> {
        let mut v = Validator::for_response();
        self.validate(&mut v);
        v.finish()
    }
}

macro_rules! no_constraints {
    ($($t:ty),*) => { $(impl Validate for $t {})* };
}
no_constraints!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    str,
    String,
    serde_json::Value,
    (),
    std::net::Ipv4Addr,
    std::net::Ipv6Addr,
    uuid::Uuid
);

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, v: &mut Validator) {
        if let Some(x) = self {
            x.validate(v);
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, v: &mut Validator) {
        (**self).validate(v);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, v: &mut Validator) {
        for (idx, it) in self.iter().enumerate() {
            v.index(idx, it);
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, v: &mut Validator) {
        for (k, it) in self {
            v.key(k, it);
        }
    }
}

fn violation(constraint: String, actual: String) -> Violation {
    Violation { path: String::new(), constraint, actual }
}

/// An ECMA-262 regular expression a [`BoundedString`] must match.
pub trait Pattern {
    /// The pattern as the spec writes it (a leading `(?i)` included).
    const SOURCE: &'static str;
    /// Whether `s` matches (searches, as JSON Schema does: not anchored).
    fn is_match(s: &str) -> bool;
}

/// The compiled regex of one [`Pattern`], built on first use: a generated
/// pattern's `is_match` is one call of [`PatternCell::is_match`] on its own
/// `static`, so regress's parser and matcher are compiled once, in this
/// crate, and not again in the client or the user's binary.
pub struct PatternCell(std::sync::OnceLock<Option<regress::Regex>>);

impl PatternCell {
    /// An empty cell, for a `static`.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        PatternCell(std::sync::OnceLock::new())
    }

    /// Whether `s` matches `source` (searched, not anchored). A leading
    /// group of inline flags ECMA-262 has (`(?i)`, `(?m)`, `(?s)`, combined:
    /// `(?ims)`) is compiled as those regex flags. A pattern regress cannot
    /// compile matches everything: the generator has already warned about
    /// it, and a client must not reject what it cannot check.
    pub fn is_match(&self, source: &str, s: &str) -> bool {
        self.0
            .get_or_init(|| {
                let (flags, body) = inline_flags(source);
                regress::Regex::with_flags(body, flags).ok()
            })
            .as_ref()
            .is_none_or(|re| re.find(s).is_some())
    }
}

/// The flags of a leading `(?ims)`-style group and the pattern after it, or
/// no flags; the generator reads patterns the same way (`lower::inline_flags`).
fn inline_flags(pattern: &str) -> (&str, &str) {
    let Some(rest) = pattern.strip_prefix("(?") else { return ("", pattern) };
    let Some((flags, body)) = rest.split_once(')') else { return ("", pattern) };
    let known = !flags.is_empty() && flags.chars().all(|c| matches!(c, 'i' | 'm' | 's'));
    let distinct = flags.char_indices().all(|(i, c)| !flags[..i].contains(c));
    if known && distinct {
        (flags, body)
    } else {
        ("", pattern)
    }
}

/// No pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoPattern;

impl Pattern for NoPattern {
    const SOURCE: &'static str = "";
    fn is_match(_: &str) -> bool {
        true
    }
}

/// A string with a length between `MIN` and `MAX` characters (Unicode
/// scalar values, as JSON Schema counts) that matches the pattern `P`.
///
/// `MAX` is `u64::MAX` for no maximum. `BoundedString::<2, 30>::new("+15551234567")` checks on construction;
/// deserializing accepts any string and [`Validate`] reports violations.
pub struct BoundedString<const MIN: u64, const MAX: u64, P = NoPattern> {
    value: String,
    _pattern: PhantomData<fn() -> P>,
}

impl<const MIN: u64, const MAX: u64, P: Pattern> BoundedString<MIN, MAX, P> {
    /// Checks the constraints; the error names the broken one.
    pub fn new(value: impl Into<String>) -> Result<Self, ValidationError> {
        let value = value.into();
        if let Err(v) = Self::check_str(&value) {
            return Err(ValidationError::from(v));
        }
        Ok(BoundedString { value, _pattern: PhantomData })
    }

    fn check_str(value: &str) -> Result<(), Violation> {
        if MIN > 0 || MAX < u64::MAX {
            let len = value.chars().count() as u64;
            if len < MIN {
                return Err(violation(format!("minLength {MIN}"), format!("length {len}")));
            }
            if len > MAX {
                return Err(violation(format!("maxLength {MAX}"), format!("length {len}")));
            }
        }
        if !P::is_match(value) {
            return Err(violation(format!("pattern {:?}", P::SOURCE), format!("{value:?}")));
        }
        Ok(())
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    pub fn into_inner(self) -> String {
        self.value
    }
}

/// A constrained string made without its checks: what a struct made from
/// its one string (`From<&str>`) holds. Requests check every value they
/// send ([`Validate`]), so a value breaking a constraint is still never sent.
pub trait Unchecked {
    fn unchecked(value: String) -> Self;
}

/// [`Unchecked::unchecked`], for generated code.
#[inline]
pub fn unchecked<T: Unchecked>(value: String) -> T {
    T::unchecked(value)
}

impl<const MIN: u64, const MAX: u64, P> Unchecked for BoundedString<MIN, MAX, P> {
    fn unchecked(value: String) -> Self {
        BoundedString { value, _pattern: PhantomData }
    }
}

impl<const MIN: u64, const MAX: u64, P: Pattern> Validate for BoundedString<MIN, MAX, P> {
    fn validate(&self, v: &mut Validator) {
        v.check(Self::check_str(&self.value));
    }
}

impl<const MIN: u64, const MAX: u64, P> Clone for BoundedString<MIN, MAX, P> {
    fn clone(&self) -> Self {
        BoundedString { value: self.value.clone(), _pattern: PhantomData }
    }
}

impl<const MIN: u64, const MAX: u64, P> PartialEq for BoundedString<MIN, MAX, P> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<const MIN: u64, const MAX: u64, P> Eq for BoundedString<MIN, MAX, P> {}

impl<const MIN: u64, const MAX: u64, P> std::hash::Hash for BoundedString<MIN, MAX, P> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state)
    }
}

impl<const MIN: u64, const MAX: u64, P> fmt::Debug for BoundedString<MIN, MAX, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.value, f)
    }
}

impl<const MIN: u64, const MAX: u64, P> fmt::Display for BoundedString<MIN, MAX, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<const MIN: u64, const MAX: u64, P> Deref for BoundedString<MIN, MAX, P> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.value
    }
}

impl<const MIN: u64, const MAX: u64, P> Borrow<str> for BoundedString<MIN, MAX, P> {
    fn borrow(&self) -> &str {
        &self.value
    }
}

impl<const MIN: u64, const MAX: u64, P> AsRef<str> for BoundedString<MIN, MAX, P> {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl<const MIN: u64, const MAX: u64, P: Pattern> TryFrom<String> for BoundedString<MIN, MAX, P> {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, ValidationError> {
        Self::new(value)
    }
}

impl<const MIN: u64, const MAX: u64, P: Pattern> TryFrom<&str> for BoundedString<MIN, MAX, P> {
    type Error = ValidationError;
    fn try_from(value: &str) -> Result<Self, ValidationError> {
        Self::new(value)
    }
}

impl<const MIN: u64, const MAX: u64, P> Serialize for BoundedString<MIN, MAX, P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.value)
    }
}

impl<'de, const MIN: u64, const MAX: u64, P> Deserialize<'de> for BoundedString<MIN, MAX, P> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(BoundedString { value: String::deserialize(d)?, _pattern: PhantomData })
    }
}

/// An integer between `MIN` and `MAX` inclusive, and a multiple of
/// `MULTIPLE_OF` (`multipleOf`; 1 when the schema has none).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BoundedInt<T, const MIN: i128, const MAX: i128, const MULTIPLE_OF: u64 = 1>(T);

impl<T: Copy + Into<i128>, const MIN: i128, const MAX: i128, const MULTIPLE_OF: u64>
    BoundedInt<T, MIN, MAX, MULTIPLE_OF>
{
    pub fn new(value: T) -> Result<Self, ValidationError> {
        if let Err(v) = Self::check_int(value) {
            return Err(ValidationError::from(v));
        }
        Ok(BoundedInt(value))
    }

    fn check_int(value: T) -> Result<(), Violation> {
        let n: i128 = value.into();
        if n < MIN {
            return Err(violation(format!("minimum {MIN}"), n.to_string()));
        }
        if n > MAX {
            return Err(violation(format!("maximum {MAX}"), n.to_string()));
        }
        if MULTIPLE_OF > 1 && n % i128::from(MULTIPLE_OF) != 0 {
            return Err(violation(format!("multipleOf {MULTIPLE_OF}"), n.to_string()));
        }
        Ok(())
    }

    pub fn get(self) -> T {
        self.0
    }
}

impl<T: Copy + Into<i128>, const MIN: i128, const MAX: i128, const MULTIPLE_OF: u64> Validate
    for BoundedInt<T, MIN, MAX, MULTIPLE_OF>
{
    fn validate(&self, v: &mut Validator) {
        v.check(Self::check_int(self.0));
    }
}

impl<T: Copy + Into<i128>, const MIN: i128, const MAX: i128, const MULTIPLE_OF: u64> TryFrom<i64>
    for BoundedInt<T, MIN, MAX, MULTIPLE_OF>
where
    T: TryFrom<i64>,
{
    type Error = ValidationError;
    fn try_from(value: i64) -> Result<Self, ValidationError> {
        let t = T::try_from(value).map_err(|_| violation(format!("range {MIN}..={MAX}"), value.to_string()))?;
        Self::new(t)
    }
}

impl<T: fmt::Debug, const MIN: i128, const MAX: i128, const MULTIPLE_OF: u64> fmt::Debug
    for BoundedInt<T, MIN, MAX, MULTIPLE_OF>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: fmt::Display, const MIN: i128, const MAX: i128, const MULTIPLE_OF: u64> fmt::Display
    for BoundedInt<T, MIN, MAX, MULTIPLE_OF>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: Serialize, const MIN: i128, const MAX: i128, const MULTIPLE_OF: u64> Serialize
    for BoundedInt<T, MIN, MAX, MULTIPLE_OF>
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>, const MIN: i128, const MAX: i128, const MULTIPLE_OF: u64> Deserialize<'de>
    for BoundedInt<T, MIN, MAX, MULTIPLE_OF>
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(BoundedInt)
    }
}

/// A float bound as a const parameter: its IEEE 754 bits (stable Rust has
/// no `f64` const parameters). Generated code writes the bits as a literal
/// (`4598175219545276416` for `bits(0.25)`): rustdoc shows a literal, and
/// shows an expression block in another crate's type as a path into it.
pub const fn bits(x: f64) -> u64 {
    x.to_bits()
}

/// No lower bound: the bits of negative infinity.
pub const NO_MIN: u64 = f64::NEG_INFINITY.to_bits();
/// No upper bound: the bits of positive infinity.
pub const NO_MAX: u64 = f64::INFINITY.to_bits();
/// No `multipleOf`: the bits of `0.0`.
pub const NO_MULTIPLE: u64 = 0;

/// A number within `MIN` and `MAX` (the bits of an `f64`, see [`bits`];
/// [`NO_MIN`]/[`NO_MAX`] mean unbounded), exclusive when `EXCL_MIN`/
/// `EXCL_MAX`, and a multiple of `MULTIPLE_OF` ([`NO_MULTIPLE`]: any).
/// A bounded number is never NaN.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
pub struct BoundedFloat<
    T,
    const MIN: u64,
    const MAX: u64,
    const EXCL_MIN: bool,
    const EXCL_MAX: bool,
    // A literal, not `NO_MULTIPLE`: rustdoc shows a literal where it would
    // show another crate's constant as a path into its private modules.
    const MULTIPLE_OF: u64 = 0,
>(T);

impl<
        T: Copy + Into<f64>,
        const MIN: u64,
        const MAX: u64,
        const EXCL_MIN: bool,
        const EXCL_MAX: bool,
        const MULTIPLE_OF: u64,
    > BoundedFloat<T, MIN, MAX, EXCL_MIN, EXCL_MAX, MULTIPLE_OF>
{
    pub fn new(value: T) -> Result<Self, ValidationError> {
        if let Err(v) = Self::check_float(value) {
            return Err(ValidationError::from(v));
        }
        Ok(BoundedFloat(value))
    }

    fn check_float(value: T) -> Result<(), Violation> {
        let x: f64 = value.into();
        if MIN != NO_MIN {
            let min = f64::from_bits(MIN);
            let (bad, name) = if EXCL_MIN { (x <= min, "exclusiveMinimum") } else { (x < min, "minimum") };
            if bad || x.is_nan() {
                return Err(violation(format!("{name} {min}"), x.to_string()));
            }
        }
        if MAX != NO_MAX {
            let max = f64::from_bits(MAX);
            let (bad, name) = if EXCL_MAX { (x >= max, "exclusiveMaximum") } else { (x > max, "maximum") };
            if bad || x.is_nan() {
                return Err(violation(format!("{name} {max}"), x.to_string()));
            }
        }
        if MULTIPLE_OF != NO_MULTIPLE {
            let m = f64::from_bits(MULTIPLE_OF);
            if !is_multiple(x, m) {
                return Err(violation(format!("multipleOf {m}"), x.to_string()));
            }
        }
        Ok(())
    }

    pub fn get(self) -> T {
        self.0
    }
}

/// Whether `x / m` is an integer, up to the rounding of the division (0.3
/// is a multiple of 0.1 although `0.3 / 0.1` is `2.9999999999999996`): a
/// few units in the last place of the quotient.
fn is_multiple(x: f64, m: f64) -> bool {
    let q = x / m;
    q.is_finite() && (q - q.round()).abs() <= 4.0 * f64::EPSILON * q.abs().max(1.0)
}

impl<
        T: Copy + Into<f64>,
        const MIN: u64,
        const MAX: u64,
        const EXCL_MIN: bool,
        const EXCL_MAX: bool,
        const MULTIPLE_OF: u64,
    > Validate for BoundedFloat<T, MIN, MAX, EXCL_MIN, EXCL_MAX, MULTIPLE_OF>
{
    fn validate(&self, v: &mut Validator) {
        v.check(Self::check_float(self.0));
    }
}

impl<
        T: fmt::Debug,
        const MIN: u64,
        const MAX: u64,
        const EXCL_MIN: bool,
        const EXCL_MAX: bool,
        const MULTIPLE_OF: u64,
    > fmt::Debug for BoundedFloat<T, MIN, MAX, EXCL_MIN, EXCL_MAX, MULTIPLE_OF>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<
        T: fmt::Display,
        const MIN: u64,
        const MAX: u64,
        const EXCL_MIN: bool,
        const EXCL_MAX: bool,
        const MULTIPLE_OF: u64,
    > fmt::Display for BoundedFloat<T, MIN, MAX, EXCL_MIN, EXCL_MAX, MULTIPLE_OF>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<
        T: Serialize,
        const MIN: u64,
        const MAX: u64,
        const EXCL_MIN: bool,
        const EXCL_MAX: bool,
        const MULTIPLE_OF: u64,
    > Serialize for BoundedFloat<T, MIN, MAX, EXCL_MIN, EXCL_MAX, MULTIPLE_OF>
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<
        'de,
        T: Deserialize<'de>,
        const MIN: u64,
        const MAX: u64,
        const EXCL_MIN: bool,
        const EXCL_MAX: bool,
        const MULTIPLE_OF: u64,
    > Deserialize<'de> for BoundedFloat<T, MIN, MAX, EXCL_MIN, EXCL_MAX, MULTIPLE_OF>
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(BoundedFloat)
    }
}

/// A list with between `MIN` and `MAX` items.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BoundedVec<T, const MIN: u64, const MAX: u64>(Vec<T>);

impl<T, const MIN: u64, const MAX: u64> BoundedVec<T, MIN, MAX> {
    pub fn new(items: Vec<T>) -> Result<Self, ValidationError> {
        if let Err(v) = Self::check_len(items.len()) {
            return Err(ValidationError::from(v));
        }
        Ok(BoundedVec(items))
    }

    fn check_len(n: usize) -> Result<(), Violation> {
        let n = n as u64;
        if n < MIN {
            return Err(violation(format!("minItems {MIN}"), format!("{n} items")));
        }
        if n > MAX {
            return Err(violation(format!("maxItems {MAX}"), format!("{n} items")));
        }
        Ok(())
    }

    pub fn into_inner(self) -> Vec<T> {
        self.0
    }
}

impl<T: Validate, const MIN: u64, const MAX: u64> Validate for BoundedVec<T, MIN, MAX> {
    fn validate(&self, v: &mut Validator) {
        v.check(Self::check_len(self.0.len()));
        self.0.validate(v);
    }
}

impl<T, const MIN: u64, const MAX: u64> Deref for BoundedVec<T, MIN, MAX> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T, const MIN: u64, const MAX: u64> TryFrom<Vec<T>> for BoundedVec<T, MIN, MAX> {
    type Error = ValidationError;
    fn try_from(items: Vec<T>) -> Result<Self, ValidationError> {
        Self::new(items)
    }
}

impl<T: fmt::Debug, const MIN: u64, const MAX: u64> fmt::Debug for BoundedVec<T, MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: Serialize, const MIN: u64, const MAX: u64> Serialize for BoundedVec<T, MIN, MAX> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>, const MIN: u64, const MAX: u64> Deserialize<'de> for BoundedVec<T, MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(d).map(BoundedVec)
    }
}

#[cfg(test)]
mod tests;
