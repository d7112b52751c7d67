//! The outlet: the publisher's name, one per site.
//!
//! Pages name their site in several places (JSON-LD `publisher`, `og:site_name`,
//! `application-name`, the `<title>` suffix, the Twitter handle), and some of
//! them are wrong on real pages: a section ("U.S."), the headline, a hosting
//! sub-brand ("Hosted"), a URL or a handle. The site's registered domain is the
//! referee: a name that spells the domain ("New York Times" ~ nytimes.com) beats
//! one that does not, a handle that spells it beats a name that does not, and a
//! name another source repeats beats a lone one. Whatever is chosen is
//! normalised so that one site gives one name across its pages ("FOCUS online"
//! and "FOCUS Online" -> "Focus Online"); with no name at all, the registered
//! domain stands in ("fr.de").

use super::attribution::{self, squash};
use super::meta::{self, PageMeta};
use crate::html::Document;

/// Where a candidate came from, which decides how it may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A name meant for people (site name, publisher, title suffix).
    Name,
    /// A social handle without its `@`: evidence, shown only when it is all
    /// there is and it is written like a name ("Reuters", not "ap").
    Handle,
}

#[derive(Debug, Clone)]
struct Candidate {
    text: String,
    kind: Kind,
    /// An unverified `<title>` suffix: it may be a section, so it only counts
    /// when it spells the domain or another source repeats it.
    weak: bool,
}

/// Names longer than this are sentences (a headline in `application-name`).
const MAX_NAME_WORDS: usize = 9;

/// The outlet of an HTML page; `url` is where the page was fetched from.
pub fn outlet(doc: &Document, meta: &PageMeta, url: Option<&str>) -> Option<String> {
    // The fetched URL decides the site: a syndicated copy keeps the original's
    // canonical link, but it is the syndicating site that published this page.
    let domain = url
        .and_then(registered_domain)
        .or_else(|| meta.canonical.as_deref().and_then(registered_domain));
    let label = domain.as_deref().map(domain_label).unwrap_or_default();
    let sub_labels = url
        .or(meta.canonical.as_deref())
        .map(|u| subdomain_labels(u, domain.as_deref()))
        .unwrap_or_default();
    let candidates = candidates(doc, meta, url, domain.as_deref());
    choose(&candidates, &label, &sub_labels)
        .map(|c| display(c, domain.as_deref()))
        .or(domain)
        .filter(|s| !s.is_empty())
}

fn candidates(
    doc: &Document,
    meta: &PageMeta,
    url: Option<&str>,
    domain: Option<&str>,
) -> Vec<Candidate> {
    let mut raw: Vec<(String, Kind)> = Vec::new();
    let name = |s: &str| (s.to_string(), Kind::Name);
    raw.extend(
        meta.ld_articles
            .iter()
            .filter_map(|o| o.get("publisher").and_then(meta::json_text))
            .map(|s| (s, Kind::Name)),
    );
    for key in [
        "og:site_name",
        "application-name",
        "publisher",
        "twitter:site:name",
    ] {
        raw.extend(meta.get(&[key]).map(name));
    }
    raw.extend(meta.ld_other.iter().filter_map(|o| {
        let t = o.get("@type")?.as_str()?;
        matches!(t, "Organization" | "NewsMediaOrganization")
            .then(|| o.get("name").and_then(meta::json_text))?
            .map(|s| (s, Kind::Name))
    }));
    // The title suffix the page itself confirms (copyright line, masthead) is a
    // name; one it does not confirm is weak evidence.
    let verified_suffix = attribution::outlet_from_page(doc, meta.title_tag.as_deref(), url);
    let weak_suffix = match &verified_suffix {
        Some(_) => None,
        None => meta
            .title_tag
            .as_deref()
            .and_then(attribution::title_site_part),
    };
    raw.extend(verified_suffix.map(|s| (s, Kind::Name)));
    raw.extend(
        meta.get(&["twitter:site"])
            .map(|s| (s.to_string(), Kind::Handle)),
    );
    let title_like = title_like(doc, meta);
    let mut out: Vec<Candidate> = raw
        .into_iter()
        .filter_map(|(text, kind)| clean_candidate(&text, kind, domain))
        .collect();
    out.extend(weak_suffix.and_then(|s| {
        let mut c = clean_candidate(&s, Kind::Name, domain)?;
        c.weak = true;
        Some(c)
    }));
    // A short name equal to the title is a home page titled with its site's
    // name; a long one is the headline put in the wrong tag.
    out.retain(|c| {
        c.text.split_whitespace().count() < HEADLINE_WORDS || !title_like.contains(&squash(&c.text))
    });
    out
}

