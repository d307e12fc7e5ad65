//! The launch-audit checklist, compiled in from `assets/checklist.toml` and
//! validated before anything uses it.
//!
//! The catalog is data so the wording can change without touching code; the
//! validation here keeps that data honest: ids are unique, every item sits in
//! a real stage, and every automated item names a check Handover knows.

use std::collections::HashSet;
use std::sync::OnceLock;

use handover_model::checklist::tag;
use handover_model::{Catalog, ChecklistItem, ItemKind, Stage};

/// The catalog text shipped with the app.
const BUILTIN_TOML: &str = include_str!("../../../../assets/checklist.toml");

/// Tags an item may carry; anything else is a typo.
pub const KNOWN_TAGS: &[&str] = &[tag::MINIMUM_BAR, tag::AUTOMATE, tag::FALLBACK];

/// Whether `check` is planned but not implemented yet.
pub fn is_planned(check: &str) -> bool {
    crate::checks::PLANNED.contains(&check)
}

/// What is wrong with a catalog, in the words of someone editing the TOML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The text is not valid TOML or does not have the expected fields.
    #[error("the checklist is not valid: {0}")]
    Syntax(String),
    /// An id is empty or not lowercase kebab-case.
    #[error("`{0}` is not a valid id: use lowercase letters, digits and single hyphens")]
    InvalidId(String),
    /// Two stages, items or advisories share an id.
    #[error("the id `{0}` is used more than once")]
    DuplicateId(String),
    /// Stages are not numbered 1, 2, 3… in file order.
    #[error("stage `{stage}` is numbered {found}, but its position says {expected}")]
    StageNumbering {
        /// The stage out of place.
        stage: String,
        /// The number its position calls for.
        expected: u8,
        /// The number it carries.
        found: u8,
    },
    /// A required text field is blank.
    #[error("`{id}` has an empty {field}")]
    BlankField {
        /// The stage, item or advisory.
        id: String,
        /// The field left blank.
        field: &'static str,
    },
    /// An item names a stage that does not exist.
    #[error("item `{item}` belongs to stage `{stage}`, which does not exist")]
    UnknownStage {
        /// The item.
        item: String,
        /// The stage id it names.
        stage: String,
    },
    /// A stage has no items.
    #[error("stage `{0}` has no items")]
    EmptyStage(String),
    /// An automated item names a check Handover does not implement.
    #[error("item `{item}` names the check `{check}`, which Handover does not know")]
    UnknownCheck {
        /// The item.
        item: String,
        /// The unknown check id.
        check: String,
    },
    /// An automated item names no checks.
    #[error("item `{0}` is automated but names no checks")]
    AutomatedWithoutChecks(String),
    /// A manual item names checks.
    #[error("item `{0}` is manual but names checks; mark it automated or drop them")]
    ManualWithChecks(String),
    /// An item carries a tag outside [`KNOWN_TAGS`].
    #[error("item `{item}` has the unknown tag `{tag}`")]
    UnknownTag {
        /// The item.
        item: String,
        /// The unknown tag.
        tag: String,
    },
}

/// The catalog shipped with the app, parsed and validated once.
///
/// # Panics
/// If the compiled-in catalog is invalid; the tests below make that a build failure.
pub fn builtin() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| match parse(BUILTIN_TOML) {
        Ok(catalog) => catalog,
        Err(err) => panic!("assets/checklist.toml: {err}"),
    })
}

/// Parses catalog TOML and validates it.
pub fn parse(text: &str) -> Result<Catalog, CatalogError> {
    let mut catalog: Catalog = toml::from_str(text)
        .map_err(|e| CatalogError::Syntax(e.to_string().trim_end().to_string()))?;
    validate(&catalog)?;
    // The file never says this; the engine does.
    for item in &mut catalog.items {
        item.not_automated_yet =
            item.kind == ItemKind::Automated && item.checks.iter().all(|c| is_planned(c));
    }
    Ok(catalog)
}

