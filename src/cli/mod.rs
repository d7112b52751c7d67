//! The command-line faces of the library: one file per subcommand.

pub mod extract;
pub mod index;
pub mod query;
pub mod serve;
pub mod stats;
pub mod trend;

use anyhow::{Context, Result};
use civsearch::extract::PageFormat;
use civsearch::search::named::{Named, parse_named};
use clap::{Parser, Subcommand};
use std::path::Path;

/// civsearch: exact phrase and date-range search over folders of civic news.
#[derive(Debug, Parser)]
#[command(name = "civsearch", version, about, long_about = None, after_help = "Examples:
  civsearch index corpus/
  civsearch query '\"sanctuary city\"' --from 2017-08 --to 2018-02
  civsearch stats

The index lives in --index DIR, else $CIVSEARCH_INDEX, else ./index.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index folders and files of news pages (HTML, text, gzipped).
    Index(index::IndexArgs),
    /// Search the index: exact total, ranked hits, highlighted snippets.
    Query(query::QueryArgs),
    /// Coverage over time: matching articles per day, week, month or year.
    Trend(trend::TrendArgs),
    /// What the index holds: documents, undated, dates, outlets, size.
    Stats(stats::StatsArgs),
    /// Serve the search page and the HTTP JSON API (loopback by default).
    Serve(serve::ServeArgs),
    /// Print what would be indexed for each page.
    Extract(extract::ExtractArgs),
}

/// Read a page from disk, un-gzipping `.gz`; the format comes from the extension.
pub fn read_input(path: &Path) -> Result<(Vec<u8>, Option<PageFormat>)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (bytes, name) = if let Some(stem) = name.strip_suffix(".gz") {
        (
            civsearch::ingest::gunzip(&bytes)
                .with_context(|| format!("{}: bad gzip data", path.display()))?,
            stem.to_string(),
        )
    } else {
        (bytes, name)
    };
    Ok((bytes, civsearch::ingest::format_for_name(&name)))
}

/// `--from` / `--to` as typed, to inclusive days (relative forms against today);
/// a range that ends before it starts is an error.
pub fn date_range(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)> {
    let today = chrono::Local::now().date_naive();
    let from = from
        .map(|s| civsearch::datespec::parse_from(s, today))
        .transpose()
        .map_err(|e| anyhow::anyhow!("--from: {e}"))?;
    let to = to
        .map(|s| civsearch::datespec::parse_to(s, today))
        .transpose()
        .map_err(|e| anyhow::anyhow!("--to: {e}"))?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        anyhow::bail!("--from {f} is after --to {t}");
    }
    Ok((from, to))
}

/// A clap parser for one of the library's named values (`--sort newest`), so
/// `--help` lists the names and the library needs no argument parser.
pub fn named<T: Named + Send + Sync>() -> impl clap::builder::TypedValueParser<Value = T> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(T::NAMES).try_map(|s| parse_named::<T>(&s))
}

/// Run the parsed command; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    match &cli.command {
        Command::Index(args) => index::run(args),
        Command::Query(args) => query::run(args),
        Command::Trend(args) => trend::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Serve(args) => serve::run(args),
    }
}
