//! Bad input never stops a run: each bad file or record is reported with its
//! path, record and reason, and everything else is indexed. Also: a panic in
//! extraction, a second writer, queries during a write, write failures.

mod ingest_common;

use civsearch::Article;
use civsearch::index::CivIndex;
use ingest_common::*;
use predicates::str::contains;

fn find<'a>(failed: &'a [String], path_part: &str) -> &'a str {
    failed
        .iter()
        .find(|f| f.split(" | ").next().unwrap().ends_with(path_part))
        .unwrap_or_else(|| panic!("no failure for {path_part}: {failed:?}"))
}

#[test]
fn every_kind_of_bad_file_is_reported_and_the_rest_indexed() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(dir.join("loop")).unwrap();
    std::fs::write(dir.join("good.html"), page("Good page", "alpha")).unwrap();
    std::fs::write(dir.join("empty.html"), "").unwrap();
    std::fs::write(dir.join("blank.txt"), "  \n\n ").unwrap();
    std::fs::write(
        dir.join("binary.html"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0",
    )
    .unwrap();
    // Invalid UTF-8 is decoded (detected as a legacy charset), not lost.
    let mut latin = page("Old page", "bravo").into_bytes();
    latin.extend_from_slice(b"<p>Stra\xdfe caf\xe9 \xff\xfe</p>");
    std::fs::write(dir.join("invalid-utf8.html"), latin).unwrap();
    // 100,000-deep nesting, in HTML and in a feed.
    let deep = format!(
        "<html><body>{}<p>The charlie deep page still has text at the bottom of it all.</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    std::fs::write(dir.join("deep.html"), deep).unwrap();
    let deep_feed = format!(
        "<rss version=\"2.0\"><channel><title>T</title><item>{}x{}</item></channel></rss>",
        "<b>".repeat(100_000),
        "</b>".repeat(100_000)
    );
    std::fs::write(dir.join("deep.rss"), deep_feed).unwrap();
    // A truncated gzip page.
    let gz = gzip(page("Cut page", "delta").as_bytes());
    std::fs::write(dir.join("cut.html.gz"), &gz[..gz.len() / 2]).unwrap();
    // Not gzip at all.
    std::fs::write(dir.join("fake.html.gz"), b"<p>not gzip</p>").unwrap();
    // A symlink loop.
    std::os::unix::fs::symlink(&dir, dir.join("loop/back")).unwrap();
    // An unreadable file.
    std::fs::write(dir.join("locked.html"), page("Locked page", "echo")).unwrap();
    std::fs::set_permissions(
        dir.join("locked.html"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let root = permissions_are_bypassed(tmp.path());
    // A 200 MB page, in a file of its own.
    {
        use std::io::Write;
        let f = std::fs::File::create(dir.join("huge.html")).unwrap();
        let mut w = std::io::BufWriter::new(f);
        w.write_all(b"<html><body><article>").unwrap();
        let para = b"<p>The foxtrot board met again and talked about ferries and fares.</p>\n";
        for _ in 0..(200 << 20) / para.len() {
            w.write_all(para).unwrap();
        }
        w.write_all(b"</article></body></html>").unwrap();
    }

    let ix = tmp.path().join("ix");
    let started = std::time::Instant::now();
    let (code, r) = index(&ix, &dir);
    let failed = failures(&r);
    std::fs::set_permissions(
        dir.join("locked.html"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    assert_eq!(code, 3, "{r}");
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
    assert!(find(&failed, "empty.html").contains("empty file"));
    assert!(find(&failed, "blank.txt").contains("empty file"));
    assert!(find(&failed, "binary.html").contains("binary"));
    assert!(find(&failed, "cut.html.gz").contains("gzip"));
    assert!(find(&failed, "fake.html.gz").contains("gzip"));
    assert!(find(&failed, "huge.html").contains("page too large: 200 MiB"));
    assert!(find(&failed, "deep.rss").contains("nested"));
    assert!(find(&failed, "loop/back").contains("symlink loop"));
    if root {
        // Running as root: permissions do not stop reads, so it is indexed.
        assert!(
            !failed.iter().any(|f| f.contains("locked.html")),
            "{failed:?}"
        );
        assert_eq!(total(&ix, "echo"), 1);
    } else {
        assert!(find(&failed, "locked.html").contains("ermission denied"));
        assert_eq!(total(&ix, "echo"), 0);
    }
    for f in &failed {
        assert!(
            f.contains(" | - | "),
            "whole-file failures have no record: {f}"
        );
    }
    assert_eq!(total(&ix, "alpha"), 1);
    assert_eq!(total(&ix, "bravo"), 1);
    assert_eq!(total(&ix, "charlie"), 1);
    assert_eq!(total(&ix, "foxtrot"), 0);
    let expected_added = if root { 4 } else { 3 };
    assert_eq!(r["added"], expected_added, "{r}");
}

#[test]
fn a_panic_while_extracting_costs_one_document() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.html"), page("Fine", "golf")).unwrap();
    std::fs::write(dir.join("b.html"), page("Boom page", "KABOOM hotel")).unwrap();
    std::fs::write(
        dir.join("lines.jsonl"),
        "{\"title\":\"one\",\"body\":\"india one\"}\n{\"title\":\"two\",\"body\":\"india KABOOM\"}\n{\"title\":\"three\",\"body\":\"india three\"}\n",
    )
    .unwrap();
    let ix = tmp.path().join("ix");
    let report = tmp.path().join("r.json");
    civ()
        .env("CIVSEARCH_TEST_PANIC_MARKER", "KABOOM")
        .args(["index", "--quiet", "--index"])
        .arg(&ix)
        .arg("--report")
        .arg(&report)
        .arg(&dir)
        .assert()
        .code(3)
        .stdout(contains("lines.jsonl, line 2: extractor panicked"));
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    let failed = failures(&r);
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(find(&failed, "b.html").contains("| - | extractor panicked: test panic marker"));
    assert!(find(&failed, "lines.jsonl").contains("| line 2 | extractor panicked"));
    assert_eq!(r["added"], 3);
    assert_eq!(total(&ix, "golf"), 1);
    assert_eq!(total(&ix, "india"), 2);
    assert_eq!(total(&ix, "hotel"), 0);
}

#[test]
fn a_second_writer_is_refused_and_queries_see_the_last_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    let idx = CivIndex::open_or_create(&ix).unwrap();
    idx.add_articles(&[Article::new("c1", "Committed", "juliet committed")])
        .unwrap();
    // This process now holds the writer, with one more document not committed.
    let mut writer = idx.writer(32 << 20, 1).unwrap();
    writer
        .add_document(idx.to_document(
            &Article::new("u1", "Uncommitted", "juliet pending"),
            "memory:u1",
            0,
        ))
        .unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.html"), page("Page", "kilo")).unwrap();
    civ()
        .args(["index", "--quiet", "--index"])
        .arg(&ix)
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(contains(format!(
            "is being written by process {}",
            std::process::id()
        )));
    // A query while the write is going sees the last commit only.
    assert_eq!(total(&ix, "juliet"), 1);
    writer.commit().unwrap();
    assert_eq!(total(&ix, "juliet"), 2);
    drop(writer);
    // The index is intact and writable again.
    let (code, r) = index(&ix, &dir);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["documents_in_index"], 3);
}

/// Write failures (here: the file-size limit, the same error path as a full
/// disk) stop the run with a clear error and leave the last commit intact.
/// `scripts/diskfull_test.sh` does the same on a real full tmpfs.
#[test]
fn a_write_failure_is_a_clear_error_and_the_last_commit_survives() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("first");
    let more = tmp.path().join("more");
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&more).unwrap();
    std::fs::write(first.join("a.html"), page("First", "lima")).unwrap();
    let ix = tmp.path().join("ix");
    let (code, _) = index(&ix, &first);
    assert_eq!(code, 0);
    // Pages of distinct words, so the new segment files are large.
    for i in 0..300 {
        let words: String = (0..400).map(|k| format!("w{i}x{k} ")).collect();
        std::fs::write(
            more.join(format!("p{i}.html")),
            format!(
                "<html><body><article><h1>Mike {i}</h1><p>mike {words}</p></article></body></html>"
            ),
        )
        .unwrap();
    }
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_civsearch"));
    // 64 KiB file-size limit; SIGXFSZ ignored so writes fail with EFBIG.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f 128 && trap '' XFSZ && exec {} index --quiet --index {} {}",
            bin.display(),
            ix.display(),
            more.display()
        ))
        .env_remove("CIVSEARCH_INDEX")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains("cannot commit")
            || stderr.contains("File too large")
            || stderr.contains("index"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The last commit is intact.
    assert_eq!(total(&ix, "lima"), 1);
    assert_eq!(total(&ix, "mike"), 0);
    // And a run without the limit completes.
    let (code, r) = index(&ix, &more);
    assert_eq!(code, 0, "{r}");
    assert_eq!(total(&ix, "mike"), 300);
}
