//! Searching: a [`SearchRequest`] (query text and filters) becomes a tantivy query;
//! results carry the exact total, the requested page of hits, and snippets.

pub mod highlight;
pub mod named;
pub mod near;
pub mod query;
pub mod trend;

use crate::index::{CivIndex, datetime_to_day, day_to_datetime};
use anyhow::{Result, bail};
use chrono::NaiveDate;
use highlight::Matcher;
use query::{FieldName, QueryNode, parse_query};
use serde::Serialize;
use std::collections::HashSet;
use std::ops::Bound;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

pub use query::QueryError;

/// Largest page of hits one request may ask for (`--all` streams instead).
pub const MAX_LIMIT: usize = 10_000;

/// Order of hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    /// Highest BM25 score first.
    Relevance,
    /// Latest publication day first.
    Newest,
    /// Earliest publication day first.
    Oldest,
}
named::named_enum!(Sort, "sort", Relevance => "relevance", Newest => "newest", Oldest => "oldest");

/// What to do with articles that have no publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Undated {
    /// Undated articles match as well, with or without a date range.
    Include,
    /// Undated articles never match.
    Exclude,
    /// Only undated articles match; an error with a date range.
    Only,
}
named::named_enum!(Undated, "undated", Include => "include", Exclude => "exclude", Only => "only");

/// A search: query text, filters, order and page.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query text (words, `"phrases"`, `field:word`, `AND`/`OR`/`NOT`, `NEAR/n`, `*`).
    pub query: String,
    /// First day included.
    pub from: Option<NaiveDate>,
    /// Last day included.
    pub to: Option<NaiveDate>,
    /// Outlet names (any of them; case-insensitive).
    pub outlets: Vec<String>,
    /// Undated articles: `None` means excluded when a date range is given (they are
    /// not known to be in it) and included otherwise.
    pub undated: Option<Undated>,
    /// Order of the hits.
    pub sort: Sort,
    /// Hits per page, at most [`MAX_LIMIT`]; 0 gives the total alone.
    pub limit: usize,
    /// Hits to skip before the page (for paging).
    pub offset: usize,
    /// Also match word variants (raids ~ raid) of each query word.
    pub stem: bool,
    /// Length of snippets in characters.
    pub snippet_chars: usize,
    /// Count matching articles by outlet and by year.
    pub facets: bool,
    /// Give every matching passage of each hit, with offsets into the body.
    pub passages: bool,
    /// Give each hit's outbound body links.
    pub links: bool,
}

impl SearchRequest {
    /// A request for `query` with default filters: top 10 by relevance.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            from: None,
            to: None,
            outlets: Vec::new(),
            undated: None,
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            stem: false,
            snippet_chars: 200,
            facets: false,
            passages: false,
            links: false,
        }
    }

    /// Restrict to a date range (inclusive days).
    pub fn between(mut self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Self {
        self.from = from;
        self.to = to;
        self
    }

    fn undated_mode(&self) -> Undated {
        self.undated
            .unwrap_or(if self.from.is_some() || self.to.is_some() {
                Undated::Exclude
            } else {
                Undated::Include
            })
    }
}

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The document id: the canonical URL, or the folder-prefixed path.
    pub id: String,
    /// The article's URL, when known.
    pub url: Option<String>,
    /// The indexed folder's name and the path under it.
    pub path: Option<String>,
    /// The headline as indexed (for a page, without the site name its `<title>` adds).
    pub title: String,
    /// The publication day; `None` for an undated article.
    pub date: Option<NaiveDate>,
    /// The outlet's name, as written.
    pub outlet: Option<String>,
    /// The byline's names.
    pub author: Option<String>,
    /// The BM25 relevance score; meaningful only when sorted by relevance (it may
    /// be 0 when sorted by date).
    pub score: f32,
    /// A passage of the body around the best matches.
    pub snippet: String,
    /// Matched ranges in `snippet`, as `[start, end)` character offsets.
    pub highlights: Vec<(usize, usize)>,
    /// Every matching passage (with `passages` requested).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<highlight::Passage>,
    /// The article's outbound body links (with `links` requested).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<crate::article::Link>>,
}

/// Counts of matching articles by outlet and by year.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct Facets {
    /// Most first (articles without an outlet are not listed).
    pub outlet: Vec<FacetCount>,
    /// Oldest first; undated articles under "undated".
    pub year: Vec<FacetCount>,
}

/// One facet value and its count.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FacetCount {
    /// The outlet name as written, or the year (`2017`, `undated`).
    pub value: String,
    /// Matching articles with that value.
    pub count: u64,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Exact number of matching articles (all of them, not just this page).
    pub total: usize,
    /// This page of hits, in the requested order.
    pub hits: Vec<Hit>,
    /// Matching undated articles left out because a date range was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undated_excluded: Option<usize>,
    /// Outlet names asked for that no article has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_outlets: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Outlet and year counts (with `facets` requested).
    pub facets: Option<Facets>,
}

/// A compiled search: the tantivy query, the highlighter, and filter notes.
pub struct Compiled {
    /// The query to run: the text query with the date, outlet and undated filters.
    pub query: Box<dyn Query>,
    /// The text query without filters (for counting undated matches).
    pub text_query: Box<dyn Query>,
    /// Finds the matched words in a hit's body for highlights.
    pub matcher: Matcher,
    /// Outlet names asked for that no article has.
    pub unknown_outlets: Vec<String>,
    /// The parsed query.
    pub node: QueryNode,
    /// Candidates must be checked against the text (`NEAR`).
    pub needs_check: bool,
    /// Word variants used (with `--stem`), for the text check.
    pub variants: std::collections::HashMap<String, Vec<String>>,
    /// The query is `*` (every article; filters alone decide).
    pub match_all: bool,
    /// The query has a phrase (or a word that analyzes to several tokens).
    pub has_phrase: bool,
}

