//! Environment variable names that source code reads, with the byte span of each name.
//!
//! A lexer-level reading is enough: every language here is cut into identifiers, string
//! literals and punctuation (comments dropped, interpolations inside strings lexed as code),
//! and the reads are short token patterns such as `os` `.` `getenv` `(` STRING. No grammar
//! crate, one pass per file, no regex. A name only counts when it is a plain string literal
//! (or an identifier, for `process.env.X`) that looks like a variable name, so names inside
//! comments, other strings or computed keys (`os.environ[f"{p}_KEY"]`) are never reads.
//! Writes (`os.environ["X"] = ...`, `ENV["X"] = ...`) are not reads either.
//!
//! Spans are byte ranges into the text, always on character boundaries (every delimiter is
//! ASCII and every non-ASCII byte is an identifier byte), so invalid UTF-8 read lossily is
//! safe.

use std::collections::HashSet;
use std::ops::Range;

pub use crate::file_kind::Lang;

/// One read of an environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvRead {
    pub name: String,
    /// The name itself (inside the quotes of a string literal).
    pub span: Range<usize>,
    /// A literal fallback written at the read (`os.getenv("X", "d")`, `process.env.X ||
    /// "d"`, `${X:-d}`): its text and span (inside the quotes).
    pub default: Option<(String, Range<usize>)>,
}

/// The environment reads in `text`, in source order.
pub fn env_reads(lang: Lang, text: &str) -> Vec<EnvRead> {
    // Most files read no environment at all: a substring test spares them the lexer.
    let triggers: &[&str] = match lang {
        Lang::Python => &["environ", "getenv"],
        Lang::JavaScript | Lang::TypeScript => &["env"],
        Lang::Go => &["Getenv", "LookupEnv"],
        Lang::Rust => &["env"],
        Lang::Java | Lang::Kotlin => &["getenv"],
        Lang::Ruby => &["ENV"],
        Lang::Php => &["env", "_ENV", "_SERVER"],
        Lang::CSharp => &["GetEnvironmentVariable"],
        Lang::Shell => &["$"],
        Lang::C => &["getenv"],
        Lang::Swift => &["environment"],
        Lang::Scala => &["env", "getenv"],
    };
    if !triggers.iter().any(|t| text.contains(t)) {
        return Vec::new();
    }
    if lang == Lang::Shell {
        return shell_reads(text);
    }
    let toks = lex(lang, text);
    let open_of = if matches!(lang, Lang::JavaScript | Lang::TypeScript) {
        brace_pairs(&toks, text)
    } else {
        Vec::new()
    };
    let mut cx = Matcher {
        t: &toks,
        text,
        open_of,
        out: Vec::new(),
    };
    for j in 0..toks.len() {
        match lang {
            Lang::Python => cx.python(j),
            Lang::JavaScript | Lang::TypeScript => cx.javascript(j),
            Lang::Go => cx.go(j),
            Lang::Rust => cx.rust(j),
            Lang::Java | Lang::Kotlin => cx.java(j),
            Lang::Ruby => cx.ruby(j),
            Lang::Php => cx.php(j),
            Lang::CSharp => cx.csharp(j),
            Lang::C => cx.c(j),
            Lang::Swift => cx.swift(j),
            Lang::Scala => {
                cx.java(j);
                cx.scala(j);
            }
            Lang::Shell => {}
        }
    }
    cx.out
}

/// A name an environment variable can have in code that reads it: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_env_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 256
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
}

// ------------------------------------------------------------------------------- lexer

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Ident,
    Str,
    Punct,
    Num,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    /// The whole token (for a string: prefix and quotes included; for a string with
    /// interpolations: only its opening).
    pub(crate) span: Range<usize>,
    /// A string's contents between the quotes.
    pub(crate) inner: Range<usize>,
    /// A string with no escapes and no interpolation: its contents are its value.
    pub(crate) plain: bool,
    /// A string with interpolations (`f"{x}"`, `` `${x}` ``): its value is not known.
    pub(crate) interp: bool,
}

impl Token {
    fn punct(&self, c: u8, text: &str) -> bool {
        self.kind == Kind::Punct && text.as_bytes()[self.span.start] == c
    }
}

/// How a string literal is delimited and what happens inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StrSyntax {
    quote: u8,
    /// `"""` / `'''`.
    triple: bool,
    /// Backslash escapes the next byte.
    escapes: bool,
    /// `""` inside the string is a quote (C# verbatim strings).
    doubled_quote: bool,
    /// The string may span lines.
    multiline: bool,
    interp: Interp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Interp {
    None,
    /// `${...}` (JavaScript templates, Kotlin).
    DollarBrace,
    /// `#{...}` (Ruby).
    HashBrace,
    /// `{...}` with `{{` as a literal brace (Python f-strings, C# `$"..."`).
    Brace,
    /// PHP double quotes: `$name` and `{$...}` make the value unknown, but are not lexed.
    PhpVars,
}

enum StrEnd {
    /// Closed; the offset just past the closing quote(s).
    Closed(usize),
    /// An interpolation opens; the offset of the code inside it.
    Interp(usize),
    /// Ran off the end of the line or file.
    Open(usize),
}

/// Scan a string body from `i` (just past the opening quote). `escaped` is set when the
/// body holds an escape or a variable.
fn scan_str(b: &[u8], mut i: usize, s: StrSyntax, escaped: &mut bool) -> StrEnd {
    while i < b.len() {
        let c = b[i];
        if c == b'\\' && s.escapes {
            *escaped = true;
            i += 2;
            continue;
        }
        if c == s.quote {
            if s.triple {
                if b[i..].starts_with(&[c, c, c]) {
                    return StrEnd::Closed(i + 3);
                }
            } else if s.doubled_quote && i + 1 < b.len() && b[i + 1] == c {
                *escaped = true;
                i += 2;
                continue;
            } else {
                return StrEnd::Closed(i + 1);
            }
        }
        if c == b'\n' && !s.multiline && !s.triple {
            return StrEnd::Open(i);
        }
        match s.interp {
            Interp::DollarBrace if c == b'$' && i + 1 < b.len() && b[i + 1] == b'{' => {
                return StrEnd::Interp(i + 2);
            }
            Interp::DollarBrace if c == b'$' && i + 1 < b.len() && is_ident_start(b[i + 1]) => {
                // Kotlin "$name"
                *escaped = true;
            }
            Interp::HashBrace if c == b'#' && i + 1 < b.len() && b[i + 1] == b'{' => {
                return StrEnd::Interp(i + 2);
            }
            Interp::Brace if c == b'{' => {
                if i + 1 < b.len() && b[i + 1] == b'{' {
                    *escaped = true;
                    i += 2;
                    continue;
                }
                return StrEnd::Interp(i + 1);
            }
            Interp::Brace if c == b'}' => {
                *escaped = true;
            }
            Interp::PhpVars if c == b'$' => *escaped = true,
            _ => {}
        }
        i += 1;
    }
    StrEnd::Open(i.min(b.len()))
}

