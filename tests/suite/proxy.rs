//! An HTTP proxy between authlogs and moto (plain std TCP, one request per connection) that can
//! spoil, answer or rewrite chosen calls: throttling, 5xx, dropped connections, query statuses
//! moto never gives. A rule sees each call's operation, its request and its number, and says what
//! to do with it.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::cloudwatch::endpoint;

/// What the proxy does with one call.
pub(crate) enum Action {
    /// Pass it to moto and its answer back.
    Forward,
    /// Answer this error instead (`status` like `400 Bad Request`).
    Error {
        status: &'static str,
        code: &'static str,
        message: &'static str,
    },
    /// Close the connection without a byte of response.
    Drop,
    /// Answer 200 with this JSON body.
    Answer(String),
    /// Answer this status (`400 Bad Request`) with this JSON body, made at run time.
    Reply { status: &'static str, body: String },
    /// Answer as a REST-JSON service (API Gateway, Lambda) refuses: this status, the error code
    /// in the `x-amzn-ErrorType` header and `{"message": …}` as the body.
    RestError {
        status: &'static str,
        error_type: &'static str,
        message: String,
    },
    /// Pass it to moto, and change the JSON body of its answer.
    Rewrite(Box<dyn FnOnce(&str) -> String + Send>),
    /// Pass it to moto, show its answer's JSON body to the function, and close the connection
    /// without a byte of it: a call that took effect and whose answer was lost.
    Lose(Box<dyn FnOnce(&str) + Send>),
}

/// One call as a rule sees it.
pub(crate) struct Call<'a> {
    /// `FilterLogEvents`, `StartQuery` … (the `X-Amz-Target`); for the REST-JSON services (API
    /// Gateway, Lambda), which send none, the method and path: `GET /v2/apis/ID/stages`.
    pub operation: &'a str,
    /// The whole request (head and JSON body).
    pub request: &'a str,
    /// How many calls of this operation came before it.
    pub n: u64,
}

type Rule = dyn Fn(&Call<'_>) -> Action + Send + Sync;

/// A running proxy: its URL, how many calls it spoiled or answered itself, and every operation
/// it saw, in order.
pub(crate) struct Proxy {
    pub url: String,
    pub faults_sent: Arc<AtomicU64>,
    pub seen: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    /// How many calls of `operation` it saw.
    pub fn calls(&self, operation: &str) -> usize {
        self.seen
            .lock()
            .map_or(0, |s| s.iter().filter(|o| *o == operation).count())
    }
}

pub(crate) fn start_proxy(rule: impl Fn(&Call<'_>) -> Action + Send + Sync + 'static) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let upstream = endpoint()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let faults_sent = Arc::new(AtomicU64::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let rule: Arc<Rule> = Arc::new(rule);
    let (sent, log) = (faults_sent.clone(), seen.clone());
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let (upstream, rule, sent, log) = (upstream.clone(), rule.clone(), sent.clone(), log.clone());
            std::thread::spawn(move || {
                let _ = serve(conn, &upstream, &*rule, &sent, &log);
            });
        }
    });
    Proxy { url, faults_sent, seen }
}

/// One HTTP/1.1 request as sent, head and body (by its `Content-Length`).
pub(crate) fn read_request(conn: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            return Ok(buf);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return Ok(buf);
            }
        }
    }
}

/// `GET /v2/apis/ID/stages` out of the request line `GET /v2/apis/ID/stages?x=1 HTTP/1.1`.
/// The CloudWatch Logs operation a request names in its `X-Amz-Target` (`FilterLogEvents` …), if any.
pub(crate) fn logs_operation(request: &str) -> Option<String> {
    request
        .split("Logs_20140328.")
        .nth(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_alphanumeric).collect())
}

/// Adds `operation` to the calls `seen`; how many calls of it came before.
pub(crate) fn record(seen: &Mutex<Vec<String>>, operation: &str) -> usize {
    match seen.lock() {
        Ok(mut s) => {
            let n = s.iter().filter(|o| *o == operation).count();
            s.push(operation.to_string());
            n
        }
        Err(_) => 0,
    }
}

fn method_and_path(request: &str) -> String {
    let mut words = request.lines().next().unwrap_or_default().split(' ');
    let method = words.next().unwrap_or_default();
    let path = words.next().unwrap_or_default().split('?').next().unwrap_or_default();
    format!("{method} {path}")
}

fn respond(conn: &mut TcpStream, status: &str, body: &str) -> std::io::Result<()> {
    write!(
        conn,
        "HTTP/1.1 {status}\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: test\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    conn.flush()
}

fn serve(
    mut conn: TcpStream,
    upstream: &str,
    rule: &Rule,
    sent: &AtomicU64,
    seen: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    let request = read_request(&mut conn)?;
    let text = String::from_utf8_lossy(&request).into_owned();
    let operation = logs_operation(&text).unwrap_or_else(|| method_and_path(&text));
    let n = record(seen, &operation) as u64;
    let action = rule(&Call {
        operation: &operation,
        request: &text,
        n,
    });
    let rewrite = match action {
        Action::Forward => None,
        Action::Error { status, code, message } => {
            sent.fetch_add(1, Ordering::Relaxed);
            return respond(
                &mut conn,
                status,
                &format!(r#"{{"__type":"{code}","message":"{message}"}}"#),
            );
        }
        Action::Drop => {
            sent.fetch_add(1, Ordering::Relaxed);
            return conn.shutdown(Shutdown::Both);
        }
        Action::Answer(body) => {
            sent.fetch_add(1, Ordering::Relaxed);
            return respond(&mut conn, "200 OK", &body);
        }
        Action::Reply { status, body } => {
            sent.fetch_add(1, Ordering::Relaxed);
            return respond(&mut conn, status, &body);
        }
        Action::RestError {
            status,
            error_type,
            message,
        } => {
            sent.fetch_add(1, Ordering::Relaxed);
            let body = serde_json::json!({ "message": message }).to_string();
            write!(
                conn,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nx-amzn-ErrorType: {error_type}\r\nx-amzn-RequestId: test\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )?;
            return conn.flush();
        }
        Action::Rewrite(f) => Some(Ok(f)),
        Action::Lose(f) => Some(Err(f)),
    };
    let mut up = TcpStream::connect(upstream)?;
    up.write_all(&request)?;
    up.shutdown(Shutdown::Write)?;
    let mut response = Vec::new();
    up.read_to_end(&mut response)?;
    match rewrite {
        None => conn.write_all(&response)?,
        Some(f) => {
            sent.fetch_add(1, Ordering::Relaxed);
            let text = String::from_utf8_lossy(&response);
            let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
            return match f {
                Ok(rewrite) => respond(&mut conn, "200 OK", &rewrite(body)),
                Err(lose) => {
                    lose(body);
                    conn.shutdown(Shutdown::Both)
                }
            };
        }
    }
    conn.flush()?;
    conn.shutdown(Shutdown::Both)
}
