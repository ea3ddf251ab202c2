//! `dotenv/duplicate-key`

use super::parse::Dotenv;
use crate::declare_rule;
use crate::engine::Cx;
use crate::finding::Related;
use std::collections::HashMap;
use std::sync::Arc;

declare_rule! {
    /// ## What it does
    /// Flags a key that a dotenv file defines more than once, at each later definition.
    ///
    /// ## Why is this bad?
    /// Loaders keep one value silently: python-dotenv, Node's dotenv and
    /// `docker run --env-file` all end up with the last one. A key rotated by adding a new
    /// line at the end, or a stale line left above a fresh one, decides which credential
    /// the application really sends, and the file no longer says so at a glance.
    ///
    /// ## Example
    /// ```sh
    /// OPENAI_API_KEY=sk-proj-old...
    /// OPENAI_MODEL=gpt-4o
    /// OPENAI_API_KEY=sk-proj-new...
    /// ```
    /// Use instead: keep one definition (and revoke the key you removed).
    pub static DUPLICATE_KEY = ("dotenv/duplicate-key", "Duplicate dotenv key", Dotenv, Warning, ["dotenv"]);
}

pub fn check(cx: &mut Cx<'_>, env: &Dotenv) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, e) in env.entries.iter().enumerate() {
        let Some(&j) = first.get(e.key.as_str()) else {
            first.insert(&e.key, i);
            continue;
        };
        let earlier = &env.entries[j];
        let file = Arc::clone(cx.file);
        let f = cx.report(
            &DUPLICATE_KEY,
            e.key_span.clone(),
            format!("`{}` is defined again", e.key),
        );
        f.label = "defined again here".into();
        f.help = Some(
            "Loaders silently keep the last value: remove the definition you do not want.".into(),
        );
        f.related.push(Related {
            file,
            span: earlier.key_span.clone(),
            message: "first defined here".into(),
        });
    }
}
