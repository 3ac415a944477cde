//! Cite stage: recognises citations of Vietnamese legal documents in report
//! text and gives each document one identity, `scope:year:symbol`.
//!
//! The domain rules (Nghị định 30/2020/NĐ-CP; Hướng dẫn 36-HD/VPTW):
//! state documents are numbered `number/TYPE-ISSUER` from 1 each year per
//! issuer, normative ones carry the year (`04/2015/NĐ-CP`); Party documents are
//! `number-TYPE/ISSUER`, numbered per term. A symbol without a year is therefore
//! not unique ("16/CT-TTg" exists in 2016 and 2020), and provincial issuers
//! exist in every province, so the identity adds a scope and a year.

use regex::Regex;
use std::sync::LazyLock;

/// One citation found in a text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    /// Byte offset of the start in the text as given.
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// The citation as written, type word included when present.
    pub text: String,
    /// Canonical id `scope:year:symbol`; year is `????` when unknown.
    pub id: String,
    /// Document type in words ("Kế hoạch"), from the text or the type code.
    pub doc_type: String,
    /// Canonical symbol, e.g. `04/2015/NĐ-CP`.
    pub symbol: String,
    /// The document number.
    pub number: u32,
    /// The year, from the symbol or the date.
    pub year: Option<i32>,
    /// The date cited with it, ISO, when given.
    pub date: Option<String>,
    /// `vn`, a province slug, or an agency id.
    pub scope: String,
    /// Problems an editor should know of.
    pub warnings: Vec<String>,
}

/// What the citing text is about: used to scope provincial documents.
#[derive(Debug, Clone, Default)]
pub struct CiteContext {
    /// Province slug of the citing agency.
    pub province: String,
    /// Id of the citing agency.
    pub agency: String,
}

const CODE: &str = r"[A-ZĐÐ][A-Za-zĐđÐ&]*[0-9]*";
const DASH: &str = r"[-‐‑‒–—]";

static SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    let code = CODE;
    let dash = DASH;
    // Party shape allows spaces and line breaks around its dash and slash
    // ("22 - CTr/BCSD - BDVTU", "19-\n\nNQ/TW"); state shapes do not, which
    // keeps ratios ("28.101/38.000") and dates out.
    Regex::new(&format!(
        r"(?x)
        (?P<num>[0-9]{{1,5}})
        (?:
            /(?P<year>(?:19|20)[0-9]{{2}})/(?P<nissuer>{code}(?:{dash}{code})*)
          | [\ \t]*{dash}[\s]*(?P<ptype>{code})[\ \t]*/[\ \t]*(?P<pissuer>{code}(?:[\ \t]*{dash}[\ \t]*{code})*)
          | /(?P<sissuer>{code}(?:{dash}{code})*)
        )"
    ))
    .expect("symbol pattern compiles")
});

static DATE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[\s,]*(?:ngày|Ngày)\s+(?:(?P<d>[0-9]{1,2})\s*[/.\-]\s*(?P<m>[0-9]{1,2})\s*[/.\-]\s*(?P<y>(?:19|20)[0-9]{2})|(?P<d2>[0-9]{1,2})\s+tháng\s+(?P<m2>[0-9]{1,2})\s+năm\s+(?P<y2>(?:19|20)[0-9]{2}))",
    )
    .expect("date pattern compiles")
});

/// Type words as written before a symbol (lower case), and how pages name them.
const TYPE_WORDS: &[(&str, &str)] = &[
    ("chương trình phối hợp", "Chương trình phối hợp"),
    ("chương trình hành động", "Chương trình hành động"),
    ("thông báo kết luận", "Thông báo kết luận"),
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
    ("chương trình", "Chương trình"),
    ("pháp lệnh", "Pháp lệnh"),
    ("đề án", "Đề án"),
    ("quy định", "Quy định"),
    ("tờ trình", "Tờ trình"),
    ("báo cáo", "Báo cáo"),
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
    ("TB", "Thông báo"),
    ("CTr", "Chương trình"),
    ("PL", "Pháp lệnh"),
    ("ĐA", "Đề án"),
    ("QĐi", "Quy định"),
    ("TTr", "Tờ trình"),
    ("BC", "Báo cáo"),
    ("CV", "Công văn"),
    ("QC", "Quy chế"),
    ("HĐ", "Hợp đồng"),
];

/// Issuers whose documents are national: the Government, the Prime Minister,
/// the Assembly and its Standing Committee, the President, ministries, and
/// central Party bodies (which end or start in "TW").
fn is_national_issuer(issuer: &str) -> bool {
    const NATIONAL: &[&str] = &[
        "CP", "TTg", "VPCP", "CTN", "BNV", "BLĐTBXH", "BTTTT", "BGDĐT", "BYT", "BTC", "BKHĐT",
        "BCA", "BQP", "BTP", "BNG", "BCT", "BXD", "BGTVT", "BNNPTNT", "BTNMT", "BVHTTDL", "BKHCN",
        "TTCP", "NHNN", "UBDT", "KTNN", "TANDTC", "VKSNDTC", "BCT", "BBT",
    ];
    let first = issuer.split('-').next().unwrap_or(issuer);
    let last = issuer.rsplit('-').next().unwrap_or(issuer);
    NATIONAL.contains(&first)
        || issuer
            .split('-')
            .any(|p| NATIONAL.contains(&p) && p != "BCT")
        || first.starts_with("QH")
        || first.starts_with("UBTVQH")
        || last.ends_with("TW")
        || first.starts_with("TW")
}

