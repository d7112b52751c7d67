//! The on-disk index: opening and creating it, turning articles into documents and
//! back, and writing with upserts ([`build`]).

pub mod build;
pub mod schema;
pub mod stats;
mod stored;
pub mod tokenizer;

use crate::article::Article;
use anyhow::{Context, Result, bail};
use chrono::{NaiveDate, NaiveTime};
use schema::{Fields, SCHEMA_VERSION, TOKENIZER};
use std::path::{Path, PathBuf};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{
    DateTime, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyDocument,
};

/// File beside tantivy's own that records which civsearch schema wrote the index.
const VERSION_FILE: &str = "civsearch.json";
/// Segments with more documents than this are not merged further. A merge
/// reads its segments through memory maps, which count as the process's
/// memory: tantivy's default (no limit) ended a 1,000,000-page run with one
/// merge of most of the index and a peak RSS of 2 GB, and merges of eight
/// segments of 20,000 documents took it to 1.07 GB. The segments of a commit
/// (45,000-55,000 generated pages each by default) stay as they are;
/// small ones (a small commit, a full writer heap) are merged in eights.
/// Queries search the segments on every core.
const MAX_DOCS_BEFORE_MERGE: usize = 25_000;

/// Indexes with at least this many documents (when opened) are searched on
/// every core; see [`CivIndex::open`].
const PARALLEL_SEARCH_MIN_DOCS: u64 = 250_000;

/// File where the process holding the writer lock leaves its id.
const WRITER_PID_FILE: &str = "civsearch.writer.pid";

/// Where the index lives: `--index DIR`, else `$CIVSEARCH_INDEX`, else `./index`.
pub fn resolve_index_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(p) = flag {
        return p.to_path_buf();
    }
    match std::env::var_os("CIVSEARCH_INDEX") {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => PathBuf::from("index"),
    }
}

/// An open civsearch index.
#[derive(Clone)]
pub struct CivIndex {
    /// The underlying tantivy index, for calls this type does not wrap.
    pub index: Index,
    /// The schema's field handles.
    pub fields: Fields,
    /// The index folder, as the caller gave it when opening.
    pub dir: PathBuf,
    reader: IndexReader,
    /// The reader follows commits by itself (a watcher thread), so
    /// [`CivIndex::searcher`] need not reload: see [`CivIndex::open_watched`].
    watched: bool,
}

impl CivIndex {
    /// Open an existing index; the error says how to create one when there is none.
    pub fn open(dir: &Path) -> Result<CivIndex> {
        if !dir.join("meta.json").exists() {
            bail!(
                "no index in the folder {:?}: create one with `civsearch index PATH --index {}`",
                dir.display().to_string(),
                dir.display()
            );
        }
        check_version(dir)?;
        let index = Index::open_in_dir(dir)
            .with_context(|| format!("cannot open the index at {}", dir.display()))?;
        Self::wrap(index, dir, ReloadPolicy::Manual)
    }

    /// Open an existing index for a long-running reader (the HTTP server): a
    /// watcher thread reloads the reader shortly after each commit, so
    /// [`CivIndex::searcher`] hands out the current searcher without touching
    /// the disk and searches still see new commits without a restart.
    pub fn open_watched(dir: &Path) -> Result<CivIndex> {
        let manual = Self::open(dir)?;
        Self::wrap(manual.index, dir, ReloadPolicy::OnCommitWithDelay)
    }

