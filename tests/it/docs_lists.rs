//! The lists the reference pages under `docs/` give of things the program can enumerate,
//! checked against the program: every cap of `src/limits.rs` with its value (limits.md),
//! every key of a simulation summary (json.md), every file `--out` writes (output-files.md),
//! every key a scenario may hold (scenario-format.md) and every chart file each command's
//! `--charts` draws (charts.md). A cap, key or file added without its line on the page fails
//! here, as does a page naming one the program no longer has.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::readme::grouped;
use crate::util::{ccsim, empty_dir, stdout_json};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text of `page` from the heading that starts with `heading` to the next heading of the
/// same level or higher.
fn section(page: &str, heading: &str) -> String {
    let text = read(page);
    let start = text.find(heading).unwrap_or_else(|| panic!("{page} has no heading {heading:?}"));
    let level = heading.chars().take_while(|&c| c == '#').count();
    let rest = &text[start + heading.len()..];
    let end = rest
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .find(|&i| {
            let line = &rest[i..];
            let hashes = line.chars().take_while(|&c| c == '#').count();
            hashes > 0 && hashes <= level && line[hashes..].starts_with(' ')
        })
        .unwrap_or(rest.len());
    rest[..end].to_string()
}

/// The names of the constants `src/limits.rs` declares public.
fn limits_rs_caps() -> Vec<String> {
    read("src/limits.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("pub const "))
        .map(|l| l.split(':').next().unwrap().trim().to_string())
        .collect()
}

/// The rows of limits.md's table, each as its cells.
fn limits_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| ---") && !l.starts_with("| Cap "))
        .map(|l| l.trim_matches('|').split(" | ").map(|c| c.trim().to_string()).collect())
        .collect()
}

/// What limits.md's table must say of each cap: (name, text its row must hold, whether that
/// text must be in the value cell rather than anywhere in the row).
fn cap_values() -> Vec<(&'static str, String, bool)> {
    use ccsim::limits as l;
    let days = |s: f64| format!("{} days", s / 86_400.0);
    vec![
        ("MAX_FILE_BYTES", format!("{} MiB", l::MAX_FILE_BYTES / (1024 * 1024)), true),
        ("MAX_DAYS", grouped(l::MAX_DAYS as f64, 0), true),
        ("MAX_INTERVALS", grouped(l::MAX_INTERVALS as f64, 0), true),
        ("MAX_GRID_CELLS", grouped(l::MAX_GRID_CELLS as f64, 0), true),
        ("MAX_CONTACTS_PER_REPLICATION", grouped(l::MAX_CONTACTS_PER_REPLICATION, 0), true),
        ("MAX_CONTACTS_HELD", grouped(l::MAX_CONTACTS_HELD as f64, 0), true),
        ("MAX_RECALLS_PER_FRESH_CONTACT", grouped(l::MAX_RECALLS_PER_FRESH_CONTACT, 0), true),
        ("MIN_RECALL_BUDGET", format!("at least {}", grouped(l::MIN_RECALL_BUDGET, 0)), false),
        ("MAX_INITIAL_BACKLOG", format!("{} emails", grouped(f64::from(l::MAX_INITIAL_BACKLOG), 0)), true),
        ("MAX_CALL_TYPES", grouped(l::MAX_CALL_TYPES as f64, 0), true),
        ("MAX_AGENT_GROUPS", grouped(l::MAX_AGENT_GROUPS as f64, 0), true),
        ("MAX_NAME_CHARS", format!("{} characters", l::MAX_NAME_CHARS), true),
        ("MAX_AGENTS", grouped(f64::from(l::MAX_AGENTS), 0), true),
        ("MAX_AGENT_DAYS", grouped(l::MAX_AGENT_DAYS as f64, 0), true),
        ("MAX_REPLICATIONS", grouped(f64::from(l::MAX_REPLICATIONS), 0), true),
        ("MAX_RESULT_RECORDS", grouped(l::MAX_RESULT_RECORDS as f64, 0), true),
        ("MAX_SCHEDULE_MODEL", format!("{} entries", grouped(l::MAX_SCHEDULE_MODEL as f64, 0)), true),
        ("MAX_DURATION", days(l::MAX_DURATION), true),
        ("MAX_ANY_DURATION", days(l::MAX_ANY_DURATION), true),
        ("MAX_CALLBACK_RETRIES", l::MAX_CALLBACK_RETRIES.to_string(), true),
        ("MAX_HANDLE_TIME_FACTOR", l::MAX_HANDLE_TIME_FACTOR.to_string(), true),
        ("COST_PER_HOUR", format!("{} to {}", l::COST_PER_HOUR.0, grouped(l::COST_PER_HOUR.1, 0)), true),
        ("DURATION_CV", format!("{} to {}", l::DURATION_CV.0, l::DURATION_CV.1), true),
        ("MAX_CONCURRENCY", format!("{} chats", ccsim::model::MAX_CONCURRENCY), true),
        ("erlang::MAX_LOAD", format!("{} Erlangs", grouped(ccsim::erlang::MAX_LOAD, 0)), true),
        (
            "MAX_CV",
            format!("{}, and {} above 0", ccsim::uncertainty::MAX_CV, ccsim::uncertainty::MIN_CV),
            true,
        ),
    ]
}

