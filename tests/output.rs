//! Output formats: human (snapshot, no colour, width 80), JSON (schema v1 fields), SARIF 2.1.0
//! (validated against the official schema in tests/data/), GitHub workflow commands, and masking:
//! no format prints a whole secret unless `--show-secrets`.

mod common;

use common::{
    hit, pem, Tree, AWS_KEY_ID, AWS_SECRET, GENERIC, GITHUB_PAT, PEM_BODY, SLACK_WEBHOOK_PATH,
};
use serde_json::Value;
use std::collections::BTreeSet;

/// The elapsed time and the temp dir change from run to run.
fn stable(s: &str, t: &Tree) -> String {
    let time = regex::Regex::new(r"in \d+\.\d+ s\)").expect("time regex");
    let s = time.replace_all(s, "in [TIME] s)").into_owned();
    s.replace(&t.root().display().to_string(), "[ROOT]")
}

/// A small tree with one finding of each severity and a multi-line secret.
fn sample_tree() -> Tree {
    let t = Tree::new();
    t.file(".env", &format!("DEBUG=true\nGITHUB_TOKEN={GITHUB_PAT}\n"));
    t.file(
        "app/settings.py",
        &format!("import os\n\nAPI_KEY = \"{GENERIC}\"\nDEBUG = os.environ.get(\"DEBUG\")\n"),
    );
    t.file(
        "deploy.sh",
        &format!("#!/bin/sh\naws configure set aws_access_key_id {AWS_KEY_ID}\n"),
    );
    // A PEM key above another secret: masking must not move the later line.
    t.file(
        "keys/id_rsa.txt",
        &format!("{}token: {GITHUB_PAT}\n", pem()),
    );
    t
}

fn sample_hits() -> Vec<(String, String, u64)> {
    vec![
        hit("github-pat-classic", ".env", 2),
        hit("generic-secret", "app/settings.py", 3),
        hit("aws-access-key-id", "deploy.sh", 2),
        hit("private-key-rsa", "keys/id_rsa.txt", 1),
        hit("github-pat-classic", "keys/id_rsa.txt", 7),
    ]
}

#[test]
fn sample_tree_hits() {
    let t = sample_tree();
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.hits(), sample_hits());
}

// ---------------------------------------------------------------------------------------------
// human

#[test]
fn human_color_always_uses_ansi_and_never_does_not() {
    let t = sample_tree();
    let o = t.run(&["check", "--color", "always"]);
    assert!(o.stdout.contains("\u{1b}["), "{}", o.stdout);
    let o = t.run(&["check", "--color", "never"]);
    assert!(!o.stdout.contains('\u{1b}'), "{}", o.stdout);
    // auto: not a terminal here.
    let o = t.run(&["check"]);
    assert!(!o.stdout.contains('\u{1b}'), "{}", o.stdout);
}

#[test]
fn human_lines_are_at_most_80_columns() {
    let t = sample_tree();
    let o = t.run(&["check", "--color", "never"]);
    for line in o.stdout.lines() {
        // Source lines and their labels are shown as they are (masked); the message, the help
        // and the summary are wrapped to 80.
        if line.contains('│') || line.contains('·') {
            continue;
        }
        assert!(
            line.chars().count() <= 80,
            "{} columns: {line}",
            line.chars().count()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// json

fn elapsed(doc: &Value) -> String {
    format!("\"elapsed_seconds\": {}", doc["summary"]["elapsed_seconds"])
}

#[test]
fn json_clean_run() {
    let t = Tree::new();
    t.file("a.txt", "hello\n");
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(o.code, 0);
    let doc = o.json();
    assert_eq!(doc["findings"], serde_json::json!([]));
    assert_eq!(doc["errors"], serde_json::json!([]));
    assert_eq!(doc["summary"]["files_scanned"], 1);
}

// ---------------------------------------------------------------------------------------------
// sarif

/// The official schema, with one fix applied in memory: its two `language` patterns end in
/// `]?$`, an unescaped `]` that ECMA-262 reads as a literal but that `jsonschema`'s check of the
/// schema against the draft-07 meta-schema (`"format": "regex"`) rejects. Escaping it keeps the
/// meaning. The file in tests/data/ stays byte-for-byte as published.
fn sarif_validator() -> jsonschema::Validator {
    let text = include_str!("data/sarif-2.1.0-schema.json");
    let bad = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(
        text.matches(bad).count(),
        2,
        "the schema changed: review the fix-up"
    );
    let text = text.replace(bad, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft7::new(&schema).expect("schema compiles")
}

fn assert_valid_sarif(doc: &Value) {
    let v = sarif_validator();
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_validator_rejects_invalid_documents() {
    // The validator is live: a result without a message is invalid.
    let bad = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "a"}]}]
    });
    assert!(!sarif_validator().is_valid(&bad));
}

