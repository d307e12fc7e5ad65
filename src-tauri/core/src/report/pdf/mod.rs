//! The report's document as a PDF, laid out by us and written by printpdf.
//!
//! - `font`: DejaVu Sans (regular, bold) embedded with `include_bytes!`,
//!   measured from its glyph advances and subset to the glyphs used;
//! - `page`: drawing operations in top-left coordinates;
//! - `wrap`, `layout`: word wrapping and the page flow;
//! - `table`, `chart`: tables and vector charts;
//! - `toc`: cover, contents, header and footer.
//!
//! The contents need every section's page, so the body is laid out before
//! the contents are (their length depends only on the titles). The output is
//! deterministic: fixed resource names, timestamps from `doc.date`, and a
//! document id hashed from the document, so the same `Doc` gives the same
//! bytes.

mod chart;
mod font;
mod layout;
mod page;
mod table;
mod toc;
mod wrap;

#[cfg(test)]
mod poppler_tests;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use handover_model::Paper;
use lopdf::{Dictionary, Object, Stream, StringFormat};
use printpdf::{
    FontId, Op, PageAnnotId, PageAnnotation, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Pt, Rect, TextItem,
};

use self::font::{faces, Faces, Weight};
use self::layout::{body, Flow, Geometry};
use self::page::{ink, Page};
use self::wrap::Style;
use super::doc::{Block, Doc, Section};
use super::ReportError;

/// `doc` as PDF bytes on `paper`.
pub fn render(doc: &Doc, paper: Paper) -> Result<Vec<u8>, ReportError> {
    write(doc, paper, None)
}

/// `doc` as PDF bytes on `paper`, with `bytes` embedded as the attached
/// file `name` (e.g. the findings JSON), listed in the viewer's attachments.
pub fn render_with_attachment(
    doc: &Doc,
    paper: Paper,
    name: &str,
    bytes: &[u8],
) -> Result<Vec<u8>, ReportError> {
    write(doc, paper, Some((name, bytes)))
}

/// A `YYYY-MM-DD` date as seconds since 1970 at midnight UTC.
fn timestamp(date: &str) -> Result<i64, ReportError> {
    let bad = || ReportError::Date(date.to_string());
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let num = |s: &str| s.parse::<i32>().map_err(|_| bad());
    let month = time::Month::try_from(num(m)? as u8).map_err(|_| bad())?;
    let day = time::Date::from_calendar_date(num(y)?, month, num(d)? as u8).map_err(|_| bad())?;
    Ok(day.midnight().assume_utc().unix_timestamp())
}

/// 64-bit FNV-1a, seeded: the document id's halves.
fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325 ^ seed, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn write(
    doc: &Doc,
    paper: Paper,
    attachment: Option<(&str, &[u8])>,
) -> Result<Vec<u8>, ReportError> {
    let stamp = timestamp(&doc.date)?;
    let faces = faces()?;
    let geo = Geometry::of(paper);
    let (pages, entries) = lay_out(faces, geo, doc);

    let mut pdf = PdfDocument::new(&doc.title);
    let date = printpdf::OffsetDateTime::from_unix_timestamp(stamp)
        .map_err(|e| ReportError::Pdf(e.to_string()))?;
    let serialized = serde_json::to_vec(doc).map_err(|e| ReportError::Pdf(e.to_string()))?;
    let mut hashed = serialized;
    hashed.extend_from_slice(paper.as_str().as_bytes());
    let id = format!("{:016x}{:016x}", fnv(1, &hashed), fnv(2, &hashed));
    let info = &mut pdf.metadata.info;
    info.author = doc.author.clone();
    info.subject = doc.subject.clone();
    info.creator = "Handover".into();
    info.producer = "Handover (printpdf)".into();
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    info.identifier = id.clone();

    // The faces, subset to the characters the pages show.
    for (weight, chars) in used_chars(&pages) {
        let subset = faces.get(weight).subset(&chars)?;
        pdf.resources
            .fonts
            .map
            .insert(FontId(weight.resource().into()), PdfFont::new(subset));
    }
    for e in &entries {
        pdf.bookmarks.map.insert(
            PageAnnotId(format!("section-{:04}", e.number)),
            PageAnnotation {
                name: format!("{} {}", e.number, e.title),
                page: e.page,
            },
        );
    }
    let media = Rect::from_wh(Pt(geo.width), Pt(geo.height));
    pdf.with_pages(
        pages
            .into_iter()
            .map(|p| PdfPage {
                media_box: media.clone(),
                trim_box: media.clone(),
                crop_box: media.clone(),
                ops: p.ops,
            })
            .collect(),
    );

    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    let id = Object::String(id.into_bytes(), StringFormat::Literal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    if let Some((name, bytes)) = attachment {
        attach(&mut lo, name, bytes, &doc.date)?;
    }
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| ReportError::Pdf(e.to_string()))?;
    Ok(out)
}

