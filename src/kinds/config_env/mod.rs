//! Environment variables that compose files and Dockerfiles read through `${VAR}` interpolation:
//! facts for the repository-wide pass. The names these files (and Kubernetes manifests and CI
//! workflows) define come from their typed models, in `kinds::entries` and `kinds::dockerfile`,
//! which also check those values for placeholders.

use crate::engine::Cx;
use crate::file_kind::FileKind;
use crate::kinds::source::env_reads::{interpolation_refs, is_shell_provided};
use crate::repo::EnvName;

pub fn check(cx: &mut Cx<'_>) {
    let text = cx.text();
    let reads: Vec<_> = match cx.file.kind {
        // `$X` in a Dockerfile is shell code or an ARG/ENV of the same file
        FileKind::Dockerfile => interpolation_refs(text)
            .into_iter()
            .filter(|r| {
                !r.name.bytes().any(|c| c.is_ascii_lowercase()) && !is_shell_provided(&r.name)
            })
            .collect(),
        FileKind::Compose => interpolation_refs(text),
        _ => return,
    };
    cx.facts
        .env_reads
        .extend(reads.into_iter().map(|r| EnvName {
            name: r.name,
            span: r.span,
        }));
}
