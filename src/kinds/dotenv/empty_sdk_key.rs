//! `dotenv/empty-sdk-key`

use super::parse::Dotenv;
use crate::declare_rule;
use crate::engine::Cx;
use crate::repo::sdk_names::{Holds, SdkNames};

declare_rule! {
    /// ## What it does
    /// Flags a credential that an SDK reads (`OPENAI_API_KEY`, `AWS_SECRET_ACCESS_KEY`,
    /// `HF_TOKEN` …) set to an empty value in a runtime `.env` file. Templates
    /// (`.env.example`) are not checked: a blank there is the point.
    ///
    /// ## Why is this bad?
    /// `KEY=` sets the variable to the empty string, and an empty string is not a missing
    /// variable: the SDK finds its key, sends nothing in its place, and the API answers
    /// `401 Unauthorized` instead of the SDK's clear "no API key" error. Where the key is
    /// already exported in the shell, Node's dotenv and python-dotenv leave it alone, so
    /// the same file behaves differently from one machine to the next.
    ///
    /// ## Example
    /// ```sh
    /// OPENAI_API_KEY=
    /// ```
    /// Use instead: set the key, or delete the line so the variable can come from the
    /// environment.
    pub static EMPTY_SDK_KEY = ("dotenv/empty-sdk-key", "Empty SDK credential", Dotenv, Warning, ["dotenv"]);
}

pub fn check(cx: &mut Cx<'_>, env: &Dotenv) {
    let sdk = SdkNames::embedded();
    for e in &env.entries {
        if e.value.as_deref() != Some("") {
            continue;
        }
        let Some((s, var)) = sdk.lookup(&e.key) else {
            continue;
        };
        if var.holds != Holds::Secret {
            continue;
        }
        let f = cx.report(
            &EMPTY_SDK_KEY,
            e.key_span.clone(),
            format!("`{}` is set to an empty value", e.key),
        );
        f.label = "empty".into();
        f.help = Some(format!(
            "The {} SDK reads `{}` and sends the empty value as its credential: set it, or delete the line.",
            s.name, e.key
        ));
    }
}
