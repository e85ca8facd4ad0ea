//! Scenario files: every shipped file loads, bad input is rejected with its line and field,
//! and what ccsim writes loads back to the same model.

use std::path::{Path, PathBuf};

use ccsim::model::{Scenario, ShiftPlan};
use ccsim::scenario::{self, load, load_plan, load_str, plan_to_toml, to_toml};

use crate::util::{Refusal, ccsim, refusal_of, stdout_text};

const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");

fn tmp_dir(name: &str) -> PathBuf {
    crate::util::empty_dir("scenario", name)
}

/// Every file below `dir`, sorted.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_below(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn is_plan(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "plans")
}

fn ext(path: &Path) -> &str {
    path.extension().and_then(|e| e.to_str()).unwrap_or("")
}

/// The shipped scenario a plan belongs to: the longest scenario name its file name starts with.
fn scenario_of_plan(plan: &Path, scenarios: &[PathBuf]) -> PathBuf {
    let stem = plan.file_stem().unwrap().to_string_lossy();
    scenarios
        .iter()
        .filter(|s| stem.starts_with(&*s.file_stem().unwrap().to_string_lossy()))
        .max_by_key(|s| s.file_stem().unwrap().len())
        .unwrap_or_else(|| panic!("{}: no scenario named like the start of this plan", plan.display()))
        .clone()
}

#[test]
fn every_shipped_scenario_and_plan_loads_without_warnings() {
    let files = files_below(Path::new(SCENARIOS));
    let scenarios: Vec<PathBuf> = files.iter().filter(|f| ext(f) == "toml" && !is_plan(f)).cloned().collect();
    assert!(scenarios.len() >= 5, "expected the four scenarios and the starter: {scenarios:?}");
    for file in &scenarios {
        let loaded = load(file).unwrap_or_else(|e| panic!("{}:\n{e}", file.display()));
        assert!(loaded.warnings.is_empty(), "{}: {:?}", file.display(), loaded.warnings);
    }
    let plans: Vec<&PathBuf> = files.iter().filter(|f| is_plan(f)).collect();
    assert!(plans.len() >= 3, "expected the retail-bank plans: {plans:?}");
    for plan in plans {
        let scenario = load(&scenario_of_plan(plan, &scenarios)).unwrap().scenario;
        let loaded = load_plan(plan, &scenario).unwrap_or_else(|e| panic!("{}:\n{e}", plan.display()));
        assert_eq!(loaded.name, plan.file_stem().unwrap().to_string_lossy());
        assert!(!loaded.shifts.is_empty() || !loaded.staffing.is_empty(), "{}: empty plan", plan.display());
    }
}

#[test]
fn validate_summarises_every_shipped_scenario() {
    let files = files_below(Path::new(SCENARIOS));
    let scenarios: Vec<&PathBuf> = files.iter().filter(|f| ext(f) == "toml" && !is_plan(f)).collect();
    let out = stdout_text(&ccsim().arg("validate").args(&scenarios).assert().success());
    assert_eq!(out.matches("paid agent-hours").count(), scenarios.len(), "{out}");
    assert!(out.contains("peak offered load"), "{out}");
    // The retail bank's transfers, as its file gives them: a call type's calls a day are its
    // fresh calls, and what transfers bring on top is said apart.
    let bank = ccsim().arg("validate").arg(Path::new(SCENARIOS).join("retail-bank.toml")).output().unwrap();
    let bank = String::from_utf8(bank.stdout).unwrap();
    let scenario = load(&Path::new(SCENARIOS).join("retail-bank.toml")).unwrap().scenario;
    let listed: Vec<String> = (scenario.call_types.iter())
        .flat_map(|c| {
            c.transfers.iter().map(|t| {
                let to = &scenario.call_types[usize::from(t.to.0)].name;
                format!("{} to {to} {}%", c.name, t.probability * 100.0)
            })
        })
        .collect();
    assert!(!listed.is_empty());
    assert!(
        bank.contains(&format!("  transfers          {} of answered calls", listed.join(", "))),
        "{bank}"
    );
    assert!(bank.contains("fresh/day"), "{bank}");
}

/// The fewest agents on duty are called the lowest: "12.0 min" read as twelve minutes.
#[test]
fn validate_calls_the_fewest_agents_on_duty_the_lowest_not_min() {
    let out = ccsim().arg("validate").arg(Path::new(SCENARIOS).join("retail-bank.toml")).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = String::from_utf8(out.stdout).unwrap();
    let line = out.lines().find(|l| l.contains("agents on duty")).expect("an agents-on-duty line");
    assert_eq!(line, "  agents on duty     lowest 12.0 (at 18:00), peak 50.0 (at 13:30); plan \"scenario\"");
    assert!(!line.contains(" min "), "{line}");
}

#[test]
fn erlang_check_summary_matches_hand_computed_load_and_hours() {
    // 200 calls per 30 minutes x 3 minutes = 20 Erlangs; 22 agents x 24 hours = 528 hours.
    let scenario = load(&Path::new(SCENARIOS).join("erlang-check.toml")).unwrap().scenario;
    let o = scenario::overview(&scenario);
    assert!((o.peak_load - 20.0).abs() < 1e-9, "{o:?}");
    assert_eq!((o.min_agents, o.peak_agents), (22.0, 22.0));
    assert!((o.paid_hours - 528.0).abs() < 1e-9);
    assert_eq!(o.call_types[0].daily_volume, vec![9600.0]);
}

/// The summary names the optional parts a scenario has (opening hours among them), with what
/// the file says of them, and none it lacks.
#[test]
fn the_summary_names_channels_callbacks_and_lines_from_the_file() {
    let parts = |file: &str| -> Vec<(&'static str, String)> {
        scenario::overview(&load(&Path::new(SCENARIOS).join(file)).unwrap().scenario).sections
    };
    assert_eq!(
        parts("omnichannel.toml"),
        [
            ("open hours", "accounts 08:00-20:00, web-chat 08:00-22:00; the others at any hour".to_string()),
            (
                "channels",
                "chat: web-chat; email: email (400 waiting at the start); chats an agent holds at once: tier1 2, chat 3"
                    .to_string()
            )
        ]
    );
    let telco = parts("telco-lines.toml");
    assert_eq!(telco[0], ("callbacks", "support over 30s expected wait, 60% accept".to_string()));
    assert_eq!(telco[1].0, "[lines]");
    assert_eq!(
        parts("retail-bank.toml"),
        [("transfers", "accounts to loans 5%, cards to loans 3% of answered calls".to_string())]
    );
    assert!(parts("single-queue.toml").is_empty());
}

/// A small valid scenario the bad-input cases break one thing at a time.
const BASE: &str = r#"name = "base"
start = "08:00"
interval = "30m"

[service_level]
target = "20s"
goal = 0.8

[[call_types]]
name = "accounts"
volumes = [10, 20, 30, 20]
handle_time = { distribution = "lognormal", mean = "4m", cv = 0.8 }
patience = { distribution = "exponential", mean = "90s" }
transfers = [{ to = "loans", probability = 0.1 }]

[[call_types]]
name = "loans"
volumes = [2, 3, 4, 3]
handle_time = { distribution = "exponential", mean = "8m" }

[[agent_groups]]
name = "generalists"
skills = ["accounts", { call_type = "loans", after = "30s" }]

[[agent_groups]]
name = "specialists"
skills = ["loans"]
staffing = [2, 2, 2, 2]

[[shifts]]
group = "generalists"
start = "08:00"
end = "10:00"
agents = 5
breaks = [{ start = "09:00", length = "15m" }]

[[shift_templates]]
group = "generalists"
earliest_start = "08:00"
latest_start = "09:00"
step = "30m"
lengths = ["2h"]
cost_per_hour = 25.0
"#;

/// One bad input: `from` in [`BASE`] replaced by `to`; the error must be on the line holding
/// `marker` in the resulting file (or `line` of `file` for other files) and name `field`.
struct Case {
    name: &'static str,
    from: &'static str,
    to: &'static str,
    marker: &'static str,
    field: &'static str,
}

const fn case(
    name: &'static str,
    from: &'static str,
    to: &'static str,
    marker: &'static str,
    field: &'static str,
) -> Case {
    Case { name, from, to, marker, field }
}

const BAD: &[Case] = &[
    case("unknown top-level key", "name = \"base\"", "name = \"base\"\ncolour = \"red\"", "colour", "colour"),
    case(
        "misspelled key",
        "handle_time = { distribution = \"exponential\"",
        "handle_tme = { distribution = \"exponential\"",
        "handle_tme",
        "call_types.loans.handle_tme",
    ),
    case("bad duration", "target = \"20s\"", "target = \"20x\"", "target", "service_level.target"),
    case("goal above 1", "goal = 0.8", "goal = 1.5", "goal", "service_level.goal"),
    case("goal of the wrong type", "goal = 0.8", "goal = \"high\"", "goal", "service_level.goal"),
    case(
        "bad clock time",
        "start = \"08:00\"\ninterval",
        "start = \"8 o'clock\"\ninterval",
        "o'clock",
        "start",
    ),
    case(
        "clock time without quotes",
        "start = \"08:00\"\ninterval",
        "start = 08:00\ninterval",
        "start = 08",
        "start",
    ),
    case("zero interval", "interval = \"30m\"", "interval = \"0s\"", "interval", "interval"),
    case(
        "clock time with seconds",
        "start = \"08:00\"\ninterval",
        "start = \"08:00:30\"\ninterval",
        "08:00:30",
        "start",
    ),
    case(
        "break start with seconds",
        "{ start = \"09:00\", length",
        "{ start = \"09:00:00\", length",
        "09:00:00",
        "shifts[0].breaks[0].start",
    ),
    case("interval between two minutes", "interval = \"30m\"", "interval = \"90s\"", "interval", "interval"),
    case(
        "template step between two minutes",
        "step = \"30m\"",
        "step = \"90s\"",
        "step",
        "shift_templates[0].step",
    ),
    case("negative mean", "mean = \"8m\"", "mean = -5", "mean = -5", "call_types.loans.handle_time.mean"),
    case("negative cv", "cv = 0.8", "cv = -0.8", "cv = -0.8", "call_types.accounts.handle_time.cv"),
    case(
        "misspelled distribution",
        "\"lognormal\"",
        "\"lognormall\"",
        "lognormall",
        "call_types.accounts.handle_time.distribution",
    ),
    case(
        "missing distribution parameter",
        "\"lognormal\", mean = \"4m\", cv = 0.8",
        "\"lognormal\", mean = \"4m\"",
        "\"lognormal\"",
        "call_types.accounts.handle_time.cv",
    ),
    case(
        "misspelled call type in skills",
        "skills = [\"accounts\", {",
        "skills = [\"acounts\", {",
        "acounts",
        "agent_groups.generalists.skills[0]",
    ),
    case(
        "misspelled transfer target",
        "to = \"loans\"",
        "to = \"lons\"",
        "lons",
        "call_types.accounts.transfers[0].to",
    ),
    case(
        "probability above 1",
        "probability = 0.1",
        "probability = 1.5",
        "probability = 1.5",
        "call_types.accounts.transfers[0].probability",
    ),
    case(
        "transfers summing above 1",
        "transfers = [{ to = \"loans\", probability = 0.1 }]",
        "transfers = [{ to = \"loans\", probability = 0.6 },\n  { to = \"accounts\", probability = 0.6 }]",
        "transfers = [",
        "call_types.accounts.transfers",
    ),
    case(
        "endless repeat loop",
        "mean = \"8m\" }\n",
        "mean = \"8m\" }\nrepeat = { probability = 1.0, delay = { distribution = \"exponential\", mean = \"1h\" } }\n",
        "repeat =",
        "call_types.loans.repeat",
    ),
    case(
        "volume lists of different lengths",
        "volumes = [2, 3, 4, 3]",
        "volumes = [2, 3, 4, 3, 5]",
        "[2, 3, 4, 3, 5]",
        "call_types.loans.volumes",
    ),
    case(
        "negative volume",
        "volumes = [2, 3, 4, 3]",
        "volumes = [2, -3, 4, 3]",
        "[2, -3",
        "call_types.loans.volumes[1]",
    ),
    case(
        "unservable call type",
        "skills = [\"accounts\", { call_type = \"loans\", after = \"30s\" }]\n\n[[agent_groups]]\nname = \"specialists\"\nskills = [\"loans\"]",
        "skills = [\"accounts\"]\n\n[[agent_groups]]\nname = \"specialists\"\nskills = [\"accounts\"]",
        "name = \"loans\"",
        "call_types.loans.name",
    ),
    case(
        "duplicate call type",
        "name = \"loans\"",
        "name = \"accounts\"",
        "name = \"accounts\"\nvolumes = [2",
        "call_types.accounts.name",
    ),
    case(
        "skill listed twice",
        "skills = [\"loans\"]",
        "skills = [\"loans\", \"loans\"]",
        "skills = [\"loans\", \"loans\"]",
        "agent_groups.specialists.skills[1]",
    ),
    case(
        "zero handle-time factor",
        "skills = [\"loans\"]",
        "skills = [\"loans\"]\nhandle_time_factor = 0",
        "handle_time_factor",
        "agent_groups.specialists.handle_time_factor",
    ),
    case(
        "misspelled group in a shift",
        "group = \"generalists\"\nstart",
        "group = \"generalist\"\nstart",
        "\"generalist\"",
        "shifts[0].group",
    ),
    case(
        "shift ending when it starts",
        "end = \"10:00\"",
        "end = \"08:00\"",
        "end = \"08:00\"",
        "shifts[0].end",
    ),
    case(
        "break outside its shift",
        "start = \"09:00\", length",
        "start = \"11:00\", length",
        "11:00",
        "shifts[0].breaks[0].start",
    ),
    case(
        "overlapping breaks",
        "breaks = [{ start = \"09:00\", length = \"15m\" }]",
        "breaks = [{ start = \"09:00\", length = \"30m\" }, { start = \"09:15\", length = \"15m\" }]",
        "09:15",
        "shifts[0].breaks[1].start",
    ),
    case(
        "shift outside the open hours",
        "start = \"08:00\"\nend = \"10:00\"\nagents = 5\nbreaks = [{ start = \"09:00\", length = \"15m\" }]",
        "start = \"21:00\"\nend = \"23:00\"\nagents = 5",
        "start = \"21:00\"",
        "shifts[0].start",
    ),
    case(
        "shift day outside the scenario",
        "agents = 5\n",
        "agents = 5\ndays = [2]\n",
        "days = [2]",
        "shifts[0].days[0]",
    ),
    case("negative agents", "agents = 5", "agents = -5", "agents = -5", "shifts[0].agents"),
    case(
        "group with shifts and staffing",
        "[[shift_templates]]",
        "[[shifts]]\ngroup = \"specialists\"\nstart = \"08:00\"\nend = \"10:00\"\nagents = 1\n\n[[shift_templates]]",
        "staffing = [2",
        "agent_groups.specialists.staffing",
    ),
    case(
        "staffing vector too short",
        "staffing = [2, 2, 2, 2]",
        "staffing = [2, 2, 2]",
        "staffing = [2",
        "agent_groups.specialists.staffing",
    ),
    case(
        "template starting late before early",
        "latest_start = \"09:00\"",
        "latest_start = \"07:00\"",
        "latest_start",
        "shift_templates[0].latest_start",
    ),
    case(
        "template break that fits no shift",
        "cost_per_hour = 25.0",
        "cost_per_hour = 25.0\nbreaks = [{ length = \"30m\", earliest = \"3h\", latest = \"4h\" }]",
        "earliest = \"3h\"",
        "shift_templates[0].breaks[0].earliest",
    ),
    case("template without a step", "step = \"30m\"\n", "", "[[shift_templates]]", "shift_templates[0].step"),
    // As a shift never on duty is refused: the event would change nothing, silently.
    case(
        "event outside the open hours",
        "[[shift_templates]]",
        "[[events]]\nname = \"late\"\nstart = \"15:30\"\nlength = \"1h\"\nvolume_factor = 2\n\n[[shift_templates]]",
        "start = \"15:30\"",
        "events.late.start",
    ),
    // Log-out and break ends are clock times HH:MM, so the lengths that place them are whole
    // minutes: "2h30s" was taken, and the plan it gave could not be written back.
    case("shift length with seconds", "end = \"10:00\"", "length = \"2h30s\"", "2h30s", "shifts[0].length"),
    case(
        "break length with seconds",
        "length = \"15m\" }",
        "length = \"15m30s\" }",
        "15m30s",
        "shifts[0].breaks[0].length",
    ),
    case(
        "template length with seconds",
        "lengths = [\"2h\"]",
        "lengths = [\"2h\", \"1h59m30s\"]",
        "1h59m30s",
        "shift_templates[0].lengths[1]",
    ),
    case(
        "template with zero cost",
        "cost_per_hour = 25.0",
        "cost_per_hour = 0.0",
        "cost_per_hour",
        "shift_templates[0].cost_per_hour",
    ),
    case(
        "template with zero max_agents",
        "cost_per_hour = 25.0",
        "cost_per_hour = 25.0\nmax_agents = 0",
        "max_agents",
        "shift_templates[0].max_agents",
    ),
    case(
        "unknown service-level definition",
        "goal = 0.8",
        "goal = 0.8\ndefinition = \"offerd\"",
        "offerd",
        "service_level.definition",
    ),
    case(
        "shrinkage of 100%",
        "[[call_types]]\nname = \"accounts\"",
        "[staffing]\nshrinkage = 1.0\n\n[[call_types]]\nname = \"accounts\"",
        "shrinkage",
        "staffing.shrinkage",
    ),
    case("missing required key", "target = \"20s\"\n", "", "[service_level]", "service_level.target"),
];

fn line_of(text: &str, marker: &str) -> usize {
    let at = text.find(marker).unwrap_or_else(|| panic!("marker {marker:?} not in the file"));
    text[..at].matches('\n').count() + 1
}

