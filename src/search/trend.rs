//! Coverage over time: matching articles per day, week, month or year, zero-filled
//! across the whole range, with the corpus total per period so shares can be read
//! without mistaking archive growth for topic growth. Undated matches are counted
//! apart, never dropped.

use super::collect::for_each_live_doc;
use super::{SearchRequest, Undated, compile_request};
use crate::index::schema::{DATE_COLUMN, OUTLET_COLUMN};
use crate::index::{CivIndex, datetime_to_day};
use anyhow::{Result, bail};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tantivy::Searcher;
use tantivy::query::{EnableScoring, Query};

/// Width of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    /// One calendar day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    #[default]
    /// A calendar month (the default).
    Month,
    /// A calendar year.
    Year,
}
super::named::named_enum!(Interval, "interval", Day => "day", Week => "week", Month => "month", Year => "year");

impl Interval {
    /// The label of the period holding `d`: `2018-01-16`, `2018-W03`, `2018-01`, `2018`.
    pub fn label(self, d: NaiveDate) -> String {
        match self {
            Interval::Day => d.to_string(),
            Interval::Week => {
                let w = d.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Interval::Month => format!("{}-{:02}", d.year(), d.month()),
            Interval::Year => d.year().to_string(),
        }
    }

    /// First day of the period holding `d`.
    pub fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Interval::Day => d,
            Interval::Week => d - Duration::days(d.weekday().num_days_from_monday() as i64),
            Interval::Month => d.with_day(1).unwrap_or(d),
            Interval::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
        }
    }

    /// First day of the next period.
    pub fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Interval::Day => start.succ_opt(),
            Interval::Week => start.checked_add_signed(Duration::days(7)),
            Interval::Month => start.checked_add_months(chrono::Months::new(1)),
            Interval::Year => start.checked_add_months(chrono::Months::new(12)),
        }
    }
}

/// A coverage-over-time request: one or more queries side by side.
#[derive(Debug, Clone)]
pub struct TrendRequest {
    /// The queries, each in the query language; one series each (or one per outlet).
    pub queries: Vec<String>,
    /// Width of each period.
    pub by: Interval,
    /// First day included; `None` starts at the earliest dated article.
    pub from: Option<NaiveDate>,
    /// Last day included; `None` ends at the latest dated article.
    pub to: Option<NaiveDate>,
    /// Outlet names to count within (any of them; case-insensitive); empty for all.
    pub outlets: Vec<String>,
    /// Break each query down by outlet: the top N outlets by matches, the rest as "other".
    pub by_outlet: Option<usize>,
    /// Also match word variants (raids ~ raid) of each query word.
    pub stem: bool,
}

impl TrendRequest {
    /// A request for `queries` by `by` periods over the whole corpus, all outlets.
    pub fn new(queries: Vec<String>, by: Interval) -> Self {
        TrendRequest {
            queries,
            by,
            from: None,
            to: None,
            outlets: Vec::new(),
            by_outlet: None,
            stem: false,
        }
    }
}

/// One period of a series.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrendPoint {
    /// The period's label: `2018-01-16`, `2018-W03`, `2018-01` or `2018`.
    pub period: String,
    /// Matching articles dated in the period.
    pub count: u64,
    /// All articles dated in the period (with the same outlet filter).
    pub total: u64,
    /// `count / total` (0 when the period has no article).
    pub share: f64,
}

/// Counts of one query (optionally one outlet) over the periods.
#[derive(Debug, Clone, Serialize)]
pub struct TrendSeries {
    /// The query as given.
    pub query: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The outlet counted, or `other` for the rest; `None` without a breakdown by outlet.
    pub outlet: Option<String>,
    /// Matching articles without a publication date (not in any period).
    pub undated: u64,
    /// One point per period, oldest first, empty periods included (count 0).
    pub points: Vec<TrendPoint>,
}

/// The answer to a trend request.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    /// Width of the periods.
    pub by: Interval,
    /// First day asked for; `None` when the axis starts at the earliest dated article.
    pub from: Option<NaiveDate>,
    /// Last day asked for; `None` when the axis ends at the latest dated article.
    pub to: Option<NaiveDate>,
    /// One series per query (or per query and outlet), in the order asked.
    pub series: Vec<TrendSeries>,
}

/// Per-period counts of one query, split by outlet ordinal when asked.
#[derive(Default)]
struct Tally {
    /// (outlet or "", period start) -> count
    dated: HashMap<(String, NaiveDate), u64>,
    undated: HashMap<String, u64>,
}

/// Count matches of `query` by period (and outlet).
fn tally(
    searcher: &Searcher,
    query: &dyn Query,
    by: Interval,
    split_outlets: bool,
) -> Result<Tally> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut t = Tally::default();
    let mut day_cache: HashMap<i64, NaiveDate> = HashMap::new();
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let dates = ff.date(DATE_COLUMN)?;
        let outlets = if split_outlets {
            ff.str(OUTLET_COLUMN)?
        } else {
            None
        };
        let mut names: HashMap<u64, String> = HashMap::new();
        let mut scorer = weight.scorer(seg, 1.0)?;
        for_each_live_doc::<anyhow::Error>(seg, scorer.as_mut(), |doc, _| {
            let outlet = match &outlets {
                Some(col) => match col.term_ords(doc).next() {
                    Some(ord) => names
                        .entry(ord)
                        .or_insert_with(|| {
                            let mut s = String::new();
                            let _ = col.ord_to_str(ord, &mut s);
                            s
                        })
                        .clone(),
                    None => "(no outlet)".to_string(),
                },
                None => String::new(),
            };
            match dates.first(doc) {
                Some(dt) => {
                    let secs = dt.into_timestamp_secs();
                    let day = *day_cache.entry(secs).or_insert_with(|| datetime_to_day(dt));
                    *t.dated.entry((outlet, by.start(day))).or_default() += 1;
                }
                None => *t.undated.entry(outlet).or_default() += 1,
            }
            Ok(())
        })?;
    }
    Ok(t)
}

