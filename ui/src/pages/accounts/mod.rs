//! Accounts & access: who owns each account a product depends on, the
//! credentials kept for them in the OS keychain, the people to alert, and a
//! way to lift secrets out of a chat message into the keychain.

mod account_card;
mod account_form;
mod contacts;
mod credentials;
mod fields;
pub mod findings;
mod logic;
mod new_credential;
mod paste;
mod picker;
mod secret_input;

pub use picker::ACCOUNTS;

use handover_model::{AccountSpec, AccountsView, CommandError, KeychainStatus, ServiceKind};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::components::{demo_badge, error_alert, loading};
use crate::route::path;
use crate::{browser, ipc, labels};

/// How long a status line such as "Account saved" stays.
const NOTICE_MS: i32 = 6_000;

/// The account form's starting point: an existing account, or a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editing {
    /// The account edited, or `None` for a new one.
    pub id: Option<i64>,
    /// What the form starts from.
    pub spec: AccountSpec,
}

/// What the page's parts share. All signals, so it is `Copy`.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The project.
    pub project_id: i64,
    /// Accounts, contacts, findings and keychain state, as last loaded.
    pub data: Signal<AccountsView>,
    /// The open account form, if any.
    pub editor: Signal<Option<Editing>>,
    /// The page's status line ("Account saved").
    pub notice: Signal<String>,
    /// Why the last reload failed, if it did.
    pub reload_error: Signal<Option<CommandError>>,
    /// Numbers reloads, so only the latest answer is shown.
    reload_seq: Signal<u64>,
    /// The page's scope: work started here outlives the card that started it.
    scope: NodeHandle,
}

impl Ctx {
    fn new(project_id: i64, data: AccountsView) -> Self {
        Ctx {
            project_id,
            data: create_signal(data),
            editor: create_signal(None),
            notice: create_signal(String::new()),
            reload_error: create_signal(None),
            reload_seq: create_signal(0),
            scope: use_current_scope(),
        }
    }

    /// Fetches accounts, contacts, findings and the keychain's state again.
    /// Cards whose account did not change stay as they are.
    pub fn reload(self) {
        self.reload_inner(None);
    }

    /// Like [`Ctx::reload`], then moves focus to the element with id `focus`
    /// (a card that was rebuilt loses the focus it had).
    pub fn reload_then_focus(self, focus: String) {
        self.reload_inner(Some(focus));
    }

    fn reload_inner(self, focus: Option<String>) {
        let seq = self.reload_seq.get_untracked() + 1;
        self.reload_seq.set(seq);
        self.scope.run_in(|| {
            spawn_local_scoped(async move {
                let result = ipc::accounts_get(self.project_id).await;
                if self.reload_seq.get_untracked() != seq {
                    return;
                }
                match result {
                    Ok(data) => {
                        self.reload_error.set(None);
                        self.data.set(data);
                        if let Some(id) = focus {
                            browser::focus(&id);
                        }
                    }
                    Err(err) => self.reload_error.set(Some(err)),
                }
            });
        });
    }

    /// Says `text` in the page's status line for a few seconds.
    pub fn announce(self, text: &str) {
        let text = text.to_string();
        self.notice.set(text.clone());
        self.scope.run_in(|| {
            spawn_local_scoped(async move {
                browser::sleep(NOTICE_MS).await;
                if self.notice.with_untracked(|n| *n == text) {
                    self.notice.set(String::new());
                }
            });
        });
    }

    /// Opens the account form on `editing` and moves focus into it.
    pub fn open_editor(self, editing: Editing) {
        self.editor.set(Some(editing));
        browser::focus("account-kind");
    }
}

/// `/projects/<id>/accounts`: the Accounts & access page of project `id`.
#[component(inline_props)]
pub fn ProjectAccounts(id: i64) -> View {
    view! {
        Suspense(fallback=|| loading("Loading accounts…")) {
            AccountsLoader(id=id)
        }
    }
}

#[component(inline_props)]
async fn AccountsLoader(id: i64) -> View {
    let project = match ipc::project_get(id).await {
        Ok(project) => project,
        Err(err) => return failure("This project could not be loaded", &err),
    };
    let data = match ipc::accounts_get(id).await {
        Ok(data) => data,
        Err(err) => return failure("The accounts could not be loaded", &err),
    };
    let badge = demo_badge(project.demo);
    page(Ctx::new(id, data), project.spec.name, badge)
}

fn failure(title: &'static str, err: &CommandError) -> View {
    let alert = error_alert(title, err);
    view! {
        h1(class="page-header__title", id="page-title") { "Accounts & access" }
        (alert)
        p { a(href="/") { "Back to all projects" } }
    }
}

