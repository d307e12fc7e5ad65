//! The Email panel: the mail checks of the shown run side by side, one row
//! per record (MX, SPF, DKIM, DMARC, MTA-STS and TLS-RPT, SMTP transport),
//! each with the core's findings for it. The verdicts are the core's; the
//! panel only puts them in one place.

use handover_model::{Finding, Severity};
use sycamore::prelude::*;

use super::finding::{inconclusive_chip, severity_chip};
use super::Ctx;

/// The mail checks in the order a person reads them, with their labels.
pub const EMAIL_CHECKS: [(&str, &str); 6] = [
    ("email.mx", "MX"),
    ("email.spf", "SPF"),
    ("email.dkim", "DKIM"),
    ("email.dmarc", "DMARC"),
    ("email.mta_sts", "MTA-STS · TLS-RPT"),
    ("email.transport", "SMTP · STARTTLS"),
];

/// One row: a record's label and its findings, worst first as the core
/// ranked them (passes and information last).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The check id.
    pub check: &'static str,
    /// What people call the record.
    pub label: &'static str,
    /// Its findings in the run, in the core's order.
    pub findings: Vec<Finding>,
}

/// The rows of `findings` that the mail checks made; empty when the run
/// has none (no sending domain), so the panel is not shown.
pub fn rows(findings: &[Finding]) -> Vec<Row> {
    let rows: Vec<Row> = EMAIL_CHECKS
        .iter()
        .map(|(check, label)| Row {
            check,
            label,
            findings: findings
                .iter()
                .filter(|f| f.check == *check)
                .cloned()
                .collect(),
        })
        .collect();
    if rows.iter().all(|r| r.findings.iter().all(not_applicable)) {
        return Vec::new();
    }
    rows
}

/// A finding that only says the check had nothing to look at.
fn not_applicable(f: &Finding) -> bool {
    f.outcome.cause() == Some(handover_model::Cause::NothingToCheck)
}

/// The panel, or nothing when the run has no mail findings.
pub fn email_panel(ctx: Ctx) -> View {
    let rows = ctx
        .run
        .with(|r| r.as_ref().map(|r| rows(&r.findings)).unwrap_or_default());
    if rows.is_empty() {
        return view! {};
    }
    let body = rows.into_iter().map(row).collect::<Vec<_>>();
    view! {
        section(class="panel email-panel", aria-labelledby="email-title", data-testid="email-panel") {
            h2(class="panel__title", id="email-title") { "Email" }
            p(class="panel__lede") {
                "Who may send as the domain, and how mail reaches it — read live from DNS and the mail hosts."
            }
            table(class="email-panel__table") {
                thead { tr { th { "Record" } th { "Result" } th { "What Handover found" } } }
                tbody { (body) }
            }
        }
    }
}

fn row(row: Row) -> View {
    let first = row.findings.first().cloned();
    let chip = match &first {
        None => view! { span(class="email-panel__none") { "not run" } },
        Some(f) if f.outcome.is_inconclusive() => inconclusive_chip("Could not check".into()),
        Some(f) => severity_chip(f.severity),
    };
    let lines = row
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Pass || row.findings.len() == 1)
        .map(|f| {
            let text = f
                .outcome
                .reason()
                .map_or_else(|| f.title.clone(), |r| format!("{}: {r}", f.title));
            view! { li { (text) } }
        })
        .collect::<Vec<_>>();
    let (check, label) = (row.check, row.label);
    view! {
        tr(data-testid="email-row", data-check=check) {
            th(scope="row") { (label) }
            td { (chip) }
            td { ul(class="email-panel__lines") { (lines) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use handover_model::{Cause, Outcome};

    fn f(check: &str, severity: Severity, title: &str) -> Finding {
        Finding {
            check: check.into(),
            target: "example.test".into(),
            host: "example.test".into(),
            port: None,
            severity,
            outcome: Outcome::Judged,
            title: title.into(),
            detail: String::new(),
            evidence: Vec::new(),
            measured: Vec::new(),
        }
    }

    #[test]
    fn rows_follow_the_reading_order_and_keep_the_cores_findings() {
        let findings = vec![
            f("email.dmarc", Severity::High, "DMARC policy is p=none"),
            f("tls.expiry", Severity::Pass, "ok"),
            f("email.spf", Severity::Medium, "SPF ends in ?all"),
        ];
        let rows = rows(&findings);
        let labels: Vec<&str> = rows.iter().map(|r| r.label).collect();
        assert_eq!(
            labels,
            [
                "MX",
                "SPF",
                "DKIM",
                "DMARC",
                "MTA-STS · TLS-RPT",
                "SMTP · STARTTLS"
            ]
        );
        assert_eq!(rows[1].findings[0].title, "SPF ends in ?all");
        assert!(rows[0].findings.is_empty());
    }

    #[test]
    fn a_run_without_a_sending_domain_has_no_panel() {
        let mut none = f("email.spf", Severity::Info, "n/a");
        none.outcome = Outcome::Inconclusive {
            cause: Cause::NothingToCheck,
            reason: "no sending domain".into(),
        };
        assert!(rows(&[none, f("dns.resolve", Severity::Pass, "ok")]).is_empty());
    }
}
