//! Projects as files: import a project description (TOML or JSON) from a
//! path the user picked, or export one to a path.

use serde::{Deserialize, Serialize};

/// `project_import`: reads a project file, validates it like the form and
/// stores it. Answers with the [`crate::Project`]; every problem with the
/// file comes back as one `invalid_input` error listing each field path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectImportRequest {
    /// The file, `.toml` or `.json` (the extension picks the format).
    pub path: String,
    /// Update the project with the same name in place instead of refusing
    /// the duplicate (a `conflict` error).
    pub replace: bool,
}

/// `project_export`: writes a project's description to a file. Answers
/// with [`crate::Done`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectExportRequest {
    /// Project id.
    pub id: i64,
    /// Where to write, `.toml` or `.json` (the extension picks the format).
    pub path: String,
}
