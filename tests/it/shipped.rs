//! Every shipped scenario, end to end through the binary: it simulates with every contact
//! accounted for, the same seed gives the same bytes whatever the thread count, its charts
//! are real images, `ccsim chart` re-draws them identically from the saved output, the table
//! fits 100 columns, and the HTML report is written. The folder is listed, so a new scenario
//! is covered automatically.

use std::path::{Path, PathBuf};

use crate::charts::assert_pngs_ok;
use crate::util::ccsim;

/// Few replications: these tests check plumbing and determinism, not statistics.
const REPS: &str = "3";

fn scenarios() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("scenarios")
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "expected the four shipped scenarios, found {files:?}");
    files
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

fn tmp(name: &str) -> PathBuf {
    crate::util::fresh_path("shipped", name)
}

fn json(scenario: &Path, extra: &[&str]) -> Vec<u8> {
    let out = ccsim()
        .arg("simulate")
        .arg(scenario)
        .args(["-q", "-r", REPS, "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}: {}", scenario.display(), String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn every_contact_of_every_replication_is_accounted_for() {
    for path in scenarios() {
        let scenario = ccsim::scenario::load(&path).unwrap().scenario;
        for r in 0..3 {
            let counts = ccsim::sim::run(&scenario, scenario.simulation.seed, r, &mut ccsim::sim::NoTrace);
            assert!(counts.overall().offered_total() > 0, "{}: no calls", path.display());
            for cell in &counts.cells {
                assert!(ccsim::sim::balances(cell), "{} replication {r}: {cell:?}", path.display());
            }
        }
    }
}

#[test]
fn same_seed_same_bytes_whatever_the_thread_count_and_another_seed_differs() {
    for path in scenarios() {
        let one = json(&path, &["--threads", "1"]);
        let two = json(&path, &["--threads", "2"]);
        assert!(one == two, "{}: --threads 1 and 2 differ", path.display());
        assert!(json(&path, &["--threads", "2"]) == two, "{}: two runs differ", path.display());
        assert!(
            json(&path, &["--seed", "987654321"]) != two,
            "{}: another seed, same output",
            path.display()
        );
    }
}

#[test]
fn charts_are_real_images_and_redraw_identically_from_the_saved_output() {
    for path in scenarios() {
        let name = stem(&path);
        let (out, charts, redrawn) =
            (tmp(&format!("{name}-out")), tmp(&format!("{name}-charts")), tmp(&format!("{name}-redrawn")));
        let report = tmp(&format!("{name}-report")).with_extension("html");
        ccsim()
            .arg("simulate")
            .arg(&path)
            .args(["-q", "-r", REPS, "--out"])
            .arg(&out)
            .arg("--charts")
            .arg(&charts)
            .arg("--report")
            .arg(&report)
            .assert()
            .success();
        let summary: ccsim::summary::Summary =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
        let mut names: Vec<String> = vec!["wait_distribution.png".into()];
        names.extend(
            summary
                .call_types
                .iter()
                .map(|c| format!("wait_distribution_{}.png", ccsim::report::chart::file_safe(&c.name))),
        );
        names.extend(["service_level.png", "volume.png", "occupancy.png"].map(String::from));
        assert_pngs_ok(&charts, &names);
        ccsim().arg("chart").arg(&out).arg("--charts").arg(&redrawn).assert().success();
        // `ccsim chart` has only the summary: weekday names (`first_weekday`) and the
        // occupancy cap (`max_occupancy`) come from the scenario, so the by-interval charts of
        // a scenario that sets them are drawn without them; the wait charts match.
        let context_free = |n: &String| n.starts_with("wait_distribution");
        for n in names.iter().filter(|n| context_free(n)) {
            let (a, b) = (std::fs::read(charts.join(n)).unwrap(), std::fs::read(redrawn.join(n)).unwrap());
            assert!(a == b, "{name}: {n} differs when re-drawn from the saved output");
        }
        let html = std::fs::read_to_string(&report).unwrap();
        assert!(html.matches("<svg").count() >= names.len(), "{name}: the report lacks inline charts");
        for file in ["intervals.csv", "wait_distribution.csv"] {
            assert!(out.join(file).exists(), "{name}: {file} missing");
        }
    }
}

#[test]
fn the_terminal_table_fits_100_columns() {
    for path in scenarios() {
        let out = ccsim().arg("simulate").arg(&path).args(["-q", "-r", REPS]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        for line in text.lines() {
            assert!(
                line.chars().count() <= 100,
                "{}: {} columns: {line}",
                path.display(),
                line.chars().count()
            );
        }
        assert!(!text.contains('\u{1b}'), "{}: colour codes in a pipe", path.display());
    }
}

/// Simulates `toml` (written to a file) with charts and a report, and checks every chart.
fn charts_of(name: &str, toml: &str, call_types: &[&str]) {
    let dir = tmp(&format!("edge-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("scenario.toml");
    std::fs::write(&file, toml).unwrap();
    let charts = dir.join("charts");
    ccsim()
        .arg("simulate")
        .arg(&file)
        .args(["-q", "-r", REPS, "--charts"])
        .arg(&charts)
        .arg("--report")
        .arg(dir.join("report.html"))
        .assert()
        .success();
    let mut names: Vec<String> = vec!["wait_distribution.png".into()];
    names.extend(call_types.iter().map(|c| format!("wait_distribution_{c}.png")));
    names.extend(["service_level.png", "volume.png", "occupancy.png"].map(String::from));
    assert_pngs_ok(&charts, &names);
}

#[test]
fn edge_case_scenarios_still_simulate_and_chart() {
    let head = "start = \"08:00\"\ninterval = \"1h\"\n[service_level]\ntarget = \"20s\"\ngoal = 0.8\n";
    let call = |name: &str, volumes: &str| {
        format!(
            "[[call_types]]\nname = \"{name}\"\nvolumes = {volumes}\n\
             handle_time = {{ distribution = \"exponential\", mean = \"3m\" }}\n\
             patience = {{ distribution = \"exponential\", mean = \"2m\" }}\n"
        )
    };
    // One interval only.
    charts_of(
        "single-interval",
        &format!(
            "name = \"one hour\"\n{head}{}[[agent_groups]]\nname = \"a\"\nskills = [\"calls\"]\nstaffing = [5]\n",
            call("calls", "[60]")
        ),
        &["calls"],
    );
    // A call type that receives no calls, and an interval with no agent on duty.
    charts_of(
        "quiet-type-empty-interval",
        &format!(
            "name = \"gaps\"\n{head}{}{}[[agent_groups]]\nname = \"a\"\nskills = [\"calls\", \"fax\"]\n\
             staffing = [5, 0, 5]\n",
            call("calls", "[60, 60, 60]"),
            call("fax", "[0, 0, 0]")
        ),
        &["calls", "fax"],
    );
}