#[test]
fn sarif_is_valid_with_every_rule_in_the_driver() {
    let t = sample_tree();
    let o = t.run(&["check", "--format", "sarif"]);
    assert_eq!(o.code, 1, "{o:?}");
    let doc = o.json();
    assert_valid_sarif(&doc);
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(root, format!("file://{}/", t.root().display()));

    // Driver rules: every rule, each with its kind as a tag.
    let listed = t.run(&["rules", "--format", "json"]).json();
    let listed = listed.as_array().unwrap();
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), listed.len());
    for (r, l) in rules.iter().zip(listed) {
        assert_eq!(r["id"], l["id"]);
        assert_eq!(r["name"], l["name"]);
        assert_eq!(r["properties"]["kind"], l["kind"]);
        let tags: Vec<&str> = r["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(tags.contains(&l["kind"].as_str().unwrap()), "{r}");
        let level = if l["severity"] == "warning" {
            "warning"
        } else {
            "error"
        };
        assert_eq!(r["defaultConfiguration"]["level"], level);
        for field in ["shortDescription", "fullDescription", "help"] {
            assert!(
                r[field]["text"].as_str().is_some_and(|s| !s.is_empty()),
                "{field}: {r}"
            );
        }
    }
}

#[test]
fn sarif_uris_are_relative_for_absolute_arguments() {
    let t = Tree::new();
    t.file("sub/.env", &format!("TOKEN={GITHUB_PAT}\n"));
    let abs = t.root().join("sub/.env");
    let o = t.run(&["check", "--format", "sarif", abs.to_str().unwrap()]);
    let doc = o.json();
    assert_valid_sarif(&doc);
    let loc = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], "sub/.env");
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");
}

