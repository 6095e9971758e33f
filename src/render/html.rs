//! The report as one self-contained HTML page: no script, no external asset, charts as inline SVG,
//! light and dark, printable. maud escapes every value from a log (the callers section's log text
//! has its control characters escaped too); a Content-Security-Policy forbids scripts even if
//! something slipped through.

mod charts;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::audit::AuditReport;
use crate::i18n::{fill, Labels, Lang};
use crate::redact::escape_control;
use crate::report::{Callers, Finding, Report, Severity, SourceInfo};
use charts::{Bar, Segment, ACCENT, ALLOWED, DENIED, OTHER, PURPLE, WARN};

use super::view::{self, decision_rows, pct};

/// No script, no fetch: styles inline, images only as data.
pub(super) const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

pub(super) const STYLE: &str = r#"
:root { --bg: #ffffff; --fg: #1d2330; --muted: #5b6475; --card: #f4f6f9; --line: #d9dee6;
        --allowed: #2e9d57; --denied: #d64545; --other: #8a8f98; --warn: #e08a1e; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15181e; --fg: #e6e9ef; --muted: #9aa3b2; --card: #1f242c; --line: #343b47; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1040px; padding: 24px; background: var(--bg); color: var(--fg);
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 16px 0; }
.card { background: var(--card); border-radius: 8px; padding: 10px 12px; }
.card .n { font-size: 22px; font-weight: 600; } .card .l { color: var(--muted); font-size: 12px; }
.allowed { color: var(--allowed); } .denied { color: var(--denied); }
table { border-collapse: collapse; margin: 6px 0; } td, th { padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr + tr td { border-top: 1px solid var(--line); }
figure { margin: 6px 0; overflow-x: auto; } figure svg { max-width: 100%; height: auto; }
figure svg text { fill: var(--fg); } figure svg line { stroke: var(--fg); }
figure svg > rect:first-child { fill: transparent; }
.legend span { display: inline-block; margin-right: 14px; font-size: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.finding { border-left: 4px solid var(--other); background: var(--card); padding: 8px 12px; margin: 8px 0; border-radius: 0 6px 6px 0; }
.finding.high { border-color: var(--denied); } .finding.medium { border-color: var(--warn); } .finding.low { border-color: #c9b037; }
.finding h3 { font-size: 14px; margin: 0 0 4px; } .finding p { margin: 4px 0; }
.sev { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; padding: 1px 6px; border-radius: 4px; background: var(--line); margin-right: 6px; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; } @media (max-width: 760px) { .two { grid-template-columns: 1fr; } }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print { body { max-width: none; padding: 0; } section { break-inside: avoid; } .card { border: 1px solid #ccc; } }
"#;

fn legend(items: &[(&str, &str)]) -> Markup {
    html! {
        div.legend {
            @for (label, color) in items {
                span { i style={ "background:" (color) } {} (label) }
            }
        }
    }
}

/// An SVG drawn by plotters (which escapes the text it writes), or a note that it could not be.
fn chart(name: &str, svg: charts::ChartResult, l: &Labels, data: &[(&str, u64)]) -> Markup {
    let attrs: String = data
        .iter()
        .map(|(k, v)| format!(" data-{k}=\"{v}\""))
        .collect::<String>();
    html! {
        (PreEscaped(format!("<figure data-chart=\"{name}\"{attrs}>")))
        @match svg {
            Ok(svg) => (PreEscaped(svg)),
            Err(_) => p.muted { (l.chart_unavailable) },
        }
        (PreEscaped("</figure>"))
    }
}

fn severity_name(s: Severity, l: &Labels) -> &'static str {
    match s {
        Severity::High => l.severity_high,
        Severity::Medium => l.severity_medium,
        Severity::Low => l.severity_low,
        Severity::Info => l.severity_info,
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.2}"))
}

/// The page of `report`.
// The report alone: the renderer's tests; the binary always passes what --audit read.
#[cfg(test)]
pub fn render(report: &Report, lang: Lang) -> String {
    render_with(report, None, lang)
}

/// The report, with `report --audit`'s audit as a section after the findings (the audit page's
/// own pieces, in the audit's language).
pub fn render_with(report: &Report, audit: Option<&AuditReport>, lang: Lang) -> String {
    let l = lang.labels();
    let w = &report.window;
    let title = format!(
        "{} {} – {}",
        l.report_title,
        w.start.as_deref().unwrap_or("?"),
        w.end.as_deref().unwrap_or("?")
    );
    let page = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style {
                    (PreEscaped(STYLE))
                    @if audit.is_some() { (PreEscaped(crate::render::audit::html::AUDIT_STYLE)) }
                }
            }
            body {
                header {
                    h1 { (l.report_title) }
                    p.muted {
                        (l.window) ": " (w.start.as_deref().unwrap_or("–")) " → " (w.end.as_deref().unwrap_or("–"))
                        " · " (l.status) ": "
                        @if report.complete { (l.complete) } @else { strong.denied { (l.partial) } }
                    }
                }
                (cards(report, l))
                @if report.invocations == 0 {
                    p { (l.no_invocations) }
                } @else {
                    (decisions(report, l))
                    (timeline(report, l))
                    (denied_ips(report, l))
                }
                // Access logs explain requests even when no invocation was read (every answer cached).
                @if let Some(c) = &report.callers {
                    (callers(c, l))
                }
                @if report.invocations > 0 {
                    (durations(report, l))
                    (memory(report, l))
                }
                (findings(&report.findings, l))
                @if let Some(audit) = audit {
                    section id="audit" lang=(audit.lang.code()) data-count=(audit.findings.len()) {
                        h2 { (audit.lang.audit().report_section) }
                        (crate::render::audit::html::body(audit))
                    }
                }
                (source(report, l))
                footer {
                    (l.generated_by) " authlogs " (env!("CARGO_PKG_VERSION")) " · " code { (report.schema) }
                }
            }
        }
    };
    page.into_string()
}

fn cards(r: &Report, l: &Labels) -> Markup {
    let d = &r.decisions;
    html! {
        section.cards id="summary" {
            div.card { div.n { (r.invocations) } div.l { (l.invocations) } }
            div.card { div.n.allowed { (d.allowed) } div.l { (l.allowed) " · " (pct(d.allowed, r.invocations)) } }
            div.card { div.n.denied { (d.denied) } div.l { (l.denied) " · " (pct(d.denied, r.invocations)) } }
            div.card { div.n { (d.timeout + d.error) } div.l { (l.timeout) " + " (l.error) } }
            div.card { div.n { (num(r.duration_ms.p99)) } div.l { "p99 " (l.duration) } }
            div.card { div.n { "$" (format!("{:.4}", r.cost.total_usd)) } div.l { (l.cost) } }
        }
    }
}

fn decisions(r: &Report, l: &Labels) -> Markup {
    let d = &r.decisions;
    let rows = [
        (l.allowed, d.allowed, ALLOWED),
        (l.denied, d.denied, DENIED),
        (l.timeout, d.timeout, WARN),
        (l.error, d.error, PURPLE),
        (l.unknown, d.unknown, OTHER),
    ];
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(label, value, color)| Bar {
            label: label.to_string(),
            segments: vec![Segment {
                value: *value,
                color: *color,
            }],
        })
        .collect();
    let data = [
        ("allowed", d.allowed),
        ("denied", d.denied),
        ("timeout", d.timeout),
        ("error", d.error),
        ("unknown", d.unknown),
    ];
    let shares = decision_rows(r, l);
    html! {
        section id="decisions" {
            h2 { (l.decisions) }
            div.two {
                (chart("decisions", charts::horizontal_bars(&bars, 460, 110), l, &data))
                table {
                    @for row in &shares {
                        tr { td { (row.label) } td.num { (row.count) } td.num.muted { (row.share) } }
                    }
                    @if let Some(denials) = super::view::denial_rows(r, l) {
                        tr { td colspan="3" { strong { (l.denials) } } }
                        @for row in &denials {
                            tr { td { (row.label) } td.num { (row.count) } td.num.muted { (row.share) } }
                        }
                    }
                }
            }
        }
    }
}

