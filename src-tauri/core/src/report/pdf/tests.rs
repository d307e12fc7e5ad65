//! The PDF writer on a hand-built document: determinism, paper sizes,
//! metadata, size, and the layout's invariants.

use handover_model::Paper;

use super::{render, render_with_attachment, timestamp};
use crate::report::doc::{
    Align, Block, Cell, Chart, Column, Cover, Doc, Mark, Section, Series, Span,
};
use crate::report::ReportError;

/// A long URL that must break across lines.
pub(super) const LONG_URL: &str = "https://status.bücher.example/incidents/2026/04/very-long-incident-identifier-that-keeps-going-and-going/details?tab=timeline&filter=all";

/// The long note's vocabulary (accents included).
pub(super) const WORDS: [&str; 24] = [
    "launch",
    "owner",
    "rollback",
    "certificate",
    "latency",
    "deploy",
    "webhook",
    "alert",
    "domain",
    "resolver",
    "budget",
    "checklist",
    "evidence",
    "founder",
    "handover",
    "stability",
    "observability",
    "café",
    "naïve",
    "über",
    "status",
    "metric",
    "threshold",
    "renewal",
];

/// A note of `n` words drawn from [`WORDS`] (deterministically).
pub(super) fn long_note(n: usize) -> Vec<String> {
    let mut state: u32 = 12345;
    (0..n)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            WORDS[(state >> 16) as usize % WORDS.len()].to_string()
        })
        .collect()
}

/// Every block kind, ✓, →, an IDN, a long URL, a 30-row table, both charts.
pub(super) fn sample_doc() -> Doc {
    let rows: Vec<Vec<Cell>> = (1..=30)
        .map(|i| {
            let mark = [Mark::Bad, Mark::Warn, Mark::Good, Mark::Unknown, Mark::Neutral][i % 5];
            vec![
                Cell {
                    spans: vec![Span::plain(format!("check-{i:02}"))],
                    mark: Some(mark),
                },
                Cell {
                    spans: vec![
                        Span::plain(format!("Row {i}: the resolver answered for ")),
                        Span::code("api.bücher.example"),
                        Span::plain(if i % 7 == 0 {
                            " after a long and winding explanation that wraps over several lines of this narrow column"
                        } else {
                            ""
                        }),
                    ],
                    mark: None,
                },
                Cell::text(format!("{} ms", 100 + i * 17)),
            ]
        })
        .collect();
    let weeks: Vec<String> = (1..=12).map(|w| format!("2026-W{w:02}")).collect();
    let series = |name: &str, base: f64| Series {
        name: name.into(),
        points: weeks
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), base + (i as f64 * 37.0) % 400.0))
            .collect(),
    };
    Doc {
        title: "Handover — Opsbot".into(),
        author: "Handover test".into(),
        subject: "Launch readiness of bücher.example".into(),
        date: "2026-05-04".into(),
        cover: Cover {
            product: "Opsbot".into(),
            domain: "bücher.example".into(),
            verdict: "NO-GO".into(),
            go: false,
            counts: vec!["3 launch blockers open".into(), "12 checks passed ✓".into()],
            reasons: vec!["The certificate of api.bücher.example expires in 12 days".into()],
        },
        sections: vec![
            Section {
                id: "watch".into(),
                title: "What to watch this week".into(),
                blocks: vec![
                    Block::Paragraph(vec![
                        Span::strong("chat p95 "),
                        Span::plain("2.8 s against a 2.5 s target → up from 2.1 s. DMARC still "),
                        Span::code("p=none"),
                        Span::plain(". Passed: ✓. Café, naïve, Zürich."),
                    ]),
                    Block::Bullets(vec![
                        vec![
                            Span::plain("Renew the certificate of "),
                            Span::code("api.bücher.example"),
                        ],
                        vec![Span::plain("See "), Span::code(LONG_URL)],
                    ]),
                    Block::Heading("Details".into()),
                    Block::Note("No trend yet: one run only.".into()),
                ],
            },
            Section {
                id: "evidence".into(),
                title: "Live-check evidence".into(),
                blocks: vec![Block::Table {
                    columns: vec![
                        Column {
                            title: "Check".into(),
                            weight: 1.0,
                            align: Align::Left,
                        },
                        Column {
                            title: "Result".into(),
                            weight: 3.0,
                            align: Align::Left,
                        },
                        Column {
                            title: "Time".into(),
                            weight: 0.8,
                            align: Align::Right,
                        },
                    ],
                    rows,
                }],
            },
            Section {
                id: "charts".into(),
                title: "Charts".into(),
                blocks: vec![
                    Block::Chart(Chart::Lines {
                        title: "p95 per endpoint".into(),
                        unit: "ms".into(),
                        series: vec![series("chat p95", 2100.0), series("login p95", 400.0)],
                        target: Some(("target 2500 ms".into(), 2500.0)),
                    }),
                    Block::Chart(Chart::StackedBars {
                        title: "Findings by severity".into(),
                        labels: weeks.clone(),
                        parts: vec![
                            (
                                "blocker".into(),
                                Mark::Bad,
                                (0..12).map(|i| f64::from(i % 3)).collect(),
                            ),
                            (
                                "high".into(),
                                Mark::Warn,
                                (0..12).map(|i| f64::from(i % 4 + 1)).collect(),
                            ),
                            ("passed".into(), Mark::Good, vec![5.0; 12]),
                        ],
                    }),
                    Block::Chart(Chart::Lines {
                        title: "Empty chart".into(),
                        unit: "ms".into(),
                        series: vec![],
                        target: None,
                    }),
                ],
            },
            Section {
                id: "limits".into(),
                title: "Known limitations".into(),
                blocks: vec![
                    Block::Paragraph(vec![Span::plain("What Handover could not check.")]),
                    Block::PageBreak,
                    Block::Note(long_note(5000).join(" ")),
                ],
            },
        ],
    }
}

