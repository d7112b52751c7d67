//! `civsearch trend`: matching articles per period, side by side for several queries.

use anyhow::Result;
use civsearch::hygiene::{csv_cell, escape_controls};
use civsearch::index::{CivIndex, resolve_index_dir};
use civsearch::search::trend::{Interval, Trend, TrendRequest, trend};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `civsearch trend`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  civsearch trend '\"sanctuary city\"' --by month --from 2017 --to 2018
  civsearch trend '\"sanctuary city\"' '\"immigration raid\"' --by month --normalize
  civsearch trend zoning --by year --by-outlet 5 --format csv > zoning.csv
  civsearch trend '\"rent stabilization\"' --by year --plot coverage.svg

Every period in the range is listed, with 0 where nothing matched. `total` is the
number of all articles dated in the period; `share` is count / total. Matching
articles without a date are counted and shown apart.")]
pub struct TrendArgs {
    /// One or more queries (same syntax as `civsearch query`).
    #[arg(required = true)]
    pub queries: Vec<String>,
    /// Index folder [default: $CIVSEARCH_INDEX, else ./index]
    #[arg(long)]
    pub index: Option<PathBuf>,
    #[arg(long, value_parser = super::named::<Interval>(), default_value = "month")]
    pub by: Interval,
    /// First day included (2018, 2018-01, 2018-01-16, 2024-Q2, -6m, last-year ...).
    // Hyphen values allowed: relative dates (`-6m`) start with a minus.
    #[arg(long, allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Last day included.
    #[arg(long, allow_hyphen_values = true)]
    pub to: Option<String>,
    /// Only articles from this outlet (repeatable).
    #[arg(long)]
    pub outlet: Vec<String>,
    /// Show the share of all articles in each period instead of counts.
    #[arg(long)]
    pub normalize: bool,
    /// Break each query down by its top N outlets (the rest as "other").
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "5")]
    pub by_outlet: Option<usize>,
    /// Match word variants (see `civsearch query --stem`).
    #[arg(long)]
    pub stem: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TrendFormat,
    /// Also write a chart: FILE.svg or FILE.png.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// CSV cells exactly as typed: without it, a column named after a query
    /// that starts with = + - @ gets a leading ' (spreadsheets run those).
    #[arg(long)]
    pub csv_raw: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum TrendFormat {
    Text,
    Json,
    Csv,
}

pub fn run(args: &TrendArgs) -> Result<i32> {
    let (from, to) = super::date_range(args.from.as_deref(), args.to.as_deref())?;
    let idx = CivIndex::open(&resolve_index_dir(args.index.as_deref()))?;
    let req = TrendRequest {
        from,
        to,
        outlets: args.outlet.clone(),
        by_outlet: args.by_outlet,
        stem: args.stem,
        ..TrendRequest::new(args.queries.clone(), args.by)
    };
    let t = trend(&idx, &req)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        TrendFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&t)?)?,
        TrendFormat::Csv => write_csv(&mut out, &t, args.normalize, args.csv_raw)?,
        TrendFormat::Text => write_text(&mut out, &t, args.normalize)?,
    }
    out.flush()?;
    if let Some(path) = &args.plot {
        civsearch::plot::plot_trend(&t, path, args.normalize)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        eprintln!("chart written to {}", path.display());
    }
    let any = t
        .series
        .iter()
        .any(|s| s.undated > 0 || s.points.iter().any(|p| p.count > 0));
    Ok(if any { 0 } else { 1 })
}

/// A series' name (query, and outlet), without control characters: it is
/// printed on terminals and written into CSV headers.
fn label(s: &civsearch::search::trend::TrendSeries) -> String {
    let name = match &s.outlet {
        Some(o) => format!("{} [{o}]", s.query),
        None => s.query.clone(),
    };
    escape_controls(&name).into_owned()
}

fn write_csv(out: &mut impl Write, t: &Trend, normalize: bool, raw: bool) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["period".to_string(), "total".to_string()];
    for s in &t.series {
        header.push(csv_cell(&label(s), raw).into_owned());
        if normalize {
            header.push(csv_cell(&format!("{} share", label(s)), raw).into_owned());
        }
    }
    w.write_record(&header)?;
    let n = t.series.first().map_or(0, |s| s.points.len());
    for i in 0..n {
        let first = &t.series[0].points[i];
        let mut row = vec![first.period.clone(), first.total.to_string()];
        for s in &t.series {
            row.push(s.points[i].count.to_string());
            if normalize {
                row.push(format!("{:.6}", s.points[i].share));
            }
        }
        w.write_record(&row)?;
    }
    let mut row = vec!["undated".to_string(), String::new()];
    for s in &t.series {
        row.push(s.undated.to_string());
        if normalize {
            row.push(String::new());
        }
    }
    w.write_record(&row)?;
    w.flush()?;
    Ok(())
}

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn write_text(out: &mut impl Write, t: &Trend, normalize: bool) -> Result<()> {
    for s in &t.series {
        let values: Vec<f64> = s
            .points
            .iter()
            .map(|p| if normalize { p.share } else { p.count as f64 })
            .collect();
        let max = values.iter().copied().fold(0.0, f64::max);
        let spark: String = values
            .iter()
            .map(|v| {
                if max > 0.0 {
                    SPARKS[((v / max) * 7.0).round() as usize]
                } else {
                    SPARKS[0]
                }
            })
            .collect();
        let total: u64 = s.points.iter().map(|p| p.count).sum();
        writeln!(
            out,
            "{}: {total} dated matches, {} undated",
            label(s),
            s.undated
        )?;
        if s.points.len() > 1 {
            writeln!(out, "  {spark}")?;
        }
        for (p, v) in s.points.iter().zip(&values) {
            let bar_len = if max > 0.0 {
                ((v / max) * 40.0).round() as usize
            } else {
                0
            };
            let figure = if normalize {
                format!("{:>6.2}% of {:>6}", p.share * 100.0, p.total)
            } else {
                format!("{:>6} of {:>6}", p.count, p.total)
            };
            writeln!(out, "  {:<10} {figure}  {}", p.period, "█".repeat(bar_len))?;
        }
        writeln!(out)?;
    }
    Ok(())
}
