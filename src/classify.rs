//! The shared judgements every rule uses: is this name secret-like, is this value a reference
//! (or template) rather than a literal, is it a placeholder. One module, extended rather than
//! copied, so Dockerfile, compose, Kubernetes, workflow, dotenv and the generic detector agree.

/// Splits a name into lowercase tokens on `_`, `-`, `.`, spaces and camelCase boundaries:
/// `awsSecretAccessKey` → `aws secret access key`, `OPENAI_API_KEY` → `openai api key`.
pub fn name_tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            // fooBar | HTTPServer (split before the last capital of a run when a lowercase follows)
            if prev.is_lowercase() || (prev.is_uppercase() && next_lower) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Tokens that make a name secret-like on their own.
const SECRET_TOKENS: &[&str] = &[
    "key",
    "apikey",
    "secret",
    "secrets",
    "token",
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "credential",
    "credentials",
    "cred",
    "creds",
    "auth",
    "private",
    "privatekey",
    "accesskey",
    "secretkey",
    "apitoken",
    "authtoken",
    "bearer",
    "pat",
    "dsn",
    "signingkey",
    "webhook",
    "connectionstring",
    "connstr",
];

/// Tokens that mark a non-secret qualifier: the name holds a path, an id, a URL, a switch …
const QUALIFIER_TOKENS: &[&str] = &[
    // Facts about a secret rather than the secret: `last_password_change`, `PasswordLastUsed`,
    // `password_error_message`.
    "last",
    "used",
    "change",
    "changed",
    "updated",
    "created",
    "date",
    "time",
    "age",
    "history",
    "complexity",
    "validator",
    "validation",
    "error",
    "errors",
    "message",
    "msg",
    "text",
    "title",
    "description",
    "help",
    "button",
    "file",
    "files",
    "path",
    "dir",
    "directory",
    "url",
    "uri",
    "endpoint",
    "host",
    "hostname",
    "port",
    "name",
    "names",
    "id",
    "ids",
    "version",
    "mode",
    "type",
    "length",
    "len",
    "ttl",
    "timeout",
    "enabled",
    "enable",
    "disabled",
    "region",
    "alias",
    "public",
    "publishable",
    "sock",
    "socket",
    "prompt",
    "header",
    "format",
    "location",
    "expiry",
    "expires",
    "expiration",
    "size",
    "count",
    "field",
    "prefix",
    "suffix",
    "hint",
    "policy",
    "rotation",
    "arn",
    "ref",
    "label",
    "min",
    "max",
    "required",
    "reset",
    "store",
    "provider",
    "algorithm",
    "algo",
    "module",
    "user",
    "username",
    "email",
    "scope",
    "scopes",
    "kind",
    "hash",
    "digest",
    "salt",
    "placeholder",
    "fingerprint",
    "checksum",
    "encoding",
    "pattern",
    "regex",
    "level",
    "strength",
    "policy",
    // `GPG_KEY`, `PGP_KEYS`: the fingerprint of a public signing key used to verify downloads
    // (the official Docker images set `ENV GPG_KEY <fingerprint>`), never a private key.
    "gpg",
    "gnupg",
    "pgp",
];

/// `NEXT_PUBLIC_…`, `VITE_…`-style prefixes mean the value is shipped to browsers on purpose.
const PUBLIC_PREFIXES: &[&str] = &[
    "NEXT_PUBLIC_",
    "REACT_APP_PUBLIC_",
    "NUXT_PUBLIC_",
    "PUBLIC_",
    "EXPO_PUBLIC_",
    "GATSBY_PUBLIC_",
];

