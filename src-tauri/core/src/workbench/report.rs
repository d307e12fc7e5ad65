//! The handover report from the store: a project's data gathered into a
//! [`ReportSource`], what an export would hold today (the Export page's
//! preview) and the export itself — rendered in the chosen format, written
//! atomically, remembered per project.

use std::path::{Path, PathBuf};

use handover_model::{
    Account, Catalog, Contact, ErrorCode, ExportRecord, ItemState, Overview, Paper, Project,
    ReportExportRequest, ReportExported, ReportFormat, ReportPreview, Run, SectionSummary,
};

use super::{item_states_in, overview_at, WorkError, Workbench};
use crate::report::doc::{Block, Section};
use crate::report::{content, markdown, pdf, watch, write, ReportError, ReportInput};
use crate::store::now_ms;

/// One day in milliseconds.
const DAY_MS: i64 = 86_400_000;

/// Everything a project's report is made from, loaded from the store in
/// one go (credential metadata only: never a secret).
#[derive(Debug, Clone)]
pub struct ReportSource {
    /// The checklist.
    pub catalog: &'static Catalog,
    /// The project.
    pub project: Project,
    /// Its overview as it stood on the report's date.
    pub overview: Overview,
    /// Every item's state, in catalog order.
    pub items: Vec<ItemState>,
    /// Its accounts.
    pub accounts: Vec<Account>,
    /// Its alert contacts.
    pub contacts: Vec<Contact>,
    /// Its runs with their findings, newest first.
    pub runs: Vec<Run>,
}

impl ReportSource {
    /// The report input over this data, dated `date` (`YYYY-MM-DD`) and
    /// made by `author`.
    pub fn input<'a>(&'a self, date: &'a str, author: &'a str) -> ReportInput<'a> {
        ReportInput {
            catalog: self.catalog,
            project: &self.project,
            overview: &self.overview,
            items: &self.items,
            accounts: &self.accounts,
            contacts: &self.contacts,
            runs: &self.runs,
            date,
            author,
        }
    }
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let date = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The error code a report failure answers with: a bad date or an
/// unusable path is the caller's to fix; the rest are ours.
pub(super) fn error_code(err: &ReportError) -> ErrorCode {
    match err {
        ReportError::Date(_) => ErrorCode::InvalidInput,
        ReportError::Write { source, .. }
            if matches!(
                source.kind(),
                std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::InvalidInput
                    | std::io::ErrorKind::PermissionDenied
            ) =>
        {
            ErrorCode::InvalidInput
        }
        ReportError::Write { .. } => ErrorCode::Storage,
        ReportError::Font(_) | ReportError::Pdf(_) => ErrorCode::Internal,
    }
}

/// The date to report on: `given` if it is a real `YYYY-MM-DD` date, else
/// today; with the moment the data is judged at (the end of a given day,
/// so the same date always gives the same report; now for today).
fn report_date(given: Option<&str>) -> Result<(String, i64), ReportError> {
    match given.map(str::trim) {
        Some(date) => {
            let days = handover_model::date::days_from_civil(date)
                .ok_or_else(|| ReportError::Date(date.to_string()))?;
            Ok((date.to_string(), days * DAY_MS + DAY_MS - 1))
        }
        None => Ok((today(), now_ms())),
    }
}

/// Where the findings JSON of the PDF at `path` goes: `<stem>.findings.json`.
pub fn findings_path(path: &Path) -> PathBuf {
    path.with_extension("findings.json")
}

