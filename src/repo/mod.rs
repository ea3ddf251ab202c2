//! The repository-wide pass: runs after every file was checked, over facts the files emitted
//! (environment variable names read in code and defined in config), so that a rule can judge a
//! read in one file against the definitions in all the others.

use crate::config::Settings;
use crate::finding::Finding;
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
}

impl FileFacts {
    pub fn is_empty(&self) -> bool {
        self.env_reads.is_empty() && self.env_defs.is_empty()
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
    let _ = (facts, settings, ctx);
    Vec::new()
}
