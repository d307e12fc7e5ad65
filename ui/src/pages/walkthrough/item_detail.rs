//! The right-hand pane: one item's why and how, its status (with what the
//! last run could not check, or that no check runs yet), owner, notes and
//! evidence, saved as the user goes, and its history.

use handover_model::{ChecklistItem, ItemKind, ItemStatus};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::logic;
use super::state::{SaveStatus, Walk};
use crate::components::risk_chip;
use crate::pages::project_form::state::error_for;
use crate::{browser, format, ipc, labels};

/// The detail pane, rebuilt whenever another item is selected.
pub fn detail(w: Walk) -> View {
    View::from_dynamic(move || {
        let selected = w.selected.get_clone();
        untrack(|| {
            let item = selected.and_then(|id| {
                w.catalog
                    .with(|c| c.items.iter().find(|i| i.id == id).cloned())
            });
            match item {
                Some(item) => item_view(w, item),
                None => view! {
                    section(class="item-detail item-detail--empty", data-testid="item-detail") {
                        p { "This stage has no items." }
                    }
                },
            }
        })
    })
}

/// Saves on leaving a text field, if anything changed.
fn save_if_changed(w: Walk) {
    if w.dirty() {
        w.save();
    }
}

/// The error shown under a detail field, from the last failed save.
fn detail_error(w: Walk, field: &'static str, id: &'static str) -> View {
    view! {
        (w.item_errors.with(|errors| error_for(errors, field)).map(|message| view! {
            p(class="field-error", id=id, data-error-for=field) { (message) }
        }))
    }
}

