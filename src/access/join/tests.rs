//! Tests of the access-log join: every class, the exact join, ambiguity, fitting status and window, whole-second times, context values, masking.

use std::ops::ControlFlow;

use super::*;
use crate::access::fields::AccessFields;
use crate::access::invocations::InvocationNote;
use crate::source::{EventSink, LogEvent};

/// A collector holding these JSON access-log lines.
fn access(lines: &[String]) -> AccessCollector {
    let mut c = AccessCollector::new(AccessFields::default(), None, None);
    for line in lines {
        let event = LogEvent {
            timestamp_ms: None,
            stream: "",
            message: line,
        };
        assert_eq!(c.event(&event), ControlFlow::Continue(()));
    }
    c
}

fn request(id: &str, ip: &str, ms: i64, status: u16) -> String {
    format!(r#"{{"requestId":"{id}","ip":"{ip}","requestTimeEpoch":"{ms}","status":"{status}"}}"#)
}

/// Notes of invocations `(START ms, source IP, decision, API request id)`, allowing 203.0.113.10.
fn notes(list: &[(i64, &str, Decision, Option<&str>)]) -> InvocationNotes<'static> {
    let mut n = InvocationNotes::new(None);
    n.allowed_ips.insert("203.0.113.10".into());
    for &(t, ip, decision, id) in list {
        let ip = n.ips.intern(ip);
        n.notes.push(InvocationNote {
            time_ms: Some(t),
            ip: Some(ip),
            api_request_id: id.map(crate::access::collect::id_hash),
            decision,
        });
    }
    n
}

const ALLOWED: &str = "203.0.113.10";
const OTHER: &str = "198.51.100.7";

#[test]
fn every_class_from_status_and_invocation() {
    let a = access(&[
        request("f1", ALLOWED, 1_000, 200),
        request("f2", OTHER, 2_000, 403),
        request("c1", OTHER, 30_000, 200),
        request("c2", ALLOWED, 40_000, 403),
        request("m1", OTHER, 50_000, 401),
        r#"{"requestId":"e1","ip":"198.51.100.8","requestTimeEpoch":60000,"status":500,"authorizerError":"Invalid json in authorizer response"}"#.into(),
        request("t1", OTHER, 70_000, 500),
        request("n1", OTHER, 80_000, 404),
        r#"{"requestId":"i1","ip":"198.51.100.9","requestTimeEpoch":90000,"status":502,"integrationErrorMessage":"boom"}"#.into(),
    ]);
    let n = notes(&[
        (1_040, ALLOWED, Decision::Allowed, None),
        (2_030, OTHER, Decision::Denied, None),
        (70_020, OTHER, Decision::Timeout, None),
        (100_000, ALLOWED, Decision::Allowed, None),
    ]);
    let c = join(&a, &n, 10_000);
    assert_eq!(c.requests, 9);
    assert_eq!((c.fresh.allow, c.fresh.deny, c.fresh.unknown), (1, 1, 0));
    assert_eq!((c.cached.allow, c.cached.deny), (2, 1), "{c:?}");
    assert_eq!(c.identity_missing, 1);
    assert_eq!(c.authorizer_failed, 2, "the timeout and the invalid response");
    assert_eq!(c.authorizer_errors.len(), 1);
    assert_eq!(c.other, 1, "the 404");
    assert_eq!(c.authorizer_invoked, 3);
    assert_eq!(c.unmatched_invocations, 1);
    assert_eq!((c.join.method, c.join.by_ip_time, c.join.ambiguous), ("ip_time", 3, 0));
    // Without context values, a cached allow from an IP the authorizer never allows bypassed it:
    // c1 and i1 (the integration ran behind a cached allow); the cached deny of the allowed IP
    // cannot be told from a wrong token.
    assert_eq!((c.cached_other_ip, c.cached_other_ip_basis), (2, "allowed_ip"));
    let statuses: Vec<(u16, u64)> = c.by_status.iter().map(|s| (s.status, s.count)).collect();
    assert_eq!(statuses, [(200, 2), (401, 1), (403, 2), (404, 1), (500, 2), (502, 1)]);
}

