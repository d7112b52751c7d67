//! The binary end to end, on the sample corpus and on pages made in the tests.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::str::contains;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn expected() -> Vec<Value> {
    let raw = std::fs::read_to_string(corpus().join("EXPECTED.json")).unwrap();
    serde_json::from_str(&raw).unwrap()
}

fn civ() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("civsearch");
    c.env_remove("CIVSEARCH_INDEX");
    c
}

/// Index `path` into `index`, returning the run's JSON report.
fn index(path: &Path, index: &Path) -> Value {
    let report = index.with_extension("report.json");
    civ()
        .args(["index", "--quiet", "--index"])
        .arg(index)
        .arg("--report")
        .arg(&report)
        .arg(path)
        .assert()
        .success();
    serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap()
}

fn query_json(index: &Path, args: &[&str]) -> Value {
    let out = civ()
        .arg("query")
        .arg("--index")
        .arg(index)
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code().unwrap() < 2,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn total(index: &Path, args: &[&str]) -> u64 {
    query_json(index, args)["total"].as_u64().unwrap()
}

fn paths_of(v: &Value) -> Vec<String> {
    let mut p: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            // Paths start with the indexed folder's own name (`corpus/`).
            let path = h["path"].as_str().unwrap_or("");
            path.split_once('/')
                .map_or(path, |(_, rest)| rest)
                .to_string()
        })
        .collect();
    p.sort();
    p
}

#[test]
fn corpus_phrase_counts_match_the_ground_truth_and_boilerplate_never_matches() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    let report = index(&corpus(), &ix);
    let exp = expected();
    assert_eq!(report["added"].as_u64().unwrap() as usize, exp.len());
    assert!(report["failed"].as_array().unwrap().is_empty());

    let with = |kind: &str| -> Vec<String> {
        let mut v: Vec<String> = exp
            .iter()
            .filter(|e| e["sanctuary_city"] == kind)
            .map(|e| e["path"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    let hits = query_json(&ix, &["\"sanctuary city\"", "--limit", "100"]);
    assert_eq!(paths_of(&hits), with("body"));
    for boiler in with("boilerplate") {
        assert!(
            !paths_of(&hits).contains(&boiler),
            "{boiler} matched through boilerplate"
        );
    }
    // Both words apart match the words query, not the phrase.
    let words = paths_of(&query_json(&ix, &["sanctuary city", "--limit", "100"]));
    for apart in with("apart") {
        assert!(words.contains(&apart), "{apart}");
    }
    assert_eq!(total(&ix, &["\"sanctuary cities\""]), 1);
    // Page furniture is never indexed.
    for junk in [
        "\"skip to content\"",
        "\"all rights reserved\"",
        "\"sign up for our newsletter\"",
        "\"share on facebook\"",
    ] {
        assert_eq!(total(&ix, &[junk]), 0, "{junk}");
    }
}

#[test]
fn corpus_titles_dates_authors_and_outlets_are_extracted() {
    for e in expected() {
        let out = civ()
            .args(["extract", "--format", "json"])
            .arg(corpus().join(e["path"].as_str().unwrap()))
            .output()
            .unwrap();
        assert!(out.status.success());
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got["title"], e["title"], "{}", e["path"]);
        assert_eq!(got["date"], e["date"], "{}", e["path"]);
        assert_eq!(got["author"], e["author"], "{}", e["path"]);
        // Every HTML page names its outlet (meta tag, title suffix the footer
        // agrees with, URL host); a text dump may not, but a wrong name is never given.
        let html = e["path"].as_str().unwrap().starts_with("html/");
        if html || !got["outlet"].is_null() {
            assert_eq!(got["outlet"], e["outlet"], "{}", e["path"]);
        }
        let start = e["first_paragraph_starts"].as_str().unwrap();
        let body = got["body"].as_str().unwrap();
        assert!(
            body.starts_with(&start[..start.len().min(25)])
                || !e["path"].as_str().unwrap().starts_with("html/"),
            "{}: {}",
            e["path"],
            &body[..body.len().min(80)]
        );
    }
}

#[test]
fn date_range_and_outlet_filters_through_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&corpus(), &ix);
    let exp = expected();
    let in_window = exp
        .iter()
        .filter(|e| e["sanctuary_city"] == "body")
        .filter(|e| {
            e["date"]
                .as_str()
                .is_some_and(|d| ("2017-08-01"..="2018-02-28").contains(&d))
        })
        .count() as u64;
    assert_eq!(
        total(
            &ix,
            &["\"sanctuary city\"", "--from", "2017-08", "--to", "2018-02"]
        ),
        in_window
    );
    let ledger = exp
        .iter()
        .filter(|e| e["outlet"] == "The Riverton Ledger")
        .count() as u64;
    // Every article has the word "the"; the outlet filter keeps one outlet's pages.
    assert_eq!(
        total(&ix, &["the", "--outlet", "riverton ledger", "--limit", "0"]),
        ledger
    );
    let undated = exp.iter().filter(|e| e["date"].is_null()).count() as u64;
    assert_eq!(total(&ix, &["the", "--undated", "only"]), undated);
}

