//! Which cells of a console table's row hold what, read from its header's names.

/// Which cells of a row hold what.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Columns {
    pub(crate) timestamp: Option<usize>,
    pub(crate) body: Body,
    pub(crate) stream: Option<usize>,
    pub(crate) count: usize,
}

/// What a row is made of: a log event's message, or the fields Logs Insights read from a REPORT line.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Body {
    Message(usize),
    Report(ReportColumns),
}

/// The cells of a table of REPORT fields (`fields @requestId, @duration, …`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReportColumns {
    pub(crate) request_id: usize,
    pub(crate) duration: usize,
    pub(crate) billed: Option<usize>,
    pub(crate) init: Option<usize>,
    pub(crate) memory_size: Option<usize>,
    pub(crate) max_memory: Option<usize>,
}

/// The column names of the console's "Download" of log events (`log-events-viewer-result.csv`).
const CONSOLE_NAMES: [&str; 3] = ["timestamp", "message", "logStreamName"];

impl Columns {
    /// The columns a header names: Logs Insights' `@message` (with `@timestamp`, `@logStream`), the
    /// console download's `timestamp,message[,logStreamName]` (every name one of those, so a CSV
    /// of other data with a `message` column is not taken), or the REPORT fields `@requestId` and
    /// `@duration` with the others it has. `None` when it names none of these.
    pub(crate) fn of(cells: &[String]) -> Option<Columns> {
        let find = |name: &str| cells.iter().position(|c| c.trim() == name);
        let count = cells.len();
        if let Some(message) = find("@message") {
            return Some(Columns {
                timestamp: find("@timestamp"),
                body: Body::Message(message),
                stream: find("@logStream"),
                count,
            });
        }
        if cells.iter().all(|c| CONSOLE_NAMES.contains(&c.trim())) {
            if let Some(message) = find("message") {
                return Some(Columns {
                    timestamp: find("timestamp"),
                    body: Body::Message(message),
                    stream: find("logStreamName"),
                    count,
                });
            }
        }
        let report = ReportColumns {
            request_id: find("@requestId")?,
            duration: find("@duration")?,
            billed: find("@billedDuration"),
            init: find("@initDuration"),
            memory_size: find("@memorySize"),
            max_memory: find("@maxMemoryUsed"),
        };
        Some(Columns {
            timestamp: find("@timestamp"),
            body: Body::Report(report),
            stream: find("@logStream"),
            count,
        })
    }

    /// Whether the names are the console download's own (`timestamp,message[,logStreamName]`).
    pub(crate) fn is_console_download(cells: &[String]) -> bool {
        cells.iter().any(|c| c.trim() == "message") && cells.iter().all(|c| CONSOLE_NAMES.contains(&c.trim()))
    }
}
