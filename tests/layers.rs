//! The pipeline's shape, checked on the source: no stage uses a later
//! stage or the orchestration, shared pieces use no stage, and only the cite
//! stage (and the `cite` command) runs the citation recogniser.

mod common;
use common::*;
use std::collections::BTreeMap;

/// Where a top-level module stands. Shared pieces may be used by anyone and
/// use only shared pieces; a stage may use shared pieces and earlier stages;
/// the orchestration uses everything.
fn rank(module: &str) -> Option<Layer> {
    Some(match module {
        "model" | "config" | "diagnostics" | "vietnamese" | "urls" | "intern" | "write"
        | "FastMap" | "FastSet" | "ThreadTime" | "TestRng" => Layer::Shared,
        // Import turns an outside document into content, before it is loaded.
        "import" => Layer::Stage(0),
        "load" => Layer::Stage(1),
        "cite" => Layer::Stage(2),
        "validate" => Layer::Stage(3),
        "catalog" => Layer::Stage(4),
        "compare" => Layer::Stage(5),
        "render" => Layer::Stage(6),
        "search" => Layer::Stage(7),
        "site" | "cmd" => Layer::Orchestration,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    Shared,
    Stage(u8),
    Orchestration,
}

/// The top-level module a source file belongs to (`src/render/report.rs`
/// → `render`).
fn module_of(rel: &str) -> String {
    let rel = rel.strip_prefix("src/").unwrap_or(rel);
    let first = rel.split('/').next().unwrap_or(rel);
    first.trim_end_matches(".rs").to_string()
}

/// The source without comments (doc links to later stages are allowed).
fn code_of(source: &str) -> String {
    source
        .lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::x` a file's code names, and the modules its grouped
/// `use crate::{a, b::c}` lines name.
fn used_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

fn sources() -> BTreeMap<String, String> {
    let src = repo().join("src");
    files(&src)
        .into_iter()
        .filter(|f| f.ends_with(".rs"))
        .map(|f| {
            let text = std::fs::read_to_string(src.join(&f)).unwrap();
            (format!("src/{f}"), text)
        })
        .collect()
}

#[test]
fn no_stage_uses_a_later_stage() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (file, source) in sources() {
        let module = module_of(&file);
        if matches!(module.as_str(), "main" | "lib" | "bin") {
            continue; // the binaries and the crate root sit on top
        }
        let Some(own) = rank(&module) else {
            wrong.push(format!(
                "{file}: module `{module}` has no place in the stage order"
            ));
            continue;
        };
        for used in used_modules(&code_of(&source)) {
            let Some(theirs) = rank(&used) else {
                wrong.push(format!("{file}: uses `crate::{used}`, which has no place"));
                continue;
            };
            checked += 1;
            let allowed = used == module
                || match own {
                    Layer::Orchestration => true,
                    Layer::Shared => theirs == Layer::Shared,
                    Layer::Stage(_) => theirs == Layer::Shared || theirs < own,
                };
            if !allowed {
                wrong.push(format!("{file} ({own:?}) uses crate::{used} ({theirs:?})"));
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} uses found: the scan is broken"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn only_the_cite_stage_runs_the_recogniser() {
    let mut wrong = Vec::new();
    for (file, source) in sources() {
        if file.starts_with("src/cite/") || file == "src/cmd/cite.rs" {
            continue;
        }
        let code = code_of(&source);
        // `registry.by_name(` is the registry's recogniser of laws cited by
        // name (a zip archive's `by_name` is another thing).
        for call in ["recognise(", "recognise_all(", "registry.by_name("] {
            if code.contains(call) {
                wrong.push(format!("{file} calls {call}…)"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The scan itself finds what it must.
#[test]
fn the_scan_reads_uses() {
    let code = code_of(
        "use crate::model::{Body, Report};\nuse crate::{cite, urls::x};\n// crate::site\nlet x = crate::render::Page::Home;",
    );
    assert_eq!(
        used_modules(&code),
        ["model", "cite", "urls", "render"].map(String::from)
    );
    assert_eq!(module_of("src/render/report.rs"), "render");
    assert_eq!(module_of("src/site.rs"), "site");
}
