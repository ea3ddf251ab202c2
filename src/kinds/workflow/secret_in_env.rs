//! `workflow/secret-in-env`

use crate::declare_rule;
use crate::engine::Cx;
use crate::file_kind::Ci;
use crate::kinds::entries::Entry;
use crate::kinds::leak;

declare_rule! {
    /// ## What it does
    /// Flags a literal secret in a CI workflow: a GitHub Actions `env:` (workflow, job, step,
    /// job container or service level), a step's `with:` input, a reusable workflow call's
    /// `secrets:`, or a GitLab CI `variables:` entry (global or per job). A secret-like name
    /// with a literal value, or any value that matches a provider pattern, is flagged.
    ///
    /// `${{ secrets.X }}`, `${{ vars.X }}`, `$CI_VARIABLE` references and placeholders stay
    /// silent.
    ///
    /// ## Why is this bad?
    /// Workflow files are readable by everyone who can read the repository (everyone, for a
    /// public one), and forks and pull requests carry them along. A value written there is
    /// not masked in logs either.
    ///
    /// ## Example
    /// ```yaml
    /// - run: npm publish
    ///   env:
    ///     NODE_AUTH_TOKEN: npm_...
    /// ```
    /// Use instead:
    /// ```yaml
    /// - run: npm publish
    ///   env:
    ///     NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
    /// ```
    /// (in GitLab CI: a masked, protected CI/CD variable set in the project settings).
    pub static SECRET_IN_ENV = ("workflow/secret-in-env", "Secret in CI workflow", Manifest, Error, ["workflow"]);
}

pub fn check(cx: &mut Cx<'_>, entries: &[Entry], ci: Ci) {
    let help = match ci {
        Ci::GitHub => "Store it as an encrypted secret and use `${{ secrets.NAME }}`; rotate the leaked value.",
        Ci::GitLab => "Store it as a masked, protected CI/CD variable in the project settings; rotate the leaked value.",
    };
    for entry in entries {
        if let Some(found) = leak::judge(cx, &entry.name, &entry.value, entry.value_span.clone()) {
            leak::report_entry(cx, &SECRET_IN_ENV, entry, found, help);
        }
    }
}
