//! `civsearch index`: add folders and files of pages to the index.

use anyhow::Result;
use civsearch::index::build::{IndexOptions, IndexReport, index_paths};
use civsearch::index::{CivIndex, resolve_index_dir};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `civsearch index`.
#[derive(Debug, Args)]
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

pub fn run(args: &IndexArgs) -> Result<i32> {
    let dir = resolve_index_dir(args.index.as_deref());
    let idx = CivIndex::open_or_create(&dir)?;
    let opts = IndexOptions {
        prune: args.prune,
        commit_every: args.commit_every,
        progress: !args.quiet,
        writer_heap: args.writer_memory.map_or(0, |m| m << 20),
        extract_threads: args.threads.unwrap_or(0),
        indexing_threads: args.writer_threads.unwrap_or(0),
        min_date_confidence: args.min_date_confidence,
    };
    let report = index_paths(&idx, &args.paths, &opts)?;
    print_summary(&report);
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, json + "\n")
            .map_err(|e| anyhow::anyhow!("cannot write report {}: {e}", path.display()))?;
    }
    // 3: the index is fine but some inputs could not be read; scripts can tell.
    Ok(if report.failed.is_empty() { 0 } else { 3 })
}

fn print_summary(r: &IndexReport) {
    if r.changed_nothing() {
        println!(
            "index unchanged: {} files already indexed and unchanged",
            r.unchanged
        );
    } else {
        println!(
            "indexed {} files: {} added, {} updated, {} unchanged{}",
            r.files_seen,
            r.added,
            r.updated,
            r.unchanged,
            if r.pruned > 0 {
                format!(", {} removed", r.pruned)
            } else {
                String::new()
            }
        );
    }
    for (reason, n) in &r.skipped {
        println!("skipped {n}: {reason}");
    }
    if !r.failed.is_empty() {
        println!("failed {}:", r.failed.len());
        for f in &r.failed {
            match &f.record {
                Some(rec) => println!("  {}, {rec}: {}", f.path, f.reason),
                None => println!("  {}: {}", f.path, f.reason),
            }
        }
    }
    println!(
        "{} documents in {} ({:.1}s, {:.0} docs/s)",
        r.documents_in_index, r.index, r.elapsed_secs, r.docs_per_sec
    );
}
