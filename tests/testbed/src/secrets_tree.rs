//! A planted source tree for the secret scan: nested folders of code
//! that looks like code (Rust, TypeScript, JavaScript, Python, JSON,
//! YAML, Markdown), a minified bundle, a source map carrying its
//! originals, `.env.example`, a `.gitignore` that ignores `dist/` and
//! `.env`, a binary file, a file over 4 MiB and a gitignored `dist/`
//! build output — with secrets of every rule in [`PLANTED_RULES`]
//! planted at known places (about one per 200 KB, each rule at least
//! once outside the build output, which holds one more).
//!
//! Text comes from templates cycled with varying identifiers, so a
//! 200 MB tree is written in seconds. The clean parts hold no secret:
//! no long random literal next to a key-like name.

use std::path::Path;

use crate::secrets::{planted_line, Style, PLANTED_RULES};

#[path = "secrets_tree_code.rs"]
mod code;

use crate::bundle_site::json_string;
use code::{block, frame, Rng, AREAS, NOUNS, VERBS};

/// One secret planted in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    /// The file, relative to the tree's root, `/`-separated.
    pub path: String,
    /// 1-based line of the secret (in the original file for a source map).
    pub line: u32,
    /// The rule that must find it.
    pub rule: String,
    /// In the gitignored `dist/` build output: found only when that
    /// folder is scanned explicitly.
    pub in_build_output: bool,
    /// For a source map, the original file (`sources[i]`) it is in.
    pub original: Option<String>,
}

/// What [`write_tree`] wrote.
#[derive(Debug, Clone, Default)]
pub struct PlantedTree {
    /// Every secret planted, in writing order.
    pub planted: Vec<Planted>,
    /// Bytes written, all files included.
    pub bytes_written: u64,
}

/// The gitignored build output folder.
pub const BUILD_OUTPUT: &str = "dist";
/// The binary file.
pub const BINARY_FILE: &str = "assets/logo.png";
/// The file over 4 MiB.
pub const HUGE_FILE: &str = "data/large-fixture.json";
/// The source map (its originals carry a secret).
pub const SOURCE_MAP: &str = "web/public/vendor/widget.min.js.map";

/// Roughly one planted secret per this many bytes.
const BYTES_PER_SECRET: u64 = 200_000;

/// One file being written: its text and line count.
struct Text {
    text: String,
    lines: u32,
}

impl Text {
    fn new() -> Self {
        Self {
            text: String::new(),
            lines: 0,
        }
    }
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.lines += s.matches('\n').count() as u32;
    }
    /// Appends a planted line in the manner of files `ext` (Rust's in a
    /// function of its own); its 1-based line number.
    fn plant(&mut self, rule: &str, seed: u64, ext: &str) -> u32 {
        let style = match ext {
            "rs" => Style::Rust,
            "ts" | "js" => Style::Js,
            "min.js" => Style::MinifiedJs,
            "py" => Style::Python,
            "json" => Style::Json,
            "yaml" => Style::Yaml,
            _ => Style::Env,
        };
        let planted = planted_line(rule, seed, style);
        if ext == "rs" {
            self.push("fn settings() {\n");
        }
        let line = self.lines + 1;
        self.push(planted.trim_end_matches('\n'));
        self.push("\n");
        if ext == "rs" {
            self.push("}\n\n");
        }
        line
    }
}

/// Where secrets go and what the tree has written so far.
struct Writer<'a> {
    root: &'a Path,
    tree: PlantedTree,
    rule: usize,
    seed: u64,
}

