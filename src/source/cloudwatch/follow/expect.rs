//! Which followed streams have a request started and not yet reported, so a poll asks again soon.

use std::collections::HashMap;

/// How long a START keeps polls eager: an authorizer's caller gives up after 29 s (API Gateway's
/// integration limit), so a REPORT later than that is no longer worth polling fast for.
const EXPECT_FOR_MS: i64 = 30_000;

/// The most streams remembered: beyond it nothing new is added (polls then keep their interval
/// for those), so a group with many streams cannot grow it without bound.
const MAX_STREAMS: usize = 4_096;

/// Streams whose last request line was a START: its REPORT is on its way. Only the line shapes
/// Lambda writes itself are looked for (text `START RequestId:` / `REPORT RequestId:`, JSON
/// `platform.start` / `platform.report`), whatever prefix a line carries; anything missed only
/// leaves a poll at its interval.
#[derive(Debug, Default)]
pub(super) struct Expected {
    /// (group, stream) → when its START was seen (wall clock, ms).
    started: HashMap<(usize, String), i64>,
}

impl Expected {
    /// Notes one event of `stream` in group `group`, seen at `now_ms`.
    pub(super) fn see(&mut self, group: usize, stream: &str, message: &str, now_ms: i64) {
        if is_report(message) {
            self.started.remove(&(group, stream.to_string()));
        } else if is_start(message) && self.started.len() < MAX_STREAMS {
            self.started.insert((group, stream.to_string()), now_ms);
        }
    }

    /// Whether a REPORT is expected at `now_ms`: a START came less than [`EXPECT_FOR_MS`] ago
    /// without its REPORT. Older STARTs are forgotten here.
    pub(super) fn expecting(&mut self, now_ms: i64) -> bool {
        self.started
            .retain(|_, &mut at| now_ms.saturating_sub(at) < EXPECT_FOR_MS);
        !self.started.is_empty()
    }
}

fn is_start(message: &str) -> bool {
    (message.contains("START RequestId: ") && !message.contains("INIT_START")) || message.contains("\"platform.start\"")
}

fn is_report(message: &str) -> bool {
    message.contains("REPORT RequestId: ") || message.contains("\"platform.report\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "1bdd37b4-e95b-43bd-a49b-9da55e603845";

    #[test]
    fn a_start_is_expected_until_its_report_on_the_same_stream() {
        let mut e = Expected::default();
        assert!(!e.expecting(0));
        e.see(0, "s1", &format!("START RequestId: {ID} Version: $LATEST"), 0);
        assert!(e.expecting(10));
        e.see(0, "s2", &format!("REPORT RequestId: {ID}\tDuration: 1.85 ms"), 20);
        assert!(e.expecting(20), "a REPORT of another stream settles nothing here");
        e.see(1, "s1", &format!("REPORT RequestId: {ID}\tDuration: 1.85 ms"), 20);
        assert!(e.expecting(20), "nor one of another group");
        e.see(
            0,
            "s1",
            &format!("2025-07-11T06:00:00.000Z REPORT RequestId: {ID}\tDuration: 1.85 ms"),
            30,
        );
        assert!(!e.expecting(30), "a prefix does not hide it");
    }

    #[test]
    fn json_platform_records_count_and_init_start_does_not() {
        let mut e = Expected::default();
        e.see(0, "s", "INIT_START Runtime Version: python:3.12.v1", 0);
        assert!(!e.expecting(0));
        e.see(
            0,
            "s",
            r#"{"time":"2025-07-11T06:00:00.000Z","type":"platform.start","record":{}}"#,
            0,
        );
        assert!(e.expecting(0));
        e.see(
            0,
            "s",
            r#"{"time":"2025-07-11T06:00:00.002Z","type":"platform.report","record":{}}"#,
            0,
        );
        assert!(!e.expecting(0));
    }

    #[test]
    fn a_start_whose_report_never_comes_is_forgotten() {
        let mut e = Expected::default();
        e.see(0, "s", &format!("START RequestId: {ID} Version: $LATEST"), 1_000);
        assert!(e.expecting(1_000 + EXPECT_FOR_MS - 1));
        assert!(!e.expecting(1_000 + EXPECT_FOR_MS));
    }
}
