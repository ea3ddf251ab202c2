//! `generic-secret`: a secret-like name assigned a random-looking literal, in any file.

use crate::classify;
use crate::declare_rule;
use crate::engine::Cx;
use crate::file_kind::{FileKind, Lang};
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

/// `name <op> value` where value is quoted or a bare word. A `:` may precede the name (Vim's
/// `g:gh_token`, `$env:API_KEY`).
static ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        (?:^|[\s{(\[,;:"'`])
        (?P<name>[A-Za-z_@$][A-Za-z0-9_.\-]{1,80})["'`]?\]?
        \s*(?P<op>:=|=>|==|!=|\?=|:|=)\s*
        (?:(?P<call>[A-Za-z_.]{1,30})\(\s*)?
        (?:"(?P<v1>[^"\r\n]{6,300})"|'(?P<v2>[^'\r\n]{6,300})'|`(?P<v3>[^`\r\n]{6,300})`|\\"(?P<v5>[^"\\\r\n]{6,300})\\"|(?P<v4>[^\s"'`,;)\]}{<>\#\\]{6,300}))
        "#,
    )
    .unwrap_or_else(|e| panic!("generic-secret regex: {e}"))
});

/// A quoted secret-like name followed by a quoted literal as the next argument:
/// `os.environ.get('SECRET_KEY', '…')`, `buildConfigField 'String', 'API_KEY', '"…"'`,
/// `headers.put("X-Api-Key", "…")`, `{"password", "…"}`.
static PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        ["'](?P<name>[A-Za-z_][A-Za-z0-9_.\-]{1,80})["']\s*,\s*
        (?:"(?P<v1>[^"\r\n]{6,300})"|'(?P<v2>[^'\r\n]{6,300})')
        "#,
    )
    .unwrap_or_else(|e| panic!("generic-secret pair regex: {e}"))
});

/// `<word><symbol?><1-4 digits><symbol?>`.
static WORD_AND_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z]{3,}[^A-Za-z0-9]?[0-9]{1,4}[^A-Za-z0-9]?$")
        .unwrap_or_else(|e| panic!("generic-secret word-and-number regex: {e}"))
});

/// A call to a constructor or function whose name says it takes credentials:
/// `OAuth(`, `BasicAuth(`, `Credentials(`, `login(`, `authenticate(`.
static AUTH_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<callee>[A-Za-z_][A-Za-z0-9_]{1,60})\s*\(")
        .unwrap_or_else(|e| panic!("generic-secret call regex: {e}"))
});

/// A string literal standing alone as an argument.
static ARG_LITERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[(,])\s*(?:"(?P<v1>[^"\r\n\\]{12,300})"|'(?P<v2>[^'\r\n\\]{12,300})')\s*(?:[,)]|$)"#)
        .unwrap_or_else(|e| panic!("generic-secret argument regex: {e}"))
});

fn value_of<'h>(caps: &regex::bytes::Captures<'h>) -> Option<regex::bytes::Match<'h>> {
    caps.name("v1")
        .or(caps.name("v2"))
        .or(caps.name("v3"))
        .or(caps.name("v5"))
        .or(caps.name("v4"))
}

/// Trims one level of inner quotes (`'"abc"'`) and returns the inner range.
fn unquote(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let v = &bytes[start..end];
    if v.len() >= 2 && matches!(v[0], b'"' | b'\'') && v[v.len() - 1] == v[0] {
        (start + 1, end - 1)
    } else {
        (start, end)
    }
}

