//! `compose/secret-in-environment`

use crate::declare_rule;
use crate::engine::Cx;
use crate::kinds::entries::Entry;
use crate::kinds::leak;

declare_rule! {
    /// ## What it does
    /// Flags a literal secret in a docker-compose service's `environment:` (map or
    /// `- KEY=value` list form) or `build.args`: a secret-like name with a literal value, or
    /// any value that matches a provider pattern.
    ///
    /// Interpolations (`${DB_PASSWORD}`, `${DB_PASSWORD:?required}`), `/run/secrets/` paths,
    /// settings and placeholders stay silent; `${VAR:-default}` is judged by its default.
    ///
    /// ## Why is this bad?
    /// The compose file is committed and shared: every clone, fork and CI log has the value.
    /// Build arguments are also recorded in the image history.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     environment:
    ///       POSTGRES_PASSWORD: tvO3R8XwCv%mN8Ok
    /// ```
    /// Use instead: interpolate it from the shell or an untracked `.env`
    /// (`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}`), or use compose `secrets:`
    /// with `POSTGRES_PASSWORD_FILE: /run/secrets/db_password`.
    pub static SECRET_IN_ENVIRONMENT = ("compose/secret-in-environment", "Secret in compose environment", Manifest, Error, ["compose"]);
}

pub fn check(cx: &mut Cx<'_>, entries: &[Entry]) {
    for entry in entries {
        if let Some(found) = leak::judge(cx, &entry.name, &entry.value, entry.value_span.clone()) {
            leak::report_entry(
                cx,
                &SECRET_IN_ENVIRONMENT,
                entry,
                found,
                "Interpolate it (`${VAR}` from the shell or an untracked .env) or use compose `secrets:`; rotate the leaked value.",
            );
        }
    }
}
