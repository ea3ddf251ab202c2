//! A `.env` file parsed once into entries with byte spans.
//!
//! Different loaders read the same file differently, and most `.env` mistakes live in that
//! gap, so every entry records what two of them see:
//!
//! - **python-dotenv** (1.2; for the parts that matter here, Node's `dotenv` and compose
//!   agree): skips whitespace after `=`, strips matching quotes, reads quoted values across
//!   lines, drops ` #` inline comments and trailing whitespace after unquoted values.
//! - **`docker run --env-file`**: one line per variable, the value passed through untouched:
//!   quotes, leading and trailing whitespace and `#` comments all become part of the value.
//!
//! The parser never fails: a line python-dotenv would reject is still an entry (with its
//! quote problem recorded) or, when it has no key at all, an `invalid` line. It runs in one
//! pass over the bytes and only slices at ASCII delimiters, so any UTF-8 text is safe.

use std::ops::Range;

/// The parsed file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dotenv {
    /// Bindings in file order.
    pub entries: Vec<Entry>,
    /// Full-line comments (`# ...`), from the `#` to the end of the line (without `\r`).
    pub comments: Vec<Range<usize>>,
    /// Non-blank lines that hold no binding python-dotenv could read a key from.
    pub invalid: Vec<Range<usize>>,
}

/// How the value is quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    None,
    Single,
    Double,
    /// Node's `dotenv` and compose treat backticks as quotes; python-dotenv does not.
    Backtick,
}

impl Quote {
    fn of(b: u8) -> Quote {
        match b {
            b'\'' => Quote::Single,
            b'"' => Quote::Double,
            b'`' => Quote::Backtick,
            _ => Quote::None,
        }
    }

    /// The quote character, if any.
    pub fn char(self) -> Option<char> {
        match self {
            Quote::None => None,
            Quote::Single => Some('\''),
            Quote::Double => Some('"'),
            Quote::Backtick => Some('`'),
        }
    }
}

/// A quoting mistake on one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteProblem {
    /// An opening quote with no closing one: python-dotenv rejects the line (a double quote
    /// may instead swallow the following lines), docker keeps the quote in the value.
    Unclosed { open: usize },
    /// The value opens with one quote character and ends with another (`"abc'`).
    Mismatched { open: usize, close: usize },
    /// Text follows the closing quote (`"abc"def`): python-dotenv rejects the line.
    TextAfterClose { close: usize, rest: Range<usize> },
    /// An unquoted value that ends or starts with a quote character (`abc"`): every loader
    /// keeps it as part of the value.
    Stray { at: usize },
}

/// A `${NAME}` reference inside a value (python-dotenv interpolates unquoted and
/// double-quoted values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpolation {
    pub name: String,
    pub name_span: Range<usize>,
    /// The whole `${...}`.
    pub span: Range<usize>,
    /// `${NAME:-default}`: the default's text and span.
    pub default: Option<Range<usize>>,
}

/// One `KEY=value` binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// From the first byte of the line (or `export`) to the end of the value (the last line
    /// of a multi-line value), without the line terminator.
    pub span: Range<usize>,
    /// The `export ` prefix, if any.
    pub export: Option<Range<usize>>,
    pub key: String,
    /// The key (without quotes when it was written `'KEY'`).
    pub key_span: Range<usize>,
    /// Offset of the `=`; `None` for a bare `KEY` line (python-dotenv binds it to `None`).
    pub eq: Option<usize>,
    /// Whitespace between `=` and the value (python-dotenv skips it, docker keeps it).
    pub space_after_eq: Option<Range<usize>>,
    /// The value as written, quotes included, without the inline comment or the whitespace
    /// before it. Empty (at the end of the `=`) for `KEY=`.
    pub raw_span: Range<usize>,
    pub quote: Quote,
    /// The value between the quotes (or the trimmed unquoted value).
    pub inner_span: Range<usize>,
    /// The value python-dotenv sets (escapes decoded in double quotes, `None` for a bare key
    /// or a line it rejects).
    pub value: Option<String>,
    /// The value `docker run --env-file` passes: everything after the first `=` on the
    /// line, untouched (`None` for a bare key).
    pub docker_value: Option<String>,
    /// Whitespace just inside the opening quote.
    pub inner_leading_ws: Option<Range<usize>>,
    /// Whitespace just inside the closing quote.
    pub inner_trailing_ws: Option<Range<usize>>,
    /// Spaces or tabs after an unquoted value at the end of the line (a `\r` of a CRLF line
    /// ending is not whitespace); with an inline comment after it this is `None`, since
    /// the whitespace then separates the comment.
    pub trailing_ws: Option<Range<usize>>,
    /// Whitespace after a closing quote at the end of the line (harmless for every loader
    /// but docker, which keeps the quotes anyway).
    pub ws_after_close: Option<Range<usize>>,
    /// An inline comment: ` # ...` after an unquoted value, `#...` after a closing quote.
    pub comment: Option<Range<usize>>,
    pub quote_problem: Option<QuoteProblem>,
    /// The value spans more than one line (a double-quoted PEM key, say).
    pub multiline: bool,
    pub interpolations: Vec<Interpolation>,
}

