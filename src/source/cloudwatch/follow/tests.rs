//! The follower against moto (started by scripts/test): every event exactly once with Live Tail
//! and with polling, the fall back to polling, stop, `end_ms`, errors; and the pure parts.
//!
//! moto answers StartLiveTail for the region's most recently created group, whichever was asked
//! for (its `_find_log_group` keeps the loop variable), so each Live Tail test uses a region of its
//! own with one group in it.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use aws_sdk_cloudwatchlogs::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cloudwatchlogs::types::InputLogEvent;

use super::livetail::{group_index, group_of, on_failure, OnFailure};
use super::*;

/// The moto server of this test run.
fn endpoint() -> String {
    crate::testutil::moto_endpoint("the follower's tests")
}

/// A log group name no other test uses.
fn unique_group(test: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "/aws/lambda/agw-access-permission-follow-{test}-{}-{}-{}",
        std::process::id(),
        now_ms(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// One group on moto, in a region, and a client to write to it.
struct TestGroup {
    rt: tokio::runtime::Runtime,
    client: aws_sdk_cloudwatchlogs::Client,
    region: String,
    name: String,
    endpoint: String,
}

impl TestGroup {
    fn new(test: &str, region: &str, streams: &[&str]) -> TestGroup {
        Self::at(test, region, streams, &endpoint())
    }

    fn at(test: &str, region: &str, streams: &[&str], endpoint: &str) -> TestGroup {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let config = aws_sdk_cloudwatchlogs::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
            .endpoint_url(endpoint)
            .build();
        let client = aws_sdk_cloudwatchlogs::Client::from_conf(config);
        let name = unique_group(test);
        rt.block_on(async {
            client
                .create_log_group()
                .log_group_name(&name)
                .send()
                .await
                .expect("CreateLogGroup");
            for s in streams {
                client
                    .create_log_stream()
                    .log_group_name(&name)
                    .log_stream_name(*s)
                    .send()
                    .await
                    .expect("CreateLogStream");
            }
        });
        TestGroup {
            rt,
            client,
            region: region.into(),
            name,
            endpoint: endpoint.into(),
        }
    }

    /// Puts one batch (sorted by time, as PutLogEvents wants it); returns when PutLogEvents has returned.
    fn put(&self, stream: &str, events: &[(i64, &str)]) -> Instant {
        let mut sorted = events.to_vec();
        sorted.sort_by_key(|e| e.0);
        let batch: Vec<InputLogEvent> = sorted
            .iter()
            .map(|(ts, m)| {
                InputLogEvent::builder()
                    .timestamp(*ts)
                    .message(*m)
                    .build()
                    .expect("an input event")
            })
            .collect();
        let out = self
            .rt
            .block_on(
                self.client
                    .put_log_events()
                    .log_group_name(&self.name)
                    .log_stream_name(stream)
                    .set_log_events(Some(batch))
                    .send(),
            )
            .expect("PutLogEvents");
        assert!(out.rejected_log_events_info.is_none(), "events rejected: {out:?}");
        Instant::now()
    }

    fn config(&self, mode: FollowMode, start_ms: i64) -> FollowConfig {
        FollowConfig {
            connection: Connection {
                profile: None,
                region: Some(self.region.clone()),
                endpoint_url: Some(self.endpoint.clone()),
            },
            groups: GroupSelection {
                names: vec![self.name.clone()],
                pattern: String::new(),
                all: false,
            },
            mode,
            start_ms,
            end_ms: None,
            interval: Duration::from_secs(1),
            overlap: Duration::from_secs(120),
            filter_pattern: None,
            max_tps: 5.0,
            max_attempts: 4,
        }
    }
}

/// A running follower and everything it sent so far.
struct Running {
    rx: Receiver<FollowMsg>,
    stop: Arc<AtomicBool>,
    stats: Arc<FollowStats>,
    handle: Option<JoinHandle<()>>,
    /// Each event with the moment it came out of the channel.
    events: Vec<(OwnedEvent, Instant)>,
    notes: Vec<String>,
    failed: Option<CwError>,
    /// The sender is gone: the thread ended.
    ended: bool,
}

impl Running {
    fn start(config: FollowConfig) -> Running {
        let (tx, rx) = channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(FollowStats::default());
        let handle = follow(config, tx, stop.clone(), stats.clone()).unwrap_or_else(|e| panic!("{e}"));
        Running {
            rx,
            stop,
            stats,
            handle: Some(handle),
            events: Vec::new(),
            notes: Vec::new(),
            failed: None,
            ended: false,
        }
    }

    /// Takes messages until `done` holds or `deadline` passes.
    fn collect(&mut self, deadline: Instant, done: impl Fn(&Running) -> bool) {
        while !done(self) && !self.ended {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            match self.rx.recv_timeout(left.min(Duration::from_millis(50))) {
                Ok(FollowMsg::Events(batch)) => {
                    let at = Instant::now();
                    self.events.extend(batch.into_iter().map(|e| (e, at)));
                }
                Ok(FollowMsg::Note(n)) => self.notes.push(n),
                Ok(FollowMsg::Failed(e)) => self.failed = Some(e),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => self.ended = true,
            }
        }
    }

    fn collect_for(&mut self, d: Duration) {
        self.collect(Instant::now() + d, |_| false);
    }

    /// Sets the stop flag; returns how long the thread took to end.
    fn stop(&mut self) -> Duration {
        let t = Instant::now();
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            h.join().expect("the follower thread panicked");
        }
        t.elapsed()
    }

    fn messages(&self) -> Vec<&str> {
        self.events.iter().map(|(e, _)| e.message.as_str()).collect()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Multiset of (stream, timestamp, message).
fn multiset<'a>(events: impl IntoIterator<Item = (&'a str, i64, &'a str)>) -> HashMap<(String, i64, String), usize> {
    let mut m = HashMap::new();
    for (s, t, msg) in events {
        *m.entry((s.to_string(), t, msg.to_string())).or_insert(0) += 1;
    }
    m
}

fn delays_ms(put_at: &HashMap<String, Instant>, r: &Running) -> Vec<u128> {
    let mut d: Vec<u128> = r
        .events
        .iter()
        .filter_map(|(e, at)| {
            put_at
                .get(&e.message)
                .map(|p| at.saturating_duration_since(*p).as_millis())
        })
        .collect();
    d.sort_unstable();
    d
}

/// The scenario both modes must pass: events put before (in the `--since` window, and older) and
/// while following, on two streams, in several batches, one of them stamped 45 s in the past and one
/// with two identical events, each arrive exactly once.
fn exactly_once(mode: FollowMode, region: &str) -> (Running, Vec<u128>) {
    exactly_once_at(mode, region, &endpoint())
}

fn exactly_once_at(mode: FollowMode, region: &str, endpoint: &str) -> (Running, Vec<u128>) {
    let g = TestGroup::at(&format!("{mode:?}").to_lowercase(), region, &["s1", "s2"], endpoint);
    let now = now_ms();
    let tag = format!("{mode:?}-{now}");
    let mut expected: Vec<(String, i64, String)> = Vec::new();
    // History older than the start: never shown.
    let old = format!("{tag} old");
    g.put("s1", &[(now - 600_000, &old), (now - 590_000, &old)]);
    // In the `--since 1m` window, before following starts: shown once.
    let pre: Vec<String> = (0..2).map(|i| format!("{tag} pre {i}")).collect();
    g.put("s2", &[(now - 30_000, &pre[0]), (now - 29_000, &pre[1])]);
    for (i, m) in pre.iter().enumerate() {
        expected.push(("s2".into(), now - 30_000 + i as i64 * 1000, m.clone()));
    }
    let mut config = g.config(mode, now - 60_000);
    // Discovery by pattern in Live mode (the group's own name: earlier runs on the same server
    // left groups in the region).
    if mode == FollowMode::Live {
        config.groups = GroupSelection {
            names: Vec::new(),
            pattern: g.name.to_uppercase(),
            all: false,
        };
    }
    let mut r = Running::start(config);
    r.collect_for(Duration::from_millis(1500));
    let mut put_at: HashMap<String, Instant> = HashMap::new();
    for k in 0..8 {
        let stream = if k % 2 == 0 { "s1" } else { "s2" };
        let t = now_ms();
        let msgs: Vec<String> = match k {
            3 => (0..3).map(|i| format!("{tag} late {k} {i}")).collect(),
            5 => vec![
                format!("{tag} twin"),
                format!("{tag} twin"),
                format!("{tag} after twin"),
            ],
            _ => (0..3).map(|i| format!("{tag} live {k} {i}")).collect(),
        };
        let base = if k == 3 { t - 45_000 } else { t };
        let ts: Vec<i64> = (0..msgs.len())
            .map(|i| if k == 5 && i < 2 { base } else { base + i as i64 })
            .collect();
        let batch: Vec<(i64, &str)> = ts.iter().copied().zip(msgs.iter().map(String::as_str)).collect();
        let at = g.put(stream, &batch);
        for (t, m) in ts.iter().zip(&msgs) {
            expected.push((stream.into(), *t, m.clone()));
            put_at.entry(m.clone()).or_insert(at);
        }
        // Uneven gaps, so the puts fall at every phase of the session or poll cycle.
        r.collect_for(Duration::from_millis(300 + (k * 173 % 400)));
    }
    let want = expected.len();
    r.collect(Instant::now() + Duration::from_secs(20), |r| r.events.len() >= want);
    // Some more sessions or polls: nothing may come twice.
    r.collect_for(Duration::from_secs(3));
    assert!(r.failed.is_none(), "failed: {:?}", r.failed);
    let got = multiset(r.events.iter().map(|(e, _)| {
        (
            e.stream.as_str(),
            e.timestamp_ms.expect("a timestamp"),
            e.message.as_str(),
        )
    }));
    let want = multiset(expected.iter().map(|(s, t, m)| (s.as_str(), *t, m.as_str())));
    assert_eq!(got, want, "notes: {:?}", r.notes);
    assert!(!r.messages().contains(&old.as_str()));
    assert_eq!(FollowStats::get(&r.stats.events), expected.len() as u64);
    let delays = delays_ms(&put_at, &r);
    (r, delays)
}

#[test]
fn live_tail_delivers_each_event_exactly_once() {
    if !crate::testutil::moto() {
        return;
    }
    let (mut r, delays) = exactly_once(FollowMode::Live, "eu-west-3");
    eprintln!(
        "Live: PutLogEvents → channel delays (ms): {delays:?}; {} of {} events by Live Tail; sessions {}, reconnects {}, api calls {}",
        FollowStats::get(&r.stats.live_events),
        FollowStats::get(&r.stats.events),
        FollowStats::get(&r.stats.sessions),
        FollowStats::get(&r.stats.reconnects),
        FollowStats::get(&r.stats.api_calls)
    );
    // moto ends each session after its one update.
    assert!(FollowStats::get(&r.stats.reconnects) > 0);
    // Live Tail delivered events, not only the backfills around the sessions.
    assert!(FollowStats::get(&r.stats.live_events) > 0);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("reading log group") && n.contains("the only one containing")),
        "{:?}",
        r.notes
    );
    assert!(!r.notes.iter().any(|n| n.contains("not available")), "{:?}", r.notes);
    // Within a few seconds on a loaded machine; about half a second on an idle one.
    assert!(delays.last().is_some_and(|&d| d < 5_000), "{delays:?}");
    assert!(r.stop() < Duration::from_secs(2));
}

