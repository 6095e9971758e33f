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
