//! The rule registry's contract: every secret pattern's examples match and negative examples
//! don't; ids are unique; kind-aware rules carry complete docs and a fixture; the README's rule
//! table and provider-family counts are generated from the registry (one registry, no drift).
//!
//! `KEYLINT_BLESS=1 cargo test --test rules_data` rewrites the generated README sections.

use keylint::kinds::RULES;
use keylint::patterns::{self, Patterns};
use keylint::rule::RuleKind;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn builtin() -> Patterns {
    Patterns::compile(
        Patterns::builtin_defs().expect("rule files parse"),
        Default::default(),
    )
    .expect("rules compile")
}

#[test]
fn every_secret_rule_compiles() {
    patterns::compile_all(&builtin()).expect("every regex compiles");
}

#[test]
fn every_secret_rule_example_matches_and_no_negative_does() {
    let p = builtin();
    let mut report = patterns::ExampleReport::default();
    let mut problems = Vec::new();
    for r in &p.rules {
        patterns::check_examples(r, &p, &mut report);
        if r.examples.len() < 2 {
            problems.push(format!("{}: needs at least 2 examples", r.id));
        }
        if r.negative_examples.is_empty() {
            problems.push(format!("{}: needs a negative example", r.id));
        }
        if r.description.trim().is_empty() || r.help.trim().is_empty() || r.name.trim().is_empty() {
            problems.push(format!("{}: needs a name, description and help", r.id));
        }
        if r.keywords.iter().any(|k| k.len() < 3) {
            problems.push(format!("{}: keywords must be at least 3 characters", r.id));
        }
    }
    problems.extend(report.failures);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn at_least_300_secret_rules() {
    let n = builtin().rules.len();
    assert!(n >= 300, "only {n} secret rules");
}

#[test]
fn rule_ids_are_unique_across_kinds() {
    let mut seen = BTreeSet::new();
    for r in RULES {
        assert!(
            seen.insert(r.id.to_string()),
            "duplicate kind-aware rule id {}",
            r.id
        );
    }
    for r in &builtin().rules {
        assert!(seen.insert(r.id.clone()), "rule id {} is used twice", r.id);
    }
}

#[test]
fn kind_aware_rules_have_complete_docs_and_a_fixture() {
    let mut fixture_text = String::new();
    collect_text(&root().join("fixtures"), &mut fixture_text);
    for r in RULES {
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "Use instead:",
        ] {
            assert!(r.docs.contains(heading), "{}: docs lack `{heading}`", r.id);
        }
        assert!(!r.summary().is_empty(), "{}: empty summary", r.id);
        assert!(
            fixture_text.contains(&format!("keylint-expect: {}", r.id))
                || fixture_text.contains(&format!(" {}\n", r.id)),
            "{}: no fixture marks an expected hit",
            r.id
        );
    }
}

fn collect_text(dir: &std::path::Path, out: &mut String) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            collect_text(&p, out);
        } else if let Ok(b) = std::fs::read(&p) {
            out.push_str(&String::from_utf8_lossy(&b));
            out.push('\n');
        }
    }
}

/// The README sections generated from the registry.
fn generated_sections() -> Vec<(&'static str, String)> {
    let mut rules = String::from("| Rule | Kind | Severity | What it flags |\n|---|---|---|---|\n");
    let mut sorted: Vec<_> = RULES.iter().collect();
    sorted.sort_by_key(|r| (r.kind, r.id));
    for r in sorted {
        rules.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            r.id,
            r.kind,
            r.severity,
            r.summary().replace('|', "\\|")
        ));
    }
    let p = builtin();
    let mut families: BTreeMap<String, usize> = BTreeMap::new();
    for r in &p.rules {
        *families.entry(r.family.clone()).or_default() += 1;
    }
    let mut fam = format!(
        "{} secret rules in {} provider families:\n\n| Family | Rules |\n|---|---|\n",
        p.rules.len(),
        families.len()
    );
    for (f, n) in &families {
        fam.push_str(&format!("| {f} | {n} |\n"));
    }
    let _ = RuleKind::ALL;
    vec![("rules", rules), ("families", fam)]
}

#[test]
fn readme_tables_match_the_registry() {
    let path = root().join("README.md");
    let mut readme = std::fs::read_to_string(&path).expect("README.md");
    let bless = std::env::var_os("KEYLINT_BLESS").is_some();
    let mut stale = Vec::new();
    for (name, body) in generated_sections() {
        let start = format!("<!-- {name}:start -->\n");
        let end = format!("<!-- {name}:end -->");
        let s = readme
            .find(&start)
            .unwrap_or_else(|| panic!("README lacks {start}"))
            + start.len();
        let e = readme[s..]
            .find(&end)
            .unwrap_or_else(|| panic!("README lacks {end}"))
            + s;
        if readme[s..e] != body {
            stale.push(name);
            readme.replace_range(s..e, &body);
        }
    }
    if bless {
        std::fs::write(&path, readme).expect("write README");
    } else {
        assert!(stale.is_empty(), "README sections {stale:?} drifted from the registry; run KEYLINT_BLESS=1 cargo test --test rules_data");
    }
}
