//! `k8s/committed-secret`

use super::b64;
use crate::classify;
use crate::declare_rule;
use crate::engine::Cx;
use crate::kinds::entries::{self, Entry, K8sObject};
use crate::kinds::leak;

declare_rule! {
    /// ## What it does
    /// Flags a `kind: Secret` committed with real values: a `data` entry (base64) or a
    /// `stringData` entry whose key is secret-like (`password`, `api-key`, `tls.key`) and whose
    /// (decoded) value is a literal, or whose decoded value matches a provider pattern whatever
    /// its key (the message names the provider), or a `.dockerconfigjson` holding registry
    /// credentials.
    ///
    /// Templated values (`{{ .Values.x | b64enc }}`, `${DB_PASSWORD_BASE64}`), placeholders
    /// (`Y2hhbmdlbWU=` is `changeme`), and entries that are not credentials (`username`) stay
    /// silent, and so do SealedSecret and ExternalSecret objects, which are safe to commit.
    ///
    /// ## Why is this bad?
    /// Base64 is an encoding, not encryption: anyone who can read the repository can decode the
    /// value with `base64 -d`. The credential is in the git history for good.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Secret
    /// data:
    ///   password: N0xneFRpRXN4TCo4bkVKQlQ1
    /// ```
    /// Use instead: keep the Secret out of git (create it with `kubectl create secret` from a
    /// secret store in the pipeline), or commit an encrypted SealedSecret or an ExternalSecret
    /// that points at the store.
    pub static COMMITTED_SECRET = ("k8s/committed-secret", "Secret manifest with real values", Manifest, Error, ["kubernetes"]);
}

const HELP: &str = "Do not commit Secret values: use a SealedSecret, an ExternalSecret or `kubectl create secret` in the pipeline; rotate the leaked value.";

pub fn check(cx: &mut Cx<'_>, obj: &K8sObject<'_>) {
    let secret_name = obj
        .node
        .path(&["metadata", "name"])
        .and_then(|n| n.as_str())
        .unwrap_or("")
        .to_string();
    for entry in entries::k8s_map_entries(obj, "data") {
        if let Some(provider) = judge_encoded(cx, &entry) {
            report(cx, &secret_name, &entry, provider, "data");
        }
    }
    for entry in entries::k8s_map_entries(obj, "stringData") {
        if entry.value.contains('\n') {
            for found in leak::embedded_secrets(cx, entry.value_span.clone()) {
                let note = match (found.provider, &found.name) {
                    (Some(p), _) => format!(" ({})", leak::with_article(&p.name)),
                    (None, Some(name)) => format!(" (`{name}`)"),
                    (None, None) => String::new(),
                };
                let f = cx.report(
                    &COMMITTED_SECRET,
                    found.secret.clone(),
                    format!(
                        "Secret `{secret_name}` has a literal value in `stringData` entry `{}`{note}",
                        entry.name
                    ),
                );
                f.secret = Some(found.secret);
                f.label = "committed secret value".into();
                f.help = Some(HELP.into());
            }
            continue;
        }
        if let Some(found) = leak::judge(cx, &entry.name, &entry.value, entry.value_span.clone()) {
            let note = found.provider_note();
            let f = cx.report(
                &COMMITTED_SECRET,
                entry.value_span.clone(),
                format!(
                    "Secret `{secret_name}` has a literal value for `{}` in `stringData`{note}",
                    entry.name
                ),
            );
            f.secret = Some(found.secret);
            f.label = "committed secret value".into();
            f.help = Some(HELP.into());
        }
    }
}

/// `Some(provider note)` when a base64 `data` value decodes to a credential.
fn judge_encoded(cx: &Cx<'_>, entry: &Entry) -> Option<String> {
    let value = entry.value.trim();
    if classify::is_reference(value) {
        return None;
    }
    let decoded = b64::decode(value)?;
    if decoded.is_empty() {
        return None;
    }
    if let Some((pattern, _)) = cx.settings.patterns.match_value(&decoded) {
        return Some(format!(" ({})", leak::with_article(&pattern.name)));
    }
    let name = entry.name.as_str();
    if let Ok(text) = std::str::from_utf8(&decoded) {
        // A whole file (`application.properties`, `.env`) stored as one entry.
        if text.contains('\n') && leak::text_assigns_secret(text) {
            return Some(String::new());
        }
    }
    if matches!(name, ".dockerconfigjson" | ".dockercfg") {
        return registry_auth(&decoded).then(|| " (container registry credentials)".to_string());
    }
    if !classify::is_secret_name(name) {
        return None;
    }
    match std::str::from_utf8(&decoded) {
        Ok(text) => classify::is_literal_value(text).then(String::new),
        // Binary key material under a secret-like key (a DER private key, a keystore).
        Err(_) => (decoded.len() >= 8).then(String::new),
    }
}

/// A Docker config JSON with a non-empty `auth` or `password`.
fn registry_auth(decoded: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(decoded) else {
        return false;
    };
    ["\"auth\"", "\"password\""].iter().any(|key| {
        text.match_indices(key).any(|(i, _)| {
            let rest = text[i + key.len()..].trim_start();
            let Some(rest) = rest.strip_prefix(':') else {
                return false;
            };
            let Some(rest) = rest.trim_start().strip_prefix('"') else {
                return false;
            };
            let value = rest.split('"').next().unwrap_or("");
            classify::is_literal_value(value)
        })
    })
}

fn report(cx: &mut Cx<'_>, secret_name: &str, entry: &Entry, note: String, field: &str) {
    let secret = leak::unquoted(cx.text(), entry.value_span.clone());
    let f = cx.report(
        &COMMITTED_SECRET,
        entry.value_span.clone(),
        format!(
            "Secret `{secret_name}` has a real value for `{}` in `{field}`{note}: base64 is not encryption",
            entry.name
        ),
    );
    f.secret = Some(secret);
    f.label = "committed secret value".into();
    f.help = Some(HELP.into());
}

#[cfg(test)]
mod tests {
    use super::registry_auth;

    #[test]
    fn docker_config_json() {
        assert!(registry_auth(
            br#"{"auths":{"ghcr.io":{"auth":"dXNlcjpnaHBfc2VjcmV0"}}}"#
        ));
        assert!(!registry_auth(br#"{"auths":{"ghcr.io":{"auth":""}}}"#));
        assert!(!registry_auth(br#"{"auths":{}}"#));
    }
}
