//! Author and outlet from what a reader sees, for pages whose metadata is silent:
//! the byline element ("By Jane Holloway | November 4, 2015"), and the site name
//! that the `<title>` suffix, the copyright line or the masthead agree on.

use crate::html::{Document, NodeId};

/// Class or id words that mark a byline element.
const BYLINE_WORDS: &[&str] = &["byline", "author", "authors", "byl", "writer"];

/// Class or id words of author boxes and bios, which name the author but hold
/// more than the name (or name someone else: "About the author", avatars).
const NOT_BYLINE_WORDS: &[&str] = &[
    "bio",
    "box",
    "info",
    "about",
    "title",
    "avatar",
    "image",
    "img",
    "photo",
    "desc",
    "description",
    "profile",
    "card",
    "more",
    "other",
    "related",
    "social",
    "follow",
];

/// The author named in the page's byline element, if the metadata named none.
pub fn author_from_byline(doc: &Document) -> Option<String> {
    doc.descendants(doc.root())
        .filter(|&id| is_byline_element(doc, id))
        .filter(|&id| !in_page_furniture(doc, id))
        .find_map(|id| name_from_byline(&doc.text_of(id)))
}

fn is_byline_element(doc: &Document, id: NodeId) -> bool {
    if doc.name(id).is_none() {
        return false;
    }
    let words = ["class", "id"]
        .iter()
        .filter_map(|a| doc.attr(id, a))
        .flat_map(|v| v.split(|c: char| c.is_whitespace() || c == '-' || c == '_'))
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>();
    words.iter().any(|w| BYLINE_WORDS.contains(&w.as_str()))
        && !words.iter().any(|w| NOT_BYLINE_WORDS.contains(&w.as_str()))
}

fn in_page_furniture(doc: &Document, id: NodeId) -> bool {
    doc.ancestors(id).any(|a| {
        matches!(doc.name(a), Some("nav" | "footer" | "aside" | "header")) && {
            // A <header> inside the article holds the byline; the page's own
            // header (the site banner) does not.
            !doc.is(a, "header") || !doc.ancestors(a).any(|b| doc.is(b, "article"))
        }
    }) && !doc.ancestors(id).any(|a| doc.is(a, "article"))
}

/// "By Jane Holloway | November 4, 2015" -> "Jane Holloway"; "By Matthew
/// Digby, Minh Do" -> "Matthew Digby, Minh Do"; None when what is left does
/// not look like a person's or a desk's name.
pub fn name_from_byline(text: &str) -> Option<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let rest = strip_byline_word(&text);
    let first = rest.split(['|', '·', '•', '—', '–', '\n']).next()?;
    let first = first.split(" - ").next()?;
    // Names until the first part that is not one (a date, "Staff Writer").
    let names: Vec<String> = split_names(first)
        .into_iter()
        .map(|n| {
            // "Jane Holloway on November 4": the date part is not the name.
            n.split(" on ")
                .next()
                .unwrap_or(&n)
                .trim_end_matches(['.', ':'])
                .trim()
                .to_string()
        })
        .take_while(|n| {
            looks_like_name(n)
                && !is_job_title(n)
                && !BYLINE_WORDS_LEAD.contains(&n.to_lowercase().as_str())
        })
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// Words that introduce a byline, in the languages of the corpus ("By",
/// "Par", "Von", "Di", "Por", "Door", "Av", "De", "Af", "Przez", "Text:"),
/// longest first so "Written by" wins over "By".
const BYLINE_WORDS_LEAD: &[&str] = &[
    "posted by",
    "written by",
    "words by",
    "story by",
    "reporting by",
    "text by",
    "ein beitrag von",
    "geschrieben von",
    "publié par",
    "écrit par",
    "escrito por",
    "scritto da",
    "by",
    "par",
    "von",
    "di",
    "da",
    "por",
    "door",
    "av",
    "de",
    "af",
    "przez",
    "text",
    "texte",
    "autor",
    "auteur",
];

