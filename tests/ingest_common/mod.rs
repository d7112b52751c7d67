//! Helpers shared by the ingest tests: running the binary, reading its report,
//! making pages, WARC records and gzip members in the test.
#![allow(dead_code)]

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::io::Write;
use std::path::Path;

pub fn civ() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("civsearch");
    c.env_remove("CIVSEARCH_INDEX");
    c.env_remove("CIVSEARCH_TEST_PANIC_MARKER");
    c
}

/// Index `paths` into `ix`; returns the exit code, the report and stdout.
pub fn index_with(ix: &Path, paths: &[&Path], extra: &[&str]) -> (i32, Value, String) {
    let report = ix.with_extension("report.json");
    let _ = std::fs::remove_file(&report);
    let mut cmd = civ();
    cmd.args(["index", "--quiet", "--index"])
        .arg(ix)
        .arg("--report")
        .arg(&report)
        .args(extra);
    for p in paths {
        cmd.arg(p);
    }
    let out = cmd.output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let r = std::fs::read_to_string(&report).unwrap_or_else(|_| {
        panic!(
            "no report (exit {code}): {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, serde_json::from_str(&r).unwrap(), stdout)
}

pub fn index(ix: &Path, path: &Path) -> (i32, Value) {
    let (code, r, _) = index_with(ix, &[path], &[]);
    (code, r)
}

pub fn query_json(ix: &Path, args: &[&str]) -> Value {
    let out = civ()
        .arg("query")
        .arg("--index")
        .arg(ix)
        .args([
            "--format",
            "json",
            "--limit",
            "1000",
            "--undated",
            "include",
        ])
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

pub fn total(ix: &Path, q: &str) -> u64 {
    query_json(ix, &[q])["total"].as_u64().unwrap()
}

/// The one hit of a query (panics unless exactly one).
pub fn hit(ix: &Path, q: &str) -> Value {
    let v = query_json(ix, &[q]);
    assert_eq!(v["total"], 1, "{q}: {v}");
    v["hits"][0].clone()
}

/// Failures of a report as `path | record | reason` lines.
pub fn failures(r: &Value) -> Vec<String> {
    r["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} | {} | {}",
                f["path"].as_str().unwrap_or(""),
                f["record"].as_str().unwrap_or("-"),
                f["reason"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// A news page whose body carries `word` in three sentences.
pub fn page(title: &str, word: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\
         <article><h1>{title}</h1>\
         <p>The council met on Tuesday evening to discuss {word} and a long list of other matters that residents had raised.</p>\
         <p>Several speakers said {word} deserved more attention from the city, and the mayor promised a report within a month.</p>\
         <p>A vote on {word} is expected before the end of the year, officials said after the meeting ended.</p>\
         </article><footer>All rights reserved</footer></body></html>"
    )
}

/// One WARC record.
pub fn warc_record(
    version: &str,
    kind: &str,
    uri: &str,
    content_type: &str,
    block: &[u8],
) -> Vec<u8> {
    let mut r = format!(
        "{version}\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-05T10:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{}>\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        blake3::hash(uri.as_bytes()).to_hex(),
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// An HTTP response block.
pub fn http(status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for h in headers {
        r.extend_from_slice(h.as_bytes());
        r.extend_from_slice(b"\r\n");
    }
    r.extend_from_slice(b"\r\n");
    r.extend_from_slice(body);
    r
}

/// A WARC response record for an HTML page.
pub fn warc_response(uri: &str, html: &[u8]) -> Vec<u8> {
    warc_record(
        "WARC/1.1",
        "response",
        uri,
        "application/http; msgtype=response",
        &http("200 OK", &["Content-Type: text/html"], html),
    )
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// True when this process can read a file whose permissions forbid it (root).
pub fn permissions_are_bypassed(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join(".probe");
    std::fs::write(&probe, "x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&probe).is_ok();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::remove_file(&probe).unwrap();
    readable
}
