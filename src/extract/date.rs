//! Publication dates: evidence from JSON-LD, meta tags, `<time>` elements, the URL
//! and bylines, weighed so that the original publication day wins over modified
//! dates, and a missing date is preferred to a guessed one.

use super::meta::PageMeta;
use crate::html::{Document, NodeId};
use chrono::{Datelike, NaiveDate, Weekday};

/// A publication date with where it came from and how sure it is.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundDate {
    pub date: NaiveDate,
    pub source: &'static str,
    pub confidence: f32,
}

/// Earliest year accepted without strong evidence.
const MIN_YEAR: i32 = 1990;

const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "sailthru.date",
    "parsely-pub-date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "date",
    "citation_publication_date",
    "citation_date",
    "release_date",
];

/// Find the publication date of a parsed page.
pub fn find_date(
    doc: &Document,
    meta: &PageMeta,
    url: Option<&str>,
    today: NaiveDate,
) -> Option<FoundDate> {
    let plausible = |d: &NaiveDate| d.year() >= MIN_YEAR && *d <= today + chrono::Duration::days(1);
    if let Some(d) = meta
        .ld_articles
        .iter()
        .filter_map(|o| {
            o.get("datePublished")
                .and_then(|v| v.as_str())
                .and_then(parse_date_string)
        })
        .find(plausible)
    {
        return Some(FoundDate {
            date: d,
            source: "json-ld",
            confidence: 0.95,
        });
    }
    if let Some(d) = PUBLISHED_META
        .iter()
        .filter_map(|k| meta.get(&[k]))
        .filter_map(parse_date_string)
        .find(plausible)
    {
        return Some(FoundDate {
            date: d,
            source: "meta",
            confidence: 0.9,
        });
    }
    if let Some(d) = meta
        .itemprops
        .iter()
        .filter(|(p, _)| p == "datepublished")
        .filter_map(|&(_, id)| {
            doc.attr(id, "datetime")
                .or_else(|| doc.attr(id, "content"))
                .and_then(parse_date_string)
        })
        .find(plausible)
    {
        return Some(FoundDate {
            date: d,
            source: "microdata",
            confidence: 0.9,
        });
    }
    if let Some(d) = time_element(doc).filter(plausible) {
        return Some(FoundDate {
            date: d,
            source: "time",
            confidence: 0.8,
        });
    }
    if let Some(d) = url.and_then(date_from_url).filter(plausible) {
        return Some(FoundDate {
            date: d,
            source: "url",
            confidence: 0.8,
        });
    }
    if let Some(d) = byline_date(doc).filter(plausible) {
        return Some(FoundDate {
            date: d,
            source: "byline",
            confidence: 0.7,
        });
    }
    None
}

/// The first `<time datetime>` that is not inside a list of other stories and not
/// marked as an update.
fn time_element(doc: &Document) -> Option<NaiveDate> {
    let mut fallback = None;
    for id in doc.descendants(doc.root()) {
        if !doc.is(id, "time") {
            continue;
        }
        if in_other_story_list(doc, id) || is_update_marker(doc, id) {
            continue;
        }
        let Some(d) = doc.attr(id, "datetime").and_then(parse_date_string) else {
            continue;
        };
        let cls = doc.attr(id, "class").unwrap_or("").to_ascii_lowercase();
        if cls.contains("publish") || doc.attr(id, "pubdate").is_some() {
            return Some(d);
        }
        fallback.get_or_insert(d);
    }
    fallback
}

fn in_other_story_list(doc: &Document, id: NodeId) -> bool {
    doc.ancestors(id).any(|a| {
        matches!(doc.name(a), Some("aside" | "footer" | "nav" | "li"))
            || doc.attr(a, "class").is_some_and(|c| {
                let c = c.to_ascii_lowercase();
                c.contains("related")
                    || c.contains("comment")
                    || c.contains("recommend")
                    || c.contains("sidebar")
            })
    })
}

fn is_update_marker(doc: &Document, id: NodeId) -> bool {
    let cls = doc.attr(id, "class").unwrap_or("").to_ascii_lowercase();
    cls.contains("update") || cls.contains("modif")
}

