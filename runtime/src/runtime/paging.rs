//! Streams over every item of a list operation, fetching pages as the
//! stream is read. Generated `*_stream` methods say how to fetch one page;
//! these functions walk the pages, so callers never handle cursors.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, Stream, StreamExt};

use super::error::Error;

/// Every item of a list operation, fetched page by page as it is read: a
/// [`Stream`] that is `Unpin`, so `.next().await` works on it as is.
///
/// [`try_collect`](Self::try_collect) reads every item into a `Vec`, stopping
/// at the first error; [`try_next`](Self::try_next) reads one.
#[must_use = "a stream does nothing until it is read"]
pub struct Paged<'a, T, E> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>,
}

impl<'a, T, E> Paged<'a, T, E> {
    /// Wraps any stream of items (what generated `*_stream` methods return).
    pub fn new(stream: impl Stream<Item = Result<T, Error<E>>> + Send + 'a) -> Self {
        Paged { inner: Box::pin(stream) }
    }

    /// The next item, `Ok(None)` at the end.
    pub async fn try_next(&mut self) -> Result<Option<T>, Error<E>> {
        self.inner.next().await.transpose()
    }

    /// Every item, in order; the first error ends the walk and is returned.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.try_next().await? {
            items.push(item);
        }
        Ok(items)
    }
}

impl<T, E> Stream for Paged<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T, E> std::fmt::Debug for Paged<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Paged")
    }
}

