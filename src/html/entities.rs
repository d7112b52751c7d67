//! Character references: numeric (`&#8217;`, `&#x2019;`) and the named ones that occur
//! in news text. An unknown name is kept as written, which is what browsers show.

use std::borrow::Cow;

/// Named references seen in article text (punctuation, Latin letters with accents,
/// symbols). The full HTML table has over 2,000 names, nearly all mathematical.
const NAMED: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", "\u{a0}"),
    ("ensp", "\u{2002}"),
    ("emsp", "\u{2003}"),
    ("thinsp", "\u{2009}"),
    ("zwnj", "\u{200c}"),
    ("zwj", "\u{200d}"),
    ("shy", "\u{ad}"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("mdash", "—"),
    ("ndash", "–"),
    ("minus", "−"),
    ("hellip", "…"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("sbquo", "‚"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("bdquo", "„"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("lsaquo", "‹"),
    ("rsaquo", "›"),
    ("bull", "•"),
    ("middot", "·"),
    ("sect", "§"),
    ("para", "¶"),
    ("deg", "°"),
    ("plusmn", "±"),
    ("times", "×"),
    ("divide", "÷"),
    ("frac12", "½"),
    ("frac14", "¼"),
    ("frac34", "¾"),
    ("sup1", "¹"),
    ("sup2", "²"),
    ("sup3", "³"),
    ("cent", "¢"),
    ("pound", "£"),
    ("euro", "€"),
    ("yen", "¥"),
    ("curren", "¤"),
    ("iexcl", "¡"),
    ("iquest", "¿"),
    ("dagger", "†"),
    ("Dagger", "‡"),
    ("prime", "′"),
    ("Prime", "″"),
    ("larr", "←"),
    ("rarr", "→"),
    ("uarr", "↑"),
    ("darr", "↓"),
    ("harr", "↔"),
    ("hearts", "♥"),
    ("star", "☆"),
    ("check", "✓"),
    ("ordf", "ª"),
    ("ordm", "º"),
    ("micro", "µ"),
    ("acute", "´"),
    ("uml", "¨"),
    ("cedil", "¸"),
    ("macr", "¯"),
    ("szlig", "ß"),
    ("AElig", "Æ"),
    ("aelig", "æ"),
    ("OElig", "Œ"),
    ("oelig", "œ"),
    ("Oslash", "Ø"),
    ("oslash", "ø"),
    ("Aring", "Å"),
    ("aring", "å"),
    ("ETH", "Ð"),
    ("eth", "ð"),
    ("THORN", "Þ"),
    ("thorn", "þ"),
    ("Agrave", "À"),
    ("Aacute", "Á"),
    ("Acirc", "Â"),
    ("Atilde", "Ã"),
    ("Auml", "Ä"),
    ("agrave", "à"),
    ("aacute", "á"),
    ("acirc", "â"),
    ("atilde", "ã"),
    ("auml", "ä"),
    ("Ccedil", "Ç"),
    ("ccedil", "ç"),
    ("Egrave", "È"),
    ("Eacute", "É"),
    ("Ecirc", "Ê"),
    ("Euml", "Ë"),
    ("egrave", "è"),
    ("eacute", "é"),
    ("ecirc", "ê"),
    ("euml", "ë"),
    ("Igrave", "Ì"),
    ("Iacute", "Í"),
    ("Icirc", "Î"),
    ("Iuml", "Ï"),
    ("igrave", "ì"),
    ("iacute", "í"),
    ("icirc", "î"),
    ("iuml", "ï"),
    ("Ntilde", "Ñ"),
    ("ntilde", "ñ"),
    ("Ograve", "Ò"),
    ("Oacute", "Ó"),
    ("Ocirc", "Ô"),
    ("Otilde", "Õ"),
    ("Ouml", "Ö"),
    ("ograve", "ò"),
    ("oacute", "ó"),
    ("ocirc", "ô"),
    ("otilde", "õ"),
    ("ouml", "ö"),
    ("Ugrave", "Ù"),
    ("Uacute", "Ú"),
    ("Ucirc", "Û"),
    ("Uuml", "Ü"),
    ("ugrave", "ù"),
    ("uacute", "ú"),
    ("ucirc", "û"),
    ("uuml", "ü"),
    ("Yacute", "Ý"),
    ("yacute", "ý"),
    ("yuml", "ÿ"),
    ("Scaron", "Š"),
    ("scaron", "š"),
    ("Zcaron", "Ž"),
    ("zcaron", "ž"),
    ("Ccaron", "Č"),
    ("ccaron", "č"),
    ("Alpha", "Α"),
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("delta", "δ"),
    ("mu", "μ"),
    ("pi", "π"),
    ("sigma", "σ"),
    ("omega", "ω"),
];

fn lookup(name: &str) -> Option<&'static str> {
    NAMED.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// Windows-1252 meanings of C1 code points, which browsers apply to `&#128;`-`&#159;`.
fn c1_fixup(cp: u32) -> u32 {
    const MAP: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    if (0x80..0xA0).contains(&cp) {
        MAP[(cp - 0x80) as usize]
    } else {
        cp
    }
}

/// Where a reference stands: attribute values keep `&name=` as written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Text,
    Attribute,
}

/// Decode one reference starting just after `&`; returns the text and bytes consumed.
fn decode_one(rest: &str, context: Context) -> Option<(Cow<'static, str>, usize)> {
    let bytes = rest.as_bytes();
    if bytes.first() == Some(&b'#') {
        let (digits_start, radix) = match bytes.get(1) {
            Some(b'x') | Some(b'X') => (2, 16),
            _ => (1, 10),
        };
        let len = bytes[digits_start..]
            .iter()
            .take_while(|b| (*b).is_ascii_hexdigit() && (radix == 16 || b.is_ascii_digit()))
            .count();
        if len == 0 || len > 8 {
            return None;
        }
        let digits = &rest[digits_start..digits_start + len];
        let cp = c1_fixup(u32::from_str_radix(digits, radix).ok()?);
        let ch = match cp {
            0 => '\u{FFFD}',
            _ => char::from_u32(cp).unwrap_or('\u{FFFD}'),
        };
        let mut used = digits_start + len;
        if bytes.get(used) == Some(&b';') {
            used += 1;
        }
        return Some((Cow::Owned(ch.to_string()), used));
    }
    let len = bytes
        .iter()
        .take(10)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if len == 0 {
        return None;
    }
    let value = lookup(&rest[..len])?;
    let mut used = len;
    match bytes.get(used) {
        Some(b';') => used += 1,
        // In an attribute, an unterminated name before `=` is a query
        // parameter (`?a=1&reg=2`), not a reference: HTML leaves it alone, and
        // decoding it would change a canonical URL and so a document's id.
        Some(b'=') if context == Context::Attribute => return None,
        _ => {}
    }
    Some((Cow::Borrowed(value), used))
}

/// Replace character references in text; borrows when there are none.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    decode_in(s, Context::Text)
}

/// Replace character references in an attribute value, where `&name=` without a
/// semicolon stays as written (as HTML parses it); borrows when there are none.
pub fn decode_attribute_entities(s: &str) -> Cow<'_, str> {
    decode_in(s, Context::Attribute)
}

