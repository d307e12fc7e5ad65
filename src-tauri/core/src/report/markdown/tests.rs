use super::*;
use crate::report::content::{document, fixture::bed, gather};
use crate::report::doc::{Column, Cover, Series};

fn rendered() -> String {
    let bed = bed();
    render(&document(&gather(&bed.input()).unwrap()))
}

#[test]
fn headings_are_numbered_in_order_with_the_appendix_last() {
    let md = rendered();
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Contents",
            "## 1 What to watch this week",
            "## 2 Launch blockers, ranked",
            "## 3 The checklist by stage",
            "## 4 Accounts, ownership and alert contacts",
            "## 5 Live-check evidence by host",
            "## 6 Charts",
            "## 7 Rollback and deployment notes",
            "## 8 Known limitations",
            "## 9 Next steps",
            "## Appendix: more to watch",
        ]
    );
    assert!(md.starts_with(
        "# Handover — Opsbot\n\n> **NO-GO** · Opsbot · `bücher.example` · 2026-12-02\n"
    ));
}

#[test]
fn the_contents_link_to_githubs_anchors() {
    let md = rendered();
    for line in [
        "- [1 What to watch this week](#1-what-to-watch-this-week)",
        "- [4 Accounts, ownership and alert contacts](#4-accounts-ownership-and-alert-contacts)",
        "- [5 Live-check evidence by host](#5-live-check-evidence-by-host)",
        "- [Appendix: more to watch](#appendix-more-to-watch)",
    ] {
        assert!(md.lines().any(|l| l == line), "missing {line:?}");
    }
    let mut slugs = Slugs::default();
    assert_eq!(slugs.take("Bücher — Straße, 2"), "bücher--straße-2");
    assert_eq!(slugs.take("Bücher — Straße, 2"), "bücher--straße-2-1");
}

#[test]
fn the_watch_table_shows_ten_rows_with_values() {
    let md = rendered();
    let start = md.find("## 1 What to watch this week").unwrap();
    let end = md.find("## 2 Launch blockers").unwrap();
    let section = &md[start..end];
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(rows.len(), 12, "header, rule and ten rows");
    assert_eq!(
        rows[0],
        "| Item | Current | Threshold | Trend | Owner | Due | Next action |"
    );
    assert!(section.contains(
        "| 🟠 The certificate of api.bücher.example expires in 12 days (2026-12-14) | 12 days | renew before 4 days left | worse (was 19 days on 2026-11-24) | Dana | 2026-12-10 |"
    ));
    assert!(section.contains("*3 more in the appendix.*"));
    assert!(md.contains("✓ Pass"));
}

#[test]
fn charts_become_a_sentence_and_a_table() {
    let md = rendered();
    assert!(md.contains("*Chart: chat p95 per run, in ms; target 2500 ms.*"));
    assert!(md.contains("| Run | chat p95 | trend | target |"));
    assert!(md.contains("| 2026-12-01 | 2800 |"));
    assert!(md.contains("*Chart: Findings by severity per run.*"));
    assert!(md.contains("| Run | blocker | high | medium | low | could not check |"));
}

fn doc_with(blocks: Vec<Block>) -> Doc {
    Doc {
        title: "Handover — A|B".into(),
        author: String::new(),
        subject: String::new(),
        date: "2026-12-02".into(),
        cover: Cover {
            product: "A|B".into(),
            domain: "bücher.example".into(),
            verdict: "GO".into(),
            go: true,
            counts: Vec::new(),
            reasons: Vec::new(),
        },
        sections: vec![Section {
            id: "watch".into(),
            title: "What to watch this week".into(),
            blocks,
        }],
    }
}

#[test]
fn table_cells_escape_pipes_and_line_breaks() {
    let column = |t: &str| Column {
        title: t.into(),
        weight: 1.0,
        align: Align::Left,
    };
    let md = render(&doc_with(vec![
        Block::Table {
            columns: vec![column("a|b"), column("Evidence")],
            rows: vec![vec![
                Cell::text("x | y\nz"),
                Cell {
                    spans: vec![
                        Span::code("GET /a|b"),
                        Span::plain("\n"),
                        Span::code("`tick`"),
                    ],
                    mark: Some(Mark::Unknown),
                },
            ]],
        },
        Block::Paragraph(vec![Span::plain("1. not a list *or* _emphasis_")]),
        Block::Note("see <the> appendix".into()),
        Block::Chart(Chart::Lines {
            title: "p95".into(),
            unit: "ms".into(),
            series: vec![Series {
                name: "chat".into(),
                points: vec![("w1".into(), 1.5), ("w2".into(), 2.0)],
            }],
            target: None,
        }),
    ]));
    assert!(md.contains("| a\\|b | Evidence |"), "{md}");
    assert!(
        md.contains("| x \\| y<br>z | ⚪ `GET /a\\|b`<br>`` `tick` `` |"),
        "{md}"
    );
    assert!(
        md.contains("\n1\\. not a list \\*or\\* \\_emphasis\\_\n"),
        "{md}"
    );
    assert!(md.contains("*see \\<the\\> appendix*"), "{md}");
    assert!(md.contains("| w1 | 1.5 |\n| w2 | 2 |"), "{md}");
    assert!(!md.ends_with('\n') || !md.ends_with("\n\n"));
}
