//! Zip and tar archives: each entry whose name is an input kind (a page, a WARC,
//! JSON lines, a feed, another archive; gzipped or not) is read like a file of
//! its own. A bad entry is that entry's failure; the others are read.

use super::{
    InputKind, Item, MAX_CONTAINER_BYTES, MAX_PAGE_BYTES, classify_name, read_capped, split,
};
use std::io::Read;

fn over_budget(name: &str) -> Item {
    Item::failed(
        name,
        format!(
            "the archive expands past {} MiB: this entry and the ones after it are not read",
            MAX_CONTAINER_BYTES >> 20
        ),
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

/// Read one entry into `items`, counting its bytes against the archive's
/// [`MAX_CONTAINER_BYTES`].
fn take_entry(
    items: &mut Vec<Item>,
    total: &mut u64,
    name: String,
    reader: impl Read,
    depth: usize,
) -> Taken {
    let left = MAX_CONTAINER_BYTES.saturating_sub(*total);
    if left == 0 {
        items.push(over_budget(&name));
        return Taken::Stop;
    }
    match read_entry(reader, entry_limit(&name).min(left)) {
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

/// Most bytes read from one entry: a page's limit for a page (gzipped or
/// not: a gzipped page is inflated with its own limit later), the archive's
/// for a container inside it.
fn entry_limit(name: &str) -> u64 {
    match classify_name(name.rsplit('/').next().unwrap_or(name)) {
        Ok((InputKind::Page(_), _)) => MAX_PAGE_BYTES,
        _ => MAX_CONTAINER_BYTES,
    }
}

/// Read an entry, refusing more than `limit` bytes as it streams (the size
/// an entry declares is not trusted).
fn read_entry(reader: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    read_capped(reader, limit, "the entry").map_err(|e| format!("unreadable entry: {e}"))
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
        if take_entry(&mut items, &mut total, name, &mut entry, depth) == Taken::Stop {
            break;
        }
    }
    Ok(items)
}

/// Split a tar archive into items; a damaged header ends the archive there,
/// with the entries before it kept.
pub fn split_tar(reader: impl Read, depth: usize) -> Result<Vec<Item>, String> {
    let mut archive = tar::Archive::new(reader);
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
        // A tar entry that cannot be read leaves the stream at an unknown
        // place: what follows is not trusted.
        if take_entry(&mut items, &mut total, name, &mut entry, depth) != Taken::Read {
            break;
        }
    }
    Ok(items)
}
