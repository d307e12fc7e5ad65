//! Projects, items, history and positions against an in-memory database.

use handover_model::{ItemState, ItemStatus, Position, ProjectSpec};

use super::fixtures::full_spec;
use super::{Db, StoreError};

/// A minimal spec named `name`.
fn spec(name: &str) -> ProjectSpec {
    ProjectSpec {
        name: name.to_owned(),
        apex: "example.com".to_owned(),
        ..ProjectSpec::default()
    }
}

/// An item state with the given status and notes, other fields empty.
fn item(item_id: &str, status: ItemStatus, notes: &str) -> ItemState {
    ItemState {
        item_id: item_id.to_owned(),
        status,
        notes: notes.to_owned(),
        ..ItemState::default()
    }
}

fn db() -> Db {
    Db::open_in_memory().expect("in-memory database")
}

#[test]
fn a_full_spec_round_trips() {
    let mut db = db();
    let spec = full_spec("Shop");
    let created = db.create_project(&spec, 1_000).unwrap();
    assert_eq!(created.spec, spec);
    assert_eq!((created.created_ms, created.updated_ms), (1_000, 1_000));
    assert_eq!(db.project(created.id).unwrap(), created);
    assert_eq!(db.projects().unwrap(), vec![created]);
}

#[test]
fn at_most_one_project_is_the_demo_and_edits_keep_the_mark() {
    let mut db = db();
    let a = db.create_project(&spec("A"), 1).unwrap();
    let b = db.create_project(&spec("B"), 2).unwrap();
    assert!(db.demo_project().unwrap().is_none());
    db.mark_demo(a.id).unwrap();
    assert_eq!(db.demo_project().unwrap().map(|p| p.id), Some(a.id));
    db.mark_demo(b.id).unwrap();
    assert_eq!(db.demo_project().unwrap().map(|p| p.id), Some(b.id));
    assert!(!db.project(a.id).unwrap().demo);
    let edited = db.update_project(b.id, &spec("B2"), 3).unwrap();
    assert!(edited.demo, "an edit keeps the mark");
    assert!(db
        .projects()
        .unwrap()
        .iter()
        .any(|p| p.demo && p.id == b.id));
    assert!(matches!(db.mark_demo(99), Err(StoreError::NotFound { .. })));
    db.delete_project(b.id).unwrap();
    assert!(db.demo_project().unwrap().is_none());
}

#[test]
fn update_replaces_the_spec_and_keeps_creation_time() {
    let mut db = db();
    let created = db.create_project(&spec("Shop"), 1_000).unwrap();
    let changed = full_spec("Shop 2");
    let updated = db.update_project(created.id, &changed, 2_000).unwrap();
    assert_eq!(updated.spec, changed);
    assert_eq!((updated.created_ms, updated.updated_ms), (1_000, 2_000));
    assert_eq!(db.project(created.id).unwrap(), updated);
    // Renaming to its own name in another case is not a clash.
    db.update_project(created.id, &spec("SHOP 2"), 3_000)
        .unwrap();
}

#[test]
fn projects_are_listed_most_recently_changed_first() {
    let mut db = db();
    let a = db.create_project(&spec("A"), 1_000).unwrap();
    let b = db.create_project(&spec("B"), 2_000).unwrap();
    let c = db.create_project(&spec("C"), 3_000).unwrap();
    let ids = |db: &Db| {
        db.projects()
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&db), [c.id, b.id, a.id]);
    db.update_project(a.id, &spec("A"), 4_000).unwrap();
    assert_eq!(ids(&db), [a.id, c.id, b.id]);
    // An item change counts as a change to the project.
    db.update_item(b.id, &item("x", ItemStatus::Pass, ""), "me", 5_000)
        .unwrap();
    assert_eq!(ids(&db), [b.id, a.id, c.id]);
}

#[test]
fn names_are_unique_ignoring_case() {
    let mut db = db();
    let shop = db.create_project(&spec("Shop"), 1_000).unwrap();
    let other = db.create_project(&spec("Other"), 1_000).unwrap();
    assert!(matches!(
        db.create_project(&spec("sHOP"), 2_000),
        Err(StoreError::NameTaken(name)) if name == "sHOP"
    ));
    assert!(matches!(
        db.update_project(other.id, &spec("SHOP"), 2_000),
        Err(StoreError::NameTaken(_))
    ));
    assert!(db.name_taken("shop", None).unwrap());
    assert!(!db.name_taken("shop", Some(shop.id)).unwrap());
    assert!(db.name_taken("OTHER", Some(shop.id)).unwrap());
    assert!(!db.name_taken("Shops", None).unwrap());
    assert_eq!(db.project(other.id).unwrap().spec.name, "Other");
    assert_eq!(db.projects().unwrap().len(), 2);
}

