//! Pagination over `start`/`end` list operations: every item of every page, as a `Stream`.

use super::error::Error;
use futures_util::stream::{self, Stream, TryStreamExt};
use std::future::Future;

/// Fetches pages `[start, start + page_size)` until a page comes back short or `total` items
/// were seen, and yields their items one by one. `fetch` sends one page; `split` takes the items
/// and the total count out of a page. A page identical to the one before (a server that ignores
/// `start`) ends the stream with [`Error::Pagination`] instead of asking forever.
#[allow(dead_code)] // unused by a document without paginated operations
pub(crate) fn paginate<'a, P, T, F, Fut>(
    page_size: i32,
    fetch: F,
    split: fn(P) -> (Vec<T>, Option<i64>),
) -> impl Stream<Item = Result<T, Error>> + 'a
where
    F: Fn(i32, i32) -> Fut + 'a,
    Fut: Future<Output = Result<P, Error>> + 'a,
    T: serde::Serialize + 'a,
    P: 'a,
{
    let page_size = page_size.max(1);
    let fetch = std::sync::Arc::new(fetch);
    stream::try_unfold((Some(0_i32), None), move |(next, previous)| {
        let fetch = fetch.clone();
        async move {
            let Some(start) = next else { return Ok(None) };
            let (items, total) = split(fetch(start, start.saturating_add(page_size)).await?);
            let fingerprint = fingerprint(&items);
            if !items.is_empty() && previous == Some(fingerprint) {
                return Err(Error::Pagination(format!(
                    "the page from {start} repeats the page before it: the server ignores `start`"
                )));
            }
            let count = i32::try_from(items.len()).unwrap_or(i32::MAX);
            let after = start.saturating_add(count);
            let more = count > 0
                && match total {
                    Some(total) => i64::from(after) < total,
                    None => count >= page_size,
                };
            Ok(Some((items, (more.then_some(after), Some(fingerprint)))))
        }
    })
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
}

/// A hash of a page's items as JSON: equal for equal pages.
fn fingerprint<T: serde::Serialize>(items: &[T]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_vec(items)
        .unwrap_or_default()
        .hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::Mutex;

    async fn pages(total: i64, page_size: i32) -> (Vec<i64>, Vec<(i32, i32)>) {
        let asked = Mutex::new(Vec::new());
        let items: Vec<i64> = paginate(
            page_size,
            |start, end| {
                asked.lock().unwrap().push((start, end));
                let items: Vec<i64> = (i64::from(start)..i64::from(end).min(total)).collect();
                async move { Ok::<_, Error>((items, total)) }
            },
            |(items, total)| (items, Some(total)),
        )
        .map(|r| r.unwrap())
        .collect()
        .await;
        let asked = asked.into_inner().unwrap();
        (items, asked)
    }

    #[tokio::test]
    async fn walks_every_page_and_stops_at_the_total() {
        let (items, asked) = pages(7, 3).await;
        assert_eq!(items, (0..7).collect::<Vec<_>>());
        assert_eq!(asked, vec![(0, 3), (3, 6), (6, 9)]);
    }

    #[tokio::test]
    async fn a_server_that_ignores_start_ends_the_stream_with_an_error() {
        let asked = Mutex::new(0);
        let results: Vec<Result<i64, Error>> = paginate(
            3,
            |_, _| {
                *asked.lock().unwrap() += 1;
                async move { Ok::<_, Error>(vec![1_i64, 2, 3]) }
            },
            |items| (items, None),
        )
        .collect()
        .await;
        assert_eq!(
            *asked.lock().unwrap(),
            2,
            "the second page repeats the first"
        );
        let error = results.last().unwrap().as_ref().unwrap_err();
        assert!(matches!(error, Error::Pagination(_)), "{error:?}");
        assert_eq!(results.len(), 4, "the first page's items, then the error");
    }

    #[tokio::test]
    async fn an_empty_list_is_one_request() {
        let (items, asked) = pages(0, 3).await;
        assert!(items.is_empty());
        assert_eq!(asked, vec![(0, 3)]);
    }
}
