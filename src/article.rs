//! The unit of the whole pipeline: one news article, as extracted and as indexed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One article: what extraction produces, what the index stores, what a hit shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Document identity: the canonical URL when the page gives one, else the path
    /// relative to the folder that was indexed. Set by ingestion.
    pub id: String,
    /// Canonical (or given) URL of the article.
    pub url: Option<String>,
    /// Where the article came from, relative to the indexed root.
    pub path: Option<String>,
    /// Headline.
    pub title: String,
    /// Article text without boilerplate; paragraphs separated by a blank line.
    pub body: String,
    /// Publication day (the publisher's local day), when the page states one.
    pub date: Option<NaiveDate>,
    /// Which evidence gave the date (`json-ld`, `meta`, `time`, `url`, `byline`,
    /// `text`, `sidecar`, ...).
    pub date_source: Option<String>,
    /// How sure the date is, 0 to 1.
    pub date_confidence: Option<f32>,
    /// Publication or site name.
    pub outlet: Option<String>,
    /// Author name(s), comma separated.
    pub author: Option<String>,
    /// Language code (`en`, `de`, ...), when declared.
    pub language: Option<String>,
    /// Which path of extraction chose the body (`main`, `fallback-...`,
    /// `json-ld`, `none`); `None` when the body was not extracted from a page.
    /// Shown by `extract --format json`, not stored in the index.
    #[serde(skip)]
    pub body_source: Option<crate::extract::content::BodySource>,
}

impl Article {
    /// A new article with a title, body and optional date; other fields empty.
    pub fn new(id: impl Into<String>, title: impl Into<String>, body: impl Into<String>) -> Self {
        Article {
            id: id.into(),
            title: title.into(),
            body: body.into(),
            ..Default::default()
        }
    }

    /// Builder-style setter for the publication date.
    pub fn with_date(mut self, date: NaiveDate) -> Self {
        self.date = Some(date);
        self
    }

    /// Builder-style setter for the outlet.
    pub fn with_outlet(mut self, outlet: impl Into<String>) -> Self {
        self.outlet = Some(outlet.into());
        self
    }

    /// Builder-style setter for the URL.
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Builder-style setter for the author.
    pub fn with_author(mut self, author: impl Into<String>) -> Self {
        self.author = Some(author.into());
        self
    }
}
