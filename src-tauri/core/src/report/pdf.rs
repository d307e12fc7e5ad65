//! The report's document as a PDF.

use handover_model::Paper;

use super::doc::Doc;
use super::ReportError;

/// `doc` as PDF bytes on `paper`.
pub fn render(doc: &Doc, paper: Paper) -> Result<Vec<u8>, ReportError> {
    let _ = (doc, paper);
    unimplemented!("being written")
}
