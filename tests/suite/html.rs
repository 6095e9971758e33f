//! The HTML report in a real browser (headless Chromium, installed by scripts/test): the charts are
//! drawn with the report's counts, and hostile log text stays text — no script runs from it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{self, authlogs, finish, root};

/// Chromium as scripts/test found or installed it, or one on the `PATH`.
fn find_chromium() -> Option<String> {
    std::env::var("AUTHLOGS_TEST_CHROMIUM")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| {
            ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|c| {
                let ok = Command::new(c)
                    .arg("--version")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
                ok.ok().filter(|s| s.success()).map(|_| c.to_string())
            })
        })
}

/// Whether the browser tests run: without Chromium they are skipped (one line says so), except
/// under scripts/test, where they fail and say how to get it.
fn browser() -> bool {
    static ONCE: Once = Once::new();
    util::present_or_skip(
        find_chromium().is_some(),
        &ONCE,
        "\nauthlogs tests: skipping the tests that need Chromium (none found and AUTHLOGS_TEST_CHROMIUM is not set; scripts/test installs it)\n",
    )
}

/// Chromium for a test that runs; fails (never skips) without it.
fn chromium() -> String {
    find_chromium().unwrap_or_else(|| {
        panic!(
            "no Chromium for the HTML report's browser test: run scripts/test as root (it installs Debian's \
             chromium package), or install it (sudo apt-get install chromium) or set AUTHLOGS_TEST_CHROMIUM"
        )
    })
}

/// Runs headless Chromium on `page` with `args` (a closed network: no background fetches), and
/// returns its stdout; fails after a minute.
fn headless(page: &Path, args: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("a profile dir");
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn write_report(inputs: &[&Path], out: &Path, extra: &[&str]) -> Value {
    let r = finish(
        authlogs()
            .arg("report")
            .args(inputs)
            .args(["--format", "html", "--output"])
            .arg(out)
            .args(extra),
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "--output leaves stdout empty");
    let j = finish(
        authlogs()
            .arg("report")
            .args(inputs)
            .args(["--format", "json"])
            .args(extra),
    );
    serde_json::from_slice(&j.stdout).expect("json")
}

/// The value of `attr` on the element opening with `open` (e.g. `<figure data-chart="timeline"`).
fn attr(dom: &str, open: &str, attr: &str) -> Option<String> {
    let at = dom.find(open)?;
    let tag = dom[at..].split('>').next()?;
    let key = format!("{attr}=\"");
    let start = tag.find(&key)? + key.len();
    Some(tag[start..].split('"').next()?.to_string())
}

#[test]
fn the_samples_report_renders_its_charts_with_the_reports_counts() {
    if !browser() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("report.html");
    let samples = root().join("samples");
    let report = write_report(&[&samples], &page, &[]);
    let dom = headless(&page, &["--dump-dom"]);
    assert!(
        dom.contains("<svg"),
        "no chart in the DOM: {}",
        &dom[..dom.len().min(500)]
    );
    let d = &report["decisions"];
    for k in ["allowed", "denied", "timeout", "error", "unknown"] {
        assert_eq!(
            attr(&dom, "<figure data-chart=\"decisions\"", &format!("data-{k}")),
            Some(d[k].to_string()),
            "decisions.{k}"
        );
    }
    let buckets = report["timeline"]["buckets"].as_array().map_or(0, Vec::len);
    assert_eq!(
        attr(&dom, "<figure data-chart=\"timeline\"", "data-buckets"),
        Some(buckets.to_string())
    );
    let count = report["duration_ms"]["count"].to_string();
    assert_eq!(attr(&dom, "<figure data-chart=\"duration\"", "data-count"), Some(count));
    for chart in [
        "decisions",
        "timeline",
        "top-denied-ips",
        "duration",
        "memory",
        "cold-starts",
    ] {
        let open = format!("<figure data-chart=\"{chart}\"");
        let at = dom.find(&open).unwrap_or_else(|| panic!("no {chart} chart"));
        let figure = &dom[at..at + dom[at..].find("</figure>").expect("closed")];
        assert!(
            figure.contains("<svg") && figure.contains("<rect"),
            "{chart} has no bars"
        );
    }
    let findings = report["findings"].as_array().map_or(0, Vec::len);
    assert_eq!(dom.matches("<article class=\"finding").count(), findings);
    assert!(!dom.contains("<script"));
    // A picture for people to look at.
    // Under the build's own target dir (CARGO_TARGET_TMPDIR), wherever CARGO_TARGET_DIR puts it.
    let shot: PathBuf = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-report.png");
    let _ = std::fs::remove_file(&shot);
    headless(
        &page,
        &[&format!("--screenshot={}", shot.display()), "--window-size=1100,2400"],
    );
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 20_000, "screenshot {} is {size} bytes", shot.display());
}

