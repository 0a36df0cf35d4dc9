//! The files of a generated crate as emit makes them and render prints
//! them: plain data both stages share, so that neither imports the other.
//!
//! Rust is token streams, except where the layout of the text matters more
//! than prettyplease's: a [`Table`] is a macro call that render prints one
//! entry per line, from the rows emit laid out, without reading its tokens.
//! Which modules are inline is emit's choice too ([`config::Layout`]): a
//! [`Module`] piece names the file that holds its items, and render prints
//! that file inside it instead of on its own.
//!
//! [`config::Layout`]: crate::config::Layout

use proc_macro2::TokenStream;

/// A file of the generated crate, its path relative to the crate root.
pub(crate) struct CrateFile {
    pub path: String,
    pub body: FileBody,
}

pub(crate) enum FileBody {
    /// Rust code to format; `//!` docs are inner attributes in the tokens.
    Rust(TokenStream),
    /// Rust code in pieces, printed in order: the first may hold the
    /// file's inner attributes.
    Pieces(Vec<Piece>),
    /// Rust code copied as is (the runtime's parts).
    Verbatim(String),
    /// Any other text (Cargo.toml, README.md).
    Text(String),
    /// A file emit could not make, and why: a generator bug (the runtime's
    /// own source not parsing), which render reports naming the file
    /// instead of writing anything.
    Broken(String),
}

/// A run of top-level items, one item laid out as a table, or an inline
/// module.
pub(crate) enum Piece {
    Items(TokenStream),
    Table(Table),
    Module(Module),
}

/// A module whose items are those of another file of the crate, printed
/// inline: `head {`, that file as render prints it, `}`. That file is then
/// no file of its own.
pub(crate) struct Module {
    /// Outer attributes, visibility and `mod name`.
    pub head: TokenStream,
    /// The path of the file that holds its items ([`CrateFile::path`]).
    pub file: String,
}

/// A macro call printed one row per line:
/// `attrs` (as prettyplease prints them), `head`, then each row on a line of
/// its own, indented, its cells separated by spaces and ending in `,`, then
/// `tail`; `head` and `tail` on one line when there are no rows. A row whose
/// Rust type does not print on one line makes the whole call `tokens`,
/// formatted as any item.
pub(crate) struct Table {
    /// Outer attributes (a `#[cfg(..)]`), or none.
    pub attrs: TokenStream,
    pub head: String,
    pub rows: Vec<Vec<Cell>>,
    pub tail: String,
    /// The whole call, attributes included.
    pub tokens: TokenStream,
}

pub(crate) enum Cell {
    /// Text printed as it is.
    Text(String),
    /// A Rust type, printed as prettyplease prints it.
    Type(TokenStream),
}
