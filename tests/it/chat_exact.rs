//! The exact chat model (`erlang --concurrency K --model chat-exact`): the Markov chain of
//! agents holding 0..K chats, against the independent reference
//! `tests/data/refs/chat_concurrency_sample.csv` (see `tests/data/refs/README.md`, section
//! "chat_concurrency_sample.csv": the same chain at 50 digits with mpmath), against Erlang C
//! where the two are the same queue, against the chat estimate it replaces, against the
//! engine's simulation, and through the built binary; with patience, against Erlang A where
//! the two are the same queue, against the chain without abandonment as patience grows, and
//! against the simulation.

use ccsim::erlang::chat_exact::{ChatExactError, MAX_STATES};
use ccsim::erlang::{ChatErlang, ChatExact, Goals, Model, Performance, ServiceGoal, required_agents};

use crate::util::{Recorder, RefRow as Row, reference_number as num, reference_rows};

/// Relative tolerance against the 50-digit reference: what the solve reaches with room to
/// spare (the largest error seen is below 1e-13; f64 carries about 1e-16, and the sweeps
/// stop when they move less than 1e-15 of probability).
const REL: f64 = 1e-12;

/// The rows of the chat reference (tests/data/refs/README.md).
fn reference() -> Vec<Row> {
    reference_rows("chat_concurrency_sample.csv")
}

/// A reference row as the model, its agents and its target.
fn row_model(row: &Row) -> (ChatExact, u32, f64) {
    let work = num(row, "work_s_at_concurrency_1");
    let factors: Vec<f64> =
        row["concurrency_factors"].split_whitespace().map(|f| f.parse().unwrap()).collect();
    assert_eq!(factors.len(), num(row, "max_concurrency") as usize, "{row:?}");
    let load = num(row, "chats_per_hour") / 3600.0 * work;
    (ChatExact::new(load, work, &factors), num(row, "agents") as u32, num(row, "target_s"))
}

fn assert_rel(what: &str, got: f64, want: f64, row: &Row) {
    let rel = ((got - want) / want).abs();
    eprintln!("{what}: rel {rel:e}");
    assert!(rel <= REL, "{what}: got {got}, want {want} (rel {rel:e}) in {row:?}");
}

#[test]
fn the_exact_chain_matches_the_50_digit_reference() {
    for row in reference() {
        let (chat, agents, target) = row_model(&row);
        let p = chat.performance(agents, target).unwrap();
        assert!(p.stable, "{row:?}");
        assert_rel("p_wait", p.metrics.p_wait, num(&row, "p_wait"), &row);
        assert_rel("service_level", p.metrics.service_level, num(&row, "service_level"), &row);
        assert_rel("asa_s", p.metrics.asa_s, num(&row, "asa_s"), &row);
    }
}

/// A light load on many agents: the busiest levels of the chain are hundreds of orders of
/// magnitude above the full one, whose probability is below the smallest double. The chain is
/// still solved (not left unsettled), waiting is nil, and every chat has an agent of its own:
/// the agents holding a chat are the chats in service, a load of 1 Erlang.
#[test]
fn a_light_load_on_many_agents_is_solved_with_every_chat_on_an_agent_of_its_own() {
    for agents in [60u32, 100] {
        for patience in [None, Some(120.0)] {
            let mut model = ChatExact::new(1.0, 180.0, &[1.0, 1.7, 2.5]);
            if let Some(p) = patience {
                model = model.with_patience(p);
            }
            let p = model.performance(agents, 20.0).unwrap_or_else(|e| panic!("{agents} agents: {e}"));
            let m = &p.metrics;
            assert!(m.p_wait.is_finite() && m.p_wait < 1e-100, "{agents} agents, {patience:?}: {m:?}");
            assert!((m.service_level - 1.0).abs() < 1e-12, "{agents} agents, {patience:?}: {m:?}");
            let holding = p.occupancy * f64::from(agents);
            assert!((holding - 1.0).abs() < 1e-9, "{agents} agents, {patience:?}: {holding} holding a chat");
        }
    }
}

/// No slowdown (`f_j = j`) or one chat each: every chat drains at the lone rate, so the chain
/// is M/M/(c·K) and must give Erlang C on `c·K` servers, occupancy apart (the share of agents
/// holding a chat, not of servers).
#[test]
fn without_a_slowdown_or_with_one_chat_each_the_exact_chain_is_erlang_c() {
    const CLOSE: f64 = 1e-12;
    for (k, load, agents) in
        [(1u32, 4.5, 6u32), (1, 30.0, 34), (2, 5.0, 4), (3, 8.0, 4), (3, 25.0, 10), (4, 3.0, 1)]
    {
        let factors: Vec<f64> = (1..=k).map(f64::from).collect();
        let exact = ChatExact::new(load, 300.0, &factors).performance(agents, 40.0).unwrap();
        let erlang = Model::erlang_c(load, 300.0).evaluate(agents * k, 40.0);
        let m = (&exact.metrics, &erlang.metrics);
        for (what, got, want) in [
            ("p_wait", m.0.p_wait, m.1.p_wait),
            ("service_level", m.0.service_level, m.1.service_level),
            ("asa_s", m.0.asa_s, m.1.asa_s),
        ] {
            assert!(
                (got - want).abs() <= CLOSE * want.abs().max(1.0),
                "K {k}, load {load}, agents {agents}: {what} {got} against Erlang C {want}"
            );
        }
        if k == 1 {
            assert!((exact.occupancy - erlang.occupancy).abs() <= CLOSE, "{exact:?} {erlang:?}");
        }
    }
}

