//! Fuzzing of the small pieces everything else stands on: REPORT numbers, the line parser, the
//! escaping of output cells, the `groups` table and access-log records.

use proptest::prelude::*;

use super::{check, runner, strategies};
use crate::aws::GroupInfo;
use crate::parse::parse_ms_to_us;
use crate::redact::{csv_cell, escape_control};
use crate::render::groups::groups_table;
use crate::timeutil::format_rfc3339_ms;

/// `parse_ms_to_us` as exact arithmetic: digits, a dot, digits; milliseconds to microseconds,
/// truncated; `None` when it does not fit `u64`.
fn reference_ms_to_us(s: &str) -> Option<u64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut us: u128 = 0;
    for b in int.bytes() {
        us = us.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
        if us > u128::from(u64::MAX) {
            return None;
        }
    }
    us *= 1000;
    let mut scale = 100;
    for b in frac.bytes().take(3) {
        us += u128::from(b - b'0') * scale;
        scale /= 10;
    }
    u64::try_from(us).ok()
}

#[test]
fn report_numbers_lines_and_cells() {
    let strategy = (
        prop_oneof![3 => strategies::duration_text(), 1 => ".{0,30}"],
        strategies::bytes(),
    );
    runner::run(
        "report numbers, lines and cells",
        70_000,
        strategy,
        |(number, bytes)| {
            prop_assert_eq!(parse_ms_to_us(&number), reference_ms_to_us(&number), "{:?}", number);
            let text = String::from_utf8_lossy(&bytes);
            let parser = strategies::parser();
            let _ = parser.parse(&text);
            let _ = parser.parse_with(&text, false);
            let escaped = escape_control(&text);
            check::terminal_safe(&escaped, false, "escape_control")?;
            prop_assert!(!escaped.contains('\n'), "escaped text is one line");
            let cell = csv_cell(&escaped);
            prop_assert!(!cell.starts_with(['=', '+', '-', '@']) || cell.parse::<f64>().is_ok());
            Ok(())
        },
    );
}

#[test]
fn groups_table_of_hostile_names() {
    let group = (
        prop_oneof![2 => "/aws/lambda/[a-z-]{1,30}", 1 => "\\PC{0,40}", 1 => ".{0,40}"],
        any::<Option<i64>>(),
        any::<Option<i32>>(),
        prop::option::of(strategies::tick_time()),
        prop::option::of(strategies::tick_time()),
    );
    runner::run(
        "groups table of hostile names",
        6_000,
        (prop::collection::vec(group, 0..6), any::<bool>()),
        |(groups, local)| {
            let groups: Vec<GroupInfo> = groups
                .into_iter()
                // The times as `list_groups` writes them, from any epoch ms CloudWatch may answer.
                .map(
                    |(name, stored_bytes, retention_days, created_ms, newest_event_ms)| GroupInfo {
                        name,
                        stored_bytes,
                        retention_days,
                        created: created_ms.map(format_rfc3339_ms),
                        newest_event: newest_event_ms.map(format_rfc3339_ms),
                        created_ms,
                        newest_event_ms,
                    },
                )
                .collect();
            let text = groups_table(&groups, local, local.then_some(60));
            check::terminal_safe(&text, false, "the groups table")
        },
    );
}

