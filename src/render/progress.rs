//! The progress line of a CloudWatch fetch on a terminal's stderr: redrawn in place, cleared at the end.

use std::io::Write;
use std::time::Instant;

use crate::source::cloudwatch::FetchProgress;

/// Draws `events, pages, events/s, % of window` over itself on `out` (a terminal).
pub struct ProgressLine<W: Write> {
    out: W,
    start: Instant,
}

impl<W: Write> ProgressLine<W> {
    /// A line that counts its rate from now.
    pub fn new(out: W) -> Self {
        ProgressLine {
            out,
            start: Instant::now(),
        }
    }

    /// Redraws the line, or clears it when the fetch is done. Write errors are ignored: the
    /// progress line is a courtesy and must never fail the run.
    pub fn draw(&mut self, p: &FetchProgress) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_over_itself_and_clears_at_the_end() {
        let mut line = ProgressLine::new(Vec::new());
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
}
