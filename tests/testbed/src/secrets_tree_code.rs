//! The templates of the planted tree's code: functions, config entries
//! and doc sections with varying identifiers, cycled fast.

use std::fmt::Write as _;

pub(super) const NOUNS: &[&str] = &[
    "user", "order", "invoice", "session", "account", "cart", "payment", "report", "widget",
    "profile", "team", "project", "ticket", "message", "upload", "price", "coupon", "address",
    "shipment", "review", "plan", "member", "event", "schedule",
];
pub(super) const VERBS: &[&str] = &[
    "load", "save", "update", "fetch", "render", "validate", "parse", "build", "remove", "sync",
    "format", "resolve", "apply", "merge",
];
pub(super) const AREAS: &[&str] = &["api", "billing", "auth", "jobs", "store", "admin", "mail"];

/// A small deterministic generator (SplitMix64).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(super) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

pub(super) fn camel(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// One block of code (a function, a config entry, a section) in
/// the style of `ext`.
pub(super) fn block(ext: &str, rng: &mut Rng) -> String {
    let (verb, noun, other) = (rng.pick(VERBS), rng.pick(NOUNS), rng.pick(NOUNS));
    let (n, limit) = (rng.below(900) + 10, rng.below(90) + 10);
    let (cn, co) = (camel(noun), camel(other));
    let mut s = String::with_capacity(400);
    let _ = match ext {
        "rs" => write!(
            s,
            "/// {verb}s the {noun} and its {other}s.\npub fn {verb}_{noun}_{n}(store: &Store, id: {cn}Id) -> Result<{cn}, Error> {{\n    let {noun} = store.get(id)?;\n    let {other}s: Vec<{co}> = store.list_{other}s(id, {limit})?;\n    if {other}s.is_empty() {{\n        return Err(Error::Empty(\"{noun} {n}\"));\n    }}\n    Ok({cn} {{ {other}s, ..{noun} }})\n}}\n\n"
        ),
        "ts" => write!(
            s,
            "export async function {verb}{cn}{n}(id: string): Promise<{cn}> {{\n  const response = await api.get(`/{noun}s/${{id}}/{other}s?limit={limit}`);\n  if (!response.ok) {{\n    throw new Error(`{noun} ${{id}}: ${{response.status}}`);\n  }}\n  const body = (await response.json()) as {cn}Response;\n  return {{ ...body.{noun}, {other}Count: body.items.length }};\n}}\n\n"
        ),
        "js" => write!(
            s,
            "function {verb}{cn}{n}(list, options = {{}}) {{\n  const max = options.max ?? {limit};\n  return list\n    .filter((item) => item.{other}Id !== undefined)\n    .slice(0, max)\n    .map((item) => ({{ id: item.id, label: `{noun} ${{item.id}}` }}));\n}}\nmodule.exports.{verb}{cn}{n} = {verb}{cn}{n};\n\n"
        ),
        "py" => write!(
            s,
            "def {verb}_{noun}_{n}(session, {noun}_id, limit={limit}):\n    \"\"\"{cn} {noun}_id with its {other}s.\"\"\"\n    rows = session.query({co}).filter_by({noun}_id={noun}_id).limit(limit).all()\n    if not rows:\n        raise LookupError(f\"no {other}s for {{ {noun}_id }}\")\n    return [row.to_dict() for row in rows]\n\n\n"
        ),
        "yaml" => write!(
            s,
            "{noun}_{n}:\n  enabled: true\n  replicas: {}\n  limits:\n    {other}s: {limit}\n    timeout_seconds: {}\n  labels: [{area}, {verb}]\n",
            rng.below(8) + 1,
            rng.below(60) + 5,
            area = rng.pick(AREAS),
        ),
        "json" => write!(
            s,
            "  {{\n    \"id\": {n},\n    \"kind\": \"{noun}\",\n    \"{other}s\": {limit},\n    \"label\": \"{cn} {verb} {n}\",\n    \"active\": {}\n  }},\n",
            n % 2 == 0
        ),
        _ => write!(
            s,
            "## {cn} {n}\n\nTo {verb} a {noun}, call `{verb}_{noun}` with its id; it returns at most\n{limit} {other}s, newest first. See the {other} guide for the fields.\n\n"
        ),
    };
    s
}

/// The file's opening and closing lines.
pub(super) fn frame(ext: &str) -> (&'static str, &'static str) {
    match ext {
        "rs" => ("use crate::store::{Error, Store};\n\n", ""),
        "ts" => ("import { api } from \"../lib/api\";\n\n", ""),
        "js" => ("\"use strict\";\n\n", ""),
        "py" => (
            "\"\"\"Generated fixtures.\"\"\"\nfrom models import *  # noqa\n\n\n",
            "",
        ),
        "json" => ("[\n", "  {\"id\": 0}\n]\n"),
        "yaml" => ("# service settings\nversion: 2\n", ""),
        _ => ("# Notes\n\n", ""),
    }
}
