//! `minhbach new report` and `minhbach new agency`: a draft with every
//! field present and explained (in Vietnamese, then English), at the path
//! the site expects, never over an existing file. What the editor has not
//! filled is commented out, so the draft passes `check` as it is.

use super::import::quoted;
use crate::load::is_slug;
use crate::vietnamese::slugify;
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `new report` is given.
pub struct NewReport<'a> {
    /// The site root.
    pub root: &'a Path,
    /// The reporting agency's id (`binh-phuoc/so-ldtbxh`).
    pub agency: &'a str,
    /// The year reported on.
    pub year: i32,
    /// The title as printed, when known.
    pub title: Option<&'a str>,
}

/// What `new agency` is given.
pub struct NewAgency<'a> {
    /// The site root.
    pub root: &'a Path,
    /// The agency's id: province slug / agency slug (`binh-phuoc/so-tttt`).
    pub id: &'a str,
    /// Its full name.
    pub name: &'a str,
    /// Its province as written ("Bình Phước").
    pub province: &'a str,
}

/// The most words of a title kept in a file name.
const SLUG_WORDS: usize = 8;

/// Writes `text` at `path`, creating its folder; refuses an existing file
/// (or link) rather than replace it.
fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists: minhbach never writes over a file; choose another title or remove it",
            path.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Writes a draft report; returns its path.
pub fn report(opts: &NewReport) -> Result<PathBuf> {
    let agency_file = opts
        .root
        .join("content/agencies")
        .join(format!("{}.yaml", opts.agency));
    if !opts.agency.split('/').all(is_slug) || opts.agency.split('/').count() != 2 {
        bail!(
            "`{}` is not an agency id: province/agency, lowercase words joined by `-` (binh-phuoc/so-ldtbxh)",
            opts.agency
        );
    }
    if !agency_file.is_file() {
        bail!(
            "no agency `{}` (content/agencies/{}.yaml): create it first with `minhbach new agency {} --name … --province …`",
            opts.agency,
            opts.agency,
            opts.agency
        );
    }
    let next_year = i32::from(crate::validate::today().year()) + 1;
    if !(1945..=next_year).contains(&opts.year) {
        bail!("year {} is not between 1945 and {next_year}", opts.year);
    }
    let title = opts
        .title
        .map(|t| crate::vietnamese::nfc(t.trim()).into_owned())
        .filter(|t| !t.is_empty());
    let words: Vec<String> = title
        .as_deref()
        .map(slugify)
        .unwrap_or_else(|| "bao-cao".to_string())
        .split('-')
        .take(SLUG_WORDS)
        .map(str::to_string)
        .collect();
    let name = format!("{}-{}.yaml", opts.year, words.join("-"));
    let path = opts
        .root
        .join("content/reports")
        .join(opts.agency)
        .join(name);
    let title_line = match &title {
        Some(t) => format!("title: {}", quoted(t)),
        None => format!(
            "title: \"Báo cáo năm {}\"   # SỬA: tiêu đề như in trên văn bản / EDIT: the title as printed",
            opts.year
        ),
    };
    let text = REPORT_TEMPLATE
        .replace("{agency}", opts.agency)
        .replace("{year}", &opts.year.to_string())
        .replace("{title_line}", &title_line);
    write_new(&path, &text)?;
    Ok(path)
}

/// Writes a new agency; returns its path.
pub fn agency(opts: &NewAgency) -> Result<PathBuf> {
    let parts: Vec<&str> = opts.id.split('/').collect();
    if parts.len() != 2 || !parts.iter().all(|p| is_slug(p)) {
        bail!(
            "`{}` is not an agency id: province/agency, lowercase words joined by `-` (binh-phuoc/so-tttt)",
            opts.id
        );
    }
    let province = crate::vietnamese::nfc(opts.province.trim()).into_owned();
    if slugify(&province) != parts[0] {
        bail!(
            "the province `{province}` goes in the folder `{}`, not `{}`: the id should be {}/{}",
            slugify(&province),
            parts[0],
            slugify(&province),
            parts[1]
        );
    }
    let name = crate::vietnamese::nfc(opts.name.trim()).into_owned();
    if name.is_empty() {
        bail!("--name is empty: give the agency's full name");
    }
    let path = opts
        .root
        .join("content/agencies")
        .join(format!("{}.yaml", opts.id));
    let text = AGENCY_TEMPLATE
        .replace("{name}", &quoted(&name))
        .replace("{province}", &quoted(&province));
    write_new(&path, &text)?;
    Ok(path)
}

const REPORT_TEMPLATE: &str = r#"# Báo cáo nháp do `minhbach new report` tạo. Điền các trường, chạy `minhbach check`, xem
# trước với `minhbach build --drafts`; khi được duyệt, đổi `status` thành approved và điền
# approved_by, approved_on. Trường có dấu # ở đầu dòng là tùy chọn: bỏ dấu # để dùng.
# A draft written by `minhbach new report`. Fill the fields, run `minhbach check`, preview with
# `minhbach build --drafts`; once approved, set `status: approved` and fill approved_by and
# approved_on. Lines starting with # are optional fields: remove the # to use one.
# Every field: docs/content-format.md.

