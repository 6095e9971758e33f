//! Tables downloaded from the CloudWatch console: Logs Insights results (CSV, or Markdown after its
//! header block), and the log events' own "Download" (`timestamp,message[,logStreamName]`). A header
//! names the columns (see `columns.rs`); every row after it is one event, or one REPORT when the
//! columns are REPORT fields. A CSV field or a Markdown cell may hold newlines, so a row is
//! assembled from as many lines as it spans.

mod columns;
mod report_row;

use super::char_floor;
use crate::source::{EventSink, InputFormat, LogEvent};
use crate::timeutil::{impossible_date, parse_leading_timestamp};
use columns::{Body, Columns};

/// The two table shapes of a console export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    /// RFC 4180: `,` separated, `"` quoted with `""` escaping.
    Csv,
    /// `| @timestamp | @message |`, a `|---|---|` separator, cells with `\|` for `|`.
    Markdown,
}

impl Table {
    /// The table shape of an input format; `None` for the other containers.
    pub(crate) fn of(format: InputFormat) -> Option<Table> {
        match format {
            InputFormat::InsightsCsv | InputFormat::ConsoleCsv => Some(Table::Csv),
            InputFormat::InsightsMd => Some(Table::Markdown),
            _ => None,
        }
    }
}

/// What the reader learned from the header line.
#[derive(Debug)]
enum Header {
    /// Not read yet.
    Pending,
    /// Inside the block a Markdown export begins with (`**CloudWatch Logs Insights**`, the region,
    /// the log groups, the times, the query), which ends at a `---` line.
    Block,
    Found(Columns),
    /// The header names no column of a message or of REPORT fields: nothing in the input is read.
    Missing,
}

/// Damage worth an input error: the first damaged line and how many.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct TableDamage {
    /// The header line (1-based) when it names no column to read (see `Columns::of`).
    pub(crate) no_message_column: Option<u64>,
    /// Rows with fewer cells than the `@message` column needs, and the first one's line.
    pub(crate) short_rows: u64,
    pub(crate) first_short_row: u64,
    /// CSV rows whose quoted field was never closed (it ran to the end of the input), and the
    /// line the first one began on.
    pub(crate) unclosed_quotes: u64,
    pub(crate) first_unclosed_quote: u64,
    /// Such a row was longer than the cap: its lines after the cap could not be read again.
    pub(crate) unclosed_cut: bool,
    /// Lines after a CSV line cut inside a quoted field that no row start followed: whether they
    /// were the rest of its field or rows of their own cannot be told, and they were skipped with
    /// it; and the line the cut one was.
    pub(crate) lines_after_cut: u64,
    pub(crate) cut_line: u64,
    /// Rows whose `@timestamp` has a date that does not exist (read without a time), and the
    /// first one's line.
    pub(crate) invalid_times: u64,
    pub(crate) first_invalid_time: u64,
}

/// Reads the lines of a console export as events.
pub(crate) struct InsightsTable<'d> {
    table: Table,
    default_stream: &'d str,
    max_row: usize,
    header: Header,
    /// The row being assembled, its first line's number, and whether it has a line yet.
    row: String,
    row_line: u64,
    open: bool,
    /// CSV: inside a quoted field at the end of the row so far. Markdown: unescaped `|`s so far.
    in_quotes: bool,
    pipes: usize,
    /// The Markdown separator line after the header is still to come.
    separator_next: bool,
    /// The open row was cut at the cap.
    cut: bool,
    /// CSV: a line of the open row was cut, so the quotes of its cut part are unknown, and whether the
    /// row still is inside a quoted field too; the line it was, and the lines after it in the row.
    quotes_unknown: bool,
    cut_line: u64,
    lines_after_cut: u64,
    line_no: u64,
    cells: Vec<String>,
    /// The REPORT line a row of REPORT fields is written back as.
    report: String,
    /// Rows cut so far.
    pub(crate) oversized: u64,
    pub(crate) damage: TableDamage,
    /// The sink asked to stop.
    pub(crate) stopped: bool,
}

impl<'d> InsightsTable<'d> {
    pub(crate) fn new(table: Table, default_stream: &'d str, max_row: usize) -> Self {
        InsightsTable {
            table,
            default_stream,
            max_row,
            header: Header::Pending,
            row: String::new(),
            row_line: 0,
            open: false,
            in_quotes: false,
            pipes: 0,
            separator_next: false,
            cut: false,
            quotes_unknown: false,
            cut_line: 0,
            lines_after_cut: 0,
            line_no: 0,
            cells: Vec::new(),
            report: String::new(),
            oversized: 0,
            damage: TableDamage::default(),
            stopped: false,
        }
    }