fn timeline(r: &Report, l: &Labels) -> Markup {
    let t = &r.timeline;
    if t.buckets.is_empty() {
        return html! {};
    }
    let with_date = t.buckets.first().map(|b| &b.start[..10]) != t.buckets.last().map(|b| &b.start[..10]);
    let columns: Vec<(String, Vec<Segment>)> = t
        .buckets
        .iter()
        .map(|b| {
            let label = if with_date {
                format!(
                    "{} {}",
                    &b.start.get(5..10).unwrap_or(""),
                    b.start.get(11..16).unwrap_or("")
                )
            } else {
                b.start.get(11..16).unwrap_or("").to_string()
            };
            (
                label,
                vec![
                    Segment {
                        value: b.allowed,
                        color: ALLOWED,
                    },
                    Segment {
                        value: b.denied,
                        color: DENIED,
                    },
                    Segment {
                        value: b.other,
                        color: OTHER,
                    },
                ],
            )
        })
        .collect();
    let sum = |f: fn(&crate::report::TimelineBucket) -> u64| t.buckets.iter().map(f).sum::<u64>();
    let data = [
        ("buckets", t.buckets.len() as u64),
        ("bucket-seconds", t.bucket_seconds),
        ("allowed", sum(|b| b.allowed)),
        ("denied", sum(|b| b.denied)),
        ("other", sum(|b| b.other)),
    ];
    html! {
        section id="timeline" {
            h2 { (l.timeline) }
            (legend(&[(l.allowed, "var(--allowed)"), (l.denied, "var(--denied)"), (l.other, "var(--other)")]))
            (chart("timeline", charts::stacked_columns(&columns, 980, 240), l, &data))
            p.muted { (t.bucket_seconds / 60) " min · UTC" }
        }
    }
}