/// limits.md's table names every public constant of `src/limits.rs`, and gives each cap the
/// value the program enforces.
#[test]
fn the_limits_page_gives_every_cap_of_the_program_with_its_value() {
    let page = read("docs/limits.md");
    let rows = limits_rows(&page);
    assert!(rows.len() >= 20, "limits.md: only {} table rows found", rows.len());
    let row_of = |name: &str| {
        let tick = format!("`{name}`");
        rows.iter()
            .find(|r| r[0].contains(&tick))
            .or_else(|| rows.iter().find(|r| r.iter().any(|c| c.contains(&tick))))
    };
    for name in limits_rs_caps() {
        assert!(row_of(&name).is_some(), "docs/limits.md's table does not name `{name}` of src/limits.rs");
    }
    for (name, says, in_value) in cap_values() {
        let row = row_of(name).unwrap_or_else(|| panic!("docs/limits.md's table does not name `{name}`"));
        let text = if in_value { row[1].clone() } else { row.join(" | ") };
        assert!(text.contains(&says), "docs/limits.md: the row of `{name}` should say {says:?}: {row:?}");
    }
}

/// Every key name in `value`, at any depth, each with the path of the first place it was met.
fn key_names(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if !out.iter().any(|(name, _)| name == k) {
                    out.push((k.clone(), format!("{at}.{k}")));
                }
                key_names(v, &format!("{at}.{k}"), out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| key_names(v, &format!("{at}[]"), out)),
        _ => {}
    }
}

/// The `M` list of json.md: the figures each summary statistic block holds.
fn m_list(simulate: &str) -> BTreeSet<String> {
    let folded = crate::readme::fold(simulate);
    let start = folded.find("`M` holds `").expect("json.md says what `M` holds") + "`M` holds `".len();
    let end = start + folded[start..].find('`').unwrap();
    folded[start..end].split(',').map(|k| k.trim().to_string()).collect()
}

/// json.md's `simulate` section lists every figure of a summary's statistic block (`M`) and
/// names every key any shipped scenario's summary holds, at any depth.
#[test]
fn the_json_page_names_every_key_of_a_simulation_summary() {
    let simulate = section("docs/json.md", "## `simulate --format json`");
    let m = m_list(&simulate);
    let mut names = Vec::new();
    for entry in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let run = ccsim()
                .current_dir(root())
                .args(["simulate", path.to_str().unwrap(), "-q", "-r", "2", "--format", "json"])
                .assert()
                .success();
            let summary = stdout_json(&run);
            let overall: BTreeSet<String> = summary["overall"].as_object().unwrap().keys().cloned().collect();
            assert_eq!(m, overall, "docs/json.md's `M` list against {}'s `overall`", path.display());
            key_names(&summary, &path.file_name().unwrap().to_string_lossy(), &mut names);
        }
    }
    let estimate = ["mean", "half_width", "low", "high"];
    for (name, at) in names {
        if m.contains(&name) || estimate.contains(&name.as_str()) {
            continue;
        }
        assert!(
            simulate.contains(&format!("\"{name}\"")) || simulate.contains(&format!("`{name}`")),
            "docs/json.md's simulate section does not name the key {name:?} (at {at})"
        );
    }
}

