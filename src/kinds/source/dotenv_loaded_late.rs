//! `env/dotenv-loaded-late`

use super::load_order::late_reads;
use crate::declare_rule;
use crate::engine::Cx;
use crate::finding::Related;
use std::sync::Arc;

declare_rule! {
    /// ## What it does
    /// Flags a Python module that reads an environment variable when it is imported
    /// (at module level, in a class body, a default argument or a decorator) before it
    /// calls `load_dotenv()`, or that calls `load_dotenv()` only inside a function.
    /// Reads inside function bodies are not judged: they run when the function is called.
    ///
    /// ## Why is this bad?
    /// `load_dotenv()` changes `os.environ` from the moment it runs. A read that runs
    /// earlier sees the variable as unset (or gets its fallback), however correct the
    /// `.env` file is, and the client is built without its key: `401 Unauthorized`, or
    /// "api_key must be set", only on machines where the variable is not exported.
    ///
    /// ## Example
    /// ```python
    /// import os
    /// from dotenv import load_dotenv
    ///
    /// DB_URL = os.environ["DATABASE_URL"]
    /// load_dotenv()
    /// ```
    /// Use instead:
    /// ```python
    /// import os
    /// from dotenv import load_dotenv
    ///
    /// load_dotenv()
    /// DB_URL = os.environ["DATABASE_URL"]
    /// ```
    pub static DOTENV_LOADED_LATE = ("env/dotenv-loaded-late", "Environment read before load_dotenv()", Dotenv, Error, ["source"]);
}

pub fn check(cx: &mut Cx<'_>) {
    for r in late_reads(cx.text()) {
        let file = Arc::clone(cx.file);
        let (message, related) = if r.load_in_function {
            (
                format!("`{}` is read when the module is imported, but `.env` is only loaded inside a function", r.name),
                "`.env` is loaded here, when the function runs",
            )
        } else {
            (
                format!("`{}` is read before `.env` is loaded", r.name),
                "`.env` is loaded only here",
            )
        };
        let f = cx.report(&DOTENV_LOADED_LATE, r.span.clone(), message);
        f.label = "read at import time".into();
        f.help = Some("Call `load_dotenv()` at the top of the entry module, before anything reads the environment.".into());
        f.related.push(Related {
            file,
            span: r.load,
            message: related.into(),
        });
    }
}
