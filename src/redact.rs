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
            // A value kept cut carries the whole value's digest: the same mask as the whole value.
            if let Some((_, digest)) = crate::cut::parts(token) {
                return format!("tok:{}", digest.get(..8).unwrap_or(digest));
            }
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

/// `text` with every occurrence of each of `values` (tokens) masked as [`display_token`] shows
/// it: as written, and as JSON escapes spell it (`\"`, `\u0041`, surrogate pairs …) wherever
/// they stand, in a JSON string literal or not. Overlapping values: the leftmost, then the
/// longest, wins. Empty and `None` values are no token and are left alone. What is not masked is
/// kept as written.
pub fn mask_values(text: &str, values: &[&str]) -> String {
    // A value kept cut (`crate::cut`) is found by its head, and masked with the whole value after it.
    let mut forms: Vec<(crate::cut::Form, String)> = values
        .iter()
        .filter(|v| !token_is_missing(v))
        .map(|&v| (crate::cut::Form::new(v), display_token(v, TokenDisplay::Masked)))
        .collect();
    if forms.is_empty() {
        return text.to_string();
    }
    forms.sort_by_key(|f| std::cmp::Reverse(f.0.head().len()));
    let units = json_unescaped(text);
    let decoded: String = units.iter().map(|u| u.0).collect();
    // Where each unit's character starts in `decoded`.
    let mut starts = Vec::with_capacity(units.len() + 1);
    let mut at = 0;
    for u in &units {
        starts.push(at);
        at += u.0.len_utf8();
    }
    starts.push(at);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < units.len() {
        let (raw_at, decoded_at) = (units[i].1.start, starts[i]);
        // A form as written, or as the escapes decode: how many units it covers.
        let covered = forms.iter().find_map(|(form, mask)| {
            let end = if let Some(len) = form.found(&text[raw_at..]) {
                units[i..].iter().position(|u| u.1.end >= raw_at + len)
            } else if let Some(len) = form.found(&decoded[decoded_at..]) {
                starts[i..].iter().position(|&s| s >= decoded_at + len).map(|n| n - 1)
            } else {
                None
            };
            end.map(|n| (n + 1, mask))
        });
        match covered {
            Some((n, mask)) => {
                out.push_str(mask);
                i += n;
            }
            None => {
                out.push_str(&text[units[i].1.clone()]);
                i += 1;
            }
        }
    }
    out
}

/// `text` as characters, each with the bytes of `text` it stands for: a JSON escape (`\n`,
/// `\"`, `\u00e9`, a `\ud83d\ude00` pair) is one character, anything else itself.
fn json_unescaped(text: &str) -> Vec<(char, std::ops::Range<usize>)> {
    let b = text.as_bytes();
    let hex = |at: usize| -> Option<u16> {
        let digits = text.get(at..at + 4)?;
        if !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u16::from_str_radix(digits, 16).ok()
    };
    let mut units = Vec::with_capacity(text.len());
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        let escaped = match (c, b.get(at + 1)) {
            ('\\', Some(b'u')) => match hex(at + 2) {
                Some(high @ 0xd800..=0xdbff) => {
                    let low = (b.get(at + 6..at + 8) == Some(b"\\u")).then(|| hex(at + 8)).flatten();
                    match low {
                        Some(low @ 0xdc00..=0xdfff) => char::decode_utf16([high, low])
                            .next()
                            .and_then(Result::ok)
                            .map(|c| (c, 12)),
                        _ => None,
                    }
                }
                Some(unit) => char::from_u32(u32::from(unit)).map(|c| (c, 6)),
                None => None,
            },
            ('\\', Some(&e)) => match e {
                b'"' => Some(('"', 2)),
                b'\\' => Some(('\\', 2)),
                b'/' => Some(('/', 2)),
                b'n' => Some(('\n', 2)),
                b'r' => Some(('\r', 2)),
                b't' => Some(('\t', 2)),
                b'b' => Some(('\u{8}', 2)),
                b'f' => Some(('\u{c}', 2)),
                _ => None,
            },
            _ => None,
        };
        match escaped {
            Some((c, len)) => {
                units.push((c, at..at + len));
                // The rest of the escape is ASCII: skip its characters.
                for _ in 1..len {
                    chars.next();
                }
            }
            None => units.push((c, at..at + c.len_utf8())),
        }
    }
    units
}

