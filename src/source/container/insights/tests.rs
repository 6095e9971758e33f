//! Tests of the Logs Insights console exports: CSV and the Markdown table.

use super::sniff;
use crate::source::InputFormat;
use crate::testutil::{capped, read, read_with, EXPORT, TAIL};

const STREAM: &str = "2025/07/11/[$LATEST]9b1733eee60977a6fa164e3b49d14b73";

/// Newest first, as the console sorts them; a message with an embedded newline and quotes.
const CSV: &str = "@timestamp,@message,@logStream,@log\n\
2025-07-11 06:05:34.311,\"REPORT RequestId: a\tDuration: 2.31 ms\t\n\",2025/07/11/[$LATEST]9b1733eee60977a6fa164e3b49d14b73,123456789012:/aws/lambda/auth\n\
2025-07-11 06:05:34.310,\"RequestId: a Error: \"\"quoted\"\", here\nRuntime.ExitError\n\",2025/07/11/[$LATEST]9b1733eee60977a6fa164e3b49d14b73,123456789012:/aws/lambda/auth\n\
2025-07-11 06:05:34.308,\"START RequestId: a Version: $LATEST\n\",2025/07/11/[$LATEST]9b1733eee60977a6fa164e3b49d14b73,123456789012:/aws/lambda/auth\n";

const MD: &str = "| @timestamp | @message | @logStream |\n\
|---|---|---|\n\
| 2025-07-11 06:05:34.311 | REPORT RequestId: a\tDuration: 2.31 ms\t | 2025/07/11/[$LATEST]9b1733eee60977a6fa164e3b49d14b73 |\n\
| 2025-07-11 06:05:34.310 | RequestId: a Error: a \\| b\nRuntime.ExitError | 2025/07/11/[$LATEST]9b1733eee60977a6fa164e3b49d14b73 |\n\
| 2025-07-11 06:05:34.308 | START RequestId: a Version: $LATEST | 2025/07/11/[$LATEST]9b1733eee60977a6fa164e3b49d14b73 |\n";

const T0: i64 = 1_752_213_934_308;

#[test]
fn csv_rows_with_quotes_and_newlines_in_their_messages() {
    for format in [InputFormat::Auto, InputFormat::InsightsCsv] {
        let s = read(CSV.as_bytes(), format);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(
            s.events,
            vec![
                (
                    Some(T0 + 3),
                    STREAM.into(),
                    "REPORT RequestId: a\tDuration: 2.31 ms\t".into()
                ),
                (
                    Some(T0 + 2),
                    STREAM.into(),
                    "RequestId: a Error: \"quoted\", here\nRuntime.ExitError".into()
                ),
                (Some(T0), STREAM.into(), "START RequestId: a Version: $LATEST".into()),
            ]
        );
    }
}

#[test]
fn csv_with_a_bom_crlf_and_columns_in_another_order() {
    let csv = "\u{feff}@message,@timestamp\r\n\"START RequestId: a Version: $LATEST\r\n\",2025-07-11 06:05:34.308\r\n";
    let s = read(csv.as_bytes(), InputFormat::Auto);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(
        s.events,
        vec![(Some(T0), "dflt".into(), "START RequestId: a Version: $LATEST".into())]
    );
}

#[test]
fn markdown_rows_with_escaped_pipes_and_newlines() {
    for format in [InputFormat::Auto, InputFormat::InsightsMd] {
        let s = read(MD.as_bytes(), format);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(
            s.events,
            vec![
                (
                    Some(T0 + 3),
                    STREAM.into(),
                    "REPORT RequestId: a\tDuration: 2.31 ms".into()
                ),
                (
                    Some(T0 + 2),
                    STREAM.into(),
                    "RequestId: a Error: a | b\nRuntime.ExitError".into()
                ),
                (Some(T0), STREAM.into(), "START RequestId: a Version: $LATEST".into()),
            ]
        );
    }
}

#[test]
fn sniffing_looks_at_the_header_only() {
    assert_eq!(sniff("@timestamp,@message"), Some(InputFormat::InsightsCsv));
    assert_eq!(
        sniff("\"@logStream\",\"@timestamp\",\"@message\""),
        Some(InputFormat::InsightsCsv)
    );
    assert_eq!(sniff("| @timestamp | @message |"), Some(InputFormat::InsightsMd));
    assert_eq!(sniff("@timestamp,message"), None);
    assert_eq!(sniff("[INFO] the @message field is missing"), None);
    assert_eq!(sniff("[INFO] query: fields @timestamp, @message"), None);
    assert_eq!(sniff("| note | @message | |"), None);
    assert_eq!(sniff("rid,bin(5m),@message"), Some(InputFormat::InsightsCsv));
    for text in [EXPORT, TAIL] {
        assert_eq!(sniff(text.lines().next().unwrap()), None);
    }
}

