//! Output safety: masking of tokens and escaping of control characters in log-derived text.

use std::borrow::Cow;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

/// How tokens appear in output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenDisplay {
    /// `tok:1a2b3c4d`: the first 8 hex digits of the token's SHA-256, enough to tell tokens apart.
    #[default]
    Masked,
    /// The token as logged (`--show-tokens`).
    Revealed,
}

/// Whether a logged token value means "no token": Python logs a missing header as `None`.
pub fn token_is_missing(token: &str) -> bool {
    token.is_empty() || token == "None"
}

/// Renders a token for output. A missing token is shown as `<none>` / `<empty>` in either mode.
pub fn display_token(token: &str, mode: TokenDisplay) -> String {
    if token == "None" {
        return "<none>".to_string();
    }
    if token.is_empty() {
        return "<empty>".to_string();
    }
    match mode {
        TokenDisplay::Revealed => escape_control(token).into_owned(),
        TokenDisplay::Masked => {
            let digest = Sha256::digest(token.as_bytes());
            let mut out = String::with_capacity(12);
            out.push_str("tok:");
            for b in &digest[..4] {
                let _ = write!(out, "{b:02x}");
            }
            out
        }
    }
}

/// Escapes C0 controls, DEL and C1 controls (ESC, BEL, CR, NUL, CSI…) as `\x1b`-style text, so a crafted
/// log line cannot repaint a terminal. Tabs and newlines are escaped too: output fields are single-line.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_control(c) {
            match c {
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c if (c as u32) < 0x100 => {
                    let _ = write!(out, "\\x{:02x}", c as u32);
                }
                c => {
                    let _ = write!(out, "\\u{{{:x}}}", c as u32);
                }
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_control(c: char) -> bool {
    // Bidi overrides are included: they reorder what a terminal shows.
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Words after which a secret follows in a line nobody recognized: what follows them (after `:`,
/// `=`, quotes or spaces) is masked.
const SECRET_WORDS: [&str; 5] = ["token", "authorization", "bearer", "secret", "トークン"];

/// `line` with the value after every secret word masked (`****`): for lines shown as samples, which
/// matched no template, so no template says where a token is.
pub fn mask_secret_words(line: &str) -> Cow<'_, str> {
    // ASCII lowercasing keeps every byte offset, so what is found in `lower` is cut from `line`.
    let lower = line.to_ascii_lowercase();
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some((at, word)) = SECRET_WORDS
        .iter()
        .filter_map(|w| Some((lower.get(from..)?.find(w)? + from, w.len())))
        .min()
    {
        let mut start = at + word;
        let b = line.as_bytes();
        while start < b.len() && matches!(b[start], b':' | b'=' | b' ' | b'"' | b'\'' | b'\t') {
            start += 1;
        }
        let mut end = start;
        while end < b.len() && !matches!(b[end], b' ' | b'"' | b'\'' | b',' | b'\t' | b'}' | b';') {
            end += 1;
        }
        // "Bearer" after "Authorization:" is a word to skip, not the secret: mask what follows it.
        let value = line.get(start..end).unwrap_or("");
        if end > start && !SECRET_WORDS.iter().any(|w| value.eq_ignore_ascii_case(w)) {
            out.push_str(line.get(copied..start).unwrap_or(""));
            out.push_str("****");
            copied = end;
            from = end;
        } else {
            from = start.max(at + word);
        }
    }
    if copied == 0 {
        return Cow::Borrowed(line);
    }
    out.push_str(line.get(copied..).unwrap_or(""));
    Cow::Owned(out)
}

/// A CSV cell that a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, tab or CR
/// gets a leading `'`, as OWASP recommends against CSV injection. Numbers (`-3`, `+1.5`) stay as
/// they are, so columns of numbers still sum.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if !risky || s.parse::<f64>().is_ok_and(f64::is_finite) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(format!("'{s}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_cannot_start_a_formula() {
        for hostile in [
            "=HYPERLINK(\"http://evil\",\"x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            let safe = csv_cell(hostile);
            assert_eq!(safe, format!("'{hostile}"), "{hostile}");
        }
        for kept in ["203.0.113.10", "-1.5", "+4", "-0", "tok:9f86d081", "", "a=b"] {
            assert_eq!(csv_cell(kept), kept);
        }
        assert_eq!(csv_cell("-inf"), "'-inf", "not a finite number");
    }

    #[test]
    fn masks_tokens_but_tells_them_apart() {
        let a = display_token("Ab12Xy34", TokenDisplay::Masked);
        let b = display_token("test", TokenDisplay::Masked);
        assert!(a.starts_with("tok:") && a.len() == 12, "{a}");
        assert_ne!(a, b);
        assert!(!a.contains("Ab12"));
        assert_eq!(display_token("Ab12Xy34", TokenDisplay::Revealed), "Ab12Xy34");
        assert_eq!(display_token("None", TokenDisplay::Masked), "<none>");
        assert_eq!(display_token("", TokenDisplay::Revealed), "<empty>");
        assert!(token_is_missing("None") && token_is_missing("") && !token_is_missing("x"));
    }

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(escape_control("1.2.3.4"), "1.2.3.4");
        assert_eq!(escape_control("a\x1b[2Jb\x07\0"), "a\\x1b[2Jb\\x07\\x00");
        assert_eq!(escape_control("x\u{9b}y\u{7f}"), "x\\x9by\\x7f");
        assert_eq!(escape_control("a\tb\r\n"), "a\\tb\\r\\n");
        assert_eq!(escape_control("\u{202e}abc"), "\\u{202e}abc");
    }

    #[test]
    fn secret_words_hide_what_follows_them() {
        assert_eq!(mask_secret_words("[INFO] Token: Zq9SecretTok"), "[INFO] Token: ****");
        assert_eq!(
            mask_secret_words(r#"{"authorization": "Bearer abc.def", "token":"x1", "ip": "1.2.3.4"}"#),
            r#"{"authorization": "Bearer ****", "token":"****", "ip": "1.2.3.4"}"#
        );
        assert_eq!(mask_secret_words("受信トークン=Ab12 ok"), "受信トークン=**** ok");
        assert_eq!(mask_secret_words("İ TOKEN=x"), "İ TOKEN=****");
        assert_eq!(mask_secret_words("nothing here"), "nothing here");
    }
}
