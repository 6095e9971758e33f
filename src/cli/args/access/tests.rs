//! Tests of the shared access-log options: where the logs come from, the keys and the window.

use super::*;
use crate::cli::args::parse;

fn join(args: &[&str], files: Option<&str>) -> Result<Option<AccessJoin<String>>, Error> {
    parse::<AccessArgs>(args).validate(files.map(String::from))
}

fn usage(args: &[&str], files: Option<&str>) -> String {
    match join(args, files) {
        Err(Error::Usage(text)) => text,
        other => panic!("{args:?}: {other:?}"),
    }
}

#[test]
fn no_access_logs_no_join() {
    assert!(matches!(join(&[], None), Ok(None)));
    assert!(matches!(join(&["--join-window", "2m"], None), Ok(None)));
}

#[test]
fn files_or_a_group_with_the_default_keys_and_window() {
    let j = join(&[], Some("access.log"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("a join"));
    assert_eq!(j.from, AccessFrom::Files("access.log".to_string()));
    assert_eq!((j.fields, j.window_ms), (AccessFields::default(), 10_000));
    let j = join(&["--access-log-group", "api", "--join-window", "500ms"], None)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("a join"));
    assert_eq!((j.from, j.window_ms), (AccessFrom::Group("api".into()), 500));
}

#[test]
fn options_that_do_not_fit_say_why() {
    assert_eq!(
        usage(&["--access-log-fields", "ip=x"], None),
        "--access-log-fields names the keys of access logs: pass --access-logs FILE or --access-log-group NAME too"
    );
    assert_eq!(
        usage(&["--access-log-group", "g"], Some("a")),
        "--access-logs and --access-log-group both name the access logs: pass one"
    );
    assert!(usage(&["--access-log-fields", "colour=x"], Some("a")).starts_with("--access-log-fields: "));
    for window in ["0ms", "61s", "2m"] {
        assert_eq!(
            usage(&["--join-window", window], Some("a")),
            "--join-window must be between 1ms and 60s (API Gateway gives an authorizer 10 s)"
        );
    }
    assert_eq!(
        usage(&["--join-window", "soon"], Some("a")),
        "--join-window takes a span like 500ms, 1s, 2m or 1h30m, not 'soon'"
    );
}
