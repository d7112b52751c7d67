//! Metadata from beside a file, which wins over what extraction infers:
//!
//! - `NAME.meta.json` next to `NAME.html` (or `NAME.html.meta.json`): an object
//!   with `url`, `date`, `outlet`, `title`, `author`;
//! - `manifest.csv` (header row) or `manifest.jsonl` (one object a line) in a
//!   folder, each row naming a file (column `file`, `path`, `filename` or
//!   `name`, relative to the manifest's folder) and giving those fields.
//!
//! A `NAME.meta.json` wins over a manifest row, a nearer manifest over one
//! higher up. For a file holding many articles (WARC, JSON lines, feed, archive)
//! the sidecar's `outlet`, `author` and `date` apply to every article, while `url`
//! and `title` are not used (they would make all its articles one).

use super::{Meta, clean_field, parse_date};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Sidecar metadata for one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sidecar {
    /// The fields it gives; each one given wins over what extraction infers.
    pub meta: Meta,
    /// What the metadata was read from, hashed with the file so that editing a
    /// sidecar re-indexes the file.
    pub fingerprint: Vec<u8>,
}

/// A problem in a metadata file: path, line, reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SidecarProblem {
    /// The metadata file (sidecar or manifest).
    pub path: PathBuf,
    /// The line or row at fault (`line 7`); `None` when the whole file could not be read.
    pub record: Option<String>,
    /// What is wrong, in words for a person.
    pub reason: String,
}

/// The fields of a sidecar or manifest row, as written.
#[derive(Debug, Default, Deserialize)]
struct Fields {
    #[serde(alias = "path", alias = "filename", alias = "name")]
    file: Option<String>,
    url: Option<String>,
    title: Option<String>,
    date: Option<String>,
    outlet: Option<String>,
    author: Option<String>,
}

impl Fields {
    fn meta(self) -> Meta {
        Meta {
            url: clean_field(self.url),
            title: clean_field(self.title),
            date: clean_field(self.date).and_then(|d| parse_date(&d)),
            outlet: clean_field(self.outlet),
            author: clean_field(self.author),
        }
    }
}

/// All sidecars and manifests found by a walk.
#[derive(Debug, Default)]
pub struct Sidecars {
    meta_files: HashSet<PathBuf>,
    /// Folder -> (file path relative to it -> row metadata).
    manifests: HashMap<PathBuf, HashMap<String, Meta>>,
}

impl Sidecars {
    /// Load the manifests among `metadata_files` (the `.meta.json` files are
    /// read when a file asks for them). Returns the problems found on the way.
    pub fn load(metadata_files: &[PathBuf]) -> (Sidecars, Vec<SidecarProblem>) {
        let mut out = Sidecars::default();
        let mut problems = Vec::new();
        for path in metadata_files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if name.ends_with(".meta.json") {
                out.meta_files.insert(path.clone());
                continue;
            }
            let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
            let rows = out.manifests.entry(dir).or_default();
            let problem = |record: Option<String>, reason: String| SidecarProblem {
                path: path.clone(),
                record,
                reason,
            };
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => {
                    problems.push(problem(None, e.to_string()));
                    continue;
                }
            };
            let parsed = if name == "manifest.csv" {
                read_csv(&bytes)
            } else {
                read_jsonl(&bytes)
            };
            for row in parsed {
                match row {
                    Ok((file, meta)) => {
                        rows.insert(normalize(&file), meta);
                    }
                    Err((line, reason)) => problems.push(problem(line, reason)),
                }
            }
        }
        (out, problems)
    }

    /// The sidecar metadata of the file at `path` (absolute), if any. `Err` when
    /// its `.meta.json` is unreadable (the file is still indexed, without it).
    pub fn for_file(&self, path: &Path) -> Result<Option<Sidecar>, String> {
        let mut meta = Meta::default();
        let mut fingerprint = Vec::new();
        if !self.meta_files.is_empty() {
            for candidate in meta_json_candidates(path) {
                if !self.meta_files.contains(&candidate) {
                    continue;
                }
                let bytes = std::fs::read(&candidate)
                    .map_err(|e| format!("cannot read {}: {e}", candidate.display()))?;
                fingerprint.extend_from_slice(&bytes);
                let fields: Fields = serde_json::from_slice(&bytes)
                    .map_err(|e| format!("bad sidecar {}: {e}", candidate.display()))?;
                meta = fields.meta();
                break;
            }
        }
        let mut dir = path.parent();
        while let Some(d) = dir {
            if let Some(rows) = self.manifests.get(d)
                && let Ok(rel) = path.strip_prefix(d)
                && let Some(row) = rows.get(&normalize(&rel.to_string_lossy()))
            {
                fingerprint
                    .extend_from_slice(serde_json::to_string(row).unwrap_or_default().as_bytes());
                meta = meta.or(row);
            }
            dir = d.parent();
        }
        Ok((!fingerprint.is_empty()).then_some(Sidecar { meta, fingerprint }))
    }
}

