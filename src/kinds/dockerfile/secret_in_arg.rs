//! `dockerfile/secret-in-arg`

use super::parse::{Dockerfile, Instruction, InstructionKind};
use crate::classify;
use crate::declare_rule;
use crate::engine::Cx;
use crate::kinds::leak;
use crate::rule::Severity;

declare_rule! {
    /// ## What it does
    /// Flags an `ARG` with a secret-like name and a literal default (`ARG NPM_TOKEN=npm_...`),
    /// or any `ARG` default that matches a provider pattern (an error). Also flags, as a
    /// warning, a secret-like `ARG` without a default that a later `ENV` or `RUN` of the same
    /// stage uses (`ARG NPM_TOKEN` then `RUN echo "//registry/:_authToken=$NPM_TOKEN" > .npmrc`).
    ///
    /// ## Why is this bad?
    /// Build arguments are not secret: a default is in the Dockerfile for everyone to read, and
    /// the value passed with `--build-arg` is recorded in the image history of every `RUN` that
    /// sees it (`docker history`), and in the image configuration when an `ENV` copies it.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NPM_TOKEN
    /// RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
    /// ```
    /// Use instead: a build secret, which is mounted for one `RUN` and never stored:
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    /// ```
    /// built with `docker build --secret id=npmrc,src=$HOME/.npmrc .`
    ///
    /// ## References
    /// - <https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/>
    pub static SECRET_IN_ARG = ("dockerfile/secret-in-arg", "Secret in build ARG", Dockerfile, Error, ["dockerfile"]);
}

pub fn check(cx: &mut Cx<'_>, df: &Dockerfile) {
    let text = cx.text();
    for (index, ins) in df.instructions.iter().enumerate() {
        let InstructionKind::Arg(kvs) = &ins.kind else {
            continue;
        };
        for kv in kvs {
            if let (Some(value), Some(span)) = (&kv.value, &kv.value_span) {
                if let Some(found) = leak::judge(cx, &kv.key, value, span.clone()) {
                    let f = cx.report(
                        &SECRET_IN_ARG,
                        span.clone(),
                        format!(
                            "`ARG {}` has a literal secret{} as its default",
                            kv.key,
                            found.provider_note()
                        ),
                    );
                    f.secret = Some(found.secret);
                    f.label = "literal secret in a build argument".into();
                    f.help = Some(
                        "Drop the default and use a build secret (`RUN --mount=type=secret,id=...`) instead of a build argument; rotate the leaked value."
                            .into(),
                    );
                    continue;
                }
                // A literal default that is not a secret (a version, a URL) is not a leak,
                // and neither is a value from elsewhere unless a later instruction bakes it.
                if classify::is_literal_value(value) {
                    continue;
                }
            }
            // A global ARG (before the first FROM) only reaches a stage that declares it again,
            // and that declaration is checked on its own.
            let Some(stage) = ins.stage else { continue };
            if !classify::is_secret_name(&kv.key) {
                continue;
            }
            let Some(user) = df.instructions[index + 1..]
                .iter()
                .take_while(|later| later.stage == Some(stage))
                .find(|later| bakes(text, later, &kv.key))
            else {
                continue;
            };
            let line = cx.file.line_col(user.span.start).0;
            let f = cx.report(
                &SECRET_IN_ARG,
                kv.key_span.clone(),
                format!(
                    "build argument `{}` is used by `{}` on line {line}: its value is kept in the image history",
                    kv.key, user.keyword
                ),
            );
            f.severity = Severity::Warning;
            f.label = "secret passed as a build argument".into();
            f.help = Some(
                "Use a build secret (`RUN --mount=type=secret,id=...,env=NAME`) instead of a build argument."
                    .into(),
            );
        }
    }
}

/// Does this `ENV` or `RUN` use `$name` (and so store the build argument's value)?
fn bakes(text: &str, ins: &Instruction, name: &str) -> bool {
    match &ins.kind {
        InstructionKind::Env(kvs) => kvs
            .iter()
            .any(|kv| kv.value.as_deref().is_some_and(|v| uses_var(v, name))),
        InstructionKind::Command(_) if ins.keyword == "RUN" => {
            uses_var(&text[ins.args_span.clone()], name)
                || ins
                    .heredocs
                    .iter()
                    .any(|h| uses_var(&text[h.body_span.clone()], name))
        }
        _ => false,
    }
}

/// `$name` or `${name…}` in shell text, not as part of a longer name (`$NAME_FILE`).
pub(crate) fn uses_var(text: &str, name: &str) -> bool {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut from = 0;
    while let Some(pos) = text[from..].find('$') {
        let at = from + pos + 1;
        from = at;
        let rest = &text[at..];
        let (inner, braced) = match rest.strip_prefix('{') {
            Some(r) => (r, true),
            None => (rest, false),
        };
        if let Some(after) = inner.strip_prefix(name) {
            let next = after.as_bytes().first().copied();
            let ok = if braced {
                matches!(
                    next,
                    Some(b'}' | b':' | b'-' | b'+' | b'=' | b'?' | b'#' | b'%' | b'/')
                )
            } else {
                !next.is_some_and(ident)
            };
            if ok {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::uses_var;

    #[test]
    fn variable_uses() {
        assert!(uses_var("echo $NPM_TOKEN > x", "NPM_TOKEN"));
        assert!(uses_var("echo ${NPM_TOKEN}", "NPM_TOKEN"));
        assert!(uses_var("x=${NPM_TOKEN:-}", "NPM_TOKEN"));
        assert!(uses_var("$NPM_TOKEN", "NPM_TOKEN"));
        assert!(!uses_var("echo $NPM_TOKEN_FILE", "NPM_TOKEN"));
        assert!(!uses_var("echo NPM_TOKEN", "NPM_TOKEN"));
        assert!(!uses_var("echo ${NPM_TOKENS}", "NPM_TOKEN"));
        assert!(!uses_var("$", "NPM_TOKEN"));
    }
}
