//! `keylint.toml` / `.keylint.toml` (found by walking up from the scanned path, or `--config`),
//! merged with the command line into the [`Settings`] a run uses. Unknown keys are errors that
//! point into the file.

use crate::error::Error;
use crate::patterns::{self, Allowlist, Origin, RuleDef};
use crate::rule::RuleKind;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The config file's schema.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Globs of paths never checked (relative to the config file's directory).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Rule ids or prefixes (`dockerfile/`) or kinds to enable; default all.
    #[serde(default)]
    pub select: Vec<String>,
    /// Rule ids or prefixes or kinds to disable.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Glob → rule ids ignored in matching files.
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub allowlist: AllowlistConfig,
    /// Extra secret rules, in the schema of `rules/secrets/*.toml`.
    #[serde(default)]
    pub rule: Vec<RuleDef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowlistConfig {
    /// Exact secret values that are never reported (test fixtures' fakes).
    #[serde(default)]
    pub values: Vec<String>,
    /// Regexes: a secret matching one is never reported.
    #[serde(default)]
    pub regexes: Vec<String>,
    /// Globs of paths where no secret finding is reported.
    #[serde(default)]
    pub paths: Vec<String>,
}

pub const CONFIG_NAMES: [&str; 2] = ["keylint.toml", ".keylint.toml"];

/// The directory `start` names (or the one holding the file `start` names) and its ancestors,
/// nearest first, as absolute paths.
pub fn dirs_upward(start: &Path) -> Vec<PathBuf> {
    let Ok(abs) = std::path::absolute(start) else {
        return Vec::new();
    };
    let first = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    first
        .map(|d| d.ancestors().map(Path::to_path_buf).collect())
        .unwrap_or_default()
}

