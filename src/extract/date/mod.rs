//! Publication dates: every piece of evidence on a page (JSON-LD, meta tags,
//! microdata, `<time>` elements, the URL, bylines and the text near the
//! headline) is collected and weighed, so that the original publication day wins
//! over modified dates and over dates of other stories, and a missing date is
//! preferred to a guessed one.
//!
//! For development, `CIVSEARCH_DATE_DEBUG=1` prints every piece of evidence and
//! the top scores to stderr.

mod names;
mod page;
mod parse;
mod plain;
pub(crate) mod script;
mod url;

use super::meta::PageMeta;
use crate::html::Document;
use chrono::{Datelike, Duration, NaiveDate};
use memchr::memmem;
use page::{Page, flag};
use parse::{MachineDate, Reading, parse_machine, scan};
pub use parse::{NumOrder, month_of};
pub use plain::find_plain_text_date;
pub use url::{UrlDate, date_from_url, url_date};

/// A publication date with where it came from and how sure it is.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundDate {
    /// The publication day (no time of day, no time zone).
    pub date: NaiveDate,
    /// Which evidence gave it (`json-ld`, `meta`, `time`, `url`, `byline`, ...);
    /// becomes [`Article::date_source`](crate::Article::date_source).
    pub source: &'static str,
    /// How sure the evidence is, from 0 to 1 (what `min_date_confidence` is
    /// compared with).
    pub confidence: f32,
}

fn debug_on() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("CIVSEARCH_DATE_DEBUG").is_some())
}

/// Earliest year accepted without strong evidence.
const MIN_YEAR: i32 = 1990;

/// Score a date needs to be reported at all.
const MIN_SCORE: f32 = 2.0;

/// Score enough for the only date a page names (more than a bare date in the
/// body text far from the headline).
const LONE_MIN_SCORE: f32 = 1.1;

/// Score enough for the only date a page names when it stands on a line of its
/// own outside the furniture, even far from the headline ("Teilen:
/// 01.11.2023", "Agency (2012-06-04)"): a stamp the page puts on itself, not a
/// day its sentences talk about.
const LONE_STAMP_SCORE: f32 = 0.9;

/// Bytes a date line may run on after its date (a time, a bracket).
const STAMP_TAIL: usize = 12;

/// Most weight of an unlabelled date inside running text, less than
/// [`LONE_MIN_SCORE`]: a day the story talks about ("the government announced
/// it is expected on 5 May"), not the day it was written. A missing date is
/// better than that one.
const RUNNING_TEXT_WEIGHT: f32 = 1.0;

/// Most weight of a date inside the headline's sentence (see
/// [`within_headline`]): the headline and the title repeat each other, and
/// together they stay below [`LONE_MIN_SCORE`] and [`NAMED_SCORE`].
const HEADLINE_PROSE_WEIGHT: f32 = 0.4;

/// Words a headline runs on after a date inside its sentence.
const HEADLINE_TAIL_WORDS: usize = 2;

/// Words before a date in its text node, and bytes after it, from which the
/// date sits inside a sentence (a date line has a word or two before it, or
/// ends its line).
const PROSE_WORDS: usize = 4;
const PROSE_TAIL: usize = 40;

/// Weight below which evidence does not count as another day named by the
/// page (dates in furniture, related stories, comments).
const NAMED_SCORE: f32 = 0.5;

/// Score of an update date from which it dates a page that states no
/// publication day: a date labelled as an update outside the furniture.
const UPDATE_ONLY_SCORE: f32 = 1.0;

/// Confidence of a page dated only by a machine modification field.
const MACHINE_UPDATE_ONLY_CONFIDENCE: f32 = 0.1;

/// Score from which a date before [`MIN_YEAR`] is believed.
const OLD_DATE_SCORE: f32 = 14.0;

/// Where a piece of evidence came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    JsonLd,
    Meta,
    Microdata,
    Script,
    Time,
    Url,
    Title,
    Byline,
    Text,
}

impl Kind {
    fn source(self) -> &'static str {
        match self {
            Kind::JsonLd => "json-ld",
            Kind::Meta => "meta",
            Kind::Microdata => "microdata",
            Kind::Script => "script",
            Kind::Time => "time",
            Kind::Url => "url",
            Kind::Title => "title",
            Kind::Byline => "byline",
            Kind::Text => "text",
        }
    }

    /// Evidence that states the publisher's local day (not a UTC timestamp).
    fn is_visible(self) -> bool {
        matches!(
            self,
            Kind::Url | Kind::Title | Kind::Byline | Kind::Text | Kind::Time
        )
    }
}

/// One piece of evidence for a date.
#[derive(Debug, Clone, Copy)]
struct Evidence {
    date: NaiveDate,
    kind: Kind,
    weight: f32,
    /// Stated as a modification or update date.
    modified: bool,
    /// UTC hour of a timestamp at offset zero.
    utc_hour: Option<u32>,
    /// An unlabelled date line of its own in the text (see [`LONE_STAMP_SCORE`]).
    stamp: bool,
    /// A date in running text that only the words before it label as a
    /// publication or update: the URL's month judges it as it judges text.
    in_prose: bool,
    /// Written in the headline itself, or in a title that repeats the
    /// headline's date (see [`decide`]).
    headline: bool,
}

impl Evidence {
    /// A publication date with nothing more to say about it.
    fn new(date: NaiveDate, kind: Kind, weight: f32) -> Evidence {
        Evidence {
            date,
            kind,
            weight,
            modified: false,
            utc_hour: None,
            stamp: false,
            in_prose: false,
            headline: false,
        }
    }
}

const PUBLISHED_META: &[(&str, f32)] = &[
    ("article:published_time", 8.0),
    ("og:published_time", 8.0),
    ("og:article:published_time", 8.0),
    ("article:published", 8.0),
    ("published_time", 8.0),
    ("datepublished", 8.0),
    ("dc.date.issued", 8.0),
    ("dcterms.issued", 8.0),
    ("sailthru.date", 7.0),
    ("parsely-pub-date", 8.0),
    ("pubdate", 7.0),
    ("publishdate", 7.0),
    ("publish-date", 7.0),
    ("publish_date", 7.0),
    ("publication_date", 7.0),
    ("publication-date", 7.0),
    ("article.published", 7.0),
    ("article_date_original", 7.0),
    ("original-publish-date", 7.0),
    ("citation_publication_date", 7.0),
    ("citation_date", 4.0),
    ("datecreated", 5.0),
    ("dc.date.created", 5.0),
    ("dcterms.created", 5.0),
    ("article.created", 5.0),
    ("date", 4.0),
    ("dc.date", 4.0),
    ("dcterms.date", 4.0),
    ("release_date", 4.0),
];

