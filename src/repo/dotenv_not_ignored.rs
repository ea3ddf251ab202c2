//! `dotenv/not-ignored`

use super::git_status::{repo_root, tracked_env_files, RepoIgnores};
use super::{finding, FileFacts};
use crate::declare_rule;
use crate::finding::Finding;
use crate::source::SourceFile;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

declare_rule! {
    /// ## What it does
    /// Flags a runtime `.env` file (not a template such as `.env.example`, nor a file in a
    /// test suite's directory) inside a git repository when the
    /// repository's `.gitignore` files do not exclude it. Reported at line 1, with the line
    /// to add to `.gitignore`; when the `git` binary is installed and the file is already
    /// tracked, with the `git rm --cached` command as well.
    ///
    /// ## Why is this bad?
    /// The next `git add .` commits every key in it, and once pushed it is in every clone
    /// and in the history for good: rotating the keys is the only fix. A user's global
    /// git excludes protect one machine, not the next person who clones the repository,
    /// so only the repository's own ignore files count.
    ///
    /// ## Example
    /// A repository with `.env` next to a `.gitignore` that lists only `node_modules/`.
    ///
    /// Use instead: add `.env` to `.gitignore` (keep `.env.example` tracked as the
    /// template), and `git rm --cached .env` if it was committed.
    pub static DOTENV_NOT_IGNORED = ("dotenv/not-ignored", "Runtime .env not ignored by git", Dotenv, Error, ["dotenv"]);
}

/// Directories of test suites, where a committed `.env` with test values is deliberate.
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "spec",
    "specs",
    "testdata",
    "test_data",
    "e2e",
];

fn in_test_suite(rel: &std::path::Path) -> bool {
    rel.parent().is_some_and(|p| {
        p.components().any(|c| {
            TEST_DIRS.contains(
                &c.as_os_str()
                    .to_string_lossy()
                    .to_ascii_lowercase()
                    .as_str(),
            )
        })
    })
}

pub fn check(facts: &[(Arc<SourceFile>, FileFacts)], out: &mut Vec<Finding>) {
    // runtime dotenv files by repository root
    let mut by_root: BTreeMap<PathBuf, Vec<(&Arc<SourceFile>, PathBuf)>> = BTreeMap::new();
    for (file, f) in facts {
        if !f.dotenv {
            continue;
        }
        let Ok(abs) = file.path.canonicalize() else {
            continue;
        };
        let Some(root) = repo_root(&abs) else {
            continue;
        };
        by_root.entry(root).or_default().push((file, abs));
    }
    for (root, files) in by_root {
        let ignores = RepoIgnores::new(
            &root,
            files
                .iter()
                .filter_map(|(_, a)| a.parent().map(PathBuf::from)),
        );
        let tracked: Option<HashSet<PathBuf>> = tracked_env_files(&root);
        for (file, abs) in files {
            let rel = abs
                .strip_prefix(&root)
                .map(PathBuf::from)
                .unwrap_or_else(|_| abs.clone());
            if ignores.is_ignored(&abs) || in_test_suite(&rel) {
                continue;
            }
            let is_tracked = tracked.as_ref().is_some_and(|t| t.contains(&rel));
            let name = abs
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| ".env".into());
            let shown = rel.to_string_lossy().replace('\\', "/");
            let first_line = file.text.find('\n').unwrap_or(file.text.len());
            let (message, help) = if is_tracked {
                (
                    format!("`{shown}` is not ignored by git, and git already tracks it"),
                    format!(
                        "Add `{name}` to `.gitignore`, run `git rm --cached {shown}`, and rotate the keys it holds: \
                         they are in the history."
                    ),
                )
            } else {
                (
                    format!("`{shown}` is not ignored by git"),
                    format!("Add `{name}` to `.gitignore` so its keys are never committed."),
                )
            };
            let mut f = finding(&DOTENV_NOT_IGNORED, file, 0..first_line, message);
            f.label = "runtime env file".into();
            f.help = Some(help);
            out.push(f);
        }
    }
}
