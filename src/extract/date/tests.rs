//! Tests of date weighing on small pages written for them.

use super::*;
use crate::extract::meta::PageMeta;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn date_of(html: &str, url: Option<&str>) -> Option<FoundDate> {
    let doc = crate::html::parse(html);
    let meta = PageMeta::collect(&doc);
    find_date(&doc, &meta, url, today())
}

fn day_of(html: &str, url: Option<&str>) -> Option<NaiveDate> {
    date_of(html, url).map(|f| f.date)
}

const BODY: &str = "<p>The council approved the budget after a long debate about roads, schools and parks in the district.</p>";

#[test]
fn json_ld_article_date_not_other_objects() {
    let html = format!(
        r#"<html><head>
        <script type="application/ld+json">{{"@type":"BreadcrumbList","datePublished":"2011-03-01"}}</script>
        <script type="application/ld+json">{{"@graph":[{{"@type":"WebSite","datePublished":"2012-05-05"}},{{"@type":"NewsArticle","headline":"Budget","datePublished":"2018-01-17T22:10:00-08:00","dateModified":"2018-01-19T10:00:00Z"}}]}}</script>
        </head><body><h1>Budget</h1>{BODY}</body></html>"#
    );
    let f = date_of(&html, None).unwrap();
    assert_eq!(f.date, ymd(2018, 1, 17));
    assert_eq!(f.source, "json-ld");
}

