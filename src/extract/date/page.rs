//! One walk over a parsed page for date evidence: the visible text with the
//! element context of every piece (byline, sidebar, link, ...), the `<time>`
//! elements, and where the headline is.

use crate::html::{Document, NodeData, NodeId, Tag, TagName, push_collapsed};

/// Inherited context of a node.
pub mod flag {
    /// Not visible text (script, style, head, ...).
    pub const SKIP: u16 = 1;
    /// Page furniture or other stories: nav, footer, aside, related, comments.
    pub const OTHER: u16 = 2;
    /// An element named like a byline or date line.
    pub const BYLINE: u16 = 4;
    /// An element named like a publication date.
    pub const PUBLISHED: u16 = 8;
    /// An element named like an update date.
    pub const MODIFIED: u16 = 16;
    /// Inside a link.
    pub const LINK: u16 = 32;
    /// Inside an `<article>` or the article body.
    pub const ARTICLE: u16 = 64;
    /// Inside a `<time>` element that has a machine date.
    pub const TIME: u16 = 128;
    /// Inside a heading.
    pub const HEADING: u16 = 256;
    /// Inside a list item.
    pub const ITEM: u16 = 512;
    /// Named as furniture only as a side column ("sidebar"): inside an article,
    /// the article's own margin (its date, author, sharing), not other stories.
    pub const SIDE: u16 = 1024;
}

/// A `<time>` element (or other element with a machine date attribute).
#[derive(Debug, Clone)]
pub struct TimeEl {
    pub value: String,
    pub flags: u16,
    /// Offset in [`Page::text`] where the element's text starts.
    pub offset: usize,
}

/// The visible text of a page with context.
#[derive(Debug, Default)]
pub struct Page {
    /// Visible text, text nodes joined by single spaces.
    pub text: String,
    /// `(offset in text, flags)` for each text piece, ascending.
    pub pieces: Vec<(usize, u16)>,
    pub times: Vec<TimeEl>,
    /// Offset in `text` of the headline (first `<h1>` outside page furniture).
    pub headline: Option<usize>,
}

/// Text kept for date search, at most.
const MAX_TEXT: usize = 200_000;

// Keyword groups of class and id names.
const G_OTHER: u8 = 1;
const G_BYLINE: u8 = 2;
/// Keeps a token from counting as furniture ("comment-date", "layout-sidebar").
const G_EXEMPT: u8 = 4;
const G_MODIFIED: u8 = 8;
const G_PUBLISHED: u8 = 16;
const G_BODY: u8 = 32;
const G_FOOTER: u8 = 64;
/// With "footer": the article's own footer ("entry-footer").
const G_ARTICLE: u8 = 128;

