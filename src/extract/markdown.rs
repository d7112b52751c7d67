//! What extraction keeps of the chosen article beyond its text: the body as
//! Markdown (on request) and the links out of it.
//!
//! Both read the same subtrees as the body text ([`MainContent::roots`] minus
//! [`MainContent::skipped`]), so a share bar, a caption or a related-stories box
//! that the text leaves out is not rendered and gives no link. The Markdown is
//! made by serialising those subtrees back to HTML from our own DOM and handing
//! that to `html2text` with a decorator that writes Markdown markers: html2text
//! renders structure (headings, lists, quotes, tables, links) well, but renders
//! every part of a whole page, so it only ever sees the article's subtrees.

use super::content::MainContent;
use crate::article::Link;
use crate::html::{Document, NodeId, Tag, TagSet, tag_set};
use html2text::render::{TaggedLine, TextDecorator};
use url::Url;

/// Elements whose content is never article text or Markdown: code, media,
/// embedded documents and form controls. (The content pass marks most of them
/// as skipped already; this keeps the serialiser safe on its own.)
const DROPPED: TagSet = tag_set(&[
    Tag::Script,
    Tag::Style,
    Tag::Noscript,
    Tag::Template,
    Tag::Svg,
    Tag::Iframe,
    Tag::Object,
    Tag::Embed,
    Tag::Canvas,
    Tag::Video,
    Tag::Audio,
    Tag::Head,
    Tag::Title,
    Tag::Meta,
    Tag::Link,
    Tag::Base,
    Tag::Button,
    Tag::Input,
    Tag::Select,
    Tag::Textarea,
]);

/// Elements without an end tag.
const VOID: TagSet = tag_set(&[Tag::Br, Tag::Hr, Tag::Img, Tag::Wbr, Tag::Col]);

/// Elements inside which text is code, not prose: Markdown characters in them
/// are not escaped.
const CODE: TagSet = tag_set(&[Tag::Pre, Tag::Code, Tag::Kbd, Tag::Samp, Tag::Xmp]);

/// Lines are never wrapped: a paragraph is one line, as Markdown tools expect.
/// (html2text needs a width; this one is wider than any paragraph of a page.)
const NO_WRAP_WIDTH: usize = 1 << 20;

/// The nodes a renderer leaves out, for quick membership tests.
struct Skipped(Vec<NodeId>);

impl Skipped {
    fn new(content: &MainContent) -> Skipped {
        let mut ids = content.skipped.clone();
        ids.sort_unstable();
        Skipped(ids)
    }

    fn contains(&self, id: NodeId) -> bool {
        self.0.binary_search(&id).is_ok()
    }
}

/// The page's URL as a base for relative links, when it is known and absolute.
pub fn base_url(url: Option<&str>) -> Option<Url> {
    url.and_then(|u| Url::parse(u).ok())
}

/// An `href` or `src` as an absolute http(s) URL: resolved against `base`,
/// `None` for in-page anchors, `javascript:`, `mailto:`, data and other schemes,
/// and for relative references when no base is known.
fn absolute_http(raw: &str, base: Option<&Url>) -> Option<Url> {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with('#') {
        return None;
    }
    let url = match base {
        Some(b) => b.join(raw).ok()?,
        None => Url::parse(raw).ok()?,
    };
    matches!(url.scheme(), "http" | "https")
        .then_some(url)
        .filter(|u| u.host_str().is_some())
}