/// The estimate's documented error (src/erlang/chat.rs): where each added chat slows the
/// others it overstates P(wait) and ASA and understates the service level (by a few points
/// of P(wait) for `[1, 1.7, 2.5]`), and its occupancy errs high.
#[test]
fn the_estimate_overstates_waiting_against_the_exact_chain_for_the_usual_slowdowns() {
    for factors in [[1.0, 1.7, 2.5], [1.0, 1.8, 2.4], [1.0, 1.9, 2.7]] {
        for (agents, load) in [(2u32, 2.0), (3, 5.0), (5, 9.0), (10, 20.0), (20, 40.0)] {
            let exact = ChatExact::new(load, 600.0, &factors).performance(agents, 60.0).unwrap();
            let estimate = ChatErlang { load, aht: 600.0, concurrency: 3, full_throughput: factors[2] }
                .performance(agents, 60.0);
            let (e, x) = (&estimate.metrics, &exact.metrics);
            let at = format!("{factors:?}, {agents} agents, {load} Erlangs");
            assert!(e.p_wait > x.p_wait, "{at}: estimate {} exact {}", e.p_wait, x.p_wait);
            assert!(e.asa_s > x.asa_s, "{at}: estimate {} exact {}", e.asa_s, x.asa_s);
            assert!(e.service_level < x.service_level, "{at}");
            assert!(estimate.occupancy >= exact.occupancy, "{at}");
            // By a few points for the factors the documentation quotes.
            if factors[2] == 2.5 {
                assert!(
                    e.p_wait - x.p_wait < 0.1 * x.p_wait + 0.01,
                    "{at}: {} against {}",
                    e.p_wait,
                    x.p_wait
                );
            }
        }
    }
}

#[test]
fn the_exact_model_solves_the_fewest_agents_meeting_the_goals() {
    let chat = ChatExact::new(20.0, 600.0, &[1.0, 1.7, 2.5]);
    let goals = Goals { service_level: Some(ServiceGoal { target: 60.0, goal: 0.8 }), ..Goals::default() };
    let r = required_agents(&Model::ChatExact(chat), &goals).unwrap();
    let sl = |agents| chat.performance(agents, 60.0).unwrap().metrics.service_level;
    assert!(sl(r.agents) >= 0.8 && sl(r.agents - 1) < 0.8, "{} agents", r.agents);
    let estimate = required_agents(&Model::ErlangCChat(chat.estimate()), &goals).unwrap();
    assert!(r.agents <= estimate.agents, "exact {} estimate {}", r.agents, estimate.agents);
    // The requirement carries the solve of its count and names what the count below misses,
    // whether the walk from the estimate's answer went down or up (a light load starts above
    // the answer, an abandonment goal below it), and for an answer of one agent.
    let cases = [
        (chat, goals, "service level"),
        (ChatExact::new(0.05, 600.0, &[1.0, 1.7, 2.5]), goals, "stability"),
        (
            ChatExact::new(20.0, 600.0, &[1.0, 1.7, 2.5]).with_patience(120.0),
            Goals { max_abandon: Some(0.03), ..Goals::default() },
            "abandon",
        ),
    ];
    for (chat, goals, binding) in cases {
        let model = Model::ChatExact(chat);
        let r = required_agents(&model, &goals).unwrap();
        assert_eq!(r.performance, chat.performance(r.agents, goals.target()).unwrap(), "{} agents", r.agents);
        let named = r.binding.describe(&model);
        assert!(named.contains(binding), "{} agents: binding {named}, expected {binding}", r.agents);
    }
}

#[test]
fn a_chain_beyond_the_state_limit_is_refused_before_any_work() {
    let chat = ChatExact::new(100.0, 600.0, &[1.0, 1.7, 2.5, 3.2]);
    let most = chat.max_agents();
    let err = chat.performance(most + 1, 60.0).unwrap_err();
    assert!(matches!(err, ChatExactError::TooManyStates { states, .. } if states > MAX_STATES), "{err}");
}

// ----- with patience ----------------------------------------------------------------------------