#[test]
fn the_logged_api_request_id_joins_exactly_whatever_the_times() {
    let a = access(&[request("r1", OTHER, 1_000, 200), request("r2", OTHER, 1_010, 403)]);
    // The second invocation's START is long after its request: only the id can match it.
    let n = notes(&[
        (1_020, OTHER, Decision::Allowed, Some("r1")),
        (50_000, OTHER, Decision::Denied, Some("r2")),
    ]);
    let c = join(&a, &n, 10_000);
    assert_eq!(
        (c.join.method, c.join.by_request_id, c.join.ambiguous),
        ("request_id", 2, 0)
    );
    assert_eq!((c.fresh.allow, c.fresh.deny, c.unmatched_invocations), (1, 1, 0));
}

#[test]
fn two_requests_of_one_ip_in_the_window_are_counted_ambiguous_and_the_latest_taken() {
    // One invocation and two requests of its IP before it: one of them was a cache hit.
    let a = access(&[request("r1", OTHER, 1_000, 200), request("r2", OTHER, 3_000, 200)]);
    let n = notes(&[(3_050, OTHER, Decision::Allowed, None)]);
    let c = join(&a, &n, 10_000);
    assert_eq!((c.join.by_ip_time, c.join.ambiguous), (1, 1));
    assert_eq!((c.fresh.allow, c.cached.allow), (1, 1));
    // Requests far enough apart, each before its own START, are not ambiguous.
    let a = access(&[request("r1", OTHER, 1_000, 200), request("r2", OTHER, 3_000, 200)]);
    let n = notes(&[
        (1_050, OTHER, Decision::Allowed, None),
        (3_050, OTHER, Decision::Allowed, None),
    ]);
    let c = join(&a, &n, 10_000);
    assert_eq!((c.join.by_ip_time, c.join.ambiguous, c.fresh.allow), (2, 0, 2));
}

#[test]
fn the_status_must_fit_the_decision_and_the_start_the_window() {
    // A later cached 403 does not take an allow's invocation from the earlier 200.
    let a = access(&[request("ok", OTHER, 1_000, 200), request("no", OTHER, 1_010, 403)]);
    let n = notes(&[(1_040, OTHER, Decision::Allowed, None)]);
    let c = join(&a, &n, 10_000);
    assert_eq!((c.fresh.allow, c.cached.deny, c.join.ambiguous), (1, 1, 0));
    // A START past the window, or before the request, matches nothing.
    let a = access(&[request("late", OTHER, 1_000, 200)]);
    let n = notes(&[
        (11_001, OTHER, Decision::Allowed, None),
        (999, OTHER, Decision::Allowed, None),
    ]);
    let c = join(&a, &n, 10_000);
    assert_eq!((c.cached.allow, c.unmatched_invocations, c.join.method), (1, 2, "none"));
}

#[test]
fn a_time_in_whole_seconds_gets_a_second_of_slack() {
    // CLF `requestTime` has whole seconds: the request may have come up to 999 ms later.
    let a = access(&[
        r#"{"requestId":"s","ip":"198.51.100.7","requestTime":"11/Jul/2025:06:05:34 +0000","status":"200"}"#.into(),
    ]);
    let at = 1_752_213_934_000;
    let n = notes(&[(at - 200, OTHER, Decision::Allowed, None)]);
    assert_eq!(join(&a, &n, 10_000).fresh.allow, 0, "a START before the second began");
    let a = access(&[
        r#"{"requestId":"s","ip":"198.51.100.7","requestTime":"11/Jul/2025:06:05:34 +0000","status":"200"}"#.into(),
    ]);
    let n = notes(&[(at + 600, OTHER, Decision::Allowed, None)]);
    assert_eq!(join(&a, &n, 10_000).fresh.allow, 1);
}

