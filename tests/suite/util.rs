//! Helpers shared by every integration test: paths of the fixtures, the `authlogs` command, its result.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Once;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// The repository root (tests run the binary from there, as a user runs `authlogs report samples/`).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Absolute path of a fixture in `tests/data/`.
pub fn data(name: &str) -> String {
    root()
        .join("tests")
        .join("data")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// The bytes of a fixture.
pub fn read_data(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// RFC 3339 UTC with milliseconds, as authlogs prints times.
/// Epoch ms of a time `iso` wrote.
pub fn parse_iso(text: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 time")
        .timestamp_millis()
}

pub fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .expect("a valid time")
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// The locale variables `--lang` defaults from.
pub const LOCALE_VARS: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];

/// The built binary, run from the repository root, without colors, in UTC, in English (without a
/// locale: a test that wants another language sets one, or passes `--lang`).
pub fn authlogs() -> Command {
    let mut cmd = Command::cargo_bin("authlogs").expect("the authlogs binary is built");
    cmd.current_dir(root())
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .timeout(Duration::from_secs(120));
    for var in LOCALE_VARS {
        cmd.env_remove(var);
    }
    cmd
}

/// What a run of the binary gave.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    pub fn text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                String::from_utf8_lossy(&self.stdout),
                self.stderr
            )
        })
    }
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "exit code\nstderr:\n{}\nstdout:\n{}",
            self.stderr,
            String::from_utf8_lossy(&self.stdout)
        );
        self
    }
    #[track_caller]
    pub fn assert_no_panic(&self) -> &Self {
        assert!(!self.stderr.contains("panicked"), "panic:\n{}", self.stderr);
        assert_ne!(self.code, Some(101), "exit 101 is a Rust panic:\n{}", self.stderr);
        assert!(self.code.is_some(), "killed by a signal:\n{}", self.stderr);
        self
    }
}

/// Runs `cmd` to its end.
pub fn finish(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("run authlogs");
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `authlogs report ARGS…`
pub fn report(args: &[&str]) -> Run {
    finish(authlogs().arg("report").args(args))
}

/// Set to `1` by `scripts/test`: a test whose server or browser is absent then fails with its own
/// message instead of being skipped.
pub const REQUIRE_SERVERS: &str = "AUTHLOGS_TEST_REQUIRE_SERVERS";

/// Whether a test that needs something outside the repository (`present` says if it is there) runs.
/// It runs when it is present, and also when `scripts/test` requires it (so that it fails and says
/// what is missing). Otherwise it returns early, and `line` is written once per test binary straight
/// to the process's stderr, which libtest does not capture: a plain `cargo test` passes on a fresh
/// clone and still says what it did not run.
pub fn present_or_skip(present: bool, once: &'static Once, line: &str) -> bool {
    if present || std::env::var(REQUIRE_SERVERS).is_ok_and(|v| v == "1") {
        return true;
    }
    once.call_once(|| {
        let _ = std::io::stderr().write_all(line.as_bytes());
    });
    false
}

/// Whether the tests that need the moto server run: start each with
/// `if !util::moto() { return; }`.
pub fn moto() -> bool {
    static ONCE: Once = Once::new();
    let present = std::env::var("AUTHLOGS_TEST_ENDPOINT").is_ok_and(|e| !e.is_empty());
    present_or_skip(
        present,
        &ONCE,
        "\nauthlogs tests: skipping the tests that need moto (AUTHLOGS_TEST_ENDPOINT is not set; scripts/test starts it)\n",
    )
}
