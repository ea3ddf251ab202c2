//! Source code: the environment variables it reads (facts for the repository-wide pass),
//! placeholder fallbacks at those reads, and `.env` loaded too late (Python).

pub mod dotenv_loaded_late;
pub mod env_reads;
pub mod load_order;

use crate::engine::Cx;
use crate::file_kind::{FileKind, Lang};
use crate::kinds::placeholder;
use crate::repo::EnvName;

pub fn check(cx: &mut Cx<'_>) {
    let FileKind::Source(lang) = cx.file.kind else {
        return;
    };
    let reads = env_reads::env_reads(lang, cx.text());
    let runtime = !placeholder::is_template_or_test(&cx.file.path);
    if runtime && cx.enabled(&placeholder::PLACEHOLDER_IN_RUNTIME_CONFIG) {
        for r in &reads {
            if let Some((_, span)) = &r.default {
                placeholder::check_value(cx, &r.name, span.clone());
            }
        }
        placeholder::check_code(cx);
    }
    if lang == Lang::Python && cx.enabled(&dotenv_loaded_late::DOTENV_LOADED_LATE) {
        dotenv_loaded_late::check(cx);
    }
    cx.facts
        .env_reads
        .extend(reads.into_iter().map(|r| EnvName {
            name: r.name,
            span: r.span,
        }));
}
