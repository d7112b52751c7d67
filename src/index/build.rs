//! Indexing: walk, read, extract in parallel, upsert through the one writer,
//! commit in batches, report.
//!
//! Identity and re-indexing: each source file's bytes are hashed (with the
//! extractor version, so a better extractor re-indexes). A file whose hash is
//! already in the index is skipped before extraction. Before that, a file whose
//! size and modification time (its stamp) are those it had when indexed is
//! skipped without being read, so a second run over an unchanged folder only
//! lists it. A changed file replaces every document it produced before (delete
//! by source, then add).
//!
//! Ids and clashes (docs/identity.md): a document whose id is held by a
//! document of another source file that still exists is not indexed; both
//! paths go to the report's `clashes` and the run exits 3. `--prune` removes
//! only documents whose own file is gone.

use super::CivIndex;
use super::schema::SOURCE_COLUMN;
use crate::article::Article;
use crate::extract::{ExtractError, ExtractOptions, extract};
use crate::ingest::sidecar::{Sidecar, Sidecars};
use crate::ingest::{self, Content, Item, Meta, RawDoc, SourceFile};
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};
use tantivy::{IndexWriter, Term};

/// Bumped when extraction changes output, so existing documents are re-extracted.
pub const EXTRACTOR_VERSION: u32 = 2;

/// Largest page (or text) extracted: a bigger one is not an article (a dump,
/// a page of inline images) and would hold gigabytes while parsed.
pub const MAX_PAGE_BYTES: usize = ingest::MAX_PAGE_BYTES as usize;

/// Files handed to the extraction workers at a time. Bounds memory (pages and
/// articles in flight) while keeping both cores busy.
const CHUNK: usize = 512;

/// How far an indexing run has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexProgress {
    /// Files handed to the writer so far.
    pub files_done: u64,
    /// Files the walk found.
    pub files_total: u64,
    /// The last report of the run: everything is written.
    pub finished: bool,
}

/// A callback for [`IndexProgress`], called on the thread that runs the index.
#[derive(Clone)]
pub struct OnProgress(std::sync::Arc<dyn Fn(IndexProgress) + Send + Sync>);

impl OnProgress {
    /// Wrap a callback.
    pub fn new(f: impl Fn(IndexProgress) + Send + Sync + 'static) -> Self {
        OnProgress(std::sync::Arc::new(f))
    }

    fn report(&self, files_done: u64, files_total: u64, finished: bool) {
        (self.0)(IndexProgress {
            files_done,
            files_total,
            finished,
        })
    }
}

impl std::fmt::Debug for OnProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnProgress(..)")
    }
}

/// How indexing runs.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Remove documents whose source file under the given roots no longer exists.
    pub prune: bool,
    /// Commit after this many new or changed documents; a crash loses at most this many.
    pub commit_every: usize,
    /// Told how far the run has got, after each chunk of files (the CLI draws
    /// a progress bar with it); `None` for silence.
    pub progress: Option<OnProgress>,
    /// Indexing memory for the writer, in bytes, shared by its threads; 0
    /// means [`WRITER_HEAP_PER_THREAD`] for each writer thread.
    pub writer_heap: usize,
    /// Threads that read and extract pages; 0 means one per core.
    pub extract_threads: usize,
    /// Writer threads that tokenize and build segments, beside the extraction
    /// threads; 0 chooses from the number of cores.
    pub indexing_threads: usize,
    /// Publication dates less sure than this are left out (see
    /// [`ExtractOptions::min_date_confidence`]); a sidecar's date is kept.
    pub min_date_confidence: Option<f32>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            prune: false,
            // Each commit closes one segment per writer thread, and every
            // eight small segments cost a merge: commits of 20,000 documents
            // made 10% of the CPU time of a 100,000-page run go to merging.
            // 100,000 (about half a minute of work) makes segments of about
            // 50,000 documents that are never merged again.
            commit_every: 100_000,
            progress: None,
            writer_heap: 0,
            extract_threads: 0,
            indexing_threads: 0,
            min_date_confidence: None,
        }
    }
}

/// Writer threads for this machine: one for every two cores. The writer's
/// share of the work (tokenizing, postings, compression) is about a third of
/// the total, and one writer thread on 2 cores, given the cores first (see
/// [`EXTRACT_NICENESS`]), took 0.84-0.99 (median 0.89) of the wall time of two
/// writer threads at equal priority over 100,000 pages, in 5 alternating
/// rounds: two writers cost 5-22% more CPU (two term dictionaries, two arenas
/// in the cache) for nothing. Each thread fills its own segment.
fn default_indexing_threads(cores: usize) -> usize {
    (cores / 2).clamp(1, 8)
}

