//! Hostile pages and careless folders: ids that cannot collide by accident or
//! be taken, nothing lost silently, no control characters or formulas passed
//! on, and decompression bombs of every container kind stopped as they stream.

mod ingest_common;

use ingest_common::*;
use serde_json::Value;
use std::path::Path;

fn write(path: &Path, text: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn clashes(r: &Value) -> Vec<(String, String, String)> {
    r["clashes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_string();
            (s("id"), s("kept"), s("refused"))
        })
        .collect()
}

#[test]
fn two_folders_with_the_same_file_names_keep_both_and_a_moved_tree_keeps_its_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let coll = tmp.path().join("coll");
    write(&coll.join("a/story.html"), page("Story A", "alpha"));
    write(&coll.join("b/story.html"), page("Story B", "bravo"));
    let ix = tmp.path().join("ix");
    let (code, r) = index(&ix, &coll.join("a"));
    assert_eq!((code, r["added"].as_u64()), (0, Some(1)), "{r}");
    let (code, r) = index(&ix, &coll.join("b"));
    assert_eq!((code, r["added"].as_u64()), (0, Some(1)), "{r}");
    assert_eq!(r["documents_in_index"], 2, "{r}");
    assert_eq!(hit(&ix, "alpha")["id"], "a/story.html");
    assert_eq!(hit(&ix, "bravo")["id"], "b/story.html");

    // Both folders in one run, into another index: two articles.
    let ix2 = tmp.path().join("ix2");
    let (code, r, _) = index_with(&ix2, &[&coll.join("a"), &coll.join("b")], &[]);
    assert_eq!((code, r["added"].as_u64()), (0, Some(2)), "{r}");

    // The tree moved as a whole: the same ids, replaced in place, no copies.
    let moved = tmp.path().join("moved");
    std::fs::rename(&coll, &moved).unwrap();
    let (code, r) = index(&ix, &moved.join("a"));
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        (r["added"].as_u64(), r["updated"].as_u64()),
        (Some(0), Some(1)),
        "{r}"
    );
    assert_eq!(r["documents_in_index"], 2, "{r}");
    assert_eq!(total(&ix, "alpha"), 1);
}

#[test]
fn a_file_whose_id_is_held_by_another_file_is_reported_and_nothing_is_lost() {
    let tmp = tempfile::tempdir().unwrap();
    // Two folders of the same name in different places: same path ids.
    let first = tmp.path().join("x/pages");
    let second = tmp.path().join("y/pages");
    write(&first.join("story.html"), page("First story", "alpha"));
    write(&second.join("story.html"), page("Second story", "bravo"));
    let ix = tmp.path().join("ix");
    assert_eq!(index(&ix, &first).0, 0);
    // A later run: refused, both paths reported, exit 3, the first kept.
    let (code, r, stdout) = index_with(&ix, &[&second], &[]);
    assert_eq!(code, 3, "{r}");
    let c = clashes(&r);
    assert_eq!(c.len(), 1, "{r}");
    assert_eq!(c[0].0, "pages/story.html");
    assert!(c[0].1.ends_with("x/pages/story.html"), "{c:?}");
    assert!(c[0].2.ends_with("y/pages/story.html"), "{c:?}");
    assert!(stdout.contains("x/pages/story.html") && stdout.contains("y/pages/story.html"));
    assert_eq!(total(&ix, "alpha"), 1);
    assert_eq!(total(&ix, "bravo"), 0);
    // Re-running reports it again rather than forgetting it.
    assert_eq!(index_with(&ix, &[&second], &[]).0, 3);

    // The same two files in one run: the first kept, the second reported.
    let ix2 = tmp.path().join("ix2");
    let (code, r, _) = index_with(&ix2, &[&first, &second], &[]);
    assert_eq!(code, 3, "{r}");
    assert_eq!(r["added"], 1, "{r}");
    let c = clashes(&r);
    assert_eq!(c.len(), 1, "{r}");
    assert!(c[0].1.ends_with("x/pages/story.html") && c[0].2.ends_with("y/pages/story.html"));
}

