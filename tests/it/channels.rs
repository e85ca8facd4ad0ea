//! Channels: the scenario keys of chat and email (`channel`, `max_concurrency`,
//! `concurrency_factors`, `[service_level.chat]`/`[service_level.email]`), their located
//! errors, and the chat engine checked against exact queueing results.

use std::path::Path;

use ccsim::model::{Channel, ChatConcurrency, Scenario};
use ccsim::scenario::{load_str, to_toml};

use crate::util::{Refusal, ccsim, empty_dir};

/// A valid scenario with voice, chat and email, every channel key set.
const BASE: &str = r#"name = "base"
start = "08:00"
interval = "1h"

[service_level]
target = "20s"
goal = 0.8

[service_level.chat]
target = "60s"
goal = 0.8

[service_level.email]
target = "1d"
goal = 0.9
definition = "answered"

[[call_types]]
name = "accounts"
volumes = [10, 20, 30, 20]
handle_time = { distribution = "exponential", mean = "4m" }
patience = { distribution = "exponential", mean = "90s" }

[[call_types]]
name = "web-chat"
channel = "chat"
volumes = [10, 20, 30, 20]
handle_time = { distribution = "exponential", mean = "6m" }
patience = { distribution = "exponential", mean = "3m" }

[[call_types]]
name = "tickets"
channel = "email"
volumes = [5, 5, 5, 5]
handle_time = { distribution = "exponential", mean = "8m" }

[[agent_groups]]
name = "tier1"
skills = ["accounts", "web-chat", "tickets"]
max_concurrency = 3
concurrency_factors = [1.0, 1.7, 2.5]
staffing = [6, 6, 6, 6]

[[agent_groups]]
name = "phones"
skills = ["accounts"]
staffing = [2, 2, 2, 2]
"#;

fn load(text: &str) -> Scenario {
    load_str(text, Path::new("channels.toml")).unwrap_or_else(|e| panic!("{e}")).scenario
}

#[test]
fn channel_keys_load_into_the_model() {
    let s = load(BASE);
    let channels: Vec<Channel> = s.call_types.iter().map(|c| c.channel).collect();
    assert_eq!(channels, [Channel::Voice, Channel::Chat, Channel::Email]);
    let chat = s.agent_groups[0].chat.as_ref().expect("tier1 takes chats");
    assert_eq!((chat.max(), chat.factors()), (3, &[1.0, 1.7, 2.5][..]));
    assert_eq!(s.agent_groups[1].chat, None);
    assert_eq!(s.goal_for(Channel::Voice), s.service_level);
    assert_eq!(s.goal_for(Channel::Chat).target, 60.0);
    assert_eq!(s.goal_for(Channel::Email).target, 86_400.0);
    assert_eq!(s.goal_for(Channel::Email).goal, 0.9);
    assert_eq!(s.goal_for(Channel::Email).definition, ccsim::model::SlDefinition::Answered);
}

#[test]
fn a_channel_without_its_own_goal_uses_the_scenarios() {
    let text = BASE.replacen("[service_level.chat]\ntarget = \"60s\"\ngoal = 0.8\n", "", 1);
    let s = load(&text);
    assert_eq!(s.goal_for(Channel::Chat), s.service_level);
    assert_eq!(s.goal_for(Channel::Email).target, 86_400.0);
}

#[test]
fn default_concurrency_factors_mean_no_slowdown() {
    let s = load(&BASE.replacen("concurrency_factors = [1.0, 1.7, 2.5]\n", "", 1));
    assert_eq!(s.agent_groups[0].chat, Some(ChatConcurrency::new(3, None).unwrap()));
}

#[test]
fn a_scenario_with_channels_is_written_back_to_the_same_model() {
    let s = load(BASE);
    let written = to_toml(&s);
    let again = load_str(&written, Path::new("channels.toml")).unwrap_or_else(|e| panic!("{e}\n{written}"));
    assert_eq!(again.scenario, s, "written:\n{written}");
}

