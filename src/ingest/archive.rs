//! Zip and tar archives: each entry whose name is an input kind (a page, a WARC,
//! JSON lines, a feed, another archive; gzipped or not) is read like a file of
//! its own. A bad entry is that entry's failure; the others are read.

use super::{Item, MAX_GUNZIP_BYTES, classify_name, split};
use std::io::Read;

/// Most bytes read out of one archive, all entries together: entries are held
/// in memory until extracted, so a zip bomb must stop somewhere.
const MAX_ARCHIVE_BYTES: u64 = 2 << 30;

fn over_budget(name: &str) -> Item {
    Item::failed(
        name,
        "the archive expands past 2 GiB: this entry and the ones after it are not read",
    )
}

/// Items of one archive entry, their labels prefixed with the entry name.
fn entry_items(name: &str, bytes: Vec<u8>, depth: usize) -> Vec<Item> {
    let (kind, gzipped) = match classify_name(name.rsplit('/').next().unwrap_or(name)) {
        Ok(k) => k,
        Err(reason) if reason == "metadata file" => return Vec::new(),
        Err(reason) => return vec![Item::Skipped(reason)],
    };
    match split(bytes, kind, gzipped, depth + 1) {
        Ok(items) => items
            .into_iter()
            .map(|item| match item {
                Item::Doc(mut d) => {
                    d.record = Some(match &d.record {
                        Some(r) => format!("{name}, {r}"),
                        None => name.to_string(),
                    });
                    d.key = Some(match &d.key {
                        Some(k) => format!("{name}#{k}"),
                        None => name.to_string(),
                    });
                    Item::Doc(d)
                }
                Item::Failed { record, reason } => Item::Failed {
                    record: Some(match record {
                        Some(r) => format!("{name}, {r}"),
                        None => name.to_string(),
                    }),
                    reason,
                },
                skipped => skipped,
            })
            .collect(),
        Err(reason) => vec![Item::failed(name, reason)],
    }
}

/// What became of one archive entry.
#[derive(PartialEq)]
enum Taken {
    Read,
    Failed,
    /// The archive's size budget is spent: no further entry is read.
    Stop,
}

/// Read one entry into `items`, counting its bytes against the archive budget.
fn take_entry(
    items: &mut Vec<Item>,
    total: &mut u64,
    name: String,
    reader: impl Read,
    declared: u64,
    depth: usize,
) -> Taken {
    if *total > MAX_ARCHIVE_BYTES {
        items.push(over_budget(&name));
        return Taken::Stop;
    }
    match read_entry(reader, declared) {
        Ok(bytes) => {
            *total += bytes.len() as u64;
            items.extend(entry_items(&name, bytes, depth));
            Taken::Read
        }
        Err(reason) => {
            items.push(Item::failed(name, reason));
            Taken::Failed
        }
    }
}

/// Read an entry, refusing more than [`MAX_GUNZIP_BYTES`].
fn read_entry(reader: impl Read, declared: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(declared.min(64 << 20) as usize);
    reader
        .take(MAX_GUNZIP_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("unreadable entry: {e}"))?;
    if out.len() as u64 > MAX_GUNZIP_BYTES {
        return Err("entry over 1 GiB".into());
    }
    Ok(out)
}

/// Split a zip archive into items; `Err` when its directory cannot be read.
pub fn split_zip(bytes: Vec<u8>, depth: usize) -> Result<Vec<Item>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("bad zip archive: {e}"))?;
    let mut items = Vec::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                items.push(Item::failed(format!("entry {}", i + 1), e.to_string()));
                continue;
            }
        };
        if !entry.is_file() {
            continue;
        }
        let name = match entry.name() {
            Ok(n) => n.replace('\\', "/"),
            Err(e) => {
                items.push(Item::failed(format!("entry {}", i + 1), e.to_string()));
                continue;
            }
        };
        let size = entry.size();
        if take_entry(&mut items, &mut total, name, &mut entry, size, depth) == Taken::Stop {
            break;
        }
    }
    Ok(items)
}

/// Split a tar archive into items; a damaged header ends the archive there,
/// with the entries before it kept.
pub fn split_tar(bytes: &[u8], depth: usize) -> Result<Vec<Item>, String> {
    let mut archive = tar::Archive::new(bytes);
    let entries = archive
        .entries()
        .map_err(|e| format!("bad tar archive: {e}"))?;
    let mut items = Vec::new();
    let mut total = 0u64;
    for (i, entry) in entries.enumerate() {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                items.push(Item::failed(
                    format!("entry {}", i + 1),
                    format!("bad tar entry, the rest of the archive is unreadable: {e}"),
                ));
                break;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = match entry.path() {
            Ok(p) => p.to_string_lossy().replace('\\', "/"),
            Err(e) => {
                items.push(Item::failed(format!("entry {}", i + 1), e.to_string()));
                continue;
            }
        };
        let size = entry.size();
        // A tar entry that cannot be read leaves the stream at an unknown
        // place: what follows is not trusted.
        if take_entry(&mut items, &mut total, name, &mut entry, size, depth) != Taken::Read {
            break;
        }
    }
    Ok(items)
}
