//! The engine: per-file checks in parallel (read once, classify, provider patterns, kind-aware
//! rules, suppressions), then the repository-wide pass over facts the files emitted, then a sort
//! by (path, line, column, rule id) so output is deterministic.

use crate::config::Settings;
use crate::file_kind::{self, FileKind};
use crate::finding::{FileError, Finding, Outcome, Related};
use crate::kinds;
use crate::patterns::Pattern;
use crate::repo::{self, FileFacts};
use crate::rule::{Rule, RuleKind};
use crate::source::SourceFile;
use crate::suppress;
use rayon::prelude::*;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file to check.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    /// Text given directly (standard input with `--stdin-filename`).
    pub text: Option<String>,
    /// A git-ignored `.env` the walk picked up for the dotenv and environment-name rules
    /// (see `walk::collect`): its keys are where they belong, so no secret is reported in it.
    pub git_ignored: bool,
}

/// What checking one file produced.
#[derive(Debug, Default)]
pub struct FileOutput {
    pub findings: Vec<Finding>,
    pub facts: Option<(Arc<SourceFile>, FileFacts)>,
    pub error: Option<FileError>,
    pub note: Option<String>,
    pub skipped_binary: bool,
    pub skipped_too_large: bool,
    pub scanned: bool,
}

/// The per-file rule context: the file, the settings, and where findings and facts go.
pub struct Cx<'a> {
    pub file: &'a Arc<SourceFile>,
    pub settings: &'a Settings,
    pub findings: Vec<Finding>,
    pub facts: FileFacts,
    /// Notes about this file (malformed YAML fallback …), shown unless `--quiet`.
    pub notes: Vec<String>,
}

impl<'a> Cx<'a> {
    pub fn new(file: &'a Arc<SourceFile>, settings: &'a Settings) -> Self {
        Cx {
            file,
            settings,
            findings: Vec::new(),
            facts: FileFacts::default(),
            notes: Vec::new(),
        }
    }

    pub fn text(&self) -> &'a str {
        &self.file.text
    }

    /// Is the rule switched on (select/ignore)? Rules skip work when it is not.
    pub fn enabled(&self, rule: &Rule) -> bool {
        self.settings.rule_enabled(rule.id, rule.kind)
    }

    /// Reports a finding of a kind-aware rule at `span`; set `secret`, `help`, `label` or
    /// `related` on the returned finding as needed.
    pub fn report(
        &mut self,
        rule: &'static Rule,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.findings.push(Finding {
            rule_id: Arc::from(rule.id),
            rule_name: Arc::from(rule.name),
            kind: rule.kind,
            severity: rule.severity,
            file: Arc::clone(self.file),
            span,
            secret: None,
            label: rule.name.to_string(),
            message: message.into(),
            help: None,
            related: Vec::new(),
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Does the text at `span` hold a provider secret? Returns the pattern and the secret's
    /// absolute range.
    pub fn provider_match(&self, span: Range<usize>) -> Option<(&'a Pattern, Range<usize>)> {
        let bytes = self.file.text.as_bytes().get(span.clone())?;
        let settings: &'a Settings = self.settings;
        settings
            .patterns
            .match_value(bytes)
            .map(|(p, r)| (p, span.start + r.start..span.start + r.end))
    }
}

/// Reads and checks one file.
pub fn check_candidate(c: &Candidate, settings: &Settings) -> FileOutput {
    let mut out = FileOutput::default();
    let text = match &c.text {
        Some(t) => t.clone(),
        None => match read_text(&c.path, settings.max_file_size) {
            Ok(Read::Text(t)) => t,
            Ok(Read::Binary) => {
                out.skipped_binary = true;
                return out;
            }
            Ok(Read::TooLarge(n)) => {
                out.skipped_too_large = true;
                out.note = Some(format!(
                    "{}: skipped, {n} bytes is over --max-file-size {}",
                    c.path.display(),
                    settings.max_file_size
                ));
                return out;
            }
            Err(e) => {
                out.error = Some(FileError {
                    path: c.path.clone(),
                    message: e.to_string(),
                });
                return out;
            }
        },
    };
    let head_end = crate::source::floor_char_boundary(&text, 4096);
    let kind = file_kind::classify(&c.path, &text[..head_end]);
    let file = Arc::new(SourceFile::new(c.path.clone(), kind, text));
    out.scanned = true;
    let (mut findings, facts, notes) = check_file(&file, settings);
    if c.git_ignored {
        // No secret findings in a git-ignored `.env`, but the secrets they found stay
        // masked wherever another finding shows their line.
        let secrets: Vec<Range<usize>> = findings
            .iter()
            .filter(|f| f.kind == RuleKind::Secret)
            .map(|f| f.secret.clone().unwrap_or_else(|| f.span.clone()))
            .collect();
        findings.retain(|f| f.kind != RuleKind::Secret);
        for f in &mut findings {
            if f.secret.is_none() {
                let line = file.line_of(f.span.start);
                f.secret = secrets
                    .iter()
                    .find(|r| file.line_of(r.start) == line)
                    .cloned();
            }
        }
    }
    out.findings = findings;
    if !notes.is_empty() {
        out.note = Some(notes.join("\n"));
    }
    if !facts.is_empty() {
        out.facts = Some((file, facts));
    }
    out
}

