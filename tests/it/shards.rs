//! Sharded runs and `ccsim merge`: any split of the replications merges into outputs
//! byte-identical to a one-process run; a missing, doubled, foreign, changed or damaged part is
//! refused (exit 2, naming it) and nothing is written; `--shard auto` reads Slurm and Kubernetes
//! variables; the shipped Slurm script and Kubernetes manifest run shards and a merge.

use std::path::{Path, PathBuf};

use crate::util::{BANK_COMPARISON, ccsim, empty_dir, file_names};

/// Environment variables that `--shard auto` reads, removed so the test machine's own do not
/// leak in.
const BATCH_VARS: [&str; 7] = [
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_MAX",
    "SLURM_ARRAY_TASK_COUNT",
    "SLURM_ARRAY_TASK_STEP",
    "JOB_COMPLETION_INDEX",
    "CCSIM_SHARD_COUNT",
];

fn ok(args: &[&str]) -> Vec<u8> {
    let mut cmd = ccsim();
    for var in BATCH_VARS {
        cmd.env_remove(var);
    }
    let out = cmd.args(args).output().unwrap();
    assert!(out.status.success(), "ccsim {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Runs every shard of `n` of `command` into `dir`.
fn shards(command: &[&str], n: u32, dir: &Path) {
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let mut args = command.to_vec();
        args.extend(["-q", "--shard", &shard, "--out", dir.to_str().unwrap()]);
        assert!(ok(&args).is_empty(), "a shard prints nothing on stdout");
    }
}

/// `ccsim merge` failing with exit 2; its stderr.
fn refused(args: &[&str]) -> String {
    let out = ccsim().arg("merge").args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "merge {args:?} should be refused");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn shipped_scenarios() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the shipped scenarios are found");
    files
}

#[test]
fn merged_shards_equal_a_one_process_run_for_every_shipped_scenario() {
    for file in shipped_scenarios() {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let dir = empty_dir("shards", &format!("every-{name}"));
        let file = file.to_str().unwrap();
        // Four replications: seven shards include empty ones, which must merge too.
        let one = ok(&[
            "simulate",
            file,
            "-q",
            "-r",
            "4",
            "--format",
            "json",
            "--out",
            dir.join("one").to_str().unwrap(),
        ]);
        for n in [1, 2, 7] {
            let parts = dir.join(format!("parts-{n}"));
            shards(&["simulate", file, "-r", "4"], n, &parts);
            let merged = dir.join(format!("merged-{n}"));
            let printed = ok(&[
                "merge",
                parts.to_str().unwrap(),
                "--format",
                "json",
                "--out",
                merged.to_str().unwrap(),
            ]);
            assert!(printed == one, "{name}: {n} shards print other JSON than one process");
            // Every file the one-process run wrote (backlog.csv too, with email), and no other.
            let (written, merged_files) = (file_names(&dir.join("one")), file_names(&merged));
            assert!(written.len() >= 5 && written == merged_files, "{name}: {written:?} vs {merged_files:?}");
            for out in &written {
                let (a, b) = (
                    std::fs::read(dir.join("one").join(out)).unwrap(),
                    std::fs::read(merged.join(out)).unwrap(),
                );
                assert!(a == b, "{name}: {n} shards: {out} differs from the one-process run");
            }
        }
    }
}

#[test]
fn merged_comparison_shards_equal_a_one_process_comparison() {
    let dir = empty_dir("shards", "compare");
    let command = [&BANK_COMPARISON[..], &["-r", "5", "--apply-shrinkage"]].concat();
    let mut one_args = command.to_vec();
    one_args.extend(["-q", "--format", "json"]);
    let one = ok(&one_args);
    for n in [1, 2, 3] {
        let parts = dir.join(format!("parts-{n}"));
        shards(&command, n, &parts);
        let merged = ok(&["merge", parts.to_str().unwrap(), "--format", "json"]);
        assert!(merged == one, "{n} shards of compare differ from one process");
    }
}

/// Three shards of single-queue with `seed` into `dir`.
fn three_shards(dir: &Path, seed: &str) {
    shards(&["simulate", "scenarios/single-queue.toml", "-r", "6", "--seed", seed], 3, dir);
}

