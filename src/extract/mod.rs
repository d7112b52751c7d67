//! Raw page bytes to an [`Article`]: decode, parse once, find the main content, the
//! headline, outlet, author, canonical URL, language and publication date.
//!
//! Pure: no file system, no index. `extract` never panics on any input (the parser
//! is total and iterative); callers still guard it, because a bug here must cost
//! one document, not a run.

mod attribution;
pub mod charset;
pub mod content;
pub mod date;
pub mod markdown;
pub mod meta;
mod outlet;
pub mod text;

use crate::article::Article;
use chrono::NaiveDate;
use meta::PageMeta;

/// What kind of page the bytes hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFormat {
    /// Markup: parsed as HTML, main content found by the boilerplate pass.
    Html,
    /// Plain text saved from a page: judged line by line.
    Text,
}

/// Hints from outside the page.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// The page's URL when known (from a crawl record or the command line).
    pub url: Option<String>,
    /// The format when known (from the file extension); sniffed otherwise.
    pub format: Option<PageFormat>,
    /// A charset label from the transport (HTTP header, feed).
    pub charset: Option<String>,
    /// Dates after this day are rejected as implausible; `None` means today.
    pub today: Option<NaiveDate>,
    /// Dates found with a lower confidence are left out (the page is undated,
    /// the date kept in [`Article::date_rejected`]): for an index where a
    /// missing date costs less than a wrong one.
    pub min_date_confidence: Option<f32>,
    /// Also render the body as Markdown into [`Article::markdown`] (off for
    /// indexing, which does not store it).
    pub markdown: bool,
}

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("empty file")]
    /// The bytes are empty or ASCII whitespace only.
    Empty,
    #[error("binary data, not a text or HTML page")]
    /// The first 8 KiB hold a NUL byte or many control bytes: an image, a PDF, an archive.
    Binary,
    #[error("no article text found")]
    /// A page was read, but nothing in it passed as article text.
    NoText,
}

/// Extract the article from a page. `id` and `path` are left empty for the caller.
pub fn extract(bytes: &[u8], opts: &ExtractOptions) -> Result<Article, ExtractError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::Empty);
    }
    if looks_binary(bytes) {
        return Err(ExtractError::Binary);
    }
    let format = opts.format.unwrap_or_else(|| sniff_format(bytes));
    let (text, _encoding) =
        charset::decode(bytes, opts.charset.as_deref(), format == PageFormat::Html);
    let today = opts
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut article = match format {
        PageFormat::Html => extract_html(&text, opts.url.as_deref(), today, opts.markdown),
        PageFormat::Text => {
            let mut a = extract_text(&text, opts.url.as_deref(), today);
            // Plain text has no markup to render: its paragraphs are the Markdown.
            a.markdown = opts.markdown.then(|| a.body.clone());
            a
        }
    };
    // Once, here, so that every consumer (index, CLI, API) gets clean fields.
    article.sanitize();
    if article.body.trim().is_empty() && article.title.trim().is_empty() {
        return Err(ExtractError::NoText);
    }
    if let Some(min) = opts.min_date_confidence {
        reject_unsure_date(&mut article, min);
    }
    Ok(article)
}

/// Moves a date less sure than `min` out of the article's date fields into
/// [`Article::date_rejected`].
fn reject_unsure_date(article: &mut Article, min: f32) {
    let confidence = article.date_confidence.unwrap_or(0.0);
    if confidence >= min {
        return;
    }
    if let Some(date) = article.date.take() {
        article.date_rejected = Some(crate::article::RejectedDate {
            date,
            source: article.date_source.take().unwrap_or_default(),
            confidence,
        });
        article.date_confidence = None;
    }
}

/// NUL bytes (outside UTF-16, which carries a BOM) mean a binary file.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    // Bytes 0x00-0x08 and 0x0E-0x1A, counted in byte-wide sums of at most 255
    // so that the loop vectorizes.
    let mut controls = 0usize;
    for chunk in sample.chunks(255) {
        let mut c = 0u8;
        for &b in chunk {
            c += u8::from(b < 0x09) | u8::from(b.wrapping_sub(0x0E) < 0x0D);
        }
        controls += usize::from(c);
    }
    // `memchr`, not `contains`: core's word-at-a-time search took 8,700
    // instructions on every 8 KiB sample.
    memchr::memchr(0, sample).is_some() || controls * 20 > sample.len()
}

