#!/usr/bin/env python3
"""Independent cross-check of EXPECTED.md: parses the fixture *bytes* (not make-fixtures.py's model)
with a deliberately simple reader of each container and prints the counts EXPECTED.md states.

    python3 tests/data/cross-check.py                 # every fixture
    python3 tests/data/cross-check.py export:FILE ... [--since ISO] [--until ISO] [--custom]

It is a test aid, not the specification (docs/authorizer.md#decision-rules is): it knows only the shapes in these fixtures.
"""
import base64, csv, gzip, io, json, math, re, sys, os

TS = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)"
ts_re = re.compile("^(" + TS + ")")

def read(path):
    data = open(path, "rb").read()
    if data[:2] == b"\x1f\x8b":
        import zlib
        out = b""
        while data:
            d = zlib.decompressobj(31)
            out += d.decompress(data)
            data = d.unused_data
        data = out
    return data

def parse_ts(s):
    from datetime import datetime
    s = s.replace("Z", "+00:00")
    if "." in s:
        head, rest = s.split(".", 1)
        frac = re.match(r"\d+", rest).group(0)
        tz = rest[len(frac):]
        s = head + "." + (frac + "000000")[:6] + tz
    return int(round(datetime.fromisoformat(s).timestamp() * 1000))

def events(path, fmt):
    raw = read(path)
    text = raw.decode("utf-8", "replace")
    invalid = sum(1 for l in raw.split(b"\n") if _invalid(l))
    # A `\r` alone ends a line too (CR-only and mixed line ends).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    ev = []
    if fmt == "export":
        cur = None
        for line in text.split("\n"):
            m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (.*)$", line)
            if m:
                if cur: ev.append(cur)
                cur = [parse_ts(m.group(1)), "", m.group(2) + "\n"]
            elif cur is not None:
                cur[2] += line + "\n"
        if cur: ev.append(cur)
    elif fmt == "json":
        d = json.loads(text)
        for e in d["events"]:
            ev.append([e["timestamp"], e.get("logStreamName", ""), e["message"]])
    elif fmt == "insights-csv":
        rows = csv.DictReader(io.StringIO(text, newline=""))
        for r in rows:
            ev.append([parse_ts(r["@timestamp"].replace(" ", "T") + "Z"), r.get("@logStream", ""), r["@message"]])
    elif fmt == "console-csv":
        for r in csv.DictReader(io.StringIO(text, newline="")):
            ev.append([int(r["timestamp"]), r.get("logStreamName") or "", r["message"]])
    elif fmt in ("report-csv", "report-md"):
        # Logs Insights REPORT fields, memory in bytes (MB x 1e6): each row written as its REPORT line.
        if fmt == "report-csv":
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
        else:
            lines = text.split("\n")
            table = [l for l in lines[lines.index("---") + 1:] if l.startswith("|")]
            cells = lambda l: [c.strip() for c in l.strip().strip("|").split("|")]
            rows = [dict(zip(cells(table[0]), cells(l))) for l in table[2:]]
        for r in rows:
            f = ["REPORT RequestId: " + r["@requestId"], "Duration: %s ms" % float(r["@duration"]),
                 "Billed Duration: %d ms" % float(r["@billedDuration"]),
                 "Memory Size: %d MB" % round(float(r["@memorySize"]) / 1e6),
                 "Max Memory Used: %d MB" % round(float(r["@maxMemoryUsed"]) / 1e6)]
            if r.get("@initDuration"):
                f.append("Init Duration: %s ms" % float(r["@initDuration"]))
            ev.append([parse_ts(r["@timestamp"].replace(" ", "T") + "Z"), "", "\t".join(f) + "\t\n"])
    elif fmt == "insights-md":
        rows, cur = [], ""
        for line in text.split("\n"):
            cur = cur + "\n" + line if cur else line
            if len(re.findall(r"(?<!\\)\|", cur)) >= 5 and cur.rstrip().endswith("|"):
                rows.append(cur)
                cur = ""
        for row in rows[2:]:
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]
            ev.append([parse_ts(cells[0].replace(" ", "T") + "Z"), cells[2], cells[1]])
    elif fmt in ("awslogs", "kinesis", "firehose-records", "firehose"):
        if fmt == "firehose":
            docs, at, dec = [], 0, json.JSONDecoder()
            while at < len(text):
                doc, at = dec.raw_decode(text, at)
                docs.append(doc)
        else:
            outer = [json.loads(l) for l in text.splitlines() if l] if fmt == "awslogs" else [json.loads(text)]
            datas = ([o["awslogs"]["data"] for o in outer] if fmt == "awslogs" else
                     [r["kinesis"]["data"] for r in outer[0]["Records"]] if fmt == "kinesis" else
                     [r["data"] for r in outer[0]["records"]])
            docs = [json.loads(gzip.decompress(base64.b64decode(d))) for d in datas]
        for doc in docs:
            if doc["messageType"] == "DATA_MESSAGE":
                ev += [[e["timestamp"], doc["logStream"], e["message"]] for e in doc["logEvents"]]
    elif fmt == "tail":
        for line in text.split("\n"):
            m = re.match(r"^(\S+\+00:00) (\S+) (.*)$", line)
            if m:
                ev.append([parse_ts(m.group(1)), m.group(2), m.group(3)])
            elif line and ev:
                ev[-1][2] += "\n" + line
    elif fmt == "console":
        for line in text.split("\n"):
            m = re.match("^(" + TS + ")\t(.*)$", line)
            if m:
                ev.append([parse_ts(m.group(1)), "", m.group(2)])
            elif line and ev:
                ev[-1][2] += "\n" + line
    elif fmt == "pairs":
        pending_ts = None
        for line in text.split("\n"):
            if re.match("^" + TS + "$", line):
                pending_ts = parse_ts(line)
            elif line:
                ev.append([pending_ts, "", line])
    elif fmt == "bare":
        for line in text.split("\n"):
            if line:
                ev.append([None, "", line])
    return ev, invalid