impl Compiled {
    /// Does a stored article match the query exactly (used for `NEAR`)?
    pub fn check(&self, a: &crate::article::Article) -> bool {
        if !self.needs_check {
            return true;
        }
        let doc = near::FieldTokens::new(a);
        let variants = |t: &str| {
            self.variants
                .get(t)
                .cloned()
                .unwrap_or_else(|| vec![t.to_string()])
        };
        near::matches(&self.node, &doc, &variants)
    }
}

/// Run a search.
pub fn search(idx: &CivIndex, req: &SearchRequest) -> Result<SearchResults> {
    if req.limit > MAX_LIMIT {
        bail!("limit {} is over the maximum of {MAX_LIMIT}", req.limit);
    }
    search_with(idx, &idx.searcher()?, req)
}

/// Run a search on a given searcher (a fixed point-in-time view of the index; for
/// servers and benchmarks that manage reloading themselves).
pub fn search_with(
    idx: &CivIndex,
    searcher: &Searcher,
    req: &SearchRequest,
) -> Result<SearchResults> {
    if req.limit > MAX_LIMIT {
        bail!("limit {} is over the maximum of {MAX_LIMIT}", req.limit);
    }
    let searcher = searcher.clone();
    let compiled = compile_request(idx, &searcher, req)?;
    let mut undated_counted = None;
    let (total, page, facets) = if compiled.needs_check {
        // Every candidate is checked against its text; then sort and page in memory.
        let mut all = checked_matches(idx, &searcher, &compiled)?;
        let facets = if req.facets {
            Some(facets_of(&searcher, all.iter().map(|m| m.0))?)
        } else {
            None
        };
        sort_matches(&searcher, &mut all, req.sort)?;
        let total = all.len();
        let page: Vec<(f32, DocAddress)> = all
            .into_iter()
            .skip(req.offset)
            .take(req.limit)
            .map(|(a, s)| (s, a))
            .collect();
        (total, page, facets)
    } else if req.sort == Sort::Relevance && req.limit > 0 {
        let page = relevance_page(idx, &searcher, &compiled, req, FEW_MATCHES)?;
        let facets = facets_of_matches(&searcher, &*compiled.query, req.facets)?;
        undated_counted = page.undated;
        (page.total, page.hits, facets)
    } else {
        let (total, page) = top_page(&searcher, &*compiled.query, req)?;
        let facets = facets_of_matches(&searcher, &*compiled.query, req.facets)?;
        (total, page, facets)
    };
    let mut hits = Vec::with_capacity(page.len());
    for (score, addr) in page {
        hits.push(make_hit(
            idx,
            &searcher,
            addr,
            score,
            &compiled.matcher,
            req,
        )?);
    }
    let undated_excluded = if undated_counted.is_some() {
        undated_counted
    } else if reports_undated(req) {
        let undated = BooleanQuery::new(vec![
            (Occur::Must, compiled.text_query.box_clone()),
            (Occur::Must, undated_query(idx, true)),
        ]);
        if compiled.needs_check {
            let mut n = 0;
            for addr in matching_docs(&searcher, &undated)? {
                if compiled.check(&idx.article_at(&searcher, addr)?) {
                    n += 1;
                }
            }
            Some(n)
        } else {
            Some(searcher.search(&undated, &Count)?)
        }
    } else {
        None
    };
    Ok(SearchResults {
        total,
        hits,
        undated_excluded,
        unknown_outlets: compiled.unknown_outlets,
        facets,
    })
}

/// Does the answer say how many undated matches a date range left out?
fn reports_undated(req: &SearchRequest) -> bool {
    req.undated.is_none() && req.undated_mode() == Undated::Exclude
}

/// A text query matching at most about this many articles in a segment, or one
/// with a phrase (checked against positions, which no skipping avoids), is
/// evaluated once, its matches filtered by the date column as they come;
/// broader word queries are counted and ranked by the index's own skipping
/// machinery.
const FEW_MATCHES: u32 = 1024;

/// Total, one page of hits by relevance, and (with a date range and no explicit
/// `undated` choice) the number of undated matches left out.
struct RelevancePage {
    total: usize,
    hits: Vec<(f32, DocAddress)>,
    undated: Option<usize>,
}

/// What one segment gives to a [`RelevancePage`]: its matches counted, its
/// undated matches, and its best `k` hits.
#[derive(Default)]
struct SegmentPage {
    total: usize,
    undated: usize,
    best: Vec<(f32, DocAddress)>,
}