/// The files of the set of `flag` (`simulate --out DIR`, ...) that output-files.md lists.
fn listed_files(flag: &str) -> BTreeSet<String> {
    let page = crate::readme::fold(&read("docs/output-files.md"));
    let key = format!("`{flag}`:");
    let start =
        page.find(&key).unwrap_or_else(|| panic!("output-files.md lists no set for {flag}")) + key.len();
    let end = start + page[start..].find(';').unwrap();
    page[start..end]
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| w.ends_with(".json") || w.ends_with(".csv") || w.ends_with(".toml"))
        .map(str::to_string)
        .collect()
}

fn written(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect()
}

/// output-files.md lists every file `simulate --out`, `staff --out` and `sweep --out` write,
/// and no other: the union over a phone-only scenario and one with email.
#[test]
fn the_output_files_page_lists_every_file_each_out_set_writes() {
    let dir = empty_dir("docs_lists", "out-sets");
    let run = |args: &[&str], out: &str| {
        let out = dir.join(out);
        ccsim()
            .current_dir(root())
            .args(args)
            .args(["-q", "--out", out.to_str().unwrap()])
            .assert()
            .success();
        written(&out)
    };
    let mut simulate = run(&["simulate", "scenarios/single-queue.toml", "-r", "2"], "single");
    simulate.extend(run(&["simulate", "scenarios/omnichannel.toml", "-r", "2"], "omni"));
    assert_eq!(listed_files("simulate --out DIR"), simulate, "docs/output-files.md: simulate --out");
    let staff = run(&["staff", "scenarios/single-queue.toml", "--method", "erlang-c"], "staff");
    assert_eq!(listed_files("staff --out DIR"), staff, "docs/output-files.md: staff --out");
    let sweep = run(&["sweep", "scenarios/single-queue.toml", "-r", "2", "--vary", "volume=1,1.1"], "sweep");
    assert_eq!(listed_files("sweep --out DIR"), sweep, "docs/output-files.md: sweep --out");
}

/// Every property name of `node` of the scenario schema, at any depth.
fn schema_keys(schema: &Value, node: &Value, seen: &mut BTreeSet<String>, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str)
                && seen.insert(r.to_string())
            {
                let def = &schema["$defs"][r.trim_start_matches("#/$defs/")];
                schema_keys(schema, def, seen, out);
            }
            if let Some(props) = map.get("properties").and_then(Value::as_object) {
                out.extend(props.keys().cloned());
            }
            for (k, v) in map {
                if k != "$defs" {
                    schema_keys(schema, v, seen, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| schema_keys(schema, v, seen, out)),
        _ => {}
    }
}

/// scenario-format.md names every key the scenario reader accepts (as `ccsim schema` lists
/// them): written as a TOML key (`key =`, `[key]`, `[[key]]`, `[section.key]`) or in code
/// (`` `key` ``, `` `[section] key` ``).
#[test]
fn the_scenario_format_page_names_every_key_a_scenario_may_hold() {
    let schema = stdout_json(&ccsim().arg("schema").assert().success());
    let mut keys = BTreeSet::new();
    schema_keys(&schema, &schema, &mut BTreeSet::new(), &mut keys);
    assert!(keys.len() >= 50, "only {} keys found in the schema", keys.len());
    let page = read("docs/scenario-format.md");
    let named = |k: &str| {
        [
            format!("`{k}`"),
            format!("\n{k} ="),
            format!("{{ {k} ="),
            format!(", {k} ="),
            format!("[{k}]"),
            format!("[[{k}]]"),
            format!(".{k}]"),
            format!("] {k}`"),
            format!("`{k} ="),
            format!("# {k} ="),
            format!("call type `{k}"),
        ]
        .iter()
        .any(|form| page.contains(form.as_str()))
    };
    let missing: Vec<&String> = keys.iter().filter(|k| !named(k)).collect();
    assert!(missing.is_empty(), "docs/scenario-format.md does not name the scenario keys {missing:?}");
}

