//! The page tokens one paging loop has followed: a token sent again (`A, B, A`) or too many pages ends it.

use std::collections::HashSet;
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::call::Failure;

/// The most pages one paging loop follows: 10 billion events of FilterLogEvents (about 55 hours at
/// 5 requests/s). The tokens seen are kept as 8-byte hashes, so the set stays under 16 MB.
pub const MAX_PAGES: u64 = 1_000_000;

/// The tokens a loop has followed. A server that sends one of them again would make the loop
/// page forever, whether it repeats the last one or cycles (`A, B, A, B, …`).
#[derive(Debug, Default)]
pub(crate) struct Pages {
    seen: HashSet<u64>,
    pages: u64,
}

impl Pages {
    /// The token to send for the next page after an answer that gave `token`: `None` when the
    /// answer was the last page, an error when the token was followed before or the cap is reached.
    pub(crate) fn follow(&mut self, token: Option<String>) -> Result<Option<String>, Failure> {
        self.pages += 1;
        let Some(token) = token else { return Ok(None) };
        // Hashes, not the tokens: a token can be hundreds of bytes. DefaultHasher::new() has fixed
        // keys, and a false repeat needs a 64-bit collision among at most a million tokens.
        let mut h = DefaultHasher::new();
        token.hash(&mut h);
        if !self.seen.insert(h.finish()) {
            return Err(Failure::Other {
                detail: format!(
                    "the server sent a page token it had already sent (after {} pages), so the pages would \
                     never end; the endpoint is at fault: check --endpoint-url, or try again later",
                    self.pages
                ),
            });
        }
        if self.pages >= MAX_PAGES {
            return Err(Failure::Other {
                detail: format!(
                    "the answer went on for more than {MAX_PAGES} pages; narrow --since/--until or --group-pattern"
                ),
            });
        }
        Ok(Some(token))
    }
}

/// Every item of a paged call: `page(token)` fetches one page (the first with `None`) and gives
/// its items and the next token; a token sent again or too many pages end it as [`Pages`] does.
pub(crate) async fn all_pages<T, F, Fut>(mut page: F) -> Result<Vec<T>, Failure>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Failure>>,
{
    let mut found = Vec::new();
    let mut token = None;
    let mut pages = Pages::default();
    loop {
        let (items, next) = page(token.take()).await?;
        found.extend(items);
        token = pages.follow(next)?;
        if token.is_none() {
            return Ok(found);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn follows_new_tokens_and_stops_at_the_last_page() {
        let mut p = Pages::default();
        assert_eq!(p.follow(t("A")).ok().flatten(), t("A"));
        assert_eq!(p.follow(t("B")).ok().flatten(), t("B"));
        assert!(matches!(p.follow(None), Ok(None)));
    }

    #[test]
    fn a_repeat_is_an_error_at_once_or_after_a_cycle() {
        let mut p = Pages::default();
        assert!(p.follow(t("A")).is_ok());
        assert!(p.follow(t("A")).is_err());
        let mut p = Pages::default();
        assert!(p.follow(t("A")).is_ok());
        assert!(p.follow(t("B")).is_ok());
        let Err(Failure::Other { detail }) = p.follow(t("A")) else {
            panic!("A, B, A is a cycle")
        };
        assert!(detail.contains("after 3 pages"), "{detail}");
    }

    #[test]
    fn the_page_cap_ends_the_loop() {
        let mut p = Pages {
            pages: MAX_PAGES - 2,
            ..Pages::default()
        };
        assert!(p.follow(t("A")).is_ok());
        let Err(Failure::Other { detail }) = p.follow(t("B")) else {
            panic!("past the cap")
        };
        assert!(detail.contains("more than 1000000 pages"), "{detail}");
    }
}
