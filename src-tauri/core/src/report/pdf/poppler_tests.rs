//! The PDF read back with poppler-utils (`pdftotext`, `pdftoppm`,
//! `pdfinfo`, `pdfdetach`): what a reader sees, not what we meant to write.
//! A missing tool fails the test with the fix (set-up installs them).

use std::path::{Path, PathBuf};
use std::process::Command;

use handover_model::Paper;

use super::layout::Geometry;
use super::tests::{long_note, sample_doc, LONG_URL};
use super::{render, render_with_attachment};

/// Runs a poppler tool, failing loudly if it is not installed.
fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} could not run ({e}): install poppler-utils (`cargo xtask setup` does)")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler writes UTF-8")
}

struct Written {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Written {
    fn path(&self) -> &str {
        self.path.to_str().expect("a UTF-8 temp path")
    }
}

fn write(bytes: &[u8]) -> Written {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("handover.pdf");
    std::fs::write(&path, bytes).unwrap();
    Written { _dir: dir, path }
}

fn pages(pdf: &Written) -> usize {
    let info = run("pdfinfo", &[pdf.path()]);
    let line = info
        .lines()
        .find(|l| l.starts_with("Pages:"))
        .expect("a page count");
    line["Pages:".len()..].trim().parse().unwrap()
}

#[test]
fn headings_and_key_values_extract_as_text() {
    let pdf = write(&render(&sample_doc(), Paper::A4).unwrap());
    let raw = run("pdftotext", &["-enc", "UTF-8", pdf.path(), "-"]);
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Handover — Opsbot",
        "NO-GO",
        "Contents",
        "1 What to watch this week",
        "2 Live-check evidence",
        "3 Charts",
        "4 Known limitations",
        "bücher.example",
        "api.bücher.example",
        "12 checks passed ✓",
        "2.5 s target → up from 2.1 s",
        "Café, naïve, Zürich",
        "p=none",
        "check-30",
        "p95 per endpoint",
        "target 2500 ms",
        "Findings by severity",
        "Empty chart: no data yet.",
        "Handover report",
        "2026-05-04",
    ] {
        assert!(
            text.contains(needle),
            "{needle:?} is not in the PDF's text:\n{text}"
        );
    }
    let total = pages(&pdf);
    assert!(text.contains(&format!("page 2 of {total}")));
    assert!(text.contains(&format!("page {total} of {total}")));
    assert!(!text.contains("page 1 of"), "the cover has no footer");
    let squeezed: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        squeezed.contains(LONG_URL),
        "the long URL is broken but complete:\n{raw}"
    );
}

#[test]
fn the_contents_point_at_the_sections_pages() {
    let pdf = write(&render(&sample_doc(), Paper::A4).unwrap());
    let contents = run(
        "pdftotext",
        &["-f", "2", "-l", "2", "-layout", pdf.path(), "-"],
    );
    for (n, title) in [(1, "What to watch this week"), (4, "Known limitations")] {
        let line = contents
            .lines()
            .find(|l| l.contains(title))
            .unwrap_or_else(|| panic!("{title} is not in the contents:\n{contents}"));
        let page: usize = line.split_whitespace().last().unwrap().parse().unwrap();
        let p = page.to_string();
        let there = run("pdftotext", &["-f", &p, "-l", &p, pdf.path(), "-"]);
        assert!(
            there.contains(&format!("{n} {title}")),
            "{title} is not on page {page}"
        );
    }
}

#[test]
fn the_table_header_repeats_on_every_page_it_continues_on() {
    let pdf = write(&render(&sample_doc(), Paper::A4).unwrap());
    let mut table_pages = 0;
    for p in 1..=pages(&pdf) {
        let p = p.to_string();
        let text = run("pdftotext", &["-f", &p, "-l", &p, pdf.path(), "-"]);
        if text.contains("check-") {
            table_pages += 1;
            assert!(text.contains("Result"), "page {p} has rows but no header");
        }
    }
    assert!(table_pages >= 2, "the 30-row table should span pages");
}

#[test]
fn metadata_and_paper_sizes_read_back() {
    for (paper, size) in [
        (Paper::A4, "595.276 x 841.89"),
        (Paper::Letter, "612 x 792"),
    ] {
        let pdf = write(&render(&sample_doc(), paper).unwrap());
        let info = run("pdfinfo", &["-enc", "UTF-8", pdf.path()]);
        let field = |name: &str| {
            info.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
                .map(str::trim)
                .unwrap_or_else(|| panic!("no {name} in {info}"))
                .to_string()
        };
        assert!(
            field("Page size").starts_with(&format!("{size} pts")),
            "{info}"
        );
        assert_eq!(field("Title"), "Handover — Opsbot");
        assert_eq!(field("Author"), "Handover test");
        assert_eq!(field("Subject"), "Launch readiness of bücher.example");
    }
}

