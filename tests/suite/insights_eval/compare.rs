//! The differential helper: one window reported by `--engine local` (moto) and by `--engine
//! insights` (through the evaluator), compared field by field outside `source.approximate`, by the
//! rules `--cross-check` uses (`src/render/cross_check.rs`).

use serde_json::Value;

use super::server::{start_evaluator, Evaluator};
use crate::cloudwatch::{cloudwatch_report, endpoint, json};

/// Both reports of a window and where they differ.
#[derive(Debug)]
pub(crate) struct EngineComparison {
    pub local: Value,
    pub insights: Value,
    /// Leaves compared (outside `source`, `input`, `input_errors`, `input_warnings`, `complete`).
    pub compared: usize,
    /// `path: local X, insights Y` for every differing leaf outside `source.approximate`.
    pub differences: Vec<String>,
    /// The insights report's `source.approximate` field names.
    pub approximate: Vec<String>,
}

/// Compares the engines on `group` over `[since, until)` through a fresh evaluator.
#[allow(dead_code)]
pub(crate) fn compare_engines(group: &str, since: &str, until: &str) -> EngineComparison {
    compare_engines_on(
        &start_evaluator(),
        &["--group", group, "--since", since, "--until", until],
    )
}

/// Compares the engines with `args` (groups, window, and any other report flags) through `eval`.
/// Panics with the stderr when either run fails.
pub(crate) fn compare_engines_on(eval: &Evaluator, args: &[&str]) -> EngineComparison {
    let local = json(&cloudwatch_report(
        &endpoint(),
        &[args, &["--engine", "local"]].concat(),
    ));
    let insights = json(&cloudwatch_report(
        &eval.url,
        &[args, &["--engine", "insights"]].concat(),
    ));
    let approximate = approximate_fields(&insights);
    let mut out = EngineComparison {
        local,
        insights,
        compared: 0,
        differences: Vec::new(),
        approximate,
    };
    let (compared, differences) = differences(&out.local, &out.insights, &out.approximate);
    out.compared = compared;
    out.differences = differences;
    out
}

/// The field names `source.approximate` lists (each entry is `field, field: why`).
pub(crate) fn approximate_fields(report: &Value) -> Vec<String> {
    report["source"]["approximate"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .filter_map(|s| s.split(':').next())
                .flat_map(|fields| fields.split(','))
                .map(|s| s.trim().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Sections that say how a report was read rather than what it found.
const NOT_COMPARED: [&str; 5] = ["source", "input", "input_errors", "input_warnings", "complete"];

/// Keys that identify a list element (lists compare by what they hold, not by position).
const ELEMENT_KEYS: [&str; 3] = ["kind", "ip", "start"];

/// (leaves compared, differing leaves outside `approximate`) of two reports.
pub(crate) fn differences(local: &Value, insights: &Value, approximate: &[String]) -> (usize, Vec<String>) {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Value::Object(map) = &mut v {
            for k in NOT_COMPARED {
                map.remove(k);
            }
        }
        v
    };
    let mut walk = Walk {
        approximate,
        compared: 0,
        out: Vec::new(),
    };
    walk.value("", Some(&strip(local)), Some(&strip(insights)));
    (walk.compared, walk.out)
}

struct Walk<'a> {
    approximate: &'a [String],
    compared: usize,
    out: Vec<String>,
}

fn element_key(v: &Value) -> Option<String> {
    let obj = v.as_object()?;
    ELEMENT_KEYS.iter().find_map(|k| {
        obj.get(*k).map(|id| match id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    })
}

impl Walk<'_> {
    fn is_approximate(&self, path: &str) -> bool {
        let plain = path.replace('[', ".").replace(']', "");
        self.approximate
            .iter()
            .any(|a| plain == *a || plain.starts_with(&format!("{a}.")))
    }

    fn value(&mut self, path: &str, a: Option<&Value>, b: Option<&Value>) {
        let join = |k: &str| {
            if path.is_empty() {
                k.to_string()
            } else {
                format!("{path}.{k}")
            }
        };
        match (a, b) {
            (Some(Value::Object(x)), Some(Value::Object(y))) => {
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    self.value(&join(k), x.get(k), y.get(k));
                }
            }
            (Some(Value::Array(x)), Some(Value::Array(y))) => {
                let keyed = |items: &[Value]| -> Option<Vec<(String, Value)>> {
                    items.iter().map(|v| element_key(v).map(|k| (k, v.clone()))).collect()
                };
                match (keyed(x), keyed(y)) {
                    (Some(kx), Some(ky)) => {
                        let mut keys: Vec<&String> = kx.iter().chain(&ky).map(|(k, _)| k).collect();
                        keys.sort();
                        keys.dedup();
                        for k in keys {
                            let find = |l: &[(String, Value)]| l.iter().find(|(kk, _)| kk == k).map(|(_, v)| v.clone());
                            self.value(&format!("{path}[{k}]"), find(&kx).as_ref(), find(&ky).as_ref());
                        }
                    }
                    _ => {
                        for i in 0..x.len().max(y.len()) {
                            self.value(&format!("{path}[{i}]"), x.get(i), y.get(i));
                        }
                    }
                }
            }
            _ => {
                self.compared += 1;
                let same = match (a, b) {
                    (Some(x), Some(y)) => match (x.as_f64(), y.as_f64()) {
                        // As --cross-check: averages from the same sums may differ in their last bit.
                        (Some(p), Some(q)) => p == q || (p - q).abs() <= 1e-9 * p.abs().max(q.abs()),
                        _ => x == y,
                    },
                    _ => false,
                };
                if !same && !self.is_approximate(path) {
                    let show = |v: Option<&Value>| v.map_or("(absent)".to_string(), Value::to_string);
                    self.out
                        .push(format!("{path}: local {}, insights {}", show(a), show(b)));
                }
            }
        }
    }
}
