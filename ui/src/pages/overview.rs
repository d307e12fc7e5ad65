//! A project's Overview: the go/no-go verdict with the core's reasons,
//! progress per stage, the open items ranked with blockers first (marked
//! where the last run could not check them), and the handover gaps.

use handover_model::{OpenItem, Overview as OverviewData, Position, Risk, StageProgress};
use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::components::{demo_badge, error_alert, loading, risk_chip, status_icon, title_header};
use crate::pages::accounts::findings::{finding_list, Target};
use crate::route::path;
use crate::{browser, format, ipc, labels};

/// The Overview page of project `id`.
#[component(inline_props)]
pub fn Overview(id: i64) -> View {
    view! {
        Suspense(fallback=|| loading("Loading the overview…")) {
            OverviewBody(id=id)
        }
    }
}

#[component(inline_props)]
async fn OverviewBody(id: i64) -> View {
    let overview = match ipc::overview_get(id).await {
        Ok(overview) => overview,
        Err(err) => {
            return view! {
                h1(class="page-header__title", id="page-title") { "Overview" }
                (error_alert("This project could not be loaded", &err))
                p { a(href="/") { "Back to all projects" } }
            }
        }
    };
    let (apex, demo) = match ipc::project_get(id).await {
        Ok(project) => (project.spec.apex, project.demo),
        Err(_) => (String::new(), false),
    };
    render(overview, apex, demo)
}

/// Where "Continue walkthrough" leads: the saved stage, else the first one.
pub fn continue_path(overview: &OverviewData) -> String {
    let stage = overview
        .position
        .as_ref()
        .filter(|p| p.project_id == overview.project_id)
        .map(|p| p.stage_id.clone())
        .or_else(|| overview.stages.first().map(|s| s.stage_id.clone()));
    match stage {
        Some(stage) => path::walk(overview.project_id, &stage),
        None => path::walk_start(overview.project_id),
    }
}

/// Open items that are not blockers, in the backend's ranking.
pub fn other_open(overview: &OverviewData) -> Vec<OpenItem> {
    overview
        .open
        .iter()
        .filter(|item| item.risk != Risk::Blocker)
        .filter(|item| !overview.blockers.iter().any(|b| b.item_id == item.item_id))
        .cloned()
        .collect()
}

fn render(overview: OverviewData, apex: String, demo: bool) -> View {
    let id = overview.project_id;
    // The demo project can be removed from here; its failure shows under the header.
    let (remove_demo, remove_failure) = if demo {
        super::demo::remove_demo()
    } else {
        (view! {}, view! {})
    };
    let actions = {
        let continue_href = continue_path(&overview);
        let edit_href = path::edit(id);
        let accounts_href = path::accounts(id);
        let checks_href = path::checks(id);
        view! {
            a(class="button button--primary", href=continue_href, data-testid="continue") {
                "Continue walkthrough"
            }
            a(class="button", href=checks_href, data-testid="open-checks") { "Live checks" }
            a(class="button", href=accounts_href, data-testid="open-accounts") { "Accounts & access" }
            a(class="button", href=edit_href, data-testid="edit-project") { "Edit project" }
            (remove_demo)
        }
    };
    let verdict = verdict_banner(&overview);
    let stages = overview
        .stages
        .iter()
        .map(|stage| stage_row(id, stage))
        .collect::<Vec<_>>();
    let blockers = open_list(&overview, &overview.blockers, "blocker");
    let others = other_open(&overview);
    let others_count = format::count(others.len() as u32, "item", "items");
    let others = open_list(&overview, &others, "open-item");
    let gap_blockers = overview
        .handover
        .iter()
        .filter(|f| f.level == handover_model::FindingLevel::Blocker)
        .count() as u32;
    let gaps_lede = if gap_blockers == 0 {
        "Who owns each account, who gets the alerts, and credentials due for rotation.".to_string()
    } else {
        format!(
            "{} in account ownership: launch waits for these as for checklist blockers.",
            format::count(gap_blockers, "blocker", "blockers")
        )
    };
    let gaps = finding_list(id, overview.handover.clone(), Target::AccountsPage);
    let gaps_href = path::accounts(id);
    let header = title_header(overview.name.clone(), demo_badge(demo), apex, actions);
    view! {
        (header)
        (remove_failure)
        (verdict)
        section(class="panel", aria-labelledby="stages-title") {
            h2(class="panel__title", id="stages-title") { "Progress by stage" }
            ol(class="stage-progress-list") { (stages) }
        }
        section(class="panel", aria-labelledby="blockers-title") {
            h2(class="panel__title", id="blockers-title") { "Open blockers" }
            p(class="panel__lede") { "These decide the verdict: launch waits until each one passes, is waived with a reason, or does not apply." }
            (blockers)
        }
        section(class="panel", aria-labelledby="gaps-title", data-testid="handover-gaps") {
            h2(class="panel__title", id="gaps-title") { "Handover gaps" }
            p(class="panel__lede") { (gaps_lede) " " a(href=gaps_href) { "Open accounts & access" } }
            (gaps)
        }
        section(class="panel", aria-labelledby="open-title") {
            h2(class="panel__title", id="open-title") { "Other open items" }
            p(class="panel__lede") { "Ranked by risk, then stage; failures before to-dos. " (others_count) "." }
            (others)
        }
    }
}

