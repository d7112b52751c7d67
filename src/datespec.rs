//! Dates as people type them, for `--from` and `--to`: a year (`2018`), a month
//! (`2018-01`), a day (`2018-01-16`), a quarter (`2024-Q2`), an ISO week
//! (`2018-W03`), `today`, `yesterday`, relative offsets (`-30d`, `-6m`, `-2y`,
//! `-3w`), and `this-year`, `last-year`, `this-month`, `last-month`.
//!
//! Each spec names a span of days; `--from` takes its first day and `--to` its last,
//! so `--from 2018 --to 2018` is the whole of 2018.

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

/// The first and last day (inclusive) that a date spec names.
pub fn parse_span(spec: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), String> {
    let s = spec.trim().to_ascii_lowercase();
    let bad = || {
        format!(
            "cannot read date `{spec}`: use 2018, 2018-01, 2018-01-16, 2024-Q2, 2018-W03, today, -30d, -6m or last-year"
        )
    };
    let day = |d: NaiveDate| Ok((d, d));
    match s.as_str() {
        "today" => return day(today),
        "yesterday" => return day(today - Duration::days(1)),
        "this-year" => return year_span(today.year()).ok_or_else(bad),
        "last-year" => return year_span(today.year() - 1).ok_or_else(bad),
        "this-month" => return month_span(today.year(), today.month()).ok_or_else(bad),
        "last-month" => {
            let d = today.checked_sub_months(Months::new(1)).ok_or_else(bad)?;
            return month_span(d.year(), d.month()).ok_or_else(bad);
        }
        _ => {}
    }
    if let Some(rel) = s.strip_prefix('-') {
        let (num, unit) = rel.split_at(rel.len().saturating_sub(1));
        let n: u32 = num.parse().map_err(|_| bad())?;
        let d = match unit {
            "d" => today.checked_sub_signed(Duration::days(n.into())),
            "w" => today.checked_sub_signed(Duration::weeks(n.into())),
            "m" => today.checked_sub_months(Months::new(n)),
            "y" => today.checked_sub_months(Months::new(n.saturating_mul(12))),
            _ => None,
        }
        .ok_or_else(bad)?;
        return day(d);
    }
    let parts: Vec<&str> = s.split('-').collect();
    let year = |p: &str| -> Result<i32, String> {
        if p.len() == 4 {
            p.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    match parts.as_slice() {
        [y] => year_span(year(y)?).ok_or_else(bad),
        [y, q] if q.starts_with('q') => {
            let q: u32 = q[1..].parse().map_err(|_| bad())?;
            if !(1..=4).contains(&q) {
                return Err(bad());
            }
            let (first, _) = month_span(year(y)?, (q - 1) * 3 + 1).ok_or_else(bad)?;
            let (_, last) = month_span(year(y)?, q * 3).ok_or_else(bad)?;
            Ok((first, last))
        }
        [y, w] if w.starts_with('w') => {
            let w: u32 = w[1..].parse().map_err(|_| bad())?;
            let first = NaiveDate::from_isoywd_opt(year(y)?, w, Weekday::Mon).ok_or_else(bad)?;
            Ok((first, first + Duration::days(6)))
        }
        [y, m] => {
            let m: u32 = m.parse().map_err(|_| bad())?;
            month_span(year(y)?, m).ok_or_else(bad)
        }
        [y, m, d] => {
            let date = NaiveDate::from_ymd_opt(
                year(y)?,
                m.parse().map_err(|_| bad())?,
                d.parse().map_err(|_| bad())?,
            )
            .ok_or_else(bad)?;
            day(date)
        }
        _ => Err(bad()),
    }
}

/// First day of the span a spec names (for `--from`).
pub fn parse_from(spec: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    parse_span(spec, today).map(|s| s.0)
}

/// Last day of the span a spec names (for `--to`).
pub fn parse_to(spec: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    parse_span(spec, today).map(|s| s.1)
}

fn year_span(y: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(y, 1, 1)?,
        NaiveDate::from_ymd_opt(y, 12, 31)?,
    ))
}

fn month_span(y: i32, m: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let last = first.checked_add_months(Months::new(1))? - Duration::days(1);
    Some((first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn granularities() {
        let t = d(2026, 11, 28);
        assert_eq!(
            parse_span("2018", t).unwrap(),
            (d(2018, 1, 1), d(2018, 12, 31))
        );
        assert_eq!(
            parse_span("2018-02", t).unwrap(),
            (d(2018, 2, 1), d(2018, 2, 28))
        );
        assert_eq!(parse_span("2016-02", t).unwrap().1, d(2016, 2, 29));
        assert_eq!(
            parse_span("2018-01-16", t).unwrap(),
            (d(2018, 1, 16), d(2018, 1, 16))
        );
        assert_eq!(
            parse_span("2024-Q2", t).unwrap(),
            (d(2024, 4, 1), d(2024, 6, 30))
        );
        assert_eq!(
            parse_span("2018-W03", t).unwrap(),
            (d(2018, 1, 15), d(2018, 1, 21))
        );
    }

    #[test]
    fn relative() {
        let t = d(2026, 11, 28);
        assert_eq!(parse_from("today", t).unwrap(), t);
        assert_eq!(parse_from("-30d", t).unwrap(), d(2026, 10, 29));
        assert_eq!(parse_from("-6m", t).unwrap(), d(2026, 5, 28));
        assert_eq!(
            parse_span("last-year", t).unwrap(),
            (d(2025, 1, 1), d(2025, 12, 31))
        );
        assert_eq!(
            parse_span("last-month", t).unwrap(),
            (d(2026, 10, 1), d(2026, 10, 31))
        );
    }

    #[test]
    fn errors() {
        let t = d(2026, 11, 28);
        for bad in ["18", "2018-13", "2018-02-30", "2018-Q5", "soon", "-5x", ""] {
            assert!(parse_span(bad, t).is_err(), "{bad}");
        }
    }
}