/// An incomplete run must not look complete in the SARIF file alone.
#[test]
fn sarif_reports_unreadable_files_as_an_unsuccessful_invocation() {
    let t = Tree::new();
    t.file(".env", &format!("TOKEN={GITHUB_PAT}\n"));
    let o = t.run(&["check", "--format", "sarif", ".env", "missing.env"]);
    assert_eq!(o.code, 2, "{o:?}");
    let doc = o.json();
    assert_valid_sarif(&doc);
    let run = &doc["runs"][0];
    assert_eq!(run["results"].as_array().map(Vec::len), Some(1));
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "missing.env"
    );
    let clean = t.run(&["check", "--format", "sarif", ".env"]).json();
    assert_eq!(
        clean["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn sarif_for_a_clean_run_is_valid() {
    let t = Tree::new();
    t.file("a.txt", "hello\n");
    let o = t.run(&["check", "--format", "sarif"]);
    assert_eq!(o.code, 0);
    let doc = o.json();
    assert_valid_sarif(&doc);
    assert_eq!(doc["runs"][0]["results"], serde_json::json!([]));
}

// ---------------------------------------------------------------------------------------------
// github

#[test]
fn github_annotates_files_that_could_not_be_read() {
    let t = Tree::new();
    t.file(".env", &format!("TOKEN={GITHUB_PAT}\n"));
    let o = t.run(&["check", "--format", "github", ".env", "missing.env"]);
    assert_eq!(o.code, 2, "{o:?}");
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", o.stdout);
    assert!(
        lines[0].starts_with("::error file=.env,line=1,col=7,"),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "::error file=missing.env,title=keylint%3A file not checked::\
         cannot read missing.env: No such file or directory (os error 2)"
    );
}

#[test]
fn github_escapes_properties() {
    let t = Tree::new();
    t.file("a,b:c.env", &format!("TOKEN={GITHUB_PAT}\n"));
    let o = t.run(&["check", "--format", "github"]);
    assert!(
        o.stdout
            .starts_with("::error file=a%2Cb%3Ac.env,line=1,col=7,"),
        "{}",
        o.stdout
    );
    // The message and help are one line: newlines escaped.
    assert_eq!(o.stdout.lines().count(), 1, "{}", o.stdout);
}

// ---------------------------------------------------------------------------------------------
// masking

/// One file per provider family, each with its secret in full.
fn secrets_tree() -> (Tree, Vec<String>) {
    let t = Tree::new();
    t.file(
        ".env",
        &format!("AWS_ACCESS_KEY_ID={AWS_KEY_ID}\nGITHUB_TOKEN={GITHUB_PAT}\n"),
    );
    t.file(
        "notify.sh",
        &format!("curl -X POST https://hooks.slack.com/services/{SLACK_WEBHOOK_PATH}\n"),
    );
    t.file("settings.py", &format!("API_KEY = \"{GENERIC}\"\n"));
    t.file("id_rsa", &pem());
    t.file(
        "docs/setup.md",
        &format!("Run:\n\n    export GITHUB_TOKEN={GITHUB_PAT}\n"),
    );
    // The kind-aware rules (Dockerfile, compose, Kubernetes, CI workflow) mask their values too.
    t.file(
        "Dockerfile",
        &format!(
            "FROM alpine:3.20\nARG API_TOKEN={GENERIC}\nENV GITHUB_TOKEN={GITHUB_PAT}\n\
             RUN curl -H \"Authorization: token {GITHUB_PAT}\" https://api.github.com/user\n"
        ),
    );
    t.file(
        "docker-compose.yml",
        &format!(
            "services:\n  web:\n    image: app\n    environment:\n      \
             API_KEY: {GENERIC}\n      GH: {GITHUB_PAT}\n"
        ),
    );
    t.file(
        "k8s/deploy.yaml",
        &format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  \
             template:\n    spec:\n      containers:\n        - name: web\n          \
             image: app\n          env:\n            - name: API_KEY\n              \
             value: \"{GENERIC}\"\n"
        ),
    );
    t.file(
        ".github/workflows/ci.yml",
        &format!(
            "name: ci\non: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    env:\n      \
             API_TOKEN: {GENERIC}\n    steps:\n      - run: echo hi\n"
        ),
    );
    let mut secrets = vec![
        AWS_KEY_ID.to_string(),
        GITHUB_PAT.to_string(),
        SLACK_WEBHOOK_PATH.to_string(),
        GENERIC.to_string(),
    ];
    secrets.extend(PEM_BODY.lines().map(str::to_string));
    (t, secrets)
}

#[test]
fn secrets_tree_hits() {
    let (t, _) = secrets_tree();
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(
        o.hits(),
        vec![
            hit("aws-access-key-id", ".env", 1),
            hit("github-pat-classic", ".env", 2),
            hit("workflow/secret-in-env", ".github/workflows/ci.yml", 7),
            hit("dockerfile/secret-in-arg", "Dockerfile", 2),
            hit("dockerfile/secret-in-env", "Dockerfile", 3),
            hit("dockerfile/secret-in-run", "Dockerfile", 4),
            hit("compose/secret-in-environment", "docker-compose.yml", 5),
            hit("compose/secret-in-environment", "docker-compose.yml", 6),
            hit("github-pat-classic", "docs/setup.md", 3),
            hit("private-key-rsa", "id_rsa", 1),
            hit("k8s/secret-in-env-value", "k8s/deploy.yaml", 13),
            hit("slack-webhook-url", "notify.sh", 1),
            hit("generic-secret", "settings.py", 1),
        ]
    );
}

#[test]
fn no_format_prints_a_whole_secret() {
    let (t, secrets) = secrets_tree();
    for format in ["human", "json", "sarif", "github"] {
        for extra in [&[][..], &["--color", "always"], &["--quiet"]] {
            let mut args = vec!["check", "--format", format];
            args.extend_from_slice(extra);
            let o = t.run(&args);
            assert_eq!(o.code, 1, "{format}: {o:?}");
            for s in &secrets {
                assert!(
                    !o.stdout.contains(s.as_str()),
                    "{format} {extra:?} prints {s}:\n{}",
                    o.stdout
                );
                assert!(
                    !o.stderr.contains(s.as_str()),
                    "{format} {extra:?} prints {s} on stderr"
                );
                // Nor the part after the 4 characters that are kept.
                let tail = &s[4..];
                assert!(
                    !o.stdout.contains(tail),
                    "{format} {extra:?} prints …{tail}"
                );
            }
        }
    }
    // Also through --output and stdin.
    let out = t.outside().join("r.txt");
    let o = t.run(&["check", "--output", out.to_str().unwrap()]);
    assert_eq!(o.code, 1);
    let written = std::fs::read_to_string(&out).unwrap();
    for s in &secrets {
        assert!(!written.contains(s.as_str()), "--output prints {s}");
    }
    let o = common::run(
        t.cmd()
            .args(["check", "--stdin-filename", "x.env", "-"])
            .write_stdin(format!("GITHUB_TOKEN={GITHUB_PAT}\n")),
    );
    assert_eq!(o.code, 1);
    assert!(!o.stdout.contains(GITHUB_PAT), "{}", o.stdout);
}

