//! The launch audit in a real window: create a project, walk two stages by
//! mouse and keyboard, restart the app, and find everything where it was.

use std::collections::HashMap;

use handover_core::catalog::{self, CatalogExt};
use handover_core::triage;
use handover_model::{ItemState, ItemStatus, Project, ProjectSpec, Verdict};

use super::{app_binary, screenshot_dir, STEP, UI_START};
use crate::support::webdriver::{Driver, Session};

fn row(item_id: &str) -> String {
    format!("[data-testid=item-row][data-item-id=\"{item_id}\"]")
}

/// Selects an item by clicking its row, then waits for its detail.
fn select(app: &Session, item_id: &str) {
    app.click_on(&row(item_id), STEP);
    app.wait_for_attribute(&row(item_id), "aria-selected", "true", STEP);
}

fn expect_status(app: &Session, item_id: &str, status: ItemStatus) {
    app.wait_for_attribute(&row(item_id), "data-status", status.as_str(), STEP);
}

/// Reads the Overview: verdict and the ranked blocker ids.
fn read_overview(app: &Session) -> (String, Vec<String>) {
    let verdict = app.wait_for("[data-testid=verdict]", STEP);
    app.settle();
    let verdict = app.attribute(&verdict, "data-verdict").unwrap_or_default();
    let blockers = app
        .find_all("[data-testid=blocker]")
        .iter()
        .filter_map(|b| app.attribute(b, "data-item-id"))
        .collect();
    (verdict, blockers)
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run `cargo xtask test`"]
fn create_walk_two_stages_restart_and_the_verdict_holds() {
    let catalog = catalog::builtin();
    let data_dir = tempfile::tempdir().unwrap();
    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let stage1: Vec<_> = catalog.items_in(&catalog.stages[0].id).collect();
    let stage2: Vec<_> = catalog.items_in(&catalog.stages[1].id).collect();
    let mut expected: HashMap<String, ItemStatus> = HashMap::new();

    let (verdict_before, blockers_before) = {
        let app = driver.session(app_binary());
        app.wait_for("nav.sidebar", UI_START);
        app.click_on("[data-testid=new-project]", STEP);

        // Inline validation: a URL in the apex field is explained, then fixed.
        let name = app.wait_for("[data-testid=field-name]", STEP);
        app.type_into(&name, "Opsbot");
        let apex = app.wait_for("[data-testid=field-apex]", STEP);
        app.type_into(&apex, "https://example.com/login");
        let error = app.wait_for("[data-error-for=apex]", STEP);
        let message = app.text(&error);
        assert!(message.contains("only the domain"), "{message:?}");
        app.wait_for_attribute("[data-testid=field-apex]", "aria-invalid", "true", STEP);
        app.screenshot(&screenshot_dir().join("project-form.png"));
        app.clear(&apex);
        app.type_into(&apex, "example.com");
        app.wait_for_gone("[data-error-for=apex]", STEP);
        app.click_on("[data-testid=save-project]", STEP);

        app.wait_for_attribute("[data-testid=verdict]", "data-verdict", "no_go", STEP);
        app.wait_for_text("#page-title", "Opsbot", STEP);
        app.click_on("[data-testid=continue]", STEP);

        // Stage 1: the first item by mouse, the rest by keyboard (j = next, p = pass).
        app.wait_for("[data-testid=stepper]", STEP);
        select(&app, &stage1[0].id);
        app.click_on("[data-testid=status-pass]", STEP);
        expect_status(&app, &stage1[0].id, ItemStatus::Pass);
        for item in &stage1[1..] {
            app.press("j");
            app.wait_for_attribute(&row(&item.id), "aria-selected", "true", STEP);
            app.press("p");
            expect_status(&app, &item.id, ItemStatus::Pass);
        }
        for item in &stage1 {
            expected.insert(item.id.clone(), ItemStatus::Pass);
        }

        // Stage 2 (] = next stage): fail one, waive one with a reason, one n/a.
        app.press("]");
        app.wait_for(&row(&stage2[0].id), STEP);
        select(&app, &stage2[0].id);
        app.press("f");
        expect_status(&app, &stage2[0].id, ItemStatus::Fail);
        app.press("j");
        app.wait_for_attribute(&row(&stage2[1].id), "aria-selected", "true", STEP);
        app.press("w");
        let reason = app.wait_for("[data-testid=waiver-reason]", STEP);
        app.type_into(&reason, "Accepted for the pilot by the CTO");
        app.click_on("[data-testid=save-item]", STEP);
        expect_status(&app, &stage2[1].id, ItemStatus::Waived);
        select(&app, &stage2[2].id);
        app.press("n");
        expect_status(&app, &stage2[2].id, ItemStatus::NotApplicable);
        let owner = app.wait_for("[data-testid=owner]", STEP);
        app.type_into(&owner, "Dana");
        app.click_on("[data-testid=save-item]", STEP);
        app.screenshot(&screenshot_dir().join("walkthrough.png"));
        expected.insert(stage2[0].id.clone(), ItemStatus::Fail);
        expected.insert(stage2[1].id.clone(), ItemStatus::Waived);
        expected.insert(stage2[2].id.clone(), ItemStatus::NotApplicable);

        app.click_on("a[data-nav=\"/\"]", STEP);
        app.click_on("[data-testid=project-card]", STEP);
        let seen = read_overview(&app);
        app.screenshot(&screenshot_dir().join("overview.png"));
        seen
    };

    // What the core's triage says for exactly the states set above.
    let states: Vec<ItemState> = expected
        .iter()
        .map(|(id, status)| ItemState {
            item_id: id.clone(),
            status: *status,
            ..ItemState::default()
        })
        .collect();
    let project = Project {
        id: 1,
        spec: ProjectSpec::default(),
        created_ms: 0,
        updated_ms: 0,
        demo: false,
    };
    // The project has no accounts yet: the handover gaps of an empty project.
    let gaps = triage::handover_findings(&[], &[], 0);
    let truth = triage::overview(catalog, &project, &states, None, gaps);
    let truth_blockers: Vec<String> = truth.blockers.iter().map(|b| b.item_id.clone()).collect();
    let truth_verdict = match truth.verdict {
        Verdict::Go => "go",
        Verdict::NoGo => "no_go",
    };
    assert_eq!(verdict_before, truth_verdict);
    assert_eq!(blockers_before, truth_blockers);

    // Restart: a new app process over the same data directory.
    let app = driver.session(app_binary());
    app.wait_for("nav.sidebar", UI_START);
    app.click_on("[data-testid=resume]", STEP);
    app.wait_for_attribute(&row(&stage2[2].id), "aria-selected", "true", STEP);
    for item in &stage2 {
        let status = expected.get(&item.id).copied().unwrap_or(ItemStatus::Todo);
        expect_status(&app, &item.id, status);
    }
    let owner = app.wait_for("[data-testid=owner]", STEP);
    assert_eq!(app.property(&owner, "value").as_deref(), Some("Dana"));
    app.press("[");
    for item in &stage1 {
        expect_status(&app, &item.id, ItemStatus::Pass);
    }

    app.click_on("a[data-nav=\"/\"]", STEP);
    app.click_on("[data-testid=project-card]", STEP);
    let (verdict_after, blockers_after) = read_overview(&app);
    assert_eq!(verdict_after, verdict_before);
    assert_eq!(blockers_after, blockers_before);
    let shot = screenshot_dir().join("overview-after-restart.png");
    app.screenshot(&shot);
    println!(
        "e2e: created a project, set {} items over two stages ({} by keyboard), restarted; verdict {verdict_after} with {} ranked blockers matches the core's triage; screenshot {}",
        expected.len(),
        stage1.len() - 1 + 3,
        blockers_after.len(),
        shot.display()
    );
}
