//! SARIF 2.1.0 for code scanning: `tool.driver.rules` with each rule's kind as a tag, results
//! with `partialFingerprints` and `properties.kind`, URIs relative to `%SRCROOT%` (the current
//! directory), columns in Unicode code points. Files that could not be read are
//! `toolExecutionNotifications` of an invocation that is not `executionSuccessful`.

use crate::finding::Outcome;
use crate::rule::{RuleInfo, Severity};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Percent-encodes a relative path for a URI reference.
fn encode_uri_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An artifact location: relative to `%SRCROOT%` when the path is under the current directory.
fn location(path: &Path, cwd: &Path) -> Value {
    let rel = if path.is_absolute() {
        path.strip_prefix(cwd).ok().map(Path::to_path_buf)
    } else {
        Some(path.to_path_buf())
    };
    match rel {
        Some(r) => json!({"uri": encode_uri_path(&super::path_str(&r)), "uriBaseId": "%SRCROOT%"}),
        None => json!({"uri": format!("file://{}", encode_uri_path(&super::path_str(path)))}),
    }
}

fn region(file: &crate::source::SourceFile, span: &std::ops::Range<usize>) -> Value {
    let (sl, sc) = file.line_col(span.start);
    let (el, ec) = file.line_col(span.end.max(span.start));
    json!({"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec})
}

pub fn write(outcome: &Outcome, rules: &[RuleInfo], w: &mut dyn Write) -> std::io::Result<()> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let driver_rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": {"text": r.name},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.docs, "markdown": r.docs},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"tags": [r.kind.as_str(), "security"], "kind": r.kind.as_str()},
            })
        })
        .collect();
    let results: Vec<Value> = outcome
        .findings
        .iter()
        .map(|f| {
            let mut msg = f.message.clone();
            if let Some(h) = &f.help {
                msg.push_str(". ");
                msg.push_str(h);
            }
            let mut res = json!({
                "ruleId": &*f.rule_id,
                "level": level(f.severity),
                "message": {"text": msg},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": location(&f.file.path, &cwd),
                        "region": region(&f.file, &f.span),
                    }
                }],
                "partialFingerprints": {"keylint/v1": f.fingerprint()},
                "properties": {"kind": f.kind.as_str()},
            });
            if let Some(i) = index.get(&*f.rule_id) {
                res["ruleIndex"] = json!(i);
            }
            if !f.related.is_empty() {
                res["relatedLocations"] = Value::Array(
                    f.related
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            json!({
                                "id": i,
                                "message": {"text": r.message},
                                "physicalLocation": {
                                    "artifactLocation": location(&r.file.path, &cwd),
                                    "region": region(&r.file, &r.span),
                                }
                            })
                        })
                        .collect(),
                );
            }
            res
        })
        .collect();
    let root_uri = format!(
        "file://{}/",
        encode_uri_path(&super::path_str(&cwd)).trim_end_matches('/')
    );
    // Files that could not be read: the run is incomplete, and a consumer reading only the SARIF
    // file must see that too (the exit code says it with 2).
    let notifications: Vec<Value> = outcome
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": {"text": e.message},
                "locations": [{"physicalLocation": {"artifactLocation": location(&e.path, &cwd)}}],
            })
        })
        .collect();
    let invocation = json!({
        "executionSuccessful": outcome.errors.is_empty(),
        "toolExecutionNotifications": notifications,
    });
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "keylint",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": driver_rules,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}
