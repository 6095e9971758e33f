//! IP values: where the IP token of a logged `Source IP:` / `Allowed IP:` value ends, and how a value that is none is shown.

use std::borrow::Cow;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::redact::{escape_control, TokenDisplay};

/// The IP token `value` starts with: a run of IPv4/IPv6 characters (`[0-9A-Fa-f:.]`, holding a
/// `.` or a `:`), then optionally `/` and prefix-length digits, then optionally `%` and a zone
/// (`[0-9A-Za-z_.-]`), followed by a blank (space, tab) or the end. "IP-shaped", not valid: the
/// seed logs placeholders such as `111.222.333.444`, which must stay readable. `None` when
/// `value` does not start with one (`203.0.113.10/Ab12…`, `abc`, ``): then the whole value is
/// text, which may hold anything the line held, a token included.
///
/// The Logs Insights queries cut the same way (`engine::insights::query`, `IP_TOKEN`).
pub fn ip_token(value: &str) -> Option<&str> {
    let b = value.as_bytes();
    let run =
        |from: usize, ok: fn(u8) -> bool| from + b.get(from..).map_or(0, |r| r.iter().take_while(|&&c| ok(c)).count());
    let mut end = run(0, |c| c.is_ascii_hexdigit() || c == b'.' || c == b':');
    if !b[..end].iter().any(|&c| c == b'.' || c == b':') {
        return None;
    }
    // The optional parts must hold at least one character each: `1.2.3.4/` is no IP token.
    if b.get(end) == Some(&b'/') {
        let digits = run(end + 1, |c| c.is_ascii_digit());
        if digits == end + 1 {
            return None;
        }
        end = digits;
    }
    if b.get(end) == Some(&b'%') {
        let zone = run(end + 1, |c| {
            c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')
        });
        if zone == end + 1 {
            return None;
        }
        end = zone;
    }
    match b.get(end) {
        None | Some(b' ' | b'\t') => value.get(..end),
        Some(_) => None,
    }
}

/// The value an IP placeholder captured, as it is kept: its IP token when it starts with one
/// (the rest of the line, such as a `Token: …` logged after it, is no part of it), else all of it.
#[inline]
pub fn cut_ip(value: &str) -> &str {
    ip_token(value).unwrap_or(value)
}

/// How a kept IP value is shown: an IP token (or nothing) as it is, anything else, which may
/// hold a token, like a token: `text:` and the first 8 hex digits of its SHA-256 (`text:`, not
/// `tok:`: the hash is of the whole value, so it never equals a token's, and the reader learns
/// that the authorizer logged no IP there), or escaped with `--show-tokens`.
pub fn display_ip(value: &str, mode: TokenDisplay) -> Cow<'_, str> {
    if value.is_empty() || ip_token(value) == Some(value) || mode == TokenDisplay::Revealed {
        return escape_control(value);
    }
    let digest = Sha256::digest(value.as_bytes());
    let mut out = String::with_capacity(13);
    out.push_str("text:");
    for b in &digest[..4] {
        let _ = write!(out, "{b:02x}");
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ip_token_ends_at_a_blank_or_the_end() {
        for (value, token) in [
            ("198.51.100.23", Some("198.51.100.23")),
            ("198.51.100.23 Token: Ab12Xy34", Some("198.51.100.23")),
            ("198.51.100.23\tx", Some("198.51.100.23")),
            ("111.222.333.444", Some("111.222.333.444")),
            ("2001:db8::1", Some("2001:db8::1")),
            ("::1", Some("::1")),
            ("fe80::1%eth0 rest", Some("fe80::1%eth0")),
            ("203.0.113.0/24", Some("203.0.113.0/24")),
            ("203.0.113.10/Ab12Xy34", None),
            ("203.0.113.10/", None),
            ("203.0.113.10%", None),
            ("203.0.113.10,x", None),
            ("203.0.113.10\u{200b}", None),
            ("abc", None),
            ("dead beef", None),
            ("", None),
            ("None", None),
        ] {
            assert_eq!(ip_token(value), token, "{value:?}");
            assert_eq!(cut_ip(value), token.unwrap_or(value), "{value:?}");
        }
    }

    #[test]
    fn a_value_that_is_no_ip_token_is_shown_like_a_token() {
        let m = TokenDisplay::Masked;
        assert_eq!(display_ip("203.0.113.10", m), "203.0.113.10");
        assert_eq!(display_ip("", m), "");
        let a = display_ip("203.0.113.10/Ab12Xy34", m);
        let b = display_ip("203.0.113.10/Ab12Xy35", m);
        assert!(a.starts_with("text:") && a.len() == 13 && a != b, "{a} {b}");
        assert!(!a.contains("Ab12"), "{a}");
        assert_eq!(display_ip("a\u{1b}b", TokenDisplay::Revealed), "a\\x1bb");
        assert_eq!(display_ip("abc", TokenDisplay::Revealed), "abc");
    }
}