def _invalid(b):
    try:
        b.decode("utf-8"); return False
    except UnicodeDecodeError:
        return True

SEP = r"[\t ]"
PY = re.compile(r"^\[(INFO|ERROR|WARNING|DEBUG|CRITICAL)\]" + SEP + r"(\S+)" + SEP + r"([0-9a-f-]{36})?" + SEP + r"(.*)$")

def templates(custom):
    if custom:
        return {"source_ip": "client={value}", "token": "auth header={value}", "allowed_ip": "allow-list ip={value}",
                "allowed_token": "expected token={value}", "ip_mismatch": "REJECT ip {received} not in {allowed}",
                "token_mismatch": "REJECT token {received} != {allowed}"}
    return None

BUILTIN = [
    ("source_ip", r"^\[INFO\] Source IP: (.*)$"), ("token", r"^\[INFO\] Token: (.*)$"),
    ("allowed_ip", r"^\[INFO\] Allowed IP: (.*)$"), ("allowed_token", r"^\[INFO\] Allowed Token: (.*)$"),
    ("ip_mismatch", r"^\[ERROR\] IPアドレスが不一致: 受信IP=(.*), 許可IP=(.*)$"),
    ("ip_mismatch", r"^\[ERROR\] IP address mismatch: received IP=(.*), allowed IP=(.*)$"),
    ("token_mismatch", r"^\[ERROR\] トークンが不一致: 受信トークン=(.*), 許可トークン=(.*)$"),
    ("token_mismatch", r"^\[ERROR\] Token mismatch: received token=(.*), allowed token=(.*)$"),
]

def compile_custom(t):
    out = []
    for kind, tpl in t.items():
        rx = re.escape(tpl).replace(re.escape("{value}"), "(.*)").replace(re.escape("{received}"), "(.*)").replace(re.escape("{allowed}"), "(.*)")
        out.append((kind, "^" + rx + "$"))
    return out