#[test]
fn base_of_the_bad_input_table_is_valid() {
    let loaded = load_str(BASE, Path::new("base.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

/// A scenario of demand only (templates, no agents), to be staffed or scheduled, gets one
/// warning that says what each command does with it, not one per group and call type; a group
/// left without agents in a scenario that has some still gets its own.
#[test]
fn a_scenario_without_agents_gets_one_warning_that_says_which_commands_use_agents() {
    let no_agents = BASE.replace("staffing = [2, 2, 2, 2]\n", "").replace(
        "[[shifts]]\ngroup = \"generalists\"\nstart = \"08:00\"\nend = \"10:00\"\nagents = 5\n\
             breaks = [{ start = \"09:00\", length = \"15m\" }]\n",
        "",
    );
    assert!(!no_agents.contains("[[shifts]]") && !no_agents.contains("staffing ="), "{no_agents}");
    let loaded = load_str(&no_agents, Path::new("demand.toml")).unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    // The specialists have no shift template beside the generalists' one: `schedule` could not
    // staff them, which is a warning of its own, about templates, not about agents.
    let (templates, agents): (Vec<&String>, Vec<&String>) =
        texts.iter().partition(|t| t.contains("group \"specialists\" has no [[shift_templates]]"));
    assert_eq!((templates.len(), agents.len()), (1, 1), "{texts:?}");
    assert!(agents[0].contains("shifts: the scenario has no agents"), "{texts:?}");
    assert!(agents[0].contains("`staff` and `schedule` work out the agents it needs"), "{texts:?}");
    // With the specialists' staffing back, the generalists without a shift are warned about.
    let one_group = BASE.replace(
        "[[shifts]]\ngroup = \"generalists\"\nstart = \"08:00\"\nend = \"10:00\"\nagents = 5\n\
         breaks = [{ start = \"09:00\", length = \"15m\" }]\n",
        "",
    );
    let loaded = load_str(&one_group, Path::new("one-group.toml")).unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert!(
        texts.iter().any(|t| t.contains("group \"generalists\" has skills but no agents on duty")),
        "{texts:?}"
    );
    assert!(!texts.iter().any(|t| t.contains("the scenario has no agents")), "{texts:?}");
}

#[test]
fn bad_inputs_exit_2_naming_line_and_field() {
    assert!(BAD.len() >= 25);
    let dir = tmp_dir("bad");
    for (i, c) in BAD.iter().enumerate() {
        assert!(BASE.contains(c.from), "{}: {:?} not in the base", c.name, c.from);
        let text = BASE.replacen(c.from, c.to, 1);
        let file = dir.join(format!("case{i}.toml"));
        std::fs::write(&file, &text).unwrap();
        let out = ccsim().arg("validate").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {stderr}", c.name);
        let expected = format!("{}:{}:", file.display(), line_of(&text, c.marker));
        let hit = stderr.lines().any(|l| l.contains(&expected) && l.contains(&format!(": {}: ", c.field)));
        assert!(hit, "{}: no error at {expected} naming {}:\n{stderr}", c.name, c.field);
    }
}

/// A share written as a percentage ("80%") is refused with the fraction to write, in every
/// field that holds a share, on its line and with exit code 2.
#[test]
fn a_share_written_as_a_percentage_says_the_fraction_to_write() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("goal = 0.8", "goal = \"80%\"", "service_level.goal", "write 0.8 for 80%"),
        (
            "goal = 0.8",
            "goal = 0.8\nmax_occupancy = \"85 %\"",
            "service_level.max_occupancy",
            "write 0.85 for 85%",
        ),
        ("goal = 0.8", "goal = 0.8\nmax_abandon = \"5%\"", "service_level.max_abandon", "write 0.05 for 5%"),
        (
            "[[call_types]]\nname = \"accounts\"",
            "[staffing]\nshrinkage = \"30%\"\n\n[[call_types]]\nname = \"accounts\"",
            "staffing.shrinkage",
            "write 0.3 for 30%",
        ),
        (
            "probability = 0.1",
            "probability = \"12.5%\"",
            "call_types.accounts.transfers[0].probability",
            "write 0.125 for 12.5%",
        ),
        (
            "[[call_types]]\nname = \"accounts\"",
            "[uncertainty]\nabsence = \"4%\"\n\n[[call_types]]\nname = \"accounts\"",
            "uncertainty.absence",
            "write 0.04 for 4%",
        ),
    ];
    let dir = tmp_dir("percent");
    for (i, &(from, to, field, says)) in cases.iter().enumerate() {
        let text = BASE.replacen(from, to, 1);
        let marker = to.lines().find(|l| l.contains('%')).unwrap();
        let file = dir.join(format!("case{i}.toml"));
        std::fs::write(&file, &text).unwrap();
        let out = ccsim().arg("validate").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{field}: {stderr}");
        let place = format!("{}:{}:", file.display(), line_of(&text, marker));
        let percent = marker.split('"').nth(1).unwrap();
        let expected = format!(
            ": {field}: expected a number, got the string \"{percent}\"; a share is a fraction of 1: {says}"
        );
        assert!(stderr.lines().any(|l| l.contains(&place) && l.contains(&expected)), "{expected}\n{stderr}");
    }
}

/// A misspelled list name (`[[agent_group]]`, `[[call_type]]`) gets one error, the unknown
/// key's with its correction: not a missing key besides, nor an error for every shift, skill
/// or call type that refers to the list, each with an empty list of allowed names.
#[test]
fn a_misspelled_list_name_gets_one_error_with_its_correction() {
    let dir = tmp_dir("list-typo");
    for (list, typo) in [("agent_groups", "agent_group"), ("call_types", "call_type")] {
        let text = BASE.replace(&format!("[[{list}]]"), &format!("[[{typo}]]"));
        let file = dir.join(format!("{typo}.toml"));
        std::fs::write(&file, &text).unwrap();
        let out = ccsim().arg("validate").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        let expected = format!(
            "{}:{}:1: {typo}: unknown key \"{typo}\"; did you mean \"{list}\"?",
            file.display(),
            line_of(&text, &format!("[[{typo}]]"))
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with(&format!("error: {expected}")), "{expected}\n{stderr}");
    }
    // Without the list at all, its absence is the one error; with an empty list, its emptiness.
    let start = BASE.find("[[agent_groups]]").unwrap();
    let end = BASE.find("[[shift_templates]]").unwrap();
    let text = format!("{}{}", &BASE[..start], &BASE[end..]);
    let err = load_str(&text, Path::new("no-groups.toml")).unwrap_err().to_string();
    assert!(err.contains("agent_groups: missing required key \"agent_groups\""), "{err}");
    assert!(!err.contains("allowed: \n") && !err.trim_end().ends_with("allowed:"), "{err}");
    assert!(!err.contains("unknown agent group") && !err.contains("no agent group can serve"), "{err}");
    let text = format!("agent_groups = []\n{}{}", &BASE[..start], &BASE[end..]);
    let err = load_str(&text, Path::new("empty-groups.toml")).unwrap_err().to_string();
    assert!(err.contains("agent_groups: needs at least one agent group"), "{err}");
    assert!(!err.contains("unknown agent group"), "{err}");
}

/// A handle time or interval written as a plain number is seconds: one too short to be meant
/// (`mean = 4` for 4 minutes) loads as written, with a warning naming the field and its line,
/// the value as read and the fix; written with a unit ("4s"), it gets none.
#[test]
fn a_plain_number_too_short_for_a_handle_time_or_interval_is_warned_about() {
    let text = BASE.replacen("mean = \"8m\"", "mean = 4", 1);
    let loaded = load_str(&text, Path::new("plain.toml")).unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    let expected = format!(
        "plain.toml:{}:{}: call_types.loans.handle_time.mean: 4 is read as 4 s (a plain number is seconds), \
         short for a mean handle time; write \"4m\" for 4 minutes, or \"4s\" to keep 4 seconds without this warning",
        line_of(&text, "mean = 4"),
        text.lines().nth(line_of(&text, "mean = 4") - 1).unwrap().find("4 }").unwrap() + 1
    );
    assert_eq!(texts, [expected]);
    // The scenario is the one written with "4s": the warning changes nothing.
    let explicit =
        load_str(&BASE.replacen("mean = \"8m\"", "mean = \"4s\"", 1), Path::new("unit.toml")).unwrap();
    assert!(explicit.warnings.is_empty(), "{:?}", explicit.warnings);
    assert_eq!(explicit.scenario.call_types, loaded.scenario.call_types);
    // A plain interval of a few minutes' worth of seconds, through validate: exit 0, on stderr.
    let dir = tmp_dir("plain-seconds");
    let file = dir.join("interval.toml");
    let text = BASE.replacen("interval = \"30m\"", "interval = 120", 1);
    std::fs::write(&file, &text).unwrap();
    let out = ccsim().arg("validate").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let expected = format!(
        "warning: {}:{}:12: interval: 120 is read as 120 s",
        file.display(),
        line_of(&text, "interval")
    );
    assert!(stderr.contains(&expected) && stderr.contains("write \"120m\" for 120 minutes"), "{stderr}");
    for fine in ["interval = 1800", "interval = 300"] {
        let loaded = load_str(&BASE.replacen("interval = \"30m\"", fine, 1), Path::new("fine.toml")).unwrap();
        // Its shift runs past the shorter day; the interval itself is not warned about.
        assert!(!loaded.warnings.iter().any(|w| w.field == "interval"), "{fine}: {:?}", loaded.warnings);
    }
}

/// The time a shift runs past closing takes no new contact but answers the callers and emails
/// still waiting at closing, as its warning says: in the trace of a day whose last hour brings
/// more calls than six agents can answer in it, and of an email backlog, contacts of both are
/// answered after 18:00 by the shift to 20:00.
#[test]
fn a_shift_past_closing_works_off_what_still_waits() {
    let dir = crate::util::empty_dir("scenario", "works-off-past-closing");
    let file = dir.join("late.toml");
    std::fs::write(
        &file,
        "name = \"late\"\nstart = \"08:00\"\ninterval = \"1h\"\n\
         [service_level]\ntarget = \"20s\"\ngoal = 0.8\n\
         [[call_types]]\nname = \"phone\"\nvolumes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 60]\n\
         handle_time = { distribution = \"exponential\", mean = \"10m\" }\n\
         [[call_types]]\nname = \"mail\"\nchannel = \"email\"\ninitial_backlog = 500\n\
         volumes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n\
         handle_time = { distribution = \"exponential\", mean = \"10m\" }\n\
         [[agent_groups]]\nname = \"team\"\nskills = [\"phone\", \"mail\"]\n\
         [[shifts]]\ngroup = \"team\"\nstart = \"08:00\"\nend = \"20:00\"\nagents = 6\n",
    )
    .unwrap();
    let trace = dir.join("trace.csv");
    let run = ccsim()
        .arg("simulate")
        .arg(&file)
        .args(["-q", "-r", "1", "--seed", "3", "--trace"])
        .arg(&trace)
        .assert()
        .success();
    let warning = String::from_utf8_lossy(&run.get_output().stderr).replace("\n", " ");
    assert!(warning.contains("runs 2h past the last open interval"), "{warning}");
    assert!(warning.contains("no contact arrives in that 2h"), "{warning}");
    assert!(warning.contains("only works off what is still waiting or in hand at closing"), "{warning}");
    let closing = 18.0 * 3600.0;
    let text = std::fs::read_to_string(&trace).unwrap();
    let answered_late = |call_type: &str| {
        text.lines()
            .skip(1)
            .map(|row| row.split(',').collect::<Vec<_>>())
            .filter(|c| c[3] == call_type && c[6] == "answered")
            .filter(|c| c[0].parse::<f64>().unwrap() + c[5].parse::<f64>().unwrap() > closing)
            .count()
    };
    assert!(answered_late("phone") > 0 && answered_late("mail") > 0, "{text}");
}

/// A shift that runs on after the center closes is paid for hours in which no call arrives: it
/// loads, with a warning naming the shift's line and field, how long it runs past the last
/// open interval, and that this time is paid. A shift that runs into the next open hours (a
/// night shift of a center open round the clock, on any day) gets none.
#[test]
fn a_shift_that_runs_past_closing_time_is_warned_about() {
    // BASE is open 08:00-10:00; its shift works 08:00-10:00.
    let warnings = |text: &str| -> Vec<String> {
        let loaded = load_str(text, Path::new("late.toml")).unwrap_or_else(|e| panic!("{e}"));
        loaded.warnings.iter().map(ToString::to_string).collect()
    };
    let text = BASE.replacen("end = \"10:00\"", "end = \"11:00\"", 1);
    let line = line_of(&text, "end = \"11:00\"");
    assert_eq!(
        warnings(&text),
        [format!(
            "late.toml:{line}:7: shifts[0].end: the shift 08:00–11:00 runs 1h past the last open interval of \
             its day (the center closes at 10:00): no contact arrives in that 1h, which is paid and only \
             works off what is still waiting or in hand at closing; end the shift by closing time"
        )]
    );
    // Across midnight, given by its length: the time from closing to log-out.
    let text = BASE.replacen("end = \"10:00\"", "length = \"18h\"", 1);
    let found = warnings(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("shifts[0].length: the shift 08:00–02:00 runs 16h past"), "{found:?}");
    // On every day of a week that closes at night, as on one day.
    let week = text.replacen("interval = \"30m\"", "interval = \"30m\"\ndays = 7", 1);
    assert!(warnings(&week)[0].contains("runs 16h past"), "{:?}", warnings(&week));
    // Open round the clock (48 half hours), on one day or seven: the night shift runs into
    // the next day's hours (the last day's into the first morning, as a week that repeats).
    let day: Vec<String> = (0..48).map(|i| (10 + i % 20).to_string()).collect();
    let specialists: Vec<&str> = vec!["2"; 48];
    for days in ["", "\ndays = 7"] {
        let open = BASE
            .replacen(
                "start = \"08:00\"\ninterval = \"30m\"",
                &format!("start = \"00:00\"\ninterval = \"30m\"{days}"),
                1,
            )
            .replacen("volumes = [10, 20, 30, 20]", &format!("volumes = [{}]", day.join(", ")), 1)
            .replacen("volumes = [2, 3, 4, 3]", &format!("volumes = [{}]", day.join(", ")), 1)
            .replacen("staffing = [2, 2, 2, 2]", &format!("staffing = [{}]", specialists.join(", ")), 1)
            .replacen("start = \"08:00\"\nend = \"10:00\"", "start = \"22:00\"\nend = \"06:30\"", 1)
            .replacen(
                "{ start = \"09:00\", length = \"15m\" }",
                "{ start = \"02:00\", length = \"15m\" }",
                1,
            );
        assert!(open.contains("\"22:00\"") && open.contains("\"02:00\""), "{open}");
        // (The accounts have calls while only the night shift takes them: warned about apart.)
        let found = warnings(&open);
        assert!(
            !found.iter().any(|w| w.contains("past the last open interval")),
            "days: {days:?}: {found:?}"
        );
        if days.is_empty() {
            continue;
        }
        // Worked on some days only, the last among them or not: the last night works the first
        // morning (a week that repeats), so nothing runs past the end of the scenario unused.
        let on_days =
            |list: &str| open.replacen("end = \"06:30\"", &format!("end = \"06:30\"\ndays = {list}"), 1);
        for fine in ["[6, 7]", "[5, 6]", "[1, 2, 3, 4, 5, 6, 7]"] {
            let found = warnings(&on_days(fine));
            assert!(!found.iter().any(|w| w.contains("past")), "{fine}: {found:?}");
        }
    }
    // A plan file's shift, through validate: exit 0, the warning on stderr with the CSV's line.
    let dir = tmp_dir("past-closing");
    let scenario = dir.join("base.toml");
    std::fs::write(&scenario, BASE).unwrap();
    let plan = dir.join("late.csv");
    std::fs::write(
        &plan,
        "group,start,end,agents,breaks\ngeneralists,08:00,10:00,5,\ngeneralists,09:00,12:30,1,\n",
    )
    .unwrap();
    let out = ccsim().arg("validate").arg(&scenario).arg("--plan").arg(&plan).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let expected = format!(
        "warning: {}:3:3: column \"end\": the shift 09:00–12:30 runs 2h30m past the last open interval",
        plan.display()
    );
    assert!(stderr.contains(&expected), "{expected}\n{stderr}");
}

#[test]
fn a_count_outside_its_type_says_what_the_field_can_hold() {
    // Each is a number where a whole count belongs: the message says which rule it breaks,
    // not "expected a whole number" for a number that is one.
    for (value, says) in [
        ("4294967296", "expected a whole number of at most 4294967295, got the number 4294967296"),
        ("-5", "expected a whole number of 0 or more, got the number -5"),
        ("2.5", "expected a whole number, got the number 2.5"),
    ] {
        let text = BASE.replacen("agents = 5", &format!("agents = {value}"), 1);
        let err = load_str(&text, Path::new("count.toml")).unwrap_err().to_string();
        assert!(err.contains(&format!("shifts[0].agents: {says}")), "{value}: {err}");
    }
}

#[test]
fn toml_syntax_errors_name_their_line() {
    let text = BASE.replacen("goal = 0.8", "goal = ", 1);
    let err = load_str(&text, Path::new("syntax.toml")).unwrap_err();
    assert_eq!(err.0[0].line, Some(line_of(&text, "goal =")), "{err}");
    let text = BASE.replacen("[[agent_groups]]", "[service_level]\n\n[[agent_groups]]", 1);
    let err = load_str(&text, Path::new("syntax.toml")).unwrap_err().to_string();
    assert!(err.contains("table [service_level] is given twice"), "{err}");
}

#[test]
fn a_duplicate_key_names_the_key_and_its_table() {
    let text = BASE.replacen("name = \"loans\"\n", "name = \"loans\"\nname = \"b\"\n", 1);
    let err = load_str(&text, Path::new("twice.toml")).unwrap_err();
    assert_eq!(err.0[0].line, Some(line_of(&text, "name = \"b\"")), "{err}");
    let says = "duplicate key `name`: this [[call_types]] table already has it";
    assert!(err.to_string().contains(says), "{err}");
    let text = BASE.replacen("interval = \"30m\"\n", "interval = \"30m\"\ninterval = \"15m\"\n", 1);
    let err = load_str(&text, Path::new("twice.toml")).unwrap_err().to_string();
    assert!(err.contains("duplicate key `interval`: the top level already has it"), "{err}");
}

#[test]
fn a_distribution_written_as_a_duration_shows_the_table_form() {
    let text = BASE.replacen("{ distribution = \"exponential\", mean = \"8m\" }", "\"8m\"", 1);
    let err = load_str(&text, Path::new("dist.toml")).unwrap_err().to_string();
    assert!(
        err.contains("call_types.loans.handle_time: expected a distribution like { distribution"),
        "{err}"
    );
}

#[test]
fn every_problem_of_a_file_is_reported_in_one_pass() {
    let text = BASE
        .replacen("goal = 0.8", "goal = 1.5", 1)
        .replacen("\"lognormal\"", "\"lognormall\"", 1)
        .replacen("to = \"loans\"", "to = \"lons\"", 1)
        .replacen("agents = 5", "agents = 5\nagnets = 3", 1);
    let err = load_str(&text, Path::new("many.toml")).unwrap_err();
    let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
    for field in [
        "service_level.goal",
        "call_types.accounts.handle_time.distribution",
        "call_types.accounts.transfers[0].to",
        "shifts[0].agnets",
    ] {
        assert!(fields.contains(&field), "{field} missing from {fields:?}");
    }
    let message = err.to_string();
    assert!(message.contains("did you mean \"lognormal\""), "{message}");
    assert!(message.contains("did you mean \"loans\""), "{message}");
    assert!(message.contains("did you mean \"agents\""), "{message}");
}

/// Locating each problem by scanning the file from its start made reporting quadratic in the
/// problems: 20,000 refused shifts took 8 s, and 300,000 unknown keys more than a minute.
#[test]
fn a_file_with_many_problems_is_reported_in_linear_time() {
    const SHIFTS: usize = 40_000;
    let bad_shift =
        "\n[[shifts]]\ngroup = \"generalists\"\nstart = \"08:00\"\nend = \"10:00\"\nagents = -1\n";
    let text = BASE.to_string() + &bad_shift.repeat(SHIFTS);
    let started = std::time::Instant::now();
    let err = load_str(&text, Path::new("many.toml")).unwrap_err();
    let took = started.elapsed();
    // Linear takes about 0.2 s here; quadratic took about 30 s.
    assert!(took < std::time::Duration::from_secs(3), "{SHIFTS} problems took {took:?}");
    assert_eq!(err.0.len(), SHIFTS, "every problem is still found");
    let last = err.0.last().unwrap();
    assert_eq!(last.line, Some(text.lines().count()), "{last}");
    let message = err.to_string();
    assert_eq!(message.lines().filter(|l| l.contains(".agents: expected a whole number")).count(), 100);
    let more = SHIFTS - 100;
    assert!(message.ends_with(&format!("... and {more} more errors not shown\n{SHIFTS} problems found")));
}

/// [`BASE`] with both call types' volumes read from `forecast.csv` beside it.
fn with_forecast_csv() -> String {
    BASE.replacen("volumes = [10, 20, 30, 20]", "volumes_file = \"forecast.csv\"", 1).replacen(
        "volumes = [2, 3, 4, 3]",
        "volumes_file = \"forecast.csv\"",
        1,
    )
}

#[test]
fn forecast_csv_errors_name_the_csv_line_and_column() {
    let dir = tmp_dir("forecast");
    std::fs::write(
        dir.join("forecast.csv"),
        "interval,accounts,loans\n08:00,10,2\n08:30,\"1,204\",3\n09:00,30,x\n09:30,20,3\n",
    )
    .unwrap();
    let text = with_forecast_csv();
    let file = dir.join("scenario.toml");
    std::fs::write(&file, text).unwrap();
    let out = ccsim().arg("validate").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let csv = dir.join("forecast.csv").display().to_string();
    assert!(
        stderr.contains(&format!("{csv}:3:2: column \"accounts\": not a number: \"1,204\" (use 1204")),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{csv}:4:3: column \"loans\": not a number: \"x\"")), "{stderr}");
}