const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "article:modified",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
    "modified",
    "updated",
    "sailthru.lastmodified",
    "parsely-updated",
];

/// The URL to read a date from: the canonical URL when it carries one, else
/// the fetched URL when that does (a canonical without a date, as some
/// publishing systems give), else the canonical URL. A page fetched through
/// a feed proxy or a redirect (`news.example/rss/articles/CBMi...`,
/// `example.com/?p=123`) has its day only in its canonical URL, and a
/// canonical cut to the story's slug has it only in the address fetched.
pub fn dated_url<'a>(canonical: Option<&'a str>, fetched: Option<&'a str>) -> Option<&'a str> {
    let dated = |u: &&str| url_date(u).is_some() || url::url_dmy(u, NumOrder::Unknown).is_some();
    canonical
        .filter(dated)
        .or_else(|| fetched.filter(dated))
        .or(canonical)
        .or(fetched)
}

/// Find the publication date of a parsed page. `today` is the day of indexing:
/// later dates are impossible.
pub fn find_date(
    doc: &Document,
    meta: &PageMeta,
    url: Option<&str>,
    today: NaiveDate,
) -> Option<FoundDate> {
    let reading = Reading::for_lang(
        meta.lang
            .as_deref()
            .or_else(|| meta.get(&["og:locale", "content-language", "language", "dc.language"])),
    );
    let order = reading.order;
    let mut ev = Vec::new();
    structured_evidence(doc, meta, &mut ev);
    let title = meta
        .get(&["og:title", "twitter:title"])
        .or(meta.title_tag.as_deref());
    let page = Page::collect(doc, title);
    let dates = scan(&page.text, reading);
    let header_end = time_evidence(&page, order, &dates, &mut ev);
    text_evidence(&page, header_end, dates, &mut ev);
    let headline_days: Vec<NaiveDate> = ev.iter().filter(|e| e.headline).map(|e| e.date).collect();
    if let Some(title) = meta.title_tag.as_deref() {
        for td in scan(title, reading).into_iter().take(1) {
            if is_range_end(title, td.start) {
                continue;
            }
            // A date inside the title's sentence ("We answer on March 17 2003
            // a backlog | Site") is the story's, as in the headline.
            let w = if within_headline(title, td.start, td.end) {
                HEADLINE_PROSE_WEIGHT
            } else {
                3.0
            };
            ev.push(Evidence {
                headline: headline_days.contains(&td.date),
                ..Evidence::new(td.date, Kind::Title, w)
            });
        }
    }
    let u = url.and_then(|u| url_date(u).or_else(|| url::url_dmy(u, order).map(UrlDate::Day)));
    if let Some(u) = u {
        // The URL's month was set when the story was filed: a date in the text
        // (or title) before it, or long after it, is one the story talks about.
        let (y, m) = match u {
            UrlDate::Day(d) | UrlDate::SlugDay(d) => (d.year(), d.month()),
            UrlDate::Month(y, m) => (y, m),
        };
        if let Some(first) = NaiveDate::from_ymd_opt(y, m, 1) {
            let last = first + chrono::Months::new(1) - Duration::days(1);
            for e in ev.iter_mut() {
                let far = e.date < first - Duration::days(1) || e.date > last + Duration::days(45);
                if far && (matches!(e.kind, Kind::Text | Kind::Title) || e.in_prose) {
                    e.weight *= 0.3;
                }
            }
        }
        match u {
            UrlDate::Day(d) => ev.push(Evidence::new(d, Kind::Url, 6.0)),
            // Supports the evidence for that day, but a number opening the
            // title does not overrule the page.
            UrlDate::SlugDay(d) => ev.push(Evidence::new(d, Kind::Url, 3.0)),
            UrlDate::Month(y, m) => {
                // Supports the candidates of that month that the page names
                // as its own: not the days of the stories it lists, or of its
                // furniture (below [`NAMED_SCORE`]), one of which often falls
                // in any month.
                let days: Vec<NaiveDate> = ev
                    .iter()
                    .filter(|e| {
                        e.date.year() == y
                            && e.date.month() == m
                            && !e.modified
                            && e.weight >= NAMED_SCORE
                    })
                    .map(|e| e.date)
                    .collect();
                for d in days {
                    ev.push(Evidence::new(d, Kind::Url, 1.5));
                }
            }
        }
    }
    decide(ev, today)
}

fn push_machine(ev: &mut Vec<Evidence>, m: MachineDate, kind: Kind, weight: f32, modified: bool) {
    // The first of January is a common placeholder of publishing systems.
    let weight = if m.date.ordinal() == 1 && kind != Kind::Time {
        weight * 0.7
    } else {
        weight
    };
    ev.push(Evidence {
        date: m.date,
        kind,
        weight,
        modified,
        utc_hour: m.utc_hour,
        stamp: false,
        in_prose: false,
        headline: false,
    });
}

fn ld_type_is_article(v: &serde_json::Value) -> bool {
    let ok = |s: &str| s.contains("Article") || s.contains("Posting") || s == "Report";
    match v.get("@type") {
        Some(serde_json::Value::String(s)) => ok(s),
        Some(serde_json::Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(ok)),
        _ => false,
    }
}

fn ld_type_is_page(v: &serde_json::Value) -> bool {
    let ok = |s: &str| s.ends_with("Page");
    match v.get("@type") {
        Some(serde_json::Value::String(s)) => ok(s),
        Some(serde_json::Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(ok)),
        _ => false,
    }
}