#[test]
fn reindex_is_idempotent_edits_replace_and_prune_removes() {
    let tmp = tempfile::tempdir().unwrap();
    let pages = tmp.path().join("pages");
    std::fs::create_dir_all(pages.join("sub")).unwrap();
    let page = |title: &str, word: &str| {
        format!(
            "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>The council met on Tuesday and discussed the {word} proposal at length, with many residents speaking.</p></article></body></html>"
        )
    };
    std::fs::write(pages.join("a.html"), page("Library hours", "zeppelin")).unwrap();
    std::fs::write(pages.join("sub/b.html"), page("Bus routes", "marmalade")).unwrap();
    std::fs::write(pages.join("c.txt"), "Ferry fares rise\n\nThe ferry board raised fares by a quarter on Monday, citing fuel costs.\n").unwrap();
    let ix = tmp.path().join("ix");

    let first = index(&pages, &ix);
    assert_eq!(first["added"], 3);
    let second = index(&pages, &ix);
    assert_eq!(second["added"], 0);
    assert_eq!(second["updated"], 0);
    assert_eq!(second["unchanged"], 3);
    assert_eq!(second["documents_in_index"], 3);
    civ()
        .args(["index", "--quiet", "--index"])
        .arg(&ix)
        .arg(&pages)
        .assert()
        .success()
        .stdout(contains("index unchanged"));

    std::fs::write(pages.join("a.html"), page("Library hours", "gondola")).unwrap();
    let third = index(&pages, &ix);
    assert_eq!(third["updated"], 1);
    assert_eq!(total(&ix, &["zeppelin"]), 0);
    assert_eq!(total(&ix, &["gondola"]), 1);
    assert_eq!(third["documents_in_index"], 3);

    std::fs::remove_file(pages.join("sub/b.html")).unwrap();
    assert_eq!(
        total(&ix, &["marmalade"]),
        1,
        "without --prune a removed file stays"
    );
    civ()
        .args(["index", "--quiet", "--prune", "--index"])
        .arg(&ix)
        .arg(&pages)
        .assert()
        .success();
    assert_eq!(total(&ix, &["marmalade"]), 0);
}

