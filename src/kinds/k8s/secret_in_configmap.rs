//! `k8s/secret-in-configmap`

use crate::declare_rule;
use crate::engine::Cx;
use crate::kinds::entries::{self, K8sObject};
use crate::kinds::leak;

declare_rule! {
    /// ## What it does
    /// Flags a ConfigMap `data` entry with a secret-like key and a literal one-line value
    /// (`API_TOKEN: 9f2c...`), and any provider secret inside a `data` value, including a
    /// whole configuration file embedded as a block (`application.yml: |`).
    ///
    /// ## Why is this bad?
    /// ConfigMaps are not confidential: they are not encrypted at rest by default, their
    /// read access is granted broadly, and they are printed by `kubectl describe`. Credentials
    /// belong in a Secret (or an external secret store).
    ///
    /// ## Example
    /// ```yaml
    /// kind: ConfigMap
    /// data:
    ///   STRIPE_SECRET_KEY: sk_live_...
    /// ```
    /// Use instead: a Secret (created out of band, or a SealedSecret/ExternalSecret in git),
    /// consumed with `envFrom.secretRef` or `valueFrom.secretKeyRef`.
    ///
    /// ## References
    /// - <https://kubectl.docs.kubernetes.io/references/kubectl/create/configmap> ("ConfigMap does not
    ///   provide secrecy or encryption")
    pub static SECRET_IN_CONFIGMAP = ("k8s/secret-in-configmap", "Secret in ConfigMap", Manifest, Error, ["kubernetes"]);
}

const HELP: &str = "Move it to a Secret (or an external secret store) and reference it from the pod; rotate the leaked value.";

pub fn check(cx: &mut Cx<'_>, obj: &K8sObject<'_>) {
    for entry in entries::k8s_map_entries(obj, "data") {
        if entry.value.contains('\n') {
            // An embedded file: provider secrets in it, and secret-like keys in it assigned a
            // random-looking literal.
            for found in leak::embedded_secrets(cx, entry.value_span.clone()) {
                let what = match (found.provider, &found.name) {
                    (Some(p), _) => leak::with_article(&p.name),
                    (None, Some(name)) => format!("a literal secret for `{name}`"),
                    (None, None) => "a literal secret".to_string(),
                };
                let f = cx.report(
                    &SECRET_IN_CONFIGMAP,
                    found.secret.clone(),
                    format!("ConfigMap entry `{}` holds {what}", entry.name),
                );
                f.secret = Some(found.secret);
                f.label = "secret in a ConfigMap".into();
                f.help = Some(HELP.into());
            }
            continue;
        }
        if let Some(found) = leak::judge(cx, &entry.name, &entry.value, entry.value_span.clone()) {
            let note = found.provider_note();
            let f = cx.report(
                &SECRET_IN_CONFIGMAP,
                entry.name_span.start..entry.value_span.end,
                format!("ConfigMap entry `{}` is a literal secret{note}", entry.name),
            );
            f.secret = Some(found.secret);
            f.label = "secret in a ConfigMap".into();
            f.help = Some(HELP.into());
        }
    }
}