/// JSON-LD types of a single work other than an article.
fn ld_type_is_work(v: &serde_json::Value) -> bool {
    let ok = |s: &str| {
        matches!(
            s,
            "HowTo" | "Recipe" | "Review" | "CreativeWork" | "VideoObject" | "PodcastEpisode"
        )
    };
    match v.get("@type") {
        Some(serde_json::Value::String(s)) => ok(s),
        Some(serde_json::Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(ok)),
        _ => false,
    }
}

fn ld_date(o: &serde_json::Value, key: &str, order: NumOrder) -> Option<MachineDate> {
    let v = o.get(key)?;
    let s = v.as_str().or_else(|| v.as_array()?.first()?.as_str())?;
    parse_machine(s, order)
}

/// Weight of a publication-date meta tag known only under a publisher's own
/// prefix ("sw-pubdate", "dtk:publishdate"): the same field of the publishing
/// system, named by a vendor, a little less sure than the standard names.
const PREFIXED_META_WEIGHT: f32 = 5.0;

/// A meta name made of a vendor prefix (ended by ':' or '-') and a specific
/// publication-date key ("sw-pubdate", "og:pubdate", "dtk:publishdate"). The
/// generic keys ("date", "release_date") do not count: after a prefix they name
/// other events (an embargo, a next issue).
fn prefixed_published(name: &str) -> Option<f32> {
    name.match_indices([':', '-'])
        .map(|(i, _)| &name[i + 1..])
        .any(|rest| PUBLISHED_META.iter().any(|&(n, w)| n == rest && w >= 7.0))
        .then_some(PREFIXED_META_WEIGHT)
}

/// Weight of the dates of a JSON-LD page object (`WebPage`, `AboutPage`):
/// SEO plugins stamp one on every page of a site, service pages and evergreen
/// guides alike, with the day the page was first saved. Alone it dates a page
/// (dates-dev labels such pages with it), weakly.
const PAGE_OBJECT_WEIGHT: f32 = 3.0;

fn structured_evidence(doc: &Document, meta: &PageMeta, ev: &mut Vec<Evidence>) {
    // Machine-written values with slashes follow the US convention whatever the
    // page language (server defaults such as "11/01/2023 12:43:42").
    let order = NumOrder::MonthFirst;
    // JSON-LD: the article object(s), including one nested as a page's main entity.
    let mut articles: Vec<&serde_json::Value> = meta.ld_articles.iter().collect();
    for o in &meta.ld_other {
        for key in ["mainEntity", "mainEntityOfPage"] {
            if let Some(inner) = o.get(key).filter(|v| ld_type_is_article(v)) {
                articles.push(inner);
            }
        }
    }
    let mut first_published = None;
    for o in &articles {
        if let Some(m) = ld_date(o, "datePublished", order) {
            // The first article object is the page's; others are usually other
            // stories listed on it.
            let w = match first_published {
                None => 10.0,
                Some(d) if d == m.date => 0.0,
                Some(_) => 2.0,
            };
            first_published.get_or_insert(m.date);
            if w > 0.0 {
                push_machine(ev, m, Kind::JsonLd, w, false);
            }
        } else if let Some(m) = ld_date(o, "dateCreated", order) {
            push_machine(ev, m, Kind::JsonLd, 6.0, false);
        }
        if let Some(m) = ld_date(o, "dateModified", order) {
            push_machine(ev, m, Kind::JsonLd, 8.0, true);
        }
    }
    // Other single works a page can be about (a recipe, a how-to, a review):
    // their publication day is the page's when no article object gives one.
    if first_published.is_none() {
        for o in meta.ld_other.iter().filter(|o| ld_type_is_work(o)).take(1) {
            if let Some(m) = ld_date(o, "datePublished", order) {
                push_machine(ev, m, Kind::JsonLd, 7.0, false);
            }
            if let Some(m) = ld_date(o, "dateModified", order) {
                push_machine(ev, m, Kind::JsonLd, 6.0, true);
            }
        }
    }
    for o in meta.ld_other.iter().filter(|o| ld_type_is_page(o)) {
        if let Some(m) = ld_date(o, "datePublished", order) {
            push_machine(ev, m, Kind::JsonLd, PAGE_OBJECT_WEIGHT, false);
        }
        if let Some(m) = ld_date(o, "dateModified", order) {
            push_machine(ev, m, Kind::JsonLd, PAGE_OBJECT_WEIGHT, true);
        }
    }
    // Meta tags; when a key is repeated with other dates (a list of stories
    // each with its own date), the first is the page's.
    let mut firsts: Vec<(&str, NaiveDate)> = Vec::new();
    for (k, v) in &meta.metas {
        let published = PUBLISHED_META
            .iter()
            .find(|(n, _)| n == k)
            .map(|&(_, w)| w)
            .or_else(|| prefixed_published(k));
        let modified = MODIFIED_META.contains(&k.as_str());
        if published.is_none() && !modified {
            continue;
        }
        if let Some(m) = parse_machine(v, order) {
            let mut w = published.unwrap_or(7.0);
            match firsts.iter().find(|(n, _)| n == k) {
                Some(&(_, d)) if d != m.date => w = 2.0,
                Some(_) => continue,
                None => firsts.push((k, m.date)),
            }
            push_machine(ev, m, Kind::Meta, w, modified);
        }
    }
    script_evidence(meta, order, ev);
    // Microdata on elements other than <meta> (those are read above).
    for (prop, id) in &meta.itemprops {
        let (w, modified) = match prop.as_str() {
            "datepublished" => (8.0, false),
            "datecreated" => (5.0, false),
            "datemodified" => (7.0, true),
            _ => continue,
        };
        if doc.is(*id, "meta") {
            continue;
        }
        let value = doc
            .attr(*id, "datetime")
            .or_else(|| doc.attr(*id, "content"))
            .map(str::to_string)
            .unwrap_or_else(|| doc.text_of(*id));
        if let Some(m) = parse_machine(&value, order) {
            push_machine(ev, m, Kind::Microdata, w, modified);
        }
    }
}

/// Weight of the publication day under a known key in an inline script.
const SCRIPT_PUBLISHED: f32 = 4.0;
/// Weight of the creation day in an inline script, when none names a
/// publication day.
const SCRIPT_CREATED: f32 = 3.0;
/// Weight of each day when the script data names several: the page's data
/// lists other stories (related articles, sources), and the first need not be
/// the page's.
const SCRIPT_LISTED: f32 = 0.3;