/// Writer memory for each writer thread unless told otherwise. A writer
/// thread closes its segment when its share is full, while extraction goes on:
/// with 128 MiB, each commit of 100,000 generated pages leaves one segment of
/// about 55,000 and one of about 45,000, both above the 25,000 from which
/// segments are not merged again (1M: 20 segments, peak RSS 590-608 MiB).
pub const WRITER_HEAP_PER_THREAD: usize = 128 << 20;

/// Nice levels by which the extraction threads run below the writer. When
/// both want a core, the writer, at the end of the pipe, goes first: its queue
/// stays short, so a segment it writes mid-run overlaps extraction instead of
/// stalling it behind a full queue. Extraction still gets every cycle the
/// writer leaves. Without this, a 100,000-page run spent several tenths of a
/// second at a time on one core while a segment was written.
pub const EXTRACT_NICENESS: i32 = 5;

/// The extraction threads, at [`EXTRACT_NICENESS`] below the caller.
fn extraction_pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("civsearch-extract-{i}"))
        .start_handler(|_| lower_thread_priority(EXTRACT_NICENESS))
        .build()
        .context("cannot start the extraction threads")
}

/// Lower the calling thread's priority by `levels` nice levels, best effort:
/// on Linux the nice value belongs to each thread. Raising it back would need
/// privileges; nothing here needs that.
#[cfg(target_os = "linux")]
fn lower_thread_priority(levels: i32) {
    // SAFETY: plain system calls on integers that change only the calling
    // thread's scheduling; errno is this thread's own.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        *libc::__errno_location() = 0;
        let current = libc::getpriority(libc::PRIO_PROCESS, tid);
        if current == -1 && *libc::__errno_location() != 0 {
            return;
        }
        libc::setpriority(libc::PRIO_PROCESS, tid, (current + levels).min(19));
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_thread_priority(_levels: i32) {}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// One input that could not be indexed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Failure {
    /// The file as the user would write it: the root as given joined with its relative path.
    pub path: String,
    /// Where in a file holding many documents: `record 3` (WARC), `line 7`
    /// (JSON lines, manifests), `item 2` (feeds), an archive entry name.
    /// `null` when the whole file failed.
    pub record: Option<String>,
    /// Why it failed, in words for a person (unreadable, not a page, no article text...).
    pub reason: String,
}

/// A document whose id is held by a document from another source file: the
/// first one is kept, this one is not indexed, and the run exits 3.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Clash {
    /// The document id both sources map to (the canonical URL, or the file's name).
    pub id: String,
    /// The source of the document that holds the id (`path#record` for a
    /// record in a container).
    pub kept: String,
    /// The source of the document that was not indexed.
    pub refused: String,
}

/// What a run did. Serialized as the `--report` JSON.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexReport {
    /// The index folder written to.
    pub index: String,
    /// Files the walk met, indexed or not (skipped and unreadable ones counted too).
    pub files_seen: usize,
    /// Documents whose id was not in the index before.
    pub added: usize,
    /// Documents that replaced one with the same id or from the same source file.
    pub updated: usize,
    /// Source files passed over because their stamp or content hash had not changed.
    pub unchanged: usize,
    /// Source files under the roots given that no longer exist: their documents deleted.
    pub pruned: usize,
    /// Skipped files and records by reason (unsupported type, duplicate URL,
    /// WARC request records, ...).
    pub skipped: BTreeMap<String, usize>,
    /// Files and records that could not be read or gave no article; the run goes on past them.
    pub failed: Vec<Failure>,
    /// Documents not indexed because their id is held by a document from
    /// another source file that still exists (see docs/identity.md).
    pub clashes: Vec<Clash>,
    /// Documents in the index after the run's last commit.
    pub documents_in_index: u64,
    /// Wall time of the run, in seconds.
    pub elapsed_secs: f64,
    /// Documents added or updated per second of wall time (0 when nothing was timed).
    pub docs_per_sec: f64,
}

impl IndexReport {
    /// True when the run left the index as it was.
    pub fn changed_nothing(&self) -> bool {
        self.added == 0 && self.updated == 0 && self.pruned == 0
    }
}

/// What a worker made of one file.
enum Prepared {
    Unchanged,
    Ready {
        hash: u64,
        stamp: u64,
        articles: Vec<Article>,
        /// Records of the file that could not be indexed (the others are).
        failures: Vec<Failure>,
        /// Records deliberately left out, by reason.
        skipped: Vec<String>,
    },
    Failed(Failure),
}

/// Fingerprint of a source file (with the extractor version and its sidecar):
/// a re-run skips a file whose fingerprint is in the index. xxh3, not a
/// cryptographic hash: files are not adversaries of their own index, a changed
/// file keeps its old fingerprint with probability 2^-64, and xxh3 costs a
/// fraction of blake3 (which took 3% of an indexing run's instructions).
fn content_hash(bytes: &[u8], sidecar: Option<&[u8]>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&EXTRACTOR_VERSION.to_le_bytes());
    h.update(bytes);
    if let Some(s) = sidecar {
        h.update(b"\0sidecar\0");
        h.update(s);
    }
    h.digest()
}