/// Every figure the two share, within `close` of each other (relative to the larger of the
/// value and 1, so shares are compared absolutely and seconds relatively).
fn assert_same_figures(at: &str, got: &Performance, want: &Performance, close: f64) {
    let (g, w) = (&got.metrics, &want.metrics);
    for (what, got, want) in [
        ("p_wait", g.p_wait, w.p_wait),
        ("p_abandon", g.abandon_rate, w.abandon_rate),
        ("service_level", g.service_level, w.service_level),
        ("service_level_answered", g.service_level_answered, w.service_level_answered),
        ("asa_s", g.asa_s, w.asa_s),
        ("mean_wait_all_s", g.mean_wait_all_s, w.mean_wait_all_s),
    ] {
        assert!(
            (got - want).abs() <= close * want.abs().max(1.0),
            "{at}: {what} {got} against {want} (difference {:e})",
            (got - want).abs()
        );
    }
}

/// Patient enough loads, short patience, and overload (patience keeps any load stable).
const PATIENCE_CASES: [(f64, u32, f64); 6] =
    [(4.5, 6, 180.0), (30.0, 34, 60.0), (8.0, 4, 300.0), (20.0, 5, 120.0), (3.0, 1, 600.0), (60.0, 9, 90.0)];

/// One chat each: the chain is Erlang A's on the same agents, occupancy included (an agent
/// holding its one chat is busy).
#[test]
fn with_patience_and_one_chat_each_the_exact_chain_is_erlang_a() {
    const CLOSE: f64 = 1e-12;
    for (load, agents, patience) in PATIENCE_CASES {
        let aht = 300.0;
        let exact =
            ChatExact::new(load, aht, &[1.0]).with_patience(patience).performance(agents, 40.0).unwrap();
        let erlang = Model::erlang_a(load / aht, aht, patience).evaluate(agents, 40.0);
        let at = format!("load {load}, agents {agents}, patience {patience}");
        assert!(exact.stable, "{at}");
        assert_same_figures(&at, &exact, &erlang, CLOSE);
        assert!((exact.occupancy - erlang.occupancy).abs() <= CLOSE, "{at}: {exact:?} {erlang:?}");
    }
}

/// No slowdown (`f_j = j`): every chat drains at the lone rate whatever the agent holds, so
/// the chain with patience is Erlang A on `c·K` servers, occupancy apart.
#[test]
fn with_patience_and_no_slowdown_the_exact_chain_is_erlang_a_on_every_slot() {
    const CLOSE: f64 = 1e-12;
    for k in [2u32, 3, 4] {
        let factors: Vec<f64> = (1..=k).map(f64::from).collect();
        for (load, agents, patience) in PATIENCE_CASES {
            let aht = 300.0;
            let exact = ChatExact::new(load, aht, &factors)
                .with_patience(patience)
                .performance(agents, 40.0)
                .unwrap();
            let erlang = Model::erlang_a(load / aht, aht, patience).evaluate(agents * k, 40.0);
            assert_same_figures(&format!("K {k}, load {load}, agents {agents}"), &exact, &erlang, CLOSE);
        }
    }
}

/// Little's law ties abandonment to the mean wait of all chats, `P(abandon) = θ·E[W]`, and
/// the service level lies between answered at once and answered at all, whatever the
/// slowdown: checks the queue's figures where no other model gives them.
#[test]
fn with_patience_and_a_slowdown_the_figures_keep_littles_law() {
    for factors in [[1.0, 1.7, 2.5], [1.0, 1.8, 2.4]] {
        for (load, agents, patience) in PATIENCE_CASES {
            let chat = ChatExact::new(load, 360.0, &factors).with_patience(patience);
            let m = chat.performance(agents, 60.0).unwrap().metrics;
            let at = format!("{factors:?}, load {load}, agents {agents}: {m:?}");
            assert!((m.abandon_rate - m.mean_wait_all_s / patience).abs() < 1e-13, "{at}");
            assert!(m.service_level <= 1.0 - m.abandon_rate + 1e-15, "{at}");
            assert!(m.service_level >= 1.0 - m.p_wait - 1e-15, "{at}");
        }
    }
}

/// Very patient chats are the chain without abandonment. With mean patience `P` (`θ = 1/P`)
/// a chat abandons with probability `θ·E[W]` (Little's law). The waits cut short are the long
/// ones: a chat that waits, waits an exponential-like time of mean `m = E[W] / P(wait)`, so
/// the mean wait loses about `θ·E[W²]/E[W] = 2·θ·m` of itself; and the queue weight `w_q`
/// loses about `q²·θ/(2ν)`, `q` of the order of `λ·m`. So every share moves, and ASA
/// relative to itself, by the order of `θ·m·(1 + λ·m)`: ten times that is the tolerance.
#[test]
fn with_very_long_patience_the_figures_approach_the_chain_without_abandonment() {
    const PATIENCE: f64 = 1e9;
    for row in reference() {
        let (chat, agents, target) = row_model(&row);
        let without = chat.performance(agents, target).unwrap();
        let with = chat.with_patience(PATIENCE).performance(agents, target).unwrap();
        let wait = without.metrics.mean_wait_all_s;
        let m = wait / without.metrics.p_wait;
        let bound = 10.0 * m / PATIENCE * (1.0 + chat.load / chat.aht * m);
        let at = format!("{row:?} (bound {bound:e})");
        let (w, x) = (&with.metrics, &without.metrics);
        eprintln!(
            "bound {bound:e}: p_wait {:e}, service_level {:e}, asa_s {:e} (relative), occupancy {:e}",
            (w.p_wait - x.p_wait).abs(),
            (w.service_level - x.service_level).abs(),
            ((w.asa_s - x.asa_s) / x.asa_s).abs(),
            (with.occupancy - without.occupancy).abs()
        );
        assert!(w.abandon_rate <= wait / PATIENCE * (1.0 + 1e-9), "{at}");
        assert_same_figures(&at, &with, &without, bound);
        assert!((with.occupancy - without.occupancy).abs() <= bound, "{at}");
    }
}

