//! Dockerfile rules: the file is parsed once into [`parse::Dockerfile`] and every enabled rule
//! reads that model.

pub mod dockerignore;
pub mod env_file_copied;
pub mod parse;
pub mod secret_in_arg;
pub mod secret_in_env;
pub mod secret_in_run;

use crate::engine::Cx;
use crate::repo::EnvName;
use parse::InstructionKind;

/// Parses the Dockerfile and runs the enabled Dockerfile rules on it.
pub fn check(cx: &mut Cx<'_>) {
    let df = parse::parse(cx.text());
    // `ENV` and `ARG` names are definitions for the repository-wide environment-name pass.
    for ins in &df.instructions {
        if let InstructionKind::Env(kvs) | InstructionKind::Arg(kvs) = &ins.kind {
            cx.facts.env_defs.extend(kvs.iter().map(|kv| EnvName {
                name: kv.key.clone(),
                span: kv.key_span.clone(),
            }));
        }
    }
    if cx.enabled(&secret_in_env::SECRET_IN_ENV) {
        secret_in_env::check(cx, &df);
    }
    if cx.enabled(&secret_in_arg::SECRET_IN_ARG) {
        secret_in_arg::check(cx, &df);
    }
    if cx.enabled(&secret_in_run::SECRET_IN_RUN) {
        secret_in_run::check(cx, &df);
    }
    if cx.enabled(&env_file_copied::ENV_FILE_COPIED) {
        env_file_copied::check(cx, &df);
    }
}
