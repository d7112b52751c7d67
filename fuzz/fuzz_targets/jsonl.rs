//! The JSON-lines reader on any bytes: never a panic.
#![no_main]
use civsearch::ingest::{InputKind, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = split(data.to_vec(), InputKind::Jsonl, false, 0);
});
