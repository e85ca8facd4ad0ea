//! `ccsim staff --chat-model exact`: each chat row's `chat_exact` is the exact chat model's
//! requirement on that interval's load, handle time, concurrency, factors, patience and chat
//! goal (what `ccsim erlang --model chat-exact` answers for the same figures); at one chat per
//! agent it is Erlang C's count (Erlang A's with patience); a count past the model's state
//! limit is `null`, named, and the estimate stands there, alike in the table, JSON and CSV;
//! without the flag no output carries it; a scenario without chat refuses the flag.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::channels_planning::CHAT;
use crate::util::{Recorder, ccsim, fresh_path, refusal_of, stdout_json, stdout_text};

const OMNI: &str = "scenarios/omnichannel.toml";

/// `staff FILE --method erlang-c` with `extra` flags, as JSON.
fn staff_json(file: &Path, extra: &[&str]) -> serde_json::Value {
    let run = ccsim()
        .arg("staff")
        .arg(file)
        .args(["--method", "erlang-c", "--format", "json"])
        .args(extra)
        .assert();
    stdout_json(&run.success())
}

/// `text` written to a scratch scenario file.
fn scenario_file(name: &str, text: &str) -> PathBuf {
    let path = fresh_path("chat-exact-staffing", name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The rows of the chat type `name`.
fn rows_of<'a>(report: &'a serde_json::Value, name: &str) -> Vec<&'a serde_json::Value> {
    let rows = report["intervals"].as_array().unwrap();
    rows.iter().filter(|r| r["call_type"] == name).collect()
}

#[test]
fn each_chat_exact_figure_is_what_erlang_chat_exact_answers_for_that_intervals_load() {
    let scenario = ccsim::scenario::load(Path::new(OMNI)).unwrap().scenario;
    let ct = scenario.call_types.iter().position(|c| c.name == "web-chat").unwrap();
    let call_type = &scenario.call_types[ct];
    let group = &scenario.agent_groups[ccsim::staffing::primary_groups(&scenario)[ct].unwrap().idx()];
    let chat = group.chat.as_ref().unwrap();
    let factors: Vec<String> = chat.factors().iter().map(f64::to_string).collect();
    let aht = call_type.handle_time.mean() * group.handle_time_factor;
    let patience = call_type.patience.as_ref().unwrap().mean();
    let goal = scenario.goal_for(ccsim::model::Channel::Chat);

    let report = staff_json(Path::new(OMNI), &["--chat-model", "exact"]);
    let rows = rows_of(&report, "web-chat");
    assert_eq!(rows.len(), scenario.grid.len());
    // Every interval of the week repeats one of a day's loads: each distinct one once.
    let mut checked = BTreeSet::new();
    for row in rows {
        let load = row["load_erlangs"].as_f64().unwrap();
        let exact = row["chat_exact"].as_u64().unwrap_or_else(|| panic!("no chat_exact in {row}"));
        if load == 0.0 {
            assert_eq!(exact, 0, "{row}");
            continue;
        }
        if !checked.insert(load.to_bits()) {
            continue;
        }
        let run = ccsim()
            .arg("erlang")
            .args(["--model", "chat-exact", "--format", "json"])
            .args(["--erlangs", &load.to_string(), "--aht", &format!("{aht}s")])
            .args(["--concurrency", &chat.max().to_string(), "--concurrency-factors", &factors.join(",")])
            .args(["--patience", &format!("{patience}s")])
            .args(["--target", &format!("{}s", goal.target), "--sl-goal", &goal.goal.to_string()])
            .assert()
            .success();
        let erlang = stdout_json(&run);
        assert_eq!(Some(exact), erlang["required_agents"].as_u64(), "{row}");
    }
    assert!(checked.len() > 10, "only {} distinct loads checked", checked.len());
}

