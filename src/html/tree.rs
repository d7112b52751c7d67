//! Arena DOM and the tokenizer/tree builder that fills it in one pass.
//!
//! Built for speed: tag names are interned ([`Tag`], one byte for every
//! element that news pages use), attribute names and values live in one string
//! arena per document with the attribute records in one shared list, and
//! whitespace-only text needs no allocation. A page costs a handful of
//! allocations for its elements instead of several per element.

use super::MAX_DEPTH;
use super::entities::{decode_attribute_entities, decode_entities};
use std::borrow::Cow;

/// Index of a node in its [`Document`].
pub type NodeId = u32;

macro_rules! tags {
    ($($id:ident $s:literal)*) => {
        /// A known (interned) element name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Tag { $(#[doc = concat!("The `<", $s, ">` element.")] $id,)* }

        const TAG_NAMES: &[&str] = &[$($s,)*];

        /// Every tag, by its number.
        const ALL_TAGS: &[Tag] = &[$(Tag::$id,)*];

        /// The packed names of [`ALL_TAGS`] in an open-addressing table built at
        /// compile time (see [`tag_for_key`]).
        static TAG_TABLE: TagTable = TagTable::build(&[$(pack($s.as_bytes()),)*]);
    };
}

tags! {
    Html "html" Head "head" Body "body" Title "title" Meta "meta" Link "link" Base "base"
    Script "script" Style "style" Noscript "noscript" Template "template" Iframe "iframe"
    Object "object" Embed "embed" Param "param" Source "source" Track "track"
    Div "div" Span "span" P "p" A "a" B "b" I "i" U "u" S "s" Em "em" Strong "strong"
    Small "small" Big "big" Sub "sub" Sup "sup" Mark "mark" Code "code" Pre "pre" Kbd "kbd"
    Samp "samp" Var "var" Q "q" Cite "cite" Abbr "abbr" Dfn "dfn" Time "time" Data "data"
    Br "br" Hr "hr" Wbr "wbr" Img "img" Picture "picture" Video "video" Audio "audio"
    Canvas "canvas" Svg "svg" Map "map" Area "area"
    H1 "h1" H2 "h2" H3 "h3" H4 "h4" H5 "h5" H6 "h6" Header "header" Footer "footer" Nav "nav"
    Aside "aside" Main "main" Article "article" Section "section" Address "address"
    Hgroup "hgroup"
    Ul "ul" Ol "ol" Li "li" Dl "dl" Dt "dt" Dd "dd" Menu "menu" Dir "dir"
    Table "table" Caption "caption" Thead "thead" Tbody "tbody" Tfoot "tfoot" Tr "tr" Td "td"
    Th "th" Col "col" Colgroup "colgroup"
    Form "form" Input "input" Button "button" Select "select" Opt "option"
    Optgroup "optgroup" Datalist "datalist" Textarea "textarea" Label "label"
    Fieldset "fieldset" Legend "legend" Output "output" Progress "progress" Meter "meter"
    Keygen "keygen"
    Blockquote "blockquote" Figure "figure" Figcaption "figcaption" Details "details"
    Summary "summary" Dialog "dialog" Center "center" Font "font"
    Xmp "xmp" Noembed "noembed" Plaintext "plaintext" Marquee "marquee" Applet "applet"
    Frame "frame" Frameset "frameset" Noframes "noframes"
    Ins "ins" Del "del" Bdi "bdi" Bdo "bdo" Ruby "ruby" Rt "rt" Rp "rp" Nobr "nobr" Tt "tt"
    Strike "strike"
}

/// A lowercase name of at most 15 bytes and its length as one number (the
/// length keeps names with trailing NUL bytes apart).
const fn pack(name: &[u8]) -> u128 {
    let mut key = (name.len() as u128) << 120;
    let mut i = 0;
    while i < name.len() {
        key |= (name[i] as u128) << (8 * i);
        i += 1;
    }
    key
}

/// Slots of [`TAG_TABLE`]: a power of two, about four times the tags, so that a
/// lookup nearly always decides at its first slot.
const TAG_SLOTS: usize = 512;