pub fn check(cx: &mut Cx<'_>) {
    let text = cx.text().as_bytes();
    // Sealed secrets (Bitnami SealedSecret) hold ciphertext only the cluster can open.
    if memchr::memmem::find(text, b"kind: SealedSecret").is_some() {
        return;
    }
    let code = matches!(cx.file.kind, FileKind::Source(lang) if lang != Lang::Shell);
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
        let hay = &text[range.clone()];
        // Resume after each name, not after each match: in `client = Client(token='…')` the
        // first match swallows `token=` as a bare value.
        // Capture searches are the costly part: run each only on lines its cheap DFA test
        // (`is_match`) accepts; most lines that merely mention a key word are not assignments.
        let mut at = 0;
        let assign = memchr::memchr2(b'=', b':', hay).is_some() && ASSIGN.is_match(hay);
        while let Some(caps) = assign.then(|| ASSIGN.captures_at(hay, at)).flatten() {
            let (Some(name), Some(op), Some(v)) =
                (caps.name("name"), caps.name("op"), value_of(&caps))
            else {
                break;
            };
            at = name.end();
            let name = String::from_utf8_lossy(name.as_bytes());
            if !classify::is_secret_name(&name) {
                continue;
            }
            // In code a literal secret is quoted: a bare value is an identifier or expression
            // (`let key = PrivateKeyDer::Pkcs8(key)`). Shell is the exception (`export K=v`).
            let bare = caps.name("v4").is_some();
            if bare && code {
                continue;
            }
            // Passwords get the weaker test only as a plain quoted literal, not as the argument
            // of a call (`params.get("v3AuthPass")`).
            let password =
                classify::is_password_name(&name) && !bare && caps.name("call").is_none();
            // A comparison with a literal is a hard-coded credential only for passwords
            // (`if password == "…"`); elsewhere it is a test of a value.
            if matches!(op.as_bytes(), b"==" | b"!=") && !password {
                continue;
            }
            let value = String::from_utf8_lossy(v.as_bytes());
            if is_secret_value(&value) || (password && is_password_value(&value)) {
                hits.push((
                    name.into_owned(),
                    range.start + v.start(),
                    range.start + v.end(),
                ));
            }
        }
        // Overlapping on purpose: in `'String', 'API_KEY', '…'` the pair starts at the second
        // literal, so each search resumes right after the previous name.
        let mut at = 0;
        let pair = memchr::memchr2(b'"', b'\'', hay).is_some() && PAIR.is_match(hay);
        while let Some(caps) = pair.then(|| PAIR.captures_at(hay, at)).flatten() {
            let (Some(name), Some(v)) = (caps.name("name"), value_of(&caps)) else {
                break;
            };
            at = name.end();
            let name = String::from_utf8_lossy(name.as_bytes());
            if !classify::is_secret_name(&name) {
                continue;
            }
            let (s, e) = unquote(hay, v.start(), v.end());
            let value = String::from_utf8_lossy(&hay[s..e]);
            if is_secret_value(&value) {
                hits.push((name.into_owned(), range.start + s, range.start + e));
            }
        }
        if memchr::memchr(b'(', hay).is_some() && AUTH_CALL.is_match(hay) {
            auth_call_arguments(cx, hay, range.start, &mut hits);
        }
    }
    hits.sort_by_key(|h| (h.1, h.2));
    hits.dedup_by(|a, b| a.1 < b.2 && b.1 < a.2);
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

