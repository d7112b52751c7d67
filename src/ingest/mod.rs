//! Sources to raw documents: walking folders, telling input kinds apart (by
//! extension, then by content), reading (and un-gzipping) bytes, and splitting
//! container files (WARC, JSON lines, feeds, zip and tar archives) into records.
//! Nothing here parses a page: records come out as [`RawDoc`]s for extraction.

pub mod archive;
pub mod feed;
pub mod jsonl;
pub mod sidecar;
pub mod warc;

use crate::extract::PageFormat;
use chrono::NaiveDate;
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest page (or text, or single record) accepted: a bigger one is not an
/// article (a dump, a page of inline images) and would hold gigabytes while
/// parsed. Every decompression of one page (a gzipped page file, an archive
/// entry, a WARC record's HTTP content encoding) stops here as it streams, so
/// a small file that inflates to gigabytes costs this much memory at most.
pub const MAX_PAGE_BYTES: u64 = 64 << 20;

/// Most bytes one container (WARC, JSON lines, archive) may hand on as
/// documents, all records together: they are held until extracted. WARC,
/// JSON lines and tar are read as they decompress, record by record, so a
/// record over [`MAX_PAGE_BYTES`] is skipped as it streams and never held.
pub const MAX_CONTAINER_BYTES: u64 = 1 << 30;

/// Most decompressed bytes read from one gzipped container, kept or not: a
/// bomb of padding between records ends here instead of inflating for
/// minutes.
pub const MAX_INFLATE_BYTES: u64 = 8 << 30;

/// Containers inside containers are opened this deep (a zip of WARCs: 2).
const MAX_NESTING: usize = 3;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InputKind {
    /// One page (HTML or text).
    Page(#[serde(skip)] PageFormat),
    /// A web archive (WARC/1.0 or 1.1): one article per HTML response record.
    Warc,
    /// JSON lines: one article per line.
    Jsonl,
    /// RSS or Atom feed: one article per item.
    Feed,
    /// A zip archive of inputs.
    Zip,
    /// A tar archive of inputs.
    Tar,
}

/// One file to ingest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Absolute path on disk.
    pub path: PathBuf,
    /// The file's name for ids: the path relative to the root it was found
    /// under, prefixed with that root's own folder name (`a/story.html` for
    /// `story.html` in `coll/a`; a file given directly is named after the
    /// folder it sits in). Two roots indexed into one index do not share
    /// names unless the folders have the same name, and moving the tree above
    /// the root leaves every name as it was (see docs/identity.md).
    pub rel: String,
    /// The path as the user would write it: the root as given joined with `rel`.
    pub display: String,
    /// Input kind from the extension (the content may correct it, see [`sniff_kind`]).
    pub kind: InputKind,
    /// The file is gzip-compressed.
    pub gzipped: bool,
}

/// A path that was passed over, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The absolute path.
    pub path: PathBuf,
    /// Why: a kind not ingested, a metadata file, a symlink loop, an I/O error.
    pub reason: String,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files to ingest, in walk order (sorted by name within a folder).
    pub files: Vec<SourceFile>,
    /// Files of a kind that is not ingested (by extension).
    pub skipped: Vec<Skipped>,
    /// Paths that could not be read (permissions, symlink loops, vanished files).
    pub errors: Vec<Skipped>,
    /// Sidecar files (`NAME.meta.json`) and folder manifests (`manifest.csv`,
    /// `manifest.jsonl`) seen on the way.
    pub metadata_files: Vec<PathBuf>,
}

/// Page format from a file name (lowercase, without `.gz`).
pub fn format_for_name(name: &str) -> Option<PageFormat> {
    match kind_for_name(name)? {
        InputKind::Page(f) => Some(f),
        _ => None,
    }
}

/// Input kind from a file name (lowercase, without `.gz`).
pub fn kind_for_name(name: &str) -> Option<InputKind> {
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    Some(match ext {
        "html" | "htm" | "xhtml" | "shtml" => InputKind::Page(PageFormat::Html),
        "txt" | "text" => InputKind::Page(PageFormat::Text),
        "warc" => InputKind::Warc,
        "jsonl" | "ndjson" => InputKind::Jsonl,
        "rss" | "atom" | "xml" => InputKind::Feed,
        "zip" => InputKind::Zip,
        "tar" | "tgz" => InputKind::Tar,
        _ => return None,
    })
}

