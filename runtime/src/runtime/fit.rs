//! How the variants of an untagged union fit an object: the order in which
//! they are tried on one, from its keys, shared by the two-pass read
//! ([`raw_variant_order`](super::tagged::raw_variant_order)) and the
//! one-pass read that guesses a variant ([`Guessed`](super::one_pass::Guessed)),
//! so that both choose alike.

/// How a variant of an untagged union may fit an object.
#[derive(Clone, Copy)]
pub enum Fit {
    /// A struct that knows these properties and no others.
    Fields(&'static [&'static str]),
    /// It may be an object with any properties (a map, a struct keeping
    /// unknown ones, a union, any JSON).
    Any,
    /// It is never an object (a list, a string, a number): it fails on
    /// an object's first byte, so it is not tried on one.
    NotObject,
}

/// Sorts the object variants `order` (indices into `fits`) for an object
/// with these keys: those that know all of them first, then those that
/// know most (a variant of any object counting as knowing all).
pub(crate) fn order_by_keys<K: AsRef<str> + Ord>(order: &mut [usize], mut keys: Vec<K>, fits: &[Fit]) {
    keys.sort_unstable();
    keys.dedup();
    let score = |i: &usize| -> (usize, std::cmp::Reverse<usize>) {
        match fits[*i] {
            Fit::Fields(known) => {
                let matched = keys.iter().filter(|k| known.contains(&k.as_ref())).count();
                (keys.len() - matched, std::cmp::Reverse(matched))
            }
            _ => (0, std::cmp::Reverse(0)),
        }
    };
    order.sort_by_key(score);
}
