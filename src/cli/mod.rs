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

/// `--limit` / `--offset`: a whole number from 0 up, said plainly when it is not.
pub fn parse_count(s: &str) -> std::result::Result<usize, String> {
    s.trim()
        .parse::<usize>()
        .map_err(|_| format!("{s:?} is not a count: give a whole number from 0 up"))
}

/// Colour on a terminal unless the user asked for none (https://no-color.org:
/// any non-empty `NO_COLOR` turns it off).
pub fn color_wanted(is_terminal: bool) -> bool {
    color_allowed(is_terminal, std::env::var_os("NO_COLOR").as_deref())
}

fn color_allowed(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// "1 article", "2 articles": the noun agrees with the count.
pub fn count_of(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!(
        "{} {}",
        civsearch::index::build::thousands(n),
        if n == 1 { one } else { many }
    )
}

/// Outlets with the most articles first, cut to `top` lines unless `all`; the
/// last line says how many more there are and how to see them.
pub fn outlet_lines(outlets: &[(String, u64)], top: usize, all: bool) -> Vec<String> {
    let shown = if all {
        outlets.len()
    } else {
        top.min(outlets.len())
    };
    let mut lines: Vec<String> = outlets[..shown]
        .iter()
        .map(|(name, n)| format!("{n:>8}  {name}"))
        .collect();
    if shown < outlets.len() {
        lines.push(format!(
            "and {} more (--all-outlets lists them)",
            civsearch::index::build::thousands((outlets.len() - shown) as u64)
        ));
    }
    lines
}

/// How many outlets `stats` and `query --facets` list before "and N more".
pub const TOP_OUTLETS: usize = 20;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_turns_colour_off_on_a_terminal() {
        assert!(color_allowed(true, None));
        assert!(color_allowed(true, Some("".as_ref())));
        assert!(!color_allowed(true, Some("1".as_ref())));
        assert!(!color_allowed(false, None));
    }

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(count_of(1u64, "segment", "segments"), "1 segment");
        assert_eq!(count_of(2u64, "segment", "segments"), "2 segments");
        assert_eq!(count_of(12_345u64, "file", "files"), "12,345 files");
    }

    #[test]
    fn outlet_list_is_cut_with_a_count_of_the_rest() {
        let outlets: Vec<(String, u64)> = (0..25).map(|i| (format!("o{i}"), 30 - i)).collect();
        let lines = outlet_lines(&outlets, 20, false);
        assert_eq!(lines.len(), 21);
        assert_eq!(lines[20], "and 5 more (--all-outlets lists them)");
        assert_eq!(outlet_lines(&outlets, 20, true).len(), 25);
        assert_eq!(outlet_lines(&outlets[..3], 20, false).len(), 3);
    }

    #[test]
    fn counts_are_whole_numbers_from_zero_up() {
        assert_eq!(parse_count("10"), Ok(10));
        assert!(parse_count("-1").unwrap_err().contains("from 0 up"));
    }
}
