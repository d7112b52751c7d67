//! What the command line says: argument forms, error wording, counts and
//! grammar, on a few pages written here.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::str::contains;
use std::path::{Path, PathBuf};

fn civ() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("civsearch");
    c.env_remove("CIVSEARCH_INDEX");
    c
}

fn page(title: &str, outlet: &str, date: &str, body: &str) -> String {
    format!(
        r#"<html><head><title>{title}</title><meta property="og:site_name" content="{outlet}">
        <meta property="article:published_time" content="{date}"></head>
        <body><article><h1>{title}</h1><p>{body}</p></article></body></html>"#
    )
}

/// Two dated pages, one undated, one file of a kind that is not indexed.
fn small_index(tmp: &Path) -> PathBuf {
    let pages = tmp.join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let body = "The council met on Tuesday and debated the ferry budget at length. \
        Residents spoke for hours about the ferry schedule and the fares.";
    std::fs::write(
        pages.join("a.html"),
        page("Ferry budget passes", "Harbor Courier", "2020-03-02", body),
    )
    .unwrap();
    std::fs::write(
        pages.join("b.html"),
        page(
            "Library hours",
            "Valley Post",
            "2021-05-04",
            "The library will open on Sundays from June, the board decided after a long debate.",
        ),
    )
    .unwrap();
    std::fs::write(pages.join("notes.xyz"), "not a page").unwrap();
    let ix = tmp.join("ix");
    civ()
        .args(["index", "--quiet", "--index"])
        .arg(&ix)
        .arg(&pages)
        .assert()
        .success()
        .stdout(contains(
            "indexed 3 files: 2 added, 0 updated, 0 unchanged, 1 skipped",
        ));
    ix
}

#[test]
fn unknown_field_prefix_is_a_syntax_error_quoted_it_is_text() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = small_index(tmp.path());
    civ()
        .args(["query", "--index"])
        .arg(&ix)
        .arg("titel:budget")
        .assert()
        .code(2)
        .stderr(contains(
            "position 1: unknown field \"titel\"; fields are title, body, outlet, author, url",
        ));
    civ()
        .args(["query", "--index"])
        .arg(&ix)
        .arg("title:budget")
        .assert()
        .code(0);
}

#[test]
fn relative_dates_and_counts_that_start_with_a_minus() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = small_index(tmp.path());
    // Both pages are years old: nothing in the last 30 days, but no clap error.
    civ()
        .args(["query", "--index"])
        .arg(&ix)
        .args(["ferry", "--from", "-30d"])
        .assert()
        .code(1)
        .stdout(contains("0 articles match"));
    civ()
        .args(["trend", "--index"])
        .arg(&ix)
        .args(["ferry", "--by", "year", "--from", "-6m"])
        .assert()
        .code(1);
    civ()
        .args(["query", "--index"])
        .arg(&ix)
        .args(["ferry", "--limit", "-1"])
        .assert()
        .code(2)
        .stderr(contains("whole number from 0 up"));
}

#[test]
fn counts_read_as_english() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = small_index(tmp.path());
    civ()
        .args(["query", "--index"])
        .arg(&ix)
        .arg("library")
        .assert()
        .code(0)
        .stdout(contains("1 article matches library"));
    civ()
        .args(["stats", "--index"])
        .arg(&ix)
        .assert()
        .code(0)
        .stdout(contains("in 1 segment\n"));
}

#[test]
fn passages_are_shown_in_text_output() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = small_index(tmp.path());
    let out = civ()
        .args(["query", "--passages", "--index"])
        .arg(&ix)
        .arg("ferry")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // One line per matching passage, each with its span in the body.
    let spans = text
        .lines()
        .filter(|l| l.trim_start().starts_with('[') && l.contains("ferry"))
        .count();
    assert!(spans >= 1, "{text}");
}

#[test]
fn index_of_a_missing_path_creates_nothing_and_an_empty_folder_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    let missing = tmp.path().join("no-such-folder");
    civ()
        .args(["index", "--quiet", "--index"])
        .arg(&ix)
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(contains(format!(
            "no such file or folder: {}",
            missing.display()
        )));
    assert!(!ix.exists(), "no index is created for a missing path");

    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("x.xyz"), "?").unwrap();
    civ()
        .args(["index", "--quiet", "--index"])
        .arg(&ix)
        .arg(&empty)
        .assert()
        .code(2)
        .stderr(contains(format!(
            "no indexable files in {} (skipped: 1 ",
            empty.display()
        )));
}

#[test]
fn missing_index_names_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("nope");
    civ()
        .args(["query", "--index"])
        .arg(&ix)
        .arg("x")
        .assert()
        .code(2)
        .stderr(contains(format!(
            "no index in the folder \"{}\"",
            ix.display()
        )));
}

#[test]
fn plot_to_an_unwritable_path_names_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = small_index(tmp.path());
    let target = tmp.path().join("no-such-dir").join("chart.png");
    let out = civ()
        .args(["trend", "--by", "year", "--plot"])
        .arg(&target)
        .arg("--index")
        .arg(&ix)
        .arg("ferry")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("cannot write {}: ", target.display())),
        "{err}"
    );
    assert!(!err.contains("BackendError"), "{err}");
}

#[test]
fn stats_lists_the_top_outlets_and_counts_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let pages = tmp.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    for i in 0..23 {
        std::fs::write(
            pages.join(format!("p{i}.html")),
            page(
                &format!("Story number {i}"),
                &format!("Outlet Number {i}"),
                "2020-01-01",
                "A story about the zoning board and its long meetings over the winter.",
            ),
        )
        .unwrap();
    }
    let ix = tmp.path().join("ix");
    civ()
        .args(["index", "--quiet", "--index"])
        .arg(&ix)
        .arg(&pages)
        .assert()
        .success();
    civ()
        .args(["stats", "--index"])
        .arg(&ix)
        .assert()
        .stdout(contains("and 3 more (--all-outlets lists them)"));
    let all = civ()
        .args(["stats", "--all-outlets", "--index"])
        .arg(&ix)
        .output()
        .unwrap();
    let text = String::from_utf8(all.stdout).unwrap();
    assert_eq!(text.matches("Outlet Number").count(), 23, "{text}");
    civ()
        .args(["query", "--facets", "--index"])
        .arg(&ix)
        .arg("zoning")
        .assert()
        .stdout(contains("and 3 more (--all-outlets lists them)"));
}

#[test]
fn help_for_index_and_serve_gives_examples_and_exit_codes() {
    for cmd in ["index", "serve"] {
        civ()
            .args(["help", cmd])
            .assert()
            .success()
            .stdout(contains("Examples:"))
            .stdout(contains("Exit status:"));
    }
}
