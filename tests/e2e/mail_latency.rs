//! Email and latency in the real window: a project whose sending domain
//! has an SPF record with `?all` and a DMARC policy of `p=none`, and whose
//! chat endpoint answers after 40 ms. "Run all" shows the mail findings and
//! the Email panel;
//! "Run load probes", once confirmed, runs the latency probe and its
//! finding opens on a drawn histogram of the response times.

use std::time::Duration;

use handover_model::{EmailSetup, Endpoint, EndpointRole, LatencyTarget, Method};
use handover_testbed::{handler, Response, TestBed, LOOPBACK};

use super::{run_all_checks, screenshot_dir, store_bed_project_with, STEP};
use crate::support::webdriver::Driver;

/// Long enough for every check of a run against the bed in a debug build.
const RUN: Duration = Duration::from_secs(90);

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run `cargo xtask test`"]
fn mail_findings_and_the_latency_histogram_show_in_the_window() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let bed = runtime
        .block_on(
            TestBed::builder()
                .zone(|z| {
                    z.txt("@", "v=spf1 ip4:192.0.2.0/24 ?all")
                        .txt("_dmarc", "v=DMARC1; p=none; rua=mailto:dmarc@example.test")
                        .mx("@", 10, "mx1")
                        .a("mx1", LOOPBACK)
                })
                .site(
                    "api.example.test",
                    handler(|req| match req.path() {
                        "/chat" => Response::text("{\"answer\":\"hello\"}")
                            .header("Content-Type", "application/json")
                            .delay(Duration::from_millis(40)),
                        _ => Response::new(404),
                    }),
                )
                .start(),
        )
        .expect("the test bed starts");
    let data_dir = tempfile::tempdir().unwrap();
    let ca = data_dir.path().join("bed-ca.pem");
    std::fs::write(&ca, bed.ca_pem()).unwrap();
    store_bed_project_with(
        &runtime,
        data_dir.path(),
        "Mail and latency",
        bed.dns_server(),
        bed.https_port(),
        &ca,
        |spec| {
            spec.email = EmailSetup {
                sending_domain: "example.test".into(),
                dkim_selectors: Vec::new(),
            };
            spec.endpoints = vec![Endpoint {
                role: EndpointRole::Chat,
                method: Method::Post,
                path: "/chat".into(),
                body: "{\"message\":\"hello\"}".into(),
                headers: Vec::new(),
                expected_status: 200,
                auth: None,
            }];
            spec.latency_targets = vec![LatencyTarget {
                role: EndpointRole::Chat,
                p95_ms: 2500,
            }];
        },
    );

    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let app = run_all_checks(&driver);
    let spf = "[data-testid=finding][data-check=\"email.spf\"][data-severity=medium]";
    app.wait_for(spf, RUN);
    let dmarc = "[data-testid=finding][data-check=\"email.dmarc\"][data-severity=high]";
    app.wait_for(dmarc, STEP);
    // Without consent the latency probe says so instead of sending.
    let waiting = "[data-testid=finding][data-check=\"latency.chat\"][data-outcome=inconclusive]";
    app.wait_for(waiting, STEP);
    let chat_requests = |bed: &TestBed| {
        bed.https
            .requests()
            .iter()
            .filter(|r| r.host == "api.example.test" && r.path() == "/chat" && r.method == "POST")
            // chat.fallback's single probe is not load.
            .filter(|r| r.header("x-handover-fault").is_none())
            .count()
    };
    // Run all sends the smoke sequence's one chat message, no load.
    let before = chat_requests(&bed);
    assert!(before <= 1, "Run all sent {before} chat messages");
    // The Email panel puts the mail records side by side.
    let spf_row = app.wait_for(
        "[data-testid=email-panel] [data-testid=email-row][data-check=\"email.spf\"]",
        STEP,
    );
    assert!(
        app.text(&spf_row).contains("?all"),
        "{}",
        app.text(&spf_row)
    );
    assert_eq!(app.find_all("[data-testid=email-row]").len(), 6);
    let mail_shot = screenshot_dir().join("email-findings.png");
    app.screenshot(&mail_shot);

    app.wait_for_gone("[data-testid=run-checks][disabled]", RUN);
    app.click_on("[data-testid=load-probes]", STEP);
    app.wait_for("[data-testid=confirm-load]", STEP);
    app.click_on("[data-testid=confirm-load-go]", STEP);
    // The second run is the load probes'; passing findings may be hidden.
    app.wait_for("[data-testid=results][data-run-id=\"2\"]", RUN);
    if app
        .find("[data-testid=hide-passing][aria-pressed=true]")
        .is_some()
    {
        app.click_on("[data-testid=hide-passing]", STEP);
    }
    let measured = "[data-testid=finding][data-check=\"latency.chat\"][data-severity=pass]";
    app.wait_for(measured, RUN);
    // The latency probe's 100 requests, and the rate-limit burst's 30.
    let sent = chat_requests(&bed) - before;
    assert!((100..=130).contains(&sent), "{sent} chat requests");
    let summary = format!("{measured} summary");
    app.click_on(&summary, STEP);
    let histogram = app.wait_for(&format!("{measured} [data-testid=histogram]"), STEP);
    let bars = app
        .find_all(&format!("{measured} rect.histogram__bar"))
        .len();
    assert_eq!(bars, 20, "twenty bars drawn");
    let caption = app.text(&histogram);
    assert!(
        caption.contains("100 answers by response time"),
        "{caption}"
    );
    let shot = screenshot_dir().join("latency-histogram.png");
    app.screenshot(&shot);
    println!(
        "e2e: email findings and the latency histogram ({bars} bars) shown; screenshots {} and {}",
        mail_shot.display(),
        shot.display()
    );
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run `cargo xtask test`"]
fn pasted_message_headers_add_their_dkim_selector_in_the_form() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let bed = runtime
        .block_on(TestBed::start())
        .expect("the test bed starts");
    let data_dir = tempfile::tempdir().unwrap();
    let ca = data_dir.path().join("bed-ca.pem");
    std::fs::write(&ca, bed.ca_pem()).unwrap();
    store_bed_project_with(
        &runtime,
        data_dir.path(),
        "Selectors",
        bed.dns_server(),
        bed.https_port(),
        &ca,
        |spec| spec.email.sending_domain = "example.test".into(),
    );
    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let app = driver.session(super::app_binary());
    app.wait_for("nav.sidebar", Duration::from_secs(60));
    app.click_on("[data-testid=project-card]", STEP);
    app.click_on("[data-testid=edit-project]", STEP);
    app.click_on("[data-testid=dkim-from-message] summary", STEP);
    let area = app.wait_for("[data-testid=dkim-headers]", STEP);
    // A paste keeps its line breaks; typed through WebDriver they are the
    // Enter key (U+E007), which a textarea turns into a newline.
    let headers = "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=google;\n h=from:to; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\nDKIM-Signature: v=1; a=rsa-sha256; d=sendgrid.net; s=smtpapi;\n h=from; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\n";
    app.type_into(&area, &headers.replace('\n', "\u{E007}"));
    app.click_on("[data-testid=dkim-read]", STEP);
    let status = "Added google. Also signed by sendgrid.net (smtpapi): a signature for another \
                  domain does not align with DMARC.";
    app.wait_for_text("[data-testid=dkim-status]", status, STEP);
    let selector = app.wait_for("#field-email-dkim_selectors-0", STEP);
    assert_eq!(app.property(&selector, "value").as_deref(), Some("google"));
    println!("e2e: pasted headers added the DKIM selector google; {status}");
}
