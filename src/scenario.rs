//! Scenario files: a contact center described in one readable TOML file, read, validated
//! and written back.
//!
//! Two stages, as ripgrep reads its flags: `read` turns TOML into the raw file types of
//! `source` (every unknown key and wrong type reported with its line), `validate` turns those
//! into the [`Scenario`] model (every value and cross-reference checked). Both stages record
//! every problem of a file before giving up, so an analyst fixes a file in one go. Plan files
//! (`--plan`, TOML or CSV) go through the same checks of shifts and staffing.
//!
//! Nothing here prints: problems come back as [`ScenarioErrors`] (exit code 2) and warnings.

mod bad_days;
mod callback;
mod channel;
mod days;
mod distribution;
mod field;
mod forecast;
mod grid;
mod hours;
mod lines;
mod overview;
mod plan;
mod read;
mod source;
mod template;
pub(crate) mod text;
mod validate;
mod write;

use std::path::Path;

use crate::error::{ScenarioError, ScenarioErrors};
use crate::model::{AgentGroupId, Scenario, ShiftPlan};

pub use field::{did_you_mean, edit_distance};
pub use forecast::{RowLabel, check_day, repeated_columns};
pub use overview::{CallTypeOverview, Overview, overview};
pub use plan::whole_agents;
pub use source::ScenarioFile;
pub use write::{paid_plan_to_toml, plan_to_toml, to_toml};

use field::{FieldPath, Problems, Sink as _, TomlDoc};

/// A validated scenario and the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The scenario.
    pub scenario: Scenario,
    /// Things worth a look that do not stop a run (e.g. calls with no agent on duty).
    pub warnings: Vec<ScenarioError>,
}

/// Reads and validates a scenario file.
///
/// # Errors
/// Every problem found in the file and the CSV files it names.
pub fn load(path: &Path) -> Result<Loaded, ScenarioErrors> {
    load_with_plan(path, None)
}

/// Reads a scenario and, with `plan`, replaces its shifts and staffing vectors by the plan
/// file's (named after the file's stem).
///
/// # Errors
/// Every problem found in the scenario, or else in the plan.
pub fn load_with_plan(path: &Path, plan: Option<&Path>) -> Result<Loaded, ScenarioErrors> {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
        return Err(ScenarioErrors(vec![ScenarioError {
            file: path.to_path_buf(),
            line: None,
            col: None,
            field: String::new(),
            message: "a CSV file is not a scenario: give the scenario's TOML file (a CSV plan goes \
                      with --plan, a forecast with `volumes_file`)"
                .to_string(),
        }]));
    }
    let text = read_text(path)?;
    let loaded = load_str(&text, path)?;
    let Some(plan_path) = plan else { return Ok(loaded) };
    let (plan, plan_warnings) = load_plan_warning(plan_path, &loaded.scenario)?;
    let scenario = loaded.scenario.with_plan(plan);
    let mut problems = Problems::default();
    problems.warnings = plan_warnings;
    let mut sink = field::FileSink { file: plan_path.to_path_buf(), problems: &mut problems };
    overview::coverage_warnings(&scenario, &mut sink);
    Ok(Loaded { scenario, warnings: problems.warnings })
}

/// Reads and validates scenario text; `source` names the file in messages and anchors the
/// relative paths of CSV files.
///
/// # Errors
/// Every problem found.
pub fn load_str(text: &str, source: &Path) -> Result<Loaded, ScenarioErrors> {
    let mut problems = Problems::default();
    let (root, syntax) = toml::de::DeTable::parse_recoverable(text);
    let mut doc = TomlDoc::new(source, text, &root, &mut problems);
    syntax_errors(&doc, &syntax)?;
    if let Some(hint) = plan_given_as_scenario(&doc, root.get_ref()) {
        return Err(ScenarioErrors(vec![hint]));
    }
    let raw = read::scenario(&mut doc, root.get_ref());
    let scenario = validate::scenario(&mut doc, &raw);
    finish(problems, scenario).map(|(scenario, warnings)| Loaded { scenario, warnings })
}

