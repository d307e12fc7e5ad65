//! The weekly recheck's settings: the schedule (enabled, weekday, time,
//! IANA time zone, with when it is next due in local time), how long runs
//! are kept, and start at login. The core validates and computes
//! `next_due`; this panel only sends what was typed and shows the answer.

use handover_model::{Autostart, CommandError, Schedule, ScheduleSetRequest};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::logic::{self, WEEKDAYS};
use crate::browser::event_value;
use crate::components::error_alert;
use crate::{format, ipc};

/// The browser's IANA time zone (`Intl.DateTimeFormat().resolvedOptions().timeZone`).
pub fn browser_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
        .filter(|zone| !zone.is_empty())
}

/// When the schedule is next due, in local time.
fn next_due_text(next_due_ms: Option<i64>) -> String {
    match next_due_ms {
        Some(ms) => format!("Next recheck: {}", format::timestamp(ms)),
        None => "No recheck scheduled.".to_string(),
    }
}

/// The settings panel of project `project_id`.
pub fn settings_panel(
    project_id: i64,
    schedule: Schedule,
    retention_days: u32,
    autostart: Option<Autostart>,
) -> View {
    // A schedule not yet turned on suggests the browser's own zone.
    let zone = if schedule.enabled && !schedule.time_zone.is_empty() {
        schedule.time_zone.clone()
    } else {
        browser_time_zone().unwrap_or_else(|| schedule.time_zone.clone())
    };
    let enabled = create_signal(schedule.enabled);
    let weekday = create_signal(schedule.weekday);
    let time = create_signal(schedule.time.clone());
    let time_zone = create_signal(zone);
    let next_due = create_signal(schedule.next_due_ms);
    let status = create_signal(String::new());
    let error = create_signal(None::<(&'static str, CommandError)>);

    let save = move |_| {
        let request = ScheduleSetRequest {
            project_id,
            enabled: enabled.get(),
            weekday: weekday.get(),
            time: time.get_clone().trim().to_string(),
            time_zone: time_zone.get_clone().trim().to_string(),
        };
        status.set("Saving…".into());
        spawn_local_scoped(async move {
            match ipc::schedule_set(request).await {
                Ok(saved) => {
                    error.set(None);
                    enabled.set(saved.enabled);
                    weekday.set(saved.weekday);
                    time.set(saved.time);
                    time_zone.set(saved.time_zone);
                    next_due.set(saved.next_due_ms);
                    status.set("Schedule saved.".into());
                }
                Err(err) => {
                    status.set(String::new());
                    error.set(Some(("The schedule could not be saved", err)));
                }
            }
        });
    };

    let retention = create_signal(retention_days.to_string());
    let save_retention = move |_| {
        let Some(days) = logic::parse_days(&retention.get_clone()) else {
            status.set("Keep runs for a whole number of days, 1 or more.".into());
            return;
        };
        spawn_local_scoped(async move {
            match ipc::retention_set(days).await {
                Ok(kept) => {
                    error.set(None);
                    retention.set(kept.days.to_string());
                    status.set(format!("Runs older than {} days are deleted.", kept.days));
                }
                Err(err) => error.set(Some(("The retention could not be saved", err))),
            }
        });
    };

    let options = WEEKDAYS
        .iter()
        .map(|(n, name)| {
            let value = n.to_string();
            let selected = *n == schedule.weekday;
            view! { option(value=value, selected=selected) { (*name) } }
        })
        .collect::<Vec<_>>();
    let autostart = autostart_toggle(autostart, error);
    let alert = move || {
        error.with(|e| {
            e.as_ref()
                .map(|(title, err)| error_alert(title, err))
                .unwrap_or_default()
        })
    };
    let default_hint = format!(
        "Default {} days (two years).",
        logic::DEFAULT_RETENTION_DAYS
    );
    view! {
        section(class="panel", aria-labelledby="schedule-title", data-testid="schedule-editor") {
            h2(class="panel__title", id="schedule-title") { "Weekly recheck" }
            div(class="schedule-form") {
                label(class="field field--check") {
                    input(r#type="checkbox", data-testid="schedule-enabled", bind:checked=enabled)
                    " Recheck every week"
                }
                div(class="field") {
                    label(class="field__label", r#for="schedule-weekday") { "Day" }
                    select(
                        id="schedule-weekday", class="input select", data-testid="schedule-weekday",
                        on:change=move |ev: web_sys::Event| {
                            if let Ok(n) = event_value(&ev).parse() { weekday.set(n) }
                        },
                    ) { (options) }
                }
                div(class="field") {
                    label(class="field__label", r#for="schedule-time") { "Time (HH:MM)" }
                    input(
                        id="schedule-time", class="input mono", data-testid="schedule-time",
                        r#type="text", inputmode="numeric", placeholder="09:00", bind:value=time,
                    )
                }
                div(class="field") {
                    label(class="field__label", r#for="schedule-zone") { "Time zone (IANA)" }
                    input(
                        id="schedule-zone", class="input mono", data-testid="schedule-zone",
                        r#type="text", placeholder="Europe/Berlin", bind:value=time_zone,
                    )
                }
                div(class="button-row") {
                    button(r#type="button", class="button button--primary", data-testid="schedule-save", on:click=save) {
                        "Save schedule"
                    }
                }
            }
            p(class="schedule__next", data-testid="schedule-next-due") {
                (move || next_due_text(next_due.get()))
            }
            div(class="schedule-form") {
                div(class="field field--number") {
                    label(class="field__label", r#for="retention-days") { "Keep runs for (days)" }
                    input(
                        id="retention-days", class="input input--number", data-testid="retention-days",
                        r#type="text", inputmode="numeric", bind:value=retention,
                    )
                    p(class="field__hint") { (default_hint) }
                }
                div(class="button-row") {
                    button(r#type="button", class="button", data-testid="retention-save", on:click=save_retention) {
                        "Save retention"
                    }
                }
            }
            (autostart)
            p(class="schedule__status", role="status", aria-live="polite") { (move || status.get_clone()) }
            (alert)
        }
    }
}

/// "Start at login, hidden": off by default; absent where the system
/// cannot do it.
fn autostart_toggle(
    autostart: Option<Autostart>,
    error: Signal<Option<(&'static str, CommandError)>>,
) -> View {
    let Some(current) = autostart.filter(|a| a.available) else {
        return view! {};
    };
    let on = create_signal(current.enabled);
    let toggle = move |_| {
        let wanted = !on.get_untracked();
        spawn_local_scoped(async move {
            match ipc::autostart_set(wanted).await {
                Ok(now) => on.set(now.enabled),
                Err(err) => {
                    on.set(!wanted);
                    error.set(Some(("Start at login could not be changed", err)));
                }
            }
        });
    };
    view! {
        label(class="field field--check") {
            input(r#type="checkbox", data-testid="autostart", prop:checked=move || on.get(), on:change=toggle)
            " Start Handover at login, without its window, so weekly rechecks run"
        }
    }
}