/// Modification times this close to the start of a run (or later) are not
/// trusted: a file written again within its file system's timestamp
/// granularity (a second, two on FAT) can keep the same time and size.
const RACY_WINDOW: Duration = Duration::from_secs(3);

/// Fingerprint of a file's size, modification time and inode (with the
/// extractor version and its sidecar), or 0, which never matches, when the
/// time is missing or too recent to be trusted ([`RACY_WINDOW`]). The same
/// quick check as make and rsync: an edit changes the time, and a file put
/// in another's place changes the inode. Reading and hashing every file of an
/// unchanged 100,000-page folder took 84% of a first run with a cold cache.
fn file_stamp(meta: &std::fs::Metadata, sidecar: Option<&[u8]>, trust_before: SystemTime) -> u64 {
    let Ok(modified) = meta.modified() else {
        return 0;
    };
    if modified >= trust_before {
        return 0;
    }
    let since_epoch = match modified.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    };
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(b"stamp\0");
    h.update(&EXTRACTOR_VERSION.to_le_bytes());
    h.update(&meta.len().to_le_bytes());
    h.update(&since_epoch.to_le_bytes());
    #[cfg(unix)]
    h.update(&std::os::unix::fs::MetadataExt::ino(meta).to_le_bytes());
    if let Some(s) = sidecar {
        h.update(b"\0sidecar\0");
        h.update(s);
    }
    // 0 is kept for "do not trust".
    h.digest().max(1)
}

/// What the index holds of a source file: its content hash and stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Known {
    hash: u64,
    stamp: u64,
}

/// What a run needs to tell whether a file changed.
struct Lookup<'a> {
    known: &'a HashMap<String, Known>,
    sidecars: &'a Sidecars,
    /// Modification times from here on are not trusted ([`RACY_WINDOW`]).
    trust_before: SystemTime,
}

/// Test hook: when `CIVSEARCH_TEST_PANIC_MARKER` is set, extracting a document
/// whose bytes contain its value panics, so tests can check that a panic costs
/// one document. Never set outside tests.
fn panic_marker() -> Option<&'static [u8]> {
    static MARKER: std::sync::OnceLock<Option<Vec<u8>>> = std::sync::OnceLock::new();
    MARKER
        .get_or_init(|| {
            std::env::var_os("CIVSEARCH_TEST_PANIC_MARKER")
                .map(|v| v.to_string_lossy().into_owned().into_bytes())
                .filter(|v| !v.is_empty())
        })
        .as_deref()
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Threads that read the files of the coming chunks while the current one is
/// extracted. Reading is waiting, not computing: with more reads in flight a
/// virtual disk delivers more (1,000 uncached pages here: 48 MB/s read one at
/// a time, 75 MB/s four at a time), and a million-page corpus does not fit in
/// the page cache, so without this both cores sat idle a fifth of the time.
const READ_AHEAD_THREADS: usize = 8;

/// Chunks read ahead of extraction, at most: more than one evens out a disk
/// whose speed comes and goes (a shared virtual disk) against steady
/// extraction. At most this many times [`READ_AHEAD_BYTES`] in memory.
const READ_AHEAD_CHUNKS: usize = 3;

/// Bytes of one chunk read ahead, at most: a folder of archives is read by
/// the extraction workers themselves, one file each.
const READ_AHEAD_BYTES: u64 = 64 << 20;

/// A file as looked at before extraction: its sidecar, its stamp, whether it
/// is unchanged since indexed, and its bytes when read ahead.
struct Looked {
    sidecar: Result<Option<Sidecar>, String>,
    stamp: u64,
    /// Same stamp as in the index: nothing was read.
    unchanged: bool,
    /// `None` when left for its worker to read (or unchanged).
    read: Option<std::io::Result<Vec<u8>>>,
}

/// Look at one file: sidecar and stamp, then (unless unchanged) its bytes
/// while `budget` lasts. The stamp is taken before the bytes are read, so an
/// edit made meanwhile changes the stamp the next run sees.
fn look(
    file: &SourceFile,
    lookup: &Lookup,
    budget: Option<&std::sync::atomic::AtomicU64>,
) -> Looked {
    use std::io::Read;
    use std::sync::atomic::Ordering;
    let sidecar = lookup.sidecars.for_file(&file.path);
    let meta = std::fs::metadata(&file.path);
    // No stamp (0, never trusted) without the file's metadata or with an
    // unreadable sidecar: the file is looked at again next time.
    let stamp = match (&meta, &sidecar) {
        (Ok(m), Ok(s)) => file_stamp(
            m,
            s.as_ref().map(|s| s.fingerprint.as_slice()),
            lookup.trust_before,
        ),
        _ => 0,
    };
    let mut looked = Looked {
        sidecar,
        stamp,
        unchanged: false,
        read: None,
    };
    if looked.stamp != 0
        && lookup
            .known
            .get(file.path.to_string_lossy().as_ref())
            .is_some_and(|k| k.stamp == looked.stamp)
    {
        looked.unchanged = true;
        return looked;
    }
    let Some(budget) = budget else {
        return looked;
    };
    let size = meta.as_ref().map_or(u64::MAX, |m| m.len());
    let granted = budget
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(size)
        })
        .is_ok();
    if granted {
        looked.read = Some(std::fs::File::open(&file.path).and_then(|mut f| {
            let mut bytes = Vec::with_capacity(size as usize + 1);
            f.read_to_end(&mut bytes).map(|_| bytes)
        }));
    }
    looked
}