/// Reads a plan file (TOML with `[[shifts]]`/`[[staffing]]`, or CSV with columns
/// `group,start,end,agents,breaks`) against the scenario it will work.
///
/// # Errors
/// Every problem found in the plan.
pub fn load_plan(path: &Path, scenario: &Scenario) -> Result<ShiftPlan, ScenarioErrors> {
    load_plan_given_as(path, scenario, "--plan")
}

/// [`load_plan`] for a plan given with `flag`, which names it in the hint for a scenario file
/// given in its place (`schedule` takes its plan as `--requirement` and refuses `--plan`).
///
/// # Errors
/// Every problem found in the plan.
pub fn load_plan_given_as(path: &Path, scenario: &Scenario, flag: &str) -> Result<ShiftPlan, ScenarioErrors> {
    plan_with_warnings(path, scenario, flag).map(|(plan, _)| plan)
}

/// [`load_plan`], with the warnings about the plan's shifts (one that runs past closing time).
///
/// # Errors
/// Every problem found in the plan.
pub fn load_plan_warning(
    path: &Path,
    scenario: &Scenario,
) -> Result<(ShiftPlan, Vec<ScenarioError>), ScenarioErrors> {
    plan_with_warnings(path, scenario, "--plan")
}

fn plan_with_warnings(
    path: &Path,
    scenario: &Scenario,
    flag: &str,
) -> Result<(ShiftPlan, Vec<ScenarioError>), ScenarioErrors> {
    let name = path.file_stem().map_or("plan".to_string(), |s| s.to_string_lossy().into_owned());
    // A plan is named after its file, and reports would show this one as the scenario's own.
    if name == "scenario" {
        let extension = path.extension().map_or(String::new(), |e| format!(".{}", e.to_string_lossy()));
        return Err(ScenarioErrors(vec![ScenarioError {
            file: path.to_path_buf(),
            line: None,
            col: None,
            field: String::new(),
            message: format!(
                "a plan is named after its file, and the name \"scenario\" is reserved for the \
                 scenario's own plan (`--plan scenario`); rename the file, e.g. to scenario-plan{extension}"
            ),
        }]));
    }
    let groups: Vec<String> = scenario.agent_groups.iter().map(|g| g.name.clone()).collect();
    let days = days::Days { count: scenario.grid.days(), first_weekday: scenario.grid.first_weekday() };
    let ctx = plan::PlanContext { groups: &groups, grid: Some(&scenario.grid), days };
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        let rows = plan::csv_rows(path).map_err(ScenarioErrors)?;
        if rows.shifts.is_empty() && rows.cell_errors.is_empty() {
            return Err(ScenarioErrors(vec![ScenarioError {
                file: path.to_path_buf(),
                line: Some(1),
                col: None,
                field: String::new(),
                message: "the plan has a header but no rows: it names nobody to work; add a row \
                          per shift (group,start,end,agents)"
                    .to_string(),
            }]));
        }
        let mut problems = Problems::default();
        problems.errors = rows.cell_errors.clone();
        let named: Vec<&str> = rows.shifts.iter().filter_map(|s| s.group.as_deref()).collect();
        if let Some(message) = plan::for_another_scenario(&named, scenario) {
            problems.errors.push(ScenarioError {
                file: path.to_path_buf(),
                line: None,
                col: None,
                field: String::new(),
                message,
            });
        }
        let mut sink = plan::CsvPlan { file: path, rows: &rows, problems };
        let shifts =
            plan::shifts(&mut sink, rows.shifts.iter().map(Some), &FieldPath::root().key("shifts"), &ctx);
        let plan = shifts.map(|shifts| ShiftPlan { name, shifts, staffing: Vec::new() });
        return finish(sink.problems, plan);
    }
    let text = read_text(path)?;
    let mut problems = Problems::default();
    let (root, syntax) = toml::de::DeTable::parse_recoverable(&text);
    let mut doc = TomlDoc::new(path, &text, &root, &mut problems);
    if !syntax.is_empty()
        && let Some(hint) = csv_plan_named_otherwise(path, &text)
    {
        return Err(ScenarioErrors(vec![hint]));
    }
    syntax_errors(&doc, &syntax)?;
    if let Some(hint) = scenario_given_as_plan(&doc, root.get_ref(), flag) {
        return Err(ScenarioErrors(vec![hint]));
    }
    // An empty file (a failed export, say) would run a plan of nobody without a word.
    if !["shifts", "staffing"].iter().any(|k| root.get_ref().contains_key(*k)) {
        return Err(ScenarioErrors(vec![
            doc.located(
                &FieldPath::root(),
                "the plan has no [[shifts]] and no [[staffing]]: it names nobody to work; list the \
             shifts of the scenario's agent groups (as `ccsim schedule --out` writes them)"
                    .to_string(),
            ),
        ]));
    }
    let raw = read::plan(&mut doc, root.get_ref());
    let root_path = FieldPath::root();
    let shifts =
        plan::shifts(&mut doc, raw.shifts.iter().map(Option::as_ref), &root_path.key("shifts"), &ctx);
    let staffing = plan::staffing_vectors(&mut doc, &raw.staffing, &root_path.key("staffing"), &ctx);
    // Judged on every entry whose group could be read, each at its own index: one entry in
    // error elsewhere does not take the others out of this check.
    let placed = |key: &str, named: Vec<Option<&String>>| -> Vec<_> {
        (named.into_iter().enumerate())
            .filter_map(|(i, name)| {
                let g = groups.iter().position(|g| Some(g) == name)?;
                Some((AgentGroupId(g as u16), root_path.key(key).index(i)))
            })
            .collect()
    };
    let named = raw.shifts.iter().filter_map(|s| s.as_ref()?.group.as_deref());
    let named: Vec<&str> =
        named.chain(raw.staffing.iter().filter_map(|s| Some(s.as_ref()?.group.as_str()))).collect();
    if let Some(message) = plan::for_another_scenario(&named, scenario) {
        doc.error(&root_path, message);
    }
    let by_shifts = placed("shifts", raw.shifts.iter().map(|s| s.as_ref()?.group.as_ref()).collect());
    let staffed = placed("staffing", raw.staffing.iter().map(|s| Some(&s.as_ref()?.group)).collect());
    plan::check_exclusive(&mut doc, &by_shifts, &staffed, &groups);
    let plan = match (shifts, staffing) {
        (Some(shifts), Some(staffing)) => Some(ShiftPlan { name, shifts, staffing }),
        _ => None,
    };
    finish(problems, plan)
}

