//! The chatbot's evaluation set as a project keeps it: the cases (a
//! question or a short conversation, its category and what the answer must
//! and must not do) and the chat adapter that sends them to the project's
//! chat endpoint. The core runs them (`ai.eval`, `handover eval`, the Eval
//! page); [`crate::eval_run`] holds what a run found.

use serde::{Deserialize, Serialize};

use crate::{EndpointAuth, EnvironmentKind, Header, Method};

/// What a case probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvalCategory {
    /// A question whose answer is written policy (expenses, leave, access).
    PolicyLookup,
    /// An HR-style question about people matters.
    HrQuestion,
    /// How to use an internal tool.
    ToolInstructions,
    /// A harmful, abusive or nonsensical prompt.
    BadPrompt,
    /// An attempt to override the bot's instructions (OWASP LLM01).
    PromptInjection,
    /// An attempt to make the bot reveal its system prompt (OWASP LLM07).
    SystemPromptExtraction,
    /// A question the bot should decline or redirect.
    OutOfScope,
}

impl EvalCategory {
    /// Every category, in report order.
    pub const ALL: [EvalCategory; 7] = [
        EvalCategory::PolicyLookup,
        EvalCategory::HrQuestion,
        EvalCategory::ToolInstructions,
        EvalCategory::BadPrompt,
        EvalCategory::PromptInjection,
        EvalCategory::SystemPromptExtraction,
        EvalCategory::OutOfScope,
    ];

    /// The wire name, e.g. `prompt_injection`.
    pub fn as_str(self) -> &'static str {
        match self {
            EvalCategory::PolicyLookup => "policy_lookup",
            EvalCategory::HrQuestion => "hr_question",
            EvalCategory::ToolInstructions => "tool_instructions",
            EvalCategory::BadPrompt => "bad_prompt",
            EvalCategory::PromptInjection => "prompt_injection",
            EvalCategory::SystemPromptExtraction => "system_prompt_extraction",
            EvalCategory::OutOfScope => "out_of_scope",
        }
    }

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            EvalCategory::PolicyLookup => "Policy lookup",
            EvalCategory::HrQuestion => "HR question",
            EvalCategory::ToolInstructions => "Tool instructions",
            EvalCategory::BadPrompt => "Bad prompt",
            EvalCategory::PromptInjection => "Prompt injection",
            EvalCategory::SystemPromptExtraction => "System-prompt extraction",
            EvalCategory::OutOfScope => "Out of scope",
        }
    }

    /// The wire name's category.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// The OWASP Top 10 for LLM applications (2025) entry a case maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Owasp {
    /// LLM01:2025 Prompt Injection.
    #[serde(rename = "LLM01")]
    Llm01,
    /// LLM07:2025 System Prompt Leakage.
    #[serde(rename = "LLM07")]
    Llm07,
}

impl Owasp {
    /// `LLM01: Prompt injection`.
    pub fn label(self) -> &'static str {
        match self {
            Owasp::Llm01 => "LLM01: Prompt injection",
            Owasp::Llm07 => "LLM07: System prompt leakage",
        }
    }

    /// The entry a category maps to, if any.
    pub fn of(category: EvalCategory) -> Option<Self> {
        match category {
            EvalCategory::PromptInjection => Some(Owasp::Llm01),
            EvalCategory::SystemPromptExtraction => Some(Owasp::Llm07),
            _ => None,
        }
    }
}

/// How the texts of [`Expect::contains`] combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchMode {
    /// Every text must appear.
    #[default]
    All,
    /// At least one must appear.
    Any,
}

/// What the last answer of a case must (and must not) do. Texts compare
/// case-insensitively; an empty expectation is not checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Expect {
    /// Texts the answer contains (see [`Expect::mode`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contains: Vec<String>,
    /// Whether all or any of [`Expect::contains`] must appear.
    #[serde(skip_serializing_if = "is_all")]
    pub mode: MatchMode,
    /// Regular expressions that must each match the answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regex: Vec<String>,
    /// Texts the answer must not contain.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_contains: Vec<String>,
    /// `Some(true)`: the bot must refuse; `Some(false)`: it must answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<bool>,
    /// A regular expression a cited source matches (in the answer text).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cite_regex: String,
    /// A JSON pointer into the answer's JSON that must hold a source (a
    /// non-empty string or list), e.g. `/sources`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cite_field: String,
    /// The answer arrives within this many milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_latency_ms: Option<u64>,
}

fn is_all(mode: &MatchMode) -> bool {
    *mode == MatchMode::All
}

/// One case of the set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalCase {
    /// Unique within the set, e.g. `expense-limit`.
    pub id: String,
    /// What it probes.
    pub category: EvalCategory,
    /// The OWASP entry it maps to (defaults to the category's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owasp: Option<Owasp>,
    /// The first message.
    pub question: String,
    /// Later messages of the same conversation; the expectations judge the
    /// answer to the last one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<String>,
    /// What the answer must do.
    #[serde(default)]
    pub expect: Expect,
}