fn denied_ips(r: &Report, l: &Labels) -> Markup {
    if r.top_denied_ips.is_empty() {
        return html! {};
    }
    let bars: Vec<Bar> = r
        .top_denied_ips
        .iter()
        .map(|ip| {
            // Each denial has one reason or both: the overlap is what the two counts share.
            let both = (ip.ip_mismatch + ip.token_mismatch).saturating_sub(ip.count);
            let ip_only = ip.ip_mismatch.saturating_sub(both);
            let token_only = ip.token_mismatch.saturating_sub(both);
            Bar {
                label: escape_control(&ip.ip).chars().take(24).collect(),
                segments: vec![
                    Segment {
                        value: ip_only,
                        color: ACCENT,
                    },
                    Segment {
                        value: token_only,
                        color: DENIED,
                    },
                    Segment {
                        value: both,
                        color: PURPLE,
                    },
                    Segment {
                        value: ip.count.saturating_sub(ip_only + token_only + both),
                        color: OTHER,
                    },
                ],
            }
        })
        .collect();
    let data = [
        ("ips", r.top_denied_ips.len() as u64),
        ("denied", r.top_denied_ips.iter().map(|i| i.count).sum()),
    ];
    html! {
        section id="top-denied-ips" {
            h2 { (l.top_denied_ips) }
            @if !r.top_denied_ips_exact { p.muted { (l.top_denied_ips_lower_bound) } }
            (legend(&[(l.ip_mismatch, "#3b82c4"), (l.token_mismatch, "var(--denied)"), (l.both, "#8e5cc4")]))
            div.two {
                (chart("top-denied-ips", charts::horizontal_bars(&bars, 460, 150), l, &data))
                table {
                    tr { th { (l.source_ip) } th.num { (l.denied) } th.num { (l.ip_mismatch) } th.num { (l.token_mismatch) } }
                    @for ip in &r.top_denied_ips {
                        tr { td { code { (escape_control(&ip.ip)) } } td.num { (ip.count) } td.num { (ip.ip_mismatch) } td.num { (ip.token_mismatch) } }
                    }
                }
            }
        }
    }
}

