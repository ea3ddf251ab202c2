//! A span-preserving YAML model for the manifest rules (compose, Kubernetes, CI
//! workflows).
//!
//! [`parse`] turns a YAML stream into one [`Node`] per document. Every node carries the
//! byte range of its text (`&text[node.span]` is always valid), mappings keep their
//! entries in file order *including duplicate keys*, and every scalar is kept as the
//! string that was written, with its style, so rules see `"true"` and `true`, `'0123'`
//! and `0123` exactly as the author did.
//!
//! ## Why saphyr and not serde_yaml
//! `serde_yaml` is deprecated and unmaintained upstream (its author archived it in
//! 2024), and deserialising into serde types throws away source positions, which a
//! linter needs to point at the exact value. `saphyr` is the maintained YAML 1.2
//! implementation (a continuation of `yaml-rust`); its parser crate, `saphyr-parser`,
//! emits events with a [`saphyr_parser::Span`] for every node. We build the tree from
//! those events ourselves rather than through `saphyr`'s own loader because that loader
//! stores mappings in a hash map (duplicate keys would be lost, and keys that are
//! themselves collections are awkward), and because building it here lets us enforce
//! our own [`Limits`] while the tree grows.
//!
//! ## Bounds
//! Untrusted repositories contain hostile or merely huge YAML. [`Limits`] bounds:
//! - nesting depth ([`Limits::max_depth`]): deeper input is an error, not a deep tree,
//!   so neither building nor dropping the tree can overflow the stack;
//! - the nodes that aliases copy in ([`Limits::max_alias_nodes`]): an alias bomb
//!   ("billion laughs") stops with an error after that many nodes instead of growing
//!   exponentially. (Nodes written out in the text are bounded by its length.) Aliases are resolved by copying the anchored node
//!   (the copy keeps the anchor's spans, so a finding inside it points at the anchor).
//!
//! saphyr-parser itself is an explicit state machine (a `Vec` of states, not
//! recursion) and caps flow nesting at 255 levels, so 10,000 levels of nesting are an
//! error or a deep event stream, never a stack overflow; a test runs that on a thread
//! with a 2 MiB stack.
//!
//! ## Offsets
//! saphyr's [`saphyr_parser::Marker::index`] counts characters, not bytes. [`ByteIndex`]
//! converts with a sparse table (one checkpoint every 64 characters), so conversion
//! costs O(1) memory per 64 characters and O(64) time, and nothing for ASCII files.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// Resource bounds for [`parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum nesting of mappings and sequences.
    pub max_depth: usize,
    /// Maximum number of nodes that aliases may copy in, over the whole stream. Nodes
    /// written out in the text are bounded by its length already; aliases are not.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_alias_nodes: 1_000_000,
        }
    }
}

/// A YAML node: its value and the byte range it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Byte range in the parsed text. For a quoted scalar the quotes are included; for a
    /// block scalar (`|`, `>`) it is the body, from its first content character to its
    /// last (the header line is not included); for a collection, the
    /// text from its first to its last character. An empty value (`key:` with nothing
    /// after it) has an empty span where the value would be.
    pub span: Range<usize>,
    /// The tag, if one was written (`!!binary`, `!Ref`), as handle + suffix.
    pub tag: Option<String>,
    /// What the node holds.
    pub value: Value,
}

/// The value of a [`Node`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A mapping's entries in file order; duplicate keys are kept.
    Map(Vec<(Node, Node)>),
    /// A sequence's items in order.
    Seq(Vec<Node>),
    /// Any scalar that is not null, as written (numbers and booleans too), unescaped.
    Str(Scalar),
    /// An empty value, `~` or a plain `null`.
    Null,
}

/// A scalar's text and how it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// The scalar's value after YAML unescaping and line folding.
    pub text: String,
    /// How it was written.
    pub style: Style,
}

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `value`
    Plain,
    /// `'value'`
    SingleQuoted,
    /// `"value"`
    DoubleQuoted,
    /// `|` block
    Literal,
    /// `>` block
    Folded,
}

impl Style {
    /// Quoted or block: the author wrote a string, never a number, boolean or null.
    pub fn is_quoted(self) -> bool {
        !matches!(self, Style::Plain)
    }
}

