//! Dockerfile parser: one pass over the text into a typed model with byte spans.
//!
//! Rules never re-split raw lines; they read [`Dockerfile`] and report the spans it
//! carries. Every span is a `Range<usize>` of byte offsets into the text given to
//! [`parse`], so `&text[span]` is always valid.
//!
//! What the parser understands, following BuildKit's Dockerfile frontend:
//! - parser directives at the top of the file (`# escape=`` ` ``, `# syntax=`), which
//!   change the escape character used for line continuations and word quoting;
//! - line continuations (escape character at the end of a line, trailing blanks
//!   allowed), with comment lines and empty lines inside a continuation skipped;
//! - heredocs (`RUN <<EOF`, `<<-EOF`, `<<"EOF"`, several per instruction) whose bodies
//!   belong to the instruction;
//! - flags (`--mount=type=secret,id=x`, `--from=build`, `--chmod=600`);
//! - the JSON (exec) form of `RUN`, `CMD`, `ENTRYPOINT`, `COPY` and `ADD`;
//! - stages (`FROM image AS name`): each instruction records the stage it belongs to;
//! - `ARG`, `ENV` and `LABEL` pairs in every form (`ENV A=1 B="two words"`, legacy
//!   `ENV KEY value with spaces`, `ARG NAME`, `ARG NAME=default`).
//!
//! Why hand-written scanning and not a grammar or regexes: the format is line-based
//! with a handful of quoting rules, a single linear pass keeps the cost proportional
//! to the file size, and a malformed instruction can be kept as
//! [`InstructionKind::Other`] instead of failing the whole file. Nothing here panics
//! on any input (the tests feed it truncated and garbage instructions).

use std::ops::Range;

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    /// The escape character in force (`\` unless an `# escape=` directive says otherwise).
    pub escape: char,
    /// Every instruction, in file order. Comments are not instructions.
    pub instructions: Vec<Instruction>,
    /// Build stages, one per `FROM`, in file order.
    pub stages: Vec<Stage>,
}

/// One build stage, opened by a `FROM` instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// Index of the `FROM` instruction in [`Dockerfile::instructions`].
    pub instruction: usize,
    /// The base image as written (`node:20`, `${BASE}`, or an earlier stage's name).
    pub image: Word,
    /// The stage name after `AS`, if any.
    pub name: Option<Word>,
}

/// One instruction, possibly spread over several lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The keyword, uppercased (`RUN`, `ENV`, ...).
    pub keyword: String,
    /// Where the keyword is written.
    pub keyword_span: Range<usize>,
    /// The whole instruction: from the keyword to the end of its last line (without the
    /// line break), including continuation lines and heredoc bodies.
    pub span: Range<usize>,
    /// The build stage this instruction belongs to (index into [`Dockerfile::stages`]);
    /// `None` before the first `FROM` (global `ARG`s).
    pub stage: Option<usize>,
    /// Flags written before the arguments (`--mount=...`, `--from=...`).
    pub flags: Vec<Flag>,
    /// Heredocs opened by this instruction, in order.
    pub heredocs: Vec<Heredoc>,
    /// The arguments after the keyword and flags, up to the end of the instruction line
    /// (heredoc bodies excluded; a continuation inside is part of the span).
    pub args_span: Range<usize>,
    /// What the arguments mean for this keyword.
    pub kind: InstructionKind,
}

/// The typed arguments of an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstructionKind {
    /// `FROM image [AS name]`; the stage index is [`Instruction::stage`].
    From,
    /// `ARG NAME[=default] ...`
    Arg(Vec<KeyValue>),
    /// `ENV KEY=value ...` or legacy `ENV KEY value`.
    Env(Vec<KeyValue>),
    /// `LABEL key=value ...`
    Label(Vec<KeyValue>),
    /// `RUN`, `CMD` or `ENTRYPOINT`.
    Command(Command),
    /// `COPY` or `ADD`.
    Copy(CopyArgs),
    /// Any other keyword, or an instruction whose arguments could not be understood.
    Other,
}

/// A `--name[=value]` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The flag name without the leading dashes (`mount`, `from`).
    pub name: String,
    /// The value after `=`, unquoted (`type=secret,id=npm`), if any.
    pub value: Option<String>,
    /// Where the value is written.
    pub value_span: Option<Range<usize>>,
    /// The whole flag, dashes included.
    pub span: Range<usize>,
}

/// A heredoc attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word, without quotes.
    pub delimiter: String,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub strip_tabs: bool,
    /// The delimiter was quoted, so the body is not expanded.
    pub quoted: bool,
    /// The `<<EOF` marker in the instruction line.
    pub marker_span: Range<usize>,
    /// The body lines, without the terminator line (empty range if the body is empty).
    pub body_span: Range<usize>,
    /// Whether a terminator line was found (an unterminated heredoc runs to the end of file).
    pub terminated: bool,
}

/// A word with its unquoted text and the span of its raw spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The text with quotes and escapes removed (`$VAR` references are kept as written).
    pub text: String,
    /// The raw word in the file, quotes included.
    pub span: Range<usize>,
}