fn item_view(w: Walk, item: ChecklistItem) -> View {
    let draft = w.draft;
    let status_now = create_selector(move || draft.with(|d| d.status));
    let is_waived = create_selector(move || status_now.get() == ItemStatus::Waived);
    let kind = match item.kind {
        ItemKind::Manual => "Checked by a person".to_string(),
        ItemKind::Automated if item.checks.is_empty() => "Automated".to_string(),
        ItemKind::Automated => format!("Automated: {}", item.checks.join(", ")),
    };
    let tags = item.tags.join(" · ");
    let statuses = ItemStatus::ALL
        .into_iter()
        .map(|status| {
            let pressed = create_selector(move || status_now.get() == status);
            let class = format!("segmented__option segmented__option--{}", status.as_str());
            view! {
                button(
                    r#type="button", class=class, data-testid=format!("status-{}", status.as_str()),
                    aria-pressed=move || if pressed.get() { "true" } else { "false" },
                    on:click=move |_| w.set_status(status),
                ) {
                    span(class="segmented__glyph", aria-hidden="true") { (labels::status_glyph(status)) }
                    (status.label())
                }
            }
        })
        .collect::<Vec<_>>();
    let initial = draft.get_clone_untracked();
    let reason = {
        let text = initial.waiver_reason.clone();
        move || {
            let text = text.clone();
            is_waived.get().then(|| untrack(|| view! {
                div(class="field") {
                    label(class="field__label", r#for="waiver-reason") { "Why is it waived?" }
                    textarea(
                        id="waiver-reason", class="input textarea", data-testid="waiver-reason", rows="2",
                        placeholder="The risk is accepted because…", prop:value=text, required=true,
                        aria-invalid=move || w.item_errors.with(|e| error_for(e, "waiver_reason")).map(|_| "true"),
                        aria-describedby=move || w.item_errors.with(|e| error_for(e, "waiver_reason")).map(|_| "waiver-reason-error"),
                        on:input=move |ev: web_sys::Event| draft.update(|d| d.waiver_reason = browser::event_value(&ev)),
                        on:change=move |ev: web_sys::Event| draft.update(|d| d.waiver_reason = browser::event_value(&ev)),
                        on:blur=move |_| save_if_changed(w),
                    )
                    (detail_error(w, "waiver_reason", "waiver-reason-error"))
                }
            }))
        }
    };
    let title = item.title.clone();
    let item_id = item.id.clone();
    let notes = status_notes(w, &item);
    view! {
        section(class="item-detail", data-testid="item-detail", data-item-id=item_id, aria-labelledby="item-title") {
            header(class="item-detail__head") {
                h2(class="item-detail__title", id="item-title") { (title) }
                div(class="item-detail__meta") {
                    (risk_chip(item.risk))
                    span(class="chip chip--kind", data-kind=if item.kind == ItemKind::Manual { "manual" } else { "automated" }) { (kind) }
                    (if tags.is_empty() { view! {} } else { let tags = tags.clone(); view! { span(class="item-detail__tags") { (tags) } } })
                }
            }
            div(class="item-detail__text") {
                h3 { "Why it matters" }
                p { (item.why.clone()) }
                h3 { "How to verify" }
                p { (item.verify.clone()) }
            }
            (notes)
            div(class="segmented", role="group", aria-label="Status", data-testid="status-group") { (statuses) }
            (reason)
            div(class="field") {
                label(class="field__label", r#for="owner") { "Owner" }
                input(
                    id="owner", class="input", data-testid="owner", r#type="text", autocomplete="off",
                    placeholder="Who is responsible", prop:value=initial.owner.clone(),
                    on:input=move |ev: web_sys::Event| draft.update(|d| d.owner = browser::event_value(&ev)),
                    on:change=move |ev: web_sys::Event| draft.update(|d| d.owner = browser::event_value(&ev)),
                    on:blur=move |_| save_if_changed(w),
                )
            }
            div(class="field") {
                label(class="field__label", r#for="notes") { "Notes" }
                textarea(
                    id="notes", class="input textarea", data-testid="notes", rows="3",
                    placeholder="What was checked, what is left", prop:value=initial.notes.clone(),
                    on:input=move |ev: web_sys::Event| draft.update(|d| d.notes = browser::event_value(&ev)),
                    on:change=move |ev: web_sys::Event| draft.update(|d| d.notes = browser::event_value(&ev)),
                    on:blur=move |_| save_if_changed(w),
                )
            }
            (evidence(w))
            (save_row(w))
            (history(w))
        }
    }
}

/// What stands next to the status: the last run's "could not check: …"
/// (the item stays open), and for an item whose checks are only planned,
/// that a person decides it.
fn status_notes(w: Walk, item: &ChecklistItem) -> View {
    let id = item.id.clone();
    let could_not = create_selector(move || w.states.with(|s| logic::could_not_check_of(s, &id)));
    let could_not = move || {
        could_not.with(|note| {
            (!note.is_empty()).then(|| {
                let note = format::capitalized(note);
                view! {
                    p(class="item-detail__note could-not-check", data-testid="could-not-check", role="status") { (note) }
                }
            })
        })
    };
    let not_automated = item.not_automated_yet.then(|| {
        view! {
            p(class="item-detail__note not-automated", data-testid="not-automated") {
                "Not automated yet — decide it yourself"
            }
        }
    });
    view! {
        (could_not)
        (not_automated)
    }
}

/// Evidence links: one input per link, added and removed freely.
fn evidence(w: Walk) -> View {
    let draft = w.draft;
    let count = create_selector(move || draft.with(|d| d.evidence.len()));
    let rows = View::from_dynamic(move || {
        let n = count.get();
        untrack(|| {
            (0..n)
                .map(|i| {
                    let id = format!("evidence-{i}");
                    let error_id = format!("evidence-{i}-error");
                    let field = format!("evidence.{i}");
                    let value = draft.with(|d| d.evidence.get(i).cloned().unwrap_or_default());
                    let error = create_selector(move || w.item_errors.with(|e| error_for(e, &field)));
                    let label = format!("Evidence link {}", i + 1);
                    let remove_label = format!("Remove evidence link {}", i + 1);
                    let label_for = id.clone();
                    view! {
                        div(class="row row--single") {
                            div(class="field") {
                                label(class="visually-hidden", r#for=label_for) { (label) }
                                input(
                                    id=id, class="input mono-input", r#type="url", data-testid="evidence",
                                    placeholder="https://", prop:value=value, autocomplete="off",
                                    aria-invalid=move || error.with(Option::is_some).then_some("true"),
                                    aria-describedby=move || error.with(Option::is_some).then(|| error_id.clone()),
                                    on:input=move |ev: web_sys::Event| set_evidence(draft, i, &ev),
                                    on:change=move |ev: web_sys::Event| set_evidence(draft, i, &ev),
                                    on:blur=move |_| save_if_changed(w),
                                )
                                (move || error.get_clone().map(|message| {
                                    let id = format!("evidence-{i}-error");
                                    view! { p(class="field-error", id=id, data-error-for=format!("evidence.{i}")) { (message) } }
                                }))
                            }
                            button(
                                r#type="button", class="button button--quiet row__remove",
                                aria-label=remove_label,
                                on:click=move |_| {
                                    draft.update(|d| if i < d.evidence.len() { d.evidence.remove(i); });
                                    w.item_errors.set(Vec::new());
                                    w.save();
                                },
                            ) { "Remove" }
                        }
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let add = move |_| {
        let n = draft.with_untracked(|d| d.evidence.len());
        draft.update(|d| d.evidence.push(String::new()));
        browser::focus(&format!("evidence-{n}"));
    };
    view! {
        fieldset(class="evidence") {
            legend(class="field__label") { "Evidence" }
            p(class="field__hint") { "Links to tickets, dashboards or screenshots (http or https)." }
            div(class="rows") { (rows) }
            button(r#type="button", class="button button--ghost", data-testid="add-evidence", on:click=add) { "Add link" }
        }
    }
}

fn set_evidence(draft: Signal<logic::Draft>, i: usize, ev: &web_sys::Event) {
    let text = browser::event_value(ev);
    draft.update(|d| {
        if let Some(slot) = d.evidence.get_mut(i) {
            *slot = text;
        }
    });
}

/// The Save button and what happened to the last save: progress in a
/// status line, a failure as an alert under it.
fn save_row(w: Walk) -> View {
    let progress = create_selector(move || match w.save_status.get_clone() {
        SaveStatus::Saving => "Saving…",
        SaveStatus::Saved => "Saved",
        SaveStatus::NeedsReason => "Add the reason, then save (Ctrl+Enter).",
        SaveStatus::Idle | SaveStatus::Failed(_) => "",
    });
    let failure = create_selector(move || match w.save_status.get_clone() {
        SaveStatus::Failed(text) => Some(text),
        _ => None,
    });
    view! {
        div(class="save-row") {
            button(r#type="button", class="button button--primary", data-testid="save-item", on:click=move |_| w.save()) { "Save" }
            span(
                class="save-row__message", role="status", aria-live="polite", data-testid="item-saved",
            ) { (move || progress.get()) }
            span(class="save-row__keys") { kbd { "Ctrl" } "+" kbd { "Enter" } " saves" }
        }
        (move || failure.get_clone().map(|message| view! {
            p(class="item-error", data-testid="item-error", role="alert") { (message) }
        }))
    }
}

/// The item's history, loaded when opened and after each save.
fn history(w: Walk) -> View {
    let open = create_signal(false);
    let entries = create_signal(None::<Result<Vec<handover_model::HistoryEntry>, String>>);
    create_effect(move || {
        let _ = w.history_rev.get();
        if !open.get() {
            return;
        }
        let Some(item_id) = w.selected.get_clone_untracked() else {
            return;
        };
        spawn_local_scoped(async move {
            let result = ipc::item_history(w.project_id, item_id).await;
            entries.set(Some(result.map(|h| h.entries).map_err(|e| e.message)));
        });
    });
    let list = move || match entries.get_clone() {
        None => view! { p(class="loading") { "Loading…" } },
        Some(Err(message)) => view! { p(class="field-error") { (message) } },
        Some(Ok(list)) if list.is_empty() => {
            view! { p(class="history__empty") { "No changes recorded yet." } }
        }
        Some(Ok(list)) => {
            let rows = list
                .into_iter()
                .map(|entry| {
                    let what = logic::describe_change(&entry);
                    let who = format!("{} · {}", if entry.actor.is_empty() { "unknown" } else { &entry.actor }, format::timestamp(entry.at_ms));
                    view! { li(class="history__entry") { span(class="history__what") { (what) } span(class="history__who") { (who) } } }
                })
                .collect::<Vec<_>>();
            view! { ol(class="history__list") { (rows) } }
        }
    };
    view! {
        div(class="history", data-testid="item-history") {
            button(
                r#type="button", class="history__toggle", aria-expanded=move || if open.get() { "true" } else { "false" },
                aria-controls="item-history-list", data-testid="history-toggle",
                on:click=move |_| open.set(!open.get_untracked()),
            ) { (move || if open.get() { "Hide history" } else { "Show history" }) }
            (move || open.get().then(|| view! { div(id="item-history-list") { (list) } }))
        }
    }
}
