//! Dates in a URL path: `/2018/01/17/`, `/2018-01-17-title`, `/20180117/`, and
//! the year and month of `/2018/01/title`.

use super::parse::{NumOrder, month_of};
use chrono::{Datelike, NaiveDate};

/// What a URL says about its page's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlDate {
    /// A full day from the path (`/2018/01/17/`, `/2018-01-17-title`, `/20180117/`).
    Day(NaiveDate),
    /// A day read from two digits that open the slug after a year and month
    /// ("/2018/01/17-story"): the title may start with a number
    /// ("/2009/09/17-of-its-time" for "17% of its time").
    SlugDay(NaiveDate),
    /// Year and month only.
    Month(i32, u32),
}

fn path_of(url: &str) -> &str {
    // Bytes, not string patterns: every page's URL goes through here, and
    // the searchers built for `split_once("://")` and `split(['?', '#'])` cost
    // more than the rest of this. All the bytes sought are ASCII, so every cut
    // falls between characters.
    let b = url.as_bytes();
    let scheme_end = memchr::memchr_iter(b':', b)
        .find(|&i| b[i + 1..].starts_with(b"//"))
        .map_or(0, |i| i + 3);
    let rest = &url[scheme_end..];
    let path = memchr::memchr(b'/', rest.as_bytes()).map_or("", |i| &rest[i..]);
    let end = memchr::memchr2(b'?', b'#', path.as_bytes()).unwrap_or(path.len());
    &path[..end]
}

/// Whether the four bytes at the start of `b` are digits of a year from 1990 to
/// 2100: what a date read from there needs, checked before the date parser
/// is set to work on every dash and digit run of a slug.
fn year_ahead(b: &[u8]) -> bool {
    b.get(..4).is_some_and(|y| {
        y.iter().all(u8::is_ascii_digit)
            && (1990..=2100).contains(&y.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0')))
    })
}

fn num(s: &str, len: usize) -> Option<u32> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `/2018/01/17/`, `/2018-01-17/`, `/20180117/` in a URL path.
pub fn date_from_url(url: &str) -> Option<NaiveDate> {
    match url_date(url)? {
        UrlDate::Day(d) | UrlDate::SlugDay(d) => Some(d),
        UrlDate::Month(..) => None,
    }
}

/// The most precise date in a URL path.
pub fn url_date(url: &str) -> Option<UrlDate> {
    let path = path_of(url);
    let segs: Vec<&str> = path.split('/').collect();
    let year_ok = |y: u32| (1990..=2100).contains(&y);
    let mut month = None;
    for (i, w) in segs.iter().enumerate() {
        let Some(y) = num(w, 4).filter(|&y| year_ok(y)) else {
            continue;
        };
        // The month in digits, or named ("/2020/oct/02/", "/2019/march/").
        let Some(m) = segs
            .get(i + 1)
            .and_then(|s| {
                num(s, 2).or_else(|| num(s, 1)).or_else(|| {
                    s.bytes()
                        .all(|c| c.is_ascii_alphabetic())
                        .then(|| month_of(s))
                        .flatten()
                })
            })
            .filter(|m| (1..=12).contains(m))
        else {
            continue;
        };
        // The day: a whole segment of one or two digits, or two digits that
        // start a segment and are followed by a non-digit ("17-story").
        if let Some(s) = segs.get(i + 2) {
            let lead: &str = &s[..s.bytes().take_while(u8::is_ascii_digit).count()];
            let day_like = (lead.len() == 2
                && (s.len() == 2 || s.as_bytes()[2] == b'-' || s.as_bytes()[2] == b'_'))
                || (lead.len() == 1 && s.len() == 1);
            if day_like
                && let Some(d) = lead
                    .parse::<u32>()
                    .ok()
                    .and_then(|d| NaiveDate::from_ymd_opt(y as i32, m, d))
            {
                return Some(if s.len() > 2 {
                    UrlDate::SlugDay(d)
                } else {
                    UrlDate::Day(d)
                });
            }
        }
        month.get_or_insert(UrlDate::Month(y as i32, m));
    }
    for seg in &segs {
        let b = seg.as_bytes();
        // runs of exactly eight digits: YYYYMMDD
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let st = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - st == 8
                && year_ahead(&b[st..i])
                && let Ok(d) = NaiveDate::parse_from_str(&seg[st..i], "%Y%m%d")
                && (1990..=2100).contains(&d.year())
            {
                return Some(UrlDate::Day(d));
            }
        }
        // YYYY-MM-DD inside a segment
        for (st, _) in seg.match_indices('-') {
            if st >= 4
                && let Some(p) = seg.get(st - 4..st + 6)
                && (st == 4 || !b[st - 5].is_ascii_digit())
                && !b.get(st + 6).is_some_and(u8::is_ascii_digit)
                && year_ahead(p.as_bytes())
                && let Ok(d) = NaiveDate::parse_from_str(p, "%Y-%m-%d")
                && (1990..=2100).contains(&d.year())
            {
                return Some(UrlDate::Day(d));
            }
        }
    }
    month
}

