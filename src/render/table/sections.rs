//! Every section but the callers and the timeline, from the header to the input, and their helpers.

use std::borrow::Cow;

use comfy_table::{Cell, Color};

use super::fit::{right_align, Out};
use crate::i18n::{fill, Labels};
use crate::redact::escape_control;
use crate::render::view::{self, f2, int, pct};
use crate::report::{Report, Severity};
use crate::timeutil::rfc3339_to_local;

/// Input errors listed in the header before the rest is summarized.
const MAX_LISTED_ERRORS: usize = 20;
const MAX_LISTED_IPS: usize = 10;

pub(super) fn decision_color(decision: &str) -> Option<Color> {
    match decision {
        "allowed" => Some(Color::Green),
        "denied" => Some(Color::Red),
        "timeout" => Some(Color::Yellow),
        "error" => Some(Color::Magenta),
        _ => None,
    }
}

fn severity_name(severity: Severity, l: &Labels) -> &'static str {
    match severity {
        Severity::High => l.severity_high,
        Severity::Medium => l.severity_medium,
        Severity::Low => l.severity_low,
        Severity::Info => l.severity_info,
    }
}

fn severity_color(severity: Severity) -> Option<Color> {
    match severity {
        Severity::High => Some(Color::Red),
        Severity::Medium => Some(Color::Yellow),
        Severity::Low => Some(Color::Cyan),
        Severity::Info => None,
    }
}

fn opt_str(value: &Option<String>) -> Cow<'_, str> {
    value.as_deref().map_or(Cow::Borrowed("?"), escape_control)
}

/// Decimals that show `value` with at least `significant` significant digits.
pub(super) fn decimals_for(value: f64, significant: i32) -> usize {
    if !value.is_finite() || value <= 0.0 {
        return 0;
    }
    let magnitude = value.log10().floor() as i32;
    (significant - 1 - magnitude).clamp(0, 12) as usize
}

pub(super) fn header(out: &mut Out, report: &Report) {
    let window = &report.window;
    let time = |t: &Option<String>| -> Option<String> {
        match t.as_deref() {
            Some(t) if out.local_time => Some(rfc3339_to_local(t).unwrap_or_else(|| t.to_string())),
            _ => t.clone(),
        }
    };
    let (start, end, first, last) = (
        time(&window.start),
        time(&window.end),
        time(&window.first_event),
        time(&window.last_event),
    );
    let l = out.l;
    let mut table = out.table();
    if window.start.is_some() || window.end.is_some() {
        table.add_row(vec![
            l.window.to_string(),
            format!("{} → {}", opt_str(&start), opt_str(&end)),
        ]);
    }
    if window.first_event.is_some() || window.last_event.is_some() {
        table.add_row(vec![
            l.events.to_string(),
            format!("{} → {}", opt_str(&first), opt_str(&last)),
        ]);
    }
    table.add_row(vec![l.invocations.to_string(), report.invocations.to_string()]);
    if report.retries > 0 {
        table.add_row(vec![l.retried_ids.to_string(), report.retries.to_string()]);
    }
    if let Some(scan) = report.source.as_ref().and_then(|s| s.scan.as_ref()) {
        let approximate = report.source.as_ref().map_or(0, |s| s.approximate.len());
        table.add_row(vec![
            l.engine.to_string(),
            fill(
                l.engine_scan,
                &[
                    ("queries", &scan.queries),
                    ("mb", &format_args!("{:.1}", scan.bytes_scanned as f64 / 1e6)),
                    ("usd", &format_args!("{:.4}", scan.estimated_cost_usd)),
                    ("approximate", &approximate),
                ],
            ),
        ]);
    }
    let status = if report.complete {
        l.complete.to_string()
    } else {
        let errors = &report.input_errors;
        let mut status = l.partial.to_string();
        if !errors.is_empty() {
            let count = if errors.len() == 1 {
                l.input_errors_one
            } else {
                l.input_errors_other
            };
            status.push_str(": ");
            status.push_str(&fill(count, &[("count", &errors.len())]));
        }
        for error in errors.iter().take(MAX_LISTED_ERRORS) {
            status.push_str(&format!(
                "\n{}: {}: {}",
                escape_control(&error.input),
                escape_control(&error.position),
                escape_control(&error.message)
            ));
        }
        if errors.len() > MAX_LISTED_ERRORS {
            status.push('\n');
            status.push_str(&fill(l.more_in_json, &[("count", &(errors.len() - MAX_LISTED_ERRORS))]));
        }
        status
    };
    table.add_row(vec![l.status.to_string(), status]);
    out.keep_whole(&mut table, 0..1);
    out.line(l.report_title);
    let text = out.draw(table);
    out.text.push_str(&text);
    out.text.push('\n');
}