/// The outbound links of the article: `<a href>` inside the chosen subtrees
/// and outside the skipped furniture, as absolute http(s) URLs resolved
/// against `page_url`, each URL once (with its first anchor text). A link
/// whose text the body does not contain stood in a block the body dropped (a
/// list of related links, a "more on this" line) and is not kept either, nor
/// is a link without text; a link to the page itself is not outbound.
pub fn collect_links(
    doc: &Document,
    content: &MainContent,
    page_url: Option<&str>,
    body: &str,
) -> Vec<Link> {
    let skipped = Skipped::new(content);
    // Parsed at the first link: most pages indexed have few or no body links,
    // and indexing should not pay for a URL parse it does not use.
    let mut base: Option<Option<Url>> = None;
    let mut seen = rustc_hash::FxHashSet::default();
    let mut out = Vec::new();
    let mut body_text = BodyCursor { body, at: 0 };
    for &root in &content.roots {
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            if skipped.contains(id) || doc.tag(id).is_some_and(|t| t.in_set(DROPPED)) {
                continue;
            }
            if !doc.is_tag(id, Tag::A) {
                push_children_reversed(doc, id, &mut stack);
                continue;
            }
            let Some((href, text)) = anchor_in_body(doc, id, &mut body_text) else {
                continue;
            };
            let base = base.get_or_insert_with(|| base_url(page_url)).as_ref();
            let Some(url) = absolute_http(href, base) else {
                continue;
            };
            let is_self = base.is_some_and(|b| same_document(b, &url));
            if !is_self && seen.insert(url.as_str().to_string()) {
                out.push(Link {
                    url: url.into(),
                    text,
                });
            }
        }
    }
    out
}

/// The `href` and text of an `<a>` whose text is in the body. A link without
/// text (an image, a banner) is not kept: in article bodies those are mostly
/// promotions, and the body says nothing of what they point to.
fn anchor_in_body<'d>(
    doc: &'d Document,
    a: NodeId,
    body: &mut BodyCursor,
) -> Option<(&'d str, String)> {
    let href = doc.attr(a, "href")?;
    let text = doc.text_of(a);
    (!text.is_empty() && body.contains(&text)).then_some((href, text))
}

/// The body, searched for anchor texts from where the previous one was found:
/// links come in document order and so does the body, so each search mostly
/// reads a few words instead of the whole body again.
struct BodyCursor<'b> {
    body: &'b str,
    at: usize,
}

impl BodyCursor<'_> {
    fn contains(&mut self, text: &str) -> bool {
        let bytes = self.body.as_bytes();
        if let Some(i) = find_short(&bytes[self.at..], text.as_bytes()) {
            self.at += i + text.len();
            return true;
        }
        // Earlier in the body (a link repeated, or blocks reordered).
        let end = (self.at + text.len()).min(bytes.len());
        find_short(&bytes[..end], text.as_bytes()).is_some()
    }
}

/// Where `needle` first occurs in `hay` (`None` for an empty needle). A
/// first-byte scan with comparisons instead of `memmem` was tried: 30% more
/// instructions on the WCXB article pages, as common first bytes make many
/// candidates.
fn find_short(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(hay, needle)
}

/// Whether two URLs name the same document (they differ at most in fragment).
fn same_document(a: &Url, b: &Url) -> bool {
    a[..url::Position::AfterQuery] == b[..url::Position::AfterQuery]
}

fn push_children_reversed(doc: &Document, id: NodeId, stack: &mut Vec<NodeId>) {
    let start = stack.len();
    stack.extend(doc.children(id));
    stack[start..].reverse();
}

/// The article's chosen subtrees as Markdown: `#` headings, `*` list items,
/// `>` quotes, `[text](url)` links with URLs made absolute against `base`,
/// `**strong**` and `*emphasis*`. Empty when the page has no article.
pub fn to_markdown(doc: &Document, content: &MainContent, base: Option<&Url>) -> String {
    let html = subtrees_html(doc, content, base);
    if html.is_empty() {
        return String::new();
    }
    let rendered = html2text::config::with_decorator(MarkdownDecorator::default())
        .do_decorate()
        .no_table_borders()
        .no_link_wrapping()
        .unicode_strikeout(false)
        .string_from_read(html.as_bytes(), NO_WRAP_WIDTH);
    // The renderer works on a document we just wrote, so it does not fail on
    // markup; should it fail anyway, the Markdown is empty rather than the
    // whole extraction lost.
    rendered.map(|s| tidy(&s)).unwrap_or_default()
}