/// What callers saw: cards, the classes as bars and rows, by status, the authorizer's errors,
/// cached decisions for another IP and their callers, and how the join was made.
fn callers(c: &Callers, l: &Labels) -> Markup {
    let fresh = c.fresh.allow + c.fresh.deny + c.fresh.unknown;
    let cached = c.cached.allow + c.cached.deny;
    let rows = view::caller_rows(c, l);
    let color = |key: &str| match key {
        "fresh.allow" | "cached.allow" => ALLOWED,
        "fresh.deny" | "cached.deny" => DENIED,
        "identity_missing" => WARN,
        "authorizer_failed" => PURPLE,
        _ => OTHER,
    };
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            label: r.label.to_string(),
            segments: vec![Segment {
                value: r.count,
                color: color(r.key),
            }],
        })
        .collect();
    let data = [
        ("requests", c.requests),
        ("fresh-allow", c.fresh.allow),
        ("fresh-deny", c.fresh.deny),
        ("fresh-unknown", c.fresh.unknown),
        ("cached-allow", c.cached.allow),
        ("cached-deny", c.cached.deny),
        ("identity-missing", c.identity_missing),
        ("authorizer-failed", c.authorizer_failed),
        ("other", c.other),
        ("cached-other-ip", c.cached_other_ip),
        ("unmatched-invocations", c.unmatched_invocations),
    ];
    let j = &c.join;
    let basis = view::basis_words(c.cached_other_ip_basis, l);
    html! {
        section id="callers" data-requests=(c.requests) {
            h2 { (l.callers_title) }
            div.cards {
                div.card { div.n { (c.requests) } div.l { (l.requests) } }
                div.card { div.n { (fresh) } div.l { (l.fresh_decisions) " · " (pct(fresh, c.requests)) } }
                div.card { div.n { (cached) } div.l { (l.cached_decisions) " · " (pct(cached, c.requests)) } }
                div.card { div.n { (c.identity_missing) } div.l { (l.identity_missing) } }
                div.card { div.n.denied[c.authorizer_failed > 0] { (c.authorizer_failed) } div.l { (l.authorizer_failed) } }
            }
            div.two {
                (chart("callers", charts::horizontal_bars(&bars, 460, 180), l, &data))
                table {
                    tr { td { (l.requests) } td.num { (c.requests) } td {} td.muted { (fill(l.callers_invoked_note, &[("invoked", &c.authorizer_invoked)])) } }
                    @for row in &rows {
                        tr { td { (row.label) } td.num { (row.count) } td.num.muted { (row.share) } td.muted { (row.note) } }
                    }
                }
            }
            div.two {
                // Each table in a div: a grid cell stretches, the table keeps its rows' height.
                div { table id="callers-by-status" {
                    tr { th { (l.http_status) } th.num { (l.requests) } th.num { (l.share) } }
                    @for s in &c.by_status {
                        tr { td { (view::status_label(s.status, l)) } td.num { (s.count) } td.num.muted { (pct(s.count, c.requests)) } }
                    }
                } }
                @if !c.authorizer_errors.is_empty() {
                    div { table id="callers-authorizer-errors" {
                        // The count first: a long error text cannot squeeze it.
                        tr { th.num { (l.count) } th { (l.authorizer_errors) } }
                        @for e in &c.authorizer_errors {
                            tr { td.num { (e.count) } td { code { (escape_control(&e.error)) } } }
                        }
                    } }
                }
            }
            div.two {
                div id="callers-cached-other-ip" data-count=(c.cached_other_ip) data-allowed=(c.cached_other_ip_allow) data-basis=(c.cached_other_ip_basis) {
                    p {
                        strong { (l.cached_other_ip) ": " }
                        @if view::cached_other_ip_known(c) {
                            strong.denied[c.cached_other_ip > 0] { (c.cached_other_ip) }
                            " (" (fill(l.cached_other_ip_split, &[("allowed", &c.cached_other_ip_allow), ("denied", &(c.cached_other_ip.saturating_sub(c.cached_other_ip_allow)))])) ") — " (basis)
                        } @else {
                            (fill(l.cached_other_ip_unknown, &[("basis", &basis)]))
                        }
                    }
                    @if !c.cached_other_ip_callers.is_empty() {
                        table {
                            tr { th { (l.source_ip) } th.num { (l.requests) } }
                            @for ip in &c.cached_other_ip_callers {
                                tr { td { code { (escape_control(&ip.ip)) } } td.num { (ip.count) } }
                            }
                        }
                    }
                }
                div { table id="callers-join" data-method=(j.method) {
                    tr { td { (l.join) } td { (view::join_method_words(j.method, l)) } }
                    tr { td { (l.by_request_id) } td.num { (j.by_request_id) } }
                    tr { td { (l.by_ip_time) } td.num { (j.by_ip_time) } }
                    tr { td { (l.join_window) } td.num { (view::ms_words(j.window_ms, l)) } }
                    tr { td { (l.ambiguous) } td.num { (j.ambiguous) } }
                    @if j.without_ip_or_time > 0 {
                        tr { td { (l.without_ip_or_time) } td.num { (j.without_ip_or_time) } }
                    }
                    tr { td { (l.unmatched_invocations) } td.num { (c.unmatched_invocations) } }
                    @if c.unreadable_records > 0 {
                        tr { td { (l.unreadable_records) } td {
                            (c.unreadable_records)
                            @if let Some(first) = &c.first_unreadable_record { " · " code { (escape_control(first)) } }
                        } }
                    }
                    @if c.filtered_records > 0 {
                        tr { td { (l.filtered_records) } td.num { (c.filtered_records) } }
                    }
                    @if c.duplicate_records > 0 {
                        tr { td { (l.duplicate_records) } td.num { (c.duplicate_records) } }
                    }
                } }
            }
        }
    }
}

