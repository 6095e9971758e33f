//! What the Logs Insights docs call an invalid query, checked before anything runs: the service
//! answers such a `StartQuery` with `MalformedQueryException`.

use std::collections::HashSet;

use super::ast::{Command, Expr, Named, Query};
use super::funcs::{is_aggregate, is_documented, is_implemented};

/// Why a query does not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// The service would reject it (`MalformedQueryException`), for this reason.
    Malformed(String),
    /// Valid for the service, but the evaluator does not execute it: a test that needs it must
    /// teach the evaluator first (answered as `InvalidParameterException`, never as a result).
    Unsupported(String),
}

/// The documented maximum length of a query string (StartQuery's `queryString`), in characters.
pub(crate) const MAX_QUERY_CHARS: usize = 10_000;

/// The documented maximum number of `stats` commands in one query.
pub(crate) const MAX_STATS: usize = 2;

/// Checks `query` (of text `text`) against every documented rule the evaluator knows.
pub(crate) fn check(text: &str, query: &Query) -> Result<(), Rejection> {
    check_length(text)?;
    let stats: Vec<usize> = (0..query.commands.len())
        .filter(|i| matches!(query.commands[*i], Command::Stats { .. }))
        .collect();
    if stats.len() > MAX_STATS {
        return Err(Rejection::Malformed(format!(
            "the query has {} stats commands; a query may have at most {MAX_STATS}",
            stats.len()
        )));
    }
    let last_stats = stats.last().copied();
    // Fields the last stats so far defined: after a stats, only they may be referenced.
    let mut defined: Option<HashSet<String>> = None;
    let mut stats_seen = 0;
    for (i, command) in query.commands.iter().enumerate() {
        check_functions(command)?;
        if let (Command::Sort(_) | Command::Limit(_), Some(last)) = (command, last_stats) {
            if i < last {
                return Err(Rejection::Malformed(format!(
                    "`{}` comes before the last stats command; sort and limit must come after it",
                    command.word()
                )));
            }
        }
        if let Some(defined) = &defined {
            let mut refs = Vec::new();
            referenced(command, &mut refs);
            if let Some(f) = refs.iter().find(|f| !defined.contains(**f)) {
                let which = if stats_seen == 1 { "first" } else { "second" };
                return Err(Rejection::Malformed(format!(
                    "`{}` after the {which} stats command refers to `{f}`, which that stats does not define; \
                     any field referenced after the first stats must be defined in that first stats",
                    command.word()
                )));
            }
            if let Some(name) = defines(command) {
                return Err(Rejection::Malformed(format!(
                    "`{}` after the first stats command defines `{name}`; any field referenced after the \
                     first stats must be defined in that first stats (compute it inside a stats instead)",
                    command.word()
                )));
            }
        }
        if let Command::Stats { aggs, by } = command {
            stats_seen += 1;
            check_stats(aggs, by, stats_seen)?;
            defined = Some(aggs.iter().chain(by).map(|n| n.name.clone()).collect());
        }
    }
    Ok(())
}

/// The query string's length, in characters.
pub(crate) fn check_length(text: &str) -> Result<(), Rejection> {
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(Rejection::Malformed(format!(
            "the query is {chars} characters long; a query may be at most {MAX_QUERY_CHARS}"
        )));
    }
    Ok(())
}

/// Fields a command reads.
fn referenced<'a>(command: &'a Command, out: &mut Vec<&'a str>) {
    match command {
        Command::Fields(list) | Command::Display(list) => list.iter().for_each(|n| n.expr.fields(out)),
        Command::Filter(e) => e.fields(out),
        Command::Parse { field, .. } => out.push(field),
        Command::Stats { aggs, by } => {
            // Outputs of the same stats used by later outputs are its own, not references.
            let mut all = Vec::new();
            aggs.iter().chain(by).for_each(|n| n.expr.fields(&mut all));
            out.extend(all.into_iter().filter(|f| !aggs.iter().any(|n| n.name == *f)));
        }
        Command::Sort(keys) => keys.iter().for_each(|(e, _)| e.fields(out)),
        Command::Limit(_) => {}
    }
}

/// A field a command defines besides a stats' own (a `fields … as` name, a parse group).
fn defines(command: &Command) -> Option<String> {
    match command {
        Command::Fields(list) => list.iter().find(|n| n.aliased).map(|n| n.name.clone()),
        Command::Parse { regex, .. } => Some(
            regex_group_names(regex)
                .into_iter()
                .next()
                .unwrap_or_else(|| "(a parsed field)".into()),
        ),
        _ => None,
    }
}

