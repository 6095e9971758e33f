//! Executes a checked query over events: each command over the rows in time order, expressions,
//! `stats` groups with their aggregates, and the statistics of the run.

use std::collections::HashMap;

use regex::Regex;

use super::ast::{Command, Expr, Named, Query};
use super::fields::{discover, Row, StoredEvent};
use super::funcs::{is_aggregate, scalar, Acc};
use super::rules::Rejection;
use super::value::{compare, equal, Val};

/// Bytes a stored event counts for besides its message (the per-event size CloudWatch Logs uses
/// for PutLogEvents quotas): `bytesScanned` is message bytes + this, per event in the window.
pub(crate) const EVENT_OVERHEAD_BYTES: u64 = 26;

/// The rows of a finished query and its statistics.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    /// Each row: (field, value as the service writes it), null fields left out.
    pub rows: Vec<Vec<(String, String)>>,
    pub records_scanned: u64,
    pub records_matched: u64,
    pub bytes_scanned: u64,
}

/// Runs `query` over `events` (every event of the query's groups and time range).
pub(crate) fn execute(query: &Query, events: &[StoredEvent]) -> Result<Outcome, Rejection> {
    let mut ordered: Vec<&StoredEvent> = events.iter().collect();
    // Time order, ties by group and stream: rows reach every command in this order.
    ordered.sort_by(|a, b| (a.timestamp, &a.group, &a.stream).cmp(&(b.timestamp, &b.group, &b.stream)));
    let mut rows: Vec<Row> = ordered.iter().map(|e| discover(e)).collect();
    let mut outcome = Outcome {
        records_scanned: events.len() as u64,
        bytes_scanned: events
            .iter()
            .map(|e| e.message.len() as u64 + EVENT_OVERHEAD_BYTES)
            .sum(),
        ..Outcome::default()
    };
    let mut matched: Option<u64> = None;
    let mut display: Option<Vec<String>> = None;
    let mut sorted = false;
    for command in &query.commands {
        match command {
            Command::Filter(e) => rows.retain(|r| eval(e, r).is_some_and(|v| v.truthy())),
            Command::Fields(list) | Command::Display(list) => {
                for row in &mut rows {
                    let values: Vec<(String, Option<Val>)> =
                        list.iter().map(|n| (n.name.clone(), eval(&n.expr, row))).collect();
                    if matches!(command, Command::Fields(_)) {
                        for (name, v) in values {
                            match v {
                                Some(v) => row.insert(name, v),
                                None => row.remove(&name),
                            };
                        }
                    }
                }
                display = Some(list.iter().map(|n| n.name.clone()).collect());
            }
            Command::Parse { field, regex } => {
                let re =
                    Regex::new(regex).map_err(|e| Rejection::Malformed(format!("invalid regex /{regex}/: {e}")))?;
                let names: Vec<&str> = re.capture_names().flatten().collect();
                for row in &mut rows {
                    let Some(Val::Str(text)) = row.get(field).cloned() else {
                        continue;
                    };
                    if let Some(caps) = re.captures(&text) {
                        for name in &names {
                            if let Some(m) = caps.name(name) {
                                row.insert(name.to_string(), Val::Str(m.as_str().to_string()));
                            }
                        }
                    }
                }
            }
            Command::Stats { aggs, by } => {
                if matched.is_none() {
                    matched = Some(rows.len() as u64);
                }
                rows = stats(aggs, by, &rows);
                display = Some(by.iter().chain(aggs).map(|n| n.name.clone()).collect());
            }
            Command::Sort(keys) => {
                sorted = true;
                sort(&mut rows, keys);
            }
            Command::Limit(n) => rows.truncate(*n),
        }
    }
    let has_stats = query.commands.iter().any(|c| matches!(c, Command::Stats { .. }));
    if !has_stats && !sorted {
        // Without stats or sort the service returns the newest events first.
        rows.reverse();
    }
    outcome.records_matched = matched.unwrap_or(rows.len() as u64);
    let shown = display.unwrap_or_else(|| {
        ["@timestamp", "@message", "@logStream", "@log"]
            .map(String::from)
            .to_vec()
    });
    outcome.rows = rows
        .iter()
        .map(|row| {
            shown
                .iter()
                .filter_map(|name| row.get(name).map(|v| (name.clone(), v.render())))
                .collect()
        })
        .collect();
    Ok(outcome)
}

