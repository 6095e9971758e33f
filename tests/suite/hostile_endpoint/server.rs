//! A tiny HTTP/1.1 server on 127.0.0.1 that answers the AWS JSON protocol calls of CloudWatch Logs
//! (`X-Amz-Target: Logs_20140328.Operation`) with what a test's script says: plain std TCP, one
//! request per connection, no moto needed.

use std::io::Write;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;

use crate::cloudwatch::authlogs;
use crate::proxy::{logs_operation, read_request, record};

/// One call as a script sees it.
pub(crate) struct Call<'a> {
    /// `FilterLogEvents`, `StartQuery` …
    pub operation: &'a str,
    /// The JSON body of the request.
    pub body: &'a str,
    /// How many calls of this operation came before it.
    pub n: usize,
}

/// What the server answers: a status line (`200 OK`), a JSON body, and any further headers.
pub(crate) struct Reply {
    pub status: &'static str,
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
}

/// A 200 answer with this JSON body.
pub(crate) fn ok(body: impl Into<String>) -> Reply {
    Reply {
        status: "200 OK",
        body: body.into(),
        headers: Vec::new(),
    }
}

impl Reply {
    /// This answer with the status line `status` (`307 Temporary Redirect`).
    pub fn status(self, status: &'static str) -> Reply {
        Reply { status, ..self }
    }

    /// This answer with one more header (sent as given: a test may send what a client must refuse).
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

type Script = dyn Fn(&Call<'_>) -> Reply + Send + Sync;

/// A running hostile endpoint: its URL and every operation it was asked, in order.
pub(crate) struct Endpoint {
    pub url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Endpoint {
    /// Starts a server that answers every call with `script`; it lives until the test process ends.
    pub fn start(script: impl Fn(&Call<'_>) -> Reply + Send + Sync + 'static) -> Endpoint {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let log = seen.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (script, log) = (script.clone(), log.clone());
                std::thread::spawn(move || {
                    let _ = serve(conn, &*script, &log);
                });
            }
        });
        Endpoint { url, seen }
    }

    /// How many calls of `operation` it answered.
    pub fn calls(&self, operation: &str) -> usize {
        self.seen
            .lock()
            .map_or(0, |s| s.iter().filter(|o| *o == operation).count())
    }

    /// `authlogs ARGS… --endpoint-url URL` with dummy credentials (nothing leaves loopback), cut
    /// after 60 s: a run that pages forever fails the test instead of hanging it.
    pub fn authlogs(&self, args: &[&str]) -> Command {
        let mut cmd = authlogs();
        cmd.args(args)
            .args(["--endpoint-url", &self.url])
            .timeout(Duration::from_secs(60));
        cmd
    }
}

fn serve(mut conn: TcpStream, script: &Script, seen: &Mutex<Vec<String>>) -> std::io::Result<()> {
    let request = read_request(&mut conn)?;
    let text = String::from_utf8_lossy(&request).into_owned();
    let operation = logs_operation(&text).unwrap_or_default();
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let n = record(seen, &operation);
    let reply = script(&Call {
        operation: &operation,
        body,
        n,
    });
    let extra: String = reply.headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    write!(
        conn,
        "HTTP/1.1 {}\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: hostile\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        reply.status,
        reply.body.len(),
        reply.body
    )?;
    conn.flush()?;
    conn.shutdown(Shutdown::Both)
}