#[test]
fn a_header_without_message_is_an_input_error() {
    let s = read(
        b"@timestamp,@logStream\n2025-07-11 06:05:34.308,s\n",
        InputFormat::InsightsCsv,
    );
    assert!(s.events.is_empty());
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(s.errors[0].position, "line 1");
    assert!(s.errors[0].message.contains("@message"), "{}", s.errors[0].message);
    // Other containers forced as a table: errors, never a panic.
    for text in [EXPORT, TAIL] {
        for format in [InputFormat::InsightsCsv, InputFormat::InsightsMd] {
            let s = read(text.as_bytes(), format);
            assert!(s.events.is_empty() && s.errors.len() == 1, "{:?}", s.errors);
        }
    }
}

#[test]
fn short_rows_are_counted_and_named() {
    let s = read(
        b"@timestamp,@logStream,@message\n2025-07-11 06:05:34.308,s\n2025-07-11 06:05:34.309,s,\"END RequestId: a\"\n",
        InputFormat::InsightsCsv,
    );
    assert_eq!(s.messages(), vec!["END RequestId: a"]);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(s.errors[0].position, "line 2", "{:?}", s.errors);
}

#[test]
fn rows_longer_than_the_cap_are_cut_and_the_next_rows_read() {
    let many_lines = vec!["y".repeat(100); 40].join("\n");
    let long_line = format!("Runtime.ExitError{}", "x".repeat(3000));
    for (table, format) in [(CSV, InputFormat::InsightsCsv), (MD, InputFormat::InsightsMd)] {
        // A row of many short lines; a line longer than the cap, which ends its row whatever its cut part held.
        for long in [&many_lines, &long_line] {
            let text = table.replacen("Runtime.ExitError", long, 1);
            let s = read_with(text.as_bytes(), capped(format, 1024));
            assert_eq!(s.events.len(), 3, "{format}: {:?}", s.errors);
            assert_eq!(s.oversized.len(), 1, "{format}");
            assert_eq!(s.oversized[0].1, 1, "{format}");
            assert!(s.events[1].2.len() <= 1024);
            assert!(s.events[1].2.starts_with("RequestId: a Error: "));
            assert_eq!(s.events[2].2, "START RequestId: a Version: $LATEST");
        }
    }
}

#[test]
fn an_unclosed_last_row_is_read_as_it_is() {
    let s = read(
        b"@timestamp,@message\n2025-07-11 06:05:34.308,\"START RequestId: a",
        InputFormat::Auto,
    );
    assert_eq!(s.messages(), vec!["START RequestId: a"]);
}

#[test]
fn an_unclosed_quote_half_way_is_an_input_error_and_the_rows_after_it_are_read() {
    let rows: Vec<String> = (0..6)
        .map(|i| {
            format!(
                "2025-07-11 06:05:34.{:03},\"START RequestId: r{i} Version: $LATEST\n\",{STREAM}\n",
                308 + i
            )
        })
        .collect();
    let whole = format!("@timestamp,@message,@logStream\n{}", rows.concat());
    let want = read(whole.as_bytes(), InputFormat::InsightsCsv);
    assert!(want.errors.is_empty(), "{:?}", want.errors);
    assert_eq!(want.events.len(), 6);
    // Row r2 (lines 6-7) loses its closing quote: its message runs on to the end of the input.
    let broken = whole.replacen("r2 Version: $LATEST\n\"", "r2 Version: $LATEST\n", 1);
    for format in [InputFormat::Auto, InputFormat::InsightsCsv] {
        let s = read(broken.as_bytes(), format);
        assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
        assert_eq!(s.errors[0].position, "line 6");
        assert!(s.errors[0].message.contains("never closed"), "{}", s.errors[0].message);
        // Every other row is read as it was; r2 up to the next row, its quote closed there.
        let m = s.messages();
        assert_eq!(m.len(), 6, "{m:?}");
        assert!(m[2].starts_with("START RequestId: r2 Version: $LATEST\n"), "{m:?}");
        let others: Vec<_> = m.iter().filter(|m| !m.contains("r2")).collect();
        let want_others: Vec<_> = want.messages().into_iter().filter(|m| !m.contains("r2")).collect();
        assert_eq!(others.len(), 5);
        assert_eq!(
            others.into_iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            want_others.into_iter().map(|s| s.to_string()).collect::<Vec<_>>()
        );
    }
}

