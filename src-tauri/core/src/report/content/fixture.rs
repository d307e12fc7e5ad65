//! A test project for the report's tests: an IDN apex, seven weekly runs
//! (chat p95 rising past its target, a certificate at 12 days, a health
//! endpoint failing 2 of 7, DMARC `p=none` throughout, blocker checks that
//! could not run), accounts with gaps and an old key, and stage-6 items
//! still open.

use handover_model::{
    Account, AccountSpec, Catalog, Cause, Contact, ContactSpec, Credential, CredentialKind,
    Endpoint, EndpointRole, Environment, EnvironmentKind, Finding, ItemState, ItemStatus, Measure,
    Method, Outcome, Overview, Person, Project, ProjectSpec, Run, RunSource, RunSummary,
    ServiceKind, Severity,
};

use crate::report::ReportInput;

/// The report's date.
pub const DATE: &str = "2026-12-02";
/// The apex as stored.
pub const APEX: &str = "xn--bcher-kva.example";
/// A secret that lives only in the keychain.
pub const CANARY: &str = "sk_live_CANARY_7f3a9c1e_never_in_reports";

const DAY_MS: i64 = 86_400_000;

/// Everything a report is made from, owned.
pub struct Bed {
    /// The checklist.
    pub catalog: &'static Catalog,
    /// The project.
    pub project: Project,
    /// Item states.
    pub items: Vec<ItemState>,
    /// Accounts.
    pub accounts: Vec<Account>,
    /// Contacts.
    pub contacts: Vec<Contact>,
    /// Runs, newest first.
    pub runs: Vec<Run>,
    /// The overview.
    pub overview: Overview,
}

impl Bed {
    /// The report's input over this bed.
    pub fn input(&self) -> ReportInput<'_> {
        ReportInput {
            catalog: self.catalog,
            project: &self.project,
            overview: &self.overview,
            items: &self.items,
            accounts: &self.accounts,
            contacts: &self.contacts,
            runs: &self.runs,
            date: DATE,
            author: "Dana Ops",
        }
    }

    /// Recomputes the overview after a change to items or accounts.
    pub fn refresh(&mut self) {
        let now = day(DATE) * DAY_MS;
        let handover = crate::triage::handover_findings(&self.accounts, &self.contacts, now);
        self.overview =
            crate::triage::overview(self.catalog, &self.project, &self.items, None, handover);
    }
}

/// Days since the epoch of a date.
pub fn day(date: &str) -> i64 {
    handover_model::date::days_from_civil(date).unwrap()
}

fn endpoint(role: EndpointRole, method: Method, path: &str) -> Endpoint {
    Endpoint {
        role,
        method,
        path: path.into(),
        body: String::new(),
        headers: Vec::new(),
        expected_status: 200,
        auth: None,
    }
}

/// A judged finding.
pub fn finding(check: &str, target: &str, host: &str, severity: Severity, title: &str) -> Finding {
    Finding {
        check: check.into(),
        target: target.into(),
        host: host.into(),
        port: None,
        severity,
        outcome: Outcome::Judged,
        title: title.into(),
        detail: "Fix it. Then check again.".into(),
        evidence: vec![format!("GET {target} → 200")],
        measured: Vec::new(),
    }
}

/// A finding that could not judge.
pub fn unchecked(check: &str, target: &str, host: &str, cause: Cause, reason: &str) -> Finding {
    Finding {
        severity: Severity::Info,
        outcome: Outcome::Inconclusive {
            cause,
            reason: reason.into(),
        },
        title: format!("Could not check {check}"),
        ..finding(check, target, host, Severity::Info, "")
    }
}

/// A measure.
pub fn measure(name: &str, value: f64, unit: &str) -> Measure {
    Measure {
        name: name.into(),
        value,
        unit: unit.into(),
        bins: Vec::new(),
    }
}