fn verdict_banner(overview: &OverviewData) -> View {
    let wire = labels::verdict_wire(overview.verdict);
    let class = format!("verdict verdict--{wire}");
    let word = labels::verdict_label(overview.verdict);
    // The core says why it is no-go (the reasons below); a go needs no list.
    let sentence = if overview.reasons.is_empty() {
        "No open blockers".to_string()
    } else {
        String::new()
    };
    let decided = format::decided(overview.done, overview.total);
    let reasons = verdict_reasons(&overview.reasons);
    view! {
        section(class=class, data-testid="verdict", data-verdict=wire, aria-label="Launch verdict") {
            span(class="verdict__word") { (word) }
            span(class="verdict__text") {
                span(class="verdict__sentence") { (sentence) }
                span(class="verdict__decided") { (decided) }
                (reasons)
            }
        }
    }
}

/// Why the verdict is what it is, as the core says it, most important first.
fn verdict_reasons(reasons: &[String]) -> View {
    if reasons.is_empty() {
        return view! {};
    }
    let rows = reasons
        .iter()
        .map(|reason| {
            let reason = reason.clone();
            view! { li { (reason) } }
        })
        .collect::<Vec<_>>();
    view! {
        ul(class="verdict-reasons", data-testid="verdict-reasons", aria-label="Why") { (rows) }
    }
}

fn stage_row(project_id: i64, stage: &StageProgress) -> View {
    let href = path::walk(project_id, &stage.stage_id);
    let stage_id = stage.stage_id.clone();
    let number = stage.number.to_string();
    let title = stage.title.clone();
    let ratio = format!("{}/{}", stage.done, stage.total);
    let (value, max) = (stage.done.to_string(), stage.total.max(1).to_string());
    let label = format!(
        "Stage {}: {} decided of {}",
        stage.number, stage.done, stage.total
    );
    let failed = (stage.failed > 0).then(|| format::count(stage.failed, "failed", "failed"));
    let blockers = (stage.open_blockers > 0)
        .then(|| format::count(stage.open_blockers, "blocker", "blockers"));
    let could_not =
        (stage.inconclusive > 0).then(|| format!("{} could not check", stage.inconclusive));
    let complete = stage.total > 0 && stage.done == stage.total;
    let class = if complete {
        "stage-progress stage-progress--complete"
    } else {
        "stage-progress"
    };
    view! {
        li(class=class, data-testid="stage-progress", data-stage-id=stage_id) {
            a(class="stage-progress__link", href=href) {
                span(class="stage-progress__number", aria-hidden="true") { (number) }
                span(class="stage-progress__title") { (title) }
                progress(class="progress", value=value, max=max, aria-label=label)
                span(class="stage-progress__ratio") { (ratio) }
                span(class="stage-progress__flags") {
                    (failed.clone().map(|f| view! { span(class="flag flag--fail") { (f) } }))
                    (blockers.clone().map(|b| view! { span(class="flag flag--blocker") { (b) } }))
                    (could_not.clone().map(|c| view! { span(class="flag flag--inconclusive") { (c) } }))
                }
            }
        }
    }
}

