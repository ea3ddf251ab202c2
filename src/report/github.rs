//! GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.

use super::path_str;
use crate::finding::Outcome;
use crate::rule::Severity;
use std::io::Write;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_prop(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(outcome: &Outcome, w: &mut dyn Write) -> std::io::Result<()> {
    for f in &outcome.findings {
        let (l, c) = f.start();
        let (el, ec) = f.end();
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut msg = f.message.clone();
        if let Some(h) = &f.help {
            msg.push('\n');
            msg.push_str(h);
        }
        writeln!(
            w,
            "::{level} file={},line={l},col={c},endLine={el},endColumn={ec},title={}::{}",
            escape_prop(&path_str(&f.file.path)),
            escape_prop(&format!("keylint {}", f.rule_id)),
            escape_data(&msg)
        )?;
    }
    // Files that could not be read get an annotation too: the run is incomplete.
    for e in &outcome.errors {
        writeln!(
            w,
            "::error file={},title={}::{}",
            escape_prop(&path_str(&e.path)),
            escape_prop("keylint: file not checked"),
            escape_data(&format!("cannot read {}: {}", path_str(&e.path), e.message))
        )?;
    }
    Ok(())
}
