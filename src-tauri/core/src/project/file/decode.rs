//! Reading a project file's tree of values into a [`ProjectSpec`] field by
//! field, so one wrong value does not hide the next: a value of the wrong
//! type is reported on its dotted path and left at its default (a list row
//! is left out, and later problems keep the file's row numbers), and every
//! key the spec does not have is reported with the likely intended name.

use handover_model::{FieldError, ProjectSpec};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::FIELDS;
use crate::project::sentence;

/// How every unknown-key message starts (so they can be told apart).
pub(super) const UNKNOWN: &str = "Unknown field";

/// The spec read field by field, with every problem found on the way.
#[derive(Debug, Default)]
pub(super) struct Decoder {
    problems: Vec<FieldError>,
    /// Top-level fields whose value was refused whole (their validation
    /// problems would only repeat it).
    refused: Vec<&'static str>,
    /// For each list, the file's index of every row that was kept.
    kept: Vec<(&'static str, Vec<usize>)>,
}

/// What [`Decoder::decode`] made of a file.
pub(super) struct Decoded {
    pub(super) spec: ProjectSpec,
    pub(super) problems: Vec<FieldError>,
    refused: Vec<&'static str>,
    kept: Vec<(&'static str, Vec<usize>)>,
}

impl Decoder {
    pub(super) fn decode(mut self, mut root: Map<String, Value>) -> Decoded {
        let d = ProjectSpec::default();
        // Every field by name: a field added to ProjectSpec fails to compile here.
        let spec = ProjectSpec {
            name: self.one(&mut root, "name", d.name),
            description: self.one(&mut root, "description", d.description),
            apex: self.one(&mut root, "apex", d.apex),
            subdomains: self.list(&mut root, "subdomains", d.subdomains),
            environments: self.list(&mut root, "environments", d.environments),
            endpoints: self.list(&mut root, "endpoints", d.endpoints),
            cors_origins: self.list(&mut root, "cors_origins", d.cors_origins),
            legacy_urls: self.list(&mut root, "legacy_urls", d.legacy_urls),
            email: self.one(&mut root, "email", d.email),
            latency_targets: self.list(&mut root, "latency_targets", d.latency_targets),
            smoke_steps: self.list(&mut root, "smoke_steps", d.smoke_steps),
            tenant_probe: self.one(&mut root, "tenant_probe", d.tenant_probe),
            chat_failure: self.one(&mut root, "chat_failure", d.chat_failure),
            repo_path: self.one(&mut root, "repo_path", d.repo_path),
            build_output: self.one(&mut root, "build_output", d.build_output),
            dns_server: self.one(&mut root, "dns_server", d.dns_server),
            ca_file: self.one(&mut root, "ca_file", d.ca_file),
            notes: self.one(&mut root, "notes", d.notes),
            eval: self.one(&mut root, "eval", d.eval),
            ports: self.one(&mut root, "ports", d.ports),
        };
        let known: Vec<&str> = FIELDS.to_vec();
        for key in root.keys() {
            self.problems.push(unknown(key, key, &known));
        }
        Decoded {
            spec,
            problems: self.problems,
            refused: self.refused,
            kept: self.kept,
        }
    }

    /// A single-valued field; absent takes `default`.
    fn one<T>(&mut self, root: &mut Map<String, Value>, key: &'static str, default: T) -> T
    where
        T: DeserializeOwned + Serialize,
    {
        let Some(value) = root.remove(key) else {
            return default;
        };
        self.value(key, &value).unwrap_or_else(|| {
            self.refused.push(key);
            default
        })
    }

    /// A list field, row by row: a refused row is reported and left out.
    fn list<T>(
        &mut self,
        root: &mut Map<String, Value>,
        key: &'static str,
        default: Vec<T>,
    ) -> Vec<T>
    where
        T: DeserializeOwned + Serialize,
    {
        let Some(value) = root.remove(key) else {
            return default;
        };
        let Value::Array(rows) = value else {
            self.problems.push(FieldError {
                field: key.into(),
                message: format!("Expected a list of values, not {}.", kind(&value)),
            });
            self.refused.push(key);
            return default;
        };
        let mut out = Vec::with_capacity(rows.len());
        let mut kept = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            if let Some(value) = self.value(&format!("{key}.{i}"), row) {
                out.push(value);
                kept.push(i);
            }
        }
        self.kept.push((key, kept));
        out
    }