/// Sidecar and manifest files that describe pages rather than being pages.
pub fn is_metadata_file(name: &str) -> bool {
    name.ends_with(".meta.json") || name == "manifest.csv" || name == "manifest.jsonl"
}

/// Kind and compression from a file name: `Ok` to ingest, `Err` with the reason to skip.
pub fn classify_name(name: &str) -> Result<(InputKind, bool), String> {
    let name = name.to_lowercase();
    if is_metadata_file(&name) {
        return Err("metadata file".into());
    }
    let (stem, gzipped) = match name.strip_suffix(".gz") {
        Some(stem) => (stem, true),
        None => (name.as_str(), false),
    };
    // `.tgz` is a gzipped tar.
    let gzipped = gzipped || stem.ends_with(".tgz");
    match kind_for_name(stem) {
        Some(kind) => Ok((kind, gzipped)),
        None => {
            let ext = stem
                .rsplit_once('.')
                .map_or("no extension".to_string(), |(_, e)| format!(".{e}"));
            Err(format!("unsupported file type ({ext})"))
        }
    }
}

/// Classify one file: `Ok` to ingest, `Err` with the reason to skip.
fn classify(path: &Path, rel: String, display: String) -> Result<SourceFile, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (kind, gzipped) = classify_name(&name)?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        rel,
        display,
        kind,
        gzipped,
    })
}

/// Walk the given files and folders (recursively, following symlinks, detecting
/// loops). Files come back sorted by path so runs are deterministic.
pub fn walk(roots: &[PathBuf]) -> Walk {
    let mut out = Walk::default();
    for root in roots {
        let abs_root = std::path::absolute(root).unwrap_or_else(|_| root.clone());
        let root_name = root_name(&abs_root);
        for entry in walkdir::WalkDir::new(&abs_root)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| abs_root.clone());
                    let reason = if e.loop_ancestor().is_some() {
                        "symlink loop".to_string()
                    } else {
                        e.io_error()
                            .map_or_else(|| e.to_string(), |io| io.to_string())
                    };
                    out.errors.push(Skipped { path, reason });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = if entry.path() == abs_root {
                entry.file_name().to_string_lossy().into_owned()
            } else {
                entry
                    .path()
                    .strip_prefix(&abs_root)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/")
            };
            let display = if entry.path() == abs_root {
                root.display().to_string()
            } else {
                root.join(&rel).display().to_string()
            };
            let rel = match &root_name {
                Some(name) => format!("{name}/{rel}"),
                None => rel,
            };
            match classify(entry.path(), rel, display) {
                Ok(f) => out.files.push(f),
                Err(reason) => {
                    if reason == "metadata file" {
                        out.metadata_files.push(entry.path().to_path_buf());
                    }
                    out.skipped.push(Skipped {
                        path: entry.path().to_path_buf(),
                        reason,
                    });
                }
            }
        }
    }
    out
}

/// The name a root gives the ids of its files ([`SourceFile::rel`]): a
/// folder's own name, or for a file the name of the folder holding it; `None`
/// for the file system root. `.` and `..` are resolved to the real name.
fn root_name(abs_root: &Path) -> Option<String> {
    let resolved;
    let mut dir = abs_root;
    if dir.file_name().is_none() || dir.ends_with("..") {
        resolved = std::fs::canonicalize(abs_root).unwrap_or_else(|_| abs_root.to_path_buf());
        dir = &resolved;
    }
    let folder = if dir.is_file() { dir.parent()? } else { dir };
    folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
}

/// Decompress one gzipped page (all members), refusing more than
/// [`MAX_PAGE_BYTES`]: it stops reading there, so a bomb costs no more.
pub fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    read_capped(
        flate2::read::MultiGzDecoder::new(bytes),
        MAX_PAGE_BYTES,
        "the page",
    )
}

/// Gzip magic (a compressed file without `.gz` in its name is still read).
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b, 0x08])
}

/// Read a single page's bytes (decompressed). Used for page files, where a
/// truncated gzip is the file's failure.
pub fn read_source(file: &SourceFile) -> std::io::Result<Vec<u8>> {
    let bytes = std::fs::read(&file.path)?;
    if file.gzipped || is_gzip(&bytes) {
        gunzip_page(&bytes)
    } else {
        Ok(bytes)
    }
}

