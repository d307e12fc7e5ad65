//! Each project's secret baseline (the fingerprints it chose to ignore) and
//! its last secret scan. Both hold keyed fingerprints and redacted previews
//! only: a secret's value never reaches the store.

use handover_model::{ProjectSecrets, SecretIgnore};
use rusqlite::{params, OptionalExtension};

use super::projects::require_project;
use super::{Db, StoreError};

impl Db {
    /// Project `project_id`'s baseline, newest first.
    pub fn secret_ignores(&self, project_id: i64) -> Result<Vec<SecretIgnore>, StoreError> {
        require_project(&self.conn, project_id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT fingerprint, rule, location, reason, created_ms FROM secret_ignores \
             WHERE project_id = ?1 ORDER BY created_ms DESC, fingerprint",
        )?;
        let rows = stmt.query_map([project_id], |row| {
            Ok(SecretIgnore {
                fingerprint: row.get(0)?,
                rule: row.get(1)?,
                location: row.get(2)?,
                reason: row.get(3)?,
                created_ms: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds `ignore` to project `project_id`'s baseline; a fingerprint
    /// already there keeps its date and takes the new reason.
    pub fn add_secret_ignore(
        &mut self,
        project_id: i64,
        ignore: &SecretIgnore,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        require_project(&tx, project_id)?;
        tx.execute(
            "INSERT INTO secret_ignores (project_id, fingerprint, rule, location, reason, \
                 created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (project_id, fingerprint) DO UPDATE SET reason = excluded.reason",
            params![
                project_id,
                ignore.fingerprint,
                ignore.rule,
                ignore.location,
                ignore.reason,
                ignore.created_ms
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Takes `fingerprint` out of project `project_id`'s baseline; whether
    /// it was there.
    pub fn remove_secret_ignore(
        &mut self,
        project_id: i64,
        fingerprint: &str,
    ) -> Result<bool, StoreError> {
        require_project(&self.conn, project_id)?;
        let gone = self.conn.execute(
            "DELETE FROM secret_ignores WHERE project_id = ?1 AND fingerprint = ?2",
            params![project_id, fingerprint],
        )?;
        Ok(gone > 0)
    }

    /// Keeps `scan` as project `project_id`'s last secret scan, replacing
    /// the one before.
    pub fn save_secret_scan(
        &mut self,
        project_id: i64,
        scan: &ProjectSecrets,
    ) -> Result<(), StoreError> {
        let data = serde_json::to_string(scan)?;
        let tx = self.conn.transaction()?;
        require_project(&tx, project_id)?;
        tx.execute(
            "INSERT INTO secret_scans (project_id, scanned_ms, data) VALUES (?1, ?2, ?3) \
             ON CONFLICT (project_id) DO UPDATE SET scanned_ms = excluded.scanned_ms, \
                 data = excluded.data",
            params![project_id, scan.scanned_ms, data],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Project `project_id`'s last secret scan. One a newer or older
    /// Handover wrote in a shape this one cannot read counts as none (it is
    /// a result, made again by the next scan), with a warning in the log.
    pub fn last_secret_scan(&self, project_id: i64) -> Result<Option<ProjectSecrets>, StoreError> {
        require_project(&self.conn, project_id)?;
        let data: Option<String> = self
            .conn
            .query_row(
                "SELECT data FROM secret_scans WHERE project_id = ?1",
                [project_id],
                |row| row.get(0),
            )
            .optional()?;
        Ok(data.and_then(|data| match serde_json::from_str(&data) {
            Ok(scan) => Some(scan),
            Err(err) => {
                tracing::warn!(project_id, "the last secret scan was not readable: {err}");
                None
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use handover_model::HygieneCounts;

    use super::*;
    use crate::store::fixtures::full_spec;

    fn saved_project(db: &mut Db, name: &str) -> i64 {
        db.create_project(&full_spec(name), 1_000).unwrap().id
    }

    fn ignore(fp: char, at: i64) -> SecretIgnore {
        SecretIgnore {
            fingerprint: fp.to_string().repeat(32),
            rule: "stripe-live-key".into(),
            location: "src/pay.ts".into(),
            reason: "test fixture".into(),
            created_ms: at,
        }
    }

    #[test]
    fn the_baseline_adds_updates_lists_newest_first_and_removes() {
        let mut db = Db::open_in_memory().unwrap();
        let id = saved_project(&mut db, "Acme");
        db.add_secret_ignore(id, &ignore('a', 1)).unwrap();
        db.add_secret_ignore(id, &ignore('b', 2)).unwrap();
        let mut again = ignore('a', 9);
        again.reason = "revoked".into();
        db.add_secret_ignore(id, &again).unwrap();
        let listed = db.secret_ignores(id).unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].fingerprint, "b".repeat(32));
        assert_eq!(listed[1].reason, "revoked");
        assert_eq!(listed[1].created_ms, 1, "the first date is kept");
        assert!(db.remove_secret_ignore(id, &"a".repeat(32)).unwrap());
        assert!(!db.remove_secret_ignore(id, &"a".repeat(32)).unwrap());
        assert_eq!(db.secret_ignores(id).unwrap().len(), 1);
    }

    #[test]
    fn a_fingerprint_must_be_whole_and_the_project_must_exist() {
        let mut db = Db::open_in_memory().unwrap();
        let id = saved_project(&mut db, "Acme");
        let mut short = ignore('a', 1);
        short.fingerprint = "abc".into();
        assert!(db.add_secret_ignore(id, &short).is_err());
        assert!(matches!(
            db.add_secret_ignore(id + 40, &ignore('a', 1)),
            Err(StoreError::NotFound { .. })
        ));
    }

    #[test]
    fn the_last_scan_is_replaced_and_goes_with_its_project() {
        let mut db = Db::open_in_memory().unwrap();
        let id = saved_project(&mut db, "Acme");
        assert_eq!(db.last_secret_scan(id).unwrap(), None);
        let mut scan = ProjectSecrets {
            project_id: id,
            scanned_ms: 5,
            targets: Vec::new(),
            env: None,
            logs: Vec::new(),
            notes: vec!["a note".into()],
            counts: HygieneCounts::default(),
            leaks: false,
            verdict: "No secrets found.".into(),
            elapsed_ms: 3,
        };
        db.save_secret_scan(id, &scan).unwrap();
        scan.scanned_ms = 6;
        db.save_secret_scan(id, &scan).unwrap();
        assert_eq!(db.last_secret_scan(id).unwrap(), Some(scan));
        db.add_secret_ignore(id, &ignore('c', 1)).unwrap();
        db.delete_project(id).unwrap();
        let left: i64 = db
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM secret_scans) + (SELECT count(*) FROM secret_ignores)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0);
    }

    #[test]
    fn an_unreadable_last_scan_counts_as_none() {
        let mut db = Db::open_in_memory().unwrap();
        let id = saved_project(&mut db, "Acme");
        db.conn
            .execute(
                "INSERT INTO secret_scans (project_id, scanned_ms, data) VALUES (?1, 1, '{}')",
                [id],
            )
            .unwrap();
        assert_eq!(db.last_secret_scan(id).unwrap(), None);
    }
}
