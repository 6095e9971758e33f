//! Helpers shared by unit tests: a sink keeping what a source delivers, gzip, and sample inputs of each container.

use crate::source::ReadOptions;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;

use crate::report::InputError;
use crate::source::file::{plan, read_reader, read_unit};
use crate::source::{EventSink, InputFormat, LogEvent};

/// An export of `\n` line ends whose messages hold lone `\r`s (Lambda joins a message's lines
/// with one, and a value may hold one), ending in a `\r\n` and a last `\r`: five events.
pub(crate) const LF_TEXT_WITH_LONE_CRS: &str = "2025-07-11T06:05:34.000Z START RequestId: r1 Version: $LATEST\n\n\
                2025-07-11T06:05:34.001Z [ERROR] E: boom\rTraceback (most recent call last):\r  File \"x\"\n\n\
                2025-07-11T06:05:34.002Z EVENT\r{\r  \"key\": \"value\"\r}\r\n\r\n\
                2025-07-11T06:05:34.003Z Token: Ab\rX\n\n\
                2025-07-11T06:05:34.004Z END RequestId: r1\r";

/// Collects owned copies of everything a source delivers.
#[derive(Default, Debug)]
pub(crate) struct TestSink {
    pub events: Vec<(Option<i64>, String, String)>,
    pub errors: Vec<InputError>,
    pub invalid: u64,
    /// (input, count, first byte) of every report of cut lines.
    pub oversized: Vec<(String, u64, u64)>,
}

impl EventSink for TestSink {
    fn event(&mut self, e: &LogEvent<'_>) -> ControlFlow<()> {
        self.events
            .push((e.timestamp_ms, e.stream.to_string(), e.message.to_string()));
        ControlFlow::Continue(())
    }
    fn input_error(&mut self, error: InputError) {
        self.errors.push(error);
    }
    fn invalid_utf8_lines(&mut self, count: u64) {
        self.invalid += count;
    }
    fn oversized_lines(&mut self, input: &str, count: u64, first_byte: u64) {
        self.oversized.push((input.to_string(), count, first_byte));
    }
}

impl TestSink {
    pub fn messages(&self) -> Vec<&str> {
        self.events.iter().map(|e| e.2.as_str()).collect()
    }
}

pub(crate) fn read(data: &[u8], format: InputFormat) -> TestSink {
    read_with(data, ReadOptions::new(format))
}

pub(crate) fn read_with(data: &[u8], opts: ReadOptions) -> TestSink {
    let mut sink = TestSink::default();
    read_reader("test.log", data, opts, "dflt", &mut sink).unwrap();
    sink
}

/// `format` with lines cut at `max` bytes.
pub(crate) fn capped(format: InputFormat, max: usize) -> ReadOptions {
    ReadOptions {
        format,
        max_line_bytes: max,
    }
}

/// Reads `path` as [`plan`] cuts it at `range_bytes`, unit by unit, into one sink.
pub(crate) fn read_planned(path: &Path, format: InputFormat, range_bytes: u64) -> (TestSink, usize) {
    read_planned_with(path, ReadOptions::new(format), range_bytes)
}

/// [`read_planned`] with other read options.
pub(crate) fn read_planned_with(path: &Path, opts: ReadOptions, range_bytes: u64) -> (TestSink, usize) {
    let units = plan(&[path.to_path_buf()], opts.format, range_bytes).unwrap();
    let mut sink = TestSink::default();
    for unit in &units {
        read_unit(unit, opts, &mut sink).unwrap();
    }
    (sink, units.len())
}

pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

pub(crate) const EXPORT: &str = "2024-08-28T10:00:00.123Z START RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95 Version: $LATEST\n\n\
2024-08-28T10:00:00.125Z [INFO]\t2024-08-28T10:00:00.125Z\t8f507cfc-xmpl-4697-b07a-ac58fc914c95\t[INFO] Source IP: 203.0.113.7\n\n\
2024-08-28T10:00:00.130Z [ERROR] Runtime.ImportModuleError: Unable to import module 'search': No module named 'search'\nTraceback (most recent call last):\n\
2024-08-28T10:00:00.131Z END RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95\n\n\
2024-08-28T10:00:00.131Z REPORT RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95\tDuration: 1.85 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t\nXRAY TraceId: 1-5e57f3b4-0a2b\tSegmentId: 1a2b\tSampled: true\n\n";

