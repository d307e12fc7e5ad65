//! The report's document as Markdown.

use super::doc::Doc;

/// `doc` as Markdown.
pub fn render(doc: &Doc) -> String {
    let _ = doc;
    unimplemented!("being written")
}