/// Packed tag names by hash slot, linear probing; `tags[i]` is the tag's number
/// plus one, 0 for an empty slot.
struct TagTable {
    keys: [u128; TAG_SLOTS],
    tags: [u8; TAG_SLOTS],
}

/// Home slot of a packed name: both halves folded, then a multiplicative hash.
const fn tag_slot(key: u128) -> usize {
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - TAG_SLOTS.trailing_zeros())) as usize
}

impl TagTable {
    const fn build(keys: &[u128]) -> TagTable {
        // At most 128 tags: a [`TagSet`] has one bit for each.
        assert!(keys.len() <= 128 && keys.len() < TAG_SLOTS / 2);
        let mut t = TagTable {
            keys: [0; TAG_SLOTS],
            tags: [0; TAG_SLOTS],
        };
        let mut n = 0;
        while n < keys.len() {
            let mut i = tag_slot(keys[n]);
            while t.tags[i] != 0 {
                i = (i + 1) % TAG_SLOTS;
            }
            t.keys[i] = keys[n];
            t.tags[i] = n as u8 + 1;
            n += 1;
        }
        t
    }
}

/// The tag named by a lowercase name, packed with [`pack`]. A hash lookup: it
/// runs for every start and end tag of every page, and the `match` on 128-bit
/// keys it replaces compiled to a chain of comparisons (1% of an index run's
/// instructions, and hard-to-predict branches).
fn tag_for_key(key: u128) -> Option<Tag> {
    let mut i = tag_slot(key);
    loop {
        let n = TAG_TABLE.tags[i];
        if n == 0 {
            return None;
        }
        if TAG_TABLE.keys[i] == key {
            return Some(ALL_TAGS[n as usize - 1]);
        }
        i = (i + 1) % TAG_SLOTS;
    }
}

impl Tag {
    /// The tag of an element name, in any ASCII case.
    pub fn from_name(name: &str) -> Option<Tag> {
        let b = name.as_bytes();
        if b.is_empty() || b.len() > 15 {
            return None;
        }
        let mut key = (b.len() as u128) << 120;
        for (i, &c) in b.iter().enumerate() {
            key |= (c.to_ascii_lowercase() as u128) << (8 * i);
        }
        tag_for_key(key)
    }

    /// The lowercase name.
    pub fn name(self) -> &'static str {
        TAG_NAMES[self as usize]
    }

    /// True when the tag is in `set` (see [`tag_set`]).
    pub fn in_set(self, set: TagSet) -> bool {
        let n = self as usize;
        (set.0[n >> 6] >> (n & 63)) & 1 != 0
    }
}

/// A set of tags (one bit per tag), as two 64-bit words: testing a bit of a
/// word is a shift and a mask, where a 128-bit shift takes several
/// instructions, and the tree builder tests sets at every open element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagSet([u64; 2]);

/// The set of the given tags, usable in constants.
pub const fn tag_set(tags: &[Tag]) -> TagSet {
    let mut words = [0u64; 2];
    let mut i = 0;
    while i < tags.len() {
        let n = tags[i] as usize;
        words[n >> 6] |= 1 << (n & 63);
        i += 1;
    }
    TagSet(words)
}

const _: () = assert!(TAG_NAMES.len() <= 128, "tag sets are 128 bits");

/// An element's lowercase name: an interned tag, or the name itself when it
/// is not one of the known tags (custom elements, rare SVG and MathML names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagName {
    /// One of the interned names.
    Known(Tag),
    /// Any other name, lowercase, as the page spelled it.
    Other(Box<str>),
}

impl TagName {
    /// The lowercase name, whichever way it is stored.
    pub fn as_str(&self) -> &str {
        match self {
            TagName::Known(t) => t.name(),
            TagName::Other(s) => s,
        }
    }

    /// The interned tag; `None` for names outside the known set.
    pub fn tag(&self) -> Option<Tag> {
        match self {
            TagName::Known(t) => Some(*t),
            TagName::Other(_) => None,
        }
    }
}

