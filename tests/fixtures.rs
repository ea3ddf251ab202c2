//! Exact-result tests over `fixtures/`: every file's findings must equal the set of
//! (line, rule id) its markers declare, and `fixtures/clean/**` must be silent.
//!
//! A marker is a comment holding `keylint-expect: <rule-id>[, <rule-id>…]`; it applies to the
//! next line that is not itself a marker. Files without comments (JSON …) use a sidecar
//! `<file>.expect` with one `<line> <rule-id>` per line. Each top-level directory of `fixtures/`
//! is scanned as one run, with an empty config so the repository's own keylint.toml is not used.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

type Hits = BTreeMap<String, BTreeSet<(usize, String)>>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn expected_in(path: &Path, rel: &str, out: &mut Hits) {
    let sidecar = PathBuf::from(format!("{}.expect", path.display()));
    let set = out.entry(rel.to_string()).or_default();
    if sidecar.is_file() {
        let text = std::fs::read_to_string(&sidecar).expect("read sidecar");
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let (n, id) = line
                .trim()
                .split_once(' ')
                .expect("sidecar line: <line> <rule-id>");
            set.insert((n.parse().expect("line number"), id.trim().to_string()));
        }
        return;
    }
    let Ok(bytes) = std::fs::read(path) else {
        return;
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut pending: Vec<String> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(pos) = line.find("keylint-expect:") {
            let list = &line[pos + "keylint-expect:".len()..];
            let list = list
                .split("-->")
                .next()
                .unwrap_or("")
                .split("*/")
                .next()
                .unwrap_or("");
            pending.extend(
                list.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            );
            continue;
        }
        for id in pending.drain(..) {
            set.insert((i + 1, id));
        }
    }
    assert!(
        pending.is_empty(),
        "{rel}: a keylint-expect marker at the end of the file points at no line"
    );
}

fn walk(dir: &Path, base: &Path, out: &mut Vec<(PathBuf, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read fixtures dir")
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        let name = e.file_name();
        if name == ".git" {
            continue;
        }
        let ft = e.file_type().expect("file type");
        if ft.is_dir() {
            walk(&p, base, out);
        } else if ft.is_file() && !name.to_string_lossy().ends_with(".expect") {
            let rel = p
                .strip_prefix(base)
                .expect("under base")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((p, rel));
        }
    }
}

fn actual(dir: &Path) -> Hits {
    let empty = root().join("tests/data/empty-config.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .current_dir(dir)
        .args(["check", "--format", "json", "--config"])
        .arg(&empty)
        .arg(".")
        .output()
        .expect("run keylint");
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "keylint exited {code} on {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    let mut hits = Hits::new();
    for f in doc["findings"].as_array().expect("findings") {
        let path = f["path"].as_str().expect("path").to_string();
        let line = f["line"].as_u64().expect("line") as usize;
        hits.entry(path)
            .or_default()
            .insert((line, f["rule_id"].as_str().expect("rule").to_string()));
    }
    hits
}

#[test]
fn fixtures_match_their_markers_exactly() {
    let fixtures = root().join("fixtures");
    let mut groups: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("fixtures/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    groups.sort();
    let mut failures = Vec::new();
    for group in groups {
        let mut files = Vec::new();
        walk(&group, &group, &mut files);
        let mut expected = Hits::new();
        for (p, rel) in &files {
            expected_in(p, rel, &mut expected);
        }
        let got = actual(&group);
        let gname = group
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut paths: BTreeSet<&String> = expected.keys().collect();
        paths.extend(got.keys());
        for p in paths {
            let e = expected.get(p).cloned().unwrap_or_default();
            let g = got.get(p).cloned().unwrap_or_default();
            if gname == "clean" && !g.is_empty() {
                failures.push(format!("fixtures/clean/{p} must be silent, got {g:?}"));
            } else if e != g {
                let missing: Vec<_> = e.difference(&g).collect();
                let extra: Vec<_> = g.difference(&e).collect();
                failures.push(format!(
                    "fixtures/{gname}/{p}: missing {missing:?}, unexpected {extra:?}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("\n")
    );
}
