//! `.dockerignore` matching, to tell whether a build context sends a file to the
//! builder (`COPY . .` copies a `.env` unless `.dockerignore` excludes it).
//!
//! Semantics, as documented for Docker and Podman (dockerignore(5)): one pattern per
//! line; a line starting with `#` is a comment; blank lines are skipped; a pattern is
//! cleaned (a leading `/` or `./` and a trailing `/` do not matter); globs follow Go's
//! `filepath.Match` (`*` and `?` stop at `/`) plus `**` for any number of directories;
//! a pattern that matches a directory excludes everything under it; a line starting
//! with `!` re-includes, and the last line that matches a path decides.

use globset::{Glob, GlobBuilder, GlobMatcher};

/// A compiled `.dockerignore`.
#[derive(Debug, Clone, Default)]
pub struct DockerIgnore {
    rules: Vec<(GlobMatcher, bool)>,
}

impl DockerIgnore {
    /// Compiles the text of a `.dockerignore`. Lines that are not valid globs are
    /// skipped (Docker refuses such a file; we only lose precision, never fail).
    pub fn parse(text: &str) -> Self {
        let mut rules = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (exception, pattern) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let pattern = clean(pattern);
            if pattern.is_empty() {
                continue;
            }
            if let Ok(glob) = build(&pattern) {
                rules.push((glob.compile_matcher(), exception));
            }
        }
        DockerIgnore { rules }
    }

    /// Whether `path` (relative to the context root, `/`-separated) is left out of the
    /// build context.
    pub fn excludes(&self, path: &str) -> bool {
        let path = clean(path);
        let mut excluded = false;
        for (glob, exception) in &self.rules {
            let matches =
                glob.is_match(&path) || parents(&path).any(|parent| glob.is_match(parent));
            if matches {
                excluded = !exception;
            }
        }
        excluded
    }
}

fn build(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
}

/// `./a/b/` -> `a/b`; `/a` -> `a`; `a//b` -> `a/b`; `.` -> ``.
fn clean(path: &str) -> String {
    path.split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// The parent directories of a relative path, nearest last: `a/b/c` -> `a`, `a/b`.
fn parents(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_patterns() {
        let ig = DockerIgnore::parse("# comment\n\n.env\n*.log\nnode_modules/\n/build\n");
        assert!(ig.excludes(".env"));
        assert!(
            !ig.excludes("config/.env"),
            "a root pattern does not match deeper"
        );
        assert!(ig.excludes("debug.log"));
        assert!(!ig.excludes("logs/debug.log"), "`*` stops at `/`");
        assert!(
            ig.excludes("node_modules/x/y.js"),
            "a directory excludes its contents"
        );
        assert!(ig.excludes("build/out"));
        assert!(!ig.excludes("src/main.rs"));
    }

    #[test]
    fn double_star_and_globs() {
        let ig = DockerIgnore::parse("**/.env\n.env.*\n");
        assert!(ig.excludes(".env"));
        assert!(ig.excludes("a/b/.env"));
        assert!(ig.excludes(".env.production"));
        let star = DockerIgnore::parse(".env*\n");
        assert!(star.excludes(".env") && star.excludes(".env.local"));
    }

    #[test]
    fn exceptions_last_match_wins() {
        let ig = DockerIgnore::parse("*\n!src\n!package.json\n");
        assert!(ig.excludes(".env"));
        assert!(!ig.excludes("src/index.js"));
        assert!(!ig.excludes("package.json"));
        let ig = DockerIgnore::parse(".env*\n!.env.example\n");
        assert!(ig.excludes(".env"));
        assert!(!ig.excludes(".env.example"));
        let ig = DockerIgnore::parse("!.env\n.env\n");
        assert!(ig.excludes(".env"));
    }

    #[test]
    fn cleaning_and_bad_lines() {
        let ig = DockerIgnore::parse("./.env\n[unclosed\n!\n");
        assert!(ig.excludes(".env"));
        assert!(ig.excludes("./.env"));
        assert!(!DockerIgnore::default().excludes(".env"));
    }
}
