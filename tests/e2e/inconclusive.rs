//! "Could not check" in the real window: a project whose HTTPS port is closed
//! on every host is audited with "Run all"; no web or TLS item passes, the
//! verdict is no-go with the core's reason, and each affected item says why.

use std::sync::Arc;

use handover_core::{Vault, Workbench};
use handover_model::{ItemKind, ItemStatus};
use handover_testbed::TestBed;

use super::{run_all_checks, screenshot_dir, store_bed_project, STEP};
use crate::support::webdriver::Driver;

/// Long enough for every check of a run against the bed in a debug build.
const RUN: std::time::Duration = std::time::Duration::from_secs(90);

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run `cargo xtask test`"]
fn with_every_https_port_closed_nothing_passes_and_each_item_says_why() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let bed = runtime
        .block_on(TestBed::start())
        .expect("the test bed starts");
    let data_dir = tempfile::tempdir().unwrap();
    let ca = data_dir.path().join("bed-ca.pem");
    std::fs::write(&ca, bed.ca_pem()).unwrap();
    let (dns, port) = (bed.dns_server(), bed.https_port());
    let TestBed { https, .. } = bed;
    drop(https); // every host's HTTPS port is closed from here on
    let project_id = store_bed_project(&runtime, data_dir.path(), "Closed", dns, port, &ca);
    let db = data_dir.path().join("handover.db");

    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let app = run_all_checks(&driver);

    let handshake = "li.finding.inconclusive[data-check=\"tls.handshake\"]";
    app.wait_for(handshake, RUN);
    let reasons: Vec<String> = app
        .find_all("li.finding.inconclusive .could-not-check")
        .iter()
        .map(|e| app.text(e))
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("refused the connection")),
        "{reasons:?}"
    );
    for passed in app.find_all("[data-testid=finding][data-severity=pass]") {
        let check = app.attribute(&passed, "data-check").unwrap_or_default();
        let outcome = app.attribute(&passed, "data-outcome").unwrap_or_default();
        assert!(
            check.starts_with("dns.") && outcome == "judged",
            "{check} passed on a site that never answered"
        );
    }
    assert!(
        app.find("button.retry").is_some(),
        "inconclusive rows offer a retry"
    );
    let checks_shot = screenshot_dir().join("inconclusive-checks.png");
    app.screenshot(&checks_shot);

    // The Overview: no-go, with the core's reason and each item's note.
    app.click_on("a[data-nav=\"/\"]", STEP);
    app.click_on("[data-testid=project-card]", STEP);
    app.wait_for_attribute("[data-testid=verdict]", "data-verdict", "no_go", STEP);
    let said: Vec<String> = app
        .find_all(".verdict-reasons li")
        .iter()
        .map(|e| app.text(e))
        .collect();
    assert!(
        said.iter()
            .any(|r| r.ends_with("blocker checks could not run")),
        "{said:?}"
    );
    let tls_row = "[data-testid=blocker][data-item-id=\"ssl-everywhere\"]";
    app.wait_for_attribute(tls_row, "data-could-not-check", "true", STEP);
    let note = app.text(&app.wait_for(&format!("{tls_row} .could-not-check"), STEP));
    assert!(note.contains("refused the connection"), "{note}");
    let overview_shot = screenshot_dir().join("inconclusive-overview.png");
    app.screenshot(&overview_shot);

    // What the window's run stored: no automated web or TLS item passed, and
    // every one left open names why.
    let items = runtime.block_on(async {
        let bench = Workbench::open(&db, Arc::new(Vault::native()), "e2e").unwrap();
        bench.items(project_id).await.unwrap().items
    });
    let catalog = handover_core::catalog::builtin();
    let mut unexplained = Vec::new();
    for item in catalog
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Automated)
    {
        let state = items.iter().find(|s| s.item_id == item.id).unwrap();
        let dns_only = item.checks.iter().all(|c| c.starts_with("dns."));
        assert!(
            state.status != ItemStatus::Pass || dns_only,
            "{} passed",
            item.id
        );
        if !dns_only
            && !item.not_automated_yet
            && state.status == ItemStatus::Todo
            && state.could_not_check.is_empty()
        {
            unexplained.push(item.id.clone());
        }
    }
    assert!(
        unexplained.is_empty(),
        "no reason given for {unexplained:?}"
    );
    println!(
        "e2e: HTTPS closed on every host; the window's run left no web item passing, the verdict says {said:?}; screenshots {} and {}",
        checks_shot.display(),
        overview_shot.display()
    );
}
