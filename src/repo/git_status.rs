//! Is a `.env` file kept out of git? Reads the repository's own ignore files (every
//! `.gitignore` from the root down to the file, and `.git/info/exclude`) and, when the
//! `git` binary is installed, asks it which of those files are already tracked.
//!
//! A user's global excludes file is deliberately not consulted: it protects one machine,
//! not the next person who clones the repository.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

/// The git work tree that contains `path` (a directory holding `.git`), if any.
pub fn repo_root(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() { path } else { path.parent()? };
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The ignore rules of one repository, built once and asked about many files.
pub struct RepoIgnores {
    root: PathBuf,
    /// One matcher per directory that has a `.gitignore`, deepest first when asked.
    by_dir: Vec<(PathBuf, Gitignore)>,
    exclude: Option<Gitignore>,
}

impl RepoIgnores {
    /// Read the ignore files of the repository at `root` (only those on the way to the
    /// files that will be asked about are needed; `dirs` lists those directories).
    pub fn new(root: &Path, dirs: impl IntoIterator<Item = PathBuf>) -> RepoIgnores {
        let mut wanted: HashSet<PathBuf> = HashSet::new();
        for d in dirs {
            for a in d.ancestors() {
                if !a.starts_with(root) || !wanted.insert(a.to_path_buf()) {
                    break;
                }
            }
        }
        let mut by_dir = Vec::new();
        for d in wanted {
            let gi = d.join(".gitignore");
            if gi.is_file() {
                let mut b = GitignoreBuilder::new(&d);
                // a malformed line is skipped by git too; keep the rest
                let _ = b.add(&gi);
                if let Ok(m) = b.build() {
                    by_dir.push((d, m));
                }
            }
        }
        // deepest directories first: their rules win
        by_dir.sort_by_key(|(d, _)| std::cmp::Reverse(d.components().count()));
        let exclude = {
            let p = root.join(".git").join("info").join("exclude");
            let mut b = GitignoreBuilder::new(root);
            let _ = b.add(&p);
            b.build().ok().filter(|_| p.is_file())
        };
        RepoIgnores {
            root: root.to_path_buf(),
            by_dir,
            exclude,
        }
    }

    /// Does the repository ignore `path` (absolute, inside the root)?
    pub fn is_ignored(&self, path: &Path) -> bool {
        for (dir, gi) in &self.by_dir {
            if !path.starts_with(dir) {
                continue;
            }
            match gi.matched_path_or_any_parents(path, false) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        if let Some(ex) = &self.exclude {
            if ex.matched_path_or_any_parents(path, false).is_ignore() {
                return true;
            }
        }
        let _ = &self.root;
        false
    }
}

/// The files under `root` that git tracks among the dotenv-like names, relative to
/// `root`; `None` when git is not installed or the command fails (then nothing is said
/// about tracking).
pub fn tracked_env_files(root: &Path) -> Option<HashSet<PathBuf>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "ls-files",
            "-z",
            "--",
            ":(glob)**/.env",
            ":(glob)**/.env.*",
            ":(glob)**/*.env",
        ])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(
        out.stdout
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("keylint-git-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(d.join(".git/info")).expect("tmp");
        d
    }

    #[test]
    fn ignore_rules() {
        let root = tmp("rules");
        fs::create_dir_all(root.join("svc/api")).expect("dirs");
        fs::write(
            root.join(".gitignore"),
            "node_modules/\n.env.local\n.env.*.local\n",
        )
        .expect("w");
        fs::write(root.join("svc/.gitignore"), ".env\n!api/.env\n").expect("w");
        fs::write(root.join(".git/info/exclude"), "secret.env\n").expect("w");
        let ig = RepoIgnores::new(&root, [root.join("svc/api"), root.clone()]);
        assert!(!ig.is_ignored(&root.join(".env")));
        assert!(ig.is_ignored(&root.join(".env.local")));
        assert!(ig.is_ignored(&root.join("svc/.env")));
        assert!(!ig.is_ignored(&root.join("svc/api/.env")));
        assert!(ig.is_ignored(&root.join("secret.env")));
        assert_eq!(
            repo_root(&root.join("svc/api")).as_deref(),
            root.canonicalize().ok().as_deref()
        );
        let _ = fs::remove_dir_all(&root);
    }
}
