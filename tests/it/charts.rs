//! Charts and the HTML report, from a saved summary (`tests/data/charts_summary.json`: a
//! synthetic summary with 2 days of 20 half-hour intervals, three call types with calls, one
//! call type with none, and an agent group with no agent in its first interval; made by
//! `tests/data/gen_charts_summary.py`).

use std::path::{Path, PathBuf};

use ccsim::report::chart::simulation::{ChartContext, simulation_chart_set_with};
use ccsim::report::chart::{ChartFormat, SIZE, simulation_chart_set, simulation_charts};
use ccsim::report::html::simulation_report;
use ccsim::summary::Summary;
use serde_json::Value;

use crate::util::{ccsim, empty_dir, refusal_of, stderr_lossy};

const FIXTURE: &str = "tests/data/charts_summary.json";

/// Luminance variance (0..255 scale) above which an image is not blank: a uniform image has
/// variance 0, and even an empty chart's title and frame give well above 50.
const MIN_VARIANCE: f64 = 50.0;

fn fixture() -> Summary {
    serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap()
}

fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("charts-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// File names the fixture must produce, derived from its call types.
fn expected_files(summary: &Summary, ext: &str) -> Vec<String> {
    let mut names = vec![format!("wait_distribution.{ext}")];
    for ct in &summary.call_types {
        names.push(format!("wait_distribution_{}.{ext}", ccsim::report::chart::file_safe(&ct.name)));
    }
    for n in ["service_level", "volume", "occupancy"] {
        names.push(format!("{n}.{ext}"));
    }
    if summary.grid.days > 1 {
        names.push(format!("service_level_heatmap.{ext}"));
        names.push(format!("occupancy_heatmap.{ext}"));
    }
    names
}

/// A decoded PNG: its samples, row by row, `channels` to a pixel.
pub struct Pixels {
    pub buf: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub channels: usize,
}

impl Pixels {
    pub fn read(path: &Path) -> Pixels {
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        Pixels { buf, width: info.width, height: info.height, channels: info.color_type.samples() }
    }

    /// The colour at column `x`, row `y`.
    pub fn rgb(&self, x: usize, y: usize) -> [u8; 3] {
        let at = (y * self.width as usize + x) * self.channels;
        [self.buf[at], self.buf[at + 1], self.buf[at + 2]]
    }

    /// The topmost row of `rows` whose pixel in column `x` is `color`.
    pub fn top(&self, x: usize, rows: std::ops::Range<usize>, color: [u8; 3]) -> Option<usize> {
        rows.into_iter().find(|&y| self.rgb(x, y) == color)
    }
}

/// Decodes a PNG and returns (width, height, luminance variance).
pub fn png_stats(path: &Path) -> (u32, u32, f64) {
    let Pixels { buf, width, height, channels } = Pixels::read(path);
    let lum: Vec<f64> = buf
        .chunks(channels)
        .map(|p| {
            if channels >= 3 {
                0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2])
            } else {
                f64::from(p[0])
            }
        })
        .collect();
    let mean = lum.iter().sum::<f64>() / lum.len() as f64;
    let var = lum.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / lum.len() as f64;
    (width, height, var)
}

pub fn assert_pngs_ok(dir: &Path, names: &[String]) {
    for name in names {
        let path = dir.join(name);
        assert!(path.exists(), "{} was not written", path.display());
        let (w, h, var) = png_stats(&path);
        assert_eq!((w, h), SIZE, "{name}");
        assert!(var > MIN_VARIANCE, "{name} looks blank: luminance variance {var:.1}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}

#[test]
fn chart_writes_every_chart_as_a_non_blank_png_of_the_stated_size() {
    let dir = out_dir("png");
    ccsim().args(["chart", FIXTURE, "--charts"]).arg(&dir).assert().success();
    assert_pngs_ok(&dir, &expected_files(&fixture(), "png"));
}

#[test]
fn chart_reads_summary_json_from_a_saved_directory() {
    let saved = out_dir("saved");
    std::fs::create_dir_all(&saved).unwrap();
    std::fs::copy(FIXTURE, saved.join("summary.json")).unwrap();
    let charts = saved.join("charts");
    ccsim().arg("chart").arg(&saved).arg("--charts").arg(&charts).assert().success();
    assert_eq!(std::fs::read_dir(&charts).unwrap().count(), expected_files(&fixture(), "png").len());
}

#[test]
fn svg_charts_contain_their_axis_titles_as_text() {
    let dir = out_dir("svg");
    ccsim().args(["chart", FIXTURE, "--chart-format", "svg", "--charts"]).arg(&dir).assert().success();
    let summary = fixture();
    for name in expected_files(&summary, "svg") {
        assert!(dir.join(&name).exists(), "{name} was not written");
    }
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    let sl = read("service_level.svg");
    assert!(sl.contains("interval start (day, HH:MM)"), "x axis title missing");
    // Two days of several call types: one panel per call type, each axis titled with it.
    for ct in summary.call_types.iter().filter(|c| c.stats.offered.mean > 0.0) {
        assert!(
            sl.contains(&format!("{} (%)", ccsim::report::html::esc(&ct.name))),
            "{} panel missing",
            ct.name
        );
    }
    assert!(sl.contains("goal 80%"));
    let wait = read("wait_distribution.svg");
    assert!(wait.contains("wait before answer (s)") && wait.contains("share of answered calls (%)"));
    assert!(wait.contains("answered within x (%)"));
    assert!(read("occupancy.svg").contains("occupancy (%)"));
    assert!(read("volume.svg").contains("calls per interval, by origin"));
    assert!(read("wait_distribution_fax.svg").contains("no data: no answered calls for fax"));
}

#[test]
fn chart_twice_on_the_same_summary_gives_byte_identical_pngs() {
    let (a, b) = (out_dir("twice-a"), out_dir("twice-b"));
    for dir in [&a, &b] {
        ccsim().args(["chart", FIXTURE, "--charts"]).arg(dir).assert().success();
    }
    for name in expected_files(&fixture(), "png") {
        let (x, y) = (std::fs::read(a.join(&name)).unwrap(), std::fs::read(b.join(&name)).unwrap());
        assert!(x == y, "{name} differs between two runs");
    }
}

#[test]
fn chart_names_a_missing_summary_and_exits_2() {
    let dir = out_dir("missing");
    std::fs::create_dir_all(&dir).unwrap();
    let stderr = refusal_of(ccsim().arg("chart").arg(&dir).arg("--charts").arg(dir.join("c")));
    assert!(stderr.contains("summary.json") && stderr.contains("cannot read"), "{stderr}");
    assert!(!dir.join("c").exists(), "no chart directory on bad input");
}

/// A summary saved without its per-interval rows cannot be charted: `chart` says why and
/// what to run, rather than drawing "no data" over a day that had calls.
#[test]
fn chart_of_a_summary_saved_without_interval_rows_says_so_and_exits_2() {
    let dir = out_dir("intervals-none");
    let saved = dir.join("run");
    let args = ["simulate", "scenarios/single-queue.toml", "-q", "-r", "2", "--out"];
    ccsim().args(args).arg(&saved).args(["--intervals", "none"]).assert().success();
    let stderr = refusal_of(ccsim().arg("chart").arg(&saved).arg("--charts").arg(dir.join("c")));
    assert!(stderr.contains("saved with `--intervals none`"), "{stderr}");
    assert!(!dir.join("c").exists(), "no chart directory");
    // The same run saved whole charts.
    ccsim().args(args).arg(&saved).assert().success();
    ccsim().arg("chart").arg(&saved).arg("--charts").arg(dir.join("c")).assert().success();
}

#[test]
fn chart_names_a_file_that_is_not_a_summary_and_exits_2() {
    let dir = out_dir("bad-json");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("summary.json");
    std::fs::write(&bad, "{\"scenario\": \"x\"}").unwrap();
    let out = ccsim().arg("chart").arg(&bad).arg("--charts").arg(dir.join("c")).assert().code(2);
    let stderr = stderr_lossy(&out);
    assert!(
        stderr.contains(&bad.display().to_string()) && stderr.contains("not a simulation summary"),
        "{stderr}"
    );
    // A file that never ends is refused at its first byte, not read until memory runs out: the
    // process is given 200 MB of address space, and /dev/zero would pass that read whole.
    let bin = assert_cmd::cargo::cargo_bin("ccsim");
    let endless = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 200000 && exec \"$0\" chart /dev/zero --charts \"$1\"")
        .arg(&bin)
        .arg(dir.join("z"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&endless.stderr);
    assert_eq!(endless.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("/dev/zero: not a simulation summary at line 1, column 1"), "{stderr}");
}

/// The fixture cut down to its first interval of day 1.
fn single_interval() -> Summary {
    let mut s = fixture();
    s.grid.per_day = 1;
    s.grid.days = 1;
    s.intervals.retain(|i| i.day == 1 && i.start == "08:00");
    for g in &mut s.agent_groups {
        g.intervals.retain(|i| i.day == 1 && i.start == "08:00");
    }
    s
}

/// Every estimate undefined (NaN, JSON null) and no wait recorded.
fn all_nan() -> Summary {
    fn blank(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if map.contains_key("mean") && map.contains_key("half_width") {
                    map.insert("mean".into(), Value::Null);
                    map.insert("half_width".into(), Value::Null);
                }
                map.values_mut().for_each(blank);
            }
            Value::Array(items) => items.iter_mut().for_each(blank),
            _ => {}
        }
    }
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    blank(&mut v);
    let mut s: Summary = serde_json::from_value(v).unwrap();
    s.wait_distribution.iter_mut().for_each(|d| d.buckets.clear());
    s
}

#[test]
fn edge_cases_draw_charts_without_panicking() {
    let mut no_groups = fixture();
    no_groups.agent_groups.clear();
    no_groups.call_types.clear();
    no_groups.intervals.clear();
    let mut no_grid = fixture();
    no_grid.grid.per_day = 0;
    let cases =
        [("single", single_interval()), ("nan", all_nan()), ("empty", no_groups), ("no-grid", no_grid)];
    for (name, summary) in cases {
        let dir = out_dir(&format!("edge-{name}"));
        let paths = simulation_charts(&summary, &Default::default(), &dir, ChartFormat::Png).unwrap();
        let names: Vec<String> =
            paths.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, expected_files(&summary, "png"), "{name}");
        assert_pngs_ok(&dir, &names);
        simulation_report(&summary).unwrap();
    }
}

#[test]
fn a_single_interval_still_shows_its_value() {
    let svg = simulation_chart_set(&single_interval())
        .iter()
        .find(|c| c.name == "service_level")
        .unwrap()
        .to_svg()
        .unwrap();
    assert!(!svg.contains("no data"), "a single interval with calls is data");
    assert!(svg.contains("08:00"));
}

