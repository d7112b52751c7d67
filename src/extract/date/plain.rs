//! Dates of plain-text pages: a dateline or byline in the header lines, else a
//! weekday with a month and day ("on Tuesday January 16") resolved to the year
//! that fits the weekday and the years the text mentions.

use super::parse::{NumOrder, month_day_at_start, scan};
use super::{FoundDate, MIN_YEAR, lead_in};
use chrono::{Datelike, NaiveDate, Weekday};

/// Day/month order of a text without a declared language: day first when some
/// numeric date can only be read that way, else month first.
fn text_order(text: &str) -> NumOrder {
    let day_first = text.split(|c: char| c.is_whitespace()).any(|w| {
        let p: Vec<&str> = w.split('/').collect();
        p.len() == 3
            && p[0].parse::<u32>().is_ok_and(|a| (13..=31).contains(&a))
            && p[1].parse::<u32>().is_ok_and(|b| (1..=12).contains(&b))
    });
    if day_first {
        NumOrder::DayFirst
    } else {
        NumOrder::MonthFirst
    }
}

/// Bytes at the start of a body in which a date line still counts as the
/// article's dateline.
const DATELINE_SPAN: usize = 300;

/// Date of a plain-text page: a dateline or byline in its header lines (or at
/// the very start of the body), else the URL's day, else a weekday with a month
/// and day resolved to its year, else an update date in the header; otherwise
/// none.
pub fn find_plain_text_date(
    header: &str,
    body: &str,
    url: Option<&str>,
    today: NaiveDate,
) -> Option<FoundDate> {
    let order = text_order(&format!("{header}\n{body}"));
    let ok = |d: NaiveDate| d.year() >= MIN_YEAR && d <= today;
    let mut updated = None;
    let mut prev_end = 0;
    for td in scan(header, order) {
        if !ok(td.date) {
            continue;
        }
        let lead = lead_in(header, td.start, prev_end);
        prev_end = td.end;
        if lead == Some(true) {
            updated.get_or_insert(td.date);
        } else {
            return Some(FoundDate {
                date: td.date,
                source: "dateline",
                confidence: 0.8,
            });
        }
    }
    // "BERLIN, 17. Januar 2018 –" or "Published March 4, 2018" opening the body.
    let mut cut = DATELINE_SPAN.min(body.len());
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    let opening = &body[..cut];
    let mut prev_end = 0;
    for td in scan(opening, order) {
        let lead = lead_in(opening, td.start, prev_end);
        prev_end = td.end;
        let line_start = opening[..td.start].rfind('\n').map_or(0, |i| i + 1);
        let dateline = td.start - line_start <= 40 || lead == Some(false);
        if ok(td.date) && lead != Some(true) && dateline {
            return Some(FoundDate {
                date: td.date,
                source: "dateline",
                confidence: 0.6,
            });
        }
    }
    if let Some(d) = url.and_then(super::date_from_url).filter(|&d| ok(d)) {
        return Some(FoundDate {
            date: d,
            source: "url",
            confidence: 0.7,
        });
    }
    if let Some(d) = weekday_date(header, body, order, today) {
        return Some(FoundDate {
            date: d,
            source: "weekday",
            confidence: 0.5,
        });
    }
    updated.map(|d| FoundDate {
        date: d,
        source: "dateline",
        confidence: 0.4,
    })
}

fn weekday_of(word: &str) -> Option<Weekday> {
    let w = word.trim_end_matches([',', '.']).to_lowercase();
    Some(match w.as_str() {
        "monday" | "montag" | "lundi" => Weekday::Mon,
        "tuesday" | "dienstag" | "mardi" => Weekday::Tue,
        "wednesday" | "mittwoch" | "mercredi" => Weekday::Wed,
        "thursday" | "donnerstag" | "jeudi" => Weekday::Thu,
        "friday" | "freitag" | "vendredi" => Weekday::Fri,
        "saturday" | "samstag" | "sonnabend" | "samedi" => Weekday::Sat,
        "sunday" | "sonntag" | "dimanche" => Weekday::Sun,
        _ => return None,
    })
}

/// Years a text mentions: four-digit numbers from 1990 to this year.
fn years_in(text: &str, today: NaiveDate) -> Vec<i32> {
    let mut ys: Vec<i32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .filter(|y| (MIN_YEAR..=today.year()).contains(y))
        .collect();
    ys.sort_unstable();
    ys.dedup();
    ys
}

/// A weekday with a month and day, in the year that fits: the latest year the
/// text mentions, or the one after it (a story about last year's events), or an
/// earlier mentioned year. No mentioned year that fits: no date.
fn weekday_date(header: &str, body: &str, order: NumOrder, today: NaiveDate) -> Option<NaiveDate> {
    let text = format!("{header}\n{body}");
    let years = years_in(&text, today);
    let latest = *years.last()?;
    // Full dates in the text bound the story from below.
    let floor = scan(&text, order)
        .iter()
        .map(|t| t.date)
        .filter(|d| d.year() >= MIN_YEAR && *d <= today)
        .max();
    let mut candidates = vec![latest, latest + 1];
    candidates.extend(years.iter().rev().skip(1));
    for (off, w) in text.split_whitespace().scan(0usize, |pos, w| {
        let start = text[*pos..].find(w).map_or(*pos, |i| *pos + i);
        *pos = start + w.len();
        Some((start, w))
    }) {
        let Some(wd) = weekday_of(w) else { continue };
        let Some((m, d)) = month_day_at_start(&text[off + w.len()..]) else {
            continue;
        };
        let found = candidates.iter().find_map(|&y| {
            NaiveDate::from_ymd_opt(y, m, d).filter(|date| {
                date.weekday() == wd && *date <= today && floor.is_none_or(|f| *date >= f)
            })
        });
        if found.is_some() {
            return found;
        }
    }
    None
}
