//! --lang: the table, findings and tail in Japanese and English.

use super::*;

/// `report samples/` as a table with ARGS, in the environment ENV.
fn samples_table(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = authlogs();
    cmd.args(["report", "samples/", "--color", "never"]).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let run = finish(&mut cmd);
    run.assert_code(0).assert_no_panic();
    run.text()
}

/// Whether a table is the Japanese one: Japanese headings and findings, no English heading.
fn is_japanese(table: &str) -> bool {
    let japanese = [
        "authlogs レポート",
        "判定",
        "許可",
        "拒否",
        "タイムアウト",
        "検出事項",
        "コールドスタート",
    ];
    let english = [
        "authlogs report",
        "Decisions",
        "Findings",
        "Denial reasons",
        "Cold starts",
    ];
    japanese.iter().all(|w| table.contains(w)) && !english.iter().any(|w| table.contains(w))
}

#[test]
fn report_lang_ja_translates_the_table_and_the_findings() {
    let en = samples_table(&[], &[]);
    let ja = samples_table(&["--lang", "ja"], &[]);
    assert!(en.starts_with("authlogs report\n") && !is_japanese(&en), "{en}");
    assert!(is_japanese(&ja), "{ja}");
    // The findings' messages and advice are Japanese; their kinds stay the machine names.
    assert!(ja.contains("トークンをローテーションしてください"), "{ja}");
    assert!(
        ja.contains("secret_logged") && ja.contains("token_leak_suspected"),
        "{ja}"
    );
    // The same numbers and addresses.
    for same in ["198.51.100.23", "3000.00", "$0.00005724", "54.5%"] {
        assert!(en.contains(same) && ja.contains(same), "{same}");
    }
}

#[test]
fn the_locale_picks_the_language_and_lang_overrides_it() {
    let en = samples_table(&[], &[]);
    let ja = samples_table(&["--lang", "ja"], &[]);
    // LANG=ja_JP.UTF-8 without --lang: Japanese, as with --lang ja.
    assert_eq!(samples_table(&[], &[("LANG", "ja_JP.UTF-8")]), ja);
    // LC_ALL wins over LANG, both ways.
    assert_eq!(
        samples_table(&[], &[("LANG", "en_US.UTF-8"), ("LC_ALL", "ja_JP.UTF-8")]),
        ja
    );
    assert_eq!(samples_table(&[], &[("LANG", "ja_JP.UTF-8"), ("LC_ALL", "C")]), en);
    // --lang en overrides a Japanese locale.
    assert_eq!(samples_table(&["--lang", "en"], &[("LANG", "ja_JP.UTF-8")]), en);
    assert_eq!(samples_table(&[], &[("LANG", "C.UTF-8")]), en);
    // An unknown language is a usage error.
    let run = finish(authlogs().args(["report", "samples/", "--lang", "fr"]));
    run.assert_no_panic().assert_code(2);
}

#[test]
fn json_keys_and_csv_headers_stay_english_in_japanese() {
    let json = |env: &[(&str, &str)]| {
        let mut cmd = authlogs();
        cmd.args(["report", "samples/", "--format", "json"]);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let run = finish(&mut cmd);
        run.assert_code(0);
        run.json()
    };
    let (en, ja) = (json(&[]), json(&[("LANG", "ja_JP.UTF-8")]));
    /// Every key of a JSON value, by path; the values of `message` and `advice` left out.
    fn shape(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    out.push(format!("{path}/{k}"));
                    if k != "message" && k != "advice" {
                        shape(v, &format!("{path}/{k}"), out);
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    shape(v, &format!("{path}/{i}"), out);
                }
            }
            other => out.push(format!("{path}={other}")),
        }
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    shape(&en, "", &mut a);
    shape(&ja, "", &mut b);
    assert_eq!(a, b, "the same keys and values but the findings' texts");
    let message = ja["findings"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("ALLOWED_TOKEN をログに出力"), "{message}");
    assert_ne!(en["findings"][0]["message"], ja["findings"][0]["message"]);
    // CSV: the same keys, English.
    let csv = finish(authlogs().args(["report", "samples/", "--format", "csv", "--lang", "ja"]));
    let en_csv = finish(authlogs().args(["report", "samples/", "--format", "csv"]));
    let keys = |run: &Run| -> Vec<String> {
        run.text()
            .lines()
            .map(|l| l.split(',').next().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(keys(&csv), keys(&en_csv));
    let requests = finish(authlogs().args(["report", "samples/", "--requests", "--lang", "ja"]));
    assert!(requests.text().starts_with(REQUESTS_HEADER), "{}", requests.text());
}
