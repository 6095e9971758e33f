//! The callers section: what API callers saw, from the access logs joined with the invocations.

use comfy_table::Cell;

use super::fit::{right_align, Out};
use super::sections::decision_color;
use crate::i18n::fill;
use crate::redact::escape_control;
use crate::render::view;
use crate::report::Callers;

/// Caller IPs listed after the cached decisions for another IP.
const MAX_LISTED_CALLERS: usize = 5;

/// The callers section: every access-log request by what answered it, then what the classes
/// alone do not say (cached decisions reused for another IP, invocations no request explains,
/// how the join was made).
pub(super) fn callers(out: &mut Out, c: &Callers) {
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
            &[
                ("count", &c.cached_other_ip),
                ("allowed", &c.cached_other_ip_allow),
                ("denied", &(c.cached_other_ip.saturating_sub(c.cached_other_ip_allow))),
                ("basis", &basis),
            ],
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
    for (label, count) in [
        (l.filtered_records, c.filtered_records),
        (l.duplicate_records, c.duplicate_records),
    ] {
        if count > 0 {
            more.add_row(vec![label.to_string(), count.to_string()]);
        }
    }
    out.keep_whole(&mut more, 0..1);
    out.section(l.callers_title, [classes, more]);
}