const KEYWORDS: &[(&str, u8)] = &[
    ("related", G_OTHER),
    ("comment", G_OTHER),
    ("sidebar", G_OTHER),
    ("teaser", G_OTHER),
    ("recommend", G_OTHER),
    ("footer", G_OTHER | G_FOOTER),
    ("navigation", G_OTHER),
    ("navbar", G_OTHER),
    ("menu", G_OTHER),
    ("popular", G_OTHER),
    ("trending", G_OTHER),
    ("similar", G_OTHER),
    ("morestories", G_OTHER),
    ("more-stories", G_OTHER),
    ("read-more", G_OTHER),
    ("readmore", G_OTHER),
    ("latest", G_OTHER),
    ("recent", G_OTHER),
    ("archive", G_OTHER),
    ("reply", G_OTHER),
    ("kommentar", G_OTHER),
    ("weitere", G_OTHER),
    ("empfehlung", G_OTHER),
    ("ticker", G_OTHER),
    ("carousel", G_OTHER),
    ("slider", G_OTHER),
    ("promo", G_OTHER),
    ("advert", G_OTHER),
    ("cookie", G_OTHER),
    ("pagination", G_OTHER),
    ("share", G_OTHER),
    ("date", G_BYLINE | G_EXEMPT),
    ("time", G_BYLINE | G_EXEMPT),
    ("datum", G_BYLINE | G_EXEMPT),
    ("byline", G_BYLINE | G_EXEMPT),
    ("publish", G_BYLINE | G_EXEMPT | G_PUBLISHED),
    ("pubdate", G_BYLINE | G_EXEMPT | G_PUBLISHED),
    ("posted", G_BYLINE | G_PUBLISHED),
    ("created", G_BYLINE | G_PUBLISHED),
    ("veroeffentlicht", G_BYLINE | G_PUBLISHED),
    ("erstellt", G_BYLINE | G_PUBLISHED),
    ("meta", G_BYLINE),
    ("author", G_BYLINE),
    ("autor", G_BYLINE),
    ("zeit", G_BYLINE),
    ("info", G_BYLINE),
    ("stamp", G_BYLINE),
    ("submitted", G_BYLINE),
    ("details", G_BYLINE),
    ("kicker", G_BYLINE),
    ("header", G_ARTICLE),
    ("update", G_MODIFIED),
    ("modif", G_MODIFIED),
    ("aktualisiert", G_MODIFIED),
    ("edited", G_MODIFIED),
    ("articlebody", G_BODY),
    ("article-body", G_BODY),
    ("article__body", G_BODY),
    ("count", G_EXEMPT),
    ("layout", G_EXEMPT),
    ("column", G_EXEMPT),
    ("post", G_ARTICLE),
    ("entry", G_ARTICLE),
    ("article", G_ARTICLE),
    ("artikel", G_ARTICLE),
];

/// Keywords by first byte, built once.
type KeywordTable = Vec<Vec<(&'static [u8], u8)>>;

fn keyword_table() -> &'static [Vec<(&'static [u8], u8)>] {
    static TABLE: std::sync::OnceLock<KeywordTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![Vec::new(); 256];
        for &(w, g) in KEYWORDS {
            t[w.as_bytes()[0] as usize].push((w.as_bytes(), g));
        }
        t
    })
}

/// Keyword groups found in a lowercase class or id token.
fn groups(tok: &[u8]) -> u8 {
    let table = keyword_table();
    let mut g = 0;
    for i in 0..tok.len() {
        for (w, wg) in &table[tok[i] as usize] {
            if crate::extract::word_at(tok, i, w) {
                g |= wg;
            }
        }
    }
    g
}

/// Whether a class/id token names furniture or other stories ("related-posts"),
/// not a layout choice ("has-sidebar", "no-comments") or the article's own
/// parts ("comment-date" is still a date, "entry-footer" the article's).
fn token_is_other(tok: &[u8], g: u8) -> bool {
    let article_footer = g & G_FOOTER != 0 && g & G_ARTICLE != 0;
    g & G_OTHER != 0
        && g & G_EXEMPT == 0
        && !article_footer
        && !tok.starts_with(b"has-")
        && !tok.starts_with(b"with-")
        && !tok.starts_with(b"no-")
        && !tok.starts_with(b"without")
        && !tok.starts_with(b"col-")
        && !tok.ends_with(b"-open")
        && !tok.ends_with(b"-closed")
}

/// What the tokens of one `class`, `id` or `itemprop` value say: their keyword
/// groups together, whether one names furniture, and whether all those that do
/// name it only as a side column (true when none does).
#[derive(Debug, Clone, Copy)]
struct ValueFlags {
    groups: u8,
    other: bool,
    side: bool,
}

/// [`ValueFlags`] by the attribute value as written. The pages of a site repeat
/// the same few values on many elements and on every page, so the cache lives
/// as long as the extraction thread, not one page: a page's own cache still
/// matched every token of every new page against the keywords (16% of the date
/// finder's instructions) and hashed each token of each value on its own.
type ValueCache = rustc_hash::FxHashMap<Box<str>, ValueFlags>;

/// Values cached at most; the cache starts over when full (ids made of numbers
/// and other values used once would otherwise grow it without end).
const MAX_CACHED_VALUES: usize = 1 << 16;

thread_local! {
    static VALUE_CACHE: std::cell::RefCell<ValueCache> = std::cell::RefCell::default();
}

