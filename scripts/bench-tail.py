"""Measures `authlogs tail` against a CloudWatch Logs API server (moto): the delay from PutLogEvents
returning to the invocation's line being printed, in Live Tail and polling mode, beside a raw line
tailer (FilterLogEvents every second, printing the REPORT line, as awslogs/`aws logs tail` do).
Two streams: a busy one (a request every --spacing s) and a quiet one (every --quiet-spacing s
on average, where no next START ends a request: only the REPORT itself can), each mode beside the
raw tailer of the same run. The quiet gaps are jittered by up to half a second either way: a gap
of exactly 3 s locks each 1 s poller to one phase of the puts for the whole run, so its p50 would
be whatever that phase was (0.05 s or 0.95 s), not the typical delay.

Run by scripts/bench-tail, which starts moto. Prints p50 and max per mode.
"""
import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import boto3


def client(endpoint):
    return boto3.client(
        "logs",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def invocation(request_id, now_ms, ip="203.0.113.10"):
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now_ms / 1000)) + ".%03dZ" % (now_ms % 1000)
    lines = [
        f"START RequestId: {request_id} Version: $LATEST",
        f"[INFO]\t{stamp}\t{request_id}\t[INFO] Source IP: {ip}",
        f"[INFO]\t{stamp}\t{request_id}\t[INFO] Token: Ab12Xy34",
        f"[INFO]\t{stamp}\t{request_id}\t[INFO] Allowed IP: 203.0.113.10",
        f"[INFO]\t{stamp}\t{request_id}\t[INFO] Allowed Token: Ab12Xy34",
        f"END RequestId: {request_id}",
        f"REPORT RequestId: {request_id}\tDuration: 1.85 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t",
    ]
    return [{"timestamp": now_ms + i, "message": m} for i, m in enumerate(lines)]


def raw_tailer(logs, group, start_ms, seen_reports, stop):
    """A raw line tailer: FilterLogEvents each second from the newest timestamp seen."""
    since = start_ms
    seen = set()
    while not stop.is_set():
        kwargs = {"logGroupName": group, "startTime": since}
        while True:
            out = logs.filter_log_events(**kwargs)
            for e in out.get("events", []):
                if e["eventId"] in seen:
                    continue
                seen.add(e["eventId"])
                since = max(since, e["timestamp"])
                if e["message"].startswith("REPORT RequestId: "):
                    rid = e["message"].split()[2]
                    seen_reports.setdefault(rid, time.monotonic())
            token = out.get("nextToken")
            if not token or token == kwargs.get("nextToken"):
                break
            kwargs["nextToken"] = token
        time.sleep(1.0)


def measure(args, mode, spacing, jitter):
    logs = client(args.endpoint)
    group = f"/aws/lambda/agw-access-permission-bench-{mode}-{uuid.uuid4().hex[:8]}"
    stream = "2026/12/01/[$LATEST]" + uuid.uuid4().hex
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    cmd = [args.authlogs, "tail", "--group", group, "--endpoint-url", args.endpoint, "--format", "json"]
    if mode == "poll":
        cmd += ["--poll", "--interval", "1s"]
    errors = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, text=True)
    printed = {}

    def read():
        for line in proc.stdout:
            try:
                rid = json.loads(line).get("request_id")
            except ValueError:
                continue
            printed.setdefault(rid, time.monotonic())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    raw_seen, stop = {}, threading.Event()
    raw = threading.Thread(target=raw_tailer, args=(logs, group, int(time.time() * 1000) - 1000, raw_seen, stop), daemon=True)
    raw.start()
    time.sleep(2.0)  # let both tailers start
    put = {}
    for _ in range(args.requests):
        rid = str(uuid.uuid4())
        logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=invocation(rid, int(time.time() * 1000)))
        put[rid] = time.monotonic()
        time.sleep(spacing + random.uniform(-jitter, jitter))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (len(printed) < len(put) or len(raw_seen) < len(put)):
        time.sleep(0.1)
    proc.terminate()
    proc.wait(timeout=10)
    stop.set()
    if len(printed) < len(put):
        errors.seek(0)
        print(f"authlogs tail ({mode}) stderr:", errors.read()[-2000:], file=sys.stderr)
    delays = [printed[r] - put[r] for r in put if r in printed]
    raw_delays = [raw_seen[r] - put[r] for r in put if r in raw_seen]
    missing = len(put) - len(delays)
    return delays, raw_delays, missing


def summary(name, delays, missing=0):
    if not delays:
        return f"{name:<34} no line printed ({missing} missing)"
    extra = f", {missing} MISSING" if missing else ""
    return f"{name:<34} p50 {statistics.median(delays):5.2f} s   max {max(delays):5.2f} s   ({len(delays)} requests{extra})"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--authlogs", required=True)
    p.add_argument("--requests", type=int, default=15)
    p.add_argument("--spacing", type=float, default=1.3)
    p.add_argument("--quiet-spacing", type=float, default=3.0)
    args = p.parse_args()
    failed = False
    for stream, spacing, jitter in [("busy", args.spacing, 0.0), ("quiet", args.quiet_spacing, 0.5)]:
        print(f"-- {stream} stream: a request every {spacing:g} s" + (f" (± {jitter:g} s)" if jitter else ""))
        for mode in ["live", "poll"]:
            delays, raw_delays, missing = measure(args, mode, spacing, jitter)
            print(summary(f"authlogs tail ({mode}) decision", delays, missing))
            print(summary("  raw tailer (1 s polling) REPORT", raw_delays))
            if delays and raw_delays:
                gap = statistics.median(delays) - statistics.median(raw_delays)
                print(f"  {'p50 behind the raw tailer':<32} {gap:+5.2f} s")
            failed |= missing > 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