    /// Open the index in `dir`, creating the folder and an empty index when missing.
    pub fn open_or_create(dir: &Path) -> Result<CivIndex> {
        if dir.join("meta.json").exists() {
            return Self::open(dir);
        }
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the index folder {}", dir.display()))?;
        // zstd level 1: the stored text compresses nearly as well as at the
        // default level 3 and about twice as fast (the document store was 7% of
        // indexing CPU at level 3).
        let settings = IndexSettings {
            docstore_compression: Compressor::Zstd(ZstdCompressor {
                compression_level: Some(1),
            }),
            ..Default::default()
        };
        let index = Index::builder()
            .schema(schema::build_schema())
            .settings(settings)
            .create_in_dir(dir)
            .with_context(|| format!("cannot create an index in {}", dir.display()))?;
        std::fs::write(
            dir.join(VERSION_FILE),
            format!("{{\"schema_version\": {SCHEMA_VERSION}}}\n"),
        )
        .with_context(|| format!("cannot write to {}", dir.display()))?;
        Self::wrap(index, dir, ReloadPolicy::Manual)
    }

    fn wrap(mut index: Index, dir: &Path, policy: ReloadPolicy) -> Result<CivIndex> {
        // Tokenizers are not saved with the index: register them on every open.
        index.tokenizers().register(TOKENIZER, schema::analyzer());
        // Searches of a large index visit its segments on every core: a
        // million pages make a score of segments, and one query then uses both
        // cores of a laptop instead of one. Below that, handing segments to a
        // pool costs more than it saves (100,000 pages: phrase + range 290 us
        // on this thread, 341 us with the pool), and search stays here.
        let docs: u64 = index
            .searchable_segment_metas()
            .map(|metas| metas.iter().map(|m| u64::from(m.num_docs())).sum())
            .unwrap_or(0);
        if docs >= PARALLEL_SEARCH_MIN_DOCS {
            let _ = index.set_default_multithread_executor();
        }
        let fields = Fields::from_schema(&index.schema())
            .context("the index was not written by civsearch")?;
        let reader = index
            .reader_builder()
            .reload_policy(policy)
            .try_into()
            .context("cannot read the index")?;
        Ok(CivIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
            reader,
            watched: matches!(policy, ReloadPolicy::OnCommitWithDelay),
        })
    }

    /// A searcher on the latest commit (reloads the reader first, so a long-lived
    /// `CivIndex` sees what other processes committed; an index opened with
    /// [`CivIndex::open_watched`] is kept current by its watcher instead).
    pub fn searcher(&self) -> Result<tantivy::Searcher> {
        if !self.watched {
            self.reader.reload().context("cannot reload the index")?;
        }
        Ok(self.reader.searcher())
    }

    /// The searcher the reader holds now, without reloading: for a process that
    /// has just opened the index (`civsearch query`), whose reader already is on
    /// the latest commit, so reading `meta.json` and reopening every segment
    /// again would be wasted.
    pub fn current_searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Take the single writer. A second writer gets an error naming the process
    /// that holds the index.
    pub fn writer(&self, heap_bytes: usize, threads: usize) -> Result<IndexWriter> {
        match self
            .index
            .writer_with_num_threads::<TantivyDocument>(threads, heap_bytes)
        {
            Ok(w) => {
                let mut merges = tantivy::indexer::LogMergePolicy::default();
                merges.set_max_docs_before_merge(MAX_DOCS_BEFORE_MERGE);
                w.set_merge_policy(Box::new(merges));
                let _ = std::fs::write(
                    self.dir.join(WRITER_PID_FILE),
                    std::process::id().to_string(),
                );
                Ok(w)
            }
            Err(tantivy::TantivyError::LockFailure(..)) => {
                let pid =
                    std::fs::read_to_string(self.dir.join(WRITER_PID_FILE)).unwrap_or_default();
                let who = if pid.trim().is_empty() {
                    "another process".to_string()
                } else {
                    format!("process {}", pid.trim())
                };
                bail!(
                    "index {} is being written by {who}; wait for it to finish",
                    self.dir.display()
                )
            }
            Err(e) => Err(e).context("cannot open the index for writing"),
        }
    }

    /// Build the tantivy document for an article.
    pub fn to_document(&self, a: &Article, source: &str, hash: u64) -> TantivyDocument {
        self.document(a, &schema::id_key(&a.id), source, hash, 0)
    }

    /// [`CivIndex::to_document`] with the id's key already computed.
    pub(crate) fn document(
        &self,
        a: &Article,
        id_key: &[u8; 16],
        source: &str,
        hash: u64,
        stamp: u64,
    ) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &a.id);
        doc.add_bytes(f.id_key, id_key);
        doc.add_text(f.source, source);
        doc.add_u64(f.hash, hash);
        doc.add_u64(f.stamp, stamp);
        if let Some(p) = &a.path {
            doc.add_text(f.path, p);
        }
        if let Some(u) = &a.url {
            doc.add_text(f.url, u);
        }
        doc.add_text(f.title, &a.title);
        doc.add_text(f.body, &a.body);
        if let Some(o) = &a.outlet {
            doc.add_text(f.outlet, o);
            doc.add_text(f.outlet_exact, o);
        }
        if let Some(au) = &a.author {
            doc.add_text(f.author, au);
        }
        match a.date {
            Some(d) => {
                doc.add_date(f.date, day_to_datetime(d));
                doc.add_u64(f.undated, 0);
            }
            None => doc.add_u64(f.undated, 1),
        }
        if let Some(s) = &a.date_source {
            doc.add_text(f.date_source, s);
        }
        if let Some(l) = &a.language {
            doc.add_text(f.language, l);
        }
        add_links(&mut doc, f, &a.links);
        doc
    }

    /// The stored article at a document address.
    pub fn article_at(
        &self,
        searcher: &tantivy::Searcher,
        addr: tantivy::DocAddress,
    ) -> Result<Article> {
        let stored: stored::StoredFields = searcher.doc(addr)?;
        Ok(stored.into_article(&self.fields))
    }

    /// The stored article with this id, if any.
    pub fn article(&self, id: &str) -> Result<Option<Article>> {
        let searcher = self.searcher()?;
        let query = tantivy::query::TermQuery::new(
            self.fields.id_term(id),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let top = searcher.search(
            &query,
            &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
        )?;
        match top.first() {
            Some((_, addr)) => Ok(Some(self.article_at(&searcher, *addr)?)),
            None => Ok(None),
        }
    }
}

