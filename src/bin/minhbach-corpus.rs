//! SYNTHETIC benchmark corpus generator — not real reports.
//!
//! Writes a minhbach site of N made-up reports (20–30 KB of Vietnamese text
//! each, recombined from the seed reports' sentences) and, with `--hugo`, the
//! same corpus as a Hugo site, so both tools can be timed on the same work.
//! Deterministic from `--seed`: the same arguments give the same bytes.
//! Never write it into `content/` of a real site.
//!
//! Usage: minhbach-corpus --reports N --out DIR [--hugo DIR] [--seed S]

use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const SEEDS: [&str; 4] = [
    include_str!("../../tests/fixtures/seeds/000_2b203e34d1949082.txt"),
    include_str!("../../tests/fixtures/seeds/001_9ebb4c68ea5cda49.txt"),
    include_str!("../../tests/fixtures/seeds/003_c4f4ab40cf23f3eb.txt"),
    include_str!("../../tests/fixtures/seeds/004_0db5f6e5b7a09a53.txt"),
];
const INDICATORS: &str = include_str!("../../content/indicators.yaml");

/// SplitMix64: a few lines, and unlike `rand`'s generators its sequence is
/// fixed forever, so a corpus seed means the same corpus in every version.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// An index with probability ∝ 1/(i+1) given the cumulative weights:
    /// a few documents are cited very often, most rarely, as in real reports.
    fn zipf(&mut self, cumulative: &[f64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(1.0);
        let x = (self.next() as f64 / u64::MAX as f64) * total;
        cumulative
            .partition_point(|&c| c < x)
            .min(cumulative.len() - 1)
    }
}

/// Cumulative weights 1/1, 1/2, … 1/n for `Rng::zipf`.
fn zipf_weights(n: usize) -> Vec<f64> {
    let mut acc = 0.0;
    (1..=n)
        .map(|k| {
            acc += 1.0 / k as f64;
            acc
        })
        .collect()
}

struct Agency {
    id: String,
    name: String,
    short: String,
    province: String,
    sector: String,
}

struct LegalDoc {
    /// "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020"
    citation: String,
    /// Issuer in words, written after the citation.
    issuer: String,
    national: bool,
    /// Stable label for Hugo's taxonomy.
    label: String,
}

const SECTORS: [(&str, &str, &str); 20] = [
    ("so-noi-vu", "Sở Nội vụ", "Nội vụ"),
    ("so-tu-phap", "Sở Tư pháp", "Tư pháp"),
    (
        "so-ldtbxh",
        "Sở Lao động – Thương binh và Xã hội",
        "Lao động – Thương binh và Xã hội",
    ),
    (
        "so-tttt",
        "Sở Thông tin và Truyền thông",
        "Thông tin và Truyền thông",
    ),
    ("so-y-te", "Sở Y tế", "Y tế"),
    ("so-gddt", "Sở Giáo dục và Đào tạo", "Giáo dục và Đào tạo"),
    ("so-tai-chinh", "Sở Tài chính", "Tài chính"),
    ("so-khdt", "Sở Kế hoạch và Đầu tư", "Kế hoạch và Đầu tư"),
    ("so-xay-dung", "Sở Xây dựng", "Xây dựng"),
    ("so-gtvt", "Sở Giao thông vận tải", "Giao thông vận tải"),
    (
        "so-nnptnt",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Nông nghiệp",
    ),
    (
        "so-tnmt",
        "Sở Tài nguyên và Môi trường",
        "Tài nguyên và Môi trường",
    ),
    (
        "so-vhttdl",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Văn hóa, Thể thao và Du lịch",
    ),
    (
        "so-khcn",
        "Sở Khoa học và Công nghệ",
        "Khoa học và Công nghệ",
    ),
    ("so-cong-thuong", "Sở Công Thương", "Công Thương"),
    ("ban-dan-toc", "Ban Dân tộc", "Dân tộc"),
    ("thanh-tra", "Thanh tra tỉnh", "Thanh tra"),
    ("van-phong-ubnd", "Văn phòng Ủy ban nhân dân", "Văn phòng"),
    (
        "ubnd-huyen-1",
        "Ủy ban nhân dân huyện thứ nhất",
        "Chính quyền địa phương",
    ),
    (
        "ubnd-huyen-2",
        "Ủy ban nhân dân huyện thứ hai",
        "Chính quyền địa phương",
    ),
];

