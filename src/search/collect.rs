//! Running a compiled search: the exact total and one page of hits, by the
//! fastest way the query allows, and the walks over every match.

use super::compile::{Compiled, compile_request, undated_query};
use super::facets::{facets_of, facets_of_matches};
use super::hits::make_hit;
use super::request::{MAX_LIMIT, SearchRequest, SearchResults, Sort, Undated, reports_undated};
use crate::index::{CivIndex, day_to_datetime};
use anyhow::{Result, bail};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocAddress, Order, Searcher};

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
