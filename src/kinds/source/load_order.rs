//! Python modules that read an environment variable before they load `.env`.
//!
//! `load_dotenv()` only changes `os.environ` from the moment it runs. A read that runs
//! when the module is imported (module level, a class body, a default argument, a
//! decorator argument) and comes before the first import-time `load_dotenv(...)` call
//! sees the variable as unset, however correct the `.env` file is. A read inside a
//! function body is not judged: it runs whenever the function is called, usually later.
//! When a module calls `load_dotenv()` only inside functions (a `main()`, say), every
//! import-time read in it is too early.
//!
//! Import time is judged by indentation on the token stream of the lexer in
//! `env_reads` (strings and comments already out of the way): a `def` header opens a
//! body that lasts while lines are indented deeper than the header; `lambda` bodies are
//! deferred too. Linear in the size of the file.

use std::ops::Range;

use super::env_reads::{env_reads, lex, Kind, Lang, Token};

/// A read that runs before `.env` is loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateRead {
    pub name: String,
    /// The variable name at the read.
    pub span: Range<usize>,
    /// The load call the read precedes: the first import-time one, else the first one
    /// inside a function (the name `load_dotenv` at the call).
    pub load: Range<usize>,
    /// The load call only runs inside a function.
    pub load_in_function: bool,
}

/// Functions that copy a `.env` file into `os.environ`: python-dotenv's `load_dotenv`,
/// django-dotenv's `read_dotenv`, django-environ's `Env.read_env`.
const LOADERS: &[&str] = &["load_dotenv", "read_dotenv", "read_env"];

/// The reads in a Python module that run at import time before the first import-time
/// `.env` load. Empty when the module never loads `.env` itself.
pub fn late_reads(text: &str) -> Vec<LateRead> {
    if !LOADERS.iter().any(|l| text.contains(l)) {
        return Vec::new();
    }
    let toks = lex(Lang::Python, text);
    let deferred = deferred_tokens(&toks, text);
    let mut first_now = None;
    let mut first_later = None;
    for (k, &later) in deferred.iter().enumerate() {
        if is_load_call(&toks, text, k) {
            if later {
                first_later.get_or_insert(k);
            } else {
                first_now = Some(k);
                break;
            }
        }
    }
    let (load, load_in_function) = match (first_now, first_later) {
        (Some(k), _) => (k, false),
        (None, Some(k)) => (k, true),
        (None, None) => return Vec::new(),
    };
    let load_start = toks[load].span.start;
    env_reads(Lang::Python, text)
        .into_iter()
        .filter(|r| {
            let k = token_at(&toks, r.span.start);
            !deferred[k] && (load_in_function || r.span.start < load_start)
        })
        .map(|r| LateRead {
            name: r.name,
            span: r.span,
            load: toks[load].span.clone(),
            load_in_function,
        })
        .collect()
}

fn ident_is(t: Option<&Token>, text: &str, names: &[&str]) -> bool {
    t.is_some_and(|t| t.kind == Kind::Ident && names.contains(&&text[t.span.clone()]))
}

fn punct_is(t: Option<&Token>, text: &str, c: u8) -> bool {
    t.is_some_and(|t| t.kind == Kind::Punct && text.as_bytes()[t.span.start] == c)
}

/// `load_dotenv(`, `dotenv.load_dotenv(`, but not `def load_dotenv(`.
fn is_load_call(toks: &[Token], text: &str, k: usize) -> bool {
    ident_is(toks.get(k), text, LOADERS)
        && punct_is(toks.get(k + 1), text, b'(')
        && !ident_is(k.checked_sub(1).and_then(|p| toks.get(p)), text, &["def"])
}

/// The index of the token that holds offset `at` (the last one starting at or before it).
fn token_at(toks: &[Token], at: usize) -> usize {
    toks.partition_point(|t| t.span.start <= at)
        .saturating_sub(1)
}