/// The named groups of a `/regex/` (`(?<name>…)` and `(?P<name>…)`).
pub(crate) fn regex_group_names(regex: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = regex;
    while let Some(at) = rest.find("(?") {
        let after = &rest[at + 2..];
        let after = after.strip_prefix('P').unwrap_or(after);
        if let Some(name) = after.strip_prefix('<').and_then(|a| a.split_once('>')).map(|(n, _)| n) {
            if !name.is_empty() && !name.starts_with(['=', '!']) {
                names.push(name.to_string());
            }
        }
        rest = &rest[at + 2..];
    }
    names
}

/// Every call names a documented function (else the service rejects it), implemented here (else
/// the evaluator declines), with aggregates only inside stats.
fn check_functions(command: &Command) -> Result<(), Rejection> {
    let mut calls = Vec::new();
    let exprs: Vec<&Expr> = match command {
        Command::Fields(l) | Command::Display(l) => l.iter().map(|n| &n.expr).collect(),
        Command::Stats { aggs, by } => aggs.iter().chain(by).map(|n| &n.expr).collect(),
        Command::Filter(e) => vec![e],
        Command::Sort(keys) => keys.iter().map(|(e, _)| e).collect(),
        Command::Parse { .. } | Command::Limit(_) => Vec::new(),
    };
    exprs.iter().for_each(|e| e.calls(&mut calls));
    for (name, _) in calls {
        if !is_documented(name) {
            return Err(Rejection::Malformed(format!("unknown function `{name}`")));
        }
        if !is_implemented(name) {
            return Err(Rejection::Unsupported(format!("the function `{name}`")));
        }
        if is_aggregate(name) && !matches!(command, Command::Stats { .. }) {
            return Err(Rejection::Malformed(format!(
                "the aggregate function `{name}` is used in `{}`; aggregates belong in stats",
                command.word()
            )));
        }
    }
    Ok(())
}

/// One stats command: each output an aggregate or an expression of aggregates, no aggregate inside
/// another, no field outside an aggregate, `bin()` only in the first stats and only in `by`.
fn check_stats(aggs: &[Named], by: &[Named], nth: usize) -> Result<(), Rejection> {
    // An output may use the outputs before it in the same stats (AWS's Lambda sample:
    // `provisonedMemoryMB - maxMemoryUsedMB as overProvisionedMB`).
    let mut earlier: Vec<&str> = Vec::new();
    for named in aggs {
        let mut fields = Vec::new();
        named.expr.fields(&mut fields);
        let uses_earlier = fields.iter().any(|f| earlier.contains(f));
        if !has_aggregate(&named.expr) && !uses_earlier {
            return Err(Rejection::Malformed(format!(
                "stats output `{}` has no aggregate function",
                named.name
            )));
        }
        outside_aggregates(&named.expr, &named.name, &earlier)?;
        earlier.push(&named.name);
    }
    for named in by {
        let mut calls = Vec::new();
        named.expr.calls(&mut calls);
        if let Some((name, _)) = calls.iter().find(|(n, _)| is_aggregate(n)) {
            return Err(Rejection::Malformed(format!("the aggregate `{name}` is used in `by`")));
        }
    }
    for named in aggs.iter().chain(by) {
        let mut calls = Vec::new();
        named.expr.calls(&mut calls);
        if nth > 1 && calls.iter().any(|(n, _)| n.eq_ignore_ascii_case("bin")) {
            return Err(Rejection::Malformed(
                "bin() is used in the second stats command; bin() works on @timestamp and cannot be \
                 used in the second stats (use datefloor on a time the first stats defines)"
                    .into(),
            ));
        }
    }
    Ok(())
}

fn has_aggregate(e: &Expr) -> bool {
    let mut calls = Vec::new();
    e.calls(&mut calls);
    calls.iter().any(|(n, _)| is_aggregate(n))
}

/// Rejects fields read outside an aggregate (other than `earlier` outputs of the same stats) and
/// aggregates nested in aggregates.
fn outside_aggregates(e: &Expr, output: &str, earlier: &[&str]) -> Result<(), Rejection> {
    match e {
        Expr::Field(f) if earlier.contains(&f.as_str()) => Ok(()),
        Expr::Field(f) => Err(Rejection::Malformed(format!(
            "stats output `{output}` reads `{f}` outside an aggregate function"
        ))),
        Expr::Neg(x) | Expr::Not(x) => outside_aggregates(x, output, earlier),
        Expr::Bin(_, a, b) => {
            outside_aggregates(a, output, earlier)?;
            outside_aggregates(b, output, earlier)
        }
        Expr::Call(name, args) if is_aggregate(name) => {
            for a in args {
                if has_aggregate(a) {
                    return Err(Rejection::Malformed(format!(
                        "stats output `{output}` nests an aggregate inside `{name}`"
                    )));
                }
            }
            Ok(())
        }
        Expr::Call(_, args) => args.iter().try_for_each(|a| outside_aggregates(a, output, earlier)),
        _ => Ok(()),
    }
}
