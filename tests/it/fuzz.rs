//! No input crashes ccsim: the shipped scenarios, plans, forecast files and call log, mutated
//! at random (bytes flipped, lines deleted, duplicated or swapped, numbers replaced by extremes
//! such as 1e19, -1, 0, nan, 1e-300), are read through the library's load functions (the call
//! log fitted, and the scenario `fit` writes loaded), and those that still load are validated
//! (the overview `ccsim validate` prints) and simulated for two replications (`simulate -r 2`),
//! with every contact accounted for. A panic anywhere fails
//! the test and leaves the input under `target/tmp/fuzz-failures/` to reproduce it with
//! `ccsim validate FILE` or `ccsim simulate -r 2 FILE`.
//!
//! The run is bounded twice: a fixed sequence of inputs (seeded, so a failure reproduces), cut
//! short after a time budget. `CCSIM_FUZZ_SECS` lengthens the budget, `CCSIM_FUZZ_SEED`
//! draws another sequence. A case that runs past [`CASE_LIMIT`] aborts the run and names its
//! input (a hang is a failure too). Simulation is skipped for inputs whose size guard says the
//! run would be long ([`small_enough_to_simulate`]): loading them is still checked.
//!
//! The extremes include sizes in the billions (days, interval counts, agents, volumes), which
//! reading must refuse at its caps (`ccsim::limits`) without allocating for them. After a
//! process abort (a failed allocation no test can catch), `target/tmp/fuzz-*/LAST_INPUT` names
//! the input.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ccsim::fit::callers::Windows;
use ccsim::fit::log::LogFormat;
use ccsim::fit::volumes::By;
use ccsim::fit::{self, Request};
use ccsim::model::Scenario;
use rand::rngs::Xoshiro256PlusPlus as Xoshiro;
use rand::{RngExt, SeedableRng};

/// Time for each fuzz test by default: the four together stay under a minute of CI.
const DEFAULT_SECS: u64 = 12;
/// At most this many inputs per test, so a fast machine does not run longer than needed.
const MAX_CASES: usize = 20_000;
/// One input taking longer than this (load, or load and two replications) is a hang.
const CASE_LIMIT: Duration = Duration::from_secs(60);

/// Replacements for a number: signs, zero, the smallest and largest magnitudes, non-numbers,
/// values just past the integer types' ranges, fractions where counts are expected.
const EXTREMES: &[&str] = &[
    "0",
    "-1",
    "-0",
    "1e-300",
    "-1e-300",
    "1e19",
    "-1e19",
    "1e308",
    "nan",
    "inf",
    "-inf",
    "NaN",
    "0.5",
    "1.5",
    "4294967296",
    "18446744073709551616",
    "-9223372036854775809",
    "65536",
    "1e6",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "true",
];

/// Sizes that a reader which trusted them would allocate for (days, agents, volumes in the
/// billions): the caps must refuse them.
const HUGE: &[&str] = &["4294967295", "2147483647", "1000000000", "100000000", "1e9", "1e12"];

