//! `civsearch extract`: show what would be indexed for each file.

use crate::cli::read_input;
use anyhow::Result;
use civsearch::article::Article;
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
    /// text: the body alone; json: all fields; date: the publication day or an empty line.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExtractFormat,
    /// Read "PATH<TAB>URL" lines on stdin and answer one line each (the format's
    /// one-line form); for scoring tools that keep one process running.
    #[arg(long)]
    pub lines: bool,
}

/// Output of `civsearch extract`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum ExtractFormat {
    Text,
    Json,
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
            let answer = match one(std::path::Path::new(path), url, args.format) {
                Ok(s) => s.replace('\n', " "),
                Err(_) => String::new(),
            };
            writeln!(out, "{answer}")?;
            out.flush()?;
        }
        return Ok(0);
    }
    let mut failed = false;
    for path in &args.files {
        match one(path, args.url.clone(), args.format) {
            Ok(s) => writeln!(out, "{s}")?,
            Err(e) => {
                eprintln!("civsearch: {}: {e:#}", path.display());
                failed = true;
            }
        }
    }
    Ok(if failed { 2 } else { 0 })
}

fn one(path: &std::path::Path, url: Option<String>, format: ExtractFormat) -> Result<String> {
    let (bytes, page_format) = read_input(path)?;
    let opts = ExtractOptions {
        url,
        format: page_format,
        ..Default::default()
    };
    let article = match extract(&bytes, &opts) {
        Ok(a) => a,
        // A page with no article (a login wall, a shell filled by scripts) is
        // an answer, not a failure: an empty body, exit status 0.
        Err(ExtractError::NoText) => Article {
            body_source: Some(BodySource::None),
            ..Article::default()
        },
        Err(e) => return Err(e.into()),
    };
    Ok(match format {
        ExtractFormat::Text => article.body,
        ExtractFormat::Date => article.date.map(|d| d.to_string()).unwrap_or_default(),
        ExtractFormat::Json => {
            let v = serde_json::json!({
                "date": article.date.map(|d| d.to_string()),
                "date_source": article.date_source,
                "date_confidence": article.date_confidence,
                "title": article.title,
                "outlet": article.outlet,
                "author": article.author,
                "url": article.url,
                "language": article.language,
                "body": article.body,
                "body_source": article.body_source.map(|s| s.as_str()),
            });
            serde_json::to_string_pretty(&v)?
        }
    })
}
