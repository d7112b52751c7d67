//! Inputs kept from fuzzing (`fuzz/`, see its README): each is fed again to the
//! function its target fuzzes, which must return (an answer or an error) and
//! not panic. `tests/fuzz_inputs/TARGET/` holds them, one file an input.

use civsearch::extract::{ExtractOptions, PageFormat, extract};
use civsearch::ingest::{InputKind, split};
use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_inputs")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Run `f` on every input of `target`, naming the inputs that panic.
fn check(target: &str, f: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let all = inputs(target);
    assert!(!all.is_empty(), "no inputs for {target}");
    let panicked: Vec<String> = all
        .iter()
        .filter(|(_, data)| std::panic::catch_unwind(|| f(data)).is_err())
        .map(|(name, _)| name.clone())
        .collect();
    assert!(panicked.is_empty(), "{target}: panicked on {panicked:?}");
}

#[test]
fn extract_inputs() {
    check("extract", |data| {
        for format in [Some(PageFormat::Html), Some(PageFormat::Text), None] {
            let opts = ExtractOptions {
                format,
                url: Some("http://fuzz.example/2020/01/02/story".into()),
                ..Default::default()
            };
            let _ = extract(data, &opts);
        }
    });
}

#[test]
fn query_inputs() {
    check("query", |data| {
        let _ = civsearch::search::query::parse_query(&String::from_utf8_lossy(data));
    });
}

#[test]
fn warc_inputs() {
    check("warc", |data| {
        let _ = split(data.to_vec(), InputKind::Warc, false, 0);
    });
}

#[test]
fn jsonl_inputs() {
    check("jsonl", |data| {
        let _ = split(data.to_vec(), InputKind::Jsonl, false, 0);
    });
}

#[test]
fn container_inputs() {
    check("containers", |data| {
        for kind in [
            InputKind::Feed,
            InputKind::Zip,
            InputKind::Tar,
            InputKind::Warc,
        ] {
            let _ = split(data.to_vec(), kind, false, 0);
            let _ = split(data.to_vec(), kind, true, 0);
        }
    });
}
