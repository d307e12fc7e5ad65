//! Go or no-go: which open items block launch, ranked, and how far each
//! stage has come.
//!
//! An item is *open* while it is to do or failed; pass, waived (with a
//! reason) and not applicable close it. The verdict is **go** exactly when no
//! open item has risk `blocker`. Open items are ranked by risk, then stage,
//! then failures before to-dos, then catalog order.

use std::collections::HashMap;

use handover_model::{
    Catalog, HandoverFinding, ItemState, ItemStatus, OpenItem, Overview, Position, Project,
    ProjectSummary, Risk, StageProgress, Verdict,
};

mod handover;

pub use handover::{days_from_civil, handover_findings, kind_groups, ROTATION_DAYS};

/// Builds the Overview of a project from the catalog, its stored item
/// states and its handover findings (see [`handover_findings`]).
pub fn overview(
    catalog: &Catalog,
    project: &Project,
    states: &[ItemState],
    position: Option<Position>,
    handover: Vec<HandoverFinding>,
) -> Overview {
    let by_id: HashMap<&str, &ItemState> = states.iter().map(|s| (s.item_id.as_str(), s)).collect();
    let status_of = |id: &str| by_id.get(id).map_or(ItemStatus::Todo, |s| s.status);
    // Only an open item's note counts: a waived item stays waived.
    let could_not_check = |id: &str| {
        by_id
            .get(id)
            .filter(|s| s.status.is_open())
            .map(|s| s.could_not_check.clone())
            .unwrap_or_default()
    };

    let stage_number: HashMap<&str, u8> = catalog
        .stages
        .iter()
        .map(|s| (s.id.as_str(), s.number))
        .collect();

    let mut open: Vec<(usize, OpenItem)> = Vec::new();
    for (order, item) in catalog.items.iter().enumerate() {
        let status = status_of(&item.id);
        if !status.is_open() {
            continue;
        }
        open.push((
            order,
            OpenItem {
                item_id: item.id.clone(),
                title: item.title.clone(),
                stage_id: item.stage.clone(),
                stage_number: stage_number.get(item.stage.as_str()).copied().unwrap_or(0),
                risk: item.risk,
                status,
                owner: by_id
                    .get(item.id.as_str())
                    .map(|s| s.owner.clone())
                    .unwrap_or_default(),
                could_not_check: could_not_check(item.id.as_str()),
            },
        ));
    }
    open.sort_by_key(|(order, item)| {
        (
            item.risk,
            item.stage_number,
            item.status != ItemStatus::Fail,
            *order,
        )
    });
    let open: Vec<OpenItem> = open.into_iter().map(|(_, item)| item).collect();
    let blockers: Vec<OpenItem> = open
        .iter()
        .filter(|item| item.risk == Risk::Blocker)
        .cloned()
        .collect();

    let stages = catalog
        .stages
        .iter()
        .map(|stage| {
            let mut progress = StageProgress {
                stage_id: stage.id.clone(),
                number: stage.number,
                title: stage.title.clone(),
                total: 0,
                done: 0,
                failed: 0,
                open_blockers: 0,
                inconclusive: 0,
            };
            for item in catalog.items.iter().filter(|i| i.stage == stage.id) {
                let status = status_of(&item.id);
                progress.total += 1;
                if !status.is_open() {
                    progress.done += 1;
                }
                if status == ItemStatus::Fail {
                    progress.failed += 1;
                }
                if status.is_open() && item.risk == Risk::Blocker {
                    progress.open_blockers += 1;
                }
                if !could_not_check(&item.id).is_empty() {
                    progress.inconclusive += 1;
                }
            }
            progress
        })
        .collect::<Vec<_>>();

    let inconclusive_blockers = blockers
        .iter()
        .filter(|item| !item.could_not_check.is_empty())
        .count();
    let reasons = reasons(&blockers, inconclusive_blockers, &handover);
    Overview {
        project_id: project.id,
        name: project.spec.name.clone(),
        verdict: if reasons.is_empty() {
            Verdict::Go
        } else {
            Verdict::NoGo
        },
        reasons,
        inconclusive_blockers: inconclusive_blockers as u32,
        blockers,
        open,
        done: stages.iter().map(|s| s.done).sum(),
        total: stages.iter().map(|s| s.total).sum(),
        stages,
        position,
        handover,
    }
}

/// Why the verdict is no-go, most important first; empty means go.
fn reasons(
    blockers: &[OpenItem],
    inconclusive_blockers: usize,
    handover: &[HandoverFinding],
) -> Vec<String> {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut out = Vec::new();
    let failed = blockers
        .iter()
        .filter(|b| b.status == ItemStatus::Fail)
        .count();
    if failed > 0 {
        out.push(plural(failed, "blocker failed", "blockers failed"));
    }
    if inconclusive_blockers > 0 {
        out.push(crate::workbench::inconclusive_sentence(
            inconclusive_blockers,
        ));
    }
    let unchecked = blockers.len() - failed - inconclusive_blockers;
    if unchecked > 0 {
        out.push(plural(
            unchecked,
            "blocker is still to do",
            "blockers are still to do",
        ));
    }
    let gaps = handover.iter().filter(|f| handover::blocks(f)).count();
    if gaps > 0 {
        out.push(plural(
            gaps,
            "handover gap blocks launch",
            "handover gaps block launch",
        ));
    }
    out
}