/// A clock time is `HH:MM` (or `H:MM`) in every file: the scenario, a TOML or CSV plan (shift
/// and break times) and a forecast CSV's `interval` column. Seconds are refused naming the value
/// and `HH:MM`, `08:00:00` included, rather than starting a shift 30 s late without a word; a
/// shift whose length is not whole minutes is written back with its length, which loads again.
#[test]
fn clock_times_are_hh_mm_in_every_file_and_seconds_are_refused_naming_the_value() {
    let dir = tmp_dir("clock-times");
    let scenario = load_str(BASE, &dir.join("base.toml")).unwrap().scenario;
    let plan = |name: &str, text: &str| {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        load_plan(&file, &scenario)
    };
    let header = "group,start,end,agents,breaks\n";
    for (name, text, value) in [
        ("start.csv", format!("{header}generalists,08:00:30,10:00,5,\n"), "08:00:30"),
        ("end.csv", format!("{header}generalists,08:00,24:00:00,5,\n"), "24:00:00"),
        ("break.csv", format!("{header}generalists,08:00,10:00,5,09:00:00+15m\n"), "09:00:00"),
        (
            "break.toml",
            "[[shifts]]\ngroup = \"generalists\"\nstart = \"08:00\"\nend = \"10:00\"\nagents = 5\n\
             breaks = [{ start = \"09:00:00\", length = \"15m\" }]\n"
                .to_string(),
            "09:00:00",
        ),
    ] {
        let err = plan(name, &text).unwrap_err().to_string();
        assert!(
            err.contains(&format!("\"{value}\" has seconds")) && err.contains("HH:MM") && err.contains(name),
            "{name}: {err}"
        );
    }
    // H:MM is the same time as HH:MM.
    let short = plan("short.csv", &format!("{header}generalists,8:00,10:00,5,9:00+15m\n")).unwrap();
    let long = plan("long.csv", &format!("{header}generalists,08:00,10:00,5,09:00+15m\n")).unwrap();
    assert_eq!(short.shifts, long.shifts);
    // The interval column of a forecast CSV.
    std::fs::write(
        dir.join("forecast.csv"),
        "interval,accounts,loans\n08:00:00,10,2\n08:30,20,3\n09:00,30,4\n09:30,20,3\n",
    )
    .unwrap();
    let text = with_forecast_csv();
    let err = load_str(&text, &dir.join("with-forecast.toml")).unwrap_err().to_string();
    assert!(err.contains("forecast.csv:2:1: column \"interval\": \"08:00:00\" has seconds"), "{err}");
    // A length between two minutes would end the shift between two clock times.
    let odd = BASE.replacen("end = \"10:00\"", "length = \"2h30s\"", 1);
    let err = load_str(&odd, &dir.join("odd.toml")).unwrap_err().to_string();
    let says = "shifts[0].length: 2h30s is not a whole number of minutes; it places log-out times, \
                which are clock times HH:MM";
    assert!(err.contains(says), "{err}");
    let odd = plan("odd.csv", &format!("{header}generalists,08:00,10:00,5,09:00+15m30s\n")).unwrap_err();
    assert!(
        odd.to_string().contains("odd.csv:2:5: column \"breaks\": 15m30s is not a whole number of minutes"),
        "{odd}"
    );
}

#[test]
fn forecast_csv_with_a_missing_column_suggests_the_closest() {
    let dir = tmp_dir("forecast-column");
    std::fs::write(dir.join("forecast.csv"), "accounts,laons\n10,2\n20,3\n30,4\n20,3\n").unwrap();
    let text = with_forecast_csv();
    let err = load_str(&text, &dir.join("scenario.toml")).unwrap_err().to_string();
    assert!(err.contains("forecast.csv:1: no column \"loans\"; did you mean \"laons\"?"), "{err}");
    // An empty file has no columns to list: it says so instead of an empty list.
    for empty in ["", "\n"] {
        std::fs::write(dir.join("forecast.csv"), empty).unwrap();
        let err = load_str(&text, &dir.join("scenario.toml")).unwrap_err().to_string();
        assert!(err.contains("forecast.csv:1: the file has no header row"), "{empty:?}: {err}");
        assert!(!err.contains("allowed: \n") && !err.ends_with("allowed: "), "{empty:?}: {err}");
    }
}

/// A forecast saved with semicolons or tabs (Excel in a European locale) gets one error at its
/// header that names the separator and what to save instead, not one per column asked of it
/// from the CSV and the scenario both; capitalised row labels (`Interval`, `Day`) get the
/// lowercase name to write, as a capitalised call type gets the column's name.
#[test]
fn a_forecast_separated_by_semicolons_or_with_capital_labels_says_so_once() {
    let dir = tmp_dir("forecast-separator");
    let scenario = dir.join("scenario.toml");
    std::fs::write(&scenario, with_forecast_csv()).unwrap();
    for (csv, shown) in [
        ("interval;accounts;loans\n08:00;10;2\n08:30;20;3\n09:00;30;4\n09:30;20;3\n", "';'"),
        ("interval\taccounts\tloans\n08:00\t10\t2\n08:30\t20\t3\n09:00\t30\t4\n09:30\t20\t3\n", "tabs"),
    ] {
        std::fs::write(dir.join("forecast.csv"), csv).unwrap();
        let out = ccsim().arg("validate").arg(&scenario).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!(
                "error: {}:1: the header looks separated by {shown}: ccsim reads comma-separated CSV (in Excel: \
                 save as \"CSV UTF-8 (comma delimited)\")",
                dir.join("forecast.csv").display()
            )
        );
    }
    std::fs::write(
        dir.join("forecast.csv"),
        "Interval,Day,Accounts,loans\n08:00,1,10,2\n08:30,1,20,3\n09:00,1,30,4\n09:30,1,20,3\n",
    )
    .unwrap();
    let err = load_str(&with_forecast_csv(), &scenario).unwrap_err().to_string();
    for says in [
        "forecast.csv:1: no column \"accounts\"; did you mean \"Accounts\"?",
        "forecast.csv:1:1: column \"Interval\": the row labels are read by lowercase names; write \"interval\"",
        "forecast.csv:1:2: column \"Day\": the row labels are read by lowercase names; write \"day\"",
    ] {
        assert!(err.contains(says), "{says}\n{err}");
    }
    assert!(!err.contains("has no `interval` column") && !err.contains("scenario.toml"), "{err}");
}

#[test]
fn empirical_durations_come_from_a_csv_column() {
    let dir = tmp_dir("empirical");
    std::fs::write(dir.join("observed.csv"), "call,talk\n1,1m\n2,90\n3,30s\n").unwrap();
    let text = BASE.replacen(
        "{ distribution = \"exponential\", mean = \"8m\" }",
        "{ distribution = \"empirical\", file = \"observed.csv\", column = \"talk\" }",
        1,
    );
    let scenario = load_str(&text, &dir.join("scenario.toml")).unwrap_or_else(|e| panic!("{e}")).scenario;
    assert_eq!(scenario.call_types[1].handle_time.mean(), (60.0 + 90.0 + 30.0) / 3.0);
    assert_round_trip(&scenario);

    std::fs::write(dir.join("observed.csv"), "call,talk\n1,1m\n2,-4\n").unwrap();
    let err = load_str(&text, &dir.join("scenario.toml")).unwrap_err().to_string();
    let csv = dir.join("observed.csv").display().to_string();
    assert!(err.contains(&format!("{csv}:3:2: column \"talk\": ")), "{err}");
}

#[test]
fn bad_plan_files_name_their_line_and_field() {
    let dir = tmp_dir("plans");
    let scenario = dir.join("base.toml");
    std::fs::write(&scenario, BASE).unwrap();
    let csv = dir.join("plan.csv");
    std::fs::write(&csv, "group,start,end,agents,breaks\ngeneralists,08:00,10:00,5,09:00+15m\ngeneralists,08:00,10:00,many,\ngeneralists,08:30,10:00,2,09:00-15m\n").unwrap();
    let out = ccsim().arg("validate").arg(&scenario).arg("--plan").arg(&csv).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("{}:3:4: column \"agents\"", csv.display())), "{stderr}");
    assert!(stderr.contains(&format!("{}:4:5: column \"breaks\"", csv.display())), "{stderr}");

    let toml = dir.join("plan.toml");
    std::fs::write(&toml, "[[shifts]]\ngroup = \"generalists\"\nstart = \"08:00\"\nend = \"10:00\"\nagents = 5\n\n[[shifts]]\ngroup = \"specialist\"\nstart = \"08:00\"\nend = \"10:00\"\nagents = 1\n").unwrap();
    let out = ccsim().arg("validate").arg(&scenario).arg("--plan").arg(&toml).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:8:9: shifts[1].group: unknown agent group \"specialist\"; did you mean \"specialists\"?",
            toml.display()
        )),
        "{stderr}"
    );
}

#[test]
fn a_plan_replaces_shifts_and_staffing() {
    let dir = tmp_dir("replace");
    let scenario = dir.join("base.toml");
    std::fs::write(&scenario, BASE).unwrap();
    let plan = dir.join("evening.csv");
    std::fs::write(&plan, "group,start,end,agents,breaks\ngeneralists,08:00,10:00,3,\nspecialists,08:00,10:00,4,08:30+15m;09:15+15m\n").unwrap();
    let loaded = ccsim::scenario::load_with_plan(&scenario, Some(&plan)).unwrap();
    let p = &loaded.scenario.plan;
    assert_eq!(p.name, "evening");
    assert!(p.staffing.is_empty(), "the plan's shifts replace the scenario's staffing vectors");
    assert_eq!(p.shifts.len(), 2);
    assert_eq!(p.shifts[1].breaks.iter().map(|b| b.offset).collect::<Vec<_>>(), [1800.0, 4500.0]);
    // 3 agents x 2 h + 4 agents x 2 h (breaks are paid).
    assert!((p.paid_hours(&loaded.scenario.grid) - 14.0).abs() < 1e-9);
}

/// Every key and distribution of the format, for the round trip.
const EVERYTHING: &str = r#"name = "everything"
start = "22:00"
interval = "1h"
days = 2
intervals_per_day = 4

[service_level]
target = "15s"
goal = 0.9
definition = "answered"
max_occupancy = 0.85
max_abandon = 0.04
asa_goal = "25s"

[staffing]
shrinkage = 0.25
max_headcount = 12

[simulation]
replications = 7
seed = 99

[[call_types]]
name = "a"
volumes = [1, 2, 3, 4, 5, 6, 7, 8.5]
handle_time = { distribution = "erlang", mean = "3m", k = 3 }
patience = { distribution = "uniform", min = "10s", max = "2m" }
redial = { probability = 0.3, delay = { distribution = "deterministic", mean = "90s" } }
repeat = { probability = 0.2, delay = { distribution = "gamma", mean = "1h", cv = 0.5 } }
transfers = [{ to = "b", probability = 0.25 }]
priority = -2

[[call_types]]
name = "b"
volumes = [0, 1, 0, 1, 0, 1, 0, 1]
handle_time = { distribution = "empirical", values = [30, "1m", 95.5] }
patience = { distribution = "lognormal", mean = "2m", cv = 1.2 }

[[agent_groups]]
name = "night"
skills = ["a", { call_type = "b", after = "45s" }]
handle_time_factor = 1.3

[[agent_groups]]
name = "backup"
skills = ["b"]
staffing = [1, 1, 2, 2, 1, 0, 1, 1]

[[shifts]]
group = "night"
start = "21:30"
end = "02:15"
agents = 3
breaks = [{ start = "23:30", length = "20m" }, { start = "01:00", length = "10m" }]
days = [2]

[[shifts]]
group = "night"
start = "22:00"
length = "24h"
agents = 1

[[shift_templates]]
group = "night"
earliest_start = "20:00"
latest_start = "23:30"
step = "15m"
lengths = ["4h", "6h30m"]
breaks = [{ length = "15m", earliest = "1h", latest = "2h30m" }]
cost_per_hour = 31.5
max_agents = 6
"#;

fn assert_round_trip(scenario: &Scenario) {
    let written = to_toml(scenario);
    let again =
        load_str(&written, &scenario.source).unwrap_or_else(|e| panic!("{e}\n---\n{written}")).scenario;
    // The written file holds the forecast's volumes itself: it reads no other file.
    assert!(again.files_read.is_empty(), "{:?}", again.files_read);
    let read_none = Scenario { files_read: Vec::new(), ..scenario.clone() };
    assert_eq!(again, read_none, "written:\n{written}");
}

#[test]
fn a_written_scenario_loads_back_to_the_same_model() {
    let everything =
        load_str(EVERYTHING, Path::new("everything.toml")).unwrap_or_else(|e| panic!("{e}")).scenario;
    assert_eq!(everything.grid.per_day(), 4);
    assert_eq!(everything.plan.shifts[0].days, Some(vec![2]));
    assert_round_trip(&everything);
    for file in files_below(Path::new(SCENARIOS)) {
        if ext(&file) == "toml" && !is_plan(&file) {
            assert_round_trip(&load(&file).unwrap().scenario);
        }
    }
}

fn assert_plan_round_trip(plan: &ShiftPlan, scenario: &Scenario, dir: &Path) {
    // Named apart from the plan: a plan file may not be named `scenario`, the own plan's name.
    let file = dir.join(format!("{}-written.toml", plan.name));
    std::fs::write(&file, plan_to_toml(plan, scenario)).unwrap();
    let again = load_plan(&file, scenario).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.name, format!("{}-written", plan.name));
    assert_eq!(&ShiftPlan { name: plan.name.clone(), ..again }, plan);
}

#[test]
fn a_written_plan_loads_back_to_the_same_plan() {
    let dir = tmp_dir("plan-round-trip");
    let everything = load_str(EVERYTHING, Path::new("everything.toml")).unwrap().scenario;
    assert_plan_round_trip(&everything.plan, &everything, &dir);
    for name in ["retail-bank", "support-24x7", "erlang-check"] {
        let scenario = load(&Path::new(SCENARIOS).join(format!("{name}.toml"))).unwrap().scenario;
        assert_plan_round_trip(&scenario.plan, &scenario, &dir);
    }
    // A plan of staffing vectors only (what `ccsim staff --out` writes).
    let bank = load(&Path::new(SCENARIOS).join("retail-bank.toml")).unwrap().scenario;
    let vectors =
        ccsim::staffing::with_staffing(&bank, &[vec![9; 24], (0..24).collect()], "requirement").plan;
    assert_plan_round_trip(&vectors, &bank, &dir);
}

