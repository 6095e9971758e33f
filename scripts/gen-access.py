#!/usr/bin/env python3
"""A large API Gateway access log (the format docs/access-logs.md sets up) for scripts/bench's join rows.

Usage: scripts/gen-access.py REQUESTS OUT. Deterministic: 100 requests/s from 8 IPs, the statuses an API
behind the seed authorizer answers (200, 403, 401, 500, 404), one record per line, about 390 bytes each.
"""
import sys

n, out = int(sys.argv[1]), sys.argv[2]
ips = ["203.0.113.10", "198.51.100.23", "192.0.2.44", "198.51.100.99", "203.0.113.77", "192.0.2.5",
       "198.51.100.7", "203.0.113.200"]
statuses = ["200"] * 12 + ["403"] * 4 + ["401", "500", "404", "200"]
start = 1752213934000
months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
with open(out, "w", buffering=1 << 20) as f:
    x = 7
    for i in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        ms = start + i * 10
        ip = ips[(x >> 33) % 8]
        status = statuses[(x >> 40) % len(statuses)]
        err = "-"
        if status == "403":
            err = "Forbidden"
        elif status == "500":
            err = "The authorizer's configuration is invalid."
        s = ms // 1000
        # requestTime in CLF (UTC): days since the epoch, without the datetime module's cost per line.
        days, rem = divmod(s, 86400)
        hh, rem = divmod(rem, 3600)
        mm, ss = divmod(rem, 60)
        z = days + 719468
        era = z // 146097
        doe = z - era * 146097
        yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
        doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
        mp = (5 * doy + 2) // 153
        d = doy - (153 * mp + 2) // 5 + 1
        m = mp + 3 if mp < 10 else mp - 9
        y = yoe + era * 400 + (1 if m <= 2 else 0)
        f.write(
            '{"requestId":"R%015x=","ip":"%s","requestTime":"%02d/%s/%04d:%02d:%02d:%02d +0000",'
            '"requestTimeEpoch":"%d","httpMethod":"GET","routeKey":"GET /pets","status":"%s",'
            '"protocol":"HTTP/1.1","responseLength":"%d","responseLatency":"%d","authorizerError":"%s",'
            '"errorMessage":"-","errorResponseType":"-","integrationErrorMessage":"-","authorizerIp":"%s"}\n'
            % (i, ip, d, months[m - 1], y, hh, mm, ss, ms, status, 20 + (x >> 50) % 200, 3 + (x >> 56) % 40,
               err, ips[0] if status != "401" else "-"))
