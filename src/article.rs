//! The unit of the whole pipeline: one news article, as extracted and as indexed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One article: what extraction produces, what the index stores, what a hit shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Document identity: the canonical http(s) URL when the page gives one on
    /// its own site, else the path under the indexed folder, prefixed with
    /// that folder's name (docs/identity.md). Set by ingestion.
    pub id: String,
    /// Canonical (or given) URL of the article.
    pub url: Option<String>,
    /// Where the article came from: the indexed folder's name and the path under it.
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
    /// The date found but left out for being less sure than the caller asked
    /// (`--min-date-confidence`): shown by `extract --format json`, not indexed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_rejected: Option<RejectedDate>,
    /// Publication or site name.
    pub outlet: Option<String>,
    /// Author name(s), comma separated.
    pub author: Option<String>,
    /// Language code (`en`, `de`, ...), when declared.
    pub language: Option<String>,
    /// Links out of the article's body (absolute http(s), first anchor text of
    /// each URL), in document order; searchable by host as `link:DOMAIN`.
    #[serde(default)]
    pub links: Vec<Link>,
    /// The article body as Markdown, only when extraction was asked for it
    /// ([`crate::extract::ExtractOptions::markdown`]); never stored in the index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// Which path of extraction chose the body (`main`, `fallback-...`,
    /// `json-ld`, `none`); `None` when the body was not extracted from a page.
    /// Shown by `extract --format json`, not stored in the index.
    #[serde(skip)]
    pub body_source: Option<crate::extract::content::BodySource>,
}

/// One outbound link of an article's body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Absolute http(s) URL, resolved against the page's URL.
    pub url: String,
    /// The anchor text, whitespace collapsed.
    pub text: String,
}

/// A publication date left out for its low confidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedDate {
    /// The day the page gave, before it was left out.
    pub date: NaiveDate,
    /// Which evidence gave the date, as in [`Article::date_source`].
    pub source: String,
    /// How sure the extractor was, from 0 to 1; below the caller's `min_date_confidence`.
    pub confidence: f32,
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

    /// Make the article safe to store and show ([`crate::hygiene`]): no C0 or
    /// C1 control character but newline and tab in any text field, and a `url`
    /// only when it is an absolute http(s) URL. Run once after extraction and
    /// again after given fields (sidecars, JSON lines, feeds) are laid over it.
    pub fn sanitize(&mut self) {
        use crate::hygiene::{is_web_url, strip_controls_in_place};
        if self.url.as_deref().is_some_and(|u| !is_web_url(u)) {
            self.url = None;
        }
        for s in [&mut self.id, &mut self.title, &mut self.body] {
            strip_controls_in_place(s);
        }
        let optional = [
            &mut self.url,
            &mut self.path,
            &mut self.date_source,
            &mut self.outlet,
            &mut self.author,
            &mut self.language,
        ];
        for s in optional.into_iter().flatten() {
            strip_controls_in_place(s);
        }
        if let Some(md) = &mut self.markdown {
            strip_controls_in_place(md);
        }
        self.links.retain(|l| is_web_url(&l.url));
        for link in &mut self.links {
            strip_controls_in_place(&mut link.url);
            strip_controls_in_place(&mut link.text);
        }
    }

    /// Builder-style setter for the author.
    pub fn with_author(mut self, author: impl Into<String>) -> Self {
        self.author = Some(author.into());
        self
    }
}
