//! Declarative secret patterns: `rules/secrets/*.toml` (embedded at build time) plus users' own
//! `[[rule]]` entries, compiled once per run.
//!
//! One Aho-Corasick automaton over every rule's keywords decides which regexes run on a file, so
//! no regex runs on a file that holds none of its keywords. Matching is on bytes.

pub mod randomness;
pub mod validators;

use crate::classify;
use crate::error::Error;
use crate::rule::{RuleInfo, RuleKind, Severity};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use std::ops::Range;
use std::path::PathBuf;
use toml::Spanned;
pub use validators::Validator;

/// The built-in rule files, embedded at build time (see `build.rs`).
pub static BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A `rules/secrets/*.toml` file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// The provider family (README counts rules per family).
    pub family: String,
    #[serde(default)]
    pub rule: Vec<RuleDef>,
}

/// One declarative secret rule. The same schema serves `rules/secrets/*.toml` and `[[rule]]` in
/// `keylint.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: Spanned<String>,
    pub name: String,
    pub description: String,
    pub help: String,
    #[serde(default)]
    pub provider: Option<String>,
    pub keywords: Vec<String>,
    pub regex: Spanned<String>,
    #[serde(default)]
    pub min_entropy: Option<f64>,
    #[serde(default)]
    pub severity: Severity,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default)]
    pub validator: Option<Validator>,
    /// A name-based rule without a distinctive prefix: not run on minified files and lockfiles.
    #[serde(default)]
    pub generic: bool,
    /// Parts of a multi-part credential share a group (AWS key id and secret).
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// A compiled rule.
#[derive(Debug)]
pub struct Pattern {
    pub id: String,
    pub name: String,
    pub family: String,
    pub provider: String,
    pub description: String,
    pub help: String,
    pub keywords: Vec<String>,
    /// The regex source; compiled on first use, so a run pays only for rules whose keywords occur.
    pub regex_src: String,
    regex: std::sync::OnceLock<Option<regex::bytes::Regex>>,
    pub min_entropy: Option<f64>,
    pub severity: Severity,
    pub references: Vec<String>,
    pub validator: Option<Validator>,
    pub generic: bool,
    pub group: Option<String>,
    pub examples: Vec<String>,
    pub negative_examples: Vec<String>,
}

impl Pattern {
    /// The compiled regex (compiled once, on first use).
    pub fn regex(&self) -> Option<&regex::bytes::Regex> {
        self.regex
            .get_or_init(|| build_regex(&self.regex_src).ok())
            .as_ref()
    }

    pub fn info(&self) -> RuleInfo {
        let mut docs = format!(
            "## What it does\n{}: {}\n\n## Why is this bad?\n{}\n\n## Fix\n{}\n",
            self.name, self.id, self.description, self.help
        );
        docs.push_str(&format!(
            "\n## Pattern\nkeywords: {}\nregex: {}\n",
            self.keywords.join(", "),
            self.regex_src
        ));
        if let Some(e) = self.min_entropy {
            docs.push_str(&format!("min_entropy: {e}\n"));
        }
        if let Some(v) = self.validator {
            docs.push_str(&format!("validator: {v:?}\n"));
        }
        if !self.references.is_empty() {
            docs.push_str("\n## References\n");
            for r in &self.references {
                docs.push_str(&format!("- {r}\n"));
            }
        }
        RuleInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            kind: RuleKind::Secret,
            severity: self.severity,
            file_kinds: vec!["any".into()],
            summary: format!("{}: {}", self.name, self.description),
            docs,
            family: Some(self.family.clone()),
        }
    }

    /// Does a candidate capture pass this rule's own filters (entropy, checksum)?
    pub fn accepts(&self, secret: &[u8]) -> bool {
        if secret.is_empty() {
            return false;
        }
        if let Some(min) = self.min_entropy {
            if classify::shannon_entropy(secret) < min {
                return false;
            }
        }
        if let Some(v) = self.validator {
            if !v.check(secret) {
                return false;
            }
        }
        true
    }

    /// Every accepted match in `hay` (the example/negative-example semantics).
    pub fn matches_in<'h>(
        &'h self,
        hay: &'h [u8],
    ) -> impl Iterator<Item = (Range<usize>, Range<usize>)> + 'h {
        self.regex()
            .into_iter()
            .flat_map(move |re| re.captures_iter(hay))
            .filter_map(move |c| {
                let m = c.get(0)?;
                let s = c.get(1)?;
                let text = &hay[m.range()];
                let has_kw = self.keywords.iter().any(|k| memchr_ci(text, k.as_bytes()));
                (has_kw && self.accepts(&hay[s.range()])).then(|| (m.range(), s.range()))
            })
    }
}