#[test]
fn with_patience_the_exact_model_solves_the_fewest_agents_meeting_an_abandonment_goal() {
    let chat = ChatExact::new(20.0, 600.0, &[1.0, 1.7, 2.5]).with_patience(180.0);
    let goals = Goals { max_abandon: Some(0.05), ..Goals::default() };
    let r = required_agents(&Model::ChatExact(chat), &goals).unwrap();
    let abandon = |agents| chat.performance(agents, 60.0).unwrap().metrics.abandon_rate;
    assert!(abandon(r.agents) <= 0.05 && abandon(r.agents - 1) > 0.05, "{} agents", r.agents);
    // Overloaded counts are solved too: the chats that cannot be taken abandon.
    let few = chat.performance(3, 60.0).unwrap();
    assert!(few.stable && few.metrics.abandon_rate > 0.5, "{few:?}");
}
// ----- the engine, the solver and the reference tied together -------------------------------

use ccsim::dist::Dist;
use ccsim::model::{Channel, ChatConcurrency, Scenario, StationaryQueue};
use ccsim::replicate::{self, Options};
use ccsim::stats::Estimate;

/// The 99% interval of the replications must cover the reference and be narrow enough to
/// expose a 3% error of it.
fn agrees(what: &str, samples: &[f64], reference: f64) {
    let e = Estimate::with_confidence(samples, 0.99);
    eprintln!("{what}: simulated {:.5} ± {:.5} (99%), reference {reference:.5}", e.mean, e.half_width);
    assert!(e.half_width < 0.03 * reference, "{what}: ± {:.5} cannot detect a 3% error", e.half_width);
    assert!(
        e.covers(reference),
        "{what}: simulated {:.5} ± {:.5}, reference {reference:.5}",
        e.mean,
        e.half_width
    );
}

#[test]
fn the_engine_simulates_a_reference_row_within_its_confidence_interval() {
    // 5 agents holding up to 4 chats slowed to 1, 1.7, 2.3, 2.8: 89% of full capacity.
    let row = reference().into_iter().find(|r| r["max_concurrency"] == "4").expect("the K = 4 row");
    let (chat, agents, target) = row_model(&row);
    let mut scenario = Scenario::stationary(&StationaryQueue {
        calls_per_hour: num(&row, "chats_per_hour"),
        handle_time: Dist::exponential(chat.aht),
        patience: None,
        agents,
        target,
        hours: 24 * 40,
    });
    scenario.call_types[0].channel = Channel::Chat;
    scenario.agent_groups[0].chat = Some(ChatConcurrency::new(4, Some(chat.factors().to_vec())).unwrap());
    let options = Options { replications: 100, seed: 23, threads: None };
    let reps = replicate::run(&scenario, &options, &|| {}).unwrap();
    let each = |f: fn(&replicate::Replication) -> f64| reps.iter().map(f).collect::<Vec<f64>>();
    agrees("p_wait", &each(|r| r.overall.stats.p_wait), num(&row, "p_wait"));
    agrees("service_level", &each(|r| r.overall.stats.service_level), num(&row, "service_level"));
    agrees("asa_s", &each(|r| r.overall.stats.asa_s), num(&row, "asa_s"));
}

/// With patience and a slowdown no other model gives the figures: the engine's simulation of
/// the same chats must agree with the chain on waiting, abandonment, service level and ASA.
#[test]
fn the_engine_simulates_chats_with_patience_within_its_confidence_interval() {
    // 4 agents holding up to 3 chats slowed to 1, 1.8, 2.4; 100 chats an hour of 6 minutes'
    // work (104% of full capacity) and 3 minutes' mean patience.
    let (calls_per_hour, aht, agents, target, patience) = (100.0, 360.0, 4, 60.0, 180.0);
    let factors = [1.0, 1.8, 2.4];
    let chat = ChatExact::new(calls_per_hour / 3600.0 * aht, aht, &factors).with_patience(patience);
    let exact = chat.performance(agents, target).unwrap().metrics;
    let mut scenario = Scenario::stationary(&StationaryQueue {
        calls_per_hour,
        handle_time: Dist::exponential(aht),
        patience: Some(Dist::exponential(patience)),
        agents,
        target,
        hours: 24 * 20,
    });
    scenario.call_types[0].channel = Channel::Chat;
    scenario.agent_groups[0].chat = Some(ChatConcurrency::new(3, Some(factors.to_vec())).unwrap());
    let options = Options { replications: 60, seed: 29, threads: None };
    let reps = replicate::run(&scenario, &options, &|| {}).unwrap();
    let each = |f: fn(&replicate::Replication) -> f64| reps.iter().map(f).collect::<Vec<f64>>();
    agrees("p_wait", &each(|r| r.overall.stats.p_wait), exact.p_wait);
    agrees("p_abandon", &each(|r| r.overall.stats.abandon_rate), exact.abandon_rate);
    agrees("service_level", &each(|r| r.overall.stats.service_level), exact.service_level);
    agrees("asa_s", &each(|r| r.overall.stats.asa_s), exact.asa_s);
}
// ----- through the binary ---------------------------------------------------------------------

