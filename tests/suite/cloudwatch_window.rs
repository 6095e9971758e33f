//! A CloudWatch window in which no line is recognized (issue 30): explained as a file of the
//! same lines is, naming the group and how to pick another, instead of a silently empty report.

use crate::cloudwatch::{cloudwatch_report, endpoint, json, now_ms, put_events, unique_group, Event};
use crate::util::iso;

#[test]
fn a_window_of_unrecognized_lines_names_the_group_and_how_to_pick_another() {
    if !crate::util::moto() {
        return;
    }
    let group = unique_group("unrecognized");
    // An API's access log where the authorizer's was meant: 40 lines, none a Lambda line.
    let start = now_ms() - 600_000;
    let events: Vec<Event> = (0..40)
        .map(|i| Event {
            stream: "s".into(),
            ts: start + i * 1000,
            message: format!("GET /pets/{i} 200 \x1b[31m{i}"),
        })
        .collect();
    put_events(&group, &events);
    let (since, until) = (iso(start - 60_000), iso(start + 120_000));
    let r = cloudwatch_report(
        &endpoint(),
        &[
            "--group", &group, "--engine", "local", "--since", &since, "--until", &until,
        ],
    );
    let v = json(&r);
    assert_eq!(v["invocations"], 0);
    let w = &v["input_warnings"][0];
    assert_eq!(w["input"], group.as_str(), "{v}");
    assert_eq!(
        (w["container"].as_str(), w["events"].as_u64(), w["recognized"].as_u64()),
        (Some("cloudwatch"), Some(40), Some(0))
    );
    assert_eq!(w["samples"][0], "GET /pets/0 200 \\x1b[31m0");
    assert!(w["hint"].as_str().is_some_and(|h| h.contains("--group")), "{w}");
    assert!(
        r.stderr.contains(&format!(
            "authlogs: {group}: read as cloudwatch: no line was recognized"
        )),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("`authlogs groups` lists the groups"), "{}", r.stderr);
    assert!(!r.stderr.contains('\x1b'), "escaped on stderr: {}", r.stderr);
}

/// A FilterLogEvents page of `(event id, ms, message)` events, with `next` as its token.
fn page(events: &[(&str, i64, String)], next: Option<&str>) -> String {
    let events: Vec<serde_json::Value> = events
        .iter()
        .map(|(id, ts, message)| {
            serde_json::json!({"logStreamName": "s", "timestamp": ts, "ingestionTime": ts, "message": message, "eventId": id})
        })
        .collect();
    let mut v = serde_json::json!({"events": events, "searchedLogStreams": []});
    if let Some(t) = next {
        v["nextToken"] = t.into();
    }
    v.to_string()
}

#[test]
fn an_event_id_repeated_on_a_later_page_is_counted_once() {
    if !crate::util::moto() {
        return;
    }
    let group = unique_group("repeated-ids");
    let start = now_ms() - 600_000;
    // The group exists in moto (the name is checked); its pages come from the proxy.
    put_events(
        &group,
        &[Event {
            stream: "s".into(),
            ts: start,
            message: "x".into(),
        }],
    );
    let id = "11111111-1111-1111-1111-111111111111";
    let line = |i: i64, text: String| (["e0", "e1", "e2", "e3"][i as usize], start + i * 10, text);
    let lines = [
        line(0, format!("START RequestId: {id} Version: $LATEST")),
        line(1, format!("[INFO]\t2020-01-01T00:00:00.000Z\t{id}\thello")),
        line(2, format!("END RequestId: {id}")),
        line(3, format!(
            "REPORT RequestId: {id}\tDuration: 10.00 ms\tBilled Duration: 10 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB"
        )),
    ];
    // Pages 1, 2, then page 1's events again on page 3: not adjacent to the page they repeat.
    let pages = [
        page(&lines[..2], Some("A")),
        page(&lines[2..], Some("B")),
        page(&lines[..2], None),
    ];
    let proxy = crate::proxy::start_proxy(move |call: &crate::proxy::Call<'_>| match call.operation {
        "FilterLogEvents" => match pages.get(call.n as usize) {
            Some(p) => crate::proxy::Action::Answer(p.clone()),
            None => crate::proxy::Action::Answer(page(&[], None)),
        },
        _ => crate::proxy::Action::Forward,
    });
    let (since, until) = (iso(start - 60_000), iso(start + 60_000));
    let r = cloudwatch_report(
        &proxy.url,
        &[
            "--group", &group, "--engine", "local", "--slices", "1", "--since", &since, "--until", &until,
        ],
    );
    let v = json(&r);
    assert_eq!(proxy.calls("FilterLogEvents"), 3, "{:?}", proxy.seen);
    assert_eq!(v["invocations"], 1, "{v}");
    assert_eq!(v["source"]["events"], 4, "{}", v["source"]);
    assert_eq!(v["input"]["events"], 4, "{}", v["input"]);
    assert_eq!(v["input"]["late_lines"], 0, "{}", v["input"]);
}
