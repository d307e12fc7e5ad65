//! The sidebar's Checklist entry: straight back into the walkthrough where it
//! was left, else a choice of project, else a word on creating one first.

use crate::format;
use crate::pages::empty;
use crate::pages::picker::Destination;
use crate::route::path;

/// Where the `/checklist` entry leads.
pub static CHECKLIST: Destination = Destination {
    from: "/checklist",
    title: "Checklist",
    lede: "The seven-stage launch audit.",
    choose: "Choose the project whose launch audit you want to walk through.",
    opening: "Opening the walkthrough…",
    empty: &empty::CHECKLIST,
    resume: |p| path::walk(p.project_id, &p.stage_id),
    project: path::walk_start,
    facts: |p| {
        format!(
            "{} · {}",
            format::decided(p.done, p.total),
            format::blockers_sentence(p.open_blockers)
        )
    },
};
