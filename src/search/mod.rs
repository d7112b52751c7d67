//! Searching: a [`SearchRequest`] (query text and filters) becomes a tantivy query;
//! results carry the exact total, the requested page of hits, and snippets.

pub mod highlight;
pub mod named;
pub mod near;
pub mod query;
pub mod trend;

mod collect;
mod compile;
mod export;
mod facets;
mod hits;
mod request;

pub use collect::*;
pub use compile::*;
pub use export::*;
pub use facets::*;
pub use hits::*;
pub use query::QueryError;
pub use request::*;

#[cfg(test)]
mod tests {
    use super::collect::{relevance_page, top_page};
    use super::*;
    use crate::Article;
    use crate::index::CivIndex;
    use chrono::NaiveDate;
    use tantivy::collector::Count;
    use tantivy::query::{BooleanQuery, Occur};

    /// Two segments of generated articles (some replaced, so some documents are
    /// deleted), every seventh one undated.
    fn generated() -> (tempfile::TempDir, CivIndex) {
        let dir = tempfile::tempdir().expect("tempdir");
        let idx = CivIndex::open_or_create(dir.path()).expect("create");
        let words = [
            "alpha", "beta", "gamma", "delta", "city", "council", "Café", "vote", "the",
        ];
        let make = |i: usize, salt: usize| {
            let body: Vec<&str> = (0..40)
                .map(|j| words[(i * 7 + j * (j + salt) + i / 3) % words.len()])
                .collect();
            let mut a = Article::new(
                format!("id{i}"),
                format!("T {}", words[i % 9]),
                body.join(" "),
            );
            a.date = (!i.is_multiple_of(7)).then(|| {
                NaiveDate::from_ymd_opt(
                    2015 + (i % 6) as i32,
                    1 + (i % 12) as u32,
                    1 + (i % 28) as u32,
                )
                .expect("day")
            });
            a
        };
        let first: Vec<Article> = (0..400).map(|i| make(i, 1)).collect();
        idx.add_articles(&first).expect("add");
        let second: Vec<Article> = (300..700).map(|i| make(i, 2)).collect();
        idx.add_articles(&second).expect("add");
        (dir, idx)
    }

    #[test]
    fn every_way_of_paging_gives_the_collectors_answer() {
        let (_dir, idx) = generated();
        let searcher = idx.searcher().expect("searcher");
        assert!(searcher.segment_readers().len() >= 2);
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let mut checked = 0;
        for query in [
            "alpha",
            "alpha OR council",
            "cafe -beta",
            "\"city council\"",
            "*",
        ] {
            for (from, to) in [
                (None, None),
                (day(2016, 3, 1), day(2018, 6, 30)),
                (day(2019, 1, 1), None),
            ] {
                for undated in [
                    None,
                    Some(Undated::Include),
                    Some(Undated::Exclude),
                    Some(Undated::Only),
                ] {
                    if undated == Some(Undated::Only) && from.is_some() {
                        continue;
                    }
                    for (offset, limit) in [(0, 10), (5, 7), (0, 1000)] {
                        let req = SearchRequest {
                            undated,
                            offset,
                            limit,
                            ..SearchRequest::new(query).between(from, to)
                        };
                        let compiled = compile_request(&idx, &searcher, &req).expect("compile");
                        // The reference: tantivy's own (Count, TopDocs) collector.
                        let (total, hits) =
                            top_page(&searcher, &*compiled.query, &req).expect("top");
                        let undated_ref = reports_undated(&req).then(|| {
                            let q = BooleanQuery::new(vec![
                                (Occur::Must, compiled.text_query.box_clone()),
                                (Occur::Must, undated_query(&idx, true)),
                            ]);
                            searcher.search(&q, &Count).expect("count")
                        });
                        for few in [0, u32::MAX] {
                            let page = relevance_page(&idx, &searcher, &compiled, &req, few)
                                .expect("page");
                            let what = format!(
                                "{query} {from:?}..{to:?} {undated:?} {offset}+{limit} few={few}"
                            );
                            assert_eq!(page.total, total, "{what}");
                            assert_eq!(page.hits, hits, "{what}");
                            assert_eq!(page.undated, undated_ref, "{what}");
                            checked += usize::from(total > 0);
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn an_or_of_ors_matches_what_its_parts_match() {
        let (_dir, idx) = generated();
        let ids = |query: &str| -> std::collections::BTreeSet<String> {
            let r = search(
                &idx,
                &SearchRequest {
                    limit: 1000,
                    ..SearchRequest::new(query)
                },
            )
            .expect("search");
            assert_eq!(r.total, r.hits.len(), "{query}");
            r.hits.into_iter().map(|h| h.id).collect()
        };
        let mut parts = ids("alpha");
        parts.extend(ids("council"));
        parts.extend(ids("\"city vote\""));
        parts.extend(ids("gamma -beta"));
        let all = ids("alpha OR (council OR \"city vote\") OR (gamma -beta)");
        assert!(all.len() > 50);
        assert_eq!(all, parts);
    }

    #[test]
    fn filters_do_not_change_scores() {
        let (_dir, idx) = generated();
        let score_of = |req: SearchRequest| -> std::collections::HashMap<String, f32> {
            search(&idx, &SearchRequest { limit: 1000, ..req })
                .expect("search")
                .hits
                .into_iter()
                .map(|h| (h.id, h.score))
                .collect()
        };
        let plain = score_of(SearchRequest::new("alpha OR council"));
        let ranged = score_of(SearchRequest {
            undated: Some(Undated::Include),
            ..SearchRequest::new("alpha OR council").between(
                NaiveDate::from_ymd_opt(2016, 1, 1),
                NaiveDate::from_ymd_opt(2017, 12, 31),
            )
        });
        assert!(ranged.len() > 10 && ranged.len() < plain.len());
        for (id, score) in ranged {
            assert_eq!(plain[&id], score, "{id}");
        }
    }
}
