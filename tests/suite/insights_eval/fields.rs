//! The fields Logs Insights discovers in a stored event: the system fields, Lambda's (`@type`,
//! `@requestId`, the REPORT numbers, memory in bytes) and the keys of a JSON message.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::value::Val;

/// The account moto stores groups under (`@log` is `account:group`).
const ACCOUNT: &str = "123456789012";

/// One stored event, as FilterLogEvents gives it.
#[derive(Debug, Clone)]
pub(crate) struct StoredEvent {
    pub group: String,
    pub stream: String,
    pub timestamp: i64,
    pub ingestion: i64,
    pub message: String,
}

/// A row while a query runs: field name → present value.
pub(crate) type Row = HashMap<String, Val>;

fn uuid() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}").expect("uuid regex")
    })
}

/// The discovered fields of `e`.
pub(crate) fn discover(e: &StoredEvent) -> Row {
    let mut row = Row::new();
    row.insert("@timestamp".into(), Val::Time(e.timestamp));
    row.insert("@ingestionTime".into(), Val::Time(e.ingestion));
    row.insert("@message".into(), Val::Str(e.message.clone()));
    row.insert("@logStream".into(), Val::Str(e.stream.clone()));
    row.insert("@log".into(), Val::Str(format!("{ACCOUNT}:{}", e.group)));
    let m = e.message.as_str();
    let platform = ["START", "END", "REPORT"]
        .into_iter()
        .find(|t| m.strip_prefix(t).is_some_and(|r| r.starts_with(" RequestId: ")));
    if let Some(kind) = platform {
        row.insert("@type".into(), Val::Str(kind.into()));
        let after = &m[kind.len() + " RequestId: ".len()..];
        let id: String = after.chars().take_while(|c| !c.is_whitespace()).collect();
        if !id.is_empty() {
            row.insert("@requestId".into(), Val::Str(id));
        }
        if kind == "REPORT" {
            report_fields(m, &mut row);
        }
    } else if let Some(id) = uuid().find(m) {
        // App lines: the first UUID in the line (what published results show; the docs are silent).
        row.insert("@requestId".into(), Val::Str(id.as_str().to_string()));
    }
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(m.trim_end()) {
        for (k, v) in map {
            json_fields(&k, &v, &mut row);
        }
    }
    row
}

/// The `Key: value unit` parts of a REPORT line; memory in bytes (MB × 10^6), as the service gives it.
fn report_fields(m: &str, row: &mut Row) {
    for part in m.split('\t') {
        let Some((key, value)) = part.split_once(": ") else {
            continue;
        };
        let number = value.split_whitespace().next().and_then(|n| n.parse::<f64>().ok());
        let Some(x) = number else { continue };
        let (name, scale) = match key.trim() {
            "Duration" => ("@duration", 1.0),
            "Billed Duration" => ("@billedDuration", 1.0),
            "Memory Size" => ("@memorySize", 1e6),
            "Max Memory Used" => ("@maxMemoryUsed", 1e6),
            "Init Duration" => ("@initDuration", 1.0),
            _ => continue,
        };
        row.insert(name.into(), Val::Num(x * scale));
    }
}

/// A JSON message's keys, nested objects joined with `.` (`record.metrics.durationMs`).
fn json_fields(prefix: &str, v: &serde_json::Value, row: &mut Row) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, inner) in map {
                json_fields(&format!("{prefix}.{k}"), inner, row);
            }
        }
        serde_json::Value::String(s) => {
            row.insert(prefix.to_string(), Val::Str(s.clone()));
        }
        serde_json::Value::Number(n) => {
            if let Some(x) = n.as_f64() {
                row.insert(prefix.to_string(), Val::Num(x));
            }
        }
        serde_json::Value::Bool(b) => {
            row.insert(prefix.to_string(), Val::Bool(*b));
        }
        serde_json::Value::Null | serde_json::Value::Array(_) => {}
    }
}
