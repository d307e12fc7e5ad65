//! A project's data gathered into the report: [`ReportData`] (also the
//! JSON export, schema [`SCHEMA`]) and the format-neutral [`Doc`].

use handover_model::{Account, Catalog, Contact, ItemState, Overview, Project, Run};
use serde::Serialize;

use super::doc::Doc;
use super::ReportError;

/// The JSON export's schema id; bumped when its shape changes incompatibly.
pub const SCHEMA: &str = "handover-report/1";

/// Everything a report is made from.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// The checklist.
    pub catalog: &'a Catalog,
    /// The project.
    pub project: &'a Project,
    /// Its overview (verdict, ranked open items, stages, handover gaps).
    pub overview: &'a Overview,
    /// Every item's state.
    pub items: &'a [ItemState],
    /// Its accounts (credential metadata only, never secrets).
    pub accounts: &'a [Account],
    /// Its alert contacts.
    pub contacts: &'a [Contact],
    /// Its runs with their findings, newest first.
    pub runs: &'a [Run],
    /// The report's date, `YYYY-MM-DD`.
    pub date: &'a str,
    /// Who makes the export (the PDF's author).
    pub author: &'a str,
}

/// The report's data, as the JSON export carries it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportData {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The report's date.
    pub date: String,
}

/// Gathers `input` into the report's data.
pub fn gather(input: &ReportInput) -> Result<ReportData, ReportError> {
    Ok(ReportData {
        schema: SCHEMA,
        date: input.date.to_string(),
    })
}

/// The report's document (what the PDF and Markdown show).
pub fn document(data: &ReportData) -> Doc {
    let _ = data;
    unimplemented!("being written")
}

/// The JSON export.
pub fn json(data: &ReportData) -> String {
    serde_json::to_string_pretty(data).unwrap_or_default()
}