impl std::ops::Deref for TagName {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

/// Where an element's attributes are in its document's attribute list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttrRange {
    start: u32,
    len: u32,
}

/// One attribute: name (lowercase) and value (entity-decoded), as byte ranges
/// of the document's string arena.
#[derive(Debug, Clone, Copy)]
struct Attr {
    name: (u32, u32),
    value: (u32, u32),
}

/// What a node holds.
#[derive(Debug, Clone)]
pub enum NodeData {
    /// The document itself (the root of every tree).
    Document,
    /// An element with its lowercase tag name and attributes (names lowercase,
    /// values entity-decoded; read them with [`Document::attr`]).
    Element {
        /// The lowercase tag name.
        name: TagName,
        /// Where its attributes are in the document's attribute list.
        attrs: AttrRange,
    },
    /// Text, entity-decoded (raw for `script` and `style`); read it with
    /// [`Document::text`].
    Text(TextSpan),
}

/// Where a text node's text is in its document's text arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextSpan {
    start: u32,
    end: u32,
}

/// One node with its links to parent, first/last child and next sibling.
#[derive(Debug, Clone)]
pub struct Node {
    /// The enclosing node; `None` only for the root.
    pub parent: Option<NodeId>,
    /// The first child in document order; `None` for a leaf.
    pub first_child: Option<NodeId>,
    /// The last child in document order; `None` for a leaf.
    pub last_child: Option<NodeId>,
    /// The next node with the same parent; `None` for a last child.
    pub next_sibling: Option<NodeId>,
    /// What the node is: the document, an element or text.
    pub data: NodeData,
}

/// A parsed page: nodes in document order, the root at index 0.
#[derive(Debug, Clone)]
pub struct Document {
    nodes: Vec<Node>,
    attrs: Vec<Attr>,
    /// Attribute names and values.
    strings: String,
    /// The text of every text node, one after another.
    texts: String,
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

