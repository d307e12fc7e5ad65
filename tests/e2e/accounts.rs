//! Accounts in a real window: a password goes into the real Secret Service,
//! is revealed, survives a restart, and leaves the keychain with its account.

use super::{app_binary, screenshot_dir, STEP, UI_START};
use crate::support::keychain::{items_under, service_of};
use crate::support::webdriver::{Driver, Session};

/// Types into the field matching `css` after scrolling it into view.
fn fill(app: &Session, css: &str, text: &str) {
    let field = app.wait_for(css, STEP);
    app.scroll_into_view(&field);
    app.type_into(&field, text);
}

/// From anywhere: Projects → the project's Overview → Accounts & access.
fn open_accounts(app: &Session) {
    app.click_on("a[data-nav=\"/\"]", STEP);
    app.click_on("[data-testid=project-card]", STEP);
    app.click_on("[data-testid=open-accounts]", STEP);
    app.wait_for("[data-testid=keychain-status][data-state=available]", STEP);
}

fn reveal(app: &Session) -> String {
    app.click_on("[data-testid=credential] [data-testid=reveal]", STEP);
    app.wait_for_attribute("[data-testid=secret]", "data-revealed", "true", STEP);
    app.text(&app.wait_for("[data-testid=secret]", STEP))
}

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a Secret Service: run `cargo xtask test`"]
fn a_password_is_kept_in_the_keychain_across_restarts_and_leaves_with_its_account() {
    let data_dir = tempfile::tempdir().unwrap();
    let db = data_dir.path().join("handover.db");
    let driver = Driver::start(&[("HANDOVER_DATA_DIR", data_dir.path())]);
    let password = format!("e2e-Pw-{}-x7Q!", std::process::id());

    {
        let app = driver.session(app_binary());
        app.wait_for("nav.sidebar", UI_START);
        app.click_on("[data-testid=new-project]", STEP);
        fill(&app, "[data-testid=field-name]", "Keychain e2e");
        fill(&app, "[data-testid=field-apex]", "example.com");
        app.click_on("[data-testid=save-project]", STEP);
        app.click_on("[data-testid=open-accounts]", STEP);
        app.wait_for("[data-testid=keychain-status][data-state=available]", STEP);

        app.click_on("[data-testid=add-account]", STEP);
        app.click_on("[data-testid=account-kind] option[value=dns]", STEP);
        fill(&app, "[data-testid=account-provider]", "Cloudflare");
        fill(&app, "[data-testid=owner-name]", "Dana");
        fill(&app, "[data-testid=owner-email]", "dana@example.com");
        app.click_on("[data-testid=save-account]", STEP);
        app.wait_for("[data-testid=account]", STEP);

        fill(
            &app,
            "[data-testid=account] [data-testid=credential-label-input]",
            "root password",
        );
        fill(
            &app,
            "[data-testid=account] [data-testid=secret-input]",
            &password,
        );
        app.click_on("[data-testid=account] [data-testid=save-credential]", STEP);
        app.wait_for("[data-testid=credential]", STEP);
        let secret = app.wait_for("[data-testid=secret]", STEP);
        assert!(
            !app.text(&secret).contains(&password),
            "masked until revealed"
        );
        assert_eq!(reveal(&app), password);
        app.screenshot(&screenshot_dir().join("accounts.png"));
    }
    let service = service_of(&db, None);
    assert_eq!(
        items_under(&service),
        1,
        "the password is in the Secret Service"
    );

    // Restart: a new app process finds the password in the keychain again.
    let app = driver.session(app_binary());
    app.wait_for("nav.sidebar", UI_START);
    open_accounts(&app);
    assert_eq!(reveal(&app), password);

    app.click_on("[data-testid=delete-account]", STEP);
    app.click_on("[data-testid=confirm-delete-account]", STEP);
    app.wait_for_gone("[data-testid=account]", STEP);
    assert_eq!(
        items_under(&service),
        0,
        "secret-tool finds no entry after the delete"
    );
    println!(
        "e2e: stored a password through the window in the Secret Service ({service}), revealed it before and after a restart, deleted the account; secret-tool search finds 0 entries"
    );
}