use crate::util::{ccsim, refusal_of, stdout_json};

/// The K = 3 slowed reference row as flags: 4 agents, 90 chats an hour of 6 minutes' work.
const ROW_FLAGS: [&str; 14] = [
    "erlang",
    "--calls",
    "90",
    "--interval",
    "1h",
    "--aht",
    "6m",
    "--target",
    "60s",
    "--concurrency",
    "3",
    "--concurrency-factors",
    "1,1.8,2.4",
    "--model",
];

#[test]
fn erlang_model_chat_exact_gives_the_reference_figures_in_json() {
    let row = reference().into_iter().find(|r| r["concurrency_factors"] == "1.0 1.8 2.4").unwrap();
    let doc = stdout_json(
        &ccsim().args(ROW_FLAGS).args(["chat-exact", "--agents", "4", "--format", "json"]).assert().success(),
    );
    assert_eq!(doc["model"], "chat_exact");
    assert_eq!(doc["approximation"], false);
    assert_eq!(doc["concurrency"], 3);
    assert_eq!(doc["concurrency_factors"], serde_json::json!([1.0, 1.8, 2.4]));
    let rows = doc["rows"].as_array().unwrap();
    let four = rows.iter().find(|r| r["agents"] == 4).expect("the row of 4 agents");
    for key in ["p_wait", "service_level", "asa_s"] {
        assert_rel(key, four[key].as_f64().unwrap(), num(&row, key), &row);
    }
    // The same row keys as the estimate's, and a required count against the same goals.
    let estimate = stdout_json(
        &ccsim()
            .args(&ROW_FLAGS[..12])
            .args(["1,1.8,2.4", "--agents", "4", "--format", "json"])
            .assert()
            .success(),
    );
    let keys = |v: &serde_json::Value| v["rows"][0].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&doc), keys(&estimate));
    let solved = stdout_json(
        &ccsim()
            .args(ROW_FLAGS)
            .args(["chat-exact", "--sl-goal", "0.8", "--format", "json"])
            .assert()
            .success(),
    );
    let want = required_agents(
        &Model::ChatExact(row_model(&row).0),
        &Goals { service_level: Some(ServiceGoal { target: 60.0, goal: 0.8 }), ..Goals::default() },
    );
    assert_eq!(solved["required_agents"], want.unwrap().agents);
}

#[test]
fn erlang_model_chat_exact_refuses_what_it_cannot_solve_with_exit_2() {
    let load = ["erlang", "--erlangs", "9", "--aht", "6m", "--target", "60s", "--sl-goal", "0.8"];
    let cases: [(&[&str], &str); 6] = [
        (&["--model", "chat-exact"], "--model chat-exact: needs --concurrency K"),
        (
            &["--model", "chat-exact", "--concurrency", "3", "--patience", "2m", "--redial", "0.3"],
            "--redial: not used by --model chat-exact",
        ),
        (
            &["--model", "chat-exact", "--concurrency", "3", "--volume-cv", "0.1"],
            "--volume-cv: not used by --model chat-exact",
        ),
        (
            &["--model", "chat-exact", "--concurrency", "3", "--lines", "40"],
            "--lines: not used by --model chat-exact",
        ),
        (
            &["--model", "chat-exact", "--concurrency", "4", "--agents", "200"],
            "more than the limit of 500000",
        ),
        (&["--model", "chat-exact", "--concurrency", "4", "--agents", "200"], "use the chat estimate"),
    ];
    for (extra, says) in cases {
        let stderr = refusal_of(ccsim().args(load).args(extra));
        assert!(stderr.contains(says), "{extra:?}: {stderr}");
    }
    // A load whose answer lies past the limit is refused the same way, not searched forever.
    let stderr =
        refusal_of(ccsim().args(["erlang", "--erlangs", "900", "--aht", "6m", "--target", "60s"]).args([
            "--sl-goal",
            "0.8",
            "--model",
            "chat-exact",
            "--concurrency",
            "3",
        ]));
    assert!(
        stderr.contains("states, more than the limit") && stderr.contains("at most 142 agents"),
        "{stderr}"
    );
}