/// The offset after the character that starts at `i` (never inside a UTF-8 sequence).
fn after_char(b: &[u8], i: usize) -> usize {
    let Some(&c) = b.get(i) else { return b.len() };
    let n = match c {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    };
    let mut k = (i + n).min(b.len());
    while k < b.len() && (b[k] & 0xC0) == 0x80 {
        k += 1;
    }
    k
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// A string whose interpolation is open: where to resume once its `}` closes.
struct Frame {
    syntax: StrSyntax,
    depth: usize,
}

/// Cut `text` into tokens. Comments and whitespace are dropped.
pub(crate) fn lex(lang: Lang, text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut toks: Vec<Token> = Vec::with_capacity(b.len() / 4);
    let mut stack: Vec<Frame> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let hash_comment = matches!(lang, Lang::Python | Lang::Ruby | Lang::Php | Lang::Shell);
    let slash_comment = !matches!(lang, Lang::Python | Lang::Ruby | Lang::Shell);
    let line_start = |i: usize| i == 0 || b[i - 1] == b'\n';
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        // comments
        if hash_comment && c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if lang == Lang::Ruby && c == b'=' && line_start(i) && b[i..].starts_with(b"=begin") {
            match find(b, i, b"\n=end") {
                Some(e) => i = e + 5,
                None => i = b.len(),
            }
            continue;
        }
        if slash_comment && c == b'/' && i + 1 < b.len() {
            if b[i + 1] == b'/' {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            if b[i + 1] == b'*' {
                i = skip_block_comment(
                    b,
                    i,
                    matches!(lang, Lang::Rust | Lang::Swift | Lang::Scala),
                );
                continue;
            }
        }
        // strings, with the prefixes each language puts before the quote
        match string_start(lang, b, i) {
            Some(Start::Str(syntax, body)) => {
                i = push_string(b, i, body, syntax, &mut toks, &mut stack, depth);
                continue;
            }
            Some(Start::Raw(body, hashes)) => {
                i = push_raw_string(b, i, body, hashes, &mut toks);
                continue;
            }
            None => {}
        }
        if matches!(lang, Lang::JavaScript | Lang::TypeScript)
            && c == b'/'
            && regex_allowed(&toks, text)
        {
            i = skip_regex(b, i);
            continue;
        }
        if lang == Lang::Rust && c == b'\'' {
            // a lifetime (`'a`) or a char literal (`'a'`, `'\n'`)
            let mut k = i + 1;
            while k < b.len() && is_ident_byte(b[k]) {
                k += 1;
            }
            if k > i + 1 && (k >= b.len() || b[k] != b'\'') {
                i = k;
                continue;
            }
            i = skip_char_literal(b, i);
            continue;
        }
        if matches!(
            lang,
            Lang::Go | Lang::Java | Lang::Kotlin | Lang::CSharp | Lang::C | Lang::Scala
        ) && c == b'\''
        {
            i = skip_char_literal(b, i);
            continue;
        }
        let dollar_ident = matches!(lang, Lang::Php | Lang::JavaScript | Lang::TypeScript)
            && c == b'$'
            && i + 1 < b.len()
            && is_ident_start(b[i + 1]);
        let ruby_global = lang == Lang::Ruby && c == b'$';
        if is_ident_start(c) || dollar_ident || ruby_global {
            let s = i;
            i += 1;
            while i < b.len() && (is_ident_byte(b[i]) || (b[i] == b'$' && lang != Lang::Php)) {
                i += 1;
            }
            if lang == Lang::Ruby && i < b.len() && (b[i] == b'?' || b[i] == b'!') {
                // `key?`, but not the `!=` operator
                if !(i + 1 < b.len() && b[i + 1] == b'=') {
                    i += 1;
                }
            }
            toks.push(Token {
                kind: Kind::Ident,
                span: s..i,
                inner: s..i,
                plain: true,
                interp: false,
            });
            continue;
        }
        if c.is_ascii_digit() {
            let s = i;
            while i < b.len() && (is_ident_byte(b[i]) || b[i] == b'.') {
                i += 1;
            }
            toks.push(Token {
                kind: Kind::Num,
                span: s..i,
                inner: s..i,
                plain: true,
                interp: false,
            });
            continue;
        }
        if c == b'{' {
            depth += 1;
        } else if c == b'}' {
            if let Some(f) = stack.last() {
                if f.depth == depth {
                    // the interpolation closes: back into the string
                    let f = stack.pop().map(|f| f.syntax);
                    if let Some(syntax) = f {
                        i = resume_string(b, i + 1, syntax, &mut stack, depth);
                    }
                    continue;
                }
            }
            depth = depth.saturating_sub(1);
        }
        toks.push(Token {
            kind: Kind::Punct,
            span: i..i + 1,
            inner: i..i + 1,
            plain: true,
            interp: false,
        });
        i += 1;
    }
    toks
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || from >= b.len() {
        return None;
    }
    b[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn skip_block_comment(b: &[u8], mut i: usize, nested: bool) -> usize {
    let mut level = 0usize;
    while i + 1 < b.len() {
        if b[i] == b'/' && b[i + 1] == b'*' {
            level += 1;
            i += 2;
            if !nested && level > 1 {
                level = 1;
            }
            continue;
        }
        if b[i] == b'*' && b[i + 1] == b'/' {
            level = level.saturating_sub(1);
            i += 2;
            if level == 0 {
                return i;
            }
            continue;
        }
        i += 1;
    }
    b.len()
}

fn skip_char_literal(b: &[u8], i: usize) -> usize {
    // a char literal is short; an apostrophe that does not close soon is punctuation
    let mut k = i + 1;
    while k < b.len() && k < i + 12 && b[k] != b'\n' {
        if b[k] == b'\\' {
            k += 2;
            continue;
        }
        if b[k] == b'\'' {
            return k + 1;
        }
        k += 1;
    }
    i + 1
}

/// A `/` starts a regular expression literal where an operand is expected.
fn regex_allowed(toks: &[Token], text: &str) -> bool {
    let Some(last) = toks.last() else { return true };
    match last.kind {
        Kind::Punct => !matches!(text.as_bytes()[last.span.start], b')' | b']' | b'}'),
        Kind::Ident => matches!(
            &text[last.span.clone()],
            "return"
                | "typeof"
                | "case"
                | "in"
                | "of"
                | "new"
                | "delete"
                | "void"
                | "throw"
                | "yield"
                | "await"
        ),
        _ => false,
    }
}

fn skip_regex(b: &[u8], i: usize) -> usize {
    let mut k = i + 1;
    let mut class = false;
    while k < b.len() && b[k] != b'\n' {
        match b[k] {
            b'\\' => {
                k += 2;
                continue;
            }
            b'[' => class = true,
            b']' => class = false,
            b'/' if !class => {
                k += 1;
                while k < b.len() && b[k].is_ascii_alphabetic() {
                    k += 1;
                }
                return k;
            }
            _ => {}
        }
        k += 1;
    }
    // not a regex after all: treat the `/` as an operator
    i + 1
}

/// How a string literal that starts at some offset goes on.
enum Start {
    /// Its syntax and the offset of its body.
    Str(StrSyntax, usize),
    /// A Rust raw string: the offset of its body and the number of `#`.
    Raw(usize, usize),
}

/// If a string literal starts at `i`, how it goes on.
fn string_start(lang: Lang, b: &[u8], i: usize) -> Option<Start> {
    let plain = |quote: u8| StrSyntax {
        quote,
        triple: false,
        escapes: true,
        doubled_quote: false,
        multiline: false,
        interp: Interp::None,
    };
    let c = b[i];
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    let triple_at = |k: usize, q: u8| at(k) == q && at(k + 1) == q && at(k + 2) == q;
    // an identifier byte just before means this is a suffix, not a prefix
    if i > 0 && is_ident_byte(b[i - 1]) && c != b'"' && c != b'\'' && c != b'`' {
        return None;
    }
    match lang {
        Lang::Python => {
            // up to two prefix letters from r, b, u, f (any case)
            let mut k = 0;
            let mut f = false;
            while k < 2 && matches!(at(k).to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f') {
                f |= at(k).eq_ignore_ascii_case(&b'f');
                k += 1;
            }
            let q = at(k);
            if q != b'"' && q != b'\'' {
                return None;
            }
            if k > 0 && i > 0 && is_ident_byte(b[i - 1]) {
                return None;
            }
            let triple = triple_at(k, q);
            let mut s = plain(q);
            s.triple = triple;
            s.multiline = triple;
            if f {
                s.interp = Interp::Brace;
            }
            Some(Start::Str(s, i + k + if triple { 3 } else { 1 }))
        }
        Lang::JavaScript | Lang::TypeScript => match c {
            b'"' | b'\'' => Some(Start::Str(plain(c), i + 1)),
            b'`' => {
                let mut s = plain(c);
                s.multiline = true;
                s.interp = Interp::DollarBrace;
                Some(Start::Str(s, i + 1))
            }
            _ => None,
        },
        Lang::Go => match c {
            b'"' => Some(Start::Str(plain(c), i + 1)),
            b'`' => {
                let mut s = plain(c);
                s.escapes = false;
                s.multiline = true;
                Some(Start::Str(s, i + 1))
            }
            _ => None,
        },
        Lang::Rust => {
            let mut k = 0;
            if at(0) == b'b' || at(0) == b'c' {
                k = 1;
            }
            if at(k) == b'r' && (at(k + 1) == b'"' || at(k + 1) == b'#') {
                // raw string: r"..." or r#"..."#; scanned here in full
                let mut hashes = 0;
                let mut p = i + k + 1;
                while p < b.len() && b[p] == b'#' {
                    hashes += 1;
                    p += 1;
                }
                if p >= b.len() || b[p] != b'"' {
                    return None;
                }
                return Some(Start::Raw(p + 1, hashes));
            }
            if at(k) == b'"' {
                let mut s = plain(b'"');
                s.multiline = true;
                return Some(Start::Str(s, i + k + 1));
            }
            None
        }
        Lang::Java | Lang::Kotlin => {
            if c != b'"' {
                return None;
            }
            let mut s = plain(c);
            if lang == Lang::Kotlin {
                s.interp = Interp::DollarBrace;
            }
            if triple_at(0, b'"') {
                s.triple = true;
                s.multiline = true;
                if lang == Lang::Kotlin {
                    s.escapes = false;
                }
                return Some(Start::Str(s, i + 3));
            }
            Some(Start::Str(s, i + 1))
        }
        Lang::CSharp => {
            let mut k = 0;
            let mut verbatim = false;
            let mut interp = false;
            while k < 2 && (at(k) == b'@' || at(k) == b'$') {
                verbatim |= at(k) == b'@';
                interp |= at(k) == b'$';
                k += 1;
            }
            if at(k) != b'"' {
                return None;
            }
            let mut s = plain(b'"');
            if triple_at(k, b'"') {
                s.triple = true;
                s.multiline = true;
                s.escapes = false;
                if interp {
                    s.interp = Interp::Brace;
                }
                return Some(Start::Str(s, i + k + 3));
            }
            if verbatim {
                s.escapes = false;
                s.doubled_quote = true;
                s.multiline = true;
            }
            if interp {
                s.interp = Interp::Brace;
            }
            Some(Start::Str(s, i + k + 1))
        }
        Lang::Ruby => match c {
            b'\'' => Some(Start::Str(plain(c), i + 1)),
            b'"' | b'`' => {
                let mut s = plain(c);
                s.multiline = true;
                s.interp = Interp::HashBrace;
                Some(Start::Str(s, i + 1))
            }
            _ => None,
        },
        Lang::Php => match c {
            b'\'' => {
                let mut s = plain(c);
                s.multiline = true;
                Some(Start::Str(s, i + 1))
            }
            b'"' => {
                let mut s = plain(c);
                s.multiline = true;
                s.interp = Interp::PhpVars;
                Some(Start::Str(s, i + 1))
            }
            _ => None,
        },
        Lang::C | Lang::Swift | Lang::Scala => {
            if c != b'"' {
                return None;
            }
            let mut s = plain(c);
            if lang != Lang::C && triple_at(0, b'"') {
                s.triple = true;
                s.multiline = true;
                return Some(Start::Str(s, i + 3));
            }
            Some(Start::Str(s, i + 1))
        }
        Lang::Shell => None,
    }
}

/// Scan a Rust raw string `r#"..."#` whose body starts at `body`.
fn push_raw_string(
    b: &[u8],
    start: usize,
    body: usize,
    hashes: usize,
    toks: &mut Vec<Token>,
) -> usize {
    {
        let mut k = body;
        while k < b.len() {
            if b[k] == b'"'
                && b.len() - (k + 1) >= hashes
                && b[k + 1..k + 1 + hashes].iter().all(|&h| h == b'#')
            {
                toks.push(Token {
                    kind: Kind::Str,
                    span: start..k + 1 + hashes,
                    inner: body..k,
                    plain: true,
                    interp: false,
                });
                return k + 1 + hashes;
            }
            k += 1;
        }
        toks.push(Token {
            kind: Kind::Str,
            span: start..b.len(),
            inner: body..b.len(),
            plain: false,
            interp: false,
        });
        b.len()
    }
}

fn push_string(
    b: &[u8],
    start: usize,
    body: usize,
    syntax: StrSyntax,
    toks: &mut Vec<Token>,
    stack: &mut Vec<Frame>,
    depth: usize,
) -> usize {
    let mut escaped = false;
    match scan_str(b, body, syntax, &mut escaped) {
        StrEnd::Closed(end) => {
            let q = if syntax.triple { 3 } else { 1 };
            toks.push(Token {
                kind: Kind::Str,
                span: start..end,
                inner: body..end - q,
                plain: !escaped,
                interp: false,
            });
            end
        }
        StrEnd::Open(end) => {
            toks.push(Token {
                kind: Kind::Str,
                span: start..end,
                inner: body..end,
                plain: false,
                interp: false,
            });
            end
        }
        StrEnd::Interp(code) => {
            toks.push(Token {
                kind: Kind::Str,
                span: start..body,
                inner: body..body,
                plain: false,
                interp: true,
            });
            stack.push(Frame { syntax, depth });
            code
        }
    }
}

/// Continue a string after an interpolation's closing `}` at `i - 1`.
fn resume_string(
    b: &[u8],
    i: usize,
    syntax: StrSyntax,
    stack: &mut Vec<Frame>,
    depth: usize,
) -> usize {
    let mut escaped = false;
    match scan_str(b, i, syntax, &mut escaped) {
        StrEnd::Closed(end) | StrEnd::Open(end) => end,
        StrEnd::Interp(code) => {
            stack.push(Frame { syntax, depth });
            code
        }
    }
}

// ------------------------------------------------------------------------------ matcher

/// A literal's text and its span.
type Lit = (String, Range<usize>);

struct Matcher<'a> {
    t: &'a [Token],
    text: &'a str,
    /// For each `}` token, the index of its `{` (`usize::MAX` elsewhere); JavaScript only.
    open_of: Vec<usize>,
    out: Vec<EnvRead>,
}

/// Match braces in one pass, so finding a destructuring pattern's start costs nothing.
fn brace_pairs(toks: &[Token], text: &str) -> Vec<usize> {
    let mut open_of = vec![usize::MAX; toks.len()];
    let mut stack = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        if t.punct(b'{', text) {
            stack.push(k);
        } else if t.punct(b'}', text) {
            if let Some(o) = stack.pop() {
                open_of[k] = o;
            }
        }
    }
    open_of
}

impl Matcher<'_> {
    fn ident(&self, j: usize, name: &str) -> bool {
        self.t
            .get(j)
            .is_some_and(|t| t.kind == Kind::Ident && &self.text[t.span.clone()] == name)
    }

    fn ident_any(&self, j: usize, names: &[&str]) -> bool {
        self.t
            .get(j)
            .is_some_and(|t| t.kind == Kind::Ident && names.contains(&&self.text[t.span.clone()]))
    }

    fn p(&self, j: usize, c: u8) -> bool {
        self.t.get(j).is_some_and(|t| t.punct(c, self.text))
    }

    /// Two punctuation bytes written together (`::`, `||`, `??`, `?.`).
    fn p2(&self, j: usize, c: u8, d: u8) -> bool {
        self.p(j, c) && self.p(j + 1, d) && self.t[j].span.end == self.t[j + 1].span.start
    }

    /// A plain string literal holding a variable name.
    fn name_str(&self, j: usize) -> Option<(String, Range<usize>)> {
        let t = self.t.get(j)?;
        if t.kind != Kind::Str || !t.plain {
            return None;
        }
        let s = &self.text[t.inner.clone()];
        is_env_name(s).then(|| (s.to_string(), t.inner.clone()))
    }

    /// A string literal with a known value (escapes left as written).
    fn lit(&self, j: usize) -> Option<(String, Range<usize>)> {
        let t = self.t.get(j)?;
        (t.kind == Kind::Str && !t.interp)
            .then(|| (self.text[t.inner.clone()].to_string(), t.inner.clone()))
    }

    /// `=` that assigns (not `==`, `=>`, nor the second byte of `!=`, `<=` ...).
    fn assigns(&self, j: usize) -> bool {
        if !self.p(j, b'=') {
            return false;
        }
        let next_eq = self.p(j + 1, b'=') && self.t[j].span.end == self.t[j + 1].span.start;
        let next_gt = self.p(j + 1, b'>') && self.t[j].span.end == self.t[j + 1].span.start;
        !next_eq && !next_gt
    }

    fn push(
        &mut self,
        (name, span): (String, Range<usize>),
        default: Option<(String, Range<usize>)>,
    ) {
        self.out.push(EnvRead {
            name,
            span,
            default,
        });
    }

    /// A call's first argument as a name, and a literal second argument (`, "d"` or, in
    /// Python, `, default="d"`) as its default. `j` is the `(`.
    fn call_args(&self, j: usize) -> Option<(Lit, Option<Lit>)> {
        if !self.p(j, b'(') {
            return None;
        }
        let name = self.name_str(j + 1)?;
        let mut default = None;
        if self.p(j + 2, b',') {
            let mut k = j + 3;
            if self.ident(k, "default") && self.p(k + 1, b'=') {
                k += 2;
            }
            if self.p(k + 1, b')') || self.p(k + 1, b',') {
                default = self.lit(k);
            }
        } else if !self.p(j + 2, b')') {
            return None;
        }
        Some((name, default))
    }

    /// A fallback written after the read that ends just before `k`: `or "d"`, `|| "d"`,
    /// `?? "d"`, `?: "d"`, `.unwrap_or("d")`.
    fn fallback(&self, k: usize) -> Option<(String, Range<usize>)> {
        if self.ident(k, "or") || self.p2(k, b'|', b'|') && !self.p(k + 2, b'=') {
            let off = if self.ident(k, "or") { 1 } else { 2 };
            return self.lit(k + off).filter(|_| !self.p(k + off + 1, b'.'));
        }
        if self.p2(k, b'?', b'?') || self.p2(k, b'?', b':') {
            return self.lit(k + 2).filter(|_| !self.p(k + 3, b'.'));
        }
        if self.p(k, b'.')
            && self.ident(k + 1, "unwrap_or")
            && self.p(k + 2, b'(')
            && self.p(k + 4, b')')
        {
            return self.lit(k + 3);
        }
        None
    }

    /// Index just past the `)` that closes the call whose `(` is at `j`, when its
    /// arguments are the simple ones `call_args` accepts.
    fn after_call(&self, j: usize) -> usize {
        let mut k = j + 1;
        while k < self.t.len() && k < j + 8 {
            if self.p(k, b')') {
                return k + 1;
            }
            k += 1;
        }
        k
    }

    fn python(&mut self, j: usize) {
        // getenv("X") / os.getenv("X", "d"), but not `def getenv(`
        if self.ident(j, "getenv") && !self.ident(j.wrapping_sub(1), "def") {
            if let Some((name, default)) = self.call_args(j + 1) {
                let default = default.or_else(|| self.fallback(self.after_call(j + 1)));
                self.push(name, default);
            }
            return;
        }
        if !self.ident(j, "environ") {
            // "X" in os.environ
            if self.ident(j, "in") {
                let k = if self.ident(j + 1, "os") && self.p(j + 2, b'.') {
                    j + 3
                } else {
                    j + 1
                };
                if self.ident(k, "environ") && !self.p(k + 1, b'.') && !self.p(k + 1, b'[') {
                    let n = if self.ident(j.wrapping_sub(1), "not") {
                        j.wrapping_sub(2)
                    } else {
                        j.wrapping_sub(1)
                    };
                    if let Some(name) = self.name_str(n) {
                        self.push(name, None);
                    }
                }
            }
            return;
        }
        if self.p(j + 1, b'[') && self.p(j + 3, b']') {
            let Some(name) = self.name_str(j + 2) else {
                return;
            };
            let prev_del =
                self.ident(j.wrapping_sub(1), "del") || self.ident(j.wrapping_sub(3), "del");
            if self.assigns(j + 4) || prev_del {
                return;
            }
            self.push(name, None);
            return;
        }
        if self.p(j + 1, b'.') && self.ident_any(j + 2, &["get", "setdefault"]) {
            if let Some((name, default)) = self.call_args(j + 3) {
                let default = default.or_else(|| self.fallback(self.after_call(j + 3)));
                self.push(name, default);
            }
        }
    }

    fn javascript(&mut self, j: usize) {
        // process.env / import.meta.env / Bun.env, then .X or ["X"] or a destructuring
        let env_end = if (self.ident_any(j, &["process", "Bun"])
            && self.p(j + 1, b'.')
            && self.ident(j + 2, "env"))
            && !self.p(j.wrapping_sub(1), b'.')
        {
            Some(j + 3)
        } else if self.ident(j, "import")
            && self.p(j + 1, b'.')
            && self.ident(j + 2, "meta")
            && self.p(j + 3, b'.')
            && self.ident(j + 4, "env")
        {
            Some(j + 5)
        } else {
            None
        };
        if let Some(k) = env_end {
            if self.p(k, b'.') {
                if let Some(t) = self.t.get(k + 1).filter(|t| t.kind == Kind::Ident) {
                    let s = &self.text[t.span.clone()];
                    if is_env_name(s) && !self.assigns(k + 2) && !self.p(k + 2, b'(') {
                        let d = self.fallback(k + 2);
                        self.push((s.to_string(), t.span.clone()), d);
                    }
                }
            } else if self.p(k, b'[') && self.p(k + 2, b']') {
                if let Some(name) = self.name_str(k + 1) {
                    if !self.assigns(k + 3) {
                        let d = self.fallback(k + 3);
                        self.push(name, d);
                    }
                }
            } else if j >= 2 && self.p(j - 1, b'=') && self.p(j - 2, b'}') {
                self.destructuring(j - 2);
            }
            return;
        }
        // Deno.env.get("X")
        if self.ident(j, "Deno")
            && self.p(j + 1, b'.')
            && self.ident(j + 2, "env")
            && self.p(j + 3, b'.')
            && self.ident(j + 4, "get")
        {
            if let Some((name, _)) = self.call_args(j + 5) {
                let d = self.fallback(self.after_call(j + 5));
                self.push(name, d);
            }
        }
    }

    /// `{ A, B: b, C = "d", "D": d, ...rest } = process.env`: `close` is the `}`.
    fn destructuring(&mut self, close: usize) {
        let Some(&open) = self.open_of.get(close).filter(|&&o| o != usize::MAX) else {
            return;
        };
        let mut k = open + 1;
        let mut found = Vec::new();
        while k < close {
            // one property: NAME | "NAME" [: target] [= default]
            let key = match self.t[k].kind {
                Kind::Ident => {
                    let s = &self.text[self.t[k].span.clone()];
                    is_env_name(s).then(|| (s.to_string(), self.t[k].span.clone()))
                }
                Kind::Str => self.name_str(k),
                _ => None,
            };
            // skip to the `,` that ends this property at this level
            let mut m = k + 1;
            let mut nest = 0usize;
            let mut default = None;
            while m < close {
                if self.p(m, b'{') || self.p(m, b'[') || self.p(m, b'(') {
                    nest += 1;
                } else if self.p(m, b'}') || self.p(m, b']') || self.p(m, b')') {
                    nest = nest.saturating_sub(1);
                } else if nest == 0 && self.p(m, b',') {
                    break;
                } else if nest == 0 && self.p(m, b'=') && (self.p(m + 2, b',') || m + 2 == close) {
                    default = self.lit(m + 1);
                }
                m += 1;
            }
            if let Some(key) = key {
                if !self.p(k.wrapping_sub(1), b'.') {
                    found.push((key, default));
                }
            }
            k = m + 1;
        }
        for (key, default) in found {
            self.push(key, default);
        }
    }

    fn go(&mut self, j: usize) {
        if self.ident_any(j, &["Getenv", "LookupEnv"])
            && self.p(j.wrapping_sub(1), b'.')
            && self.ident_any(j.wrapping_sub(2), &["os", "syscall"])
        {
            if let Some((name, _)) = self.call_args(j + 1) {
                self.push(name, None);
            }
        }
    }

    fn rust(&mut self, j: usize) {
        // env::var("X"), std::env::var_os("X"), dotenvy::var("X")
        if self.ident_any(j, &["var", "var_os"])
            && j >= 3
            && self.p2(j - 2, b':', b':')
            && self.ident_any(j - 3, &["env", "dotenvy", "dotenv"])
        {
            if let Some((name, _)) = self.call_args(j + 1) {
                let d = self.fallback(self.after_call(j + 1));
                self.push(name, d);
            }
            return;
        }
        // env!("X"), option_env!("X")
        if self.ident_any(j, &["env", "option_env"]) && self.p(j + 1, b'!') {
            if let Some((name, _)) = self.call_args(j + 2) {
                self.push(name, None);
            }
        }
    }

    fn java(&mut self, j: usize) {
        if self.ident(j, "System") && self.p(j + 1, b'.') && self.ident(j + 2, "getenv") {
            if let Some((name, _)) = self.call_args(j + 3) {
                let d = self.fallback(self.after_call(j + 3));
                self.push(name, d);
            }
        }
    }

    fn csharp(&mut self, j: usize) {
        if self.ident(j, "GetEnvironmentVariable")
            && self.p(j.wrapping_sub(1), b'.')
            && self.ident(j.wrapping_sub(2), "Environment")
        {
            if let Some((name, _)) = self.call_args(j + 1) {
                let d = self.fallback(self.after_call(j + 1));
                self.push(name, d);
            }
        }
    }

    fn c(&mut self, j: usize) {
        // getenv("X"), secure_getenv("X"), but not a declaration `char *getenv(const char *)`
        if self.ident_any(j, &["getenv", "secure_getenv"]) && !self.p(j.wrapping_sub(1), b'*') {
            if let Some((name, _)) = self.call_args(j + 1) {
                self.push(name, None);
            }
        }
    }

    fn swift(&mut self, j: usize) {
        // ProcessInfo.processInfo.environment["X"]
        if self.ident(j, "environment")
            && self.p(j.wrapping_sub(1), b'.')
            && self.ident(j.wrapping_sub(2), "processInfo")
            && self.p(j + 1, b'[')
            && self.p(j + 3, b']')
        {
            if let Some(name) = self.name_str(j + 2) {
                let d = self.fallback(j + 4);
                self.push(name, d);
            }
        }
    }

    fn scala(&mut self, j: usize) {
        // sys.env("X"), sys.env.get("X"), sys.env.getOrElse("X", "d")
        if !(self.ident(j, "sys") && self.p(j + 1, b'.') && self.ident(j + 2, "env")) {
            return;
        }
        if self.p(j + 3, b'(') {
            if let Some((name, _)) = self.call_args(j + 3) {
                self.push(name, None);
            }
        } else if self.p(j + 3, b'.') && self.ident_any(j + 4, &["get", "getOrElse", "contains"]) {
            if let Some((name, default)) = self.call_args(j + 5) {
                self.push(name, default);
            }
        }
    }

    fn ruby(&mut self, j: usize) {
        // `ENV`, but not `Foo::ENV` or `x.ENV`
        if !self.ident(j, "ENV")
            || self.p(j.wrapping_sub(1), b':')
            || self.p(j.wrapping_sub(1), b'.')
        {
            return;
        }
        if self.p(j + 1, b'[') && self.p(j + 3, b']') {
            if let Some(name) = self.name_str(j + 2) {
                // `ENV["X"] = v` and `ENV["X"] ||= v` write
                let memo = self.p(j + 4, b'|') && self.p(j + 5, b'|') && self.p(j + 6, b'=');
                if !self.assigns(j + 4) && !memo {
                    let d = self.fallback(j + 4);
                    self.push(name, d);
                }
            }
            return;
        }
        if self.p(j + 1, b'.') && self.ident_any(j + 2, &["fetch", "key?", "has_key?", "include?"])
        {
            let fetch = self.ident(j + 2, "fetch");
            if self.p(j + 3, b'(') {
                if let Some((name, default)) = self.call_args(j + 3) {
                    self.push(name, default.filter(|_| fetch));
                }
            } else if let Some(name) = self.name_str(j + 3) {
                // `ENV.fetch "X", "d"`
                let d = if fetch && self.p(j + 4, b',') {
                    self.lit(j + 5)
                } else {
                    None
                };
                self.push(name, d);
            }
        }
    }

    fn php(&mut self, j: usize) {
        if self.ident_any(j, &["getenv", "env"]) {
            // a function call, not a method or a declaration
            let prev_method = self.p(j.wrapping_sub(1), b'>')
                || self.p2(j.wrapping_sub(2), b':', b':')
                || self.ident(j.wrapping_sub(1), "function");
            if prev_method {
                return;
            }
            if let Some((name, default)) = self.call_args(j + 1) {
                let default = default.or_else(|| self.fallback(self.after_call(j + 1)));
                self.push(name, default);
            }
            return;
        }
        if !(self.ident_any(j, &["$_ENV", "$_SERVER"])
            && self.p(j + 1, b'[')
            && self.p(j + 3, b']'))
        {
            return;
        }
        let Some(name) = self.name_str(j + 2) else {
            return;
        };
        let server = self.ident(j, "$_SERVER");
        if self.assigns(j + 4) || server && is_cgi_variable(&name.0) {
            return;
        }
        let d = self.fallback(j + 4);
        self.push(name, d);
    }
}

