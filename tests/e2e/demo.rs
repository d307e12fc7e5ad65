//! The first run, as a newcomer has it: a fresh data directory, "Try the
//! demo product", the walkthrough at stage 1, "Run all" on the demo's live
//! checks, the no-go verdict with the demo's documented blockers, the
//! handover PDF — a screenshot of each step — and "Remove demo".

use std::path::PathBuf;
use std::time::Duration;

use handover_demo::story::blockers;

use super::export::{choose_save_path, poppler};
use super::{app_binary, open_project_page, screenshot_dir, STEP, UI_START};
use crate::support::webdriver::{Driver, Session};

/// Long enough for every check of a run against the demo in a debug build.
const RUN: Duration = Duration::from_secs(120);

fn shot(app: &Session, name: &str) -> PathBuf {
    let path = screenshot_dir().join("demo").join(format!("{name}.png"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    app.settle();
    app.screenshot(&path);
    path
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run `cargo xtask test`"]
fn a_newcomer_tries_the_demo_runs_it_and_exports_the_handover() {
    let data_dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("northwind-handover.pdf");
    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let app = driver.session(app_binary());
    app.wait_for("nav.sidebar", UI_START);
    app.wait_for_text("#page-title", "Projects", STEP);
    app.wait_for("[data-testid=try-demo]", STEP);
    let mut shots = vec![shot(&app, "1-projects-empty")];

    // Try the demo: the walkthrough opens at stage 1, marked as the demo.
    app.click_on("[data-testid=try-demo]", STEP);
    app.wait_for("[data-testid=stage-brief]", STEP);
    app.wait_for_text_containing(
        "[data-testid=walk-project]",
        "Northwind Ops Assistant",
        STEP,
    );
    app.wait_for("[data-testid=demo-badge]", STEP);
    assert!(
        app.execute("return location.pathname;")
            .as_str()
            .is_some_and(|p| p.ends_with("/walk/quick-audit")),
        "stage 1 opens"
    );
    shots.push(shot(&app, "2-walkthrough-stage-1"));

    // Run all checks: the documented blockers come up.
    open_project_page(&app, "/checks", "[data-testid=run-checks]");
    app.click_on("[data-testid=run-checks]", STEP);
    for blocker in blockers() {
        let css = format!(
            "[data-testid=finding][data-check=\"{}\"][data-severity=blocker]",
            blocker.check
        );
        app.wait_for(&css, RUN);
    }
    app.wait_for("[data-testid=check-progress][data-state=done]", STEP);
    shots.push(shot(&app, "3-live-checks"));

    // The verdict: no-go, with blockers listed.
    open_project_page(&app, "/", "[data-testid=project-card]");
    app.click_on("[data-testid=project-card]", STEP);
    app.wait_for_attribute("[data-testid=verdict]", "data-verdict", "no_go", STEP);
    app.wait_for("[data-testid=blocker]", STEP);
    app.wait_for("[data-testid=demo-badge]", STEP);
    shots.push(shot(&app, "4-overview-no-go"));

    // The handover PDF.
    open_project_page(&app, "/export", "[data-testid=export-controls]");
    choose_save_path(&app, &pdf);
    app.click_on("[data-testid=export-format-pdf]", STEP);
    app.click_on("[data-testid=export-report]", STEP);
    app.wait_for_text(
        "[data-testid=export-done]",
        &format!("Exported to {}.", pdf.display()),
        STEP,
    );
    shots.push(shot(&app, "5-export"));
    let text = poppler("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(
        text.contains("Northwind Ops Assistant"),
        "the PDF names the demo"
    );
    assert!(text.to_lowercase().contains("watch this week"), "{text}");
    assert!(
        text.contains("Stripe live secret key"),
        "its blockers are in the report"
    );
    let page = screenshot_dir().join("demo").join("6-report");
    poppler(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf.to_str().unwrap(),
            page.to_str().unwrap(),
        ],
    );
    shots.push(page.with_extension("png"));

    // Remove demo: the project goes, with its keychain entries.
    let bench = super::workbench_of(data_dir.path());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let id = runtime
        .block_on(bench.demo_project())
        .unwrap()
        .expect("the demo project exists")
        .id;
    let credential = runtime.block_on(bench.accounts(id)).unwrap().accounts[1].credentials[0].id;
    assert!(runtime.block_on(bench.secret(credential)).is_ok());
    open_project_page(&app, "/", "[data-testid=project-card]");
    app.click_on("[data-testid=project-card]", STEP);
    app.click_on("[data-testid=remove-demo]", STEP);
    app.click_on("[data-testid=remove-demo-confirm]", STEP);
    app.wait_for_text("#page-title", "Projects", STEP);
    app.wait_for("[data-testid=try-demo]", STEP);
    assert!(runtime.block_on(bench.demo_project()).unwrap().is_none());
    assert!(
        runtime.block_on(bench.secret(credential)).is_err(),
        "keychain entry deleted"
    );
    for path in &shots {
        assert!(path.is_file(), "{}", path.display());
    }
    println!(
        "e2e: demo tried, run, no-go with {} documented blockers, PDF {} bytes, removed; screenshots {:?}",
        blockers().len(),
        std::fs::metadata(&pdf).unwrap().len(),
        shots
    );
}