/// The [`ValueFlags`] of an attribute value, read token by token; `buf` is
/// scratch space for a lowercase token.
fn value_flags(v: &str, buf: &mut Vec<u8>) -> ValueFlags {
    let mut vf = ValueFlags {
        groups: 0,
        other: false,
        side: true,
    };
    for tok in v.split_ascii_whitespace() {
        buf.clear();
        buf.extend(tok.bytes().map(|b| b.to_ascii_lowercase()));
        let g = groups(buf);
        vf.groups |= g;
        if token_is_other(buf, g) {
            vf.other = true;
            vf.side &= token_is_side_only(buf);
        }
    }
    vf
}

/// Whether a furniture token is one only as a side column: "sidebar" and no
/// other furniture word ("sidebar__item", not "sidebar-related").
fn token_is_side_only(tok: &[u8]) -> bool {
    let Some(at) = tok.windows(7).position(|w| w == b"sidebar") else {
        return false;
    };
    let mut rest = tok.to_vec();
    rest[at..at + 7].fill(b'_');
    let g = groups(&rest);
    !token_is_other(&rest, g)
}

/// The context flags that an element's `class`, `id` and `itemprop` give it,
/// and whether it has a `datetime` attribute (found in the same pass over its
/// attributes: a separate `Document::attr` lookup on every element cost 0.7%
/// of indexing instructions).
fn class_flags(
    doc: &Document,
    id: NodeId,
    tag: Option<Tag>,
    buf: &mut Vec<u8>,
    cache: &mut ValueCache,
) -> (u16, bool) {
    let structural = matches!(tag, Some(Tag::Html | Tag::Body | Tag::Main | Tag::Article));
    let mut f = 0;
    let mut side_only = true;
    let mut all = 0u8;
    let mut total = 0;
    // The first `class`, `id` and `itemprop` attribute each (as `Document::attr`
    // finds them), read in one pass over the attributes.
    let mut done = 0u8;
    let mut has_datetime = false;
    for (key, v) in doc.attrs(id) {
        let bit = match key {
            "class" => 1,
            "id" => 2,
            "itemprop" => 4,
            "datetime" => {
                has_datetime = true;
                continue;
            }
            _ => continue,
        };
        if done & bit != 0 {
            continue;
        }
        done |= bit;
        total += v.len();
        let vf = match cache.get(v) {
            Some(&vf) => vf,
            None => {
                let vf = value_flags(v, buf);
                if cache.len() >= MAX_CACHED_VALUES {
                    cache.clear();
                }
                cache.insert(v.into(), vf);
                vf
            }
        };
        // As token by token: every token's groups count, and each furniture
        // token marks the element and says whether it is only a side column.
        all |= vf.groups;
        if !structural && vf.other {
            f |= flag::OTHER;
            side_only &= vf.side;
        }
    }
    if all & G_BODY != 0 {
        f |= flag::ARTICLE;
    }
    if f & flag::OTHER != 0 && side_only {
        f |= flag::SIDE;
    }
    if structural || total > 200 {
        return (f, has_datetime);
    }
    // "entry-date published updated" is the publication date.
    if all & G_MODIFIED != 0 && all & G_PUBLISHED == 0 {
        f |= flag::MODIFIED | flag::BYLINE;
    } else {
        if all & G_BYLINE != 0 {
            f |= flag::BYLINE;
        }
        if all & G_PUBLISHED != 0 {
            f |= flag::PUBLISHED;
        }
    }
    (f, has_datetime)
}

/// Lowercase letters and digits only, for comparing headings with titles.
fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    squash_into(&mut out, s);
    out
}

