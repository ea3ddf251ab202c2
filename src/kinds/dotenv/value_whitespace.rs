//! `dotenv/value-whitespace`

use super::parse::Dotenv;
use crate::declare_rule;
use crate::engine::Cx;

declare_rule! {
    /// ## What it does
    /// Flags whitespace that ends up in the value of a secret-like key or a key an SDK
    /// reads: spaces inside the quotes (`"us-east-1 "`), after an unquoted value, or between
    /// `=` and the value.
    ///
    /// ## Why is this bad?
    /// SDKs send the value as it is: `openai-python` puts `sk-... ` into the
    /// `Authorization` header and the API answers `401 Unauthorized`; botocore builds an
    /// endpoint from `"us-east-1 "` and fails. Whitespace inside quotes is kept by every
    /// loader. Unquoted, python-dotenv and Node's dotenv strip it, but
    /// `docker run --env-file` passes the rest of the line through untouched, so the same
    /// file works locally and breaks in the container. A space after `=` also makes a shell
    /// that sources the file run the value as a command.
    ///
    /// ## Example
    /// ```sh
    /// OPENAI_API_KEY= sk-proj-...
    /// AWS_REGION="us-east-1 "
    /// ```
    /// Use instead:
    /// ```sh
    /// OPENAI_API_KEY=sk-proj-...
    /// AWS_REGION="us-east-1"
    /// ```
    ///
    /// ## References
    /// - python-dotenv 1.2.4, `dotenv/parser.py`: `parse_unquoted_value` strips trailing whitespace
    /// - <https://github.com/docker/cli/issues/4665> (`--env-file` values are not parsed)
    pub static VALUE_WHITESPACE = ("dotenv/value-whitespace", "Whitespace in a dotenv value", Dotenv, Error, ["dotenv"]);
}

pub fn check(cx: &mut Cx<'_>, env: &Dotenv) {
    for e in &env.entries {
        if e.value.as_deref().is_none_or(|v| v.trim().is_empty())
            || !super::is_sensitive_key(&e.key)
        {
            continue;
        }
        let key = &e.key;
        let (span, message, label, help) = if let Some(ws) = &e.inner_trailing_ws {
            (
                ws.clone(),
                format!("the value of `{key}` ends with whitespace inside its quotes"),
                "trailing whitespace",
                "Every loader keeps whitespace inside quotes, and the SDK sends it with the value: remove it.",
            )
        } else if let Some(ws) = &e.inner_leading_ws {
            (
                ws.clone(),
                format!("the value of `{key}` starts with whitespace inside its quotes"),
                "leading whitespace",
                "Every loader keeps whitespace inside quotes, and the SDK sends it with the value: remove it.",
            )
        } else if let Some(ws) = &e.trailing_ws {
            (
                ws.clone(),
                format!("the value of `{key}` is followed by whitespace"),
                "trailing whitespace",
                "python-dotenv strips it, but `docker run --env-file` keeps it in the value: remove it.",
            )
        } else if let Some(ws) = &e.space_after_eq {
            (
                ws.clone(),
                format!("whitespace between `=` and the value of `{key}`"),
                "whitespace after `=`",
                "python-dotenv skips it, but `docker run --env-file` keeps it in the value and a shell that \
                 sources the file runs the value as a command: remove it.",
            )
        } else {
            continue;
        };
        let f = cx.report(&VALUE_WHITESPACE, span, message);
        f.label = label.into();
        f.help = Some(help.into());
    }
}