/// A site name of this many words that equals the page's title is the headline.
const HEADLINE_WORDS: usize = 5;

/// The page's headline in all its forms, squashed: a site name equal to one
/// of them is the headline put in the wrong tag.
fn title_like(doc: &Document, meta: &PageMeta) -> Vec<String> {
    [
        meta.ld_str("headline"),
        meta.get(&["og:title", "twitter:title"]).map(str::to_string),
        meta.title_tag.clone(),
        super::first_h1(doc),
    ]
    .into_iter()
    .flatten()
    .map(|t| squash(&t))
    .filter(|s| !s.is_empty())
    .collect()
}

/// Trim a candidate and sort out what it really is: a URL or host name is the
/// domain (dropped: the domain is the fallback anyway), `@name` a handle.
fn clean_candidate(text: &str, kind: Kind, domain: Option<&str>) -> Option<Candidate> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = trim_decoration(&text);
    if text.is_empty() || looks_like_url(text) {
        return None;
    }
    if let Some(handle) = text.strip_prefix('@') {
        let handle = handle.trim();
        return (!handle.is_empty() && !handle.contains(' ')).then(|| Candidate {
            text: handle.to_string(),
            kind: Kind::Handle,
            weak: false,
        });
    }
    if kind == Kind::Handle && text.contains("://") {
        return None;
    }
    let words = text.split_whitespace().count();
    if words > MAX_NAME_WORDS || squash(text).is_empty() {
        return None;
    }
    // A title suffix with its own separator ("www.x.de | Das Portal"): keep the
    // part that is not the host.
    let text = match domain {
        Some(d) => strip_host_part(text, d),
        None => text.to_string(),
    };
    (!text.is_empty()).then_some(Candidate {
        text,
        kind,
        weak: false,
    })
}

/// Leading and trailing characters that are not part of a name: ".:: X ::.",
/// "X -", "X,". Closing brackets and `!` stay ("Yahoo!").
fn trim_decoration(s: &str) -> &str {
    s.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '@' && c != '(')
        .trim_end_matches(|c: char| !c.is_alphanumeric() && !matches!(c, ')' | '!'))
}

/// "https://www.fr.de", "www.wday.ru", "tdg.ch/": a URL or bare host, not a name.
fn looks_like_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("www.") {
        return true;
    }
    // One word with a dot and a known-looking top-level part: a bare host.
    !s.contains(' ')
        && s.rsplit_once('.').is_some_and(|(left, tld)| {
            !left.is_empty()
                && (2..=6).contains(&tld.len())
                && tld.chars().all(|c| c.is_ascii_lowercase())
        })
}

/// "www.leichtathletik.de | Das Leichtathletik-Portal" -> "Das Leichtathletik-Portal".
fn strip_host_part(text: &str, domain: &str) -> String {
    for sep in attribution::TITLE_SEPARATORS {
        if let Some((left, right)) = text.split_once(sep) {
            let (l, r) = (left.trim(), right.trim());
            if l.to_ascii_lowercase().ends_with(domain) || looks_like_url(l) {
                return r.to_string();
            }
            if r.to_ascii_lowercase().ends_with(domain) || looks_like_url(r) {
                return l.to_string();
            }
        }
    }
    text.to_string()
}