/// Bad inputs: each `from` in [`BASE`] replaced by `to`; the error is on the line holding
/// `marker` and names `field`, and its message contains `says`.
const BAD: &[Refusal] = &[
    Refusal {
        name: "unknown channel",
        from: "channel = \"chat\"",
        to: "channel = \"sms\"",
        marker: "channel = \"sms\"",
        field: "call_types.web-chat.channel",
        says: "allowed: \"voice\", \"chat\", \"email\"",
    },
    Refusal {
        name: "concurrency 0",
        from: "max_concurrency = 3\nconcurrency_factors = [1.0, 1.7, 2.5]",
        to: "max_concurrency = 0",
        marker: "max_concurrency",
        field: "agent_groups.tier1.max_concurrency",
        says: "at least 1",
    },
    Refusal {
        name: "factors longer than max_concurrency",
        from: "[1.0, 1.7, 2.5]",
        to: "[1.0, 1.7, 2.5, 3.0]",
        marker: "concurrency_factors",
        field: "agent_groups.tier1.concurrency_factors",
        says: "has 4 values but max_concurrency is 3",
    },
    Refusal {
        name: "factors shorter than max_concurrency",
        from: "[1.0, 1.7, 2.5]",
        to: "[1.0, 1.7]",
        marker: "concurrency_factors",
        field: "agent_groups.tier1.concurrency_factors",
        says: "has 2 values but max_concurrency is 3",
    },
    Refusal {
        name: "factors not increasing",
        from: "[1.0, 1.7, 2.5]",
        to: "[1.0, 1.7, 1.6]",
        marker: "concurrency_factors",
        field: "agent_groups.tier1.concurrency_factors",
        says: "strictly increasing",
    },
    Refusal {
        name: "first factor not 1",
        from: "[1.0, 1.7, 2.5]",
        to: "[1.2, 1.7, 2.5]",
        marker: "concurrency_factors",
        field: "agent_groups.tier1.concurrency_factors",
        says: "must be 1.0",
    },
    Refusal {
        name: "factor above the number of chats",
        from: "[1.0, 1.7, 2.5]",
        to: "[1.0, 1.7, 3.5]",
        marker: "concurrency_factors",
        field: "agent_groups.tier1.concurrency_factors",
        says: "at most 3",
    },
    Refusal {
        name: "factor not a number",
        from: "[1.0, 1.7, 2.5]",
        to: "[1.0, \"fast\", 2.5]",
        marker: "concurrency_factors",
        field: "agent_groups.tier1.concurrency_factors[1]",
        says: "expected a number",
    },
    Refusal {
        name: "chat skill without max_concurrency",
        from: "max_concurrency = 3\nconcurrency_factors = [1.0, 1.7, 2.5]\n",
        to: "",
        marker: "skills = [\"accounts\", \"web-chat\"",
        field: "agent_groups.tier1.skills[1]",
        says: "needs `max_concurrency`",
    },
    Refusal {
        name: "max_concurrency without chat skills",
        from: "skills = [\"accounts\"]\nstaffing = [2",
        to: "skills = [\"accounts\"]\nmax_concurrency = 2\nstaffing = [2",
        marker: "max_concurrency = 2",
        field: "agent_groups.phones.max_concurrency",
        says: "no chat skill",
    },
    Refusal {
        name: "concurrency_factors without chat skills",
        from: "skills = [\"accounts\"]\nstaffing = [2",
        to: "skills = [\"accounts\"]\nconcurrency_factors = [1.0]\nstaffing = [2",
        marker: "concurrency_factors = [1.0]",
        field: "agent_groups.phones.concurrency_factors",
        says: "no chat skill",
    },
    Refusal {
        name: "email with patience",
        from: "handle_time = { distribution = \"exponential\", mean = \"8m\" }",
        to: "handle_time = { distribution = \"exponential\", mean = \"8m\" }\npatience = { distribution = \"exponential\", mean = \"1h\" }",
        marker: "patience = { distribution = \"exponential\", mean = \"1h\" }",
        field: "call_types.tickets.patience",
        says: "an email call type has no patience",
    },
    Refusal {
        name: "callback offer on chats",
        from: "mean = \"6m\" }\npatience = { distribution = \"exponential\", mean = \"3m\" }",
        to: "mean = \"6m\" }\npatience = { distribution = \"exponential\", mean = \"3m\" }\ncallback = { offer_when_wait_over = \"1m\", accept = 0.5, answer = 0.9, retries = 1, retry_after = \"10m\" }",
        marker: "callback = {",
        field: "call_types.web-chat.callback",
        says: "a chat call type has no callback offer",
    },
    Refusal {
        name: "bad chat target",
        from: "target = \"60s\"",
        to: "target = \"60 parsecs\"",
        marker: "60 parsecs",
        field: "service_level.chat.target",
        says: "unknown unit",
    },
    Refusal {
        name: "email goal above 1",
        from: "goal = 0.9",
        to: "goal = 9",
        marker: "goal = 9",
        field: "service_level.email.goal",
        says: "a share in (0, 1]",
    },
    Refusal {
        name: "unknown key in a channel's goal",
        from: "goal = 0.9\n",
        to: "goal = 0.9\nmax_backlog = 100\n",
        marker: "max_backlog",
        field: "service_level.email.max_backlog",
        says: "unknown key",
    },
    Refusal {
        name: "channel goal without target",
        from: "[service_level.chat]\ntarget = \"60s\"\n",
        to: "[service_level.chat]\n",
        marker: "[service_level.chat]",
        field: "service_level.chat.target",
        says: "missing required key",
    },
];

