//! Where the manifest kinds keep name/value pairs: docker-compose, Kubernetes and CI
//! workflows, read from the span-preserving YAML model ([`crate::yaml`]), and the one place
//! that turns a manifest's text into that model ([`load`]).
//!
//! Each extractor walks one document and returns [`Entry`]s: a name, a value and their
//! byte spans, with the place they came from. The rules then judge the pairs with the
//! shared classifiers; keeping the walking here means each rule reads a typed list
//! instead of re-walking YAML, and the shapes of each format are written down once.
//!
//! Values are scalars only: a mapping or sequence where a scalar belongs is skipped
//! (it is not a literal), and so is a null (`KEY:` with nothing after it). A value that
//! an alias copied in keeps the anchor's span, so the same span can come back through
//! several aliases: [`dedup`] keeps the first.

use std::collections::HashSet;
use std::ops::Range;

use crate::engine::Cx;
use crate::repo::EnvName;
use crate::yaml::{self, Limits, Node, Style, YamlErrorKind};

/// Parses the file as YAML for the manifest rules. A file that is not valid YAML gets no
/// structured findings (the text-level secret patterns still run on it) and a note, except a
/// template (`{{ }}`, as in Helm charts), which is expected not to parse and stays quiet.
pub fn load(cx: &mut Cx<'_>) -> Option<Vec<Node>> {
    match yaml::parse(cx.text(), Limits::default()) {
        Ok(docs) => Some(docs),
        Err(e) => {
            let template = matches!(e.kind, YamlErrorKind::Syntax(_)) && cx.text().contains("{{");
            if !template {
                let (line, col) = cx.file.line_col(e.offset);
                cx.notes.push(format!(
                    "{}:{line}:{col}: not checked as a manifest ({}); secret patterns still applied",
                    cx.file.path().display(),
                    e.kind_message()
                ));
            }
            None
        }
    }
}

/// Records the names an `env`-like list defines, for the repository-wide environment pass.
pub fn define_env(cx: &mut Cx<'_>, entries: &[Entry]) {
    cx.facts.env_defs.extend(
        entries
            .iter()
            .filter(|e| matches!(e.place, "environment" | "env" | "variables"))
            .map(|e| EnvName {
                name: e.name.clone(),
                span: e.name_span.clone(),
            }),
    );
}

/// One name/value pair found in a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The variable, key or input name.
    pub name: String,
    /// Where the name is written.
    pub name_span: Range<usize>,
    /// The value as YAML reads it (unquoted).
    pub value: String,
    /// Where the value is written (quotes included).
    pub value_span: Range<usize>,
    /// How the value was written.
    pub style: Style,
    /// Where the pair lives, for messages (`environment`, `build.args`, `env`, `with`,
    /// `variables`, `data`, `stringData`).
    pub place: &'static str,
}

/// Drops entries whose value span was already seen (aliases copy spans).
pub fn dedup(entries: &mut Vec<Entry>) {
    let mut seen = HashSet::new();
    entries.retain(|e| seen.insert((e.name_span.clone(), e.value_span.clone())));
}

/// `<<: *anchor` (a YAML merge key, which compose and GitLab CI files use a lot).
fn is_merge_key(k: &Node) -> bool {
    k.as_scalar()
        .is_some_and(|s| s.text == "<<" && s.style == Style::Plain)
}

/// The mappings a merge key brings in: one mapping, or a list of them. Merged maps
/// are never merge keys of themselves after alias resolution (the tree is finite), and
/// nesting is bounded by the YAML depth limit.
fn merged_maps(v: &Node) -> Vec<&Node> {
    if v.is_map() {
        vec![v]
    } else {
        v.items().iter().filter(|n| n.is_map()).collect()
    }
}

/// Reads a `KEY: value` mapping or a `- KEY=value` list (compose `environment`,
/// `build.args`).
fn key_values(text: &str, node: &Node, place: &'static str, out: &mut Vec<Entry>) {
    for (k, v) in node.entries() {
        if is_merge_key(k) {
            for merged in merged_maps(v) {
                key_values(text, merged, place, out);
            }
            continue;
        }
        if let (Some(name), Some(value)) = (k.as_str(), v.as_scalar()) {
            out.push(Entry {
                name: name.to_string(),
                name_span: k.span.clone(),
                value: value.text.clone(),
                value_span: v.span.clone(),
                style: value.style,
                place,
            });
        }
    }
    for item in node.items() {
        let Some(s) = item.as_scalar() else { continue };
        let Some((name, value)) = s.text.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        // Map the `=` back to the source when the scalar is written verbatim (plain or
        // quoted without escapes); otherwise point at the whole item.
        let raw = &text[item.span.clone()];
        let quote = usize::from(matches!(s.style, Style::SingleQuoted | Style::DoubleQuoted));
        let inner_end = item
            .span
            .end
            .saturating_sub(quote)
            .max(item.span.start + quote);
        let (name_span, value_span) = match raw.get(quote..).and_then(|r| r.find('=')) {
            Some(eq) if raw[quote..].starts_with(name) => {
                let eq_at = item.span.start + quote + eq;
                (
                    item.span.start + quote..item.span.start + quote + name.len(),
                    eq_at + 1..inner_end.max(eq_at + 1),
                )
            }
            _ => (item.span.clone(), item.span.clone()),
        };
        out.push(Entry {
            name: name.to_string(),
            name_span,
            value: value.to_string(),
            value_span,
            style: s.style,
            place,
        });
    }
}