#[test]
fn at_one_chat_per_agent_chat_exact_is_erlang_c_and_with_patience_erlang_a() {
    let single = CHAT
        .replace("max_concurrency = 3", "max_concurrency = 1")
        .replace("concurrency_factors = [1.0, 1.7, 2.5]", "concurrency_factors = [1.0]")
        .replace("volumes = [360]", "volumes = [360, 500, 90]")
        .replace("interval = \"4h\"", "interval = \"1h\"");
    let patient = single.replace(
        "handle_time = { distribution = \"exponential\", mean = \"6m\" }",
        "handle_time = { distribution = \"exponential\", mean = \"6m\" }\n\
         patience = { distribution = \"exponential\", mean = \"2m\" }",
    );
    for (name, text, formula) in
        [("single.toml", &single, "erlang_c"), ("patient.toml", &patient, "erlang_a")]
    {
        let report = staff_json(&scenario_file(name, text), &["--chat-model", "exact"]);
        for row in rows_of(&report, "web-chat") {
            assert!(row[formula].as_u64().is_some_and(|a| a > 0), "{name}: {row}");
            assert_eq!(row["chat_exact"], row[formula], "{name}: {row}");
        }
    }
}

#[test]
fn a_chat_count_past_the_state_limit_is_null_named_and_the_estimate_stands_in_every_format() {
    // Five chats per agent: 32 agents are the most within the limit; 450 Erlangs need about 143.
    let big = CHAT
        .replace("volumes = [360]", "volumes = [360, 9000]")
        .replace("interval = \"4h\"", "interval = \"2h\"")
        .replace("max_concurrency = 3", "max_concurrency = 5")
        .replace("concurrency_factors = [1.0, 1.7, 2.5]", "concurrency_factors = [1.0, 1.7, 2.3, 2.8, 3.2]");
    let file = scenario_file("big.toml", &big);
    let report = staff_json(&file, &["--chat-model", "exact"]);
    let rows = rows_of(&report, "web-chat");
    assert!(rows[0]["chat_exact"].as_u64().is_some(), "{}", rows[0]);
    // Present and null: not left out as in a run without the flag.
    assert!(rows[1].as_object().unwrap().contains_key("chat_exact"), "{}", rows[1]);
    assert!(rows[1]["chat_exact"].is_null(), "{}", rows[1]);
    let estimate = rows[1]["erlang_c_chat"].as_u64().unwrap();
    assert!(estimate > 32, "{estimate}");
    let past = report["chat_exact_past_limit"].as_array().unwrap();
    assert_eq!(past.len(), 1, "{past:?}");
    assert_eq!(past[0]["start"], "11:00");
    assert_eq!(past[0]["call_type"], "web-chat");
    assert_eq!(past[0]["most_agents"], 32);
    assert_eq!(past[0]["concurrency"], 5);
    assert_eq!(past[0]["max_states"], 500_000);
    assert_eq!(past[0]["erlang_c_chat"].as_u64(), Some(estimate));

    let staff = |format: &str| {
        let mut run = ccsim();
        run.arg("staff").arg(&file).args([
            "--method",
            "erlang-c",
            "--chat-model",
            "exact",
            "--format",
            format,
        ]);
        stdout_text(&run.assert().success())
    };
    let csv = staff("csv");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let column = header.iter().position(|h| *h == "chat_exact (agents)").expect("a chat_exact column");
    let cells: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert_eq!(cells[0][column], rows[0]["chat_exact"].to_string());
    assert_eq!(cells[1][column], "", "{csv}");
    let table = staff("table");
    assert!(
        table.lines().any(|l| l.starts_with("11:00") && l.split_whitespace().nth(5) == Some("-")),
        "{table}"
    );
    let flat = table.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("at most 500000 states"), "{table}");
    assert!(
        flat.contains(&format!("11:00 \"web-chat\" (more than 32 agents at 5 chats; estimate {estimate})")),
        "{table}"
    );
    assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");

    // The HTML report's table has the column and the note the terminal's has.
    let html_path = fresh_path("chat-exact-past-limit", "report.html");
    ccsim()
        .arg("staff")
        .arg(&file)
        .args(["-q", "--method", "erlang-c", "--chat-model", "exact", "--report"])
        .arg(&html_path)
        .assert()
        .success();
    let html = std::fs::read_to_string(&html_path).unwrap();
    let by_interval = &html[html.find("id=\"by-interval\"").unwrap()..];
    let headers: Vec<&str> =
        by_interval.split("<th>").skip(1).map(|h| h.split('<').next().unwrap()).collect();
    let column = headers.iter().position(|h| *h == "Exact chat (agents)").expect("an exact chat column");
    let cells_of = |start: &str| -> Vec<String> {
        let row = &by_interval[by_interval.find(&format!("<td>{start}</td>")).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        row.split("<td")
            .skip(1)
            .map(|c| c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()].to_string())
            .collect()
    };
    assert_eq!(cells_of("09:00")[column], rows[0]["chat_exact"].to_string(), "{by_interval}");
    assert_eq!(cells_of("11:00")[column], "-", "{by_interval}");
    let flat = by_interval.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!(
            "11:00 &quot;web-chat&quot; (more than 32 agents at 5 chats; estimate {estimate})"
        )),
        "{flat}"
    );
}

