//! Environment variable names that compose files, Kubernetes manifests, CI workflows and
//! Dockerfiles define, with the span of each name and of its value.
//!
//! The repository-wide pass only needs names and values, so this is a line-level reading:
//! an `environment:` or `env:` key opens a block, and each child line at the block's first
//! indentation is one variable, written `KEY: value` (a map), `- KEY=value` (a compose
//! list) or `- name: KEY` with a `value:` below it (Kubernetes). Flow-style blocks
//! (`env: {A: 1}`) and anchors are not read. Dockerfiles: `ENV` and `ARG`.

use std::ops::Range;

/// One definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvDef {
    pub name: String,
    pub name_span: Range<usize>,
    /// The literal value as written, without quotes, when there is one on the line.
    pub value: Option<Range<usize>>,
}

struct Line {
    start: usize,
    end: usize,
    indent: usize,
}

fn lines(text: &str) -> impl Iterator<Item = Line> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && b[i] != b'\n' {
            i += 1;
        }
        let mut end = i;
        if end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        i += 1;
        let indent = b[start..end].iter().take_while(|&&c| c == b' ').count();
        Some(Line { start, end, indent })
    })
}

/// `text[r]` without surrounding spaces and one pair of matching quotes.
fn unquote(text: &str, mut r: Range<usize>) -> Range<usize> {
    let b = text.as_bytes();
    while r.start < r.end && b[r.start].is_ascii_whitespace() {
        r.start += 1;
    }
    while r.end > r.start && b[r.end - 1].is_ascii_whitespace() {
        r.end -= 1;
    }
    if r.end - r.start >= 2 && matches!(b[r.start], b'"' | b'\'') && b[r.end - 1] == b[r.start] {
        r.start += 1;
        r.end -= 1;
    }
    r
}

/// Cut a YAML value at a ` #` comment (outside quotes).
fn strip_comment(text: &str, r: Range<usize>) -> Range<usize> {
    let b = text.as_bytes();
    let mut q = 0u8;
    for i in r.clone() {
        match b[i] {
            c @ (b'"' | b'\'') if q == 0 && (i == r.start || b[i - 1] == b' ') => q = c,
            c if c == q => q = 0,
            b'#' if q == 0 && (i == r.start || b[i - 1] == b' ' || b[i - 1] == b'\t') => {
                return r.start..i
            }
            _ => {}
        }
    }
    r
}

fn valid_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && !b[0].is_ascii_digit()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-')
}

/// Definitions in a compose file, Kubernetes manifest or CI workflow.
pub fn yaml_env_defs(text: &str) -> Vec<EnvDef> {
    let mut out = Vec::new();
    // (indentation of the `env:` key, indentation of its entries once seen)
    let mut block: Option<(usize, Option<usize>)> = None;
    // a Kubernetes `- name: X` waiting for its `value:` (index into out, item indentation)
    let mut k8s_item: Option<(usize, usize)> = None;
    for line in lines(text) {
        let content = &text[line.start + line.indent..line.end];
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if let Some((key_indent, mut child)) = block {
            // entries of a list may sit at the key's own indentation
            let same_level_item = line.indent == key_indent
                && content.starts_with("- ")
                && child.is_none_or(|c| c == key_indent);
            if line.indent < key_indent || line.indent == key_indent && !same_level_item {
                block = None;
                k8s_item = None;
            } else {
                let child_indent = *child.get_or_insert(line.indent);
                block = Some((key_indent, Some(child_indent)));
                if line.indent == child_indent {
                    k8s_item = None;
                    entry(
                        text,
                        line.start + line.indent,
                        line.end,
                        &mut out,
                        &mut k8s_item,
                    );
                } else if let Some((idx, item_indent)) = k8s_item {
                    // `value:` under `- name:` (indented past the dash)
                    if line.indent > item_indent {
                        if let Some(v) = content.strip_prefix("value:") {
                            let vs = line.end - v.len();
                            let r = unquote(text, strip_comment(text, vs..line.end));
                            if !r.is_empty() {
                                out[idx].value = Some(r);
                            }
                        }
                    }
                }
                continue;
            }
        }
        // a new block: `environment:` / `env:` (also as `- env:` in a list item)
        let (key_col, key) = match content.strip_prefix("- ") {
            Some(rest) => (
                line.indent + 2 + (rest.len() - rest.trim_start().len()),
                rest.trim_start(),
            ),
            None => (line.indent, content),
        };
        let key_t = text[strip_comment(text, line.end - key.len()..line.end)].trim_end();
        if key_t == "environment:" || key_t == "env:" {
            block = Some((key_col, None));
            k8s_item = None;
        }
    }
    out
}

