//! How a list operation pages, decided in lowering (`lower/paging.rs` and
//! the settings in `lower/operation.rs`) and read by the stream emitter
//! (`emit/streams.rs`): the convention, the item type and where each shape
//! of page holds its items and its next cursor.

use super::{FloatKind, IntKind, Presence, Ty};

/// How a list operation pages: from the generator settings (matched on
/// parameter and field names), or from a convention of the description.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    pub kind: PagingKind,
    /// The type of one item.
    pub item: Ty,
    /// Where the items are in each possible shape of the response.
    pub sources: Vec<PageSource>,
    /// The server serves at most this many results by page number; the
    /// stream ends with an error naming the limit and the hint.
    pub cap: Option<(u64, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PagingKind {
    /// Page numbers: the `page` parameter (an integer of `page_kind`), a
    /// totals flag to set when there is one, and the page size parameter
    /// with the size to send when the caller sets none. Parameters are
    /// indices into [`Operation::params`], as in the variants below. From
    /// the settings, or (`convention`) by Auth0's shape of a page: `page`
    /// from 0 beside `start`, `limit` and `total` ([`crate::lower`]'s
    /// `paging.rs`).
    Offset {
        page_param: usize,
        page_kind: IntKind,
        totals_param: Option<usize>,
        default_size: Option<(usize, u64)>,
        convention: bool,
    },
    /// Cursors: the `from` parameter, and the `take` parameter (an
    /// integer), set to `default_take` when the caller sets none. A page
    /// without a next cursor continues from `item_cursor`, a string field
    /// of the last item (and whether it is optional).
    Checkpoint { from_param: usize, take_param: usize, default_take: Option<u64>, item_cursor: Option<(String, bool)> },
    /// A token each page carries (`PageSource::next_field`) sent back in the
    /// `token_param` query parameter (a generic `next_page`/`cursor` echo).
    /// `only`: later pages send the token and only these parameters, every
    /// other parameter unset (`x-dropshot-pagination`: `limit`). `done`:
    /// a boolean field of the page that ends the stream (Svix's `done`,
    /// Figma's `next_page`), beside the token.
    Token { token_param: usize, only: Option<Vec<usize>>, done: Option<DoneFlag> },
    /// Stripe: while the page's `has_more_field` is true, the next page
    /// starts after the last item's `item_id` string field (and whether it is
    /// optional), sent in the `after_param` query parameter; `more_optional`:
    /// the flag may be absent (absent is false).
    HasMore { after_param: usize, has_more_field: String, more_optional: bool, item_id: ItemId },
    /// A URL of the next page (resolved against the base URL), fetched as is
    /// and only on the base URL's origin: from the response's `Link` header
    /// (`rel="next"`, RFC 8288), or from each page's `PageSource::next_field`.
    NextLink { from: LinkFrom },
    /// Page numbers a description shows without settings, with a body hint.
    PageNumber(PageNumbers),
    /// Offsets with a total (Clerk, Spotify, PagerDuty): each page's offset
    /// is the number of items received so far.
    OffsetTotal(OffsetTotal),
    /// Offsets whose only end is a short page (Clerk's and Mastodon's bare
    /// arrays): each page's offset is the number of items received so far.
    OffsetShort(OffsetShort),
}

/// The type of an offset parameter: an integer, or a number (Clerk's
/// `api_keys`), sent as a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetKind {
    Int(IntKind),
    Float(FloatKind),
}

/// Offset paging without a total or flag: the integer `offset_param` (as
/// in [`OffsetTotal`]) and the integer page size `size_param` (of
/// `size_kind`, `size_bounded` when it has a minimum or maximum); a page
/// shorter than the size sent (or, with none sent, than the largest page
/// read) is the last.
#[derive(Debug, Clone, PartialEq)]
pub struct OffsetShort {
    pub offset_param: usize,
    pub offset_kind: IntKind,
    pub bounded: bool,
    pub size_param: usize,
    pub size_kind: IntKind,
    pub size_bounded: bool,
}

/// A boolean field of a cursor page saying whether the list goes on.
#[derive(Debug, Clone, PartialEq)]
pub struct DoneFlag {
    /// The field's Rust name.
    pub field: String,
    /// Its presence: an absent or `null` flag says nothing.
    pub presence: Presence,
    /// The value that ends the stream: `true` for `done`, `false` for
    /// `has_more` and `next_page`.
    pub stops_on: bool,
    /// The struct fields leading to the object holding the flag, outermost
    /// first, each with its presence (Figma's `meta`); empty: the page
    /// holds it.
    pub via: Vec<(String, Presence)>,
}

/// Offset paging: the integer `offset_param` (an index into
/// [`Operation::params`], of `offset_kind`, `bounded` when it has a minimum
/// or maximum) starts at the caller's offset or 0 and grows by each page's
/// items; `total` counts every item (a [`PageHintKind::Total`] hint), and
/// `more` is a boolean field saying whether more follow (PagerDuty). One
/// of them is there; with no total, a page whose flag says nothing (absent
/// or `null`) is the last (PagerDuty's v3 schedules).
#[derive(Debug, Clone, PartialEq)]
pub struct OffsetTotal {
    pub offset_param: usize,
    pub offset_kind: OffsetKind,
    pub bounded: bool,
    pub total: Option<PageHint>,
    pub more: Option<DoneFlag>,
    /// The page's own offset (PagerDuty's `offset`), required when there
    /// is no total: a page echoing another offset than the one sent was
    /// served before, and ends the stream with `Error::PagingRepeated`.
    pub echo: Option<PageHint>,
}