fn provinces() -> Vec<&'static str> {
    let mut seen = std::collections::BTreeSet::new();
    minhbach::cite::PROVINCES
        .iter()
        .copied()
        .filter(|p| seen.insert(minhbach::vietnamese::slugify(p)))
        .collect()
}

fn agencies() -> Vec<Agency> {
    let mut out = Vec::new();
    for p in provinces() {
        let ps = minhbach::vietnamese::slugify(p);
        for (slug, name, sector) in SECTORS {
            out.push(Agency {
                id: format!("{ps}/{slug}"),
                name: format!("{name} tỉnh {p}"),
                short: format!("{} {p}", name.replace("Sở ", "S. ")),
                province: p.to_string(),
                sector: sector.to_string(),
            });
        }
    }
    out
}

fn legal_docs(seed: u64) -> Vec<LegalDoc> {
    let mut rng = Rng::new(seed, 7);
    let provinces = provinces();
    let mut out = Vec::new();
    let national: [(&str, &str, bool, &str); 7] = [
        ("Nghị định", "NĐ-CP", true, "Chính phủ"),
        ("Quyết định", "QĐ-TTg", false, "Thủ tướng Chính phủ"),
        ("Chỉ thị", "CT-TTg", false, "Thủ tướng Chính phủ"),
        ("Thông tư", "TT-BNV", true, "Bộ Nội vụ"),
        ("Nghị quyết", "NQ-CP", false, "Chính phủ"),
        ("Luật", "QH14", true, "Quốc hội"),
        ("Kết luận", "KL/TW", false, "Bộ Chính trị"),
    ];
    let mut used = std::collections::BTreeSet::new();
    while out.len() < 300 {
        let (word, code, yearly, issuer) = *rng.pick(&national);
        let year = rng.range(2010, 2024);
        let number = rng.range(1, 400);
        let (month, day) = (rng.range(1, 12), rng.range(1, 28));
        let symbol = if code == "KL/TW" {
            format!("{number:02}-{code}")
        } else if yearly {
            format!("{number:02}/{year}/{code}")
        } else {
            format!("{number:02}/{code}")
        };
        if !used.insert((symbol.clone(), year)) {
            continue;
        }
        out.push(LegalDoc {
            citation: format!("{word} số {symbol} ngày {day:02}/{month:02}/{year}"),
            issuer: issuer.to_string(),
            national: true,
            label: format!("{symbol} ({year})"),
        });
    }
    let provincial: [(&str, &str, &str); 4] = [
        ("Kế hoạch", "KH-UBND", "UBND"),
        ("Quyết định", "QĐ-UBND", "UBND"),
        ("Kế hoạch", "KH/TU", "Tỉnh ủy"),
        ("Chỉ thị", "CT/TU", "Tỉnh ủy"),
    ];
    while out.len() < 2000 {
        let p = *rng.pick(&provinces);
        let (word, code, issuer) = *rng.pick(&provincial);
        let year = rng.range(2014, 2025);
        let number = rng.range(1, 500);
        let (month, day) = (rng.range(1, 12), rng.range(1, 28));
        let symbol = if code.contains('/') {
            format!("{number:02}-{code}")
        } else {
            format!("{number:02}/{code}")
        };
        if !used.insert((format!("{p}{symbol}"), year)) {
            continue;
        }
        out.push(LegalDoc {
            citation: format!("{word} số {symbol} ngày {day:02}/{month:02}/{year}"),
            issuer: format!("{issuer} tỉnh {p}"),
            national: false,
            label: format!("{symbol} {p} ({year})"),
        });
    }
    out
}

/// Sentences of the seed reports, without their page-break debris.
fn sentences() -> Vec<String> {
    let mut out = Vec::new();
    for text in SEEDS {
        for para in text.split("\n\n") {
            let para = para
                .replace('\n', " ")
                .replace(['¹', '²', '³', '*', '#'], "");
            for s in para.split(". ") {
                let s = s.trim().trim_start_matches("- ").trim_start_matches("+ ");
                let n = s.chars().count();
                if (40..400).contains(&n) && !s.contains('\t') {
                    out.push(format!("{}.", s.trim_end_matches('.')));
                }
            }
        }
    }
    out
}

