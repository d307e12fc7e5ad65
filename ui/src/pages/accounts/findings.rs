//! Handover gaps as a list: shared by the Accounts page (each row jumps to
//! its account or kind) and the Overview (each row leads to the Accounts page).

use handover_model::HandoverFinding;
use sycamore::prelude::*;

use crate::route::path;
use crate::{browser, labels};

/// Where a finding row leads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// To the project's Accounts page (from the Overview).
    AccountsPage,
    /// To the account or kind on this page.
    OnPage,
}

/// The findings in the core's order (most serious first); a short
/// sentence when there are none.
pub fn finding_list(project_id: i64, findings: Vec<HandoverFinding>, target: Target) -> View {
    if findings.is_empty() {
        return view! {
            p(class="open-list__empty", data-testid="handover-finding-none") {
                "No handover gaps: every required account has an owner and an alert contact is verified."
            }
        };
    }
    let rows = findings
        .into_iter()
        .map(|finding| finding_row(project_id, finding, target))
        .collect::<Vec<_>>();
    view! { ul(class="finding-list") { (rows) } }
}

/// The element id on the Accounts page a finding points at, if any.
pub fn anchor(finding: &HandoverFinding) -> Option<String> {
    finding
        .account_id
        .map(|id| format!("account-{id}"))
        .or_else(|| finding.kind.map(|k| format!("kind-{}", k.as_str())))
}

fn finding_row(project_id: i64, finding: HandoverFinding, target: Target) -> View {
    let level = labels::level_name(finding.level);
    let class = format!("finding finding--{level}");
    let chip_class = format!("chip chip--{level}");
    let action = match (target, anchor(&finding)) {
        (Target::AccountsPage, _) => {
            let href = path::accounts(project_id);
            view! { a(class="finding__action", href=href) { "Open accounts" } }
        }
        (Target::OnPage, Some(id)) => view! {
            button(
                r#type="button", class="button button--quiet finding__action",
                on:click=move |_| browser::focus(&id),
            ) { "Show" }
        },
        (Target::OnPage, None) => view! {},
    };
    let detail = (!finding.detail.is_empty()).then(|| {
        let detail = finding.detail.clone();
        view! { p(class="finding__detail") { (detail) } }
    });
    view! {
        li(class=class, data-testid="handover-finding", data-code=finding.code, data-level=level) {
            span(class=chip_class) { (labels::level_label(finding.level)) }
            div(class="finding__text") {
                p(class="finding__title") { (finding.title) }
                (detail)
            }
            (action)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use handover_model::{FindingLevel, ServiceKind};

    #[test]
    fn findings_point_at_their_account_else_their_kind() {
        let mut finding = HandoverFinding {
            code: "owner-missing".to_string(),
            level: FindingLevel::Blocker,
            title: String::new(),
            detail: String::new(),
            kind: Some(ServiceKind::ErrorTracking),
            account_id: Some(7),
        };
        assert_eq!(anchor(&finding).as_deref(), Some("account-7"));
        finding.account_id = None;
        assert_eq!(anchor(&finding).as_deref(), Some("kind-error_tracking"));
        finding.kind = None;
        assert_eq!(anchor(&finding), None);
    }
}
