//! Page metadata: `<meta>` tags, `<link rel=canonical>`, `<title>`, JSON-LD objects.
//! Collected in one walk over the parsed page.

use super::date::script::{ScriptDate, scan_script};
use crate::html::{Document, NodeId};
use serde_json::Value;

/// Everything the page says about itself in markup meant for machines.
#[derive(Debug, Default)]
pub struct PageMeta {
    /// `(key, content)` of every `<meta>`; key is the lowercase `property`, `name`
    /// or `itemprop`.
    pub metas: Vec<(String, String)>,
    /// The `href` of the first `<link rel="canonical">`, trimmed, as written (maybe relative).
    pub canonical: Option<String>,
    /// The text of the first `<title>` outside an inline SVG, site name and all.
    pub title_tag: Option<String>,
    /// The `lang` (or `xml:lang`) attribute of `<html>`, as written (`en-US`).
    pub lang: Option<String>,
    /// JSON-LD objects that describe an article (NewsArticle, BlogPosting, ...).
    pub ld_articles: Vec<Value>,
    /// All other JSON-LD objects (WebPage, Organization, BreadcrumbList, ...).
    pub ld_other: Vec<Value>,
    /// Elements with `itemprop` (microdata), `(itemprop, node)`.
    pub itemprops: Vec<(String, NodeId)>,
    /// Dates under publication keys in inline scripts other than JSON-LD.
    pub script_dates: Vec<ScriptDate>,
}

const ARTICLE_TYPES: &[&str] = &[
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "liveblogposting",
    "scholarlyarticle",
    "socialmediaposting",
    "techarticle",
    "report",
    "posting",
];

impl PageMeta {
    /// Collect metadata from a parsed page.
    pub fn collect(doc: &Document) -> PageMeta {
        let mut meta = PageMeta::default();
        for id in doc.descendants(doc.root()) {
            let Some(name) = doc.name(id) else { continue };
            if let Some(prop) = doc.attr(id, "itemprop")
                && !prop.is_empty()
            {
                meta.itemprops.push((prop.to_ascii_lowercase(), id));
            }
            match name {
                "meta" => {
                    let key = doc
                        .attr(id, "property")
                        .or_else(|| doc.attr(id, "name"))
                        .or_else(|| doc.attr(id, "itemprop"));
                    let content = doc.attr(id, "content").or_else(|| doc.attr(id, "value"));
                    if let (Some(k), Some(c)) = (key, content) {
                        let c = c.trim();
                        if !c.is_empty() {
                            meta.metas
                                .push((k.trim().to_ascii_lowercase(), c.to_string()));
                        }
                    }
                }
                "link" => {
                    let rel = doc.attr(id, "rel").unwrap_or("");
                    if rel
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                        && meta.canonical.is_none()
                        && let Some(href) = doc.attr(id, "href")
                        && !href.trim().is_empty()
                    {
                        meta.canonical = Some(href.trim().to_string());
                    }
                }
                "title"
                    if meta.title_tag.is_none() && !doc.ancestors(id).any(|a| doc.is(a, "svg")) =>
                {
                    let t = doc.text_of(id);
                    if !t.is_empty() {
                        meta.title_tag = Some(t);
                    }
                }
                "html" => {
                    // XHTML pages may declare only `xml:lang`.
                    if let Some(l) = doc.attr(id, "lang").or_else(|| doc.attr(id, "xml:lang")) {
                        meta.lang = Some(l.trim().to_string());
                    }
                }
                "script" => {
                    let is_ld = doc
                        .attr(id, "type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                    if let Some(child) = doc.node(id).first_child
                        && let Some(raw) = doc.text(child)
                    {
                        if is_ld {
                            meta.add_json_ld(raw);
                        } else {
                            scan_script(raw, &mut meta.script_dates);
                        }
                    }
                }
                _ => {}
            }
        }
        meta
    }

    fn add_json_ld(&mut self, raw: &str) {
        // Some sites wrap JSON-LD in CDATA or HTML comments, or leave trailing `;`.
        let cleaned = raw
            .trim()
            .trim_start_matches("<![CDATA[")
            .trim_end_matches("]]>")
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim()
            .trim_end_matches(';');
        let Ok(value) = serde_json::from_str::<Value>(cleaned) else {
            return;
        };
        let mut stack = vec![value];
        let mut budget = 256; // objects visited at most, against huge graphs
        while let Some(v) = stack.pop() {
            budget -= 1;
            if budget == 0 {
                break;
            }
            match v {
                Value::Array(items) => stack.extend(items.into_iter().rev()),
                Value::Object(mut obj) => {
                    if let Some(graph) = obj.remove("@graph") {
                        stack.push(graph);
                    }
                    let v = Value::Object(obj);
                    if is_article_type(&v) {
                        self.ld_articles.push(v);
                    } else {
                        self.ld_other.push(v);
                    }
                }
                _ => {}
            }
        }
    }

    /// First `<meta>` content for any of `keys`, in the order of `keys`.
    pub fn get(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| {
            self.metas
                .iter()
                .find(|(mk, _)| mk == k)
                .map(|(_, v)| v.as_str())
        })
    }

    /// A string field of the first article JSON-LD object that has it.
    pub fn ld_str(&self, field: &str) -> Option<String> {
        self.ld_articles
            .iter()
            .find_map(|o| json_text(o.get(field)?))
    }
}

fn is_article_type(v: &Value) -> bool {
    let matches = |s: &str| ARTICLE_TYPES.contains(&s.to_ascii_lowercase().as_str());
    match v.get("@type") {
        Some(Value::String(s)) => matches(s),
        Some(Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(matches)),
        _ => false,
    }
}

/// A human-readable string from a JSON-LD value: a string, the `name` of an object,
/// or the names of a list joined by ", ".
pub fn json_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let s = crate::html::decode_entities(s.trim()).into_owned();
            (!s.is_empty()).then_some(s)
        }
        Value::Object(o) => o.get("name").and_then(json_text),
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(json_text).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}
