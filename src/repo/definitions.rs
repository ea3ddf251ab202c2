//! The repository's definition files, for runs that check only some files.
//!
//! Pre-commit passes the staged files and an editor sends one file on standard input, but
//! a read in a checked file must still be judged against every definition in the
//! repository. So the pass reads the files that define environment variables and are
//! cheap to find by name (`.env*` — git-ignored ones included —, compose files,
//! Dockerfiles, CI workflows) and gathers their facts; findings are reported only in
//! the checked files.

use super::FileFacts;
use crate::config::Settings;
use crate::engine::Cx;
use crate::file_kind::{self, FileKind};
use crate::kinds;
use crate::source::SourceFile;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Definition files larger than this are not read (they are not hand-written config).
const MAX_SIZE: u64 = 1 << 20;

fn is_definition_kind(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::Dotenv { .. } | FileKind::Dockerfile | FileKind::Compose | FileKind::Workflow(_)
    )
}

/// The facts of the definition files under `root` that are not among `checked`.
pub fn gather(
    root: &Path,
    checked: &[(Arc<SourceFile>, FileFacts)],
    settings: &Settings,
) -> Vec<(Arc<SourceFile>, FileFacts)> {
    let seen: HashSet<PathBuf> = checked
        .iter()
        .filter_map(|(f, _)| std::path::absolute(&f.path).ok())
        .collect();
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let walk = ignore::WalkBuilder::new(root)
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for e in walk.flatten() {
        let p = e.path().to_path_buf();
        match e.file_type() {
            Some(t) if t.is_dir() => {
                dirs.insert(p);
            }
            Some(t) if t.is_file() && is_definition_kind(file_kind::classify(&p, "")) => {
                files.insert(p);
            }
            _ => {}
        }
    }
    // git-ignored `.env` files in the directories walked
    for d in &dirs {
        let Ok(rd) = std::fs::read_dir(d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_file())
                && matches!(file_kind::classify(&p, ""), FileKind::Dotenv { .. })
            {
                files.insert(p);
            }
        }
    }
    let mut out = Vec::new();
    for p in files {
        if seen.contains(&p) || std::fs::metadata(&p).map_or(true, |m| m.len() > MAX_SIZE) {
            continue;
        }
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let head = crate::source::floor_char_boundary(&text, 4096);
        let kind = file_kind::classify(&p, &text[..head]);
        let file = Arc::new(SourceFile::new(p, kind, text));
        let mut cx = Cx::new(&file, settings);
        kinds::check(&mut cx, true);
        let facts = cx.facts;
        if !facts.is_empty() {
            out.push((file, facts));
        }
    }
    out
}