/// Set a file's modification time, as an old file would have.
fn set_mtime(path: &Path, t: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[test]
fn rerun_skips_files_by_size_and_time_without_reading_them() {
    let tmp = tempfile::tempdir().unwrap();
    let pages = tmp.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let page = |word: &str| {
        format!(
            "<html><head><title>Harbour dredging</title></head><body><article><h1>Harbour dredging</h1><p>The port board approved the {word} dredging contract on Monday after a long debate with fishermen.</p></article></body></html>"
        )
    };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let a = pages.join("a.html");
    let b = pages.join("b.html");
    std::fs::write(&a, page("walrus")).unwrap();
    std::fs::write(&b, page("pelican")).unwrap();
    set_mtime(&a, hour_ago);
    set_mtime(&b, hour_ago);
    let ix = tmp.path().join("ix");
    assert_eq!(index(&pages, &ix)["added"], 2);

    // Same size, same time, same file: taken as unchanged without being read
    // (the quick check of make and rsync), so the old text stays indexed.
    std::fs::write(&a, page("narwal")).unwrap();
    set_mtime(&a, hour_ago);
    let second = index(&pages, &ix);
    assert_eq!(second["unchanged"], 2);
    assert_eq!(second["updated"], 0);
    assert_eq!(total(&ix, &["walrus"]), 1);

    // A new modification time is a change: the file is read and replaced.
    set_mtime(&a, hour_ago + std::time::Duration::from_secs(60));
    let third = index(&pages, &ix);
    assert_eq!(third["updated"], 1);
    assert_eq!(third["unchanged"], 1);
    assert_eq!(total(&ix, &["walrus"]), 0);
    assert_eq!(total(&ix, &["narwal"]), 1);

    // So is a new sidecar beside an unchanged file.
    std::fs::write(
        pages.join("b.html.meta.json"),
        r#"{"outlet": "The Quayside Courier"}"#,
    )
    .unwrap();
    let fourth = index(&pages, &ix);
    assert_eq!(fourth["updated"], 1);
    assert_eq!(
        total(&ix, &["pelican", "--outlet", "the quayside courier"]),
        1
    );

    // A file written moments ago has a time too fresh to trust (a second
    // edit within the file system's timestamp granularity keeps it), so a
    // same-size edit that keeps the time is still found by its content.
    let now = std::time::SystemTime::now();
    std::fs::write(&a, page("manatee")).unwrap();
    set_mtime(&a, now);
    assert_eq!(index(&pages, &ix)["updated"], 1);
    std::fs::write(&a, page("dugongs")).unwrap();
    set_mtime(&a, now);
    assert_eq!(index(&pages, &ix)["updated"], 1);
    assert_eq!(total(&ix, &["dugongs"]), 1);
}

#[test]
fn json_output_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&corpus(), &ix);
    let v = query_json(&ix, &["\"sanctuary city\"", "--limit", "3"]);
    assert_eq!(v["total"], 8);
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 3);
    for h in hits {
        for key in [
            "id", "url", "path", "title", "date", "outlet", "author", "score", "snippet",
        ] {
            assert!(h.get(key).is_some(), "hit lacks {key}");
        }
        assert!(h["date"].is_null() || h["date"].as_str().unwrap().len() == 10);
        assert!(
            h["snippet"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("sanctuary city")
        );
    }
    // jsonl: one hit a line; csv: a header and one row a hit.
    let out = civ()
        .args(["query", "--index"])
        .arg(&ix)
        .args(["\"sanctuary city\"", "--format", "jsonl", "--limit", "100"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 8);
    let out = civ()
        .args(["query", "--index"])
        .arg(&ix)
        .args(["\"sanctuary city\"", "--format", "csv", "--limit", "100"])
        .output()
        .unwrap();
    let mut rdr = csv::Reader::from_reader(&out.stdout[..]);
    assert_eq!(rdr.records().count(), 8);
}

#[test]
fn exit_codes_and_error_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&corpus(), &ix);
    civ()
        .args(["query", "--index"])
        .arg(&ix)
        .arg("\"sanctuary city\"")
        .assert()
        .code(0)
        .stdout(contains("8 articles match"));
    civ()
        .args(["query", "--index"])
        .arg(&ix)
        .arg("xylophonequartet")
        .assert()
        .code(1)
        .stdout(contains("0 articles match"));
    civ()
        .args(["query", "--index"])
        .arg(&ix)
        .arg("\"sanctuary city")
        .assert()
        .code(2)
        .stderr(contains("position 1"));
    civ()
        .args(["query", "--index"])
        .arg(tmp.path().join("nope"))
        .arg("x")
        .assert()
        .code(2)
        .stderr(contains("civsearch index"));
    civ()
        .args(["query", "--index"])
        .arg(&ix)
        .args(["x", "--from", "2018-13"])
        .assert()
        .code(2)
        .stderr(contains("--from"));
    // The environment variable names the index when --index is absent.
    civ()
        .env("CIVSEARCH_INDEX", &ix)
        .args(["query", "\"sanctuary city\""])
        .assert()
        .code(0);
}

#[test]
fn stats_counts_documents_undated_and_outlets() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&corpus(), &ix);
    let out = civ()
        .args(["stats", "--format", "json", "--index"])
        .arg(&ix)
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    let exp = expected();
    assert_eq!(s["documents"].as_u64().unwrap() as usize, exp.len());
    assert_eq!(
        s["undated"].as_u64().unwrap() as usize,
        exp.iter().filter(|e| e["date"].is_null()).count()
    );
    assert!(s["first_date"].as_str().unwrap().starts_with("2015"));
    assert!(s["size_bytes"].as_u64().unwrap() > 0);
}