#[test]
fn a_session_cut_short_is_reopened_and_nothing_is_lost_or_repeated() {
    if !crate::testutil::moto() {
        return;
    }
    let proxy = live_tail_proxy(LiveTailFault::CutEverySecond);
    let (mut r, _) = exactly_once_at(FollowMode::Live, "eu-south-1", &proxy);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("Live Tail session failed") && n.contains("reconnecting in")),
        "{:?}",
        r.notes
    );
    assert!(FollowStats::get(&r.stats.reconnects) > 2);
    assert!(r.stop() < Duration::from_secs(2));
}

#[test]
fn several_groups_are_followed_in_one_session() {
    if !crate::testutil::moto() {
        return;
    }
    let a = TestGroup::new("multi-a", "eu-central-1", &["s"]);
    let b = TestGroup::new("multi-b", "eu-central-1", &["s"]);
    let mut config = a.config(FollowMode::Live, now_ms() - 1_000);
    config.groups.names.push(b.name.clone());
    let mut r = Running::start(config);
    r.collect_for(Duration::from_millis(1000));
    let mut want = Vec::new();
    for k in 0..4 {
        // The same message in both groups: two events.
        let m = format!("both groups {k} {}", now_ms());
        let t = now_ms();
        a.put("s", &[(t, &m)]);
        b.put("s", &[(t, &m)]);
        want.push(m.clone());
        want.push(m);
        r.collect_for(Duration::from_millis(400));
    }
    r.collect(Instant::now() + Duration::from_secs(10), |r| {
        r.events.len() >= want.len()
    });
    r.collect_for(Duration::from_secs(2));
    assert!(r.failed.is_none(), "{:?}", r.failed);
    let mut got: Vec<&str> = r.messages();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
}

