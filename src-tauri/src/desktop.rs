//! The desktop around the window: one instance per data directory,
//! system notifications of a recheck's notices, optional start at login
//! (hidden), a tray icon with the verdict and "Recheck now", and the
//! in-app timer that runs due rechecks. None of it exists on the command
//! line or in the mock-runtime tests; nothing here decides anything the
//! core did not.

use std::ffi::OsString;
use std::sync::Arc;
use std::time::Duration;

use handover_model::{event, Notice, Progress, RunSource, RunsChanged, Verdict};
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{App, AppHandle, Builder, Emitter, Manager, Runtime, Wry};
use tauri_plugin_notification::{Notification, NotificationExt};

use crate::state::AppState;

/// Launch flags that start Handover without showing its window (start at
/// login uses the first).
pub const HIDDEN_FLAGS: [&str; 2] = ["--hidden", "--autostart"];

/// How often the in-app timer asks the core whether a recheck is due.
const TICK: Duration = Duration::from_secs(60);

/// The main window's label (see `tauri.conf.json`).
const MAIN_WINDOW: &str = "main";

/// Ids of the tray menu's entries.
const MENU_VERDICT: &str = "verdict";
const MENU_RECHECK: &str = "recheck";
const MENU_OPEN: &str = "open";
const MENU_QUIT: &str = "quit";

/// Splits the hidden-start flags off the command line: whether one was
/// given, and the arguments left for the command-line parser.
pub fn take_hidden_flag(args: impl IntoIterator<Item = OsString>) -> (bool, Vec<OsString>) {
    let mut hidden = false;
    let rest = args
        .into_iter()
        .filter(|arg| {
            let flag = HIDDEN_FLAGS.iter().any(|f| arg.as_os_str() == *f);
            hidden |= flag;
            !flag
        })
        .collect();
    (hidden, rest)
}

/// How the window starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Launch {
    /// Start without showing the window (start at login).
    pub hidden: bool,
    /// Guard against a second instance. Only the default data directory
    /// is guarded: an explicit one (tests, a second workspace) is its own
    /// instance.
    pub single_instance: bool,
}

/// Registers the desktop plugins (single instance first, as it must be),
/// the tray and the timer on the real app's builder.
pub fn with_desktop(builder: Builder<Wry>, launch: Launch) -> Builder<Wry> {
    let builder = if launch.single_instance {
        builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            show_window(app);
        }))
    } else {
        builder
    };
    builder
        .plugin(tauri_plugin_notification::init())
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .arg(HIDDEN_FLAGS[0])
                .build(),
        )
        .setup(move |app| {
            if launch.hidden {
                if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
                    let _ = window.hide();
                }
            }
            if let Err(err) = build_tray(app) {
                // A desktop without a tray still has the window and the timer.
                tracing::warn!("the tray icon could not be created: {err}");
            }
            start_timer(app.handle().clone());
            let state = app.state::<crate::state::AppState>().inner().clone();
            tauri::async_runtime::spawn(async move { crate::demo::resume(&state).await });
            Ok(())
        })
}

/// The tray menu's verdict entry, kept to update its text.
struct TrayVerdict<R: Runtime>(MenuItem<R>);

fn build_tray(app: &App<Wry>) -> tauri::Result<()> {
    let verdict = MenuItem::with_id(app, MENU_VERDICT, "No recheck yet", false, None::<&str>)?;
    let recheck = MenuItem::with_id(app, MENU_RECHECK, "Recheck now", true, None::<&str>)?;
    let open = MenuItem::with_id(app, MENU_OPEN, "Open Handover", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, MENU_QUIT, "Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&verdict, &separator, &recheck, &open, &quit])?;
    let mut tray = TrayIconBuilder::with_id("handover")
        .tooltip("Handover")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(on_menu_event);
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    app.manage(TrayVerdict(verdict));
    let handle = app.handle().clone();
    tauri::async_runtime::spawn(async move { show_latest_verdict(&handle).await });
    Ok(())
}

fn on_menu_event(app: &AppHandle<Wry>, event: MenuEvent) {
    match event.id.as_ref() {
        MENU_RECHECK => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move { recheck_all(&app).await });
        }
        MENU_OPEN => show_window(app),
        MENU_QUIT => app.exit(0),
        _ => {}
    }
}

