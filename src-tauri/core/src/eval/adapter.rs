//! The chat adapter: one question to the project's chat endpoint, the
//! answer collected to completion within the time limit.
//!
//! The body template is JSON; `{{question}}` and `{{conversation_id}}` are
//! replaced inside its strings (JSON-escaped, so any question is safe), and
//! a string that is exactly `{{conversation_id}}` becomes `null` on the
//! first turn. The answer is read by JSON pointer from one JSON document,
//! or from every piece of a streamed answer — server-sent events (parsed
//! per the WHATWG rules; `[DONE]` ends it) or JSON lines — concatenated.
//! An answer that does not end within the limit, is not JSON where JSON is
//! expected, lacks the pointer or is not 2xx is an error (the case is
//! inconclusive, never passed).

use std::time::{Duration, Instant};

use eventsource_stream::Eventsource as _;
use futures_util::StreamExt as _;
use handover_model::{ChatAdapter, StreamMode, CONVERSATION_PLACEHOLDER, QUESTION_PLACEHOLDER};
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use serde_json::Value;
use url::Url;

use super::judge::Answer;

/// Most bytes of one answer read.
pub const ANSWER_CAP: usize = 1024 * 1024;

/// Why a question got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AskError {
    /// The body template is not JSON.
    #[error("the body template is not JSON: {0}")]
    Template(String),
    /// Nothing answered (refused connection, DNS, TLS).
    #[error("no answer: {0}")]
    Unreachable(String),
    /// The answer did not end within the limit.
    #[error("the answer was not complete within {limit_ms} ms ({bytes} bytes received)")]
    Timeout {
        /// The limit.
        limit_ms: u64,
        /// What had arrived.
        bytes: usize,
    },
    /// A status other than 2xx.
    #[error("the chat endpoint answered {status}: {excerpt}")]
    Status {
        /// The status.
        status: u16,
        /// The body's start.
        excerpt: String,
    },
    /// The answer could not be read as configured.
    #[error("malformed answer: {0}")]
    Malformed(String),
}

/// The body for one turn: `template` with the placeholders filled.
pub fn body_for(
    template: &str,
    question: &str,
    conversation: Option<&str>,
) -> Result<String, AskError> {
    let mut value: Value =
        serde_json::from_str(template).map_err(|e| AskError::Template(e.to_string()))?;
    fill(&mut value, question, conversation);
    Ok(value.to_string())
}

fn fill(value: &mut Value, question: &str, conversation: Option<&str>) {
    match value {
        Value::String(s) if s == CONVERSATION_PLACEHOLDER => {
            *value = conversation.map_or(Value::Null, |c| Value::String(c.to_owned()));
        }
        Value::String(s) => {
            let filled = s
                .replace(QUESTION_PLACEHOLDER, question)
                .replace(CONVERSATION_PLACEHOLDER, conversation.unwrap_or(""));
            *s = filled;
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| fill(v, question, conversation)),
        Value::Object(map) => map
            .values_mut()
            .for_each(|v| fill(v, question, conversation)),
        _ => {}
    }
}

/// Whether the template asks for the question somewhere.
pub fn asks_question(template: &str) -> bool {
    template.contains(QUESTION_PLACEHOLDER)
}

/// One answer, with the conversation id it named (if the adapter reads one).
#[derive(Debug, Clone, Default)]
pub struct Reply {
    /// What the judge reads.
    pub answer: Answer,
    /// The conversation id for the next turn.
    pub conversation: Option<String>,
}

/// Sends `body` and collects the answer.
pub async fn ask(
    client: &reqwest::Client,
    adapter: &ChatAdapter,
    url: &Url,
    headers: HeaderMap,
    body: String,
) -> Result<Reply, AskError> {
    let limit = Duration::from_millis(adapter.timeout_ms.max(1));
    let started = Instant::now();
    let method = reqwest::Method::from_bytes(adapter.method.as_str().as_bytes())
        .unwrap_or(reqwest::Method::POST);
    let mut request = client
        .request(method, url.clone())
        .headers(headers)
        .header("accept", "application/json, text/event-stream");
    if !body.is_empty() {
        request = request.header(CONTENT_TYPE, "application/json").body(body);
    }
    let timeout = |bytes| AskError::Timeout {
        limit_ms: adapter.timeout_ms,
        bytes,
    };
    let response = match tokio::time::timeout(limit, request.send()).await {
        Err(_) => return Err(timeout(0)),
        Ok(Err(e)) => return Err(AskError::Unreachable(without_url(&e))),
        Ok(Ok(r)) => r,
    };
    let status = response.status().as_u16();
    let mime = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let mode = match adapter.stream {
        StreamMode::Auto if mime == "text/event-stream" => StreamMode::Sse,
        StreamMode::Auto
            if matches!(
                mime.as_str(),
                "application/x-ndjson" | "application/jsonl" | "application/jsonlines"
            ) =>
        {
            StreamMode::Lines
        }
        StreamMode::Auto => StreamMode::Json,
        other => other,
    };
    let remaining = limit.saturating_sub(started.elapsed());
    let pieces = if mode == StreamMode::Sse && (200..300).contains(&status) {
        match tokio::time::timeout(remaining, sse_pieces(response)).await {
            Err(_) => return Err(timeout(0)),
            Ok(result) => result?,
        }
    } else {
        let bytes = match tokio::time::timeout(remaining, capped_body(response)).await {
            Err(_) => return Err(timeout(0)),
            Ok(result) => result?,
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if !(200..300).contains(&status) {
            let excerpt: String = text.chars().take(120).collect();
            return Err(AskError::Status { status, excerpt });
        }
        match mode {
            StreamMode::Lines => text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned)
                .collect(),
            _ => vec![text],
        }
    };
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let mut reply = read_pieces(adapter, mode, &pieces)?;
    reply.answer.latency_ms = latency_ms;
    Ok(reply)
}

