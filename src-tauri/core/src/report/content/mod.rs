//! A project's data gathered into the report: [`ReportData`] (also the
//! JSON export, schema [`SCHEMA`]) and the format-neutral [`Doc`].

use handover_model::{Account, Catalog, Contact, ItemState, Overview, Project, Run};

use super::doc::Doc;
use super::ReportError;

mod data;
mod document;
mod document_accounts;
mod document_live;
mod gather;
mod live;

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod schema_check;
#[cfg(test)]
mod tests;

pub use data::*;
pub use gather::KEPT;
pub use live::{NEXT_STEPS, NOT_PROBED};

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

/// Gathers `input` into the report's data.
///
/// # Errors
/// [`ReportError::Date`] when `input.date` is not `YYYY-MM-DD`.
pub fn gather(input: &ReportInput) -> Result<ReportData, ReportError> {
    if handover_model::date::days_from_civil(input.date).is_none() {
        return Err(ReportError::Date(input.date.to_string()));
    }
    Ok(ReportData {
        schema: SCHEMA,
        date: input.date.to_string(),
        meta: gather::meta(input),
        verdict: gather::verdict(input),
        watch: gather::watch_entries(input),
        blockers: gather::blockers(input),
        checklist: gather::checklist(input),
        accounts: gather::accounts(input),
        evidence: live::evidence(input),
        charts: live::charts(input),
        rollback: live::rollback(input),
        limitations: live::limitations(input),
        next_steps: live::next_steps(input),
    })
}

/// The report's document (what the PDF and Markdown show): the cover and
/// the sections `watch`, `blockers`, `checklist`, `accounts`, `evidence`,
/// `charts`, `rollback`, `limitations`, `next`, then `appendix` when the
/// watch list has more than page one holds.
pub fn document(data: &ReportData) -> Doc {
    document::build(data)
}

/// The JSON export: pretty, keys in field order (deterministic).
pub fn json(data: &ReportData) -> String {
    let mut text = serde_json::to_string_pretty(data).unwrap_or_default();
    text.push('\n');
    text
}
