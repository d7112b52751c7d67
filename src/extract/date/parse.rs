//! Reading dates: machine strings (ISO 8601, RFC 2822, compact digits) and dates
//! written for people in English, German, French, Italian and Spanish, with the
//! day/month order of numeric dates taken from the page language.

use super::names::{self, Lang};
use chrono::{NaiveDate, Timelike};

/// Order of day and month in numeric dates such as `05/09/2013`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumOrder {
    /// Day first (most of the world, and always for `17.01.2018`).
    DayFirst,
    /// Month first (US English).
    MonthFirst,
    /// Unknown: an ambiguous numeric date (both parts 12 or less, and different)
    /// is not read at all.
    Unknown,
}

impl NumOrder {
    /// The order used by a page in language `lang` (`en-US`, `de`, `fr_FR`, ...).
    pub fn for_lang(lang: Option<&str>) -> NumOrder {
        let Some(lang) = lang else {
            return NumOrder::Unknown;
        };
        let l = lang.trim().to_ascii_lowercase().replace('_', "-");
        if l.is_empty() {
            NumOrder::Unknown
        } else if l == "en" || l.starts_with("en-us") {
            NumOrder::MonthFirst
        } else {
            NumOrder::DayFirst
        }
    }
}

/// How a page writes its dates: the order of its numeric dates and the
/// language whose month names it uses (see [`names`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub order: NumOrder,
    pub lang: Option<Lang>,
}

impl Reading {
    /// The reading of a page in language `tag` (`en-US`, `he`, `pt_BR`, ...).
    pub fn for_lang(tag: Option<&str>) -> Reading {
        Reading {
            order: NumOrder::for_lang(tag),
            lang: tag.and_then(names::lang_of),
        }
    }
}

impl From<NumOrder> for Reading {
    fn from(order: NumOrder) -> Reading {
        Reading { order, lang: None }
    }
}

/// A date read from a machine string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MachineDate {
    pub date: NaiveDate,
    /// The UTC hour when the string gives a time at offset zero (`Z`, `+00:00`):
    /// then the written day may differ from the publisher's local day.
    pub utc_hour: Option<u32>,
}

fn digits_at(b: &[u8], i: usize, n: usize) -> Option<u32> {
    let s = b.get(i..i + n)?;
    s.iter()
        .all(u8::is_ascii_digit)
        .then(|| s.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0')))
}

/// Parse a machine date string: ISO 8601 / RFC 3339 (the day as written, which
/// is the publisher's local day when an offset is given), `YYYYMMDD`, RFC 2822,
/// or failing those a date written in words.
pub fn parse_machine(s: &str, order: NumOrder) -> Option<MachineDate> {
    let s = s.trim();
    let b = s.as_bytes();
    // YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD
    if let (Some(y), Some(m), Some(d)) =
        (digits_at(b, 0, 4), digits_at(b, 5, 2), digits_at(b, 8, 2))
        && matches!(b[4], b'-' | b'/' | b'.')
        && b[7] == b[4]
        && !b.get(10).is_some_and(u8::is_ascii_digit)
    {
        let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
        return Some(MachineDate {
            date,
            utc_hour: utc_hour(&s[10..]),
        });
    }
    // YYYYMMDD, optionally followed by a time
    if let (Some(y), Some(m), Some(d)) =
        (digits_at(b, 0, 4), digits_at(b, 4, 2), digits_at(b, 6, 2))
        && !b.get(8).is_some_and(u8::is_ascii_digit)
        && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
    {
        return Some(MachineDate {
            date,
            utc_hour: None,
        });
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(s) {
        let utc = (dt.offset().local_minus_utc() == 0).then(|| dt.hour());
        return Some(MachineDate {
            date: dt.date_naive(),
            utc_hour: utc,
        });
    }
    let found = scan(s, order).into_iter().next()?;
    Some(MachineDate {
        date: found.date,
        utc_hour: None,
    })
}

/// The hour of a time part such as `T02:10:00Z` or ` 02:10+00:00` when its offset
/// is zero; `None` for local times and times with a non-zero offset.
fn utc_hour(rest: &str) -> Option<u32> {
    let b = rest.as_bytes();
    if !matches!(b.first(), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = digits_at(b, 1, 2)?;
    if b.get(3) != Some(&b':') {
        return None;
    }
    let tail = rest[3..].trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == '.');
    let zero = matches!(
        tail.trim(),
        "Z" | "z" | "+00:00" | "-00:00" | "+0000" | "+00" | "UTC" | " UTC" | "GMT"
    );
    (zero && hour < 24).then_some(hour)
}

/// A date found in running text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextDate {
    pub date: NaiveDate,
    /// Byte range of the date in the text.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// Digits: value and number of digits.
    Num(u32, u8),
    /// A run of letters.
    Word,
    /// Any other single character (not whitespace).
    Sym(char),
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
    /// Whitespace right before this token.
    space: bool,
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len() / 4);
    tokenize_into(text, &mut out);
    out
}

