//! The Eval page's pure parts: the adapter and case editors' text forms
//! and back, the expectation summary, case ids, which field errors go
//! where, and percentages. No verdict is decided here.

use handover_model::{
    Attempt, ChatAdapter, CommandError, EnvironmentKind, EvalCase, EvalCategory, Expect,
    FieldError, MatchMode, Method, StreamMode, DEFAULT_ANSWER_TIMEOUT_MS,
};

/// The body a new adapter starts with (shown as a placeholder).
pub const BODY_PLACEHOLDER: &str = r#"{"message": "{{question}}"}"#;
/// The answer pointer a new adapter starts with.
pub const ANSWER_PLACEHOLDER: &str = "/answer";

/// The field paths shown under an input of the adapter section; errors
/// for any other field go in the list at the top of the page.
pub const INLINE_FIELDS: [&str; 11] = [
    "eval.adapter",
    "eval.adapter.environment",
    "eval.adapter.method",
    "eval.adapter.url",
    "eval.adapter.body",
    "eval.adapter.answer",
    "eval.adapter.conversation",
    "eval.adapter.stream",
    "eval.adapter.timeout_ms",
    "eval.runs",
    "eval.concurrency",
];

/// Non-empty trimmed lines of a textarea.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// One entry a line, for a textarea.
pub fn join_lines(items: &[String]) -> String {
    items.join("\n")
}

/// A stream mode's wire name.
pub fn stream_name(mode: StreamMode) -> &'static str {
    match mode {
        StreamMode::Auto => "auto",
        StreamMode::Json => "json",
        StreamMode::Sse => "sse",
        StreamMode::Lines => "lines",
    }
}

/// Every stream mode, in form order.
pub const STREAM_MODES: [StreamMode; 4] = [
    StreamMode::Auto,
    StreamMode::Json,
    StreamMode::Sse,
    StreamMode::Lines,
];

/// The adapter's inputs as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdapterForm {
    /// `production` or `staging`.
    pub environment: String,
    /// `POST`, `GET`, ….
    pub method: String,
    /// Path or full URL.
    pub url: String,
    /// The JSON body template.
    pub body: String,
    /// JSON pointer to the answer text.
    pub answer: String,
    /// JSON pointer to the conversation id.
    pub conversation: String,
    /// `auto`, `json`, `sse` or `lines`.
    pub stream: String,
    /// Time limit in ms, as typed.
    pub timeout_ms: String,
}

impl AdapterForm {
    /// The inputs for a stored adapter; empty (with the usual answer
    /// pointer) when there is none.
    pub fn of(adapter: Option<&ChatAdapter>) -> Self {
        let fallback = ChatAdapter::default();
        let a = adapter.unwrap_or(&fallback);
        AdapterForm {
            environment: a.environment.as_str().to_owned(),
            method: a.method.as_str().to_owned(),
            url: a.url.clone(),
            body: a.body.clone(),
            answer: if adapter.is_some() {
                a.answer.clone()
            } else {
                ANSWER_PLACEHOLDER.to_owned()
            },
            conversation: a.conversation.clone(),
            stream: stream_name(a.stream).to_owned(),
            timeout_ms: a.timeout_ms.to_string(),
        }
    }

    /// The adapter these inputs describe, keeping the headers and
    /// credential of `base`. An unreadable number becomes 0, which the
    /// core refuses with the field's own error.
    pub fn adapter(&self, base: Option<&ChatAdapter>) -> ChatAdapter {
        let mut a = base.cloned().unwrap_or_default();
        a.environment = EnvironmentKind::ALL
            .into_iter()
            .find(|e| e.as_str() == self.environment)
            .unwrap_or(EnvironmentKind::Staging);
        a.method = Method::ALL
            .into_iter()
            .find(|m| m.as_str() == self.method)
            .unwrap_or(Method::Post);
        a.url = self.url.trim().to_owned();
        a.body = if self.body.trim().is_empty() {
            BODY_PLACEHOLDER.to_owned()
        } else {
            self.body.clone()
        };
        a.answer = self.answer.trim().to_owned();
        a.conversation = self.conversation.trim().to_owned();
        a.stream = STREAM_MODES
            .into_iter()
            .find(|s| stream_name(*s) == self.stream)
            .unwrap_or_default();
        a.timeout_ms = number(&self.timeout_ms, DEFAULT_ANSWER_TIMEOUT_MS);
        a
    }
}

