//! Classifies a file by name (and, for YAML, a cheap look at its content) into the kind whose
//! typed model the kind-aware rules read.

use std::path::Path;

/// A programming language, for source files (env reads, comments, literals passed to clients).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Python,
    JavaScript,
    TypeScript,
    Go,
    Rust,
    Java,
    Kotlin,
    Ruby,
    Php,
    CSharp,
    Shell,
    C,
    Swift,
    Scala,
}

impl Lang {
    /// By extension, then by shebang in the first line.
    pub fn detect(path: &Path, first_line: &str) -> Option<Lang> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let by_ext = match ext.as_deref() {
            Some("py" | "pyw" | "pyi") => Some(Lang::Python),
            Some("js" | "mjs" | "cjs" | "jsx") => Some(Lang::JavaScript),
            Some("ts" | "tsx" | "mts" | "cts") => Some(Lang::TypeScript),
            Some("go") => Some(Lang::Go),
            Some("rs") => Some(Lang::Rust),
            Some("java") => Some(Lang::Java),
            Some("kt" | "kts") => Some(Lang::Kotlin),
            Some("rb" | "rake") => Some(Lang::Ruby),
            Some("php") => Some(Lang::Php),
            Some("cs") => Some(Lang::CSharp),
            Some("sh" | "bash" | "zsh" | "ksh") => Some(Lang::Shell),
            Some("c" | "h" | "cc" | "cpp" | "hpp" | "cxx") => Some(Lang::C),
            Some("swift") => Some(Lang::Swift),
            Some("scala" | "sc") => Some(Lang::Scala),
            _ => None,
        };
        if by_ext.is_some() {
            return by_ext;
        }
        if path.file_name().and_then(|n| n.to_str()) == Some("Rakefile") {
            return Some(Lang::Ruby);
        }
        let shebang = first_line.strip_prefix("#!")?;
        if shebang.contains("python") {
            Some(Lang::Python)
        } else if shebang.contains("node") || shebang.contains("deno") || shebang.contains("bun") {
            Some(Lang::JavaScript)
        } else if shebang.contains("ruby") {
            Some(Lang::Ruby)
        } else if shebang.contains("php") {
            Some(Lang::Php)
        } else if ["sh", "bash", "zsh", "ksh", "dash"]
            .iter()
            .any(|s| shebang.split(['/', ' ']).any(|w| w == *s))
        {
            Some(Lang::Shell)
        } else {
            None
        }
    }
}

/// The CI system a workflow file belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ci {
    GitHub,
    GitLab,
}

/// What a file is, for the kind-aware rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `.env`, `.env.*`, `*.env`. `template` for `.env.example`, `.env.sample`, `.env.template`, `.env.dist` …
    Dotenv {
        template: bool,
    },
    Dockerfile,
    Compose,
    Kubernetes,
    Workflow(Ci),
    /// Other YAML (Helm values, app config).
    Yaml,
    Source(Lang),
    /// Documentation (Markdown, reStructuredText, AsciiDoc, plain text docs): placeholders belong here.
    Docs,
    /// Lockfiles and checksum lists: full of hashes, never a generic secret.
    Lockfile,
    Text,
}

impl FileKind {
    /// A short name for `keylint rules` and rule file-kind lists.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Dotenv { .. } => "dotenv",
            FileKind::Dockerfile => "dockerfile",
            FileKind::Compose => "compose",
            FileKind::Kubernetes => "kubernetes",
            FileKind::Workflow(_) => "workflow",
            FileKind::Yaml => "yaml",
            FileKind::Source(_) => "source",
            FileKind::Docs => "docs",
            FileKind::Lockfile => "lockfile",
            FileKind::Text => "text",
        }
    }

    /// Files that document or template configuration rather than configure a running app.
    pub fn is_template(self) -> bool {
        matches!(self, FileKind::Dotenv { template: true } | FileKind::Docs)
    }
}

const TEMPLATE_MARKERS: &[&str] = &[
    "example", "examples", "sample", "samples", "template", "tmpl", "tpl", "dist", "default",
    "defaults", "skel", "schema", "docs",
];

/// Is this file name a dotenv file, and is it a template?
fn dotenv_kind(name: &str) -> Option<FileKind> {
    let lower = name.to_ascii_lowercase();
    let is_env = lower == ".env"
        || lower.starts_with(".env.")
        || lower.ends_with(".env")
        || lower.starts_with("env.") && (lower.ends_with(".example") || lower.ends_with(".sample"));
    if !is_env || lower.ends_with(".envrc") {
        return None;
    }
    // `.env` with extensions that are clearly not dotenv files (`.env.js`, `.env.ts`, `.env.d.ts`).
    for ext in [
        ".js", ".ts", ".mjs", ".cjs", ".py", ".go", ".rs", ".json", ".yml", ".yaml", ".sh", ".md",
        ".php", ".rb",
    ] {
        if lower.ends_with(ext) {
            return None;
        }
    }
    let template = lower
        .split(['.', '-', '_'])
        .any(|part| TEMPLATE_MARKERS.contains(&part));
    Some(FileKind::Dotenv { template })
}

const LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "cargo.lock",
    "go.sum",
    "poetry.lock",
    "pdm.lock",
    "uv.lock",
    "pipfile.lock",
    "composer.lock",
    "gemfile.lock",
    "podfile.lock",
    "packages.lock.json",
    "flake.lock",
    "mix.lock",
    "pubspec.lock",
    "gradle.lockfile",
    "deno.lock",
    "shasums",
    "sha256sums",
    "checksums.txt",
];

/// Classifies by path; `head` is the start of the file (for YAML content sniffing and shebangs).
pub fn classify(path: &Path, head: &str) -> FileKind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let lower = name.to_ascii_lowercase();
    if let Some(k) = dotenv_kind(name) {
        return k;
    }
    if lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
        || lower.starts_with("containerfile.")
    {
        return FileKind::Dockerfile;
    }
    if LOCKFILES.contains(&lower.as_str())
        || lower.ends_with(".lock") && !lower.ends_with(".lock.py")
        || lower.starts_with("requirements") && lower.ends_with(".txt") && head.contains("--hash=")
    {
        return FileKind::Lockfile;
    }
    let is_yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    if is_yaml {
        if lower == "compose.yml"
            || lower == "compose.yaml"
            || lower.starts_with("docker-compose")
            || lower.starts_with("compose.")
        {
            return FileKind::Compose;
        }
        if lower == ".gitlab-ci.yml" || lower == ".gitlab-ci.yaml" {
            return FileKind::Workflow(Ci::GitLab);
        }
        let mut comps = path.components().rev().skip(1).map(|c| c.as_os_str());
        if comps.next().is_some_and(|c| c == "workflows")
            && comps.next().is_some_and(|c| c == ".github")
        {
            return FileKind::Workflow(Ci::GitHub);
        }
        if looks_like_kubernetes(head) {
            return FileKind::Kubernetes;
        }
        return FileKind::Yaml;
    }
    let first_line = head.lines().next().unwrap_or("");
    if let Some(lang) = Lang::detect(path, first_line) {
        return FileKind::Source(lang);
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if matches!(
        ext,
        "md" | "markdown" | "mdx" | "rst" | "adoc" | "asciidoc" | "txt" | "html" | "htm"
    ) || lower.starts_with("readme")
    {
        return FileKind::Docs;
    }
    FileKind::Text
}

/// A cheap test for Kubernetes manifests: a top-level `apiVersion:` and `kind:` line.
pub fn looks_like_kubernetes(text: &str) -> bool {
    let mut api = false;
    let mut kind = false;
    for line in text.lines() {
        if line.starts_with("apiVersion:") {
            api = true;
        } else if line.starts_with("kind:") {
            kind = true;
        }
        if api && kind {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(p: &str) -> FileKind {
        classify(Path::new(p), "")
    }

    #[test]
    fn names() {
        assert_eq!(k(".env"), FileKind::Dotenv { template: false });
        assert_eq!(k("prod.env"), FileKind::Dotenv { template: false });
        assert_eq!(k(".env.local"), FileKind::Dotenv { template: false });
        assert_eq!(k(".env.example"), FileKind::Dotenv { template: true });
        assert_eq!(k(".env.sample"), FileKind::Dotenv { template: true });
        assert_eq!(k(".env.template"), FileKind::Dotenv { template: true });
        assert_eq!(k(".env.dist"), FileKind::Dotenv { template: true });
        assert_eq!(k("src/.env.ts"), FileKind::Source(Lang::TypeScript));
        assert_eq!(k("Dockerfile"), FileKind::Dockerfile);
        assert_eq!(k("Dockerfile.prod"), FileKind::Dockerfile);
        assert_eq!(k("api.dockerfile"), FileKind::Dockerfile);
        assert_eq!(k("Containerfile"), FileKind::Dockerfile);
        assert_eq!(k("compose.yaml"), FileKind::Compose);
        assert_eq!(k("docker-compose.prod.yml"), FileKind::Compose);
        assert_eq!(
            k(".github/workflows/ci.yml"),
            FileKind::Workflow(Ci::GitHub)
        );
        assert_eq!(k(".gitlab-ci.yml"), FileKind::Workflow(Ci::GitLab));
        assert_eq!(k("values.yaml"), FileKind::Yaml);
        assert_eq!(k("Cargo.lock"), FileKind::Lockfile);
        assert_eq!(k("package-lock.json"), FileKind::Lockfile);
        assert_eq!(k("README.md"), FileKind::Docs);
        assert_eq!(k("app.py"), FileKind::Source(Lang::Python));
        assert_eq!(
            classify(Path::new("run"), "#!/usr/bin/env bash\n"),
            FileKind::Source(Lang::Shell)
        );
        assert_eq!(
            classify(Path::new("deploy.yaml"), "apiVersion: v1\nkind: Pod\n"),
            FileKind::Kubernetes
        );
    }
}