/// The byline without its leading word: "Par Stefan Häne" -> "Stefan Häne",
/// "BySummer Swann" (no space in the markup) -> "Summer Swann". "De" and "Di"
/// are also name particles ("De Niro"), so they only count before a capital
/// that starts a name of two or more words.
pub fn strip_byline_word(text: &str) -> &str {
    let lower = text.to_lowercase();
    for w in BYLINE_WORDS_LEAD {
        if lower.starts_with(w) && text.is_char_boundary(w.len()) {
            let rest = &text[w.len()..];
            let after = rest.trim_start_matches([':', ' ']);
            let spaced = rest.starts_with([' ', ':']);
            // "BySummer": a glued "By" before a capital.
            let glued = *w == "by" && rest.chars().next().is_some_and(char::is_uppercase);
            let particle = matches!(*w, "de" | "di" | "da" | "af" | "av" | "text" | "texte");
            if (spaced || glued)
                && after.chars().next().is_some_and(char::is_uppercase)
                && (!particle || after.split_whitespace().count() >= 2)
            {
                return after;
            }
        }
    }
    text
}

/// "A, B and C", "A & B", "A und B" -> the names, trimmed.
fn split_names(s: &str) -> Vec<String> {
    let mut parts = vec![s.to_string()];
    for sep in [
        ",", ";", " & ", " and ", " und ", " et ", " y ", " e ", " og ", " och ",
    ] {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    parts
        .into_iter()
        .map(|p| {
            p.trim()
                .trim_matches(['-', '–', '|', ':'])
                .trim()
                .to_string()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Job titles and desks that follow a name: "Staff Writer", "CEO of Acme".
const JOB_WORDS: &[&str] = &[
    "writer",
    "reporter",
    "editor",
    "correspondent",
    "contributor",
    "columnist",
    "staff",
    "ceo",
    "founder",
    "director",
    "manager",
    "president",
    "expert",
    "analyst",
    "professor",
    "redakteur",
    "redaktion",
    "journaliste",
    "periodista",
    "updated",
    "published",
];

fn is_job_title(part: &str) -> bool {
    part.split(|c: char| !c.is_alphanumeric())
        .any(|w| JOB_WORDS.contains(&w.to_lowercase().as_str()))
}

/// Degrees and credentials after a name: "MS", "RD", "Ph.D.", "E-RYT 200".
fn is_credential(part: &str) -> bool {
    let letters: String = part.chars().filter(|c| c.is_alphabetic()).collect();
    part.chars().any(|c| c.is_ascii_digit())
        || (!letters.is_empty() && letters.len() <= 5 && letters.chars().all(char::is_uppercase))
        || matches!(
            letters.to_lowercase().as_str(),
            "phd" | "md" | "mba" | "jr" | "sr"
        )
}

/// The people an author field names, cleaned: the byline word off, each
/// listed name kept, credentials and job titles dropped, placeholders
/// ("undefined", "null") and bare byline words ("Written by") refused.
/// "By Dylan Bailey, MS, RD" -> "Dylan Bailey".
pub fn clean_author(raw: &str) -> Option<String> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = strip_byline_word(&text);
    let mut names: Vec<String> = Vec::new();
    for part in split_names(text) {
        let part = part
            .split(" - ")
            .next()
            .unwrap_or(&part)
            .split(" | ")
            .next()
            .unwrap_or(&part)
            .trim();
        let lower = part.to_lowercase();
        if is_credential(part)
            || is_job_title(part)
            || matches!(
                lower.as_str(),
                "undefined" | "null" | "none" | "unknown" | "n/a"
            )
            || BYLINE_WORDS_LEAD.contains(&lower.as_str())
            || part.starts_with("http")
        {
            continue;
        }
        if !names.iter().any(|n| n.eq_ignore_ascii_case(part)) {
            names.push(part.to_string());
        }
    }
    (!names.is_empty()).then(|| names.join(", "))
}

fn looks_like_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && name.chars().count() <= 60
        && !name.chars().any(|c| c.is_ascii_digit())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(
                    *w,
                    "and" | "de" | "van" | "von" | "der" | "la" | "le" | "di" | "da" | "&"
                )
        })
}

