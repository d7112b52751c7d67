//! Main-content detection on a parsed page.
//!
//! 1. Mark boilerplate subtrees: by tag (`nav`, `aside`, `footer`, scripts), by
//!    hidden-ness, by ARIA role, and by class/id words (share, related, comment,
//!    newsletter, cookie, ad, ...). A flagged element (or a `form`) that holds most
//!    of the page's prose is kept anyway: wrappers like `class="page has-sidebar"`
//!    or ASP.NET's page-wide form exist; so is the wrapper of a quoted tweet.
//!    Link clusters inside a paragraph (hover cards) are dropped.
//! 2. Score containers by the paragraphs they hold (text length, commas, link
//!    density, class/id hints), as readability does, and pick the best one. Loose
//!    text runs (text split by `<br>`) count as paragraphs of their container.
//! 3. Add sibling blocks that look like article text and the other chunks of an
//!    article split into repeated containers, then render the chosen subtrees to
//!    text: one block per paragraph, heading, list item, quote or table row,
//!    separated by a blank line. Link-heavy blocks, related-story lists, prompts,
//!    pitches, credits, captions and a leading byline are dropped.

use crate::html::{Document, NodeData, NodeId, Tag, TagSet, push_collapsed, tag_set};

/// Class/id words that mark boilerplate when they occur anywhere in the value.
const NEGATIVE_SUBSTRINGS: &[&str] = &[
    "comment",
    "share",
    "sharing",
    "social",
    "related",
    "recommend",
    "newsletter",
    "subscribe",
    "signup",
    "sign-up",
    "cookie",
    "consent",
    "gdpr",
    "advert",
    "sponsor",
    "promo",
    "breadcrumb",
    "sidebar",
    "footer",
    "masthead",
    "navbar",
    "navigation",
    "menu",
    "popup",
    "modal",
    "paywall",
    "outbrain",
    "taboola",
    "disqus",
    "byline",
    "caption",
    "credit",
    "toolbar",
    "widget",
    "trending",
    "popular",
    "readmore",
    "read-more",
    "author-bio",
    "authorbio",
    "author-info",
    "about-author",
    "skip-link",
    "skiplink",
    "visually-hidden",
    "sr-only",
    "screen-reader",
    "pagination",
    "pager",
    "print",
    "dateline",
    "timestamp",
    "banner",
    "tags",
    "tagcloud",
    "topics",
    "most-read",
    "mostread",
    "follow",
    "login",
    "donate",
    "meta",
];

/// Class/id words that mark boilerplate only as a whole word (too short to match
/// inside other words).
const NEGATIVE_TOKENS: &[&str] = &[
    "ad", "ads", "nav", "tag", "bio", "rail", "more", "header", "top", "date", "author", "byline",
    "aside", "extra", "share", "links", "foot", "utility", "tools", "cta", "teaser",
];

/// Class/id words that suggest article text.
const POSITIVE: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "main",
    "post",
    "story",
    "text",
    "blog",
    "prose",
    "richtext",
    "rich-text",
];

/// Tags whose whole subtree is never article text.
const JUNK_TAGS: TagSet = tag_set(&[
    Tag::Script,
    Tag::Style,
    Tag::Noscript,
    Tag::Template,
    Tag::Svg,
    Tag::Iframe,
    Tag::Form,
    Tag::Button,
    Tag::Select,
    Tag::Input,
    Tag::Textarea,
    Tag::Nav,
    Tag::Aside,
    Tag::Footer,
    Tag::Figcaption,
    Tag::Header,
    Tag::Object,
    Tag::Embed,
    Tag::Canvas,
    Tag::Video,
    Tag::Audio,
    Tag::Map,
    Tag::Dialog,
    Tag::Head,
    Tag::Title,
    Tag::Meta,
    Tag::Link,
    Tag::Label,
    Tag::Menu,
]);

const BLOCK_TAGS: TagSet = tag_set(&[
    Tag::P,
    Tag::Div,
    Tag::Section,
    Tag::Article,
    Tag::Main,
    Tag::H1,
    Tag::H2,
    Tag::H3,
    Tag::H4,
    Tag::H5,
    Tag::H6,
    Tag::Li,
    Tag::Ul,
    Tag::Ol,
    Tag::Dl,
    Tag::Dt,
    Tag::Dd,
    Tag::Blockquote,
    Tag::Pre,
    Tag::Table,
    Tag::Tr,
    Tag::Td,
    Tag::Th,
    Tag::Figure,
    Tag::Hr,
    Tag::Address,
    Tag::Center,
    Tag::Body,
    Tag::Html,
    Tag::Caption,
    Tag::Tbody,
    Tag::Thead,
    Tag::Tfoot,
]);

/// Short lines that are boilerplate wherever they stand.
const BOILERPLATE_LINES: &[&str] = &[
    "advertisement",
    "advertisements",
    "advert",
    "ad",
    "story continues below advertisement",
    "continue reading below",
    "article continues below",
    "share this article",
    "share this story",
    "share this:",
    "share",
    "related",
    "related stories",
    "related articles",
    "read more",
    "read more:",
    "click to expand",
    "loading...",
    "loading",
    "sponsored",
    "sponsored content",
    "subscribe",
    "print",
    "email",
    "copy link",
];

/// Per-node measurements for scoring.
struct Measures {
    excluded: Vec<bool>,
    /// NEG / POS / STRONG bits of each element's class and id.
    bits: Vec<u8>,
    /// Text nodes inside a link.
    in_link: Vec<bool>,
    text_len: Vec<u32>,
    link_len: Vec<u32>,
    commas: Vec<u32>,
    /// Paragraph text of the whole page outside markup junk (nav, header,
    /// footer, aside, hidden, scripts), before class/id words are judged: the
    /// readable text a chosen body is compared with.
    page_ptext: u32,
}

/// How hard class/id words exclude.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Any boilerplate word excludes an element that does not hold most of the
    /// page's prose.
    Strict,
    /// Only words that name furniture outright (comments, related stories,
    /// cookie notices ...) exclude; an element whose class merely contains a
    /// layout word ("widget", "top", "meta") is kept when it holds prose. The
    /// readability-style retry for pages whose body the strict pass misses.
    Relaxed,
}

/// Which way of finding the article chose a page's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodySource {
    /// The best-scoring container and its article siblings.
    #[default]
    Main,
    /// An ancestor of the best container: the article was split into parts
    /// the sibling rules did not join.
    FallbackAncestor,
    /// A second pass that excludes only outright furniture by class/id words
    /// (readability's retry without its "unlikely candidate" rule).
    FallbackReadability,
    /// Every paragraph-like block outside navigation, header, footer and asides.
    FallbackParagraphs,
    /// The `articleBody` of the page's JSON-LD, when the markup has no body.
    JsonLd,
    /// Nothing on the page reads as article text.
    None,
}

impl BodySource {
    /// The name used in JSON output (`"main"`, `"none"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            BodySource::Main => "main",
            BodySource::FallbackAncestor => "fallback-ancestor",
            BodySource::FallbackReadability => "fallback-readability",
            BodySource::FallbackParagraphs => "fallback-paragraphs",
            BodySource::JsonLd => "json-ld",
            BodySource::None => "none",
        }
    }
}

/// The main content of a page: its text, the subtrees it was read from, and how
/// they were chosen.
#[derive(Debug, Clone, Default)]
pub struct MainContent {
    /// The article text, paragraphs separated by blank lines.
    pub text: String,
    /// The outermost elements whose text makes the body, in document order.
    pub roots: Vec<NodeId>,
    /// Elements inside `roots` left out as page furniture (share bars, related
    /// links, captions ...); renderers of the subtrees skip them too.
    pub skipped: Vec<NodeId>,
    /// The path that chose the body.
    pub source: BodySource,
}

/// The article text of a page, paragraphs separated by blank lines.
///
/// The strict pass (best container, its siblings and twins) is kept unless its
/// text falls far short of the page's readable text; then wider candidates are
/// tried in order (the best container's nearest substantial ancestor, a relaxed
/// pass, every paragraph outside page furniture); each replaces the text kept
/// so far only when it is prose (low link density) and clearly more of it, so
/// an article is never lost to one wrong exclusion while a page whose body the
/// strict pass finds keeps it exactly.
pub fn main_content(doc: &Document, title: Option<&str>) -> MainContent {
    let title_norm = title.map(normalise_line);
    let title = title_norm.as_deref();
    let strict = measure(doc, Mode::Strict);
    let top = best_candidate(doc, &strict);
    let mut best = match top {
        Some(top) => from_top(doc, &strict, top, title, BodySource::Main),
        None => Candidate::default(),
    };
    let readable = strict.page_ptext as usize;
    if !best.falls_short(readable) {
        return best.content;
    }
    if let Some(anc) = top.and_then(|t| substantial_ancestor(doc, &strict, t)) {
        let c = from_roots(doc, &strict, vec![anc], title, BodySource::FallbackAncestor);
        best = best.or_better(c, readable);
    }
    let relaxed = measure(doc, Mode::Relaxed);
    if let Some(top) = best_candidate(doc, &relaxed) {
        let c = from_top(doc, &relaxed, top, title, BodySource::FallbackReadability);
        best = best.or_better(c, readable);
    }
    if best.far_short(readable) {
        let body = doc.find_first(doc.root(), "body").unwrap_or(doc.root());
        let c = from_roots(
            doc,
            &relaxed,
            vec![body],
            title,
            BodySource::FallbackParagraphs,
        );
        best = best.or_better(c, readable);
    }
    if best.content.text.is_empty() {
        best.content.source = BodySource::None;
    }
    best.content
}

