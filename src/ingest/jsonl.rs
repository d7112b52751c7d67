//! JSON lines: one article per line, an object with `url`, `title`, `date`,
//! `outlet`, `author`, and `body` (plain text) or `html` (a page, extracted; the
//! line's own fields then override what extraction found). A bad line is that
//! line's failure; the other lines are read.

use super::{Content, Item, Meta, RawDoc, clean_field, parse_date};
use super::{MAX_CONTAINER_BYTES, MAX_PAGE_BYTES};
use crate::extract::PageFormat;
use serde::Deserialize;
use std::io::{BufRead, Read};

/// One line as written. Unknown fields are ignored.
#[derive(Debug, Deserialize)]
struct Line {
    url: Option<String>,
    title: Option<String>,
    date: Option<String>,
    outlet: Option<String>,
    author: Option<String>,
    body: Option<String>,
    html: Option<String>,
}

/// Split JSON-lines bytes into items, line by line.
pub fn split(bytes: &[u8]) -> Vec<Item> {
    split_reader(&mut &bytes[..])
}

/// Split JSON lines read from a stream (a gzip decoder), line by line: a line
/// over [`MAX_PAGE_BYTES`] is that line's failure and is skipped as it
/// streams; the lines together stop at [`MAX_CONTAINER_BYTES`].
pub fn split_reader(reader: &mut impl BufRead) -> Vec<Item> {
    let mut items = Vec::new();
    let mut held = 0u64;
    let mut buf = Vec::new();
    for number in 1.. {
        let label = format!("line {number}");
        buf.clear();
        let read = (&mut *reader)
            .take(MAX_PAGE_BYTES + 1)
            .read_until(b'\n', &mut buf);
        match read {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                items.push(Item::failed(&label, format!("unreadable line: {e}")));
                break;
            }
        }
        if buf.len() as u64 > MAX_PAGE_BYTES {
            items.push(Item::failed(
                &label,
                format!("line over {} MiB, the page limit", MAX_PAGE_BYTES >> 20),
            ));
            if let Err(e) = skip_line(reader) {
                items.push(Item::failed(&label, format!("unreadable line: {e}")));
                break;
            }
            continue;
        }
        held += buf.len() as u64;
        if held > MAX_CONTAINER_BYTES {
            items.push(Item::failed(
                &label,
                format!(
                    "the file holds more than {} MiB of lines: this line and the ones after it are not read",
                    MAX_CONTAINER_BYTES >> 20
                ),
            ));
            break;
        }
        let line = match std::str::from_utf8(&buf) {
            Ok(l) => l,
            Err(e) => {
                items.push(Item::failed(&label, format!("unreadable line: {e}")));
                continue;
            }
        };
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        match parse_line(text, number) {
            Ok(doc) => items.push(Item::Doc(Box::new(doc))),
            Err(reason) => items.push(Item::failed(&label, reason)),
        }
    }
    items
}

/// Read past the rest of a line without keeping it.
fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', buf) {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

fn parse_line(text: &str, number: usize) -> Result<RawDoc, String> {
    let line: Line = serde_json::from_str(text).map_err(|e| format!("bad JSON: {e}"))?;
    // An unreadable date leaves the article undated rather than losing it.
    let date = clean_field(line.date).and_then(|d| parse_date(&d));
    let meta = Meta {
        url: clean_field(line.url),
        title: clean_field(line.title),
        date,
        outlet: clean_field(line.outlet),
        author: clean_field(line.author),
    };
    let content = match (line.html, line.body) {
        (Some(html), _) if !html.trim().is_empty() => Content::Page {
            bytes: html.into_bytes(),
            format: Some(PageFormat::Html),
            charset: Some("utf-8".into()),
        },
        (_, Some(body)) if !body.trim().is_empty() => Content::Text(body),
        _ if meta.title.is_some() => Content::Text(String::new()),
        _ => return Err("neither `body` nor `html` nor `title` given".into()),
    };
    Ok(RawDoc {
        record: Some(format!("line {number}")),
        key: Some(number.to_string()),
        url_hint: meta.url.clone(),
        content,
        date_source: meta.date.map(|_| "jsonl"),
        meta,
        defaults: Meta::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_cost_only_themselves() {
        let data = b"{\"title\":\"A\",\"body\":\"one\"}\n{broken\n\n\xff\xfe\n{\"url\":\"http://x/b\",\"html\":\"<p>two</p>\",\"date\":\"2020-01-02\"}\n{\"title\":\"C\",\"body\":\"x\",\"date\":\"soon\"}\n";
        let items = split(data);
        assert_eq!(items.len(), 5, "{items:?}");
        assert!(matches!(&items[0], Item::Doc(d) if d.key.as_deref() == Some("1")));
        assert!(
            matches!(&items[1], Item::Failed { record: Some(r), reason } if r == "line 2" && reason.contains("bad JSON"))
        );
        assert!(matches!(&items[2], Item::Failed { record: Some(r), .. } if r == "line 4"));
        assert!(
            matches!(&items[3], Item::Doc(d) if d.meta.date == chrono::NaiveDate::from_ymd_opt(2020, 1, 2))
        );
        assert!(
            matches!(&items[4], Item::Doc(d) if d.meta.date.is_none() && d.key.as_deref() == Some("6"))
        );
    }
}