#[test]
fn two_renders_are_byte_identical() {
    let doc = sample_doc();
    let a = render(&doc, Paper::A4).unwrap();
    let b = render(&doc, Paper::A4).unwrap();
    assert!(a == b, "two renders of the same document differ");
    let mut later = doc.clone();
    later.date = "2026-05-11".into();
    assert_ne!(
        render(&later, Paper::A4).unwrap(),
        a,
        "the date must change the bytes"
    );
}

#[test]
fn the_sample_stays_small_and_renders_quickly() {
    let doc = sample_doc();
    let started = std::time::Instant::now();
    let bytes = render(&doc, Paper::A4).unwrap();
    let elapsed = started.elapsed();
    println!(
        "sample report: {} bytes, rendered in {elapsed:?}",
        bytes.len()
    );
    // To look at it: HANDOVER_SAMPLE_PDF=/tmp/sample.pdf cargo test … sample
    if let Some(path) = std::env::var_os("HANDOVER_SAMPLE_PDF") {
        std::fs::write(path, &bytes).unwrap();
    }
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        bytes.len() < 400 * 1024,
        "{} bytes is over 400 KB",
        bytes.len()
    );
}

#[test]
fn the_paper_sets_the_media_box() {
    let doc = sample_doc();
    let a4 = String::from_utf8_lossy(&render(&doc, Paper::A4).unwrap()).into_owned();
    let letter = String::from_utf8_lossy(&render(&doc, Paper::Letter).unwrap()).into_owned();
    let boxes = |pdf: &str| -> Vec<String> {
        regex::Regex::new(r"/MediaBox\s*\[([^\]]*)\]")
            .unwrap()
            .captures_iter(pdf)
            .map(|c| c[1].split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    let a4_boxes = boxes(&a4);
    assert!(!a4_boxes.is_empty());
    assert!(
        a4_boxes
            .iter()
            .all(|b| b.starts_with("0 0 595.27") && b.contains(" 841.8")),
        "{a4_boxes:?}"
    );
    let letter_boxes = boxes(&letter);
    assert!(
        letter_boxes.iter().all(|b| b == "0 0 612 792"),
        "{letter_boxes:?}"
    );
}

#[test]
fn fixed_id_and_timestamps_come_from_the_document() {
    let pdf = render(&sample_doc(), Paper::A4).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("D:20260504000000+00'00'"),
        "creation date from doc.date"
    );
    let id = regex::Regex::new(r"/ID\s*\[\s*\(([0-9a-f]{32})\)").unwrap();
    assert!(id.is_match(&text), "a 32-hex-digit document id");
    assert!(
        !text.contains("/Metadata"),
        "no XMP (it would carry a random instance id)"
    );
}

#[test]
fn a_bad_date_is_refused() {
    let mut doc = sample_doc();
    doc.date = "2026-13-01".into();
    assert!(matches!(render(&doc, Paper::A4), Err(ReportError::Date(_))));
    assert!(timestamp("2026-5-4").is_err());
    assert_eq!(timestamp("1970-01-02").unwrap(), 86_400);
}

#[test]
fn an_attachment_is_embedded_and_leaves_the_pages_alone() {
    let doc = sample_doc();
    let json = br#"{"schema":"handover.report/1","findings":[]}"#;
    let with = render_with_attachment(&doc, Paper::A4, "handover.json", json).unwrap();
    let again = render_with_attachment(&doc, Paper::A4, "handover.json", json).unwrap();
    assert_eq!(with, again);
    let text = String::from_utf8_lossy(&with);
    assert!(text.contains("/EmbeddedFiles"));
    assert!(text.contains("(handover.json)"));
}

#[test]
fn a_minimal_document_renders() {
    let doc = Doc {
        title: String::new(),
        author: String::new(),
        subject: String::new(),
        date: "2026-01-01".into(),
        cover: Cover {
            product: String::new(),
            domain: String::new(),
            verdict: "GO".into(),
            go: true,
            counts: vec![],
            reasons: vec![],
        },
        sections: vec![Section {
            id: "x".into(),
            title: "Empty".into(),
            blocks: vec![
                Block::Table {
                    columns: vec![],
                    rows: vec![],
                },
                Block::Paragraph(vec![]),
                Block::Bullets(vec![vec![]]),
                Block::Chart(Chart::StackedBars {
                    title: "none".into(),
                    labels: vec![],
                    parts: vec![],
                }),
            ],
        }],
    };
    let pdf = render(&doc, Paper::Letter).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}
