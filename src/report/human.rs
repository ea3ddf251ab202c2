//! Human output: miette graphical diagnostics (rule id as the code, the source line with a label
//! under the secret, a help line with the fix), then a summary line.

use super::{masked_text, path_str, Options};
use crate::finding::{Finding, Outcome};
use crate::rule::Severity;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};
use std::io::Write;
use std::sync::Arc;

/// A file's masked text shared by all of its diagnostics, or a window cut from one long line of
/// it: `line0` and `col0` (0-based line and code-point column of the window's start in the
/// file) keep the line numbers and the header's column those of the file.
#[derive(Debug, Clone)]
struct Shared {
    text: Arc<str>,
    line0: usize,
    col0: usize,
}

impl SourceCode for Shared {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &'a str = self.text.as_ref();
        let inner = text.read_span(span, context_lines_before, context_lines_after)?;
        // miette counts the column in the `[path:line:col]` header in bytes; keylint counts
        // Unicode code points everywhere (JSON, SARIF, github), so the header is recounted.
        // (miette's own layout only asks whether this column is 0, which both counts agree on.)
        let start = crate::source::floor_char_boundary(text, inner.span().offset());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let mut column = text[line_start..start].chars().count();
        if line_start == 0 {
            column += self.col0;
        }
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            *inner.span(),
            inner.line() + self.line0,
            column,
            inner.line_count(),
        )))
    }
}

/// Lines longer than this many bytes are not printed whole (a secret in a minified bundle would
/// print the bundle): the finding's line is cut to a window around the span, without context.
const LONG_LINE: usize = 200;
/// Bytes kept on each side of the span in such a window.
const WINDOW_MARGIN: usize = 40;

/// The source to show for `f`: the whole masked text, or a window of its line when that line or
/// a neighbour (a context line) is long. Returns the source, the span in it, and whether the
/// source is the whole file (related labels in the file can be drawn).
fn source_for(f: &Finding, text: &Arc<str>) -> (Shared, std::ops::Range<usize>, bool) {
    let whole = || {
        let shared = Shared {
            text: Arc::clone(text),
            line0: 0,
            col0: 0,
        };
        (shared, f.span.clone(), true)
    };
    let file = &f.file;
    let line = file.line_of(f.span.start);
    let lr = file.line_range(line);
    let long = |l: usize| l < file.line_count() && file.line_range(l).len() > LONG_LINE;
    let near_long = long(line) || (line > 0 && long(line - 1)) || long(line + 1);
    if !near_long || f.span.end > lr.end || text.len() != file.text.len() {
        return whole();
    }
    let t: &str = text;
    let start = if lr.len() > LONG_LINE {
        crate::source::floor_char_boundary(
            t,
            f.span.start.saturating_sub(WINDOW_MARGIN).max(lr.start),
        )
    } else {
        lr.start
    };
    let mut end = if lr.len() > LONG_LINE {
        (f.span.end + WINDOW_MARGIN).min(lr.end)
    } else {
        lr.end
    };
    while !t.is_char_boundary(end) {
        end += 1;
    }
    let prefix = if start > lr.start { "…" } else { "" };
    let suffix = if end < lr.end { "…" } else { "" };
    let window = format!("{prefix}{}{suffix}", &t[start..end]);
    let shift = prefix.len();
    let span = f.span.start - start + shift..f.span.end - start + shift;
    let col0 = t[lr.start..start].chars().count() - prefix.chars().count();
    let shared = Shared {
        text: Arc::from(window),
        line0: line,
        col0,
    };
    (shared, span, false)
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
            // A window holds one line: there is no context to show around it.
            let (source, span, whole) = source_for(f, &text);
            let handler = if multi_line { &tight } else { &handler };
            let rendered = render(f, source, span, whole, handler);
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

fn render(
    f: &Finding,
    source: Shared,
    primary: std::ops::Range<usize>,
    whole: bool,
    handler: &GraphicalReportHandler,
) -> String {
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(f.label.clone()),
        span(primary),
    )];
    let mut help = f.help.clone().unwrap_or_default();
    for r in &f.related {
        if whole && (Arc::ptr_eq(&r.file, &f.file) || r.file.path == f.file.path) {
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
        .with_source_code(NamedSource::new(name, source).with_language(""));
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
