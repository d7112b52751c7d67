//! `civsearch query`: search the index, print the exact total and the hits.

use anyhow::{Result, anyhow};
use civsearch::hygiene::{csv_cell, escape_controls as esc};
use civsearch::index::{CivIndex, resolve_index_dir};
use civsearch::search::{Hit, SearchRequest, SearchResults, Sort, Undated, search_with};
use clap::Args;
use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Arguments of `civsearch query`.
#[derive(Debug, Args)]
#[command(after_help = QUERY_HELP)]
pub struct QueryArgs {
    /// The query (see the syntax below).
    pub query: String,
    /// Index folder [default: $CIVSEARCH_INDEX, else ./index]
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// First day included: 2018, 2018-01, 2018-01-16, 2024-Q2, 2018-W03, -30d, last-year ...
    // Hyphen values allowed: relative dates (`-30d`) start with a minus.
    #[arg(long, allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Last day included (same forms; `--to 2018` means through 2018-12-31).
    #[arg(long, allow_hyphen_values = true)]
    pub to: Option<String>,
    /// Only articles from this outlet (repeatable; case-insensitive).
    #[arg(long)]
    pub outlet: Vec<String>,
    /// Undated articles [default: exclude when --from/--to is given, else include]
    #[arg(long, value_parser = super::named::<Undated>())]
    pub undated: Option<Undated>,
    /// Order of hits [default: relevance; with --all: index order, which streams in constant memory]
    #[arg(long, value_parser = super::named::<Sort>())]
    pub sort: Option<Sort>,
    /// Hits to show.
    // Hyphen values reach the parser, which says what a count is, instead of
    // clap taking `-1` for a flag.
    #[arg(long, default_value_t = 10, allow_hyphen_values = true, value_parser = super::parse_count)]
    pub limit: usize,
    /// Hits to skip (for paging).
    #[arg(long, default_value_t = 0, allow_hyphen_values = true, value_parser = super::parse_count)]
    pub offset: usize,
    /// Also match word variants (raids ~ raid, city ~ cities).
    #[arg(long)]
    pub stem: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: QueryFormat,
    /// Count the matching articles by outlet and by year.
    #[arg(long)]
    pub facets: bool,
    /// With --facets in text: list every outlet, not only the top ones.
    #[arg(long)]
    pub all_outlets: bool,
    /// Every matching passage of each hit, with character offsets into the body.
    #[arg(long)]
    pub passages: bool,
    /// Every matching article, no cap, streamed (with --format csv or jsonl; passages included).
    #[arg(long)]
    pub all: bool,
    /// CSV cells exactly as stored: without it, a cell that starts with = + - @
    /// (which a spreadsheet would run as a formula) gets a leading '.
    #[arg(long)]
    pub csv_raw: bool,
    /// Each hit's outbound links from its body, as `links: [{url, text}]` (json, jsonl).
    #[arg(long)]
    pub links: bool,
}

const QUERY_HELP: &str = "\
Query syntax:
  council budget              both words, anywhere in title or body
  \"sanctuary city\"            the exact phrase
  \"city council\"~3            the phrase with up to 3 words of slack
  police OR sheriff           either word
  police -fire                police, but not fire (also: police NOT fire)
  (police OR sheriff) raid    grouping
  title:budget                a word in one field: title, body, outlet, author, url
  outlet:\"riverton ledger\"    a phrase in one field
  link:oaklandca.gov          articles whose body links to oaklandca.gov or any of
                              its subdomains (www., docs., ...); link:gov, any .gov
                              site; link:https://... uses the URL's host. Only links
                              in the article text count, not menus or footers
  \"city council\" NEAR/10 sanctuary
                              both within 10 words of each other, either order
  *                           every article (use with --from/--to/--outlet)
Matching ignores case and accents and does not stem (raid does not match raids)
unless --stem is given, so counts are exact and reproducible.

Examples:
  civsearch query '\"sanctuary city\"' --from 2017-08 --to 2018-02
  civsearch query 'zoning -parking' --outlet 'Riverton Ledger' --sort newest
  civsearch query '\"rent stabilization\"' --all --format csv > every-hit.csv
  civsearch query '\"sanctuary city\"' --facets --passages --format json
  civsearch query 'budget link:oaklandca.gov' --links --format json

Exit status: 0 when something matched, 1 when nothing did, 2 on error.";

/// Output of `civsearch query`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum QueryFormat {
    Text,
    Json,
    Jsonl,
    Csv,
}

