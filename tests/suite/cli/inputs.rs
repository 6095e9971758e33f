//! Several inputs: directories, mixed containers, a request split across files, stdin, named pipes.

use super::*;

#[test]
fn directory_is_walked_recursively() {
    for dir in ["tree", "tree/"] {
        let r = run_json(&[&data(dir)]);
        expect_decisions(&r, 5, [2, 3, 0, 0, 0], 0);
        expect_denials(&r, [1, 2, 0, 1]);
        expect(&r, &[("/cold_starts/count", 1.0)]);
    }
}

#[test]
fn several_inputs_of_different_containers_merge() {
    let r = run_json(&[&data("messages.export.log"), &data("json-logformat.filter.json")]);
    expect_decisions(&r, 17, [3, 12, 1, 0, 1], 0);
    expect_denials(&r, [6, 8, 2, 3]);
    expect(&r, &[("/cold_starts/count", 1.0)]);
}

#[test]
fn invocation_split_across_two_files_is_joined() {
    let alone = run_json(&[&data("split-1.export.log")]);
    expect_decisions(&alone, 2, [1, 0, 0, 0, 1], 1);
    let both = run_json(&[&data("split-1.export.log"), &data("split-2.export.log")]);
    expect_decisions(&both, 3, [2, 1, 0, 0, 0], 0);
    expect_denials(&both, [0, 1, 0, 0]);
}

#[test]
fn stdin_dash_plain_gzip_and_next_to_a_file() {
    let plain = report_stdin(&["-"], read_data("equiv.export.log"));
    plain.assert_code(0);
    expect_equiv(&plain.json());

    let gzip = report_stdin(&["-"], read_data("equiv.export.gz"));
    gzip.assert_code(0);
    expect_equiv(&gzip.json());

    let bare = report_stdin(&["-", "--input-format", "bare"], read_data("json-logformat.bare.log"));
    bare.assert_code(0);
    expect_json_logformat(&bare.json());

    let merged = report_stdin(&["-", &data("messages.export.log")], read_data("equiv.export.log"));
    merged.assert_code(0);
    let r = merged.json();
    expect_decisions(&r, 21, [4, 14, 1, 1, 1], 0);
    expect_denials(&r, [8, 9, 3, 4]);
}

/// A named pipe (`<(zcat …)`, `/dev/fd/N`) is read whole: choosing the thread layout once opened
/// it and read its first two bytes to tell gzip, which lost them (and the events of a gzip input).
#[test]
fn a_named_pipe_loses_no_bytes() {
    let bin = assert_cmd::cargo::cargo_bin("authlogs");
    for (name, threads) in [
        ("equiv.export.gz", None),
        ("equiv.export.log", None),
        ("equiv.export.gz", Some("2")),
    ] {
        let threads = threads.map(|n| format!("--threads {n}")).unwrap_or_default();
        let script = format!(
            "exec '{}' report --format json {threads} <(cat '{}')",
            bin.display(),
            data(name)
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &script])
            .current_dir(root())
            .env("NO_COLOR", "1")
            .env("TZ", "UTC")
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "{name} {threads}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
        expect_equiv(&r);
    }
}
