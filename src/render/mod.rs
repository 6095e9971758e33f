//! Renderers: pure `Report -> String` output formats, and the per-request writer.

pub mod api_requests;
pub mod audit;
pub mod cross_check;
pub mod csv;
pub mod damage;
pub mod explain;
pub mod groups;
pub mod html;
pub mod json;
pub mod live;
pub mod progress;
pub mod requests;
pub mod table;
pub mod view;

use std::fmt::Write as _;

use crate::audit::AuditReport;
use crate::redact::is_escaped;
use crate::report::Report;

pub use table::TableStyle;

use crate::i18n::Lang;

/// The shape of a report on output (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned tables for a terminal.
    #[default]
    Table,
    /// The `authlogs.report/v1` JSON document.
    Json,
    /// `key,value` rows.
    Csv,
    /// One self-contained HTML page with charts (no script, no external asset).
    Html,
}

/// Renders `report` in `format`, with the configuration `audit` of `report --audit` as one more
/// section when given; `style` only matters for the table (whose language is `style.lang`), `lang`
/// for HTML. The audit lives above the report's layer, so the two meet here, not in `Report`.
pub fn render(
    report: &Report,
    audit: Option<&AuditReport>,
    format: OutputFormat,
    style: &TableStyle,
    lang: Lang,
) -> String {
    match format {
        OutputFormat::Table => table::render_with(report, audit, style),
        OutputFormat::Json => json::render_with(report, audit),
        OutputFormat::Csv => csv::render_with(report, audit),
        OutputFormat::Html => html::render_with(report, audit, lang),
    }
}