def analyze(evs, custom=False, since=None, until=None):
    pats = BUILTIN + (compile_custom(templates(True)) if custom else [])
    inv = {}
    order = []
    filtered = 0
    unrec = 0
    def get(r):
        if r not in inv:
            inv[r] = {"vals": {}, "ipmm": False, "tokmm": False, "tokmiss_mm": False, "report": None,
                      "timeout": False, "error": False}
            order.append(r)
        return inv[r]
    for t, s, msg in evs:
        if t is not None and ((since is not None and t < since) or (until is not None and t >= until)):
            filtered += 1
            continue
        first = msg.split("\n")[0].rstrip("\r")
        if first.startswith("{"):
            try:
                d = json.loads(msg.strip())
            except Exception:
                unrec += 1; continue
            if "type" in d:
                rec = d["record"]
                if d["type"] == "platform.start":
                    get(rec["requestId"])
                elif d["type"] == "platform.report":
                    i = get(rec["requestId"]); m = rec["metrics"]
                    i["report"] = {"dur": m["durationMs"], "billed": m["billedDurationMs"], "mem": m["memorySizeMB"],
                                   "used": m["maxMemoryUsedMB"], "init": m.get("initDurationMs")}
                    if rec["status"] == "timeout": i["timeout"] = True
                    if rec["status"] in ("error", "failure"): i["error"] = True
                continue
            if "requestId" in d:
                handle_msg(get(d["requestId"]), d["message"].rstrip("\n"), pats)
            continue
        m = re.match(r"^START RequestId: (\S+)", first)
        if m: get(m.group(1)); continue
        m = re.match(r"^END RequestId: (\S+)", first)
        if m: get(m.group(1)); continue
        m = re.match(r"^REPORT RequestId: (\S+)", first)
        if m:
            i = get(m.group(1)); f = dict(re.findall(r"(Billed Restore Duration|Restore Duration|Billed Duration|Init Duration|Max Memory Used|Memory Size|Duration|Status|Error Type): (\S+)", first))
            i["report"] = {"dur": float(f["Duration"]), "billed": int(f["Billed Duration"]), "mem": int(f["Memory Size"]),
                           "used": int(f["Max Memory Used"]), "init": float(f["Init Duration"]) if "Init Duration" in f else None}
            if f.get("Status") == "timeout": i["timeout"] = True
            if f.get("Status") == "error": i["error"] = True
            continue
        m = re.match(r"^(\S+)[\t ]([0-9a-f-]{36})[\t ]Task timed out after", first)
        if m: get(m.group(2))["timeout"] = True; continue
        m = re.match(r"^RequestId: ([0-9a-f-]{36}) Error: ", first)
        if m: get(m.group(1))["error"] = True; continue
        m = PY.match(first)
        if m:
            if m.group(3):
                handle_msg(get(m.group(3)), m.group(4), pats)
            continue
        if re.match(r"^(INIT_START|INIT_REPORT|EXTENSION|RESTORE_START|RESTORE_REPORT|\[ERROR\] Runtime\.)", first):
            continue
        unrec += 1
    return inv, order, filtered, unrec

def handle_msg(i, text, pats):
    for kind, rx in pats:
        m = re.match(rx, text)
        if m:
            if kind in ("source_ip", "token", "allowed_ip", "allowed_token"):
                i["vals"][kind] = m.group(1)
            elif kind == "ip_mismatch":
                i["ipmm"] = True
            else:
                i["tokmm"] = True
                if m.group(1) in ("None", ""): i["tokmiss_mm"] = True
            return

def classify(i):
    v = i["vals"]
    ipbad = i["ipmm"] or ("source_ip" in v and "allowed_ip" in v and v["source_ip"] != v["allowed_ip"])
    tokbad = i["tokmm"] or ("token" in v and "allowed_token" in v and v["token"] != v["allowed_token"])
    missing = tokbad and (i["tokmiss_mm"] or v.get("token") in ("None", ""))
    if i["timeout"]: d = "timeout"
    elif i["error"]: d = "error"
    elif ipbad or tokbad: d = "denied"
    elif all(k in v for k in ("source_ip", "token", "allowed_ip", "allowed_token")): d = "allowed"
    else: d = "unknown"
    return d, ipbad, tokbad, missing