impl Node {
    /// The value of the first entry whose key is the string `key` (for a mapping).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// Every value whose key is the string `key`, in order (duplicate keys).
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.entries()
            .filter(move |(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// Follows a path of mapping keys (`node.path(&["spec", "template"])`).
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The mapping entries, or nothing if this is not a mapping.
    pub fn entries(&self) -> impl Iterator<Item = (&Node, &Node)> {
        let entries: &[(Node, Node)] = match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        };
        entries.iter().map(|(k, v)| (k, v))
    }

    /// The sequence items, or nothing if this is not a sequence.
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// The scalar's text, if this is a (non-null) scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(&s.text),
            _ => None,
        }
    }

    /// The scalar, with its style.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this node is a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    /// Whether this node is a sequence.
    pub fn is_seq(&self) -> bool {
        matches!(self.value, Value::Seq(_))
    }

    /// Whether this node is null or empty.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }
}

/// Why a YAML stream could not be turned into nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What went wrong.
    pub kind: YamlErrorKind,
    /// Byte offset in the text where it went wrong.
    pub offset: usize,
}

/// The kinds of [`YamlError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// The text is not valid YAML (saphyr's message).
    Syntax(String),
    /// Nesting deeper than [`Limits::max_depth`].
    TooDeep {
        /// The limit in force.
        limit: usize,
    },
    /// Aliases copied in more than [`Limits::max_alias_nodes`] nodes.
    TooManyNodes {
        /// The limit in force.
        limit: usize,
    },
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            YamlErrorKind::Syntax(msg) => write!(f, "invalid YAML at byte {}: {msg}", self.offset),
            YamlErrorKind::TooDeep { limit } => write!(
                f,
                "YAML nested deeper than {limit} levels at byte {}",
                self.offset
            ),
            YamlErrorKind::TooManyNodes { limit } => write!(
                f,
                "YAML aliases expand to more than {limit} nodes (an alias bomb?) at byte {}",
                self.offset
            ),
        }
    }
}

impl std::error::Error for YamlError {}

impl YamlError {
    /// What went wrong, without the offset (for messages that give line and column).
    pub fn kind_message(&self) -> String {
        match &self.kind {
            YamlErrorKind::Syntax(msg) => format!("invalid YAML: {msg}"),
            YamlErrorKind::TooDeep { limit } => format!("nested deeper than {limit} levels"),
            YamlErrorKind::TooManyNodes { limit } => {
                format!("aliases expand to more than {limit} nodes")
            }
        }
    }
}

/// Parses a YAML stream into one node per document.
///
/// # Errors
/// Invalid YAML (a Helm template with `{{ }}`, say), nesting deeper than
/// `limits.max_depth`, or aliases that expand to more than `limits.max_alias_nodes`.
pub fn parse(text: &str, limits: Limits) -> Result<Vec<Node>, YamlError> {
    let index = ByteIndex::new(text);
    let mut builder = Builder {
        text,
        index: &index,
        limits,
        stack: Vec::new(),
        docs: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        alias_nodes: 0,
    };
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| YamlError {
            kind: YamlErrorKind::Syntax(e.info().to_string()),
            offset: index.byte(e.marker().index()),
        })?;
        builder.on_event(event, span)?;
    }
    Ok(builder.docs)
}

/// Converts saphyr's character indices to byte offsets.
pub struct ByteIndex<'a> {
    text: &'a str,
    /// Byte offset of every 64th character; empty for ASCII text (identity).
    checkpoints: Vec<usize>,
}

const CHECKPOINT_EVERY: usize = 64;

impl<'a> ByteIndex<'a> {
    /// Builds the table for `text` (nothing for ASCII text).
    pub fn new(text: &'a str) -> Self {
        let checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .step_by(CHECKPOINT_EVERY)
                .map(|(b, _)| b)
                .collect()
        };
        ByteIndex { text, checkpoints }
    }

    /// The byte offset of character number `char_index` (clamped to the text length).
    pub fn byte(&self, char_index: usize) -> usize {
        if self.checkpoints.is_empty() {
            return char_index.min(self.text.len());
        }
        let Some(&base) = self.checkpoints.get(char_index / CHECKPOINT_EVERY) else {
            return self.text.len();
        };
        let rest = char_index % CHECKPOINT_EVERY;
        self.text[base..]
            .char_indices()
            .nth(rest)
            .map_or(self.text.len(), |(b, _)| base + b)
    }
}