/// One `KEY=value` (or `KEY value`, or bare `KEY`) entry of `ARG`, `ENV` or `LABEL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    /// The name, unquoted.
    pub key: String,
    /// Where the name is written.
    pub key_span: Range<usize>,
    /// The value with quotes and escapes removed; `None` for `ARG NAME` without default.
    pub value: Option<String>,
    /// The raw value, quotes included; `None` when there is no value.
    pub value_span: Option<Range<usize>>,
    /// The legacy `ENV KEY value` form (no `=`).
    pub legacy: bool,
}

/// The arguments of `RUN`, `CMD` or `ENTRYPOINT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The command text: the shell string, or the JSON array as written.
    pub span: Range<usize>,
    /// Shell form or exec form.
    pub form: CommandForm,
}

/// How a command is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandForm {
    /// `RUN make build`: passed to the shell.
    Shell,
    /// `RUN ["make", "build"]`: the JSON array's strings.
    Exec(Vec<Word>),
}

/// The arguments of `COPY` or `ADD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyArgs {
    /// Source paths (a heredoc source appears as its `<<EOF` marker).
    pub sources: Vec<Word>,
    /// The destination, if one was written.
    pub dest: Option<Word>,
    /// Written in JSON form (`COPY ["a", "b", "/dst/"]`).
    pub json: bool,
}

impl Dockerfile {
    /// The `ENV`/`ARG` pairs of every instruction, with the instruction they belong to.
    pub fn key_values(&self) -> impl Iterator<Item = (&Instruction, &KeyValue)> {
        self.instructions.iter().flat_map(|ins| {
            let kvs: &[KeyValue] = match &ins.kind {
                InstructionKind::Arg(kvs) | InstructionKind::Env(kvs) => kvs,
                _ => &[],
            };
            kvs.iter().map(move |kv| (ins, kv))
        })
    }
}

impl Instruction {
    /// The flag with this name (`mount`, `from`), if present.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
}

/// Parses a Dockerfile. Never fails: unknown or malformed instructions are kept as
/// [`InstructionKind::Other`].
pub fn parse(text: &str) -> Dockerfile {
    let escape = read_escape_directive(text);
    let mut lines = Lines::new(text);
    let mut instructions = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();

    while let Some(line) = lines.next() {
        let content = &text[line.content.clone()];
        let trimmed = content.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let start = line.content.start + (content.len() - trimmed.len());
        let logical = read_logical_line(text, start, &line, &mut lines, escape);
        let mut ins = parse_instruction(&logical, escape);
        // Heredoc bodies follow the instruction's last line.
        let heredoc_markers = if matches!(ins.keyword.as_str(), "RUN" | "COPY" | "ADD") {
            find_heredoc_markers(&logical.text, escape)
        } else {
            Vec::new()
        };
        for marker in heredoc_markers {
            let doc = read_heredoc(text, &logical, marker, &mut lines);
            ins.span.end = ins.span.end.max(doc.heredoc.body_span.end);
            if let Some(end) = doc.terminator_end {
                ins.span.end = ins.span.end.max(end);
            }
            ins.heredocs.push(doc.heredoc);
        }
        let stage = (ins.keyword == "FROM")
            .then(|| parse_from(&logical, &ins, instructions.len(), escape))
            .flatten();
        if let Some(stage) = stage {
            stages.push(stage);
            ins.kind = InstructionKind::From;
        }
        ins.stage = stages.len().checked_sub(1);
        instructions.push(ins);
    }

    Dockerfile {
        escape,
        instructions,
        stages,
    }
}

/// Reads `# escape=X` among the parser directives at the top of the file.
///
/// Directives are `# key=value` comment lines before anything else; the first line
/// that is not one ends them (BuildKit's rule).
fn read_escape_directive(text: &str) -> char {
    let mut escape = '\\';
    for line in text.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = rest.split_once('=') else {
            break;
        };
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() || key.contains(char::is_whitespace) {
            break;
        }
        if key == "escape" {
            match value.trim() {
                "`" => escape = '`',
                "\\" => escape = '\\',
                _ => {}
            }
        }
    }
    escape
}

/// One physical line: `content` excludes the line break (and a `\r` before it).
#[derive(Debug, Clone)]
struct Line {
    content: Range<usize>,
}

/// Iterator over physical lines with byte ranges.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines { text, pos: 0 }
    }
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text.as_bytes()[start..];
        let (mut end, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (start + i, start + i + 1),
            None => (self.text.len(), self.text.len()),
        };
        if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        self.pos = next;
        Some(Line {
            content: start..end,
        })
    }
}

/// An instruction's physical lines joined into one string, with a map back to the text.
struct Logical {
    /// The joined text (continuation escapes and line breaks removed).
    text: String,
    /// `(logical_start, text_start, len)` of each piece, in order.
    pieces: Vec<(usize, usize, usize)>,
    /// End of the instruction's last line in the original text.
    end: usize,
}

impl Logical {
    /// Maps a logical offset to a text offset (for span starts).
    fn at(&self, logical: usize) -> usize {
        let idx = self
            .pieces
            .partition_point(|p| p.0 <= logical)
            .saturating_sub(1);
        match self.pieces.get(idx) {
            Some(&(lstart, tstart, len)) => tstart + (logical - lstart).min(len),
            None => self.end,
        }
    }