fn budget() -> Duration {
    let secs = std::env::var("CCSIM_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_SECS);
    Duration::from_secs(secs)
}

fn seed() -> u64 {
    std::env::var("CCSIM_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20_260_101)
}

fn extremes() -> Vec<&'static str> {
    let mut all = EXTREMES.to_vec();
    all.extend_from_slice(HUGE);
    all
}

/// Keys whose values size or steer the run, set by an inserted line wherever it lands (a
/// top-level key, or one of the table open at that line).
const KEYS: &[&str] = &[
    "days",
    "intervals_per_day",
    "interval",
    "agents",
    "replications",
    "seed",
    "max_headcount",
    "goal",
    "target",
    "shrinkage",
    "probability",
    "mean",
    "cv",
    "k",
    "priority",
    "handle_time_factor",
    "max_agents",
    "step",
    "cost_per_hour",
    "after",
    "min",
    "max",
];

/// Applies one to three random edits to `bytes` (one most often, so that many inputs still
/// load and reach validation and the engine).
fn mutate(bytes: &[u8], rng: &mut Xoshiro, extremes: &[&str]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let edits = if rng.random_bool(0.6) { 1 } else { rng.random_range(2..=3) };
    for _ in 0..edits {
        out = match rng.random_range(0..20) {
            0 | 1 => flip_byte(out, rng),
            2 => edit_lines(out, rng, LineEdit::Delete),
            3 => edit_lines(out, rng, LineEdit::Duplicate),
            4 => edit_lines(out, rng, LineEdit::Swap),
            5 => {
                let keep = rng.random_range(0..=out.len());
                out.truncate(keep);
                out
            }
            6..=8 => insert_key(out, rng, extremes),
            _ => replace_number(out, rng, extremes),
        };
    }
    out
}

/// Inserts `key = extreme` as a line of its own.
fn insert_key(bytes: Vec<u8>, rng: &mut Xoshiro, extremes: &[&str]) -> Vec<u8> {
    let key = KEYS[rng.random_range(0..KEYS.len())];
    let value = extremes[rng.random_range(0..extremes.len())];
    let line = format!("{key} = {value}");
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    lines.insert(rng.random_range(0..=lines.len()), line.as_bytes());
    lines.join(&b'\n')
}

fn flip_byte(mut bytes: Vec<u8>, rng: &mut Xoshiro) -> Vec<u8> {
    if !bytes.is_empty() {
        let at = rng.random_range(0..bytes.len());
        bytes[at] =
            if rng.random_bool(0.5) { bytes[at] ^ (1 << rng.random_range(0..8)) } else { rng.random() };
    }
    bytes
}

enum LineEdit {
    Delete,
    Duplicate,
    Swap,
}

fn edit_lines(bytes: Vec<u8>, rng: &mut Xoshiro, edit: LineEdit) -> Vec<u8> {
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let at = rng.random_range(0..lines.len());
    match edit {
        LineEdit::Delete => {
            lines.remove(at);
        }
        LineEdit::Duplicate => {
            let times = if rng.random_bool(0.1) { 50 } else { 1 };
            for _ in 0..times {
                lines.insert(at, lines[at]);
            }
        }
        LineEdit::Swap => {
            let other = rng.random_range(0..lines.len());
            lines.swap(at, other);
        }
    }
    lines.join(&b'\n')
}

/// Replaces one number of the text outside comments (a run of digits, with its sign, point
/// and exponent) by an extreme value.
fn replace_number(bytes: Vec<u8>, rng: &mut Xoshiro, extremes: &[&str]) -> Vec<u8> {
    let numbers = number_spans(&bytes);
    if numbers.is_empty() {
        return bytes;
    }
    let (start, end) = numbers[rng.random_range(0..numbers.len())];
    // Half the time a plausible change (the same number scaled or nudged), which more often
    // still loads and so reaches validation and the engine; else an extreme.
    let original: Option<f64> =
        std::str::from_utf8(&bytes[start..end]).ok().and_then(|t| t.replace('_', "").parse().ok());
    let with = match original {
        Some(x) if rng.random_bool(0.5) => {
            let factors = [0.0, 0.1, 0.5, 2.0, 10.0, 100.0];
            let changed = if rng.random_bool(0.5) {
                x * factors[rng.random_range(0..factors.len())]
            } else {
                x + f64::from(rng.random_range(-2_i32..=2))
            };
            if changed.fract() == 0.0 && changed.abs() < 1e15 {
                format!("{changed:.0}")
            } else {
                changed.to_string()
            }
        }
        _ => extremes[rng.random_range(0..extremes.len())].to_string(),
    };
    [&bytes[..start], with.as_bytes(), &bytes[end..]].concat()
}

fn number_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut i = 0;
    let mut in_comment = false;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => in_comment = true,
            b'\n' => in_comment = false,
            _ => {}
        }
        if !in_comment && bytes[i].is_ascii_digit() {
            let start = if i > 0 && bytes[i - 1] == b'-' { i - 1 } else { i };
            while i < bytes.len()
                && (bytes[i].is_ascii_digit() || matches!(bytes[i], b'.' | b'e' | b'E' | b'_'))
            {
                i += 1;
            }
            spans.push((start, i));
        } else {
            i += 1;
        }
    }
    spans
}

