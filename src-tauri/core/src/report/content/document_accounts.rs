//! The document's accounts section: who owns what, where credentials are
//! kept (never their values), the ownership gaps and the alert contacts.

use super::data::ReportData;
use super::document::{col, marked, para, section, text};
use crate::report::doc::{Block, Cell, Mark, Section, Span};

pub(super) fn accounts(data: &ReportData) -> Section {
    let a = &data.accounts;
    let mut blocks = vec![Block::Note(format!(
        "No secret is part of this report: each credential is named by kind and label, and is {}.",
        super::KEPT
    ))];
    if a.accounts.is_empty() {
        blocks.push(para("No account is recorded yet."));
    } else {
        let rows = a
            .accounts
            .iter()
            .map(|acc| {
                let owner = match (acc.owner.trim(), acc.backup_owner.trim()) {
                    ("", _) => "nobody".to_string(),
                    (o, "") => o.to_string(),
                    (o, b) => format!("{o} (backup: {b})"),
                };
                let credentials: Vec<String> = acc
                    .credentials
                    .iter()
                    .map(|c| format!("{} “{}”: {}", c.kind, c.label, c.kept))
                    .collect();
                let dates = format!(
                    "verified {} · rotated {}",
                    or_never(&acc.last_verified),
                    or_never(&acc.last_rotated)
                );
                vec![
                    Cell::text(acc.kind_label.clone()),
                    text(&acc.provider),
                    if acc.owner.trim().is_empty() {
                        marked(Mark::Bad, owner)
                    } else {
                        Cell::text(owner)
                    },
                    text(&acc.two_factor),
                    text(&acc.recovery_codes_at),
                    Cell::text(dates),
                    text(&credentials.join("\n")),
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                col("Kind", 1.6),
                col("Provider", 1.4),
                col("Owner", 1.8),
                col("2FA", 1.2),
                col("Recovery codes", 1.4),
                col("Access", 1.8),
                col("Credentials", 2.6),
            ],
            rows,
        });
    }
    if !a.gaps.is_empty() {
        blocks.push(Block::Heading("Ownership gaps".into()));
        blocks.push(Block::Bullets(
            a.gaps
                .iter()
                .map(|g| {
                    let label = handover_model::ServiceKind::parse(&g.kind)
                        .map_or(g.kind.as_str(), |k| k.label());
                    vec![Span::strong(label), Span::plain(format!(": {}", g.gap))]
                })
                .collect(),
        ));
    }
    blocks.push(Block::Heading("Alert contacts".into()));
    if a.contacts.is_empty() {
        blocks.push(para(
            "No alert contact is recorded: nobody is known to get alerts.",
        ));
    } else {
        let rows = a
            .contacts
            .iter()
            .map(|c| {
                vec![
                    Cell::text(c.name.clone()),
                    text(&c.role),
                    text(&c.email),
                    text(&c.channels.join(", ")),
                    if c.verified.is_empty() {
                        marked(Mark::Warn, "never")
                    } else {
                        marked(Mark::Good, format!("✓ {}", c.verified))
                    },
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                col("Name", 1.5),
                col("Role", 1.5),
                col("Email", 2.0),
                col("Channels", 2.0),
                col("Verified", 1.2),
            ],
            rows,
        });
    }
    section("accounts", "Accounts, ownership and alert contacts", blocks)
}

fn or_never(date: &str) -> &str {
    if date.trim().is_empty() {
        "never"
    } else {
        date
    }
}