/// HTML when markup appears near the start, text otherwise.
pub fn sniff_format(bytes: &[u8]) -> PageFormat {
    let head = &bytes[..bytes.len().min(2048)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let trimmed = lower
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&lower[..], |i| &lower[i..]);
    let trimmed = trimmed.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(trimmed);
    let markers: [&[u8]; 6] = [
        b"<html",
        b"<!doctype",
        b"<head",
        b"<body",
        b"<meta",
        b"<div",
    ];
    if trimmed.starts_with(b"<")
        || markers
            .iter()
            .any(|m| lower.windows(m.len()).any(|w| w == *m))
    {
        PageFormat::Html
    } else {
        PageFormat::Text
    }
}

fn extract_html(html: &str, url: Option<&str>, today: NaiveDate, want_markdown: bool) -> Article {
    let doc = crate::html::parse(html);
    let meta = PageMeta::collect(&doc);
    let outlet = outlet(&doc, &meta, url);
    let title = headline(&doc, &meta, outlet.as_deref());
    let canonical = canonical_url(&meta, url);
    let content = content::main_content(&doc, Some(&title));
    let page_url = canonical.as_deref().or(url);
    let links = markdown::collect_links(&doc, &content, page_url, &content.text);
    let mut markdown = want_markdown
        .then(|| markdown::to_markdown(&doc, &content, markdown::base_url(page_url).as_ref()));
    let (body, body_source) = with_json_ld_body(content, &meta);
    if body_source == content::BodySource::JsonLd && want_markdown {
        // A body from JSON-LD has no markup to render: its paragraphs are the Markdown.
        markdown = Some(body.clone());
    }
    let found = date::find_date(
        &doc,
        &meta,
        date::dated_url(canonical.as_deref(), url),
        today,
    );
    Article {
        url: canonical,
        title,
        body,
        date: found.as_ref().map(|f| f.date),
        date_source: found.as_ref().map(|f| f.source.to_string()),
        date_confidence: found.as_ref().map(|f| f.confidence),
        author: author(&doc, &meta, outlet.as_deref()),
        outlet,
        language: meta
            .lang
            .clone()
            .or_else(|| {
                meta.get(&["content-language", "og:locale", "language", "dc.language"])
                    .map(str::to_string)
            })
            .map(|l| {
                l.replace('_', "-")
                    .split('-')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase()
            })
            .filter(|l| !l.is_empty()),
        links,
        markdown,
        body_source: Some(body_source),
        ..Default::default()
    }
}

/// The body, or the JSON-LD `articleBody` when the markup gave none (pages
/// whose article is rendered by scripts from data embedded in the page).
fn with_json_ld_body(main: content::MainContent, meta: &PageMeta) -> (String, content::BodySource) {
    if main.text.trim().is_empty()
        && let Some(ld) = meta.ld_str("articleBody")
    {
        let text = paragraphs_from_plain(&ld);
        if !text.is_empty() {
            return (text, content::BodySource::JsonLd);
        }
    }
    (main.text, main.source)
}

