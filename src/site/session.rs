//! A build kept between changes, as a live preview keeps it: the loaded
//! site, what linking and comparing were made from, the search index's
//! state and the plan of the output. When report files change, only those
//! are read, cited and checked again; the graph is linked again from what
//! was kept; and only the outputs whose facts changed are rendered, each
//! written over the old one in place. The result is the output a full build
//! of the changed site gives, byte for byte.

use super::plan::{self, Plan};
use super::{Inputs, Selection, Site, KEEP_TEXT_UP_TO};
use crate::catalog::Catalog;
use crate::cite::{CiteStore, Cited};
use crate::compare::{Comparisons, Stated};
use crate::diagnostics::{ContentErrors, Diagnostic, Diagnostics};
use crate::model::{Bodies, Publish, Report, ReportId, Stored};
use crate::search::IndexState;
use crate::validate::ReportChecks;
use crate::write::{OutputPath, Writer, Written};
use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A loaded, built site and what it takes to build it again in part.
pub struct Session {
    site: Site,
    inputs: Inputs,
    index: Option<IndexState>,
    plan: Plan,
    output: PathBuf,
    /// Whether bodies are held in memory (decided once, by the site's size).
    hold: bool,
    /// True after a rebuild failed half way: the next one loads all.
    reload_whole: bool,
    /// Each output's size when last written.
    sizes: BTreeMap<String, u64>,
    /// Outputs at least this large are rendered after the others
    /// ([`Session::defer_over`]).
    defer_over: Option<u64>,
    /// Outputs a rebuild left for [`Session::render_deferred`]: their files
    /// are older than the content until then.
    deferred: BTreeSet<String>,
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    /// Files written (or found unchanged) and removed.
    pub written: Written,
    /// The outputs rendered again.
    pub rendered: BTreeSet<String>,
    /// True when the change reached every output.
    pub everything: bool,
    /// Outputs the change reached that were left for
    /// [`Session::render_deferred`] (large ones, when deferring).
    pub deferred: BTreeSet<String>,
    /// Warnings about the changed files.
    pub warnings: Vec<Diagnostic>,
}

/// Which outputs a rebuild renders.
pub enum Render {
    /// Those whose facts changed (what a live preview does).
    Changed,
    /// Exactly the outputs that depend on these reports (by slug), as
    /// [`Session::dependents`] lists them before and after the change, and
    /// nothing else: a full build's bytes come out only if those lists
    /// are complete.
    DependentsOf(Vec<String>),
}

impl Session {
    /// Loads the site at `root` and builds it in full into `output`.
    pub fn start(root: &Path, output: &Path, publish: Publish) -> Result<(Session, Written)> {
        let (mut site, inputs) = Site::load_with(root, publish, KEEP_TEXT_UP_TO, true)?;
        let inputs = inputs.context("the load kept no inputs")?;
        let hold = site.content.report_bytes <= KEEP_TEXT_UP_TO;
        let keep = crate::write::place::Keep::new(&site.config.keep);
        let writer = Writer::to_dir_keeping(output, &keep)?;
        let index = site.render(&writer, &Selection::All, Some(None))?;
        writer.seal(site.seal(None)?);
        let written = writer.commit()?;
        let plan = plan_of(&site)?;
        let sizes = sizes_of(&written);
        Ok((
            Session {
                site,
                inputs,
                index,
                plan,
                output: output.to_path_buf(),
                hold,
                reload_whole: false,
                sizes,
                defer_over: None,
                deferred: BTreeSet::new(),
            },
            written,
        ))
    }

    /// From now on, a rebuild renders the outputs that were at least
    /// `bytes` large when last written after the others, in
    /// [`Session::render_deferred`]: a live preview shows the changed pages
    /// first and writes the site-wide downloads (hundreds of megabytes on
    /// a large site) next.
    pub fn defer_over(&mut self, bytes: u64) {
        self.defer_over = Some(bytes);
    }

    /// The outputs left for [`Session::render_deferred`].
    pub fn deferred(&self) -> &BTreeSet<String> {
        &self.deferred
    }

    /// Renders the outputs earlier rebuilds left (see
    /// [`Session::defer_over`]); the output is then what a full build of
    /// the site gives. The search index is left as it is.
    pub fn render_deferred(&mut self) -> Result<Rebuilt> {
        let selected = std::mem::take(&mut self.deferred);
        let written = match self.write_only(&selected) {
            Ok(w) => w,
            Err(e) => {
                self.deferred = selected;
                return Err(e);
            }
        };
        Ok(Rebuilt {
            written,
            rendered: selected,
            everything: false,
            deferred: BTreeSet::new(),
            warnings: Vec::new(),
        })
    }

