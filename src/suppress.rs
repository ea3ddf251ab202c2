//! Inline suppressions: `keylint:allow [rule, …]` on the finding's line, `keylint:allow-next-line
//! [rule, …]` on the line before, in any comment syntax. Also honours markers teams already have:
//! `gitleaks:allow` and `pragma: allowlist secret` (same line), `pragma: allowlist nextline secret`.

use crate::finding::Finding;
use crate::source::SourceFile;

/// Removes suppressed findings. Cheap when the file has no marker at all.
pub fn apply(file: &SourceFile, findings: &mut Vec<Finding>) {
    let bytes = file.text.as_bytes();
    let has_marker = memchr::memmem::find(bytes, b"keylint:allow").is_some()
        || memchr::memmem::find(bytes, b"gitleaks:allow").is_some()
        || memchr::memmem::find(bytes, b"pragma: allowlist").is_some();
    if !has_marker || findings.is_empty() {
        return;
    }
    findings.retain(|f| !suppressed(file, f));
}

fn suppressed(file: &SourceFile, f: &Finding) -> bool {
    let line = file.line_of(f.span.start);
    let this = &file.text[file.line_range(line)];
    if allows_same_line(this, &f.rule_id, f.kind.as_str()) {
        return true;
    }
    if line > 0 {
        let prev = &file.text[file.line_range(line - 1)];
        if allows_next_line(prev, &f.rule_id, f.kind.as_str()) {
            return true;
        }
    }
    false
}

fn allows_same_line(line: &str, rule: &str, kind: &str) -> bool {
    if line.contains("gitleaks:allow") || line.contains("pragma: allowlist secret") {
        return true;
    }
    marker_allows(line, "keylint:allow", rule, kind, false)
}

fn allows_next_line(line: &str, rule: &str, kind: &str) -> bool {
    if line.contains("pragma: allowlist nextline secret") {
        return true;
    }
    marker_allows(line, "keylint:allow-next-line", rule, kind, true)
}

/// `keylint:allow` alone allows everything; `keylint:allow a, b` allows the rules listed (ids,
/// `prefix/` or a kind name).
fn marker_allows(line: &str, marker: &str, rule: &str, kind: &str, next_line: bool) -> bool {
    let mut rest = line;
    while let Some(pos) = rest.find(marker) {
        let after = &rest[pos + marker.len()..];
        rest = after;
        if !next_line && after.starts_with("-next-line") {
            continue;
        }
        // The rule list runs to the end of the comment, or to ` -- ` before a reason
        // (`keylint:allow -- test fixture` allows every rule).
        let list = after
            .split("*/")
            .next()
            .unwrap_or("")
            .split("-->")
            .next()
            .unwrap_or("")
            .split(" --")
            .next()
            .unwrap_or("");
        let ids: Vec<&str> = list
            .split([',', ' ', '\t'])
            .map(str::trim)
            .filter(|s| {
                !s.is_empty()
                    && (s.contains('/')
                        || s.contains('-')
                        || s.chars().all(|c| c.is_ascii_lowercase()))
            })
            .take_while(|s| {
                s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '_' | '.'))
            })
            .collect();
        if ids.is_empty() {
            return true;
        }
        if ids
            .iter()
            .any(|id| *id == rule || *id == kind || (id.ends_with('/') && rule.starts_with(id)))
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        assert!(allows_same_line(
            "x = 1 # keylint:allow",
            "aws-access-key",
            "secret"
        ));
        assert!(allows_same_line(
            "x = 1 // keylint:allow aws-access-key",
            "aws-access-key",
            "secret"
        ));
        assert!(!allows_same_line(
            "x = 1 // keylint:allow github-pat",
            "aws-access-key",
            "secret"
        ));
        assert!(allows_same_line(
            "x = 1 /* keylint:allow dockerfile/ */",
            "dockerfile/secret-in-env",
            "dockerfile"
        ));
        assert!(allows_same_line(
            "x <!-- keylint:allow secret -->",
            "aws-access-key",
            "secret"
        ));
        assert!(!allows_same_line(
            "# keylint:allow-next-line",
            "aws-access-key",
            "secret"
        ));
        assert!(allows_next_line(
            "# keylint:allow-next-line",
            "aws-access-key",
            "secret"
        ));
        assert!(allows_same_line("k = 'x' # gitleaks:allow", "x", "secret"));
        assert!(allows_same_line(
            "k = 'x' # keylint:allow -- a fake for the tests",
            "x",
            "secret"
        ));
        assert!(!allows_same_line(
            "k = 'x' # keylint:allow jwt -- a fake",
            "x",
            "secret"
        ));
        assert!(allows_same_line(
            "k = 'x' # pragma: allowlist secret",
            "x",
            "secret"
        ));
        assert!(allows_next_line(
            "# pragma: allowlist nextline secret",
            "x",
            "secret"
        ));
    }
}