/// The input being tried, for the watchdog: when it started and where its file is.
static CURRENT: Mutex<Vec<(Instant, PathBuf)>> = Mutex::new(Vec::new());
static WATCHDOG: AtomicBool = AtomicBool::new(false);

/// Starts (once) a thread that aborts the test binary, naming the input, when one input has
/// run longer than [`CASE_LIMIT`]: a hang must fail CI, not stall it.
fn start_watchdog() {
    if WATCHDOG.swap(true, Ordering::SeqCst) {
        return;
    }
    std::thread::spawn(|| {
        loop {
            std::thread::sleep(Duration::from_secs(1));
            let current = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, path)) = current.iter().find(|(started, _)| started.elapsed() > CASE_LIMIT) {
                eprintln!(
                    "fuzz: {} ran longer than {CASE_LIMIT:?}: a hang; the input is kept there",
                    path.display()
                );
                std::process::abort();
            }
        }
    });
}

/// Runs `check` on `file` under the watchdog and catches its panic; a panicking input is
/// copied to `target/tmp/fuzz-failures/` (with the directory's other files) and named in the
/// returned message.
fn guarded(file: &Path, check: impl FnOnce()) -> Option<String> {
    start_watchdog();
    let token = (Instant::now(), file.to_path_buf());
    CURRENT.lock().unwrap_or_else(|e| e.into_inner()).push(token.clone());
    let outcome = catch_unwind(AssertUnwindSafe(check));
    CURRENT.lock().unwrap_or_else(|e| e.into_inner()).retain(|t| *t != token);
    let payload = outcome.err()?;
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_default();
    let kept = keep_failure(file);
    Some(format!("{}: panicked: {message}", kept.display()))
}

fn keep_failure(file: &Path) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures").join(format!(
        "{}-{}",
        file.parent().and_then(Path::file_name).unwrap().to_string_lossy(),
        unique()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(file.parent().unwrap()).unwrap().filter_map(Result::ok) {
        let _ = std::fs::copy(entry.path(), dir.join(entry.file_name()));
    }
    dir.join(file.file_name().unwrap())
}

fn unique() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

/// A fresh directory for one test's inputs, holding copies of the shipped forecast files so
/// that a mutated scenario still finds them.
fn workdir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for csv in shipped("scenarios", "csv") {
        std::fs::copy(&csv, dir.join(csv.file_name().unwrap())).unwrap();
    }
    dir
}

fn shipped(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .{ext} files in {dir}");
    files
}

/// Whether two replications of `scenario` are quick: a guard on the work the engine would do
/// (fresh calls, agents, intervals, recontacts), not a limit of ccsim.
fn small_enough_to_simulate(scenario: &Scenario) -> bool {
    let calls: f64 = scenario.call_types.iter().flat_map(|c| c.volumes.iter()).sum();
    let shift_agents: u64 = scenario.plan.shifts.iter().map(|s| u64::from(s.agents)).sum();
    let staffed_agents =
        scenario.plan.staffing.iter().flat_map(|g| g.agents.iter()).map(|&a| u64::from(a)).max();
    // A contact that recontacts with probability near 1 after a delay near 0 keeps the engine
    // busy at one instant; each recontact is still a new contact, so the work is bounded by
    // the horizon only through the delay.
    let quick_recontact = scenario.call_types.iter().any(|c| {
        [&c.redial, &c.repeat].into_iter().flatten().any(|r| r.probability > 0.9 && r.delay.mean() < 1.0)
    });
    calls.is_finite()
        && calls <= 50_000.0
        && shift_agents <= 5_000
        && staffed_agents.unwrap_or(0) <= 5_000
        && scenario.grid.len() <= 5_000
        && !quick_recontact
}