#[test]
fn the_filter_pattern_reaches_both_apis() {
    if !crate::testutil::moto() {
        return;
    }
    let g = TestGroup::new("filter", "eu-west-1", &["s"]);
    for mode in [FollowMode::Live, FollowMode::Poll] {
        let mut config = g.config(mode, now_ms() - 1_000);
        config.filter_pattern = Some("REPORT".into());
        let mut r = Running::start(config);
        r.collect_for(Duration::from_millis(800));
        let t = now_ms();
        let report = format!("REPORT RequestId: {mode:?} {t}");
        let other = format!("START RequestId: {mode:?} {t}");
        g.put("s", &[(t, &other), (t + 1, &report)]);
        r.collect(Instant::now() + Duration::from_secs(8), |r| !r.events.is_empty());
        r.collect_for(Duration::from_millis(1500));
        assert!(r.failed.is_none(), "{mode:?}: {:?}", r.failed);
        assert_eq!(r.messages(), vec![report.as_str()], "{mode:?}");
        r.stop();
    }
}

#[test]
fn polling_delivers_each_event_exactly_once() {
    if !crate::testutil::moto() {
        return;
    }
    let (mut r, delays) = exactly_once(FollowMode::Poll, "us-west-1");
    eprintln!(
        "Poll: PutLogEvents → channel delays (ms): {delays:?}; polls {}, api calls {}",
        FollowStats::get(&r.stats.polls),
        FollowStats::get(&r.stats.api_calls)
    );
    assert_eq!(FollowStats::get(&r.stats.sessions), 0);
    assert!(FollowStats::get(&r.stats.polls) > 5);
    assert!(delays.last().is_some_and(|&d| d < 5_000), "{delays:?}");
    assert!(r.stop() < Duration::from_secs(2));
}