fn page(ctx: Ctx, project_name: String, badge: View) -> View {
    let overview = path::overview(ctx.project_id);
    let add = move |_| {
        let kind = ctx
            .data
            .with_untracked(|d| d.first_gap)
            .unwrap_or(ServiceKind::Other);
        ctx.open_editor(Editing {
            id: None,
            spec: AccountSpec {
                kind,
                ..AccountSpec::default()
            },
        });
    };
    let groups = ServiceKind::ALL
        .into_iter()
        .map(|kind| kind_group(ctx, kind))
        .collect::<Vec<_>>();
    let reload_error = move || {
        ctx.reload_error
            .get_clone()
            .map(|err| error_alert("The accounts could not be refreshed", &err))
    };
    view! {
        header(class="walk-header") {
            nav(class="breadcrumb", aria-label="Breadcrumb") {
                a(href=overview, data-testid="accounts-project") { (project_name) }
                (badge)
                span(aria-hidden="true") { " › " }
                span { "Accounts & access" }
            }
            div(class="page-header page-header--row") {
                div(class="page-header__text") {
                    h1(class="page-header__title", id="page-title") { "Accounts & access" }
                    p(class="page-header__lede") {
                        "Who owns each service the product depends on, who gets the alerts, and the credentials kept for them in the OS keychain."
                    }
                }
                div(class="page-header__actions") {
                    button(r#type="button", class="button button--primary", data-testid="add-account", on:click=add) {
                        "Add account"
                    }
                }
            }
        }
        (keychain_line(ctx))
        p(class="accounts-notice", role="status", aria-live="polite", data-testid="accounts-status") {
            (move || ctx.notice.get_clone())
        }
        (reload_error)
        section(class="panel", aria-labelledby="gaps-title") {
            h2(class="panel__title", id="gaps-title") { "Handover gaps" }
            p(class="panel__lede") { "A blocker here makes the launch verdict no-go, like a checklist blocker." }
            (View::from_dynamic(move || {
                let found = ctx.data.with(|d| d.findings.clone());
                findings::finding_list(ctx.project_id, found, findings::Target::OnPage)
            }))
        }
        (account_form::editor(ctx))
        (paste::panel(ctx))
        section(class="kind-groups", aria-label="Accounts by service") {
            (groups)
        }
        (contacts::section(ctx))
    }
}

/// The keychain's state in one line; when it cannot be used, a prominent
/// alert that says so and that nothing is written anywhere else instead.
fn keychain_line(ctx: Ctx) -> View {
    let status = create_selector(move || ctx.data.with(|d| d.keychain.clone()));
    let recheck = move |_| {
        ctx.reload();
        ctx.announce("Checking the keychain again…");
    };
    View::from_dynamic(move || {
        let status = status.get_clone();
        let state = labels::keychain_state(&status);
        let (badge, text) = match &status {
            KeychainStatus::Available { store } => (
                "badge badge--ok",
                format!("Keychain ready ({store}): credentials are stored there and nowhere else."),
            ),
            KeychainStatus::Locked { store, detail } => (
                "badge badge--warn",
                format!("Keychain locked ({store}): {detail}"),
            ),
            KeychainStatus::Unavailable { detail } => {
                ("badge badge--bad", format!("No keychain: {detail}"))
            }
        };
        let word = match &status {
            KeychainStatus::Available { .. } => "Ready",
            KeychainStatus::Locked { .. } => "Locked",
            KeychainStatus::Unavailable { .. } => "Unavailable",
        };
        let alert = (!status.is_available()).then(|| view! {
            div(class="alert alert--bad keychain-alert", role="alert", data-testid="keychain-alert") {
                p(class="alert__title") { "Credentials cannot be stored or shown until the keychain is unlocked." }
                p { "Handover keeps secrets only in the OS keychain. While it is locked or missing, nothing is written anywhere else: not to Handover's database, not to a file." }
                p { "Unlock it (or sign in to your desktop keyring), then check again. Accounts and contacts can still be recorded." }
                button(r#type="button", class="button", data-testid="recheck-keychain", on:click=recheck) { "Check again" }
            }
        });
        view! {
            p(class="keychain-status", data-testid="keychain-status", data-state=state) {
                span(class=badge) { (word) }
                " "
                span { (text) }
            }
            (alert)
        }
    })
}

/// One service kind: its accounts, and whether a required kind is a gap,
/// both as the core groups and judges them.
fn kind_group(ctx: Ctx, kind: ServiceKind) -> View {
    let group = create_selector(move || ctx.data.with(|d| logic::group_of(d, kind)));
    let accounts =
        create_selector(move || ctx.data.with(|d| group.with(|g| logic::accounts_of(d, g))));
    let gap = create_selector(move || group.with(|g| g.gap));
    let required = create_selector(move || group.with(|g| g.required));
    let empty = create_selector(move || accounts.with(Vec::is_empty));
    let wire = kind.as_str();
    let title_id = format!("kind-{wire}-title");
    let class = move || match (gap.get().is_some(), empty.get()) {
        (true, _) => "kind-group kind-group--gap",
        (false, true) => "kind-group kind-group--empty",
        (false, false) => "kind-group",
    };
    let add = move |_| {
        ctx.open_editor(Editing {
            id: None,
            spec: AccountSpec {
                kind,
                ..AccountSpec::default()
            },
        })
    };
    let required = move || {
        required
            .get()
            .then(|| view! { span(class="chip") { "Required" } })
    };
    let add_label = format!("Add {} account", kind.label());
    let labelled_by = title_id.clone();
    let cards = view! {
        Keyed(
            list=accounts,
            view=move |account| account_card::card(ctx, account),
            key=logic::account_key,
        )
    };
    view! {
        section(
            class=class, id=format!("kind-{wire}"), tabindex="-1",
            data-testid="kind-group", data-kind=wire,
            data-gap=move || if gap.get().is_some() { "true" } else { "false" },
            aria-labelledby=labelled_by,
        ) {
            header(class="kind-group__head") {
                h2(class="kind-group__title", id=title_id) { (kind.label()) }
                (required)
                span(class="kind-group__spacer")
                button(
                    r#type="button", class=move || if gap.get().is_some() { "button button--primary" } else { "button button--ghost" },
                    data-testid="add-kind-account", data-kind=wire, aria-label=add_label, on:click=add,
                ) { "Add account" }
            }
            (move || gap.get().map(|gap| view! {
                p(class="kind-group__gap", data-testid="kind-gap") { (gap.sentence()) }
            }))
            (move || (empty.get() && gap.get().is_none()).then(|| view! {
                p(class="kind-group__empty") { "No account recorded." }
            }))
            div(class="account-list") { (cards) }
        }
    }
}