/// Is `name` (an environment variable, a config key, an identifier) the name of a secret?
///
/// Token-based, never substring-based: `MONKEY`, `GOPRIVATE` and `KEYBOARD` are not keys;
/// `KEY_NAME`, `SSH_AUTH_SOCK`, `TOKEN_URL`, `AWS_ACCESS_KEY_ID` and `PUBLIC_KEY` are not secrets.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if PUBLIC_PREFIXES.iter().any(|p| upper.starts_with(p)) {
        return false;
    }
    let tokens = name_tokens(name);
    let is_secret_token = |t: &String| {
        SECRET_TOKENS.contains(&t.as_str())
            // glued words such as `apikey`, `secretkey`, `authtoken`, `dbpassword`
            || (t.len() > 6
                && (t.ends_with("password") || t.ends_with("secret") || t.ends_with("token") || t.ends_with("apikey")))
    };
    let Some(last_secret) = tokens.iter().rposition(is_secret_token) else {
        return false;
    };
    // A qualifier after the secret word names something about the secret (`TOKEN_URL`,
    // `PASSWORD_FILE`, `AWS_ACCESS_KEY_ID`); before it, only a few qualifiers change what the
    // value is (`PUBLIC_KEY`, `KEY_HASH`…), while `USER_PASSWORD` or `user_auth` stay secrets.
    if tokens[last_secret + 1..]
        .iter()
        .any(|t| QUALIFIER_TOKENS.contains(&t.as_str()))
    {
        return false;
    }
    // `GPG_KEY`, `PGP_KEYS`: the fingerprint of a public signing key (a `GPG_PASSPHRASE` is
    // still a secret).
    let signing_key_id = matches!(tokens[last_secret].as_str(), "key" | "keys")
        && tokens[..last_secret]
            .iter()
            .any(|t| matches!(t.as_str(), "gpg" | "gnupg" | "pgp"));
    !signing_key_id
        && !tokens[..last_secret]
            .iter()
            .any(|t| PREFIX_QUALIFIER_TOKENS.contains(&t.as_str()))
}

/// Qualifiers that, placed before the secret word, still mean the value is not a secret.
const PREFIX_QUALIFIER_TOKENS: &[&str] = &[
    "public",
    "publishable",
    "pub",
    "min",
    "max",
    "hash",
    "hashed",
    "digest",
    "fingerprint",
    "checksum",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "primary",
    "foreign",
    "partition",
    "sort",
    "idempotency",
    "cache",
    "encrypted",
    "enc",
    "sealed",
    "masked",
    "dummy",
    "fake",
    "mock",
    "sample",
    "example",
    "no",
    "without",
    "missing",
    "invalid",
    "bad",
    "wrong",
    "empty",
    "known",
    "next",
    "prev",
    "previous",
    "page",
    "continuation",
    "cursor",
    "csrf",
    "xsrf",
    "i18n",
    "translation",
    "label",
];

/// Is the name's secret word a password (a human-chosen secret, weaker than a generated key)?
pub fn is_password_name(name: &str) -> bool {
    if !is_secret_name(name) {
        return false;
    }
    name_tokens(name).iter().any(|t| {
        matches!(
            t.as_str(),
            "password" | "passwd" | "pwd" | "passphrase" | "pass" | "passwort" | "pw"
        ) || (t.len() > 8 && t.ends_with("password"))
    })
}

/// `8-4-4-4-12` hexadecimal.
pub fn is_uuid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Ciphertext envelopes that are safe to commit: SOPS `ENC[AES256_GCM,…]`, Ansible Vault,
/// `!vault`, git-crypt/age armour markers.
pub fn is_encrypted_envelope(v: &str) -> bool {
    // `U2FsdGVkX1` is base64 of OpenSSL's `Salted__` header: an `openssl enc` ciphertext.
    v.starts_with("U2FsdGVkX1")
        || v.starts_with("ENC[")
        || v.starts_with("$ANSIBLE_VAULT")
        || v.starts_with("!vault")
        || v.starts_with("AGE-ENCRYPTED")
}