/// A typed number: empty is `empty`, unreadable is 0.
pub fn number(text: &str, empty: u64) -> u64 {
    let t = text.trim();
    if t.is_empty() {
        empty
    } else {
        t.parse().unwrap_or(0)
    }
}

/// A typed `u32`: empty is `empty`, unreadable is 0.
pub fn small_number(text: &str, empty: u32) -> u32 {
    u32::try_from(number(text, u64::from(empty))).unwrap_or(0)
}

/// The refusal select's value.
pub fn refusal_name(refusal: Option<bool>) -> &'static str {
    match refusal {
        None => "either",
        Some(true) => "refuse",
        Some(false) => "answer",
    }
}

/// The refusal select's value, read back.
pub fn parse_refusal(name: &str) -> Option<bool> {
    match name {
        "refuse" => Some(true),
        "answer" => Some(false),
        _ => None,
    }
}

/// A case's inputs as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaseForm {
    /// The first message.
    pub question: String,
    /// Later messages, one a line.
    pub follow_ups: String,
    /// The category's wire name.
    pub category: String,
    /// Texts the answer contains, one a line.
    pub contains: String,
    /// `all` or `any`.
    pub mode: String,
    /// Regular expressions, one a line.
    pub regex: String,
    /// Texts the answer must not contain, one a line.
    pub not_contains: String,
    /// `either`, `refuse` or `answer`.
    pub refusal: String,
    /// A cited source's regular expression.
    pub cite_regex: String,
    /// A JSON pointer to the cited sources.
    pub cite_field: String,
    /// Most milliseconds, empty for no limit.
    pub latency: String,
}

impl CaseForm {
    /// The inputs for a case.
    pub fn of(case: &EvalCase) -> Self {
        let e = &case.expect;
        CaseForm {
            question: case.question.clone(),
            follow_ups: join_lines(&case.follow_ups),
            category: case.category.as_str().to_owned(),
            contains: join_lines(&e.contains),
            mode: match e.mode {
                MatchMode::All => "all",
                MatchMode::Any => "any",
            }
            .to_owned(),
            regex: join_lines(&e.regex),
            not_contains: join_lines(&e.not_contains),
            refusal: refusal_name(e.refusal).to_owned(),
            cite_regex: e.cite_regex.clone(),
            cite_field: e.cite_field.clone(),
            latency: e.max_latency_ms.map(|m| m.to_string()).unwrap_or_default(),
        }
    }

    /// `case` with these inputs (its id and OWASP entry kept).
    pub fn apply(&self, case: &EvalCase) -> EvalCase {
        let latency = self.latency.trim();
        EvalCase {
            id: case.id.clone(),
            category: EvalCategory::parse(&self.category).unwrap_or(case.category),
            owasp: case.owasp,
            question: self.question.trim().to_owned(),
            follow_ups: lines(&self.follow_ups),
            expect: Expect {
                contains: lines(&self.contains),
                mode: if self.mode == "any" {
                    MatchMode::Any
                } else {
                    MatchMode::All
                },
                regex: lines(&self.regex),
                not_contains: lines(&self.not_contains),
                refusal: parse_refusal(&self.refusal),
                cite_regex: self.cite_regex.trim().to_owned(),
                cite_field: self.cite_field.trim().to_owned(),
                max_latency_ms: (!latency.is_empty()).then(|| latency.parse().unwrap_or(0)),
            },
        }
    }
}