/// One possible body with the figures that judge it.
#[derive(Default)]
struct Candidate {
    content: MainContent,
    /// Non-whitespace characters of the text, and those inside links.
    chars: usize,
    link_chars: usize,
    /// Blocks long enough to be paragraphs of prose.
    paragraphs: usize,
    /// Lines of links left out (teaser headlines, link lists).
    link_lines: usize,
    /// Paragraphs that follow a line of links within two blocks: the
    /// summaries of teasers (headline link, maybe a date, summary).
    led_by_links: usize,
}

impl Candidate {
    /// Empty, or under three fifths of the page's paragraph text: the strict
    /// pass may have dropped part of the article (or all of it) by a wrong
    /// exclusion, and the wider containers are worth a look.
    fn falls_short(&self, readable: usize) -> bool {
        self.chars == 0 || self.chars * 5 < readable * 3
    }

    /// Empty, or under half the page's paragraph text: only then is every
    /// paragraph of the page tried, the widest and least certain candidate.
    fn far_short(&self, readable: usize) -> bool {
        self.chars == 0 || self.chars * 2 < readable
    }

    fn link_density(&self) -> f32 {
        self.link_chars as f32 / self.chars.max(1) as f32
    }

    /// Whether `self`, a wider fallback, should replace `other`: prose (low link
    /// density) and clearly more of it. The margin keeps the strict body when a
    /// fallback only adds furniture. A fallback with a line of links for every
    /// paragraph or so, or whose paragraphs often follow a link line, is a list
    /// of teasers (headline link, date, summary): it replaces a body only when
    /// that body is under a third of the page's readable text, where the
    /// "teasers" are likelier the article's own list (a guide's entries).
    fn beats(&self, other: &Candidate, readable: usize) -> bool {
        if self.chars == 0 || self.link_density() > 0.15 {
            return false;
        }
        if other.chars == 0 {
            return self.paragraphs >= 1 || self.chars >= 200;
        }
        let teasers =
            self.link_lines * 4 > self.paragraphs * 5 || self.led_by_links * 3 > self.paragraphs;
        if teasers && other.chars * 3 >= readable {
            return false;
        }
        self.chars * 2 > other.chars * 3 && self.paragraphs > other.paragraphs
    }

    fn or_better(self, other: Candidate, readable: usize) -> Candidate {
        if other.beats(&self, readable) {
            other
        } else {
            self
        }
    }
}

/// The body grown from a top container: it, its article siblings and twins.
fn from_top(
    doc: &Document,
    m: &Measures,
    top: NodeId,
    title: Option<&str>,
    source: BodySource,
) -> Candidate {
    let top = climb_lone_wrappers(doc, m, top);
    let mut roots = with_siblings(doc, m, top);
    roots.extend(twins(doc, m, top));
    roots.sort_unstable();
    roots.dedup();
    let roots = outermost(doc, roots);
    from_roots(doc, m, roots, title, source)
}

/// Render `roots` (outermost, in document order) into a candidate body.
fn from_roots(
    doc: &Document,
    m: &Measures,
    roots: Vec<NodeId>,
    title: Option<&str>,
    source: BodySource,
) -> Candidate {
    let mut blocks = Vec::new();
    for &root in &roots {
        render_blocks(doc, m, root, &mut blocks);
    }
    let link_lines = blocks.iter().filter(|b| b.linky).count();
    let led = led_by_links(&blocks);
    blocks.retain(|b| !b.linky);
    let mut kept = clean_blocks(blocks, title);
    kept.dedup_by(|a, b| a.text == b.text);
    if source != BodySource::Main {
        // Wider candidates take in copies of the article (print, mobile and
        // desktop versions of one page): a paragraph seen before is a copy.
        // Short lines ("Pros", "Price: $20") do repeat within one article.
        let mut seen = rustc_hash::FxHashSet::default();
        kept.retain(|b| b.chars < 80 || seen.insert(b.text.clone()));
    }
    let chars = kept.iter().map(|b| b.chars).sum();
    let link_chars = kept.iter().map(|b| b.link_chars).sum();
    let paragraphs = kept
        .iter()
        .filter(|b| b.chars >= 80 && b.link_chars * 2 < b.chars)
        .count();
    let texts: Vec<String> = kept.into_iter().map(|b| b.text).collect();
    let skipped = skipped_within(doc, m, &roots);
    Candidate {
        content: MainContent {
            text: texts.join("\n\n"),
            roots,
            skipped,
            source,
        },
        chars,
        link_chars,
        paragraphs,
        link_lines,
        led_by_links: led,
    }
}

/// Paragraph-long blocks that come one or two blocks after a line of links.
fn led_by_links(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .enumerate()
        .filter(|(i, b)| {
            !b.linky && b.chars >= 80 && blocks[i.saturating_sub(2)..*i].iter().any(|p| p.linky)
        })
        .count()
}

/// The nearest ancestor of `top` below `<body>` holding at least half as much
/// text again as `top`, mostly outside links: the wrapper of an article whose
/// parts (sections, widget blocks) the sibling rules did not join.
fn substantial_ancestor(doc: &Document, m: &Measures, top: NodeId) -> Option<NodeId> {
    let top_len = m.text_len[top as usize];
    doc.ancestors(top)
        .take_while(|&a| a != 0 && !matches!(doc.tag(a), Some(Tag::Body | Tag::Html)))
        .find(|&a| m.text_len[a as usize] * 2 >= top_len * 3 && link_density(m, a) < 0.25)
}

/// The outermost excluded elements inside `roots`.
fn skipped_within(doc: &Document, m: &Measures, roots: &[NodeId]) -> Vec<NodeId> {
    let mut out = Vec::new();
    let mut stack: Vec<NodeId> = roots.iter().rev().copied().collect();
    while let Some(id) = stack.pop() {
        if m.excluded[id as usize] && !roots.contains(&id) {
            out.push(id);
            continue;
        }
        let kids: Vec<NodeId> = doc.children(id).collect();
        stack.extend(kids.into_iter().rev());
    }
    out
}

/// For debugging: the chosen container and, for the first text node containing
/// `needle`, its ancestors with their class/id and whether they were excluded.
#[doc(hidden)]
pub fn explain(doc: &Document, needle: &str) -> String {
    use std::fmt::Write;
    let m = measure(doc, Mode::Strict);
    let mut out = String::new();
    if let Some(top) = best_candidate(doc, &m) {
        let _ = writeln!(
            out,
            "top: {} {:?} text={}",
            doc.name(top).unwrap_or("#"),
            class_and_id(doc, top),
            m.text_len[top as usize]
        );
        for r in with_siblings(doc, &m, top) {
            let _ = writeln!(
                out,
                "  root {} {:?}",
                doc.name(r).unwrap_or("#"),
                class_and_id(doc, r)
            );
        }
    }
    let hit = doc.descendants(doc.root()).find(|&id| {
        doc.text(id).is_some_and(|t| t.contains(needle))
            && !doc
                .parent(id)
                .is_some_and(|p| matches!(doc.name(p), Some("script" | "style" | "noscript")))
    });
    if let Some(hit) = hit {
        for a in std::iter::once(hit).chain(doc.ancestors(hit)) {
            let _ = writeln!(
                out,
                "{:>6} {:<8} excl={} text={} link={} {:?}",
                a,
                doc.name(a).unwrap_or("#"),
                m.excluded[a as usize],
                m.text_len[a as usize],
                m.link_len[a as usize],
                class_and_id(doc, a)
            );
        }
    }
    out
}

/// Class/id judgement bits.
const NEG: u8 = 1;
const POS: u8 = 2;
const STRONG: u8 = 4;
/// Words that name furniture outright; the relaxed pass excludes only these.
const HARD: u8 = 8;

/// Class/id words (a subset of [`NEGATIVE_SUBSTRINGS`]) that name page
/// furniture whatever the layout: never article text, even when an element
/// named by them holds prose (comment threads, related-story teasers).
const HARD_NEGATIVE: &[&str] = &[
    "comment",
    "related",
    "recommend",
    "newsletter",
    "subscribe",
    "signup",
    "sign-up",
    "cookie",
    "consent",
    "gdpr",
    "advert",
    "sponsor",
    "promo",
    "breadcrumb",
    "footer",
    "navbar",
    "navigation",
    "menu",
    "popup",
    "modal",
    "paywall",
    "outbrain",
    "taboola",
    "disqus",
    "share",
    "sharing",
    "social",
    "byline",
    "caption",
    "author-bio",
    "authorbio",
    "about-author",
    "skip-link",
    "visually-hidden",
    "sr-only",
    "screen-reader",
    "pagination",
    "trending",
    "most-read",
    "mostread",
    "login",
];

/// Class/id words that strongly suggest the article body itself.
const STRONGLY_POSITIVE: &[&str] = &[
    "article-body",
    "articlebody",
    "story-body",
    "storybody",
    "post-content",
    "entry-content",
    "article-content",
    "main-content",
    "post-body",
    "article__body",
    "story__body",
    "body-text",
    "article-text",
];

/// Substring words bucketed by first byte, so a class value is scanned once.
struct WordTable {
    buckets: Vec<Vec<(&'static [u8], u8)>>,
}

fn word_table() -> &'static WordTable {
    static TABLE: std::sync::OnceLock<WordTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut buckets = vec![Vec::new(); 256];
        let lists: [(&[&'static str], u8); 4] = [
            (NEGATIVE_SUBSTRINGS, NEG),
            (HARD_NEGATIVE, HARD),
            (POSITIVE, POS),
            (STRONGLY_POSITIVE, STRONG),
        ];
        for (words, bit) in lists {
            for w in words {
                buckets[w.as_bytes()[0] as usize].push((w.as_bytes(), bit));
            }
        }
        WordTable { buckets }
    })
}