/// Embeds `bytes` as the file `name` in the catalog's `EmbeddedFiles`.
fn attach(
    lo: &mut lopdf::Document,
    name: &str,
    bytes: &[u8],
    date: &str,
) -> Result<(), ReportError> {
    let pdf_date = format!("D:{}000000Z", date.replace('-', ""));
    let text = |s: &str| Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    let mut params = Dictionary::new();
    params.set("Size", Object::Integer(bytes.len() as i64));
    params.set("ModDate", text(&pdf_date));
    let mut file = Dictionary::new();
    file.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
    file.set("Params", Object::Dictionary(params));
    let stream = lo.add_object(Stream::new(file, bytes.to_vec()).with_compression(true));
    let mut ef = Dictionary::new();
    ef.set("F", Object::Reference(stream));
    let mut spec = Dictionary::new();
    spec.set("Type", Object::Name(b"Filespec".to_vec()));
    spec.set("F", text(name));
    spec.set("UF", Object::string_literal(utf16(name)));
    spec.set("EF", Object::Dictionary(ef));
    spec.set("Desc", text("The report's data"));
    let spec = lo.add_object(spec);
    let mut tree = Dictionary::new();
    tree.set(
        "Names",
        Object::Array(vec![text(name), Object::Reference(spec)]),
    );
    let mut names = Dictionary::new();
    names.set("EmbeddedFiles", Object::Dictionary(tree));
    let catalog = lo
        .catalog_mut()
        .map_err(|e| ReportError::Pdf(e.to_string()))?;
    catalog.set("Names", Object::Dictionary(names));
    Ok(())
}

/// UTF-16BE with a byte-order mark: a PDF text string.
fn utf16(s: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    out.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
    out
}

/// Every character each face shows on `pages`.
fn used_chars(pages: &[Page]) -> BTreeMap<Weight, BTreeSet<char>> {
    let mut used: BTreeMap<Weight, BTreeSet<char>> = BTreeMap::new();
    for page in pages {
        let mut current = None;
        for op in &page.ops {
            match op {
                Op::SetFont {
                    font: PdfFontHandle::External(id),
                    ..
                } => current = Weight::ALL.into_iter().find(|w| w.resource() == id.0),
                Op::ShowText { items } => {
                    if let Some(w) = current {
                        let set = used.entry(w).or_default();
                        for item in items {
                            if let TextItem::Text(t) = item {
                                set.extend(t.chars());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    used
}

/// All pages, header and footer included, and the contents' entries.
fn lay_out(faces: &Faces, geo: Geometry, doc: &Doc) -> (Vec<Page>, Vec<toc::Entry>) {
    let mut cover = Flow::new(faces, geo);
    toc::cover(&mut cover, doc);
    let before = cover.pages.len();
    let mut entries: Vec<toc::Entry> = doc
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| toc::Entry {
            number: i + 1,
            title: s.title.clone(),
            page: 0,
        })
        .collect();
    // The contents' length depends on the titles only: lay them out with
    // placeholder pages to learn where the body starts.
    let mut contents = Flow::new(faces, geo);
    toc::contents(&mut contents, &entries);
    let offset = before + contents.pages.len();

    let mut flow = Flow::new(faces, geo);
    for (entry, section) in entries.iter_mut().zip(&doc.sections) {
        if !flow.at_top() {
            flow.gap(16.0);
        }
        entry.page = offset + section_body(&mut flow, entry.number, section) + 1;
    }
    let mut contents = Flow::new(faces, geo);
    toc::contents(&mut contents, &entries);

    let mut pages = cover.pages;
    pages.append(&mut contents.pages);
    pages.append(&mut flow.pages);
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate().skip(before) {
        toc::furniture(&flow, page, &doc.cover.product, &doc.date, i + 1, total);
    }
    (pages, entries)
}

/// Lays out one numbered section; returns the index (in `flow`) of the
/// page its heading landed on.
fn section_body(flow: &mut Flow<'_>, number: usize, section: &Section) -> usize {
    let h1 = Style::new(17.0, ink::ACCENT).bold();
    flow.heading(&format!("{number} {}", section.title), h1, 60.0, true);
    let start = flow.page_index();
    flow.gap(6.0);
    for block in &section.blocks {
        match block {
            Block::Heading(text) => {
                flow.gap(8.0);
                flow.heading(text, Style::new(12.5, ink::TEXT).bold(), 40.0, false);
                flow.gap(2.0);
            }
            Block::Paragraph(spans) => {
                flow.paragraph(spans, body(), 0.0);
                flow.gap(6.0);
            }
            Block::Bullets(items) => {
                flow.bullets(items, body());
                flow.gap(4.0);
            }
            Block::Table { columns, rows } => table::draw(flow, columns, rows),
            Block::Chart(chart) => chart::draw(flow, chart),
            Block::Note(text) => {
                let spans = [super::doc::Span::plain(text)];
                flow.paragraph(&spans, Style::new(9.0, ink::MUTED), 0.0);
                flow.gap(6.0);
            }
            Block::PageBreak => {
                if !flow.at_top() {
                    flow.new_page();
                }
            }
        }
    }
    start
}
