//! Month names of the languages most used on the web, read from CLDR (ICU4X's
//! compiled data) once, at first use, into a table keyed by the lowercase
//! name: the format and stand-alone forms, wide and abbreviated (the genitive
//! "lipca", "июля" is the format form), and every word of a long date of the
//! locale that holds its month's name (Hebrew writes "3 ביולי 2020", the name
//! with a preposition joined to it).
//!
//! Several languages share a spelling for different months (Croatian
//! "listopada" is October, Polish "listopada" November), and short names are
//! ordinary words elsewhere. The page's language settles the first; without a
//! language, a name is read only when every language that has it means the
//! same month and it is long enough not to be a common short word.

use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_datetime::fieldsets::enums::DateFieldSet;
use icu_datetime::pattern::{DateTimePattern, FixedCalendarDateTimeNames, MonthNameLength};
use icu_locale_core::Locale;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;
use writeable::TryWriteable;

/// The locales read, by their language: the thirty-odd languages most used
/// on the web, and the regional Arabic forms whose month names differ from
/// the standard's (the Levant's "تموز" for July, the Maghreb's "جويلية").
const LOCALES: &[&str] = &[
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "ja", "zh", "ko", "ar",
    "ar-SY", "ar-IQ", "ar-DZ", "ar-MA", "fa", "he", "vi", "id", "ms", "cs", "sk", "ro", "hu", "sv",
    "da", "nb", "nn", "fi", "el", "bg", "hr", "sr", "sr-Latn", "bs", "sl", "lt", "lv", "et", "ca",
    "hi", "th", "sq", "mk", "gl", "eu", "tl",
];

/// A language of [`LOCALES`]: an index into [`LANGS`].
pub type Lang = u8;

/// The languages of [`LOCALES`] (their primary subtag), in first-seen order.
fn langs() -> &'static [&'static str] {
    static LANGS: OnceLock<Vec<&'static str>> = OnceLock::new();
    LANGS.get_or_init(|| {
        let mut v: Vec<&'static str> = Vec::new();
        for l in LOCALES {
            let primary = primary(l);
            if !v.contains(&primary) {
                v.push(primary);
            }
        }
        v
    })
}

fn primary(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or(tag)
}

/// The language of a page's language tag ("pt-BR", "sr_Latn", "HE"), when it
/// is one of those read. Norwegian ("no") is read as Bokmål.
pub fn lang_of(tag: &str) -> Option<Lang> {
    let p = primary(tag.trim()).to_ascii_lowercase();
    let p = if p == "no" { "nb".to_string() } else { p };
    langs().iter().position(|l| *l == p).map(|i| i as Lang)
}

/// Months a name may mean: `(language, month)` for every language that has it.
type Entries = Vec<(Lang, u8)>;

fn table() -> &'static FxHashMap<String, Entries> {
    static TABLE: OnceLock<FxHashMap<String, Entries>> = OnceLock::new();
    TABLE.get_or_init(build_table)
}

fn build_table() -> FxHashMap<String, Entries> {
    let mut t: FxHashMap<String, Entries> = FxHashMap::default();
    for tag in LOCALES {
        let Ok(locale) = tag.parse::<Locale>() else {
            continue;
        };
        let Some(lang) = lang_of(tag) else {
            continue;
        };
        for (month, name) in locale_names(&locale) {
            let key = fold(&name);
            if key.chars().count() < 2 || key.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            let e = t.entry(key).or_default();
            if !e.contains(&(lang, month)) {
                e.push((lang, month));
            }
        }
    }
    t
}

/// Lowercase, without the abbreviation's dot.
fn fold(name: &str) -> String {
    name.trim().trim_end_matches('.').to_lowercase()
}

