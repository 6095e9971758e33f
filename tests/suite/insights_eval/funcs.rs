//! The functions a query may call: which names the docs list, the scalar functions the evaluator
//! executes, and the aggregates of `stats` as accumulators.

use std::cmp::Ordering;
use std::collections::HashSet;

use super::value::{compare, Val};

/// Aggregate functions of `stats` the docs list (lower case).
const AGGREGATES: [&str; 14] = [
    "avg",
    "count",
    "count_distinct",
    "max",
    "min",
    "pct",
    "percentile",
    "stddev",
    "sum",
    "earliest",
    "latest",
    "sortsfirst",
    "sortslast",
    "median",
];

/// Scalar functions the docs list (lower case); the evaluator executes those in [`IMPLEMENTED`].
const DOCUMENTED: [&str; 40] = [
    "abs",
    "ceil",
    "floor",
    "greatest",
    "least",
    "log",
    "sqrt",
    "strlen",
    "toupper",
    "tolower",
    "trim",
    "ltrim",
    "rtrim",
    "concat",
    "substr",
    "replace",
    "strcontains",
    "ispresent",
    "isempty",
    "isblank",
    "coalesce",
    "datefloor",
    "dateceil",
    "frommillis",
    "tomillis",
    "bin",
    "isvalidip",
    "isvalidipv4",
    "isvalidipv6",
    "isipinsubnet",
    "isipv4insubnet",
    "isipv6insubnet",
    "regexreplace",
    "if",
    "jsonparse",
    "parsejson",
    "tostring",
    "tonumber",
    "hash",
    "now",
];

/// Scalar functions the evaluator executes (lower case).
const IMPLEMENTED: [&str; 21] = [
    "abs",
    "ceil",
    "floor",
    "greatest",
    "least",
    "strlen",
    "toupper",
    "tolower",
    "trim",
    "concat",
    "strcontains",
    "ispresent",
    "isempty",
    "isblank",
    "coalesce",
    "datefloor",
    "dateceil",
    "frommillis",
    "tomillis",
    "bin",
    "sqrt",
];

/// Whether `name` is an aggregate (names compare without case, as the docs write them in both).
pub(crate) fn is_aggregate(name: &str) -> bool {
    AGGREGATES.contains(&name.to_ascii_lowercase().as_str())
}

/// Whether the docs list `name` as a function.
pub(crate) fn is_documented(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    AGGREGATES.contains(&lower.as_str()) || DOCUMENTED.contains(&lower.as_str())
}

/// Whether the evaluator executes `name`.
pub(crate) fn is_implemented(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (AGGREGATES.contains(&lower.as_str()) && !matches!(lower.as_str(), "median"))
        || IMPLEMENTED.contains(&lower.as_str())
}

fn floor_to(ms: i64, step: i64) -> i64 {
    if step <= 0 {
        return ms;
    }
    ms.div_euclid(step) * step
}

/// A scalar function over evaluated arguments (`None` is null). `timestamp` is the row's
/// `@timestamp`, which `bin()` reads.
pub(crate) fn scalar(name: &str, args: &[Option<Val>], timestamp: Option<i64>) -> Option<Val> {
    let num = |i: usize| args.get(i).and_then(|a| a.as_ref()).and_then(Val::num);
    let text = |i: usize| -> Option<String> {
        args.get(i).and_then(|a| a.as_ref()).map(|v| match v {
            Val::Str(s) => s.clone(),
            other => other.render(),
        })
    };
    let time = |i: usize| -> Option<i64> {
        match args.get(i).and_then(|a| a.as_ref())? {
            Val::Time(ms) => Some(*ms),
            Val::Num(x) => Some(*x as i64),
            _ => None,
        }
    };
    match name.to_ascii_lowercase().as_str() {
        "abs" => num(0).map(|x| Val::Num(x.abs())),
        "ceil" => num(0).map(|x| Val::Num(x.ceil())),
        "floor" => num(0).map(|x| Val::Num(x.floor())),
        "sqrt" => num(0).map(|x| Val::Num(x.sqrt())),
        "strlen" => text(0).map(|s| Val::Num(s.chars().count() as f64)),
        "toupper" => text(0).map(|s| Val::Str(s.to_uppercase())),
        "tolower" => text(0).map(|s| Val::Str(s.to_lowercase())),
        "trim" => text(0).map(|s| Val::Str(s.trim().to_string())),
        "concat" => Some(Val::Str((0..args.len()).filter_map(text).collect())),
        "strcontains" => match (text(0), text(1)) {
            (Some(s), Some(x)) => Some(Val::Num(if s.contains(&x) { 1.0 } else { 0.0 })),
            _ => None,
        },
        "ispresent" => Some(Val::Bool(args.first().is_some_and(Option::is_some))),
        "isempty" => Some(Val::Bool(text(0).is_none_or(|s| s.is_empty()))),
        "isblank" => Some(Val::Bool(text(0).is_none_or(|s| s.trim().is_empty()))),
        "coalesce" => args.iter().find_map(Clone::clone),
        "least" | "greatest" => {
            let want = if name.eq_ignore_ascii_case("least") {
                Ordering::Less
            } else {
                Ordering::Greater
            };
            args.iter()
                .flatten()
                .fold(None, |best: Option<&Val>, v| match best {
                    Some(b) if compare(v, b) != want => Some(b),
                    _ => Some(v),
                })
                .cloned()
        }
        "tomillis" => time(0).map(|ms| Val::Num(ms as f64)),
        "frommillis" => num(0).map(|x| Val::Time(x as i64)),
        "datefloor" => match (time(0), args.get(1).and_then(|a| a.as_ref())) {
            (Some(t), Some(Val::Num(step))) => Some(Val::Time(floor_to(t, *step as i64))),
            _ => None,
        },
        "dateceil" => match (time(0), args.get(1).and_then(|a| a.as_ref())) {
            (Some(t), Some(Val::Num(step))) => {
                let f = floor_to(t, *step as i64);
                Some(Val::Time(if f == t { t } else { f + *step as i64 }))
            }
            _ => None,
        },
        "bin" => match (timestamp, args.first().and_then(|a| a.as_ref())) {
            (Some(t), Some(Val::Num(step))) => Some(Val::Time(floor_to(t, *step as i64))),
            _ => None,
        },
        _ => None,
    }
}