/// Dates in inline script data (see [`script`]): weak machine evidence, that
/// counts fully only when the page's scripts name a single day.
fn script_evidence(meta: &PageMeta, order: NumOrder, ev: &mut Vec<Evidence>) {
    use script::ScriptKey;
    let key = if meta
        .script_dates
        .iter()
        .any(|s| s.key == ScriptKey::Published)
    {
        ScriptKey::Published
    } else {
        ScriptKey::Created
    };
    let mut found: Vec<MachineDate> = Vec::new();
    for s in meta.script_dates.iter().filter(|s| s.key == key) {
        if let Some(m) = parse_machine(&s.value, order)
            && !found.iter().any(|f| f.date == m.date)
        {
            found.push(m);
        }
    }
    let w = match (found.len(), key) {
        (1, ScriptKey::Published) => SCRIPT_PUBLISHED,
        (1, ScriptKey::Created) => SCRIPT_CREATED,
        _ => SCRIPT_LISTED,
    };
    for m in found {
        push_machine(ev, m, Kind::Script, w, false);
    }
}

/// Words that introduce a publication date, lowercase.
const PUBLISHED_WORDS: &[&str] = &[
    "published",
    "posted",
    "veröffentlicht",
    "erschienen",
    "publié",
    "publie le",
    "pubblicato",
    "publicado",
    "erstellt",
    "created",
    "datum",
    "date:",
    "von",
    "wurde am",
    "posted on",
    "published on",
    "mis en ligne",
    "mise en ligne",
    "erschienen am",
];

/// Words that introduce an update date, lowercase.
const MODIFIED_WORDS: &[&str] = &[
    "updated",
    "update",
    "aktualisiert",
    "geändert",
    "änderung",
    "modified",
    "mis à jour",
    "mise à jour",
    "modifié",
    "actualisé",
    "zuletzt",
    "stand:",
    "stand",
    "revised",
    "edited",
    "bearbeitet",
    "aggiornato",
    "actualizado",
];

/// What the few words before a date say about it: `Some(true)` for an update,
/// `Some(false)` for a publication, `None` for nothing.
/// Only text after `floor` (the end of the previous date) is read.
/// The label of the date at `start`, read from its own text node, or from the
/// node before when that one is short enough to be a label ("Published:",
/// "Posted on") and not link text. A related story's headline that happens
/// to end in "... Articles Published" is not a label of the date set after it.
fn label_before(page: &Page, start: usize, floor: usize) -> Option<bool> {
    let piece = page.piece_start(start);
    let own = lead_in(&page.text, start, floor.max(piece).min(start));
    if own.is_some() || piece == 0 {
        return own;
    }
    let previous = page.piece_start(piece - 1);
    // Link text is a headline or a menu entry, never a date's label.
    (piece - previous <= MAX_LABEL_NODE && page.flags_at(previous) & flag::LINK == 0)
        .then(|| lead_in(&page.text, start, floor))
        .flatten()
}

/// Longest text node (bytes, with its separator) read as a date's label.
const MAX_LABEL_NODE: usize = 32;

/// Searchers for the labels of several words ("posted on", "mis à jour"),
/// update labels first, built once: a label may stand anywhere in the clause.
type PhraseFinders = (Vec<memmem::Finder<'static>>, Vec<memmem::Finder<'static>>);
static LABEL_PHRASES: std::sync::LazyLock<PhraseFinders> = std::sync::LazyLock::new(|| {
    let finders = |list: &[&'static str]| {
        list.iter()
            .filter(|k| k.contains(' '))
            .map(|k| memmem::Finder::new(k.as_bytes()))
            .collect()
    };
    (finders(MODIFIED_WORDS), finders(PUBLISHED_WORDS))
});

fn lead_in(text: &str, start: usize, floor: usize) -> Option<bool> {
    let mut from = start.saturating_sub(48).max(floor.min(start));
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let raw = &text[from..start];
    // Lowercased on the stack when ASCII (nearly always): this runs for every
    // date on every page.
    let mut buf = [0u8; 64];
    let owned;
    let before: &str = if raw.is_ascii() && raw.len() <= buf.len() {
        let b = &mut buf[..raw.len()];
        b.copy_from_slice(raw.as_bytes());
        b.make_ascii_lowercase();
        std::str::from_utf8(b).expect("ASCII")
    } else {
        owned = raw.to_lowercase();
        &owned
    };
    // Only the same clause: cut at the last sentence or field separator.
    let clause = before
        .rfind(['|', '•', '·', '\n'])
        .map_or(before, |i| &before[i..]);
    // The last three words, last first.
    let mut tail = [""; 3];
    let mut n = 0;
    for w in clause
        .rsplit(|c: char| c.is_whitespace() || c == ',' || c == '(')
        .filter(|w| !w.is_empty())
        .take(3)
    {
        tail[n] = w;
        n += 1;
    }
    let tail = &tail[..n];
    let (modified_phrases, published_phrases) = &*LABEL_PHRASES;
    let has = |list: &[&str], phrases: &[memmem::Finder<'static>]| {
        tail.iter().any(|raw| {
            let w = raw.trim_end_matches([':', '.']);
            let first = raw.as_bytes().first();
            list.iter().any(|k| {
                // Every test below needs the word to start like the key.
                if k.as_bytes().first() != first {
                    return false;
                }
                // A label written with a colon ("date:") counts only with its colon:
                // "the date of" is prose, "Date: May 12" is a label.
                if k.ends_with(':') {
                    return raw.trim_end_matches('.') == *k;
                }
                w == *k || (k.len() > 5 && w.starts_with(k))
            })
        }) || phrases.iter().any(|f| f.find(clause.as_bytes()).is_some())
    };
    if has(MODIFIED_WORDS, modified_phrases) {
        Some(true)
    } else if has(PUBLISHED_WORDS, published_phrases) {
        Some(false)
    } else {
        None
    }
}

