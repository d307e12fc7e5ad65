//! The smoke sequence in the real window: a project pointed at the test
//! bed (a home page and an API health probe) shows the default sequence in
//! its form; "Customise" makes it the project's own, a third step that
//! expects text the home page does not have is added and moved up, and
//! the project is saved. On the Live checks page "Run the smoke sequence"
//! runs that check alone, and the Smoke panel lists the steps in order:
//! the failed one with its ✗ expectation, the others passed.

use std::time::Duration;

use handover_model::{Endpoint, EndpointRole, Method};
use handover_testbed::{handler, Response, TestBed};

use super::{app_binary, screenshot_dir, store_bed_project_with, STEP, UI_START};
use crate::support::webdriver::{Driver, Session};

/// Long enough for the smoke sequence against the bed in a debug build.
const RUN: Duration = Duration::from_secs(90);

fn endpoint(role: EndpointRole, path: &str) -> Endpoint {
    Endpoint {
        role,
        method: Method::Get,
        path: path.into(),
        body: String::new(),
        headers: Vec::new(),
        expected_status: 200,
        auth: None,
    }
}

/// Replaces the text of the input matching `css` with `text`.
fn type_in(app: &Session, css: &str, text: &str) {
    let input = app.wait_for(css, STEP);
    app.scroll_into_view(&input);
    app.clear(&input);
    app.type_into(&input, text);
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run `cargo xtask test`"]
fn smoke_steps_edited_in_the_form_run_from_the_live_checks_page() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let bed = runtime
        .block_on(
            TestBed::builder()
                .site(
                    "example.test",
                    handler(|req| match req.path() {
                        "/" => Response::html("<h1>Welcome to Northwind</h1>"),
                        _ => Response::not_found(),
                    }),
                )
                .site(
                    "api.example.test",
                    handler(|req| match req.path() {
                        "/health" => Response::text("{\"status\":\"ok\"}")
                            .header("Content-Type", "application/json"),
                        _ => Response::not_found(),
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
        "Smoke",
        bed.dns_server(),
        bed.https_port(),
        &ca,
        |spec| {
            spec.endpoints = vec![
                endpoint(EndpointRole::Homepage, "/"),
                endpoint(EndpointRole::ApiHealth, "/health"),
            ];
        },
    );

    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let app = driver.session(app_binary());
    app.wait_for("nav.sidebar", UI_START);
    app.click_on("[data-testid=project-card]", STEP);
    app.click_on("[data-testid=edit-project]", STEP);

    // A saved project without credentials: "Signed in" points to Accounts.
    // The field first says the credentials are loading: wait for the answer.
    let auth = app.wait_for("[data-testid=auth-endpoints-0-auth]", STEP);
    app.scroll_into_view(&auth);
    app.wait_for_text_containing(
        "[data-testid=auth-endpoints-0-auth]",
        "No credentials stored for this project yet",
        STEP,
    );
    assert!(app.find("#field-endpoints-0-auth-credential_id").is_none());
    // The cross-tenant probe needs one: the core's error shows on its field.
    app.click_on("[data-testid=add-tenant-probe]", STEP);
    type_in(
        &app,
        "#field-tenant_probe-other_tenant_url",
        "/api/teams/b/docs",
    );
    app.click_on("[data-testid=save-project]", STEP);
    let error = app.wait_for("[data-error-for=\"tenant_probe.auth.credential_id\"]", STEP);
    app.scroll_into_view(&error);
    let probe_shot = screenshot_dir().join("smoke-tenant-probe-form.png");
    app.screenshot(&probe_shot);
    app.click_on("[data-testid=remove-tenant-probe]", STEP);
    app.wait_for_gone("[data-error-for^=\"tenant_probe\"]", STEP);
    // The chat's failure trigger is the documented convention unless changed.
    let convention = app.text(&app.wait_for("[data-testid=chat-failure-default]", STEP));
    assert!(
        convention.contains("x-handover-fault: model-timeout"),
        "{convention}"
    );

    // No steps of its own: the form shows the default sequence the core runs.
    app.wait_for("[data-testid=smoke-default]", STEP);
    let defaults: Vec<String> = app
        .find_all("[data-testid=smoke-default-step]")
        .iter()
        .map(|e| app.text(e))
        .collect();
    assert_eq!(defaults, ["homepage", "api_health"]);
    app.click_on("[data-testid=smoke-customise]", STEP);
    app.wait_for("#field-smoke_steps-1-name", STEP);
    assert!(app.find("[data-testid=smoke-default]").is_none());

    // The home page must say Welcome (it does).
    app.click_on(
        "[data-list=\"smoke_steps\"] > .row:nth-child(1) [data-testid=add-smoke-text]",
        STEP,
    );
    type_in(&app, "#field-smoke_steps-0-body_contains-0", "Welcome");

    // A third step, on the home page, expects text it does not have.
    app.click_on("[data-testid=add-smoke-step]", STEP);
    type_in(&app, "#field-smoke_steps-2-name", "farewell");
    app.click_on(
        "[data-list=\"smoke_steps\"] > .row:nth-child(3) [data-testid=add-smoke-text]",
        STEP,
    );
    type_in(&app, "#field-smoke_steps-2-body_contains-0", "Goodbye");
    // Moved up, it becomes step 2 and API health step 3.
    app.click_on("[data-testid=smoke-step-up-2]", STEP);
    let moved = app.wait_for("#field-smoke_steps-1-name", STEP);
    assert_eq!(app.property(&moved, "value").as_deref(), Some("farewell"));
    let text = app.wait_for("#field-smoke_steps-1-body_contains-0", STEP);
    assert_eq!(app.property(&text, "value").as_deref(), Some("Goodbye"));
    let last = app.wait_for("#field-smoke_steps-2-role", STEP);
    assert_eq!(app.property(&last, "value").as_deref(), Some("api_health"));
    let form_shot = screenshot_dir().join("smoke-steps-form.png");
    app.screenshot(&form_shot);

    app.click_on("[data-testid=save-project]", STEP);
    app.click_on("[data-testid=open-checks]", STEP);

    // Before any run, the panel offers the sequence alone.
    app.click_on("[data-testid=run-smoke]", STEP);
    let failed = "[data-testid=smoke-panel] [data-testid=smoke-step][data-state=failed]";
    let failed_row = app.wait_for(failed, RUN);
    let rows = app.find_all("[data-testid=smoke-panel] [data-testid=smoke-step]");
    let states: Vec<(Option<String>, Option<String>)> = rows
        .iter()
        .map(|r| {
            (
                app.attribute(r, "data-step"),
                app.attribute(r, "data-state"),
            )
        })
        .collect();
    let expected = [("1", "passed"), ("2", "failed"), ("3", "passed")]
        .map(|(n, s)| (Some(n.to_string()), Some(s.to_string())));
    assert_eq!(states, expected);
    let failed_text = app.text(&failed_row);
    assert!(failed_text.contains("farewell"), "{failed_text}");
    assert!(
        failed_text.contains("✗ body contains \"Goodbye\": not found"),
        "{failed_text}"
    );
    assert!(failed_text.contains("Failed"), "{failed_text}");
    let first = app.text(&rows[0]);
    assert!(first.contains("✓ body contains \"Welcome\""), "{first}");
    assert!(first.contains("✓ status 200"), "{first}");
    assert!(first.contains(" ms"), "the time is shown: {first}");
    app.wait_for_text(
        "[data-testid=smoke-tally]",
        "2 of 3 steps passed, 1 failed",
        STEP,
    );
    // Only the smoke check ran: no other check's findings are in the run.
    let others = app.execute(
        "return [...document.querySelectorAll('[data-testid=finding]')]\
         .filter(e => e.dataset.check !== 'smoke.endpoints').length;",
    );
    assert_eq!(others, 0, "only smoke.endpoints ran");
    // Each step sent exactly one request.
    let homepage = bed
        .https
        .requests()
        .iter()
        .filter(|r| r.host == "example.test" && r.path() == "/")
        .count();
    assert_eq!(homepage, 2, "two home page steps, one request each");
    let shot = screenshot_dir().join("smoke-results.png");
    app.screenshot(&shot);
    println!(
        "e2e: smoke steps edited in the form and run alone; {} rows, step 2 failed with its ✗ line; screenshots {} and {}",
        rows.len(),
        form_shot.display(),
        shot.display()
    );
}
