//! `dockerfile/env-file-copied`

use super::dockerignore::DockerIgnore;
use super::parse::{Dockerfile, Instruction, InstructionKind};
use crate::declare_rule;
use crate::engine::Cx;
use crate::file_kind::{self, FileKind};
use std::path::Path;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` or `ADD` that puts a `.env` file into the image: by name
    /// (`COPY .env ./`, `COPY config/.env.production /app/`, `COPY .env* ./`), or by copying
    /// the whole build context (`COPY . .`) when the directory holding the Dockerfile (the
    /// usual build context) contains a `.env` that `.dockerignore` does not exclude.
    ///
    /// Templates (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`) and copies from
    /// another stage (`COPY --from=build`) stay silent.
    ///
    /// ## Why is this bad?
    /// A `.env` file holds the real credentials of a developer or an environment. Once copied,
    /// it is a file in an image layer: anyone who can pull the image can extract it, and
    /// deleting it in a later layer does not remove it.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY .env ./
    /// ```
    /// Use instead: add `.env` (and `.env.*`, with `!.env.example`) to `.dockerignore`, and
    /// give the container its settings at run time (`docker run --env-file .env`, compose
    /// `env_file:`).
    ///
    /// ## References
    /// - <https://manpages.ubuntu.com/manpages/noble/man5/dockerignore.5.html>
    pub static ENV_FILE_COPIED = ("dockerfile/env-file-copied", "Env file copied into image", Dockerfile, Error, ["dockerfile"]);
}

pub fn check(cx: &mut Cx<'_>, df: &Dockerfile) {
    // The build context's dotenv files, read only when a whole-context copy needs them.
    let mut context: Option<Vec<String>> = None;
    for ins in &df.instructions {
        let InstructionKind::Copy(args) = &ins.kind else {
            continue;
        };
        if ins.flag("from").is_some() {
            continue;
        }
        for source in &args.sources {
            if let Some(name) = names_dotenv(&source.text) {
                report(
                    cx,
                    ins,
                    &format!(
                        "`{} {}` copies the env file `{name}` into the image",
                        ins.keyword, source.text
                    ),
                );
                break;
            }
            if copies_whole_context(&source.text) {
                let files = context.get_or_insert_with(|| context_dotenv_files(cx.file.path()));
                if let Some(name) = files.first() {
                    let message = format!(
                        "`{} {}` copies the build context, which holds `{name}` (not excluded by .dockerignore)",
                        ins.keyword, source.text
                    );
                    report(cx, ins, &message);
                    break;
                }
            }
        }
    }
}

fn report(cx: &mut Cx<'_>, ins: &Instruction, message: &str) {
    let f = cx.report(
        &ENV_FILE_COPIED,
        ins.span.start..ins.args_span.end.max(ins.keyword_span.end),
        message,
    );
    f.label = "env file copied into the image".into();
    f.help = Some(
        "Add `.env` and `.env.*` (with `!.env.example`) to .dockerignore and pass settings at run time (`docker run --env-file`)."
            .into(),
    );
}

/// Is this `COPY` source a dotenv file by name (or a glob written to match one)? Returns the
/// file name.
fn names_dotenv(source: &str) -> Option<String> {
    if source.contains("://") || source.starts_with("<<") {
        return None;
    }
    let base = source
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let literal = base.trim_end_matches(['*', '?']);
    if literal.is_empty() {
        return None;
    }
    // `.env*` copies `.env` itself; judge the literal part as the file name.
    let name = if base.ends_with('*') && literal.starts_with(".env") {
        ".env"
    } else {
        base
    };
    if name.contains(['*', '?', '[']) {
        return None;
    }
    is_real_dotenv(name).then(|| base.to_string())
}

/// A dotenv file that is not a template (`.env`, `.env.production`, `prod.env`).
fn is_real_dotenv(name: &str) -> bool {
    matches!(
        file_kind::classify(Path::new(name), ""),
        FileKind::Dotenv { template: false }
    )
}

/// `.`, `./`, `*`, `./*`: the whole build context.
fn copies_whole_context(source: &str) -> bool {
    matches!(source.trim_end_matches('/'), "." | "" | "*" | "./*" | "./.")
}

/// The dotenv files at the top of the build context (the Dockerfile's directory) that
/// `.dockerignore` (or `<Dockerfile>.dockerignore`) does not exclude, sorted.
fn context_dotenv_files(dockerfile: &Path) -> Vec<String> {
    let dir = match dockerfile.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_real_dotenv(n))
        .collect();
    if names.is_empty() {
        return names;
    }
    let specific = dockerfile
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| dir.join(format!("{n}.dockerignore")));
    let ignore_text = specific
        .and_then(|p| std::fs::read_to_string(p).ok())
        .or_else(|| std::fs::read_to_string(dir.join(".dockerignore")).ok())
        .unwrap_or_default();
    let ignore = DockerIgnore::parse(&ignore_text);
    names.retain(|n| !ignore.excludes(n));
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_sources() {
        for s in [
            ".env",
            "./.env",
            "config/.env",
            ".env.production",
            "prod.env",
            ".env*",
            ".env.local",
        ] {
            assert!(names_dotenv(s).is_some(), "{s}");
        }
        for s in [
            ".env.example",
            ".env.sample",
            "env.js",
            ".envrc",
            "src/",
            "*.json",
            ".",
            "https://x/.env",
            "<<EOF",
            "*",
        ] {
            assert!(names_dotenv(s).is_none(), "{s}");
        }
    }

    #[test]
    fn whole_context() {
        for s in [".", "./", "*", "./*"] {
            assert!(copies_whole_context(s), "{s}");
        }
        assert!(!copies_whole_context("src"));
    }
}