/// How much the position of text at `offset` says it belongs to the article
/// header: 0 (far away) to 1 (right at the headline).
fn nearness(page: &Page, offset: usize) -> f32 {
    match page.headline {
        Some(h) => {
            let d = offset as f32 - h as f32;
            if d < -800.0 {
                0.0
            } else if d < -300.0 {
                0.6
            } else if d < 0.0 {
                0.92
            } else {
                (1.0 - d / 4000.0).max(0.0)
            }
        }
        None => 0.0,
    }
}

/// Weight of visible evidence from its element context and position, starting
/// from `base`.
fn context_weight(page: &Page, flags: u16, offset: usize, base: f32, lead: Option<bool>) -> f32 {
    let mut w = base;
    if flags & flag::BYLINE != 0 {
        w += 2.0;
    }
    if flags & flag::PUBLISHED != 0 {
        w += 1.0;
    }
    if flags & flag::ARTICLE != 0 {
        w += 0.5;
    }
    let near = nearness(page, offset);
    w += 2.0 * near;
    if flags & flag::OTHER != 0 {
        // Right under the headline, a misnamed box is more likely the article's.
        let under = page
            .headline
            .is_some_and(|h| offset >= h && offset < h + 400);
        w *= if under {
            0.6
        } else if lead == Some(false) {
            0.4
        } else {
            0.1
        };
    }
    if flags & flag::LINK != 0
        || (flags & flag::HEADING != 0 && flags & flag::BYLINE == 0 && near < 0.9)
    {
        w *= 0.4;
    }
    w
}

/// Weight from which a visible date is the article's header date (a byline or
/// a `<time>` under the headline).
const HEADER_DATE_WEIGHT: f32 = 4.0;

/// Factor of the weight of a `<time>` far below the headline that no label or
/// class names as the page's date, or that is in a list item.
const FAR_TIME_FACTOR: f32 = 0.5;

/// Adds the `<time>` elements; returns the offset of the first one that is the
/// article's header date.
fn time_evidence(
    page: &Page,
    order: NumOrder,
    dates: &[parse::TextDate],
    ev: &mut Vec<Evidence>,
) -> Option<usize> {
    let mut header_end = None;
    for t in &page.times {
        let Some(mut m) = parse_machine(&t.value, order) else {
            continue;
        };
        // The day the element shows its readers, when its text opens with a
        // full date (or a label and one): a machine value days away from it is
        // another event of the publishing system (a review, an import).
        // (`t.offset` is where the element starts, before the space that
        // joins its first text node.)
        let i = dates.partition_point(|d| d.start < t.offset);
        if let Some(td) = dates.get(i)
            && page.piece_start(td.start) <= t.offset + 1
            && (td.date - m.date).num_days().abs() > 1
        {
            m = MachineDate {
                date: td.date,
                utc_hour: None,
            };
        }
        let lead = lead_in(&page.text, t.offset, 0);
        let modified = lead.unwrap_or(t.flags & flag::MODIFIED != 0);
        let base = if t.flags & flag::PUBLISHED != 0 || lead == Some(false) {
            5.0
        } else {
            3.5
        };
        let mut w = context_weight(page, t.flags, t.offset, base, lead);
        // Far below the headline, a time neither labelled nor named as a date
        // line is a comment's, a reply's or a later post's, and one in a list
        // item a listed story's, whatever its label: the page's own time is
        // the one at its header.
        let far = page.headline.is_some() && nearness(page, t.offset) == 0.0;
        let plain = t.flags & (flag::PUBLISHED | flag::BYLINE) == 0 && lead.is_none();
        if far && (plain || t.flags & flag::ITEM != 0) {
            w *= FAR_TIME_FACTOR;
        }
        if debug_on() {
            eprintln!(
                "TIME {} flags={:b} near={:.2} w={:.2}",
                t.value,
                t.flags,
                nearness(page, t.offset),
                w
            );
        }
        if w >= HEADER_DATE_WEIGHT && t.flags & flag::OTHER == 0 && nearness(page, t.offset) > 0.5 {
            header_end.get_or_insert(t.offset);
        }
        push_machine(ev, m, Kind::Time, w, modified);
    }
    header_end
}

/// Words that put a date in a sentence as a period, deadline or event ("in the
/// three months to 31 December", "bis zum 30. April", "since 4 May"), lowercase.
const PERIOD_WORDS: &[&str] = &[
    "to", "until", "till", "through", "since", "from", "before", "after", "between", "by",
    "ending", "ended", "bis", "seit", "ab", "vor", "nach", "zwischen", "zum", "jusqu'au", "depuis",
    "avant", "après", "entre", "au", "du", "dal", "fino", "desde", "hasta",
];

/// Prepositions that start a date inside a sentence ("On 14 October 2004 the
/// council ..."), lowercase.
const SENTENCE_WORDS: &[&str] = &["on", "am", "le", "in", "at", "im", "il", "el"];

/// Words before a date in a byline or date line that make it a period of
/// validity, not the page's day ("gültig seit: 05.11.2021"), lowercase.
const VALID_SINCE_WORDS: &[&str] = &["since", "seit", "until", "bis", "depuis", "valid", "gültig"];

/// Whether the date at `start` ends a range of days ("14.–20. Januar 2022",
/// "3-5 March 2021"): the week or event it names, never a day of writing.
fn is_range_end(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    let Some(rest) = before.strip_suffix(['-', '–', '—']) else {
        return false;
    };
    let rest = rest.trim_end();
    let rest = rest.strip_suffix('.').unwrap_or(rest);
    rest.ends_with(|c: char| c.is_ascii_digit())
}

/// The last word of `text` before `start` (lowercase), within the same text piece.
fn word_before(text: &str, piece: usize, start: usize) -> String {
    text[piece.min(start)..start]
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        .to_lowercase()
}

