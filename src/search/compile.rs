//! The query compiler: a [`SearchRequest`] becomes a tantivy query with its
//! filters (dates, undated, outlets), the highlighter's terms and, with `--stem`,
//! the word variants.

use super::highlight::Matcher;
use super::near;
use super::query::{FieldName, QueryNode, parse_query};
use super::request::{SearchRequest, Undated};
use crate::index::{CivIndex, day_to_datetime};
use anyhow::{Result, bail};
use chrono::NaiveDate;
use std::collections::HashSet;
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

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
