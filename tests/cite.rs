//! The citation engine on real text: every citation of each seed report with
//! its expected identity, the non-citations, more than forty further
//! realistic citation strings, the `cite` command and what `check` says.

mod common;
use common::*;
use minhbach::cite::{recognise, recognise_all, resolve_years, Citation, CiteContext, Registry};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut d = minhbach::diagnostics::Diagnostics::default();
        let entries = minhbach::load::load_legal(&repo(), &mut d);
        assert!(!d.has_errors());
        Registry::new(&entries)
    })
}

fn ctx(agency: &str) -> CiteContext {
    CiteContext {
        province: agency.split('/').next().unwrap().to_string(),
        agency: agency.to_string(),
    }
}

/// Citations of a seed's raw text (page breaks and all), years resolved.
fn seed_citations(file: &str, agency: &str) -> Vec<Citation> {
    let text = std::fs::read_to_string(fixture("seeds").join(file)).unwrap();
    let mut found = recognise_all(&text, &ctx(agency), registry());
    let mut refs: Vec<&mut Citation> = found.iter_mut().collect();
    resolve_years(&mut refs, registry());
    found
}

fn assert_seed(file: &str, agency: &str, expected: &[(&str, &str)], numbered: usize) {
    let found = seed_citations(file, agency);
    let got: Vec<(String, String)> = found
        .iter()
        .map(|c| (c.id.clone(), c.text.clone()))
        .collect();
    let want: Vec<(String, String)> = expected
        .iter()
        .map(|(id, text)| (id.to_string(), text.to_string()))
        .collect();
    assert_eq!(got, want, "{file}");
    let by_symbol = recognise(
        &std::fs::read_to_string(fixture("seeds").join(file)).unwrap(),
        &ctx(agency),
    );
    assert_eq!(by_symbol.len(), numbered, "{file}: numbered mentions");
}

#[test]
fn seed_000_citations() {
    assert_seed(
        "000_2b203e34d1949082.txt",
        "binh-phuoc/so-ldtbxh",
        &[
            (
                "binh-phuoc:2021:33-KH/BDVTU",
                "Kế hoạch số 33-KH/BDVTU ngày 06/7/2021",
            ),
            ("vn:2016:16/CT-TTg", "Chỉ thị số 16/CT-TTg ngày 16/5/2016"),
            (
                "binh-phuoc:2017:22-CTr/BCSD-BDVTU",
                "Chương trình phối hợp số 22 - CTr/BCSD - BDVTU ngày 17/4/2017",
            ),
            (
                "binh-phuoc:2016:162/KH-SLĐTBXH",
                "Kế hoạch số 162/KH-SLĐTBXH ngày 19/9/2016",
            ),
            (
                "binh-phuoc:2016:160/KH-SLĐTBXH",
                "Kế hoạch số 160/KH-SLĐTBXH ngày 14/9/2016",
            ),
            (
                "binh-phuoc:2016:26-KH/TU",
                "Kế hoạch số 26-KH/TU ngày 23/6/2016",
            ),
            (
                "binh-phuoc:2016:178/KH-UBND",
                "Kế hoạch số 178/KH-UBND ngày 15/7/2016",
            ),
            (
                "binh-phuoc:2016:193/KH-UBND",
                "Kế hoạch số 193/KH-UBND ngày 01/8/2016",
            ),
            ("vn:2016:16/CT-TTg", "Chỉ thị số 16/CT-TTg ngày 16/5/2016"),
            (
                "binh-phuoc:2021:169/KH-SLĐTBXH",
                "Kế hoạch số 169/KH-SLĐTBXH ngày 21/7/2021",
            ),
            (
                "binh-phuoc:2020:01-NQ/TU",
                "Nghị quyết số 01-NQ/TU ngày 14/12/2020",
            ),
            (
                "binh-phuoc:2020:36/NQ-HĐND",
                "Nghị quyết số 36/NQ-HĐND ngày 10/12/2020",
            ),
            (
                "binh-phuoc:2020:3307/QĐ-UBND",
                "Quyết định số 3307/QĐ-UBND ngày 28/12/2020",
            ),
            (
                "binh-phuoc:2020:3307/KH-UBND",
                "Kế hoạch số 3307/KH-UBND ngày 28/12/2020",
            ),
            ("vn:2021:68/NQ-CP", "Nghị quyết số 68/NQ-CP"),
            ("binh-phuoc:????:2589/UBND-NC", "Công văn số 2589/UBND-NC"),
            ("vn:2013:217-QĐ/TW", "Quyết định số 217-QĐ/TW"),
            (
                "vn:2013:218-QĐ/TW",
                "Quyết định số 218-QĐ/TW ngày 12/12/2013",
            ),
            ("vn:2020:42/NQ-CP", "Nghị quyết số 42/NQ-CP"),
            ("vn:2021:68/NQ-CP", "Nghị quyết 68/NQ-CP"),
            ("vn:2021:68/NQ-CP", "Nghị quyết 68/NQ-CP"),
            ("vn:2013:25/2013/QH13", "Luật Tiếp công dân"),
            ("vn:2013:25/2013/QH13", "Luật Tiếp công dân"),
            (
                "binh-phuoc:2021:33-KH/BDVTU",
                "Kế hoạch số 33-KH/BDVTU ngày 06/7/2021",
            ),
        ],
        22,
    );
}

#[test]
fn seed_001_citations() {
    assert_seed(
        "001_9ebb4c68ea5cda49.txt",
        "dong-thap/so-ldtbxh",
        &[
            (
                "dong-thap:2020:91/QĐ-SLĐTBXH",
                "quyết định số 91/QĐ-SLĐTBXH ngày 26/5/2020",
            ),
            (
                "dong-thap:2020:30/KH-SLĐTBXH",
                "kế hoạch số 30/KH-SLĐTBXH ngày 05/3/2020",
            ),
            ("vn:2016:04-NQ/TW", "Nghị quyết TW4 (Khóa XII)"),
            (
                "dong-thap:2010:762-QĐ/TU",
                "quyết định số 762-QĐ/TU ngày 28/5/2010",
            ),
            (
                "dong-thap:2013:177-CTr/TU",
                "Chương trình số 177-Ctr/TU ngày 07/8/2013",
            ),
            (
                "vn:2013:25-NQ/TW",
                "Nghị quyết Hội nghị Trung ương 7 Khóa XI",
            ),
            ("vn:2013:25-NQ/TW", "Nghị quyết số 25-NQ/TW"),
            ("vn:2010:290-QĐ/TW", "Quyết định số 290-QĐ/TW"),
            (
                "dong-thap:2018:89/KH-UBND",
                "kế hoạch số 89/KH-UBND ngày 28/3/2018",
            ),
            ("vn:2018:08/NQ-CP", "Nghị quyết số 08/NQ-CP"),
            (
                "dong-thap:????:62-CTr/TU",
                "Chương trình hành động số 62-CTr/TU",
            ),
            ("vn:2017:19-NQ/TW", "Nghị quyết số 19-\n\nNQ/TW"),
            (
                "dong-thap:2020:29/QĐ-UBND-TL",
                "quyết định số 29/QĐ-UBND-TL ngày 20/4/2020",
            ),
            (
                "dong-thap:2020:43/QĐ-UBND-TL",
                "quyết định số 43/QĐ-UBND-TL ngày 08/5/2020",
            ),
            (
                "dong-thap:2019:16/2019/QĐ-UBND",
                "Quyết định số 16/2019/QĐ-UBND ngày 15/8/2019",
            ),
            (
                "vn:2019:44/2019/QH14",
                "Luật Phòng, chống tác hại rượu, bia",
            ),
            ("vn:2015:80/2015/QH13", "Luật Ban hành VBQPPL"),
            (
                "vn:2016:34/2016/NĐ-CP",
                "Nghị định số 34/2016/NĐ-CP ngày 14/5/2016",
            ),
            ("vn:2015:80/2015/QH13", "Luật ban hành VBQPPL"),
            (
                "dong-thap:2019:276/KH-UBND",
                "Kế hoạch số 276/KH-UBND ngày 12/12/2019",
            ),
            (
                "dong-thap:2019:275/KH-UBND",
                "Kế hoạch số 275/KH-UBND ngày 12/12/2019",
            ),
            (
                "dong-thap:2019:115/KH-SLĐTBXH",
                "kế hoạch số 115/KH-SLĐTBXH ngày 04/11/2019",
            ),
            ("vn:2018:36/2018/QH14", "Luật PCTN năm 2018"),
            (
                "dong-thap:2018:974-TB/TU",
                "Thông báo kết luận số 974-TB/TU, ngày 07/9/2018",
            ),
            ("vn:2016:16/CT-TTg", "Chỉ thị số 16/CT-TTg ngày 16/5/2016"),
            (
                "dong-thap:2016:147/KH-UBND",
                "kế hoạch số 147/KH-UBND ngày 02/7/2016",
            ),
            ("vn:2016:16/CT-TTg", "Chỉ thị 16/CT-TTg"),
        ],
        21,
    );
}

