//! Sources to raw documents: walking folders, telling file kinds apart, reading
//! (and un-gzipping) bytes. Nothing here parses a page.

use crate::extract::PageFormat;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest decompressed size accepted from one gzip file; a bigger one is a
/// "gzip bomb" or not a page.
pub const MAX_GUNZIP_BYTES: u64 = 1 << 30;

/// One file to ingest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Absolute path on disk.
    pub path: PathBuf,
    /// Path relative to the root it was found under (the file name for a file given directly).
    pub rel: String,
    /// The path as the user would write it: the root as given joined with `rel`.
    pub display: String,
    /// Page format from the extension.
    pub format: PageFormat,
    /// The file is gzip-compressed.
    pub gzipped: bool,
}

/// A path that was passed over, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<SourceFile>,
    /// Files of a kind that is not ingested (by extension).
    pub skipped: Vec<Skipped>,
    /// Paths that could not be read (permissions, symlink loops, vanished files).
    pub errors: Vec<Skipped>,
}

/// Page format from a file name (lowercase, without `.gz`).
pub fn format_for_name(name: &str) -> Option<PageFormat> {
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    match ext {
        "html" | "htm" | "xhtml" | "shtml" => Some(PageFormat::Html),
        "txt" | "text" => Some(PageFormat::Text),
        _ => None,
    }
}

/// Sidecar and manifest files that describe pages rather than being pages.
fn is_metadata_file(name: &str) -> bool {
    name.ends_with(".meta.json") || name == "manifest.csv" || name == "manifest.jsonl"
}

/// Classify one file: `Ok(Some)` to ingest, `Ok(None)` to skip with the reason.
fn classify(path: &Path, rel: String, display: String) -> Result<SourceFile, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if is_metadata_file(&name) {
        return Err("metadata file".into());
    }
    let (stem, gzipped) = match name.strip_suffix(".gz") {
        Some(stem) => (stem, true),
        None => (name.as_str(), false),
    };
    match format_for_name(stem) {
        Some(format) => Ok(SourceFile {
            path: path.to_path_buf(),
            rel,
            display,
            format,
            gzipped,
        }),
        None => {
            let ext = stem
                .rsplit_once('.')
                .map_or("no extension".to_string(), |(_, e)| format!(".{e}"));
            Err(format!("unsupported file type ({ext})"))
        }
    }
}

/// Walk the given files and folders (recursively, following symlinks, detecting
/// loops). Files come back sorted by path so runs are deterministic.
pub fn walk(roots: &[PathBuf]) -> Walk {
    let mut out = Walk::default();
    for root in roots {
        let abs_root = std::path::absolute(root).unwrap_or_else(|_| root.clone());
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
            match classify(entry.path(), rel, display) {
                Ok(f) => out.files.push(f),
                Err(reason) => out.skipped.push(Skipped {
                    path: entry.path().to_path_buf(),
                    reason,
                }),
            }
        }
    }
    out
}

/// Decompress gzip data (all members), refusing more than [`MAX_GUNZIP_BYTES`].
pub fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() * 4);
    flate2::read::MultiGzDecoder::new(bytes)
        .take(MAX_GUNZIP_BYTES + 1)
        .read_to_end(&mut out)?;
    if out.len() as u64 > MAX_GUNZIP_BYTES {
        return Err(std::io::Error::other("decompressed size over 1 GiB"));
    }
    Ok(out)
}

/// Read a source file's page bytes (decompressed).
pub fn read_source(file: &SourceFile) -> std::io::Result<Vec<u8>> {
    let bytes = std::fs::read(&file.path)?;
    if file.gzipped {
        gunzip(&bytes).map_err(|e| std::io::Error::new(e.kind(), format!("bad gzip data: {e}")))
    } else {
        Ok(bytes)
    }
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
        assert_eq!(rels, ["a.txt", "b/z.html"]);
        assert_eq!(w.skipped.len(), 2);
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
