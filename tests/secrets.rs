//! Multi-part credentials through the CLI: each part is its own finding on its own line, and
//! points at the nearest other part (SARIF `relatedLocations`).

use std::collections::BTreeSet;
use std::process::Command;

/// Fakes in the formats of AWS and Twilio, made for this test.
const CREDS: &str = "\
aws_access_key_id = AKIAGBFQLJZZKPVILYUU
aws_secret_access_key = semJrJ1qHSwmb5vaDamnWimQVAp2iePIAU+5uN9K

TWILIO_ACCOUNT_SID=AC8d49d9804729ff4618bddee96ccaba49
TWILIO_AUTH_TOKEN=5812b7b53e1206e59af5732d5ec28a20

aws_access_key_id = AKIAQ2XRW7M3TNVKDHZC
aws_secret_access_key = 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
";

fn sarif_results(dir: &std::path::Path) -> Vec<serde_json::Value> {
    let empty =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/empty-config.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .current_dir(dir)
        .args(["check", "--format", "sarif", "--config"])
        .arg(&empty)
        .arg(".")
        .output()
        .expect("run keylint");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif json");
    doc["runs"][0]["results"]
        .as_array()
        .expect("results")
        .clone()
}

fn line(loc: &serde_json::Value) -> u64 {
    loc["physicalLocation"]["region"]["startLine"]
        .as_u64()
        .expect("startLine")
}

#[test]
fn parts_are_reported_separately_and_linked_to_the_nearest_other_part() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("credentials.ini"), CREDS).expect("write");
    let results = sarif_results(dir.path());
    let got: BTreeSet<(u64, String, Vec<u64>)> = results
        .iter()
        .map(|r| {
            let related = r["relatedLocations"]
                .as_array()
                .map(|a| a.iter().map(line).collect())
                .unwrap_or_default();
            (
                line(&r["locations"][0]),
                r["ruleId"].as_str().expect("ruleId").to_string(),
                related,
            )
        })
        .collect();
    let want: BTreeSet<(u64, String, Vec<u64>)> = [
        (1, "aws-access-key-id", vec![2]),
        (2, "aws-secret-access-key", vec![1]),
        (4, "twilio-account-sid", vec![5]),
        (5, "twilio-auth-token", vec![4]),
        (7, "aws-access-key-id", vec![8]),
        (8, "aws-secret-access-key", vec![7]),
    ]
    .into_iter()
    .map(|(l, id, rel)| (l, id.to_string(), rel))
    .collect();
    assert_eq!(got, want);
}
