//! The annotated examples in docs/content-format.md parse with the loader's
//! own types, so the documentation cannot drift from what is enforced.

mod common;
use minhbach::model::{Agency, Indicator, LegalEntry, Metric, ReportFile};

fn blocks(lang: &str) -> Vec<String> {
    let doc = std::fs::read_to_string(common::repo().join("docs/content-format.md")).unwrap();
    let fence = format!("```{lang}\n");
    doc.split(fence.as_str())
        .skip(1)
        .map(|b| b.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn every_yaml_example_parses() {
    let yaml = blocks("yaml");
    assert_eq!(
        yaml.len(),
        5,
        "agency, report, metric, indicator and legal examples"
    );
    serde_saphyr::from_str::<Agency>(&yaml[0]).expect("agency example");
    let file: ReportFile = serde_saphyr::from_str(&yaml[1]).expect("report example");
    let (report, body) = file.split(String::new(), String::new(), Default::default());
    assert!(report.is_approved());
    assert_eq!(body.outline().len(), 2);
    serde_saphyr::from_str::<Vec<Metric>>(&yaml[2]).expect("metric example");
    serde_saphyr::from_str::<Vec<Indicator>>(&yaml[3]).expect("indicator example");
    serde_saphyr::from_str::<Vec<LegalEntry>>(&yaml[4]).expect("legal example");
}

#[test]
fn the_config_example_parses() {
    let toml = blocks("toml");
    let config: minhbach::config::Config = toml::from_str(&toml[0]).expect("config example");
    assert_eq!(config.theme, "default");
}
