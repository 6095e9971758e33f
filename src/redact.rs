//! Output safety: masking of tokens and escaping of control characters in log-derived text.

use std::borrow::Cow;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

mod known;
mod url;

pub use url::{display_url, scrub_userinfo};

pub(crate) use known::{KnownTokens, RECEIVED_BYTES};

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
    // Only the values the text holds, as written or decoded, are masked: the known values can be
    // thousands, a line holds one or two, and a text without a backslash has nothing to decode.
    // A value kept cut (`crate::cut`) is found by its head, and masked with the whole value after it.
    let mut values: Vec<(crate::cut::Form, &str)> = values
        .iter()
        .filter(|v| !token_is_missing(v))
        .map(|&v| (crate::cut::Form::new(v), v))
        .collect();
    if !text.contains('\\') {
        values.retain(|v| text.contains(v.0.head()));
    }
    if values.is_empty() {
        return text.to_string();
    }
    let units = json_unescaped(text);
    let decoded: String = units.iter().map(|u| u.0).collect();
    values.retain(|v| text.contains(v.0.head()) || decoded.contains(v.0.head()));
    if values.is_empty() {
        return text.to_string();
    }
    let mut forms: Vec<(crate::cut::Form, String)> = values
        .into_iter()
        .map(|(form, v)| (form, display_token(v, TokenDisplay::Masked)))
        .collect();
    forms.sort_by_key(|f| std::cmp::Reverse(f.0.head().len()));
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
                // A byte that was not UTF-8, as the decoder kept it (`source::decode`): the byte.
                c if (c as u32) >= INVALID_BYTES => {
                    let _ = write!(out, "\\x{:02x}", c as u32 - INVALID_BYTES);
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
                // Bytes that were not UTF-8 (`source::decode`), shown as `\xNN`.
                | '\u{10ff00}'..='\u{10ffff}'
        )
}

/// The code point U+10FF00 + byte stands for a byte that was not UTF-8 (`source::decode`
/// decodes invalid input so, to keep different bytes different).
pub(crate) const INVALID_BYTES: u32 = 0x10_FF00;

/// What a word found by [`mask_secret_words`] is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    /// A key whose value is a secret when `:` or `=` follows it (`Token: x`, `"authorization": "x"`).
    Key,
    /// `Bearer`: a secret follows it after a space, as after a key.
    Scheme,
    /// `key`: only a query parameter's name (`?key=x`, `&key=x`), a plain word otherwise.
    Query,
}

/// Words after which a secret follows in a line nobody recognized, lowercase (matched ASCII
/// case-insensitively); the longest found at a place wins (`keyerror` over `key`).
const SECRET_WORDS: [(&str, Word); 12] = [
    ("authorization", Word::Key),
    ("identitysource", Word::Key),
    ("token", Word::Key),
    ("トークン", Word::Key),
    ("secret", Word::Key),
    ("password", Word::Key),
    ("api-key", Word::Key),
    ("api_key", Word::Key),
    ("apikey", Word::Key),
    // `KeyError: '<t>'`: Python names the missing key, which is the token a lookup was given.
    ("keyerror", Word::Key),
    ("bearer", Word::Scheme),
    ("key", Word::Query),
];

/// Values that are not a secret where one is expected: an auth scheme before the secret
/// (`Bearer`, `['Bearer', '<t>']`), the name of a key (`KeyError: 'authorization'`), or Python's
/// `None` for a header that was not sent.
fn is_not_secret(value: &str) -> bool {
    token_is_missing(value)
        || is_scheme(value)
        || SECRET_WORDS.iter().any(|(w, _)| value.eq_ignore_ascii_case(w))
        || is_mask(value)
}

/// Whether `value` is an HTTP auth scheme, which the secret follows (`Bearer <t>`).
fn is_scheme(value: &str) -> bool {
    ["bearer", "basic"].iter().any(|w| value.eq_ignore_ascii_case(w))
}