/// Page numbers with a body hint: the `page_param` parameter (an index
/// into [`Operation::params`]; an integer of `page_kind`, `bounded` when it
/// has a minimum or maximum), whose first page is `first_page`, and the
/// body field saying whether another page follows.
#[derive(Debug, Clone, PartialEq)]
pub struct PageNumbers {
    pub page_param: usize,
    pub page_kind: IntKind,
    pub bounded: bool,
    pub first_page: u64,
    pub hint: PageHint,
}

/// The body field of a page-number list that tells whether another page
/// follows: a path of struct fields from the response (`meta.pagination`),
/// ending at an integer or number.
#[derive(Debug, Clone, PartialEq)]
pub struct PageHint {
    pub kind: PageHintKind,
    /// Each field's Rust name and presence, outermost first.
    pub path: Vec<(String, Presence)>,
    /// The path as the description spells it (`meta.next_page`).
    pub wire: String,
}

/// What a page-number hint counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageHintKind {
    /// The next page's number; `null` (or one below the first page) is none.
    Next,
    /// How many pages there are.
    Pages,
    /// How many items there are in every page.
    Total,
}

/// Where a next page's link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkFrom {
    /// The `Link` header's `rel="next"` target.
    Header,
    /// The same, for a GET that does not declare the header but takes the
    /// `page` and `per_page` parameters of GETs that do (GitHub).
    HeaderByExample,
    /// The body field `x-ms-pageable`'s `nextLinkName` names.
    MsPageable,
    /// A body field named like `next_page_uri` or `nextLink` (Twilio).
    Field,
    /// A HAL link: `_links.next.href` in the body (Okta).
    Hal,
}

/// Where an item's id is (Stripe's `starting_after` cursor).
#[derive(Debug, Clone, PartialEq)]
pub enum ItemId {
    /// A string field of the item struct, and whether it is optional.
    Field(String, bool),
    /// The item is a union of structs that all have the field: each
    /// variant, its field and whether it is optional.
    Variants(Vec<(String, String, bool)>),
}

impl PagingKind {
    /// The convention's name, for diagnostics and reports.
    pub fn convention(&self) -> &'static str {
        match self {
            PagingKind::Offset { convention: false, .. } => "page numbers (settings)",
            PagingKind::Offset { convention: true, .. } => "page index with start and total",
            PagingKind::Checkpoint { .. } => "checkpoint (settings)",
            PagingKind::Token { only: Some(_), .. } => "x-dropshot-pagination",
            // With a done flag or without: one convention, a token echoed.
            PagingKind::Token { only: None, .. } => "cursor token",
            PagingKind::HasMore { .. } => "has_more",
            PagingKind::NextLink { from: LinkFrom::Header } => "link header",
            PagingKind::NextLink { from: LinkFrom::HeaderByExample } => "link header by example",
            PagingKind::NextLink { from: LinkFrom::MsPageable } => "x-ms-pageable",
            PagingKind::NextLink { from: LinkFrom::Field } => "next link field",
            PagingKind::NextLink { from: LinkFrom::Hal } => "hal next link",
            PagingKind::PageNumber(_) => "page number",
            PagingKind::OffsetTotal(OffsetTotal { total: Some(_), .. }) => "offset and total",
            PagingKind::OffsetTotal(OffsetTotal { total: None, .. }) => "offset and more flag",
            PagingKind::OffsetShort(_) => "offset and short page",
        }
    }
}

/// One shape of a list response.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSource {
    /// The union variant holding this shape (`None`: the response itself).
    pub variant: Option<String>,
    /// The struct fields leading to the object holding `items_field`
    /// (Spotify's `playlists` paging object inside the page), outermost
    /// first, each with whether it is optional; empty: the page holds it.
    pub items_via: Vec<(String, bool)>,
    /// The struct field holding the items (`None`: the value is the list).
    pub items_field: Option<(String, bool)>,
    /// The items field is a union of lists (Figma's analytics `rows`).
    pub items_union: Option<ListUnion>,
    /// The items field is an `rt::BoundedVec` (PayPal's lists declare a
    /// `maxItems`), read out with `into_inner` and by reference as a slice.
    pub items_bounded: bool,
    /// The struct fields leading to the object that holds `next_field`
    /// (HAL's `_links.next`, Asana's `next_page`), outermost first, each
    /// with its presence; empty: the page holds it.
    pub next_via: Vec<(String, Presence)>,
    /// The struct field holding the next cursor, and whether it is optional.
    pub next_field: Option<(String, bool)>,
    /// The next cursor field is `Option<Option<String>>` (optional and
    /// nullable, as dropshot's `next_page`).
    pub next_nullable: bool,
    /// The integer field counting every item (`total`, `total_count`), and
    /// whether it is optional: the page's `total()`.
    pub total_field: Option<(String, bool)>,
}

/// A page's items field that is a union of lists (a `oneOf` of arrays,
/// Figma's analytics `rows`), streamed as items of [`Paging::item`], a
/// union of the lists' items made for the stream (`lower/paging_items.rs`).
#[derive(Debug, Clone, PartialEq)]
pub struct ListUnion {
    /// The union of lists.
    pub ty: Ty,
    /// Each variant of `ty`, and the variant of the item union its list's
    /// items are.
    pub variants: Vec<(String, String)>,
}