/// Checks that `text` is well-formed XML after an optional `<!DOCTYPE ...>`: every tag closed
/// in order, attributes quoted, only the five XML entities and numeric references. Returns the
/// tag names opened, in order.
fn check_well_formed(text: &str) -> Result<Vec<String>, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut opened = Vec::new();
    let mut rest = text.trim_start();
    if let Some(r) = rest.strip_prefix("<!DOCTYPE") {
        rest = &r[r.find('>').ok_or("unclosed doctype")? + 1..];
    }
    let check_entities = |s: &str| -> Result<(), String> {
        let mut s = s;
        while let Some(i) = s.find('&') {
            let end =
                s[i..].find(';').ok_or_else(|| format!("bare & near {:?}", &s[i..(i + 20).min(s.len())]))?;
            let name = &s[i + 1..i + end];
            let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
                || name
                    .strip_prefix('#')
                    .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty());
            if !ok {
                return Err(format!("unknown entity &{name};"));
            }
            s = &s[i + end..];
        }
        Ok(())
    };
    while let Some(lt) = rest.find('<') {
        check_entities(&rest[..lt])?;
        if rest[..lt].contains('>') {
            return Err(format!("stray > in text {:?}", &rest[..lt.min(60)]));
        }
        rest = &rest[lt..];
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->").ok_or("unclosed comment")? + 3..];
            continue;
        }
        let gt = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().ok_or_else(|| format!("</{name}> closes nothing"))?;
            if open != name.trim() {
                return Err(format!("<{open}> closed by </{name}>"));
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let body = tag.trim_end_matches('/');
        let name: String = body.chars().take_while(|c| !c.is_whitespace()).collect();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':') {
            return Err(format!("bad tag <{tag}>"));
        }
        // Attributes: name="value" pairs, values without < and with valid entities.
        let mut attrs = body[name.len()..].trim();
        while !attrs.is_empty() {
            let eq = attrs.find("=\"").ok_or_else(|| format!("unquoted attribute in <{tag}>"))?;
            let after = &attrs[eq + 2..];
            let close = after.find('"').ok_or_else(|| format!("unterminated attribute in <{tag}>"))?;
            let value = &after[..close];
            if value.contains('<') {
                return Err(format!("< in attribute of <{tag}>"));
            }
            check_entities(value)?;
            attrs = after[close + 1..].trim_start();
        }
        opened.push(name.clone());
        if !self_closing {
            stack.push(name);
        }
    }
    check_entities(rest)?;
    if let Some(open) = stack.pop() {
        return Err(format!("<{open}> never closed"));
    }
    Ok(opened)
}

#[test]
fn the_well_formedness_check_can_fail() {
    assert!(check_well_formed("<p><b>x</p></b>").is_err());
    assert!(check_well_formed("<p>a & b</p>").is_err());
    assert!(check_well_formed("<p class=x>a</p>").is_err());
    assert!(check_well_formed("<p>").is_err());
    assert!(check_well_formed("<!DOCTYPE html><p a=\"1\">&amp;<br/></p>").is_ok());
}

#[test]
fn html_report_is_well_formed_self_contained_and_has_one_svg_per_chart() {
    let summary = fixture();
    let html = simulation_report(&summary).unwrap();
    let tags = check_well_formed(&html).unwrap_or_else(|e| panic!("not well-formed: {e}"));
    let n_charts = simulation_chart_set(&summary).len();
    assert_eq!(tags.iter().filter(|t| *t == "svg").count(), n_charts);
    assert_eq!(html.matches("<svg").count(), n_charts);
    // The only URL allowed is the SVG namespace, once per chart, as the xmlns attribute.
    let xmlns = "xmlns=\"http://www.w3.org/2000/svg\"";
    assert_eq!(html.matches(xmlns).count(), n_charts);
    let rest = html.replace(xmlns, "");
    for forbidden in ["http://", "https://", "<script", "<link", "@import", "url("] {
        assert!(!rest.contains(forbidden), "report contains {forbidden}");
    }
    for key in ["service_level", "asa_s", "abandon_rate", "occupancy"] {
        let d = ccsim::metrics::definition(key);
        assert!(html.contains(&ccsim::report::html::esc(d.definition)), "definition of {key} missing");
    }
    for i in &summary.intervals {
        assert!(html.contains(&format!(
            "<td>{}</td><td>{}</td>",
            i.start,
            ccsim::report::html::esc(&i.call_type)
        )));
    }
    assert!(html.contains("VIP / Premium"));
}

/// `ccsim chart --scenario FILE` draws the charts of a saved run byte for byte as `simulate
/// --charts` drew them: weekday names and the occupancy cap come from the scenario, which the
/// summary's JSON does not carry. Without the flag the week's charts differ (`day 1` ...,
/// no cap), which is what the flag is for. A scenario that is not the run's is refused.
#[test]
fn chart_with_the_runs_scenario_draws_what_simulate_drew() {
    let dir = out_dir("restored");
    let week = "scenarios/retail-bank-week.toml";
    ccsim()
        .args(["simulate", week, "-r", "2", "-q", "--chart-format", "svg", "--out"])
        .arg(dir.join("run"))
        .arg("--charts")
        .arg(dir.join("simulate"))
        .assert()
        .success();
    let redraw = |name: &str, scenario: Option<&Path>| {
        let mut cmd = ccsim();
        cmd.arg("chart").arg(dir.join("run")).args(["--chart-format", "svg", "--charts"]).arg(dir.join(name));
        if let Some(s) = scenario {
            cmd.arg("--scenario").arg(s);
        }
        cmd.assert()
    };
    let stderr =
        |a: assert_cmd::assert::Assert| String::from_utf8(a.success().get_output().stderr.clone()).unwrap();
    let restored = stderr(redraw("restored", Some(Path::new(week))));
    let plain = stderr(redraw("plain", None));
    // Redrawn without the scenario, the command says what the charts cannot know.
    assert!(plain.contains("note: without --scenario, the charts judge occupancy against 85%"), "{plain}");
    assert!(!restored.contains("note:"), "{restored}");
    let files = |name: &str| {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join(name))
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.file_name().to_string_lossy().to_string(), std::fs::read(e.path()).unwrap()))
            .collect();
        files.sort();
        files
    };
    let drawn = files("simulate");
    assert_eq!(drawn.len(), 9, "wait charts (all and 3 call types), 3 interval charts, 2 heat maps");
    assert!(files("restored") == drawn, "chart --scenario draws other charts than simulate --charts");
    let plain = files("plain");
    let differ: Vec<&str> =
        drawn.iter().zip(&plain).filter(|(a, b)| a != b).map(|(a, _)| a.0.as_str()).collect();
    assert!(differ.contains(&"occupancy.svg") && differ.contains(&"volume.svg"), "{differ:?}");
    // The week sets a cap of 90%; redrawn without the scenario, the heat map does not say it sets none.
    let heat = |files: &[(String, Vec<u8>)]| {
        String::from_utf8(files.iter().find(|f| f.0 == "occupancy_heatmap.svg").unwrap().1.clone()).unwrap()
    };
    // The title is long enough to wrap: read the drawn text with its lines joined.
    let words = |svg: String| {
        let text: String = svg
            .split('<')
            .map(|part| part.split_once('>').map_or(part, |(_, t)| t))
            .collect::<Vec<_>>()
            .join(" ");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert!(words(heat(&drawn)).contains("against cap 90% (max_occupancy)"));
    let unknown = words(heat(&plain));
    assert!(
        unknown.contains("the scenario&apos;s own is not in the summary") && !unknown.contains("sets none"),
        "{unknown}"
    );

    let other = redraw("other", Some(Path::new("scenarios/retail-bank.toml"))).code(2);
    let message = stderr_lossy(&other);
    assert!(
        message
            .contains("it is \"Retail bank, weekday\", the summary's is \"Retail bank, Monday to Saturday\""),
        "{message}"
    );
    assert!(!dir.join("other").exists(), "nothing is drawn");
}

/// The cells of a heat map shaded towards vermillion (red above blue), the legend's swatches
/// (28 x 18) aside.
fn cells_below_goal(heatmap: &str) -> usize {
    heatmap
        .split("<rect ")
        .skip(1)
        .filter(|r| !r.contains("width=\"28\" height=\"18\""))
        .filter_map(|r| r.split("fill=\"#").nth(1).map(|f| f[..6].to_string()))
        .filter(|hex| u8::from_str_radix(&hex[..2], 16).unwrap() > u8::from_str_radix(&hex[4..], 16).unwrap())
        .count()
}

/// The intervals that count below the goal (a call type of theirs below its own goal).
fn intervals_below_goal(summary: &Summary) -> usize {
    let mut below: Vec<(usize, &str)> =
        summary.goals().below(&summary.intervals).cells.iter().map(|c| (c.day, c.start.as_str())).collect();
    below.dedup();
    assert!(!below.is_empty(), "the case has intervals below the goal");
    below.len()
}

/// One channel of several call types: the heat map shows each interval's lowest call type,
/// as the goal judges them, so its cells below the goal are the intervals counted below it
/// (pooled, a call type below the goal hid behind one above it).
#[test]
fn the_heat_map_of_several_call_types_shows_the_lowest_and_counts_as_the_goal_does() {
    let summary = simulated("scenarios/retail-bank-week.toml", "2");
    assert!(summary.call_types.len() > 1 && !summary.several_channels());
    let charts = simulation_chart_set(&summary);
    let heatmap = charts.iter().find(|c| c.name == "service_level_heatmap").unwrap().to_svg().unwrap();
    assert!(heatmap.contains("service level of the lowest call type, by day and interval, goal 80%"));
    assert_eq!(cells_below_goal(&heatmap), intervals_below_goal(&summary));
}

/// With channels whose goals differ, each call type's panel has its own channel's goal and
/// target, and the heat map shows the worst call type's margin to its own goal, so its cells
/// on the side below the goal are exactly the intervals counted below it; a scenario of one
/// channel keeps one goal.
#[test]
fn each_channel_is_drawn_against_its_own_goal() {
    let summary = simulated("scenarios/omnichannel.toml", "2");
    let svg = |summary: &Summary, name: &str| {
        let charts = simulation_chart_set(summary);
        charts.iter().find(|c| c.name == name).unwrap().to_svg().unwrap()
    };
    let sl = svg(&summary, "service_level");
    for text in ["accounts (% in 20s)", "web-chat (% in 1m)", "email (% in 12h)", "goal 80%", "goal 90%"] {
        assert!(sl.contains(text), "service_level.svg lacks {text:?}");
    }
    let heatmap = svg(&summary, "service_level_heatmap");
    assert!(heatmap.contains("service level minus its goal, worst call type (points)"));
    assert_eq!(cells_below_goal(&heatmap), intervals_below_goal(&summary));
    let voice = fixture();
    assert!(!svg(&voice, "service_level").contains("(% in"));
    let heat = svg(&voice, "service_level_heatmap");
    assert!(heat.contains("by day and interval, goal 80%") && !heat.contains("(points)"));
}