/// A date written in a byline-like element (class or id naming a byline, date,
/// time or post meta), preferring one not introduced as an update.
fn byline_date(doc: &Document) -> Option<NaiveDate> {
    let mut updated = None;
    for id in doc.descendants(doc.root()) {
        let Some(name) = doc.name(id) else { continue };
        if matches!(name, "script" | "style" | "head") {
            continue;
        }
        let ci = format!(
            "{} {}",
            doc.attr(id, "class").unwrap_or(""),
            doc.attr(id, "id").unwrap_or("")
        )
        .to_ascii_lowercase();
        let bylineish = [
            "byline",
            "date",
            "time",
            "posted",
            "published",
            "dateline",
            "meta",
        ]
        .iter()
        .any(|w| ci.contains(w));
        if !bylineish || in_other_story_list(doc, id) {
            continue;
        }
        let text = doc.text_of(id);
        if text.len() > 300 {
            continue;
        }
        let mut rest = text.as_str();
        let mut consumed = 0;
        while let Some((d, off)) = find_text_date(rest) {
            let before = text[..consumed + off].to_ascii_lowercase();
            let tail = before.trim_end();
            let marked_update = tail.ends_with("updated")
                || tail.ends_with("updated:")
                || tail.ends_with("modified")
                || tail.ends_with("modified:")
                || tail
                    .rsplit('|')
                    .next()
                    .is_some_and(|seg| seg.contains("updated"));
            if marked_update || is_update_marker(doc, id) {
                updated.get_or_insert(d);
            } else {
                return Some(d);
            }
            consumed += off + 1;
            rest = &text[consumed.min(text.len())..];
        }
    }
    updated
}

/// `/2018/01/17/`, `/2018-01-17/`, `/20180117/` in a URL path.
pub fn date_from_url(url: &str) -> Option<NaiveDate> {
    let path = url
        .split("://")
        .nth(1)
        .map_or(url, |rest| rest.find('/').map_or("", |i| &rest[i..]));
    let segs: Vec<&str> = path.split(['/', '?', '#']).collect();
    for w in segs.windows(3) {
        if let (Ok(y), Ok(m), Ok(d)) = (
            w[0].parse::<i32>(),
            w[1].parse::<u32>(),
            w[2].get(..2).unwrap_or("").parse::<u32>(),
        ) && w[0].len() == 4
            && w[1].len() == 2
            && (w[2].len() == 2 || !w[2].as_bytes()[2].is_ascii_digit())
            && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
        {
            return Some(date);
        }
    }
    for seg in &segs {
        let digits: Vec<&str> = seg
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .collect();
        for dgt in digits {
            if dgt.len() == 8
                && let Ok(date) = NaiveDate::parse_from_str(dgt, "%Y%m%d")
                && (1990..=2100).contains(&date.year())
            {
                return Some(date);
            }
        }
        if seg.len() >= 10
            && let Some(date) = seg
                .get(..10)
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        {
            return Some(date);
        }
    }
    None
}

/// Parse a machine date string: ISO 8601 / RFC 3339 (the day as written, which is
/// the publisher's local day when an offset is given), RFC 2822, or a plain day.
pub fn parse_date_string(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() >= 10
        && let Some(d) = s
            .get(..10)
            .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
    {
        return Some(d);
    }
    if s.len() >= 8
        && s.as_bytes()[..8].iter().all(u8::is_ascii_digit)
        && let Ok(d) = NaiveDate::parse_from_str(&s[..8], "%Y%m%d")
    {
        return Some(d);
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(dt.date_naive());
    }
    find_text_date(s).map(|(d, _)| d)
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sept", 9),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    MONTHS.iter().find(|(n, _)| *n == w).map(|&(_, m)| m)
}

/// The first full date written in English words or ISO form in `text`
/// ("January 17, 2018", "Jan. 17, 2018", "17 January 2018", "2018-01-17"), with its
/// byte offset.
pub fn find_text_date(text: &str) -> Option<(NaiveDate, usize)> {
    let words: Vec<(usize, &str)> = word_spans(text);
    for (i, &(off, w)) in words.iter().enumerate() {
        if let Some(d) = w
            .get(..10)
            .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
        {
            return Some((d, off));
        }
        if let Some(d) = numeric_date(w) {
            return Some((d, off));
        }
        if let Some(m) = month_of(w) {
            // Month D, YYYY
            if let (Some((_, dw)), Some((_, yw))) = (words.get(i + 1), words.get(i + 2))
                && let (Some(d), Some(y)) = (day_num(dw), year_num(yw))
                && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
            {
                return Some((date, off));
            }
        }
        // D Month YYYY
        if let Some(d) = day_num(w)
            && let (Some((_, mw)), Some((_, yw))) = (words.get(i + 1), words.get(i + 2))
            && let (Some(m), Some(y)) = (month_of(mw), year_num(yw))
            && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
        {
            return Some((date, off));
        }
    }
    None
}