#[test]
fn stop_ends_the_thread_promptly_in_both_modes() {
    if !crate::testutil::moto() {
        return;
    }
    let g = TestGroup::new("stop", "ca-central-1", &["s"]);
    for mode in [FollowMode::Live, FollowMode::Poll] {
        let mut config = g.config(mode, now_ms());
        // A poll every minute: the stop must cut the wait short.
        config.interval = Duration::from_secs(60);
        let mut r = Running::start(config);
        r.collect_for(Duration::from_millis(1500));
        assert!(r.failed.is_none(), "{mode:?}: {:?}", r.failed);
        let took = r.stop();
        assert!(took < Duration::from_secs(2), "{mode:?} took {took:?} to stop");
        // The thread is gone, and so is its sender.
        r.collect_for(Duration::from_millis(200));
        assert!(r.ended, "{mode:?}");
    }
}

#[test]
fn following_ends_by_itself_after_end_ms_and_drops_later_events() {
    if !crate::testutil::moto() {
        return;
    }
    let g = TestGroup::new("end", "ap-northeast-1", &["s"]);
    for mode in [FollowMode::Live, FollowMode::Poll] {
        let now = now_ms();
        let end = now + 1_000;
        let before = format!("before end {mode:?} {now}");
        let after = format!("after end {mode:?} {now}");
        g.put("s", &[(now - 100, &before), (end + 500, &after)]);
        let mut config = g.config(mode, now - 1_000);
        config.end_ms = Some(end);
        let mut r = Running::start(config);
        r.collect(Instant::now() + Duration::from_secs(8), |_| false);
        assert!(r.ended, "{mode:?}: still following after end_ms");
        assert!(r.failed.is_none(), "{mode:?}: {:?}", r.failed);
        assert_eq!(r.messages(), vec![before.as_str()], "{mode:?}");
        r.stop();
    }
}

#[test]
fn a_missing_group_fails_with_the_report_error() {
    if !crate::testutil::moto() {
        return;
    }
    for mode in [FollowMode::Live, FollowMode::Poll] {
        let g = TestGroup::new("missing", "us-east-2", &[]);
        let mut config = g.config(mode, now_ms());
        config.groups.names = vec!["/aws/lambda/no-such-group-follow".into()];
        let mut r = Running::start(config);
        r.collect(Instant::now() + Duration::from_secs(10), |r| r.failed.is_some());
        let e = r
            .failed
            .take()
            .unwrap_or_else(|| panic!("{mode:?}: no failure; notes {:?}", r.notes));
        let text = e.to_string();
        assert!(
            matches!(e, CwError::GroupNotFound { .. }) && text.contains("no-such-group-follow"),
            "{mode:?}: {text}"
        );
        r.collect_for(Duration::from_millis(500));
        assert!(r.ended, "{mode:?}: the thread ends after Failed");
    }
}

