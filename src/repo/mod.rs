//! The repository-wide pass: runs after every file was checked, over facts the files emitted
//! (environment variable names read in code and defined in config), so that a rule can judge a
//! read in one file against the definitions in all the others.

pub mod dotenv_not_ignored;
pub mod env_names;
pub mod git_status;
pub mod misspelled_sdk_name;
pub mod near_miss;
pub mod sdk_names;
pub mod undefined_read;

use crate::config::Settings;
use crate::finding::Finding;
use crate::rule::Rule;
use crate::source::SourceFile;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

/// An environment variable name at a place in a file.
#[derive(Debug, Clone)]
pub struct EnvName {
    pub name: String,
    pub span: Range<usize>,
}

/// Facts one file emitted for the repository-wide pass.
#[derive(Debug, Default)]
pub struct FileFacts {
    /// Names the file's code reads.
    pub env_reads: Vec<EnvName>,
    /// Names the file defines (`.env`, compose `environment`, Kubernetes `env`, `ENV`/`ARG`, workflow `env`).
    pub env_defs: Vec<EnvName>,
    /// The file is a runtime `.env` (not a template), whose git status the pass checks.
    pub dotenv: bool,
}

impl FileFacts {
    pub fn is_empty(&self) -> bool {
        self.env_reads.is_empty() && self.env_defs.is_empty() && !self.dotenv
    }
}

/// What the pass knows about the run as a whole.
#[derive(Debug, Default, Clone)]
pub struct RepoContext {
    /// The repository: the git work tree of the scanned path, or the scanned directory.
    pub root: Option<PathBuf>,
    /// Only some files were named (pre-commit, an editor on stdin): the pass reads the
    /// repository's definition files too, but reports only in the checked files.
    pub partial: bool,
}

/// Runs the repository-wide rules over every file's facts.
pub fn check(
    facts: &[(Arc<SourceFile>, FileFacts)],
    settings: &Settings,
    ctx: &RepoContext,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let on = |r: &Rule| settings.rule_enabled(r.id, r.kind);
    if on(&misspelled_sdk_name::MISSPELLED_SDK_NAME) || on(&undefined_read::UNDEFINED_READ) {
        env_names::report(facts, &mut out);
    }
    if on(&dotenv_not_ignored::DOTENV_NOT_IGNORED) {
        dotenv_not_ignored::check(facts, &mut out);
    }
    let _ = ctx;
    out
}

/// A finding of a repository-wide rule, built like the per-file ones.
pub fn finding(
    rule: &'static Rule,
    file: &Arc<SourceFile>,
    span: Range<usize>,
    message: String,
) -> Finding {
    Finding {
        rule_id: Arc::from(rule.id),
        rule_name: Arc::from(rule.name),
        kind: rule.kind,
        severity: rule.severity,
        file: Arc::clone(file),
        span,
        secret: None,
        label: rule.name.to_string(),
        message,
        help: None,
        related: Vec::new(),
    }
}