pub fn run(args: &QueryArgs) -> Result<i32> {
    let (from, to) = super::date_range(args.from.as_deref(), args.to.as_deref())?;
    let idx = CivIndex::open(&resolve_index_dir(args.index.as_deref()))?;
    let req = SearchRequest {
        from,
        to,
        outlets: args.outlet.clone(),
        undated: args.undated,
        sort: args.sort.unwrap_or_default(),
        limit: args.limit,
        offset: args.offset,
        stem: args.stem,
        facets: args.facets,
        passages: args.passages || args.all,
        links: args.links,
        ..SearchRequest::new(args.query.clone())
    };
    if args.all {
        return export_all(&idx, &req, args);
    }
    // Just opened: the reader is on the latest commit already.
    let results = search_with(&idx, &idx.current_searcher(), &req)?;
    for name in &results.unknown_outlets {
        eprintln!("civsearch: no article has the outlet {name:?} (see `civsearch stats`)");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        QueryFormat::Text => {
            let color = super::color_wanted(std::io::stdout().is_terminal());
            print_text(&mut out, &req, &results, color, args.all_outlets)?
        }
        QueryFormat::Json => {
            let mut v = serde_json::json!({
                "total": results.total,
                "hits": results.hits.iter().map(hit_json).collect::<Vec<_>>(),
                "undated_excluded": results.undated_excluded,
            });
            if let Some(f) = &results.facets {
                v["facets"] = serde_json::to_value(f)?;
            }
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        QueryFormat::Jsonl => {
            for h in &results.hits {
                writeln!(out, "{}", serde_json::to_string(&hit_json(h))?)?;
            }
        }
        QueryFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(CSV_HEADER)?;
            for h in &results.hits {
                w.write_record(csv_row(h, args.csv_raw))?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    Ok(if results.total > 0 { 0 } else { 1 })
}

/// The JSON form of a hit (also used by `jsonl`).
pub fn hit_json(h: &Hit) -> serde_json::Value {
    let mut v = serde_json::json!({
        "id": h.id,
        "url": h.url,
        "path": h.path,
        "title": h.title,
        "date": h.date.map(|d| d.to_string()),
        "outlet": h.outlet,
        "author": h.author,
        "score": h.score,
        "snippet": h.snippet,
        "highlights": h.highlights,
        "passages": h.passages,
    });
    if let Some(links) = &h.links {
        v["links"] = serde_json::json!(links);
    }
    v
}

const CSV_HEADER: [&str; 11] = [
    "id",
    "url",
    "path",
    "title",
    "date",
    "outlet",
    "author",
    "score",
    "snippet",
    "passages",
    "passage_offsets",
];

/// One hit as CSV cells, formula cells neutralised unless `raw` ([`csv_cell`]).
fn csv_row(h: &Hit, raw: bool) -> [String; 11] {
    let cells = [
        h.id.clone(),
        h.url.clone().unwrap_or_default(),
        h.path.clone().unwrap_or_default(),
        h.title.clone(),
        h.date.map(|d| d.to_string()).unwrap_or_default(),
        h.outlet.clone().unwrap_or_default(),
        h.author.clone().unwrap_or_default(),
        format!("{:.4}", h.score),
        h.snippet.clone(),
        h.passages
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" | "),
        h.passages
            .iter()
            .map(|p| format!("{}-{}", p.start, p.end))
            .collect::<Vec<_>>()
            .join(";"),
    ];
    cells.map(|c| match csv_cell(&c, raw) {
        Cow::Borrowed(_) => c,
        Cow::Owned(neutral) => neutral,
    })
}

/// `--all`: every match, streamed.
fn export_all(idx: &CivIndex, req: &SearchRequest, args: &QueryArgs) -> Result<i32> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let n = match args.format {
        QueryFormat::Jsonl => civsearch::search::export(idx, req, args.sort, |h| {
            serde_json::to_writer(&mut out, &hit_json(&h))?;
            out.write_all(b"\n")?;
            Ok(())
        })?,
        QueryFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(CSV_HEADER)?;
            let n = civsearch::search::export(idx, req, args.sort, |h| {
                Ok(w.write_record(csv_row(&h, args.csv_raw))?)
            })?;
            w.flush()?;
            n
        }
        _ => {
            return Err(anyhow!(
                "--all streams every match: use it with --format jsonl or --format csv"
            ));
        }
    };
    out.flush()?;
    Ok(if n > 0 { 0 } else { 1 })
}

