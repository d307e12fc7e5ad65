//! The walkthrough's shared state and what can be done to it: select an
//! item, set its status, save it, move between stages. Progress counts are
//! the core's (`overview_get`), fetched again after each save.

use std::collections::HashMap;
use std::rc::Rc;

use handover_model::{
    Catalog, CommandError, ErrorCode, FieldError, ItemState, ItemStatus, Overview, Position,
    StageProgress,
};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::logic::{self, Draft};
use crate::route::path;
use crate::{browser, ipc};

/// Where the last save of the selected item stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveStatus {
    /// Nothing to report.
    Idle,
    /// A save is on its way.
    Saving,
    /// The backend accepted the last save.
    Saved,
    /// Waived, waiting for a reason before saving.
    NeedsReason,
    /// The last save failed; the sentence says why.
    Failed(String),
}

/// Everything the walkthrough's parts share. All signals, so it is `Copy`.
#[derive(Clone, Copy)]
pub struct Walk {
    /// The project walked through.
    pub project_id: i64,
    /// The checklist.
    pub catalog: Signal<Rc<Catalog>>,
    /// Saved state of every item, in catalog order.
    pub states: Signal<Vec<ItemState>>,
    /// The core's progress per stage, in stage order (empty until known).
    pub stages: Signal<Vec<StageProgress>>,
    /// The core's items decided and all items, once known.
    pub decided: Signal<Option<(u32, u32)>>,
    /// Numbers progress loads, so only the latest answer is kept.
    progress_seq: Signal<u64>,
    /// The stage shown.
    pub stage: Signal<String>,
    /// The item shown in the detail pane.
    pub selected: Signal<Option<String>>,
    /// The last item selected in each stage (stage id → item id).
    pub remembered: Signal<HashMap<String, String>>,
    /// The selected item as edited so far.
    pub draft: Signal<Draft>,
    /// Outcome of the last save.
    pub save_status: Signal<SaveStatus>,
    /// Field errors of the last failed save (`waiver_reason`, `evidence.N`).
    pub item_errors: Signal<Vec<FieldError>>,
    /// Numbers saves, so only the latest answer speaks.
    pub save_seq: Signal<u64>,
    /// Bumped after each save, so an open history reloads.
    pub history_rev: Signal<u64>,
    /// Whether the key help is open.
    pub help: Signal<bool>,
    /// The walkthrough's scope: saves run here, so leaving an item does not cancel them.
    pub scope: NodeHandle,
}

impl Walk {
    /// Creates the state for a loaded project, on `stage`; `overview`
    /// gives the progress counts (none if it could not be loaded).
    pub fn new(
        project_id: i64,
        catalog: Rc<Catalog>,
        states: Vec<ItemState>,
        stage: String,
        position: Option<Position>,
        overview: Option<Overview>,
    ) -> Self {
        let mut remembered = HashMap::new();
        if let Some(p) = position.filter(|p| p.project_id == project_id) {
            remembered.insert(p.stage_id, p.item_id);
        }
        Walk {
            project_id,
            catalog: create_signal(catalog),
            states: create_signal(states),
            stages: create_signal(
                overview
                    .as_ref()
                    .map_or_else(Vec::new, |o| o.stages.clone()),
            ),
            decided: create_signal(overview.map(|o| (o.done, o.total))),
            progress_seq: create_signal(0),
            stage: create_signal(stage),
            selected: create_signal(None),
            remembered: create_signal(remembered),
            draft: create_signal(Draft::default()),
            save_status: create_signal(SaveStatus::Idle),
            item_errors: create_signal(Vec::new()),
            save_seq: create_signal(0),
            history_rev: create_signal(0),
            help: create_signal(false),
            scope: use_current_scope(),
        }
    }

    /// The saved state of an item (to do if it has none yet).
    pub fn saved(self, item_id: &str) -> ItemState {
        self.states.with_untracked(|states| {
            states
                .iter()
                .find(|s| s.item_id == item_id)
                .cloned()
                .unwrap_or_else(|| ItemState {
                    item_id: item_id.to_string(),
                    ..ItemState::default()
                })
        })
    }

    /// Ids of the items in the current stage, in order.
    pub fn stage_item_ids(self) -> Vec<String> {
        let stage = self.stage.get_clone_untracked();
        self.catalog.with_untracked(|c| {
            logic::stage_items(c, &stage)
                .iter()
                .map(|i| i.id.clone())
                .collect()
        })
    }

    /// Whether the draft differs from what is saved.
    pub fn dirty(self) -> bool {
        match self.selected.get_clone_untracked() {
            Some(id) => !self.draft.with_untracked(|d| d.matches(&self.saved(&id))),
            None => false,
        }
    }