#[test]
fn missing_projects_are_not_found() {
    let mut db = db();
    let not_found = |r: Result<(), StoreError>| {
        assert!(
            matches!(&r, Err(StoreError::NotFound { what: "project", id }) if id == "42"),
            "{r:?}"
        );
    };
    not_found(db.project(42).map(drop));
    not_found(db.update_project(42, &spec("X"), 1).map(drop));
    not_found(db.delete_project(42));
    not_found(db.item_states(42).map(drop));
    not_found(db.item_state(42, "x").map(drop));
    not_found(db.history(42, None).map(drop));
    not_found(db.position(42).map(drop));
    let pos = Position {
        project_id: 42,
        stage_id: "s".to_owned(),
        item_id: "x".to_owned(),
    };
    not_found(db.set_position(&pos, 1));
    not_found(
        db.update_item(42, &item("x", ItemStatus::Pass, ""), "me", 1)
            .map(drop),
    );
    assert_eq!(count(&db, "item_states") + count(&db, "item_history"), 0);
}

/// Rows in `table`.
fn count(db: &Db, table: &str) -> i64 {
    db.conn
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn deleting_a_project_removes_its_states_history_and_position() {
    let mut db = db();
    let gone = db.create_project(&spec("Gone"), 1_000).unwrap();
    let kept = db.create_project(&spec("Kept"), 1_000).unwrap();
    for id in [gone.id, kept.id] {
        db.update_item(id, &item("a", ItemStatus::Fail, "n"), "me", 2_000)
            .unwrap();
        let pos = Position {
            project_id: id,
            stage_id: "quick".to_owned(),
            item_id: "a".to_owned(),
        };
        db.set_position(&pos, 3_000).unwrap();
    }
    db.delete_project(gone.id).unwrap();
    assert!(matches!(
        db.project(gone.id),
        Err(StoreError::NotFound { .. })
    ));
    for table in ["item_states", "item_history", "positions"] {
        let left: i64 = db
            .conn
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE project_id = ?1"),
                [gone.id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "{table}");
    }
    assert_eq!(db.item_states(kept.id).unwrap().len(), 1);
    assert_eq!(db.history(kept.id, None).unwrap().len(), 2);
    assert_eq!(db.last_position().unwrap().unwrap().project_id, kept.id);
    assert_eq!(db.integrity_check().unwrap(), "ok");
}

#[test]
fn update_item_records_exactly_the_changed_fields() {
    let mut db = db();
    let p = db.create_project(&spec("P"), 1_000).unwrap();
    assert_eq!(db.item_state(p.id, "tls").unwrap(), None);

    let first = ItemState {
        item_id: "tls".to_owned(),
        status: ItemStatus::Waived,
        waiver_reason: "internal only".to_owned(),
        owner: "ana".to_owned(),
        notes: String::new(),
        evidence: vec![
            "https://a.example/1".to_owned(),
            "https://a.example/2".to_owned(),
        ],
        // Whatever the caller puts here is replaced by the store.
        updated_ms: Some(1),
        updated_by: "ignored".to_owned(),
        could_not_check: String::new(),
    };
    let stored = db.update_item(p.id, &first, "ana", 2_000).unwrap();
    assert_eq!(stored.updated_ms, Some(2_000));
    assert_eq!(stored.updated_by, "ana");
    assert_eq!(db.item_state(p.id, "tls").unwrap().as_ref(), Some(&stored));
    assert_eq!(db.item_states(p.id).unwrap(), vec![stored.clone()]);
    assert_eq!(db.project(p.id).unwrap().updated_ms, 2_000);
    let fields: Vec<_> = db
        .history(p.id, Some("tls"))
        .unwrap()
        .into_iter()
        .map(|e| (e.field, e.from, e.to, e.actor, e.at_ms))
        .collect();
    let row = |f: &str, from: &str, to: &str| {
        (
            f.to_owned(),
            from.to_owned(),
            to.to_owned(),
            "ana".to_owned(),
            2_000,
        )
    };
    // Same timestamp: newest (last inserted) first.
    assert_eq!(
        fields,
        vec![
            row("evidence", "", "https://a.example/1\nhttps://a.example/2"),
            row("owner", "", "ana"),
            row("waiver_reason", "", "internal only"),
            row("status", "todo", "waived"),
        ]
    );

    // Only the status and the waiver reason change now.
    let second = ItemState {
        status: ItemStatus::NotApplicable,
        waiver_reason: String::new(),
        ..first.clone()
    };
    let stored = db.update_item(p.id, &second, "bo", 3_000).unwrap();
    assert_eq!(stored.status, ItemStatus::NotApplicable);
    let newest: Vec<_> = db.history(p.id, None).unwrap()[..2]
        .iter()
        .map(|e| {
            (
                e.field.clone(),
                e.from.clone(),
                e.to.clone(),
                e.actor.clone(),
            )
        })
        .collect();
    assert_eq!(
        newest,
        vec![
            (
                "waiver_reason".into(),
                "internal only".into(),
                "".into(),
                "bo".into()
            ),
            (
                "status".into(),
                "waived".into(),
                "not_applicable".into(),
                "bo".into()
            ),
        ]
    );
    assert_eq!(db.history(p.id, None).unwrap().len(), 6);
}

#[test]
fn an_update_that_changes_nothing_writes_nothing() {
    let mut db = db();
    let p = db.create_project(&spec("P"), 1_000).unwrap();
    // Untouched item set to the default: no row, no history, project not bumped.
    let untouched = db
        .update_item(p.id, &item("a", ItemStatus::Todo, ""), "me", 2_000)
        .unwrap();
    assert_eq!(untouched, item("a", ItemStatus::Todo, ""));
    assert_eq!(db.item_states(p.id).unwrap(), vec![]);

    let stored = db
        .update_item(p.id, &item("a", ItemStatus::Pass, "ok"), "me", 3_000)
        .unwrap();
    let again = db
        .update_item(p.id, &item("a", ItemStatus::Pass, "ok"), "you", 4_000)
        .unwrap();
    assert_eq!(again, stored, "answers the state as it was");
    assert_eq!(db.history(p.id, None).unwrap().len(), 2);
    assert_eq!(db.project(p.id).unwrap().updated_ms, 3_000);
}

#[test]
fn history_is_newest_first_and_filters_by_item() {
    let mut db = db();
    let p = db.create_project(&spec("P"), 1_000).unwrap();
    db.update_item(p.id, &item("a", ItemStatus::Todo, "1"), "me", 3_000)
        .unwrap();
    db.update_item(p.id, &item("b", ItemStatus::Todo, "2"), "me", 2_000)
        .unwrap();
    db.update_item(p.id, &item("a", ItemStatus::Todo, "3"), "me", 4_000)
        .unwrap();
    let all: Vec<_> = db
        .history(p.id, None)
        .unwrap()
        .into_iter()
        .map(|e| (e.item_id, e.to, e.at_ms))
        .collect();
    assert_eq!(
        all,
        vec![
            ("a".into(), "3".into(), 4_000),
            ("a".into(), "1".into(), 3_000),
            ("b".into(), "2".into(), 2_000),
        ]
    );
    let a: Vec<_> = db
        .history(p.id, Some("a"))
        .unwrap()
        .into_iter()
        .map(|e| (e.from, e.to))
        .collect();
    assert_eq!(a, vec![("1".into(), "3".into()), ("".into(), "1".into())]);
    assert_eq!(db.history(p.id, Some("zzz")).unwrap(), vec![]);
}

#[test]
fn history_rows_cannot_be_changed_or_removed() {
    let mut db = db();
    let p = db.create_project(&spec("P"), 1_000).unwrap();
    db.update_item(p.id, &item("a", ItemStatus::Fail, "x"), "me", 2_000)
        .unwrap();
    for sql in [
        "UPDATE item_history SET new = 'forged'",
        "DELETE FROM item_history",
        "DELETE FROM item_history WHERE field = 'notes'",
    ] {
        let err = db.conn.execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(db.history(p.id, None).unwrap().len(), 2);
}

#[test]
fn constraints_reject_bad_rows() {
    let mut db = db();
    let p = db.create_project(&spec("P"), 1_000).unwrap();
    for sql in [
        "INSERT INTO projects (name, apex, spec, created_ms, updated_ms) \
         VALUES ('Q', 'q.com', '{not json', 1, 1)",
        "INSERT INTO item_states (project_id, item_id, status, updated_ms, updated_by) \
         VALUES (?1, 'a', 'done', 1, 'me')",
        "INSERT INTO item_states (project_id, item_id, status, evidence, updated_ms, updated_by) \
         VALUES (?1, 'a', 'pass', '[', 1, 'me')",
        "INSERT INTO item_states (project_id, item_id, status, updated_ms, updated_by) \
         VALUES (?1 + 1, 'a', 'pass', 1, 'me')",
    ] {
        let params: &[&dyn rusqlite::ToSql] = if sql.contains("?1") { &[&p.id] } else { &[] };
        assert!(db.conn.execute(sql, params).is_err(), "{sql}");
    }
}

#[test]
fn positions_are_per_project_and_the_last_one_wins() {
    let mut db = db();
    assert_eq!(db.last_position().unwrap(), None);
    let a = db.create_project(&spec("A"), 1_000).unwrap();
    let b = db.create_project(&spec("B"), 1_000).unwrap();
    assert_eq!(db.position(a.id).unwrap(), None);
    let at = |project_id, item: &str| Position {
        project_id,
        stage_id: "security".to_owned(),
        item_id: item.to_owned(),
    };
    db.set_position(&at(a.id, "one"), 2_000).unwrap();
    db.set_position(&at(b.id, "two"), 3_000).unwrap();
    assert_eq!(db.last_position().unwrap(), Some(at(b.id, "two")));
    db.set_position(&at(a.id, "three"), 4_000).unwrap();
    assert_eq!(db.position(a.id).unwrap(), Some(at(a.id, "three")));
    assert_eq!(db.position(b.id).unwrap(), Some(at(b.id, "two")));
    assert_eq!(db.last_position().unwrap(), Some(at(a.id, "three")));
}