/// [`squash`] of `s`, appended to `out`.
fn squash_into(out: &mut String, s: &str) {
    for c in s.chars() {
        // ASCII (nearly all of a heading) without the general lowercase
        // mapping's iterator: the same letters and digits, the same lowercase.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
}

/// [`squash`] of the text of `id` (`squash(&doc.text_of(id))`), from its text
/// nodes as they are: squashing drops the whitespace that `text_of` folds, and
/// lowercases character by character, so the pieces squash apart.
fn squash_text_of(doc: &Document, id: NodeId) -> String {
    let mut out = String::new();
    for n in doc.descendants(id) {
        if let Some(t) = doc.text(n) {
            squash_into(&mut out, t);
        }
    }
    out
}

impl Page {
    /// Walk the page; `title` (the page's own title, from metadata) helps to find
    /// the headline among several `<h1>`.
    pub fn collect(doc: &Document, title: Option<&str>) -> Page {
        let mut page = Page::default();
        let title_key = title.map(squash).filter(|t| t.len() >= 12);
        let mut title_found = false;
        let mut buf = Vec::new();
        // Taken out of the thread's slot for the walk (and put back after), not
        // borrowed from it for each element.
        let mut cache = VALUE_CACHE.take();
        let n = doc.len();
        let mut flags = vec![0u16; n];
        // End (exclusive id) of each node's subtree: nodes are in document order.
        // The same backward pass gathers the `<h1>`, `<h2>` and `<h3>`
        // elements (a second pass over every node to filter them cost as much
        // as this one).
        let mut end = vec![0u32; n];
        let mut headings: Vec<u32> = Vec::new();
        for idx in (0..n).rev() {
            let node = doc.node(idx as NodeId);
            end[idx] = match node.last_child {
                Some(c) => end[c as usize],
                None => idx as u32 + 1,
            };
            if let NodeData::Element {
                name: TagName::Known(Tag::H1 | Tag::H2 | Tag::H3),
                ..
            } = node.data
            {
                headings.push(idx as u32);
            }
        }
        headings.reverse();
        // The `<h1>`s, `<h2>`s and `<h3>`s that repeat the page's title (each
        // heading's text compared once; some templates give the story's own
        // heading an `<h3>`), and with the other `<h1>`s, where the headline
        // can be.
        let repeats_title: Vec<u32> = match title_key.as_ref() {
            Some(tk) => headings
                .iter()
                .copied()
                .filter(|&i| {
                    let hk = squash_text_of(doc, i);
                    hk.len() >= 12 && (tk.contains(&hk) || hk.contains(tk.as_str()))
                })
                .collect(),
            None => Vec::new(),
        };
        let h1s: Vec<u32> = headings
            .iter()
            .copied()
            .filter(|&i| doc.is_tag(i, Tag::H1) || repeats_title.binary_search(&i).is_ok())
            .collect();
        // A wrapper around the headline or most of the page is not furniture,
        // whatever its class says ("page-with-menu", "off-canvas-wrap", a
        // "teaser-text" box that holds the story).
        let wrapper = |i: usize| {
            let e = end[i];
            (e as usize - i) * 5 > n * 2 || h1s.iter().any(|&h| h > i as u32 && h < e)
        };
        for idx in 0..n {
            let id = idx as NodeId;
            let inherited = doc.parent(id).map_or(0, |p| flags[p as usize]);
            match &doc.node(id).data {
                NodeData::Element { name, .. } => {
                    // Every name matched below is a known tag, interned as such.
                    let tag = match name {
                        TagName::Known(t) => Some(*t),
                        TagName::Other(_) => None,
                    };
                    let mut f = inherited;
                    if f & flag::SKIP == 0 {
                        f |= match tag {
                            Some(
                                Tag::Script
                                | Tag::Style
                                | Tag::Noscript
                                | Tag::Template
                                | Tag::Svg
                                | Tag::Head
                                | Tag::Select
                                | Tag::Opt
                                | Tag::Textarea
                                | Tag::Iframe
                                | Tag::Object,
                            ) => flag::SKIP,
                            Some(Tag::Nav | Tag::Footer | Tag::Aside | Tag::Menu) => flag::OTHER,
                            Some(Tag::A) => flag::LINK,
                            Some(Tag::Article) => flag::ARTICLE,
                            Some(Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6) => flag::HEADING,
                            Some(Tag::Li) => flag::ITEM,
                            _ => 0,
                        };
                        let (own, has_datetime) = class_flags(doc, id, tag, &mut buf, &mut cache);
                        // An aside or footer named as the article's byline or date
                        // line ("entry-meta") belongs to the article.
                        if matches!(tag, Some(Tag::Aside | Tag::Footer))
                            && own & flag::BYLINE != 0
                            && inherited & flag::OTHER == 0
                        {
                            f &= !flag::OTHER;
                        }
                        f |= own;
                        // An article's own side column is the article's.
                        if own & flag::SIDE != 0
                            && inherited & flag::ARTICLE != 0
                            && inherited & flag::OTHER == 0
                        {
                            f &= !flag::OTHER;
                        }
                        f &= !flag::SIDE;
                        // The site's header (not an article's) holds the day's date.
                        if tag == Some(Tag::Header)
                            && f & flag::ARTICLE == 0
                            && own & flag::BYLINE == 0
                        {
                            f |= flag::OTHER;
                        }
                        if f & flag::OTHER != 0 && inherited & flag::OTHER == 0 && wrapper(idx) {
                            f &= !flag::OTHER;
                        }
                        if tag == Some(Tag::Time) || has_datetime {
                            let value = doc
                                .attr(id, "datetime")
                                .or_else(|| doc.attr(id, "content"))
                                .map(str::to_string)
                                .unwrap_or_else(|| doc.text_of(id));
                            if doc.attr(id, "pubdate").is_some() {
                                f |= flag::PUBLISHED;
                            }
                            if !value.is_empty() && f & flag::SKIP == 0 {
                                page.times.push(TimeEl {
                                    value,
                                    flags: f,
                                    offset: page.text.len(),
                                });
                                f |= flag::TIME;
                            }
                        }
                        if matches!(tag, Some(Tag::H1 | Tag::H2 | Tag::H3)) && f & flag::OTHER == 0
                        {
                            let matches_title = repeats_title.binary_search(&id).is_ok();
                            if matches_title && !title_found {
                                page.headline = Some(page.text.len());
                                title_found = true;
                            } else if tag == Some(Tag::H1) && page.headline.is_none() {
                                page.headline = Some(page.text.len());
                            }
                        }
                    }
                    flags[idx] = f;
                }
                NodeData::Text(_) => {
                    let t = doc.text(id).unwrap_or_default();
                    flags[idx] = inherited;
                    if inherited & flag::SKIP != 0 || page.text.len() > MAX_TEXT {
                        continue;
                    }
                    let t = t.trim();
                    if t.is_empty() {
                        continue;
                    }
                    if !page.text.is_empty() {
                        page.text.push(' ');
                    }
                    page.pieces.push((page.text.len(), inherited));
                    // `page.text` is empty or ends with a space: the words of
                    // `t` go in joined by single spaces.
                    push_collapsed(&mut page.text, t);
                }
                NodeData::Document => {}
            }
        }
        VALUE_CACHE.set(cache);
        page
    }

    /// Offset where the text piece holding `offset` starts.
    pub fn piece_start(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|&(o, _)| o <= offset);
        if i == 0 { 0 } else { self.pieces[i - 1].0 }
    }

    /// Offset where the text piece holding `offset` ends.
    pub fn piece_end(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|&(o, _)| o <= offset);
        self.pieces
            .get(i)
            .map_or(self.text.len(), |&(o, _)| o.saturating_sub(1))
    }

    /// Flags of the text at `offset`.
    pub fn flags_at(&self, offset: usize) -> u16 {
        let i = self.pieces.partition_point(|&(o, _)| o <= offset);
        if i == 0 { 0 } else { self.pieces[i - 1].1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Squashing a heading's text nodes one by one gives what squashing its
    /// folded text gives.
    #[test]
    fn squash_of_text_nodes_equals_squash_of_text() {
        let html = "<h1> The \u{39c}ayor's\n  <b>Budget</b>\u{a0}<i>\u{130}stanbul</i> \
                    2024 \u{3a3}\u{3a3} <span>ﬁnal</span>\t\u{2003}plan</h1>";
        let doc = crate::html::parse(html);
        let h = doc.find_first(doc.root(), "h1").expect("h1");
        assert_eq!(squash_text_of(&doc, h), squash(&doc.text_of(h)));
        assert!(squash_text_of(&doc, h).len() > 20);
    }
}