/// The relevance page of an index-only query (no text check), per segment:
///
/// * a selective text query (a phrase, a rare word; its estimated matches at
///   most [`FEW_MATCHES`]) is run once, and each match is sorted into in range /
///   undated / out by the `date` fast column: total, undated count and top hits
///   from one pass;
/// * `*` (every article) only counts its filters and takes the first hits in
///   index order (all scores are equal);
/// * anything broader is counted with `Weight::count` and ranked with a top-k
///   search that skips postings that cannot make the page (block-max WAND).
///
/// Filters add nothing to scores (see [`compile_request`]), so the three ways
/// rank alike: by the text score, ties in index order.
fn relevance_page(
    idx: &CivIndex,
    searcher: &Searcher,
    compiled: &Compiled,
    req: &SearchRequest,
    few_matches: u32,
) -> Result<RelevancePage> {
    use tantivy::query::EnableScoring;
    let k = req.offset + req.limit;
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let want_undated = reports_undated(req);
    // The one-pass way needs filters the date column can answer alone.
    let text_weight = if req.outlets.is_empty() && !compiled.match_all {
        Some(compiled.text_query.weight(scoring)?)
    } else {
        None
    };
    // The whole query's weight only where some segment may need it: a phrase
    // always takes the one-pass way, and building a weight looks up every term's
    // statistics again.
    let weight = if text_weight.is_some() && compiled.has_phrase {
        None
    } else {
        Some(compiled.query.weight(scoring)?)
    };
    let lower = req.from.map(day_to_datetime);
    let upper = req.to.and_then(|d| d.succ_opt()).map(day_to_datetime);
    let ranged = req.from.is_some() || req.to.is_some();
    let mode = req.undated_mode();
    let undated_weight = std::sync::OnceLock::new();
    let make_undated_weight = || {
        let q = BooleanQuery::new(vec![
            (Occur::Must, compiled.text_query.box_clone()),
            (Occur::Must, undated_query(idx, true)),
        ]);
        q.weight(EnableScoring::disabled_from_searcher(searcher))
    };
    // Each segment on its own, on the index's search threads (one per core).
    let segment_page =
        |(ord, seg): (usize, &tantivy::SegmentReader)| -> tantivy::Result<SegmentPage> {
            let ord = ord as u32;
            let alive = seg.alive_bitset();
            let mut page = SegmentPage::default();
            if let Some(tw) = &text_weight {
                let mut scorer = tw.scorer(seg, 1.0)?;
                if compiled.has_phrase || scorer.size_hint() <= few_matches {
                    let dates = seg.fast_fields().date("date")?;
                    let mut doc = scorer.doc();
                    while doc != tantivy::TERMINATED {
                        if alive.is_none_or(|a| a.is_alive(doc)) {
                            let keep = match dates.first(doc) {
                                None => {
                                    page.undated += 1;
                                    mode != Undated::Exclude
                                }
                                Some(_) if mode == Undated::Only => false,
                                Some(d) => {
                                    !ranged
                                        || (lower.is_none_or(|l| d >= l)
                                            && upper.is_none_or(|u| d < u))
                                }
                            };
                            if keep {
                                page.total += 1;
                                page.best.push((scorer.score(), DocAddress::new(ord, doc)));
                            }
                        }
                        doc = scorer.advance();
                    }
                    keep_best(&mut page.best, k);
                    return Ok(page);
                }
            }
            let Some(weight) = weight.as_ref() else {
                // Unreachable: phrases always take the one-pass way above.
                return Err(tantivy::TantivyError::InternalError(
                    "no weight for a segment outside the one-pass way".into(),
                ));
            };
            page.total += weight.count(seg)? as usize;
            if compiled.match_all {
                // Every match scores the same: the first ones in index order.
                let mut scorer = weight.scorer(seg, 1.0)?;
                let mut doc = scorer.doc();
                while doc != tantivy::TERMINATED && page.best.len() < k {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        page.best.push((scorer.score(), DocAddress::new(ord, doc)));
                    }
                    doc = scorer.advance();
                }
            } else {
                let top = TopDocs::with_limit(k).order_by_score();
                let fruit = top.collect_segment(weight.as_ref(), ord, seg)?;
                page.best.extend(top.merge_fruits(vec![fruit])?);
            }
            if want_undated {
                let w = match undated_weight.get() {
                    Some(w) => w,
                    None => {
                        let w: Box<dyn tantivy::query::Weight> = make_undated_weight()?;
                        undated_weight.get_or_init(|| w)
                    }
                };
                page.undated += w.count(seg)? as usize;
            }
            Ok(page)
        };
    let pages = searcher
        .index()
        .search_executor()
        .map(segment_page, searcher.segment_readers().iter().enumerate())?;
    let (mut total, mut undated) = (0usize, 0usize);
    let mut best: Vec<(f32, DocAddress)> = Vec::new();
    for page in pages {
        total += page.total;
        undated += page.undated;
        best.extend(page.best);
    }
    keep_best(&mut best, k);
    let hits = best.into_iter().skip(req.offset).collect();
    Ok(RelevancePage {
        total,
        hits,
        undated: want_undated.then_some(undated),
    })
}

/// Keep the `k` best hits, best first (higher score, then index order).
fn keep_best(hits: &mut Vec<(f32, DocAddress)>, k: usize) {
    hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.truncate(k);
}

/// Exact total and one page of hits, by the index alone.
fn top_page(
    searcher: &Searcher,
    query: &dyn Query,
    req: &SearchRequest,
) -> Result<(usize, Vec<(f32, DocAddress)>)> {
    if req.limit == 0 {
        return Ok((searcher.search(query, &Count)?, Vec::new()));
    }
    let top = TopDocs::with_limit(req.limit).and_offset(req.offset);
    Ok(match req.sort {
        Sort::Relevance => searcher.search(query, &(Count, top.order_by_score()))?,
        Sort::Newest | Sort::Oldest => {
            let order = if req.sort == Sort::Newest {
                Order::Desc
            } else {
                Order::Asc
            };
            let (n, docs) = searcher.search(
                query,
                &(
                    Count,
                    top.order_by_fast_field::<tantivy::DateTime>("date", order),
                ),
            )?;
            (n, docs.into_iter().map(|(_, d)| (0.0, d)).collect())
        }
    })
}

