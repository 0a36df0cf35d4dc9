//! Streams: the `<op>_stream` method of every list operation with
//! [`Operation::stream_paging`], and its blocking twin, an iterator.
//!
//! Each [`PagingKind`] has one pager, which says how the first page or
//! cursor is chosen, how each page's parameters are set and when the stream
//! stops, over a runtime pager (`offset_pages`, `cursor_pages` or
//! `token_pages`, `runtime/src/runtime/paging.rs`). How the items and the
//! next cursor come out of each shape of page is `emit/page_arms.rs`, one
//! function for every kind. What pages and how was decided in lowering
//! (`lower/paging.rs`); nothing here looks at the description.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::page_arms::{borrowed, next_token, page_arms, union_items, List};
use super::path_args::{stream_args, StreamArgs};
use super::{ident, Cx};
use crate::ir::{
    Api, DoneFlag, FloatKind, IntKind, ItemId, LinkFrom, OffsetKind, OffsetShort, OffsetTotal, Operation, PageHint,
    PageHintKind, PageNumbers, PageSource, Paging, PagingKind, Presence, ResponseBody,
};
use crate::rust_ty::entry;

/// What differs between the pagers: the first page or cursor, the runtime
/// pager with its leading arguments and the name of the page or cursor its
/// closure gets, how each page's parameters are set, and when to stop.
struct Pager {
    first: TokenStream,
    pages: TokenStream,
    args: TokenStream,
    cursor: TokenStream,
    setup: TokenStream,
    stop: TokenStream,
    /// The items (and next cursor) out of each page.
    arms: TokenStream,
    /// A next-page link is followed: the page is fetched through a handle
    /// whose calls go to it (and, for `Link` headers, the link read).
    link: Option<bool>,
    /// State the stream's closure shares between pages, made once.
    prelude: TokenStream,
}

