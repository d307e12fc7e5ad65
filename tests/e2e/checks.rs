//! Live checks from the window: a project pointed at the loopback test bed
//! (its DNS server, its CA, its HTTPS port) is audited with "Run all", and
//! the findings the bed was built to produce show up.

use handover_testbed::{CertKind, TestBed};

use super::{run_all_checks, screenshot_dir, store_bed_project, STEP};
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

    store_bed_project(
        &runtime,
        data_dir.path(),
        "Bed",
        bed.dns_server(),
        bed.https_port(),
        &ca,
    );

    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let app = run_all_checks(&driver);

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
