//! The query parser on any string: an answer or a syntax error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = civsearch::search::query::parse_query(s);
    }
});
