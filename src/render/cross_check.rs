//! `--cross-check`: the same window reported by both engines, compared field by field and written
//! as text or JSON, so a user (and the tests) can see where the Logs Insights push-down agrees with the exact local engine.

use serde_json::Value;

use crate::redact::escape_control;
use crate::report::Report;

/// One field where the two reports differ.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    /// The field's path, e.g. `decisions.allowed`, `findings[token_guessing].count`.
    pub field: String,
    /// The local engine's value (JSON), or `(absent)`.
    pub local: String,
    /// The Insights engine's value (JSON), or `(absent)`.
    pub insights: String,
    /// The field is one the Insights report lists as approximate (`source.approximate`).
    pub approximate: bool,
}

/// What the comparison found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Comparison {
    /// Fields compared (leaves of the report, `source` and `input` left out: they describe how
    /// each engine read, not what it found).
    pub compared: u64,
    pub differences: Vec<Difference>,
}

impl Comparison {
    /// Differences outside the fields the Insights engine says are approximate.
    pub fn unexpected(&self) -> usize {
        self.differences.iter().filter(|d| !d.approximate).count()
    }
}

/// Fields that say how a report was read rather than what it found.
const NOT_COMPARED: [&str; 5] = ["source", "input", "input_errors", "input_warnings", "complete"];

/// Keys that identify an element of a list (so a list compares by what it holds, not position).
const ELEMENT_KEYS: [&str; 3] = ["kind", "ip", "start"];

/// Compares two reports of the same window field by field.
pub fn compare(local: &Report, insights: &Report) -> Comparison {
    // Each note is `field, field: why`: every field before the colon is approximate.
    let approximate: Vec<String> = insights
        .source
        .as_ref()
        .map(|s| {
            s.approximate
                .iter()
                .filter_map(|a| a.split(':').next())
                .flat_map(|fields| fields.split(','))
                .map(|f| f.trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    let to_value = |r: &Report| -> Value {
        let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut v {
            for k in NOT_COMPARED {
                map.remove(k);
            }
        }
        v
    };
    let mut c = Comparison::default();
    walk("", &to_value(local), &to_value(insights), &approximate, &mut c);
    c
}

/// The key of a list element: the value of its identifying field.
fn element_key(v: &Value) -> Option<String> {
    let obj = v.as_object()?;
    ELEMENT_KEYS.iter().find_map(|k| {
        obj.get(*k).map(|id| match id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    })
}

fn keyed(items: &[Value]) -> Option<Vec<(String, &Value)>> {
    items.iter().map(|v| element_key(v).map(|k| (k, v))).collect()
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn is_approximate(path: &str, approximate: &[String]) -> bool {
    // `findings[token_guessing].count` is covered by `findings.token_guessing`.
    let plain = path.replace('[', ".").replace(']', "");
    approximate
        .iter()
        .any(|a| plain == *a || plain.starts_with(&format!("{a}.")) || plain.starts_with(&format!("{a}[")))
}

fn leaf(v: Option<&Value>) -> String {
    v.map_or_else(
        || "(absent)".to_string(),
        |v| escape_control(&v.to_string()).into_owned(),
    )
}

fn same_leaf(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        // Averages are computed from the same sums; allow for their last bit.
        (Some(x), Some(y)) => x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs()),
        _ => a == b,
    }
}

fn walk(path: &str, a: &Value, b: &Value, approximate: &[String], c: &mut Comparison) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = join(path, k);
                match (x.get(k), y.get(k)) {
                    (Some(va), Some(vb)) => walk(&p, va, vb, approximate, c),
                    (va, vb) => differ(&p, va, vb, approximate, c),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => match (keyed(x), keyed(y)) {
            (Some(kx), Some(ky)) => {
                let mut keys: Vec<&String> = kx.iter().map(|(k, _)| k).chain(ky.iter().map(|(k, _)| k)).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    let p = format!("{path}[{k}]");
                    let va = kx.iter().find(|(kk, _)| kk == k).map(|(_, v)| *v);
                    let vb = ky.iter().find(|(kk, _)| kk == k).map(|(_, v)| *v);
                    match (va, vb) {
                        (Some(va), Some(vb)) => walk(&p, va, vb, approximate, c),
                        (va, vb) => differ(&p, va, vb, approximate, c),
                    }
                }
            }
            _ => {
                for i in 0..x.len().max(y.len()) {
                    let p = format!("{path}[{i}]");
                    match (x.get(i), y.get(i)) {
                        (Some(va), Some(vb)) => walk(&p, va, vb, approximate, c),
                        (va, vb) => differ(&p, va, vb, approximate, c),
                    }
                }
            }
        },
        _ => {
            c.compared += 1;
            if !same_leaf(a, b) {
                differ(path, Some(a), Some(b), approximate, c);
                c.compared -= 1;
            }
        }
    }
}

fn differ(path: &str, a: Option<&Value>, b: Option<&Value>, approximate: &[String], c: &mut Comparison) {
    c.compared += 1;
    c.differences.push(Difference {
        field: escape_control(path).into_owned(),
        local: leaf(a),
        insights: leaf(b),
        approximate: is_approximate(path, approximate),
    });
}

/// Writes the comparison: a few lines of text, or one JSON object.
pub fn write_comparison(
    c: &Comparison,
    local: &Report,
    insights: &Report,
    json: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let window = format!(
        "{} – {}",
        local.window.start.as_deref().unwrap_or("?"),
        local.window.end.as_deref().unwrap_or("?")
    );
    let scan = insights.source.as_ref().and_then(|s| s.scan.as_ref());
    if json {
        let v = serde_json::json!({
            "window": { "start": local.window.start, "end": local.window.end },
            "compared": c.compared,
            "differences": c.differences,
            "local": { "events": local.input.events, "api_calls": local.source.as_ref().map(|s| s.api_calls) },
            "insights": scan,
        });
        return writeln!(out, "{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    }
    writeln!(out, "cross-check of {window}: {} fields compared", c.compared)?;
    writeln!(
        out,
        "local: {} events downloaded in {} API calls; insights: {} queries scanned {} bytes (about ${:.6})",
        local.input.events,
        local.source.as_ref().map_or(0, |s| s.api_calls),
        scan.map_or(0, |s| s.queries),
        scan.map_or(0, |s| s.bytes_scanned),
        scan.map_or(0.0, |s| s.estimated_cost_usd)
    )?;
    if c.differences.is_empty() {
        return writeln!(out, "every field agrees");
    }
    let expected = c.differences.len() - c.unexpected();
    writeln!(
        out,
        "{} field(s) differ ({expected} in fields listed as approximate in source.approximate):",
        c.differences.len()
    )?;
    for d in &c.differences {
        writeln!(
            out,
            "  {}: local {}, insights {}{}",
            d.field,
            d.local,
            d.insights,
            if d.approximate { " (approximate)" } else { "" }
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