/// NEG / POS / STRONG bits of a class or id value (ASCII case-insensitive).
fn class_bits(value: &str) -> u8 {
    let table = word_table();
    let mut buf = [0u8; 256];
    let mut owned;
    let lower: &[u8] = if value.len() <= buf.len() {
        let b = &mut buf[..value.len()];
        b.copy_from_slice(value.as_bytes());
        b.make_ascii_lowercase();
        b
    } else {
        owned = value.as_bytes().to_vec();
        owned.make_ascii_lowercase();
        &owned
    };
    let mut bits = 0u8;
    for i in 0..lower.len() {
        for &(w, bit) in &table.buckets[lower[i] as usize] {
            if bits & bit == 0 && super::word_at(lower, i, w) {
                bits |= bit;
            }
        }
    }
    if bits & NEG == 0
        && lower
            .split(|c| !c.is_ascii_alphanumeric())
            .any(|t| NEGATIVE_TOKENS.iter().any(|w| w.as_bytes() == t))
    {
        bits |= NEG;
    }
    if hidden_by_class(lower) {
        bits |= NEG;
    }
    bits
}

/// A class list that hides its element: a whole class named "hidden" (not
/// "overflow-hidden" or "label-hidden", layout words that hide nothing of the
/// element's text), unless a responsive class shows it on wide screens
/// ("hidden md:block").
fn hidden_by_class(lower: &[u8]) -> bool {
    let mut hidden = false;
    for t in lower.split(|c| c.is_ascii_whitespace()) {
        match t {
            b"hidden" | b"is-hidden" | b"hide" | b"d-none" => hidden = true,
            _ if t.contains(&b':')
                && [&b":block"[..], b":flex", b":grid", b":inline"]
                    .iter()
                    .any(|w| t.ends_with(w)) =>
            {
                return false;
            }
            _ => {}
        }
    }
    hidden
}

/// Bits of an element's class and id together. Class values repeat a lot within
/// a page (cards, list items), so their bits are remembered.
fn element_bits<'d>(attrs: &MarkupAttrs<'d>, seen: &mut rustc_hash::FxHashMap<&'d str, u8>) -> u8 {
    let mut bits = 0;
    for v in [attrs.class, attrs.id].into_iter().flatten() {
        if v.is_empty() {
            continue;
        }
        bits |= *seen.entry(v).or_insert_with(|| class_bits(v));
    }
    bits
}

/// The attributes that judge an element, read in one pass over its
/// attributes (the parser keeps only the first of a repeated name, so each
/// is the value `Document::attr` gives).
#[derive(Default)]
struct MarkupAttrs<'d> {
    class: Option<&'d str>,
    id: Option<&'d str>,
    hidden: bool,
    aria_hidden: Option<&'d str>,
    style: Option<&'d str>,
    role: Option<&'d str>,
}