fn line_of(text: &str, marker: &str) -> usize {
    let at = text.find(marker).unwrap_or_else(|| panic!("marker {marker:?} not in the file"));
    text[..at].matches('\n').count() + 1
}

#[test]
fn bad_channel_keys_exit_2_naming_file_line_and_field() {
    let dir = empty_dir("channels", "bad");
    for (i, c) in BAD.iter().enumerate() {
        assert!(BASE.contains(c.from), "{}: {:?} not in the base", c.name, c.from);
        let text = BASE.replacen(c.from, c.to, 1);
        let file = dir.join(format!("case{i}.toml"));
        std::fs::write(&file, &text).unwrap();
        let out = ccsim().arg("validate").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {stderr}", c.name);
        let expected = format!("{}:{}:", file.display(), line_of(&text, c.marker));
        let hit = stderr
            .lines()
            .any(|l| l.contains(&expected) && l.contains(&format!(": {}: ", c.field)) && l.contains(c.says));
        assert!(
            hit,
            "{}: no error at {expected} naming {} and saying {:?}:\n{stderr}",
            c.name, c.field, c.says
        );
    }
}

/// A `max_concurrency` that is there but not a whole number (-1, 2.5, "3") gets its own error,
/// and no second one saying the chat group lacks it.
#[test]
fn a_bad_max_concurrency_is_one_error_not_also_a_missing_one() {
    for bad in ["-1", "2.5", "\"3\""] {
        let text = BASE.replacen("max_concurrency = 3", &format!("max_concurrency = {bad}"), 1);
        assert_ne!(text, BASE);
        let errors = match load_str(&text, Path::new("channels.toml")) {
            Ok(_) => panic!("max_concurrency = {bad} accepted"),
            Err(e) => e.0,
        };
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 1, "max_concurrency = {bad}: {messages:#?}");
        assert!(messages[0].contains("agent_groups.tier1.max_concurrency"), "{messages:?}");
        // What is allowed, as it is: 0 is refused as well as -1.
        assert!(
            messages[0].contains("expected a whole number from 1 to 32 (the chats one agent holds at once)"),
            "{messages:?}"
        );
    }
    // Absent, it is still required of a group that takes chats.
    let text = BASE.replacen("max_concurrency = 3\nconcurrency_factors = [1.0, 1.7, 2.5]\n", "", 1);
    assert_ne!(text, BASE);
    let Err(errors) = load_str(&text, Path::new("channels.toml")) else {
        panic!("a chat group without max_concurrency accepted")
    };
    assert!(errors.0.iter().any(|e| e.to_string().contains("needs `max_concurrency`")), "{errors}");
}

/// A channel name that is not one gets that one error: the group taking its call type is not
/// also told that it has no chat skill for its `max_concurrency` and `concurrency_factors`.
#[test]
fn an_unknown_channel_is_one_error_not_also_the_groups_concurrency() {
    let text = BASE.replacen("channel = \"chat\"", "channel = \"sms\"", 1);
    assert_ne!(text, BASE);
    let Err(errors) = load_str(&text, Path::new("channels.toml")) else { panic!("channel \"sms\" accepted") };
    let messages: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert_eq!(errors.0[0].field, "call_types.web-chat.channel");
    assert_eq!(errors.0[0].line, Some(line_of(&text, "channel = \"sms\"")));
    assert!(
        messages[0].contains("unknown channel \"sms\"; allowed: \"voice\", \"chat\", \"email\""),
        "{messages:?}"
    );
    // A group that takes only voice still may not set them.
    let voice =
        BASE.replacen("skills = [\"accounts\"]\n", "skills = [\"accounts\"]\nmax_concurrency = 2\n", 1);
    let voice = voice.replacen("channel = \"chat\"", "channel = \"sms\"", 1);
    let Err(errors) = load_str(&voice, Path::new("channels.toml")) else { panic!("accepted") };
    assert!(errors.0.iter().any(|e| e.field == "agent_groups.phones.max_concurrency"), "{errors}");
}