/// `$_SERVER` also carries the request: those keys are set by the web server, not the
/// environment.
fn is_cgi_variable(name: &str) -> bool {
    name.starts_with("HTTP_")
        || name.starts_with("REQUEST_")
        || name.starts_with("SERVER_")
        || name.starts_with("REMOTE_")
        || name.starts_with("SCRIPT_")
        || name.starts_with("PHP_")
        || matches!(
            name,
            "QUERY_STRING"
                | "DOCUMENT_ROOT"
                | "PATH_INFO"
                | "PATH_TRANSLATED"
                | "ORIG_PATH_INFO"
                | "CONTENT_TYPE"
                | "CONTENT_LENGTH"
                | "HTTPS"
                | "GATEWAY_INTERFACE"
                | "AUTH_TYPE"
                | "argv"
                | "argc"
        )
}

// ------------------------------------------------------------------------------- shell

/// Variables that the shell or the login sets on every machine. A project never defines
/// them in its env files, so a read of one is neither a misspelling it could fix nor a
/// missing definition; leaving them out keeps the repository-wide comparison quiet.
pub fn is_shell_provided(name: &str) -> bool {
    name.starts_with("BASH")
        || name.starts_with("LC_")
        || name.starts_with("ZSH")
        || matches!(
            name,
            "HOME"
                | "PATH"
                | "PWD"
                | "OLDPWD"
                | "USER"
                | "LOGNAME"
                | "SHELL"
                | "TERM"
                | "LANG"
                | "LANGUAGE"
                | "TMPDIR"
                | "HOSTNAME"
                | "HOSTTYPE"
                | "OSTYPE"
                | "MACHTYPE"
                | "UID"
                | "EUID"
                | "GROUPS"
                | "PPID"
                | "RANDOM"
                | "SECONDS"
                | "LINENO"
                | "IFS"
                | "OPTARG"
                | "OPTIND"
                | "OPTERR"
                | "PS1"
                | "PS2"
                | "PS3"
                | "PS4"
                | "SHLVL"
                | "REPLY"
                | "PIPESTATUS"
                | "FUNCNAME"
                | "COLUMNS"
                | "LINES"
                | "EPOCHSECONDS"
                | "EPOCHREALTIME"
                | "SRANDOM"
                | "HISTFILE"
                | "HISTSIZE"
                | "MAIL"
                | "DISPLAY"
                | "EDITOR"
                | "PAGER"
                | "COMP_WORDS"
                | "COMP_CWORD"
                | "COMPREPLY"
        )
}

