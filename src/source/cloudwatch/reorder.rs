//! Puts the events of concurrently fetched slices back in window order, holding each slice's first
//! minute until the slice before it is delivered, so an invocation across a boundary is joined whole.

use super::slice::{Msg, OwnedEvent, Slice};

/// Lines of an invocation that straddles a slice boundary arrive from two concurrent slices; the
/// grouper needs the earlier slice's part first. So events in the first `HOLD_MS` of a slice wait
/// until the slice before it is done. Memory: the events of that much time, whatever the window.
pub const HOLD_MS: i64 = 60_000;

/// One fetch task as `Reorder` tracks it.
#[derive(Debug)]
struct TaskState {
    slice: Slice,
    done: bool,
    /// Its head may go to the pipeline: the task before it is done and released (or there is none).
    released: bool,
    held: Vec<OwnedEvent>,
}

/// Puts the events of concurrently fetched slices in an order the grouper can join: everything as
/// it comes, except the head of each slice, held until the slice before it has been delivered.
#[derive(Debug)]
pub struct Reorder {
    tasks: Vec<TaskState>,
    /// Tasks per group: task `k` follows task `k - 1` unless `k` is a multiple of it.
    per_group: usize,
}

impl Reorder {
    pub fn new(groups: usize, slices: &[Slice]) -> Self {
        let tasks = (0..groups)
            .flat_map(|_| {
                slices.iter().enumerate().map(|(i, s)| TaskState {
                    slice: *s,
                    done: false,
                    released: i == 0,
                    held: Vec::new(),
                })
            })
            .collect();
        Reorder {
            tasks,
            per_group: slices.len().max(1),
        }
    }

    /// Takes one message; calls `deliver` for every event that may go to the pipeline now.
    pub fn push(&mut self, msg: Msg, deliver: &mut dyn FnMut(&OwnedEvent)) {
        match msg {
            Msg::Page(task, events) => {
                let Some(t) = self.tasks.get_mut(task) else { return };
                let head_end = t.slice.start_ms.saturating_add(HOLD_MS);
                for e in events {
                    if !t.released && e.timestamp_ms.is_none_or(|ts| ts < head_end) {
                        t.held.push(e);
                    } else {
                        deliver(&e);
                    }
                }
            }
            Msg::Done(task) => {
                if let Some(t) = self.tasks.get_mut(task) {
                    t.done = true;
                }
                let mut k = task;
                while self.tasks.get(k).is_some_and(|t| t.done && t.released) {
                    let next = k + 1;
                    if next >= self.tasks.len() || next.is_multiple_of(self.per_group) {
                        break;
                    }
                    let t = &mut self.tasks[next];
                    t.released = true;
                    for e in std::mem::take(&mut t.held) {
                        deliver(&e);
                    }
                    k = next;
                }
            }
        }
    }

    /// Whatever is still held (only after a failure): delivered so nothing is silently lost.
    pub fn finish(&mut self, deliver: &mut dyn FnMut(&OwnedEvent)) {
        for t in &mut self.tasks {
            for e in std::mem::take(&mut t.held) {
                deliver(&e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::cloudwatch::slice::slices;

    fn ev(ts: i64) -> OwnedEvent {
        OwnedEvent {
            timestamp_ms: Some(ts),
            stream: String::new(),
            message: ts.to_string(),
        }
    }

    #[test]
    fn a_slice_head_waits_for_the_slice_before_it() {
        let s = slices(0, 4 * HOLD_MS * 2, 4);
        let mut r = Reorder::new(1, &s);
        let mut out = Vec::new();
        let mut d = |e: &OwnedEvent| out.push(e.timestamp_ms.unwrap_or(-1));
        let b1 = s[1].start_ms;
        // Slice 1's head is held, its later events pass; slice 0 passes at once.
        r.push(Msg::Page(1, vec![ev(b1), ev(b1 + HOLD_MS + 5)]), &mut d);
        r.push(Msg::Page(2, vec![ev(s[2].start_ms)]), &mut d);
        r.push(Msg::Page(0, vec![ev(b1 - 1)]), &mut d);
        // Slice 2 is done before slice 1: nothing more until slice 0 is done, then 1's head; then
        // slice 1 done releases 2's head.
        r.push(Msg::Done(2), &mut d);
        r.push(Msg::Done(0), &mut d);
        r.push(Msg::Done(1), &mut d);
        assert_eq!(out, vec![b1 + HOLD_MS + 5, b1 - 1, b1, s[2].start_ms]);
    }

    #[test]
    fn groups_do_not_wait_for_each_other() {
        let s = slices(0, 1000, 2);
        let mut r = Reorder::new(2, &s);
        let mut out = Vec::new();
        r.push(Msg::Page(2, vec![ev(1)]), &mut |e| {
            out.push(e.timestamp_ms.unwrap_or(-1))
        });
        r.push(Msg::Page(3, vec![ev(500)]), &mut |e| {
            out.push(e.timestamp_ms.unwrap_or(-1))
        });
        r.push(Msg::Done(1), &mut |e| out.push(e.timestamp_ms.unwrap_or(-1)));
        assert_eq!(out, vec![1]);
        r.finish(&mut |e| out.push(e.timestamp_ms.unwrap_or(-1)));
        assert_eq!(out, vec![1, 500]);
    }
}
