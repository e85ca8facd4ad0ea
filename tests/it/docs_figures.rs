//! The figures the pages under `docs/` quote from runs and from the exact models, measured
//! again: a change to the engine, the planner or the formulas that moves one fails here until
//! the page is brought up to date. (`readme.rs` does the same for the README, and runs every
//! page's commands.)

use std::path::Path;

use ccsim::erlang::{ChatErlang, Model};
use serde_json::Value;

use crate::readme::{blocks, fold, grouped, json_in, mean, pct, step, without_callbacks};
use crate::util::{ccsim, empty_dir};

/// Asserts that the page `name` of `docs/` says each of `claims` (white space folded).
fn assert_says(name: &str, claims: &[String]) {
    let path = root().join("docs").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    crate::readme::assert_says(&format!("docs/{name}"), &fold(&text), claims);
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Hours as the pages write them: `15 h`, `18.5 h` (no trailing `.0`).
fn fmt_hours(h: f64) -> String {
    let text = format!("{h:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_string) + " h"
}

/// The lines of the blocks of `page` of `docs/` whose language is `language` (`""`: none).
fn shown(page: &str, language: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("docs").join(page)).unwrap();
    blocks(&text).into_iter().filter(|b| b.language == language).flat_map(|b| b.lines).collect()
}

/// docs/channels-planning.md: the chat estimate against the exact chain (3 agents holding up to
/// three chats, factors 1, 1.7, 2.5), and against the simulation of the chat desk of
/// `channels_planning.rs`; `ccsim staff` on that desk, at concurrency 3 and 2.
#[test]
fn the_chat_planning_page_quotes_the_chain_the_estimate_and_the_engine() {
    let factors = [1.0, 1.7, 2.5];
    // The exact chain's service level: a chat waits only when every slot is taken, and then
    // the queue drains at the constant rate c·μ·f[K−1], so, as in Erlang C, P(wait > T) =
    // P(wait)·exp(−(c·μ·f[K−1] − λ)·T).
    let exact_sl = |agents: usize, load: f64, target_in_aht: f64| {
        let p_wait = crate::chat_estimate::exact_p_wait(agents, &factors, load);
        let drain = agents as f64 * factors[2] - load;
        (p_wait, 1.0 - p_wait * (-drain * target_in_aht).exp())
    };
    let estimate = |agents: u32, load: f64, aht: f64, target: f64| {
        let model = Model::ErlangCChat(ChatErlang { load, aht, concurrency: 3, full_throughput: 2.5 });
        model.evaluate(agents, target).metrics
    };

    // P(wait) and service level at a target of 0.1 × AHT, 3 agents.
    let mut rows = Vec::new();
    for load in [3.0, 4.0, 5.0, 6.0] {
        let (p_wait, sl) = exact_sl(3, load, 0.1);
        let m = estimate(3, load, 1.0, 0.1);
        rows.push(format!("| {load} | {p_wait:.4} | {:.4} | {sl:.4} | {:.4} |", m.p_wait, m.service_level));
    }

    // The desk: 90 chats an hour of 6 minutes' work (9 Erlangs), a 60 s target, 200
    // replications on seed 11, against the chain and the estimate.
    let dir = empty_dir("docs-figures", "chat");
    let desk = crate::channels_planning::CHAT;
    assert!(desk.contains("\nagents = 5\n") && desk.contains("\nmax_concurrency = 3\n"));
    for agents in [4u32, 5, 6] {
        let file = dir.join(format!("chat-{agents}.toml"));
        std::fs::write(&file, desk.replace("\nagents = 5\n", &format!("\nagents = {agents}\n"))).unwrap();
        let run = json_in(&dir, &["simulate", file.to_str().unwrap(), "-r", "200"]);
        let chat = run["channels"].as_array().unwrap().iter().find(|c| c["name"] == "chat").unwrap();
        let sl = &chat["service_level"];
        let (_, chain) = exact_sl(agents as usize, 9.0, 60.0 / 360.0);
        rows.push(format!(
            "| {agents} | {:.1}% ± {:.1} | {} | {} |",
            sl["mean"].as_f64().unwrap() * 100.0,
            sl["half_width"].as_f64().unwrap() * 100.0,
            pct(chain),
            pct(estimate(agents, 9.0, 360.0, 60.0).service_level)
        ));
    }

    // `ccsim staff` on the desk (its 30 replications), then with two chats at a time.
    let staff = |text: &str, name: &str| {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let v = json_in(&dir, &["staff", file.to_str().unwrap()]);
        let row = &v["intervals"][0];
        let searched = &v["simulation"]["groups"][0]["intervals"][0]["agents"];
        (
            row["erlang_c"].as_u64().unwrap(),
            row["erlang_c_chat"].as_u64().unwrap(),
            searched.as_u64().unwrap(),
        )
    };
    let (as_calls, three, searched_three) = staff(desk, "chat-3.toml");
    let two_chats = desk
        .replace("\nmax_concurrency = 3\n", "\nmax_concurrency = 2\n")
        .replace("concurrency_factors = [1.0, 1.7, 2.5]", "concurrency_factors = [1.0, 1.7]");
    let (_, two, searched_two) = staff(&two_chats, "chat-2.toml");
    rows.push(format!(
        "Erlang C counting chats as calls {as_calls} agents, the chat estimate {three}, the simulation search \
         {searched_three}. With `max_concurrency = 2` (factors `1, 1.7`): the estimate {two}, the simulation \
         {searched_two}."
    ));
    assert_says("channels-planning.md", &rows);
}

/// docs/schedule.md: the week's plan, its bound and gap, and the comparison with the current
/// plan; docs/compare.md: the worked example's table is what `compare` prints.
#[test]
fn the_schedule_and_compare_pages_quote_what_the_commands_print() {
    let dir = empty_dir("docs-figures", "schedule");
    let week = root().join("scenarios/retail-bank-week.toml");
    let plan = json_in(&dir, &["schedule", week.to_str().unwrap(), "--out", "week-plan.toml"]);
    let cost = plan["cost"].as_f64().unwrap_or_else(|| panic!("no cost in {}", plan["cost"]));
    let solver = &plan["solver"];
    let bound = solver["best_bound"].as_f64().unwrap();
    let compared = json_in(
        &dir,
        &[
            "compare",
            week.to_str().unwrap(),
            "--apply-shrinkage",
            "--plan",
            "scenario",
            "--plan",
            "week-plan.toml",
        ],
    );
    let plans = compared["plans"].as_array().unwrap();
    let (current, scheduled) = (&plans[0], &plans[1]);
    let sl = |p: &Value| pct(p["overall"]["service_level"]["mean"].as_f64().unwrap());
    let below = current["intervals_below_goal"].as_array().unwrap().len();
    assert!(scheduled["intervals_below_goal"].as_array().unwrap().is_empty());
    let more_hours = scheduled["paid_hours"].as_f64().unwrap() - current["paid_hours"].as_f64().unwrap();
    assert_says(
        "schedule.md",
        &[
            format!(
                "The plan costs {} against a proven bound of {}, {:.2}% above it",
                grouped(cost, 0),
                grouped(bound, 0),
                solver["gap"].as_f64().unwrap() * 100.0
            ),
            format!(
                "the current plan at {} service level and the scheduled one at {}, with no interval below",
                sl(current),
                sl(scheduled)
            ),
            format!(
                "(the current plan: {below} interval and call-type pairs below it), for {} more",
                grouped(more_hours, 1)
            ),
        ],
    );

    // The compare page's table: every line it shows is a line `compare` prints.
    let out = ccsim()
        .args(["compare", "scenarios/retail-bank.toml", "--plan", "scenario", "-q"])
        .args([
            "--plan",
            "scenarios/plans/retail-bank-late.toml",
            "--plan",
            "scenarios/plans/retail-bank-lean.toml",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let compared = json_in(
        root(),
        &[
            "compare",
            "scenarios/retail-bank.toml",
            "--plan",
            "scenario",
            "--plan",
            "scenarios/plans/retail-bank-late.toml",
            "--plan",
            "scenarios/plans/retail-bank-lean.toml",
        ],
    );
    let difference = |plan: usize| {
        let d = &compared["differences"][plan];
        let sl = &d["overall"]["service_level"];
        let (m, h) = (-mean(sl) * 100.0, sl["half_width"].as_f64().unwrap() * 100.0);
        (-d["paid_hours"].as_f64().unwrap(), -d["cost"].as_f64().unwrap(), m, m - h, m + h)
    };
    let (late, lean) = (difference(0), difference(1));
    assert_says(
        "compare.md",
        &[
            format!(
                "moving the same {:.0} paid hours an hour later costs {:.1} points of service level (between {:.1} \
                 and {:.1} with 95% confidence)",
                compared["plans"][0]["paid_hours"].as_f64().unwrap(),
                late.2,
                late.3,
                late.4
            ),
            format!(
                "the lean plan saves {:.1} paid hours ({} in cost) for {:.1} points",
                lean.0,
                grouped(lean.1, 0),
                lean.2
            ),
        ],
    );
    let shown = shown("compare.md", "text");
    assert!(shown.len() >= 5, "the worked example shows a table");
    for line in shown {
        assert!(
            printed.lines().any(|p| p == line),
            "docs/compare.md shows {line:?}, which compare no longer prints"
        );
    }
}

/// docs/staff.md: the omnichannel week's chat and email columns at 17:00 on day 1 and its
/// waterfall; docs/optimiser.md: the bank's optimal plan; docs/callbacks.md and
/// docs/lines-and-callbacks.md: the telco day with and without its callback offer.
#[test]
fn the_staff_optimiser_and_callback_pages_quote_what_the_commands_print() {
    let dir = empty_dir("docs-figures", "staff");
    let scenario = |name: &str| root().join("scenarios").join(name).to_str().unwrap().to_string();

    let staff = json_in(&dir, &["staff", &scenario("omnichannel.toml")]);
    let at_17 = |call_type: &str| {
        staff["intervals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["day"] == 1 && r["start"] == "17:00" && r["call_type"] == call_type)
            .unwrap_or_else(|| panic!("no row for {call_type} at 17:00 on day 1"))
    };
    let chat = at_17("web-chat");
    let hours = &staff["agent_hours"];
    assert!(staff["simulation"]["converged"].as_bool().unwrap(), "the page says the search converged");
    assert_says(
        "staff.md",
        &[
            format!(
                "30 chats in 30 minutes ({} Erlangs of chat work) need {} agents counted as calls by Erlang C and {} by \
                 the chat estimate",
                chat["load_erlangs"].as_f64().unwrap(),
                chat["erlang_c"],
                chat["erlang_c_chat"]
            ),
            format!(
                "the email workload is {:.2} agents",
                at_17("email")["email_workload_agents"].as_f64().unwrap()
            ),
            format!(
                "Erlang C per call type gives {} agent-hours, abandonment takes off {}, several chats per agent {}, the \
                 email workload adds {}, and the simulation requirement is {} agent-hours",
                grouped(hours["erlang_c"].as_f64().unwrap(), 1),
                grouped(-step(&staff, "abandonment"), 1),
                grouped(-step(&staff, "chat: several chats"), 1),
                grouped(step(&staff, "email: workload"), 1),
                grouped(hours["simulation"].as_f64().unwrap(), 1)
            ),
            format!("found in {} simulations", staff["simulation"]["iterations"]),
        ],
    );
    // Monday's weekend backlog: the email workload above the day's while it is due.
    let monday: Vec<&Value> = staff["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["day"] == 1 && r["call_type"] == "email")
        .filter(|r| {
            r["email_workload_agents"].as_f64().unwrap()
                > at_17("email")["email_workload_agents"].as_f64().unwrap()
        })
        .collect();
    let (from, last) = (monday[0], monday[monday.len() - 1]);
    let (hour, minute) = last["start"].as_str().unwrap().split_once(':').unwrap();
    let until = hour.parse::<u32>().unwrap() * 60 + minute.parse::<u32>().unwrap() + 30;
    assert_says(
        "staff.md",
        &[format!(
            "({:.2} on Monday from {} to {:02}:{:02}, when the weekend's backlog of 400 emails is due)",
            from["email_workload_agents"].as_f64().unwrap(),
            from["start"].as_str().unwrap(),
            until / 60,
            until % 60
        )],
    );

    // The requirement is met on the search's own seed, not on every seed.
    let out = dir.join("omni-simulation");
    let made = ccsim()
        .args(["staff", &scenario("omnichannel.toml"), "--method", "simulation", "-q", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let below_on = |seed: &str| {
        let run = ccsim()
            .args(["simulate", &scenario("omnichannel.toml"), "-q", "--seed", seed, "--plan"])
            .arg(out.join("requirement.toml"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&run.stdout).to_string();
        let flat = fold(&text);
        let at = flat.find("each channel's own): ").unwrap_or_else(|| panic!("{text}"));
        flat[at + "each channel's own): ".len()..].split(" with").next().unwrap().to_string()
    };
    assert_says(
        "staff.md",
        &[
            "has none of its 492 call-type intervals with contacts below the goal on seed 14".to_string(),
            format!("and {} on seed 99", below_on("99")),
        ],
    );
    assert_eq!(below_on("14"), "none of 492");

    // A cell raised without any gain: the bank's loans at 19:30 with `-r 2`.
    let out = dir.join("bank-r2");
    let made = ccsim()
        .args(["staff", &scenario("retail-bank.toml"), "-r", "2", "--method", "simulation", "-q", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(fold(&String::from_utf8_lossy(&made.stdout)).contains("it was raised without any gain"));
    let plan = out.join("requirement.toml");
    let run = json_in(
        &dir,
        &["simulate", &scenario("retail-bank.toml"), "-r", "2", "--plan", plan.to_str().unwrap()],
    );
    let loans = run["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["start"] == "19:30" && i["call_type"] == "loans")
        .unwrap();
    assert_eq!(mean(&loans["abandoned"]) * 2.0, 1.0, "one caller abandons over the two replications");
    assert_says(
        "staff.md",
        &[format!(
            "(with `-r 2`, `retail-bank.toml`'s loans at 19:30, where one such caller among {:.0} is {} abandoned",
            mean(&loans["offered"]) * 2.0,
            pct(mean(&loans["abandon_rate"]))
        )],
    );

    // The bank: the three requirements, the redial and transfer steps, the hours to schedule.
    let bank = json_in(&dir, &["staff", &scenario("retail-bank.toml")]);
    let bank_hours = |key: &str| bank["agent_hours"][key].as_f64().unwrap();
    assert_says(
        "staff.md",
        &[
            format!(
                "the planner needs {} agent-hours by Erlang C per call type, {} by Erlang A, and {} by simulation",
                bank_hours("erlang_c"),
                bank_hours("erlang_a"),
                bank_hours("simulation")
            ),
            format!(
                "redials (+{}) and transfers (+{}) add back",
                fmt_hours(step(&bank, "redials")),
                fmt_hours(step(&bank, "transfers"))
            ),
            format!("With 30% shrinkage that is {} agent-hours to schedule", bank_hours("scheduled")),
        ],
    );

    let plan = json_in(&dir, &["schedule", &scenario("retail-bank.toml")]);
    assert_eq!(plan["status"], "optimal", "the page says the bank's plan is proven optimal");
    assert_says(
        "optimiser.md",
        &[format!(
            "`retail-bank` is proven optimal ({}, {} paid hours)",
            grouped(plan["cost"].as_f64().unwrap(), 0),
            grouped(plan["paid_hours"].as_f64().unwrap(), 1)
        )],
    );

    // The telco day, the file's 30 replications, without and with its callback offer.
    let telco = std::fs::read_to_string(scenario("telco-lines.toml")).unwrap();
    let without_file = dir.join("no-callback.toml");
    std::fs::write(&without_file, without_callbacks(&telco)).unwrap();
    let runs: Vec<Value> = [without_file.to_str().unwrap(), &scenario("telco-lines.toml")]
        .iter()
        .map(|f| json_in(&dir, &["simulate", f]))
        .collect();
    let both = |f: &dyn Fn(&Value) -> f64| (f(&runs[0]), f(&runs[1]));
    let blocked = both(&|s| mean(&s["lines"]["overall"]["blocked"]));
    let occupancy = both(&|s| mean(&s["lines"]["line_occupancy"]));
    let abandoned = both(&|s| mean(&s["overall"]["abandon_rate"]));
    let service_level = both(&|s| mean(&s["overall"]["service_level"]));
    assert_says(
        "lines-and-callbacks.md",
        &[format!(
            "takes busy signals from {:.1} to {:.1} a day and line occupancy from {} to {}",
            blocked.0,
            blocked.1,
            pct(occupancy.0),
            pct(occupancy.1)
        )],
    );
    assert_says(
        "callbacks.md",
        &[
            format!(
                "busy signals fall from about {:.0} to about {:.0} a day and line occupancy from {:.0}% to {:.0}%",
                blocked.0,
                blocked.1,
                occupancy.0 * 100.0,
                occupancy.1 * 100.0
            ),
            format!(
                "a little ({} to {}) while the service level rises ({} to {}",
                pct(abandoned.0),
                pct(abandoned.1),
                pct(service_level.0),
                pct(service_level.1)
            ),
        ],
    );
}

/// docs/validate.md: the summaries it shows (its blocks without a language) are lines that
/// `ccsim validate` prints for the shipped files it names.
#[test]
fn the_validate_page_shows_what_validate_prints() {
    let files = ["retail-bank.toml", "launch-week.toml", "omnichannel.toml", "telco-lines.toml"];
    let out = ccsim()
        .arg("validate")
        .args(files.iter().map(|f| format!("scenarios/{f}")))
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).unwrap();
    let shown = shown("validate.md", "");
    assert!(shown.len() >= 12, "the page shows the summaries ({} lines found)", shown.len());
    for line in shown {
        assert!(
            printed.lines().any(|p| p == line),
            "docs/validate.md shows {line:?}, which validate no longer prints"
        );
    }
}

/// The printed lines of `ccsim ARGS` (a table), run in the checkout.
fn printed(args: &[&str]) -> String {
    let out = ccsim().args(args).current_dir(root()).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The row of `page` of `docs/` (a markdown table's line) that starts with `start`.
fn row_of(page: &str, start: &str) -> String {
    let text = std::fs::read_to_string(root().join("docs").join(page)).unwrap();
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with(start)).collect();
    assert_eq!(rows.len(), 1, "docs/{page} should have one row starting {start:?}");
    rows[0].to_string()
}

/// `ccsim erlang ARGS --format json`: the row of `agents` agents (or lines).
fn erlang_row(args: &[&str], agents: u64) -> Value {
    let out = ccsim().arg("erlang").args(args).args(["--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    rows.iter().find(|r| r["agents"] == agents).unwrap_or_else(|| panic!("no row of {agents} in {v}")).clone()
}

/// docs/erlang.md: the output it shows and the figures its examples quote.
#[test]
fn the_erlang_page_shows_what_erlang_prints() {
    let first = [
        "erlang",
        "--calls",
        "100",
        "--interval",
        "30m",
        "--aht",
        "180s",
        "--target",
        "20s",
        "--sl-goal",
        "0.8",
    ];
    let chat = [
        "erlang",
        "--calls",
        "30",
        "--interval",
        "30m",
        "--aht",
        "10m",
        "--target",
        "60s",
        "--sl-goal",
        "0.8",
    ];
    let runs = [
        printed(&[&first[..], &["--shrinkage", "0.3"]].concat()),
        printed(&[&chat[..], &["--concurrency", "3", "--concurrency-factors", "1,1.7,2.5"]].concat()),
    ];
    let text = std::fs::read_to_string(root().join("docs/erlang.md")).unwrap();
    // The first two `text` blocks show the two commands' output (the others, error messages).
    let shown: Vec<_> = blocks(&text).into_iter().filter(|b| b.language == "text").take(runs.len()).collect();
    assert!(shown.iter().all(|b| b.lines.len() >= 3), "the page shows the output of two commands");
    for (block, run) in shown.iter().zip(&runs) {
        for line in block.lines.iter().map(|l| l.trim_end()).filter(|l| l.trim() != "...") {
            assert!(
                run.lines().any(|p| p.trim_end() == line),
                "docs/erlang.md shows {line:?}, which erlang no longer prints:\n{run}"
            );
        }
    }

    let required = |args: &[&str]| {
        let out = ccsim().arg("erlang").args(args).args(["--format", "json"]).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["required_agents"].as_u64().unwrap()
    };
    let b = ["--model", "erlang-b", "--erlangs"];
    let lines: Vec<u64> = {
        let out = ccsim()
            .args(["erlang", "--model", "erlang-b", "--erlangs", "10", "--lines", "5", "--max-block", "0.01"])
            .args(["--format", "json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["rows"].as_array().unwrap().iter().map(|r| r["agents"].as_u64().unwrap()).collect()
    };
    let (first_lines, last_lines) = (lines[0], lines[lines.len() - 2]);
    assert_says(
        "erlang.md",
        &[
            format!(
                "--max-block 0.01 # required lines: {}",
                required(&[&b[..], &["10", "--max-block", "0.01"]].concat())
            ),
            format!(
                "--lines 2 # {:.0}% blocked",
                erlang_row(&[&b[..], &["2", "--lines", "2"]].concat(), 2)["p_block"].as_f64().unwrap()
                    * 100.0
            ),
            format!(
                "(`--lines 5 --max-block 0.01` at 10 Erlangs shows {first_lines} to {last_lines} lines and {},",
                lines[lines.len() - 1]
            ),
            format!(
                "The same queue needs {} agents holding two chats (`--concurrency 2 --concurrency-factors 1,1.7`) and {} \
                 counting each chat as a call",
                required(&[&chat[1..], &["--concurrency", "2", "--concurrency-factors", "1,1.7"]].concat()),
                required(&chat[1..])
            ),
        ],
    );
}

/// docs/lines-and-callbacks.md: Erlang X's exact figures, the morning whose lines bind, and
/// the telco day's 17:00 cell that more agents do not move.
#[test]
fn the_lines_page_quotes_what_erlang_simulate_and_staff_give() {
    // The exact M/M/c/L+M chain against the engine, and Erlang X with redials.
    let x = ["--aht", "3m", "--target", "20s", "--agents", "10", "--lines", "13", "--patience", "2m"];
    let exact = erlang_row(&[&["--erlangs", "10"], &x[..]].concat(), 10);
    for (label, key) in [
        ("| P(block) |", "p_block"),
        ("| abandon rate |", "p_abandon"),
        ("| service level (20 s) |", "service_level"),
    ] {
        let row = row_of("lines-and-callbacks.md", label);
        let expected = format!("| {:.5} |", exact[key].as_f64().unwrap());
        assert!(row.ends_with(&expected), "docs/lines-and-callbacks.md: {row:?} should end {expected:?}");
    }
    for load in ["8", "10", "12"] {
        let v = erlang_row(&[&["--erlangs", load], &x[..], &["--redial", "0.5"]].concat(), 10);
        let row = row_of("lines-and-callbacks.md", &format!("| {load} Erl |"));
        let cells: Vec<&str> = row.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
        for (cell, key) in cells[1..].iter().zip(["p_block", "p_abandon", "service_level"]) {
            let parts: Vec<&str> = cell.split(" / ").collect();
            assert_eq!(parts.len(), 3, "{row}");
            let said = format!("{:.4}", v[key].as_f64().unwrap());
            assert_eq!(
                parts[1], said,
                "docs/lines-and-callbacks.md, {load} Erlangs: Erlang X's {key} is {said}"
            );
        }
    }

    // 100 to 200 calls a half hour on 12 lines: no headcount gets past the busy signals.
    let dir = empty_dir("docs-figures", "lines");
    let morning = r#"name = "Twelve lines"
start = "08:00"
interval = "30m"
[service_level]
target = "20s"
goal = 0.8
[lines]
total = 12
[[call_types]]
name = "phone"
volumes = [100, 150, 200, 200, 150, 100]
handle_time = { distribution = "exponential", mean = "4m" }
patience = { distribution = "exponential", mean = "2m" }
redial_after_blocked = { probability = 0.5, delay = { distribution = "exponential", mean = "3m" } }
[[agent_groups]]
name = "desk"
skills = ["phone"]
[[shifts]]
group = "desk"
start = "08:00"
end = "11:00"
agents = 20
"#;
    let mut served = Vec::new();
    for agents in [12, 20, 200] {
        let file = dir.join(format!("morning-{agents}.toml"));
        std::fs::write(&file, morning.replace("agents = 20", &format!("agents = {agents}"))).unwrap();
        let run = json_in(&dir, &["simulate", file.to_str().unwrap(), "-r", "10", "--seed", "1"]);
        served.push((
            pct(mean(&run["overall"]["service_level"])),
            pct(mean(&run["lines"]["overall"]["block_rate"])),
        ));
    }
    assert!(served.iter().all(|s| *s == served[0]), "12, 20 and 200 agents serve alike: {served:?}");
    let file = dir.join("morning.toml");
    std::fs::write(&file, morning).unwrap();
    let staff = json_in(&dir, &["staff", file.to_str().unwrap(), "-r", "10", "--seed", "1"]);
    let searched: Vec<u64> = staff["simulation"]["groups"][0]["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["agents"].as_u64().unwrap())
        .collect();
    assert!(searched.iter().all(|&a| a == searched[0]), "{searched:?}");
    assert_eq!(
        staff["simulation"]["lines_bind"].as_array().unwrap().len(),
        searched.len(),
        "the lines bind everywhere"
    );
    assert_says(
        "lines-and-callbacks.md",
        &[format!(
            "12, 20 or 200 agents all answer the same {} of callers within 20 s, the other {} having heard a busy \
             signal; the search staffs {} in every interval and says the lines bind",
            served[0].0, served[0].1, searched[0]
        )],
    );

    // telco-lines at 17:00, where its outage leaves 10 lines: the search's agents, then 20
    // and 30 in their place, on the same seeds.
    let telco = root().join("scenarios/telco-lines.toml");
    let out = dir.join("telco-staff");
    let made = ccsim()
        .args(["staff", telco.to_str().unwrap(), "--method", "simulation", "-q", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let requirement = std::fs::read_to_string(out.join("requirement.toml")).unwrap();
    let at_17 = 18; // 08:00 + 18 half hours
    let line = requirement.lines().find(|l| l.starts_with("agents = [")).unwrap();
    let agents: Vec<&str> = line["agents = [".len()..line.len() - 1].split(", ").collect();
    let at_17_with = |n: &str| {
        let mut changed = agents.clone();
        changed[at_17] = n;
        let file = dir.join(format!("telco-{n}.toml"));
        std::fs::write(&file, requirement.replace(line, &format!("agents = [{}]", changed.join(", "))))
            .unwrap();
        let run = json_in(&dir, &["simulate", telco.to_str().unwrap(), "--plan", file.to_str().unwrap()]);
        let cell =
            run["intervals"].as_array().unwrap().iter().find(|i| i["start"] == "17:00").unwrap().clone();
        pct(mean(&cell["service_level"]))
    };
    let more = at_17_with("20");
    assert_eq!(more, at_17_with("30"), "20 and 30 agents at 17:00 serve alike");
    assert_says(
        "lines-and-callbacks.md",
        &[format!(
            "stops at {} agents: {} within 30 s, where 20 or 30 agents give {more} on the same callers",
            agents[at_17],
            at_17_with(agents[at_17])
        )],
    );
}

/// docs/risk.md: the "fewest peak agents" line it quotes; docs/fit.md: telco-lines' trace fitted
/// with and without its `callback` column.
#[test]
fn the_risk_and_fit_pages_quote_what_the_commands_print() {
    let table =
        printed(&["risk", "scenarios/retail-bank.toml", "--agents-range", "30..49", "-r", "20", "-q"]);
    let prefix = "Fewest peak agents meeting the goal on 90.0% of days: ";
    let line = table.lines().find_map(|l| l.strip_prefix(prefix)).unwrap_or_else(|| panic!("{table}"));
    assert_says(
        "risk.md",
        &[format!(
            "`{line}` for the 90% line of `ccsim risk scenarios/retail-bank.toml --agents-range 30..49 -r 20`"
        )],
    );

    let dir = empty_dir("docs-figures", "fit");
    let trace = dir.join("trace.csv");
    let made = ccsim()
        .args(["simulate", "scenarios/telco-lines.toml", "-r", "1", "-q", "--trace"])
        .arg(&trace)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let text = std::fs::read_to_string(&trace).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let at = header.iter().position(|c| *c == "callback").expect("the trace has its callback column");
    let without: String = text
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(at);
            cells.join(",") + "\n"
        })
        .collect();
    let held = dir.join("held.csv");
    std::fs::write(&held, without).unwrap();
    let patience = |log: &Path| {
        let out = ccsim().arg("fit").arg(log).args(["--format", "json"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["call_types"][0]["patience"].clone()
    };
    let (as_held, left_out) = (patience(&held), patience(&trace));
    assert!(
        std::fs::read_to_string(root().join("scenarios/telco-lines.toml"))
            .unwrap()
            .contains(r#"patience = { distribution = "exponential", mean = "3m" }"#)
    );
    assert_says(
        "fit.md",
        &[format!(
            "an exponential mean of {:.0} s against the scenario's 180 s; left out, {:.0} s from {} abandons",
            as_held["exponential_mean_s"].as_f64().unwrap(),
            left_out["exponential_mean_s"].as_f64().unwrap(),
            left_out["abandons"]
        )],
    );
}