/// For each token: does it run only when a function is called (a `def` body or a `lambda`
/// body) rather than when the module is imported?
fn deferred_tokens(toks: &[Token], text: &str) -> Vec<bool> {
    let b = text.as_bytes();
    let mut out = vec![false; toks.len()];
    // open blocks: (indentation of the header line, is a def)
    let mut blocks: Vec<(usize, bool)> = Vec::new();
    let mut depth = 0usize;
    // per logical line
    let mut indent = 0usize;
    let mut header: Option<bool> = None; // Some(is_def) while in a compound statement's header
    let mut body_on_line: Option<bool> = None; // after the header's `:` on the same line
                                               // open lambdas: the bracket depth each one was written at, and whether its `:` was seen
    let mut lambdas: Vec<(usize, bool)> = Vec::new();
    for k in 0..toks.len() {
        let t = &toks[k];
        let c = if t.kind == Kind::Punct {
            b[t.span.start]
        } else {
            0
        };
        let new_line = k == 0
            || depth == 0
                && !punct_is(toks.get(k - 1), text, b'\\')
                && b[toks[k - 1].span.end..t.span.start].contains(&b'\n');
        if new_line {
            let line_start = b[..t.span.start]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |p| p + 1);
            indent = t.span.start - line_start;
            while blocks.last().is_some_and(|&(h, _)| h >= indent) {
                blocks.pop();
            }
            lambdas.clear();
            body_on_line = None;
            header = if ident_is(Some(t), text, &["def"])
                || ident_is(Some(t), text, &["async"]) && ident_is(toks.get(k + 1), text, &["def"])
            {
                Some(true)
            } else if ident_is(
                Some(t),
                text,
                &[
                    "class", "if", "elif", "else", "for", "while", "try", "except", "finally",
                    "with", "async", "match", "case",
                ],
            ) {
                Some(false)
            } else {
                None
            };
        }
        // a lambda's body ends at a `,` or a closing bracket at its own depth
        if c == b',' {
            while lambdas
                .last()
                .is_some_and(|&(ld, seen)| ld > depth || ld == depth && seen)
            {
                lambdas.pop();
            }
        } else if c == b')' || c == b']' || c == b'}' {
            let d = depth.saturating_sub(1);
            while lambdas.last().is_some_and(|&(ld, _)| ld > d) {
                lambdas.pop();
            }
        }
        let in_def = blocks.iter().any(|&(_, d)| d) || body_on_line == Some(true);
        let in_lambda = lambdas.iter().any(|&(_, seen)| seen);
        out[k] = in_def || in_lambda;
        match c {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b':' => {
                if let Some(l) = lambdas.iter_mut().rev().find(|l| l.0 == depth && !l.1) {
                    l.1 = true;
                } else if depth == 0 && body_on_line.is_none() {
                    if let Some(is_def) = header {
                        blocks.push((indent, is_def));
                        body_on_line = Some(is_def);
                        header = None;
                    }
                }
            }
            _ => {}
        }
        if ident_is(Some(t), text, &["lambda"]) {
            lambdas.push((depth, false));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn late(text: &str) -> Vec<&str> {
        late_reads(text)
            .iter()
            .map(|r| &text[r.span.clone()])
            .collect()
    }

    #[test]
    fn module_level_read_before_load() {
        let t = "import os\n\nDB_URL = os.environ[\"DATABASE_URL\"]\n\nfrom dotenv import load_dotenv  # noqa: E402\nload_dotenv()\nAFTER = os.getenv(\"AFTER\")\n";
        let r = late_reads(t);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name, "DATABASE_URL");
        assert_eq!(&t[r[0].load.clone()], "load_dotenv");
        assert!(!r[0].load_in_function);
    }

    #[test]
    fn load_only_inside_main() {
        let t = "import os\nimport openai\nfrom dotenv import load_dotenv\n\nopenai.api_key = os.environ.get(\"OPENAI_API_KEY\")\n\n\ndef main():\n    load_dotenv()\n    print(os.getenv(\"IN_MAIN\"))\n\n\nif __name__ == \"__main__\":\n    main()\n";
        let r = late_reads(t);
        assert_eq!(
            r.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["OPENAI_API_KEY"]
        );
        assert!(r[0].load_in_function);
    }

    #[test]
    fn function_defined_before_the_load_is_not_late() {
        let t = "import os\nfrom dotenv import load_dotenv\n\n\ndef api_key():\n    return os.environ[\"OPENAI_API_KEY\"]\n\n\nload_dotenv()\nprint(api_key()[:3])\n";
        assert!(late(t).is_empty());
    }

    #[test]
    fn find_dotenv_then_load() {
        let t = "import os\n\nfrom dotenv import find_dotenv, load_dotenv\n\nload_dotenv(find_dotenv())\n\nkey = os.getenv(\"OPENAI_API_KEY\")\n";
        assert!(late(t).is_empty());
        let t = "import os, dotenv\nK = os.getenv(\"EARLY\")\ndotenv.load_dotenv(dotenv.find_dotenv())\n";
        assert_eq!(late(t), ["EARLY"]);
    }

    #[test]
    fn no_load_no_findings() {
        assert!(late("import os\nK = os.getenv(\"X\")\n").is_empty());
        // a definition or an import of load_dotenv is not a call
        assert!(late("import os\nK = os.getenv(\"X\")\nfrom dotenv import load_dotenv\ndef load_dotenv(x): pass\n").is_empty());
    }

    #[test]
    fn class_bodies_and_default_arguments_run_at_import() {
        let t = "import os\nfrom dotenv import load_dotenv\n\nclass Settings:\n    key = os.getenv(\"IN_CLASS\")\n\n    def method(self, x=os.getenv(\"DEFAULT_ARG\")):\n        return os.getenv(\"IN_METHOD\")\n\n@decorate(os.getenv(\"DECORATOR\"))\ndef f(a,\n      b=os.environ.get(\"MULTILINE_DEFAULT\")) -> str:\n    return os.getenv(\"BODY\")\n\nload_dotenv()\n";
        assert_eq!(
            late(t),
            ["IN_CLASS", "DEFAULT_ARG", "DECORATOR", "MULTILINE_DEFAULT"]
        );
    }

    #[test]
    fn one_line_bodies_and_lambdas() {
        let t = "import os\nfrom dotenv import load_dotenv\ndef f(): return os.getenv(\"ONE_LINE_DEF\")\nif True: X = os.getenv(\"ONE_LINE_IF\")\nget = lambda: os.getenv(\"LAMBDA\")\npair = (lambda k=os.getenv(\"LAMBDA_DEFAULT\"): k, os.getenv(\"AFTER_LAMBDA\"))\nload_dotenv()\n";
        assert_eq!(late(t), ["ONE_LINE_IF", "LAMBDA_DEFAULT", "AFTER_LAMBDA"]);
    }

    #[test]
    fn nested_blocks_and_dedent() {
        let t = "import os\nfrom dotenv import load_dotenv\nif os.getenv(\"A\"):\n    def g():\n        if True:\n            os.getenv(\"DEEP\")\n    B = os.getenv(\"B\")\ntry:\n    load_dotenv()\nexcept ImportError:\n    pass\nC = os.getenv(\"C\")\n";
        assert_eq!(late(t), ["A", "B"]);
    }

    #[test]
    fn async_def_and_continuations() {
        let t = "import os\nfrom dotenv import load_dotenv\nasync def f():\n    return os.getenv(\"ASYNC\")\nX = \\\n    os.getenv(\"CONT\")\nD = {\n    'k': os.getenv(\"IN_DICT\"),\n}\ns = \"\"\"\ndef fake():\n\"\"\"\nE = os.getenv(\"AFTER_STRING\")\nload_dotenv()\n";
        assert_eq!(late(t), ["CONT", "IN_DICT", "AFTER_STRING"]);
    }

    #[test]
    fn never_panics_on_random_bytes() {
        let alphabet: &[u8] =
            b"def lambda load_dotenv() os.getenv(\"X\") :\n    \t\\#'\"[]{},\xc3\xa9\xff";
        let mut seed = 0xD1B54A32D192ED03u64;
        for len in (0..800).step_by(5) {
            let mut bytes = Vec::with_capacity(len);
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let pick = (seed % (alphabet.len() as u64 + 4)) as usize;
                bytes.push(if pick < alphabet.len() {
                    alphabet[pick]
                } else {
                    (seed >> 40) as u8
                });
            }
            let text = String::from_utf8_lossy(&bytes);
            for r in late_reads(&text) {
                let _ = (&text[r.span], &text[r.load]);
            }
        }
    }

    #[test]
    fn linear_on_large_input() {
        let t = "def f():\n    os.getenv(\"A\")\n".repeat(50_000) + "load_dotenv()\n";
        assert!(late_reads(&t).is_empty());
    }
}
