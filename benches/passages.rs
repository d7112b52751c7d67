//! Passages and snippets over a body with no sentence break: the time must
//! grow with the body's length, not its square. Prints the median of 3 runs
//! for bodies of 0.25, 0.5 and 1 MB in which every 20th word matches.
//!
//! `cargo bench --bench passages` (or `--profile fast`); sizes in MB may be
//! given as arguments: `cargo bench --bench passages -- 0.25 1`.

use civsearch::search::highlight::{Matcher, find_spans, passages, snippet};
use std::time::{Duration, Instant};

/// A body of `bytes` bytes of words, without a full stop or a newline, in
/// which every 20th word is `budget`.
fn sentence_free_body(bytes: usize) -> String {
    let words = [
        "council",
        "vote",
        "city",
        "members",
        "residents",
        "housing",
        "plan",
    ];
    let mut body = String::with_capacity(bytes + 16);
    let mut i = 0usize;
    while body.len() < bytes {
        body.push_str(if i % 20 == 19 {
            "budget"
        } else {
            words[i % words.len()]
        });
        body.push(' ');
        i += 1;
    }
    body
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    let sizes: Vec<f64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![0.25, 0.5, 1.0]
    } else {
        sizes
    };
    let m = Matcher {
        terms: ["budget".to_string()].into_iter().collect(),
        phrases: Vec::new(),
    };
    for mb in sizes {
        let body = sentence_free_body((mb * 1_000_000.0) as usize);
        let mut runs = Vec::new();
        let mut count = 0;
        let mut longest = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let spans = find_spans(&body, &m);
            let ps = passages(&body, &spans);
            let snip = snippet(&body, &spans, 200);
            runs.push(t.elapsed());
            count = ps.len();
            longest = ps.iter().map(|p| p.text.len()).max().unwrap_or(0);
            std::hint::black_box(snip);
        }
        println!(
            "passages {mb} MB sentence-free body: median {:.3} s of 3 ({count} passages, longest {longest} bytes)",
            median(runs).as_secs_f64()
        );
    }
}