/// A one-line summary of what an answer must do.
pub fn expect_summary(e: &Expect) -> String {
    let quoted = |items: &[String]| {
        items
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !e.contains.is_empty() {
        let how = match (e.mode, e.contains.len()) {
            (_, 1) => "contains",
            (MatchMode::All, _) => "contains all of",
            (MatchMode::Any, _) => "contains any of",
        };
        parts.push(format!("{how} {}", quoted(&e.contains)));
    }
    if !e.regex.is_empty() {
        parts.push(format!("matches {}", quoted(&e.regex)));
    }
    if !e.not_contains.is_empty() {
        parts.push(format!("never says {}", quoted(&e.not_contains)));
    }
    match e.refusal {
        Some(true) => parts.push("refuses".to_owned()),
        Some(false) => parts.push("answers (no refusal)".to_owned()),
        None => {}
    }
    if !e.cite_regex.is_empty() {
        parts.push(format!("cites a source matching \"{}\"", e.cite_regex));
    }
    if !e.cite_field.is_empty() {
        parts.push(format!("has sources at {}", e.cite_field));
    }
    if let Some(ms) = e.max_latency_ms {
        parts.push(format!("within {ms} ms"));
    }
    if parts.is_empty() {
        "No expectation: only leaks are checked.".to_owned()
    } else {
        let line = parts.join("; ");
        let mut chars = line.chars();
        let first = chars.next().map(|c| c.to_uppercase().to_string());
        format!("{}{}.", first.unwrap_or_default(), chars.as_str())
    }
}

/// An id `case-N` that no case has yet.
pub fn next_case_id(cases: &[EvalCase]) -> String {
    (cases.len() + 1..)
        .map(|n| format!("case-{n}"))
        .find(|id| cases.iter().all(|c| &c.id != id))
        .unwrap_or_else(|| "case-new".to_owned())
}

/// A new, empty case with that id.
pub fn blank_case(id: String) -> EvalCase {
    EvalCase {
        id,
        category: EvalCategory::PolicyLookup,
        owasp: None,
        question: String::new(),
        follow_ups: Vec::new(),
        expect: Expect::default(),
    }
}

/// `cases` with the case of `case.id` replaced (or appended when new).
pub fn with_case(cases: &[EvalCase], case: EvalCase) -> Vec<EvalCase> {
    let mut all = cases.to_vec();
    match all.iter_mut().find(|c| c.id == case.id) {
        Some(slot) => *slot = case,
        None => all.push(case),
    }
    all
}

/// `cases` without the case `id`.
pub fn without_case(cases: &[EvalCase], id: &str) -> Vec<EvalCase> {
    cases.iter().filter(|c| c.id != id).cloned().collect()
}

/// The error message for one field, if the error names it.
pub fn field_message(err: Option<&CommandError>, field: &str) -> Option<String> {
    err?.fields
        .iter()
        .find(|f| f.field == field)
        .map(|f| f.message.clone())
}

/// The field errors not shown under an input.
pub fn other_fields(err: &CommandError) -> Vec<FieldError> {
    err.fields
        .iter()
        .filter(|f| !INLINE_FIELDS.contains(&f.field.as_str()))
        .cloned()
        .collect()
}

/// A rate from 0 to 1 as a whole percentage, e.g. `83%`.
pub fn percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

/// The change since the previous run, in points, e.g. `+12 points`.
pub fn change(now: f64, before: f64) -> String {
    let points = ((now - before) * 100.0).round();
    if points == 0.0 {
        "no change".to_owned()
    } else {
        format!("{points:+} points")
    }
}

/// The slowest attempt's latency, if there was an attempt.
pub fn slowest(attempts: &[Attempt]) -> Option<u64> {
    attempts.iter().map(|a| a.latency_ms).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case() -> EvalCase {
        let mut c = blank_case("expense-limit".to_owned());
        c.question = "What is the expense limit?".to_owned();
        c.follow_ups = vec!["And for travel?".to_owned()];
        c.expect.contains = vec!["receipt".to_owned(), "manager".to_owned()];
        c.expect.mode = MatchMode::Any;
        c.expect.refusal = Some(false);
        c.expect.max_latency_ms = Some(8000);
        c
    }

    #[test]
    fn lines_drop_blanks_and_trim() {
        assert_eq!(lines(" a \n\n b\n"), vec!["a", "b"]);
        assert!(lines("  \n").is_empty());
    }

    #[test]
    fn a_case_round_trips_through_its_form() {
        let c = case();
        assert_eq!(CaseForm::of(&c).apply(&c), c);
    }

    #[test]
    fn the_form_reads_refusal_latency_and_category() {
        let c = case();
        let mut form = CaseForm::of(&c);
        form.refusal = "refuse".to_owned();
        form.latency = " ".to_owned();
        form.category = "prompt_injection".to_owned();
        let edited = form.apply(&c);
        assert_eq!(edited.expect.refusal, Some(true));
        assert_eq!(edited.expect.max_latency_ms, None);
        assert_eq!(edited.category, EvalCategory::PromptInjection);
        form.refusal = "either".to_owned();
        assert_eq!(form.apply(&c).expect.refusal, None);
    }

    #[test]
    fn summary_names_every_expectation() {
        let s = expect_summary(&case().expect);
        assert_eq!(
            s,
            "Contains any of \"receipt\", \"manager\"; answers (no refusal); within 8000 ms."
        );
        assert!(expect_summary(&Expect::default()).starts_with("No expectation"));
    }

    #[test]
    fn new_ids_are_unique() {
        let mut cases = vec![blank_case("case-2".to_owned())];
        assert_eq!(next_case_id(&cases), "case-3");
        cases.push(blank_case("case-3".to_owned()));
        assert_eq!(next_case_id(&cases), "case-4");
        assert_eq!(next_case_id(&[]), "case-1");
    }

    #[test]
    fn cases_are_replaced_appended_and_removed() {
        let cases = vec![case(), blank_case("b".to_owned())];
        let mut edited = case();
        edited.question = "Changed".to_owned();
        let all = with_case(&cases, edited.clone());
        assert_eq!(all.len(), 2);
        assert_eq!(all[0], edited);
        assert_eq!(with_case(&cases, blank_case("c".to_owned())).len(), 3);
        assert_eq!(without_case(&cases, "b"), vec![case()]);
    }

    #[test]
    fn a_missing_adapter_starts_with_the_usual_pointer() {
        let form = AdapterForm::of(None);
        assert_eq!(form.url, "");
        assert_eq!(form.body, "");
        assert_eq!(form.answer, "/answer");
        assert_eq!(form.environment, "staging");
        let a = form.adapter(None);
        assert_eq!(a.body, BODY_PLACEHOLDER);
        assert_eq!(a.method, Method::Post);
        assert_eq!(a.timeout_ms, DEFAULT_ANSWER_TIMEOUT_MS);
    }

    #[test]
    fn an_adapter_round_trips_and_bad_numbers_become_zero() {
        let mut a = ChatAdapter {
            url: "/api/chat".to_owned(),
            body: BODY_PLACEHOLDER.to_owned(),
            answer: "/reply".to_owned(),
            stream: StreamMode::Sse,
            environment: EnvironmentKind::Production,
            ..ChatAdapter::default()
        };
        a.headers.push(handover_model::Header {
            name: "X-Team".to_owned(),
            value: "ops".to_owned(),
        });
        let mut form = AdapterForm::of(Some(&a));
        assert_eq!(form.adapter(Some(&a)), a);
        form.timeout_ms = "soon".to_owned();
        assert_eq!(form.adapter(Some(&a)).timeout_ms, 0);
    }

    #[test]
    fn adapter_errors_stay_inline_and_the_rest_go_on_top() {
        let err = CommandError::invalid_fields(vec![
            FieldError {
                field: "eval.adapter.url".to_owned(),
                message: "A URL.".to_owned(),
            },
            FieldError {
                field: "eval.cases.3.expect.regex.0".to_owned(),
                message: "Not a regex.".to_owned(),
            },
        ]);
        assert_eq!(
            field_message(Some(&err), "eval.adapter.url").as_deref(),
            Some("A URL.")
        );
        assert_eq!(field_message(None, "eval.adapter.url"), None);
        let rest = other_fields(&err);
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].field, "eval.cases.3.expect.regex.0");
    }

    #[test]
    fn the_slowest_attempt_is_found() {
        let at = |latency_ms| Attempt {
            run: 1,
            verdict: handover_model::AttemptVerdict::Passed,
            reasons: Vec::new(),
            latency_ms,
            answer: String::new(),
            truncated: false,
            personal: Vec::new(),
        };
        assert_eq!(slowest(&[at(5), at(90), at(12)]), Some(90));
        assert_eq!(slowest(&[]), None);
    }

    #[test]
    fn rates_read_as_percent_and_points() {
        assert_eq!(percent(0.8333), "83%");
        assert_eq!(change(0.9, 0.8), "+10 points");
        assert_eq!(change(0.7, 0.8), "-10 points");
        assert_eq!(change(0.8, 0.8), "no change");
        assert_eq!(small_number("", 3), 3);
        assert_eq!(small_number("x", 3), 0);
    }
}
