//! Plain-text pages: text saved from a web page, still carrying skip links, menus,
//! photo captions, share prompts and footers. Lines are judged one by one; the
//! headline is the first short line that stands alone.

/// What a plain-text page yields before dating.
#[derive(Debug, Default, PartialEq)]
pub struct TextPage {
    /// The headline: the first short line that stands alone; empty when none does.
    pub title: String,
    /// The article text, paragraphs separated by blank lines, menus and captions left out.
    pub body: String,
    /// The name from a byline line ("By Jane Doe | Staff", "Posted on ... by Jane
    /// Doe"), without what follows it.
    pub author: Option<String>,
    /// The outlet: from a line under the headline ("Northgate Gazette - 2022-09-19"
    /// or the name alone), else from the footer's copyright line.
    pub outlet: Option<String>,
    /// The byline or dateline lines (kept out of the body, used for dating).
    pub header_lines: Vec<String>,
}

/// Lines that are page furniture wherever they stand (compared lowercase, trimmed).
const JUNK_LINES: &[&str] = &[
    "press \"enter\" to skip to content",
    "press “enter” to skip to content",
    "skip to content",
    "skip to main content",
    "skip to navigation",
    "jump to navigation",
    "advertisement",
    "advertisements",
    "ad",
    "share this:",
    "share this",
    "share",
    "share on facebook",
    "share on twitter",
    "share on x",
    "tweet",
    "email",
    "print",
    "copy link",
    "like this:",
    "like",
    "loading...",
    "related",
    "related posts",
    "related stories",
    "related articles",
    "menu",
    "search",
    "subscribe",
    "sign in",
    "log in",
    "close",
    "continue reading",
    "read more",
    "leave a comment",
    "leave a reply",
    "post navigation",
    "you may also like",
    "recommended",
];

/// Lines that start page furniture (compared lowercase).
const JUNK_PREFIXES: &[&str] = &[
    "click to share on",
    "click to email",
    "click to print",
    "share on ",
    "sign up for our",
    "sign up for the",
    "subscribe to our",
    "subscribe to the",
    "get our newsletter",
    "get the latest",
    "copyright ",
    "©",
    "(c) ",
    "all rights reserved",
    "this website uses cookies",
    "we use cookies",
    "posted in ",
    "filed under",
    "tags:",
    "tagged ",
    "categories:",
    "photo:",
    "photo by ",
    "photograph:",
    "image:",
    "credit:",
    "file photo",
    "follow us",
    "follow @",
    "read next",
    "read more:",
    "related:",
    "see also:",
    "previous post",
    "next post",
    "previous article",
    "next article",
    "reporting by",
    "additional reporting by",
    "editing by",
    "have a tip",
    "got a tip",
    "this slideshow requires",
    "reading time",
    "estimated reading time",
    "like this story",
    "like this article",
    "get the latest updates",
];

/// Lines after which nothing is article text.
const END_MARKERS: &[&str] = &[
    "leave a reply",
    "leave a comment",
    "post navigation",
    "related posts",
    "related stories",
    "related articles",
    "you may also like",
    "more from",
    "recommended for you",
    "comments are closed",
];