#[test]
fn the_schema_lists_the_channel_keys() {
    let out = ccsim().arg("schema").assert().success().get_output().stdout.clone();
    let schema: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let defs = &schema["$defs"];
    let props = |def: &str| defs[def]["properties"].as_object().unwrap_or_else(|| panic!("{def}")).clone();
    assert!(props("CallTypeFile").contains_key("channel"));
    let group = props("AgentGroupFile");
    assert!(group.contains_key("max_concurrency") && group.contains_key("concurrency_factors"));
    let sl = props("ServiceLevelFile");
    assert!(sl.contains_key("chat") && sl.contains_key("email"));
    let own = props("ChannelServiceLevelFile");
    assert!(own.contains_key("target") && own.contains_key("goal"));
    let channels = serde_json::to_string(&defs["Channel"]).unwrap();
    for name in ["voice", "chat", "email"] {
        assert!(channels.contains(&format!("\"{name}\"")), "{channels}");
    }
}

#[test]
fn the_starter_chat_example_loads_when_uncommented() {
    let starter = ccsim::cli::init::STARTER;
    let from =
        starter.find("# [[call_types]]\n# name = \"web-chat\"").expect("the starter shows a chat type");
    let to = from + starter[from..].find("# goal = 0.80").expect("and chat's own goal");
    let block: String = starter[from..to]
        .lines()
        .chain(["# goal = 0.80"])
        .map(|l| l.strip_prefix("# ").unwrap_or(l.trim_start_matches('#')))
        .map(|l| format!("{l}\n"))
        .collect();
    let s = load(&format!("{starter}\n{block}"));
    let chat = s.call_type_id("web-chat").expect("the chat type");
    assert_eq!(s.call_types[chat.idx()].channel, Channel::Chat);
    let team = s.agent_group_id("chat-team").expect("the chat team");
    assert_eq!(s.agent_groups[team.idx()].chat.as_ref().map(ChatConcurrency::max), Some(3));
    assert_eq!(s.goal_for(Channel::Chat).target, 60.0);
}

// ----- the chat engine against exact results ------------------------------------------------

use ccsim::dist::Dist;
use ccsim::erlang::Model;
use ccsim::model::StationaryQueue;
use ccsim::replicate::{self, Options, Replication};
use ccsim::stats::Estimate;

const TARGET: f64 = 20.0;
const CONFIDENCE: f64 = 0.99;
/// The error the statistical tests must be able to detect, relative to the exact value.
const DETECTABLE: f64 = 0.02;

/// One group of `agents` agents taking one chat type with exponential work of mean `work_s`
/// (at concurrency 1), `max` chats each, no patience, all day for `days` days.
fn chat_queue(
    chats_per_hour: f64,
    agents: u32,
    max: u32,
    factors: Option<Vec<f64>>,
    work_s: f64,
    days: u32,
) -> Scenario {
    let mut s = Scenario::stationary(&StationaryQueue {
        calls_per_hour: chats_per_hour,
        handle_time: Dist::exponential(work_s),
        patience: None,
        agents,
        target: TARGET,
        hours: 24 * days,
    });
    s.call_types[0].channel = Channel::Chat;
    s.agent_groups[0].chat = Some(ChatConcurrency::new(max, factors).unwrap());
    s
}

fn replications(scenario: &Scenario, seed: u64, replications: u32) -> Vec<Replication> {
    let options = Options { replications, seed, threads: None };
    replicate::run(scenario, &options, &|| {}).unwrap()
}

/// Asserts that the 99% interval of `samples` covers `exact` and is narrow enough to expose a
/// 2% error.
fn agrees(name: &str, samples: &[f64], exact: f64) {
    let e = Estimate::with_confidence(samples, CONFIDENCE);
    eprintln!("{name}: simulated {:.5} ± {:.5} (99%), exact {exact:.5}", e.mean, e.half_width);
    assert!(
        e.half_width < DETECTABLE * exact,
        "{name}: 99% half-width {:.5} is too wide to detect a 2% error of {exact:.5}",
        e.half_width
    );
    assert!(e.covers(exact), "{name}: simulated {:.5} ± {:.5} (99%), exact {exact:.5}", e.mean, e.half_width);
}