def summary(inv, order, filtered, unrec, invalid, nevents):
    d = dict.fromkeys(["allowed", "denied", "timeout", "error", "unknown"], 0)
    den = dict.fromkeys(["ip_mismatch", "token_mismatch", "both", "token_missing"], 0)
    durs, billed, used, mem, inits, incomplete = [], 0, [], [], [], 0
    ips = {}
    for r in order:
        i = inv[r]
        dec, ipbad, tokbad, missing = classify(i)
        d[dec] += 1
        if dec == "denied":
            den["ip_mismatch"] += ipbad; den["token_mismatch"] += tokbad; den["both"] += ipbad and tokbad
            den["token_missing"] += missing
            ip = i["vals"].get("source_ip")
            if ip is not None:
                ips.setdefault(ip, [0, 0, 0]); ips[ip][0] += 1; ips[ip][1] += ipbad; ips[ip][2] += tokbad
        rep = i["report"]
        if rep is None:
            incomplete += 1
        else:
            durs.append(rep["dur"]); billed += rep["billed"]; used.append(rep["used"]); mem.append(rep["mem"])
            if rep["init"] is not None: inits.append(rep["init"])
    s = sorted(durs)
    nr = lambda p: s[max(1, math.ceil(p / 100 * len(s))) - 1] if s else None
    return {"events": nevents, "filtered": filtered, "unrecognized": unrec, "invalid_utf8": invalid,
            "invocations": len(order), "decisions": d, "incomplete": incomplete, "denials": den,
            "duration": {"count": len(s), "min": s[0] if s else None, "p50": nr(50), "max": s[-1] if s else None,
                         "avg": round(sum(s) / len(s), 4) if s else None},
            "billed_sum": billed, "mem": max(mem) if mem else None, "max_used": max(used) if used else None,
            "cold": len(inits), "init_max": max(inits) if inits else None,
            "init_avg": round(sum(inits) / len(inits), 4) if inits else None,
            "ips": sorted(([k] + v for k, v in ips.items()), key=lambda x: -x[1])}

ALL = [
    ["export:equiv.export.log"], ["export:equiv.export.gz"], ["export:equiv.multimember.export.gz"],
    ["export:equiv.crlf.export.log"], ["export:equiv.cr.export.log"], ["export:equiv.mixed-eol.export.log"],
    ["json:equiv.filter.json"], ["json:equiv.get.json"], ["tail:equiv.tail.log"],
    ["console:equiv.console.tsv"], ["bare:equiv.bare.log"], ["tail:equiv.tail-json.log"],
    ["insights-csv:equiv.insights.csv"], ["insights-md:equiv.insights.md"], ["awslogs:equiv.awslogs.json"],
    ["console-csv:equiv.console.csv"], ["console-csv:equiv.console-two-columns.csv"],
    ["report-md:report-fields.insights.md"], ["report-csv:report-fields.insights.csv"],
    ["kinesis:equiv.kinesis.json"], ["firehose-records:equiv.firehose-records.json"], ["firehose:equiv.firehose.gz"],
    ["export:equiv.export.log", "--since", "2025-07-11T07:00:00Z", "--until", "2025-07-11T08:00:00Z"],
    ["export:report-variants.export.log"], ["json:json-logformat.filter.json"], ["bare:json-logformat.bare.log"],
    ["export:messages.export.log"], ["pairs:seed-console-pairs.txt"],
    ["export:custom-wording.export.log"], ["--custom", "export:custom-wording.export.log"],
    ["tail:two-streams.tail.log"], ["export:big-event.export.log"], ["json:control-chars.filter.json"],
    ["bare:noise.bare.log"], ["bare:empty.log"],
    ["export:tree/one.export.log", "export:tree/nested/deeper/two.export.gz"],
    ["export:split-1.export.log", "export:split-2.export.log"], ["export:split-1.export.log"],
    ["export:messages.export.log", "json:json-logformat.filter.json"],
]


def main():
    if len(sys.argv) == 1:
        os.chdir(os.path.dirname(os.path.abspath(__file__)))
        for args in ALL:
            print("== " + " ".join(args))
            run(args)
    else:
        run(sys.argv[1:])


def run(args):
    custom = "--custom" in args
    since = until = None
    files = []
    it = iter(args)
    for a in it:
        if a == "--custom": continue
        if a == "--since": since = parse_ts(next(it)); continue
        if a == "--until": until = parse_ts(next(it)); continue
        files.append(a)
    allev, inval = [], 0
    for spec in files:
        fmt, path = spec.split(":", 1)
        ev, invalid = events(path, fmt)
        allev += ev; inval += invalid
    inv, order, filtered, unrec = analyze(allev, custom, since, until)
    print(json.dumps(summary(inv, order, filtered, unrec, inval, len(allev)), ensure_ascii=False))

if __name__ == "__main__":
    main()