fn canonical_page(canonical: &str, title: &str, word: &str) -> String {
    page(title, word).replace(
        "</head>",
        &format!("<link rel=\"canonical\" href=\"{canonical}\"></head>"),
    )
}

#[test]
fn a_spoofed_canonical_url_takes_no_article() {
    let tmp = tempfile::tempdir().unwrap();
    let orig = tmp.path().join("orig");
    let evil = tmp.path().join("evil");
    write(
        &orig.join("budget.html"),
        canonical_page("https://ledger.example/budget", "Budget", "alpha"),
    );
    write(
        &evil.join("fake.html"),
        canonical_page("https://ledger.example/budget", "Fake budget", "bravo"),
    );
    let ix = tmp.path().join("ix");
    assert_eq!(index(&ix, &orig).0, 0);
    let (code, r) = index(&ix, &evil);
    assert_eq!(code, 3, "{r}");
    let c = clashes(&r);
    assert_eq!(c[0].0, "https://ledger.example/budget", "{r}");
    assert!(c[0].2.ends_with("evil/fake.html"), "{c:?}");
    assert_eq!(hit(&ix, "alpha")["title"], "Budget");
    assert_eq!(total(&ix, "bravo"), 0);

    // A WARC record fetched from one site naming another site's article as
    // its canonical: kept as its url, but its id is its own path.
    let warc = tmp.path().join("crawl");
    let html = canonical_page("https://ledger.example/budget", "Mirror", "charlie");
    write(
        &warc.join("c.warc"),
        warc_response("https://mirror.example/copy", html.as_bytes()),
    );
    // `javascript:` and `data:` canonicals are no URL at all.
    write(
        &warc.join("js.html"),
        canonical_page("javascript:alert(document.cookie)", "Script", "delta"),
    );
    let (code, r) = index(&ix, &warc);
    assert_eq!((code, r["added"].as_u64()), (0, Some(2)), "{r}");
    let h = hit(&ix, "charlie");
    assert_eq!(h["id"], "crawl/c.warc#1");
    assert_eq!(h["url"], "https://ledger.example/budget");
    let h = hit(&ix, "delta");
    assert_eq!(h["id"], "crawl/js.html");
    assert_eq!(h["url"], Value::Null);
    assert_eq!(hit(&ix, "alpha")["title"], "Budget");
}

#[test]
fn prune_removes_only_documents_whose_own_file_is_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let orig = tmp.path().join("orig");
    let copies = tmp.path().join("copies");
    for (name, word) in [("one.html", "alpha"), ("two.html", "bravo")] {
        write(&orig.join(name), page(name, word));
        write(&copies.join(name), page(name, word));
    }
    let ix = tmp.path().join("ix");
    assert_eq!(index(&ix, &orig).0, 0);
    let (code, r, _) = index_with(&ix, &[&copies], &["--prune"]);
    assert_eq!(
        (code, r["added"].as_u64(), r["pruned"].as_u64()),
        (0, Some(2), Some(0)),
        "{r}"
    );
    std::fs::remove_file(copies.join("one.html")).unwrap();
    let (code, r, _) = index_with(&ix, &[&copies], &["--prune"]);
    assert_eq!((code, r["pruned"].as_u64()), (0, Some(1)), "{r}");
    // The original of the deleted copy, and the other copy, are still there.
    assert_eq!(total(&ix, "alpha"), 1);
    assert_eq!(total(&ix, "bravo"), 2);
}

