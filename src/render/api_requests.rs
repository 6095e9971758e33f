//! `tail`'s line per API request when an access log is followed too: what the caller got
//! (status), what answered (a fresh or cached decision, API Gateway's 401, a failure), and the
//! invocation behind a fresh one. Everything from a log arrives masked and is escaped here.

use std::fmt::Write as _;

use serde::Serialize;

use super::live::{pad, shown_time, LiveStyle, RESET};
use super::terminal_safe_json;
use crate::i18n::fill;
use crate::redact::escape_control;
use crate::report::RequestRow;

/// One API request as `tail` prints it (the JSON line's fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ApiRequestLine {
    /// Always `request`, so JSON consumers can tell it from an alert.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// RFC 3339 UTC of its arrival.
    pub time: Option<String>,
    /// `$context.requestId`.
    pub request_id: Option<String>,
    /// The caller's source IP.
    pub ip: Option<String>,
    /// `$context.routeKey`.
    pub route_key: Option<String>,
    /// The HTTP status the caller got.
    pub status: Option<u16>,
    /// `fresh_allow`, `fresh_deny`, `fresh_unknown`, `cached_allow`, `cached_deny`,
    /// `identity_missing`, `authorizer_failed` or `other`.
    pub class: &'static str,
    /// A cached decision made for another IP than the caller's.
    pub other_ip: bool,
    /// The IP the decision was made for (`$context.authorizer.ip`), when logged.
    pub decided_for_ip: Option<String>,
    /// `$context.authorizer.error`.
    pub authorizer_error: Option<String>,
    /// Paired by IP and time while another request of its IP fitted too.
    pub ambiguous: bool,
    /// The invocation that decided it, as `report --requests` prints it.
    pub invocation: Option<RequestRow>,
}

/// The word and the color of a class: the same in every language, like `tail`'s decision words.
fn class_word(class: &str) -> (&'static str, &'static str) {
    match class {
        "fresh_allow" | "cached_allow" => ("ALLOW", "\x1b[32m"),
        "fresh_deny" | "cached_deny" => ("DENY", "\x1b[31m"),
        "identity_missing" => ("NOAUTH", "\x1b[31m"),
        "authorizer_failed" => ("FAILED", "\x1b[35m"),
        "fresh_unknown" => ("UNKNOWN", ""),
        _ => ("OTHER", ""),
    }
}

/// `TIME STATUS WORD SOURCE IP ROUTE DETAIL`, or the JSON object; ends with a newline.
pub fn api_request_line(line: &ApiRequestLine, style: LiveStyle) -> String {
    if style.json {
        let mut out = terminal_safe_json(&serde_json::to_string(line).unwrap_or_default());
        out.push('\n');
        return out;
    }
    let t = style.lang.tail();
    let (word, color) = class_word(line.class);
    let word = if style.color && !color.is_empty() {
        format!("{color}{word:<7}{RESET}")
    } else {
        format!("{word:<7}")
    };
    let source = if line.class.starts_with("fresh") || line.invocation.is_some() {
        t.fresh
    } else if line.class.starts_with("cached") {
        t.cached
    } else {
        "-"
    };
    let text = |v: &Option<String>| {
        v.as_deref()
            .map_or_else(|| "-".to_string(), |s| escape_control(s).into_owned())
    };
    let mut detail = Vec::new();
    if line.other_ip {
        let ip = line
            .decided_for_ip
            .as_deref()
            .map_or(t.another_ip.to_string(), |ip| escape_control(ip).into_owned());
        detail.push(fill(t.decided_for, &[("ip", &ip)]));
    }
    if let Some(error) = &line.authorizer_error {
        detail.push(escape_control(error).into_owned());
    }
    if let Some(inv) = &line.invocation {
        let reasons: Vec<&str> = inv
            .reasons
            .iter()
            .filter_map(|r| match *r {
                "ip_mismatch" => Some(t.reason_ip),
                "token_mismatch" if inv.reasons.contains(&"token_missing") => Some(t.reason_token_missing),
                "token_mismatch" => Some(t.reason_token),
                _ => None,
            })
            .collect();
        if !reasons.is_empty() {
            detail.push(reasons.join("+"));
        }
        if let Some(d) = inv.duration_ms {
            detail.push(format!("{d:.2} ms"));
        }
        detail.push(escape_control(&inv.request_id).into_owned());
    }
    if line.ambiguous {
        detail.push(t.ambiguous.to_string());
    }
    let status = line.status.map_or_else(|| "-".to_string(), |s| s.to_string());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {status:>3} {word} {} {:<15} {} {}",
        shown_time(line.time.as_deref(), style),
        pad(source, 10),
        text(&line.ip),
        pad(&text(&line.route_key), 16),
        detail.join("  "),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> ApiRequestLine {
        ApiRequestLine {
            kind: "request",
            time: Some("2025-07-11T06:05:34.280Z".into()),
            request_id: Some("SpEIxi9MoAMEMXw=".into()),
            ip: Some("198.51.100.7\u{1b}[31m".into()),
            route_key: Some("GET /pets".into()),
            status: Some(200),
            class: "cached_allow",
            other_ip: true,
            decided_for_ip: Some("203.0.113.10".into()),
            ..ApiRequestLine::default()
        }
    }

    #[test]
    fn a_cached_allow_names_whom_it_was_decided_for_and_escapes_the_log() {
        let text = api_request_line(&line(), LiveStyle::default());
        assert!(
            text.starts_with("2025-07-11T06:05:34.280Z 200 ALLOW   cached"),
            "{text}"
        );
        assert!(text.contains("decided for 203.0.113.10"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        let json = api_request_line(
            &line(),
            LiveStyle {
                json: true,
                ..LiveStyle::default()
            },
        );
        let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(
            (v["type"].as_str(), v["class"].as_str()),
            (Some("request"), Some("cached_allow"))
        );
        assert!(!json.contains('\u{1b}'), "{json}");
    }
}
