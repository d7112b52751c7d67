//! WARC (1.0 and 1.1) files to documents: the HTML `response` (and `resource`)
//! records, with the record's `WARC-Target-URI` as URL and the HTTP headers split
//! off (the `Content-Type` charset is passed on). `WARC-Date` is the fetch time,
//! not a publication date, and is not used as one.
//!
//! Records are parsed by the `rust_warc` crate. It stops at the first bad record
//! and trusts `Content-Length` blindly, so this module frames records first: it
//! checks each header ends and that its length fits in the data, and after a
//! broken record it resynchronises on the next `WARC/1.` line, so one bad record
//! costs only itself.

use super::{Content, Item, Meta, RawDoc};
use std::collections::HashMap;
use std::io::{BufRead, Read};

/// Longest record header searched for its end.
const MAX_HEADER: usize = 1 << 20;
/// Most HTTP header lines read from one response.
const MAX_HTTP_HEADERS: usize = 256;

/// Split a (decompressed) WARC file into items.
pub fn split(bytes: &[u8]) -> Vec<Item> {
    let mut items = Vec::new();
    // Payload hash -> record number of its first occurrence.
    let mut payloads: HashMap<[u8; 32], usize> = HashMap::new();
    let mut pos = 0;
    let mut number = 0;
    loop {
        pos += bytes[pos..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        if pos >= bytes.len() {
            break;
        }
        number += 1;
        let label = format!("record {number}");
        if !bytes[pos..].starts_with(b"WARC/1.") {
            items.push(Item::failed(
                &label,
                format!("no WARC record header at byte {pos}"),
            ));
            pos = resync(bytes, pos);
            continue;
        }
        let (record, next) = match frame(bytes, pos) {
            Ok(r) => r,
            Err(reason) => {
                items.push(Item::failed(
                    &label,
                    format!("broken WARC record at byte {pos}: {reason}"),
                ));
                pos = resync(bytes, pos);
                continue;
            }
        };
        pos = next;
        if let Some(item) = record_item(record, number, &label, &mut payloads) {
            items.push(item);
        }
    }
    items
}

/// Most bytes of one record read from a stream: a page at its limit and its
/// HTTP headers. A longer record is skipped unread.
const MAX_STREAM_RECORD: u64 = super::MAX_PAGE_BYTES + (1 << 20);

/// Split a WARC read from a stream (a gzip decoder) into items, record by
/// record, without holding the file: a record over the page limit is skipped
/// as it streams, and the pages kept stop at [`super::MAX_CONTAINER_BYTES`].
/// Framing and records are checked as in [`split`]; after a broken record the
/// stream is read on to the next line that starts with `WARC/1.`.
pub fn split_reader(reader: &mut impl BufRead) -> Vec<Item> {
    let mut items = Vec::new();
    let mut payloads: HashMap<[u8; 32], usize> = HashMap::new();
    let mut held = 0u64;
    // A `WARC/1.` line found while resynchronising: the next record's start.
    let mut pending: Option<Vec<u8>> = None;
    for number in 1.. {
        let label = format!("record {number}");
        let first = match pending.take() {
            Some(line) => line,
            None => match next_nonblank_line(reader) {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(e) => {
                    items.push(Item::failed(&label, format!("unreadable data: {e}")));
                    break;
                }
            },
        };
        if !first.starts_with(b"WARC/1.") {
            items.push(Item::failed(&label, "no WARC record header".to_string()));
            match resync_reader(reader, first.ends_with(b"\n")) {
                Ok(Some(line)) => pending = Some(line),
                Ok(None) => break,
                Err(e) => {
                    items.push(Item::failed(&label, format!("unreadable data: {e}")));
                    break;
                }
            }
            continue;
        }
        let record = match read_record(reader, first) {
            Ok(Streamed::Record(bytes)) => bytes,
            Ok(Streamed::TooLong(length)) => {
                items.push(Item::failed(
                    &label,
                    format!(
                        "record of {} MiB, over the page limit: skipped",
                        length >> 20
                    ),
                ));
                continue;
            }
            Err(reason) => {
                items.push(Item::failed(
                    &label,
                    format!("broken WARC record: {reason}"),
                ));
                // What follows the broken header is not trusted up to the
                // next record's start.
                match resync_reader(reader, true) {
                    Ok(Some(line)) => pending = Some(line),
                    _ => break,
                }
                continue;
            }
        };
        held += record.len() as u64;
        if held > super::MAX_CONTAINER_BYTES {
            items.push(Item::failed(
                &label,
                format!(
                    "the file holds more than {} MiB of records: this record and the ones after it are not read",
                    super::MAX_CONTAINER_BYTES >> 20
                ),
            ));
            break;
        }
        match frame(&record, 0) {
            Ok((parsed, _)) => {
                if let Some(item) = record_item(parsed, number, &label, &mut payloads) {
                    items.push(item);
                }
            }
            Err(reason) => items.push(Item::failed(
                &label,
                format!("broken WARC record: {reason}"),
            )),
        }
    }
    items
}

/// One line (through its newline), at most [`MAX_HEADER`] bytes of it.
fn read_line(reader: &mut impl BufRead, out: &mut Vec<u8>) -> std::io::Result<usize> {
    (&mut *reader)
        .take(MAX_HEADER as u64)
        .read_until(b'\n', out)
}

/// The next line that is not blank (records are separated by blank lines);
/// `None` at the end.
fn next_nonblank_line(reader: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    loop {
        let mut line = Vec::new();
        if read_line(reader, &mut line)? == 0 {
            return Ok(None);
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            return Ok(Some(line));
        }
    }
}

/// Read on to the next line that starts with `WARC/1.` and return it;
/// `None` at the end. Reads at most [`MAX_HEADER`] bytes of a line at a time.
fn resync_reader(
    reader: &mut impl BufRead,
    mut at_line_start: bool,
) -> std::io::Result<Option<Vec<u8>>> {
    loop {
        let mut line = Vec::new();
        if read_line(reader, &mut line)? == 0 {
            return Ok(None);
        }
        if at_line_start && line.starts_with(b"WARC/1.") {
            return Ok(Some(line));
        }
        at_line_start = line.ends_with(b"\n");
    }
}

enum Streamed {
    /// Header and block of one record.
    Record(Vec<u8>),
    /// A record longer than [`MAX_STREAM_RECORD`], read past (its length).
    TooLong(u64),
}

/// The rest of a record whose first line is `first`: its header to the empty
/// line, and the block its `Content-Length` gives. `Err` when the stream ends
/// inside it or its header is broken.
fn read_record(reader: &mut impl BufRead, first: Vec<u8>) -> Result<Streamed, String> {
    let mut record = first;
    while !record.ends_with(b"\r\n\r\n") {
        if record.len() > MAX_HEADER {
            return Err("the record header does not end (no empty CRLF line)".into());
        }
        let n = read_line(reader, &mut record).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the stream ends inside the record header".into());
        }
    }
    let length = content_length(&String::from_utf8_lossy(&record))? as u64;
    if length > MAX_STREAM_RECORD {
        let skipped = std::io::copy(&mut (&mut *reader).take(length), &mut std::io::sink())
            .map_err(|e| e.to_string())?;
        if skipped < length {
            return Err(format!(
                "truncated: Content-Length {length} but {skipped} bytes left"
            ));
        }
        return Ok(Streamed::TooLong(length));
    }
    let header_len = record.len() as u64;
    (&mut *reader)
        .take(length)
        .read_to_end(&mut record)
        .map_err(|e| e.to_string())?;
    let got = record.len() as u64 - header_len;
    if got < length {
        return Err(format!(
            "truncated: Content-Length {length} but {got} bytes left"
        ));
    }
    // The two CRLFs that close a record: the parser reads them; in the
    // stream they are blank lines, passed over before the next record.
    record.extend_from_slice(b"\r\n\r\n");
    Ok(Streamed::Record(record))
}

