//! The report as pretty JSON (`--format json`, schema `authlogs.report/v1`).

use serde::Serialize;

use super::terminal_safe_json;
use crate::audit::AuditReport;
use crate::report::Report;

/// Pretty JSON with a trailing newline; keys and their order come from the report's serde derive.
/// Control characters in log text are `\uXXXX` escapes, so the output is safe to print.
// The report alone: the renderer's tests; the binary always passes what --audit read.
#[cfg(test)]
pub fn render(report: &Report) -> String {
    render_with(report, None)
}

/// The report with `report --audit`'s audit: the same keys in the same order, then `audit` holding
/// the `authlogs.audit/v1` document (schema `authlogs.report/v1` adds keys, never renames them).
#[derive(Serialize)]
struct WithAudit<'a> {
    #[serde(flatten)]
    report: &'a Report,
    audit: &'a AuditReport,
}

/// The report, with the key `audit` last when `audit` is given.
pub fn render_with(report: &Report, audit: Option<&AuditReport>) -> String {
    // Serializing plain structs of strings and numbers cannot fail; the fallback keeps output valid JSON.
    let json = match audit {
        None => serde_json::to_string_pretty(report),
        Some(audit) => serde_json::to_string_pretty(&WithAudit { report, audit }),
    }
    .unwrap_or_else(|e| serde_json::json!({ "schema": report.schema, "error": e.to_string() }).to_string());
    let mut out = terminal_safe_json(&json);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;
    use serde_json::Value;

    #[test]
    fn realistic_report() {
        insta::assert_snapshot!(render(&fixtures::realistic()));
    }

    #[test]
    fn empty_report() {
        insta::assert_snapshot!(render(&fixtures::empty()));
    }

    /// Every key schema `authlogs.report/v1` promises to keep (keys may be added, never renamed), as a
    /// path into the JSON (`[]` marks an array of objects).
    const STABLE_KEYS: &[&str] = &[
        "schema",
        "window.start",
        "window.end",
        "complete",
        "input_errors",
        "invocations",
        "decisions.allowed",
        "decisions.denied",
        "decisions.timeout",
        "decisions.error",
        "decisions.unknown",
        "incomplete",
        "denials.ip_mismatch",
        "denials.token_mismatch",
        "denials.both",
        "denials.token_missing",
        "duration_ms.min",
        "duration_ms.avg",
        "duration_ms.p50",
        "duration_ms.p90",
        "duration_ms.p95",
        "duration_ms.p99",
        "duration_ms.max",
        "billed_duration_ms.sum",
        "billed_duration_ms.avg",
        "memory_mb.size",
        "memory_mb.max_used_max",
        "memory_mb.max_used_avg",
        "cold_starts.count",
        "cold_starts.init_duration_ms.avg",
        "cold_starts.init_duration_ms.max",
        "top_denied_ips[].ip",
        "top_denied_ips[].count",
        "top_denied_ips[].ip_mismatch",
        "top_denied_ips[].token_mismatch",
        "findings[].kind",
        "findings[].severity",
        "findings[].message",
        "findings[].count",
    ];

    fn has_path(value: &Value, path: &str) -> bool {
        let Some((head, rest)) = path.split_once('.') else {
            return value.get(path).is_some();
        };
        match head.strip_suffix("[]") {
            Some(array) => match value.get(array).and_then(Value::as_array) {
                Some(items) => !items.is_empty() && items.iter().all(|item| has_path(item, rest)),
                None => false,
            },
            None => value.get(head).is_some_and(|inner| has_path(inner, rest)),
        }
    }

    #[test]
    fn parses_back_with_every_stable_key() {
        let text = render(&fixtures::realistic());
        assert!(text.ends_with("}\n"));
        let value: Value = serde_json::from_str(&text).expect("report JSON parses");
        assert_eq!(value["schema"], "authlogs.report/v1");
        for key in STABLE_KEYS {
            assert!(has_path(&value, key), "missing {key}");
        }
        assert!(value["input_errors"].is_array());
        assert!(value["complete"].is_boolean());
    }

    #[test]
    fn empty_report_keeps_scalar_keys() {
        let value: Value = serde_json::from_str(&render(&fixtures::empty())).expect("parses");
        for key in STABLE_KEYS.iter().filter(|k| !k.contains("[]")) {
            assert!(has_path(&value, key), "missing {key}");
        }
        assert_eq!(value["top_denied_ips"], Value::Array(vec![]));
        assert_eq!(value["findings"], Value::Array(vec![]));
        assert_eq!(value["duration_ms"]["p99"], Value::Null);
    }

    /// `callers` (issue 19) is there only with access logs: a report without them is byte for
    /// byte what it was (the snapshots above), and one with them has every key the docs name.
    #[test]
    fn callers_only_with_access_logs() {
        assert!(!render(&fixtures::realistic()).contains("\"callers\""));
        assert!(!render(&fixtures::empty()).contains("\"callers\""));
        let text = render(&fixtures::hostile_callers());
        assert!(!text.contains('\x1b') && !text.contains('\x07') && !text.contains('\u{202e}'));
        let value: Value = serde_json::from_str(&text).expect("parses");
        for key in [
            "callers.join.method",
            "callers.join.window_ms",
            "callers.join.by_request_id",
            "callers.join.by_ip_time",
            "callers.join.ambiguous",
            "callers.join.without_ip_or_time",
            "callers.requests",
            "callers.by_status[].status",
            "callers.by_status[].count",
            "callers.authorizer_invoked",
            "callers.fresh.allow",
            "callers.fresh.deny",
            "callers.fresh.unknown",
            "callers.cached.allow",
            "callers.cached.deny",
            "callers.identity_missing",
            "callers.authorizer_failed",
            "callers.authorizer_errors[].error",
            "callers.authorizer_errors[].count",
            "callers.cached_other_ip",
            "callers.cached_other_ip_basis",
            "callers.cached_other_ip_callers[].ip",
            "callers.cached_other_ip_callers[].count",
            "callers.other",
            "callers.unmatched_invocations",
            "callers.unreadable_records",
            "callers.first_unreadable_record",
        ] {
            assert!(has_path(&value, key), "missing {key}");
        }
        assert_eq!(
            value["callers"]["authorizer_errors"][0]["error"],
            "\x1b[2J\x1b]0;pwned\x07<script>alert(1)</script><img src=x onerror=alert(1)>"
        );
    }
}
