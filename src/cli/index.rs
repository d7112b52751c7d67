//! `civsearch index`: add folders and files of pages to the index.

use anyhow::Result;
use civsearch::hygiene::escape_controls;
use civsearch::index::build::{
    IndexOptions, IndexProgress, IndexReport, OnProgress, index_paths, per_second,
};
use civsearch::index::{CivIndex, resolve_index_dir};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `civsearch index`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  civsearch index corpus/                         # into ./index
  civsearch index corpus/ feeds/news.xml.gz --index news-index
  civsearch index corpus/ --prune                 # also drop files deleted since
  civsearch index crawl.warc.gz --report run.json # every failure, as JSON

A second run over the same folders reads only new or changed files. Files of
other kinds are skipped and counted; a page that cannot be read is reported
and the rest are indexed.

Exit status: 0 when every input was indexed (or was already), 2 on error
(a path that does not exist, no indexable file, an index that cannot be
written), 3 when the index is fine but some inputs could not be read.")]
pub struct IndexArgs {
    /// Folders (walked recursively) and files to index: HTML and text pages, WARC,
    /// JSON lines, RSS/Atom feeds, zip and tar archives, each also gzipped.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Index folder [default: $CIVSEARCH_INDEX, else ./index]
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// Drop documents whose file under PATH no longer exists.
    #[arg(long)]
    pub prune: bool,
    /// Write the run's summary, with every failure, as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Commit after this many new or changed documents (a crash loses at most this many).
    #[arg(long, default_value_t = 100_000)]
    pub commit_every: usize,
    /// Threads that read and extract pages [default: one per core].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Threads that build the index beside them [default: half the cores, at least 1].
    #[arg(long, value_name = "N")]
    pub writer_threads: Option<usize>,
    /// Memory for the index writer, in MiB, shared by its threads; more means
    /// fewer, larger segments before each commit [default: 128 per writer thread].
    #[arg(long, value_name = "MIB")]
    pub writer_memory: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Leave out publication dates less sure than this (0 to 1): such pages
    /// are indexed undated (a sidecar's or feed's date is always kept). Pages
    /// already indexed and unchanged keep the dates they were indexed with.
    #[arg(long, value_name = "X", value_parser = crate::cli::extract::parse_confidence)]
    pub min_date_confidence: Option<f32>,
}

/// A progress bar on stderr, only where someone watches it (a terminal).
fn progress_bar() -> Option<OnProgress> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} indexing [{bar:40}] {pos}/{len} files, {rate}, eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&per_second(state.per_sec()));
            },
        )
        .progress_chars("=> "),
    );
    Some(OnProgress::new(move |p: IndexProgress| {
        bar.set_length(p.files_total);
        bar.set_position(p.files_done);
        if p.finished {
            bar.finish_and_clear();
        }
    }))
}

pub fn run(args: &IndexArgs) -> Result<i32> {
    // Checked before the index is opened, so a mistyped path creates nothing.
    if let Some(missing) = args.paths.iter().find(|p| !p.exists()) {
        anyhow::bail!("no such file or folder: {}", missing.display());
    }
    let dir = resolve_index_dir(args.index.as_deref());
    let idx = CivIndex::open_or_create(&dir)?;
    let opts = IndexOptions {
        prune: args.prune,
        commit_every: args.commit_every,
        progress: (!args.quiet).then(progress_bar).flatten(),
        writer_heap: args.writer_memory.map_or(0, |m| m << 20),
        extract_threads: args.threads.unwrap_or(0),
        indexing_threads: args.writer_threads.unwrap_or(0),
        min_date_confidence: args.min_date_confidence,
    };
    let report = index_paths(&idx, &args.paths, &opts)?;
    if found_nothing(&report) {
        eprintln!("civsearch: {}", nothing_to_index(&args.paths, &report));
        return Ok(2);
    }
    print_summary(&report);
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, json + "\n")
            .map_err(|e| anyhow::anyhow!("cannot write report {}: {e}", path.display()))?;
    }
    // 3: the index is fine but some inputs could not be read, or some
    // documents were refused because another file holds their id; scripts can tell.
    Ok(if report.failed.is_empty() && report.clashes.is_empty() {
        0
    } else {
        3
    })
}

/// No file under the paths could be indexed or was indexed already: a wrong
/// folder, or one holding only files of other kinds.
fn found_nothing(r: &IndexReport) -> bool {
    r.added + r.updated + r.unchanged + r.pruned == 0 && r.failed.is_empty() && r.clashes.is_empty()
}

/// "no indexable files in news/ (skipped: 3 unsupported file type)".
fn nothing_to_index(paths: &[PathBuf], r: &IndexReport) -> String {
    let names = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let skipped = if r.skipped.is_empty() {
        "nothing".to_string()
    } else {
        r.skipped
            .iter()
            .map(|(reason, n)| format!("{n} {reason}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("no indexable files in {names} (skipped: {skipped})")
}

fn print_summary(r: &IndexReport) {
    if r.changed_nothing() {
        println!(
            "index unchanged: {} files already indexed and unchanged",
            r.unchanged
        );
    } else {
        let skipped: usize = r.skipped.values().sum();
        let mut line = format!(
            "indexed {}: {} added, {} updated, {} unchanged",
            super::count_of(r.files_seen as u64, "file", "files"),
            r.added,
            r.updated,
            r.unchanged,
        );
        if skipped > 0 {
            line += &format!(", {skipped} skipped");
        }
        if r.pruned > 0 {
            line += &format!(", {} removed", r.pruned);
        }
        println!("{line}");
    }
    for (reason, n) in &r.skipped {
        println!("skipped {n}: {}", escape_controls(reason));
    }
    if !r.failed.is_empty() {
        println!("failed {}:", r.failed.len());
        for f in &r.failed {
            match &f.record {
                Some(rec) => println!(
                    "  {}, {}: {}",
                    escape_controls(&f.path),
                    escape_controls(rec),
                    escape_controls(&f.reason)
                ),
                None => println!(
                    "  {}: {}",
                    escape_controls(&f.path),
                    escape_controls(&f.reason)
                ),
            }
        }
    }
    if !r.clashes.is_empty() {
        println!(
            "not indexed {} (id held by a document from another file, which is kept):",
            r.clashes.len()
        );
        for c in &r.clashes {
            println!(
                "  {}: id {} held by {}",
                escape_controls(&c.refused),
                escape_controls(&c.id),
                escape_controls(&c.kept)
            );
        }
    }
    println!(
        "{} in {} ({:.1}s, {} documents/s)",
        super::count_of(r.documents_in_index, "document", "documents"),
        r.index,
        r.elapsed_secs,
        civsearch::index::build::thousands(r.docs_per_sec.round() as u64)
    );
}