#[test]
fn seed_003_citations() {
    assert_seed(
        "003_c4f4ab40cf23f3eb.txt",
        "tra-vinh/so-tttt",
        &[
            (
                "tra-vinh:2021:23/KH-UBND",
                "Kế hoạch số 23/KH-UBND ngày 24/3/2021",
            ),
            (
                "tra-vinh:2021:1753/SNV-XDCQCCTN",
                "Công văn số 1753/SNV-XDCQCCTN ngày 04/11/2021",
            ),
            (
                "vn:2016:120-KL/TW",
                "Kết luận số 120-KL/TW, ngày 07/01/2016",
            ),
            ("vn:1998:30-CT/TW", "Chỉ thị số 30-CT/TW"),
            (
                "vn:2007:34/2007/PL-UBTVQH11",
                "Pháp lệnh số 34/2007/PL-UBTVQH11",
            ),
            (
                "vn:2015:04/2015/NĐ-CP",
                "Nghị định số 04/2015/NĐ-CP, ngày 09/01/2015",
            ),
            ("vn:2020:145/2020/NĐ-CP", "Nghị định số 145/2020/NĐ-CP"),
            (
                "tra-vinh:2016:1893-QĐ/TU",
                "Quyết định số 1893-QĐ/TU ngày 28/12/2016",
            ),
            (
                "tra-vinh:2021:23/KH-UBND",
                "Kế hoạch số 23/KH-UBND ngày 24/3/2021",
            ),
            (
                "tra-vinh:2021:22-KH/ĐUK",
                "Kế hoạch số 22-KH/ĐUK ngày 28/5/2021",
            ),
            (
                "tra-vinh/so-tttt:2021:110-KH/ĐU",
                "Kế hoạch số 110-KH/ĐU ngày 28/4/2021",
            ),
            (
                "tra-vinh/so-tttt:2021:118-KH/ĐU",
                "Kế hoạch số 118-KH/ĐU ngày 03/6/2021",
            ),
            (
                "tra-vinh/so-tttt:2021:138-KH/BCĐ",
                "Kế hoạch số 138-KH/BCĐ ngày 12/7/2021",
            ),
            (
                "tra-vinh/so-tttt:2021:139-KH/BCĐ",
                "Kế hoạch số 139-KH/BCĐ ngày 12/7/2021",
            ),
            (
                "tra-vinh:2021:30/KH-STTTT-VP",
                "Kế hoạch số 30/KH-STTTT-VP ngày 07/4/2021",
            ),
            (
                "tra-vinh:2021:12/KH-STTTT-VP",
                "Kế hoạch số 12/KH-STTTT-VP ngày 04/02/2021",
            ),
            (
                "tra-vinh:2021:37/KH-STTTT-VP",
                "Kế hoạch số 37/KH-STTTT-VP ngày 30/8/2021",
            ),
            (
                "tra-vinh:2021:11/CT-UBND",
                "Chỉ thị số 11/CT-UBND ngày 04/8/2021",
            ),
            (
                "tra-vinh:2021:68/KH-UBND",
                "Kế hoạch số 68/KH-UBND ngày 06/8/2021",
            ),
            (
                "tra-vinh:2021:40/KH-STTTT-VP",
                "Kế hoạch số 40/KH-STTTT-VP ngày 28/9/2021",
            ),
            (
                "tra-vinh:2021:24-KH/TU",
                "Kế hoạch số 24-KH/TU ngày 26/8/2021",
            ),
            (
                "tra-vinh:2021:4595/UBND-CNXD",
                "Công văn số 4595/UBND-CN XD ngày 29/9/2021",
            ),
            (
                "tra-vinh:2021:2361/QĐ-UBND",
                "Quyết định số 2361/QĐ-UBND ngày 20/10/2021",
            ),
            (
                "tra-vinh:2021:14/CT-UBND",
                "Chỉ thị số 14/CT-UBND ngày 09/10/2021",
            ),
            (
                "tra-vinh:2021:4595/UBND-CNXD",
                "Công văn số 4595/UBND-CN XD ngày 29/9/2021",
            ),
            (
                "tra-vinh:2021:44/KH-STTTT",
                "Kế hoạch số 44/KH-STTTT ngày 15/10/2021",
            ),
            (
                "tra-vinh:2021:88/STTTT-TTBCXB",
                "Công văn số 88/STTTT-TTBCXB, ngày 02/01/2021",
            ),
            (
                "tra-vinh:2021:122/STTTT-TTBCXB",
                "Công văn số 122/STTTT-TTBCXB, ngày 15/01/2021",
            ),
            (
                "tra-vinh:2021:172/STTTT-TTBCXB",
                "Công văn số 172/STTTT-TTBCXB, ngày 26/01/2021",
            ),
            (
                "tra-vinh:2021:203/STTTT-TTBCXB",
                "Công văn số 203/STTTT-TTBCXB, ngày 02/02/2021",
            ),
            (
                "tra-vinh:2021:216/STTTT-TTBCXB",
                "Công văn số 216/STTTT-TTBCXB, ngày 04/02/2021",
            ),
            (
                "tra-vinh:2021:258/STTTT-TTBCXB",
                "Công văn số 258/STTTT-TTBCXB, ngày 19/02/2021",
            ),
            (
                "tra-vinh:2021:284/STTTT-TTBCXB",
                "Công văn số 284/STTTT-TTBCXB, ngày 24/02/2021",
            ),
            (
                "tra-vinh:2021:323/STTTT-TTBCXB",
                "Công văn số 323/STTTT-TTBCXB, ngày 03/3/2021",
            ),
            (
                "tra-vinh:2021:234/STTTT-TTBCXB",
                "Công văn số 234/STTTT-TTBCXB, ngày 08/02/2021",
            ),
            (
                "tra-vinh:2021:433/STTTT-TTBCXB",
                "Công văn số 433/STTTT-TTBCXB, ngày 18/3/2021",
            ),
            (
                "tra-vinh:2021:515/STTTT-TTBCXB",
                "Công văn số 515/STTTT-TTBCXB, ngày 01/4/2021",
            ),
            (
                "tra-vinh:2021:686/STTTT-TTBCXB",
                "Công văn số 686/STTTT-TTBCXB, ngày 29/4/2021",
            ),
            (
                // "… của UBND tỉnh Trà Vinh": the words name the issuer.
                "tra-vinh:2021:13/CV-BCĐ",
                "Công văn số 13/CV-BCĐ, ngày 31/01/2021",
            ),
            (
                "vn:2021:22/TB-VPCP",
                "Thông báo số 22/TB-VPCP, ngày 30/01/2021",
            ),
            (
                "tra-vinh:2021:1587/UBND-KGVX",
                "Công văn số 1587/UBND-KGVX, ngày 01/5/2021",
            ),
            (
                "vn:2021:82/TB-VPCP",
                "Thông báo số 82/TB-VPCP, ngày 29/4/2021",
            ),
            (
                "tra-vinh/so-tttt:2020:02-QĐ/ĐU",
                "Quyết định số 02-QĐ/ĐU, ngày 01/10/2020",
            ),
            (
                "tra-vinh/so-tttt:2020:05-QĐ/ĐU",
                "Quyết định số 05-QĐ/ĐU, ngày 30/10/2020",
            ),
            (
                "vn:2021:01-HD/BDVTW",
                "Hướng dẫn 01-HD/BDVTW ngày 16/3/2021",
            ),
            (
                "vn:2016:120-KL/TW",
                "Kết luận số 120-KL/TW, ngày 07/01/2016",
            ),
            (
                "vn:2007:34/2007/PL-UBTVQH11",
                "Pháp lệnh số 34/2007/PL-UBTVQH11 ngày 20/4/2007",
            ),
            (
                "vn:2007:34/2007/PL-UBTVQH11",
                "Pháp lệnh số 34/2007/PL-UBTVQH11 ngày 05/4/2007",
            ),
            (
                "vn:2007:34/2007/PL-UBTVQH11",
                "Pháp lệnh số 34/2007/PL-UBTVQH11",
            ),
            (
                "tra-vinh:2020:2627/QĐ-UBND",
                "Quyết định số 2627/QĐ-UBND ngày 03/7/2020",
            ),
            (
                "tra-vinh:2020:2329/QĐ-UBND",
                "Quyết định số 2329/QĐ-UBND ngày 02/6/2020",
            ),
            ("vn:2015:04/2015/NĐ-CP", "Nghị định 04/2015/NĐ-CP"),
            ("tra-vinh:2018:05-ĐA/TU", "Đề án số 05-ĐA/TU ngày 21/6/2018"),
            ("tra-vinh:????:71-KH/TU", "Kế hoạch số 71-KH/TU"),
            ("tra-vinh:????:72-KH/TU", "Kế hoạch số 72-KH/TU"),
            (
                "tra-vinh:2018:638/QĐ-UBND",
                "Quyết định số 638/QĐ-UBND ngày 05/4/2018",
            ),
            (
                "tra-vinh:2018:639/QĐ-UBND",
                "Quyết định số 639/QĐ-UBND ngày 05/4/2018",
            ),
            ("vn:2020:145/2020/NĐ-CP", "Nghị định số 145/2020/NĐ-CP"),
            (
                "vn:2020:145/2020/NĐ-CP",
                "Nghị định số 145/2020/NĐ-CP ngày 14/12/2020",
            ),
            ("vn:2019:45/2019/QH14", "Bộ Luật lao động"),
            (
                "vn:2016:120-KL/TW",
                "Kết luận số 120-KL/TW, ngày 07/01/2016",
            ),
            ("vn:1998:30-CT/TW", "Chỉ thị số 30-CT/TW"),
            (
                "vn:2007:34/2007/PL-UBTVQH11",
                "Pháp lệnh số 34/2007/PL-UBTVQH11",
            ),
            (
                "vn:2015:04/2015/NĐ-CP",
                "Nghị định số 04/2015/NĐ-CP, ngày 09/01/2015",
            ),
            ("vn:2020:145/2020/NĐ-CP", "Nghị định số 145/2020/NĐ-CP"),
            (
                "tra-vinh:2019:115-KH/TU",
                "Kế hoạch số 115-KH/TU ngày 13/3/2019",
            ),
            ("vn:2019:43-KL/TW", "Kết luận số 43-KL/TW ngày 07/01/2019"),
            ("vn:2013:25-NQ/TW", "Nghị quyết số 25-NQ/TW ngày 03/6/2013"),
            (
                "tra-vinh:2021:23/KH-UBND",
                "Kế hoạch số 23/KH-UBND ngày 24/3/2021",
            ),
            (
                "tra-vinh:2021:22-KH/ĐUK",
                "Kế hoạch số 22-KH/ĐUK ngày\n\n28/5/2021",
            ),
            ("vn:2016:05-CT/TW", "Chỉ thị 05-CT/TW"),
            ("vn:2016:04-NQ/TW", "Nghị quyết Trung ương tư (khóa XII)"),
        ],
        70,
    );
}

/// One realistic citation: input text, expected id, type, date (ISO) and
/// the citation as written.
struct Case {
    text: &'static str,
    id: &'static str,
    doc_type: &'static str,
    date: Option<&'static str>,
    written: &'static str,
}

const fn case(
    text: &'static str,
    id: &'static str,
    doc_type: &'static str,
    date: Option<&'static str>,
    written: &'static str,
) -> Case {
    Case {
        text,
        id,
        doc_type,
        date,
        written,
    }
}