impl<'d> MarkupAttrs<'d> {
    fn read(doc: &'d Document, id: NodeId) -> MarkupAttrs<'d> {
        let mut a = MarkupAttrs::default();
        for (k, v) in doc.attrs(id) {
            match k {
                "class" => a.class = Some(v),
                "id" => a.id = Some(v),
                "hidden" => a.hidden = true,
                "aria-hidden" => a.aria_hidden = Some(v),
                "style" => a.style = Some(v),
                "role" => a.role = Some(v),
                _ => {}
            }
        }
        a
    }
}

fn class_and_id(doc: &Document, id: NodeId) -> String {
    let mut s = String::new();
    if let Some(c) = doc.attr(id, "class") {
        s.push_str(c);
    }
    if let Some(i) = doc.attr(id, "id") {
        s.push(' ');
        s.push_str(i);
    }
    s
}

/// Junk by tag, hidden-ness or role; class/id words are judged separately because
/// they need the paragraph-text guard.
fn junk_by_markup(
    doc: &Document,
    id: NodeId,
    tag: Option<Tag>,
    attrs: &MarkupAttrs,
    toggled_panels: &rustc_hash::FxHashSet<&str>,
) -> bool {
    if tag.is_some_and(|t| t.in_set(JUNK_TAGS)) {
        return true;
    }
    if tag == Some(Tag::Figure) && holds_media(doc, id) && !holds_prose_beside_caption(doc, id) {
        return true;
    }
    if attrs.aria_hidden == Some("true") {
        return true;
    }
    // A panel that a toggle on the page names in `aria-controls` (an
    // accordion, a "read more" or "show more" continuation) is collapsed
    // text the reader opens, not hidden furniture.
    let toggled = attrs.id.is_some_and(|v| toggled_panels.contains(v));
    if attrs.hidden && !is_streamed_boundary(attrs.id) && !toggled {
        return true;
    }
    if let Some(style) = attrs.style.filter(|_| !toggled) {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    matches!(
        attrs.role,
        Some(
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "search"
                | "dialog"
                | "alertdialog"
                | "menu"
                | "menubar"
        )
    )
}

/// A paragraph in a figure shorter than this is a credit or a label
/// ("Photo: Jo Doe"), not article text.
const FIGURE_PROSE_MIN_CHARS: usize = 80;

/// An image, picture or video inside the element.
fn holds_media(doc: &Document, id: NodeId) -> bool {
    doc.descendants(id)
        .any(|d| matches!(doc.tag(d), Some(Tag::Img | Tag::Picture | Tag::Video)))
}

/// A figure that holds a block quote or a paragraph outside its caption: a
/// pull quote or a text box set beside a picture is article text, while a
/// picture with only its caption is furniture.
fn holds_prose_beside_caption(doc: &Document, figure: NodeId) -> bool {
    doc.descendants(figure).any(|d| {
        matches!(doc.tag(d), Some(Tag::Blockquote | Tag::P))
            && doc.text_of(d).len() >= FIGURE_PROSE_MIN_CHARS
            && !doc
                .ancestors(d)
                .take_while(|&a| a != figure)
                .any(|a| doc.tag(a) == Some(Tag::Figcaption))
    })
}

/// The ids that toggles on the page name in `aria-controls` (WAI-ARIA's
/// disclosure and accordion pattern): the panels they open and close.
fn toggled_panels(doc: &Document) -> rustc_hash::FxHashSet<&str> {
    (1..doc.len() as NodeId)
        .filter_map(|id| doc.attr(id, "aria-controls"))
        .flat_map(str::split_ascii_whitespace)
        .collect()
}

/// React's streaming server rendering sends late parts of a page in
/// `<div hidden id="S:N">` and a script moves them into place: shown text,
/// not hidden text.
fn is_streamed_boundary(id: Option<&str>) -> bool {
    id.and_then(|v| v.strip_prefix("S:"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn measure(doc: &Document, mode: Mode) -> Measures {
    let n = doc.len();
    let mut excluded = vec![false; n];
    // Flagged by class/id words (or a `form` tag): dropped unless it holds the article.
    let mut guarded = vec![false; n];
    let mut bits = vec![0u8; n];
    // Class values are short and repeat; a fast hash (not SipHash) for them.
    let mut seen = rustc_hash::FxHashMap::default();
    let toggled_panels = toggled_panels(doc);
    // Inside a <p> (bit 1) or a link (bit 2).
    let mut inside = vec![0u8; n];
    // Parents come before children in the arena, so one forward pass inherits flags.
    for id in 1..n as NodeId {
        let i = id as usize;
        let parent = doc.parent(id).unwrap_or(0) as usize;
        excluded[i] = excluded[parent];
        inside[i] = inside[parent];
        if excluded[i] {
            continue;
        }
        // Elements are told apart by their interned tag, not by comparing
        // name strings: every name tested here is a known tag, and a name
        // that is not one is never interned as one.
        if let NodeData::Element { name, .. } = &doc.node(id).data {
            let tag = name.tag();
            match tag {
                Some(Tag::P) => inside[i] |= IN_P,
                Some(Tag::A) => inside[i] |= IN_LINK,
                Some(Tag::Blockquote) if is_embedded_post(doc, id) => inside[i] |= IN_EMBED,
                _ => {}
            }
            let attrs = MarkupAttrs::read(doc, id);
            if tag == Some(Tag::Form) {
                // Whole pages are sometimes wrapped in one form (ASP.NET).
                guarded[i] = true;
            } else if mode == Mode::Relaxed && matches!(tag, Some(Tag::Header | Tag::Aside)) {
                // Some site builders use <header> for any banded section of
                // a page, the article's too; an <aside> left unclosed holds
                // the rest of the page. Kept when they hold the prose.
                guarded[i] = true;
            } else if junk_by_markup(doc, id, tag, &attrs, &toggled_panels) {
                excluded[i] = true;
            } else {
                bits[i] = element_bits(&attrs, &mut seen);
                if mode == Mode::Relaxed && bits[i] & HARD == 0 {
                    bits[i] &= !NEG;
                }
                if !matches!(
                    tag,
                    Some(Tag::Body | Tag::Html | Tag::Main | Tag::Article | Tag::P)
                ) && inside[i] & IN_EMBED == 0
                {
                    guarded[i] = bits[i] & NEG != 0 && bits[i] & STRONG == 0;
                }
            }
        }
    }
    // Prose text per subtree (text in paragraphs, or long runs of text), to protect
    // flagged wrappers of the article. Text nodes keep their own length in text_len.
    let mut text_len = vec![0u32; n];
    let mut ptext = vec![0u32; n];
    // All text, and text of embedded posts (tweets) per subtree.
    let mut all = vec![0u32; n];
    let mut embedded = vec![0u32; n];
    for id in (1..n as NodeId).rev() {
        let i = id as usize;
        if excluded[i] {
            continue;
        }
        if let Some(t) = doc.text(id) {
            let len = non_ws_len(t);
            text_len[i] = len;
            all[i] = len;
            if inside[i] & IN_P != 0 || len >= 50 {
                ptext[i] = len;
            }
            if inside[i] & IN_EMBED != 0 {
                embedded[i] = len;
            }
        }
        let p = doc.parent(id).unwrap_or(0) as usize;
        ptext[p] += ptext[i];
        all[p] += all[i];
        embedded[p] += embedded[i];
    }
    let page_ptext = ptext[0].max(1);
    // Markup junk is already out of `ptext`; class words are judged next.
    let readable = ptext[0];
    for id in 1..n as NodeId {
        let i = id as usize;
        let parent = doc.parent(id).unwrap_or(0) as usize;
        if excluded[parent] {
            excluded[i] = true;
        } else if guarded[i] {
            let holds_article = page_ptext > 200 && ptext[i] * 10 >= page_ptext * 4;
            // The wrapper of a tweet quoted in the story ("social-embed").
            let wraps_post = embedded[i] > 0 && embedded[i] * 2 >= all[i];
            if !holds_article && !wraps_post {
                excluded[i] = true;
            }
        }
    }
    // Text, link text and commas of what is left.
    let mut link_len = vec![0u32; n];
    let mut commas = vec![0u32; n];
    let mut links = vec![0u32; n];
    for id in (1..n as NodeId).rev() {
        let i = id as usize;
        if excluded[i] {
            text_len[i] = 0;
            continue;
        }
        if let Some(t) = doc.text(id) {
            commas[i] = count_commas(t);
            if inside[i] & IN_LINK != 0 {
                link_len[i] = text_len[i];
            }
        }
        if doc.is_tag(id, Tag::A) {
            links[i] += 1;
        }
        let p = doc.parent(id).unwrap_or(0) as usize;
        text_len[p] += text_len[i];
        link_len[p] += link_len[i];
        commas[p] += commas[i];
        links[p] += links[i];
    }
    // A cluster of links inside a paragraph is a hover card or an inline list of
    // teasers, not part of the sentence: drop the innermost such element and take
    // its text off the totals.
    let mut cluster = vec![false; n];
    let mut cluster_below = vec![false; n];
    for id in (1..n as NodeId).rev() {
        let i = id as usize;
        if excluded[i] || inside[i] & IN_P == 0 {
            continue;
        }
        cluster[i] = !cluster_below[i]
            && links[i] >= 3
            && link_len[i] * 10 > text_len[i] * 9
            && doc.name(id).is_some()
            && !matches!(doc.tag(id), Some(Tag::A | Tag::P));
        let p = doc.parent(id).unwrap_or(0) as usize;
        cluster_below[p] |= cluster[i] || cluster_below[i];
    }
    for id in 1..n as NodeId {
        let i = id as usize;
        let parent = doc.parent(id).unwrap_or(0);
        if excluded[parent as usize] {
            excluded[i] = true;
        } else if cluster[i] {
            excluded[i] = true;
            let (t, l, c) = (text_len[i], link_len[i], commas[i]);
            for a in doc.ancestors(id) {
                let a = a as usize;
                text_len[a] -= t;
                link_len[a] -= l;
                commas[a] -= c;
            }
        }
    }
    Measures {
        page_ptext: readable,
        excluded,
        bits,
        in_link: inside.iter().map(|f| f & IN_LINK != 0).collect(),
        text_len,
        link_len,
        commas,
    }
}

const IN_P: u8 = 1;
const IN_LINK: u8 = 2;
const IN_EMBED: u8 = 4;

/// A social-media post quoted in the story (`<blockquote class="twitter-tweet">`).
fn is_embedded_post(doc: &Document, id: NodeId) -> bool {
    doc.attr(id, "class").is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        ["tweet", "instagram", "tiktok", "bluesky", "mastodon"]
            .iter()
            .any(|w| c.contains(w))
    })
}

fn count_commas(t: &str) -> u32 {
    if t.is_ascii() {
        return t.bytes().filter(|&b| b == b',').count() as u32;
    }
    t.chars()
        .filter(|c| matches!(c, ',' | '，' | '、' | '،'))
        .count() as u32
}

/// Characters that are not whitespace (as `char::is_whitespace`).
fn non_ws_len(t: &str) -> u32 {
    // Counted on the bytes, in blocks the compiler vectorizes: every byte that
    // starts a character and is not ASCII whitespace. Non-ASCII whitespace
    // starts with 0xC2 (U+0085, U+00A0), 0xE1 (U+1680), 0xE2 (U+2000..U+205F)
    // or 0xE3 (U+3000): only those are decoded, and only in non-ASCII text.
    let bytes = t.as_bytes();
    let mut n = 0u32;
    for block in bytes.chunks(128) {
        let mut k = 0u8;
        for &b in block {
            let ascii_ws = b == b' ' || b.wrapping_sub(b'\t') < 5;
            let continuation = b & 0xC0 == 0x80;
            k += u8::from(!ascii_ws && !continuation);
        }
        n += u32::from(k);
    }
    if !t.is_ascii() {
        for (i, &b) in bytes.iter().enumerate() {
            if matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3)
                && t[i..].chars().next().is_some_and(char::is_whitespace)
            {
                n -= 1;
            }
        }
    }
    n
}

fn link_density(m: &Measures, id: NodeId) -> f32 {
    let t = m.text_len[id as usize];
    if t == 0 {
        return 0.0;
    }
    m.link_len[id as usize] as f32 / t as f32
}

fn has_block_child(doc: &Document, id: NodeId) -> bool {
    doc.children(id)
        .any(|c| doc.tag(c).is_some_and(|t| t.in_set(BLOCK_TAGS)))
}

fn is_paragraph_like(doc: &Document, id: NodeId) -> bool {
    match doc.name(id) {
        Some("p" | "pre" | "td" | "blockquote") => true,
        Some("div" | "section" | "span" | "font" | "li" | "dd") => !has_block_child(doc, id),
        _ => false,
    }
}

/// A container whose direct text is not scored through a paragraph-like element.
fn is_loose_text_container(doc: &Document, id: NodeId) -> bool {
    id == doc.root()
        || matches!(
            doc.name(id),
            Some("div" | "section" | "article" | "main" | "td" | "body" | "center" | "font")
        ) && !is_paragraph_like(doc, id)
}

fn tag_weight(name: &str) -> f32 {
    match name {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

fn class_weight(bits: u8) -> f32 {
    let mut w = 0.0;
    if bits & POS != 0 {
        w += 25.0;
    }
    if bits & STRONG != 0 {
        w += 25.0;
    }
    if bits & NEG != 0 {
        w -= 25.0;
    }
    w
}

fn best_candidate(doc: &Document, m: &Measures) -> Option<NodeId> {
    let n = doc.len();
    let mut score = vec![0f32; n];
    let mut is_candidate = vec![false; n];
    for id in 1..n as NodeId {
        if m.excluded[id as usize] {
            continue;
        }
        // A scoring unit is a paragraph-like element, or a run of text standing
        // loose in a container (text separated by `<br>` rather than `<p>`).
        let first = if doc.text(id).is_some() {
            match doc.parent(id) {
                Some(p) if is_loose_text_container(doc, p) => p,
                _ => continue,
            }
        } else if is_paragraph_like(doc, id) {
            id
        } else {
            continue;
        };
        let len = m.text_len[id as usize];
        if len < 25 {
            continue;
        }
        let s = 1.0 + m.commas[id as usize] as f32 + (len as f32 / 100.0).min(3.0);
        let chain = std::iter::once(first).chain(doc.ancestors(first));
        let levels = if first == id { 4 } else { 3 };
        for (level, anc) in chain
            .skip(usize::from(first == id))
            .take(levels)
            .enumerate()
        {
            // The document node is a candidate only for text standing right in it
            // (a fragment without <html> or <body>).
            if anc == 0 && level > 0 {
                break;
            }
            if !is_candidate[anc as usize] {
                is_candidate[anc as usize] = true;
                score[anc as usize] +=
                    tag_weight(doc.name(anc).unwrap_or("")) + class_weight(m.bits[anc as usize]);
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[anc as usize] += s / divider;
        }
    }
    let mut best: Option<(NodeId, f32)> = None;
    for id in 0..n as NodeId {
        if !is_candidate[id as usize] {
            continue;
        }
        let s = score[id as usize] * (1.0 - link_density(m, id));
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((id, s));
        }
    }
    match best {
        Some((id, _)) => Some(id),
        // No paragraph anywhere: fall back to the body (or the whole page).
        None => doc
            .find_first(doc.root(), "body")
            .or(Some(doc.root()))
            .filter(|&b| m.text_len[b as usize] > 0),
    }
}

/// A candidate that is the only child of its parent stands for the parent: the
/// parent's siblings are then the ones to compare with (chunked article blocks).
fn climb_lone_wrappers(doc: &Document, m: &Measures, mut top: NodeId) -> NodeId {
    while let Some(parent) = doc.parent(top) {
        // Only into a wrapper named for article text, not into the page grid or
        // a whole <article> (whose siblings may be the next stories of a feed).
        if !doc.is(parent, "div") || m.bits[parent as usize] & (POS | NEG) != POS {
            break;
        }
        if m.excluded[parent as usize] || m.text_len[parent as usize] != m.text_len[top as usize] {
            break;
        }
        let lone = doc.children(parent).all(|c| {
            c == top || m.excluded[c as usize] || doc.text(c).is_some_and(|t| t.trim().is_empty())
        });
        if !lone {
            break;
        }
        top = parent;
    }
    top
}

/// The top candidate plus siblings that look like part of the same article.
fn with_siblings(doc: &Document, m: &Measures, top: NodeId) -> Vec<NodeId> {
    let Some(parent) = doc.parent(top) else {
        return vec![top];
    };
    if parent == 0 {
        return vec![top];
    }
    let top_len = m.text_len[top as usize] as f32;
    let mut out = Vec::new();
    for sib in doc.children(parent) {
        if sib == top {
            out.push(sib);
            continue;
        }
        if m.excluded[sib as usize] || doc.name(sib).is_none() {
            continue;
        }
        let len = m.text_len[sib as usize] as f32;
        let ld = link_density(m, sib);
        let same_class =
            doc.attr(sib, "class").is_some() && doc.attr(sib, "class") == doc.attr(top, "class");
        let para_like = doc.is(sib, "p") || (is_paragraph_like(doc, sib) && !doc.is(sib, "li"));
        let keep = (same_class && len > 0.0 && ld < 0.3)
            || (para_like && len > 80.0 && ld < 0.25)
            || (para_like && len > 25.0 && ld == 0.0 && ends_sentence(doc, sib))
            || (!para_like && len > top_len * 0.5 && ld < 0.2);
        if keep {
            out.push(sib);
        }
    }
    out
}

/// Articles split into several containers (chunks between ads or figures) repeat
/// the container's tag and class: the other chunks of the chosen one.
fn twins(doc: &Document, m: &Measures, top: NodeId) -> Vec<NodeId> {
    let Some(key) = doc.attr(top, "class").and_then(twin_key) else {
        return Vec::new();
    };
    let name = doc.name(top);
    let mut out = Vec::new();
    let mut id = 1;
    while (id as usize) < doc.len() {
        if m.excluded[id as usize] || id == top {
            // Skip the subtree: nothing inside the top or an excluded node counts.
            match doc.next_after_subtree(id) {
                Some(next) => id = next,
                None => break,
            }
            continue;
        }
        if doc.name(id) == name
            && m.text_len[id as usize] > 0
            && link_density(m, id) < 0.3
            && doc.attr(id, "class").and_then(twin_key).as_ref() == Some(&key)
            && !doc.ancestors(top).any(|a| a == id)
        {
            out.push(id);
            match doc.next_after_subtree(id) {
                Some(next) => id = next,
                None => break,
            }
            continue;
        }
        id += 1;
    }
    out
}

/// The class tokens that name article text ("article-body-text"), sorted: chunks
/// of one article share them even when modifier classes differ.
fn twin_key(class: &str) -> Option<Vec<&str>> {
    let mut key: Vec<&str> = class
        .split_ascii_whitespace()
        .filter(|t| class_bits(t) & (POS | NEG) == POS)
        .collect();
    key.sort_unstable();
    key.dedup();
    (!key.is_empty()).then_some(key)
}

/// Drop roots that lie inside another root (input sorted in document order).
fn outermost(doc: &Document, roots: Vec<NodeId>) -> Vec<NodeId> {
    let mut out: Vec<NodeId> = Vec::with_capacity(roots.len());
    for r in roots {
        if !out.iter().any(|&o| doc.ancestors(r).any(|a| a == o)) {
            out.push(r);
        }
    }
    out
}

fn ends_sentence(doc: &Document, id: NodeId) -> bool {
    let t = doc.text_of(id);
    t.ends_with('.') || t.ends_with('!') || t.ends_with('?') || t.ends_with('"') || t.ends_with('”')
}

/// One rendered block of text with what is needed to judge it afterwards.
struct Block {
    text: String,
    /// Non-whitespace characters, and those inside links.
    chars: usize,
    link_chars: usize,
    /// The text before the first link, when the block has links (a "Label:" prefix).
    before_link: Option<usize>,
    /// Tag of the innermost block element the text stood in.
    kind: &'static str,
    /// Mostly link text: a list of links, not prose (never kept).
    linky: bool,
}

/// Tag names a block can be classified by.
fn block_kind(name: &str) -> &'static str {
    match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "h",
        "li" | "dt" | "dd" => "li",
        "p" => "p",
        "blockquote" => "blockquote",
        "tr" | "td" | "th" => "tr",
        _ => "div",
    }
}

/// Render a subtree into text blocks. Iterative; excluded subtrees are skipped.
fn render_blocks(doc: &Document, m: &Measures, root: NodeId, blocks: &mut Vec<Block>) {
    struct Acc {
        cur: String,
        link_chars: usize,
        before_link: Option<usize>,
    }
    let mut acc = Acc {
        cur: String::new(),
        link_chars: 0,
        before_link: None,
    };
    let flush = |acc: &mut Acc, kind: &'static str, blocks: &mut Vec<Block>| {
        let text = acc.cur.trim();
        if !text.is_empty() {
            let total = non_ws_len(text) as usize;
            let link = acc.link_chars.min(total);
            // A block that is mostly link text is a list of links, not prose.
            let linky = total > 0 && link * 10 > total * 6 && total - link < 40;
            blocks.push(Block {
                text: text.to_string(),
                chars: total,
                link_chars: link,
                before_link: acc.before_link,
                kind,
                linky,
            });
        }
        acc.cur.clear();
        acc.link_chars = 0;
        acc.before_link = None;
    };
    let mut open: Vec<&'static str> = Vec::new();
    // Explicit stack of (node, entering) to emit block breaks on enter and leave.
    let mut stack: Vec<(NodeId, bool)> = vec![(root, true)];
    while let Some((id, entering)) = stack.pop() {
        if m.excluded[id as usize] {
            continue;
        }
        if let Some(t) = doc.text(id) {
            if m.in_link[id as usize] {
                if acc.before_link.is_none() {
                    acc.before_link = Some(acc.cur.len());
                }
                acc.link_chars += m.text_len[id as usize] as usize;
            }
            push_collapsed(&mut acc.cur, t);
            continue;
        }
        let Some(name) = doc.name(id) else {
            // The document node: just descend.
            if entering {
                push_children(doc, id, &mut stack);
            }
            continue;
        };
        let cell = matches!(name, "td" | "th");
        // A data cell is part of its row's line; a layout cell holding paragraphs
        // or a long text is a block of its own.
        let is_block = if cell {
            m.text_len[id as usize] > 200 || has_block_child(doc, id)
        } else {
            doc.tag(id).is_some_and(|t| t.in_set(BLOCK_TAGS))
        };
        let kind_now = |open: &Vec<&'static str>| open.last().copied().unwrap_or("div");
        if entering {
            if name == "br" {
                if !acc.cur.trim().is_empty() {
                    acc.cur.truncate(acc.cur.trim_end().len());
                    acc.cur.push('\n');
                }
                continue;
            }
            if is_block {
                flush(&mut acc, kind_now(&open), blocks);
                open.push(block_kind(name));
            }
            stack.push((id, false));
            push_children(doc, id, &mut stack);
        } else if is_block {
            flush(&mut acc, kind_now(&open), blocks);
            open.pop();
        } else if cell && !acc.cur.is_empty() && !acc.cur.ends_with(' ') {
            acc.cur.push(' ');
        }
    }
    flush(&mut acc, "div", blocks);
}

fn push_children(doc: &Document, id: NodeId, stack: &mut Vec<(NodeId, bool)>) {
    let start = stack.len();
    for c in doc.children(id) {
        stack.push((c, true));
    }
    stack[start..].reverse();
}

fn normalise_line(s: &str) -> String {
    if s.is_ascii() {
        return normalise_ascii_line(s);
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    if out.is_ascii() {
        out.make_ascii_lowercase();
        out
    } else {
        out.to_lowercase()
    }
}

/// [`normalise_line`] of an ASCII line: whole words copied, then lowercased
/// in place (the whitespace of `split_whitespace` in ASCII is 0x09-0x0D and
/// the space). Words are found by scanning bytes, not by `str::split` with a
/// char pattern (which decodes every character): every short block of every
/// page is normalised, and that split was 1.6% of an index run's instructions.
fn normalise_ascii_line(s: &str) -> String {
    let is_ws = |b: u8| b == b' ' || b.wrapping_sub(b'\t') < 5;
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && is_ws(bytes[i]) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !is_ws(bytes[i]) {
            i += 1;
        }
        if start < i {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s[start..i]);
        }
    }
    out.make_ascii_lowercase();
    out
}