/// Validates and simulates a loaded scenario as `ccsim validate` and `ccsim simulate -r 2`
/// would, and checks that every contact of every cell is accounted for. Returns whether it
/// simulated (the size guard may skip it), or what went wrong.
fn validate_and_simulate(scenario: &Scenario) -> Result<bool, String> {
    let _ = ccsim::scenario::overview(scenario);
    if !small_enough_to_simulate(scenario) {
        return Ok(false);
    }
    let seed = scenario.simulation.seed;
    let mut reps = Vec::new();
    for r in 0..2 {
        let counts = ccsim::sim::run(scenario, seed, r, &mut ccsim::sim::NoTrace);
        if let Some(cell) = counts.cells.iter().find(|cell| !ccsim::sim::balances(cell)) {
            return Err(format!("replication {r}: contacts unaccounted for: {cell:?}"));
        }
        reps.push(ccsim::replicate::Replication::from_counts(scenario, &counts));
    }
    let summary = ccsim::replicate::summarize(scenario, seed, &reps);
    let _ = ccsim::report::simulation::table(&summary);
    let _ = ccsim::report::simulation::json(&summary);
    Ok(true)
}

/// One fuzz run: each round writes a mutation of one of `originals` (in turn) to its `target`
/// file, then `load` reads the input set it belongs to; what loads is validated and simulated.
/// Prints what it tried and fails on any panic or unbalanced total.
fn fuzz(what: &str, originals: &[(PathBuf, Vec<u8>)], seed: u64, load: impl Fn(&Path) -> Option<Scenario>) {
    let started = Instant::now();
    let mut rng = Xoshiro::seed_from_u64(seed);
    let extremes = extremes();
    let (mut inputs, mut loaded, mut simulated) = (0_usize, 0_usize, 0_usize);
    let mut failures = Vec::new();
    while inputs < MAX_CASES && started.elapsed() < budget() {
        let (target, original) = &originals[inputs % originals.len()];
        std::fs::write(target, mutate(original, &mut rng, &extremes)).unwrap();
        // An out-of-memory abort cannot be caught: this names the input it left behind.
        std::fs::write(target.with_file_name("LAST_INPUT"), target.display().to_string()).unwrap();
        inputs += 1;
        let mut outcome = None;
        let failure = guarded(target, || {
            if let Some(scenario) = load(target) {
                match validate_and_simulate(&scenario) {
                    Ok(ran) => outcome = Some(ran),
                    Err(problem) => panic!("{problem}"),
                }
            }
        });
        loaded += usize::from(outcome.is_some());
        simulated += usize::from(outcome == Some(true));
        failures.extend(failure);
    }
    // Put the originals back: the directory is reused by the next round of the same test only.
    for (target, original) in originals {
        std::fs::write(target, original).unwrap();
    }
    eprintln!(
        "fuzz {what}: {inputs} inputs in {:.1} s, {loaded} loaded, {simulated} simulated, {} failures",
        started.elapsed().as_secs_f64(),
        failures.len()
    );
    assert!(inputs > 0, "fuzz {what}: no input tried");
    assert!(failures.is_empty(), "fuzz {what}:\n{}", failures.join("\n"));
}

fn read_into(dir: &Path, files: impl IntoIterator<Item = PathBuf>) -> Vec<(PathBuf, Vec<u8>)> {
    files
        .into_iter()
        .map(|p| {
            let target = dir.join(p.file_name().unwrap());
            let bytes = std::fs::read(&p).unwrap();
            std::fs::write(&target, &bytes).unwrap();
            (target, bytes)
        })
        .collect()
}

/// Mutated scenario files (each shipped one in turn, and the starter) are read, and those
/// that load are validated and simulated.
#[test]
fn mutated_scenarios_never_panic_and_simulate_with_every_contact_accounted_for() {
    let dir = workdir("scenarios");
    let files = shipped("scenarios", "toml").into_iter().chain(shipped("scenarios/templates", "toml"));
    let originals = read_into(&dir, files);
    fuzz("scenarios", &originals, seed(), |file| ccsim::scenario::load(file).ok().map(|l| l.scenario));
}

/// Mutated forecast files, read by the shipped scenarios that name them.
#[test]
fn mutated_forecast_files_never_panic() {
    let dir = workdir("forecasts");
    read_into(
        &dir,
        [PathBuf::from("scenarios/support-24x7.toml"), PathBuf::from("scenarios/retail-bank-week.toml")],
    );
    let originals = read_into(&dir, shipped("scenarios", "csv"));
    fuzz("forecasts", &originals, seed() ^ 1, |csv| {
        let name = csv.file_name().unwrap().to_string_lossy().replace("-forecast.csv", ".toml");
        ccsim::scenario::load(&dir.join(name)).ok().map(|l| l.scenario)
    });
}

