//! The History page in a real window: a project with two recorded runs a
//! week apart, where the chat endpoint's p95 got worse (medium → high) and
//! a certificate came closer to expiry, shows the regression first in its
//! diff and draws its charts as SVG.

use std::path::Path;

use handover_model::{Measure, ProjectSaveRequest, ProjectSpec, RunSource, Severity};

use super::{app_binary, screenshot_dir, STEP, UI_START};
use crate::support::webdriver::Driver;

const DAY_MS: i64 = 86_400_000;

fn measure(name: &str, value: f64, unit: &str) -> Measure {
    Measure {
        name: name.into(),
        value,
        unit: unit.into(),
        bins: Vec::new(),
    }
}

/// The two findings of one run: the chat endpoint's latency and the
/// certificate of the API host.
fn findings(latency: Severity, p95_ms: f64, days_left: f64) -> Vec<handover_model::Finding> {
    let mut chat = handover_core::checks::finding(
        "latency.chat",
        "https://api.example.com/api/chat",
        latency,
        "The chat endpoint answers slower than its target",
        "p95 above the 2 s target.",
    );
    chat.measured = vec![
        measure("p95_ms", p95_ms, "ms"),
        measure("target_ms", 2_000.0, "ms"),
    ];
    let mut expiry = handover_core::checks::finding(
        "tls.expiry",
        "api.example.com",
        Severity::Medium,
        "The certificate of api.example.com expires soon",
        "Renew it before it lapses.",
    );
    expiry.measured = vec![measure("days_left", days_left, "days")];
    vec![chat, expiry]
}

/// Stores the project and its two runs, as two rechecks would have.
fn store_two_runs(data_dir: &Path) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let bench = super::workbench_of(data_dir);
        let spec = ProjectSpec {
            name: "Opsbot".into(),
            apex: "example.com".into(),
            ..ProjectSpec::default()
        };
        let id = bench
            .save(ProjectSaveRequest { id: None, spec })
            .await
            .unwrap()
            .id;
        let now = handover_core::store::now_ms();
        let runs = [
            (now - 8 * DAY_MS, findings(Severity::Medium, 2_100.0, 40.0)),
            (now - DAY_MS, findings(Severity::High, 2_800.0, 33.0)),
        ];
        for (started_ms, findings) in runs {
            let record = handover_core::store::RunRecord {
                project_id: Some(id),
                source: RunSource::Cli,
                subject: "Opsbot".into(),
                started_ms,
                finished_ms: started_ms + 1_000,
            };
            bench
                .store()
                .run(move |db| db.insert_run(&record, &findings))
                .await
                .unwrap();
        }
    });
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run `cargo xtask test`"]
fn two_runs_with_a_regression_show_the_diff_and_the_charts() {
    let data_dir = tempfile::tempdir().unwrap();
    store_two_runs(data_dir.path());

    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let app = driver.session(app_binary());
    app.wait_for("nav.sidebar", UI_START);
    // The picker lists the project, unless the app goes straight to it.
    super::open_project_page(&app, "/history", "[data-testid=history-diff]");
    app.wait_for_text("#page-title", "History", STEP);

    // The regression, with its severities and the p95 that moved.
    let regressed = "[data-testid=diff-entry][data-state=regressed][data-check=\"latency.chat\"]";
    let entry = app.wait_for(regressed, STEP);
    let text = app.text(&entry);
    assert!(text.contains("medium") && text.contains("high"), "{text}");
    assert!(text.contains("p95 2.1 s → 2.8 s"), "{text}");
    app.wait_for_text(
        "[data-testid=diff-count][data-state=regressed] .diff-count__n",
        "1",
        STEP,
    );
    // Regressions come before what merely persists.
    let states: Vec<String> = app
        .find_all("[data-testid=diff-group]")
        .iter()
        .filter_map(|g| app.attribute(g, "data-state"))
        .collect();
    assert_eq!(
        states.first().map(String::as_str),
        Some("regressed"),
        "{states:?}"
    );

    // Charts drawn in the window: a line over the runs, bars per run.
    app.wait_for("[data-testid=history-charts] svg path", STEP);
    let bars = app.find_all("[data-testid=chart-severity] svg rect").len();
    assert!(bars >= 2, "one stack per run ({bars} bars)");
    // The schedule editor shows where the next recheck stands.
    app.wait_for("[data-testid=schedule-next-due]", STEP);

    let shot = screenshot_dir().join("history.png");
    let bytes = app.screenshot(&shot);
    println!(
        "e2e: History shows the regression of latency.chat ({text:?}), states {states:?}, {bars} severity bars; screenshot {} ({bytes} bytes)",
        shot.display()
    );
}
