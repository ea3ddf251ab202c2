//! The command line. Doc comments are the `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// keylint: find leaked keys, placeholders, misspelled env names and .env mistakes before they
/// reach a commit, an image or an API that answers 401.
#[derive(Debug, Parser)]
#[command(
    name = "keylint",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A bare `keylint` checks `.` with these options.
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and directories (the default).
    Check(CheckArgs),
    /// List every rule, or validate a rule file with `keylint rules check FILE`.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Rule {
        /// The rule id, e.g. `openai-project-key` or `dockerfile/secret-in-env`.
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: Option<RulesCommand>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Validate a rule file (the `rules/secrets/*.toml` schema, or a keylint.toml with `[[rule]]`):
    /// it compiles, every example matches, no negative example matches.
    Check {
        /// The file to validate.
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// miette diagnostics with the source line and a label under the secret.
    #[default]
    Human,
    /// A versioned JSON document (schema in the README).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FailOn {
    #[default]
    Warning,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Color {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args, Default, Clone)]
pub struct CheckArgs {
    /// Files or directories to check (default `.`); `-` reads standard input (needs --stdin-filename).
    pub paths: Vec<PathBuf>,
    /// Check standard input as if it were this file: its kind and config come from this name.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only these rules: ids, prefixes ending at `/` (`dockerfile/`), or kinds (`secret`).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Option<Vec<String>>,
    /// Skip these rules: ids, prefixes ending at `/`, or kinds.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Use this config file instead of looking for keylint.toml / .keylint.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Don't honour .gitignore, .ignore and .keylintignore.
    #[arg(long)]
    pub no_ignore: bool,
    /// Apply ignore files and `exclude` to paths named on the command line too (for pre-commit).
    #[arg(long)]
    pub force_exclude: bool,
    /// Skip files larger than this many bytes (they are counted in the summary).
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Worker threads (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Print secrets in full instead of masking all but their first 4 characters.
    #[arg(long)]
    pub show_secrets: bool,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t)]
    pub fail_on: FailOn,
    /// Exit 0 even when there are findings (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print only findings, no summary or notes.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
}