/// docker-compose: `services.*.environment` (map or list) and `services.*.build.args`.
pub fn compose_entries(text: &str, doc: &Node) -> Vec<Entry> {
    let mut out = Vec::new();
    if let Some(services) = doc.get("services") {
        for (_, service) in services.entries() {
            if let Some(env) = service.get("environment") {
                key_values(text, env, "environment", &mut out);
            }
            if let Some(args) = service.path(&["build", "args"]) {
                key_values(text, args, "build.args", &mut out);
            }
        }
    }
    dedup(&mut out);
    out
}

/// Kubernetes: one object (a document, or an item of a `kind: List`).
#[derive(Debug, Clone, Copy)]
pub struct K8sObject<'a> {
    /// `kind:`
    pub kind: &'a str,
    /// `apiVersion:`
    pub api_version: &'a str,
    /// The object's node.
    pub node: &'a Node,
}

/// The Kubernetes objects of a document: the document itself, or the items of a
/// `List` (`kind: List` or any `*List` with `items`).
pub fn k8s_objects(doc: &Node) -> Vec<K8sObject<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![doc];
    while let Some(node) = stack.pop() {
        let (Some(kind), Some(api_version)) = (
            node.get("kind").and_then(Node::as_str),
            node.get("apiVersion").and_then(Node::as_str),
        ) else {
            continue;
        };
        if kind.ends_with("List") {
            if let Some(items) = node.get("items") {
                // Reverse so the stack pops items in file order.
                stack.extend(items.items().iter().rev());
            }
            continue;
        }
        out.push(K8sObject {
            kind,
            api_version,
            node,
        });
    }
    out
}

/// The pod spec of a workload object, wherever its kind keeps it. Unknown kinds
/// (operators' CRDs such as Argo Rollouts) that use the standard
/// `spec.template.spec` shape are read too.
pub fn pod_spec<'a>(obj: &K8sObject<'a>) -> Option<&'a Node> {
    let n = obj.node;
    match obj.kind {
        "Pod" => n.get("spec"),
        "CronJob" => n.path(&["spec", "jobTemplate", "spec", "template", "spec"]),
        "PodTemplate" => n.path(&["template", "spec"]),
        _ => n.path(&["spec", "template", "spec"]),
    }
}

/// The literal `env` values of every container, init container and ephemeral
/// container of a workload. `valueFrom` entries are references, never entries.
pub fn k8s_env_entries(obj: &K8sObject<'_>) -> Vec<Entry> {
    let mut out = Vec::new();
    let Some(spec) = pod_spec(obj) else {
        return out;
    };
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        for container in spec.get(list).map(Node::items).unwrap_or_default() {
            for var in container.get("env").map(Node::items).unwrap_or_default() {
                let (Some(name_node), Some(value_node)) = (var.get("name"), var.get("value"))
                else {
                    continue;
                };
                let (Some(name), Some(value)) = (name_node.as_str(), value_node.as_scalar()) else {
                    continue;
                };
                out.push(Entry {
                    name: name.to_string(),
                    name_span: name_node.span.clone(),
                    value: value.text.clone(),
                    value_span: value_node.span.clone(),
                    style: value.style,
                    place: "env",
                });
            }
        }
    }
    dedup(&mut out);
    out
}

/// The scalar entries of a mapping field of an object (ConfigMap `data`, Secret `data`
/// and `stringData`).
pub fn k8s_map_entries(obj: &K8sObject<'_>, field: &'static str) -> Vec<Entry> {
    let mut out = Vec::new();
    if let Some(map) = obj.node.get(field) {
        for (k, v) in map.entries() {
            if let (Some(name), Some(value)) = (k.as_str(), v.as_scalar()) {
                out.push(Entry {
                    name: name.to_string(),
                    name_span: k.span.clone(),
                    value: value.text.clone(),
                    value_span: v.span.clone(),
                    style: value.style,
                    place: field,
                });
            }
        }
    }
    dedup(&mut out);
    out
}