#[test]
fn without_the_flag_no_output_carries_the_exact_chat_figure() {
    for extra in [&[][..], &["--chat-model", "estimate"][..]] {
        let json =
            ccsim().args(["staff", OMNI, "--method", "erlang-c", "--format", "json"]).args(extra).assert();
        let json = stdout_text(&json.success());
        assert!(!json.contains("chat_exact"), "{json}");
        let csv =
            ccsim().args(["staff", OMNI, "--method", "erlang-c", "--format", "csv"]).args(extra).assert();
        assert!(!stdout_text(&csv.success()).contains("chat_exact"));
        let table = ccsim().args(["staff", OMNI, "--method", "erlang-c"]).args(extra).assert();
        assert!(!stdout_text(&table.success()).contains("Exact"));
        let html = fresh_path("chat-exact-without", "report.html");
        ccsim()
            .args(["staff", OMNI, "-q", "--method", "erlang-c", "--report"])
            .arg(&html)
            .args(extra)
            .assert()
            .success();
        assert!(!std::fs::read_to_string(&html).unwrap().contains("Exact"));
    }
}

#[test]
fn the_exact_chat_model_is_refused_for_a_scenario_without_chat() {
    let refusal = refusal_of(ccsim().args([
        "staff",
        "scenarios/retail-bank.toml",
        "--method",
        "erlang-c",
        "--chat-model",
        "exact",
    ]));
    assert!(refusal.contains("--chat-model exact"), "{refusal}");
    assert!(refusal.contains("no chat call type"), "{refusal}");
    let refusal = refusal_of(ccsim().args(["staff", OMNI, "--chat-model", "erlang-c"]));
    assert!(refusal.contains("estimate") && refusal.contains("exact"), "{refusal}");
}

#[test]
fn the_exact_chat_figure_leaves_the_requirement_and_the_waterfall_as_they_were() {
    let without = staff_json(Path::new(OMNI), &[]);
    let with = staff_json(Path::new(OMNI), &["--chat-model", "exact"]);
    for key in ["analytic_groups", "agent_hours", "waterfall", "simulation"] {
        assert_eq!(without[key], with[key], "{key}");
    }
}

#[test]
fn with_the_simulation_search_the_exact_figure_is_given_and_the_search_is_unchanged() {
    let file = scenario_file("search.toml", CHAT);
    let run = |extra: &[&str]| {
        let mut cmd = ccsim();
        cmd.arg("staff").arg(&file).args(["--method", "simulation", "-r", "5", "-q", "--format", "json"]);
        stdout_json(&cmd.args(extra).assert().success())
    };
    let (without, with) = (run(&[]), run(&["--chat-model", "exact"]));
    assert_eq!(without["simulation"], with["simulation"]);
    assert_eq!(without["waterfall"], with["waterfall"]);
    assert!(with["intervals"][0]["chat_exact"].as_u64().is_some(), "{}", with["intervals"][0]);
}

