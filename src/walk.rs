//! Turns the paths on the command line into the files to check: directories are walked in
//! parallel with `ignore` (honouring `.gitignore`, `.ignore` and `.keylintignore`, including
//! dotfiles, never descending into `.git/`, never following symlinks so loops are impossible);
//! files named explicitly are checked even if ignored, unless `--force-exclude`.

use crate::config::Settings;
use crate::engine::Candidate;
use crate::finding::FileError;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};
use std::collections::{BTreeSet, HashSet};
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

/// The path as shown (and fingerprinted): `./a/b` as `a/b`, and an absolute path under the
/// current directory relative to it, so `keylint check $PWD/a/b` reports (and fingerprints) the
/// same `a/b` as `keylint check a/b`.
pub fn display_path(p: &Path) -> PathBuf {
    if p.is_absolute() {
        if let Ok(cwd) = std::env::current_dir() {
            if let Ok(rel) = p.strip_prefix(&cwd) {
                if !rel.as_os_str().is_empty() {
                    return rel.to_path_buf();
                }
            }
        }
        return p.to_path_buf();
    }
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
                git_ignored: false,
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
    let ignored_dotenv = if opts.no_ignore {
        Vec::new()
    } else {
        ignored_dotenv_files(paths, &found, settings)
    };
    out.candidates.extend(found.into_iter().map(|p| Candidate {
        path: display_path(&p),
        text: None,
        git_ignored: false,
    }));
    out.candidates
        .extend(ignored_dotenv.into_iter().map(|p| Candidate {
            path: display_path(&p),
            text: None,
            git_ignored: true,
        }));
    out.errors.extend(errors.into_inner().unwrap_or_default());
    out
}

/// The `.env` files that the ignore rules hid from the walk, in the walked directories.
///
/// A runtime `.env` is git-ignored by design: it is where the keys live on a developer's
/// machine, and where a trailing space, a stray quote or a misspelled name breaks them.
/// The dotenv rules and the repository-wide comparison of names need it, so it is
/// checked anyway (without secret findings: the key is where it belongs). Only
/// directories the walk entered are looked at, and `.keylintignore` and `exclude` still
/// apply.
fn ignored_dotenv_files(roots: &[PathBuf], found: &[PathBuf], settings: &Settings) -> Vec<PathBuf> {
    let found_set: HashSet<&Path> = found.iter().map(PathBuf::as_path).collect();
    let mut dirs: BTreeSet<&Path> = found.iter().filter_map(|p| p.parent()).collect();
    dirs.extend(roots.iter().filter(|p| p.is_dir()).map(PathBuf::as_path));
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let is_file = e.file_type().is_ok_and(|t| t.is_file());
            if !is_file
                || found_set.contains(p.as_path())
                || !matches!(
                    crate::file_kind::classify(&p, ""),
                    crate::file_kind::FileKind::Dotenv { .. }
                )
                || settings.exclude.is_match(&settings.rel(&p))
                || keylint_ignored(&p)
            {
                continue;
            }
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Is the file excluded by a `.keylintignore` in its directory or above (up to the
/// repository root)?
fn keylint_ignored(path: &Path) -> bool {
    let Ok(abs) = std::path::absolute(path) else {
        return false;
    };
    let mut dir = abs.parent();
    while let Some(d) = dir {
        let f = d.join(IGNORE_FILE);
        if f.is_file() {
            let mut b = GitignoreBuilder::new(d);
            b.add(f);
            if let Ok(g) = b.build() {
                let m = g.matched_path_or_any_parents(&abs, false);
                if m.is_ignore() {
                    return true;
                }
                if m.is_whitelist() {
                    return false;
                }
            }
        }
        if d.join(".git").exists() {
            break;
        }
        dir = d.parent();
    }
    false
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
