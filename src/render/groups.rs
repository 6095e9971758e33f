//! The `groups` table: matching log groups with their size, retention and newest event.

use super::table::PRESET;
use crate::redact::escape_control;
use crate::source::cloudwatch::GroupInfo;
use crate::timeutil::rfc3339_to_local;

/// Renders the groups found; times in the local zone when `tz_local`.
pub fn groups_table(groups: &[GroupInfo], tz_local: bool) -> String {
    if groups.is_empty() {
        return "no matching log groups\n".into();
    }
    let time = |t: &Option<String>| {
        let t = t.as_deref().unwrap_or("-");
        if tz_local {
            rfc3339_to_local(t).unwrap_or_else(|| t.to_string())
        } else {
            t.to_string()
        }
    };
    let mut table = comfy_table::Table::new();
    table.load_preset(PRESET);
    table.force_no_tty();
    table.set_header(vec![
        "log group",
        "stored bytes",
        "retention",
        "created",
        "newest event",
    ]);
    for g in groups {
        table.add_row(vec![
            escape_control(&g.name).into_owned(),
            g.stored_bytes.map_or("-".into(), |b| b.to_string()),
            g.retention_days.map_or("never expires".into(), |d| format!("{d} days")),
            time(&g.created),
            time(&g.newest_event),
        ]);
    }
    if let Some(c) = table.column_mut(1) {
        c.set_cell_alignment(comfy_table::CellAlignment::Right);
    }
    format!("{table}\n")
}
