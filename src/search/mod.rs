//! Searching: a [`SearchRequest`] (query text and filters) becomes a tantivy query;
//! results carry the exact total, the requested page of hits, and snippets.

pub mod highlight;
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
use tantivy::collector::{Count, TopDocs};
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// What to do with articles that have no publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Undated {
    Include,
    Exclude,
    Only,
}

/// A search: query text, filters, order and page.
#[derive(Debug, Clone)]
pub struct SearchRequest {
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
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// Also match word variants (raids ~ raid) of each query word.
    pub stem: bool,
    /// Length of snippets in characters.
    pub snippet_chars: usize,
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
    pub id: String,
    pub url: Option<String>,
    pub path: Option<String>,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub score: f32,
    /// A passage of the body around the best matches.
    pub snippet: String,
    /// Matched ranges in `snippet`, as `[start, end)` character offsets.
    pub highlights: Vec<(usize, usize)>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Exact number of matching articles (all of them, not just this page).
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Matching undated articles left out because a date range was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undated_excluded: Option<usize>,
    /// Outlet names asked for that no article has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_outlets: Vec<String>,
}

/// A compiled search: the tantivy query, the highlighter, and filter notes.
pub struct Compiled {
    pub query: Box<dyn Query>,
    /// The text query without filters (for counting undated matches).
    pub text_query: Box<dyn Query>,
    pub matcher: Matcher,
    pub unknown_outlets: Vec<String>,
}

/// Run a search.
pub fn search(idx: &CivIndex, req: &SearchRequest) -> Result<SearchResults> {
    if req.limit > MAX_LIMIT {
        bail!("limit {} is over the maximum of {MAX_LIMIT}", req.limit);
    }
    let searcher = idx.searcher()?;
    let compiled = compile_request(idx, &searcher, req)?;
    let total_and_page = |limit: usize| -> Result<(usize, Vec<(f32, DocAddress)>)> {
        let top = TopDocs::with_limit(limit.max(1)).and_offset(req.offset);
        Ok(match req.sort {
            Sort::Relevance => searcher.search(&*compiled.query, &(Count, top.order_by_score()))?,
            Sort::Newest | Sort::Oldest => {
                let order = if req.sort == Sort::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let (n, docs) = searcher.search(
                    &*compiled.query,
                    &(
                        Count,
                        top.order_by_fast_field::<tantivy::DateTime>("date", order),
                    ),
                )?;
                (n, docs.into_iter().map(|(_, d)| (0.0, d)).collect())
            }
        })
    };
    let (total, page) = if req.limit == 0 {
        (searcher.search(&*compiled.query, &Count)?, Vec::new())
    } else {
        total_and_page(req.limit)?
    };
    let mut hits = Vec::with_capacity(page.len());
    for (score, addr) in page {
        hits.push(make_hit(
            idx,
            &searcher,
            addr,
            score,
            &compiled.matcher,
            req.snippet_chars,
        )?);
    }
    let undated_excluded = if req.undated.is_none() && req.undated_mode() == Undated::Exclude {
        let undated = BooleanQuery::new(vec![
            (Occur::Must, compiled.text_query.box_clone()),
            (Occur::Must, undated_query(idx, true)),
        ]);
        Some(searcher.search(&undated, &Count)?)
    } else {
        None
    };
    Ok(SearchResults {
        total,
        hits,
        undated_excluded,
        unknown_outlets: compiled.unknown_outlets,
    })
}

/// Build the hit for one document.
pub fn make_hit(
    idx: &CivIndex,
    searcher: &Searcher,
    addr: DocAddress,
    score: f32,
    matcher: &Matcher,
    snippet_chars: usize,
) -> Result<Hit> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    let a = idx.to_article(&doc);
    let spans = highlight::find_spans(&a.body, matcher);
    let snip = highlight::snippet(&a.body, &spans, snippet_chars);
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
    })
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
        clauses.push((Occur::Must, clause));
    }
    let mut unknown_outlets = Vec::new();
    if !req.outlets.is_empty() {
        let (q, unknown) = outlet_query(idx, searcher, &req.outlets)?;
        unknown_outlets = unknown;
        clauses.push((Occur::Must, q));
    }
    match req.undated_mode() {
        Undated::Include => {}
        Undated::Exclude => clauses.push((Occur::Must, undated_query(idx, false))),
        Undated::Only => {
            if ranged {
                bail!(
                    "--undated only cannot be combined with a date range: undated articles have no date to compare"
                );
            }
            clauses.push((Occur::Must, undated_query(idx, true)));
        }
    }
    let query: Box<dyn Query> = if clauses.len() == 1 {
        text_query.box_clone()
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Ok(Compiled {
        query,
        text_query,
        matcher,
        unknown_outlets,
    })
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
        }
    }

    fn compile(&self, node: &QueryNode) -> Result<Option<Box<dyn Query>>> {
        Ok(match node {
            // `*` alone matches every article (for filters-only searches and totals).
            QueryNode::Word { field: None, text } if text == "*" => Some(Box::new(AllQuery)),
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
                        clauses.push((Occur::Should, q));
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
            QueryNode::Near { .. } => bail!(
                "NEAR/N is not supported yet; use a phrase with slop, as in \"city council\"~10"
            ),
        })
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
