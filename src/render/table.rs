//! The human report (`--format table`): sections of small aligned tables, built with comfy-table.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use comfy_table::{Cell, CellAlignment, Color, Table};

use super::view::{self, f2, int, pct};
use crate::redact::escape_control;
use crate::report::{Report, Severity, Timeline};
use crate::timeutil::rfc3339_to_local;

/// How the table looks on output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableStyle {
    /// Color decision words and severities with ANSI escapes (only these; nothing else is styled).
    pub color: bool,
    /// Show the window's times in the local time zone (the report itself stays UTC).
    pub local_time: bool,
}

/// Column lines drawn: only the rule under a header row.
pub(super) const PRESET: &str = "     ──             ";
/// Widest timeline bar, in terminal cells.
const BAR_WIDTH: u64 = 40;
/// Input errors listed in the header before the rest is summarized.
const MAX_LISTED_ERRORS: usize = 20;
const MAX_LISTED_IPS: usize = 10;

/// Renders the report as text for a terminal. Every log-derived string is escaped, so the output
/// holds no control byte unless `style.color` adds ANSI colors itself.
pub fn render(report: &Report, style: &TableStyle) -> String {
    let mut out = Out {
        text: String::new(),
        color: style.color,
        local_time: style.local_time,
    };
    header(&mut out, report);
    if report.invocations == 0 {
        out.text.push_str("\nno invocations found\n");
    } else {
        decisions(&mut out, report);
        denials(&mut out, report);
        top_denied_ips(&mut out, report);
        duration(&mut out, report);
        cold_starts(&mut out, report);
        cost(&mut out, report);
        timeline(&mut out, &report.timeline);
    }
    findings(&mut out, report);
    input(&mut out, report);
    out.text
}

struct Out {
    text: String,
    color: bool,
    local_time: bool,
}

impl Out {
    fn table(&self) -> Table {
        let mut table = Table::new();
        table.load_preset(PRESET);
        // No tty probing: the output must not depend on where stdout goes (and tests compare bytes).
        table.force_no_tty();
        if self.color {
            table.enforce_styling();
            table.style_text_only();
        }
        table
    }

    /// A word in its color when coloring is on.
    fn colored(&self, text: &str, color: Option<Color>) -> Cell {
        match color {
            Some(color) if self.color => Cell::new(text).fg(color),
            _ => Cell::new(text),
        }
    }

    fn section(&mut self, title: &str, tables: &[Table]) {
        self.text.push('\n');
        self.text.push_str(title);
        self.text.push('\n');
        for table in tables {
            self.text.push_str(&table.trim_fmt());
            self.text.push('\n');
        }
    }
}

