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
            // In code, `{"password": "password"}` maps a field to its name: weak words that
            // are key names themselves are not placeholders there.
            let weak = matches!(
                v.as_str().to_ascii_lowercase().as_str(),
                "password"
                    | "passwd"
                    | "secret"
                    | "secrets"
                    | "token"
                    | "apikey"
                    | "api_key"
                    | "pass"
                    | "admin"
                    | "root"
                    | "test"
                    | "testing"
                    | "key"
                    | "auth"
            ) || v.as_str().eq_ignore_ascii_case(short)
                || v.as_str().to_ascii_lowercase().contains("redact")
                || !credential_name_in_code(short);
            if !weak && classify::is_placeholder(v.as_str()) {
                hits.push((
                    short.to_string(),
                    range.start + v.start()..range.start + v.end(),
                ));
            }
        }
    }
    if hits.is_empty() {
        return;
    }
    // Usage examples in docstrings and comments show placeholders on purpose; the regions are
    // computed only for the few files with a candidate.
    let prose = match cx.file.kind {
        crate::file_kind::FileKind::Source(lang) => prose_regions(lang, text),
        _ => Vec::new(),
    };
    for (name, span) in hits {
        if prose.iter().any(|r| r.contains(&span.start)) {
            continue;
        }
        check_value(cx, &name, span);
    }
}

/// In code `key` alone names map keys and cache keys: a bare `key` needs a credential
/// qualifier (`api_key`, `secretKey`, `private_key`) to name a credential.
fn credential_name_in_code(name: &str) -> bool {
    let tokens = classify::name_tokens(name);
    let strong = [
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
        "auth",
        "passphrase",
    ];
    if tokens.iter().any(|t| strong.contains(&t.as_str())) {
        return true;
    }
    let qualifiers = [
        "api",
        "access",
        "private",
        "signing",
        "license",
        "client",
        "master",
        "encryption",
        "service",
        "subscription",
        "account",
        "app",
    ];
    tokens.iter().any(|t| t == "key") && tokens.iter().any(|t| qualifiers.contains(&t.as_str()))
}

/// Byte ranges of comments and docstrings: comment lines (`#`, `//`, `*`, `--`), `/* … */`
/// blocks and, in Python, triple-quoted strings (docstrings and `EXAMPLES = '''…'''` blocks).
/// Approximate on purpose: a lexer-level reading is enough to keep prose out.
pub fn prose_regions(lang: crate::file_kind::Lang, text: &str) -> Vec<Range<usize>> {
    use crate::file_kind::Lang;
    let hash = matches!(lang, Lang::Python | Lang::Ruby | Lang::Shell | Lang::Php);
    let slash = !matches!(lang, Lang::Python | Lang::Ruby | Lang::Shell);
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut open: Option<(usize, &[u8])> = None;
    while pos < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i + 1);
        let line = &bytes[pos..end];
        let trimmed = line.trim_ascii_start();
        let mut i = 0;
        // Python triple-quoted strings and C-style block comments may span lines.
        while i < line.len() {
            if let Some((start, close)) = open {
                if line[i..].starts_with(close) {
                    out.push(start..pos + i + close.len());
                    open = None;
                    i += close.len();
                    continue;
                }
                i += 1;
                continue;
            }
            let rest = &line[i..];
            if lang == Lang::Python && (rest.starts_with(b"\"\"\"") || rest.starts_with(b"'''")) {
                open = Some((pos + i, if rest[0] == b'"' { b"\"\"\"" } else { b"'''" }));
                i += 3;
                continue;
            }
            if slash && rest.starts_with(b"/*") {
                open = Some((pos + i, b"*/"));
                i += 2;
                continue;
            }
            i += 1;
        }
        if open.is_none()
            && ((hash && trimmed.starts_with(b"#"))
                || (slash && (trimmed.starts_with(b"//") || trimmed.starts_with(b"* ")))
                || trimmed.starts_with(b"-- "))
        {
            out.push(pos..end);
        }
        pos = end;
    }
    if let Some((start, _)) = open {
        out.push(start..bytes.len());
    }
    out
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

#[cfg(test)]
mod prose_tests {
    use super::*;
    use crate::file_kind::Lang;

    #[test]
    fn docstrings_and_comments_are_prose() {
        let text = "x = 1\n\"\"\"doc\nmore\"\"\"\n# note\ny = 'a'\n";
        let r = prose_regions(Lang::Python, text);
        assert_eq!(r, vec![6..20, 21..28]);
        let js = "a();\n/* one\ntwo */\n// c\nb();\n";
        assert_eq!(prose_regions(Lang::JavaScript, js), vec![5..18, 19..24]);
    }

    #[test]
    fn credential_names_in_code() {
        assert!(credential_name_in_code("api_key"));
        assert!(credential_name_in_code("openaiApiKey"));
        assert!(credential_name_in_code("password"));
        assert!(!credential_name_in_code("key"));
        assert!(!credential_name_in_code("cache_key"));
        assert!(!credential_name_in_code("testBinEnvKey"));
    }
}