fn norm(line: &str) -> String {
    line.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn is_junk_line(line: &str) -> bool {
    let n = norm(line);
    if n.is_empty() {
        return false;
    }
    let bare = n.trim_start_matches(['(', '[']);
    if JUNK_LINES.contains(&n.as_str())
        || JUNK_PREFIXES.iter().any(|p| bare.starts_with(p))
        || n.contains("all rights reserved")
    {
        return true;
    }
    is_comment_count(&n) || is_menu_line(line) || is_caption(line) || is_pitch(&n)
}

/// A newsletter pitch or a social "follow us" prompt (`n` normalised).
fn is_pitch(n: &str) -> bool {
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    n.len() < 300
        && ((n.contains("newsletter") && has(&["sign up", "subscribe", "inbox", "delivered"]))
            || (n.contains("inbox") && has(&["sign up", "subscribe"]))
            || (n.starts_with("follow ")
                && has(&["twitter", "facebook", "instagram", "youtube", "linkedin"]))
            || n.ends_with("min read"))
}

/// "12 Comments", "1 comment", "No Comments".
fn is_comment_count(n: &str) -> bool {
    let mut words = n.split(' ');
    match (words.next(), words.next(), words.next()) {
        (Some(a), Some(b), None) => {
            (a.chars().all(|c| c.is_ascii_digit()) || a == "no")
                && (b == "comments" || b == "comment" || b == "responses" || b == "replies")
        }
        _ => false,
    }
}

/// "News | Sports | Opinion | Subscribe": short items between separators.
fn is_menu_line(line: &str) -> bool {
    let parts: Vec<&str> = line
        .split(['|', '•', '·'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 4 && parts.iter().all(|p| p.split_whitespace().count() <= 3)
}

/// A photo caption: ends with a credit ("Photo: X", "(Photo by X)", "/ Getty Images").
fn is_caption(line: &str) -> bool {
    let lower = line.to_lowercase();
    let tail_start = lower.len().saturating_sub(80);
    let tail = lower.get(tail_start..).unwrap_or(&lower);
    let credit = [
        "photo:",
        "photo by",
        "photos:",
        "photograph:",
        "credit:",
        "image:",
        "courtesy of",
        "getty images",
        "ap photo",
        "/ reuters",
        "file photo",
        "(photo",
        "illustration:",
    ]
    .iter()
    .any(|m| tail.contains(m));
    credit && line.len() < 400
}

fn is_byline(line: &str) -> bool {
    let n = norm(line);
    (n.starts_with("by ") && line.split_whitespace().count() <= 14)
        || n.starts_with("posted by ")
        || n.starts_with("written by ")
}

/// Author name from "By Jane Doe | March 4, 2018" or "By Jane Doe, Staff Writer".
fn author_from_byline(line: &str) -> Option<String> {
    let t = line.trim();
    let rest = ["By ", "by ", "BY ", "Posted by ", "Written by "]
        .iter()
        .find_map(|p| t.strip_prefix(p))?;
    let name = rest.split(['|', ',', '—', '–']).next()?.trim();
    let name = name.split(" - ").next()?.trim();
    (!name.is_empty() && name.split_whitespace().count() <= 5).then(|| name.to_string())
}

/// A line such as "Northgate Gazette - 2022-09-19 13:54": an outlet and a date.
fn outlet_dateline(line: &str) -> Option<String> {
    let (left, right) = line.split_once(" - ").or_else(|| line.split_once(" — "))?;
    let left = left.trim();
    let dated = super::date::find_text_date(right).is_some();
    (dated && !left.is_empty() && left.split_whitespace().count() <= 6).then(|| left.to_string())
}

/// A short capitalised name with no sentence punctuation ("The Harbor Ledger").
fn is_name_line(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    (1..=6).contains(&words.len())
        && line.len() <= 60
        && !line
            .trim_end()
            .ends_with(['.', '!', '?', ':', ',', '"', '”'])
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || matches!(*w, "of" | "the" | "and" | "de" | "la" | "du" | "&")
        })
}

/// Could `line` be a headline: short, not a sentence run-on, not furniture.
fn is_headline_candidate(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (2..=30).contains(&words) && line.len() <= 250 && !line.trim_end().ends_with(':')
}

/// Split a plain-text page into headline, header lines and body paragraphs.
pub fn extract_text_page(text: &str) -> TextPage {
    // Paragraphs: runs of non-blank lines; a hard-wrapped paragraph is joined.
    let mut paras: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paras.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.trim());
        }
    }
    if !current.is_empty() {
        paras.push(current);
    }

    let mut page = TextPage::default();
    let mut body: Vec<String> = Vec::new();
    let mut title_found = false;
    'paras: for para in paras {
        // Lines of a block are judged separately: a dump often has one item per line.
        let mut kept: Vec<&str> = Vec::new();
        // Lines set right under the headline (no blank line) belong to its header.
        let mut under_title = false;
        for line in para {
            let n = norm(line);
            // A comment count ("12 Comments") also ends the article: what follows is
            // the comment section.
            let ends = END_MARKERS
                .iter()
                .any(|m| n == *m || n.starts_with(&format!("{m} ")))
                || is_comment_count(&n);
            if title_found && !body.is_empty() && ends {
                if !kept.is_empty() {
                    body.push(kept.join(" "));
                }
                break 'paras;
            }
            if is_junk_line(line) {
                continue;
            }
            if !title_found {
                if is_headline_candidate(line) {
                    page.title = line.trim().to_string();
                    title_found = true;
                    under_title = true;
                }
                // Anything above the headline is page furniture.
                continue;
            }
            if body.is_empty() && kept.is_empty() {
                // A byline first: "By Tom Kowalczyk" is also a short capitalised line.
                if is_byline(line) {
                    if page.author.is_none() {
                        page.author = author_from_byline(line);
                    }
                    page.header_lines.push(line.to_string());
                    continue;
                }
                if under_title && is_name_line(line) {
                    // "The Harbor Ledger" under the headline: the outlet.
                    if page.outlet.is_none() {
                        page.outlet = Some(line.trim().to_string());
                    }
                    page.header_lines.push(line.to_string());
                    continue;
                }
                if let Some(outlet) = outlet_dateline(line) {
                    page.outlet = Some(outlet);
                    page.header_lines.push(line.to_string());
                    continue;
                }
                if line.split_whitespace().count() <= 8
                    && super::date::find_text_date(line).is_some()
                {
                    // "Posted on January 26, 2016 by Jessica Albright"
                    if page.author.is_none() {
                        page.author = line
                            .rsplit_once(" by ")
                            .and_then(|(_, name)| super::attribution::name_from_byline(name));
                    }
                    page.header_lines.push(line.to_string());
                    continue;
                }
            }
            kept.push(line);
        }
        if !kept.is_empty() {
            body.push(kept.join(" "));
        }
    }
    page.body = body.join("\n\n");
    if page.outlet.is_none() {
        // The footer's copyright line names the outlet; it sits past the end
        // markers, so it is looked for in the whole page, last lines first.
        page.outlet = text
            .lines()
            .rev()
            .take(40)
            .find_map(super::attribution::outlet_from_copyright_line);
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    const DUMP: &str = "Press \"Enter\" to skip to content\n\nNews | Sports | Opinion | Subscribe\n\nCouncil Backs Library Plan\n\nBy Ana Ruiz | June 3, 2017\n\nThe new branch will open in spring. Photo: Jo Doe / The Riverton Ledger\n\nThe city council voted on Monday to fund a new library branch,\nending a two-year debate.\n\nAdvertisement\n\nThe branch will cost $4 million.\n\nShare this:\n\nClick to share on Twitter (Opens in new window)\n\n12 Comments\n\n© 2017 The Riverton Ledger\n";

    #[test]
    fn headline_byline_and_body() {
        let page = extract_text_page(DUMP);
        assert_eq!(page.title, "Council Backs Library Plan");
        assert_eq!(page.author.as_deref(), Some("Ana Ruiz"));
        assert!(page.body.starts_with("The city council voted on Monday to fund a new library branch, ending a two-year debate."), "{}", page.body);
        assert!(
            page.body.ends_with("The branch will cost $4 million."),
            "{}",
            page.body
        );
        for junk in [
            "skip to content",
            "Advertisement",
            "Photo:",
            "Share this",
            "Comments",
            "©",
            "Subscribe",
        ] {
            assert!(!page.body.contains(junk), "{junk}");
        }
        assert_eq!(page.body.matches("\n\n").count(), 1);
    }

    #[test]
    fn outlet_dateline_line() {
        let page = extract_text_page(
            "A Title Here\nNorthgate Gazette - 2022-09-19 13:54\n\nBody text one.\n",
        );
        assert_eq!(page.title, "A Title Here");
        assert_eq!(page.outlet.as_deref(), Some("Northgate Gazette"));
        assert_eq!(page.body, "Body text one.");
    }

    #[test]
    fn end_markers_cut_the_tail() {
        let page = extract_text_page(
            "Headline words here\n\nFirst paragraph of the story.\n\nLeave a Reply\n\nGreat post by a reader.\n",
        );
        assert_eq!(page.body, "First paragraph of the story.");
    }

    #[test]
    fn pitches_credits_and_prompts_are_dropped_but_sentences_kept() {
        let page = extract_text_page(
            "Council Backs Library Plan\n\n4 min read\n\nThe council voted on Monday to fund a new branch.\n\nGet the latest updates right in your inbox. Subscribe to our newsletters.\n\nThe branch will have a reading room with an inbox for returns.\n\nFollow Ledger News on Instagram, Facebook and Twitter.\n\nHave a tip? Ana Ruiz may be reached at ana@ledger.example.\n\n(Reporting by Jo Doe; Editing by Ana Ruiz)\n",
        );
        assert_eq!(
            page.body,
            "The council voted on Monday to fund a new branch.\n\nThe branch will have a reading room with an inbox for returns."
        );
    }

    #[test]
    fn byline_under_the_headline_is_the_author_not_the_outlet() {
        let page = extract_text_page(
            "Snow Plowing Falls Behind\nBy Tom Kowalczyk\n\nStreets stayed white for days.\n\n31 Comments\n\u{a9} 2017 The Riverton Ledger\n",
        );
        assert_eq!(page.author.as_deref(), Some("Tom Kowalczyk"));
        // The copyright line past the end of the article names the outlet.
        assert_eq!(page.outlet.as_deref(), Some("The Riverton Ledger"));
        assert_eq!(page.body, "Streets stayed white for days.");
    }

    #[test]
    fn posted_on_date_by_name_gives_the_author() {
        let page = extract_text_page(
            "School Board Picks Interim Chief\nPosted on January 26, 2016 by Jessica Albright\n\nThe board voted on Monday.\n",
        );
        assert_eq!(page.author.as_deref(), Some("Jessica Albright"));
        assert_eq!(page.header_lines.len(), 1);
        assert_eq!(page.outlet, None);
    }

    #[test]
    fn outlet_line_under_the_headline_is_header_not_body() {
        let page = extract_text_page(
            "Council Backs Library Plan\nThe Harbor Ledger\n\nThe council voted on Monday to fund a new branch.\n",
        );
        assert_eq!(page.title, "Council Backs Library Plan");
        assert_eq!(page.outlet.as_deref(), Some("The Harbor Ledger"));
        assert_eq!(
            page.body,
            "The council voted on Monday to fund a new branch."
        );
        // After a blank line, a short first line is body text.
        let page = extract_text_page(
            "Council Backs Library Plan\n\nThe Harbor Ledger\n\nMore text here.\n",
        );
        assert!(page.body.starts_with("The Harbor Ledger"), "{}", page.body);
    }
}
