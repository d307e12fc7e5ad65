//! The Secrets & env page's engine: a project's scan (its folders, recent
//! history, env files, optionally its deployed site and log exports), its
//! baseline of ignored fingerprints, and its last scan kept in the store.
//! `handover secrets --project` and the window both come through here.

use std::path::PathBuf;
use std::sync::Arc;

use handover_model::{
    FieldError, LocalSecrets, LogsScanRequest, ProjectSecrets, ScanProgress, SecretIgnoreRequest,
    SecretPlace, SecretScan, SecretUnignoreRequest, SecretsScanRequest, SecretsView,
};

use super::{WorkError, Workbench};
use crate::checks::net::Net;
use crate::checks::CheckTarget;
use crate::secrets::hygiene::{self, fingerprints, mark_local, refresh};
use crate::secrets::local::{scan_local_with, LocalScan};
use crate::secrets::logs::{scan_log, LogLimits};
use crate::secrets::site::{scan_site, Site, SiteLimits};
use crate::secrets::{FingerprintKey, Scanner};
use crate::store::now_ms;

/// Where a scan's progress goes (any thread).
pub type ScanSink = Arc<dyn Fn(ScanProgress) + Send + Sync>;

fn invalid(field: &str, message: impl Into<String>) -> WorkError {
    WorkError::Invalid(vec![FieldError {
        field: field.into(),
        message: message.into(),
    }])
}

/// A typed folder or file, `None` when blank.
pub(super) fn path_of(typed: &str) -> Option<PathBuf> {
    let typed = typed.trim();
    (!typed.is_empty()).then(|| PathBuf::from(typed))
}

impl Workbench {
    /// The project's fingerprint key, or a fresh one with a note saying
    /// fingerprints hold for this scan only.
    pub(super) async fn key_or_fresh(&self, project_id: i64) -> (FingerprintKey, Option<String>) {
        match self.secrets_key(project_id).await {
            Ok(key) => (key, None),
            Err(err) => (
                FingerprintKey::random(),
                Some(format!(
                    "no fingerprint key from the keychain ({err}): fingerprints hold for this \
                     scan only, so the baseline does not match"
                )),
            ),
        }
    }

    /// The page's data: the last scan with today's baseline, and the baseline.
    pub async fn secrets_view(&self, project_id: i64) -> Result<SecretsView, WorkError> {
        let (last, ignores) = self
            .store
            .run(move |db| {
                Ok((
                    db.last_secret_scan(project_id)?,
                    db.secret_ignores(project_id)?,
                ))
            })
            .await?;
        let last = last.map(|mut page| {
            refresh(&mut page, &ignores);
            page
        });
        Ok(SecretsView { last, ignores })
    }

    /// Scans project `request.project_id` as the page asks, keeps it as the
    /// project's last scan and answers it.
    pub async fn scan_hygiene(
        &self,
        request: SecretsScanRequest,
        progress: ScanSink,
    ) -> Result<ProjectSecrets, WorkError> {
        let project_id = request.project_id;
        let spec = self.project(project_id).await?.spec;
        let what = LocalScan {
            repo: path_of(&spec.repo_path),
            history_commits: request.history_commits as usize,
            build: path_of(&spec.build_output),
            env: Vec::new(),
            logs: request.logs.iter().filter_map(|l| path_of(l)).collect(),
        };
        let wants_site = request.site && !spec.apex.trim().is_empty();
        if what.repo.is_none() && what.build.is_none() && what.logs.is_empty() && !wants_site {
            return Err(invalid(
                "repo_path",
                "Set the project's repository folder or build output (Edit project), tick the \
                 deployed site, or name a log export: there is nothing to scan.",
            ));
        }
        let (key, note) = self.key_or_fresh(project_id).await;
        let mut local = if what.repo.is_some() || what.build.is_some() || !what.logs.is_empty() {
            let (what, key, sink) = (what.clone(), key.clone(), progress.clone());
            tokio::task::spawn_blocking(move || scan_local_with(&what, &key, &*sink))
                .await
                .map_err(|e| WorkError::Internal(format!("the scan stopped: {e}")))?
                .map_err(|e| invalid("repo_path", e.to_string()))?
        } else {
            LocalSecrets::default()
        };
        local.notes.extend(note);
        let site = if wants_site {
            Some(self.scan_project_site(&spec, &key, &progress).await)
        } else {
            None
        };
        let page = assemble(project_id, &what, local, site);
        self.keep(page).await
    }