#[test]
fn masking_keeps_4_characters_and_the_byte_length() {
    let (t, _) = secrets_tree();
    let o = t.run(&["check", "--color", "never"]);
    assert!(
        o.stdout
            .contains(&format!("GITHUB_TOKEN=ghp_{}\n", "*".repeat(36))),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains(&format!(
            "API_KEY = \"{}{}\"",
            &GENERIC[..4],
            "*".repeat(GENERIC.len() - 4)
        )),
        "{}",
        o.stdout
    );
}

#[test]
fn show_secrets_prints_them() {
    let (t, secrets) = secrets_tree();
    // The PEM rule reports the header and the first line of the body as the secret; the rest of
    // the body is never printed (the human report shows no context around a multi-line secret).
    let (shown, hidden): (Vec<&String>, Vec<&String>) = secrets
        .iter()
        .partition(|s| !PEM_BODY.contains(s.as_str()) || PEM_BODY.starts_with(s.as_str()));
    assert_eq!(hidden.len(), 3);
    for format in ["human", "json"] {
        let o = t.run(&[
            "check",
            "--format",
            format,
            "--show-secrets",
            "--color",
            "never",
        ]);
        assert_eq!(o.code, 1, "{format}: {o:?}");
        for s in &hidden {
            assert!(!o.stdout.contains(s.as_str()), "{format} prints {s}");
        }
        for s in &shown {
            assert!(
                o.stdout.contains(s.as_str()),
                "{format} --show-secrets hides {s}:\n{}",
                o.stdout
            );
        }
    }
    let o = t.run(&["check", "--format", "json", "--show-secrets"]);
    let doc = o.json();
    let secrets: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["secret"].as_str().unwrap())
        .collect();
    assert_eq!(secrets[1], GITHUB_PAT);
}

fn aws_pair(allow_secret: bool) -> String {
    let allow = if allow_secret { " # keylint:allow" } else { "" };
    format!("AWS_ACCESS_KEY_ID={AWS_KEY_ID}\nAWS_SECRET_ACCESS_KEY={AWS_SECRET}{allow}\n")
}

/// The key id's finding points at its secret key; the label shows that line, so it is masked
/// even when the secret key has no finding of its own (suppressed inline).
#[test]
fn related_parts_of_a_credential_are_masked() {
    let t = Tree::new();
    t.file(".env", &aws_pair(true));
    let o = t.run(&["check", "--color", "never", "--format", "json"]);
    assert_eq!(o.hits(), vec![hit("aws-access-key-id", ".env", 1)]);
    let o = t.run(&["check", "--color", "never"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(
        o.stdout.contains("the other part of this credential"),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains(&AWS_SECRET[4..]), "{}", o.stdout);
    let o = t.run(&["check", "--color", "never", "--show-secrets"]);
    assert!(o.stdout.contains(AWS_SECRET), "{}", o.stdout);
}

#[test]
fn related_locations_in_json_and_sarif() {
    let t = Tree::new();
    t.file(".env", &aws_pair(false));
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(
        o.hits(),
        vec![
            hit("aws-access-key-id", ".env", 1),
            hit("aws-secret-access-key", ".env", 2)
        ]
    );
    let doc = o.json();
    assert_eq!(
        doc["findings"][0]["related"],
        serde_json::json!([{"path": ".env", "line": 2, "column": 23,
            "message": "the other part of this credential: AWS secret access key"}])
    );
    let sarif = t.run(&["check", "--format", "sarif"]).json();
    assert_valid_sarif(&sarif);
    let rel = &sarif["runs"][0]["results"][0]["relatedLocations"];
    assert_eq!(rel.as_array().map(Vec::len), Some(1));
    let loc = &rel[0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], ".env");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        (
            loc["region"]["startLine"].as_u64(),
            loc["region"]["startColumn"].as_u64()
        ),
        (Some(2), Some(23))
    );
}