#[test]
fn context_values_say_for_whom_a_cached_decision_was_made() {
    let a = access(&[
        request("fresh", ALLOWED, 1_000, 200),
        // A cache hit from another IP, its context naming the allowed IP: the check was bypassed.
        format!(
            r#"{{"requestId":"hit","ip":"{OTHER}","requestTimeEpoch":2000,"status":"200","authorizerIp":"{ALLOWED}"}}"#
        ),
        // A cache hit from the IP the decision was made for.
        format!(
            r#"{{"requestId":"same","ip":"{ALLOWED}","requestTimeEpoch":3000,"status":"200","authorizerIp":"{ALLOWED}"}}"#
        ),
        // The request the decision was made for, by id.
        format!(
            r#"{{"requestId":"byid","ip":"{OTHER}","requestTimeEpoch":4000,"status":"403","authorizerRequestId":"fresh"}}"#
        ),
    ]);
    let n = notes(&[(1_030, ALLOWED, Decision::Allowed, None)]);
    let c = join(&a, &n, 10_000);
    assert_eq!((c.cached.allow, c.cached.deny), (2, 1));
    assert_eq!((c.cached_other_ip, c.cached_other_ip_basis), (2, "authorizer_ip"));
    assert_eq!(c.cached_other_ip_callers[0].ip, OTHER);
    assert_eq!(c.cached_other_ip_callers[0].count, 2);
}

#[test]
fn text_from_access_logs_is_escaped_and_masked() {
    let a = access(&[
        r#"{"requestId":"e","ip":"198.51.100.8","requestTimeEpoch":1,"status":500,"authorizerError":"bad \u001b[31m Ab12Xy34 token=hunter2 for Zq7Sent"}"#.into(),
    ]);
    let mut n = notes(&[]);
    n.tokens.pin("Ab12Xy34");
    n.tokens.receive("Zq7Sent");
    let c = join(&a, &n, 10_000);
    let shown = &c.authorizer_errors[0].error;
    assert!(
        !shown.contains('\u{1b}')
            && !shown.contains("Ab12Xy34")
            && !shown.contains("hunter2")
            && !shown.contains("Zq7"),
        "{shown}"
    );
}

/// Found by fuzzing: two invocations logging one request id (a retried test event) made the
/// report's exact pass and tail's live pass pair them differently. One pass in START order: the
/// earlier takes the id, the later falls back to IP and time.
#[test]
fn an_id_logged_by_two_invocations_goes_to_the_earlier_and_the_other_pairs_by_ip() {
    let a = access(&[request("r7", ALLOWED, 0, 0), request("r8", ALLOWED, 0, 0)]);
    let n = notes(&[
        (10_000, ALLOWED, Decision::Allowed, Some("r7")),
        (0, OTHER, Decision::Allowed, Some("r7")),
    ]);
    let c = join(&a, &n, 10_000);
    assert_eq!((c.join.by_request_id, c.join.by_ip_time), (1, 1));
    assert_eq!((c.fresh.allow, c.unmatched_invocations), (2, 0));
}

#[test]
fn a_request_id_read_twice_is_one_request_and_the_repeats_are_counted() {
    // The same record three times (an input read twice, then once more), with a fresh decision:
    // one request, fresh, and not two more answered "from the cache".
    let r = request("f1", ALLOWED, 1_000, 200);
    let a = access(&[r.clone(), request("c1", OTHER, 30_000, 200), r.clone(), r]);
    assert_eq!(a.duplicates, 2);
    let n = notes(&[(1_500, ALLOWED, Decision::Allowed, None)]);
    let c = join(&a, &n, 10_000);
    assert_eq!((c.requests, c.fresh.allow, c.cached.allow), (2, 1, 1));
    assert_eq!(c.duplicate_records, 2);
}

#[test]
fn records_outside_the_window_are_skipped_and_counted() {
    let mut c = AccessCollector::new(AccessFields::default(), Some(0), Some(100_000));
    // 1969, inside, the year 3000 (requestTimeEpoch), and an inside record's event in 3000 whose
    // own time wins.
    for (line, event_ms) in [
        (request("old", OTHER, -86_400_000, 200), None),
        (request("in", OTHER, 50_000, 200), None),
        (request("future", OTHER, 32_503_680_000_000, 200), None),
        (request("own", OTHER, 60_000, 200), Some(32_503_680_000_000)),
    ] {
        let event = LogEvent {
            timestamp_ms: event_ms,
            stream: "",
            message: &line,
        };
        assert_eq!(c.event(&event), ControlFlow::Continue(()));
    }
    let callers = join(&c, &notes(&[]), 10_000);
    assert_eq!((callers.requests, callers.filtered_records), (2, 2));
    assert_eq!(c.span, Some((-86_400_000, 32_503_680_000_000)));
    assert_eq!(c.timed, 4);
}