impl Entry {
    /// The value as written in the file (quotes included).
    pub fn raw<'a>(&self, text: &'a str) -> &'a str {
        &text[self.raw_span.clone()]
    }

    /// The inner value as written (between the quotes).
    pub fn inner<'a>(&self, text: &'a str) -> &'a str {
        &text[self.inner_span.clone()]
    }
}

fn is_hspace(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == 0x0b || b == 0x0c
}

fn is_nl(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// End of the line starting at or containing `i` (before `\r\n`, `\n` or a lone `\r`).
fn line_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && !is_nl(b[i]) {
        i += 1;
    }
    i
}

/// Start of the next line after a line ending at `e`.
fn next_line(b: &[u8], e: usize) -> usize {
    if e < b.len() && b[e] == b'\r' && e + 1 < b.len() && b[e + 1] == b'\n' {
        e + 2
    } else if e < b.len() {
        e + 1
    } else {
        e
    }
}

fn span_if(r: Range<usize>) -> Option<Range<usize>> {
    if r.is_empty() {
        None
    } else {
        Some(r)
    }
}

/// Parse a `.env` file.
pub fn parse(text: &str) -> Dotenv {
    let b = text.as_bytes();
    let mut out = Dotenv::default();
    let mut i = 0;
    // A UTF-8 byte order mark is not part of the first key.
    if b.starts_with(&[0xEF, 0xBB, 0xBF]) {
        i = 3;
    }
    while i < b.len() {
        let le = line_end(b, i);
        let mut p = i;
        while p < le && is_hspace(b[p]) {
            p += 1;
        }
        if p == le {
            i = next_line(b, le);
            continue;
        }
        if b[p] == b'#' {
            out.comments.push(p..le);
            i = next_line(b, le);
            continue;
        }
        match parse_entry(text, i, p, le) {
            Some((entry, end_of_entry)) => {
                out.entries.push(entry);
                i = next_line(b, end_of_entry);
            }
            None => {
                out.invalid.push(p..le);
                i = next_line(b, le);
            }
        }
    }
    out
}

