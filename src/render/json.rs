//! The report as pretty JSON (`--format json`, schema `authlogs.report/v1`).

use super::terminal_safe_json;
use crate::report::Report;

/// Pretty JSON with a trailing newline; keys and their order come from the report's serde derive.
/// Control characters in log text are `\uXXXX` escapes, so the output is safe to print.
pub fn render(report: &Report) -> String {
    // Serializing plain structs of strings and numbers cannot fail; the fallback keeps output valid JSON.
    let json = serde_json::to_string_pretty(report)
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

    /// Every key DESIGN.md promises, as a path into the JSON (`[]` marks an array of objects).
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
}
