//! The human report (`--format table`): sections of small aligned tables, built with comfy-table.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use comfy_table::{Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table};
use unicode_width::UnicodeWidthStr;

use super::view::{self, f2, int, pct};
use crate::i18n::{fill, Labels, Lang};
use crate::redact::escape_control;
use crate::report::{Callers, Report, Severity, Timeline, TimelineBucket};
use crate::timeutil::rfc3339_to_local;

/// How the table looks on output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableStyle {
    /// Color decision words and severities with ANSI escapes (only these; nothing else is styled).
    pub color: bool,
    /// Show the window's times in the local time zone (the report itself stays UTC).
    pub local_time: bool,
    /// Fit every line into this many terminal cells (a terminal's width): long texts wrap inside
    /// their column and the timeline's bars shrink. `None` (piped output): every table as wide as
    /// its content.
    pub width: Option<u16>,
    /// The language of every heading, label and fixed phrase (numbers, names and log text are as
    /// they are).
    pub lang: Lang,
}

/// Column lines drawn: only the rule under a header row.
pub(super) const PRESET: &str = "     ──             ";
/// Widest timeline bar, in terminal cells.
const BAR_WIDTH: u64 = 40;
/// Narrowest timeline bar when the timeline has to fit a width.
const MIN_BAR_WIDTH: u64 = 1;
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
        width: style.width.map(usize::from),
        l: style.lang.labels(),
    };
    header(&mut out, report);
    if report.invocations == 0 {
        out.text.push('\n');
        out.line(out.l.no_invocations);
    } else {
        decisions(&mut out, report);
        denials(&mut out, report);
        top_denied_ips(&mut out, report);
    }
    // Access logs explain requests even when no invocation was read (every answer cached).
    if let Some(c) = &report.callers {
        callers(&mut out, c);
    }
    if report.invocations > 0 {
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
    /// `TableStyle::width`.
    width: Option<usize>,
    /// The labels of `TableStyle::lang`.
    l: &'static Labels,
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
        if self.width.is_some() {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        }
        table
    }

    /// Gives `table` the width to fit into, now that its rows are in. comfy-table counts the
    /// padding after the last column, which only the rule under a header draws; without a header
    /// the padding is trimmed, so the table may take one cell more.
    fn size(&self, table: &mut Table) {
        if let Some(width) = self.width {
            let width = if table.header().is_some() { width } else { width + 1 };
            table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
        }
    }

    /// A word in its color when coloring is on.
    fn colored(&self, text: &str, color: Option<Color>) -> Cell {
        match color {
            Some(color) if self.color => Cell::new(text).fg(color),
            _ => Cell::new(text),
        }
    }

    /// With a width, the `columns` of `table` keep the width of their content (numbers, names,
    /// labels): only the other columns wrap to make the table fit.
    fn keep_whole(&self, table: &mut Table, columns: std::ops::Range<usize>) {
        if self.width.is_none() {
            return;
        }
        for i in columns {
            if let Some(column) = table.column_mut(i) {
                column.set_constraint(ColumnConstraint::ContentWidth);
            }
        }
    }

    /// The table's lines, without trailing blanks. With a width, a table that does not fit even
    /// with its long texts wrapped is drawn again with every column allowed to wrap.
    fn draw(&self, mut table: Table) -> String {
        self.size(&mut table);
        let text = table.trim_fmt();
        match self.width {
            Some(width) if widest(&text) > width => {
                for column in table.column_iter_mut() {
                    column.remove_constraint();
                }
                table.trim_fmt()
            }
            _ => text,
        }
    }

    /// Whether `table` fits the width as drawn (always without a width).
    fn fits(&self, table: &mut Table) -> bool {
        self.size(table);
        self.width.is_none_or(|width| widest(&table.trim_fmt()) <= width)
    }

    /// A line of text (without its newline), wrapped at spaces to the width.
    fn line(&mut self, text: &str) {
        for line in wrap(text, self.width) {
            self.text.push_str(&line);
            self.text.push('\n');
        }
    }

    fn section(&mut self, title: &str, tables: impl IntoIterator<Item = Table>) {
        self.text.push('\n');
        self.line(title);
        for table in tables {
            let text = self.draw(table);
            self.text.push_str(&text);
            self.text.push('\n');
        }
    }
}