/// Default and documentation passwords: a common word (`password`, `admin`, `changeme`,
/// `secret`, `test` …) with digits or symbols around it (`Password123!`, `admin@123`).
pub fn is_default_password(v: &str) -> bool {
    let letters: String = v
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "password",
        "passwd",
        "pass",
        "pwd",
        "admin",
        "administrator",
        "root",
        "secret",
        "changeme",
        "change",
        "test",
        "testing",
        "tester",
        "demo",
        "default",
        "example",
        "sample",
        "guest",
        "user",
        "qwerty",
        "letmein",
        "welcome",
        "login",
        "mypassword",
        "mysecret",
        "yourpassword",
        "pa",
        "p",
        "abc",
        "abcdef",
        "foo",
        "bar",
        "foobar",
        "hello",
        "dev",
        "local",
        "docker",
        "postgres",
        "mysql",
        "redis",
        "rabbit",
        "rabbitmq",
        "guest",
        "secretpassword",
        "supersecret",
        "adminpassword",
        "userpassword",
        "testpassword",
        "dbpassword",
        "rootpassword",
        "mongo",
        "mongodb",
        "keycloak",
        "minio",
        "minioadmin",
        "elastic",
        "changeit",
        "qwertyuiop",
        "asdf",
        "asdfgh",
        "hunter",
        "s",
        "",
    ];
    if WORDS.contains(&letters.as_str()) || is_placeholder(v) {
        return true;
    }
    // Leetspeak spellings of the classics: `P@ssw0rd!`, `s3cr3t`, `Adm1n`.
    let unleet: String = v
        .chars()
        .filter_map(|c| match c.to_ascii_lowercase() {
            '0' => Some('o'),
            '@' | '4' => Some('a'),
            '$' | '5' => Some('s'),
            '1' | '!' => Some('i'),
            '3' => Some('e'),
            '7' => Some('t'),
            c if c.is_ascii_lowercase() => Some(c),
            _ => None,
        })
        .collect();
    const CLASSICS: &[&str] = &[
        "password", "passwort", "passwd", "admin", "letmein", "welcome", "qwerty", "secret",
        "changeme",
    ];
    CLASSICS.iter().any(|w| unleet.trim_end_matches('i') == *w)
}

/// Is the value a reference to something else rather than a literal?
/// `$X`, `${X}` (but `${X:-literal}` is judged by its default), `$(cmd)`, `{{ … }}`, `${{ … }}`,
/// `%VAR%`, `os.environ[...]`, `process.env.X`, a path under `/run/secrets/`.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    if let Some(default) = interpolation_default(v) {
        return is_reference(default) && !default.is_empty() || default.is_empty();
    }
    if v.starts_with('$') || v.starts_with("%") && v.ends_with('%') && v.len() > 2 {
        return true;
    }
    if v.contains("{{") && v.contains("}}") {
        return true;
    }
    if v.contains("${") || v.contains("$(") {
        return true;
    }
    if v.starts_with("/run/secrets/") || v.starts_with("/var/run/secrets/") {
        return true;
    }
    const CODE_REFS: &[&str] = &[
        "os.environ",
        "os.getenv",
        "process.env",
        "env::var",
        "System.getenv",
        "ENV[",
        "ENV.fetch",
        "getenv(",
        "import.meta.env",
        "Deno.env",
        "secrets.",
        "vault:",
        "ref+",
        "arn:aws:secretsmanager",
    ];
    CODE_REFS.iter().any(|r| v.contains(r))
}

/// For `${X:-default}`, `${X-default}`, `${X:=default}` return `default`.
pub fn interpolation_default(v: &str) -> Option<&str> {
    let inner = v.strip_prefix("${")?.strip_suffix('}')?;
    let pos = inner.find([':', '-', '='])?;
    let (name, rest) = inner.split_at(pos);
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let rest = rest.trim_start_matches(':');
    let rest = rest.strip_prefix('-').or_else(|| rest.strip_prefix('='))?;
    if rest.starts_with('?') {
        return Some("");
    }
    Some(rest)
}

