//! The runs: the whole corpus in one container, read by the binary into every output form, every
//! invariant checked on each; a test per container, failing with the list of every case it broke.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use serde_json::Value;

use super::containers::Container;
use super::generator::{cases, Case};
use super::invariants::{csv_formula, find_leaks, html_unescaped, raw_hostile, Failure};
use crate::util::{authlogs, finish, Run};

/// An output form and how it is produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Table,
    Json,
    Csv,
    Html,
    Requests,
    RequestsJson,
    Tail,
    TailJson,
    TailRaw,
}

const FORMS: [Form; 9] = [
    Form::Table,
    Form::Json,
    Form::Csv,
    Form::Html,
    Form::Requests,
    Form::RequestsJson,
    Form::Tail,
    Form::TailJson,
    Form::TailRaw,
];

impl Form {
    /// The arguments after `report FILE` or `tail -`.
    fn args(self) -> &'static [&'static str] {
        match self {
            Form::Table => &["--format", "table"],
            Form::Json | Form::TailJson => &["--format", "json"],
            Form::Csv => &["--format", "csv"],
            Form::Html => &["--format", "html"],
            Form::Requests => &["--requests"],
            Form::RequestsJson => &["--requests", "--format", "json"],
            Form::Tail => &[],
            Form::TailRaw => &["--raw"],
        }
    }

    fn is_tail(self) -> bool {
        matches!(self, Form::Tail | Form::TailJson | Form::TailRaw)
    }

    fn name(self) -> &'static str {
        match self {
            Form::Table => "report table",
            Form::Json => "report JSON",
            Form::Csv => "report CSV",
            Form::Html => "report HTML",
            Form::Requests => "report --requests",
            Form::RequestsJson => "report --requests JSON",
            Form::Tail => "tail -",
            Form::TailJson => "tail - JSON",
            Form::TailRaw => "tail - --raw",
        }
    }
}

/// Collects the failures of one container's runs.
struct Checker<'a> {
    cases: &'a [Case],
    /// What the input is, for the failure list (the container's name).
    input: &'static str,
    failures: Vec<Failure>,
}