/// JSON text with what serde_json leaves raw and `redact::escape_control` escapes (DEL, C1
/// controls, bidi and invisible characters, U+2028/U+2029) written as `\uXXXX` (a surrogate pair
/// beyond the BMP): the same JSON value, but log text in it cannot steer a terminal or hide in it.
fn terminal_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // serde_json escapes C0 controls inside strings, so a raw newline is layout, not log text.
        if c != '\n' && is_escaped(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Reports shared by the renderers' snapshot tests.

    use crate::report::InputError;
    use crate::report::*;

    /// Six hours of a busy authorizer, with one damaged input file.
    pub fn realistic() -> Report {
        Report {
            schema: SCHEMA,
            window: Window {
                start: Some("2025-07-11T00:00:00.000Z".into()),
                end: Some("2025-07-11T06:00:00.000Z".into()),
                first_event: Some("2025-07-11T00:00:03.120Z".into()),
                last_event: Some("2025-07-11T05:59:58.004Z".into()),
            },
            complete: false,
            input_errors: vec![InputError {
                input: "logs/2025/07/11/000001.gz".into(),
                position: "byte 40960 (compressed)".into(),
                message: "unexpected end of gzip stream".into(),
            }],
            input_warnings: Vec::new(),
            input_warnings_omitted: 0,
            input: InputStats {
                events: 2144,
                unrecognized_lines: 17,
                invalid_utf8_lines: 0,
                oversized_lines: 0,
                first_oversized_line: None,
                filtered_events: 0,
                late_lines: 2,
                ..InputStats::default()
            },
            source: None,
            invocations: 412,
            decisions: Decisions {
                allowed: 318,
                denied: 87,
                timeout: 4,
                error: 2,
                unknown: 1,
            },
            incomplete: 3,
            retries: 0,
            denials: Denials {
                ip_mismatch: 61,
                token_mismatch: 38,
                both: 12,
                token_missing: 9,
            },
            duration_ms: DurationStats {
                count: 409,
                min: Some(1.21),
                avg: Some(3.4712),
                p50: Some(2.05),
                p90: Some(4.88),
                p95: Some(7.9),
                p99: Some(31.62),
                max: Some(2998.77),
                histogram: Vec::new(),
            },
            billed_duration_ms: BilledStats {
                sum: 1843,
                avg: Some(4.506112469437653),
            },
            memory_mb: MemoryStats {
                size: Some(128),
                max_used_max: Some(52),
                max_used_avg: Some(41.7),
                utilization_pct: Some(40.625),
            },
            cold_starts: ColdStarts {
                restores: 1,
                count: 7,
                init_duration_ms: InitDuration {
                    avg: Some(412.38),
                    max: Some(588.1),
                },
            },
            init_failures: InitFailures::default(),
            cost: Cost {
                gb_seconds: 0.230375,
                usd_per_gb_second: 0.0000166667,
                usd_per_million_requests: 0.2,
                compute_usd: 3.8395910125e-6,
                requests_usd: 8.24e-5,
                total_usd: 8.62395910125e-5,
            },
            top_denied_ips: vec![
                DeniedIp {
                    ip: "203.0.113.9".into(),
                    count: 58,
                    ip_mismatch: 58,
                    token_mismatch: 9,
                },
                DeniedIp {
                    ip: "198.51.100.23".into(),
                    count: 21,
                    ip_mismatch: 3,
                    token_mismatch: 21,
                },
                DeniedIp {
                    ip: "192.0.2.77".into(),
                    count: 8,
                    ip_mismatch: 0,
                    token_mismatch: 8,
                },
            ],
            top_denied_ips_exact: true,
            timeline: Timeline {
                bucket_seconds: 3600,
                buckets: [
                    (41, 9, 0),
                    (55, 12, 1),
                    (62, 38, 2),
                    (58, 14, 0),
                    (49, 6, 4),
                    (53, 8, 0),
                ]
                .iter()
                .enumerate()
                .map(|(h, &(allowed, denied, other))| TimelineBucket {
                    start: format!("2025-07-11T{h:02}:00:00.000Z"),
                    allowed,
                    denied,
                    other,
                })
                .collect(),
            },
            findings: vec![
                Finding::new(
                    "secret_logged",
                    Severity::High,
                    412,
                    "the allowed token is written to the log in plain text ([INFO] Allowed Token)".into(),
                    "Remove the 'Allowed Token' log line and rotate the token.",
                )
                .between(Some((1_752_192_003_120, 1_752_213_598_004))),
                Finding::new(
                    "token_guessing",
                    Severity::High,
                    21,
                    "198.51.100.23 was denied 21 times with 7 different wrong tokens".into(),
                    "Block the address at a WAF or resource policy.",
                ),
                Finding::new(
                    "timeouts",
                    Severity::Medium,
                    4,
                    "4 invocations timed out: API Gateway answered 500, not 403".into(),
                    "Raise the timeout or find the slow call.",
                ),
            ],
            callers: None,
        }
    }

    /// What the callers of the realistic report saw: its access log joined with its invocations
    /// (by request id for most, by IP and time for the rest), every class filled.
    pub fn callers() -> Callers {
        Callers {
            join: Join {
                method: "request_id+ip_time",
                window_ms: 10_000,
                by_request_id: 350,
                by_ip_time: 52,
                ambiguous: 4,
                without_ip_or_time: 0,
            },
            requests: 1260,
            by_status: [
                (0, 1),
                (200, 1008),
                (302, 3),
                (401, 41),
                (403, 181),
                (404, 12),
                (429, 3),
                (500, 9),
                (502, 2),
            ]
            .iter()
            .map(|&(status, count)| StatusCount { status, count })
            .collect(),
            authorizer_invoked: 402,
            fresh: FreshDecisions {
                allow: 310,
                deny: 85,
                unknown: 1,
            },
            cached: CachedDecisions { allow: 702, deny: 96 },
            identity_missing: 41,
            authorizer_failed: 9,
            authorizer_errors: vec![ErrorCount {
                error: "The IAM role configured on the authorizer or API Gateway doesn't have permissions to \
                    call the authorizer. Check the permissions and try again."
                    .into(),
                count: 3,
            }],
            cached_other_ip: 37,
            cached_other_ip_allow: 30,
            cached_other_ip_basis: "authorizer_ip",
            cached_other_ip_callers: vec![
                IpCount {
                    ip: "198.51.100.23".into(),
                    count: 29,
                },
                IpCount {
                    ip: "192.0.2.44".into(),
                    count: 8,
                },
            ],
            other: 16,
            unmatched_invocations: 10,
            unreadable_records: 2,
            filtered_records: 0,
            duplicate_records: 0,
            first_unreadable_record: Some(
                "access/2025-07-11.log, line 88: not an access-log record (a JSON object, or a CLF line)".into(),
            ),
        }
    }

    /// The realistic report with its callers section.
    pub fn with_callers() -> Report {
        Report {
            callers: Some(callers()),
            ..realistic()
        }
    }

    /// The realistic report whose callers section carries hostile log text: an error with an ANSI
    /// escape and a script element, a caller IP that is a spreadsheet formula, a record position
    /// with a bell and a bidi override.
    pub fn hostile_callers() -> Report {
        let mut callers = callers();
        callers.authorizer_errors.insert(
            0,
            ErrorCount {
                error: "\x1b[2J\x1b]0;pwned\x07<script>alert(1)</script><img src=x onerror=alert(1)>".into(),
                count: 5,
            },
        );
        callers.cached_other_ip_callers.insert(
            0,
            IpCount {
                ip: "=HYPERLINK(\"http://evil.example/\",\"x\")".into(),
                count: 30,
            },
        );
        callers.first_unreadable_record = Some("-, line 1: \x07\u{202e}<script>x</script>".into());
        Report {
            callers: Some(callers),
            ..realistic()
        }
    }

    /// What `analyze` produces for input without a single event.
    pub fn empty() -> Report {
        Report {
            schema: SCHEMA,
            ..Report::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        use clap::ValueEnum;
        for name in ["table", "json", "csv"] {
            let format = OutputFormat::from_str(name, false).ok();
            let back = format
                .and_then(|f| f.to_possible_value())
                .map(|v| v.get_name().to_string());
            assert_eq!(back.as_deref(), Some(name));
        }
        assert!(OutputFormat::from_str("yaml", false).is_err());
    }

    #[test]
    fn json_keeps_its_value_but_escapes_what_serde_leaves_raw() {
        let raw = "a\u{7f}b\u{9b}2J\u{202e}c トークン\n\u{200b}\u{2028}\u{e0041}";
        let json = serde_json::to_string_pretty(&serde_json::json!({ "ip": raw })).expect("serializes");
        let safe = terminal_safe_json(&json);
        assert!(
            safe.contains("a\\u007fb\\u009b2J\\u202ec トークン\\n\\u200b\\u2028\\udb40\\udc41"),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back["ip"], raw);
    }
}
