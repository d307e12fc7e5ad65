//! The demo's files: the CA to trust, the staging and production env
//! files, a small repository and its build output, and the bundle the site
//! serves. Written afresh on every start (the CA and planted keys change).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use handover_testbed::bundle_site::source_map;
use handover_testbed::secrets::{token, Prng};

use crate::{DemoError, Planted};

/// The CA certificate's file name.
pub const CA_FILE: &str = "demo-ca.pem";
/// The production env file, relative to the demo's folder.
pub const PRODUCTION_ENV: &str = "env/production.env";
/// The staging env file, relative to the demo's folder.
pub const STAGING_ENV: &str = "env/staging.env";
/// The repository folder.
pub const REPO: &str = "repo";
/// The build output inside the repository (ignored by git, scanned anyway).
pub const BUILD_OUTPUT: &str = "repo/out";
/// The original file whose source holds the Stripe key.
pub const BILLING_SOURCE: &str = "src/lib/billing.ts";
/// The stylesheet every host serves.
pub const CSS: &str = "body{margin:0;font-family:system-ui}main{max-width:40rem;margin:auto}\n";

/// A fresh seed from the process's randomness.
pub fn seed() -> u64 {
    RandomState::new().build_hasher().finish()
}

/// A fresh canary for the chatbot's system prompt.
pub fn canary() -> String {
    let alphabet = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    format!("HANDOVER-CANARY-{}", Prng::new(seed()).chars(alphabet, 20))
}

/// The bundle a host serves: minified script and its source map.
pub struct Bundle {
    /// `/static/app.js`.
    pub js: String,
    /// `/static/app.js.map`, if it has one.
    pub map: Option<String>,
}

/// The billing module as written, with the live key as a fallback — how
/// it reached the bundle.
fn billing_ts(planted: &Planted) -> String {
    format!(
        "// Card payments for team plans.\nimport Stripe from \"stripe\";\n\n\
         export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? \"{}\");\n",
        planted.stripe_live
    )
}

const CHAT_TS: &str = "// Sends a question to the assistant.\nexport async function ask(message: string) {\n  const res = await fetch(\"/api/chat\", { method: \"POST\", headers: { \"content-type\": \"application/json\" }, body: JSON.stringify({ message }) });\n  return (await res.json()).answer as string;\n}\n";

/// The product's bundle: the chat client and the billing module, whose
/// source map (with `sourcesContent`) ships the live key.
pub fn bundle(planted: &Planted) -> Bundle {
    let js = format!(
        "(()=>{{\"use strict\";const s=new Stripe(\"{}\");window.ask=async m=>(await (await fetch(\"/api/chat\",{{method:\"POST\",body:JSON.stringify({{message:m}})}})).json()).answer}})();\n//# sourceMappingURL=app.js.map\n",
        planted.stripe_live
    );
    let map = source_map(
        "app.js",
        &[
            ("src/lib/chat.ts", CHAT_TS),
            (BILLING_SOURCE, &billing_ts(planted)),
        ],
    );
    Bundle { js, map: Some(map) }
}

/// The other hosts' bundle: a small script, no source map.
pub fn clean_bundle() -> Bundle {
    Bundle {
        js: "(()=>{window.ready=!0})();\n".into(),
        map: None,
    }
}

