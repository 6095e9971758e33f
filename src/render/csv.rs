//! The report as two-column `key,value` CSV: the JSON form flattened into dotted paths.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use crate::audit::AuditReport;
use crate::redact::{csv_cell, escape_control};
use crate::report::Report;

/// `key,value` rows in the order of the JSON output: `decisions.allowed,318`,
/// `top_denied_ips.0.ip,203.0.113.9`. Null and empty arrays or objects give an empty value, so
/// every key of the schema has a row; floats print as in the JSON.
// The report alone: the renderer's tests; the binary always passes what --audit read.
#[cfg(test)]
pub fn render(report: &Report) -> String {
    render_with(report, None)
}

/// The report's rows; then with `report --audit` the audit's JSON flattened the same way under the
/// prefix `audit.` (`audit.findings.0.kind,cached_decision_ignores_source_ip`): the same
/// `key,value` shape, and the keys are those of the `audit` key of the JSON output.
pub fn render_with(report: &Report, audit: Option<&AuditReport>) -> String {
    let mut rows = Vec::new();
    flatten_value(report, String::new(), &mut rows);
    if let Some(audit) = audit {
        flatten_value(audit, "audit".into(), &mut rows);
    }
    let mut writer = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let records = std::iter::once(("key".to_string(), "value".to_string())).chain(rows);
    for (key, value) in records {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record([&key, &value].map(|s| csv_cell(&escape_control(s)).into_owned()));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// `value`'s JSON as rows under `prefix`.
fn flatten_value(value: &impl serde::Serialize, mut prefix: String, rows: &mut Vec<(String, String)>) {
    // Reading the JSON back (instead of `serde_json::Value`) keeps the struct's field order: `Value`
    // sorts keys unless serde_json's `preserve_order` feature happens to be on.
    if let Ok(text) = serde_json::to_string(value) {
        if let Ok(tree) = serde_json::from_str::<Node>(&text) {
            flatten(&tree, &mut prefix, rows);
        }
    }
}

/// A JSON value that keeps object keys in document order.
enum Node {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

fn flatten(node: &Node, path: &mut String, rows: &mut Vec<(String, String)>) {
    let mut leaf = |value: String| rows.push((path.clone(), value));
    match node {
        Node::Null => leaf(String::new()),
        Node::Bool(b) => leaf(b.to_string()),
        Node::Number(n) => leaf(n.to_string()),
        Node::String(s) => leaf(s.clone()),
        Node::Array(items) if items.is_empty() => leaf(String::new()),
        Node::Object(fields) if fields.is_empty() => leaf(String::new()),
        Node::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                descend(path, &i.to_string(), |path| flatten(item, path, rows));
            }
        }
        Node::Object(fields) => {
            for (key, value) in fields {
                descend(path, key, |path| flatten(value, path, rows));
            }
        }
    }
}

fn descend(path: &mut String, segment: &str, f: impl FnOnce(&mut String)) {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(segment);
    f(path);
    path.truncate(len);
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Number::from_f64(v).map_or(Node::Null, Node::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut fields = Vec::new();
        while let Some(entry) = map.next_entry()? {
            fields.push(entry);
        }
        Ok(Node::Object(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;
    use crate::report::DeniedIp;

    fn rows(text: &str) -> Vec<(String, String)> {
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        reader
            .records()
            .map(|r| {
                let r = r.expect("valid CSV");
                (r[0].to_string(), r[1].to_string())
            })
            .collect()
    }

    fn value<'a>(rows: &'a [(String, String)], key: &str) -> Option<&'a str> {
        rows.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    #[test]
    fn realistic_report() {
        insta::assert_snapshot!(render(&fixtures::realistic()));
    }

    #[test]
    fn empty_report() {
        insta::assert_snapshot!(render(&fixtures::empty()));
    }

    #[test]
    fn flattens_in_json_order_with_indexes() {
        let text = render(&fixtures::realistic());
        assert!(text.starts_with("key,value\nschema,authlogs.report/v1\nwindow.start,"));
        let rows = rows(&text);
        assert_eq!(value(&rows, "decisions.allowed"), Some("318"));
        assert_eq!(value(&rows, "top_denied_ips.0.ip"), Some("203.0.113.9"));
        assert_eq!(value(&rows, "findings.1.kind"), Some("token_guessing"));
        assert_eq!(value(&rows, "cost.compute_usd"), Some("3.8395910125e-6"));
        assert_eq!(value(&rows, "memory_mb.utilization_pct"), Some("40.625"));
        assert_eq!(value(&rows, "complete"), Some("false"));
        assert_eq!(value(&rows, "input_errors.0.position"), Some("byte 40960 (compressed)"));
    }

    #[test]
    fn null_and_empty_give_empty_fields() {
        let rows = rows(&render(&fixtures::empty()));
        assert_eq!(value(&rows, "duration_ms.p50"), Some(""));
        assert_eq!(value(&rows, "top_denied_ips"), Some(""));
        assert_eq!(value(&rows, "input_errors"), Some(""));
    }

    /// The callers section is flattened like the rest (`callers.fresh.allow,310`), its log text
    /// escaped and no cell able to start a formula; a report without access logs has no row of it.
    #[test]
    fn callers_rows_are_flattened_escaped_and_neutralised() {
        let text = render(&fixtures::hostile_callers());
        assert!(!text.contains('\x1b') && !text.contains('\x07') && !text.contains('\u{202e}'));
        let rows = rows(&text);
        for (key, expected) in [
            ("callers.join.method", "request_id+ip_time"),
            ("callers.join.window_ms", "10000"),
            ("callers.join.ambiguous", "4"),
            ("callers.requests", "1260"),
            ("callers.by_status.0.status", "0"),
            ("callers.by_status.1.count", "1008"),
            ("callers.authorizer_invoked", "402"),
            ("callers.fresh.allow", "310"),
            ("callers.fresh.unknown", "1"),
            ("callers.cached.deny", "96"),
            ("callers.identity_missing", "41"),
            ("callers.authorizer_failed", "9"),
            (
                "callers.authorizer_errors.0.error",
                "\\x1b[2J\\x1b]0;pwned\\x07<script>alert(1)</script><img src=x onerror=alert(1)>",
            ),
            ("callers.authorizer_errors.0.count", "5"),
            ("callers.cached_other_ip", "37"),
            ("callers.cached_other_ip_basis", "authorizer_ip"),
            (
                "callers.cached_other_ip_callers.0.ip",
                "'=HYPERLINK(\"http://evil.example/\",\"x\")",
            ),
            ("callers.cached_other_ip_callers.1.ip", "198.51.100.23"),
            ("callers.other", "16"),
            ("callers.unmatched_invocations", "10"),
            ("callers.unreadable_records", "2"),
            (
                "callers.first_unreadable_record",
                "'-, line 1: \\x07\\u{202e}<script>x</script>",
            ),
        ] {
            assert_eq!(value(&rows, key), Some(expected), "{key}");
        }
        // Every cell, keys too, is safe to open in a spreadsheet.
        for (key, value) in &rows {
            for cell in [key, value] {
                assert!(
                    !cell.starts_with(['=', '+', '@', '\t', '\r'])
                        && (!cell.starts_with('-') || cell.parse::<f64>().is_ok()),
                    "{cell}"
                );
            }
        }
        // The rows before the callers section are the report's without it.
        let without = render(&fixtures::realistic());
        assert!(!without.contains("callers"));
        assert!(text.starts_with(without.as_str()), "callers rows come last");
    }

    #[test]
    fn quotes_and_escapes_log_text() {
        let mut report = fixtures::empty();
        report.top_denied_ips.push(DeniedIp {
            ip: "1.2.3.4,\"x\"\x1b[2J\n".into(),
            count: 1,
            ..DeniedIp::default()
        });
        let text = render(&report);
        assert!(!text.contains('\x1b'));
        assert!(
            text.contains("top_denied_ips.0.ip,\"1.2.3.4,\"\"x\"\"\\x1b[2J\\n\"\n"),
            "{text}"
        );
        assert_eq!(
            value(&rows(&text), "top_denied_ips.0.ip"),
            Some("1.2.3.4,\"x\"\\x1b[2J\\n")
        );
    }
}
