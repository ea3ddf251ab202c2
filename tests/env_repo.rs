//! Repository-level behaviour of the env and dotenv rules that fixtures cannot show: a
//! `.env` in a fresh git repository (ignored or not, tracked or not), and git-ignored `.env`
//! files checked for hygiene without secret findings.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

/// (path, line, rule id, message) of every finding.
fn check(dir: &Path) -> Vec<(String, u64, String, String)> {
    let empty = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/empty-config.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .current_dir(dir)
        .args(["check", "--format", "json", "--config"])
        .arg(&empty)
        .arg(".")
        .output()
        .expect("run keylint");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut v: Vec<_> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["rule_id"].as_str().unwrap_or("").to_string(),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn ids(found: &[(String, u64, String, String)]) -> Vec<(String, u64, String)> {
    found
        .iter()
        .map(|(p, l, r, _)| (p.clone(), *l, r.clone()))
        .collect()
}

const KEY_LINE: &str = "OPENAI_API_KEY=sk-proj-Zt7Kq2PbX9mWv4Lr8Ns1Hd6Jf3Gc5YqT3BlbkFJZt7Kq2PbX9mWv4Lr8Ns1Hd6Jf3Gc5Yq\n";

#[test]
fn dotenv_not_ignored_in_a_git_repository() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    if !git(d, &["init", "-q"]) {
        return; // no git binary: nothing to test
    }
    write(d, ".gitignore", "node_modules/\n");
    write(d, ".env", "PORT=8000\n");
    write(d, ".env.example", "PORT=\n");
    write(d, "tests/.env", "PORT=1\n");
    let found = check(d);
    assert_eq!(
        ids(&found),
        [(".env".to_string(), 1, "dotenv/not-ignored".to_string())]
    );
    assert!(!found[0].3.contains("tracks"), "{found:?}");

    // tracked: the message says so
    assert!(git(d, &["add", ".env"]) && git(d, &["commit", "-qm", "x"]));
    let found = check(d);
    assert_eq!(
        ids(&found),
        [(".env".to_string(), 1, "dotenv/not-ignored".to_string())]
    );
    assert!(found[0].3.contains("already tracks"), "{found:?}");
}

#[test]
fn ignored_dotenv_is_checked_for_hygiene_without_secret_findings() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    if !git(d, &["init", "-q"]) {
        return;
    }
    write(d, ".gitignore", ".env\n");
    write(
        d,
        ".env",
        &format!("# local\n{}AWS_REGION=\"us-east-1 \"\n", KEY_LINE),
    );
    write(
        d,
        "app.py",
        "import os\nkey = os.environ[\"OPENAI_API_KEY\"]\n",
    );
    assert_eq!(
        ids(&check(d)),
        [(".env".to_string(), 3, "dotenv/value-whitespace".to_string())]
    );
    // the same key in a committed file is a secret finding
    write(d, "leak.txt", KEY_LINE);
    let found = ids(&check(d));
    assert!(
        found.iter().any(|(p, l, _)| p == "leak.txt" && *l == 1),
        "{found:?}"
    );
}

#[test]
fn outside_git_nothing_is_said_about_ignoring() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    write(d, ".env", "PORT=8000\n");
    assert!(check(d).is_empty());
}

#[test]
fn definitions_are_scoped_by_directory() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    write(d, "services/api/.env.example", "DATABASE_URL=\n");
    write(
        d,
        "services/api/app.py",
        "import os\nurl = os.environ[\"DATABSE_URL\"]\n",
    );
    write(
        d,
        "services/web/app.py",
        "import os\nurl = os.environ[\"DATABSE_URL\"]\n",
    );
    assert_eq!(
        ids(&check(d)),
        [(
            "services/api/app.py".to_string(),
            2,
            "env/undefined-read".to_string()
        )]
    );
}
