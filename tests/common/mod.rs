//! Shared helpers for the CLI contract tests: throwaway trees in temp dirs and a way to run the
//! `keylint` binary in them.
//!
//! Each tree is `<tmp>/repo` with an empty `<tmp>/keylint.toml` above it, so config discovery
//! (which walks up from the scanned path) stops there and never picks up a stray config from the
//! machine. A test that needs a config writes `repo/keylint.toml`, which is found first.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// Fake secrets used across the tests: each is a rule's own positive example (so it matches) and
/// none is a real credential.
pub const AWS_KEY_ID: &str = "AKIAZ2FS5SBAS2JTMVHN";
/// The secret half that goes with [`AWS_KEY_ID`] (grouped with it: each points at the other).
pub const AWS_SECRET: &str = "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";
pub const GITHUB_PAT: &str = "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";
pub const SLACK_WEBHOOK_PATH: &str = "TOUZBUBPF8X/BLH2PJ54PI7/9cwJSYH83FrOqow3g7cKBJkq";
/// A random-looking literal for the generic rule (secret-like name, no provider prefix). Made up
/// for these tests: it must not appear in any rule's docs (SARIF prints those).
pub const GENERIC: &str = "Qm4vR8xT2nB6kW9pL3sD7fH1jY5cZ0aE";
pub const PEM_BODY: &str = "MIIEpAIBAAKCAQEAw2RAJmXBofExMRRnGmgyLHmt9jlWu2ZyQYFc9mFFm93cRTJl\n\
EAtMHKXVKzunp0bNKOp1MFw+BB0WM/4ygksOvVx2wraUSUeS4mq3vmgyO/R9rhWL\n\
v/bjFhaeDXbVvBlh/wfqRKi+G+6vonLnbQIyt9V6u6q8n0nALSOLRsYc4Tpn9Kfa\n\
lE37PVAMbL5cXoUFi0WwpwJg8BheWMFAOHjstl8+eNWsxAtyeZcJqdBhcX2bpD3i\n";

pub fn pem() -> String {
    format!("-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}-----END RSA PRIVATE KEY-----\n")
}

pub struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    pub fn new() -> Tree {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("keylint.toml"), "").expect("write config");
        std::fs::create_dir(dir.path().join("repo")).expect("mkdir repo");
        Tree { dir }
    }

    /// The directory the CLI runs in.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    /// The temp dir above `root()`, for files that must stay outside the scanned tree.
    pub fn outside(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, rel: &str, contents: &str) -> &Self {
        self.bytes(rel, contents.as_bytes())
    }

    pub fn bytes(&self, rel: &str, contents: &[u8]) -> &Self {
        let p = self.root().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, contents).expect("write");
        self
    }

    /// `keylint` run in `root()`, colour off.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_keylint"));
        c.current_dir(self.root())
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE");
        c
    }

    /// Runs `keylint ARGS` in the tree.
    pub fn run(&self, args: &[&str]) -> Out {
        run(self.cmd().args(args))
    }
}

/// A finished run.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// The JSON document on stdout.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// (rule_id, path, line) of every finding in a `--format json` run, in output order.
    pub fn hits(&self) -> Vec<(String, String, u64)> {
        self.json()["findings"]
            .as_array()
            .expect("findings array")
            .iter()
            .map(|f| {
                (
                    f["rule_id"].as_str().expect("rule_id").to_string(),
                    f["path"].as_str().expect("path").to_string(),
                    f["line"].as_u64().expect("line"),
                )
            })
            .collect()
    }
}

pub fn run(cmd: &mut Command) -> Out {
    let o = cmd.output().expect("run keylint");
    Out {
        code: o.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// `(rule, path, line)` as owned strings, for comparing with [`Out::hits`].
pub fn hit(rule: &str, path: &str, line: u64) -> (String, String, u64) {
    (rule.to_string(), path.to_string(), line)
}
