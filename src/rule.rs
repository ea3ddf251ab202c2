//! Rule metadata shared by kind-aware rules (Rust code) and data rules (secret patterns).
//!
//! One declaration carries a rule's id, kind, severity and documentation, so nothing is listed
//! twice: `keylint rules`, `keylint rule ID`, the README table test, JSON and SARIF all read it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a rule is about. Carried in `keylint rules`, JSON (`kind`) and SARIF (`properties.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// A leaked credential, found by a provider pattern or the generic detector.
    Secret,
    /// A secret baked into a container image.
    Dockerfile,
    /// A secret written into compose, Kubernetes or CI workflow files.
    Manifest,
    /// An environment variable name that no SDK or code reads (the 401 cause).
    EnvName,
    /// A placeholder left where the application reads a real value at run time.
    Placeholder,
    /// `.env` file hygiene.
    Dotenv,
}

impl RuleKind {
    pub const ALL: [RuleKind; 6] = [
        RuleKind::Secret,
        RuleKind::Dockerfile,
        RuleKind::Manifest,
        RuleKind::EnvName,
        RuleKind::Placeholder,
        RuleKind::Dotenv,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Secret => "secret",
            RuleKind::Dockerfile => "dockerfile",
            RuleKind::Manifest => "manifest",
            RuleKind::EnvName => "env-name",
            RuleKind::Placeholder => "placeholder",
            RuleKind::Dotenv => "dotenv",
        }
    }
}

impl fmt::Display for RuleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a finding is. `--fail-on` compares against it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Warning,
    #[default]
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind-aware rule written in Rust. Declared with [`declare_rule!`].
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub kind: RuleKind,
    pub severity: Severity,
    /// File kinds the rule reads, for `keylint rules` (e.g. `&["dockerfile"]`).
    pub file_kinds: &'static [&'static str],
    /// The rule's doc comment: `## What it does`, `## Why is this bad?`, `## Example`, `Use instead:`.
    pub docs: &'static str,
}

impl Rule {
    /// The first sentence of `## What it does`, used as the short description.
    pub fn summary(&self) -> String {
        summary_of(self.docs)
    }
}

/// The first paragraph after `## What it does` (or the first paragraph at all).
pub fn summary_of(docs: &str) -> String {
    let mut lines = docs.lines().map(str::trim);
    let mut out = String::new();
    let mut started = false;
    for line in lines.by_ref() {
        if line.starts_with("## What it does") {
            started = true;
            continue;
        }
        if !started && line.starts_with("##") {
            continue;
        }
        if line.is_empty() {
            if out.is_empty() {
                started = true;
                continue;
            }
            break;
        }
        if line.starts_with("##") {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// Declares a kind-aware rule: a `pub static` [`Rule`] whose docs are the doc comment.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub static SECRET_IN_ENV = ("dockerfile/secret-in-env", "Secret in ENV", Dockerfile, Error, ["dockerfile"]);
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = ($id:literal, $name:literal, $kind:ident, $sev:ident, [$($fk:literal),* $(,)?]);
    ) => {
        $(#[doc = $doc])*
        $vis static $ident: $crate::rule::Rule = $crate::rule::Rule {
            id: $id,
            name: $name,
            kind: $crate::rule::RuleKind::$kind,
            severity: $crate::rule::Severity::$sev,
            file_kinds: &[$($fk),*],
            docs: concat!($($doc, "\n"),*),
        };
    };
}

/// A row of `keylint rules`: either a kind-aware rule or a secret pattern.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub name: String,
    pub kind: RuleKind,
    pub severity: Severity,
    pub file_kinds: Vec<String>,
    pub summary: String,
    #[serde(skip)]
    pub docs: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
}