/// The byte ranges of the `"…"` literals of `text`, quotes included, paired as a JSON reader
/// pairs them (a `\` escapes the next byte); an unclosed one is left out.
pub fn json_literals(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(open) = memchr::memchr(b'"', &b[from..]).map(|i| from + i) {
        let mut at = open + 1;
        loop {
            match b.get(at) {
                None => return ranges,
                Some(b'\\') => at += 2,
                Some(b'"') => break,
                Some(_) => at += 1,
            }
        }
        ranges.push(open..at + 1);
        from = at + 1;
    }
    ranges
}

/// `text` with its JSON escapes decoded (see [`mask_values`]), for finding what they spell.
pub fn json_decoded(text: &str) -> String {
    json_unescaped(text).into_iter().map(|u| u.0).collect()
}

/// Escapes C0 controls, DEL and C1 controls (ESC, BEL, CR, NUL, CSI…) as `\x1b`-style text, and the
/// characters a terminal or browser does not show but that change what is shown (zero-width,
/// bidi marks, embeddings, overrides and isolates, U+2028/U+2029, every default-ignorable code
/// point) as `\u{200b}`-style text: so a crafted log line cannot repaint a terminal, and
/// `203.0.113.10<ZWSP>` cannot pass for `203.0.113.10`. Tabs and newlines are escaped too: output
/// fields are single-line. Backslashes are kept, so escaping twice changes nothing.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !needs_escape(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_escaped(c) {
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

/// `text` with each line [`escape_control`]led but its newlines kept: for messages made of
/// several lines (a TOML error and its hint) that hold text from a file or an argument, and for
/// every error message `main` prints.
pub fn escape_lines(text: &str) -> Cow<'_, str> {
    if !text.split('\n').any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(escape_control).collect();
    Cow::Owned(lines.join("\n"))
}

/// Whether any character of `s` is one [`escape_control`] rewrites. Log text is mostly ASCII: a
/// byte scan decides it, and only text with a non-ASCII byte is looked at character by character.
#[inline]
fn needs_escape(s: &str) -> bool {
    if s.is_ascii() {
        return s.bytes().any(|b| b < 0x20 || b == 0x7f);
    }
    s.chars().any(is_escaped)
}

