//! Channels: the scenario keys of chat and email (`channel`, `max_concurrency`,
//! `concurrency_factors`, `[service_level.chat]`/`[service_level.email]`), their located
//! errors, and the chat engine checked against exact queueing results.

use std::path::Path;

use ccsim::model::{Channel, ChatConcurrency, Scenario};
use ccsim::scenario::{load_str, to_toml};

use crate::util::{ccsim, empty_dir};

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

/// One bad input: `from` in [`BASE`] replaced by `to`; the error is on the line holding
/// `marker` and names `field`, and its message contains `says`.
struct Case {
    name: &'static str,
    from: &'static str,
    to: &'static str,
    marker: &'static str,
    field: &'static str,
    says: &'static str,
}

const BAD: &[Case] = &[
    Case {
        name: "unknown channel",
        from: "channel = \"chat\"",
        to: "channel = \"sms\"",
        marker: "channel = \"sms\"",
        field: "call_types.web-chat.channel",
        says: "allowed: \"voice\", \"chat\", \"email\"",
    },
    Case {
        name: "concurrency 0",
        from: "max_concurrency = 3\nconcurrency_factors = [1.0, 1.7, 2.5]",
        to: "max_concurrency = 0",
        marker: "max_concurrency",
        field: "agent_groups.tier1.max_concurrency",
        says: "at least 1",
    },
    Case {
        name: "factors longer than max_concurrency",
        from: "[1.0, 1.7, 2.5]",
        to: "[1.0, 1.7, 2.5, 3.0]",
        marker: "concurrency_factors",
        field: "agent_groups.tier1.concurrency_factors",
        says: "has 4 values but max_concurrency is 3",
    },
    Case {
        name: "factors shorter than max_concurrency",
        from: "[1.0, 1.7, 2.5]",
        to: "[1.0, 1.7]",
        marker: "concurrency_factors",
        field: "agent_groups.tier1.concurrency_factors",
        says: "has 2 values but max_concurrency is 3",
    },
    Case {
        name: "factors not increasing",
        from: "[1.0, 1.7, 2.5]",
        to: "[1.0, 1.7, 1.6]",
        marker: "concurrency_factors",
        field: "agent_groups.tier1.concurrency_factors",
        says: "strictly increasing",
    },
    Case {
        name: "first factor not 1",
        from: "[1.0, 1.7, 2.5]",
        to: "[1.2, 1.7, 2.5]",
        marker: "concurrency_factors",
        field: "agent_groups.tier1.concurrency_factors",
        says: "must be 1.0",
    },
    Case {
        name: "factor above the number of chats",
        from: "[1.0, 1.7, 2.5]",
        to: "[1.0, 1.7, 3.5]",
        marker: "concurrency_factors",
        field: "agent_groups.tier1.concurrency_factors",
        says: "at most 3",
    },
    Case {
        name: "factor not a number",
        from: "[1.0, 1.7, 2.5]",
        to: "[1.0, \"fast\", 2.5]",
        marker: "concurrency_factors",
        field: "agent_groups.tier1.concurrency_factors[1]",
        says: "expected a number",
    },
    Case {
        name: "chat skill without max_concurrency",
        from: "max_concurrency = 3\nconcurrency_factors = [1.0, 1.7, 2.5]\n",
        to: "",
        marker: "skills = [\"accounts\", \"web-chat\"",
        field: "agent_groups.tier1.skills[1]",
        says: "needs `max_concurrency`",
    },
    Case {
        name: "max_concurrency without chat skills",
        from: "skills = [\"accounts\"]\nstaffing = [2",
        to: "skills = [\"accounts\"]\nmax_concurrency = 2\nstaffing = [2",
        marker: "max_concurrency = 2",
        field: "agent_groups.phones.max_concurrency",
        says: "no chat skill",
    },
    Case {
        name: "concurrency_factors without chat skills",
        from: "skills = [\"accounts\"]\nstaffing = [2",
        to: "skills = [\"accounts\"]\nconcurrency_factors = [1.0]\nstaffing = [2",
        marker: "concurrency_factors = [1.0]",
        field: "agent_groups.phones.concurrency_factors",
        says: "no chat skill",
    },
    Case {
        name: "email with patience",
        from: "handle_time = { distribution = \"exponential\", mean = \"8m\" }",
        to: "handle_time = { distribution = \"exponential\", mean = \"8m\" }\npatience = { distribution = \"exponential\", mean = \"1h\" }",
        marker: "patience = { distribution = \"exponential\", mean = \"1h\" }",
        field: "call_types.tickets.patience",
        says: "an email call type has no patience",
    },
    Case {
        name: "bad chat target",
        from: "target = \"60s\"",
        to: "target = \"60 parsecs\"",
        marker: "60 parsecs",
        field: "service_level.chat.target",
        says: "unknown unit",
    },
    Case {
        name: "email goal above 1",
        from: "goal = 0.9",
        to: "goal = 9",
        marker: "goal = 9",
        field: "service_level.email.goal",
        says: "a share in (0, 1]",
    },
    Case {
        name: "unknown key in a channel's goal",
        from: "goal = 0.9\n",
        to: "goal = 0.9\nmax_backlog = 100\n",
        marker: "max_backlog",
        field: "service_level.email.max_backlog",
        says: "unknown key",
    },
    Case {
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