    /// Decodes one value at `path`, reporting a wrong type and unknown keys.
    fn value<T>(&mut self, path: &str, given: &Value) -> Option<T>
    where
        T: DeserializeOwned + Serialize,
    {
        match serde_path_to_error::deserialize::<_, T>(given) {
            Ok(value) => {
                // Every field serialises, so a key missing from the echo is one serde skipped.
                let echo = serde_json::to_value(&value).unwrap_or(Value::Null);
                unknown_keys(path, given, &echo, &mut self.problems);
                Some(value)
            }
            Err(err) => {
                let mut field = path.to_string();
                let mut at = Some(given);
                for segment in err.path().iter() {
                    use serde_path_to_error::Segment;
                    let part = match segment {
                        Segment::Seq { index } => {
                            at = at.and_then(|v| v.get(*index));
                            index.to_string()
                        }
                        Segment::Map { key } | Segment::Enum { variant: key } => {
                            at = at.and_then(|v| v.get(key));
                            key.clone()
                        }
                        Segment::Unknown => continue,
                    };
                    field = format!("{field}.{part}");
                }
                let message = err.inner().to_string();
                if let Some(name) = message
                    .strip_prefix("missing field `")
                    .and_then(|rest| rest.strip_suffix('`'))
                {
                    // A required key misspelt shows up as missing; name the likely typo.
                    let typo = at
                        .and_then(Value::as_object)
                        .and_then(|row| row.keys().find(|k| distance(k, name) <= 2));
                    let message = match typo {
                        Some(typo) => format!(
                            "Enter a value; this field is required (is {typo:?} a typo of {name:?}?)."
                        ),
                        None => "Enter a value; this field is required.".to_string(),
                    };
                    self.problems.push(FieldError {
                        field: format!("{field}.{name}"),
                        message,
                    });
                } else {
                    self.problems.push(FieldError {
                        field,
                        message: sentence(&message),
                    });
                }
                None
            }
        }
    }
}

impl Decoded {
    /// A validation problem placed on the file's own row numbers; `None`
    /// when it only repeats a value already refused.
    pub(super) fn place(&self, mut problem: FieldError) -> Option<FieldError> {
        let mut parts = problem.field.splitn(3, '.');
        let top = parts.next().unwrap_or("");
        if self.refused.contains(&top) {
            return None;
        }
        let row = parts.next().and_then(|r| r.parse::<usize>().ok());
        let rest = parts.next();
        if let (Some(row), Some((_, kept))) = (row, self.kept.iter().find(|(k, _)| *k == top)) {
            let row = kept.get(row).copied().unwrap_or(row);
            problem.field = match rest {
                Some(rest) => format!("{top}.{row}.{rest}"),
                None => format!("{top}.{row}"),
            };
        }
        Some(problem)
    }
}

/// Reports keys of `given` that the decoded `echo` does not have.
fn unknown_keys(path: &str, given: &Value, echo: &Value, out: &mut Vec<FieldError>) {
    match (given, echo) {
        (Value::Object(given), Value::Object(echo)) => {
            let known: Vec<&str> = echo.keys().map(String::as_str).collect();
            for (key, value) in given {
                let field = format!("{path}.{key}");
                match echo.get(key) {
                    Some(inner) => unknown_keys(&field, value, inner, out),
                    None => out.push(unknown(&field, key, &known)),
                }
            }
        }
        (Value::Array(given), Value::Array(echo)) => {
            for (i, (value, inner)) in given.iter().zip(echo).enumerate() {
                unknown_keys(&format!("{path}.{i}"), value, inner, out);
            }
        }
        _ => {}
    }
}

/// The problem for an unknown key, with the likely intended name.
fn unknown(field: &str, key: &str, known: &[&str]) -> FieldError {
    let closest = known
        .iter()
        .map(|k| (distance(&key.to_ascii_lowercase(), k), *k))
        .min()
        .filter(|(d, k)| *d <= 2.max(k.len() / 3));
    let message = match closest {
        Some((_, name)) => format!("{UNKNOWN} {key:?}; did you mean {name:?}?"),
        None => format!("{UNKNOWN} {key:?}; known here: {}.", known.join(", ")),
    };
    FieldError {
        field: field.into(),
        message,
    }
}

/// Edit distance between two short names.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// "a table", "a number"… for messages about a value of the wrong shape.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}
