//! The walk over an SPF record's whole include tree: every `include:` and
//! `redirect=` target fetched, every DNS-querying term counted, and the
//! queries an evaluator would make by `a`, `mx` and `exists` made to count
//! void lookups (RFC 7208 §4.6.4).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use hickory_resolver::proto::rr::RecordType;
use mail_auth::spf::Qualifier;

use super::record::{parse, select, Kind, Record, Selected, Term};
use super::MAX_MX_NAMES;
use crate::checks::dns::records::{addresses, records};
use crate::checks::mail::{answered, txt};
use crate::checks::net::{Net, NetError};

/// Most include/redirect levels followed below the sending domain (more
/// than the lookup limit allows, so a deeper tree is over budget anyway).
pub const MAX_DEPTH: usize = super::MAX_LOOKUPS + 1;

/// Most DNS queries one walk makes; a tree needing more is far over the
/// 10-lookup budget (every query but the first is a counted term).
pub const MAX_QUERIES: usize = 50;

/// One `include:` or `redirect=` of the tree and what it costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// How deep it sits: 0 for the sending domain's own terms.
    pub depth: usize,
    /// The term as written.
    pub term: String,
    /// The lookups it costs: itself and its whole sub-tree.
    pub lookups: usize,
}

/// An include or redirect whose target has no usable SPF record: a
/// permerror (RFC 7208 §5.2, §6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The term as written.
    pub term: String,
    /// What is wrong at the target.
    pub why: String,
    /// Whether the target has no SPF record at all (rather than a bad one).
    pub missing: bool,
}

/// Where an evaluation ends when nothing else matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Terminal {
    /// An `all` with this qualifier.
    All(Qualifier),
    /// No `all` and no usable `redirect=`: the result is neutral.
    Missing,
    /// Not known (a redirect target that could not be read).
    Unknown,
}

/// What the walk found.
#[derive(Debug, Clone)]
pub struct Walk {
    /// DNS-querying terms across the tree.
    pub lookups: usize,
    /// The sending domain's own querying terms other than include/redirect.
    pub own: Vec<String>,
    /// Every include and redirect, in tree order.
    pub branches: Vec<Branch>,
    /// Terms whose query got NXDOMAIN or an empty answer.
    pub voids: Vec<String>,
    /// Include/redirect targets without one usable SPF record.
    pub broken: Vec<Broken>,
    /// Includes or redirects leading back to a record on their own path.
    pub loops: Vec<String>,
    /// `mx` terms naming more than [`MAX_MX_NAMES`] hosts.
    pub big_mx: Vec<String>,
    /// Queries the server answered with an error (SERVFAIL…): temperrors.
    pub failures: Vec<String>,
    /// The first query nothing answered, after which the walk stops asking.
    pub unanswered: Option<(String, NetError)>,
    /// Terms holding macros that need a sender, counted but not expanded.
    pub unexpanded: Vec<String>,
    /// `ptr` terms, as `domain: term`.
    pub ptr: Vec<String>,
    /// Whether the walk stopped early (depth or query budget).
    pub truncated: bool,
    /// Where the sending domain's evaluation ends.
    pub terminal: Terminal,
}

/// Walks the tree below `record`, published at `domain`.
pub async fn walk(net: &Net, domain: &str, record: Record) -> Walk {
    let mut walker = Walker {
        net,
        queries: 1,
        cache: HashMap::new(),
        path: Vec::new(),
        walk: Walk {
            lookups: 0,
            own: Vec::new(),
            branches: Vec::new(),
            voids: Vec::new(),
            broken: Vec::new(),
            loops: Vec::new(),
            big_mx: Vec::new(),
            failures: Vec::new(),
            unanswered: None,
            unexpanded: Vec::new(),
            ptr: Vec::new(),
            truncated: false,
            terminal: Terminal::Unknown,
        },
    };
    let (lookups, terminal) = walker.record(domain.to_string(), record, 0).await;
    walker.walk.lookups = lookups;
    walker.walk.terminal = terminal;
    walker.walk
}

/// An include or redirect target, as fetched.
#[derive(Debug, Clone)]
enum Fetched {
    Record(Record),
    /// No SPF record; `void` when the query got NXDOMAIN or nothing.
    Missing {
        void: bool,
        why: String,
    },
    Broken(String),
    Failed(String),
    NotAsked,
}

struct Walker<'a> {
    net: &'a Net,
    queries: usize,
    cache: HashMap<String, Fetched>,
    path: Vec<String>,
    walk: Walk,
}

type Step<'b> = Pin<Box<dyn Future<Output = (usize, Terminal)> + Send + 'b>>;

