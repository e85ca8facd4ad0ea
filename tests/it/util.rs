//! What every area's tests share: the binary under test and a scratch directory per test.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// The `ccsim` binary built for these tests.
pub fn ccsim() -> Command {
    Command::cargo_bin("ccsim").expect("the ccsim binary is built")
}

/// `compare` of retail-bank's late and lean plans, the comparison several areas run (replications
/// and flags follow).
pub const BANK_COMPARISON: [&str; 6] = [
    "compare",
    "scenarios/retail-bank.toml",
    "--plan",
    "scenarios/plans/retail-bank-late.toml",
    "--plan",
    "scenarios/plans/retail-bank-lean.toml",
];

/// `compare` of retail-bank's own plan against its late plan (replications and flags follow).
pub const BANK_LATE_COMPARISON: [&str; 4] =
    ["compare", "scenarios/retail-bank.toml", "--plan", "scenarios/plans/retail-bank-late.toml"];

/// A run's standard output, which must be UTF-8 text.
pub fn stdout_text(run: &Assert) -> String {
    String::from_utf8(run.get_output().stdout.clone()).expect("stdout is UTF-8")
}

/// A run's standard error, which must be UTF-8 text.
pub fn stderr_text(run: &Assert) -> String {
    String::from_utf8(run.get_output().stderr.clone()).expect("stderr is UTF-8")
}

/// A run's standard output as text, bytes that are not UTF-8 replaced.
pub fn stdout_lossy(run: &Assert) -> String {
    String::from_utf8_lossy(&run.get_output().stdout).to_string()
}

/// A run's standard error as text, bytes that are not UTF-8 replaced (a refusal may quote a
/// file's bytes as they are).
pub fn stderr_lossy(run: &Assert) -> String {
    String::from_utf8_lossy(&run.get_output().stderr).to_string()
}

/// The standard error of `cmd`, which must be refused as bad input (exit 2).
pub fn refusal_of(cmd: &mut Command) -> String {
    stderr_lossy(&cmd.assert().code(2))
}

/// The standard error of `cmd`, which must succeed: its warnings and notes.
pub fn warnings_of(cmd: &mut Command) -> String {
    stderr_lossy(&cmd.assert().success())
}

/// A run's standard output, which must be one JSON document.
pub fn stdout_json(run: &Assert) -> serde_json::Value {
    serde_json::from_slice(&run.get_output().stdout).expect("stdout is JSON")
}

/// A path of one test's own, `<target tmp>/<area>-<name>`, with whatever an earlier run left
/// there removed; the test creates it (or checks that ccsim does).
pub fn fresh_path(area: &str, name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{area}-{name}"));
    let _ = std::fs::remove_dir_all(&path);
    let _ = std::fs::remove_file(&path);
    path
}

/// The names of the files in `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the directory is readable")
        .map(|e| e.expect("a directory entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// An empty directory of one test's own, `<target tmp>/<area>-<name>`.
pub fn empty_dir(area: &str, name: &str) -> PathBuf {
    let dir = fresh_path(area, name);
    std::fs::create_dir_all(&dir).expect("the scratch directory can be created");
    dir
}

/// What misses the goal in a `staff --format json` report, counted from its
/// `simulation.achieved` list (voice and chat cells with calls, judged on the mean against
/// `goal`), as the table's "NOT converged" line must say it: (cells missed, cells, the worst
/// gap in points).
pub fn shortfall_of(staff: &serde_json::Value, goal: f64) -> (usize, usize, f64) {
    let cells: Vec<f64> = staff["simulation"]["achieved"]
        .as_array()
        .expect("a simulation search ran")
        .iter()
        .filter(|a| a["call_type"] != "email")
        .filter_map(|a| a["service_level"]["mean"].as_f64())
        .collect();
    let missed: Vec<f64> = cells.iter().filter(|&&m| m < goal).map(|m| (goal - m) * 100.0).collect();
    (missed.len(), cells.len(), missed.iter().copied().fold(0.0, f64::max))
}

/// The sentence the `staff` table gives a search that stops short with `missed` of `cells`
/// intervals below the goal, the worst by `worst` points (no email day missing).
pub fn shortfall_sentence((missed, cells, worst): (usize, usize, f64)) -> String {
    let verb = if missed == 1 { "misses" } else { "miss" };
    format!(
        "{missed} of {cells} intervals with calls (per call type) {verb} the goal, the worst by {worst:.1} points on the mean"
    )
}

/// The text of every `<text>` element of an SVG chart, in drawing order, trimmed of the line
/// breaks the SVG backend puts around it (entities left as written).
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|part| {
            let body = &part[part.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

/// An HTML document parsed as a browser would (html5ever), with its parse errors.
pub fn parse_html(html: &str) -> (Handle, Vec<String>) {
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
    let errors = dom.errors.borrow().iter().map(|e| e.to_string()).collect();
    (dom.document, errors)
}

/// Every element named `name` (HTML or inline SVG) below `node`, in document order.
pub fn elements(node: &Handle, name: &str) -> Vec<Handle> {
    let mut found = Vec::new();
    let mut stack = vec![node.clone()];
    while let Some(n) = stack.pop() {
        if let NodeData::Element { name: element, .. } = &n.data
            && &*element.local == name
        {
            found.push(n.clone());
        }
        stack.extend(n.children.borrow().iter().rev().cloned());
    }
    found
}

/// The value of attribute `name` of an element.
pub fn attr(node: &Handle, name: &str) -> Option<String> {
    let NodeData::Element { attrs, .. } = &node.data else { return None };
    attrs.borrow().iter().find(|a| &*a.name.local == name).map(|a| a.value.to_string())
}

/// The text below a node, entities decoded, trimmed.
pub fn text_of(node: &Handle) -> String {
    let mut text = String::new();
    let mut stack = vec![node.clone()];
    while let Some(n) = stack.pop() {
        if let NodeData::Text { contents } = &n.data {
            text.push_str(&contents.borrow());
        }
        stack.extend(n.children.borrow().iter().rev().cloned());
    }
    text.trim().to_string()
}

/// One bad input of a table of them: `from` in a base scenario replaced by `to`; the error is
/// on the line holding `marker`, names `field`, and its message contains `says`.
pub struct Refusal {
    pub name: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub marker: &'static str,
    pub field: &'static str,
    pub says: &'static str,
}

/// A row of a reference table, by column name.
pub type RefRow = HashMap<String, String>;

/// The rows of reference table `name` in tests/data/refs/ (its README says where each table's
/// values come from).
pub fn reference_rows(name: &str) -> Vec<RefRow> {
    let path = format!("{}/tests/data/refs/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<RefRow> = reader
        .records()
        .map(|r| headers.iter().map(String::from).zip(r.unwrap().iter().map(String::from)).collect())
        .collect();
    assert!(!rows.is_empty(), "{path} has no rows");
    rows
}

/// Field `key` of a reference row, as the number it holds.
pub fn reference_number(row: &RefRow, key: &str) -> f64 {
    row[key].parse().unwrap_or_else(|_| panic!("{key} = {:?}", row[key]))
}

/// The phases a use case starts, with their step counts, and the ticks of each.
#[derive(Default)]
pub struct Recorder {
    pub phases: std::sync::Mutex<Vec<(ccsim::usecase::Phase, u64, u64)>>,
}

impl ccsim::usecase::Progress for Recorder {
    fn start(&self, phase: ccsim::usecase::Phase, steps: u64) {
        self.phases.lock().unwrap().push((phase, steps, 0));
    }
    fn tick(&self) {
        self.phases.lock().unwrap().last_mut().unwrap().2 += 1;
    }
    fn finish(&self) {}
}