/// A day written `DD-MM-YYYY` (or `MM-DD-YYYY`) inside a URL path segment
/// ("/meldungen/29-10-2021", "/detail/~02-01-2022-title"): read day first or
/// month first when only one reading is a date, else in the page's `order`.
pub fn url_dmy(url: &str, order: NumOrder) -> Option<NaiveDate> {
    let path = path_of(url);
    let b = path.as_bytes();
    for (st, _) in path.match_indices('-') {
        // st is the first '-' of "DD-MM-YYYY".
        if st < 2 || st + 8 > b.len() {
            continue;
        }
        let a = &path[st - 2..st];
        let m = &path[st + 1..st + 3];
        let y = &path[st + 4..st + 8];
        if b[st + 3] != b'-'
            || (st > 2 && b[st - 3].is_ascii_digit())
            || b.get(st + 8).is_some_and(u8::is_ascii_digit)
        {
            continue;
        }
        let (Some(a), Some(m), Some(y)) = (num(a, 2), num(m, 2), num(y, 4)) else {
            continue;
        };
        if !(1990..=2100).contains(&y) {
            continue;
        }
        let day_first = NaiveDate::from_ymd_opt(y as i32, m, a);
        let month_first = NaiveDate::from_ymd_opt(y as i32, a, m);
        let d = match (day_first, month_first) {
            (Some(d), None) | (None, Some(d)) => Some(d),
            (Some(d), Some(_)) if a == m => Some(d),
            (Some(d), Some(e)) => match order {
                NumOrder::DayFirst => Some(d),
                NumOrder::MonthFirst => Some(e),
                NumOrder::Unknown => None,
            },
            (None, None) => None,
        };
        if d.is_some() {
            return d;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_dates() {
        let d = NaiveDate::from_ymd_opt(2018, 1, 17);
        assert_eq!(date_from_url("https://x.example/2018/01/17/story"), d);
        assert_eq!(
            date_from_url("https://x.example/news/20180117-story.html"),
            d
        );
        assert_eq!(date_from_url("https://x.example/a/2018-01-17-story"), d);
        assert_eq!(date_from_url("https://x.example/2018/1/17/story"), d);
        assert_eq!(date_from_url("https://x.example/city/2018/jan/17/story"), d);
        assert_eq!(
            url_date("https://x.example/city/2018/january/story"),
            Some(UrlDate::Month(2018, 1))
        );
        assert_eq!(
            date_from_url("https://x.example/politics/2009/07/story-00000081/"),
            None
        );
        assert_eq!(
            url_date("https://x.example/politics/2009/07/story-00000081/"),
            Some(UrlDate::Month(2009, 7))
        );
        assert_eq!(
            url_date("https://x.example/2018/01/17-story"),
            Some(UrlDate::SlugDay(d.unwrap()))
        );
        assert_eq!(
            date_from_url("x.example/a:b/2018-01-17?q=2019-02-03#2020-01-01"),
            d
        );
        assert_eq!(
            date_from_url("https://x.example/a/12018-01-17-story/0001-01-17"),
            None
        );
        assert_eq!(date_from_url("https://x.example/a/2101-01-17-story"), None);
        assert_eq!(date_from_url("https://x.example/a/19891231"), None);
        // Ids are not dates.
        assert_eq!(url_date("https://x.example/story/18348200"), None);
        assert_eq!(url_date("https://x.example/a/123456789/x"), None);
        // The host is not the path.
        assert_eq!(url_date("https://2018.example/x"), None);
    }
}