/// Adds the dates written in the visible text. `header_end` is where the
/// article's header date (a `<time>`) is, if known: unlabelled dates in
/// sentences after the header date are the story's, not its publication day.
fn text_evidence(
    page: &Page,
    header_end: Option<usize>,
    dates: Vec<parse::TextDate>,
    ev: &mut Vec<Evidence>,
) {
    struct Cand {
        td: parse::TextDate,
        flags: u16,
        lead: Option<bool>,
        w: f32,
    }
    let mut cands = Vec::new();
    let mut seen = 0;
    let mut prev_end = 0;
    for td in dates {
        let flags = page.flags_at(td.start);
        let floor = std::mem::replace(&mut prev_end, td.end);
        if flags & flag::TIME != 0 {
            continue;
        }
        seen += 1;
        if seen > 200 {
            break;
        }
        let lead = label_before(page, td.start, floor);
        let base = if lead == Some(false) { 3.0 } else { 1.0 };
        let w = context_weight(page, flags, td.start, base, lead);
        cands.push(Cand { td, flags, lead, w });
    }
    // The header's own date: a labelled or byline date under the headline.
    let header_end = cands
        .iter()
        .filter(|c| {
            (c.flags & (flag::BYLINE | flag::PUBLISHED) != 0 || c.lead.is_some())
                && c.w >= HEADER_DATE_WEIGHT
                && c.flags & flag::OTHER == 0
        })
        .map(|c| c.td.start)
        .chain(header_end)
        .min();
    for c in cands {
        let Cand {
            td,
            flags,
            lead,
            mut w,
        } = c;
        let labelled = flags & (flag::BYLINE | flag::PUBLISHED) != 0 || lead.is_some();
        if is_range_end(&page.text, td.start) {
            continue;
        }
        let mut stamp = false;
        let in_headline = !labelled && {
            let piece = page.piece_start(td.start);
            page.headline.is_some_and(|h| piece <= h + 1 && piece >= h)
        };
        // Labelled by its words alone, inside a sentence ("the chart published
        // on 17 April 2004"): checked against the URL's month like plain text.
        let in_prose = lead.is_some()
            && flags & (flag::BYLINE | flag::PUBLISHED) == 0
            && in_running_text(page, &td);
        if labelled && lead.is_none() {
            let before = word_before(&page.text, page.piece_start(td.start), td.start);
            if VALID_SINCE_WORDS.contains(&before.as_str()) {
                w *= 0.3;
            }
        } else if !labelled {
            let piece = page.piece_start(td.start);
            let before = word_before(&page.text, piece, td.start);
            let in_sentence = td.start - piece > 40 || SENTENCE_WORDS.contains(&before.as_str());
            if in_running_text(page, &td) {
                w = w.min(RUNNING_TEXT_WEIGHT);
            }
            if in_headline {
                let end = page.piece_end(td.start);
                if within_headline(&page.text[piece..end], td.start - piece, td.end - piece) {
                    w = w.min(HEADLINE_PROSE_WEIGHT);
                }
            }
            if PERIOD_WORDS.contains(&before.as_str()) {
                // A period or deadline, not a day the page was written.
                w *= 0.3;
            } else if in_sentence && header_end.is_some_and(|h| td.start > h) {
                // Running text of the story, after its header date.
                w -= 2.0 * nearness(page, td.start);
            } else {
                stamp = !in_sentence
                    && flags & (flag::OTHER | flag::LINK) == 0
                    && page.piece_end(td.start) <= td.end + STAMP_TAIL;
            }
        }
        if debug_on() {
            let mut a = td.start.saturating_sub(60);
            while !page.text.is_char_boundary(a) {
                a += 1;
            }
            eprintln!(
                "T {} flags={:b} near={:.2} w={:.2} [{}]",
                td.date,
                flags,
                nearness(page, td.start),
                w,
                &page.text[a..td.end]
            );
        }
        let modified = lead.unwrap_or(flags & flag::MODIFIED != 0);
        let byline = flags & (flag::BYLINE | flag::PUBLISHED) != 0 || lead.is_some();
        ev.push(Evidence {
            date: td.date,
            kind: if byline { Kind::Byline } else { Kind::Text },
            weight: w.min(6.0),
            modified,
            utc_hour: None,
            stamp,
            in_prose,
            headline: in_headline,
        });
    }
}

/// Whether a date is far into its text node, or has prose on both sides of it
/// there: a day a sentence of the story talks about.
fn in_running_text(page: &Page, td: &parse::TextDate) -> bool {
    let piece = page.piece_start(td.start);
    let end = page.piece_end(td.start);
    let before = &page.text[piece..td.start];
    let words = before.split_whitespace().count();
    let tail = &page.text[td.end.min(end)..end];
    td.start - piece > 40
        // The sentence goes on after the date: with enough words before it,
        // or with words before that only a sentence has ("Speaking on", "Since
        // the", "The"), where a date line has a place, a name or a weekday.
        || (end >= td.end + PROSE_TAIL && (words >= PROSE_WORDS || sentence_words(before)))
        // A sentence that ends right after its date ("But he went back on 5
        // May 2003."), as a short paragraph or a photo caption: a date line
        // is not written as a sentence with a full stop.
        || (words >= PROSE_WORDS && sentence_words(before) && ends_sentence(tail))
}

/// Words that open a noun phrase, lowercase: before a date ("The 15
/// September report", "since the 11 September"), the date is part of a
/// sentence.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "their", "his", "her", "its", "our",
    "your", "my",
];

/// Whether the date at `start..end` of a headline (or title) is inside its
/// sentence: words before it, and the headline runs on after it ("We answer on
/// March 17 2003 a backlog"), up to the site name after a separator or an
/// aside after a comma. A headline that is a label and a date, or ends on its
/// date ("Council minutes 17 March 2003"), or whose subject is the dated event
/// ("The 13 February 2003 concert, twenty years on") keeps its weight: where
/// the page states that day elsewhere too, it may be that day's report (alone,
/// a headline dates nothing: see [`decide`]).
fn within_headline(text: &str, start: usize, end: usize) -> bool {
    let after = &text[end..];
    let after = after
        .find(['|', '–', '—', ':', '(', '[', ','])
        .or_else(|| after.find(" - "))
        .map_or(after, |i| &after[..i]);
    let words = |s: &str| {
        s.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count()
    };
    words(&text[..start]) >= 1 && words(after) >= HEADLINE_TAIL_WORDS
}

