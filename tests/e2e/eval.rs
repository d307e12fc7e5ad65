//! The Eval page in the real window: a project whose chat adapter points
//! at the test bed's scripted bot (on staging) has two cases that both
//! pass as written. A case is edited in the page (it must not claim "52
//! weeks"), the set runs with progress, and the edited case fails with
//! its reason and the excerpt that decided it, beside the whole answer.

use handover_model::{
    AccountSaveRequest, AccountSpec, ChatAdapter, CredentialKind, CredentialSaveRequest,
    Environment, EnvironmentKind, EvalCase, EvalCategory, EvalSetup, Expect, SecretText,
    ServiceKind,
};
use handover_testbed::chat::scripted_chat;
use handover_testbed::secrets::token;
use handover_testbed::TestBed;

use super::{
    app_binary, open_project_page, screenshot_dir, store_bed_project_with, STEP, UI_START,
};
use crate::support::webdriver::Driver;

/// Long enough for the set against the bed in a debug build.
const RUN: std::time::Duration = std::time::Duration::from_secs(60);

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run `cargo xtask test`"]
fn a_case_edited_on_the_eval_page_fails_with_its_reason_after_a_run() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let key = token("openai-api-key", 12);
    let bed = runtime
        .block_on(
            TestBed::builder()
                .site(
                    "api.example.test",
                    scripted_chat("HANDOVER-CANARY-E2EQ7X2K9LMB", &key),
                )
                .start(),
        )
        .expect("the test bed starts");
    let data_dir = tempfile::tempdir().unwrap();
    let ca = data_dir.path().join("bed-ca.pem");
    std::fs::write(&ca, bed.ca_pem()).unwrap();
    let port = bed.https_port();
    let project_id = store_bed_project_with(
        &runtime,
        data_dir.path(),
        "Eval",
        bed.dns_server(),
        port,
        &ca,
        |spec| {
            spec.environments.push(Environment {
                kind: EnvironmentKind::Staging,
                base_url: format!("https://api.example.test:{port}"),
                env_file: String::new(),
            });
            spec.eval = EvalSetup {
                adapter: Some(ChatAdapter {
                    environment: EnvironmentKind::Staging,
                    url: "/api/chat".into(),
                    body: r#"{"message":"{{question}}"}"#.into(),
                    answer: "/answer".into(),
                    timeout_ms: 5_000,
                    ..ChatAdapter::default()
                }),
                cases: vec![
                    EvalCase::new(
                        "receipts",
                        EvalCategory::PolicyLookup,
                        "When do I need a receipt for an expense?",
                        Expect {
                            contains: vec!["receipt".into()],
                            ..Expect::default()
                        },
                    ),
                    EvalCase::new(
                        "parental-leave",
                        EvalCategory::HrQuestion,
                        "How much parental leave do I get?",
                        Expect {
                            refusal: Some(false),
                            ..Expect::default()
                        },
                    ),
                ],
                ..EvalSetup::default()
            };
        },
    );

    // A stored credential for the adapter to sign in with (the real keychain).
    let bench = super::workbench_of(data_dir.path());
    let credential = runtime.block_on(async {
        let account = bench
            .save_account(AccountSaveRequest {
                project_id,
                id: None,
                spec: AccountSpec {
                    kind: ServiceKind::ModelApi,
                    provider: "Bot gateway".into(),
                    ..AccountSpec::default()
                },
            })
            .await
            .unwrap();
        bench
            .save_credential(CredentialSaveRequest {
                account_id: account.id,
                credential_id: None,
                kind: CredentialKind::ApiKey,
                label: "eval key".into(),
                secret: SecretText::new("e2e-eval-key-7Q2XK9".into()),
            })
            .await
            .unwrap()
            .id
    });

    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let app = driver.session(app_binary());
    app.wait_for("nav.sidebar", UI_START);
    open_project_page(&app, "/eval", "#eval-page");
    let row = "li.eval-case[data-case=\"parental-leave\"]";
    app.click_on(&format!("{row} .eval-case-edit"), STEP);
    let banned = app.wait_for(&format!("{row} .eval-case-not-contains"), STEP);
    app.scroll_into_view(&banned);
    app.type_into(&banned, "52 weeks");
    app.click_on(&format!("{row} .eval-case-save"), STEP);
    app.wait_for_text_containing(row, "52 weeks", STEP);
    let edited = screenshot_dir().join("eval-case-edited.png");
    app.screenshot(&edited);

    app.click_on("#eval-run", STEP);
    app.wait_for_attribute("#eval-summary", "data-failed", "1", RUN);
    app.wait_for_attribute("#eval-summary", "data-passed", "1", STEP);
    assert_eq!(app.find_all("tr.eval-result").len(), 2, "one row per case");
    app.wait_for(
        "tr.eval-result[data-case=\"receipts\"][data-state=passed]",
        STEP,
    );
    let failed = "tr.eval-result[data-case=\"parental-leave\"][data-state=failed]";
    app.wait_for(failed, STEP);
    app.click_on(&format!("{failed} .eval-result-toggle"), STEP);
    let detail = "tr.eval-detail[data-case=\"parental-leave\"]";
    let reason = app.wait_for_text_containing(
        &format!("{detail} li.eval-reason"),
        "must not contain \"52 weeks\"",
        STEP,
    );
    assert!(reason.contains("52 weeks of parental leave"), "{reason}");
    let answer =
        app.wait_for_text_containing(&format!("{detail} pre.eval-answer"), "full pay", STEP);
    let expect = app.wait_for_text_containing(&format!("{detail} .eval-expect"), "52", STEP);
    assert!(
        expect.contains("52 weeks"),
        "the expectation beside the answer: {expect}"
    );
    let shot = screenshot_dir().join("eval-results.png");
    app.screenshot(&shot);

    // Export cases…: the set as edited, written where the dialog said.
    let exported = data_dir.path().join("eval-cases.toml");
    super::export::choose_save_path(&app, &exported);
    app.click_on("#eval-export", STEP);
    app.wait_for_text_containing("#eval-export-done", "Exported to", STEP);
    let text = std::fs::read_to_string(&exported).expect("the cases file is written");
    assert!(
        text.contains("[[case]]") && text.contains("52 weeks"),
        "{text}"
    );

    // Signed in with the stored credential, as a header: saved by id, never by value.
    app.wait_for(
        &format!("#eval-auth-source option[value=\"{credential}\"]"),
        STEP,
    );
    for (select, value) in [
        ("#eval-auth-source", credential.to_string()),
        ("#eval-auth-scheme", "header".to_string()),
    ] {
        app.execute(&format!(
            "const s = document.querySelector('{select}'); s.value = '{value}'; \
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true;"
        ));
    }
    let name = app.wait_for("#eval-auth-name", STEP);
    app.type_into(&name, "X-Api-Key");
    app.click_on("#eval-save", STEP);
    let deadline = std::time::Instant::now() + STEP;
    let auth = loop {
        let spec = runtime.block_on(bench.project(project_id)).unwrap().spec;
        if let Some(auth) = spec.eval.adapter.and_then(|a| a.auth) {
            break auth;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the adapter's auth was not saved"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(auth.credential_id, Some(credential));
    assert_eq!(
        (auth.scheme.as_str(), auth.name.as_str()),
        ("header", "X-Api-Key")
    );
    let stored = runtime.block_on(bench.project(project_id)).unwrap();
    assert!(!serde_json::to_string(&stored)
        .unwrap()
        .contains("e2e-eval-key-7Q2XK9"));
    println!(
        "e2e: Eval page — case edited, set run against the scripted bot, the edited case failed: {reason:?}; answer {answer:?}; screenshots {} and {}",
        edited.display(),
        shot.display()
    );
}
