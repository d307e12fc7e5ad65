//! A small JSON Schema checker for the report's tests: the keywords
//! `assets/report.schema.json` uses (`$ref` to `#/$defs/…`, `type`,
//! `const`, `enum`, `properties`, `required`, `additionalProperties:
//! false`, `items`, `oneOf`, `minimum`, `maximum`, `pattern`).

use serde_json::Value;

/// Every place `value` breaks `schema` (`root` resolves `$ref`s), as
/// `path: problem` lines.
pub fn violations(root: &Value, schema: &Value, value: &Value, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    check(root, schema, value, path, &mut out);
    out
}

fn type_ok(name: &str, value: &Value) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => false,
    }
}

fn check(root: &Value, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        match root.get("$defs").and_then(|d| d.get(name)) {
            Some(target) => check(root, target, value, path, out),
            None => out.push(format!("{path}: unknown $ref {reference}")),
        }
        return;
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let passing = options
            .iter()
            .filter(|o| violations(root, o, value, path).is_empty())
            .count();
        if passing != 1 {
            out.push(format!("{path}: matches {passing} of the oneOf options"));
        }
        return;
    }
    match schema.get("type") {
        Some(Value::String(t)) if !type_ok(t, value) => {
            out.push(format!("{path}: {value} is not {t}"));
            return;
        }
        Some(Value::Array(ts)) if !ts.iter().any(|t| type_ok(t.as_str().unwrap_or(""), value)) => {
            out.push(format!("{path}: {value} is none of {ts:?}"));
            return;
        }
        _ => {}
    }
    if let Some(c) = schema.get("const") {
        if c != value {
            out.push(format!("{path}: {value} is not {c}"));
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            out.push(format!("{path}: {value} is not one of {options:?}"));
        }
    }
    if let (Some(min), Some(n)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if n < min {
            out.push(format!("{path}: {n} < {min}"));
        }
    }
    if let (Some(max), Some(n)) = (
        schema.get("maximum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if n > max {
            out.push(format!("{path}: {n} > {max}"));
        }
    }
    if let (Some(p), Some(s)) = (
        schema.get("pattern").and_then(Value::as_str),
        value.as_str(),
    ) {
        if !regex::Regex::new(p).is_ok_and(|re| re.is_match(s)) {
            out.push(format!("{path}: {s:?} does not match {p}"));
        }
    }
    if let (Some(props), Some(object)) = (
        schema.get("properties").and_then(Value::as_object),
        value.as_object(),
    ) {
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(key) {
                out.push(format!("{path}: missing {key}"));
            }
        }
        for (key, v) in object {
            match props.get(key) {
                Some(s) => check(root, s, v, &format!("{path}.{key}"), out),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    out.push(format!("{path}: unexpected key {key}"));
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, v) in array.iter().enumerate() {
            check(root, items, v, &format!("{path}[{i}]"), out);
        }
    }
}
