#!/usr/bin/env python3
"""Rebuilds the authlogs test fixtures in tests/data/ (stdlib only, deterministic).

    python3 tests/data/make-fixtures.py

Every fixture is written from the invocation lists below, in the byte shapes described in
docs/input-formats.md. The expected counts are in EXPECTED.md and
asserted in tests/cli.rs; change all three together.
"""

import base64
import csv
import gzip
import hashlib
import io
import itertools
import json
import os
import uuid
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))

ALLOWED_IP = "203.0.113.10"
ALLOWED_TOKEN = "Ab12Xy34"
RUNTIME_ARN = (
    "arn:aws:lambda:ap-northeast-1::runtime:"
    "6b9e6bdace9349e61d853adcfe031f7dbe39dd1762b0b2fcd6532dc5792399ca"
)


# ----------------------------------------------------------------------------- helpers

def rid(label):
    """A real-looking, deterministic request id (UUID v4 layout)."""
    return str(uuid.UUID(bytes=hashlib.md5(("authlogs-fixture:" + label).encode()).digest(), version=4))


def stream(label):
    return "2025/07/11/[$LATEST]" + hashlib.md5(("stream:" + label).encode()).hexdigest()


def ms(hms):
    dt = datetime.strptime("2025-07-11T" + hms, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)
    return int(round(dt.timestamp() * 1000))