/// Look at the files of `chunk` ([`look`]) on [`READ_AHEAD_THREADS`]
/// threads, in order, reading within [`READ_AHEAD_BYTES`].
fn read_ahead(chunk: &[SourceFile], lookup: &Lookup) -> Vec<Looked> {
    let budget = std::sync::atomic::AtomicU64::new(READ_AHEAD_BYTES);
    let mut out: Vec<Option<Looked>> = Vec::with_capacity(chunk.len());
    out.resize_with(chunk.len(), || None);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..READ_AHEAD_THREADS)
            .map(|t| {
                let budget = &budget;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .enumerate()
                        .skip(t)
                        .step_by(READ_AHEAD_THREADS)
                        .map(|(i, f)| (i, look(f, lookup, Some(budget))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            // A reader that panicked leaves its files to the workers.
            for (i, r) in h.join().unwrap_or_default() {
                out[i] = Some(r);
            }
        }
    });
    out.into_iter()
        .zip(chunk)
        .map(|(l, f)| l.unwrap_or_else(|| look(f, lookup, None)))
        .collect()
}

/// Read (unless read ahead), hash and split one file, and extract its
/// documents; never panics (a panic in extraction becomes that document's
/// failure).
fn prepare(
    file: &SourceFile,
    looked: Looked,
    known: &HashMap<String, Known>,
    min_date_confidence: Option<f32>,
) -> Prepared {
    if looked.unchanged {
        return Prepared::Unchanged;
    }
    let fail = |reason: String| {
        Prepared::Failed(Failure {
            path: file.display.clone(),
            record: None,
            reason,
        })
    };
    let mut failures = Vec::new();
    let sidecar = match looked.sidecar {
        Ok(s) => s,
        Err(reason) => {
            failures.push(Failure {
                path: file.display.clone(),
                record: None,
                reason: format!("{reason}; indexed without it"),
            });
            None
        }
    };
    let raw = match looked.read.unwrap_or_else(|| std::fs::read(&file.path)) {
        Ok(b) => b,
        Err(e) => return fail(e.to_string()),
    };
    let source = file.path.to_string_lossy();
    let hash = content_hash(&raw, sidecar.as_ref().map(|s| s.fingerprint.as_slice()));
    if known.get(source.as_ref()).map(|k| k.hash) == Some(hash) {
        return Prepared::Unchanged;
    }
    if raw.iter().all(u8::is_ascii_whitespace) {
        return fail("empty file".into());
    }
    let items = match ingest::split(raw, file.kind, file.gzipped, 0) {
        Ok(items) => items,
        Err(reason) => return fail(reason),
    };
    let many = items.len() > 1
        || items
            .iter()
            .any(|i| matches!(i, Item::Doc(d) if d.key.is_some()));
    let sidecar_meta = sidecar.map(|s| {
        if many {
            Meta {
                url: None,
                title: None,
                ..s.meta
            }
        } else {
            s.meta
        }
    });
    let mut skipped = Vec::new();
    let mut docs = Vec::new();
    for item in items {
        match item {
            Item::Doc(d) => docs.push(*d),
            Item::Failed { record, reason } => failures.push(Failure {
                path: file.display.clone(),
                record,
                reason,
            }),
            Item::Skipped(reason) => skipped.push(reason),
        }
    }
    let results: Vec<(Option<String>, Result<Article, String>)> = docs
        .into_par_iter()
        .map(|doc| {
            let record = doc.record.clone();
            let sidecar = sidecar_meta.as_ref();
            (record, finish(doc, file, sidecar, min_date_confidence))
        })
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    for (record, result) in results {
        match result {
            Ok(a) => articles.push(a),
            Err(reason) => failures.push(Failure {
                path: file.display.clone(),
                record,
                reason,
            }),
        }
    }
    if articles.is_empty()
        && skipped.is_empty()
        && failures.len() == 1
        && failures[0].record.is_none()
        && !many
    {
        // A single page that failed: the file's failure.
        return Prepared::Failed(failures.remove(0));
    }
    Prepared::Ready {
        hash,
        stamp: looked.stamp,
        articles,
        failures,
        skipped,
    }
}