fn sort(rows: &mut [Row], keys: &[(Expr, bool)]) {
    rows.sort_by(|a, b| {
        for (key, desc) in keys {
            // Nulls sort last in both directions.
            let ord = match (eval(key, a), eval(key, b)) {
                (Some(x), Some(y)) => {
                    let o = compare(&x, &y);
                    if *desc {
                        o.reverse()
                    } else {
                        o
                    }
                }
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            if ord.is_ne() {
                return ord;
            }
        }
        std::cmp::Ordering::Equal
    });
}

/// The aggregate calls of an expression, in the order [`finish_expr`] meets them.
fn aggregate_calls<'a>(e: &'a Expr, out: &mut Vec<(&'a str, &'a [Expr])>) {
    match e {
        Expr::Call(name, args) if is_aggregate(name) => out.push((name, args)),
        Expr::Call(_, args) => args.iter().for_each(|a| aggregate_calls(a, out)),
        Expr::Neg(x) | Expr::Not(x) => aggregate_calls(x, out),
        Expr::Bin(_, a, b) => {
            aggregate_calls(a, out);
            aggregate_calls(b, out);
        }
        _ => {}
    }
}

/// One `stats`: rows grouped by the `by` values (a null key is a group of its own), groups in the
/// order of their first row; each output row holds the `by` fields and the aggregates.
fn stats(aggs: &[Named], by: &[Named], rows: &[Row]) -> Vec<Row> {
    let mut calls = Vec::new();
    aggs.iter().for_each(|n| aggregate_calls(&n.expr, &mut calls));
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, (Vec<Option<Val>>, Vec<Acc>)> = HashMap::new();
    for row in rows {
        let keys: Vec<Option<Val>> = by.iter().map(|n| eval(&n.expr, row)).collect();
        let key: String = keys
            .iter()
            .map(|k| k.as_ref().map_or("\u{0}".to_string(), Val::key) + "\u{1}")
            .collect();
        let entry = groups.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            let accs = calls
                .iter()
                .map(|(name, args)| {
                    let param = args.get(1).and_then(|a| eval(a, row)).and_then(|v| v.num());
                    Acc::new(name, param)
                })
                .collect();
            (keys, accs)
        });
        let time = match row.get("@timestamp") {
            Some(Val::Time(t)) => *t,
            _ => 0,
        };
        for ((_, args), acc) in calls.iter().zip(entry.1.iter_mut()) {
            let v = match args.first() {
                None | Some(Expr::Star) => Some(Val::Bool(true)),
                Some(a) => eval(a, row),
            };
            acc.add(v.as_ref(), time);
        }
    }
    if by.is_empty() && rows.is_empty() {
        // A stats without `by` over no rows still gives its one row (counts of 0).
        let accs = calls.iter().map(|(name, _)| Acc::new(name, None)).collect();
        groups.insert(String::new(), (Vec::new(), accs));
        order.push(String::new());
    }
    order
        .iter()
        .filter_map(|k| groups.get(k))
        .map(|(keys, accs)| {
            let mut out = Row::new();
            for (n, k) in by.iter().zip(keys) {
                if let Some(k) = k {
                    out.insert(n.name.clone(), k.clone());
                }
            }
            let results: Vec<Option<Val>> = accs.iter().map(Acc::finish).collect();
            let mut next = 0;
            for n in aggs {
                if let Some(v) = finish_expr(&n.expr, &results, &mut next, &out) {
                    out.insert(n.name.clone(), v);
                }
            }
            out
        })
        .collect()
}

