//! The chat estimate (`erlang --concurrency`): Erlang C on the agents' full-concurrency
//! throughput. Where it is exact it must equal Erlang C to the last bit (one chat per agent;
//! no slowdown, as `c·K` servers); where it is not, it must err the way its documentation
//! says (against the exact Markov chain of agents holding 0..K chats with fewest-chats
//! routing); and its flags are checked with exit code 2.

use ccsim::erlang::{ChatErlang, Goals, Model, ServiceGoal, required_agents};
use serde_json::Value;

use crate::util::ccsim;

fn chat(load: f64, aht: f64, concurrency: u32, full_throughput: f64) -> Model {
    Model::ErlangCChat(ChatErlang { load, aht, concurrency, full_throughput })
}

fn sl_goal(target: f64, goal: f64) -> Goals {
    Goals { service_level: Some(ServiceGoal { target, goal }), ..Goals::default() }
}

#[test]
fn one_chat_per_agent_is_erlang_c_exactly() {
    for load in [0.0, 0.4, 3.0, 17.5, 250.0] {
        for agents in [1u32, 2, 5, 18, 20, 40, 300] {
            let voice = Model::erlang_c(load, 420.0).evaluate(agents, 45.0);
            let one = chat(load, 420.0, 1, 1.0).evaluate(agents, 45.0);
            assert_eq!(one, voice, "load {load}, agents {agents}");
        }
        let goals = Goals { max_asa: Some(30.0), ..sl_goal(45.0, 0.85) };
        assert_eq!(
            required_agents(&chat(load, 420.0, 1, 1.0), &goals).map(|r| (r.agents, r.binding)),
            required_agents(&Model::erlang_c(load, 420.0), &goals).map(|r| (r.agents, r.binding)),
            "load {load}"
        );
    }
}

#[test]
fn no_slowdown_is_erlang_c_with_c_times_k_servers_exactly() {
    for k in [2u32, 3, 5] {
        for load in [0.7, 6.0, 41.3] {
            for agents in 1..=30u32 {
                let estimate = chat(load, 600.0, k, f64::from(k)).evaluate(agents, 60.0);
                let servers = Model::erlang_c(load, 600.0).evaluate(agents * k, 60.0);
                assert_eq!(estimate.metrics, servers.metrics, "K {k}, load {load}, agents {agents}");
                assert_eq!(estimate.stable, servers.stable);
                assert_eq!(estimate.agents, agents);
            }
            // The fewest agents whose c·K servers meet the goal: the servers Erlang C needs,
            // rounded up to whole agents (the goals are monotone in servers).
            let goals = Goals { max_asa: Some(20.0), ..sl_goal(60.0, 0.8) };
            let servers = required_agents(&Model::erlang_c(load, 600.0), &goals).unwrap().agents;
            let agents = required_agents(&chat(load, 600.0, k, f64::from(k)), &goals).unwrap().agents;
            assert_eq!(agents, servers.div_ceil(k), "K {k}, load {load}");
        }
    }
}

#[test]
fn the_estimate_never_needs_more_agents_than_erlang_c_with_one_chat_each() {
    // c·K servers at rate f[K−1]/K are at least as fast as c·K at 1/K (f[K−1] ≥ 1), which at
    // the same utilisation wait less than c servers at rate 1 (Erlang C's economies of scale,
    // with the same decay rate of the wait's tail): so never more agents.
    for load in [0.2, 2.0, 9.0, 33.0, 120.0] {
        for (k, full) in [(2u32, 1.1), (2, 1.5), (3, 2.5), (3, 3.0), (4, 2.2), (6, 4.0)] {
            for goal in [0.5, 0.8, 0.95] {
                let goals = sl_goal(40.0, goal);
                let c = required_agents(&Model::erlang_c(load, 300.0), &goals).unwrap().agents;
                let estimate = required_agents(&chat(load, 300.0, k, full), &goals).unwrap().agents;
                assert!(estimate <= c, "load {load}, K {k}, f {full}, goal {goal}: {estimate} > {c}");
            }
        }
    }
}

