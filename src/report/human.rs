//! Human output: miette graphical diagnostics (rule id as the code, the source line with a label
//! under the secret, a help line with the fix), then a summary line.

use super::{masked_text, path_str, Options};
use crate::finding::{Finding, Outcome};
use crate::rule::Severity;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    NamedSource, SourceCode, SourceSpan, SpanContents,
};
use std::io::Write;
use std::sync::Arc;

/// A file's masked text shared by all of its diagnostics.
#[derive(Debug, Clone)]
struct Shared(Arc<str>);

impl SourceCode for Shared {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        self.0
            .as_ref()
            .read_span(span, context_lines_before, context_lines_after)
    }
}

pub fn write(outcome: &Outcome, opts: &Options, w: &mut dyn Write) -> std::io::Result<()> {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme.clone())
        .with_width(opts.width)
        .with_context_lines(1);
    // A multi-line secret (a PEM key) may go on past the span a rule reports: show no context
    // lines around it, so the rest of the key is never printed.
    let tight = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_context_lines(0);
    let findings = &outcome.findings;
    let mut i = 0;
    while i < findings.len() {
        let path = &findings[i].file.path;
        let mut j = i;
        while j < findings.len() && &findings[j].file.path == path {
            j += 1;
        }
        let group: Vec<&Finding> = findings[i..j].iter().collect();
        let text: Arc<str> = Arc::from(masked_text(
            &findings[i].file.text,
            &group,
            opts.show_secrets,
        ));
        for f in &group {
            let multi_line = f.secret.as_ref().is_some_and(|r| {
                f.file
                    .text
                    .as_bytes()
                    .get(r.clone())
                    .is_some_and(|b| b.contains(&b'\n'))
            });
            let rendered = render(f, &text, if multi_line { &tight } else { &handler });
            w.write_all(rendered.as_bytes())?;
            // A blank line between diagnostics (and before the summary) keeps them apart.
            writeln!(w)?;
        }
        i = j;
    }
    if !opts.quiet {
        let s = &outcome.summary;
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("{n} {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let mut line = format!(
            "{} in {} ({} scanned in {:.2} s)",
            plural(s.findings, "finding", "findings"),
            plural(s.files_with_findings, "file", "files"),
            plural(s.files_scanned, "file", "files"),
            s.elapsed_seconds
        );
        let mut skipped = Vec::new();
        if s.skipped_too_large > 0 {
            skipped.push(format!("{} over the size limit", s.skipped_too_large));
        }
        if s.skipped_binary > 0 {
            skipped.push(format!("{} binary", s.skipped_binary));
        }
        if !skipped.is_empty() {
            line.push_str(&format!("; skipped {}", skipped.join(", ")));
        }
        if s.errors > 0 {
            line.push_str(&format!(
                "; {} could not be read",
                plural(s.errors, "file", "files")
            ));
        }
        writeln!(w, "{line}")?;
    }
    Ok(())
}

fn render(f: &Finding, text: &Arc<str>, handler: &GraphicalReportHandler) -> String {
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(f.label.clone()),
        span(f.span.clone()),
    )];
    let mut help = f.help.clone().unwrap_or_default();
    for r in &f.related {
        if Arc::ptr_eq(&r.file, &f.file) || r.file.path == f.file.path {
            labels.push(LabeledSpan::new_with_span(
                Some(r.message.clone()),
                span(r.span.clone()),
            ));
        } else {
            let (l, c) = r.file.line_col(r.span.start);
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str(&format!(
                "{}: {}:{}:{}",
                r.message,
                path_str(&r.file.path),
                l,
                c
            ));
        }
    }
    let severity = match f.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    let mut diag = MietteDiagnostic::new(f.message.clone())
        .with_code(f.rule_id.to_string())
        .with_severity(severity)
        .with_labels(labels);
    if !help.is_empty() {
        diag = diag.with_help(help);
    }
    let (l, c) = f.start();
    let name = path_str(&f.file.path);
    let report = miette::Report::new(diag)
        .with_source_code(NamedSource::new(name, Shared(Arc::clone(text))).with_language(""));
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!(
            "{}:{}:{}: {} [{}]\n",
            path_str(&f.file.path),
            l,
            c,
            f.message,
            f.rule_id
        );
    }
    out
}

fn span(r: std::ops::Range<usize>) -> SourceSpan {
    SourceSpan::from(r.start..r.end.max(r.start))
}