fn decode_in(s: &str, context: Context) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos + 1..];
        match decode_one(rest, context) {
            Some((text, used)) => {
                out.push_str(&text);
                rest = &rest[used..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{decode_attribute_entities, decode_entities};

    #[test]
    fn attribute_query_parameters_are_not_references() {
        let href = "https://example.org/story?a=1&reg=2&copy=3&amp;x=4&reg;";
        assert_eq!(
            decode_attribute_entities(href),
            "https://example.org/story?a=1&reg=2&copy=3&x=4®"
        );
        // In text the same bytes are references, as browsers show them.
        assert_eq!(decode_entities("&reg=2"), "®=2");
        assert_eq!(decode_attribute_entities("&reg 2 &amp"), "® 2 &");
    }

    #[test]
    fn decodes_named_numeric_and_keeps_unknown() {
        assert_eq!(decode_entities("a &amp; b"), "a & b");
        assert_eq!(decode_entities("&#8217;&#x2019;&rsquo"), "’’’");
        assert_eq!(decode_entities("Caf&eacute; Ol&eacute;"), "Café Olé");
        assert_eq!(decode_entities("&#150;"), "–");
        assert_eq!(decode_entities("AT&T &bogus; &"), "AT&T &bogus; &");
        assert_eq!(
            decode_entities("&#0;&#99999999999;"),
            "\u{FFFD}&#99999999999;"
        );
    }
}