#[test]
fn erlang_model_chat_exact_with_patience_gives_the_abandonment_figures_in_json() {
    let chat = ChatExact::new(90.0 / 3600.0 * 360.0, 360.0, &[1.0, 1.8, 2.4]).with_patience(180.0);
    let doc = stdout_json(
        &ccsim()
            .args(ROW_FLAGS)
            .args(["chat-exact", "--patience", "3m", "--agents", "4", "--format", "json"])
            .assert()
            .success(),
    );
    assert_eq!(doc["model"], "chat_exact");
    let four = doc["rows"].as_array().unwrap().iter().find(|r| r["agents"] == 4).expect("4 agents").clone();
    let p = chat.performance(4, 60.0).unwrap();
    let m = &p.metrics;
    for (key, want) in [
        ("p_wait", m.p_wait),
        ("p_abandon", m.abandon_rate),
        ("service_level", m.service_level),
        ("service_level_answered", m.service_level_answered),
        ("asa_s", m.asa_s),
        ("mean_wait_all_s", m.mean_wait_all_s),
        ("occupancy", p.occupancy),
    ] {
        let got = four[key].as_f64().unwrap_or_else(|| panic!("{key}: {four}"));
        assert_eq!(got, want, "{key}");
    }
    assert!(m.abandon_rate > 0.0 && m.abandon_rate < 1.0, "{m:?}");
    // The table shows the abandonment columns and says what it assumes.
    let table =
        ccsim().args(ROW_FLAGS).args(["chat-exact", "--patience", "3m", "--agents", "4"]).assert().success();
    let text = String::from_utf8_lossy(&table.get_output().stdout).to_string();
    assert!(text.contains("mean patience 3m") && text.contains("abandoned %"), "{text}");
    assert!(text.contains("exponential patience"), "{text}");
}

#[test]
fn erlang_model_chat_exact_with_max_abandon_solves_the_required_agents() {
    let chat = ChatExact::new(90.0 / 3600.0 * 360.0, 360.0, &[1.0, 1.8, 2.4]).with_patience(180.0);
    let solved = stdout_json(
        &ccsim()
            .args(ROW_FLAGS)
            .args(["chat-exact", "--patience", "3m", "--max-abandon", "0.02", "--format", "json"])
            .assert()
            .success(),
    );
    let want =
        required_agents(&Model::ChatExact(chat), &Goals { max_abandon: Some(0.02), ..Goals::default() })
            .unwrap();
    assert_eq!(solved["required_agents"], want.agents);
    let abandon = |agents| chat.performance(agents, 60.0).unwrap().metrics.abandon_rate;
    assert!(abandon(want.agents) <= 0.02 && abandon(want.agents - 1) > 0.02, "{} agents", want.agents);
}

// ----- the state limit, patience's caps and CSV, through the binary ---------------------------

use crate::util::{stderr_text, stdout_text};

/// At 24 chats each the chain of 5 agents has 118,755 states and that of 6 has 593,775: the
/// limit falls between two counts that are quick to solve.
const AT_24: [&str; 12] = [
    "erlang",
    "--erlangs",
    "1",
    "--aht",
    "6m",
    "--target",
    "60s",
    "--concurrency",
    "24",
    "--model",
    "chat-exact",
    "--format",
];

#[test]
fn erlang_model_chat_exact_names_the_rows_past_its_state_limit_in_table_json_and_csv() {
    let chat = ChatExact::new(1.0, 360.0, &(1..=24).map(f64::from).collect::<Vec<_>>());
    let most = chat.max_agents();
    assert!(chat.states(most) <= MAX_STATES && chat.states(most + 1) > MAX_STATES);
    // Evaluating the most agents solved: the two counts above are past the limit. Solving a
    // goal met by one agent: the neighbours up to 1 + 6 reach past it.
    for (extra, solved, past) in [
        (["--agents", &most.to_string()], most - 2..=most, vec![most + 1, most + 2]),
        (["--sl-goal", "0.8"], 1..=most, (most + 1..=7).collect()),
    ] {
        let at = format!("{extra:?}");
        let doc = stdout_json(&ccsim().args(AT_24).arg("json").args(extra).assert().success());
        let rows = doc["rows"].as_array().unwrap();
        let agents: Vec<u64> = rows.iter().map(|r| r["agents"].as_u64().unwrap()).collect();
        assert_eq!(agents, solved.clone().map(u64::from).collect::<Vec<_>>(), "{at}");
        for row in rows {
            let p = chat.performance(row["agents"].as_u64().unwrap() as u32, 60.0).unwrap();
            assert_eq!(row["p_wait"].as_f64(), Some(p.metrics.p_wait), "{at}: {row}");
            assert_eq!(row["occupancy"].as_f64(), Some(p.occupancy), "{at}: {row}");
        }
        let limit = &doc["rows_past_state_limit"];
        assert_eq!(limit["agents"], serde_json::json!(past), "{at}: {doc}");
        assert_eq!(limit["max_agents"], most, "{at}");
        assert_eq!(limit["max_states"], MAX_STATES, "{at}");

        let table = stdout_text(&ccsim().args(&AT_24[..11]).args(extra).assert().success());
        // The note is wrapped to the table's width: compared word by word.
        let table = table.split_whitespace().collect::<Vec<_>>().join(" ");
        let (first, last) = (past[0], past[past.len() - 1]);
        assert!(table.contains(&format!("{first} and {last} agents are not shown")), "{at}: {table}");
        assert!(table.contains(&format!("at most {MAX_STATES} states, {most} agents")), "{at}: {table}");

        let run = ccsim().args(AT_24).arg("csv").args(extra).assert().success();
        let csv = stdout_text(&run);
        let counts: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
        assert_eq!(counts, solved.map(|n| n.to_string()).collect::<Vec<_>>(), "{at}: {csv}");
        let stderr = stderr_text(&run);
        assert!(stderr.contains(&format!("{first} and {last} agents are not shown")), "{at}: {stderr}");
    }
    // Within the limit nothing is said.
    let doc = stdout_json(&ccsim().args(AT_24).args(["json", "--agents", "2"]).assert().success());
    assert!(doc.get("rows_past_state_limit").is_none(), "{doc}");
}