/// One document to an article: extract (guarded), then lay the given fields
/// over what extraction found: the record's own (JSON line, feed item), then
/// the sidecar, then file-level defaults (a feed's title as outlet).
fn finish(
    doc: RawDoc,
    file: &SourceFile,
    sidecar: Option<&Meta>,
    min_date_confidence: Option<f32>,
) -> Result<Article, String> {
    let url_hint = doc
        .url_hint
        .clone()
        .or_else(|| sidecar.and_then(|s| s.url.clone()));
    let size = match &doc.content {
        Content::Page { bytes, .. } => bytes.len(),
        Content::Text(t) => t.len(),
    };
    if size > MAX_PAGE_BYTES {
        return Err(format!(
            "page too large: {} MiB (the limit is {} MiB)",
            size >> 20,
            MAX_PAGE_BYTES >> 20
        ));
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if let Some(marker) = panic_marker() {
            let bytes = match &doc.content {
                Content::Page { bytes, .. } => bytes.as_slice(),
                Content::Text(t) => t.as_bytes(),
            };
            if bytes.windows(marker.len()).any(|w| w == marker) {
                panic!("test panic marker found");
            }
        }
        match &doc.content {
            Content::Page {
                bytes,
                format,
                charset,
            } => {
                let opts = ExtractOptions {
                    url: url_hint.clone(),
                    format: *format,
                    charset: charset.clone(),
                    min_date_confidence,
                    ..Default::default()
                };
                extract(bytes, &opts).map_err(|e| e.to_string())
            }
            Content::Text(body) => Ok(Article {
                body: body.trim().to_string(),
                ..Default::default()
            }),
        }
    }));
    let mut article = match result {
        Ok(Ok(a)) => a,
        Ok(Err(e)) if matches!(doc.content, Content::Page { .. }) && doc.meta.title.is_some() => {
            // A feed item or JSON line with a title but a page that gave nothing.
            let _ = e;
            Article::default()
        }
        Ok(Err(e)) => return Err(e),
        Err(panic) => return Err(format!("extractor panicked: {}", panic_message(&*panic))),
    };
    let empty = Meta::default();
    let sidecar = sidecar.unwrap_or(&empty);
    let given = doc.meta.clone().or(sidecar).or(&doc.defaults);
    // The page's own address, when known from outside it.
    let address = url_hint.clone().or_else(|| given.url.clone());
    if let Some(u) = given.url {
        article.url = Some(u);
    }
    if let Some(t) = given.title {
        article.title = t;
    }
    if let Some(o) = given.outlet {
        article.outlet = Some(o);
    }
    if let Some(a) = given.author {
        article.author = Some(a);
    }
    if let Some(d) = given.date {
        article.date = Some(d);
        article.date_confidence = Some(1.0);
        article.date_source = Some(
            if doc.meta.date.is_some() {
                doc.date_source.unwrap_or("given")
            } else if sidecar.date.is_some() {
                "sidecar"
            } else {
                "given"
            }
            .to_string(),
        );
    }
    // A page whose extraction found no body is reported, not indexed empty:
    // an empty document is counted in `stats` yet can never be found by its
    // text. Feed items and JSON lines that give their own title stand as
    // title-only records.
    let titled_by_source = doc.meta.title.is_some() || matches!(doc.content, Content::Text(_));
    if article.body.trim().is_empty() && (article.title.trim().is_empty() || !titled_by_source) {
        return Err(ExtractError::NoText.to_string());
    }
    let path = match &doc.key {
        Some(k) => format!("{}#{k}", file.rel),
        None => file.rel.clone(),
    };
    article.path = Some(path.clone());
    // Given fields (sidecar, JSON line, feed item) are cleaned like extracted ones.
    article.sanitize();
    // A file name may hold control characters too.
    article.id = id_url(article.url.as_deref(), address.as_deref())
        .unwrap_or_else(|| crate::hygiene::strip_controls(&path).into_owned());
    Ok(article)
}

/// The URL that may be an article's id: its `url` when that is an absolute
/// http(s) URL and, when the page's own address is known (WARC record, feed
/// item, sidecar), on the same site as that address. A page that names another
/// site's article as its canonical would otherwise take that article's id.
fn id_url(url: Option<&str>, address: Option<&str>) -> Option<String> {
    let url = url.filter(|u| crate::hygiene::is_web_url(u))?;
    match address {
        Some(a) if !crate::hygiene::same_site(url, a) => None,
        _ => Some(url.to_string()),
    }
}