/// A run `weeks_ago` weeks before the day before [`DATE`].
pub fn run(id: i64, weeks_ago: i64, findings: Vec<Finding>) -> Run {
    let started_ms = (day(DATE) - 1 - 7 * weeks_ago) * DAY_MS + 9 * 3_600_000;
    let mut counts = [0u32; 6];
    for f in findings.iter().filter(|f| !f.outcome.is_inconclusive()) {
        counts[f.severity as usize] += 1;
    }
    Run {
        summary: RunSummary {
            id,
            project_id: Some(7),
            started_ms,
            finished_ms: started_ms + 60_000,
            counts,
            inconclusive: findings
                .iter()
                .filter(|f| f.outcome.is_inconclusive())
                .count() as u32,
            source: RunSource::Window,
            subject: "Opsbot".into(),
        },
        findings,
    }
}

const API: &str = "api.xn--bcher-kva.example";
const WWW: &str = "www.xn--bcher-kva.example";
const HEALTH: &str = "https://api.xn--bcher-kva.example/api/health";
const CHAT: &str = "https://api.xn--bcher-kva.example/api/chat";
const LOGIN: &str = "https://api.xn--bcher-kva.example/api/login";

/// One weekly run `k` weeks back (0: the latest).
fn weekly(k: i64) -> Run {
    let mut findings = Vec::new();
    let chat = [2800.0, 2100.0, 2000.0, 1950.0, 1900.0, 1850.0, 1800.0][k as usize];
    let mut f = finding(
        "latency.chat",
        CHAT,
        API,
        if chat > 2500.0 {
            Severity::High
        } else {
            Severity::Pass
        },
        "chat p95",
    );
    f.measured = vec![
        measure("p95_ms", chat, "ms"),
        measure("target_ms", 2500.0, "ms"),
    ];
    findings.push(f);
    let login = [700.0, 650.0, 600.0, 600.0, 580.0, 560.0, 550.0][k as usize];
    let mut f = finding("latency.login", LOGIN, API, Severity::Pass, "login p95");
    f.measured = vec![
        measure("p95_ms", login, "ms"),
        measure("target_ms", 800.0, "ms"),
    ];
    findings.push(f);
    let mut f = finding(
        "tls.expiry",
        &format!("{API}:443"),
        API,
        Severity::High,
        "api's certificate expires soon",
    );
    f.measured = vec![measure("days_left", (12 + 7 * k) as f64, "days")];
    findings.push(f);
    let mut f = finding(
        "tls.expiry",
        &format!("{WWW}:443"),
        WWW,
        Severity::Info,
        "www's certificate expires in 50 days",
    );
    f.measured = vec![measure("days_left", (50 + 7 * k) as f64, "days")];
    findings.push(f);
    let failing = k == 0 || k == 3;
    let mut f = finding(
        "uptime.endpoints",
        HEALTH,
        API,
        if failing {
            Severity::High
        } else {
            Severity::Pass
        },
        if failing {
            "API health answered 503"
        } else {
            "API health answered 200"
        },
    );
    f.measured = vec![measure("total_ms", 310.0, "ms")];
    findings.push(f);
    findings.push(finding(
        "email.dmarc",
        APEX,
        APEX,
        Severity::Medium,
        "DMARC policy is p=none: spoofed mail is delivered",
    ));
    findings.push(finding(
        "headers.hsts",
        "https://www.xn--bcher-kva.example/",
        WWW,
        Severity::Pass,
        "HSTS is set",
    ));
    if k <= 1 {
        findings.push(unchecked(
            "chat.fallback",
            CHAT,
            API,
            Cause::Unreachable,
            "api.xn--bcher-kva.example:443 refused the connection",
        ));
    }
    if k == 0 {
        findings.push(unchecked(
            "redirect.https",
            "http://xn--bcher-kva.example/",
            APEX,
            Cause::TimedOut,
            "no answer within 10 s",
        ));
    }
    run(100 - k, k, findings)
}

fn state(id: &str, status: ItemStatus, owner: &str) -> ItemState {
    ItemState {
        item_id: id.into(),
        status,
        owner: owner.into(),
        updated_ms: Some(1),
        ..ItemState::default()
    }
}

