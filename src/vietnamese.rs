//! Vietnamese text rules shared by every stage: NFC normalisation, ASCII slugs,
//! alphabetical collation (Đ after D, Ư after U) and number formatting
//! ("28.101", "73,95%").
//!
//! Collation is written by hand: the Vietnamese alphabet is a fixed table of 29
//! letters and five tone marks, while the general-purpose collator (ICU4X) would
//! bring dozens of crates and a data blob into the build for this one ordering.

use std::cmp::Ordering;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Returns `text` in Unicode NFC, borrowing when it already is.
pub fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    if is_nfc(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}

/// Whether `text` is already NFC, checked quickly for Vietnamese: letters
/// below U+0300 (ASCII, Latin-1, Latin Extended-A/B: ă, đ, ơ, ư) and the
/// precomposed letters of Latin Extended Additional (U+1E00–U+1EFF: ạ … ỹ)
/// are NFC on their own and never combine with what precedes them, so only
/// the runs of other characters between them need the general check.
pub fn is_nfc(text: &str) -> bool {
    nfc_checked(text, true)
}

/// [`is_nfc`], skipping 8 bytes at a time where it can (`words`) or not
/// (the reference the tests hold it to).
fn nfc_checked(text: &str, words: bool) -> bool {
    // Byte by byte, from the UTF-8 lead bytes: U+0000–U+02FF start with a
    // byte below 0xCC, U+1E00–U+1EFF with E1 B8…E1 BB.
    let bytes = text.as_bytes();
    let mut run_start = None;
    let mut i = 0;
    while i < bytes.len() {
        if words && run_start.is_none() {
            i = skip_plain_words(bytes, i);
            if i >= bytes.len() {
                break;
            }
        }
        let b = bytes[i];
        let (plain, len) = match b {
            0..0x80 => (true, 1),
            0x80..0xE0 => (b < 0xCC, 2),
            0xE0..0xF0 => (
                b == 0xE1 && bytes.get(i + 1).is_some_and(|n| (0xB8..=0xBB).contains(n)),
                3,
            ),
            _ => (false, 4),
        };
        if plain {
            if let Some(start) = run_start.take() {
                if is_nfc_quick(text[start..i].chars()) != IsNormalized::Yes {
                    return false;
                }
            }
        } else if run_start.is_none() {
            run_start = Some(i);
        }
        i += len;
    }
    run_start.is_none_or(|start| is_nfc_quick(text[start..].chars()) == IsNormalized::Yes)
}

/// From char boundary `i`, to the first byte of 0xCC or more, 8 bytes at
/// a time: every character starting before it has a lead byte below 0xCC,
/// so is plain (most of a Vietnamese text's bytes, which were otherwise
/// decoded one by one). Past the last whole 8 bytes, to the next char
/// boundary. Returns a char boundary: a byte of 0xCC or more is never a
/// continuation byte.
fn skip_plain_words(bytes: &[u8], mut i: usize) -> usize {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte's low seven bits plus 0x34 reach 0x80 (and never carry into
    // the next byte) when they are 0x4C or more: with the high bit set,
    // the byte is 0xCC or more.
    const TO_CC: u64 = 0x3434_3434_3434_3434;
    let start = i;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let found = ((x & LOW) + TO_CC) & x & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    if i > start {
        while bytes.get(i).is_some_and(|b| (0x80..0xC0).contains(b)) {
            i += 1;
        }
    }
    i
}

/// Splits a Vietnamese letter into (base letter, tone index): tone 0 is level,
/// then huyền, hỏi, ngã, sắc, nặng, the order of Vietnamese dictionaries.
fn decompose(c: char) -> (char, u8) {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let mut base = None;
    let mut tone = 0u8;
    let mut modifier = None;
    for d in lower.to_string().nfd() {
        match d {
            '\u{0300}' => tone = 1, // huyền
            '\u{0309}' => tone = 2, // hỏi
            '\u{0303}' => tone = 3, // ngã
            '\u{0301}' => tone = 4, // sắc
            '\u{0323}' => tone = 5, // nặng
            '\u{0306}' | '\u{0302}' | '\u{031B}' => modifier = Some(d),
            other if base.is_none() => base = Some(other),
            _ => {}
        }
    }
    let base = base.unwrap_or(lower);
    let letter = match (base, modifier) {
        ('a', Some('\u{0306}')) => 'ă',
        ('a', Some('\u{0302}')) => 'â',
        ('e', Some('\u{0302}')) => 'ê',
        ('o', Some('\u{0302}')) => 'ô',
        ('o', Some('\u{031B}')) => 'ơ',
        ('u', Some('\u{031B}')) => 'ư',
        (b, _) => b,
    };
    (letter, tone)
}

/// Position of a letter in the Vietnamese alphabet, with the Latin letters the
/// alphabet lacks (f, j, w, z) placed where English puts them; other characters
/// sort after letters by code point.
fn letter_rank(letter: char) -> u32 {
    const ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";
    match ALPHABET.chars().position(|c| c == letter) {
        Some(i) => 1000 + i as u32,
        None if letter.is_ascii_digit() => 100 + letter as u32,
        None if letter.is_whitespace() => 1,
        None if letter.is_ascii_punctuation() => 2 + letter as u32 % 90,
        None => 2000 + letter as u32,
    }
}