    /// Maps a logical offset to a text offset as a span end (stays inside the piece that
    /// holds the last byte, so a span never swallows a continuation it ends before).
    fn at_end(&self, logical: usize) -> usize {
        if logical == 0 {
            return self.at(0);
        }
        self.at(logical - 1) + 1
    }

    fn span(&self, r: Range<usize>) -> Range<usize> {
        if r.is_empty() {
            let s = self.at(r.start);
            return s..s;
        }
        self.at(r.start)..self.at_end(r.end)
    }
}

/// Joins the continuation lines of the instruction that starts at `start` on `first`.
fn read_logical_line(
    text: &str,
    start: usize,
    first: &Line,
    lines: &mut Lines<'_>,
    escape: char,
) -> Logical {
    let mut logical = Logical {
        text: String::new(),
        pieces: Vec::new(),
        end: first.content.end,
    };
    let mut piece = start..first.content.end;
    loop {
        let s = &text[piece.clone()];
        let trimmed_end = s.trim_end_matches([' ', '\t']);
        let continues = trimmed_end.ends_with(escape);
        let keep = if continues {
            piece.start..piece.start + trimmed_end.len() - escape.len_utf8()
        } else {
            piece.clone()
        };
        logical
            .pieces
            .push((logical.text.len(), keep.start, keep.len()));
        logical.text.push_str(&text[keep]);
        logical.end = piece.end;
        if !continues {
            break;
        }
        // Next non-comment, non-empty line continues the instruction.
        let mut next_piece = None;
        for line in lines.by_ref() {
            let content = &text[line.content.clone()];
            let t = content.trim_start_matches([' ', '\t']);
            if t.starts_with('#') || t.trim_end().is_empty() {
                continue;
            }
            next_piece = Some(line.content);
            break;
        }
        match next_piece {
            Some(p) => piece = p,
            None => break,
        }
    }
    logical
}

/// A scanned shell word in logical coordinates.
#[derive(Debug, Clone)]
struct RawWord {
    range: Range<usize>,
}

/// Splits `s[from..]` into shell-like words: blanks separate words unless quoted or
/// escaped; quotes stay in the raw word.
fn split_words(s: &str, from: usize, escape: char) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut iter = s[from..]
        .char_indices()
        .map(|(i, c)| (i + from, c))
        .peekable();
    loop {
        while iter.next_if(|&(_, c)| c == ' ' || c == '\t').is_some() {}
        let Some(&(start, _)) = iter.peek() else {
            break;
        };
        let mut end = start;
        let mut quote: Option<char> = None;
        while let Some(&(i, c)) = iter.peek() {
            match quote {
                None if c == ' ' || c == '\t' => break,
                None if c == '"' || c == '\'' => quote = Some(c),
                Some(q) if c == q => quote = None,
                _ => {}
            }
            iter.next();
            end = i + c.len_utf8();
            // Escapes work outside quotes and inside double quotes.
            if c == escape && quote != Some('\'') {
                if let Some((j, d)) = iter.next() {
                    end = j + d.len_utf8();
                }
            }
        }
        words.push(RawWord { range: start..end });
    }
    words
}

/// Removes quotes and escapes from a raw word, Docker-style: single quotes are literal,
/// double quotes honour the escape character, and `$VAR` is kept as written.
fn unquote(raw: &str, escape: char) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some('\'') => {
                if c == '\'' {
                    quote = None;
                } else {
                    out.push(c);
                }
            }
            Some(_) => {
                if c == '"' {
                    quote = None;
                } else if c == escape {
                    match chars.next() {
                        Some(d @ ('"' | '$')) => out.push(d),
                        Some(d) if d == escape => out.push(d),
                        Some(d) => {
                            out.push(c);
                            out.push(d);
                        }
                        None => out.push(c),
                    }
                } else {
                    out.push(c);
                }
            }
            None => {
                if c == '\'' || c == '"' {
                    quote = Some(c);
                } else if c == escape {
                    if let Some(d) = chars.next() {
                        out.push(d);
                    }
                } else {
                    out.push(c);
                }
            }
        }
    }
    out
}