/// Parse the binding whose line starts at `line_start`, first non-blank byte `p`, line end
/// `le`. Returns the entry and the end (before the terminator) of its last line.
fn parse_entry(text: &str, line_start: usize, p: usize, le: usize) -> Option<(Entry, usize)> {
    let b = text.as_bytes();
    let mut q = p;
    let mut export = None;
    if b[q..le].starts_with(b"export") && q + 6 < le && is_hspace(b[q + 6]) {
        let mut r = q + 6;
        while r < le && is_hspace(b[r]) {
            r += 1;
        }
        // `export` followed by `=` is a key called "export"
        if r < le && b[r] != b'=' {
            export = Some(q..q + 6);
            q = r;
        }
    }
    // key: 'quoted' or a run of bytes other than `=`, `#` and whitespace (python-dotenv)
    let key_span;
    if b[q] == b'\'' {
        let mut r = q + 1;
        while r < le && b[r] != b'\'' {
            r += 1;
        }
        if r >= le || r == q + 1 {
            return None;
        }
        key_span = q + 1..r;
        q = r + 1;
    } else {
        let s = q;
        while q < le && b[q] != b'=' && b[q] != b'#' && !is_hspace(b[q]) {
            q += 1;
        }
        if q == s {
            return None;
        }
        key_span = s..q;
    }
    let key = text[key_span.clone()].to_string();
    while q < le && is_hspace(b[q]) {
        q += 1;
    }
    let mut entry = Entry {
        span: line_start..le,
        export,
        key,
        key_span,
        eq: None,
        space_after_eq: None,
        raw_span: q..q,
        quote: Quote::None,
        inner_span: q..q,
        value: None,
        docker_value: None,
        inner_leading_ws: None,
        inner_trailing_ws: None,
        trailing_ws: None,
        ws_after_close: None,
        comment: None,
        quote_problem: None,
        multiline: false,
        interpolations: Vec::new(),
    };
    if q >= le || b[q] != b'=' {
        // bare `KEY` (maybe with a comment); anything else is not a binding
        if q < le && b[q] != b'#' {
            return None;
        }
        if q < le {
            entry.comment = Some(q..le);
        }
        entry.span = line_start..entry.key_span.end;
        return Some((entry, le));
    }
    entry.eq = Some(q);
    // docker: the rest of the physical line after the first `=` on it
    let first_eq = b[p..le]
        .iter()
        .position(|&c| c == b'=')
        .map_or(q, |o| p + o);
    entry.docker_value = Some(text[first_eq + 1..le].to_string());
    let vs0 = q + 1;
    let mut v = vs0;
    while v < le && is_hspace(b[v]) {
        v += 1;
    }
    entry.space_after_eq = span_if(vs0..v);
    if v >= le {
        entry.raw_span = v..v;
        entry.inner_span = v..v;
        entry.value = Some(String::new());
        entry.span = line_start..le;
        return Some((entry, le));
    }
    if v > vs0 && b[v] == b'#' {
        // `KEY= # comment`: with whitespace after `=`, python-dotenv reads an empty value
        // and a comment (`KEY=#x` is the value `#x`)
        entry.raw_span = v..v;
        entry.inner_span = v..v;
        entry.value = Some(String::new());
        entry.comment = Some(v..le);
        entry.span = line_start..le;
        return Some((entry, le));
    }
    let quote = Quote::of(b[v]);
    if quote == Quote::None {
        parse_unquoted(text, &mut entry, v, le);
        entry.span = line_start..le;
        return Some((entry, le));
    }
    entry.quote = quote;
    let qc = b[v];
    // find the closing quote; double quotes (and, in Node/compose, the others) may span
    // lines, but a value that never closes is judged on its first line only
    let mut r = v + 1;
    let mut close = None;
    while r < b.len() {
        let c = b[r];
        if c == b'\\' && r + 1 < b.len() && qc != b'`' {
            r += 2;
            continue;
        }
        if c == qc {
            close = Some(r);
            break;
        }
        if is_nl(c) && qc == b'`' {
            break;
        }
        r += 1;
    }
    if let Some(c) = close {
        if c > le && !closes_cleanly(b, v, c, le) {
            // A quote that only closes lines later, leaving junk or a different quote on
            // the first line, was forgotten: judge the first line on its own so the lines
            // after it still parse.
            close = None;
        }
    }
    let close = match close {
        Some(c) => c,
        None => {
            // Unclosed: judge the first line as written. Another quote character at the
            // end means the quotes were mismatched rather than forgotten.
            let mut e = le;
            while e > v + 1 && is_hspace(b[e - 1]) {
                e -= 1;
            }
            let last = b[e - 1];
            entry.quote_problem = if e - 1 > v && matches!(last, b'"' | b'\'' | b'`') && last != qc
            {
                Some(QuoteProblem::Mismatched {
                    open: v,
                    close: e - 1,
                })
            } else {
                Some(QuoteProblem::Unclosed { open: v })
            };
            entry.raw_span = v..e;
            entry.inner_span = v + 1..e;
            entry.trailing_ws = span_if(e..le);
            entry.span = line_start..le;
            return Some((entry, le));
        }
    };
    entry.raw_span = v..close + 1;
    entry.inner_span = v + 1..close;
    let inner = &b[v + 1..close];
    entry.multiline = inner.iter().any(|&c| is_nl(c));
    let lead = inner.iter().take_while(|&&c| is_hspace(c)).count();
    if lead > 0 && lead < inner.len() {
        entry.inner_leading_ws = Some(v + 1..v + 1 + lead);
    }
    let trail = inner.iter().rev().take_while(|&&c| is_hspace(c)).count();
    if trail > 0 {
        entry.inner_trailing_ws = Some(close - trail..close);
    }
    if lead == inner.len() && lead > 0 {
        // a value of only spaces: report it once, as leading
        entry.inner_leading_ws = Some(v + 1..close);
        entry.inner_trailing_ws = None;
    }
    let last_le = line_end(b, close);
    entry.span = line_start..last_le;
    // after the closing quote: whitespace, an optional comment, the end of the line
    let mut a = close + 1;
    while a < last_le && is_hspace(b[a]) {
        a += 1;
    }
    let mut ok = true;
    if a < last_le {
        if b[a] == b'#' {
            entry.comment = Some(a..last_le);
        } else {
            ok = false;
            entry.quote_problem = Some(QuoteProblem::TextAfterClose {
                close,
                rest: a..last_le,
            });
            entry.span = line_start..last_le;
        }
    } else {
        entry.ws_after_close = span_if(close + 1..last_le);
    }
    if ok && quote != Quote::Backtick {
        entry.value = Some(decode(&text[v + 1..close], quote));
    }
    if ok && quote == Quote::Backtick {
        // python-dotenv reads a backtick as an ordinary character of an unquoted value
        let mut e = last_le;
        if let Some(c) = &entry.comment {
            e = c.start;
        }
        entry.value = Some(text[v..e].trim_end().to_string());
    }
    if quote == Quote::Double {
        entry.interpolations = interpolations(text, v + 1..close);
    }
    if entry.multiline {
        // docker reads only the first line of it
        let fl = line_end(b, p);
        entry.docker_value = Some(text[first_eq + 1..fl].to_string());
    }
    Some((entry, last_le))
}

