//! `report --access-logs` / `--access-log-group`: reads the API's access logs after the
//! authorizer's, joins them with the invocations and adds `callers` and its findings to the report.

use std::io::Write;

use crate::access::{self, AccessCollector, InvocationNotes, JoinPlan};
use crate::analyze::merge_findings;
use crate::cli::AccessConfig;
use crate::error::Error;
use crate::i18n::Lang;
use crate::report::Report;
use crate::source::cloudwatch;
use crate::source::file::read_path;
use crate::source::ReadOptions;

/// Reads the access logs of `config` over the report's window, joins them with `notes` and
/// writes the `callers` section, its findings and any damage into `report`.
pub fn add_callers(
    config: &AccessConfig,
    notes: &InvocationNotes<'_>,
    window: (Option<i64>, Option<i64>),
    read: ReadOptions,
    lang: Lang,
    report: &mut Report,
    err: &mut dyn Write,
) -> Result<(), Error> {
    if notes.over_cap {
        return Err(Error::JoinTooLarge {
            what: "invocations",
            limit: access::collect::MAX_REQUESTS,
        });
    }
    // The invocations are all known: only the requests one of them could take are held, every
    // other one is counted as it is read, so memory does not grow with the access logs.
    let plan = JoinPlan::new(notes, config.window_ms);
    let (since, until) = records_window(window, notes.span());
    let mut collector = AccessCollector::with_plan(config.fields.clone(), since, until, plan);
    match &config.group {
        Some(fetch) => {
            cloudwatch::fetch_window(fetch, &mut collector, err, None)?;
        }
        None => {
            // Access logs are one record per line: read in input order on this thread (the
            // join's rules, the first request with an id and the last IP of one, follow it).
            for path in &config.inputs {
                if collector.over_cap {
                    break;
                }
                read_path(path, read, &mut collector)?;
            }
        }
    }
    if collector.over_cap {
        return Err(Error::JoinTooLarge {
            what: "API requests that invocations could take",
            limit: access::collect::MAX_REQUESTS,
        });
    }
    collector.resolve().map_err(Error::JoinScratch)?;
    let callers = access::join(&collector, notes, config.window_ms);
    if callers.requests == 0 {
        let hint = match collector.first_unreadable() {
            Some(first) => format!("no line was an access-log record (first: {first})"),
            None if collector.filtered > 0 => format!(
                "all {} of their records are outside the window{}",
                collector.filtered,
                shown_window(since, until)
            ),
            None => "they hold no request in the window".to_string(),
        };
        writeln!(
            err,
            "authlogs: access logs: {}; check the inputs, and --access-log-fields if your format names its keys differently",
            crate::redact::escape_control(&hint)
        )?;
    }
    if callers.requests > 0 && collector.filtered > 0 {
        writeln!(
            err,
            "authlogs: access logs: {} records outside the window{} were skipped (callers.filtered_records)",
            collector.filtered,
            shown_window(since, until)
        )?;
    }
    if collector.duplicates > 0 {
        writeln!(
            err,
            "authlogs: access logs: {} records repeat the request id of one read before (an input read twice?): each request is counted once (callers.duplicate_records)",
            collector.duplicates
        )?;
    }
    if collector.duplicates_unchecked {
        writeln!(
            err,
            "authlogs: access logs: more than {} request ids: later records were not checked for repeats",
            access::collect::MAX_IDS_CHECKED
        )?;
    }
    let no_overlap =
        access::findings::no_overlap(collector.span, notes.span(), config.window_ms, collector.timed, lang);
    if let Some(finding) = &no_overlap {
        writeln!(
            err,
            "authlogs: access logs: {}",
            crate::redact::escape_control(&finding.message)
        )?;
    }
    if !collector.input_errors.is_empty() {
        report.complete = false;
        report.input_errors.extend(collector.input_errors.iter().cloned());
    }
    let mut findings = access::findings::findings(&callers, lang);
    findings.extend(no_overlap);
    merge_findings(&mut report.findings, findings);
    report.callers = Some(callers);
    Ok(())
}

/// How long after the invocation that filled it API Gateway's authorizer cache can answer a
/// request: the longest result TTL it allows (3600 s).
const CACHE_TTL_MAX_MS: i64 = 3_600_000;

/// The window access-log records are kept in: the report's `--since`/`--until`, and for a bound
/// not given, the invocations' span widened by the cache's longest TTL. Farther from every
/// invocation, no decision in these logs can have answered a request (a record from 1969 or
/// the year 3000 is skipped and counted, not reported as a cached decision).
fn records_window(window: (Option<i64>, Option<i64>), invocations: Option<(i64, i64)>) -> (Option<i64>, Option<i64>) {
    let (since, until) = window;
    let Some((first, last)) = invocations else {
        return window;
    };
    (
        since.or(Some(first.saturating_sub(CACHE_TTL_MAX_MS))),
        until.or(Some(last.saturating_add(CACHE_TTL_MAX_MS).saturating_add(1))),
    )
}

/// ` (FROM → UNTIL)` for a message, or nothing without bounds.
fn shown_window(since: Option<i64>, until: Option<i64>) -> String {
    let show = |t: Option<i64>| t.map_or("…".to_string(), crate::timeutil::format_rfc3339_short);
    match (since, until) {
        (None, None) => String::new(),
        _ => format!(" ({} → {})", show(since), show(until)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_kept_in_the_given_window_else_within_an_hour_of_the_invocations() {
        let inv = Some((10_000_000, 20_000_000));
        assert_eq!(records_window((Some(1), Some(2)), inv), (Some(1), Some(2)));
        assert_eq!(
            records_window((None, None), inv),
            (Some(10_000_000 - 3_600_000), Some(20_000_000 + 3_600_001))
        );
        assert_eq!(records_window((Some(5), None), inv), (Some(5), Some(23_600_001)));
        assert_eq!(records_window((None, None), None), (None, None));
        assert_eq!(shown_window(None, None), "");
        assert_eq!(shown_window(Some(0), None), " (1970-01-01T00:00:00Z → …)");
    }
}