fn right_align(table: &mut Table, columns: std::ops::Range<usize>) {
    for i in columns {
        if let Some(column) = table.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
}

fn decision_color(decision: &str) -> Option<Color> {
    match decision {
        "allowed" => Some(Color::Green),
        "denied" => Some(Color::Red),
        "timeout" => Some(Color::Yellow),
        "error" => Some(Color::Magenta),
        _ => None,
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
fn decimals_for(value: f64, significant: i32) -> usize {
    if !value.is_finite() || value <= 0.0 {
        return 0;
    }
    let magnitude = value.log10().floor() as i32;
    (significant - 1 - magnitude).clamp(0, 12) as usize
}

fn header(out: &mut Out, report: &Report) {
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
    let mut table = out.table();
    if window.start.is_some() || window.end.is_some() {
        table.add_row(vec![
            "window".to_string(),
            format!("{} → {}", opt_str(&start), opt_str(&end)),
        ]);
    }
    if window.first_event.is_some() || window.last_event.is_some() {
        table.add_row(vec![
            "events".to_string(),
            format!("{} → {}", opt_str(&first), opt_str(&last)),
        ]);
    }
    table.add_row(vec!["invocations".to_string(), report.invocations.to_string()]);
    if let Some(scan) = report.source.as_ref().and_then(|s| s.scan.as_ref()) {
        let approximate = report.source.as_ref().map_or(0, |s| s.approximate.len());
        table.add_row(vec![
            "engine".to_string(),
            format!(
                "Logs Insights: {} queries scanned {:.1} MB (about ${:.4}); {approximate} approximate parts (--format json: source.approximate)",
                scan.queries,
                scan.bytes_scanned as f64 / 1e6,
                scan.estimated_cost_usd
            ),
        ]);
    }
    let status = if report.complete {
        "complete".to_string()
    } else {
        let errors = &report.input_errors;
        let mut status = "PARTIAL".to_string();
        if !errors.is_empty() {
            let plural = if errors.len() == 1 { "" } else { "s" };
            status.push_str(&format!(": {} input error{plural}", errors.len()));
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
            status.push_str(&format!(
                "\n… {} more (all are in --format json)",
                errors.len() - MAX_LISTED_ERRORS
            ));
        }
        status
    };
    table.add_row(vec!["status".to_string(), status]);
    out.text.push_str("authlogs report\n");
    out.text.push_str(&table.trim_fmt());
    out.text.push('\n');
}

fn decisions(out: &mut Out, report: &Report) {
    let mut table = out.table();
    for r in view::decision_rows(report) {
        table.add_row(vec![
            out.colored(r.label, decision_color(r.label)),
            Cell::new(r.count),
            Cell::new(r.share),
            Cell::new(r.note),
        ]);
    }
    right_align(&mut table, 1..3);
    out.section("Decisions", &[table]);
}

fn denials(out: &mut Out, report: &Report) {
    let Some(rows) = view::denial_rows(report) else {
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
    let denied = report.decisions.denied;
    out.section(&format!("Denial reasons (of {denied} denied)"), &[table]);
}

fn top_denied_ips(out: &mut Out, report: &Report) {
    let ips = &report.top_denied_ips;
    if ips.is_empty() {
        return;
    }
    let mut table = out.table();
    table.set_header(vec!["ip", "denied", "ip mismatch", "token mismatch"]);
    for ip in ips.iter().take(MAX_LISTED_IPS) {
        table.add_row(vec![
            escape_control(&ip.ip).into_owned(),
            ip.count.to_string(),
            ip.ip_mismatch.to_string(),
            ip.token_mismatch.to_string(),
        ]);
    }
    right_align(&mut table, 1..4);
    let mut title = "Top denied IPs".to_string();
    if !report.top_denied_ips_exact {
        title.push_str(" (lower bound)");
    }
    out.section(&title, &[table]);
    if ips.len() > MAX_LISTED_IPS {
        out.text.push_str(&format!(
            " … {} more (all are in --format json)\n",
            ips.len() - MAX_LISTED_IPS
        ));
    }
}

fn duration(out: &mut Out, report: &Report) {
    let (d, billed, memory) = (&report.duration_ms, &report.billed_duration_ms, &report.memory_mb);
    if d.count == 0 && billed.sum == 0 && memory.size.is_none() {
        return;
    }
    let mut stats = out.table();
    stats.set_header(vec!["min", "avg", "p50", "p90", "p95", "p99", "max"]);
    stats.add_row([d.min, d.avg, d.p50, d.p90, d.p95, d.p99, d.max].map(f2).to_vec());
    right_align(&mut stats, 0..7);
    let mut more = out.table();
    more.add_row(vec![
        "billed".to_string(),
        format!("{} ms total, {} ms avg", billed.sum, f2(billed.avg)),
    ]);
    more.add_row(vec![
        "memory".to_string(),
        format!(
            "{} MB size, {} MB max used ({}), {} MB avg used",
            int(memory.size),
            int(memory.max_used_max),
            memory
                .utilization_pct
                .map_or_else(|| "-".to_string(), |p| format!("{p:.1}%")),
            f2(memory.max_used_avg)
        ),
    ]);
    out.section(&format!("Duration (ms, {} REPORT lines)", d.count), &[stats, more]);
}

fn cold_starts(out: &mut Out, report: &Report) {
    let c = &report.cold_starts;
    let mut table = out.table();
    table.add_row(vec![
        "count".to_string(),
        format!("{} ({} of invocations)", c.count, pct(c.count, report.invocations)),
    ]);
    if c.restores > 0 {
        table.add_row(vec!["snapstart restores".to_string(), c.restores.to_string()]);
    }
    if c.count > 0 {
        table.add_row(vec![
            "init duration".to_string(),
            format!(
                "{} ms avg, {} ms max",
                f2(c.init_duration_ms.avg),
                f2(c.init_duration_ms.max)
            ),
        ]);
    }
    out.section("Cold starts", &[table]);
}

fn cost(out: &mut Out, report: &Report) {
    let c = &report.cost;
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
        "GB-seconds".to_string(),
        format!("{:.*}", decimals_for(c.gb_seconds, 3), c.gb_seconds),
    ]);
    table.add_row(vec!["compute".to_string(), usd(c.compute_usd)]);
    table.add_row(vec!["requests".to_string(), usd(c.requests_usd)]);
    table.add_row(vec!["total".to_string(), usd(c.total_usd)]);
    right_align(&mut table, 1..2);
    out.section("Cost (Lambda, the authorizer itself)", &[table]);
    out.text.push_str(&format!(
        " at ${} per GB-second and ${:.2} per million requests\n",
        c.usd_per_gb_second, c.usd_per_million_requests
    ));
}

fn bucket_label(start: &str, with_date: bool, with_seconds: bool) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(start) else {
        return escape_control(start).into_owned();
    };
    let format = match (with_date, with_seconds) {
        (true, true) => "%Y-%m-%d %H:%M:%S",
        (true, false) => "%Y-%m-%d %H:%M",
        (false, true) => "%H:%M:%S",
        (false, false) => "%H:%M",
    };
    t.with_timezone(&Utc).format(format).to_string()
}

fn span_label(seconds: u64) -> String {
    match seconds {
        0 => "?".to_string(),
        s if s.is_multiple_of(86_400) => format!("{} d", s / 86_400),
        s if s.is_multiple_of(3_600) => format!("{} h", s / 3_600),
        s if s.is_multiple_of(60) => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// Cells of a bar for `count` out of `largest`: rounded, but never zero for a nonzero count.
fn cells(count: u64, largest: u64) -> usize {
    if count == 0 || largest == 0 {
        return 0;
    }
    // u128: a product of two u64 counts cannot overflow it.
    let scaled = (count as u128 * BAR_WIDTH as u128 + largest as u128 / 2) / largest as u128;
    scaled.clamp(1, BAR_WIDTH as u128) as usize
}

fn timeline(out: &mut Out, timeline: &Timeline) {
    let buckets = &timeline.buckets;
    if buckets.is_empty() {
        return;
    }
    let dates: Vec<Option<_>> = buckets
        .iter()
        .map(|b| {
            DateTime::parse_from_rfc3339(&b.start)
                .ok()
                .map(|t| t.with_timezone(&Utc).date_naive())
        })
        .collect();
    let with_date = timeline.bucket_seconds >= 86_400 || dates.windows(2).any(|w| w[0] != w[1]);
    let with_seconds = !timeline.bucket_seconds.is_multiple_of(60);
    let show_other = buckets.iter().any(|b| b.other > 0);
    let largest = buckets
        .iter()
        .map(|b| b.allowed.saturating_add(b.denied).saturating_add(b.other))
        .max()
        .unwrap_or(0);

    let mut table = out.table();
    let mut head = vec!["start", "", "allowed", "denied"];
    if show_other {
        head.push("other");
    }
    table.set_header(head);
    for b in buckets {
        let bar = format!(
            "{}{}{}",
            "█".repeat(cells(b.allowed, largest)),
            "▒".repeat(cells(b.denied, largest)),
            "░".repeat(cells(b.other, largest))
        );
        let mut row = vec![
            bucket_label(&b.start, with_date, with_seconds),
            bar,
            b.allowed.to_string(),
            b.denied.to_string(),
        ];
        if show_other {
            row.push(b.other.to_string());
        }
        table.add_row(row);
    }
    right_align(&mut table, 2..5);
    let legend = if show_other {
        "█ allowed ▒ denied ░ other"
    } else {
        "█ allowed ▒ denied"
    };
    out.section(
        &format!(
            "Timeline ({} buckets, UTC)  {legend}",
            span_label(timeline.bucket_seconds)
        ),
        &[table],
    );
}

fn findings(out: &mut Out, report: &Report) {
    if report.findings.is_empty() {
        return;
    }
    let mut table = out.table();
    table.set_header(vec!["severity", "kind", "count", "message"]);
    for f in &report.findings {
        table.add_row(vec![
            out.colored(f.severity.name(), severity_color(f.severity)),
            Cell::new(escape_control(f.kind)),
            Cell::new(f.count),
            Cell::new(escape_control(&format!("{} {}", f.message, f.advice))),
        ]);
    }
    right_align(&mut table, 2..3);
    out.section("Findings", &[table]);
}

fn input(out: &mut Out, report: &Report) {
    let i = &report.input;
    let rows: Vec<_> = [
        ("events", i.events),
        ("unrecognized lines", i.unrecognized_lines),
        ("invalid UTF-8 lines", i.invalid_utf8_lines),
        ("oversized lines (cut)", i.oversized_lines),
        ("filtered events", i.filtered_events),
        ("late lines", i.late_lines),
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
    out.section("Input", &[table]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;
    use crate::report::DeniedIp;
    use crate::source::InputError;

    const PLAIN: TableStyle = TableStyle {
        color: false,
        local_time: false,
    };

    #[test]
    fn realistic_report() {
        insta::assert_snapshot!(render(&fixtures::realistic(), &PLAIN));
    }

    #[test]
    fn empty_report() {
        insta::assert_snapshot!(render(&fixtures::empty(), &PLAIN));
    }

    #[test]
    fn log_text_cannot_carry_escapes() {
        let mut report = fixtures::realistic();
        report.top_denied_ips[0].ip = "203.0.113.9\x1b[2J".into();
        report.input_errors.push(InputError {
            input: "-".into(),
            position: "line 7".into(),
            message: "bad \x1b[2J\x07 line".into(),
        });
        report.findings[1].message = "crafted \u{9b}2J message".into();
        for color in [false, true] {
            let text = render(
                &report,
                &TableStyle {
                    color,
                    local_time: false,
                },
            );
            assert!(!text.contains("\x1b[2J"), "{text}");
            assert!(!text.contains('\u{9b}') && !text.contains('\x07'));
            assert!(text.contains("203.0.113.9\\x1b[2J"));
            assert!(text.contains("-: line 7: bad \\x1b[2J\\x07 line"));
        }
        assert!(!render(&report, &PLAIN).contains('\x1b'));
    }

    #[test]
    fn plain_has_no_escapes_and_color_only_styles_words() {
        let report = fixtures::realistic();
        let plain = render(&report, &PLAIN);
        assert!(!plain.contains('\x1b'));
        let colored = render(
            &report,
            &TableStyle {
                color: true,
                local_time: false,
            },
        );
        assert!(colored.contains('\x1b'));
        // Removing the color sequences gives back the plain text, line for line.
        let mut stripped = String::new();
        let mut rest = colored.as_str();
        while let Some(at) = rest.find('\x1b') {
            stripped.push_str(&rest[..at]);
            let end = rest[at..].find('m').map_or(rest.len(), |m| at + m + 1);
            rest = &rest[end..];
        }
        stripped.push_str(rest);
        assert_eq!(stripped, plain);
    }

    #[test]
    fn empty_report_says_so_without_dividing_by_zero() {
        let mut report = fixtures::empty();
        report.input.events = 12;
        report.input.unrecognized_lines = 12;
        let text = render(&report, &PLAIN);
        assert!(text.contains("no invocations found"));
        assert!(text.contains("unrecognized lines"));
        assert!(!text.contains("NaN") && !text.contains("inf"));
        assert!(!text.contains("Decisions"));
    }

    #[test]
    fn lower_bound_and_long_lists() {
        let mut report = fixtures::realistic();
        report.top_denied_ips_exact = false;
        report.top_denied_ips = (0..12)
            .map(|i| DeniedIp {
                ip: format!("192.0.2.{i}"),
                count: 20 - i,
                ip_mismatch: 20 - i,
                token_mismatch: 0,
            })
            .collect();
        let text = render(&report, &PLAIN);
        assert!(text.contains("Top denied IPs (lower bound)"));
        assert!(text.contains("192.0.2.9 ") && !text.contains("192.0.2.10 "));
        assert!(text.contains("… 2 more"));
    }

    #[test]
    fn timeline_spanning_days_shows_dates() {
        let mut report = fixtures::realistic();
        report.timeline.bucket_seconds = 43_200;
        report.timeline.buckets.truncate(3);
        for (b, start) in report
            .timeline
            .buckets
            .iter_mut()
            .zip(["2025-07-10T12:00:00Z", "2025-07-11T00:00:00Z", "x"])
        {
            b.start = start.into();
            b.other = 0;
        }
        let text = render(&report, &PLAIN);
        assert!(
            text.contains("Timeline (12 h buckets, UTC)  █ allowed ▒ denied\n"),
            "{text}"
        );
        assert!(text.contains(" 2025-07-10 12:00 ") && text.contains(" 2025-07-11 00:00 "));
        assert!(!text.contains("other"));
    }

    #[test]
    fn bars_scale_to_the_largest_bucket() {
        assert_eq!(cells(100, 100), 40);
        assert_eq!(cells(1, 1000), 1);
        assert_eq!(cells(0, 10), 0);
        assert_eq!(cells(5, 0), 0);
        assert_eq!(cells(u64::MAX, u64::MAX), 40);
        assert_eq!(decimals_for(0.000123, 3), 6);
        assert_eq!(decimals_for(12.5, 3), 1);
    }
}