/// Whether `before` (the words of a text piece before a date) has words of a
/// sentence: a word in lowercase (a verb, a preposition: "answer on"), or a
/// determiner, which names the date as a thing of the story. Date lines have
/// capitalised places, names and weekdays ("PORTHAVEN,", "Monday,").
fn sentence_words(before: &str) -> bool {
    before.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.starts_with(|c: char| c.is_lowercase())
            || DETERMINERS.iter().any(|d| w.eq_ignore_ascii_case(d))
    })
}

/// Whether the rest of a text piece after a date is the end of a sentence:
/// a few words at most and a full stop, question or exclamation mark.
fn ends_sentence(tail: &str) -> bool {
    let tail = tail.trim_end();
    tail.len() < PROSE_TAIL && tail.ends_with(['.', '!', '?'])
}

#[derive(Debug, Default, Clone)]
struct Tally {
    /// Best weight per kind of evidence (published, modified).
    published: [f32; N_KINDS],
    modified: [f32; N_KINDS],
}

/// Machine evidence (JSON-LD, meta, microdata) usually comes from one field of
/// the publishing system, and visible evidence (time, title, byline, text) from
/// one template: within each group, agreement adds little.
fn group_score(w: &[f32; N_KINDS]) -> f32 {
    let part = |s: &[f32]| {
        let max = s.iter().copied().fold(0.0, f32::max);
        max + 0.25 * (s.iter().sum::<f32>() - max)
    };
    // Indexes follow KINDS: machine kinds, then time, url, title, byline, text.
    let url = Kind::Url as usize;
    let visible = [w[url - 1], w[url + 1], w[url + 2], w[url + 3]];
    part(&w[..MACHINE]) + w[url] + part(&visible)
}