pub(super) fn decisions(out: &mut Out, report: &Report) {
    let mut table = out.table();
    for r in view::decision_rows(report, out.l) {
        table.add_row(vec![
            out.colored(r.label, decision_color(r.key)),
            Cell::new(r.count),
            Cell::new(r.share),
            Cell::new(r.note),
        ]);
    }
    right_align(&mut table, 1..3);
    out.keep_whole(&mut table, 0..3);
    out.section(out.l.decisions, [table]);
}

pub(super) fn denials(out: &mut Out, report: &Report) {
    let Some(rows) = view::denial_rows(report, out.l) else {
        return;
    };
    let mut table = out.table();
    for r in rows {
        table.add_row(vec![
            r.label.to_string(),
            r.count.to_string(),
            r.share,
            r.note.to_string(),
        ]);
    }
    right_align(&mut table, 1..3);
    out.keep_whole(&mut table, 0..3);
    let title = fill(out.l.denial_reasons_title, &[("denied", &report.decisions.denied)]);
    out.section(&title, [table]);
}

pub(super) fn top_denied_ips(out: &mut Out, report: &Report) {
    let ips = &report.top_denied_ips;
    if ips.is_empty() {
        return;
    }
    let l = out.l;
    let mut table = out.table();
    table.set_header(vec![l.ip, l.denied, l.reason_ip_mismatch, l.reason_token_mismatch]);
    for ip in ips.iter().take(MAX_LISTED_IPS) {
        table.add_row(vec![
            escape_control(&ip.ip).into_owned(),
            ip.count.to_string(),
            ip.ip_mismatch.to_string(),
            ip.token_mismatch.to_string(),
        ]);
    }
    right_align(&mut table, 1..4);
    // The address may wrap (a long one is log text); the counts do not.
    out.keep_whole(&mut table, 1..4);
    let mut title = l.top_denied_ips_title.to_string();
    if !report.top_denied_ips_exact {
        title.push(' ');
        title.push_str(l.lower_bound);
    }
    out.section(&title, [table]);
    if ips.len() > MAX_LISTED_IPS {
        let more = fill(l.more_in_json, &[("count", &(ips.len() - MAX_LISTED_IPS))]);
        out.line(&format!(" {more}"));
    }
}

pub(super) fn duration(out: &mut Out, report: &Report) {
    let (d, billed, memory) = (&report.duration_ms, &report.billed_duration_ms, &report.memory_mb);
    if d.count == 0 && billed.sum == 0 && memory.size.is_none() {
        return;
    }
    let l = out.l;
    let names = [l.min, l.avg, "p50", "p90", "p95", "p99", l.max];
    let values = [d.min, d.avg, d.p50, d.p90, d.p95, d.p99, d.max].map(f2);
    let mut stats = out.table();
    stats.set_header(names.to_vec());
    stats.add_row(values.to_vec());
    right_align(&mut stats, 0..7);
    out.keep_whole(&mut stats, 0..7);
    if !out.fits(&mut stats) {
        // Too narrow for seven numbers side by side (wrapped, a number would read as two): one a row.
        stats = out.table();
        for (name, value) in names.iter().zip(values) {
            stats.add_row(vec![name.to_string(), value]);
        }
        right_align(&mut stats, 1..2);
        out.keep_whole(&mut stats, 0..2);
    }
    let mut more = out.table();
    more.add_row(vec![
        l.billed.to_string(),
        fill(l.billed_value, &[("total", &billed.sum), ("avg", &f2(billed.avg))]),
    ]);
    more.add_row(vec![
        l.memory_row.to_string(),
        fill(
            l.memory_value,
            &[
                ("size", &int(memory.size)),
                ("max_used", &int(memory.max_used_max)),
                (
                    "utilization",
                    &memory
                        .utilization_pct
                        .map_or_else(|| "-".to_string(), |p| format!("{p:.1}%")),
                ),
                ("avg_used", &f2(memory.max_used_avg)),
            ],
        ),
    ]);
    out.keep_whole(&mut more, 0..1);
    let title = fill(l.duration_title, &[("count", &d.count)]);
    out.section(&title, [stats, more]);
}

