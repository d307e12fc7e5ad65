//! What an export would hold today: the watch list's first page as a table
//! and the report's sections with how much each holds.

use handover_model::{SectionSummary, WatchItem};
use sycamore::prelude::*;

use super::logic::{self, ON_PAGE_ONE};

/// "What to watch this week": the first page of the watch list.
pub fn watch_panel(watch: Vec<WatchItem>) -> View {
    let more = logic::more_in_appendix(watch.len()).map(|text| {
        view! { p(class="export-watch__more", data-testid="watch-more") { (text) } }
    });
    let body = if watch.is_empty() {
        view! {
            p(class="panel__lede", data-testid="watch-empty") {
                "Nothing to watch this week: no expiring certificate, slow endpoint, missing owner or open item stands out."
            }
        }
    } else {
        let rows = watch
            .into_iter()
            .take(ON_PAGE_ONE)
            .map(watch_row)
            .collect::<Vec<_>>();
        view! {
            div(class="export-watch__scroll") {
                table(class="export-watch", data-testid="watch-table") {
                    thead {
                        tr {
                            th(scope="col") { "Item" }
                            th(scope="col") { "Current" }
                            th(scope="col") { "Threshold" }
                            th(scope="col") { "Trend" }
                            th(scope="col") { "Owner" }
                            th(scope="col") { "Due" }
                            th(scope="col") { "Next action" }
                        }
                    }
                    tbody { (rows) }
                }
            }
        }
    };
    view! {
        section(class="panel", aria-labelledby="watch-title", data-testid="watch") {
            h2(class="panel__title", id="watch-title") { "What to watch this week" }
            p(class="panel__lede") {
                "Page one of the report, most urgent first; tied to the latest run, the history, the accounts and the checklist."
            }
            (body)
            (more)
        }
    }
}

fn watch_row(item: WatchItem) -> View {
    let trend = logic::trend(item.trend.as_ref());
    let trend_name = logic::trend_name(item.trend.as_ref());
    let owner_class = if item.owner.is_empty() {
        "export-watch__owner export-watch__owner--none"
    } else {
        "export-watch__owner"
    };
    let owner = if item.owner.is_empty() {
        "nobody".to_string()
    } else {
        item.owner
    };
    let threshold = if item.threshold.is_empty() {
        "—".to_string()
    } else {
        item.threshold
    };
    let due = item.due.unwrap_or_else(|| "—".to_string());
    let risk = item.risk.to_string();
    view! {
        tr(data-testid="watch-row", data-key=item.key, data-risk=risk) {
            td(class="export-watch__item") {
                span(class="export-watch__title") { (item.title) }
                span(class="export-watch__metric") { (item.metric) }
            }
            td(class="export-watch__number") { (item.current) }
            td(class="export-watch__number") { (threshold) }
            td(class="export-watch__trend", data-trend=trend_name) { (trend) }
            td(class=owner_class) { (owner) }
            td(class="export-watch__number") { (due) }
            td { (item.next_action) }
        }
    }
}

/// The report's sections, numbered, each with how much it holds.
pub fn sections_panel(sections: Vec<SectionSummary>) -> View {
    let rows = sections
        .into_iter()
        .map(|section| {
            view! {
                li(class="export-sections__row", data-testid="section-row", data-section=section.id) {
                    span(class="export-sections__title") { (section.title) }
                    span(class="export-sections__note") { (section.note) }
                }
            }
        })
        .collect::<Vec<_>>();
    view! {
        section(class="panel", aria-labelledby="sections-title", data-testid="report-sections") {
            h2(class="panel__title", id="sections-title") { "What the report holds" }
            p(class="panel__lede") {
                "After the cover with the go/no-go badge and a table of contents. Never a secret: accounts say only where their credentials are kept."
            }
            ol(class="export-sections") { (rows) }
        }
    }
}