/// Trailing spaces off every line, runs of blank lines to one, no blank lines
/// at the ends.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_run = 0;
    for line in s.lines().map(str::trim_end) {
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

/// The chosen subtrees (minus skipped furniture and [`DROPPED`] elements) as
/// HTML, each root in its own `<div>`. Only the attributes that carry content
/// are written (`href`, `src` made absolute, `alt`, `title`, list `start`,
/// cell spans); text and values are escaped.
fn subtrees_html(doc: &Document, content: &MainContent, base: Option<&Url>) -> String {
    let skipped = Skipped::new(content);
    let mut out = String::new();
    for &root in &content.roots {
        out.push_str("<div>");
        write_subtree(doc, root, &skipped, base, &mut out);
        out.push_str("</div>\n");
    }
    out
}

/// One subtree, without recursion (pages nest thousands deep).
fn write_subtree(
    doc: &Document,
    root: NodeId,
    skipped: &Skipped,
    base: Option<&Url>,
    out: &mut String,
) {
    // (node, entering); on leaving an element its end tag is written.
    let mut stack = vec![(root, true)];
    let mut code_depth = 0usize;
    while let Some((id, entering)) = stack.pop() {
        if let Some(text) = doc.text(id) {
            escape_text(text, code_depth == 0, out);
            continue;
        }
        let Some(tag) = doc.tag(id) else {
            // The document node or an element of no known name: its content
            // only, as html2text would render an unknown inline element.
            if entering {
                push_entries(doc, id, &mut stack);
            }
            continue;
        };
        if !entering {
            if tag.in_set(CODE) {
                code_depth -= 1;
            }
            close_tag(tag, out);
            continue;
        }
        if skipped.contains(id) || tag.in_set(DROPPED) {
            continue;
        }
        if !open_tag(doc, id, tag, base, out) {
            push_entries(doc, id, &mut stack);
            continue;
        }
        if tag.in_set(VOID) {
            continue;
        }
        if tag.in_set(CODE) {
            code_depth += 1;
        }
        stack.push((id, false));
        push_entries(doc, id, &mut stack);
    }
}

/// Children of `id` as entries to visit, first child on top.
fn push_entries(doc: &Document, id: NodeId, stack: &mut Vec<(NodeId, bool)>) {
    let start = stack.len();
    stack.extend(doc.children(id).map(|c| (c, true)));
    stack[start..].reverse();
}

/// Write the start tag; false when the element is written as its content
/// alone (a link to nowhere we can follow, an image without a usable source).
fn open_tag(doc: &Document, id: NodeId, tag: Tag, base: Option<&Url>, out: &mut String) -> bool {
    let mut attrs: Vec<(&str, String)> = Vec::new();
    match tag {
        Tag::A => match doc.attr(id, "href").and_then(|h| absolute_http(h, base)) {
            Some(u) => attrs.push(("href", u.to_string())),
            None => return false,
        },
        Tag::Img => {
            let Some(src) = doc.attr(id, "src").and_then(|s| absolute_http(s, base)) else {
                return false;
            };
            attrs.push(("src", src.to_string()));
            if let Some(alt) = doc.attr(id, "alt") {
                attrs.push(("alt", alt.to_string()));
            }
        }
        Tag::Ol => {
            if let Some(start) = doc.attr(id, "start").filter(|s| s.parse::<i64>().is_ok()) {
                attrs.push(("start", start.to_string()));
            }
        }
        Tag::Td | Tag::Th => {
            for name in ["colspan", "rowspan"] {
                if let Some(v) = doc.attr(id, name).filter(|v| v.parse::<u16>().is_ok()) {
                    attrs.push((name, v.to_string()));
                }
            }
        }
        _ => {}
    }
    out.push('<');
    out.push_str(tag.name());
    for (name, value) in attrs {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_attr(&value, out);
        out.push('"');
    }
    out.push('>');
    true
}

fn close_tag(tag: Tag, out: &mut String) {
    out.push_str("</");
    out.push_str(tag.name());
    out.push('>');
}

/// Text as HTML text. Outside code, the characters Markdown reads as markup
/// inside a line get a backslash, so that `*`, `_` or `[` in a sentence stay
/// literal in the Markdown.
fn escape_text(text: &str, markdown_escape: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '*' | '_' | '`' | '[' | ']' if markdown_escape => {
                out.push('\\');
                out.push(c);
            }
            // A NUL would be dropped or replaced by the HTML parser anyway.
            '\0' => {}
            _ => out.push(c),
        }
    }
}

