//! A StartQuery whose answer was lost (a timeout, a dropped connection, a 5xx after the request
//! went out) may have started a query anyway, and a retry then starts its twin: the first one's
//! id is never seen, so nothing would stop it. DescribeQueries finds such queries and they are
//! stopped and billed like any other.

use aws_sdk_cloudwatchlogs::types::{QueryInfo, QueryStatus};

use super::lifecycle::{read_final_statistics, stop, QuerySpec};
use super::running::Running;
use crate::aws::{call, Client, Shared};

/// How long before the first StartQuery attempt a twin may look created: the service stamps
/// `createTime` with its own clock.
const CLOCK_SKEW_MS: i64 = 60_000;

/// Whether `q`, listed by DescribeQueries, may be a query a lost StartQuery answer of `spec`
/// started at or after `asked_ms`. The query string must be the same (it holds the slice's
/// bounds, so no other slice's query matches). DescribeQueries names one `logGroupName` per query
/// and the docs do not say which one for a query over several: a name is required to be one of
/// `spec`'s groups (batches never share a group), and a query without a name is taken.
pub(super) fn is_twin(q: &QueryInfo, spec: &QuerySpec, asked_ms: i64) -> bool {
    q.query_string() == Some(spec.text.as_str())
        && q.create_time().is_some_and(|t| t >= asked_ms - CLOCK_SKEW_MS)
        && q.log_group_name().is_none_or(|g| spec.groups.iter().any(|s| s == g))
}

/// Stops every Scheduled or Running query that may be a twin of `spec` this run never saw the id
/// of, and reads what it scanned. One that cannot be stopped stays in `running`, for the run's
/// end to try again and name.
pub(super) async fn stop_twins(
    client: &Client,
    shared: &Shared,
    running: &Running,
    spec: &QuerySpec,
    asked_ms: i64,
    salt: u64,
) {
    for status in [QueryStatus::Scheduled, QueryStatus::Running] {
        // The 1,000 most recent are enough: a twin was created moments ago.
        let listed = call(shared, salt, || {
            client
                .logs
                .describe_queries()
                .status(status.clone())
                .max_results(1000)
                .send()
        })
        .await;
        let Ok(listed) = listed else { continue };
        for q in listed.queries() {
            let Some(id) = q.query_id() else { continue };
            if running.knows(id) || !is_twin(q, spec, asked_ms) {
                continue;
            }
            running.add(id);
            if stop(client, id).await.is_ok() {
                running.remove(id);
                read_final_statistics(client, running, id).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_twin_has_the_same_text_a_recent_start_and_one_of_the_groups() {
        let spec = QuerySpec {
            groups: vec!["/aws/lambda/a".into(), "/aws/lambda/b".into()],
            start_s: 0,
            end_s: 60,
            text: "fields @message | filter toMillis(@timestamp) >= 0".into(),
        };
        let asked = 1_000_000;
        let q = |text: &str, created: Option<i64>, group: Option<&str>| {
            QueryInfo::builder()
                .query_id("q")
                .query_string(text)
                .set_create_time(created)
                .set_log_group_name(group.map(str::to_string))
                .status(QueryStatus::Running)
                .build()
        };
        assert!(is_twin(
            &q(&spec.text, Some(asked + 5), Some("/aws/lambda/b")),
            &spec,
            asked
        ));
        assert!(is_twin(&q(&spec.text, Some(asked - 30_000), None), &spec, asked));
        // Another slice's or another user's query.
        assert!(!is_twin(&q("fields @message", Some(asked), None), &spec, asked));
        // Created before this run asked.
        assert!(!is_twin(&q(&spec.text, Some(asked - 120_000), None), &spec, asked));
        assert!(!is_twin(&q(&spec.text, None, None), &spec, asked));
        // Another batch's groups.
        assert!(!is_twin(
            &q(&spec.text, Some(asked), Some("/aws/lambda/c")),
            &spec,
            asked
        ));
    }
}
