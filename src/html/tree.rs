//! Arena DOM and the tokenizer/tree builder that fills it in one pass.

use super::MAX_DEPTH;
use super::entities::decode_entities;

/// Index of a node in its [`Document`].
pub type NodeId = u32;

/// What a node holds.
#[derive(Debug, Clone)]
pub enum NodeData {
    /// The document itself (the root of every tree).
    Document,
    /// An element with its lowercase tag name and attributes (names lowercase,
    /// values entity-decoded).
    Element {
        name: Box<str>,
        attrs: Vec<(Box<str>, Box<str>)>,
    },
    /// Text, entity-decoded (raw for `script` and `style`).
    Text(Box<str>),
}

/// One node with its links to parent, first/last child and next sibling.
#[derive(Debug, Clone)]
pub struct Node {
    pub parent: Option<NodeId>,
    pub first_child: Option<NodeId>,
    pub last_child: Option<NodeId>,
    pub next_sibling: Option<NodeId>,
    pub data: NodeData,
}

/// A parsed page: nodes in document order, the root at index 0.
#[derive(Debug, Clone)]
pub struct Document {
    nodes: Vec<Node>,
}

impl Document {
    /// The document node.
    pub fn root(&self) -> NodeId {
        0
    }

    /// Number of nodes, root included.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the document holds nothing but its root.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).parent
    }

    /// Lowercase tag name of an element, `None` for text and the root.
    pub fn name(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).data {
            NodeData::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    /// True when `id` is an element named `name` (lowercase).
    pub fn is(&self, id: NodeId, name: &str) -> bool {
        self.name(id) == Some(name)
    }

    /// Text of a text node.
    pub fn text(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).data {
            NodeData::Text(t) => Some(t),
            _ => None,
        }
    }

    /// Attribute value of an element (name lowercase).
    pub fn attr(&self, id: NodeId, attr: &str) -> Option<&str> {
        match &self.node(id).data {
            NodeData::Element { attrs, .. } => attrs
                .iter()
                .find(|(n, _)| n.as_ref() == attr)
                .map(|(_, v)| v.as_ref()),
            _ => None,
        }
    }

    /// All attributes of an element.
    pub fn attrs(&self, id: NodeId) -> &[(Box<str>, Box<str>)] {
        match &self.node(id).data {
            NodeData::Element { attrs, .. } => attrs,
            _ => &[],
        }
    }

    /// Children in order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            doc: self,
            next: self.node(id).first_child,
        }
    }

    /// `id` and everything below it, in document order.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            doc: self,
            start: id,
            next: Some(id),
        }
    }

    /// Parent, grandparent, ... up to the root.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.parent(id), move |&p| self.parent(p))
    }

    /// First element named `name` at or below `id`.
    pub fn find_first(&self, id: NodeId, name: &str) -> Option<NodeId> {
        self.descendants(id).find(|&n| self.is(n, name))
    }

    /// The next node in document order after the subtree of `id`.
    pub fn next_after_subtree(&self, mut id: NodeId) -> Option<NodeId> {
        loop {
            if let Some(s) = self.node(id).next_sibling {
                return Some(s);
            }
            id = self.parent(id)?;
        }
    }

    /// All text below `id`, whitespace collapsed to single spaces and trimmed.
    pub fn text_of(&self, id: NodeId) -> String {
        let mut out = String::new();
        for n in self.descendants(id) {
            if let Some(t) = self.text(n) {
                push_collapsed(&mut out, t);
            }
        }
        out.trim_end().to_string()
    }
}

/// Append `text` to `out` with runs of whitespace folded to one space and no
/// leading space at the start of `out`.
pub fn push_collapsed(out: &mut String, text: &str) {
    for ch in text.chars() {
        if ch.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(ch);
        }
    }
}

/// Iterator over the children of a node.
pub struct Children<'a> {
    doc: &'a Document,
    next: Option<NodeId>,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let id = self.next?;
        self.next = self.doc.node(id).next_sibling;
        Some(id)
    }
}