/// Addresses of every document matching `query`, in index order.
pub fn matching_docs(searcher: &Searcher, query: &dyn Query) -> Result<Vec<DocAddress>> {
    let mut out = Vec::new();
    let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
        searcher,
    ))?;
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let alive = seg.alive_bitset();
        let mut scorer = weight.scorer(seg, 1.0)?;
        let mut doc = scorer.doc();
        while doc != tantivy::TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                out.push(DocAddress::new(ord as u32, doc));
            }
            doc = scorer.advance();
        }
    }
    Ok(out)
}

/// Candidates that pass the text check, with their scores, in index order.
fn checked_matches(
    idx: &CivIndex,
    searcher: &Searcher,
    compiled: &Compiled,
) -> Result<Vec<(DocAddress, f32)>> {
    let mut out = Vec::new();
    for_each_match(searcher, &*compiled.query, |addr, score| {
        if compiled.check(&idx.article_at(searcher, addr)?) {
            out.push((addr, score));
        }
        Ok(())
    })?;
    Ok(out)
}

/// Order matches by score or date (undated last either way).
pub fn sort_matches(searcher: &Searcher, all: &mut [(DocAddress, f32)], sort: Sort) -> Result<()> {
    match sort {
        Sort::Relevance => all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))),
        Sort::Newest | Sort::Oldest => {
            let readers: Vec<_> = searcher
                .segment_readers()
                .iter()
                .map(|s| s.fast_fields().date("date"))
                .collect::<Result<_, _>>()?;
            let key = |a: &DocAddress| {
                readers[a.segment_ord as usize]
                    .first(a.doc_id)
                    .map(|d| d.into_timestamp_secs())
            };
            all.sort_by(|a, b| {
                let (ka, kb) = (key(&a.0), key(&b.0));
                let ord = match (ka, kb) {
                    (Some(x), Some(y)) => {
                        if sort == Sort::Newest {
                            y.cmp(&x)
                        } else {
                            x.cmp(&y)
                        }
                    }
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                };
                ord.then(a.0.cmp(&b.0))
            });
        }
    }
    Ok(())
}

/// Facets of every document `query` matches, when `wanted`.
fn facets_of_matches(
    searcher: &Searcher,
    query: &dyn Query,
    wanted: bool,
) -> Result<Option<Facets>> {
    if !wanted {
        return Ok(None);
    }
    Ok(Some(facets_of(searcher, matching_docs(searcher, query)?)?))
}

/// Outlet and year counts of the given documents, from fast fields.
pub fn facets_of(
    searcher: &Searcher,
    docs: impl IntoIterator<Item = DocAddress>,
) -> Result<Facets> {
    use std::collections::HashMap;
    let segs = searcher.segment_readers();
    let mut dates = Vec::with_capacity(segs.len());
    let mut outlets = Vec::with_capacity(segs.len());
    for s in segs {
        let ff = s.fast_fields();
        dates.push(ff.date("date")?);
        outlets.push(ff.str("outlet_exact")?);
    }
    let mut by_ord: HashMap<(u32, u64), u64> = HashMap::new();
    let mut years: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    let mut undated = 0u64;
    for a in docs {
        let seg = a.segment_ord as usize;
        // Articles without an outlet have no value to narrow to, so no entry.
        if let Some(ord) = outlets[seg]
            .as_ref()
            .and_then(|c| c.term_ords(a.doc_id).next())
        {
            *by_ord.entry((a.segment_ord, ord)).or_default() += 1;
        }
        match dates[seg].first(a.doc_id) {
            Some(d) => {
                *years
                    .entry(datetime_to_day(d).format("%Y").to_string())
                    .or_default() += 1
            }
            None => undated += 1,
        }
    }
    let mut names: HashMap<String, u64> = HashMap::new();
    for ((seg, ord), n) in by_ord {
        let mut buf = String::new();
        if let Some(col) = &outlets[seg as usize] {
            col.ord_to_str(ord, &mut buf)?;
        }
        *names.entry(buf).or_default() += n;
    }
    let mut outlet: Vec<FacetCount> = names
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    outlet.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    let mut year: Vec<FacetCount> = years
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    if undated > 0 {
        year.push(FacetCount {
            value: "undated".into(),
            count: undated,
        });
    }
    Ok(Facets { outlet, year })
}

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

/// Stream every matching article, without a cap: in index order (constant memory)
/// when `sort` is `None`, else sorted (16 bytes a match held while sorting).
pub fn export(
    idx: &CivIndex,
    req: &SearchRequest,
    sort: Option<Sort>,
    mut emit: impl FnMut(Hit) -> Result<()>,
) -> Result<usize> {
    let searcher = idx.searcher()?;
    let compiled = compile_request(idx, &searcher, req)?;
    let mut n = 0;
    match sort {
        None => {
            for_each_match(&searcher, &*compiled.query, |addr, score| {
                let hit = make_hit(idx, &searcher, addr, score, &compiled.matcher, req)?;
                if compiled.needs_check && !compiled.check(&idx.article_at(&searcher, addr)?) {
                    return Ok(());
                }
                n += 1;
                emit(hit)
            })?;
        }
        Some(order) => {
            let mut all = Vec::new();
            for_each_match(&searcher, &*compiled.query, |addr, score| {
                all.push((addr, score));
                Ok(())
            })?;
            sort_matches(&searcher, &mut all, order)?;
            for (addr, score) in all {
                if compiled.needs_check && !compiled.check(&idx.article_at(&searcher, addr)?) {
                    continue;
                }
                n += 1;
                emit(make_hit(
                    idx,
                    &searcher,
                    addr,
                    score,
                    &compiled.matcher,
                    req,
                )?)?;
            }
        }
    }
    Ok(n)
}

