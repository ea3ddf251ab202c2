//! docker-compose rules: the file is parsed once as YAML and the services' `environment:` and
//! `build.args` entries are read from it ([`crate::kinds::entries::compose_entries`]).

pub mod secret_in_environment;

use crate::engine::Cx;
use crate::kinds::entries;

/// Parses the compose file and runs the enabled compose rules on it.
pub fn check(cx: &mut Cx<'_>) {
    let Some(docs) = entries::load(cx) else {
        return;
    };
    for doc in &docs {
        let found = entries::compose_entries(cx.text(), doc);
        entries::define_env(cx, &found);
        if cx.enabled(&secret_in_environment::SECRET_IN_ENVIRONMENT) {
            secret_in_environment::check(cx, &found);
        }
    }
}
