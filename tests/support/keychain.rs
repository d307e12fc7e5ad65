//! Looking into the real Secret Service from tests: which service name an
//! account's credentials live under, and how many items `secret-tool` finds.

use std::path::Path;

/// The keychain service of account `account_id` (any account when `None`),
/// read from the app's database.
pub fn service_of(db: &Path, account_id: Option<i64>) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let (project, account): (String, String) = conn
        .query_row(
            "SELECT projects.uid, accounts.uid FROM accounts \
             JOIN projects ON projects.id = accounts.project_id \
             WHERE ?1 IS NULL OR accounts.id = ?1",
            [account_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    format!("dev.handover.workbench/{project}/{account}")
}

/// `secret-tool search --all service <service>`: how many items it lists.
pub fn items_under(service: &str) -> usize {
    let out = std::process::Command::new("secret-tool")
        .args(["search", "--all", "service", service])
        .output()
        .expect("secret-tool is installed by cargo xtask setup");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    text.lines().filter(|l| l.starts_with('[')).count()
}
