//! The last handover report exported per project: where, in which format
//! and paper, when and how big — never its content.

use handover_model::{ExportRecord, Paper, ReportFormat};
use rusqlite::types::Type;
use rusqlite::{params, OptionalExtension};

use super::projects::require_project;
use super::{Db, StoreError};

impl Db {
    /// Remembers `record` as project `project_id`'s last export, replacing
    /// the one before.
    pub fn record_export(
        &mut self,
        project_id: i64,
        record: &ExportRecord,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        require_project(&tx, project_id)?;
        tx.execute(
            "INSERT INTO report_exports (project_id, path, format, paper, at_ms, bytes) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (project_id) DO UPDATE SET path = excluded.path, \
                 format = excluded.format, paper = excluded.paper, \
                 at_ms = excluded.at_ms, bytes = excluded.bytes",
            params![
                project_id,
                record.path,
                record.format.as_str(),
                record.paper.as_str(),
                record.at_ms,
                i64::try_from(record.bytes).unwrap_or(i64::MAX),
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Project `project_id`'s last export, if it has one.
    pub fn last_export(&self, project_id: i64) -> Result<Option<ExportRecord>, StoreError> {
        require_project(&self.conn, project_id)?;
        Ok(self
            .conn
            .query_row(
                "SELECT path, format, paper, at_ms, bytes FROM report_exports \
                 WHERE project_id = ?1",
                [project_id],
                |row| {
                    let format: String = row.get(1)?;
                    let paper: String = row.get(2)?;
                    let bytes: i64 = row.get(4)?;
                    Ok(ExportRecord {
                        path: row.get(0)?,
                        format: ReportFormat::parse(&format)
                            .ok_or_else(|| bad_column(1, format!("unknown format {format:?}")))?,
                        paper: Paper::parse(&paper)
                            .ok_or_else(|| bad_column(2, format!("unknown paper {paper:?}")))?,
                        at_ms: row.get(3)?,
                        bytes: u64::try_from(bytes).unwrap_or(0),
                    })
                },
            )
            .optional()?)
    }
}

fn bad_column(index: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, what.into())
}

#[cfg(test)]
mod tests {
    use handover_model::ProjectSpec;

    use super::*;

    fn record(path: &str, format: ReportFormat, at_ms: i64) -> ExportRecord {
        ExportRecord {
            path: path.into(),
            format,
            paper: Paper::Letter,
            at_ms,
            bytes: 1234,
        }
    }

    #[test]
    fn the_last_export_replaces_the_one_before_and_goes_with_its_project() {
        let mut db = Db::open_in_memory().unwrap();
        let spec = ProjectSpec {
            name: "Opsbot".into(),
            apex: "example.com".into(),
            ..ProjectSpec::default()
        };
        let project = db.create_project(&spec, 1).unwrap();
        assert_eq!(db.last_export(project.id).unwrap(), None);

        let first = record("/tmp/a.pdf", ReportFormat::Pdf, 10);
        db.record_export(project.id, &first).unwrap();
        assert_eq!(db.last_export(project.id).unwrap(), Some(first));
        let second = record("/tmp/b.md", ReportFormat::Markdown, 20);
        db.record_export(project.id, &second).unwrap();
        assert_eq!(db.last_export(project.id).unwrap(), Some(second.clone()));

        assert!(matches!(
            db.record_export(999, &second),
            Err(StoreError::NotFound { .. })
        ));
        db.delete_project(project.id).unwrap();
        assert!(matches!(
            db.last_export(project.id),
            Err(StoreError::NotFound { .. })
        ));
        let rows: i64 = db
            .conn
            .query_row("SELECT count(*) FROM report_exports", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 0);
    }
}
