//! `placeholder/in-runtime-config`

use crate::classify;
use crate::declare_rule;
use crate::engine::Cx;
use crate::repo::sdk_names::{Holds, SdkNames};
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it does
    /// Flags a secret-like setting whose value is still a placeholder (`YOUR_API_KEY`,
    /// `sk-YOUR_KEY_HERE`, `<your-key>`, `changeme`, `xxxx…`, `***`, `...`, `TODO`,
    /// `dummy` …) in a file the application reads at run time: a `.env`, a compose file,
    /// a Kubernetes manifest, a Dockerfile, a CI workflow, or code that passes a literal
    /// to a client (`OpenAI(api_key="YOUR_API_KEY")`, `os.getenv("OPENAI_API_KEY", "sk-xxxx")`).
    ///
    /// Templates and documentation are where placeholders belong and are never checked:
    /// `.env.example`, `.env.sample`, `*.template`, `*.dist`, Markdown and other docs, and
    /// tests, fixtures and examples in code.
    ///
    /// ## Why is this bad?
    /// The application starts, sends the placeholder as its credential, and the API
    /// answers `401 Unauthorized`, far from the line that caused it. A fallback default
    /// such as `os.getenv("OPENAI_API_KEY", "sk-xxxx")` hides a missing variable the same
    /// way.
    ///
    /// ## Example
    /// ```sh
    /// OPENAI_API_KEY=sk-YOUR_OPENAI_API_KEY_HERE
    /// ```
    /// Use instead: put the real key in the runtime `.env` (kept out of git) or the secret
    /// store, and leave placeholders to `.env.example`. In code, read the variable without
    /// a fallback so a missing key fails at start-up.
    pub static PLACEHOLDER_IN_RUNTIME_CONFIG = (
        "placeholder/in-runtime-config",
        "Placeholder credential in runtime config",
        Placeholder,
        Error,
        ["dotenv", "compose", "kubernetes", "dockerfile", "workflow", "source"]
    );
}

/// A name whose value must be a real credential: secret-like, or a secret an SDK reads.
fn wants_credential(name: &str) -> bool {
    classify::is_secret_name(name)
        || SdkNames::embedded()
            .lookup(name)
            .is_some_and(|(_, v)| v.holds == Holds::Secret)
}

/// Reports the value at `span` of the setting `name` when it is a placeholder.
/// `${VAR:-default}` is judged by its default; other references are not values.
pub fn check_value(cx: &mut Cx<'_>, name: &str, span: Range<usize>) {
    let Some(raw) = cx.text().get(span.clone()) else {
        return;
    };
    let mut span = span;
    let mut value = raw;
    if let Some(d) = classify::interpolation_default(raw.trim()) {
        let off = raw.find(d).unwrap_or(0);
        span = span.start + off..span.start + off + d.len();
        value = d;
    } else if classify::is_reference(raw) {
        return;
    }
    if value.trim().is_empty() || !classify::is_placeholder(value) || !wants_credential(name) {
        return;
    }
    let already = cx.findings.iter().any(|f| {
        f.rule_id.as_ref() == PLACEHOLDER_IN_RUNTIME_CONFIG.id
            && f.span.start < span.end
            && span.start < f.span.end
    });
    if already {
        return;
    }
    let f = cx.report(
        &PLACEHOLDER_IN_RUNTIME_CONFIG,
        span,
        format!("`{name}` is set to a placeholder"),
    );
    f.label = "placeholder".into();
    f.help = Some(
        "The application will send this as its credential and get `401 Unauthorized`: set the real value \
         where it runs (kept out of git), and keep placeholders in templates such as `.env.example`."
            .into(),
    );
}

/// Words whose presence on a line of code makes it worth a look.
const CREDENTIAL_WORDS: &[&str] = &[
    "key",
    "token",
    "secret",
    "passw",
    "pwd",
    "auth",
    "credential",
];

static CREDENTIAL_AC: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(CREDENTIAL_WORDS)
        .ok()
});