#[test]
fn a_count_past_the_state_limit_is_an_error_of_the_model_not_undefined_figures() {
    let chat = ChatExact::new(9.0, 360.0, &[1.0, 1.7, 2.5]);
    let model = Model::ChatExact(chat);
    let most = chat.max_agents();
    let err = model.solve(most + 1, 60.0).unwrap_err();
    assert!(
        matches!(err, ChatExactError::TooManyStates { agents, concurrency: 3, states }
            if agents == most + 1 && states == chat.states(most + 1)),
        "{err}"
    );
    // Within it, the figures the chain gives; the other models always solve.
    assert_eq!(model.solve(5, 60.0).unwrap(), chat.performance(5, 60.0).unwrap());
    let c = Model::erlang_c(9.0, 360.0);
    assert_eq!(c.solve(1_000, 60.0).unwrap(), c.evaluate(1_000, 60.0));
}

#[test]
fn erlang_model_chat_exact_caps_patience_as_erlang_a_does_with_exit_2() {
    let flags = |model: &'static str| -> Vec<&'static str> {
        let mut v = vec!["erlang", "--aht", "6m", "--target", "60s", "--agents", "4", "--model", model];
        if model == "chat-exact" {
            v.extend(["--concurrency", "3"]);
        }
        v
    };
    // Past a day's mean patience, and past the longest queue the Erlang A sum runs over
    // (2,777.8 chats a second for a day: 240 million).
    let cases: [(&[&str], &str); 2] = [
        (&["--erlangs", "9", "--patience", "25h"], "--patience: at most 24h, got 90000 s"),
        (
            &["--erlangs", "1000000", "--patience", "24h"],
            "more than the 50000000 the exact Erlang A sum allows",
        ),
    ];
    for (load, says) in cases {
        let erlang_a = refusal_of(ccsim().args(flags("erlang-a")).args(load));
        assert!(erlang_a.contains(says), "{load:?}: {erlang_a}");
        let exact = refusal_of(ccsim().args(flags("chat-exact")).args(load));
        assert!(exact.contains(says), "{load:?}: {exact}");
        // Without --patience the model stays the exact chat model: that is what it points to.
        assert!(exact.contains("the exact chat model without abandonment (leave --patience out)"), "{exact}");
    }
    // Just within both caps (48 million chats in a day's queue) the chain is solved.
    let doc = stdout_json(
        &ccsim()
            .args(flags("chat-exact"))
            .args(["--erlangs", "200000", "--patience", "24h", "--format", "json"])
            .assert()
            .success(),
    );
    let chat = ChatExact::new(200_000.0, 360.0, &[1.0, 2.0, 3.0]).with_patience(86_400.0);
    let four = doc["rows"].as_array().unwrap().iter().find(|r| r["agents"] == 4).unwrap().clone();
    assert_eq!(four["p_abandon"].as_f64(), Some(chat.performance(4, 60.0).unwrap().metrics.abandon_rate));
}