#[test]
fn too_many_groups_for_live_tail_is_a_clear_error() {
    if !crate::testutil::moto() {
        return;
    }
    let g = TestGroup::new("many", "us-east-2", &[]);
    let mut config = g.config(FollowMode::Live, now_ms());
    config.groups.names = (0..11).map(|i| format!("/aws/lambda/g{i}")).collect();
    let mut r = Running::start(config);
    r.collect(Instant::now() + Duration::from_secs(10), |r| r.failed.is_some());
    let text = r.failed.take().map(|e| e.to_string()).unwrap_or_default();
    assert!(text.contains("at most 10") && text.contains("--poll"), "{text}");
}

/// What a proxy in front of moto does to StartLiveTail (everything else passes unchanged).
#[derive(Clone, Copy)]
enum LiveTailFault {
    /// Answers with this error code and HTTP status line.
    Deny(&'static str, &'static str),
    /// Cuts every second session's stream short, in the middle of its update.
    CutEverySecond,
}

/// A plain std TCP proxy in front of moto, one request per connection.
fn live_tail_proxy(fault: LiveTailFault) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let upstream = endpoint()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let sessions = Arc::new(AtomicU64::new(0));
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let (upstream, sessions) = (upstream.clone(), sessions.clone());
            std::thread::spawn(move || {
                let _ = serve(conn, &upstream, fault, &sessions);
            });
        }
    });
    url
}

