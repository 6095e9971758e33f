//! Values cut to a cap: the head kept, with the whole value's length and SHA-256, so equality and masking stay exact.

use std::borrow::Cow;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

/// The most bytes kept of a value logged for a request (a token, an id, an error text). The longest
/// real values (JWT bearer tokens with their claims) run to 1–2 KiB, so 4 KiB keeps every real one
/// whole while an open request holds at most a dozen of them: tens of KiB, not megabytes.
pub const VALUE_CAP: usize = 4096;

/// The most bytes kept of an IP value. An IPv6 address with a zone id is under 64 bytes; text
/// longer than this is not an address, and the analyzer keeps one entry per distinct IP.
pub const IP_CAP: usize = 256;

/// What stands between a cut value's head and the whole value's length and digest.
const MARK: &str = "…[cut: ";

/// `value` when it fits in `cap` bytes, else its head (cut at a character boundary) followed by
/// `…[cut: <length> bytes, sha256:<64 hex digits>]`. Two values are equal exactly when their
/// forms are (the digest covers the whole value, and a form that was cut is longer than any value
/// that was not), so decisions taken on the forms stay those taken on the values.
#[inline]
pub fn cut(value: &str, cap: usize) -> Cow<'_, str> {
    if value.len() <= cap {
        return Cow::Borrowed(value);
    }
    Cow::Owned(cut_long(value, cap))
}

/// [`cut`] of a value over its cap: apart, so the common case stays a comparison where it is inlined.
#[cold]
fn cut_long(value: &str, cap: usize) -> String {
    let mut end = cap;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = String::with_capacity(end + MARK.len() + 96);
    out.push_str(&value[..end]);
    out.push_str(MARK);
    let _ = write!(out, "{} bytes, sha256:", value.len());
    for b in Sha256::digest(value.as_bytes()) {
        let _ = write!(out, "{b:02x}");
    }
    out.push(']');
    out
}

/// A value to find in text: as it is, or, for a value [`cut`] made, its head, whole length and digest.
#[derive(Debug, Clone, Copy)]
pub struct Form<'a> {
    head: &'a str,
    whole: Option<(usize, &'a str)>,
}

impl<'a> Form<'a> {
    /// `value`, read once (a form [`cut`] made is taken apart here, not at every place it is sought).
    pub fn new(value: &'a str) -> Form<'a> {
        match (parts(value), whole_len(value)) {
            (Some((head, digest)), Some(len)) => Form {
                head,
                whole: Some((len, digest)),
            },
            _ => Form {
                head: value,
                whole: None,
            },
        }
    }

    /// The bytes it starts with: the value, or a cut value's head.
    pub fn head(&self) -> &'a str {
        self.head
    }

    /// How many bytes at the start of `text` are the value: the value itself, or, for a cut one,
    /// the whole value (its head, then as many bytes as it had, whose SHA-256 is the one the form
    /// holds), else its head alone (the text holds a shorter value or another with that head:
    /// masking the head is the safe side). `None` when `text` does not start with it.
    pub fn found(&self, text: &str) -> Option<usize> {
        if !text.starts_with(self.head) {
            return None;
        }
        let Some((len, digest)) = self.whole else {
            return Some(self.head.len());
        };
        let same = text.get(..len).is_some_and(|w| {
            let mut hex = String::with_capacity(64);
            for b in Sha256::digest(w.as_bytes()) {
                let _ = write!(hex, "{b:02x}");
            }
            hex == digest
        });
        Some(if same { len } else { self.head.len() })
    }
}

/// The length of the whole value of a form [`cut`] made.
fn whole_len(form: &str) -> Option<usize> {
    let body = form.strip_suffix(']')?;
    let rest = &body[body.rfind(MARK)? + MARK.len()..];
    rest.split_once(" bytes, sha256:")?.0.parse().ok()
}

