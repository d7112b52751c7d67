//! Feeds, zip and tar archives, gzip: the first byte picks the kind.
#![no_main]
use civsearch::ingest::{InputKind, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let kind = match first % 4 {
        0 => InputKind::Feed,
        1 => InputKind::Zip,
        2 => InputKind::Tar,
        _ => InputKind::Warc,
    };
    let _ = split(rest.to_vec(), kind, first & 0x80 != 0, 0);
});
