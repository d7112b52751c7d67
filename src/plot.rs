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
        .fold(0.0f64, f64::max)
        .max(1.0);
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
            0f64..max_y * 1.15,
        )
        .map_err(err)?;
    let n = periods.len();
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(210, 210, 210))
        .x_labels(n.min(12))
        .x_label_formatter(&|x| {
            let i = x.round() as usize;
            if (*x - i as f64).abs() < 1e-6 {
                periods.get(i).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| {
            if normalize {
                format!("{y:.1}")
            } else {
                format!("{y:.0}")
            }
        })
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
            .map(|(x, p)| (x as f64, value(p)))
            .collect();
        chart
            .draw_series(LineSeries::new(pts.clone(), color.stroke_width(4)))
            .map_err(err)?
            .label(series_label(&s.query, s.outlet.as_deref()))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 30, y)], color.stroke_width(5))
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