/// Every key name of `value`, at any depth, as [`key_names`], except the keys of the maps at
/// the paths ending in one of `data` (their keys are names from the input: call types,
/// families, kinds of defect).
fn contract_key_names(value: &Value, at: &str, data: &[&str], out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            let is_data = data.iter().any(|d| at.ends_with(d));
            for (k, v) in map {
                if !is_data && !out.iter().any(|(name, _)| name == k) {
                    out.push((k.clone(), format!("{at}.{k}")));
                }
                if !is_data {
                    contract_key_names(v, &format!("{at}.{k}"), data, out);
                }
            }
        }
        Value::Array(items) => {
            items.iter().for_each(|v| contract_key_names(v, &format!("{at}[]"), data, out))
        }
        _ => {}
    }
}

/// json.md's section for each command but `simulate` names every key that command's JSON
/// holds, at any depth, over runs that bring out its optional keys: the figures of a
/// statistic block (`M`) and of an estimate, and the keys of `simulate`'s own outputs the
/// section refers to ("as `simulate`'s"), may be named in the `simulate` section instead.
#[test]
fn the_json_page_names_every_key_of_each_command() {
    let simulate = section("docs/json.md", "## `simulate --format json`");
    let m = m_list(&simulate);
    let bank = "scenarios/retail-bank.toml";
    let erlang = ["erlang", "--calls", "100", "--interval", "30m", "--aht", "3m", "--target", "20s"];
    let runs: Vec<(&str, bool, Vec<Vec<&str>>)> = vec![
        (
            "## `erlang --format json`",
            false,
            vec![
                [&erlang[..], &["--sl-goal", "0.8"]].concat(),
                [&erlang[..], &["--sl-goal", "0.8", "--patience", "2m"]].concat(),
                vec!["erlang", "--model", "erlang-b", "--erlangs", "10", "--max-block", "0.01"],
                [&erlang[..], &["--sl-goal", "0.8", "--lines", "18", "--patience", "2m", "--redial", "0.5"]]
                    .concat(),
                [&erlang[..], &["--sl-goal", "0.8", "--concurrency", "2"]].concat(),
                [&erlang[..], &["--sl-goal", "0.8", "--concurrency", "2", "--model", "chat-exact"]].concat(),
            ],
        ),
        (
            "## `staff --format json`",
            true,
            vec![
                vec!["staff", bank, "--method", "erlang-c"],
                vec!["staff", "scenarios/omnichannel.toml", "--method", "simulation"],
                vec!["staff", "scenarios/telco-lines.toml", "--method", "all"],
                vec!["staff", "scenarios/launch-week.toml", "--risk", "0.8"],
            ],
        ),
        ("## `schedule --format json`", true, vec![vec!["schedule", bank]]),
        ("## `compare --format json`", true, vec![crate::util::BANK_COMPARISON.to_vec()]),
        (
            "## `risk --format json`",
            true,
            vec![
                vec!["risk", bank, "--agents-range", "30..32"],
                vec!["risk", "scenarios/launch-week.toml", "--agents-range", "30..32", "--step", "2"],
            ],
        ),
        (
            "## `sweep --format json`",
            true,
            vec![
                vec!["sweep", bank, "--vary", "volume=1,1.1", "--vary", "agents=0,1", "--apply-shrinkage"],
                vec!["sweep", "scenarios/omnichannel.toml", "--vary", "volume=1"],
                vec!["sweep", "scenarios/telco-lines.toml", "--vary", "volume=1"],
            ],
        ),
        (
            "## `fit --format json`",
            false,
            vec![
                vec!["fit", "scenarios/data/retail-bank-calls.csv"],
                vec!["fit", "scenarios/data/retail-bank-calls.csv", "--short-abandon", "5s"],
            ],
        ),
    ];
    let data = [".transfers", ".rejected", ".noted", ".first_lines", ".fits", ".by_call_type"];
    let estimate = ["mean", "half_width", "low", "high"];
    for (heading, simulated, commands) in runs {
        let text = section("docs/json.md", heading);
        // `staff --risk` has a section of its own, after the one of `staff`.
        let text = if heading.starts_with("## `staff") {
            text + &section("docs/json.md", "## `staff` with `--risk`")
        } else {
            text
        };
        let mut names = Vec::new();
        for args in commands {
            let mut cmd = ccsim();
            cmd.current_dir(root()).args(&args).args(["--format", "json"]);
            if args[0] != "erlang" && args[0] != "fit" {
                cmd.args(["-q"]);
            }
            if ["compare", "risk", "sweep"].contains(&args[0]) {
                cmd.args(["-r", "2"]);
            }
            let json = stdout_json(&cmd.assert().success());
            contract_key_names(&json, &args.join(" "), &data, &mut names);
        }
        let named = |page: &str, name: &str| {
            page.contains(&format!("\"{name}\"")) || page.contains(&format!("`{name}`"))
        };
        for (name, at) in names {
            let elsewhere = simulated
                && (m.contains(&name) || estimate.contains(&name.as_str()) || named(&simulate, &name));
            assert!(
                named(&text, &name) || elsewhere,
                "docs/json.md's section {heading:?} does not name the key {name:?} (at {at})"
            );
        }
    }
}