/// An occupancy cap, the share of agents holding a chat, is met at the fewest agents that
/// meet it, however far above the load that count is: one agent fewer misses it. The
/// chats in service average the servers' load `A' = A·K / f[K−1]`, and each busy agent holds
/// at least one and at most `K`, so the count lies between `A' / (K·max)` and `A' / max`.
#[test]
fn an_occupancy_cap_far_below_the_load_gives_its_exact_count() {
    for (load, k, full, max) in
        [(900.0, 3u32, 3.0, 0.5), (10.0, 2, 1.6, 0.01), (90.0, 4, 2.5, 0.002), (5.0, 3, 2.5, 0.9)]
    {
        let goals = Goals { max_occupancy: Some(max), ..Goals::default() };
        let r = required_agents(&chat(load, 300.0, k, full), &goals).unwrap();
        let below = chat(load, 300.0, k, full).evaluate(r.agents - 1, 20.0);
        assert!(r.performance.occupancy <= max, "load {load}: {}", r.performance.occupancy);
        assert!(below.occupancy > max, "load {load}: {} agents already meet it", r.agents - 1);
        let servers_load = load * f64::from(k) / full;
        let agents = f64::from(r.agents);
        assert!(agents >= servers_load / (f64::from(k) * max) && agents <= (servers_load / max).ceil() + 1.0);
        assert!(agents >= load / full, "load {load}: below the stable count");
    }
}

/// P(wait) of the exact chain: `c` agents, each holding 0..=K chats, a new chat to an agent
/// with the fewest, an agent with `j` chats finishing one at rate `μ·f[j−1]`; chats wait
/// when every agent holds K. The state below "all full" is how many agents hold each count;
/// at "all full" the queue is a birth-death chain with death rate `c·μ·f[K−1]`, summed in
/// closed form. Solved by Gauss-Seidel on the balance equations.
pub(crate) fn exact_p_wait(c: usize, factors: &[f64], load: f64) -> f64 {
    exact_chain(c, factors, load).0
}

/// The exact chain's P(wait) and occupancy (the share of agents holding a chat: in "all full"
/// every agent does).
fn exact_chain(c: usize, factors: &[f64], load: f64) -> (f64, f64) {
    let k = factors.len();
    let (lambda, mu) = (load, 1.0);
    // Occupancy vectors (agents holding 0..=K chats) summing to c, "all full" last.
    let mut states: Vec<Vec<usize>> = Vec::new();
    fn fill(prefix: &mut Vec<usize>, left: usize, slots: usize, out: &mut Vec<Vec<usize>>) {
        if slots == 1 {
            prefix.push(left);
            out.push(prefix.clone());
            prefix.pop();
            return;
        }
        for n in 0..=left {
            prefix.push(n);
            fill(prefix, left - n, slots - 1, out);
            prefix.pop();
        }
    }
    fill(&mut Vec::new(), c, k + 1, &mut states);
    let full_idx = states.iter().position(|s| s[k] == c).unwrap();
    let index = |s: &Vec<usize>| states.iter().position(|t| t == s).unwrap();
    // Transitions (from, to, rate) among occupancy states; "all full" aggregates its queue:
    // with ρ = λ / (c·μ·f[K−1]) < 1 the queue is geometric, so "full with any queue" has
    // weight 1/(1−ρ) times "full, no queue", and only "full, no queue" leaves downward.
    let rho = lambda / (c as f64 * mu * factors[k - 1]);
    let mut moves: Vec<(usize, usize, f64)> = Vec::new();
    for (i, s) in states.iter().enumerate() {
        if i == full_idx {
            let mut t = s.clone();
            t[k] -= 1;
            t[k - 1] += 1;
            // Leaves "full" only from an empty queue: rate c·μ·f[K−1] × P(no queue | full).
            moves.push((i, index(&t), c as f64 * mu * factors[k - 1] * (1.0 - rho)));
            continue;
        }
        let fewest = (0..=k).find(|&j| s[j] > 0).unwrap();
        let mut t = s.clone();
        t[fewest] -= 1;
        t[fewest + 1] += 1;
        moves.push((i, index(&t), lambda));
        for j in 1..=k {
            if s[j] > 0 {
                let mut t = s.clone();
                t[j] -= 1;
                t[j - 1] += 1;
                moves.push((i, index(&t), s[j] as f64 * mu * factors[j - 1]));
            }
        }
    }
    let n = states.len();
    let mut out_rate = vec![0.0; n];
    for &(i, _, r) in &moves {
        out_rate[i] += r;
    }
    let mut p = vec![1.0 / n as f64; n];
    for _ in 0..100_000 {
        let mut change: f64 = 0.0;
        for j in 0..n {
            let inflow: f64 = moves.iter().filter(|m| m.1 == j).map(|&(i, _, r)| p[i] * r).sum();
            let v = inflow / out_rate[j];
            change = change.max((v - p[j]).abs());
            p[j] = v;
        }
        let total: f64 = p.iter().sum();
        p.iter_mut().for_each(|v| *v /= total);
        if change < 1e-14 {
            break;
        }
    }
    let occupancy = states.iter().zip(&p).map(|(s, p)| p * (c - s[0]) as f64).sum::<f64>() / c as f64;
    (p[full_idx], occupancy)
}

