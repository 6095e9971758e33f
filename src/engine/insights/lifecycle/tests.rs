use super::*;

#[test]
fn every_status_has_a_phase() {
    assert_eq!(phase(Some(&QueryStatus::Scheduled)), Phase::Waiting);
    assert_eq!(phase(Some(&QueryStatus::Running)), Phase::Waiting);
    assert_eq!(phase(Some(&QueryStatus::Complete)), Phase::Complete);
    assert_eq!(phase(Some(&QueryStatus::Timeout)), Phase::TimedOut);
    assert_eq!(phase(Some(&QueryStatus::Failed)), Phase::Ended("Failed".into()));
    assert_eq!(phase(Some(&QueryStatus::Cancelled)), Phase::Ended("Cancelled".into()));
    assert_eq!(phase(Some(&QueryStatus::UnknownValue)), Phase::Ended("Unknown".into()));
    assert_eq!(phase(Some(&QueryStatus::from("Paused"))), Phase::Ended("Paused".into()));
    assert_eq!(phase(None), Phase::Ended("(none)".into()));
    let cancelled = QueryError::Ended {
        status: "Cancelled".into(),
    };
    assert!(cancelled.describe().contains("StopQuery from another client"));
}

/// The moto server of this test run.
fn endpoint() -> String {
    crate::testutil::moto_endpoint("the Logs Insights lifecycle tests")
}

/// A group on moto holding `messages`, one a millisecond from `t0`.
async fn group_with(client: &Client, messages: &[&str], t0: i64) -> String {
    use aws_sdk_cloudwatchlogs::types::InputLogEvent;
    // Tests run in parallel and may start in the same millisecond: a counter keeps names apart.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let name = format!(
        "/aws/lambda/agw-access-permission-insights-{}-{}-{}",
        std::process::id(),
        t0,
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    client
        .logs
        .create_log_group()
        .log_group_name(&name)
        .send()
        .await
        .expect("CreateLogGroup");
    client
        .logs
        .create_log_stream()
        .log_group_name(&name)
        .log_stream_name("s")
        .send()
        .await
        .expect("CreateLogStream");
    let events = messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            InputLogEvent::builder()
                .timestamp(t0 + i as i64)
                .message(*m)
                .build()
                .expect("event")
        })
        .collect();
    client
        .logs
        .put_log_events()
        .log_group_name(&name)
        .log_stream_name("s")
        .set_log_events(Some(events))
        .send()
        .await
        .expect("PutLogEvents");
    name
}

async fn moto_client() -> Client {
    let conn = crate::aws::Connection {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint()),
    };
    crate::aws::client(&conn).await.expect("client")
}

#[test]
fn a_query_runs_to_complete_and_its_rows_come_back_as_strings() {
    if !crate::testutil::moto() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let client = moto_client().await;
        let t0 = chrono::Utc::now().timestamp_millis() - 60_000;
        let lines = [
            "START RequestId: a",
            "[INFO]\tx\ta\t[INFO] Source IP: 192.0.2.1",
            "END RequestId: a",
        ];
        let group = group_with(&client, &lines, t0).await;
        let shared = Shared::new(50.0, 3);
        let running = Running::default();
        let spec = QuerySpec {
            groups: vec![group],
            start_s: t0 / 1000 - 1,
            end_s: t0 / 1000 + 60,
            text: "fields @timestamp, @message | sort @timestamp asc | limit 100".into(),
        };
        let answer = run_query(&client, &shared, &running, &AtomicBool::new(false), &spec, 1)
            .await
            .expect("query");
        let messages: Vec<&str> = answer
            .rows
            .iter()
            .filter_map(|r| r.iter().find(|(f, _)| f == "@message").map(|(_, v)| v.as_str()))
            .collect();
        assert_eq!(messages, lines);
        assert!(!answer.truncated);
        // A finished query is no longer one to stop.
        assert!(running.ids().is_empty());
        // StartQuery, then at least one GetQueryResults.
        assert!(crate::aws::Counters::get(&shared.counters.api_calls) >= 2);
    });
}

#[test]
fn an_interrupted_query_stays_listed_for_stop_all_and_a_failed_stop_is_said() {
    if !crate::testutil::moto() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let client = moto_client().await;
        let t0 = chrono::Utc::now().timestamp_millis() - 60_000;
        let group = group_with(&client, &["START RequestId: b"], t0).await;
        let shared = Shared::new(50.0, 3);
        let running = Arc::new(Running::default());
        let spec = QuerySpec {
            groups: vec![group],
            start_s: t0 / 1000 - 1,
            end_s: t0 / 1000 + 60,
            text: "fields @message".into(),
        };
        let r = run_query(&client, &shared, &running, &AtomicBool::new(true), &spec, 2).await;
        assert!(matches!(r, Err(QueryError::Interrupted)), "{r:?}");
        assert_eq!(running.ids().len(), 1);
        // moto has no StopQuery (it answers 500): the id is named, never dropped silently.
        let failed = stop_all(&client, &running).await;
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(failed[0].0, running.ids()[0]);
        assert!(failed[0].1.contains("500"), "{failed:?}");
    });
}

#[test]
fn a_failed_call_names_its_operation() {
    if !crate::testutil::moto() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let client = moto_client().await;
        let shared = Shared::new(50.0, 1);
        let spec = QuerySpec {
            groups: vec!["/aws/lambda/no-such-group-for-insights".into()],
            start_s: 0,
            end_s: 60,
            text: "fields @message".into(),
        };
        let r = run_query(&client, &shared, &Running::default(), &AtomicBool::new(false), &spec, 3).await;
        match r {
            Err(
                e @ QueryError::Call {
                    operation: "logs:StartQuery",
                    ..
                },
            ) => {
                assert!(e.describe().starts_with("logs:StartQuery: "), "{}", e.describe())
            }
            other => panic!("{other:?}"),
        }
    });
}