/// Whether a value opened at `v` and closed at `c` on a later line (the first line ends at
/// `le`) is a genuine multi-line value: the first line does not end in another quote and
/// nothing but a comment follows the closing quote.
fn closes_cleanly(b: &[u8], v: usize, c: usize, le: usize) -> bool {
    let mut e = le;
    while e > v + 1 && is_hspace(b[e - 1]) {
        e -= 1;
    }
    if e > v + 1 && matches!(b[e - 1], b'"' | b'\'' | b'`') && b[e - 1] != b[v] {
        return false;
    }
    // a later line that reads as a binding of its own means the quote was left open
    let mut l = next_line(b, le);
    while l < c {
        let e = line_end(b, l);
        if looks_like_binding(&b[l..e.min(c)]) {
            return false;
        }
        l = next_line(b, e);
    }
    let last_le = line_end(b, c);
    let mut a = c + 1;
    while a < last_le && is_hspace(b[a]) {
        a += 1;
    }
    a == last_le || b[a] == b'#'
}

/// `NAME=value` with a shell-style name and something after the `=` other than base64
/// padding.
fn looks_like_binding(line: &[u8]) -> bool {
    let mut i = 0;
    while i < line.len() && is_hspace(line[i]) {
        i += 1;
    }
    if line[i..].starts_with(b"export ") {
        i += 7;
    }
    let s = i;
    while i < line.len() && (line[i].is_ascii_alphanumeric() || line[i] == b'_') {
        i += 1;
    }
    i > s
        && !line[s].is_ascii_digit()
        && i + 1 < line.len()
        && line[i] == b'='
        && line[i + 1] != b'='
}

