//! The judgement the Dockerfile and manifest rules share: does this name/value pair, read
//! from a typed model, leak a secret? Each rule decides where to look; this decides what
//! counts, so `ENV`, compose `environment:`, Kubernetes `env` and workflow `env:` agree.

use crate::classify;
use crate::engine::Cx;
use crate::patterns::Pattern;
use std::ops::Range;

/// A leaked value.
pub struct Leak<'a> {
    /// The provider pattern the value matched, if any (named in the message).
    pub provider: Option<&'a Pattern>,
    /// The secret's byte range: the provider match, or the value without its quotes.
    pub secret: Range<usize>,
}

impl Leak<'_> {
    /// ` (a GitHub personal access token)` when a provider matched, else empty.
    pub fn provider_note(&self) -> String {
        match self.provider {
            Some(p) => format!(" ({})", with_article(&p.name)),
            None => String::new(),
        }
    }
}

pub fn with_article(name: &str) -> String {
    let vowel = name
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {name}", if vowel { "an" } else { "a" })
}

/// Judges `name` set to `value` (unquoted) written at `value_span` (raw, quotes included).
///
/// A provider pattern matching the value is a leak whatever the name is (`SLACK_WEBHOOK_URL`
/// holding a webhook, `DATABASE_URL` with a password); otherwise the name must be secret-like
/// and the value a literal ([`classify::is_literal_secret`]).
pub fn judge<'a>(
    cx: &Cx<'a>,
    name: &str,
    value: &str,
    value_span: Range<usize>,
) -> Option<Leak<'a>> {
    if let Some((pattern, secret)) = cx.provider_match(value_span.clone()) {
        return Some(Leak {
            provider: Some(pattern),
            secret,
        });
    }
    if classify::is_literal_secret(name, value) {
        return Some(Leak {
            provider: None,
            secret: unquoted(cx.text(), value_span),
        });
    }
    None
}

/// Every provider secret inside `span` (a `RUN` command, a ConfigMap file body), in order.
pub fn provider_secrets<'a>(cx: &Cx<'a>, span: Range<usize>) -> Vec<(&'a Pattern, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = span.start;
    while start < span.end {
        let Some((pattern, secret)) = cx.provider_match(start..span.end) else {
            break;
        };
        start = secret.end.max(start + 1);
        out.push((pattern, secret));
    }
    out
}

/// The span without one pair of surrounding quotes.
pub fn unquoted(text: &str, span: Range<usize>) -> Range<usize> {
    let raw = text.as_bytes().get(span.clone()).unwrap_or_default();
    if raw.len() >= 2 && matches!(raw[0], b'"' | b'\'') && raw[raw.len() - 1] == raw[0] {
        span.start + 1..span.end - 1
    } else {
        span
    }
}

/// Reports a leaked manifest entry (compose, Kubernetes, workflow) at its value:
/// "`NAME` in `place` is a literal secret (a … token)" with the fix for that file kind.
pub fn report_entry(
    cx: &mut Cx<'_>,
    rule: &'static crate::rule::Rule,
    entry: &crate::kinds::entries::Entry,
    found: Leak<'_>,
    help: &str,
) {
    let note = found.provider_note();
    let f = cx.report(
        rule,
        entry.value_span.clone(),
        format!(
            "`{}` in `{}` is a literal secret{note}",
            entry.name, entry.place
        ),
    );
    f.secret = Some(found.secret);
    f.label = "literal secret".into();
    f.help = Some(help.to_string());
}

/// A secret inside an embedded file.
pub struct Embedded<'a> {
    /// The provider pattern that matched, if any.
    pub provider: Option<&'a Pattern>,
    /// The key the secret is assigned to, when found by name.
    pub name: Option<String>,
    /// The secret's byte range.
    pub secret: Range<usize>,
}

/// `name: value` or `name=value` at the start of a line (YAML, properties, INI, dotenv).
static EMBEDDED_ASSIGNMENT: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(
    || {
        regex::Regex::new(
            r#"(?m)^[ \t]*(?:- )?(?:export[ \t]+)?["']?([A-Za-z_][A-Za-z0-9_.\-]*)["']?[ \t]*[:=][ \t]*["']?([^\s"',#]{6,})"#,
        )
        .ok()
    },
);

/// Secrets inside a file embedded in a manifest value (a ConfigMap entry holding
/// `application.yml`, a Secret's `stringData` holding a `.properties` body): provider secrets
/// anywhere, and lines assigning a random-looking literal to a secret-like name (the generic
/// detector's test), so the finding belongs to the manifest rule rather than the generic one.
pub fn embedded_secrets<'a>(cx: &Cx<'a>, span: Range<usize>) -> Vec<Embedded<'a>> {
    let mut out: Vec<Embedded<'a>> = provider_secrets(cx, span.clone())
        .into_iter()
        .map(|(p, secret)| Embedded {
            provider: Some(p),
            name: None,
            secret,
        })
        .collect();
    let Some(re) = EMBEDDED_ASSIGNMENT.as_ref() else {
        return out;
    };
    let text = cx.text();
    let Some(body) = text.get(span.clone()) else {
        return out;
    };
    for caps in re.captures_iter(body) {
        let (Some(name), Some(value)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let secret = span.start + value.start()..span.start + value.end();
        if out
            .iter()
            .any(|e| e.secret.start < secret.end && secret.start < e.secret.end)
        {
            continue;
        }
        if classify::is_secret_name(name.as_str())
            && crate::kinds::generic_secret::is_secret_value(value.as_str())
        {
            out.push(Embedded {
                provider: None,
                name: Some(name.as_str().to_string()),
                secret,
            });
        }
    }
    out.sort_by_key(|e| e.secret.start);
    out
}

/// Whether decoded file content (a base64 Secret value) assigns a random-looking literal to a
/// secret-like name on one of its lines.
pub fn text_assigns_secret(content: &str) -> bool {
    let Some(re) = EMBEDDED_ASSIGNMENT.as_ref() else {
        return false;
    };
    re.captures_iter(content)
        .any(|caps| match (caps.get(1), caps.get(2)) {
            (Some(name), Some(value)) => {
                classify::is_secret_name(name.as_str())
                    && crate::kinds::generic_secret::is_secret_value(value.as_str())
            }
            _ => false,
        })
}
