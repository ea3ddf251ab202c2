//! `env/undefined-read`

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags code that reads an environment variable the repository never defines while
    /// its env files or manifests define a near miss of it: settings read
    /// `POSTGRES_PASSWOD`, compose sets `POSTGRES_PASSWORD`. Reported at the read, with
    /// the definition as a second location.
    ///
    /// A definition applies to files under the directory of the file that makes it (a root
    /// `.env` to the whole repository, `services/api/.env` to `services/api/**`), so each
    /// service of a monorepo is judged on its own. Silent when the repository defines no
    /// environment at all, and for names it defines under the same spelling.
    ///
    /// ## Why is this bad?
    /// The read gets nothing (or its fallback) in every environment the repository
    /// describes, and the definition next to it is dead. The mistake shows up only at run
    /// time, as an authentication failure far from the typo.
    ///
    /// ## Example
    /// ```python
    /// "PASSWORD": os.environ["POSTGRES_PASSWOD"],
    /// ```
    /// Use instead:
    /// ```python
    /// "PASSWORD": os.environ["POSTGRES_PASSWORD"],
    /// ```
    pub static UNDEFINED_READ = ("env/undefined-read", "Read of an undefined near-miss variable", EnvName, Error, ["source", "compose", "dockerfile"]);
}
