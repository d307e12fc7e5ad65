//! Live checks from the window: a project pointed at the loopback test bed
//! (its DNS server, its CA, its HTTPS port) is audited with "Run all", and
//! the findings the bed was built to produce show up.

use std::sync::Arc;

use handover_core::{Vault, Workbench};
use handover_model::{
    Environment, EnvironmentKind, ProjectSaveRequest, ProjectSpec, Subdomain, SubdomainPurpose,
};
use handover_testbed::{CertKind, TestBed, SUBDOMAINS};

use super::{app_binary, screenshot_dir, STEP, UI_START};
use crate::support::webdriver::Driver;

/// Long enough for every check of a run against the bed in a debug build.
const RUN: std::time::Duration = std::time::Duration::from_secs(90);

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run `cargo xtask test`"]
fn run_all_checks_against_the_test_bed_from_the_window() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // docs gets a certificate that expires in 20 days: tls.expiry must say high.
    let bed = runtime
        .block_on(
            TestBed::builder()
                .cert("docs.example.test", CertKind::ExpiresIn(20))
                .start(),
        )
        .expect("the test bed starts");
    let data_dir = tempfile::tempdir().unwrap();
    let ca = data_dir.path().join("bed-ca.pem");
    std::fs::write(&ca, bed.ca_pem()).unwrap();

    let spec = ProjectSpec {
        name: "Bed".into(),
        apex: bed.apex().into(),
        subdomains: SUBDOMAINS
            .iter()
            .map(|label| Subdomain {
                label: label.to_string(),
                purpose: SubdomainPurpose::Custom,
            })
            .collect(),
        environments: vec![Environment {
            kind: EnvironmentKind::Production,
            base_url: format!("https://{}:{}", bed.apex(), bed.https_port()),
            env_file: String::new(),
        }],
        dns_server: bed.dns_server().to_string(),
        ca_file: ca.display().to_string(),
        ..ProjectSpec::default()
    };
    runtime.block_on(async {
        let bench = Workbench::open(
            &data_dir.path().join("handover.db"),
            Arc::new(Vault::native()),
            "e2e",
        )
        .unwrap();
        bench
            .save(ProjectSaveRequest { id: None, spec })
            .await
            .expect("the bed project is valid");
    });

    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let app = driver.session(app_binary());
    app.wait_for("nav.sidebar", UI_START);
    app.click_on("[data-testid=project-card]", STEP);
    app.click_on("[data-testid=open-checks]", STEP);
    app.click_on("[data-testid=run-checks]", STEP);

    let expiring = "[data-testid=finding][data-check=\"tls.expiry\"][data-severity=high]";
    app.wait_for(expiring, RUN);
    let target = app
        .attribute(&app.wait_for(expiring, STEP), "data-target")
        .unwrap_or_default();
    assert!(target.starts_with("docs.example.test"), "{target}");
    let done = app
        .find_all("[data-testid=check-progress][data-state=done]")
        .len();
    assert!(done >= 20, "every check reported progress ({done} done)");
    assert!(
        app.find("[data-testid=finding][data-check=\"dns.resolve\"][data-severity=blocker]")
            .is_none(),
        "every bed host resolves through the project's DNS server"
    );
    assert!(
        app.find("[data-testid=finding][data-check=\"tls.chain\"][data-severity=blocker]")
            .is_none(),
        "the project's CA file makes the bed's chains trusted"
    );
    let shot = screenshot_dir().join("live-checks.png");
    app.screenshot(&shot);
    println!(
        "e2e: ran all checks from the window against the loopback test bed ({done} checks reported progress); tls.expiry is high for {target}; screenshot {}",
        shot.display()
    );
}