/// Whether `value` is what [`display_token`] shows for a masked token (`tok:1a2b3c4d`): masked
/// already, so kept.
fn is_mask(value: &str) -> bool {
    value.len() == 12 && value.starts_with("tok:") && value[4..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// `line` with the value after every secret word masked (`****`): for lines shown as samples,
/// which matched no template, and for `tail --raw`'s lines, so no template need say where a
/// token is. A secret word is a key followed by `:` or `=` (after its closing quote, escaped or
/// not: `\"authorization\": `), `Bearer`/`Basic` followed by a space, or `key` as a query
/// parameter (`?key=`, `&key=`). Its value is masked in every shape a log writes it: bare up to a
/// space, `,`, `;`, `&` or a bracket; quoted (`'…'`, `"…"`, `\"…\"`) up to its closing quote;
/// after a scheme (`Bearer <t>`, `'Bearer <t>'`); and each element of a list (`['<t>']`,
/// `['Bearer', '<t>']`). Plain words are left alone: `token mismatch` has no `:` after `token`.
/// One pass over the line, whatever it holds.
pub fn mask_secret_words(line: &str) -> Cow<'_, str> {
    let b = line.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        let Some((len, kind)) = word_at(b, i) else {
            i += 1;
            continue;
        };
        let after = i + len;
        // A query parameter (`?key=`, `&access_token=`): its value ends at the next `&` or `#`.
        let name = b[..i]
            .iter()
            .rev()
            .take(64) // a parameter's name is short; a long run of letters is no query
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
            .count();
        // A query string stands after `?`, or alone as a value (`'rawQueryString': 'key=…&x=1'`):
        // a parameter begins it, or follows a `&`/`;`.
        let begins = i == name || matches!(b[i - name - 1], b'?' | b'&' | b';' | b'\'' | b'"' | b' ' | b'\t');
        // `monkey=` is no `key=`: the word must start the name or follow a separator (`api_key=`).
        let bounded = name == 0 || matches!(b[i - 1], b'_' | b'-' | b'.');
        let query = begins && bounded && b.get(after) == Some(&b'=');
        let start = match kind {
            Word::Query if query => Some(after + 1),
            Word::Query => None,
            Word::Key => key_separator(b, after),
            Word::Scheme => key_separator(b, after).or_else(|| {
                let spaces = b[after..].iter().take_while(|&&c| c == b' ').count();
                (spaces > 0).then_some(after + spaces)
            }),
        };
        let Some(start) = start else {
            i = after;
            continue;
        };
        let mut masked = |from: usize, to: usize| {
            if let Some(before) = line.get(copied..from) {
                out.push_str(before);
                out.push_str("****");
                copied = to;
            }
        };
        i = mask_value(b, line, start, query, &mut masked).max(after);
    }
    if copied == 0 {
        return Cow::Borrowed(line);
    }
    out.push_str(line.get(copied..).unwrap_or(""));
    Cow::Owned(out)
}

/// The secret word starting at `at` (ASCII case-insensitively), the longest: its length and kind.
fn word_at(b: &[u8], at: usize) -> Option<(usize, Word)> {
    let first = b[at].to_ascii_lowercase();
    SECRET_WORDS
        .iter()
        .filter(|(w, _)| w.as_bytes()[0] == first)
        .filter(|(w, _)| {
            b.get(at..at + w.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(w.as_bytes()))
        })
        .map(|(w, k)| (w.len(), *k))
        .max_by_key(|(len, _)| *len)
}

/// Where a key's value starts: after the key's closing quote (escaped or not), spaces, and a
/// `:` or `=` and the spaces after it; none when no separator follows (a plain word).
fn key_separator(b: &[u8], after: usize) -> Option<usize> {
    let mut at = after;
    while at < b.len() && matches!(b[at], b'"' | b'\'' | b'\\') {
        at += 1;
    }
    while at < b.len() && b[at] == b' ' {
        at += 1;
    }
    if !matches!(b.get(at), Some(b':' | b'=')) {
        return None;
    }
    at += 1;
    while at < b.len() && matches!(b[at], b' ' | b'\t') {
        at += 1;
    }
    Some(at)
}

/// Masks the value at `start` (through `masked(from, to)`): one value, a scheme and the value
/// after it, or every element of a list. Returns where the scan goes on.
fn mask_value(b: &[u8], line: &str, start: usize, query: bool, masked: &mut impl FnMut(usize, usize)) -> usize {
    let mut at = start;
    let list = b.get(at) == Some(&b'[');
    if list {
        at += 1;
    }
    loop {
        while list && at < b.len() && matches!(b[at], b' ' | b',') {
            at += 1;
        }
        if at >= b.len() || (list && b[at] == b']') {
            return at;
        }
        let (from, to, next) = value_bounds(b, at, query);
        let value = line.get(from..to).unwrap_or("");
        // A scheme inside the quotes (`"Bearer <t>"`): the secret is what follows it.
        let (from, value) = match value.split_once(' ') {
            Some((scheme, rest)) if is_scheme(scheme) => {
                let skip = value.len() - rest.trim_start().len();
                (from + skip, rest.trim_start())
            }
            _ => (from, value),
        };
        if value.is_empty() {
            return next;
        }
        if !is_not_secret(value) {
            masked(from, to);
        } else if !list && is_scheme(value) && b.get(next) == Some(&b' ') && to == next {
            // A bare scheme (`Authorization: Bearer <t>`): the value follows after spaces.
            at = next + b[next..].iter().take_while(|&&c| c == b' ').count();
            continue;
        }
        if !list {
            return next;
        }
        at = next;
    }
}

