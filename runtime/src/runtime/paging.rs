//! Streams over every item of a list operation, fetching pages as the
//! stream is read. Generated `*_stream` methods say how to fetch one page;
//! these functions walk the pages, so callers never handle cursors.

use std::collections::VecDeque;
use std::future::Future;

use futures_util::stream::{self, Stream};

use super::error::Error;

/// Page-number paging from `first`. A page that is empty or shorter than the
/// longest seen so far is the last; the first error ends the stream.
pub fn offset_pages<T, E, F, Fut>(first: u64, fetch: F) -> impl Stream<Item = Result<T, Error<E>>>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<Vec<T>, Error<E>>>,
{
    let state = (fetch, Some(first), VecDeque::new(), 0usize);
    stream::unfold(state, |(mut fetch, mut next, mut buf, mut longest)| async move {
        loop {
            if let Some(item) = buf.pop_front() {
                return Some((Ok(item), (fetch, next, buf, longest)));
            }
            let page = next?;
            match fetch(page).await {
                Ok(items) => {
                    let n = items.len();
                    longest = longest.max(n);
                    next = if n == 0 || n < longest { None } else { page.checked_add(1) };
                    buf.extend(items);
                }
                Err(e) => return Some((Err(e), (fetch, None, buf, longest))),
            }
        }
    })
}

/// Cursor paging: `fetch(cursor)` returns items and the next cursor; no
/// cursor (or an empty page) ends the stream, as does the first error.
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
            match fetch(cursor).await {
                Ok((items, cursor)) => {
                    next = match cursor {
                        Some(c) if !items.is_empty() && !c.is_empty() => Some(Some(c)),
                        _ => None,
                    };
                    buf.extend(items);
                }
                Err(e) => return Some((Err(e), (fetch, None, buf))),
            }
        }
    })
}