/// Source path -> content hash and stamp of every document in the index.
fn known_sources(idx: &CivIndex) -> Result<HashMap<String, Known>> {
    let searcher = idx.searcher()?;
    let mut known = HashMap::new();
    for segment in searcher.segment_readers() {
        let columns = segment.fast_fields();
        let sources = columns
            .str(SOURCE_COLUMN)?
            .context("index lacks the source column")?;
        let hashes = columns.u64("hash")?;
        let stamps = columns.u64("stamp")?;
        // The dictionary once, in ordinal order: looking up each document's
        // ordinal on its own decodes a dictionary block per document.
        let dict = sources.dictionary();
        let mut terms: Vec<Option<String>> = Vec::with_capacity(dict.num_terms());
        let mut stream = dict.stream()?;
        while stream.advance() {
            terms.push(std::str::from_utf8(stream.key()).ok().map(str::to_string));
        }
        for doc in segment.doc_ids_alive() {
            let Some(ord) = sources.term_ords(doc).next() else {
                continue;
            };
            let Some(Some(source)) = terms.get(ord as usize) else {
                continue;
            };
            let Some(hash) = hashes.first(doc) else {
                continue;
            };
            let k = Known {
                hash,
                stamp: stamps.first(doc).unwrap_or(0),
            };
            match known.get_mut(source.as_str()) {
                Some(h) => *h = k,
                None => {
                    known.insert(source.clone(), k);
                }
            }
        }
    }
    Ok(known)
}

/// Index files and folders into `idx`.
pub fn index_paths(idx: &CivIndex, roots: &[PathBuf], opts: &IndexOptions) -> Result<IndexReport> {
    let start = Instant::now();
    let run_started = SystemTime::now();
    let mut report = IndexReport {
        index: idx.dir.display().to_string(),
        ..Default::default()
    };
    let walk = ingest::walk(roots);
    for s in &walk.skipped {
        *report.skipped.entry(s.reason.clone()).or_default() += 1;
    }
    for e in &walk.errors {
        report.failed.push(Failure {
            path: e.path.display().to_string(),
            record: None,
            reason: e.reason.clone(),
        });
    }
    let (sidecars, problems) = Sidecars::load(&walk.metadata_files);
    for p in problems {
        report.failed.push(Failure {
            path: p.path.display().to_string(),
            record: p.record,
            reason: p.reason,
        });
    }
    report.files_seen = walk.files.len() + walk.skipped.len() + walk.errors.len();

    let known = known_sources(idx)?;
    let searcher = idx.searcher()?;
    let extract_threads = match opts.extract_threads {
        0 => cores(),
        n => n,
    };
    let indexing_threads = match opts.indexing_threads {
        0 => default_indexing_threads(extract_threads),
        n => n,
    };
    let pool = extraction_pool(extract_threads)?;
    let writer_heap = match opts.writer_heap {
        0 => WRITER_HEAP_PER_THREAD * indexing_threads,
        n => n,
    };
    let writer = idx.writer(writer_heap, indexing_threads)?;
    let files_total = walk.files.len() as u64;
    let mut files_done = 0u64;
    let progress = |done: u64, finished: bool| {
        if let Some(p) = &opts.progress {
            p.report(done, files_total, finished);
        }
    };
    progress(0, false);

    let mut batch = Batch {
        idx,
        writer,
        searcher: &searcher,
        known: &known,
        since_commit: 0,
        commit_every: opts.commit_every.max(1),
        ids_this_run: HashMap::new(),
        files: &walk.files,
        replaced: HashSet::new(),
    };
    // Only a pruning run needs the set of sources seen.
    let mut seen_sources: HashSet<String> = HashSet::new();
    // Extraction of the next chunk (rayon, all cores) overlaps with handing the
    // current one to the writer; the channel holds one chunk, so at most three
    // chunks of articles are in memory. Results are applied in walk order, so
    // which of two documents with one URL wins does not depend on timing.
    // Reading runs up to READ_AHEAD_CHUNKS chunks ahead of extraction.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Prepared>>(1);
    let (read_tx, read_rx) = std::sync::mpsc::sync_channel::<Vec<Looked>>(READ_AHEAD_CHUNKS - 1);
    let files = &walk.files;
    let lookup = Lookup {
        known: &known,
        sidecars: &sidecars,
        trust_before: run_started
            .checked_sub(RACY_WINDOW)
            .unwrap_or(SystemTime::UNIX_EPOCH),
    };
    let (known_ref, lookup_ref) = (&known, &lookup);
    let min_date_confidence = opts.min_date_confidence;
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            for chunk in files.chunks(CHUNK) {
                if read_tx.send(read_ahead(chunk, lookup_ref)).is_err() {
                    break; // extraction stopped
                }
            }
        });
        scope.spawn(move || {
            for (chunk, reads) in files.chunks(CHUNK).zip(read_rx) {
                let prepared: Vec<Prepared> = pool.install(|| {
                    chunk
                        .par_iter()
                        .zip(reads)
                        .map(|(f, looked)| prepare(f, looked, known_ref, min_date_confidence))
                        .collect()
                });
                if tx.send(prepared).is_err() {
                    break; // the writer side stopped on an error
                }
            }
        });
        for (n, (chunk, prepared)) in files.chunks(CHUNK).zip(rx).enumerate() {
            for (i, (file, p)) in chunk.iter().zip(prepared).enumerate() {
                if opts.prune {
                    seen_sources.insert(file.path.to_string_lossy().into_owned());
                }
                batch.apply(n * CHUNK + i, p, &mut report)?;
            }
            files_done += chunk.len() as u64;
            progress(files_done, false);
        }
        Ok(())
    })?;
    if opts.prune {
        report.pruned = batch.prune(roots, &seen_sources)?;
    }
    progress(files_done, true);
    let mut writer = batch.writer;
    if !report.changed_nothing() {
        writer.commit().with_context(|| commit_error(&idx.dir))?;
    }
    writer
        .wait_merging_threads()
        .context("index merge failed")?;
    report.documents_in_index = idx.searcher()?.num_docs();
    report.elapsed_secs = start.elapsed().as_secs_f64();
    let processed = (report.added + report.updated) as f64;
    report.docs_per_sec = if report.elapsed_secs > 0.0 {
        processed / report.elapsed_secs
    } else {
        0.0
    };
    Ok(report)
}