/// The Projects-page line for a project.
pub fn summary(
    catalog: &Catalog,
    project: &Project,
    states: &[ItemState],
    handover: Vec<HandoverFinding>,
) -> ProjectSummary {
    let view = overview(catalog, project, states, None, handover);
    let open_blockers =
        view.blockers.len() + view.handover.iter().filter(|f| handover::blocks(f)).count();
    let apex = idna::domain_to_unicode(&project.spec.apex).0;
    ProjectSummary {
        id: project.id,
        name: project.spec.name.clone(),
        apex,
        // The store bumps a project's time on every item change too.
        updated_ms: project.updated_ms,
        done: view.done,
        total: view.total,
        open_blockers: open_blockers as u32,
        demo: project.demo,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{self, CatalogExt};
    use handover_model::ProjectSpec;

    fn project() -> Project {
        Project {
            id: 7,
            spec: ProjectSpec {
                name: "Opsbot".into(),
                apex: "xn--bcher-kva.example".into(),
                ..ProjectSpec::default()
            },
            created_ms: 1,
            updated_ms: 2,
            demo: false,
        }
    }

    fn state(item_id: &str, status: ItemStatus) -> ItemState {
        ItemState {
            item_id: item_id.into(),
            status,
            updated_ms: Some(10),
            ..ItemState::default()
        }
    }

    fn blockers(catalog: &Catalog) -> Vec<&str> {
        catalog
            .items
            .iter()
            .filter(|i| i.risk == Risk::Blocker)
            .map(|i| i.id.as_str())
            .collect()
    }

    #[test]
    fn untouched_project_is_no_go_with_every_blocker_open() {
        let catalog = catalog::builtin();
        let view = overview(catalog, &project(), &[], None, Vec::new());
        assert_eq!(view.verdict, Verdict::NoGo);
        assert_eq!(view.blockers.len(), blockers(catalog).len());
        assert_eq!(view.open.len(), catalog.items.len());
        assert_eq!(view.done, 0);
        assert_eq!(view.total as usize, catalog.items.len());
        assert_eq!(view.stages.len(), 7);
    }

    #[test]
    fn closing_every_blocker_gives_go() {
        let catalog = catalog::builtin();
        let ids = blockers(catalog);
        let closers = [
            ItemStatus::Pass,
            ItemStatus::Waived,
            ItemStatus::NotApplicable,
        ];
        let states: Vec<_> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| state(id, closers[i % 3]))
            .collect();
        let view = overview(catalog, &project(), &states, None, Vec::new());
        assert_eq!(view.verdict, Verdict::Go);
        assert!(view.blockers.is_empty());
        assert!(view.open.iter().all(|i| i.risk != Risk::Blocker));

        // Reopening one blocker (fail) flips the verdict back.
        let mut states = states;
        states[0].status = ItemStatus::Fail;
        let view = overview(catalog, &project(), &states, None, Vec::new());
        assert_eq!(view.verdict, Verdict::NoGo);
        assert_eq!(view.blockers.len(), 1);
        assert_eq!(view.blockers[0].item_id, ids[0]);
    }

    #[test]
    fn open_items_rank_by_risk_then_stage_then_failures_first() {
        let catalog = catalog::builtin();
        let mut states = Vec::new();
        // Fail the last blocker in catalog order: it must lead its stage's blockers.
        let last_blocker = *blockers(catalog).last().unwrap();
        states.push(state(last_blocker, ItemStatus::Fail));
        let view = overview(catalog, &project(), &states, None, Vec::new());
        let keys: Vec<_> = view.open.iter().map(|i| (i.risk, i.stage_number)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "ranked by risk, then stage");
        let stage = catalog.item(last_blocker).unwrap().stage.clone();
        let first_of_stage = view.blockers.iter().find(|b| b.stage_id == stage).unwrap();
        assert_eq!(first_of_stage.item_id, last_blocker);
        assert_eq!(first_of_stage.status, ItemStatus::Fail);
    }

    #[test]
    fn stage_progress_counts_done_failed_and_blockers() {
        let catalog = catalog::builtin();
        let stage = &catalog.stages[0];
        let items: Vec<_> = catalog.items_in(&stage.id).collect();
        let states = vec![
            state(&items[0].id, ItemStatus::Pass),
            state(&items[1].id, ItemStatus::Fail),
            state(&items[2].id, ItemStatus::NotApplicable),
        ];
        let view = overview(catalog, &project(), &states, None, Vec::new());
        let progress = &view.stages[0];
        assert_eq!(progress.total as usize, items.len());
        assert_eq!(progress.done, 2);
        assert_eq!(progress.failed, 1);
        let open_blockers = items
            .iter()
            .skip(1)
            .filter(|i| i.risk == Risk::Blocker && i.id != items[2].id)
            .count();
        assert_eq!(progress.open_blockers as usize, open_blockers);
    }

    #[test]
    fn summary_shows_unicode_apex_and_progress() {
        let catalog = catalog::builtin();
        let first = &catalog.items[0].id;
        let summary = summary(
            catalog,
            &project(),
            &[state(first, ItemStatus::Pass)],
            Vec::new(),
        );
        assert_eq!(summary.apex, "bücher.example");
        assert_eq!(summary.updated_ms, 2);
        assert_eq!(summary.done, 1);
    }
}