fn keep_block(block: &str, title: Option<&str>) -> bool {
    // Only short blocks can be furniture lines or the headline again.
    let longest = title.map_or(0, str::len).max(64);
    if block.len() > longest * 2 + 16 {
        return true;
    }
    let norm = normalise_line(block);
    if !norm.chars().any(|c| c.is_alphanumeric() || c == '_') {
        return false;
    }
    if BOILERPLATE_LINES.contains(&norm.as_str()) {
        return false;
    }
    if title.is_some_and(|t| t == norm) {
        return false;
    }
    true
}

/// Headings that introduce a list of other stories (compared lowercase, as a prefix).
const RELATED_HEADINGS: &[&str] = &[
    "related",
    "more great",
    "more from",
    "more stories",
    "more news",
    "more on this",
    "more in ",
    "read more",
    "read also",
    "read next",
    "also read",
    "see also",
    "you may also like",
    "you might also like",
    "recommended",
    "most read",
    "most popular",
    "popular",
    "trending",
    "top stories",
    "latest news",
    "other stories",
    "leia também",
    "leia mais",
    "lea también",
    "lire aussi",
    "читайте также",
];

/// Short lines that are page furniture: prompts, pitches, credits (lowercase prefixes).
const FURNITURE_PREFIXES: &[&str] = &[
    "get the latest",
    "get our ",
    "like this story",
    "like this article",
    "share on ",
    "have a tip",
    "got a tip",
    "tell us what you think",
    "this slideshow requires",
    "disclaimer:",
    "reading time",
    "estimated reading time",
    "tempo de leitura",
    "tiempo de lectura",
    "leave a comment",
    "reporting by",
    "additional reporting by",
    "editing by",
    "writing by",
    "follow us",
    "photo:",
    "photos:",
    "photo by",
    "photograph:",
    "image:",
    "images:",
    "picture:",
    "credit:",
    "фото:",
    "foto:",
];