/// Whether `c` is escaped on output: a control character (C0, DEL, C1), a line or paragraph
/// separator, or a default-ignorable code point (Unicode's `Default_Ignorable_Code_Point`: the
/// zero-width characters, LRM/RLM/ALM, the bidi embeddings, overrides and isolates, the word
/// joiner and invisible operators, the BOM, variation selectors, tags, Hangul fillers…), which
/// render as nothing yet make two strings that look the same differ, or reorder what is shown.
pub(crate) fn is_escaped(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00ad}'
                | '\u{034f}'
                | '\u{061c}'
                | '\u{115f}'..='\u{1160}'
                | '\u{17b4}'..='\u{17b5}'
                | '\u{180b}'..='\u{180f}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{fff0}'..='\u{fff8}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0000}'..='\u{e0fff}'
        )
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
        // A backslash belongs to quotes escaped by a JSON container (`\"authorization\": \"…\"`).
        while start < b.len() && matches!(b[start], b':' | b'=' | b' ' | b'"' | b'\'' | b'\t' | b'\\') {
            start += 1;
        }
        let mut end = start;
        while end < b.len()
            && !matches!(b[end], b' ' | b'"' | b'\'' | b',' | b'\t' | b'}' | b';')
            && !(b[end] == b'\\' && matches!(b.get(end + 1), Some(b'"' | b'\'' | b'\\') | None))
        {
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
    fn masks_values_as_written_escaped_and_behind_json_escapes() {
        let tok = display_token("Ab12Xy34", TokenDisplay::Masked);
        let q = display_token("guess\"1", TokenDisplay::Masked);
        assert_eq!(mask_values("Token: Ab12Xy34!", &["Ab12Xy34"]), format!("Token: {tok}!"));
        assert_eq!(
            mask_values(
                r#"{"m":"受信トークン=guess\"1, 許可トークン=\u0041b12Xy34"}"#,
                &["Ab12Xy34", "guess\"1"]
            ),
            format!(r#"{{"m":"受信トークン={q}, 許可トークン={tok}"}}"#)
        );
        assert_eq!(mask_values("a None b", &["None", ""]), "a None b");
        // The leftmost, then the longest.
        let long = display_token("Ab12Xy34z", TokenDisplay::Masked);
        assert_eq!(
            mask_values("xAb12Xy34z", &["Ab12Xy34", "Ab12Xy34z"]),
            format!("x{long}")
        );
        // Escapes outside literals and quotes that do not pair, as a hostile line may have them.
        assert_eq!(
            mask_values(
                r#"id " Event: {"a": "Ab\u0031\u0032Xy34", "b": "\ud83d\ude00\x"}"#,
                &["Ab12Xy34"]
            ),
            format!(r#"id " Event: {{"a": "{tok}", "b": "\ud83d\ude00\x"}}"#)
        );
        assert_eq!(
            mask_values(r"x\\u0041b12Xy34", &["Ab12Xy34"]),
            r"x\\u0041b12Xy34",
            "an escaped backslash"
        );
        assert_eq!(
            mask_values("a\\b", &["a\\b"]),
            display_token("a\\b", TokenDisplay::Masked)
        );
        assert_eq!(json_literals(r#"a "b\"c" "d"#), vec![2..8]);
        assert_eq!(json_decoded(r#"\u0041\"\ud83d\ude00\ud800"#), "A\"😀\\ud800");
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
    fn escapes_invisible_and_bidi_characters() {
        // Every code point the docs list, one by one: each becomes visible text.
        let listed = [
            0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x200e, 0x200f, 0x061c, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
            0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029, 0x00ad, 0xe0041,
        ];
        for cp in listed {
            let c = char::from_u32(cp).expect("a char");
            let ip = format!("203.0.113.10{c}");
            let shown = escape_control(&ip);
            let want = if cp < 0x100 {
                format!("203.0.113.10\\x{cp:02x}")
            } else {
                format!("203.0.113.10\\u{{{cp:x}}}")
            };
            assert_eq!(shown, want, "U+{cp:04X}");
            assert_ne!(shown, "203.0.113.10", "U+{cp:04X} passes for the bare IP");
            assert!(shown.is_ascii(), "U+{cp:04X}: {shown}");
        }
        // Visible text is kept as it is: borrowed, not copied.
        for kept in [
            "203.0.113.10",
            "2001:db8::1",
            "受信トークン=abc",
            "é ü ß €",
            "😀",
            "a\\u{200b}b",
            "",
        ] {
            assert!(matches!(escape_control(kept), Cow::Borrowed(_)), "{kept}");
        }
        // Already escaped text does not change again.
        let once = escape_control("a\u{1b}\u{200b}\u{202e}b").into_owned();
        assert_eq!(escape_control(&once), once);
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_the_character_check() {
        for b in 0u8..0x80 {
            let s = format!("x{}y", b as char);
            assert_eq!(needs_escape(&s), is_escaped(b as char), "byte {b:#04x}");
        }
        for c in [
            '\u{80}', '\u{9f}', '\u{a0}', '\u{200a}', '\u{2010}', '\u{2027}', '\u{202f}', '\u{2070}',
        ] {
            let visible = !matches!(c, '\u{80}' | '\u{9f}');
            assert_eq!(needs_escape(&format!("x{c}")), !visible, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn escapes_paths_and_lines() {
        let path = "logs/a\u{1b}]8;;http://x\u{7}b\u{202e}c\rd\u{200b}.log";
        assert_eq!(
            escape_control(path),
            "logs/a\\x1b]8;;http://x\\x07b\\u{202e}c\\rd\\u{200b}.log"
        );
        assert_eq!(escape_lines("a\u{1b}b\nc\u{200b}\n"), "a\\x1bb\nc\\u{200b}\n");
        assert!(matches!(escape_lines("two\nlines\n"), Cow::Borrowed(_)));
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
        // Quotes escaped once or twice by the JSON a line came in; an escape inside the value is
        // part of the value.
        assert_eq!(
            mask_secret_words(r#"{"m":"{\"authorization\": \"Zq0\u0071A\"}"}"#),
            r#"{"m":"{\"authorization\": \"****\"}"}"#
        );
        assert_eq!(
            mask_secret_words(r#"\\\"token\\\":\\\"Zq0A\\\""#),
            r#"\\\"token\\\":\\\"****\\\""#
        );
    }

    /// A token kept cut (`crate::cut`) is masked whole wherever the text holds it, as written or
    /// behind JSON escapes: no byte of it is left after the mask.
    #[test]
    fn masks_a_cut_value_whole() {
        let token = "Zq".repeat(5_000);
        let form = crate::cut::cut(&token, crate::cut::VALUE_CAP).into_owned();
        let mask = display_token(&token, TokenDisplay::Masked);
        assert_eq!(display_token(&form, TokenDisplay::Masked), mask);
        assert_eq!(
            mask_values(&format!("Token: {token}!"), &[&form]),
            format!("Token: {mask}!")
        );
        let escaped = format!(r#"{{"a": "\u005a{}"}}"#, &token[1..]);
        assert_eq!(mask_values(&escaped, &[&form]), format!(r#"{{"a": "{mask}"}}"#));
    }
}