pub(crate) const TAIL: &str = "2024-03-04T09:24:35.635000+00:00 2024/03/04/[$LATEST]7d585026f97c54261c44b1fe27b75a54 START RequestId: dd60a815-4f0e-4b6e-9f3c-1f7d5c3a2b10 Version: $LATEST\n\
2024-03-04T09:24:35.640000+00:00 2024/03/04/[$LATEST]7d585026f97c54261c44b1fe27b75a54 REPORT RequestId: dd60a815-4f0e-4b6e-9f3c-1f7d5c3a2b10\tDuration: 1.85 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\n\
XRAY TraceId: 1-65e59383-4b7c\tSegmentId: 2c3d\tSampled: true\n\
2024-03-04T09:24:36+00:00 2024/03/04/[$LATEST]7d585026f97c54261c44b1fe27b75a54 END RequestId: dd60a815-4f0e-4b6e-9f3c-1f7d5c3a2b10\n";

pub(crate) const CONSOLE_ROWS: &str = "2023-12-15T14:48:34.955+08:00\tINIT_START Runtime Version: python:3.12.v16 Runtime Version ARN: arn:aws:lambda:us-east-1::runtime:abc\n\
2023-12-15T14:48:35.101+08:00\tSTART RequestId: 0b9c1e2a-0000-4000-8000-000000000001 Version: $LATEST\n\
2023-12-15T14:48:35.102+08:00\t[INFO] 2023-12-15T06:48:35.102Z 0b9c1e2a-0000-4000-8000-000000000001 Source IP: 203.0.113.7\n\
2023-12-15T14:48:35.110+08:00\tREPORT RequestId: 0b9c1e2a-0000-4000-8000-000000000001 Duration: 1.85 ms Billed Duration: 2 ms\n\
XRAY TraceId: 1-657bf2a3-0001 SegmentId: 9f Sampled: true\n";

/// The seed document's console copy (section 実行ログ確認), exactly as it appears there.
pub(crate) const SEED: &str = "    REPORT RequestId: 24f9e55f-b57e-4c91-aaee-0554a354b18b Duration: 1.85 ms Billed Duration: 2 ms Memory Size: 512 MB Max Memory Used: 35 MB
    2025-07-11T06:05:34.308Z
    START RequestId: d39edf81-4b21-4e3d-8ad2-7c1e92f00c82 Version: $LATEST
    2025-07-11T06:05:34.309Z
    [INFO] 2025-07-11T06:05:34.309Z d39edf81-4b21-4e3d-8ad2-7c1e92f00c82 [INFO] Source IP: 111.222.333.444
    2025-07-11T06:05:34.309Z
    [INFO] 2025-07-11T06:05:34.309Z d39edf81-4b21-4e3d-8ad2-7c1e92f00c82 [INFO] Token: test
    2025-07-11T06:05:34.309Z
    [INFO] 2025-07-11T06:05:34.309Z d39edf81-4b21-4e3d-8ad2-7c1e92f00c82 [INFO] Allowed IP: 111.222.333.444
    2025-07-11T06:05:34.309Z
    [INFO] 2025-07-11T06:05:34.309Z d39edf81-4b21-4e3d-8ad2-7c1e92f00c82 [INFO] Allowed Token: Ab12Xy34
    2025-07-11T06:05:34.309Z
    [ERROR] 2025-07-11T06:05:34.309Z d39edf81-4b21-4e3d-8ad2-7c1e92f00c82 [ERROR] トークンが不一致: 受信トークン=test, 許可トークン=Ab12Xy34
    2025-07-11T06:05:34.310Z
    END RequestId: d39edf81-4b21-4e3d-8ad2-7c1e92f00c82
    
";

pub(crate) const BARE: &str = "START RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95 Version: $LATEST\n\
2023-05-30T12:33:40.149Z\t8f507cfc-xmpl-4697-b07a-ac58fc914c95\tERROR\tInvoke Error \t{\"errorType\":\"Error\"}\n\
\n\
END RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95\n\
REPORT RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95\tDuration: 27.94 ms\tBilled Duration: 28 ms\t";

pub(crate) const FILTER: &str = r#"{
    "events": [
        {
            "logStreamName": "2025/09/02/gemini-cli-lambda[$LATEST]10681b291d2547ae90e38612e90b0aeb",
            "timestamp": 1756861433072,
            "message": "REPORT RequestId: 2b1f\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tStatus: timeout\n",
            "ingestionTime": 1756861433151,
            "eventId": "39179319168064033723239523839381496494755457886699782145"
        }
    ],
    "searchedLogStreams": [],
    "nextToken": "abc"
}
{"events":[{"timestamp":1559763003171,"message":"START RequestId: 4ce9340a-b765-490f-ad8a-02ab3415e2bf Version: $LATEST\n","ingestionTime":1559763003309}],"nextForwardToken":"f/34783877304859518393868359594929986069206639495374241795","nextBackwardToken":"b/3478"}
"#;