/// Reads in a shell script: `$X`, `${X}`, `${X:-default}` (and `-`, `:=`, `=`, `:?`, `?`,
/// `:+`, `+`, `${#X}`), outside single quotes and comments. Left out: positional and
/// special parameters (`$1`, `$@`, `$?` ...), names with a lower-case letter (script
/// locals by convention), variables the shell provides (`HOME`, `PATH` ...), and names
/// the script assigns itself (`X=...`, `export X=...`, `read X`, `for X in`).
pub fn shell_reads(text: &str) -> Vec<EnvRead> {
    let b = text.as_bytes();
    let mut reads = Vec::new();
    let mut assigned: HashSet<&str> = HashSet::new();
    let mut i = 0;
    let mut dq = false; // inside double quotes
    let mut word_start = true;
    let mut prev_word: &str = "";
    let mut heredocs: Vec<(Vec<u8>, bool, bool)> = Vec::new(); // (delimiter, expands, strip tabs)
    while i < b.len() {
        let c = b[i];
        if c == b'\n' && !heredocs.is_empty() && !dq {
            i = skip_heredocs(text, i + 1, &mut heredocs, &mut reads);
            word_start = true;
            continue;
        }
        if dq {
            match c {
                b'\\' => i = after_char(b, i + 1),
                b'"' => {
                    dq = false;
                    i += 1;
                }
                b'$' => i = dollar(text, i, &mut reads),
                _ => i += 1,
            }
            continue;
        }
        match c {
            b'#' if word_start => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'\'' => {
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
                i += 1;
                word_start = false;
            }
            b'"' => {
                dq = true;
                i += 1;
                word_start = false;
            }
            b'\\' => {
                i = after_char(b, i + 1);
                word_start = false;
            }
            b'$' if i + 1 < b.len() && b[i + 1] == b'\'' => {
                // $'...' (ANSI-C quoting)
                i += 2;
                while i < b.len() && b[i] != b'\'' {
                    i = if b[i] == b'\\' {
                        after_char(b, i + 1)
                    } else {
                        i + 1
                    };
                }
                i = (i + 1).min(b.len());
                word_start = false;
            }
            b'$' => {
                i = dollar(text, i, &mut reads);
                word_start = false;
            }
            b'<' if b[i..].starts_with(b"<<") && !b[i..].starts_with(b"<<<") => {
                i = heredoc_operator(b, i + 2, &mut heredocs);
                word_start = false;
            }
            c if c.is_ascii_whitespace()
                || matches!(c, b';' | b'&' | b'|' | b'(' | b')' | b'`' | b'{' | b'}') =>
            {
                word_start = true;
                i += 1;
            }
            _ => {
                // a word: note assignments and the names `read` and `for` bind
                let s = i;
                while i < b.len()
                    && !b[i].is_ascii_whitespace()
                    && !matches!(
                        b[i],
                        b';' | b'&' | b'|' | b'(' | b')' | b'"' | b'\'' | b'$' | b'`' | b'\\'
                    )
                {
                    i += 1;
                }
                let word = &text[s..i];
                if word_start {
                    let n = word
                        .bytes()
                        .take_while(|&c| c.is_ascii_alphanumeric() || c == b'_')
                        .count();
                    if n > 0 && word.as_bytes().get(n) == Some(&b'=')
                        || word.as_bytes().get(n) == Some(&b'+')
                            && word.as_bytes().get(n + 1) == Some(&b'=')
                    {
                        assigned.insert(&word[..n]);
                    } else if matches!(
                        prev_word,
                        "read" | "for" | "export" | "local" | "declare" | "readonly" | "typeset"
                    ) && is_env_name(word)
                    {
                        assigned.insert(word);
                    }
                    if !word.starts_with('-') {
                        prev_word = if matches!(
                            prev_word,
                            "read" | "export" | "local" | "declare" | "readonly" | "typeset"
                        ) && is_env_name(word)
                        {
                            prev_word
                        } else {
                            word
                        };
                    }
                }
                word_start = false;
            }
        }
    }
    reads.retain(|r: &EnvRead| {
        !r.name.bytes().any(|c| c.is_ascii_lowercase())
            && !is_shell_provided(&r.name)
            && !assigned.contains(&r.name.as_str())
    });
    reads
}