/// One entry line of an env block, starting at `s` (after indentation).
fn entry(
    text: &str,
    s: usize,
    e: usize,
    out: &mut Vec<EnvDef>,
    k8s_item: &mut Option<(usize, usize)>,
) {
    let b = text.as_bytes();
    let line_indent = s - text[..s].rfind('\n').map_or(0, |p| p + 1);
    if b[s..e].starts_with(b"- ") {
        let mut p = s + 2;
        while p < e && b[p] == b' ' {
            p += 1;
        }
        let item = unquote(text, strip_comment(text, p..e));
        let it = &text[item.clone()];
        if let Some(rest) = it.strip_prefix("name:") {
            // Kubernetes: - name: KEY
            let r = unquote(text, item.end - rest.len()..item.end);
            let name = &text[r.clone()];
            if valid_name(name) {
                out.push(EnvDef {
                    name: name.to_string(),
                    name_span: r,
                    value: None,
                });
                *k8s_item = Some((out.len() - 1, line_indent));
            }
            return;
        }
        // compose list: - KEY=value or - KEY
        let (name_end, value) = match it.find('=') {
            Some(eq) => (item.start + eq, Some(item.start + eq + 1..item.end)),
            None => (item.end, None),
        };
        let name = &text[item.start..name_end];
        if valid_name(name) {
            out.push(EnvDef {
                name: name.to_string(),
                name_span: item.start..name_end,
                value: value.filter(|v| !v.is_empty()),
            });
        }
        return;
    }
    // map: KEY: value
    let r = strip_comment(text, s..e);
    let Some(colon) = text[r.clone()].find(':') else {
        return;
    };
    let key = unquote(text, s..s + colon);
    let name = &text[key.clone()];
    if valid_name(name) {
        let v = unquote(text, s + colon + 1..r.end);
        out.push(EnvDef {
            name: name.to_string(),
            name_span: key,
            value: (!v.is_empty()).then_some(v),
        });
    }
}

/// `ENV` and `ARG` definitions in a Dockerfile (`ENV A=1 B="2"`, legacy `ENV A 1`, `ARG A`,
/// `ARG A=1`), with `\` line continuations.
pub fn dockerfile_env_defs(text: &str) -> Vec<EnvDef> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // one logical instruction: lines joined while they end in `\`
        let s = i;
        let mut e;
        loop {
            e = i;
            while e < b.len() && b[e] != b'\n' {
                e += 1;
            }
            let mut t = e;
            while t > i && (b[t - 1] == b' ' || b[t - 1] == b'\t' || b[t - 1] == b'\r') {
                t -= 1;
            }
            i = (e + 1).min(b.len());
            if !(t > s && b[t - 1] == b'\\') || i >= b.len() {
                break;
            }
        }
        let mut p = s;
        while p < e && (b[p] == b' ' || b[p] == b'\t') {
            p += 1;
        }
        let kw_end = (p..e).find(|&k| b[k].is_ascii_whitespace()).unwrap_or(e);
        let kw = &text[p..kw_end];
        let is_env = kw.eq_ignore_ascii_case("ENV");
        if !is_env && !kw.eq_ignore_ascii_case("ARG") {
            continue;
        }
        let words = words(text, kw_end, e);
        let Some(first) = words.first() else { continue };
        if is_env && !text[first.clone()].contains('=') {
            // legacy `ENV KEY value with spaces`
            let name = &text[first.clone()];
            if valid_name(name) {
                let value = words
                    .get(1)
                    .map(|w| w.start..words.last().map_or(w.end, |l| l.end));
                out.push(EnvDef {
                    name: name.to_string(),
                    name_span: first.clone(),
                    value: value.map(|v| unquote(text, v)),
                });
            }
            continue;
        }
        for w in words {
            let word = &text[w.clone()];
            let (name_end, value) = match word.find('=') {
                Some(eq) => (w.start + eq, Some(unquote(text, w.start + eq + 1..w.end))),
                None => (w.end, None),
            };
            let name = &text[w.start..name_end];
            if valid_name(name) {
                out.push(EnvDef {
                    name: name.to_string(),
                    name_span: w.start..name_end,
                    value: value.filter(|v| !v.is_empty()),
                });
            }
        }
    }
    out
}

