//! `dockerfile/secret-in-run`

use super::parse::{Dockerfile, InstructionKind};
use crate::declare_rule;
use crate::engine::Cx;
use crate::kinds::leak;

declare_rule! {
    /// ## What it does
    /// Flags a literal credential written into a `RUN` command or its heredoc (or a `CMD`,
    /// `ENTRYPOINT` or `HEALTHCHECK` command, which the image stores too): a value that
    /// matches a provider pattern (`echo "//registry.npmjs.org/:_authToken=npm_..." > .npmrc`,
    /// `curl -H "Authorization: Bearer ..."`), or a secret-like shell variable assigned a
    /// random-looking literal (`RUN API_TOKEN=9f2c... ./deploy.sh`).
    ///
    /// ## Why is this bad?
    /// The command line of every `RUN` is stored in the image history (`docker history
    /// --no-trunc` prints it), and a file the command writes stays in its layer even if a
    /// later instruction deletes it.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN echo "//registry.npmjs.org/:_authToken=npm_..." > ~/.npmrc && npm ci
    /// ```
    /// Use instead: a build secret, mounted for this `RUN` only:
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    /// ```
    ///
    /// ## References
    /// - <https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/>
    pub static SECRET_IN_RUN = ("dockerfile/secret-in-run", "Secret in RUN command", Dockerfile, Error, ["dockerfile"]);
}

pub fn check(cx: &mut Cx<'_>, df: &Dockerfile) {
    for ins in &df.instructions {
        // `CMD`, `ENTRYPOINT` and `HEALTHCHECK` are stored in the image configuration too.
        let command =
            matches!(ins.kind, InstructionKind::Command(_)) || ins.keyword == "HEALTHCHECK";
        if !command {
            continue;
        }
        let mut spans = vec![ins.args_span.clone()];
        spans.extend(ins.heredocs.iter().map(|h| h.body_span.clone()));
        for span in spans {
            for found in leak::inline_secrets(cx, span) {
                let (message, label) = match (found.provider, &found.name) {
                    (Some(p), _) => (
                        format!(
                            "a `{}` command holds {} that stays in the image",
                            ins.keyword,
                            leak::with_article(&p.name)
                        ),
                        format!("{} in a build command", p.name),
                    ),
                    (None, name) => (
                        format!(
                            "a `{}` command holds a literal secret ({}) that stays in the image",
                            ins.keyword,
                            name.as_deref().unwrap_or("a secret-like name")
                        ),
                        "literal secret in a build command".to_string(),
                    ),
                };
                let f = cx.report(&SECRET_IN_RUN, found.secret.clone(), message);
                f.secret = Some(found.secret);
                f.label = label;
                f.help = Some(HELP.into());
            }
        }
    }
}

const HELP: &str =
    "Use a build secret (`RUN --mount=type=secret,id=...`) so the value is never stored; rotate the leaked one.";
