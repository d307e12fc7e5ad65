//! The handover report: "what to watch this week" and the exports (PDF,
//! Markdown, JSON) a founder operates from without us in the room.

use serde::{Deserialize, Serialize};

/// Which way a watched number moved since the previous run that measured it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// The previous value, in the item's unit.
    pub previous: f64,
    /// When it was measured (`YYYY-MM-DD`).
    pub previous_date: String,
    /// `worse`, `better` or `same`, judged by the metric's direction.
    pub direction: TrendDirection,
}

/// How a watched number moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendDirection {
    /// Moved towards its threshold or past it.
    Worse,
    /// Moved away from its threshold.
    Better,
    /// Did not move.
    Same,
}

/// One thing to watch this week, tied to a real metric of the latest run,
/// the history, the accounts or the checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchItem {
    /// A stable key (e.g. `tls.expiry:api.example.com`), for diffs and tests.
    pub key: String,
    /// One sentence for people, e.g. "The certificate of api.example.com
    /// expires in 12 days (2026-12-13)".
    pub title: String,
    /// What is measured, e.g. `certificate days left`, `chat p95`.
    pub metric: String,
    /// The current value as people read it (`12 days`, `2.8 s`, `p=none`).
    pub current: String,
    /// The threshold as people read it (`renew before 13 days`, `≤ 2.5 s`);
    /// empty when the item has none.
    pub threshold: String,
    /// The movement since the previous measurement, when history has one.
    pub trend: Option<Trend>,
    /// Who acts on it (from the accounts or the checklist item); empty when
    /// nobody owns it (which the title then says).
    pub owner: String,
    /// The date it must be done by (`YYYY-MM-DD`), when the data gives one.
    pub due: Option<String>,
    /// What to do next, one sentence.
    pub next_action: String,
    /// How soon it bites, 1 (this week) to 4 (no date).
    pub urgency: u8,
    /// How bad it is when it bites, 1 (low) to 5 (blocker).
    pub risk: u8,
}

/// Paper size of a PDF.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        [Paper::A4, Paper::Letter]
            .into_iter()
            .find(|p| p.as_str() == name.trim().to_ascii_lowercase())
    }
}

/// The file format of an export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// The handover PDF.
    #[default]
    Pdf,
    /// The same content as Markdown (renders on GitHub).
    Markdown,
    /// The same content as JSON (versioned schema).
    Json,
}

impl ReportFormat {
    /// The wire name: `pdf`, `md` or `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Pdf => "pdf",
            ReportFormat::Markdown => "md",
            ReportFormat::Json => "json",
        }
    }

    /// Parses a wire name (`markdown` is accepted for `md`).
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(ReportFormat::Pdf),
            "md" | "markdown" => Some(ReportFormat::Markdown),
            "json" => Some(ReportFormat::Json),
            _ => None,
        }
    }

    /// The format a file name asks for by its extension.
    pub fn of_path(path: &str) -> Option<Self> {
        let ext = path.rsplit_once('.')?.1;
        Self::parse(ext)
    }
}

/// A section of the report as the Export page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionSummary {
    /// Stable id, e.g. `watch`, `blockers`.
    pub id: String,
    /// The heading, e.g. `1 What to watch this week`.
    pub title: String,
    /// How much it holds, e.g. `7 items`, `no data yet`.
    pub note: String,
}

/// The last export of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRecord {
    /// Where it was written.
    pub path: String,
    /// Its format.
    pub format: ReportFormat,
    /// Its paper size (PDF only).
    pub paper: Paper,
    /// When, ms since the epoch.
    pub at_ms: i64,
    /// Its size in bytes.
    pub bytes: u64,
}

/// `report_preview`: what an export of the project would hold today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPreviewRequest {
    /// Project id.
    pub project_id: i64,
}

/// Answer to `report_preview`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportPreview {
    /// The watch list, most urgent first (page one holds the first ten).
    pub watch: Vec<WatchItem>,
    /// The report's sections, in order.
    pub sections: Vec<SectionSummary>,
    /// The last export, if any.
    pub last_export: Option<ExportRecord>,
}

/// `report_export`: writes the report to `path` (atomically).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportExportRequest {
    /// Project id.
    pub project_id: i64,
    /// Where to write it.
    pub path: String,
    /// The format.
    pub format: ReportFormat,
    /// Paper size (PDF only).
    #[serde(default)]
    pub paper: Paper,
}

/// Answer to `report_export`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportExported {
    /// What was written.
    pub record: ExportRecord,
    /// The findings JSON written beside a PDF, if one was.
    pub findings_path: Option<String>,
}

/// `report_open`: opens the project's last export in the system's viewer
/// (only a file Handover itself wrote, never a path from the window).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOpenRequest {
    /// Project id.
    pub project_id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_papers_parse_their_wire_names() {
        assert_eq!(
            ReportFormat::parse("Markdown"),
            Some(ReportFormat::Markdown)
        );
        assert_eq!(
            ReportFormat::of_path("/tmp/handover.md"),
            Some(ReportFormat::Markdown)
        );
        assert_eq!(ReportFormat::of_path("/tmp/handover"), None);
        assert_eq!(Paper::parse("LETTER"), Some(Paper::Letter));
        assert_eq!(Paper::parse("a5"), None);
    }
}