impl Checker<'_> {
    fn fail(&mut self, case: &str, form: Form, stream: &str, invariant: &'static str, excerpt: String) {
        self.failures.push(Failure {
            case: case.to_string(),
            output: format!("{}: {} ({stream})", self.input, form.name()),
            invariant,
            excerpt,
        });
    }

    /// Every invariant of one run's output.
    fn check(&mut self, form: Form, run: &Run) {
        let code = run.code;
        if run.stderr.contains("panicked") || !matches!(code, Some(0 | 3)) {
            let tail: String = run
                .stderr
                .chars()
                .rev()
                .take(300)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            self.fail(
                "-",
                form,
                "exit",
                "(d) no panic, exit 0 or 3",
                format!("exit {code:?}: {}", tail.escape_debug()),
            );
        }
        let out = match String::from_utf8(run.stdout.clone()) {
            Ok(text) => text,
            Err(e) => {
                self.fail("-", form, "stdout", "output is UTF-8", e.to_string());
                String::from_utf8_lossy(&run.stdout).into_owned()
            }
        };
        for (text, stream) in [(&out, "stdout"), (&run.stderr, "stderr")] {
            for (case, excerpt) in find_leaks(text, self.cases) {
                self.fail(&case, form, stream, "(a) no token without --show-tokens", excerpt);
            }
        }
        if let Some(found) = raw_hostile(&run.stderr) {
            self.fail("-", form, "stderr", "(b) no raw control/invisible character", found);
        }
        match form {
            Form::Json => self.check_report_json(form, run, &out),
            Form::Html => {
                if let Some(found) = html_unescaped(&out) {
                    self.fail("-", form, "stdout", "(b) nothing from a log unescaped in HTML", found);
                }
            }
            Form::Csv | Form::Requests => {
                match csv_formula(&out) {
                    Ok(None) => {}
                    Ok(Some(cell)) => self.fail("-", form, "stdout", "(b) no CSV cell starts a formula", cell),
                    Err(e) => self.fail("-", form, "stdout", "CSV parses", e),
                }
                self.raw(form, &out);
            }
            Form::RequestsJson | Form::TailJson => self.check_rows(form, run, &out),
            Form::Table | Form::Tail | Form::TailRaw => self.raw(form, &out),
        }
        if form == Form::Tail && code == Some(0) {
            // One line per invocation, naming its request id (the ALERT lines name none).
            for case in self.cases {
                let lines = out.lines().filter(|l| l.contains(&case.id)).count();
                if lines != 1 {
                    let what = format!("{lines} lines name its request id");
                    self.fail(&case.name, form, "stdout", "(c) every invocation printed once", what);
                }
            }
        }
    }

    fn raw(&mut self, form: Form, out: &str) {
        if let Some(found) = raw_hostile(out) {
            self.fail("-", form, "stdout", "(b) no raw control/invisible character", found);
        }
    }

    /// JSON parses; every invocation counted, or exit 3 with `complete: false` and input errors
    /// that name their position.
    fn check_report_json(&mut self, form: Form, run: &Run, out: &str) {
        let report: Value = match serde_json::from_str(out) {
            Ok(v) => v,
            Err(e) => return self.fail("-", form, "stdout", "JSON parses", e.to_string()),
        };
        let complete = report["complete"].as_bool();
        let errors = report["input_errors"].as_array().cloned().unwrap_or_default();
        let counted = report["invocations"].as_u64();
        let damaged = run.code == Some(3)
            && complete == Some(false)
            && !errors.is_empty()
            && errors
                .iter()
                .all(|e| e["position"].as_str().is_some_and(|p| !p.is_empty()));
        if counted != Some(self.cases.len() as u64) && !damaged {
            let what = format!(
                "{counted:?} invocations of {}, exit {:?}, complete {complete:?}, {} input errors",
                self.cases.len(),
                run.code,
                errors.len()
            );
            self.fail("-", form, "stdout", "(c) no silent loss", what);
        }
        if (run.code == Some(3)) != (complete == Some(false)) {
            let what = format!("exit {:?} with complete {complete:?}", run.code);
            self.fail("-", form, "stdout", "(c) exit 3 exactly when incomplete", what);
        }
    }

    /// JSON lines parse; every case's invocation is there once (unless the input was reported
    /// damaged), with the decision its authorizer logged.
    fn check_rows(&mut self, form: Form, run: &Run, out: &str) {
        let mut seen: HashMap<String, Vec<String>> = HashMap::new();
        for line in out.lines() {
            match serde_json::from_str::<Value>(line) {
                Ok(row) => {
                    if let (Some(id), Some(decision)) = (row["request_id"].as_str(), row["decision"].as_str()) {
                        seen.entry(id.to_string()).or_default().push(decision.to_string());
                    }
                }
                Err(e) => return self.fail("-", form, "stdout", "JSON lines parse", e.to_string()),
            }
        }
        let damaged = run.code == Some(3);
        for case in self.cases {
            let expected = if case.allowed { "allowed" } else { "denied" };
            match seen.get(&case.id).map(Vec::as_slice) {
                None | Some([]) if !damaged => self.fail(
                    &case.name,
                    form,
                    "stdout",
                    "(c) no silent loss",
                    "its invocation is missing".into(),
                ),
                None | Some([]) => {}
                Some([decision]) if decision == expected => {}
                Some(decisions) => {
                    let what = format!("{decisions:?} where the log says {expected}");
                    self.fail(&case.name, form, "stdout", "decision as logged", what);
                }
            }
        }
    }
}

/// Runs the corpus in `container` through every output form; fails listing every broken promise.
fn corpus_in(container: Container) {
    let started = Instant::now();
    let cases: Vec<Case> = cases().into_iter().filter(|c| container.carries(c)).collect();
    let bytes = container.write(&cases);
    let dir = tempfile::tempdir().expect("a temporary directory");
    // `AUTHLOGS_HOSTILE_DIR=DIR` keeps the corpus files there, to replay a failure by hand.
    let kept = std::env::var_os("AUTHLOGS_HOSTILE_DIR").map(std::path::PathBuf::from);
    let path = kept
        .as_deref()
        .unwrap_or(dir.path())
        .join(format!("hostile.{}.log", container.name()));
    std::fs::write(&path, &bytes).expect("write the corpus");
    let path = path.to_string_lossy().into_owned();
    let mut checker = Checker {
        cases: &cases,
        input: container.name(),
        failures: Vec::new(),
    };
    // `tail --raw` masks every line it prints, at about 0.3 MB/s in a debug build: it reads the
    // megabyte cases only in the container `tail -` is made for, to keep the suite's time.
    let raw_bytes = if container == Container::Tail {
        bytes.clone()
    } else {
        let small: Vec<Case> = cases.iter().filter(|c| c.len() < 200 * 1024).cloned().collect();
        container.write(&small)
    };
    for form in FORMS {
        let mut cmd = authlogs();
        if form == Form::TailRaw {
            cmd.args(["tail", "-"]).write_stdin(raw_bytes.clone());
        } else if form.is_tail() {
            cmd.args(["tail", "-"]).write_stdin(bytes.clone());
        } else {
            cmd.args(["report", path.as_str()]);
        }
        cmd.args(form.args()).args(["--color", "never", "--lang", "en"]);
        let run = finish(&mut cmd);
        checker.check(form, &run);
    }
    eprintln!(
        "hostile corpus: {} cases in {} ({} bytes), {} output forms, {:.1} s",
        cases.len(),
        container.name(),
        bytes.len(),
        FORMS.len(),
        started.elapsed().as_secs_f64()
    );
    if !checker.failures.is_empty() {
        panic!("{}", summary(&checker.failures));
    }
}

