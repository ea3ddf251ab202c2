//! Kind-aware rules: each file kind's typed model and the rules that read it. This module is the
//! registry: every kind-aware rule is listed in [`RULES`] and dispatched from [`check`].

pub mod compose;
pub mod config_env;
pub mod dockerfile;
pub mod dotenv;
pub mod entries;
pub mod generic_secret;
pub mod k8s;
pub mod leak;
pub mod placeholder;
pub mod source;
pub mod workflow;

use crate::engine::Cx;
use crate::file_kind::FileKind;
use crate::repo;
use crate::rule::Rule;

/// Every kind-aware rule. A test checks ids are unique, docs complete, and the README in sync.
pub static RULES: &[&Rule] = &[
    &generic_secret::GENERIC_SECRET,
    &dockerfile::secret_in_env::SECRET_IN_ENV,
    &dockerfile::secret_in_arg::SECRET_IN_ARG,
    &dockerfile::secret_in_run::SECRET_IN_RUN,
    &dockerfile::env_file_copied::ENV_FILE_COPIED,
    &compose::secret_in_environment::SECRET_IN_ENVIRONMENT,
    &k8s::secret_in_env_value::SECRET_IN_ENV_VALUE,
    &k8s::secret_in_configmap::SECRET_IN_CONFIGMAP,
    &k8s::committed_secret::COMMITTED_SECRET,
    &workflow::secret_in_env::SECRET_IN_ENV,
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
    // Spans the file's model knows to be safe to commit (a SealedSecret's ciphertext): the
    // name-based generic detector, which reads text, must not flag them.
    let mut encrypted = Vec::new();
    match cx.file.kind {
        FileKind::Dockerfile => dockerfile::check(cx),
        FileKind::Compose => compose::check(cx),
        FileKind::Kubernetes => encrypted = k8s::check(cx),
        FileKind::Workflow(ci) => workflow::check(cx, ci),
        _ => {}
    }
    if !skip_generic && cx.enabled(&generic_secret::GENERIC_SECRET) {
        let before = cx.findings.len();
        generic_secret::check(cx);
        if !encrypted.is_empty() {
            let mut index = 0;
            cx.findings.retain(|f| {
                index += 1;
                index <= before
                    || !encrypted
                        .iter()
                        .any(|e| e.start < f.span.end && f.span.start < e.end)
            });
        }
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
