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
    let mut collector = AccessCollector::with_plan(config.fields.clone(), window.0, window.1, plan);
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
            None => "they hold no request in the window".to_string(),
        };
        writeln!(
            err,
            "authlogs: access logs: {}; check the inputs, and --access-log-fields if your format names its keys differently",
            crate::redact::escape_control(&hint)
        )?;
    }
    if !collector.input_errors.is_empty() {
        report.complete = false;
        report.input_errors.extend(collector.input_errors.iter().cloned());
    }
    merge_findings(&mut report.findings, access::findings::findings(&callers, lang));
    report.callers = Some(callers);
    Ok(())
}
