//! `--explain`: the engine choice, the slices and batches, the estimated scan and cost, and the
//! query texts of the first slice, without running a query.

use std::io::{self, Write};

use crate::aws::FetchConfig;
use crate::engine::insights::{
    api_seconds, check_query_text, slices, Choice, InsightsOptions, Queries, QueryKind, Resolution, AUTO_MAX_COST_USD,
    GROUPS_PER_QUERY, MARGIN_MS, MAX_QUERY_CHARS,
};
use crate::human::human_bytes;
use crate::patterns::Patterns;
use crate::redact::escape_control;
use crate::timeutil::format_rfc3339_ms;

/// Writes the plan `--engine insights` runs (or would run) over `cw`.
pub fn explain(
    options: &InsightsOptions,
    patterns: &Patterns,
    cw: &FetchConfig,
    choice: &Choice,
    out: &mut dyn Write,
) -> io::Result<()> {
    let parts = slices(cw.start_ms, cw.end_ms, options.slice_ms);
    let queries = Queries::new(patterns);
    let groups = choice.groups.clone().unwrap_or_else(|| cw.groups.names.clone());
    writeln!(
        out,
        "engine: {} ({})",
        if choice.insights { "insights" } else { "local" },
        choice.why
    )?;
    writeln!(
        out,
        "window: {} – {}",
        format_rfc3339_ms(cw.start_ms),
        format_rfc3339_ms(cw.end_ms)
    )?;
    if groups.is_empty() {
        writeln!(out, "groups: those containing '{}'", cw.groups.pattern)?;
    } else {
        writeln!(
            out,
            "groups: {} ({} per query, {} batch(es))",
            groups
                .iter()
                .map(|g| escape_control(g).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            GROUPS_PER_QUERY,
            groups.len().div_ceil(GROUPS_PER_QUERY)
        )?;
    }
    writeln!(
        out,
        "slices: {} of up to {} s; each query reads {} min past inner boundaries so requests are joined whole",
        parts.len(),
        options.slice_ms / 1000,
        MARGIN_MS / 60_000
    )?;
    let batches = groups.len().div_ceil(GROUPS_PER_QUERY).max(1);
    let count = parts.len() * batches * QueryKind::ALL.len();
    writeln!(
        out,
        "queries: {count} ({} per slice and batch: {}), {} at a time",
        QueryKind::ALL.len(),
        QueryKind::ALL.map(QueryKind::name).join(", "),
        options.concurrency
    )?;
    match (&choice.cost, choice.bytes) {
        (Some(c), Some(b)) => {
            writeln!(
                out,
                "estimated scan: about {} per query ({} in the window, the rest the margins), {} in all: about ${:.4} at {}",
                human_bytes(c.bytes_per_query),
                human_bytes(b),
                human_bytes(c.bytes_per_query * c.kinds as f64),
                c.usd,
                c.price.describe()
            )?;
            writeln!(
                out,
                "  a slice that times out or returns too many rows is run again in halves: each split costs its slice's scan again"
            )?;
        }
        _ => writeln!(
            out,
            "estimated scan: unknown (the groups' stored bytes could not be read)"
        )?,
    }
    match options.max_cost {
        Some(max) => writeln!(out, "spending cap: --max-cost ${max}")?,
        None => writeln!(
            out,
            "spending cap: none with --engine insights; --engine auto reads locally above ${AUTO_MAX_COST_USD:.2} (--max-cost sets both)"
        )?,
    }
    if !choice.insights {
        writeln!(out, "(the plan below is what --engine insights would run)")?;
    }
    if let Some(first) = parts.first() {
        let (s, e) = api_seconds(first);
        for kind in QueryKind::ALL {
            let text = queries.text(kind, first, Resolution::Exact);
            // The rule check every query passes before it starts, said for the text shown.
            let verdict = match check_query_text(&text) {
                Ok(()) => format!(
                    "{} of {} characters; follows the two-stats rules",
                    thousands(text.chars().count()),
                    thousands(MAX_QUERY_CHARS)
                ),
                Err(rule) => format!("NOT STARTED: {rule}"),
            };
            writeln!(
                out,
                "\n# {} query, first slice (StartQuery startTime {s}, endTime {e}; {verdict}):",
                kind.name()
            )?;
            writeln!(out, "{text}")?;
        }
    }
    out.flush()
}

/// `n` with a comma every three digits: `3,412`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