#[test]
fn schema_describes_the_top_level_keys() {
    let out = ccsim().arg("schema").assert().success().get_output().stdout.clone();
    let schema: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for key in [
        "name",
        "start",
        "interval",
        "days",
        "service_level",
        "call_types",
        "agent_groups",
        "shifts",
        "shift_templates",
        "staffing",
        "simulation",
    ] {
        assert!(props.contains_key(key), "{key} missing from the schema");
    }
    let required: Vec<&str> =
        schema["required"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(required.contains(&"interval") && required.contains(&"call_types"), "{required:?}");
    // The descriptions are for people writing scenarios: no word of the reader's Rust types.
    let text = String::from_utf8(out).unwrap();
    for rust in ["`None`", "Option<", "Vec<"] {
        assert!(!text.contains(rust), "the schema speaks of {rust}");
    }
}

/// The schema bounds what the validator bounds, so an editor that checks a file against it
/// flags what `ccsim validate` refuses: each bound is in the schema, and the binary refuses a
/// file just past it and takes one at it.
#[test]
fn the_schema_bounds_what_the_validator_refuses() {
    let schema: serde_json::Value =
        serde_json::from_slice(&ccsim().arg("schema").assert().success().get_output().stdout).unwrap();
    let defs = &schema["$defs"];
    let overflow =
        defs["SkillFile"]["anyOf"].as_array().unwrap().iter().find(|v| v["type"] == "object").unwrap();
    let day = defs["DayFile"]["anyOf"].as_array().unwrap().iter().find(|v| v["type"] == "integer").unwrap();
    let bounds = [
        (&schema["properties"]["days"]["minimum"], 1),
        (&schema["properties"]["days"]["maximum"], 366),
        (&defs["LinesFile"]["properties"]["total"]["minimum"], 1),
        (&defs["ServiceLevelFile"]["properties"]["goal"]["exclusiveMinimum"], 0),
        (&defs["ServiceLevelFile"]["properties"]["goal"]["maximum"], 1),
        (&defs["ServiceLevelFile"]["properties"]["max_abandon"]["exclusiveMinimum"], 0),
        (&defs["ServiceLevelFile"]["properties"]["max_occupancy"]["maximum"], 1),
        (&defs["ChannelServiceLevelFile"]["properties"]["goal"]["exclusiveMinimum"], 0),
        (&defs["StaffingFile"]["properties"]["shrinkage"]["exclusiveMaximum"], 1),
        (&day["minimum"], 1),
    ];
    for (i, (node, bound)) in bounds.iter().enumerate() {
        assert_eq!(node.as_f64(), Some(f64::from(*bound)), "bound {i}: {node}");
    }
    assert_eq!(overflow["additionalProperties"], false);

    let dir = crate::util::empty_dir("scenario", "schema-bounds");
    let base = std::fs::read_to_string(Path::new(SCENARIOS).join("single-queue.toml")).unwrap();
    let validate = |name: &str, from: &str, to: &str| {
        assert!(base.contains(from), "{from}");
        let file = dir.join(format!("{name}.toml"));
        std::fs::write(&file, base.replacen(from, to, 1)).unwrap();
        ccsim().arg("validate").arg(&file).assert()
    };
    let interval = "interval = \"15m\"";
    let goal = "goal = 0.80";
    let simulation = "[simulation]";
    let skills = "skills = [\"hotline\"]";
    let cases: [(&str, &str, String, String); 6] = [
        ("days", interval, format!("{interval}\ndays = 0"), format!("{interval}\ndays = 1")),
        (
            "lines",
            simulation,
            format!("[lines]\ntotal = 0\n{simulation}"),
            format!("[lines]\ntotal = 1\n{simulation}"),
        ),
        ("goal", goal, "goal = 0".into(), "goal = 1".into()),
        ("abandon", goal, format!("{goal}\nmax_abandon = 0"), format!("{goal}\nmax_abandon = 1")),
        (
            "shrinkage",
            simulation,
            format!("[staffing]\nshrinkage = 1\n{simulation}"),
            format!("[staffing]\nshrinkage = 0\n{simulation}"),
        ),
        (
            "overflow",
            skills,
            "skills = [{ call_type = \"hotline\", after = \"10s\", priority = 1 }]".into(),
            "skills = [{ call_type = \"hotline\", after = \"10s\" }]".into(),
        ),
    ];
    for (name, from, past, at) in &cases {
        validate(&format!("{name}-past"), from, past).code(2);
        validate(&format!("{name}-at"), from, at).success();
    }
}

/// Every key of `value` (a TOML document as JSON) is a property the schema `node` allows,
/// following `$ref`s and arrays down to the leaves.
fn keys_described(schema: &serde_json::Value, node: &serde_json::Value, value: &serde_json::Value, at: &str) {
    let node = match node.get("$ref").and_then(|r| r.as_str()) {
        Some(r) => &schema["$defs"][r.trim_start_matches("#/$defs/")],
        None => node,
    };
    match value {
        serde_json::Value::Object(map) => {
            let props =
                node["properties"].as_object().unwrap_or_else(|| panic!("{at}: the schema has no keys here"));
            for (key, v) in map {
                let sub = props.get(key).unwrap_or_else(|| panic!("{at}.{key}: not in the plan schema"));
                keys_described(schema, sub, v, &format!("{at}.{key}"));
            }
        }
        serde_json::Value::Array(items) => {
            if let Some(item_schema) = node.get("items") {
                for (i, v) in items.iter().enumerate() {
                    keys_described(schema, item_schema, v, &format!("{at}[{i}]"));
                }
            }
        }
        _ => {}
    }
}

#[test]
fn the_plan_schema_describes_every_key_of_the_shipped_plans_and_of_a_scheduled_plan() {
    let out = ccsim().args(["schema", "--plan"]).assert().success().get_output().stdout.clone();
    let schema: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let dir = tmp_dir("plan-schema");
    let scheduled = dir.join("scheduled.toml");
    ccsim()
        .args(["schedule", "scenarios/retail-bank.toml", "-q", "-r", "4", "--out"])
        .arg(&scheduled)
        .assert()
        .success();
    let mut files: Vec<PathBuf> = std::fs::read_dir("scenarios/plans")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    assert!(files.len() >= 2, "the shipped TOML plans: {files:?}");
    files.push(scheduled);
    for file in &files {
        let doc: toml::Table = toml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let value = serde_json::to_value(&doc).unwrap();
        assert!(value.as_object().is_some_and(|m| !m.is_empty()), "{}: empty plan", file.display());
        keys_described(&schema, &schema, &value, &file.display().to_string());
    }
    // The check can fail: a key the plan format does not have.
    let bad = serde_json::json!({ "shifts": [{ "group": "x", "agentz": 1 }] });
    let caught = std::panic::catch_unwind(|| keys_described(&schema, &schema, &bad, "bad"));
    assert!(caught.is_err(), "an unknown key passed the check");
}

#[test]
fn init_writes_a_valid_starter_and_refuses_to_overwrite() {
    let dir = tmp_dir("init");
    let file = dir.join("center.toml");
    let out = ccsim().arg("init").arg(&file).assert().success().get_output().stderr.clone();
    // `wrote: PATH` as every command says it, then the next step on a line of its own.
    let said = String::from_utf8(out).unwrap();
    assert_eq!(
        said.lines().collect::<Vec<_>>(),
        [format!("wrote: {}", file.display()), format!("check it with: ccsim validate {}", file.display())],
        "{said}"
    );
    assert!(load(&file).is_ok());
    // Its opening comment runs ccsim on the file it is, not on a fixed name.
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains(&format!("#   ccsim validate {} ", file.display())), "{written}");
    assert!(written.contains(&format!("#   ccsim simulate {} ", file.display())), "{written}");
    assert!(!written.contains("scenario.toml"), "{written}");
    std::fs::write(&file, "mine").unwrap();
    let out = ccsim().arg("init").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    ccsim().arg("init").arg(&file).arg("--force").assert().success();
    assert!(load(&file).is_ok());
    // A directory is said to be one, not met with a hint to --force that then fails.
    for force in [false, true] {
        let out = ccsim().arg("init").arg(&dir).args(force.then_some("--force")).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.code() == Some(2) && stderr.contains("is a directory"), "{stderr}");
        assert!(!stderr.contains("--force"), "{stderr}");
    }
}

/// `ccsim init x.csv` wrote the starter and said "check it with: ccsim validate x.csv", which
/// every command refuses (a .csv file is a plan or a forecast); with --force it overwrote a
/// forecast. It is refused, naming the .toml file to write instead, and the file is untouched.
#[test]
fn init_refuses_a_csv_name_that_no_command_would_read_as_a_scenario() {
    let dir = tmp_dir("init-csv");
    let forecast = dir.join("forecast.CSV");
    std::fs::write(&forecast, "interval,general\n08:00,40\n").unwrap();
    for (file, force) in [(dir.join("center.csv"), false), (forecast.clone(), true)] {
        let out = ccsim().arg("init").arg(&file).args(force.then_some("--force")).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("a scenario is a TOML file")
                && stderr.contains(&file.with_extension("toml").display().to_string()),
            "{stderr}"
        );
    }
    assert!(!dir.join("center.csv").exists());
    assert_eq!(std::fs::read_to_string(&forecast).unwrap(), "interval,general\n08:00,40\n");
}

#[test]
fn the_starters_optional_sections_are_valid_uncommented_and_validate_names_each() {
    // The starter shows [uncertainty], [[events]] and [lines] as commented examples: with the
    // comment marks taken off those blocks, the file is still valid, and the overview of
    // `validate` has a line for each section (and none without them).
    let mut uncommented = String::new();
    let mut in_block = false;
    for line in ccsim::cli::init::STARTER.lines() {
        in_block |= matches!(line, "# [uncertainty]" | "# [[events]]" | "# [lines]");
        in_block &= !line.is_empty();
        uncommented += if in_block { line.strip_prefix("# ").unwrap_or(line) } else { line };
        uncommented.push('\n');
    }
    let dir = tmp_dir("starter-sections");
    let (plain, full) = (dir.join("plain.toml"), dir.join("full.toml"));
    std::fs::write(&plain, ccsim::cli::init::STARTER).unwrap();
    std::fs::write(&full, &uncommented).unwrap();
    let validate = |file: &Path| {
        let out = ccsim().arg("validate").arg(file).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let scenario = load(&full).unwrap().scenario;
    assert!(scenario.uncertainty.is_some() && scenario.events.len() == 1, "{uncommented}");
    assert_eq!(scenario.telephony.shared_lines, Some(30));
    let (plain, full) = (validate(&plain), validate(&full));
    for section in ["[uncertainty]", "[[events]]", "[lines]"] {
        assert!(!plain.contains(section), "{plain}");
        assert_eq!(full.lines().filter(|l| l.trim_start().starts_with(section)).count(), 1, "{full}");
    }
    assert!(full.contains("  [[events]]         outage (day 1, 10:00 for 2h)"), "{full}");
    assert!(full.contains("  [lines]            30 shared"), "{full}");
}

#[test]
fn a_shift_may_run_to_midnight_or_across_it() {
    let dir = tmp_dir("midnight");
    let day =
        BASE.replacen("start = \"08:00\"\ninterval = \"30m\"", "start = \"00:00\"\ninterval = \"6h\"", 1);
    let scenario = load_str(&day, &dir.join("day.toml")).unwrap().scenario;
    let plan = dir.join("plan.csv");
    std::fs::write(
        &plan,
        "group,start,end,agents,breaks\ngeneralists,00:00,24:00,1,\ngeneralists,18:00,06:00,2,23:00+30m\n",
    )
    .unwrap();
    let plan = load_plan(&plan, &scenario).unwrap();
    assert_eq!(plan.shifts[0].length, 24.0 * 3600.0);
    assert_eq!(plan.shifts[1].length, 12.0 * 3600.0);
    assert_eq!(plan.shifts[1].breaks[0].offset, 5.0 * 3600.0);
    assert_plan_round_trip(&ShiftPlan { name: "round".into(), ..plan }, &scenario, &dir);
}

#[test]
fn a_week_long_forecast_sets_half_hour_intervals_over_seven_days() {
    let scenario = load(&Path::new(SCENARIOS).join("support-24x7.toml")).unwrap().scenario;
    assert_eq!((scenario.grid.per_day(), scenario.grid.days()), (48, 7));
    // The launch surge: day 3, 10:00-14:00, twice the volume of the same hours on day 2.
    let quick = &scenario.call_types[0].volumes;
    let (day2, day3) = (48 + 20, 2 * 48 + 20);
    let ratio: f64 = quick[day3..day3 + 8].iter().sum::<f64>() / quick[day2..day2 + 8].iter().sum::<f64>();
    assert!((ratio - 2.0).abs() < 0.05, "surge ratio {ratio}");
}

#[test]
fn agents_on_duty_warning_names_the_uncovered_hours() {
    // Generalists work 08:00-10:00 with a break; nobody takes accounts after 10:00.
    let text = BASE.replacen("end = \"10:00\"", "end = \"09:30\"", 1);
    let loaded = load_str(&text, Path::new("gap.toml")).unwrap();
    let warning =
        loaded.warnings.iter().find(|w| w.field == "call_types.accounts").expect("a coverage warning");
    assert!(warning.message.contains("09:30–10:00"), "{}", warning.message);
    assert!(warning.message.starts_with("20 calls"), "{}", warning.message);
}

#[test]
fn erlang_check_matches_the_erlang_a_figures_in_its_comments() {
    use ccsim::replicate::{self, Options};
    let scenario = load(&Path::new(SCENARIOS).join("erlang-check.toml")).unwrap().scenario;
    let options = Options::from_scenario(&scenario);
    let est = replicate::run_net_of_shrinkage(&scenario, 0.0, &options, &|| {}).unwrap().summary.overall;
    // Erlang A for M/M/22+M at 20 Erlangs, patience mean 5 minutes, T = 20 s: solved as a
    // birth-death chain outside ccsim (the figures quoted in the file's comments).
    const SERVICE_LEVEL: f64 = 0.7566;
    const ABANDON_RATE: f64 = 0.0403;
    // The day starts empty, and its first half hour runs better than the steady state: at
    // most 1/48 of the day, some 20 points better, so at most 0.5 point on the day.
    const START_EMPTY: f64 = 0.005;
    let (sl, ab) = (est.service_level, est.abandon_rate);
    assert!(sl.half_width < 0.02 && ab.half_width < 0.01, "too few replications to detect an error");
    // Starting empty can only help: service level may exceed the steady state by up to the
    // allowance, never fall short of it beyond the confidence interval; abandonment the reverse.
    assert!(sl.mean - SERVICE_LEVEL <= sl.half_width + START_EMPTY, "service level {sl:?}");
    assert!(SERVICE_LEVEL - sl.mean <= sl.half_width, "service level {sl:?}");
    assert!(ABANDON_RATE - ab.mean <= ab.half_width + START_EMPTY, "abandon rate {ab:?}");
    assert!(ab.mean - ABANDON_RATE <= ab.half_width, "abandon rate {ab:?}");
}

/// BASE with both call types read from `csv` (written to `dir`), and `extra` top-level lines.
fn base_with_forecast(dir: &Path, csv: &str, extra: &str) -> PathBuf {
    std::fs::write(dir.join("forecast.csv"), csv).unwrap();
    let text = BASE
        .replacen("interval = \"30m\"", &format!("interval = \"30m\"\n{extra}"), 1)
        .replacen("volumes = [10, 20, 30, 20]", "volumes_file = \"forecast.csv\"", 1)
        .replacen("volumes = [2, 3, 4, 3]", "volumes_file = \"forecast.csv\"", 1);
    let file = dir.join("scenario.toml");
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn a_forecast_without_clock_times_does_not_set_the_number_of_intervals() {
    let dir = tmp_dir("forecast-no-clocks");
    // One row short of the 4 intervals the staffing vector and shifts are written for: read as
    // a 3-interval day, every row would be silently misplaced.
    let file = base_with_forecast(&dir, "accounts,loans\n10,2\n20,3\n20,3\n", "");
    let err = load(&file).unwrap_err();
    let e = err
        .0
        .iter()
        .find(|e| e.field == "call_types.accounts.volumes_file")
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(e.line, Some(line_of(&std::fs::read_to_string(&file).unwrap(), "volumes_file")));
    assert!(e.message.contains("forecast.csv") && e.message.contains("no `interval` column"), "{err}");
    assert!(e.message.contains("intervals_per_day"), "{err}");

    // Declared, the grid is known and the short file is named with its column and both counts.
    let file = base_with_forecast(&dir, "accounts,loans\n10,2\n20,3\n20,3\n", "intervals_per_day = 4");
    let err = load(&file).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("call_types.accounts.volumes_file: \"")
            && message.contains("forecast.csv\" column \"accounts\" has 3 rows; the scenario's grid needs 4"),
        "{message}"
    );
    let file = base_with_forecast(&dir, "accounts,loans\n10,2\n20,3\n30,4\n20,3\n", "intervals_per_day = 4");
    assert_eq!(
        load(&file).unwrap_or_else(|e| panic!("{e}")).scenario.call_types[0].volumes,
        [10.0, 20.0, 30.0, 20.0]
    );
}

#[test]
fn a_forecast_row_missing_from_a_week_is_named_by_count_and_by_line() {
    let dir = tmp_dir("forecast-clocks");
    let mut csv = "interval,accounts,loans\n".to_string();
    for day in 0..2 {
        for clock in ["08:00", "08:30", "09:00", "09:30"] {
            if day == 1 && clock == "09:00" {
                continue; // the row that went missing
            }
            csv += &format!("{clock},10,2\n");
        }
    }
    let file = base_with_forecast(&dir, &csv, "days = 2");
    let message = load(&file).unwrap_err().to_string();
    // The clock times set 4 intervals a day (not 7 rows = a 7-interval day, nor 3.5 a day).
    assert!(message.contains("column \"accounts\" has 7 rows; the scenario's grid needs 4"), "{message}");
    assert!(message.contains("or 8 (all 2 days)"), "{message}");
    let csv_file = dir.join("forecast.csv").display().to_string();
    assert!(
        message.contains(&format!(
            "{csv_file}:8:1: column \"interval\": \"09:30\" does not match the scenario's interval 09:00"
        )),
        "{message}"
    );
}

/// The `interval` column labels the rows wherever it stands, as `day` does: behind the volumes
/// or the `day` column it still sets the grid, and its clock times are checked against a grid
/// `intervals_per_day` sets.
#[test]
fn a_forecast_interval_column_is_read_and_checked_in_any_position() {
    let dir = tmp_dir("forecast-interval-anywhere");
    let csv_file = dir.join("forecast.csv").display().to_string();
    // Each row is the template with its clock time in place of `@`.
    for (header, row) in [("accounts,loans,interval", "10,2,@"), ("day,interval,accounts,loans", "1,@,10,2")]
    {
        let col = header.split(',').position(|h| h == "interval").unwrap() + 1;
        let csv = |clocks: [&str; 4]| {
            clocks.iter().fold(format!("{header}\n"), |csv, c| csv + &row.replace('@', c) + "\n")
        };
        let good = csv(["08:00", "08:30", "09:00", "09:30"]);
        let scenario = load(&base_with_forecast(&dir, &good, "")).unwrap_or_else(|e| panic!("{header}: {e}"));
        assert_eq!(scenario.scenario.grid.per_day(), 4, "{header}");

        let bad = csv(["08:00", "08:30", "zzz", "02:00"]);
        let message = load(&base_with_forecast(&dir, &bad, "intervals_per_day = 4")).unwrap_err().to_string();
        assert!(
            message.contains(&format!("{csv_file}:4:{col}: column \"interval\": \"zzz\"")),
            "{header}: {message}"
        );
        let swapped = csv(["08:00", "09:00", "08:30", "09:30"]);
        let message =
            load(&base_with_forecast(&dir, &swapped, "intervals_per_day = 4")).unwrap_err().to_string();
        assert!(
            message.contains(&format!(
                "{csv_file}:3:{col}: column \"interval\": \"09:00\" does not match the scenario's interval 08:30"
            )),
            "{header}: {message}"
        );
    }
}

/// An `interval` column whose every clock time has seconds cannot set the grid; the cell says
/// why, not that the column has no clock time.
#[test]
fn a_forecast_whose_clock_times_all_have_seconds_says_so() {
    let dir = tmp_dir("forecast-seconds");
    let csv = "interval,accounts,loans\n08:00:00,10,2\n08:30:00,20,3\n09:00:00,30,4\n09:30:00,20,3\n";
    let message = load(&base_with_forecast(&dir, csv, "")).unwrap_err().to_string();
    let csv_file = dir.join("forecast.csv").display().to_string();
    assert!(
        message.contains(&format!("{csv_file}:2:1: column \"interval\": \"08:00:00\" has seconds")),
        "{message}"
    );
    assert!(!message.contains("no clock time") && !message.contains("no `interval` column"), "{message}");
}

#[test]
fn the_volume_list_of_odd_length_is_named_not_the_ones_that_agree() {
    let text = std::fs::read_to_string(Path::new(SCENARIOS).join("retail-bank.toml")).unwrap();
    let cards =
        "    32, 27, 22, 19, 17, 16, 15, 15,\n]\nhandle_time = { distribution = \"lognormal\", mean = \"5m\"";
    assert!(text.contains(cards));
    let text = text.replacen(cards, &cards.replacen(" 15, 15,", " 15,", 1), 1);
    let err = load_str(&text, Path::new("retail-bank.toml")).unwrap_err();
    let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["call_types.cards.volumes"], "{err}");
    assert!(err.0[0].message.contains("has 23 values; the scenario's grid needs 24"), "{err}");
    assert!(err.0[0].message.contains("as \"accounts\", \"loans\" do"), "{err}");

    // Two lists, two lengths: no majority, so each list is told what every list has.
    let text = BASE.replacen("volumes = [2, 3, 4, 3]", "volumes = [2, 3, 4, 3, 5]", 1);
    let err = load_str(&text, Path::new("base.toml")).unwrap_err();
    for field in ["call_types.accounts.volumes", "call_types.loans.volumes"] {
        let e = err.0.iter().find(|e| e.field == field).unwrap_or_else(|| panic!("{field}: {err}"));
        assert!(e.message.contains("accounts has 4, loans has 5"), "{err}");
    }
}

