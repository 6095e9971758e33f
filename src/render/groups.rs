//! The `groups` output: matching log groups with their size, retention and newest event, as a table or JSON.

use super::table::PRESET;
use crate::aws::GroupInfo;
use crate::redact::escape_control;
use crate::timeutil::rfc3339_to_local;

/// Renders the groups found; times in the local zone when `tz_local`; with a `width` (a
/// terminal's), long names wrap so no line is wider.
pub fn groups_table(groups: &[GroupInfo], tz_local: bool, width: Option<u16>) -> String {
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
    match width {
        Some(w) => {
            table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
            table.set_width(w);
            format!("{}\n", table.trim_fmt())
        }
        None => format!("{table}\n"),
    }
}

/// The groups as a pretty JSON array with a trailing newline, escaped as `report --format json` is
/// (`\u001b`, `\u202e`): `jq -r` must not put a name's ESC or bidi override on a terminal.
pub fn groups_json(groups: &[GroupInfo]) -> Result<String, serde_json::Error> {
    let mut out = super::terminal_safe_json(&serde_json::to_string_pretty(groups)?);
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::table::display_width;

    fn group(name: &str) -> GroupInfo {
        GroupInfo {
            name: name.into(),
            stored_bytes: Some(123_456_789),
            retention_days: Some(30),
            created: Some("2025-07-01T00:00:00.000Z".into()),
            newest_event: Some("2025-07-11T10:29:40.120Z".into()),
            created_ms: None,
            newest_event_ms: None,
        }
    }

    #[test]
    fn long_names_wrap_to_the_width_and_piped_output_stays_whole() {
        let groups = [group(
            "/aws/lambda/agw-access-permission-authorizer-production-ap-northeast-1-blue",
        )];
        let piped = groups_table(&groups, false, None);
        assert!(piped.lines().any(|l| display_width(l) > 100), "{piped}");
        for width in [80u16, 100] {
            let text = groups_table(&groups, false, Some(width));
            assert!(text.lines().all(|l| display_width(l) <= usize::from(width)), "{text}");
            assert!(text.contains("123456789") && text.contains("30 days"), "{text}");
        }
    }
}
