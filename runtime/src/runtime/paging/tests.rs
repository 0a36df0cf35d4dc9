//! Unit tests of `paging.rs` (not copied into generated crates).

use super::*;
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, HeaderValue, LINK};

fn links(values: &[&'static str]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for v in values {
        h.append(LINK, HeaderValue::from_static(v));
    }
    h
}

#[test]
fn next_link_finds_rel_next_among_links() {
    let h = links(&[
        r#"<https://api.github.com/repos/a/b/issues?page=2>; rel="next", <https://api.github.com/repos/a/b/issues?page=5>; rel="last""#,
    ]);
    assert_eq!(next_link(&h).as_deref(), Some("https://api.github.com/repos/a/b/issues?page=2"));
    let h = links(&[r#"<https://x/?page=1>; rel="prev first""#, r#"<https://x/?page=3>; title="n"; rel="Next""#]);
    assert_eq!(next_link(&h).as_deref(), Some("https://x/?page=3"));
    // The last page has no next.
    let h = links(&[r#"<https://x/?page=1>; rel="prev", <https://x/?page=1>; rel="first""#]);
    assert_eq!(next_link(&h), None);
    assert_eq!(next_link(&HeaderMap::new()), None);
    assert_eq!(next_link(&links(&["garbage; rel=next"])), None);
}

/// A stream's item as the tests compare it: a repeat by its cursor.
fn shown(r: Result<u32, Error<std::convert::Infallible>>) -> Result<u32, String> {
    r.map_err(|e| match e {
        Error::PagingRepeated { cursor } => format!("repeated {cursor}"),
        e => format!("{e:?}"),
    })
}

fn pages(script: Vec<(Vec<u32>, Option<&'static str>)>) -> Vec<Result<u32, String>> {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async move {
        let mut script = script.into_iter();
        let s = token_pages::<u32, std::convert::Infallible, _, _>(None, move |_| {
            let page = script.next();
            async move {
                let (items, next) = page.expect("a page after the end");
                Ok((items, next.map(str::to_string)))
            }
        });
        s.map(shown).collect::<Vec<_>>().await
    })
}

#[test]
fn token_pages_stop_without_a_token_and_go_on_past_empty_pages() {
    let got = pages(vec![(vec![1, 2], Some("a")), (vec![], Some("b")), (vec![3], Some("")), (vec![9], None)]);
    assert_eq!(got, vec![Ok(1), Ok(2), Ok(3)]);
}

#[test]
fn token_pages_end_with_an_error_on_a_repeated_token() {
    let got = pages(vec![(vec![1], Some("a")), (vec![2], Some("b")), (vec![3], Some("a")), (vec![4], Some("c"))]);
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[..3], [Ok(1), Ok(2), Ok(3)]);
    assert_eq!(got[3], Err("repeated a".to_string()));
}

#[test]
fn a_page_count_is_a_whole_non_negative_number() {
    use super::PageCount;
    assert_eq!(120i64.page_count(), Some(120));
    assert_eq!((-1i32).page_count(), None);
    assert_eq!(120.0f64.page_count(), Some(120));
    assert_eq!(1.5f64.page_count(), None);
    assert_eq!((-0.5f32).page_count(), None);
    assert_eq!(f64::NAN.page_count(), None);
    assert_eq!(1e30f64.page_count(), None);
    let bounded = crate::runtime::BoundedInt::<i64, 0, 100>::new(7).unwrap();
    assert_eq!(bounded.page_count(), Some(7));
}

#[test]
fn next_offset_counts_the_items_read() {
    assert_eq!(next_offset(0, 10, Some(25), false), Some(10));
    assert_eq!(next_offset(10, 10, Some(25), false), Some(20));
    // The total reached, a last page said or an empty page ends it.
    assert_eq!(next_offset(20, 5, Some(25), false), None);
    assert_eq!(next_offset(20, 10, Some(25), false), None);
    assert_eq!(next_offset(0, 10, None, true), None);
    assert_eq!(next_offset(10, 0, Some(25), false), None);
    // An unknown total (PagerDuty sends `null` unless asked) goes on.
    assert_eq!(next_offset(0, 3, None, false), Some(3));
    assert_eq!(next_offset(u64::MAX, 1, None, false), None);
}

#[test]
fn short_pages_end_on_a_short_empty_or_repeated_page() {
    type R = Result<Option<u64>, Error<()>>;
    let ok = |r: R| r.map_err(|e| matches!(e, Error::PagingRepeated { cursor } if cursor == "2"));
    // A size sent: a page shorter than it is the last.
    let pages = ShortPages::default();
    assert_eq!(ok(pages.next(0, Some(2), &[1, 2])), Ok(Some(2)));
    assert_eq!(ok(pages.next(2, Some(2), &[3])), Ok(None));
    // None sent: the largest page read is the size.
    let pages = ShortPages::default();
    assert_eq!(ok(pages.next(0, None, &[1, 2, 3])), Ok(Some(3)));
    assert_eq!(ok(pages.next(3, None, &[4, 5, 6])), Ok(Some(6)));
    assert_eq!(ok(pages.next(6, None, &[7])), Ok(None));
    assert_eq!(ok(pages.next(7, None, &[])), Ok(None));
    // The same page again: an error, not a loop.
    let pages = ShortPages::default();
    assert_eq!(ok(pages.next(0, None, &[1, 2])), Ok(Some(2)));
    assert_eq!(ok(pages.next(2, None, &[1, 2])), Err(true));
}

/// `offset_pages` from page 0 over `script` (the pages in order), with the
/// page numbers asked for.
fn numbered(script: Vec<Vec<u32>>) -> (Vec<Result<u32, String>>, Vec<u64>) {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = asked.clone();
    let got = rt.block_on(async move {
        let mut script = script.into_iter();
        let s = offset_pages::<u32, std::convert::Infallible, _, _>(0, None, move |page| {
            seen.lock().unwrap().push(page);
            let items = script.next().expect("a page after the end");
            async move { Ok(items) }
        });
        s.map(shown).collect::<Vec<_>>().await
    });
    let asked = asked.lock().unwrap().clone();
    (got, asked)
}

#[test]
fn page_numbers_end_on_a_short_or_empty_page() {
    assert_eq!(
        numbered(vec![vec![1, 2], vec![3, 4], vec![5]]),
        (vec![Ok(1), Ok(2), Ok(3), Ok(4), Ok(5)], vec![0, 1, 2])
    );
    assert_eq!(numbered(vec![vec![1, 2], vec![3, 4], vec![]]), (vec![Ok(1), Ok(2), Ok(3), Ok(4)], vec![0, 1, 2]));
}

#[test]
fn page_numbers_end_with_an_error_on_a_page_served_again() {
    // A server that ignores `page` answers the first page forever: the
    // second answer starting with the same item ends the stream.
    let (got, asked) = numbered(vec![vec![1, 2], vec![1, 2], vec![1, 2]]);
    assert_eq!(got, vec![Ok(1), Ok(2), Err("repeated 1".to_string())]);
    assert_eq!(asked, [0, 1]);
    // Items that shift by one between pages (one deleted meanwhile) are
    // no repeat.
    let (got, _) = numbered(vec![vec![1, 2], vec![2, 3], vec![4]]);
    assert_eq!(got, vec![Ok(1), Ok(2), Ok(2), Ok(3), Ok(4)]);
}

#[test]
fn a_list_no_list_of_a_union_fits_is_read_item_by_item_and_anything_else_holds_none() {
    let unknown = |_: serde_json::Value| u32::MAX;
    assert_eq!(unknown_items(serde_json::json!([1, "two", 3]), unknown), [1, u32::MAX, 3]);
    assert_eq!(unknown_items(serde_json::json!([]), unknown), Vec::<u32>::new());
    assert_eq!(unknown_items(serde_json::json!({"rows": [1]}), unknown), Vec::<u32>::new());
}