#[test]
fn shift_problems_are_reported_with_volume_and_key_problems_in_one_pass() {
    // Without `interval` there is no grid; the shifts are still checked, and no check that
    // needs the grid (staffing vector lengths, open hours) reports a bogus error.
    let text = BASE
        .replacen("interval = \"30m\"\n", "", 1)
        .replacen("volumes = [2, 3, 4, 3]", "volumes = [2, -3, 4, 3]", 1)
        .replacen("end = \"10:00\"", "end = \"25:00\"", 1)
        .replacen("cost_per_hour = 25.0", "cost_per_hour = 25.0\ncolour = 1", 1);
    let err = load_str(&text, Path::new("many.toml")).unwrap_err();
    let mut fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["call_types.loans.volumes[1]", "interval", "shift_templates[0].colour", "shifts[0].end"],
        "{err}"
    );
}

/// One input beyond a cap: `from` in BASE replaced by `to` must give an error at `field`, on the
/// line holding `marker`, naming `cap`.
const CAPPED: &[(&str, &str, &str, &str, &str)] = &[
    (
        "volumes = [10, 20, 30, 20]",
        "volumes = [10, 20, 6e7, 20]",
        "6e7",
        "call_types.accounts.volumes",
        "MAX_CONTACTS_PER_REPLICATION",
    ),
    (
        "volumes = [10, 20, 30, 20]",
        "volumes = [10, 20, 1e19, 20]",
        "1e19",
        "call_types.accounts.volumes",
        "MAX_CONTACTS_PER_REPLICATION",
    ),
    ("interval = \"30m\"", "interval = \"30m\"\ndays = 100000", "days =", "days", "MAX_DAYS"),
    (
        "interval = \"30m\"",
        "interval = \"1m\"\nintervals_per_day = 86400\ndays = 10",
        "intervals_per_day",
        "intervals_per_day",
        "MAX_INTERVALS",
    ),
    // 1,440 minutes x 100 days x 2 call types: under MAX_INTERVALS, over the cells' cap.
    (
        "interval = \"30m\"",
        "interval = \"1m\"\nintervals_per_day = 1440\ndays = 100",
        "intervals_per_day",
        "intervals_per_day",
        "MAX_GRID_CELLS",
    ),
    ("agents = 5", "agents = 10000000", "agents = 1", "shifts[0].agents", "MAX_AGENTS"),
    (
        "staffing = [2, 2, 2, 2]",
        "staffing = [2, 2, 200000, 2]",
        "staffing =",
        "agent_groups.specialists.staffing[2]",
        "MAX_AGENTS",
    ),
    // 1e7 s (116 days): within the 366 days any duration may be, past a mean's 30 days.
    ("mean = \"8m\"", "mean = 1e7", "mean = 1e7", "call_types.loans.handle_time.mean", "MAX_DURATION"),
    ("mean = \"90s\"", "mean = \"800h\"", "800h", "call_types.accounts.patience.mean", "MAX_DURATION"),
    (
        "skills = [\"loans\"]",
        "skills = [\"loans\"]\nhandle_time_factor = 9.2e18",
        "handle_time_factor",
        "agent_groups.specialists.handle_time_factor",
        "MAX_HANDLE_TIME_FACTOR",
    ),
    (
        "[[call_types]]\nname = \"accounts\"",
        "[simulation]\nreplications = 2000000\n\n[[call_types]]\nname = \"accounts\"",
        "replications",
        "simulation.replications",
        "MAX_REPLICATIONS",
    ),
];

#[test]
fn inputs_beyond_a_cap_are_refused_naming_the_cap_and_the_value() {
    for (from, to, marker, field, cap) in CAPPED {
        assert!(BASE.contains(from), "{from:?} not in the base");
        let text = BASE.replacen(from, to, 1);
        let err = load_str(&text, Path::new("capped.toml")).unwrap_err();
        let hit = err
            .0
            .iter()
            .any(|e| e.field == *field && e.line == Some(line_of(&text, marker)) && e.message.contains(cap));
        assert!(hit, "{to}: no error at {field} naming {cap}:\n{err}");
    }
    // More call types or agent groups than the engine's tables are sized for: an error at
    // the list. At the cap, it loads.
    let many = |n: usize, list: &str| -> String {
        let entries: String = (0..n)
            .map(|i| match list {
                "call_types" => format!(
                    "\n[[call_types]]\nname = \"extra{i}\"\nvolumes = [0, 0, 0, 0]\n\
                     handle_time = {{ distribution = \"exponential\", mean = \"4m\" }}\n"
                ),
                _ => format!(
                    "\n[[agent_groups]]\nname = \"extra{i}\"\nskills = [\"loans\"]\nstaffing = [0, 0, 0, 0]\n"
                ),
            })
            .collect();
        // Each extra call type is served, by one more group.
        let serve = if list == "call_types" {
            let skills: Vec<String> = (0..n).map(|i| format!("\"extra{i}\"")).collect();
            format!(
                "\n[[agent_groups]]\nname = \"extras\"\nskills = [{}]\nstaffing = [1, 1, 1, 1]\n",
                skills.join(", ")
            )
        } else {
            String::new()
        };
        format!("{BASE}{entries}{serve}")
    };
    for (list, cap, name) in [
        ("call_types", ccsim::limits::MAX_CALL_TYPES, "MAX_CALL_TYPES"),
        ("agent_groups", ccsim::limits::MAX_AGENT_GROUPS, "MAX_AGENT_GROUPS"),
    ] {
        // BASE has two of each.
        let err = load_str(&many(cap - 1, list), Path::new("many.toml")).unwrap_err();
        assert!(err.0.iter().any(|e| e.field == list && e.message.contains(name)), "{err}");
        load_str(&many(cap - 2, list), Path::new("many.toml")).unwrap_or_else(|e| panic!("{list}: {e}"));
    }
    // Just under the caps is fine: the most agent-days and replications allowed.
    let text = BASE.replacen("interval = \"30m\"", "interval = \"30m\"\ndays = 366", 1).replacen(
        "[[call_types]]\nname = \"accounts\"",
        "[simulation]\nreplications = 1000000\n\n[[call_types]]\nname = \"accounts\"",
        1,
    );
    let ok = text.replacen("agents = 5\n", "agents = 13661\n", 1); // 13,661 x 366 < 5,000,000
    load_str(&ok, Path::new("big.toml")).unwrap_or_else(|e| panic!("{e}"));
    let over = text.replacen("agents = 5\n", "agents = 13662\n", 1);
    let err = load_str(&over, Path::new("big.toml")).unwrap_err();
    assert!(err.0.iter().any(|e| e.field == "shifts" && e.message.contains("MAX_AGENT_DAYS")), "{err}");
}

#[test]
fn a_large_center_with_minute_intervals_for_the_most_days_the_cells_allow_still_loads() {
    // 2,000 agents around the clock, 1,440 one-minute intervals a day for 173 days: 249,120
    // cells, the most days under MAX_GRID_CELLS with one call type. A day more is refused.
    let minutes = vec!["1"; 1440].join(", ");
    let over = |days: usize| {
        format!(
            "start = \"00:00\"\ninterval = \"1m\"\ndays = {days}\n[service_level]\ntarget = \"20s\"\n\
             goal = 0.8\n[[call_types]]\nname = \"calls\"\nvolumes = [{minutes}]\n\
             handle_time = {{ distribution = \"exponential\", mean = \"4m\" }}\n\
             [[agent_groups]]\nname = \"all\"\nskills = [\"calls\"]\nstaffing = [{}]\n",
            vec!["2000"; 1440].join(", ")
        )
    };
    let err = load_str(&over(174), Path::new("year.toml")).unwrap_err();
    let hit = err.0.iter().any(|e| {
        e.field == "call_types.calls.volumes"
            && e.message.contains("250560 (interval, call type) cells")
            && e.message.contains("MAX_GRID_CELLS")
            && e.message.contains("at most 250000 intervals")
    });
    assert!(hit, "{err}");
    let text = over(173);
    let scenario = load_str(&text, Path::new("year.toml")).unwrap_or_else(|e| panic!("{e}")).scenario;
    assert_eq!(scenario.grid.len(), 1440 * 173);
    assert!(scenario.grid.len() <= ccsim::limits::MAX_GRID_CELLS);
    // A staffing search keeps every replication's results: it is held to what fits in
    // memory, a few replications, not thirty.
    let dir = tmp_dir("year");
    let file = dir.join("year.toml");
    std::fs::write(&file, &text).unwrap();
    let out =
        ccsim().args(["staff", "-q", "--method", "simulation", "-r", "30"]).arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--replications") && stderr.contains("MAX_RESULT_RECORDS"), "{stderr}");
}

#[test]
fn an_event_whose_volume_factor_takes_the_contacts_past_the_cap_is_refused_naming_it() {
    // 3 million calls in one half hour are under the cap; twenty times them are not.
    let text = BASE.replacen("volumes = [10, 20, 30, 20]", "volumes = [3e6, 20, 30, 20]", 1)
        + "\n[[events]]\nname = \"spike\"\nstart = \"08:00\"\nlength = \"30m\"\nvolume_factor = 20.0\n";
    let err = load_str(&text, Path::new("spike.toml")).unwrap_err();
    let hit = err.0.iter().any(|e| {
        e.field == "events.spike.volume_factor"
            && e.line == Some(line_of(&text, "volume_factor = 20"))
            && e.message.contains("60000120 contacts")
            && e.message.contains("MAX_CONTACTS_PER_REPLICATION")
    });
    assert!(hit, "{err}");
    // `validate` says it too, with exit 2; a factor that keeps it under the cap loads.
    let dir = tmp_dir("event-cap");
    let file = dir.join("spike.toml");
    std::fs::write(&file, &text).unwrap();
    let out = ccsim().arg("validate").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("spike.toml") && stderr.contains("events.spike.volume_factor"), "{stderr}");
    load_str(&text.replacen("volume_factor = 20.0", "volume_factor = 16.0", 1), Path::new("spike.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn files_that_never_end_are_cut_at_the_byte_cap() {
    let dir = tmp_dir("dev-zero");
    let volumes = BASE.replacen("volumes = [10, 20, 30, 20]", "volumes_file = \"/dev/zero\"", 1);
    let empirical = BASE.replacen(
        "{ distribution = \"exponential\", mean = \"8m\" }",
        "{ distribution = \"empirical\", file = \"/dev/zero\", column = \"talk\" }",
        1,
    );
    for (text, field) in
        [(volumes, "call_types.accounts.volumes_file"), (empirical, "call_types.loans.handle_time.file")]
    {
        let err = load_str(&text, &dir.join("s.toml")).unwrap_err();
        let hit = err.0.iter().any(|e| {
            e.field == field && e.message.contains("/dev/zero") && e.message.contains("MAX_FILE_BYTES")
        });
        assert!(hit, "{field}: {err}");
    }
    let scenario = dir.join("base.toml");
    std::fs::write(&scenario, BASE).unwrap();
    for args in
        [vec!["validate", "/dev/zero"], vec!["validate", scenario.to_str().unwrap(), "--plan", "/dev/zero"]]
    {
        let out = ccsim().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("/dev/zero: the file is larger than the cap of 64 MiB (MAX_FILE_BYTES)"),
            "{stderr}"
        );
    }
}

#[test]
fn a_repeated_csv_column_or_a_ragged_row_is_an_error_not_lost_data() {
    let dir = tmp_dir("csv-shape");
    let scenario = load_str(BASE, &dir.join("base.toml")).unwrap().scenario;
    // A second "group" column: every break would be dropped.
    let plan = dir.join("plan.csv");
    std::fs::write(&plan, "group,start,end,agents,group\ngeneralists,08:00,10:00,5,09:00+15m\n").unwrap();
    let err = load_plan(&plan, &scenario).unwrap_err().to_string();
    assert!(
        err.contains(&format!("{}:1:5: column \"group\": column \"group\" is named twice", plan.display())),
        "{err}"
    );
    std::fs::write(
        &plan,
        "group,start,end,agents,breaks\ngeneralists,08:00,10:00,5,09:00+15m,extra\ngeneralists,08:00,10:00,5\n",
    )
    .unwrap();
    let err = load_plan(&plan, &scenario).unwrap_err().to_string();
    assert!(
        err.contains(&format!("{}:2:6: the row has 6 cells but the header has 5", plan.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}:3:5: column \"breaks\": the row has 4 cells", plan.display())),
        "{err}"
    );

    let file = base_with_forecast(&dir, "interval,accounts,loans,accounts\n08:00,10,2,11\n", "");
    let err = load(&file).unwrap_err().to_string();
    assert!(
        err.contains("forecast.csv:1:4: column \"accounts\": column \"accounts\" is named twice"),
        "{err}"
    );
    let file = base_with_forecast(
        &dir,
        "interval,accounts,loans\n08:00,10,2\n08:30,20\n09:00,30,4,1\n09:30,20,3\n",
        "",
    );
    let err = load(&file).unwrap_err().to_string();
    assert!(err.contains("forecast.csv:3:3: column \"loans\": the row has 2 cells"), "{err}");
    assert!(err.contains("forecast.csv:4:4: the row has 4 cells"), "{err}");

    std::fs::write(dir.join("observed.csv"), "call,talk\n1,1m\n2\n").unwrap();
    let text = BASE.replacen(
        "{ distribution = \"exponential\", mean = \"8m\" }",
        "{ distribution = \"empirical\", file = \"observed.csv\", column = \"talk\" }",
        1,
    );
    let err = load_str(&text, &dir.join("scenario.toml")).unwrap_err().to_string();
    assert!(
        err.contains("observed.csv:3:2: column \"talk\": the row has 1 cell but the header has 2 columns"),
        "{err}"
    );
    std::fs::write(dir.join("observed.csv"), "talk\n1m\n2m,3m\n").unwrap();
    let err = load_str(&text, &dir.join("scenario.toml")).unwrap_err().to_string();
    assert!(
        err.contains("observed.csv:3:2: the row has 2 cells but the header has 1 column (talk)"),
        "{err}"
    );
}

#[test]
fn unreadable_input_is_located_by_line_column_or_field() {
    let dir = tmp_dir("unreadable");
    // A Latin-1 byte: the line and column of the first bad byte.
    let mut bytes = BASE.replacen("name = \"loans\"", "name = \"lo\u{1}ans\"", 1).into_bytes();
    let at = bytes.iter().position(|&b| b == 1).unwrap();
    bytes[at] = 0xe9;
    let file = dir.join("latin1.toml");
    std::fs::write(&file, &bytes).unwrap();
    let line = line_of(BASE, "name = \"loans\"");
    let err = load(&file).unwrap_err().to_string();
    assert!(err.contains(&format!("latin1.toml:{line}:11: byte 0xe9 is not UTF-8")), "{err}");
    let csv = dir.join("forecast.csv");
    let file = base_with_forecast(&dir, "interval,accounts,loans\n08:00,10,2\n", "");
    std::fs::write(&csv, b"interval,accounts,loans\n08:00,10,2\n08:30,2\xff,3\n").unwrap();
    let err = load(&file).unwrap_err().to_string();
    assert!(err.contains(&format!("{}:3:8: byte 0xff is not UTF-8", csv.display())), "{err}");

    // A directory where a file belongs: the field that names it, and its line.
    let text = BASE.replacen("volumes = [10, 20, 30, 20]", "volumes_file = \".\"", 1);
    let err = load_str(&text, &dir.join("s.toml")).unwrap_err();
    let e = &err.0[0];
    assert_eq!(e.field, "call_types.accounts.volumes_file", "{err}");
    assert_eq!(e.line, Some(line_of(&text, "volumes_file")), "{err}");
    assert!(e.message.contains("directory"), "{err}");

    // Scientific notation is a number, in a duration as in a volume.
    let text = BASE.replacen("mean = \"8m\"", "mean = \"4.8e2s\"", 1);
    let scenario = load_str(&text, Path::new("sci.toml")).unwrap_or_else(|e| panic!("{e}")).scenario;
    assert_eq!(scenario.call_types[1].handle_time.mean(), 480.0);
}

#[test]
fn a_plan_given_as_scenario_or_a_scenario_given_as_plan_gets_one_hint() {
    let dir = tmp_dir("mixed-up");
    let scenario = dir.join("base.toml");
    std::fs::write(&scenario, BASE).unwrap();
    let plan = dir.join("plan.toml");
    std::fs::write(
        &plan,
        "[[shifts]]\ngroup = \"generalists\"\nstart = \"08:00\"\nend = \"10:00\"\nagents = 5\n",
    )
    .unwrap();
    let csv = dir.join("plan.csv");
    std::fs::write(&csv, "group,start,end,agents,breaks\ngeneralists,08:00,10:00,5,\n").unwrap();
    for (args, hint) in [
        (vec![&scenario, &scenario], "this looks like a scenario"),
        (vec![&plan], "this looks like a plan file"),
        (vec![&csv], "a CSV file is not a scenario"),
    ] {
        let mut cmd = ccsim();
        cmd.arg("simulate").arg("-q").arg(args[0]);
        if let Some(p) = args.get(1) {
            cmd.arg("--plan").arg(p);
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.matches("error").count(), 1, "one hint, not an error per key:\n{stderr}");
        assert!(stderr.contains(hint) && stderr.contains("--plan"), "{stderr}");
    }
}

/// A plan that names nobody (an empty file, one of comments only, a CSV of a header only) is an
/// error wherever a plan is read, not a run of a center with no agents.
#[test]
fn a_plan_that_names_nobody_is_refused() {
    let dir = tmp_dir("empty-plan");
    let scenario = dir.join("base.toml");
    std::fs::write(&scenario, BASE).unwrap();
    let loaded = load(&scenario).unwrap().scenario;
    for (name, text, says) in [
        ("empty.toml", "", "no [[shifts]] and no [[staffing]]"),
        ("comments.toml", "# a plan\n\n", "no [[shifts]] and no [[staffing]]"),
        ("header.csv", "group,start,end,agents,breaks\n", "a header but no rows"),
    ] {
        let plan = dir.join(name);
        std::fs::write(&plan, text).unwrap();
        let err = load_plan(&plan, &loaded).unwrap_err().to_string();
        assert!(err.contains(name) && err.contains(says), "{name}: {err}");
        for command in [["simulate", "--plan"], ["compare", "--plan"], ["schedule", "--requirement"]] {
            let out = ccsim()
                .args([command[0], "-q", "-r", "2"])
                .arg(&scenario)
                .arg(command[1])
                .arg(&plan)
                .output();
            let out = out.unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.code() == Some(2) && stderr.contains(says), "{command:?} {name}: {stderr}");
        }
    }
    // A plan of shifts with no agents says so on purpose: it loads.
    let zero = dir.join("zero.toml");
    std::fs::write(
        &zero,
        "[[shifts]]\ngroup = \"generalists\"\nstart = \"08:00\"\nend = \"10:00\"\nagents = 0\n",
    )
    .unwrap();
    load_plan(&zero, &loaded).unwrap_or_else(|e| panic!("{e}"));
}