impl EvalCase {
    /// A one-question case (no follow-ups, the category's OWASP entry).
    pub fn new(id: &str, category: EvalCategory, question: &str, expect: Expect) -> Self {
        Self {
            id: id.into(),
            category,
            owasp: None,
            question: question.into(),
            follow_ups: Vec::new(),
            expect,
        }
    }

    /// Every message, in order.
    pub fn turns(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.question.as_str()).chain(self.follow_ups.iter().map(String::as_str))
    }

    /// The OWASP entry: its own, else its category's.
    pub fn owasp(&self) -> Option<Owasp> {
        self.owasp.or_else(|| Owasp::of(self.category))
    }
}

/// How the chat endpoint answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamMode {
    /// Told by the answer's content type: `text/event-stream` is SSE,
    /// `application/x-ndjson` JSON lines, anything else one JSON document.
    #[default]
    Auto,
    /// One JSON document.
    Json,
    /// Server-sent events, each `data:` a JSON piece (or plain text).
    Sse,
    /// Chunked JSON lines, one piece per line.
    Lines,
}

/// The placeholder the body's strings carry for the question.
pub const QUESTION_PLACEHOLDER: &str = "{{question}}";
/// The placeholder for the conversation id carried between turns.
pub const CONVERSATION_PLACEHOLDER: &str = "{{conversation_id}}";
/// The adapter's default time limit per answer.
pub const DEFAULT_ANSWER_TIMEOUT_MS: u64 = 30_000;

/// How to ask the project's chat endpoint one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatAdapter {
    /// Whose base URL a path is joined to.
    #[serde(default = "staging")]
    pub environment: EnvironmentKind,
    /// The method (POST unless told).
    #[serde(default = "post")]
    pub method: Method,
    /// A path on the environment's base URL (`/api/chat`) or a full URL.
    pub url: String,
    /// Extra request headers (not the credential).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<Header>,
    /// A JSON template whose strings may hold `{{question}}` and
    /// `{{conversation_id}}`, e.g. `{"message": "{{question}}"}`.
    pub body: String,
    /// A JSON pointer to the answer text, e.g. `/answer`; for streamed
    /// answers, into each piece (empty: the piece is the text).
    #[serde(default)]
    pub answer: String,
    /// A JSON pointer to the conversation id in an answer (empty: each
    /// turn stands alone).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub conversation: String,
    /// How answers arrive.
    #[serde(default)]
    pub stream: StreamMode,
    /// Time limit for one answer, streamed to completion.
    #[serde(default = "answer_timeout")]
    pub timeout_ms: u64,
    /// The credential the requests carry (in the keychain, or an
    /// environment variable for headless runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<EndpointAuth>,
}

fn staging() -> EnvironmentKind {
    EnvironmentKind::Staging
}

fn post() -> Method {
    Method::Post
}

fn answer_timeout() -> u64 {
    DEFAULT_ANSWER_TIMEOUT_MS
}

impl Default for ChatAdapter {
    fn default() -> Self {
        Self {
            environment: staging(),
            method: post(),
            url: String::new(),
            headers: Vec::new(),
            body: String::new(),
            answer: String::new(),
            conversation: String::new(),
            stream: StreamMode::Auto,
            timeout_ms: answer_timeout(),
            auth: None,
        }
    }
}

/// Most runs per case.
pub const MAX_RUNS: u32 = 10;
/// Most requests in flight at once.
pub const MAX_CONCURRENCY: u32 = 8;
/// Most cases in a set.
pub const MAX_CASES: usize = 200;

/// A project's evaluation set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvalSetup {
    /// How to reach the chat endpoint; `None` until set up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adapter: Option<ChatAdapter>,
    /// The cases; empty means the starter set for internal-ops bots.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<EvalCase>,
    /// Runs per case (k), 1 to [`MAX_RUNS`].
    pub runs: u32,
    /// Requests in flight at once, 1 to [`MAX_CONCURRENCY`].
    pub concurrency: u32,
    /// Runs against production without asking (the weekly recheck and
    /// the `ai.eval` check only run a production adapter when this is set).
    pub allow_production: bool,
    /// For headless runs of a project file: the environment variable that
    /// holds the canary planted in the system prompt.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub canary_env: String,
}

impl Default for EvalSetup {
    fn default() -> Self {
        Self {
            adapter: None,
            cases: Vec::new(),
            runs: 1,
            concurrency: 2,
            allow_production: false,
            canary_env: String::new(),
        }
    }
}

impl EvalSetup {
    /// Whether nothing was set (serialised projects leave it out).
    pub fn is_default(&self) -> bool {
        *self == EvalSetup::default()
    }
}
