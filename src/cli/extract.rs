//! `civsearch extract`: show what would be indexed for each file.

use crate::cli::read_input;
use anyhow::Result;
use civsearch::Article;
use civsearch::extract::content::BodySource;
use civsearch::extract::{ExtractError, ExtractOptions, extract};
use clap::Args;
use std::io::{BufRead, Write};

/// Arguments of `civsearch extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Pages to extract (HTML or text, optionally gzipped).
    #[arg(required_unless_present = "lines")]
    pub files: Vec<std::path::PathBuf>,
    /// The page's URL (for URL dates and relative canonical links).
    #[arg(long)]
    pub url: Option<String>,
    /// text: the body alone; markdown: the body with headings, lists, quotes and
    /// links; json: all fields (an array for several files); jsonl: one object a
    /// line, with its path; date: the publication day or an empty line.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExtractFormat,
    /// Read "PATH<TAB>URL" lines on stdin and answer one line each (the format's
    /// one-line form); for scoring tools that keep one process running.
    #[arg(long)]
    pub lines: bool,
    /// Leave out dates less sure than this (0 to 1): the page comes out
    /// undated, and `--format json` shows the date left out as `date_rejected`.
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    pub min_date_confidence: Option<f32>,
}

/// A confidence between 0 and 1.
pub(crate) fn parse_confidence(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("'{s}' is not a number from 0 to 1")),
    }
}

/// Output of `civsearch extract`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum ExtractFormat {
    Text,
    Markdown,
    Json,
    Jsonl,
    Date,
}

pub fn run(args: &ExtractArgs) -> Result<i32> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.lines {
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            let (path, url) = line.split_once('\t').unwrap_or((line.as_str(), ""));
            let url = (!url.is_empty())
                .then(|| url.to_string())
                .or_else(|| args.url.clone());
            let answer = match one(std::path::Path::new(path), url, args) {
                Ok(s) => s.replace('\n', " "),
                Err(_) => String::new(),
            };
            writeln!(out, "{answer}")?;
            out.flush()?;
        }
        return Ok(0);
    }
    let json_array = args.format == ExtractFormat::Json && args.files.len() > 1;
    if args.format == ExtractFormat::Jsonl || json_array {
        return run_json_records(args, json_array, &mut out);
    }
    let mut failed = false;
    for path in &args.files {
        match one(path, args.url.clone(), args) {
            Ok(s) => writeln!(out, "{s}")?,
            Err(e) => {
                eprintln!("civsearch: {}: {e:#}", path.display());
                failed = true;
            }
        }
    }
    Ok(if failed { 2 } else { 0 })
}

/// Several files as JSON: one object a line (`jsonl`) or one array (`json`),
/// each object with its `path`. A file that fails gives `{"path", "error"}` in
/// its place, the others still print, and the exit status is 2 as for text.
fn run_json_records(args: &ExtractArgs, array: bool, out: &mut impl Write) -> Result<i32> {
    let mut failed = false;
    let mut records = Vec::new();
    for path in &args.files {
        let record = match extract_file(path, args.url.clone(), false, args.min_date_confidence) {
            Ok(article) => article_json(Some(path), &article),
            Err(e) => {
                eprintln!("civsearch: {}: {e:#}", path.display());
                failed = true;
                serde_json::json!({
                    "path": path.display().to_string(),
                    "error": format!("{e:#}"),
                })
            }
        };
        if array {
            records.push(record);
        } else {
            writeln!(out, "{}", serde_json::to_string(&record)?)?;
        }
    }
    if array {
        writeln!(out, "{}", serde_json::to_string_pretty(&records)?)?;
    }
    Ok(if failed { 2 } else { 0 })
}

fn extract_file(
    path: &std::path::Path,
    url: Option<String>,
    markdown: bool,
    min_date_confidence: Option<f32>,
) -> Result<Article> {
    let (bytes, page_format) = read_input(path)?;
    let opts = ExtractOptions {
        url,
        format: page_format,
        markdown,
        min_date_confidence,
        ..Default::default()
    };
    match extract(&bytes, &opts) {
        Ok(a) => Ok(a),
        // A page with no article (a login wall, a shell filled by scripts) is
        // an answer, not a failure: an empty body, exit status 0.
        Err(ExtractError::NoText) => Ok(Article {
            body_source: Some(BodySource::None),
            ..Article::default()
        }),
        Err(e) => Err(e.into()),
    }
}

fn one(path: &std::path::Path, url: Option<String>, args: &ExtractArgs) -> Result<String> {
    let format = args.format;
    let markdown = format == ExtractFormat::Markdown;
    let article = extract_file(path, url, markdown, args.min_date_confidence)?;
    Ok(match format {
        ExtractFormat::Text => article.body,
        ExtractFormat::Markdown => article.markdown.unwrap_or_default(),
        ExtractFormat::Date => article.date.map(|d| d.to_string()).unwrap_or_default(),
        ExtractFormat::Json => serde_json::to_string_pretty(&article_json(None, &article))?,
        ExtractFormat::Jsonl => serde_json::to_string(&article_json(Some(path), &article))?,
    })
}

/// The JSON object of one extracted page; `path` is given when several pages
/// are printed together.
fn article_json(path: Option<&std::path::Path>, article: &Article) -> serde_json::Value {
    let mut v = serde_json::json!({
        "date": article.date.map(|d| d.to_string()),
        "date_source": article.date_source,
        "date_confidence": article.date_confidence,
        "date_rejected": article.date_rejected,
        "title": article.title,
        "outlet": article.outlet,
        "author": article.author,
        "url": article.url,
        "language": article.language,
        "body": article.body,
        "body_source": article.body_source.map(|s| s.as_str()),
        "links": article.links,
    });
    if let Some(p) = path {
        v["path"] = serde_json::Value::String(p.display().to_string());
    }
    v
}
