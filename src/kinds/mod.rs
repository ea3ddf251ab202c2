//! Kind-aware rules: each file kind's typed model and the rules that read it. This module is the
//! registry: every kind-aware rule is listed in [`RULES`] and dispatched from [`check`].

pub mod generic_secret;

use crate::engine::Cx;
use crate::rule::Rule;

/// Every kind-aware rule. A test checks ids are unique, docs complete, and the README in sync.
pub static RULES: &[&Rule] = &[&generic_secret::GENERIC_SECRET];

/// Runs the kind-aware rules that apply to the file's kind.
pub fn check(cx: &mut Cx<'_>, skip_generic: bool) {
    if !skip_generic && cx.enabled(&generic_secret::GENERIC_SECRET) {
        generic_secret::check(cx);
    }
}
