//! `dockerfile/secret-in-env`

use super::parse::{Dockerfile, InstructionKind};
use crate::declare_rule;
use crate::engine::Cx;
use crate::kinds::leak;

declare_rule! {
    /// ## What it does
    /// Flags an `ENV` instruction that sets a secret-like name (`API_TOKEN`, `DB_PASSWORD`)
    /// to a literal value, or any `ENV` value that matches a provider pattern whatever its
    /// name (`DATABASE_URL=postgres://app:pw@db/app`, a GitHub token in `GH_TOKEN`).
    ///
    /// References (`ENV TOKEN=$TOKEN`), empty values, `/run/secrets/...` paths, settings
    /// (`true`, `3600`) and placeholders stay silent, and so do names with a qualifier that
    /// says the value is not the secret itself (`PASSWORD_FILE`, `TOKEN_URL`, `GPG_KEY`).
    ///
    /// ## Why is this bad?
    /// `ENV` values are stored in the image configuration: anyone who can pull the image reads
    /// them with `docker inspect` or `docker history`, and every container started from it has
    /// them in its environment.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV OPENAI_API_KEY=sk-proj-...
    /// ```
    /// Use instead: pass it at run time (`docker run -e OPENAI_API_KEY ...`), or, when the
    /// build needs it, a build secret that leaves no layer behind:
    /// ```dockerfile
    /// RUN --mount=type=secret,id=openai,env=OPENAI_API_KEY ./build.sh
    /// ```
    ///
    /// ## References
    /// - <https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/>
    pub static SECRET_IN_ENV = ("dockerfile/secret-in-env", "Secret in ENV", Dockerfile, Error, ["dockerfile"]);
}

pub fn check(cx: &mut Cx<'_>, df: &Dockerfile) {
    for ins in &df.instructions {
        let InstructionKind::Env(kvs) = &ins.kind else {
            continue;
        };
        for kv in kvs {
            let (Some(value), Some(span)) = (&kv.value, &kv.value_span) else {
                continue;
            };
            let Some(found) = leak::judge(cx, &kv.key, value, span.clone()) else {
                continue;
            };
            let f = cx.report(
                &SECRET_IN_ENV,
                span.clone(),
                format!(
                    "`ENV {}` bakes a literal secret{} into the image",
                    kv.key,
                    found.provider_note()
                ),
            );
            f.secret = Some(found.secret);
            f.label = "literal secret in the image".into();
            f.help = Some(format!(
                "Pass it at run time (`docker run -e {}`) or use a build secret (`RUN --mount=type=secret,id=...,env={}`); rotate the leaked value.",
                kv.key, kv.key
            ));
        }
    }
}