fn escape_attr(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => {}
            _ => out.push(c),
        }
    }
}

/// html2text decorations as Markdown. Emphasis, strong and code markers come
/// from html2text's own `do_decorate` rules, so they are empty here.
#[derive(Clone, Debug, Default)]
struct MarkdownDecorator {
    /// Targets of the links being rendered, innermost last.
    open_links: Vec<String>,
}

impl TextDecorator for MarkdownDecorator {
    type Annotation = ();

    fn decorate_link_start(&mut self, url: &str) -> (String, ()) {
        self.open_links.push(url.to_string());
        ("[".to_string(), ())
    }

    fn decorate_link_end(&mut self) -> String {
        match self.open_links.pop() {
            Some(url) => format!("]({url})"),
            None => "]".to_string(),
        }
    }

    fn decorate_em_start(&self) -> (String, ()) {
        (String::new(), ())
    }

    fn decorate_em_end(&self) -> String {
        String::new()
    }

    fn decorate_strong_start(&self) -> (String, ()) {
        (String::new(), ())
    }

    fn decorate_strong_end(&self) -> String {
        String::new()
    }

    fn decorate_strikeout_start(&self) -> (String, ()) {
        ("~~".to_string(), ())
    }

    fn decorate_strikeout_end(&self) -> String {
        "~~".to_string()
    }

    fn decorate_code_start(&self) -> (String, ()) {
        (String::new(), ())
    }

    fn decorate_code_end(&self) -> String {
        String::new()
    }

    fn decorate_preformat_first(&self) {}

    fn decorate_preformat_cont(&self) {}

    fn decorate_image(&mut self, src: &str, title: &str) -> (String, ()) {
        (format!("![{title}]({src})"), ())
    }

    fn header_prefix(&self, level: usize) -> String {
        "#".repeat(level.clamp(1, 6)) + " "
    }

    fn quote_prefix(&self) -> String {
        "> ".to_string()
    }

    fn unordered_item_prefix(&self) -> String {
        "* ".to_string()
    }

    fn ordered_item_prefix(&self, i: i64) -> String {
        format!("{i}. ")
    }

    fn make_subblock_decorator(&self) -> Self {
        MarkdownDecorator::default()
    }

    /// Links are written in place, so there are no footnotes to add.
    fn finalise(&mut self, _urls: Vec<String>) -> Vec<TaggedLine<()>> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::{ExtractOptions, PageFormat, extract};

    const PARA: &str = "The council voted six to three on Tuesday night, after a long debate, to approve the new budget for the city's libraries and parks.";

    fn page(article: &str) -> String {
        format!(
            r#"<html><head><title>Budget passes</title></head><body>
            <nav><a href="https://menu.example/home">Home</a> <a href="/politics/">Politics</a></nav>
            <article>{article}</article>
            <footer><a href="https://footer.example/about">About us</a></footer>
            </body></html>"#
        )
    }

