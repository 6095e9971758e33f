"""Loads a generated export-format corpus into a CloudWatch Logs API server (moto) for scripts/bench.

Events keep their order and spacing but are moved to end one minute ago (servers refuse old events),
and are spread over several streams. Prints the number of events put and the window start (epoch ms).
"""
import argparse
import datetime
import re

import boto3

STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (.*)$")


def events(path):
    current = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = STAMP.match(line)
            if m:
                if current:
                    yield current
                ts = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
                current = [int(ts.timestamp() * 1000), m.group(2)]
            elif current and line.strip():
                current[1] += "\n" + line.rstrip("\n")
    if current:
        yield current


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--group", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--streams", type=int, default=8)
    a = p.parse_args()
    logs = boto3.client("logs", endpoint_url=a.endpoint, region_name="us-east-1",
                        aws_access_key_id="bench", aws_secret_access_key="bench")
    evs = sorted(events(a.corpus), key=lambda e: e[0])
    now = int(datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000)
    shift = now - 60_000 - evs[-1][0]
    logs.create_log_group(logGroupName=a.group)
    # Requests stay on one stream, as one execution environment logs them.
    owner = {}
    per_stream = [[] for _ in range(a.streams)]
    rid = re.compile(r"RequestId: (\S+)|\t([0-9a-f-]{36})\t| ([0-9a-f-]{36}) ")
    for ts, msg in evs:
        m = rid.search(msg)
        key = next((g for g in m.groups() if g), None) if m else None
        s = owner.setdefault(key, len(owner) % a.streams) if key else 0
        per_stream[s].append({"timestamp": ts + shift, "message": msg})
    total = 0
    for i, batch in enumerate(per_stream):
        stream = f"2025/07/11/[$LATEST]{i:032x}"
        logs.create_log_stream(logGroupName=a.group, logStreamName=stream)
        for j in range(0, len(batch), 5000):
            logs.put_log_events(logGroupName=a.group, logStreamName=stream, logEvents=batch[j:j + 5000])
        total += len(batch)
    print(total, evs[0][0] + shift)


if __name__ == "__main__":
    main()