fn parse_unquoted(text: &str, entry: &mut Entry, v: usize, le: usize) {
    let b = text.as_bytes();
    // python-dotenv: an inline comment starts at whitespace followed by `#`
    let mut end = le;
    let mut k = v;
    while k < le {
        if b[k] == b'#' && k > v && is_hspace(b[k - 1]) {
            entry.comment = Some(k..le);
            end = k;
            break;
        }
        k += 1;
    }
    let mut e = end;
    while e > v && is_hspace(b[e - 1]) {
        e -= 1;
    }
    if entry.comment.is_none() {
        entry.trailing_ws = span_if(e..le);
    }
    entry.raw_span = v..e;
    entry.inner_span = v..e;
    entry.value = Some(text[v..e].to_string());
    if e > v {
        let last = b[e - 1];
        if matches!(last, b'"' | b'\'') {
            entry.quote_problem = Some(QuoteProblem::Stray { at: e - 1 });
        }
    }
    entry.interpolations = interpolations(text, v..e);
}

/// Decode the escapes python-dotenv decodes: `\\ \' \" \a \b \f \n \r \t \v` in double
/// quotes, `\\ \'` in single quotes.
fn decode(s: &str, quote: Quote) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(n) = chars.clone().next() else {
            out.push(c);
            break;
        };
        let d = match (quote, n) {
            (_, '\\') => Some('\\'),
            (_, '\'') => Some('\''),
            (Quote::Double, '"') => Some('"'),
            (Quote::Double, 'a') => Some('\u{7}'),
            (Quote::Double, 'b') => Some('\u{8}'),
            (Quote::Double, 'f') => Some('\u{c}'),
            (Quote::Double, 'n') => Some('\n'),
            (Quote::Double, 'r') => Some('\r'),
            (Quote::Double, 't') => Some('\t'),
            (Quote::Double, 'v') => Some('\u{b}'),
            _ => None,
        };
        match d {
            Some(d) => {
                out.push(d);
                chars.next();
            }
            None => out.push(c),
        }
    }
    out
}