/// Could this value, set for a secret-like name in a config file (a Dockerfile `ENV`, a compose
/// `environment:` entry, a Kubernetes `env` value, a workflow `env:`), be the secret itself?
///
/// Not when it is a reference or template (`$X`, `${X}`, `{{ }}`, `${{ secrets.X }}`, a
/// `/run/secrets/` path), a setting (boolean, number, mode word), a placeholder, a documented
/// example, a file path, or a URL without credentials in it (`TOKEN_ENDPOINT`-style values
/// under a name the qualifiers missed). `${X:-default}` is judged by its default.
pub fn is_literal_value(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty()
        || is_reference(v)
        || is_trivial_value(v)
        || is_placeholder(v)
        || is_documented_example(v)
    {
        return false;
    }
    if v.starts_with('/') || v.starts_with("./") || v.starts_with("../") || v.starts_with("~/") {
        return false;
    }
    if let Some((scheme, rest)) = v.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+')
            && !authority.contains('@')
        {
            return false;
        }
    }
    true
}

/// The password of a URL with credentials in it (`https://deploy:s3cr3t@pypi.example.com/`),
/// as a byte range of `text`, when it is a literal (not `$VAR`, not a placeholder). Every URL
/// in `text` is looked at.
pub fn url_passwords(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("://") {
        let scheme_ok = text[..at]
            .bytes()
            .next_back()
            .is_some_and(|b| b.is_ascii_alphanumeric());
        if !scheme_ok {
            continue;
        }
        let start = at + 3;
        let rest = &text[start..];
        let end = rest
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '/' | '?' | '#' | '"' | '\'' | '`' | '>' | '<')
            })
            .unwrap_or(rest.len());
        let authority = &rest[..end];
        let Some(userinfo_end) = authority.rfind('@') else {
            continue;
        };
        let userinfo = &authority[..userinfo_end];
        let Some(colon) = userinfo.find(':') else {
            continue;
        };
        let password = &userinfo[colon + 1..];
        if password.len() < 3 || !is_literal_value(password) || password.contains(['$', '{', '%']) {
            continue;
        }
        let p_start = start + colon + 1;
        out.push(p_start..p_start + password.len());
    }
    out
}

/// A secret-like name set to a literal value: the name-based half of the Dockerfile and
/// manifest rules (the other half is a provider pattern matching the value, whatever the name).
///
/// A value that only repeats a word of its own name (`POSTGRES_PASSWORD: postgres` for a CI
/// service container, `RABBITMQ_PASSWORD=rabbitmq`) is the image's documented default for a
/// throwaway instance: it tells nothing the name does not, so it is not a leak.
pub fn is_literal_secret(name: &str, value: &str) -> bool {
    if !is_secret_name(name) || !is_literal_value(value) {
        return false;
    }
    let v = value.trim().to_ascii_lowercase();
    !name_tokens(name).contains(&v)
}

/// Booleans, numbers and short mode words are settings, not secrets.
pub fn is_trivial_value(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "none", "null", "nil", "disabled", "enabled",
        "disable", "enable", "required", "optional", "auto", "default", "empty", "unset", "n/a",
        "na", "any", "all", "0", "1",
    ];
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    v.parse::<f64>().is_ok()
}