/// Page-number paging from `first`. A page that is empty or shorter than the
/// longest seen so far is the last; the first error ends the stream. A page
/// that starts with the item the page before started with (a server
/// ignoring the page number, which would answer the same full page
/// forever) ends it with [`Error::PagingRepeated`].
///
/// `cap` is a server's limit on how many results page numbers reach, with
/// what to do instead: a page starting at or past it ends the stream with
/// [`Error::PagingLimit`] rather than a request the server refuses.
pub fn offset_pages<T, E, F, Fut>(
    first: u64,
    cap: Option<(u64, &'static str)>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error<E>>>
where
    T: PartialEq + Clone,
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<Vec<T>, Error<E>>>,
{
    // What is kept between pages: the largest page read and the first item
    // of the last page.
    let state = (fetch, Some(first), VecDeque::new(), (0usize, None::<T>));
    stream::unfold(state, move |(mut fetch, mut next, mut buf, (mut longest, mut head))| async move {
        loop {
            if let Some(item) = buf.pop_front() {
                return Some((Ok(item), (fetch, next, buf, (longest, head))));
            }
            let page = next?;
            if let Some((limit, hint)) = cap {
                let start = page.saturating_mul(longest as u64);
                if longest > 0 && start >= limit {
                    let e = Error::PagingLimit { limit, hint: hint.to_string() };
                    return Some((Err(e), (fetch, None, buf, (longest, head))));
                }
            }
            match fetch(page).await {
                Ok(items) => {
                    if !items.is_empty() && items.first() == head.as_ref() {
                        let e = Error::PagingRepeated { cursor: page.to_string() };
                        return Some((Err(e), (fetch, None, buf, (longest, head))));
                    }
                    let n = items.len();
                    longest = longest.max(n);
                    next = if n == 0 || n < longest { None } else { page.checked_add(1) };
                    head = items.first().cloned();
                    buf.extend(items);
                }
                Err(e) => return Some((Err(e), (fetch, None, buf, (longest, head)))),
            }
        }
    })
}

/// Cursor paging: `fetch(cursor)` returns items and the next cursor; no
/// cursor, an empty page or the cursor just sent again ends the stream, as
/// does the first error.
pub fn cursor_pages<T, E, F, Fut>(first: Option<String>, fetch: F) -> impl Stream<Item = Result<T, Error<E>>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error<E>>>,
{
    let state = (fetch, Some(first), VecDeque::new());
    stream::unfold(state, |(mut fetch, mut next, mut buf)| async move {
        loop {
            if let Some(item) = buf.pop_front() {
                return Some((Ok(item), (fetch, next, buf)));
            }
            let cursor = next?;
            let sent = cursor.clone();
            match fetch(cursor).await {
                Ok((items, cursor)) => {
                    next = match cursor {
                        Some(c) if !items.is_empty() && !c.is_empty() && sent.as_ref() != Some(&c) => Some(Some(c)),
                        _ => None,
                    };
                    buf.extend(items);
                }
                Err(e) => return Some((Err(e), (fetch, None, buf))),
            }
        }
    })
}

/// Token paging for the conventions a description shows: `fetch(token)`
/// returns a page's items and the next token (a cursor, or a next page's
/// URL). No token or an empty one ends the stream, as does the first error;
/// a token the server gave before ends it, after that page's items, with
/// [`Error::PagingRepeated`] rather than fetch the same pages forever. An
/// empty page with a token goes on (Azure's lists may have empty pages
/// before the last).
pub fn token_pages<T, E, F, Fut>(first: Option<String>, fetch: F) -> impl Stream<Item = Result<T, Error<E>>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error<E>>>,
{
    let mut seen = std::collections::HashSet::new();
    seen.extend(first.clone());
    // The next token (`None`: no more pages), the items read, the tokens
    // seen, and an error to give once the items are out.
    let state = (fetch, Some(first), VecDeque::new(), seen, None);
    stream::unfold(state, |(mut fetch, mut next, mut buf, mut seen, mut failed)| async move {
        loop {
            if let Some(item) = buf.pop_front() {
                return Some((Ok(item), (fetch, next, buf, seen, failed)));
            }
            if let Some(e) = failed.take() {
                return Some((Err(e), (fetch, None, buf, seen, None)));
            }
            let token = next.take()?;
            match fetch(token).await {
                Ok((items, token)) => {
                    buf.extend(items);
                    match token {
                        Some(t) if !t.is_empty() => {
                            if seen.insert(t.clone()) {
                                next = Some(Some(t));
                            } else {
                                failed = Some(Error::PagingRepeated { cursor: t });
                            }
                        }
                        _ => {}
                    }
                }
                Err(e) => return Some((Err(e), (fetch, None, buf, seen, None))),
            }
        }
    })
}

/// The target of a `Link` header's `rel="next"` (RFC 8288), if any: links
/// are `<url>; param; param`, separated by commas, in one or more headers.
pub fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(mut rest) = value.to_str() else { continue };
        while let Some(start) = rest.find('<') {
            let after = &rest[start + 1..];
            let end = after.find('>')?;
            let target = &after[..end];
            let params_end = after[end..].find('<').map_or(after.len(), |i| end + i);
            // What follows the target, up to the comma before the next link.
            let params = after[end + 1..params_end].trim_end().trim_end_matches(',');
            let is_next = params.split(';').any(|p| {
                let Some((k, v)) = p.split_once('=') else { return false };
                k.trim().eq_ignore_ascii_case("rel")
                    && v.trim().trim_matches('"').split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("next"))
            });
            if is_next && !target.is_empty() {
                return Some(target.to_string());
            }
            rest = &after[params_end..];
        }
    }
    None
}

/// A handle whose calls go to `url` (a next page's link) instead of their
/// route: the URL is resolved against the base URL and sent only on its
/// origin. `None`: the handle itself.
pub fn at_url(client: &super::Client, url: Option<&str>) -> super::Client {
    match url {
        Some(u) => client.with_options(super::RequestOptions { next_url: Some(u.to_string()), ..Default::default() }),
        None => client.clone(),
    }
}

/// The offset of the page after one of `n` items read from `offset`, or
/// `None` when that page was the last: it is empty (no progress, so a page
/// served again cannot loop), the items reach `total`, or the page says it
/// is the last (`done`: a flag such as PagerDuty's `more` is false). An
/// unknown total (`None`: PagerDuty's is `null` unless asked for) says
/// nothing.
pub fn next_offset(offset: u64, n: usize, total: Option<u64>, done: bool) -> Option<u64> {
    let next = offset.checked_add(n as u64).filter(|_| n > 0 && !done)?;
    match total {
        Some(t) if next >= t => None,
        _ => Some(next),
    }
}