fn each(reps: &[Replication], f: impl Fn(&Replication) -> f64) -> Vec<f64> {
    reps.iter().map(f).collect()
}

#[test]
fn chat_without_slowdown_is_erlang_c_with_agents_times_concurrency_servers() {
    // 4 agents x 3 chats = 12 servers at 10 Erlangs: M/M/12.
    let (work_s, per_hour, agents, max) = (180.0, 200.0, 4, 3);
    let exact = Model::erlang_c(per_hour * work_s / 3600.0, work_s).evaluate(agents * max, TARGET);
    let reps = replications(&chat_queue(per_hour, agents, max, None, work_s, 20), 21, 100);
    agrees("p_wait", &each(&reps, |r| r.overall.stats.p_wait), exact.metrics.p_wait);
    agrees("service_level", &each(&reps, |r| r.overall.stats.service_level), exact.metrics.service_level);
    agrees("asa_s", &each(&reps, |r| r.overall.stats.asa_s), exact.metrics.asa_s);
}

/// The exact chat queue with slowdown: `c` agents, at most `k` chats each, `factors[j-1]` the
/// total throughput of an agent holding `j`, exponential work at rate `mu` (at concurrency 1),
/// Poisson arrivals at `lambda`, no abandonment, a new chat to an agent with the fewest chats.
/// The state is (agents holding 0..=k chats; chats waiting), and a chat waits only when every
/// agent holds `k`. The queue is cut at `max_queue`, where its probability is negligible.
struct ChatChain {
    lambda: f64,
    /// Every state: agents by chats held, and chats waiting.
    states: Vec<(Vec<u32>, u32)>,
    /// Stationary probabilities.
    pi: Vec<f64>,
    /// Completion rate of the whole group when every agent holds `k` (`c·f_k·mu`).
    full_rate: f64,
    c: u32,
    k: usize,
}