/// Preorder iterator over a subtree, without recursion.
pub struct Descendants<'a> {
    doc: &'a Document,
    start: NodeId,
    next: Option<NodeId>,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let id = self.next?;
        let node = self.doc.node(id);
        self.next = if let Some(c) = node.first_child {
            Some(c)
        } else {
            let mut cur = id;
            loop {
                if cur == self.start {
                    break None;
                }
                if let Some(s) = self.doc.node(cur).next_sibling {
                    break Some(s);
                }
                match self.doc.node(cur).parent {
                    Some(p) => cur = p,
                    None => break None,
                }
            }
        };
        Some(id)
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];

/// Elements whose content is not markup. `title` and `textarea` still decode references.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noscript",
    "textarea",
    "title",
    "plaintext",
];

/// Start tags that close an open `<p>` (HTML's "close a p element" list).
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
];

/// Elements that stop the search for an open `<p>` or `<li>` to close.
const SCOPE_BOUNDARY: &[&str] = &[
    "table", "td", "th", "caption", "button", "object", "template", "marquee", "applet", "html",
];

pub(super) struct TreeBuilder<'a> {
    src: &'a str,
    pos: usize,
    nodes: Vec<Node>,
    stack: Vec<NodeId>,
}

impl<'a> TreeBuilder<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        let mut nodes = Vec::with_capacity(src.len() / 40 + 8);
        nodes.push(Node {
            parent: None,
            first_child: None,
            last_child: None,
            next_sibling: None,
            data: NodeData::Document,
        });
        TreeBuilder {
            src,
            pos: 0,
            nodes,
            stack: vec![0],
        }
    }

    pub(super) fn build(mut self) -> Document {
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() {
            match memchr(b'<', &bytes[self.pos..]) {
                Some(off) => {
                    if off > 0 {
                        let end = self.pos + off;
                        self.text(self.pos, end);
                        self.pos = end;
                    }
                    self.markup();
                }
                None => {
                    self.text(self.pos, bytes.len());
                    self.pos = bytes.len();
                }
            }
        }
        Document { nodes: self.nodes }
    }

    fn current(&self) -> NodeId {
        *self.stack.last().unwrap_or(&0)
    }

    fn append(&mut self, parent: NodeId, data: NodeData) -> NodeId {
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node {
            parent: Some(parent),
            first_child: None,
            last_child: None,
            next_sibling: None,
            data,
        });
        let p = &mut self.nodes[parent as usize];
        match p.last_child {
            Some(last) => {
                p.last_child = Some(id);
                self.nodes[last as usize].next_sibling = Some(id);
            }
            None => {
                p.first_child = Some(id);
                p.last_child = Some(id);
            }
        }
        id
    }

    fn text(&mut self, start: usize, end: usize) {
        let raw = &self.src[start..end];
        let parent = self.current();
        let decoded = decode_entities(raw);
        self.push_text(parent, &decoded);
    }

    /// Append text, merging with a preceding text node; whitespace-only runs are
    /// kept as one space (they separate inline words) to save memory.
    fn push_text(&mut self, parent: NodeId, text: &str) {
        let text = if text.bytes().all(|b| b.is_ascii_whitespace()) {
            " "
        } else {
            text
        };
        if let Some(last) = self.nodes[parent as usize].last_child
            && let NodeData::Text(existing) = &mut self.nodes[last as usize].data
        {
            let mut s = String::with_capacity(existing.len() + text.len());
            s.push_str(existing);
            s.push_str(text);
            *existing = s.into_boxed_str();
            return;
        }
        self.append(parent, NodeData::Text(text.into()));
    }

    /// At a `<`: a comment, doctype, end tag, start tag, or a literal `<`.
    fn markup(&mut self) {
        let bytes = self.src.as_bytes();
        let rest = &bytes[self.pos..];
        if rest.starts_with(b"<!--") {
            self.pos = match find(&rest[4..], b"-->") {
                Some(i) => self.pos + 4 + i + 3,
                None => bytes.len(),
            };
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            self.skip_past_gt();
        } else if rest.starts_with(b"</") {
            if rest.get(2).is_some_and(|b| b.is_ascii_alphabetic()) {
                self.end_tag();
            } else {
                self.skip_past_gt();
            }
        } else if rest.get(1).is_some_and(|b| b.is_ascii_alphabetic()) {
            self.start_tag();
        } else {
            let parent = self.current();
            self.push_text(parent, "<");
            self.pos += 1;
        }
    }

    fn skip_past_gt(&mut self) {
        let bytes = self.src.as_bytes();
        self.pos = match memchr(b'>', &bytes[self.pos..]) {
            Some(i) => self.pos + i + 1,
            None => bytes.len(),
        };
    }

    fn read_name(&mut self) -> String {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        while self.pos < bytes.len() {
            let b = bytes[self.pos];
            if b.is_ascii_whitespace() || b == b'/' || b == b'>' {
                break;
            }
            self.pos += 1;
        }
        self.src[start..self.pos].to_ascii_lowercase()
    }

    fn skip_ws(&mut self) {
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn end_tag(&mut self) {
        self.pos += 2;
        let name = self.read_name();
        self.skip_past_gt();
        match name.as_str() {
            "br" => {
                let parent = self.current();
                self.append(
                    parent,
                    NodeData::Element {
                        name: "br".into(),
                        attrs: Vec::new(),
                    },
                );
            }
            "body" | "html" => {}
            _ => {
                if let Some(depth) = self.stack.iter().rposition(|&id| self.is_named(id, &name))
                    && depth > 0
                {
                    self.stack.truncate(depth);
                }
            }
        }
    }

    fn is_named(&self, id: NodeId, name: &str) -> bool {
        matches!(&self.nodes[id as usize].data, NodeData::Element { name: n, .. } if n.as_ref() == name)
    }

    fn start_tag(&mut self) {
        let bytes = self.src.as_bytes();
        let tag_start = self.pos;
        self.pos += 1;
        let name = self.read_name();
        let mut attrs: Vec<(Box<str>, Box<str>)> = Vec::new();
        let mut self_closing = false;
        loop {
            self.skip_ws();
            let Some(&b) = bytes.get(self.pos) else {
                // End of input inside a tag: the tag is dropped, as browsers do.
                let _ = tag_start;
                return;
            };
            match b {
                b'>' => {
                    self.pos += 1;
                    break;
                }
                b'/' => {
                    self.pos += 1;
                    if bytes.get(self.pos) == Some(&b'>') {
                        self_closing = true;
                    }
                }
                _ => {
                    let attr_start = self.pos;
                    self.pos += 1; // the first char may be '=' and is then part of the name
                    while self.pos < bytes.len() {
                        let c = bytes[self.pos];
                        if c.is_ascii_whitespace() || c == b'=' || c == b'>' || c == b'/' {
                            break;
                        }
                        self.pos += 1;
                    }
                    let attr_name = self.src[attr_start..self.pos].to_ascii_lowercase();
                    self.skip_ws();
                    let mut value: Box<str> = "".into();
                    if bytes.get(self.pos) == Some(&b'=') {
                        self.pos += 1;
                        self.skip_ws();
                        value = self.attr_value();
                    }
                    if !attrs.iter().any(|(n, _)| n.as_ref() == attr_name) {
                        attrs.push((attr_name.into_boxed_str(), value));
                    }
                }
            }
        }
        self.open_element(name, attrs, self_closing);
    }

    fn attr_value(&mut self) -> Box<str> {
        let bytes = self.src.as_bytes();
        let (start, end) = match bytes.get(self.pos) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = self.pos + 1;
                let end = memchr(q, &bytes[start..]).map_or(bytes.len(), |i| start + i);
                self.pos = (end + 1).min(bytes.len());
                (start, end)
            }
            _ => {
                let start = self.pos;
                while self.pos < bytes.len()
                    && !bytes[self.pos].is_ascii_whitespace()
                    && bytes[self.pos] != b'>'
                {
                    self.pos += 1;
                }
                (start, self.pos)
            }
        };
        decode_entities(&self.src[start..end]).into()
    }

    fn open_element(&mut self, name: String, attrs: Vec<(Box<str>, Box<str>)>, self_closing: bool) {
        self.close_implied(&name);
        let parent = self.current();
        let is_void = VOID.contains(&name.as_str());
        let is_raw = RAW_TEXT.contains(&name.as_str());
        let id = self.append(
            parent,
            NodeData::Element {
                name: name.clone().into_boxed_str(),
                attrs,
            },
        );
        if is_void || self_closing {
            return;
        }
        if is_raw {
            self.raw_text(id, &name);
            return;
        }
        if self.stack.len() < MAX_DEPTH {
            self.stack.push(id);
        }
    }

    /// Content of a raw-text element up to its end tag, as one text child.
    fn raw_text(&mut self, id: NodeId, name: &str) {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let mut search = start;
        let end = loop {
            match find(&bytes[search..], b"</") {
                None => break bytes.len(),
                Some(i) => {
                    let at = search + i;
                    let after = at + 2 + name.len();
                    let matches_name = bytes
                        .get(at + 2..after)
                        .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
                    let terminated = matches!(
                        bytes.get(after),
                        None | Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
                    );
                    if matches_name && terminated {
                        break at;
                    }
                    search = at + 2;
                }
            }
        };
        if end > start {
            let raw = &self.src[start..end];
            let text = if name == "title" || name == "textarea" {
                decode_entities(raw).into_owned()
            } else {
                raw.to_string()
            };
            self.append(id, NodeData::Text(text.into_boxed_str()));
        }
        self.pos = end;
        if end < bytes.len() {
            self.skip_past_gt();
        }
    }

    /// Pop elements that the start tag `name` closes implicitly.
    fn close_implied(&mut self, name: &str) {
        if CLOSES_P.contains(&name) {
            self.close_in_scope("p", SCOPE_BOUNDARY);
        }
        match name {
            "li" => self.close_in_scope("li", &["ul", "ol", "menu", "table", "td", "th"]),
            "dt" | "dd" => {
                self.close_in_scope("dd", &["dl", "table", "td", "th"]);
                self.close_in_scope("dt", &["dl", "table", "td", "th"]);
            }
            "tr" => {
                self.close_in_scope("td", &["table", "tr"]);
                self.close_in_scope("th", &["table", "tr"]);
                self.close_in_scope("tr", &["table"]);
            }
            "td" | "th" => {
                self.close_in_scope("td", &["table", "tr"]);
                self.close_in_scope("th", &["table", "tr"]);
            }
            "tbody" | "thead" | "tfoot" => {
                for t in ["td", "th", "tr", "tbody", "thead", "tfoot"] {
                    self.close_in_scope(t, &["table"]);
                }
            }
            "option" => self.close_in_scope("option", &["select", "datalist"]),
            "a" => self.close_in_scope("a", SCOPE_BOUNDARY),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let cur = self.current();
                if matches!(
                    self.nodes[cur as usize].data,
                    NodeData::Element { ref name, .. } if matches!(name.as_ref(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
                ) {
                    self.stack.pop();
                }
            }
            _ => {}
        }
    }

    /// If an element `target` is open above the nearest boundary, pop up to and including it.
    fn close_in_scope(&mut self, target: &str, boundaries: &[&str]) {
        for depth in (1..self.stack.len()).rev() {
            let id = self.stack[depth];
            if let NodeData::Element { name, .. } = &self.nodes[id as usize].data {
                if name.as_ref() == target {
                    self.stack.truncate(depth);
                    return;
                }
                if boundaries.contains(&name.as_ref()) {
                    return;
                }
            }
        }
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        match memchr(first, &hay[i..=hay.len() - needle.len()]) {
            None => return None,
            Some(off) => {
                i += off;
                if &hay[i..i + needle.len()] == needle {
                    return Some(i);
                }
                i += 1;
            }
        }
    }
    None
}