/// The dark pixels of a binary PGM (`P5`).
fn dark_pixels(path: &Path) -> usize {
    let data = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while data[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !data[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5", "pdftoppm -gray writes binary PGM");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = &data[at + 1..];
    assert_eq!(pixels.len(), w * h);
    pixels.iter().filter(|&&v| v < 200).count()
}

#[test]
fn every_page_renders_to_a_non_blank_image() {
    let pdf = write(&render(&sample_doc(), Paper::Letter).unwrap());
    let dir = pdf.path.parent().unwrap();
    let prefix = dir.join("page");
    run(
        "pdftoppm",
        &["-r", "30", "-gray", pdf.path(), prefix.to_str().unwrap()],
    );
    let mut images: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pgm"))
        .collect();
    images.sort();
    assert_eq!(images.len(), pages(&pdf));
    for image in &images {
        let dark = dark_pixels(image);
        assert!(
            dark > 40,
            "{} is (nearly) blank: {dark} dark pixels",
            image.display()
        );
    }
}

/// A word read back: its page (0-based), box (xMin, yMin, xMax, yMax) and text.
type WordBox = (usize, [f32; 4], String);

/// Page sizes and words of `pdftotext -bbox`.
fn word_boxes(html: &str) -> (Vec<(f32, f32)>, Vec<WordBox>) {
    let page = regex::Regex::new(r#"<page width="([\d.]+)" height="([\d.]+)">"#).unwrap();
    let word = regex::Regex::new(
        r#"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>"#,
    )
    .unwrap();
    let mut sizes = Vec::new();
    let mut words = Vec::new();
    for chunk in html.split("<page ").skip(1) {
        let chunk = format!("<page {chunk}");
        let c = page.captures(&chunk).expect("a page size");
        sizes.push((c[1].parse().unwrap(), c[2].parse().unwrap()));
        for w in word.captures_iter(&chunk) {
            let b = [1, 2, 3, 4].map(|i| w[i].parse::<f32>().unwrap());
            words.push((sizes.len() - 1, b, w[5].to_string()));
        }
    }
    (sizes, words)
}

#[test]
fn a_five_thousand_word_note_wraps_and_paginates_inside_the_page_box() {
    let doc = sample_doc();
    let geo = Geometry::of(Paper::A4);
    let pdf = write(&render(&doc, Paper::A4).unwrap());
    let out = pdf.path.with_extension("html");
    run(
        "pdftotext",
        &["-bbox", "-enc", "UTF-8", pdf.path(), out.to_str().unwrap()],
    );
    let (sizes, words) = word_boxes(&std::fs::read_to_string(&out).unwrap());
    let eps = 0.75;
    let mut note = Vec::new();
    // The note follows a page break after section 4's heading.
    let mut heading_page = None;
    for (page, [x0, y0, x1, y1], text) in &words {
        let (w, h) = sizes[*page];
        assert!((w - geo.width).abs() < 0.01 && (h - geo.height).abs() < 0.01);
        assert!(
            *x0 >= geo.left - eps && *x1 <= geo.right + eps,
            "{text:?} on page {} runs past the side margins: {x0}..{x1}",
            page + 1
        );
        let header = *y1 <= geo.top + eps;
        let footer = *y0 >= geo.bottom - eps;
        let content = *y0 >= geo.top - eps && *y1 <= geo.bottom + eps;
        assert!(
            header || footer || content,
            "{text:?} on page {} straddles a margin: {y0}..{y1}",
            page + 1
        );
        assert!(
            *y0 >= 8.0 && *y1 <= h - 8.0,
            "{text:?} is at the page's edge"
        );
        if content {
            if heading_page.is_some_and(|h| *page > h) {
                note.push((*page, text.clone()));
            }
            if *page >= 2 && text == "limitations" {
                heading_page.get_or_insert(*page);
            }
        }
    }
    let expected = long_note(5000);
    let got: Vec<&str> = note.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        got.len(),
        expected.len(),
        "every word of the note is on a page"
    );
    assert!(got == expected, "the note's words come out in order");
    let note_pages = note.last().unwrap().0 - note.first().unwrap().0 + 1;
    assert!(
        note_pages >= 4,
        "5,000 words take several pages, not {note_pages}"
    );
}

#[test]
fn the_attachment_can_be_detached() {
    let json = br#"{"schema":"handover.report/1"}"#;
    let pdf =
        write(&render_with_attachment(&sample_doc(), Paper::A4, "handover.json", json).unwrap());
    let list = run("pdfdetach", &["-list", pdf.path()]);
    assert!(list.contains("handover.json"), "{list}");
    let out = pdf.path.with_file_name("detached.json");
    run(
        "pdfdetach",
        &["-save", "1", "-o", out.to_str().unwrap(), pdf.path()],
    );
    assert_eq!(std::fs::read(&out).unwrap(), json);
}