/// The `<op>_stream` method of a list operation: every item, page by page;
/// and its blocking twin, an iterator.
pub(super) fn emit_stream(
    cx: &Cx<'_>,
    handle: &str,
    op: &Operation,
    paging: &Paging,
    body: &ResponseBody,
    error_name: &proc_macro2::Ident,
    within: Option<(proc_macro2::Ident, proc_macro2::Ident)>,
) -> (TokenStream, TokenStream) {
    let ResponseBody::Json(body_ty) = body else { return (quote!(), quote!()) };
    let Some(ps) = &op.params_struct else { return (quote!(), quote!()) };
    let ps = ident(ps);
    let method = ident(&op.name.rust);
    // Lowering names and reserves every paged list's stream.
    let Some(stream_name) = op.stream_name.as_deref().map(ident) else { return (quote!(), quote!()) };
    let item = cx.ty(&paging.item);
    // The list inside a success enum (bodiless successes beside it): its
    // one shape is that enum's variant.
    let wrapped;
    let (resp_ty, paging) = match within {
        Some((resp, variant)) => {
            let sources =
                paging.sources.iter().map(|s| PageSource { variant: Some(variant.to_string()), ..s.clone() }).collect();
            wrapped = Paging { sources, ..paging.clone() };
            (quote!(#resp), &wrapped)
        }
        None => (cx.ty(body_ty), paging),
    };
    let StreamArgs { args, forward, owned, reborrow, call_args } = stream_args(cx, op);
    // An optional body of a GET (Stripe declares form bodies) is not sent.
    let call_args = if op.body.is_some() { quote!(#call_args &__p, None) } else { quote!(#call_args &__p) };
    let items_union = union_items(cx, paging, &item);
    let list = List { api: cx.api, op, paging, resp_ty: &resp_ty, items_union };
    let (doc, pager) = match &paging.kind {
        PagingKind::Offset { page_param, page_kind, totals_param, default_size, .. } => {
            offset_pager(&list, *page_param, *page_kind, *totals_param, *default_size)
        }
        PagingKind::Checkpoint { from_param, take_param, default_take, item_cursor } => {
            checkpoint_pager(&list, *from_param, *take_param, *default_take, item_cursor.as_ref())
        }
        PagingKind::Token { token_param, only, done } => {
            token_pager(&list, *token_param, only.as_deref(), done.as_ref())
        }
        PagingKind::HasMore { after_param, has_more_field, more_optional, item_id } => {
            has_more_pager(&list, *after_param, has_more_field, *more_optional, item_id, &item)
        }
        PagingKind::NextLink { from } => next_link_pager(&list, *from),
        PagingKind::PageNumber(numbers) => page_number_pager(&list, numbers),
        PagingKind::OffsetTotal(offsets) => offset_total_pager(&list, offsets),
        PagingKind::OffsetShort(offsets) => offset_short_pager(&list, offsets),
    };
    let Pager { first, pages, args: pager_args, cursor, setup, stop, arms, link, prelude } = pager;
    let p = if setup.is_empty() { quote!(__p) } else { quote!(mut __p) };
    let fetch = page_fetch(handle, &method, &call_args, &arms, link);
    let handle_id = ident(handle);
    let bdoc = format!(" [`{stream_name}`](super::{handle}::{stream_name}) as an iterator: each `next` blocks for the next page when it needs one.");
    let blocking = quote! {
        #[doc = #bdoc] #[inline]
        pub fn #stream_name(&self, #args params: &#ps) -> impl ::std::iter::Iterator<Item = Result<#item, rt::Error<#error_name>>> + 'a {
            self.client.iter(super::#handle_id { client: self.client.client() }.#stream_name(#forward params))
        }
    };
    let stream = quote! {
        #[doc = #doc]
        #[doc = ""]
        #[doc = " Read it with `.next().await` (`runtime::StreamExt`), `.try_next().await?` or `.try_collect().await?`."] #[inline]
        pub fn #stream_name(&self, #args params: &#ps) -> rt::Paged<'a, #item, #error_name> {
            let __this = *self;
            let __params = params.clone();
            #owned
            let __first = #first;
            #prelude
            rt::Paged::new(rt::__private::#pages(#pager_args move |#cursor| {
                let #p = __params.clone();
                #setup
                #reborrow
                async move {
                    #stop
                    #fetch
                }
            }))
        }
    };
    (stream, blocking)
}

/// The integer conversions of page numbers of kind `kind` (`n` is the
/// caller's page, `__page` the next): to the `u64` the runtime counts in,
/// and from it.
fn page_conversions(kind: IntKind, n: &TokenStream) -> (TokenStream, TokenStream) {
    int_conversions(kind, n, &quote!(__page))
}

/// [`page_conversions`] from the `u64` named `next`.
fn int_conversions(kind: IntKind, n: &TokenStream, next: &TokenStream) -> (TokenStream, TokenStream) {
    match kind {
        IntKind::U64 => (quote!(#n), quote!(#next)),
        IntKind::I32 => (quote!(#n.max(0) as u64), quote!(#next.min(i32::MAX as u64) as i32)),
        IntKind::I64 => (quote!(#n.max(0) as u64), quote!(#next.min(i64::MAX as u64) as i64)),
        IntKind::U32 => (quote!(u64::from(#n)), quote!(#next.min(u64::from(u32::MAX)) as u32)),
    }
}

/// Page numbers (settings), over `offset_pages`: the totals flag set, the
/// default page size when the caller sets none, and the route's result cap.
fn offset_pager(
    list: &List<'_>,
    page_param: usize,
    page_kind: IntKind,
    totals_param: Option<usize>,
    default_size: Option<(usize, u64)>,
) -> (String, Pager) {
    let op = list.op;
    let page = ident(list.param(page_param));
    // A page parameter with a maximum (`page <= 1000`) is a bounded
    // integer: the stream ends where the parameter cannot go.
    let bounded = entry(list.api, &op.params[page_param].ty).is_bounded();
    let n = if bounded { quote!(__n.get()) } else { quote!(__n) };
    let (to_u64, from_u64) = page_conversions(page_kind, &n);
    let totals = match totals_param {
        Some(t) => {
            let t = ident(list.param(t));
            quote!(__p.#t = Some(true);)
        }
        None => quote!(),
    };
    let size = match default_size {
        Some((size, n)) => default_take_tokens(list.api, op, size, n),
        None => quote!(),
    };
    let (set_page, stop) = set_number_tokens(&page, bounded, quote!(__page), &from_u64, quote!(Vec::new()));
    let cap = match &list.paging.cap {
        Some((limit, hint)) => quote!(Some((#limit, #hint))),
        None => quote!(None),
    };
    let doc = list.doc(&format!("fetched page by page (`{}`) as the stream is read.", list.param(page_param)));
    let pager = Pager {
        first: quote!(__params.#page.map_or(0, |__n| #to_u64)),
        pages: quote!(offset_pages),
        args: quote!(__first, #cap,),
        cursor: quote!(__page),
        setup: quote!(#set_page #totals #size),
        stop,
        arms: page_arms(list, quote!(Vec::new()), |_, items| (quote!(), items)),
        link: None,
        prelude: quote!(),
    };
    (doc, pager)
}

/// Checkpoint paging (settings), over `cursor_pages`: the `from` cursor
/// each page carries (or the last item's, for pages that carry none), with
/// the default `take` when the caller sets none.
fn checkpoint_pager(
    list: &List<'_>,
    from_param: usize,
    take_param: usize,
    default_take: Option<u64>,
    item_cursor: Option<&(String, bool)>,
) -> (String, Pager) {
    let op = list.op;
    let take = default_take.map_or_else(TokenStream::new, |n| default_take_tokens(list.api, op, take_param, n));
    let (first, set_from, stop) = set_cursor_tokens(list.api, op, from_param);
    let doc = list.doc(&format!("following the `{}` cursor as the stream is read.", list.param(from_param)));
    let arms = page_arms(list, quote!((Vec::new(), None)), |src, items| {
        let next = match (&src.next_field, item_cursor) {
            // No cursor in the page: continue from the last item.
            (None, Some((f, optional))) => {
                let f = ident(f);
                let get =
                    if *optional { quote!(and_then(|__i| __i.#f.clone())) } else { quote!(map(|__i| __i.#f.clone())) };
                return (
                    quote!(),
                    quote!({
                        let __items = #items;
                        let __next = __items.last().#get;
                        (__items, __next)
                    }),
                );
            }
            (None, None) => quote!(None),
            (Some((f, optional)), _) => {
                let f = ident(f);
                match (optional, src.next_nullable) {
                    (_, true) => quote!(__x.#f.flatten()),
                    (true, false) => quote!(__x.#f),
                    (false, false) => quote!(Some(__x.#f)),
                }
            }
        };
        // Both fields are moved out of `x` at once.
        (quote!(), quote!((#items, #next)))
    });
    let pager = Pager {
        first,
        pages: quote!(cursor_pages),
        args: quote!(__first,),
        cursor: quote!(__cursor),
        setup: quote!(#set_from #take),
        stop,
        arms,
        link: None,
        prelude: quote!(),
    };
    (doc, pager)
}

/// A pager over `token_pages` whose cursor is sent in parameter `param`;
/// `setup` is what each page sets before the cursor.
fn cursor_pager(list: &List<'_>, param: usize, setup: TokenStream, arms: TokenStream) -> (String, Pager) {
    let (first, set_from, stop) = set_cursor_tokens(list.api, list.op, param);
    let doc = list.doc(&format!(
        "following the `{}` cursor as the stream is read ({}).",
        list.param(param),
        list.paging.kind.convention()
    ));
    let pager = Pager {
        first,
        pages: quote!(token_pages),
        args: quote!(__first,),
        cursor: quote!(__cursor),
        setup: quote!(#setup #set_from),
        stop,
        arms,
        link: None,
        prelude: quote!(),
    };
    (doc, pager)
}

/// A token each page carries, sent back in `token_param`; with `only`
/// (dropshot), later pages unset every other parameter; with `done`, the
/// flag's stopping value ends the stream whatever the token.
fn token_pager(
    list: &List<'_>,
    token_param: usize,
    only: Option<&[usize]>,
    done: Option<&DoneFlag>,
) -> (String, Pager) {
    let unset: Vec<proc_macro2::Ident> = only.unwrap_or_default().iter().map(|u| ident(list.param(*u))).collect();
    let unset = if unset.is_empty() {
        quote!()
    } else {
        let token = ident(list.param(token_param));
        quote!(if __cursor.is_some() && __cursor != __params.#token { #(__p.#unset = None;)* })
    };
    let arms = page_arms(list, quote!((Vec::new(), None)), |src, items| {
        let (lets, next) = next_before_items(src);
        match done {
            None => (lets, quote!((#items, #next))),
            Some(flag) => {
                let stop = done_tokens(flag);
                (quote!(#lets let __stop = #stop;), quote!((#items, if __stop { None } else { #next })))
            }
        }
    });
    cursor_pager(list, token_param, unset, arms)
}

/// A page's next cursor, and the statement that takes it first when it
/// sits in an object of the page (it is read by reference, and the items
/// may move out of that object).
fn next_before_items(src: &PageSource) -> (TokenStream, TokenStream) {
    let next = next_token(src);
    match src.next_via.is_empty() {
        true => (quote!(), next),
        false => (quote!(let __next = #next;), quote!(__next)),
    }
}

/// Whether a page's done flag says the list ends (`__x` the page): an
/// absent or `null` flag says it goes on.
fn done_tokens(flag: &DoneFlag) -> TokenStream {
    let f = ident(&flag.field);
    let v = flag.stops_on;
    if !flag.via.is_empty() {
        return match borrowed(&flag.via, &flag.field, flag.presence) {
            (e, true) => quote!(#e.copied() == Some(#v)),
            (e, false) if v => e,
            (e, false) => quote!(!#e),
        };
    }
    match flag.presence {
        Presence::Required if v => quote!(__x.#f),
        Presence::Required => quote!(!__x.#f),
        Presence::RequiredNull | Presence::Optional => quote!(__x.#f == Some(#v)),
        Presence::OptionalNull => quote!(__x.#f == Some(Some(#v))),
    }
}

/// Whether the page is the last by its flag, when there is no total: only
/// a flag saying more follow goes on; an absent or `null` one ends it.
fn done_unless_more_tokens(flag: &DoneFlag) -> TokenStream {
    let f = ident(&flag.field);
    let more = !flag.stops_on;
    if !flag.via.is_empty() {
        return match borrowed(&flag.via, &flag.field, flag.presence) {
            (e, true) => quote!(#e.copied() != Some(#more)),
            (e, false) if more => quote!(!#e),
            (e, false) => e,
        };
    }
    match flag.presence {
        Presence::Required if more => quote!(!__x.#f),
        Presence::Required => quote!(__x.#f),
        Presence::RequiredNull | Presence::Optional => quote!(__x.#f != Some(#more)),
        Presence::OptionalNull => quote!(__x.#f != Some(Some(#more))),
    }
}

/// Offsets with a total, over `token_pages` (the token is the next
/// offset): every page sends its offset (the caller's, else 0, then one
/// past the items read), and an empty page, the total reached or a
/// stopping `more` flag ends it (`next_offset`).
fn offset_total_pager(list: &List<'_>, offsets: &OffsetTotal) -> (String, Pager) {
    let OffsetTotal { offset_param, offset_kind, bounded, total, more, echo } = offsets;
    let offset_field = list.param(*offset_param);
    let offset = ident(offset_field);
    let n = if *bounded { quote!(__n.get()) } else { quote!(__n) };
    let (to_u64, set, stop) = match offset_kind {
        OffsetKind::Int(kind) => {
            let (to_u64, from_u64) = int_conversions(*kind, &n, &quote!(__offset));
            let (set, stop) =
                set_number_tokens(&offset, *bounded, quote!(__offset), &from_u64, quote!((Vec::new(), None)));
            (to_u64, set, stop)
        }
        // A number offset is sent as a whole number.
        OffsetKind::Float(kind) => {
            let float = match kind {
                FloatKind::F32 => quote!(f32),
                FloatKind::F64 => quote!(f64),
            };
            let to_u64 = quote!(#n as u64);
            if *bounded {
                (
                    to_u64,
                    quote!(__p.#offset = rt::BoundedFloat::new(__offset as #float).ok(); let __beyond = __p.#offset.is_none();),
                    quote!(if __beyond {
                        return Ok((Vec::new(), None));
                    }),
                )
            } else {
                (to_u64, quote!(__p.#offset = Some(__offset as #float);), quote!())
            }
        }
    };
    let setup = quote! {
        let __offset: u64 = __cursor.as_deref().and_then(|__c| __c.parse::<u64>().ok()).unwrap_or(0);
        #set
    };
    let total_value = total.as_ref().map_or(quote!(None), page_hint_tokens);
    let done = match (more, total) {
        (Some(flag), Some(_)) => done_tokens(flag),
        // No total: only a flag saying more follow goes on.
        (Some(flag), None) => done_unless_more_tokens(flag),
        (None, _) => quote!(false),
    };
    // A page that says it starts elsewhere than asked was served before.
    let check_echo = match echo {
        Some(e) => {
            let value = page_hint_tokens(e);
            quote! {
                if let Some(__e) = #value.filter(|__e| *__e != __offset) {
                    return Err(rt::Error::PagingRepeated { cursor: __e.to_string() });
                }
            }
        }
        None => quote!(),
    };
    // Lowering gives offsets one shape of page: the response itself.
    let arms = page_arms(list, quote!((Vec::new(), None)), |_, items| {
        let lets = quote! {
            #check_echo
            let __total: Option<u64> = #total_value;
            let __done = #done;
            let __items = #items;
            let __next = rt::__private::next_offset(__offset, __items.len(), __total, __done);
        };
        (lets, quote!((__items, __next.map(|__n| __n.to_string()))))
    });
    let until = match (total, more) {
        (Some(t), Some(_)) => format!("`{}` items are read, a page is empty or the page says no more follow", t.wire),
        (Some(t), None) => format!("`{}` items are read or a page is empty", t.wire),
        (None, _) => "a page is empty or does not say more follow (a page starting elsewhere than asked ends it with `Error::PagingRepeated`)".to_string(),
    };
    let doc = list.doc(&format!(
        "fetched by offset (`{offset_field}`) until {until}, as the stream is read ({}).",
        list.paging.kind.convention()
    ));
    let pager = Pager {
        first: quote!(__params.#offset.map(|__n| (#to_u64).to_string())),
        pages: quote!(token_pages),
        args: quote!(__first,),
        cursor: quote!(__cursor),
        setup,
        stop,
        arms,
        link: None,
        prelude: quote!(),
    };
    (doc, pager)
}

/// Offsets ending on a short page, over `token_pages` (the token is the
/// next offset): every page sends its offset (the caller's, else 0, then
/// one past the items read); an empty page or one shorter than the size
/// sent (or, with none, than the largest page read) ends it, and a page
/// equal to the one before ends it with `Error::PagingRepeated`
/// (`ShortPages`).
fn offset_short_pager(list: &List<'_>, offsets: &OffsetShort) -> (String, Pager) {
    let OffsetShort { offset_param, offset_kind, bounded, size_param, size_kind, size_bounded } = offsets;
    let offset_field = list.param(*offset_param);
    let offset = ident(offset_field);
    let n = if *bounded { quote!(__n.get()) } else { quote!(__n) };
    let (to_u64, from_u64) = int_conversions(*offset_kind, &n, &quote!(__offset));
    let (set, stop) = set_number_tokens(&offset, *bounded, quote!(__offset), &from_u64, quote!((Vec::new(), None)));
    let size_field = list.param(*size_param);
    let size = ident(size_field);
    let s = if *size_bounded { quote!(__n.get()) } else { quote!(__n) };
    let (size_u64, _) = int_conversions(*size_kind, &s, &quote!(__size));
    let setup = quote! {
        let __offset: u64 = __cursor.as_deref().and_then(|__c| __c.parse::<u64>().ok()).unwrap_or(0);
        #set
        let __size: Option<u64> = __p.#size.map(|__n| #size_u64);
        let __short = __short.clone();
    };
    let arms = page_arms(list, quote!((Vec::new(), None)), |_, items| {
        let lets = quote! {
            let __items = #items;
            let __next = __short.next(__offset, __size, &__items)?;
        };
        (lets, quote!((__items, __next.map(|__n| __n.to_string()))))
    });
    let doc = list.doc(&format!(
        "fetched by offset (`{offset_field}`) until a page is empty or shorter than `{size_field}` (or, unset, than the largest page), as the stream is read ({}).",
        list.paging.kind.convention()
    ));
    let pager = Pager {
        first: quote!(__params.#offset.map(|__n| (#to_u64).to_string())),
        pages: quote!(token_pages),
        args: quote!(__first,),
        cursor: quote!(__cursor),
        setup,
        stop,
        arms,
        link: None,
        prelude: quote!(let __short = ::std::sync::Arc::new(rt::__private::ShortPages::default());),
    };
    (doc, pager)
}

/// Stripe's `has_more`: while the page says more follow, the next page
/// starts after the last item's id, sent in `after_param`.
fn has_more_pager(
    list: &List<'_>,
    after_param: usize,
    has_more_field: &str,
    more_optional: bool,
    item_id: &ItemId,
    item_ty: &TokenStream,
) -> (String, Pager) {
    let id_of = |x: TokenStream, id: &str, optional: bool| {
        let id = ident(id);
        if optional {
            quote!(#x.#id.as_ref().map(|__s| __s.to_string()))
        } else {
            quote!(Some(#x.#id.to_string()))
        }
    };
    let last = match item_id {
        ItemId::Field(id, false) => {
            let id = ident(id);
            quote!(__items.last().map(|__i| __i.#id.to_string()))
        }
        ItemId::Field(id, true) => {
            let get = id_of(quote!(__i), id, true);
            quote!(__items.last().and_then(|__i| #get))
        }
        ItemId::Variants(variants) => {
            let arms = variants.iter().map(|(v, id, optional)| {
                let v = ident(v);
                let get = id_of(quote!(__v), id, *optional);
                quote!(#item_ty::#v(__v) => #get,)
            });
            quote!(__items.last().and_then(|__i| match __i {
                #(#arms)*
                #[allow(unreachable_patterns)]
                _ => None,
            }))
        }
    };
    let more = ident(has_more_field);
    let more = if more_optional { quote!(__x.#more.unwrap_or(false)) } else { quote!(__x.#more) };
    let arms = page_arms(list, quote!((Vec::new(), None)), |_, items| {
        let value = quote!({
            let __more = #more;
            let __items = #items;
            let __next = if __more { #last } else { None };
            (__items, __next)
        });
        (quote!(), value)
    });
    cursor_pager(list, after_param, quote!(), arms)
}

/// A next page's link, from the `Link` header or a body field, fetched as
/// is through a handle whose calls go to it.
fn next_link_pager(list: &List<'_>, from: LinkFrom) -> (String, Pager) {
    let header = matches!(from, LinkFrom::Header | LinkFrom::HeaderByExample);
    let via = if header { "following `Link: rel=\"next\"`" } else { "following each page's next link" };
    let arms = page_arms(list, quote!((Vec::new(), None)), |src, items| {
        // The header's link was read beside the body, into `__next`.
        match header {
            true => (quote!(), quote!((#items, __next))),
            false => {
                let (lets, next) = next_before_items(src);
                (lets, quote!((#items, #next)))
            }
        }
    });
    let doc = list.doc(&format!("{via} as the stream is read ({}).", list.paging.kind.convention()));
    let pager = Pager {
        first: quote!(None),
        pages: quote!(token_pages),
        args: quote!(__first,),
        cursor: quote!(__cursor),
        setup: quote!(),
        stop: quote!(),
        arms,
        link: Some(header),
        prelude: quote!(),
    };
    (doc, pager)
}

/// The stream of page numbers with a body hint, over `token_pages` (the
/// token is the next page's number): the caller's parameters go on every
/// page, the first page is the caller's (or the server's default), and an
/// empty page, a `null` next page, the last page counted or the total
/// reached ends it; a next page number the server gave before ends it with
/// `Error::PagingRepeated`.
fn page_number_pager(list: &List<'_>, numbers: &PageNumbers) -> (String, Pager) {
    let PageNumbers { page_param, page_kind, bounded, first_page, hint } = numbers;
    let page_field = list.param(*page_param);
    let page = ident(page_field);
    let n = if *bounded { quote!(__n.get()) } else { quote!(__n) };
    let (to_u64, from_u64) = page_conversions(*page_kind, &n);
    let (set, stop) = if *bounded {
        (
            quote! {
                let mut __beyond = false;
                if __cursor.is_some() {
                    __p.#page = ::core::convert::TryFrom::try_from(__page.min(i64::MAX as u64) as i64).ok();
                    __beyond = __p.#page.is_none();
                }
            },
            quote!(if __beyond {
                return Ok((Vec::new(), None));
            }),
        )
    } else {
        (quote!(if __cursor.is_some() { __p.#page = Some(#from_u64); }), quote!())
    };
    let first = Literal::u64_unsuffixed(*first_page);
    let mut setup = quote! {
        let __page: u64 = __cursor.as_deref().and_then(|__c| __c.parse::<u64>().ok()).unwrap_or(#first);
        #set
    };
    let mut prelude = quote!();
    // Pages read so far, this one included.
    let done = if *first_page == 0 { quote!(__page.saturating_add(1)) } else { quote!(__page) };
    let (next, until) = match hint.kind {
        PageHintKind::Next if *first_page == 0 => (quote!(__hint), "is `null`"),
        PageHintKind::Next => (quote!(__hint.filter(|__n| *__n >= #first)), "is `null`"),
        PageHintKind::Pages => (
            quote!(match __hint {
                Some(__c) if #done >= __c => None,
                _ => __page.checked_add(1),
            }),
            "is reached",
        ),
        PageHintKind::Total => {
            prelude = quote!(let __seen = ::std::sync::Arc::new(::std::sync::atomic::AtomicU64::new(0)););
            setup.extend(quote!(let __seen = __seen.clone();));
            (
                quote!({
                    let __n = __items.len() as u64;
                    let __count = __seen.fetch_add(__n, ::std::sync::atomic::Ordering::Relaxed).saturating_add(__n);
                    match __hint {
                        Some(__t) if __count >= __t => None,
                        _ => __page.checked_add(1),
                    }
                }),
                "counts every item",
            )
        }
    };
    let hint_value = page_hint_tokens(hint);
    // Lowering gives page numbers one shape of page: the response itself.
    let arms = page_arms(list, quote!((Vec::new(), None)), |_, items| {
        let lets = quote! {
            let __hint: Option<u64> = #hint_value;
            let __items = #items;
            let __next: Option<u64> = if __items.is_empty() { None } else { #next };
        };
        (lets, quote!((__items, __next.map(|__n| __n.to_string()))))
    });
    let doc = list.doc(&format!(
        "fetched page by page (`{page_field}`) until `{}` {until} or a page is empty, as the stream is read ({}).",
        hint.wire,
        list.paging.kind.convention()
    ));
    let pager = Pager {
        first: quote!(__params.#page.map(|__n| (#to_u64).to_string())),
        pages: quote!(token_pages),
        args: quote!(__first,),
        cursor: quote!(__cursor),
        setup,
        stop,
        arms,
        link: None,
        prelude,
    };
    (doc, pager)
}

/// Sets the page size when the caller did not: Auth0 pages by cursor only
/// when `from` or `take` is sent, and some lists page by number only when
/// `per_page` is sent. A bounded size that cannot hold `n` is left unset.
fn default_take_tokens(api: &Api, op: &Operation, take_param: usize, n: u64) -> TokenStream {
    let take = &op.params[take_param];
    let bounded = entry(api, &take.ty).is_bounded();
    let take = ident(&take.name.rust);
    let value = if bounded {
        let n = n as i64;
        quote!(::core::convert::TryFrom::try_from(#n).ok())
    } else {
        let n = Literal::u64_unsuffixed(n);
        quote!(Some(#n))
    };
    quote!(if __p.#take.is_none() { __p.#take = #value; })
}

/// Sets the integer parameter `field` of `__p` to the `u64` in `value` (a
/// page number or an offset); a bounded parameter (`page <= 1000`) that
/// cannot hold it ends the stream with the page `empty`.
fn set_number_tokens(
    field: &proc_macro2::Ident,
    bounded: bool,
    value: TokenStream,
    from_u64: &TokenStream,
    empty: TokenStream,
) -> (TokenStream, TokenStream) {
    if bounded {
        (
            quote!(__p.#field = ::core::convert::TryFrom::try_from(#value.min(i64::MAX as u64) as i64).ok(); let __beyond = __p.#field.is_none();),
            quote!(if __beyond {
                return Ok(#empty);
            }),
        )
    } else {
        (quote!(__p.#field = Some(#from_u64);), quote!())
    }
}

/// The first cursor and how `__p` takes the next one: a cursor parameter
/// with a maximum length is a bounded string, and a cursor that does not fit
/// ends the stream.
fn set_cursor_tokens(api: &Api, op: &Operation, from_param: usize) -> (TokenStream, TokenStream, TokenStream) {
    let from = &op.params[from_param];
    let bounded = entry(api, &from.ty).is_bounded();
    // A cursor sent in a number parameter (Spotify's `after`): a cursor
    // that is no number cannot be sent, and ends the stream.
    let number = matches!(from.ty, crate::ir::Ty::Int(_) | crate::ir::Ty::Float(_));
    let from = ident(&from.name.rust);
    if number {
        (
            quote!(__params.#from.map(|__n| __n.to_string())),
            quote! {
                let __beyond = __cursor.is_some();
                __p.#from = __cursor.and_then(|__c| __c.parse().ok());
                let __beyond = __beyond && __p.#from.is_none();
            },
            quote!(if __beyond {
                return Ok((Vec::new(), None));
            }),
        )
    } else if bounded {
        (
            quote!(__params.#from.as_ref().map(|__s| __s.to_string())),
            quote! {
                let __beyond = __cursor.is_some();
                __p.#from = __cursor.and_then(|__c| rt::BoundedString::new(__c).ok());
                let __beyond = __beyond && __p.#from.is_none();
            },
            quote!(if __beyond {
                return Ok((Vec::new(), None));
            }),
        )
    } else {
        (quote!(__params.#from.clone()), quote!(__p.#from = __cursor;), quote!())
    }
}

/// How a stream's closure fetches one page: the operation itself, or (for
/// next-page links) the operation through a handle whose calls go to the
/// link, reading the `Link` header when the next link is there.
fn page_fetch(
    handle: &str,
    method: &proc_macro2::Ident,
    call_args: &TokenStream,
    arms: &TokenStream,
    link: Option<bool>,
) -> TokenStream {
    match link {
        None => quote! {
            let __body = __this.#method(#call_args).await?.into_inner();
            Ok(#arms)
        },
        Some(header) => {
            let handle = ident(handle);
            let next = if header { quote!(let __next = rt::__private::next_link(__resp.headers());) } else { quote!() };
            quote! {
                let __client = rt::__private::at_url(__this.client, __cursor.as_deref());
                let __resp = #handle { client: &__client }.#method(#call_args).await?;
                #next
                let __body = __resp.into_inner();
                Ok(#arms)
            }
        }
    }
}

/// A page-number hint as an `Option<u64>`, read along its path of fields
/// from the page `__x` (each field may be optional or `null`).
fn page_hint_tokens(hint: &PageHint) -> TokenStream {
    let mut place = quote!(__x);
    let mut opt: Option<TokenStream> = None;
    for (f, presence) in &hint.path {
        let f = ident(f);
        opt = Some(match (opt.take(), presence) {
            (None, Presence::Required) => {
                place = quote!(#place.#f);
                continue;
            }
            (None, Presence::RequiredNull | Presence::Optional) => quote!(#place.#f.as_ref()),
            (None, Presence::OptionalNull) => quote!(#place.#f.as_ref().and_then(|__o| __o.as_ref())),
            (Some(o), Presence::Required) => quote!(#o.map(|__v| &__v.#f)),
            (Some(o), Presence::RequiredNull | Presence::Optional) => quote!(#o.and_then(|__v| __v.#f.as_ref())),
            (Some(o), Presence::OptionalNull) => {
                quote!(#o.and_then(|__v| __v.#f.as_ref()).and_then(|__o| __o.as_ref()))
            }
        });
    }
    match opt {
        None => quote!(rt::__private::PageCount::page_count(#place)),
        Some(o) => quote!(#o.and_then(|__n| rt::__private::PageCount::page_count(*__n))),
    }
}