#[test]
fn the_exact_chain_agrees_with_erlang_c_without_a_slowdown() {
    // The chain above is the exact model; without a slowdown it is M/M/(c·K), so it must give
    // Erlang C's P(wait): this checks the chain before it judges the estimate.
    for (c, load) in [(2usize, 3.0), (3, 5.5), (3, 8.0)] {
        let exact = exact_p_wait(c, &[1.0, 2.0, 3.0], load);
        let erlang = ccsim::erlang::erlang_c(load, c as u32 * 3);
        assert!((exact - erlang).abs() < 1e-9, "c {c}, load {load}: chain {exact}, Erlang C {erlang}");
    }
}

#[test]
fn with_a_slowdown_the_estimate_overstates_waiting_when_each_chat_slows_the_others() {
    // Per-chat rates 1, 0.85, 0.83: falling, so the real agents drain faster below full and
    // the estimate's P(wait) is an upper bound; per-chat rates 1, 0.6, 0.97 (not falling)
    // break that, and the documentation says the estimate is then optimistic.
    for (c, load) in [(2usize, 2.0), (3, 4.0), (3, 6.0), (4, 8.0)] {
        let falling = [1.0, 1.7, 2.5];
        let exact = exact_p_wait(c, &falling, load);
        let estimate = chat(load, 1.0, 3, 2.5).evaluate(c as u32, 0.0).metrics.p_wait;
        assert!(estimate > exact, "c {c}, load {load}: estimate {estimate}, exact {exact}");
        // Not by much: within a tenth of the exact figure plus a point.
        assert!(
            estimate - exact < 0.1 * exact + 0.01,
            "c {c}, load {load}: estimate {estimate}, exact {exact}"
        );
    }
    let rising = [1.0, 1.2, 2.9];
    let exact = exact_p_wait(3, &rising, 4.0);
    let estimate = chat(4.0, 1.0, 3, 2.9).evaluate(3, 0.0).metrics.p_wait;
    assert!(estimate < exact, "estimate {estimate}, exact {exact}");
}

/// The estimate's occupancy is the simulation's, the share of agents holding a chat, and errs
/// on the safe side where its P(wait) does: above the exact chain's, by a few points.
#[test]
fn the_estimates_occupancy_is_the_share_of_agents_holding_a_chat_and_errs_high() {
    let falling = [1.0, 1.7, 2.5];
    for (c, load) in [(2usize, 2.0), (3, 3.0), (3, 5.0), (4, 8.0), (3, 1.0)] {
        let (_, exact) = exact_chain(c, &falling, load);
        let estimate = chat(load, 1.0, 3, 2.5).evaluate(c as u32, 0.0).occupancy;
        assert!(estimate >= exact, "c {c}, load {load}: estimate {estimate}, exact {exact}");
        assert!(estimate - exact < 0.1, "c {c}, load {load}: estimate {estimate}, exact {exact}");
        // Far above the share of full-concurrency throughput in use where agents hold one chat.
        assert!(exact > load / (c as f64 * 2.5), "c {c}, load {load}: exact {exact}");
    }
    // Without a slowdown the chain is M/M/(c·K): its occupancy is not Erlang C's A / (c·K).
    let (_, exact) = exact_chain(3, &[1.0, 2.0, 3.0], 4.0);
    assert!(exact > 4.0 / 9.0 + 0.2, "{exact}");
}