    /// The site as last built.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The output's plan as last built.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The outputs that depend on the report with this slug: every file
    /// that shows something it contributes (its page and its comparisons,
    /// its agency's and year's pages, the pages of the documents it cites
    /// and of the reports citing them, the pages and downloads of its
    /// figures' series), its search fragment and the index files of its
    /// terms, and the integrity manifest. `None` when no published report
    /// has that slug.
    pub fn dependents(&self, slug: &str) -> Option<BTreeSet<String>> {
        let r = self.site.content.report_by_slug(slug)?;
        if !self.site.catalog.reports().contains(&r) {
            return None;
        }
        let mut out = self.plan.dependents(&self.site, r);
        if let Some(index) = &self.index {
            out.extend(index.files_of(slug));
        }
        out.insert(crate::urls::SEARCH_META.to_string());
        // The integrity manifest lists every file's digest.
        out.insert(crate::write::integrity::MANIFEST.to_string());
        Some(out)
    }

    /// Builds again after `changed` files (paths under the site root,
    /// relative to it or absolute) changed, rendering only the outputs the
    /// change reaches. Content errors leave the session and the output as
    /// they were.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt> {
        self.rebuild_rendering(changed, Render::Changed)
    }

    /// [`Session::rebuild`], choosing what to render.
    pub fn rebuild_rendering(&mut self, changed: &[PathBuf], render: Render) -> Result<Rebuilt> {
        let root = self.site.root.clone();
        let rel: Vec<String> = changed
            .iter()
            .map(|p| {
                let p = p.strip_prefix(&root).unwrap_or(p);
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .collect();
        let reports_only = rel.iter().all(|p| {
            p.starts_with(&format!("{}/", crate::load::REPORTS_DIR))
                && (p.ends_with(".yaml") || p.ends_with(".yml"))
        });
        let listed_before: BTreeSet<String> = match &render {
            Render::DependentsOf(slugs) => slugs
                .iter()
                .flat_map(|s| self.dependents(s))
                .flatten()
                .collect(),
            Render::Changed => BTreeSet::new(),
        };
        let whole = !reports_only || self.reload_whole;
        let (warnings, reindex) = if whole {
            self.reload_all()?
        } else {
            self.reload_reports(&rel)?
        };
        self.reload_whole = false;
        let old_plan = std::mem::take(&mut self.plan);
        // The changed reports' own pages first, before the plan is made:
        // they are what the editor is looking at, and their file changed,
        // so the plan would select them anyway.
        let early: BTreeSet<String> = if whole || !matches!(render, Render::Changed) {
            BTreeSet::new()
        } else {
            self.render_pages_of(&reindex)?
        };
        let new_plan = plan_of(&self.site)?;
        let everything = new_plan.changes_everything(&old_plan) || whole;
        let (changed_outputs, gone) = new_plan.changed_since(&old_plan);
        let mut selected: BTreeSet<String> = match render {
            Render::Changed if everything => new_plan.outputs().keys().cloned().collect(),
            Render::Changed => changed_outputs,
            Render::DependentsOf(slugs) => {
                // Listed before the change and by the new plan. (The index
                // files of the reports' terms are the index's to choose: it
                // writes those of their old and new terms.)
                let mut set = listed_before;
                for slug in &slugs {
                    if let Some(r) = self.site.content.report_by_slug(slug) {
                        set.extend(new_plan.dependents(&self.site, r));
                    }
                }
                set.into_iter()
                    .filter(|p| new_plan.outputs().contains_key(p))
                    .collect()
            }
        };
        let mut rendered_early = BTreeSet::new();
        for page in early {
            if selected.remove(&page) {
                rendered_early.insert(page);
            }
        }
        // Large outputs wait for render_deferred, when asked.
        for path in &gone {
            self.deferred.remove(path);
        }
        if let Some(limit) = self.defer_over {
            let large: Vec<String> = selected
                .iter()
                .filter(|p| self.sizes.get(*p).is_some_and(|&n| n >= limit))
                .cloned()
                .collect();
            for p in large {
                selected.remove(&p);
                self.deferred.insert(p);
            }
        }
        // Reports indexed again: the changed ones, and all of them when the
        // order moved (every fragment's number moves with it).
        let reindex: BTreeSet<String> = if everything {
            self.site
                .catalog
                .reports()
                .iter()
                .map(|&r| self.site.content.reports[r].slug.clone())
                .collect()
        } else {
            reindex
        };
        let keep = crate::write::place::Keep::new(&self.site.config.keep);
        let writer = Writer::update_keeping(&self.output, &keep)?;
        let index = self.index.take();
        // Until this rebuild succeeds, the session has no plan: the next
        // one renders everything.
        let kept = self.site.render(
            &writer,
            &Selection::Only {
                paths: &selected,
                reindex: &reindex,
            },
            Some(index),
        )?;
        for path in &gone {
            writer.remove(OutputPath::new(path)?)?;
        }
        writer.seal(self.site.seal(None)?);
        let written = writer.commit()?;
        self.index = kept;
        self.plan = new_plan;
        for path in &gone {
            self.sizes.remove(path);
        }
        self.sizes.extend(sizes_of(&written));
        selected.extend(rendered_early);
        Ok(Rebuilt {
            written,
            rendered: selected,
            everything,
            deferred: self.deferred.clone(),
            warnings,
        })
    }

    /// Renders and writes the pages of the published reports with these
    /// slugs, leaving the search index as it is; returns their paths.
    fn render_pages_of(&mut self, slugs: &BTreeSet<String>) -> Result<BTreeSet<String>> {
        let pages: BTreeSet<String> = {
            let renderer = self.site.renderer()?;
            let published: BTreeSet<ReportId> =
                self.site.catalog.reports().iter().copied().collect();
            slugs
                .iter()
                .filter_map(|s| self.site.content.report_by_slug(s))
                .filter(|r| published.contains(r))
                .map(|r| renderer.report_path(r).map(|p| p.as_str().to_string()))
                .collect::<Result<_>>()?
        };
        if !pages.is_empty() {
            self.write_only(&pages)?;
        }
        Ok(pages)
    }

    /// Renders and writes the outputs at `paths` alone, the search index
    /// left as it is.
    fn write_only(&mut self, paths: &BTreeSet<String>) -> Result<Written> {
        let keep = crate::write::place::Keep::new(&self.site.config.keep);
        let writer = Writer::update_keeping(&self.output, &keep)?;
        let none = BTreeSet::new();
        self.site.render_indexing(
            &writer,
            &Selection::Only {
                paths,
                reindex: &none,
            },
            None,
        )?;
        writer.seal(self.site.seal(None)?);
        let written = writer.commit()?;
        self.sizes.extend(sizes_of(&written));
        Ok(written)
    }

    /// Loads the whole site again (settings, theme, agencies, indicators or
    /// the registry changed).
    fn reload_all(&mut self) -> Result<(Vec<Diagnostic>, BTreeSet<String>)> {
        let (site, inputs) =
            Site::load_with(&self.site.root, self.site.publish, KEEP_TEXT_UP_TO, true)?;
        self.inputs = inputs.context("the load kept no inputs")?;
        let warnings = site.warnings.clone();
        let all = site
            .catalog
            .reports()
            .iter()
            .map(|&r| site.content.reports[r].slug.clone())
            .collect();
        self.hold = site.content.report_bytes <= KEEP_TEXT_UP_TO;
        self.site = site;
        Ok((warnings, all))
    }

    /// Reads, cites and checks the report files at `rel` again (a missing
    /// file is a deleted report), then links and compares the whole site
    /// again from what was kept. Returns the warnings about those reports
    /// and their slugs.
    fn reload_reports(&mut self, rel: &[String]) -> Result<(Vec<Diagnostic>, BTreeSet<String>)> {
        let site = &self.site;
        let root = site.root.clone();
        let root = root.as_path();
        let publish = site.publish;
        let mut diags = Diagnostics::default();
        let store = CiteStore::resume(site.catalog.cites().clone());
        let checks = ReportChecks::new(&site.content, root);
        // Slug → the report loaded again, or none for a deleted file.
        type Reloaded = Option<(Report, Stored, Vec<Cited>, Vec<Stated>)>;
        let mut loaded: BTreeMap<String, Reloaded> = BTreeMap::new();
        for path in rel {
            let slug = path
                .strip_prefix(&format!("{}/", crate::load::REPORTS_DIR))
                .and_then(|p| p.rsplit_once('.'))
                .map(|(stem, _)| stem.to_string())
                .unwrap_or_default();
            if !root.join(path).is_file() {
                loaded.insert(slug, None);
                continue;
            }
            let Some((report, mut body)) =
                crate::load::load_report(root, &site.content, path, &mut diags)
            else {
                continue;
            };
            let cited = store
                .cite(&site.content, &report, &mut body)
                .context("cannot store citation sentences")?;
            checks.report(&report, &body, &mut diags);
            if publish.drafts {
                crate::validate::left_to_fill(&report, &body, &mut diags);
            }
            let row = if publish.admits(&report) {
                let figures = crate::compare::report_figures(&site.content, &report, &body);
                (report, Stored::of(body, self.hold), cited, figures)
            } else {
                (report, Stored::Absent, Vec::new(), Vec::new())
            };
            loaded.insert(row.0.slug.clone(), Some(row));
        }
        if diags.has_errors() {
            return Err(ContentErrors(diags.sorted()).into());
        }
        let cites = store
            .finish(&site.content)
            .context("cannot store citation sentences")?;

        // From here on nothing can fail on the content: the kept reports
        // and the reloaded ones make the new site.
        let mut content = std::mem::take(&mut self.site.content);
        let reader = content.bodies.reader();
        let stored = std::mem::take(&mut content.bodies).into_stored();
        let reports = std::mem::take(&mut content.reports).into_vec();
        let inputs = std::mem::take(&mut self.inputs);
        let mut rows: Vec<(Report, Stored, Vec<Cited>, Vec<Stated>)> = reports
            .into_iter()
            .zip(stored)
            .zip(inputs.cited.into_vec())
            .zip(inputs.figures.into_vec())
            .map(|(((r, s), c), f)| (r, s, c, f))
            .filter(|row| !loaded.contains_key(&row.0.slug))
            .collect();
        rows.extend(loaded.into_values().flatten());
        rows.sort_by(|a, b| a.0.slug.cmp(&b.0.slug));
        let (mut reports, mut stored, mut cited, mut figures) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (r, s, c, f) in rows {
            reports.push(r);
            stored.push(s);
            cited.push(c);
            figures.push(f);
        }
        content.reports = reports.into();
        content.bodies = match reader {
            Some(reader) => Bodies::new(stored, reader),
            None => Bodies::new(stored, Arc::new(crate::load::body_reader(root))),
        };
        let changed: BTreeSet<String> = rel
            .iter()
            .filter_map(|p| {
                p.strip_prefix(&format!("{}/", crate::load::REPORTS_DIR))
                    .and_then(|p| p.rsplit_once('.'))
                    .map(|(stem, _)| stem.to_string())
            })
            .collect();
        let inputs = Inputs {
            cited: cited.into(),
            figures: figures.into(),
        };
        let mut catalog = Catalog::build(&content, publish, cites, inputs.cited.clone());
        let clashes = catalog.take_errors(&content, root);
        if clashes.has_errors() {
            // The kept site was taken apart to make this one: the next
            // rebuild loads the site whole.
            self.site.content = content;
            self.site.catalog = catalog;
            self.inputs = inputs;
            self.reload_whole = true;
            return Err(ContentErrors(clashes.sorted()).into());
        }
        let ids: BTreeSet<ReportId> = changed
            .iter()
            .filter_map(|s| content.report_by_slug(s))
            .collect();
        let warnings = catalog.take_warnings(&content, root, Some(&ids));
        let comparisons = Comparisons::build(&content, catalog.reports(), inputs.figures.clone());
        let mut all = diags;
        all.extend(warnings);
        self.site.content = content;
        self.site.catalog = catalog;
        self.site.comparisons = comparisons;
        self.site.warnings = all.sorted();
        self.inputs = inputs;
        Ok((self.site.warnings.clone(), changed))
    }
}

/// Each written file's size, by path.
fn sizes_of(written: &Written) -> BTreeMap<String, u64> {
    written
        .files()
        .map(|(p, n)| (p.as_str().to_string(), n))
        .collect()
}

/// The plan of a site's output.
fn plan_of(site: &Site) -> Result<Plan> {
    let renderer = site.renderer()?;
    let theme = crate::render::Theme::new(&site.root, &site.config);
    let assets: Vec<String> = theme.static_files(&site.root)?.into_keys().collect();
    Plan::of(
        site,
        &renderer,
        plan::site_files(&site.root, &site.config.theme),
        &assets,
    )
}
