//! How a report's work is laid out on threads, resolved once from `--threads` and the inputs.

/// Four readers and the analysis thread: past about four readers the one analysis thread is the
/// bottleneck, and more only cost memory.
const MAX_DEFAULT_THREADS: usize = 5;

/// How many threads a report uses (besides a gzip input's inflate thread).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threads {
    /// `--threads N`.
    Fixed(usize),
    /// The default, from the CPUs there are.
    Auto {
        /// CPUs available to this process.
        cpus: usize,
    },
}

/// How the work of a report is laid out on threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Read, parse, group and analyze on the main thread.
    OneThread,
    /// This many threads read and parse while the main thread groups and analyzes.
    Readers(usize),
}

impl Threads {
    /// The default: one thread per CPU available.
    pub fn auto() -> Threads {
        Threads::Auto {
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }

    /// The layout, given whether the first input file is gzip inflated on a thread of its own (64
    /// KiB or more). By default one thread per CPU, at most 5 (4 readers), so no thread waits for
    /// a core: on 2 CPUs, one reader beside the analysis thread, and such gzip all on the main
    /// thread, as its inflate thread takes the second core (readers there each bring one more).
    /// The measurements behind these choices are in docs/performance.md.
    pub fn layout(self, inflate_thread: impl FnOnce() -> bool) -> Layout {
        let threads = match self {
            Threads::Fixed(n) => n.max(1),
            Threads::Auto { cpus } if cpus <= 2 && inflate_thread() => 1,
            Threads::Auto { cpus } => cpus.clamp(1, MAX_DEFAULT_THREADS),
        };
        match threads {
            1 => Layout::OneThread,
            n => Layout::Readers(n - 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_layout_has_a_core_per_thread_and_gzip_on_two_cpus_runs_on_one() {
        assert_eq!(Threads::Fixed(3).layout(|| true), Layout::Readers(2));
        assert_eq!(Threads::Fixed(2).layout(|| true), Layout::Readers(1));
        assert_eq!(Threads::Fixed(1).layout(|| false), Layout::OneThread);
        assert_eq!(Threads::Auto { cpus: 2 }.layout(|| false), Layout::Readers(1));
        assert_eq!(Threads::Auto { cpus: 2 }.layout(|| true), Layout::OneThread);
        assert_eq!(Threads::Auto { cpus: 1 }.layout(|| false), Layout::OneThread);
        assert_eq!(Threads::Auto { cpus: 3 }.layout(|| true), Layout::Readers(2));
        assert_eq!(Threads::Auto { cpus: 16 }.layout(|| true), Layout::Readers(4));
    }
}