/// Finds the config file for `start` (a file or directory) by walking up.
pub fn discover(start: &Path) -> Option<PathBuf> {
    dirs_upward(start)
        .into_iter()
        .flat_map(|d| CONFIG_NAMES.map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// A loaded config with where it came from.
#[derive(Debug)]
pub struct LoadedConfig {
    pub file: ConfigFile,
    /// The directory globs are relative to.
    pub root: PathBuf,
    pub origin: Option<Origin>,
}

pub fn load(path: Option<&Path>) -> Result<LoadedConfig, Error> {
    let Some(path) = path else {
        let root = std::env::current_dir().map_err(|e| Error::io(Path::new("."), e))?;
        return Ok(LoadedConfig {
            file: ConfigFile::default(),
            root,
            origin: None,
        });
    };
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let file: ConfigFile = toml::from_str(&text)
        .map_err(|e| Error::in_file(path, &text, e.span(), e.message().to_string()))?;
    let abs = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    let root = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(LoadedConfig {
        file,
        root,
        origin: Some(Origin {
            builtin: false,
            name: path.to_path_buf(),
            text: Arc::new(text),
        }),
    })
}

/// A set of globs matched gitignore-style: a glob without `/` matches a file name anywhere.
#[derive(Debug, Default)]
pub struct PathGlobs {
    set: GlobSet,
}

impl PathGlobs {
    pub fn new(globs: &[String], origin: Option<&Origin>) -> Result<PathGlobs, Error> {
        let mut b = GlobSetBuilder::new();
        for g in globs {
            let pat = if g.contains('/') {
                g.trim_start_matches('/').to_string()
            } else {
                format!("**/{g}")
            };
            let glob = Glob::new(&pat).map_err(|e| match origin {
                Some(o) => Error::in_file(
                    &o.name,
                    &o.text,
                    find_span(&o.text, g),
                    format!("invalid glob `{g}`: {e}"),
                ),
                None => Error::Usage(format!("invalid glob `{g}`: {e}")),
            })?;
            b.add(glob);
            if !g.ends_with("/**") {
                // `dir` or `dir/` also excludes everything below it.
                if let Ok(below) = Glob::new(&format!("{}/**", pat.trim_end_matches('/'))) {
                    b.add(below);
                }
            }
        }
        let set = b
            .build()
            .map_err(|e| Error::Usage(format!("invalid globs: {e}")))?;
        Ok(PathGlobs { set })
    }

    pub fn is_match(&self, rel: &Path) -> bool {
        !self.set.is_empty() && self.set.is_match(rel)
    }

    pub fn matching(&self, rel: &Path) -> Vec<usize> {
        self.set.matches(rel)
    }
}

/// Where a string value from the file is written, quoted in any TOML style (basic, literal,
/// multi-line), so an error about it can point there.
fn find_span(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    ["\"\"\"", "'\'\'", "\"", "'"]
        .iter()
        .find_map(|q| {
            let quoted = format!("{q}{needle}{q}");
            text.find(&quoted).map(|i| i..i + quoted.len())
        })
        .or_else(|| text.find(needle).map(|i| i..i + needle.len()))
}

/// A list of rule selectors: exact ids, prefixes ending at `/`, kind names, or `ALL`.
#[derive(Debug, Default, Clone)]
pub struct Selectors(pub Vec<String>);

impl Selectors {
    pub fn matches(&self, id: &str, kind: RuleKind) -> bool {
        self.0.iter().any(|s| {
            s == id
                || s == "ALL"
                || s == kind.as_str()
                || (s.ends_with('/') && id.starts_with(s.as_str()))
        })
    }
}

/// Does a selector name something: `ALL`, a kind, a rule id, or a prefix ending at `/` that
/// some rule id starts with or that is a kind's name (`dockerfile/`)?
fn known_selector(s: &str, ids: &[&str]) -> bool {
    let is_kind = |k: &str| RuleKind::ALL.iter().any(|kind| kind.as_str() == k);
    s == "ALL"
        || is_kind(s)
        || ids.contains(&s)
        || s.strip_suffix('/')
            .is_some_and(|stem| is_kind(stem) || ids.iter().any(|id| id.starts_with(s)))
}

/// Everything a run needs to decide what to check and what to report.
#[derive(Debug)]
pub struct Settings {
    pub root: PathBuf,
    pub select: Option<Selectors>,
    pub ignore: Selectors,
    pub exclude: PathGlobs,
    pub allow_paths: PathGlobs,
    /// `[allowlist]` values and regexes, applied to the secret of every finding (kind-aware rules
    /// included); provider patterns also consult their own copy while matching.
    pub allowlist: Allowlist,
    pub per_file_ignores: Vec<(PathGlobs, Selectors)>,
    pub patterns: patterns::Patterns,
    pub max_file_size: u64,
    pub show_secrets: bool,
}

/// Command-line choices that override or add to the config file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub max_file_size: u64,
    pub show_secrets: bool,
}

impl Settings {
    pub fn resolve(cfg: LoadedConfig, ov: Overrides) -> Result<Settings, Error> {
        let origin = cfg.origin.as_ref();
        let f = cfg.file;
        let mut defs = patterns::Patterns::builtin_defs()?;
        if let Some(o) = origin {
            // Secret patterns check their ids against each other when compiled; a user rule may
            // not take a kind-aware rule's id either (reports and SARIF would show two rules).
            if let Some(d) = f
                .rule
                .iter()
                .find(|d| crate::kinds::RULES.iter().any(|r| r.id == d.id.get_ref()))
            {
                return Err(Error::in_file(
                    &o.name,
                    &o.text,
                    Some(d.id.span()),
                    format!("duplicate rule id `{}` (a built-in rule)", d.id.get_ref()),
                ));
            }
            defs.extend(
                f.rule
                    .iter()
                    .cloned()
                    .map(|d| (d, "User".to_string(), o.clone())),
            );
        }
        let mut regexes = Vec::new();
        for r in &f.allowlist.regexes {
            regexes.push(regex::bytes::Regex::new(r).map_err(|e| match origin {
                Some(o) => Error::in_file(
                    &o.name,
                    &o.text,
                    find_span(&o.text, r),
                    format!("invalid allowlist regex: {e}"),
                ),
                None => Error::Usage(format!("invalid allowlist regex: {e}")),
            })?);
        }
        let allowlist = Allowlist {
            values: f.allowlist.values.clone(),
            regexes,
        };
        let allow = Allowlist {
            values: allowlist.values.clone(),
            regexes: allowlist.regexes.clone(),
        };
        // A selector that names nothing (a typo) would select no rule, or ignore none, and the
        // run would look clean: refuse it.
        let ids: Vec<String> = crate::kinds::RULES
            .iter()
            .map(|r| r.id.to_string())
            .chain(defs.iter().map(|(d, _, _)| d.id.get_ref().clone()))
            .collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let from_file = f
            .select
            .iter()
            .chain(&f.ignore)
            .chain(f.per_file_ignores.values().flatten());
        if let Some(bad) = from_file.into_iter().find(|s| !known_selector(s, &ids)) {
            let message =
                format!("unknown rule, prefix or kind `{bad}`; `keylint rules` lists them");
            return Err(match origin {
                Some(o) => Error::in_file(&o.name, &o.text, find_span(&o.text, bad), message),
                None => Error::Usage(message),
            });
        }
        for (flag, list) in [
            ("--select", ov.select.as_deref().unwrap_or_default()),
            ("--ignore", &ov.ignore),
        ] {
            if let Some(bad) = list.iter().find(|s| !known_selector(s, &ids)) {
                return Err(Error::Usage(format!(
                    "{flag}: unknown rule, prefix or kind `{bad}`; `keylint rules` lists them"
                )));
            }
        }
        let select = match ov.select {
            Some(s) => Some(Selectors(s)),
            None if !f.select.is_empty() => Some(Selectors(f.select.clone())),
            None => None,
        };
        let mut ignore = f.ignore.clone();
        ignore.extend(ov.ignore);
        let ignore = Selectors(ignore);
        // Every pattern is compiled and run even when switched off: a provider pattern that
        // matches still claims its value from the generic detector, and the finding is dropped
        // afterwards, so ignoring `github-pat-classic` does not resurface the token elsewhere.
        let patterns = patterns::Patterns::compile(defs, allow)?;
        let mut per_file_ignores = Vec::new();
        for (glob, ids) in &f.per_file_ignores {
            per_file_ignores.push((
                PathGlobs::new(std::slice::from_ref(glob), origin)?,
                Selectors(ids.clone()),
            ));
        }
        Ok(Settings {
            root: cfg.root,
            select,
            ignore,
            exclude: PathGlobs::new(&f.exclude, origin)?,
            allow_paths: PathGlobs::new(&f.allowlist.paths, origin)?,
            allowlist,
            per_file_ignores,
            patterns,
            max_file_size: ov.max_file_size,
            show_secrets: ov.show_secrets,
        })
    }

    /// Is the rule enabled at all (select/ignore)?
    pub fn rule_enabled(&self, id: &str, kind: RuleKind) -> bool {
        self.select.as_ref().is_none_or(|s| s.matches(id, kind)) && !self.ignore.matches(id, kind)
    }

    /// The path relative to the config root, for glob matching.
    pub fn rel<'a>(&self, path: &'a Path) -> std::borrow::Cow<'a, Path> {
        if path.is_absolute() {
            path.strip_prefix(&self.root)
                .map(std::borrow::Cow::Borrowed)
                .unwrap_or(std::borrow::Cow::Borrowed(path))
        } else {
            match std::path::absolute(path) {
                Ok(abs) => match abs.strip_prefix(&self.root) {
                    Ok(r) => std::borrow::Cow::Owned(r.to_path_buf()),
                    Err(_) => std::borrow::Cow::Borrowed(path),
                },
                Err(_) => std::borrow::Cow::Borrowed(path),
            }
        }
    }

    /// Is this finding's secret an allowlisted value (`[allowlist]` `values` / `regexes`)?
    pub fn allowlisted(&self, f: &crate::finding::Finding) -> bool {
        f.secret
            .as_ref()
            .and_then(|r| f.file.text.as_bytes().get(r.clone()))
            .is_some_and(|s| self.allowlist.allows(s))
    }

    /// Is this finding switched off for this path by `per-file-ignores` or `allowlist.paths`?
    pub fn ignored_for_path(&self, id: &str, kind: RuleKind, rel: &Path) -> bool {
        if kind == RuleKind::Secret && self.allow_paths.is_match(rel) {
            return true;
        }
        self.per_file_ignores
            .iter()
            .any(|(g, s)| g.is_match(rel) && s.matches(id, kind))
    }
}