/// Literal arguments of a credential-taking call, which may span lines:
/// `OAuth('…',\n '…')`. Each random literal is reported as its own secret.
fn auth_call_arguments(
    cx: &Cx<'_>,
    line: &[u8],
    line_start: usize,
    hits: &mut Vec<(String, usize, usize)>,
) {
    let text = cx.text().as_bytes();
    for caps in AUTH_CALL.captures_iter(line) {
        let Some(callee) = caps.name("callee") else {
            continue;
        };
        let callee = String::from_utf8_lossy(callee.as_bytes());
        let tokens = classify::name_tokens(&callee);
        let credential_call = tokens.iter().any(|t| {
            matches!(
                t.as_str(),
                "auth"
                    | "oauth"
                    | "oauth1"
                    | "oauth2"
                    | "credential"
                    | "credentials"
                    | "login"
                    | "authenticate"
            )
        }) || callee.ends_with("Auth");
        if !credential_call {
            continue;
        }
        // The argument list, up to its closing parenthesis (at most 600 bytes on).
        let open = line_start + caps.get(0).map_or(0, |m| m.end());
        let mut depth = 1usize;
        let mut close = open;
        for (i, &b) in text[open..text.len().min(open + 600)].iter().enumerate() {
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        if close == open {
            continue;
        }
        let mut pos = open;
        for raw in text[open..close].split(|&b| b == b'\n') {
            let arg_line_start = pos;
            pos += raw.len() + 1;
            for a in ARG_LITERAL.captures_iter(raw) {
                let Some(v) = a.name("v1").or(a.name("v2")) else {
                    continue;
                };
                let value = String::from_utf8_lossy(v.as_bytes());
                if is_secret_value(&value) {
                    hits.push((
                        format!("{callee}(…)"),
                        arg_line_start + v.start(),
                        arg_line_start + v.end(),
                    ));
                }
            }
        }
    }
}

/// A literal that looks like a generated secret (not a reference, placeholder, path, URL or word).
pub fn is_secret_value(value: &str) -> bool {
    let v = value.trim();
    if is_not_a_literal_secret(v) || classify::is_typed_sequence(v) {
        return false;
    }
    // UUIDs are identifiers (tenant, client, resource ids) far more often than keys.
    if classify::is_uuid(v) {
        return false;
    }
    randomness::is_random(v.as_bytes())
}

/// References, placeholders, documented examples, paths, URLs and ciphertext envelopes.
fn is_not_a_literal_secret(v: &str) -> bool {
    classify::is_reference(v)
        || classify::is_placeholder(v)
        || classify::is_trivial_value(v)
        || classify::is_documented_example(v)
        || classify::is_encrypted_envelope(v)
        || v.contains("://")
        || v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("~/")
        || is_windows_path(v)
        || names_a_secret(v)
        || classify::is_default_password(v)
        || is_substitution_marker(v)
}

/// Build-time substitution markers: `@ESXI_PASSWORD@`, `@DB_PASSWORD`.
fn is_substitution_marker(v: &str) -> bool {
    let inner = v.trim_start_matches('@').trim_end_matches('@');
    v.starts_with('@')
        && !inner.is_empty()
        && inner
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// `F5_PASSWORD`, `v3AuthPass`: an identifier that names a secret (a variable, a key, an
/// environment variable read) rather than holding one.
fn names_a_secret(v: &str) -> bool {
    v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && classify::is_secret_name(v)
}

/// `C:\Users\…`, `\\server\share`, `..\x`.
fn is_windows_path(v: &str) -> bool {
    let b = v.as_bytes();
    (b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\')
        || v.starts_with("\\\\")
        || v.starts_with("..\\")
        || v.starts_with(".\\")
}

/// A human-chosen password assigned to a password-named key: weaker than a generated secret,
/// so the randomness test does not apply, but it must not be a word, an identifier or one of
/// the defaults that documentation uses (`password123`, `admin`, `changeme!`).
pub fn is_password_value(value: &str) -> bool {
    let v = value.trim();
    if !(6..=128).contains(&v.len())
        || v.bytes()
            .any(|b| b.is_ascii_whitespace() || !b.is_ascii_graphic())
    {
        return false;
    }
    let identifier = v
        .bytes()
        .all(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'-' | b'.'));
    // Format and template slots: `%(password)s`, `{password}`, `:password`.
    let template = v.contains("%(")
        || v.contains("%s")
        || v.contains('{')
        || v.contains('}')
        || v.starts_with(':');
    // Percent-encoded test data (`%3A%40c`) and timestamps are not chosen passwords.
    let encoded = v
        .as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit());
    let digits = v.bytes().filter(u8::is_ascii_digit).count();
    let timestamp = digits * 2 >= v.len()
        && v.bytes()
            .all(|b| b.is_ascii_digit() || b"-:.TZ+/ ".contains(&b));
    if encoded || timestamp {
        return false;
    }
    if is_not_a_literal_secret(v) || identifier || template {
        return false;
    }
    let b = v.as_bytes();
    let classes = [
        b.iter().any(u8::is_ascii_lowercase),
        b.iter().any(u8::is_ascii_uppercase),
        b.iter().any(u8::is_ascii_digit),
        b.iter().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|c| **c).count() < 2 {
        return false;
    }
    // A word and a number (`cisco@123`, `Welcome2024!`, `vssb-789`): the shape of example and
    // default passwords.
    if WORD_AND_NUMBER.is_match(b) {
        return false;
    }
    !classify::is_default_password(v)
}