/// Compares two strings in Vietnamese dictionary order: letters first, then
/// tones, then case, then code points, so the order is total and stable.
///
/// ```
/// use minhbach::vietnamese::collate;
/// let mut names = vec!["Đồng Tháp", "Hà Nội", "Dương"];
/// names.sort_by(|a, b| collate(a, b));
/// assert_eq!(names, ["Dương", "Đồng Tháp", "Hà Nội"]);
/// ```
pub fn collate(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

/// The key [`collate`] compares: computed once per name, it makes sorting
/// many names cheap (`sort_by_cached_key(|x| sort_key(&x.name))`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    letters: Vec<u32>,
    tones: Vec<u8>,
    // Upper case sorts first.
    case: std::cmp::Reverse<Vec<bool>>,
    raw: String,
}

/// The Vietnamese collation key of `s`.
pub fn sort_key(s: &str) -> SortKey {
    let chars: Vec<(char, u8)> = nfc(s).chars().map(decompose).collect();
    SortKey {
        letters: chars.iter().map(|(l, _)| letter_rank(*l)).collect(),
        tones: chars.iter().map(|k| k.1).collect(),
        case: std::cmp::Reverse(s.chars().map(char::is_uppercase).collect()),
        raw: s.to_string(),
    }
}

/// Folds Vietnamese text to lowercase ASCII: tones and marks dropped, đ → d.
pub fn fold_ascii(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            // Đ, đ and the look-alike Ð/ð that extraction produces.
            'đ' | 'Đ' | '\u{00D0}' | '\u{00F0}' => out.push('d'),
            _ => {
                for lower in c.to_lowercase() {
                    unicode_normalization::char::decompose_canonical(lower, |d| {
                        if !is_combining_mark(d) {
                            out.push(d);
                        }
                    });
                }
            }
        }
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// A readable ASCII slug: "Sở Lao động – Thương binh" → "so-lao-dong-thuong-binh".
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in fold_ascii(text).chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c);
        } else {
            dash = true;
        }
    }
    slug
}

/// Formats a number the Vietnamese way: "." groups thousands, "," marks
/// decimals; at most `max_decimals` decimals, trailing zeros dropped.
///
/// ```
/// use minhbach::vietnamese::format_number;
/// assert_eq!(format_number(28101.0, 2), "28.101");
/// assert_eq!(format_number(73.95, 2), "73,95");
/// ```
pub fn format_number(value: f64, max_decimals: usize) -> String {
    if !value.is_finite() {
        return String::from("—");
    }
    // Whole numbers (most figures: counts of people, meetings, documents)
    // skip the float formatting, whose exact path can fall back to a slow
    // bignum algorithm: below 2^53 the integer's digits are the same.
    let abs = value.abs();
    let fixed = if abs.fract() == 0.0 && abs < 9_007_199_254_740_992.0 {
        (abs as u64).to_string()
    } else {
        format!("{:.*}", max_decimals, abs)
    };
    let (int_part, frac_part) = match fixed.split_once('.') {
        Some((i, f)) => (i, f.trim_end_matches('0')),
        None => (fixed.as_str(), ""),
    };
    let mut out = String::new();
    if value < 0.0 && fixed.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    let digits = int_part.as_bytes();
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(*d as char);
    }
    if !frac_part.is_empty() {
        out.push(',');
        out.push_str(frac_part);
    }
    out
}