/// Mutated plan files (TOML and CSV) over the scenario they were written for.
#[test]
fn mutated_plans_never_panic() {
    let dir = workdir("plans");
    let scenario_file = dir.join("retail-bank.toml");
    std::fs::copy("scenarios/retail-bank.toml", &scenario_file).unwrap();
    let scenario = ccsim::scenario::load(&scenario_file).unwrap().scenario;
    let files = shipped("scenarios/plans", "toml").into_iter().chain(shipped("scenarios/plans", "csv"));
    let originals = read_into(&dir, files);
    fuzz("plans", &originals, seed() ^ 2, |plan| {
        let _ = ccsim::scenario::load_plan(plan, &scenario);
        ccsim::scenario::load_with_plan(&scenario_file, Some(plan)).ok().map(|l| l.scenario)
    });
}

/// Mutated call logs: `fit` refuses one with an error, or writes a scenario that loads, by
/// weekday and by date; the one by weekday is then validated and simulated. Its report (table,
/// JSON, HTML) is drawn too. The log is every 20th row of the shipped one: all its dates and
/// call types in about 450 rows.
#[test]
fn mutated_call_logs_never_panic_and_fit_to_scenarios_that_load() {
    let dir = workdir("call-logs");
    let log = std::fs::read_to_string("scenarios/data/retail-bank-calls.csv").unwrap();
    let sample: String = log.lines().step_by(20).flat_map(|line| [line, "\n"]).collect();
    let originals = vec![(dir.join("calls.csv"), sample.into_bytes())];
    fuzz("call logs", &originals, seed() ^ 3, |log| {
        let _ = fit_and_load(log, By::Date);
        fit_and_load(log, By::Weekday)
    });
}

/// Fits `log` and writes the scenario beside it; `None` when `fit` refuses the log. A fitted
/// scenario that does not load is a failure: `fit` must refuse what it cannot write.
fn fit_and_load(log: &Path, by: By) -> Option<Scenario> {
    let request = Request {
        log: log.to_path_buf(),
        format: LogFormat::default(),
        interval_s: 900.0,
        by,
        windows: Windows { redial_s: 3600.0, repeat_s: 7.0 * 86_400.0 },
        short_abandon_s: None,
    };
    let fit = ccsim::fit::fit(&request).ok()?;
    let _ = (fit::report::table(&fit), fit::report::json(&fit));
    fit::html::report(&fit, fit::html::RoundTrip::NotAsked).expect("the HTML report draws any log fit");
    let log_name = log.display().to_string();
    let names = fit::write::Names { observed_csv: "fitted-observed.csv", log: &log_name };
    let scenario = fit::write::scenario(&fit, &names, None).expect("no staffing file to refuse");
    let out = log.with_file_name("fitted.toml");
    std::fs::write(&out, scenario).unwrap();
    std::fs::write(log.with_file_name("fitted-observed.csv"), fit::write::observed_csv(&fit)).unwrap();
    match ccsim::scenario::load(&out) {
        Ok(loaded) => Some(loaded.scenario),
        Err(e) => panic!("fitted by {by:?}, the scenario does not load: {e}"),
    }
}

/// The harness itself: a panic in a check is caught, reported with its message, and the input
/// is kept for reproduction (else the fuzz tests above could pass while blind).
#[test]
fn a_panicking_input_is_reported_and_kept() {
    let dir = workdir("harness");
    let file = dir.join("boom.toml");
    std::fs::write(&file, "days = 0\n").unwrap();
    let report = guarded(&file, || panic!("boom")).expect("the panic is reported");
    assert!(report.contains("boom"), "{report}");
    let kept = PathBuf::from(report.split(": panicked").next().unwrap());
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "days = 0\n", "kept at {}", kept.display());
    assert!(guarded(&file, || ()).is_none(), "a clean input is not reported");
}