    /// One line of the input (without its line end); `cut`: it is the head of a line longer than
    /// the cap. A Markdown row ends with such a line, whatever its cut part held (its last cells);
    /// in CSV the cut part may hold the quote that closes the field, so the row ends at the next
    /// line that begins a row (see `begins_row`), counted once: as cut.
    pub(crate) fn line(&mut self, line: &str, cut: bool, sink: &mut dyn EventSink) {
        self.line_no += 1;
        match self.header {
            Header::Missing => {}
            Header::Block => {
                if line.trim() == "---" {
                    self.header = Header::Pending;
                }
            }
            Header::Pending => {
                let line = line.trim_start_matches('\u{feff}');
                if self.table == Table::Markdown && is_block_start(line) {
                    self.header = Header::Block;
                } else if !line.trim().is_empty() {
                    self.read_header(line);
                }
            }
            Header::Found(columns) => {
                if self.open && self.in_quotes && self.begins_row(line, columns) {
                    // The quote the open row left open was never closed: that row ends here, as
                    // damage, rather than swallowing this row and shifting every quote after it.
                    // After a cut line the closing quote was most likely in its cut part: the row
                    // counts once, as cut.
                    if !self.quotes_unknown {
                        self.note_unclosed();
                    }
                    self.emit(columns, sink);
                    if self.stopped {
                        return;
                    }
                }
                if !self.open {
                    if line.trim().is_empty() {
                        return;
                    }
                    if self.separator_next {
                        self.separator_next = false;
                        if is_separator(line) {
                            return;
                        }
                    }
                    if self.table == Table::Markdown && !line.trim_start().starts_with('|') {
                        // Text around the table (a title, a note): not a row.
                        return;
                    }
                    self.open = true;
                    self.row_line = self.line_no;
                } else {
                    self.lines_after_cut += u64::from(self.quotes_unknown && !line.trim().is_empty());
                    self.push_str("\n");
                }
                self.push_str(line);
                if cut {
                    // The line was counted as cut already: the row is not counted again when
                    // more lines make it longer still.
                    self.cut = true;
                    if self.table == Table::Csv && !self.quotes_unknown {
                        self.quotes_unknown = true;
                        self.cut_line = self.line_no;
                    }
                }
                if self.row_complete(line, columns) || cut && self.table == Table::Markdown {
                    self.emit(columns, sink);
                }
            }
        }
    }

    /// The end of the input: a Markdown row still open (a cell without its `|`) is read as it is; a
    /// CSV row open inside quotes swallowed every line after its quote, so those are read again.
    pub(crate) fn finish(&mut self, sink: &mut dyn EventSink) {
        if let Header::Found(columns) = self.header {
            while self.open && !self.stopped {
                if self.quotes_unknown && self.in_quotes {
                    // No row began after the cut line: the lines after it, if any, were skipped
                    // with it, rows or not.
                    if self.lines_after_cut > 0 {
                        if self.damage.lines_after_cut == 0 {
                            self.damage.cut_line = self.cut_line;
                        }
                        self.damage.lines_after_cut += self.lines_after_cut;
                    }
                    self.emit(columns, sink);
                } else if self.table == Table::Csv && self.in_quotes {
                    self.reread_unclosed(columns, sink);
                } else {
                    self.emit(columns, sink);
                }
            }
        }
    }

    /// A CSV row whose quote is never closed: counted as damage, its first line read as a row of
    /// its own and the lines after it read again as rows (each pass reads at least one line fewer).
    #[cold]
    fn reread_unclosed(&mut self, columns: Columns, sink: &mut dyn EventSink) {
        self.note_unclosed();
        let row = std::mem::take(&mut self.row);
        let (first, rest) = row.split_once('\n').unwrap_or((&row, ""));
        let after = self.row_line;
        self.row.push_str(first);
        self.emit(columns, sink);
        self.line_no = after;
        for line in rest.split('\n') {
            if self.stopped {
                return;
            }
            self.line(line, false, sink);
        }
    }

    /// Counts the open row as one whose quote is never closed.
    #[cold]
    fn note_unclosed(&mut self) {
        if self.damage.unclosed_quotes == 0 {
            self.damage.first_unclosed_quote = self.row_line;
        }
        self.damage.unclosed_quotes += 1;
        self.damage.unclosed_cut |= self.cut;
    }