/// A `$` expansion at `i`; returns the offset after it.
fn dollar(text: &str, i: usize, reads: &mut Vec<EnvRead>) -> usize {
    let b = text.as_bytes();
    let n = i + 1;
    if n >= b.len() {
        return n;
    }
    if is_ident_start(b[n]) && b[n] < 0x80 {
        let mut e = n;
        while e < b.len() && (b[e].is_ascii_alphanumeric() || b[e] == b'_') {
            e += 1;
        }
        reads.push(EnvRead {
            name: text[n..e].to_string(),
            span: n..e,
            default: None,
        });
        return e;
    }
    if b[n] != b'{' {
        return n;
    }
    let mut s = n + 1;
    if s < b.len() && (b[s] == b'#' || b[s] == b'!') {
        s += 1;
    }
    let mut e = s;
    while e < b.len() && (b[e].is_ascii_alphanumeric() || b[e] == b'_') {
        e += 1;
    }
    // the closing brace, counting nested ${...}; a reference is short, so the search is
    // capped and the whole scan stays linear
    let mut level = 1usize;
    let mut k = e;
    let cap = (e + 1024).min(b.len());
    while k < cap && b[k] != b'\n' {
        if b[k] == b'{' {
            level += 1;
        } else if b[k] == b'}' {
            level -= 1;
            if level == 0 {
                break;
            }
        }
        k += 1;
    }
    let close = k.min(b.len());
    let name = &text[s..e];
    if e > s && !b[s].is_ascii_digit() {
        let op = &b[e..close];
        let default = if op.starts_with(b":-") || op.starts_with(b":=") {
            Some(e + 2..close)
        } else if op.starts_with(b"-") || op.starts_with(b"=") {
            Some(e + 1..close)
        } else {
            None
        };
        reads.push(EnvRead {
            name: name.to_string(),
            span: s..e,
            default: default.map(|r| (text[r.clone()].to_string(), r)),
        });
        if e < close {
            // the caller's scan goes on inside the operator's word, so expansions in a
            // default are reads too
            return e;
        }
    }
    if close < b.len() && b[close] == b'}' {
        close + 1
    } else {
        close
    }
}