#[test]
fn bad_files_are_reported_and_the_rest_indexed() {
    let tmp = tempfile::tempdir().unwrap();
    let pages = tmp.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(pages.join("good.html"), "<html><body><article><h1>Pier reopens</h1><p>The pier reopened on Friday after a two-year repair that cost the city four million dollars.</p></article></body></html>").unwrap();
    std::fs::write(pages.join("empty.html"), "").unwrap();
    std::fs::write(pages.join("binary.html"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    std::fs::write(pages.join("broken.html.gz"), b"\x1f\x8b\x08\x00garbage").unwrap();
    std::fs::write(pages.join("photo.jpg"), b"\xff\xd8\xff").unwrap();
    let ix = tmp.path().join("ix");
    let report_path = tmp.path().join("r.json");
    civ()
        .args(["index", "--quiet", "--index"])
        .arg(&ix)
        .arg("--report")
        .arg(&report_path)
        .arg(&pages)
        .assert()
        .code(3)
        .stdout(contains("failed 3"));
    let r: Value = serde_json::from_str(&std::fs::read_to_string(report_path).unwrap()).unwrap();
    assert_eq!(r["added"], 1);
    let failed: Vec<String> = r["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["path"], f["reason"]))
        .collect();
    assert!(
        failed
            .iter()
            .any(|f| f.contains("empty.html") && f.contains("empty")),
        "{failed:?}"
    );
    assert!(
        failed
            .iter()
            .any(|f| f.contains("binary.html") && f.contains("binary")),
        "{failed:?}"
    );
    assert!(
        failed
            .iter()
            .any(|f| f.contains("broken.html.gz") && f.contains("gzip")),
        "{failed:?}"
    );
    assert_eq!(r["skipped"]["unsupported file type (.jpg)"], 1);
    assert_eq!(total(&ix, &["pier"]), 1);
}

/// `civsearch stats | head -1`: a reader that has gone ends the command quietly
/// (no panic, no backtrace), for every subcommand that prints.
#[test]
fn a_closed_pipe_ends_output_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    index(&corpus(), &ix);
    let page = corpus().join("html");
    let first_page = std::fs::read_dir(&page)
        .unwrap()
        .flatten()
        .flat_map(|outlet| std::fs::read_dir(outlet.path()).unwrap().flatten())
        .map(|e| e.path())
        .next()
        .unwrap();
    let ix_arg = ix.to_str().unwrap();
    let page_arg = first_page.to_str().unwrap();
    for args in [
        vec!["stats", "--index", ix_arg],
        vec!["query", "council", "--index", ix_arg],
        vec!["query", "*", "--all", "--format", "csv", "--index", ix_arg],
        vec!["extract", page_arg],
    ] {
        // A pipe whose reading end is closed before the command writes: its
        // first write fails with a broken pipe.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_civsearch"))
            .args(&args)
            .env_remove("CIVSEARCH_INDEX")
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && stderr.is_empty(),
            "{args:?}: {stderr}"
        );
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
}

/// `--min-date-confidence` leaves a weakly dated page undated in the index,
/// keeps the sure date, and `extract` shows the date left out.
#[test]
fn min_date_confidence_leaves_unsure_dates_out() {
    let tmp = tempfile::tempdir().unwrap();
    let pages = tmp.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let text = "<p>The harbour board approved the new ferry timetable after a long meeting with residents and traders.</p>";
    std::fs::write(
        pages.join("sure.html"),
        format!(r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","datePublished":"2020-07-03T09:00:00+02:00"}}</script><meta property="article:published_time" content="2020-07-03T09:00:00+02:00"></head><body><article><h1>Ferry timetable</h1><time datetime="2020-07-03">3 July 2020</time>{text}</article></body></html>"#),
    )
    .unwrap();
    let weak = pages.join("weak.html");
    std::fs::write(
        &weak,
        format!(r#"<html lang="en"><head><meta property="og:updated_time" content="2020-07-05T10:00:00+02:00"></head><body><article><h1>Ferry timetable again</h1>{text}</article></body></html>"#),
    )
    .unwrap();
    let out = civ()
        .args([
            "extract",
            "--format",
            "json",
            "--min-date-confidence",
            "0.5",
        ])
        .arg(&weak)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["date"].is_null(), "{v}");
    assert_eq!(v["date_rejected"]["date"], "2020-07-05");
    assert_eq!(v["date_rejected"]["source"], "meta");
    let ix = tmp.path().join("ix");
    civ()
        .args([
            "index",
            "--quiet",
            "--min-date-confidence",
            "0.5",
            "--index",
        ])
        .arg(&ix)
        .arg(&pages)
        .assert()
        .success();
    let out = civ()
        .args(["stats", "--format", "json", "--index"])
        .arg(&ix)
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (s["documents"].as_u64(), s["undated"].as_u64()),
        (Some(2), Some(1))
    );
    civ()
        .args(["index", "--min-date-confidence", "1.5"])
        .arg(&pages)
        .assert()
        .failure()
        .stderr(contains("not a number from 0 to 1"));
}

const LINK_PARA: &str = "The council voted six to three on Tuesday night, after a long debate, to approve the new budget for the city's libraries and parks.";

/// A page whose article holds `article` and whose menu and footer link to
/// `menu.example` and `footer.example`.
fn linked_page(title: &str, article: &str) -> String {
    format!(
        r#"<html><head><title>{title}</title></head><body>
        <nav><a href="https://menu.example/">Home</a> <a href="https://menu.example/news">News</a></nav>
        <article><h1>{title}</h1><p>{LINK_PARA}</p>{article}<p>{LINK_PARA} Again.</p></article>
        <footer><a href="https://footer.example/about">About</a></footer></body></html>"#
    )
}

fn write_linked_pages(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let pages = [
        (
            "docs.html",
            linked_page(
                "Budget documents posted",
                r#"<p>The <a href="https://docs.oaklandca.gov/budget.pdf">budget document</a> runs to 400 pages, and texttonly.org has a copy.</p>"#,
            ),
        ),
        (
            "www.html",
            linked_page(
                "Mayor answers questions",
                r#"<p>The mayor answered questions on <a href="https://WWW.OaklandCA.gov/mayor">the city website</a> all evening.</p>"#,
            ),
        ),
        (
            "text.html",
            linked_page(
                "Residents write in",
                "<p>Residents wrote to oaklandca.gov and to texttonly.org in large numbers this week.</p>",
            ),
        ),
    ];
    for (name, html) in pages {
        std::fs::write(dir.join(name), html).unwrap();
    }
}

#[test]
fn link_queries_find_articles_by_linked_domain_and_subdomain() {
    let tmp = tempfile::tempdir().unwrap();
    let pages = tmp.path().join("pages");
    write_linked_pages(&pages);
    let ix = tmp.path().join("ix");
    index(&pages, &ix);
    let found = |q: &str| paths_of(&query_json(&ix, &[q, "--limit", "10"]));
    assert_eq!(found("link:oaklandca.gov"), ["docs.html", "www.html"]);
    assert_eq!(found("link:OAKLANDCA.GOV"), ["docs.html", "www.html"]);
    assert_eq!(found("link:docs.oaklandca.gov"), ["docs.html"]);
    assert_eq!(found("link:www.oaklandca.gov"), ["www.html"]);
    assert_eq!(
        found("link:https://docs.oaklandca.gov/other"),
        ["docs.html"]
    );
    assert_eq!(found("link:gov"), ["docs.html", "www.html"]);
    assert_eq!(found("link:oaklandca.gov mayor"), ["www.html"]);
    assert_eq!(found("residents -link:oaklandca.gov"), ["text.html"]);
    // A domain only named in the text, or only linked from menu and footer,
    // is not a link of the article; nor is a mere suffix of a label.
    for q in [
        "link:texttonly.org",
        "link:menu.example",
        "link:footer.example",
        "link:landca.gov",
    ] {
        assert!(found(q).is_empty(), "{q}");
    }
    // --links gives each hit's links; without it there are none.
    let v = query_json(&ix, &["link:docs.oaklandca.gov", "--links"]);
    assert_eq!(
        v["hits"][0]["links"],
        serde_json::json!([{"url": "https://docs.oaklandca.gov/budget.pdf", "text": "budget document"}])
    );
    let v = query_json(&ix, &["link:docs.oaklandca.gov"]);
    assert!(v["hits"][0].get("links").is_none());
    // A prefix with no host is a syntax error.
    civ()
        .args(["query", "--index"])
        .arg(&ix)
        .arg("budget link:")
        .assert()
        .code(2)
        .stderr(contains("link:"));
}

#[test]
fn extract_prints_markdown_and_json_links() {
    let tmp = tempfile::tempdir().unwrap();
    write_linked_pages(tmp.path());
    let page = tmp.path().join("docs.html");
    let out = civ()
        .args(["extract", "--format", "markdown"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("[budget document](https://docs.oaklandca.gov/budget.pdf)"),
        "{md}"
    );
    assert!(
        !md.contains("menu.example") && !md.contains("About"),
        "{md}"
    );
    let out = civ()
        .args(["extract", "--format", "json"])
        .arg(&page)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.is_object(), "one file gives one object");
    assert_eq!(
        v["links"],
        serde_json::json!([{"url": "https://docs.oaklandca.gov/budget.pdf", "text": "budget document"}])
    );
}

#[test]
fn extract_several_files_as_jsonl_and_as_a_json_array() {
    let tmp = tempfile::tempdir().unwrap();
    write_linked_pages(tmp.path());
    let (a, b) = (tmp.path().join("docs.html"), tmp.path().join("www.html"));
    let out = civ()
        .args(["extract", "--format", "jsonl"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["path"], a.display().to_string());
    assert_eq!(lines[0]["title"], "Budget documents posted");
    assert_eq!(lines[1]["path"], b.display().to_string());
    assert_eq!(lines[1]["title"], "Mayor answers questions");

    let out = civ()
        .args(["extract", "--format", "json"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().expect("several files give an array");
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[1]["path"], b.display().to_string());

    // A file that fails gives an error object in its place; the others print.
    let empty = tmp.path().join("empty.html");
    std::fs::write(&empty, "").unwrap();
    let out = civ()
        .args(["extract", "--format", "jsonl"])
        .arg(&a)
        .arg(&empty)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["path"], empty.display().to_string());
    assert_eq!(lines[1]["error"], "empty file");
    assert_eq!(lines[2]["title"], "Mayor answers questions");
}

/// A shell page filled in by scripts: no article in the HTML.
const SCRIPT_SHELL: &str = r#"<!doctype html><html><head><title>Loading</title><script src="/app.js"></script></head><body><div id="root"></div><noscript>You need to enable JavaScript to run this app.</noscript></body></html>"#;

#[test]
fn a_page_without_an_article_extracts_empty_and_is_reported_by_index() {
    let tmp = tempfile::tempdir().unwrap();
    let pages = tmp.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(pages.join("shell.html"), SCRIPT_SHELL).unwrap();
    std::fs::write(pages.join("good.html"), "<html><body><article><h1>Pier reopens</h1><p>The pier reopened on Friday after a two-year repair that cost the city four million dollars.</p></article></body></html>").unwrap();
    // extract: an empty body, no error, status 0; JSON names the path taken.
    civ()
        .args(["extract", "--format", "text"])
        .arg(pages.join("shell.html"))
        .assert()
        .success()
        .stdout("\n");
    let out = civ()
        .args(["extract", "--format", "json"])
        .arg(pages.join("shell.html"))
        .arg(pages.join("good.html"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // Several files as JSON: one array, in the order given.
    let docs: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(docs[0]["body"], "");
    assert_eq!(docs[0]["body_source"], "none");
    assert_eq!(docs[1]["body_source"], "main");
    // index: the shell is a failure of its file, not an empty document.
    let ix = tmp.path().join("ix");
    let report_path = tmp.path().join("r.json");
    civ()
        .args(["index", "--quiet", "--index"])
        .arg(&ix)
        .arg("--report")
        .arg(&report_path)
        .arg(&pages)
        .assert()
        .code(3)
        .stdout(contains("no article text found"));
    let r: Value = serde_json::from_str(&std::fs::read_to_string(report_path).unwrap()).unwrap();
    assert_eq!(r["added"], 1);
    let failed = r["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0]["path"].as_str().unwrap().contains("shell.html"));
    assert_eq!(failed[0]["reason"], "no article text found");
}

#[test]
fn no_article_page_of_the_sample_corpus_comes_out_empty() {
    for e in expected() {
        let path = corpus().join(e["path"].as_str().unwrap());
        let out = civ()
            .args(["extract", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", path.display());
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let body = v["body"].as_str().unwrap();
        assert!(
            body.split_whitespace().count() >= 50,
            "{}: body of {} words",
            path.display(),
            body.split_whitespace().count()
        );
        assert_ne!(v["body_source"], "none", "{}", path.display());
    }
}