    /// Selects an item (saving unsaved edits of the previous one first) and
    /// remembers the place so the app can resume here.
    pub fn select(self, item_id: String) {
        if self
            .selected
            .with_untracked(|s| s.as_deref() == Some(item_id.as_str()))
        {
            return;
        }
        if self.dirty() {
            self.save();
        }
        let draft = Draft::from_state(&self.saved(&item_id));
        let stage = self.stage.get_clone_untracked();
        batch(|| {
            self.draft.set(draft);
            self.item_errors.set(Vec::new());
            self.save_status.set(SaveStatus::Idle);
            self.remembered.update(|r| {
                r.insert(stage.clone(), item_id.clone());
            });
            self.selected.set(Some(item_id.clone()));
        });
        let position = Position {
            project_id: self.project_id,
            stage_id: stage,
            item_id,
        };
        self.scope.run_in(|| {
            spawn_local_scoped(async move {
                // Resuming is a convenience; a failure here must not interrupt the walk.
                let _ = ipc::position_set(position).await;
            });
        });
    }

    /// Picks the item to show on entering the current stage.
    pub fn enter_stage(self) {
        // A new stage starts at the top: its stepper, goal and first items.
        browser::scroll_to_top("main");
        let stage = self.stage.get_clone_untracked();
        let items: Vec<(String, ItemStatus)> = self.states.with_untracked(|states| {
            self.catalog.with_untracked(|c| {
                logic::stage_items(c, &stage)
                    .iter()
                    .map(|i| (i.id.clone(), logic::status_of(states, &i.id)))
                    .collect()
            })
        });
        let remembered = self.remembered.with_untracked(|r| r.get(&stage).cloned());
        if let Some(id) = logic::initial_selection(&items, remembered.as_deref()) {
            self.select(id);
        }
    }

    /// Sets the selected item's status; saves at once unless a waiver still needs its reason.
    pub fn set_status(self, status: ItemStatus) {
        if self.selected.with_untracked(Option::is_none) {
            return;
        }
        self.draft.update(|d| d.status = status);
        if self.draft.with_untracked(Draft::needs_reason) {
            self.save_status.set(SaveStatus::NeedsReason);
            browser::focus("waiver-reason");
        } else {
            self.save();
        }
    }

    /// Saves the selected item's draft. Typing goes on while it saves.
    pub fn save(self) {
        let Some(item_id) = self.selected.get_clone_untracked() else {
            return;
        };
        let draft = self.draft.get_clone_untracked();
        if draft.needs_reason() {
            let message = "Say why this item is waived, then save.";
            self.item_errors.set(vec![FieldError {
                field: "waiver_reason".to_string(),
                message: message.to_string(),
            }]);
            self.save_status
                .set(SaveStatus::Failed(message.to_string()));
            return;
        }
        let seq = self.save_seq.get_untracked() + 1;
        self.save_seq.set(seq);
        self.save_status.set(SaveStatus::Saving);
        let request = draft.request(self.project_id, &item_id);
        self.scope.run_in(|| {
            spawn_local_scoped(async move {
                let result = ipc::item_update(request).await;
                let latest = self.save_seq.get_untracked() == seq
                    && self
                        .selected
                        .with_untracked(|s| s.as_deref() == Some(item_id.as_str()));
                match result {
                    Ok(state) => {
                        self.states.update(|states| {
                            match states.iter_mut().find(|s| s.item_id == state.item_id) {
                                Some(slot) => *slot = state,
                                None => states.push(state),
                            }
                        });
                        self.history_rev.update(|r| *r += 1);
                        self.refresh_progress();
                        if latest {
                            self.item_errors.set(Vec::new());
                            self.save_status.set(SaveStatus::Saved);
                        }
                    }
                    Err(err) if latest => {
                        self.item_errors.set(err.fields.clone());
                        self.save_status
                            .set(SaveStatus::Failed(failure_sentence(&err)));
                    }
                    Err(_) => {}
                }
            });
        });
    }

    /// Fetches the core's progress counts again (after a save). A failure
    /// keeps the last counts: they are a guide, the walk goes on.
    pub fn refresh_progress(self) {
        let seq = self.progress_seq.get_untracked() + 1;
        self.progress_seq.set(seq);
        self.scope.run_in(|| {
            spawn_local_scoped(async move {
                let result = ipc::overview_get(self.project_id).await;
                if self.progress_seq.get_untracked() != seq {
                    return;
                }
                if let Ok(overview) = result {
                    batch(|| {
                        self.decided.set(Some((overview.done, overview.total)));
                        self.stages.set(overview.stages);
                    });
                }
            });
        });
    }

    /// Goes `step` stages on (negative: back); past the ends lies the Overview.
    pub fn go_stage(self, step: isize) {
        let stage = self.stage.get_clone_untracked();
        let ids: Vec<String> = self
            .catalog
            .with_untracked(|c| c.stages.iter().map(|s| s.id.clone()).collect());
        let at = ids.iter().position(|id| *id == stage).unwrap_or(0) as isize;
        let to = at + step;
        if self.dirty() {
            self.save();
        }
        // Deferred: this may run inside a key handler the next page removes.
        if to < 0 || to as usize >= ids.len() {
            browser::go(path::overview(self.project_id));
        } else {
            browser::go(path::walk(self.project_id, &ids[to as usize]));
        }
    }
}

/// What to say when a save fails.
fn failure_sentence(err: &CommandError) -> String {
    match err.code {
        ErrorCode::InvalidInput if !err.fields.is_empty() => {
            format!("Not saved: {}", err.message)
        }
        _ => format!("Not saved: {} ({})", err.message, err.code.as_str()),
    }
}
