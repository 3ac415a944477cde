//! The shapes of Vietnamese document symbols and the tables of the domain:
//! type codes and the words for them, national issuers, provinces.

use regex::Regex;
use std::sync::LazyLock;

/// A type or issuer code: an uppercase letter, then uppercase letters, the
/// few lowercase ASCII letters official codes use (TTg, CTr, QĐi), `&`, and
/// trailing digits (QH13, UBTVQH11). Lowercase Vietnamese letters are not
/// allowed, so "K72/ Bộ" never yields a code.
const CODE: &str = r"\p{Lu}[\p{Lu}a-z&]*[0-9]*";
/// Every dash that extraction and keyboards produce.
const DASH: &str = r"[-‐‑‒–—−]";
/// A line or page break inside a symbol ("Nghị quyết số 19-" … "NQ/TW").
const BREAK: &str = r"(?:[\p{Zs}\t]*\n\s*)?";
/// Spaces within a line, non-breaking ones included.
const SP: &str = r"[\p{Zs}\t]*";

/// All three shapes of symbol. State shapes allow no spaces (a ratio like
/// "28.101/38.000" or a date never has a code after its slash); the Party
/// shape allows spaces around its dash and slash ("22 - CTr/BCSD - BDVTU").
pub static SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?x)
        (?P<num>[0-9]{{1,5}})
        (?:
            /{BREAK}(?P<year>(?:19|20)[0-9]{{2}})/{BREAK}(?P<nissuer>{CODE}(?:{DASH}{BREAK}{CODE})*)
          | {SP}{DASH}{BREAK}{SP}(?P<ptype>{CODE}){SP}/{BREAK}{SP}(?P<pissuer>{CODE}(?:{SP}{DASH}{BREAK}{SP}{CODE})*)
          | /{BREAK}(?P<sissuer>{CODE}(?:{DASH}{BREAK}{CODE})*)
        )"
    ))
    .expect("symbol pattern compiles")
});

/// Type words as written before a symbol (lower case), and how pages name them.
const TYPE_WORDS: &[(&str, &str)] = &[
    ("chương trình phối hợp", "Chương trình phối hợp"),
    ("chương trình hành động", "Chương trình hành động"),
    ("thông báo kết luận", "Thông báo kết luận"),
    ("nghị quyết liên tịch", "Nghị quyết liên tịch"),
    ("thông tư liên tịch", "Thông tư liên tịch"),
    ("nghị quyết", "Nghị quyết"),
    ("nghị định", "Nghị định"),
    ("quyết định", "Quyết định"),
    ("chỉ thị", "Chỉ thị"),
    ("kế hoạch", "Kế hoạch"),
    ("kết luận", "Kết luận"),
    ("hướng dẫn", "Hướng dẫn"),
    ("thông tư", "Thông tư"),
    ("thông báo", "Thông báo"),
    ("công văn", "Công văn"),
    ("văn bản", "Công văn"),
    ("chương trình", "Chương trình"),
    ("pháp lệnh", "Pháp lệnh"),
    ("bộ luật", "Bộ luật"),
    ("luật", "Luật"),
    ("đề án", "Đề án"),
    ("quy định", "Quy định"),
    ("quy chế", "Quy chế"),
    ("tờ trình", "Tờ trình"),
    ("báo cáo", "Báo cáo"),
    ("công điện", "Công điện"),
];

/// Type codes and the word for each, used when the text has no type word.
const TYPE_CODES: &[(&str, &str)] = &[
    ("NQ", "Nghị quyết"),
    ("NĐ", "Nghị định"),
    ("QĐ", "Quyết định"),
    ("CT", "Chỉ thị"),
    ("KH", "Kế hoạch"),
    ("KL", "Kết luận"),
    ("HD", "Hướng dẫn"),
    ("TT", "Thông tư"),
    ("TTLT", "Thông tư liên tịch"),
    ("NQLT", "Nghị quyết liên tịch"),
    ("TB", "Thông báo"),
    ("CTr", "Chương trình"),
    ("PL", "Pháp lệnh"),
    ("ĐA", "Đề án"),
    ("QĐi", "Quy định"),
    ("QC", "Quy chế"),
    ("TTr", "Tờ trình"),
    ("BC", "Báo cáo"),
    ("CV", "Công văn"),
    ("CĐ", "Công điện"),
    ("HĐ", "Hợp đồng"),
    ("QH", "Luật"),
];