/// The load flags followed by `extra`.
fn with(extra: &[&'static str]) -> Vec<&'static str> {
    [&LOAD[..], extra].concat()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = ccsim().arg("erlang").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const LOAD: [&str; 10] =
    ["--calls", "120", "--interval", "30m", "--aht", "10m", "--target", "60s", "--sl-goal", "0.8"];

#[test]
fn erlang_concurrency_prints_the_estimate_flagged_as_an_approximation() {
    let (code, json, _) =
        run(&with(&["--concurrency", "3", "--concurrency-factors", "1,1.7,2.5", "--format", "json"]));
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["model"], "erlang_c_chat");
    assert_eq!(doc["approximation"], true);
    assert_eq!(doc["concurrency"], 3);
    assert_eq!(doc["concurrency_factors"], serde_json::json!([1.0, 1.7, 2.5]));
    let goals = sl_goal(60.0, 0.8);
    let want = required_agents(&chat(40.0, 600.0, 3, 2.5), &goals).unwrap().agents;
    assert_eq!(doc["required_agents"], want);
    // Every key of an Erlang C row is still there.
    let (_, voice, _) = run(&with(&["--format", "json"]));
    let voice: Value = serde_json::from_str(&voice).unwrap();
    let keys = |v: &Value| v["rows"][0].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&doc), keys(&voice));
    for key in voice.as_object().unwrap().keys() {
        assert!(doc.get(key).is_some(), "{key} missing");
    }
    let (code, table, _) = run(&with(&["--concurrency", "3", "--concurrency-factors", "1,1.7,2.5"]));
    assert_eq!(code, 0);
    assert!(table.starts_with("Chat estimate (approximation"), "{table}");
    assert!(table.contains("* Approximation:"), "{table}");
    let (code, csv, _) = run(&with(&["--concurrency", "2", "--format", "csv"]));
    assert_eq!(code, 0);
    assert!(csv.lines().next().unwrap().ends_with(",required,concurrency"), "{csv}");
}

#[test]
fn erlang_concurrency_one_gives_erlang_c_rows() {
    let (_, chat, _) = run(&with(&["--concurrency", "1", "--format", "json"]));
    let (_, voice, _) = run(&with(&["--format", "json"]));
    let (chat, voice): (Value, Value) =
        (serde_json::from_str(&chat).unwrap(), serde_json::from_str(&voice).unwrap());
    assert_eq!(chat["rows"], voice["rows"]);
    assert_eq!(chat["required_agents"], voice["required_agents"]);
}

#[test]
fn bad_concurrency_flags_exit_2_naming_the_flag() {
    let cases: [(&[&str], &str, &str); 10] = [
        (&["--concurrency", "0"], "--concurrency:", "from 1 to"),
        (&["--concurrency", "2.5"], "--concurrency:", "whole number"),
        (&["--concurrency", "-3"], "--concurrency:", "whole number"),
        // The count is named as it was given here, `--concurrency`, not as the scenario key.
        (
            &["--concurrency", "3", "--concurrency-factors", "1,2"],
            "--concurrency-factors: \"1,2\"",
            "has 2 values but --concurrency is 3; give one factor per number of chats held, 1 to 3 (e.g. 1,1.7,2.5",
        ),
        (
            &["--concurrency", "2", "--concurrency-factors", "1,2,3"],
            "--concurrency-factors: \"1,2,3\"",
            "has 3 values but --concurrency is 2",
        ),
        (
            &["--concurrency", "3", "--concurrency-factors", "1,1.7,1.7"],
            "--concurrency-factors (with --concurrency",
            "strictly increasing",
        ),
        (
            &["--concurrency", "2", "--concurrency-factors", "1,2.1"],
            "--concurrency-factors (with --concurrency",
            "at most 2 times",
        ),
        (&["--concurrency", "2", "--concurrency-factors", "0.9,1.5"], "--concurrency-factors", "must be 1.0"),
        (&["--concurrency-factors", "1,1.5"], "--concurrency-factors:", "needs --concurrency"),
        (&["--concurrency", "2", "--patience", "2m"], "--concurrency:", "erlang-a"),
    ];
    for (extra, flag, why) in cases {
        let args = [&LOAD[..], extra].concat();
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{extra:?}: {stderr}");
        assert!(stdout.is_empty(), "{extra:?}: {stdout}");
        assert!(stderr.contains(flag) && stderr.contains(why), "{extra:?}: {stderr}");
        assert!(!stderr.contains("max_concurrency"), "a scenario key on the command line: {stderr}");
    }
    let (code, _, stderr) =
        run(&[&LOAD[..], &["--concurrency", "2", "--concurrency-factors", "1,two"]].concat());
    assert_eq!(code, 2);
    assert!(stderr.contains("\"two\"") && stderr.contains("not a number"), "{stderr}");
}