/// ASCII-case-insensitive substring test.
fn memchr_ci(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// A provider-pattern hit in a file.
#[derive(Debug, Clone)]
pub struct SecretMatch {
    pub rule: usize,
    pub span: Range<usize>,
    pub secret: Range<usize>,
}

/// User allowlist from config: values or regexes that are never secrets.
#[derive(Debug, Default)]
pub struct Allowlist {
    pub values: Vec<String>,
    pub regexes: Vec<regex::bytes::Regex>,
}

impl Allowlist {
    pub fn allows(&self, secret: &[u8]) -> bool {
        self.values.iter().any(|v| v.as_bytes() == secret)
            || self.regexes.iter().any(|r| r.is_match(secret))
    }
}

/// All compiled rules and the keyword prefilter.
#[derive(Debug)]
pub struct Patterns {
    pub rules: Vec<Pattern>,
    ac: AhoCorasick,
    /// Aho-Corasick pattern index → rule index.
    kw_rule: Vec<usize>,
    allowlist: Allowlist,
}

/// Where a rule definition came from, for error messages that point into the file.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Built-in rule files are validated by the test suite, not at every start.
    pub builtin: bool,
    pub name: PathBuf,
    pub text: std::sync::Arc<String>,
}

impl Patterns {
    /// Loads the built-in rule files.
    pub fn builtin_defs() -> Result<Vec<(RuleDef, String, Origin)>, Error> {
        let mut out = Vec::new();
        for (name, text) in BUILTIN {
            let origin = Origin {
                builtin: true,
                name: PathBuf::from(format!("rules/secrets/{name}")),
                text: std::sync::Arc::new((*text).to_string()),
            };
            out.extend(parse_rule_file(&origin)?);
        }
        Ok(out)
    }

    /// Compiles rule definitions (built-in and user) once for the run.
    pub fn compile(
        defs: Vec<(RuleDef, String, Origin)>,
        allowlist: Allowlist,
    ) -> Result<Patterns, Error> {
        let mut rules = Vec::with_capacity(defs.len());
        let mut seen = std::collections::HashMap::new();
        let mut keywords: Vec<String> = Vec::new();
        let mut kw_rule = Vec::new();
        for (def, family, origin) in defs {
            let p = compile_def(&def, &family, &origin)?;
            if let Some(prev) = seen.insert(p.id.clone(), origin.name.clone()) {
                return Err(Error::in_file(
                    &origin.name,
                    &origin.text,
                    Some(def.id.span()),
                    format!(
                        "duplicate rule id `{}` (also defined in {})",
                        p.id,
                        prev.display()
                    ),
                ));
            }
            for k in &p.keywords {
                keywords.push(k.clone());
                kw_rule.push(rules.len());
            }
            rules.push(p);
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // A DFA: overlapping search visits every byte, so the per-byte step must be a table lookup.
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&keywords)
            .map_err(|e| Error::Usage(format!("cannot build keyword automaton: {e}")))?;
        Ok(Patterns {
            rules,
            ac,
            kw_rule,
            allowlist,
        })
    }

    /// The rules whose keywords occur in `hay`.
    pub fn candidates(&self, hay: &[u8]) -> Vec<usize> {
        let mut hit = vec![false; self.rules.len()];
        let mut out = Vec::new();
        for m in self.ac.find_overlapping_iter(hay) {
            let r = self.kw_rule[m.pattern().as_usize()];
            if !hit[r] {
                hit[r] = true;
                out.push(r);
            }
        }
        out.sort_unstable();
        out
    }