/// The outlet name that the `<title>` suffix and the page itself agree on:
/// "Voters approve bond | Millbrook Weekly Sentinel" with "© 2020 Millbrook
/// Weekly Sentinel" in the footer, a masthead image of that name, or a URL
/// host that spells it (harborpointcourier.com).
pub fn outlet_from_page(
    doc: &Document,
    title_tag: Option<&str>,
    url: Option<&str>,
) -> Option<String> {
    let candidate = title_site_part(title_tag?)?;
    let key = squash(&candidate);
    if key.len() < 3 {
        return None;
    }
    let host_agrees = url
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(squash))
        .is_some_and(|h| h.contains(&key));
    (host_agrees || page_names_itself(doc, &key)).then_some(candidate)
}

/// What stands between a headline and the site name in a `<title>`.
pub(super) const TITLE_SEPARATORS: [&str; 7] = [" | ", " - ", " – ", " — ", " :: ", " · ", " » "];

/// The right-hand part of "Headline | Site Name", if short enough to be a name.
pub(super) fn title_site_part(title: &str) -> Option<String> {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    TITLE_SEPARATORS
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|i| &title[i + sep.len()..]))
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.split_whitespace().count() <= 6)
        .min_by_key(|s| s.len())
        .map(str::to_string)
}

/// Whether a copyright line or a masthead image carries the name `key`.
fn page_names_itself(doc: &Document, key: &str) -> bool {
    doc.descendants(doc.root()).any(|id| {
        if doc.is(id, "img") {
            return doc.attr(id, "alt").is_some_and(|alt| squash(alt) == key);
        }
        doc.text(id).is_some_and(|t| {
            let lower = t.to_lowercase();
            (lower.contains('©') || lower.contains("copyright")) && squash(t).contains(key)
        })
    })
}

/// Outlet from a copyright line of a plain-text page: "© 2017 The Riverton Ledger",
/// "Copyright 2019 Harbor Point Courier. All rights reserved."
pub fn outlet_from_copyright_line(line: &str) -> Option<String> {
    let t = line.trim();
    let lower = t.to_lowercase();
    let rest = if let Some(r) = t.strip_prefix('©') {
        r
    } else if lower.starts_with("copyright") {
        t["copyright".len()..].trim_start().trim_start_matches('©')
    } else if lower.starts_with("(c) ") {
        &t[4..]
    } else {
        return None;
    };
    // Skip the year or years: "2017", "2015-2020", "2015 –".
    let rest = rest
        .trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || "-–,".contains(c));
    let name = rest.split(['.', '|', ';']).next()?.trim();
    let name = name
        .strip_suffix(" All rights reserved")
        .unwrap_or(name)
        .trim();
    looks_like_name(name).then(|| name.to_string())
}

