//! Projects as files from the window: "Import project…" and "Export…" with
//! the dialog plugin's global API in place. The native dialogs themselves
//! cannot be driven over WebDriver, so each test first checks that the
//! plugin's `open` and `save` are there, then answers them from the page.

use std::path::Path;

use handover_core::project::file;

use super::{app_binary, screenshot_dir, STEP, UI_START};
use crate::project_files::{project_dir, FIVE_ERRORS};
use crate::support::webdriver::{Driver, Session};

/// Makes the next `dialog.open` / `dialog.save` answer `path`, as if the
/// user had picked it.
fn answer_dialog(app: &Session, which: &str, path: &Path) {
    let path = serde_json::to_string(&path.display().to_string()).unwrap();
    app.execute(&format!(
        "window.__TAURI__.dialog.{which} = async () => {path}; return true;"
    ));
}

/// What `plugin:dialog|<command>` answers to a bogus argument (no dialog opens).
fn invoke_dialog(app: &Session, command: &str) -> String {
    app.execute(&format!(
        "window.__probe = null; \
         window.__TAURI__.core.invoke('plugin:dialog|{command}', {{ options: 7, message: 7 }}) \
           .then(() => {{ window.__probe = 'ok'; }}, e => {{ window.__probe = String(e); }}); \
         return true;"
    ));
    let deadline = std::time::Instant::now() + STEP;
    loop {
        if let Some(answer) = app.execute("return window.__probe;").as_str() {
            return answer.to_string();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{command} never answered"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run `cargo xtask test`"]
fn import_problems_duplicate_replace_and_export_from_the_window() {
    let dir = project_dir();
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, FIVE_ERRORS).unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let app = driver.session(app_binary());
    app.wait_for("nav.sidebar", UI_START);
    app.wait_for_text("#page-title", "Projects", STEP);

    let api = app.execute(
        "const d = window.__TAURI__ && window.__TAURI__.dialog; \
         return !!d && typeof d.open === 'function' && typeof d.save === 'function';",
    );
    assert_eq!(
        api,
        serde_json::json!(true),
        "the dialog plugin's global API is there"
    );
    // The capability lets the window call open and save (a bad argument is
    // refused only after the permission check), and nothing else of the plugin.
    for command in ["open", "save"] {
        let answer = invoke_dialog(&app, command);
        assert!(!answer.contains("not allowed"), "{command}: {answer}");
    }
    let answer = invoke_dialog(&app, "message");
    assert!(answer.contains("not allowed"), "message: {answer}");

    // A file with five problems: all five are listed with their field paths.
    answer_dialog(&app, "open", &broken);
    app.click_on("[data-testid=import-project]", STEP);
    app.wait_for("[data-testid=import-problems]", STEP);
    let fields: Vec<String> = app
        .find_all("[data-testid=import-problems] li[data-error-for]")
        .iter()
        .filter_map(|li| app.attribute(li, "data-error-for"))
        .collect();
    assert_eq!(
        fields,
        [
            "apex",
            "subdomains.0.label",
            "endpoints.0.path",
            "endpoints.1.expected_status",
            "cors_origins.0",
        ]
    );
    app.screenshot(&screenshot_dir().join("import-problems.png"));

    // A good file is imported and opens its overview.
    let good = dir.path().join("opsbot.toml");
    answer_dialog(&app, "open", &good);
    app.click_on("[data-testid=import-project]", STEP);
    app.wait_for("[data-testid=edit-project]", STEP);

    // Exported from its form, it reads back as the same project.
    app.click_on("[data-testid=edit-project]", STEP);
    let out = dir.path().join("exported.json");
    answer_dialog(&app, "save", &out);
    app.click_on("[data-testid=export-project]", STEP);
    let said = format!("Exported to {}.", out.display());
    app.wait_for_text("[data-testid=export-status]", &said, STEP);
    let exported = file::load(&out).expect("the export is a valid project file");
    assert_eq!(exported, file::load(&good).unwrap());

    // The same name again is refused until the user chooses to replace it.
    app.click_on("a[data-nav=\"/\"]", STEP);
    app.wait_for_text("#page-title", "Projects", STEP);
    answer_dialog(&app, "open", &good);
    app.click_on("[data-testid=import-project]", STEP);
    app.wait_for("[data-testid=import-duplicate]", STEP);
    app.click_on("[data-testid=import-replace]", STEP);
    app.wait_for("[data-testid=edit-project]", STEP);
    app.click_on("a[data-nav=\"/\"]", STEP);
    app.wait_for("[data-testid=project-card]", STEP);
    assert_eq!(app.find_all("[data-testid=project-card]").len(), 1);
    println!("e2e: project files imported (five problems listed, duplicate replaced) and exported from the window");
}