impl Writer<'_> {
    fn next_rule(&mut self) -> (&'static str, u64) {
        let rule = PLANTED_RULES[self.rule % PLANTED_RULES.len()];
        self.rule += 1;
        self.seed = self.seed.wrapping_add(1);
        (rule, self.seed)
    }
    /// The build output's rule: off the cycle, so the repository alone
    /// still holds every rule.
    fn dist_rule(&mut self) -> (&'static str, u64) {
        self.seed = self.seed.wrapping_add(1);
        (
            PLANTED_RULES[(self.seed % PLANTED_RULES.len() as u64) as usize],
            self.seed,
        )
    }
    fn write(&mut self, path: &str, bytes: &[u8]) -> u64 {
        let full = self.root.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("create the tree's folders");
        }
        std::fs::write(&full, bytes).expect("write a tree file");
        self.tree.bytes_written += bytes.len() as u64;
        bytes.len() as u64
    }
    fn note(&mut self, path: &str, line: u32, rule: &str, original: Option<&str>) {
        self.tree.planted.push(Planted {
            path: path.to_owned(),
            line,
            rule: rule.to_owned(),
            in_build_output: path.starts_with("dist/"),
            original: original.map(str::to_owned),
        });
    }
    /// A generated file of `blocks` blocks with `plants` secrets among them.
    fn code_file(
        &mut self,
        path: &str,
        ext: &str,
        blocks: usize,
        plants: usize,
        rng: &mut Rng,
    ) -> u64 {
        let (open, close) = frame(ext);
        let mut text = Text::new();
        text.push(open);
        let mut at: Vec<usize> = (0..plants).map(|_| rng.below(blocks + 1)).collect();
        at.sort_unstable();
        let mut at = at.into_iter().peekable();
        for i in 0..=blocks {
            while at.peek() == Some(&i) {
                at.next();
                let (rule, seed) = self.next_rule();
                let line = text.plant(rule, seed, ext);
                self.note(path, line, rule, None);
            }
            if i < blocks {
                text.push(&block(ext, rng));
            }
        }
        text.push(close);
        self.write(path, text.text.as_bytes())
    }
}

/// Writes the planted tree under `dir` (which should be empty): about
/// `target_bytes` of scannable text (the huge and binary files come on
/// top), deterministic for a `seed`.
pub fn write_tree(dir: &Path, seed: u64, target_bytes: u64) -> PlantedTree {
    let mut rng = Rng(seed ^ 0x5EC2_E75E_ED00_0001);
    let mut w = Writer {
        root: dir,
        tree: PlantedTree::default(),
        rule: 0,
        seed: seed.wrapping_mul(1000),
    };
    let total_plants = (PLANTED_RULES.len() as u64).max(target_bytes / BYTES_PER_SECRET);
    let mut text_bytes = fixed_files(&mut w, &mut rng);
    let fixed_plants = w.rule as u64;
    let remaining = total_plants.saturating_sub(fixed_plants).max(1);
    let every = (target_bytes.saturating_sub(text_bytes) / remaining).max(1);
    let mut planted_in_modules = 0u64;
    let mut next_plant = text_bytes + every / 2;
    const KINDS: &[(&str, &str)] = &[
        ("src", "rs"),
        ("web/src", "ts"),
        ("web/src/lib", "js"),
        ("scripts", "py"),
        ("config", "yaml"),
        ("config/fixtures", "json"),
        ("docs", "md"),
    ];
    let mut i = 0usize;
    while text_bytes < target_bytes || planted_in_modules < remaining {
        let (folder, ext) = KINDS[i % KINDS.len()];
        let (area, noun) = (rng.pick(AREAS), rng.pick(NOUNS));
        let path = match ext {
            "rs" | "ts" => format!("{folder}/{area}/{noun}_{i}.{ext}"),
            _ => format!("{folder}/{noun}-{i}.{ext}"),
        };
        let blocks = 10 + rng.below(50);
        let estimate = blocks as u64 * 330;
        let mut plants = 0usize;
        while next_plant <= text_bytes + estimate
            && planted_in_modules + (plants as u64) < remaining
        {
            plants += 1;
            next_plant += every;
        }
        if text_bytes >= target_bytes {
            plants = (remaining - planted_in_modules) as usize;
        }
        planted_in_modules += plants as u64;
        text_bytes += w.code_file(&path, ext, blocks, plants, &mut rng);
        i += 1;
    }
    huge_and_binary(&mut w, &mut rng);
    w.tree
}