/// Access-log lines: arbitrary text, JSON objects of the known keys with odd values (numbers,
/// escapes, nested values, keys given twice), CLF-shaped lines; reading one never panics, a record
/// read keeps what it read (an IP stays as given), and the scanner reads exactly what a
/// `serde_json::Value` tree reads (the same record, or the same error), for the join too.
#[test]
fn access_log_records() {
    use crate::access::fields::AccessFields;
    use crate::access::record::{parse_join_record, parse_record, reference};
    let value = prop_oneof![
        Just("-".to_string()),
        ".{0,12}",
        "[0-9]{1,25}",
        Just("10/Sep/2020:08:42:44 +0000".to_string()),
        Just("31/Feb/2020:99:99:99 +9999".to_string()),
        Just("29/Feb/2024:23:59:59 -0930".to_string()),
        Just("29/Feb/2023:00:00:00 +0000".to_string()),
        Just("01/jul/2025:06:05:60 +0000".to_string()),
    ];
    let keys = proptest::sample::subsequence(
        vec![
            "requestId",
            "ip",
            "requestTime",
            "requestTimeEpoch",
            "status",
            "responseLength",
            "routeKey",
            "authorizerError",
        ],
        0..8,
    );
    // A value as JSON text: a string (escaped as serde_json writes it), or the text as a JSON
    // number, boolean, null or nested value when it parses as one.
    let raw = (value.clone(), 0..6u8).prop_map(|(v, how)| match how {
        0 if serde_json::from_str::<serde_json::Value>(&v).is_ok() => v,
        1 => "null".to_string(),
        2 => format!("[{}]", serde_json::Value::String(v)),
        3 => format!("{{\"k\":{}}}", serde_json::Value::String(v)),
        4 => format!("\"\\u00{:02x}{}\"", v.len(), v.escape_default()),
        _ => serde_json::Value::String(v).to_string(),
    });
    let strategy = prop_oneof![
        ".{0,80}",
        (keys.clone(), proptest::collection::vec(value.clone(), 8)).prop_map(|(keys, values)| {
            let map: serde_json::Map<String, serde_json::Value> = keys
                .iter()
                .zip(values)
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
                .collect();
            serde_json::Value::Object(map).to_string()
        }),
        (keys.clone(), keys, proptest::collection::vec(raw, 16), ".{0,3}").prop_map(|(a, b, values, tail)| {
            let pairs: Vec<String> = a
                .iter()
                .chain(&b)
                .zip(values)
                .map(|(k, v)| format!("{}:{v}", serde_json::Value::String(k.to_string())))
                .collect();
            format!("{{{}}}{tail}", pairs.join(","))
        }),
        (value.clone(), value.clone(), value).prop_map(|(ip, status, id)| format!(
            "{ip} - - [10/Sep/2020:08:42:44 +0000] \"GET GET /x HTTP/1.1\" {status} 1 {id}"
        )),
    ];
    let fields = AccessFields::default();
    runner::run("access-log records", 4_000, strategy, |line| {
        let read = parse_record(&line, &fields);
        prop_assert_eq!(&read, &reference::parse_record(&line, &fields));
        let joined = parse_join_record(&line, &fields);
        match (&read, &joined) {
            (Ok(r), Ok(j)) => {
                prop_assert_eq!(r.request_id.as_deref(), j.request_id.as_deref());
                prop_assert_eq!(r.ip.as_deref(), j.ip.as_deref());
                prop_assert_eq!(
                    (r.time_ms, r.time_from_seconds, r.status),
                    (j.time_ms, j.time_from_seconds, j.status)
                );
                prop_assert_eq!(r.authorizer_error.as_deref(), j.authorizer_error.as_deref());
                prop_assert_eq!(r.integration_error_message.is_some(), j.integration_error);
                prop_assert_eq!(r.authorizer_ip.as_deref(), j.authorizer_ip.as_deref());
                prop_assert_eq!(r.authorizer_request_id.as_deref(), j.authorizer_request_id.as_deref());
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            _ => prop_assert!(false, "parse_record and parse_join_record disagree on {line:?}"),
        }
        if let Ok(r) = &read {
            // An escaped value is compared above; here a value is found as written.
            if let Some(ip) = r.ip.as_ref().filter(|_| !line.contains("\\u")) {
                prop_assert!(
                    line.contains(ip.as_str()) || line.contains(&serde_json::to_string(ip).unwrap_or_default())
                );
            }
        }
        Ok(())
    });
}

/// The access-log join over arbitrary requests and invocations (a few IPs, close times, every
/// status and decision): it never panics, every request is in exactly one class, each invocation
/// pairs with at most one request, and `tail`'s live join, fed the same events, gives the same
/// classes as the report's.
#[test]
fn access_log_join() {
    use crate::access::fields::AccessFields;
    use crate::access::invocations::{InvocationNote, InvocationNotes};
    use crate::access::live::{HeldInvocation, LiveJoin};
    use crate::access::{join, AccessCollector};
    use crate::decision::Decision;
    use crate::source::{EventSink, LogEvent};
    let ips = ["203.0.113.10", "198.51.100.7", "198.51.100.8"];
    let statuses = [0u16, 200, 302, 401, 403, 404, 429, 500, 502];
    let decisions = [
        Decision::Allowed,
        Decision::Denied,
        Decision::Timeout,
        Decision::Error,
        Decision::Unknown,
    ];
    let request = (
        0..3usize,
        0..40_000i64,
        0..statuses.len(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    );
    let invocation = (
        0..3usize,
        0..40_000i64,
        0..decisions.len(),
        proptest::option::of(0..20usize),
    );
    let strategy = (
        proptest::collection::vec(request, 0..20),
        proptest::collection::vec(invocation, 0..20),
        1..20_000u64,
    );
    runner::run("access-log join", 2_000, strategy, |(requests, invocations, window)| {
        let lines: Vec<String> = requests
            .iter()
            .enumerate()
            .map(|(i, &(ip, t, status, seconds, error, context))| {
                let mut v =
                    serde_json::json!({"requestId": format!("r{i}"), "ip": ips[ip], "status": statuses[status]});
                if seconds {
                    v["requestTime"] = "10/Sep/2020:08:42:44 +0000".into();
                } else {
                    v["requestTimeEpoch"] = t.into();
                }
                if error {
                    v["authorizerError"] = "Invalid json in authorizer response".into();
                }
                if context {
                    v["authorizerIp"] = ips[(ip + 1) % 3].into();
                }
                v.to_string()
            })
            .collect();
        let mut collector = AccessCollector::new(AccessFields::default(), None, None);
        let mut live = LiveJoin::new(AccessFields::default(), window);
        for line in &lines {
            let _ = collector.event(&LogEvent {
                timestamp_ms: None,
                stream: "",
                message: line,
            });
            live.access_event(line, None, 0);
        }
        let mut notes = InvocationNotes::new(None);
        notes.allowed_ips.insert(ips[0].into());
        for &(ip, t, d, id) in &invocations {
            let ip_id = notes.ips.intern(ips[ip]);
            let api_request_id = id.map(|i| compact_str::CompactString::new(format!("r{i}")));
            notes.notes.push(InvocationNote {
                time_ms: Some(t),
                ip: Some(ip_id),
                api_request_id: api_request_id.as_deref().map(crate::access::collect::id_hash),
                decision: decisions[d],
            });
            let held = HeldInvocation {
                start_ms: t,
                ip: Some(ips[ip].into()),
                api_request_id,
                decision: decisions[d],
                row: crate::report::RequestRow::default(),
            };
            live.invocation(held, Some(ips[0]), 0);
        }
        let c = join(&collector, &notes, window);
        // The report holds only what the invocations could take and counts the rest as read.
        let planned = planned_collector(&lines, &notes, window);
        prop_assert_eq!(&join(&planned, &notes, window), &c);
        let classes = c.fresh.allow
            + c.fresh.deny
            + c.fresh.unknown
            + c.cached.allow
            + c.cached.deny
            + c.identity_missing
            + c.authorizer_failed
            + c.other;
        prop_assert_eq!(classes, c.requests);
        prop_assert_eq!(c.requests, requests.len() as u64);
        prop_assert_eq!(c.join.by_request_id + c.join.by_ip_time, c.authorizer_invoked);
        prop_assert_eq!(c.authorizer_invoked + c.unmatched_invocations, invocations.len() as u64);
        prop_assert_eq!(c.by_status.iter().map(|s| s.count).sum::<u64>(), c.requests);
        let out = live.advance(i64::MAX, i64::MAX);
        let n = &live.counts;
        prop_assert_eq!(out.len() as u64, c.requests);
        prop_assert_eq!(
            (
                n.fresh_allow,
                n.fresh_deny,
                n.fresh_unknown,
                n.cached_allow,
                n.cached_deny
            ),
            (
                c.fresh.allow,
                c.fresh.deny,
                c.fresh.unknown,
                c.cached.allow,
                c.cached.deny
            )
        );
        prop_assert_eq!(
            (
                n.identity_missing,
                n.authorizer_failed,
                n.other,
                n.unmatched_invocations,
                n.ambiguous
            ),
            (
                c.identity_missing,
                c.authorizer_failed,
                c.other,
                c.unmatched_invocations,
                c.join.ambiguous
            )
        );
        Ok(())
    });
}

/// A collector that read `lines` knowing the invocations of `notes` (the report's way).
fn planned_collector(
    lines: &[String],
    notes: &crate::access::InvocationNotes<'_>,
    window: u64,
) -> crate::access::AccessCollector {
    use crate::access::fields::AccessFields;
    use crate::access::{AccessCollector, JoinPlan};
    use crate::source::{EventSink, LogEvent};
    let plan = JoinPlan::new(notes, window);
    let mut planned = AccessCollector::with_plan(AccessFields::default(), None, None, plan);
    for line in lines {
        let _ = planned.event(&LogEvent {
            timestamp_ms: None,
            stream: "",
            message: line,
        });
    }
    planned
}

/// The join holding every request and the join holding only what invocations could take give
/// the same `callers`, over requests with repeated ids, no IP or no time, whole-second stamps,
/// context IPs and request ids, error texts, and invocations with or without a time, an IP or an
/// id.
#[test]
fn access_log_join_held_or_counted() {
    use crate::access::fields::AccessFields;
    use crate::access::invocations::{InvocationNote, InvocationNotes};
    use crate::access::{join, AccessCollector};
    use crate::decision::Decision;
    use crate::source::{EventSink, LogEvent};
    // Times around the whole-second stamp below (10/Sep/2020:08:42:44), so those are joined too.
    const BASE: i64 = 1_599_727_364_000 - 20_000;
    let ips = ["203.0.113.10", "198.51.100.7", "198.51.100.8"];
    let statuses = [0u16, 200, 401, 403, 404, 500, 502];
    let errors = ["Forbidden", "Unauthorized", "Invalid json in authorizer response"];
    let decisions = [
        Decision::Allowed,
        Decision::Denied,
        Decision::Timeout,
        Decision::Unknown,
    ];
    let request = (
        (
            0..6usize,
            proptest::option::of(0..3usize),
            proptest::option::of(0..30_000i64),
        ),
        (0..statuses.len(), any::<bool>(), proptest::option::of(0..3usize)),
        (
            proptest::option::of(0..3usize),
            proptest::option::of(0..6usize),
            any::<bool>(),
        ),
    );
    let invocation = (
        proptest::option::of(0..3usize),
        proptest::option::of(0..30_000i64),
        0..decisions.len(),
        proptest::option::of(0..6usize),
    );
    let strategy = (
        proptest::collection::vec(request, 0..24),
        proptest::collection::vec(invocation, 0..12),
        1..15_000u64,
        any::<bool>(),
    );
    runner::run(
        "access-log join, held or counted",
        2_000,
        strategy,
        |(requests, invocations, window, allowed)| {
            let lines: Vec<String> = requests
                .iter()
                .map(
                    |&((id, ip, t), (status, seconds, error), (context_ip, context_id, integration))| {
                        let mut v = serde_json::json!({"requestId": format!("r{id}"), "status": statuses[status]});
                        if let Some(ip) = ip {
                            v["ip"] = ips[ip].into();
                        }
                        match (t, seconds) {
                            (Some(_), true) => v["requestTime"] = "10/Sep/2020:08:42:44 +0000".into(),
                            (Some(t), false) => v["requestTimeEpoch"] = (BASE + t).into(),
                            (None, _) => {}
                        }
                        if let Some(e) = error {
                            v["authorizerError"] = errors[e].into();
                        }
                        if let Some(ip) = context_ip {
                            v["authorizerIp"] = ips[ip].into();
                        }
                        if let Some(id) = context_id {
                            v["authorizerRequestId"] = format!("r{id}").into();
                        }
                        if integration {
                            v["integrationErrorMessage"] = "boom".into();
                        }
                        v.to_string()
                    },
                )
                .collect();
            let mut notes = InvocationNotes::new(None);
            if allowed {
                notes.allowed_ips.insert(ips[0].into());
            }
            for &(ip, t, d, id) in &invocations {
                let ip = ip.map(|ip| notes.ips.intern(ips[ip]));
                notes.notes.push(InvocationNote {
                    time_ms: t.map(|t| BASE + t),
                    ip,
                    api_request_id: id.map(|i| crate::access::collect::id_hash(&format!("r{i}"))),
                    decision: decisions[d],
                });
            }
            let mut all = AccessCollector::new(AccessFields::default(), None, None);
            for line in &lines {
                let _ = all.event(&LogEvent {
                    timestamp_ms: None,
                    stream: "",
                    message: line,
                });
            }
            let planned = planned_collector(&lines, &notes, window);
            prop_assert!(planned.requests.len() <= all.requests.len());
            prop_assert_eq!(join(&planned, &notes, window), join(&all, &notes, window));
            Ok(())
        },
    );
}
