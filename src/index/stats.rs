//! What an index holds: counts, date span, outlets, size on disk.

use super::schema::{DATE_COLUMN, OUTLET_COLUMN};
use super::{CivIndex, datetime_to_day};
use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Summary of an index.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// The index folder, as it was opened.
    pub index: String,
    /// Live documents (deleted ones not counted).
    pub documents: u64,
    /// Documents without a publication date (never given one by guess).
    pub undated: u64,
    /// The earliest publication day; `None` when every document is undated.
    pub first_date: Option<NaiveDate>,
    /// The latest publication day; `None` when every document is undated.
    pub last_date: Option<NaiveDate>,
    /// Articles per outlet, most first.
    pub outlets: Vec<(String, u64)>,
    /// Bytes of all files in the index folder (deleted documents count until a merge).
    pub size_bytes: u64,
    /// Searchable segments; many small ones slow searches until tantivy merges them.
    pub segments: usize,
}

/// Compute the summary from fast fields (no stored document is read).
pub fn stats(idx: &CivIndex) -> Result<IndexStats> {
    let searcher = idx.searcher()?;
    let mut undated = 0u64;
    let mut first: Option<i64> = None;
    let mut last: Option<i64> = None;
    let mut outlets: BTreeMap<String, u64> = BTreeMap::new();
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let dates = ff.date(DATE_COLUMN)?;
        let names = ff.str(OUTLET_COLUMN)?;
        let mut per_ord: Vec<u64> = names
            .as_ref()
            .map_or_else(Vec::new, |n| vec![0; n.num_terms()]);
        for doc in seg.doc_ids_alive() {
            match dates.first(doc) {
                Some(dt) => {
                    let secs = dt.into_timestamp_secs();
                    first = Some(first.map_or(secs, |f| f.min(secs)));
                    last = Some(last.map_or(secs, |l| l.max(secs)));
                }
                None => undated += 1,
            }
            if let Some(n) = &names
                && let Some(ord) = n.term_ords(doc).next()
            {
                per_ord[ord as usize] += 1;
            }
        }
        if let Some(n) = &names {
            let mut buf = String::new();
            for (ord, count) in per_ord.into_iter().enumerate() {
                if count > 0 {
                    buf.clear();
                    n.ord_to_str(ord as u64, &mut buf)?;
                    *outlets.entry(buf.clone()).or_default() += count;
                }
            }
        }
    }
    let mut outlets: Vec<(String, u64)> = outlets.into_iter().collect();
    outlets.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let to_day = |s: i64| datetime_to_day(tantivy::DateTime::from_timestamp_secs(s));
    Ok(IndexStats {
        index: idx.dir.display().to_string(),
        documents: searcher.num_docs(),
        undated,
        first_date: first.map(to_day),
        last_date: last.map(to_day),
        outlets,
        size_bytes: dir_size(&idx.dir),
        segments: searcher.segment_readers().len(),
    })
}

fn dir_size(dir: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
