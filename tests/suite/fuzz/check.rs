//! What every output must be, whatever the input: well-formed, terminal-safe, and without the
//! allowed token while tokens are masked.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// `text` is one JSON document.
pub(super) fn json(text: &str, what: &str) -> Result<serde_json::Value, TestCaseError> {
    serde_json::from_str(text).map_err(|e| TestCaseError::fail(format!("{what} is not JSON ({e}): {text:?}")))
}

/// Every line of `text` is one JSON document.
pub(super) fn json_lines(text: &str, what: &str) -> Result<(), TestCaseError> {
    for line in text.lines() {
        json(line, what)?;
    }
    prop_assert!(
        text.is_empty() || text.ends_with('\n'),
        "{what} does not end its last line"
    );
    Ok(())
}

/// `text` is CSV of records of one width, `width` when given.
pub(super) fn csv(text: &str, width: Option<usize>, what: &str) -> Result<usize, TestCaseError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut rows = 0;
    for record in reader.records() {
        let record = record.map_err(|e| TestCaseError::fail(format!("{what} is not CSV ({e}): {text:?}")))?;
        if let Some(w) = width {
            prop_assert_eq!(record.len(), w, "{} has a row of another width: {:?}", what, text);
        }
        rows += 1;
    }
    Ok(rows)
}

/// `text` holds no control character a terminal would act on (C0 and C1 controls, DEL, bidi
/// overrides), except line ends and, with `sgr`, the color sequences `authlogs` writes itself
/// (`ESC [ digits;… m`). A scan of the UTF-8 bytes: every such character has a byte shape of its own.
pub(super) fn terminal_safe(text: &str, sgr: bool, what: &str) -> Result<(), TestCaseError> {
    let b = text.as_bytes();
    let mut at = 0;
    while at < b.len() {
        let bad = match b[at] {
            b'\n' => false,
            0x1b if sgr && b.get(at + 1) == Some(&b'[') => {
                let end = b[at + 2..].iter().position(|&c| !(c.is_ascii_digit() || c == b';'));
                match end.map(|n| at + 2 + n) {
                    Some(m) if b[m] == b'm' => {
                        at = m + 1;
                        continue;
                    }
                    _ => true,
                }
            }
            0x00..=0x1f | 0x7f => true,
            // U+0080..U+009F.
            0xc2 => matches!(b.get(at + 1), Some(0x80..=0x9f)),
            // U+202A..U+202E and U+2066..U+2069.
            0xe2 => matches!(
                (b.get(at + 1), b.get(at + 2)),
                (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
            ),
            _ => false,
        };
        if bad {
            let shown = text.get(at.saturating_sub(40)..).unwrap_or(text);
            return Err(TestCaseError::fail(format!(
                "{what} holds a control character at byte {at}: {shown:?} (in {text:?})"
            )));
        }
        at += 1;
    }
    Ok(())
}

/// The widest line of `text` in terminal cells, its color sequences (`ESC [ digits;… m`) taking
/// none: measured here apart from the table's own fitting code, which it checks.
pub(super) fn widest(text: &str) -> usize {
    use unicode_width::UnicodeWidthStr as _;
    let line_width = |line: &str| {
        let mut width = 0;
        let mut rest = line;
        while let Some(at) = rest.find("\u{1b}[") {
            width += rest[..at].width();
            let after = &rest[at + 2..];
            let end = after.find(|c: char| !(c.is_ascii_digit() || c == ';'));
            rest = match end {
                Some(m) if after[m..].starts_with('m') => &after[m + 1..],
                _ => after,
            };
        }
        width + rest.width()
    };
    text.lines().map(line_width).max().unwrap_or(0)
}

/// `text` does not hold `secret`, neither as written nor behind JSON `\uXXXX` escapes.
pub(super) fn no_secret(text: &str, secret: &str, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !text.contains(secret),
        "{} shows the allowed token {}: {:?}",
        what,
        secret,
        text
    );
    if text.contains("\\u") {
        let plain = unescape_u(text);
        prop_assert!(
            !plain.contains(secret),
            "{} shows the allowed token {} behind \\u escapes: {:?}",
            what,
            secret,
            text
        );
    }
    Ok(())
}

/// `text` with every `\uXXXX` escape (and surrogate pair) replaced by its character.
pub(crate) fn unescape_u(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut units: Vec<u16> = Vec::new();
    let mut rest = text;
    loop {
        let hex = rest
            .strip_prefix("\\u")
            .and_then(|r| r.get(..4))
            .and_then(|h| u16::from_str_radix(h, 16).ok());
        if let Some(unit) = hex {
            units.push(unit);
            rest = &rest[6..];
            continue;
        }
        if !units.is_empty() {
            out.extend(char::decode_utf16(units.drain(..)).map(|c| c.unwrap_or('\u{fffd}')));
        }
        let mut chars = rest.chars();
        match chars.next() {
            Some(c) => {
                out.push(c);
                rest = chars.as_str();
            }
            None => break,
        }
    }
    out
}

#[test]
fn terminal_safe_finds_every_control_character_and_only_them() {
    for c in (0..=0x10ffff).filter_map(char::from_u32) {
        let text = format!("a{c}b");
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        let bad = (c.is_control() && c != '\n') || bidi;
        assert_eq!(terminal_safe(&text, false, "").is_err(), bad, "{c:?}");
    }
    assert!(terminal_safe("\u{1b}[1;41;97mALERT\u{1b}[0m\n", true, "").is_ok());
    assert!(terminal_safe("\u{1b}[2J", true, "").is_err());
    assert!(terminal_safe("\u{1b}]0;x\u{7}", true, "").is_err());
}

#[test]
fn unescapes_json_escapes_and_pairs() {
    assert_eq!(unescape_u("a\\u0041\\u0062c"), "aAbc");
    assert_eq!(unescape_u("\\ud83d\\ude00!"), "😀!");
    assert_eq!(unescape_u("\\ud800x\\u12"), "\u{fffd}x\\u12");
}

/// Elements the HTML report is made of (its own markup and plotters' SVG); anything else came
/// from a log.
const HTML_ELEMENTS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "footer", "h1", "h2", "h3", "p", "strong",
    "section", "article", "div", "span", "i", "code", "table", "tr", "td", "th", "ul", "li", "figure", "svg", "rect",
    "line", "polyline", "polygon", "path", "text", "circle", "g",
];

/// The HTML report: only its own elements, no `on…` attribute, no `javascript:` URL in a tag.
pub(crate) fn html(text: &str, what: &str) -> Result<(), TestCaseError> {
    // Log text never holds a raw `<` (it is escaped), so a tag is what lies between `<` and `>`.
    for tag in text.split('<').skip(1).filter_map(|t| t.split('>').next()) {
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default();
        prop_assert!(HTML_ELEMENTS.contains(&name), "{what}: an element <{name}> in <{tag}>");
        for attr in tag.split(char::is_whitespace).skip(1) {
            let attr = attr.to_ascii_lowercase();
            prop_assert!(
                !(attr.starts_with("on") && attr.contains('=')),
                "{what}: a handler in <{tag}>"
            );
            prop_assert!(!attr.contains("javascript:"), "{what}: a javascript: URL in <{tag}>");
        }
    }
    Ok(())
}
