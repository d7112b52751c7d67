//! Input formats end to end: WARC, JSON lines, RSS and Atom feeds, zip and tar
//! archives, sidecar metadata. Every corpus is made here, in the test.

mod ingest_common;

use ingest_common::*;
use std::io::Write;

fn warc_corpus() -> Vec<Vec<u8>> {
    // Byte 0xE9 is "й" in windows-1251 (said by the HTTP header only) and "é"
    // in windows-1252 (what detection would guess for this English page).
    let cp1251_page = page("Harbor market reopens", "alpha")
        .replace(
            "</article>",
            "<p>The new stall is called caf\u{1}.</p></article>",
        )
        .into_bytes()
        .into_iter()
        .map(|b| if b == 1 { 0xE9 } else { b })
        .collect::<Vec<u8>>();
    let dup_page = page("Bridge repairs", "bravo");
    let mut gz_chunked = Vec::new();
    let gz = gzip(page("Library hours", "delta").as_bytes());
    gz_chunked.extend_from_slice(format!("{:x}\r\n", gz.len()).as_bytes());
    gz_chunked.extend_from_slice(&gz);
    gz_chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    vec![
        warc_record(
            "WARC/1.0",
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        ),
        warc_record(
            "WARC/1.0",
            "request",
            "http://news.example/a",
            "application/http; msgtype=request",
            b"GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n",
        ),
        // 3: HTML in windows-1251, said by the HTTP header only.
        warc_record(
            "WARC/1.0",
            "response",
            "http://news.example/a",
            "application/http; msgtype=response",
            &http(
                "200 OK",
                &["Content-Type: text/html; charset=windows-1251"],
                &cp1251_page,
            ),
        ),
        // 4: an image.
        warc_record(
            "WARC/1.1",
            "response",
            "http://news.example/logo.png",
            "application/http; msgtype=response",
            &http("200 OK", &["Content-Type: image/png"], b"\x89PNG\r\n\x1a\n"),
        ),
        // 5: a page with no date (the WARC-Date is the fetch time, not used).
        warc_response("http://news.example/b", dup_page.as_bytes()),
        // 6: a revisit of /a.
        warc_record(
            "WARC/1.1",
            "revisit",
            "http://news.example/a",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\n\r\n",
        ),
        // 7: the same payload as /b under another URL.
        warc_response("http://news.example/b-copy", dup_page.as_bytes()),
        // 8: broken: a length that runs past the end of the file.
        b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 99999999\r\n\r\n<html>cut".to_vec(),
        // 9: broken: no Content-Length.
        b"\r\nWARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://news.example/x\r\n\r\n"
            .to_vec(),
        // 10: fine again.
        warc_response(
            "http://news.example/c",
            page("Ferry schedule", "charlie").as_bytes(),
        ),
        // 11: a 404 page.
        warc_record(
            "WARC/1.1",
            "response",
            "http://news.example/missing",
            "application/http; msgtype=response",
            &http(
                "404 Not Found",
                &["Content-Type: text/html"],
                page("Not found", "missing").as_bytes(),
            ),
        ),
        // 12: chunked and gzip-encoded.
        warc_record(
            "WARC/1.1",
            "response",
            "http://news.example/d",
            "application/http; msgtype=response",
            &http(
                "200 OK",
                &[
                    "Content-Type: text/html; charset=utf-8",
                    "Transfer-Encoding: chunked",
                    "Content-Encoding: gzip",
                ],
                &gz_chunked,
            ),
        ),
    ]
}

#[test]
fn warc_records_become_articles_and_bad_records_cost_only_themselves() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("crawl.warc"), warc_corpus().concat()).unwrap();
    let ix = tmp.path().join("ix");
    let (code, r) = index(&ix, &dir);
    assert_eq!(code, 3, "{r}");
    assert_eq!(r["added"], 4, "{r}");
    let failed = failures(&r);
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(
        failed[0].contains("crawl.warc | record 8 | ")
            && failed[0].contains("Content-Length 99999999"),
        "{failed:?}"
    );
    assert!(
        failed[1].contains("| record 9 |") && failed[1].contains("Content-Length is missing"),
        "{failed:?}"
    );
    assert_eq!(r["skipped"]["WARC revisit record (duplicate)"], 1, "{r}");
    assert_eq!(
        r["skipped"]["WARC record with the same payload as an earlier one (duplicate)"],
        1
    );
    assert_eq!(r["skipped"]["WARC record not a page (image/png)"], 1);
    assert_eq!(r["skipped"]["WARC response with HTTP status 404"], 1);

    // URL from WARC-Target-URI; charset from the HTTP header.
    let a = hit(&ix, "alpha");
    assert_eq!(a["url"], "http://news.example/a");
    assert_eq!(a["id"], "http://news.example/a");
    assert_eq!(total(&ix, "cafй"), 1);
    assert_eq!(total(&ix, "cafe"), 0);
    // The fetch time is not a publication date.
    assert_eq!(hit(&ix, "bravo")["date"], serde_json::Value::Null);
    assert_eq!(hit(&ix, "charlie")["url"], "http://news.example/c");
    assert_eq!(hit(&ix, "delta")["url"], "http://news.example/d");
    assert_eq!(total(&ix, "missing"), 0);

    // Unchanged on a second run.
    let (code, r) = index(&ix, &dir);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["unchanged"], 1);
    assert_eq!(r["added"], 0);
}

