//! The report as a format-neutral document: a cover and numbered sections
//! of blocks (paragraphs, lists, tables, charts). [`super::content`] builds
//! it once from a project's data; the PDF and Markdown writers only lay it
//! out, so both say exactly the same thing.

use serde::Serialize;

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Doc {
    /// PDF title metadata and the cover's heading, e.g. `Handover — Opsbot`.
    pub title: String,
    /// PDF author metadata (who made the export).
    pub author: String,
    /// PDF subject metadata.
    pub subject: String,
    /// The report's date (`YYYY-MM-DD`): in the footer, the cover and the
    /// PDF's timestamps (so the same data and date give the same bytes).
    pub date: String,
    /// The cover page.
    pub cover: Cover,
    /// The numbered sections, in order.
    pub sections: Vec<Section>,
}

/// The cover: product, date, the go/no-go badge and the counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cover {
    /// The product's name.
    pub product: String,
    /// Its apex domain (Unicode form).
    pub domain: String,
    /// `GO` or `NO-GO`.
    pub verdict: String,
    /// Whether the verdict is go (the badge's colour).
    pub go: bool,
    /// One line per count, e.g. `3 launch blockers open`.
    pub counts: Vec<String>,
    /// The verdict's reasons, most important first.
    pub reasons: Vec<String>,
}

/// One numbered section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Stable id, e.g. `watch`.
    pub id: String,
    /// The heading without its number, e.g. `What to watch this week`.
    pub title: String,
    /// The content, in order.
    pub blocks: Vec<Block>,
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// The text (may hold ✓, →, accents, IDNs; never a secret).
    pub text: String,
    /// Bold.
    pub strong: bool,
    /// Monospace-like (URLs, record values): may break anywhere.
    pub code: bool,
}

impl Span {
    /// Plain text.
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            strong: false,
            code: false,
        }
    }

    /// Bold text.
    pub fn strong(text: impl Into<String>) -> Self {
        Self {
            strong: true,
            ..Self::plain(text)
        }
    }

    /// Code-like text (a URL, a record).
    pub fn code(text: impl Into<String>) -> Self {
        Self {
            code: true,
            ..Self::plain(text)
        }
    }
}

/// How a table column aligns its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Left (text).
    Left,
    /// Right (numbers).
    Right,
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// The header.
    pub title: String,
    /// Its share of the width (the writer scales the shares to the page).
    pub weight: f32,
    /// Cell alignment.
    pub align: Align,
}

/// A severity or state mark drawn in a cell (a coloured dot in the PDF).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// A blocker or failure.
    Bad,
    /// A warning (high, medium).
    Warn,
    /// Passed or fine.
    Good,
    /// Could not be checked.
    Unknown,
    /// Nothing to say.
    Neutral,
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Its text.
    pub spans: Vec<Span>,
    /// An optional mark before the text.
    pub mark: Option<Mark>,
}

impl Cell {
    /// A cell of plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            spans: vec![Span::plain(text)],
            mark: None,
        }
    }
}

/// One line of a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// Its legend, e.g. `chat p95`.
    pub name: String,
    /// `(x label, value)` points in x order (e.g. a run's date).
    pub points: Vec<(String, f64)>,
}

/// A chart, drawn as vectors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Chart {
    /// Lines over time, with an optional horizontal target line.
    Lines {
        /// The chart's title.
        title: String,
        /// The y axis unit, e.g. `ms`.
        unit: String,
        /// The lines.
        series: Vec<Series>,
        /// A target drawn across (e.g. the p95 target), with its label.
        target: Option<(String, f64)>,
    },
    /// Stacked bars per x (e.g. findings by severity per run).
    StackedBars {
        /// The chart's title.
        title: String,
        /// The x labels, in order.
        labels: Vec<String>,
        /// Each stack part: its name, mark (colour) and one value per x label.
        parts: Vec<(String, Mark, Vec<f64>)>,
    },
}

/// One piece of a section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    /// A sub-heading within the section.
    Heading(String),
    /// A paragraph.
    Paragraph(Vec<Span>),
    /// A bulleted list, one entry per item.
    Bullets(Vec<Vec<Span>>),
    /// A table with a header row (repeated after a page break).
    Table {
        /// The columns.
        columns: Vec<Column>,
        /// The rows (each as many cells as there are columns).
        rows: Vec<Vec<Cell>>,
    },
    /// A chart.
    Chart(Chart),
    /// A note in a lighter style ("no data yet", "see the appendix").
    Note(String),
    /// Forces the next block onto a new page (e.g. before an appendix).
    PageBreak,
}
