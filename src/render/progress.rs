//! The progress of a CloudWatch fetch on stderr: a line redrawn in place on a terminal, a plain line
//! every 10 s otherwise.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::source::cloudwatch::FetchProgress;

/// How often a fetch whose stderr is not a terminal (a log, a CI job) writes a progress line: a
/// fetch that never ends must not be silent, and a short one writes nothing.
pub const PLAIN_EVERY: Duration = Duration::from_secs(10);

/// Draws `events, pages, events/s, % of window` over itself on `out` (a terminal), or as a
/// plain line every [`PLAIN_EVERY`] when `out` is not a terminal.
pub struct ProgressLine<W: Write> {
    out: W,
    start: Instant,
    /// `None` on a terminal; otherwise when the last plain line was written.
    plain: Option<Instant>,
}

impl<W: Write> ProgressLine<W> {
    /// A line that counts its rate from now, drawn in place when `terminal`.
    pub fn new(out: W, terminal: bool) -> Self {
        let start = Instant::now();
        ProgressLine {
            out,
            start,
            plain: (!terminal).then_some(start),
        }
    }

    /// Redraws the line, or clears it when the fetch is done. Write errors are ignored: the
    /// progress line is a courtesy and must never fail the run.
    pub fn draw(&mut self, p: &FetchProgress) {
        if let Some(last) = self.plain {
            self.draw_plain(p, last);
            return;
        }
        let _ = if p.done {
            write!(self.out, "\r\x1b[2K")
        } else {
            let rate = p.events as f64 / self.start.elapsed().as_secs_f64().max(0.001);
            write!(
                self.out,
                "\r\x1b[2K{} events, {} pages, {rate:.0} events/s, {:.0}% of window",
                p.events,
                p.pages,
                100.0 * p.fraction
            )
        };
        let _ = self.out.flush();
    }

    /// A whole line, no escapes, at most every [`PLAIN_EVERY`]; nothing at the end.
    fn draw_plain(&mut self, p: &FetchProgress, last: Instant) {
        if p.done || last.elapsed() < PLAIN_EVERY {
            return;
        }
        self.plain = Some(Instant::now());
        let _ = writeln!(
            self.out,
            "authlogs: fetching: {} events, {} pages in {} s, {:.0}% of window",
            p.events,
            p.pages,
            self.start.elapsed().as_secs(),
            100.0 * p.fraction
        );
        let _ = self.out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_over_itself_and_clears_at_the_end() {
        let mut line = ProgressLine::new(Vec::new(), true);
        let p = FetchProgress {
            events: 42,
            pages: 3,
            fraction: 0.5,
            done: false,
        };
        line.draw(&p);
        line.draw(&FetchProgress { done: true, ..p });
        let text = String::from_utf8(line.out).unwrap_or_default();
        assert!(text.starts_with("\r\x1b[2K42 events, 3 pages, "), "{text:?}");
        assert!(text.contains("events/s, 50% of window"), "{text:?}");
        assert!(text.ends_with("\r\x1b[2K"), "{text:?}");
    }

    #[test]
    fn off_a_terminal_a_plain_line_every_ten_seconds() {
        let p = FetchProgress {
            events: 42,
            pages: 3,
            fraction: 0.5,
            done: false,
        };
        let mut line = ProgressLine::new(Vec::new(), false);
        line.draw(&p);
        assert!(line.out.is_empty(), "nothing before 10 s");
        let ago = Instant::now().checked_sub(PLAIN_EVERY);
        line.plain = ago;
        line.start = ago.unwrap_or(line.start);
        line.draw(&p);
        line.draw(&p);
        line.draw(&FetchProgress { done: true, ..p });
        let text = String::from_utf8(line.out).unwrap_or_default();
        assert_eq!(text, "authlogs: fetching: 42 events, 3 pages in 10 s, 50% of window\n");
    }
}
