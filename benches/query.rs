//! Query latency, in process, warm: the five benchmark queries of the generated
//! corpus ((a) a two-word phrase, (b) phrase + date range, (c) a common term top-10,
//! (d) OR of three terms, (e) date range only), each checked for its exact total
//! before it is timed.
//!
//! On a generated corpus (see docs/benchmarks.md):
//!   CIVSEARCH_BENCH_INDEX=INDEX CIVSEARCH_BENCH_GT=CORPUS/groundtruth.json cargo bench --bench query
//! Without them it indexes corpus/ into a temporary folder and times the same shapes.

use chrono::NaiveDate;
use civsearch::index::CivIndex;
use civsearch::search::{SearchRequest, Undated, search_with};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// The allocator the `civsearch` binary (CLI and server) runs with, so the
/// library is timed as it is shipped.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Case {
    name: &'static str,
    req: SearchRequest,
    expected: Option<usize>,
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("YYYY-MM-DD")
}

fn cases(gt: Option<&serde_json::Value>) -> Vec<Case> {
    let q = |path: &[&str]| -> Option<serde_json::Value> {
        let mut v = gt?;
        for p in path {
            v = v.get(*p)?;
        }
        Some(v.clone())
    };
    let phrase = q(&["queries", "a_phrase", "phrase"])
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or("sanctuary city".into());
    let range = q(&["queries", "b_phrase_in_range", "range"])
        .and_then(|v| Some((day(v[0].as_str()?), day(v[1].as_str()?))))
        .unwrap_or((day("2017-01-01"), day("2018-12-31")));
    let term = q(&["queries", "c_term_top10", "term"])
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or("council".into());
    let or3: Vec<String> = q(&["queries", "d_or3", "terms"])
        .and_then(|v| {
            v.as_array().map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
        })
        .unwrap_or(vec!["police".into(), "court".into(), "housing".into()]);
    let count = |name: &str| {
        q(&["queries", name, "expected_docs"])
            .and_then(|v| v.as_u64())
            .map(|n| n as usize)
    };
    let ranged = |query: String| SearchRequest {
        undated: Some(Undated::Exclude),
        ..SearchRequest::new(query).between(Some(range.0), Some(range.1))
    };
    vec![
        Case {
            name: "a_phrase",
            req: SearchRequest::new(format!("\"{phrase}\"")),
            expected: count("a_phrase"),
        },
        Case {
            name: "b_phrase_in_range",
            req: ranged(format!("\"{phrase}\"")),
            expected: count("b_phrase_in_range"),
        },
        Case {
            name: "c_term_top10",
            req: SearchRequest::new(term),
            expected: count("c_term_top10"),
        },
        Case {
            name: "d_or3",
            req: SearchRequest::new(or3.join(" OR ")),
            expected: count("d_or3"),
        },
        Case {
            name: "e_range_only",
            req: ranged("*".into()),
            expected: count("e_range_only"),
        },
    ]
}

fn bench(c: &mut Criterion) {
    let (_tmp, index) = match std::env::var_os("CIVSEARCH_BENCH_INDEX") {
        Some(dir) => (
            None,
            CivIndex::open(std::path::Path::new(&dir)).expect("open the bench index"),
        ),
        None => {
            let tmp = tempfile::tempdir().expect("tempdir");
            let idx = CivIndex::open_or_create(tmp.path()).expect("create");
            let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
            let opts = civsearch::index::build::IndexOptions::default();
            civsearch::index::build::index_paths(&idx, &[corpus], &opts).expect("index corpus");
            (Some(tmp), idx)
        }
    };
    let gt: Option<serde_json::Value> = std::env::var("CIVSEARCH_BENCH_GT").ok().map(|p| {
        serde_json::from_str(&std::fs::read_to_string(p).expect("read groundtruth"))
            .expect("parse groundtruth")
    });
    let searcher = index.searcher().expect("searcher");
    let mut group = c.benchmark_group("query");
    for case in cases(gt.as_ref()) {
        // Exact totals first: a fast wrong answer is not a result.
        let total = search_with(&index, &searcher, &case.req)
            .expect("search")
            .total;
        if let Some(want) = case.expected
            && total != want
        {
            // The index can disagree with the generator's ground truth when the
            // extractor read a date (or text) differently; the search itself must
            // still count exactly what the index holds, which a brute-force pass
            // over every stored document checks.
            assert_eq!(
                case.req.query, "*",
                "{}: total {total}, ground truth {want}",
                case.name
            );
            let brute = brute_force_total(&index, &searcher, &case.req);
            assert_eq!(
                total, brute,
                "{}: total {total}, but {brute} stored documents match",
                case.name
            );
            eprintln!(
                "{}: WARNING: total {total} is exact for this index (brute force agrees) but the ground truth says {want}: the index's extracted data differs",
                case.name
            );
        }
        eprintln!("{}: {} matches", case.name, total);
        group.bench_function(case.name, |b| {
            b.iter(|| {
                black_box(
                    search_with(&index, &searcher, &case.req)
                        .expect("search")
                        .total,
                )
            })
        });
        let count_only = SearchRequest {
            limit: 0,
            ..case.req.clone()
        };
        group.bench_function(format!("{}_count_only", case.name), |b| {
            b.iter(|| {
                black_box(
                    search_with(&index, &searcher, &count_only)
                        .expect("search")
                        .total,
                )
            })
        });
    }
    group.finish();
}

/// Count by reading every stored document (only for the date-range-only case,
/// `*` with a range: other queries need the analyzer and are checked against the
/// ground truth alone).
fn brute_force_total(index: &CivIndex, searcher: &tantivy::Searcher, req: &SearchRequest) -> usize {
    let mut n = 0;
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        for doc in 0..seg.max_doc() {
            if seg.is_deleted(doc) {
                continue;
            }
            let a = index
                .article_at(searcher, tantivy::DocAddress::new(ord as u32, doc))
                .expect("stored document");
            let in_range = a
                .date
                .is_some_and(|d| req.from.is_none_or(|f| d >= f) && req.to.is_none_or(|t| d <= t));
            if in_range {
                n += 1;
            }
        }
    }
    n
}

criterion_group!(benches, bench);
criterion_main!(benches);
