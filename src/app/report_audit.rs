//! `report --audit`: the configuration behind the log groups a report read, audited beside it.

use std::io::Write;

use crate::audit::AuditReport;
use crate::aws::{AuditSelection, FetchConfig, DEFAULT_PATTERN};
use crate::error::Error;
use crate::i18n::Lang;
use crate::report::Report;

/// The prefix of the log groups Lambda writes to by default: `/aws/lambda/NAME` is function NAME's.
const LAMBDA_GROUPS: &str = "/aws/lambda/";

/// Which functions to audit for the log groups `groups` a report read: the function of each
/// `/aws/lambda/NAME` group. A group of another shape may be any function's (`LoggingConfig.LogGroup`
/// can name any group), and nothing short of reading every function's configuration tells whose:
/// then the audit's default applies, every function whose name contains the default pattern, as
/// `authlogs audit` without options. So does a report that names no group (none was read).
pub(super) fn selection(groups: &[String]) -> AuditSelection {
    let names: Option<Vec<String>> = groups
        .iter()
        .map(|g| {
            g.strip_prefix(LAMBDA_GROUPS)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
        })
        .collect();
    let mut functions = match names {
        Some(names) if !names.is_empty() => names,
        _ => Vec::new(),
    };
    functions.sort();
    functions.dedup();
    AuditSelection {
        functions,
        api_ids: Vec::new(),
        pattern: DEFAULT_PATTERN.into(),
    }
}

/// The audit of the functions behind the groups `report` read, over the connection and at the rate
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
    let selection = selection(groups);
    match crate::aws::collect_audit(&cw.connection, &selection, cw.max_tps) {
        Ok(configuration) => {
            super::audit::write_gaps(&configuration.gaps, err)?;
            Ok(Some(AuditReport::new_in(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(groups: &[&str]) -> Vec<String> {
        selection(&groups.iter().map(|g| g.to_string()).collect::<Vec<_>>()).functions
    }

    #[test]
    fn lambda_groups_name_their_functions_and_any_other_shape_falls_back_to_the_pattern() {
        assert_eq!(
            names(&["/aws/lambda/b-agw-access-permission", "/aws/lambda/a", "/aws/lambda/a"]),
            ["a", "b-agw-access-permission"]
        );
        assert!(names(&["/aws/lambda/a", "/custom/authorizer"]).is_empty());
        assert!(names(&["/aws/lambda/"]).is_empty());
        assert!(names(&[]).is_empty());
        assert_eq!(selection(&[]).pattern, DEFAULT_PATTERN);
    }
}
