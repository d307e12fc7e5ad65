//! The handover report from the window: a stored project (an IDN apex, a
//! failed item with an owner, a run with an expiring certificate) is
//! exported as a PDF through the Export page, with the save dialog answered
//! from the page (WebDriver cannot drive the native one). The file is read
//! back with poppler's `pdftotext`, and its first two pages are rendered
//! with `pdftoppm` into `target/e2e/`.

use std::path::Path;
use std::process::Command;

use handover_model::{ItemStatus, ItemUpdateRequest, ProjectSaveRequest, ProjectSpec, RunSource};

use super::{app_binary, screenshot_dir, STEP, UI_START};
use crate::support::webdriver::{Driver, Session};

/// Makes the page's next `dialog.save` answer `path`, as if the user chose it.
pub(crate) fn choose_save_path(app: &Session, path: &Path) {
    let path = serde_json::to_string(&path.display().to_string()).unwrap();
    app.execute(&format!(
        "window.__TAURI__.dialog.save = async () => {path}; return true;"
    ));
}

/// Stores the project the window will export, with some work and one run.
fn store_project(data_dir: &Path) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let bench = super::workbench_of(data_dir);
        let spec = ProjectSpec {
            name: "Opsbot".into(),
            apex: "bücher.example".into(),
            ..ProjectSpec::default()
        };
        let id = bench
            .save(ProjectSaveRequest { id: None, spec })
            .await
            .unwrap()
            .id;
        let item_id = bench.catalog().items[0].id.clone();
        bench
            .update_item(ItemUpdateRequest {
                project_id: id,
                item_id,
                status: ItemStatus::Fail,
                waiver_reason: String::new(),
                owner: "Ana".into(),
                notes: "Renewal is manual → automate it.".into(),
                evidence: Vec::new(),
            })
            .await
            .unwrap();
        let mut expiring = handover_core::checks::finding(
            "tls.expiry",
            "api.xn--bcher-kva.example",
            handover_model::Severity::High,
            "The certificate of api.bücher.example expires in 12 days",
            "Renew it before it lapses.",
        );
        expiring.measured = vec![handover_model::Measure {
            name: "days_left".into(),
            value: 12.0,
            unit: "days".into(),
            bins: Vec::new(),
        }];
        let started_ms = handover_core::store::now_ms() - 60_000;
        let record = handover_core::store::RunRecord {
            project_id: Some(id),
            source: RunSource::Cli,
            subject: "Opsbot".into(),
            started_ms,
            finished_ms: started_ms + 1_000,
        };
        bench
            .store()
            .run(move |db| db.insert_run(&record, &[expiring]))
            .await
            .unwrap();
    });
}

/// `tool args…`, which must succeed; answers its standard output.
pub(crate) fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} could not start (poppler-utils, from set-up): {e}"));
    assert!(
        output.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run `cargo xtask test`"]
fn a_pdf_exported_from_the_window_has_its_headings_and_its_pages_render() {
    let data_dir = tempfile::tempdir().unwrap();
    store_project(data_dir.path());
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("opsbot-handover.pdf");

    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let app = driver.session(app_binary());
    app.wait_for("nav.sidebar", UI_START);
    // The picker lists the project, unless the app goes straight to it.
    super::open_project_page(&app, "/export", "[data-testid=export-controls]");
    app.wait_for_text("#page-title", "Export", STEP);
    app.wait_for("[data-testid=export-controls]", STEP);
    app.wait_for("[data-testid=watch]", STEP);
    let sections = app.find_all("[data-testid=section-row]");
    assert!(sections.len() >= 9, "{} sections listed", sections.len());
    app.wait_for("[data-testid=last-export-none]", STEP);

    choose_save_path(&app, &pdf);
    app.click_on("[data-testid=export-format-pdf]", STEP);
    app.click_on("[data-testid=export-report]", STEP);
    let said = format!("Exported to {}.", pdf.display());
    app.wait_for_text("[data-testid=export-done]", &said, STEP);
    app.wait_for_text(
        "[data-testid=last-export-path]",
        &pdf.display().to_string(),
        STEP,
    );
    let shot = screenshot_dir().join("export-page.png");
    app.screenshot(&shot);

    assert!(pdf.is_file(), "the PDF is where the dialog said");
    assert!(
        out_dir
            .path()
            .join("opsbot-handover.findings.json")
            .is_file(),
        "its findings JSON is beside it"
    );
    let text = poppler("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    for heading in ["What to watch this week", "Launch blockers, ranked"] {
        assert!(text.contains(heading), "{heading:?} is in the PDF");
    }

    let prefix = screenshot_dir().join("report-page");
    std::fs::create_dir_all(screenshot_dir()).unwrap();
    poppler(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "2",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let pages: Vec<_> = std::fs::read_dir(screenshot_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("report-page-") && name.ends_with(".png"))
        .collect();
    assert!(pages.len() >= 2, "{pages:?}");
    println!(
        "e2e: exported {} ({} bytes) from the Export page; pdftotext found its headings; pages {pages:?} and {} in {}",
        pdf.display(),
        std::fs::metadata(&pdf).unwrap().len(),
        shot.display(),
        screenshot_dir().display()
    );
}
