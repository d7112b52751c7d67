//! The library API: articles built in code, indexed, searched with every filter.

use chrono::NaiveDate;
use civsearch::index::CivIndex;
use civsearch::search::{SearchRequest, Sort, Undated, search};
use civsearch::{Article, datespec};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn art(id: &str, title: &str, body: &str, date: Option<NaiveDate>, outlet: &str) -> Article {
    let mut a = Article::new(id, title, body)
        .with_outlet(outlet)
        .with_url(format!(
            "https://{}.example/{id}",
            outlet.to_lowercase().replace(' ', "")
        ));
    a.date = date;
    a
}

/// A small index; kept alive by the returned tempdir.
fn fixture() -> (tempfile::TempDir, CivIndex) {
    let dir = tempfile::tempdir().unwrap();
    let idx = CivIndex::open_or_create(dir.path()).unwrap();
    let articles = vec![
        art(
            "a1",
            "Council debates status",
            "The council voted to make Riverton a sanctuary city on Tuesday.",
            Some(day(2017, 12, 31)),
            "The Riverton Ledger",
        ),
        art(
            "a2",
            "Shelter opens",
            "The city opened a sanctuary for migrating birds near the river.",
            Some(day(2018, 1, 1)),
            "Harbor Courier",
        ),
        art(
            "a3",
            "Budget fight",
            "A sanctuary for the city budget: reserves were spent on police raids.",
            Some(day(2018, 1, 31)),
            "Harbor Courier",
        ),
        art(
            "a4",
            "Police raid",
            "Federal agents carried out one raid in the city of Millbrook.",
            Some(day(2018, 2, 1)),
            "Millbrook Sentinel",
        ),
        art(
            "a5",
            "Café Olé expands",
            "The Café Olé owners won a sidewalk permit from the city.",
            Some(day(2018, 12, 31)),
            "The Riverton Ledger",
        ),
        art(
            "a6",
            "Sanctuary city vote",
            "Residents packed the hall for the sanctuary city vote.",
            Some(day(2019, 1, 1)),
            "Millbrook Sentinel",
        ),
        art(
            "a7",
            "Undated notice",
            "A sanctuary city notice without any date on the page.",
            None,
            "Harbor Courier",
        ),
    ]
    .into_iter()
    .map(|a| a.with_author("Ana Ruiz"))
    .collect::<Vec<_>>();
    idx.add_articles(&articles).unwrap();
    (dir, idx)
}