/// The writer side of a run: upserts, batch commits, duplicate-URL tracking.
struct Batch<'a> {
    idx: &'a CivIndex,
    writer: IndexWriter,
    searcher: &'a tantivy::Searcher,
    known: &'a HashMap<String, Known>,
    since_commit: usize,
    commit_every: usize,
    /// Document ids written in this run (by a 128-bit hash of the id, to keep
    /// a million-document run small), with the file that gave them: its index
    /// in the walk, and the record key within it.
    ids_this_run: HashMap<u128, (u32, Option<Box<str>>)>,
    files: &'a [SourceFile],
    /// Sources re-indexed in this run: their documents from before are deleted.
    replaced: HashSet<String>,
}

/// `path#record`, or the path of a single-page file.
fn with_record(path: &str, record: Option<&str>) -> String {
    match record {
        Some(key) => format!("{path}#{key}"),
        None => path.to_string(),
    }
}

impl Batch<'_> {
    fn apply(&mut self, file_no: usize, p: Prepared, report: &mut IndexReport) -> Result<()> {
        let file = &self.files[file_no];
        match p {
            Prepared::Unchanged => report.unchanged += 1,
            Prepared::Failed(f) => report.failed.push(f),
            Prepared::Ready {
                hash,
                stamp,
                articles,
                failures,
                skipped,
            } => {
                report.failed.extend(failures);
                for reason in skipped {
                    *report.skipped.entry(reason).or_default() += 1;
                }
                let source = file.path.to_string_lossy().into_owned();
                let f = &self.idx.fields;
                let replacing_source = self.known.contains_key(&source);
                if replacing_source {
                    self.writer
                        .delete_term(Term::from_field_text(f.source, &source));
                    self.replaced.insert(source.clone());
                }
                for article in articles {
                    // The id's key, computed once: the set of ids of this run
                    // holds it as a number, the index as a term.
                    let id_key = super::schema::id_key(&article.id);
                    let id_hash = u128::from_le_bytes(id_key);
                    let key: Option<Box<str>> = article
                        .path
                        .as_deref()
                        .and_then(|p| p.split_once('#'))
                        .map(|(_, key)| key.into());
                    if let Some((first_file, first_key)) = self.ids_this_run.get(&id_hash) {
                        let first = &self.files[*first_file as usize].display;
                        let first = with_record(first, first_key.as_deref());
                        if *first_file as usize == file_no {
                            // Two records of one file (a WARC's two captures
                            // of one address): the file's own duplicate.
                            *report
                                .skipped
                                .entry(format!("same URL as an earlier document ({first})"))
                                .or_default() += 1;
                        } else {
                            report.clashes.push(Clash {
                                id: article.id.clone(),
                                kept: first,
                                refused: with_record(&file.display, key.as_deref()),
                            });
                        }
                        continue;
                    }
                    let id_term = f.id_key_term(&id_key);
                    let held = self.searcher.doc_freq(&id_term)? > 0;
                    if held && let Some(holder) = self.live_holder(&id_term, &source)? {
                        report.clashes.push(Clash {
                            id: article.id.clone(),
                            kept: holder,
                            refused: with_record(&file.display, key.as_deref()),
                        });
                        continue;
                    }
                    let existed = replacing_source || held;
                    // A new id needs no delete: it is neither in the index nor
                    // written before in this run (that was skipped above). Every
                    // delete costs a term lookup in each segment at commit.
                    if existed {
                        self.writer.delete_term(id_term);
                    }
                    self.ids_this_run.insert(id_hash, (file_no as u32, key));
                    self.writer
                        .add_document(self.idx.document(&article, &id_key, &source, hash, stamp))
                        .with_context(|| commit_error(&self.idx.dir))?;
                    if existed {
                        report.updated += 1;
                    } else {
                        report.added += 1;
                    }
                    self.since_commit += 1;
                }
                // Commit only between sources: all documents of one file go in
                // one commit, so a crash never leaves a file half indexed under
                // its full hash (which a re-run would take as unchanged).
                if self.since_commit >= self.commit_every {
                    self.writer
                        .commit()
                        .with_context(|| commit_error(&self.idx.dir))?;
                    self.since_commit = 0;
                }
            }
        }
        Ok(())
    }

    /// The source of a document that holds `id_term` and keeps it: one from
    /// another source file that still exists and is not being re-indexed in
    /// this run. A holder whose file is gone was moved or deleted (a tree
    /// moved as a whole keeps its ids), so its document may be replaced.
    fn live_holder(&self, id_term: &Term, source: &str) -> Result<Option<String>> {
        use tantivy::{DocSet, TERMINATED};
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(self.idx.fields.id_key)?;
            let Some(mut postings) =
                inverted.read_postings(id_term, tantivy::schema::IndexRecordOption::Basic)?
            else {
                continue;
            };
            let sources = segment
                .fast_fields()
                .str(SOURCE_COLUMN)?
                .context("index lacks the source column")?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let ord = sources.term_ords(doc).next();
                if let (false, Some(ord)) = (segment.is_deleted(doc), ord) {
                    let mut holder = String::new();
                    sources.ord_to_str(ord, &mut holder)?;
                    if holder != source
                        && !self.replaced.contains(&holder)
                        && std::path::Path::new(&holder).exists()
                    {
                        return Ok(Some(holder));
                    }
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    /// Delete the documents of sources under `roots` whose file is gone. A
    /// file merely not seen (now of a skipped kind, or unreadable) keeps its
    /// documents: only its own disappearance removes them.
    fn prune(&mut self, roots: &[PathBuf], seen: &HashSet<String>) -> Result<usize> {
        let abs_roots: Vec<PathBuf> = roots
            .iter()
            .map(|r| std::path::absolute(r).unwrap_or_else(|_| r.clone()))
            .collect();
        let mut pruned = 0;
        for source in self.known.keys() {
            let under_root = abs_roots
                .iter()
                .any(|r| std::path::Path::new(source).starts_with(r));
            if under_root && !seen.contains(source) && !std::path::Path::new(source).exists() {
                self.writer
                    .delete_term(Term::from_field_text(self.idx.fields.source, source));
                pruned += 1;
            }
        }
        Ok(pruned)
    }
}

/// The error of a failed commit: the documents since the last commit are not
/// in the index; what was committed before is.
fn commit_error(dir: &std::path::Path) -> String {
    format!(
        "cannot commit to the index at {} (disk full or not writable?); documents committed before are intact, run again to finish",
        dir.display()
    )
}

/// A rate for people: "96,495/s" (whole units with thousands separators; the
/// decimals indicatif prints are noise at these rates).
pub fn per_second(rate: f64) -> String {
    format!("{}/s", thousands(rate.max(0.0).round() as u64))
}

/// 1234567 -> "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl CivIndex {
    /// Add (or replace, by id) articles built in code, and commit. Articles
    /// without an id get their URL, else their title, as id.
    pub fn add_articles(&self, articles: &[Article]) -> Result<usize> {
        let mut writer = self.writer(64 << 20, 1)?;
        for a in articles {
            let mut a = a.clone();
            if a.id.is_empty() {
                a.id = a.url.clone().unwrap_or_else(|| a.title.clone());
            }
            let source = format!("memory:{}", a.id);
            writer.delete_term(self.fields.id_term(&a.id));
            writer.add_document(self.to_document(&a, &source, 0))?;
        }
        writer.commit().with_context(|| commit_error(&self.dir))?;
        writer.wait_merging_threads()?;
        Ok(articles.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_whole_numbers_with_thousands_separators() {
        assert_eq!(per_second(96_495.338_7), "96,495/s");
        assert_eq!(per_second(0.4), "0/s");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn writer_threads_are_half_the_cores() {
        assert_eq!(default_indexing_threads(1), 1);
        assert_eq!(default_indexing_threads(2), 1);
        assert_eq!(default_indexing_threads(8), 4);
        assert_eq!(default_indexing_threads(64), 8);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn extraction_threads_run_below_the_caller() {
        let nice = || unsafe {
            libc::getpriority(
                libc::PRIO_PROCESS,
                libc::syscall(libc::SYS_gettid) as libc::id_t,
            )
        };
        let caller = nice();
        let pool = extraction_pool(2).unwrap();
        let inside = pool.install(|| rayon::broadcast(|_| nice()));
        let want = (caller + EXTRACT_NICENESS).min(19);
        assert_eq!(inside, vec![want, want]);
        // The caller (the writer's side) keeps its priority.
        assert_eq!(nice(), caller);
    }
}
