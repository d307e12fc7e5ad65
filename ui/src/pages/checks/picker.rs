//! The sidebar's Live checks entry: straight to the checks of the project
//! last worked on, else a choice of project, else a word on creating one.

use crate::pages::empty;
use crate::pages::picker::{apex_and_blockers, Destination};
use crate::route::path;

/// Where the `/checks` entry leads.
pub static CHECKS: Destination = Destination {
    from: "/checks",
    title: "Live checks",
    lede: "DNS, TLS, headers, CORS and more, measured live.",
    choose: "Choose the project whose live checks you want to run or read.",
    opening: "Opening the live checks…",
    empty: &empty::LIVE_CHECKS,
    resume: |p| path::checks(p.project_id),
    project: path::checks,
    facts: apex_and_blockers,
};