/// Parse and compile a request into a tantivy query with all filters.
pub fn compile_request(
    idx: &CivIndex,
    searcher: &Searcher,
    req: &SearchRequest,
) -> Result<Compiled> {
    let node = parse_query(&req.query)?;
    let compiler = Compiler {
        idx,
        searcher,
        stem: req.stem,
    };
    let text_query = compiler
        .compile(&node)?
        .unwrap_or_else(|| Box::new(EmptyQuery));
    let mut matcher = Matcher::default();
    compiler.collect_matcher(&node, false, &mut matcher);

    // `*` alone matches everything: with filters, the filters alone say which
    // articles match (no clause that visits every document).
    let match_all = matches!(&node, QueryNode::Word { field: None, text } if text == "*");
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
    let ranged = req.from.is_some() || req.to.is_some();
    if ranged {
        let range = date_range_query(idx, req.from, req.to);
        // Included undated articles sit beside the range, not inside it.
        let clause: Box<dyn Query> = if req.undated_mode() == Undated::Include {
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, range),
                (Occur::Should, undated_query(idx, true)),
            ]))
        } else {
            range
        };
        clauses.push((Occur::Must, filter(clause)));
    }
    let mut unknown_outlets = Vec::new();
    if !req.outlets.is_empty() {
        let (q, unknown) = outlet_query(idx, searcher, &req.outlets)?;
        unknown_outlets = unknown;
        clauses.push((Occur::Must, filter(q)));
    }
    match req.undated_mode() {
        Undated::Include => {}
        // A date range matches dated articles only (an undated article has no
        // value in the date column), so the range alone excludes them.
        Undated::Exclude if ranged => {}
        Undated::Exclude => clauses.push((Occur::Must, filter(undated_query(idx, false)))),
        Undated::Only => {
            if ranged {
                bail!(
                    "--undated only cannot be combined with a date range: undated articles have no date to compare"
                );
            }
            clauses.push((Occur::Must, filter(undated_query(idx, true))));
        }
    }
    if match_all && clauses.len() > 1 {
        clauses.remove(0);
    }
    let query: Box<dyn Query> = if clauses.len() == 1 {
        clauses.pop().expect("one clause").1
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    let needs_check = near::needs_check(&node);
    let has_phrase = has_phrase(&node);
    let mut variants = std::collections::HashMap::new();
    if needs_check && req.stem {
        compiler.collect_variants(&node, &mut variants);
    }
    Ok(Compiled {
        query,
        text_query,
        matcher,
        unknown_outlets,
        node,
        needs_check,
        variants,
        match_all,
        has_phrase,
    })
}

/// Does the query hold a phrase (a quoted text or a word of several tokens)?
fn has_phrase(node: &QueryNode) -> bool {
    match node {
        QueryNode::Word { text, .. } | QueryNode::Phrase { text, .. } => tokens(text).len() > 1,
        QueryNode::And(items) | QueryNode::Or(items) => items.iter().any(has_phrase),
        QueryNode::Not(inner) => has_phrase(inner),
        QueryNode::Near { left, right, .. } => has_phrase(left) || has_phrase(right),
    }
}

/// A filter clause: it narrows the matches and adds nothing to their scores, so
/// a hit scores the same with or without filters (and however they are applied).
fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, 0.0))
}

/// Articles dated within `[from, to]` (inclusive days).
pub fn date_range_query(
    idx: &CivIndex,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Box<dyn Query> {
    let f = idx.fields.date;
    let lower = match from {
        Some(d) => Bound::Included(Term::from_field_date(f, day_to_datetime(d))),
        None => Bound::Unbounded,
    };
    let upper = match to.and_then(|d| d.succ_opt()) {
        Some(d) => Bound::Excluded(Term::from_field_date(f, day_to_datetime(d))),
        None => Bound::Unbounded,
    };
    if from.is_none() && to.is_none() {
        return Box::new(AllQuery);
    }
    Box::new(RangeQuery::new(lower, upper))
}

/// Articles with (`false`) or without (`true`) a publication date.
pub fn undated_query(idx: &CivIndex, undated: bool) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(idx.fields.undated, u64::from(undated)),
        IndexRecordOption::Basic,
    ))
}

/// Fold case and accents for comparing names.
fn fold(s: &str) -> String {
    let mut a = crate::index::schema::analyzer();
    let mut stream = a.token_stream(s);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out.join(" ")
}

/// All outlet names in the index.
pub fn outlet_names(idx: &CivIndex, searcher: &Searcher) -> Result<Vec<String>> {
    let mut names = std::collections::BTreeSet::new();
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(idx.fields.outlet_exact)?;
        let mut stream = inv.terms().stream()?;
        while stream.advance() {
            names.insert(String::from_utf8_lossy(stream.key()).into_owned());
        }
    }
    Ok(names.into_iter().collect())
}

/// Articles from any of `wanted` outlets, matched ignoring case and accents, and
/// with or without a leading "The".
fn outlet_query(
    idx: &CivIndex,
    searcher: &Searcher,
    wanted: &[String],
) -> Result<(Box<dyn Query>, Vec<String>)> {
    let names = outlet_names(idx, searcher)?;
    let strip_the = |s: String| s.strip_prefix("the ").map(str::to_string).unwrap_or(s);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut unknown = Vec::new();
    for w in wanted {
        let key = strip_the(fold(w));
        let matching: Vec<&String> = names.iter().filter(|n| strip_the(fold(n)) == key).collect();
        if matching.is_empty() {
            unknown.push(w.clone());
        }
        for n in matching {
            clauses.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(idx.fields.outlet_exact, n),
                    IndexRecordOption::Basic,
                )),
            ));
        }
    }
    let q: Box<dyn Query> = if clauses.is_empty() {
        Box::new(EmptyQuery)
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Ok((q, unknown))
}