fn account(id: i64, kind: ServiceKind, provider: &str, owner: &str) -> Account {
    Account {
        id,
        project_id: 7,
        spec: AccountSpec {
            kind,
            provider: provider.into(),
            owner: Person {
                name: owner.into(),
                email: String::new(),
            },
            ..AccountSpec::default()
        },
        credentials: Vec::new(),
        created_ms: 0,
        updated_ms: 0,
    }
}

fn credential(
    id: i64,
    account: i64,
    kind: CredentialKind,
    label: &str,
    changed: &str,
) -> Credential {
    Credential {
        id,
        account_id: account,
        kind,
        label: label.into(),
        created_ms: 0,
        changed_ms: day(changed) * DAY_MS + 3_600_000,
    }
}

/// The full test bed.
pub fn bed() -> Bed {
    let catalog = crate::catalog::builtin();
    let project = Project {
        id: 7,
        spec: ProjectSpec {
            name: "Opsbot".into(),
            apex: APEX.into(),
            environments: vec![Environment {
                kind: EnvironmentKind::Production,
                base_url: "https://api.xn--bcher-kva.example".into(),
                env_file: String::new(),
            }],
            endpoints: vec![
                endpoint(EndpointRole::ApiHealth, Method::Get, "/api/health"),
                endpoint(EndpointRole::Chat, Method::Post, "/api/chat"),
                endpoint(EndpointRole::Login, Method::Post, "/api/login"),
            ],
            ..ProjectSpec::default()
        },
        created_ms: 0,
        updated_ms: 0,
        demo: false,
    };
    let mut items = Vec::new();
    for item in catalog
        .items
        .iter()
        .filter(|i| i.stage == "production-deploy")
    {
        let (status, owner) = match item.id.as_str() {
            "smoke-tests-after-deploy" => (ItemStatus::Todo, ""),
            "rollback-without-rebuild" => (ItemStatus::Fail, "Sam"),
            "backups-restorable" => (ItemStatus::Todo, "Ravi"),
            _ => (ItemStatus::Pass, ""),
        };
        items.push(state(&item.id, status, owner));
    }
    items.push(state("ssl-everywhere", ItemStatus::Todo, "Dana"));
    items.push(state("p95-chat-baseline", ItemStatus::Fail, "Priya"));
    let mut fallback = state("chat-timeout-fallback", ItemStatus::Todo, "");
    fallback.could_not_check =
        "could not check: api.xn--bcher-kva.example:443 refused the connection".into();
    items.push(fallback);

    let mut stripe = account(5, ServiceKind::Other, "Stripe", "Dana");
    stripe.credentials.push(credential(
        51,
        5,
        CredentialKind::ApiKey,
        "live key",
        "2026-08-30",
    ));
    let mut github = account(6, ServiceKind::SourceRepo, "GitHub", "Ravi");
    github.credentials.push(credential(
        61,
        6,
        CredentialKind::ApiKey,
        "deploy token",
        "2026-09-13",
    ));
    let accounts = vec![
        account(1, ServiceKind::Dns, "Gandi", "Dana"),
        account(2, ServiceKind::Cdn, "Cloudflare", ""),
        account(3, ServiceKind::Hosting, "Hetzner", "Ravi"),
        account(4, ServiceKind::Email, "Postmark", "Dana"),
        stripe,
        github,
    ];
    let contacts = vec![Contact {
        id: 1,
        project_id: 7,
        spec: ContactSpec {
            name: "Sam".into(),
            role: "on-call engineer".into(),
            email: "sam@bücher.example".into(),
            channels: vec!["sms".into()],
            verified: String::new(),
        },
    }];
    let mut bed = Bed {
        catalog,
        project,
        items,
        accounts,
        contacts,
        runs: (0..7).map(weekly).collect(),
        overview: crate::triage::overview(
            catalog,
            &Project {
                id: 0,
                spec: ProjectSpec::default(),
                created_ms: 0,
                updated_ms: 0,
                demo: false,
            },
            &[],
            None,
            Vec::new(),
        ),
    };
    bed.refresh();
    bed
}
