//! `env/misspelled-sdk-name`

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags an environment variable name, read in code or defined in an env file or
    /// manifest, that is a near miss of a name an SDK reads: `OPENAI_KEY`,
    /// `OPEN_AI_API_KEY`, `OPENAI_APIKEY`, `OPENAPI_API_KEY` for `OPENAI_API_KEY`;
    /// `AWS_SECRET_KEY` for `AWS_SECRET_ACCESS_KEY`; `HF_API_TOKEN` for `HF_TOKEN`.
    ///
    /// Near misses are token-aware: the same words with other separators, one word
    /// misspelled (one slip in a word of four letters or more, two in eight), two words
    /// swapped, or, for credentials, a qualifier such as `API` dropped, added or traded
    /// for another (`KEY` for `TOKEN`). Names an SDK really reads are never reported, and
    /// neither is a name the project uses consistently: read in code and defined in its
    /// env files or manifests under the same spelling.
    ///
    /// ## Why is this bad?
    /// The SDK never sees the variable. `.env` holds a perfectly good key under
    /// `OPENAI_KEY`, the OpenAI client reads `OPENAI_API_KEY`, finds nothing, and the call
    /// fails with "api_key must be set" or `401 Unauthorized`, while everyone checks the
    /// key instead of its name.
    ///
    /// ## Example
    /// ```python
    /// client = OpenAI(api_key=os.environ["OPENAI_APIKEY"])
    /// ```
    /// Use instead:
    /// ```python
    /// client = OpenAI()  # reads OPENAI_API_KEY
    /// ```
    /// or define `OPENAI_APIKEY` in the project's `.env.example` and pass it explicitly, as
    /// above, if the custom name is deliberate.
    ///
    /// ## References
    /// - `rules/env/sdk-names.toml`: the names each SDK reads, with the file in its package where it reads them
    pub static MISSPELLED_SDK_NAME = ("env/misspelled-sdk-name", "Misspelled SDK environment variable", EnvName, Error, ["source", "dotenv", "compose", "kubernetes", "dockerfile", "workflow"]);
}