/// After `<<` or `<<-`: the delimiter word. Returns the offset after it.
fn heredoc_operator(b: &[u8], mut i: usize, heredocs: &mut Vec<(Vec<u8>, bool, bool)>) -> usize {
    let strip = i < b.len() && b[i] == b'-';
    if strip {
        i += 1;
    }
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    let mut quoted = false;
    let mut word = Vec::new();
    while i < b.len()
        && !b[i].is_ascii_whitespace()
        && !matches!(b[i], b';' | b'|' | b'&' | b')' | b'<' | b'>')
    {
        match b[i] {
            b'\'' | b'"' | b'\\' => quoted = true,
            c => word.push(c),
        }
        i += 1;
    }
    if !word.is_empty() {
        heredocs.push((word, !quoted, strip));
    }
    i
}

/// Skip the bodies of pending heredocs starting at line `i`; expanding ones are scanned
/// for `$` reads. Returns the offset after the last terminator.
fn skip_heredocs(
    text: &str,
    mut i: usize,
    heredocs: &mut Vec<(Vec<u8>, bool, bool)>,
    reads: &mut Vec<EnvRead>,
) -> usize {
    let b = text.as_bytes();
    for (word, expands, strip) in heredocs.drain(..) {
        while i < b.len() {
            let mut e = i;
            while e < b.len() && b[e] != b'\n' {
                e += 1;
            }
            let mut line = &b[i..e];
            if strip {
                while let [b'\t', rest @ ..] = line {
                    line = rest;
                }
            }
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line == word.as_slice() {
                i = (e + 1).min(b.len());
                break;
            }
            if expands {
                let mut k = i;
                while k < e {
                    if b[k] == b'\\' {
                        k += 2;
                    } else if b[k] == b'$' {
                        k = dollar(text, k, reads).max(k + 1);
                    } else {
                        k += 1;
                    }
                }
            }
            i = (e + 1).min(b.len());
        }
    }
    i
}