fn headings() -> Vec<String> {
    let mut out = Vec::new();
    for text in SEEDS {
        for line in text.lines() {
            let l = line.trim().trim_start_matches('#').trim().replace("**", "");
            let is_heading = l.split_once(' ').is_some_and(|(n, rest)| {
                n.ends_with('.') && n.len() <= 6 && rest.chars().count() < 160
            });
            if is_heading {
                if let Some((_, rest)) = l.split_once(' ') {
                    out.push(rest.trim().to_string());
                }
            }
        }
    }
    out
}

struct Indicator {
    id: String,
    label: String,
    unit: String,
}

fn indicators() -> Vec<Indicator> {
    let mut out = Vec::new();
    let mut current: Option<Indicator> = None;
    for line in INDICATORS.lines() {
        let l = line.trim();
        if let Some(id) = l.strip_prefix("- id: ") {
            out.extend(current.take());
            current = Some(Indicator {
                id: id.to_string(),
                label: String::new(),
                unit: String::new(),
            });
        } else if let (Some(c), Some(v)) = (current.as_mut(), l.strip_prefix("label: ")) {
            c.label = v.to_string();
        } else if let (Some(c), Some(v)) = (current.as_mut(), l.strip_prefix("unit: ")) {
            c.unit = v.trim_matches('"').to_string();
        }
    }
    out.extend(current);
    out
}

