//! Coverage-over-time charts (SVG or PNG) with plotters: one line per series,
//! axes with period labels, a legend, and a note of undated matches.

use crate::search::trend::Trend;
use anyhow::{Context, Result, anyhow, bail};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// Fonts looked for, in order, to draw text (the chart needs real glyph metrics).
const FONT_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/liberation/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
];

/// Register a system sans-serif font with plotters, once.
fn ensure_font() -> Result<()> {
    static FONT: OnceLock<Result<(), String>> = OnceLock::new();
    FONT.get_or_init(|| {
        let from_env = std::env::var("CIVSEARCH_FONT").ok();
        let candidates = from_env.iter().map(String::as_str).chain(FONT_CANDIDATES.iter().copied());
        for path in candidates {
            if let Ok(bytes) = std::fs::read(path) {
                // plotters keeps fonts for the life of the process.
                let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                if plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).is_ok() {
                    return Ok(());
                }
            }
        }
        Err("no TrueType font found for chart text (install fonts-dejavu-core or set CIVSEARCH_FONT=/path/font.ttf)".into())
    })
    .clone()
    .map_err(|e| anyhow!(e))
}

/// Colours that stay apart on a projector and in grey print.
const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 97, 141),
    RGBColor(214, 96, 39),
    RGBColor(44, 140, 78),
    RGBColor(160, 50, 60),
    RGBColor(110, 80, 160),
    RGBColor(120, 120, 120),
    RGBColor(190, 150, 30),
    RGBColor(20, 150, 160),
];

/// Write the chart to `path` (`.svg` or `.png`, 1600x900 for slides).
pub fn plot_trend(trend: &Trend, path: &Path, normalize: bool) -> Result<()> {
    ensure_font()?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let size = (1600, 900);
    match ext.as_str() {
        "svg" => draw(
            SVGBackend::new(path, size).into_drawing_area(),
            trend,
            normalize,
        ),
        "png" => draw(
            BitMapBackend::new(path, size).into_drawing_area(),
            trend,
            normalize,
        ),
        _ => bail!(
            "--plot needs a file ending in .svg or .png, not {}",
            path.display()
        ),
    }
    .with_context(|| format!("cannot draw the chart to {}", path.display()))
}

/// The top of a count axis and its tick step: whole numbers, a 1-2-5 step
/// giving at most 8 intervals, and headroom above the highest count (a count
/// of 1 gets ticks 0, 1, 2, never 0, 0, 0, 1, 1, 1).
fn count_axis(max: u64) -> (f64, f64) {
    let want = (max as f64 * 1.1).ceil().max(max as f64 + 1.0);
    let mut step = 1u64;
    let mut mult = [2u64, 5, 10].iter().cycle();
    let mut base = 1u64;
    while want / step as f64 > 8.0 {
        let m = *mult.next().expect("cycle");
        step = if m == 10 {
            base *= 10;
            base
        } else {
            base * m
        };
    }
    let top = (want / step as f64).ceil() * step as f64;
    (top, step as f64)
}

/// A y tick's text: counts are whole numbers, so a tick between them is left
/// blank; shares keep one decimal.
fn y_tick_label(y: f64, normalize: bool) -> String {
    if normalize {
        format!("{y:.1}")
    } else if (y - y.round()).abs() < 1e-9 {
        format!("{}", y.round() as i64)
    } else {
        String::new()
    }
}

/// As many x labels as fit side by side: about 12 pixels a character at the
/// label font, plus a gap; never more than there are periods.
fn x_label_count(plot_width: u32, label_chars: usize, periods: usize) -> usize {
    let per_label = label_chars * 12 + 48;
    (plot_width as usize / per_label)
        .clamp(2, 12)
        .min(periods.max(1))
}

/// A thick line through thousands of points zig-zags into spikes past its own
/// ends (the joins are mitred), over the axis and the footer: thinner the
/// denser the points.
fn line_width(points: usize, plot_width: usize) -> u32 {
    if points * 8 <= plot_width {
        4
    } else if points * 2 <= plot_width {
        2
    } else {
        1
    }
}

