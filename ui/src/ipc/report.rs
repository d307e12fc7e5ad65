//! The handover report: what an export would hold, the export, and opening
//! the last one in the system's viewer.

use handover_model::{
    command, CommandError, Done, Paper, ReportExportRequest, ReportExported, ReportFormat,
    ReportOpenRequest, ReportPreview, ReportPreviewRequest,
};

use super::call;

/// The watch list, the sections and the last export of a project.
pub async fn report_preview(project_id: i64) -> Result<ReportPreview, CommandError> {
    call(
        command::REPORT_PREVIEW,
        &ReportPreviewRequest { project_id },
    )
    .await
}

/// Writes the project's report to `path` (atomically), dated today.
pub async fn report_export(
    project_id: i64,
    path: String,
    format: ReportFormat,
    paper: Paper,
) -> Result<ReportExported, CommandError> {
    call(
        command::REPORT_EXPORT,
        &ReportExportRequest {
            project_id,
            path,
            format,
            paper,
        },
    )
    .await
}

/// Opens the project's last export with the system's viewer.
pub async fn report_open(project_id: i64) -> Result<Done, CommandError> {
    call(command::REPORT_OPEN, &ReportOpenRequest { project_id }).await
}
