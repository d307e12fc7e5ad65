//! A project's walk through the checklist: each item's state, its history,
//! where the user left off, and the go/no-go verdict.

use serde::{Deserialize, Serialize};

use crate::accounts::HandoverFinding;
use crate::checklist::Risk;

/// Where an item stands for one project.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Not looked at yet.
    #[default]
    Todo,
    /// Verified and fine.
    Pass,
    /// Verified and not fine.
    Fail,
    /// Knowingly accepted; a reason is required.
    Waived,
    /// Does not apply to this product.
    NotApplicable,
}

impl ItemStatus {
    /// Every status, in the order the UI offers them.
    pub const ALL: [ItemStatus; 5] = [
        ItemStatus::Todo,
        ItemStatus::Pass,
        ItemStatus::Fail,
        ItemStatus::Waived,
        ItemStatus::NotApplicable,
    ];

    /// The wire name, e.g. `not_applicable`.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Todo => "todo",
            ItemStatus::Pass => "pass",
            ItemStatus::Fail => "fail",
            ItemStatus::Waived => "waived",
            ItemStatus::NotApplicable => "not_applicable",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::Todo => "To do",
            ItemStatus::Pass => "Pass",
            ItemStatus::Fail => "Fail",
            ItemStatus::Waived => "Waived",
            ItemStatus::NotApplicable => "Not applicable",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Still needs work: to do or failed.
    pub fn is_open(self) -> bool {
        matches!(self, ItemStatus::Todo | ItemStatus::Fail)
    }
}

/// One checklist item's state in one project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemState {
    /// The catalog item id.
    pub item_id: String,
    /// Current status.
    pub status: ItemStatus,
    /// Why it was waived; non-empty exactly when the status is `waived`.
    pub waiver_reason: String,
    /// Who is responsible for it.
    pub owner: String,
    /// Free notes.
    pub notes: String,
    /// Links to evidence (tickets, dashboards, screenshots), `http(s)` URLs.
    pub evidence: Vec<String>,
    /// Last change, ms since the epoch; `None` if never touched.
    pub updated_ms: Option<i64>,
    /// Who made the last change.
    pub updated_by: String,
    /// Set by a run that could not judge this automated item: why, e.g.
    /// "could not check: api.example.com:443 refused the connection".
    /// Empty when the last run judged it (or none ran).
    #[serde(default)]
    pub could_not_check: String,
}

/// One recorded change to one field of an item. History is append-only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The item.
    pub item_id: String,
    /// Which field changed: `status`, `waiver_reason`, `owner`, `notes`, `evidence`
    /// or `could_not_check` (set by a run that could not judge the item).
    pub field: String,
    /// The value before (evidence as newline-separated links).
    pub from: String,
    /// The value after.
    pub to: String,
    /// Who changed it (the OS user, or `cli`).
    pub actor: String,
    /// When, ms since the epoch.
    pub at_ms: i64,
}

/// Where the walkthrough was last left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Project id.
    pub project_id: i64,
    /// Stage id.
    pub stage_id: String,
    /// Item id within that stage.
    pub item_id: String,
}

/// Go or no-go for launch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No open blocker.
    Go,
    /// At least one blocker is open.
    NoGo,
}

/// An open item, as ranked on the Overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenItem {
    /// Catalog item id.
    pub item_id: String,
    /// Item title.
    pub title: String,
    /// Stage id.
    pub stage_id: String,
    /// Stage number, 1 to 7.
    pub stage_number: u8,
    /// The item's risk.
    pub risk: Risk,
    /// `todo` or `fail`.
    pub status: ItemStatus,
    /// Who owns it, if anyone.
    pub owner: String,
    /// Why the last run could not judge it; empty when it did.
    #[serde(default)]
    pub could_not_check: String,
}

/// Progress through one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageProgress {
    /// Stage id.
    pub stage_id: String,
    /// Stage number, 1 to 7.
    pub number: u8,
    /// Stage title.
    pub title: String,
    /// Items in the stage.
    pub total: u32,
    /// Items decided (pass, waived, not applicable).
    pub done: u32,
    /// Items marked fail.
    pub failed: u32,
    /// Open items with risk `blocker`.
    pub open_blockers: u32,
    /// Items whose last run could not judge them.
    #[serde(default)]
    pub inconclusive: u32,
}

/// Everything the Overview shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// Project id.
    pub project_id: i64,
    /// Project name.
    pub name: String,
    /// Go when no blocker is open and no handover finding is at blocker level.
    pub verdict: Verdict,
    /// Why the verdict is what it is, one sentence each, most important
    /// first (e.g. "3 blocker checks could not run").
    #[serde(default)]
    pub reasons: Vec<String>,
    /// Blocker-risk automated items the last run could not judge.
    #[serde(default)]
    pub inconclusive_blockers: u32,
    /// Open items with risk `blocker`, ranked (these decide the verdict).
    pub blockers: Vec<OpenItem>,
    /// Every open item, ranked by risk, then stage, failures before to-dos.
    pub open: Vec<OpenItem>,
    /// Per-stage progress, in stage order.
    pub stages: Vec<StageProgress>,
    /// Items decided out of all items.
    pub done: u32,
    /// All items.
    pub total: u32,
    /// Where the walkthrough was left, if anywhere.
    pub position: Option<Position>,
    /// Gaps in account ownership, alert contacts and credential rotation;
    /// a `blocker` finding makes the verdict no-go like a checklist blocker.
    #[serde(default)]
    pub handover: Vec<HandoverFinding>,
}

/// `items_get`: the state of every item of a project (untouched items as `todo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemsGetRequest {
    /// Project id.
    pub project_id: i64,
}

/// Answer to `items_get`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemStates {
    /// One entry per catalog item, in catalog order.
    pub items: Vec<ItemState>,
    /// Where the walkthrough was left, if anywhere.
    pub position: Option<Position>,
}

/// `item_update`: sets an item's status, owner, notes and evidence at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemUpdateRequest {
    /// Project id.
    pub project_id: i64,
    /// Catalog item id.
    pub item_id: String,
    /// New status.
    pub status: ItemStatus,
    /// Required (non-blank) when waiving; cleared otherwise.
    pub waiver_reason: String,
    /// Owner.
    pub owner: String,
    /// Notes.
    pub notes: String,
    /// Evidence links, `http(s)` URLs.
    pub evidence: Vec<String>,
}

/// `item_history`: the changes to one item (or, with no item, the project), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemHistoryRequest {
    /// Project id.
    pub project_id: i64,
    /// One item, or `None` for all items of the project.
    pub item_id: Option<String>,
}

/// Answer to `item_history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// Newest first.
    pub entries: Vec<HistoryEntry>,
}

/// `overview_get`: verdict, ranked open items and progress of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewRequest {
    /// Project id.
    pub project_id: i64,
}

/// `position_set`: remembers where the walkthrough is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionSetRequest {
    /// The position.
    pub position: Position,
}

/// `resume_get`: the last place the user was, across projects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumeRequest {}

/// Answer to `resume_get`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resume {
    /// The most recent position, if any project was ever walked.
    pub position: Option<Position>,
}

/// `catalog_get`: the checklist catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogRequest {}