/// The failures grouped by output and invariant: how many, which cases, an excerpt of the first.
fn summary(failures: &[Failure]) -> String {
    let mut groups: BTreeMap<(String, &str), Vec<&Failure>> = BTreeMap::new();
    for f in failures {
        groups.entry((f.output.clone(), f.invariant)).or_default().push(f);
    }
    let mut text = format!("{} broken promises in {} groups:\n", failures.len(), groups.len());
    for ((output, invariant), list) in &groups {
        let mut names: Vec<&str> = list.iter().map(|f| f.case.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let shown = names.len().min(12);
        let more = if names.len() > shown {
            format!(" … and {} more", names.len() - shown)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "- {output}: {invariant}: {} time(s), cases {}{more}\n    e.g. {}\n",
            list.len(),
            names[..shown].join(", "),
            list[0].excerpt
        ));
    }
    text
}

/// The inputs of which no line is recognized get sample lines on stderr and in `input_warnings`:
/// each case's event dump and `KeyError` lines alone in a file of their own (bare), 20 files a run
/// (the inputs listed before the rest are only counted), every output checked for tokens and
/// raw control characters.
#[test]
fn hostile_dumps_as_sample_lines() {
    let cases = cases();
    let mut checker = Checker {
        cases: &cases,
        input: "bare dumps",
        failures: Vec::new(),
    };
    // The message of an application line without its Lambda prefix and level (which are
    // recognized), so that nothing in the file is.
    let bare = |m: &Vec<u8>| -> Option<Vec<u8>> {
        let text = m.splitn(4, |&b| b == b'\t').nth(3)?;
        let text = text
            .strip_prefix(b"[INFO] ")
            .or_else(|| text.strip_prefix(b"[ERROR] "))
            .unwrap_or(text);
        let dump = text.starts_with(b"Event:") || text.starts_with(b"KeyError:");
        dump.then(|| text.to_vec())
    };
    for chunk in cases.chunks(20) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        for case in chunk {
            let mut bytes = Vec::new();
            for line in case.messages.iter().filter_map(bare) {
                bytes.extend(line);
                bytes.push(b'\n');
            }
            std::fs::write(dir.path().join(format!("{}.log", case.number)), bytes).expect("write a case");
        }
        let dir_arg = dir.path().to_string_lossy().into_owned();
        let run = finish(authlogs().args(["report", dir_arg.as_str(), "--format", "json"]));
        for (text, stream) in [
            (String::from_utf8_lossy(&run.stdout).into_owned(), "stdout"),
            (run.stderr.clone(), "stderr"),
        ] {
            for (case, excerpt) in find_leaks(&text, &cases) {
                checker.fail(&case, Form::Json, stream, "(a) no token in sample lines", excerpt);
            }
        }
        if let Some(found) = raw_hostile(&run.stderr) {
            checker.fail(
                "-",
                Form::Json,
                "stderr",
                "(b) no raw control/invisible character",
                found,
            );
        }
        if !run.stderr.contains("e.g. ") {
            checker.fail(
                "-",
                Form::Json,
                "stderr",
                "sample lines shown",
                run.stderr.chars().take(200).collect(),
            );
        }
    }
    if !checker.failures.is_empty() {
        panic!("{}", summary(&checker.failures));
    }
}

#[test]
fn hostile_corpus_in_export() {
    corpus_in(Container::Export);
}

#[test]
fn hostile_corpus_in_json_lines() {
    corpus_in(Container::JsonLines);
}

#[test]
fn hostile_corpus_in_subscription_records() {
    corpus_in(Container::Subscription);
}

#[test]
fn hostile_corpus_in_console_copies() {
    corpus_in(Container::Console);
}

#[test]
fn hostile_corpus_in_insights_csv() {
    corpus_in(Container::InsightsCsv);
}

#[test]
fn hostile_corpus_in_tail_output() {
    corpus_in(Container::Tail);
}