impl Walker<'_> {
    /// Whether another query may be made (budget left, nothing silent yet).
    fn spend(&mut self) -> bool {
        if self.walk.unanswered.is_some() {
            return false;
        }
        if self.queries >= MAX_QUERIES {
            self.walk.truncated = true;
            return false;
        }
        self.queries += 1;
        true
    }

    /// Notes a failed query: a void lookup, a temperror or silence.
    fn failed(&mut self, term: &Term, name: &str, err: NetError) {
        match err {
            NetError::NoSuchHost { .. } => {
                self.walk
                    .voids
                    .push(format!("{}: {name} does not exist", term.text));
            }
            NetError::NoAddress { .. } => {
                self.walk
                    .voids
                    .push(format!("{}: {name} has no address", term.text));
            }
            err if answered(&err) => {
                self.walk.failures.push(format!("{}: {err}", term.text));
            }
            err => {
                self.walk.unanswered.get_or_insert((name.to_string(), err));
            }
        }
    }

    /// The lookups of `record` and its sub-tree, and where it ends.
    fn record(&mut self, domain: String, record: Record, depth: usize) -> Step<'_> {
        Box::pin(async move {
            self.path.push(domain.clone());
            let mut lookups = 0;
            for term in &record.terms {
                if !term.kind.queries_dns() {
                    continue;
                }
                if term.kind == Kind::Include {
                    lookups += self.branch(term, depth).await.0;
                    continue;
                }
                lookups += 1;
                if depth == 0 {
                    self.walk.own.push(term.text.clone());
                }
                self.probe(&domain, term).await;
            }
            let terminal = match (record.all(), record.effective_redirect()) {
                (Some(q), _) => Terminal::All(q.clone()),
                (None, Some(redirect)) => {
                    let (cost, terminal) = self.branch(redirect, depth).await;
                    lookups += cost;
                    terminal
                }
                (None, None) => Terminal::Missing,
            };
            self.path.pop();
            (lookups, terminal)
        })
    }

    /// An include or redirect: 1 lookup plus its target's sub-tree.
    async fn branch(&mut self, term: &Term, depth: usize) -> (usize, Terminal) {
        let at = self.walk.branches.len();
        self.walk.branches.push(Branch {
            depth,
            term: term.text.clone(),
            lookups: 1,
        });
        let Some(target) = term.domain.clone() else {
            self.walk.unexpanded.push(term.text.clone());
            return (1, Terminal::Unknown);
        };
        if self.path.contains(&target) {
            let from = self.path.last().cloned().unwrap_or_default();
            self.walk
                .loops
                .push(format!("{} at {from} leads back to {target}", term.text));
            return (1, Terminal::Unknown);
        }
        if depth + 1 > MAX_DEPTH {
            self.walk.truncated = true;
            return (1, Terminal::Unknown);
        }
        match self.fetch(&target).await {
            Fetched::Record(record) => {
                let (below, terminal) = self.record(target, record, depth + 1).await;
                self.walk.branches[at].lookups = 1 + below;
                (1 + below, terminal)
            }
            Fetched::Missing { void, why } => {
                if void {
                    self.walk.voids.push(format!("{}: {why}", term.text));
                }
                self.walk.broken.push(Broken {
                    term: term.text.clone(),
                    why,
                    missing: true,
                });
                (1, Terminal::Unknown)
            }
            Fetched::Broken(why) => {
                self.walk.broken.push(Broken {
                    term: term.text.clone(),
                    why,
                    missing: false,
                });
                (1, Terminal::Unknown)
            }
            Fetched::Failed(why) => {
                self.walk.failures.push(format!("{}: {why}", term.text));
                (1, Terminal::Unknown)
            }
            Fetched::NotAsked => (1, Terminal::Unknown),
        }
    }

    /// The SPF record at `name`, fetched once per walk.
    async fn fetch(&mut self, name: &str) -> Fetched {
        if let Some(known) = self.cache.get(name) {
            return known.clone();
        }
        if !self.spend() {
            return Fetched::NotAsked;
        }
        let fetched = match txt(self.net, name).await {
            Ok(found) => match select(&found) {
                Selected::One(text) => match parse(&text, name) {
                    Ok(record) => Fetched::Record(record),
                    Err(err) => Fetched::Broken(format!("its SPF record does not parse: {err}")),
                },
                Selected::Many(all) => {
                    Fetched::Broken(format!("{name} has {} SPF records", all.len()))
                }
                Selected::None => Fetched::Missing {
                    void: found.is_empty(),
                    why: if found.is_empty() {
                        format!("{name} has no TXT record")
                    } else {
                        format!("{name} has no SPF record")
                    },
                },
            },
            Err(NetError::NoSuchHost { .. }) => Fetched::Missing {
                void: true,
                why: format!("{name} does not exist"),
            },
            Err(err) if answered(&err) => Fetched::Failed(err.to_string()),
            Err(err) => {
                self.walk.unanswered.get_or_insert((name.to_string(), err));
                return Fetched::NotAsked;
            }
        };
        self.cache.insert(name.to_string(), fetched.clone());
        fetched
    }

    /// The query an `a`, `mx`, `exists` or `ptr` term makes, for void
    /// lookups and MX host counts (`ptr` needs the sender: not asked).
    async fn probe(&mut self, domain: &str, term: &Term) {
        if term.kind == Kind::Ptr {
            self.walk.ptr.push(format!("{domain}: {}", term.text));
            return;
        }
        let Some(name) = term.domain.clone() else {
            self.walk.unexpanded.push(term.text.clone());
            return;
        };
        if !self.spend() {
            return;
        }
        match term.kind {
            Kind::A => {
                if let Err(err) = addresses(self.net, &name).await {
                    self.failed(term, &name, err);
                }
            }
            Kind::Mx => match records(self.net, &name, RecordType::MX).await {
                Ok(hosts) if hosts.is_empty() => {
                    self.walk
                        .voids
                        .push(format!("{}: {name} has no MX record", term.text));
                }
                Ok(hosts) if hosts.len() > MAX_MX_NAMES => {
                    self.walk
                        .big_mx
                        .push(format!("{}: {} MX hosts", term.text, hosts.len()));
                }
                Ok(_) => {}
                Err(err) => {
                    self.failed(term, &name, err);
                }
            },
            _ => match records(self.net, &name, RecordType::A).await {
                Ok(found) if found.is_empty() => {
                    self.walk
                        .voids
                        .push(format!("{}: {name} has no A record", term.text));
                }
                Ok(_) => {}
                Err(err) => {
                    self.failed(term, &name, err);
                }
            },
        }
    }
}