/// More points than pixel columns: keep, for each column, the point with the
/// highest value, so a peak stays visible and the path stays short.
fn peaks_per_column(pts: &[(f64, f64)], columns: usize) -> Vec<(f64, f64)> {
    if columns == 0 || pts.len() <= columns * 2 {
        return pts.to_vec();
    }
    let per = pts.len().div_ceil(columns);
    pts.chunks(per)
        .filter_map(|c| {
            c.iter()
                .copied()
                .max_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal))
        })
        .collect()
}

fn series_label(query: &str, outlet: Option<&str>) -> String {
    match outlet {
        Some(o) => format!("{query} — {o}"),
        None => query.to_string(),
    }
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    trend: &Trend,
    normalize: bool,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("{e:?}");
    root.fill(&WHITE).map_err(err)?;
    let periods: Vec<String> = trend
        .series
        .first()
        .map(|s| s.points.iter().map(|p| p.period.clone()).collect())
        .unwrap_or_default();
    if periods.is_empty() {
        bail!("nothing to plot: no dated article in the range");
    }
    let value = |p: &crate::search::trend::TrendPoint| {
        if normalize {
            p.share * 100.0
        } else {
            p.count as f64
        }
    };
    let max_y = trend
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(value))
        .fold(0.0f64, f64::max);
    let (top_y, y_step) = if normalize {
        let top = (max_y * 1.15).max(0.1);
        (top, top / 8.0)
    } else {
        count_axis(max_y.round() as u64)
    };
    let unit = format!("{:?}", trend.by).to_lowercase();
    let queries: Vec<&str> = trend
        .series
        .iter()
        .map(|s| s.query.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let title = format!("Coverage of {}, by {unit}", queries.join(", "));
    let y_desc = if normalize {
        format!("Share of all articles that {unit} (%)")
    } else {
        format!("Articles per {unit}")
    };
    let undated: u64 = trend.series.iter().map(|s| s.undated).sum();

    let (main, footer) = root.split_vertically(840);
    let mut chart = ChartBuilder::on(&main)
        .caption(
            title,
            ("sans-serif", 40).into_font().color(&RGBColor(30, 30, 30)),
        )
        .margin(30)
        .margin_right(60)
        .x_label_area_size(70)
        .y_label_area_size(110)
        .build_cartesian_2d(
            -0.3f64..(periods.len().saturating_sub(1).max(1)) as f64 + 0.3,
            0f64..top_y,
        )
        .map_err(err)?;
    let n = periods.len();
    let label_chars = periods.iter().map(|p| p.chars().count()).max().unwrap_or(4);
    let x_labels = x_label_count(chart.plotting_area().dim_in_pixel().0, label_chars, n);
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(210, 210, 210))
        .x_labels(x_labels)
        .y_labels((top_y / y_step).round() as usize + 1)
        .x_label_formatter(&|x| {
            let i = x.round() as usize;
            if (*x - i as f64).abs() < 1e-6 {
                periods.get(i).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| y_tick_label(*y, normalize))
        .y_desc(y_desc)
        .x_desc(unit.clone())
        .label_style(("sans-serif", 22))
        .axis_desc_style(("sans-serif", 24))
        .draw()
        .map_err(err)?;

    for (i, s) in trend.series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let pts: Vec<(f64, f64)> = s
            .points
            .iter()
            .enumerate()
            .map(|(x, p)| (x as f64, value(p).clamp(0.0, top_y)))
            .collect();
        let width = chart.plotting_area().dim_in_pixel().0 as usize;
        let line = peaks_per_column(&pts, width);
        chart
            .draw_series(LineSeries::new(
                line,
                color.stroke_width(line_width(n, width)),
            ))
            .map_err(err)?
            .label(series_label(&s.query, s.outlet.as_deref()))
            // The swatch ends well before the label, which starts at the
            // legend area's width.
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 28, y)], color.stroke_width(5))
            });
        if n <= 60 {
            chart
                .draw_series(
                    pts.iter()
                        .map(|&(x, y)| Circle::new((x, y), 5, color.filled())),
                )
                .map_err(err)?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .legend_area_size(44)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(190, 190, 190))
        .label_font(("sans-serif", 24))
        .draw()
        .map_err(err)?;
    let note = if undated > 0 {
        let noun = if undated == 1 {
            "matching article has"
        } else {
            "matching articles have"
        };
        format!(
            "{undated} {noun} no publication date and {} not shown. Source: civsearch.",
            if undated == 1 { "is" } else { "are" }
        )
    } else {
        "Source: civsearch; counts are exact matches in the indexed articles.".to_string()
    };
    footer
        .draw(&Text::new(
            note,
            (40, 15),
            ("sans-serif", 22).into_font().color(&RGBColor(90, 90, 90)),
        ))
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::trend::{Interval, TrendPoint, TrendSeries};

    fn trend(by: Interval, counts: &[u64], label: impl Fn(usize) -> String) -> Trend {
        Trend {
            by,
            from: None,
            to: None,
            series: vec![TrendSeries {
                query: "\"sanctuary city\"".into(),
                outlet: None,
                undated: 1,
                points: counts
                    .iter()
                    .enumerate()
                    .map(|(i, &c)| TrendPoint {
                        period: label(i),
                        count: c,
                        total: 10,
                        share: c as f64 / 10.0,
                    })
                    .collect(),
            }],
        }
    }

    fn sample_charts() -> (Trend, Trend) {
        let months = trend(
            Interval::Month,
            &[0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1],
            |i| format!("{}-{:02}", 2017 + i / 12, i % 12 + 1),
        );
        let counts: Vec<u64> = (0..36_525).map(|i| ((i * 7919) % 13) as u64 / 6).collect();
        let days = trend(Interval::Day, &counts, |i| {
            (chrono::NaiveDate::from_ymd_opt(1925, 1, 1).unwrap() + chrono::Days::new(i as u64))
                .to_string()
        });
        (months, days)
    }

    #[test]
    fn count_axes_have_whole_ticks_with_headroom() {
        assert_eq!(count_axis(1), (2.0, 1.0));
        assert_eq!(count_axis(0), (1.0, 1.0));
        assert_eq!(count_axis(37), (50.0, 10.0));
        assert_eq!(count_axis(6), (7.0, 1.0));
        let (top, step) = count_axis(96_495);
        assert!(top >= 96_495.0 && step.fract() == 0.0 && top / step <= 8.0);
        assert_eq!(y_tick_label(0.5, false), "");
        assert_eq!(y_tick_label(2.0, false), "2");
        assert_eq!(y_tick_label(2.5, true), "2.5");
    }

    #[test]
    fn dense_series_get_fewer_labels_thin_lines_and_one_point_a_column() {
        assert!(x_label_count(1400, 10, 36_525) <= 8);
        assert_eq!(x_label_count(1400, 7, 3), 3);
        assert_eq!(line_width(13, 1400), 4);
        assert_eq!(line_width(36_525, 1400), 1);
        let pts: Vec<(f64, f64)> = (0..10_000).map(|i| (i as f64, (i % 100) as f64)).collect();
        let line = peaks_per_column(&pts, 1000);
        assert!(line.len() <= 1000);
        assert!(line.iter().any(|p| p.1 == 99.0), "peaks survive");
    }

    #[test]
    fn sample_charts_draw() {
        if ensure_font().is_err() {
            return; // no font on this machine: nothing to look at
        }
        let dir = std::env::temp_dir();
        let (months, days) = sample_charts();
        plot_trend(&months, &dir.join("civsearch-months.png"), false).unwrap();
        plot_trend(&days, &dir.join("civsearch-days.png"), false).unwrap();
    }
}