/// Scalar entries of a mapping (`env:`, `with:`, `variables:`), reading GitLab's
/// `{value: ..., description: ...}` form too.
fn scalar_map(node: &Node, place: &'static str, out: &mut Vec<Entry>) {
    for (k, v) in node.entries() {
        if is_merge_key(k) {
            for merged in merged_maps(v) {
                scalar_map(merged, place, out);
            }
            continue;
        }
        let Some(name) = k.as_str() else { continue };
        let value_node = if v.is_map() {
            match v.get("value") {
                Some(inner) => inner,
                None => continue,
            }
        } else {
            v
        };
        if let Some(value) = value_node.as_scalar() {
            out.push(Entry {
                name: name.to_string(),
                name_span: k.span.clone(),
                value: value.text.clone(),
                value_span: value_node.span.clone(),
                style: value.style,
                place,
            });
        }
    }
}

/// GitHub Actions: `env:` at workflow, job, step, job container and service level,
/// step `with:` inputs, and a reusable-workflow call's `with:` and `secrets:`.
pub fn github_workflow_entries(doc: &Node) -> Vec<Entry> {
    let mut out = Vec::new();
    if let Some(env) = doc.get("env") {
        scalar_map(env, "env", &mut out);
    }
    if let Some(jobs) = doc.get("jobs") {
        for (_, job) in jobs.entries() {
            if let Some(env) = job.get("env") {
                scalar_map(env, "env", &mut out);
            }
            if let Some(env) = job.path(&["container", "env"]) {
                scalar_map(env, "env", &mut out);
            }
            if let Some(services) = job.get("services") {
                for (_, service) in services.entries() {
                    if let Some(env) = service.get("env") {
                        scalar_map(env, "env", &mut out);
                    }
                }
            }
            if let Some(with) = job.get("with") {
                scalar_map(with, "with", &mut out);
            }
            if let Some(secrets) = job.get("secrets") {
                scalar_map(secrets, "secrets", &mut out);
            }
            for step in job.get("steps").map(Node::items).unwrap_or_default() {
                if let Some(env) = step.get("env") {
                    scalar_map(env, "env", &mut out);
                }
                if let Some(with) = step.get("with") {
                    scalar_map(with, "with", &mut out);
                }
            }
        }
    }
    dedup(&mut out);
    out
}