#[test]
fn an_unclosed_quote_in_the_last_row_is_an_input_error_and_its_lines_are_read_again() {
    // No timestamp column first: nothing tells where the next row begins, so the unclosed
    // quote runs to the end and the lines after the one that opened it are read again as rows.
    let text = "@message,@timestamp\n\"START RequestId: a Version: 1,2025-07-11 06:05:34.308\n\
                \"END RequestId: a\",2025-07-11 06:05:34.309\n\
                \"REPORT RequestId: a\tDuration: 1.00 ms\",2025-07-11 06:05:34.310\n";
    let s = read(text.as_bytes(), InputFormat::InsightsCsv);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(s.errors[0].position, "line 2", "{:?}", s.errors);
    let m = s.messages();
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(m[0].starts_with("START RequestId: a Version: 1"), "{m:?}");
    assert_eq!(m[1..], ["END RequestId: a", "REPORT RequestId: a\tDuration: 1.00 ms"]);
}

#[test]
fn a_row_longer_than_the_cap_is_counted_once_as_cut_not_also_as_an_unclosed_quote() {
    // The console quotes every message: a one-line row cut at the cap loses its closing quote
    // with its tail, so its head alone leaves the quote open.
    let long = format!("START RequestId: a Version: $LATEST {}", "x".repeat(3000));
    for timestamp_first in [true, false] {
        let row = |ts: &str, msg: &str| {
            if timestamp_first {
                format!("{ts},\"{msg}\",{STREAM}\n")
            } else {
                format!("\"{msg}\",{ts},{STREAM}\n")
            }
        };
        let header = if timestamp_first {
            "@timestamp,@message,@logStream\n"
        } else {
            "@message,@timestamp,@logStream\n"
        };
        let end = row("2025-07-11 06:05:34.309", "END RequestId: a");
        for text in [
            format!("{header}{}{end}", row("2025-07-11 06:05:34.308", &long)),
            format!("{header}{end}{}", row("2025-07-11 06:05:34.308", &long)),
        ] {
            let s = read_with(text.as_bytes(), capped(InputFormat::InsightsCsv, 1024));
            assert!(s.errors.is_empty(), "timestamp first {timestamp_first}: {:?}", s.errors);
            assert_eq!(s.oversized.len(), 1, "{:?}", s.oversized);
            assert_eq!(s.oversized[0].1, 1, "one row cut, counted once");
            let m = s.messages();
            assert_eq!(m.len(), 2, "{m:?}");
            assert!(m.contains(&"END RequestId: a"), "{m:?}");
            assert!(
                m.iter().any(|m| m.starts_with("START RequestId: a") && m.len() <= 1024),
                "{m:?}"
            );
        }
    }
}

#[test]
fn lines_no_row_start_follows_after_a_cut_line_are_an_input_error_naming_it() {
    // No timestamp first, and no line after the cut one is a whole row: nothing tells whether
    // they continue the cut field or are rows of their own, so they go with it, said.
    let long = format!("START RequestId: a {}", "x".repeat(3000));
    let text = format!("@message,@timestamp\n\"{long}\",2025-07-11 06:05:34.308\nEND RequestId: a\n\nnot a row\n");
    let s = read_with(text.as_bytes(), capped(InputFormat::InsightsCsv, 1024));
    assert_eq!(s.oversized.len(), 1);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(s.errors[0].position, "line 2", "{:?}", s.errors);
    assert!(
        s.errors[0].message.contains("2 line(s) after it were skipped"),
        "{}",
        s.errors[0].message
    );
    assert_eq!(s.messages().len(), 1);
}

/// The console's "Download" of log events: epoch milliseconds, the message quoted with its own
/// tabs, quotes (doubled) and trailing newline, a message of two lines.
const CONSOLE: &str = "timestamp,message,logStreamName\n\
1752213934308,\"START RequestId: a Version: $LATEST\n\",2025/07/11/[$LATEST]9b1733eee60977a6fa164e3b49d14b73\n\
1752213934310,\"[ERROR]\t2025-07-11T06:05:34.310Z\ta\t{\"\"k\"\": 1}\nTraceback\n\",2025/07/11/[$LATEST]9b1733eee60977a6fa164e3b49d14b73\n\
1752213934311,\"REPORT RequestId: a\tDuration: 2.31 ms\t\n\",2025/07/11/[$LATEST]9b1733eee60977a6fa164e3b49d14b73\n";