/// Is the value a placeholder someone forgot to fill in: `YOUR_API_KEY`, `sk-YOUR_KEY_HERE`,
/// `<your-key>`, `changeme`, `xxxx…`, `***`, `...`, `TODO`, `insert…`, `dummy`, `example` …
/// Case-insensitive and token-aware.
pub fn is_placeholder(value: &str) -> bool {
    let v = value
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '`');
    if v.is_empty() {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('[') && v.ends_with(']') && v.len() > 2)
    {
        return true;
    }
    // Runs of mask characters: `xxxxxxxx`, `********`, `....`, `#####`, `000000`.
    let body: String = lower
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '*' | '.' | '#' | '?'))
        .collect();
    let stripped = strip_known_prefix(&body);
    if stripped.len() >= 3 {
        let first = stripped.chars().next().unwrap_or('x');
        if matches!(
            first,
            'x' | '*' | '.' | '#' | '0' | '?' | 'a' | 'z' | 'y' | '1' | '9'
        ) && stripped.chars().all(|c| c == first)
        {
            return true;
        }
    }
    if lower.contains("...") || lower.contains("…") {
        return true;
    }
    let tokens = name_tokens(v);
    const WORDS: &[&str] = &[
        "your",
        "yours",
        "here",
        "changeme",
        "change",
        "replace",
        "replaceme",
        "todo",
        "fixme",
        "tbd",
        "insert",
        "dummy",
        "example",
        "examples",
        "placeholder",
        "sample",
        "fake",
        "redacted",
        "foobar",
        "xxx",
        "mykey",
        "mytoken",
        "mysecret",
        "mypassword",
        "notreal",
        "notasecret",
        "enter",
        "fill",
        "put",
        "paste",
        "add",
        "goes",
        "test",
    ];
    let hits = tokens
        .iter()
        .filter(|t| WORDS.contains(&t.as_str()))
        .count();
    if tokens.iter().any(|t| {
        matches!(
            t.as_str(),
            "your"
                | "changeme"
                | "replaceme"
                | "placeholder"
                | "redacted"
                | "insert"
                | "todo"
                | "fixme"
        )
    }) {
        return true;
    }
    if lower.contains("your_")
        || lower.contains("your-")
        || lower.contains("_here")
        || lower.contains("-here")
        || lower.starts_with("insert")
        || lower.starts_with("enter")
    {
        return true;
    }
    // `change-me`, `replace_me`, `test-key`, `dummy-token`, `example` alone, `fake-secret`.
    if hits >= 1 && tokens.len() <= 3 && !looks_random(v) {
        return true;
    }
    matches!(
        lower.as_str(),
        "password"
            | "secret"
            | "token"
            | "apikey"
            | "api_key"
            | "pass"
            | "passw0rd"
            | "p@ssw0rd"
            | "admin"
            | "root"
            | "test"
            | "testing"
    )
}

fn strip_known_prefix(s: &str) -> &str {
    for p in [
        "skproj", "skant", "sk", "ghp", "glpat", "xoxb", "pk", "rk", "akia",
    ] {
        if let Some(rest) = s.strip_prefix(p) {
            return rest;
        }
    }
    s
}

/// `AKIA1234567890ABCDEF`, `sk-abcdefghijklmnop`: a value made mostly of runs in alphabet
/// order (`1234…`, `abcd…`) was typed by a person, not drawn at random, so a provider pattern
/// matching it is a false alarm. Runs of four or more must cover at least 12 characters and
/// 60% of the value's letters and digits, so a real key that merely ends in `1234567890` is
/// still judged on the rest. (Not a placeholder either: an alphabet constant such as
/// `"0123456789abcdef…"` is neither a secret nor a value someone forgot to fill in.)
pub fn is_typed_sequence(value: &str) -> bool {
    has_keyboard_run(&value.to_ascii_lowercase())
}

fn has_keyboard_run(lower: &str) -> bool {
    let alnum = lower.bytes().filter(u8::is_ascii_alphanumeric).count();
    let mut covered = 0;
    let mut run = 1;
    let mut prev: Option<u8> = None;
    for b in lower.bytes() {
        if prev.is_some_and(|p| p.is_ascii_alphanumeric() && b == p + 1) {
            run += 1;
        } else {
            if run >= 4 {
                covered += run;
            }
            run = 1;
        }
        prev = Some(b);
    }
    if run >= 4 {
        covered += run;
    }
    covered >= 12 && covered * 10 >= alnum * 6
}