/// `${NAME}` and `${NAME:-default}` references in `range` of `text`.
pub fn interpolations(text: &str, range: Range<usize>) -> Vec<Interpolation> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = range.start;
    let end = range.end.min(b.len());
    while i + 1 < end {
        if b[i] == b'$' && b[i + 1] == b'{' {
            let ns = i + 2;
            let mut n = ns;
            while n < end && (b[n].is_ascii_alphanumeric() || b[n] == b'_') {
                n += 1;
            }
            if n > ns && n < end && !b[ns].is_ascii_digit() {
                let mut default = None;
                let mut close = None;
                if b[n] == b'}' {
                    close = Some(n);
                } else if b[n] == b':' && n + 1 < end && b[n + 1] == b'-' {
                    let ds = n + 2;
                    let mut d = ds;
                    while d < end && b[d] != b'}' && !is_nl(b[d]) {
                        d += 1;
                    }
                    if d < end && b[d] == b'}' {
                        default = Some(ds..d);
                        close = Some(d);
                    }
                }
                if let Some(c) = close {
                    out.push(Interpolation {
                        name: text[ns..n].to_string(),
                        name_span: ns..n,
                        span: i..c + 1,
                        default,
                    });
                    i = c + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Entry {
        let d = parse(text);
        assert_eq!(d.entries.len(), 1, "{d:?}");
        d.entries.into_iter().next().expect("present")
    }

    #[test]
    fn simple_unquoted() {
        let t = "OPENAI_API_KEY=sk-abc\n";
        let e = one(t);
        assert_eq!(e.key, "OPENAI_API_KEY");
        assert_eq!(e.key_span, 0..14);
        assert_eq!(e.eq, Some(14));
        assert_eq!(e.raw(t), "sk-abc");
        assert_eq!(e.value.as_deref(), Some("sk-abc"));
        assert_eq!(e.docker_value.as_deref(), Some("sk-abc"));
        assert_eq!(e.quote, Quote::None);
        assert_eq!(e.span, 0..21);
        assert!(e.trailing_ws.is_none() && e.quote_problem.is_none());
    }

    #[test]
    fn export_prefix() {
        let t = "export  TOKEN=abc";
        let e = one(t);
        assert_eq!(e.export, Some(0..6));
        assert_eq!(e.key, "TOKEN");
        assert_eq!(&t[e.key_span.clone()], "TOKEN");
        // docker sees "export  TOKEN" as the name; the value is still after the `=`
        assert_eq!(e.docker_value.as_deref(), Some("abc"));
        let e = one("export=1");
        assert_eq!(e.key, "export");
        assert!(e.export.is_none());
    }

    #[test]
    fn trailing_ws_unquoted_vs_crlf() {
        let t = "KEY=abc   \nB=c\r\nC=d \r\n";
        let d = parse(t);
        assert_eq!(d.entries.len(), 3);
        assert_eq!(d.entries[0].trailing_ws, Some(7..10));
        assert_eq!(d.entries[0].value.as_deref(), Some("abc"));
        assert_eq!(d.entries[0].docker_value.as_deref(), Some("abc   "));
        assert_eq!(d.entries[1].trailing_ws, None, "\\r is a line ending");
        assert_eq!(d.entries[1].value.as_deref(), Some("c"));
        assert_eq!(d.entries[1].docker_value.as_deref(), Some("c"));
        assert_eq!(d.entries[2].trailing_ws, Some(19..20));
    }

    #[test]
    fn crlf_file_is_clean() {
        let t = "# windows\r\nA=B\r\nF=BAR\r\n\r\nFOO=BAR\r\n";
        let d = parse(t);
        assert_eq!(d.comments, vec![0..9]);
        assert_eq!(d.entries.len(), 3);
        for e in &d.entries {
            assert!(e.trailing_ws.is_none() && e.quote_problem.is_none() && e.comment.is_none());
            assert!(!e.raw(t).contains('\r'));
        }
    }

    #[test]
    fn lone_cr_is_a_line_ending() {
        let d = parse("A=1\rB=2");
        assert_eq!(d.entries.len(), 2);
        assert_eq!(d.entries[1].key, "B");
    }

    #[test]
    fn space_after_eq() {
        let t = "OPENAI_API_KEY= sk-abc";
        let e = one(t);
        assert_eq!(e.space_after_eq, Some(15..16));
        assert_eq!(e.value.as_deref(), Some("sk-abc"));
        assert_eq!(e.docker_value.as_deref(), Some(" sk-abc"));
    }

    #[test]
    fn quoted_whitespace() {
        let t = "AWS_REGION=\"us-east-1 \"\nK=' abc'\nE=\"  \"\nOK=\"a b\"";
        let d = parse(t);
        let e = &d.entries[0];
        assert_eq!(e.quote, Quote::Double);
        assert_eq!(e.inner(t), "us-east-1 ");
        assert_eq!(e.inner_trailing_ws, Some(21..22));
        assert_eq!(e.inner_leading_ws, None);
        assert_eq!(e.value.as_deref(), Some("us-east-1 "));
        assert_eq!(e.docker_value.as_deref(), Some("\"us-east-1 \""));
        let e = &d.entries[1];
        assert_eq!(e.quote, Quote::Single);
        assert_eq!(e.inner_leading_ws.clone().map(|r| &t[r]), Some(" "));
        let e = &d.entries[2];
        assert_eq!(e.inner_leading_ws.clone().map(|r| &t[r]), Some("  "));
        assert!(e.inner_trailing_ws.is_none());
        let e = &d.entries[3];
        assert!(e.inner_leading_ws.is_none() && e.inner_trailing_ws.is_none());
    }

    #[test]
    fn inline_comments() {
        let t = "A=abc # note\nB=abc#not\nC=\"x\" # c\nD='y'#c\nE= # only\n";
        let d = parse(t);
        assert_eq!(d.entries[0].value.as_deref(), Some("abc"));
        assert_eq!(d.entries[0].comment.clone().map(|r| &t[r]), Some("# note"));
        assert!(d.entries[0].trailing_ws.is_none());
        assert_eq!(d.entries[0].docker_value.as_deref(), Some("abc # note"));
        assert_eq!(d.entries[1].value.as_deref(), Some("abc#not"));
        assert!(d.entries[1].comment.is_none());
        assert_eq!(d.entries[2].value.as_deref(), Some("x"));
        assert_eq!(d.entries[2].comment.clone().map(|r| &t[r]), Some("# c"));
        assert_eq!(d.entries[3].value.as_deref(), Some("y"));
        assert!(d.entries[3].quote_problem.is_none());
        // `E= # only`: python-dotenv (1.2) reads an empty value and a comment
        assert_eq!(d.entries[4].value.as_deref(), Some(""));
        assert_eq!(d.entries[4].comment.clone().map(|r| &t[r]), Some("# only"));
        assert_eq!(parse("E=#v").entries[0].value.as_deref(), Some("#v"));
    }

    #[test]
    fn full_line_comments_and_blank_lines() {
        let t = "  # indented comment\n\n   \nA=1\n#B=2\n";
        let d = parse(t);
        assert_eq!(d.comments.len(), 2);
        assert_eq!(&t[d.comments[0].clone()], "# indented comment");
        assert_eq!(d.entries.len(), 1);
    }

    #[test]
    fn empty_and_bare() {
        let d = parse("A=\nB\nC= \n");
        assert_eq!(d.entries.len(), 3);
        assert_eq!(d.entries[0].value.as_deref(), Some(""));
        assert_eq!(d.entries[0].raw_span, 2..2);
        assert_eq!(d.entries[1].eq, None);
        assert_eq!(d.entries[1].value, None);
        assert_eq!(d.entries[1].docker_value, None);
        assert_eq!(d.entries[2].value.as_deref(), Some(""));
        assert_eq!(d.entries[2].space_after_eq, Some(7..8));
    }

    #[test]
    fn multiline_pem() {
        let t = "# key\nJWT=\"-----BEGIN PRIVATE KEY-----\nMIGH\nAAAA\n-----END PRIVATE KEY-----\"\nALG=ES256\n";
        let d = parse(t);
        assert_eq!(d.entries.len(), 2);
        let e = &d.entries[0];
        assert!(e.multiline);
        assert!(e.quote_problem.is_none());
        assert!(e.inner_trailing_ws.is_none() && e.inner_leading_ws.is_none());
        assert!(e
            .value
            .as_deref()
            .expect("present")
            .ends_with("-----END PRIVATE KEY-----"));
        assert_eq!(
            e.docker_value.as_deref(),
            Some("\"-----BEGIN PRIVATE KEY-----")
        );
        assert_eq!(&t[e.span.clone()], &t[6..t.find("\nALG").expect("present")]);
        assert_eq!(d.entries[1].key, "ALG");
    }

    #[test]
    fn escapes_in_double_quotes() {
        let e = one(r#"A="a\"b\nc\\d\q""#);
        assert_eq!(e.value.as_deref(), Some("a\"b\nc\\d\\q"));
        let e = one(r"A='a\'b\n'");
        assert_eq!(e.value.as_deref(), Some("a'b\\n"));
    }

    #[test]
    fn unclosed_and_mismatched_quotes() {
        let d = parse("A=\"abc\nB='abc\"\nC='x\nD=ok");
        assert_eq!(d.entries.len(), 4);
        // a double quote that never closes anywhere in the file
        assert_eq!(
            d.entries[0].quote_problem,
            Some(QuoteProblem::Unclosed { open: 2 })
        );
        assert_eq!(d.entries[0].value, None);
        assert_eq!(d.entries[0].docker_value.as_deref(), Some("\"abc"));
        assert_eq!(
            d.entries[1].quote_problem,
            Some(QuoteProblem::Mismatched { open: 9, close: 13 })
        );
        assert_eq!(
            d.entries[2].quote_problem,
            Some(QuoteProblem::Unclosed { open: 17 })
        );
        assert_eq!(d.entries[3].key, "D");
    }

    #[test]
    fn text_after_close_and_stray() {
        let t = "A=\"abc\"def\nB=abc\"\nC=it's\n";
        let d = parse(t);
        assert!(matches!(
            d.entries[0].quote_problem,
            Some(QuoteProblem::TextAfterClose { close: 6, .. })
        ));
        assert_eq!(d.entries[0].value, None);
        assert_eq!(
            d.entries[1].quote_problem,
            Some(QuoteProblem::Stray { at: 16 })
        );
        assert_eq!(d.entries[2].quote_problem, None);
    }

    #[test]
    fn double_quote_spans_lines_until_a_later_quote() {
        // python-dotenv reads `A` as `abc\nB=` and then fails on `x"`: the quote on line 1
        // was forgotten, and line 2 is still read as its own entry
        let t = "A=\"abc\nB=\"x\"\n";
        let d = parse(t);
        assert_eq!(d.entries.len(), 2);
        assert_eq!(
            d.entries[0].quote_problem,
            Some(QuoteProblem::Unclosed { open: 2 })
        );
        assert_eq!(d.entries[1].value.as_deref(), Some("x"));
        let t = "A=\"abc'\nB=\"x\"\n";
        let d = parse(t);
        assert_eq!(
            d.entries[0].quote_problem,
            Some(QuoteProblem::Mismatched { open: 2, close: 6 })
        );
        assert_eq!(d.entries.len(), 2);
    }

    #[test]
    fn backtick() {
        let e = one("A=`abc`");
        assert_eq!(e.quote, Quote::Backtick);
        assert_eq!(e.value.as_deref(), Some("`abc`"));
    }

    #[test]
    fn quoted_key() {
        let e = one("'MY KEY'=1");
        assert_eq!(e.key, "MY KEY");
        assert_eq!(e.key_span, 1..7);
    }

    #[test]
    fn interpolation_refs() {
        let t = "URL=http://${HOST}:${PORT:-80}/x\nS='${NOT}'\nD=\"${YES}\"\nX=${1} ${A";
        let d = parse(t);
        let names: Vec<_> = d.entries[0]
            .interpolations
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(names, ["HOST", "PORT"]);
        let p = &d.entries[0].interpolations[1];
        assert_eq!(&t[p.default.clone().expect("present")], "80");
        assert_eq!(&t[p.name_span.clone()], "PORT");
        assert!(d.entries[1].interpolations.is_empty());
        assert_eq!(d.entries[2].interpolations[0].name, "YES");
        assert!(d.entries[3].interpolations.is_empty());
    }

    #[test]
    fn invalid_lines() {
        let d = parse("=value\nnot a binding\nA=1\n");
        assert_eq!(d.invalid.len(), 2);
        assert_eq!(d.entries.len(), 1);
    }

    #[test]
    fn bom() {
        let e = one("\u{feff}A=1");
        assert_eq!(e.key, "A");
    }

    #[test]
    fn never_panics_on_random_bytes() {
        let mut seed = 0x2545F4914F6CDD1Du64;
        let alphabet = b"AB=#'\"` \t\r\n\\${}:-x\xc3\xa9\xff";
        for len in 0..400 {
            let mut bytes = Vec::with_capacity(len);
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let pick = (seed % (alphabet.len() as u64 + 8)) as usize;
                bytes.push(if pick < alphabet.len() {
                    alphabet[pick]
                } else {
                    (seed >> 32) as u8
                });
            }
            let text = String::from_utf8_lossy(&bytes);
            let d = parse(&text);
            for e in &d.entries {
                let _ = (
                    &text[e.span.clone()],
                    e.raw(&text),
                    e.inner(&text),
                    &text[e.key_span.clone()],
                );
                for r in [
                    &e.trailing_ws,
                    &e.inner_leading_ws,
                    &e.inner_trailing_ws,
                    &e.comment,
                ]
                .into_iter()
                .flatten()
                {
                    let _ = &text[r.clone()];
                }
            }
        }
    }

    #[test]
    fn linear_on_large_input() {
        let big = "A=\"".to_string() + &"x".repeat(2_000_000);
        let d = parse(&big);
        assert_eq!(d.entries.len(), 1);
        let many = "K=v # c\n".repeat(200_000);
        assert_eq!(parse(&many).entries.len(), 200_000);
    }
}