/// `name = "literal"`, `name: "literal"`, `name := "literal"`, `"name": "literal"`, and the
/// keyword argument `name="literal"`: a one-word literal (sentences are interface text).
static LITERAL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"(?P<name>[A-Za-z_][A-Za-z0-9_.]{0,80})["']?\s*(?::=|=|:)\s*["'`](?P<v>[^"'`\s]{1,200})["'`]"#,
    )
    .ok()
});

/// Placeholders assigned or passed to secret-like names in application code:
/// `OpenAI(api_key="YOUR_API_KEY")`, `openai.api_key = "sk-YOUR..."`, `{ apiKey: "<key>" }`.
pub fn check_code(cx: &mut Cx<'_>) {
    if is_template_or_test(&cx.file.path) {
        return;
    }
    let (Some(ac), Some(re)) = (CREDENTIAL_AC.as_ref(), LITERAL.as_ref()) else {
        return;
    };
    let text = cx.text();
    let mut hits = Vec::new();
    let mut last_line = usize::MAX;
    for m in ac.find_iter(text) {
        let line = cx.file.line_of(m.start());
        if line == last_line {
            continue;
        }
        last_line = line;
        let range = cx.file.line_range(line);
        let Some(line_text) = text.get(range.clone()) else {
            continue;
        };
        for c in re.captures_iter(line_text) {
            let (Some(name), Some(v)) = (c.name("name"), c.name("v")) else {
                continue;
            };
            // `==` is a comparison, not an assignment
            if line_text[name.end()..v.start()].contains("==") {
                continue;
            }
            let short = name.as_str().rsplit('.').next().unwrap_or(name.as_str());
            if classify::is_placeholder(v.as_str()) {
                hits.push((
                    short.to_string(),
                    range.start + v.start()..range.start + v.end(),
                ));
            }
        }
    }
    for (name, span) in hits {
        check_value(cx, &name, span);
    }
}

/// Words in a file name that mark a template or an example rather than live config.
const TEMPLATE_WORDS: &[&str] = &[
    "example",
    "examples",
    "sample",
    "samples",
    "template",
    "templates",
    "tmpl",
    "tpl",
    "dist",
    "skel",
    "demo",
];

/// Directories and file names of code that is not the application at run time.
const NOT_RUNTIME_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "spec",
    "specs",
    "testdata",
    "test_data",
    "fixtures",
    "fixture",
    "mocks",
    "__mocks__",
    "e2e",
    "examples",
    "example",
    "samples",
    "sample",
    "docs",
    "doc",
    "demo",
    "demos",
    "cookbook",
    "notebooks",
    "tutorials",
];

/// Is this file a template, an example, documentation or a test, where placeholders belong?
pub fn is_template_or_test(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let words: Vec<&str> = name.split(['.', '-', '_']).collect();
    if words.iter().any(|w| TEMPLATE_WORDS.contains(w)) {
        return true;
    }
    if name.starts_with("test_")
        || name.starts_with("test.")
        || name == "conftest.py"
        || words
            .iter()
            .any(|w| matches!(*w, "test" | "tests" | "spec" | "stories" | "mock" | "mocks"))
    {
        return true;
    }
    in_non_runtime_dir(path)
}

/// Is the file under a directory of tests, fixtures, examples or docs?
pub fn in_non_runtime_dir(path: &Path) -> bool {
    path.parent().is_some_and(|p| {
        p.components().any(|c| {
            let c = c.as_os_str().to_string_lossy().to_ascii_lowercase();
            NOT_RUNTIME_DIRS.contains(&c.as_str())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_and_test_paths() {
        for p in [
            "tests/test_client.py",
            "src/app.test.ts",
            "pkg/client_test.go",
            "config.example.yaml",
            "docker-compose.sample.yml",
            "examples/chat.py",
            "docs/setup.py",
            "src/__mocks__/api.js",
            "conftest.py",
            "Button.stories.tsx",
        ] {
            assert!(is_template_or_test(Path::new(p)), "{p}");
        }
        for p in [
            "app.py",
            "src/client.ts",
            "worker.py",
            "docker-compose.yml",
            ".github/workflows/ci.yml",
            "contest.py",
        ] {
            assert!(!is_template_or_test(Path::new(p)), "{p}");
        }
    }
}