/// Cited from an agency of Bình Phước unless the text names a province.
const CASES: &[Case] = &[
    // National state documents.
    case(
        "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư",
        "vn:2020:30/2020/NĐ-CP",
        "Nghị định",
        Some("2020-03-05"),
        "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020",
    ),
    case(
        "theo Quyết định số 1847/QĐ-TTg ngày 27/12/2018 của Thủ tướng",
        "vn:2018:1847/QĐ-TTg",
        "Quyết định",
        Some("2018-12-27"),
        "Quyết định số 1847/QĐ-TTg ngày 27/12/2018",
    ),
    case(
        "Chỉ thị số 16/CT-TTg ngày 31/3/2020 về các biện pháp cấp bách phòng, chống dịch COVID-19",
        "vn:2020:16/CT-TTg",
        "Chỉ thị",
        Some("2020-03-31"),
        "Chỉ thị số 16/CT-TTg ngày 31/3/2020",
    ),
    case(
        "Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ",
        "vn:2016:16/CT-TTg",
        "Chỉ thị",
        Some("2016-05-16"),
        "Chỉ thị số 16/CT-TTg ngày 16/5/2016",
    ),
    case(
        "Thông tư số 01/2011/TT-BNV ngày 19/01/2011 của Bộ Nội vụ",
        "vn:2011:01/2011/TT-BNV",
        "Thông tư",
        Some("2011-01-19"),
        "Thông tư số 01/2011/TT-BNV ngày 19/01/2011",
    ),
    case(
        "Thông tư liên tịch số 01/2015/TTLT-BNV-BTC hướng dẫn",
        "vn:2015:01/2015/TTLT-BNV-BTC",
        "Thông tư liên tịch",
        None,
        "Thông tư liên tịch số 01/2015/TTLT-BNV-BTC",
    ),
    case(
        "Luật số 80/2015/QH13 ngày 22/6/2015",
        "vn:2015:80/2015/QH13",
        "Luật",
        Some("2015-06-22"),
        "Luật số 80/2015/QH13 ngày 22/6/2015",
    ),
    case(
        "Nghị quyết số 35/2021/UBTVQH15 của Ủy ban Thường vụ Quốc hội",
        "vn:2021:35/2021/UBTVQH15",
        "Nghị quyết",
        None,
        "Nghị quyết số 35/2021/UBTVQH15",
    ),
    case(
        "Quyết định số 12/QĐ-CTN ngày 05/01/2021 của Chủ tịch nước",
        "vn:2021:12/QĐ-CTN",
        "Quyết định",
        Some("2021-01-05"),
        "Quyết định số 12/QĐ-CTN ngày 05/01/2021",
    ),
    case(
        "Công văn số 1234/BLĐTBXH-BTXH ngày 02/4/2021 của Bộ",
        "vn:2021:1234/BLĐTBXH-BTXH",
        "Công văn",
        Some("2021-04-02"),
        "Công văn số 1234/BLĐTBXH-BTXH ngày 02/4/2021",
    ),
    case(
        "Quyết định số 1234/QĐ-BLĐTBXH ngày 03/8/2020",
        "vn:2020:1234/QĐ-BLĐTBXH",
        "Quyết định",
        Some("2020-08-03"),
        "Quyết định số 1234/QĐ-BLĐTBXH ngày 03/8/2020",
    ),
    case(
        "Thông báo số 22/TB-VPCP, ngày 30/01/2021 của Văn phòng Chính phủ",
        "vn:2021:22/TB-VPCP",
        "Thông báo",
        Some("2021-01-30"),
        "Thông báo số 22/TB-VPCP, ngày 30/01/2021",
    ),
    // Central Party documents.
    case(
        "Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương",
        "vn:2013:25-NQ/TW",
        "Nghị quyết",
        Some("2013-06-03"),
        "Nghị quyết số 25-NQ/TW ngày 03/6/2013",
    ),
    case(
        "Hướng dẫn số 36-HD/VPTW ngày 03/4/2018 của Văn phòng Trung ương Đảng",
        "vn:2018:36-HD/VPTW",
        "Hướng dẫn",
        Some("2018-04-03"),
        "Hướng dẫn số 36-HD/VPTW ngày 03/4/2018",
    ),
    case(
        "Kết luận số 120-KL/TW, ngày 07/01/2016 của Bộ Chính trị",
        "vn:2016:120-KL/TW",
        "Kết luận",
        Some("2016-01-07"),
        "Kết luận số 120-KL/TW, ngày 07/01/2016",
    ),
    case(
        "Quy định số 08-QDI/TW ngày 25/10/2018 của Ban Chấp hành Trung ương",
        "vn:2018:08-QĐi/TW",
        "Quy định",
        Some("2018-10-25"),
        "Quy định số 08-QDI/TW ngày 25/10/2018",
    ),
    case(
        "Chỉ thị 05-CT/TW của Bộ Chính trị",
        "vn:????:05-CT/TW",
        "Chỉ thị",
        None,
        "Chỉ thị 05-CT/TW",
    ),
    // Provincial documents, scoped by the text or by the citing agency.
    case(
        "Kế hoạch số 23/KH-UBND ngày 24/3/2021 của UBND tỉnh Trà Vinh",
        "tra-vinh:2021:23/KH-UBND",
        "Kế hoạch",
        Some("2021-03-24"),
        "Kế hoạch số 23/KH-UBND ngày 24/3/2021",
    ),
    case(
        "Kế hoạch số 23/KH-UBND ngày 24/3/2021 của Ủy ban nhân dân tỉnh",
        "binh-phuoc:2021:23/KH-UBND",
        "Kế hoạch",
        Some("2021-03-24"),
        "Kế hoạch số 23/KH-UBND ngày 24/3/2021",
    ),
    case(
        "Quyết định số 2361/QĐ-UBND ngày 20/10/2021 của UBND thành phố Hồ Chí Minh",
        "ho-chi-minh:2021:2361/QĐ-UBND",
        "Quyết định",
        Some("2021-10-20"),
        "Quyết định số 2361/QĐ-UBND ngày 20/10/2021",
    ),
    case(
        "Quyết định số 15/2019/QĐ-UBND của UBND TP Đà Nẵng",
        "da-nang:2019:15/2019/QĐ-UBND",
        "Quyết định",
        None,
        "Quyết định số 15/2019/QĐ-UBND",
    ),
    case(
        "Quyết định số 100/QĐ-UBND ngày 02/01/2020 của UBND TP. Hồ Chí Minh",
        "ho-chi-minh:2020:100/QĐ-UBND",
        "Quyết định",
        Some("2020-01-02"),
        "Quyết định số 100/QĐ-UBND ngày 02/01/2020",
    ),
    case(
        "Kế hoạch số 89/KH-UBND ngày 28/3/2018 của UBND Tỉnh Ban hành quy chế",
        "binh-phuoc:2018:89/KH-UBND",
        "Kế hoạch",
        Some("2018-03-28"),
        "Kế hoạch số 89/KH-UBND ngày 28/3/2018",
    ),
    case(
        "Kế hoạch số 26-KH/TU ngày 23/6/2016 của Tỉnh ủy",
        "binh-phuoc:2016:26-KH/TU",
        "Kế hoạch",
        Some("2016-06-23"),
        "Kế hoạch số 26-KH/TU ngày 23/6/2016",
    ),
    case(
        "Kế hoạch số 22-KH/ĐUK ngày 28/5/2021 của Đảng ủy Khối",
        "binh-phuoc:2021:22-KH/ĐUK",
        "Kế hoạch",
        Some("2021-05-28"),
        "Kế hoạch số 22-KH/ĐUK ngày 28/5/2021",
    ),
    case(
        "Chương trình phối hợp số 22 - CTr/BCSD - BDVTU ngày 17/4/2017 giữa",
        "binh-phuoc:2017:22-CTr/BCSD-BDVTU",
        "Chương trình phối hợp",
        Some("2017-04-17"),
        "Chương trình phối hợp số 22 - CTr/BCSD - BDVTU ngày 17/4/2017",
    ),
    case(
        "Kế hoạch số 30/KH-STTTT-VP ngày 07/4/2021 về công tác dân vận",
        "binh-phuoc:2021:30/KH-STTTT-VP",
        "Kế hoạch",
        Some("2021-04-07"),
        "Kế hoạch số 30/KH-STTTT-VP ngày 07/4/2021",
    ),
    case(
        "Công văn số 2589/UBND-NC: Đã hỗ trợ",
        "binh-phuoc:????:2589/UBND-NC",
        "Công văn",
        None,
        "Công văn số 2589/UBND-NC",
    ),
    case(
        "Văn bản số 1587/UBND-KGVX ngày 01/5/2021 về việc",
        "binh-phuoc:2021:1587/UBND-KGVX",
        "Công văn",
        Some("2021-05-01"),
        "Văn bản số 1587/UBND-KGVX ngày 01/5/2021",
    ),
    case(
        "Công văn số 4595/UBND-CN XD ngày 29/9/2021 về việc phối hợp",
        "binh-phuoc:2021:4595/UBND-CNXD",
        "Công văn",
        Some("2021-09-29"),
        "Công văn số 4595/UBND-CN XD ngày 29/9/2021",
    ),
    // Issuers internal to the citing agency.
    case(
        "Quyết định số 02-QĐ/ĐU, ngày 01/10/2020 về kiện toàn",
        "binh-phuoc/so-ldtbxh:2020:02-QĐ/ĐU",
        "Quyết định",
        Some("2020-10-01"),
        "Quyết định số 02-QĐ/ĐU, ngày 01/10/2020",
    ),
    case(
        "Kế hoạch số 138-KH/BCĐ ngày 12/7/2021 về thực hiện",
        "binh-phuoc/so-ldtbxh:2021:138-KH/BCĐ",
        "Kế hoạch",
        Some("2021-07-12"),
        "Kế hoạch số 138-KH/BCĐ ngày 12/7/2021",
    ),
    // Joint issuers.
    case(
        "Nghị quyết liên tịch số 09/2008/NQLT-CP-UBTƯMTTQVN ngày 07/4/2008",
        "vn:2008:09/2008/NQLT-CP-UBTƯMTTQVN",
        "Nghị quyết liên tịch",
        Some("2008-04-07"),
        "Nghị quyết liên tịch số 09/2008/NQLT-CP-UBTƯMTTQVN ngày 07/4/2008",
    ),
    // Spellings repaired, dashes and spaces normalised.
    case(
        "Nghị định 04/2015/ND-CP của Chính phủ",
        "vn:2015:04/2015/NĐ-CP",
        "Nghị định",
        None,
        "Nghị định 04/2015/ND-CP",
    ),
    case(
        "quyết định số 91/QD-SLĐTBXH ngày 26/5/2020 về việc phân công",
        "binh-phuoc:2020:91/QĐ-SLĐTBXH",
        "Quyết định",
        Some("2020-05-26"),
        "quyết định số 91/QD-SLĐTBXH ngày 26/5/2020",
    ),
    case(
        "Nghị quyết số 36/NQ-HDND ngày 10/12/2020 của HĐND tỉnh",
        "binh-phuoc:2020:36/NQ-HĐND",
        "Nghị quyết",
        Some("2020-12-10"),
        "Nghị quyết số 36/NQ-HDND ngày 10/12/2020",
    ),
    case(
        "Nghị định số 04/2015/N\u{00D0}-CP về dân chủ",
        "vn:2015:04/2015/NĐ-CP",
        "Nghị định",
        None,
        "Nghị định số 04/2015/N\u{00D0}-CP",
    ),
    case(
        "Chỉ thị số 16/CT-TTG ngày 16/5/2016",
        "vn:2016:16/CT-TTg",
        "Chỉ thị",
        Some("2016-05-16"),
        "Chỉ thị số 16/CT-TTG ngày 16/5/2016",
    ),
    case(
        "Chương trình số 177-Ctr/TU ngày 07/8/2013 của Ban Thường vụ",
        "binh-phuoc:2013:177-CTr/TU",
        "Chương trình",
        Some("2013-08-07"),
        "Chương trình số 177-Ctr/TU ngày 07/8/2013",
    ),
    case(
        "Kế hoạch số 33–KH/BDVTU ngày 06/7/2021 (en dash)",
        "binh-phuoc:2021:33-KH/BDVTU",
        "Kế hoạch",
        Some("2021-07-06"),
        "Kế hoạch số 33–KH/BDVTU ngày 06/7/2021",
    ),
    case(
        "Nghị định số 04/2015/NĐ\u{2011}CP (non-breaking hyphen)",
        "vn:2015:04/2015/NĐ-CP",
        "Nghị định",
        None,
        "Nghị định số 04/2015/NĐ\u{2011}CP",
    ),
    case(
        "Kế hoạch\u{a0}số\u{a0}162/KH-SLĐTBXH\u{a0}ngày\u{a0}19/9/2016 về việc",
        "binh-phuoc:2016:162/KH-SLĐTBXH",
        "Kế hoạch",
        Some("2016-09-19"),
        "Kế hoạch\u{a0}số\u{a0}162/KH-SLĐTBXH\u{a0}ngày\u{a0}19/9/2016",
    ),
    case(
        "Chương trình số 22\u{a0}-\u{a0}CTr/BCSD\u{a0}-\u{a0}BDVTU của tỉnh",
        "binh-phuoc:????:22-CTr/BCSD-BDVTU",
        "Chương trình",
        None,
        "Chương trình số 22\u{a0}-\u{a0}CTr/BCSD\u{a0}-\u{a0}BDVTU",
    ),
    case(
        "Nghị quyết số 19-\n\nNQ/TW ngày 25/10/2017 của Hội nghị",
        "vn:2017:19-NQ/TW",
        "Nghị quyết",
        Some("2017-10-25"),
        "Nghị quyết số 19-\n\nNQ/TW ngày 25/10/2017",
    ),
    case(
        "Nghị định số 04/2015/\nNĐ-CP về dân chủ",
        "vn:2015:04/2015/NĐ-CP",
        "Nghị định",
        None,
        "Nghị định số 04/2015/\nNĐ-CP",
    ),
    case(
        "Đề án số 5-ĐA/TU ngày 21/6/2018",
        "binh-phuoc:2018:05-ĐA/TU",
        "Đề án",
        Some("2018-06-21"),
        "Đề án số 5-ĐA/TU ngày 21/6/2018",
    ),
    case(
        "Đề án số 05-DA/TU (DA is a code of its own)",
        "binh-phuoc:????:05-DA/TU",
        "Đề án",
        None,
        "Đề án số 05-DA/TU",
    ),
    case(
        "Hướng dẫn số 12/HD-UBND ngày 01/02/2021",
        "binh-phuoc:2021:12/HD-UBND",
        "Hướng dẫn",
        Some("2021-02-01"),
        "Hướng dẫn số 12/HD-UBND ngày 01/02/2021",
    ),
    case(
        "văn bản số 12/HĐ-UBND ngày 01/02/2021",
        "binh-phuoc:2021:12/HĐ-UBND",
        "Công văn",
        Some("2021-02-01"),
        "văn bản số 12/HĐ-UBND ngày 01/02/2021",
    ),
    // Every form of date.
    case(
        "Nghị định số 04/2015/NĐ-CP, ngày 9-1-2015",
        "vn:2015:04/2015/NĐ-CP",
        "Nghị định",
        Some("2015-01-09"),
        "Nghị định số 04/2015/NĐ-CP, ngày 9-1-2015",
    ),
    case(
        "Công văn số 2345/UBND-VX ngày 22.9.2021 về việc",
        "binh-phuoc:2021:2345/UBND-VX",
        "Công văn",
        Some("2021-09-22"),
        "Công văn số 2345/UBND-VX ngày 22.9.2021",
    ),
    case(
        "Nghị định số 04/2015/NĐ-CP ngày 09 tháng 01 năm 2015 của Chính phủ",
        "vn:2015:04/2015/NĐ-CP",
        "Nghị định",
        Some("2015-01-09"),
        "Nghị định số 04/2015/NĐ-CP ngày 09 tháng 01 năm 2015",
    ),
    case(
        "Kế hoạch số 12/KH-UBND năm 2021 của tỉnh",
        "binh-phuoc:2021:12/KH-UBND",
        "Kế hoạch",
        Some("2021"),
        "Kế hoạch số 12/KH-UBND năm 2021",
    ),
    case(
        "Thông báo kết luận số 974-TB/TU, ngày 07/9/2018 của Ban Thường vụ",
        "binh-phuoc:2018:974-TB/TU",
        "Thông báo kết luận",
        Some("2018-09-07"),
        "Thông báo kết luận số 974-TB/TU, ngày 07/9/2018",
    ),
    // Footnote markers glued to the symbol.
    case(
        "theo Nghị quyết số 68/NQ-CP² của Chính phủ",
        "vn:????:68/NQ-CP",
        "Nghị quyết",
        None,
        "Nghị quyết số 68/NQ-CP",
    ),
    case(
        "Kế hoạch số 3307/KH-UBND¹ của UBND tỉnh",
        "binh-phuoc:????:3307/KH-UBND",
        "Kế hoạch",
        None,
        "Kế hoạch số 3307/KH-UBND",
    ),
];

