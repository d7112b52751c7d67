//! `civsearch index`: add folders and files of pages to the index.

use anyhow::Result;
use civsearch::hygiene::escape_controls;
use civsearch::index::build::{IndexOptions, IndexProgress, IndexReport, OnProgress, index_paths};
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
            "{spinner} indexing [{bar:40}] {pos}/{len} files, {per_sec}, eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
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
    let dir = resolve_index_dir(args.index.as_deref());
    let idx = CivIndex::open_or_create(&dir)?;
    let opts = IndexOptions {
        prune: args.prune,
        commit_every: args.commit_every,
        progress: (!args.quiet).then(progress_bar).flatten(),
        writer_heap: args.writer_memory.map_or(0, |m| m << 20),
        extract_threads: args.threads.unwrap_or(0),
        indexing_threads: args.writer_threads.unwrap_or(0),
    };
    let report = index_paths(&idx, &args.paths, &opts)?;
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
        "{} documents in {} ({:.1}s, {:.0} docs/s)",
        r.documents_in_index, r.index, r.elapsed_secs, r.docs_per_sec
    );
}
