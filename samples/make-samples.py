#!/usr/bin/env python3
"""Rebuilds the authlogs sample logs in this directory (stdlib only, deterministic).

    python3 samples/make-samples.py

The samples are the CloudWatch Logs of the seed authorizer `agw-access-permission`
(see docs/authorizer.md): a Python 3.13 HTTP-API Lambda authorizer that logs four INFO
values and one ERROR per mismatch, in the Lambda TEXT log format. ALLOWED_IP is the documentation address 203.0.113.10, ALLOWED_TOKEN is Ab12Xy34.

Outputs (two disjoint time slices of one log group, 2025-07-11):
  export/exportedlogs/<task>/<stream>/000000.gz   CreateExportTask to S3, 06:00-09:00 UTC
  export/exportedlogs/aws-logs-write-test         the marker S3 writes next to an export
  filter-log-events.json                          aws logs filter-log-events, 09:00-10:30 UTC

Run with --check to print the expected report counts instead of writing files.
"""

import gzip
import hashlib
import json
import math
import os
import random
import sys
import uuid
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))

ALLOWED_IP = "203.0.113.10"
ALLOWED_TOKEN = "Ab12Xy34"
MEMORY_MB = 512
RUNTIME_ARN = (
    "arn:aws:lambda:ap-northeast-1::runtime:"
    "6b9e6bdace9349e61d853adcfe031f7dbe39dd1762b0b2fcd6532dc5792399ca"
)
TASK_ID = "6f1c2a9e-4b7d-4e3a-9c5f-0d8e2b1a7c43"
STREAMS = {
    "A": "2025/07/11/[$LATEST]3f9a1c7e52b84d0e9c6f2a8b1d4e7c05",
    "B": "2025/07/11/[$LATEST]b7e24d913a6c4f58a0d1e9c3f6b2a874",
    "C": "2025/07/11/[$LATEST]e05d8c3b7a1f4926b4c8d2e6f0a3b719",
}

# (time of START, stream, kind, source ip, token).  kind:
#   ok       allowed (both values match)
#   cold     allowed, cold start (INIT_START + Init Duration)
#   timeout  REPORT Status: timeout (values would have matched)
#   deny     denied; the reasons follow from ip/token (None = no Authorization header)
EXPORT_PART = [
    ("06:02:11.402", "A", "cold", ALLOWED_IP, ALLOWED_TOKEN),
    ("06:05:34.308", "A", "deny", ALLOWED_IP, "test"),
    ("06:09:52.017", "B", "cold", ALLOWED_IP, ALLOWED_TOKEN),
    ("06:14:27.660", "A", "ok", ALLOWED_IP, ALLOWED_TOKEN),
    ("06:21:03.125", "B", "deny", "198.51.100.23", ALLOWED_TOKEN),
    ("06:21:04.871", "B", "deny", "198.51.100.23", ALLOWED_TOKEN),
    ("06:33:48.290", "A", "ok", ALLOWED_IP, ALLOWED_TOKEN),
    ("06:47:15.903", "B", "deny", "198.51.100.23", "test"),
    ("06:58:02.441", "A", "deny", ALLOWED_IP, None),
    ("07:04:39.118", "B", "ok", ALLOWED_IP, ALLOWED_TOKEN),
    ("07:12:56.774", "A", "deny", "192.0.2.44", ALLOWED_TOKEN),
    ("07:26:30.059", "B", "deny", ALLOWED_IP, "Bearer Ab12Xy34"),
    ("07:39:11.582", "A", "timeout", ALLOWED_IP, ALLOWED_TOKEN),
    ("07:45:07.236", "B", "ok", ALLOWED_IP, ALLOWED_TOKEN),
    ("07:52:44.810", "A", "deny", "198.51.100.23", None),
    ("08:03:18.377", "B", "deny", "198.51.100.23", ALLOWED_TOKEN),
    ("08:11:25.941", "A", "ok", ALLOWED_IP, ALLOWED_TOKEN),
    ("08:19:49.603", "B", "deny", ALLOWED_IP, "ab12xy34"),
    ("08:27:02.155", "A", "ok", ALLOWED_IP, ALLOWED_TOKEN),
    ("08:36:37.488", "B", "deny", ALLOWED_IP, None),
    ("08:44:13.020", "A", "deny", "198.51.100.23", ALLOWED_TOKEN),
    ("08:51:58.764", "B", "ok", ALLOWED_IP, ALLOWED_TOKEN),
    ("08:58:40.331", "A", "deny", "192.0.2.201", "admin"),
]
FILTER_PART = [
    ("09:02:05.613", "A", "ok", ALLOWED_IP, ALLOWED_TOKEN),
    ("09:02:05.614", "B", "deny", "198.51.100.23", ALLOWED_TOKEN),  # concurrent with the one above
    ("09:15:31.209", "A", "deny", ALLOWED_IP, "test"),
    ("09:28:44.877", "B", "ok", ALLOWED_IP, ALLOWED_TOKEN),
    ("09:41:09.350", "C", "cold", ALLOWED_IP, ALLOWED_TOKEN),
    ("09:41:09.352", "A", "deny", "198.51.100.23", ALLOWED_TOKEN),  # concurrent with the one above
    ("09:55:27.096", "B", "deny", ALLOWED_IP, None),
    ("10:08:16.742", "C", "timeout", ALLOWED_IP, ALLOWED_TOKEN),
    ("10:21:53.485", "A", "deny", "192.0.2.201", "admin"),
    ("10:29:40.118", "B", "ok", ALLOWED_IP, ALLOWED_TOKEN),
]