fn serve(mut conn: TcpStream, upstream: &str, fault: LiveTailFault, sessions: &AtomicU64) -> std::io::Result<()> {
    let mut request = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        request.extend_from_slice(&chunk[..n]);
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&request[..end]).to_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if request.len() >= end + 4 + len {
                break;
            }
        }
    }
    let live_tail = String::from_utf8_lossy(&request).contains("Logs_20140328.StartLiveTail");
    if let (true, LiveTailFault::Deny(code, status)) = (live_tail, fault) {
        let body = format!(r#"{{"__type":"{code}","message":"not for you"}}"#);
        write!(
            conn,
            "HTTP/1.1 {status}\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: test\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )?;
        conn.flush()?;
        return conn.shutdown(Shutdown::Both);
    }
    let mut up = TcpStream::connect(upstream)?;
    up.write_all(&request)?;
    up.shutdown(Shutdown::Write)?;
    let mut response = Vec::new();
    up.read_to_end(&mut response)?;
    let cut = live_tail
        && matches!(fault, LiveTailFault::CutEverySecond)
        && sessions.fetch_add(1, Ordering::Relaxed) % 2 == 1;
    if cut {
        // The session start stays whole; the update loses its last bytes, then the connection drops.
        response.truncate(response.len().saturating_sub(10));
    }
    conn.write_all(&response)?;
    conn.flush()?;
    conn.shutdown(Shutdown::Both)
}

#[test]
fn live_tail_denied_falls_back_to_polling_with_one_note() {
    if !crate::testutil::moto() {
        return;
    }
    for (code, status) in [
        ("AccessDeniedException", "400 Bad Request"),
        ("UnknownOperationException", "400 Bad Request"),
        ("InternalFailure", "501 Not Implemented"),
    ] {
        let proxy = live_tail_proxy(LiveTailFault::Deny(code, status));
        let g = TestGroup::at("fallback", "sa-east-1", &["s"], &proxy);
        let mut r = Running::start(g.config(FollowMode::Live, now_ms() - 5_000));
        r.collect_for(Duration::from_millis(1500));
        let msgs: Vec<String> = (0..3).map(|i| format!("fallback {code} {i} {}", now_ms())).collect();
        let t = now_ms();
        g.put("s", &[(t, &msgs[0]), (t + 1, &msgs[1]), (t + 2, &msgs[2])]);
        r.collect(Instant::now() + Duration::from_secs(10), |r| r.events.len() >= 3);
        r.collect_for(Duration::from_millis(2500));
        assert!(r.failed.is_none(), "{code}: {:?}", r.failed);
        let fallbacks: Vec<&String> = r.notes.iter().filter(|n| n.contains("not available")).collect();
        assert_eq!(fallbacks.len(), 1, "{code}: {:?}", r.notes);
        assert!(
            fallbacks[0].contains(code) && fallbacks[0].contains("polling FilterLogEvents every 1 s"),
            "{}",
            fallbacks[0]
        );
        assert_eq!(
            r.messages(),
            msgs.iter().map(String::as_str).collect::<Vec<_>>(),
            "{code}"
        );
        assert_eq!(FollowStats::get(&r.stats.sessions), 0);
        assert!(r.stop() < Duration::from_secs(2));
    }
}

#[test]
fn live_tail_failures_are_classified() {
    let service = |code: &str, status: u16| Failure::Service {
        code: code.into(),
        message: "m".into(),
        status,
    };
    for code in ["AccessDeniedException", "UnknownOperationException", "InvalidAction"] {
        assert_eq!(on_failure(&service(code, 400), false), OnFailure::FallBack, "{code}");
        // Once a session worked, a denial is a real error.
        assert_eq!(on_failure(&service(code, 400), true), OnFailure::Fatal, "{code}");
    }
    assert_eq!(on_failure(&service("InternalFailure", 501), false), OnFailure::FallBack);
    assert_eq!(on_failure(&service("HTTP 404", 404), false), OnFailure::FallBack);
    for code in [
        "ResourceNotFoundException",
        "InvalidParameterException",
        "UnrecognizedClientException",
        "ExpiredTokenException",
    ] {
        assert_eq!(on_failure(&service(code, 400), false), OnFailure::Fatal, "{code}");
        assert_eq!(on_failure(&service(code, 400), true), OnFailure::Fatal, "{code}");
    }
    let connect = Failure::Connect {
        detail: "host name not found".into(),
    };
    assert_eq!(on_failure(&connect, false), OnFailure::FallBack);
    assert_eq!(on_failure(&connect, true), OnFailure::Reconnect);
    let other = Failure::Other {
        detail: "unreadable".into(),
    };
    assert_eq!(on_failure(&other, false), OnFailure::FallBack);
    assert_eq!(on_failure(&other, true), OnFailure::Reconnect);
    let exhausted = Failure::Exhausted {
        attempts: 4,
        last: "LimitExceededException".into(),
    };
    assert_eq!(on_failure(&exhausted, false), OnFailure::FallBack);
    assert_eq!(on_failure(&exhausted, true), OnFailure::Fatal);
    let creds = Failure::NoCredentials { detail: "none".into() };
    assert_eq!(on_failure(&creds, false), OnFailure::Fatal);
}

#[test]
fn notes_word_times_and_durations_briefly() {
    assert_eq!(human_duration(Duration::from_secs(1)), "1 s");
    assert_eq!(human_duration(Duration::from_millis(500)), "500 ms");
    assert_eq!(human_duration(Duration::from_millis(1500)), "1.5 s");
    assert_eq!(human_duration(Duration::from_secs(120)), "2 min");
    assert_eq!(human_duration(Duration::from_secs(12)), "12 s");
    assert_eq!(short_time(1_752_213_934_309), "2025-07-11T06:05:34Z");
}

#[test]
fn live_tail_results_are_matched_to_our_groups() {
    let groups = vec!["/aws/lambda/a".to_string(), "/aws/lambda/b".to_string()];
    let arns: Vec<String> = groups
        .iter()
        .map(|g| format!("arn:aws:logs:us-east-1:123456789012:log-group:{g}"))
        .collect();
    let index = group_index(&groups, &arns);
    assert_eq!(group_of(&index, 2, Some(&arns[1])), Some(1));
    assert_eq!(group_of(&index, 2, Some(&format!("{}:*", arns[0]))), Some(0));
    assert_eq!(group_of(&index, 2, Some("/aws/lambda/b")), Some(1));
    // Another partition or account, same name.
    assert_eq!(
        group_of(&index, 2, Some("arn:aws-cn:logs:cn-north-1:1:log-group:/aws/lambda/a")),
        Some(0)
    );
    // Another group (moto answers for the region's newest group): dropped.
    assert_eq!(
        group_of(&index, 2, Some("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/other")),
        None
    );
    assert_eq!(group_of(&index, 2, None), None);
    assert_eq!(group_of(&index, 1, None), Some(0));
    assert_eq!(group_of(&index, 1, Some("something else")), Some(0));
}