    fn run(html: &str, markdown: bool) -> crate::Article {
        let opts = ExtractOptions {
            url: Some("https://ledger.example/news/2024/budget.html".into()),
            format: Some(PageFormat::Html),
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 28),
            markdown,
            ..Default::default()
        };
        extract(html.as_bytes(), &opts).unwrap()
    }

    fn structured_article() -> String {
        page(&format!(
            r#"<p>{PARA} The <a href="/docs/budget.pdf">full budget</a> is online.</p>
            <div class="share-tools"><a href="https://social.example/share">Share on Social</a></div>
            <h2>What the money buys</h2>
            <ul><li>{PARA}</li><li>Longer hours at <em>every</em> branch library, all week.</li></ul>
            <blockquote><p>We heard the residents, and we answered them with this budget.</p></blockquote>
            <p>{PARA} Figures from the <a href="https://www.oaklandca.gov/budget">city's site</a>.</p>"#
        ))
    }

    #[test]
    fn markdown_keeps_headings_lists_quotes_and_links() {
        let a = run(&structured_article(), true);
        let md = a.markdown.expect("markdown was asked for");
        assert!(md.contains("\n## What the money buys\n"), "{md}");
        assert!(
            md.contains("\n* Longer hours at *every* branch library"),
            "{md}"
        );
        assert!(
            md.contains("> We heard the residents, and we answered them with this budget."),
            "{md}"
        );
        // Links in place, relative ones made absolute against the page URL.
        assert!(
            md.contains("[full budget](https://ledger.example/docs/budget.pdf)"),
            "{md}"
        );
        assert!(
            md.contains("[city's site](https://www.oaklandca.gov/budget)"),
            "{md}"
        );
        // A paragraph is one line, however long.
        assert!(
            md.lines()
                .any(|l| l.starts_with("The council voted") && l.len() > 160)
        );
    }

    #[test]
    fn markdown_leaves_out_furniture_inside_the_article_and_outside_it() {
        let md = run(&structured_article(), true).markdown.unwrap();
        for furniture in [
            "Share on Social",
            "social.example",
            "Home",
            "About us",
            "Politics",
        ] {
            assert!(!md.contains(furniture), "{furniture} in {md}");
        }
    }

    #[test]
    fn markdown_is_only_made_on_request() {
        assert_eq!(run(&structured_article(), false).markdown, None);
    }

    #[test]
    fn markdown_characters_in_text_stay_literal() {
        let html = page(&format!(
            "<p>{PARA}</p><p>Rates rose 5*2 points [sic] under rule_7 &lt;b&gt; here.</p>"
        ));
        let md = run(&html, true).markdown.unwrap();
        assert!(
            md.contains(r"Rates rose 5\*2 points \[sic\] under rule\_7 <b> here."),
            "{md}"
        );
    }

    #[test]
    fn links_come_from_the_body_only() {
        let a = run(&structured_article(), false);
        let urls: Vec<&str> = a.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://ledger.example/docs/budget.pdf",
                "https://www.oaklandca.gov/budget"
            ]
        );
        assert_eq!(a.links[0].text, "full budget");
        assert_eq!(a.links[1].text, "city's site");
    }

    #[test]
    fn links_drop_anchors_scripts_mail_duplicates_and_dropped_blocks() {
        let html = page(&format!(
            r##"<p>{PARA} See <a href="#notes">the notes</a>, <a href="javascript:void(0)">this</a>,
            <a href="mailto:desk@ledger.example">the desk</a>, <a href="budget.html">this page</a>
            and <a href="https://data.example/t?id=1#x">the table</a>.</p>
            <p>{PARA} Again <a href="https://data.example/t?id=1#x">the table</a>.</p>
            <ul><li><a href="https://other.example/a">Related: council story one</a></li>
            <li><a href="https://other.example/b">Related: council story two</a></li></ul>"##
        ));
        let a = run(&html, false);
        let urls: Vec<&str> = a.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["https://data.example/t?id=1#x"], "{:?}", a.links);
    }

    #[test]
    fn anchor_texts_are_found_before_and_after_the_last_one() {
        let mut body = super::BodyCursor {
            body: "alpha beta gamma beta delta",
            at: 0,
        };
        assert!(body.contains("gamma"));
        assert!(body.contains("beta"));
        assert!(body.contains("alpha"));
        assert!(body.contains("delta"));
        assert!(!body.contains("epsilon"));
        assert!(!body.contains("delta gamma"));
        assert_eq!(super::find_short(b"abcabd", b"abd"), Some(3));
        assert_eq!(super::find_short(b"abc", b""), None);
    }

    #[test]
    fn relative_links_without_a_page_url_are_not_kept() {
        let html = page(&format!(
            r#"<p>{PARA} <a href="/docs/a.pdf">a document</a> and <a href="https://x.example/">another</a>.</p>"#
        ));
        let opts = ExtractOptions {
            format: Some(PageFormat::Html),
            ..Default::default()
        };
        let a = extract(html.as_bytes(), &opts).unwrap();
        let urls: Vec<&str> = a.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["https://x.example/"]);
    }
}