/// `first_weekday` takes a weekday as `days` lists and opening hours name it: the whole name or
/// its first three letters, any case. Anything else is an error naming the field and what is
/// allowed.
#[test]
fn first_weekday_takes_whole_and_three_letter_names() {
    let week = std::fs::read_to_string("scenarios/retail-bank-week.toml").unwrap();
    let source = Path::new("scenarios/retail-bank-week.toml");
    let with =
        |name: &str| week.replacen("first_weekday = \"monday\"", &format!("first_weekday = {name:?}"), 1);
    let weekday = |name: &str| load_str(&with(name), source).map(|l| l.scenario.grid.first_weekday());
    assert_eq!(weekday("monday").unwrap(), Some(0));
    for (name, day) in [("Mon", 0), ("TUE", 1), ("sat", 5), (" sun ", 6), ("Saturday", 5)] {
        assert_eq!(weekday(name).unwrap(), Some(day), "{name}");
    }
    for bad in ["mo", "mnday", "monday-friday", ""] {
        let errors = weekday(bad).unwrap_err().to_string();
        assert!(
            errors.contains("first_weekday")
                && errors.contains("monday, tuesday")
                && errors.contains("three letters"),
            "{bad:?}: {errors}"
        );
    }
}

/// A `days` list (shifts, line outages, events) may name weekdays when the scenario names the
/// weekday of day 1: a weekday or a run of them stands for every day that falls on it, the
/// same days as their numbers. Without `first_weekday`, or naming no day of the scenario, or
/// naming a day twice, it is an error at the element.
#[test]
fn days_lists_name_weekdays_when_the_scenario_names_day_one() {
    let week = std::fs::read_to_string("scenarios/retail-bank-week.toml").unwrap();
    let source = Path::new("scenarios/retail-bank-week.toml");
    // Monday to Saturday; the first shift's block gets `days`, and an outage and an event.
    let with = |shift: &str, outage: &str, event: &str| {
        let text = week.replacen("agents = 7\n", &format!("agents = 7\ndays = {shift}\n"), 1);
        format!(
            "{text}\n[lines]\ntotal = 400\n\n[[lines_outages]]\nstart = \"10:00\"\nend = \"11:00\"\nlines = 0\n\
             days = {outage}\n\n[[events]]\nname = \"promo\"\nstart = \"12:00\"\nlength = \"1h\"\n\
             volume_factor = 1.5\ndays = {event}\n"
        )
    };
    let load = |text: String| load_str(&text, source).map(|l| l.scenario);
    let days = |s: &ccsim::model::Scenario| {
        (s.plan.shifts[0].days.clone(), s.telephony.outages[0].days.clone(), s.events[0].days.clone())
    };
    let named = load(with("[\"sat\"]", "[\"mon-wed\", \"fri\"]", "[\"Tuesday\", 6]")).unwrap();
    let numbered = load(with("[6]", "[1, 2, 3, 5]", "[2, 6]")).unwrap();
    assert_eq!(days(&named), (Some(vec![6]), Some(vec![1, 2, 3, 5]), Some(vec![2, 6])));
    assert_eq!(days(&named), days(&numbered));
    let error = |shift: &str, text: String| {
        let errors = load(text).unwrap_err().to_string();
        assert!(errors.contains(shift), "expected {shift:?} in:\n{errors}");
    };
    error(
        "shifts[0].days[0]: \"sun\" falls on no day of the scenario (days 1 to 6 run Monday to Saturday)",
        with("[\"sun\"]", "[1]", "[1]"),
    );
    error("lines_outages[0].days[1]: day 3 (Wed) is listed twice", with("[1]", "[\"mon-fri\", 3]", "[1]"));
    error("events.promo.days[0]: \"weekends\" is not a day", with("[1]", "[1]", "[\"weekends\"]"));
    error(
        "shifts[0].days[0]: \"mon\" names weekdays, and the scenario does not say which weekday day 1 is",
        with("[\"mon\"]", "[1]", "[1]").replace("first_weekday = \"monday\"", ""),
    );
}

/// The end of [`BASE`], where a table can be added.
const END: &str = "cost_per_hour = 25.0\n";

/// Inputs refused with one error and no follow-on: each `from` in [`BASE`] replaced by `to`;
/// the only error is on the line holding `marker`, names `field` and `says` what is wrong.
const REFUSED: &[Refusal] = &[
    Refusal {
        name: "event that ends when it starts",
        from: END,
        to: "cost_per_hour = 25.0\n\n[[events]]\nstart = \"08:30\"\nend = \"08:30\"\nvolume_factor = 2\n",
        marker: "end = \"08:30\"",
        field: "events[0].end",
        says: "the event ends when it starts (08:30): give a later `end`, or `length = \"24h\"`",
    },
    Refusal {
        name: "outage leaving more shared lines than there are",
        from: END,
        to: "cost_per_hour = 25.0\n\n[lines]\ntotal = 10\n\n[[lines_outages]]\nstart = \"08:30\"\nend = \"09:00\"\nlines = 11\n",
        marker: "lines = 11",
        field: "lines_outages[0].lines",
        says: "11 lines still working is more than the 10 of [lines] total; allowed: 0 (the system is down) to 10",
    },
    Refusal {
        name: "outage leaving more of a call type's lines than it has",
        from: "name = \"loans\"\n",
        to: "name = \"loans\"\nlines = 4\n",
        marker: "lines = 5",
        field: "lines_outages[0].lines",
        says: "5 lines still working is more than the 4 of call type \"loans\"'s `lines`; allowed: 0",
    },
    Refusal {
        name: "negative shared lines, and an outage of them",
        from: END,
        to: "cost_per_hour = 25.0\n\n[lines]\ntotal = -1\n\n[[lines_outages]]\nstart = \"08:30\"\nend = \"09:00\"\nlines = 3\n",
        marker: "total = -1",
        field: "lines.total",
        says: "expected a whole number of 0 or more, got the number -1",
    },
    Refusal {
        name: "shared lines as text, and an outage of them",
        from: END,
        to: "cost_per_hour = 25.0\n\n[lines]\ntotal = \"10\"\n\n[[lines_outages]]\nstart = \"08:30\"\nend = \"09:00\"\nlines = 3\n",
        marker: "total = \"10\"",
        field: "lines.total",
        says: "expected a whole number",
    },
    Refusal {
        name: "gamma cv too small for the sampler",
        from: "{ distribution = \"exponential\", mean = \"8m\" }",
        to: "{ distribution = \"gamma\", mean = \"3m\", cv = 1e-300 }",
        marker: "cv = 1e-300",
        field: "call_types.loans.handle_time.cv",
        says: "must be a coefficient of variation from 0.0001 to 10 (DURATION_CV), got 1e-300",
    },
    Refusal {
        name: "lognormal cv too large for the sampler",
        from: "cv = 0.8",
        to: "cv = 1e300",
        marker: "cv = 1e300",
        field: "call_types.accounts.handle_time.cv",
        says: "must be a coefficient of variation from 0.0001 to 10 (DURATION_CV), got 1e300",
    },
    Refusal {
        name: "redial on an email call type",
        from: "name = \"loans\"\n",
        to: "name = \"loans\"\nchannel = \"email\"\nredial = { probability = 0.5, delay = { distribution = \"exponential\", mean = \"5m\" } }\n",
        marker: "redial =",
        field: "call_types.loans.redial",
        says: "an email call type has no `redial`: a redial follows an abandon, and emails wait until answered",
    },
    Refusal {
        name: "lines of an email call type",
        from: "name = \"loans\"\n",
        to: "name = \"loans\"\nchannel = \"email\"\nlines = 3\n",
        marker: "lines = 3",
        field: "call_types.loans.lines",
        says: "an email call type has no `lines`: lines are telephone lines, and an email holds none",
    },
    Refusal {
        name: "event that changes nothing",
        from: END,
        to: "cost_per_hour = 25.0\n\n[[events]]\nname = \"quiet\"\nstart = \"08:30\"\nlength = \"1h\"\n",
        marker: "[[events]]",
        field: "events.quiet",
        says: "the event changes nothing: give `volume_factor`, `handle_time_factor` or `agents_unavailable`",
    },
    Refusal {
        name: "two events of one name",
        from: END,
        to: "cost_per_hour = 25.0\n\n[[events]]\nname = \"storm\"\nstart = \"08:30\"\nlength = \"1h\"\nvolume_factor = 2\n\n\
             [[events]]\nname = \"storm\" # again\nstart = \"09:00\"\nlength = \"1h\"\nvolume_factor = 3\n",
        marker: "\"storm\" # again",
        field: "events.storm.name",
        says: "event \"storm\" is defined twice; names must be unique",
    },
    Refusal {
        name: "event of an empty name",
        from: END,
        to: "cost_per_hour = 25.0\n\n[[events]]\nname = \" \"\nstart = \"08:30\"\nlength = \"1h\"\nvolume_factor = 2\n",
        marker: "name = \" \"",
        field: "events[0].name",
        says: "an event needs a non-empty name",
    },
    Refusal {
        name: "a template length given twice",
        from: "lengths = [\"2h\"]",
        to: "lengths = [\"2h\", \"120m\"]",
        marker: "lengths",
        field: "shift_templates[0].lengths[1]",
        says: "2h is given twice (also lengths[0]); list each shift length once",
    },
    Refusal {
        name: "a template cost too small for the optimiser",
        from: "cost_per_hour = 25.0",
        to: "cost_per_hour = 1e-12",
        marker: "cost_per_hour",
        field: "shift_templates[0].cost_per_hour",
        says: "must be a cost per paid hour from 0.001 to 1000000000 (COST_PER_HOUR), got 1e-12",
    },
    Refusal {
        name: "a template cost too large for the optimiser",
        from: "cost_per_hour = 25.0",
        to: "cost_per_hour = 1e307",
        marker: "cost_per_hour",
        field: "shift_templates[0].cost_per_hour",
        says: "must be a cost per paid hour from 0.001 to 1000000000 (COST_PER_HOUR), got 1e307",
    },
    Refusal {
        name: "an agent group of an empty name",
        from: "name = \"specialists\"",
        to: "name = \" \"",
        marker: "name = \" \"",
        field: "agent_groups[1].name",
        says: "an agent group needs a non-empty name",
    },
    Refusal {
        name: "the only skill without its `after`",
        from: "skills = [\"loans\"]",
        to: "skills = [{ call_type = \"loans\" }]",
        marker: "{ call_type = \"loans\" }",
        field: "agent_groups.specialists.skills[0].after",
        says: "missing required key \"after\"",
    },
];

/// Runs [`REFUSED`], with an outage of the loans' own lines where a case gives them.
#[test]
fn a_refused_input_gets_one_error_saying_what_is_allowed_and_no_follow_on() {
    for r in REFUSED {
        assert!(BASE.contains(r.from), "{}: {:?} not in the base", r.name, r.from);
        let mut text = BASE.replacen(r.from, r.to, 1);
        if r.name.contains("a call type's lines") {
            text.push_str(
                "\n[[lines_outages]]\ncall_type = \"loans\"\nstart = \"08:30\"\nend = \"09:00\"\nlines = 5\n",
            );
        }
        let err = load_str(&text, Path::new("refused.toml")).expect_err(r.name);
        assert_eq!(err.0.len(), 1, "{}: one error expected:\n{err}", r.name);
        let e = &err.0[0];
        assert_eq!(e.line, Some(line_of(&text, r.marker)), "{}: {err}", r.name);
        assert_eq!(e.field, r.field, "{}: {err}", r.name);
        assert!(e.message.contains(r.says), "{}: {err}", r.name);
    }
}