    /// The node with this id; panics on an id not from this document.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// The enclosing node; `None` for the root.
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).parent
    }

    /// Lowercase tag name of an element, `None` for text and the root.
    pub fn name(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).data {
            NodeData::Element { name, .. } => Some(name.as_str()),
            _ => None,
        }
    }

    /// The interned tag of an element, `None` for text, the root and
    /// elements with names that are not known tags.
    pub fn tag(&self, id: NodeId) -> Option<Tag> {
        match &self.node(id).data {
            NodeData::Element {
                name: TagName::Known(t),
                ..
            } => Some(*t),
            _ => None,
        }
    }

    /// True when `id` is an element named `name` (lowercase).
    pub fn is(&self, id: NodeId, name: &str) -> bool {
        self.name(id) == Some(name)
    }

    /// True when `id` is the element `tag`.
    pub fn is_tag(&self, id: NodeId, tag: Tag) -> bool {
        self.tag(id) == Some(tag)
    }

    /// Text of a text node.
    pub fn text(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).data {
            NodeData::Text(span) => Some(&self.texts[span.start as usize..span.end as usize]),
            _ => None,
        }
    }

    fn string(&self, (start, end): (u32, u32)) -> &str {
        self.strings.get(start as usize..end as usize).unwrap_or("")
    }

    fn attr_list(&self, id: NodeId) -> &[Attr] {
        match &self.node(id).data {
            NodeData::Element { attrs, .. } => {
                let start = attrs.start as usize;
                self.attrs
                    .get(start..start + attrs.len as usize)
                    .unwrap_or(&[])
            }
            _ => &[],
        }
    }

    /// Attribute value of an element (name lowercase).
    pub fn attr(&self, id: NodeId, attr: &str) -> Option<&str> {
        let bytes = self.strings.as_bytes();
        let want = attr.as_bytes();
        self.attr_list(id)
            .iter()
            .find(|a| {
                (a.name.1 - a.name.0) as usize == want.len()
                    && bytes.get(a.name.0 as usize..a.name.1 as usize) == Some(want)
            })
            .map(|a| self.string(a.value))
    }

    /// All attributes of an element, `(name, value)` in source order.
    pub fn attrs(&self, id: NodeId) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.attr_list(id)
            .iter()
            .map(|a| (self.string(a.name), self.string(a.value)))
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
    // Runs of non-whitespace are copied whole; each run of whitespace (Unicode
    // White_Space, as `char::is_whitespace`) adds at most one space. Only bytes
    // that can start whitespace are looked at closely.
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    // Where the next 8-byte block may be tried (after a block that was not
    // clean, its bytes go one by one).
    let mut retry = 0;
    while i < bytes.len() {
        // Inside a run, whole blocks of words and lone spaces stay in it.
        if i > run && i >= retry {
            while i + 32 < bytes.len() && clean_block32(bytes, i) {
                i += 32;
            }
            loop {
                if i + 8 >= bytes.len() {
                    retry = i + 8;
                    break;
                }
                let faults = block_faults(bytes, i);
                if faults != 0 {
                    // The bytes before the first that needs a close look are
                    // plain: one by one from that byte to the block's end (a
                    // lone space kept in the run right before whitespace folds
                    // with it as before: `out` then ends with that space).
                    retry = i + 8;
                    i += (faults.trailing_zeros() / 8) as usize;
                    break;
                }
                i += 8;
            }
        }
        let class = WS_BYTE_CLASS[bytes[i] as usize];
        if class == 0 {
            i += 1;
            continue;
        }
        // A lone ASCII space between two words is already collapsed: it stays
        // in the run, so most text is copied in one piece, not word by word.
        if bytes[i] == b' '
            && i > run
            && bytes
                .get(i + 1)
                .is_some_and(|&b| WS_BYTE_CLASS[b as usize] == 0)
        {
            i += 2;
            continue;
        }
        let (ws, len) = if class == 1 {
            (true, 1)
        } else {
            // A lead byte is always at a character boundary.
            match text[i..].chars().next() {
                Some(ch) => (ch.is_whitespace(), ch.len_utf8()),
                None => break,
            }
        };
        if ws {
            out.push_str(&text[run..i]);
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            run = i + len;
        }
        i += len;
    }
    out.push_str(&text[run..]);
}

/// The bytes of the 8 at `i` (preceded by a byte that is not whitespace, and
/// followed by at least one more byte) that may have something to fold, as
/// the high bit of each (0 when the block is clean): a control byte, a byte
/// that starts a multi-byte character, a space followed by a space, and a last
/// space followed by a byte that may start whitespace. The lowest bit set is
/// the first such byte, exactly: the borrow of the control test only runs
/// from a control byte to the bytes after it.
fn block_faults(bytes: &[u8], i: usize) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let w = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
    // Bytes 0xC0 and up (bits 7 and 6 set) start a multi-byte character.
    let lead = w & (w << 1) & HIGH;
    // Bytes below 0x20 (tab, new line, other controls); may also flag bytes
    // after one.
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    // Exactly the bytes that are spaces.
    let x = w ^ (ONES * 0x20);
    let spaces = !(((x & !HIGH) + !HIGH) | x) & HIGH;
    let double = spaces & (spaces >> 8);
    let last_space = if spaces >> 63 != 0 && WS_BYTE_CLASS[bytes[i + 8] as usize] != 0 {
        1 << 63
    } else {
        0
    };
    lead | control | double | last_space
}

/// Whether [`block_faults`] finds nothing in the 32 bytes at `i` (followed by at least one more
/// byte): no control byte, no byte that starts a multi-byte character, no
/// space followed by a space, and a last space followed by a byte that cannot
/// start whitespace. Written as one pass without an early exit, which the
/// compiler turns into vector compares: most text nodes are long runs of
/// plain words, passed over in a quarter of the steps of 8 bytes at a time.
fn clean_block32(bytes: &[u8], i: usize) -> bool {
    let b: &[u8; 33] = bytes[i..i + 33].try_into().expect("33 bytes");
    let mut bad = false;
    for k in 0..32 {
        let c = b[k];
        // Inside the block the only bytes that can start whitespace are
        // spaces (the others are controls or lead bytes, refused here).
        bad |= !(0x20..0xC0).contains(&c) | ((c == b' ') & (b[k + 1] == b' '));
    }
    !bad && (b[31] != b' ' || WS_BYTE_CLASS[b[32] as usize] == 0)
}

