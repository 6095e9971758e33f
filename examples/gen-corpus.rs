//! Generates realistic authorizer traffic in CloudWatch S3-export format for benchmarks and tests.
//!
//! `cargo run --release --example gen-corpus -- --requests 1000000 --out corpus.log`
//! Deterministic for a given `--seed`: interleaved streams, ~30% denials of every kind, cold starts, timeouts.

use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn uuid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
}

fn iso(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    // civil_from_days (Howard Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60,
        ms.rem_euclid(1000)
    )
}

struct Args {
    requests: u64,
    streams: u64,
    seed: u64,
    out: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        requests: 10_000,
        streams: 40,
        seed: 7,
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--requests" => a.requests = val()?.parse().map_err(|e| format!("--requests: {e}"))?,
            "--streams" => a.streams = val()?.parse().map_err(|e| format!("--streams: {e}"))?,
            "--seed" => a.seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => a.out = Some(val()?),
            _ => {
                return Err(format!(
                    "unknown argument {flag}; use --requests N --streams K --seed S --out FILE"
                ))
            }
        }
    }
    if a.streams == 0 {
        return Err("--streams must be at least 1".into());
    }
    Ok(a)
}

const ALLOWED_IP: &str = "203.0.113.10";
const ALLOWED_TOKEN: &str = "Ab12Xy34";

/// The log lines of one request, with their offset in ms from the request's start.
fn request_lines(rng: &mut SplitMix, id: &str, cold: bool, buf: &mut Vec<(i64, String)>) {
    buf.clear();
    if cold {
        buf.push((0, "INIT_START Runtime Version: python:3.13.v60\tRuntime Version ARN: arn:aws:lambda:ap-northeast-1::runtime:6b9e6bdace9349e61d853adcfe031f7dbe39dd1762b0b2fcd6532dc5792399ca\n".into()));
    }
    buf.push((0, format!("START RequestId: {id} Version: $LATEST\n")));
    let roll = rng.below(1000);
    let (ip, token) = match roll {
        0..=119 => (format!("198.51.100.{}", rng.below(250) + 1), ALLOWED_TOKEN.to_string()),
        120..=189 => (ALLOWED_IP.to_string(), format!("bad{:x}", rng.below(1 << 20))),
        190..=219 => (ALLOWED_IP.to_string(), "None".to_string()),
        220..=299 => (
            format!("192.0.2.{}", rng.below(250) + 1),
            format!("guess{:x}", rng.below(1 << 24)),
        ),
        _ => (ALLOWED_IP.to_string(), ALLOWED_TOKEN.to_string()),
    };
    let info = |msg: String| format!("[INFO]\t{{TS}}\t{id}\t[INFO] {msg}\n");
    buf.push((1, info(format!("Source IP: {ip}"))));
    buf.push((1, info(format!("Token: {token}"))));
    buf.push((1, info(format!("Allowed IP: {ALLOWED_IP}"))));
    buf.push((1, info(format!("Allowed Token: {ALLOWED_TOKEN}"))));
    if ip != ALLOWED_IP {
        buf.push((
            1,
            format!("[ERROR]\t{{TS}}\t{id}\t[ERROR] IPアドレスが不一致: 受信IP={ip}, 許可IP={ALLOWED_IP}\n"),
        ));
    }
    if token != ALLOWED_TOKEN {
        buf.push((
            1,
            format!(
                "[ERROR]\t{{TS}}\t{id}\t[ERROR] トークンが不一致: 受信トークン={token}, 許可トークン={ALLOWED_TOKEN}\n"
            ),
        ));
    }
    let timeout = rng.below(200) == 0;
    let dur_us = if timeout {
        3_000_000
    } else {
        900 + rng.below(4000) + if cold { 2000 } else { 0 }
    };
    let dur_ms = (dur_us / 1000) as i64;
    let mut report = format!(
        "REPORT RequestId: {id}\tDuration: {}.{:02} ms\tBilled Duration: {} ms\tMemory Size: 512 MB\tMax Memory Used: {} MB\t",
        dur_us / 1000,
        dur_us % 1000 / 10,
        dur_us.div_ceil(1000),
        34 + rng.below(8)
    );
    if cold {
        let _ = write!(
            report,
            "Init Duration: {}.{:02} ms\t",
            110 + rng.below(60),
            rng.below(100)
        );
    }
    if timeout {
        report.push_str("Status: timeout");
    }
    report.push('\n');
    buf.push((dur_ms + 1, format!("END RequestId: {id}\n")));
    buf.push((dur_ms + 1, report));
    if timeout && rng.below(2) == 0 {
        buf.push((dur_ms + 1, format!("{{TS}} {id} Task timed out after 3.00 seconds\n")));
    }
}

fn main() -> io::Result<()> {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen-corpus: {e}");
            std::process::exit(2);
        }
    };
    let out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::fs::File::create(p)?),
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let mut rng = SplitMix(args.seed);
    let k = args.streams as usize;
    // 2025-07-11T00:00:00Z
    let mut now: i64 = 1_752_192_000_000;
    let mut lines: Vec<Vec<(i64, String)>> = vec![Vec::new(); k];
    let mut warm = vec![false; k];
    let mut done = 0u64;
    while done < args.requests {
        let batch = (args.requests - done).min(k as u64) as usize;
        for s in 0..batch {
            let id = rng.uuid();
            let cold = !warm[s] || rng.below(100) == 0;
            warm[s] = true;
            request_lines(&mut rng, &id, cold, &mut lines[s]);
        }
        // Interleave the streams line by line, as CloudWatch delivers concurrent environments.
        let longest = lines[..batch].iter().map(Vec::len).max().unwrap_or(0);
        for j in 0..longest {
            for (s, request) in lines[..batch].iter().enumerate() {
                if let Some((off, msg)) = request.get(j) {
                    let t = now + s as i64 + off;
                    let stamp = iso(t);
                    let msg = msg.replace("{TS}", &stamp);
                    writeln!(out, "{stamp} {msg}")?;
                }
            }
        }
        done += batch as u64;
        now += 250 + rng.below(500) as i64;
    }
    out.flush()
}
