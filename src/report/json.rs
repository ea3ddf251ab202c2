//! JSON output, schema version 1 (documented in the README). Stable field names; secrets masked
//! unless `--show-secrets`.

use super::{path_str, secret_preview};
use crate::finding::Outcome;
use serde::Serialize;
use std::io::Write;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError>,
    summary: &'a crate::finding::Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'a str,
    rule_name: &'a str,
    kind: &'static str,
    severity: &'static str,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
    fingerprint: String,
    /// The secret, masked unless --show-secrets.
    secret: Option<String>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: String,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonError {
    path: String,
    message: String,
}

pub fn write(outcome: &Outcome, show_secrets: bool, w: &mut dyn Write) -> std::io::Result<()> {
    let findings = outcome
        .findings
        .iter()
        .map(|f| {
            let (line, column) = f.start();
            let (end_line, end_column) = f.end();
            JsonFinding {
                rule_id: &f.rule_id,
                rule_name: &f.rule_name,
                kind: f.kind.as_str(),
                severity: f.severity.as_str(),
                path: path_str(&f.file.path),
                line,
                column,
                end_line,
                end_column,
                message: &f.message,
                help: f.help.as_deref(),
                fingerprint: f.fingerprint(),
                secret: secret_preview(f, show_secrets),
                related: f
                    .related
                    .iter()
                    .map(|r| {
                        let (line, column) = r.file.line_col(r.span.start);
                        JsonRelated {
                            path: path_str(&r.file.path),
                            line,
                            column,
                            message: &r.message,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let doc = Doc {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "keylint",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings,
        errors: outcome
            .errors
            .iter()
            .map(|e| JsonError {
                path: path_str(&e.path),
                message: e.message.clone(),
            })
            .collect(),
        summary: &outcome.summary,
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}