/// Terminal cells `text` takes: double-width characters count 2, ANSI color sequences nothing.
pub(crate) fn display_width(text: &str) -> usize {
    let mut width = 0;
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        width += rest[..at].width();
        // A CSI sequence (`ESC [ … final byte`), as comfy-table and `tail` write colors.
        let tail = &rest[at + 1..];
        let end = match tail.strip_prefix('[') {
            Some(csi) => csi
                .find(|c: char| ('\u{40}'..='\u{7e}').contains(&c))
                .map_or(tail.len(), |i| 1 + i + 1),
            None => 0,
        };
        rest = &tail[end..];
    }
    width + rest.width()
}

/// The widest line of `text`, in terminal cells.
pub(crate) fn widest(text: &str) -> usize {
    text.lines().map(display_width).max().unwrap_or(0)
}

/// `text` in lines of at most `width` cells, broken at spaces (a word wider than that is broken
/// where it must be); continuation lines keep the leading spaces of the first. Unchanged when it
/// fits or without a width.
fn wrap(text: &str, width: Option<usize>) -> Vec<String> {
    let Some(width) = width.filter(|w| display_width(text) > *w && *w > 0) else {
        return vec![text.to_string()];
    };
    let body = text.trim_start_matches(' ');
    let mut indent = &text[..text.len() - body.len()];
    if indent.len() >= width {
        indent = "";
    }
    let mut lines = Vec::new();
    let mut line = indent.to_string();
    let mut line_width = indent.len();
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        let mut word = word;
        loop {
            let word_width = display_width(word);
            let gap = usize::from(line_width > indent.len());
            if line_width + gap + word_width <= width {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                line_width += gap + word_width;
                break;
            }
            if line_width > indent.len() {
                lines.push(std::mem::replace(&mut line, indent.to_string()));
                line_width = indent.len();
                continue;
            }
            // A word wider than a whole line: as much of it as fits (at least one character).
            let room = width - indent.len();
            let mut cut = 0;
            let mut cut_width = 0;
            for (i, c) in word.char_indices() {
                let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if cut_width + w > room && cut > 0 {
                    break;
                }
                cut = i + c.len_utf8();
                cut_width += w;
            }
            line.push_str(&word[..cut]);
            lines.push(std::mem::replace(&mut line, indent.to_string()));
            line_width = indent.len();
            word = &word[cut..];
            if word.is_empty() {
                break;
            }
        }
    }
    if line_width > indent.len() {
        lines.push(line);
    }
    lines
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