/// One aggregate's running state over a group's rows.
#[derive(Debug, Clone)]
pub(crate) enum Acc {
    Count(u64),
    CountDistinct(HashSet<String>),
    Sum(Option<f64>),
    Avg(f64, u64),
    /// `min`/`max`/`sortsFirst`/`sortsLast`: the best value so far, kept when `want` orders it first.
    Best(Option<Val>, Ordering),
    /// `earliest`/`latest`: the value of the earliest/latest row by time (`Less`/`Greater`).
    ByTime(Option<(i64, Val)>, Ordering),
    /// `pct`/`percentile`/`stddev`: every value, reduced at the end.
    Values(Vec<f64>, Option<f64>),
}

impl Acc {
    /// The empty state of aggregate `name` (`pct`'s percentile in `param`).
    pub(crate) fn new(name: &str, param: Option<f64>) -> Acc {
        match name.to_ascii_lowercase().as_str() {
            "count" => Acc::Count(0),
            "count_distinct" => Acc::CountDistinct(HashSet::new()),
            "sum" => Acc::Sum(None),
            "avg" => Acc::Avg(0.0, 0),
            "min" | "sortsfirst" => Acc::Best(None, Ordering::Less),
            "max" | "sortslast" => Acc::Best(None, Ordering::Greater),
            "earliest" => Acc::ByTime(None, Ordering::Less),
            "latest" => Acc::ByTime(None, Ordering::Greater),
            "stddev" => Acc::Values(Vec::new(), None),
            _ => Acc::Values(Vec::new(), param),
        }
    }

    /// Adds one row's argument (`Some` for `count(*)` on every row). `time` orders earliest/latest.
    pub(crate) fn add(&mut self, v: Option<&Val>, time: i64) {
        let Some(v) = v else { return };
        match self {
            Acc::Count(n) => *n += 1,
            Acc::CountDistinct(set) => {
                set.insert(v.key());
            }
            Acc::Sum(s) => {
                if let Some(x) = v.num() {
                    *s = Some(s.unwrap_or(0.0) + x);
                }
            }
            Acc::Avg(s, n) => {
                if let Some(x) = v.num() {
                    *s += x;
                    *n += 1;
                }
            }
            Acc::Best(best, want) => {
                if best.as_ref().is_none_or(|b| compare(v, b) == *want) {
                    *best = Some(v.clone());
                }
            }
            Acc::ByTime(best, want) => {
                // Ties keep the first row seen, for earliest and latest alike.
                if best.as_ref().is_none_or(|(t, _)| time.cmp(t) == *want) {
                    *best = Some((time, v.clone()));
                }
            }
            Acc::Values(xs, _) => {
                if let Some(x) = v.num() {
                    xs.push(x);
                }
            }
        }
    }

    /// The aggregate's value (`None`: null, left out of the row).
    pub(crate) fn finish(&self) -> Option<Val> {
        match self {
            Acc::Count(n) => Some(Val::Num(*n as f64)),
            Acc::CountDistinct(set) => Some(Val::Num(set.len() as f64)),
            Acc::Sum(s) => s.map(Val::Num),
            Acc::Avg(s, n) => (*n > 0).then(|| Val::Num(s / *n as f64)),
            Acc::Best(best, _) => best.clone(),
            Acc::ByTime(best, _) => best.as_ref().map(|(_, v)| v.clone()),
            Acc::Values(xs, None) if xs.len() > 1 => {
                let mean = xs.iter().sum::<f64>() / xs.len() as f64;
                let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64;
                Some(Val::Num(var.sqrt()))
            }
            Acc::Values(_, None) => None,
            Acc::Values(xs, Some(p)) => {
                if xs.is_empty() {
                    return None;
                }
                let mut sorted = xs.clone();
                sorted.sort_by(f64::total_cmp);
                // Nearest rank: the smallest value with at least p% of the values at or below it.
                let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
                sorted.get(rank.min(sorted.len()) - 1).map(|x| Val::Num(*x))
            }
        }
    }
}