def epoch_ms(hms):
    dt = datetime.strptime("2025-07-11T" + hms, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)
    return int(round(dt.timestamp() * 1000))


def iso(ms):
    dt = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def request_id(label):
    return str(uuid.UUID(bytes=hashlib.md5(("authlogs-sample:" + label).encode()).digest(), version=4))


def report_line(rid, duration, billed, used, init=None, status=None):
    fields = [
        "REPORT RequestId: %s" % rid,
        "Duration: %.2f ms" % duration,
        "Billed Duration: %d ms" % billed,
        "Memory Size: %d MB" % MEMORY_MB,
        "Max Memory Used: %d MB" % used,
    ]
    if init is not None:
        fields.append("Init Duration: %.2f ms" % init)
    if status is not None:
        fields.append("Status: %s" % status)
        return "\t".join(fields) + "\n"  # no tab after the last field when Status is present
    return "\t".join(fields) + "\t\n"


def py(level, ms, rid, message):
    # awslambdaric: "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n"
    return "[%s]\t%s\t%s\t%s\n" % (level, iso(ms), rid, message)


def invocation(index, spec, rng):
    """Returns (events, truth) for one invocation; events are (epoch ms, stream, message)."""
    hms, stream_key, kind, ip, token = spec
    stream = STREAMS[stream_key]
    rid = request_id("%02d" % index)
    t0 = epoch_ms(hms)
    events = []
    init = None
    if kind == "cold":
        init = round(110 + rng.random() * 30, 2)
        init_at = t0 - int(init) - 4
        events.append((init_at, stream, "INIT_START Runtime Version: python:3.13.v60\tRuntime Version ARN: %s\n" % RUNTIME_ARN))
    events.append((t0, stream, "START RequestId: %s Version: $LATEST\n" % rid))
    t1 = t0 + 1
    token_text = "None" if token is None else token
    events.append((t1, stream, py("INFO", t1, rid, "[INFO] Source IP: %s" % ip)))
    events.append((t1, stream, py("INFO", t1, rid, "[INFO] Token: %s" % token_text)))
    events.append((t1, stream, py("INFO", t1, rid, "[INFO] Allowed IP: %s" % ALLOWED_IP)))
    events.append((t1, stream, py("INFO", t1, rid, "[INFO] Allowed Token: %s" % ALLOWED_TOKEN)))
    ip_bad = ip != ALLOWED_IP
    tok_bad = token != ALLOWED_TOKEN
    if kind != "timeout":
        if ip_bad:
            events.append((t1, stream, py("ERROR", t1, rid, "[ERROR] IPアドレスが不一致: 受信IP=%s, 許可IP=%s" % (ip, ALLOWED_IP))))
        if tok_bad:
            events.append((t1, stream, py("ERROR", t1, rid, "[ERROR] トークンが不一致: 受信トークン=%s, 許可トークン=%s" % (token_text, ALLOWED_TOKEN))))
    if kind == "timeout":
        duration, billed, status = 3000.00, 3000, "timeout"
    else:
        duration = round(1.40 + rng.random() * 1.0 + (0.9 if kind == "cold" else 0.0), 2)
        billed, status = int(math.ceil(duration)), None
    used = 35 + int(rng.random() * 4)
    t_end = t0 + int(math.ceil(duration))
    events.append((t_end, stream, "END RequestId: %s\n" % rid))
    events.append((t_end, stream, report_line(rid, duration, billed, used, init, status)))

    if kind == "timeout":
        decision = "timeout"
    elif ip_bad or tok_bad:
        decision = "denied"
    else:
        decision = "allowed"
    truth = {
        "rid": rid, "stream": stream, "decision": decision, "ip": ip,
        "ip_bad": ip_bad, "tok_bad": tok_bad, "tok_missing": token is None,
        "duration": duration, "billed": billed, "used": used, "init": init,
    }
    return events, truth


