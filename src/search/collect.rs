//! Running a compiled search: the exact total and one page of hits, by the
//! fastest way the query allows, and the walks over every match.

use super::compile::{Compiled, compile_request, undated_query};
use super::facets::{facets_of, facets_of_matches};
use super::hits::make_hit;
use super::request::{MAX_LIMIT, SearchRequest, SearchResults, Sort, Undated, reports_undated};
use crate::index::schema::DATE_COLUMN;
use crate::index::{CivIndex, day_to_datetime};
use anyhow::{Result, bail};
use std::ops::ControlFlow;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, Scorer, Weight};
use tantivy::{DocAddress, DocId, Order, Searcher, SegmentReader, TERMINATED};

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

/// A text query matching at most about this many articles in a segment, or one
/// with a phrase (checked against positions, which no skipping avoids), is
/// evaluated once, its matches filtered by the date column as they come;
/// broader word queries are counted and ranked by the index's own skipping
/// machinery.
pub(super) const FEW_MATCHES: u32 = 1024;

/// Total, one page of hits by relevance, and (with a date range and no explicit
/// `undated` choice) the number of undated matches left out.
pub(super) struct RelevancePage {
    pub(super) total: usize,
    pub(super) hits: Vec<(f32, DocAddress)>,
    pub(super) undated: Option<usize>,
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
pub(super) fn relevance_page(
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
    let dates = DateFilter::of(req);
    let undated_weight = std::sync::OnceLock::new();
    let make_undated_weight = || {
        let q = BooleanQuery::new(vec![
            (Occur::Must, compiled.text_query.box_clone()),
            (Occur::Must, undated_query(idx, true)),
        ]);
        q.weight(EnableScoring::disabled_from_searcher(searcher))
    };
    // Each segment on its own, on the index's search threads (one per core).
    let segment_page = |(ord, seg): (usize, &SegmentReader)| -> tantivy::Result<SegmentPage> {
        let ord = ord as u32;
        if let Some(tw) = &text_weight {
            let mut scorer = tw.scorer(seg, 1.0)?;
            if compiled.has_phrase || scorer.size_hint() <= few_matches {
                return one_pass_segment(seg, ord, scorer.as_mut(), &dates, k);
            }
        }
        let Some(weight) = weight.as_ref() else {
            // Unreachable: phrases always take the one-pass way above.
            return Err(tantivy::TantivyError::InternalError(
                "no weight for a segment outside the one-pass way".into(),
            ));
        };
        let mut page = ranked_segment(seg, ord, weight.as_ref(), compiled.match_all, k)?;
        if want_undated {
            let w = match undated_weight.get() {
                Some(w) => w,
                None => {
                    let w: Box<dyn Weight> = make_undated_weight()?;
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

/// The date filters of a request as the `date` fast column answers them: the
/// one-pass way sorts each match by its date alone.
struct DateFilter {
    /// First instant included.
    lower: Option<tantivy::DateTime>,
    /// First instant excluded (the day after the last day).
    upper: Option<tantivy::DateTime>,
    ranged: bool,
    mode: Undated,
}

impl DateFilter {
    fn of(req: &SearchRequest) -> Self {
        DateFilter {
            lower: req.from.map(day_to_datetime),
            upper: req.to.and_then(|d| d.succ_opt()).map(day_to_datetime),
            ranged: req.from.is_some() || req.to.is_some(),
            mode: req.undated_mode(),
        }
    }

    /// Is a match with this date (`None`: undated) in the answer?
    #[inline]
    fn keeps(&self, date: Option<tantivy::DateTime>) -> bool {
        match date {
            None => self.mode != Undated::Exclude,
            Some(_) if self.mode == Undated::Only => false,
            Some(d) => {
                !self.ranged
                    || (self.lower.is_none_or(|l| d >= l) && self.upper.is_none_or(|u| d < u))
            }
        }
    }
}

/// One segment by the one-pass way: each match of the text query is counted,
/// counted as undated, or dropped by its date, and the kept ones ranked.
fn one_pass_segment(
    seg: &SegmentReader,
    ord: u32,
    scorer: &mut dyn Scorer,
    filter: &DateFilter,
    k: usize,
) -> tantivy::Result<SegmentPage> {
    let dates = seg.fast_fields().date(DATE_COLUMN)?;
    let mut page = SegmentPage::default();
    for_each_live_doc::<tantivy::TantivyError>(seg, scorer, |doc, scorer| {
        let date = dates.first(doc);
        page.undated += usize::from(date.is_none());
        if filter.keeps(date) {
            page.total += 1;
            page.best.push((scorer.score(), DocAddress::new(ord, doc)));
        }
        Ok(())
    })?;
    keep_best(&mut page.best, k);
    Ok(page)
}

/// One segment by the index's own machinery: the whole query (filters
/// included) counted, and its best `k` hits (the first `k` for `*`, where every
/// match scores the same).
fn ranked_segment(
    seg: &SegmentReader,
    ord: u32,
    weight: &dyn Weight,
    match_all: bool,
    k: usize,
) -> tantivy::Result<SegmentPage> {
    let mut page = SegmentPage {
        total: weight.count(seg)? as usize,
        ..SegmentPage::default()
    };
    if match_all {
        let mut scorer = weight.scorer(seg, 1.0)?;
        walk_live_docs::<tantivy::TantivyError>(seg, scorer.as_mut(), |doc, scorer| {
            if page.best.len() >= k {
                return Ok(ControlFlow::Break(()));
            }
            page.best.push((scorer.score(), DocAddress::new(ord, doc)));
            Ok(ControlFlow::Continue(()))
        })?;
    } else {
        let top = TopDocs::with_limit(k).order_by_score();
        let fruit = top.collect_segment(weight, ord, seg)?;
        page.best.extend(top.merge_fruits(vec![fruit])?);
    }
    Ok(page)
}

/// Keep the `k` best hits, best first (higher score, then index order).
fn keep_best(hits: &mut Vec<(f32, DocAddress)>, k: usize) {
    hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.truncate(k);
}

/// Exact total and one page of hits, by the index alone.
pub(super) fn top_page(
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
                    top.order_by_fast_field::<tantivy::DateTime>(DATE_COLUMN, order),
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
    for_each_segment_match(searcher, weight.as_ref(), |addr, _| {
        out.push(addr);
        Ok(())
    })?;
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
                .map(|s| s.fast_fields().date(DATE_COLUMN))
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
    for_each_segment_match(searcher, weight.as_ref(), |addr, scorer| {
        f(addr, scorer.score())
    })
}

/// Call `f` with every live document `weight` matches, segment by segment in
/// index order, and the scorer positioned on it (for its score).
pub(crate) fn for_each_segment_match(
    searcher: &Searcher,
    weight: &dyn Weight,
    mut f: impl FnMut(DocAddress, &mut dyn Scorer) -> Result<()>,
) -> Result<()> {
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as u32;
        let mut scorer = weight.scorer(segment, 1.0)?;
        for_each_live_doc(segment, scorer.as_mut(), |doc, scorer| {
            f(DocAddress::new(ord, doc), scorer)
        })?;
    }
    Ok(())
}

/// Call `f` with every document `scorer` yields in `segment` that is not
/// deleted, in doc-id order. `f` is generic, not boxed, so it inlines into the
/// loop: the phrase + date-range path walks its matches through here.
#[inline]
pub(crate) fn for_each_live_doc<E>(
    segment: &SegmentReader,
    scorer: &mut dyn Scorer,
    mut f: impl FnMut(DocId, &mut dyn Scorer) -> Result<(), E>,
) -> Result<(), E> {
    walk_live_docs(segment, scorer, |doc, scorer| {
        f(doc, scorer).map(|()| ControlFlow::Continue(()))
    })
}

/// [`for_each_live_doc`] that `f` can stop early (with `ControlFlow::Break`).
#[inline]
pub(crate) fn walk_live_docs<E>(
    segment: &SegmentReader,
    scorer: &mut dyn Scorer,
    mut f: impl FnMut(DocId, &mut dyn Scorer) -> Result<ControlFlow<()>, E>,
) -> Result<(), E> {
    let alive = segment.alive_bitset();
    let mut doc = scorer.doc();
    while doc != TERMINATED {
        if alive.is_none_or(|a| a.is_alive(doc)) && f(doc, scorer)?.is_break() {
            break;
        }
        doc = scorer.advance();
    }
    Ok(())
}