/// Lowercase letters and digits only: "Harbor Point Courier" = "harborpointcourier".
pub(super) fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byline_names_are_cut_from_dates_and_separators() {
        assert_eq!(
            name_from_byline("By Jane Holloway | November 4, 2015").as_deref(),
            Some("Jane Holloway")
        );
        assert_eq!(
            name_from_byline("  by  Luis Ocampo, Staff Writer").as_deref(),
            Some("Luis Ocampo")
        );
        assert_eq!(
            name_from_byline("Posted by Ana Ruiz on March 3").as_deref(),
            Some("Ana Ruiz")
        );
        assert_eq!(name_from_byline("Updated 5:00 p.m."), None);
        assert_eq!(name_from_byline("by the editorial board of a paper"), None);
    }

    #[test]
    fn bylines_name_every_author_in_any_language() {
        assert_eq!(
            name_from_byline("By Matthew Digby, Minh Do").as_deref(),
            Some("Matthew Digby, Minh Do")
        );
        assert_eq!(
            name_from_byline("Par Stefan Häne").as_deref(),
            Some("Stefan Häne")
        );
        assert_eq!(
            name_from_byline("Von Anna Müller und Jonas Weber | 3. März 2020").as_deref(),
            Some("Anna Müller, Jonas Weber")
        );
        assert_eq!(
            name_from_byline("Door Pieter de Vries").as_deref(),
            Some("Pieter de Vries")
        );
        assert_eq!(
            name_from_byline("Przez Jan Kowalski").as_deref(),
            Some("Jan Kowalski")
        );
        // A particle that starts a surname is not a byline word.
        assert_eq!(name_from_byline("De Niro").as_deref(), Some("De Niro"));
    }

    #[test]
    fn author_fields_lose_credentials_titles_and_placeholders() {
        assert_eq!(
            clean_author("Dylan Bailey, MS, RD, FAND").as_deref(),
            Some("Dylan Bailey")
        );
        assert_eq!(
            clean_author("By Danielle DeSiato, Donna Enzmann, and Natalie Nguyen").as_deref(),
            Some("Danielle DeSiato, Donna Enzmann, Natalie Nguyen")
        );
        assert_eq!(
            clean_author("Mike Marshall, Shipping Expert").as_deref(),
            Some("Mike Marshall")
        );
        assert_eq!(
            clean_author("BySummer Swann-").as_deref(),
            Some("Summer Swann")
        );
        assert_eq!(clean_author("undefined"), None);
        assert_eq!(clean_author("Written by"), None);
        assert_eq!(name_from_byline("Written By "), None);
        assert_eq!(
            clean_author("Par Stefan Häne").as_deref(),
            Some("Stefan Häne")
        );
    }

    #[test]
    fn byline_element_gives_the_author_but_author_boxes_do_not() {
        let doc = crate::html::parse(
            r#"<html><body><header><div class="author">Site Team</div></header>
            <article><h1>Fire station bond passes</h1>
            <p class="byline">By Jane Holloway | November 4, 2015</p>
            <p>Voters approved the bond.</p>
            <div class="author-bio">Jane Holloway is the editor.</div></article></body></html>"#,
        );
        assert_eq!(author_from_byline(&doc).as_deref(), Some("Jane Holloway"));
        let only_bio = crate::html::parse(
            r#"<article><p>Text.</p><div class="author-bio">Jane Holloway edits the paper.</div></article>"#,
        );
        assert_eq!(author_from_byline(&only_bio), None);
    }

    #[test]
    fn title_suffix_is_the_outlet_only_when_the_page_agrees() {
        let footer = crate::html::parse(
            "<body><p>Story.</p><footer><p>© 2020 Millbrook Weekly Sentinel. All rights reserved.</p></footer></body>",
        );
        let title = Some("Voters approve bond | Millbrook Weekly Sentinel");
        assert_eq!(
            outlet_from_page(&footer, title, None).as_deref(),
            Some("Millbrook Weekly Sentinel")
        );
        let masthead =
            crate::html::parse(r#"<img alt="Millbrook Weekly Sentinel" src="m.png"><p>Story.</p>"#);
        assert!(outlet_from_page(&masthead, title, None).is_some());
        let bare = crate::html::parse("<p>Story.</p>");
        assert_eq!(outlet_from_page(&bare, title, None), None);
        assert_eq!(
            outlet_from_page(
                &bare,
                Some("Ferry upgrade - Harbor Point Courier"),
                Some("https://www.harborpointcourier.com/x/")
            )
            .as_deref(),
            Some("Harbor Point Courier")
        );
        // A section name in the title is not the outlet.
        assert_eq!(
            outlet_from_page(&footer, Some("Ferry upgrade - Local News"), None),
            None
        );
    }

    #[test]
    fn copyright_lines_name_the_outlet() {
        assert_eq!(
            outlet_from_copyright_line("© 2017 The Riverton Ledger").as_deref(),
            Some("The Riverton Ledger")
        );
        assert_eq!(
            outlet_from_copyright_line(
                "Copyright 2015-2020 Harbor Point Courier. All rights reserved."
            )
            .as_deref(),
            Some("Harbor Point Courier")
        );
        assert_eq!(outlet_from_copyright_line("The council met in 2017."), None);
    }
}