fn durations(r: &Report, l: &Labels) -> Markup {
    let d = &r.duration_ms;
    let bins: Vec<(String, u64)> = d.histogram.iter().map(|b| (b.le_ms.clone(), b.count)).collect();
    // The bin of each percentile: the first whose end is at or above it.
    let bin_of = |p: Option<f64>| -> Option<usize> {
        let us = (p? * 1000.0).round() as u64;
        d.histogram
            .iter()
            .position(|b| b.le_us >= us)
            .or(Some(d.histogram.len().checked_sub(1)?))
    };
    let marks: Vec<(String, usize)> = [("p50", d.p50), ("p90", d.p90), ("p99", d.p99)]
        .iter()
        .filter_map(|(n, p)| Some((n.to_string(), bin_of(*p)?)))
        .collect();
    let data = [("count", d.count), ("bins", d.histogram.len() as u64)];
    html! {
        section id="duration" {
            h2 { (l.duration_distribution) }
            @if !bins.is_empty() {
                (chart("duration", charts::histogram(&bins, &marks, 980, 240), l, &data))
            }
            table {
                tr {
                    th.num { (l.min) } th.num { "p50" } th.num { "p90" } th.num { "p95" } th.num { "p99" } th.num { (l.max) } th.num { (l.avg) }
                    th.num { (l.billed) " Σ" }
                }
                tr {
                    td.num { (num(d.min)) } td.num { (num(d.p50)) } td.num { (num(d.p90)) } td.num { (num(d.p95)) }
                    td.num { (num(d.p99)) } td.num { (num(d.max)) } td.num { (num(d.avg)) } td.num { (r.billed_duration_ms.sum) }
                }
            }
        }
    }
}

fn memory(r: &Report, l: &Labels) -> Markup {
    let m = &r.memory_mb;
    let c = &r.cold_starts;
    let bars = vec![
        Bar {
            label: l.memory_size.to_string(),
            segments: vec![Segment {
                value: m.size.unwrap_or(0),
                color: OTHER,
            }],
        },
        Bar {
            label: l.max_memory_used.to_string(),
            segments: vec![Segment {
                value: m.max_used_max.unwrap_or(0),
                color: ACCENT,
            }],
        },
        Bar {
            label: l.avg_memory_used.to_string(),
            segments: vec![Segment {
                value: m.max_used_avg.unwrap_or(0.0).round() as u64,
                color: ACCENT,
            }],
        },
    ];
    let cold = vec![Bar {
        label: l.invocations.to_string(),
        segments: vec![
            Segment {
                value: c.count,
                color: WARN,
            },
            Segment {
                value: r.invocations.saturating_sub(c.count),
                color: ALLOWED,
            },
        ],
    }];
    let data = [("size", m.size.unwrap_or(0)), ("max-used", m.max_used_max.unwrap_or(0))];
    html! {
        section id="memory" {
            div.two {
                div {
                    h2 { (l.memory) }
                    (chart("memory", charts::horizontal_bars(&bars, 460, 110), l, &data))
                    p.muted { (l.utilization) ": " (m.utilization_pct.map_or("–".into(), |u| format!("{u:.1}%"))) }
                }
                div {
                    h2 { (l.cold_starts) }
                    (chart("cold-starts", charts::horizontal_bars(&cold, 460, 110), l, &[("count", c.count)]))
                    table {
                        tr { td { (l.cold_starts) } td.num { (c.count) } td.num.muted { (pct(c.count, r.invocations)) " " (l.of_invocations) } }
                        tr { td { (l.init_duration) } td.num { (l.avg) " " (num(c.init_duration_ms.avg)) } td.num { (l.max) " " (num(c.init_duration_ms.max)) } }
                        @if !r.init_failures.is_empty() {
                            tr.init-failures { td { (l.init_failures_row) } td.num { (fill(l.init_failures_value, &[("errors", &r.init_failures.errors), ("timeouts", &r.init_failures.timeouts)])) } td {} }
                        }
                        tr { td { (l.cost) } td.num { "$" (format!("{:.6}", r.cost.total_usd)) } td.num.muted { (format!("{:.3}", r.cost.gb_seconds)) " " (l.gb_seconds) } }
                    }
                }
            }
        }
    }
}