impl ChatChain {
    fn solve(c: u32, k: usize, factors: &[f64], mu: f64, lambda: f64, max_queue: u32) -> ChatChain {
        // Agent counts by chats held, every composition of c into k + 1 parts.
        fn compositions(c: u32, parts: usize) -> Vec<Vec<u32>> {
            if parts == 1 {
                return vec![vec![c]];
            }
            (0..=c)
                .flat_map(|first| {
                    compositions(c - first, parts - 1).into_iter().map(move |mut rest| {
                        rest.insert(0, first);
                        rest
                    })
                })
                .collect()
        }
        let full: Vec<u32> = (0..=k).map(|j| if j == k { c } else { 0 }).collect();
        let mut states: Vec<(Vec<u32>, u32)> = compositions(c, k + 1).into_iter().map(|n| (n, 0)).collect();
        states.extend((1..=max_queue).map(|q| (full.clone(), q)));
        let index = |s: &(Vec<u32>, u32)| states.iter().position(|x| x == s).unwrap();
        let n = states.len();
        // Generator, row = from, column = to.
        let mut generator = vec![vec![0.0; n]; n];
        for (i, (agents, q)) in states.iter().enumerate() {
            let mut add = |to: (Vec<u32>, u32), rate: f64| {
                let j = index(&to);
                generator[i][j] += rate;
                generator[i][i] -= rate;
            };
            // An arrival: to an agent with the fewest chats, or it waits.
            match (0..k).find(|&j| agents[j] > 0) {
                Some(j) if *q == 0 => {
                    let mut to = agents.clone();
                    to[j] -= 1;
                    to[j + 1] += 1;
                    add((to, 0), lambda);
                }
                _ if *q < max_queue => add((agents.clone(), q + 1), lambda),
                _ => {}
            }
            // A chat ends on an agent holding j: that agent finishes at rate f_j·mu in total.
            for j in 1..=k {
                if agents[j] == 0 {
                    continue;
                }
                let rate = f64::from(agents[j]) * factors[j - 1] * mu;
                if *q > 0 {
                    add((agents.clone(), q - 1), rate); // the freed slot takes the first waiting
                } else {
                    let mut to = agents.clone();
                    to[j] -= 1;
                    to[j - 1] += 1;
                    add((to, 0), rate);
                }
            }
        }
        // pi·Q = 0 with sum(pi) = 1: solve Q^T pi = 0 with the last equation replaced.
        let mut a: Vec<Vec<f64>> = (0..n).map(|r| (0..n).map(|col| generator[col][r]).collect()).collect();
        let mut b = vec![0.0; n];
        a[n - 1] = vec![1.0; n];
        b[n - 1] = 1.0;
        for col in 0..n {
            let pivot = (col..n).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs())).unwrap();
            a.swap(col, pivot);
            b.swap(col, pivot);
            let pivot_row = a[col].clone();
            for row in 0..n {
                if row != col && a[row][col] != 0.0 {
                    let f = a[row][col] / pivot_row[col];
                    for (x, p) in a[row].iter_mut().zip(&pivot_row).skip(col) {
                        *x -= f * p;
                    }
                    b[row] -= f * b[col];
                }
            }
        }
        let pi: Vec<f64> = (0..n).map(|i| b[i] / a[i][i]).collect();
        let tail: f64 = states.iter().zip(&pi).filter(|(s, _)| s.1 + 20 > max_queue).map(|(_, p)| p).sum();
        assert!(tail < 1e-12, "the queue was cut too short: {tail:e} beyond {}", max_queue - 20);
        ChatChain { lambda, states, pi, full_rate: f64::from(c) * factors[k - 1] * mu, c, k }
    }

    fn expect(&self, f: impl Fn(&[u32], u32) -> f64) -> f64 {
        self.states.iter().zip(&self.pi).map(|((n, q), p)| p * f(n, *q)).sum()
    }

    /// An arrival waits when every agent holds k (arrivals see time averages).
    fn p_wait(&self) -> f64 {
        self.expect(|n, _| if n[self.k] == self.c { 1.0 } else { 0.0 })
    }

    /// Mean wait of all chats, by Little's law from the mean queue length.
    fn asa_s(&self) -> f64 {
        self.expect(|_, q| f64::from(q)) / self.lambda
    }

    /// Answered within `t`: a chat finding `q` waiting waits for q + 1 ends of the full group,
    /// an Erlang(q + 1, c·f_k·mu) time, so P(W > t) sums Poisson tails.
    fn service_level(&self, t: f64) -> f64 {
        let x = self.full_rate * t;
        1.0 - self.expect(|n, q| {
            if n[self.k] != self.c {
                return 0.0;
            }
            let (mut term, mut sum) = ((-x).exp(), 0.0);
            for i in 0..=q {
                sum += term;
                term *= x / f64::from(i + 1);
            }
            sum
        })
    }

    /// Chats held per agent holding chats.
    fn mean_concurrency(&self) -> f64 {
        let chats = self.expect(|n, _| n.iter().enumerate().map(|(j, &m)| (j as u32 * m) as f64).sum());
        let busy = self.expect(|n, _| f64::from(self.c - n[0]));
        chats / busy
    }
}

#[test]
fn the_exact_chain_without_slowdown_is_erlang_c() {
    // The chain's own check: with factors [1, 2, 3] it is M/M/(c·k).
    let (c, k, mu, lambda) = (2, 3, 1.0 / 180.0, 5.0 / 180.0);
    let chain = ChatChain::solve(c, k, &[1.0, 2.0, 3.0], mu, lambda, 400);
    let exact = Model::erlang_c(5.0, 180.0).evaluate(c * k as u32, TARGET);
    assert!(
        (chain.p_wait() - exact.metrics.p_wait).abs() < 1e-9,
        "{} {}",
        chain.p_wait(),
        exact.metrics.p_wait
    );
    assert!((chain.asa_s() - exact.metrics.asa_s).abs() < 1e-6 * exact.metrics.asa_s);
    assert!((chain.service_level(TARGET) - exact.metrics.service_level).abs() < 1e-9);
}