def iso(t):
    dt = datetime.fromtimestamp(t // 1000, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t % 1000)


def iso_seconds(t):
    return datetime.fromtimestamp(t // 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_tail(t):
    """aws logs tail --format detailed: isoformat(timespec='microseconds'), +00:00."""
    return iso(t)[:-1] + "000+00:00"


def iso_local(t, hours=9):
    """The CloudWatch console in a +09:00 browser."""
    dt = datetime.fromtimestamp(t // 1000, tz=timezone(timedelta(hours=hours)))
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (t % 1000) + dt.strftime("%z")[:3] + ":" + dt.strftime("%z")[3:]


def py(level, t, request_id, message):
    # awslambdaric text format: "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n"
    return "[%s]\t%s\t%s\t%s\n" % (level, iso(t), request_id, message)


def report(request_id, duration, billed, used, mem=512, init=None, restore=None, status=None,
           error_type=None, old_space=False, xray=None):
    fields = ["REPORT RequestId: " + request_id, "Duration: %.2f ms" % duration]
    fields.append("Billed Duration: %d ms" % billed + (" " if old_space else ""))
    fields += ["Memory Size: %d MB" % mem, "Max Memory Used: %d MB" % used]
    if init is not None:
        fields.append("Init Duration: %.2f ms" % init)
    if restore is not None:
        fields += ["Restore Duration: %.2f ms" % restore[0], "Billed Restore Duration: %d ms" % restore[1]]
    if status is not None:
        fields.append("Status: " + status)
        if error_type:
            fields.append("Error Type: " + error_type)
        line = "\t".join(fields) + "\n"  # no tab after the last field when Status is present
    else:
        line = "\t".join(fields) + "\t\n"
    if xray:
        line += xray
    return line


INIT_START = "INIT_START Runtime Version: python:3.13.v60\tRuntime Version ARN: %s\n" % RUNTIME_ARN

MSG = {
    "ja": {
        "ip": "[ERROR] IPアドレスが不一致: 受信IP=%s, 許可IP=%s",
        "token": "[ERROR] トークンが不一致: 受信トークン=%s, 許可トークン=%s",
    },
    "en": {
        "ip": "[ERROR] IP address mismatch: received IP=%s, allowed IP=%s",
        "token": "[ERROR] Token mismatch: received token=%s, allowed token=%s",
    },
}


def authorizer_lines(t, request_id, src, token, lang="ja", info=("src", "tok", "aip", "atok"), errors=True):
    """The seed handler's log lines for one request (text format). token None = no header."""
    tok = "None" if token is None else token
    out = []
    values = {"src": "[INFO] Source IP: %s" % src, "tok": "[INFO] Token: %s" % tok,
              "aip": "[INFO] Allowed IP: %s" % ALLOWED_IP, "atok": "[INFO] Allowed Token: %s" % ALLOWED_TOKEN}
    for key in info:
        out.append((t, py("INFO", t, request_id, values[key])))
    if errors:
        if src != ALLOWED_IP:
            out.append((t, py("ERROR", t, request_id, MSG[lang]["ip"] % (src, ALLOWED_IP))))
        if token != ALLOWED_TOKEN:
            out.append((t, py("ERROR", t, request_id, MSG[lang]["token"] % (tok, ALLOWED_TOKEN))))
    return out


def invocation(t0, request_id, src=ALLOWED_IP, token=ALLOWED_TOKEN, duration=1.85, billed=2, used=35,
               lang="ja", info=("src", "tok", "aip", "atok"), errors=True, cold=None, pre=(), extra=(),
               before_end=(), post=(), start=True, finish=True, **report_kw):
    """Events (ms, message) of one text-format invocation. cold = Init Duration (adds INIT_START)."""
    ev = []
    if cold is not None:
        ev.append((t0 - int(cold) - 3, INIT_START))
    ev += [(t0 - 1, m) for m in pre]
    if start:
        ev.append((t0, "START RequestId: %s Version: $LATEST\n" % request_id))
    ev += authorizer_lines(t0 + 1, request_id, src, token, lang, info, errors)
    ev += [(t0 + 1, m) for m in extra]
    t_end = t0 + max(2, int(duration) + 1)
    ev += [(t_end, m) for m in before_end]
    if finish:
        ev.append((t_end, "END RequestId: %s\n" % request_id))
        ev.append((t_end, report(request_id, duration, billed, used, init=cold, **report_kw)))
    ev += [(t_end, m) for m in post]
    return ev


def with_stream(events, s):
    return [(t, s, m) for t, m in events]


def by_time(events):
    return sorted(events, key=lambda e: e[0])  # stable: equal stamps keep their order


# ----------------------------------------------------------------------------- containers

def c_export(events, eol="\n"):
    """CreateExportTask to S3: '<ISO ms Z> <message>\\n'; messages keep their own '\\n'."""
    text = "".join("%s %s\n" % (iso(t), m) for t, _, m in events)
    return text.replace("\n", eol).encode("utf-8")


def mixed_eol(data):
    """Line ends `\\n` and `\\r\\n` in turn, as a file edited on two systems has them (a `\\r` alone
    is content in a file of `\\n` ends: Lambda joins the lines of one message with it)."""
    ends = [b"\n", b"\r\n"]
    lines = data.split(b"\n")
    last = lines.pop()
    return b"".join(l + ends[i % 2] for i, l in enumerate(lines)) + last


def unclose_quote(csv_bytes, n):
    """The `n`th quoted message loses its closing quote (the `"` opening the line after it)."""
    at = -1
    for _ in range(n):
        at = csv_bytes.index(b'\n",', at + 1)
    return csv_bytes[: at + 1] + csv_bytes[at + 2:]


def lone_surrogate(data):
    """UTF-16LE with a BOM, the first `$` of `$LATEST` turned into an unpaired high surrogate."""
    wide = b"\xff\xfe" + data.decode("utf-8").encode("utf-16-le")
    at = wide.index("$LATEST".encode("utf-16-le"))
    return wide[:at] + b"\x00\xd8" + wide[at + 2:]


def c_bare(events):
    return "".join(m.rstrip("\n") + "\n" for _, _, m in events).encode("utf-8")


def c_tail(events):
    """aws logs tail (detailed): '<ts +00:00> <stream> <message.rstrip()>\\n'."""
    return "".join("%s %s %s\n" % (iso_tail(t), s, m.rstrip()) for t, s, m in events).encode("utf-8")


def c_console(events):
    """Console rows copied as text: '<local ISO+09:00>\\t<message, tabs as spaces>'."""
    return "".join("%s\t%s\n" % (iso_local(t), m.rstrip().replace("\t", " ")) for t, _, m in events).encode("utf-8")


def c_jq(events):
    """A user's own rendering: jq -r '"\\(.timestamp/1000|strftime("%H:%M:%S"))  \\(.message)"' (UTC
    times of day, no milliseconds, messages as they are, their embedded newlines included)."""
    return "".join("%s  %s" % (datetime.fromtimestamp(t // 1000, tz=timezone.utc).strftime("%H:%M:%S"),
                               m if m.endswith("\n") else m + "\n") for t, _, m in events).encode("utf-8")


def c_bracketed(events, group="/aws/lambda/agw-access-permission-authorizer"):
    """A forwarder's lines: '[group] [stream] message'."""
    return "".join("[%s] [%s] %s\n" % (group, s, m.rstrip("\n")) for _, s, m in events).encode("utf-8")


def c_filter(events, group_ingest=61):
    out = []
    for seq, (t, s, m) in enumerate(events):
        out.append({"logStreamName": s, "timestamp": t, "message": m, "ingestionTime": t + group_ingest + seq % 5,
                    "eventId": str(t * 10**43 + 7 * 10**40 + seq)})
    return (json.dumps({"events": out, "searchedLogStreams": []}, indent=4, ensure_ascii=False) + "\n").encode("utf-8")


def c_get(events):
    out = [{"timestamp": t, "message": m, "ingestionTime": t + 57} for t, _, m in events]
    last = events[-1][0]
    doc = {"events": out,
           "nextForwardToken": "f/" + str(last * 10**43 + 5),
           "nextBackwardToken": "b/" + str(events[0][0] * 10**43 + 4)}
    return (json.dumps(doc, indent=4, ensure_ascii=False) + "\n").encode("utf-8")


def iso_tail_json(t):
    """aws logs tail --format json: datetime.isoformat(), so no fraction on a whole second."""
    dt = datetime.fromtimestamp(t / 1000, tz=timezone.utc).replace(microsecond=(t % 1000) * 1000)
    return dt.isoformat()


def c_tail_json(events):
    """aws logs tail --format json (aws-cli v2 JSONLogEventsFormatter): like detailed, but isoformat()
    timestamps, and a message that parses as JSON is printed as '\n' + json.dumps(obj, indent=4)."""
    out = []
    for t, s, m in events:
        try:
            m = "\n" + json.dumps(json.loads(m), indent=4)
        except ValueError:
            pass
        out.append("%s %s %s\n" % (iso_tail_json(t), s, m.rstrip()))
    return "".join(out).encode("utf-8")


GROUP = "/aws/lambda/agw-access-permission-authorizer"
ACCOUNT = "123456789012"


def insights_ts(t):
    """Logs Insights @timestamp: 'YYYY-MM-DD HH:MM:SS.mmm', UTC, no zone."""
    return datetime.fromtimestamp(t // 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (t % 1000)


def insights_rows(events):
    """The rows of `fields @timestamp, @message, @logStream, @log`, newest first as the console sorts them."""
    return [(insights_ts(t), m, s, ACCOUNT + ":" + GROUP) for t, s, m in reversed(events)]


def c_insights_csv(events):
    """Logs Insights 'Export results' > 'Download table (CSV)': RFC 4180 quoting, messages whole."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["@timestamp", "@message", "@logStream", "@log"])
    w.writerows(insights_rows(events))
    return buf.getvalue().encode("utf-8")


def c_insights_md(events):
    """Logs Insights 'Export results' > 'Copy table (Markdown)': '|' in cells as '\\|', newlines kept."""
    cell = lambda v: v.rstrip("\n").replace("|", "\\|")
    lines = ["| @timestamp | @message | @logStream | @log |", "|---|---|---|---|"]
    lines += ["| %s |" % " | ".join(cell(v) for v in row) for row in insights_rows(events)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def c_console_csv(events, stream_column=True):
    """The console's "Download" of log events (log-events-viewer-result.csv), oldest first: epoch
    milliseconds, every message quoted (RFC 4180, `""` for `"`) with its own tabs and trailing
    newline inside the quotes, the stream name after it when the header names it."""
    out = ["timestamp,message,logStreamName\n" if stream_column else "timestamp,message\n"]
    for t, s, m in events:
        row = '%d,"%s"' % (t, m.replace('"', '""'))
        out.append(row + (",%s\n" % s if stream_column else "\n"))
    return "".join(out).encode("utf-8")


def export_events(data):
    """The (ms, stream, message) events of an export of one-line messages (`<ISO ms Z> <message>`)."""
    events = []
    for line in data.decode("utf-8").split("\n"):
        if line:
            stamp, message = line.split(" ", 1)
            t = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
            events.append((int(t.timestamp() * 1000 + 0.5), "", message + "\n"))
    return events


def java_double(v):
    """A number as Logs Insights shows it (Java's Double.toString): `3.5E7`, `1.85`, `3000.0`."""
    v = float(v)
    if v != 0 and (abs(v) >= 1e7 or abs(v) < 1e-3):
        exp = len(str(int(abs(v)))) - 1
        mant = repr(v / 10 ** exp)
        return "%sE%d" % (mant, exp)
    return repr(v)


REPORT_FIELDS = ["@timestamp", "@requestId", "@duration", "@billedDuration", "@initDuration", "@memorySize",
                 "@maxMemoryUsed"]


def report_field_rows(events):
    """The rows of `fields @timestamp, @requestId, @duration, … | filter @type = "REPORT"`, newest
    first: the REPORT lines' own values, memory in bytes (MB x 1,000,000), no Init Duration empty."""
    rows = []
    for t, _, m in reversed(events):
        if not m.startswith("REPORT "):
            continue
        f = dict(kv.split(": ", 1) for kv in m.rstrip("\n").split("\t") if ": " in kv)
        num = lambda k: f[k].split()[0] if k in f else None
        rows.append([insights_ts(t), f["REPORT RequestId"], java_double(num("Duration")),
                     java_double(num("Billed Duration")),
                     java_double(num("Init Duration")) if num("Init Duration") else "",
                     java_double(int(num("Memory Size")) * 1000000),
                     java_double(int(num("Max Memory Used")) * 1000000)])
    return rows


def c_insights_report_md(events, group=GROUP):
    """Logs Insights 'Export results' > 'Copy table (Markdown)' of REPORT fields, with the block the
    console writes above the table (region, log groups, times, the query)."""
    query = "fields %s\n| filter @type = \"REPORT\"\n| sort @timestamp desc\n| limit 10000" % ", ".join(REPORT_FIELDS)
    lines = ["**CloudWatch Logs Insights**  ", "region: us-east-1  ", "log-group-names: %s  " % group,
             "start-time: 2025-07-11T06:00:00.000Z  ", "end-time: 2025-07-11T09:05:00.000Z  ",
             "query-string:", "  ```", "  " + query.replace("\n", "\n  "), "  ```", "---",
             "| %s |" % " | ".join(REPORT_FIELDS), "| %s |" % " | ".join("---" for _ in REPORT_FIELDS)]
    lines += ["| %s |" % " | ".join(row) for row in report_field_rows(events)]
    lines += ["---"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def c_insights_report_csv(events):
    """The same REPORT fields downloaded as CSV."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(REPORT_FIELDS)
    w.writerows(report_field_rows(events))
    return buf.getvalue().encode("utf-8")


CONTROL_PAYLOAD = {"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "", "logStream": "",
                   "subscriptionFilters": [], "logEvents": [{"id": "", "timestamp": ms("06:00:00.000"),
                                                             "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}


def subscription_payloads(events, per=20):
    """CloudWatch Logs subscription payloads of one stream's events (`per` a payload), a
    CONTROL_MESSAGE first, as JSON texts (compact, as CloudWatch Logs sends them)."""
    out = [CONTROL_PAYLOAD]
    for i in range(0, len(events), per):
        chunk = events[i:i + per]
        out.append({"messageType": "DATA_MESSAGE", "owner": ACCOUNT, "logGroup": GROUP, "logStream": chunk[0][1],
                    "subscriptionFilters": ["authlogs"],
                    "logEvents": [{"id": str(t * 10**43 + 3 * 10**40 + i + j), "timestamp": t, "message": m}
                                  for j, (t, _, m) in enumerate(chunk)]})
    return [json.dumps(p, separators=(",", ":"), ensure_ascii=False).encode("utf-8") for p in out]


def b64gz(data):
    return base64.b64encode(gz(data)).decode("ascii")


def c_awslogs(events):
    """What a Lambda subscribed to the group receives, one invocation event a line."""
    return "".join(json.dumps({"awslogs": {"data": b64gz(p)}}) + "\n" for p in subscription_payloads(events)).encode()


def c_kinesis(events):
    """A Lambda's Kinesis event of the records a subscription wrote to a stream."""
    arn = "arn:aws:kinesis:ap-northeast-1:%s:stream/authorizer-logs" % ACCOUNT
    records = []
    for i, p in enumerate(subscription_payloads(events)):
        seq = "4965%052d" % i
        records.append({"kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "%032x" % i, "sequenceNumber": seq,
                                    "data": b64gz(p), "approximateArrivalTimestamp": 1752213940.5 + i},
                        "eventSource": "aws:kinesis", "eventVersion": "1.0", "eventID": "shardId-000000000000:" + seq,
                        "eventName": "aws:kinesis:record", "invokeIdentityArn": "arn:aws:iam::%s:role/reader" % ACCOUNT,
                        "awsRegion": "ap-northeast-1", "eventSourceARN": arn})
    return (json.dumps({"Records": records}, indent=2) + "\n").encode()


def c_firehose_records(events):
    """A Firehose data-transformation Lambda's event: the records as CloudWatch Logs delivered them."""
    records = [{"recordId": "4965%052d0000" % i, "approximateArrivalTimestamp": 1752213940500 + i, "data": b64gz(p)}
               for i, p in enumerate(subscription_payloads(events))]
    doc = {"invocationId": "6f1c3e2a-0b7d-4d5e-9a8b-1c2d3e4f5a6b",
           "deliveryStreamArn": "arn:aws:firehose:ap-northeast-1:%s:deliverystream/authorizer-logs" % ACCOUNT,
           "region": "ap-northeast-1", "records": records}
    return (json.dumps(doc, indent=2) + "\n").encode()


def c_firehose_s3(events):
    """A Firehose S3 object without processors: each record's gzip member, back to back."""
    return b"".join(gz(p) for p in subscription_payloads(events))


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def write(name, data):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# ----------------------------------------------------------------------------- fixtures

def equiv_events():
    """One stream, 11 invocations, 06:05-09:00 UTC. See EXPECTED.md 'equiv.*'."""
    s = stream("equiv")
    E = lambda n: rid("equiv-%02d" % n)
    ev = []
    ev += invocation(ms("06:05:34.308"), E(1), duration=2.31, billed=3, used=36, cold=120.50)
    ev += invocation(ms("06:12:10.114"), E(2), duration=1.85, billed=2)
    ev += invocation(ms("06:40:02.871"), E(3), src="198.51.100.23", duration=1.62, billed=2)
    ev += invocation(ms("07:03:45.009"), E(4), token="test", duration=1.77, billed=2)
    ev += invocation(ms("07:15:20.442"), E(5), src="192.0.2.55", token="test", duration=1.98, billed=2)
    ev += invocation(ms("07:31:07.630"), E(6), token=None, duration=1.59, billed=2)
    ev += invocation(ms("07:48:51.205"), E(7), duration=3000.00, billed=3000, used=36, status="timeout")
    ev += invocation(ms("08:02:33.918"), E(8), src="198.51.100.23", token=None, duration=1.71, billed=2)
    ev += invocation(ms("08:20:14.377"), E(9), duration=1.66, billed=2)
    ev += invocation(ms("08:45:40.051"), E(10), duration=45.10, billed=46, used=37,
                     info=("src", "tok"), status="error", error_type="Runtime.ExitError",
                     before_end=["RequestId: %s Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n" % E(10)])
    ev += invocation(ms("08:59:58.760"), E(11), src="198.51.100.23", duration=1.80, billed=2)
    return with_stream(by_time(ev), s)


def report_variants_events():
    s = stream("report-variants")
    R = lambda n: rid("variants-%02d" % n)
    xray = "XRAY TraceId: 1-6870e0c0-7b15c13c3bff33247638ad8d\tSegmentId: 4c72ac137fd02fb0\tSampled: true\t\n"
    import_error = ("[ERROR] Runtime.ImportModuleError: Unable to import module 'lambda_function': "
                    "No module named 'requests'\nTraceback (most recent call last):")
    ev = []
    # R1 cold start, allowed; an init-time Python line (empty request id) and an EXTENSION line.
    ev += invocation(ms("10:00:00.000"), R(1), duration=2.31, billed=3, used=36, cold=120.50,
                     pre=[py("INFO", ms("10:00:00.000") - 1, "", "Found credentials in environment variables."),
                          "EXTENSION\tName: cloudwatch_lambda_agent\tState: Ready\tEvents: [INVOKE,SHUTDOWN]\n"])
    # R2 allowed, old-style stray space after Billed Duration.
    ev += invocation(ms("10:01:00.000"), R(2), duration=1.85, billed=2, old_space=True)
    # R3 IP mismatch, X-Ray line embedded in the REPORT event.
    ev += invocation(ms("10:02:00.000"), R(3), src="198.51.100.23", duration=1.62, billed=2, xray=xray)
    # R4 token mismatch, SnapStart restore (Restore + Billed Restore Duration; not a cold start).
    ev += invocation(ms("10:03:00.000"), R(4), token="test", duration=4.20, billed=5, used=38, restore=(511.25, 303),
                     pre=["RESTORE_START Runtime Version: python:3.13.v60\tRuntime Version ARN: %s\n" % RUNTIME_ARN,
                          "RESTORE_REPORT Restore Duration: 511.25 ms\n"])
    # R5 timeout by REPORT Status (cold start too); its token-mismatch ERROR must not count as a denial.
    ev += invocation(ms("10:04:00.000"), R(5), token="test", duration=3000.00, billed=3000, used=37, cold=118.02,
                     status="timeout")
    # R6 timeout by a 'Task timed out' line with SPACES, AFTER the REPORT (old style, no Status).
    t6 = ms("10:05:00.000")
    ev += invocation(t6, R(6), duration=3003.16, billed=3000, used=36,
                     post=["%s %s Task timed out after 3.00 seconds\n\n" % (iso(t6 + 3004), R(6))])
    # R7 timeout by a 'Task timed out' line with TABS, BEFORE END/REPORT.
    t7 = ms("10:06:00.000")
    ev += invocation(t7, R(7), duration=3001.52, billed=3000, used=36,
                     before_end=["%s\t%s\tTask timed out after 3.00 seconds\n" % (iso(t7 + 3000), R(7))])
    # R8 error: runtime killed (Status: error, Error Type), only two INFO lines were logged.
    ev += invocation(ms("10:07:00.000"), R(8), duration=45.10, billed=46, used=512, info=("src", "tok"),
                     status="error", error_type="Runtime.ExitError",
                     before_end=["RequestId: %s Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n" % R(8)])
    # R9 error: failed init retried inside the invoke (two INIT_REPORTs, no Init Duration on REPORT).
    t9 = ms("10:08:00.000")
    ev += [(t9 - 300, INIT_START), (t9 - 170, import_error),
           (t9 - 163, "INIT_REPORT Init Duration: 137.69 ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError\n"),
           (t9, "START RequestId: %s Version: $LATEST\n" % R(9)),
           (t9 + 80, import_error),
           (t9 + 81, "INIT_REPORT Init Duration: 80.49 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ImportModuleError\n"),
           (t9 + 99, "END RequestId: %s\n" % R(9)),
           (t9 + 99, report(R(9), 98.71, 99, 46, status="error", error_type="Runtime.ImportModuleError"))]
    # R10, R11 allowed, plain current-style REPORT.
    ev += invocation(ms("10:09:00.000"), R(10), duration=1.97, billed=2)
    ev += invocation(ms("10:10:00.000"), R(11), duration=2.05, billed=3)
    return with_stream(by_time(ev), s)


def json_logformat_events():
    """Lambda JSON log format (platform.* compact, Python app lines with ', ' separators, \\u escapes)."""
    s = stream("json-logformat")
    J = lambda n: rid("json-%02d" % n)

    def platform(t, typ, record):
        return (t, json.dumps({"time": iso(t), "type": typ, "record": record}, separators=(",", ":")))

    def app(t, level, message, request_id, logger="root"):
        d = {"timestamp": iso_seconds(t), "level": level, "message": message, "logger": logger}
        if request_id is not None:
            d["requestId"] = request_id
        return (t, json.dumps(d) + "\n")

    def inv(t0, request_id, src=ALLOWED_IP, token=ALLOWED_TOKEN, dur=1.853, billed=2, used=35, init=None,
            status="success", lang="ja"):
        ev = []
        if init is not None:
            ev.append(platform(t0 - 125, "platform.initStart", {
                "initializationType": "on-demand", "phase": "init", "runtimeVersion": "python:3.13.v60",
                "runtimeVersionArn": RUNTIME_ARN, "functionName": "agw-access-permission", "functionVersion": "$LATEST"}))
            ev.append(app(t0 - 20, "INFO", "Found credentials in environment variables.", None, "botocore.credentials"))
        ev.append(platform(t0, "platform.start", {"requestId": request_id, "version": "$LATEST"}))
        tok = "None" if token is None else token
        for m in ("[INFO] Source IP: %s" % src, "[INFO] Token: %s" % tok,
                  "[INFO] Allowed IP: %s" % ALLOWED_IP, "[INFO] Allowed Token: %s" % ALLOWED_TOKEN):
            ev.append(app(t0 + 1, "INFO", m, request_id))
        if src != ALLOWED_IP:
            ev.append(app(t0 + 1, "ERROR", MSG[lang]["ip"] % (src, ALLOWED_IP), request_id))
        if token != ALLOWED_TOKEN:
            ev.append(app(t0 + 1, "ERROR", MSG[lang]["token"] % (tok, ALLOWED_TOKEN), request_id))
        metrics = {"durationMs": dur, "billedDurationMs": billed, "memorySizeMB": 512, "maxMemoryUsedMB": used}
        if init is not None:
            metrics["initDurationMs"] = init
        ev.append(platform(t0 + max(2, int(dur) + 1), "platform.report",
                           {"requestId": request_id, "metrics": metrics, "status": status}))
        return ev

    ev = []
    ev += inv(ms("11:00:05.120"), J(1), dur=2.314, billed=3, used=36, init=120.504)
    ev += inv(ms("11:03:41.007"), J(2), src="198.51.100.23")
    ev += inv(ms("11:07:12.554"), J(3), token="test", dur=1.702, lang="en")
    ev += inv(ms("11:12:30.819"), J(4), token=None, dur=1.911)
    ev += inv(ms("11:20:02.246"), J(5), dur=3000.0, billed=3000, used=36, status="timeout")
    ev += inv(ms("11:26:48.930"), J(6), dur=1.655)
    ev += inv(ms("11:31:19.472"), J(7), src="192.0.2.55", token="test", dur=2.048, billed=3, lang="en")
    return with_stream(by_time(ev), s)


def messages_events():
    s = stream("messages")
    M = lambda n: rid("messages-%02d" % n)
    ev = []
    # M7 first: the log starts mid-request; only the ERROR line, END and REPORT of it are present.
    t = ms("12:00:00.050")
    ev += [(t, py("ERROR", t, M(7), MSG["ja"]["token"] % ("test", ALLOWED_TOKEN))),
           (t + 1, "END RequestId: %s\n" % M(7)), (t + 1, report(M(7), 1.73, 2, 35))]
    ev += invocation(ms("12:01:00.000"), M(1), src="198.51.100.23", lang="en", duration=1.61)
    ev += invocation(ms("12:02:00.000"), M(2), token="test", lang="en", duration=1.64)
    ev += invocation(ms("12:03:00.000"), M(3), src="192.0.2.55", token="wrongtoken", lang="en", duration=1.90)
    ev += invocation(ms("12:04:00.000"), M(4), token=None, lang="en", duration=1.58)
    ev += invocation(ms("12:05:00.000"), M(5), token="", lang="ja", duration=1.66)  # empty Authorization header
    ev += invocation(ms("12:06:00.000"), M(6), src="192.0.2.77", errors=False, duration=1.70)  # INFO values only
    ev += invocation(ms("12:07:00.000"), M(8), info=("src", "tok"), duration=1.52)  # no Allowed values: unknown
    ev += invocation(ms("12:08:00.000"), M(9), lang="en", duration=1.77)
    ev += invocation(ms("12:09:00.000"), M(10), src="2001:db8::1", lang="ja", duration=1.81)  # IPv6
    return with_stream(by_time(ev), s)


def custom_events():
    s = stream("custom-wording")
    C = lambda n: rid("custom-%02d" % n)

    def inv(t0, request_id, src, token, dur):
        tok = "None" if token is None else token
        t = t0 + 1
        ev = [(t0, "START RequestId: %s Version: $LATEST\n" % request_id),
              (t, py("INFO", t, request_id, "client=%s" % src)),
              (t, py("INFO", t, request_id, "auth header=%s" % tok)),
              (t, py("INFO", t, request_id, "allow-list ip=%s" % ALLOWED_IP)),
              (t, py("INFO", t, request_id, "expected token=%s" % ALLOWED_TOKEN))]
        if src != ALLOWED_IP:
            ev.append((t, py("ERROR", t, request_id, "REJECT ip %s not in %s" % (src, ALLOWED_IP))))
        if token != ALLOWED_TOKEN:
            ev.append((t, py("ERROR", t, request_id, "REJECT token %s != %s" % (tok, ALLOWED_TOKEN))))
        ev += [(t0 + 2, "END RequestId: %s\n" % request_id), (t0 + 2, report(request_id, dur, 2, 35))]
        return ev

    ev = []
    ev += inv(ms("13:00:00.100"), C(1), ALLOWED_IP, ALLOWED_TOKEN, 1.81)
    ev += inv(ms("13:01:00.100"), C(2), "198.51.100.23", ALLOWED_TOKEN, 1.62)
    ev += inv(ms("13:02:00.100"), C(3), ALLOWED_IP, "test", 1.74)
    ev += inv(ms("13:03:00.100"), C(4), "192.0.2.55", "test", 1.93)
    ev += inv(ms("13:04:00.100"), C(5), ALLOWED_IP, None, 1.55)
    return with_stream(by_time(ev), s)


CUSTOM_PATTERNS = """\
# Message templates for an authorizer worded differently from the seed
# (tests/data/custom-wording.export.log). Used with: authlogs report --patterns FILE
[[pattern]]
kind = "source_ip"
template = "client={value}"

[[pattern]]
kind = "token"
template = "auth header={value}"

[[pattern]]
kind = "allowed_ip"
template = "allow-list ip={value}"

[[pattern]]
kind = "allowed_token"
template = "expected token={value}"

[[pattern]]
kind = "ip_mismatch"
template = "REJECT ip {received} not in {allowed}"

[[pattern]]
kind = "token_mismatch"
template = "REJECT token {received} != {allowed}"
"""


def two_streams_events():
    a, b = stream("two-streams-a"), stream("two-streams-b")
    T = lambda n: rid("two-streams-%02d" % n)
    xray = "XRAY TraceId: 1-6871190a-3a9c2f1e5d7b4c8a9e0f1d2c\tSegmentId: 7d2e91c4b5a60f38\tSampled: false\t\n"
    ev = []
    ev += with_stream(invocation(ms("14:00:00.100"), T(1), duration=2.87, billed=3, used=36, cold=131.22), a)
    ev += with_stream(invocation(ms("14:00:00.102"), T(2), src="198.51.100.23", duration=3.12, billed=4, used=36,
                                 cold=127.85), b)
    ev += with_stream(invocation(ms("14:05:10.500"), T(3), token="test", duration=1.74, billed=2), a)
    ev += with_stream(invocation(ms("14:05:10.501"), T(4), duration=1.69, billed=2, xray=xray), b)
    ev += with_stream(invocation(ms("14:10:00.000"), T(5), duration=3000.00, billed=3000, used=37,
                                 status="timeout"), a)
    ev += with_stream(invocation(ms("14:10:00.004"), T(6), src="192.0.2.55", token="test", duration=1.81, billed=2), b)
    # T7: in flight when the logs were fetched: START and INFO lines, no END/REPORT.
    ev += with_stream(invocation(ms("14:15:30.250"), T(7), finish=False), b)
    return by_time(ev)


def multi_concurrency_events():
    """One execution environment serving several requests at once (Lambda Managed Instances,
    multi-concurrency runtimes): STARTs, app lines and REPORTs interleave in one stream."""
    s = stream("multi-concurrency")
    M = lambda n: rid("multi-%02d" % n)
    t = ms("10:00:00.000")
    ev = [(t - 200, INIT_START),
          (t, "START RequestId: %s Version: $LATEST\n" % M(1)),
          (t + 1, "START RequestId: %s Version: $LATEST\n" % M(2)),
          (t + 2, "START RequestId: %s Version: $LATEST\n" % M(3))]
    ev += authorizer_lines(t + 3, M(1), ALLOWED_IP, ALLOWED_TOKEN)
    ev += authorizer_lines(t + 3, M(2), "198.51.100.23", ALLOWED_TOKEN)
    ev += authorizer_lines(t + 4, M(3), ALLOWED_IP, "test")
    # Interleave the three requests' app lines one by one, as concurrent handlers write them.
    app = [e for e in ev if e[0] >= t + 3]
    per = [[e for e in app if M(n) in e[1]] for n in (1, 2, 3)]
    mixed = [x for trio in itertools.zip_longest(*per) for x in trio if x is not None]
    ev = [e for e in ev if e[0] < t + 3] + mixed
    ev += [(t + 6, "END RequestId: %s\n" % M(2)),
           (t + 6, report(M(2), 4.10, 5, 61, init=151.30)),
           (t + 7, "START RequestId: %s Version: $LATEST\n" % M(4))]
    ev += authorizer_lines(t + 8, M(4), ALLOWED_IP, ALLOWED_TOKEN)
    ev += [(t + 8, "END RequestId: %s\n" % M(1)),
           (t + 8, report(M(1), 7.35, 8, 61, init=151.30)),
           (t + 9, "END RequestId: %s\n" % M(3)),
           (t + 9, report(M(3), 8.02, 9, 62)),
           (t + 10, "END RequestId: %s\n" % M(4)),
           (t + 10, report(M(4), 2.20, 3, 62))]
    return with_stream(ev, s)


def big_event_events():
    s = stream("big-event")
    B = lambda n: rid("big-%02d" % n)
    chunk = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
    padding = (chunk * (300 * 1024 // len(chunk) + 1))[: 300 * 1024]
    dump = json.dumps({"version": "2.0", "type": "REQUEST", "routeKey": "$default",
                       "headers": {"x-padding": padding},
                       "requestContext": {"http": {"method": "GET", "sourceIp": ALLOWED_IP}}})
    ev = []
    t = ms("15:00:00.000")
    ev += invocation(t, B(1), duration=1.95, billed=2, extra=[py("INFO", t + 1, B(1), "event: " + dump)])
    ev += invocation(ms("15:00:01.000"), B(2), token="test", duration=1.88, billed=2)
    return with_stream(by_time(ev), s)


def control_chars_events():
    s = "2025/07/11/[$LATEST]\x1b[2J\x1b]0;owned\x07" + hashlib.md5(b"control").hexdigest()
    K = lambda n: rid("control-%02d" % n)
    ev = []
    ev += invocation(ms("16:00:00.000"), K(1), src="198.51.100.7\x1b[2J\x1b[1;31mPWNED\x1b[0m\x07", duration=1.71)
    ev += invocation(ms("16:01:00.000"), K(2), duration=1.66)
    ev += invocation(ms("16:02:00.000"), K(3), token="\x1b[31mevil\x1b[0m", duration=1.69)
    return with_stream(by_time(ev), s)


def noise_bytes():
    """Bare lines; 5 binary lines (invalid UTF-8), 2 text noise lines, and 3 invocations,
    the third with invalid bytes inside its token (2 more invalid lines, decoded lossily)."""
    s = stream("noise")
    N = lambda n: rid("noise-%02d" % n)
    bad_token = "Ab\udcff\udcfe12"  # surrogateescape: encodes back to the raw bytes ff fe
    ev = []
    ev += invocation(ms("17:00:00.000"), N(1), duration=1.70)
    ev += invocation(ms("17:01:00.000"), N(2), src="198.51.100.23", duration=1.63)
    ev += invocation(ms("17:02:00.000"), N(3), token=bad_token, duration=1.77)
    lines = [m.rstrip("\n").encode("utf-8", "surrogateescape") for _, m in by_time(ev)]
    forbidden = {0x0A, 0x0B, 0x0C, 0x0D}
    binary = [
        b"\xff\xfe\x00\x01\x02binary\x1b[0m\x80\x81\x82",
        bytes(b for b in range(0x80, 0x100)),
        b"\xff" + bytes(b for b in range(0x00, 0x20) if b not in forbidden) + b"\x7f",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\x4b\x4c\x4a\x06\x00",
        b"\xc3\x28\xa0\xa1 invalid sequences \xe2\x28\xa1 \xf0\x28\x8c\xbc \xff",
    ]
    text = [b"lorem ipsum dolor sit amet", b"=== binary blob follows ==="]
    for b in binary:
        assert not (set(b) & forbidden)
        try:
            b.decode("utf-8")
            raise AssertionError("noise line decodes")
        except UnicodeDecodeError:
            pass
    # Interleave: 7 lines of N1, noise, the rest.
    out = lines[:7] + [binary[0], text[0], binary[1]] + lines[7:15] + [binary[2], binary[3]] + [text[1]] \
        + lines[15:] + [binary[4]]
    return b"\n".join(out) + b"\n"


SEED_BLOCK = """\
REPORT RequestId: 24f9e55f-b57e-4c91-aaee-0554a354b18b Duration: 1.85 ms Billed Duration: 2 ms Memory Size: 512 MB Max Memory Used: 35 MB
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
"""


def tree_files():
    s = stream("tree")
    X = lambda n: rid("tree-%02d" % n)
    one = invocation(ms("18:00:00.000"), X(1), duration=1.71) \
        + invocation(ms("18:01:00.000"), X(2), src="198.51.100.23", duration=1.64)
    two = invocation(ms("18:02:00.000"), X(3), token="test", duration=1.59) \
        + invocation(ms("18:03:00.000"), X(4), duration=2.44, billed=3, cold=119.40) \
        + invocation(ms("18:04:00.000"), X(5), token=None, duration=1.83)
    return c_export(with_stream(by_time(one), s)), gz(c_export(with_stream(by_time(two), s)))


def split_files():
    s = stream("split")
    S = lambda n: rid("split-%02d" % n)
    ev = by_time(invocation(ms("19:00:00.000"), S(1), duration=1.74)
                 + invocation(ms("19:01:00.000"), S(2), token="test", duration=1.92)
                 + invocation(ms("19:02:00.000"), S(3), duration=1.68))
    ev = with_stream(ev, s)
    # Cut after S1 and the first two INFO lines of S2 (Source IP, Token): 7 + 3 events.
    return c_export(ev[:10]), c_export(ev[10:])


def multimember(data):
    # Two gzip members back to back (like `cat a.gz b.gz`), cut at an event boundary mid-invocation.
    cut = data.index(b"\n\n", len(data) // 2) + 2
    return gz(data[:cut]) + gz(data[cut:])


# Shapes of published logs (issue 27): written here from the shapes the issue describes, never
# copied. Expected counts are in EXPECTED.md ("Published-log shapes").
SHAPE_A = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
SHAPE_B = "7a2b3c4d-5e6f-4a7b-9c8d-1e2f3a4b5c6d"
SHAPE_C = "8b3c4d5e-6f7a-4b8c-ad9e-2f3a4b5c6d7e"
SHAPE_GLUED = "1bdd37b4-e95b-43bd-a49b-9da55e603845"


def shape_report(request_id, duration, billed, extra=""):
    return ("REPORT RequestId: %s\tDuration: %s ms\tBilled Duration: %d ms\tMemory Size: 128 MB\t"
            "Max Memory Used: 41 MB\t%s" % (request_id, duration, billed, extra))


def shape_blocks():
    """Two blocks of platform lines: a cold start and a warm invocation; then an init that timed out
    (Phase: init), and one retried inside the invoke that timed out again with its invocation."""
    first = [
        "INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: " + RUNTIME_ARN,
        "START RequestId: %s Version: $LATEST" % SHAPE_A,
        "END RequestId: %s" % SHAPE_A,
        shape_report(SHAPE_A, "2.15", 3, "Init Duration: 250.40 ms\t"),
        "START RequestId: %s Version: $LATEST" % SHAPE_B,
        "END RequestId: %s" % SHAPE_B,
        shape_report(SHAPE_B, "1.85", 2),
    ]
    second = [
        "INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: " + RUNTIME_ARN,
        "INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout",
        "START RequestId: %s Version: $LATEST" % SHAPE_C,
        "INIT_REPORT Init Duration: 3000.00 ms\tPhase: invoke\tStatus: timeout",
        "END RequestId: %s" % SHAPE_C,
        shape_report(SHAPE_C, "3000.00", 3000, "Status: timeout\t"),
    ]
    return first, second


def shape_pasted(prefix):
    """The blocks as pasted into a README, an email or a list, every line behind `prefix`, with
    prose before, between and after them."""
    first, second = shape_blocks()
    block = lambda lines: "".join(prefix + line + "\n" for line in lines)
    return ("# Cold starts of our authorizer\n\nThe first call was slow, the second fast:\n\n" + block(first)
            + "\nThen we deployed a version whose init hangs on a DNS lookup:\n\n" + block(second)
            + "\nAfter that every call failed until we rolled back.\n").encode("utf-8")


def shape_placeholders():
    """An author replaced the request id with a placeholder in every line of each invocation."""
    lines = [
        "START RequestId: <guid> Version: $LATEST",
        "2024-03-01T10:00:00.010Z\t<guid>\tINFO\tcalling the user service",
        "2024-03-01T10:00:45.060Z <guid> Task timed out after 45.05 seconds",
        "END RequestId: <guid>",
        "REPORT RequestId: <guid>\tDuration: 45051.22 ms\tBilled Duration: 45000 ms\tMemory Size: 1024 MB\tMax Memory Used: 90 MB\t",
        "INIT_START Runtime Version: nodejs:20.v22\tRuntime Version ARN: " + RUNTIME_ARN,
        "INIT_REPORT Init Duration: 412.33 ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError",
        "START RequestId: {id} Version: $LATEST",
        "{id} Task timed out after 3.00 seconds",
        "END RequestId: {id}",
        "REPORT RequestId: {id}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 1024 MB\tMax Memory Used: 88 MB\tInit Duration: 398.10 ms\t",
    ]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def shape_glued():
    """A copy that lost the tab after each request id; the second invocation kept it."""
    lines = [
        "START RequestId: %sVersion: $LATEST" % SHAPE_GLUED,
        "END RequestId: %s" % SHAPE_GLUED,
        "REPORT RequestId: %sDuration: 200032.11 ms\tBilled Duration: 200033 ms\tMemory Size: 512 MB\tMax Memory Used: 180 MB\t" % SHAPE_GLUED,
        "START RequestId: %s Version: $LATEST" % SHAPE_B,
        "END RequestId: %s" % SHAPE_B,
        "REPORT RequestId: %s\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used: 181 MB\t" % SHAPE_B,
    ]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def shape_json_init():
    """Lambda's JSON log format: an init error, the init retried and failing again in the invoke,
    then one good invocation."""
    records = [
        {"time": "2025-05-02T08:00:00.000Z", "type": "platform.initStart",
         "record": {"initializationType": "on-demand", "phase": "init", "runtimeVersion": "python:3.13.v12"}},
        {"time": "2025-05-02T08:00:01.200Z", "type": "platform.initReport",
         "record": {"initializationType": "on-demand", "phase": "init", "status": "error",
                    "errorType": "Runtime.ExitError", "metrics": {"durationMs": 1200.5}}},
        {"time": "2025-05-02T08:00:01.300Z", "type": "platform.start",
         "record": {"requestId": SHAPE_A, "version": "$LATEST"}},
        {"time": "2025-05-02T08:00:02.500Z", "type": "platform.initReport",
         "record": {"initializationType": "on-demand", "phase": "invoke", "status": "error",
                    "errorType": "Runtime.ExitError", "metrics": {"durationMs": 1150.0}}},
        {"time": "2025-05-02T08:00:02.510Z", "type": "platform.report",
         "record": {"requestId": SHAPE_A, "status": "error", "errorType": "Runtime.ExitError",
                    "metrics": {"durationMs": 1160.0, "billedDurationMs": 1160, "memorySizeMB": 256,
                                "maxMemoryUsedMB": 60}}},
        {"time": "2025-05-02T08:01:00.000Z", "type": "platform.initStart",
         "record": {"initializationType": "on-demand", "phase": "init", "runtimeVersion": "python:3.13.v12"}},
        {"time": "2025-05-02T08:01:00.300Z", "type": "platform.initReport",
         "record": {"initializationType": "on-demand", "phase": "init", "status": "success",
                    "metrics": {"durationMs": 300.0}}},
        {"time": "2025-05-02T08:01:00.310Z", "type": "platform.start",
         "record": {"requestId": SHAPE_B, "version": "$LATEST"}},
        {"time": "2025-05-02T08:01:00.320Z", "type": "platform.report",
         "record": {"requestId": SHAPE_B, "status": "success",
                    "metrics": {"durationMs": 8.25, "billedDurationMs": 9, "memorySizeMB": 256,
                                "maxMemoryUsedMB": 61, "initDurationMs": 300.0}}},
    ]
    return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records).encode("utf-8")


# Shapes of issue 29, written from the runtimes' own formats (no published file copied). Expected
# counts are in EXPECTED.md ("Unhandled errors, retries, copies").
ERR_T0 = 1757922754996  # 2025-09-15T07:52:34.996Z


def attempt(t, request_id, middle, duration, used=64, init=None, status=None, error_type=None):
    """START, the `(offset ms, message)` lines between, END and REPORT of one invocation at `t`."""
    events = [(t, "s", "START RequestId: %s Version: $LATEST\n" % request_id)]
    events += [(t + dt, "s", m) for dt, m in middle]
    end = t + int(duration) + 1
    events.append((end, "s", "END RequestId: %s\n" % request_id))
    events.append((end, "s", report(request_id, duration, int(duration) + 1, used, mem=256, init=init,
                                    status=status, error_type=error_type)))
    return events


def node_line(t, request_id, level, text):
    """Node's text format: '<ISO>\t<id>\t<LEVEL>\t<message>'."""
    return "%s\t%s\t%s\t%s\n" % (iso(t), request_id, level, text)


def unhandled_events():
    """One invocation per runtime whose handler threw, each REPORT without `Status: error` (only the
    runtime's line says it failed); then one whose `fail` line is the app's own."""
    t, ev = ERR_T0, []
    n1, py1, j1, d1, d2, ok = (rid("29-" + k) for k in ("node", "python", "java", "dotnet", "crash", "ok"))
    node_error = json.dumps({"errorType": "Error", "errorMessage": "upstream said 503",
                             "stack": ["Error: upstream said 503",
                                       "    at Runtime.handler (file:///var/task/index.mjs:14:11)"]},
                            separators=(",", ":"))
    ev += attempt(t, n1, [(3, node_line(t + 3, n1, "INFO", "checking the token")),
                             (41, node_line(t + 41, n1, "ERROR", "Invoke Error \t" + node_error))], 41.20)
    t += 60_000
    ev += attempt(t, py1, [(2, "[ERROR] KeyError: 'headers'\nTraceback (most recent call last):\n"
                                  "  File \"/var/task/app.py\", line 7, in lambda_handler\n"
                                  "    ip = event['headers']['X-Forwarded-For']\n")], 3.05)
    t += 60_000
    ev += attempt(t, j1, [(120, "boom: java.lang.IllegalStateException\n"
                                    "java.lang.IllegalStateException: boom\n"
                                    "\tat example.Authorizer.handleRequest(Authorizer.java:31)\n"
                                    "\tat java.base/java.lang.reflect.Method.invoke(Unknown Source)\n")], 121.70, used=140)
    t += 60_000
    ev += attempt(t, d1, [(9, node_line(t + 9, d1, "fail",
                                           "System.Collections.Generic.KeyNotFoundException: The given key "
                                           "'Authorization' was not present in the dictionary.\n"
                                           "   at Authorizer.Function.Handler(APIGatewayCustomAuthorizerRequest "
                                           "request, ILambdaContext context) in /src/Function.cs:line 22"))], 9.80, used=90)
    t += 60_000
    ev += attempt(t, d2, [(30, "Unhandled exception. System.InvalidOperationException: AUTH_TABLE is not set\n"
                                   "   at Program.<Main>$(String[] args) in /src/Program.cs:line 5\n")], 31.00, used=90)
    t += 60_000
    ev += attempt(t, ok, [(4, node_line(t + 4, ok, "fail", "could not reach the user service, retrying"))], 5.50, used=90)
    return ev


ASYNC_ID = rid("29-async")
# An author's redaction, as published: the same id in every invocation of the log.
PLACEHOLDER_ID = "xxxxxxxx-5719-4b2e-9c1d-xxxxxxxxxxxx"


def retries_events():
    """Lambda retrying an asynchronous invocation twice under its id (1 min, then 2 min later): the
    first two attempts throw, the third succeeds; one other invocation between them; then three
    invocations whose id an author replaced by one placeholder."""
    t, ev = ERR_T0, []
    fail = lambda t, i: [(40, node_line(t + 40, i, "ERROR", 'Invoke Error \t{"errorType":"Error","errorMessage":"busy"}'))]
    ev += [(t - 300, "s", INIT_START), (t - 200, "s", "INIT_REPORT Init Duration: 180.25 ms\tPhase: init\tStatus: success\n")]
    ev += attempt(t, ASYNC_ID, fail(t, ASYNC_ID), 40.50, init=180.25)
    other = rid("29-other")
    ev += attempt(t + 20_000, other, [], 2.10)
    ev += attempt(t + 60_045, ASYNC_ID, fail(t + 60_045, ASYNC_ID), 42.00)
    ev += attempt(t + 180_090, ASYNC_ID, [], 12.00)
    for k, ms in enumerate([7.25, 8.50, 9.75]):
        at = t + 600_000 + k * 30_000
        ev += attempt(at, PLACEHOLDER_ID, [(1, node_line(at + 1, PLACEHOLDER_ID, "INFO", "event received"))], ms)
    return ev


def main():
    eq = equiv_events()
    export = c_export(eq)
    write("equiv.export.log", export)
    write("equiv.export.gz", gz(export))
    write("equiv.multimember.export.gz", multimember(export))
    write("equiv.crlf.export.log", c_export(eq, eol="\r\n"))
    write("equiv.cr.export.log", c_export(eq, eol="\r"))
    write("equiv.mixed-eol.export.log", mixed_eol(c_export(eq)))
    write("equiv.filter.json", c_filter(eq))
    write("equiv.get.json", c_get(eq))
    write("equiv.tail.log", c_tail(eq))
    write("equiv.console.tsv", c_console(eq))
    write("equiv.bare.log", c_bare(eq))
    write("equiv.jq.txt", c_jq(eq))
    write("equiv.tail-json.log", c_tail_json(eq))
    write("equiv.insights.csv", c_insights_csv(eq))
    write("equiv.insights.md", c_insights_md(eq))
    write("equiv.awslogs.json", c_awslogs(eq))
    write("equiv.kinesis.json", c_kinesis(eq))
    write("equiv.firehose-records.json", c_firehose_records(eq))
    write("equiv.firehose.gz", c_firehose_s3(eq))
    write("equiv.bracketed.log", c_bracketed(eq))
    write("equiv.console.csv", c_console_csv(eq))
    write("equiv.console-two-columns.csv", c_console_csv(eq, stream_column=False))
    write("report-fields.insights.md", c_insights_report_md(eq))
    write("report-fields.insights.csv", c_insights_report_csv(eq))
    mc = multi_concurrency_events()
    write("multi-concurrency.export.log", c_export(mc))
    write("multi-concurrency.tail.log", c_tail(mc))
    full = gz(export)
    write("truncated.export.gz", full[: len(full) // 2])
    # Damage that read as a complete report before (issue 26): each is an input error now.
    write("damaged.unclosed-quote.insights.csv", unclose_quote(c_insights_csv(eq), 5))
    write("damaged.unclosed-quote.console.csv", unclose_quote(c_console_csv(eq), 5))
    with open(os.path.join(HERE, "access", "access.export.log"), "rb") as f:
        write("access/access.console.csv", c_console_csv(export_events(f.read()), stream_column=False))
    write("damaged.bad-date.export.log",
          export.replace(b"2025-07-11T06:05:34.311Z END", b"2025-02-30T06:05:34.311Z END", 1))
    write("damaged.lone-surrogate.utf16.log", lone_surrogate(export))
    write("damaged.undecodable.awslogs.json", b'{"awslogs": {"data": "H4sIAAAA not base64 of a gzip\'d payload"}}\n')

    write("report-variants.export.log", c_export(report_variants_events()))
    js = json_logformat_events()
    write("json-logformat.filter.json", c_filter(js))
    write("json-logformat.bare.log", c_bare(js))
    write("json-logformat.tail-json.log", c_tail_json(js))
    write("messages.export.log", c_export(messages_events()))
    write("custom-wording.export.log", c_export(custom_events()))
    write("custom-patterns.toml", CUSTOM_PATTERNS.encode("utf-8"))
    write("two-streams.tail.log", c_tail(two_streams_events()))
    write("big-event.export.log", c_export(big_event_events()))
    write("control-chars.filter.json", c_filter(control_chars_events()))
    write("noise.bare.log", noise_bytes())
    write("seed-console-pairs.txt", SEED_BLOCK.encode("utf-8"))
    write("empty.log", b"")
    one, two = tree_files()
    write("tree/one.export.log", one)
    write("tree/nested/deeper/two.export.gz", two)
    write("tree/aws-logs-write-test", b"Permission Check Successful")
    s1, s2 = split_files()
    write("split-1.export.log", s1)
    write("split-2.export.log", s2)
    write("shapes/indented.md", shape_pasted("    "))
    write("shapes/tab-indented.txt", shape_pasted("\t"))
    write("shapes/quoted.eml", shape_pasted("> "))
    write("shapes/bulleted.md", shape_pasted("- "))
    write("shapes/placeholder-ids.log", shape_placeholders())
    write("shapes/glued-ids.log", shape_glued())
    write("shapes/json-init-failures.log", shape_json_init())
    write("shapes/unhandled-errors.export.log", c_export(unhandled_events()))
    write("shapes/async-retries.export.log", c_export(retries_events()))
    # A console copy in which every row appears twice, one after the other.
    write("shapes/doubled-rows.console.tsv", c_console([e for e in eq for _ in (0, 1)]))


if __name__ == "__main__":
    main()
