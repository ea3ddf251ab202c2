//! `dockerfile/secret-in-run`

use super::parse::{Dockerfile, InstructionKind};
use crate::declare_rule;
use crate::engine::Cx;
use crate::kinds::{generic_secret, leak};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

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

/// `NAME=value` or `export NAME=value` at the start of a shell word.
static ASSIGNMENT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[\s;&|(])(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=("[^"\n]*"|'[^'\n]*'|[^\s;&|)"']+)"#).ok()
});

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
            let mut reported: Vec<Range<usize>> = Vec::new();
            for (pattern, secret) in leak::provider_secrets(cx, span.clone()) {
                let f = cx.report(
                    &SECRET_IN_RUN,
                    secret.clone(),
                    format!(
                        "a `{}` command holds {} that stays in the image history",
                        ins.keyword,
                        leak::with_article(&pattern.name)
                    ),
                );
                f.secret = Some(secret.clone());
                f.label = format!("{} in a build command", pattern.name);
                f.help = Some(HELP.into());
                reported.push(secret);
            }
            assignments(cx, span, &reported);
        }
    }
}

const HELP: &str =
    "Use a build secret (`RUN --mount=type=secret,id=...`) so the value is never stored; rotate the leaked one.";

fn assignments(cx: &mut Cx<'_>, span: Range<usize>, reported: &[Range<usize>]) {
    let Some(re) = ASSIGNMENT.as_ref() else {
        return;
    };
    let text = cx.text();
    let mut hits = Vec::new();
    for caps in re.captures_iter(&text[span.clone()]) {
        let (Some(name), Some(value)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let value_span = span.start + value.start()..span.start + value.end();
        let secret = leak::unquoted(text, value_span);
        if reported
            .iter()
            .any(|r| r.start < secret.end && secret.start < r.end)
        {
            continue;
        }
        if crate::classify::is_secret_name(name.as_str())
            && generic_secret::is_secret_value(&text[secret.clone()])
        {
            hits.push((name.as_str().to_string(), secret));
        }
    }
    for (name, secret) in hits {
        let f = cx.report(
            &SECRET_IN_RUN,
            secret.clone(),
            format!("`{name}` is set to a literal secret in a `RUN` command that stays in the image history"),
        );
        f.secret = Some(secret);
        f.label = "literal secret in a build command".into();
        f.help = Some(HELP.into());
    }
}