/// `${NAME}`, `${NAME:-default}` and `$NAME` references in a compose file, Dockerfile or
/// other config that interpolates the environment. `$$` is a literal dollar (compose), a
/// `#` that starts a line or follows whitespace starts a comment, and GitHub's `${{ }}`
/// is not a reference.
pub fn interpolation_refs(text: &str) -> Vec<EnvRead> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' if i == 0 || b[i - 1].is_ascii_whitespace() => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'$' if i + 1 < b.len() && b[i + 1] == b'$' => i += 2,
            b'$' if i + 1 < b.len() && b[i + 1] == b'{' && b.get(i + 2) == Some(&b'{') => i += 3,
            b'$' => {
                let mut tmp = Vec::new();
                let next = dollar(text, i, &mut tmp);
                // `${#X}` and `${!X}` are shell-only forms; keep plain references
                out.extend(tmp.into_iter().filter(|r| is_env_name(&r.name)));
                i = next.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, the text at its span, default) for each read.
    fn reads(lang: Lang, text: &str) -> Vec<(String, Option<String>)> {
        env_reads(lang, text)
            .into_iter()
            .map(|r| {
                assert_eq!(&text[r.span.clone()], r.name, "span of {r:?}");
                if let Some((d, s)) = &r.default {
                    assert_eq!(&text[s.clone()], d);
                }
                (r.name, r.default.map(|d| d.0))
            })
            .collect()
    }

    fn names(lang: Lang, text: &str) -> Vec<String> {
        reads(lang, text).into_iter().map(|r| r.0).collect()
    }

    #[test]
    fn python_reads() {
        let t = r#"
import os
from os import getenv, environ
A = os.getenv("OPENAI_API_KEY")
B = os.getenv('MODEL', "gpt-4o")
C = os.environ["DATABASE_URL"]
D = os.environ.get("REDIS_URL", default="redis://localhost")
E = environ['PORT']
F = getenv("HOST") or "0.0.0.0"
os.environ["WRITTEN"] = "x"
os.environ.setdefault("TZ", "UTC")
del os.environ["DELETED"]
if "FLAG" in os.environ: pass
if "NOFLAG" not in os.environ: pass
# os.getenv("IN_COMMENT")
s = "os.getenv('IN_STRING')"
t = os.environ[f"{p}_KEY"]
u = os.environ[name]
w = os.environ["A"] == "x"
def getenv(k): pass
"#;
        assert_eq!(
            reads(Lang::Python, t),
            vec![
                ("OPENAI_API_KEY".into(), None),
                ("MODEL".into(), Some("gpt-4o".into())),
                ("DATABASE_URL".into(), None),
                ("REDIS_URL".into(), Some("redis://localhost".into())),
                ("PORT".into(), None),
                ("HOST".into(), Some("0.0.0.0".into())),
                ("TZ".into(), Some("UTC".into())),
                ("FLAG".into(), None),
                ("NOFLAG".into(), None),
                ("A".into(), None),
            ]
        );
    }

    #[test]
    fn python_strings_and_fstrings() {
        let t = "x = f\"Bearer {os.environ['TOKEN']}\"\ny = '''\nos.getenv(\"DOC\")\n'''\nz = rb'\\x' + os.getenv(\"AFTER\")\n";
        assert_eq!(names(Lang::Python, t), ["TOKEN", "AFTER"]);
    }

    #[test]
    fn javascript_reads() {
        let t = r#"
const key = process.env.OPENAI_API_KEY;
const url = process.env["DATABASE_URL"] || "postgres://localhost";
const port = process.env.PORT ?? '3000';
const { A, B: b, C = "dflt", "D-x": d, ...rest } = process.env;
const v = import.meta.env.VITE_API_URL;
const dn = Deno.env.get("DENO_KEY");
process.env.WRITTEN = "x";
if (process.env.NODE_ENV === "production") {}
// process.env.IN_COMMENT
/* process.env.IN_BLOCK */
const s = "process.env.IN_STRING";
const t = `Bearer ${process.env.TEMPLATE_TOKEN} and ${`${process.env.NESTED}`}`;
const re = /process.env.REGEX/g;
const q = a / process.env.DIV;
"#;
        assert_eq!(
            reads(Lang::JavaScript, t),
            vec![
                ("OPENAI_API_KEY".into(), None),
                ("DATABASE_URL".into(), Some("postgres://localhost".into())),
                ("PORT".into(), Some("3000".into())),
                ("A".into(), None),
                ("B".into(), None),
                ("C".into(), Some("dflt".into())),
                ("VITE_API_URL".into(), None),
                ("DENO_KEY".into(), None),
                ("NODE_ENV".into(), None),
                ("TEMPLATE_TOKEN".into(), None),
                ("NESTED".into(), None),
                ("DIV".into(), None),
            ]
        );
    }

    #[test]
    fn typescript_interface_field_is_not_a_read() {
        let t = "interface Opts {\n  open_ai_api_key: string;\n  OPENAI_KEY?: string;\n}\nconst k: string = process.env.OPENAI_API_KEY!;\n";
        assert_eq!(names(Lang::TypeScript, t), ["OPENAI_API_KEY"]);
    }

    #[test]
    fn go_reads() {
        let t = "package main\nimport \"os\"\n// os.Getenv(\"C\")\nfunc main() {\n\tk := os.Getenv(\"OPEN_AI_KEY\")\n\tv, ok := os.LookupEnv(`RAW`)\n\tr := 'x'\n\t_ = os.Getenv(\"A\" + b)\n}\n";
        assert_eq!(names(Lang::Go, t), ["OPEN_AI_KEY", "RAW"]);
    }

    #[test]
    fn rust_reads() {
        let t = r##"
use std::env;
fn f<'a>(x: &'a str) -> char {
    let a = env::var("API_KEY").unwrap_or("dev".into());
    let b = std::env::var_os("HOME_DIR");
    let c = env!("CARGO_PKG_NAME");
    let d = option_env!("BUILD_SHA");
    let e = std::env::var("PLAIN").unwrap_or("fallback");
    let s = r#"env::var("RAW")"#;
    /* env::var("C1") /* nested */ env::var("C2") */
    'x'
}
"##;
        assert_eq!(
            reads(Lang::Rust, t),
            vec![
                ("API_KEY".into(), None),
                ("HOME_DIR".into(), None),
                ("CARGO_PKG_NAME".into(), None),
                ("BUILD_SHA".into(), None),
                ("PLAIN".into(), Some("fallback".into())),
            ]
        );
    }

    #[test]
    fn java_kotlin_csharp() {
        assert_eq!(
            names(
                Lang::Java,
                "String k = System.getenv(\"STRIPE_API_KEY\"); char c = '\"'; String d = System.getenv(\"B\");"
            ),
            ["STRIPE_API_KEY", "B"]
        );
        assert_eq!(
            names(
                Lang::Kotlin,
                "val k = System.getenv(\"K\") ?: \"x\"\nval s = \"${System.getenv(\"T\")}\"\n"
            ),
            ["K", "T"]
        );
        assert_eq!(
            reads(Lang::Kotlin, "val k = System.getenv(\"K\") ?: \"x\"")[0]
                .1
                .as_deref(),
            Some("x")
        );
        assert_eq!(
            names(
                Lang::CSharp,
                "var k = Environment.GetEnvironmentVariable(\"AZURE_CLIENT_ID\");\nvar s = @\"C:\\path\"\"x\"; var t = $\"{Environment.GetEnvironmentVariable(\"INNER\")}\";"
            ),
            ["AZURE_CLIENT_ID", "INNER"]
        );
    }

    #[test]
    fn c_swift_scala() {
        assert_eq!(
            names(Lang::C, "#include <stdlib.h>\nchar *getenv(const char *);\n// getenv(\"C\")\nconst char *k = getenv(\"API_TOKEN\"); char q = '\"';\n"),
            ["API_TOKEN"]
        );
        assert_eq!(
            names(Lang::Swift, "let k = ProcessInfo.processInfo.environment[\"OPENAI_API_KEY\"] ?? \"\"\n/* /* nested */ environment[\"X\"] */"),
            ["OPENAI_API_KEY"]
        );
        assert_eq!(
            reads(Lang::Scala, "val a = sys.env(\"A\")\nval b = sys.env.getOrElse(\"B\", \"dflt\")\nval c = System.getenv(\"C\")\n"),
            vec![("A".into(), None), ("B".into(), Some("dflt".into())), ("C".into(), None)]
        );
    }

    #[test]
    fn ruby_reads() {
        let t = "key = ENV[\"OPENAI_API_KEY\"]\nurl = ENV.fetch('DATABASE_URL', 'postgres://x')\nENV.fetch \"BARE\"\nENV['WRITTEN'] = 'x'\nENV['MEMO'] ||= 'x'\n# ENV['COMMENT']\nok = ENV.key?(\"CHECK\")\ns = \"#{ENV['INTERP']}\"\nt = ENV['OR'] || 'dflt'\n";
        assert_eq!(
            reads(Lang::Ruby, t),
            vec![
                ("OPENAI_API_KEY".into(), None),
                ("DATABASE_URL".into(), Some("postgres://x".into())),
                ("BARE".into(), None),
                ("CHECK".into(), None),
                ("INTERP".into(), None),
                ("OR".into(), Some("dflt".into())),
            ]
        );
    }

    #[test]
    fn php_reads() {
        let t = "<?php\n$k = getenv('OPENAI_API_KEY');\n$d = $_ENV['DB_HOST'];\n$s = $_SERVER['APP_KEY'];\n$h = $_SERVER['HTTP_HOST'];\n$l = env('MAIL_FROM', 'a@b.c');\n# getenv('COMMENT')\n$o->env('METHOD');\n$_ENV['SET'] = 1;\n";
        assert_eq!(
            reads(Lang::Php, t),
            vec![
                ("OPENAI_API_KEY".into(), None),
                ("DB_HOST".into(), None),
                ("APP_KEY".into(), None),
                ("MAIL_FROM".into(), Some("a@b.c".into())),
            ]
        );
    }

    #[test]
    fn shell_reads_and_skips() {
        let t = r#"#!/bin/bash
# $IN_COMMENT
echo "$OPENAI_API_KEY" '${SINGLE}' ${REGION:-us-east-1} $1 $@ $? $HOME
curl -H "Authorization: Bearer ${TOKEN}" https://x/#frag
LOCAL_VAR=1
echo $LOCAL_VAR $lower
for ITEM in a b; do echo $ITEM; done
read -r ANSWER
echo "$ANSWER ${#LEN_OF}" $'$ANSI' \$ESCAPED
cat <<EOF
expanded $IN_HEREDOC
EOF
cat <<'EOF'
literal $NOT_EXPANDED
EOF
echo ${OUTER:-${INNER}}
"#;
        assert_eq!(
            reads(Lang::Shell, t),
            vec![
                ("OPENAI_API_KEY".into(), None),
                ("REGION".into(), Some("us-east-1".into())),
                ("TOKEN".into(), None),
                ("LEN_OF".into(), None),
                ("IN_HEREDOC".into(), None),
                ("OUTER".into(), Some("${INNER}".into())),
                ("INNER".into(), None),
            ]
        );
    }

    #[test]
    fn interpolation_refs_in_config() {
        let t = "services:\n  api:\n    environment:\n      KEY: ${OPENAI_API_KEY}\n      URL: ${DB_URL:-postgres://db}\n      LIT: $$NOT\n      # ${COMMENTED}\n      GH: ${{ secrets.X }}\n      BARE: $BARE_REF\n";
        let r: Vec<_> = interpolation_refs(t)
            .into_iter()
            .map(|r| (r.name, r.default.map(|d| d.0)))
            .collect();
        assert_eq!(
            r,
            vec![
                ("OPENAI_API_KEY".into(), None),
                ("DB_URL".into(), Some("postgres://db".into())),
                ("BARE_REF".into(), None),
            ]
        );
    }

    #[test]
    fn never_panics_on_random_bytes() {
        let langs = [
            Lang::Python,
            Lang::JavaScript,
            Lang::TypeScript,
            Lang::Go,
            Lang::Rust,
            Lang::Java,
            Lang::Kotlin,
            Lang::Ruby,
            Lang::Php,
            Lang::CSharp,
            Lang::Shell,
            Lang::C,
            Lang::Swift,
            Lang::Scala,
        ];
        let alphabet: &[u8] =
            b"os.environ[\"X\"]getenv('Y')process.env{}$#/*\\`r#\n\t :=!?|@<<EOF\xc3\xa9\xff";
        let mut seed = 0x9E3779B97F4A7C15u64;
        for len in (0..600).step_by(7) {
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
            for lang in langs {
                for r in env_reads(lang, &text) {
                    let _ = &text[r.span.clone()];
                    if let Some((_, s)) = r.default {
                        let _ = &text[s];
                    }
                }
            }
            for r in interpolation_refs(&text) {
                let _ = &text[r.span];
            }
        }
    }

    #[test]
    fn linear_on_large_input() {
        let line = "x = os.getenv(\"A\") # c\n";
        let t = line.repeat(100_000);
        assert_eq!(env_reads(Lang::Python, &t).len(), 100_000);
        let t = "{".repeat(200_000) + &"`${".repeat(50_000);
        let _ = env_reads(Lang::JavaScript, &t);
        let t = "} = process.env\n".repeat(20_000);
        let _ = env_reads(Lang::JavaScript, &t);
        let t = "${".repeat(100_000);
        let _ = env_reads(Lang::Shell, &t);
        let _ = interpolation_refs(&t);
    }
}