enum Read {
    Text(String),
    Binary,
    TooLarge(u64),
}

fn read_text(path: &Path, max: u64) -> std::io::Result<Read> {
    let meta = std::fs::metadata(path)?;
    if meta.len() > max {
        return Ok(Read::TooLarge(meta.len()));
    }
    let bytes = std::fs::read(path)?;
    if bytes.len() as u64 > max {
        return Ok(Read::TooLarge(bytes.len() as u64));
    }
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Ok(Read::Binary);
    }
    Ok(Read::Text(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }))
}

/// Runs every per-file check on a file already read and classified.
pub fn check_file(
    file: &Arc<SourceFile>,
    settings: &Settings,
) -> (Vec<Finding>, FileFacts, Vec<String>) {
    let mut cx = Cx::new(file, settings);
    let skip_generic = matches!(file.kind, FileKind::Lockfile) || is_minified(&file.text);
    let secret_findings = provider_findings(file, settings, skip_generic);
    kinds::check(&mut cx, skip_generic);
    let Cx {
        mut findings,
        facts,
        notes,
        ..
    } = cx;
    findings = merge(findings, secret_findings);
    let rel = settings.rel(&file.path);
    findings.retain(|f| {
        settings.rule_enabled(&f.rule_id, f.kind)
            && !settings.ignored_for_path(&f.rule_id, f.kind, &rel)
            && !settings.allowlisted(f)
    });
    suppress::apply(file, &mut findings);
    (findings, facts, notes)
}

/// Minified bundles and source maps: very long lines. Provider patterns still apply there,
/// name-based generic ones do not.
fn is_minified(text: &str) -> bool {
    if text.len() < 2000 {
        return false;
    }
    let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    text.len() / lines > 500
}

fn provider_findings(
    file: &Arc<SourceFile>,
    settings: &Settings,
    skip_generic: bool,
) -> Vec<Finding> {
    let mut matches = Vec::new();
    settings
        .patterns
        .scan(file.text.as_bytes(), skip_generic, &mut matches);
    let mut out: Vec<Finding> = Vec::with_capacity(matches.len());
    for m in matches {
        let p = &settings.patterns.rules[m.rule];
        out.push(Finding {
            rule_id: Arc::from(p.id.as_str()),
            rule_name: Arc::from(p.name.as_str()),
            kind: RuleKind::Secret,
            severity: p.severity,
            file: Arc::clone(file),
            span: m.secret.clone(),
            secret: Some(m.secret),
            label: format!("{} here", p.name),
            message: format!("{} found", p.name),
            help: Some(p.help.clone()),
            related: Vec::new(),
        });
    }
    link_groups(&mut out, settings);
    out
}