enum Frame {
    Seq {
        start: usize,
        tag: Option<String>,
        anchor: usize,
        nodes_before: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        tag: Option<String>,
        anchor: usize,
        nodes_before: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

struct Builder<'a> {
    text: &'a str,
    index: &'a ByteIndex<'a>,
    limits: Limits,
    stack: Vec<Frame>,
    docs: Vec<Node>,
    /// Anchor id -> (node, number of nodes it stands for, expansions included).
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes so far, alias copies included (to size anchors).
    nodes: usize,
    /// Nodes copied in by aliases so far.
    alias_nodes: usize,
}

impl Builder<'_> {
    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlError> {
        let start = self.index.byte(span.start.index());
        let end = self.index.byte(span.end.index()).max(start);
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                self.count(1);
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    ScalarStyle::Literal => Style::Literal,
                    ScalarStyle::Folded => Style::Folded,
                };
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                // saphyr's span of a block scalar runs over its trailing line breaks.
                let end = if matches!(style, Style::Literal | Style::Folded) {
                    start + self.text[start..end].trim_end().len()
                } else {
                    end
                };
                let is_null = style == Style::Plain
                    && tag.is_none()
                    && matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL");
                let value = if is_null {
                    Value::Null
                } else {
                    Value::Str(Scalar {
                        text: value.into_owned(),
                        style,
                    })
                };
                let node = Node {
                    span: start..end,
                    tag,
                    value,
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                self.push(node);
            }
            Event::SequenceStart(anchor, tag) => {
                self.enter(start)?;
                self.count(1);
                self.stack.push(Frame::Seq {
                    start,
                    tag: tag.map(|t| format!("{}{}", t.handle, t.suffix)),
                    anchor,
                    nodes_before: self.nodes - 1,
                    items: Vec::new(),
                });
            }
            Event::MappingStart(anchor, tag) => {
                self.enter(start)?;
                self.count(1);
                self.stack.push(Frame::Map {
                    start,
                    tag: tag.map(|t| format!("{}{}", t.handle, t.suffix)),
                    anchor,
                    nodes_before: self.nodes - 1,
                    entries: Vec::new(),
                    key: None,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (node_start, tag, anchor, nodes_before, value) = match frame {
                    Frame::Seq {
                        start,
                        tag,
                        anchor,
                        nodes_before,
                        items,
                    } => (start, tag, anchor, nodes_before, Value::Seq(items)),
                    Frame::Map {
                        start,
                        tag,
                        anchor,
                        nodes_before,
                        mut entries,
                        key,
                    } => {
                        // A key without a value (cannot normally happen) keeps a null.
                        if let Some(k) = key {
                            let at = k.span.end;
                            entries.push((k, null_at(at)));
                        }
                        (start, tag, anchor, nodes_before, Value::Map(entries))
                    }
                };
                let node_end = self.collection_end(node_start, end, &value);
                let node = Node {
                    span: node_start..node_end,
                    tag,
                    value,
                };
                if anchor > 0 {
                    let size = self.nodes - nodes_before;
                    self.anchors.insert(anchor, (node.clone(), size));
                }
                self.push(node);
            }
            Event::Alias(id) => {
                // An unknown alias is a parse error in saphyr; treat it as null if it
                // ever gets here.
                let (node, size) = match self.anchors.get(&id) {
                    Some((node, size)) => (Some(node), *size),
                    None => (None, 1),
                };
                self.alias_nodes = self.alias_nodes.saturating_add(size);
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return Err(YamlError {
                        kind: YamlErrorKind::TooManyNodes {
                            limit: self.limits.max_alias_nodes,
                        },
                        offset: start,
                    });
                }
                let node = node.cloned().unwrap_or_else(|| null_at(start));
                self.nodes = self.nodes.saturating_add(size);
                self.push(node);
            }
            Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::StreamStart
            | Event::StreamEnd
            | Event::Nothing => {}
        }
        Ok(())
    }

    fn enter(&self, at: usize) -> Result<(), YamlError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(YamlError {
                kind: YamlErrorKind::TooDeep {
                    limit: self.limits.max_depth,
                },
                offset: at,
            });
        }
        Ok(())
    }

    fn count(&mut self, n: usize) {
        self.nodes = self.nodes.saturating_add(n);
    }

    /// The end of a collection's span: the end event of a block collection sits at the
    /// next token (after blank lines and comments), so end at the last child instead
    /// when that is earlier, and never before the start.
    fn collection_end(&self, start: usize, event_end: usize, value: &Value) -> usize {
        let last_child = match value {
            Value::Seq(items) => items.last().map(|n| n.span.end),
            Value::Map(entries) => entries.last().map(|(_, v)| v.span.end),
            _ => None,
        };
        let text = self.text.as_bytes();
        let end = match last_child {
            // Flow collections end with `]` or `}` right at the event's end.
            Some(child_end) if event_end > child_end => {
                let between = &self.text[child_end..event_end];
                if between.trim_end().ends_with([']', '}']) {
                    child_end + between.trim_end().len()
                } else {
                    child_end
                }
            }
            Some(child_end) => child_end.max(event_end),
            None => event_end,
        };
        let mut end = end.max(start).min(text.len());
        // Do not swallow trailing blanks.
        while end > start && matches!(text[end - 1], b' ' | b'\t' | b'\n' | b'\r') {
            end -= 1;
        }
        end
    }

    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }
}