fn parse_instruction(logical: &Logical, escape: char) -> Instruction {
    let s = logical.text.as_str();
    let kw_len = s.find([' ', '\t']).unwrap_or(s.len());
    let keyword = s[..kw_len].to_ascii_uppercase();
    let keyword_span = logical.span(0..kw_len);
    let span_start = logical.at(0);
    let mut ins = Instruction {
        keyword,
        keyword_span,
        span: span_start..logical.end,
        stage: None,
        flags: Vec::new(),
        heredocs: Vec::new(),
        args_span: logical.end..logical.end,
        kind: InstructionKind::Other,
    };
    let words = split_words(s, kw_len, escape);
    let takes_flags = matches!(
        ins.keyword.as_str(),
        "FROM" | "RUN" | "COPY" | "ADD" | "HEALTHCHECK"
    );
    let mut first_arg = 0;
    if takes_flags {
        for w in &words {
            let raw = &s[w.range.clone()];
            let Some(body) = raw.strip_prefix("--") else {
                break;
            };
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            let value_start = w.range.start + 2 + name.len() + 1;
            ins.flags.push(Flag {
                name: name.to_string(),
                value: value.map(|v| unquote(v, escape)),
                value_span: value.map(|_| logical.span(value_start..w.range.end)),
                span: logical.span(w.range.clone()),
            });
            first_arg += 1;
        }
    }
    let args = &words[first_arg..];
    let Some(first) = args.first() else {
        return ins;
    };
    let args_start = first.range.start;
    let args_end = s.trim_end_matches([' ', '\t']).len().max(args_start);
    ins.args_span = logical.span(args_start..args_end);
    ins.kind = match ins.keyword.as_str() {
        "ENV" => parse_pairs(s, args, args_end, logical, escape, true)
            .map_or(InstructionKind::Other, InstructionKind::Env),
        "LABEL" => parse_pairs(s, args, args_end, logical, escape, true)
            .map_or(InstructionKind::Other, InstructionKind::Label),
        "ARG" => parse_pairs(s, args, args_end, logical, escape, false)
            .map_or(InstructionKind::Other, InstructionKind::Arg),
        "RUN" | "CMD" | "ENTRYPOINT" => {
            let form = match parse_json_array(&s[args_start..args_end], args_start, logical) {
                Some(words) => CommandForm::Exec(words),
                None => CommandForm::Shell,
            };
            InstructionKind::Command(Command {
                span: ins.args_span.clone(),
                form,
            })
        }
        "COPY" | "ADD" => parse_copy(s, args, args_start, args_end, logical, escape),
        _ => InstructionKind::Other,
    };
    ins
}

/// Parses `KEY=value` pairs (and the legacy `KEY value` form when `legacy_ok`).
/// Returns `None` for a malformed instruction.
fn parse_pairs(
    s: &str,
    args: &[RawWord],
    args_end: usize,
    logical: &Logical,
    escape: char,
    legacy_ok: bool,
) -> Option<Vec<KeyValue>> {
    let first = args.first()?;
    let first_raw = &s[first.range.clone()];
    if legacy_ok && !first_raw.contains('=') {
        // Legacy form: the name is the first word, the value is the rest of the line.
        let rest = args.get(1)?;
        let raw_value = &s[rest.range.start..args_end];
        return Some(vec![KeyValue {
            key: unquote(first_raw, escape),
            key_span: logical.span(first.range.clone()),
            value: Some(unquote(raw_value, escape)),
            value_span: Some(logical.span(rest.range.start..args_end)),
            legacy: true,
        }]);
    }
    let mut out = Vec::with_capacity(args.len());
    for w in args {
        let raw = &s[w.range.clone()];
        match raw.find('=') {
            Some(eq) => {
                if eq == 0 {
                    return None;
                }
                let value_start = w.range.start + eq + 1;
                out.push(KeyValue {
                    key: unquote(&raw[..eq], escape),
                    key_span: logical.span(w.range.start..w.range.start + eq),
                    value: Some(unquote(&raw[eq + 1..], escape)),
                    value_span: Some(logical.span(value_start..w.range.end)),
                    legacy: false,
                });
            }
            None if !legacy_ok => out.push(KeyValue {
                key: unquote(raw, escape),
                key_span: logical.span(w.range.clone()),
                value: None,
                value_span: None,
                legacy: false,
            }),
            None => return None,
        }
    }
    Some(out)
}

fn parse_copy(
    s: &str,
    args: &[RawWord],
    args_start: usize,
    args_end: usize,
    logical: &Logical,
    escape: char,
) -> InstructionKind {
    if let Some(mut words) = parse_json_array(&s[args_start..args_end], args_start, logical) {
        let dest = if words.len() >= 2 { words.pop() } else { None };
        return InstructionKind::Copy(CopyArgs {
            sources: words,
            dest,
            json: true,
        });
    }
    let mut words: Vec<Word> = args
        .iter()
        .map(|w| Word {
            text: unquote(&s[w.range.clone()], escape),
            span: logical.span(w.range.clone()),
        })
        .collect();
    // A heredoc source may be the only argument before the destination, but a lone
    // word is a malformed COPY (no destination).
    let dest = if words.len() >= 2 { words.pop() } else { None };
    InstructionKind::Copy(CopyArgs {
        sources: words,
        dest,
        json: false,
    })
}

/// Parses a JSON array of strings (`["a", "b"]`) that makes up all of `s`.
/// `base` is the logical offset of `s`. Returns `None` if `s` is not such an array.
fn parse_json_array(s: &str, base: usize, logical: &Logical) -> Option<Vec<Word>> {
    let b = s.as_bytes();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && matches!(b[*i], b' ' | b'\t' | b'\r' | b'\n') {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    if b.get(i) != Some(&b'[') {
        return None;
    }
    i += 1;
    let mut words = Vec::new();
    skip_ws(&mut i);
    if b.get(i) == Some(&b']') {
        i += 1;
        skip_ws(&mut i);
        return (i == b.len()).then_some(words);
    }
    loop {
        skip_ws(&mut i);
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let start = i;
        i += 1;
        let mut out = String::new();
        loop {
            let c = s[i..].chars().next()?;
            match c {
                '"' => {
                    i += 1;
                    break;
                }
                '\\' => {
                    let e = *b.get(i + 1)?;
                    i += 2;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hex = s.get(i..i + 4)?;
                            let code = u32::from_str_radix(hex, 16).ok()?;
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                            i += 4;
                        }
                        _ => return None,
                    }
                }
                c => {
                    out.push(c);
                    i += c.len_utf8();
                }
            }
        }
        words.push(Word {
            text: out,
            span: logical.span(base + start..base + i),
        });
        skip_ws(&mut i);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b']') => {
                i += 1;
                skip_ws(&mut i);
                return (i == b.len()).then_some(words);
            }
            _ => return None,
        }
    }
}

