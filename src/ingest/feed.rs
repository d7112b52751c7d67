//! RSS (0.9x, 1.0, 2.0) and Atom feeds, read by `feed-rs`: each item is an
//! article. Its `content:encoded` (else description / summary) is extracted as an
//! HTML page; the item's link is its URL, the item's date (published, else
//! updated) its publication day, its title and authors win over extraction, and
//! the feed's title is the outlet unless a sidecar says otherwise.

use super::{Content, Item, Meta, RawDoc, clean_field};
use crate::extract::PageFormat;

/// XML nested deeper than this is refused before parsing (the parser would
/// spend its stack on it).
const MAX_XML_DEPTH: usize = 512;

/// True when the (whitespace-trimmed) bytes open like a feed: the first element
/// is `<rss`, `<feed` or `<rdf:RDF`, after any XML declaration, comments or doctype.
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let mut rest = &bytes[..bytes.len().min(4096)];
    loop {
        let Some(lt) = rest.iter().position(|&b| b == b'<') else {
            return false;
        };
        rest = &rest[lt..];
        if rest.starts_with(b"<?") || rest.starts_with(b"<!") {
            match rest.iter().position(|&b| b == b'>') {
                Some(gt) => rest = &rest[gt + 1..],
                None => return false,
            }
            continue;
        }
        let name: Vec<u8> = rest[1..]
            .iter()
            .take_while(|b| !b.is_ascii_whitespace() && **b != b'>' && **b != b'/')
            .map(u8::to_ascii_lowercase)
            .collect();
        return name == b"rss" || name == b"feed" || name == b"rdf:rdf";
    }
}

/// Element nesting depth, roughly (tags counted, comments and CDATA not parsed).
fn max_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'<' {
            let next = bytes[i + 1];
            if next == b'/' {
                depth = depth.saturating_sub(1);
            } else if next.is_ascii_alphabetic() || next == b'_' {
                let self_closing = bytes[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .is_some_and(|gt| gt > 0 && bytes[i + gt - 1] == b'/');
                if !self_closing {
                    depth += 1;
                    max = max.max(depth);
                }
            }
        }
        i += 1;
    }
    max
}

/// Split a feed into items; `Err` when it cannot be parsed at all.
pub fn split(bytes: &[u8]) -> Result<Vec<Item>, String> {
    let depth = max_depth(bytes);
    if depth > MAX_XML_DEPTH {
        return Err(format!(
            "feed XML nested {depth} deep (more than {MAX_XML_DEPTH})"
        ));
    }
    // Dates are kept as the day written (the publisher's local day): the
    // default parser would turn them into UTC and shift late-evening items.
    let parser = feed_rs::parser::Builder::new()
        .timestamp_parser(|s| {
            super::parse_date(s).map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
        })
        .build();
    let feed = parser.parse(bytes).map_err(|e| format!("bad feed: {e}"))?;
    let outlet = feed
        .title
        .as_ref()
        .and_then(|t| clean_field(Some(t.content.clone())));
    let mut items = Vec::new();
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let number = i + 1;
        let html = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|b| !b.trim().is_empty())
            .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
            .unwrap_or_default();
        let title = entry
            .title
            .as_ref()
            .and_then(|t| clean_field(Some(t.content.clone())));
        let url = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| l.href.trim().to_string())
            .filter(|h| !h.is_empty());
        let authors: Vec<String> = entry
            .authors
            .iter()
            .filter_map(|p| clean_field(p.name.clone()))
            .collect();
        let date = entry.published.or(entry.updated).map(|d| d.date_naive());
        if html.trim().is_empty() && title.is_none() {
            items.push(Item::failed(
                format!("item {number}"),
                "item has no title and no text",
            ));
            continue;
        }
        let content = if html.trim().is_empty() {
            Content::Text(String::new())
        } else {
            Content::Page {
                bytes: html.into_bytes(),
                format: Some(PageFormat::Html),
                charset: Some("utf-8".into()),
            }
        };
        items.push(Item::Doc(Box::new(RawDoc {
            record: Some(format!("item {number}")),
            key: Some(number.to_string()),
            content,
            url_hint: url.clone(),
            meta: Meta {
                url,
                title,
                date,
                outlet: None,
                author: (!authors.is_empty()).then(|| authors.join(", ")),
            },
            defaults: Meta {
                outlet: outlet.clone(),
                ..Default::default()
            },
            date_source: date.map(|_| "feed"),
        })));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_feeds() {
        assert!(looks_like_feed(
            b"<?xml version=\"1.0\"?>\n<!-- x -->\n<rss version=\"2.0\">"
        ));
        assert!(looks_like_feed(
            b"<feed xmlns=\"http://www.w3.org/2005/Atom\">"
        ));
        assert!(!looks_like_feed(b"<!DOCTYPE html><html>"));
        assert!(!looks_like_feed(b"<urlset>"));
    }

    #[test]
    fn depth_is_counted() {
        assert_eq!(max_depth(b"<a><b/><c>x</c></a>"), 2);
        assert_eq!(max_depth(&b"<a>".repeat(1000)), 1000);
    }
}
