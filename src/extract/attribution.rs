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

/// "By Jane Holloway | November 4, 2015" -> "Jane Holloway"; None when what is
/// left does not look like a person's or a desk's name.
pub fn name_from_byline(text: &str) -> Option<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = text.to_lowercase();
    let start = ["posted by ", "written by ", "words by ", "story by ", "by "]
        .iter()
        .find_map(|p| lower.starts_with(p).then_some(p.len()))
        .unwrap_or(0);
    let rest = &text[start..];
    let name = rest
        .split(['|', '·', '•', ',', '—', '–', '\n'])
        .next()?
        .split(" - ")
        .next()?
        .trim();
    // "Jane Holloway on November 4": the date part is not the name.
    let name = name
        .split(" on ")
        .next()
        .unwrap_or(name)
        .trim_end_matches(['.', ':'])
        .trim();
    looks_like_name(name).then(|| name.to_string())
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
