//! Rendering: the only place that prints. Secrets are masked here, before anything renders,
//! keeping their byte length so labels still line up; `--show-secrets` turns masking off.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::finding::{Finding, Outcome};
use crate::rule::RuleInfo;
use std::io::Write;
use std::ops::Range;

/// Rendering options.
#[derive(Debug, Clone)]
pub struct Options {
    pub show_secrets: bool,
    pub color: bool,
    pub quiet: bool,
    /// Terminal width for human output.
    pub width: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            show_secrets: false,
            color: false,
            quiet: false,
            width: 80,
        }
    }
}

/// Masks `s[range]` in place: keeps the first 4 characters and replaces every other character
/// with `*` repeated to its UTF-8 length, so byte offsets do not move. Line breaks are kept, so a
/// multi-line secret (a PEM key) does not merge lines and shift every line number after it.
pub fn mask_range(s: &mut String, range: Range<usize>) {
    let start = crate::source::floor_char_boundary(s, range.start);
    let end = crate::source::floor_char_boundary(s, range.end);
    if start >= end {
        return;
    }
    let mut out = String::with_capacity(end - start);
    for (i, c) in s[start..end].chars().enumerate() {
        if i < 4 || c == '\n' || c == '\r' {
            out.push(c);
        } else {
            for _ in 0..c.len_utf8() {
                out.push('*');
            }
        }
    }
    s.replace_range(start..end, &out);
}

/// The text of a finding's file with every secret of `findings` masked.
///
/// The related locations of a finding that carries a secret are masked too: they point at the
/// other parts of the credential (an AWS key id's secret key), and that part may have no finding
/// of its own to mask it (suppressed inline, or its rule not selected), yet the label shows its
/// line.
pub fn masked_text(text: &str, findings: &[&Finding], show: bool) -> String {
    let mut s = text.to_string();
    if !show {
        for f in findings {
            if let Some(r) = &f.secret {
                mask_range(&mut s, r.clone());
                for rel in &f.related {
                    if rel.file.path == f.file.path {
                        mask_range(&mut s, rel.span.clone());
                    }
                }
            }
        }
    }
    s
}

/// The secret of a finding as it may be shown: masked unless `show`.
pub fn secret_preview(f: &Finding, show: bool) -> Option<String> {
    let r = f.secret.clone()?;
    let text = &f.file.text;
    let start = crate::source::floor_char_boundary(text, r.start);
    let end = crate::source::floor_char_boundary(text, r.end);
    let mut s = text[start..end].to_string();
    if !show {
        let len = s.len();
        mask_range(&mut s, 0..len);
    }
    Some(s)
}

/// The path as a forward-slash string.
pub fn path_str(p: &std::path::Path) -> String {
    let s = p.to_string_lossy();
    if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

/// Writes non-finding messages (notes, errors) to stderr.
pub fn write_diagnostics(outcome: &Outcome, quiet: bool, w: &mut dyn Write) -> std::io::Result<()> {
    for e in &outcome.errors {
        writeln!(w, "error: {}: {}", e.path.display(), e.message)?;
    }
    if !quiet {
        for n in &outcome.notes {
            writeln!(w, "note: {n}")?;
        }
    }
    Ok(())
}

/// Prints a tool error (bad config, bad rule file) as a miette diagnostic.
pub fn write_error(
    err: &crate::error::Error,
    color: bool,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut s = String::new();
    if handler.render_report(&mut s, err).is_err() {
        s = format!("error: {err}\n");
    }
    w.write_all(s.as_bytes())
}

/// `keylint rules`.
pub fn write_rules(rules: &[RuleInfo], json: bool, w: &mut dyn Write) -> std::io::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *w, rules)?;
        writeln!(w)?;
        return Ok(());
    }
    let idw = rules.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    writeln!(
        w,
        "{:<idw$}  {:<11}  {:<8}  {:<22}  NAME",
        "ID", "KIND", "SEVERITY", "FILE KINDS"
    )?;
    for r in rules {
        writeln!(
            w,
            "{:<idw$}  {:<11}  {:<8}  {:<22}  {}",
            r.id,
            r.kind.as_str(),
            r.severity.as_str(),
            r.file_kinds.join(","),
            r.name
        )?;
    }
    let secrets = rules
        .iter()
        .filter(|r| r.kind == crate::rule::RuleKind::Secret)
        .count();
    writeln!(
        w,
        "\n{} rules ({} secret patterns, {} kind-aware)",
        rules.len(),
        secrets,
        rules.len() - secrets
    )?;
    Ok(())
}

/// `keylint rule ID`.
pub fn write_rule_doc(r: &RuleInfo, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "# {} ({})\n", r.id, r.name)?;
    writeln!(
        w,
        "kind: {}  severity: {}  file kinds: {}\n",
        r.kind,
        r.severity,
        r.file_kinds.join(", ")
    )?;
    writeln!(w, "{}", r.docs.trim_end())
}
