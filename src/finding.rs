//! Findings are data: rules produce them, the engine filters and sorts them, `report/` renders them.

use crate::rule::{RuleKind, Severity};
use crate::source::SourceFile;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::sync::Arc;

/// A second location that explains a finding (the first definition of a duplicate key, the other
/// half of a multi-part credential). May be in another file.
#[derive(Debug, Clone)]
pub struct Related {
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
    pub message: String,
}

/// One problem found in one file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule_id: Arc<str>,
    pub rule_name: Arc<str>,
    pub kind: RuleKind,
    pub severity: Severity,
    pub file: Arc<SourceFile>,
    /// What the label points at (the value, the instruction …), a byte range into the file text.
    pub span: Range<usize>,
    /// The secret itself, when there is one: masked before rendering and hashed into the fingerprint.
    pub secret: Option<Range<usize>>,
    /// The label under the span.
    pub label: String,
    pub message: String,
    pub help: Option<String>,
    pub related: Vec<Related>,
}

impl Finding {
    /// A fingerprint that survives lines moving: rule id, path and a hash of the secret (or of the
    /// flagged text when there is no secret). Never contains the secret itself.
    pub fn fingerprint(&self) -> String {
        let text = &self.file.text;
        let r = self.secret.clone().unwrap_or_else(|| self.span.clone());
        let bytes = text.as_bytes().get(r).unwrap_or_default();
        let mut h = Sha256::new();
        h.update(self.rule_id.as_bytes());
        h.update([0]);
        h.update(
            self.file
                .path
                .to_string_lossy()
                .replace('\\', "/")
                .as_bytes(),
        );
        h.update([0]);
        h.update(bytes);
        let d = h.finalize();
        d[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn start(&self) -> (usize, usize) {
        self.file.line_col(self.span.start)
    }

    pub fn end(&self) -> (usize, usize) {
        self.file.line_col(self.span.end)
    }

    /// The sort key: path, line, column, rule id.
    pub fn sort_key(&self) -> (&std::path::Path, usize, usize, &str) {
        let (l, c) = self.start();
        (self.file.path.as_path(), l, c, &self.rule_id)
    }
}

/// Everything a run found, ready for `report/`.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Files that could not be read, and other per-file errors: reported on stderr, exit code 2.
    pub errors: Vec<FileError>,
    /// Notes about files skipped by design (binary, too large, malformed YAML fallback …).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct FileError {
    pub path: std::path::PathBuf,
    pub message: String,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    pub files_scanned: usize,
    pub files_with_findings: usize,
    pub findings: usize,
    pub skipped_binary: usize,
    pub skipped_too_large: usize,
    pub errors: usize,
    pub elapsed_seconds: f64,
}