fn open_list(overview: &OverviewData, items: &[OpenItem], testid: &'static str) -> View {
    if items.is_empty() {
        let text = if testid == "blocker" {
            "No blocker is open."
        } else {
            "Nothing else is open."
        };
        return view! { p(class="open-list__empty", data-testid=format!("{testid}-none")) { (text) } };
    }
    let rows = items
        .iter()
        .map(|item| {
            let stage_title = overview
                .stages
                .iter()
                .find(|s| s.stage_id == item.stage_id)
                .map_or_else(String::new, |s| s.title.clone());
            open_row(overview.project_id, item, stage_title, testid)
        })
        .collect::<Vec<_>>();
    view! { ol(class="open-list") { (rows) } }
}

fn open_row(project_id: i64, item: &OpenItem, stage_title: String, testid: &'static str) -> View {
    let href = path::walk(project_id, &item.stage_id);
    let position = Position {
        project_id,
        stage_id: item.stage_id.clone(),
        item_id: item.item_id.clone(),
    };
    let go = {
        let href = href.clone();
        move |ev: web_sys::MouseEvent| {
            ev.prevent_default();
            let position = position.clone();
            let href = href.clone();
            sycamore::futures::spawn_local_scoped(async move {
                // Remember the item so the walkthrough opens on it; go anyway if that fails.
                let _ = ipc::position_set(position).await;
                browser::go(href);
            });
        }
    };
    let item_id = item.item_id.clone();
    let title = item.title.clone();
    let stage = format!("Stage {} · {}", item.stage_number, stage_title);
    let owner = if item.owner.is_empty() {
        "No owner".to_string()
    } else {
        format!("Owner: {}", item.owner)
    };
    let status = item.status.as_str();
    let risk = risk_chip(item.risk);
    let icon = status_icon(item.status);
    let could_not = item.could_not_check.trim();
    let flagged = if could_not.is_empty() {
        "false"
    } else {
        "true"
    };
    let could_not = (!could_not.is_empty()).then(|| {
        let note = format::capitalized(could_not);
        view! { span(class="open-row__note could-not-check", data-testid="could-not-check") { (note) } }
    });
    view! {
        li(
            class="open-row", data-testid=testid, data-item-id=item_id, data-status=status,
            data-could-not-check=flagged,
        ) {
            a(class="open-row__link", href=href, on:click=go) {
                (risk)
                span(class="open-row__title") { (title) }
                span(class="open-row__meta") {
                    (icon)
                    span { (stage) }
                    span { (owner) }
                }
                (could_not)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use handover_model::{ItemStatus, Verdict};

    fn item(id: &str, risk: Risk) -> OpenItem {
        OpenItem {
            item_id: id.to_string(),
            title: id.to_string(),
            stage_id: "quick-audit".to_string(),
            stage_number: 1,
            risk,
            status: ItemStatus::Todo,
            owner: String::new(),
            could_not_check: String::new(),
        }
    }

    fn overview() -> OverviewData {
        OverviewData {
            project_id: 4,
            name: "Acme".to_string(),
            verdict: Verdict::NoGo,
            reasons: vec!["1 blocker is still to do".to_string()],
            inconclusive_blockers: 0,
            blockers: vec![item("b1", Risk::Blocker)],
            open: vec![
                item("b1", Risk::Blocker),
                item("h1", Risk::High),
                item("l1", Risk::Low),
            ],
            stages: vec![StageProgress {
                stage_id: "quick-audit".to_string(),
                number: 1,
                title: "Quick audit".to_string(),
                total: 3,
                done: 0,
                failed: 0,
                open_blockers: 1,
                inconclusive: 0,
            }],
            done: 0,
            total: 3,
            position: None,
            handover: Vec::new(),
        }
    }

    #[test]
    fn other_open_leaves_out_blockers_and_keeps_order() {
        let ids: Vec<_> = other_open(&overview())
            .into_iter()
            .map(|i| i.item_id)
            .collect();
        assert_eq!(ids, ["h1", "l1"]);
    }

    #[test]
    fn continue_goes_to_the_saved_stage_or_the_first() {
        let mut data = overview();
        assert_eq!(continue_path(&data), "/projects/4/walk/quick-audit");
        data.position = Some(Position {
            project_id: 4,
            stage_id: "observability".to_string(),
            item_id: "x".to_string(),
        });
        assert_eq!(continue_path(&data), "/projects/4/walk/observability");
        data.position.as_mut().unwrap().project_id = 9;
        assert_eq!(continue_path(&data), "/projects/4/walk/quick-audit");
    }
}