/// An expression of aggregates, each aggregate replaced by its result (in [`aggregate_calls`] order).
/// A field is an output before it in the same stats.
fn finish_expr(e: &Expr, results: &[Option<Val>], next: &mut usize, earlier: &Row) -> Option<Val> {
    match e {
        Expr::Field(f) => earlier.get(f).cloned(),
        Expr::Call(name, _) if is_aggregate(name) => {
            let v = results.get(*next).cloned().flatten();
            *next += 1;
            v
        }
        Expr::Call(name, args) => {
            let vals: Vec<Option<Val>> = args.iter().map(|a| finish_expr(a, results, next, earlier)).collect();
            scalar(name, &vals, None)
        }
        Expr::Neg(x) => finish_expr(x, results, next, earlier)
            .and_then(|v| v.num())
            .map(|x| Val::Num(-x)),
        Expr::Not(x) => finish_expr(x, results, next, earlier).map(|v| Val::Bool(!v.truthy())),
        Expr::Bin(op, a, b) => {
            let (x, y) = (
                finish_expr(a, results, next, earlier),
                finish_expr(b, results, next, earlier),
            );
            binary(op, x, y)
        }
        other => eval(other, &Row::new()),
    }
}

/// An expression over one row (`None`: null).
pub(crate) fn eval(e: &Expr, row: &Row) -> Option<Val> {
    match e {
        Expr::Field(f) => row.get(f).cloned(),
        Expr::Num(x) => Some(Val::Num(*x)),
        Expr::Duration(ms) => Some(Val::Num(*ms as f64)),
        Expr::Str(s) | Expr::Regex(s) => Some(Val::Str(s.clone())),
        Expr::Star => Some(Val::Bool(true)),
        Expr::Neg(x) => eval(x, row).and_then(|v| v.num()).map(|x| Val::Num(-x)),
        Expr::Not(x) => Some(Val::Bool(!eval(x, row).is_some_and(|v| v.truthy()))),
        Expr::Bin("like" | "=~", a, b) => {
            let text = eval(a, row).map(|v| v.render())?;
            match &**b {
                Expr::Regex(re) => Regex::new(re).ok().map(|re| Val::Bool(re.is_match(&text))),
                other => eval(other, row).map(|p| Val::Bool(text.contains(&p.render()))),
            }
        }
        Expr::Bin(op, a, b) => binary(op, eval(a, row), eval(b, row)),
        Expr::Call(name, args) => {
            let vals: Vec<Option<Val>> = args.iter().map(|a| eval(a, row)).collect();
            let ts = match row.get("@timestamp") {
                Some(Val::Time(t)) => Some(*t),
                _ => None,
            };
            scalar(name, &vals, ts)
        }
    }
}

/// A binary operator over two evaluated sides: arithmetic and comparisons are null when a side is
/// null; `and`/`or` treat null as false.
fn binary(op: &str, x: Option<Val>, y: Option<Val>) -> Option<Val> {
    let truth = |v: &Option<Val>| v.as_ref().is_some_and(Val::truthy);
    match op {
        "and" => return Some(Val::Bool(truth(&x) && truth(&y))),
        "or" => return Some(Val::Bool(truth(&x) || truth(&y))),
        _ => {}
    }
    let (x, y) = (x?, y?);
    let cmp = |f: fn(std::cmp::Ordering) -> bool| Some(Val::Bool(f(compare(&x, &y))));
    match op {
        "=" => Some(Val::Bool(equal(&x, &y))),
        "!=" => Some(Val::Bool(!equal(&x, &y))),
        "<" => cmp(|o| o.is_lt()),
        "<=" => cmp(|o| o.is_le()),
        ">" => cmp(|o| o.is_gt()),
        ">=" => cmp(|o| o.is_ge()),
        _ => {
            let (a, b) = (x.num()?, y.num()?);
            let r = match op {
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                "/" if b != 0.0 => a / b,
                "%" if b != 0.0 => a % b,
                "^" => a.powf(b),
                _ => return None,
            };
            Some(Val::Num(r))
        }
    }
}