#[test]
fn console_download_rows_with_epoch_times_tabs_and_newlines() {
    for format in [InputFormat::Auto, InputFormat::ConsoleCsv] {
        let s = read(CONSOLE.as_bytes(), format);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(
            s.events,
            vec![
                (Some(T0), STREAM.into(), "START RequestId: a Version: $LATEST".into()),
                (
                    Some(T0 + 2),
                    STREAM.into(),
                    "[ERROR]\t2025-07-11T06:05:34.310Z\ta\t{\"k\": 1}\nTraceback".into()
                ),
                (
                    Some(T0 + 3),
                    STREAM.into(),
                    "REPORT RequestId: a\tDuration: 2.31 ms\t".into()
                ),
            ]
        );
    }
    // Without the stream column the events take the input's stream.
    let two = "timestamp,message\n1752213934308,\"START RequestId: a Version: $LATEST\n\"\n";
    let s = read(two.as_bytes(), InputFormat::Auto);
    assert_eq!(
        s.events,
        vec![(Some(T0), "dflt".into(), "START RequestId: a Version: $LATEST".into())]
    );
}

#[test]
fn a_console_row_whose_quote_stays_open_ends_at_the_next_row_as_damage() {
    // The quote of the first message left open: the row ends where the next begins.
    let bad = CONSOLE.replacen("$LATEST\n\",", "$LATEST\n,", 1);
    let s = read(bad.as_bytes(), InputFormat::Auto);
    assert_eq!(s.events.len(), 3, "{:?}", s.events);
    assert_eq!(s.events[1].1, STREAM);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(s.errors[0].position, "line 2");
    assert!(s.events[0].2.starts_with("START RequestId: a"), "{:?}", s.events);
}

#[test]
fn sniffing_knows_the_console_download_and_report_fields() {
    assert_eq!(sniff("timestamp,message"), Some(InputFormat::ConsoleCsv));
    assert_eq!(sniff("timestamp,message,logStreamName"), Some(InputFormat::ConsoleCsv));
    assert_eq!(sniff("timestamp,message,level"), None);
    assert_eq!(
        sniff("@timestamp,@requestId,@duration,@maxMemoryUsed"),
        Some(InputFormat::InsightsCsv)
    );
    assert_eq!(sniff("| @requestId | @duration |"), Some(InputFormat::InsightsMd));
    assert_eq!(sniff("@timestamp,@requestId"), None);
    let block = [
        "**CloudWatch Logs Insights**  ",
        "region: us-east-1  ",
        "query-string:",
        "  ```",
        "  fields @requestId, @duration",
        "  | filter @message like /^REPORT/",
        "  ```",
        "---",
        "| @requestId | @duration |",
    ];
    assert_eq!(super::sniff_lines(block), Some(InputFormat::InsightsMd));
    assert_eq!(super::sniff_lines(block[..8].iter().copied()), None);
}

#[test]
fn report_fields_become_report_lines_memory_from_bytes() {
    let md = "**CloudWatch Logs Insights**  \nregion: us-east-1  \nlog-group-names: /aws/lambda/auth  \n\
start-time: -3600s  \nend-time: 0s  \nquery-string:\n  ```\n  fields @timestamp, @requestId, @duration\n  | filter @message like /^REPORT/\n  ```\n---\n\
| @timestamp | @requestId | @duration | @billedDuration | @initDuration | @memorySize | @maxMemoryUsed |\n\
| --- | --- | --- | --- | --- | --- | --- |\n\
| 2025-07-11 06:05:34.311 | a | 2.31 | 3.0 | 120.5 | 1.28E8 | 1.2E8 |\n\
| 2025-07-11 06:05:34.312 | b | 3000.0 | 3000.0 |  | 128000000 | 35000000 |\n\
---\n";
    for format in [InputFormat::Auto, InputFormat::InsightsMd] {
        let s = read(md.as_bytes(), format);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(
            s.events,
            vec![
                (
                    Some(T0 + 3),
                    "dflt".into(),
                    "REPORT RequestId: a\tDuration: 2.31 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\t\
                     Max Memory Used: 120 MB\tInit Duration: 120.5 ms\t"
                        .into()
                ),
                (
                    Some(T0 + 4),
                    "dflt".into(),
                    "REPORT RequestId: b\tDuration: 3000 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\t\
                     Max Memory Used: 35 MB\t"
                        .into()
                ),
            ]
        );
    }
    // A row without its request id is no REPORT: named as damage.
    let csv = "@requestId,@duration\n,2.5\nc,1.5\n";
    let s = read(csv.as_bytes(), InputFormat::Auto);
    assert_eq!(s.messages(), vec!["REPORT RequestId: c\tDuration: 1.5 ms\t"]);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(s.errors[0].position, "line 2");
}