    /// Whether `line`, met inside a quoted field, is rather the start of the next CSV row: its first
    /// cell is a whole timestamp, in a table whose first column is `@timestamp` (the console's
    /// shape). A message line begins so only by chance (a log line's stamp is followed by a space).
    /// After a cut line, whose cut part most likely closed the quote, a line that is a whole row
    /// (the header's cells, a timestamp where `@timestamp` is) begins one too, whatever the order.
    fn begins_row(&mut self, line: &str, columns: Columns) -> bool {
        if self.table != Table::Csv {
            return false;
        }
        if columns.timestamp == Some(0)
            && leading_row_time(line).is_some_and(|len| line.as_bytes().get(len) == Some(&b','))
        {
            return true;
        }
        if !self.quotes_unknown || memchr::memchr_iter(b'"', line.as_bytes()).count() % 2 == 1 {
            return false;
        }
        csv_cells(line, &mut self.cells);
        self.cells.len() == columns.count
            && columns
                .timestamp
                .is_none_or(|i| self.cells.get(i).is_some_and(|t| row_time(t.trim()).is_some()))
    }

    fn read_header(&mut self, line: &str) {
        match self.table {
            Table::Csv => csv_cells(line, &mut self.cells),
            Table::Markdown => markdown_cells(line, &mut self.cells),
        }
        match Columns::of(&self.cells) {
            Some(columns) => {
                self.header = Header::Found(columns);
                self.separator_next = self.table == Table::Markdown;
            }
            None => {
                self.header = Header::Missing;
                self.damage.no_message_column = Some(self.line_no);
            }
        }
    }

    /// Appends to the open row, up to the cap: the rest is skipped and the row counted once as cut.
    fn push_str(&mut self, text: &str) {
        if self.cut {
            return;
        }
        if self.row.len() + text.len() > self.max_row {
            let room = self.max_row.saturating_sub(self.row.len());
            if let Some(head) = text.get(..char_floor(text.as_bytes(), room)) {
                self.row.push_str(head);
            }
            self.cut = true;
            self.oversized += 1;
            return;
        }
        self.row.push_str(text);
    }

    /// Whether the row ends with `line`, its latest line.
    fn row_complete(&mut self, line: &str, columns: Columns) -> bool {
        match self.table {
            Table::Csv => {
                // Each `"` opens or closes a quoted field (`""` closes and reopens it).
                let quotes = memchr::memchr_iter(b'"', line.as_bytes()).count();
                self.in_quotes ^= quotes % 2 == 1;
                !self.in_quotes
            }
            Table::Markdown => {
                self.pipes += unescaped_pipes(line);
                self.pipes > columns.count && ends_with_unescaped_pipe(line)
            }
        }
    }

    fn emit(&mut self, columns: Columns, sink: &mut dyn EventSink) {
        let row = std::mem::take(&mut self.row);
        match self.table {
            Table::Csv => csv_cells(&row, &mut self.cells),
            Table::Markdown => markdown_cells(&row, &mut self.cells),
        };
        self.row = row;
        self.row.clear();
        self.open = false;
        self.in_quotes = false;
        self.pipes = 0;
        self.cut = false;
        self.quotes_unknown = false;
        self.lines_after_cut = 0;
        let message = match columns.body {
            Body::Message(i) => self.cells.get(i).map(String::as_str),
            Body::Report(report) => {
                report_row::write_report(&self.cells, &report, &mut self.report).then_some(self.report.as_str())
            }
        };
        let Some(message) = message else {
            if self.damage.short_rows == 0 {
                self.damage.first_short_row = self.row_line;
            }
            self.damage.short_rows += 1;
            return;
        };
        let cell = columns.timestamp.and_then(|i| self.cells.get(i)).map(|t| t.trim());
        let timestamp_ms = cell.and_then(row_time);
        if timestamp_ms.is_none() && cell.is_some_and(|t| impossible_date(t.as_bytes()).is_some()) {
            if self.damage.invalid_times == 0 {
                self.damage.first_invalid_time = self.row_line;
            }
            self.damage.invalid_times += 1;
        }
        let stream = columns
            .stream
            .and_then(|i| self.cells.get(i))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .unwrap_or(self.default_stream);
        let event = LogEvent {
            timestamp_ms,
            stream,
            message: message.trim_end_matches(['\n', '\r']),
        };
        if sink.event(&event).is_break() {
            self.stopped = true;
        }
    }
}

/// The fields of one CSV record (which may span lines), unquoted, into `cells`.
fn csv_cells(record: &str, cells: &mut Vec<String>) {
    cells.clear();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(record.len().clamp(64, 64 * 1024))
        .from_reader(record.as_bytes());
    let mut fields = csv::StringRecord::new();
    // A record that is not UTF-8 cannot come from a `&str`; a CSV error leaves the row without cells.
    if reader.read_record(&mut fields).unwrap_or(false) {
        cells.extend(fields.iter().map(str::to_string));
    }
}

