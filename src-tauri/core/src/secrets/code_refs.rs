//! Keys the code reads from its environment: `process.env.X`,
//! `import.meta.env.X`, `std::env::var("X")`, `os.environ["X"]` and their
//! relatives, found by a regex over the repository's source files.
//!
//! The walk honours `.gitignore` (also outside a Git checkout) and skips
//! hidden files, `node_modules`, files over 1 MiB and files that are not
//! UTF-8. Destructuring (`const { X } = process.env`) and reads through a
//! variable name are not followed. Names the platform or the tooling sets
//! (`NODE_ENV`, `PORT`, Vite's `MODE`, `VERCEL_*` …, see [`platform_provided`])
//! are left out: no env file is expected to define them.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use handover_model::EnvLocation;
use regex::Regex;

/// Source files larger than this are not searched.
const MAX_FILE: u64 = 1024 * 1024;

/// Extensions of the source files searched.
const SOURCE_EXTENSIONS: &[&str] = &[
    "js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "vue", "svelte", "astro", "rs", "py",
    "rb", "go", "php",
];

/// One alternative per way of reading a variable; each captures the name.
static READ: LazyLock<Regex> = LazyLock::new(|| {
    const NAME: &str = r"([A-Za-z_][A-Za-z0-9_]*)";
    let forms = [
        format!(r"\bprocess\.env\.{NAME}"),
        format!(r#"\bprocess\.env\[\s*["'`]{NAME}["'`]\s*\]"#),
        format!(r"\bimport\.meta\.env\.{NAME}"),
        format!(r#"\benv::var(?:_os)?\(\s*"{NAME}""#),
        format!(r#"\bdotenvy::var\(\s*"{NAME}""#),
        format!(r#"\bos\.environ\[\s*["']{NAME}["']\s*\]"#),
        format!(r#"\bos\.environ\.get\(\s*["']{NAME}["']"#),
        format!(r#"\bos\.getenv\(\s*["']{NAME}["']"#),
        format!(r#"\bos\.(?:Getenv|LookupEnv)\(\s*"{NAME}""#),
        format!(r#"\bDeno\.env\.get\(\s*["']{NAME}["']"#),
        format!(r#"\bENV\[\s*["']{NAME}["']\s*\]"#),
        format!(r#"\bENV\.fetch\(\s*["']{NAME}["']"#),
    ];
    Regex::new(&forms.join("|")).expect("the env-read patterns compile")
});

/// What the code reads: each key's first read (by path, then line).
#[derive(Debug, Default)]
pub(crate) struct CodeReads {
    /// Source files searched.
    pub files: u64,
    /// Key → where it is first read (path relative to the root, `/`-separated).
    pub keys: BTreeMap<String, EnvLocation>,
}

/// Names set by the runtime, the host or the build tool, never by an env
/// file: a read of one is not a missing definition.
pub(crate) fn platform_provided(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "NODE_ENV",
        "PORT",
        "HOST",
        "HOSTNAME",
        "PATH",
        "HOME",
        "USER",
        "USERNAME",
        "PWD",
        "SHELL",
        "TERM",
        "LANG",
        "TZ",
        "CI",
        "TMPDIR",
        "TEMP",
        "TMP",
        "APPDATA",
        "LOCALAPPDATA",
        "USERPROFILE",
        "OUT_DIR",
        "TARGET",
        "PROFILE",
        "OPT_LEVEL",
        "RUST_LOG",
        "RUST_BACKTRACE",
        "MODE",
        "DEV",
        "PROD",
        "SSR",
        "BASE_URL",
        "NEXT_RUNTIME",
        "NEXT_PHASE",
        "DYNO",
        "K_SERVICE",
        "K_REVISION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "KUBERNETES_SERVICE_HOST",
        "DEBUG",
        "NETLIFY",
        "VERCEL",
        "RENDER",
        "RAILWAY_ENVIRONMENT",
    ];
    const PREFIXES: &[&str] = &[
        "VERCEL_",
        "NETLIFY_",
        "RENDER_",
        "FLY_",
        "RAILWAY_",
        "HEROKU_",
        "CF_PAGES",
        "GITHUB_",
        "RUNNER_",
        "CARGO_",
        "npm_",
        "XDG_",
        "AWS_LAMBDA_",
    ];
    NAMES.contains(&name) || PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The keys the code under `root` reads.
pub(crate) fn code_reads(root: &Path) -> CodeReads {
    let mut reads = CodeReads::default();
    let walk = ignore::WalkBuilder::new(root)
        .require_git(false)
        .filter_entry(|entry| entry.file_name() != "node_modules")
        .build();
    let mut files: Vec<_> = walk
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| SOURCE_EXTENSIONS.contains(&x))
        })
        .collect();
    files.sort();
    for path in files {
        if !std::fs::metadata(&path).is_ok_and(|m| m.len() <= MAX_FILE) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        reads.files += 1;
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let file = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        for (index, line) in text.lines().enumerate() {
            for name in names_read(line) {
                reads
                    .keys
                    .entry(name.to_owned())
                    .or_insert_with(|| EnvLocation {
                        file: file.clone(),
                        line: u32::try_from(index + 1).unwrap_or(u32::MAX),
                    });
            }
        }
    }
    reads
}

/// The variable names one line of code reads, in order.
pub(crate) fn names_read(line: &str) -> impl Iterator<Item = &str> {
    READ.captures_iter(line)
        .filter_map(|caps| caps.iter().skip(1).flatten().next().map(|m| m.as_str()))
}
