//! Extraction cost per page, in CPU time of the benchmarking thread.
//!
//! ```sh
//! cargo bench --bench extract -- ../shared/data/extract-dev            # table
//! cargo bench --bench extract -- ../shared/data/extract-dev --json     # one JSON object
//! cargo bench --bench extract -- ../shared/data/dates-dev/html --stage date
//! ```
//!
//! `--stage date` times the publication-date job on its own, as a date-only
//! tool does it: charset decoding, parsing, metadata and `find_date`, without
//! main-content scoring (issue #4 asks for a median of at most 1 ms a page).
//!
//! Every `*.html.gz` / `*.html` page of the folder is loaded into memory first,
//! then `civsearch::extract::extract` (charset decoding, parsing, main content,
//! metadata, dates: everything `index` does to a page) runs on each page
//! `--rounds` times (default 5) on one thread. A page's figure is its best
//! round, so a page is not charged for what other processes did to the caches;
//! the report gives the median, p90, p99 and max over pages.
//!
//! Why thread CPU time and not wall time: these machines are shared, and the
//! wall clock of a single-threaded loop measures the neighbours as much as the
//! code. `benches/extract_vs_trafilatura.sh` runs this and trafilatura
//! alternately on the same pages and prints the ratio.
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

struct Page {
    name: String,
    bytes: Vec<u8>,
}

fn main() {
    let mut dir: Option<PathBuf> = None;
    let mut rounds = 5usize;
    let mut json = false;
    let mut date_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // `cargo bench` passes --bench to harness-less benchmarks.
            "--bench" => {}
            "--json" => json = true,
            "--stage" => match args.next().as_deref() {
                Some("date") => date_only = true,
                Some("all") => date_only = false,
                _ => usage("--stage takes date or all"),
            },
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|r| r.parse().ok())
                    .filter(|&r| r > 0)
                    .unwrap_or_else(|| usage("--rounds needs a positive number"))
            }
            _ if arg.starts_with('-') => usage(&format!("unknown option {arg}")),
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let Some(dir) = dir.or_else(default_dir) else {
        // Nothing to measure on a machine without the dev pages: say so, succeed.
        eprintln!(
            "extract bench: no page folder given and ../shared/data/extract-dev not found; skipped"
        );
        return;
    };
    let pages = load_pages(&dir);
    if pages.is_empty() {
        usage(&format!(
            "no *.html or *.html.gz pages in {}",
            dir.display()
        ));
    }
    let opts = civsearch::extract::ExtractOptions {
        format: Some(civsearch::extract::PageFormat::Html),
        ..Default::default()
    };
    let mut best = vec![Duration::MAX; pages.len()];
    let mut failures = 0usize;
    for round in 0..rounds {
        for (i, page) in pages.iter().enumerate() {
            let start = thread_cpu_time();
            let ok = if date_only {
                std::hint::black_box(date_of(&page.bytes)).is_some()
            } else {
                std::hint::black_box(civsearch::extract::extract(&page.bytes, &opts)).is_ok()
            };
            let spent = thread_cpu_time().saturating_sub(start);
            best[i] = best[i].min(spent);
            if round == 0 && !ok {
                failures += 1;
            }
        }
    }
    let summary = Summary::of(&best, &pages);
    let stage = if date_only { "date" } else { "extract" };
    if json {
        println!(
            "{{\"extractor\": \"civsearch\", \"stage\": \"{stage}\", \"pages\": {}, \"rounds\": {rounds}, \"failures\": {failures}, \"cpu_ms_median\": {:.4}, \"cpu_ms_p90\": {:.4}, \"cpu_ms_p99\": {:.4}, \"cpu_ms_max\": {:.4}, \"cpu_ms_mean\": {:.4}, \"mb_per_cpu_s\": {:.2}}}",
            pages.len(),
            summary.median,
            summary.p90,
            summary.p99,
            summary.max,
            summary.mean,
            summary.mb_per_s
        );
    } else {
        println!(
            "{stage}: {} pages x {rounds} rounds, CPU per page (best round): median {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms, mean {:.3} ms; {:.1} MB per CPU second; {failures} {}",
            pages.len(),
            summary.median,
            summary.p90,
            summary.p99,
            summary.max,
            summary.mean,
            summary.mb_per_s,
            if date_only { "undated" } else { "failed" }
        );
        print_slowest(&best, &pages);
    }
}

/// The publication day of an HTML page, found the way `extract` finds it but
/// without scoring the main content.
fn date_of(bytes: &[u8]) -> Option<chrono::NaiveDate> {
    let (text, _) = civsearch::extract::charset::decode(bytes, None, true);
    let doc = civsearch::html::parse(&text);
    let meta = civsearch::extract::meta::PageMeta::collect(&doc);
    let today = chrono::Local::now().date_naive();
    civsearch::extract::date::find_date(&doc, &meta, None, today).map(|f| f.date)
}

/// Distribution of the per-page figures, in milliseconds.
struct Summary {
    median: f64,
    p90: f64,
    p99: f64,
    max: f64,
    mean: f64,
    mb_per_s: f64,
}

impl Summary {
    fn of(times: &[Duration], pages: &[Page]) -> Summary {
        let mut ms: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let pick = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
        let total_ms: f64 = ms.iter().sum();
        let bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
        Summary {
            median: pick(0.5),
            p90: pick(0.9),
            p99: pick(0.99),
            max: ms[ms.len() - 1],
            mean: total_ms / ms.len() as f64,
            mb_per_s: bytes as f64 / (total_ms / 1e3) / 1e6,
        }
    }
}

fn print_slowest(times: &[Duration], pages: &[Page]) {
    let mut order: Vec<usize> = (0..times.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(times[i]));
    println!("slowest pages:");
    for &i in order.iter().take(5) {
        println!(
            "  {:7.3} ms  {:5} KB  {}",
            times[i].as_secs_f64() * 1e3,
            pages[i].bytes.len() / 1024,
            pages[i].name
        );
    }
}

/// CPU time consumed so far by the calling thread.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID is
    // supported on every Linux the project runs on.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn default_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/extract-dev");
    dir.is_dir().then_some(dir)
}

fn load_pages(dir: &Path) -> Vec<Page> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| usage(&format!("cannot read {}: {e}", dir.display())))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    paths.sort();
    let mut pages = Vec::new();
    for path in paths {
        let name = path.to_string_lossy().into_owned();
        let bytes = if name.ends_with(".html.gz") {
            let mut out = Vec::new();
            let file = std::fs::File::open(&path)
                .unwrap_or_else(|e| usage(&format!("cannot open {name}: {e}")));
            flate2::read::GzDecoder::new(file)
                .read_to_end(&mut out)
                .unwrap_or_else(|e| usage(&format!("cannot gunzip {name}: {e}")));
            out
        } else if name.ends_with(".html") {
            std::fs::read(&path).unwrap_or_else(|e| usage(&format!("cannot read {name}: {e}")))
        } else {
            continue;
        };
        pages.push(Page { name, bytes });
    }
    pages
}

fn usage(problem: &str) -> ! {
    eprintln!("extract bench: {problem}");
    eprintln!(
        "usage: cargo bench --bench extract -- [DIR] [--rounds N] [--json] [--stage date|all]"
    );
    std::process::exit(2);
}
