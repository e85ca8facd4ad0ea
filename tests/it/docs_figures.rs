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
