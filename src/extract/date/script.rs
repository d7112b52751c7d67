//! Dates in the data that pages carry in inline scripts other than JSON-LD: a
//! state object for the page's scripts (`{"publishedDate":"2016-11-04T20:37Z"}`),
//! a Next.js or Nuxt payload, an analytics object (`publishDate: '...'`). Pages
//! rendered by their scripts often state their day nowhere else.
//!
//! Only keys that name a publication or creation day are read, found with a few
//! substring searches over the script text (no parse of the script).

use memchr::memmem;

/// What a script key says about its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptKey {
    /// A publication day ("datePublished", "publishDate", "published_at").
    Published,
    /// A creation day ("dateCreated", "createdAt").
    Created,
}

/// A date value found under a known key in an inline script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptDate {
    pub key: ScriptKey,
    pub value: String,
}

/// Keys read, lowercase with `_` and `-` removed.
const PUBLISHED_KEYS: &[&str] = &[
    "datepublished",
    "publisheddate",
    "publishdate",
    "publishedat",
    "publishedon",
    "publicationdate",
    "firstpublished",
    "firstpublishdate",
    "firstpublisheddate",
    "firstpublishedat",
    "datefirstpublished",
    "originalpublishdate",
    "publishdatetime",
    "publisheddatetime",
    "articlepublishdate",
    "articlepubdate",
];

const CREATED_KEYS: &[&str] = &[
    "datecreated",
    "createdat",
    "createddate",
    "createdon",
    "creationdate",
];

/// Values read per page, at most.
const MAX_VALUES: usize = 32;

/// Longest key read.
const MAX_KEY: usize = 32;

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn classify(key: &[u8]) -> Option<ScriptKey> {
    let mut buf = [0u8; MAX_KEY];
    let mut n = 0;
    for &b in key {
        if b == b'_' || b == b'-' {
            continue;
        }
        buf[n] = b.to_ascii_lowercase();
        n += 1;
    }
    let k = std::str::from_utf8(&buf[..n]).ok()?;
    if PUBLISHED_KEYS.contains(&k) {
        Some(ScriptKey::Published)
    } else if CREATED_KEYS.contains(&k) {
        Some(ScriptKey::Created)
    } else {
        None
    }
}

/// The quoted key around `at` and the string value assigned to it: `"key":"v"`,
/// `\"key\":\"v\"` (JSON in a JS string), `key: 'v'`.
fn key_value(b: &[u8], at: usize) -> Option<(ScriptKey, &str)> {
    let mut s = at;
    while s > 0 && at - s < MAX_KEY && is_ident(b[s - 1]) {
        s -= 1;
    }
    let mut e = at;
    while e < b.len() && e - s < MAX_KEY && is_ident(b[e]) {
        e += 1;
    }
    if s == 0 || e - s >= MAX_KEY || !matches!(b[s - 1], b'"' | b'\'' | b' ' | b'{' | b',' | b'\n')
    {
        return None;
    }
    let key = classify(&b[s..e])?;
    // The key's closing quote, the colon, the value's opening quote.
    let mut i = e;
    let skip = |i: &mut usize, set: &[u8]| {
        while *i < b.len() && set.contains(&b[*i]) {
            *i += 1;
        }
    };
    skip(&mut i, b"\\\"'");
    skip(&mut i, b" \t");
    if b.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    skip(&mut i, b" \t");
    let q = i;
    skip(&mut i, b"\\\"'");
    if i == q {
        return None;
    }
    let v = i;
    while i < b.len() && i - v < 40 && !matches!(b[i], b'"' | b'\'' | b'\\' | b'<') {
        i += 1;
    }
    if i - v < 8 || i - v >= 40 || !b[v].is_ascii_digit() {
        return None;
    }
    Some((key, std::str::from_utf8(&b[v..i]).ok()?))
}

/// The substrings every known key holds ("p-ublish-ed", "p-ublica-tion",
/// "c-reated"), each searcher built once rather than per script.
static NEEDLES: std::sync::LazyLock<[memmem::Finder<'static>; 3]> =
    std::sync::LazyLock::new(|| {
        [
            memmem::Finder::new("ublish"),
            memmem::Finder::new("ublica"),
            memmem::Finder::new("reated"),
        ]
    });

/// Adds the dates under known keys in the text of an inline script to `out`.
pub fn scan_script(text: &str, out: &mut Vec<ScriptDate>) {
    let b = text.as_bytes();
    let mut found: Vec<(usize, ScriptKey, &str)> = Vec::new();
    for finder in NEEDLES.iter() {
        for at in finder.find_iter(b) {
            if found.len() >= MAX_VALUES {
                break;
            }
            if let Some((key, value)) = key_value(b, at) {
                found.push((at, key, value));
            }
        }
    }
    // In the order the script states them: the first is the page's own.
    found.sort_unstable_by_key(|f| f.0);
    for (_, key, value) in found {
        if out.len() >= MAX_VALUES {
            return;
        }
        out.push(ScriptDate {
            key,
            value: value.to_string(),
        });
    }
}
