//! Debug aid: `extract_debug PAGE.html NEEDLE` prints the chosen container and
//! the ancestors of the first text node containing NEEDLE.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let html = std::fs::read(&args[1]).expect("read page");
    let html = String::from_utf8_lossy(&html);
    let doc = civsearch::html::parse(&html);
    print!(
        "{}",
        civsearch::extract::content::explain(&doc, args.get(2).map_or("", String::as_str))
    );
}