    /// The deployed site's scan, or why it could not run.
    async fn scan_project_site(
        &self,
        spec: &handover_model::ProjectSpec,
        key: &FingerprintKey,
        progress: &ScanSink,
    ) -> (String, Result<SecretScan, String>) {
        let target = match CheckTarget::from_project(spec) {
            Ok(target) => target,
            Err(err) => return (spec.apex.clone(), Err(err.to_string())),
        };
        let site = Site::of(&target);
        let root = site
            .pages
            .first()
            .map(crate::checks::http::redact_url)
            .unwrap_or_else(|| spec.apex.clone());
        let net = match Net::new(&target) {
            Ok(net) => net,
            Err(err) => return (root, Err(err.to_string())),
        };
        progress(ScanProgress {
            place: SecretPlace::Site,
            files: 0,
            bytes: 0,
            finished: false,
        });
        let scan = scan_site(&net, &site, Scanner::builtin(), key, SiteLimits::default()).await;
        progress(ScanProgress {
            place: SecretPlace::Site,
            files: scan.scan.files,
            bytes: scan.scan.bytes,
            finished: true,
        });
        if scan.conclusive() {
            (root, Ok(scan.scan))
        } else {
            (
                root,
                Err("the homepage could not be read, so the site was not scanned".to_owned()),
            )
        }
    }

