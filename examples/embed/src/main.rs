//! Index a folder of pages and search it from your own program, with the
//! library's core alone.
//!
//!     cargo run --manifest-path examples/embed/Cargo.toml -- corpus '"sanctuary city"' 2017-08-01 2018-02-28

use anyhow::{Context, Result};
use chrono::NaiveDate;
use civsearch::index::CivIndex;
use civsearch::index::build::{IndexOptions, index_paths};
use civsearch::search::{SearchRequest, search};
use std::path::PathBuf;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let folder = PathBuf::from(args.next().unwrap_or_else(|| "corpus".into()));
    let query = args.next().unwrap_or_else(|| "\"sanctuary city\"".into());
    let day = |s: Option<String>| -> Result<Option<NaiveDate>> {
        s.map(|s| s.parse().with_context(|| format!("not a day: {s}")))
            .transpose()
    };
    let (from, to) = (day(args.next())?, day(args.next())?);

    // An index of the folder in a temporary place: pages are read, cleaned of
    // boilerplate, dated and written, as `civsearch index` does.
    let dir = std::env::temp_dir().join(format!("civsearch-embed-{}", std::process::id()));
    let index = CivIndex::open_or_create(&dir)?;
    let report = index_paths(&index, &[folder], &IndexOptions::default())?;
    println!("{} documents indexed", report.documents_in_index);

    // The exact number of matching articles, and the best ten with snippets.
    let results = search(&index, &SearchRequest::new(&query).between(from, to))?;
    println!("{} articles match {query}", results.total);
    for hit in &results.hits {
        let date = hit.date.map_or("undated".to_string(), |d| d.to_string());
        println!("- {} ({date}): {}", hit.title, hit.snippet);
    }
    drop(index);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