pub(super) fn cold_starts(out: &mut Out, report: &Report) {
    let (c, l) = (&report.cold_starts, out.l);
    let mut table = out.table();
    table.add_row(vec![
        l.count.to_string(),
        fill(
            l.cold_starts_value,
            &[("count", &c.count), ("share", &pct(c.count, report.invocations))],
        ),
    ]);
    if c.restores > 0 {
        table.add_row(vec![l.snapstart_restores.to_string(), c.restores.to_string()]);
    }
    if c.count > 0 {
        table.add_row(vec![
            l.init_duration_row.to_string(),
            fill(
                l.init_duration_value,
                &[
                    ("avg", &f2(c.init_duration_ms.avg)),
                    ("max", &f2(c.init_duration_ms.max)),
                ],
            ),
        ]);
    }
    let init = report.init_failures;
    if !init.is_empty() {
        table.add_row(vec![
            l.init_failures_row.to_string(),
            fill(
                l.init_failures_value,
                &[("errors", &init.errors), ("timeouts", &init.timeouts)],
            ),
        ]);
    }
    out.keep_whole(&mut table, 0..1);
    out.section(l.cold_starts_title, [table]);
}

pub(super) fn cost(out: &mut Out, report: &Report) {
    let (c, l) = (&report.cost, out.l);
    if c.total_usd <= 0.0 && c.gb_seconds <= 0.0 {
        return;
    }
    let amounts = [c.compute_usd, c.requests_usd, c.total_usd];
    // One precision for all amounts, so the decimal points line up in the right-aligned column.
    let decimals = amounts
        .iter()
        .filter(|v| **v > 0.0)
        .map(|v| decimals_for(*v, 3))
        .max()
        .unwrap_or(2)
        .max(2);
    let usd = |v: f64| format!("${v:.decimals$}");
    let mut table = out.table();
    table.add_row(vec![
        l.gb_seconds.to_string(),
        format!("{:.*}", decimals_for(c.gb_seconds, 3), c.gb_seconds),
    ]);
    table.add_row(vec![l.compute.to_string(), usd(c.compute_usd)]);
    table.add_row(vec![l.requests.to_string(), usd(c.requests_usd)]);
    table.add_row(vec![l.total.to_string(), usd(c.total_usd)]);
    right_align(&mut table, 1..2);
    out.keep_whole(&mut table, 0..2);
    out.section(l.cost_title, [table]);
    let prices = fill(
        l.prices,
        &[
            ("per_gb_second", &c.usd_per_gb_second),
            ("per_million", &format_args!("{:.2}", c.usd_per_million_requests)),
        ],
    );
    out.line(&format!(" {prices}"));
}

pub(super) fn findings(out: &mut Out, report: &Report) {
    if report.findings.is_empty() {
        return;
    }
    let l = out.l;
    let mut table = out.table();
    table.set_header(vec![l.severity, l.kind, l.count, l.message]);
    for f in &report.findings {
        table.add_row(vec![
            out.colored(severity_name(f.severity, l), severity_color(f.severity)),
            Cell::new(escape_control(f.kind)),
            Cell::new(f.count),
            Cell::new(escape_control(&format!("{} {}", f.message, f.advice))),
        ]);
    }
    right_align(&mut table, 2..3);
    // The message (and its advice) wraps in its column.
    out.keep_whole(&mut table, 0..3);
    out.section(l.findings, [table]);
}

pub(super) fn input(out: &mut Out, report: &Report) {
    let (i, l) = (&report.input, out.l);
    let rows: Vec<_> = [
        (l.events, i.events),
        (l.unrecognized_lines, i.unrecognized_lines),
        (l.invalid_utf8_lines, i.invalid_utf8_lines),
        (l.oversized_lines_cut, i.oversized_lines),
        (l.filtered_events_row, i.filtered_events),
        (l.late_lines, i.late_lines),
        (l.values_cut, i.values_cut),
        (l.requests_closed_early, i.requests_closed_early),
        (l.repeated_starts, i.repeated_starts),
    ]
    .into_iter()
    .filter(|(_, count)| *count > 0)
    .collect();
    if rows.is_empty() {
        return;
    }
    let mut table = out.table();
    for (name, count) in rows {
        table.add_row(vec![name.to_string(), count.to_string()]);
    }
    right_align(&mut table, 1..2);
    out.keep_whole(&mut table, 0..2);
    out.section(l.input_title, [table]);
}