struct Compiler<'a> {
    idx: &'a CivIndex,
    searcher: &'a Searcher,
    stem: bool,
}

/// Title matches count double in relevance.
const TITLE_BOOST: f32 = 2.0;

impl Compiler<'_> {
    fn fields_for(&self, field: Option<FieldName>) -> Vec<(Field, f32)> {
        let f = &self.idx.fields;
        match field {
            None => vec![(f.title, TITLE_BOOST), (f.body, 1.0)],
            Some(FieldName::Title) => vec![(f.title, 1.0)],
            Some(FieldName::Body) => vec![(f.body, 1.0)],
            Some(FieldName::Outlet) => vec![(f.outlet, 1.0)],
            Some(FieldName::Author) => vec![(f.author, 1.0)],
            Some(FieldName::Url) => vec![(f.url, 1.0)],
            Some(FieldName::Link) => vec![(f.link, 1.0)],
        }
    }

    fn compile(&self, node: &QueryNode) -> Result<Option<Box<dyn Query>>> {
        Ok(match node {
            // `*` alone matches every article (for filters-only searches and totals).
            QueryNode::Word { field: None, text } if text == "*" => Some(Box::new(AllQuery)),
            QueryNode::Word {
                field: Some(FieldName::Link),
                text,
            }
            | QueryNode::Phrase {
                field: Some(FieldName::Link),
                text,
                ..
            } => Some(self.link_query(text)?),
            QueryNode::Word { field, text } => self.text_query(*field, text, 0)?,
            QueryNode::Phrase { field, text, slop } => self.text_query(*field, text, *slop)?,
            QueryNode::And(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for item in items {
                    match item {
                        QueryNode::Not(inner) => {
                            if let Some(q) = self.compile(inner)? {
                                clauses.push((Occur::MustNot, q));
                            }
                        }
                        other => {
                            if let Some(q) = self.compile(other)? {
                                clauses.push((Occur::Must, q));
                            }
                        }
                    }
                }
                if clauses.is_empty() {
                    return Ok(None);
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            QueryNode::Or(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for item in items {
                    if let Some(q) = self.compile(item)? {
                        // An OR of ORs is one flat OR (the same matches and, as
                        // scores add up, the same scores): a union of term
                        // postings, which the top-k search can skip through
                        // (block-max WAND) and counting walks once.
                        match q.downcast_ref::<BooleanQuery>() {
                            Some(b) if b.clauses().iter().all(|(o, _)| *o == Occur::Should) => {
                                clauses
                                    .extend(b.clauses().iter().map(|(o, q)| (*o, q.box_clone())));
                            }
                            _ => clauses.push((Occur::Should, q)),
                        }
                    }
                }
                if clauses.is_empty() {
                    return Ok(None);
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            QueryNode::Not(inner) => match self.compile(inner)? {
                Some(q) => Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery)),
                    (Occur::MustNot, q),
                ]))),
                None => None,
            },
            // Candidates have both sides; the text check keeps those that are near.
            QueryNode::Near { left, right, .. } => {
                match (self.compile(left)?, self.compile(right)?) {
                    (Some(l), Some(r)) => Some(Box::new(BooleanQuery::new(vec![
                        (Occur::Must, l),
                        (Occur::Must, r),
                    ]))),
                    (Some(q), None) | (None, Some(q)) => Some(q),
                    (None, None) => None,
                }
            }
        })
    }

    /// `link:DOMAIN`: one lookup of the domain's term, which every link to the
    /// domain or one of its subdomains put in the document (see
    /// [`crate::index::schema::link_domains`]).
    fn link_query(&self, text: &str) -> Result<Box<dyn Query>> {
        let host = crate::index::schema::link_query_host(text).ok_or_else(|| {
            anyhow::anyhow!(
                "link: needs a domain or a URL, as in link:oaklandca.gov (got {text:?})"
            )
        })?;
        Ok(Box::new(TermQuery::new(
            Term::from_field_text(self.idx.fields.link, &host),
            IndexRecordOption::Basic,
        )))
    }

    /// A word or phrase over its fields: a term, or a phrase when it analyzes to
    /// several tokens.
    fn text_query(
        &self,
        field: Option<FieldName>,
        text: &str,
        slop: u32,
    ) -> Result<Option<Box<dyn Query>>> {
        let tokens = tokens(text);
        if tokens.is_empty() {
            return Ok(None);
        }
        let mut per_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (f, boost) in self.fields_for(field) {
            let variants: Vec<Vec<String>> = tokens
                .iter()
                .map(|t| self.variants(f, t))
                .collect::<Result<_>>()?;
            let q: Box<dyn Query> = if tokens.len() == 1 {
                let terms: Vec<(Occur, Box<dyn Query>)> = variants[0]
                    .iter()
                    .map(|v| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(f, v),
                            IndexRecordOption::WithFreqs,
                        ));
                        (Occur::Should, q)
                    })
                    .collect();
                if terms.len() == 1 {
                    terms.into_iter().next().expect("one").1
                } else {
                    Box::new(BooleanQuery::new(terms))
                }
            } else {
                let combos = cross_product(&variants, 32);
                let phrases: Vec<(Occur, Box<dyn Query>)> = combos
                    .into_iter()
                    .map(|combo| {
                        let terms: Vec<Term> =
                            combo.iter().map(|t| Term::from_field_text(f, t)).collect();
                        let mut pq = PhraseQuery::new(terms);
                        pq.set_slop(slop);
                        let q: Box<dyn Query> = Box::new(pq);
                        (Occur::Should, q)
                    })
                    .collect();
                if phrases.len() == 1 {
                    phrases.into_iter().next().expect("one").1
                } else {
                    Box::new(BooleanQuery::new(phrases))
                }
            };
            let q: Box<dyn Query> = if (boost - 1.0).abs() > f32::EPSILON {
                Box::new(BoostQuery::new(q, boost))
            } else {
                q
            };
            per_field.push((Occur::Should, q));
        }
        Ok(Some(if per_field.len() == 1 {
            per_field.pop().expect("one").1
        } else {
            Box::new(BooleanQuery::new(per_field))
        }))
    }

    /// The token itself, plus with `--stem` every indexed word of the same stem.
    fn variants(&self, field: Field, token: &str) -> Result<Vec<String>> {
        if !self.stem {
            return Ok(vec![token.to_string()]);
        }
        stem_variants(self.searcher, field, token)
    }

    /// Stem variants of every token in the query (for the text check).
    fn collect_variants(
        &self,
        node: &QueryNode,
        out: &mut std::collections::HashMap<String, Vec<String>>,
    ) {
        match node {
            QueryNode::Word { text, .. } | QueryNode::Phrase { text, .. } => {
                for t in tokens(text) {
                    if let std::collections::hash_map::Entry::Vacant(e) = out.entry(t.clone()) {
                        e.insert(
                            self.variants(self.idx.fields.body, &t)
                                .unwrap_or_else(|_| vec![t.clone()]),
                        );
                    }
                }
            }
            QueryNode::And(items) | QueryNode::Or(items) => {
                items.iter().for_each(|i| self.collect_variants(i, out))
            }
            QueryNode::Not(inner) => self.collect_variants(inner, out),
            QueryNode::Near { left, right, .. } => {
                self.collect_variants(left, out);
                self.collect_variants(right, out);
            }
        }
    }

    /// Body-field tokens and phrases that should be highlighted.
    fn collect_matcher(&self, node: &QueryNode, negated: bool, m: &mut Matcher) {
        match node {
            QueryNode::Word { field, text } | QueryNode::Phrase { field, text, .. } => {
                if negated || !matches!(field, None | Some(FieldName::Body)) {
                    return;
                }
                let toks = tokens(text);
                let slop = matches!(node, QueryNode::Phrase { slop, .. } if *slop > 0);
                let expand = |t: &String| -> Vec<String> {
                    self.variants(self.idx.fields.body, t)
                        .unwrap_or_else(|_| vec![t.clone()])
                };
                if toks.len() == 1 || slop {
                    for t in &toks {
                        m.terms.extend(expand(t));
                    }
                } else if !toks.is_empty() {
                    let variants: Vec<Vec<String>> = toks.iter().map(expand).collect();
                    m.phrases.extend(cross_product(&variants, 32));
                }
            }
            QueryNode::And(items) | QueryNode::Or(items) => {
                for i in items {
                    self.collect_matcher(i, negated, m);
                }
            }
            QueryNode::Not(inner) => self.collect_matcher(inner, !negated, m),
            QueryNode::Near { left, right, .. } => {
                self.collect_matcher(left, negated, m);
                self.collect_matcher(right, negated, m);
            }
        }
    }
}

