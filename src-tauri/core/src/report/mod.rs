//! # The handover report
//!
//! One document a founder can operate from without us in the room: the
//! verdict, the blockers, who owns what, the evidence, and the handful of
//! numbers to watch this week.
//!
//! - [`watch`] — "what to watch this week": concrete items tied to real
//!   metrics of the latest run, the history, the accounts and the checklist,
//!   ranked by urgency × risk;
//! - [`content`] — gathers a project's data ([`ReportInput`]) into the
//!   report's data ([`ReportData`], also the JSON export, schema
//!   [`SCHEMA`]) and the format-neutral [`doc::Doc`];
//! - [`pdf`] — lays the document out with printpdf (embedded, subset TTF;
//!   wrapping, tables, page breaks, header, footer, page numbers, table of
//!   contents, vector charts; A4 or US Letter), deterministically;
//! - [`markdown`] — the same document as Markdown (renders on GitHub);
//! - [`write`] — atomic writes (a temp file in the same directory, fsync,
//!   rename): a failed export leaves any existing file intact.
//!
//! A secret never enters any of these: accounts carry only where their
//! credentials are kept.

pub mod content;
pub mod doc;
pub mod markdown;
pub mod pdf;
pub mod watch;
pub mod write;

pub use content::{ReportData, ReportInput, SCHEMA};
pub use doc::Doc;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The font in `assets/` could not be read or used.
    #[error("the report font could not be used: {0}")]
    Font(String),
    /// The PDF could not be written.
    #[error("the PDF could not be made: {0}")]
    Pdf(String),
    /// The date is not `YYYY-MM-DD`.
    #[error("{0:?} is not a date in the form YYYY-MM-DD")]
    Date(String),
    /// Writing the file failed; any previous file is intact.
    #[error("could not write {path}: {source} (any previous file is unchanged)")]
    Write {
        /// The file.
        path: String,
        /// What failed.
        source: std::io::Error,
    },
}
