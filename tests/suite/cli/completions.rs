//! Completions and man pages, generated from the argument definitions.

use super::*;

/// The shells `authlogs completions` writes a script for.
const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "powershell", "elvish"];

/// How the script for `shell` spells the long option `name` (fish: `-l name`).
fn long_option(shell: &str, name: &str) -> String {
    match shell {
        "fish" => format!("-l {name}"),
        _ => format!("--{name}"),
    }
}

/// `authlogs ARGS…`, which must exit 0 without a word on stderr; its stdout.
fn generated(args: &[&str]) -> String {
    let run = finish(authlogs().args(args));
    run.assert_no_panic().assert_code(0);
    assert_eq!(run.stderr, "", "{args:?}");
    run.text()
}

/// The long options `authlogs ARGS… --help` lists (the first on each option's line), without `--help`.
fn long_options_in_help(args: &[&str]) -> BTreeSet<String> {
    let help = generated(&[args, &["--help"]].concat());
    help.lines()
        .map(str::trim_start)
        // `--since <TIME>` or `-f, --format <FORMAT>`; not a value's `- json: …`.
        .filter_map(|line| {
            line.strip_prefix("--")
                .or_else(|| line.get(2..).and_then(|l| l.strip_prefix(", --")))
        })
        .filter_map(|rest| rest.split([' ', '=']).next())
        .filter(|option| *option != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_shell_gets_a_script_with_the_subcommands_and_their_options() {
    for shell in SHELLS {
        let script = generated(&["completions", shell]);
        assert!(script.len() > 1000, "{shell}: {} bytes", script.len());
        for subcommand in ["report", "tail", "groups", "audit", "completions", "man"] {
            assert!(script.contains(subcommand), "{shell}: no {subcommand}");
        }
        for option in [
            "since",
            "until",
            "engine",
            "group-pattern",
            "format",
            "denied",
            "max-tps",
        ] {
            let spelled = long_option(shell, option);
            assert!(script.contains(&spelled), "{shell}: no {spelled}");
        }
    }
}

/// The bash script parses, and completes subcommands, options and their values when bash asks it.
#[test]
fn bash_completion_parses_and_completes() {
    let script = generated(&["completions", "bash"]);
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("authlogs.bash");
    std::fs::write(&path, &script).expect("written");
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash runs");
    assert!(
        check.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    // What bash sets before it calls the completion function: the words, the one being completed.
    let complete = |words: &[&str]| -> BTreeSet<String> {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let cword = words.len() - 1;
        let program = format!(
            "source '{}'; COMP_WORDS=({}); COMP_CWORD={cword}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; \
             _authlogs authlogs '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display(),
            quoted.join(" "),
            words.join(" "),
            words[cword],
            words[cword - 1],
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &program])
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "{words:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(complete(&["authlogs", "re"]), BTreeSet::from(["report".to_string()]));
    let subcommands = complete(&["authlogs", ""]);
    for want in ["report", "tail", "groups", "audit", "completions", "man"] {
        assert!(subcommands.contains(want), "{want}: {subcommands:?}");
    }
    let options = complete(&["authlogs", "report", "--"]);
    for want in ["--since", "--engine", "--group-pattern", "--requests"] {
        assert!(options.contains(want), "{want}: {options:?}");
    }
    let engines = complete(&["authlogs", "report", "--engine", ""]);
    for want in ["local", "insights", "auto"] {
        assert!(engines.contains(want), "{want}: {engines:?}");
    }
    let shells = complete(&["authlogs", "completions", ""]);
    for want in SHELLS {
        assert!(shells.contains(want), "{want}: {shells:?}");
    }
}

/// `authlogs man` is authlogs(1) in roff; every page it refers to is printed by `man --command`, and
/// lists every long option `--help` does.
#[test]
fn man_pages_are_roff_with_every_option() {
    let top = generated(&["man"]);
    assert!(top.lines().take(5).any(|l| l.starts_with(".TH authlogs 1 ")), "{top}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(top.contains(section), "no {section}: {top}");
    }
    assert!(top.contains(env!("CARGO_PKG_VERSION")), "no version: {top}");
    // roff escapes each `-`: the pages are referred to as `authlogs\-NAME(1)`.
    let pages: Vec<&str> = top
        .split("authlogs\\-")
        .skip(1)
        .filter_map(|rest| rest.split_once("(1)").map(|(name, _)| name))
        .collect();
    assert_eq!(
        pages,
        ["report", "tail", "groups", "audit", "completions", "man"],
        "{top}"
    );
    for page in pages {
        let text = generated(&["man", "--command", page]);
        assert!(
            text.lines()
                .take(5)
                .any(|l| l.starts_with(&format!(".TH authlogs-{page} 1 "))),
            "{page}: {text}"
        );
        assert!(
            text.contains(&format!("\\fBauthlogs {page}\\fR")),
            "{page}: no synopsis"
        );
        for option in long_options_in_help(&[page]) {
            let escaped = format!("\\fB\\-\\-{}\\fR", option.replace('-', "\\-"));
            assert!(text.contains(&escaped), "{page}: no --{option}");
        }
    }
    // The options compared above are read from `--help`: check that reading them finds them.
    let report_options = long_options_in_help(&["report"]);
    for option in ["format", "since", "engine", "group-pattern", "max-tps"] {
        assert!(report_options.contains(option), "--{option}: {report_options:?}");
    }
}

/// A closed output (`authlogs man | head -1`, reader gone) ends both commands quietly.
#[test]
fn completions_and_man_exit_quietly_on_a_closed_output() {
    for args in [&["completions", "bash"][..], &["man"], &["man", "--command", "report"]] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("authlogs"))
            .args(args)
            .stdout(writer)
            .output()
            .expect("authlogs runs");
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

#[test]
fn completions_and_man_usage_errors_exit_2() {
    for args in [
        &["completions"][..],
        &["completions", "tcsh"],
        &["man", "--command", "nope"],
        &["man", "extra"],
    ] {
        let run = finish(authlogs().args(args));
        run.assert_no_panic().assert_code(2);
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(!run.stderr.trim().is_empty(), "no message for {args:?}");
    }
}