/// One section as the Export page lists it: numbered, with how much it holds.
fn summary(number: usize, section: &Section) -> SectionSummary {
    let mut rows = 0;
    let mut charts = 0;
    let mut note = None;
    for block in &section.blocks {
        match block {
            Block::Table { rows: r, .. } => rows += r.len(),
            Block::Bullets(items) => rows += items.len(),
            Block::Chart(_) => charts += 1,
            Block::Note(text) if note.is_none() => note = Some(text.clone()),
            _ => {}
        }
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let note = match (rows, charts, note) {
        (0, 0, Some(text)) => text,
        (0, 0, None) => "text only".to_string(),
        (rows, 0, _) => plural(rows, "entry", "entries"),
        (0, charts, _) => plural(charts, "chart", "charts"),
        (rows, charts, _) => format!(
            "{}, {}",
            plural(rows, "entry", "entries"),
            plural(charts, "chart", "charts")
        ),
    };
    SectionSummary {
        id: section.id.clone(),
        title: format!("{number} {}", section.title),
        note,
    }
}

/// The bytes of the report in `format`, and the findings JSON that goes
/// with a PDF: attached inside it (`findings.json`, an embedded file) and
/// also written beside it, for readers that do not show attachments.
fn render(
    input: &ReportInput,
    format: ReportFormat,
    paper: Paper,
) -> Result<(Vec<u8>, Option<Vec<u8>>), ReportError> {
    let data = content::gather(input)?;
    Ok(match format {
        ReportFormat::Json => (content::json(&data).into_bytes(), None),
        ReportFormat::Markdown => (
            markdown::render(&content::document(&data)).into_bytes(),
            None,
        ),
        ReportFormat::Pdf => {
            let json = content::json(&data).into_bytes();
            let doc = content::document(&data);
            (
                pdf::render_with_attachment(&doc, paper, "findings.json", &json)?,
                Some(json),
            )
        }
    })
}

impl Workbench {
    /// Loads everything project `project_id`'s report is made from, its
    /// overview judged at `at_ms`.
    pub async fn report_source(
        &self,
        project_id: i64,
        at_ms: i64,
    ) -> Result<ReportSource, WorkError> {
        let catalog = self.catalog;
        Ok(self
            .store
            .run(move |db| {
                let overview = overview_at(db, catalog, project_id, at_ms)?;
                let runs = db
                    .runs(Some(project_id))?
                    .into_iter()
                    .map(|summary| db.run(summary.id))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(ReportSource {
                    catalog,
                    project: db.project(project_id)?,
                    overview,
                    items: item_states_in(db, catalog, project_id)?,
                    accounts: db.accounts(project_id)?,
                    contacts: db.contacts(project_id)?,
                    runs,
                })
            })
            .await?)
    }

    /// Project `project_id`'s last export, if it has one.
    pub async fn last_export(&self, project_id: i64) -> Result<Option<ExportRecord>, WorkError> {
        Ok(self.store.run(move |db| db.last_export(project_id)).await?)
    }

    /// What an export of project `project_id` would hold today: the watch
    /// list, the sections with how much each holds, and the last export.
    pub async fn report_preview(&self, project_id: i64) -> Result<ReportPreview, WorkError> {
        let (date, at_ms) = report_date(None)?;
        let source = self.report_source(project_id, at_ms).await?;
        let last_export = self.last_export(project_id).await?;
        let author = self.actor.clone();
        let (watch, sections) = tokio::task::spawn_blocking(move || {
            let input = source.input(&date, &author);
            let watch = watch::watch_list(&input);
            let doc = content::document(&content::gather(&input)?);
            let sections = doc
                .sections
                .iter()
                .enumerate()
                .map(|(i, section)| summary(i + 1, section))
                .collect();
            Ok::<_, ReportError>((watch, sections))
        })
        .await
        .map_err(|e| WorkError::Internal(format!("the report preview failed: {e}")))??;
        Ok(ReportPreview {
            watch,
            sections,
            last_export,
        })
    }

    /// Writes project `request.project_id`'s report to `request.path` in
    /// its format (a PDF also gets its findings JSON beside it, as
    /// `<stem>.findings.json`), atomically, dated `date` (`YYYY-MM-DD`) or
    /// today (UTC); then remembers it as the project's last export. A
    /// failure leaves any previous file intact; a findings file that fails
    /// after its PDF was written is reported as the failure.
    pub async fn export_report(
        &self,
        request: ReportExportRequest,
        date: Option<&str>,
    ) -> Result<ReportExported, WorkError> {
        let (date, at_ms) = report_date(date)?;
        let path =
            std::path::absolute(request.path.trim()).map_err(|source| ReportError::Write {
                path: request.path.clone(),
                source,
            })?;
        let source = self.report_source(request.project_id, at_ms).await?;
        let author = self.actor.clone();
        let (format, paper) = (request.format, request.paper);
        let target = path.clone();
        let (bytes, findings) = tokio::task::spawn_blocking(move || {
            let (report, findings) = render(&source.input(&date, &author), format, paper)?;
            write::atomic(&target, &report)?;
            let findings = match findings {
                Some(json) => {
                    let beside = findings_path(&target);
                    write::atomic(&beside, &json)?;
                    Some(beside.display().to_string())
                }
                None => None,
            };
            Ok::<_, ReportError>((report.len() as u64, findings))
        })
        .await
        .map_err(|e| WorkError::Internal(format!("the report export failed: {e}")))??;
        let record = ExportRecord {
            path: path.display().to_string(),
            format,
            paper,
            at_ms: now_ms(),
            bytes,
        };
        let stored = record.clone();
        let project_id = request.project_id;
        self.store
            .run(move |db| db.record_export(project_id, &stored))
            .await?;
        tracing::info!(
            project_id,
            format = format.as_str(),
            paper = paper.as_str(),
            bytes,
            findings_beside = findings.is_some(),
            "report exported"
        );
        Ok(ReportExported {
            record,
            findings_path: findings,
        })
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