/// The cells of one Markdown table row (which may span lines), trimmed, `\|` unescaped, into `cells`.
fn markdown_cells(row: &str, cells: &mut Vec<String>) {
    cells.clear();
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let mut cell = String::new();
    let mut chars = row.chars().peekable();
    let mut closed = false;
    while let Some(c) = chars.next() {
        closed = false;
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                cell.push('|');
            }
            '|' => {
                cells.push(cell.trim().to_string());
                cell.clear();
                closed = true;
            }
            c => cell.push(c),
        }
    }
    // A row whose last cell lost its closing `|` (cut, or at the end of the input).
    if !closed && !cell.trim().is_empty() {
        cells.push(cell.trim().to_string());
    }
}

fn unescaped_pipes(line: &str) -> usize {
    let b = line.as_bytes();
    memchr::memchr_iter(b'|', b)
        .filter(|&i| i == 0 || b[i - 1] != b'\\')
        .count()
}

fn ends_with_unescaped_pipe(line: &str) -> bool {
    let t = line.trim_end().as_bytes();
    t.last() == Some(&b'|') && (t.len() < 2 || t[t.len() - 2] != b'\\')
}

/// A Markdown separator line: `|---|:--:|`.
fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains('-') && t.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
}

/// The first line of the block a Logs Insights Markdown export begins with.
fn is_block_start(line: &str) -> bool {
    line.trim_start_matches('\u{feff}').trim() == "**CloudWatch Logs Insights**"
}

/// A row's time: a timestamp (`2025-07-11 06:05:34.311`) or epoch milliseconds, the console
/// download's (`1757922754996`).
fn row_time(cell: &str) -> Option<i64> {
    parse_leading_timestamp(cell)
        .map(|t| t.epoch_ms)
        .or_else(|| epoch_ms(cell.as_bytes()).and_then(|len| cell.get(..len)?.parse().ok()))
}

/// The length of the time at the start of `line`, either shape.
fn leading_row_time(line: &str) -> Option<usize> {
    parse_leading_timestamp(line)
        .map(|t| t.len)
        .or_else(|| epoch_ms(line.as_bytes()))
}

/// Epoch milliseconds at the start of `b`: 13 digits (September 2001 to 2286), not followed by
/// another digit. So many digits are no accident in a message line that begins a row.
fn epoch_ms(b: &[u8]) -> Option<usize> {
    const DIGITS: usize = 13;
    let all = b.get(..DIGITS)?.iter().all(u8::is_ascii_digit);
    (all && !b.get(DIGITS).is_some_and(u8::is_ascii_digit)).then_some(DIGITS)
}

/// The table shape of an input whose first lines are `lines`, if any: the first non-blank line is
/// the header, or, after a Logs Insights block (`**CloudWatch Logs Insights**` … `---`), the first
/// non-blank line after it. A look at a few lines, so detection costs nothing more for other inputs.
pub(crate) fn sniff_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<InputFormat> {
    let mut lines = lines.into_iter().filter(|l| !l.trim().is_empty());
    let first = lines.next()?;
    if !is_block_start(first) {
        return sniff(first);
    }
    lines.by_ref().find(|l| l.trim() == "---")?;
    sniff(lines.next()?).filter(|f| *f == InputFormat::InsightsMd)
}

/// The table shape whose header `first_line` is (see `Columns::of`), if any.
pub(crate) fn sniff(first_line: &str) -> Option<InputFormat> {
    let line = first_line.trim_start_matches('\u{feff}').trim();
    if !line.contains("message") && !line.contains("@requestId") {
        return None;
    }
    let mut cells = Vec::new();
    let markdown = line.starts_with('|');
    if markdown {
        markdown_cells(line, &mut cells);
    } else {
        csv_cells(line, &mut cells);
    }
    // Field names hold no spaces (`@timestamp`, `rid`, `bin(5m)`): a log line that mentions
    // `@message` among words is not a header.
    let names = cells.iter().all(|c| {
        let c = c.trim();
        !c.is_empty() && c.len() <= 128 && !c.contains(char::is_whitespace)
    });
    if !names || Columns::of(&cells).is_none() {
        return None;
    }
    Some(if markdown {
        InputFormat::InsightsMd
    } else if Columns::is_console_download(&cells) {
        InputFormat::ConsoleCsv
    } else {
        InputFormat::InsightsCsv
    })
}

#[cfg(test)]
mod tests;
