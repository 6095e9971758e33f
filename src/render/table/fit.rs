//! Fitting tables to a terminal: the `Out` builder, and the width, wrap and alignment helpers.

use comfy_table::{Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table};
use unicode_width::UnicodeWidthStr;

use super::{TableStyle, PRESET};
use crate::i18n::Labels;

/// The text rendered so far, and how its tables are drawn.
pub(super) struct Out {
    pub(super) text: String,
    color: bool,
    pub(super) local_time: bool,
    /// `TableStyle::width`.
    pub(super) width: Option<usize>,
    /// The labels of `TableStyle::lang`.
    pub(super) l: &'static Labels,
}

impl Out {
    /// No text yet, to be drawn in `style`.
    pub(super) fn new(style: &TableStyle) -> Self {
        Out {
            text: String::new(),
            color: style.color,
            local_time: style.local_time,
            width: style.width.map(usize::from),
            l: style.lang.labels(),
        }
    }

    pub(super) fn table(&self) -> Table {
        let mut table = Table::new();
        table.load_preset(PRESET);
        // No tty probing: the output must not depend on where stdout goes (and tests compare bytes).
        table.force_no_tty();
        if self.color {
            table.enforce_styling();
            table.style_text_only();
        }
        if self.width.is_some() {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        }
        table
    }

    /// Gives `table` the width to fit into, now that its rows are in. comfy-table counts the
    /// padding after the last column, which only the rule under a header draws; without a header
    /// the padding is trimmed, so the table may take one cell more.
    fn size(&self, table: &mut Table) {
        if let Some(width) = self.width {
            let width = if table.header().is_some() { width } else { width + 1 };
            table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
        }
    }

    /// A word in its color when coloring is on.
    pub(super) fn colored(&self, text: &str, color: Option<Color>) -> Cell {
        match color {
            Some(color) if self.color => Cell::new(text).fg(color),
            _ => Cell::new(text),
        }
    }

    /// With a width, the `columns` of `table` keep the width of their content (numbers, names,
    /// labels): only the other columns wrap to make the table fit.
    pub(super) fn keep_whole(&self, table: &mut Table, columns: std::ops::Range<usize>) {
        if self.width.is_none() {
            return;
        }
        for i in columns {
            if let Some(column) = table.column_mut(i) {
                column.set_constraint(ColumnConstraint::ContentWidth);
            }
        }
    }

    /// The table's lines, without trailing blanks. With a width, a table that does not fit even
    /// with its long texts wrapped is drawn again with every column allowed to wrap.
    pub(super) fn draw(&self, mut table: Table) -> String {
        self.size(&mut table);
        let text = table.trim_fmt();
        match self.width {
            Some(width) if widest(&text) > width => {
                for column in table.column_iter_mut() {
                    column.remove_constraint();
                }
                table.trim_fmt()
            }
            _ => text,
        }
    }

    /// Whether `table` fits the width as drawn (always without a width).
    pub(super) fn fits(&self, table: &mut Table) -> bool {
        self.size(table);
        self.width.is_none_or(|width| widest(&table.trim_fmt()) <= width)
    }

    /// A line of text (without its newline), wrapped at spaces to the width.
    pub(super) fn line(&mut self, text: &str) {
        for line in wrap(text, self.width) {
            self.text.push_str(&line);
            self.text.push('\n');
        }
    }

    pub(super) fn section(&mut self, title: &str, tables: impl IntoIterator<Item = Table>) {
        self.text.push('\n');
        self.line(title);
        for table in tables {
            let text = self.draw(table);
            self.text.push_str(&text);
            self.text.push('\n');
        }
    }
}

/// Terminal cells `text` takes: double-width characters count 2, ANSI color sequences nothing.
pub(crate) fn display_width(text: &str) -> usize {
    let mut width = 0;
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        width += rest[..at].width();
        // A CSI sequence (`ESC [ … final byte`), as comfy-table and `tail` write colors.
        let tail = &rest[at + 1..];
        let end = match tail.strip_prefix('[') {
            Some(csi) => csi
                .find(|c: char| ('\u{40}'..='\u{7e}').contains(&c))
                .map_or(tail.len(), |i| 1 + i + 1),
            None => 0,
        };
        rest = &tail[end..];
    }
    width + rest.width()
}

/// The widest line of `text`, in terminal cells.
pub(crate) fn widest(text: &str) -> usize {
    text.lines().map(display_width).max().unwrap_or(0)
}

/// `text` in lines of at most `width` cells, broken at spaces (a word wider than that is broken
/// where it must be); continuation lines keep the leading spaces of the first. Unchanged when it
/// fits or without a width.
pub(in crate::render) fn wrap(text: &str, width: Option<usize>) -> Vec<String> {
    let Some(width) = width.filter(|w| display_width(text) > *w && *w > 0) else {
        return vec![text.to_string()];
    };
    let body = text.trim_start_matches(' ');
    let mut indent = &text[..text.len() - body.len()];
    if indent.len() >= width {
        indent = "";
    }
    let mut lines = Vec::new();
    let mut line = indent.to_string();
    let mut line_width = indent.len();
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        let mut word = word;
        loop {
            let word_width = display_width(word);
            let gap = usize::from(line_width > indent.len());
            if line_width + gap + word_width <= width {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                line_width += gap + word_width;
                break;
            }
            if line_width > indent.len() {
                lines.push(std::mem::replace(&mut line, indent.to_string()));
                line_width = indent.len();
                continue;
            }
            // A word wider than a whole line: as much of it as fits (at least one character).
            let room = width - indent.len();
            let mut cut = 0;
            let mut cut_width = 0;
            for (i, c) in word.char_indices() {
                let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if cut_width + w > room && cut > 0 {
                    break;
                }
                cut = i + c.len_utf8();
                cut_width += w;
            }
            line.push_str(&word[..cut]);
            lines.push(std::mem::replace(&mut line, indent.to_string()));
            line_width = indent.len();
            word = &word[cut..];
            if word.is_empty() {
                break;
            }
        }
    }
    if line_width > indent.len() {
        lines.push(line);
    }
    lines
}

pub(super) fn right_align(table: &mut Table, columns: std::ops::Range<usize>) {
    for i in columns {
        if let Some(column) = table.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
}