#[test]
fn warc_gz_one_member_per_record_and_a_truncated_one_keeps_its_complete_records() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let records = [
        warc_response("http://gz.example/1", page("One", "echo").as_bytes()),
        warc_response("http://gz.example/2", page("Two", "foxtrot").as_bytes()),
        warc_response("http://gz.example/3", page("Three", "golf").as_bytes()),
    ];
    let members: Vec<Vec<u8>> = records.iter().map(|r| gzip(r)).collect();
    std::fs::write(dir.join("good.warc.gz"), members.concat()).unwrap();
    let mut cut = members.concat();
    cut.truncate(members[0].len() + members[1].len() + members[2].len() / 2);
    std::fs::write(dir.join("cut.WARC.GZ"), cut).unwrap();
    let ix = tmp.path().join("ix");
    let (code, r) = index(&ix, &dir);
    assert_eq!(code, 3, "{r}");
    // Three from good, two from cut; the same URLs are one document each.
    assert_eq!(r["added"], 3, "{r}");
    let failed = failures(&r);
    assert!(
        failed
            .iter()
            .any(|f| f.contains("cut.WARC.GZ | - |") && f.contains("gzip")),
        "{failed:?}"
    );
    assert_eq!(total(&ix, "echo"), 1);
    assert_eq!(total(&ix, "golf"), 1);
}

#[test]
fn json_lines_one_article_a_line_bad_lines_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let mut data = Vec::new();
    let line = |v: serde_json::Value| format!("{v}\n").into_bytes();
    data.extend(line(serde_json::json!({
        "url": "http://lines.example/1", "title": "Ferry fares rise", "date": "2019-03-04",
        "outlet": "Harbor Times", "author": "Ann Lee",
        "body": "Ferry fares rose by a dollar on Monday, the hotel owners said."})));
    data.extend(line(
        serde_json::json!({"title": "No URL here", "body": "A india story without a URL."}),
    ));
    data.extend(b"{\"title\": \"broken\", \"body\": \n");
    data.extend(b"{\"title\": \"bad bytes \xff\xfe\", \"body\": \"x\"}\n");
    data.extend(line(serde_json::json!({
        "url": "http://lines.example/5", "outlet": "Given Outlet", "date": "2018-07-08T23:30:00-05:00",
        "html": "<html><head><title>Inner title</title><meta property=\"og:site_name\" content=\"Inferred\"></head><body><article><p>The juliet plan passed with a large majority in the council on Tuesday night.</p><p>Opponents said the juliet plan would cost too much money over the next decade.</p></article></body></html>"})));
    data.extend(
        format!(
            "{{\"x\": {}{}}}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        )
        .into_bytes(),
    );
    data.extend(line(
        serde_json::json!({"title": "typed", "body": "kilo", "date": 12}),
    ));
    data.extend(b"\n   \n");
    std::fs::write(dir.join("news.jsonl"), &data).unwrap();
    std::fs::write(
        dir.join("more.ndjson.gz"),
        gzip(&line(
            serde_json::json!({"title": "Zipped line", "body": "lima lima"}),
        )),
    )
    .unwrap();
    let ix = tmp.path().join("ix");
    let (code, r) = index(&ix, &dir);
    assert_eq!(code, 3, "{r}");
    assert_eq!(r["added"], 4, "{r}");
    let failed = failures(&r);
    let lines: Vec<&str> = failed
        .iter()
        .map(|f| f.split(" | ").nth(1).unwrap())
        .collect();
    assert_eq!(
        lines,
        ["line 3", "line 4", "line 6", "line 7"],
        "{failed:?}"
    );
    assert!(failed[0].contains("bad JSON"), "{failed:?}");
    // 100,000-deep nesting is skipped over without recursion: just no article.
    assert!(failed[2].contains("neither"), "{failed:?}");

    let h = hit(&ix, "hotel");
    assert_eq!(h["id"], "http://lines.example/1");
    assert_eq!(h["title"], "Ferry fares rise");
    assert_eq!(h["date"], "2019-03-04");
    assert_eq!(h["outlet"], "Harbor Times");
    assert_eq!(h["author"], "Ann Lee");
    // No URL: the id is path#line.
    assert_eq!(hit(&ix, "india")["id"], "in/news.jsonl#2");
    // `html` is extracted, the line's fields win; the day is the stated local day.
    let h = hit(&ix, "juliet");
    assert_eq!(h["title"], "Inner title");
    assert_eq!(h["outlet"], "Given Outlet");
    assert_eq!(h["date"], "2018-07-08");
    assert_eq!(hit(&ix, "lima")["id"], "in/more.ndjson.gz#1");
}