#[test]
fn merge_refuses_a_missing_shard_and_writes_nothing() {
    let dir = empty_dir("shards", "missing");
    three_shards(&dir.join("parts"), "1");
    std::fs::remove_dir_all(dir.join("parts/shard-2-of-3")).unwrap();
    let out = dir.join("merged");
    let stderr = refused(&[dir.join("parts").to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(stderr.contains("missing shard 2/3"), "{stderr}");
    assert!(!out.exists(), "nothing is written when parts are missing");
    // What is neither a part nor a directory is said to be so; what is not there, too.
    let stderr = refused(&["/dev/null"]);
    assert!(stderr.contains("/dev/null: neither a part file (partial.ccsim) nor a directory"), "{stderr}");
    let stderr = refused(&[dir.join("nowhere").to_str().unwrap()]);
    assert!(stderr.contains("nowhere: no such file or directory"), "{stderr}");
}

/// A job script passes the same flags to every command: merge takes `-q` and `--quiet` as
/// `simulate` does, and (having no progress to hide) merges exactly as without them.
#[test]
fn merge_takes_the_quiet_flag_of_the_other_commands() {
    let dir = empty_dir("shards", "quiet");
    three_shards(&dir.join("parts"), "1");
    let parts = dir.join("parts");
    let parts = parts.to_str().unwrap();
    let plain = ok(&["merge", parts, "--format", "json"]);
    assert!(!plain.is_empty());
    for quiet in ["-q", "--quiet"] {
        assert!(ok(&["merge", parts, "--format", "json", quiet]) == plain, "merge {quiet}");
    }
}

/// A part in a hidden directory, or more than four levels below the directory given, is not
/// searched; the missing shard's message says where merge looked and names the directories it
/// skipped, and giving the part's directory merges it.
#[test]
fn a_missing_shard_is_reported_with_where_merge_looked_and_what_it_skipped() {
    let dir = empty_dir("shards", "skipped");
    let parts = dir.join("parts");
    three_shards(&parts, "1");
    let hidden = parts.join(".old");
    let deep = parts.join("a/b/c/d");
    std::fs::create_dir_all(&hidden).unwrap();
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::rename(parts.join("shard-2-of-3"), hidden.join("shard-2-of-3")).unwrap();
    std::fs::rename(parts.join("shard-3-of-3"), deep.join("shard-3-of-3")).unwrap();
    let stderr = refused(&[parts.to_str().unwrap()]);
    assert!(stderr.contains("missing shards 2/3, 3/3"), "{stderr}");
    assert!(stderr.contains("4 levels below it, skipping hidden directories"), "{stderr}");
    let skipped = format!("not searched: {}, {}", hidden.display(), deep.join("shard-3-of-3").display());
    assert!(stderr.contains(&skipped), "{stderr}");
    ok(&["merge", parts.to_str().unwrap(), hidden.to_str().unwrap(), deep.to_str().unwrap()]);
}

#[test]
fn merge_refuses_a_shard_given_twice() {
    let dir = empty_dir("shards", "twice");
    three_shards(&dir.join("parts"), "1");
    let copy = dir.join("copy");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(dir.join("parts/shard-1-of-3/partial.ccsim"), copy.join("partial.ccsim")).unwrap();
    let stderr = refused(&[dir.join("parts").to_str().unwrap(), copy.to_str().unwrap()]);
    assert!(stderr.contains("shard 1/3 is given twice"), "{stderr}");
    assert!(stderr.contains("copy/partial.ccsim"), "names the part: {stderr}");
}

/// A shard run twice (two --out directories, a rerun next to the first) is refused, and the
/// message says the copies are the same and to keep one.
#[test]
fn a_shard_given_twice_says_to_keep_one_of_them() {
    let dir = empty_dir("shards", "twice-keep");
    three_shards(&dir.join("parts"), "1");
    let rerun = dir.join("rerun");
    let mut args = vec!["simulate", "scenarios/single-queue.toml", "-q", "-r", "6", "--seed", "1"];
    args.extend(["--shard", "2/3", "--out", rerun.to_str().unwrap()]);
    ok(&args);
    let stderr = refused(&[dir.join("parts").to_str().unwrap(), rerun.to_str().unwrap()]);
    assert!(
        stderr.contains("shard 2/3 is given twice")
            && stderr.contains("(the same part, bit for bit)")
            && stderr.contains("keep one and move the other out of the directories given"),
        "{stderr}"
    );
}

/// A task of a Slurm array resubmitted alone with `--shard auto` is shard 1/1 of an array of
/// one; merged with the other parts of the run, it is that part merge names as foreign, not
/// the parts of the run that sort after it, and the message says what to do.
#[test]
fn merge_names_the_stray_part_rather_than_the_parts_of_the_run() {
    let dir = empty_dir("shards", "stray");
    let parts = dir.join("parts");
    three_shards(&parts, "1");
    std::fs::remove_dir_all(parts.join("shard-2-of-3")).unwrap();
    let mut cmd = ccsim();
    for var in BATCH_VARS {
        cmd.env_remove(var);
    }
    let alone = [
        ("SLURM_ARRAY_TASK_ID", "1"),
        ("SLURM_ARRAY_TASK_MIN", "1"),
        ("SLURM_ARRAY_TASK_MAX", "1"),
        ("SLURM_ARRAY_TASK_COUNT", "1"),
    ];
    let out = cmd
        .envs(alone)
        .args(["simulate", "scenarios/single-queue.toml", "-q", "-r", "6", "--seed", "1"])
        .args(["--shard", "auto", "--out", parts.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = refused(&[parts.to_str().unwrap()]);
    assert!(
        stderr.contains("shard-1-of-1/partial.ccsim: not a part of the same run as")
            && stderr.contains("shard-1-of-3/partial.ccsim and 1 other part: 1 shards vs 3")
            && stderr.contains("move this one out of the directories given"),
        "{stderr}"
    );
}

/// A part cut short (a copy interrupted, a full disk) names the shard to run again.
#[test]
fn a_part_cut_short_names_the_shard_to_run_again() {
    let dir = empty_dir("shards", "cut-short");
    three_shards(&dir.join("parts"), "1");
    let part = dir.join("parts/shard-2-of-3/partial.ccsim");
    let bytes = std::fs::read(&part).unwrap();
    std::fs::write(&part, &bytes[..bytes.len() / 2]).unwrap();
    let stderr = refused(&[dir.join("parts").to_str().unwrap()]);
    assert!(
        stderr.contains("shard-2-of-3/partial.ccsim: damaged or cut short")
            && stderr.contains("run shard 2/3 again (the run's command with --shard 2/3)"),
        "{stderr}"
    );
    std::fs::write(&part, b"").unwrap();
    let stderr = refused(&[dir.join("parts").to_str().unwrap()]);
    assert!(
        stderr.contains("shard-2-of-3/partial.ccsim: empty") && stderr.contains("run its shard again"),
        "{stderr}"
    );
}

#[test]
fn merge_refuses_a_part_of_another_seed_or_scenario() {
    let dir = empty_dir("shards", "foreign");
    three_shards(&dir.join("seed1"), "1");
    three_shards(&dir.join("seed2"), "2");
    shards(&["simulate", "scenarios/erlang-check.toml", "-r", "6", "--seed", "1"], 3, &dir.join("other"));
    let seed1 = |k: u32| dir.join(format!("seed1/shard-{k}-of-3"));
    let (a, b) = (seed1(1), seed1(2));
    let stderr = refused(&[
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        dir.join("seed2/shard-3-of-3").to_str().unwrap(),
    ]);
    assert!(
        stderr.contains("seed2/shard-3-of-3/partial.ccsim") && stderr.contains("seed 2 vs 1"),
        "{stderr}"
    );
    let stderr = refused(&[
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        dir.join("other/shard-3-of-3").to_str().unwrap(),
    ]);
    assert!(stderr.contains("other/shard-3-of-3/partial.ccsim") && stderr.contains("scenario"), "{stderr}");
}

#[test]
fn merge_refuses_parts_of_a_scenario_file_changed_since() {
    let dir = empty_dir("shards", "changed");
    let scenario = dir.join("queue.toml");
    let text = std::fs::read_to_string("scenarios/single-queue.toml").unwrap();
    std::fs::write(&scenario, &text).unwrap();
    shards(&["simulate", scenario.to_str().unwrap(), "-r", "4"], 2, &dir.join("parts"));
    // The same file merges; then one figure changes.
    ok(&["merge", dir.join("parts").to_str().unwrap()]);
    let changed = text.replacen("seed = 42", "seed = 42\n# edited after the shards ran", 1);
    std::fs::write(&scenario, changed.replacen("replications = 30", "replications = 31", 1)).unwrap();
    ok(&["merge", dir.join("parts").to_str().unwrap()]);
    let edited = std::fs::read_to_string(&scenario).unwrap();
    let agents_line = edited.lines().find(|l| l.trim_start().starts_with("agents")).expect("an agents line");
    let more = agents_line.replace(|c: char| c.is_ascii_digit(), "9");
    std::fs::write(&scenario, edited.replacen(agents_line, &more, 1)).unwrap();
    let stderr = refused(&[dir.join("parts").to_str().unwrap()]);
    assert!(stderr.contains("is not the one the parts were simulated from:"), "{stderr}");
    // Another file given with --scenario: the message names the file read and the one recorded.
    let other = dir.join("other.toml");
    std::fs::write(&other, edited.replacen(agents_line, &more, 1)).unwrap();
    let stderr = refused(&[dir.join("parts").to_str().unwrap(), "--scenario", other.to_str().unwrap()]);
    let expected = format!(
        "the scenario {} (or a plan file) is not the one the parts were simulated from ({} was)",
        other.display(),
        scenario.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn merge_refuses_a_damaged_part() {
    let dir = empty_dir("shards", "damaged");
    three_shards(&dir.join("parts"), "1");
    let part = dir.join("parts/shard-2-of-3/partial.ccsim");
    let mut bytes = std::fs::read(&part).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x55;
    std::fs::write(&part, &bytes).unwrap();
    let stderr = refused(&[dir.join("parts").to_str().unwrap()]);
    assert!(stderr.contains("shard-2-of-3/partial.ccsim") && stderr.contains("damaged"), "{stderr}");
    bytes.truncate(100);
    std::fs::write(&part, &bytes).unwrap();
    let stderr = refused(&[dir.join("parts").to_str().unwrap()]);
    assert!(stderr.contains("shard-2-of-3/partial.ccsim"), "{stderr}");
    std::fs::write(&part, b"not a part\n").unwrap();
    let stderr = refused(&[dir.join("parts").to_str().unwrap()]);
    assert!(stderr.contains("not a ccsim partial result"), "{stderr}");
    // A binary file (an image, a compressed archive) is no part either, whatever its bytes.
    std::fs::write(&part, [0x89, b'P', b'N', b'G', 0xff, 0xfe, b'\n', 0x00, 0xc3]).unwrap();
    let stderr = refused(&[dir.join("parts").to_str().unwrap()]);
    assert!(stderr.contains("shard-2-of-3/partial.ccsim: not a ccsim partial result"), "{stderr}");
}

/// A header that claims another number of records per replication than the run simulates
/// says something false of its part: refused, whether one part or every part claims it.
#[test]
fn merge_refuses_a_header_with_another_count_of_records() {
    let dir = empty_dir("shards", "records");
    three_shards(&dir.join("parts"), "1");
    let edit = |k: u32| {
        let part = dir.join(format!("parts/shard-{k}-of-3/partial.ccsim"));
        let bytes = std::fs::read(&part).unwrap();
        let key = b"\"records_per_replication\":1";
        let at = bytes.windows(key.len()).position(|w| w == key).expect("the header's records");
        let mut edited = bytes[..at].to_vec();
        edited.extend(b"\"records_per_replication\":2");
        edited.extend(&bytes[at + key.len()..]);
        std::fs::write(&part, edited).unwrap();
    };
    edit(2);
    let stderr = refused(&[dir.join("parts").to_str().unwrap()]);
    assert!(
        stderr.contains("shard-2-of-3/partial.ccsim: not a part of the same run")
            && stderr.contains("records per replication 2 vs 1"),
        "{stderr}"
    );
    edit(1);
    edit(3);
    let stderr = refused(&[dir.join("parts").to_str().unwrap()]);
    assert!(
        stderr.contains("shard-1-of-3/partial.ccsim: damaged: its header says 2 records per replication")
            && stderr.contains("simulates 1"),
        "{stderr}"
    );
}

/// Parts of another version of ccsim may hold other numbers for the same seeds: even when they
/// agree with each other, they are refused, naming the part and both versions.
#[test]
fn merge_refuses_parts_written_by_another_ccsim_version() {
    let dir = empty_dir("shards", "version");
    three_shards(&dir.join("parts"), "1");
    let this = env!("CARGO_PKG_VERSION");
    let key = format!("\"ccsim_version\":\"{this}\"");
    for k in 1..=3 {
        let part = dir.join(format!("parts/shard-{k}-of-3/partial.ccsim"));
        let bytes = std::fs::read(&part).unwrap();
        let at = bytes.windows(key.len()).position(|w| w == key.as_bytes()).expect("the header's version");
        let mut edited = bytes[..at].to_vec();
        edited.extend(b"\"ccsim_version\":\"0.0.1-old\"");
        edited.extend(&bytes[at + key.len()..]);
        std::fs::write(&part, edited).unwrap();
    }
    let stderr = refused(&[dir.join("parts").to_str().unwrap(), "--out", dir.join("out").to_str().unwrap()]);
    assert!(
        stderr.contains("shard-1-of-3/partial.ccsim: written by ccsim 0.0.1-old")
            && stderr.contains(&format!("this is ccsim {this}")),
        "{stderr}"
    );
    assert!(!dir.join("out").exists());
}

/// A plan file or a forecast CSV changed after the shards ran is refused naming that file, not
/// only the scenario.
#[test]
fn merge_names_the_plan_or_forecast_file_that_changed_since_the_shards_ran() {
    let dir = empty_dir("shards", "changed-file");
    let plan = dir.join("late.toml");
    std::fs::copy("scenarios/plans/retail-bank-late.toml", &plan).unwrap();
    let compare = ["compare", "scenarios/retail-bank.toml", "--plan", plan.to_str().unwrap(), "-r", "2"];
    shards(&compare, 2, &dir.join("compare"));
    let text = std::fs::read_to_string(&plan).unwrap();
    let line = text.lines().find(|l| l.trim_start().starts_with("agents")).expect("an agents line");
    std::fs::write(&plan, text.replacen(line, &line.replace(|c: char| c.is_ascii_digit(), "9"), 1)).unwrap();
    let stderr = refused(&[dir.join("compare").to_str().unwrap()]);
    assert!(stderr.contains(&format!("the file that changed: {}", plan.display())), "{stderr}");

    let week = dir.join("week");
    std::fs::create_dir_all(&week).unwrap();
    for file in ["retail-bank-week.toml", "retail-bank-week-forecast.csv"] {
        std::fs::copy(Path::new("scenarios").join(file), week.join(file)).unwrap();
    }
    let scenario = week.join("retail-bank-week.toml");
    shards(&["simulate", scenario.to_str().unwrap(), "-r", "2"], 2, &dir.join("week-parts"));
    let forecast = week.join("retail-bank-week-forecast.csv");
    let csv = std::fs::read_to_string(&forecast).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    // The first row's calls of the first call type (columns: interval, day, accounts, ...).
    let mut fields: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    fields[2] = format!("{}", fields[2].parse::<u32>().unwrap() + 5);
    lines[1] = fields.join(",");
    std::fs::write(&forecast, lines.join("\n") + "\n").unwrap();
    let stderr = refused(&[dir.join("week-parts").to_str().unwrap()]);
    let forecast = std::fs::canonicalize(&forecast).unwrap();
    assert!(stderr.contains(&format!("the file that changed: {}", forecast.display())), "{stderr}");
}

/// A sharded comparison's merge writes the comparison's HTML report, byte for byte the one a
/// one-process run writes (the run date fixed by SOURCE_DATE_EPOCH).
#[test]
fn merged_comparison_shards_write_the_report_of_a_one_process_comparison() {
    let dir = empty_dir("shards", "compare-report");
    let scenario = std::fs::canonicalize("scenarios/retail-bank.toml").unwrap();
    let command =
        ["compare", scenario.to_str().unwrap(), "--plan", "scenarios/plans/retail-bank-late.toml", "-r", "4"];
    let one = dir.join("one.html");
    let mut one_args = command.to_vec();
    one_args.extend(["-q", "--report", one.to_str().unwrap()]);
    let run = ccsim().env("SOURCE_DATE_EPOCH", "1700000000").args(&one_args).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    shards(&command, 2, &dir.join("parts"));
    let merged = dir.join("merged.html");
    let run = ccsim()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["merge", dir.join("parts").to_str().unwrap(), "--report", merged.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(std::fs::read(&one).unwrap() == std::fs::read(&merged).unwrap(), "the reports differ");
    // `compare` has no --out files, sharded or not; the refusal says what the merge writes.
    let stderr = refused(&[dir.join("parts").to_str().unwrap(), "--out", dir.join("out").to_str().unwrap()]);
    assert!(
        stderr.contains("--out: a comparison has no such output") && stderr.contains("--report"),
        "{stderr}"
    );
    // A risk curve has no report, sharded or not.
    shards(
        &["risk", "scenarios/single-queue.toml", "-r", "2", "--agents-range", "10..12"],
        2,
        &dir.join("risk"),
    );
    let stderr =
        refused(&[dir.join("risk").to_str().unwrap(), "--report", dir.join("r.html").to_str().unwrap()]);
    assert!(stderr.contains("--report: a risk curve has no HTML report"), "{stderr}");
}

/// A shard stopped by SIGTERM (a batch system's cancel or time limit, a pod's deletion) removes
/// its staging directory and exits with 143, as one stopped by Ctrl-C does with 130: a retry
/// in the same directory starts clean.
#[test]
fn a_shard_stopped_by_sigterm_removes_its_staging_directory() {
    let dir = empty_dir("shards", "sigterm");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ccsim"));
    for var in BATCH_VARS {
        command.env_remove(var);
    }
    // Far more replications than the test waits for: it is stopped as soon as it stages.
    let mut child = command
        .args(["simulate", "scenarios/support-24x7.toml", "-q", "-r", "5000", "--shard", "1/2", "--out"])
        .arg(dir.join("parts"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let shard_dir = dir.join("parts/shard-1-of-2");
    let staged = || {
        std::fs::read_dir(&shard_dir).is_ok_and(|entries| {
            entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with(".ccsim-tmp-"))
        })
    };
    let start = std::time::Instant::now();
    while !staged() {
        assert!(start.elapsed().as_secs() < 60, "no staging directory appeared");
        assert!(child.try_wait().unwrap().is_none(), "the shard ended before it was stopped");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let kill = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143), "{status:?}");
    let left: Vec<_> = std::fs::read_dir(&shard_dir).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// A part whose header says another format version was merged as if it were this one; it is
/// refused naming the part and the version this build reads.
#[test]
fn merge_refuses_a_part_of_a_format_version_it_does_not_know() {
    let dir = empty_dir("shards", "format");
    three_shards(&dir.join("parts"), "1");
    let part = dir.join("parts/shard-2-of-3/partial.ccsim");
    let text = std::fs::read(&part).unwrap();
    let at = text.windows(10).position(|w| w == b"\"format\":3").expect("the header's format");
    let mut bytes = text.clone();
    bytes[at + 9] = b'4';
    std::fs::write(&part, &bytes).unwrap();
    let stderr = refused(&[dir.join("parts").to_str().unwrap()]);
    assert!(
        stderr.contains(
            "shard-2-of-3/partial.ccsim: a partial result of format v4; this ccsim reads format v3"
        ),
        "{stderr}"
    );
}

/// Parts record the scenario's path; when it has moved, the error names the part and
/// `--scenario`, which merges them.
#[test]
fn merge_of_parts_whose_scenario_moved_names_the_part_and_the_scenario_flag() {
    let dir = empty_dir("shards", "moved");
    let scenario = dir.join("queue.toml");
    std::fs::copy("scenarios/single-queue.toml", &scenario).unwrap();
    shards(&["simulate", scenario.to_str().unwrap(), "-r", "4"], 2, &dir.join("parts"));
    let moved = dir.join("moved.toml");
    std::fs::rename(&scenario, &moved).unwrap();
    let stderr = refused(&[dir.join("parts").to_str().unwrap()]);
    assert!(stderr.contains("shard-1-of-2/partial.ccsim: the scenario file"), "{stderr}");
    assert!(stderr.contains(&format!("{}, is not there", scenario.display())), "{stderr}");
    assert!(stderr.contains("--scenario FILE"), "{stderr}");
    ok(&["merge", dir.join("parts").to_str().unwrap(), "--scenario", moved.to_str().unwrap()]);
}

/// `simulate --shard auto` with `vars` set; the shard directories written.
fn auto_shard(dir: &Path, vars: &[(&str, &str)], extra: &[&str]) -> std::process::Output {
    let mut cmd = ccsim();
    for var in BATCH_VARS {
        cmd.env_remove(var);
    }
    cmd.envs(vars.iter().copied())
        .args(["simulate", "scenarios/single-queue.toml", "-q", "-r", "3", "--shard", "auto", "--out"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn shard_auto_reads_slurm_arrays_and_kubernetes_indexed_jobs() {
    let dir = empty_dir("shards", "auto");
    let slurm =
        [("SLURM_ARRAY_TASK_ID", "5"), ("SLURM_ARRAY_TASK_MIN", "4"), ("SLURM_ARRAY_TASK_COUNT", "3")];
    assert!(auto_shard(&dir, &slurm, &[]).status.success());
    assert!(dir.join("shard-2-of-3/partial.ccsim").is_file());
    assert!(auto_shard(&dir, &[("JOB_COMPLETION_INDEX", "0")], &["--shard-count", "3"]).status.success());
    assert!(dir.join("shard-1-of-3/partial.ccsim").is_file());
    assert!(
        auto_shard(&dir, &[("JOB_COMPLETION_INDEX", "2"), ("CCSIM_SHARD_COUNT", "3")], &[]).status.success()
    );
    // The three shards, from two batch systems, are one run.
    let single = ok(&["simulate", "scenarios/single-queue.toml", "-q", "-r", "3", "--format", "json"]);
    assert!(ok(&["merge", dir.to_str().unwrap(), "--format", "json"]) == single);

    let none = auto_shard(&dir, &[], &[]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("SLURM_ARRAY_TASK_ID"));
    let no_count = auto_shard(&dir, &[("JOB_COMPLETION_INDEX", "1")], &[]);
    assert_eq!(no_count.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_count.stderr).contains("CCSIM_SHARD_COUNT"));
}

/// In a Kubernetes Indexed Job the number of shards may come from `--shard-count` and from
/// `CCSIM_SHARD_COUNT`: when both are given they must agree, or the shard refuses to run (exit
/// 2) naming both and their values, since either may be the stale one; when they agree it runs.
#[test]
fn shard_auto_refuses_a_shard_count_flag_and_variable_that_disagree() {
    let dir = empty_dir("shards", "auto-count");
    let vars = [("JOB_COMPLETION_INDEX", "0"), ("CCSIM_SHARD_COUNT", "3")];
    let out = auto_shard(&dir, &vars, &["--shard-count", "2"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--shard-count 2") && stderr.contains("CCSIM_SHARD_COUNT=3"),
        "names both and their values: {stderr}"
    );
    assert!(!dir.join("shard-1-of-2").exists() && !dir.join("shard-1-of-3").exists(), "nothing written");
    assert!(auto_shard(&dir, &vars, &["--shard-count", "3"]).status.success(), "{stderr}");
    assert!(dir.join("shard-1-of-3/partial.ccsim").is_file());
}

/// A Slurm array with a gap (`--array=0-3,6`) has step 1, but its task ids are not shards
/// 1..=COUNT: `--shard auto` refuses it in every task, naming the variables, rather than run
/// shards 1 to 4 and leave shard 5 to no task.
#[test]
fn shard_auto_refuses_a_slurm_array_whose_task_ids_have_a_gap() {
    let dir = empty_dir("shards", "auto-gap");
    let gapped = [
        ("SLURM_ARRAY_TASK_ID", "3"),
        ("SLURM_ARRAY_TASK_MIN", "0"),
        ("SLURM_ARRAY_TASK_MAX", "6"),
        ("SLURM_ARRAY_TASK_COUNT", "5"),
        ("SLURM_ARRAY_TASK_STEP", "1"),
    ];
    let out = auto_shard(&dir, &gapped, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("SLURM_ARRAY_TASK_MAX=6")
            && stderr.contains("not consecutive")
            && stderr.contains("--shard K/N"),
        "{stderr}"
    );
    assert!(!dir.join("shard-4-of-5").exists(), "no part is written");
    // A task past the array's count says what to do as well.
    let past = [("SLURM_ARRAY_TASK_ID", "5"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_COUNT", "3")];
    let out = auto_shard(&dir, &past, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("consecutive task ids (e.g. --array=0-7)"), "{stderr}");
}

#[test]
fn the_kubernetes_manifest_runs_indexed_shards_and_a_merge_of_them() {
    let text = std::fs::read_to_string("deploy/kubernetes/indexed-job.yaml").unwrap();
    let docs: Vec<serde_yaml::Value> = serde_yaml::Deserializer::from_str(&text)
        .map(|d| serde::Deserialize::deserialize(d).unwrap())
        .collect();
    let job = |name: &str| {
        docs.iter()
            .find(|d| d["kind"] == "Job" && d["metadata"]["name"] == name)
            .unwrap_or_else(|| panic!("a Job named {name}"))
    };
    let shards = job("ccsim-shards");
    let spec = &shards["spec"];
    assert_eq!(spec["completionMode"], "Indexed", "only Indexed Jobs set JOB_COMPLETION_INDEX");
    let completions = spec["completions"].as_u64().unwrap();
    assert_eq!(spec["parallelism"].as_u64(), Some(completions));
    let container = &spec["template"]["spec"]["containers"][0];
    let command: Vec<&str> =
        container["command"].as_sequence().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(&command[..2], ["ccsim", "simulate"]);
    let flag = |name: &str| command.iter().position(|c| *c == name).map(|i| command[i + 1]);
    assert_eq!(flag("--shard"), Some("auto"));
    let env = container["env"].as_sequence().unwrap();
    let var = |name: &str| env.iter().find(|e| e["name"] == name).unwrap_or_else(|| panic!("env {name}"));
    assert_eq!(var("CCSIM_SHARD_COUNT")["value"].as_str(), Some(completions.to_string().as_str()));
    assert_eq!(
        var("JOB_COMPLETION_INDEX")["valueFrom"]["fieldRef"]["fieldPath"],
        "metadata.annotations['batch.kubernetes.io/job-completion-index']"
    );
    let parts_dir = flag("--out").unwrap();
    let mounted = |job: &serde_yaml::Value| -> String {
        job["spec"]["template"]["spec"]["containers"][0]["volumeMounts"][0]["mountPath"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(mounted(shards), parts_dir, "shards write their parts to the shared volume");
    let merge = job("ccsim-merge");
    assert_eq!(mounted(merge), parts_dir, "the merge reads the same volume");
    let script = merge["spec"]["template"]["spec"]["containers"][0]["command"][2].as_str().unwrap();
    assert!(script.contains(&format!("ccsim merge {parts_dir}")), "{script}");
    let merge_env = &merge["spec"]["template"]["spec"]["containers"][0]["env"][0];
    assert_eq!(merge_env["name"], "PARTS");
    assert_eq!(merge_env["value"].as_str(), Some(completions.to_string().as_str()), "waits for every shard");
    let claim = |job: &serde_yaml::Value| {
        job["spec"]["template"]["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"].clone()
    };
    assert_eq!(claim(shards), claim(merge));
}

#[test]
fn the_slurm_script_submits_an_array_of_shards_and_a_merge_after_all_of_them() {
    let text = std::fs::read_to_string("deploy/slurm/sweep.sbatch").unwrap();
    let syntax =
        std::process::Command::new("bash").args(["-n", "deploy/slurm/sweep.sbatch"]).status().unwrap();
    assert!(syntax.success(), "bash -n");
    assert!(text.contains("tasks=\"0-$((SHARDS - 1))\""), "an array of SHARDS tasks");
    assert!(text.contains("--array=\"$tasks\""), "the array is submitted");
    assert!(text.contains("--dependency=\"afterok:$array\""), "the merge waits for every task");
    assert!(text.contains("--kill-on-invalid-dep=yes"), "a failed task cancels the merge");
    assert!(text.contains("merge \"$WORK/parts\""), "the merge reads the parts");
    assert!(
        text.contains("--shard \"$((SLURM_ARRAY_TASK_ID + 1))/$SHARDS\" --out \"$WORK/parts\""),
        "each task runs its own shard of SHARDS"
    );
}

/// Runs `deploy/slurm/sweep.sbatch` with `vars` (and `PATH` first searching `path_first`), as
/// Slurm would run one of its jobs, or as a user submits; its output.
fn sbatch_script(vars: &[(&str, &str)], path_first: Option<&Path>) -> std::process::Output {
    let mut cmd = std::process::Command::new("bash");
    cmd.arg("deploy/slurm/sweep.sbatch");
    for var in BATCH_VARS.iter().chain(&["CCSIM_STEP", "TASKS", "MERGE_ARGS"]) {
        cmd.env_remove(var);
    }
    if let Some(dir) = path_first {
        cmd.env("PATH", format!("{}:{}", dir.display(), std::env::var("PATH").unwrap_or_default()));
    }
    cmd.env("CCSIM", env!("CARGO_BIN_EXE_ccsim")).envs(vars.iter().copied()).output().unwrap()
}

/// The script's array tasks and merge job, run here as Slurm would run them, for each command it
/// documents: compare and risk have no `--out` files, so their merge writes only stdout.
#[test]
fn the_slurm_script_merges_every_command_it_shards_like_one_process() {
    let dir = empty_dir("shards", "slurm-steps");
    let scenario = std::fs::canonicalize("scenarios/retail-bank.toml").unwrap();
    let late = std::fs::canonicalize("scenarios/plans/retail-bank-late.toml").unwrap();
    let (scenario, late) = (scenario.to_str().unwrap(), late.to_str().unwrap());
    let runs = [
        ("simulate", format!("simulate {scenario} -r 5")),
        ("compare", format!("compare {scenario} --plan {late} -r 5")),
        ("sweep", format!("sweep {scenario} -r 2 --vary agents=-1..1")),
        ("risk", format!("risk {scenario} -r 2 --agents-range 20..24")),
    ];
    for (name, args) in runs {
        let work = dir.join(name);
        let work_text = work.to_str().unwrap();
        for task in ["0", "1", "2"] {
            let shard = sbatch_script(
                &[("CCSIM_ARGS", &args), ("SHARDS", "3"), ("WORK", work_text), ("SLURM_ARRAY_TASK_ID", task)],
                None,
            );
            assert!(shard.status.success(), "{name} task {task}: {}", String::from_utf8_lossy(&shard.stderr));
        }
        let merge = sbatch_script(
            &[("CCSIM_ARGS", &args), ("SHARDS", "3"), ("WORK", work_text), ("CCSIM_STEP", "merge")],
            None,
        );
        assert!(merge.status.success(), "{name} merge: {}", String::from_utf8_lossy(&merge.stderr));
        let mut one: Vec<&str> = args.split(' ').collect();
        one.extend(["-q", "--format", "json"]);
        let merged = std::fs::read(work.join("merged.out")).unwrap();
        assert!(merged == ok(&one), "{name}: merged.out differs from one process");
        assert_eq!(work.join("merged").is_dir(), matches!(name, "simulate" | "sweep"), "{name}: --out files");
        assert!(!work.join("merged.out.tmp").exists());
    }
    // A merge that fails leaves no merged.out to be taken for a result.
    let work = dir.join("simulate");
    std::fs::remove_file(work.join("parts/shard-2-of-3/partial.ccsim")).unwrap();
    let args = format!("simulate {scenario} -r 5");
    let merge = sbatch_script(
        &[("CCSIM_ARGS", &args), ("SHARDS", "3"), ("WORK", work.to_str().unwrap()), ("CCSIM_STEP", "merge")],
        None,
    );
    assert_eq!(merge.status.code(), Some(2), "{}", String::from_utf8_lossy(&merge.stderr));
    assert!(!work.join("merged.out.tmp").exists());
}

/// The script's submission, against a stand-in `sbatch` that records its arguments: a new run
/// clears the parts of an earlier one and submits every task; `TASKS` reruns some tasks of the
/// run, keeping the others' parts, and those tasks stay shards of SHARDS.
#[test]
fn the_slurm_script_clears_an_earlier_run_and_reruns_single_tasks_as_shards_of_the_whole() {
    let dir = empty_dir("shards", "slurm-submit");
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("sbatch.log");
    let fake = bin.join("sbatch");
    std::fs::write(&fake, format!("#!/bin/sh\necho \"$*\" >> {}\necho 42\n", log.display())).unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let work = dir.join("work");
    let old_part = work.join("parts/shard-1-of-2/partial.ccsim");
    std::fs::create_dir_all(old_part.parent().unwrap()).unwrap();
    std::fs::write(&old_part, "an earlier run's part").unwrap();
    std::fs::write(work.join("merged.out"), "an earlier run's report").unwrap();
    let args = "compare scenarios/retail-bank.toml --plan scenarios/plans/retail-bank-late.toml";
    let vars = [("CCSIM_ARGS", args), ("SHARDS", "8"), ("WORK", work.to_str().unwrap())];
    let submit = sbatch_script(&vars, Some(&bin));
    assert!(submit.status.success(), "{}", String::from_utf8_lossy(&submit.stderr));
    assert!(!work.join("parts").exists() && !work.join("merged.out").exists(), "the earlier run is cleared");
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(calls.contains("--array=0-7"), "{calls}");
    assert!(calls.contains("CCSIM_STEP=merge") && calls.contains("--dependency=afterok:42"), "{calls}");

    // Task 3 lost: rerun alone, it is still shard 4 of 8 (as Slurm then sets MIN=3, COUNT=1).
    std::fs::remove_file(&log).unwrap();
    std::fs::create_dir_all(work.join("parts/shard-1-of-8")).unwrap();
    let rerun = sbatch_script(&[vars[0], vars[1], vars[2], ("TASKS", "3")], Some(&bin));
    assert!(rerun.status.success(), "{}", String::from_utf8_lossy(&rerun.stderr));
    assert!(work.join("parts/shard-1-of-8").exists(), "a rerun keeps the other parts");
    assert!(std::fs::read_to_string(&log).unwrap().contains("--array=3"));
    let task = sbatch_script(
        &[
            ("CCSIM_ARGS", "simulate scenarios/single-queue.toml -r 8"),
            ("SHARDS", "8"),
            ("WORK", work.to_str().unwrap()),
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "1"),
        ],
        None,
    );
    assert!(task.status.success(), "{}", String::from_utf8_lossy(&task.stderr));
    assert!(work.join("parts/shard-4-of-8/partial.ccsim").is_file());
    // An unknown command is refused before anything is submitted.
    let bad = sbatch_script(&[("CCSIM_ARGS", "staff x.toml"), vars[1], vars[2]], Some(&bin));
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("simulate, compare, sweep or risk"));
}

#[test]
fn a_shard_refuses_the_charts_and_report_it_would_not_write() {
    let dir = empty_dir("shards", "refused-outputs");
    let out = dir.join("parts");
    let report = dir.join("r.html");
    let charts = dir.join("charts");
    let compare =
        ["compare", "scenarios/retail-bank.toml", "--plan", "scenarios/plans/retail-bank-late.toml"];
    let simulate = ["simulate", "scenarios/single-queue.toml"];
    for (command, flag, path, merge_writes_it) in [
        (&simulate[..], "--report", &report, true),
        (&simulate[..], "--charts", &charts, true),
        (&compare[..], "--report", &report, true),
        (&compare[..], "--charts", &charts, true),
        // The trace is written by neither: an ordinary run writes it.
        (&simulate[..], "--trace", &dir.join("trace.csv"), false),
    ] {
        let mut cmd = ccsim();
        for var in BATCH_VARS {
            cmd.env_remove(var);
        }
        let run = cmd
            .args(command)
            .args(["-q", "-r", "2", "--shard", "1/2", "--out", out.to_str().unwrap(), flag])
            .arg(path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{command:?} {flag}: {stderr}");
        assert!(stderr.contains(&format!("{flag}: not written by a shard")), "{command:?} {flag}: {stderr}");
        // Where the merge writes the output, the message sends it there.
        assert_eq!(
            stderr.contains("give it to `ccsim merge`"),
            merge_writes_it,
            "{command:?} {flag}: {stderr}"
        );
        assert!(!out.exists() && !report.exists() && !charts.exists(), "{command:?} {flag} wrote something");
        if flag == "--trace" {
            assert!(
                stderr.contains("nor by `ccsim merge`") && stderr.contains("without --shard"),
                "{stderr}"
            );
        }
    }
}

/// A shard prints only the part it writes: `--format` and `--intervals` are the merge's, and a
/// shard given one refuses it, naming it, before running.
#[test]
fn a_shard_refuses_the_stdout_flags_of_the_merge() {
    let dir = empty_dir("shards", "refused-formats");
    let out = dir.join("parts");
    let compare =
        ["compare", "scenarios/retail-bank.toml", "--plan", "scenarios/plans/retail-bank-late.toml"];
    let simulate = ["simulate", "scenarios/single-queue.toml"];
    let sweep = ["sweep", "scenarios/single-queue.toml", "--vary", "volume=1"];
    let risk = ["risk", "scenarios/single-queue.toml", "--agents-range", "10..12"];
    for (command, flag, value) in [
        (&simulate[..], "--format", "json"),
        (&simulate[..], "--intervals", "none"),
        (&compare[..], "--format", "json"),
        (&sweep[..], "--format", "json"),
        (&risk[..], "--format", "json"),
    ] {
        let mut cmd = ccsim();
        for var in BATCH_VARS {
            cmd.env_remove(var);
        }
        let run = cmd
            .args(command)
            .args(["-q", "-r", "2", "--shard", "1/2", "--out", out.to_str().unwrap(), flag, value])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{command:?} {flag}: {stderr}");
        assert!(stderr.contains(&format!("{flag}: not used by a shard")), "{command:?} {flag}: {stderr}");
        assert!(!out.exists(), "{command:?} {flag} wrote a part");
    }
}

/// `--intervals` leaves out per-interval rows, which only merged `simulate` parts have: for the
/// parts of a sweep, a risk curve or a comparison it would change nothing, so merge refuses it.
#[test]
fn merge_refuses_intervals_for_parts_without_per_interval_rows() {
    let dir = empty_dir("shards", "merge-intervals");
    let compare = [
        "compare",
        "scenarios/retail-bank.toml",
        "--plan",
        "scenarios/plans/retail-bank-late.toml",
        "-r",
        "2",
    ];
    let sweep = ["sweep", "scenarios/single-queue.toml", "--vary", "volume=0.9,1", "-r", "2"];
    let risk = ["risk", "scenarios/single-queue.toml", "--agents-range", "10..12", "-r", "2"];
    for (name, command) in [("compare", &compare[..]), ("sweep", &sweep[..]), ("risk", &risk[..])] {
        let parts = dir.join(name);
        shards(command, 2, &parts);
        let stderr = refused(&[parts.to_str().unwrap(), "--intervals", "none"]);
        assert!(
            stderr.contains("--intervals:") && stderr.contains("has no per-interval rows"),
            "{name}: {stderr}"
        );
        assert!(!ok(&["merge", parts.to_str().unwrap()]).is_empty(), "{name}: merges without the flag");
    }
}

/// `risk --apply-shrinkage` takes the scenario's shrinkage out of every scaled plan: the JSON
/// says how much (`shrinkage_applied`, absent without the flag), every headcount answers fewer
/// calls in time than with every agent on the phones, and its shards merge into the same bytes
/// as one process; parts made without the flag do not merge as if made with it.
#[test]
fn risk_with_shrinkage_applied_lowers_every_point_and_shards_like_one_process() {
    let dir = empty_dir("shards", "risk-shrinkage");
    let base =
        ["risk", "scenarios/retail-bank-week.toml", "--agents-range", "20..24", "--step", "2", "-r", "2"];
    let json = |extra: &[&str]| -> serde_json::Value {
        let mut args = base.to_vec();
        args.extend(["-q", "--format", "json"]);
        args.extend(extra);
        serde_json::from_slice(&ok(&args)).unwrap()
    };
    let all = json(&[]);
    let net = json(&["--apply-shrinkage"]);
    assert!(all.get("shrinkage_applied").is_none());
    assert_eq!(net["shrinkage_applied"], 0.3);
    let levels = |curve: &serde_json::Value| -> Vec<f64> {
        curve["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["service_level"]["mean"].as_f64().unwrap())
            .collect()
    };
    for (with, without) in levels(&net).iter().zip(levels(&all)) {
        assert!(*with < without, "{with} with shrinkage taken out, {without} without");
    }
    let mut command = base.to_vec();
    command.push("--apply-shrinkage");
    shards(&command, 2, &dir.join("parts"));
    let merged = ok(&["merge", dir.join("parts").to_str().unwrap(), "--format", "json"]);
    let mut one = base.to_vec();
    one.extend(["-q", "--format", "json", "--apply-shrinkage"]);
    assert_eq!(String::from_utf8(merged).unwrap(), String::from_utf8(ok(&one)).unwrap());
    // A part made without the flag beside one made with it: another run.
    shards(&base, 2, &dir.join("plain"));
    let stderr = refused(&[
        dir.join("parts/shard-1-of-2").to_str().unwrap(),
        dir.join("plain/shard-2-of-2").to_str().unwrap(),
    ]);
    assert!(stderr.contains("shard-2-of-2"), "{stderr}");
}

/// Peak resident memory, in KB, of `ccsim ARGS`, as `/usr/bin/time` reports it: `None` when
/// the machine has no `/usr/bin/time`. Not `wait4` on a child of the test process: a child
/// started with `posix_spawn` shares the test process's memory until it runs ccsim, and Linux
/// counts that memory's peak in the child's.
fn peak_memory_kb(args: &[&str]) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    if !time.is_file() {
        return None;
    }
    let mut cmd = std::process::Command::new(time);
    for var in BATCH_VARS {
        cmd.env_remove(var);
    }
    let out = cmd
        .args(["-f", "peak %M"])
        .arg(assert_cmd::cargo::cargo_bin("ccsim"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ccsim {args:?}: {stderr}");
    let line = stderr.lines().rev().find_map(|l| l.strip_prefix("peak ")).expect("the peak line of time");
    Some(line.trim().parse().unwrap())
}

/// A shard writes its part as it simulates, and merge reads a part as a stream: neither holds
/// a part whole, so a part twenty times larger (about 40 MB more of records) needs no more
/// memory.
#[test]
fn shard_and_merge_memory_does_not_grow_with_the_part() {
    let dir = empty_dir("shards", "memory");
    let mut peaks = Vec::new();
    for replications in ["40", "800"] {
        let out = dir.join(replications);
        let out = out.to_str().unwrap();
        let shard = [
            "simulate",
            "scenarios/retail-bank.toml",
            "-r",
            replications,
            "--threads",
            "1",
            "-q",
            "--shard",
            "1/1",
            "--out",
            out,
        ];
        let (Some(shard), Some(merge)) =
            (peak_memory_kb(&shard), peak_memory_kb(&["merge", out, "--format", "json"]))
        else {
            eprintln!("skipped: no /usr/bin/time to measure peak memory with");
            return;
        };
        let part =
            std::fs::metadata(dir.join(replications).join("shard-1-of-1/partial.ccsim")).unwrap().len();
        peaks.push((shard, merge, part / 1024));
    }
    let [(small_shard, small_merge, small_part), (large_shard, large_merge, large_part)] = peaks[..] else {
        unreachable!()
    };
    assert!(
        large_part > small_part + 30_000,
        "the larger part is {large_part} KB, the smaller {small_part} KB"
    );
    // A margin of 10 MB for the allocator's whims, a quarter of the difference between the parts.
    assert!(large_shard < small_shard + 10_000, "shard: {small_shard} KB, then {large_shard} KB");
    assert!(large_merge < small_merge + 10_000, "merge: {small_merge} KB, then {large_merge} KB");
}