/// The head and the whole value's SHA-256 (64 hex digits) of a value [`cut`] made, `None` for any
/// other text.
pub fn parts(form: &str) -> Option<(&str, &str)> {
    let body = form.strip_suffix(']')?;
    let at = body.rfind(MARK)?;
    let (head, rest) = (&body[..at], &body[at + MARK.len()..]);
    let (len, digest) = rest.split_once(" bytes, sha256:")?;
    let len: usize = len.parse().ok()?;
    let hex = digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    (hex && len > head.len()).then_some((head, digest))
}

/// Whether `form` is a value [`cut`] made.
pub fn is_cut(form: &str) -> bool {
    parts(form).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_kept_as_they_are() {
        assert_eq!(cut("Ab12Xy34", VALUE_CAP), Cow::Borrowed("Ab12Xy34"));
        let at_cap = "a".repeat(VALUE_CAP);
        assert!(matches!(cut(&at_cap, VALUE_CAP), Cow::Borrowed(_)));
        assert!(!is_cut(&at_cap));
    }

    #[test]
    fn a_long_value_keeps_its_head_length_and_digest() {
        let long = "A".repeat(1 << 20);
        let form = cut(&long, VALUE_CAP);
        assert!(form.len() < VALUE_CAP + 128, "{}", form.len());
        let (head, digest) = parts(&form).expect("a cut form");
        assert_eq!(head, &long[..VALUE_CAP]);
        // `head -c 1048576 /dev/zero | tr '\0' A | sha256sum`, not this module's digest.
        assert_eq!(
            digest,
            "4e29ad18ab9f42d7c233500771a39d7c852b200baf328fd00fbbe3fecea1eb56"
        );
        assert!(form.contains("…[cut: 1048576 bytes, sha256:"));
    }

    #[test]
    fn equality_of_cut_values_is_the_equality_of_the_values() {
        let a = "x".repeat(10_000);
        let mut b = a.clone();
        b.push('y');
        let mut c = a.clone();
        c.replace_range(9_000..9_001, "z");
        // Same head, other length; same head and length, other tail: all told apart.
        assert_ne!(cut(&a, VALUE_CAP), cut(&b, VALUE_CAP));
        assert_ne!(cut(&a, VALUE_CAP), cut(&c, VALUE_CAP));
        assert_eq!(cut(&a, VALUE_CAP), cut(&a.clone(), VALUE_CAP));
        // A value under the cap never equals a cut form, even one that spells a form's head.
        let head = &a[..VALUE_CAP];
        assert_ne!(cut(head, VALUE_CAP), cut(&a, VALUE_CAP));
    }

    #[test]
    fn cuts_fall_on_character_boundaries() {
        let long = "é".repeat(5_000);
        let form = cut(&long, 4_095);
        let (head, _) = parts(&form).expect("a cut form");
        assert_eq!(head.len(), 4_094);
    }

    #[test]
    fn other_text_is_no_cut_form() {
        for text in ["", "]", "a…[cut: 3 bytes, sha256:zz]", "a…[cut: 1 bytes, sha256:]"] {
            assert!(parts(text).is_none(), "{text}");
        }
    }

    #[test]
    fn a_cut_form_finds_its_whole_value_in_text() {
        let whole = "k".repeat(10_000);
        let form = cut(&whole, VALUE_CAP);
        let f = Form::new(&form);
        assert_eq!(f.head().len(), VALUE_CAP);
        assert_eq!(f.found(&format!("{whole}, next")), Some(10_000), "the whole value");
        // Another value with the same head: only the head is taken for it.
        assert_eq!(
            f.found(&format!("{}{}", "k".repeat(VALUE_CAP), "j".repeat(8_000))),
            Some(VALUE_CAP)
        );
        assert_eq!(f.found(&"k".repeat(100)), None, "shorter than the head");
        assert_eq!(Form::new("Ab12").found("Ab12Xy"), Some(4));
        assert_eq!(Form::new("Ab12").found("xAb12"), None);
    }
}