/// What a byte can start: 0 nothing of note (a letter, a digit, a
/// continuation byte), 1 ASCII whitespace (`\t`..`\r`, space), 2 the lead byte
/// of a character that may be Unicode whitespace (U+0085, U+00A0, U+1680,
/// U+2000..U+205F and U+3000 all start with one of these four bytes).
const WS_BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b' ' as usize] = 1;
    let mut c = b'\t';
    while c <= b'\r' {
        t[c as usize] = 1;
        c += 1;
    }
    t[0xC2] = 2;
    t[0xE1] = 2;
    t[0xE2] = 2;
    t[0xE3] = 2;
    t
};

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

use Tag::*;

const VOID: TagSet = tag_set(&[
    Area, Base, Br, Col, Embed, Hr, Img, Input, Link, Meta, Param, Source, Track, Wbr, Keygen,
]);

/// Elements whose content is not markup. `title` and `textarea` still decode references.
const RAW_TEXT: TagSet = tag_set(&[
    Script, Style, Xmp, Iframe, Noembed, Noscript, Textarea, Title, Plaintext,
]);

/// Start tags that close an open `<p>` (HTML's "close a p element" list).
const CLOSES_P: TagSet = tag_set(&[
    Address, Article, Aside, Blockquote, Center, Details, Dialog, Dir, Div, Dl, Fieldset,
    Figcaption, Figure, Footer, Form, H1, H2, H3, H4, H5, H6, Header, Hgroup, Hr, Main, Menu, Nav,
    Ol, P, Pre, Section, Summary, Table, Ul, Li, Dd, Dt,
]);

/// Elements that stop the search for an open `<p>` or `<li>` to close.
const SCOPE_BOUNDARY: TagSet = tag_set(&[
    Table, Td, Th, Caption, Button, Object, Template, Marquee, Applet, Html,
]);
const LI_SCOPE: TagSet = tag_set(&[Ul, Ol, Menu, Table, Td, Th]);
const DL_SCOPE: TagSet = tag_set(&[Dl, Table, Td, Th]);
const ROW_SCOPE: TagSet = tag_set(&[Table, Tr]);
const TABLE_SCOPE: TagSet = tag_set(&[Table]);
const SELECT_SCOPE: TagSet = tag_set(&[Select, Datalist]);
const HEADINGS: TagSet = tag_set(&[H1, H2, H3, H4, H5, H6]);
/// Elements that stay in an open `<head>`; any other start tag ends it (HTML's
/// "in head" insertion mode), so a page without `</head>` still has a body.
const IN_HEAD: TagSet = tag_set(&[
    Base, Link, Meta, Title, Style, Script, Noscript, Template, Head, Html,
]);

/// A tag name as read from the source, before it is stored.
enum ReadName<'a> {
    Known(Tag),
    /// Not a known tag: the name as written (any case).
    Other(&'a str),
}

pub(super) struct TreeBuilder<'a> {
    src: &'a str,
    pos: usize,
    nodes: Vec<Node>,
    attrs: Vec<Attr>,
    strings: String,
    texts: String,
    stack: Vec<Open>,
}

/// An open element: its node and, when known, its tag (kept here so that the
/// scope checks of every start tag read this array, not the node array).
#[derive(Clone, Copy)]
struct Open {
    id: NodeId,
    tag: Option<Tag>,
}

