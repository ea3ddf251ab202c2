//! `dotenv/stray-quotes`

use super::parse::{Dotenv, QuoteProblem};
use crate::declare_rule;
use crate::engine::Cx;

declare_rule! {
    /// ## What it does
    /// Flags a dotenv value whose quotes are unbalanced: an opening quote that never
    /// closes, a value that opens with one quote character and ends with another, text
    /// after the closing quote, or a stray quote at the end of an unquoted value.
    ///
    /// ## Why is this bad?
    /// Loaders disagree about such a line, and none of them reads the key you meant.
    /// python-dotenv cannot parse it and skips it with a warning (an unclosed double quote
    /// may instead swallow the following lines into the value); `docker run --env-file`
    /// keeps every quote character as part of the value; Node's dotenv keeps the stray
    /// quote. The SDK then sends `"sk-...` and the API answers `401 Unauthorized`.
    ///
    /// ## Example
    /// ```sh
    /// OPENAI_API_KEY="sk-proj-...
    /// STRIPE_API_KEY='sk_live_..."
    /// ```
    /// Use instead:
    /// ```sh
    /// OPENAI_API_KEY="sk-proj-..."
    /// STRIPE_API_KEY='sk_live_...'
    /// ```
    ///
    /// ## References
    /// - python-dotenv 1.2.4, `dotenv/parser.py`: a value that does not match `_double_quoted_value` is an error binding
    /// - <https://github.com/docker/cli/issues/3630> (`--env-file` keeps quotes)
    pub static STRAY_QUOTES = ("dotenv/stray-quotes", "Unbalanced quotes in a dotenv value", Dotenv, Error, ["dotenv"]);
}

pub fn check(cx: &mut Cx<'_>, env: &Dotenv) {
    let text = cx.text();
    for e in &env.entries {
        let Some(problem) = &e.quote_problem else {
            continue;
        };
        let key = &e.key;
        let ch = |at: usize| text.get(at..at + 1).unwrap_or("'");
        let (span, message, label, help) = match problem {
            QuoteProblem::Unclosed { open } => (
                *open..open + 1,
                format!("the quote that opens the value of `{key}` is never closed"),
                "opened here".to_string(),
                "python-dotenv skips the line (or reads the next lines into the value) and \
                 `docker run --env-file` keeps the quote: close it or remove it."
                    .to_string(),
            ),
            QuoteProblem::Mismatched { open, close } => (
                *close..close + 1,
                format!("the value of `{key}` opens with {} and ends with {}", ch(*open), ch(*close)),
                format!("does not match the {} that opens the value", ch(*open)),
                "python-dotenv skips the line and `docker run --env-file` keeps both quotes: use the same quote \
                 on both ends."
                    .to_string(),
            ),
            QuoteProblem::TextAfterClose { rest, .. } => (
                rest.clone(),
                format!("text follows the closing quote of `{key}`"),
                "after the closing quote".to_string(),
                "python-dotenv cannot parse the line and skips it: quote the whole value.".to_string(),
            ),
            QuoteProblem::Stray { at } => (
                *at..at + 1,
                format!("the unquoted value of `{key}` ends with a stray {}", ch(*at)),
                "stray quote".to_string(),
                "Every loader keeps it as part of the value: remove it, or quote the whole value.".to_string(),
            ),
        };
        let f = cx.report(&STRAY_QUOTES, span, message);
        f.label = label;
        f.help = Some(help);
    }
}
