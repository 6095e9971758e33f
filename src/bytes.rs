//! Byte-level string helpers of the hot paths: word-at-a-time compares, separator checks, line ends.

/// String equality that skips the `memcmp` call for the common empty and identical names.
#[inline]
pub(crate) fn same_str(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.is_empty() || std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b)
}

/// The eight bytes of `b` from `at`, as one word.
#[inline]
fn word_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map(u64::from_le_bytes)
}

/// Whether any byte of `w` is below 0x21 (Mycroft's has-less-than), so every separator (`\t`,
/// ` `, `\n`, `\r`, another control byte) is caught.
#[inline]
fn has_separator(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    w.wrapping_sub(ONES * 0x21) & !w & (ONES * 0x80) != 0
}

/// Whether `b` has eight bytes from `at` and none of them is a separator: a token's bytes
/// checked a word at a time instead of searched for its end.
#[inline]
pub(crate) fn no_separator_at(b: &[u8], at: usize) -> bool {
    word_at(b, at).is_some_and(|w| !has_separator(w))
}

/// Whether `hay[pos..]` starts with `lit`, compared eight bytes at a time in line (the last eight
/// overlapping the ones before): literals are short, and a `memcmp` call cost more than comparing.
#[inline]
pub(crate) fn starts_with_at(hay: &[u8], pos: usize, lit: &[u8]) -> bool {
    let Some(hay) = hay.get(pos..pos + lit.len()) else {
        return false;
    };
    let n = lit.len();
    if n < 8 {
        let half = |s: &[u8], at: usize| s.get(at..at + 4).and_then(|w| <[u8; 4]>::try_from(w).ok());
        return match n {
            4.. => half(hay, 0) == half(lit, 0) && half(hay, n - 4) == half(lit, n - 4),
            _ => hay.iter().zip(lit).all(|(a, b)| a == b),
        };
    }
    let mut at = 0;
    while at + 8 < n {
        if word_at(hay, at) != word_at(lit, at) {
            return false;
        }
        at += 8;
    }
    word_at(hay, n - 8) == word_at(lit, n - 8)
}

/// The text before the first `\n`, without the `\r`s that end it.
pub(crate) fn first_line(s: &str) -> &str {
    // Most texts here are a value (an IP, a token): a plain loop is done before `memchr` has begun.
    let b = s.as_bytes();
    let newline = if b.len() <= 32 {
        b.iter().position(|&c| c == b'\n')
    } else {
        memchr::memchr(b'\n', b)
    };
    let Some(mut end) = newline else { return s };
    while end > 0 && b[end - 1] == b'\r' {
        end -= 1;
    }
    // Both ends are ASCII bytes, so they are char boundaries.
    s.get(..end).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_compares_agree_with_the_standard_ones() {
        let texts = [
            "",
            "a",
            "START RequestId: x",
            "START RequestId:",
            "START RequestIdx x",
            "STARX RequestId: ",
        ];
        for s in texts {
            for p in texts {
                for pos in 0..3 {
                    let want = s.as_bytes().get(pos..).is_some_and(|h| h.starts_with(p.as_bytes()));
                    assert_eq!(
                        starts_with_at(s.as_bytes(), pos, p.as_bytes()),
                        want,
                        "{s:?} {p:?} {pos}"
                    );
                }
            }
        }
        for i in 0..=255u8 {
            assert_eq!(
                has_separator(u64::from_le_bytes([b'a', b'b', i, b'c', b'd', b'e', b'f', b'g'])),
                i < 0x21,
                "{i}"
            );
        }
        assert!(same_str("ab", "ab") && !same_str("ab", "ac") && same_str("", ""));
    }
}