/// The items of a page whose list is a union of lists (Figma's analytics
/// `rows`) when the list fits none of its variants (its `Unknown`): each
/// element read as the item union `T`, or kept whole by `unknown` (that
/// union's `Unknown`); a value that is no list holds no items.
pub fn unknown_items<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    unknown: fn(serde_json::Value) -> T,
) -> Vec<T> {
    let serde_json::Value::Array(items) = value else { return Vec::new() };
    items.into_iter().map(|x| T::deserialize(&x).unwrap_or_else(|_| unknown(x))).collect()
}

/// The pages of an offset list whose only end is a short page (Clerk's
/// and Mastodon's bare arrays): what the stream remembers between pages,
/// the largest page read and the last page.
pub struct ShortPages<T> {
    state: std::sync::Mutex<(u64, Option<Vec<T>>)>,
}

impl<T> Default for ShortPages<T> {
    fn default() -> Self {
        ShortPages { state: std::sync::Mutex::new((0, None)) }
    }
}

impl<T: PartialEq + Clone> ShortPages<T> {
    /// The offset of the page after `items`, read from `offset` with the
    /// page size `size` asked (`None`: the server's own, taken to be the
    /// largest page read), or `None` when that page was the last: it is
    /// empty or shorter than the size. A page equal to the one before (a
    /// server ignoring the offset) is [`Error::PagingRepeated`] rather than
    /// a loop.
    pub fn next<E>(&self, offset: u64, size: Option<u64>, items: &[T]) -> Result<Option<u64>, Error<E>> {
        let n = items.len() as u64;
        if n == 0 {
            return Ok(None);
        }
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if state.1.as_deref() == Some(items) {
            return Err(Error::PagingRepeated { cursor: offset.to_string() });
        }
        state.0 = state.0.max(n);
        let size = size.unwrap_or(state.0);
        state.1 = Some(items.to_vec());
        Ok(if n < size { None } else { offset.checked_add(n) })
    }
}

/// A page's count of every item (`total()` of a list response) as a `u64`,
/// from whichever integer or number type the description declares: `None`
/// for a negative, fractional or too large value.
pub trait PageCount: Copy {
    fn page_count(self) -> Option<u64>;
}

macro_rules! page_count_int {
    ($($t:ty),*) => {$(
        impl PageCount for $t {
            fn page_count(self) -> Option<u64> {
                u64::try_from(self).ok()
            }
        }
    )*};
}
page_count_int!(i32, i64, u32, u64);

impl PageCount for f64 {
    fn page_count(self) -> Option<u64> {
        // 2^64: the first value `u64` cannot hold.
        (self >= 0.0 && self.fract() == 0.0 && self < 18_446_744_073_709_551_616.0).then_some(self as u64)
    }
}

impl PageCount for f32 {
    fn page_count(self) -> Option<u64> {
        f64::from(self).page_count()
    }
}

impl<T: PageCount + Into<i128>, const MIN: i128, const MAX: i128, const MULTIPLE_OF: u64> PageCount
    for super::validate::BoundedInt<T, MIN, MAX, MULTIPLE_OF>
{
    fn page_count(self) -> Option<u64> {
        self.get().page_count()
    }
}

impl<
        T: PageCount + Into<f64>,
        const MIN: u64,
        const MAX: u64,
        const EXCL_MIN: bool,
        const EXCL_MAX: bool,
        const MULTIPLE_OF: u64,
    > PageCount for super::validate::BoundedFloat<T, MIN, MAX, EXCL_MIN, EXCL_MAX, MULTIPLE_OF>
{
    fn page_count(self) -> Option<u64> {
        self.get().page_count()
    }
}

#[cfg(test)]
mod tests;