#[test]
fn rss_and_atom_items_become_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let rss = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Riverton Ledger</title><link>http://ledger.example/</link><description>News</description>
<item><title>Council adopts budget</title><link>http://ledger.example/budget</link>
<pubDate>Tue, 03 Mar 2020 21:30:00 -0500</pubDate><dc:creator>Maria Ruiz</dc:creator>
<description>Short teaser</description>
<content:encoded><![CDATA[<p>The council adopted the mike budget on Tuesday after a long debate about road repairs.</p><p>The mike budget adds money for parks and libraries, members said.</p>]]></content:encoded></item>
<item><title>Pool closes early</title><link>http://ledger.example/pool</link>
<description>&lt;p&gt;The november pool closed early for the season because of a broken pump.&lt;/p&gt;</description></item>
<item><description></description></item>
</channel></rss>"#;
    std::fs::write(dir.join("ledger.rss"), rss).unwrap();
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Herald</title><id>urn:x</id><updated>2021-06-08T00:00:00Z</updated>
<entry><title>Transit plan</title><id>urn:1</id><link href="http://herald.example/transit"/>
<published>2021-06-07T08:00:00Z</published><updated>2021-06-09T08:00:00Z</updated><author><name>Sam Oduya</name></author>
<summary type="html">&lt;p&gt;The oscar transit plan adds two bus lines and a night service downtown.&lt;/p&gt;</summary></entry>
</feed>"#;
    // Named .xml and .html: recognised by content.
    std::fs::write(dir.join("herald.xml"), atom).unwrap();
    std::fs::write(
        dir.join("feed-saved-as.html"),
        atom.replace("oscar", "papa")
            .replace("herald.example/transit", "herald.example/p"),
    )
    .unwrap();
    let ix = tmp.path().join("ix");
    let (code, r) = index(&ix, &dir);
    assert_eq!(code, 3, "{r}");
    assert_eq!(r["added"], 4, "{r}");
    let failed = failures(&r);
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0].contains("ledger.rss | item 3 |"), "{failed:?}");

    let h = hit(&ix, "mike");
    assert_eq!(h["title"], "Council adopts budget");
    assert_eq!(h["url"], "http://ledger.example/budget");
    assert_eq!(h["outlet"], "Riverton Ledger");
    assert_eq!(h["author"], "Maria Ruiz");
    assert_eq!(h["date"], "2020-03-03");
    assert_eq!(
        total(&ix, "teaser"),
        0,
        "content:encoded wins over description"
    );
    let h = hit(&ix, "november");
    assert_eq!(h["title"], "Pool closes early");
    assert_eq!(h["date"], serde_json::Value::Null);
    let h = hit(&ix, "oscar");
    assert_eq!(h["outlet"], "Atom Herald");
    assert_eq!(h["date"], "2021-06-07");
    assert_eq!(h["author"], "Sam Oduya");
    assert_eq!(total(&ix, "papa"), 1);
}