/// A quick randomness judgement for values: long enough, several character classes, varied.
/// Used to tell `test-key` (a placeholder) from `test-9fQz…` (a real key that contains "test").
pub fn looks_random(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() < 12 {
        return false;
    }
    let classes = [
        b.iter().any(u8::is_ascii_lowercase),
        b.iter().any(u8::is_ascii_uppercase),
        b.iter().any(u8::is_ascii_digit),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    classes >= 2 && shannon_entropy(b) >= 3.0
}

/// Shannon entropy in bits per byte.
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Well-known example credentials from providers' documentation: never a finding.
pub fn is_documented_example(secret: &str) -> bool {
    const EXAMPLES: &[&str] = &[
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        // The jwt.io sample token's signature.
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        // The jwt.io sample payload (`{"sub":"1234567890","name":"John Doe"…`), whatever the
        // algorithm and signature.
        "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lI",
    ];
    // AWS documentation marks every sample credential, session tokens included, with an
    // upper-case `EXAMPLE` inside the value (`AKIDEXAMPLE`, `AQoEXAMPLEH4aoAH0gNCAPy…`).
    EXAMPLES.iter().any(|e| secret.contains(e)) || secret.contains("EXAMPLE")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert_eq!(name_tokens("OPENAI_API_KEY"), ["openai", "api", "key"]);
        assert_eq!(
            name_tokens("awsSecretAccessKey"),
            ["aws", "secret", "access", "key"]
        );
        assert_eq!(name_tokens("HTTPServerToken"), ["http", "server", "token"]);
        assert_eq!(name_tokens("db.password"), ["db", "password"]);
    }

    #[test]
    fn secret_names() {
        for n in [
            "OPENAI_API_KEY",
            "api_key",
            "apiKey",
            "SECRET",
            "DB_PASSWORD",
            "GITHUB_TOKEN",
            "client_secret",
            "AWS_SECRET_ACCESS_KEY",
            "SLACK_WEBHOOK",
            "dbPassword",
            "MYSQL_ROOT_PASSWORD",
            "AUTH_TOKEN",
            "PRIVATE_KEY",
            "SECRET_KEY_BASE",
        ] {
            assert!(is_secret_name(n), "{n} should be secret-like");
        }
        for n in [
            "MONKEY",
            "GOPRIVATE",
            "KEYBOARD",
            "KEY_NAME",
            "KMS_KEY_ALIAS",
            "SSH_AUTH_SOCK",
            "SSH_KEY_DIR",
            "SESSION_SECRET_FILE",
            "AUTH_MODULE_VERSION",
            "TOKEN_URL",
            "SECRETS_DIR",
            "PASSWORD_PROMPT_STRING",
            "AUTH_MODE",
            "PUBLIC_KEY",
            "NEXT_PUBLIC_STRIPE_KEY",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "FACEBOOK_APP_ID",
            "AWS_ACCESS_KEY_ID",
            "CLIENT_ID",
            "PATH",
            "HOME",
            "LOG_LEVEL",
        ] {
            assert!(!is_secret_name(n), "{n} should not be secret-like");
        }
    }

    #[test]
    fn references() {
        for v in [
            "$X",
            "${X}",
            "$(cat /x)",
            "{{ .Values.key }}",
            "${{ secrets.KEY }}",
            "%KEY%",
            "/run/secrets/db",
            "${X:-}",
            "${X:?required}",
            "",
        ] {
            assert!(is_reference(v), "{v}");
        }
        for v in ["hunter2hunter2", "${X:-s3cr3tValue99}", "abc$"] {
            assert!(!is_reference(v), "{v}");
        }
        assert_eq!(interpolation_default("${X:-abc}"), Some("abc"));
        assert_eq!(interpolation_default("${X-abc}"), Some("abc"));
    }

    #[test]
    fn placeholders() {
        for v in [
            "YOUR_API_KEY",
            "sk-YOUR_KEY_HERE",
            "<your-key>",
            "changeme",
            "change-me",
            "replace_me",
            "xxxxxxxx",
            "********",
            "...",
            "TODO",
            "insert-key",
            "dummy",
            "example",
            "placeholder",
            "test-key",
            "sk-xxxxxxxxxxxxxxxxxxxx",
            "sk-proj-YOUR_OPENAI_API_KEY_HERE",
            "<token>",
            "REPLACE_ME",
        ] {
            assert!(is_placeholder(v), "{v} should be a placeholder");
        }
        for v in [
            "sk-proj-4fGh7Kq2mN9pX3rT8vW1yZ6bC5dE0aQ",
            "hunter2isnotit9Qz",
            "a8f5f167f44f4964e6c998dee827110c",
            "Xq7fW2pLk9Zr4TbN8vHs1234567890",
            "0123456789abcdefghijklmnopqrstuvwxyz_-.",
        ] {
            assert!(!is_placeholder(v), "{v} should not be a placeholder");
        }
        for v in ["AKIA1234567890ABCDEF", "sk-abcdefghijklmnop1234"] {
            assert!(is_typed_sequence(v), "{v} is typed");
        }
        assert!(!is_typed_sequence("Xq7fW2pLk9Zr4TbN8vHs1234567890"));
    }

    #[test]
    fn url_credentials() {
        let t =
            "pip install --extra-index-url https://deploy:Xk29fjQmZ83@pypi.example.com/simple app";
        let found = url_passwords(t);
        assert_eq!(found.len(), 1);
        assert_eq!(&t[found[0].clone()], "Xk29fjQmZ83");
        for t in [
            "https://user:${TOKEN}@host/x",
            "https://$USER:$PASS@host",
            "https://host/path?x=a:b@c",
            "https://user@host",
            "postgres://app:changeme@db/app",
            "see https://example.com",
        ] {
            assert!(url_passwords(t).is_empty(), "{t}");
        }
    }

    #[test]
    fn literal_values() {
        for v in [
            "tvO3R8XwCv%mN8OkLk",
            "s3cr3t-Value",
            "postgres://u:pw@db/x",
            "${X:-hunter2hunter2}",
        ] {
            assert!(is_literal_value(v), "{v} should be a literal");
        }
        for v in [
            "",
            "$X",
            "${X}",
            "${X:?required}",
            "{{ .Values.pw }}",
            "${{ secrets.X }}",
            "/run/secrets/pw",
            "true",
            "3600",
            "none",
            "changeme",
            "YOUR_TOKEN_HERE",
            "/etc/app/key.pem",
            "./key",
            "https://auth.example.com/oauth/token",
            "AKIAIOSFODNN7EXAMPLE",
        ] {
            assert!(!is_literal_value(v), "{v:?} should not be a literal");
        }
        assert!(is_literal_secret(
            "MYSQL_ROOT_PASSWORD",
            "tvO3R8XwCv%mN8OkLk"
        ));
        assert!(!is_literal_secret(
            "GPG_KEY",
            "7169605F62C751356D054A26A821E680E5FA6305"
        ));
        assert!(!is_literal_secret("API_KEY_HEADER", "X-Api-Key"));
        assert!(!is_literal_secret("PASSWORD_MIN_LENGTH", "12"));
        assert!(!is_literal_secret("POSTGRES_PASSWORD", "postgres"));
        assert!(is_literal_secret("POSTGRES_PASSWORD", "pg-8Kq2xRt7Lm"));
    }

    #[test]
    fn entropy() {
        assert!(shannon_entropy(b"aaaa") < 0.01);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn qualifier_position() {
        for n in [
            "user_auth",
            "DB_USER_PASSWORD",
            "GPG_PASSPHRASE",
            "id_token",
            "refresh_token",
        ] {
            assert!(is_secret_name(n), "{n} should be secret-like");
        }
        for n in [
            "GPG_KEY",
            "password_hash",
            "PUBLIC_KEY",
            "cache_key",
            "next_page_token",
            "PASSWORD_USER",
        ] {
            assert!(!is_secret_name(n), "{n} should not be secret-like");
        }
        assert!(is_password_name("DB_PASSWORD"));
        assert!(is_password_name("my_password"));
        assert!(!is_password_name("API_TOKEN"));
    }

    #[test]
    fn default_passwords_uuids_and_envelopes() {
        for v in [
            "password123",
            "P@ssw0rd!",
            "s3cr3t",
            "Adm1n",
            "admin@123",
            "hunter2",
            "changeme!",
        ] {
            assert!(is_default_password(v), "{v} is a default password");
        }
        for v in ["super$ecret", "Tr4ck-mild!42", "xK9#mP2q"] {
            assert!(!is_default_password(v), "{v} is not a default password");
        }
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000"));
        assert!(is_encrypted_envelope(
            "ENC[AES256_GCM,data:abc,iv:def,type:str]"
        ));
        assert!(is_encrypted_envelope("$ANSIBLE_VAULT;1.1;AES256"));
    }
}
