//! What a search asks for ([`SearchRequest`], [`Sort`], [`Undated`], limits) and
//! what it answers ([`SearchResults`], [`Hit`], [`Facets`]).

use super::highlight;
use super::named;
use chrono::NaiveDate;
use serde::Serialize;

/// Largest page of hits one request may ask for (`--all` streams instead).
pub const MAX_LIMIT: usize = 10_000;

/// Order of hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Highest BM25 score first.
    #[default]
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

    pub(crate) fn undated_mode(&self) -> Undated {
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
    /// Outlet and year counts (with `facets` requested).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

/// Does the answer say how many undated matches a date range left out?
pub(crate) fn reports_undated(req: &SearchRequest) -> bool {
    req.undated.is_none() && req.undated_mode() == Undated::Exclude
}
