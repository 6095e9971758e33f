//! The parallel path (reader threads over files and ranges of files, one analysis thread) gives
//! exactly the single-threaded results, on inputs whose range and batch boundaries fall inside
//! invocations: plain and gzip, one file or several, ranges of many sizes.

use std::io::Write;

use crate::util::authlogs;

/// About 6 MB of interleaved seed-authorizer traffic in S3-export shape: every 1 MiB batch boundary
/// falls inside some invocation, and requests of several streams overlap.
fn corpus() -> String {
    let mut out = String::new();
    let mut seed: u64 = 42;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    };
    let base = 1_752_192_000_000i64;
    for round in 0..2500u64 {
        let mut lines: Vec<Vec<String>> = Vec::new();
        for s in 0..6u64 {
            let n = round * 6 + s;
            let id = format!("{:08x}-0000-4000-8000-{:012x}", n, next());
            let (ip, tok) = match next() % 10 {
                0..=1 => ("198.51.100.7", "Ab12Xy34"),
                2 => ("203.0.113.10", "None"),
                3 => ("192.0.2.9", "guess"),
                _ => ("203.0.113.10", "Ab12Xy34"),
            };
            let mut l = vec![format!("START RequestId: {id} Version: $LATEST")];
            for (k, v) in [
                ("Source IP", ip),
                ("Token", tok),
                ("Allowed IP", "203.0.113.10"),
                ("Allowed Token", "Ab12Xy34"),
            ] {
                l.push(format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] {k}: {v}"));
            }
            if ip != "203.0.113.10" {
                l.push(format!("[ERROR]\t2025-07-11T06:05:34.309Z\t{id}\t[ERROR] IPアドレスが不一致: 受信IP={ip}, 許可IP=203.0.113.10"));
            }
            l.push(format!("END RequestId: {id}"));
            let timeout = next() % 50 == 0;
            l.push(format!(
                "REPORT RequestId: {id}\tDuration: {}.{:02} ms\tBilled Duration: 3 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t{}",
                1 + next() % 3,
                next() % 100,
                if timeout { "Status: timeout" } else { "" }
            ));
            lines.push(l);
        }
        for j in 0..9 {
            for (s, l) in lines.iter().enumerate() {
                if let Some(msg) = l.get(j) {
                    let t = base + (round * 1000 + s as u64 * 10 + j as u64) as i64;
                    let secs = t / 1000;
                    out.push_str(&format!(
                        "2025-07-11T{:02}:{:02}:{:02}.{:03}Z {msg}\n\n",
                        (secs / 3600) % 24,
                        (secs / 60) % 60,
                        secs % 60,
                        t % 1000
                    ));
                }
            }
        }
    }
    out
}

fn run(args: &[&str]) -> Vec<u8> {
    let out = authlogs().arg("report").args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn threaded_and_single_threaded_reports_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let text = corpus();
    assert!(text.len() > 5 << 20, "corpus is {} bytes", text.len());
    let plain = dir.path().join("corpus.log");
    std::fs::write(&plain, &text).unwrap();
    let gz = dir.path().join("corpus.log.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(text.as_bytes()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    // The same events split into two files at a point inside an invocation.
    let cut = text.len() / 2;
    let cut = cut + text[cut..].find('\n').unwrap() + 1;
    let (a, b) = (dir.path().join("a.log"), dir.path().join("b.log"));
    std::fs::write(&a, &text[..cut]).unwrap();
    std::fs::write(&b, &text[cut..]).unwrap();

    let p = plain.to_str().unwrap();
    let reference = run(&["--format", "json", "--threads", "1", p]);
    let report: serde_json::Value = serde_json::from_slice(&reference).unwrap();
    assert_eq!(report["invocations"], 15_000);
    assert!(report["decisions"]["denied"].as_u64().unwrap() > 3000);
    assert_eq!(report["incomplete"], 0);
    assert_eq!(report["input"]["late_lines"], 0);

    assert_eq!(
        run(&["--format", "json", "--threads", "2", p]),
        reference,
        "threaded plain"
    );
    assert_eq!(
        run(&["--format", "json", gz.to_str().unwrap()]),
        reference,
        "threaded gzip"
    );
    assert_eq!(
        run(&["--format", "json", a.to_str().unwrap(), b.to_str().unwrap()]),
        reference,
        "threaded, split into two files"
    );
    assert_eq!(
        run(&["--requests", "--threads", "1", p]),
        run(&["--requests", "--threads", "2", p]),
        "per-request rows, in the same order"
    );
    assert_eq!(
        run(&["--requests", "--threads", "1", p]),
        run(&["--requests", "--threads", "3", p]),
        "per-request rows, in the same order"
    );
    // Ranges cut the file at event headers; every size puts boundaries inside invocations.
    for range_bytes in ["4093", "65536", "1000003"] {
        // 1, 2 and 4 reader threads beside the analysis thread.
        for threads in ["2", "3", "5"] {
            assert_eq!(
                run(&[
                    "--format",
                    "json",
                    "--threads",
                    threads,
                    "--range-bytes",
                    range_bytes,
                    p
                ]),
                reference,
                "{threads} threads over ranges of {range_bytes} bytes"
            );
        }
    }
    assert_eq!(
        run(&["--requests", "--threads", "3", "--range-bytes", "65536", p]),
        run(&["--requests", "--threads", "1", p]),
        "per-request rows over ranges, in the same order"
    );
    // A directory of many small files, plain and gzip, read by several threads at once.
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    let mut rest = &text[..];
    let mut n = 0;
    while !rest.is_empty() {
        let cut = rest.len().min(150_000);
        let cut = cut
            + rest.as_bytes()[cut..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
        let name = tree.join(format!("{n:04}.log"));
        if n % 2 == 0 {
            std::fs::write(&name, &rest[..cut]).unwrap();
        } else {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(&rest.as_bytes()[..cut]).unwrap();
            std::fs::write(name.with_extension("log.gz"), enc.finish().unwrap()).unwrap();
        }
        rest = &rest[cut..];
        n += 1;
    }
    assert!(n > 30, "{n} files");
    let t = tree.to_str().unwrap();
    assert_eq!(
        run(&["--format", "json", "--threads", "1", t]),
        reference,
        "directory, one thread"
    );
    assert_eq!(
        run(&["--format", "json", "--threads", "4", "--range-bytes", "65536", t]),
        reference,
        "directory, four threads"
    );
    // A time window cuts in the parser thread: still identical.
    let window = [
        "--since",
        "2025-07-11T00:10:00Z",
        "--until",
        "2025-07-11T00:30:00Z",
        "--format",
        "json",
    ];
    let one = run(&[&window[..], &["--threads", "1", p]].concat());
    assert_eq!(run(&[&window[..], &["--threads", "3", p]].concat()), one, "windowed");
    let windowed: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert!(windowed["input"]["filtered_events"].as_u64().unwrap() > 0);
}