/// The best candidate: a name that spells the domain; else one that spells the
/// host's own part (a blog on a hosting platform: name.example.com); else a
/// handle that spells the domain; else a name another source repeats; else
/// the first name.
fn choose<'a>(cands: &'a [Candidate], label: &str, sub_labels: &[String]) -> Option<&'a Candidate> {
    let names = || cands.iter().filter(|c| c.kind == Kind::Name);
    let spells = |c: &&Candidate| !label.is_empty() && spells_domain(&c.text, label);
    let spells_host = |c: &&Candidate| sub_labels.iter().any(|l| spells_domain(&c.text, l));
    names()
        .find(spells)
        .or_else(|| names().find(spells_host))
        .or_else(|| cands.iter().filter(|c| c.kind == Kind::Handle).find(spells))
        .or_else(|| {
            names().find(|c| {
                let key = name_key(&c.text);
                names().filter(|o| name_key(&o.text) == key).count() > 1
            })
        })
        .or_else(|| names().find(|c| !c.weak))
}

/// How the chosen candidate is shown: a handle written all in lower case
/// ("ap") reads worse than the domain ("ap.org").
fn display(c: &Candidate, domain: Option<&str>) -> String {
    match (c.kind, domain) {
        (Kind::Handle, Some(d))
            if !c.text.chars().any(char::is_uppercase) || c.text.contains('_') =>
        {
            d.to_string()
        }
        _ => normalise_case(&c.text),
    }
}

/// Compare names without case, punctuation or a leading "The".
fn name_key(s: &str) -> String {
    let k = squash(s);
    k.strip_prefix("the")
        .filter(|r| r.len() >= 3)
        .map(str::to_string)
        .unwrap_or(k)
}

/// Whether a name spells the domain's label: the label contains the name
/// ("BBC" ~ bbc), the name contains the label ("BBC News" ~ bbc), or the label
/// is made of leading parts of the name's words in order ("New York Times" ~
/// nytimes, "USA TODAY" ~ usatoday, "Associated Press" ~ ap).
pub(crate) fn spells_domain(name: &str, label: &str) -> bool {
    let key = squash(name);
    if key.len() >= 2 && (label.contains(&key) || key.contains(label)) {
        return true;
    }
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .map(squash)
        .filter(|w| !w.is_empty())
        .collect();
    label.len() >= 2 && prefixes_make(&words, label)
}