#[test]
fn zip_and_tar_archives_of_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("site/a.html", opts).unwrap();
    zip.write_all(page("Zipped page", "quebec").as_bytes())
        .unwrap();
    zip.start_file("site/b.txt", opts).unwrap();
    zip.write_all(b"Plain text story\n\nThe romeo bridge opened to traffic on Monday morning after years of delay.\n").unwrap();
    zip.start_file("site/logo.png", opts).unwrap();
    zip.write_all(b"\x89PNG").unwrap();
    zip.start_file("site/c.html.gz", opts).unwrap();
    zip.write_all(&gzip(page("Gz in zip", "sierra").as_bytes()))
        .unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    std::fs::write(dir.join("pages.zip"), bytes).unwrap();

    let mut tar = tar::Builder::new(Vec::new());
    let add = |tar: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append_data(&mut h, name, data).unwrap();
    };
    add(&mut tar, "x/t1.html", page("Tar one", "tango").as_bytes());
    add(&mut tar, "x/t2.htm", page("Tar two", "uniform").as_bytes());
    add(&mut tar, "x/empty.html", b"");
    let tar_bytes = tar.into_inner().unwrap();
    std::fs::write(dir.join("pages.tar.gz"), gzip(&tar_bytes)).unwrap();

    let ix = tmp.path().join("ix");
    let (code, r) = index(&ix, &dir);
    assert_eq!(code, 3, "{r}");
    assert_eq!(r["added"], 5, "{r}");
    let failed = failures(&r);
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(
        failed[0].contains("pages.tar.gz | x/empty.html | empty"),
        "{failed:?}"
    );
    assert_eq!(r["skipped"]["unsupported file type (.png)"], 1);
    assert_eq!(hit(&ix, "quebec")["id"], "in/pages.zip#site/a.html");
    assert_eq!(total(&ix, "romeo"), 1);
    assert_eq!(total(&ix, "sierra"), 1);
    assert_eq!(hit(&ix, "uniform")["path"], "in/pages.tar.gz#x/t2.htm");
}

#[test]
fn sidecars_and_manifests_win_and_editing_them_reindexes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a.html"), page("Inferred title", "victor")).unwrap();
    std::fs::write(
        dir.join("a.meta.json"),
        r#"{"url": "http://side.example/a", "date": "2016-02-03", "outlet": "Sidecar Gazette", "title": "Sidecar title", "author": "Lee Park"}"#,
    )
    .unwrap();
    std::fs::write(dir.join("sub/b.html"), page("B page", "whiskey")).unwrap();
    std::fs::write(dir.join("sub/c.html"), page("C page", "xray")).unwrap();
    std::fs::write(
        dir.join("manifest.csv"),
        "file,outlet,date,author\nsub/b.html,Manifest Times,2015-05-06,\nnot-there.html,Nobody,,\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("sub/manifest.jsonl"),
        "{\"file\": \"c.html\", \"outlet\": \"Jsonl Manifest\"}\n{oops\n",
    )
    .unwrap();
    // A sidecar on a JSON-lines file: outlet for all its lines.
    std::fs::write(
        dir.join("feed.jsonl"),
        "{\"title\": \"L1\", \"body\": \"yankee one\"}\n{\"title\": \"L2\", \"body\": \"yankee two\", \"outlet\": \"Own Outlet\"}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("feed.jsonl.meta.json"),
        r#"{"outlet": "Dump Outlet", "title": "not used"}"#,
    )
    .unwrap();

    let ix = tmp.path().join("ix");
    let (code, r) = index(&ix, &dir);
    assert_eq!(code, 3, "{r}");
    assert_eq!(r["added"], 5, "{r}");
    let failed = failures(&r);
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(
        failed[0].contains("manifest.jsonl | line 2 | bad JSON"),
        "{failed:?}"
    );
    let a = hit(&ix, "victor");
    assert_eq!(a["id"], "http://side.example/a");
    assert_eq!(a["title"], "Sidecar title");
    assert_eq!(a["outlet"], "Sidecar Gazette");
    assert_eq!(a["date"], "2016-02-03");
    assert_eq!(a["author"], "Lee Park");
    let b = hit(&ix, "whiskey");
    assert_eq!(b["outlet"], "Manifest Times");
    assert_eq!(b["date"], "2015-05-06");
    assert_eq!(hit(&ix, "xray")["outlet"], "Jsonl Manifest");
    let ys = query_json(&ix, &["yankee", "--sort", "oldest"]);
    let mut outlets: Vec<&str> = ys["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["outlet"].as_str().unwrap())
        .collect();
    outlets.sort();
    assert_eq!(outlets, ["Dump Outlet", "Own Outlet"]);
    let titles: Vec<&str> = ys["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    assert!(!titles.contains(&"not used"));

    // Editing only the sidecar re-indexes the page.
    std::fs::write(
        dir.join("a.meta.json"),
        r#"{"url": "http://side.example/a", "outlet": "New Outlet"}"#,
    )
    .unwrap();
    let (_, r) = index(&ix, &dir);
    assert_eq!(r["updated"], 1, "{r}");
    assert_eq!(r["added"], 0, "{r}");
    let a = hit(&ix, "victor");
    assert_eq!(a["outlet"], "New Outlet");
    assert_eq!(a["title"], "Inferred title");
}