// ---------------------------------------------------------------------------------------------
// Snapshots. They use rules defined here (user rules from a config outside the tree), so that
// edits to the built-in rules' names and help texts do not churn the pinned output.

const SNAP_RULES: &str = r#"
select = ["acme-token", "acme-client-id", "acme-key-block"]

[[rule]]
id = "acme-token"
name = "ACME API token"
description = "An ACME API token."
help = "Revoke it in the ACME console and read it from the environment."
keywords = ["acme_"]
regex = '''\b(acme_[a-z0-9]{24})\b'''
group = "acme"
examples = ["TOKEN=acme_q8w7e6r5t4y3u2i1o9p8a7s6"]
negative_examples = ["TOKEN=acme_xxxxxxxxxxxxxxxxxxxxxxxx"]

[[rule]]
id = "acme-client-id"
name = "ACME client id"
description = "An ACME client id: not secret alone, it names the token."
help = "Rotate the token it belongs to."
keywords = ["acmeid_"]
regex = '''\b(acmeid_[A-Z0-9]{16})\b'''
severity = "warning"
group = "acme"
examples = ["ID=acmeid_7QX2M9K4TZ8LW3PB"]
negative_examples = ["ID=acmeid_XXXXXXXXXXXXXXXX"]

[[rule]]
id = "acme-key-block"
name = "ACME private key"
description = "An ACME private key block."
help = "Generate a new key and keep it out of the repository."
keywords = ["begin acme key"]
regex = '''(-----BEGIN ACME KEY-----\r?\n[A-Za-z0-9+/]{40,})'''
examples = ["-----BEGIN ACME KEY-----\nMIIEpAIBAAKCAQEAw2RAJmXBofExMRRnGmgyLHmt9jlWu2ZyQYFc9mFFm93cRTJl\n"]
negative_examples = ["-----BEGIN ACME KEY-----\n...\n"]
"#;

const ACME_TOKEN: &str = "acme_q8w7e6r5t4y3u2i1o9p8a7s6";
const ACME_TOKEN_2: &str = "acme_z9x8c7v6b5n4m3l2k1j9h8g7";
const ACME_ID: &str = "acmeid_7QX2M9K4TZ8LW3PB";

/// A tree for the snapshots: both severities, a two-part credential (related locations), a
/// multi-line secret above another secret, and a multi-byte character before a secret.
fn snap_tree() -> (Tree, String) {
    let t = Tree::new();
    let cfg = t.outside().join("snap-rules.toml");
    std::fs::write(&cfg, SNAP_RULES).expect("write config");
    t.file(".env", &format!("DEBUG=true\nACME_TOKEN={ACME_TOKEN}\n"));
    t.file(
        "app/settings.py",
        &format!("import os\n\nCLIENT_ID = \"{ACME_ID}\"\nDEBUG = os.environ.get(\"DEBUG\")\n"),
    );
    t.file(
        "deploy.sh",
        &format!("export ACME_CLIENT_ID={ACME_ID}\nexport ACME_TOKEN={ACME_TOKEN_2}\n"),
    );
    let body: Vec<&str> = PEM_BODY.lines().take(2).collect();
    t.file(
        "keys/acme.key",
        &format!(
            "-----BEGIN ACME KEY-----\n{}\n{}\n-----END ACME KEY-----\ntoken: {ACME_TOKEN}\n",
            body[0], body[1]
        ),
    );
    t.file(
        "unicode dir/naïve.py",
        &format!("# ünïcødé\nnaïve_日本 = 1; TOKEN = \"{ACME_TOKEN}\"\n"),
    );
    let cfg = cfg.to_str().expect("utf-8 path").to_string();
    (t, cfg)
}

fn snap_hits() -> Vec<(String, String, u64)> {
    vec![
        hit("acme-token", ".env", 2),
        hit("acme-client-id", "app/settings.py", 3),
        hit("acme-client-id", "deploy.sh", 1),
        hit("acme-token", "deploy.sh", 2),
        hit("acme-key-block", "keys/acme.key", 1),
        hit("acme-token", "keys/acme.key", 5),
        hit("acme-token", "unicode dir/naïve.py", 2),
    ]
}