/// `a.html.meta.json`, then `a.meta.json` (for `a.html` and `a.html.gz`).
fn meta_json_candidates(path: &Path) -> Vec<PathBuf> {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut out = vec![dir.join(format!("{name}.meta.json"))];
    let mut stem = name.as_str();
    for _ in 0..2 {
        if let Some((s, ext)) = stem.rsplit_once('.')
            && !s.is_empty()
        {
            stem = s;
            out.push(dir.join(format!("{stem}.meta.json")));
            if !ext.eq_ignore_ascii_case("gz") {
                break;
            }
        }
    }
    out.dedup();
    out
}

fn normalize(rel: &str) -> String {
    let r = rel.trim().replace('\\', "/");
    r.trim_start_matches("./").to_string()
}

type Row = Result<(String, Meta), (Option<String>, String)>;

fn read_csv(bytes: &[u8]) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.to_ascii_lowercase()).collect(),
        Err(e) => return vec![Err((None, format!("bad CSV header: {e}")))],
    };
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let Some(file_col) = col(&["file", "path", "filename", "name"]) else {
        return vec![Err((
            Some("line 1".into()),
            "no `file` column (or `path`, `filename`, `name`)".into(),
        ))];
    };
    let cols = [
        col(&["url"]),
        col(&["title"]),
        col(&["date"]),
        col(&["outlet"]),
        col(&["author"]),
    ];
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = Some(format!("line {}", i + 2));
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                rows.push(Err((line, format!("bad CSV row: {e}"))));
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::to_string);
        let Some(file) = get(Some(file_col)).filter(|f| !f.is_empty()) else {
            rows.push(Err((line, "row names no file".into())));
            continue;
        };
        let fields = Fields {
            file: None,
            url: get(cols[0]),
            title: get(cols[1]),
            date: get(cols[2]),
            outlet: get(cols[3]),
            author: get(cols[4]),
        };
        rows.push(Ok((file, fields.meta())));
    }
    rows
}

fn read_jsonl(bytes: &[u8]) -> Vec<Row> {
    use std::io::BufRead;
    let mut rows = Vec::new();
    for (i, line) in bytes.lines().enumerate() {
        let label = Some(format!("line {}", i + 1));
        let line = match line {
            Ok(l) if l.trim().is_empty() => continue,
            Ok(l) => l,
            Err(e) => {
                rows.push(Err((label, e.to_string())));
                continue;
            }
        };
        match serde_json::from_str::<Fields>(&line) {
            Ok(mut f) => match f.file.take().filter(|f| !f.trim().is_empty()) {
                Some(file) => rows.push(Ok((file, f.meta()))),
                None => rows.push(Err((label, "row names no file".into()))),
            },
            Err(e) => rows.push(Err((label, format!("bad JSON: {e}")))),
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates() {
        let c = meta_json_candidates(Path::new("/d/a.html.gz"));
        assert_eq!(
            c,
            [
                PathBuf::from("/d/a.html.gz.meta.json"),
                PathBuf::from("/d/a.html.meta.json"),
                PathBuf::from("/d/a.meta.json"),
            ]
        );
        let c = meta_json_candidates(Path::new("/d/a.html"));
        assert_eq!(
            c,
            [
                PathBuf::from("/d/a.html.meta.json"),
                PathBuf::from("/d/a.meta.json")
            ]
        );
    }

    #[test]
    fn manifests_and_meta_json() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(
            d.join("manifest.csv"),
            "file,outlet,date\nsub/a.html,The Ledger,2019-05-06\nb.html,Herald,\n\"unterminated\n",
        )
        .unwrap();
        std::fs::write(
            d.join("sub/a.meta.json"),
            r#"{"title": "From sidecar", "date": "2020-01-02"}"#,
        )
        .unwrap();
        let (s, problems) = Sidecars::load(&[d.join("manifest.csv"), d.join("sub/a.meta.json")]);
        assert!(problems.len() <= 1, "{problems:?}");
        let a = s.for_file(&d.join("sub/a.html")).unwrap().unwrap();
        assert_eq!(a.meta.title.as_deref(), Some("From sidecar"));
        assert_eq!(a.meta.outlet.as_deref(), Some("The Ledger"));
        assert_eq!(a.meta.date, chrono::NaiveDate::from_ymd_opt(2020, 1, 2));
        let b = s.for_file(&d.join("b.html")).unwrap().unwrap();
        assert_eq!(b.meta.outlet.as_deref(), Some("Herald"));
        assert!(s.for_file(&d.join("c.html")).unwrap().is_none());
    }
}