fn ids(idx: &CivIndex, req: SearchRequest) -> Vec<String> {
    let req = SearchRequest { limit: 100, ..req };
    let r = search(idx, &req).unwrap();
    assert_eq!(
        r.total,
        r.hits.len(),
        "total and hits disagree for {:?}",
        req.query
    );
    let mut ids: Vec<String> = r.hits.into_iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

fn q(idx: &CivIndex, query: &str) -> Vec<String> {
    ids(idx, SearchRequest::new(query))
}

#[test]
fn words_match_anywhere_but_phrases_need_adjacency() {
    let (_d, idx) = fixture();
    assert_eq!(q(&idx, "sanctuary city"), ["a1", "a2", "a3", "a6", "a7"]);
    assert_eq!(q(&idx, "\"sanctuary city\""), ["a1", "a6", "a7"]);
}

#[test]
fn slop_allows_words_between() {
    let (_d, idx) = fixture();
    // "sanctuary for the city": two words between.
    assert_eq!(q(&idx, "\"sanctuary city\"~1"), ["a1", "a6", "a7"]);
    assert_eq!(q(&idx, "\"sanctuary city\"~2"), ["a1", "a3", "a6", "a7"]);
}

#[test]
fn exclusion_or_and_grouping() {
    let (_d, idx) = fixture();
    assert_eq!(q(&idx, "sanctuary -birds"), ["a1", "a3", "a6", "a7"]);
    assert_eq!(
        q(&idx, "sanctuary NOT birds"),
        q(&idx, "sanctuary AND NOT birds")
    );
    assert_eq!(q(&idx, "birds OR permit"), ["a2", "a5"]);
    assert_eq!(q(&idx, "(birds OR permit) river"), ["a2"]);
    assert_eq!(q(&idx, "-sanctuary"), ["a4", "a5"]);
}

#[test]
fn field_queries() {
    let (_d, idx) = fixture();
    assert_eq!(q(&idx, "title:sanctuary"), ["a6"]);
    assert_eq!(q(&idx, "outlet:millbrook"), ["a4", "a6"]);
    assert_eq!(q(&idx, "outlet:\"riverton ledger\" cafe"), ["a5"]);
    assert_eq!(q(&idx, "author:ruiz").len(), 7);
    assert_eq!(q(&idx, "url:harborcourier"), ["a2", "a3", "a7"]);
}

#[test]
fn case_and_accents_are_folded() {
    let (_d, idx) = fixture();
    assert_eq!(q(&idx, "CAFE ole"), ["a5"]);
    assert_eq!(q(&idx, "café"), ["a5"]);
}

#[test]
fn stemming_only_when_asked() {
    let (_d, idx) = fixture();
    assert_eq!(q(&idx, "raid"), ["a4"]);
    let stemmed = ids(
        &idx,
        SearchRequest {
            stem: true,
            ..SearchRequest::new("raid")
        },
    );
    assert_eq!(stemmed, ["a3", "a4"]);
}

#[test]
fn date_bounds_are_inclusive_at_every_granularity() {
    let (_d, idx) = fixture();
    let t = day(2026, 11, 28);
    let range = |from: &str, to: &str| {
        let req = SearchRequest::new("city").between(
            Some(datespec::parse_from(from, t).unwrap()),
            Some(datespec::parse_to(to, t).unwrap()),
        );
        ids(&idx, req)
    };
    assert_eq!(range("2018", "2018"), ["a2", "a3", "a4", "a5"]);
    assert_eq!(range("2018-01", "2018-01"), ["a2", "a3"]);
    assert_eq!(range("2018-01-31", "2018-02-01"), ["a3", "a4"]);
    assert_eq!(range("2017-12-31", "2017-12-31"), ["a1"]);
    assert_eq!(range("2018-12", "2019-01"), ["a5", "a6"]);
}

#[test]
fn undated_articles_follow_the_undated_mode() {
    let (_d, idx) = fixture();
    let base = || SearchRequest::new("\"sanctuary city\"");
    assert_eq!(ids(&idx, base()), ["a1", "a6", "a7"]);
    assert_eq!(
        ids(
            &idx,
            SearchRequest {
                undated: Some(Undated::Exclude),
                ..base()
            }
        ),
        ["a1", "a6"]
    );
    assert_eq!(
        ids(
            &idx,
            SearchRequest {
                undated: Some(Undated::Only),
                ..base()
            }
        ),
        ["a7"]
    );
    // A date range leaves undated articles out, and says how many.
    let ranged = base().between(Some(day(2017, 1, 1)), Some(day(2019, 12, 31)));
    let r = search(&idx, &ranged).unwrap();
    assert_eq!(r.total, 2);
    assert_eq!(r.undated_excluded, Some(1));
    let with = SearchRequest {
        undated: Some(Undated::Include),
        ..ranged
    };
    assert_eq!(ids(&idx, with), ["a1", "a6", "a7"]);
}

#[test]
fn outlet_filter_ignores_case_and_leading_the() {
    let (_d, idx) = fixture();
    let by = |names: &[&str]| {
        ids(
            &idx,
            SearchRequest {
                outlets: names.iter().map(|s| s.to_string()).collect(),
                ..SearchRequest::new("city")
            },
        )
    };
    assert_eq!(by(&["riverton ledger"]), ["a1", "a5"]);
    assert_eq!(
        by(&["The Riverton Ledger", "MILLBROOK SENTINEL"]),
        ["a1", "a4", "a5", "a6"]
    );
    let r = search(
        &idx,
        &SearchRequest {
            outlets: vec!["Nowhere Times".into()],
            ..SearchRequest::new("city")
        },
    )
    .unwrap();
    assert_eq!(r.total, 0);
    assert_eq!(r.unknown_outlets, ["Nowhere Times"]);
}

#[test]
fn sort_by_date_and_totals_beyond_the_limit() {
    let (_d, idx) = fixture();
    let req = |sort, offset| SearchRequest {
        sort,
        limit: 2,
        offset,
        ..SearchRequest::new("city")
    };
    let newest = search(&idx, &req(Sort::Newest, 0)).unwrap();
    assert_eq!(newest.total, 7);
    assert_eq!(newest.hits.len(), 2);
    let dates: Vec<_> = newest.hits.iter().map(|h| h.date).collect();
    assert_eq!(dates, [Some(day(2019, 1, 1)), Some(day(2018, 12, 31))]);
    let oldest = search(&idx, &req(Sort::Oldest, 1)).unwrap();
    assert_eq!(oldest.hits[0].date, Some(day(2018, 1, 1)));
    assert_eq!(oldest.total, 7);
}

#[test]
fn snippets_highlight_the_phrase() {
    let (_d, idx) = fixture();
    let r = search(
        &idx,
        &SearchRequest {
            undated: Some(Undated::Exclude),
            ..SearchRequest::new("\"sanctuary city\" vote")
        },
    )
    .unwrap();
    let hit = r.hits.iter().find(|h| h.id == "a6").unwrap();
    let marked: Vec<String> = hit
        .highlights
        .iter()
        .map(|&(a, b)| hit.snippet.chars().skip(a).take(b - a).collect())
        .collect();
    assert_eq!(marked, ["sanctuary city", "vote"]);
}

#[test]
fn upsert_by_id_replaces_the_old_text() {
    let (_d, idx) = fixture();
    idx.add_articles(&[art(
        "a4",
        "Police raid",
        "Agents left the town of Millbrook quietly.",
        Some(day(2018, 2, 1)),
        "Millbrook Sentinel",
    )])
    .unwrap();
    assert!(q(&idx, "carried").is_empty());
    assert_eq!(q(&idx, "quietly"), ["a4"]);
    assert_eq!(
        search(&idx, &SearchRequest::new("millbrook"))
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        idx.article("a4").unwrap().unwrap().body,
        "Agents left the town of Millbrook quietly."
    );
}

#[test]
fn syntax_errors_carry_a_position() {
    let (_d, idx) = fixture();
    let err = search(&idx, &SearchRequest::new("city \"sanctuary")).unwrap_err();
    let qe = err
        .downcast_ref::<civsearch::search::QueryError>()
        .expect("a QueryError");
    assert_eq!(qe.position, 6);
}

#[test]
fn trend_counts_per_period_zero_filled_with_undated_apart() {
    use civsearch::search::trend::{Interval, TrendRequest, trend};
    let (_d, idx) = fixture();
    let req = TrendRequest::new(
        vec!["\"sanctuary city\"".into(), "city".into()],
        Interval::Year,
    );
    let t = trend(&idx, &req).unwrap();
    let s = &t.series[0];
    let periods: Vec<&str> = s.points.iter().map(|p| p.period.as_str()).collect();
    assert_eq!(periods, ["2017", "2018", "2019"]);
    let counts: Vec<u64> = s.points.iter().map(|p| p.count).collect();
    assert_eq!(counts, [1, 0, 1]);
    let totals: Vec<u64> = s.points.iter().map(|p| p.total).collect();
    assert_eq!(totals, [1, 4, 1]);
    assert_eq!(s.undated, 1);
    assert_eq!(
        t.series[1]
            .points
            .iter()
            .map(|p| p.count)
            .collect::<Vec<_>>(),
        [1, 4, 1]
    );
    assert!((t.series[1].points[1].share - 1.0).abs() < 1e-12);

    // Months inside a day range: zero-filled, cut exactly at the range's days.
    let req = TrendRequest {
        from: Some(day(2018, 1, 2)),
        to: Some(day(2018, 3, 31)),
        ..TrendRequest::new(vec!["city".into()], Interval::Month)
    };
    let t = trend(&idx, &req).unwrap();
    let pts: Vec<(String, u64, u64)> = t.series[0]
        .points
        .iter()
        .map(|p| (p.period.clone(), p.count, p.total))
        .collect();
    assert_eq!(
        pts,
        [
            ("2018-01".into(), 1, 1),
            ("2018-02".into(), 1, 1),
            ("2018-03".into(), 0, 0)
        ]
    );

    // By outlet: top 1 plus "other".
    let req = TrendRequest {
        by_outlet: Some(1),
        ..TrendRequest::new(vec!["city".into()], Interval::Year)
    };
    let t = trend(&idx, &req).unwrap();
    let names: Vec<&str> = t
        .series
        .iter()
        .map(|s| s.outlet.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["Harbor Courier", "other"]);
    let sum: u64 = t
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.count))
        .sum::<u64>()
        + t.series.iter().map(|s| s.undated).sum::<u64>();
    assert_eq!(sum, 7);
}

