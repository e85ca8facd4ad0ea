//! What commands write: output paths checked before a run, output sets written whole (never
//! two runs' files mixed, no temporary files left, even on Ctrl-C), the CSV rows and number
//! format, the JSON detail flag, and the engine's balance check.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::util::ccsim;

const SCENARIO: &str = "scenarios/single-queue.toml";

fn tmp(name: &str) -> PathBuf {
    crate::util::empty_dir("outputs", name)
}

fn names(dir: &Path) -> Vec<String> {
    crate::util::file_names(dir)
}

#[test]
fn an_unwritable_output_path_fails_before_simulating_with_exit_2_naming_the_flag() {
    let dir = tmp("unwritable");
    let file = dir.join("a-file");
    std::fs::write(&file, "").unwrap();
    let blocked = file.join("sub");
    // A million replications would take minutes: the check has to come before them.
    for (flag, path) in [
        ("--out", blocked.clone()),
        ("--charts", blocked.clone()),
        ("--report", blocked.join("r.html")),
        ("--trace", blocked.join("t.csv")),
    ] {
        let started = Instant::now();
        let out = ccsim()
            .args(["simulate", SCENARIO, "-q", "-r", "1000000", flag])
            .arg(&path)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag}: {stderr}");
        assert!(stderr.contains(flag) && stderr.contains(&path.display().to_string()), "{stderr}");
        assert!(out.stdout.is_empty());
        assert!(started.elapsed() < Duration::from_secs(30));
    }
    for args in [
        vec!["staff", SCENARIO, "-q", "--method", "erlang-c", "--out"],
        vec!["compare", "scenarios/retail-bank.toml", "--plan", "scenario", "-q", "--charts"],
    ] {
        let out = ccsim().args(&args).arg(&blocked).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // A directory flag opened before a later flag's bad path leaves no directory behind.
    let created = dir.join("new").join("out");
    let out = ccsim()
        .args(["simulate", SCENARIO, "-q", "-r", "2", "--out"])
        .arg(&created)
        .arg("--report")
        .arg(blocked.join("r.html"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(names(&dir), ["a-file"], "the --out directory was left behind");
}

/// A directory in an output directory, under the name of one of the files the command writes
/// there, is refused before any work (exit 2, naming the flag and the path), and none of the
/// set's other files is written: the rename at the end of the run would fail on it, leaving
/// the set half-moved.
#[test]
fn an_output_file_name_taken_by_a_directory_is_refused_before_the_run_and_nothing_is_written() {
    let dir = tmp("taken-by-directory");
    let cases: [(&[&str], &str, &str); 5] = [
        (&["sweep", SCENARIO, "-q", "--vary", "volume=1", "-r", "2", "--out"], "sweep", "sweep.json"),
        (&["simulate", SCENARIO, "-q", "-r", "2", "--out"], "simulate", "intervals.csv"),
        (&["staff", SCENARIO, "-q", "--method", "erlang-c", "--out"], "staff", "staffing.csv"),
        (&["simulate", SCENARIO, "-q", "-r", "2", "--charts"], "charts", "volume.png"),
        (&["fit", "scenarios/data/retail-bank-calls.csv", "--out"], "fit", "x-observed.csv"),
    ];
    for (args, sub, taken) in cases {
        let out_dir = dir.join(sub);
        std::fs::create_dir_all(out_dir.join(taken)).unwrap();
        let target = if sub == "fit" { out_dir.join("x.toml") } else { out_dir.clone() };
        let out = ccsim().args(args).arg(&target).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let flag = args.last().unwrap();
        assert!(
            stderr.contains(&format!("{flag} {}", target.display()))
                && stderr.contains(&out_dir.join(taken).display().to_string())
                && stderr.contains("is a directory"),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?}: the run went ahead");
        assert_eq!(names(&out_dir), [taken], "{args:?}: part of the set was written");
    }
}

/// `-` is one rule for every output flag: refused (exit 2, naming the flag), never taken for
/// stdout, which carries the report, nor made into a file or directory named `-`.
#[test]
fn a_dash_as_an_output_path_is_refused_by_every_output_flag() {
    let dir = tmp("dash");
    let root = std::env::current_dir().unwrap();
    let scenario = root.join(SCENARIO);
    let log = root.join("scenarios/data/retail-bank-calls.csv");
    let bank = root.join("scenarios/retail-bank.toml");
    let cases: [(&Path, &[&str]); 8] = [
        (&log, &["fit", "--forecast-csv"]),
        (&log, &["fit", "--out"]),
        (&log, &["fit", "--report"]),
        (&scenario, &["simulate", "-q", "-r", "1", "--out"]),
        (&scenario, &["simulate", "-q", "-r", "1", "--trace"]),
        (&scenario, &["simulate", "-q", "-r", "1", "--charts"]),
        (&bank, &["schedule", "-q", "--out"]),
        (&bank, &["schedule", "-q", "--write-lp"]),
    ];
    for (input, args) in cases {
        let out =
            ccsim().current_dir(&dir).arg(args[0]).arg(input).args(&args[1..]).arg("-").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let flag = args.last().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(&format!("{flag} -: `-` does not stand for stdout")), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(names(&dir).is_empty(), "{args:?} wrote {:?}", names(&dir));
    }
}

/// An output that would replace one of the command's own inputs, or another of its outputs,
/// is refused before any work, naming both flags: the rename that ends the run would
/// otherwise destroy the earlier file without a word. The inputs are left as they were and
/// nothing is written.
#[test]
fn an_output_that_would_replace_an_input_or_another_output_is_refused_naming_both() {
    let dir = tmp("overlaps");
    let scenario = dir.join("sq.toml");
    let log = dir.join("log.csv");
    std::fs::copy(SCENARIO, &scenario).unwrap();
    std::fs::copy("scenarios/data/retail-bank-calls.csv", &log).unwrap();
    let before = |p: &Path| std::fs::read(p).unwrap();
    let (scenario_bytes, log_bytes) = (before(&scenario), before(&log));
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let (sq, lg) = (p("sq.toml"), p("log.csv"));
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["fit".into(), lg.clone(), "--out".into(), lg.clone()], "--out"),
        (vec!["fit".into(), lg.clone(), "--forecast-csv".into(), lg.clone()], "--forecast-csv"),
        (vec!["simulate".into(), sq.clone(), "--trace".into(), sq.clone()], "--trace"),
        (vec!["simulate".into(), sq.clone(), "--report".into(), p("./sq.toml")], "--report"),
        (vec!["staff".into(), sq.clone(), "--report".into(), sq.clone()], "--report"),
        (
            vec![
                "schedule".into(),
                "scenarios/retail-bank.toml".into(),
                "--out".into(),
                p("x.toml"),
                "--write-lp".into(),
                p("x.toml"),
            ],
            "--out",
        ),
        (
            vec!["fit".into(), lg.clone(), "--out".into(), p("o.toml"), "--forecast-csv".into(), p("o.toml")],
            "--out",
        ),
        (
            vec![
                "fit".into(),
                lg.clone(),
                "--out".into(),
                p("o.toml"),
                "--report".into(),
                p("o-observed.csv"),
            ],
            "its observations",
        ),
        (
            vec![
                "simulate".into(),
                sq.clone(),
                "--out".into(),
                p("run"),
                "--report".into(),
                p("run/summary.json"),
            ],
            "--out",
        ),
        (
            vec![
                "compare".into(),
                sq.clone(),
                "--plan".into(),
                "scenarios/plans/retail-bank-late.toml".into(),
                "--report".into(),
                sq.clone(),
            ],
            "--report",
        ),
    ];
    for (args, other) in &cases {
        let out = ccsim().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let names_both = stderr.contains("would replace") || stderr.contains("writes the same file");
        assert!(names_both && stderr.contains(other), "{args:?}: {stderr}");
    }
    assert_eq!(before(&scenario), scenario_bytes, "the scenario was replaced");
    assert_eq!(before(&log), log_bytes, "the call log was replaced");
    assert_eq!(names(&dir), ["log.csv", "sq.toml"], "something was written");
    // `fit --out` writes two files, the scenario and its observations beside it: a device has
    // no "beside", so it is refused before anything is read or written.
    let out = ccsim().args(["fit", &lg, "--out", "/dev/null"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code() == Some(2) && stderr.contains("not a regular file"), "{stderr}");
    // Two outputs into a device are fine: /dev/null takes any number.
    let args = ["simulate", SCENARIO, "-q", "-r", "2", "--trace", "/dev/null", "--report", "/dev/null"];
    ccsim().args(args).assert().success();
}

/// The files a scenario names (a `volumes_file` forecast, an `empirical` distribution's
/// `file`) are inputs of every command that reads the scenario: an output that would replace
/// one is refused before any work, naming the output's flag and the field that reads the
/// file, and the file is left as it was.
#[test]
fn an_output_that_would_replace_a_file_the_scenario_reads_is_refused_naming_the_field() {
    let dir = tmp("scenario-inputs");
    std::fs::create_dir(dir.join("run")).unwrap();
    let forecast = "interval,a\n08:00,20\n08:30,30\n09:00,30\n09:30,20\n";
    let observed = "handle\n150\n180\n200\n";
    std::fs::write(dir.join("fc.csv"), forecast).unwrap();
    std::fs::write(dir.join("run/intervals.csv"), forecast).unwrap();
    std::fs::write(dir.join("run/sweep.csv"), forecast).unwrap();
    std::fs::write(dir.join("obs.csv"), observed).unwrap();
    std::fs::write(dir.join("plan.csv"), "group,start,end,agents\ng,08:00,10:00,5\n").unwrap();
    let scenario = |volumes: &str| {
        format!(
            "start = \"08:00\"\ninterval = \"30m\"\n[service_level]\ntarget = \"20s\"\ngoal = 0.8\n\
             [[call_types]]\nname = \"a\"\nvolumes_file = \"{volumes}\"\n\
             handle_time = {{ distribution = \"empirical\", file = \"obs.csv\", column = \"handle\" }}\n\
             [[agent_groups]]\nname = \"g\"\nskills = [\"a\"]\nstaffing = [4, 5, 5, 4]\n\
             [[shift_templates]]\ngroup = \"g\"\nearliest_start = \"08:00\"\nlatest_start = \"08:00\"\n\
             step = \"30m\"\nlengths = [\"2h\"]\ncost_per_hour = 25.0\n"
        )
    };
    std::fs::write(dir.join("fc.toml"), scenario("fc.csv")).unwrap();
    std::fs::write(dir.join("in-run.toml"), scenario("run/intervals.csv")).unwrap();
    std::fs::write(dir.join("in-sweep.toml"), scenario("run/sweep.csv")).unwrap();
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let cases: Vec<(Vec<String>, &str, &str)> = vec![
        (vec!["simulate".into(), p("fc.toml"), "--trace".into(), p("fc.csv")], "--trace", "volumes_file"),
        (
            vec!["simulate".into(), p("fc.toml"), "--trace".into(), p("obs.csv")],
            "--trace",
            "handle_time.file",
        ),
        (vec!["simulate".into(), p("in-run.toml"), "--out".into(), p("run")], "--out", "volumes_file"),
        (vec!["staff".into(), p("fc.toml"), "--report".into(), p("obs.csv")], "--report", "handle_time.file"),
        (
            vec![
                "schedule".into(),
                p("fc.toml"),
                "--method".into(),
                "erlang-c".into(),
                "--out".into(),
                p("fc.csv"),
            ],
            "--out",
            "volumes_file",
        ),
        (
            vec![
                "compare".into(),
                p("fc.toml"),
                "--plan".into(),
                p("plan.csv"),
                "--report".into(),
                p("fc.csv"),
            ],
            "--report",
            "volumes_file",
        ),
        (
            vec![
                "sweep".into(),
                p("in-sweep.toml"),
                "--vary".into(),
                "volume=1,1.1".into(),
                "--out".into(),
                p("run"),
            ],
            "--out",
            "volumes_file",
        ),
    ];
    for (args, flag, field) in &cases {
        let out = ccsim().args(args).arg("-q").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("would replace"), "{args:?}: {stderr}");
        assert!(stderr.contains(&format!("{flag} ")), "{args:?}: {stderr}");
        assert!(stderr.contains(field), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(dir.join("fc.csv")).unwrap(), forecast, "the forecast was replaced");
    assert_eq!(
        std::fs::read_to_string(dir.join("obs.csv")).unwrap(),
        observed,
        "the observations were replaced"
    );
    assert_eq!(names(&dir.join("run")), ["intervals.csv", "sweep.csv"], "something was written");
    assert_eq!(std::fs::read_to_string(dir.join("run/intervals.csv")).unwrap(), forecast);
    assert_eq!(std::fs::read_to_string(dir.join("run/sweep.csv")).unwrap(), forecast);
    // The same scenario writing elsewhere runs.
    ccsim().args(["simulate", &p("fc.toml"), "-q", "-r", "2", "--trace", &p("trace.csv")]).assert().success();
}

#[test]
fn a_new_out_set_replaces_the_old_one_whole_and_keeps_other_files() {
    let dir = tmp("replace");
    ccsim().args(["simulate", SCENARIO, "-q", "-r", "2", "--out"]).arg(&dir).assert().success();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    // Without per-interval rows this run writes no intervals.csv: the old one must not stay
    // beside the new summary.json.
    let out = ccsim()
        .args(["simulate", SCENARIO, "-q", "-r", "2", "--intervals", "none", "--out"])
        .arg(&dir)
        .assert()
        .success();
    assert_eq!(names(&dir), ["channels.csv", "notes.txt", "summary.json", "wait_distribution.csv"]);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains(&format!("wrote: {}", dir.join("summary.json").display())), "{stderr}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["intervals"], serde_json::json!([]));
    assert_eq!(summary["interval_totals"], serde_json::json!([]));
    assert_eq!(summary["agent_groups"][0]["intervals"], serde_json::json!([]));
    assert!(summary["overall"]["offered"]["mean"].as_f64().unwrap() > 0.0);
}

/// `groups.csv` holds every agent group's agents on duty and occupancy by interval, the figures
/// of `agent_groups[].intervals` in summary.json, rounded as every CSV number is.
#[test]
fn groups_csv_has_each_groups_interval_figures_of_the_summary() {
    let dir = tmp("groups");
    ccsim()
        .args(["simulate", "scenarios/retail-bank.toml", "-q", "-r", "3", "--out"])
        .arg(&dir)
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    let csv = std::fs::read_to_string(dir.join("groups.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "day,start (HH:MM),group,agents_on_duty [agents],agents_on_duty ±95% [agents],occupancy [share],occupancy ±95% [share]"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let mut k = 0;
    for g in summary["agent_groups"].as_array().unwrap() {
        for i in g["intervals"].as_array().unwrap() {
            let row = &rows[k];
            k += 1;
            assert_eq!(
                (row[0], row[1], row[2]),
                (&*i["day"].to_string(), i["start"].as_str().unwrap(), g["name"].as_str().unwrap())
            );
            let near = |cell: &str, v: &serde_json::Value, tol: f64| {
                (cell.parse::<f64>().unwrap() - v.as_f64().unwrap()).abs() <= tol
            };
            assert!(near(row[3], &i["agents_on_duty"]["mean"], 1e-4), "{row:?}");
            assert!(
                near(row[5], &i["occupancy"]["mean"], 1e-6)
                    && near(row[6], &i["occupancy"]["half_width"], 1e-6),
                "{row:?}"
            );
        }
    }
    assert_eq!(k, rows.len());
    assert_eq!(k, 2 * 24, "two groups, 24 half hours");
}

#[test]
fn stdout_json_and_csv_are_the_bytes_of_the_out_files() {
    let dir = tmp("same-bytes");
    ccsim().args(["simulate", SCENARIO, "-q", "-r", "3", "--out"]).arg(&dir).assert().success();
    let json = ccsim().args(["simulate", SCENARIO, "-q", "-r", "3", "--format", "json"]).output().unwrap();
    assert_eq!(json.stdout, std::fs::read(dir.join("summary.json")).unwrap());
    let csv = ccsim().args(["simulate", SCENARIO, "-q", "-r", "3", "--format", "csv"]).output().unwrap();
    assert_eq!(csv.stdout, std::fs::read(dir.join("intervals.csv")).unwrap());
}

/// Numbers in every CSV ccsim writes have at most six decimals: no float noise such as
/// `41.400000000000006`.
#[test]
fn csv_numbers_carry_no_float_noise() {
    let dir = tmp("noise");
    ccsim()
        .args(["simulate", "scenarios/retail-bank.toml", "-q", "-r", "5", "--out"])
        .arg(&dir)
        .assert()
        .success();
    ccsim()
        .args(["staff", "scenarios/retail-bank.toml", "-q", "-r", "4", "--method", "simulation", "--out"])
        .arg(&dir)
        .assert()
        .success();
    // Bucket bounds may need more decimals (0.01859375 s) but never more than 12 digits.
    for (file, max_decimals) in
        [("intervals.csv", 6), ("staffing.csv", 6), ("requirement.csv", 0), ("wait_distribution.csv", 12)]
    {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        for field in text.lines().skip(1).flat_map(|l| l.split(',')) {
            if let Some((_, decimals)) = field.split_once('.')
                && field.parse::<f64>().is_ok()
            {
                assert!(decimals.len() <= max_decimals, "{file}: {field}");
            }
        }
    }
}

#[test]
fn csv_format_with_no_interval_rows_is_bad_input() {
    let out = ccsim()
        .args(["simulate", SCENARIO, "-q", "-r", "2", "--format", "csv", "--intervals", "none"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--intervals none"));
}

/// Ctrl-C during a run removes the staged files and leaves the earlier set as it was.
#[test]
fn an_interrupted_run_leaves_no_temporary_files_and_the_earlier_set_whole() {
    use std::os::unix::process::CommandExt;
    let dir = tmp("interrupt");
    ccsim().args(["simulate", SCENARIO, "-q", "-r", "2", "--out"]).arg(&dir).assert().success();
    let before: Vec<Vec<u8>> = names(&dir).iter().map(|n| std::fs::read(dir.join(n)).unwrap()).collect();
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("ccsim"));
    command
        .args(["simulate", SCENARIO, "-q", "-r", "1000000", "--out"])
        .arg(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // As a terminal's Ctrl-C finds it: the tests may run as a background job of a script, whose
    // SIGINT is ignored, and ccsim leaves an ignored signal ignored.
    // SAFETY: `signal` is async-signal-safe, as a `pre_exec` closure must be.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !names(&dir).iter().any(|n| n.starts_with(".ccsim-tmp-")) {
        assert!(Instant::now() < deadline, "no staging directory appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The handler is installed when the first set is opened, before the staging directory.
    let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let code = child.wait().unwrap().code();
    assert_eq!(code, Some(130));
    assert_eq!(
        names(&dir),
        ["channels.csv", "groups.csv", "intervals.csv", "summary.json", "wait_distribution.csv"]
    );
    let after: Vec<Vec<u8>> = names(&dir).iter().map(|n| std::fs::read(dir.join(n)).unwrap()).collect();
    assert_eq!(before, after);
}

#[test]
fn a_lost_contact_is_an_internal_error_naming_its_cell() {
    let scenario = ccsim::scenario::load(Path::new("scenarios/retail-bank.toml")).unwrap().scenario;
    let mut counts = ccsim::sim::run(&scenario, 7, 0, &mut ccsim::sim::NoTrace);
    assert_eq!(ccsim::sim::check_balance(&scenario, 0, &counts), Ok(()));
    let n_types = scenario.call_types.len();
    let idx = counts.cells.iter().position(|c| c.answered > 0).unwrap();
    counts.cells[idx].answered -= 1;
    let err = ccsim::sim::check_balance(&scenario, 0, &counts).unwrap_err();
    let expected_type = &scenario.call_types[idx % n_types].name;
    assert_eq!(&err.call_type, expected_type);
    assert_eq!(err.start, scenario.grid.clock_of(idx / n_types).to_string());
    assert!(err.to_string().starts_with("internal error: replication 0, day 1"), "{err}");
    assert!(!ccsim::error::exit_code(&anyhow::Error::new(err)).eq(&2));
}

/// The interval labels of the tables (the first column of each row that names an interval).
fn interval_labels(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let is_clock = |w: &str| w.len() == 5 && w.as_bytes()[2] == b':';
            match words[..] {
                ["day", n, clock, ..] if n.parse::<usize>().is_ok() && is_clock(clock) => {
                    Some(format!("day {n} {clock}"))
                }
                [day, clock, ..] if day.len() == 3 && is_clock(clock) => Some(format!("{day} {clock}")),
                _ => None,
            }
        })
        .collect()
}

#[test]
fn tables_name_days_by_weekday_when_the_scenario_gives_the_first_one() {
    const WEEK: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let dir = tmp("weekdays");
    std::fs::copy("scenarios/retail-bank-week-forecast.csv", dir.join("retail-bank-week-forecast.csv"))
        .unwrap();
    let text = std::fs::read_to_string("scenarios/retail-bank-week.toml").unwrap();
    let numbered = text.lines().filter(|l| !l.starts_with("first_weekday")).collect::<Vec<_>>().join("\n");
    let wednesday = text.replace("first_weekday = \"monday\"", "first_weekday = \"Wednesday\"");
    assert_ne!(wednesday, text);
    std::fs::write(dir.join("numbered.toml"), numbered).unwrap();
    std::fs::write(dir.join("wednesday.toml"), wednesday).unwrap();
    let run = |file: &str, args: &[&str]| {
        // The formulas of `staff --method erlang-a` simulate nothing, and take no -r.
        let flags: &[&str] = if args[0] == "staff" { &["-q"] } else { &["-q", "-r", "4"] };
        let out = ccsim().args(args).arg(dir.join(file)).args(flags).output().unwrap();
        assert!(out.status.success(), "{args:?} {file}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    for command in [&["simulate"][..], &["staff", "--method", "erlang-a"][..], &["schedule"][..]] {
        let by_number = interval_labels(&run("numbered.toml", command));
        let by_weekday = interval_labels(&run("wednesday.toml", command));
        assert!(by_number.len() >= 5, "{command:?}: {by_number:?}");
        assert_eq!(by_number.len(), by_weekday.len(), "{command:?}");
        // Same seed, same rows: `day N HH:MM` becomes the weekday of day N, counted from a
        // Wednesday.
        for (n, w) in by_number.iter().zip(&by_weekday) {
            let (day, clock) = n.strip_prefix("day ").and_then(|r| r.split_once(' ')).expect(n);
            let day: usize = day.parse().unwrap();
            assert_eq!(*w, format!("{} {clock}", WEEK[(2 + day - 1) % 7]), "{command:?}");
        }
    }
    // compare lists its intervals below the goal in running text, wrapped: read it word by word.
    let below_goal = |file: &str| {
        let text = run(file, &["compare", "--plan", "scenarios/plans/retail-bank-late.toml"]);
        let list = &text[text.find("Intervals below the goal").expect(&text)..];
        let words: Vec<&str> = list.split_whitespace().map(|w| w.trim_matches(['(', ')', ','])).collect();
        let is_clock = |w: &str| w.len() == 5 && w.as_bytes()[2] == b':';
        let mut labels = Vec::new();
        for (i, w) in words.iter().enumerate() {
            match words[i + 1..] {
                [n, clock, ..] if *w == "day" && n.parse::<usize>().is_ok() && is_clock(clock) => {
                    labels.push(format!("day {n} {clock}"))
                }
                [clock, ..] if WEEK.contains(w) && is_clock(clock) => labels.push(format!("{w} {clock}")),
                _ => {}
            }
        }
        labels
    };
    let (by_number, by_weekday) = (below_goal("numbered.toml"), below_goal("wednesday.toml"));
    assert_eq!(by_number.len(), 8, "four shown for each of the two plans: {by_number:?}");
    for (n, w) in by_number.iter().zip(&by_weekday) {
        let (day, clock) = n.strip_prefix("day ").and_then(|r| r.split_once(' ')).expect(n);
        assert_eq!(*w, format!("{} {clock}", WEEK[(2 + day.parse::<usize>().unwrap() - 1) % 7]), "compare");
    }
    // Its JSON keeps day numbers.
    let json = |file: &str| {
        let text =
            run(file, &["compare", "--plan", "scenarios/plans/retail-bank-late.toml", "--format", "json"]);
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["plans"][0]["intervals_below_goal"].clone()
    };
    assert_eq!(json("wednesday.toml"), json("numbered.toml"));
    let validate = |file: &str| {
        let out = ccsim().arg("validate").arg(dir.join(file)).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let (numbered, wednesday) = (validate("numbered.toml"), validate("wednesday.toml"));
    assert!(numbered.contains(" on 6 days\n") && numbered.contains("at day 1 10:30"), "{numbered}");
    assert!(wednesday.contains(" on 6 days, day 1 a Wednesday\n"), "{wednesday}");
    assert!(wednesday.contains("at Wed 10:30"), "{wednesday}");
}

/// The trace's `arrival_time` is its `timestamp`'s clock time truncated to the second, always
/// `HH:MM:SS`, and `day` and `arrival_s` say the same instant: no row rounds 08:00:54.720 up to
/// 08:00:55, or 13:29:59.567 into the next half-hour.
#[test]
fn every_trace_row_writes_one_instant_in_its_three_time_columns() {
    let dir = crate::util::empty_dir("outputs", "trace-times");
    let trace = dir.join("trace.csv");
    for file in ["scenarios/retail-bank.toml", "scenarios/retail-bank-week.toml"] {
        ccsim().args(["simulate", file, "-q", "-r", "1", "--trace"]).arg(&trace).assert().success();
        let mut reader = csv::Reader::from_path(&trace).unwrap();
        let header = reader.headers().unwrap().clone();
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let (arrival_s, day, arrival_time, timestamp) =
            (col("arrival_s"), col("day"), col("arrival_time"), col("timestamp"));
        let mut rows = 0;
        let mut fractional = 0;
        for row in reader.records().map(Result::unwrap) {
            rows += 1;
            let clock = &row[timestamp][11..];
            assert_eq!(&row[arrival_time], &clock[..8], "{file}: {row:?}");
            assert_eq!(row[arrival_time].len(), 8, "{file}: HH:MM:SS: {row:?}");
            fractional += usize::from(&clock[9..] != "000");
            // arrival_s, to the millisecond, is the same instant as day and timestamp.
            let millis: i64 = row[arrival_s].replace('.', "").parse().unwrap();
            let day: i64 = row[day].parse().unwrap();
            let (h, m, s, ms): (i64, i64, i64, i64) = (
                clock[0..2].parse().unwrap(),
                clock[3..5].parse().unwrap(),
                clock[6..8].parse().unwrap(),
                clock[9..12].parse().unwrap(),
            );
            assert_eq!(
                millis,
                (day - 1) * 86_400_000 + ((h * 60 + m) * 60 + s) * 1000 + ms,
                "{file}: {row:?}"
            );
        }
        assert!(rows > 100 && fractional * 2 > rows, "{file}: too few rows with fractions to test: {rows}");
    }
}

/// The help of a flag says what it does in that command: `staff --charts` lists every chart
/// it writes (checked against a run of several days), `sweep --format table` every column
/// group, `schedule --plan` what to give instead, `erlang --sl-goal` that a goal or
/// `--agents` is needed; and `risk`'s first example shows the curve rising.
#[test]
fn help_texts_say_what_each_flag_does_in_its_command() {
    let help = |command: &str| {
        let out =
            crate::util::ccsim().args([command, "--help"]).assert().success().get_output().stdout.clone();
        String::from_utf8(out).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let dir = crate::util::empty_dir("outputs", "staff-charts");
    crate::util::ccsim()
        .args(["staff", "scenarios/retail-bank-week.toml", "--method", "erlang-c", "-q", "--charts"])
        .arg(&dir)
        .assert()
        .success();
    let written = names(&dir);
    assert_eq!(written, ["staffing.png", "staffing_heatmap.png", "waterfall.png"]);
    let staff = help("staff");
    let charts = &staff[staff.find("--charts <DIR>").unwrap()..];
    let charts = &charts[..charts.find(" --").unwrap()];
    for file in &written {
        assert!(charts.contains(file.as_str()), "staff --charts does not name {file}: {charts}");
    }
    assert!(
        help("sweep")
            .contains("the paid hours and the overall service level, ASA, abandon rate and occupancy"),
        "{}",
        help("sweep")
    );
    assert!(help("schedule").contains("--plan <FILE> Not used by schedule"), "{}", help("schedule"));
    assert!(help("schedule").contains("give that plan as --requirement FILE"), "{}", help("schedule"));
    assert!(help("erlang").contains("give at least one goal"), "{}", help("erlang"));
    // risk's first example: from never meeting the goal to always meeting it.
    let risk = help("risk");
    let example = risk.split("Examples: ").nth(1).unwrap().split(" ccsim ").next().unwrap();
    let args: Vec<&str> = example.split(' ').skip(1).collect();
    assert_eq!(args[..2], ["risk", "scenarios/retail-bank.toml"], "{example}");
    let out = crate::util::ccsim()
        .args(&args)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let shares: Vec<f64> = json["points"]
        .as_array()
        .unwrap_or_else(|| panic!("{json}"))
        .iter()
        .map(|p| p["p_meet_goal"]["mean"].as_f64().or_else(|| p["p_meet_goal"].as_f64()).unwrap())
        .collect();
    assert!(shares.first() == Some(&0.0) && shares.last() == Some(&1.0), "{example}: {shares:?}");
}

/// `--report` writes HTML whatever the file is named: a name ending in another extension
/// (`report.pdf`) gets a warning on stderr naming the flag and the allowed extensions, and the
/// file is written as given; `.html`, `.htm` and a name without an extension (a device, a pipe)
/// get none.
#[test]
fn a_report_named_other_than_html_is_written_with_a_warning() {
    let dir = crate::util::empty_dir("outputs", "report-extension");
    let run = |name: &str| {
        let out = ccsim()
            .args(["simulate", SCENARIO, "-q", "-r", "2", "--report"])
            .arg(dir.join(name))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stderr).unwrap()
    };
    let said = run("report.pdf");
    let expected = format!(
        "warning: --report {}: the report is an HTML page, written as given; name it .html (or .htm)",
        dir.join("report.pdf").display()
    );
    assert!(said.contains(&expected), "{said}");
    let pdf = std::fs::read_to_string(dir.join("report.pdf")).unwrap();
    assert!(pdf.starts_with("<!DOCTYPE html>"), "{}", &pdf[..pdf.len().min(80)]);
    for fine in ["report.html", "report.HTM", "report"] {
        assert!(!run(fine).contains("warning"), "{fine}");
    }
}

/// A `--report` or `--trace` path that is a symbolic link writes the file the link points to
/// (here in another directory) and keeps the link: a run never replaces the link by a file of
/// its own, and leaves nothing beside the link.
#[cfg(unix)]
#[test]
fn a_report_or_trace_path_that_is_a_symbolic_link_writes_its_target_and_keeps_the_link() {
    let dir = tmp("symlink");
    let links = dir.join("links");
    let targets = dir.join("targets");
    std::fs::create_dir_all(&links).unwrap();
    std::fs::create_dir_all(&targets).unwrap();
    let pairs = [("report.html", "kept-report.html"), ("trace.csv", "kept-trace.csv")];
    for (link, target) in pairs {
        std::fs::write(targets.join(target), "old contents\n").unwrap();
        std::os::unix::fs::symlink(Path::new("../targets").join(target), links.join(link)).unwrap();
    }
    let out = ccsim()
        .args(["simulate", SCENARIO, "-q", "-r", "2", "--report"])
        .arg(links.join("report.html"))
        .arg("--trace")
        .arg(links.join("trace.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for (link, target) in pairs {
        let meta = std::fs::symlink_metadata(links.join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link} is no longer a symbolic link");
        assert_eq!(std::fs::read_link(links.join(link)).unwrap(), Path::new("../targets").join(target));
        let written = std::fs::read_to_string(targets.join(target)).unwrap();
        assert!(!written.starts_with("old contents"), "{target} was not written");
    }
    let report = std::fs::read_to_string(targets.join("kept-report.html")).unwrap();
    assert!(report.starts_with("<!DOCTYPE html>"), "{}", &report[..report.len().min(80)]);
    let trace = std::fs::read_to_string(targets.join("kept-trace.csv")).unwrap();
    assert!(trace.lines().count() > 1, "{trace}");
    assert_eq!(names(&links), ["report.html", "trace.csv"]);
    assert_eq!(names(&targets), ["kept-report.html", "kept-trace.csv"]);
}

#[test]
fn a_file_given_by_its_bare_name_is_reported_as_given() {
    let dir = tmp("bare-name");
    let scenario = std::fs::canonicalize(SCENARIO).unwrap();
    let run = ccsim()
        .current_dir(&dir)
        .arg("simulate")
        .arg(&scenario)
        .args(["-q", "-r", "2", "--report", "report.html"])
        .assert()
        .success();
    let stderr = crate::util::stderr_text(&run);
    assert!(stderr.lines().any(|l| l == "wrote: report.html"), "{stderr}");
    assert!(dir.join("report.html").is_file());
}