#[test]
fn realistic_citation_strings() {
    assert!(CASES.len() >= 40, "{} cases", CASES.len());
    let ctx = ctx("binh-phuoc/so-ldtbxh");
    for case in CASES {
        let found = recognise(case.text, &ctx);
        assert_eq!(found.len(), 1, "{:?}: {found:?}", case.text);
        let c = &found[0];
        assert_eq!(c.id, case.id, "{:?}", case.text);
        assert_eq!(c.doc_type, case.doc_type, "{:?}", case.text);
        assert_eq!(c.date.as_deref(), case.date, "{:?}", case.text);
        assert_eq!(c.text, case.written, "{:?}", case.text);
        assert_eq!(
            &case.text[c.start..c.end],
            c.text,
            "offsets of {:?}",
            case.text
        );
        assert_eq!(
            c.warnings.is_empty(),
            c.year.is_some(),
            "{:?}: {:?}",
            case.text,
            c.warnings
        );
    }
}

#[test]
fn nfd_input_keeps_offsets_in_the_text_as_written() {
    use unicode_normalization::UnicodeNormalization;
    let ctx = ctx("binh-phuoc/so-ldtbxh");
    for case in CASES {
        let nfd: String = case.text.nfd().collect();
        let found = recognise(&nfd, &ctx);
        assert_eq!(found.len(), 1, "{:?}", case.text);
        assert_eq!(found[0].id, case.id);
        assert_eq!(&nfd[found[0].start..found[0].end], found[0].text);
        assert_eq!(
            found[0].text.nfc().collect::<String>(),
            case.written.nfc().collect::<String>()
        );
    }
}

#[test]
fn a_symbol_and_a_date_that_disagree_are_flagged() {
    let found = recognise(
        "Nghị định số 04/2015/NĐ-CP ngày 09/01/2016",
        &ctx("binh-phuoc/x"),
    );
    assert_eq!(found[0].id, "vn:2015:04/2015/NĐ-CP");
    assert_eq!(
        found[0].warnings,
        vec!["the symbol says 2015 but the date says 2016"]
    );
}

#[test]
fn non_citations() {
    let ctx = ctx("binh-phuoc/so-ldtbxh");
    for text in [
        "Số: /BC-SLĐTBXH",
        "Số: /BC-STTTT-VP",
        "Giải quyết việc làm cho 28.101/38.000 lao động",
        "có gần 18.000/20.139 hộ thoát nghèo",
        "mức độ 4 đạt tỷ lệ 98,13% (157/160 thủ tục)",
        "chuyển đổi từ TCVN 9001:2008 sang TCVN 9001:2015",
        "tính đến 31-8-2018.",
        "Sáng 9-10, Đoàn công tác",
        "Phối hợp với đội K72/ Bộ Chỉ huy Quân sự tỉnh",
        "304 triệu đồng (1.000.000đ/người)",
        "11/11 xã thực hiện cơ chế",
        "tính đến hết tháng 9/2021",
        "nhiệm kỳ 2021-2026",
        "giai đoạn 2017 – 2021, Sở Lao động",
        "ngày Thương binh – Liệt sỹ 27/7 là 22.494 phần",
        "dịch bệnh Covid-19",
        "Tỷ lệ thất nghiệp ở thành thị: <3,2%",
        "Thông điệp 5K: Khẩu trang",
        "Đề án 999 của Tỉnh ủy",
        "Nghị quyết của Tỉnh ủy, của HĐND và UBND",
    ] {
        let found = recognise(text, &ctx);
        assert!(found.is_empty(), "{text:?} gave {found:?}");
    }
}

#[test]
fn names_resolve_only_through_registry_aliases() {
    let ctx = ctx("binh-phuoc/so-ldtbxh");
    let text =
        "thực hiện Luật Tiếp công dân và Nghị quyết Hội nghị Trung ương 7 Khóa XI; Luật Đất đai";
    let found = recognise_all(text, &ctx, registry());
    let ids: Vec<&str> = found.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["vn:2013:25/2013/QH13", "vn:2013:25-NQ/TW"],
        "a law not in the registry is not guessed"
    );
    assert_eq!(&text[found[0].start..found[0].end], "Luật Tiếp công dân");
    assert!(recognise_all(text, &ctx, &Registry::default()).is_empty());
}

#[test]
fn years_come_from_other_citations_and_the_registry() {
    let ctx = ctx("tra-vinh/so-tttt");
    let text =
        "Kế hoạch số 71-KH/TU ngày 02/3/2018; sau đó Kế hoạch số 71-KH/TU; Chỉ thị số 30-CT/TW";
    let mut found = recognise_all(text, &ctx, registry());
    let mut refs: Vec<&mut Citation> = found.iter_mut().collect();
    resolve_years(&mut refs, registry());
    let ids: Vec<&str> = found.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "tra-vinh:2018:71-KH/TU",
            "tra-vinh:2018:71-KH/TU",
            "vn:1998:30-CT/TW"
        ]
    );
    assert!(found.iter().all(|c| c.warnings.is_empty()));
    // Two known years: the symbol stays without one.
    let text = "Chỉ thị số 16/CT-TTg ngày 16/5/2016; Chỉ thị số 16/CT-TTg ngày 31/3/2020; Chỉ thị 16/CT-TTg";
    let mut found = recognise_all(text, &ctx, &Registry::default());
    let mut refs: Vec<&mut Citation> = found.iter_mut().collect();
    resolve_years(&mut refs, &Registry::default());
    assert_eq!(found[2].id, "vn:????:16/CT-TTg");
}