#[test]
fn json_ld_article_nested_as_main_entity() {
    let html = format!(
        r#"<html><head><script type="application/ld+json">{{"@type":"WebPage","mainEntity":{{"@type":"NewsArticle","datePublished":"2019-04-03"}}}}</script></head><body><h1>T</h1>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2019, 4, 3)));
}

#[test]
fn meta_published_beats_modified() {
    let html = format!(
        r#"<html><head><meta property="article:modified_time" content="2020-02-10T08:00:00+01:00">
        <meta property="article:published_time" content="2020-02-03T08:00:00+01:00"></head>
        <body><h1>T</h1>{BODY}</body></html>"#
    );
    let f = date_of(&html, None).unwrap();
    assert_eq!((f.date, f.source), (ymd(2020, 2, 3), "meta"));
}

#[test]
fn other_meta_keys() {
    for key in [
        "sailthru.date",
        "parsely-pub-date",
        "DC.date.issued",
        "pubdate",
    ] {
        let html = format!(
            r#"<html><head><meta name="{key}" content="2016-07-08"></head><body><h1>T</h1>{BODY}</body></html>"#
        );
        assert_eq!(day_of(&html, None), Some(ymd(2016, 7, 8)), "{key}");
    }
}

#[test]
fn only_a_modified_date_is_used_when_nothing_else() {
    let html = format!(
        r#"<html><head><meta property="article:modified_time" content="2018-12-02T11:25:00Z"></head><body><h1>T</h1>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2018, 12, 2)));
    let html = format!(
        r#"<html><body><h1>T</h1><p class="byline">Last updated 2018-12-02 11:25</p>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2018, 12, 2)));
}

#[test]
fn microdata_date_published() {
    let html = format!(
        r#"<html><body><article><h1>T</h1><span itemprop="dateModified" content="2021-06-01"></span><span itemprop="datePublished" content="2021-05-20">20 May</span>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2021, 5, 20)));
}

#[test]
fn time_element_in_header_not_in_sidebar() {
    let html = format!(
        r#"<html><body><aside class="sidebar"><ul><li><a href="/x">Other story</a> <time datetime="2021-03-01">1 March</time></li></ul></aside>
        <article><header><h1>Storm closes schools</h1><time datetime="2021-03-05T09:00:00+01:00">5. März 2021</time></header>{BODY}</article></body></html>"#
    );
    let f = date_of(&html, None).unwrap();
    assert_eq!((f.date, f.source), (ymd(2021, 3, 5), "time"));
}

#[test]
fn url_date() {
    let html = format!("<html><body><h1>T</h1>{BODY}</body></html>");
    let f = date_of(&html, Some("https://x.example/2018/01/17/story/")).unwrap();
    assert_eq!((f.date, f.source), (ymd(2018, 1, 17), "url"));
}

#[test]
fn byline_dates_in_words_and_numbers() {
    let cases = [
        (
            "en-US",
            "By Ana Ruiz | Jan. 17, 2018 at 5:00 p.m.",
            ymd(2018, 1, 17),
        ),
        ("de", "Von Anna Berg, 17. Januar 2018", ymd(2018, 1, 17)),
        ("fr", "Publié le 17 janvier 2018 à 10h", ymd(2018, 1, 17)),
        ("de", "Veröffentlicht am 05.03.2019", ymd(2019, 3, 5)),
        ("en-US", "Posted on 05/09/2013", ymd(2013, 5, 9)),
        ("en-GB", "Posted on 05/09/2013", ymd(2013, 9, 5)),
        ("fr", "Publié le 05/09/2013", ymd(2013, 9, 5)),
    ];
    for (lang, line, want) in cases {
        let html = format!(
            r#"<html lang="{lang}"><body><h1>Storm closes schools</h1><div class="info">{line}</div>{BODY}</body></html>"#
        );
        assert_eq!(day_of(&html, None), Some(want), "{lang}: {line}");
    }
}

#[test]
fn updated_line_does_not_win_over_published() {
    let html = format!(
        r#"<html lang="en"><body><h1>Storm closes schools</h1><p class="byline">Updated Dec. 21, 2019</p><p class="byline">Published Dec. 19, 2019</p>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2019, 12, 19)));
    // The update first and the publication in a plain paragraph.
    let html = format!(
        r#"<html lang="en"><body><h1>Storm closes schools</h1><div class="meta"><span>Updated Dec. 21, 2019</span> <span>Dec. 19, 2019</span></div>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2019, 12, 19)));
}

#[test]
fn related_story_dates_lose_to_the_article() {
    let html = format!(
        r#"<html lang="de"><body><div class="related-articles"><p>Älterer Beitrag vom 02.01.2020</p><p>Noch einer vom 03.01.2020</p></div>
        <h1>Storm closes schools</h1><p>12.01.2020</p>{BODY}
        <div class="comments"><p>Kommentar vom 13.01.2020</p></div></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2020, 1, 12)));
}

#[test]
fn utc_timestamp_yields_to_the_local_day() {
    // 02:10 UTC is the evening before in the Americas, and the URL says so.
    let html = format!(
        r#"<html lang="en"><head><meta property="article:published_time" content="2023-11-09T02:10:00Z"></head><body><h1>T</h1>{BODY}</body></html>"#
    );
    assert_eq!(
        day_of(&html, Some("https://x.example/2023/11/08/story/")),
        Some(ymd(2023, 11, 8))
    );
    // Without local evidence the written day stays.
    assert_eq!(day_of(&html, None), Some(ymd(2023, 11, 9)));
    // With an offset the written day is the local day, whatever else is around.
    let html = format!(
        r#"<html lang="en"><head><meta property="article:published_time" content="2023-11-09T02:10:00+01:00"></head><body><h1>T</h1>{BODY}</body></html>"#
    );
    assert_eq!(
        day_of(&html, Some("https://x.example/2023/11/08/story/")),
        Some(ymd(2023, 11, 9))
    );
}

#[test]
fn implausible_dates_are_rejected() {
    // In the future.
    let html = format!(
        r#"<html><head><meta property="article:published_time" content="2031-01-01"></head><body><h1>T</h1>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), None);
    // Before 1990 on weak evidence.
    let html =
        format!(r#"<html><body><h1>T</h1><p class="date">17.01.1985</p>{BODY}</body></html>"#);
    assert_eq!(day_of(&html, None), None);
    // A copyright year is not a date.
    let html =
        format!(r#"<html><body><h1>T</h1>{BODY}<footer>© 2019 The Ledger</footer></body></html>"#);
    assert_eq!(day_of(&html, None), None);
    // A date in the body text far from the headline is not enough.
    let filler = "<p>Words about roads and parks and the budget of the district.</p>".repeat(80);
    let html = format!(
        r#"<html><body><h1>T</h1>{filler}<p>The hall opened on 17 March 2004.</p></body></html>"#
    );
    assert_eq!(day_of(&html, None), None);
}

#[test]
fn plain_text_dateline_and_weekday() {
    let f = find_plain_text_date("By Ana | March 4, 2018", "Body text.", None, today()).unwrap();
    assert_eq!(f.date, ymd(2018, 3, 4));
    let text = "The council on Tuesday January 16 voted. An August 16, 2017 incident was cited.";
    let f = find_plain_text_date("", text, None, today()).unwrap();
    assert_eq!((f.date, f.source), (ymd(2018, 1, 16), "weekday"));
    // The weekday picks the year among those mentioned.
    let text = "In 2015 and 2016 the plan stalled; on Saturday, March 5 it passed.";
    let f = find_plain_text_date("", text, None, today()).unwrap();
    assert_eq!(f.date, ymd(2016, 3, 5));
    // No year that fits: no date.
    assert_eq!(
        find_plain_text_date("", "The vote on Tuesday January 16 passed.", None, today()),
        None
    );
}

/// Time of the date step alone over a folder of pages:
/// `CIVSEARCH_DATE_BENCH_DIR=dir cargo test --release --lib date_step_speed -- --ignored --nocapture`
#[test]
#[ignore]
fn date_step_speed() {
    let Some(dir) = std::env::var_os("CIVSEARCH_DATE_BENCH_DIR") else {
        return;
    };
    let mut times = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        let (text, _) = crate::extract::charset::decode(&bytes, None, true);
        let doc = crate::html::parse(&text);
        let meta = PageMeta::collect(&doc);
        let t = std::time::Instant::now();
        let _ = find_date(&doc, &meta, None, today());
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let n = times.len();
    eprintln!(
        "pages {n} median {:.3} ms p90 {:.3} ms max {:.3} ms",
        times[n / 2],
        times[n * 9 / 10],
        times[n - 1]
    );
}

#[test]
fn wordpress_published_updated_class_is_the_publication() {
    let html = format!(
        r#"<html lang="en"><body><article><h1 class="entry-title">Storm closes schools</h1><div class="entry-meta"><time class="entry-date published updated" datetime="2020-02-23T10:07:02+01:00">February 23, 2020</time></div>{BODY}</article></body></html>"#
    );
    let f = date_of(&html, None).unwrap();
    assert_eq!((f.date, f.source), (ymd(2020, 2, 23), "time"));
}

#[test]
fn published_lead_in_overrides_an_update_class() {
    let html = format!(
        r#"<html lang="en"><head><meta property="article:modified_time" content="2023-11-09T03:00:00Z"></head><body><h1>Storm closes schools</h1><div class="date--updated">Published Nov. 8, 2023</div>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2023, 11, 8)));
}

#[test]
fn repeated_meta_key_first_value_is_the_page() {
    let html = format!(
        r#"<html><head><meta itemprop="datePublished" content="2022-02-02"><meta itemprop="datePublished" content="2022-01-31"><meta itemprop="datePublished" content="2022-01-31"></head><body><h1>T</h1>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2022, 2, 2)));
}

#[test]
fn site_header_date_is_not_the_article_date() {
    let html = format!(
        r#"<html lang="en"><body><header><div>Today is January 9, 2024</div></header><main><h1>Storm closes schools</h1><p class="byline">By Ana Ruiz, January 3, 2024</p>{BODY}</main></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2024, 1, 3)));
    // Alone, the day's date in the site header is no publication date.
    let html = format!(
        r#"<html lang="en"><body><header><div>Today is January 9, 2024</div></header><main><h1>Storm closes schools</h1>{BODY}</main></body></html>"#
    );
    assert_eq!(day_of(&html, None), None);
}

#[test]
fn a_lone_date_below_the_article_counts_only_when_alone() {
    let filler = "<p>Words about roads and parks and the budget of the district.</p>".repeat(35);
    let html = format!(
        r#"<html lang="de"><body><h1>Storm closes schools</h1>{filler}<p>Teilen: 01.11.2023</p></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2023, 11, 1)));
    // With another date of the same standing, neither is trusted.
    let html = format!(
        r#"<html lang="de"><body><h1>Storm closes schools</h1>{filler}<p>Teilen: 01.11.2023</p><p>Termin: 05.11.2023</p></body></html>"#
    );
    assert_eq!(day_of(&html, None), None);
}

#[test]
fn plain_text_opening_dateline_url_and_update() {
    let body =
        "BERLIN, 17. Januar 2018 - Der Rat hat beschlossen.\n\nMehr Text über den 3. März 2016.";
    let f = find_plain_text_date("", body, None, today()).unwrap();
    assert_eq!((f.date, f.source), (ymd(2018, 1, 17), "dateline"));
    // A date deep in the body is no dateline; the URL is used instead.
    let body = format!(
        "{} It happened on 3 March 2016.",
        "Long text here. ".repeat(40)
    );
    let f = find_plain_text_date(
        "",
        &body,
        Some("https://x.example/2018/01/17/story"),
        today(),
    )
    .unwrap();
    assert_eq!((f.date, f.source), (ymd(2018, 1, 17), "url"));
    assert_eq!(find_plain_text_date("", &body, None, today()), None);
    // An update line alone is still the page's best day.
    let f = find_plain_text_date("Updated: June 2, 2019", "Body.", None, today()).unwrap();
    assert_eq!(f.date, ymd(2019, 6, 2));
}

#[test]
fn url_day_is_the_original_against_a_later_republication() {
    let html = format!(
        r#"<html lang="en"><head><script type="application/ld+json">{{"@type":"BlogPosting","datePublished":"2019-06-17"}}</script></head><body><h1>T</h1><time datetime="2019-06-17">June 17, 2019</time>{BODY}</body></html>"#
    );
    let f = date_of(&html, Some("https://x.example/home/2017/7/12/story")).unwrap();
    assert_eq!((f.date, f.source), (ymd(2017, 7, 12), "url"));
    // A stronger earlier day is not overridden by the URL.
    let html = format!(
        r#"<html lang="en"><head><meta property="article:published_time" content="2017-07-10"></head><body><h1>T</h1>{BODY}</body></html>"#
    );
    assert_eq!(
        day_of(&html, Some("https://x.example/2017/07/12/story")),
        Some(ymd(2017, 7, 10))
    );
}

#[test]
fn header_shows_only_the_update_day_that_metadata_names_modified() {
    // The machine publication day appears nowhere on the page; the header shows
    // the day the metadata calls the modification: that is the page's day.
    let html = format!(
        r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","datePublished":"2017-08-21T13:00:00+02:00","dateModified":"2019-04-03T10:00:00+02:00"}}</script></head>
        <body><article><h1>Seven trades with a future</h1><div class="byline">By Jo Lang | Updated April 3, 2019</div>{BODY}</article></body></html>"#
    );
    let f = date_of(&html, None).unwrap();
    assert_eq!((f.date, f.source), (ymd(2019, 4, 3), "byline"));
    // The same without a label, in a <time> under the headline.
    let html = format!(
        r#"<html><head><meta property="article:published_time" content="2021-11-29T08:00:00+01:00"><meta property="article:modified_time" content="2022-01-12T09:00:00+01:00"></head>
        <body><article><h1>Do fish feel pain at all?</h1><p class="meta"><time datetime="2022-01-12">12.01.2022</time></p>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2022, 1, 12)));
    // When the publication day is shown too, it stays the page's day.
    let html = format!(
        r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","datePublished":"2017-08-21T13:00:00+02:00","dateModified":"2019-04-03T10:00:00+02:00"}}</script></head>
        <body><article><h1>Seven trades with a future</h1><div class="byline">Published August 21, 2017 | Updated April 3, 2019</div>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2017, 8, 21)));
    // A modification day the header does not show changes nothing.
    let html = format!(
        r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","datePublished":"2017-08-21T13:00:00+02:00","dateModified":"2019-04-03T10:00:00+02:00"}}</script></head>
        <body><article><h1>Seven trades with a future</h1>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2017, 8, 21)));
}

#[test]
fn story_text_after_the_header_date_does_not_win() {
    // The byline gives only an update day; the first sentence of the story names
    // an earlier day of the events it reports.
    let html = r#"<html><body><main><article><h1>Harbour board meets on the ferry plan</h1>
        <div class="byline">By Ann Kowalski | Last updated Nov. 27, 2018</div>
        <div class="share"><a href="/s">Share</a></div>
        <p>On 14 October 2004 the harbour board first discussed a ferry between the two towns, and the plan has come back every few years since then without a decision.</p>
        </article></main></body></html>"#;
    assert_eq!(day_of(html, None), Some(ymd(2018, 11, 27)));
    // With a published byline, the same sentence changes nothing either.
    let html = html.replace("Last updated", "Published");
    assert_eq!(day_of(&html, None), Some(ymd(2018, 11, 27)));
    // Without any header date, a dateline opening the story still counts.
    let html = format!(
        r#"<html><body><article><h1>Harbour board meets on the ferry plan</h1><p>BERLIN, 17. Januar 2018 – Der Hafenrat hat am Dienstag über die Fähre beraten.</p>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2018, 1, 17)));
}

#[test]
fn periods_and_deadlines_in_text_are_not_publication_days() {
    for sentence in [
        "Sales grew by a tenth in the three months to 31 December 2004, the company said in a statement to investors.",
        "Anträge auf Auszahlung müssen bis zum 30. April 2022 bei der Behörde eingereicht werden, teilte das Amt mit.",
        "Le musée reste fermé jusqu'au 12 mars 2021 pour des travaux de rénovation de la grande salle.",
    ] {
        let html = format!(
            r#"<html><body><article><h1>Results of the quarter for the company</h1><p>{sentence}</p>{BODY}</article></body></html>"#
        );
        assert_eq!(day_of(&html, None), None, "{sentence}");
    }
}

#[test]
fn json_ld_of_a_single_work_other_than_an_article() {
    let html = format!(
        r#"<html><head><script type="application/ld+json">{{"@type":"BreadcrumbList","itemListElement":[]}}</script>
        <script type="application/ld+json">{{"@type":"HowTo","name":"Sew a round tablecloth","datePublished":"2022-01-10T22:06:08Z"}}</script></head>
        <body><h1>Sew a round tablecloth</h1>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2022, 1, 10)));
}

#[test]
fn day_month_year_in_the_url() {
    let html = format!("<html lang=\"de\"><body><h1>Meldung</h1>{BODY}</body></html>");
    let day = |u: &str| day_of(&html, Some(u));
    assert_eq!(
        day("https://x.example/meldungen/29-10-2021"),
        Some(ymd(2021, 10, 29))
    );
    assert_eq!(
        day("https://x.example/detail/~02-01-2022-land-zahlt-praemie"),
        Some(ymd(2022, 1, 2))
    );
    // Ambiguous without a language: no date.
    let html = format!("<html><body><h1>Notice</h1>{BODY}</body></html>");
    assert_eq!(
        day_of(&html, Some("https://x.example/detail/02-01-2022-notice")),
        None
    );
    // Not part of a longer number.
    assert_eq!(
        day_of(&html, Some("https://x.example/id/1202-01-2022")),
        None
    );
}

#[test]
fn the_end_of_a_range_of_days_is_not_the_page_day() {
    let html = format!(
        r#"<html><head><title>Weekly report 14.–20. Januar 2022</title></head><body><h1>Weekly report</h1>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), None);
    let html = format!(
        r#"<html><body><article><h1>Festival week in the old town</h1><p class="meta">Festival: 3-5 March 2021</p>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), None);
}

#[test]
fn a_validity_start_in_the_date_line_is_not_the_page_day() {
    // The date line states the day of the current version and since when its
    // content is unchanged: the version day is the page's.
    let html = format!(
        r#"<html lang="de"><body><article><h1>Reise- und Sicherheitshinweise</h1><p class="date">Stand - 12.11.2021 (Unverändert gültig seit: 05.11.2021)</p>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2021, 11, 12)));
}

#[test]
fn a_number_opening_the_slug_does_not_overrule_the_page() {
    // "/2009/09/17-of-its-time" is the title "17% of its time", not the 17th.
    let html = format!(
        r#"<html><head><meta property="article:published_time" content="2009-09-26T08:08:00-03:00"></head>
        <body><article><h1>17% of its time</h1><p class="byline">By Jo Lang | Posted on 09/26/2009</p>{BODY}</article></body></html>"#
    );
    assert_eq!(
        day_of(
            &html,
            Some("https://x.example/tech/2009/09/17-of-its-time/")
        ),
        Some(ymd(2009, 9, 26))
    );
    // Alone, such a URL still dates the page.
    let html = format!("<html><body><h1>T</h1>{BODY}</body></html>");
    assert_eq!(
        day_of(&html, Some("https://x.example/2018/01/17-story/")),
        Some(ymd(2018, 1, 17))
    );
}

#[test]
fn text_dates_far_from_the_url_month_are_the_story_not_the_page() {
    // The headline names an old day; the URL's month and the update line agree.
    let html = r#"<html lang="en"><body><article><h1>The 13 February 2003 concert, twenty years on</h1>
        <p class="byline">By Lea Moss | Last updated 09/06/2020</p>
        <p>The band played the old hall again and the crowd sang every word of the songs they knew.</p></article></body></html>"#;
    assert_eq!(
        day_of(html, Some("https://x.example/arts/2020/09/the-concert/")),
        Some(ymd(2020, 9, 6))
    );
    // Without the URL month, the headline's day is still only the headline's:
    // the update line is the one day the page gives for itself.
    assert_eq!(day_of(html, None), Some(ymd(2020, 9, 6)));
}

#[test]
fn a_related_headline_ending_in_a_label_word_does_not_label_the_next_date() {
    let para = "<p>The council met for three hours and approved the library budget after a long debate about branch hours.</p>";
    let story = para.repeat(22);
    let related = r#"<section class="related"><h2>Most read</h2><ul><li><a href="/a">Blogs Become Sources for Articles Published</a> <span class="rel-date">May 2, 2000</span></li><li><a href="/b">Budget talks resume at city hall</a> <span class="rel-date">June 9, 2001</span></li></ul></section>"#;
    let html = format!(
        "<html><body><article><h1>Council approves budget</h1>{story}</article>{related}</body></html>"
    );
    assert_eq!(day_of(&html, None), None);
    // A short label of its own, outside any link, still labels the date.
    let html = format!(
        r#"<html><body><article><h1>Council approves budget</h1><p class="meta"><span>Published:</span> <span>May 2, 2000</span></p>{story}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2000, 5, 2)));
}

#[test]
fn a_page_without_a_head_end_tag_still_has_visible_dates() {
    // No `</head>` and no `<body>`: the first element that cannot be in the
    // head ends it, as browsers do.
    let html = format!(
        r#"<!DOCTYPE html><html><head><title>Ferry service resumes</title>
        <noscript><img src="/pixel.gif"></noscript><br>
        <div id="story"><h1>Ferry service resumes</h1><span class="pubdate">07.11.2023</span>{BODY}</div></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2023, 11, 7)));
}

#[test]
fn a_lone_date_line_far_below_the_headline_counts() {
    let filler = "<p>Words about roads and parks and the budget of the district.</p>".repeat(70);
    let html = format!(
        r#"<html><body><h1>Theatre tour ends in the capital</h1>{filler}<p>City news desk (2012-06-04)</p></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2012, 6, 4)));
    // The same date in a sentence of the story is not enough.
    let html = format!(
        r#"<html><body><h1>Theatre tour ends in the capital</h1>{filler}<p>The tour began in the north of the country on 2012-06-04 with a sold-out show.</p></body></html>"#
    );
    assert_eq!(day_of(&html, None), None);
}

#[test]
fn a_furniture_update_line_does_not_hide_the_lone_publication_day() {
    let html = format!(
        r#"<html lang="de"><body><h1>Neue Brücke über den Fluss</h1>{BODY}
        <div class="sidebar"><p>Zuletzt geändert: 02.03.2022</p><p>Veröffentlicht: 03.03.2022</p></div></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2022, 3, 3)));
}

#[test]
fn an_update_date_outside_the_furniture_dates_a_page_without_a_publication_day() {
    // A theme that marks the post date only as "updated" (hAtom).
    let html = format!(
        r#"<html lang="de"><body><h1>Trainer verlängert seinen Vertrag</h1>
        <div class="post-meta-left"><a class="author" href="/a/jo">Jo Beispiel</a> —
        <a class="post-stamp updated" href="/n/1">2. Februar 2022</a></div>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2022, 2, 2)));
    let filler = "<p>Words about roads and parks and the budget of the district.</p>".repeat(70);
    let html = format!(
        r#"<html lang="de"><body><h1>Schneekarten für die Alpen</h1>{filler}<p>Letzte Änderung: 14.01.2022</p></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2022, 1, 14)));
}

#[test]
fn a_publication_day_in_inline_script_data() {
    // A page drawn by its scripts: the day is only in the state object.
    let html = format!(
        r#"<html><head><script>window.__STATE__ = {{"story":{{"id":41,"publishedAt":"2021-05-06T09:00:00+02:00","title":"Budget"}}}};</script></head><body><h1>Budget vote</h1>{BODY}</body></html>"#
    );
    let f = date_of(&html, None).unwrap();
    assert_eq!((f.date, f.source), (ymd(2021, 5, 6), "script"));
    // JSON escaped inside a JS string, a creation key, a JSON data block.
    let html = format!(
        r#"<html><head><script>var data = JSON.parse("{{\"created_at\":\"2020-03-04 10:00:00\"}}");</script></head><body><h1>Budget vote</h1>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2020, 3, 4)));
    let html = format!(
        r#"<html><body><h1>Budget vote</h1>{BODY}<script type="application/json">{{"publication_date":"2019-10-11"}}</script></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2019, 10, 11)));
}

#[test]
fn inline_script_data_naming_several_days_is_a_list() {
    // References or related stories, each with its day: none is the page's.
    let html = format!(
        r#"<html><head><script>var refs = [{{"title":"Council minutes","publishDate":"2012-06-24"}},{{"title":"Park plan","publishDate":"2016-06-25"}}];</script></head><body><h1>Budget vote</h1>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), None);
}

#[test]
fn xhtml_language_sets_the_order_of_numeric_dates() {
    let page = |attr: &str| {
        format!(
            r#"<html {attr}><body><h1>Budget vote</h1><p class="byline">By A. Writer 03/04/2020</p>{BODY}</body></html>"#
        )
    };
    assert_eq!(
        day_of(&page(r#"xml:lang="en-GB""#), None),
        Some(ymd(2020, 4, 3))
    );
    assert_eq!(
        day_of(&page(r#"lang="en-US""#), None),
        Some(ymd(2020, 3, 4))
    );
}

#[test]
fn a_month_name_in_the_url_path() {
    let html = format!("<html><body><h1>Budget vote</h1>{BODY}</body></html>");
    assert_eq!(
        day_of(
            &html,
            Some("https://news.example/city/2018/jan/17/budget-vote")
        ),
        Some(ymd(2018, 1, 17))
    );
}

#[test]
fn month_names_in_more_languages() {
    for (text, want) in [
        ("Опубликовано 15 августа 2016, 13:43", ymd(2016, 8, 15)),
        ("Оновлено 3 вересня 2021", ymd(2021, 9, 3)),
        ("Opublikowano 7 października 2019", ymd(2019, 10, 7)),
        ("Gepubliceerd op 12 maart 2020", ymd(2020, 3, 12)),
        ("Publicado em 4 de março de 2018", ymd(2018, 3, 4)),
    ] {
        assert_eq!(find_text_date(text).map(|d| d.0), Some(want), "{text}");
    }
    let html = format!(
        r#"<html lang="ru"><body><article><p class="date">15 августа 2016, 13:43</p><h1>Бюджет города</h1>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2016, 8, 15)));
}

#[test]
fn a_box_named_as_furniture_that_holds_the_titled_heading_is_the_story() {
    let html = format!(
        r#"<html><head><title>Council approves the new budget - City News</title></head><body>
        <ul class="menu"><li><a href="/">Home</a></li><li><a href="/city">City</a></li><li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li><li><a href="/weather">Weather</a></li><li><a href="/contact">Contact</a></li></ul>
        <div class="teaser-text"><h2>Council approves the new budget</h2><p class="byline">By A. Writer, 12.03.2021</p>{BODY}</div>
        <div class="footer"><p>About us</p><p>Imprint</p><p>Privacy</p><p>Jobs</p><p>Advertise</p></div>
        </body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2021, 3, 12)));
}

#[test]
fn an_articles_own_side_column_is_not_furniture() {
    let page = |inside: bool| {
        let column = r#"<div class="sidebar"><div class="sidebar__item"><p class="time"><time datetime="2022-01-28">28. Januar 2022</time></p></div></div>"#;
        let (a, b) = if inside { (column, "") } else { ("", column) };
        format!(
            r#"<html><body><ul class="menu"><li><a href="/">Home</a></li><li><a href="/city">City</a></li></ul>
            <article><h1>Council approves the new budget</h1><div class="lead">{BODY}{BODY}{BODY}{BODY}{BODY}</div>{a}</article>{b}
            <div class="footer"><p>About us</p><p>Imprint</p></div></body></html>"#
        )
    };
    assert_eq!(day_of(&page(true), None), Some(ymd(2022, 1, 28)));
    // A sidebar of the page, outside the article, stays furniture.
    assert_eq!(day_of(&page(false), None), None);
}

#[test]
fn a_date_inside_a_sentence_of_the_story_is_not_the_page_day() {
    // No header date; the only date is one a sentence of the story talks
    // about, inside the article: a missing date is better than that one.
    let filler = "<p>Words about roads and parks and the budget of the district.</p>".repeat(20);
    for sentence in [
        // Far into its paragraph.
        "The ferry service has been losing money for years, and the harbour board now says it is expected to close on 9 April 2016. Staff were told on Monday.",
        // Near the start of its paragraph, with prose on both sides.
        "The board chair said on 9 April 2016 that the ferry would need a new operator before the summer season.",
        "The councillors met. The 9 April 2016 report on the ferry was read out in full to the members present.",
    ] {
        let html = format!(
            r#"<html><body><article><h1>Harbour board meets on the ferry plan</h1>{BODY}{filler}<p>{sentence}</p>{BODY}</article></body></html>"#
        );
        assert_eq!(day_of(&html, None), None, "{sentence}");
        // Right under the headline too.
        let html = format!(
            r#"<html><body><article><h1>Harbour board meets on the ferry plan</h1><p>{sentence}</p>{filler}</article></body></html>"#
        );
        assert_eq!(day_of(&html, None), None, "{sentence}");
    }
    // A date line with a word or two before it still dates the page.
    let html = format!(
        r#"<html><body><article><h1>Harbour board meets on the ferry plan</h1><p>PORTHAVEN, 9 April 2016 – The harbour board met on Tuesday to discuss the ferry between the two towns.</p>{filler}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2016, 4, 9)));
}

#[test]
fn a_third_level_heading_that_repeats_the_title_is_the_headline() {
    // The story's column is named like a side column, and its heading is an
    // `<h3>`: the box around the heading that repeats the title is the story.
    let widgets = r#"<li><a href="/a">Another story about the harbour</a></li>"#.repeat(40);
    let html = format!(
        r#"<html><head><title>Harbour board approves the ferry plan | Porthaven News</title></head><body>
        <h1>Porthaven News</h1><div class="widgets"><ul>{widgets}</ul></div>
        <div class="sidebar_content"><div class="post"><h3><a href="/ferry">Harbour board approves the ferry plan</a></h3>
        <div class="post_detail">12 May 2017</div>{BODY}</div></div>
        <div class="widgets"><ul>{widgets}</ul></div></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2017, 5, 12)));
}

#[test]
fn a_time_element_shows_its_day_when_the_machine_value_is_days_away() {
    // The visible "Published" day under the headline is the page's; the
    // machine value days later is another event of the publishing system.
    let html = format!(
        r#"<html><body><article><h1>Harbour board approves the ferry plan</h1>
        <div class="time"><time datetime="2019-07-03T10:18:46Z">Published 29 June 2019</time></div>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2019, 6, 29)));
    // A day apart (a time zone), the machine value is still read as before.
    let html = format!(
        r#"<html><body><article><h1>Harbour board approves the ferry plan</h1>
        <time datetime="2019-07-04T09:00:00+02:00">4 July 2019</time>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2019, 7, 4)));
}

#[test]
fn a_plain_time_far_below_the_headline_does_not_beat_the_first_post() {
    // A thread: the first post's time (a permalink) under the headline, and
    // far below, a reply's time in a plain box.
    let replies = BODY.repeat(45);
    let html = format!(
        r#"<html><body><article><h1>Harbour board approves the ferry plan</h1>
        <a href="/t/1#p1"><time datetime="2020-09-18T08:56:40-07:00">Sep 18</time></a>{BODY}{replies}
        <div><time datetime="2020-10-06T09:38:55-07:00">Oct 6</time></div>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2020, 9, 18)));
}

#[test]
fn a_labelled_time_in_a_list_far_below_the_headline_is_a_listed_story() {
    // The header shows only an update day; far below, a list of other stories
    // labels their times as published.
    let items = r#"<li><a href="/other">Another story about the harbour</a> <span>Published:</span> <time class="meta-time" datetime="2020-01-29T12:44:08+01:00">51 minutes ago</time></li>"#.repeat(2);
    let html = format!(
        r#"<html><body><article><h1>Harbour board approves the ferry plan</h1>
        <ul class="meta"><li><span>Updated on</span> <time datetime="2020-01-28T15:49:07+01:00">28.01.2020</time></li></ul>
        {BODY}{}</article><ul>{items}</ul></body></html>"#,
        BODY.repeat(45)
    );
    assert_eq!(day_of(&html, None), Some(ymd(2020, 1, 28)));
}

#[test]
fn a_labelled_date_in_a_sentence_far_from_the_url_month_is_the_storys() {
    // The URL says September 2023 and the header shows only an update line;
    // a sentence of the story says when a chart was "published" in 2004.
    let filler = "<p>Words about roads and parks and the budget of the district.</p>".repeat(8);
    let url = "https://news.example/arts/2023/09/harbour-chart-returns-00001/";
    let sentence = "The harbour museum hung the old tide chart in its main hall, with the chart published on 17 April 2004 by the port office.";
    let html = format!(
        r#"<html lang="en"><body><article><h1>Harbour chart returns to the museum</h1><p>By Ana Mole | Last updated September 6, 2023</p>{filler}<p>{sentence}</p>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, Some(url)), Some(ymd(2023, 9, 6)));
    // The same label as a date line of its own still dates the page.
    let html = format!(
        r#"<html lang="en"><body><article><h1>Harbour chart returns to the museum</h1><p>Published on 12 September 2023</p>{filler}<p>{sentence}</p>{BODY}</article></body></html>"#
    );
    assert_eq!(day_of(&html, Some(url)), Some(ymd(2023, 9, 12)));
}

#[test]
fn a_publication_meta_key_under_a_vendor_prefix() {
    // The article's own date sits in its sharing bar (furniture); the list of
    // further stories below names a later day in elements of the same class.
    let html = format!(
        r#"<html><head><meta name="cms-pubdate" content="2022-03-09"></head><body>
        <h1>District opens new library wing</h1>
        <div class="share-bar"><div class="pubdate">09.03.2022</div></div>{BODY}
        <ul class="more"><li><a href="/a">Bus lines change in spring</a>
        <div class="pubdate">10. Mar 2022</div></li></ul></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2022, 3, 9)));
    for name in ["og:pubdate", "tv-publishdate"] {
        let html = format!(
            r#"<html><head><meta name="{name}" content="2022-03-09"></head><body><h1>T</h1>{BODY}</body></html>"#
        );
        assert_eq!(day_of(&html, None), Some(ymd(2022, 3, 9)), "{name}");
    }
    // A generic key after a prefix is another event, not the publication.
    let html = format!(
        r#"<html><head><meta name="embargo-date" content="2022-03-09"></head><body><h1>T</h1>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), None);
}

#[test]
fn a_date_in_a_sentence_that_goes_on_after_it_is_the_storys() {
    // Few words before the date, but the sentence runs on after it, and the
    // words before are a sentence's (a lowercase word, a determiner).
    let filler = "<p>Words about roads and parks and the budget of the district.</p>".repeat(5);
    for sentence in [
        "Speaking on 9 April 2016, the chair said the ferry needs a new operator by summer.",
        "Since the 9 April 2016, the harbour board has met every week to discuss the ferry.",
        "The 9 April 2016 ferry report did not say who would run the service next year.",
        "The accident, on 9 April 2016, happened when the ferry hit the pier in a storm.",
    ] {
        let html = format!(
            r#"<html><body><article><h1>Harbour board meets on the ferry plan</h1>{filler}<p>{sentence}</p>{filler}</article></body></html>"#
        );
        assert_eq!(day_of(&html, None), None, "{sentence}");
    }
    // A date line with a place before it still dates the page.
    let html = format!(
        r#"<html><body><article><h1>Harbour board meets on the ferry plan</h1><p>PORTHAVEN, 9 April 2016 – The harbour board met on Tuesday to discuss the ferry.</p>{filler}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2016, 4, 9)));
}

#[test]
fn a_sentence_ending_with_its_date_is_the_storys() {
    // A short paragraph, or a photo caption, that is a sentence ending on the
    // date: a day the story talks about, not a date line.
    let filler = "<p>Words about roads and parks and the budget of the district.</p>".repeat(5);
    for block in [
        "<p>But he went back to the harbour on 9 April 2016.</p>",
        r#"<figure><img src="/f.jpg" alt="The ferry"><figcaption>The ferry leaving the harbour on 9 April 2016. <span class="credit">(Photo: Harbour Board)</span></figcaption></figure>"#,
    ] {
        let html = format!(
            r#"<html><body><article><h1>Harbour board meets on the ferry plan</h1>{block}{filler}</article></body></html>"#
        );
        assert_eq!(day_of(&html, None), None, "{block}");
    }
    // A date line without a sentence still dates the page.
    let html = format!(
        r#"<html><body><article><h1>Harbour board meets on the ferry plan</h1><p>Harbour desk, 9 April 2016.</p>{filler}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2016, 4, 9)));
}

#[test]
fn a_date_inside_the_headlines_sentence_is_the_storys() {
    // The headline (and the title that repeats it) runs on after its date:
    // a day the story talks about.
    let filler = "<p>Words about roads and parks and the budget of the district.</p>".repeat(5);
    for headline in [
        "We answer on 9 April 2016 a backlog of claims",
        "The Harbour Board Could Meet 9 April 2016 Was the Plan",
    ] {
        let html = format!(
            r#"<html><head><title>{headline} | Harbour News</title></head><body><article><h1>{headline}</h1>{filler}</article></body></html>"#
        );
        assert_eq!(day_of(&html, None), None, "{headline}");
    }
    // A headline that ends on its date names the page's day where the page
    // says so too (here in its address), but not on its own.
    for headline in [
        "Harbour board minutes 9 April 2016",
        "Released 1 March 2002",
    ] {
        let html = format!(
            r#"<html><head><title>{headline} | Harbour News</title><meta property="og:title" content="{headline}"></head><body><article><h1>{headline}</h1>{filler}</article></body></html>"#
        );
        assert_eq!(day_of(&html, None), None, "{headline}");
    }
    let headline = "Harbour board minutes 9 April 2016";
    let html = format!(
        r#"<html><head><title>{headline} | Harbour News</title></head><body><article><h1>{headline}</h1>{filler}</article></body></html>"#
    );
    let url = "https://x.example/news/2016/04/harbour-board-minutes/";
    assert_eq!(day_of(&html, Some(url)), Some(ymd(2016, 4, 9)));
}

#[test]
fn a_title_date_that_the_headline_does_not_repeat_dates_the_page() {
    // The title's own stamp, beside a headline without a date.
    let filler = "<p>Words about roads and parks and the budget of the district.</p>".repeat(5);
    let html = format!(
        r#"<html><head><title>08.11.2021 | Harbour board meets | Harbour News</title></head><body><article><h1>Harbour board meets</h1>{filler}</article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2021, 11, 8)));
}

#[test]
fn a_date_of_a_listed_story_is_not_the_page_day_even_in_the_url_month() {
    // The URL names a month, and only a related story in the list below has a
    // day in it: that day is the listed story's, not the page's.
    let filler = "<p>Words about roads and parks and the budget of the district.</p>".repeat(20);
    let html = format!(
        r#"<html><body><article><h1>Harbour board meets on the ferry plan</h1>{filler}</article>
        <div class="related"><h2>Related stories</h2><ul>
        <li><a href="/a">Ferry fares to rise</a> <span class="rel-date">September 20, 2012</span></li>
        <li><a href="/b">Pier repairs start</a> <span class="rel-date">March 3, 2010</span></li>
        </ul></div></body></html>"#
    );
    assert_eq!(
        day_of(&html, Some("https://x.example/news/2012/09/ferry-plan/")),
        None
    );
}

fn scan_in(text: &str, lang: Option<&str>) -> Option<NaiveDate> {
    scan(text, Reading::for_lang(lang)).first().map(|t| t.date)
}

#[test]
fn cldr_month_names_romance_germanic_and_uralic() {
    for (text, lang, want) in [
        ("Publicat pe 3 iulie 2020", "ro", ymd(2020, 7, 3)),
        ("Publicat el 3 de juliol de 2020", "ca", ymd(2020, 7, 3)),
        ("Publicado o 3 de xullo de 2020", "gl", ymd(2020, 7, 3)),
        ("Diterbitkan 3 Juli 2020", "id", ymd(2020, 7, 3)),
        ("Julkaistu 3. heinäkuuta 2020", "fi", ymd(2020, 7, 3)),
        ("Yayınlanma 3 Temmuz 2020", "tr", ymd(2020, 7, 3)),
        ("Δημοσιεύθηκε 3 Ιουλίου 2020", "el", ymd(2020, 7, 3)),
        ("Közzétéve: 2020. július 3. 10:20", "hu", ymd(2020, 7, 3)),
        ("2020. júl. 3.", "hu", ymd(2020, 7, 3)),
    ] {
        assert_eq!(scan_in(text, Some(lang)), Some(want), "{text}");
    }
}

#[test]
fn cldr_month_names_slavic_and_the_language_that_settles_them() {
    for (text, lang, want) in [
        ("Objavljeno 3. srpnja 2020.", "hr", ymd(2020, 7, 3)),
        ("Objavljeno 3. juli 2020.", "bs", ymd(2020, 7, 3)),
        ("Publikováno 3. července 2020", "cs", ymd(2020, 7, 3)),
        ("Публикувано на 3 юли 2020", "bg", ymd(2020, 7, 3)),
    ] {
        assert_eq!(scan_in(text, Some(lang)), Some(want), "{text}");
    }
    // "listopad(a)" is October in Croatian, November in Polish and Czech.
    assert_eq!(
        scan_in("3. listopada 2020.", Some("hr")),
        Some(ymd(2020, 10, 3))
    );
    assert_eq!(
        scan_in("3 listopada 2020", Some("pl-PL")),
        Some(ymd(2020, 11, 3))
    );
    assert_eq!(
        scan_in("3 listopad 2020", Some("cs")),
        Some(ymd(2020, 11, 3))
    );
    // Without a language, a name that means different months is not read,
    assert_eq!(scan_in("3 listopad 2020", None), None);
    // nor a short name that only one language has (Turkish "Tem").
    assert_eq!(scan_in("3 Tem 2020", None), None);
    assert_eq!(scan_in("3 Tem 2020", Some("tr")), Some(ymd(2020, 7, 3)));
    // A year that a sentence runs into a month and a number is no date.
    assert_eq!(scan_in("in 2020 March 5 people", Some("en")), None);
}

#[test]
fn hebrew_arabic_and_persian_dates() {
    // Hebrew joins "in" to the month: "ביולי".
    assert_eq!(
        scan_in("פורסם 3 ביולי 2020", Some("he")),
        Some(ymd(2020, 7, 3))
    );
    assert_eq!(
        scan_in("نشر في 3 يوليو 2020", Some("ar")),
        Some(ymd(2020, 7, 3))
    );
    // Levantine names, Arabic-Indic digits, a name of two words, and both
    // names of the month side by side.
    assert_eq!(scan_in("٣ تموز ٢٠٢٠", Some("ar")), Some(ymd(2020, 7, 3)));
    assert_eq!(
        scan_in("٣ كانون الثاني ٢٠٢٠", Some("ar")),
        Some(ymd(2020, 1, 3))
    );
    assert_eq!(
        scan_in("الجمعة ٣ يوليو/تموز ٢٠٢٠", Some("ar")),
        Some(ymd(2020, 7, 3))
    );
    // Persian digits and the Gregorian month in Persian; a Solar Hijri year
    // (1399) is no Gregorian date.
    assert_eq!(scan_in("۱۳ ژوئیه ۲۰۲۰", Some("fa")), Some(ymd(2020, 7, 13)));
    assert_eq!(scan_in("۱۳ تیر ۱۳۹۹", Some("fa")), None);
}

#[test]
fn native_digits_keep_the_offsets_of_the_text() {
    let text = "نشر في ٢٠٢٠/٠٧/٠٢ مساء";
    let found = scan(text, NumOrder::Unknown);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].date, ymd(2020, 7, 2));
    assert_eq!(&text[found[0].start..found[0].end], "٢٠٢٠/٠٧/٠٢");
    let text = "更新 ２０２０年７月３日 10時";
    let found = scan(text, NumOrder::Unknown);
    assert_eq!(found[0].date, ymd(2020, 7, 3));
    assert_eq!(&text[found[0].start..found[0].end], "２０２０年７月３");
}

#[test]
fn cjk_and_korean_year_month_day() {
    assert_eq!(
        scan_in("发布时间：2020年7月3日 10:20", Some("zh")),
        Some(ymd(2020, 7, 3))
    );
    assert_eq!(scan_in("2020年07月03日", None), Some(ymd(2020, 7, 3)));
    assert_eq!(
        scan_in("입력 2020년 7월 3일 오후", Some("ko")),
        Some(ymd(2020, 7, 3))
    );
    // A month and day without the year's sign are not a date here.
    assert_eq!(scan_in("7月3日", Some("ja")), None);
    assert_eq!(scan_in("2020年13月3日", Some("ja")), None);
    let html = r#"<html lang="ja"><body><h1>市議会が予算を可決</h1><p class="date">2020年7月3日 10:20</p><p>市議会は本日、来年度の予算案を賛成多数で可決した。道路と学校の整備が中心となる。</p></body></html>"#;
    assert_eq!(day_of(html, None), Some(ymd(2020, 7, 3)));
}

/// A page in a script no rule reads (Amharic here) is still dated by its
/// machine-readable fields, each on its own.
#[test]
fn unreadable_language_falls_back_to_machine_dates() {
    let body = "<h1>የከተማው ምክር ቤት በጀቱን አጸደቀ</h1><p>የከተማው ምክር ቤት ረጅም ክርክር ካደረገ በኋላ የመንገድ፣ የትምህርት ቤቶችና የመናፈሻዎች በጀቱን አጸደቀ።</p>";
    let cases = [
        r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-07-03T09:00:00+03:00"}</script>"#.to_string(),
        r#"<meta property="article:published_time" content="2020-07-03T09:00:00+03:00">"#.to_string(),
    ];
    for head in cases {
        let html = format!(r#"<html lang="am"><head>{head}</head><body>{body}</body></html>"#);
        assert_eq!(day_of(&html, None), Some(ymd(2020, 7, 3)), "{head}");
    }
    let html = format!(
        r#"<html lang="am"><body><article>{body}<time datetime="2020-07-03T09:00:00+03:00">ዓርብ</time></article></body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2020, 7, 3)));
}

/// The local-day rule: an offset names the local day as written; a UTC
/// timestamp a day off from the day the byline shows yields to it.
#[test]
fn local_day_of_offsets_and_utc_against_the_byline() {
    let html = format!(
        r#"<html lang="en"><head><meta property="article:published_time" content="2020-07-02T23:30:00-04:00"></head><body><h1>Council votes</h1>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2020, 7, 2)));
    let html = format!(
        r#"<html lang="en"><head><meta property="article:published_time" content="2020-07-03T03:30:00Z"></head><body><h1>Council votes</h1><p class="byline">By Ana Ruiz, July 2, 2020</p>{BODY}</body></html>"#
    );
    assert_eq!(day_of(&html, None), Some(ymd(2020, 7, 2)));
    // Noon UTC is the same day nearly everywhere: the byline cannot move it.
    let html = html
        .replace("03:30:00Z", "12:00:00Z")
        .replace("July 2", "July 1");
    assert_ne!(day_of(&html, None), Some(ymd(2020, 7, 2)));
}

#[test]
fn the_url_with_a_date_is_read_canonical_first() {
    let proxy = "https://news.example/rss/articles/CBMiQWh0dHBzOi8v";
    let canonical = "https://paper.example/2020/07/03/council-votes";
    assert_eq!(dated_url(Some(canonical), Some(proxy)), Some(canonical));
    let query = "https://paper.example/?p=123";
    assert_eq!(
        dated_url(Some("https://paper.example/council-votes"), Some(canonical)),
        Some(canonical)
    );
    assert_eq!(dated_url(Some(query), None), Some(query));
    assert_eq!(dated_url(None, Some(query)), Some(query));
    // Both dated: the canonical URL is the page's own statement.
    let other = "https://mirror.example/2020/07/04/council-votes";
    assert_eq!(dated_url(Some(canonical), Some(other)), Some(canonical));
    let html = format!(
        r#"<html lang="en"><head><link rel="canonical" href="{canonical}"></head><body><h1>Council votes</h1>{BODY}</body></html>"#
    );
    let opts = crate::extract::ExtractOptions {
        url: Some(proxy.to_string()),
        today: Some(today()),
        ..Default::default()
    };
    let a = crate::extract::extract(html.as_bytes(), &opts).unwrap();
    assert_eq!(a.date, Some(ymd(2020, 7, 3)));
}

#[test]
fn a_date_below_the_minimum_confidence_is_left_out_and_kept_aside() {
    let html = format!(r#"<html lang="en"><body><h1>Council votes</h1>{BODY}</body></html>"#);
    let url = "https://paper.example/2020/07/03/council-votes";
    let opts = |min| crate::extract::ExtractOptions {
        url: Some(url.to_string()),
        today: Some(today()),
        min_date_confidence: min,
        ..Default::default()
    };
    let a = crate::extract::extract(html.as_bytes(), &opts(None)).unwrap();
    let conf = a.date_confidence.unwrap();
    assert_eq!(a.date, Some(ymd(2020, 7, 3)));
    assert!(a.date_rejected.is_none());
    let b = crate::extract::extract(html.as_bytes(), &opts(Some(conf + 0.01))).unwrap();
    assert_eq!(
        (b.date, b.date_confidence, b.date_source),
        (None, None, None)
    );
    let r = b.date_rejected.unwrap();
    assert_eq!(
        (r.date, r.source.as_str(), r.confidence),
        (ymd(2020, 7, 3), "url", conf)
    );
    let c = crate::extract::extract(html.as_bytes(), &opts(Some(conf))).unwrap();
    assert_eq!(c.date, Some(ymd(2020, 7, 3)));
}

/// A page dated only by a modification field of its metadata is dated, less
/// surely than by an update line its readers see.
#[test]
fn a_hidden_modification_field_alone_dates_a_page_weakly() {
    let hidden = format!(
        r#"<html><head><meta property="og:updated_time" content="2018-12-02T11:25:00+01:00"></head><body><h1>T</h1>{BODY}</body></html>"#
    );
    let shown = format!(
        r#"<html><body><h1>T</h1><p class="byline">Last updated 2018-12-02 11:25</p>{BODY}</body></html>"#
    );
    let (h, s) = (
        date_of(&hidden, None).unwrap(),
        date_of(&shown, None).unwrap(),
    );
    assert_eq!((h.date, s.date), (ymd(2018, 12, 2), ymd(2018, 12, 2)));
    assert!(
        h.confidence <= 0.1 && s.confidence > h.confidence,
        "{h:?} {s:?}"
    );
}