fn decisions(out: &mut Out, report: &Report) {
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

fn denials(out: &mut Out, report: &Report) {
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

fn top_denied_ips(out: &mut Out, report: &Report) {
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

/// Caller IPs listed after the cached decisions for another IP.
const MAX_LISTED_CALLERS: usize = 5;

/// The callers section: every access-log request by what answered it, then what the classes
/// alone do not say (cached decisions reused for another IP, invocations no request explains,
/// how the join was made).
fn callers(out: &mut Out, c: &Callers) {
    let l = out.l;
    // No-break spaces: a count stays with what it counts when a list wraps.
    let times = "\u{a0}×\u{a0}";
    let mut classes = out.table();
    classes.add_row(vec![
        Cell::new(l.requests),
        Cell::new(c.requests),
        Cell::new(""),
        Cell::new(fill(l.callers_invoked_note, &[("invoked", &c.authorizer_invoked)])),
    ]);
    for r in view::caller_rows(c, l) {
        let color = match r.key {
            "fresh.allow" | "cached.allow" => decision_color("allowed"),
            "fresh.deny" | "cached.deny" => decision_color("denied"),
            "authorizer_failed" => decision_color("error"),
            _ => None,
        };
        let note = match (r.key, c.authorizer_errors.first()) {
            ("authorizer_failed", Some(top)) => fill(
                l.authorizer_failed_top,
                &[(
                    "error",
                    &format_args!("{} ({}×)", escape_control(&top.error), top.count),
                )],
            ),
            _ => r.note.to_string(),
        };
        classes.add_row(vec![
            out.colored(r.label, color),
            Cell::new(r.count),
            Cell::new(r.share),
            Cell::new(note),
        ]);
    }
    right_align(&mut classes, 1..3);
    out.keep_whole(&mut classes, 0..3);

    let mut more = out.table();
    if !c.by_status.is_empty() {
        let statuses: Vec<String> = c
            .by_status
            .iter()
            .map(|s| format!("{}{times}{}", view::status_label(s.status, l), s.count))
            .collect();
        more.add_row(vec![l.by_status.to_string(), statuses.join(" · ")]);
    }
    let basis = view::basis_words(c.cached_other_ip_basis, l);
    let mut other_ip = if view::cached_other_ip_known(c) {
        fill(
            l.cached_other_ip_value,
            &[("count", &c.cached_other_ip), ("basis", &basis)],
        )
    } else {
        fill(l.cached_other_ip_unknown, &[("basis", &basis)])
    };
    if !c.cached_other_ip_callers.is_empty() {
        let mut ips: Vec<String> = c
            .cached_other_ip_callers
            .iter()
            .take(MAX_LISTED_CALLERS)
            .map(|ip| format!("{}{times}{}", escape_control(&ip.ip), ip.count))
            .collect();
        if c.cached_other_ip_callers.len() > MAX_LISTED_CALLERS {
            let rest = c.cached_other_ip_callers.len() - MAX_LISTED_CALLERS;
            ips.push(fill(l.more_in_json, &[("count", &rest)]));
        }
        other_ip.push('\n');
        other_ip.push_str(&fill(l.from_ips, &[("ips", &ips.join(" · "))]));
    }
    more.add_row(vec![l.cached_other_ip.to_string(), other_ip]);
    more.add_row(vec![
        l.unmatched_invocations.to_string(),
        c.unmatched_invocations.to_string(),
    ]);
    let j = &c.join;
    let mut join = fill(
        l.join_value,
        &[
            ("method", &view::join_method_words(j.method, l)),
            ("by_request_id", &j.by_request_id),
            ("by_ip_time", &j.by_ip_time),
            ("window", &view::ms_words(j.window_ms, l)),
            ("ambiguous", &j.ambiguous),
        ],
    );
    if j.without_ip_or_time > 0 {
        join.push_str(&fill(l.join_without_ip_or_time, &[("count", &j.without_ip_or_time)]));
    }
    more.add_row(vec![l.join.to_string(), join]);
    if c.unreadable_records > 0 {
        let value = match &c.first_unreadable_record {
            Some(first) => fill(
                l.unreadable_records_value,
                &[("count", &c.unreadable_records), ("first", &escape_control(first))],
            ),
            None => c.unreadable_records.to_string(),
        };
        more.add_row(vec![l.unreadable_records.to_string(), value]);
    }
    out.keep_whole(&mut more, 0..1);
    out.section(l.callers_title, [classes, more]);
}

fn duration(out: &mut Out, report: &Report) {
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

fn cold_starts(out: &mut Out, report: &Report) {
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
    out.keep_whole(&mut table, 0..1);
    out.section(l.cold_starts_title, [table]);
}

fn cost(out: &mut Out, report: &Report) {
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

fn span_label(seconds: u64, l: &Labels) -> String {
    let (unit, n) = match seconds {
        0 => return "?".to_string(),
        s if s.is_multiple_of(86_400) => (l.days, s / 86_400),
        s if s.is_multiple_of(3_600) => (l.hours, s / 3_600),
        s if s.is_multiple_of(60) => (l.minutes, s / 60),
        s => (l.seconds, s),
    };
    fill(unit, &[("n", &n)])
}

/// Cells of a bar for `count` out of `largest` in bars at most `bar_width` wide: rounded, but
/// never zero for a nonzero count (unless `bar_width` is 0).
fn cells(count: u64, largest: u64, bar_width: u64) -> usize {
    if count == 0 || largest == 0 || bar_width == 0 {
        return 0;
    }
    // u128: a product of two u64 counts cannot overflow it.
    let scaled = (count as u128 * bar_width as u128 + largest as u128 / 2) / largest as u128;
    scaled.clamp(1, bar_width as u128) as usize
}

/// The bar of one bucket: allowed, denied and other cells.
fn bar(b: &TimelineBucket, largest: u64, bar_width: u64) -> String {
    format!(
        "{}{}{}",
        "█".repeat(cells(b.allowed, largest, bar_width)),
        "▒".repeat(cells(b.denied, largest, bar_width)),
        "░".repeat(cells(b.other, largest, bar_width))
    )
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

    let l = out.l;
    let table_of = |bar_width: u64| {
        let mut table = out.table();
        let mut head = vec![l.start, "", l.allowed, l.denied];
        if show_other {
            head.push(l.other);
        }
        table.set_header(head);
        for b in buckets {
            let mut row = vec![
                bucket_label(&b.start, with_date, with_seconds),
                bar(b, largest, bar_width),
                b.allowed.to_string(),
                b.denied.to_string(),
            ];
            if show_other {
                row.push(b.other.to_string());
            }
            table.add_row(row);
        }
        right_align(&mut table, 2..5);
        // Bars are never wrapped: they shrink instead.
        out.keep_whole(&mut table, 0..5);
        table
    };
    let mut bar_width = BAR_WIDTH;
    if let Some(width) = out.width {
        // Cells left for the bars: the width less the table with empty bars (a column is at
        // least one cell wide, even empty).
        let rest = widest(&out.draw(table_of(0))).saturating_sub(1);
        let room = width.saturating_sub(rest) as u64;
        let widest_bar = |bar_width| {
            buckets
                .iter()
                .map(|b| bar(b, largest, bar_width).chars().count() as u64)
                .max()
                .unwrap_or(0)
        };
        // Rounding and the one cell of a small count may make a bar a little longer than asked.
        while bar_width > MIN_BAR_WIDTH && widest_bar(bar_width) > room {
            bar_width -= 1;
        }
    }
    let table = table_of(bar_width);
    let mut legend = format!("█ {} ▒ {}", l.allowed, l.denied);
    if show_other {
        legend.push_str(&format!(" ░ {}", l.other));
    }
    let span = span_label(timeline.bucket_seconds, l);
    let title = fill(l.timeline_title, &[("span", &span)]);
    out.section(&format!("{title}  {legend}"), [table]);
}

fn findings(out: &mut Out, report: &Report) {
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

fn input(out: &mut Out, report: &Report) {
    let (i, l) = (&report.input, out.l);
    let rows: Vec<_> = [
        (l.events, i.events),
        (l.unrecognized_lines, i.unrecognized_lines),
        (l.invalid_utf8_lines, i.invalid_utf8_lines),
        (l.oversized_lines_cut, i.oversized_lines),
        (l.filtered_events_row, i.filtered_events),
        (l.late_lines, i.late_lines),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;
    use crate::report::DeniedIp;
    use crate::source::InputError;

    const PLAIN: TableStyle = TableStyle {
        color: false,
        local_time: false,
        width: None,
        lang: Lang::En,
    };

    const JAPANESE: TableStyle = TableStyle {
        lang: Lang::Ja,
        ..PLAIN
    };

    #[test]
    fn realistic_report() {
        insta::assert_snapshot!(render(&fixtures::realistic(), &PLAIN));
    }

    #[test]
    fn realistic_report_in_japanese() {
        let mut report = fixtures::realistic();
        report.findings = samples_report(Lang::Ja).findings;
        insta::assert_snapshot!(render(&report, &JAPANESE));
    }

    #[test]
    fn report_with_callers() {
        insta::assert_snapshot!(render(&fixtures::with_callers(), &PLAIN));
    }

    #[test]
    fn report_with_callers_in_japanese() {
        insta::assert_snapshot!(render(&fixtures::with_callers(), &JAPANESE));
    }

    /// The callers section's log text (error texts, caller IPs, the first unreadable record) is
    /// escaped, fits 80 columns, and never shows a token.
    #[test]
    fn callers_log_text_is_escaped_and_fits() {
        let report = fixtures::hostile_callers();
        for lang in [Lang::En, Lang::Ja] {
            for color in [false, true] {
                let style = TableStyle {
                    color,
                    local_time: false,
                    width: Some(80),
                    lang,
                };
                let text = render(&report, &style);
                assert!(text.lines().all(|l| display_width(l) <= 80), "{lang:?}\n{text}");
                assert!(!text.contains('\x07') && !text.contains('\u{202e}'), "{text}");
                assert!(!text.contains("\x1b[2J") && !text.contains("\x1b]"), "{text}");
                assert_eq!(color, text.contains('\x1b'), "only colors are escapes");
                let all = squeezed(&text);
                for shown in [
                    "\\x1b[2J\\x1b]0;pwned\\x07<script>alert(1)</script>",
                    "=HYPERLINK(\"http://evil.example/\",\"x\")\u{a0}×\u{a0}30",
                    "\\x07\\u{202e}<script>x</script>",
                    "$context.authorizer.ip",
                ] {
                    assert!(all.contains(&squeezed(shown)), "{shown} in\n{text}");
                }
                assert!(!text.contains("tok:") && !text.contains("Ab12Xy34"));
            }
        }
        let plain = render(&report, &PLAIN);
        for row in [
            " requests                  1260           the authorizer ran for 402 of them\n",
            " cached allow               702   55.7%   no invocation: API Gateway reused a cached allow\n",
            " invocations with no API request   10\n",
        ] {
            assert!(plain.contains(row), "{row} in\n{plain}");
        }
        assert!(plain.contains(" by status                         no status\u{a0}×\u{a0}1 · 200\u{a0}×\u{a0}1008 · "));
    }

    /// Access logs with no invocation read (every answer came from the cache): the callers are
    /// still shown; a basis that cannot tell cached decisions for another IP says so instead of 0.
    #[test]
    fn callers_without_invocations_or_a_basis() {
        let mut report = fixtures::empty();
        let mut callers = fixtures::callers();
        callers.cached_other_ip = 0;
        callers.cached_other_ip_basis = "none";
        callers.cached_other_ip_callers.clear();
        callers.fresh.unknown = 0;
        callers.join = crate::report::Join {
            method: "none",
            window_ms: 2500,
            without_ip_or_time: 3,
            ..Default::default()
        };
        report.callers = Some(callers);
        let text = render(&report, &PLAIN);
        assert!(text.contains("no invocations found\n\nWhat callers saw"), "{text}");
        assert!(text.contains(
            " cached decision for another IP    cannot be told: add $context.authorizer.ip to the access-log format"
        ));
        assert!(text.contains(
            " join                              no request matched an invocation: 0 by request id, 0 by IP and time within 2500 ms, 0 ambiguous, 3 without IP or time\n"
        ), "{text}");
        assert!(!text.contains("decision unknown"));
        assert!(!text.contains("Decisions"));
    }

    /// Every heading, label and fixed phrase of the table is translated: none of the English
    /// ones is left in the Japanese table (whose numbers, names and log text are the same).
    #[test]
    fn the_japanese_table_has_no_english_heading_or_label() {
        let mut report = fixtures::with_callers();
        report.findings = samples_report(Lang::Ja).findings;
        report.top_denied_ips_exact = false;
        report.source = Some(crate::report::SourceInfo {
            scan: Some(crate::report::ScanInfo {
                queries: 3,
                bytes_scanned: 1_500_000,
                estimated_cost_usd: 0.0075,
                ..Default::default()
            }),
            ..Default::default()
        });
        report.input.oversized_lines = 1;
        report.input.filtered_events = 2;
        report.input.invalid_utf8_lines = 3;
        let english = render(&report, &PLAIN);
        let japanese = render(&report, &JAPANESE);
        for word in [
            "authlogs report",
            "window",
            "invocations",
            "PARTIAL",
            "input error",
            "Decisions",
            "allowed",
            "denied",
            "incomplete",
            "Denial reasons",
            "mismatch",
            "Top denied IPs",
            "lower bound",
            "Duration",
            "billed",
            "MB size",
            "max used",
            "Cold starts",
            "snapstart",
            "Cost",
            "GB-seconds",
            "per million",
            "Timeline",
            "buckets",
            "severity",
            "Findings",
            "Input",
            "unrecognized",
            "oversized",
            "filtered",
            "queries scanned",
            "approximate parts",
            "high",
            "What callers saw",
            "access logs",
            "fresh allow",
            "cached allow",
            "cached deny",
            "identity missing",
            "authorizer failed",
            "authorizer ran",
            "most frequent error",
            "no status",
            "by status",
            "another IP",
            "IP check",
            "no API request",
            "by request id",
            "ambiguous",
            "unreadable",
        ] {
            assert!(english.contains(word), "{word} is not in the English table");
            assert!(!japanese.contains(word), "{word} is in the Japanese table:\n{japanese}");
        }
        for word in [
            "authlogs レポート",
            "判定",
            "許可",
            "拒否",
            "タイムアウト",
            "拒否の理由",
            "検出事項",
            "重要度",
            "コールドスタート",
            "推移 (1 時間ごと、UTC)",
            "呼び出し元が受け取った応答",
            "キャッシュで許可",
            "401 認証情報なし",
            "オーソライザー失敗 (500)",
            "別の IP 向けのキャッシュ判定",
            "突き合わせ",
        ] {
            assert!(japanese.contains(word), "{word} is not in\n{japanese}");
        }
        // The same numbers, names and log text in both.
        for same in [
            "203.0.113.9",
            "2998.77",
            "$0.0000862",
            "logs/2025/07/11/000001.gz",
            "secret_logged",
        ] {
            assert!(english.contains(same) && japanese.contains(same), "{same}");
        }
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
                    width: None,
                    lang: Lang::En,
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
                width: None,
                lang: Lang::En,
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

    /// The report of the shipped `samples/filter-log-events.json` (long findings), its findings
    /// in `lang`.
    fn samples_report(lang: Lang) -> Report {
        use crate::analyze::AnalyzeConfig;
        use crate::engine::{Pipeline, PipelineConfig, Threads};
        use crate::source::{InputFormat, ReadOptions};
        let config = PipelineConfig {
            analyze: AnalyzeConfig {
                lang,
                ..AnalyzeConfig::default()
            },
            ..PipelineConfig::default()
        };
        let mut p = Pipeline::new(crate::parse::Parser::new(crate::Patterns::builtin()), config, None);
        let input = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/filter-log-events.json");
        p.read_inputs(
            &[input],
            ReadOptions::new(InputFormat::Auto),
            Threads::Fixed(1),
            8 << 20,
        )
        .expect("the samples read");
        p.finish()
    }

    /// The realistic report with findings far longer than a terminal line, one of them Japanese
    /// (double-width, without spaces), and a long input error and IP.
    fn long_texts_report() -> Report {
        let mut report = fixtures::realistic();
        report.findings[0].message = "the allowed token is written to the log in plain text on every single \
            invocation of the authorizer, so that anyone who may read the log group (developers, support \
            staff, log shipping pipelines, third-party observability vendors) can call the API as any client"
            .into();
        report.findings[0].advice = "Remove the 'Allowed Token' log line, rotate the token at once, and expire \
            the old log events that hold it (a retention policy or a one-off deletion)."
            .into();
        report.findings[1].message =
            "トークンがログに平文で書き込まれています。ロググループを読めるすべての人がAPIを呼び出せます。".into();
        report.findings[1].advice = "ログ行を削除し、トークンを直ちに更新してください。".into();
        report.findings[2].message = format!("a-very-long-unbroken-word-{} ends here", "x".repeat(120));
        report.input_errors[0].input = format!("logs/{}/000001.gz", "deeply/nested/directory".repeat(6));
        report.top_denied_ips[0].ip = "2001:0db8:85a3:0000:0000:8a2e:0370:7334".into();
        report
    }

    /// Text without ANSI colors or any whitespace: what a wrapped text reads as, whatever its breaks.
    fn squeezed(text: &str) -> String {
        let mut plain = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('\x1b') {
            plain.push_str(&rest[..at]);
            rest = &rest[at..];
            rest = &rest[rest.find('m').map_or(rest.len(), |m| m + 1)..];
        }
        plain.push_str(rest);
        plain.split_whitespace().collect()
    }

    /// The reports the width tests render, in English and in Japanese (the samples' findings in
    /// the language of the table).
    fn width_cases() -> Vec<(&'static str, Lang, Report)> {
        let mut cases = Vec::new();
        for lang in [Lang::En, Lang::Ja] {
            cases.push(("samples", lang, samples_report(lang)));
            cases.push(("realistic", lang, fixtures::realistic()));
            cases.push(("long texts", lang, long_texts_report()));
            cases.push(("hostile callers", lang, fixtures::hostile_callers()));
        }
        cases
    }

    #[test]
    fn every_line_fits_the_width_and_keeps_every_word() {
        for (name, lang, report) in width_cases() {
            assert!(!report.findings.is_empty(), "{name}");
            let l = lang.labels();
            let ips_title = format!("\n{}\n", l.top_denied_ips_title);
            let timeline_title = l.timeline_title.split('(').next().unwrap_or_default();
            for width in [80, 100, 60] {
                for color in [false, true] {
                    let style = TableStyle {
                        color,
                        local_time: false,
                        width: Some(width),
                        lang,
                    };
                    let text = render(&report, &style);
                    for line in text.lines() {
                        assert!(
                            display_width(line) <= usize::from(width),
                            "{name} ({lang:?}) at {width}: {} cells: {line}\n{text}",
                            display_width(line)
                        );
                    }
                    // Only a column's own text is on its continuation lines: the message and its
                    // advice read on, in order, once the breaks are taken out.
                    let all = squeezed(&text);
                    for f in &report.findings {
                        let message = squeezed(&escape_control(&format!("{} {}", f.message, f.advice)));
                        assert!(all.contains(&message), "{name} at {width}: {message} is not in\n{text}");
                        for word in f.message.split_whitespace().chain(f.advice.split_whitespace()) {
                            assert!(all.contains(word), "{name} at {width}: {word}");
                        }
                        assert!(text.contains(&format!(" {} ", f.kind)), "{name} at {width}: {}", f.kind);
                    }
                    // A long address wraps in its column (its parts start the lines), the counts
                    // stay whole.
                    let ips: String = text
                        .split(ips_title.as_str())
                        .nth(1)
                        .and_then(|rest| rest.split("\n\n").next())
                        .expect("the top denied IPs")
                        .lines()
                        .skip_while(|l| !l.starts_with('─'))
                        .skip(1)
                        .filter_map(|l| l.strip_prefix(' ').filter(|l| !l.starts_with(' ')))
                        .filter_map(|l| l.split_whitespace().next())
                        .collect();
                    let expected: String = report.top_denied_ips.iter().map(|ip| ip.ip.as_str()).collect();
                    assert_eq!(ips, expected, "{name} at {width}\n{text}");
                    for error in &report.input_errors {
                        assert!(all.contains(&squeezed(&error.input)), "{name} at {width}");
                    }
                    // Every bucket still has its bar, the largest the longest.
                    let bars = text
                        .lines()
                        .filter(|l| !l.starts_with(timeline_title))
                        .filter(|l| l.contains('█') || l.contains('▒') || l.contains('░'))
                        .count();
                    let busy = report
                        .timeline
                        .buckets
                        .iter()
                        .filter(|b| b.allowed + b.denied + b.other > 0);
                    assert_eq!(bars, busy.count(), "{name} at {width}\n{text}");
                }
            }
        }
    }

    #[test]
    fn without_a_width_or_with_room_the_tables_are_as_wide_as_their_content() {
        let mut cases = width_cases();
        cases.push(("empty", Lang::En, fixtures::empty()));
        cases.push(("empty", Lang::Ja, fixtures::empty()));
        for (name, lang, report) in cases {
            let plain = TableStyle { lang, ..PLAIN };
            let piped = render(&report, &plain);
            let room = u16::try_from(widest(&piped)).expect("narrower than u16::MAX");
            for width in [room, room + 1, u16::MAX] {
                let style = TableStyle {
                    width: Some(width),
                    ..plain
                };
                assert_eq!(render(&report, &style), piped, "{name} ({lang:?}) at {width}");
            }
            assert_ne!(
                render(
                    &report,
                    &TableStyle {
                        width: Some(room - 1),
                        ..plain
                    }
                ),
                piped,
                "{name} ({lang:?})"
            );
        }
    }

    #[test]
    fn a_narrow_width_shrinks_bars_and_lists_the_durations() {
        let report = fixtures::realistic();
        let text = render(
            &report,
            &TableStyle {
                width: Some(50),
                ..PLAIN
            },
        );
        assert!(text.lines().all(|l| display_width(l) <= 50), "{text}");
        // The largest bucket (62 + 38 + 2) keeps the longest bar.
        let bar = |line: &str| line.chars().filter(|c| matches!(c, '█' | '▒' | '░')).count();
        let longest = text.lines().map(bar).max().unwrap_or(0);
        let line = text
            .lines()
            .find(|l| l.starts_with(" 02:00 "))
            .expect("the 02:00 bucket");
        assert_eq!(bar(line), longest, "{text}");
        assert!(longest < BAR_WIDTH as usize);
        // Seven numbers do not fit side by side: one a row, never broken.
        assert!(text.contains("\n max   2998.77\n"), "{text}");
        // The price line wraps under itself.
        assert!(
            text.contains("\n at $0.0000166667 per GB-second and $0.20 per\n million requests\n"),
            "{text}"
        );
    }

    #[test]
    fn wrapping_measures_cells_and_breaks_only_words_wider_than_a_line() {
        assert_eq!(wrap("short", Some(10)), ["short"]);
        assert_eq!(wrap("  two  spaces kept", None), ["  two  spaces kept"]);
        assert_eq!(
            wrap(" at one two three four", Some(10)),
            [" at one", " two three", " four"]
        );
        assert_eq!(
            wrap(" at one two three four", Some(9)),
            [" at one", " two", " three", " four"]
        );
        // Double-width characters count two cells.
        assert_eq!(wrap("トークン ログ", Some(9)), ["トークン", "ログ"]);
        assert_eq!(wrap("トークンログ", Some(5)), ["トー", "クン", "ログ"]);
        assert_eq!(wrap("abcdefghij k", Some(4)), ["abcd", "efgh", "ij k"]);
        assert_eq!(display_width("\x1b[38;5;9mhigh\x1b[39m ト"), 7);
        assert_eq!(widest("ab\nトークン\n"), 8);
    }

    #[test]
    fn bars_scale_to_the_largest_bucket() {
        assert_eq!(cells(100, 100, BAR_WIDTH), 40);
        assert_eq!(cells(1, 1000, BAR_WIDTH), 1);
        assert_eq!(cells(0, 10, BAR_WIDTH), 0);
        assert_eq!(cells(5, 0, BAR_WIDTH), 0);
        assert_eq!(cells(u64::MAX, u64::MAX, BAR_WIDTH), 40);
        assert_eq!(cells(50, 100, 7), 4);
        assert_eq!(cells(5, 10, 0), 0);
        assert_eq!(decimals_for(0.000123, 3), 6);
        assert_eq!(decimals_for(12.5, 3), 1);
    }
}
