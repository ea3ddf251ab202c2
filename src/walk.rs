//! Turns the paths on the command line into the files to check: directories are walked in
//! parallel with `ignore` (honouring `.gitignore`, `.ignore` and `.keylintignore`, including
//! dotfiles, never descending into `.git/`, never following symlinks so loops are impossible);
//! files named explicitly are checked even if ignored, unless `--force-exclude`.

use crate::config::Settings;
use crate::engine::Candidate;
use crate::finding::FileError;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub const IGNORE_FILE: &str = ".keylintignore";

#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    pub no_ignore: bool,
    pub force_exclude: bool,
    pub threads: usize,
}

/// The result of a walk.
#[derive(Debug, Default)]
pub struct Walked {
    pub candidates: Vec<Candidate>,
    pub errors: Vec<FileError>,
}

/// Shows `./a/b` as `a/b`.
pub fn display_path(p: &Path) -> PathBuf {
    p.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

pub fn collect(paths: &[PathBuf], settings: &Settings, opts: WalkOptions) -> Walked {
    let mut out = Walked::default();
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(FileError {
                    path: path.clone(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        if !meta.is_dir() {
            if opts.force_exclude
                && (settings.exclude.is_match(&settings.rel(path))
                    || (!opts.no_ignore && is_ignored(path)))
            {
                continue;
            }
            out.candidates.push(Candidate {
                path: display_path(path),
                text: None,
            });
            continue;
        }
        let mut b = WalkBuilder::new(path);
        b.hidden(false)
            .follow_links(false)
            .require_git(false)
            .threads(opts.threads)
            .git_ignore(!opts.no_ignore)
            .git_global(!opts.no_ignore)
            .git_exclude(!opts.no_ignore)
            .ignore(!opts.no_ignore)
            .parents(!opts.no_ignore)
            .filter_entry(|e| e.file_name() != ".git");
        if !opts.no_ignore {
            b.add_custom_ignore_filename(IGNORE_FILE);
        }
        b.build_parallel().run(|| {
            let found = &found;
            let errors = &errors;
            Box::new(move |entry| {
                match entry {
                    Ok(e) => {
                        if e.file_type().is_some_and(|t| t.is_file()) {
                            let p = e.into_path();
                            if !settings.exclude.is_match(&settings.rel(&p)) {
                                if let Ok(mut f) = found.lock() {
                                    f.push(p);
                                }
                            }
                        }
                    }
                    Err(err) => {
                        let path = err_path(&err).unwrap_or_default();
                        if let Ok(mut es) = errors.lock() {
                            es.push(FileError {
                                path,
                                message: err.to_string(),
                            });
                        }
                    }
                }
                WalkState::Continue
            })
        });
    }
    let mut found = found.into_inner().unwrap_or_default();
    found.sort();
    found.dedup();
    out.candidates.extend(found.into_iter().map(|p| Candidate {
        path: display_path(&p),
        text: None,
    }));
    out.errors.extend(errors.into_inner().unwrap_or_default());
    out
}

fn err_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            err_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// Is an explicitly named file ignored by the ignore files of its directory and its parents?
pub fn is_ignored(path: &Path) -> bool {
    let Ok(abs) = std::path::absolute(path) else {
        return false;
    };
    let mut dir = abs.parent();
    let mut matchers: Vec<Gitignore> = Vec::new();
    while let Some(d) = dir {
        let mut b = GitignoreBuilder::new(d);
        let mut any = false;
        for name in [".gitignore", ".ignore", IGNORE_FILE] {
            let f = d.join(name);
            if f.is_file() {
                any = true;
                b.add(f);
            }
        }
        if any {
            if let Ok(g) = b.build() {
                matchers.push(g);
            }
        }
        if d.join(".git").exists() {
            break;
        }
        dir = d.parent();
    }
    // Nearer files take precedence: the first decisive answer wins.
    for g in &matchers {
        let m = g.matched_path_or_any_parents(&abs, false);
        if m.is_ignore() {
            return true;
        }
        if m.is_whitelist() {
            return false;
        }
    }
    false
}
