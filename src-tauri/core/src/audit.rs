//! Checks a change to one checklist item before it is stored, and a
//! walkthrough position before it is remembered.

use handover_model::{Catalog, FieldError, ItemState, ItemStatus, ItemUpdateRequest, Position};

use crate::catalog::CatalogExt;
use crate::project::{multiline, text, Problems};

/// Longest owner name.
pub const MAX_OWNER: usize = 120;
/// Longest waiver reason.
pub const MAX_REASON: usize = 2_000;
/// Longest item notes.
pub const MAX_ITEM_NOTES: usize = 20_000;
/// Most evidence links on one item.
pub const MAX_EVIDENCE: usize = 20;

/// Turns an update request into the state to store, or says what is wrong.
///
/// A waiver needs a reason; any other status drops the reason. Evidence
/// links must be `http(s)` URLs; blank lines are dropped and duplicates merged.
pub fn item_change(
    catalog: &Catalog,
    request: &ItemUpdateRequest,
) -> Result<ItemState, Vec<FieldError>> {
    let mut p = Problems::default();
    if catalog.item(&request.item_id).is_none() {
        p.add(
            "item_id",
            format!("There is no checklist item {:?}.", request.item_id),
        );
    }
    let owner = text(&mut p, "owner", &request.owner, MAX_OWNER, false);
    let notes = multiline(&mut p, "notes", &request.notes, MAX_ITEM_NOTES);
    crate::paste::refuse_credential(&mut p, "notes", &notes);
    let waiver_reason = if request.status == ItemStatus::Waived {
        let reason = multiline(&mut p, "waiver_reason", &request.waiver_reason, MAX_REASON);
        if reason.trim().is_empty() {
            p.add(
                "waiver_reason",
                "Say why this item is waived; a waiver without a reason cannot be handed over.",
            );
        }
        reason.trim().to_string()
    } else {
        String::new()
    };

    let mut evidence: Vec<String> = Vec::new();
    for (i, link) in request.evidence.iter().enumerate() {
        let link = link.trim();
        if link.is_empty() {
            continue;
        }
        crate::paste::refuse_credential(&mut p, &format!("evidence.{i}"), link);
        if is_run_link(link) {
            if !evidence.iter().any(|e| e == link) {
                evidence.push(link.to_string());
            }
            continue;
        }
        match url::Url::parse(link) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
                let link = url.to_string();
                if !evidence.contains(&link) {
                    evidence.push(link);
                }
            }
            Ok(_) => p.add(
                format!("evidence.{i}"),
                format!("{link:?} must be an http:// or https:// link."),
            ),
            Err(e) => p.add(
                format!("evidence.{i}"),
                format!("{link:?} is not a link ({e})."),
            ),
        }
    }
    if evidence.len() > MAX_EVIDENCE {
        p.add(
            "evidence",
            format!("Keep at most {MAX_EVIDENCE} evidence links."),
        );
    }

    p.into_result(ItemState {
        item_id: request.item_id.clone(),
        status: request.status,
        waiver_reason,
        owner,
        notes,
        evidence,
        updated_ms: None,
        updated_by: String::new(),
        // Set by runs only; the workbench keeps the current note while the
        // status stays what the run left.
        could_not_check: String::new(),
    })
}

/// A link a live-check run left on an item, `handover:run/<id>`.
fn is_run_link(link: &str) -> bool {
    link.strip_prefix("handover:run/")
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// Checks that a position names a stage and an item of that stage.
pub fn position(catalog: &Catalog, position: &Position) -> Result<(), Vec<FieldError>> {
    let mut p = Problems::default();
    match (
        catalog.stage(&position.stage_id),
        catalog.item(&position.item_id),
    ) {
        (None, _) => p.add(
            "stage_id",
            format!("There is no stage {:?}.", position.stage_id),
        ),
        (_, None) => p.add(
            "item_id",
            format!("There is no checklist item {:?}.", position.item_id),
        ),
        (Some(stage), Some(item)) if item.stage != stage.id => p.add(
            "item_id",
            format!("{} is not part of stage {}.", item.id, stage.id),
        ),
        _ => {}
    }
    p.into_result(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;

    fn request(status: ItemStatus) -> ItemUpdateRequest {
        ItemUpdateRequest {
            project_id: 1,
            item_id: catalog::builtin().items[0].id.clone(),
            status,
            waiver_reason: String::new(),
            owner: " Dana ".into(),
            notes: "checked on staging\n".into(),
            evidence: vec![
                "https://tickets.example/42".into(),
                " ".into(),
                "https://tickets.example/42".into(),
            ],
        }
    }

    fn fields(result: Result<ItemState, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_good_change_is_normalised() {
        let state = item_change(catalog::builtin(), &request(ItemStatus::Pass)).unwrap();
        assert_eq!(state.owner, "Dana");
        assert_eq!(state.notes, "checked on staging");
        assert_eq!(state.evidence, ["https://tickets.example/42"]);
    }

    #[test]
    fn links_left_by_a_run_are_kept() {
        let mut req = request(ItemStatus::Pass);
        req.evidence = vec!["handover:run/12".into(), "handover:run/x".into()];
        let err = item_change(catalog::builtin(), &req).unwrap_err();
        assert_eq!(err.len(), 1, "only the malformed run link is refused");
        req.evidence.pop();
        assert_eq!(
            item_change(catalog::builtin(), &req).unwrap().evidence,
            ["handover:run/12"]
        );
    }

    #[test]
    fn waiving_needs_a_reason_and_other_statuses_drop_it() {
        let catalog = catalog::builtin();
        let mut req = request(ItemStatus::Waived);
        req.waiver_reason = "  ".into();
        assert_eq!(fields(item_change(catalog, &req)), ["waiver_reason"]);
        req.waiver_reason = "Accepted by the CTO until the 2nd release".into();
        assert_eq!(
            item_change(catalog, &req).unwrap().waiver_reason,
            "Accepted by the CTO until the 2nd release"
        );
        req.status = ItemStatus::Fail;
        assert_eq!(item_change(catalog, &req).unwrap().waiver_reason, "");
    }

    #[test]
    fn bad_items_links_and_owners_are_reported() {
        let catalog = catalog::builtin();
        let mut req = request(ItemStatus::Pass);
        req.item_id = "no-such-item".into();
        req.owner = "a\u{7}b".into();
        req.evidence = vec!["javascript:alert(1)".into(), "not a link".into()];
        assert_eq!(
            fields(item_change(catalog, &req)),
            ["item_id", "owner", "evidence.0", "evidence.1"]
        );
    }

    #[test]
    fn positions_must_name_an_item_of_their_stage() {
        let catalog = catalog::builtin();
        let first = &catalog.items[0];
        let other_stage = catalog.stages.iter().find(|s| s.id != first.stage).unwrap();
        let good = Position {
            project_id: 1,
            stage_id: first.stage.clone(),
            item_id: first.id.clone(),
        };
        assert!(position(catalog, &good).is_ok());
        let wrong = Position {
            stage_id: other_stage.id.clone(),
            ..good.clone()
        };
        assert!(position(catalog, &wrong).is_err());
        let unknown = Position {
            stage_id: "nope".into(),
            ..good
        };
        assert!(position(catalog, &unknown).is_err());
    }
}
