//! The promises checked on every output: no token, no raw control or invisible character, no
//! formula in a CSV cell, nothing unescaped in HTML, every invocation counted. Each check returns
//! what it found, named, for the failure list.

use super::generator::{Case, TOKEN_CORE_LEN, TOKEN_MARK};

/// One broken promise: where, which, and a short excerpt (tokens shown as `<TOKEN>`, controls escaped).
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    /// The case it names (`field/material`), or `-` when the output as a whole is at fault.
    pub case: String,
    /// `container: output`.
    pub output: String,
    /// The invariant broken.
    pub invariant: &'static str,
    /// What was seen.
    pub excerpt: String,
}

/// The characters docs/security.md promises never to print raw, listed here from the
/// promise (not from the escaper): C0 and C1 controls, DEL, zero-width characters, LRM/RLM/ALM,
/// embeddings, overrides, isolates, line and paragraph separators, word joiner, BOM.
pub(crate) fn is_hostile(c: char) -> bool {
    let cp = c as u32;
    cp < 0x20
        || (0x7f..=0x9f).contains(&cp)
        || matches!(cp, 0x061c | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x2069 | 0xfeff)
}

/// Up to 40 characters either side of byte `at`, tokens masked, controls escaped: safe to print.
fn excerpt(text: &str, at: usize) -> String {
    let mut start = at.saturating_sub(40);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 40).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let shown = mask_tokens(&text[start..end]);
    shown.escape_debug().to_string()
}

/// `text` with every corpus token replaced by `<TOKEN>`.
fn mask_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(TOKEN_MARK) {
        out.push_str(&rest[..at]);
        let len = core_at(&rest[at..]).map_or(TOKEN_MARK.len(), |_| TOKEN_CORE_LEN);
        out.push_str("<TOKEN>");
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    out
}

/// The case number of the whole token core `text` starts with, if it starts with one.
fn core_at(text: &str) -> Option<usize> {
    let b = text.as_bytes().get(..TOKEN_CORE_LEN)?;
    let digits = &b[TOKEN_MARK.len()..TOKEN_MARK.len() + 4];
    let kind = b[TOKEN_MARK.len() + 4];
    let letters = &b[TOKEN_MARK.len() + 5..];
    (digits.iter().all(u8::is_ascii_digit)
        && matches!(kind, b'A' | b'R')
        && letters.iter().all(u8::is_ascii_alphanumeric))
    .then(|| std::str::from_utf8(digits).ok()?.parse().ok())
    .flatten()
}

/// Every corpus token `text` shows (as written or behind JSON `\uXXXX` escapes): the case it
/// belongs to and an excerpt. A token is found by its core (the mark, its case number and its
/// letters), whatever material follows it in the log.
pub(crate) fn find_leaks(text: &str, cases: &[Case]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut scan = |text: &str| {
        for (at, _) in text.match_indices(TOKEN_MARK) {
            if let Some(n) = core_at(&text[at..]) {
                let case = cases
                    .iter()
                    .find(|c| c.number == n)
                    .map_or_else(|| format!("case {n}"), |c| c.name.clone());
                found.push((case, excerpt(text, at)));
            }
        }
    };
    scan(text);
    if text.contains("\\u") {
        scan(&crate::fuzz::unescape_u(text));
    }
    found
}

/// The first raw hostile character of `text` other than a newline, with an excerpt.
pub(crate) fn raw_hostile(text: &str) -> Option<String> {
    let (at, c) = text.char_indices().find(|&(_, c)| c != '\n' && is_hostile(c))?;
    Some(format!("U+{:04X} in {}", c as u32, excerpt(text, at)))
}

/// The first CSV cell that a spreadsheet would run: it starts with `=`, `+`, `-`, `@`, a tab or
/// a CR and is not a number. `Err` when the text is not CSV.
pub(crate) fn csv_formula(text: &str) -> Result<Option<String>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        for cell in record.iter() {
            let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            if risky && !cell.parse::<f64>().is_ok_and(f64::is_finite) {
                return Ok(Some(
                    mask_tokens(cell)
                        .chars()
                        .take(80)
                        .collect::<String>()
                        .escape_debug()
                        .to_string(),
                ));
            }
        }
    }
    Ok(None)
}

/// What in the HTML report came from a log unescaped: a `<script`, an element the report does not
/// write, a raw control character (the fuzz check of the report's markup, and the raw scan).
pub(crate) fn html_unescaped(text: &str) -> Option<String> {
    if let Some(at) = text.to_ascii_lowercase().find("<script") {
        return Some(format!("<script at {}", excerpt(text, at)));
    }
    if let Err(e) = crate::fuzz::html(text, "the HTML report") {
        return Some(mask_tokens(&e.to_string()).chars().take(200).collect());
    }
    raw_hostile(text)
}

#[test]
fn finds_tokens_by_their_core_and_masks_them_in_excerpts() {
    let cases = super::generator::cases();
    let token = String::from_utf8_lossy(&cases[3].token[..TOKEN_CORE_LEN]).into_owned();
    let leaks = find_leaks(&format!("x {token}\u{1b}[2J y"), &cases);
    assert_eq!(leaks.len(), 1);
    assert_eq!(leaks[0].0, cases[3].name);
    assert!(
        !leaks[0].1.contains(&token) && leaks[0].1.contains("<TOKEN>"),
        "{}",
        leaks[0].1
    );
    // Behind JSON escapes too, and not a mere prefix.
    let escaped: String = token.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
    assert_eq!(find_leaks(&escaped, &cases).len(), 1);
    assert!(find_leaks(&token[..TOKEN_CORE_LEN - 1], &cases).is_empty());
}

#[test]
fn hostile_characters_and_formulas_are_found() {
    assert!(raw_hostile("a\nb\tc").is_some());
    assert!(raw_hostile("203.0.113.10\u{200b}").is_some());
    assert!(raw_hostile("ok\n").is_none());
    assert_eq!(csv_formula("a,-1.5\n'=1,b\n"), Ok(None));
    assert!(csv_formula("a,=HYPERLINK(1)\n").is_ok_and(|f| f.is_some()));
    assert!(html_unescaped("<p><script>x</script></p>").is_some());
}