/// Reads `FROM [--platform=x] image [AS name]`.
fn parse_from(logical: &Logical, ins: &Instruction, index: usize, escape: char) -> Option<Stage> {
    let s = logical.text.as_str();
    let kw_len = s.find([' ', '\t']).unwrap_or(s.len());
    let words = split_words(s, kw_len, escape);
    let args: Vec<&RawWord> = words.iter().skip(ins.flags.len()).collect();
    let image = args.first()?;
    let name = match args.get(1) {
        Some(as_kw) if s[as_kw.range.clone()].eq_ignore_ascii_case("as") => {
            args.get(2).map(|w| Word {
                text: s[w.range.clone()].to_string(),
                span: logical.span(w.range.clone()),
            })
        }
        _ => None,
    };
    Some(Stage {
        instruction: index,
        image: Word {
            text: s[image.range.clone()].to_string(),
            span: logical.span(image.range.clone()),
        },
        name,
    })
}

/// A `<<EOF` marker found in an instruction line (logical coordinates).
struct HeredocMarker {
    range: Range<usize>,
    delimiter: String,
    strip_tabs: bool,
    quoted: bool,
}

/// Finds heredoc markers (`<<EOF`, `<<-EOF`, `<<'EOF'`, `<<"EOF"`) outside quotes.
/// `<<<` (a here-string) is not a heredoc.
fn find_heredoc_markers(s: &str, escape: char) -> Vec<HeredocMarker> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut quote: Option<u8> = None;
    let esc = if escape.is_ascii() {
        escape as u8
    } else {
        b'\\'
    };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == esc && q == b'"' {
                i += 1;
            }
            i += 1;
            continue;
        }
        if c == b'\'' || c == b'"' {
            quote = Some(c);
            i += 1;
            continue;
        }
        if c == esc {
            i += 2;
            continue;
        }
        if c == b'<' && b.get(i + 1) == Some(&b'<') {
            // A heredoc starts a word (optionally after a file descriptor number, as in
            // `0<<EOF`), as in BuildKit; `$((1<<2))` is arithmetic, not a heredoc.
            let mut k = i;
            while k > 0 && b[k - 1].is_ascii_digit() {
                k -= 1;
            }
            let starts_word = k == 0 || matches!(b[k - 1], b' ' | b'\t' | b';' | b'|' | b'&');
            if !starts_word {
                i += 2;
                continue;
            }
            if b.get(i + 2) == Some(&b'<') {
                // Here-string: skip all the angle brackets.
                while i < b.len() && b[i] == b'<' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            let mut j = i + 2;
            let strip_tabs = b.get(j) == Some(&b'-');
            if strip_tabs {
                j += 1;
            }
            let (delimiter, quoted, end) = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => match s[j + 1..].find(q as char) {
                    Some(k) => (s[j + 1..j + 1 + k].to_string(), true, j + 1 + k + 1),
                    None => {
                        i = j + 1;
                        continue;
                    }
                },
                _ => {
                    let k = s[j..]
                        .find(|c: char| {
                            c.is_whitespace()
                                || matches!(c, ';' | '|' | '&' | '<' | '>' | '(' | ')')
                        })
                        .map_or(s.len(), |k| j + k);
                    (s[j..k].to_string(), false, k)
                }
            };
            if delimiter.is_empty() {
                i = end.max(i + 2);
                continue;
            }
            out.push(HeredocMarker {
                range: start..end,
                delimiter,
                strip_tabs,
                quoted,
            });
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

struct ReadHeredoc {
    heredoc: Heredoc,
    terminator_end: Option<usize>,
}

/// Consumes the body lines of one heredoc, up to and including its terminator.
fn read_heredoc(
    text: &str,
    logical: &Logical,
    marker: HeredocMarker,
    lines: &mut Lines<'_>,
) -> ReadHeredoc {
    let body_start = lines.pos.min(text.len());
    let mut body_end = body_start;
    let mut terminator_end = None;
    for line in lines.by_ref() {
        let content = &text[line.content.clone()];
        let candidate = if marker.strip_tabs {
            content.trim_start_matches('\t')
        } else {
            content
        };
        if candidate == marker.delimiter {
            terminator_end = Some(line.content.end);
            break;
        }
        body_end = line.content.end;
    }
    ReadHeredoc {
        heredoc: Heredoc {
            delimiter: marker.delimiter,
            strip_tabs: marker.strip_tabs,
            quoted: marker.quoted,
            marker_span: logical.span(marker.range),
            body_span: body_start..body_end.max(body_start),
            terminated: terminator_end.is_some(),
        },
        terminator_end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kvs(ins: &Instruction) -> &[KeyValue] {
        match &ins.kind {
            InstructionKind::Arg(k) | InstructionKind::Env(k) | InstructionKind::Label(k) => k,
            other => panic!("not a key-value instruction: {other:?}"),
        }
    }

    /// (key, unquoted value, raw value text)
    fn triples<'a>(
        text: &'a str,
        ins: &Instruction,
    ) -> Vec<(String, Option<String>, Option<&'a str>)> {
        kvs(ins)
            .iter()
            .map(|kv| {
                assert_eq!(&text[kv.key_span.clone()], kv.key.as_str());
                (
                    kv.key.clone(),
                    kv.value.clone(),
                    kv.value_span.clone().map(|r| &text[r]),
                )
            })
            .collect()
    }

    #[test]
    fn env_forms() {
        let text = "FROM alpine\nENV A=1 B=\"two words\" C='single q' D=esc\\ aped\nENV LEGACY value with spaces\nENV E=\"say \\\"hi\\\"\"\n";
        let df = parse(text);
        assert_eq!(df.instructions.len(), 4);
        assert_eq!(
            triples(text, &df.instructions[1]),
            vec![
                ("A".into(), Some("1".into()), Some("1")),
                ("B".into(), Some("two words".into()), Some("\"two words\"")),
                ("C".into(), Some("single q".into()), Some("'single q'")),
                ("D".into(), Some("esc aped".into()), Some("esc\\ aped")),
            ]
        );
        let legacy = &df.instructions[2];
        assert_eq!(
            triples(text, legacy),
            vec![(
                "LEGACY".into(),
                Some("value with spaces".into()),
                Some("value with spaces")
            )]
        );
        assert!(kvs(legacy)[0].legacy);
        assert_eq!(
            triples(text, &df.instructions[3]),
            vec![(
                "E".into(),
                Some("say \"hi\"".into()),
                Some("\"say \\\"hi\\\"\"")
            )]
        );
    }

    #[test]
    fn arg_forms_and_global_args() {
        let text =
            "ARG BASE=alpine:3.19\nFROM ${BASE}\nARG NAME\nARG TOKEN=abc123 OTHER\narg lower=x\n";
        let df = parse(text);
        assert_eq!(df.instructions[0].stage, None);
        assert_eq!(
            triples(text, &df.instructions[0]),
            vec![(
                "BASE".into(),
                Some("alpine:3.19".into()),
                Some("alpine:3.19")
            )]
        );
        assert_eq!(df.instructions[2].stage, Some(0));
        assert_eq!(
            triples(text, &df.instructions[2]),
            vec![("NAME".into(), None, None)]
        );
        assert_eq!(
            triples(text, &df.instructions[3]),
            vec![
                ("TOKEN".into(), Some("abc123".into()), Some("abc123")),
                ("OTHER".into(), None, None)
            ]
        );
        assert_eq!(df.instructions[4].keyword, "ARG");
        assert_eq!(&text[df.instructions[4].keyword_span.clone()], "arg");
        assert_eq!(df.stages[0].image.text, "${BASE}");
    }

    #[test]
    fn continuations_and_comments_inside() {
        let text =
            "FROM x\nENV A=1 \\\n    # a comment inside\n\n    B=2 \\  \n    C=3\nRUN echo hi\n";
        let df = parse(text);
        assert_eq!(df.instructions.len(), 3);
        let env = &df.instructions[1];
        assert_eq!(
            triples(text, env),
            vec![
                ("A".into(), Some("1".into()), Some("1")),
                ("B".into(), Some("2".into()), Some("2")),
                ("C".into(), Some("3".into()), Some("3")),
            ]
        );
        assert_eq!(
            &text[env.span.clone()],
            "ENV A=1 \\\n    # a comment inside\n\n    B=2 \\  \n    C=3"
        );
        let run = &df.instructions[2];
        assert_eq!(&text[run.span.clone()], "RUN echo hi");
    }

    #[test]
    fn value_split_by_continuation_maps_back() {
        let text = "ENV KEY=abc\\\ndef\n";
        let df = parse(text);
        let kv = &kvs(&df.instructions[0])[0];
        assert_eq!(kv.value.as_deref(), Some("abcdef"));
        assert_eq!(&text[kv.value_span.clone().unwrap()], "abc\\\ndef");
    }

    #[test]
    fn escape_directive_backtick() {
        let text = "# escape=`\nFROM mcr.microsoft.com/windows\nENV PATH=C:\\Tools `\n    TOKEN=abc\nRUN dir c:\\\n";
        let df = parse(text);
        assert_eq!(df.escape, '`');
        assert_eq!(df.instructions.len(), 3);
        assert_eq!(
            triples(text, &df.instructions[1]),
            vec![
                ("PATH".into(), Some("C:\\Tools".into()), Some("C:\\Tools")),
                ("TOKEN".into(), Some("abc".into()), Some("abc")),
            ]
        );
        // With a backtick escape, a trailing backslash is not a continuation.
        assert_eq!(&text[df.instructions[2].span.clone()], "RUN dir c:\\");
    }

    #[test]
    fn directive_after_instruction_is_a_comment() {
        let text = "FROM x\n# escape=`\nENV A=1 `\nRUN b\n";
        let df = parse(text);
        assert_eq!(df.escape, '\\');
        assert_eq!(df.instructions.len(), 3);
    }

    #[test]
    fn flags_with_spans() {
        let text = "FROM node:20 AS build\nRUN --mount=type=secret,id=npm,target=/root/.npmrc --network=none npm ci\nCOPY --from=build --chown=app:app /src/dist /app/\n";
        let df = parse(text);
        let run = &df.instructions[1];
        assert_eq!(run.flags.len(), 2);
        let mount = run.flag("mount").unwrap();
        assert_eq!(
            mount.value.as_deref(),
            Some("type=secret,id=npm,target=/root/.npmrc")
        );
        assert_eq!(
            &text[mount.value_span.clone().unwrap()],
            "type=secret,id=npm,target=/root/.npmrc"
        );
        assert_eq!(
            &text[mount.span.clone()],
            "--mount=type=secret,id=npm,target=/root/.npmrc"
        );
        match &run.kind {
            InstructionKind::Command(c) => {
                assert_eq!(&text[c.span.clone()], "npm ci");
                assert_eq!(c.form, CommandForm::Shell);
            }
            k => panic!("{k:?}"),
        }
        let copy = &df.instructions[2];
        assert_eq!(copy.flag("from").unwrap().value.as_deref(), Some("build"));
        match &copy.kind {
            InstructionKind::Copy(c) => {
                assert_eq!(c.sources.len(), 1);
                assert_eq!(c.sources[0].text, "/src/dist");
                assert_eq!(&text[c.sources[0].span.clone()], "/src/dist");
                assert_eq!(c.dest.as_ref().unwrap().text, "/app/");
            }
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn stages() {
        let text = "ARG V=1\nFROM --platform=$BUILDPLATFORM golang:1.22 AS Builder\nRUN go build\nFROM scratch as final\nCOPY --from=builder /out /\nFROM alpine\nRUN true\n";
        let df = parse(text);
        assert_eq!(df.stages.len(), 3);
        assert_eq!(df.stages[0].image.text, "golang:1.22");
        assert_eq!(df.stages[0].name.as_ref().unwrap().text, "Builder");
        assert_eq!(df.stages[1].name.as_ref().unwrap().text, "final");
        assert!(df.stages[2].name.is_none());
        let stage_of: Vec<Option<usize>> = df.instructions.iter().map(|i| i.stage).collect();
        assert_eq!(
            stage_of,
            vec![None, Some(0), Some(0), Some(1), Some(1), Some(2), Some(2)]
        );
        assert_eq!(df.instructions[1].kind, InstructionKind::From);
        assert_eq!(df.stages[0].instruction, 1);
        assert_eq!(
            df.instructions[1]
                .flag("platform")
                .unwrap()
                .value
                .as_deref(),
            Some("$BUILDPLATFORM")
        );
    }

    #[test]
    fn exec_form() {
        let text = "CMD [\"node\", \"server.js\", \"--token=\\\"x\\\"\"]\nENTRYPOINT [ ]\nRUN [\"bad\", oops]\nCOPY [\"a b.txt\", \"c\", \"/dst/\"]\n";
        let df = parse(text);
        match &df.instructions[0].kind {
            InstructionKind::Command(Command {
                form: CommandForm::Exec(words),
                ..
            }) => {
                let t: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
                assert_eq!(t, vec!["node", "server.js", "--token=\"x\""]);
                assert_eq!(&text[words[1].span.clone()], "\"server.js\"");
            }
            k => panic!("{k:?}"),
        }
        assert!(matches!(
            &df.instructions[1].kind,
            InstructionKind::Command(Command { form: CommandForm::Exec(w), .. }) if w.is_empty()
        ));
        // Not valid JSON: the shell form.
        assert!(matches!(
            &df.instructions[2].kind,
            InstructionKind::Command(Command {
                form: CommandForm::Shell,
                ..
            })
        ));
        match &df.instructions[3].kind {
            InstructionKind::Copy(c) => {
                assert!(c.json);
                assert_eq!(
                    c.sources
                        .iter()
                        .map(|w| w.text.as_str())
                        .collect::<Vec<_>>(),
                    vec!["a b.txt", "c"]
                );
                assert_eq!(c.dest.as_ref().unwrap().text, "/dst/");
            }
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn heredocs() {
        let text = "FROM x\nRUN <<EOF\necho TOKEN=abc\nENV NOT=instruction\nEOF\nRUN <<-\"END\" cat > /a && cat <<'B2' > /b\n\tline one\n\tEND\nbody two\nB2\nCOPY <<EOF /etc/app.conf\nkey=value\nEOF\nENV AFTER=1\n";
        let df = parse(text);
        let kw: Vec<&str> = df.instructions.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(kw, vec!["FROM", "RUN", "RUN", "COPY", "ENV"]);
        let run = &df.instructions[1];
        assert_eq!(run.heredocs.len(), 1);
        assert_eq!(
            &text[run.heredocs[0].body_span.clone()],
            "echo TOKEN=abc\nENV NOT=instruction"
        );
        assert_eq!(
            &text[run.span.clone()],
            "RUN <<EOF\necho TOKEN=abc\nENV NOT=instruction\nEOF"
        );
        let run2 = &df.instructions[2];
        assert_eq!(run2.heredocs.len(), 2);
        assert_eq!(run2.heredocs[0].delimiter, "END");
        assert!(run2.heredocs[0].strip_tabs && run2.heredocs[0].quoted);
        assert_eq!(&text[run2.heredocs[0].body_span.clone()], "\tline one");
        assert_eq!(&text[run2.heredocs[0].marker_span.clone()], "<<-\"END\"");
        assert_eq!(run2.heredocs[1].delimiter, "B2");
        assert_eq!(&text[run2.heredocs[1].body_span.clone()], "body two");
        let copy = &df.instructions[3];
        match &copy.kind {
            InstructionKind::Copy(c) => {
                assert_eq!(c.sources[0].text, "<<EOF");
                assert_eq!(c.dest.as_ref().unwrap().text, "/etc/app.conf");
            }
            k => panic!("{k:?}"),
        }
        assert_eq!(&text[copy.heredocs[0].body_span.clone()], "key=value");
        assert_eq!(
            triples(text, &df.instructions[4]),
            vec![("AFTER".into(), Some("1".into()), Some("1"))]
        );
    }

    #[test]
    fn heredoc_like_text_that_is_not_one() {
        let text = "RUN echo \"a << b\" && cat <<< \"here string\" && echo 'x<<Y' $((1<<2)) a<<b\nENV A=1\n";
        let df = parse(text);
        assert_eq!(df.instructions.len(), 2);
        assert!(df.instructions[0].heredocs.is_empty());
    }

    #[test]
    fn unterminated_heredoc_runs_to_eof() {
        let text = "RUN <<EOF\necho a\necho b";
        let df = parse(text);
        assert_eq!(df.instructions.len(), 1);
        let h = &df.instructions[0].heredocs[0];
        assert!(!h.terminated);
        assert_eq!(&text[h.body_span.clone()], "echo a\necho b");
        assert_eq!(df.instructions[0].span, 0..text.len());
    }

    #[test]
    fn crlf_and_unicode() {
        let text = "FROM x\r\nENV GRÜSSE=\"héllo wörld\" \\\r\n  K=v\r\nRUN echo ✓\r\n";
        let df = parse(text);
        assert_eq!(
            triples(text, &df.instructions[1]),
            vec![
                (
                    "GRÜSSE".into(),
                    Some("héllo wörld".into()),
                    Some("\"héllo wörld\"")
                ),
                ("K".into(), Some("v".into()), Some("v")),
            ]
        );
        assert_eq!(&text[df.instructions[2].span.clone()], "RUN echo ✓");
    }

    #[test]
    fn malformed_instructions_are_other() {
        let text = "ENV\nENV =x\nENV ONLYKEY\nARG\nFROM\nCOPY onlyone\nRUN\nENV A=\"unterminated\nLABEL\n\\\n`\n\"\n--\nCOPY --from\n";
        let df = parse(text);
        assert!(matches!(df.instructions[0].kind, InstructionKind::Other));
        assert!(matches!(df.instructions[1].kind, InstructionKind::Other));
        assert!(matches!(df.instructions[2].kind, InstructionKind::Other));
        assert!(matches!(df.instructions[3].kind, InstructionKind::Other));
        assert!(matches!(df.instructions[4].kind, InstructionKind::Other));
        assert!(df.stages.is_empty());
        match &df.instructions[5].kind {
            InstructionKind::Copy(c) => assert!(c.dest.is_none()),
            k => panic!("{k:?}"),
        }
        for ins in &df.instructions {
            assert!(ins.span.start <= ins.span.end && ins.span.end <= text.len());
        }
    }

    #[test]
    fn never_panics_on_prefixes_of_tricky_input() {
        let text = "# escape=`\nFROM a AS b\nENV K=\"v `\n x\" L='y'\nRUN <<-'E' x <<F\n\tb\n\tE\nF\nCOPY [\"a\", \"b\\u00e9\"]\nENV é=ü\n";
        for end in 0..=text.len() {
            if !text.is_char_boundary(end) {
                continue;
            }
            let t = &text[..end];
            let df = parse(t);
            for ins in &df.instructions {
                assert!(ins.span.end <= t.len());
                for kv in match &ins.kind {
                    InstructionKind::Env(k) | InstructionKind::Arg(k) => k.as_slice(),
                    _ => &[],
                } {
                    let _ = &t[kv.key_span.clone()];
                    if let Some(v) = &kv.value_span {
                        let _ = &t[v.clone()];
                    }
                }
            }
        }
    }

    #[test]
    fn linear_on_large_input() {
        // 200k instructions and a 1 MB continuation line: must stay fast (no quadratic
        // re-scans). The assertion is on the outcome; a quadratic parser would hang.
        let mut text = String::from("FROM x\n");
        for i in 0..200_000 {
            text.push_str(&format!("ENV K{i}=v{i}\n"));
        }
        text.push_str("RUN echo ");
        for _ in 0..100_000 {
            text.push_str("aaaa \\\n ");
        }
        text.push_str("done\n");
        let df = parse(&text);
        assert_eq!(df.instructions.len(), 200_002);
    }

    #[test]
    fn key_values_iterates_arg_and_env() {
        let text = "ARG A=1\nFROM x\nENV B=2\nLABEL C=3\n";
        let df = parse(text);
        let keys: Vec<&str> = df.key_values().map(|(_, kv)| kv.key.as_str()).collect();
        assert_eq!(keys, vec!["A", "B"]);
    }
}
