//! Kubernetes rules: the file is parsed once as YAML; each document (and each item of a
//! `List`) is an object whose container `env`, ConfigMap `data` and Secret `data`/`stringData`
//! are read by [`crate::kinds::entries`].

pub mod b64;
pub mod committed_secret;
pub mod secret_in_configmap;
pub mod secret_in_env_value;

use crate::engine::Cx;
use crate::kinds::entries;
use std::ops::Range;

/// Parses the manifest and runs the enabled Kubernetes rules on each object. Returns the spans
/// of values that are encrypted for committing (a SealedSecret's `spec.encryptedData`).
pub fn check(cx: &mut Cx<'_>) -> Vec<Range<usize>> {
    let mut encrypted = Vec::new();
    let Some(docs) = entries::load(cx) else {
        return encrypted;
    };
    for doc in &docs {
        for obj in entries::k8s_objects(doc) {
            if obj.kind == "SealedSecret" {
                if let Some(data) = obj.node.path(&["spec", "encryptedData"]) {
                    encrypted.extend(data.entries().map(|(_, v)| v.span.clone()));
                }
            }
            let env = entries::k8s_env_entries(&obj);
            entries::define_env(cx, &env);
            if cx.enabled(&secret_in_env_value::SECRET_IN_ENV_VALUE) {
                secret_in_env_value::check(cx, &env);
            }
            // Core API objects only: a CRD that happens to be called `Secret` or `ConfigMap`
            // in another API group is not the plain-text object these rules are about.
            let core = obj.api_version == "v1";
            if core
                && obj.kind == "ConfigMap"
                && cx.enabled(&secret_in_configmap::SECRET_IN_CONFIGMAP)
            {
                secret_in_configmap::check(cx, &obj);
            }
            if core && obj.kind == "Secret" && cx.enabled(&committed_secret::COMMITTED_SECRET) {
                committed_secret::check(cx, &obj);
            }
        }
    }
    encrypted
}
