//! The built app in a real window (WebKitGTK under Xvfb), driven through
//! tauri-driver. Run by `cargo xtask test`, which provides the display, the
//! drivers and an unlocked Secret Service; ignored by a plain `cargo test`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::webdriver::Driver;

mod accounts;
mod audit;
mod checks;
mod demo;
mod eval;
mod export;
mod history;
mod inconclusive;
mod mail_latency;
mod project_files;
mod secrets;
mod smoke;

/// The wasm UI can take a few seconds to start in a debug build.
pub(crate) const UI_START: Duration = Duration::from_secs(60);
pub(crate) const STEP: Duration = Duration::from_secs(15);

pub(crate) fn app_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_handover"))
}

/// Stores a project pointed at the loopback test bed (its apex and
/// subdomains, DNS server, CA file and HTTPS port) in `data_dir`'s database,
/// as the window would have saved it; answers its id.
pub(crate) fn store_bed_project(
    runtime: &tokio::runtime::Runtime,
    data_dir: &Path,
    name: &str,
    dns: std::net::SocketAddr,
    https_port: u16,
    ca: &Path,
) -> i64 {
    store_bed_project_with(runtime, data_dir, name, dns, https_port, ca, |_| {})
}

/// Like [`store_bed_project`], with the spec edited by `edit` before saving.
pub(crate) fn store_bed_project_with(
    runtime: &tokio::runtime::Runtime,
    data_dir: &Path,
    name: &str,
    dns: std::net::SocketAddr,
    https_port: u16,
    ca: &Path,
    edit: impl FnOnce(&mut handover_model::ProjectSpec),
) -> i64 {
    use handover_model::{
        Environment, EnvironmentKind, ProjectSaveRequest, ProjectSpec, Subdomain, SubdomainPurpose,
    };
    let apex = handover_testbed::APEX;
    let mut spec = ProjectSpec {
        name: name.into(),
        apex: apex.into(),
        subdomains: handover_testbed::SUBDOMAINS
            .iter()
            .map(|label| Subdomain {
                label: label.to_string(),
                purpose: SubdomainPurpose::Custom,
            })
            .collect(),
        environments: vec![Environment {
            kind: EnvironmentKind::Production,
            base_url: format!("https://{apex}:{https_port}"),
            env_file: String::new(),
        }],
        dns_server: dns.to_string(),
        ca_file: ca.display().to_string(),
        ..ProjectSpec::default()
    };
    edit(&mut spec);
    runtime.block_on(async {
        let bench = workbench_of(data_dir);
        bench
            .save(ProjectSaveRequest { id: None, spec })
            .await
            .expect("the bed project is valid")
            .id
    })
}

/// The workbench of the data directory the app under test will open (the
/// real keychain, as the app uses), for storing what a test needs first.
pub(crate) fn workbench_of(data_dir: &std::path::Path) -> handover_core::Workbench {
    handover_core::Workbench::open(
        &data_dir.join("handover.db"),
        std::sync::Arc::new(handover_core::Vault::native()),
        "e2e",
    )
    .expect("the test's database opens")
}

/// Follows the sidebar link to `nav` (e.g. `/export`) and, if the project
/// picker asks, picks the only project, until `ready` is on the page.
pub(crate) fn open_project_page(app: &crate::support::webdriver::Session, nav: &str, ready: &str) {
    app.click_on(&format!("a[data-nav=\"{nav}\"]"), STEP);
    let deadline = std::time::Instant::now() + STEP;
    while app.find(ready).is_none() {
        if app.find("[data-testid=pick-project]").is_some() {
            app.click_on("[data-testid=pick-project]", STEP);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{nav}: no project to open"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Opens the app on `data_dir`, goes from the only project to its Live
/// checks page and presses "Run all".
pub(crate) fn run_all_checks(driver: &Driver) -> crate::support::webdriver::Session {
    let app = driver.session(app_binary());
    app.wait_for("nav.sidebar", UI_START);
    app.click_on("[data-testid=project-card]", STEP);
    app.click_on("[data-testid=open-checks]", STEP);
    app.click_on("[data-testid=run-checks]", STEP);
    app
}

pub(crate) fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("e2e")
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run `cargo xtask test`"]
fn sidebar_routes_and_about_panel_shows_backend_facts() {
    let data_dir = tempfile::tempdir().unwrap();
    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let app = driver.session(app_binary());

    app.wait_for("nav.sidebar", UI_START);
    app.wait_for_text("#page-title", "Projects", STEP);

    let pages = [
        ("/checklist", "Checklist"),
        ("/checks", "Live checks"),
        ("/accounts", "Accounts"),
        ("/history", "History"),
        ("/export", "Export"),
        ("/", "Projects"),
    ];
    for (path, title) in pages {
        let link = app.wait_for(&format!("a[data-nav=\"{path}\"]"), STEP);
        app.click(&link);
        app.wait_for_text("#page-title", title, STEP);
        let link = app.wait_for(&format!("a[data-nav=\"{path}\"]"), STEP);
        assert_eq!(
            app.attribute(&link, "aria-current").as_deref(),
            Some("page"),
            "{path}"
        );
        assert!(
            app.find(".empty-state").is_some(),
            "{title} shows its empty state"
        );
        assert_eq!(app.title(), format!("{title} · Handover"));
    }

    let about = app.wait_for("a[data-nav=\"/about\"]", STEP);
    app.click(&about);
    app.wait_for_text("#page-title", "About", STEP);
    // These values exist only in the backend: they reach the page through IPC.
    app.wait_for_text(
        "[data-testid=about-version]",
        env!("CARGO_PKG_VERSION"),
        STEP,
    );
    app.wait_for_text(
        "[data-testid=about-data-dir]",
        &data_dir.path().display().to_string(),
        STEP,
    );
    app.wait_for_text(
        "[data-testid=about-database]",
        &data_dir.path().join("handover.db").display().to_string(),
        STEP,
    );
    // The live probe of the real Secret Service (gnome-keyring), not a constant.
    app.wait_for_text("[data-testid=about-keychain-state]", "Ready", STEP);
    let keychain = app.text(&app.wait_for("[data-testid=about-keychain]", STEP));
    assert!(keychain.ends_with("Secret Service"), "{keychain:?}");

    let shot = screenshot_dir().join("about.png");
    let bytes = app.screenshot(&shot);
    println!(
        "e2e: real window on DISPLAY={} drove 7 routes; About shows version {} via IPC, keychain {keychain:?}; screenshot {} ({bytes} bytes)",
        std::env::var("DISPLAY").unwrap_or_default(),
        env!("CARGO_PKG_VERSION"),
        shot.display(),
    );
}
