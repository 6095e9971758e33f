//! Tests of tail's live join: time order, a request after its invocation, the event horizon, a backfill.

use super::*;

fn request(id: &str, ip: &str, ms: i64, status: u16) -> String {
    format!(r#"{{"requestId":"{id}","ip":"{ip}","requestTimeEpoch":"{ms}","status":"{status}"}}"#)
}

fn held(start_ms: i64, ip: &str, decision: Decision, id: Option<&str>) -> HeldInvocation {
    HeldInvocation {
        start_ms,
        ip: Some(ip.into()),
        api_request_id: id.map(Into::into),
        decision,
        row: RequestRow {
            request_id: format!("lambda-{start_ms}"),
            decision: decision.name(),
            ..RequestRow::default()
        },
    }
}

const ALLOWED: &str = "203.0.113.10";
const OTHER: &str = "198.51.100.7";

#[test]
fn requests_come_out_in_time_order_once_final_with_their_invocations() {
    let mut j = LiveJoin::new(AccessFields::default(), 10_000);
    j.access_event(&request("a", ALLOWED, 1_000, 200), None, 0);
    j.access_event(&request("b", OTHER, 2_000, 403), None, 0);
    j.access_event(&request("c", OTHER, 30_000, 200), None, 0);
    j.invocation(held(1_030, ALLOWED, Decision::Allowed, None), Some(ALLOWED), 0);
    j.invocation(held(2_050, OTHER, Decision::Denied, None), Some(ALLOWED), 0);
    // Nothing is final before the window of the first request has passed.
    assert!(j.advance(5_000, i64::MAX).is_empty());
    let out = j.advance(13_000, i64::MAX);
    let classes: Vec<&str> = out.iter().map(|r| r.class.name()).collect();
    assert_eq!(classes, ["fresh_allow", "fresh_deny"]);
    assert_eq!(
        out[0].invocation.as_ref().map(|r| r.request_id.as_str()),
        Some("lambda-1030")
    );
    let rest = j.advance(i64::MAX, i64::MAX);
    assert_eq!(rest.len(), 1);
    assert_eq!((rest[0].class.name(), rest[0].other_ip), ("cached_allow", true));
    assert_eq!(j.held(), 0);
    assert_eq!(
        (j.counts.requests, j.counts.other_ip, j.counts.unmatched_invocations),
        (3, 1, 0)
    );
}

#[test]
fn a_request_arriving_after_its_invocation_is_still_paired() {
    // Access logs lag: the invocation is known first.
    let mut j = LiveJoin::new(AccessFields::default(), 10_000);
    j.invocation(held(1_030, OTHER, Decision::Denied, Some("x")), None, 0);
    assert!(j.advance(0, i64::MAX).is_empty());
    j.access_event(&request("x", OTHER, 1_000, 403), None, 0);
    let out = j.advance(i64::MAX, i64::MAX);
    assert_eq!(out[0].class.name(), "fresh_deny");
    assert_eq!(j.counts.unmatched_invocations, 0);
}

#[test]
fn the_event_horizon_follows_the_slower_log() {
    let mut j = LiveJoin::new(AccessFields::default(), 10_000);
    assert_eq!(j.event_horizon(5_000), None);
    j.access_event(&request("a", OTHER, 100_000, 200), None, 0);
    assert_eq!(j.event_horizon(5_000), None, "no invocation yet: it may still come");
    j.invocation(held(50_000, OTHER, Decision::Allowed, None), None, 0);
    assert_eq!(j.event_horizon(5_000), Some(35_000));
    j.access_event("not a record", None, 0);
    assert_eq!(j.counts.unreadable, 1);
}

#[test]
fn nothing_is_decided_before_both_sides_of_a_backfill_have_arrived() {
    // A backfill: hours-old events, handed over at wall time 1_000_000.
    let mut j = LiveJoin::new(AccessFields::default(), 10_000);
    j.access_event(&request("a", OTHER, 1_000, 200), None, 1_000_000);
    // The horizon (the wall clock) is far past the request, but it arrived too recently.
    assert!(j.advance(900_000, 1_000_000 - 5_000).is_empty());
    j.invocation(held(1_030, OTHER, Decision::Allowed, None), None, 1_001_000);
    let out = j.advance(900_000, 1_006_000);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].class.name(), "fresh_allow");
}