#[test]
fn the_exact_chat_searches_are_a_progress_phase_of_one_step_per_distinct_chat_cell() {
    use ccsim::staffing::{ChatModel, Method};
    use ccsim::usecase::Phase;
    // Four intervals, three distinct loads (one repeated): three searches.
    let text = CHAT
        .replace("volumes = [360]", "volumes = [360, 90, 360, 200]")
        .replace("interval = \"4h\"", "interval = \"1h\"");
    let scenario = ccsim::scenario::load_str(&text, Path::new("progress.toml")).unwrap().scenario;
    let request = |chat_model| ccsim::usecase::staff::Request {
        method: Method::ErlangC,
        options: ccsim::replicate::Options { replications: 1, seed: 1, threads: None },
        risk: None,
        chat_model,
    };
    let phases = |chat_model| {
        let recorder = Recorder::default();
        ccsim::usecase::staff::staff(&scenario, &request(chat_model), &recorder).unwrap();
        recorder.phases.into_inner().unwrap()
    };
    let exact = phases(ChatModel::Exact);
    assert_eq!(exact.last(), Some(&(Phase::SolvingChatExact, 3, 3)), "{exact:?}");
    assert_eq!(ccsim::staffing::chat_exact::searches(&scenario), 3);
    let estimate = phases(ChatModel::Estimate);
    assert!(estimate.iter().all(|p| p.0 != Phase::SolvingChatExact), "{estimate:?}");
}

#[test]
fn a_huge_or_tiny_concurrency_factor_is_named_in_a_few_characters_on_the_command_line_and_in_a_scenario() {
    for (factors, shown) in [("1,1e300,1e308", "factor 2 is 1e300"), ("1,1e-300,2e-300", "factor 2 (1e-300)")]
    {
        let flag = refusal_of(
            ccsim()
                .args(["erlang", "--erlangs", "5", "--aht", "10m", "--target", "60s", "--sl-goal", "0.8"])
                .args(["--model", "chat-exact", "--concurrency", "3", "--concurrency-factors", factors]),
        );
        assert!(flag.contains("--concurrency-factors") && flag.contains(shown), "{flag}");
        assert!(flag.len() < 400, "{flag}");
        let list = factors.replace(',', ", ");
        let text =
            CHAT.replace("concurrency_factors = [1.0, 1.7, 2.5]", &format!("concurrency_factors = [{list}]"));
        let file = scenario_file(&format!("factors{}.toml", shown.len()), &text);
        let field = refusal_of(ccsim().arg("staff").arg(&file).args([
            "--method",
            "erlang-c",
            "--chat-model",
            "exact",
        ]));
        assert!(field.contains("concurrency_factors") && field.contains(shown), "{field}");
        assert!(field.len() < 600, "{field}");
    }
}

