//! CLI contract tests: exit codes, stdin, suppressions, config, the walk and the `rules`
//! subcommands. Each test builds a tiny tree in a temp dir and runs the real binary.

mod common;

use common::{hit, Tree, AWS_KEY_ID, GENERIC, GITHUB_PAT, SLACK_WEBHOOK_PATH};

fn env_pat() -> String {
    format!("GITHUB_TOKEN={GITHUB_PAT}\n")
}

// ---------------------------------------------------------------------------------------------
// Exit codes

#[test]
fn clean_tree_exits_0() {
    let t = Tree::new();
    t.file("README.md", "# hello\n\nNothing to see.\n");
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(o.hits(), vec![]);
    assert_eq!(o.stderr, "");
}

#[test]
fn bare_keylint_checks_the_current_directory() {
    let t = Tree::new();
    t.file(".env", &env_pat());
    let o = t.run(&["--format", "json"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.hits(), vec![hit("github-pat-classic", ".env", 1)]);
}

#[test]
fn findings_exit_1() {
    let t = Tree::new();
    t.file(".env", &env_pat());
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.hits(), vec![hit("github-pat-classic", ".env", 1)]);
}

#[test]
fn missing_path_exits_2_and_names_it() {
    let t = Tree::new();
    let o = t.run(&["check", "--color", "never", "does-not-exist.txt"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert_eq!(
        o.stderr,
        "error: does-not-exist.txt: No such file or directory (os error 2)\n"
    );
    assert!(
        o.stdout
            .starts_with("0 findings in 0 files (0 files scanned in "),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.ends_with(" s); 1 file could not be read\n"),
        "{}",
        o.stdout
    );
    // --quiet drops the summary, never the error.
    let o = t.run(&["check", "-q", "does-not-exist.txt"]);
    assert_eq!((o.code, o.stdout.as_str()), (2, ""));
    assert!(o.stderr.contains("does-not-exist.txt"), "{}", o.stderr);
}

#[test]
fn dangling_symlink_named_explicitly_exits_2() {
    let t = Tree::new();
    std::os::unix::fs::symlink("nowhere.env", t.root().join("dangling.env")).unwrap();
    let o = t.run(&["check", "dangling.env"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert!(o.stderr.contains("dangling.env"), "{}", o.stderr);
}

/// A file that cannot be read in a walked directory: exit 2, the walk goes on. Root reads any
/// file whatever its mode, so under root (as in CI) there is nothing to test here.
#[test]
fn unreadable_file_in_a_walk_exits_2_and_the_walk_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new();
    t.file("a.env", &env_pat());
    t.file("locked.env", &env_pat());
    let locked = t.root().join("locked.env");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        return;
    }
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert_eq!(o.hits(), vec![hit("github-pat-classic", "a.env", 1)]);
    assert_eq!(o.json()["errors"][0]["path"], "locked.env");
    assert!(o.stderr.contains("locked.env"), "{}", o.stderr);
}

#[test]
fn an_error_wins_over_findings_and_findings_are_still_printed() {
    let t = Tree::new();
    t.file(".env", &env_pat());
    let o = t.run(&["check", "--format", "json", ".env", "missing.env"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert_eq!(o.hits(), vec![hit("github-pat-classic", ".env", 1)]);
    let doc = o.json();
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["path"], "missing.env");
    assert_eq!(doc["summary"]["errors"], 1);
    assert!(o.stderr.contains("missing.env"), "{}", o.stderr);
}

#[test]
fn exit_zero_turns_findings_into_0_but_not_errors() {
    let t = Tree::new();
    t.file(".env", &env_pat());
    let o = t.run(&["check", "--exit-zero", "--format", "json"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(o.hits(), vec![hit("github-pat-classic", ".env", 1)]);
    let o = t.run(&["check", "--exit-zero", ".env", "missing.env"]);
    assert_eq!(o.code, 2, "{o:?}");
}

#[test]
fn usage_errors_exit_2() {
    let t = Tree::new();
    for args in [
        &["check", "--format", "xml"][..],
        &["check", "--no-such-flag"],
        &["check", "-"],
        &["check", "--stdin-filename", "x.env"],
        &["check", "--fail-on", "info"],
        &["check", "--threads", "many"],
    ] {
        let o = t.run(args);
        assert_eq!(o.code, 2, "{args:?}: {o:?}");
        assert_eq!(o.stdout, "", "{args:?}");
        assert!(!o.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn help_and_version_exit_0() {
    let t = Tree::new();
    assert_eq!(t.run(&["--help"]).code, 0);
    assert_eq!(t.run(&["check", "--help"]).code, 0);
    let v = t.run(&["--version"]);
    assert_eq!(v.code, 0);
    assert_eq!(v.stdout, format!("keylint {}\n", env!("CARGO_PKG_VERSION")));
}

/// The AWS access key id alone is a warning (it names a key but is not the secret half).
#[test]
fn fail_on_error_ignores_warning_only_findings() {
    let t = Tree::new();
    let rules = t.run(&["rules", "--format", "json"]).json();
    let aws = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "aws-access-key-id")
        .expect("aws-access-key-id is registered");
    assert_eq!(aws["severity"], "warning");

    t.file(
        "deploy.sh",
        &format!("aws configure set aws_access_key_id {AWS_KEY_ID}\n"),
    );
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.hits(), vec![hit("aws-access-key-id", "deploy.sh", 1)]);
    assert_eq!(o.json()["findings"][0]["severity"], "warning");

    let o = t.run(&["check", "--format", "json", "--fail-on", "error"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(o.hits(), vec![hit("aws-access-key-id", "deploy.sh", 1)]);

    // An error-severity finding still fails with --fail-on error.
    t.file(".env", &env_pat());
    let o = t.run(&["check", "--format", "json", "--fail-on", "error"]);
    assert_eq!(o.code, 1, "{o:?}");
}

// ---------------------------------------------------------------------------------------------
// Standard input

#[test]
fn stdin_is_checked_under_the_given_name() {
    let t = Tree::new();
    let o = common::run(
        t.cmd()
            .args([
                "check",
                "--format",
                "json",
                "--stdin-filename",
                "app/.env",
                "-",
            ])
            .write_stdin(format!("# comment\n{}", env_pat())),
    );
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.hits(), vec![hit("github-pat-classic", "app/.env", 2)]);
    assert_eq!(o.json()["summary"]["files_scanned"], 1);
}

#[test]
fn stdin_clean_exits_0() {
    let t = Tree::new();
    let o = common::run(
        t.cmd()
            .args(["check", "--format", "json", "--stdin-filename", ".env", "-"])
            .write_stdin("DEBUG=true\n"),
    );
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(o.hits(), vec![]);
}

/// The file kind comes from the name: the same text is checked as a lockfile (no generic rule)
/// or as ordinary JSON.
#[test]
fn stdin_kind_comes_from_the_name() {
    let t = Tree::new();
    let text = format!("{{\n  \"api_key\": \"{GENERIC}\"\n}}\n");
    let run_as = |name: &str| {
        common::run(
            t.cmd()
                .args(["check", "--format", "json", "--stdin-filename", name, "-"])
                .write_stdin(text.clone()),
        )
    };
    let o = run_as("config.json");
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.hits(), vec![hit("generic-secret", "config.json", 2)]);
    let o = run_as("package-lock.json");
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(o.hits(), vec![]);
}

/// The kind comes from the stdin name: the same `ENV` line is a Dockerfile finding under a
/// Dockerfile name (one finding per secret span, naming the provider) and a provider-pattern
/// finding under another name; likewise a compose `environment` entry.
#[test]
fn stdin_dockerfile_and_compose_names_get_their_handling() {
    let t = Tree::new();
    let run_as = |name: &str, text: &str| {
        common::run(
            t.cmd()
                .args(["check", "--format", "json", "--stdin-filename", name, "-"])
                .write_stdin(text.to_string()),
        )
    };
    let docker = format!("FROM alpine:3.20\nENV GITHUB_TOKEN={GITHUB_PAT}\n");
    let o = run_as("Dockerfile", &docker);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(
        o.hits(),
        vec![hit("dockerfile/secret-in-env", "Dockerfile", 2)]
    );
    let o = run_as("build/app.dockerfile", &docker);
    assert_eq!(
        o.hits(),
        vec![hit("dockerfile/secret-in-env", "build/app.dockerfile", 2)]
    );
    let o = run_as("notes.txt", &docker);
    assert_eq!(o.hits(), vec![hit("github-pat-classic", "notes.txt", 2)]);

    let compose = format!("services:\n  web:\n    environment:\n      GH: {GITHUB_PAT}\n");
    let o = run_as("docker-compose.yml", &compose);
    assert_eq!(
        o.hits(),
        vec![hit(
            "compose/secret-in-environment",
            "docker-compose.yml",
            4
        )]
    );
    let o = run_as("values.yml", &compose);
    assert_eq!(o.hits(), vec![hit("github-pat-classic", "values.yml", 4)]);
}

#[test]
fn stdin_config_comes_from_the_name() {
    let t = Tree::new();
    t.file("sub/keylint.toml", "ignore = [\"github-pat-classic\"]\n");
    let o = common::run(
        t.cmd()
            .args([
                "check",
                "--format",
                "json",
                "--stdin-filename",
                "sub/.env",
                "-",
            ])
            .write_stdin(env_pat()),
    );
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(o.hits(), vec![]);
}

// ---------------------------------------------------------------------------------------------
// Inline suppressions

#[test]
fn inline_suppressions() {
    let t = Tree::new();
    let p = GITHUB_PAT;
    let lines = [
        format!("a = \"{p}\"  # keylint:allow"), // 1 allowed
        format!("b = \"{p}\"  // keylint:allow github-pat-classic"), // 2 allowed
        format!("c = \"{p}\"  # keylint:allow aws-access-key-id"), // 3 reported
        "# keylint:allow-next-line".to_string(), // 4
        format!("d = \"{p}\""),                  // 5 allowed
        "# keylint:allow-next-line slack-webhook-url".to_string(), // 6
        format!("e = \"{p}\""),                  // 7 reported
        format!("f = \"{p}\"  # gitleaks:allow"), // 8 allowed
        format!("g = \"{p}\"  # pragma: allowlist secret"), // 9 allowed
        "# pragma: allowlist nextline secret".to_string(), // 10
        format!("h = \"{p}\""),                  // 11 allowed
        format!("i = \"{p}\"  /* keylint:allow secret */"), // 12 allowed (kind)
        format!("j = \"{p}\"  <!-- keylint:allow github-pat-classic -->"), // 13 allowed
        format!("k = \"{p}\""),                  // 14 reported
        format!("l = \"{p}\"  # keylint:allow-next-line"), // 15 reported
        format!("m = \"{p}\""),                  // 16 allowed
        format!("n = \"{p}\"  # keylint:allow -- a test fixture"), // 17 allowed
        format!("o = \"{p}\"  # keylint:allow github-pat-classic -- fake"), // 18 allowed
        format!("q = \"{p}\"  # keylint:allow jwt -- fake"), // 19 reported
    ];
    t.file("tokens.txt", &(lines.join("\n") + "\n"));
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(
        o.hits(),
        vec![
            hit("github-pat-classic", "tokens.txt", 3),
            hit("github-pat-classic", "tokens.txt", 7),
            hit("github-pat-classic", "tokens.txt", 14),
            hit("github-pat-classic", "tokens.txt", 15),
            hit("github-pat-classic", "tokens.txt", 19),
        ]
    );
}

#[test]
fn inline_suppressions_in_other_comment_syntaxes() {
    let t = Tree::new();
    let p = GITHUB_PAT;
    t.file(
        "q.sql",
        &format!("select '{p}'; -- keylint:allow\nselect '{p}';\n"),
    );
    t.file(
        "c.ini",
        &format!("token = {p} ; keylint:allow github-pat-classic\ntoken2 = {p}\n"),
    );
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(
        o.hits(),
        vec![
            hit("github-pat-classic", "c.ini", 2),
            hit("github-pat-classic", "q.sql", 2)
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Config

/// A tree with one GitHub token in each of several places.
fn config_tree() -> Tree {
    let t = Tree::new();
    t.file("app/.env", &env_pat());
    t.file("tests/fake.env", &env_pat());
    t.file("vendor/lib.py", &format!("TOKEN = \"{GITHUB_PAT}\"\n"));
    t.file(
        "hooks.sh",
        &format!("curl https://hooks.slack.com/services/{SLACK_WEBHOOK_PATH}\n"),
    );
    t
}

fn all_config_tree_hits() -> Vec<(String, String, u64)> {
    vec![
        hit("github-pat-classic", "app/.env", 1),
        hit("slack-webhook-url", "hooks.sh", 1),
        hit("github-pat-classic", "tests/fake.env", 1),
        hit("github-pat-classic", "vendor/lib.py", 1),
    ]
}

#[test]
fn config_baseline_without_keylint_toml() {
    let t = config_tree();
    assert_eq!(
        t.run(&["check", "--format", "json"]).hits(),
        all_config_tree_hits()
    );
}

#[test]
fn config_exclude() {
    let t = config_tree();
    t.file("keylint.toml", "exclude = [\"vendor/\", \"*.sh\"]\n");
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(
        o.hits(),
        vec![
            hit("github-pat-classic", "app/.env", 1),
            hit("github-pat-classic", "tests/fake.env", 1)
        ]
    );
}

#[test]
fn config_select_and_ignore() {
    let t = config_tree();
    t.file("keylint.toml", "select = [\"slack-webhook-url\"]\n");
    assert_eq!(
        t.run(&["check", "--format", "json"]).hits(),
        vec![hit("slack-webhook-url", "hooks.sh", 1)]
    );
    t.file("keylint.toml", "ignore = [\"slack-webhook-url\"]\n");
    assert_eq!(
        t.run(&["check", "--format", "json"]).hits(),
        vec![
            hit("github-pat-classic", "app/.env", 1),
            hit("github-pat-classic", "tests/fake.env", 1),
            hit("github-pat-classic", "vendor/lib.py", 1),
        ]
    );
}

#[test]
fn cli_select_and_ignore_override_and_extend_config() {
    let t = config_tree();
    let o = t.run(&["check", "--format", "json", "--select", "slack-webhook-url"]);
    assert_eq!(o.hits(), vec![hit("slack-webhook-url", "hooks.sh", 1)]);
    let o = t.run(&[
        "check",
        "--format",
        "json",
        "--ignore",
        "github-pat-classic,slack-webhook-url",
    ]);
    assert_eq!((o.code, o.hits()), (0, vec![]));
    // --select replaces the config's select; --ignore adds to the config's ignore.
    t.file(
        "keylint.toml",
        "select = [\"github-pat-classic\"]\nignore = [\"slack-webhook-url\"]\n",
    );
    let o = t.run(&[
        "check",
        "--format",
        "json",
        "--select",
        "slack-webhook-url,github-pat-classic",
    ]);
    assert_eq!(
        o.hits(),
        vec![
            hit("github-pat-classic", "app/.env", 1),
            hit("github-pat-classic", "tests/fake.env", 1),
            hit("github-pat-classic", "vendor/lib.py", 1),
        ]
    );
    // A kind works as a selector too.
    let o = t.run(&["check", "--format", "json", "--select", "dockerfile"]);
    assert_eq!((o.code, o.hits()), (0, vec![]));
}

/// One finding per secret span: ignoring the provider rule that owns a span does not hand the
/// secret to the generic rule.
#[test]
fn ignoring_a_provider_rule_does_not_make_generic_secret_report_it() {
    let t = Tree::new();
    t.file(".env", &env_pat());
    for args in [
        &[
            "check",
            "--format",
            "json",
            "--ignore",
            "github-pat-classic",
        ][..],
        &["check", "--format", "json", "--select", "generic-secret"],
    ] {
        let o = t.run(args);
        assert_eq!((o.code, o.hits()), (0, vec![]), "{args:?}");
    }
    t.file("keylint.toml", "ignore = [\"github-pat-classic\"]\n");
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!((o.code, o.hits()), (0, vec![]));
}

#[test]
fn select_and_ignore_by_prefix() {
    let t = Tree::new();
    t.file(
        "Dockerfile",
        &format!("FROM alpine\nENV GITHUB_TOKEN={GITHUB_PAT}\n"),
    );
    t.file(".env", &env_pat());
    let all = t.run(&["check", "--format", "json"]).hits();
    let docker_rule = all.iter().any(|h| h.0.starts_with("dockerfile/"));
    // With prefix `dockerfile/` ignored, the Dockerfile's secret is still found by the provider
    // pattern (a kind-aware rule only takes over a span when it reports it).
    let o = t.run(&["check", "--format", "json", "--ignore", "dockerfile/"]);
    assert_eq!(
        o.hits(),
        vec![
            hit("github-pat-classic", ".env", 1),
            hit("github-pat-classic", "Dockerfile", 2)
        ]
    );
    let o = t.run(&["check", "--format", "json", "--select", "dockerfile/"]);
    let expected = if docker_rule {
        vec![hit("dockerfile/secret-in-env", "Dockerfile", 2)]
    } else {
        vec![]
    };
    assert_eq!(o.hits(), expected);
    // An id prefix must end at `/`: `github-` is not a selector, and an unknown one is an error.
    let o = t.run(&["check", "--format", "json", "--ignore", "github-"]);
    assert_eq!((o.code, o.stdout.as_str()), (2, ""), "{o:?}");
    assert_eq!(all.len(), 2);
}

/// A typo in a selector would select nothing (or ignore nothing) and make the run look clean.
#[test]
fn unknown_selectors_are_errors() {
    let t = config_tree();
    for args in [
        &["check", "--select", "github-pat"][..],
        &["check", "--ignore", "slack-webhook"],
        &["check", "--select", "nosuchkind/"],
    ] {
        let o = t.run(args);
        assert_eq!(o.code, 2, "{args:?}: {o:?}");
        assert_eq!(o.stdout, "");
        assert!(
            o.stderr
                .contains(&format!("unknown rule, prefix or kind `{}`", args[2])),
            "{}",
            o.stderr
        );
    }
    for (config, line) in [
        ("select = [\"github-pat\"]\n", 1),
        ("exclude = []\nignore = ['slack-webhook']\n", 2),
        ("[per-file-ignores]\n\"*.sh\" = [\"slak-webhook-url\"]\n", 2),
    ] {
        t.file("keylint.toml", config);
        let o = t.run(&["check"]);
        assert_eq!(o.code, 2, "{config}: {o:?}");
        assert!(
            o.stderr.contains("unknown rule, prefix or kind"),
            "{}",
            o.stderr
        );
        assert!(
            o.stderr.contains(&format!("keylint.toml:{line}:")),
            "{}",
            o.stderr
        );
    }
    // Kinds, ALL and kind prefixes are fine even with no rule of that kind yet.
    t.file(
        "keylint.toml",
        "ignore = [\"placeholder\", \"env-name\", \"dotenv/\"]\n",
    );
    let o = t.run(&["check", "--format", "json", "--select", "ALL"]);
    assert_eq!(o.hits(), all_config_tree_hits());
}

#[test]
fn per_file_ignores() {
    let t = config_tree();
    t.file(
        "keylint.toml",
        "[per-file-ignores]\n\"tests/**\" = [\"github-pat-classic\"]\n\"*.sh\" = [\"secret\"]\n",
    );
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(
        o.hits(),
        vec![
            hit("github-pat-classic", "app/.env", 1),
            hit("github-pat-classic", "vendor/lib.py", 1)
        ]
    );
}

#[test]
fn allowlist_values_regexes_and_paths() {
    let t = config_tree();
    t.file(
        "keylint.toml",
        &format!("[allowlist]\nvalues = [\"{GITHUB_PAT}\"]\n"),
    );
    assert_eq!(
        t.run(&["check", "--format", "json"]).hits(),
        vec![hit("slack-webhook-url", "hooks.sh", 1)]
    );
    t.file("keylint.toml", "[allowlist]\nregexes = ['^ghp_s4B2']\n");
    assert_eq!(
        t.run(&["check", "--format", "json"]).hits(),
        vec![hit("slack-webhook-url", "hooks.sh", 1)]
    );
    t.file(
        "keylint.toml",
        "[allowlist]\npaths = [\"tests/\", \"vendor/**\"]\n",
    );
    assert_eq!(
        t.run(&["check", "--format", "json"]).hits(),
        vec![
            hit("github-pat-classic", "app/.env", 1),
            hit("slack-webhook-url", "hooks.sh", 1)
        ]
    );
}

const USER_RULE: &str = r#"
[[rule]]
id = "acme-internal-token"
name = "ACME internal token"
description = "An ACME internal API token."
help = "Rotate it in the ACME console."
keywords = ["acme_"]
regex = '''\b(acme_[a-z0-9]{24})\b'''
min_entropy = 3.0
severity = "warning"
examples = ["TOKEN=acme_q8w7e6r5t4y3u2i1o9p8a7s6"]
negative_examples = ["TOKEN=acme_xxxxxxxxxxxxxxxxxxxxxxxx"]
"#;

#[test]
fn user_rule_from_config_is_used_in_a_scan() {
    let t = Tree::new();
    // The config sits outside the scanned tree: its own `examples` would be findings too.
    let cfg = t.outside().join("rules.toml");
    std::fs::write(&cfg, USER_RULE).unwrap();
    let cfg = cfg.to_str().unwrap();
    t.file(
        "a.txt",
        "one\nTOKEN=acme_q8w7e6r5t4y3u2i1o9p8a7s6\nACME=acme_xxxxxxxxxxxxxxxxxxxxxxxx\n",
    );
    let o = t.run(&["check", "--format", "json", "--config", cfg]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.hits(), vec![hit("acme-internal-token", "a.txt", 2)]);
    let f = &o.json()["findings"][0];
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["kind"], "secret");
    assert_eq!(f["rule_name"], "ACME internal token");
    // SARIF lists it among the driver's rules.
    let sarif = t
        .run(&["check", "--format", "sarif", "--config", cfg])
        .json();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(
        rules
            .iter()
            .filter(|r| r["id"] == "acme-internal-token")
            .count(),
        1
    );
}

#[test]
fn user_rule_may_not_reuse_a_builtin_id() {
    let t = Tree::new();
    for id in ["generic-secret", "github-pat-classic"] {
        t.file(
            "keylint.toml",
            &USER_RULE.replace("acme-internal-token", id),
        );
        let o = t.run(&["check"]);
        assert_eq!(o.code, 2, "{id}: {o:?}");
        assert!(
            o.stderr.contains(&format!("duplicate rule id `{id}`")),
            "{}",
            o.stderr
        );
        assert!(o.stderr.contains("keylint.toml:3:6"), "{}", o.stderr);
    }
}

#[test]
fn config_flag_uses_that_file() {
    let t = config_tree();
    std::fs::write(
        t.outside().join("other.toml"),
        "ignore = [\"github-pat-classic\"]\n",
    )
    .unwrap();
    // A keylint.toml in the tree is not read when --config is given.
    t.file("keylint.toml", "ignore = [\"slack-webhook-url\"]\n");
    let cfg = t.outside().join("other.toml");
    let o = t.run(&[
        "check",
        "--format",
        "json",
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(o.hits(), vec![hit("slack-webhook-url", "hooks.sh", 1)]);
}

#[test]
fn config_flag_with_missing_file_exits_2() {
    let t = config_tree();
    let o = t.run(&["check", "--config", "nope.toml"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert!(o.stderr.contains("nope.toml"), "{}", o.stderr);
    assert_eq!(o.stdout, "");
}

#[test]
fn unknown_config_key_exits_2_pointing_into_the_file() {
    let t = config_tree();
    t.file("keylint.toml", "exclude = []\n\nexlcude = [\"vendor/\"]\n");
    let o = t.run(&["check"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert_eq!(o.stdout, "");
    assert!(o.stderr.contains("exlcude"), "{}", o.stderr);
    assert!(o.stderr.contains("keylint.toml:3:1"), "{}", o.stderr);
    // The offending line is shown with its number.
    assert!(
        o.stderr.contains(" 3 │ exlcude = [\"vendor/\"]"),
        "{}",
        o.stderr
    );
}

#[test]
fn unknown_field_in_a_user_rule_exits_2_pointing_into_the_file() {
    let t = Tree::new();
    t.file("keylint.toml", "[[rule]]\nid = \"x\"\nregexp = 'x'\n");
    let o = t.run(&["check"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert!(o.stderr.contains("regexp"), "{}", o.stderr);
    assert!(o.stderr.contains("keylint.toml:3:1"), "{}", o.stderr);
}

#[test]
fn bad_regex_in_config_exits_2() {
    let t = Tree::new();
    t.file("keylint.toml", "[allowlist]\nregexes = ['(unclosed']\n");
    let o = t.run(&["check"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert!(o.stderr.contains("keylint.toml:2:"), "{}", o.stderr);
}

// ---------------------------------------------------------------------------------------------
// Walk

#[test]
fn ignore_files_are_honoured_and_no_ignore_overrides() {
    let t = Tree::new();
    t.file(".gitignore", "build/\n");
    t.file(".ignore", "tmp.env\n");
    t.file(".keylintignore", "secret_fixtures/\n");
    t.file("build/out.env", &env_pat());
    t.file("tmp.env", &env_pat());
    t.file("secret_fixtures/a.env", &env_pat());
    t.file("kept.env", &env_pat());
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(o.hits(), vec![hit("github-pat-classic", "kept.env", 1)]);
    let o = t.run(&["check", "--format", "json", "--no-ignore"]);
    assert_eq!(
        o.hits(),
        vec![
            hit("github-pat-classic", "build/out.env", 1),
            hit("github-pat-classic", "kept.env", 1),
            hit("github-pat-classic", "secret_fixtures/a.env", 1),
            hit("github-pat-classic", "tmp.env", 1),
        ]
    );
}

#[test]
fn explicit_ignored_file_is_checked_unless_force_exclude() {
    let t = Tree::new();
    t.file(".gitignore", "*.env\n");
    t.file("keylint.toml", "exclude = [\"excluded/\"]\n");
    t.file("local.env", &env_pat());
    t.file("excluded/x.txt", &env_pat());
    let o = t.run(&["check", "--format", "json", "local.env", "excluded/x.txt"]);
    assert_eq!(
        o.hits(),
        vec![
            hit("github-pat-classic", "excluded/x.txt", 1),
            hit("github-pat-classic", "local.env", 1)
        ]
    );
    let o = t.run(&[
        "check",
        "--format",
        "json",
        "--force-exclude",
        "local.env",
        "excluded/x.txt",
    ]);
    assert_eq!((o.code, o.hits()), (0, vec![]));
    // Directory walks never include them.
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!((o.code, o.hits()), (0, vec![]));
}

#[test]
fn nested_and_parent_ignore_files() {
    let t = Tree::new();
    t.file(".gitignore", "sub/parent-ignored.env\n");
    t.file("sub/.gitignore", "nested-ignored.env\n");
    t.file("sub/nested-ignored.env", &env_pat());
    t.file("sub/parent-ignored.env", &env_pat());
    t.file("sub/kept.env", &env_pat());
    let kept = vec![hit("github-pat-classic", "sub/kept.env", 1)];
    assert_eq!(t.run(&["check", "--format", "json"]).hits(), kept);
    // Walking the subdirectory still honours the parent's .gitignore.
    assert_eq!(t.run(&["check", "--format", "json", "sub"]).hits(), kept);
    let o = t.run(&[
        "check",
        "--format",
        "json",
        "--force-exclude",
        "sub/nested-ignored.env",
        "sub/parent-ignored.env",
        "sub/kept.env",
    ]);
    assert_eq!(o.hits(), kept);
}

#[test]
fn dotfiles_and_dot_directories_are_walked_but_not_dot_git() {
    let t = Tree::new();
    t.file(".env", &env_pat());
    t.file(
        ".github/workflows/ci.yml",
        &format!("env:\n  TOKEN: {GITHUB_PAT}\n"),
    );
    t.file(".git/config", &env_pat());
    t.file(".git/objects/ab/cdef", &env_pat());
    t.file("sub/.git/HEAD", &env_pat());
    let o = t.run(&["check", "--format", "json"]);
    let hits = o.hits();
    // The tree holds a `.git/` and no .gitignore: the committed .env is reported too.
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert_eq!(hits[0], hit("dotenv/not-ignored", ".env", 1));
    assert_eq!(hits[1], hit("github-pat-classic", ".env", 1));
    assert_eq!(
        (hits[2].1.as_str(), hits[2].2),
        (".github/workflows/ci.yml", 2)
    );
    assert_eq!(o.json()["summary"]["files_scanned"], 2);
}

#[test]
fn binary_files_are_skipped_and_counted() {
    let t = Tree::new();
    let mut bin = b"\x7fELF\x00\x01\x02".to_vec();
    bin.extend_from_slice(env_pat().as_bytes());
    t.bytes("app.bin", &bin);
    // A NUL after the first 8 KiB does not make a file binary.
    let mut late = vec![b'a'; 9000];
    late.push(b'\n');
    late.extend_from_slice(env_pat().as_bytes());
    late.push(0);
    t.bytes("late.txt", &late);
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.hits(), vec![hit("github-pat-classic", "late.txt", 2)]);
    let s = &o.json()["summary"];
    assert_eq!(
        (s["files_scanned"].as_u64(), s["skipped_binary"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn large_files_are_skipped_and_counted_in_the_summary() {
    let t = Tree::new();
    let mut big = env_pat();
    big.push_str(&"# padding\n".repeat(200));
    t.file("big.env", &big);
    t.file("small.env", &env_pat());
    let o = t.run(&["check", "--format", "json", "--max-file-size", "1000"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.hits(), vec![hit("github-pat-classic", "small.env", 1)]);
    let s = &o.json()["summary"];
    assert_eq!(
        (s["files_scanned"].as_u64(), s["skipped_too_large"].as_u64()),
        (Some(1), Some(1))
    );
    let o = t.run(&["check", "--color", "never", "--max-file-size", "1000"]);
    let last = o.stdout.lines().last().unwrap_or_default().to_string();
    assert!(
        last.starts_with("1 finding in 1 file (1 file scanned in "),
        "{last}"
    );
    assert!(
        last.ends_with(" s); skipped 1 over the size limit"),
        "{last}"
    );
    // Skipping by design is not an error.
    assert_eq!(o.code, 1);
}

#[test]
fn invalid_utf8_is_read_lossily() {
    let t = Tree::new();
    let mut bytes = b"caf\xe9 \xff\xfe\n".to_vec();
    bytes.extend_from_slice(env_pat().as_bytes());
    t.bytes("latin1.env", &bytes);
    let o = t.run(&["check", "--format", "json"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.hits(), vec![hit("github-pat-classic", "latin1.env", 2)]);
}

#[test]
fn symlink_loops_do_not_hang() {
    let t = Tree::new();
    t.file("a/b/.env", &env_pat());
    std::os::unix::fs::symlink("..", t.root().join("a/b/up")).unwrap();
    std::os::unix::fs::symlink(t.root(), t.root().join("a/root")).unwrap();
    let o = common::run(
        t.cmd()
            .args(["check", "--format", "json"])
            .timeout(std::time::Duration::from_secs(60)),
    );
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.hits(), vec![hit("github-pat-classic", "a/b/.env", 1)]);
}

#[test]
fn output_flag_writes_the_report_to_a_file() {
    let t = Tree::new();
    t.file(".env", &env_pat());
    let report = t.outside().join("report.json");
    let o = t.run(&[
        "check",
        "--format",
        "json",
        "--output",
        report.to_str().unwrap(),
    ]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.stdout, "");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 1);
    assert_eq!(doc["findings"][0]["rule_id"], "github-pat-classic");
    // An unwritable output is an error, not a pass.
    let o = t.run(&["check", "--output", "no/such/dir/report.txt"]);
    assert_eq!(o.code, 2, "{o:?}");
}

#[test]
fn threads_1_gives_the_same_result() {
    let t = config_tree();
    let o = t.run(&["check", "--format", "json", "--threads", "1"]);
    assert_eq!(o.hits(), all_config_tree_hits());
    let o = t.run(&["check", "--format", "json", "-j", "3"]);
    assert_eq!(o.hits(), all_config_tree_hits());
}

#[test]
fn quiet_drops_the_summary() {
    let t = Tree::new();
    t.file("ok.txt", "fine\n");
    let o = t.run(&["check", "--color", "never"]);
    assert_eq!((o.code, o.stdout.lines().count()), (0, 1));
    assert!(
        o.stdout
            .starts_with("0 findings in 0 files (1 file scanned in "),
        "{}",
        o.stdout
    );
    let o = t.run(&["check", "--color", "never", "-q"]);
    assert_eq!((o.code, o.stdout.as_str()), (0, ""));
}

// ---------------------------------------------------------------------------------------------
// Fingerprints

#[test]
fn fingerprint_survives_lines_moving() {
    let t = Tree::new();
    t.file("cfg.py", &format!("TOKEN = \"{GITHUB_PAT}\"\n"));
    let before = t.run(&["check", "--format", "json"]).json();
    t.file(
        "cfg.py",
        &format!("import os\n\n# moved down\nTOKEN = \"{GITHUB_PAT}\"\n"),
    );
    let after = t.run(&["check", "--format", "json"]).json();
    assert_eq!(before["findings"][0]["line"], 1);
    assert_eq!(after["findings"][0]["line"], 4);
    let fp = before["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(after["findings"][0]["fingerprint"], fp.as_str());
    assert!(!fp.contains(&GITHUB_PAT[4..]), "{fp}");
    // Another secret or another file gives another fingerprint.
    t.file("cfg2.py", &format!("TOKEN = \"{GITHUB_PAT}\"\n"));
    let both = t.run(&["check", "--format", "json"]).json();
    assert_ne!(
        both["findings"][0]["fingerprint"],
        both["findings"][1]["fingerprint"]
    );
}

/// However the file is named on the command line, it is shown and fingerprinted the same way.
#[test]
fn paths_are_shown_relative_to_the_current_directory() {
    let t = Tree::new();
    t.file("sub/.env", &env_pat());
    let abs = t.root().join("sub/.env");
    let abs_dir = t.root().join("sub");
    let runs = [
        vec!["check", "--format", "json"],
        vec!["check", "--format", "json", "sub/.env"],
        vec!["check", "--format", "json", "./sub/.env"],
        vec!["check", "--format", "json", abs.to_str().unwrap()],
        vec!["check", "--format", "json", abs_dir.to_str().unwrap()],
    ];
    let mut fingerprints = Vec::new();
    for args in &runs {
        let o = t.run(args);
        assert_eq!(
            o.hits(),
            vec![hit("github-pat-classic", "sub/.env", 1)],
            "{args:?}"
        );
        fingerprints.push(o.json()["findings"][0]["fingerprint"].clone());
    }
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), 1, "{fingerprints:?}");
    // Outside the current directory, a path stays as given.
    let outside = t.outside().join("x.env");
    std::fs::write(&outside, env_pat()).unwrap();
    let o = t.run(&["check", "--format", "json", outside.to_str().unwrap()]);
    assert_eq!(
        o.hits(),
        vec![hit("github-pat-classic", outside.to_str().unwrap(), 1)]
    );
}

// ---------------------------------------------------------------------------------------------
// `keylint rules`, `keylint rule ID`, `keylint rules check FILE`

#[test]
fn rules_lists_every_rule_with_its_fields() {
    let t = Tree::new();
    let o = t.run(&["rules", "--format", "json"]);
    assert_eq!(o.code, 0);
    let rules = o.json();
    let rules = rules.as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    for id in [
        "generic-secret",
        "github-pat-classic",
        "aws-access-key-id",
        "slack-webhook-url",
        "private-key-rsa",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
    let kinds = [
        "secret",
        "dockerfile",
        "manifest",
        "env-name",
        "placeholder",
        "dotenv",
    ];
    for r in rules {
        for field in ["id", "name", "kind", "severity", "file_kinds"] {
            assert!(!r[field].is_null(), "{r} lacks {field}");
        }
        assert!(kinds.contains(&r["kind"].as_str().unwrap()), "{r}");
        assert!(
            ["warning", "error"].contains(&r["severity"].as_str().unwrap()),
            "{r}"
        );
    }
    // The human table has one row per rule, a header and a count line.
    let h = t.run(&["rules"]);
    assert_eq!(h.code, 0);
    assert!(h.stdout.starts_with("ID "), "{}", h.stdout);
    let secrets = rules.iter().filter(|r| r["kind"] == "secret").count();
    assert!(
        h.stdout.ends_with(&format!(
            "\n{} rules ({} secret patterns, {} kind-aware)\n",
            rules.len(),
            secrets,
            rules.len() - secrets
        )),
        "{}",
        h.stdout
    );
    assert_eq!(h.stdout.lines().count(), rules.len() + 3);
}

#[test]
fn rule_prints_documentation() {
    let t = Tree::new();
    let o = t.run(&["rule", "generic-secret"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert!(
        o.stdout
            .starts_with("# generic-secret (Generic secret assignment)\n"),
        "{}",
        o.stdout
    );
    for heading in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "Use instead:",
    ] {
        assert!(o.stdout.contains(heading), "{heading}: {}", o.stdout);
    }
    let o = t.run(&["rule", "github-pat-classic"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert!(o
        .stdout
        .starts_with("# github-pat-classic (GitHub personal access token (classic))\n"));
    let o = t.run(&["rule", "no-such-rule"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert!(o.stderr.contains("no-such-rule"), "{}", o.stderr);
}

#[test]
fn rules_check_validates_a_rule_file() {
    let t = Tree::new();
    t.file("good.toml", USER_RULE);
    let o = t.run(&["rules", "check", "good.toml"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(
        o.stdout,
        "good.toml: 1 rules, 2 examples checked, 0 failures\n"
    );

    // An example that does not match, and a negative example that does.
    let bad = USER_RULE
        .replace("TOKEN=acme_q8w7e6r5t4y3u2i1o9p8a7s6", "TOKEN=acme_short")
        .replace(
            "TOKEN=acme_xxxxxxxxxxxxxxxxxxxxxxxx",
            "TOKEN=acme_z9x8c7v6b5n4m3l2k1j9h8g7",
        );
    t.file("bad.toml", &bad);
    let o = t.run(&["rules", "check", "bad.toml"]);
    assert_eq!(o.code, 1, "{o:?}");
    let fails: Vec<&str> = o
        .stdout
        .lines()
        .filter(|l| l.starts_with("FAIL "))
        .collect();
    assert_eq!(fails.len(), 2, "{}", o.stdout);
    assert!(
        o.stdout
            .ends_with("bad.toml: 1 rules, 2 examples checked, 2 failures\n"),
        "{}",
        o.stdout
    );

    // A rules/secrets-style file with `family` works too.
    t.file("family.toml", &format!("family = \"ACME\"\n{USER_RULE}"));
    let o = t.run(&["rules", "check", "family.toml"]);
    assert_eq!(o.code, 0, "{o:?}");

    // An unknown field is a usage error pointing at it.
    t.file("typo.toml", &USER_RULE.replace("min_entropy", "min_entrop"));
    let o = t.run(&["rules", "check", "typo.toml"]);
    assert_eq!(o.code, 2, "{o:?}");
    assert!(o.stderr.contains("min_entrop"), "{}", o.stderr);
    assert!(o.stderr.contains("typo.toml:9:1"), "{}", o.stderr);
    assert!(o.stderr.contains(" 9 │ min_entrop = 3.0"), "{}", o.stderr);

    // A missing file is an error too.
    assert_eq!(t.run(&["rules", "check", "missing.toml"]).code, 2);
}
