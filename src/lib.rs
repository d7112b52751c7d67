//! civsearch: exact phrase and date-range search over folders of civic news.
//!
//! Pages go in (saved HTML, text dumps of pages); boilerplate comes out; each
//! article's headline, body, publication day, outlet, author and URL go into a
//! [tantivy](https://docs.rs/tantivy) index; searches give exact totals, ranked
//! hits and highlighted snippets. The `civsearch` binary is a thin face over
//! the same calls.
//!
//! ```
//! use chrono::NaiveDate;
//! use civsearch::index::CivIndex;
//! use civsearch::search::{SearchRequest, search};
//! use civsearch::Article;
//!
//! # fn main() -> anyhow::Result<()> {
//! let dir = tempfile::tempdir()?;
//! let index = CivIndex::open_or_create(dir.path())?;
//!
//! let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! index.add_articles(&[
//!     Article::new("a1", "Council backs ordinance", "Riverton became a sanctuary city on Tuesday.")
//!         .with_date(day(2017, 8, 15))
//!         .with_outlet("The Riverton Ledger"),
//!     Article::new("a2", "Birds find a home", "The city opened a sanctuary for herons.")
//!         .with_date(day(2017, 9, 2)),
//!     Article::new("a3", "Vote set", "The sanctuary city vote comes in March.")
//!         .with_date(day(2019, 1, 10)),
//! ])?;
//!
//! // The phrase, within August 2017 to February 2018 (inclusive days).
//! let request = SearchRequest::new("\"sanctuary city\"")
//!     .between(Some(day(2017, 8, 1)), Some(day(2018, 2, 28)));
//! let results = search(&index, &request)?;
//! assert_eq!(results.total, 1);
//! assert_eq!(results.hits[0].id, "a1");
//! println!("{}", results.hits[0].snippet);
//! # Ok(())
//! # }
//! ```
//!
//! # Architecture
//!
//! One data flow, each stage usable alone and ignorant of the stage after it:
//!
//! ```text
//! folder, archive, WARC, feed --ingest--> page bytes --extract--> Article
//!     --index--> tantivy segments --search--> exact total, ranked hits, snippets
//! ```
//!
//! - [`ingest`]: folders and files to page bytes: the walk, gzip, zip, tar,
//!   WARC, JSON lines, feeds, sidecar metadata;
//! - [`extract`]: page bytes to an [`Article`]: charset, main content,
//!   headline, outlet, author, canonical URL, publication day (pure: no file
//!   system, no index);
//! - [`index`]: the one schema and word tokenizer, writing with upserts and
//!   commits in batches ([`index::build::index_paths`]), reading articles back;
//! - [`search`]: the query language, filters, exact counts, ranking, snippets,
//!   facets and trends.
//!
//! The `civsearch` binary and `civsearch serve` (feature `server`) are thin
//! faces over these calls. Promises the code keeps: counts are exact; an
//! undated page is never given a date; re-indexing is an upsert; a crash loses
//! at most the documents since the last commit. `docs/architecture.md` in the
//! repository says more.
//!
//! # Features
//!
//! `server` (the HTTP API and search page), `plot` (SVG/PNG charts) and `cli`
//! (the binary) are on by default; `default-features = false` builds the core
//! alone.

#![warn(missing_docs)]

pub mod article;
pub mod datespec;
pub mod extract;
pub mod html;
pub mod hygiene;
pub mod index;
pub mod ingest;
#[cfg(feature = "plot")]
pub mod plot;
pub mod search;
#[cfg(feature = "server")]
pub mod server;
#[cfg(test)]
mod test_rng;

pub use article::Article;

/// The README's Rust examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