#[test]
fn cite_command_prints_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bai.txt");
    std::fs::write(
        &file,
        "Thực hiện Kế hoạch số 110-KH/ĐU ngày 28/4/2021 và Luật Tiếp công dân; Nghị quyết số 68/NQ-CP.",
    )
    .unwrap();
    let out = minhbach(
        &repo(),
        &[
            "cite",
            file.to_str().unwrap(),
            "--agency",
            "tra-vinh/so-tttt",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let first = &lines[0];
    for key in [
        "start", "end", "text", "id", "type", "symbol", "number", "year", "date", "scope",
        "warnings",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert_eq!(first["id"], "tra-vinh/so-tttt:2021:110-KH/ĐU");
    assert_eq!(first["type"], "Kế hoạch");
    assert_eq!(first["number"], 110);
    assert_eq!(first["date"], "2021-04-28");
    assert_eq!(first["scope"], "tra-vinh/so-tttt");
    assert_eq!(first["start"], "Thực hiện ".len());
    assert_eq!(lines[1]["id"], "vn:2013:25/2013/QH13");
    assert_eq!(lines[2]["id"], "vn:2021:68/NQ-CP", "year from the registry");

    // Standard input, with a province and no registry.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_minhbach"))
        .args([
            "cite",
            "-",
            "--province",
            "dong-thap",
            "--root",
            dir.path().to_str().unwrap(),
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Kế hoạch số 89/KH-UBND ngày 28/3/2018".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["id"], "dong-thap:2018:89/KH-UBND");
}

#[test]
fn check_reports_citation_problems_with_positions() {
    let site = example_site();
    let out = minhbach(site.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let has = |s: &str| err.lines().any(|l| l.contains(s));
    assert!(has("content/reports/binh-phuoc/so-ldtbxh/2021-dan-van-chinh-quyen.yaml:67:623: warning: `Công văn số 2589/UBND-NC`: no year"), "{err}");
    assert!(has("warning: `Kế hoạch số 3307/KH-UBND ngày 28/12/2020` and `Quyết định số 3307/QĐ-UBND ngày 28/12/2020` agree on number, issuer and date but not on type; they are taken as one document, `binh-phuoc:2020:3307/QĐ-UBND`"), "{err}");
    assert!(has("warning: `Pháp lệnh số 34/2007/PL-UBTVQH11 ngày 05/4/2007` gives another date of issue than `Pháp lệnh số 34/2007/PL-UBTVQH11 ngày 20/4/2007`"), "{err}");
    assert!(has("`Kế hoạch số 71-KH/TU`: no year"), "{err}");

    // A registry entry that no report cites.
    std::fs::write(
        site.path().join("content/legal/them.yaml"),
        "- citation: Nghị định số 30/2020/NĐ-CP ngày 05/3/2020\n  title: Về công tác văn thư\n",
    )
    .unwrap();
    let out = minhbach(site.path(), &["check"]);
    assert!(stderr(&out).contains(
        "content/legal/them.yaml:1:13: warning: registry entry `Nghị định số 30/2020/NĐ-CP ngày 05/3/2020` is cited by no published report"
    ), "{}", stderr(&out));
}

#[test]
fn the_example_site_has_a_page_for_every_cited_document() {
    let site = example_site();
    let public = build_ok(site.path(), &[]);
    let seeds = [
        ("000_2b203e34d1949082.txt", "binh-phuoc/so-ldtbxh"),
        ("001_9ebb4c68ea5cda49.txt", "dong-thap/so-ldtbxh"),
        ("003_c4f4ab40cf23f3eb.txt", "tra-vinh/so-tttt"),
    ];
    for (file, agency) in seeds {
        for c in seed_citations(file, agency) {
            // 3307/KH-UBND is the same document as 3307/QĐ-UBND (see check).
            let id = c.id.replace("3307/KH-UBND", "3307/QĐ-UBND");
            let slug = minhbach::cite::id_slug(&id);
            let page = public.join(format!("van-ban/{slug}/index.html"));
            assert!(page.is_file(), "{file}: no page for {id} ({})", c.text);
        }
    }
    let citing =
        |slug: &str| -> String { page_text(&read(&public, &format!("van-ban/{slug}/index.html"))) };
    let ct16 = citing("vn-2016-16-ct_ttg");
    assert!(ct16.contains("(2 báo cáo, 4 lần trích dẫn)"), "{ct16}");
    let nq25 = citing("vn-2013-25_nq-tw");
    assert!(nq25.contains("thực hiện “Năm dân vận khéo” 2020"), "{nq25}");
    assert!(
        nq25.contains("kết quả xây dựng, thực hiện quy chế dân chủ ở cơ sở năm 2021"),
        "{nq25}"
    );
    assert!(nq25.contains("Về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận"));
    let merged = citing("binh-phuoc-2020-3307-qdd_ubnd");
    assert!(
        merged.contains("Cũng được trích dẫn là Kế hoạch 3307/KH-UBND"),
        "{merged}"
    );
    // Cited together with others in one report only: no "cited together" list.
    assert!(!merged.contains("Thường được trích dẫn cùng"), "{merged}");
    let most = page_text(&read(&public, "van-ban/trich-dan-nhieu-nhat/index.html"));
    // Most cited first: by reports citing it, then by citations.
    let table = &most[most.find("# Văn bản").expect("ranking table")..];
    assert!(
        table.contains("lần trích dẫn 1 Chỉ thị 16/CT-TTg"),
        "{table}"
    );
    assert!(table.find("Chỉ thị 16/CT-TTg") < table.find("Pháp lệnh 34/2007/PL-UBTVQH11"));
}

#[test]
fn every_citation_in_report_text_is_a_link() {
    let site = example_site();
    let public = build_ok(site.path(), &[]);
    let loaded = minhbach::site::Site::load(site.path(), Default::default()).unwrap();
    for &r in loaded.catalog.reports() {
        let report = &loaded.content.reports[r];
        let body = loaded.content.body(r).unwrap();
        let ctx = loaded.catalog.cite_context(&loaded.content, r);
        // The recogniser run here, as an oracle, finds what the cite stage
        // found while loading, and each is a link on the page.
        let expected: usize = body
            .texts()
            .iter()
            .map(|t| recognise_all(t.text, &ctx, loaded.catalog.registry()).len())
            .sum();
        let spans = body
            .citations
            .iter()
            .filter(|c| matches!(c.part(), minhbach::model::Part::Text(_)))
            .count();
        assert_eq!(spans, expected, "{}", report.slug);
        let html = read(&public, &format!("bao-cao/{}/index.html", report.slug));
        let links = html.matches("<a class=\"cite\"").count();
        assert_eq!(links, expected, "{}", report.slug);
    }
}

#[test]
fn national_documents_cited_by_the_seeds_are_registered() {
    let site = example_site();
    let loaded = minhbach::site::Site::load(site.path(), Default::default()).unwrap();
    let national: Vec<_> = loaded
        .catalog
        .documents()
        .values()
        .filter(|d| d.scope == "vn")
        .collect();
    assert!(national.len() >= 25, "{}", national.len());
    for d in national {
        let entry = d
            .registry
            .map(|i| &loaded.content.legal[i])
            .unwrap_or_else(|| panic!("{} is not in the registry", d.id));
        assert!(entry.date.is_some(), "{}: no date", d.id);
        // The one title the reports do not give and that was not checked
        // against the official gazette is left empty rather than guessed.
        if d.id != "vn:2021:82/TB-VPCP" {
            assert!(entry.title.is_some(), "{}: no title", d.id);
        }
    }
}

/// Citations as people type them (issue 18), by class. Cited from an
/// agency of Bình Phước unless the text names a province.
const TYPED: &[(&str, &[Case])] = &[
    (
        "spacing typed by hand",
        &[
            case(
                "theo Kế hoạch số12/KH-UBND ngày 15/01/2021 của UBND tỉnh",
                "binh-phuoc:2021:12/KH-UBND",
                "Kế hoạch",
                Some("2021-01-15"),
                "Kế hoạch số12/KH-UBND ngày 15/01/2021",
            ),
            case(
                "Quyết định số 84 QĐ/TW ngày 19/6/2007 của Ban Bí thư",
                "vn:2007:84-QĐ/TW",
                "Quyết định",
                Some("2007-06-19"),
                "Quyết định số 84 QĐ/TW ngày 19/6/2007",
            ),
            case(
                "Kế hoạch số 15 KH-UBND ngày 20/01/2021 về công tác dân vận",
                "binh-phuoc:2021:15/KH-UBND",
                "Kế hoạch",
                Some("2021-01-20"),
                "Kế hoạch số 15 KH-UBND ngày 20/01/2021",
            ),
            case(
                "Quyết định số 44 /2005/QĐ-UBND ngày 10/5/2005 của UBND tỉnh Bình Phước",
                "binh-phuoc:2005:44/2005/QĐ-UBND",
                "Quyết định",
                Some("2005-05-10"),
                "Quyết định số 44 /2005/QĐ-UBND ngày 10/5/2005",
            ),
            case(
                "Nghị định số 12/ 2019/ NĐ-CP ngày 01/02/2019 của Chính phủ",
                "vn:2019:12/2019/NĐ-CP",
                "Nghị định",
                Some("2019-02-01"),
                "Nghị định số 12/ 2019/ NĐ-CP ngày 01/02/2019",
            ),
            case(
                "theo Quyết định số 1847/QĐ-TTg ngày 27 / 12 /2018 của Thủ tướng",
                "vn:2018:1847/QĐ-TTg",
                "Quyết định",
                Some("2018-12-27"),
                "Quyết định số 1847/QĐ-TTg ngày 27 / 12 /2018",
            ),
            case(
                "Kết luận số 120-KL/TW ngày 7- 1-2016 của Bộ Chính trị",
                "vn:2016:120-KL/TW",
                "Kết luận",
                Some("2016-01-07"),
                "Kết luận số 120-KL/TW ngày 7- 1-2016",
            ),
            case(
                "Kế hoạch số 23/KH-\nUBND ngày 24/3/2021 của Ủy ban",
                "binh-phuoc:2021:23/KH-UBND",
                "Kế hoạch",
                Some("2021-03-24"),
                "Kế hoạch số 23/KH-\nUBND ngày 24/3/2021",
            ),
            case(
                "thực hiện Nghị định số 04/2015/\nNĐ-CP ngày 09/01/2015",
                "vn:2015:04/2015/NĐ-CP",
                "Nghị định",
                Some("2015-01-09"),
                "Nghị định số 04/2015/\nNĐ-CP ngày 09/01/2015",
            ),
            case(
                "Thông tư số 01 / 2019 / TT-BNV ngày 24/01/2019 của Bộ Nội vụ",
                "vn:2019:01/2019/TT-BNV",
                "Thông tư",
                Some("2019-01-24"),
                "Thông tư số 01 / 2019 / TT-BNV ngày 24/01/2019",
            ),
            case(
                "Kế hoạch số 33 - KH/BDVTU ngày 06/7/2021 của Ban Dân vận",
                "binh-phuoc:2021:33-KH/BDVTU",
                "Kế hoạch",
                Some("2021-07-06"),
                "Kế hoạch số 33 - KH/BDVTU ngày 06/7/2021",
            ),
            case(
                "Quyết định số: 91/QĐ-SLĐTBXH ngày 09/3/2021 của Giám đốc Sở",
                "binh-phuoc:2021:91/QĐ-SLĐTBXH",
                "Quyết định",
                Some("2021-03-09"),
                "Quyết định số: 91/QĐ-SLĐTBXH ngày 09/3/2021",
            ),
            case(
                "Công văn số 2589 /UBND-NC ngày 14/10/2021 của UBND tỉnh",
                "binh-phuoc:2021:2589/UBND-NC",
                "Công văn",
                Some("2021-10-14"),
                "Công văn số 2589 /UBND-NC ngày 14/10/2021",
            ),
            case(
                "Hướng dẫn số 01-HD/BDVTW ngày 16 / 3/ 2021 của Ban Dân vận Trung ương",
                "vn:2021:01-HD/BDVTW",
                "Hướng dẫn",
                Some("2021-03-16"),
                "Hướng dẫn số 01-HD/BDVTW ngày 16 / 3/ 2021",
            ),
            case(
                "Nghị quyết số\u{a0}68/NQ-CP ngày 01/7/2021 của Chính phủ",
                "vn:2021:68/NQ-CP",
                "Nghị quyết",
                Some("2021-07-01"),
                "Nghị quyết số\u{a0}68/NQ-CP ngày 01/7/2021",
            ),
            case(
                "Kế hoạch số 12/KH - UBND ngày 05/01/2021 của UBND tỉnh",
                "binh-phuoc:2021:12/KH-UBND",
                "Kế hoạch",
                Some("2021-01-05"),
                "Kế hoạch số 12/KH - UBND ngày 05/01/2021",
            ),
            case(
                "Quyết định số 1893-QĐ/ TU ngày 28/12/2016 của Ban Thường vụ Tỉnh ủy",
                "binh-phuoc:2016:1893-QĐ/TU",
                "Quyết định",
                Some("2016-12-28"),
                "Quyết định số 1893-QĐ/ TU ngày 28/12/2016",
            ),
            case(
                "Nghị quyết số 25-NQ/TƯ ngày 03/6/2013 của Hội nghị Trung ương 7",
                "vn:2013:25-NQ/TW",
                "Nghị quyết",
                Some("2013-06-03"),
                "Nghị quyết số 25-NQ/TƯ ngày 03/6/2013",
            ),
            case(
                "Chỉ thị số 16/CT- TTg ngày 16/5/2016 của Thủ tướng Chính phủ",
                "vn:2016:16/CT-TTg",
                "Chỉ thị",
                Some("2016-05-16"),
                "Chỉ thị số 16/CT- TTg ngày 16/5/2016",
            ),
            case(
                "Kế hoạch số 160/Kh-SLĐTBXH ngày 12/8/2016",
                "binh-phuoc:2016:160/KH-SLĐTBXH",
                "Kế hoạch",
                Some("2016-08-12"),
                "Kế hoạch số 160/Kh-SLĐTBXH ngày 12/8/2016",
            ),
        ],
    ),
    (
        "mass organisations, the Assembly, joint and consolidated texts",
        &[
            case(
                "Chỉ thị số 12-CT/TWĐTN ngày 14/01/2021 của Ban Bí thư Trung ương Đoàn",
                "vn:2021:12-CT/TWĐTN",
                "Chỉ thị",
                Some("2021-01-14"),
                "Chỉ thị số 12-CT/TWĐTN ngày 14/01/2021",
            ),
            case(
                "Kế hoạch số 131-KH/TWĐTN-BTG ngày 29/3/2021 về tuyên truyền",
                "vn:2021:131-KH/TWĐTN-BTG",
                "Kế hoạch",
                Some("2021-03-29"),
                "Kế hoạch số 131-KH/TWĐTN-BTG ngày 29/3/2021",
            ),
            case(
                "Hướng dẫn số 25-HD/TWĐTN-BTC ngày 02/6/2020 về công tác đoàn viên",
                "vn:2020:25-HD/TWĐTN-BTC",
                "Hướng dẫn",
                Some("2020-06-02"),
                "Hướng dẫn số 25-HD/TWĐTN-BTC ngày 02/6/2020",
            ),
            case(
                "Nghị quyết số 02-NQ/TLĐ ngày 12/6/2021 của Ban Chấp hành Tổng Liên đoàn",
                "vn:2021:02-NQ/TLĐ",
                "Nghị quyết",
                Some("2021-06-12"),
                "Nghị quyết số 02-NQ/TLĐ ngày 12/6/2021",
            ),
            case(
                "Hướng dẫn số 03/HD-TLĐ ngày 20/3/2020 về tổ chức hội nghị",
                "vn:2020:03/HD-TLĐ",
                "Hướng dẫn",
                Some("2020-03-20"),
                "Hướng dẫn số 03/HD-TLĐ ngày 20/3/2020",
            ),
            case(
                "Kế hoạch số 07/KH-ĐCT ngày 10/02/2021 của Đoàn Chủ tịch Trung ương Hội LHPN Việt Nam",
                "vn:2021:07/KH-ĐCT",
                "Kế hoạch",
                Some("2021-02-10"),
                "Kế hoạch số 07/KH-ĐCT ngày 10/02/2021",
            ),
            case(
                "Hướng dẫn số 27/HD-MTTW-BTT ngày 12/6/2017 của Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam",
                "vn:2017:27/HD-MTTW-BTT",
                "Hướng dẫn",
                Some("2017-06-12"),
                "Hướng dẫn số 27/HD-MTTW-BTT ngày 12/6/2017",
            ),
            case(
                "Kế hoạch số 123-KH/HNDTW ngày 08/4/2021 của Ban Thường vụ Trung ương Hội Nông dân Việt Nam",
                "vn:2021:123-KH/HNDTW",
                "Kế hoạch",
                Some("2021-04-08"),
                "Kế hoạch số 123-KH/HNDTW ngày 08/4/2021",
            ),
            case(
                "Nghị quyết liên tịch số 403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN ngày 15/6/2017",
                "vn:2017:403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN",
                "Nghị quyết liên tịch",
                Some("2017-06-15"),
                "Nghị quyết liên tịch số 403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN ngày 15/6/2017",
            ),
            case(
                "Thông tư liên tịch số 01/2015/TTLT-BNV-BTC ngày 14/4/2015 của Bộ Nội vụ và Bộ Tài chính",
                "vn:2015:01/2015/TTLT-BNV-BTC",
                "Thông tư liên tịch",
                Some("2015-04-14"),
                "Thông tư liên tịch số 01/2015/TTLT-BNV-BTC ngày 14/4/2015",
            ),
            case(
                "Thông tư liên tịch số 23/2015/TTLT-BLĐTBXH-BTC ngày 23/6/2015",
                "vn:2015:23/2015/TTLT-BLĐTBXH-BTC",
                "Thông tư liên tịch",
                Some("2015-06-23"),
                "Thông tư liên tịch số 23/2015/TTLT-BLĐTBXH-BTC ngày 23/6/2015",
            ),
            case(
                "Văn bản hợp nhất số 07/VBHN-BLĐTBXH ngày 28/02/2019 Nghị định quy định",
                "vn:2019:07/VBHN-BLĐTBXH",
                "Văn bản hợp nhất",
                Some("2019-02-28"),
                "Văn bản hợp nhất số 07/VBHN-BLĐTBXH ngày 28/02/2019",
            ),
            case(
                "theo Văn bản hợp nhất số 05/VBHN-VPQH ngày 15/7/2020 của Văn phòng Quốc hội",
                "vn:2020:05/VBHN-VPQH",
                "Văn bản hợp nhất",
                Some("2020-07-15"),
                "Văn bản hợp nhất số 05/VBHN-VPQH ngày 15/7/2020",
            ),
            case(
                "Báo cáo số 512/BC-UBXH14 ngày 20/10/2020 của Ủy ban Xã hội",
                "vn:2020:512/BC-UBXH14",
                "Báo cáo",
                Some("2020-10-20"),
                "Báo cáo số 512/BC-UBXH14 ngày 20/10/2020",
            ),
            case(
                "Công văn số 1234/VPQH-TH ngày 05/5/2021 về việc lấy ý kiến",
                "vn:2021:1234/VPQH-TH",
                "Công văn",
                Some("2021-05-05"),
                "Công văn số 1234/VPQH-TH ngày 05/5/2021",
            ),
            case(
                "Nghị quyết số 1185/NQ-UBTVQH14 ngày 11/3/2021 về tổng số đại biểu",
                "vn:2021:1185/NQ-UBTVQH14",
                "Nghị quyết",
                Some("2021-03-11"),
                "Nghị quyết số 1185/NQ-UBTVQH14 ngày 11/3/2021",
            ),
            case(
                "Thông báo số 115-TB/VPTW ngày 20/3/2021 về ý kiến chỉ đạo",
                "vn:2021:115-TB/VPTW",
                "Thông báo",
                Some("2021-03-20"),
                "Thông báo số 115-TB/VPTW ngày 20/3/2021",
            ),
            case(
                "Kế hoạch số 45-KH/BDVTW ngày 09/3/2021 về công tác dân vận",
                "vn:2021:45-KH/BDVTW",
                "Kế hoạch",
                Some("2021-03-09"),
                "Kế hoạch số 45-KH/BDVTW ngày 09/3/2021",
            ),
            case(
                "Kế hoạch số 15-KH/TĐTN-BTG ngày 10/3/2021 của Ban Thường vụ Tỉnh Đoàn",
                "binh-phuoc:2021:15-KH/TĐTN-BTG",
                "Kế hoạch",
                Some("2021-03-10"),
                "Kế hoạch số 15-KH/TĐTN-BTG ngày 10/3/2021",
            ),
            case(
                "Hướng dẫn số 04/HD-MTTQ-BTT ngày 12/4/2021 về giám sát",
                "binh-phuoc:2021:04/HD-MTTQ-BTT",
                "Hướng dẫn",
                Some("2021-04-12"),
                "Hướng dẫn số 04/HD-MTTQ-BTT ngày 12/4/2021",
            ),
            case(
                "Nghị quyết số 1211/2016/UBTVQH13 ngày 25/5/2016 về tiêu chuẩn phân loại",
                "vn:2016:1211/2016/UBTVQH13",
                "Nghị quyết",
                Some("2016-05-25"),
                "Nghị quyết số 1211/2016/UBTVQH13 ngày 25/5/2016",
            ),
        ],
    ),
    (
        "the issuer named in words decides the scope",
        &[
            case(
                "Chỉ thị số 05-CT/ĐTN ngày 11/3/2021 của Ban Chấp hành Trung ương Đoàn về đợt thi đua",
                "vn:2021:05-CT/ĐTN",
                "Chỉ thị",
                Some("2021-03-11"),
                "Chỉ thị số 05-CT/ĐTN ngày 11/3/2021",
            ),
            case(
                "Kế hoạch số 04-KH/BCĐ ngày 02/3/2021 của Ban Chỉ đạo Trung ương về dân chủ ở cơ sở",
                "vn:2021:04-KH/BCĐ",
                "Kế hoạch",
                Some("2021-03-02"),
                "Kế hoạch số 04-KH/BCĐ ngày 02/3/2021",
            ),
            case(
                "Kế hoạch số 21-KH/BCĐ ngày 15/4/2021 của Ban Chỉ đạo tỉnh về dân vận khéo",
                "binh-phuoc:2021:21-KH/BCĐ",
                "Kế hoạch",
                Some("2021-04-15"),
                "Kế hoạch số 21-KH/BCĐ ngày 15/4/2021",
            ),
            case(
                "Kế hoạch số 06-KH/CB ngày 12/01/2021 của Chi bộ Văn phòng Sở",
                "binh-phuoc/so-ldtbxh:2021:06-KH/CB",
                "Kế hoạch",
                Some("2021-01-12"),
                "Kế hoạch số 06-KH/CB ngày 12/01/2021",
            ),
            case(
                "Kế hoạch số 12-KH/ĐU ngày 10/3/2021 của Đảng ủy Sở về dân vận",
                "binh-phuoc/so-ldtbxh:2021:12-KH/ĐU",
                "Kế hoạch",
                Some("2021-03-10"),
                "Kế hoạch số 12-KH/ĐU ngày 10/3/2021",
            ),
            case(
                "Nghị quyết số 07/NQ-HĐND ngày 10/7/2020 của Hội đồng nhân dân tỉnh Bình Thuận",
                "binh-thuan:2020:07/NQ-HĐND",
                "Nghị quyết",
                Some("2020-07-10"),
                "Nghị quyết số 07/NQ-HĐND ngày 10/7/2020",
            ),
            case(
                "Kế hoạch số 89/KH-UBND ngày 28/3/2018 của Ủy ban nhân dân tỉnh Bình Thuận",
                "binh-thuan:2018:89/KH-UBND",
                "Kế hoạch",
                Some("2018-03-28"),
                "Kế hoạch số 89/KH-UBND ngày 28/3/2018",
            ),
            case(
                "Quyết định số 15-QĐ/ĐTN ngày 06/01/2021 của Ban Thường vụ Trung ương Đoàn",
                "vn:2021:15-QĐ/ĐTN",
                "Quyết định",
                Some("2021-01-06"),
                "Quyết định số 15-QĐ/ĐTN ngày 06/01/2021",
            ),
            case(
                "Hướng dẫn số 10-HD/BTG ngày 12/5/2021 của Ban Tuyên giáo Trung ương về học tập",
                "vn:2021:10-HD/BTG",
                "Hướng dẫn",
                Some("2021-05-12"),
                "Hướng dẫn số 10-HD/BTG ngày 12/5/2021",
            ),
            case(
                "Kế hoạch số 10-KH/BTG ngày 12/5/2021 của Ban Tuyên giáo Tỉnh ủy về học tập",
                "binh-phuoc:2021:10-KH/BTG",
                "Kế hoạch",
                Some("2021-05-12"),
                "Kế hoạch số 10-KH/BTG ngày 12/5/2021",
            ),
            case(
                "Kế hoạch số 03-KH/ĐĐBQH ngày 05/01/2021 của Đoàn đại biểu Quốc hội tỉnh Đồng Tháp",
                "dong-thap:2021:03-KH/ĐĐBQH",
                "Kế hoạch",
                Some("2021-01-05"),
                "Kế hoạch số 03-KH/ĐĐBQH ngày 05/01/2021",
            ),
            case(
                "Kế hoạch số 05/KH-BCĐ ngày 10/01/2022 của Ban Chỉ đạo 35 tỉnh về bảo vệ nền tảng",
                "binh-phuoc:2022:05/KH-BCĐ",
                "Kế hoạch",
                Some("2022-01-10"),
                "Kế hoạch số 05/KH-BCĐ ngày 10/01/2022",
            ),
            case(
                "Quyết định số 07-QĐ/BCĐ ngày 20/5/2021 của Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh Bình Thuận",
                "binh-thuan:2021:07-QĐ/BCĐ",
                "Quyết định",
                Some("2021-05-20"),
                "Quyết định số 07-QĐ/BCĐ ngày 20/5/2021",
            ),
            case(
                "Công văn số 55/HĐTĐKT ngày 10/3/2021 của Hội đồng Thi đua – Khen thưởng Trung ương",
                "vn:2021:55/HĐTĐKT",
                "Công văn",
                Some("2021-03-10"),
                "Công văn số 55/HĐTĐKT ngày 10/3/2021",
            ),
            case(
                "Kế hoạch số 30-KH/HLHPN ngày 09/3/2021 của Ban Thường vụ Hội LHPN tỉnh",
                "binh-phuoc:2021:30-KH/HLHPN",
                "Kế hoạch",
                Some("2021-03-09"),
                "Kế hoạch số 30-KH/HLHPN ngày 09/3/2021",
            ),
            case(
                "Công văn số 102/BCH ngày 02/4/2021 của Bộ Chỉ huy Quân sự tỉnh về phối hợp",
                "binh-phuoc:2021:102/BCH",
                "Công văn",
                Some("2021-04-02"),
                "Công văn số 102/BCH ngày 02/4/2021",
            ),
            case(
                "Công văn số 310/LĐTBXH-VP ngày 02/4/2021 của Bộ Lao động – Thương binh và Xã hội",
                "vn:2021:310/LĐTBXH-VP",
                "Công văn",
                Some("2021-04-02"),
                "Công văn số 310/LĐTBXH-VP ngày 02/4/2021",
            ),
            case(
                "Chỉ thị số 42-CT/TW ngày 16/3/2015 của Ban Bí thư, Kế hoạch của Tỉnh ủy",
                "vn:2015:42-CT/TW",
                "Chỉ thị",
                Some("2015-03-16"),
                "Chỉ thị số 42-CT/TW ngày 16/3/2015",
            ),
            case(
                "Kế hoạch số 24-KH/TU ngày 26/8/2021 của Ban Thường vụ Tỉnh ủy về thực hiện Nghị quyết Trung ương",
                "binh-phuoc:2021:24-KH/TU",
                "Kế hoạch",
                Some("2021-08-26"),
                "Kế hoạch số 24-KH/TU ngày 26/8/2021",
            ),
            case(
                "Quyết định số 23/QĐ-UBND ngày 05/01/2021 của Chủ tịch UBND tỉnh Bình Thuận",
                "binh-thuan:2021:23/QĐ-UBND",
                "Quyết định",
                Some("2021-01-05"),
                "Quyết định số 23/QĐ-UBND ngày 05/01/2021",
            ),
        ],
    ),
];

#[test]
fn citations_as_people_type_them() {
    let ctx = ctx("binh-phuoc/so-ldtbxh");
    let mut total = 0;
    for (class, cases) in TYPED {
        assert!(cases.len() >= 15, "{class}: {} strings", cases.len());
        for case in *cases {
            total += 1;
            let found = recognise(case.text, &ctx);
            assert_eq!(found.len(), 1, "{class}: {:?}: {found:?}", case.text);
            let c = &found[0];
            assert_eq!(c.id, case.id, "{class}: {:?}", case.text);
            assert_eq!(c.doc_type, case.doc_type, "{:?}", case.text);
            assert_eq!(c.date.as_deref(), case.date, "{:?}", case.text);
            assert_eq!(c.text, case.written, "{:?}", case.text);
            assert_eq!(&case.text[c.start..c.end], c.text);
            assert!(c.warnings.is_empty(), "{:?}: {:?}", case.text, c.warnings);
        }
    }
    assert!(total >= 60, "{total} strings");
}

/// A citation typed in capitals, as in a heading or a quoted title, is the
/// citation it is in lowercase: the type word is found before "SỐ" as before
/// "số" ("KẾ HOẠCH SỐ 15/BQL" is announced by its type word, where an unknown
/// code alone would not be a document's).
#[test]
fn citations_in_capitals_are_the_citations_in_lowercase() {
    let ctx = ctx("binh-phuoc/so-ldtbxh");
    let pairs = [
        (
            "theo Kế hoạch số 15/BQL ngày 3/2/2021",
            "theo KẾ HOẠCH SỐ 15/BQL ngày 3/2/2021",
        ),
        (
            "Quyết định số 12/UBND-VX năm 2020",
            "QUYẾT ĐỊNH SỐ 12/UBND-VX năm 2020",
        ),
        (
            "thực hiện Chỉ thị số: 05 - CT/TU",
            "thực hiện CHỈ THỊ SỐ: 05 - CT/TU",
        ),
        ("Đề án số 7/ĐA", "ĐỀ ÁN SỐ 7/ĐA"),
    ];
    for (lower, upper) in pairs {
        let (a, b) = (recognise(lower, &ctx), recognise(upper, &ctx));
        assert_eq!(a.len(), 1, "{lower:?} gave {a:?}");
        let what = |c: &Vec<Citation>| {
            c.iter()
                .map(|c| {
                    (
                        c.start,
                        c.end,
                        c.id.clone(),
                        c.doc_type.clone(),
                        c.date.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(what(&a), what(&b), "{lower:?} / {upper:?}");
        assert_eq!(b[0].text, upper[b[0].start..b[0].end], "{upper:?}");
    }
}

#[test]
fn near_misses_are_not_citations() {
    let ctx = ctx("binh-phuoc/so-ldtbxh");
    let near_misses = [
        // Phone numbers and accounts.
        "Điện thoại: 0271.3879.123",
        "ĐT: (0294) 3 862 416, Fax: 0294.3862.417",
        "Đường dây nóng 1900 9090",
        "Số tài khoản 3711.0.1055123 tại Kho bạc",
        "mã quan hệ ngân sách 1055123/KBNN",
        // Amounts, counts, ratios.
        "hỗ trợ số 12/2021 hộ nghèo",
        "đạt 15/15 chỉ tiêu (100%)",
        "bản đồ tỷ lệ 1/2.000",
        "có 3 CB/CCVC tham gia",
        "tổng số 84 CB/CC được tập huấn",
        "số 15 HS-SV được hỗ trợ",
        // Dates and times.
        "ngày 06 / 7 /2021 tổ chức hội nghị",
        "giờ làm việc 7h30/17h00",
        // Addresses.
        "Tổ 5/KP3, phường Tân Phú",
        "Địa chỉ: số 12/KP3, phường Tân Bình",
        "Địa chỉ: Số 06/ĐT741, phường Tân Bình",
        "học sinh lớp 12/A1",
        // Forms, tables, sections and pages.
        "Mẫu số 01/TK-TNCN",
        "theo Biểu số 02/BC-LĐTBXH kèm theo",
        "(xem Phụ lục 03/BC kèm theo)",
        "Bảng 2/TK: số liệu tổng hợp",
        "Điều 5/ CHƯƠNG II",
        "Mục 2.1/PL",
        "trang 3/12",
        "Kế hoạch tháng 9 / KH năm",
    ];
    assert!(near_misses.len() >= 20);
    for text in near_misses {
        let found = recognise(text, &ctx);
        assert!(found.is_empty(), "{text:?} gave {found:?}");
    }
}

/// Every document page's address and heading, keyed by address.
fn document_pages(public: &Path) -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    for entry in std::fs::read_dir(public.join("van-ban")).unwrap() {
        let entry = entry.unwrap();
        let page = entry.path().join("index.html");
        if !page.is_file() {
            continue;
        }
        let html = std::fs::read_to_string(&page).unwrap();
        let head = |open: &str, close: &str| -> String {
            html.find(open)
                .map(|i| {
                    let rest = &html[i..];
                    page_text(&rest[..rest.find(close).unwrap()])
                })
                .unwrap_or_default()
        };
        pages.insert(
            entry.file_name().to_string_lossy().into_owned(),
            format!(
                "{} | {}",
                head("<h1", "</h1>"),
                head("<p class=\"lead\"", "</p>")
            ),
        );
    }
    pages
}

/// Symbols that differ only in Đ/D once folded to one address, and the
/// page added second moved the first to `-2`. Now a new document with such
/// a symbol gets a page of its own (an issuer code not in the table, typed
/// without its stroke), or, when number, issuer and date say it is the same
/// document, joins its page; either way every existing page stays where it
/// was, with its heading.
#[test]
fn a_new_document_never_moves_an_existing_page() {
    let site = example_site();
    let public = build_ok(site.path(), &[]);
    let before = document_pages(&public);
    // 162/KH-SLĐTBXH (seed 000) and 01-HD/BDVTW (seed 003) have pages.
    assert!(
        before.contains_key("binh-phuoc-2016-162-kh_slddtbxh"),
        "{before:?}"
    );
    assert!(before.contains_key("vn-2021-01_hd-bdvtw"), "{before:?}");
    std::fs::write(
        site.path()
            .join("content/reports/binh-phuoc/so-ldtbxh/2022-bo-sung.yaml"),
        "status: approved\napproved_by: GIÁM ĐỐC\napproved_on: 2022-02-01\n\
         agency: binh-phuoc/so-ldtbxh\nkind: báo cáo\nyear: 2022\ndate: 2022-12\n\
         title: Báo cáo bổ sung năm 2022\nsections:\n  - number: I.\n    title: Triển khai\n    \
         body: Thực hiện Kế hoạch số 162/KH-SLDTBXH ngày 19/9/2016 về việc triển khai; \
         Hướng dẫn số 01-HĐ/BDVTW ngày 16/3/2021 của Ban Dân vận Trung ương.\n",
    )
    .unwrap();
    let public = build_ok(site.path(), &[]);
    let after = document_pages(&public);
    for (slug, head) in &before {
        assert_eq!(after.get(slug), Some(head), "{slug} moved or changed");
    }
    let added: Vec<(&String, &String)> = after
        .iter()
        .filter(|(s, _)| !before.contains_key(*s))
        .collect();
    assert_eq!(added.len(), 1, "{added:?}");
    assert!(
        after["binh-phuoc-2016-162-kh_sldtbxh"].starts_with("Kế hoạch 162/KH-SLDTBXH"),
        "{after:?}"
    );
    // Same number, issuer and date as 01-HD/BDVTW: merged into its page,
    // the link saying how it was cited.
    assert!(!after.contains_key("vn-2021-01_hdd-bdvtw"), "{after:?}");
    let report = read(
        &public,
        "bao-cao/binh-phuoc/so-ldtbxh/2022-bo-sung/index.html",
    );
    assert!(
        report.contains(
            "href=\"../../../../van-ban/vn-2021-01_hd-bdvtw/index.html\" title=\"Trích dẫn là Hướng dẫn 01-HĐ/BDVTW; cùng một văn bản với Hướng dẫn 01-HD/BDVTW\""
        ),
        "{report}"
    );
    assert!(!after.keys().any(|s| s.ends_with("-2")), "{after:?}");
}

/// The facts of a legal document are checked before anything is shown: a
/// status from the fixed list, a replacement that names one document, and
/// a `source` for any of them — all reported in one run with positions.
#[test]
fn registry_facts_need_a_known_status_and_a_source() {
    let site = example_site();
    std::fs::write(
        site.path().join("content/legal/them.yaml"),
        "- citation: Chỉ thị số 16/CT-TTg ngày 16/5/2016\n  \
           title: Về việc tăng cường và đổi mới công tác dân vận\n  \
           status: con hieu luc\n  source: Công báo\n\
         - citation: Nghị định số 145/2020/NĐ-CP ngày 14/12/2020\n  \
           effective: 2021-02-01\n\
         - citation: Nghị quyết số 68/NQ-CP ngày 01/7/2021\n  \
           replaced_by: một văn bản khác\n  source: Công báo\n",
    )
    .unwrap();
    let out = minhbach(site.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for expected in [
        "content/legal/them.yaml:3:11: status `con hieu luc` is not one of: còn hiệu lực, hết hiệu lực",
        "content/legal/them.yaml:5:13: `Nghị định số 145/2020/NĐ-CP ngày 14/12/2020` gives a date of effect, a status or a replacement without `source`",
        "content/legal/them.yaml:8:16: `replaced_by` needs a `status`",
        "content/legal/them.yaml:8:16: `replaced_by: một văn bản khác` must cite exactly one document symbol",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    assert!(
        !site.path().join("public").exists(),
        "a failed build publishes nothing"
    );
}

/// A document page shows what the registry knows as a reader expects it
/// (Nghị định 42/2022/NĐ-CP's fields): issuer, dates, trích yếu, status with
/// its date and the replacing document linked, where the facts come from,
/// the unknown fields once, and the official text itself when its address
/// is known instead of a search.
#[test]
fn document_pages_show_the_registry_facts() {
    let site = example_site();
    let registry = site.path().join("content/legal/trung-uong.yaml");
    let yaml = std::fs::read_to_string(&registry).unwrap().replace(
        "  issuer: Thủ tướng Chính phủ\n",
        "  issuer: Thủ tướng Chính phủ\n  url: https://vanban.chinhphu.vn/?pageid=27160&docid=184626\n",
    );
    std::fs::write(&registry, yaml).unwrap();
    let public = build_ok(site.path(), &[]);
    let pl34 = page_text(&read(
        &public,
        "van-ban/vn-2007-34-2007-pl_ubtvqh11/index.html",
    ));
    for fact in [
        "Pháp lệnh số 34/2007/PL-UBTVQH11 ngày 20/04/2007 của Ủy ban Thường vụ Quốc hội (khóa XI)",
        "Cơ quan ban hành Ủy ban Thường vụ Quốc hội (khóa XI)",
        "Ngày ban hành ngày 20/04/2007",
        "Trích yếu Thực hiện dân chủ ở xã, phường, thị trấn",
        "Tình trạng hiệu lực hết hiệu lực từ ngày 01/07/2023, được thay thế bởi Luật số 10/2022/QH15",
        "Nguồn Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15, Điều 91",
    ] {
        assert!(pl34.contains(fact), "{fact}\n{pl34}");
    }
    assert_eq!(pl34.matches("Không rõ").count(), 1, "{pl34}");
    assert!(!pl34.contains("chưa xác định"), "{pl34}");
    assert!(
        !pl34.contains("vn:2007"),
        "internal ids are not shown: {pl34}"
    );
    let html = read(&public, "van-ban/vn-2007-34-2007-pl_ubtvqh11/index.html");
    assert!(html.contains("href=\"../../van-ban/vn-2022-10-2022-qh15/index.html\""));
    // The replacing law has its page, with its date of effect.
    let law = page_text(&read(&public, "van-ban/vn-2022-10-2022-qh15/index.html"));
    assert!(law.contains("Ngày có hiệu lực ngày 01/07/2023"), "{law}");
    assert!(law.contains("Tình trạng hiệu lực chưa xác định"), "{law}");
    // Cited by no report: not counted or listed among the cited documents.
    let listed = read(&public, "van-ban/index.html");
    assert!(!listed.contains("vn-2022-10-2022-qh15"));
    assert!(listed.contains("<h1>Tất cả văn bản được trích dẫn (95)</h1>"));
    // With the official address known, the link goes to the text itself.
    let ct16 = read(&public, "van-ban/vn-2016-16-ct_ttg/index.html");
    assert!(ct16.contains("href=\"https://vanban.chinhphu.vn/?pageid=27160&amp;docid=184626\""));
    assert!(
        !ct16.contains("vbpq-timkiem"),
        "no search when the address is known"
    );
    let nd04 = read(&public, "van-ban/vn-2015-04-2015-ndd_cp/index.html");
    assert!(nd04.contains("vbpq-timkiem"), "a search when it is not");
}

/// The A–Z list of documents groups them by issuing body named in words,
/// never by a fragment of a symbol.
#[test]
fn documents_are_listed_by_issuer_in_words() {
    let site = example_site();
    let public = build_ok(site.path(), &[]);
    let html = read(&public, "van-ban/index.html");
    let headings: Vec<String> = html
        .split("<h2>")
        .skip(1)
        .map(|h| page_text(&h[..h.find("</h2>").unwrap()]))
        .collect();
    for body in [
        "Chính phủ (",
        "Thủ tướng Chính phủ (",
        "UBND tỉnh Bình Phước (",
        "Tỉnh ủy Trà Vinh (",
        "Bộ Chính trị (",
        "Ủy ban Thường vụ Quốc hội (",
    ] {
        assert!(
            headings.iter().any(|h| h.starts_with(body)),
            "{body}: {headings:?}"
        );
    }
    for h in &headings {
        let name = &h[..h.rfind(" (").unwrap_or(h.len())];
        assert!(
            !name.chars().any(|c| c == '/' || c.is_ascii_digit())
                && !name
                    .split(['-', ' '])
                    .any(|w| w.len() > 6 && w.chars().all(|c| c.is_uppercase())),
            "a heading that is a symbol fragment: {h}"
        );
    }
    // In Vietnamese order.
    let pos = |b: &str| headings.iter().position(|h| h.starts_with(b)).unwrap();
    assert!(pos("Bộ Chính trị") < pos("Chính phủ"));
    assert!(pos("Chính phủ") < pos("Đảng ủy"));
    assert!(pos("Đảng ủy") < pos("HĐND"));
}