/// Whitespace-separated words of `text[s..e]`, keeping quoted parts together and skipping
/// `\` continuations.
fn words(text: &str, s: usize, e: usize) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = s;
    while i < e {
        while i < e
            && (b[i].is_ascii_whitespace()
                || b[i] == b'\\' && (i + 1 >= e || b[i + 1].is_ascii_whitespace()))
        {
            i += 1;
        }
        if i >= e {
            break;
        }
        let ws = i;
        let mut q = 0u8;
        while i < e {
            let c = b[i];
            if q != 0 {
                if c == b'\\' && q == b'"' {
                    i += 1;
                } else if c == q {
                    q = 0;
                }
            } else if c == b'"' || c == b'\'' {
                q = c;
            } else if c.is_ascii_whitespace() {
                break;
            } else if c == b'\\' {
                i += 1;
            }
            i += 1;
        }
        out.push(ws..i.min(e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs(text: &str, f: fn(&str) -> Vec<EnvDef>) -> Vec<(String, Option<String>)> {
        f(text)
            .into_iter()
            .map(|d| {
                assert_eq!(&text[d.name_span.clone()], d.name);
                (d.name, d.value.map(|v| text[v].to_string()))
            })
            .collect()
    }

    fn s(n: &str, v: Option<&str>) -> (String, Option<String>) {
        (n.to_string(), v.map(str::to_string))
    }

    #[test]
    fn compose_map_and_list() {
        let t = "services:\n  web:\n    image: x\n    environment:\n      POSTGRES_DB: app\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n      \"QUOTED\": 'v' # c\n      EMPTY:\n    ports:\n      - \"80:80\"\n  worker:\n    environment:\n      - API_KEY=YOUR_API_KEY\n      - BARE\n      - \"Q=1\"\n    command: x\n";
        assert_eq!(
            defs(t, yaml_env_defs),
            vec![
                s("POSTGRES_DB", Some("app")),
                s("POSTGRES_PASSWORD", Some("${POSTGRES_PASSWORD}")),
                s("QUOTED", Some("v")),
                s("EMPTY", None),
                s("API_KEY", Some("YOUR_API_KEY")),
                s("BARE", None),
                s("Q", Some("1")),
            ]
        );
    }

    #[test]
    fn kubernetes_env() {
        let t = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      env:\n        - name: OPENAI_API_KEY\n          value: \"changeme\"\n        - name: FROM_SECRET\n          valueFrom:\n            secretKeyRef:\n              name: s\n              key: k\n      - name: sidecar\n";
        assert_eq!(
            defs(t, yaml_env_defs),
            vec![
                s("OPENAI_API_KEY", Some("changeme")),
                s("FROM_SECRET", None)
            ]
        );
        // entries at the same indentation as `env:`
        let t =
            "      env:\n      - name: A\n        value: one\n      - name: B\n      image: x\n";
        assert_eq!(
            defs(t, yaml_env_defs),
            vec![s("A", Some("one")), s("B", None)]
        );
    }

    #[test]
    fn workflow_env() {
        let t = "env:\n  GLOBAL: 1\njobs:\n  build:\n    env:\n      TOKEN: ${{ secrets.TOKEN }}\n    steps:\n      - run: echo\n        env:\n          STEP_VAR: x\n";
        assert_eq!(
            defs(t, yaml_env_defs),
            vec![
                s("GLOBAL", Some("1")),
                s("TOKEN", Some("${{ secrets.TOKEN }}")),
                s("STEP_VAR", Some("x"))
            ]
        );
    }

    #[test]
    fn dockerfile() {
        let t = "FROM python\nARG VERSION\nARG TOKEN=abc\nENV A=1 B=\"two words\" \\\n    C=3\nENV LEGACY some value\nRUN echo ENV X=1\nenv lower=1\n";
        assert_eq!(
            defs(t, dockerfile_env_defs),
            vec![
                s("VERSION", None),
                s("TOKEN", Some("abc")),
                s("A", Some("1")),
                s("B", Some("two words")),
                s("C", Some("3")),
                s("LEGACY", Some("some value")),
                s("lower", Some("1")),
            ]
        );
    }

    #[test]
    fn never_panics_on_random_bytes() {
        let alphabet: &[u8] = b"env:environment:- name: value:=\"' #\\\n  \tENV ARG\xc3\xa9";
        let mut seed = 0xABCDEF12345u64;
        for len in (0..500).step_by(3) {
            let mut bytes = Vec::with_capacity(len);
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let pick = (seed % (alphabet.len() as u64 + 2)) as usize;
                bytes.push(if pick < alphabet.len() {
                    alphabet[pick]
                } else {
                    (seed >> 40) as u8
                });
            }
            let text = String::from_utf8_lossy(&bytes);
            for d in yaml_env_defs(&text)
                .into_iter()
                .chain(dockerfile_env_defs(&text))
            {
                let _ = &text[d.name_span];
                if let Some(v) = d.value {
                    let _ = &text[v];
                }
            }
        }
    }
}