    /// Scans a file. `skip_generic` for minified files and lockfiles.
    pub fn scan(&self, hay: &[u8], skip_generic: bool, out: &mut Vec<SecretMatch>) {
        // Where each rule's keywords occur: a rule's regex runs only on windows around them.
        let mut at: Vec<Vec<usize>> = Vec::new();
        for m in self.ac.find_overlapping_iter(hay) {
            let r = self.kw_rule[m.pattern().as_usize()];
            if at.is_empty() {
                at.resize_with(self.rules.len(), Vec::new);
            }
            let v = &mut at[r];
            if v.last() != Some(&m.start()) {
                v.push(m.start());
            }
        }
        for (r, positions) in at.iter_mut().enumerate() {
            positions.sort_unstable();
            if positions.is_empty() {
                continue;
            }
            let rule = &self.rules[r];
            if skip_generic && rule.generic {
                continue;
            }
            let mut seen_end = 0usize;
            for w in windows(hay, positions) {
                for (span, secret) in rule.matches_in(&hay[w.clone()]) {
                    let span = w.start + span.start..w.start + span.end;
                    let secret = w.start + secret.start..w.start + secret.end;
                    // Windows may overlap the previous one's matches: keep each match once.
                    if span.start < seen_end {
                        continue;
                    }
                    seen_end = span.end;
                    if self.is_false_alarm(&hay[secret.clone()]) {
                        continue;
                    }
                    out.push(SecretMatch {
                        rule: r,
                        span,
                        secret,
                    });
                }
            }
        }
    }

    /// Does a value (from a kind-aware rule's model) match a provider pattern? Returns the first
    /// non-generic rule that matches, with the secret's range within `value`.
    pub fn match_value(&self, value: &[u8]) -> Option<(&Pattern, Range<usize>)> {
        for r in self.candidates(value) {
            let rule = &self.rules[r];
            if rule.generic {
                continue;
            }
            if let Some((_, s)) = rule
                .matches_in(value)
                .find(|(_, s)| !self.is_false_alarm(&value[s.clone()]))
            {
                return Some((rule, s));
            }
        }
        None
    }

    /// Placeholders, references, documented examples and allowlisted values are not leaks.
    pub fn is_false_alarm(&self, secret: &[u8]) -> bool {
        let s = String::from_utf8_lossy(secret);
        classify::is_placeholder(&s)
            || classify::is_reference(&s)
            || classify::is_documented_example(&s)
            || self.allowlist.allows(secret)
    }

    pub fn get(&self, id: &str) -> Option<&Pattern> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// How far past a keyword a match may reach (a PEM key body, a service-account JSON).
const WINDOW_AFTER: usize = 8192;

/// Merged byte windows around keyword positions: from the start of the line before the keyword
/// to `WINDOW_AFTER` bytes past it, extended to the end of that line. Regexes run on these, not
/// on the whole file, so a file with one keyword costs one short regex run per rule.
fn windows(hay: &[u8], positions: &[usize]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for &p in positions {
        let line_start = memchr::memrchr(b'\n', &hay[..p]).map_or(0, |i| i + 1);
        let start = if line_start == 0 {
            0
        } else {
            memchr::memrchr(b'\n', &hay[..line_start - 1]).map_or(0, |i| i + 1)
        };
        let reach = (p + WINDOW_AFTER).min(hay.len());
        let end = memchr::memchr(b'\n', &hay[reach..]).map_or(hay.len(), |i| reach + i + 1);
        match out.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => out.push(start..end),
        }
    }
    out
}

/// Parses one rule file; errors point into it.
pub fn parse_rule_file(origin: &Origin) -> Result<Vec<(RuleDef, String, Origin)>, Error> {
    let file: RuleFile = toml::from_str(&origin.text).map_err(|e| {
        Error::in_file(
            &origin.name,
            &origin.text,
            e.span(),
            e.message().to_string(),
        )
    })?;
    Ok(file
        .rule
        .into_iter()
        .map(|d| (d, file.family.clone(), origin.clone()))
        .collect())
}