#[test]
fn hostile_log_text_runs_no_script_in_the_browser() {
    if !browser() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("hostile.log");
    let id = "8e0c7c8e-2f5e-4a36-9b5c-1f0a2b3c4d5e";
    let hostile = [
        "<script>document.title='pwned-script'</script>",
        "<img src=x onerror=\"document.title='pwned-img'\">",
        "\"><svg onload=\"document.title='pwned-svg'\">",
    ];
    let mut text = String::new();
    for (i, h) in hostile.iter().enumerate() {
        let rid = format!("{}{i}", &id[..id.len() - 1]);
        text.push_str(&format!(
            "START RequestId: {rid} Version: $LATEST\n\
             [INFO]\t2025-07-11T06:0{i}:00.000Z\t{rid}\t[INFO] Source IP: {h}\n\
             [INFO]\t2025-07-11T06:0{i}:00.000Z\t{rid}\t[INFO] Token: javascript:alert(1)\n\
             [INFO]\t2025-07-11T06:0{i}:00.000Z\t{rid}\t[INFO] Allowed IP: 203.0.113.10\n\
             [INFO]\t2025-07-11T06:0{i}:00.000Z\t{rid}\t[INFO] Allowed Token: Ab12Xy34\n\
             [ERROR]\t2025-07-11T06:0{i}:00.000Z\t{rid}\t[ERROR] IPアドレスが不一致: 受信IP={h}, 許可IP=203.0.113.10\n\
             END RequestId: {rid}\n\
             REPORT RequestId: {rid}\tDuration: 1.5 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t\n"
        ));
    }
    std::fs::write(&log, text).expect("write");
    let page = dir.path().join("hostile.html");
    // A source IP that is no IP token is masked unless --show-tokens: shown, the hostile text
    // must still run nothing.
    let report = write_report(&[&log], &page, &["--input-format", "bare", "--show-tokens"]);
    assert_eq!(report["decisions"]["denied"], 3, "{report}");
    let dom = headless(&page, &["--dump-dom", "--virtual-time-budget=2000"]);
    let title = dom
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or("");
    assert!(!title.contains("pwned"), "a script ran: title {title}");
    assert!(!dom.contains("<script"), "a script element");
    assert!(!dom.contains("<img"), "an img element");
    // No element has an `on…` attribute: tags are what lies between `<` and `>` (text has `&lt;`).
    let handler = dom.split('<').skip(1).filter_map(|t| t.split('>').next()).find(|tag| {
        tag.split(char::is_whitespace)
            .skip(1)
            .any(|a| a.to_ascii_lowercase().starts_with("on") && a.contains('='))
    });
    assert!(
        handler.is_none(),
        "a handler attribute in <{}>",
        handler.unwrap_or_default()
    );
    // The hostile IPs are there, as text.
    assert!(
        dom.contains("&lt;script&gt;document.title='pwned-script'&lt;/script&gt;"),
        "{dom}"
    );
    // And the allowed token is never shown.
    assert!(!dom.contains("Ab12Xy34"));
}

#[test]
fn the_callers_section_renders_the_joins_counts_and_escapes_the_access_log() {
    if !browser() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let authorizer = root().join("tests/data/equiv.export.log");
    let access = dir.path().join("access.jsonl");
    let lines = crate::tail_access::access_lines(&authorizer.display().to_string());
    std::fs::write(&access, lines.join("\n")).expect("write");
    let page = dir.path().join("callers.html");
    let access_arg = access.display().to_string();
    let report = write_report(&[&authorizer], &page, &["--access-logs", &access_arg]);
    let c = &report["callers"];
    let dom = headless(&page, &["--dump-dom"]);
    assert_eq!(
        attr(&dom, "<section id=\"callers\"", "data-requests"),
        Some(c["requests"].to_string())
    );
    for (key, pointer) in [
        ("fresh-allow", "/fresh/allow"),
        ("fresh-deny", "/fresh/deny"),
        ("cached-allow", "/cached/allow"),
        ("cached-deny", "/cached/deny"),
        ("identity-missing", "/identity_missing"),
        ("authorizer-failed", "/authorizer_failed"),
        ("cached-other-ip", "/cached_other_ip"),
    ] {
        let want = c.pointer(pointer).map(ToString::to_string);
        assert_eq!(
            attr(&dom, "<figure data-chart=\"callers\"", &format!("data-{key}")),
            want,
            "{key}"
        );
    }
    let at = dom.find("<section id=\"callers\"").expect("the callers section");
    let section = &dom[at..at + dom[at..].find("</section>").expect("closed")];
    assert!(section.contains("<svg") && section.contains("<rect"), "no bars");
    // The hostile access-log line: its error text is shown escaped, without the token.
    assert!(
        !dom.contains('\u{1b}') && !dom.contains("Ab12Xy34"),
        "raw escape or token in the page"
    );
    assert!(!dom.contains("<script"));
}