/// Compute coverage over time.
pub fn trend(idx: &CivIndex, req: &TrendRequest) -> Result<Trend> {
    if req.queries.is_empty() {
        bail!("trend needs at least one query");
    }
    if let (Some(f), Some(t)) = (req.from, req.to)
        && f > t
    {
        bail!("the range starts ({f}) after it ends ({t})");
    }
    let searcher = idx.searcher()?;
    // Totals: every article (with the outlet filter), by period.
    // The day range applies exactly (a period cut by --from/--to counts only the
    // days inside); undated matches are kept to be counted apart.
    let base = |q: &str| SearchRequest {
        from: req.from,
        to: req.to,
        outlets: req.outlets.clone(),
        undated: Some(Undated::Include),
        stem: req.stem,
        ..SearchRequest::new(q)
    };
    let all = compile_request(idx, &searcher, &base("*"))?;
    let totals = tally(&searcher, &*all.query, req.by, false)?;

    // The axis: the requested range, else the span of the corpus.
    let corpus_days: Vec<NaiveDate> = totals.dated.keys().map(|(_, d)| *d).collect();
    let first = req
        .from
        .map(|d| req.by.start(d))
        .or_else(|| corpus_days.iter().min().copied());
    let last = req
        .to
        .map(|d| req.by.start(d))
        .or_else(|| corpus_days.iter().max().copied());
    let periods: Vec<NaiveDate> = match (first, last) {
        (Some(a), Some(b)) => {
            let mut v = Vec::new();
            let mut cur = a;
            while cur <= b {
                v.push(cur);
                if v.len() > 100_000 {
                    bail!("more than 100,000 periods: use a wider --by");
                }
                match req.by.next(cur) {
                    Some(n) => cur = n,
                    None => break,
                }
            }
            v
        }
        _ => Vec::new(),
    };
    let mut series = Vec::new();
    for q in &req.queries {
        let compiled = compile_request(idx, &searcher, &base(q))?;
        let t = tally(&searcher, &*compiled.query, req.by, req.by_outlet.is_some())?;
        let groups: Vec<Option<String>> = match req.by_outlet {
            None => vec![None],
            Some(n) => top_outlets(&t, n),
        };
        let named: Vec<String> = groups
            .iter()
            .flatten()
            .filter(|g| g.as_str() != OTHER)
            .cloned()
            .collect();
        for g in groups {
            let belongs = |outlet: &str| match &g {
                None => true,
                Some(name) if name == OTHER => !named.iter().any(|n| n == outlet),
                Some(name) => name == outlet,
            };
            let mut counts: BTreeMap<NaiveDate, u64> = BTreeMap::new();
            for ((outlet, start), n) in &t.dated {
                if belongs(outlet) {
                    *counts.entry(*start).or_default() += n;
                }
            }
            let undated = t
                .undated
                .iter()
                .filter(|(o, _)| belongs(o))
                .map(|(_, n)| n)
                .sum();
            let points = periods
                .iter()
                .map(|p| {
                    let count = counts.get(p).copied().unwrap_or(0);
                    let total = totals.dated.get(&(String::new(), *p)).copied().unwrap_or(0);
                    TrendPoint {
                        period: req.by.label(*p),
                        count,
                        total,
                        share: if total > 0 {
                            count as f64 / total as f64
                        } else {
                            0.0
                        },
                    }
                })
                .collect();
            series.push(TrendSeries {
                query: q.clone(),
                outlet: g,
                undated,
                points,
            });
        }
    }
    Ok(Trend {
        by: req.by,
        from: req.from,
        to: req.to,
        series,
    })
}

/// Label of the group of outlets beyond the top N.
pub const OTHER: &str = "other";

fn top_outlets(t: &Tally, n: usize) -> Vec<Option<String>> {
    let mut per: HashMap<&str, u64> = HashMap::new();
    for ((o, _), c) in &t.dated {
        *per.entry(o.as_str()).or_default() += c;
    }
    for (o, c) in &t.undated {
        *per.entry(o.as_str()).or_default() += c;
    }
    let mut v: Vec<(&str, u64)> = per.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut out: Vec<Option<String>> = v.iter().take(n).map(|(o, _)| Some(o.to_string())).collect();
    if v.len() > n {
        out.push(Some(OTHER.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_labels_and_starts() {
        let d = NaiveDate::from_ymd_opt(2018, 1, 16).unwrap();
        assert_eq!(Interval::Day.label(d), "2018-01-16");
        assert_eq!(Interval::Week.label(d), "2018-W03");
        assert_eq!(Interval::Month.label(d), "2018-01");
        assert_eq!(Interval::Year.label(d), "2018");
        assert_eq!(
            Interval::Week.start(d),
            NaiveDate::from_ymd_opt(2018, 1, 15).unwrap()
        );
        // ISO week years differ from calendar years at the edges.
        assert_eq!(
            Interval::Week.label(NaiveDate::from_ymd_opt(2018, 12, 31).unwrap()),
            "2019-W01"
        );
    }
}