fn yaml_block(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

struct Generated {
    rel: String,
    yaml: String,
    hugo: String,
}

#[allow(clippy::too_many_arguments)]
fn report(
    seed: u64,
    i: usize,
    agencies: &[Agency],
    docs: &[LegalDoc],
    sentences: &[String],
    headings: &[String],
    indicators: &[Indicator],
    weights: &[f64],
) -> Generated {
    let mut rng = Rng::new(seed, 1000 + i as u64);
    let agency = &agencies[rng.below(agencies.len())];
    let year = rng.range(2015, 2025);
    let target_bytes = rng.range(20_000, 30_000);
    let n_sections = rng.range(5, 10);
    let n_cites = rng.range(5, 20);
    let mut cited = Vec::new();
    for _ in 0..n_cites {
        let d = rng.zipf(weights);
        // Provincial documents are cited by agencies of their province.
        let doc = &docs[d];
        if !doc.national && !doc.issuer.ends_with(&agency.province) {
            cited.push(rng.below(300));
        } else {
            cited.push(d);
        }
    }
    let citation_sentence = |rng: &mut Rng, d: usize| -> String {
        let doc = &docs[d];
        let tail = rng.pick(sentences);
        let mut chars = tail.chars();
        let first: String = chars
            .next()
            .map(|c| c.to_lowercase().collect())
            .unwrap_or_default();
        format!(
            "Thực hiện {} của {}, {first}{}",
            doc.citation,
            doc.issuer,
            chars.as_str()
        )
    };
    let mut body_sections: Vec<(String, String, String)> = Vec::new();
    let per_section = target_bytes / n_sections;
    let mut cite_queue = cited.clone();
    let romans = [
        "I.", "II.", "III.", "IV.", "V.", "VI.", "VII.", "VIII.", "IX.", "X.",
    ];
    for roman in romans.iter().take(n_sections) {
        let mut body = String::new();
        while body.len() < per_section {
            let mut para = String::new();
            for _ in 0..rng.range(2, 5) {
                if !cite_queue.is_empty() && rng.below(4) == 0 {
                    let d = cite_queue.pop().unwrap_or(0);
                    para.push_str(&citation_sentence(&mut rng, d));
                } else {
                    para.push_str(rng.pick(sentences).as_str());
                }
                para.push(' ');
            }
            if rng.below(3) == 0 {
                body.push_str("- ");
            }
            body.push_str(para.trim_end());
            body.push_str("\n\n");
        }
        body_sections.push((
            roman.to_string(),
            rng.pick(headings).clone(),
            body.trim_end().to_string(),
        ));
    }
    // Citations not placed yet go at the end of the last section.
    if let Some(last) = body_sections.last_mut() {
        for d in cite_queue {
            last.2.push_str("\n\n");
            last.2.push_str(&citation_sentence(&mut rng, d));
        }
    }

    let n_metrics = rng.range(10, 20);
    let mut metric_yaml = String::new();
    let mut chosen = std::collections::BTreeSet::new();
    while chosen.len() < n_metrics.min(indicators.len()) {
        chosen.insert(rng.below(indicators.len()));
    }
    for k in chosen {
        let ind = &indicators[k];
        let value = if ind.unit == "%" {
            rng.range(100, 10000) as f64 / 100.0
        } else {
            rng.range(10, 100_000) as f64
        };
        let printed = minhbach::vietnamese::format_number(value, 6);
        let _ = writeln!(metric_yaml, "  - indicator: {}", ind.id);
        let _ = writeln!(metric_yaml, "    value: {value}");
        if rng.below(2) == 0 {
            let target = (value * (0.8 + rng.below(50) as f64 / 100.0)).round();
            let _ = writeln!(metric_yaml, "    target: {target}");
        }
        let _ = writeln!(
            metric_yaml,
            "    stated: {}",
            quote(&format!("{} đạt {printed} {}", ind.label, ind.unit))
        );
        let _ = writeln!(
            metric_yaml,
            "    section: {}",
            romans[rng.below(n_sections)]
                .trim_end_matches('.')
                .to_lowercase()
        );
    }

    let province_slug = minhbach::vietnamese::slugify(&agency.province);
    let sector_slug = agency.id.split('/').nth(1).unwrap_or("so");
    let id = format!("{}/{year}-{i:06}", agency.id);
    let title =
        format!("Báo cáo kết quả công tác dân vận chính quyền năm {year} (tổng hợp số {i})");
    // The report's own index as its number: an agency never issues one
    // number twice in a year (`check` refuses that). The draw is kept so
    // that the rest of the corpus stays as it was.
    let _ = rng.range(1, 300);
    let number = format!(
        "{}/BC-{}",
        i + 1,
        sector_slug.to_uppercase().replace('-', "")
    );
    let mut y = String::with_capacity(target_bytes + 4096);
    let _ = writeln!(y, "# SYNTHETIC benchmark report — not a real report.");
    let _ = writeln!(
        y,
        "status: approved\napproved_by: GIÁM ĐỐC\napproved_on: {}-01-15",
        year + 1
    );
    let _ = writeln!(
        y,
        "agency: {}\nkind: báo cáo\nnumber: {}\nyear: {year}\ndate: {year}-12",
        agency.id,
        quote(&number)
    );
    let _ = writeln!(y, "place: {}\ntitle: {}", agency.province, quote(&title));
    let _ = writeln!(y, "summary: {}", quote(rng.pick(sentences).as_str()));
    let _ = writeln!(y, "sections:");
    for (num, heading, body) in &body_sections {
        let _ = writeln!(
            y,
            "  - number: {}\n    title: {}\n    body: |",
            quote(num),
            quote(heading)
        );
        yaml_block(&mut y, "      ", body);
    }
    let _ = writeln!(y, "metrics:");
    y.push_str(&metric_yaml);
    let _ = writeln!(y, "recipients:\n  - Ban Dân vận Tỉnh ủy;\n  - Lưu VT.");
    let _ = writeln!(
        y,
        "signer:\n  position: GIÁM ĐỐC\n  name: Nguyễn Văn {}",
        i % 997
    );

    // The same report for Hugo: front matter with taxonomies, Markdown body.
    let mut h = String::with_capacity(target_bytes + 2048);
    let legal: Vec<String> = {
        let mut v: Vec<String> = cited.iter().map(|&d| docs[d].label.clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    let _ = writeln!(h, "---\ntitle: {}\ndate: {year}-12-01", quote(&title));
    let _ = writeln!(
        h,
        "agencies: [{}]\nprovinces: [{}]\nyears: [\"{year}\"]",
        quote(&agency.name),
        quote(&agency.province)
    );
    let _ = writeln!(
        h,
        "legal: [{}]\n---",
        legal
            .iter()
            .map(|l| quote(l))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (num, heading, body) in &body_sections {
        let _ = writeln!(h, "\n## {num} {heading}\n\n{body}");
    }
    Generated {
        rel: format!(
            "content/reports/{province_slug}/{id}.yaml",
            id = id.split_once('/').map_or(id.as_str(), |x| x.1)
        ),
        yaml: y,
        hugo: h,
    }
}

fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap_or_else(|e| panic!("cannot create {}: {e}", p.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

const HUGO_LAYOUT_BASE: &str = r#"<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>
"#;
const HUGO_LAYOUT_SINGLE: &str = r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}<p>{{ range .GetTerms "agencies" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}{{ range .GetTerms "years" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p><ul>{{ range .GetTerms "legal" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul></article>{{ end }}
"#;
const HUGO_LAYOUT_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let Some(n) = arg("--reports").and_then(|v| v.parse::<usize>().ok()) else {
        eprintln!("usage: minhbach-corpus --reports N --out DIR [--hugo DIR] [--seed S]\n(SYNTHETIC benchmark corpus; never write it into a real site's content/)");
        std::process::exit(2);
    };
    let out = PathBuf::from(arg("--out").unwrap_or_else(|| "bench/corpus".into()));
    let hugo = arg("--hugo").map(PathBuf::from);
    let seed: u64 = arg("--seed").and_then(|s| s.parse().ok()).unwrap_or(1);
    if out.join("content").exists() {
        eprintln!(
            "{} already has content/: choose an empty --out",
            out.display()
        );
        std::process::exit(2);
    }

    let agencies = agencies();
    let docs = legal_docs(seed);
    let sentences = sentences();
    let headings = headings();
    let indicators = indicators();
    let weights = zipf_weights(docs.len());

    write(
        &out.join("config.toml"),
        "# SYNTHETIC benchmark corpus — not real reports.\ntitle = \"Synthetic benchmark corpus (not real reports)\"\nlanguage = \"vi\"\n",
    );
    write(&out.join("content/indicators.yaml"), INDICATORS);
    for a in &agencies {
        write(
            &out.join(format!("content/agencies/{}.yaml", a.id)),
            &format!(
                "name: {}\nshort_name: {}\nprovince: {}\nlevel: tỉnh\nsector: {}\n",
                quote(&a.name),
                quote(&a.short),
                a.province,
                quote(&a.sector)
            ),
        );
    }
    let mut registry = String::from("# SYNTHETIC registry — not real documents.\n");
    for (k, d) in docs.iter().enumerate().filter(|(_, d)| d.national) {
        let _ = writeln!(
            registry,
            "- citation: {}\n  title: {}\n  issuer: {}",
            quote(&d.citation),
            quote(&format!("Văn bản tổng hợp số {k} (tổng hợp)")),
            quote(&d.issuer)
        );
    }
    write(&out.join("content/legal/trung-uong.yaml"), &registry);

    if let Some(h) = &hugo {
        write(
            &h.join("hugo.toml"),
            "baseURL = '/'\ntitle = 'Synthetic benchmark corpus (not real reports)'\ndisableKinds = ['RSS', 'sitemap', 'robotsTXT']\n[taxonomies]\n  agency = 'agencies'\n  province = 'provinces'\n  year = 'years'\n  legal = 'legal'\n",
        );
        write(&h.join("layouts/_default/baseof.html"), HUGO_LAYOUT_BASE);
        write(&h.join("layouts/_default/single.html"), HUGO_LAYOUT_SINGLE);
        write(&h.join("layouts/_default/list.html"), HUGO_LAYOUT_LIST);
        write(&h.join("layouts/_default/terms.html"), HUGO_LAYOUT_LIST);
        write(&h.join("layouts/_default/taxonomy.html"), HUGO_LAYOUT_LIST);
        write(&h.join("layouts/_default/term.html"), HUGO_LAYOUT_LIST);
    }
    let written: usize = (0..n)
        .into_par_iter()
        .map(|i| {
            let g = report(
                seed,
                i,
                &agencies,
                &docs,
                &sentences,
                &headings,
                &indicators,
                &weights,
            );
            write(&out.join(&g.rel), &g.yaml);
            if let Some(h) = &hugo {
                let name = g
                    .rel
                    .trim_start_matches("content/reports/")
                    .replace('/', "-")
                    .replace(".yaml", ".md");
                write(&h.join("content/reports").join(name), &g.hugo);
            }
            g.yaml.len()
        })
        .sum();
    eprintln!(
        "SYNTHETIC corpus: {n} reports ({} MB of YAML), {} agencies, {} legal documents → {}",
        written / 1_000_000,
        agencies.len(),
        docs.len(),
        out.display()
    );
}