/// Text anywhere in a short line that marks furniture (lowercase).
const FURNITURE_MARKS: &[&str] = &[
    "contributed to this report",
    "contributed reporting",
    "may be reached at",
    "can be reached at",
    "photo ©",
    "photos ©",
    "getty images",
    "/ reuters",
    "ap photo",
    "(photo",
];

/// True when a short block is a prompt, pitch, credit, caption or byline line.
fn is_furniture(norm: &str) -> bool {
    let stripped = norm.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '©');
    if FURNITURE_PREFIXES.iter().any(|p| stripped.starts_with(p))
        || FURNITURE_MARKS.iter().any(|m| norm.contains(m))
        || matches!(stripped, "comments" | "comment" | "related news")
        || (stripped.starts_with("share this") && stripped.split(' ').count() <= 3)
        || norm.ends_with("min read")
    {
        return true;
    }
    let social = ["twitter", "facebook", "instagram", "youtube", "linkedin"];
    if norm.starts_with("follow ") && social.iter().any(|s| norm.contains(s)) {
        return true;
    }
    let pitch = |words: &[&str]| words.iter().any(|w| norm.contains(w));
    (norm.contains("newsletter") && pitch(&["sign up", "subscribe", "inbox", "delivered"]))
        || (norm.contains("inbox") && pitch(&["sign up", "subscribe"]))
}

fn is_related_heading(b: &Block, norm: &str) -> bool {
    let words = norm.split(' ').count();
    words <= 8
        && b.chars < 80
        && !norm.ends_with('.')
        && RELATED_HEADINGS.iter().any(|h| norm.starts_with(h))
}

/// Labels that introduce links to other pages (lowercase prefixes).
const LINK_LABELS: &[&str] = &[
    "tag",
    "related",
    "filed under",
    "posted in",
    "categor",
    "topic",
    "section",
    "see also",
    "read more",
    "read also",
    "also read",
    "more",
    "buyer's guide",
    "buyer’s guide",
    "source",
];

/// "Tags: Budget", "Related Roundup: MacBook Pro": a label and nothing but links.
fn is_label_and_links(b: &Block) -> bool {
    let Some(at) = b.before_link else {
        return false;
    };
    let label = b.text[..at.min(b.text.len())].trim();
    let label_chars = non_ws_len(label) as usize;
    let lower = label.to_lowercase();
    label.ends_with(':')
        && LINK_LABELS.iter().any(|l| lower.starts_with(l))
        && label.split_whitespace().count() <= 4
        && b.chars < 200
        && b.link_chars * 10 >= (b.chars - label_chars.min(b.chars)) * 8
}

/// Drop furniture blocks and related-story lists; return the blocks kept.
fn clean_blocks(blocks: Vec<Block>, title: Option<&str>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut skipping_list = false;
    let mut kept_before = 0usize;
    for b in blocks {
        if !keep_block(&b.text, title) {
            continue;
        }
        if skipping_list {
            if b.link_chars > 0 && b.chars < 200 && matches!(b.kind, "li" | "div") {
                continue;
            }
            skipping_list = false;
        }
        if b.chars < 300 {
            let norm = normalise_line(&b.text);
            if is_related_heading(&b, &norm) {
                skipping_list = true;
                continue;
            }
            if is_furniture(&norm) || is_label_and_links(&b) {
                continue;
            }
            // A byline or dateline above the first paragraph.
            if kept_before == 0 && is_byline_or_dateline(&b.text, &norm) {
                continue;
            }
        }
        kept_before += 1;
        out.push(b);
    }
    out
}