impl<'a> TreeBuilder<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        // News pages have about one node per 20 bytes; growing the array
        // copies it whole.
        let mut nodes = Vec::with_capacity(src.len() / 20 + 8);
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
            attrs: Vec::with_capacity(src.len() / 80 + 8),
            strings: String::with_capacity(src.len() / 8 + 64),
            texts: String::with_capacity(src.len() / 2 + 64),
            stack: vec![Open { id: 0, tag: None }],
        }
    }

    pub(super) fn build(mut self) -> Document {
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() {
            match memchr::memchr(b'<', &bytes[self.pos..]) {
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
        Document {
            nodes: self.nodes,
            attrs: self.attrs,
            strings: self.strings,
            texts: self.texts,
        }
    }

    fn current(&self) -> NodeId {
        self.stack.last().map_or(0, |o| o.id)
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
        self.push_text(parent, decoded);
    }

    /// Append text, merging with a preceding text node; whitespace-only runs are
    /// kept as one space (they separate inline words) to save memory. All text
    /// goes into the document's one text arena: no allocation per node.
    fn push_text(&mut self, parent: NodeId, text: Cow<'_, str>) {
        let text: &str = if text.bytes().all(|b| b.is_ascii_whitespace()) {
            " "
        } else {
            &text
        };
        if let Some(last) = self.nodes[parent as usize].last_child
            && let NodeData::Text(span) = &mut self.nodes[last as usize].data
        {
            if span.end as usize != self.texts.len() {
                // Other text came after it (never seen in practice): move the
                // node's text to the end so that it can grow in place.
                let start = self.texts.len();
                self.texts
                    .extend_from_within(span.start as usize..span.end as usize);
                span.start = start as u32;
            }
            self.texts.push_str(text);
            span.end = self.texts.len() as u32;
            return;
        }
        let span = self.push_arena_text(text);
        self.append(parent, NodeData::Text(span));
    }

    fn push_arena_text(&mut self, text: &str) -> TextSpan {
        let start = self.texts.len() as u32;
        self.texts.push_str(text);
        TextSpan {
            start,
            end: self.texts.len() as u32,
        }
    }

    /// At a `<`: a comment, doctype, end tag, start tag, or a literal `<`.
    fn markup(&mut self) {
        let bytes = self.src.as_bytes();
        let rest = &bytes[self.pos..];
        // Dispatch on the byte after `<` (a start tag is by far the most
        // common): `starts_with` against each prefix in turn was a call into
        // `memcmp` per prefix, four per tag (3.4% of indexing instructions).
        match rest.get(1) {
            Some(b) if b.is_ascii_alphabetic() => self.start_tag(),
            Some(b'!') if rest.get(2) == Some(&b'-') && rest.get(3) == Some(&b'-') => {
                self.pos = match memchr::memmem::find(&rest[4..], b"-->") {
                    Some(i) => self.pos + 4 + i + 3,
                    None => bytes.len(),
                };
            }
            Some(b'!' | b'?') => self.skip_past_gt(),
            Some(b'/') => {
                if rest.get(2).is_some_and(|b| b.is_ascii_alphabetic()) {
                    self.end_tag();
                } else {
                    self.skip_past_gt();
                }
            }
            _ => {
                let parent = self.current();
                self.push_text(parent, Cow::Borrowed("<"));
                self.pos += 1;
            }
        }
    }

    fn skip_past_gt(&mut self) {
        let bytes = self.src.as_bytes();
        self.pos = match memchr::memchr(b'>', &bytes[self.pos..]) {
            Some(i) => self.pos + i + 1,
            None => bytes.len(),
        };
    }

    /// A tag name: up to whitespace, `/` or `>`.
    fn read_name(&mut self) -> ReadName<'a> {
        let src = self.src;
        let bytes = src.as_bytes();
        let start = self.pos;
        // The key of `pack` is built in the same pass that finds the end of
        // the name (each byte stored lowercase into a block), not by copying
        // the name into the block and lowercasing that afterwards: the copy
        // was a `memcpy` call per tag. (Shifting each byte into a `u128` cost
        // more than the stores.) Bytes past the 15th are not stored: such a
        // name is never a known tag.
        let mut block = [0u8; 16];
        let mut i = start;
        while i < bytes.len() {
            let c = bytes[i];
            if matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>') {
                break;
            }
            if let Some(slot) = block[..15].get_mut(i - start) {
                *slot = c.to_ascii_lowercase();
            }
            i += 1;
        }
        self.pos = i;
        let len = i - start;
        let tag = if len <= 15 {
            tag_for_key(u128::from_le_bytes(block) | (len as u128) << 120)
        } else {
            None
        };
        match tag {
            Some(t) => ReadName::Known(t),
            None => ReadName::Other(&src[start..i]),
        }
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
        match name {
            ReadName::Known(Br) => {
                let parent = self.current();
                self.append(
                    parent,
                    NodeData::Element {
                        name: TagName::Known(Br),
                        attrs: AttrRange::default(),
                    },
                );
            }
            ReadName::Known(Body | Html) => {}
            _ => {
                let found = self.stack.iter().rposition(|o| match &name {
                    ReadName::Known(n) => o.tag == Some(*n),
                    ReadName::Other(n) => matches!(
                        &self.nodes[o.id as usize].data,
                        NodeData::Element { name: TagName::Other(s), .. } if n.eq_ignore_ascii_case(s)
                    ),
                });
                if let Some(depth) = found
                    && depth > 0
                {
                    self.stack.truncate(depth);
                }
            }
        }
    }

    fn start_tag(&mut self) {
        let bytes = self.src.as_bytes();
        self.pos += 1;
        let name = match self.read_name() {
            ReadName::Known(t) => TagName::Known(t),
            ReadName::Other(s) => TagName::Other(s.to_ascii_lowercase().into_boxed_str()),
        };
        let first_attr = self.attrs.len();
        let mut self_closing = false;
        loop {
            self.skip_ws();
            let Some(&b) = bytes.get(self.pos) else {
                // End of input inside a tag: the tag is dropped, as browsers do.
                self.attrs.truncate(first_attr);
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
                    let raw_name = &self.src[attr_start..self.pos];
                    self.skip_ws();
                    let value = if bytes.get(self.pos) == Some(&b'=') {
                        self.pos += 1;
                        self.skip_ws();
                        self.attr_value()
                    } else {
                        (attr_start, attr_start)
                    };
                    self.push_attr(first_attr, raw_name, value);
                }
            }
        }
        let attrs = AttrRange {
            start: first_attr as u32,
            len: (self.attrs.len() - first_attr) as u32,
        };
        self.open_element(name, attrs, self_closing);
    }

    /// Store an attribute of the element whose attributes start at `first`,
    /// unless it repeats one (the first wins). `value` is a source range.
    fn push_attr(&mut self, first: usize, raw_name: &str, value: (usize, usize)) {
        let duplicate = self.attrs[first..].iter().any(|a| {
            let n = &self.strings[a.name.0 as usize..a.name.1 as usize];
            n.len() == raw_name.len()
                && n.bytes()
                    .zip(raw_name.bytes())
                    .all(|(x, y)| x == y.to_ascii_lowercase())
        });
        if duplicate {
            return;
        }
        let raw_value = &self.src[value.0..value.1];
        let decoded = decode_attribute_entities(raw_value);
        // Ranges are u32: a (never seen) arena over 4 GiB drops attributes.
        if self.strings.len() + raw_name.len() + decoded.len() > u32::MAX as usize {
            return;
        }
        let name_start = self.strings.len();
        self.strings.push_str(raw_name);
        self.strings[name_start..].make_ascii_lowercase();
        let value_start = self.strings.len();
        self.strings.push_str(&decoded);
        self.attrs.push(Attr {
            name: (name_start as u32, value_start as u32),
            value: (value_start as u32, self.strings.len() as u32),
        });
    }

    /// The source range of an attribute value (quotes excluded).
    fn attr_value(&mut self) -> (usize, usize) {
        let bytes = self.src.as_bytes();
        match bytes.get(self.pos) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = self.pos + 1;
                let end = memchr::memchr(q, &bytes[start..]).map_or(bytes.len(), |i| start + i);
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
        }
    }

    fn open_element(&mut self, name: TagName, attrs: AttrRange, self_closing: bool) {
        let tag = name.tag();
        if let Some(t) = tag {
            self.close_implied(t);
        }
        let parent = self.current();
        let is_void = tag.is_some_and(|t| t.in_set(VOID));
        let raw = tag.filter(|t| t.in_set(RAW_TEXT));
        let id = self.append(parent, NodeData::Element { name, attrs });
        if is_void || self_closing {
            return;
        }
        if let Some(t) = raw {
            self.raw_text(id, t);
            return;
        }
        if self.stack.len() < MAX_DEPTH {
            self.stack.push(Open { id, tag });
        }
    }

    /// Content of a raw-text element up to its end tag, as one text child.
    fn raw_text(&mut self, id: NodeId, tag: Tag) {
        let name = tag.name();
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let mut search = start;
        let end = loop {
            match memchr::memmem::find(&bytes[search..], b"</") {
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
            let span = if matches!(tag, Title | Textarea) {
                self.push_arena_text(&decode_entities(raw))
            } else {
                self.push_arena_text(raw)
            };
            self.append(id, NodeData::Text(span));
        }
        self.pos = end;
        if end < bytes.len() {
            self.skip_past_gt();
        }
    }

    /// Pop elements that the start tag `tag` closes implicitly.
    fn close_implied(&mut self, tag: Tag) {
        if !tag.in_set(IN_HEAD) && self.current_tag() == Some(Head) {
            self.stack.pop();
        }
        if tag.in_set(CLOSES_P) {
            self.close_in_scope(P, SCOPE_BOUNDARY);
        }
        match tag {
            Li => self.close_in_scope(Li, LI_SCOPE),
            Dt | Dd => {
                self.close_in_scope(Dd, DL_SCOPE);
                self.close_in_scope(Dt, DL_SCOPE);
            }
            Tr => {
                self.close_in_scope(Td, ROW_SCOPE);
                self.close_in_scope(Th, ROW_SCOPE);
                self.close_in_scope(Tr, TABLE_SCOPE);
            }
            Td | Th => {
                self.close_in_scope(Td, ROW_SCOPE);
                self.close_in_scope(Th, ROW_SCOPE);
            }
            Tbody | Thead | Tfoot => {
                for t in [Td, Th, Tr, Tbody, Thead, Tfoot] {
                    self.close_in_scope(t, TABLE_SCOPE);
                }
            }
            Opt => self.close_in_scope(Opt, SELECT_SCOPE),
            A => self.close_in_scope(A, SCOPE_BOUNDARY),
            H1 | H2 | H3 | H4 | H5 | H6
                if self.current_tag().is_some_and(|t| t.in_set(HEADINGS)) =>
            {
                self.stack.pop();
            }
            _ => {}
        }
    }

    fn current_tag(&self) -> Option<Tag> {
        self.stack.last().and_then(|o| o.tag)
    }

    /// If an element `target` is open above the nearest boundary, pop up to and including it.
    fn close_in_scope(&mut self, target: Tag, boundaries: TagSet) {
        for depth in (1..self.stack.len()).rev() {
            if let Some(t) = self.stack[depth].tag {
                if t == target {
                    self.stack.truncate(depth);
                    return;
                }
                if t.in_set(boundaries) {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_is_found_by_its_name_and_nothing_else_is() {
        for &t in ALL_TAGS {
            assert_eq!(Tag::from_name(t.name()), Some(t), "{}", t.name());
            assert_eq!(Tag::from_name(&t.name().to_uppercase()), Some(t));
        }
        for other in [
            "",
            "x",
            "h7",
            "hea",
            "divx",
            "my-widget",
            "scrip",
            "fb:like",
            "abbrevia",
        ] {
            assert_eq!(Tag::from_name(other), None, "{other}");
        }
        assert_eq!(Tag::from_name("blockquoteblock"), None); // 15 bytes
        assert_eq!(Tag::from_name("blockquotes-long"), None); // 16 bytes
    }
}