#[test]
fn facets_count_matches_by_outlet_and_year() {
    let (_d, idx) = fixture();
    let r = search(
        &idx,
        &SearchRequest {
            facets: true,
            limit: 1,
            ..SearchRequest::new("\"sanctuary city\"")
        },
    )
    .unwrap();
    let f = r.facets.unwrap();
    let outlets: Vec<(String, u64)> = f
        .outlet
        .iter()
        .map(|c| (c.value.clone(), c.count))
        .collect();
    assert_eq!(
        outlets,
        [
            ("Harbor Courier".into(), 1),
            ("Millbrook Sentinel".into(), 1),
            ("The Riverton Ledger".into(), 1)
        ]
    );
    let years: Vec<(String, u64)> = f.year.iter().map(|c| (c.value.clone(), c.count)).collect();
    assert_eq!(
        years,
        [
            ("2017".into(), 1),
            ("2019".into(), 1),
            ("undated".into(), 1)
        ]
    );
}

#[test]
fn near_finds_words_within_a_distance_in_either_order() {
    let (_d, idx) = fixture();
    // a1: "voted to make Riverton a sanctuary city" -> voted ... sanctuary: 4 words between.
    assert_eq!(q(&idx, "voted NEAR/4 sanctuary"), ["a1"]);
    assert!(q(&idx, "voted NEAR/3 sanctuary").is_empty());
    assert_eq!(q(&idx, "\"sanctuary city\" NEAR/5 voted"), ["a1"]);
    // NEAR inside a boolean query, with totals that agree with the hits.
    assert_eq!(q(&idx, "(voted NEAR/4 sanctuary) OR birds"), ["a1", "a2"]);
    let r = search(
        &idx,
        &SearchRequest {
            limit: 1,
            ..SearchRequest::new("(voted NEAR/4 sanctuary) OR birds")
        },
    )
    .unwrap();
    assert_eq!(r.total, 2);
    assert_eq!(r.hits.len(), 1);
}

#[test]
fn passages_and_export_cover_every_match() {
    let (_d, idx) = fixture();
    let req = SearchRequest {
        passages: true,
        ..SearchRequest::new("city")
    };
    let total = search(&idx, &req).unwrap().total;
    let mut seen = Vec::new();
    let n = civsearch::search::export(&idx, &req, None, |h| {
        let body = idx.article(&h.id).unwrap().unwrap().body;
        assert!(!h.passages.is_empty(), "{}", h.id);
        for p in &h.passages {
            let slice: String = body.chars().skip(p.start).take(p.end - p.start).collect();
            assert_eq!(slice, p.text);
            for &(a, b) in &p.highlights {
                let hit: String = body.chars().skip(a).take(b - a).collect();
                assert_eq!(hit.to_lowercase(), "city");
            }
        }
        seen.push(h.id);
        Ok(())
    })
    .unwrap();
    assert_eq!(n, total);
    assert_eq!(seen.len(), 7);
    let sorted = civsearch::search::export(&idx, &req, Some(Sort::Oldest), |_| Ok(())).unwrap();
    assert_eq!(sorted, total);
}