/// The JSON Schema of the scenario format, for editors (`ccsim schema`).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ScenarioFile);
    serde_json::to_string_pretty(&schema).expect("a schema always serialises") + "\n"
}

/// The JSON Schema of plan files (`--plan FILE.toml`, and the plans `ccsim schedule --out`
/// writes), for the same editors.
pub fn plan_json_schema() -> String {
    let schema = schemars::schema_for!(source::PlanFile);
    serde_json::to_string_pretty(&schema).expect("a schema always serialises") + "\n"
}

/// The file's TOML syntax errors, each located; `Ok` when it parsed.
fn syntax_errors(doc: &TomlDoc, syntax: &[toml::de::Error]) -> Result<(), ScenarioErrors> {
    if syntax.is_empty() {
        return Ok(());
    }
    Err(ScenarioErrors(
        syntax
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim();
                let message = match message {
                    "duplicate key" => duplicate_key(doc.text(), span.clone()),
                    _ => None,
                };
                doc.at_offset(span.start, message.unwrap_or_else(|| e.message().trim().to_string()))
            })
            .collect(),
    ))
}

/// The toml parser's "duplicate key" names neither the key nor its table: both are read from
/// the source, the key at the error's span and the table from the nearest header above it.
fn duplicate_key(text: &str, span: std::ops::Range<usize>) -> Option<String> {
    let key = text.get(span.clone())?.trim();
    if key.is_empty() {
        return None;
    }
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..span.start].trim_start().starts_with('[') {
        return Some(format!("table [{key}] is given twice; give each table once, with all its keys"));
    }
    let header = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.split('#').next().unwrap_or(l).trim().to_string());
    let table = header.map_or("the top level".to_string(), |h| format!("this {h} table"));
    Some(format!("duplicate key `{key}`: {table} already has it; give each key once per table"))
}