/// Issuers internal to one organisation (its Party cell, steering committee,
/// branch): unique only within the citing agency.
fn is_internal_issuer(issuer: &str) -> bool {
    matches!(issuer, "ĐU" | "BCĐ" | "CB")
}

/// Repairs unambiguous ASCII spellings and fixes the official casing of a
/// type or issuer code. HD/HĐ and DA/ĐA are both real codes and never folded.
fn canonical_code(code: &str) -> String {
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

fn type_word_for_code(code: &str) -> Option<&'static str> {
    TYPE_CODES.iter().find(|(c, _)| *c == code).map(|(_, w)| *w)
}

/// Finds a type word ending right before `end` (allowing "số" and spaces
/// between), in any case: "quyết định số 91/QĐ-SLĐTBXH".
fn type_word_before(text: &str, end: usize) -> Option<(usize, &'static str)> {
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
        if trimmed[start..].to_lowercase() != *word {
            continue;
        }
        let starts_word = trimmed[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if starts_word {
            return Some((start, display));
        }
    }
    None
}

fn strip_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn normalise_dashes(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '‐' | '‑' | '‒' | '–' | '—' => '-',
            other => other,
        })
        .collect()
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

/// Slug of the province named at the start of `text`, if any: tone-mark
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
/// ("… của UBND tỉnh Đồng Tháp"); only real province names count, so
/// "tỉnh Ban hành" or "tỉnh V/v" are not provinces.
fn province_after(text: &str, end: usize) -> Option<String> {
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

/// Finds every citation in `text` (which should be NFC).
pub fn recognise(text: &str, ctx: &CiteContext) -> Vec<Citation> {
    let mut out = Vec::new();
    for caps in SYMBOL.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        // The number must start a word: "K72/ Bộ" and "1.000.000đ/người" are not citations.
        if text[..whole.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',' || c == '/')
        {
            continue;
        }
        // The symbol must end a word too ("16/CT-TTg" but not "16/CT-TTgx…").
        if text[whole.end()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric())
        {
            continue;
        }
        let Ok(number) = caps["num"].parse::<u32>() else {
            continue;
        };
        let number_text = format!("{number:02}");
        let mut warnings = Vec::new();
        let (symbol, type_code, issuer, year_in_symbol) = if let Some(iss) = caps.name("nissuer") {
            let parts: Vec<String> = normalise_dashes(iss.as_str())
                .split('-')
                .map(canonical_code)
                .collect();
            let year: i32 = caps["year"].parse().unwrap_or(0);
            let (tcode, issuer) = split_type(&parts);
            (
                format!("{number_text}/{year}/{}", parts.join("-")),
                tcode,
                issuer,
                Some(year),
            )
        } else if let Some(ptype) = caps.name("ptype") {
            let t = canonical_code(ptype.as_str());
            let issuer: Vec<String> = normalise_dashes(&strip_spaces(&caps["pissuer"]))
                .split('-')
                .map(canonical_code)
                .collect();
            let issuer = issuer.join("-");
            (format!("{number_text}-{t}/{issuer}"), Some(t), issuer, None)
        } else {
            let parts: Vec<String> = normalise_dashes(&caps["sissuer"])
                .split('-')
                .map(canonical_code)
                .collect();
            let (tcode, issuer) = split_type(&parts);
            (
                format!("{number_text}/{}", parts.join("-")),
                tcode,
                issuer,
                None,
            )
        };

        let mut start = whole.start();
        let type_word = type_word_before(text, whole.start());
        if let Some((s, _)) = type_word {
            start = s;
        }
        let mut end = whole.end();
        let mut date = None;
        if let Some(d) = DATE_AFTER.captures(&text[end..]) {
            let (dd, mm, yy) = match (d.name("d"), d.name("m"), d.name("y")) {
                (Some(dd), Some(mm), Some(yy)) => (dd.as_str(), mm.as_str(), yy.as_str()),
                _ => (&d["d2"], &d["m2"], &d["y2"]),
            };
            let (dd, mm, yy): (u8, u8, i32) = (
                dd.parse().unwrap_or(0),
                mm.parse().unwrap_or(0),
                yy.parse().unwrap_or(0),
            );
            if (1..=12).contains(&mm) && (1..=31).contains(&dd) {
                date = Some(format!("{yy:04}-{mm:02}-{dd:02}"));
                end += d.get(0).map(|m| m.end()).unwrap_or(0);
            }
        }
        let date_year = date.as_ref().and_then(|d| d[..4].parse::<i32>().ok());
        if let (Some(y), Some(dy)) = (year_in_symbol, date_year) {
            if y != dy {
                warnings.push(format!("the symbol says {y} but the date says {dy}"));
            }
        }
        let year = year_in_symbol.or(date_year);
        if year.is_none() {
            warnings.push("no year: the symbol and the text do not say when it was issued".into());
        }
        let scope = if is_national_issuer(&issuer) {
            "vn".to_string()
        } else if is_internal_issuer(&issuer) && !ctx.agency.is_empty() {
            ctx.agency.clone()
        } else if let Some(p) = province_after(text, whole.end()) {
            p
        } else if !ctx.province.is_empty() {
            ctx.province.clone()
        } else {
            warnings.push("provincial document cited with no province to scope it".into());
            "??".to_string()
        };
        let doc_type = type_word
            .map(|(_, w)| w.to_string())
            .or_else(|| {
                type_code
                    .as_deref()
                    .and_then(type_word_for_code)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "Công văn".to_string());
        let year_text = year.map(|y| y.to_string()).unwrap_or_else(|| "????".into());
        out.push(Citation {
            start,
            end,
            text: text[start..whole.end()].to_string(),
            id: format!("{scope}:{year_text}:{symbol}"),
            doc_type,
            symbol,
            number,
            year,
            date,
            scope,
            warnings,
        });
    }
    out
}

/// Splits `[TYPE, ISSUER…]` when the first part is a type code; a công văn
/// has no type code (`2589/UBND-NC`).
fn split_type(parts: &[String]) -> (Option<String>, String) {
    match parts.split_first() {
        Some((first, rest)) if !rest.is_empty() && type_word_for_code(first).is_some() => {
            (Some(first.clone()), rest.join("-"))
        }
        _ => (None, parts.join("-")),
    }
}

/// A readable ASCII slug of a document id, for its page URL.
pub fn id_slug(id: &str) -> String {
    crate::vietnamese::slugify(&id.replace('?', "x"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        let ctx = CiteContext {
            province: "binh-phuoc".into(),
            agency: "binh-phuoc/so-ldtbxh".into(),
        };
        recognise(text, &ctx).into_iter().map(|c| c.id).collect()
    }

    #[test]
    fn shapes_of_symbols() {
        assert_eq!(
            ids("Kế hoạch số 33-KH/BDVTU ngày 06/7/2021 của Ban Dân vận"),
            vec!["binh-phuoc:2021:33-KH/BDVTU"]
        );
        assert_eq!(
            ids("Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng"),
            vec!["vn:2016:16/CT-TTg"]
        );
        assert_eq!(
            ids("Nghị định số 04/2015/NĐ-CP, ngày 09/01/2015 của Chính phủ"),
            vec!["vn:2015:04/2015/NĐ-CP"]
        );
        assert_eq!(
            ids("Chương trình phối hợp số 22 - CTr/BCSD - BDVTU ngày 17/4/2017"),
            vec!["binh-phuoc:2017:22-CTr/BCSD-BDVTU"]
        );
        assert_eq!(
            ids("Nghị quyết số 19-\n\nNQ/TW của Hội nghị"),
            vec!["vn:????:19-NQ/TW"]
        );
        assert_eq!(
            ids("Kế hoạch số 110-KH/ĐU ngày 28/4/2021"),
            vec!["binh-phuoc/so-ldtbxh:2021:110-KH/ĐU"]
        );
        assert_eq!(
            ids("kế hoạch số 89/KH-UBND ngày 28/3/2018 trên địa bàn tỉnh Đồng Tháp"),
            vec!["dong-thap:2018:89/KH-UBND"]
        );
        assert_eq!(ids("Nghị định 4/2015/ND-CP"), vec!["vn:2015:04/2015/NĐ-CP"]);
    }

    #[test]
    fn things_that_are_not_citations() {
        assert!(ids("Số: /BC-SLĐTBXH").is_empty());
        assert!(ids("28.101/38.000 lao động").is_empty());
        assert!(ids("TCVN 9001:2015").is_empty());
        assert!(ids("tính đến 31-8-2018.").is_empty());
        assert!(ids("đội K72/ Bộ Chỉ huy").is_empty());
        assert!(ids("1.000.000đ/người").is_empty());
        assert!(ids("11/11 xã").is_empty());
    }

    #[test]
    fn offsets_cover_type_word_and_date() {
        let text = "Thực hiện Kế hoạch số 23/KH-UBND ngày 24/3/2021 của Ủy ban";
        let ctx = CiteContext::default();
        let c = &recognise(text, &ctx)[0];
        assert_eq!(
            &text[c.start..c.end],
            "Kế hoạch số 23/KH-UBND ngày 24/3/2021"
        );
        assert_eq!(c.text, "Kế hoạch số 23/KH-UBND");
        assert_eq!(c.doc_type, "Kế hoạch");
        assert_eq!(c.date.as_deref(), Some("2021-03-24"));
        assert_eq!(id_slug("vn:2015:04/2015/NĐ-CP"), "vn-2015-04-2015-nd-cp");
    }
}