/// A channel goal no call type comes by is a warning (it judges nothing); with a call type of
/// that channel it is not.
#[test]
fn a_channel_goal_without_a_call_type_of_its_channel_is_warned_about() {
    let goal = "goal = 0.8\n\n[service_level.chat]\ntarget = \"1m\"\ngoal = 0.8\n";
    let text = BASE.replacen("goal = 0.8\n", goal, 1);
    let loaded = load_str(&text, Path::new("goal.toml")).unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .contains("service_level.chat: no call type has channel = \"chat\", so this goal judges nothing"),
        "{warnings:?}"
    );
    assert_eq!(loaded.warnings[0].line, Some(line_of(&text, "[service_level.chat]")));
    let text = BASE
        .replacen("goal = 0.8\n", "goal = 0.8\n\n[service_level.email]\ntarget = \"4h\"\ngoal = 0.9\n", 1)
        .replacen("name = \"loans\"\n", "name = \"loans\"\nchannel = \"email\"\n", 1);
    let loaded = load_str(&text, Path::new("goal.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

/// A name is one line of printable text of at most 200 characters: one of 65,536 characters
/// once made `validate` panic as it laid out its table, and a line break in a name splits every
/// table row and CSV header it is written into. Each is refused at the name's line, saying what
/// a name may be, and the path of the refused element shows its index, not the name.
#[test]
fn names_too_long_or_holding_control_characters_are_refused_at_their_line() {
    let dir = tmp_dir("names");
    let long = "x".repeat(ccsim::limits::MAX_NAME_CHARS + 1);
    let at_cap = "y".repeat(ccsim::limits::MAX_NAME_CHARS);
    let cases = [
        (
            "name = \"specialists\"",
            format!("name = \"{long}\""),
            "agent_groups[1].name",
            "201 characters long",
        ),
        (
            "name = \"loans\"",
            "name = \"lo\\nans\"".to_string(),
            "call_types[1].name",
            "a line break (U+000A)",
        ),
        ("name = \"base\"", "name = \"a\\tb\"".to_string(), "name", "a tab (U+0009) at character 2"),
        (
            "name = \"generalists\"",
            "name = \"gen\\u0085\"".to_string(),
            "agent_groups[0].name",
            "a control character (U+0085)",
        ),
    ];
    for (i, (from, to, field, says)) in cases.iter().enumerate() {
        let text = BASE.replacen(from, to, 1);
        let file = dir.join(format!("name{i}.toml"));
        std::fs::write(&file, &text).unwrap();
        let out = ccsim().arg("validate").arg(&file).assert().code(2).get_output().stderr.clone();
        let stderr = String::from_utf8_lossy(&out);
        let at = format!("{}:{}:8: {field}: ", file.display(), line_of(&text, to));
        assert!(stderr.contains(&at), "{field}: no error at {at}:\n{stderr}");
        assert!(stderr.contains(says), "{field}: {stderr}");
        assert!(
            stderr.contains("(MAX_NAME_CHARS)") || stderr.contains("a name is one line of printable text"),
            "{stderr}"
        );
    }
    // At the cap, a name is taken (renamed everywhere it is used).
    let text = BASE.replace("\"specialists\"", &format!("\"{at_cap}\""));
    load_str(&text, Path::new("at-cap.toml")).unwrap_or_else(|e| panic!("{e}"));
    // An event's name follows the same rule.
    let text = format!(
        "{BASE}\n[[events]]\nname = \"{long}\"\nstart = \"08:00\"\nlength = \"1h\"\nvolume_factor = 2\n"
    );
    let err = load_str(&text, Path::new("event.toml")).unwrap_err().to_string();
    assert!(err.contains("events[0].name: event name is 201 characters long"), "{err}");
}

/// A name with white space at either end looked like its trimmed twin in every table, while a
/// CSV plan, whose cells are read trimmed, gave its rows to the twin; an empty scenario name
/// titled reports with nothing, and a bidirectional override reorders the text shown after it.
/// Each is refused at the name's line, like a control character.
#[test]
fn names_empty_edged_with_white_space_or_holding_bidi_overrides_are_refused_at_their_line() {
    let cases = [
        (
            "name = \"specialists\"",
            "name = \" generalists\"",
            "agent_groups[1].name",
            "begins with white space",
        ),
        ("name = \"loans\"", "name = \"loans \"", "call_types[1].name", "\"loans \" ends with white space"),
        ("name = \"base\"", "name = \"\"", "name", "the scenario's name is empty"),
        (
            "name = \"loans\"",
            "name = \"lo\\u202Ens\"",
            "call_types[1].name",
            "a bidirectional formatting character (U+202E) at character 3",
        ),
    ];
    for (from, to, field, says) in cases {
        let text = BASE.replacen(from, to, 1);
        let err = load_str(&text, Path::new("names.toml")).unwrap_err();
        let e = err.0.iter().find(|e| e.field == field).unwrap_or_else(|| panic!("{field}: {err}"));
        assert_eq!(e.line, Some(line_of(&text, to)), "{field}: {err}");
        assert!(e.message.contains(says), "{field}: {err}");
    }
    let text = format!(
        "{BASE}\n[[events]]\nname = \"storm \"\nstart = \"08:00\"\nlength = \"1h\"\nvolume_factor = 2\n"
    );
    let err = load_str(&text, Path::new("event.toml")).unwrap_err().to_string();
    assert!(err.contains("events[0].name: event name \"storm \" ends with white space"), "{err}");
}

/// The rows pooling every call type are labelled `all` in `wait_distribution.csv` and
/// `sweep.csv`, `all calls` or `all contacts` in tables, `all voice` in a comparison: a call
/// type of such a name had its rows mixed with the pooled ones.
#[test]
fn a_call_type_may_not_take_the_label_of_the_pooled_rows() {
    for name in ["all", "All Calls", "all contacts", "all email"] {
        let text = BASE.replace("\"loans\"", &format!("\"{name}\""));
        let err = load_str(&text, Path::new("reserved.toml")).unwrap_err();
        let e = err
            .0
            .iter()
            .find(|e| e.field == format!("call_types.{name}.name"))
            .unwrap_or_else(|| panic!("{name}: {err}"));
        assert_eq!(e.line, Some(line_of(&text, &format!("name = \"{name}\""))), "{err}");
        assert!(e.message.contains(&format!("\"{name}\" is reserved")), "{err}");
        assert_eq!(err.0.len(), 1, "{err}");
    }
    // An agent group has no pooled row of its own name.
    let text = BASE.replace("\"specialists\"", "\"all\"");
    load_str(&text, Path::new("group-all.toml")).unwrap_or_else(|e| panic!("{e}"));
}

/// A forecast CSV's rows are taken by position; its `day` column, like its `interval` column,
/// must say the day each row is taken for. Two days swapped, or a day that is no whole number
/// (`abc`, `nan`, `-1`, `1e308`), were once read without a word; each is refused at the CSV's
/// line and column, saying the day expected there.
#[test]
fn a_forecast_day_column_must_list_the_days_in_order() {
    let dir = tmp_dir("forecast-day");
    let csv = |days: [&str; 2]| {
        let mut text = String::from("interval,day,accounts,loans\n");
        for day in days {
            for clock in ["08:00", "08:30", "09:00", "09:30"] {
                text += &format!("{clock},{day},10,2\n");
            }
        }
        text
    };
    let file = base_with_forecast(&dir, &csv(["1", "2"]), "days = 2");
    load(&file).unwrap_or_else(|e| panic!("{e}"));
    let one_day: String = csv(["1", "2"]).lines().take(5).map(|l| format!("{l}\n")).collect();
    let file = base_with_forecast(&dir, &one_day, "days = 2");
    load(&file).unwrap_or_else(|e| panic!("one day, repeated: {e}"));
    for (days, says) in [
        (["2", "1"], "day 2, expected 1: rows are taken by position, 4 a day in order from day 1"),
        (["1", "abc"], "\"abc\" is not a day number, expected 2 (a whole number)"),
        (["nan", "2"], "\"nan\" is not a day number, expected 1"),
        (["-1", "2"], "\"-1\" is not a day number, expected 1"),
        (["1e308", "2"], "\"1e308\" is not a day number, expected 1"),
    ] {
        let file = base_with_forecast(&dir, &csv(days), "days = 2");
        let line = if days[0] == "1" { 6 } else { 2 };
        let out = ccsim().arg("validate").arg(&file).assert().code(2).get_output().stderr.clone();
        let stderr = String::from_utf8_lossy(&out);
        let at = format!("forecast.csv:{line}:2: column \"day\": {says}");
        assert!(stderr.contains(&at), "{days:?}: no {at}:\n{stderr}");
    }
}

/// A volume so large that the volumes pass the cap of contacts is blamed on its CSV cell (the
/// scenario line that names the file once took the blame), and the count is printed in exponent
/// form, not as the 309 digits of `1e308`.
#[test]
fn a_forecast_volume_past_the_cap_is_blamed_on_its_cell_and_printed_readably() {
    let dir = tmp_dir("forecast-huge");
    let file = base_with_forecast(
        &dir,
        "interval,accounts,loans\n08:00,10,2\n08:30,1e308,3\n09:00,20,3\n09:30,20,3\n",
        "",
    );
    let out = ccsim().arg("validate").arg(&file).assert().code(2).get_output().stderr.clone();
    let stderr = String::from_utf8_lossy(&out);
    assert!(
        stderr.contains("forecast.csv:3:2: column \"accounts\": the volumes offer 1e308 contacts")
            && stderr.contains("(1e308 of them in this cell)")
            && stderr
                .contains("more than the cap of 50000000 per replication (MAX_CONTACTS_PER_REPLICATION)"),
        "{stderr}"
    );
    assert!(!stderr.contains("0000000000000000"), "{stderr}");
}

/// A `volumes_column` the CSV lacks is named at the scenario's key as well as at the CSV's
/// header, so that the user sees which line chose the column; without the key, the call type's
/// name is the column, and the message says so.
#[test]
fn a_missing_volumes_column_is_named_at_the_scenario_key_and_the_csv_header() {
    let dir = tmp_dir("forecast-column");
    let csv = "interval,accounts,loans\n08:00,10,2\n08:30,20,3\n09:00,20,3\n09:30,20,3\n";
    let file = base_with_forecast(&dir, csv, "");
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "volumes_file = \"forecast.csv\"",
        "volumes_file = \"forecast.csv\"\nvolumes_column = \"acounts\"",
        1,
    );
    std::fs::write(&file, &text).unwrap();
    let out = ccsim().arg("validate").arg(&file).assert().code(2).get_output().stderr.clone();
    let stderr = String::from_utf8_lossy(&out);
    let key = format!(
        "scenario.toml:{}:18: call_types.accounts.volumes_column: \"{}\" has no column \"acounts\"",
        line_of(&text, "volumes_column"),
        dir.join("forecast.csv").display()
    );
    assert!(stderr.contains(&key), "no {key}:\n{stderr}");
    assert!(stderr.contains("forecast.csv:1: no column \"acounts\"; did you mean \"accounts\"?"), "{stderr}");

    let file = base_with_forecast(&dir, &csv.replace("loans", "lones"), "");
    let err = load(&file).unwrap_err().to_string();
    assert!(
        err.contains("call_types.loans.volumes_file: ")
            && err.contains("has no column \"loans\" (by default the call type's name; set `volumes_column`"),
        "{err}"
    );
}

/// A volume of the wrong type (a quoted number) is one error: the volumes are there, so no
/// second message calls them missing.
#[test]
fn a_quoted_volume_is_one_error_not_also_missing_volumes() {
    let text = BASE.replacen("volumes = [10, 20, 30, 20]", "volumes = [10, \"20\", 30, 20]", 1);
    let err = load_str(&text, Path::new("quoted.toml")).unwrap_err();
    let texts: Vec<String> = err.0.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(
        texts[0].contains("call_types.accounts.volumes[1]: expected a number, got the string \"20\""),
        "{texts:?}"
    );
}

/// Every duration, as seconds or as text, is at most 366 days: `target = 1e308` once passed and
/// showed a heading of `5124095576030431h15s`. The cap is named, with what is allowed.
#[test]
fn durations_past_366_days_are_refused_naming_the_cap() {
    for (from, to, field) in [
        ("target = \"20s\"", "target = 1e308", "service_level.target"),
        ("target = \"20s\"", "target = \"1e308s\"", "service_level.target"),
        ("target = \"20s\"", "target = \"367d\"", "service_level.target"),
        ("mean = \"90s\"", "mean = 3.2e7", "call_types.accounts.patience.mean"),
    ] {
        let text = BASE.replacen(from, to, 1);
        let err = load_str(&text, Path::new("long.toml")).unwrap_err().to_string();
        let at = format!("long.toml:{}:", line_of(&text, to));
        assert!(err.contains(&at) && err.contains(&format!("{field}: ")), "{to}: {err}");
        assert!(err.contains("longer than the cap of 366 days (MAX_ANY_DURATION)"), "{to}: {err}");
        assert!(err.contains("a duration is at most 366d, or 31622400 seconds"), "{to}: {err}");
    }
    let text = BASE.replacen("target = \"20s\"", "target = \"366d\"", 1);
    load_str(&text, Path::new("year.toml")).unwrap_or_else(|e| panic!("{e}"));
    let out = ccsim()
        .args(["erlang", "--calls", "100", "--aht", "3m", "--target", "1e308"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8_lossy(&out);
    assert!(stderr.contains("--target: \"1e308\" is longer than the cap of 366 days"), "{stderr}");
}

/// An output path inside something that is a file names it as a file, not as a directory that
/// does not exist.
#[test]
fn init_into_a_path_below_a_file_says_it_is_a_file() {
    let dir = tmp_dir("init-below-file");
    let file = dir.join("a.toml");
    std::fs::write(&file, "").unwrap();
    let out = ccsim().arg("init").arg(file.join("x")).assert().code(2).get_output().stderr.clone();
    let stderr = String::from_utf8_lossy(&out);
    assert!(stderr.contains(&format!("{} is a file, not a directory", file.display())), "{stderr}");
    assert!(!stderr.contains("does not exist"), "{stderr}");
    // An output directory below a file, or a file given as the directory, likewise, rather than
    // the system's "Not a directory (os error 20)".
    for (flag, dir) in [("--charts", file.join("x")), ("--out", file.clone())] {
        let out = ccsim()
            .args(["simulate", &format!("{SCENARIOS}/single-queue.toml"), "-r", "2", "-q", flag])
            .arg(&dir)
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let stderr = String::from_utf8_lossy(&out);
        assert!(stderr.contains(&format!("{} is a file, not a directory", file.display())), "{stderr}");
        assert!(!stderr.contains("os error"), "{stderr}");
    }
}

/// A fault is reported once, at its place: a value refused while reading is not checked again
/// as empty, and a missing list is not also an empty one.
#[test]
fn each_fault_is_reported_once() {
    let dir = tmp_dir("once");
    let file = dir.join("once.toml");
    std::fs::write(
        &file,
        "name = \"x\"\nstart = 9\ninterval = \"30m\"\n[service_level]\ntarget = \"20s\"\ngoal = 0.8\n\
         [[call_types]]\nname = \"c\"\nvolumes = [10]\n\
         handle_time = { distribution = \"exponential\", mean = \"3m\" }\n",
    )
    .unwrap();
    let out = ccsim().arg("validate").arg(&file).assert().code(2).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.iter().filter(|l| l.contains(":2:9: start:")).count(), 1, "{stderr}");
    assert!(
        stderr.contains("start: expected a clock time in quotes, \"HH:MM\", got the number 9"),
        "{stderr}"
    );
    assert_eq!(errors.iter().filter(|l| l.contains(": agent_groups:")).count(), 1, "{stderr}");
    assert!(stderr.contains("missing required key \"agent_groups\""), "{stderr}");
}

/// The first lines of a one-queue scenario, for tests that add the part they are about.
const ONE_QUEUE: &str = r#"start = "08:00"
interval = "30m"
[service_level]
target = "20s"
goal = 0.8
[[call_types]]
name = "general"
volumes = [40, 55, 70, 80]
handle_time = { distribution = "exponential", mean = "4m" }
"#;

/// One group answering it, ten agents on one shift 08:00-10:00, to follow [`ONE_QUEUE`] (the
/// shift's table is left open for keys such as `breaks`).
const ONE_GROUP_ON_SHIFT: &str = r#"[[agent_groups]]
name = "agents"
skills = ["general"]
[[shifts]]
group = "agents"
start = "08:00"
end = "10:00"
agents = 10
"#;

/// Writes `text` as `file` in its own directory, validates it, and requires a refusal (exit 2)
/// whose errors include each of `says`.
fn assert_validate_says((dir, file): (&str, &str), text: &str, says: &[&str]) {
    let path = tmp_dir(dir).join(file);
    std::fs::write(&path, text).unwrap();
    let stderr = refusal_of(ccsim().arg("validate").arg(&path));
    for says in says {
        assert!(stderr.contains(says), "{says}\n{stderr}");
    }
}

/// Writes `scenario` and `plan` (as `plan.toml`) into a fresh directory named `dir`, and asserts
/// that `ccsim validate SCENARIO --plan PLAN` is refused with each of `says` in its errors.
fn assert_plan_validate_says(dir: &str, scenario: &str, plan: &str, says: &[&str]) {
    let dir = tmp_dir(dir);
    let (scenario_path, plan_path) = (dir.join("scenario.toml"), dir.join("plan.toml"));
    std::fs::write(&scenario_path, scenario).unwrap();
    std::fs::write(&plan_path, plan).unwrap();
    let stderr = refusal_of(ccsim().arg("validate").arg(&scenario_path).arg("--plan").arg(&plan_path));
    for says in says {
        assert!(stderr.contains(says), "{says}\n{stderr}");
    }
}

/// A shift or shift template that cannot be read (a misspelled key, here `grup` and
/// `lenghts`) took the checks of every other shift and template with it: their unknown groups
/// were only found once the first was fixed. Every element is checked in the same pass.
#[test]
fn a_misspelled_key_in_one_shift_or_template_hides_no_other_ones_problems() {
    let text = [
        ONE_QUEUE,
        r#"[[agent_groups]]
name = "agents"
skills = ["general"]
[[shifts]]
grup = "agents"
start = "08:00"
end = "10:00"
agents = 10
[[shifts]]
group = "agnets"
start = "08:00"
end = "10:00"
agents = 10
[[shift_templates]]
group = "agents"
earliest_start = "08:00"
latest_start = "09:00"
step = "30m"
lenghts = ["1h"]
cost_per_hour = 20
[[shift_templates]]
group = "agnts"
earliest_start = "08:00"
latest_start = "09:00"
step = "30m"
lengths = ["1h"]
cost_per_hour = 20
"#,
    ]
    .concat();
    assert_validate_says(
        ("misspelled-shift-key", "typos.toml"),
        &text,
        &[
            "typos.toml:14:8: shifts[0].grup: unknown key \"grup\"; did you mean \"group\"?",
            "typos.toml:19:9: shifts[1].group: unknown agent group \"agnets\"; did you mean \"agents\"?",
            "typos.toml:28:11: shift_templates[0].lenghts: unknown key \"lenghts\"; did you mean \"lengths\"?",
            "typos.toml:31:9: shift_templates[1].group: unknown agent group \"agnts\"; did you mean \"agents\"?",
            "4 problems found",
        ],
    );
}

/// A break that cannot be read (a misspelled key, here `strat`) took every other break of its
/// shift out of the checks: a break outside the shift was only found once the first was fixed.
/// Each break is checked, at its own index, in the same pass.
#[test]
fn a_misspelled_key_in_one_break_hides_no_other_breaks_problems() {
    let text = [
        ONE_QUEUE,
        ONE_GROUP_ON_SHIFT,
        r#"breaks = [{ strat = "09:00", length = "15m" }, { start = "11:00", length = "15m" }]
"#,
    ]
    .concat();
    assert_validate_says(
        ("misspelled-break-key", "breaks.toml"),
        &text,
        &[
            "breaks.toml:18:21: shifts[0].breaks[0].strat: unknown key \"strat\"; did you mean \"start\"?",
            "breaks.toml:18:58: shifts[0].breaks[1].start: the break 11:00+15m is not inside the shift \
         08:00–10:00",
            "2 problems found",
        ],
    );
}

/// A transfer that cannot be read (a misspelled key, here `too`) took its call type's other
/// transfers out of the checks: the next transfer's unknown call type was only found once the
/// first was fixed. Each transfer is checked, at its own index, in the same pass.
#[test]
fn a_misspelled_key_in_one_transfer_hides_no_other_transfers_problems() {
    let text = [
        ONE_QUEUE,
        r#"transfers = [{ too = "billing", probability = 0.1 }, { to = "biling", probability = 0.1 }]
[[call_types]]
name = "billing"
volumes = [10, 10, 10, 10]
handle_time = { distribution = "exponential", mean = "4m" }
[[agent_groups]]
name = "agents"
skills = ["general", "billing"]
[[shifts]]
group = "agents"
start = "08:00"
end = "10:00"
agents = 10
"#,
    ]
    .concat();
    assert_validate_says(
        ("misspelled-transfer-key", "transfers.toml"),
        &text,
        &[
            "transfers.toml:10:22: call_types.general.transfers[0].too: unknown key \"too\"; did you mean \"to\"?",
            "transfers.toml:10:61: call_types.general.transfers[1].to: unknown call type \"biling\"; did you mean \
         \"billing\"?",
            "2 problems found",
        ],
    );
}

/// An event or a lines outage that cannot be read (a misspelled key, here `strat`) took every
/// other one's checks with it: the next event's unknown group and the next outage's unknown
/// call type were only found once the first was fixed. Each is checked, at its own index, in
/// the same pass.
#[test]
fn a_misspelled_key_in_one_event_or_lines_outage_hides_no_other_ones_problems() {
    let text = [
        ONE_QUEUE,
        ONE_GROUP_ON_SHIFT,
        r#"[lines]
total = 10
[[lines_outages]]
strat = "08:30"
end = "09:00"
lines = 2
[[lines_outages]]
start = "09:00"
end = "09:30"
lines = 2
call_type = "generl"
[[events]]
name = "outage"
strat = "08:30"
length = "30m"
agents_unavailable = { agents = 1 }
[[events]]
name = "meeting"
start = "09:00"
length = "30m"
agents_unavailable = { agnets = 1 }
"#,
    ]
    .concat();
    assert_validate_says(
        ("misspelled-event-key", "events.toml"),
        &text,
        &[
            "events.toml:21:9: lines_outages[0].strat: unknown key \"strat\"; did you mean \"start\"?",
            "events.toml:28:13: lines_outages[1].call_type: unknown call type \"generl\"; did you mean \"general\"?",
            "events.toml:31:9: events[0].strat: unknown key \"strat\"; did you mean \"start\"?",
            "events.toml:38:33: events.meeting.agents_unavailable.agnets: unknown agent group \"agnets\"; \
         did you mean \"agents\"?",
            "4 problems found",
        ],
    );
}

/// A skill or a template's break rule that cannot be read (a misspelled key, here `aftr` and
/// `lenght`) took every other skill of its group, or break of its template, out of the checks:
/// an unknown call type or a break ending before it starts was only found once the first was
/// fixed. Each is checked, at its own index, in the same pass.
#[test]
fn a_misspelled_key_in_one_skill_or_break_rule_hides_no_other_ones_problems() {
    let text = [
        ONE_QUEUE,
        r#"[[agent_groups]]
name = "agents"
skills = [{ call_type = "general", aftr = "30s" }, "generl"]
[[shift_templates]]
group = "agents"
earliest_start = "08:00"
latest_start = "09:00"
step = "30m"
lengths = ["2h"]
cost_per_hour = 20
breaks = [{ lenght = "15m", earliest = "30m", latest = "1h" }, { length = "15m", earliest = "1h", latest = "30m" }]
"#,
    ]
    .concat();
    assert_validate_says(
        ("misspelled-skill-key", "skills.toml"),
        &text,
        &[
            "skills.toml:12:43: agent_groups.agents.skills[0].aftr: unknown key \"aftr\"; did you mean \"after\"?",
            "skills.toml:12:52: agent_groups.agents.skills[1]: unknown call type \"generl\"; did you mean \
             \"general\"?",
            "skills.toml:20:22: shift_templates[0].breaks[0].lenght: unknown key \"lenght\"; did you mean \
             \"length\"?",
            "skills.toml:20:108: shift_templates[0].breaks[1].latest: 30m is before earliest (1h)",
            "4 problems found",
        ],
    );
}

/// A value of a list that cannot be read (a quoted volume, `true` for a day, a length or an
/// observed duration) took the list's other values out of the checks: a negative volume, a day
/// past the scenario's last, a length over 24 hours were only found once the first was fixed,
/// and an empirical distribution was told it had no values at all. Each value is checked, at
/// its own index, in the same pass.
#[test]
fn an_unreadable_value_in_a_list_hides_no_other_values_problems() {
    let text = [
        "days = 2\n",
        &ONE_QUEUE
            .replace("[40, 55, 70, 80]", "[40, \"55\", 70, -80]")
            .replace("mean = \"4m\" }\n", "mean = \"4m\" }\npatience = { distribution = \"empirical\", values = [\"1m\", true, \"-3m\"] }\n"),
        ONE_GROUP_ON_SHIFT,
        r#"days = [true, 3]
[[shift_templates]]
group = "agents"
earliest_start = "08:00"
latest_start = "09:00"
step = "30m"
lengths = [true, "25h"]
cost_per_hour = 20
"#,
    ]
    .concat();
    assert_validate_says(
        ("unreadable-list-value", "values.toml"),
        &text,
        &[
            "values.toml:9:16: call_types.general.volumes[1]: expected a number, got the string \"55\"",
            "values.toml:9:26: call_types.general.volumes[3]: must be a number of calls of 0 or more, got -80",
            "values.toml:11:58: call_types.general.patience.values[1]: expected a duration",
            "values.toml:11:64: call_types.general.patience.values[2]: \"-3m\" is negative",
            "values.toml:20:9: shifts[0].days[0]: expected a day number from 1",
            "values.toml:20:15: shifts[0].days[1]: day 3 is not in the scenario; days are counted from 1 to 2",
            "values.toml:26:12: shift_templates[0].lengths[0]: expected a duration",
            "values.toml:26:18: shift_templates[0].lengths[1]: 25h is longer than 24 hours",
            "8 problems found",
        ],
    );
}

/// A staffing vector of a TOML plan that cannot be read (a misspelled key, here `grup`) took
/// the plan's other staffing vectors out of the checks: the next one's unknown group was only
/// found once the first was fixed.
#[test]
fn a_misspelled_key_in_one_staffing_vector_hides_no_other_ones_problems() {
    assert_plan_validate_says(
        "misspelled-staffing-key",
        &[ONE_QUEUE, "[[agent_groups]]\nname = \"agents\"\nskills = [\"general\"]\n"].concat(),
        r#"[[staffing]]
group = "agents"
agents = [1, 2, 3, 4]
[[staffing]]
grup = "agents"
agents = [1, 2, 3, 4]
[[staffing]]
group = "agnets"
agents = [1, 2, 3, 4]
"#,
        &[
            "plan.toml:5:8: staffing[1].grup: unknown key \"grup\"; did you mean \"group\"?",
            "plan.toml:8:9: staffing[2].group: unknown agent group \"agnets\"",
            "2 problems found",
        ],
    );
}

/// A clock time written as a number (`start = 8`) was refused with "expected a string in
/// quotes" alone; it is told the `HH:MM` to write, as a clock time written another way in
/// quotes ("0800") is, and a number that is no clock time is told the form.
#[test]
fn a_clock_time_written_as_a_number_is_told_the_time_to_write() {
    let text = [
        ONE_QUEUE,
        ONE_GROUP_ON_SHIFT.replace("start = \"08:00\"", "start = 8").as_str(),
        r#"[[shift_templates]]
group = "agents"
earliest_start = 8.30
latest_start = 25
step = "30m"
lengths = ["2h"]
cost_per_hour = 20
"#,
    ]
    .concat();
    assert_validate_says(
        ("clock-number", "clock.toml"),
        &text,
        &[
            "clock.toml:15:9: shifts[0].start: expected a clock time in quotes, \"HH:MM\", got the number 8 \
             (write \"08:00\")",
            "clock.toml:20:18: shift_templates[0].earliest_start: expected a clock time in quotes, \"HH:MM\", \
             got the number 8.30 (write \"08:30\")",
            "clock.toml:21:16: shift_templates[0].latest_start: expected a clock time in quotes, \"HH:MM\", \
             got the number 25 (write \"HH:MM\")",
            "3 problems found",
        ],
    );
}

/// An interval longer than a day (`interval = "25h"`) was blamed on the first volume list
/// ("1 intervals of 25h make 25.0 hours, more than one day"), at `volumes_file` or
/// `volumes`; it is refused at `interval`, the field to fix.
#[test]
fn an_interval_longer_than_a_day_is_refused_at_the_interval() {
    let text =
        [ONE_QUEUE.replace("interval = \"30m\"", "interval = \"25h\"").as_str(), ONE_GROUP_ON_SHIFT].concat();
    assert_validate_says(
        ("long-interval", "interval.toml"),
        &text,
        &["interval.toml:2:12: interval: 25h is longer than a day; an interval is a part of the day"],
    );
}

/// A shift's group, start or agents that cannot be read (`agents = -1`, `group = 5`) took
/// the shift's other checks with it: a bad `start` or `end` beside it was only found once the
/// first was fixed. The shift's other fields are checked in the same pass.
#[test]
fn an_unreadable_field_of_a_shift_hides_none_of_its_other_problems() {
    let text = [
        ONE_QUEUE,
        r#"[[agent_groups]]
name = "agents"
skills = ["general"]
[[shifts]]
group = "agents"
start = "8am"
end = "10:00"
agents = -1
[[shifts]]
group = 5
start = "08:00"
end = "25:00"
agents = 10
"#,
    ]
    .concat();
    assert_validate_says(
        ("unreadable-shift-field", "shift.toml"),
        &text,
        &[
            "shift.toml:15:9: shifts[0].start: \"8am\" is not a clock time",
            "shift.toml:17:10: shifts[0].agents: expected a whole number of 0 or more, got the number -1",
            "shift.toml:19:9: shifts[1].group: expected a string in quotes, got the number 5",
            "shift.toml:21:7: shifts[1].end: \"25:00\" is not a clock time",
            "4 problems found",
        ],
    );
}

/// Shares written as percentages (`goal = 80`, `shrinkage = 30`, `probability = 40`) were
/// refused with the range alone ("must be a share in (0, 1], got 85"); each now says the
/// fraction to write, as "80%" in quotes already did. A value no percentage explains (150)
/// gets no such advice.
#[test]
fn a_share_written_as_a_percentage_is_told_the_fraction_to_write() {
    let dir = tmp_dir("share-as-percentage");
    let file = dir.join("percent.toml");
    let text = r#"start = "08:00"
interval = "30m"
[service_level]
target = "20s"
goal = 80
max_occupancy = 85
max_abandon = 150
[staffing]
shrinkage = 30
[uncertainty]
absence = 5
[[call_types]]
name = "general"
volumes = [40, 55]
handle_time = { distribution = "exponential", mean = "4m" }
redial = { probability = 40, delay = { distribution = "exponential", mean = "5m" } }
callback = { offer_when_wait_over = "30s", accept = 60, answer = 0.9, retries = 1, retry_after = "5m" }
[[agent_groups]]
name = "agents"
skills = ["general"]
staffing = [10, 12]
"#;
    std::fs::write(&file, text).unwrap();
    let out = ccsim().arg("validate").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for says in [
        "percent.toml:5:8: service_level.goal: must be a share in (0, 1], e.g. 0.8, got 80; a share is a \
         fraction of 1: write 0.8 for 80%",
        "percent.toml:6:17: service_level.max_occupancy: must be a share in (0, 1], got 85; a share is a \
         fraction of 1: write 0.85 for 85%",
        "percent.toml:7:15: service_level.max_abandon: must be a share in (0, 1], got 150\n",
        "percent.toml:9:13: staffing.shrinkage: must be a share in [0, 1), e.g. 0.3, got 30; a share is a \
         fraction of 1: write 0.3 for 30%",
        "call_types.general.redial.probability: must be a probability in [0, 1], got 40; a share is a \
         fraction of 1: write 0.4 for 40%",
        "call_types.general.callback.accept: must be a probability in [0, 1], got 60; a share is a \
         fraction of 1: write 0.6 for 60%",
        "percent.toml:11:11: uncertainty.absence: must be a probability in [0, 1), e.g. 0.05, got 5; a \
         share is a fraction of 1: write 0.05 for 5%",
    ] {
        assert!(stderr.contains(says), "{says}\n{stderr}");
    }
}

/// A clock time written as people write it elsewhere (`0800`, `8am`, `1:30 PM`) is refused, as
/// every clock time not `HH:MM` is, and the error says the `HH:MM` to write, in a scenario and
/// in a CSV plan alike.
#[test]
fn a_clock_time_written_otherwise_is_told_the_hh_mm_to_write() {
    let dir = tmp_dir("clock-otherwise");
    let file = dir.join("center.toml");
    let starter = ccsim().arg("init").arg(&file).output().unwrap();
    assert!(starter.status.success());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\nstart = \"09:00\"\n"), "the starter's grid start");
    std::fs::write(&file, text.replacen("\nstart = \"09:00\"\n", "\nstart = \"0900\"\n", 1)).unwrap();
    let stderr = crate::util::refusal_of(ccsim().arg("validate").arg(&file));
    assert!(
        stderr.contains("start: \"0900\" is not a clock time") && stderr.contains("(write \"09:00\")"),
        "{stderr}"
    );
    let plan = dir.join("plan.csv");
    std::fs::write(&plan, "group,start,end,agents,breaks\ngeneralists,8am,4:30 PM,5,\n").unwrap();
    let stderr = crate::util::refusal_of(
        ccsim().args(["validate", "scenarios/retail-bank.toml", "--plan"]).arg(&plan),
    );
    assert!(stderr.contains("(write \"08:00\")") && stderr.contains("(write \"16:30\")"), "{stderr}");
}