fn compile_def(def: &RuleDef, family: &str, origin: &Origin) -> Result<Pattern, Error> {
    let err = |span: Range<usize>, msg: String| {
        Error::in_file(&origin.name, &origin.text, Some(span), msg)
    };
    let id = def.id.get_ref().clone();
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'/')
    {
        return Err(err(
            def.id.span(),
            format!("rule id `{id}` must be lowercase kebab-case"),
        ));
    }
    if def.keywords.is_empty() || def.keywords.iter().any(|k| k.len() < 2) {
        return Err(err(
            def.id.span(),
            format!("rule `{id}` needs keywords of at least 2 characters"),
        ));
    }
    // Built-in rules are validated by `cargo test`; users' rules are checked here, by parsing
    // (not compiling) the regex, which validates the syntax and counts groups cheaply.
    if !origin.builtin {
        validate_regex(def, &id, origin)?;
    }
    Ok(Pattern {
        id,
        name: def.name.clone(),
        family: family.to_string(),
        provider: def.provider.clone().unwrap_or_else(|| family.to_string()),
        description: def.description.clone(),
        help: def.help.clone(),
        keywords: def.keywords.clone(),
        regex_src: def.regex.get_ref().clone(),
        regex: std::sync::OnceLock::new(),
        min_entropy: def.min_entropy,
        severity: def.severity,
        references: def.references.clone(),
        validator: def.validator,
        generic: def.generic,
        group: def.group.clone(),
        examples: def.examples.clone(),
        negative_examples: def.negative_examples.clone(),
    })
}

fn validate_regex(def: &RuleDef, id: &str, origin: &Origin) -> Result<(), Error> {
    let err = |msg: String| Error::in_file(&origin.name, &origin.text, Some(def.regex.span()), msg);
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(def.regex.get_ref())
        .map_err(|e| err(format!("rule `{id}`: invalid regex: {e}")))?;
    let groups = hir.properties().explicit_captures_len();
    if groups != 1 {
        return Err(err(format!(
            "rule `{id}`: the regex must have exactly one capture group (the secret), found {groups}"
        )));
    }
    build_regex(def.regex.get_ref()).map_err(|e| err(format!("rule `{id}`: {e}")))?;
    Ok(())
}

fn build_regex(src: &str) -> Result<regex::bytes::Regex, regex::Error> {
    regex::bytes::RegexBuilder::new(src)
        .size_limit(64 << 20)
        .dfa_size_limit(8 << 20)
        .build()
}

/// Compiles every rule's regex now (for `rules check` and tests), reporting the first failure.
pub fn compile_all(p: &Patterns) -> Result<(), String> {
    for r in &p.rules {
        let re = build_regex(&r.regex_src).map_err(|e| format!("{}: {e}", r.id))?;
        if re.captures_len() != 2 {
            return Err(format!(
                "{}: the regex must have exactly one capture group",
                r.id
            ));
        }
    }
    Ok(())
}

/// The outcome of checking one rule's examples (`keylint rules check`, `cargo test`).
#[derive(Debug, Default)]
pub struct ExampleReport {
    pub failures: Vec<String>,
    pub checked: usize,
}

/// Checks every example (must match, with a non-empty capture) and negative example (must not).
pub fn check_examples(p: &Pattern, patterns: &Patterns, out: &mut ExampleReport) {
    if p.examples.is_empty() {
        out.failures.push(format!("{}: no examples", p.id));
    }
    for ex in &p.examples {
        out.checked += 1;
        let hay = ex.as_bytes();
        let hit = p
            .matches_in(hay)
            .find(|(_, s)| !patterns.is_false_alarm(&hay[s.clone()]));
        if hit.is_none() {
            out.failures
                .push(format!("{}: example does not match: {ex}", p.id));
        }
    }
    for ex in &p.negative_examples {
        out.checked += 1;
        let hay = ex.as_bytes();
        if p.matches_in(hay)
            .any(|(_, s)| !patterns.is_false_alarm(&hay[s.clone()]))
        {
            out.failures
                .push(format!("{}: negative example matches: {ex}", p.id));
        }
    }
}