/// GitLab CI: the global `variables:` and each job's (any top-level mapping).
pub fn gitlab_ci_entries(doc: &Node) -> Vec<Entry> {
    let mut out = Vec::new();
    if let Some(vars) = doc.get("variables") {
        scalar_map(vars, "variables", &mut out);
    }
    for (k, job) in doc.entries() {
        if k.as_str() == Some("variables") {
            continue;
        }
        if let Some(vars) = job.get("variables") {
            scalar_map(vars, "variables", &mut out);
        }
    }
    dedup(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, Limits};

    fn docs(text: &str) -> Vec<Node> {
        parse(text, Limits::default()).unwrap()
    }

    /// (name, value, source text of the value span)
    fn view<'a>(text: &'a str, entries: &[Entry]) -> Vec<(String, String, &'a str)> {
        entries
            .iter()
            .map(|e| (e.name.clone(), e.value.clone(), &text[e.value_span.clone()]))
            .collect()
    }

    #[test]
    fn compose_map_list_and_build_args() {
        let text = "x-common: &common\n  SHARED_TOKEN: abc\nservices:\n  web:\n    environment:\n      - API_KEY=k1\n      - \"QUOTED_SECRET=k 2\"\n      - NO_VALUE\n      - EMPTY=\n    build:\n      context: .\n      args:\n        NPM_TOKEN: \"t1\"\n  worker:\n    environment:\n      <<: *common\n      DB_PASSWORD: pw\n      NULLISH:\n  other:\n    environment: *common\n    build:\n      args: [A=1]\n";
        let d = docs(text);
        let entries = compose_entries(text, &d[0]);
        assert_eq!(
            view(text, &entries),
            vec![
                ("API_KEY".into(), "k1".into(), "k1"),
                ("QUOTED_SECRET".into(), "k 2".into(), "k 2"),
                ("EMPTY".into(), "".into(), ""),
                ("NPM_TOKEN".into(), "t1".into(), "\"t1\""),
                ("SHARED_TOKEN".into(), "abc".into(), "abc"),
                ("DB_PASSWORD".into(), "pw".into(), "pw"),
                ("A".into(), "1".into(), "1"),
            ]
        );
        assert_eq!(&text[entries[0].name_span.clone()], "API_KEY");
        assert_eq!(entries[3].place, "build.args");
    }

    #[test]
    fn k8s_workloads_and_lists() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  spec:\n    template:\n      spec:\n        initContainers:\n        - name: init\n          env:\n          - name: INIT_TOKEN\n            value: i1\n        containers:\n        - name: app\n          env:\n          - name: DB_PASSWORD\n            valueFrom:\n              secretKeyRef: {name: db, key: pw}\n          - name: API_KEY\n            value: \"v1\"\n          - name: EMPTY\n            value:\n- apiVersion: batch/v1\n  kind: CronJob\n  spec:\n    jobTemplate:\n      spec:\n        template:\n          spec:\n            containers:\n            - name: c\n              env: [{name: CRON_SECRET, value: c1}]\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: p\n    env:\n    - {name: POD_TOKEN, value: p1}\n";
        let d = docs(text);
        let objs: Vec<K8sObject<'_>> = d.iter().flat_map(k8s_objects).collect();
        let kinds: Vec<&str> = objs.iter().map(|o| o.kind).collect();
        assert_eq!(kinds, vec!["Deployment", "CronJob", "Pod"]);
        let all: Vec<Entry> = objs.iter().flat_map(k8s_env_entries).collect();
        assert_eq!(
            view(text, &all),
            vec![
                ("INIT_TOKEN".into(), "i1".into(), "i1"),
                ("API_KEY".into(), "v1".into(), "\"v1\""),
                ("CRON_SECRET".into(), "c1".into(), "c1"),
                ("POD_TOKEN".into(), "p1".into(), "p1"),
            ]
        );
    }

    #[test]
    fn k8s_configmap_and_secret_fields() {
        let text = "apiVersion: v1\nkind: Secret\ndata:\n  password: cGFzcw==\nstringData:\n  token: plain\n---\napiVersion: v1\nkind: ConfigMap\ndata:\n  API_KEY: abc\n  nested: {a: b}\n";
        let d = docs(text);
        let secret = k8s_objects(&d[0])[0];
        assert_eq!(
            view(text, &k8s_map_entries(&secret, "data")),
            vec![("password".into(), "cGFzcw==".into(), "cGFzcw==")]
        );
        assert_eq!(
            view(text, &k8s_map_entries(&secret, "stringData")),
            vec![("token".into(), "plain".into(), "plain")]
        );
        let cm = k8s_objects(&d[1])[0];
        assert_eq!(
            view(text, &k8s_map_entries(&cm, "data")),
            vec![("API_KEY".into(), "abc".into(), "abc")]
        );
        assert!(k8s_objects(&docs("a: 1\n")[0]).is_empty());
    }

    #[test]
    fn github_workflow_levels() {
        let text = "env:\n  TOP_TOKEN: t\njobs:\n  build:\n    env: {JOB_KEY: j}\n    container:\n      image: x\n      env:\n        C_PASS: c\n    services:\n      db:\n        env:\n          POSTGRES_PASSWORD: s\n    steps:\n      - uses: a/b@v1\n        with:\n          api-key: w\n          nested: {x: y}\n      - run: echo\n        env:\n          STEP_SECRET: ${{ secrets.X }}\n  call:\n    uses: ./.github/workflows/r.yml\n    with: {token: cw}\n    secrets:\n      npm: cs\n";
        let d = docs(text);
        let e = github_workflow_entries(&d[0]);
        let names: Vec<(&str, &str, &str)> = e
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_str(), e.place))
            .collect();
        assert_eq!(
            names,
            vec![
                ("TOP_TOKEN", "t", "env"),
                ("JOB_KEY", "j", "env"),
                ("C_PASS", "c", "env"),
                ("POSTGRES_PASSWORD", "s", "env"),
                ("api-key", "w", "with"),
                ("STEP_SECRET", "${{ secrets.X }}", "env"),
                ("token", "cw", "with"),
                ("npm", "cs", "secrets"),
            ]
        );
    }

    #[test]
    fn gitlab_variables() {
        let text = "variables:\n  GLOBAL_TOKEN: g\n  DESCRIBED:\n    value: d\n    description: a var\nstages: [test]\ntest:\n  script: [make]\n  variables:\n    JOB_PASSWORD: \"p\"\n";
        let d = docs(text);
        assert_eq!(
            view(text, &gitlab_ci_entries(&d[0])),
            vec![
                ("GLOBAL_TOKEN".into(), "g".into(), "g"),
                ("DESCRIBED".into(), "d".into(), "d"),
                ("JOB_PASSWORD".into(), "p".into(), "\"p\""),
            ]
        );
    }
}
