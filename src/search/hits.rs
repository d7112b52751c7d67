//! Building a [`Hit`] from a stored document: fields, snippet, passages, links.

use super::highlight::{self, Matcher};
use super::request::{Hit, SearchRequest};
use crate::index::{CivIndex, datetime_to_day};
use anyhow::Result;
use chrono::NaiveDate;
use tantivy::{DocAddress, Searcher, TantivyDocument};

/// Build the hit for one document.
pub fn make_hit(
    idx: &CivIndex,
    searcher: &Searcher,
    addr: DocAddress,
    score: f32,
    matcher: &Matcher,
    req: &SearchRequest,
) -> Result<Hit> {
    let a = idx.article_at(searcher, addr)?;
    let spans = highlight::find_spans(&a.body, matcher);
    let snip = highlight::snippet(&a.body, &spans, req.snippet_chars);
    let passages = if req.passages {
        highlight::passages(&a.body, &spans)
    } else {
        Vec::new()
    };
    Ok(Hit {
        id: a.id,
        url: a.url,
        path: a.path,
        title: a.title,
        date: a.date,
        outlet: a.outlet,
        author: a.author,
        score,
        snippet: snip.text,
        highlights: snip.highlights,
        passages,
        links: req.links.then_some(a.links),
    })
}

/// The stored day of a document.
pub fn doc_day(idx: &CivIndex, doc: &TantivyDocument) -> Option<NaiveDate> {
    use tantivy::schema::Value;
    doc.get_first(idx.fields.date)
        .and_then(|v| v.as_datetime())
        .map(datetime_to_day)
}