#[test]
fn chat_with_slowdown_matches_the_exact_markov_chain() {
    // 3 agents, 3 chats each, an agent holding j chats works j of them at 1, 1.7, 2.5 times
    // the speed of one: full capacity 7.5 chats per 6 minutes, offered 80% of it.
    let (agents, max, factors, work_s) = (3, 3, vec![1.0, 1.7, 2.5], 360.0);
    let per_hour = 0.8 * f64::from(agents) * 2.5 * 3600.0 / work_s;
    let chain = ChatChain::solve(agents, max as usize, &factors, 1.0 / work_s, per_hour / 3600.0, 400);
    let scenario = chat_queue(per_hour, agents, max, Some(factors), work_s, 45);
    let reps = replications(&scenario, 22, 100);
    agrees("p_wait", &each(&reps, |r| r.overall.stats.p_wait), chain.p_wait());
    agrees("service_level", &each(&reps, |r| r.overall.stats.service_level), chain.service_level(TARGET));
    agrees("asa_s", &each(&reps, |r| r.overall.stats.asa_s), chain.asa_s());
    agrees("mean_concurrency", &each(&reps, |r| r.group_concurrency[0]), chain.mean_concurrency());
}

/// Voice, chat and email in one center: a blended team holding up to 3 chats with slowdown,
/// on shifts with breaks, beside a chat-only evening team on a staffing vector; chats abandon,
/// redial, repeat and are transferred to the phone, and calls to chat.
const BLENDED: &str = r#"name = "blended"
start = "08:00"
interval = "30m"
days = 2

[service_level]
target = "20s"
goal = 0.8

[service_level.chat]
target = "60s"
goal = 0.8

[[call_types]]
name = "phone"
volumes = [30, 40, 50, 50, 40, 40, 30, 30, 20, 20, 10, 10]
handle_time = { distribution = "lognormal", mean = "4m", cv = 0.8 }
patience = { distribution = "exponential", mean = "2m" }
redial = { probability = 0.3, delay = { distribution = "exponential", mean = "5m" } }
transfers = [{ to = "web-chat", probability = 0.1 }]

[[call_types]]
name = "web-chat"
channel = "chat"
volumes = [30, 40, 60, 60, 50, 50, 40, 40, 60, 60, 50, 40]
handle_time = { distribution = "gamma", mean = "7m", cv = 1.2 }
patience = { distribution = "exponential", mean = "3m" }
redial = { probability = 0.2, delay = { distribution = "exponential", mean = "10m" } }
repeat = { probability = 0.1, delay = { distribution = "exponential", mean = "1h" } }
transfers = [{ to = "phone", probability = 0.15 }]

[[call_types]]
name = "tickets"
channel = "email"
volumes = [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]
handle_time = { distribution = "exponential", mean = "8m" }

[[agent_groups]]
name = "tier1"
skills = ["phone", "web-chat", "tickets"]
max_concurrency = 3
concurrency_factors = [1.0, 1.7, 2.5]

[[agent_groups]]
name = "evening-chat"
skills = [{ call_type = "web-chat", after = "30s" }]
max_concurrency = 2
staffing = [0, 0, 0, 0, 0, 0, 2, 2, 3, 3, 3, 3]

[[shifts]]
group = "tier1"
start = "08:00"
end = "12:00"
agents = 6
breaks = [{ start = "10:00", length = "15m" }]

[[shifts]]
group = "tier1"
start = "10:00"
end = "14:00"
agents = 3
breaks = [{ start = "12:00", length = "30m" }]
"#;

#[test]
fn every_chat_is_answered_abandoned_left_at_close_or_blocked_in_every_replication() {
    let scenario = load(BLENDED);
    let mut concurrency = Vec::new();
    for r in 0..30 {
        let counts = ccsim::sim::run(&scenario, 5, r, &mut ccsim::sim::NoTrace);
        ccsim::sim::check_balance(&scenario, r, &counts).unwrap_or_else(|e| panic!("{e}"));
        let chats = counts.call_type_total(1);
        assert!(chats.answered > 0 && chats.abandoned > 0, "replication {r}: {chats:?}");
        let rep = Replication::from_counts(&scenario, &counts);
        assert!(rep.balanced);
        concurrency.push(rep.group_concurrency[0]);
        for (g, group) in scenario.agent_groups.iter().enumerate() {
            let c = rep.group_concurrency[g];
            let max = f64::from(group.chat.as_ref().unwrap().max());
            assert!((1.0..=max).contains(&c), "replication {r}, {}: mean concurrency {c}", group.name);
        }
    }
    // The blended team did hold several chats at once.
    assert!(concurrency.iter().sum::<f64>() / 30.0 > 1.2, "{concurrency:?}");
}

