//! The sidebar's Accounts entry: straight to the accounts of the project
//! last worked on, else a choice of project, else a word on creating one.

use crate::pages::empty;
use crate::pages::picker::{apex_and_blockers, Destination};
use crate::route::path;

/// Where the `/accounts` entry leads.
pub static ACCOUNTS: Destination = Destination {
    from: "/accounts",
    title: "Accounts",
    lede: "Who owns each account; credentials stay in the OS keychain.",
    choose: "Choose the project whose accounts, alert contacts and credentials you want to see.",
    opening: "Opening the accounts…",
    empty: &empty::ACCOUNTS,
    resume: |p| path::accounts(p.project_id),
    project: path::accounts,
    facts: apex_and_blockers,
};