#[test]
fn control_characters_and_formulas_are_not_passed_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    let hostile = "<html><head><title>=HYPERLINK(\"https://evil.example\",\"x\") &#27;]0;OWNED&#7;</title>\
        <meta name=\"author\" content=\"+Eve Doe\"></head><body><article>\
        <p>The council budget &#27;[2J&#27;[H vote was close &#x9b;31m and \u{1b}]8;;https://evil.example\u{7}here\u{1b}]8;;\u{7} today.</p>\
        <p>Residents said the council budget deserved more attention than it got this year.</p>\
        </article></body></html>";
    write(&dir.join("hostile.html"), hostile);
    // A file name with an escape sequence in it.
    write(&dir.join("name\u{1b}[2J.html"), page("Named page", "zulu"));
    let ix = tmp.path().join("ix");
    assert_eq!(index(&ix, &dir).0, 0);
    let named = hit(&ix, "zulu");
    assert_eq!(named["id"], "in/name[2J.html");
    assert_eq!(named["path"], "in/name[2J.html");
    let forbidden = |s: &str| {
        s.chars().any(|c| {
            (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
        })
    };
    let v = query_json(&ix, &["budget"]);
    let h = &v["hits"][0];
    for field in ["title", "author", "snippet", "id", "path"] {
        let s = h[field].as_str().unwrap_or("");
        assert!(!forbidden(s), "{field}: {s:?}");
    }
    assert!(h["title"].as_str().unwrap().contains("]0;OWNED"), "{h}");
    // Text output and extract output: no raw control characters.
    for args in [
        vec!["query", "budget", "--passages"],
        vec!["query", "budget", "--format", "csv"],
    ] {
        let out = civ().args(&args).arg("--index").arg(&ix).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{args:?}: {text:?}"
        );
    }
    let out = civ()
        .args(["extract", "--format", "json"])
        .arg(dir.join("hostile.html"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("\\u001b") && !text.contains('\u{1b}'),
        "{text}"
    );
    // CSV: formula cells get a leading ', unless --csv-raw.
    let csv = |extra: &[&str]| {
        let out = civ()
            .args(["query", "budget", "--format", "csv", "--index"])
            .arg(&ix)
            .args(extra)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let safe = csv(&[]);
    assert!(safe.contains(",\"'=HYPERLINK("), "{safe}");
    assert!(safe.contains(",'+Eve Doe"), "{safe}");
    let raw = csv(&["--csv-raw"]);
    assert!(raw.contains(",\"=HYPERLINK("), "{raw}");
}

/// A raw deflate stream that inflates to `mib` MiB of zeros from a few KiB:
/// one sync-flushed block of 1 MiB of zeros, repeated (each copy refers only
/// to itself), then an empty final block.
fn deflate_zeros(mib: usize) -> Vec<u8> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let zeros = vec![0u8; 1 << 20];
    let mut block = Vec::with_capacity(8 << 10);
    c.compress_vec(&zeros, &mut block, flate2::FlushCompress::Sync)
        .unwrap();
    assert_eq!(c.total_in(), 1 << 20);
    let mut out = block.repeat(mib);
    out.extend_from_slice(&[0x03, 0x00]);
    out
}

/// A valid gzip member around [`deflate_zeros`], so that a reader going on
/// past it (to the next member of a WARC) finds the stream sound.
fn gzip_zeros(mib: usize) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    out.extend(deflate_zeros(mib));
    let mut one = flate2::Crc::new();
    one.update(&vec![0u8; 1 << 20]);
    let mut crc = flate2::Crc::new();
    for _ in 0..mib {
        crc.combine(&one);
    }
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&((mib as u32) << 20).to_le_bytes());
    out
}

