//! `.env` files: parsed once ([`parse`]), then the `dotenv/` rules and the placeholder rule
//! read the model, and the names it defines go to the repository-wide pass.

pub mod duplicate_key;
pub mod empty_sdk_key;
pub mod parse;
pub mod stray_quotes;
pub mod value_whitespace;

use crate::classify;
use crate::engine::Cx;
use crate::file_kind::FileKind;
use crate::kinds::placeholder;
use crate::repo::sdk_names::SdkNames;
use crate::repo::EnvName;

/// Is `key` worth judging as a credential: a secret-like name, or a name an SDK reads
/// (whose value it sends as written: `AWS_REGION="us-east-1 "` breaks the endpoint).
pub fn is_sensitive_key(key: &str) -> bool {
    classify::is_secret_name(key) || SdkNames::embedded().lookup(key).is_some()
}

/// Checks a dotenv file.
pub fn check(cx: &mut Cx<'_>) {
    let FileKind::Dotenv { template } = cx.file.kind else {
        return;
    };
    let env = parse::parse(cx.text());
    for e in &env.entries {
        cx.facts.env_defs.push(EnvName {
            name: e.key.clone(),
            span: e.key_span.clone(),
        });
    }
    cx.facts.dotenv = !template;
    if cx.enabled(&duplicate_key::DUPLICATE_KEY) {
        duplicate_key::check(cx, &env);
    }
    if cx.enabled(&stray_quotes::STRAY_QUOTES) {
        stray_quotes::check(cx, &env);
    }
    if template {
        // templates document the variables: placeholders and blanks belong there
        return;
    }
    if cx.enabled(&value_whitespace::VALUE_WHITESPACE) {
        value_whitespace::check(cx, &env);
    }
    if cx.enabled(&empty_sdk_key::EMPTY_SDK_KEY) {
        empty_sdk_key::check(cx, &env);
    }
    if cx.enabled(&placeholder::PLACEHOLDER_IN_RUNTIME_CONFIG) {
        for e in &env.entries {
            if e.value.is_some() && !e.inner_span.is_empty() {
                placeholder::check_value(cx, &e.key, e.inner_span.clone());
            }
        }
    }
}