/// The word for a type code ("KH" → "Kế hoạch").
pub fn type_word_for_code(code: &str) -> Option<&'static str> {
    TYPE_CODES.iter().find(|(c, _)| *c == code).map(|(_, w)| *w)
}

/// Finds a type word ending right before `end` (allowing "số" and spaces
/// between), in any case: "quyết định số 91/QĐ-SLĐTBXH".
pub fn type_word_before(text: &str, end: usize) -> Option<(usize, &'static str)> {
    let trimmed = text[..end].trim_end();
    let trimmed = trimmed
        .strip_suffix("số")
        .or_else(|| trimmed.strip_suffix("Số"))
        .map(str::trim_end)
        .unwrap_or(trimmed);
    for (word, display) in TYPE_WORDS {
        let n = word.chars().count();
        let Some((start, _)) = trimmed.char_indices().rev().nth(n - 1) else {
            continue;
        };
        if same_words(&trimmed[start..], word) {
            let starts_word = trimmed[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if starts_word {
                return Some((start, display));
            }
        }
    }
    None
}

/// Whether `found` is `word` (lowercase) in any case and spacing, with the
/// look-alike Ð (U+00D0) read as Đ. Compared character by character: this
/// runs for every type word before every symbol, and lowercasing a copy
/// each time was most of recognising a citation.
fn same_words(found: &str, word: &str) -> bool {
    let mut words = word.split_whitespace();
    for f in found.split_whitespace() {
        let Some(w) = words.next() else {
            return false;
        };
        let mut chars = f
            .chars()
            .map(|c| if c == '\u{00D0}' { 'Đ' } else { c })
            .flat_map(char::to_lowercase);
        if !w.chars().all(|c| chars.next() == Some(c)) || chars.next().is_some() {
            return false;
        }
    }
    words.next().is_none()
}

/// Issuers whose documents are national: the Government and Prime Minister,
/// the Assembly and its Standing Committee, the President, ministries and
/// central agencies, and central Party bodies (ending or starting in TW/TƯ).
pub fn is_national_issuer(issuer: &str) -> bool {
    const NATIONAL: &[&str] = &[
        "CP",
        "TTg",
        "VPCP",
        "CTN",
        "VPCTN",
        "BNV",
        "BLĐTBXH",
        "BTTTT",
        "BGDĐT",
        "BYT",
        "BTC",
        "BKHĐT",
        "BCA",
        "BQP",
        "BTP",
        "BNG",
        "BCT",
        "BXD",
        "BGTVT",
        "BNNPTNT",
        "BTNMT",
        "BVHTTDL",
        "BKHCN",
        "TTCP",
        "NHNN",
        "UBDT",
        "KTNN",
        "TANDTC",
        "VKSNDTC",
        "BHXH",
        "UBTƯMTTQVN",
        "MTTW",
    ];
    let parts: Vec<&str> = issuer.split('-').collect();
    let first = parts.first().copied().unwrap_or(issuer);
    let last = parts.last().copied().unwrap_or(issuer);
    NATIONAL.contains(&first)
        || first.starts_with("QH")
        || first.starts_with("UBTVQH")
        || last.ends_with("TW")
        || last.ends_with("TƯ")
        || first.starts_with("TW")
        || first.starts_with("TƯ")
}

/// Issuers internal to one organisation (its Party committee, steering
/// committee, branch): unique only within the citing agency.
pub fn is_internal_issuer(issuer: &str) -> bool {
    matches!(issuer, "ĐU" | "BCĐ" | "CB")
}

/// Repairs unambiguous ASCII spellings and fixes the official casing of a
/// code. HD/HĐ and DA/ĐA are both real codes and never folded.
pub fn canonical_code(code: &str) -> String {
    let code = code.replace('\u{00D0}', "Đ");
    match code.to_uppercase().as_str() {
        "ND" | "NĐ" => "NĐ".into(),
        "QD" | "QĐ" => "QĐ".into(),
        "QDI" | "QĐI" => "QĐi".into(),
        "HDND" | "HĐND" => "HĐND".into(),
        "TTG" => "TTg".into(),
        "CTR" => "CTr".into(),
        "TTR" => "TTr".into(),
        _ => code,
    }
}

/// Splits the code parts of a symbol into type and issuer: `[TYPE, ISSUER…]`
/// when the first part is a type code; a công văn has none (`2589/UBND-NC`).
pub fn split_type(parts: &[String]) -> (Option<String>, String) {
    match parts.split_first() {
        Some((first, rest)) if !rest.is_empty() && type_word_for_code(first).is_some() => {
            (Some(first.clone()), rest.join("-"))
        }
        _ => (None, parts.join("-")),
    }
}

/// Code parts of a matched symbol, canonical: spaces and breaks removed,
/// dashes unified.
pub fn code_parts(matched: &str) -> Vec<String> {
    let cleaned: String = matched
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '‐' | '‑' | '‒' | '–' | '—' | '−' => '-',
            other => other,
        })
        .collect();
    cleaned.split('-').map(canonical_code).collect()
}

