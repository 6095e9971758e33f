//! Issue 30 items 8–10, driven by the hostile endpoint: an answer authlogs cannot read says what
//! was wrong and what to try, at once (no retries); a session token holding CR/LF is a credential
//! error; a password in `--endpoint-url` is never printed.

use super::server::{ok, Call, Endpoint, Reply};
use crate::util::{finish, Run};

const GROUP: &str = "/aws/lambda/agw-access-permission";
const PASSWORD: &str = "hunter2-pw";

/// One group, so `report --group` and `groups` get as far as the call a case breaks.
fn common(call: &Call<'_>) -> Reply {
    match call.operation {
        "DescribeLogGroups" => ok(format!(
            r#"{{"logGroups":[{{"logGroupName":"{GROUP}","storedBytes":1000,"creationTime":1700000000000}}]}}"#
        )),
        "FilterLogEvents" => ok(r#"{"events":[],"searchedLogStreams":[]}"#),
        _ => ok("{}"),
    }
}

/// An endpoint whose FilterLogEvents (or DescribeLogGroups, for `groups`) answers `reply()`.
fn answering(operation: &'static str, reply: fn() -> Reply) -> Endpoint {
    Endpoint::start(move |call| {
        if call.operation == operation {
            reply()
        } else {
            common(call)
        }
    })
}

fn report(ep: &Endpoint) -> Run {
    finish(&mut ep.authlogs(&["report", "--since", "1h", "--group", GROUP, "--engine", "local"]))
}

/// A failed run with one error line (see [`super::expect::assert_one_error`]) that never prints
/// the password.
#[track_caller]
fn assert_one_error(r: &Run, wanted: &[&str]) {
    super::expect::assert_one_error(r, wanted);
    assert!(!r.text().contains(PASSWORD), "the password is printed:\n{}", r.stderr);
}

const UNREADABLE: &str = "logs:FilterLogEvents: the endpoint's answer";
const FIX: &str = "check --endpoint-url and any proxy (HTTPS_PROXY)";

#[test]
fn broken_json_says_it_is_cut_short() {
    let ep = answering("FilterLogEvents", || ok(r#"{"events": [ {"timestamp": 1,"#));
    let r = report(&ep);
    assert_one_error(&r, &[UNREADABLE, "is JSON cut short (it ends after 29 bytes)", FIX]);
}

#[test]
fn a_captive_portal_page_is_named_by_its_title() {
    let ep = answering("FilterLogEvents", || {
        ok("<!DOCTYPE html>\n<html><head><title>Hotel WiFi \u{1b}[31mLogin</title></head><body>Accept the terms</body></html>")
            .header("Content-Type", "text/html")
    });
    let r = report(&ep);
    assert_one_error(
        &r,
        &[
            UNREADABLE,
            r#"is not JSON (it looks like an HTML page: "Hotel WiFi \x1b[31mLogin")"#,
            FIX,
        ],
    );
}

#[test]
fn a_compressed_answer_names_its_encoding() {
    let ep = answering("FilterLogEvents", || {
        ok("\u{1f}\u{7f}\u{8}\u{0}not gzip at all").header("Content-Encoding", "gzip")
    });
    let r = report(&ep);
    assert_one_error(
        &r,
        &[UNREADABLE, "is not JSON (it is sent as Content-Encoding: gzip", FIX],
    );
}

#[test]
fn a_binary_answer_shows_its_first_bytes() {
    let ep = answering("FilterLogEvents", || ok("\u{0}\u{1}\u{2}binary"));
    let r = report(&ep);
    assert_one_error(
        &r,
        &[
            UNREADABLE,
            "is not JSON (9 bytes of binary data, starting 00 01 02 62",
            FIX,
        ],
    );
}

#[test]
fn a_string_where_a_number_belongs_names_the_key() {
    let ep = answering("FilterLogEvents", || {
        ok(r#"{"events": [{"logStreamName":"s","timestamp":"soon","message":"m","eventId":"1"}]}"#)
    });
    let r = report(&ep);
    assert_one_error(
        &r,
        &[
            UNREADABLE,
            r#"has a value of the wrong type at key "timestamp" (a number was expected, found "soon")"#,
            FIX,
        ],
    );
}

#[test]
fn a_string_where_a_list_belongs_says_the_key_is_unknown() {
    // The SDK's reader does not say where it was: the message says so instead of guessing.
    let ep = answering("FilterLogEvents", || ok(r#"{"events": "x"}"#));
    let r = report(&ep);
    assert_one_error(
        &r,
        &[
            UNREADABLE,
            "has a value of the wrong type at a key the SDK does not name (expected start array or null)",
            FIX,
        ],
    );
}

#[test]
fn an_unreadable_stored_size_fails_groups_at_once() {
    let ep = answering("DescribeLogGroups", || {
        ok(r#"{"logGroups":[{"logGroupName":"/aws/lambda/x","storedBytes":"lots"}]}"#)
    });
    let r = finish(&mut ep.authlogs(&["groups"]));
    assert_one_error(
        &r,
        &[
            "logs:DescribeLogGroups: the endpoint's answer",
            r#"at key "storedBytes" (a number was expected, found "lots")"#,
            FIX,
        ],
    );
    assert_eq!(ep.calls("DescribeLogGroups"), 1, "an unreadable answer is not retried");
}

#[test]
fn an_error_status_without_an_aws_error_says_what_came_instead() {
    let ep = answering("DescribeLogGroups", || {
        ok("<html><head><title>403 Forbidden</title></head></html>").status("403 Forbidden")
    });
    let r = finish(&mut ep.authlogs(&["groups"]));
    assert_one_error(
        &r,
        &[
            "logs:DescribeLogGroups failed: HTTP 403",
            r#"the answer is not JSON (it looks like an HTML page: "403 Forbidden")"#,
        ],
    );
}

#[test]
fn a_header_http_cannot_carry_is_an_unreadable_answer_not_a_dropped_connection() {
    // hyper refuses the whole answer; it was retried 8 times and blamed on the network.
    let ep = answering("DescribeLogGroups", || ok("{}").header("X-Note", "\u{1b}[31m"));
    let r = finish(&mut ep.authlogs(&["groups"]));
    assert_one_error(
        &r,
        &[
            "logs:DescribeLogGroups: the endpoint's answer is not HTTP authlogs can read (invalid HTTP header parsed)",
            FIX,
        ],
    );
    assert!(!r.stderr.contains("--max-tps"), "not a network error:\n{}", r.stderr);
    assert_eq!(ep.calls("DescribeLogGroups"), 1, "not retried");
}

#[test]
fn a_redirect_is_not_followed_and_names_where_it_pointed() {
    let ep = answering("DescribeLogGroups", || {
        ok("").status("307 Temporary Redirect").header(
            "Location",
            format!("https://sso:{PASSWORD}@login.example/\u{202e}start"),
        )
    });
    let r = finish(&mut ep.authlogs(&["groups"]));
    assert_one_error(
        &r,
        &[
            "logs:DescribeLogGroups: the endpoint redirected to https://***@login.example/\\u{202e}start (HTTP 307)",
            "authlogs does not follow redirects; point --endpoint-url at the final address",
        ],
    );
    assert_eq!(ep.calls("DescribeLogGroups"), 1, "a redirect is not retried");
}

#[test]
fn a_session_token_with_a_line_break_is_a_credential_error_at_once() {
    let ep = Endpoint::start(common);
    let token = "tok3n-value\r\nX-Evil: 1";
    let r = finish(ep.authlogs(&["groups"]).env("AWS_SESSION_TOKEN", token));
    assert_one_error(
        &r,
        &[
            "the AWS session token of profile 'default' holds characters a header cannot carry (CR/LF",
            "set it again on one line (AWS_SESSION_TOKEN",
        ],
    );
    assert!(
        !r.text().contains("tok3n") && !r.text().contains("X-Evil"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("--max-tps"), "not a network error:\n{}", r.stderr);
    assert_eq!(
        ep.calls("DescribeLogGroups"),
        0,
        "no request can be signed, none is sent"
    );
}

#[test]
fn an_access_key_id_with_a_line_break_is_a_credential_error_not_a_panic() {
    let ep = Endpoint::start(common);
    let r = finish(
        ep.authlogs(&["groups"])
            .env("AWS_ACCESS_KEY_ID", "AKIDVALUE\nX-Evil: 1"),
    );
    assert_one_error(
        &r,
        &[
            "the AWS access key id of profile 'default' holds characters a header cannot carry",
            "(AWS_ACCESS_KEY_ID, or aws_access_key_id in the profile)",
        ],
    );
    assert!(!r.text().contains("AKIDVALUE"), "{}", r.stderr);
    assert_eq!(
        ep.calls("DescribeLogGroups"),
        0,
        "no request can be signed, none is sent"
    );
}

/// `http://alice:PASSWORD@127.0.0.1:PORT` for `url` (`http://127.0.0.1:PORT`).
fn with_userinfo(url: &str) -> String {
    url.replacen("http://", &format!("http://alice:{PASSWORD}@"), 1)
}

#[test]
fn a_closed_port_with_a_password_in_the_url_never_prints_it() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = with_userinfo(&format!("http://127.0.0.1:{port}"));
    let r = finish(
        crate::cloudwatch::authlogs()
            .args(["groups", "--endpoint-url", &url])
            .timeout(std::time::Duration::from_secs(60)),
    );
    assert_one_error(
        &r,
        &[
            &format!("cannot reach the CloudWatch Logs endpoint http://***@127.0.0.1:{port}: connection refused"),
            "check --endpoint-url",
        ],
    );
}

#[test]
fn a_reachable_endpoint_with_a_password_in_the_url_never_prints_it() {
    // The answer quotes the URL it was sent to, password and all, as a misconfigured proxy might.
    let ep = Endpoint::start(|call| match call.operation {
        "FilterLogEvents" => ok(format!(
            "upstream http://alice:{PASSWORD}@127.0.0.1/ refused the request"
        ))
        .status("400 Bad Request"),
        _ => common(call),
    });
    let url = with_userinfo(&ep.url);
    let r = finish(
        crate::cloudwatch::authlogs()
            .args(["report", "--since", "1h", "--group", GROUP, "--engine", "local"])
            .args(["--endpoint-url", &url])
            .timeout(std::time::Duration::from_secs(60)),
    );
    assert_one_error(
        &r,
        &[
            "logs:FilterLogEvents failed: HTTP 400",
            r#"it starts with "upstream http://***@127.0.0.1/ refused"#,
        ],
    );
    assert!(ep.calls("FilterLogEvents") > 0, "the endpoint was reached");
}