/// Whether `label` is the concatenation of non-empty prefixes of some of
/// `words`, in order (words may be skipped). Small inputs: a plain search.
fn prefixes_make(words: &[String], label: &str) -> bool {
    if label.is_empty() {
        return true;
    }
    let Some((first, rest)) = words.split_first() else {
        return false;
    };
    let common = first
        .chars()
        .zip(label.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    (1..=common).rev().any(|n| prefixes_make(rest, &label[n..])) || prefixes_make(rest, label)
}

/// One spelling per site: shouted words of five or more letters are title-cased
/// ("WIRED" -> "Wired", "FOCUS" -> "Focus"; "BBC", "NASA" stay), and in a name
/// that starts with a capital, lower-case words other than small joining words
/// are capitalised ("FOCUS online" -> "Focus Online").
pub(crate) fn normalise_case(name: &str) -> String {
    let starts_upper = name.chars().next().is_some_and(char::is_uppercase);
    // Longer names are taglines, whose lower-case words are meant.
    let short = name.split(' ').count() <= 3;
    name.split(' ')
        .enumerate()
        .map(|(i, w)| {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            let pure_word = letters.len() == w.chars().count();
            let shouted = letters.len() >= 5 && letters.iter().all(|c| c.is_uppercase());
            let lower_in_name = i > 0
                && short
                && starts_upper
                && !letters.is_empty()
                && letters.iter().all(|c| c.is_lowercase())
                && !SMALL_WORDS.contains(&w.to_lowercase().as_str());
            if pure_word && (shouted || lower_in_name) {
                title_case(w)
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Joining words left in lower case inside a name, in the languages of the corpus.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "at", "by", "da", "das", "de", "del", "den", "der", "des", "di", "die", "du",
    "e", "el", "en", "et", "for", "from", "für", "im", "in", "la", "le", "mit", "of", "on", "or",
    "the", "to", "und", "van", "von", "with", "y", "zu",
];

fn title_case(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut first = true;
    for c in w.chars() {
        if first && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            first = false;
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The registered domain of a URL, without "www.": "https://www.fr.de/x" ->
/// "fr.de", "https://news.bbc.co.uk/" -> "bbc.co.uk". A Wayback Machine URL
/// stands for the page it archived.
pub fn registered_domain(u: &str) -> Option<String> {
    let parsed = url::Url::parse(u).ok()?;
    let host = parsed
        .host_str()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if host == "web.archive.org" {
        // /web/20190101000000/https://example.org/page
        let path = parsed.path();
        if let Some(inner) = path
            .strip_prefix("/web/")
            .and_then(|p| p.split_once('/'))
            .map(|(_, rest)| rest)
            .filter(|rest| rest.starts_with("http"))
        {
            return registered_domain(inner);
        }
    }
    if host.parse::<std::net::IpAddr>().is_ok() || !host.contains('.') {
        return Some(host);
    }
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    // bbc.co.uk, abc.net.au: a country code under a generic second level.
    let keep = if n >= 3 && labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    Some(labels[n.saturating_sub(keep)..].join("."))
}

/// Second-level labels under which country domains register names.
const SECOND_LEVEL: &[&str] = &[
    "co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go",
];

/// The labels of a URL's host in front of its registered domain, squashed,
/// without the ones that name no site ("www", "m").
fn subdomain_labels(u: &str, domain: Option<&str>) -> Vec<String> {
    let (Some(host), Some(domain)) = (
        url::Url::parse(u)
            .ok()
            .and_then(|p| p.host_str().map(str::to_ascii_lowercase)),
        domain,
    ) else {
        return Vec::new();
    };
    host.strip_suffix(domain)
        .unwrap_or("")
        .split('.')
        .filter(|l| !matches!(*l, "" | "www" | "m" | "amp" | "mobile"))
        .map(squash)
        .filter(|l| l.len() >= 3)
        .collect()
}

/// "nytimes.com" -> "nytimes", "bbc.co.uk" -> "bbc": the part a name spells.
fn domain_label(domain: &str) -> String {
    squash(domain.split('.').next().unwrap_or(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outlet_of(html: &str, url: &str) -> Option<String> {
        let a = crate::extract::extract(
            html.as_bytes(),
            &crate::extract::ExtractOptions {
                url: Some(url.to_string()),
                ..Default::default()
            },
        )
        .unwrap();
        a.outlet
    }

    const BODY: &str = "<body><article><h1>Council passes the budget</h1><p>The council passed the budget after a long night of debate about parks, roads and the library.</p></article></body>";

    #[test]
    fn a_section_in_site_name_loses_to_a_handle_that_spells_the_domain() {
        let html = format!(
            r#"<html><head><meta property="og:site_name" content="U.S."><meta name="twitter:site" content="@Wirenews">{BODY}"#
        );
        assert_eq!(
            outlet_of(&html, "https://www.wirenews.com/article/us-x").as_deref(),
            Some("Wirenews")
        );
    }

    #[test]
    fn headline_url_and_handle_are_never_the_outlet() {
        let headline = format!(
            r#"<html><head><title>Council passes the budget after a long night</title><meta name="application-name" content="Council passes the budget after a long night">{BODY}"#
        );
        assert_eq!(
            outlet_of(&headline, "https://www.portal.example.com/x").as_deref(),
            Some("example.com")
        );
        let url_name = format!(
            r#"<html><head><meta property="og:site_name" content="https://www.fr.de">{BODY}"#
        );
        assert_eq!(
            outlet_of(&url_name, "https://www.fr.de/a/b").as_deref(),
            Some("fr.de")
        );
        let host_name =
            format!(r#"<html><head><meta property="og:site_name" content="tdg.ch/">{BODY}"#);
        assert_eq!(
            outlet_of(&host_name, "https://www.tdg.ch/x").as_deref(),
            Some("tdg.ch")
        );
        let handle = format!(
            r#"<html><head><meta property="og:site_name" content="@factcheck"><title>Claim rated false | Factcheck Weekly</title>{BODY}"#
        );
        assert_eq!(
            outlet_of(&handle, "https://www.factcheck.org/x").as_deref(),
            Some("Factcheck Weekly")
        );
    }

    #[test]
    fn a_name_that_spells_the_domain_beats_a_hosting_sub_brand() {
        let html = format!(
            r#"<html><head><meta property="og:site_name" content="Wire Desk"><title>Talks resume | Wire Desk</title><meta name="twitter:site" content="@ap">{BODY}"#
        );
        // The handle spells the domain but is lower case: the domain is shown.
        assert_eq!(
            outlet_of(&html, "https://www.ap.org/paper/article/1").as_deref(),
            Some("ap.org")
        );
        // A blog on a hosting platform keeps its own name over the platform's handle.
        let blog = r#"<html><head><meta property="og:site_name" content="Garden Notes"><meta name="twitter:site" content="@blogplatform">"#.to_string() + BODY;
        assert_eq!(
            outlet_of(&blog, "https://gardennotes.blogplatform.com/2020/x").as_deref(),
            Some("Garden Notes")
        );
        let named = format!(
            r#"<html><head><meta property="og:site_name" content="Hosted"><script type="application/ld+json">{{"@type":"NewsArticle","publisher":{{"name":"Associated Press"}}}}</script>{BODY}"#
        );
        assert_eq!(
            outlet_of(&named, "https://hosted.ap.org/paper/article/1").as_deref(),
            Some("Associated Press")
        );
    }

    #[test]
    fn case_variants_of_one_site_give_one_name() {
        let page = |name: &str| {
            format!(r#"<html><head><meta property="og:site_name" content="{name}">{BODY}"#)
        };
        let url = "https://www.focus.de/x";
        assert_eq!(
            outlet_of(&page("FOCUS Online"), url),
            outlet_of(&page("FOCUS online"), url)
        );
        assert_eq!(
            outlet_of(&page("WIRED"), url),
            outlet_of(&page("Wired"), url)
        );
        assert_eq!(
            outlet_of(&page("BBC News"), url).as_deref(),
            Some("BBC News")
        );
        assert_eq!(
            outlet_of(&page(".:: Valley Post ::."), url).as_deref(),
            Some("Valley Post")
        );
    }

    #[test]
    fn names_spell_domains_by_word_prefixes() {
        assert!(spells_domain("The New York Times", "nytimes"));
        assert!(spells_domain("USA TODAY", "usatoday"));
        assert!(spells_domain("Associated Press", "ap"));
        assert!(spells_domain("BBC News", "bbc"));
        assert!(!spells_domain("U.S.", "reuters"));
        assert!(!spells_domain("Hosted", "ap"));
    }

    #[test]
    fn registered_domains() {
        assert_eq!(
            registered_domain("https://www.fr.de/x").as_deref(),
            Some("fr.de")
        );
        assert_eq!(
            registered_domain("https://news.bbc.co.uk/a").as_deref(),
            Some("bbc.co.uk")
        );
        assert_eq!(
            registered_domain("https://web.archive.org/web/20190101000000/https://www.tdg.ch/x")
                .as_deref(),
            Some("tdg.ch")
        );
        assert_eq!(registered_domain("not a url"), None);
    }
}