/// [`tokenize`] into `out` (cleared first): a scan reuses one buffer for all
/// its windows instead of allocating one per window.
fn tokenize_into(text: &str, out: &mut Vec<Tok>) {
    out.clear();
    let b = text.as_bytes();
    let mut i = 0;
    let mut space = true;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let st = i;
            let mut v: u32 = 0;
            while i < b.len() && b[i].is_ascii_digit() {
                v = v.saturating_mul(10).saturating_add(u32::from(b[i] - b'0'));
                i += 1;
            }
            let n = (i - st).min(255) as u8;
            out.push(Tok {
                kind: Kind::Num(v, n),
                start: st,
                end: i,
                space,
            });
            space = false;
        } else if c.is_ascii_whitespace() {
            space = true;
            i += 1;
        } else if c.is_ascii_alphabetic() || c >= 0x80 {
            // A word: letters, including non-ASCII ones; non-letter non-ASCII
            // characters (dashes, no-break spaces) are handled one by one.
            let st = i;
            let mut j = i;
            // ASCII letters byte by byte; decode only from the first non-ASCII byte.
            while j < b.len() && b[j].is_ascii_alphabetic() {
                j += 1;
            }
            if j < b.len() && b[j] >= 0x80 {
                for ch in text[j..].chars() {
                    if ch.is_alphabetic() {
                        j += ch.len_utf8();
                    } else {
                        break;
                    }
                }
            }
            if j > st {
                out.push(Tok {
                    kind: Kind::Word,
                    start: st,
                    end: j,
                    space,
                });
                space = false;
                i = j;
            } else {
                let ch = text[i..].chars().next().unwrap_or(' ');
                let len = ch.len_utf8();
                if ch.is_whitespace() {
                    space = true;
                } else {
                    out.push(Tok {
                        kind: Kind::Sym(ch),
                        start: i,
                        end: i + len,
                        space,
                    });
                    space = false;
                }
                i += len;
            }
        } else {
            out.push(Tok {
                kind: Kind::Sym(c as char),
                start: i,
                end: i + 1,
                space,
            });
            space = false;
            i += 1;
        }
    }
}

