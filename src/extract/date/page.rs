//! One walk over a parsed page for date evidence: the visible text with the
//! element context of every piece (byline, sidebar, link, ...), the `<time>`
//! elements, and where the headline is.

use crate::html::{Document, NodeData, NodeId};

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
const MAX_TEXT: usize = 400_000;

const OTHER_WORDS: &[&str] = &[
    "related",
    "comment",
    "sidebar",
    "teaser",
    "recommend",
    "widget",
    "footer",
    "navigation",
    "navbar",
    "menu",
    "popular",
    "trending",
    "similar",
    "morestories",
    "more-stories",
    "read-more",
    "readmore",
    "latest",
    "recent",
    "archive",
    "reply",
    "kommentar",
    "weitere",
    "empfehlung",
    "newsticker",
    "ticker",
    "carousel",
    "slider",
    "promo",
    "advert",
    "cookie",
    "pagination",
    "share",
];

const BYLINE_WORDS: &[&str] = &[
    "date", "time", "datum", "byline", "meta", "posted", "publish", "dateline", "author",
    "autor", "zeit", "info", "stamp", "created", "submitted", "details", "article-header",
    "entry-header", "post-header", "kicker",
];

/// Whether a class/id token names furniture or other stories ("related-posts"),
/// not a layout choice ("has-sidebar", "no-comments").
fn token_is_other(tok: &str) -> bool {
    if tok.starts_with("has-")
        || tok.starts_with("with-")
        || tok.starts_with("no-")
        || tok.starts_with("without")
        || tok.ends_with("-open")
        || tok.ends_with("-closed")
        || tok.contains("count")
        || tok.contains("layout")
        || tok.contains("column")
        || tok.starts_with("col-")
        || (tok.contains("footer")
            && ["post", "entry", "article", "artikel"]
                .iter()
                .any(|w| tok.contains(w)))
    {
        return false;
    }
    OTHER_WORDS.iter().any(|w| tok.contains(w))
        && !["date", "time", "publish", "byline", "datum"]
            .iter()
            .any(|w| tok.contains(w))
}

fn class_flags(doc: &Document, id: NodeId, name: &str) -> u16 {
    let mut f = 0;
    let mut text = String::new();
    for key in ["class", "id", "itemprop"] {
        if let Some(v) = doc.attr(id, key) {
            text.push_str(v);
            text.push(' ');
        }
    }
    if text.is_empty() {
        return 0;
    }
    text.make_ascii_lowercase();
    let structural = matches!(name, "html" | "body" | "main" | "article");
    if !structural && text.split_ascii_whitespace().any(token_is_other) {
        f |= flag::OTHER;
    }
    if text.contains("articlebody") || text.contains("article-body") || text.contains("article__body") {
        f |= flag::ARTICLE;
    }
    if structural || text.len() > 200 {
        return f;
    }
    if BYLINE_WORDS.iter().any(|w| text.contains(w)) && !text.contains("update") {
        f |= flag::BYLINE;
    }
    if text.contains("update") || text.contains("modif") || text.contains("aktualisiert") || text.contains("edited") {
        f |= flag::MODIFIED | flag::BYLINE;
    } else if text.contains("publish")
        || text.contains("pubdate")
        || text.contains("posted")
        || text.contains("created")
        || text.contains("veroeffentlicht")
        || text.contains("erstellt")
    {
        f |= flag::PUBLISHED;
    }
    f
}

impl Page {
    pub fn collect(doc: &Document) -> Page {
        let mut page = Page::default();
        let n = doc.len();
        let mut flags = vec![0u16; n];
        for idx in 0..n {
            let id = idx as NodeId;
            let inherited = doc.parent(id).map_or(0, |p| flags[p as usize]);
            match &doc.node(id).data {
                NodeData::Element { name, .. } => {
                    let name: &str = name;
                    let mut f = inherited;
                    if f & flag::SKIP == 0 {
                        f |= match name {
                            "script" | "style" | "noscript" | "template" | "svg" | "head"
                            | "select" | "option" | "textarea" | "iframe" | "object" => flag::SKIP,
                            "nav" | "footer" | "aside" | "menu" => flag::OTHER,
                            "a" => flag::LINK,
                            "article" => flag::ARTICLE,
                            "h2" | "h3" | "h4" | "h5" | "h6" => flag::HEADING,
                            "li" => flag::ITEM,
                            _ => 0,
                        };
                        let own = class_flags(doc, id, name);
                        // An aside or footer named as the article's byline or date
                        // line ("entry-meta") belongs to the article.
                        if matches!(name, "aside" | "footer")
                            && own & flag::BYLINE != 0
                            && inherited & flag::OTHER == 0
                        {
                            f &= !flag::OTHER;
                        }
                        f |= own;
                        if name == "time" || doc.attr(id, "datetime").is_some() {
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
                        if name == "h1"
                            && page.headline.is_none()
                            && f & flag::OTHER == 0
                        {
                            page.headline = Some(page.text.len());
                        }
                    }
                    flags[idx] = f;
                }
                NodeData::Text(t) => {
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
                    for (i, w) in t.split_whitespace().enumerate() {
                        if i > 0 {
                            page.text.push(' ');
                        }
                        page.text.push_str(w);
                    }
                }
                NodeData::Document => {}
            }
        }
        page
    }

    /// Flags of the text at `offset`.
    pub fn flags_at(&self, offset: usize) -> u16 {
        let i = self.pieces.partition_point(|&(o, _)| o <= offset);
        if i == 0 { 0 } else { self.pieces[i - 1].1 }
    }
}
