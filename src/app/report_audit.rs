//! `report --audit`: the configuration behind the log groups a report read, audited beside it.

use std::io::Write;

use crate::audit::AuditReport;
use crate::aws::{AuditSelection, FetchConfig};
use crate::error::Error;
use crate::i18n::Lang;
use crate::report::Report;

/// The audit of the functions that log to the groups `report` read (their `LoggingConfig.LogGroup`,
/// by default `/aws/lambda/NAME`; when none does, what the group names say:
/// [`AuditSelection::by_group_names`], with one line on `err`), over the connection and at the rate
/// of the report's window `cw`, at `now_ms`, worded in `lang`. What could not be read is one line each on `err` (the
/// audit is then partial). An audit that cannot run at all (nothing matched, no access) is one line
/// on `err` and `None`: the report is still printed, partial.
pub(super) fn read(
    report: &Report,
    cw: &FetchConfig,
    now_ms: i64,
    lang: Lang,
    err: &mut dyn Write,
) -> Result<Option<AuditReport>, Error> {
    let groups = report.source.as_ref().map_or(&[][..], |s| s.groups.as_slice());
    let selection = AuditSelection::for_log_groups(groups);
    match crate::aws::collect_audit(&cw.connection, &selection, cw.max_tps) {
        Ok(collected) => {
            for note in &collected.notes {
                writeln!(err, "authlogs: --audit: {note}")?;
            }
            let configuration = collected.configuration;
            super::audit::write_gaps(&configuration.gaps, err)?;
            Ok(Some(AuditReport::new(
                configuration,
                crate::timeutil::format_rfc3339_ms(now_ms),
                lang,
            )))
        }
        Err(e) => {
            writeln!(err, "authlogs: --audit: {e}")?;
            Ok(None)
        }
    }
}
