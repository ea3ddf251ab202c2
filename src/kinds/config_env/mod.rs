//! Environment variables in compose files, Kubernetes manifests, CI workflows and
//! Dockerfiles: the names they define and the `${VAR}` references they read (facts for the
//! repository-wide pass), and placeholders in the values they set.
//!
//! A small line-level reading ([`parse`]) that needs no YAML model; when the full compose,
//! Kubernetes and Dockerfile models land, these facts can be taken from them instead.

pub mod parse;

use crate::engine::Cx;
use crate::file_kind::FileKind;
use crate::kinds::placeholder;
use crate::kinds::source::env_reads::{interpolation_refs, is_shell_provided};
use crate::repo::EnvName;

pub fn check(cx: &mut Cx<'_>) {
    let text = cx.text();
    let (defs, reads) = match cx.file.kind {
        FileKind::Dockerfile => {
            // `$X` in a Dockerfile is shell code or an ARG/ENV of the same file
            let reads = interpolation_refs(text)
                .into_iter()
                .filter(|r| {
                    !r.name.bytes().any(|c| c.is_ascii_lowercase()) && !is_shell_provided(&r.name)
                })
                .collect();
            (parse::dockerfile_env_defs(text), reads)
        }
        FileKind::Compose => (parse::yaml_env_defs(text), interpolation_refs(text)),
        FileKind::Kubernetes | FileKind::Workflow(_) => (parse::yaml_env_defs(text), Vec::new()),
        _ => return,
    };
    if !placeholder::is_template_or_test(&cx.file.path)
        && cx.enabled(&placeholder::PLACEHOLDER_IN_RUNTIME_CONFIG)
    {
        for d in &defs {
            if let Some(v) = &d.value {
                placeholder::check_value(cx, &d.name, v.clone());
            }
        }
    }
    cx.facts.env_defs.extend(defs.into_iter().map(|d| EnvName {
        name: d.name,
        span: d.name_span,
    }));
    cx.facts
        .env_reads
        .extend(reads.into_iter().map(|r| EnvName {
            name: r.name,
            span: r.span,
        }));
}