#[test]
fn chat_machinery_leaves_the_voice_contacts_unchanged() {
    // A voice scenario, then the same with a chat type and its own chat team beside it: the
    // phone figures are the same, number for number (streams are per call type; the chat team
    // never takes a call).
    let voice = load(
        &BLENDED
            .replacen("transfers = [{ to = \"web-chat\", probability = 0.1 }]\n", "", 1)
            .replacen("transfers = [{ to = \"phone\", probability = 0.15 }]\n", "", 1)
            .replacen(
                "skills = [\"phone\", \"web-chat\", \"tickets\"]\nmax_concurrency = 3\nconcurrency_factors = [1.0, 1.7, 2.5]",
                "skills = [\"phone\"]",
                1,
            )
            .replacen("skills = [{ call_type = \"web-chat\", after = \"30s\" }]", "skills = [\"web-chat\", \"tickets\"]", 1),
    );
    let mut without_chat = voice.clone();
    without_chat.call_types.truncate(1);
    without_chat.agent_groups.truncate(1);
    without_chat.plan.staffing.clear();
    without_chat.channel_goals = Default::default();
    for r in 0..5 {
        let with = ccsim::sim::run(&voice, 9, r, &mut ccsim::sim::NoTrace);
        let without = ccsim::sim::run(&without_chat, 9, r, &mut ccsim::sim::NoTrace);
        assert!(with.call_type_total(1).answered > 0, "the chat team works");
        assert_eq!(with.call_type_total(0), without.call_type_total(0), "replication {r}");
    }
}

/// A chat-only run with one team: 3 agents holding up to 3 chats each.
const CHAT_ONLY: &str = r#"name = "chat only"
start = "08:00"
interval = "1h"

[service_level]
target = "20s"
goal = 0.8

[service_level.chat]
target = "60s"
goal = 0.8

[[call_types]]
name = "web-chat"
channel = "chat"
volumes = [15, 30, 30, 15]
handle_time = { distribution = "exponential", mean = "10m" }

[[call_types]]
name = "sales-chat"
channel = "chat"
volumes = [5, 5, 5, 5]
handle_time = { distribution = "exponential", mean = "5m" }

[[agent_groups]]
name = "chat-team"
skills = ["web-chat", "sales-chat"]
max_concurrency = 3
concurrency_factors = [1.0, 1.7, 2.5]
staffing = [3, 3, 3, 3]
"#;

/// A chat team's occupancy is shown with the chats held on average and defined as the share of
/// time holding at least one chat; the run's counts speak of contacts, not calls.
#[test]
fn a_chat_run_reads_its_occupancy_with_concurrency_and_counts_contacts() {
    let dir = empty_dir("channels", "chat-wording");
    let file = dir.join("chat.toml");
    std::fs::write(&file, CHAT_ONLY).unwrap();
    let report = dir.join("chat.html");
    let args = ["simulate", file.to_str().unwrap(), "-q", "-r", "3"];
    let out = ccsim().args(args).arg("--report").arg(&report).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = String::from_utf8(out.stdout).unwrap();
    let json = ccsim().args(args).args(["--format", "json"]).output().unwrap().stdout;
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let concurrency = json["agent_groups"][0]["mean_concurrency"]["mean"].as_f64().unwrap();
    let shown = format!("({concurrency:.2} chats on average)");
    let group = table.lines().find(|l| l.starts_with("chat-team")).unwrap();
    assert!(group.contains(&shown), "{group}");
    let flat = table.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("busy means holding at least one chat, however many"), "{table}");
    assert!(!flat.contains("time busy with calls"), "{table}");
    assert!(flat.contains(" with contacts") && !flat.contains(" with calls"), "{table}");
    assert!(table.lines().any(|l| l.starts_with("all contacts")), "{table}");
    assert!(group.chars().count() <= 100, "{group}");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains(&shown), "the report's group table has no concurrency");
    assert!(html.contains("busy means holding at least one chat, however many"));
    assert!(html.contains("<dt>Chats held (chats)</dt>"), "mean concurrency is not defined");
    assert!(html.contains("of offered contacts answered within 1m"));
    assert!(!html.contains("of offered calls answered within 1m"));
    assert!(html.contains("<td>all contacts</td>") && !html.contains("<td>all calls</td>"));
    assert!(html.contains(" intervals with contacts") && !html.contains("intervals with calls"));
}