/// A shift template whose group, start window, lengths or cost could not be read (`group = 5`,
/// `lengths = "8h"`, `cost_per_hour = "twenty"`) took the template's other checks with it: its
/// bad start, step, lengths or `max_agents` were only found once the first was fixed. They are
/// reported in the same pass, and the unreadable field gets no second error for being missing.
#[test]
fn an_unreadable_field_of_a_shift_template_hides_none_of_its_other_problems() {
    let text = [
        ONE_QUEUE,
        ONE_GROUP_ON_SHIFT,
        r#"[[shift_templates]]
group = 5
earliest_start = "8am"
latest_start = "07:00"
step = "30m"
lengths = ["0h", "25h"]
cost_per_hour = "twenty"
max_agents = 0
[[shift_templates]]
group = "agents"
earliest_start = 8
latest_start = "07:00"
step = "0m"
lengths = "8h"
cost_per_hour = -5
"#,
    ]
    .concat();
    let path = tmp_dir("unreadable-template-field").join("template.toml");
    std::fs::write(&path, &text).unwrap();
    let stderr = refusal_of(ccsim().arg("validate").arg(&path));
    for says in [
        "template.toml:19:9: shift_templates[0].group: expected a string in quotes, got the number 5",
        "template.toml:20:18: shift_templates[0].earliest_start: \"8am\" is not a clock time",
        "template.toml:23:12: shift_templates[0].lengths[0]: must be a positive duration",
        "template.toml:23:18: shift_templates[0].lengths[1]: 25h is longer than 24 hours",
        "template.toml:24:17: shift_templates[0].cost_per_hour: expected a number, got the string \"twenty\"",
        "template.toml:25:14: shift_templates[0].max_agents: must be at least 1",
        "template.toml:28:18: shift_templates[1].earliest_start: expected a clock time in quotes",
        "template.toml:30:8: shift_templates[1].step: must be a positive duration",
        "template.toml:31:11: shift_templates[1].lengths: expected a list, got the string \"8h\"",
        "template.toml:32:17: shift_templates[1].cost_per_hour: must be a cost per paid hour",
        "10 problems found",
    ] {
        assert!(stderr.contains(says), "{says}\n{stderr}");
    }
    // No error that only follows from another: no missing key, no empty lengths, no start
    // window judged against a start that was not read.
    for not in ["missing required key", "at least one shift length", "before earliest_start"] {
        assert!(!stderr.contains(not), "{not}\n{stderr}");
    }
}

/// A count or factor that could not be read (`"4"` in quotes) in a group's `staffing`, its
/// `concurrency_factors` or a plan's `[[staffing]]` took the whole list out of the checks:
/// a count above the cap or a factor out of order beside it was only found once the first was
/// fixed. Each is reported at its own index in the same pass.
#[test]
fn an_unreadable_number_in_a_staffing_or_factor_list_hides_none_of_the_others() {
    let text = [
        ONE_QUEUE,
        r#"[[call_types]]
name = "chat"
channel = "chat"
volumes = [4, 4, 4, 4]
handle_time = { distribution = "exponential", mean = "6m" }
[[agent_groups]]
name = "agents"
skills = ["general"]
staffing = [3, "4", 200000, 5]
[[agent_groups]]
name = "chatters"
skills = ["chat"]
max_concurrency = 3
concurrency_factors = [1, "1.8", 5]
staffing = [2, 2, 2, 2]
"#,
    ]
    .concat();
    assert_validate_says(
        ("unreadable-staffing-count", "staffing.toml"),
        &text,
        &[
            "staffing.toml:18:16: agent_groups.agents.staffing[1]: expected a whole number",
            "staffing.toml:18:21: agent_groups.agents.staffing[2]: 200000 agents is more than the cap",
            "staffing.toml:23:27: agent_groups.chatters.concurrency_factors[1]: expected a number",
            "staffing.toml:23:23: agent_groups.chatters.concurrency_factors: factor 3 is 5 but an agent \
             holding 3 chats can do at most 3 times the work of one",
            "4 problems found",
        ],
    );

    assert_plan_validate_says(
        "unreadable-plan-staffing-count",
        &[ONE_QUEUE, ONE_GROUP_ON_SHIFT].concat(),
        "[[staffing]]\ngroup = \"agents\"\nagents = [\"2\", 200000, 3]\n",
        &[
            "plan.toml:3:11: staffing[0].agents[0]: expected a whole number",
            "plan.toml:3:16: staffing[0].agents[1]: 200000 agents is more than the cap",
            "plan.toml:3:10: staffing[0].agents: has 3 values; expected one per interval: 4",
            "3 problems found",
        ],
    );
}

/// In a plan, one `[[staffing]]` entry that could not be read (its count in quotes) took the
/// check that no group is staffed twice, or by shifts and staffing both, out for the whole
/// plan. It is made on every entry whose group could be read, each at its own index.
#[test]
fn a_group_staffed_twice_is_found_beside_a_staffing_entry_in_error() {
    assert_plan_validate_says(
        "plan-staffed-twice-beside-error",
        &[ONE_QUEUE, ONE_GROUP_ON_SHIFT].concat(),
        r#"[[shifts]]
group = "agents"
start = "08:00"
end = "10:00"
agents = 4
[[staffing]]
group = "agents"
agents = ["2"]
[[staffing]]
group = 7
agents = [1, 1, 1, 1]
[[staffing]]
group = "agents"
agents = [3, 3, 3, 3]
"#,
        &[
            "plan.toml:8:11: staffing[0].agents[0]: expected a whole number",
            "plan.toml:10:9: staffing[1].group: expected a string in quotes, got the number 7",
            "plan.toml:12:1: staffing[2]: group \"agents\" has a staffing vector already",
            "staffing[0]: group \"agents\" is worked by shifts too",
        ],
    );
}

/// A column a call type reads holds volumes, whichever of the file's columns is being read: a
/// call type named `day` (or `Day`) beside another call type of the same forecast file leaves
/// the rows unlabelled by day for both, and neither is refused for the other's volumes.
#[test]
fn a_call_type_named_day_holds_volumes_for_every_column_of_its_file() {
    let dir = tmp_dir("forecast-day-call-type");
    for name in ["day", "Day"] {
        let csv = format!("interval,{name},accounts\n08:00,5,10\n08:30,6,12\n09:00,7,14\n09:30,5,10\n");
        std::fs::write(dir.join("forecast.csv"), csv).unwrap();
        let scenario = format!(
            r#"start = "08:00"
interval = "30m"

[service_level]
target = "20s"
goal = 0.8

[[call_types]]
name = "{name}"
volumes_file = "forecast.csv"
handle_time = {{ distribution = "exponential", mean = "4m" }}

[[call_types]]
name = "accounts"
volumes_file = "forecast.csv"
handle_time = {{ distribution = "exponential", mean = "4m" }}

[[agent_groups]]
name = "all-round"
skills = ["{name}", "accounts"]

[[shifts]]
group = "all-round"
start = "08:00"
end = "10:00"
agents = 5
"#
        );
        let file = dir.join(format!("named-{name}.toml"));
        std::fs::write(&file, scenario).unwrap();
        let run = ccsim().arg("validate").arg(&file).assert();
        let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
        run.success();
        assert!(stderr.is_empty(), "{name}: {stderr}");
        let loaded = load(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
        let fresh: Vec<f64> = loaded.scenario.call_types.iter().map(|c| c.volumes.iter().sum()).collect();
        assert_eq!(fresh, [23.0, 46.0], "{name}");
    }
}

/// A patience whose mean is a plain number too short to be meant (`mean = 2` for two minutes)
/// loads as 2 s, as written, with the warning a handle time gets, naming the field and its
/// line; `validate` says it on stderr and exits 0.
#[test]
fn a_plain_number_too_short_for_a_patience_is_warned_about() {
    let dir = tmp_dir("plain-patience");
    let file = dir.join("patience.toml");
    let text = BASE.replacen("mean = \"90s\"", "mean = 2", 1);
    assert_ne!(text, BASE);
    std::fs::write(&file, &text).unwrap();
    let out = ccsim().arg("validate").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let line = line_of(&text, "mean = 2 }");
    let column = text.lines().nth(line - 1).unwrap().find("2 }").unwrap() + 1;
    let expected = format!(
        "warning: {}:{line}:{column}: call_types.accounts.patience.mean: 2 is read as 2 s (a plain number is \
         seconds), short for a mean patience; write \"2m\" for 2 minutes, or \"2s\" to keep 2 seconds \
         without this warning",
        file.display()
    );
    assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    let unit =
        load_str(&BASE.replacen("mean = \"90s\"", "mean = \"2s\"", 1), Path::new("unit.toml")).unwrap();
    assert!(unit.warnings.is_empty(), "{:?}", unit.warnings);
}

/// An interval written as a plain number is read as seconds: where that is not a whole number
/// of minutes, the error says how the number was read, so `interval = 30` meant as half an
/// hour explains itself.
#[test]
fn an_interval_of_plain_seconds_that_is_not_whole_minutes_says_how_it_was_read() {
    let dir = tmp_dir("plain-interval");
    for (written, says) in [
        (
            "30",
            "interval: 30 is read as 30s (a plain number is seconds), which is not a whole number of minutes",
        ),
        (
            "\"30\"",
            "interval: 30 is read as 30s (a plain number is seconds), which is not a whole number of minutes",
        ),
        ("\"20m30s\"", "interval: 20m30s is not a whole number of minutes"),
    ] {
        let text = BASE.replacen("interval = \"30m\"", &format!("interval = {written}"), 1);
        assert_ne!(text, BASE);
        let file = dir.join("interval.toml");
        std::fs::write(&file, &text).unwrap();
        let out = ccsim().arg("validate").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        let line = line_of(&text, "interval = ");
        assert!(stderr.contains(&format!("{}:{line}:12: {says}", file.display())), "{written}: {stderr}");
        assert!(stderr.contains("(e.g. \"15m\", \"30m\", \"1h\")"), "{stderr}");
    }
}

/// An event whose `volume_factor`, `handle_time_factor` or `agents_unavailable` has a refused
/// value gets that value's error only: it is not also told that it changes nothing, as if the
/// key were missing. An event that gives none of them (or an empty pull) still is.
#[test]
fn an_event_with_a_refused_factor_is_not_also_said_to_change_nothing() {
    let dir = crate::util::empty_dir("scenario", "event-refused-factor");
    let shipped = std::fs::read_to_string("scenarios/retail-bank.toml").unwrap();
    let refusal = |action: &str| {
        let file = dir.join("s.toml");
        let event =
            format!("\n[[events]]\nname = \"outage\"\nstart = \"10:00\"\nlength = \"1h\"\n{action}\n");
        std::fs::write(&file, format!("{shipped}{event}")).unwrap();
        refusal_of(ccsim().arg("validate").arg(&file))
    };
    for (action, says) in [
        (
            "agents_unavailable = { generalists = -1 }",
            "expected a whole number of 0 or more, got the number -1",
        ),
        ("agents_unavailable = { generalists = 2.5 }", "expected a whole number, got the number 2.5"),
        ("volume_factor = \"2x\"", "expected a number, or a table of numbers by call type"),
        ("handle_time_factor = \"1.5x\"", "handle_time_factor"),
    ] {
        let err = refusal(action);
        assert!(err.contains(says), "{action}: {err}");
        assert!(!err.contains("changes nothing"), "{action}: {err}");
    }
    assert!(refusal("agents_unavailable = {}").contains("the event changes nothing"));
    assert!(refusal("").contains("the event changes nothing"));
}