/// `text` is the block as written, `norm` its normalised form. "By 2020, the
/// county expects ..." opens a story; "By Jane Doe | March 3" is a byline: a
/// "by" line counts only when a name follows, or when it is short and not a sentence.
fn is_byline_or_dateline(text: &str, norm: &str) -> bool {
    let words = norm.split(' ').count();
    let byline = norm.starts_with("by ")
        && words <= 20
        && (super::attribution::name_from_byline(text).is_some()
            || (words <= 8 && !norm.ends_with(['.', '!', '?'])));
    byline || (words <= 10 && super::date::find_text_date(norm).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_lines_normalise_like_the_general_path() {
        let general = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let pieces = [
            "Word", "x", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "A-B", ",",
        ];
        let mut rng = crate::test_rng::TestRng::new(11);
        for _ in 0..3000 {
            let line: String = (0..rng.below(10))
                .map(|_| pieces[rng.below(pieces.len())])
                .collect();
            assert_eq!(normalise_ascii_line(&line), general(&line), "{line:?}");
        }
    }

    #[test]
    fn non_ws_len_counts_like_char_is_whitespace() {
        for t in [
            "plain ascii, text\there",
            "ascii with a vertical\u{b}tab and\u{c}form feed",
            &"long ascii text, over one block of 128 bytes; ".repeat(9),
            &"caf\u{e9}\u{a0}".repeat(100),
            "caf\u{e9} \u{2019}quoted\u{2019}\u{a0}nbsp\u{2003}em\u{3000}ideo\u{85}nel\u{b}vt",
            "\u{1680}\u{2028}\u{2029}\u{202f}\u{205f}\u{200b}zwsp \u{1f600}",
        ] {
            let want = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
            assert_eq!(non_ws_len(t), want, "{t:?}");
        }
    }
    use crate::html::parse;

    fn body(html: &str) -> String {
        main_content(&parse(html), None).text
    }

    const PARA: &str = "The council voted six to three on Tuesday night, after a long debate, to approve the new budget for the city's libraries and parks.";

    #[test]
    fn keeps_article_paragraphs_and_drops_navigation_and_footer() {
        let html = format!(
            r##"<body><a class="skip-link" href="#c">Skip to content</a>
            <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
            <article><h1>Budget passes</h1><div class="article-body"><p>{PARA}</p><p>{PARA} Second.</p></div></article>
            <footer><p>© 2019 The Riverton Ledger. All rights reserved.</p></footer></body>"##
        );
        let text = body(&html);
        assert!(text.starts_with("The council voted"), "{text}");
        assert!(text.contains("Second."));
        assert!(!text.contains("Skip to content"));
        assert!(!text.contains("Home"));
        assert!(!text.contains("All rights reserved"));
    }

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        let text = body(&format!(
            "<div class=story><p>{PARA}</p><p>{PARA} Two.</p></div>"
        ));
        assert_eq!(text.matches("\n\n").count(), 1, "{text}");
    }

    #[test]
    fn drops_share_bars_related_lists_comments_captions_and_ads() {
        let html = format!(
            r#"<main><div class="story-body">
            <div class="share-tools"><a href="x">Share on Facebook</a><a href="y">Email</a></div>
            <figure><img src="a.jpg"><figcaption>The mayor speaks. Photo: Jo Doe / Ledger</figcaption></figure>
            <p>{PARA}</p><div class="ad-slot"><span>Advertisement</span></div><p>{PARA} Later.</p>
            </div>
            <section class="related"><h2>Related stories</h2><ul><li><a href="/a">Council debates sanctuary city status</a></li></ul></section>
            <div id="comments"><div class="comment"><p>Great article, thanks for the detailed report on the council vote!</p></div></div>
            </main>"#
        );
        let text = body(&html);
        for junk in [
            "Share on Facebook",
            "Photo:",
            "Advertisement",
            "sanctuary city",
            "Great article",
        ] {
            assert!(!text.contains(junk), "{junk} in {text}");
        }
        assert!(text.contains("Later."));
    }

    #[test]
    fn figures_keep_quotes_and_paragraphs_beside_a_picture_but_not_captions() {
        // A pull quote or text box set in a <figure> with a picture is article
        // text; the caption and a short credit paragraph stay furniture.
        let html = format!(
            r#"<article><div class="entry-content"><p>{PARA}</p>
            <figure><img src="q.jpg"><blockquote><p>"Every branch library stays open through the winter, and the hours go back to what they were," the mayor said.</p></blockquote>
            <figcaption>The mayor at the podium. Photo: Jo Doe / Ledger</figcaption></figure>
            <figure><picture><img src="c.jpg"></picture><p>Budget office figures show the branch network costs four million dollars a year to run in full.</p></figure>
            <figure><img src="d.jpg"><p>Photo: Ann Roe</p></figure>
            <p>{PARA} Last.</p></div></article>"#
        );
        let text = body(&html);
        assert!(text.contains("Every branch library stays open"), "{text}");
        assert!(text.contains("four million dollars"), "{text}");
        assert!(!text.contains("at the podium"), "{text}");
        assert!(!text.contains("Ann Roe"), "{text}");
        assert!(text.contains("Last."));
    }

    #[test]
    fn collapsed_panels_named_by_a_toggle_are_text_other_hidden_elements_are_not() {
        // An accordion or "read more" panel is hidden until its toggle
        // (`aria-controls` naming the panel's id) opens it: article text.
        let html = format!(
            r#"<article><div class="entry-content"><p>{PARA}</p>
            <h3><a role="button" aria-controls="p1 p9" href="">How the vote works</a></h3>
            <div id="p1" style="display: none"><p>Each council member votes in public, and a tie sends the measure back to committee for a second reading.</p></div>
            <button aria-controls="p2">Read more</button>
            <div id="p2" hidden><p>The committee meets again in March to take up the measure with the amendments from the first reading.</p></div>
            <div id="lonely" style="display:none"><p>Hidden text that no toggle on the page ever shows to the reader at all.</p></div>
            <p>{PARA} Last.</p></div></article>"#
        );
        let text = body(&html);
        assert!(text.contains("a tie sends the measure back"), "{text}");
        assert!(text.contains("meets again in March"), "{text}");
        assert!(!text.contains("no toggle on the page"), "{text}");
    }

    #[test]
    fn keeps_headings_lists_and_quotes_inside_the_article() {
        let html = format!(
            r#"<article><div class="entry-content"><p>{PARA}</p><h2>What comes next</h2>
            <ul><li>A public hearing on March 3, with comment.</li><li>A final vote in April, at City Hall.</li></ul>
            <blockquote><p>"We will keep the libraries open," the mayor said.</p></blockquote><p>{PARA}</p></div></article>"#
        );
        let text = body(&html);
        assert!(text.contains("What comes next"));
        assert!(text.contains("A public hearing on March 3"));
        assert!(text.contains("keep the libraries open"));
    }

    #[test]
    fn hidden_elements_are_not_text() {
        let html = format!(
            r#"<div class="content"><p>{PARA}</p><p style="display: none">secret words here</p><p hidden>more secret</p></div>"#
        );
        let text = body(&html);
        assert!(!text.contains("secret"));
    }

    #[test]
    fn wrapper_with_negative_class_still_yields_the_article() {
        let html = format!(
            r#"<body><div class="page with-sidebar"><div class="col"><p>{PARA}</p><p>{PARA}</p><p>{PARA}</p></div></div></body>"#
        );
        assert!(body(&html).contains("The council voted"));
    }

    #[test]
    fn page_without_paragraphs_falls_back_to_body_text() {
        assert_eq!(
            body("<html><body>Just one line of text</body></html>"),
            "Just one line of text"
        );
        assert_eq!(body(""), "");
    }

    #[test]
    fn page_wrapped_in_a_form_keeps_its_article() {
        let html = format!(
            r#"<body><form id="aspnetForm"><div class="nav"><a href="/">Home</a></div>
            <div class="story"><p>{PARA}</p><p>{PARA} More.</p></div>
            <input type="hidden" value="x"></form></body>"#
        );
        let text = body(&html);
        assert!(text.contains("More."), "{text}");
        // A small form (a search box, a newsletter sign-up) is still dropped.
        let html = format!(
            r#"<body><div class="story"><p>{PARA}</p><p>{PARA}</p></div>
            <form><p>Enter your email address to get our daily briefing</p></form></body>"#
        );
        assert!(!body(&html).contains("daily briefing"));
    }

    #[test]
    fn flagged_wrapper_of_br_separated_text_is_kept() {
        // A blog template: the post sits in a "widget" wrapper, text split by <br>.
        let html = format!(
            r#"<body><div class="widget Blog"><div class="post-body"><div>{PARA}<br><br>{PARA} Break.<br><br><span>{PARA} End.</span></div></div></div>
            <div class="widget Links"><a href="/a">Another post</a></div></body>"#
        );
        let text = body(&html);
        assert!(text.contains("Break.") && text.contains("End."), "{text}");
        assert!(!text.contains("Another post"));
    }

    #[test]
    fn loose_text_between_blocks_is_scored() {
        // The story is bare text beside a short teaser paragraph and a menu.
        let html = format!(
            r#"<body><div class="box"><p>Short teaser line for the home page.</p></div>
            <div class="col"><h2>Headline</h2>{PARA} {PARA}<br>{PARA} Tail.<div class="x"><a href="/">Menu item</a></div></div></body>"#
        );
        let text = body(&html);
        assert!(text.contains("Tail."), "{text}");
        assert!(!text.contains("teaser"), "{text}");
    }

    #[test]
    fn article_split_into_repeated_containers_is_joined() {
        let html = format!(
            r#"<body><article><div class="chunks">
            <div class="grid"><div class="article__body">{PARA} One.</div><div class="rail ad">Advertisement</div></div>
            <div class="grid"><figure><img src="x.jpg"></figure></div>
            <div class="grid"><div class="article__body wide"><p>{PARA} Two.</p><p>{PARA} Three.</p></div></div>
            </div></article>
            <div class="more"><div class="card"><a href="/z">Other story title here</a></div></div></body>"#
        );
        let text = body(&html);
        for part in ["One.", "Two.", "Three."] {
            assert!(text.contains(part), "{part} missing in {text}");
        }
        assert!(!text.contains("Other story"));
        assert!(text.find("One.") < text.find("Two."));
    }

    #[test]
    fn class_words_are_matched_case_insensitively_as_substrings_and_tokens() {
        assert_eq!(class_bits("SocialShareBar") & NEG, NEG);
        assert_eq!(class_bits("ad-slot") & NEG, NEG);
        assert_eq!(class_bits("header-ad") & NEG, NEG);
        // "ad" and "nav" only count as whole tokens.
        assert_eq!(class_bits("headline loaded canvas-like"), 0);
        assert_eq!(class_bits("Article-Body") & (POS | STRONG), POS | STRONG);
        assert_eq!(class_bits(&"x".repeat(1000)), 0);
    }

    #[test]
    fn list_items_led_by_a_link_but_carrying_text_are_kept() {
        let html = format!(
            r#"<article class="post-content"><p>{PARA}</p><ol>
            <li><strong><a href="/a">Google has bought a cloud startup from the west coast</a>.</strong> The startup was once a key part of a rival's strategy.</li>
            <li><a href="/b">Related: council budget explained</a></li>
            </ol><p>{PARA}</p></article>"#
        );
        let text = body(&html);
        assert!(text.contains("once a key part"), "{text}");
        assert!(!text.contains("Related: council"), "{text}");
    }

    #[test]
    fn link_cluster_inside_a_paragraph_is_dropped_but_the_sentence_kept() {
        let html = format!(
            r#"<div class="article-body"><p>The mayor met Rep. <span class="card"><a href="/p">Jane Roe</a><span class="card-pop"><a href="/1">Roe backs transit bill in committee vote</a> <a href="/2">Roe says housing plan falls short</a> <a href="/3">More</a></span></span> on Monday to discuss the budget, aides said.</p><p>{PARA}</p></div>"#
        );
        let text = body(&html);
        assert!(
            text.contains("The mayor met Rep. Jane Roe on Monday to discuss the budget"),
            "{text}"
        );
        assert!(!text.contains("transit bill"), "{text}");
    }

    #[test]
    fn table_rows_are_lines_and_repeated_cells_survive() {
        let html = format!(
            r#"<div class="article-body"><p>{PARA}</p><table><tr><th>Pos.</th><th>Driver</th><th>Wins</th></tr>
            <tr><td>1</td><td>Ana Ruiz</td><td>0</td></tr><tr><td>2</td><td>Jo Doe</td><td>0</td></tr></table><p>{PARA}</p></div>"#
        );
        let text = body(&html);
        assert!(
            text.contains("\n\nPos. Driver Wins\n\n1 Ana Ruiz 0\n\n2 Jo Doe 0\n\n"),
            "{text}"
        );
        // A layout table cell holding the story is still split into paragraphs.
        let html = format!(
            r#"<body><table><tr><td><a href="/">Home</a></td><td><p>{PARA} A.</p><p>{PARA} B.</p></td></tr></table></body>"#
        );
        let text = body(&html);
        assert_eq!(text.matches("\n\n").count(), 1, "{text}");
    }

    #[test]
    fn related_story_list_after_a_heading_is_dropped() {
        let html = format!(
            r#"<div class="article-body"><p>{PARA}</p><p>{PARA} End.</p><hr><div class="heading">More Great Stories</div>
            <ul><li>Buses must unionize, <a href="/a">no matter what the mayor says</a></li><li>Ads are not the problem. <a href="/b">Our perceptions are</a></li></ul></div>"#
        );
        let text = body(&html);
        assert!(text.ends_with("End."), "{text}");
    }

    #[test]
    fn a_first_paragraph_opening_with_by_is_story_not_byline() {
        let html = format!(
            r#"<div class="article-body"><p>By 2020, the county may sue the state over the jail contract.</p><p>{PARA}</p></div>"#
        );
        assert!(
            body(&html).starts_with("By 2020, the county"),
            "{}",
            body(&html)
        );
        let html = format!(
            r#"<div class="article-body"><p>By Jane Holloway, Staff Writer | May 2, 2017</p><p>{PARA}</p></div>"#
        );
        assert!(
            body(&html).starts_with("The council voted"),
            "{}",
            body(&html)
        );
        let html = format!(
            r#"<div class="article-body"><p>By the Associated Press</p><p>{PARA}</p></div>"#
        );
        assert!(
            body(&html).starts_with("The council voted"),
            "{}",
            body(&html)
        );
    }

    #[test]
    fn furniture_lines_inside_the_article_are_dropped() {
        let html = format!(
            r#"<div class="article-body"><p>By Ana Ruiz</p><p>{PARA}</p><p>Advert</p>
            <p>Get the latest updates right in your inbox. Subscribe to our newsletters.</p>
            <p>{PARA} Kept.</p><p>Tags: <a href="/t/budget">Budget</a>, <a href="/t/parks">Parks</a></p>
            <p>Follow Ledger News on Instagram, Facebook and Twitter.</p>
            <p>(Reporting by Jo Doe; Editing by Ana Ruiz)</p><p>Tell us what YOU think...</p></div>"#
        );
        let text = body(&html);
        assert!(text.starts_with("The council voted"), "{text}");
        assert!(text.ends_with("Kept."), "{text}");
        // Sentences that merely contain such words stay.
        let html = format!(
            r#"<div class="article-body"><p>{PARA}</p><p>Advertisers have many online platforms to reach customers.</p><p>Readers can sign up for a library card at any branch.</p></div>"#
        );
        let text = body(&html);
        assert!(
            text.contains("Advertisers have") && text.contains("library card"),
            "{text}"
        );
    }

    #[test]
    fn tweets_quoted_in_the_story_are_kept_but_social_bars_dropped() {
        let html = format!(
            r#"<div class="entry-content"><p>{PARA}</p>
            <div class="social-media-embed"><blockquote class="twitter-tweet"><p>Yes this is real and the state paid for it</p>— Jo Doe (@jodoe) <a href="https://t.example/1">November 18, 2019</a></blockquote></div>
            <div class="social-share"><a href="/s">Share on Twitter</a> <span>or by email</span></div>
            <p>{PARA} After.</p></div>"#
        );
        let text = body(&html);
        assert!(text.contains("Yes this is real"), "{text}");
        assert!(!text.contains("Share on Twitter"), "{text}");
    }

    #[test]
    fn chunked_blocks_with_differing_inner_classes_are_joined() {
        // Each chunk wraps its text in one inner element; the first one carries
        // an extra modifier class, so only the wrappers match each other.
        let html = format!(
            r#"<body><main><div class="article__content">
            <div class="article__block article__block_text"><div class="block-text block-text_initial"><p>{PARA} One.</p></div></div>
            <div class="article__block article__block_slider"><div class="slider"><a href="/g">Photo 1 of 9</a></div></div>
            <div class="article__block article__block_text"><div class="block-text"><p>{PARA} Two.</p><p>{PARA} Three.</p></div></div>
            </div></main><div class="teasers"><div class="block-text"><a href="/n">Next story here</a></div></div></body>"#
        );
        let text = body(&html);
        for part in ["One.", "Two.", "Three."] {
            assert!(text.contains(part), "{part} missing in {text}");
        }
        assert!(!text.contains("Next story"), "{text}");
    }

    fn content(html: &str) -> MainContent {
        main_content(&parse(html), None)
    }

    const NAV: &str = r#"<header><nav><a href="/">Home</a> <a href="/blog">Blog</a> <a href="/about">About us</a></nav></header>"#;
    const FOOT: &str = r#"<footer><p>Copyright 2025 Example Builders, Inc. All rights reserved worldwide.</p></footer>"#;

    #[test]
    fn article_split_across_sibling_sections_is_joined() {
        // Site builders put each band of a page in its own section, named with
        // layout words ("top-section", "widget") that elsewhere mark furniture.
        let html = format!(
            r#"<body>{NAV}<main>
            <section class="builder-section builder-top-section"><div class="builder-widget"><p>{PARA} Alpha.</p></div></section>
            <section class="builder-section builder-top-section"><div class="builder-widget"><h2>Where the money goes</h2><p>{PARA} Bravo.</p></div></section>
            <section class="builder-section builder-top-section"><div class="builder-widget"><p>{PARA} Charlie.</p></div></section>
            <section class="builder-section builder-top-section"><div class="builder-widget"><p>{PARA} Delta.</p></div></section>
            </main>{FOOT}</body>"#
        );
        let c = content(&html);
        for part in [
            "Alpha.",
            "Bravo.",
            "Charlie.",
            "Delta.",
            "Where the money goes",
        ] {
            assert!(c.text.contains(part), "{part} missing in {}", c.text);
        }
        assert!(!c.text.contains("About us"), "{}", c.text);
        assert!(!c.text.contains("All rights reserved"), "{}", c.text);
        assert_ne!(c.source, BodySource::None);
        assert!(!c.roots.is_empty());
    }

    #[test]
    fn listicle_headings_stay_in_order_with_their_paragraphs() {
        let items: String = (1..=5)
            .map(|i| format!("<h2>{i}. Tip number {i}</h2><p>{PARA} Item {i}.</p>"))
            .collect();
        let html = format!(
            r#"<body>{NAV}<article><h1>Five budget tips</h1><div class="entry-content"><p>{PARA} Intro.</p>{items}</div></article>{FOOT}</body>"#
        );
        let text = body(&html);
        let mut at = 0;
        for i in 1..=5 {
            let h = text[at..]
                .find(&format!("{i}. Tip number {i}"))
                .unwrap_or_else(|| panic!("heading {i} missing or out of order in {text}"));
            at += h;
            let p = text[at..]
                .find(&format!("Item {i}."))
                .expect("item after heading");
            at += p;
        }
    }

    #[test]
    fn share_bar_before_the_body_does_not_hide_the_body() {
        let html = format!(
            r#"<body>{NAV}<article><h1>Road repairs</h1>
            <div class="share-bar"><a href="https://facebook.example/s">Facebook</a> <a href="https://x.example/s">X</a> <a href="mailto:?">Email</a></div>
            <div class="field field--name-body field--type-text-with-summary field--label-hidden"><div class="field__item"><p>{PARA} First.</p><p>{PARA} Second.</p></div></div>
            </article>{FOOT}</body>"#
        );
        let text = body(&html);
        assert!(
            text.contains("First.") && text.contains("Second."),
            "{text}"
        );
        assert!(!text.contains("Facebook"), "{text}");
    }

    #[test]
    fn layout_classes_ending_in_hidden_do_not_hide_text() {
        // "overflow-hidden" clips a box and "label-hidden" hides a label: the
        // element's text is shown. A class that is just "hidden" hides it.
        let html = format!(
            r#"<body><article><div class="grid overflow-hidden"><p>{PARA} Shown.</p><p>{PARA} Also.</p></div>
            <div class="hidden"><p>{PARA} Secret.</p></div></article></body>"#
        );
        let text = body(&html);
        assert!(text.contains("Shown.") && text.contains("Also."), "{text}");
        assert!(!text.contains("Secret."), "{text}");
    }

    #[test]
    fn streamed_server_rendered_parts_are_read_but_hidden_elements_are_not() {
        // React streaming sends late parts in <div hidden id="S:0"> and a script
        // moves them into place.
        let html = format!(
            r#"<body><main><template id="B:0"></template></main>
            <div hidden id="S:0"><article><p>{PARA} Streamed.</p><p>{PARA} More.</p></article></div>
            <div hidden id="menu"><p>{PARA} Menu text.</p></div></body>"#
        );
        let text = body(&html);
        assert!(
            text.contains("Streamed.") && text.contains("More."),
            "{text}"
        );
        assert!(!text.contains("Menu text."), "{text}");
    }

    #[test]
    fn body_found_short_of_the_page_falls_back_to_its_paragraphs() {
        // Each part of the article sits in a block named by a furniture-like
        // layout word, and no part holds most of the page: the strict pass
        // finds one part, the fallback all of them.
        let parts: String = ["One", "Two", "Three", "Four"]
            .iter()
            .map(|w| {
                format!(
                    r#"<div class="c-{}-rail"><p>{PARA} {w}.</p><p>{PARA} {w} again.</p></div>"#,
                    w.to_lowercase()
                )
            })
            .collect();
        let html = format!(r#"<body>{NAV}<div class="wrap">{parts}</div>{FOOT}</body>"#);
        let c = content(&html);
        for w in ["One.", "Two.", "Three.", "Four again."] {
            assert!(c.text.contains(w), "{w} missing in {}", c.text);
        }
        assert_ne!(c.source, BodySource::Main, "{}", c.text);
        assert_ne!(c.source, BodySource::None);
    }

    #[test]
    fn teaser_list_does_not_replace_a_found_article() {
        // A short article followed by a long list of other stories (headline
        // link, date, summary): the fallbacks see more text but it is teasers.
        let teasers: String = (1..=6)
            .map(|i| {
                format!(
                    r#"<div class="card"><h3><a href="/story-{i}">Another story number {i} headline here</a></h3><p>March {i}, 2019</p><p>Summary of story {i}, which the council discussed at length, before a vote, on Tuesday night in the hall.</p></div>"#
                )
            })
            .collect();
        let html = format!(
            r#"<body>{NAV}<div class="page"><article><div class="story-body"><p>{PARA} Lead.</p><p>{PARA}</p><p>{PARA} Middle.</p><p>{PARA}</p><p>{PARA} End.</p></div></article>
            <div class="more">{teasers}</div></div>{FOOT}</body>"#
        );
        let c = content(&html);
        assert!(
            c.text.contains("Lead.") && c.text.contains("End."),
            "{}",
            c.text
        );
        assert!(!c.text.contains("Summary of story"), "{}", c.text);
        assert_eq!(c.source, BodySource::Main);
    }

    #[test]
    fn article_inside_an_unclosed_aside_is_found() {
        // An announcement bar opened as <aside> and never closed holds the
        // whole page, the article too (browsers parse it so as well).
        let html = format!(
            r#"<body><aside class="announcement"><a href="/news">We have news</a>
            <div class="post"><p>{PARA} First.</p><p>{PARA} Second.</p></div></body>"#
        );
        let c = content(&html);
        assert!(
            c.text.contains("First.") && c.text.contains("Second."),
            "{}",
            c.text
        );
        assert_eq!(c.source, BodySource::FallbackReadability);
    }

    #[test]
    fn script_shell_has_no_body() {
        let html = r#"<html><head><title>App</title><script>window.boot()</script></head>
            <body><div id="root"></div><noscript>You need to enable JavaScript to run this app.</noscript></body></html>"#;
        let c = content(html);
        assert_eq!(c.text, "");
        assert_eq!(c.source, BodySource::None);
        assert_eq!(c.source.as_str(), "none");
    }
}