/// Plain text with one paragraph a line (or blank-line separated) in the
/// body's form: whitespace collapsed, paragraphs separated by a blank line.
fn paragraphs_from_plain(s: &str) -> String {
    s.lines()
        .map(clean)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn extract_text(text: &str, url: Option<&str>, today: NaiveDate) -> Article {
    let page = text::extract_text_page(text);
    let header = page.header_lines.join("\n");
    let found = date::find_plain_text_date(&header, &page.body, url, today);
    Article {
        url: url.map(str::to_string),
        title: page.title,
        body: page.body,
        date: found.as_ref().map(|f| f.date),
        date_source: found.as_ref().map(|f| f.source.to_string()),
        date_confidence: found.as_ref().map(|f| f.confidence),
        outlet: page
            .outlet
            .or_else(|| url.and_then(outlet::registered_domain)),
        author: page.author,
        ..Default::default()
    }
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Headline: JSON-LD `headline`, `og:title`, the article's `<h1>`, or `<title>`
/// without the site name.
fn headline(doc: &crate::html::Document, meta: &PageMeta, outlet: Option<&str>) -> String {
    let candidates = [
        meta.ld_str("headline"),
        meta.get(&["og:title", "twitter:title"]).map(str::to_string),
        first_h1(doc),
        meta.title_tag
            .as_deref()
            .map(|t| strip_site_suffix(t, outlet)),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|t| clean(&t))
        .map(|t| strip_site_suffix(&t, outlet))
        .find(|t| !t.is_empty())
        .unwrap_or_default()
}

pub(crate) fn first_h1(doc: &crate::html::Document) -> Option<String> {
    doc.descendants(doc.root())
        .filter(|&id| doc.is(id, "h1"))
        .find(|&id| {
            !doc.ancestors(id)
                .any(|a| matches!(doc.name(a), Some("nav" | "footer" | "aside")))
        })
        .map(|id| doc.text_of(id))
        .filter(|t| !t.is_empty())
}

/// "Council votes | The Riverton Ledger" -> "Council votes".
fn strip_site_suffix(title: &str, outlet: Option<&str>) -> String {
    let title = title.trim();
    for sep in attribution::TITLE_SEPARATORS {
        if let Some(i) = title.rfind(sep) {
            let (left, right) = (&title[..i], &title[i + sep.len()..]);
            let right_is_site = outlet.is_some_and(|o| {
                let (r, o) = (attribution::squash(right), attribution::squash(o));
                !r.is_empty() && (o.contains(&r) || r.contains(&o))
            });
            if right_is_site
                || (right.split_whitespace().count() <= 4
                    && left.split_whitespace().count() >= 3
                    && outlet.is_none())
            {
                return left.trim().to_string();
            }
        }
    }
    title.to_string()
}

fn outlet(doc: &crate::html::Document, meta: &PageMeta, url: Option<&str>) -> Option<String> {
    outlet::outlet(doc, meta, url)
}

fn canonical_url(meta: &PageMeta, url: Option<&str>) -> Option<String> {
    let candidate = meta.canonical.as_deref().or_else(|| meta.get(&["og:url"]));
    // Only an http(s) canonical counts: a `javascript:` or `data:` one would
    // travel as the article's address to browsers and other tools.
    let web = |u: url::Url| crate::hygiene::is_web_url(u.as_str()).then(|| u.to_string());
    match (candidate, url) {
        (Some(c), Some(base)) => url::Url::parse(base)
            .and_then(|b| b.join(c))
            .ok()
            .and_then(web)
            .or_else(|| Some(base.to_string())),
        (Some(c), None) => url::Url::parse(c).ok().and_then(web),
        (None, Some(base)) => Some(base.to_string()),
        (None, None) => None,
    }
}

/// The article's author or authors: JSON-LD, then `<meta>`, then `rel=author`
/// links and byline elements, each cleaned by [`attribution::clean_author`].
/// A JSON-LD author that is an organisation gives way to a person named in
/// the page (syndicated pages credit the outlet there and the reporter in the
/// byline).
fn author(doc: &crate::html::Document, meta: &PageMeta, outlet: Option<&str>) -> Option<String> {
    // The outlet credited as author ("USA TODAY") is not a person.
    let outlet_key = outlet.map(attribution::squash).unwrap_or_default();
    let not_outlet = |t: &String| outlet_key.is_empty() || attribution::squash(t) != outlet_key;
    let ld = |want_person: bool| {
        meta.ld_articles
            .iter()
            .filter_map(|o| o.get("author"))
            .find_map(|a| {
                let people: Vec<&serde_json::Value> = match a {
                    serde_json::Value::Array(items) => items.iter().collect(),
                    one => vec![one],
                };
                let names: Vec<String> = people
                    .into_iter()
                    .filter(|p| is_organisation(p) != want_person)
                    .filter_map(meta::json_text)
                    .filter_map(|t| attribution::clean_author(&t))
                    .filter(not_outlet)
                    .collect();
                (!names.is_empty()).then(|| names.join(", "))
            })
    };
    ld(true)
        .or_else(|| {
            meta.get(&[
                "author",
                "article:author",
                "parsely-author",
                "sailthru.author",
                "dc.creator",
                "byl",
            ])
            .filter(|a| !a.starts_with("http"))
            .and_then(attribution::clean_author)
        })
        .or_else(|| {
            doc.descendants(doc.root())
                .find(|&id| {
                    doc.is(id, "a")
                        && doc
                            .attr(id, "rel")
                            .is_some_and(|r| r.split_whitespace().any(|x| x == "author"))
                        || doc.attr(id, "itemprop") == Some("author")
                })
                .map(|id| doc.text_of(id))
                .filter(|t| !t.is_empty() && t.split_whitespace().count() <= 6)
                .and_then(|t| attribution::clean_author(&t))
        })
        .or_else(|| attribution::author_from_byline(doc))
        .or_else(|| ld(false))
}

/// Whether a JSON-LD author value is an organisation rather than people.
fn is_organisation(v: &serde_json::Value) -> bool {
    let org = |o: &serde_json::Value| {
        o.get("@type")
            .and_then(|t| t.as_str())
            .is_some_and(|t| t.ends_with("Organization") || t == "Corporation")
    };
    match v {
        serde_json::Value::Array(items) => !items.is_empty() && items.iter().all(org),
        other => org(other),
    }
}

/// Whether `hay[i..]` starts with `word`. The class/id keyword tables call
/// this at every position of every class value, with short words that mostly
/// differ in their second byte: a byte loop that stops at the first mismatch
/// is cheaper than `starts_with`, which calls `memcmp` (14 M calls on 3,000
/// pages, 4.5% of indexing instructions with the tree builder's calls).
#[inline]
pub(crate) fn word_at(hay: &[u8], i: usize, word: &[u8]) -> bool {
    let Some(s) = hay.get(i..i + word.len()) else {
        return false;
    };
    // An index loop, not `zip`: outside a fat-LTO build `Zip::new` stayed
    // an out-of-line call per candidate position.
    let mut k = 0;
    while k < word.len() {
        if s[k] != word[k] {
            return false;
        }
        k += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> ExtractOptions {
        ExtractOptions {
            today: NaiveDate::from_ymd_opt(2026, 11, 28),
            ..Default::default()
        }
    }

    #[test]
    fn html_metadata_from_json_ld_and_meta() {
        let html = r#"<html lang="en-US"><head><title>Budget passes | The Ledger</title>
        <link rel="canonical" href="https://ledger.example/2018/01/17/budget/">
        <meta property="og:site_name" content="The Ledger">
        <script type="application/ld+json">{"@type":"NewsArticle","headline":"Budget passes after long night","datePublished":"2018-01-17T22:10:00-08:00","dateModified":"2018-01-19T10:00:00Z","author":{"@type":"Person","name":"Ana Ruiz"}}</script>
        </head><body><article><h1>Budget passes after long night</h1><p>The council approved the budget, eight votes to one, after a debate that went past midnight.</p></article></body></html>"#;
        let a = extract(html.as_bytes(), &opts()).unwrap();
        assert_eq!(a.title, "Budget passes after long night");
        assert_eq!(a.outlet.as_deref(), Some("The Ledger"));
        assert_eq!(a.author.as_deref(), Some("Ana Ruiz"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://ledger.example/2018/01/17/budget/")
        );
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2018, 1, 17));
        assert_eq!(a.date_source.as_deref(), Some("json-ld"));
        assert_eq!(a.language.as_deref(), Some("en"));
        assert!(a.body.starts_with("The council approved"));
        assert_eq!(a.body_source, Some(content::BodySource::Main));
    }

    #[test]
    fn json_ld_article_body_when_the_markup_has_none() {
        // A page rendered by scripts from data embedded in it.
        let html = r#"<html><head><title>Ferry fares rise</title>
        <script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry fares rise","articleBody":"Fares on the harbor ferry rise by a quarter in May.\n\nThe board voted   five to two.\nCommuters objected."}</script>
        </head><body><div id="app"></div><script>render()</script></body></html>"#;
        let a = extract(html.as_bytes(), &opts()).unwrap();
        assert_eq!(
            a.body,
            "Fares on the harbor ferry rise by a quarter in May.\n\nThe board voted five to two.\n\nCommuters objected."
        );
        assert_eq!(a.body_source, Some(content::BodySource::JsonLd));
        // A body in the markup wins over the JSON-LD copy.
        let html = html.replace(
            r#"<div id="app"></div>"#,
            "<article><p>The markup's own article text, long enough to be a paragraph of the story.</p></article>",
        );
        let a = extract(html.as_bytes(), &opts()).unwrap();
        assert!(a.body.starts_with("The markup's own"), "{}", a.body);
        assert_eq!(a.body_source, Some(content::BodySource::Main));
    }

    #[test]
    fn title_tag_suffix_is_removed() {
        let html = "<html><head><title>Schools reopen Monday - Riverton Ledger</title></head><body><p>Schools across the district reopen on Monday after the storm, officials said.</p></body></html>";
        let a = extract(
            html.as_bytes(),
            &ExtractOptions {
                url: Some("https://riverton-ledger.example/x".into()),
                ..opts()
            },
        )
        .unwrap();
        assert_eq!(a.title, "Schools reopen Monday");
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        assert_eq!(extract(b"", &opts()), Err(ExtractError::Empty));
        assert_eq!(extract(b"  \n ", &opts()), Err(ExtractError::Empty));
        assert_eq!(
            extract(b"\x00\x01\x02binary\x00\x00", &opts()),
            Err(ExtractError::Binary)
        );
        assert_eq!(
            extract(b"<html><body><script>x()</script></body></html>", &opts()),
            Err(ExtractError::NoText)
        );
        // Invalid UTF-8 is decoded, not rejected.
        assert!(
            extract(
                b"Headline here today\n\nCaf\xe9 owners met the mayor on Monday.\n",
                &opts()
            )
            .is_ok()
        );
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff_format(b"  <!DOCTYPE html><html>"), PageFormat::Html);
        assert_eq!(
            sniff_format(b"Press \"Enter\" to skip to content\n\nTitle"),
            PageFormat::Text
        );
    }

    const SENTENCE: &str = "The council voted six to three on Tuesday night, after a long debate, to approve the new budget for the city's libraries.";

    fn body_of(html: &str) -> String {
        let opts = ExtractOptions {
            format: Some(PageFormat::Html),
            ..opts()
        };
        extract(html.as_bytes(), &opts)
            .map(|a| a.body)
            .unwrap_or_default()
    }

    #[test]
    fn frameset_page_yields_its_noframes_text() {
        let html = format!(
            r#"<html><head><title>Frames</title></head><frameset cols="20%,80%"><frame src="menu.html"><frame src="main.html">
            <noframes><body><p>{SENTENCE}</p></body></noframes></frameset></html>"#
        );
        assert_eq!(body_of(&html), SENTENCE);
    }

    #[test]
    fn fragment_without_body_keeps_loose_text() {
        let html = format!("{SENTENCE} <table><tr><td>a short cell</td></tr></table>");
        assert!(body_of(&html).starts_with(SENTENCE), "{}", body_of(&html));
        let html = format!("<p>{SENTENCE}</p><p>{SENTENCE} Two.</p>");
        assert_eq!(body_of(&html), format!("{SENTENCE}\n\n{SENTENCE} Two."));
    }

    #[test]
    fn malformed_markup_still_gives_the_text() {
        let html = format!(
            "<html><body><div class=story><p>Unclosed <b>bold <i>italic <div>{SENTENCE}</span></td></p>< p><<>><!-- never closed <p>lost"
        );
        let body = body_of(&html);
        assert!(body.contains(SENTENCE), "{body}");
        assert!(!body.contains("lost"));
        // Truncated inside a tag, an attribute, a script.
        for cut in [
            format!("<p>{SENTENCE}</p><a href=\"x"),
            format!("<p>{SENTENCE}</p><div class='a"),
            format!("<p>{SENTENCE}</p><script>if (a < b) {{"),
        ] {
            assert!(body_of(&cut).contains(SENTENCE), "{cut}");
        }
    }

    #[test]
    fn ten_thousand_deep_nesting_works_without_recursion() {
        let depth = 10_000;
        let html = format!(
            "<html><body>{}<p>{SENTENCE}</p>{}</body></html>",
            "<div><span>".repeat(depth),
            "</span></div>".repeat(depth)
        );
        assert!(body_of(&html).contains("The council voted"));
        let html = "<b>".repeat(depth) + SENTENCE;
        assert!(body_of(&html).contains("The council voted"));
    }

    #[test]
    fn fifty_megabyte_page_is_extracted() {
        // 50 MB in release builds; 8 MB under the (much slower) debug profile.
        let size: usize = if cfg!(debug_assertions) {
            8 << 20
        } else {
            50 << 20
        };
        let mut html = String::with_capacity(size + (1 << 20));
        html.push_str("<html><head><title>Big page today | Ledger</title></head><body><nav><a href=/>Home</a></nav><article>");
        let mut n = 0u64;
        while html.len() < size {
            n += 1;
            html.push_str("<p>");
            html.push_str(&n.to_string());
            html.push(' ');
            html.push_str(SENTENCE);
            html.push_str("</p>\n<div class=\"ad\">Advertisement</div>\n");
        }
        html.push_str("</article></body></html>");
        let a = extract(html.as_bytes(), &opts()).unwrap();
        assert_eq!(a.title, "Big page today");
        assert!(a.body.len() > size / 2, "{}", a.body.len());
        assert!(!a.body.contains("Advertisement"));
        assert!(!a.body.contains("Home"));
    }
}
