//! What was wrong with an answer the SDK could not read: not JSON (an HTML page, compressed or
//! binary bytes), JSON cut short, or a value of the wrong type at a key, in words a user can act on.

use crate::redact::escape_control;

/// How much of a body a message quotes: enough to recognise a page, not a wall of text.
const QUOTE: usize = 60;

/// The `what` of "the endpoint's answer {what}" for a body the SDK's JSON reader refused with
/// `reason` (its innermost error message, e.g. `Error at offset 25: failed to parse JSON: …`).
pub(crate) fn describe(body: &[u8], content_encoding: Option<&str>, reason: &str) -> String {
    if !looks_like_json(body) {
        return format!("is not JSON ({})", not_json(body, content_encoding));
    }
    let (offset, message) = split_offset(reason);
    let message = message.strip_prefix("failed to parse JSON: ").unwrap_or(message);
    let at = match offset.and_then(|o| key_before(body, o)) {
        Some(key) => format!("at key \"{}\"", escape_control(&key)),
        None => "at a key the SDK does not name".to_string(),
    };
    if message.contains("unexpected end of stream") {
        return format!("is JSON cut short (it ends after {} bytes)", body.len());
    }
    // aws-smithy-json's words for a string where a number belongs.
    if let Some(found) = message
        .split_once("but found `")
        .and_then(|(_, rest)| rest.rsplit_once('`'))
        .map(|(v, _)| v)
    {
        return format!(
            "has a value of the wrong type {at} (a number was expected, found \"{}\")",
            quote(found)
        );
    }
    if let Some(expected) = message.strip_prefix("expected ") {
        return format!(
            "has a value of the wrong type {at} (expected {})",
            escape_control(expected)
        );
    }
    format!("is JSON authlogs cannot read {at} ({})", escape_control(message))
}

/// A body the AWS JSON protocol could hold: an object or array, or nothing (read as `{}`).
fn looks_like_json(body: &[u8]) -> bool {
    matches!(body.iter().find(|b| !b.is_ascii_whitespace()), None | Some(b'{' | b'['))
}

/// What a body that is not JSON looks like: what a captive portal, a proxy or a wrong port sends.
fn not_json(body: &[u8], content_encoding: Option<&str>) -> String {
    if let Some(enc) = content_encoding.filter(|e| !e.eq_ignore_ascii_case("identity")) {
        return format!(
            "it is sent as Content-Encoding: {}, which authlogs never asked for",
            quote(enc)
        );
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return binary(body);
    };
    if text.contains('\0') {
        return binary(body);
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("<html") || lower.trim_start().starts_with("<!doctype html") {
        let title = lower
            .find("<title")
            .and_then(|i| text[i..].find('>').map(|j| i + j + 1))
            .and_then(|start| {
                lower[start..]
                    .find("</title")
                    .map(|len| text[start..start + len].trim())
            })
            .filter(|t| !t.is_empty());
        return match title {
            Some(t) => format!("it looks like an HTML page: \"{}\"", quote(t)),
            None => "it looks like an HTML page".to_string(),
        };
    }
    format!("it starts with \"{}\"", quote(text.trim_start()))
}

fn binary(body: &[u8]) -> String {
    let head: Vec<String> = body.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{} bytes of binary data, starting {}", body.len(), head.join(" "))
}

/// At most [`QUOTE`] characters of `s`, escaped.
fn quote(s: &str) -> String {
    let cut: String = s.chars().take(QUOTE).collect();
    let more = if cut.len() < s.len() { "…" } else { "" };
    format!("{}{more}", escape_control(&cut))
}

/// `Error at offset N: message` → `(Some(N), message)`.
fn split_offset(reason: &str) -> (Option<usize>, &str) {
    reason
        .strip_prefix("Error at offset ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(n, m)| Some((Some(n.parse().ok()?), m)))
        .unwrap_or((None, reason))
}

/// The object key whose value starts at byte `offset` of `body` (`"key": ` right before it).
fn key_before(body: &[u8], offset: usize) -> Option<String> {
    let before = std::str::from_utf8(body.get(..offset)?).ok()?.trim_end();
    let before = before.strip_suffix(':')?.trim_end().strip_suffix('"')?;
    let start = before.rfind('"')?;
    Some(before[start + 1..].to_string())
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn each_unreadable_body_says_what_it_is() {
        let html = b"\n<!DOCTYPE html><html><head><title> Hotel WiFi \x1b[31mLogin </title></head></html>";
        assert_eq!(
            describe(
                html,
                None,
                "Error at offset 0: unexpected token '<'. Expected one of '{'"
            ),
            "is not JSON (it looks like an HTML page: \"Hotel WiFi \\x1b[31mLogin\")"
        );
        assert_eq!(
            describe(b"\x1f\x8b\x00junk", Some("gzip"), "Error at offset 0: unexpected token"),
            "is not JSON (it is sent as Content-Encoding: gzip, which authlogs never asked for)"
        );
        assert_eq!(
            describe(b"\x1f\x8b\x00junk", None, "Error at offset 0: unexpected token"),
            "is not JSON (7 bytes of binary data, starting 1f 8b 00 6a 75 6e 6b)"
        );
        assert_eq!(
            describe(b"Service Unavailable", None, "x"),
            "is not JSON (it starts with \"Service Unavailable\")"
        );
        assert_eq!(
            describe(
                br#"{"events": [ {"timestamp": 1,"#,
                None,
                "Error at offset 29: unexpected end of stream"
            ),
            "is JSON cut short (it ends after 29 bytes)"
        );
        let body = br#"{"events": [{"timestamp":"soon"}]}"#;
        assert_eq!(
            describe(
                body,
                None,
                "Error at offset 25: failed to parse JSON: only `Infinity`, `-Infinity`, `NaN` can represent a float as a string but found `soon`"
            ),
            "has a value of the wrong type at key \"timestamp\" (a number was expected, found \"soon\")"
        );
        assert_eq!(
            describe(
                br#"{"events": "x"}"#,
                None,
                "failed to parse JSON: expected start array or null"
            ),
            "has a value of the wrong type at a key the SDK does not name (expected start array or null)"
        );
    }
}
