//! Kind-aware rules: each file kind's typed model and the rules that read it. This module is the
//! registry: every kind-aware rule is listed in [`RULES`] and dispatched from [`check`].

pub mod config_env;
pub mod dotenv;
pub mod generic_secret;
pub mod placeholder;
pub mod source;

use crate::engine::Cx;
use crate::file_kind::FileKind;
use crate::repo;
use crate::rule::Rule;

/// Every kind-aware rule. A test checks ids are unique, docs complete, and the README in sync.
pub static RULES: &[&Rule] = &[
    &generic_secret::GENERIC_SECRET,
    &dotenv::duplicate_key::DUPLICATE_KEY,
    &dotenv::empty_sdk_key::EMPTY_SDK_KEY,
    &dotenv::stray_quotes::STRAY_QUOTES,
    &dotenv::value_whitespace::VALUE_WHITESPACE,
    &placeholder::PLACEHOLDER_IN_RUNTIME_CONFIG,
    &source::dotenv_loaded_late::DOTENV_LOADED_LATE,
    &repo::misspelled_sdk_name::MISSPELLED_SDK_NAME,
    &repo::undefined_read::UNDEFINED_READ,
    &repo::dotenv_not_ignored::DOTENV_NOT_IGNORED,
];

/// Runs the kind-aware rules that apply to the file's kind.
pub fn check(cx: &mut Cx<'_>, skip_generic: bool) {
    if !skip_generic && cx.enabled(&generic_secret::GENERIC_SECRET) {
        generic_secret::check(cx);
    }
    match cx.file.kind {
        FileKind::Dotenv { .. } => dotenv::check(cx),
        FileKind::Source(_) => source::check(cx),
        FileKind::Dockerfile | FileKind::Compose | FileKind::Kubernetes | FileKind::Workflow(_) => {
            config_env::check(cx)
        }
        _ => {}
    }
}