    /// Scans log exports only and puts them into the project's last scan
    /// (a scan with nothing else when there was none).
    pub async fn scan_logs(&self, request: LogsScanRequest) -> Result<ProjectSecrets, WorkError> {
        let project_id = request.project_id;
        let files: Vec<PathBuf> = request.files.iter().filter_map(|f| path_of(f)).collect();
        if files.is_empty() {
            return Err(invalid("files", "Name at least one log export to scan."));
        }
        let (key, note) = self.key_or_fresh(project_id).await;
        let scanned = tokio::task::spawn_blocking(move || {
            files
                .iter()
                .map(|f| scan_log(f, Scanner::builtin(), &key, LogLimits::default()))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| WorkError::Internal(format!("the scan stopped: {e}")))?;
        let mut logs = Vec::new();
        let mut problems = Vec::new();
        for result in scanned {
            match result {
                Ok(scan) => logs.push(scan),
                Err(err) => problems.push(err.to_string()),
            }
        }
        if logs.is_empty() {
            return Err(invalid("files", problems.join("; ")));
        }
        let last = self
            .store
            .run(move |db| db.last_secret_scan(project_id))
            .await?;
        let mut page = last.unwrap_or_else(|| {
            assemble(
                project_id,
                &LocalScan::default(),
                LocalSecrets::default(),
                None,
            )
        });
        page.logs = logs;
        page.notes.retain(|n| !n.starts_with("log export "));
        page.notes
            .extend(problems.into_iter().map(|p| format!("log export {p}")));
        page.notes.extend(note);
        self.keep(page).await
    }

    /// Applies the baseline, stores `page` as the last scan, answers it.
    async fn keep(&self, mut page: ProjectSecrets) -> Result<ProjectSecrets, WorkError> {
        let project_id = page.project_id;
        let ignores = self
            .store
            .run(move |db| db.secret_ignores(project_id))
            .await?;
        refresh(&mut page, &ignores);
        let stored = page.clone();
        self.store
            .run(move |db| db.save_secret_scan(project_id, &stored))
            .await?;
        tracing::info!(
            project_id,
            open = page.counts.open,
            ignored = page.counts.ignored,
            "secret scan finished"
        );
        Ok(page)
    }

    /// Adds a fingerprint to the project's baseline.
    pub async fn ignore_secret(
        &self,
        request: SecretIgnoreRequest,
    ) -> Result<SecretsView, WorkError> {
        let project_id = request.project_id;
        let last = self
            .store
            .run(move |db| db.last_secret_scan(project_id))
            .await?;
        let ignore = hygiene::resolve(
            &request.fingerprint,
            &request.reason,
            last.as_ref(),
            now_ms(),
        )
        .map_err(|e| invalid("fingerprint", e.to_string()))?;
        self.store
            .run(move |db| db.add_secret_ignore(project_id, &ignore))
            .await?;
        self.secrets_view(project_id).await
    }

    /// Takes a fingerprint out of the project's baseline.
    pub async fn unignore_secret(
        &self,
        request: SecretUnignoreRequest,
    ) -> Result<SecretsView, WorkError> {
        let project_id = request.project_id;
        let fingerprint = request.fingerprint.trim().to_ascii_lowercase();
        let removed = self
            .store
            .run(move |db| db.remove_secret_ignore(project_id, &fingerprint))
            .await?;
        if !removed {
            return Err(invalid(
                "fingerprint",
                "That fingerprint is not in the project's baseline.",
            ));
        }
        self.secrets_view(project_id).await
    }

    /// The fingerprints project `project_id`'s baseline ignores.
    pub(crate) async fn ignored_fingerprints(
        &self,
        project_id: i64,
    ) -> Result<std::collections::HashSet<String>, WorkError> {
        let ignores = self
            .store
            .run(move |db| db.secret_ignores(project_id))
            .await?;
        Ok(fingerprints(&ignores))
    }

    /// Marks `local` with the project's baseline and, when it scanned the
    /// project's own folders, keeps it as the project's last scan.
    pub(crate) async fn settle_local(
        &self,
        project_id: i64,
        own_folders: bool,
        mut local: LocalSecrets,
        what: &LocalScan,
    ) -> Result<LocalSecrets, WorkError> {
        let ignored = self.ignored_fingerprints(project_id).await?;
        mark_local(&mut local, &ignored);
        if own_folders {
            self.keep(assemble(project_id, what, local.clone(), None))
                .await?;
        }
        Ok(local)
    }
}

/// The page's shape of a local scan and (maybe) a site scan.
pub(crate) fn assemble(
    project_id: i64,
    what: &LocalScan,
    local: LocalSecrets,
    site: Option<(String, Result<SecretScan, String>)>,
) -> ProjectSecrets {
    let shown = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
    let repo_root = shown(&what.repo).unwrap_or_default();
    let repo = match local.repo {
        Some(scan) => Ok(scan),
        None => Err("No repository folder is set for this project.".to_owned()),
    };
    let history = match (local.history, &what.repo, what.history_commits) {
        (Some(scan), _, _) => Ok(scan),
        (None, None, _) => Err("No repository folder is set for this project.".to_owned()),
        (None, Some(_), 0) => Err("History was not asked for (0 commits).".to_owned()),
        (None, Some(_), _) => Err("The history could not be read: see the notes.".to_owned()),
    };
    let build = match local.build {
        Some(scan) => Ok(scan),
        None => Err("No build output folder is set for this project.".to_owned()),
    };
    let (site_root, site) = site.unwrap_or_else(|| {
        (
            String::new(),
            Err("The deployed site was not asked for.".to_owned()),
        )
    });
    let mut history_target = hygiene::target(SecretPlace::History, repo_root.clone(), history);
    if what.history_commits > 0 {
        history_target.label = format!(
            "{} (last {} commits)",
            history_target.label, what.history_commits
        );
    }
    let mut page = ProjectSecrets {
        project_id,
        scanned_ms: now_ms(),
        targets: vec![
            hygiene::target(SecretPlace::Repo, repo_root, repo),
            history_target,
            hygiene::target(
                SecretPlace::BuildOutput,
                shown(&what.build).unwrap_or_default(),
                build,
            ),
            hygiene::target(SecretPlace::Site, site_root, site),
        ],
        env: local.env,
        logs: local.logs,
        notes: local.notes,
        counts: Default::default(),
        leaks: false,
        verdict: String::new(),
        elapsed_ms: local.elapsed_ms,
    };
    refresh(&mut page, &[]);
    page
}