/// Odd chat inputs to the exact model end in figures or in a refusal naming the flag or field,
/// never in a panic, a NaN or an infinity in the output.
#[test]
fn odd_chat_inputs_end_in_finite_figures_or_a_refusal_naming_what_was_wrong() {
    let erlang = |extra: &[&str]| {
        let mut run = ccsim();
        run.args(["erlang", "--aht", "10m", "--target", "60s", "--model", "chat-exact", "--format", "json"]);
        run.args(extra);
        run.output().unwrap()
    };
    let sl = ["--sl-goal", "0.8"];
    let cases: Vec<(Vec<&str>, Option<&str>)> = vec![
        (
            vec!["--erlangs", "5", "--concurrency", "3", "--concurrency-factors", "0,1.7,2.5"],
            Some("--concurrency-factors"),
        ),
        (
            vec!["--erlangs", "5", "--concurrency", "3", "--concurrency-factors", "1,-1,2.5"],
            Some("--concurrency-factors"),
        ),
        (
            vec!["--erlangs", "5", "--concurrency", "3", "--concurrency-factors", "1,NaN,2.5"],
            Some("--concurrency-factors"),
        ),
        (
            vec!["--erlangs", "5", "--concurrency", "3", "--concurrency-factors", "1,inf,2.5"],
            Some("--concurrency-factors"),
        ),
        (
            vec!["--erlangs", "5", "--concurrency", "3", "--concurrency-factors", "1,2,1.5"],
            Some("--concurrency-factors"),
        ),
        (vec!["--erlangs", "5", "--concurrency", "33"], Some("--concurrency")),
        (vec!["--erlangs", "5", "--concurrency", "32", "--agents", "1000"], Some("--model chat-exact")),
        (vec!["--erlangs", "5", "--concurrency", "3", "--patience", "0"], Some("--patience")),
        (vec!["--erlangs", "5", "--concurrency", "3", "--patience", "25h"], Some("--patience")),
        (vec!["--erlangs", "1e7", "--concurrency", "3"], Some("--erlangs")),
        (vec!["--erlangs", "1e6", "--concurrency", "3"], Some("--model chat-exact")),
        (vec!["--erlangs", "50", "--concurrency", "32"], None),
        (vec!["--erlangs", "50", "--concurrency", "32", "--patience", "1e-9"], None),
        (vec!["--erlangs", "5", "--concurrency", "32", "--agents", "0"], None),
        (vec!["--erlangs", "5", "--concurrency", "3", "--patience", "24h"], None),
        (vec!["--erlangs", "1e-300", "--concurrency", "3"], None),
        (vec!["--erlangs", "1e-300", "--concurrency", "3", "--patience", "2m"], None),
        (
            vec![
                "--erlangs",
                "5",
                "--concurrency",
                "3",
                "--concurrency-factors",
                "1,1.0000000001,1.0000000002",
            ],
            None,
        ),
    ];
    for (args, refused) in cases {
        let mut all = args.clone();
        if !args.contains(&"--agents") {
            all.extend(sl);
        }
        let out = erlang(&all);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        match refused {
            Some(flag) => {
                assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
                assert!(stderr.contains(flag), "{args:?} should name {flag}: {stderr}");
            }
            None => {
                assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
                let stdout = String::from_utf8_lossy(&out.stdout);
                let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
                assert!(!stdout.contains("NaN") && !stdout.contains("inf"), "{args:?}: {stdout}");
                assert!(json["rows"].as_array().is_some_and(|r| !r.is_empty()), "{args:?}: {stdout}");
            }
        }
    }
}

#[test]
fn a_chat_group_at_the_concurrency_cap_gives_figures_or_names_the_cells_past_the_state_limit() {
    // 32 chats each: 5 agents are the most within the limit. 90 and 360 chats in an hour at 6
    // minutes fit; 20,000 do not.
    let cap = CHAT
        .replace("max_concurrency = 3", "max_concurrency = 32")
        .replace("concurrency_factors = [1.0, 1.7, 2.5]\n", "")
        .replace("volumes = [360]", "volumes = [90, 360, 20000]")
        .replace("interval = \"4h\"", "interval = \"1h\"");
    let report = staff_json(&scenario_file("cap.toml", &cap), &["--chat-model", "exact"]);
    let rows = rows_of(&report, "web-chat");
    assert!(rows[0]["chat_exact"].as_u64().is_some_and(|a| (1..=5).contains(&a)), "{}", rows[0]);
    assert!(rows[1]["chat_exact"].as_u64().is_some_and(|a| (1..=5).contains(&a)), "{}", rows[1]);
    assert!(rows[2]["chat_exact"].is_null(), "{}", rows[2]);
    let past = report["chat_exact_past_limit"].as_array().unwrap();
    assert_eq!((past.len(), &past[0]["most_agents"], &past[0]["concurrency"]), (1, &5.into(), &32.into()));
}