/// A transport error for people, without the URL (its query may carry a
/// token).
fn without_url(error: &reqwest::Error) -> String {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "the connection failed"
    } else if error.is_body() || error.is_decode() {
        "the answer broke off"
    } else {
        "the exchange failed"
    };
    match std::error::Error::source(error) {
        Some(source) => format!("{what}: {source}"),
        None => what.to_owned(),
    }
}

async fn capped_body(response: reqwest::Response) -> Result<Vec<u8>, AskError> {
    let mut stream = response.bytes_stream();
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| AskError::Unreachable(without_url(&e)))?;
        out.extend_from_slice(&chunk);
        if out.len() > ANSWER_CAP {
            return Err(AskError::Malformed(format!(
                "the answer is longer than {ANSWER_CAP} bytes"
            )));
        }
    }
    Ok(out)
}

async fn sse_pieces(response: reqwest::Response) -> Result<Vec<String>, AskError> {
    let mut events = response.bytes_stream().eventsource();
    let mut pieces = Vec::new();
    let mut total = 0;
    while let Some(event) = events.next().await {
        let event = event.map_err(|e| AskError::Malformed(format!("event stream: {e}")))?;
        if event.data.trim() == "[DONE]" {
            break;
        }
        total += event.data.len();
        if total > ANSWER_CAP {
            return Err(AskError::Malformed(format!(
                "the streamed answer is longer than {ANSWER_CAP} bytes"
            )));
        }
        if event.event == "error" {
            return Err(AskError::Malformed(format!(
                "the stream sent an error event: {}",
                event.data.chars().take(120).collect::<String>()
            )));
        }
        pieces.push(event.data);
    }
    Ok(pieces)
}

/// The answer text (and conversation id) from an answer's pieces.
pub fn read_pieces(
    adapter: &ChatAdapter,
    mode: StreamMode,
    pieces: &[String],
) -> Result<Reply, AskError> {
    let pointer = adapter.answer.trim();
    let mut reply = Reply::default();
    let streamed = matches!(mode, StreamMode::Sse | StreamMode::Lines);
    for piece in pieces {
        let parsed = serde_json::from_str::<Value>(piece);
        let value = match parsed {
            Ok(value) => value,
            Err(_) if streamed && pointer.is_empty() => {
                reply.answer.text.push_str(piece);
                continue;
            }
            Err(e) => {
                let start: String = piece.chars().take(60).collect();
                return Err(AskError::Malformed(format!(
                    "not JSON ({e}); it begins {start:?}"
                )));
            }
        };
        let text = if pointer.is_empty() {
            Some(&value)
        } else {
            value.pointer(pointer)
        };
        match text {
            Some(Value::String(s)) => reply.answer.text.push_str(s),
            Some(Value::Null) | None if streamed => {}
            Some(other) if !other.is_object() && !other.is_array() => {
                reply.answer.text.push_str(&other.to_string());
            }
            _ => {
                return Err(AskError::Malformed(format!(
                    "no text at {} in the answer",
                    if pointer.is_empty() {
                        "its top"
                    } else {
                        pointer
                    }
                )))
            }
        }
        let conversation = adapter.conversation.trim();
        if !conversation.is_empty() {
            match value.pointer(conversation) {
                Some(Value::String(s)) if !s.is_empty() => reply.conversation = Some(s.clone()),
                Some(Value::Number(n)) => reply.conversation = Some(n.to_string()),
                _ => {}
            }
        }
        reply.answer.documents.push(value);
    }
    if streamed && pieces.is_empty() {
        return Err(AskError::Malformed(
            "the stream ended without a piece".into(),
        ));
    }
    Ok(reply)
}
