//! Per-page CPU time of the whole extract (decode, parse, content, metadata).
//!
//! `cargo run --release --example extract_bench -- DIR [ROUNDS]` loads every
//! `*.html.gz` (or `*.html`) in DIR, runs `civsearch::extract::extract` on each
//! page ROUNDS times (default 5) on one thread, and prints the median and p99 of
//! the per-page best-of-rounds times, plus the total. Set `BENCH_STAGES=1` to
//! time parsing alone as well.
//!
//! Debug aid: `extract_bench --explain PAGE.html [NEEDLE]` prints the chosen
//! container and the ancestors of the first text node containing NEEDLE, with
//! their class/id, text length and whether they were excluded as boilerplate.
use std::io::Read;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: extract_bench DIR [ROUNDS]");
    if dir == "--explain" {
        let page = args
            .next()
            .expect("usage: extract_bench --explain PAGE [NEEDLE]");
        let html = std::fs::read(&page).expect("read page");
        let doc = civsearch::html::parse(&String::from_utf8_lossy(&html));
        let needle = args.next().unwrap_or_default();
        print!("{}", civsearch::extract::content::explain(&doc, &needle));
        return;
    }
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.to_string_lossy().to_string();
        let bytes = if name.ends_with(".html.gz") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("open"))
                .read_to_end(&mut out)
                .expect("gunzip");
            out
        } else if name.ends_with(".html") {
            std::fs::read(&path).expect("read")
        } else {
            continue;
        };
        pages.push((name, bytes));
    }
    let opts = civsearch::extract::ExtractOptions {
        format: Some(civsearch::extract::PageFormat::Html),
        ..Default::default()
    };
    let stages = std::env::var_os("BENCH_STAGES").is_some();
    let mut best = vec![Duration::MAX; pages.len()];
    let mut parse_best = vec![Duration::MAX; pages.len()];
    for _ in 0..rounds {
        for (i, (_, bytes)) in pages.iter().enumerate() {
            let t = Instant::now();
            let a = civsearch::extract::extract(bytes, &opts);
            best[i] = best[i].min(t.elapsed());
            std::hint::black_box(a.ok());
            if stages {
                let html = String::from_utf8_lossy(bytes);
                let t = Instant::now();
                let doc = civsearch::html::parse(&html);
                parse_best[i] = parse_best[i].min(t.elapsed());
                std::hint::black_box(doc.len());
            }
        }
    }
    report("extract", &best, &pages);
    if stages {
        report("parse", &parse_best, &pages);
    }
}

fn report(label: &str, times: &[Duration], pages: &[(String, Vec<u8>)]) {
    let mut sorted: Vec<Duration> = times.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        println!("no pages");
        return;
    }
    let pick = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    let total: Duration = sorted.iter().sum();
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();
    println!(
        "{label}: {} pages, median {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms, total {:.1} ms, {:.1} MB/s",
        sorted.len(),
        pick(0.5).as_secs_f64() * 1e3,
        pick(0.9).as_secs_f64() * 1e3,
        pick(0.99).as_secs_f64() * 1e3,
        sorted[sorted.len() - 1].as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
        bytes as f64 / total.as_secs_f64() / 1e6
    );
    if std::env::var_os("BENCH_SLOWEST").is_some() {
        let mut idx: Vec<usize> = (0..times.len()).collect();
        idx.sort_by_key(|&i| std::cmp::Reverse(times[i]));
        for &i in idx.iter().take(5) {
            println!(
                "  {:.3} ms {} ({} KB)",
                times[i].as_secs_f64() * 1e3,
                pages[i].0,
                pages[i].1.len() / 1024
            );
        }
    }
}