/// Tokens of a query word or phrase, by the index's analyzer.
pub fn tokens(text: &str) -> Vec<String> {
    let mut a = crate::index::schema::analyzer();
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

fn cross_product(lists: &[Vec<String>], cap: usize) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for list in lists {
        let mut next = Vec::new();
        for prefix in &out {
            for item in list {
                if next.len() >= cap {
                    break;
                }
                let mut p = prefix.clone();
                p.push(item.clone());
                next.push(p);
            }
        }
        out = next;
    }
    out
}

/// English stem of a token.
fn stem(token: &str) -> String {
    let mut a =
        tantivy::tokenizer::TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
            .filter(tantivy::tokenizer::Stemmer::new(
                tantivy::tokenizer::Language::English,
            ))
            .build();
    let mut s = a.token_stream(token);
    let mut out = token.to_string();
    if s.advance() {
        out = s.token().text.clone();
    }
    out
}

/// Indexed words that share `token`'s English stem, found by scanning the term
/// dictionary under their common prefix. No second index is needed, so `--stem`
/// costs nothing at indexing time.
pub fn stem_variants(searcher: &Searcher, field: Field, token: &str) -> Result<Vec<String>> {
    let target = stem(token);
    let common: usize = token
        .chars()
        .zip(target.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let prefix: String = token
        .chars()
        .take(common.max(3).min(token.chars().count()))
        .collect();
    let mut found: HashSet<String> = HashSet::new();
    found.insert(token.to_string());
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field)?;
        let mut upper = prefix.clone().into_bytes();
        upper.push(0xFF);
        let mut stream = inv
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .lt(&upper)
            .into_stream()?;
        let mut scanned = 0;
        while stream.advance() && scanned < 5000 {
            scanned += 1;
            if let Ok(word) = std::str::from_utf8(stream.key())
                && !found.contains(word)
                && stem(word) == target
            {
                found.insert(word.to_string());
            }
        }
    }
    let mut v: Vec<String> = found.into_iter().collect();
    v.sort();
    Ok(v)
}

/// Iterate over every document matching a compiled query, in index order, calling
/// `f` for each; for exports that must not hold all hits in memory.
pub fn for_each_match(
    searcher: &Searcher,
    query: &dyn Query,
    mut f: impl FnMut(DocAddress, f32) -> Result<()>,
) -> Result<()> {
    let weight = query.weight(tantivy::query::EnableScoring::enabled_from_searcher(
        searcher,
    ))?;
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let mut scorer = weight.scorer(seg, 1.0)?;
        let alive = seg.alive_bitset();
        let mut doc = scorer.doc();
        while doc != tantivy::TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                f(DocAddress::new(ord as u32, doc), scorer.score())?;
            }
            doc = scorer.advance();
        }
    }
    Ok(())
}

