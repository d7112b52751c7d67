//! Counts of matching articles by outlet and by year, from fast columns.

use super::collect::matching_docs;
use super::request::{FacetCount, Facets};
use crate::index::datetime_to_day;
use crate::index::schema::{DATE_COLUMN, OUTLET_COLUMN};
use anyhow::Result;
use tantivy::query::Query;
use tantivy::{DocAddress, Searcher};

/// Facets of every document `query` matches, when `wanted`.
pub(crate) fn facets_of_matches(
    searcher: &Searcher,
    query: &dyn Query,
    wanted: bool,
) -> Result<Option<Facets>> {
    if !wanted {
        return Ok(None);
    }
    Ok(Some(facets_of(searcher, matching_docs(searcher, query)?)?))
}

/// Outlet and year counts of the given documents, from fast fields.
pub fn facets_of(
    searcher: &Searcher,
    docs: impl IntoIterator<Item = DocAddress>,
) -> Result<Facets> {
    use std::collections::HashMap;
    let segs = searcher.segment_readers();
    let mut dates = Vec::with_capacity(segs.len());
    let mut outlets = Vec::with_capacity(segs.len());
    for s in segs {
        let ff = s.fast_fields();
        dates.push(ff.date(DATE_COLUMN)?);
        outlets.push(ff.str(OUTLET_COLUMN)?);
    }
    let mut by_ord: HashMap<(u32, u64), u64> = HashMap::new();
    let mut years: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    let mut undated = 0u64;
    for a in docs {
        let seg = a.segment_ord as usize;
        // Articles without an outlet have no value to narrow to, so no entry.
        if let Some(ord) = outlets[seg]
            .as_ref()
            .and_then(|c| c.term_ords(a.doc_id).next())
        {
            *by_ord.entry((a.segment_ord, ord)).or_default() += 1;
        }
        match dates[seg].first(a.doc_id) {
            Some(d) => {
                *years
                    .entry(datetime_to_day(d).format("%Y").to_string())
                    .or_default() += 1
            }
            None => undated += 1,
        }
    }
    let mut names: HashMap<String, u64> = HashMap::new();
    for ((seg, ord), n) in by_ord {
        let mut buf = String::new();
        if let Some(col) = &outlets[seg as usize] {
            col.ord_to_str(ord, &mut buf)?;
        }
        *names.entry(buf).or_default() += n;
    }
    let mut outlet: Vec<FacetCount> = names
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    outlet.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    let mut year: Vec<FacetCount> = years
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    if undated > 0 {
        year.push(FacetCount {
            value: "undated".into(),
            count: undated,
        });
    }
    Ok(Facets { outlet, year })
}