const BOLD: &str = "\x1b[1m";
const MATCH: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

fn print_text(
    out: &mut impl Write,
    req: &SearchRequest,
    r: &SearchResults,
    color: bool,
    all_outlets: bool,
) -> Result<()> {
    let (b, m, d, x) = if color {
        (BOLD, MATCH, DIM, RESET)
    } else {
        ("", "", "", "")
    };
    let window = match (req.from, req.to) {
        (None, None) => String::new(),
        (f, t) => format!(
            " from {} to {}",
            f.map_or("the start".into(), |d| d.to_string()),
            t.map_or("now".into(), |d| d.to_string())
        ),
    };
    let verb = if r.total == 1 { "matches" } else { "match" };
    writeln!(
        out,
        "{b}{}{x} {verb} {}{window}",
        super::count_of(r.total as u64, "article", "articles"),
        esc(&req.query)
    )?;
    if let Some(f) = &r.facets {
        let outlets: Vec<(String, u64)> = f
            .outlet
            .iter()
            .map(|c| (esc(&c.value).into_owned(), c.count))
            .collect();
        writeln!(out, "{d}outlets:{x}")?;
        for line in super::outlet_lines(&outlets, super::TOP_OUTLETS, all_outlets) {
            writeln!(out, "  {line}")?;
        }
        let years = f
            .year
            .iter()
            .map(|c| format!("{} ({})", esc(&c.value), c.count))
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(out, "{d}years:{x}   {years}")?;
    }
    if let Some(n) = r.undated_excluded.filter(|&n| n > 0) {
        writeln!(
            out,
            "{d}({} not shown: add --undated include){x}",
            super::count_of(
                n as u64,
                "undated matching article",
                "undated matching articles"
            )
        )?;
    }
    for (i, h) in r.hits.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{b}{:>3}. {}{x}",
            req.offset + i + 1,
            if h.title.is_empty() {
                "(untitled)".into()
            } else {
                esc(&h.title)
            }
        )?;
        let meta: Vec<String> = [
            Some(h.date.map_or("undated".to_string(), |d| d.to_string())),
            h.outlet.clone(),
            h.author.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        writeln!(out, "     {d}{}{x}", esc(&meta.join(" · ")))?;
        writeln!(
            out,
            "     {d}{}{x}",
            esc(h.url.as_deref().or(h.path.as_deref()).unwrap_or(&h.id))
        )?;
        if !h.snippet.is_empty() && h.passages.is_empty() {
            // One character for one: the highlight offsets still hold.
            let snippet = esc(&h.snippet);
            writeln!(out, "     {}", highlighted(&snippet, &h.highlights, m, x))?;
        }
        // --passages: every matching passage, with its character span in the body.
        for p in &h.passages {
            writeln!(
                out,
                "     {d}[{}-{}]{x} {}",
                p.start,
                p.end,
                highlighted(&esc(&p.text), &in_passage(p), m, x)
            )?;
        }
    }
    let shown_to = req.offset + r.hits.len();
    if shown_to < r.total && !r.hits.is_empty() {
        writeln!(
            out,
            "\n{d}showing {}-{shown_to} of {}; more with --offset {shown_to}{x}",
            req.offset + 1,
            r.total
        )?;
    }
    Ok(())
}

/// A passage's highlights (body offsets) relative to the passage text.
fn in_passage(p: &civsearch::search::highlight::Passage) -> Vec<(usize, usize)> {
    p.highlights
        .iter()
        .map(|&(s, e)| (s.saturating_sub(p.start), e.saturating_sub(p.start)))
        .collect()
}

/// The snippet with highlight markers around matched ranges (colour on a
/// terminal, `[` `]`-free plain text otherwise so pipes get clean text).
fn highlighted(snippet: &str, ranges: &[(usize, usize)], on: &str, off: &str) -> String {
    if on.is_empty() {
        return snippet.to_string();
    }
    let mut out = String::with_capacity(snippet.len() + ranges.len() * 12);
    let mut r = ranges.iter().peekable();
    for (i, ch) in snippet.chars().enumerate() {
        if r.peek().is_some_and(|&&(s, _)| s == i) {
            out.push_str(on);
        }
        out.push(ch);
        if let Some(&&(_, e)) = r.peek()
            && e == i + 1
        {
            out.push_str(off);
            r.next();
        }
    }
    out
}