/// The largest `Content-Length` of a record header: every such line counts
/// (the parser keeps the last of several, and allocates what it says before
/// reading), so the largest must fit.
fn content_length(header: &str) -> Result<usize, String> {
    let mut length = None;
    for line in header.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        if k.trim().eq_ignore_ascii_case("content-length") {
            let v = v.trim();
            let n: usize = v
                .parse()
                .map_err(|_| format!("Content-Length is not a number: {v:?}"))?;
            length = Some(length.map_or(n, |m: usize| m.max(n)));
        }
    }
    length.ok_or_else(|| "Content-Length is missing".to_string())
}

/// The next offset after `pos` where a line starts with `WARC/1.`, else the end.
fn resync(bytes: &[u8], pos: usize) -> usize {
    const MARK: &[u8] = b"\nWARC/1.";
    let from = pos + 1;
    bytes[from.min(bytes.len())..]
        .windows(MARK.len())
        .position(|w| w == MARK)
        .map_or(bytes.len(), |i| from + i + 1)
}

/// Check and parse the record at `pos`; returns it and the offset after it.
fn frame(bytes: &[u8], pos: usize) -> Result<(rust_warc::WarcRecord, usize), String> {
    let rest = &bytes[pos..];
    let window = &rest[..rest.len().min(MAX_HEADER)];
    let header_len = window
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("the record header does not end (no empty CRLF line)")?
        + 4;
    let length = content_length(&String::from_utf8_lossy(&rest[..header_len]))?;
    let available = rest.len() - header_len;
    if length > available {
        return Err(format!(
            "truncated: Content-Length {length} but {available} bytes left"
        ));
    }
    let mut reader = rest;
    let record = rust_warc::WarcRecord::parse(&mut reader).map_err(|e| match e {
        rust_warc::WarcError::Malformed(m) => m,
        rust_warc::WarcError::IO(io) => io.to_string(),
        rust_warc::WarcError::EOF => "unexpected end of data".to_string(),
    })?;
    Ok((record, pos + (rest.len() - reader.len())))
}