/// Read at most `limit` bytes from `r`: `Err` naming the limit when there is
/// more. Reads `limit + 1` bytes at most, so a bomb costs no more than that.
///
/// The bytes are gathered in pieces of 1 MiB and joined once at the end: a
/// growing vector doubles and copies itself, which near the limit held twice
/// the limit for the moment of the copy, and a bomb gave up only after that.
pub fn read_capped(r: impl Read, limit: u64, what: &str) -> std::io::Result<Vec<u8>> {
    const PIECE: usize = 1 << 20;
    let mut r = r.take(limit + 1);
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    let mut total = 0u64;
    loop {
        let mut piece = Vec::with_capacity(PIECE);
        let n = (&mut r).take(PIECE as u64).read_to_end(&mut piece)?;
        total += n as u64;
        if total > limit {
            return Err(std::io::Error::other(format!(
                "{what} decompresses to more than {} MiB, the limit",
                limit >> 20
            )));
        }
        if n == 0 {
            break;
        }
        pieces.push(piece);
    }
    Ok(match pieces.len() {
        0 => Vec::new(),
        1 => pieces.pop().unwrap_or_default(),
        _ => pieces.concat(),
    })
}

/// Decompress one gzipped page ([`gunzip`]), its error saying the data is bad.
pub fn gunzip_page(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    gunzip(bytes).map_err(|e| std::io::Error::new(e.kind(), format!("bad gzip data: {e}")))
}

/// The input kind from content, with the name's kind as the default: a WARC,
/// zip, tar or feed is recognised whatever its extension says.
pub fn sniff_kind(bytes: &[u8], by_name: InputKind) -> InputKind {
    let start = skip_bom_and_space(bytes);
    if start.starts_with(b"WARC/1.") {
        return InputKind::Warc;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return InputKind::Zip;
    }
    if bytes.len() >= 262 && &bytes[257..262] == b"ustar" {
        return InputKind::Tar;
    }
    match by_name {
        InputKind::Page(PageFormat::Html) | InputKind::Feed if feed::looks_like_feed(start) => {
            InputKind::Feed
        }
        // An .xml file that is no feed is read as a page (sitemaps give no text
        // and are reported as such).
        InputKind::Feed => InputKind::Page(PageFormat::Html),
        other => other,
    }
}

fn skip_bom_and_space(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// Fields given from outside a page: a sidecar, a manifest row, a JSON line, a
/// feed item. Each one given wins over what extraction inferred.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Meta {
    /// The article's URL; replaces the one the page gives.
    pub url: Option<String>,
    /// The headline, used as given (no site-name stripping).
    pub title: Option<String>,
    /// The publication day; replaces the extracted one, with full confidence.
    pub date: Option<NaiveDate>,
    /// The outlet's name, as given.
    pub outlet: Option<String>,
    /// The author's name, as given.
    pub author: Option<String>,
}

impl Meta {
    /// Fill the empty fields of `self` from `other`.
    pub fn or(mut self, other: &Meta) -> Meta {
        self.url = self.url.or_else(|| other.url.clone());
        self.title = self.title.or_else(|| other.title.clone());
        self.date = self.date.or(other.date);
        self.outlet = self.outlet.or_else(|| other.outlet.clone());
        self.author = self.author.or_else(|| other.author.clone());
        self
    }

    /// True when no field is given.
    pub fn is_empty(&self) -> bool {
        *self == Meta::default()
    }
}

/// Text of a metadata field: trimmed, `None` when blank.
pub fn clean_field(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A publication day from a metadata string: RFC 3339 (`2017-03-03T19:05:00-05:00`,
/// the stated local day), RFC 2822 (`Fri, 03 Mar 2017 19:05:00 GMT`), or a
/// plain `2017-03-03` / `2017/03/03`, optionally followed by a time.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(dt.date_naive());
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(dt.date_naive());
    }
    let plain = s.get(..10).filter(|_| {
        let rest = &s[10..];
        rest.is_empty() || rest.starts_with(['T', 't', ' '])
    });
    plain
        .and_then(|head| {
            NaiveDate::parse_from_str(head, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(head, "%Y/%m/%d"))
                .ok()
        })
        .or_else(|| crate::extract::date::parse_date_string(s))
}

/// The bytes of one document inside a source.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A page to extract.
    Page {
        /// The page's bytes, undecoded.
        bytes: Vec<u8>,
        /// HTML or text when the container says so; sniffed from the bytes otherwise.
        format: Option<PageFormat>,
        /// Charset from the transport (HTTP header of a WARC record).
        charset: Option<String>,
    },
    /// Text already extracted (a JSON line's `body`).
    Text(String),
}