/// Shows, unminimises and focuses the main window.
fn show_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Shows each notice as a system notification: exactly what the core
/// returned (it has de-duplicated them already). Without the plugin (the
/// test runtime) nothing is shown.
pub fn notify<R: Runtime>(app: &AppHandle<R>, notices: &[Notice]) {
    if notices.is_empty() || app.try_state::<Notification<R>>().is_none() {
        return;
    }
    for notice in notices {
        if let Err(err) = app
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .show()
        {
            tracing::warn!("notice {} could not be shown: {err}", notice.key);
        }
    }
}

/// Puts project `project_id`'s verdict (as the core judged it) on the
/// tray menu, when there is a tray.
pub async fn show_verdict<R: Runtime>(app: &AppHandle<R>, project_id: i64, go: bool) {
    let Some(item) = app.try_state::<TrayVerdict<R>>() else {
        return;
    };
    let state = app.state::<AppState>();
    let name = match state.workbench() {
        Ok(bench) => bench.project(project_id).await.map(|p| p.spec.name).ok(),
        Err(_) => None,
    };
    let verdict = if go { "go" } else { "no-go" };
    let text = match name {
        Some(name) => format!("{name}: {verdict}"),
        None => verdict.to_string(),
    };
    let _ = item.0.set_text(text);
}

/// At launch: the verdict of the project changed last.
async fn show_latest_verdict<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(bench) = state.workbench() else {
        return;
    };
    let Some(project) = bench
        .projects()
        .await
        .ok()
        .and_then(|p| p.into_iter().next())
    else {
        return;
    };
    if let Ok(overview) = bench.overview(project.id).await {
        show_verdict(app, project.id, overview.verdict == Verdict::Go).await;
    }
}

/// "Recheck now" from the tray: every project, one after the other.
async fn recheck_all<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(bench) = state.workbench() else {
        return;
    };
    let projects = match bench.projects().await {
        Ok(projects) => projects,
        Err(err) => {
            tracing::warn!("the projects could not be listed for a recheck: {err}");
            return;
        }
    };
    for project in projects {
        match bench.recheck(project.id, RunSource::Window, quiet()).await {
            Ok(outcome) => {
                notify(app, &outcome.notices);
                show_verdict(app, project.id, outcome.go).await;
                runs_changed(app, project.id);
            }
            Err(err) => tracing::warn!("project {} could not be rechecked: {err}", project.id),
        }
    }
}

/// The in-app timer: once at launch (the core catches up missed weeks
/// once), then every minute, it runs the rechecks that are due. With no
/// schedule enabled it never runs a check.
fn start_timer<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            run_due(&app).await;
            tokio::time::sleep(TICK).await;
        }
    });
}

async fn run_due<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(bench) = state.workbench() else {
        return;
    };
    let now = handover_core::store::now_ms();
    match bench.recheck_due(now, quiet()).await {
        Ok(outcomes) => {
            for (project_id, outcome) in outcomes {
                notify(app, &outcome.notices);
                show_verdict(app, project_id, outcome.go).await;
                runs_changed(app, project_id);
            }
        }
        Err(err) => tracing::warn!("the due rechecks could not run: {err}"),
    }
}

/// Tells the window that project `project_id` has a new run (its History
/// page reloads).
fn runs_changed<R: Runtime>(app: &AppHandle<R>, project_id: i64) {
    if let Err(err) = app.emit(event::RUNS_CHANGED, RunsChanged { project_id }) {
        tracing::warn!("the window could not be told of project {project_id}'s new run: {err}");
    }
}

/// Progress of a recheck nobody watches.
fn quiet() -> handover_core::workbench::ProgressSink {
    Arc::new(|_: Progress| {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_flags_are_taken_off_the_command_line() {
        let args = ["handover", "--hidden", "--data-dir", "/tmp/x"].map(OsString::from);
        let (hidden, rest) = take_hidden_flag(args);
        assert!(hidden);
        assert_eq!(
            rest,
            ["handover", "--data-dir", "/tmp/x"].map(OsString::from)
        );
        let (hidden, rest) = take_hidden_flag(["handover", "check"].map(OsString::from));
        assert!(!hidden);
        assert_eq!(rest.len(), 2);
    }
}
