//! The repository-wide comparison of environment variable names read by code with the
//! names that env files and manifests define, and with the names SDKs read.
//!
//! Scope: a definition applies to reads in files under the directory of the file that
//! defines it (a root `.env` everywhere, `services/api/.env` only in `services/api/**`), so
//! a monorepo is judged service by service.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::misspelled_sdk_name::MISSPELLED_SDK_NAME;
use super::near_miss::near_miss;
use super::sdk_names::SdkNames;
use super::undefined_read::UNDEFINED_READ;
use super::{finding, FileFacts};
use crate::finding::{Finding, Related};
use crate::source::SourceFile;
use std::sync::Arc;

/// A name read at a span of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAt {
    pub name: String,
    pub span: Range<usize>,
}

/// What one file contributes.
#[derive(Debug, Clone, Default)]
pub struct FileNames {
    /// Relative to the repository root.
    pub path: PathBuf,
    pub reads: Vec<NameAt>,
    pub defs: Vec<NameAt>,
}

/// A name finding, by index into the files given to [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameFinding {
    /// `name` (read or defined at `file`/`span`) is a near miss of the SDK name `canonical`.
    Misspelled {
        file: usize,
        span: Range<usize>,
        name: String,
        sdk: String,
        canonical: String,
        defined: bool,
    },
    /// Code reads `name`, never defined in scope, while `def_name` is defined there.
    UndefinedRead {
        file: usize,
        span: Range<usize>,
        name: String,
        def_file: usize,
        def_span: Range<usize>,
        def_name: String,
    },
}

fn dir_of(p: &Path) -> &Path {
    p.parent().unwrap_or(Path::new(""))
}

/// Compare the names across the repository.
pub fn check(files: &[FileNames], sdk: &SdkNames) -> Vec<NameFinding> {
    let mut out = Vec::new();
    // definitions by directory: name -> first (file, span)
    let mut defs_by_dir: HashMap<&Path, Vec<(usize, &NameAt)>> = HashMap::new();
    for (f, file) in files.iter().enumerate() {
        for d in &file.defs {
            defs_by_dir
                .entry(dir_of(&file.path))
                .or_default()
                .push((f, d));
        }
    }
    if defs_by_dir.is_empty() && files.iter().all(|f| f.reads.is_empty()) {
        return out;
    }
    // the definitions in scope of a file: those of its directory and every ancestor
    let in_scope = |path: &Path| -> Vec<(usize, &NameAt)> {
        let mut v = Vec::new();
        for dir in dir_of(path).ancestors() {
            if let Some(ds) = defs_by_dir.get(dir) {
                v.extend(ds.iter().copied());
            }
        }
        v
    };
    // names read under each directory (for "does anyone read this definition?")
    let mut readers: HashMap<&str, Vec<&Path>> = HashMap::new();
    for file in files {
        for r in &file.reads {
            readers.entry(r.name.as_str()).or_default().push(&file.path);
        }
    }
    let reads_under = |dir: &Path, name: &str| -> bool {
        readers
            .get(name)
            .is_some_and(|ps| ps.iter().any(|p| p.starts_with(dir)))
    };
    for (f, file) in files.iter().enumerate() {
        if file.reads.is_empty() {
            continue;
        }
        let scope = in_scope(&file.path);
        let defined: HashSet<&str> = scope.iter().map(|(_, d)| d.name.as_str()).collect();
        for r in &file.reads {
            if defined.contains(r.name.as_str()) {
                // the project chose this spelling and uses it consistently
                continue;
            }
            if let Some(&(df, d)) = scope.iter().find(|(_, d)| near_miss(&r.name, &d.name)) {
                out.push(NameFinding::UndefinedRead {
                    file: f,
                    span: r.span.clone(),
                    name: r.name.clone(),
                    def_file: df,
                    def_span: d.span.clone(),
                    def_name: d.name.clone(),
                });
                continue;
            }
            if let Some((s, v)) = sdk.near_miss(&r.name) {
                out.push(NameFinding::Misspelled {
                    file: f,
                    span: r.span.clone(),
                    name: r.name.clone(),
                    sdk: s.name.clone(),
                    canonical: v.name.clone(),
                    defined: false,
                });
            }
        }
    }
    // definitions that nothing under their directory reads
    for (f, file) in files.iter().enumerate() {
        let dir = dir_of(&file.path);
        let mut seen = HashSet::new();
        for d in &file.defs {
            if !seen.insert(d.name.as_str()) || reads_under(dir, &d.name) {
                continue;
            }
            if let Some((s, v)) = sdk.near_miss(&d.name) {
                out.push(NameFinding::Misspelled {
                    file: f,
                    span: d.span.clone(),
                    name: d.name.clone(),
                    sdk: s.name.clone(),
                    canonical: v.name.clone(),
                    defined: true,
                });
            }
        }
    }
    out
}