/// Every month name of a locale in the Gregorian calendar, with its month.
fn locale_names(locale: &Locale) -> Vec<(u8, String)> {
    let mut out = Vec::new();
    let lengths = [
        (MonthNameLength::Wide, "MMMM"),
        (MonthNameLength::Abbreviated, "MMM"),
        (MonthNameLength::StandaloneWide, "LLLL"),
        (MonthNameLength::StandaloneAbbreviated, "LLL"),
    ];
    let mut wide: Vec<(u8, String)> = Vec::new();
    for (length, pattern) in lengths {
        let Ok(mut names) =
            FixedCalendarDateTimeNames::<Gregorian, DateFieldSet>::try_new(locale.into())
        else {
            continue;
        };
        if names.include_month_names(length).is_err() {
            continue;
        }
        let Ok(pattern) = pattern.parse::<DateTimePattern>() else {
            continue;
        };
        let formatter = names.with_pattern_unchecked(&pattern);
        for month in 1..=12u8 {
            let Ok(date) = Date::try_new_gregorian(2020, month, 15) else {
                continue;
            };
            let formatted = formatter.format(&date);
            let Ok(name) = formatted.try_write_to_string().map(|n| n.into_owned()) else {
                continue;
            };
            // Multi-word names ("كانون الثاني") are read word by word by the
            // scanner: the table holds the whole name, looked up from its
            // first word with the next (see `month_of_pair`).
            wide.push((month, name.clone()));
            out.push((month, name));
        }
    }
    // The words of a long date that hold the month's name ("ביולי").
    if let Ok(f) =
        FixedCalendarDateTimeFormatter::<Gregorian, YMD>::try_new(locale.into(), YMD::long())
    {
        for month in 1..=12u8 {
            let Ok(date) = Date::try_new_gregorian(2020, month, 15) else {
                continue;
            };
            let long = f.format(&date).to_string();
            for word in long.split(|c: char| !c.is_alphabetic()) {
                let lw = word.to_lowercase();
                let holds = wide.iter().any(|(m, n)| {
                    *m == month
                        && n.chars().count() >= 3
                        && lw != n.to_lowercase()
                        && lw.contains(&n.to_lowercase())
                });
                if holds {
                    out.push((month, word.to_string()));
                }
            }
        }
    }
    out
}

/// Shortest name (in characters) read without a page language: shorter ones
/// ("mar", "mai", "dec") are ordinary words in some language.
const MIN_UNTAGGED_CHARS: usize = 4;

/// The month a lowercase name means on a page in `lang`: that language's
/// month when it has the name; otherwise the month every language having it
/// agrees on, if the name is long enough to read without a language.
pub fn month_in(lower: &str, lang: Option<Lang>) -> Option<u32> {
    let entries = table().get(lower)?;
    if let Some(l) = lang
        && let Some(&(_, m)) = entries.iter().find(|(el, _)| *el == l)
    {
        return Some(u32::from(m));
    }
    let m = entries[0].1;
    (entries.iter().all(|&(_, em)| em == m) && lower.chars().count() >= MIN_UNTAGGED_CHARS)
        .then_some(u32::from(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(name: &str, lang: Option<&str>) -> Option<u32> {
        month_in(&fold(name), lang.and_then(lang_of))
    }

    /// The names come from CLDR in their forms: format and stand-alone,
    /// wide and abbreviated, and as a long date writes them.
    #[test]
    fn names_of_each_form() {
        assert_eq!(month("lipca", Some("pl")), Some(7));
        assert_eq!(month("lipiec", Some("pl")), Some(7));
        assert_eq!(month("июль", Some("ru")), Some(7));
        assert_eq!(month("июля", Some("ru")), Some(7));
        assert_eq!(month("Sept.", Some("de")), Some(9));
        assert_eq!(month("ביולי", Some("he")), Some(7));
        assert_eq!(month("كانون الثاني", Some("ar")), Some(1));
        assert_eq!(month("七月", Some("zh")), Some(7));
    }

    #[test]
    fn the_page_language_settles_a_shared_name() {
        assert_eq!(month("listopada", Some("hr")), Some(10));
        assert_eq!(month("listopada", Some("pl")), Some(11));
        assert_eq!(month("listopada", None), None);
        // Agreeing languages need no page language; short names do.
        assert_eq!(month("heinäkuuta", None), Some(7));
        assert_eq!(month("mai", None), None);
        assert_eq!(month("mai", Some("fr")), Some(5));
    }

    #[test]
    fn language_tags() {
        assert_eq!(lang_of("pt-BR"), lang_of("pt"));
        assert_eq!(lang_of("sr_Latn"), lang_of("sr"));
        assert_eq!(lang_of("no"), lang_of("nb"));
        assert!(lang_of("HE").is_some());
        assert_eq!(lang_of("xx"), None);
    }
}