/// The hand-laid files: ignore rules, env files, bundle, source map,
/// build output. Returns the text bytes written.
fn fixed_files(w: &mut Writer<'_>, rng: &mut Rng) -> u64 {
    let mut bytes = 0;
    bytes += w.write(
        ".gitignore",
        b"# build output and local env\ndist/\n.env\nnode_modules/\n*.log\n",
    );
    bytes += w.write(".env", b"DEBUG=true\nPORT=3000\n");
    let mut env = Text::new();
    env.push("# Copy to .env and fill in.\nDATABASE_POOL=5\nLOG_LEVEL=info\n");
    let (rule, seed) = w.next_rule();
    let line = env.plant(rule, seed, "env");
    env.push("FEATURE_FLAGS=search,export\n");
    bytes += w.write(".env.example", env.text.as_bytes());
    w.note(".env.example", line, rule, None);
    bytes += w.write(
        "README.md",
        b"# Shop\n\nA small shop: `src/` is the API, `web/` the storefront.\n\n```sh\ncargo run\n```\n",
    );
    bytes += w.code_file(".github/workflows/deploy.yaml", "yaml", 3, 1, rng);

    // A minified bundle: one long line, a secret in its middle.
    let mut min = Text::new();
    min.push("!function(){\"use strict\";");
    for k in 0..120 {
        let (v, n) = (rng.pick(VERBS), rng.pick(NOUNS));
        min.push(&format!(
            "function {v}{k}(e,t){{return e.{n}Id===t?e:null}}var {n}{k}=[{k},{}];",
            k * 7
        ));
    }
    let (rule, seed) = w.next_rule();
    let line = min.plant(rule, seed, "min.js");
    min.push("}();\n");
    let path = "web/public/vendor/widget.min.js";
    bytes += w.write(path, min.text.as_bytes());
    w.note(path, line, rule, None);

    // Its source map: originals in sourcesContent, a secret in one.
    let mut index = Text::new();
    index.push(frame("ts").0);
    for _ in 0..6 {
        index.push(&block("ts", rng));
    }
    let mut config = Text::new();
    config.push("// Widget settings.\n");
    config.push(&block("ts", rng));
    let (rule, seed) = w.next_rule();
    let line = config.plant(rule, seed, "ts");
    config.push(&block("ts", rng));
    let sources = [
        "webpack://widget/src/index.ts",
        "webpack://widget/src/config.ts",
    ];
    let map = format!(
        "{{\"version\":3,\"file\":\"widget.min.js\",\"sources\":[\"{}\",\"{}\"],\"sourcesContent\":[{},{}],\"names\":[],\"mappings\":\"AAAA,SAASA;AACT,OAAO\"}}\n",
        sources[0], sources[1], json_string(&index.text), json_string(&config.text)
    );
    bytes += w.write(SOURCE_MAP, map.as_bytes());
    w.note(SOURCE_MAP, line, rule, Some(sources[1]));

    // The build output, ignored by .gitignore.
    let hash = format!("{:08x}", rng.next() as u32);
    w.write("dist/index.html", format!("<!doctype html>\n<html><head><script type=\"module\" src=\"/assets/index-{hash}.js\"></script></head><body><div id=\"root\"></div></body></html>\n").as_bytes());
    let mut out = Text::new();
    out.push("var e=document.getElementById(\"root\");\n");
    let (rule, seed) = w.dist_rule();
    let line = out.plant(rule, seed, "js");
    out.push("e.textContent=\"shop\";\n");
    let path = format!("dist/assets/index-{hash}.js");
    w.write(&path, out.text.as_bytes());
    w.note(&path, line, rule, None);
    bytes
}

/// The binary file and the file over 4 MiB (neither holds a secret).
fn huge_and_binary(w: &mut Writer<'_>, rng: &mut Rng) {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x40\0\0\0\x40\x08\x06\0\0\0".to_vec();
    png.extend((0..4096).map(|_| rng.next() as u8));
    w.write(BINARY_FILE, &png);
    let row =
        "  {\"id\": 1, \"kind\": \"order\", \"items\": [1, 2, 3], \"note\": \"fixture row\"},\n";
    let rows = (4 * 1024 * 1024 + 64 * 1024) / row.len() + 1;
    let mut huge = String::with_capacity(rows * row.len() + 8);
    huge.push_str("[\n");
    for _ in 0..rows {
        huge.push_str(row);
    }
    huge.push_str("  {}\n]\n");
    w.write(HUGE_FILE, huge.as_bytes());
}