/// Runs the comparison over the facts of a run and reports its findings.
pub fn report(facts: &[(Arc<SourceFile>, FileFacts)], out: &mut Vec<Finding>) {
    let files: Vec<FileNames> = facts
        .iter()
        .map(|(file, f)| FileNames {
            path: file.path.clone(),
            reads: f
                .env_reads
                .iter()
                .map(|n| NameAt {
                    name: n.name.clone(),
                    span: n.span.clone(),
                })
                .collect(),
            defs: f
                .env_defs
                .iter()
                .map(|n| NameAt {
                    name: n.name.clone(),
                    span: n.span.clone(),
                })
                .collect(),
        })
        .collect();
    for nf in check(&files, SdkNames::embedded()) {
        match nf {
            NameFinding::Misspelled {
                file,
                span,
                name,
                sdk,
                canonical,
                defined,
            } => {
                let what = if defined { "set" } else { "read" };
                let mut f = finding(
                    &MISSPELLED_SDK_NAME,
                    &facts[file].0,
                    span,
                    format!("`{name}` is not read by the {sdk} SDK; did you mean `{canonical}`?"),
                );
                f.label = format!("{what} here");
                f.help = Some(format!(
                    "Rename it to `{canonical}`, or, if the name is deliberate, define it in the project's env                      files and pass it to the client explicitly."
                ));
                out.push(f);
            }
            NameFinding::UndefinedRead {
                file,
                span,
                name,
                def_file,
                def_span,
                def_name,
            } => {
                let mut f = finding(
                    &UNDEFINED_READ,
                    &facts[file].0,
                    span,
                    format!("`{name}` is never defined; the environment defines `{def_name}`"),
                );
                f.label = "read here".into();
                f.help = Some(format!("Did you mean `{def_name}`?"));
                f.related.push(Related {
                    file: Arc::clone(&facts[def_file].0),
                    span: def_span,
                    message: format!("`{def_name}` is defined here"),
                });
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, reads: &[&str], defs: &[&str]) -> FileNames {
        let at = |names: &[&str]| {
            names
                .iter()
                .enumerate()
                .map(|(i, n)| NameAt {
                    name: n.to_string(),
                    span: i..i + 1,
                })
                .collect()
        };
        FileNames {
            path: PathBuf::from(path),
            reads: at(reads),
            defs: at(defs),
        }
    }

    fn summary(files: &[FileNames]) -> Vec<String> {
        check(files, SdkNames::embedded())
            .into_iter()
            .map(|f| match f {
                NameFinding::Misspelled {
                    file,
                    name,
                    canonical,
                    defined,
                    ..
                } => {
                    format!(
                        "{}: {name} -> {canonical}{}",
                        files[file].path.display(),
                        if defined { " (def)" } else { "" }
                    )
                }
                NameFinding::UndefinedRead {
                    file,
                    name,
                    def_name,
                    def_file,
                    ..
                } => {
                    format!(
                        "{}: {name} undefined, {}: {def_name}",
                        files[file].path.display(),
                        files[def_file].path.display()
                    )
                }
            })
            .collect()
    }

    #[test]
    fn misspelled_read_without_definition() {
        assert_eq!(
            summary(&[file("bot.py", &["OPENAI_APIKEY", "OPENAI_MODEL"], &[])]),
            ["bot.py: OPENAI_APIKEY -> OPENAI_API_KEY"]
        );
    }

    #[test]
    fn consistent_custom_name_is_silent() {
        let files = [
            file(".env.example", &[], &["OPENAI_KEY"]),
            file("app.py", &["OPENAI_KEY"], &[]),
        ];
        assert!(summary(&files).is_empty());
        let files = [
            file(".env.example", &[], &["OPENAI_API_KEY"]),
            file("app.py", &["OPENAI_API_KEY"], &[]),
        ];
        assert!(summary(&files).is_empty());
    }

    #[test]
    fn near_miss_of_a_definition() {
        let files = [
            file("settings.py", &["POSTGRES_DB", "POSTGRES_PASSWOD"], &[]),
            file(
                "docker-compose.yml",
                &["POSTGRES_PASSWORD"],
                &["POSTGRES_DB", "POSTGRES_PASSWORD"],
            ),
        ];
        assert_eq!(
            summary(&files),
            ["settings.py: POSTGRES_PASSWOD undefined, docker-compose.yml: POSTGRES_PASSWORD"]
        );
    }

    #[test]
    fn definitions_are_scoped_by_directory() {
        let files = [
            file("services/api/.env", &[], &["DATABASE_URL"]),
            file("services/web/app.py", &["DATABSE_URL"], &[]),
            file("services/api/app.py", &["DATABSE_URL"], &[]),
        ];
        assert_eq!(
            summary(&files),
            ["services/api/app.py: DATABSE_URL undefined, services/api/.env: DATABASE_URL"]
        );
    }

    #[test]
    fn silent_without_definitions() {
        assert!(summary(&[file("a.py", &["POSTGRES_PASSWOD", "DATABASE_URL"], &[])]).is_empty());
    }

    #[test]
    fn misspelled_definition_nobody_reads() {
        let files = [
            file(".env", &[], &["OPENAI_KEY", "PORT"]),
            file("app.py", &["PORT"], &[]),
        ];
        assert_eq!(
            summary(&files),
            [".env: OPENAI_KEY -> OPENAI_API_KEY (def)"]
        );
        // read elsewhere in scope: consistent
        let files = [
            file(".env", &[], &["OPENAI_KEY"]),
            file("src/app.py", &["OPENAI_KEY"], &[]),
        ];
        assert!(summary(&files).is_empty());
    }
}