/// `MM/DD/YYYY` (or `DD/MM/YYYY` when the first number cannot be a month).
fn numeric_date(w: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = w.split('/').collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    let (a, b, y): (u32, u32, i32) = (
        parts[0].parse().ok()?,
        parts[1].parse().ok()?,
        parts[2].parse().ok()?,
    );
    NaiveDate::from_ymd_opt(y, a, b).or_else(|| NaiveDate::from_ymd_opt(y, b, a))
}

fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let part = c.is_alphanumeric() || c == '.' || c == '-' || c == '/';
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

fn day_num(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let d: u32 = digits.parse().ok()?;
    (1..=31)
        .contains(&d)
        .then_some(d)
        .filter(|_| digits.len() <= 2)
}

fn year_num(w: &str) -> Option<i32> {
    let w = w.trim_end_matches('.');
    (w.len() == 4).then(|| w.parse().ok()).flatten()
}

/// Date of a plain-text page: a full date in its header lines (a dateline or
/// byline), else a weekday with a month and day in the text ("on Tuesday January
/// 16") resolved to the year that fits the weekday and the years written in it.
pub fn find_plain_text_date(header: &str, body: &str, today: NaiveDate) -> Option<FoundDate> {
    if let Some((d, _)) = find_text_date(header)
        && d.year() >= MIN_YEAR
        && d <= today
    {
        return Some(FoundDate {
            date: d,
            source: "dateline",
            confidence: 0.8,
        });
    }
    let all = format!("{header}\n{body}");
    weekday_date(&all, today).map(|d| FoundDate {
        date: d,
        source: "weekday",
        confidence: 0.6,
    })
}

fn weekday_of(word: &str) -> Option<Weekday> {
    let w = word.trim_end_matches([',', '.']).to_ascii_lowercase();
    Some(match w.as_str() {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn weekday_date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let words: Vec<&str> = text.split_whitespace().collect();
    // The latest full date in the text bounds the year from below.
    let latest_year = {
        let mut latest = None;
        let mut rest = text;
        let mut base = 0;
        while let Some((d, off)) = find_text_date(rest) {
            latest = latest.max(Some(d.year()));
            let step = off + 1;
            base += step;
            rest = &text[base.min(text.len())..];
        }
        latest
    };
    for (i, w) in words.iter().enumerate() {
        let Some(wd) = weekday_of(w) else { continue };
        let (Some(mw), Some(dw)) = (words.get(i + 1), words.get(i + 2)) else {
            continue;
        };
        let (Some(m), Some(d)) = (
            month_of(mw.trim_end_matches(',')),
            day_num(dw.trim_end_matches([',', '.'])),
        ) else {
            continue;
        };
        let first = latest_year.unwrap_or(today.year() - 10);
        let found = (first..=today.year()).find_map(|y| {
            NaiveDate::from_ymd_opt(y, m, d).filter(|date| date.weekday() == wd && *date <= today)
        });
        if found.is_some() {
            return found;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn iso_strings_keep_the_publishers_local_day() {
        assert_eq!(
            parse_date_string("2018-01-16T23:30:00-08:00"),
            NaiveDate::from_ymd_opt(2018, 1, 16)
        );
        assert_eq!(
            parse_date_string("Tue, 16 Jan 2018 10:00:00 +0000"),
            NaiveDate::from_ymd_opt(2018, 1, 16)
        );
    }

    #[test]
    fn url_dates() {
        let d = NaiveDate::from_ymd_opt(2018, 1, 17);
        assert_eq!(date_from_url("https://x.example/2018/01/17/story"), d);
        assert_eq!(
            date_from_url("https://x.example/news/20180117-story.html"),
            d
        );
        assert_eq!(
            date_from_url("https://x.example/politics/2009/07/story-00000081/"),
            None
        );
    }

    #[test]
    fn text_dates_in_words() {
        assert_eq!(
            find_text_date("By Ana | Jan. 17, 2018 at 5:00 p.m.").map(|x| x.0),
            NaiveDate::from_ymd_opt(2018, 1, 17)
        );
        assert_eq!(
            find_text_date("posted 17 January 2018").map(|x| x.0),
            NaiveDate::from_ymd_opt(2018, 1, 17)
        );
    }

    #[test]
    fn weekday_resolves_the_year() {
        let text =
            "The council on Tuesday January 16 voted. An August 16, 2017 incident was cited.";
        let d = find_plain_text_date("", text, today()).unwrap();
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2018, 1, 16).unwrap());
    }
}