/// A zip archive of one deflated entry `name` inflating to `mib` MiB of zeros.
fn zip_bomb(name: &str, mib: usize) -> Vec<u8> {
    let data = deflate_zeros(mib);
    let (csize, usize_) = (data.len() as u32, (mib as u32) << 20);
    let n = name.len() as u16;
    let mut z = Vec::new();
    z.extend_from_slice(&0x04034b50u32.to_le_bytes());
    for v in [20u16, 0, 8, 0, 0] {
        z.extend_from_slice(&v.to_le_bytes());
    }
    for v in [0u32, csize, usize_] {
        z.extend_from_slice(&v.to_le_bytes());
    }
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z.extend_from_slice(name.as_bytes());
    z.extend_from_slice(&data);
    let cd_offset = z.len() as u32;
    z.extend_from_slice(&0x02014b50u32.to_le_bytes());
    for v in [20u16, 20, 0, 8, 0, 0] {
        z.extend_from_slice(&v.to_le_bytes());
    }
    for v in [0u32, csize, usize_] {
        z.extend_from_slice(&v.to_le_bytes());
    }
    for v in [n, 0, 0, 0, 0] {
        z.extend_from_slice(&v.to_le_bytes());
    }
    for v in [0u32, 0] {
        z.extend_from_slice(&v.to_le_bytes());
    }
    z.extend_from_slice(name.as_bytes());
    let cd_size = z.len() as u32 - cd_offset;
    z.extend_from_slice(&0x06054b50u32.to_le_bytes());
    for v in [0u16, 0, 1, 1] {
        z.extend_from_slice(&v.to_le_bytes());
    }
    z.extend_from_slice(&cd_size.to_le_bytes());
    z.extend_from_slice(&cd_offset.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z
}

/// A tar header for an entry of `size` bytes.
fn tar_header(name: &str, size: u64) -> Vec<u8> {
    let mut h = tar::Header::new_gnu();
    h.set_path(name).unwrap();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_cksum();
    h.as_bytes().to_vec()
}

#[test]
fn a_bomb_of_each_container_kind_stops_at_the_limit_and_the_rest_is_indexed() {
    // Each inflates to 70 MiB, over the 64 MiB page limit, from a few KiB.
    const MIB: usize = 70;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    write(&dir.join("good.html"), page("Good page", "alpha"));
    write(&dir.join("page.html.gz"), gzip_zeros(MIB));
    write(&dir.join("pages.zip"), zip_bomb("big.html", MIB));
    let mut tgz = gzip(&tar_header("big.html", (MIB as u64) << 20));
    tgz.extend(gzip_zeros(MIB));
    write(&dir.join("pages.tar.gz"), tgz);
    // A WARC record that claims 70 MiB of page, then a good record.
    let mut warc = gzip(
        format!(
            "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: https://bomb.example/\r\n\
             Content-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            MIB << 20
        )
        .as_bytes(),
    );
    warc.extend(gzip_zeros(MIB));
    warc.extend(gzip(b"\r\n\r\n"));
    warc.extend(gzip(&warc_response(
        "https://ok.example/1",
        page("Archived page", "bravo").as_bytes(),
    )));
    write(&dir.join("crawl.warc.gz"), warc);
    // A WARC response whose HTTP content encoding is the bomb.
    let mut body = http(
        "200 OK",
        &["Content-Type: text/html", "Content-Encoding: gzip"],
        b"",
    );
    body.extend(gzip_zeros(MIB));
    write(
        &dir.join("encoded.warc"),
        warc_record(
            "WARC/1.1",
            "response",
            "https://enc.example/",
            "application/http; msgtype=response",
            &body,
        ),
    );
    // A JSON-lines file whose one line is the bomb.
    write(&dir.join("lines.jsonl.gz"), gzip_zeros(MIB));

    let ix = tmp.path().join("ix");
    let (code, r) = index(&ix, &dir);
    assert_eq!(code, 3, "{r}");
    assert_eq!(r["added"], 2, "{r}");
    assert_eq!(total(&ix, "alpha"), 1);
    assert_eq!(total(&ix, "bravo"), 1);
    let failed = failures(&r);
    for (file, why) in [
        ("page.html.gz", "64 MiB"),
        ("pages.zip", "64 MiB"),
        ("pages.tar.gz", "64 MiB"),
        ("crawl.warc.gz", "over the page limit"),
        ("encoded.warc", "64 MiB"),
        ("lines.jsonl.gz", "64 MiB"),
    ] {
        assert!(
            failed.iter().any(|f| f.contains(file) && f.contains(why)),
            "{file}: {failed:?}"
        );
    }
}