/// CSV with patience: the JSON row keys, `required` and `concurrency`, each figure the
/// library's; and with one chat each, Erlang A's on the same agents.
#[test]
fn erlang_model_chat_exact_with_patience_writes_csv_with_the_abandonment_figures() {
    let header = "agents,p_wait,service_level,asa_s,occupancy,p_abandon,service_level_answered,\
                  mean_wait_all_s,stable,required,concurrency";
    for (concurrency, factors) in [("3", "1,1.8,2.4"), ("1", "1")] {
        let run = ccsim()
            .args(&ROW_FLAGS[..10])
            .args([concurrency, "--concurrency-factors", factors, "--model", "chat-exact"])
            .args(["--patience", "3m", "--max-abandon", "0.02", "--format", "csv"])
            .assert()
            .success();
        let csv = stdout_text(&run);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some(header), "{csv}");
        let factors: Vec<f64> = factors.split(',').map(|f| f.parse().unwrap()).collect();
        let chat = ChatExact::new(90.0 / 3600.0 * 360.0, 360.0, &factors).with_patience(180.0);
        let want =
            required_agents(&Model::ChatExact(chat), &Goals { max_abandon: Some(0.02), ..Goals::default() })
                .unwrap();
        let mut seen_required = false;
        for line in lines {
            let cells: Vec<&str> = line.split(',').collect();
            let agents: u32 = cells[0].parse().unwrap();
            let p = chat.performance(agents, 60.0).unwrap();
            let m = &p.metrics;
            let at = format!("K = {concurrency}, {agents} agents: {line}");
            let figures = [m.p_wait, m.service_level, m.asa_s, p.occupancy, m.abandon_rate];
            let more = [m.service_level_answered, m.mean_wait_all_s];
            for (cell, want) in cells[1..8].iter().zip(figures.iter().chain(&more)) {
                assert_eq!(cell.parse::<f64>().unwrap(), *want, "{at}");
            }
            assert_eq!(cells[8], "true", "{at}");
            assert_eq!(cells[9], (agents == want.agents).to_string(), "{at}");
            seen_required |= agents == want.agents;
            assert_eq!(cells[10], concurrency, "{at}");
            if concurrency == "1" {
                let a = Model::erlang_a(90.0 / 3600.0, 360.0, 180.0).evaluate(agents, 60.0);
                assert_same_figures(&at, &p, &a, 1e-12);
            }
        }
        assert!(seen_required, "{csv}");
    }
}

#[test]
fn erlang_model_chat_exact_reports_its_search_and_one_step_per_row_as_progress() {
    use ccsim::report::erlang::LoadSource;
    use ccsim::usecase::Phase;
    use ccsim::usecase::erlang::{Request, erlang};
    let chat = ChatExact::new(9.0, 360.0, &[1.0, 1.8, 2.4]);
    let goals = Goals { service_level: Some(ServiceGoal { target: 60.0, goal: 0.8 }), ..Goals::default() };
    let request = |model, goals, agents| Request {
        model,
        source: LoadSource::Erlangs,
        target: 60.0,
        goals,
        agents,
        shrinkage: 0.0,
        redial_delay: None,
        concurrency_factors: None,
    };
    let phases = |request: &Request| {
        let recorder = Recorder::default();
        let report = erlang(request, &recorder).unwrap();
        (report.rows.len() as u64, recorder.phases.into_inner().unwrap())
    };
    // Solving: the search (no countable steps), then a step per row of the table.
    let (rows, solved) = phases(&request(Model::ChatExact(chat), goals, None));
    assert_eq!(solved, [(Phase::SearchingChatExact, 0, 0), (Phase::SolvingChatExactRows, rows, rows)]);
    assert!(rows >= 5, "{rows}");
    // Evaluating a count asked for: the rows alone.
    let (rows, evaluated) = phases(&request(Model::ChatExact(chat), Goals::default(), Some(4)));
    assert_eq!(evaluated, [(Phase::SolvingChatExactRows, rows, rows)]);
    // The formulas take microseconds and say nothing.
    let (_, formula) = phases(&request(Model::ErlangCChat(chat.estimate()), goals, None));
    assert!(formula.is_empty(), "{formula:?}");
}

/// A run of several seconds near the state limit (about 103 agents at 250 Erlangs).
const LONG_RUN: [&str; 17] = [
    "erlang",
    "--erlangs",
    "250",
    "--aht",
    "10m",
    "--target",
    "60s",
    "--sl-goal",
    "0.8",
    "--concurrency",
    "3",
    "--concurrency-factors",
    "1,1.7,2.5",
    "--model",
    "chat-exact",
    "--format",
    "json",
];

#[test]
fn erlang_model_chat_exact_shows_progress_on_a_terminal_only_and_quiet_hides_it() {
    // Off a terminal nothing is drawn.
    let plain = ccsim().args(LONG_RUN).assert().success();
    assert_eq!(stderr_text(&plain), "");
    // On a terminal (script(1) gives the command one), the bar appears on stderr unless -q
    // hides it; stdout goes to a file and is the same JSON either way.
    let bin = assert_cmd::cargo::cargo_bin("ccsim");
    let on_terminal = |extra: &str| {
        let out = crate::util::fresh_path("chat_exact", &format!("terminal{}.json", extra.len()));
        let command = format!("{} {} {extra} > {}", bin.display(), LONG_RUN.join(" "), out.display());
        let run = std::process::Command::new("script").args(["-qec", &command, "/dev/null"]).output();
        let run = run.expect("script(1) runs");
        assert!(run.status.success(), "{run:?}");
        let shown = String::from_utf8_lossy(&run.stdout).into_owned();
        (shown, std::fs::read(&out).unwrap())
    };
    let (shown, stdout) = on_terminal("");
    assert!(shown.contains("solving the exact chat model") && shown.contains("agent counts"), "{shown}");
    assert_eq!(stdout, plain.get_output().stdout);
    let (hidden, stdout) = on_terminal("-q");
    assert!(!hidden.contains("solving") && !hidden.contains("searching"), "{hidden}");
    assert_eq!(stdout, plain.get_output().stdout);
}