impl Tally {
    fn published_score(&self) -> f32 {
        group_score(&self.published)
    }
    fn modified_score(&self) -> f32 {
        group_score(&self.modified)
    }
    fn best_kind(&self, modified: bool) -> Kind {
        let arr = if modified {
            &self.modified
        } else {
            &self.published
        };
        let i = (0..N_KINDS)
            .max_by(|&a, &b| arr[a].total_cmp(&arr[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        KINDS[i]
    }
}

/// Kinds of evidence, in the order of [`Kind`].
const N_KINDS: usize = 9;

/// The first kinds, `..MACHINE`, are machine fields (not shown to readers).
const MACHINE: usize = Kind::Time as usize;

const KINDS: [Kind; N_KINDS] = [
    Kind::JsonLd,
    Kind::Meta,
    Kind::Microdata,
    Kind::Script,
    Kind::Time,
    Kind::Url,
    Kind::Title,
    Kind::Byline,
    Kind::Text,
];

fn decide(mut ev: Vec<Evidence>, today: NaiveDate) -> Option<FoundDate> {
    ev.retain(|e| e.date <= today && e.date.year() >= 1900);
    // A day that only the headline names (and a title repeating it) is what
    // the headline is about, not a stamp the page puts on itself: minutes
    // headed "Harbour board minutes 9 April 2016" come out after the meeting,
    // and "Released 1 March 2002" tells of a release. A page's own day stands
    // beside its headline, in its address or in its metadata; without any of
    // those it is undated rather than guessed. (None of the 800 dates-dev pages
    // is dated by its headline alone.)
    let stated: Vec<NaiveDate> = ev.iter().filter(|e| !e.headline).map(|e| e.date).collect();
    ev.retain(|e| !e.headline || stated.contains(&e.date));
    if ev.is_empty() {
        return None;
    }
    // A UTC timestamp near midnight may name the day after (or before) the
    // publisher's local day: when visible evidence names that neighbouring day
    // and none names the written one, the timestamp supports the neighbour.
    let visible = |d: NaiveDate, ev: &[Evidence]| -> f32 {
        ev.iter()
            .filter(|e| e.date == d && e.kind.is_visible() && e.utc_hour.is_none() && !e.modified)
            .map(|e| e.weight)
            .sum()
    };
    let moves: Vec<(usize, NaiveDate)> = ev
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let h = e.utc_hour?;
            let n = if h < 10 {
                e.date - Duration::days(1)
            } else if h >= 14 {
                e.date + Duration::days(1)
            } else {
                return None;
            };
            (visible(n, &ev) >= 2.0 && visible(e.date, &ev) < visible(n, &ev) * 0.5)
                .then_some((i, n))
        })
        .collect();
    for (i, n) in moves {
        ev[i].date = n;
    }

    if debug_on() {
        for e in &ev {
            eprintln!(
                "  {} {:?} w={:.2} mod={} utc={:?}",
                e.date, e.kind, e.weight, e.modified, e.utc_hour
            );
        }
    }
    let mut days: Vec<(NaiveDate, Tally)> = Vec::new();
    for e in &ev {
        let i = match days.iter().position(|(d, _)| *d == e.date) {
            Some(i) => i,
            None => {
                days.push((e.date, Tally::default()));
                days.len() - 1
            }
        };
        let k = e.kind as usize;
        let slot = if e.modified {
            &mut days[i].1.modified[k]
        } else {
            &mut days[i].1.published[k]
        };
        *slot = slot.max(e.weight);
    }
    // A visible date that the page's own metadata calls the modification date is
    // the update line, unless something else says it was published then.
    let structured_modified: Vec<NaiveDate> = ev
        .iter()
        .filter(|e| e.modified && !e.kind.is_visible())
        .map(|e| e.date)
        .collect();
    let mut scored: Vec<(NaiveDate, f32, Kind, bool)> = days
        .iter()
        .map(|(d, t)| {
            let mut s = t.published_score();
            let strong = t.published[..MACHINE].iter().any(|&w| w >= 5.0);
            if structured_modified.contains(d) && !strong {
                s *= 0.4;
            }
            if d.year() < MIN_YEAR && s < OLD_DATE_SCORE {
                s = 0.0;
            }
            (*d, s, t.best_kind(false), false)
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    if debug_on() {
        for (d, sc, k, _) in scored.iter().take(4) {
            eprintln!("S {d} {sc:.2} {k:?}");
        }
    }
    // The day in the URL was set when the story first went out: a later day
    // elsewhere on the page is a republication or an update.
    let url_day = ev
        .iter()
        .filter(|e| e.kind == Kind::Url && e.weight >= 6.0)
        .map(|e| e.date)
        .next();
    if let Some(du) = url_day
        && scored[0].0 > du + Duration::days(1)
        && let Some(i) = scored.iter().position(|s| s.0 == du)
    {
        let entry = scored.remove(i);
        scored.insert(0, (entry.0, entry.1.max(MIN_SCORE), Kind::Url, false));
    }
    if let Some(found) = shown_update(&days, scored[0].0) {
        return Some(found);
    }
    let (date, score, kind, _) = scored[0];
    let best_modified = days
        .iter()
        .map(|(_, t)| t.modified_score())
        .fold(0.0, f32::max);
    // Update dates readers see (not machine fields, which every page has).
    let best_visible_modified = days
        .iter()
        .map(|(_, t)| shown_modified_score(t))
        .fold(0.0, f32::max);
    // A weak publication date (a date somewhere in the text) does not beat an
    // update date stated plainly in the article header.
    // A page that names a single day, outside its furniture, names its own day.
    // Update dates in the furniture (a footer's "last change") are as weak as
    // the other furniture dates left aside here.
    let lone =
        scored.iter().filter(|s| s.1 >= NAMED_SCORE).count() == 1 && best_modified < NAMED_SCORE;
    let min_score = if !lone {
        MIN_SCORE
    } else if ev.iter().any(|e| e.stamp && e.date == date) {
        LONE_STAMP_SCORE
    } else {
        LONE_MIN_SCORE
    };
    if score >= min_score && score >= best_visible_modified * 0.6 {
        let second = scored.get(1).map_or(0.0, |s| s.1);
        let margin = (score - second) / score;
        let confidence = ((score / 16.0).min(1.0) * (0.5 + 0.5 * margin)).clamp(0.05, 0.99);
        return Some(FoundDate {
            date,
            source: kind.source(),
            confidence,
        });
    }
    // No publication date: an update date stated plainly is still the best day
    // the page gives for itself (a byline date in an element named "updated",
    // a "Letzte Änderung:" line below the story).
    let (date, t) = days
        .iter()
        .filter(|(d, _)| d.year() >= MIN_YEAR)
        .max_by(|a, b| a.1.modified_score().total_cmp(&b.1.modified_score()))?;
    let score = t.modified_score();
    // A modification field of the metadata that readers never see is the
    // weakest of these: publishing systems write one on every page they serve,
    // service pages and evergreen guides with no day of publication as well
    // (on wcxb-dev's articles 4 of 17 such dates are right, on dates-dev the
    // few there are).
    let confidence = if shown_modified_score(t) >= UPDATE_ONLY_SCORE {
        (score / 24.0).clamp(0.05, 0.5)
    } else {
        MACHINE_UPDATE_ONLY_CONFIDENCE
    };
    (score >= UPDATE_ONLY_SCORE).then(|| FoundDate {
        date: *date,
        source: t.best_kind(true).source(),
        confidence,
    })
}

/// Score of the update dates of a day that readers see (the machine fields
/// left aside).
fn shown_modified_score(t: &Tally) -> f32 {
    let mut visible = t.modified;
    visible[..MACHINE].fill(0.0);
    group_score(&visible)
}

/// Best weight of visible evidence (published or modified) for a day, the URL
/// left aside.
fn shown_weight(t: &Tally) -> f32 {
    (MACHINE..N_KINDS)
        .filter(|&k| KINDS[k] != Kind::Url)
        .map(|k| t.published[k].max(t.modified[k]))
        .fold(0.0, f32::max)
}

/// Visible weight from which a later day shown in the header, that the
/// metadata calls the modification day, beats a hidden publication day.
const SHOWN_MODIFIED_WEIGHT: f32 = 3.0;
/// Visible weight from which a later day shown in the header beats a hidden
/// publication day without support from the metadata.
const SHOWN_WEIGHT: f32 = 6.0;

/// A page whose header shows its readers only a later day (plainly, or a day
/// its own metadata calls the modification day), while the machine
/// publication day `top` appears nowhere visible nor in the URL, is dated by
/// the day it shows: the hidden field is often a first draft or an old import.
fn shown_update(days: &[(NaiveDate, Tally)], top: NaiveDate) -> Option<FoundDate> {
    let (_, t) = days.iter().find(|(d, _)| *d == top)?;
    let in_url = t.published[Kind::Url as usize] >= 6.0;
    if shown_weight(t) >= 1.0 || in_url || t.published[..MACHINE].iter().all(|&w| w == 0.0) {
        return None;
    }
    let (date, t, w) = days
        .iter()
        .filter(|(d, _)| *d > top)
        .map(|(d, t)| (*d, t, shown_weight(t)))
        .filter(|(_, t, w)| {
            *w >= SHOWN_WEIGHT
                || (*w >= SHOWN_MODIFIED_WEIGHT && t.modified[..MACHINE].iter().any(|&m| m > 0.0))
        })
        .max_by(|a, b| a.2.total_cmp(&b.2))?;
    let kind = (MACHINE..N_KINDS)
        .filter(|&k| KINDS[k] != Kind::Url)
        .max_by(|&a, &b| {
            let wa = t.published[a].max(t.modified[a]);
            let wb = t.published[b].max(t.modified[b]);
            wa.total_cmp(&wb)
        })
        .map_or(Kind::Byline, |k| KINDS[k]);
    Some(FoundDate {
        date,
        source: kind.source(),
        confidence: (w / 16.0).clamp(0.05, 0.6),
    })
}

/// The first full date written in `text` ("January 17, 2018", "17. Januar 2018",
/// "2018-01-17", "17.01.2018"), with its byte offset; numeric dates with slashes
/// are read month first only when they cannot be read day first.
pub fn find_text_date(text: &str) -> Option<(NaiveDate, usize)> {
    scan(text, NumOrder::MonthFirst)
        .first()
        .map(|t| (t.date, t.start))
}

/// Parse a machine date string (the day as written).
pub fn parse_date_string(s: &str) -> Option<NaiveDate> {
    parse_machine(s, NumOrder::Unknown).map(|m| m.date)
}

#[cfg(test)]
mod tests;