/// The value at `at`: where its text starts and ends, and where what follows it starts. A quoted
/// value (`'`, `"`, or a quote escaped once or more, `\"`) runs to the same closing quote, or to
/// the end of its line; a bare one to a space or line end, `,`, `;`, a bracket, a quote, or `&` in
/// a query.
fn value_bounds(b: &[u8], at: usize, query: bool) -> (usize, usize, usize) {
    let slashes = b[at..].iter().take_while(|&&c| c == b'\\').count();
    let quoted = matches!(b.get(at + slashes), Some(b'"' | b'\''));
    if quoted {
        let open = &b[at..=at + slashes];
        let from = at + open.len();
        let mut end = from;
        while end < b.len() {
            if b[end..].starts_with(open) {
                return (from, end, end + open.len());
            }
            // Unclosed on its line: the value is the rest of the line.
            if matches!(b[end], b'\n' | b'\r') {
                return (from, end, end);
            }
            // Inside a plain quote, a backslash escapes the next character (`\"`, `\\`).
            end += if slashes == 0 && b[end] == b'\\' { 2 } else { 1 };
        }
        return (from, b.len(), b.len());
    }
    // Where a bare value ends: a space, a quote, a separator or bracket, an escape of the JSON it
    // came in (`\"`, `\n`), or in a query `&` and `#`.
    let ends = |at: usize| -> bool {
        matches!(
            b[at],
            b' ' | b'"' | b'\'' | b',' | b'\t' | b'\n' | b'\r' | b'}' | b']' | b')' | b';'
        ) || (query && matches!(b[at], b'&' | b'#'))
            || (b[at] == b'\\' && matches!(b.get(at + 1), Some(b'"' | b'\'' | b'\\' | b'n' | b'r' | b't') | None))
    };
    let mut end = at;
    while end < b.len() && !ends(end) {
        end += 1;
    }
    (at, end, end)
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

    /// Issue 26: the shapes a token is logged in besides `Token: <t>`, each masked.
    #[test]
    fn secret_words_hide_tokens_in_every_shape_they_are_logged_in() {
        for (line, want) in [
            ("{'authorization': 'Zq9t'}", "{'authorization': '****'}"),
            ("{'authorization': ['Zq9t']}", "{'authorization': ['****']}"),
            (
                "{'Authorization': ['Bearer', 'Zq9t']}",
                "{'Authorization': ['Bearer', '****']}",
            ),
            ("{'Authorization': 'Bearer Zq9t'}", "{'Authorization': 'Bearer ****'}"),
            (
                r#"{"authorization":"Bearer Zq9t"}"#,
                r#"{"authorization":"Bearer ****"}"#,
            ),
            (
                r#"{"headers":{"Authorization":"Basic Zq9t=="}}"#,
                r#"{"headers":{"Authorization":"Basic ****"}}"#,
            ),
            ("Authorization: Bearer Zq9t", "Authorization: Bearer ****"),
            ("authorization=Zq9t; ip=1.2.3.4", "authorization=****; ip=1.2.3.4"),
            (
                "{'identitySource': ['Zq9t', 'Zq9u']}",
                "{'identitySource': ['****', '****']}",
            ),
            (
                r#""identitySource":["Zq9t"],"x":1"#,
                r#""identitySource":["****"],"x":1"#,
            ),
            (r#""identitySource": "Zq9t,Zq9u""#, r#""identitySource": "****""#),
            ("'x-api-key': 'Zq9t'", "'x-api-key': '****'"),
            ("X-Api-Key: Zq9t", "X-Api-Key: ****"),
            ("GET /v1/x?key=Zq9t&page=2", "GET /v1/x?key=****&page=2"),
            ("GET /v1/x?a=1&token=Zq9t#f", "GET /v1/x?a=1&token=****#f"),
            ("/cb?access_token=Zq9t&x=1", "/cb?access_token=****&x=1"),
            ("'rawQueryString': 'key=Zq9t&x=1'", "'rawQueryString': 'key=****&x=1'"),
            (
                r#""rawQueryString":"x=1&key=Zq9t""#,
                r#""rawQueryString":"x=1&key=****""#,
            ),
            ("KeyError: 'Zq9t'", "KeyError: '****'"),
            (r#"KeyError: "Zq9\"t" at x"#, r#"KeyError: "****" at x"#),
            ("Bearer Zq9t", "Bearer ****"),
            ("{'authorization': 'a\\'b Zq9t'}", "{'authorization': '****'}"),
            ("Token: 'Zq9t", "Token: '****"),
            ("Token: Zq9t\n\nnext line", "Token: ****\n\nnext line"),
            ("Token: 'Zq9t\r\nnext 'line'", "Token: '****\r\nnext 'line'"),
            (r#""m":"Token: Zq9t\n""#, r#""m":"Token: ****\n""#),
        ] {
            assert_eq!(mask_secret_words(line), want, "{line}");
            assert!(!mask_secret_words(line).contains("Zq9"), "{line}");
        }
    }

    /// Words that only name a secret, and secrets already masked, are kept as they are.
    #[test]
    fn secret_words_leave_plain_words_alone() {
        for kept in [
            "token mismatch for 1.2.3.4",
            "トークンが不一致",
            "invalid token, denied",
            "missing bearer token",
            "the key of the map: 3",
            "keys=3 monkey=2",
            "KeyError: 'authorization'",
            "Token: tok:f6c4527f",
            "[INFO] Token: None",
            "受信トークン=None, 許可トークン=tok:f6c4527f",
            "token_leak_suspected: 3",
            "{'authorization': 'Bearer'}",
            "",
            "Token:",
        ] {
            assert!(
                matches!(mask_secret_words(kept), Cow::Borrowed(_)),
                "{kept}: {}",
                mask_secret_words(kept)
            );
        }
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
