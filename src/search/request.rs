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
    #[default]
    Relevance,
    Newest,
    Oldest,
}
named::named_enum!(Sort, "sort", Relevance => "relevance", Newest => "newest", Oldest => "oldest");

/// What to do with articles that have no publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Undated {
    Include,
    Exclude,
    Only,
}
named::named_enum!(Undated, "undated", Include => "include", Exclude => "exclude", Only => "only");

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
    pub value: String,
    pub count: u64,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

/// Does the answer say how many undated matches a date range left out?
pub(crate) fn reports_undated(req: &SearchRequest) -> bool {
    req.undated.is_none() && req.undated_mode() == Undated::Exclude
}