/// The chart files charts.md's table gives each command, `<call type>` spelt out with the
/// scenario's call types.
fn listed_charts(command: &str, call_types: &[&str]) -> BTreeSet<String> {
    let table = section("docs/charts.md", "## Charts");
    let mut files = BTreeSet::new();
    for row in table.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split(" | ").collect();
        if cells[0].trim_start_matches("| ").split('`').nth(1) != Some(command) {
            continue;
        }
        for name in cells[1].split('`').skip(1).step_by(2) {
            match name.split_once("<call type>") {
                Some((head, tail)) => files.extend(call_types.iter().map(|c| format!("{head}{c}{tail}"))),
                None => {
                    files.insert(name.to_string());
                }
            }
        }
    }
    files
}

/// charts.md's table names every chart file each command's `--charts DIR` writes, and no other:
/// runs of several days, so that the heat maps are drawn too.
#[test]
fn the_charts_page_lists_every_chart_each_command_draws() {
    let dir = empty_dir("docs_lists", "charts");
    let week = "scenarios/retail-bank-week.toml";
    let day = "scenarios/retail-bank.toml";
    let late = "scenarios/plans/retail-bank-late.toml";
    let runs: [(&str, &[&str]); 6] = [
        ("simulate", &[week, "-r", "2"]),
        ("staff", &[week, "--method", "erlang-a"]),
        ("schedule", &[day]),
        ("compare", &[day, "--plan", "scenario", "--plan", late, "-r", "2"]),
        ("sweep", &[day, "--vary", "volume=1,1.1", "-r", "2"]),
        ("risk", &[day, "--agents-range", "30..32", "--step", "2", "-r", "2"]),
    ];
    for (command, args) in runs {
        let charts = dir.join(command);
        ccsim()
            .current_dir(root())
            .arg(command)
            .args(args)
            .args(["-q", "--charts", charts.to_str().unwrap()])
            .assert()
            .success();
        let listed = listed_charts(command, &["accounts", "cards", "loans"]);
        assert_eq!(listed, written(&charts), "docs/charts.md: the charts of {command}");
    }
}