/// The stored day of a document.
pub fn doc_day(idx: &CivIndex, doc: &TantivyDocument) -> Option<NaiveDate> {
    use tantivy::schema::Value;
    doc.get_first(idx.fields.date)
        .and_then(|v| v.as_datetime())
        .map(datetime_to_day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Article;

    /// Two segments of generated articles (some replaced, so some documents are
    /// deleted), every seventh one undated.
    fn generated() -> (tempfile::TempDir, CivIndex) {
        let dir = tempfile::tempdir().expect("tempdir");
        let idx = CivIndex::open_or_create(dir.path()).expect("create");
        let words = [
            "alpha", "beta", "gamma", "delta", "city", "council", "Café", "vote", "the",
        ];
        let make = |i: usize, salt: usize| {
            let body: Vec<&str> = (0..40)
                .map(|j| words[(i * 7 + j * (j + salt) + i / 3) % words.len()])
                .collect();
            let mut a = Article::new(
                format!("id{i}"),
                format!("T {}", words[i % 9]),
                body.join(" "),
            );
            a.date = (!i.is_multiple_of(7)).then(|| {
                NaiveDate::from_ymd_opt(
                    2015 + (i % 6) as i32,
                    1 + (i % 12) as u32,
                    1 + (i % 28) as u32,
                )
                .expect("day")
            });
            a
        };
        let first: Vec<Article> = (0..400).map(|i| make(i, 1)).collect();
        idx.add_articles(&first).expect("add");
        let second: Vec<Article> = (300..700).map(|i| make(i, 2)).collect();
        idx.add_articles(&second).expect("add");
        (dir, idx)
    }

    #[test]
    fn every_way_of_paging_gives_the_collectors_answer() {
        let (_dir, idx) = generated();
        let searcher = idx.searcher().expect("searcher");
        assert!(searcher.segment_readers().len() >= 2);
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let mut checked = 0;
        for query in [
            "alpha",
            "alpha OR council",
            "cafe -beta",
            "\"city council\"",
            "*",
        ] {
            for (from, to) in [
                (None, None),
                (day(2016, 3, 1), day(2018, 6, 30)),
                (day(2019, 1, 1), None),
            ] {
                for undated in [
                    None,
                    Some(Undated::Include),
                    Some(Undated::Exclude),
                    Some(Undated::Only),
                ] {
                    if undated == Some(Undated::Only) && from.is_some() {
                        continue;
                    }
                    for (offset, limit) in [(0, 10), (5, 7), (0, 1000)] {
                        let req = SearchRequest {
                            undated,
                            offset,
                            limit,
                            ..SearchRequest::new(query).between(from, to)
                        };
                        let compiled = compile_request(&idx, &searcher, &req).expect("compile");
                        // The reference: tantivy's own (Count, TopDocs) collector.
                        let (total, hits) =
                            top_page(&searcher, &*compiled.query, &req).expect("top");
                        let undated_ref = reports_undated(&req).then(|| {
                            let q = BooleanQuery::new(vec![
                                (Occur::Must, compiled.text_query.box_clone()),
                                (Occur::Must, undated_query(&idx, true)),
                            ]);
                            searcher.search(&q, &Count).expect("count")
                        });
                        for few in [0, u32::MAX] {
                            let page = relevance_page(&idx, &searcher, &compiled, &req, few)
                                .expect("page");
                            let what = format!(
                                "{query} {from:?}..{to:?} {undated:?} {offset}+{limit} few={few}"
                            );
                            assert_eq!(page.total, total, "{what}");
                            assert_eq!(page.hits, hits, "{what}");
                            assert_eq!(page.undated, undated_ref, "{what}");
                            checked += usize::from(total > 0);
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn an_or_of_ors_matches_what_its_parts_match() {
        let (_dir, idx) = generated();
        let ids = |query: &str| -> std::collections::BTreeSet<String> {
            let r = search(
                &idx,
                &SearchRequest {
                    limit: 1000,
                    ..SearchRequest::new(query)
                },
            )
            .expect("search");
            assert_eq!(r.total, r.hits.len(), "{query}");
            r.hits.into_iter().map(|h| h.id).collect()
        };
        let mut parts = ids("alpha");
        parts.extend(ids("council"));
        parts.extend(ids("\"city vote\""));
        parts.extend(ids("gamma -beta"));
        let all = ids("alpha OR (council OR \"city vote\") OR (gamma -beta)");
        assert!(all.len() > 50);
        assert_eq!(all, parts);
    }

    #[test]
    fn filters_do_not_change_scores() {
        let (_dir, idx) = generated();
        let score_of = |req: SearchRequest| -> std::collections::HashMap<String, f32> {
            search(&idx, &SearchRequest { limit: 1000, ..req })
                .expect("search")
                .hits
                .into_iter()
                .map(|h| (h.id, h.score))
                .collect()
        };
        let plain = score_of(SearchRequest::new("alpha OR council"));
        let ranged = score_of(SearchRequest {
            undated: Some(Undated::Include),
            ..SearchRequest::new("alpha OR council").between(
                NaiveDate::from_ymd_opt(2016, 1, 1),
                NaiveDate::from_ymd_opt(2017, 12, 31),
            )
        });
        assert!(ranged.len() > 10 && ranged.len() < plain.len());
        for (id, score) in ranged {
            assert_eq!(plain[&id], score, "{id}");
        }
    }
}