/// Month names and abbreviations (lowercase) in the languages read.
const MONTH_NAMES: &[(&str, u32)] = &[
    // English
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
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // German
    ("januar", 1),
    ("jänner", 1),
    ("jaenner", 1),
    ("februar", 2),
    ("feber", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mrz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("okt", 10),
    ("dezember", 12),
    ("dez", 12),
    // French
    ("janvier", 1),
    ("janv", 1),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fév", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("marzo", 3),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("agosto", 8),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    // Polish (genitive: "15 marca 2020")
    ("stycznia", 1),
    ("lutego", 2),
    ("marca", 3),
    ("kwietnia", 4),
    ("maja", 5),
    ("czerwca", 6),
    ("lipca", 7),
    ("sierpnia", 8),
    ("września", 9),
    ("października", 10),
    ("listopada", 11),
    ("grudnia", 12),
    // Russian (genitive: "15 августа 2016")
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    // Ukrainian (genitive)
    ("січня", 1),
    ("лютого", 2),
    ("березня", 3),
    ("квітня", 4),
    ("травня", 5),
    ("червня", 6),
    ("липня", 7),
    ("серпня", 8),
    ("вересня", 9),
    ("жовтня", 10),
    ("листопада", 11),
    ("грудня", 12),
];

/// Lowercase `w` into `buf` without allocating; `None` when too long.
fn lower_into<'b>(w: &str, buf: &'b mut [u8; NAME_BUF]) -> Option<&'b str> {
    let mut n = 0;
    for ch in w.chars() {
        for lc in ch.to_lowercase() {
            let len = lc.len_utf8();
            if n + len > buf.len() {
                return None;
            }
            lc.encode_utf8(&mut buf[n..n + len]);
            n += len;
        }
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// Slots of [`MONTH_TABLE`]: a power of two, about four times the names, so
/// that a probe nearly always ends at its first or second slot.
const MONTH_SLOTS: usize = 512;

/// Slot of a lowercase name of at least three bytes, from its length and its
/// first, second and last bytes (which tell the names apart well enough).
const fn month_slot(w: &[u8]) -> usize {
    let n = w.len();
    (n * 97 + w[0] as usize * 31 + w[1] as usize * 7 + w[n - 1] as usize * 3) % MONTH_SLOTS
}

/// Open-addressing table of [`MONTH_NAMES`] (index + 1, 0 for an empty slot),
/// built at compile time. Every word of every digit window that may open a
/// date is looked up: a comparison against each of the ~140 names in turn cost
/// more than the rest of the date scan's parsing.
const MONTH_TABLE: [u8; MONTH_SLOTS] = {
    assert!(MONTH_NAMES.len() < 256 && MONTH_NAMES.len() * 3 < MONTH_SLOTS);
    let mut t = [0u8; MONTH_SLOTS];
    let mut k = 0;
    while k < MONTH_NAMES.len() {
        let mut at = month_slot(MONTH_NAMES[k].0.as_bytes());
        while t[at] != 0 {
            at = (at + 1) % MONTH_SLOTS;
        }
        t[at] = (k + 1) as u8;
        k += 1;
    }
    t
};

/// The month of a lowercase word, as the first equal entry of [`MONTH_NAMES`]
/// (names that repeat, as "marzo", come first in list order in their probe
/// sequence, since they were inserted in that order).
fn month_of_lower(lw: &[u8]) -> Option<u32> {
    // No name is shorter than three bytes (a lowercased word may be).
    if lw.len() < 3 {
        return None;
    }
    let mut at = month_slot(lw);
    loop {
        let k = MONTH_TABLE[at];
        if k == 0 {
            return None;
        }
        let (name, m) = MONTH_NAMES[usize::from(k) - 1];
        if name.as_bytes() == lw {
            return Some(m);
        }
        at = (at + 1) % MONTH_SLOTS;
    }
}

/// Bytes of the longest month name looked up, lowercase (Thai and Hindi
/// names take three bytes a letter).
const NAME_BUF: usize = 64;

/// The month a word names, in any of the languages read, without knowing the
/// page's language (`month_of_in` with no language).
pub fn month_of(word: &str) -> Option<u32> {
    month_of_in(word, None)
}

/// The month a word names on a page in `lang`: the language's own names (from
/// CLDR, see [`names`]) come first, so that a name another language gives to
/// another month ("listopada") is read as the page means it; then the names
/// read before CLDR's (spelling variants: "maerz", "fevrier", "sept"); then
/// CLDR's names of any language, where they are unambiguous.
pub fn month_of_in(word: &str, lang: Option<Lang>) -> Option<u32> {
    let w = word.trim_end_matches('.');
    // CJK names are two characters ("7月" is four bytes).
    if w.len() < 3 || w.len() > NAME_BUF {
        return None;
    }
    let mut buf = [0u8; NAME_BUF];
    let lw: &[u8] = if w.is_ascii() {
        // ASCII lowercase is the Unicode lowercase of ASCII letters; no UTF-8
        // to decode or encode.
        let b = &mut buf[..w.len()];
        b.copy_from_slice(w.as_bytes());
        b.make_ascii_lowercase();
        b
    } else {
        lower_into(w, &mut buf)?.as_bytes()
    };
    let lower = std::str::from_utf8(lw).ok()?;
    if lang.is_some()
        && let Some(m) = names::month_in(lower, lang)
    {
        return Some(m);
    }
    month_of_lower(lw).or_else(|| names::month_in(lower, None))
}

/// Whether `w` is an ordinal suffix ("st", "TH", "er", "º"), compared without
/// case in place (not through an allocated lowercase copy).
fn is_ordinal_suffix(w: &str) -> bool {
    ["st", "nd", "rd", "th", "er", "e", "o", "º"]
        .iter()
        .any(|s| w.eq_ignore_ascii_case(s))
}

fn year_of(v: u32, digits: u8) -> Option<i32> {
    (digits == 4 && (1900..=2100).contains(&v)).then_some(v as i32)
}

/// All dates written in `text`, in order: ISO `2018-01-17`, numeric `17.01.2018`,
/// `17.01.18`, `17/01/2018` (day/month order from `order`), and dates with month
/// names: `January 17, 2018`, `Jan. 17th 2018`, `17 January 2018`,
/// `17. Januar 2018`, `1er janvier 2018`, `17 de enero de 2018`.
pub fn scan(text: &str, reading: impl Into<Reading>) -> Vec<TextDate> {
    let reading = reading.into();
    if let Some((ascii, map)) = native_digits_to_ascii(text) {
        // Dates found in the copy, placed back at the text's own offsets.
        let mut out = scan_ascii(&ascii, reading);
        for d in &mut out {
            d.start = map[d.start];
            d.end = map[d.end];
        }
        return out;
    }
    scan_ascii(text, reading)
}

fn scan_ascii(text: &str, reading: Reading) -> Vec<TextDate> {
    let mut out = Vec::new();
    let mut toks = Vec::new();
    for w in digit_windows(text) {
        debug_assert!(w.start <= w.from && w.from < w.to && w.to <= w.end);
        scan_window(&text[w.from..w.to], w.from, reading, &mut toks, &mut out);
    }
    out
}

/// The ASCII digit of a native decimal digit: Arabic-Indic (٠-٩), Persian
/// (۰-۹) and full-width (０-９), the digits of Arabic, Persian and CJK pages.
fn native_digit(c: char) -> Option<u8> {
    let base = match c {
        '\u{660}'..='\u{669}' => 0x660,
        '\u{6f0}'..='\u{6f9}' => 0x6f0,
        '\u{ff10}'..='\u{ff19}' => 0xff10,
        _ => return None,
    };
    Some(b'0' + (c as u32 - base) as u8)
}

/// A copy of `text` with native digits as ASCII digits, and for each byte of
/// the copy (and its end) the offset in `text` it came from; `None` when the
/// text has none (nearly always: one pass over its bytes for the lead bytes
/// of those digits).
fn native_digits_to_ascii(text: &str) -> Option<(String, Vec<usize>)> {
    let b = text.as_bytes();
    let lead = |i: usize| match b[i] {
        0xd9 => b.get(i + 1).is_some_and(|c| (0xa0..=0xa9).contains(c)),
        0xdb => b.get(i + 1).is_some_and(|c| (0xb0..=0xb9).contains(c)),
        0xef => {
            b.get(i + 1) == Some(&0xbc) && b.get(i + 2).is_some_and(|c| (0x90..=0x99).contains(c))
        }
        _ => false,
    };
    let first = memchr::memchr3_iter(0xd9, 0xdb, 0xef, b).find(|&i| lead(i))?;
    let mut ascii = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    ascii.push_str(&text[..first]);
    map.extend(0..first);
    for (i, c) in text[first..].char_indices() {
        let at = first + i;
        if let Some(d) = native_digit(c) {
            ascii.push(d as char);
            map.push(at);
        } else {
            ascii.push(c);
            map.extend(std::iter::repeat_n(at, c.len_utf8()));
        }
    }
    map.push(text.len());
    Some((ascii, map))
}

/// A window of text around digits (see [`digit_windows`]).
#[derive(Debug, Clone, Copy)]
struct DigitWindow {
    /// The whole window.
    start: usize,
    end: usize,
    /// A part of it that is tokenized (a window may have several).
    from: usize,
    to: usize,
}

/// Bytes kept on each side of the digits of a window: more than any date
/// spells out between or before its numbers ("17th of September, 2018").
const WINDOW_MARGIN: usize = 64;

/// The parts of `text` that can hold a date, as byte ranges in order: every
/// date has digits, so only text near digits is tokenized. Digits closer than
/// two margins share a window, and windows start right after and end right at
/// an ASCII whitespace byte, so every token in a window is the token a scan of
/// the whole text would see, with the same whitespace before it; a date lies in
/// one window, so the scan finds the same dates. Pages are mostly words, and
/// this skips most of them.
///
/// Each window is then cut to the parts of it that can matter (see
/// [`date_start`] and [`words_at_least`]): from the month name that may stand
/// before its first digits to the end of its last digits, in pieces where
/// too many words for one date stand between two runs of digits. Every date ends with digits (its year
/// or day), and no token after a window's last digits can open one or change
/// one found before (the only look past a date's end, for a chain of numbers,
/// wants more digits there). The windows themselves are still found as above,
/// so that the digits grouped together, and what each window can see, stay the
/// same.
fn digit_windows(text: &str) -> Vec<DigitWindow> {
    let b = text.as_bytes();
    let mut windows = Vec::new();
    let next_digit = |from: usize| next_digit(b, from);
    let mut from = 0;
    while let Some(first) = next_digit(from) {
        // Back to just after an ASCII whitespace byte (or the text start), not
        // before the previous window's end.
        let floor = first.saturating_sub(WINDOW_MARGIN).max(from);
        let start = b[from..floor]
            .iter()
            .rposition(u8::is_ascii_whitespace)
            .map_or(from, |p| from + p + 1);
        // Take in digits while they come within two margins of the last one.
        // The parts to tokenize: cut where words enough for no date to span
        // them stand between two runs of digits.
        let first_cut = windows.len();
        let mut cut_from = date_start(text, start, first);
        let mut last_end = first;
        loop {
            while last_end < b.len() && b[last_end].is_ascii_digit() {
                last_end += 1;
            }
            match next_digit(last_end) {
                Some(d) if d - last_end <= 2 * WINDOW_MARGIN => {
                    if words_at_least(&b[last_end..d], MAX_DATE_WORDS + 1) {
                        windows.push(DigitWindow {
                            start,
                            end: 0,
                            from: cut_from,
                            to: last_end,
                        });
                        cut_from = date_start(text, last_end, d);
                    }
                    last_end = d;
                }
                _ => break,
            }
        }
        windows.push(DigitWindow {
            start,
            end: 0,
            from: cut_from,
            to: last_end,
        });
        let reach = (last_end + WINDOW_MARGIN).min(b.len());
        let end = b[reach..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(b.len(), |p| reach + p);
        for w in &mut windows[first_cut..] {
            w.end = end;
        }
        from = end;
    }
    windows
}

/// Most words between two runs of digits of one date: in "17th of September
/// de 2018" the ordinal suffix, "of" or "de", the month, and "de" or "del"
/// (the other forms have fewer; numeric dates none).
const MAX_DATE_WORDS: usize = 4;

/// Whether `gap` (bytes right after a run of digits) holds at least `n` word
/// tokens, counted from below: a word is counted where an ASCII letter follows
/// an ASCII byte that is not a letter (or the digits before the gap), which
/// starts a word token each time; a word that starts with a non-ASCII letter
/// is not counted. Where it holds, no date spans the gap, and no date's look
/// back or ahead (two tokens) reaches across it: the parts of a window on
/// either side of it are tokenized apart, each from its own month name or
/// digits (see [`date_start`]) to the end of its digits.
fn words_at_least(gap: &[u8], n: usize) -> bool {
    let mut count = 0;
    let mut after_sep = true;
    for &c in gap {
        let letter = c.is_ascii_alphabetic();
        if letter && after_sep {
            count += 1;
            if count >= n {
                return true;
            }
        }
        after_sep = c < 0x80 && !letter;
    }
    false
}

/// Where the tokens that matter begin in a window that starts at `lo` and has
/// its first digit at `first`: at the month name before those digits ("Jan.
/// 17", "September\u{a0}5"), else at the digits. Earlier tokens of the window
/// neither open a date (a month name must be followed by its day, maybe after
/// a dot) nor are looked back at (a date's look back wants digits, and there
/// are none before `first`). The position returned starts a token of the
/// window's own tokenization (a whole word, or the digits), so the tokens from
/// there on are the window's.
fn date_start(text: &str, lo: usize, first: usize) -> usize {
    // Whitespace as the tokenizer sees it.
    let space = |c: char| {
        if c.is_ascii() {
            (c as u8).is_ascii_whitespace()
        } else {
            c.is_whitespace()
        }
    };
    let mut chars = text[lo..first].char_indices().rev().peekable();
    while chars.next_if(|&(_, c)| space(c)).is_some() {}
    chars.next_if(|&(_, c)| c == '.');
    let mut word = None;
    while let Some((i, _)) = chars.next_if(|&(_, c)| c.is_alphabetic()) {
        word = Some(lo + i);
    }
    word.unwrap_or(first)
}

/// Index of the first ASCII digit at or after `from`. Skips 32 bytes at a time
/// without an early exit inside the block, which the compiler turns into
/// vector compares: most of a page has no digits. Within the block that has
/// one, and near the end, 8 bytes at a time: the first digit's place is read
/// from a mask of the digit bytes, not found byte by byte.
fn next_digit(b: &[u8], from: usize) -> Option<usize> {
    const BLOCK: usize = 32;
    let mut i = from;
    while i + BLOCK <= b.len() {
        let block = &b[i..i + BLOCK];
        if block.iter().fold(false, |any, &c| any | c.is_ascii_digit()) {
            break;
        }
        i += BLOCK;
    }
    while i + 8 <= b.len() {
        let w = u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        let digits = digit_mask(w);
        if digits != 0 {
            return Some(i + (digits.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..].iter().position(u8::is_ascii_digit).map(|p| p + i)
}

/// The high bit of each byte of `w` that is an ASCII digit, exactly (no carry
/// crosses bytes: each byte's sum stays below 0x100).
fn digit_mask(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // '0'..='9' become 0..=9; the other bytes below 0x80 become 10 or more, or
    // keep their high bit.
    let x = w ^ (ONES * 0x30);
    // Bit 7 of (x & 0x7f) + 0x76 is set when the low seven bits are 10 or more.
    !(((x & !HIGH) + ONES * 0x76) | x) & HIGH
}

/// Dates in one window of a text that starts at byte `base` of it; `toks` is
/// scratch space for the window's tokens.
fn scan_window(
    text: &str,
    base: usize,
    reading: Reading,
    toks: &mut Vec<Tok>,
    out: &mut Vec<TextDate>,
) {
    tokenize_into(text, toks);
    let toks = &toks[..];
    let word = |t: &Tok| &text[t.start..t.end];
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        let found = match t.kind {
            Kind::Num(v, n) => numeric_at(toks, i, v, n, reading.order)
                .or_else(|| day_month_year_at(text, toks, i, v, n, reading.lang))
                .or_else(|| cjk_at(text, toks, i, v, n))
                .or_else(|| year_dot_month_day_at(text, toks, i, v, n, reading.lang)),
            // A month name is followed by a day, maybe after a dot.
            Kind::Word
                if matches!(toks.get(i + 1).map(|n| n.kind), Some(Kind::Num(..)))
                    || matches!(
                        (
                            toks.get(i + 1).map(|n| n.kind),
                            toks.get(i + 2).map(|n| n.kind)
                        ),
                        (Some(Kind::Sym('.')), Some(Kind::Num(..)))
                    ) =>
            {
                month_day_year_at(text, toks, i, word(&t), reading.lang)
            }
            Kind::Word => None,
            Kind::Sym(_) => None,
        };
        if let Some((date, last)) = found {
            out.push(TextDate {
                date,
                start: base + t.start,
                end: base + toks[last].end,
            });
            i = last + 1;
        } else {
            i += 1;
        }
    }
}

/// Numeric dates starting at token `i` (a number): returns the date and the
/// index of its last token.
fn numeric_at(
    toks: &[Tok],
    i: usize,
    v: u32,
    n: u8,
    order: NumOrder,
) -> Option<(NaiveDate, usize)> {
    let sep = match toks.get(i + 1)?.kind {
        Kind::Sym(c @ ('-' | '/' | '.')) if !toks[i + 1].space => c,
        _ => return None,
    };
    // "17. 1. 2018": spaces are allowed after the dots of a dotted date.
    let spaced_ok = |k: usize| !toks[k].space || sep == '.';
    let Kind::Num(b, bn) = toks.get(i + 2)?.kind else {
        return None;
    };
    if !spaced_ok(i + 2)
        || toks.get(i + 3).map(|t| (t.kind, t.space)) != Some((Kind::Sym(sep), false))
    {
        return None;
    }
    let Kind::Num(c, cn) = toks.get(i + 4)?.kind else {
        return None;
    };
    if !spaced_ok(i + 4) || (toks[i + 4].space && cn != 4) {
        return None;
    }
    // Not part of a longer chain of numbers (versions, IP addresses, phone numbers).
    let chained_after = toks.get(i + 5).is_some_and(|t| {
        !t.space
            && matches!(t.kind, Kind::Sym(s) if s == sep || s == '-' || s == '/')
            && toks
                .get(i + 6)
                .is_some_and(|u| matches!(u.kind, Kind::Num(..)) && !u.space)
    });
    let chained_before = i >= 2
        && !toks[i].space
        && matches!(toks[i - 1].kind, Kind::Sym(s) if s == sep || s == '-' || s == '/' || s == '.')
        && matches!(toks[i - 2].kind, Kind::Num(..));
    if chained_after || chained_before {
        return None;
    }
    let last = i + 4;
    if n == 4 {
        // Year first: 2018-01-17, 2018/01/17, 2018.01.17
        let y = year_of(v, n)?;
        if bn > 2 || cn > 2 {
            return None;
        }
        return NaiveDate::from_ymd_opt(y, b, c).map(|d| (d, last));
    }
    if n > 2 || bn > 2 {
        return None;
    }
    let y = match cn {
        4 => year_of(c, cn)?,
        // Two-digit years only in the dotted form (17.01.18).
        2 if sep == '.' => 2000 + c as i32,
        _ => return None,
    };
    let (a, b) = (v, b);
    let dmy = NaiveDate::from_ymd_opt(y, b, a);
    let mdy = NaiveDate::from_ymd_opt(y, a, b);
    let date = if sep == '.' {
        dmy
    } else {
        match (dmy, mdy) {
            (Some(d), None) => Some(d),
            (None, Some(m)) => Some(m),
            (Some(d), Some(_)) if a == b => Some(d),
            (Some(d), Some(m)) => match order {
                NumOrder::DayFirst => Some(d),
                NumOrder::MonthFirst => Some(m),
                NumOrder::Unknown => None,
            },
            (None, None) => None,
        }
    }?;
    Some((date, last))
}

/// `17 January 2018`, `17. Januar 2018`, `17th of January, 2018`, `1er janvier
/// 2018`, `17 de enero de 2018`, `17-Jan-2018`.
fn day_month_year_at(
    text: &str,
    toks: &[Tok],
    i: usize,
    v: u32,
    n: u8,
    lang: Option<Lang>,
) -> Option<(NaiveDate, usize)> {
    if n > 2 || !(1..=31).contains(&v) {
        return None;
    }
    // A day right after other digits and a dot or comma is a decimal number.
    if i >= 2
        && !toks[i].space
        && matches!(toks[i - 1].kind, Kind::Sym('.' | ','))
        && matches!(toks[i - 2].kind, Kind::Num(..))
    {
        return None;
    }
    let mut j = i + 1;
    let w = |k: usize| toks.get(k).map(|t| &text[t.start..t.end]);
    // After the day: a dot, an ordinal suffix or a dash ("17.", "17th", "17-").
    let after_day = toks.get(j).is_some_and(|t| {
        !t.space
            && (matches!(t.kind, Kind::Sym('.' | '-'))
                || (t.kind == Kind::Word && is_ordinal_suffix(&text[t.start..t.end])))
    });
    if after_day {
        j += 1;
    }
    if toks.get(j).is_some_and(|t| t.kind == Kind::Word)
        && w(j).is_some_and(|x| x.eq_ignore_ascii_case("of") || x.eq_ignore_ascii_case("de"))
    {
        j += 1;
    }
    let mt = toks.get(j)?;
    if mt.kind != Kind::Word {
        return None;
    }
    let m = match month_of_in(&text[mt.start..mt.end], lang) {
        Some(m) => m,
        None => {
            // A name of two words ("كانون الثاني"), read as one.
            let nt = toks
                .get(j + 1)
                .filter(|t| t.kind == Kind::Word && t.space)?;
            let m = names::month_in(&text[mt.start..nt.end].to_lowercase(), lang)?;
            j += 1;
            m
        }
    };
    j += 1;
    // The same month in a second name after a slash ("يوليو/تموز"), as
    // Arabic pages write it for readers of both names.
    if toks.get(j).is_some_and(|t| t.kind == Kind::Sym('/'))
        && let Some(t) = toks.get(j + 1).filter(|t| t.kind == Kind::Word)
        && month_of_in(&text[t.start..t.end], lang) == Some(m)
    {
        j += 2;
    }
    // optional "." "," "-" and "de"
    while toks
        .get(j)
        .is_some_and(|t| matches!(t.kind, Kind::Sym('.' | ',' | '-')))
    {
        j += 1;
    }
    if toks.get(j).is_some_and(|t| t.kind == Kind::Word)
        && w(j).is_some_and(|x| x.eq_ignore_ascii_case("de") || x.eq_ignore_ascii_case("del"))
    {
        j += 1;
    }
    let Kind::Num(y, yn) = toks.get(j)?.kind else {
        return None;
    };
    let y = year_of(y, yn)?;
    NaiveDate::from_ymd_opt(y, m, v).map(|d| (d, j))
}

/// `January 17, 2018`, `Jan. 17th 2018`, `Sept. 5, 2019`.
fn month_day_year_at(
    text: &str,
    toks: &[Tok],
    i: usize,
    w: &str,
    lang: Option<Lang>,
) -> Option<(NaiveDate, usize)> {
    let m = month_of_in(w, lang)?;
    let mut j = i + 1;
    if toks
        .get(j)
        .is_some_and(|t| t.kind == Kind::Sym('.') && !t.space)
    {
        j += 1;
    }
    let Kind::Num(d, dn) = toks.get(j)?.kind else {
        return None;
    };
    if dn > 2 || !(1..=31).contains(&d) {
        return None;
    }
    j += 1;
    if toks
        .get(j)
        .is_some_and(|t| t.kind == Kind::Word && !t.space)
        && is_ordinal_suffix(&text[toks[j].start..toks[j].end])
    {
        j += 1;
    }
    if toks.get(j).is_some_and(|t| t.kind == Kind::Sym(',')) {
        j += 1;
    }
    let yt = toks.get(j)?;
    let Kind::Num(y, yn) = yt.kind else {
        return None;
    };
    // "March 5, 2018" needs a space or comma before the year, never "March 5.2018".
    if !yt.space && toks[j - 1].kind != Kind::Sym(',') {
        return None;
    }
    let y = year_of(y, yn)?;
    NaiveDate::from_ymd_opt(y, m, d).map(|date| (date, j))
}

/// Year first with a month name, as Hungarian writes it: `2020. július 3.`
/// (the dot after the year sets it apart from a year that a sentence runs
/// into a month and a number: "in 2020 March 5 people").
fn year_dot_month_day_at(
    text: &str,
    toks: &[Tok],
    i: usize,
    v: u32,
    n: u8,
    lang: Option<Lang>,
) -> Option<(NaiveDate, usize)> {
    let y = year_of(v, n)?;
    let dot = toks.get(i + 1)?;
    if dot.kind != Kind::Sym('.') || dot.space {
        return None;
    }
    let mt = toks
        .get(i + 2)
        .filter(|t| t.kind == Kind::Word && t.space)?;
    let m = month_of_in(&text[mt.start..mt.end], lang)?;
    let mut j = i + 3;
    if toks
        .get(j)
        .is_some_and(|t| t.kind == Kind::Sym('.') && !t.space)
    {
        j += 1;
    }
    let Kind::Num(d, dn) = toks.get(j)?.kind else {
        return None;
    };
    if dn > 2 || !toks[j].space {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d).map(|date| (date, j))
}

/// CJK and Korean dates, `2020年7月3日`, `2020년 7월 3일`: a year of four digits,
/// its sign, the month, its sign, the day. The date ends at the day's digits
/// (the day's sign after it is not needed to read it, and a date that ends
/// with digits keeps the scan's windows exact: see [`digit_windows`]).
fn cjk_at(text: &str, toks: &[Tok], i: usize, v: u32, n: u8) -> Option<(NaiveDate, usize)> {
    let y = year_of(v, n)?;
    let sign = |k: usize, signs: &[&str]| {
        toks.get(k)
            .is_some_and(|t| t.kind == Kind::Word && signs.contains(&&text[t.start..t.end]))
    };
    let num = |k: usize| match toks.get(k)?.kind {
        Kind::Num(x, xn) if xn <= 2 => Some(x),
        _ => None,
    };
    if !sign(i + 1, &["年", "년"]) || !sign(i + 3, &["月", "월"]) {
        return None;
    }
    let m = num(i + 2)?;
    let d = num(i + 4)?;
    NaiveDate::from_ymd_opt(y, m, d).map(|date| (date, i + 4))
}

/// Month and day without a year ("January 16", "Jan. 16th", "16 janvier"), for
/// weekday resolution: `(month, day, index of the last token)`.
pub(crate) fn month_day_at_start(text: &str) -> Option<(u32, u32)> {
    let toks = tokenize(text);
    let w = |k: usize| toks.get(k).map(|t| &text[t.start..t.end]);
    let mut j = 0;
    // skip "," "(" after the weekday
    while toks
        .get(j)
        .is_some_and(|t| matches!(t.kind, Kind::Sym(',' | '(' | '.')))
    {
        j += 1;
    }
    match toks.get(j)?.kind {
        Kind::Word => {
            let m = month_of(w(j)?)?;
            j += 1;
            if toks.get(j).is_some_and(|t| t.kind == Kind::Sym('.')) {
                j += 1;
            }
            let Kind::Num(d, dn) = toks.get(j)?.kind else {
                return None;
            };
            (dn <= 2 && (1..=31).contains(&d)).then_some((m, d))
        }
        Kind::Num(d, dn) if dn <= 2 && (1..=31).contains(&d) => {
            j += 1;
            if toks.get(j).is_some_and(|t| {
                t.kind == Kind::Sym('.')
                    || (t.kind == Kind::Word && !t.space && w(j).is_some_and(is_ordinal_suffix))
            }) {
                j += 1;
            }
            if w(j).is_some_and(|x| x.eq_ignore_ascii_case("of")) {
                j += 1;
            }
            let m = month_of(w(j)?)?;
            Some((m, d))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn first(text: &str, order: NumOrder) -> Option<NaiveDate> {
        scan(text, order).first().map(|t| t.date)
    }

    fn scan_whole(text: &str, order: NumOrder) -> Vec<TextDate> {
        let mut out = Vec::new();
        scan_window(text, 0, order.into(), &mut Vec::new(), &mut out);
        out
    }

    /// Scanning only the windows around digits finds exactly what a scan of
    /// the whole text finds, wherever the dates fall against the window edges.
    #[test]
    fn windowed_scan_equals_whole_scan() {
        let pieces = [
            "January 17, 2018",
            "17. Januar 2018",
            "1er janvier 2018",
            "17 de enero de 2018",
            "17/01/2018",
            "2018-01-17",
            "Sept. 5th, 2019",
            "version 1.2.3.4",
            "17.01.18",
            "3.5 million",
            "September\u{a0}5, 2019",
            "Dezember 2019",
            "Stra\u{df}enbahn",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaJune 3, 2020",
        ];
        let filler = ["word", "longer words here", "ab", "\u{e9}t\u{e9}", "-", ","];
        let mut rng = crate::test_rng::TestRng::new(7);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..next(60) {
                if next(4) == 0 {
                    text.push_str(pieces[next(pieces.len())]);
                } else {
                    for _ in 0..next(40) {
                        text.push_str(filler[next(filler.len())]);
                        text.push(if next(9) == 0 { '\n' } else { ' ' });
                    }
                }
                text.push(' ');
            }
            for order in [NumOrder::DayFirst, NumOrder::MonthFirst, NumOrder::Unknown] {
                assert_eq!(scan(&text, order), scan_whole(&text, order), "{text:?}");
            }
        }
    }

    /// Tokenizing only the cut part of each window finds exactly what
    /// tokenizing the whole window finds, also where the windows themselves
    /// miss a date (one spread over long runs of whitespace).
    #[test]
    fn cut_windows_equal_whole_windows() {
        let pieces = [
            "January 17, 2018",
            "Jan. 17, 2018",
            "Jan .17, 2018",
            "(Sept.\u{a0}5th, 2019)",
            "x17. Januar 2018",
            "17.01.2018",
            "17. 01. 2018",
            "1.2.3.2018",
            "3,12. März 2019",
            "\u{e9}t\u{e9}\u{a0}\u{2003}17 mai 2019",
            "MÄRZ 3, 2019",
            "\u{212a}3",
            "\u{b}Mar\u{b}3, 2020",
            "2018-01-17",
            "5/9/2013",
            "3rd of March de 2020",
            "17th\u{a0}of septiembre,.- del 2018",
            "on 4 and 5 June 2019 at 10.30 and 12.45",
        ];
        let filler = [
            "word", "Mar", "Jan.", ".", "-", ",", "\u{2014}", " ", "   ", "\n", "\u{a0}",
            "\u{3000}", "5", "2020", "\u{e9}",
        ];
        let mut rng = crate::test_rng::TestRng::new(11);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..next(30) {
                if next(3) == 0 {
                    text.push_str(pieces[next(pieces.len())]);
                } else {
                    for _ in 0..next(30) {
                        text.push_str(filler[next(filler.len())]);
                        if next(3) == 0 {
                            text.push_str(&" ".repeat(next(90)));
                        }
                    }
                }
            }
            for order in [NumOrder::DayFirst, NumOrder::MonthFirst, NumOrder::Unknown] {
                let mut whole = Vec::new();
                let mut windows = digit_windows(&text);
                windows.dedup_by_key(|w| (w.start, w.end));
                for w in windows {
                    let s = &text[w.start..w.end];
                    scan_window(s, w.start, order.into(), &mut Vec::new(), &mut whole);
                }
                assert_eq!(scan(&text, order), whole, "{text:?}");
            }
        }
    }

    /// The table lookup of month names agrees with a search of the list.
    #[test]
    fn month_table_finds_every_name() {
        for &(name, m) in MONTH_NAMES {
            let first = MONTH_NAMES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|&(_, m)| m);
            assert_eq!(month_of(name), first);
            assert_eq!(month_of(&name.to_uppercase()), Some(m));
            assert_eq!(month_of(&format!("{name}.")), Some(m));
            assert_eq!(month_of(&format!("{name}x")), None);
        }
        for w in ["ma", "mays", "jun3", "\u{212a}an", "", "..."] {
            assert_eq!(month_of(w), None, "{w}");
        }
    }

    #[test]
    fn machine_strings() {
        let m = parse_machine("2018-01-16T23:30:00-08:00", NumOrder::Unknown).unwrap();
        assert_eq!((m.date, m.utc_hour), (ymd(2018, 1, 16), None));
        let m = parse_machine("2018-01-17T02:10:00Z", NumOrder::Unknown).unwrap();
        assert_eq!((m.date, m.utc_hour), (ymd(2018, 1, 17), Some(2)));
        let m = parse_machine("2018-01-17T02:10:00.000+00:00", NumOrder::Unknown).unwrap();
        assert_eq!(m.utc_hour, Some(2));
        let m = parse_machine("Tue, 16 Jan 2018 10:00:00 +0000", NumOrder::Unknown).unwrap();
        assert_eq!((m.date, m.utc_hour), (ymd(2018, 1, 16), Some(10)));
        assert_eq!(
            parse_machine("20180117", NumOrder::Unknown).unwrap().date,
            ymd(2018, 1, 17)
        );
        assert_eq!(
            parse_machine("2018/01/17 10:00", NumOrder::Unknown)
                .unwrap()
                .date,
            ymd(2018, 1, 17)
        );
        assert_eq!(
            parse_machine("17.01.2018", NumOrder::Unknown).unwrap().date,
            ymd(2018, 1, 17)
        );
        assert!(parse_machine("2018-13-45", NumOrder::Unknown).is_none());
    }

    #[test]
    fn english_month_names() {
        let o = NumOrder::Unknown;
        assert_eq!(
            first("By Ana | Jan. 17, 2018 at 5:00 p.m.", o),
            Some(ymd(2018, 1, 17))
        );
        assert_eq!(first("posted 17 January 2018", o), Some(ymd(2018, 1, 17)));
        assert_eq!(first("Sept. 5th, 2019", o), Some(ymd(2019, 9, 5)));
        assert_eq!(first("the 3rd of March, 2020", o), Some(ymd(2020, 3, 3)));
        assert_eq!(
            first("Tuesday, January 16, 2018", o),
            Some(ymd(2018, 1, 16))
        );
    }

    #[test]
    fn german_and_french_month_names() {
        let o = NumOrder::DayFirst;
        assert_eq!(
            first("Veröffentlicht am 17. Januar 2018", o),
            Some(ymd(2018, 1, 17))
        );
        assert_eq!(first("3. März 2019, 10:00 Uhr", o), Some(ymd(2019, 3, 3)));
        assert_eq!(first("MÄRZ 3, 2019", o), Some(ymd(2019, 3, 3)));
        assert_eq!(
            first("publié le 1er février 2020", o),
            Some(ymd(2020, 2, 1))
        );
        assert_eq!(first("le 17 août 2021 à 10h", o), Some(ymd(2021, 8, 17)));
        assert_eq!(first("17 de enero de 2018", o), Some(ymd(2018, 1, 17)));
    }

    #[test]
    fn numeric_order_follows_language() {
        assert_eq!(
            first("Posted on 05/09/2013", NumOrder::MonthFirst),
            Some(ymd(2013, 5, 9))
        );
        assert_eq!(
            first("Posted on 05/09/2013", NumOrder::DayFirst),
            Some(ymd(2013, 9, 5))
        );
        assert_eq!(first("Posted on 05/09/2013", NumOrder::Unknown), None);
        // Unambiguous either way.
        assert_eq!(
            first("on 17/01/2018", NumOrder::MonthFirst),
            Some(ymd(2018, 1, 17))
        );
        // Dots are always day first.
        assert_eq!(
            first("17.01.2018", NumOrder::MonthFirst),
            Some(ymd(2018, 1, 17))
        );
        assert_eq!(
            first("Party, 30.10.23", NumOrder::MonthFirst),
            Some(ymd(2023, 10, 30))
        );
        assert_eq!(
            first("am 1.2.2019 um", NumOrder::Unknown),
            Some(ymd(2019, 2, 1))
        );
        assert_eq!(NumOrder::for_lang(Some("en-US")), NumOrder::MonthFirst);
        assert_eq!(NumOrder::for_lang(Some("en-GB")), NumOrder::DayFirst);
        assert_eq!(NumOrder::for_lang(Some("de")), NumOrder::DayFirst);
    }

    #[test]
    fn numbers_that_are_not_dates() {
        let o = NumOrder::DayFirst;
        assert_eq!(first("version 1.2.3.2018 released", o), None);
        assert_eq!(first("IP 10.12.20.18", o), None);
        assert_eq!(first("Preis 3,12. März", o), None);
        assert_eq!(first("call 555-12-2018-77", o), None);
        assert_eq!(first("in March 2018", o), None);
    }

    #[test]
    fn month_day_without_year() {
        assert_eq!(month_day_at_start(" January 16 voted"), Some((1, 16)));
        assert_eq!(month_day_at_start(", Jan. 16,"), Some((1, 16)));
        assert_eq!(month_day_at_start(" 16 janvier"), Some((1, 16)));
        assert_eq!(month_day_at_start(" the council"), None);
    }
}
