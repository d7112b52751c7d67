//! Why a page's main content came out as it did: a debugging aid for the
//! content scorer (`src/extract/content.rs`).
//!
//! ```sh
//! cargo run --release --example explain_content -- PAGE.html ["some words"]
//! ```
//!
//! Prints the chosen container and the ancestors of the first text node that
//! contains the words, with their class/id, text length and whether they were
//! excluded as boilerplate. For per-page timing see `benches/extract.rs`.

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(page) = args.next() else {
        eprintln!("usage: explain_content PAGE.html [NEEDLE]");
        std::process::exit(2);
    };
    let html = match std::fs::read(&page) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("explain_content: cannot read {page}: {e}");
            std::process::exit(2);
        }
    };
    let doc = civsearch::html::parse(&String::from_utf8_lossy(&html));
    let needle = args.next().unwrap_or_default();
    print!("{}", civsearch::extract::content::explain(&doc, &needle));
}