/// The stored links of an article and the `link` terms of their hosts, each
/// domain once per document.
fn add_links(doc: &mut TantivyDocument, f: &Fields, links: &[crate::article::Link]) {
    let mut domains: Vec<String> = Vec::new();
    for link in links {
        doc.add_text(f.links, schema::stored_link(link));
        let Some(host) = schema::url_host(&link.url) else {
            continue;
        };
        let host = host.to_ascii_lowercase();
        for d in schema::link_domains(&host) {
            if !domains.iter().any(|seen| seen == d) {
                domains.push(d.to_string());
            }
        }
    }
    for d in &domains {
        doc.add_text(f.link, d);
    }
}

fn check_version(dir: &Path) -> Result<()> {
    let raw = std::fs::read_to_string(dir.join(VERSION_FILE)).unwrap_or_default();
    let version = serde_json::from_str::<serde_json::Value>(&raw)
        .ok()
        .and_then(|v| v.get("schema_version")?.as_u64());
    match version {
        Some(v) if v == SCHEMA_VERSION as u64 => Ok(()),
        Some(v) => bail!(
            "the index at {} was written by another civsearch version (schema {v}, this one reads {SCHEMA_VERSION}); delete it and index again",
            dir.display()
        ),
        None => bail!(
            "{} holds an index that civsearch did not write",
            dir.display()
        ),
    }
}

/// A publication day as stored: midnight UTC of that day.
pub fn day_to_datetime(d: NaiveDate) -> DateTime {
    DateTime::from_timestamp_secs(d.and_time(NaiveTime::MIN).and_utc().timestamp())
}

/// The publication day of a stored date.
pub fn datetime_to_day(dt: DateTime) -> NaiveDate {
    chrono::DateTime::from_timestamp(dt.into_timestamp_secs(), 0)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}