/// Checks ids, stage numbering, stage membership, check ids and tags.
pub fn validate(catalog: &Catalog) -> Result<(), CatalogError> {
    let mut seen = HashSet::new();
    let ids = catalog
        .stages
        .iter()
        .map(|s| &s.id)
        .chain(catalog.items.iter().map(|i| &i.id))
        .chain(catalog.advisories.iter().map(|a| &a.id));
    for id in ids {
        if !is_kebab_case(id) {
            return Err(CatalogError::InvalidId(id.clone()));
        }
        if !seen.insert(id.as_str()) {
            return Err(CatalogError::DuplicateId(id.clone()));
        }
    }

    for (position, stage) in catalog.stages.iter().enumerate() {
        let expected = u8::try_from(position + 1).unwrap_or(u8::MAX);
        if stage.number != expected {
            return Err(CatalogError::StageNumbering {
                stage: stage.id.clone(),
                expected,
                found: stage.number,
            });
        }
        require_text(&stage.id, "title", &stage.title)?;
        require_text(&stage.id, "goal", &stage.goal)?;
        require_text(&stage.id, "deliverable", &stage.deliverable)?;
    }

    for item in &catalog.items {
        validate_item(catalog, item)?;
    }

    for stage in &catalog.stages {
        if catalog.items_in(&stage.id).next().is_none() {
            return Err(CatalogError::EmptyStage(stage.id.clone()));
        }
    }

    for advisory in &catalog.advisories {
        require_text(&advisory.id, "title", &advisory.title)?;
        require_text(&advisory.id, "note", &advisory.note)?;
    }
    Ok(())
}

fn validate_item(catalog: &Catalog, item: &ChecklistItem) -> Result<(), CatalogError> {
    if catalog.stage(&item.stage).is_none() {
        return Err(CatalogError::UnknownStage {
            item: item.id.clone(),
            stage: item.stage.clone(),
        });
    }
    require_text(&item.id, "title", &item.title)?;
    require_text(&item.id, "why", &item.why)?;
    require_text(&item.id, "verify", &item.verify)?;
    match (item.kind, item.checks.is_empty()) {
        (ItemKind::Automated, true) => {
            return Err(CatalogError::AutomatedWithoutChecks(item.id.clone()))
        }
        (ItemKind::Manual, false) => return Err(CatalogError::ManualWithChecks(item.id.clone())),
        _ => {}
    }
    let implemented = crate::checks::implemented();
    if let Some(check) = item.checks.iter().find(|c| {
        !implemented.contains(&c.as_str()) && !crate::checks::PLANNED.contains(&c.as_str())
    }) {
        return Err(CatalogError::UnknownCheck {
            item: item.id.clone(),
            check: check.clone(),
        });
    }
    if let Some(tag) = item.tags.iter().find(|t| !KNOWN_TAGS.contains(&t.as_str())) {
        return Err(CatalogError::UnknownTag {
            item: item.id.clone(),
            tag: tag.clone(),
        });
    }
    Ok(())
}

fn require_text(id: &str, field: &'static str, value: &str) -> Result<(), CatalogError> {
    if value.trim().is_empty() {
        return Err(CatalogError::BlankField {
            id: id.to_string(),
            field,
        });
    }
    Ok(())
}

/// Lowercase ASCII letters and digits in words joined by single hyphens.
fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Look-ups on a [`Catalog`]; the model crate holds data only, so they live here.
pub trait CatalogExt {
    /// The stage with this id.
    fn stage(&self, id: &str) -> Option<&Stage>;
    /// The item with this id.
    fn item(&self, id: &str) -> Option<&ChecklistItem>;
    /// The items of one stage, in file order.
    fn items_in<'a>(&'a self, stage_id: &'a str) -> impl Iterator<Item = &'a ChecklistItem>;
    /// The items carrying a tag, in file order.
    fn tagged<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a ChecklistItem>;
}

impl CatalogExt for Catalog {
    fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    fn item(&self, id: &str) -> Option<&ChecklistItem> {
        self.items.iter().find(|i| i.id == id)
    }

    fn items_in<'a>(&'a self, stage_id: &'a str) -> impl Iterator<Item = &'a ChecklistItem> {
        self.items.iter().filter(move |i| i.stage == stage_id)
    }

    fn tagged<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a ChecklistItem> {
        self.items
            .iter()
            .filter(move |i| i.tags.iter().any(|t| t == tag))
    }
}

#[cfg(test)]
mod tests;
