//! `generic-secret`: a secret-like name assigned a random-looking literal, in any file.

use crate::classify;
use crate::declare_rule;
use crate::engine::Cx;
use crate::patterns::randomness;
use aho_corasick::AhoCorasick;
use regex::bytes::Regex;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it does
    /// Flags a secret-like name (`api_key`, `client_secret`, `DB_PASSWORD`, `authToken` …)
    /// assigned a literal that looks generated: code, config, YAML, JSON, `.env`, shell.
    ///
    /// ## Why is this bad?
    /// Most leaked credentials have no provider prefix that a specific pattern could match.
    /// A literal in a tracked file is in every clone and in the history forever.
    ///
    /// Names are split into tokens (`apiKey` → `api key`); a qualifier token such as `file`,
    /// `path`, `url`, `id`, `name` or `public` means the value is not itself a secret. Values that
    /// are references (`${VAR}`, `os.environ[...]`), placeholders (`YOUR_KEY_HERE`) or not random
    /// (words, identifiers, paths) are skipped. Not run on lockfiles and minified files.
    ///
    /// ## Example
    /// ```python
    /// STRIPE_WEBHOOK_SECRET = "Zt7Kq2PbX9mWv4Lr8Ns1Hd6Jf3Gc5Yq"
    /// ```
    /// Use instead:
    /// ```python
    /// STRIPE_WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
    /// ```
    /// and rotate the leaked value.
    pub static GENERIC_SECRET = ("generic-secret", "Generic secret assignment", Secret, Error, ["any"]);
}

/// Words whose presence on a line makes it worth a look.
const WORDS: &[&str] = &[
    "key",
    "secret",
    "token",
    "passw",
    "pwd",
    "pass",
    "auth",
    "credential",
    "cred",
    "private",
    "bearer",
];

static WORD_AC: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(WORDS)
        .unwrap_or_else(|_| AhoCorasick::new([""; 0]).unwrap_or_else(|_| unreachable!()))
});

/// `name <op> value` where value is quoted or a bare word.
static ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        (?:^|[\s{(\[,;"'`])
        (?P<name>[A-Za-z_@$][A-Za-z0-9_.\-]{1,80})["'`]?\]?
        \s*(?P<op>:=|=>|==|!=|\?=|:|=)\s*
        (?:[A-Za-z_.]{1,30}\(\s*)?
        (?:"(?P<v1>[^"\r\n]{6,300})"|'(?P<v2>[^'\r\n]{6,300})'|`(?P<v3>[^`\r\n]{6,300})`|(?P<v4>[^\s"'`,;)\]}{<>\#]{6,300}))
        "#,
    )
    .unwrap_or_else(|e| panic!("generic-secret regex: {e}"))
});

pub fn check(cx: &mut Cx<'_>) {
    let text = cx.text().as_bytes();
    let mut last_line = usize::MAX;
    let mut hits: Vec<(String, usize, usize)> = Vec::new();
    for m in WORD_AC.find_iter(text) {
        let line = cx.file.line_of(m.start());
        if line == last_line {
            continue;
        }
        last_line = line;
        let range = cx.file.line_range(line);
        if range.len() > 4000 {
            continue;
        }
        for caps in ASSIGN.captures_iter(&text[range.clone()]) {
            let (Some(name), Some(op)) = (caps.name("name"), caps.name("op")) else {
                continue;
            };
            if matches!(op.as_bytes(), b"==" | b"!=") {
                continue;
            }
            let Some(v) = caps
                .name("v1")
                .or(caps.name("v2"))
                .or(caps.name("v3"))
                .or(caps.name("v4"))
            else {
                continue;
            };
            let name = String::from_utf8_lossy(name.as_bytes());
            if !classify::is_secret_name(&name) {
                continue;
            }
            let value = String::from_utf8_lossy(v.as_bytes());
            if !is_secret_value(&value) {
                continue;
            }
            hits.push((
                name.into_owned(),
                range.start + v.start(),
                range.start + v.end(),
            ));
        }
    }
    for (name, s, e) in hits {
        let f = cx.report(
            &GENERIC_SECRET,
            s..e,
            format!("`{name}` is assigned a literal secret"),
        );
        f.secret = Some(s..e);
        f.label = "literal secret".into();
        f.help = Some("Read it from the environment or a secret manager, and rotate it: it is in the history now.".into());
    }
}

/// A literal that looks like a generated secret (not a reference, placeholder, path, URL or word).
pub fn is_secret_value(value: &str) -> bool {
    let v = value.trim();
    if classify::is_reference(v)
        || classify::is_placeholder(v)
        || classify::is_trivial_value(v)
        || classify::is_documented_example(v)
    {
        return false;
    }
    if v.contains("://")
        || v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("~/")
        || v.contains('\\')
    {
        return false;
    }
    randomness::is_random(v.as_bytes())
}