/// One document found in a source, before extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDoc {
    /// Where in its file the document sits, for people (`record 3`, `line 7`,
    /// `item 2`, `pages/a.html`); `None` for a page file.
    pub record: Option<String>,
    /// The same, for the document id `<relative path>#<key>` when the article
    /// has no URL (`3`, `7`, `pages/a.html`).
    pub key: Option<String>,
    /// The page or text to extract.
    pub content: Content,
    /// The page's URL as known from outside (WARC-Target-URI, feed item link),
    /// passed to extraction as a hint.
    pub url_hint: Option<String>,
    /// The record's own fields (a JSON line's, a feed item's): they win over
    /// sidecars and extraction.
    pub meta: Meta,
    /// File-level defaults (a feed's title as outlet): below sidecars, above extraction.
    pub defaults: Meta,
    /// Where `meta.date` came from (`jsonl`, `feed`).
    pub date_source: Option<&'static str>,
}

impl RawDoc {
    fn page(bytes: Vec<u8>, format: Option<PageFormat>) -> RawDoc {
        RawDoc {
            record: None,
            key: None,
            content: Content::Page {
                bytes,
                format,
                charset: None,
            },
            url_hint: None,
            meta: Meta::default(),
            defaults: Meta::default(),
            date_source: None,
        }
    }
}

/// What a source file holds, record by record.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A document to extract and index.
    Doc(Box<RawDoc>),
    /// A record that could not be read.
    Failed {
        /// Where in the file (`record 3`, `line 7`); `None` when the whole file failed.
        record: Option<String>,
        /// Why it could not be read, in words for a person.
        reason: String,
    },
    /// A record that is deliberately not indexed (WARC request or revisit, a
    /// duplicate payload, an unsupported archive entry), by reason.
    Skipped(String),
}

impl Item {
    /// A [`Item::Failed`] at a named record.
    pub fn failed(record: impl Into<String>, reason: impl Into<String>) -> Item {
        Item::Failed {
            record: Some(record.into()),
            reason: reason.into(),
        }
    }
}

/// Read a source file and split it into documents. `Err` when the file as a
/// whole cannot be read (the reason); record-level trouble comes back as
/// [`Item::Failed`] beside the records that were fine.
pub fn read_items(file: &SourceFile) -> Result<Vec<Item>, String> {
    let raw = std::fs::read(&file.path).map_err(|e| e.to_string())?;
    split(raw, file.kind, file.gzipped, 0)
}

/// Split bytes (kind from their name, maybe gzipped) into items.
pub fn split(
    raw: Vec<u8>,
    kind: InputKind,
    gzipped: bool,
    depth: usize,
) -> Result<Vec<Item>, String> {
    if gzipped || is_gzip(&raw) {
        return split_gzipped(&raw, kind, depth);
    }
    let kind = sniff_kind(&raw, kind);
    if depth >= MAX_NESTING && !matches!(kind, InputKind::Page(_)) {
        return Err("archives nested too deep".into());
    }
    let mut items = Vec::new();
    match kind {
        InputKind::Page(format) => items.push(Item::Doc(Box::new(RawDoc::page(raw, Some(format))))),
        InputKind::Warc => items.extend(warc::split(&raw)),
        InputKind::Jsonl => items.extend(jsonl::split(&raw)),
        InputKind::Feed => items.extend(feed::split(&raw)?),
        InputKind::Zip => items.extend(archive::split_zip(raw, depth)?),
        InputKind::Tar => items.extend(archive::split_tar(&raw[..], depth)?),
    }
    Ok(items)
}

