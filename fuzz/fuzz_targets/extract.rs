//! The extractor on any bytes, as HTML, as text and sniffed: never panics.
#![no_main]
use civsearch::extract::{ExtractOptions, PageFormat, extract};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let format = match data.first().map(|b| b % 3) {
        Some(0) => Some(PageFormat::Html),
        Some(1) => Some(PageFormat::Text),
        _ => None,
    };
    let opts = ExtractOptions {
        format,
        url: Some("http://fuzz.example/2020/01/02/story".into()),
        ..Default::default()
    };
    let _ = extract(data, &opts);
});
