//! CI workflow rules: the file is parsed once as YAML and its `env:`, `with:` and `variables:`
//! entries are read by [`crate::kinds::entries`] (GitHub Actions or GitLab CI by file kind).

pub mod secret_in_env;

use crate::engine::Cx;
use crate::file_kind::Ci;
use crate::kinds::entries;

/// Parses the workflow and runs the enabled workflow rules on it.
pub fn check(cx: &mut Cx<'_>, ci: Ci) {
    let Some(docs) = entries::load(cx) else {
        return;
    };
    for doc in &docs {
        let found = match ci {
            Ci::GitHub => entries::github_workflow_entries(doc),
            Ci::GitLab => entries::gitlab_ci_entries(doc),
        };
        entries::define_env(cx, &found);
        if cx.enabled(&secret_in_env::SECRET_IN_ENV) {
            secret_in_env::check(cx, &found, ci);
        }
    }
}