/// Split gzipped bytes as they decompress. WARC, JSON lines and tar are read
/// record by record from the stream (a record over [`MAX_PAGE_BYTES`] is
/// skipped unread, the records together stop at [`MAX_CONTAINER_BYTES`]);
/// a page or feed is inflated up to [`MAX_PAGE_BYTES`], a zip (which needs
/// all its bytes) up to [`MAX_CONTAINER_BYTES`]. Corrupt or truncated data
/// ends a container there, with the records before it kept.
fn split_gzipped(raw: &[u8], kind: InputKind, depth: usize) -> Result<Vec<Item>, String> {
    let mut decoder = flate2::read::MultiGzDecoder::new(raw).take(MAX_INFLATE_BYTES);
    // The first decompressed bytes tell the content's kind (a decoder may
    // return a few bytes per read, so read up to 64 KiB).
    let mut head = Vec::new();
    let head_err = (&mut decoder).take(64 << 10).read_to_end(&mut head).err();
    let kind = sniff_kind(&head, kind);
    let mut items = Vec::new();
    if let Some(e) = &head_err {
        if matches!(kind, InputKind::Page(_)) || head.is_empty() {
            return Err(format!("bad gzip data: {e}"));
        }
        // A container keeps the records before the damage.
        items.push(Item::Failed {
            record: None,
            reason: format!(
                "bad gzip data after {} decompressed bytes: {e}; the records before it are indexed",
                head.len()
            ),
        });
    }
    if depth >= MAX_NESTING && !matches!(kind, InputKind::Page(_)) {
        return Err("archives nested too deep".into());
    }
    // The head read for sniffing, then the rest of the stream.
    let mut reader: Box<dyn std::io::BufRead + '_> = match head_err {
        None => Box::new(std::io::BufReader::with_capacity(
            1 << 20,
            std::io::Cursor::new(head).chain(decoder),
        )),
        Some(_) => Box::new(std::io::Cursor::new(head)),
    };
    let whole = |reader, limit, what| {
        read_capped(reader, limit, what).map_err(|e| format!("bad gzip data: {e}"))
    };
    match kind {
        InputKind::Page(format) => {
            let bytes = whole(reader, MAX_PAGE_BYTES, "the page")?;
            items.push(Item::Doc(Box::new(RawDoc::page(bytes, Some(format)))));
        }
        InputKind::Feed => items.extend(feed::split(&whole(reader, MAX_PAGE_BYTES, "the feed")?)?),
        InputKind::Zip => items.extend(archive::split_zip(
            whole(reader, MAX_CONTAINER_BYTES, "the zip archive")?,
            depth,
        )?),
        InputKind::Warc => items.extend(warc::split_reader(&mut reader)),
        InputKind::Jsonl => items.extend(jsonl::split_reader(&mut reader)),
        InputKind::Tar => items.extend(archive::split_tar(&mut reader, depth)?),
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(format_for_name("a.html"), Some(PageFormat::Html));
        assert_eq!(format_for_name("a.xhtml"), Some(PageFormat::Html));
        assert_eq!(format_for_name("a.txt"), Some(PageFormat::Text));
        assert_eq!(format_for_name("a.pdf"), None);
        assert_eq!(format_for_name("README"), None);
    }

    #[test]
    fn walk_sorts_classifies_and_skips() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("b/z.html"), "<p>x</p>").unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::fs::write(dir.path().join("c.pdf"), "x").unwrap();
        std::fs::write(dir.path().join("a.meta.json"), "{}").unwrap();
        let w = walk(&[dir.path().to_path_buf()]);
        let rels: Vec<&str> = w.files.iter().map(|f| f.rel.as_str()).collect();
        let name = dir.path().file_name().unwrap().to_string_lossy();
        assert_eq!(rels, [format!("{name}/a.txt"), format!("{name}/b/z.html")]);
        assert_eq!(w.skipped.len(), 2);
    }

    #[test]
    fn names_carry_the_root_folder_name() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["coll/a", "coll/b"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
            std::fs::write(dir.path().join(sub).join("story.html"), "<p>x</p>").unwrap();
        }
        let rel = |p: &str| walk(&[dir.path().join(p)]).files[0].rel.clone();
        // Two folders with the same file names give two names.
        assert_eq!(rel("coll/a"), "a/story.html");
        assert_eq!(rel("coll/b"), "b/story.html");
        // A file given on its own is named as its folder would name it.
        assert_eq!(rel("coll/a/story.html"), "a/story.html");
        assert_eq!(rel("coll/a/."), "a/story.html");
        // Moving the tree above the root changes nothing.
        std::fs::rename(dir.path().join("coll"), dir.path().join("moved")).unwrap();
        assert_eq!(rel("moved/a"), "a/story.html");
    }

    #[test]
    fn truncated_gzip_is_an_error() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&b"<p>hello</p>".repeat(1000)).unwrap();
        let gz = enc.finish().unwrap();
        assert!(gunzip(&gz).is_ok());
        assert!(gunzip(&gz[..gz.len() / 2]).is_err());
    }
}
