//! Tests of `tail`'s arguments: its --help wording and order, and the checks between its options.

use clap::Command;

use super::*;
use crate::cli::args::{misordered, parse};

const NOW: i64 = 1_700_000_000_000;

fn command() -> Command {
    TailArgs::augment_args(Command::new("tail"))
}

fn args(args: &[&str]) -> TailArgs {
    parse(args)
}

fn config(a: &[&str]) -> TailConfig {
    args(a).validate(NOW).unwrap_or_else(|e| panic!("{a:?}: {e}"))
}

fn usage(a: &[&str]) -> String {
    match args(a).validate(NOW) {
        Err(Error::Usage(text)) => text,
        other => panic!("{a:?}: {other:?}"),
    }
}

#[test]
fn the_help_order_names_every_option_once() {
    assert_eq!(misordered(&command(), OPTION_ORDER), Vec::<String>::new());
}

#[test]
fn tail_words_the_shared_options_its_own_way() {
    let cmd = command();
    for (id, text) in HELP_TEXTS {
        let arg = cmd.get_arguments().find(|a| a.get_id() == id);
        let help = arg.and_then(|a| a.get_help()).map(ToString::to_string);
        assert_eq!(help.as_deref(), Some(*text), "{id}");
    }
}

#[test]
fn a_stream_with_filters_and_the_window() {
    let c = config(&[
        "-",
        "--since",
        "1h",
        "--denied",
        "--ip",
        "203.0.113.0/24",
        "--reason",
        "missing",
        "--grace",
        "2s",
    ]);
    assert!(matches!(c.source, TailSource::Stdin));
    assert_eq!((c.start_ms, c.end_ms), (NOW - 3_600_000, None));
    assert!(c.filter.denied && c.filter.ips.len() == 1 && c.filter.reasons == [ReasonArg::Missing]);
    assert_eq!(c.pipeline.group.grace_ms, 2_000);
    assert!(c.access.is_none());
}

#[test]
fn cloudwatch_is_followed_without_a_stream() {
    let c = config(&["--group", "g", "--poll", "--max-attempts", "2"]);
    match c.source {
        TailSource::CloudWatch {
            groups,
            poll,
            max_attempts,
            ..
        } => assert_eq!((groups.names, poll, max_attempts), (vec!["g".to_string()], true, 2)),
        other => panic!("{other:?}"),
    }
    assert_eq!(c.start_ms, NOW);
}

#[test]
fn an_access_log_file_is_followed_with_the_stream() {
    let c = config(&["log.json", "--follow", "--access-logs", "access.log"]);
    let access = c.access.unwrap_or_else(|| panic!("a join"));
    assert!(
        matches!(access.source, TailAccessSource::File { ref path, follow: true } if path.as_os_str() == "access.log")
    );
    assert_eq!(access.window_ms, 10_000);
}

#[test]
fn options_that_do_not_fit_say_why() {
    assert!(usage(&["--follow"]).starts_with("--follow follows a growing FILE"));
    assert_eq!(
        usage(&["f.log", "--poll"]),
        "--group, --all-groups and --poll read CloudWatch Logs: pass them without FILE or -"
    );
    assert!(usage(&["f.log", "--access-log-group", "g"]).starts_with("--access-log-group follows CloudWatch"));
    assert!(usage(&["f.log", "--access-logs", "-"]).starts_with("--access-logs takes a file for tail"));
    assert!(usage(&["f.log", "--access-logs", "a", "--raw"]).ends_with("(drop --raw)"));
    assert_eq!(
        usage(&["f.log", "--access-logs", "a", "--access-log-group", "g"]),
        "--access-logs and --access-log-group both name the access logs: pass one"
    );
    assert_eq!(
        usage(&["f.log", "--interval", "50ms"]),
        "--interval must be at least 100ms"
    );
    assert_eq!(
        usage(&["f.log", "--incomplete-after", "0s"]),
        "--incomplete-after must be more than 0"
    );
    assert_eq!(
        usage(&["f.log", "--ip", "evil"]),
        "--ip takes an IP address or a CIDR range (203.0.113.0/24), not 'evil'"
    );
    assert_eq!(usage(&["--max-attempts", "0"]), "--max-attempts must be at least 1");
}