#[test]
fn snap_tree_hits_and_secrets_masked() {
    let (t, cfg) = snap_tree();
    for format in ["human", "json", "sarif", "github"] {
        let o = t.run(&["check", "--config", &cfg, "--format", format]);
        assert_eq!(o.code, 1, "{o:?}");
        for s in [ACME_TOKEN, ACME_TOKEN_2, ACME_ID] {
            assert!(!o.stdout.contains(&s[4..]), "{format} prints {s}");
        }
    }
    let o = t.run(&["check", "--config", &cfg, "--format", "json"]);
    assert_eq!(o.hits(), snap_hits());
}

#[test]
fn human_output_snapshot() {
    let (t, cfg) = snap_tree();
    let o = t.run(&["check", "--config", &cfg, "--color", "never"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.stderr, "");
    // The header's column counts code points, as JSON, SARIF and github do.
    assert!(
        o.stdout.contains("[unicode dir/naïve.py:2:24]"),
        "{}",
        o.stdout
    );
    insta::assert_snapshot!("human", stable(&o.stdout, &t));
}

#[test]
fn json_schema_v1() {
    let (t, cfg) = snap_tree();
    let o = t.run(&["check", "--config", &cfg, "--format", "json"]);
    let doc = o.json();
    let keys = |v: &Value| {
        v.as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect::<BTreeSet<String>>()
    };
    let set = |xs: &[&str]| {
        xs.iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<String>>()
    };
    assert_eq!(
        keys(&doc),
        set(&["version", "tool", "findings", "errors", "summary"])
    );
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "keylint");
    assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        keys(&doc["summary"]),
        set(&[
            "files_scanned",
            "files_with_findings",
            "findings",
            "skipped_binary",
            "skipped_too_large",
            "errors",
            "elapsed_seconds"
        ])
    );
    let s = &doc["summary"];
    assert_eq!(
        (
            s["files_scanned"].as_u64(),
            s["files_with_findings"].as_u64(),
            s["findings"].as_u64(),
            s["errors"].as_u64()
        ),
        (Some(5), Some(5), Some(7), Some(0))
    );
    assert!(s["elapsed_seconds"].is_f64());
    let fields = set(&[
        "rule_id",
        "rule_name",
        "kind",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help",
        "fingerprint",
        "secret",
        "related",
    ]);
    let findings = doc["findings"].as_array().expect("findings");
    for f in findings {
        assert_eq!(keys(f), fields, "{f}");
        let fp = f["fingerprint"].as_str().expect("fingerprint");
        assert_eq!(fp.len(), 32, "{fp}");
        assert!(fp.chars().all(|c| c.is_ascii_hexdigit()), "{fp}");
        assert_eq!(f["kind"], "secret");
    }
    // The .env token: line 2, columns 12..41 (29 characters).
    let env = &findings[0];
    assert_eq!(
        (
            env["line"].as_u64(),
            env["column"].as_u64(),
            env["end_line"].as_u64(),
            env["end_column"].as_u64()
        ),
        (Some(2), Some(12), Some(2), Some(41))
    );
    assert_eq!(env["severity"], "error");
    assert_eq!(env["rule_name"], "ACME API token");
    assert_eq!(env["message"], "ACME API token found");
    assert_eq!(
        env["help"],
        "Revoke it in the ACME console and read it from the environment."
    );
    assert_eq!(env["secret"], format!("acme{}", "*".repeat(25)));
    assert_eq!(findings[1]["severity"], "warning");
    // The two parts in deploy.sh point at each other.
    assert_eq!(
        findings[2]["related"],
        serde_json::json!([{"path": "deploy.sh", "line": 2, "column": 19,
            "message": "the other part of this credential: ACME API token"}])
    );
    // The key block spans two lines; the token below it keeps its line number.
    let key = &findings[4];
    assert_eq!(
        (key["line"].as_u64(), key["end_line"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(findings[5]["line"], 5);
    // Columns count code points: `naïve_日本 = 1; TOKEN = "` is 23 of them (29 bytes).
    assert_eq!(
        (
            findings[6]["column"].as_u64(),
            findings[6]["end_column"].as_u64()
        ),
        (Some(24), Some(53))
    );
    insta::assert_snapshot!(
        "json",
        stable(&o.stdout, &t).replace(&elapsed(&doc), "[TIME]")
    );
}

#[test]
fn sarif_results_snapshot() {
    let (t, cfg) = snap_tree();
    let o = t.run(&["check", "--config", &cfg, "--format", "sarif"]);
    assert_eq!(o.code, 1, "{o:?}");
    let doc = o.json();
    assert_valid_sarif(&doc);
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    let json = t
        .run(&["check", "--config", &cfg, "--format", "json"])
        .json();
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(results.len(), findings.len());
    for (r, f) in results.iter().zip(findings) {
        assert_eq!(r["ruleId"], f["rule_id"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(r["partialFingerprints"]["keylint/v1"], f["fingerprint"]);
        assert_eq!(r["properties"]["kind"], f["kind"]);
        let region = &loc["region"];
        assert_eq!(region["startLine"], f["line"]);
        assert_eq!(region["startColumn"], f["column"]);
        assert_eq!(region["endLine"], f["end_line"]);
        assert_eq!(region["endColumn"], f["end_column"]);
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
    }
    let uni = &results[6]["locations"][0]["physicalLocation"];
    assert_eq!(
        uni["artifactLocation"]["uri"],
        "unicode%20dir/na%C3%AFve.py"
    );
    assert_eq!(
        (
            uni["region"]["startLine"].as_u64(),
            uni["region"]["startColumn"].as_u64(),
            uni["region"]["endColumn"].as_u64()
        ),
        (Some(2), Some(24), Some(53))
    );
    let mut stable_results = Value::Array(results.clone());
    for r in stable_results.as_array_mut().expect("array") {
        r["ruleIndex"] = Value::from("[index]");
    }
    insta::assert_snapshot!(
        "sarif_results",
        serde_json::to_string_pretty(&stable_results).expect("json")
    );
}

#[test]
fn github_workflow_commands() {
    let (t, cfg) = snap_tree();
    let o = t.run(&["check", "--config", &cfg, "--format", "github"]);
    assert_eq!(o.code, 1, "{o:?}");
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), snap_hits().len(), "{}", o.stdout);
    assert_eq!(
        lines[0],
        "::error file=.env,line=2,col=12,endLine=2,endColumn=41,title=keylint acme-token::\
         ACME API token found%0ARevoke it in the ACME console and read it from the environment."
    );
    assert!(
        lines[1].starts_with("::warning file=app/settings.py,line=3,col=14,"),
        "{}",
        lines[1]
    );
    insta::assert_snapshot!("github", o.stdout);
}

/// A secret in a minified bundle: the human report shows a window of the line around it, not
/// the whole line, nor a long neighbouring line as context; line and column stay the file's.
#[test]
fn human_long_lines_are_cut_to_a_window() {
    let t = Tree::new();
    let pad = "x".repeat(3000);
    t.file(
        "bundle.js",
        &format!("// header\nvar a=\"{pad}\",t=\"{GITHUB_PAT}\",b=\"{pad}\";\nvar c=1;\n"),
    );
    t.file(
        "near.py",
        &format!(
            "short = 1\nTOKEN = \"{GITHUB_PAT}\"\n{}\n",
            "z".repeat(5000)
        ),
    );
    let json = t.run(&["check", "--format", "json"]);
    assert_eq!(
        json.hits(),
        vec![
            hit("github-pat-classic", "bundle.js", 2),
            hit("github-pat-classic", "near.py", 2)
        ]
    );
    assert_eq!(json.json()["findings"][0]["column"], 3013);
    let o = t.run(&["check", "--color", "never"]);
    assert_eq!(o.code, 1, "{o:?}");
    let longest = o
        .stdout
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    assert!(longest <= 200, "{longest} columns:\n{}", o.stdout);
    assert!(o.stdout.contains("[bundle.js:2:3013]"), "{}", o.stdout);
    let masked = format!("ghp_{}", "*".repeat(36));
    assert!(
        o.stdout.contains(&format!(
            " 2 │ …{}\",t=\"{masked}\",b=\"{}…\n",
            "x".repeat(35),
            "x".repeat(35)
        )),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("[near.py:2:10]"), "{}", o.stdout);
    assert!(
        o.stdout.contains(&format!(" 2 │ TOKEN = \"{masked}\"\n")),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains("zzzz"), "{}", o.stdout);
    assert!(!o.stdout.contains("short = 1"), "{}", o.stdout);
}