fn findings(list: &[Finding], l: &Labels) -> Markup {
    html! {
        section id="findings" data-count=(list.len()) {
            h2 { (l.findings) }
            @if list.is_empty() { p { (l.no_findings) } }
            @for f in list {
                article class={ "finding " (f.severity.name()) } data-kind=(f.kind) data-severity=(f.severity.name()) {
                    h3 { span.sev { (severity_name(f.severity, l)) } code { (f.kind) } " · " (f.count) }
                    p { (escape_control(&f.message)) }
                    p { strong { (l.advice) ": " } (escape_control(&f.advice)) }
                    @if let (Some(first), Some(last)) = (&f.first, &f.last) {
                        p.muted { (l.first_last) ": " (first) " – " (last) }
                    }
                }
            }
        }
    }
}

fn source(r: &Report, l: &Labels) -> Markup {
    let i = &r.input;
    html! {
        section id="source" {
            h2 { (l.source) }
            table {
                @match &r.source {
                    Some(s) => (cloudwatch_rows(s, l)),
                    None => tr { td { (l.source) } td { (l.files) } },
                }
                tr { td { (l.events) } td.num { (i.events) } }
                tr { td { (l.unrecognized_lines) } td.num { (i.unrecognized_lines) } }
                tr { td { (l.invalid_utf8_lines) } td.num { (i.invalid_utf8_lines) } }
                tr { td { (l.oversized_lines) } td.num { (i.oversized_lines) } }
                tr { td { (l.filtered_events) } td.num { (i.filtered_events) } }
                tr { td { (l.incomplete) } td.num { (r.incomplete) } }
                @if r.retries > 0 {
                    tr { td { (l.retried_ids.trim_start()) } td.num { (r.retries) } }
                }
                @if i.repeated_starts > 0 {
                    tr { td { (l.repeated_starts) } td.num { (i.repeated_starts) } }
                }
                @if !r.input_errors.is_empty() {
                    tr { td { (l.input_errors) } td {
                        @for e in &r.input_errors { div { code { (escape_control(&e.input)) } ": " (escape_control(&e.position)) ": " (escape_control(&e.message)) } }
                    } }
                }
            }
        }
    }
}

fn cloudwatch_rows(s: &SourceInfo, l: &Labels) -> Markup {
    html! {
        tr { td { (l.source) } td { (l.cloudwatch) " · " (l.engine) " " code { (s.engine) } } }
        tr { td { (l.groups) } td { @for g in &s.groups { div { code { (escape_control(g)) } } } } }
        tr { td { (l.api_calls) } td.num { (s.api_calls) " (" (l.throttled) " " (s.throttled) ", " (l.retried_ids) " " (s.retries) ")" } }
        @if let Some(scan) = &s.scan {
            tr { td { (l.scanned) } td.num { (format!("{:.1} MB · ${:.4}", scan.bytes_scanned as f64 / 1e6, scan.estimated_cost_usd)) } }
        }
        @if !s.approximate.is_empty() {
            tr { td { (l.approximate) } td { ul { @for a in &s.approximate { li { (escape_control(a)) } } } } }
        }
    }
}

#[cfg(test)]
mod tests;
