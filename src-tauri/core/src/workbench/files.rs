//! Projects in and out as files ([`crate::project::file`]): import a
//! description, creating a project or updating the one with its name, and
//! write a stored project back out as TOML or JSON.

use handover_model::{Project, ProjectSpec};

use super::{WorkError, Workbench};
use crate::project::{self, file::Format};
use crate::store::{now_ms, StoreError};

impl Workbench {
    /// Validates `spec` like the form and stores it as a new project. A
    /// project with the same name (case-insensitive) is refused as
    /// [`StoreError::NameTaken`] unless `replace`, in which case that
    /// project is updated in place: it keeps its id, checklist state,
    /// history, accounts and runs.
    pub async fn import_project(
        &self,
        spec: ProjectSpec,
        replace: bool,
    ) -> Result<Project, WorkError> {
        let spec = project::validate(&spec).map_err(WorkError::Invalid)?;
        let now = now_ms();
        Ok(self
            .store
            .run(move |db| {
                let existing = db
                    .projects()?
                    .into_iter()
                    .find(|p| p.spec.name.eq_ignore_ascii_case(&spec.name));
                match existing {
                    Some(found) if replace => db.update_project(found.id, &spec, now),
                    Some(found) => Err(StoreError::NameTaken(found.spec.name)),
                    None => db.create_project(&spec, now),
                }
            })
            .await?)
    }

    /// A stored project's description as the text of a project file.
    pub async fn export_project_file(&self, id: i64, format: Format) -> Result<String, WorkError> {
        let project = self.project(id).await?;
        project::file::render(&project.spec, format)
            .map_err(|err| WorkError::Internal(err.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use handover_model::{ItemStatus, ItemUpdateRequest};

    use super::*;
    use crate::store::Store;
    use crate::vault::Vault;

    fn workbench() -> Workbench {
        Workbench::new(
            Store::open_in_memory().unwrap(),
            Arc::new(Vault::unreachable("not needed")),
            "tester",
        )
    }

    fn spec(name: &str, apex: &str) -> ProjectSpec {
        ProjectSpec {
            name: name.into(),
            apex: apex.into(),
            ..ProjectSpec::default()
        }
    }

    #[tokio::test]
    async fn a_duplicate_name_is_refused_unless_replacing_in_place() {
        let bench = workbench();
        let first = bench
            .import_project(spec("Opsbot", "example.com"), false)
            .await
            .unwrap();
        let item_id = bench.catalog().items[0].id.clone();
        bench
            .update_item(ItemUpdateRequest {
                project_id: first.id,
                item_id: item_id.clone(),
                status: ItemStatus::Pass,
                waiver_reason: String::new(),
                owner: String::new(),
                notes: String::new(),
                evidence: Vec::new(),
            })
            .await
            .unwrap();

        let err = bench
            .import_project(spec("OPSBOT", "example.org"), false)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, WorkError::Store(StoreError::NameTaken(name)) if name == "Opsbot"),
            "{err:?}"
        );

        let replaced = bench
            .import_project(spec("opsbot", "example.org"), true)
            .await
            .unwrap();
        assert_eq!(replaced.id, first.id);
        assert_eq!(replaced.spec.apex, "example.org");
        assert_eq!(bench.projects().await.unwrap().len(), 1);
        let items = bench.items(first.id).await.unwrap();
        let item = items.items.iter().find(|i| i.item_id == item_id).unwrap();
        assert_eq!(item.status, ItemStatus::Pass, "the audit state is kept");
    }

    #[tokio::test]
    async fn an_invalid_spec_is_refused_with_its_fields() {
        let err = workbench()
            .import_project(spec("", "not a domain"), false)
            .await
            .unwrap_err();
        let WorkError::Invalid(fields) = err else {
            panic!("{err:?}")
        };
        let fields: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "apex"]);
    }

    #[tokio::test]
    async fn an_exported_file_imports_back_to_the_same_spec() {
        let bench = workbench();
        let project = bench
            .import_project(spec("Opsbot", "bücher.example"), false)
            .await
            .unwrap();
        for format in Format::ALL {
            let text = bench.export_project_file(project.id, format).await.unwrap();
            let back = project::file::parse(&text, format, Path::new("/")).unwrap();
            assert_eq!(back, project.spec, "{format}");
        }
        assert!(matches!(
            bench.export_project_file(999, Format::Toml).await,
            Err(WorkError::Store(StoreError::NotFound { .. }))
        ));
    }
}