/// Each call type's wait chart marks its own channel's target and goal, with the service level
/// judged against them (a chat at 1 min, an email at 12 h, not the phones' 20 s), reaching far
/// enough to show it; the chart of all contacts, which no one target applies to, marks none.
/// The HTML report's inline copies are the same charts.
#[test]
fn each_wait_chart_marks_its_own_channels_target_and_goal() {
    let args = ["simulate", "scenarios/omnichannel.toml", "-r", "2", "-q"];
    let out = ccsim().args(args).args(["--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let summary: Summary = serde_json::from_slice(&out.stdout).unwrap();
    let charts = simulation_chart_set(&summary);
    let texts = |name: &str| {
        let chart = charts.iter().find(|c| c.name == name).unwrap();
        crate::util::svg_texts(&chart.to_svg().unwrap()).join("\n")
    };
    let sl = |name: &str| {
        let ct = summary.call_types.iter().find(|c| c.name == name).unwrap();
        ccsim::report::percent_estimate(&ct.stats.service_level)
    };
    for (call_type, target, goal) in
        [("accounts", "20 s", 80), ("web-chat", "60 s", 80), ("email", "12h", 90)]
    {
        let text = texts(&format!("wait_distribution_{call_type}"));
        let label = format!("target {target}: service level {} (meets goal {goal}%)", sl(call_type));
        assert!(text.contains(&label), "{call_type}: no {label:?} in\n{text}");
        assert_eq!(text.matches("target ").count(), text.matches(&label).count(), "{call_type}: {text}");
    }
    let all = texts("wait_distribution");
    assert!(!all.lines().any(|t| t.starts_with("target ")), "a target on the chart of all contacts: {all}");
    assert!(all.replace('\n', " ").contains("each contact against its own channel"), "{all}");
    // The chat chart's x range is its own: the 60 s target is not lost in a 12-hour axis.
    let chat_ticks: Vec<f64> =
        texts("wait_distribution_web-chat").lines().filter_map(|t| t.replace(',', "").parse().ok()).collect();
    assert!(chat_ticks.iter().all(|&x| x <= 600.0), "{chat_ticks:?}");

    let html = ccsim::report::html::simulation_report(&summary).unwrap();
    assert!(html.contains(&format!("target 60 s: service level {} (meets goal 80%)", sl("web-chat"))));
    assert!(!html.contains("target 20 s: service level 99"), "the email chart in the report");
}

/// `--chart-format` says what `--charts` writes; alone it would write nothing in that format,
/// so it is refused rather than ignored.
#[test]
fn a_chart_format_without_charts_is_refused() {
    for command in [
        &["simulate", "scenarios/single-queue.toml"][..],
        &["sweep", "scenarios/single-queue.toml", "--vary", "volume=1"],
        &["staff", "scenarios/single-queue.toml", "--method", "erlang-c"],
    ] {
        let out = ccsim()
            .args(command)
            .args(["-q", "--chart-format", "svg"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(stderr.contains("--charts <DIR>"), "{command:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
}

/// The risk curve is one series: every point in one colour, one legend entry that says what
/// the dots are, and no text element without text (the legend once showed a dot per headcount,
/// each with an empty label).
#[test]
fn the_risk_chart_labels_its_one_series_and_draws_no_empty_text() {
    let dir = crate::util::empty_dir("charts", "risk-legend");
    ccsim()
        .args([
            "risk",
            "scenarios/retail-bank.toml",
            "-q",
            "-r",
            "4",
            "--agents-range",
            "44..52",
            "--step",
            "2",
        ])
        .args(["--chart-format", "svg", "--charts"])
        .arg(&dir)
        .assert()
        .success();
    let svg = std::fs::read_to_string(dir.join("risk.svg")).unwrap();
    let texts = crate::util::svg_texts(&svg);
    assert!(!texts.is_empty(), "no text parsed from risk.svg");
    assert!(texts.iter().all(|t| !t.is_empty()), "an empty text element: {texts:?}");
    assert!(texts.iter().any(|t| t == "P(meet goal) at each headcount simulated"), "{texts:?}");
    // The five points (hollow circles) and the legend's dot share one colour.
    let colours: std::collections::BTreeSet<&str> = svg
        .split("<circle")
        .skip(1)
        .map(|c| {
            let colour = c.split("stroke=\"").nth(1).filter(|s| !s.starts_with("none"));
            colour.or_else(|| c.split("fill=\"").nth(1)).unwrap().split('"').next().unwrap()
        })
        .collect();
    assert_eq!(svg.matches("<circle").count(), 6, "five points and one legend ring");
    assert_eq!(colours.len(), 1, "one series, one colour: {colours:?}");
    // The legend's marks are what the chart draws: hollow rings, error bars in the points'
    // darker shade (three strokes each, the legend's among them), and the dashed line named.
    let circles: Vec<&str> = svg.split("<circle").skip(1).map(|c| &c[..c.find("/>").unwrap()]).collect();
    assert!(circles.iter().all(|c| c.contains("fill=\"none\"")), "a filled dot: {circles:?}");
    let [r, g, b] = ccsim::report::chart::darker(ccsim::report::chart::color_of(0));
    let bar = format!("stroke=\"#{r:02X}{g:02X}{b:02X}\"");
    assert_eq!(svg.matches(&bar).count(), 3 * 6, "five error bars and the legend's, in {bar}");
    assert!(texts.iter().any(|t| t == "reference: goal met on 90% of days"), "{texts:?}");
    // The title states the goal with its answer-time target; the current plan is marked at its
    // busiest interval's headcount (retail-bank's plan has 50 on duty at 13:30).
    let words = texts.join(" ");
    assert!(words.contains("goal: 80% of contacts answered within 20s"), "{words}");
    assert!(words.contains("current plan (scenario): 50 on duty at its busiest interval"), "{words}");
    // Pasted on its own, the chart still says what each point rests on.
    assert!(
        texts.iter().any(|t| t == "plan: scenario · 4 replications per headcount · seed 42"),
        "{texts:?}"
    );
}

/// With several channels the wait chart of all contacts pools seconds of voice with hours of
/// email: it is named as the tables name that row, says it pools every channel and points to
/// each call type's chart, and marks no pooled 90th percentile (the tables state none). With
/// one channel it is the chart of all calls, with its 90th percentile.
#[test]
fn the_wait_chart_of_all_contacts_says_it_pools_the_channels_and_marks_no_pooled_p90() {
    let several = simulated("scenarios/omnichannel.toml", "2");
    assert!(several.overall.wait_p90_s.mean.is_finite(), "the JSON keeps the pooled p90");
    let texts = |summary: &Summary| {
        let charts = simulation_chart_set(summary);
        let chart = charts.iter().find(|c| c.name == "wait_distribution").unwrap();
        crate::util::svg_texts(&chart.to_svg().unwrap()).join(" ").replace("&apos;", "'")
    };
    let all = texts(&several);
    assert!(all.contains("wait before answer, all contacts"), "{all}");
    assert!(!all.contains("all calls"), "{all}");
    assert!(all.contains("every channel's waits pooled"), "{all}");
    assert!(all.contains("wait_distribution_&lt;call type&gt;) is the one to read"), "{all}");
    assert!(!all.contains("p90"), "a pooled p90 on the chart of all contacts: {all}");
    let one = texts(&fixture());
    assert!(one.contains("wait before answer, all calls") && one.contains("p90 wait"), "{one}");
    assert!(!one.contains("pooled"), "{one}");
}

/// The waterfall's bar values are the staffing JSON's agent-hours at the table's one decimal,
/// and the running total adds up: 308.5 + 143 is written 451.5, not 452.
#[test]
fn the_waterfall_writes_the_tables_agent_hours_on_its_bars() {
    let dir = crate::util::empty_dir("charts", "waterfall-labels");
    let json = ccsim()
        .args(["staff", "scenarios/retail-bank.toml", "-q", "-r", "4", "--format", "json"])
        .args(["--chart-format", "svg", "--charts"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(json.status.success(), "{}", String::from_utf8_lossy(&json.stderr));
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    let expected: Vec<f64> =
        json["waterfall"].as_array().unwrap().iter().map(|s| s["agent_hours"].as_f64().unwrap()).collect();
    assert!(
        expected.iter().any(|h| h.fract() != 0.0),
        "the scenario no longer has a step in half-hours, so this test cannot fail: {expected:?}"
    );
    let svg = std::fs::read_to_string(dir.join("waterfall.svg")).unwrap();
    // The bar values are the texts that read as numbers and are not y-axis ticks: the ticks
    // come first, so the values are the last of them, one per step.
    let numbers: Vec<(String, f64)> = crate::util::svg_texts(&svg)
        .into_iter()
        .filter_map(|t| t.parse::<f64>().ok().map(|v| (t, v)))
        .collect();
    assert!(numbers.len() >= expected.len(), "{numbers:?}");
    let values = &numbers[numbers.len() - expected.len()..];
    for ((text, value), (step, hours)) in
        values.iter().zip(json["waterfall"].as_array().unwrap().iter().zip(&expected))
    {
        assert!((value - hours).abs() < 0.05, "{}: bar says {text}, JSON {hours}", step["step"]);
        if step["kind"] == "change" {
            assert!(text.starts_with(['+', '-']), "a change carries its sign: {text}");
        }
    }
    // Its axis totals over the scenario's horizon, named as such: "over the scenario" read, beside
    // a plan named "scenario", as a difference from that plan. The agents to schedule have
    // their unit.
    let texts = crate::util::svg_texts(&svg);
    assert!(texts.iter().any(|t| t == "agent-hours over the scenario&apos;s day (h)"), "{texts:?}");
    let staffing = crate::util::svg_texts(&std::fs::read_to_string(dir.join("staffing.svg")).unwrap());
    assert!(staffing.iter().any(|t| t == "agents to schedule"), "{staffing:?}");
}

/// The cost chart of `compare` totals over the scenario's day, and says so.
#[test]
fn the_compare_cost_axis_names_the_scenarios_days() {
    let dir = crate::util::empty_dir("charts", "compare-cost-axis");
    ccsim()
        .args(["compare", "scenarios/retail-bank.toml", "--plan", "scenario"])
        .args(["--plan", "scenarios/plans/retail-bank-late.toml", "-q", "-r", "2"])
        .args(["--chart-format", "svg", "--charts"])
        .arg(&dir)
        .assert()
        .success();
    let texts = crate::util::svg_texts(&std::fs::read_to_string(dir.join("compare_cost.svg")).unwrap());
    assert!(texts.iter().any(|t| t.contains("over the scenario&apos;s day")), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("over the scenario ")), "{texts:?}");
    // Both charts say what they rest on, and the lines by interval show each plan's interval.
    let context = "2 plans · 2 replications each · seed 42";
    assert!(texts.iter().any(|t| t == context), "{texts:?}");
    let lines = std::fs::read_to_string(dir.join("compare.svg")).unwrap();
    let line_texts = crate::util::svg_texts(&lines);
    assert!(line_texts.iter().any(|t| t == context), "{line_texts:?}");
    assert!(line_texts.iter().any(|t| t == "shaded: 95% confidence interval"), "{line_texts:?}");
    for idx in 0..2 {
        let [r, g, b] = ccsim::report::chart::color_of(idx);
        let band = format!("opacity=\"0.2\" fill=\"#{r:02X}{g:02X}{b:02X}\"");
        assert!(
            lines.split("<polygon ").skip(1).any(|p| p[..p.find("/>").unwrap()].contains(&band)),
            "no band in plan {idx}'s colour {band}"
        );
    }
}

/// Every chart of a run says, under its title, the plan, the replications and the seed: a
/// picture pasted on a slide no longer has the report around it to say so.
#[test]
fn every_simulation_chart_states_its_plan_replications_and_seed() {
    let out = ccsim()
        .args([
            "simulate",
            "scenarios/retail-bank-week.toml",
            "-r",
            "2",
            "--seed",
            "9",
            "-q",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let summary: Summary = serde_json::from_slice(&out.stdout).unwrap();
    let charts = simulation_chart_set(&summary);
    assert!(charts.len() >= 8, "{}", charts.len());
    for chart in &charts {
        let texts = crate::util::svg_texts(&chart.to_svg().unwrap());
        assert!(
            texts.iter().any(|t| t == "plan: scenario · 2 replications · seed 9"),
            "{}: {texts:?}",
            chart.name
        );
    }
}

/// The staff charts drawn with a simulation requirement say how the search ran (its
/// replications per step and seed), as every simulation chart does; with the formulas alone
/// they simulated nothing and say nothing of the kind.
#[test]
fn staff_charts_with_a_simulation_requirement_state_the_searchs_replications_and_seed() {
    let dir = crate::util::empty_dir("charts", "staff-run-context");
    for (method, simulated) in [("simulation", true), ("erlang-a", false)] {
        let charts = dir.join(method);
        let mut cmd = ccsim();
        cmd.args(["staff", "scenarios/retail-bank-week.toml", "-q", "--method", method]);
        if simulated {
            cmd.args(["-r", "3", "--seed", "9"]);
        }
        cmd.arg("--charts").arg(&charts).args(["--chart-format", "svg"]).assert().success();
        for name in ["staffing", "waterfall", "staffing_heatmap"] {
            let svg = std::fs::read_to_string(charts.join(format!("{name}.svg"))).unwrap();
            let texts = crate::util::svg_texts(&svg);
            let context = texts.iter().any(|t| t == "simulation search: 3 replications per step · seed 9");
            assert_eq!(context, simulated, "{method} {name}: {texts:?}");
            assert!(!texts.iter().any(|t| t.contains("seed")) || simulated, "{method} {name}: {texts:?}");
        }
    }
}

/// Chats and emails are no calls: the charts of a run with them count contacts, and each call
/// type's wait chart its own channel's (chats, emails); a voice-only run's still say calls.
#[test]
fn charts_of_a_run_with_chats_and_emails_do_not_call_them_calls() {
    let summary = simulated("scenarios/omnichannel.toml", "2");
    let charts = simulation_chart_set(&summary);
    let texts = |name: &str| {
        let chart = charts.iter().find(|c| c.name == name).unwrap();
        crate::util::svg_texts(&chart.to_svg().unwrap()).join("\n")
    };
    for chart in charts.iter().filter(|c| c.name != "wait_distribution_accounts") {
        let text = texts(&chart.name);
        assert!(!text.contains("calls"), "{} says calls:\n{text}", chart.name);
    }
    let volume = texts("volume");
    assert!(volume.contains("offered contacts per interval (mean of replications)"), "{volume}");
    assert!(volume.contains("contacts per interval, by outcome"), "{volume}");
    let chat = texts("wait_distribution_web-chat");
    assert!(
        chat.contains("share of answered chats (%)") && chat.contains("answered chats that waited"),
        "{chat}"
    );
    assert!(texts("wait_distribution_email").contains("share of answered emails (%)"));
    assert!(texts("wait_distribution_accounts").contains("share of answered calls (%)"));
    let voice = simulation_chart_set(&fixture());
    let volume =
        crate::util::svg_texts(&voice.iter().find(|c| c.name == "volume").unwrap().to_svg().unwrap());
    assert!(
        volume.iter().any(|t| t.contains("offered calls per interval (mean of replications)")),
        "{volume:?}"
    );
}

/// A charts directory holds one run's charts: a second run removes the first's charts that it
/// does not draw (other call types, the other format, heat maps of a run of several days), and
/// leaves every other file, another command's charts among them.
#[test]
fn a_run_replaces_its_commands_charts_as_a_set_and_touches_nothing_else() {
    let dir = out_dir("stale");
    std::fs::create_dir_all(&dir).unwrap();
    for keep in ["notes.png", "staffing.png", "wait_distribution_.png"] {
        std::fs::write(dir.join(keep), "not ccsim's").unwrap();
    }
    let simulate = |scenario: &str, format: &str| {
        ccsim()
            .args(["simulate", scenario, "-q", "-r", "2", "--chart-format", format, "--charts"])
            .arg(&dir)
            .assert()
            .success();
    };
    simulate("scenarios/support-24x7.toml", "png");
    assert!(
        dir.join("wait_distribution_technical.png").exists() && dir.join("occupancy_heatmap.png").exists()
    );
    simulate("scenarios/single-queue.toml", "svg");
    let names = crate::util::file_names(&dir);
    let expected = [
        "notes.png",
        "occupancy.svg",
        "service_level.svg",
        "staffing.png",
        "volume.svg",
        "wait_distribution.svg",
        "wait_distribution_.png",
        "wait_distribution_hotline.svg",
    ];
    assert_eq!(names, expected);
    assert_eq!(std::fs::read_to_string(dir.join("staffing.png")).unwrap(), "not ccsim's");

    // `chart` replaces the set the same way, and says what it wrote on stderr as every
    // command does.
    let saved = out_dir("stale-saved");
    ccsim()
        .args(["simulate", "scenarios/support-24x7.toml", "-q", "-r", "2", "--out"])
        .arg(&saved)
        .assert()
        .success();
    let out = ccsim()
        .arg("chart")
        .arg(&saved)
        .args(["--chart-format", "svg", "--charts"])
        .arg(&dir)
        .assert()
        .success();
    let stderr = stderr_lossy(&out);
    assert!(
        stderr.contains(&format!("wrote: {}", dir.join("wait_distribution_quick.svg").display())),
        "{stderr}"
    );
    assert!(out.get_output().stdout.is_empty());
    assert!(!dir.join("wait_distribution_hotline.svg").exists(), "the earlier run's chart stays");
}

/// An output named like a chart of `--charts DIR` in that directory, or a chart that would
/// replace a file the run reads, is refused before any work: one would replace the other.
#[test]
fn an_output_or_input_named_like_a_chart_in_the_charts_directory_is_refused() {
    let dir = out_dir("chart-overlap");
    std::fs::create_dir_all(&dir).unwrap();
    let refused = |args: &[&str], flag: &str| {
        let out = ccsim().args(args).assert().code(2);
        let stderr = stderr_lossy(&out);
        assert!(stderr.contains(flag) && stderr.contains("--charts"), "{args:?}: {stderr}");
    };
    let d = dir.to_str().unwrap();
    let sq = "scenarios/single-queue.toml";
    let report = format!("{d}/volume.svg");
    refused(&["simulate", sq, "-q", "-r", "2", "--charts", d, "--report", &report], "--report");
    let trace = format!("{d}/wait_distribution_hotline.png");
    refused(&["simulate", sq, "-q", "-r", "2", "--charts", d, "--trace", &trace], "--trace");
    let staffing = format!("{d}/waterfall.png");
    refused(
        &[
            "staff",
            "scenarios/retail-bank.toml",
            "--method",
            "erlang-c",
            "--charts",
            d,
            "--report",
            &staffing,
        ],
        "--report",
    );
    let coverage = format!("{d}/coverage.svg");
    refused(&["schedule", "scenarios/retail-bank.toml", "--charts", d, "--report", &coverage], "--report");
    let cost = format!("{d}/compare_cost.png");
    let plan = "scenarios/plans/retail-bank-late.toml";
    refused(
        &["compare", "scenarios/retail-bank.toml", "--plan", plan, "--charts", d, "--report", &cost],
        "--report",
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "nothing is written");
    // A scenario file that a chart would replace.
    let scenario = dir.join("volume.png");
    std::fs::copy(sq, &scenario).unwrap();
    refused(&["simulate", scenario.to_str().unwrap(), "-q", "-r", "2", "--charts", d], "volume.png");
    // `chart`, `risk` and `merge` read files too: a summary, scenario or part named like one
    // of their charts in the charts directory is refused, in either format.
    let saved = out_dir("chart-overlap-saved");
    ccsim().args(["simulate", sq, "-q", "-r", "2", "--out"]).arg(&saved).assert().success();
    let summary = dir.join("volume.svg");
    std::fs::copy(saved.join("summary.json"), &summary).unwrap();
    refused(&["chart", summary.to_str().unwrap(), "--charts", d], "volume.svg");
    std::fs::remove_file(&summary).unwrap();
    let risky = dir.join("risk.svg");
    std::fs::copy(sq, &risky).unwrap();
    refused(
        &["risk", risky.to_str().unwrap(), "-q", "-r", "2", "--agents-range", "20..21", "--charts", d],
        "risk.svg",
    );
    std::fs::remove_file(&risky).unwrap();
    let parts = out_dir("chart-overlap-parts");
    for k in 1..=2 {
        let shard = format!("{k}/2");
        ccsim()
            .args(["simulate", sq, "-q", "-r", "2", "--shard", &shard, "--out"])
            .arg(&parts)
            .assert()
            .success();
    }
    let found: Vec<PathBuf> =
        walk(&parts).into_iter().filter(|p| p.extension().is_some_and(|e| e == "ccsim")).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    let part = dir.join("volume.png");
    std::fs::rename(&found[0], &part).unwrap();
    refused(&["merge", part.to_str().unwrap(), found[1].to_str().unwrap(), "--charts", d], "volume.png");
    assert!(part.exists(), "the part is kept");
    std::fs::remove_file(&part).unwrap();
    // Another name in the same directory is fine.
    let report = format!("{d}/report.html");
    ccsim().args(["simulate", sq, "-q", "-r", "2", "--charts", d, "--report", &report]).assert().success();
}

/// `chart` refuses a summary whose grid, rows or figures no run could have written, rather than
/// drawing mislabelled axes, dropping rows without a word or stretching an axis to 1e308.
#[test]
fn chart_refuses_a_damaged_summary_naming_the_key() {
    let dir = out_dir("damaged");
    std::fs::create_dir_all(&dir).unwrap();
    let damaged = |edit: &dyn Fn(&mut Value), key: &str| {
        let mut json: Value = serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
        edit(&mut json);
        let file = dir.join("summary.json");
        std::fs::write(&file, json.to_string()).unwrap();
        let out = ccsim().arg("chart").arg(&file).arg("--charts").arg(dir.join("c")).assert().code(2);
        let stderr = stderr_lossy(&out);
        assert!(stderr.contains("not a simulation summary") && stderr.contains(key), "{key}: {stderr}");
        assert!(!dir.join("c").exists(), "no chart directory on bad input");
    };
    damaged(&|j| j["grid"]["per_day"] = 0.into(), "grid.per_day");
    damaged(&|j| j["grid"]["per_day"] = 100_000.into(), "grid.per_day");
    damaged(&|j| j["grid"]["days"] = 0.into(), "grid.days");
    damaged(&|j| j["grid"]["days"] = 1_000_000_000_000u64.into(), "grid.days");
    damaged(&|j| j["grid"]["interval_s"] = 0.into(), "grid.interval_s");
    damaged(&|j| j["grid"]["interval_s"] = (-1800).into(), "grid.interval_s");
    damaged(&|j| j["grid"]["start"] = "25:99".into(), "grid.start");
    damaged(&|j| j["intervals"][3]["day"] = 9.into(), "intervals[3]");
    damaged(&|j| j["intervals"][0]["start"] = "08:10".into(), "intervals[0]");
    damaged(&|j| j["intervals"][1]["call_type"] = "nobody".into(), "intervals[1]");
    damaged(&|j| j["agent_groups"][0]["intervals"][2]["day"] = 0.into(), "intervals[2]");
    // Rows missing or written twice, impossible figures, buckets out of order.
    damaged(&|j| j["intervals"].as_array_mut().unwrap().truncate(5), "intervals: 5 rows");
    damaged(&|j| j["intervals"][1] = j["intervals"][0].clone(), "is written twice");
    damaged(&|j| j["agent_groups"][0]["intervals"].as_array_mut().unwrap().truncate(3), "intervals: 3 rows");
    damaged(&|j| j["intervals"][2]["service_level"]["mean"] = 1.5.into(), "intervals[2].service_level");
    damaged(&|j| j["intervals"][2]["offered"]["mean"] = (-3.0).into(), "intervals[2].offered");
    damaged(&|j| j["service_level"]["goal"] = 2.into(), "service_level: goal 2");
    damaged(&|j| j["wait_distribution"][0]["call_type"] = "ghost".into(), "wait_distribution[0]");
    damaged(
        &|j| j["wait_distribution"][0]["buckets"][1]["low_s"] = (-100.0).into(),
        "wait_distribution[0].buckets[1]",
    );
    damaged(
        &|j| {
            let b = j["wait_distribution"][0]["buckets"].as_array_mut().unwrap();
            b.swap(2, 3);
        },
        "wait_distribution[0].buckets[",
    );
    damaged(
        &|j| j["wait_distribution"][0]["offered_not_judged"] = 1_000_000_000u64.into(),
        "wait_distribution[0].offered_not_judged",
    );
    // Figures out of range anywhere a chart or table reads them, not only the per-interval rows.
    damaged(
        &|j| j["call_types"][0]["service_level"]["mean"] = 1e308.into(),
        "call_types[0].service_level: 1e308 is not a possible",
    );
    damaged(
        &|j| j["call_types"][0]["service_level"]["mean"] = (-5.0).into(),
        "call_types[0].service_level: -5 is not a possible Service level (share); expected a share from 0 to 1",
    );
    damaged(&|j| j["call_types"][1]["asa_s"]["mean"] = (-1.0).into(), "call_types[1].asa_s: -1");
    damaged(
        &|j| j["call_types"][2]["asa_s"]["half_width"] = (-1.0).into(),
        "call_types[2].asa_s: half-width -1",
    );
    damaged(&|j| j["occupancy"]["mean"] = 1.5.into(), "occupancy: 1.5");
    damaged(
        &|j| j["agent_groups"][0]["intervals"][1]["occupancy"]["mean"] = (-0.5).into(),
        "intervals[1].occupancy: -0.5",
    );
    damaged(&|j| j["paid_hours"] = (-1.0).into(), "paid_hours: -1");
}

/// Every step name of the waterfall is written in full under its bar, however long (the
/// omnichannel scenario has the longest: ten steps, some of seventy characters), in the chart
/// and in the report's smaller copy.
#[test]
fn the_waterfall_writes_every_step_name_in_full() {
    let dir = crate::util::empty_dir("charts", "waterfall-names");
    let report = dir.join("staff.html");
    let out = ccsim()
        .args(["staff", "scenarios/omnichannel.toml", "-q", "--method", "erlang-a", "--format", "json"])
        .args(["--chart-format", "svg", "--charts"])
        .arg(&dir)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> =
        json["waterfall"].as_array().unwrap().iter().map(|s| s["label"].as_str().unwrap()).collect();
    assert!(names.iter().any(|n| n.len() > 60), "no long step name left to test: {names:?}");
    let html = std::fs::read_to_string(&report).unwrap();
    let inline = &html[html.find("<figure id=\"chart-waterfall\">").unwrap()..];
    for svg in [std::fs::read_to_string(dir.join("waterfall.svg")).unwrap(), inline.to_string()] {
        let text = crate::util::svg_texts(&svg).join(" ");
        for name in &names {
            assert!(text.contains(name), "{name:?} is not written in full in {text:?}");
        }
    }
}

/// Every file below `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

/// A call type named at length still gets its wait chart: the file name keeps the name's
/// first characters, within what a file system takes (the run used to fail at its end), also
/// at the longest name a scenario may have.
#[test]
fn a_long_call_type_name_gets_a_chart_file_a_file_system_takes() {
    let dir = out_dir("long-name");
    std::fs::create_dir_all(&dir).unwrap();
    let long = "h".repeat(ccsim::limits::MAX_NAME_CHARS);
    let text = std::fs::read_to_string("scenarios/single-queue.toml")
        .unwrap()
        .replace("\"hotline\"", &format!("\"{long}\""));
    let scenario = dir.join("long.toml");
    std::fs::write(&scenario, text).unwrap();
    let charts = dir.join("charts");
    ccsim()
        .arg("simulate")
        .arg(&scenario)
        .args(["-q", "-r", "2", "--charts"])
        .arg(&charts)
        .assert()
        .success();
    let names = crate::util::file_names(&charts);
    let wait = names.iter().find(|n| n.starts_with("wait_distribution_h")).expect("the call type's chart");
    assert!(wait.len() < 255 && wait.ends_with("hhh.png"), "{wait}");
}

/// Each command's chart family names every chart the command draws: a chart missing from it
/// would never be replaced as part of the set, nor guarded against an output of its name.
#[test]
fn every_chart_a_command_draws_is_in_its_family() {
    use ccsim::report::chart::family;
    let runs: [(&str, &[&str], &family::ChartFamily); 6] = [
        ("simulate", &["simulate", "scenarios/omnichannel.toml", "-q", "-r", "2"], &family::SIMULATION),
        (
            "staff",
            &["staff", "scenarios/retail-bank-week.toml", "-q", "--method", "erlang-a"],
            &family::STAFFING,
        ),
        (
            "schedule",
            &["schedule", "scenarios/retail-bank.toml", "-q", "-r", "2", "--method", "erlang-c"],
            &family::SCHEDULE,
        ),
        (
            "compare",
            &[
                "compare",
                "scenarios/retail-bank.toml",
                "--plan",
                "scenarios/plans/retail-bank-late.toml",
                "-q",
                "-r",
                "2",
            ],
            &family::COMPARISON,
        ),
        (
            "sweep",
            &["sweep", "scenarios/single-queue.toml", "-q", "-r", "2", "--vary", "volume=0.9,1"],
            &family::SWEEP,
        ),
        (
            "risk",
            &["risk", "scenarios/single-queue.toml", "-q", "-r", "2", "--agents-range", "10..11"],
            &family::RISK,
        ),
    ];
    for (name, args, chart_family) in runs {
        let dir = out_dir(&format!("family-{name}"));
        ccsim().args(args).args(["--chart-format", "svg", "--charts"]).arg(&dir).assert().success();
        let written = crate::util::file_names(&dir);
        assert!(!written.is_empty(), "{name} drew nothing");
        for file in &written {
            assert!(chart_family.holds(file), "{name} draws {file}, which its family does not name");
        }
    }
}

/// `simulate --format json` of `scenario` with `replications`, as a summary.
fn simulated(scenario: &str, replications: &str) -> Summary {
    let out =
        ccsim().args(["simulate", scenario, "-r", replications, "-q", "--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The drawn text of a chart of `summary`, its lines joined by spaces, entities unescaped.
fn chart_words(summary: &Summary, ctx: &ChartContext, name: &str) -> String {
    let charts = simulation_chart_set_with(summary, ctx);
    let svg = charts.iter().find(|c| c.name == name).unwrap().to_svg().unwrap();
    crate::util::svg_texts(&svg).join(" ").replace("&apos;", "'")
}

/// The wait chart's longest wait is the longest in any replication (its buckets pool them
/// all), and it says so, while `wait_max_s` is each replication's longest, averaged: two
/// figures, each named for what it is (the chart once said "longest 369 s" beside a JSON
/// `wait_max_s` of 168 s).
#[test]
fn the_wait_chart_names_its_longest_wait_as_the_longest_in_any_replication() {
    let summary = simulated("scenarios/retail-bank.toml", "4");
    let words = chart_words(&summary, &ChartContext::default(), "wait_distribution");
    let all = summary.wait_distribution.iter().find(|d| d.call_type.is_none()).unwrap();
    let longest = all.buckets.iter().filter(|b| b.count > 0).map(|b| b.high_s).fold(0.0, f64::max);
    let said = format!("longest in any of the 4 replications: {longest:.0} s");
    assert!(words.contains(&said), "no {said:?} in {words}");
    assert!(longest > summary.overall.wait_max_s.mean + 1.0, "the two figures differ on this run");
    assert_eq!(words.matches("longest").count(), 1, "{words}");
    let definition = ccsim::metrics::definition("wait_max_s").definition;
    assert!(definition.contains("each replication's longest, averaged"), "{definition}");
    let one = simulated("scenarios/retail-bank.toml", "1");
    let words = chart_words(&one, &ChartContext::default(), "wait_distribution");
    assert!(words.contains("(longest: ") && !words.contains("in any of"), "{words}");
}

/// The cells of the occupancy heat map above the cap (vermillion) are exactly the intervals in
/// which some agent group is above it: each cell is the busiest group's occupancy, since the cap
/// holds each group. Pooled, a group at 94% showed as a blue 84.
#[test]
fn the_occupancy_heat_map_shows_the_busiest_group_against_the_cap() {
    let summary = simulated("scenarios/retail-bank-week.toml", "2");
    let cap = 0.9;
    let ctx = ChartContext { max_occupancy: Some(cap), scenario_known: true, scheduled: None };
    let charts = simulation_chart_set_with(&summary, &ctx);
    let svg = charts.iter().find(|c| c.name == "occupancy_heatmap").unwrap().to_svg().unwrap();
    // Per interval, each group's (agents on duty, occupancy).
    let mut cells: std::collections::BTreeMap<(usize, String), Vec<(f64, f64)>> = Default::default();
    for g in &summary.agent_groups {
        for row in &g.intervals {
            cells
                .entry((row.day, row.start.clone()))
                .or_default()
                .push((row.agents_on_duty.mean, row.occupancy.mean));
        }
    }
    let busiest = |groups: &[(f64, f64)]| {
        groups.iter().filter(|(a, o)| *a > 0.0 && o.is_finite()).map(|g| g.1).fold(f64::NAN, f64::max)
    };
    let pooled = |groups: &[(f64, f64)]| {
        let on_duty: f64 = groups.iter().filter(|(a, o)| *a > 0.0 && o.is_finite()).map(|g| g.0).sum();
        groups.iter().filter(|(a, o)| *a > 0.0 && o.is_finite()).map(|(a, o)| a * o).sum::<f64>() / on_duty
    };
    let over = cells.values().filter(|g| busiest(g) > cap).count();
    let hidden = cells.values().filter(|g| busiest(g) > cap && pooled(g) <= cap).count();
    assert!(hidden > 0, "no interval where the groups pooled hide one over the cap: the check cannot fail");
    assert_eq!(cells_below_goal(&svg), over, "cells over the cap against intervals with a group over it");
    let words = chart_words(&summary, &ctx, "occupancy_heatmap");
    assert!(words.contains("occupancy of the busiest agent group"), "{words}");
}

/// With several channels, the night's cells judge only email (the phones are closed): each such
/// cell carries a dark corner, and the legend says the cell judges only the call types with
/// contacts then, so a closed phone line never passes for one above its goal.
#[test]
fn service_level_heat_map_cells_judging_only_some_call_types_are_marked() {
    let summary = simulated("scenarios/omnichannel.toml", "2");
    let charts = simulation_chart_set(&summary);
    let svg = charts.iter().find(|c| c.name == "service_level_heatmap").unwrap().to_svg().unwrap();
    let judged = |ct: &str| -> std::collections::BTreeSet<(usize, String)> {
        (summary.intervals.iter())
            .filter(|i| i.call_type == ct && i.stats.service_level.mean.is_finite())
            .map(|i| (i.day, i.start.clone()))
            .collect()
    };
    let sets: Vec<_> = summary.call_types.iter().map(|c| judged(&c.name)).filter(|s| !s.is_empty()).collect();
    let any: std::collections::BTreeSet<_> = sets.iter().flatten().cloned().collect();
    let partial = any.iter().filter(|cell| sets.iter().any(|s| !s.contains(*cell))).count();
    assert!(partial > 0, "no interval judges only some call types");
    // One corner per such cell, and one in the legend.
    assert_eq!(svg.matches("<polygon").count(), partial + 1);
    let words = chart_words(&summary, &ChartContext::default(), "service_level_heatmap");
    assert!(words.contains("dark corner: only the call types with contacts then are judged"), "{words}");
    // A run in which every call type is judged in every interval with calls marks none.
    let fixture_svg = simulation_chart_set(&fixture())
        .into_iter()
        .find(|c| c.name == "service_level_heatmap")
        .unwrap()
        .to_svg()
        .unwrap();
    assert!(!fixture_svg.contains("dark corner"));
}

/// The heat maps' legend swatch at the reference is white, and the blank cells' pale grey:
/// both are outlined, so they read as swatches on the white page.
#[test]
fn heat_map_legend_swatches_as_light_as_the_page_are_outlined() {
    let summary = simulated("scenarios/retail-bank-week.toml", "2");
    let charts = simulation_chart_set(&summary);
    let svg = charts.iter().find(|c| c.name == "service_level_heatmap").unwrap().to_svg().unwrap();
    let swatches: Vec<&str> =
        svg.split("<rect ").skip(1).filter(|r| r.contains("width=\"28\" height=\"18\"")).collect();
    let outlined = swatches.iter().filter(|r| r.contains("fill=\"none\"") && r.contains("stroke=")).count();
    assert_eq!(outlined, 2, "the reference and the blank swatch: {swatches:?}");
}

/// Lines by interval put each interval's point at its middle while the ticks mark interval
/// starts: the legend says so; a chart of steps, which span their interval, does not, and a
/// chart of both says which is which.
#[test]
fn charts_with_points_at_mid_interval_say_so() {
    let summary = fixture();
    let note =
        "points: each interval's figure, drawn at the middle of its interval (ticks mark interval starts)";
    for name in ["service_level", "occupancy"] {
        let words = chart_words(&summary, &ChartContext::default(), name);
        assert!(words.contains(note), "{name}: {words}");
    }
    let words = chart_words(&summary, &ChartContext::default(), "volume");
    assert!(!words.contains("points:"), "{words}");
    // Agents on duty, above occupancy, are steps: the legend tells them from the lines beside.
    let steps = "steps: each interval's figure, held from its start to its end";
    assert!(chart_words(&summary, &ChartContext::default(), "occupancy").contains(steps));
    assert!(!chart_words(&summary, &ChartContext::default(), "service_level").contains("steps:"));
    // A week of hours is too long an axis for a point at each interval: none is drawn, and
    // the legend promises none.
    let week = simulated("scenarios/support-24x7.toml", "2");
    let words = chart_words(&week, &ChartContext::default(), "service_level");
    assert!(words.contains("lines: each interval's figure") && !words.contains("points:"), "{words}");
}

/// With channels whose goals differ, each goal line names the panels it is drawn in (two
/// black dashes alike, "goal 80%" and "goal 90%", did not), and every panel's y title is set
/// at a size a slide can show: along its axis where it fits the panel's height, else as a
/// caption above the panel; so neighbouring titles never run into each other.
#[test]
fn panel_goal_lines_name_their_panels_and_panel_titles_fit_their_panels() {
    let summary = simulated("scenarios/omnichannel.toml", "2");
    let charts = simulation_chart_set(&summary);
    let (svg, layout) = charts.iter().find(|c| c.name == "service_level").unwrap().svg_and_layout().unwrap();
    let texts = crate::util::svg_texts(&svg);
    let goals: Vec<&String> = texts.iter().filter(|t| t.starts_with("goal ")).collect();
    assert!(goals.len() >= 2, "{texts:?}");
    assert!(goals.iter().all(|g| g.ends_with(" panel)") || g.ends_with(" panels)")), "{goals:?}");
    assert!(texts.iter().any(|t| t == "goal 90% (email panel)"), "{goals:?}");
    // Each panel's y title: where it is set, from its tag, its text and its font.
    let titles: Vec<(f64, f64, bool, f64)> = svg
        .split("<text ")
        .skip(1)
        .filter_map(|t| {
            let (tag, rest) = t.split_once('>')?;
            let body = rest[..rest.find("</text>")?].trim();
            let (_, top, _, bottom) = crate::chart_layout::text_box(&format!(" {tag}"), body);
            let size: f64 = tag.split("font-size=\"").nth(1)?.split('"').next()?.parse().ok()?;
            body.contains("(% in").then_some((top, bottom, tag.contains("rotate(270"), size))
        })
        .collect();
    assert_eq!(titles.len(), layout.plots.len(), "{titles:?}");
    for (k, ((top, bottom, upright, size), plot)) in titles.iter().zip(&layout.plots).enumerate() {
        // The SVG writes a font of n pixels as n / 1.24.
        assert!(*size * 1.24 >= 17.0, "panel {k}: its title is set at {} px", size * 1.24);
        let (y0, y1) = (f64::from(plot.y0), f64::from(plot.y1));
        let previous = if k == 0 { 0.0 } else { f64::from(layout.plots[k - 1].y1) };
        let placed = if *upright {
            *top >= y0 - 1.0 && *bottom <= y1 + 1.0
        } else {
            *bottom <= y0 + 1.0 && *top >= previous
        };
        assert!(placed, "panel {k}: title from {top:.0} to {bottom:.0}, plot from {y0} to {y1}");
    }
}

/// After closing, the only agents on duty are those finishing their last calls past the end of
/// their shift, busy all the time they stay: their occupancy is 100% by construction. The
/// occupancy heat map drawn from the scenario leaves those intervals blank, where drawn without
/// it they showed as cells above the cap every evening.
#[test]
fn the_occupancy_heat_map_leaves_out_the_hour_after_closing() {
    let dir = empty_dir("charts", "after-closing");
    let file = dir.join("day.toml");
    let volumes: Vec<&str> = (0..24).map(|h| if (8..18).contains(&h) { "50" } else { "0" }).collect();
    std::fs::write(
        &file,
        format!(
            r#"
name = "day shift"
start = "00:00"
interval = "1h"
days = 2

[service_level]
target = "20s"
goal = 0.8
max_occupancy = 0.85

[[call_types]]
name = "general"
volumes = [{volumes}, {volumes}]
handle_time = {{ distribution = "lognormal", mean = "4m", cv = 0.8 }}

[[agent_groups]]
name = "agents"
skills = ["general"]

[[shifts]]
group = "agents"
start = "08:00"
end = "18:00"
agents = 6
"#,
            volumes = volumes.join(", ")
        ),
    )
    .unwrap();
    let summary = simulated(file.to_str().unwrap(), "20");
    let scenario = ccsim::scenario::load(&file).unwrap().scenario;
    // The case: some agents stay past 18:00, each of them busy all that time.
    let after = |g: &ccsim::summary::GroupSummary| {
        g.intervals.iter().filter(|r| r.start == "18:00" && r.agents_on_duty.mean > 0.0).count()
    };
    assert!(after(&summary.agent_groups[0]) > 0, "nobody stayed past 18:00: the check cannot fail");
    let heat = |ctx: &ChartContext| {
        let charts = simulation_chart_set_with(&summary, ctx);
        cells_below_goal(&charts.iter().find(|c| c.name == "occupancy_heatmap").unwrap().to_svg().unwrap())
    };
    let known = ChartContext::of(&scenario);
    assert_eq!(heat(&known), 0, "a cell above the cap after closing");
    assert!(
        heat(&ChartContext { scheduled: None, ..known.clone() }) > 0,
        "without the plan they show above it"
    );
    let words = chart_words(&summary, &known, "occupancy_heatmap");
    assert!(words.contains("only agents finishing their last contacts after their shift"), "{words}");
    // The closed night is a gap in the service level and a stretch without bars in the
    // volumes: the legends say what it is. A day open throughout has no such note.
    for (name, note) in [
        ("service_level", "gaps: closed, or nothing offered then"),
        ("volume", "no bar: closed, or nothing offered then"),
    ] {
        assert!(chart_words(&summary, &known, name).contains(note), "{name}");
        assert!(!chart_words(&fixture(), &known, name).contains(note), "{name} of the fixture");
    }
}

/// A wait axis reaching hours is drawn in hours (an email target of 12 h, not 43,200 s), with
/// its 90th percentile in the same unit; a voice queue's stays in seconds.
#[test]
fn a_wait_chart_of_hours_is_drawn_in_hours() {
    let summary = simulated("scenarios/omnichannel.toml", "4");
    let email = chart_words(&summary, &ChartContext::default(), "wait_distribution_email");
    assert!(email.contains("wait before answer (h)") && !email.contains("(s)"), "{email}");
    let p90 = summary.call_types.iter().find(|c| c.name == "email").unwrap().stats.wait_p90_s.mean;
    assert!(email.contains(&format!("p90 wait {:.1} h", p90 / 3600.0)), "{email}");
    let voice = chart_words(&summary, &ChartContext::default(), "wait_distribution_accounts");
    assert!(voice.contains("wait before answer (s)"), "{voice}");
}

/// A step line holding one value over several intervals is drawn flat in a PNG: each joint
/// inside a flat run stood a pixel above it, a hump in every run of equal agents.
#[test]
fn a_flat_step_line_is_flat_in_a_png() {
    use ccsim::report::chart::{IntervalAxis, IntervalChart, Series, ValueFormat, step_lines, write_charts};
    let dir = out_dir("flat-steps");
    let agents = vec![12.0, 12.0, 12.0, 25.0, 25.0, 25.0, 25.0, 18.0];
    let chart = step_lines(
        "steps",
        IntervalChart {
            title: "agents on duty".into(),
            axis: IntervalAxis::from_grid("08:00", 1800.0, agents.len(), 1),
            y_title: "agents".into(),
            y_format: ValueFormat::Number,
            series: vec![Series::new("agents", agents).with_color([0, 114, 178])],
            goal: None,
            secondary: None,
            shade: Vec::new(),
            empty_note: "none".into(),
        },
    );
    let (svg, layout) = chart.svg_and_layout().unwrap();
    assert!(!svg.is_empty());
    let plot = layout.plots[0];
    write_charts(&[chart], &dir, ccsim::report::chart::ChartFormat::Png).unwrap();
    let png = Pixels::read(&dir.join("steps.png"));
    // Per column of the plot, the topmost pixel of the line's colour.
    let top = |x: usize| png.top(x, plot.y0.max(0) as usize..plot.y1 as usize, [0, 114, 178]);
    let interval_w = f64::from(plot.x1 - plot.x0) / 8.0;
    for (first, last) in [(0.0, 3.0), (3.0, 7.0)] {
        // Inside the run, clear of the risers at its ends.
        let from = (f64::from(plot.x0) + first * interval_w + 6.0) as usize;
        let to = (f64::from(plot.x0) + last * interval_w - 6.0) as usize;
        let tops: std::collections::BTreeSet<Option<usize>> = (from..to).map(top).collect();
        assert_eq!(tops.len(), 1, "intervals {first}..{last}: the line's top rows {tops:?}");
    }
}

/// A goal is a figure someone chose: every output writes it with the decimals it has (81.25%,
/// not 81.3% in the table and 81% on the chart beside a line drawn at 81.25).
#[test]
fn every_output_writes_a_goal_with_the_decimals_it_has() {
    let dir = out_dir("goal-decimals");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string("scenarios/single-queue.toml").unwrap();
    assert!(text.contains("goal = 0.80"));
    let scenario = dir.join("queue.toml");
    std::fs::write(&scenario, text.replacen("goal = 0.80", "goal = 0.8125", 1)).unwrap();
    let charts = dir.join("charts");
    let report = dir.join("report.html");
    let out = ccsim()
        .args(["simulate", scenario.to_str().unwrap(), "-r", "2", "-q", "--chart-format", "svg", "--charts"])
        .arg(&charts)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("Goal: 81.25% of contacts answered within 20s"), "{table}");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("at least 81.25% of"), "report.html");
    for chart in ["service_level.svg", "wait_distribution.svg"] {
        let svg = std::fs::read_to_string(charts.join(chart)).unwrap();
        assert!(svg.contains("goal 81.25%"), "{chart}");
    }
    for (name, text) in [("table", &table), ("report.html", &html)] {
        for rounded in ["81.2%", "81.3%", "81%"] {
            for phrase in
                [format!("Goal: {rounded}"), format!("at least {rounded}"), format!("goal {rounded}")]
            {
                assert!(!text.contains(&phrase), "{name} writes the goal as {phrase}");
            }
        }
    }
}

/// Panels of one measure per call type have plots of one height, so that a dip looks as deep
/// in each (the last panel, which also holds the x axis's title, had the smallest plot: a
/// third of the first's with three call types); a main panel above a second has a plot half as
/// high again as the second's.
#[test]
fn stacked_panels_share_the_height_as_their_stack_says() {
    use ccsim::report::chart::{IntervalAxis, IntervalChart, Series, Shape, Stack, ValueFormat, panels};
    let panel = |name: &str| {
        (
            IntervalChart {
                title: "service level by interval".into(),
                axis: IntervalAxis::from_grid("08:00", 1800.0, 24, 3),
                y_title: format!("{name} (%)"),
                y_format: ValueFormat::Percent,
                series: vec![Series::new(name, (0..72).map(|i| 0.5 + f64::from(i % 5) / 10.0).collect())],
                goal: None,
                secondary: None,
                shade: Vec::new(),
                empty_note: "none".into(),
            },
            Shape::Lines,
        )
    };
    let heights = |stack: Stack, n: usize| -> Vec<i32> {
        let names = ["accounts", "cards", "loans", "mortgages"];
        let chart = panels("stack", names[..n].iter().map(|n| panel(n)).collect(), stack);
        let (_, layout) = chart.svg_and_layout().unwrap();
        layout.plots.iter().map(|p| p.y1 - p.y0).collect()
    };
    for n in [2, 3, 4] {
        let h = heights(Stack::Peers, n);
        assert_eq!(h.len(), n);
        let (lo, hi) = (h.iter().min().unwrap(), h.iter().max().unwrap());
        assert!(hi - lo <= 1, "{n} peer panels' plot heights {h:?}");
    }
    // The main plot takes 3/5 of the two plots' height, to the pixel that rounding may cost.
    let h = heights(Stack::MainAbove, 2);
    let share = f64::from(h[0] + h[1]) * 3.0 / 5.0;
    assert!((f64::from(h[0]) - share).abs() <= 1.0, "main above: plot heights {h:?}, 3/5 of both {share:.1}");
}

/// The share answered within a wait only rises, and so does its line in a PNG: each point in
/// the middle of a straight run once dropped the line's edge by a pixel, a dip a reader could
/// take for a fall.
#[test]
fn a_rising_cumulative_curve_never_dips_in_a_png() {
    use ccsim::report::chart::{Bin, Cumulative, HistogramChart, ValueFormat, histogram, write_charts};
    let dir = out_dir("rising-curve");
    // A point every 2 s: rising fast, then slowly, with flat stretches between.
    let points: Vec<(f64, f64)> = (0..=60)
        .map(|k| {
            let x = 2.0 * f64::from(k);
            let flat = if (40.0..50.0).contains(&x) { 40.0 } else { x };
            (x, 0.6 + 0.35 * (1.0 - (-flat / 25.0).exp()))
        })
        .collect();
    let chart = histogram(
        "rising",
        HistogramChart {
            title: "waits".into(),
            x_title: "wait (s)".into(),
            y_title: "share".into(),
            y_format: ValueFormat::Percent,
            bins: (0..60)
                .map(|k| Bin {
                    low: 2.0 * f64::from(k),
                    high: 2.0 * f64::from(k + 1),
                    value: 0.01,
                    highlight: 0.0,
                })
                .collect(),
            bar_labels: ("waited".into(), String::new()),
            cumulative: Some(Cumulative { label: "within x".into(), y_title: "share".into(), points }),
            x_max: Some(120.0),
            markers: Vec::new(),
            curves: Vec::new(),
            note: None,
            empty_note: "none".into(),
        },
    );
    let (_, layout) = chart.svg_and_layout().unwrap();
    let plot = layout.plots[0];
    write_charts(&[chart], &dir, ccsim::report::chart::ChartFormat::Png).unwrap();
    let png = Pixels::read(&dir.join("rising.png"));
    // Per column of the plot, the topmost pixel of the curve's colour (black).
    let top = |x: usize| png.top(x, plot.y0.max(0) as usize..plot.y1 as usize, [0, 0, 0]);
    let tops: Vec<(usize, usize)> =
        (plot.x0 as usize + 4..plot.x1 as usize - 4).filter_map(|x| top(x).map(|y| (x, y))).collect();
    assert!(tops.len() > 500, "the curve is drawn across the plot: {} columns", tops.len());
    let dips: Vec<_> =
        tops.windows(2).filter(|w| w[1].1 > w[0].1).map(|w| (w[1].0, w[0].1, w[1].1)).collect();
    assert!(dips.is_empty(), "the line's top edge drops (column, row before, row): {dips:?}");
}

/// The staffing chart of a run with chats and emails counts the agents taking contacts; a
/// voice-only run's, calls.
#[test]
fn the_staffing_chart_of_chats_and_emails_counts_contacts() {
    let texts = |file: &str| {
        let out =
            ccsim().args(["staff", file, "-q", "--method", "erlang-a", "--format", "json"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report: ccsim::staffing::StaffingReport = serde_json::from_slice(&out.stdout).unwrap();
        crate::util::svg_texts(&ccsim::report::chart::staffing::staffing_chart(&report).to_svg().unwrap())
    };
    let omni = texts("scenarios/omnichannel.toml");
    assert!(
        omni.iter().any(|t| t == "agents taking contacts") && !omni.iter().any(|t| t.contains("calls")),
        "{omni:?}"
    );
    assert!(texts("scenarios/retail-bank.toml").iter().any(|t| t == "agents taking calls"));
}

/// Two days of a 24-hour grid open 08:00-20:00, with a plan and shift templates: the night is
/// closed.
const NIGHT_CLOSED: &str = r#"
name = "Closed at night"
start = "00:00"
interval = "1h"
days = 2
[service_level]
target = "20s"
goal = 0.80
[simulation]
replications = 2
seed = 1
[[call_types]]
name = "hotline"
open = "08:00-20:00"
volumes = [0,0,0,0,0,0,0,0, 100,150,200,180,160,150,140,130,120,110,100,90, 0,0,0,0]
handle_time = { distribution = "lognormal", mean = "4m", cv = 0.9 }
patience = { distribution = "exponential", mean = "3m" }
[[agent_groups]]
name = "agents"
skills = ["hotline"]
[[shifts]]
group = "agents"
start = "08:00"
end = "20:00"
agents = 10
[[shift_templates]]
group = "agents"
earliest_start = "08:00"
latest_start = "12:00"
step = "1h"
lengths = ["8h"]
cost_per_hour = 30.0
"#;

/// The x of the first tick label `label` and the x of every point of the polylines stroked in
/// `stroke` (an SVG colour such as `#3C3C3C`) of `svg`, legend swatches aside.
fn tick_and_line_xs(svg: &str, label: &str, stroke: &str) -> (f64, Vec<f64>) {
    let attr = |part: &str, name: &str| -> Option<String> {
        let at = part.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(part[at..at + part[at..].find('"')?].to_string())
    };
    let tick = svg
        .split("<text")
        .find(|p| p.split('>').nth(1).is_some_and(|t| t.trim().starts_with(label)))
        .and_then(|p| attr(p, "x"))
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("no tick {label}"));
    let xs = svg
        .split("<polyline")
        .skip(1)
        .filter(|p| attr(p, "stroke").as_deref() == Some(stroke))
        .map(|p| {
            attr(p, "points")
                .unwrap_or_default()
                .split_whitespace()
                .filter_map(|xy| xy.split(',').next()?.parse::<f64>().ok())
                .collect::<Vec<_>>()
        })
        // A legend swatch is a line of two points.
        .filter(|xs| xs.len() > 2)
        .flatten()
        .collect();
    (tick, xs)
}

/// The coverage chart says where its requirement came from, and for one a simulation search
/// found, the replications and seed it depends on.
#[test]
fn the_coverage_chart_names_its_requirement_and_a_simulated_ones_seed() {
    let subtitle = |name: &str, extra: &[&str]| {
        let dir = out_dir(name);
        let out = ccsim()
            .args(["schedule", "scenarios/retail-bank.toml", "-q", "-r", "2", "--seed", "5"])
            .args(extra)
            .args(["--chart-format", "svg", "--charts"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let svg = std::fs::read_to_string(dir.join("coverage.svg")).unwrap();
        let texts = crate::util::svg_texts(&svg);
        texts
            .into_iter()
            .find(|t| t.starts_with("requirement: "))
            .unwrap_or_else(|| panic!("no subtitle: {svg}"))
    };
    assert_eq!(
        subtitle("coverage-simulated", &[]),
        "requirement: ccsim staff --method simulation (raised for 30.0% shrinkage) · 2 replications · seed 5"
    );
    assert_eq!(
        subtitle("coverage-erlang-c", &["--method", "erlang-c"]),
        "requirement: ccsim staff --method erlang-c (raised for 30.0% shrinkage)"
    );
}

/// Closed hours are closed in the staffing and coverage charts, as on the staffing heat map
/// (blank: closed): nobody required and nobody on duty leaves a gap, named in the legend,
/// where the lines once ran along zero through the night, as if the night were staffed to a
/// requirement of zero.
#[test]
fn staffing_and_coverage_lines_leave_the_closed_night_out() {
    let scenario = crate::util::fresh_path("charts", "night-closed.toml");
    std::fs::write(&scenario, NIGHT_CLOSED).unwrap();
    let scenario = scenario.to_str().unwrap();
    let staff = out_dir("night-closed-staff");
    let out = ccsim()
        .args(["staff", scenario, "-q", "--method", "erlang-a", "--chart-format", "svg", "--charts"])
        .arg(&staff)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let schedule = out_dir("night-closed-schedule");
    let out = ccsim()
        .args(["schedule", scenario, "-q", "--chart-format", "svg", "--charts"])
        .arg(&schedule)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (svg, stroke) in [(staff.join("staffing.svg"), "#3C3C3C"), (schedule.join("coverage.svg"), "#0072B2")]
    {
        let svg = std::fs::read_to_string(&svg).unwrap();
        let texts = crate::util::svg_texts(&svg);
        assert!(texts.iter().any(|t| t == "gaps: closed (nobody required or on duty)"), "{texts:?}");
        // The on-duty line starts at opening, 08:00 of day 1, five hours after the 03:00 tick
        // (ticks every three hours).
        let (three, xs) = tick_and_line_xs(&svg, "03:00", stroke);
        let (six, _) = tick_and_line_xs(&svg, "06:00", stroke);
        let opening = three + 5.0 * (six - three) / 3.0;
        let first = xs.iter().copied().fold(f64::INFINITY, f64::min);
        assert!((first - opening).abs() <= 2.0, "the line starts at x {first}, opening is at {opening}");
    }
}

/// One replication gives no confidence interval: nothing is shaded, and the legend of the
/// service-level and comparison charts no longer names a shading that is not drawn.
#[test]
fn one_replication_names_no_confidence_shading() {
    let words = |args: &[&str], name: &str, chart: &str| {
        let dir = out_dir(name);
        let out =
            ccsim().args(args).args(["-q", "--chart-format", "svg", "--charts"]).arg(&dir).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        crate::util::svg_texts(&std::fs::read_to_string(dir.join(chart)).unwrap()).join(" | ")
    };
    let shaded = "shaded: 95% confidence interval";
    for r in ["1", "2"] {
        let simulate =
            words(&["simulate", "scenarios/retail-bank.toml", "-r", r], "ci-simulate", "service_level.svg");
        let compare = words(
            &[
                "compare",
                "scenarios/retail-bank.toml",
                "--plan",
                "scenario",
                "--plan",
                "scenarios/plans/retail-bank-lean.toml",
                "-r",
                r,
            ],
            "ci-compare",
            "compare.svg",
        );
        for text in [simulate, compare] {
            assert_eq!(text.contains(shaded), r == "2", "{r} replications: {text}");
        }
    }
}

/// The email wait chart of the shipped omnichannel week: the 12 h target sits near the right
/// edge with the 90th percentile (10.5 h) close on its left, so the target's label fits on
/// neither side of its own line without crossing the percentile's. Its box, read from the SVG
/// (the white box drawn before the label's text), leaves the percentile's dashed line clear.
#[test]
fn the_email_wait_charts_target_label_leaves_the_p90_line_clear() {
    let dir = out_dir("email-wait-labels");
    ccsim()
        .args(["simulate", "scenarios/omnichannel.toml", "-q", "--chart-format", "svg", "--charts"])
        .arg(&dir)
        .assert()
        .success();
    let svg = std::fs::read_to_string(dir.join("wait_distribution_email.svg")).unwrap();
    let number = |tag: &str, name: &str| -> f64 {
        let from =
            tag.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("{name} in {tag}")) + name.len() + 3;
        tag[from..].split('"').next().unwrap().parse().unwrap()
    };
    // The p90 marker's colour (Okabe & Ito's reddish purple): its dashes are vertical segments.
    let p90_lines: Vec<f64> = svg
        .split("<polyline ")
        .skip(1)
        .filter(|p| p.contains("stroke=\"#CC79A7\""))
        .filter_map(|p| {
            let points = p.split("points=\"").nth(1)?.split('"').next()?;
            let xs: Vec<&str> = points.split_whitespace().filter_map(|xy| xy.split(',').next()).collect();
            (xs.len() == 2 && xs[0] == xs[1]).then(|| xs[0].parse().unwrap())
        })
        .collect();
    assert!(!p90_lines.is_empty(), "the chart draws the p90 line");
    let boxes: Vec<(f64, f64, &str)> = svg
        .split("<rect ")
        .skip(1)
        .filter_map(|r| {
            let text = r.split("<text").nth(1)?.split('>').nth(1)?.trim();
            let tag = format!(" {}", r.split('>').next()?);
            Some((number(&tag, "x"), number(&tag, "width"), text))
        })
        .collect();
    let (x, width, _) = *boxes
        .iter()
        .find(|(.., text)| text.starts_with("target 12h"))
        .unwrap_or_else(|| panic!("{boxes:?}"));
    for line in &p90_lines {
        assert!(
            !(x..=x + width).contains(line),
            "the target's label box {x}..{} covers the p90 line at {line}",
            x + width
        );
    }
}

/// Charts of plans simulated net of shrinkage say so under their title, as the tables do:
/// their service levels, and the agents on duty drawn, are those of the plan less its
/// shrinkage, and a picture pasted on its own would read them as the plan's.
#[test]
fn charts_of_a_run_net_of_shrinkage_say_so() {
    let subtitles = |name: &str, args: &[&str]| {
        let dir = empty_dir("charts", name);
        ccsim()
            .args(args)
            .args(["-q", "-r", "2", "--chart-format", "svg", "--charts"])
            .arg(&dir)
            .assert()
            .success();
        let mut subtitles: Vec<(String, String)> = Vec::new();
        for file in std::fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            let texts = crate::util::svg_texts(&std::fs::read_to_string(&path).unwrap());
            let seed = texts.into_iter().find(|t| t.ends_with(" · seed 42")).unwrap_or_default();
            subtitles.push((path.file_name().unwrap().to_string_lossy().into_owned(), seed));
        }
        assert!(subtitles.len() >= 2, "{subtitles:?}");
        subtitles
    };
    let said = "up to 30.0% of paid hours off the phones (shrinkage) · seed 42";
    let simulate = ["simulate", "scenarios/retail-bank.toml"];
    let compare = ["compare", "scenarios/retail-bank.toml", "--plan", "scenario", "--plan"];
    let compare = [&compare[..], &["scenarios/plans/retail-bank-late.toml"]].concat();
    for (name, args) in [("net-simulate", &simulate[..]), ("net-compare", &compare[..])] {
        let net = subtitles(name, &[args, &["--apply-shrinkage"]].concat());
        assert!(net.iter().all(|(_, s)| s.ends_with(said)), "{net:?}");
        let gross = subtitles(&format!("{name}-gross"), args);
        assert!(gross.iter().all(|(_, s)| !s.is_empty() && !s.contains("shrinkage")), "{gross:?}");
    }
}

/// The comparison report of plans simulated net of shrinkage says so in its header, as the
/// simulation report does: its figures are those of the agents left on the phones.
#[test]
fn the_comparison_report_of_a_run_net_of_shrinkage_says_so() {
    let dir = empty_dir("charts", "net-compare-report");
    let report = |name: &str, extra: &[&str]| {
        let file = dir.join(name);
        let compare = [&crate::util::BANK_LATE_COMPARISON[..], &["-q", "-r", "2"]].concat();
        ccsim().args(compare).args(extra).arg("--report").arg(&file).assert().success();
        std::fs::read_to_string(file).unwrap()
    };
    let net = report("net.html", &["--apply-shrinkage"]);
    assert!(net.contains("30.0% of paid hours simulated off the phones, in every plan"), "{net}");
    assert!(!report("gross.html", &[]).contains("off the phones"));
}

/// The coverage chart counts paid agents, the requirement raised for shrinkage: its subtitle
/// states the shrinkage, as the table's `Requirement:` line does, so a requirement of 25 paid
/// agents is not read as 25 on the phones. A scenario without shrinkage says 0.0%.
#[test]
fn the_coverage_chart_states_the_shrinkage_its_requirement_was_raised_for() {
    let subtitle = |name: &str, toml: &str| {
        let scenario = crate::util::fresh_path("charts", &format!("{name}.toml"));
        std::fs::write(&scenario, toml).unwrap();
        let dir = out_dir(name);
        let out = ccsim()
            .arg("schedule")
            .arg(&scenario)
            .args(["-q", "-r", "2", "--method", "erlang-c", "--chart-format", "svg", "--charts"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let texts = crate::util::svg_texts(&std::fs::read_to_string(dir.join("coverage.svg")).unwrap());
        texts.into_iter().find(|t| t.starts_with("requirement: ")).unwrap()
    };
    let bank = std::fs::read_to_string("scenarios/retail-bank.toml").unwrap();
    assert!(bank.contains("shrinkage = 0.30"), "the bank's shrinkage moved");
    assert!(subtitle("coverage-shrinkage", &bank).ends_with("(raised for 30.0% shrinkage)"));
    let none = bank.replace("shrinkage = 0.30", "shrinkage = 0.0");
    assert!(subtitle("coverage-no-shrinkage", &none).ends_with("(raised for 0.0% shrinkage)"));
}

/// An email desk: one email call type, judged against its 4-hour target.
const EMAIL_ONLY: &str = r#"
name = "Email desk"
start = "08:00"
interval = "1h"
days = 2
[service_level]
target = "20s"
goal = 0.80
[service_level.email]
target = "4h"
goal = 0.90
[[call_types]]
name = "email"
channel = "email"
initial_backlog = 20
volumes = [10, 12, 14, 12, 10, 8, 8, 6, 6, 5]
handle_time = { distribution = "lognormal", mean = "8m", cv = 0.9 }
[[agent_groups]]
name = "desk"
skills = ["email"]
[[shifts]]
group = "desk"
start = "08:00"
end = "18:00"
agents = 2
"#;

/// The text of every chart an email desk's `simulate` draws (as SVG), by file stem, and its
/// report.
fn email_desk_charts(name: &str, extra: &[&str]) -> (std::collections::HashMap<String, String>, PathBuf) {
    let scenario = crate::util::fresh_path("charts", &format!("{name}.toml"));
    std::fs::write(&scenario, EMAIL_ONLY).unwrap();
    let dir = out_dir(name);
    let out = ccsim()
        .arg("simulate")
        .arg(&scenario)
        .args(["-q", "-r", "2", "--seed", "3", "--chart-format", "svg", "--charts"])
        .arg(&dir)
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let texts = crate::util::file_names(&dir)
        .into_iter()
        .filter_map(|f| {
            let stem = f.strip_suffix(".svg")?.to_string();
            let svg = std::fs::read_to_string(dir.join(&f)).unwrap();
            Some((stem, crate::util::svg_texts(&svg).join("\n")))
        })
        .collect();
    (texts, dir)
}

/// A target of hours is written in hours on the service-level chart's axis, as its tables and
/// goal lines write it (`within 4h`), not in seconds (`within 14400 s`, on an email desk); a
/// phone target stays in seconds (`within 20 s`).
#[test]
fn the_service_level_axis_writes_a_target_of_hours_in_hours() {
    let (charts, _) = email_desk_charts("email-desk-target", &[]);
    let sl = &charts["service_level"];
    assert!(sl.contains("service level (% of offered contacts answered within 4h)"), "{sl}");
    assert!(!sl.contains("14400"), "{sl}");
    let dir = out_dir("single-queue-target");
    ccsim()
        .args([
            "simulate",
            "scenarios/single-queue.toml",
            "-q",
            "-r",
            "2",
            "--chart-format",
            "svg",
            "--charts",
        ])
        .arg(&dir)
        .assert()
        .success();
    let text = crate::util::svg_texts(&std::fs::read_to_string(dir.join("service_level.svg")).unwrap());
    assert!(text.iter().any(|t| t == "service level (% of offered calls answered within 20 s)"), "{text:?}");
}

/// A run whose contacts are all emails (or chats) names the wait chart of every call type
/// together as its tables name that row, `all contacts`, and the report's captions count
/// contacts, as its charts do; on the omnichannel week they said `all calls` and `Offered
/// calls per interval` beside charts of contacts.
#[test]
fn an_email_desks_wait_chart_and_report_captions_count_contacts() {
    let report = crate::util::fresh_path("charts", "email-desk-report.html");
    let (charts, _) = email_desk_charts("email-desk-contacts", &["--report", report.to_str().unwrap()]);
    let wait = &charts["wait_distribution"];
    assert!(wait.contains("Email desk: wait before answer, all contacts"), "{wait}");
    assert!(!wait.contains("calls"), "{wait}");
    let html = std::fs::read_to_string(&report).unwrap();
    let (doc, _) = crate::util::parse_html(&html);
    let captions: Vec<String> =
        crate::util::elements(&doc, "figcaption").iter().map(crate::util::text_of).collect();
    assert!(captions.iter().any(|c| c.starts_with("Wait before answer, all contacts:")), "{captions:?}");
    assert!(captions.iter().any(|c| c.starts_with("Offered contacts per interval")), "{captions:?}");
    assert!(!captions.iter().any(|c| c.contains("calls")), "{captions:?}");
}

/// The sweep chart's note states the seed its cells were simulated on, beside their
/// replications, as every other chart of simulated runs does, and a target of hours in hours
/// (`within 4h`, once `within 14400 s`).
#[test]
fn the_sweep_chart_states_its_seed_and_a_target_of_hours_in_hours() {
    let note = |name: &str, scenario: &Path| {
        let dir = out_dir(name);
        let out = ccsim()
            .arg("sweep")
            .arg(scenario)
            .args(["-q", "-r", "2", "--seed", "5", "--vary", "volume=0.9,1.1", "--chart-format", "svg"])
            .arg("--charts")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let texts = crate::util::svg_texts(&std::fs::read_to_string(dir.join("sweep.svg")).unwrap());
        texts.join(" ")
    };
    let voice = note("sweep-seed", Path::new("scenarios/single-queue.toml"));
    assert!(voice.contains("answered within 20 s / offered"), "{voice}");
    assert!(voice.contains("over 2 replications, seed 5;"), "{voice}");
    let scenario = crate::util::fresh_path("charts", "sweep-email-desk.toml");
    std::fs::write(&scenario, EMAIL_ONLY).unwrap();
    let email = note("sweep-email", &scenario);
    assert!(email.contains("answered within 4h / offered"), "{email}");
    assert!(!email.contains("14400"), "{email}");
}

/// `staffing.png` of an email desk draws no Erlang C line: Erlang C counts no email, and its
/// line along zero read as a formula that needs nobody. A center with calls keeps it.
#[test]
fn the_staffing_chart_of_an_email_desk_draws_no_erlang_c_line() {
    let legend = |name: &str, scenario: &Path| {
        let dir = out_dir(name);
        let out = ccsim()
            .arg("staff")
            .arg(scenario)
            .args(["-q", "-r", "2", "--method", "simulation", "--chart-format", "svg", "--charts"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        crate::util::svg_texts(&std::fs::read_to_string(dir.join("staffing.svg")).unwrap())
    };
    let desk = crate::util::fresh_path("charts", "email-desk-staff.toml");
    std::fs::write(&desk, EMAIL_ONLY).unwrap();
    let texts = legend("email-desk-staff", &desk);
    assert!(texts.iter().any(|t| t == "required, simulation"), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("Erlang C")), "{texts:?}");
    let texts = legend("single-queue-staff", Path::new("scenarios/single-queue.toml"));
    assert!(texts.iter().any(|t| t == "required, Erlang C"), "{texts:?}");
}
