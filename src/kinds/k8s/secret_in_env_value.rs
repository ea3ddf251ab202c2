//! `k8s/secret-in-env-value`

use crate::declare_rule;
use crate::engine::Cx;
use crate::kinds::entries::Entry;
use crate::kinds::leak;

declare_rule! {
    /// ## What it does
    /// Flags a container `env` entry whose `value:` is a literal secret: a secret-like name
    /// (`DB_PASSWORD`, `OPENAI_API_KEY`) with a literal value, or any value that matches a
    /// provider pattern (a Slack webhook in `SLACK_WEBHOOK_URL`). Reads the containers, init
    /// containers and ephemeral containers of Pods, Deployments, StatefulSets, DaemonSets,
    /// ReplicaSets, Jobs, CronJobs, pod templates and `List` items.
    ///
    /// `valueFrom.secretKeyRef` is the fix, never a finding; templated values (`{{ }}`,
    /// `${VAR}`) and placeholders stay silent.
    ///
    /// ## Why is this bad?
    /// Manifests are committed, reviewed, and readable by anyone with `get` on the workload:
    /// the value is in git history and in the cluster's object store in plain text.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: OPENAI_API_KEY
    ///     value: sk-proj-...
    /// ```
    /// Use instead:
    /// ```yaml
    /// env:
    ///   - name: OPENAI_API_KEY
    ///     valueFrom:
    ///       secretKeyRef: {name: openai, key: api-key}
    /// ```
    pub static SECRET_IN_ENV_VALUE = ("k8s/secret-in-env-value", "Secret in container env value", Manifest, Error, ["kubernetes"]);
}

pub fn check(cx: &mut Cx<'_>, entries: &[Entry]) {
    for entry in entries {
        if let Some(found) = leak::judge(cx, &entry.name, &entry.value, entry.value_span.clone()) {
            leak::report_entry(
                cx,
                &SECRET_IN_ENV_VALUE,
                entry,
                found,
                "Store it in a Secret and reference it with `valueFrom.secretKeyRef`; rotate the leaked value.",
            );
        }
    }
}