status: draft                    # draft | approved — nháp chỉ hiện khi build --drafts / drafts publish only with --drafts
# approved_by: Phó Giám đốc Nguyễn Văn A   # người duyệt công bố: chức vụ rồi họ tên / who approved publishing: position, name
# approved_on: 2026-01-31        # ngày duyệt, YYYY-MM-DD / the day publishing was approved
agency: {agency}                 # cơ quan báo cáo / reporting agency (content/agencies/…)
kind: báo cáo                    # loại văn bản: báo cáo, tin bài, kế hoạch… / kind of document
# number: /BC-…                  # số, ký hiệu như in (số có thể để trống) / the symbol as printed (the numeral may be blank)
year: {year}                     # năm báo cáo / the year reported on
# date: {year}-11                # ngày văn bản: YYYY, YYYY-MM hoặc YYYY-MM-DD / date of the document
# place: …                       # địa danh ở đầu văn bản ("Bình Phước, ngày …") / place in the heading
{title_line}
# summary: …                     # một đoạn tóm tắt cho danh sách và công cụ tìm kiếm / one paragraph for lists and search engines
# intro: |                       # đoạn mở đầu trước mục I (Markdown) / text before the first section
#   Thực hiện Kế hoạch số …
sections:                        # các mục theo số thứ tự như in, lồng nhau tùy ý / the numbered parts, nested
  - number: I.                   # số mục như in / the number as printed
    title: KẾT QUẢ THỰC HIỆN     # tên mục / section title
    body: |                      # nội dung (Markdown; HTML hiện nguyên văn) / the text (Markdown)
      …
    # sections:                  # mục con / subsections
    #   - number: "1."           # đặt số trong ngoặc kép / quote numbers
    #     title: …
    #     body: |
    #       …
# closing: |                     # đoạn kết ("Trên đây là báo cáo …") / closing paragraph
#   …
# footnotes:                     # chú thích; dấu ¹ ² ³ giữ trong văn bản / footnotes; markers stay in the text
#   - number: 1
#     text: …
# metrics:                       # số liệu so sánh được (content/indicators.yaml) / comparable figures
#   - indicator: lao-dong-duoc-giai-quyet-viec-lam
#     value: 28101               # viết không dấu chấm ngăn cách / no thousands separators
#     target: 38000              # kế hoạch, chỉ tiêu giao / the planned figure …
#     # of: 12                   # … hoặc tổng số (10/12 cơ quan) — không dùng cả hai / … or the whole it is part of
#     # through: {year}-09       # khi chỉ tính đến một tháng, một ngày / when it covers part of the period
#     stated: Giải quyết việc làm cho 28.101/38.000 lao động, đạt 73,95% kế hoạch   # nguyên văn / as printed
#     section: i                 # mục chứa số liệu / where it stands
# tables:                        # bảng phụ lục / appendix tables
#   - title: …
#     head:
#       - [Chỉ tiêu, Kết quả]
#     rows:
#       - [Số hồ sơ, 120]
# recipients:                    # "Nơi nhận" như in / as printed
#   - Như trên;
#   - Lưu VT.
# signer:                        # người ký / the signature block
#   position: |
#     KT. GIÁM ĐỐC
#     PHÓ GIÁM ĐỐC
#   name: …
# references:                    # văn bản được nhắc mà không có số / citations the text lacks a number for
#   - Nghị quyết số 25-NQ/TW ngày 03/6/2013
# source:                        # bản gốc / where the original lives
#   file: {agency}/{year}-bao-cao.pdf   # tệp trong content/originals/ (pdf, docx, …) / a file under content/originals/
#   url: https://…               # bản gốc trên trang của cơ quan / the original on the agency's site
"#;

const AGENCY_TEMPLATE: &str = r#"# Cơ quan do `minhbach new agency` tạo; mọi trường: docs/content-format.md.
# An agency written by `minhbach new agency`; every field: docs/content-format.md.

name: {name}                     # tên đầy đủ / full name
short_name: {name}               # SỬA: tên viết tắt cho danh sách / EDIT: the short name lists show
province: {province}             # tỉnh, thành phố (khớp với thư mục) / province or city (matches the folder)
level: tỉnh                      # trung ương | tỉnh | huyện | xã
sector: Chưa phân ngành          # SỬA: ngành, lĩnh vực — cơ quan cùng ngành được so sánh với nhau / EDIT: agencies of a sector are compared
# website: https://…             # trang của cơ quan (http, https) / the agency's site
# parent: …/ubnd-tinh            # cơ quan cấp trên (mã) / the id of the agency it belongs to
"#;