def build():
    rng = random.Random(20250711)
    export_events, filter_events, truths = [], [], {"export": [], "filter": []}
    for i, spec in enumerate(EXPORT_PART, start=1):
        ev, tr = invocation(i, spec, rng)
        export_events += ev
        truths["export"].append(tr)
    for i, spec in enumerate(FILTER_PART, start=len(EXPORT_PART) + 1):
        ev, tr = invocation(i, spec, rng)
        filter_events += ev
        truths["filter"].append(tr)
    return export_events, filter_events, truths


def export_bytes(events):
    # S3 export: "<ISO ms Z> <message>" + "\n"; Lambda messages end in "\n", so a blank line follows.
    return "".join("%s %s\n" % (iso(ms), msg) for ms, _, msg in events).encode("utf-8")


def write_export(events):
    root = os.path.join(HERE, "export", "exportedlogs")
    by_stream = {}
    for ev in sorted(events, key=lambda e: e[0]):
        by_stream.setdefault(ev[1], []).append(ev)
    for stream, evs in sorted(by_stream.items()):
        d = os.path.join(root, TASK_ID, stream.replace("/", "-"))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "000000.gz"), "wb") as f:
            f.write(gzip.compress(export_bytes(evs), compresslevel=9, mtime=0))
    with open(os.path.join(root, "aws-logs-write-test"), "wb") as f:
        f.write(b"Permission Check Successful")


def write_filter(events):
    out = []
    # FilterLogEvents interleaves streams by timestamp (stable within a stream).
    for seq, (ms, stream, msg) in enumerate(sorted(events, key=lambda e: e[0])):
        out.append({
            "logStreamName": stream,
            "timestamp": ms,
            "message": msg,
            "ingestionTime": ms + 61 + seq % 7,
            "eventId": str(ms * 10**43 + 3 * 10**40 + seq),
        })
    doc = {"events": out, "searchedLogStreams": []}
    with open(os.path.join(HERE, "filter-log-events.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(doc, indent=4, ensure_ascii=False) + "\n")


def nearest_rank(values, p):
    s = sorted(values)
    return s[max(1, math.ceil(p / 100 * len(s))) - 1]


def summary(truths):
    d = {k: 0 for k in ("allowed", "denied", "timeout", "error", "unknown")}
    den = {k: 0 for k in ("ip_mismatch", "token_mismatch", "both", "token_missing")}
    ips = {}
    for t in truths:
        d[t["decision"]] += 1
        if t["decision"] == "denied":
            den["ip_mismatch"] += t["ip_bad"]
            den["token_mismatch"] += t["tok_bad"]
            den["both"] += t["ip_bad"] and t["tok_bad"]
            den["token_missing"] += t["tok_missing"]
            ips[t["ip"]] = ips.get(t["ip"], 0) + 1
    durs = [t["duration"] for t in truths]
    inits = [t["init"] for t in truths if t["init"] is not None]
    return {
        "invocations": len(truths), "decisions": d, "denials": den,
        "duration_ms": {"count": len(durs), "min": min(durs), "p50": nearest_rank(durs, 50), "max": max(durs)},
        "billed_sum": sum(t["billed"] for t in truths),
        "max_used_max": max(t["used"] for t in truths),
        "cold_starts": len(inits), "init_max": max(inits) if inits else None,
        "denied_ips": sorted(ips.items(), key=lambda kv: (-kv[1], kv[0])),
    }


def main():
    export_events, filter_events, truths = build()
    if "--check" in sys.argv:
        for name, ts in (("export", truths["export"]), ("filter", truths["filter"]),
                         ("all", truths["export"] + truths["filter"])):
            print(name, json.dumps(summary(ts)))
        return
    write_export(export_events)
    write_filter(filter_events)


if __name__ == "__main__":
    main()