/// The 63 provinces and centrally-run cities of the reports' years (before
/// the 2025 mergers), as written after "tỉnh" / "thành phố".
pub const PROVINCES: &[&str] = &[
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bà Rịa – Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Hồ Chí Minh",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
];

/// Slug of the province named at the start of `text`, if any. Tone-mark
/// placement varies ("Hoà"/"Hòa"), so names are compared folded.
pub fn province_at(text: &str) -> Option<String> {
    let head: String = text.chars().take(24).collect();
    let folded = crate::vietnamese::fold_ascii(&head);
    PROVINCES
        .iter()
        .map(|p| (crate::vietnamese::fold_ascii(p), p))
        .filter(|(f, _)| {
            folded.starts_with(f.as_str())
                && !folded[f.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
        })
        .max_by_key(|(f, _)| f.len())
        .map(|(_, p)| crate::vietnamese::slugify(p))
}

/// Province slug named shortly after a citation, in the same clause
/// ("… của UBND tỉnh Đồng Tháp"). Only real province names count, so
/// "tỉnh Ban hành" or "tỉnh V/v" are not provinces.
pub fn province_after(text: &str, end: usize) -> Option<String> {
    static MARKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:\btỉnh|\bthành phố|\bTP\.?)\s+").expect("province marker compiles")
    });
    let stop = text.ceil_char_boundary((end + 120).min(text.len()));
    let window = &text[end..stop];
    let clause_end = window.find([';', '\n']).unwrap_or(window.len());
    let window = &window[..clause_end];
    MARKER
        .find_iter(window)
        .find_map(|m| province_at(&window[m.end()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `same_words` answers as lowercasing a copy and comparing its words.
    #[test]
    fn same_words_is_lowercase_then_compare() {
        let old = |found: &str, word: &str| {
            let found = found.replace('\u{00D0}', "Đ").to_lowercase();
            found.split_whitespace().eq(word.split_whitespace())
        };
        let found = [
            "quyết định",
            "Quyết Định",
            "QUYẾT ĐỊNH",
            "QUYẾT \u{00D0}ỊNH",
            "quyết  định",
            "quyết\tđịnh",
            " quyết định ",
            "quyết địn",
            "quyết địnhh",
            "quyết",
            "",
            "İ",
            "kế hoạch liên tịch",
            "KẾ HOẠCH",
            "chương trình phối hợp",
            "Chương Trình Phối  Hợp",
        ];
        let mut words: Vec<&str> = TYPE_WORDS.iter().map(|(w, _)| *w).collect();
        words.extend(["i̇", "quyết định"]);
        for f in found {
            for w in &words {
                assert_eq!(same_words(f, w), old(f, w), "{f:?} {w:?}");
            }
        }
        assert!(same_words("QUYẾT \u{00D0}ỊNH", "quyết định"));
        assert!(!same_words("quyết", "quyết định"));
    }
}