/// Firehose-style: subscription payloads with no delimiter, a CONTROL_MESSAGE mixed in, keys in both orders.
pub(crate) const SUBSCRIPTIONS: &str = concat!(
    r#"{"messageType":"DATA_MESSAGE","owner":"111111111111","logGroup":"/aws/lambda/authz","logStream":"2024/09/15/[$LATEST]57661289d19ebedfe4a6782395866989","subscriptionFilters":["Destination"],"logEvents":[{"id":"31953106606966983378809025079804211143289615424298221568","timestamp":1432826855000,"message":"START RequestId: a Version: $LATEST\n"},{"id":"31953106606966983378809025079804211143289615424298221569","timestamp":1432826855001,"message":"END RequestId: a\n"}]}"#,
    r#"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1680683189085,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}"#,
    r#"{"owner":"111111111111","logGroup":"/aws/lambda/authz","logEvents":[{"id":"1","timestamp":1432826855002,"message":"REPORT RequestId: a\tDuration: 1.85 ms\t\n"}],"logStream":"2024/09/15/[$LATEST]b","subscriptionFilters":["Destination"],"messageType":"DATA_MESSAGE"}"#,
    r#"{"logEvents":[{"id":"2","timestamp":1,"message":"CWL CONTROL MESSAGE"}],"logStream":"","messageType":"CONTROL_MESSAGE"}"#,
);

pub(crate) const INSIGHTS: &str = r#"[
  {"@timestamp": "2023-04-18 15:32:46.721", "@message": "REPORT RequestId: ea643eb8-1547-41f5-8c51-4ff6abe3e0d1\tDuration: 2.11 ms\t\nXRAY TraceId: 1-643eb8\tSegmentId: 1\tSampled: true\n", "@logStream": "2023/04/18/[$LATEST]2a9d", "@log": "637410497107:/aws/lambda/run-every-10-minutes"},
  {"@timestamp": "2023-04-18 15:32:46.702", "@message": {"level": "INFO", "message": "x"}, "@logStream": "2023/04/18/[$LATEST]2a9d"}
]"#;

pub(crate) fn many_events(n: usize) -> String {
    let mut out = String::from("{\"events\": [");
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&format!(
            "{{\"logStreamName\": \"2024/09/15/[$LATEST]s{}\", \"timestamp\": {}, \"message\": \"START RequestId: {i:08} Version: $LATEST\\n\", \"ingestionTime\": 1, \"eventId\": \"{i}\"}}",
            i % 3,
            1_700_000_000_000u64 + i as u64
        ));
    }
    out.push_str("], \"searchedLogStreams\": []}");
    out
}

/// Whether the unit tests that need the moto server run: start each with
/// `if !crate::testutil::moto() { return; }`. They run when `AUTHLOGS_TEST_ENDPOINT` is set, or
/// when `scripts/test` requires them (`AUTHLOGS_TEST_REQUIRE_SERVERS=1`, so that they fail and say
/// why); otherwise they return early and one line, written once straight to the process's stderr
/// (which libtest does not capture), says so. Kept beside the internals they check, as the
/// integration tests' `util::moto()` is beside theirs.
pub(crate) fn moto() -> bool {
    use std::io::Write as _;
    static ONCE: std::sync::Once = std::sync::Once::new();
    let present = std::env::var("AUTHLOGS_TEST_ENDPOINT").is_ok_and(|e| !e.is_empty());
    if present || std::env::var("AUTHLOGS_TEST_REQUIRE_SERVERS").is_ok_and(|v| v == "1") {
        return true;
    }
    ONCE.call_once(|| {
        let _ = std::io::stderr().write_all(
            b"\nauthlogs unit tests: skipping the tests that need moto (AUTHLOGS_TEST_ENDPOINT is not set; scripts/test starts it)\n",
        );
    });
    false
}

/// The moto server `scripts/test` starts (`AUTHLOGS_TEST_ENDPOINT`), for a test that [`moto`]
/// let run: it fails (never skips) here when the server is required and absent, and says how to
/// get it.
pub(crate) fn moto_endpoint(who: &str) -> String {
    match std::env::var("AUTHLOGS_TEST_ENDPOINT") {
        Ok(e) if !e.is_empty() => e,
        _ => panic!(
            "AUTHLOGS_TEST_ENDPOINT is not set: {who} need the moto server that scripts/test installs and \
             starts; run scripts/test instead of cargo test"
        ),
    }
}
