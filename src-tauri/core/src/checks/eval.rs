//! `ai.eval`: the project's evaluation set asked of its chat endpoint as
//! part of a run (and so of every weekly recheck), its findings in the run
//! like any check's; the detailed report is left for the workbench to
//! store beside the run. A setup that asks production runs here only when
//! the project allowed it (`allow_production`); otherwise the check says
//! it could not start, never that the bot is fine.

use std::sync::Arc;
use std::time::Duration;

use handover_model::{Cause, Finding};

use super::{inconclusive, CheckDef, CheckTarget};
use crate::eval::{run, CHECK};
use crate::secrets::FingerprintKey;

/// How long the whole set may take inside a run.
const DEADLINE: Duration = Duration::from_secs(600);

pub(super) fn checks() -> Vec<CheckDef> {
    vec![CheckDef::new(CHECK, |n, t| Box::pin(eval(n, t)))
        .only_if(
            |t| t.eval.is_some(),
            "a chat adapter (the Eval page or [eval.adapter] in a project file)",
        )
        .deadline(DEADLINE)]
}

async fn eval(net: &super::net::Net, target: &CheckTarget) -> Vec<Finding> {
    let Some(input) = &target.eval else {
        return Vec::new();
    };
    let place = input
        .url
        .as_ref()
        .map(super::http::redact_url)
        .unwrap_or_else(|_| target.name());
    if input.production && !input.setup.allow_production {
        return vec![inconclusive(
            CHECK,
            place,
            Cause::CouldNotStart,
            "The evaluation set asks the production chat endpoint: run it from the Eval page \
             (which asks first) or allow production runs in the project's eval setup.",
        )];
    }
    let key = target
        .secrets_key
        .clone()
        .unwrap_or_else(FingerprintKey::random);
    let plan = match input.plan(&target.credentials, key, None, &[]) {
        Ok(plan) => plan,
        Err(why) => return vec![inconclusive(CHECK, place, Cause::CouldNotStart, why)],
    };
    let report = run::run(
        &net.http_client(),
        plan,
        crate::store::now_ms(),
        Arc::new(|_| {}),
    )
    .await;
    let findings = report.findings.clone();
    if let Ok(mut slot) = input.sink.lock() {
        *slot = Some(report);
    }
    findings
}
