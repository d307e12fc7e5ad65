//! One finding of a run: its severity (or "Could not check", in a colour of
//! its own, with the reason and a retry), what it is about, and in a fold
//! its detail, evidence, measurements and the checklist items it decides.

use handover_model::{Finding, Position, Severity};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::logic;
use super::Ctx;
use crate::route::path;
use crate::{browser, ipc};

/// A coloured chip naming a severity.
pub fn severity_chip(severity: Severity) -> View {
    let name = severity.as_str();
    let class = format!("chip sev-chip sev-chip--{name}");
    view! { span(class=class, data-severity=name) { (logic::severity_label(severity)) } }
}

/// The chip of what could not be checked: never grey "info", never green.
pub fn inconclusive_chip(text: String) -> View {
    view! { span(class="chip sev-chip sev-chip--inconclusive", data-outcome="inconclusive") { (text) } }
}

/// One finding as a row of the results. An inconclusive finding is
/// `li.finding.inconclusive`, with its reason in `.could-not-check` and a
/// `button.retry` outside the fold, so both are always in view.
pub fn finding_row(ctx: Ctx, finding: Finding) -> View {
    let severity = finding.severity.as_str();
    let reason = finding.outcome.reason().map(str::to_string);
    let (class, outcome, chip) = match &reason {
        Some(_) => (
            "check-finding check-finding--inconclusive finding inconclusive".to_string(),
            "inconclusive",
            inconclusive_chip("Could not check".to_string()),
        ),
        None => (
            format!("check-finding check-finding--{severity} finding"),
            "judged",
            severity_chip(finding.severity),
        ),
    };
    let could_not = reason
        .clone()
        .map(|reason| could_not_check(ctx, &finding, reason));
    // The reason is shown in view already; the detail only when it adds to it.
    let detail =
        (!finding.detail.is_empty() && reason.as_deref() != Some(&finding.detail)).then(|| {
            let detail = finding.detail.clone();
            view! { p(class="check-finding__detail") { (detail) } }
        });
    let body = body(ctx, &finding);
    let (check, target, title) = (finding.check, finding.target, finding.title);
    let (data_check, data_target, data_host) = (check.clone(), target.clone(), finding.host);
    let data_port = finding.port.map(|p| p.to_string());
    view! {
        li(
            class=class, data-testid="finding", data-check=data_check, data-severity=severity,
            data-outcome=outcome, data-target=data_target, data-host=data_host, data-port=data_port,
        ) {
            details {
                summary(class="check-finding__summary") {
                    (chip)
                    span(class="check-finding__check mono") { (check) }
                    span(class="check-finding__title") { (title) }
                    span(class="check-finding__target mono") { (target) }
                }
                div(class="check-finding__body") {
                    (detail)
                    (body)
                }
            }
            (could_not)
        }
    }
}

/// The reason a check could not judge, and a retry of just that check.
fn could_not_check(ctx: Ctx, finding: &Finding, reason: String) -> View {
    let retry = logic::can_retry(finding).then(|| {
        let check = finding.check.clone();
        let label = format!("Retry {check}");
        let data_check = check.clone();
        view! {
            button(
                r#type="button", class="button retry", data-testid="retry",
                data-check=data_check, aria-label=label, disabled=move || ctx.running(),
                on:click=move |_| ctx.retry(check.clone()),
            ) { "Retry" }
        }
    });
    view! {
        div(class="check-finding__inconclusive") {
            p(class="could-not-check", data-testid="could-not-check") { (reason) }
            (retry)
        }
    }
}

/// The fold: evidence, measurements and the items the finding decides.
fn body(ctx: Ctx, finding: &Finding) -> View {
    let evidence = (!finding.evidence.is_empty()).then(|| {
        let lines = finding.evidence.join("\n");
        view! {
            p(class="check-finding__label") { "Evidence" }
            pre(class="check-finding__evidence mono", data-testid="evidence") { (lines) }
        }
    });
    let measured = (!finding.measured.is_empty()).then(|| {
        let rows = finding
            .measured
            .iter()
            .map(|m| {
                let value = format!("{} {}", logic::number(m.value), m.unit)
                    .trim_end()
                    .to_string();
                let name = m.name.clone();
                view! { tr { th(class="mono") { (name) } td { (value) } } }
            })
            .collect::<Vec<_>>();
        view! { table(class="check-finding__measured", data-testid="measured") { tbody { (rows) } } }
    });
    let charts = finding
        .measured
        .iter()
        .filter_map(|m| super::chart::histogram(finding, m))
        .collect::<Vec<_>>();
    let links = item_links(ctx, &finding.check);
    view! {
        (evidence)
        (measured)
        (charts)
        (links)
    }
}

/// Links to the checklist items `check` decides; each opens the walkthrough on it.
fn item_links(ctx: Ctx, check: &str) -> View {
    let items = ctx
        .catalog
        .with_untracked(|c| logic::items_for_check(c, check));
    let links = items
        .into_iter()
        .map(|item| {
            let href = path::walk(ctx.project_id, &item.stage_id);
            let position = Position {
                project_id: ctx.project_id,
                stage_id: item.stage_id,
                item_id: item.item_id.clone(),
            };
            let go = {
                let href = href.clone();
                move |ev: web_sys::MouseEvent| {
                    ev.prevent_default();
                    let (position, href) = (position.clone(), href.clone());
                    spawn_local_scoped(async move {
                        // Open the walkthrough on this item; go anyway if that fails.
                        let _ = ipc::position_set(position).await;
                        browser::go(href);
                    });
                }
            };
            view! {
                li { a(href=href, data-testid="finding-item", data-item-id=item.item_id, on:click=go) { (item.title) } }
            }
        })
        .collect::<Vec<_>>();
    if links.is_empty() {
        view! { p(class="check-finding__none") { "No checklist item uses this check." } }
    } else {
        view! {
            p(class="check-finding__label") { "Decides" }
            ul(class="check-finding__items") { (links) }
        }
    }
}