/// Writes the CA, env files, repository and build output under `dir`.
pub fn write(dir: &Path, ca_pem: &str, planted: &Planted) -> Result<(), DemoError> {
    let mut r = Prng::new(seed());
    let session = r.mixed(48);
    let prod_db = token("database-url-password", seed());
    let staging_db = format!(
        "postgres://northwind:{}@db-staging.internal:5432/northwind",
        r.mixed(24)
    );
    let webhook = |r: &mut Prng| format!("whsec_{}", r.mixed(32));
    let production = format!(
        "# Production (Fly.io secrets, exported 2026-11-28)\n\
         NODE_ENV=production\n\
         DATABASE_URL={prod_db}\n\
         SESSION_SECRET={session}\n\
         OPENAI_API_KEY={openai}\n\
         NEXT_PUBLIC_OPENAI_API_KEY={openai}\n\
         STRIPE_SECRET_KEY={stripe}\n\
         STRIPE_WEBHOOK_SECRET={wh}\n\
         CHAT_MODEL=gpt-4o-mini\n\
         SENTRY_DSN=\n",
        openai = planted.openai,
        stripe = planted.stripe_live,
        wh = webhook(&mut r),
    );
    let staging = format!(
        "# Staging\n\
         NODE_ENV=production\n\
         DATABASE_URL={staging_db}\n\
         SESSION_SECRET={session}\n\
         OPENAI_API_KEY={openai}\n\
         STRIPE_SECRET_KEY=sk_test_{test}\n\
         STRIPE_WEBHOOK_SECRET={wh}\n\
         CHAT_MODEL=gpt-4o-mini\n\
         SENTRY_DSN=https://{dsn}@o4507.ingest.sentry.io/4507\n",
        openai = token("openai-api-key", seed()),
        test = r.mixed(24),
        wh = webhook(&mut r),
        dsn = r.chars(b"0123456789abcdef", 32),
    );
    let bundle = bundle(planted);
    let billing = billing_ts(planted);
    let files: Vec<(&str, String)> = vec![
        (CA_FILE, ca_pem.to_string()),
        (PRODUCTION_ENV, production),
        (STAGING_ENV, staging),
        ("repo/README.md", "# Northwind Ops Assistant\n\nThe internal-ops chatbot: Next.js front end, chat API, handbook retrieval.\n".into()),
        ("repo/.gitignore", ".env\n.env.*\n!.env.example\nnode_modules/\nout/\n".into()),
        ("repo/.env.example", "NODE_ENV=production\nDATABASE_URL=\nSESSION_SECRET=\nOPENAI_API_KEY=\nSTRIPE_SECRET_KEY=\nSTRIPE_WEBHOOK_SECRET=\nCHAT_MODEL=gpt-4o-mini\nSENTRY_DSN=\n".into()),
        ("repo/package.json", "{\n  \"name\": \"northwind-ops-assistant\",\n  \"private\": true,\n  \"scripts\": { \"build\": \"next build && next export -o out\" }\n}\n".into()),
        ("repo/src/lib/chat.ts", CHAT_TS.into()),
        ("repo/src/lib/billing.ts", billing),
        ("repo/src/server/chat.ts", "// The chat route: retrieval, then the model.\nconst model = process.env.CHAT_MODEL ?? \"gpt-4o-mini\";\nconst key = process.env.OPENAI_API_KEY;\nconst index = process.env.HANDBOOK_INDEX_URL;\n\nexport async function answer(question: string) {\n  const passages = await fetch(`${index}/search?q=${encodeURIComponent(question)}`).then((r) => r.json());\n  return complete({ model, key, passages, question });\n}\n\ndeclare function complete(args: object): Promise<string>;\n".into()),
        ("repo/src/server/webhooks.ts", "// Verifies Stripe's signature before trusting an event.\nexport function verify(body: string, signature: string) {\n  return checkSignature(body, signature, process.env.STRIPE_WEBHOOK_SECRET);\n}\n\ndeclare function checkSignature(body: string, signature: string, secret?: string): boolean;\n".into()),
        ("repo/out/static/app.js", bundle.js),
        ("repo/out/static/app.js.map", bundle.map.unwrap_or_default()),
    ];
    let fail = |path: PathBuf| move |source| DemoError::Files { path, source };
    if dir.join(REPO).exists() {
        std::fs::remove_dir_all(dir.join(REPO)).map_err(fail(dir.join(REPO)))?;
    }
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(fail(parent.to_path_buf()))?;
        }
        std::fs::write(&path, text).map_err(fail(path.clone()))?;
    }
    Ok(())
}
