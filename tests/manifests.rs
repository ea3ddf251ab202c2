//! Hostile and malformed inputs for the Dockerfile and YAML parsers, through the CLI: each run
//! must end (a hang never finishes, failing the suite), exit normally, and explain itself with a
//! note where a file could not be read as a manifest.

use std::path::Path;
use std::process::{Command, Output};

fn keylint(dir: &Path, extra: &[&str]) -> Output {
    let empty = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/empty-config.toml");
    Command::new(env!("CARGO_BIN_EXE_keylint"))
        .current_dir(dir)
        .args(["check", "--format", "json", "--config"])
        .arg(&empty)
        .args(extra)
        .arg(".")
        .output()
        .expect("run keylint")
}

fn findings(out: &Output) -> Vec<(String, u64, String)> {
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["rule_id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

#[test]
fn alias_bomb_is_a_note_not_an_explosion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bomb = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let mut prev = 'a';
    for c in 'b'..='k' {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("  {c}: &{c} [{refs}]\n"));
        prev = c;
    }
    write(dir.path(), "bomb.yaml", &bomb);
    let out = keylint(dir.path(), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(findings(&out).is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bomb.yaml") && stderr.contains("aliases expand"),
        "{stderr}"
    );
}

#[test]
fn deep_nesting_is_a_note_not_a_stack_overflow() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 10,000 nested block sequences on one line (`- - - … x`).
    let deep = format!(
        "apiVersion: v1\nkind: List\nitems:\n{}x\n",
        "- ".repeat(10_000)
    );
    write(dir.path(), "deep.yaml", &deep);
    write(
        dir.path(),
        "flow.yaml",
        &format!(
            "apiVersion: v1\nkind: List\nitems: {}{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    let out = keylint(dir.path(), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("deep.yaml") && stderr.contains("nested deeper"),
        "{stderr}"
    );
    assert!(stderr.contains("flow.yaml"), "{stderr}");
}

#[test]
fn invalid_yaml_falls_back_to_secret_patterns() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Not YAML (an unclosed flow sequence), with a provider secret in it: the pattern still fires,
    // no manifest rule does, and a note says why.
    let token = format!("glpat-{}", "Zq8Rw2Lk5Tn7Yp3Xc9Vb");
    write(
        dir.path(),
        "broken.yaml",
        &format!("apiVersion: v1\nkind: ConfigMap\ndata: [\n  token: {token}\n"),
    );
    let out = keylint(dir.path(), &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = findings(&out);
    assert_eq!(
        got,
        vec![("broken.yaml".to_string(), 4, "gitlab-pat".to_string())]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.yaml") && stderr.contains("invalid YAML"),
        "{stderr}"
    );
}

#[test]
fn helm_template_is_silent() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "templates/secret.yaml",
        "apiVersion: v1\nkind: Secret\ndata:\n  password: {{ .Values.password | b64enc }}\n",
    );
    let out = keylint(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(findings(&out).is_empty());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("note:"));
}

#[test]
fn malformed_dockerfile_keeps_the_good_instructions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secret = "Hq7Lm2Xv9Rt4Kp8Zw3Nc6Bd";
    write(
        dir.path(),
        "Dockerfile",
        &format!("FROM\nENV\nENV =x\nCOPY onlyone\nRUN <<EOF\nunterminated heredoc\n\"\nENV\tAPI_TOKEN={secret} \\\n"),
    );
    // The heredoc swallows everything after it: the later ENV is its body, not an instruction.
    let out = keylint(dir.path(), &[]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(findings(&out)
        .iter()
        .all(|(_, _, rule)| !rule.starts_with("dockerfile/secret-in-env")));

    write(
        dir.path(),
        "Dockerfile",
        &format!("FROM\nENV =x\nARG\nENV\tAPI_TOKEN={secret} \\\n"),
    );
    let out = keylint(dir.path(), &[]);
    assert_eq!(
        findings(&out),
        vec![(
            "Dockerfile".to_string(),
            4,
            "dockerfile/secret-in-env".to_string()
        )]
    );
}

#[test]
fn large_manifest_with_a_raised_size_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.25\n          env:\n            - name: DATABASE_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db, key: password}\n            - name: MODE\n              value: \"production\"\n";
    let mut text = String::with_capacity(51 * 1024 * 1024);
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(doc);
    }
    text.push_str("---\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: c\n      env:\n        - name: DB_PASSWORD\n          value: Wq4Zr8Tn2Lk6Vx9Pm3Hb\n");
    let last_line = text.lines().count() as u64;
    write(dir.path(), "big.yaml", &text);
    drop(text);
    let out = keylint(dir.path(), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "skipped over the default size limit"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("max-file-size"));
    let out = keylint(dir.path(), &["--max-file-size", "100000000"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        findings(&out),
        vec![(
            "big.yaml".to_string(),
            last_line,
            "k8s/secret-in-env-value".to_string()
        )]
    );
}