fn read_text(path: &Path) -> Result<String, ScenarioErrors> {
    text::read(path).map_err(|failure| ScenarioErrors(vec![failure.into_error(path)]))
}

/// Keys only a scenario has, and keys only a plan has: a file of the other kind gets one hint
/// instead of an error for every key it lacks or has too many.
const SCENARIO_ONLY_KEYS: [&str; 5] = ["call_types", "agent_groups", "interval", "service_level", "start"];

/// One error when `root` is a plan file given as a scenario.
fn plan_given_as_scenario(doc: &TomlDoc, root: &toml::de::DeTable) -> Option<ScenarioError> {
    let has = |key: &str| root.contains_key(key);
    let plan_like = (has("shifts") || has("staffing")) && !SCENARIO_ONLY_KEYS.iter().any(|k| has(k));
    plan_like.then(|| {
        doc.located(
            &FieldPath::root(),
            "this looks like a plan file (only `shifts` or `staffing`), not a scenario: give the \
             scenario file, and this one with --plan"
                .to_string(),
        )
    })
}

/// One error when a plan that is no TOML opens with a CSV plan's header: a CSV plan saved as
/// `plan.txt` (or with no extension) is read as TOML, and every row would be reported as a
/// TOML syntax error that never says the file is a CSV plan.
fn csv_plan_named_otherwise(path: &Path, text: &str) -> Option<ScenarioError> {
    let header = text.trim_start_matches('\u{feff}').lines().find(|l| !l.trim().is_empty())?;
    let columns: Vec<&str> = header.split(',').map(str::trim).collect();
    let csv_like = ["group", "start"].iter().all(|c| columns.contains(c));
    let stem = path.file_stem().map_or("plan".into(), |s| s.to_string_lossy());
    csv_like.then(|| ScenarioError {
        file: path.to_path_buf(),
        line: Some(1),
        col: None,
        field: String::new(),
        message: format!(
            "this looks like a CSV plan (a header of columns group,start,...), and a plan is read \
             as CSV only from a file named .csv: rename it to {stem}.csv"
        ),
    })
}

/// One error when `root` is a scenario file given as a plan with `flag`, which the hint names.
fn scenario_given_as_plan(doc: &TomlDoc, root: &toml::de::DeTable, flag: &str) -> Option<ScenarioError> {
    let key = SCENARIO_ONLY_KEYS.iter().find(|k| root.contains_key(**k))?;
    Some(doc.located(
        &FieldPath::root().key(key),
        format!(
            "this looks like a scenario (it has `{key}`), not a plan: give it as the scenario \
             file, and a plan (only `[[shifts]]` and `[[staffing]]`) with {flag}"
        ),
    ))
}

/// The value when no error was recorded; errors sorted by file and line.
fn finish<T>(problems: Problems, value: Option<T>) -> Result<(T, Vec<ScenarioError>), ScenarioErrors> {
    let Problems { mut errors, warnings, .. } = problems;
    match value {
        Some(v) if errors.is_empty() => Ok((v, warnings)),
        _ => {
            errors.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
            errors.dedup();
            if errors.is_empty() {
                errors.push(ScenarioError {
                    file: Default::default(),
                    line: None,
                    col: None,
                    field: String::new(),
                    message: "invalid input".to_string(),
                });
            }
            Err(ScenarioErrors(errors))
        }
    }
}