/// Multi-part credentials (AWS key id + secret): each part points at the others.
fn link_groups(findings: &mut [Finding], settings: &Settings) {
    let groups: Vec<Option<&str>> = findings
        .iter()
        .map(|f| {
            settings
                .patterns
                .get(&f.rule_id)
                .and_then(|p| p.group.as_deref())
        })
        .collect();
    // Each part points at the nearest finding of every other rule in its group, so a file
    // with two key pairs links each id to its own secret rather than to all of them.
    for i in 0..findings.len() {
        let Some(g) = groups[i] else { continue };
        let mut nearest: Vec<usize> = Vec::new();
        for j in 0..findings.len() {
            if i == j || groups[j] != Some(g) || findings[j].rule_id == findings[i].rule_id {
                continue;
            }
            let dist = |k: usize| findings[k].span.start.abs_diff(findings[i].span.start);
            match nearest
                .iter_mut()
                .find(|k| findings[**k].rule_id == findings[j].rule_id)
            {
                Some(k) if dist(j) < dist(*k) => *k = j,
                Some(_) => {}
                None => nearest.push(j),
            }
        }
        nearest.sort_by_key(|&k| findings[k].span.start);
        findings[i].related = nearest
            .into_iter()
            .map(|j| Related {
                file: Arc::clone(&findings[j].file),
                span: findings[j].span.clone(),
                message: format!(
                    "the other part of this credential: {}",
                    findings[j].rule_name
                ),
            })
            .collect();
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// One finding per secret span: a kind-aware finding wins over a provider pattern on the same
/// value (and names the provider in its message); a specific provider wins over a generic rule;
/// among overlapping provider hits the longest secret wins.
fn merge(mut kind_aware: Vec<Finding>, mut secrets: Vec<Finding>) -> Vec<Finding> {
    let generic = |f: &Finding| f.rule_id.starts_with("generic");
    // Kind-aware rules of the secret kind (the generic detector) lose to provider patterns,
    // and to a kind-aware rule of another kind that flagged the same value (a Dockerfile `ENV`,
    // a compose `environment:` entry), which says more about where the secret is.
    let specific: Vec<Range<usize>> = kind_aware
        .iter()
        .filter(|k| k.kind != RuleKind::Secret)
        .filter_map(|k| k.secret.clone())
        .collect();
    kind_aware.retain(|k| {
        let span = k.secret.as_ref().unwrap_or(&k.span);
        !(k.kind == RuleKind::Secret
            && generic(k)
            && (secrets.iter().any(|s| overlaps(&s.span, span))
                || specific.iter().any(|s| overlaps(s, span))))
    });
    secrets.retain(|s| {
        !kind_aware.iter().any(|k| {
            k.kind != RuleKind::Secret && k.secret.as_ref().is_some_and(|ks| overlaps(ks, &s.span))
        })
    });
    // Among overlapping provider hits keep the longest (then non-generic, then first id).
    secrets.sort_by(|a, b| {
        (
            generic(a),
            std::cmp::Reverse(a.span.len()),
            a.span.start,
            &a.rule_id,
        )
            .cmp(&(
                generic(b),
                std::cmp::Reverse(b.span.len()),
                b.span.start,
                &b.rule_id,
            ))
    });
    let mut kept: Vec<Finding> = Vec::with_capacity(secrets.len());
    for s in secrets {
        if !kept.iter().any(|k| overlaps(&k.span, &s.span)) {
            kept.push(s);
        }
    }
    kind_aware.extend(kept);
    kind_aware
}

/// Checks candidates in parallel, runs the repository-wide pass and sorts.
pub fn run(
    candidates: Vec<Candidate>,
    settings: &Settings,
    repo_ctx: &repo::RepoContext,
) -> Outcome {
    let outputs: Vec<FileOutput> = candidates
        .par_iter()
        .map(|c| check_candidate(c, settings))
        .collect();
    let mut outcome = Outcome::default();
    let mut facts = Vec::new();
    for o in outputs {
        if o.scanned {
            outcome.summary.files_scanned += 1;
        }
        outcome.summary.skipped_binary += o.skipped_binary as usize;
        outcome.summary.skipped_too_large += o.skipped_too_large as usize;
        if let Some(e) = o.error {
            outcome.errors.push(e);
        }
        if let Some(n) = o.note {
            outcome.notes.push(n);
        }
        if let Some(f) = o.facts {
            facts.push(f);
        }
        outcome.findings.extend(o.findings);
    }
    let repo_findings = repo::check(&facts, settings, repo_ctx);
    outcome
        .findings
        .extend(repo_findings.into_iter().filter(|f| {
            let rel = settings.rel(&f.file.path);
            settings.rule_enabled(&f.rule_id, f.kind)
                && !settings.ignored_for_path(&f.rule_id, f.kind, &rel)
        }));
    finish(&mut outcome);
    outcome
}

/// Sorts findings and fills the summary counts.
pub fn finish(outcome: &mut Outcome) {
    outcome
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    outcome
        .findings
        .dedup_by(|a, b| a.rule_id == b.rule_id && a.file.path == b.file.path && a.span == b.span);
    outcome.errors.sort_by(|a, b| a.path.cmp(&b.path));
    outcome.notes.sort();
    outcome.summary.findings = outcome.findings.len();
    let mut files: Vec<&Path> = outcome
        .findings
        .iter()
        .map(|f| f.file.path.as_path())
        .collect();
    files.dedup();
    outcome.summary.files_with_findings = files.len();
    outcome.summary.errors = outcome.errors.len();
}