fn header<'a>(record: &'a rust_warc::WarcRecord, name: &str) -> Option<&'a str> {
    record
        .header
        .get(&rust_warc::CaseString::from(name))
        .map(|s| s.as_str())
}

/// What one framed record gives: a document, a skip, a failure, or nothing
/// (`warcinfo`, `request`, `metadata` records are the crawl's own bookkeeping).
fn record_item(
    record: rust_warc::WarcRecord,
    number: usize,
    label: &str,
    payloads: &mut HashMap<[u8; 32], usize>,
) -> Option<Item> {
    let kind = header(&record, "WARC-Type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let url = header(&record, "WARC-Target-URI")
        .map(|u| u.trim().trim_start_matches('<').trim_end_matches('>'))
        .filter(|u| !u.is_empty())
        .map(str::to_string);
    let (payload, content_type) = match kind.as_str() {
        "response" => {
            let block_type = header(&record, "Content-Type").unwrap_or("");
            if !block_type.is_empty() && !block_type.to_ascii_lowercase().contains("http") {
                // A response record without HTTP headers (e.g. a DNS or FTP fetch).
                return Some(Item::Skipped(format!(
                    "WARC response record of type {block_type}"
                )));
            }
            match split_http(&record.content) {
                Ok(HttpPayload::Page { body, content_type }) => (body, content_type),
                Ok(HttpPayload::Skip(reason)) => return Some(Item::Skipped(reason)),
                Err(reason) => return Some(Item::failed(label, reason)),
            }
        }
        "resource" => {
            let content_type = header(&record, "Content-Type").map(str::to_string);
            (record.content, content_type)
        }
        "revisit" => return Some(Item::Skipped("WARC revisit record (duplicate)".into())),
        _ => return None,
    };
    if let Some(ct) = &content_type
        && !is_page_type(ct)
    {
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        return Some(Item::Skipped(format!("WARC record not a page ({mime})")));
    }
    let digest = *blake3::hash(&payload).as_bytes();
    if payloads.insert(digest, number).is_some() {
        return Some(Item::Skipped(
            "WARC record with the same payload as an earlier one (duplicate)".into(),
        ));
    }
    let charset = content_type.as_deref().and_then(charset_param);
    Some(Item::Doc(Box::new(RawDoc {
        record: Some(label.to_string()),
        key: Some(number.to_string()),
        content: Content::Page {
            bytes: payload,
            format: None,
            charset,
        },
        url_hint: url,
        meta: Meta::default(),
        defaults: Meta::default(),
        date_source: None,
    })))
}

enum HttpPayload {
    Page {
        body: Vec<u8>,
        content_type: Option<String>,
    },
    Skip(String),
}

/// Split an HTTP response into headers and (decoded) body.
fn split_http(block: &[u8]) -> Result<HttpPayload, String> {
    let mut headers = vec![httparse::EMPTY_HEADER; MAX_HTTP_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let header_len = match response.parse(block) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("HTTP headers do not end".into()),
        Err(e) => return Err(format!("bad HTTP response headers: {e}")),
    };
    let status = response.code.unwrap_or(0);
    if !(200..300).contains(&status) {
        return Ok(HttpPayload::Skip(format!(
            "WARC response with HTTP status {status}"
        )));
    }
    let get = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let content_type = get("Content-Type");
    let mut body = block[header_len..].to_vec();
    if get("Transfer-Encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        body = dechunk(&body).ok_or("bad chunked transfer encoding")?;
    }
    match get("Content-Encoding")
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        None | Some("") | Some("identity") => {}
        Some("gzip") | Some("x-gzip") => {
            body = super::gunzip(&body).map_err(|e| format!("bad gzip content encoding: {e}"))?;
        }
        Some("deflate") => {
            body = super::read_capped(
                flate2::read::ZlibDecoder::new(&body[..]),
                super::MAX_PAGE_BYTES,
                "the page",
            )
            .map_err(|e| format!("bad deflate content encoding: {e}"))?;
        }
        Some(other) => {
            return Ok(HttpPayload::Skip(format!(
                "WARC response with content encoding {other}"
            )));
        }
    }
    Ok(HttpPayload::Page { body, content_type })
}

/// Undo HTTP chunked transfer encoding (`None` when malformed).
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        if size > data.len() {
            return None;
        }
        out.extend_from_slice(&data[..size]);
        data = data[size..].strip_prefix(b"\r\n").unwrap_or(&data[size..]);
    }
}

/// HTML, XHTML or plain text: what the extractor reads.
fn is_page_type(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime.is_empty()
        || mime == "text/html"
        || mime == "application/xhtml+xml"
        || mime == "text/plain"
}

/// The `charset=` parameter of a Content-Type.
fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_string())
            .filter(|v| !v.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dechunks() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\n\r\n").as_deref(),
            Some(&b"Wikipedia"[..])
        );
        assert_eq!(dechunk(b"ff\r\nabc"), None);
    }

    #[test]
    fn charset_from_content_type() {
        assert_eq!(
            charset_param("text/html; charset=\"ISO-8859-1\"").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(charset_param("text/html"), None);
    }
}