fn null_at(at: usize) -> Node {
    Node {
        span: at..at,
        tag: None,
        value: Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Vec<Node> {
        match parse(text, Limits::default()) {
            Ok(docs) => docs,
            Err(e) => panic!("{e}"),
        }
    }

    fn src<'a>(text: &'a str, node: &Node) -> &'a str {
        &text[node.span.clone()]
    }

    #[test]
    fn block_mapping_with_spans() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  API_TOKEN: \"abc def\"\n  MODE: 'x'\n  EMPTY:\n  NUM: 0123\n";
        let docs = parse_ok(text);
        assert_eq!(docs.len(), 1);
        let doc = &docs[0];
        assert_eq!(doc.get("kind").and_then(Node::as_str), Some("ConfigMap"));
        assert_eq!(
            doc.path(&["metadata", "name"]).and_then(Node::as_str),
            Some("app")
        );
        let data = doc.get("data").unwrap();
        let tok = data.get("API_TOKEN").unwrap();
        assert_eq!(tok.as_str(), Some("abc def"));
        assert_eq!(tok.as_scalar().unwrap().style, Style::DoubleQuoted);
        assert_eq!(src(text, tok), "\"abc def\"");
        let (k, _) = data.entries().next().unwrap();
        assert_eq!(src(text, k), "API_TOKEN");
        assert_eq!(src(text, data.get("MODE").unwrap()), "'x'");
        assert!(data.get("EMPTY").unwrap().is_null());
        assert_eq!(data.get("NUM").unwrap().as_str(), Some("0123"));
        assert_eq!(
            src(text, data),
            "API_TOKEN: \"abc def\"\n  MODE: 'x'\n  EMPTY:\n  NUM: 0123"
        );
        assert_eq!(src(text, doc), text.trim_end());
    }

    #[test]
    fn multi_document() {
        let text = "---\na: 1\n---\n- x\n- y\n...\n---\n# only a comment\n---\nb: \"2\"\n";
        let docs = parse_ok(text);
        assert_eq!(docs.len(), 4);
        assert_eq!(docs[0].get("a").and_then(Node::as_str), Some("1"));
        assert_eq!(docs[1].items().len(), 2);
        assert_eq!(src(text, &docs[1].items()[1]), "y");
        assert!(docs[2].is_null());
        assert_eq!(src(text, docs[3].get("b").unwrap()), "\"2\"");
        assert!(parse_ok("").is_empty());
        assert!(parse_ok("# nothing\n").is_empty());
    }

    #[test]
    fn flow_styles() {
        let text = "env: {A: 1, \"B\": 'two', C: [x, \"y z\"]}\nlist: [ {k: v} ]\n";
        let docs = parse_ok(text);
        let env = docs[0].get("env").unwrap();
        assert_eq!(src(text, env), "{A: 1, \"B\": 'two', C: [x, \"y z\"]}");
        assert_eq!(src(text, env.get("B").unwrap()), "'two'");
        let c = env.get("C").unwrap();
        assert_eq!(src(text, c), "[x, \"y z\"]");
        assert_eq!(src(text, &c.items()[1]), "\"y z\"");
        let list = docs[0].get("list").unwrap();
        assert_eq!(src(text, list), "[ {k: v} ]");
        assert_eq!(list.items()[0].get("k").and_then(Node::as_str), Some("v"));
    }

    #[test]
    fn block_sequences_and_scalars() {
        let text = "services:\n  web:\n    environment:\n      - API_KEY=abc\n      - DEBUG=1\n    command: |\n      run --token x\n      done\n    folded: >-\n      a\n      b\n";
        let docs = parse_ok(text);
        let web = docs[0].path(&["services", "web"]).unwrap();
        let env = web.get("environment").unwrap();
        assert!(env.is_seq());
        assert_eq!(src(text, &env.items()[0]), "API_KEY=abc");
        assert_eq!(src(text, &env.items()[1]), "DEBUG=1");
        let cmd = web.get("command").unwrap();
        assert_eq!(cmd.as_str(), Some("run --token x\ndone\n"));
        assert_eq!(cmd.as_scalar().unwrap().style, Style::Literal);
        assert_eq!(src(text, cmd), "run --token x\n      done");
        assert_eq!(web.get("folded").and_then(Node::as_str), Some("a b"));
    }

    #[test]
    fn duplicate_keys_kept_in_order() {
        let text = "a: 1\nb: 2\na: 3\n";
        let docs = parse_ok(text);
        let keys: Vec<&str> = docs[0].entries().filter_map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["a", "b", "a"]);
        assert_eq!(docs[0].get("a").and_then(Node::as_str), Some("1"));
        let all: Vec<&str> = docs[0].get_all("a").filter_map(Node::as_str).collect();
        assert_eq!(all, vec!["1", "3"]);
    }

    #[test]
    fn anchors_and_aliases_resolve_with_anchor_spans() {
        let text = "x-env: &env\n  TOKEN: abc\nservices:\n  a:\n    environment: *env\n  b:\n    <<: *env\n";
        let docs = parse_ok(text);
        let a = docs[0].path(&["services", "a", "environment"]).unwrap();
        let tok = a.get("TOKEN").unwrap();
        assert_eq!(tok.as_str(), Some("abc"));
        assert_eq!(src(text, tok), "abc");
        assert_eq!(tok.span.start, text.find("abc").unwrap());
        let b = docs[0].path(&["services", "b", "<<", "TOKEN"]).unwrap();
        assert_eq!(b.as_str(), Some("abc"));
    }

    #[test]
    fn tags_and_nulls() {
        let text = "a: !!binary aGVsbG8=\nb: ~\nc: null\nd: 'null'\ne: !Ref Name\n";
        let docs = parse_ok(text);
        let d = &docs[0];
        assert_eq!(
            d.get("a").unwrap().tag.as_deref(),
            Some("tag:yaml.org,2002:binary")
        );
        assert!(d.get("b").unwrap().is_null());
        assert!(d.get("c").unwrap().is_null());
        assert_eq!(d.get("d").and_then(Node::as_str), Some("null"));
        assert_eq!(d.get("e").unwrap().tag.as_deref(), Some("!Ref"));
        assert_eq!(d.get("e").and_then(Node::as_str), Some("Name"));
    }

    #[test]
    fn unicode_offsets_are_bytes() {
        let text =
            "名前: \"値です\"\nkey: välue\nlong: ".to_string() + &"é".repeat(300) + "\nafter: ok\n";
        let docs = parse_ok(&text);
        let d = &docs[0];
        assert_eq!(src(&text, d.get("名前").unwrap()), "\"値です\"");
        assert_eq!(src(&text, d.get("key").unwrap()), "välue");
        assert_eq!(src(&text, d.get("long").unwrap()), "é".repeat(300));
        assert_eq!(src(&text, d.get("after").unwrap()), "ok");
    }

    #[test]
    fn byte_index_conversion() {
        let text = "aé✓b".repeat(100);
        let idx = ByteIndex::new(&text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.byte(ci), bi);
        }
        assert_eq!(idx.byte(text.chars().count()), text.len());
        assert_eq!(idx.byte(usize::MAX / 2), text.len());
    }

    #[test]
    fn invalid_yaml_is_an_error() {
        let helm = "apiVersion: v1\nkind: Secret\n{{- if .Values.enabled }}\ndata:\n  token: {{ .Values.token | b64enc }}\n{{- end }}\n";
        let err = parse(helm, Limits::default()).unwrap_err();
        assert!(matches!(err.kind, YamlErrorKind::Syntax(_)), "{err:?}");
        assert!(err.offset <= helm.len());
        for bad in [
            "a: [1, 2",
            "a: 'x",
            "- a\nb: c",
            "a: *nope",
            "\t- x: y\n  bad",
            "key: \"\\q\"",
        ] {
            assert!(
                parse(bad, Limits::default()).is_err(),
                "{bad:?} should be an error"
            );
        }
    }

    #[test]
    fn never_panics_on_prefixes() {
        let text = "a: &x [1, {b: \"c\\u00e9\"}]\n---\n? complex\n: *x\nlist:\n  - 'q''s'\n  - |\n    block ✓\n";
        for end in 0..=text.len() {
            if text.is_char_boundary(end) {
                let t = &text[..end];
                if let Ok(docs) = parse(t, Limits::default()) {
                    for d in &docs {
                        assert!(d.span.end <= t.len());
                    }
                }
            }
        }
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let bomb =
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n\
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n\
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n\
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n\
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
        let err = parse(bomb, Limits::default()).unwrap_err();
        assert!(
            matches!(err.kind, YamlErrorKind::TooManyNodes { .. }),
            "{err:?}"
        );
        // A small limit stops it earlier; a generous one still stops it.
        let small = Limits {
            max_alias_nodes: 1000,
            ..Limits::default()
        };
        assert!(matches!(
            parse(bomb, small).unwrap_err().kind,
            YamlErrorKind::TooManyNodes { limit: 1000 }
        ));
        // Ordinary alias use stays within the budget.
        assert!(parse("a: &a [1, 2]\nb: *a\nc: *a\n", small).is_ok());
    }

    /// Runs `f` on a thread with a 2 MiB stack (the default for spawned threads), so a
    /// recursion that would overflow a normal thread fails the test.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn deep_nesting_is_an_error_not_an_overflow() {
        on_small_stack(|| {
            let n = 10_000;
            let flow_seq = "[".repeat(n) + &"]".repeat(n);
            let flow_map = "{a: ".repeat(n) + &"}".repeat(n);
            let mut block_map = String::new();
            for i in 0..n {
                block_map.push_str(&" ".repeat(i));
                block_map.push_str("a:\n");
            }
            let block_seq = "- ".repeat(n) + "x\n";
            for text in [&flow_seq, &flow_map, &block_map, &block_seq] {
                let err = parse(text, Limits::default()).unwrap_err();
                assert!(
                    matches!(
                        err.kind,
                        YamlErrorKind::TooDeep { limit: 256 } | YamlErrorKind::Syntax(_)
                    ),
                    "{err:?}"
                );
            }
            // The block forms get past saphyr's own flow limit: ours must stop them.
            assert!(matches!(
                parse(&block_map, Limits::default()).unwrap_err().kind,
                YamlErrorKind::TooDeep { .. }
            ));
            // Within the limit, deep input parses (and drops) fine on a small stack.
            let ok = "- ".repeat(200) + "x\n";
            assert!(parse(&ok, Limits::default()).is_ok());
        });
    }

    #[test]
    fn large_manifest_parses() {
        // ~50 MB of Kubernetes-shaped documents: the test asserts the outcome; a
        // pathological (super-linear) parser would not finish.
        let doc = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-NNNNNN\n  labels: {app: web, tier: \"frontend\"}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.25\n          env:\n            - name: DATABASE_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db, key: password}\n            - name: MODE\n              value: \"production\"\n          args: [\"--port\", \"8080\", '--verbose']\n";
        let per = doc.len();
        let count = 50 * 1024 * 1024 / per + 1;
        let mut text = String::with_capacity(count * per);
        for i in 0..count {
            text.push_str(&doc.replace("NNNNNN", &format!("{i:06}")));
        }
        assert!(text.len() >= 50 * 1024 * 1024);
        let docs = parse(&text, Limits::default()).unwrap();
        assert_eq!(docs.len(), count);
        let last = docs.last().unwrap();
        let env = last
            .path(&["spec", "template", "spec", "containers"])
            .unwrap()
            .items()[0]
            .get("env")
            .unwrap();
        let mode = &env.items()[1];
        assert_eq!(mode.get("value").and_then(Node::as_str), Some("production"));
        assert_eq!(
            &text[mode.get("value").unwrap().span.clone()],
            "\"production\""
        );
    }
}