/// Formats a percentage with two decimals at most: 73.95 → "73,95%".
pub fn format_percent(value: f64) -> String {
    format!("{}%", format_number(value, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Characters that are NFC alone and start a new combining sequence
    /// (canonical combining class 0, NFC_Quick_Check = Yes, not composable
    /// with a preceding character); see the test below.
    fn is_plain_letter(c: char) -> bool {
        c < '\u{0300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c)
    }

    #[test]
    fn plain_letters_are_nfc_and_start_a_sequence() {
        let plain = ('\0'..='\u{10FFFF}').filter(|&c| is_plain_letter(c));
        let mut n = 0;
        for c in plain {
            n += 1;
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(c),
                0,
                "{c:?}"
            );
            // Yes, not Maybe: Maybe marks the characters that can compose
            // with the one before them.
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
        }
        assert_eq!(n, 0x300 + 0x100);
        // The quick check agrees with full normalisation around every
        // character of the Basic Multilingual Plane.
        for c in '\0'..='\u{FFFF}' {
            for s in [
                format!("a{c}"),
                format!("{c}\u{0301}b"),
                format!("ư{c}\u{0323}"),
            ] {
                let full: String = s.nfc().collect();
                assert_eq!(nfc(&s), full, "{c:?}");
            }
        }
    }

    #[test]
    fn nfc_is_checked_alike_eight_bytes_at_a_time() {
        // Every character placed at each offset of a longer text, so that
        // it falls in each byte of an 8-byte word, after plain letters of
        // one and two bytes (which may straddle a word's end); then a
        // combining mark, which composes with some of them.
        let chars = ('\0'..='\u{3FF}').chain('\u{1DC0}'..='\u{1F00}').chain([
            '\u{2013}',
            '\u{201C}',
            '\u{FB01}',
            '\u{AC00}',
            '\u{1F600}',
        ]);
        for c in chars {
            for lead in 0..17 {
                let head: String = "ađ ơ Công tác dân".chars().cycle().take(lead).collect();
                for tail in ["", "\u{0301}", " và \u{0323}x", "ơn vị của năm 2021"] {
                    let s = format!("{head}{c}{tail}");
                    let full: String = s.nfc().collect();
                    assert_eq!(is_nfc(&s), nfc_checked(&s, false), "{s:?}");
                    assert!(!is_nfc(&s) || full == s, "{s:?}");
                    let at = skip_plain_words(s.as_bytes(), 0);
                    assert!(s.is_char_boundary(at), "{s:?} at {at}");
                }
            }
        }
    }

    #[test]
    fn folding_drops_tones_and_marks() {
        assert_eq!(fold_ascii("Đảng Ủy ĐỒNG Ý Ð ñ Ǖ"), "dang uy dong y d n u");
    }

    #[test]
    fn numbers_use_vietnamese_separators() {
        assert_eq!(format_number(28101.0, 2), "28.101");
        assert_eq!(format_number(8601610000.0, 0), "8.601.610.000");
        assert_eq!(format_number(13676.5, 2), "13.676,5");
        assert_eq!(format_number(3.774, 3), "3,774");
        assert_eq!(format_number(999.0, 2), "999");
        assert_eq!(format_number(-1234.5, 1), "-1.234,5");
        assert_eq!(format_number(-0.0001, 2), "0");
        assert_eq!(format_percent(73.9526), "73,95%");
        assert_eq!(format_percent(100.0), "100%");
        assert_eq!(format_number(-0.0, 2), "0");
        assert_eq!(format_number(-5.0, 2), "-5");
        assert_eq!(format_number(1e20, 0), "100.000.000.000.000.000.000");
    }

    /// Whole numbers take a shortcut past the float formatting: it gives
    /// the same digits as the float formatting, at every size.
    #[test]
    fn whole_numbers_are_written_as_the_float_formatting_writes_them() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for shift in 0..64 {
            for _ in 0..50 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let whole = (x >> shift) as f64;
                for value in [whole, -whole] {
                    let float = format!("{:.2}", value.abs());
                    let int = float.split_once('.').map_or(float.as_str(), |(i, _)| i);
                    let mut grouped = String::new();
                    if value < 0.0 && int != "0" {
                        grouped.push('-');
                    }
                    for (i, d) in int.chars().enumerate() {
                        if i > 0 && (int.len() - i) % 3 == 0 {
                            grouped.push('.');
                        }
                        grouped.push(d);
                    }
                    assert_eq!(format_number(value, 2), grouped, "{value}");
                }
            }
        }
    }

    #[test]
    fn collation_puts_d_stroke_after_d_and_tones_after_letters() {
        let mut names = vec![
            "Đồng Tháp",
            "Đà Nẵng",
            "Bình Phước",
            "Trà Vinh",
            "Dương",
            "Ư",
            "Uyên",
            "An Giang",
            "Ăn",
        ];
        names.sort_by(|a, b| collate(a, b));
        assert_eq!(
            names,
            vec![
                "An Giang",
                "Ăn",
                "Bình Phước",
                "Dương",
                "Đà Nẵng",
                "Đồng Tháp",
                "Trà Vinh",
                "Uyên",
                "Ư"
            ]
        );
        assert_eq!(collate("ma", "mà"), Ordering::Less);
        assert_eq!(collate("mà", "mả"), Ordering::Less);
        assert_eq!(collate("mạ", "mb"), Ordering::Less);
    }

    #[test]
    fn collation_is_independent_of_normal_form() {
        let nfd: String = "Đồng Tháp".nfd().collect();
        assert!(collate(&nfd, "Đồng Tháp").is_ne()); // code points break the tie
        assert_eq!(
            collate(&nfd, "Đồng Thápz"),
            collate("Đồng Tháp", "Đồng Thápz")
        );
    }

    #[test]
    fn slugs_and_folding() {
        assert_eq!(
            slugify("Sở Lao động – Thương binh và Xã hội"),
            "so-lao-dong-thuong-binh-va-xa-hoi"
        );
        assert_eq!(slugify("Đà Nẵng"), "da-nang");
        assert_eq!(slugify("04/2015/NĐ-CP"), "04-2015-nd-cp");
        assert_eq!(fold_ascii("Dân Vận ĐƯỜNG"), "dan van duong");
        let nfd: String = "dân vận".nfd().collect();
        assert_eq!(fold_ascii(&nfd), "dan van");
        assert_eq!(nfc(&nfd), "dân vận");
        assert!(matches!(nfc("dân vận"), std::borrow::Cow::Borrowed(_)));
        // A combining mark after a plain letter is not NFC.
        assert_eq!(nfc("a\u{0301} ư\u{0309}"), "á ử");
        assert_eq!(nfc("– “x” ¹"), "– “x” ¹");
    }
}
