//! Views of a built shift plan: the `schedule --format json` contract, the terminal table
//! (shifts with headcounts, cost, coverage and simulated service level per interval) and the
//! coverage chart ([`coverage_chart`]).

use serde::{Deserialize, Serialize};

use crate::metrics::CallStats;
use crate::model::Scenario;
use crate::report::table::{Align, Table};
use crate::report::{percent, percent_estimate};
use crate::schedule::{Schedule, SolveStatus, UncoveredWhy};
use crate::stats::Estimate;
use crate::summary::{
    CallTypeSummary, ChannelGoals, ChannelSummary, IntervalSummary, IntervalTotal, Summary,
};
use crate::time::{format_duration, weekday_run_name};

mod coverage;

pub use coverage::{coverage_chart, coverage_charts};

/// A break of a scheduled shift.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreakOut {
    /// Clock time the break starts, `HH:MM`.
    pub start: String,
    /// Length, e.g. `15m`.
    pub length: String,
}

/// What a cost figure is, for a header that shows one without the terminal's summary line.
pub const COST_MEANING: &str = "paid hours x cost per hour, in the scenario's currency";

/// The columns of the plan's shift table, in the terminal and in the HTML report.
pub const SHIFT_COLUMNS: [&str; 8] = ["Group", "Start", "End", "Agents", "Paid h", "Cost", "Breaks", "Days"];

/// The plan's shift table, one row per block of identical shifts ([`SHIFT_COLUMNS`]): its
/// breaks and days set apart blocks of the same group and hours.
pub fn shift_rows(r: &ScheduleReport) -> Vec<[String; 8]> {
    r.shifts
        .iter()
        .map(|s| {
            let breaks: Vec<String> = s.breaks.iter().map(|b| format!("{}+{}", b.start, b.length)).collect();
            [
                s.group.clone(),
                s.start.clone(),
                s.end.clone(),
                s.agents.to_string(),
                format!("{:.1}", s.paid_hours),
                s.cost.map_or("-".into(), |c| format!("{c:.2}")),
                breaks.join(" "),
                s.days.as_ref().map_or("all".into(), |d| day_ranges(d, r.grid.days, r.grid.first_weekday)),
            ]
        })
        .collect()
}

/// A block of identical shifts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftOut {
    /// Agent group.
    pub group: String,
    /// Log-in, `HH:MM`.
    pub start: String,
    /// Log-out, `HH:MM` (earlier than `start` when the shift crosses midnight).
    pub end: String,
    /// Agents working it.
    pub agents: u32,
    /// Breaks, in order.
    pub breaks: Vec<BreakOut>,
    /// Days (from 1) the shift is worked; `null`: every day.
    pub days: Option<Vec<usize>>,
    /// Paid hours of all its agents over the scenario's days (breaks are paid).
    pub paid_hours: f64,
    /// Paid hours x the template's `cost_per_hour`.
    pub cost: Option<f64>,
}

/// Requirement and coverage of one group in one interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoverageOut {
    /// Day, from 1.
    pub day: usize,
    /// Interval start, `HH:MM`.
    pub start: String,
    /// Agent group.
    pub group: String,
    /// Agents required on duty, after shrinkage.
    pub required: u32,
    /// Agents of the plan on duty and not on break for the whole interval.
    pub on_duty: u32,
}

/// An interval with demand that no template can cover.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UncoveredOut {
    /// Day, from 1.
    pub day: usize,
    /// Interval start, `HH:MM`.
    pub start: String,
    /// Agent group.
    pub group: String,
    /// Agents required.
    pub required: u32,
    /// Why no template's shift covers it, and what to change.
    #[serde(default)]
    pub why: String,
}

/// The plan simulated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Simulated {
    /// Replications.
    pub replications: u32,
    /// Base seed.
    pub seed: u64,
    /// All contacts (keys as `simulate --format json`).
    pub overall: CallStats<Estimate>,
    /// Per interval and call type.
    pub intervals: Vec<IntervalSummary>,
    /// Per interval, all call types together.
    pub interval_totals: Vec<IntervalTotal>,
    /// Per channel, each against its own goal; only for a scenario of several channels.
    #[serde(default, skip_serializing_if = "ChannelSummary::at_most_one")]
    pub channels: Vec<ChannelSummary>,
    /// Per call type, for their channels; only for a scenario of several channels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub call_types: Vec<CallTypeSummary>,
    /// Agents' occupancy, for the report's occupancy goal (the JSON keeps its keys).
    #[serde(skip)]
    pub occupancy: Estimate,
}

impl Simulated {
    /// The goals its contacts are judged against, `scenario` being the scenario's own.
    pub fn goals(&self, scenario: crate::model::ServiceLevelGoal) -> ChannelGoals<'_> {
        ChannelGoals { scenario, channels: &self.channels, call_types: &self.call_types }
    }
}

/// How far the optimiser got.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SolverOut {
    /// Best proven lower bound on the cost (`null` when none is known).
    pub best_bound: Option<f64>,
    /// `(cost - best_bound) / cost`: 0 when proven optimal (`null` when no bound is known).
    pub gap: Option<f64>,
    /// The gap at which the search would stop (`--mip-gap`).
    pub mip_gap: f64,
    /// Wall-clock time of the optimiser, s.
    pub seconds: f64,
    /// Integer variables (shift counts and break-position counts).
    pub variables: usize,
    /// Constraints.
    pub constraints: usize,
    /// Independent programs solved apart: shifts that share no demanded interval and no limit
    /// (a group without a headcount limit; in a centre closed at night, a group's day).
    #[serde(default)]
    pub parts: usize,
}

/// Everything `ccsim schedule` reports (the `schedule --format json` contract).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduleReport {
    /// Scenario name.
    pub scenario: String,
    /// Solver outcome.
    pub status: SolveStatus,
    /// Paid agent-hours of the plan (breaks are paid).
    pub paid_hours: f64,
    /// Paid hours x each template's cost per hour.
    pub cost: f64,
    /// Where the requirement came from.
    pub requirement: String,
    /// Share of paid time not on calls, applied to the requirement.
    pub shrinkage: f64,
    /// The shifts.
    pub shifts: Vec<ShiftOut>,
    /// Requirement and coverage per interval and group.
    pub intervals: Vec<CoverageOut>,
    /// Intervals with demand no template can cover.
    pub uncovered: Vec<UncoveredOut>,
    /// The plan simulated.
    pub simulated: Simulated,
    /// The service-level objective.
    pub service_level: crate::model::ServiceLevelGoal,
    /// The grid, for charts.
    pub grid: crate::summary::GridInfo,
    /// The optimiser's bound, gap and effort.
    pub solver: SolverOut,
    /// Where the telephone lines bind the requirement of `staff --method simulation` (left out
    /// where they bind nowhere, and with another requirement).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines_bind: Vec<crate::staffing::LinesBind>,
}

/// Builds the report from a solved schedule, the requirement it covers (per group and
/// interval, after shrinkage), where the lines bind it, and the simulation of its plan.
pub fn report(
    scenario: &Scenario,
    schedule: &Schedule,
    required: &[Vec<u32>],
    requirement: &str,
    lines_bind: Vec<crate::staffing::LinesBind>,
    summary: &Summary,
    mip_gap: f64,
) -> ScheduleReport {
    let grid = &scenario.grid;
    let group = |g: usize| scenario.agent_groups[g].name.clone();
    let shifts = schedule
        .plan
        .shifts
        .iter()
        .map(|s| ShiftOut {
            group: group(s.group.idx()),
            start: s.start.to_string(),
            end: s.end().to_string(),
            agents: s.agents,
            breaks: s
                .breaks
                .iter()
                .map(|b| BreakOut {
                    start: crate::time::ClockTime::from_secs(s.start.secs() + b.offset).to_string(),
                    length: format_duration(b.length),
                })
                .collect(),
            days: s.days.clone(),
            paid_hours: s.paid_hours_on(grid),
            cost: s.cost(&scenario.shift_templates, grid),
        })
        .collect();
    let mut intervals = Vec::with_capacity(grid.len() * required.len());
    for idx in 0..grid.len() {
        for (g, row) in required.iter().enumerate() {
            intervals.push(CoverageOut {
                day: grid.day_of(idx),
                start: grid.clock_of(idx).to_string(),
                group: group(g),
                required: row[idx],
                on_duty: schedule.coverage[g][idx],
            });
        }
    }
    ScheduleReport {
        scenario: scenario.name.clone(),
        status: schedule.status,
        paid_hours: schedule.paid_hours,
        cost: schedule.cost,
        requirement: requirement.to_string(),
        shrinkage: scenario.staffing.shrinkage,
        shifts,
        intervals,
        uncovered: schedule
            .uncovered
            .iter()
            .map(|u| UncoveredOut {
                day: grid.day_of(u.interval),
                start: grid.clock_of(u.interval).to_string(),
                group: group(u.group.idx()),
                required: u.required,
                why: uncovered_why(scenario, u.group.idx(), u.why),
            })
            .collect(),
        simulated: Simulated {
            replications: summary.replications,
            seed: summary.seed,
            overall: summary.overall,
            intervals: summary.intervals.clone(),
            interval_totals: summary.interval_totals.clone(),
            // The JSON names them only where they say more than `overall`.
            channels: if summary.several_channels() { summary.channels.clone() } else { Vec::new() },
            call_types: if summary.several_channels() { summary.call_types.clone() } else { Vec::new() },
            occupancy: summary.occupancy,
        },
        service_level: summary.service_level,
        grid: summary.grid.clone(),
        solver: SolverOut {
            best_bound: schedule.stats.best_bound,
            gap: schedule.stats.gap,
            mip_gap,
            seconds: schedule.stats.seconds,
            variables: schedule.stats.columns,
            constraints: schedule.stats.rows,
            parts: schedule.stats.parts,
        },
        lines_bind,
    }
}

/// Why group `g`'s demand cannot be covered, naming its templates and the hours they span, and
/// what to change.
fn uncovered_why(scenario: &Scenario, g: usize, why: UncoveredWhy) -> String {
    let name = &scenario.agent_groups[g].name;
    let listed = |only_closed: bool| {
        scenario
            .shift_templates
            .iter()
            .enumerate()
            .filter(|(_, t)| t.group.idx() == g && (!only_closed || t.max_agents == Some(0)))
            .map(|(k, t)| format!("shift_templates[{k}] {}", crate::schedule::hours_spanned(t)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match why {
        UncoveredWhy::NoTemplate => format!(
            "{name} has no [[shift_templates]]: add one with group = \"{name}\" whose shifts cover these hours"
        ),
        UncoveredWhy::NoAgentsAllowed => format!(
            "only shifts of the templates for {name} with max_agents = 0 cover them ({}); raise max_agents",
            listed(true)
        ),
        UncoveredWhy::OnBreak => format!(
            "every shift of the templates for {name} logged in then is on break for part of them, wherever the \
             break windows let the breaks go ({}); widen the break windows (earliest, latest), or add a \
             template whose shifts cover them",
            listed(false)
        ),
        UncoveredWhy::NotSpanned => format!(
            "no shift of the templates for {name} is logged in for the whole of them ({}); move earliest_start \
             or latest_start, or change the lengths, so that a shift spans them",
            listed(false)
        ),
    }
}

/// The report as pretty JSON.
pub fn json(r: &ScheduleReport) -> String {
    let mut text = serde_json::to_string_pretty(r).expect("a schedule report always serialises");
    text.push('\n');
    text
}

/// An optimality gap as a percentage with two decimals (`0.05%`, `0.50%`, `1.41%`), the one
/// style of both the requested and the achieved gap: a gap of 0.0495% must not read as 0.0%.
/// A gap above zero too small for two decimals reads `<0.01%`, never `0.00%`.
fn gap_percent(share: f64) -> String {
    if !share.is_finite() {
        "-".to_string()
    } else if share > 0.0 && share < 0.00005 {
        "<0.01%".to_string()
    } else {
        format!("{:.2}%", share * 100.0)
    }
}

/// The requirement's agent-hours: every group's required agents (after shrinkage) over every
/// interval.
pub fn required_hours(r: &ScheduleReport) -> f64 {
    r.intervals.iter().map(|c| f64::from(c.required)).sum::<f64>() * r.grid.interval_s / 3600.0
}

/// What the paid hours above the requirement are, in the table and the report alike.
pub const PAID_ABOVE_REQUIREMENT: &str = "the breaks and the cover beyond the requirement that the templates' lengths, start times and limits leave";

/// The requirement's agent-hours and what the plan pays beyond them, so that a plan far above
/// the requirement reads as what its templates force, not as a fault of the optimiser: a
/// template of 8h30 starting by 11:30 covers the afternoon dip whether it is needed or not.
fn paid_above_requirement(r: &ScheduleReport) -> String {
    let required_h = required_hours(r);
    // Demand no template can cover is not in the plan: counting it would hide as much cover
    // beyond the requirement.
    let uncovered_h = uncovered_hours(r);
    let above = r.paid_hours - (required_h - uncovered_h);
    if required_h <= 0.0 || above < 0.05 {
        return String::new();
    }
    let required = if uncovered_h > 0.0 {
        format!(
            "{required_h:.1} agent-hours (the requirement summed over intervals), {uncovered_h:.1} h of them \
             where no template can cover; paid above the {:.1} h the templates can cover",
            required_h - uncovered_h
        )
    } else {
        format!("{required_h:.1} agent-hours (the requirement summed over intervals); paid above it")
    };
    crate::report::wrap(
        &format!(
            "Required: {required}: {above:.1} h ({}), {PAID_ABOVE_REQUIREMENT}.\n",
            percent(above / r.paid_hours)
        ),
        100,
    )
}

/// The agent-hours of [`ScheduleReport::uncovered`].
pub fn uncovered_hours(r: &ScheduleReport) -> f64 {
    r.uncovered.iter().map(|u| f64::from(u.required)).sum::<f64>() * r.grid.interval_s / 3600.0
}

/// One sentence per group and reason of [`ScheduleReport::uncovered`], each said once.
pub fn uncovered_reasons(r: &ScheduleReport) -> Vec<String> {
    let mut said: Vec<(&str, &str)> = Vec::new();
    for u in &r.uncovered {
        if !said.contains(&(u.group.as_str(), u.why.as_str())) {
            said.push((&u.group, &u.why));
        }
    }
    said.iter().map(|(group, why)| format!("Why, {group}: {why}.")).collect()
}

/// What the solver proved, in words: `optimal`, or the gap to the bound and to the goal.
fn status_text(status: SolveStatus, solver: &SolverOut) -> String {
    let gap =
        solver.gap.map_or("no bound known".to_string(), |g| format!("{} above the bound", gap_percent(g)));
    let seconds = match solver.parts {
        0 | 1 => format!("{:.1} s", solver.seconds),
        n => format!("{:.1} s, {n} independent parts", solver.seconds),
    };
    match status {
        SolveStatus::Optimal => format!("proven optimal ({seconds})"),
        SolveStatus::GapLimit => format!("within the {} gap: {gap} ({seconds})", gap_percent(solver.mip_gap)),
        SolveStatus::TimeLimit => {
            format!("best plan found, not proven within {}: {gap} ({seconds})", gap_percent(solver.mip_gap))
        }
    }
}

/// Days as runs: `[1, 2, 3, 5, 7]` reads `1-3,5,7`; in a scenario of at most a week whose
/// first weekday is known, by weekday (`Mon-Wed,Fri,Sun`), as a `days` list may name them.
fn day_ranges(days: &[usize], grid_days: usize, first_weekday: Option<usize>) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &d in days {
        match runs.last_mut() {
            Some((_, last)) if d == *last + 1 => *last = d,
            _ => runs.push((d, d)),
        }
    }
    let weekday = first_weekday.filter(|_| grid_days <= 7);
    let text: Vec<String> = (runs.iter())
        .map(|&(a, b)| match weekday {
            Some(first) => weekday_run_name((first + a - 1) % 7, (first + b - 1) % 7),
            None if a == b => a.to_string(),
            None => format!("{a}-{b}"),
        })
        .collect();
    text.join(",")
}

/// The terminal report: shifts, totals, uncovered intervals, then per interval the
/// requirement, the coverage and the simulated service level. Fits 100 columns.
pub fn table(r: &ScheduleReport) -> String {
    let sl = &r.service_level;
    let goals = r.simulated.goals(*sl);
    // Cells are in grid order then call-type order: an interval's are one chunk.
    let n_types =
        r.simulated.intervals.len().checked_div(r.simulated.interval_totals.len()).unwrap_or(0).max(1);
    let several_types = n_types > 1;
    let mut out = format!(
        "{} | shift plan from the shift templates\n\
         Solver: {}\n\
         Requirement: {} (raised for {} shrinkage)\n\
         Paid agent-hours: {:.1} h | cost: {:.2} (paid hours x cost per hour)\n{}\n",
        r.scenario,
        status_text(r.status, &r.solver),
        r.requirement,
        percent(r.shrinkage),
        r.paid_hours,
        r.cost,
        paid_above_requirement(r),
    );
    let mut t = Table::new(&SHIFT_COLUMNS).align(6, Align::Left);
    for row in shift_rows(r) {
        t.row(row);
    }
    out.push_str(&t.render());
    if !r.uncovered.is_empty() {
        out.push_str(&format!(
            "\n{} interval(s) have demand that no shift template can cover:\n",
            r.uncovered.len()
        ));
        for u in &r.uncovered {
            out.push_str(&format!(
                "  {} {}: {} agents required\n",
                r.grid.interval_label(u.day, &u.start),
                u.group,
                u.required
            ));
        }
        for reason in uncovered_reasons(r) {
            out.push_str(&crate::report::wrap(&reason, 100));
            out.push('\n');
        }
    }
    out.push_str(&crate::report::wrap(
        &format!(
            "\nPer interval, all groups. {COVERAGE_DEFINITION} Simulated with {}, seed {}, with \
             shrinkage taken out of every group; service level = {}; {}.\n",
            crate::error::plural(u64::from(r.simulated.replications), "replication"),
            r.simulated.seed,
            match (sl.definition, goals.several()) {
                (crate::model::SlDefinition::Offered, false) => "answered within target / offered",
                (crate::model::SlDefinition::Answered, false) => "answered within target / answered",
                (_, true) => "answered within their channel's target / all contacts its goal counts",
            },
            if goals.several() {
                "below goal: a call type of the interval below its own channel's goal".to_string()
            } else {
                format!(
                    "goal {} within {}{}",
                    crate::report::goal_percent(sl.goal),
                    format_duration(sl.target),
                    if several_types { ", judged per call type" } else { "" }
                )
            },
        ),
        100,
    ));
    let n_intervals = r.grid.per_day * r.grid.days;
    let n_groups = r.intervals.len().checked_div(n_intervals).unwrap_or(0);
    let mut c = Table::new(&["Interval", "Required", "On duty", "Over/under", "Service level", ""])
        .align(5, Align::Left);
    for (idx, total) in r.simulated.interval_totals.iter().enumerate() {
        let rows = &r.intervals[idx * n_groups..(idx + 1) * n_groups];
        let required: u32 = rows.iter().map(|x| x.required).sum();
        let on_duty: u32 = rows.iter().map(|x| x.on_duty).sum();
        let short = rows.iter().any(|x| x.on_duty < x.required);
        let s = &total.stats.service_level;
        let cells = r.simulated.intervals.get(idx * n_types..(idx + 1) * n_types).unwrap_or_default();
        let below_here: Vec<&str> =
            cells.iter().filter(|i| goals.is_below(i)).map(|i| i.call_type.as_str()).collect();
        let lines_bind = (r.lines_bind.iter()).any(|b| b.day == total.day && b.start == total.start);
        let flag = match (short, below_here.is_empty(), lines_bind) {
            (true, false, _) => "under-covered, below goal",
            (true, true, _) => "under-covered",
            (false, false, true) => "below goal, lines bind",
            (false, false, false) => "below goal",
            (false, true, _) => "",
        };
        c.row([
            r.grid.interval_label(total.day, &total.start),
            required.to_string(),
            on_duty.to_string(),
            format!("{:+}", i64::from(on_duty) - i64::from(required)),
            percent_estimate(s),
            if several_types && !below_here.is_empty() {
                format!("{flag} ({})", below_here.join(", "))
            } else {
                flag.to_string()
            },
        ]);
    }
    out.push_str(&c.render());
    out.push_str(&format!(
        "\nOverall simulated service level: {} (± 95% half-width)\n",
        percent_estimate(&r.simulated.overall.service_level)
    ));
    out.push_str(&lines_bind_note(r));
    if let Some(note) = crate::report::cut_interval_note(&out) {
        out.push_str(note);
    }
    out
}

/// Where the telephone lines bound the requirement, as `staff` says it (nothing where they
/// bound nowhere): there no plan meets the goal with these lines, whatever its headcount.
pub fn lines_bind_note(r: &ScheduleReport) -> String {
    let intervals: Vec<(usize, &str)> =
        r.simulated.interval_totals.iter().map(|t| (t.day, t.start.as_str())).collect();
    let mut groups: Vec<&str> = Vec::new();
    for row in &r.intervals {
        if !groups.contains(&row.group.as_str()) {
            groups.push(&row.group);
        }
    }
    crate::report::staffing::lines_bind_note(&r.lines_bind, groups, &intervals, &r.grid)
}

/// What the required and on-duty agents of a schedule count, as its table, report and chart say
/// it: paid heads, so shrinkage is in both, and cover as the optimiser counts it.
pub const COVERAGE_DEFINITION: &str = "Required and on duty are scheduled (paid) agents, shrinkage \
     included in both; on duty = the plan's agents logged in and not on break for the whole interval, \
     as the optimiser counts cover (a whole number, not the simulation's time-average).";

#[cfg(test)]
mod tests {
    #[test]
    fn days_read_as_runs_of_numbers_or_within_a_week_of_weekdays() {
        assert_eq!(super::day_ranges(&[1, 2, 3, 5, 7], 7, None), "1-3,5,7");
        assert_eq!(super::day_ranges(&[4], 7, None), "4");
        assert_eq!(super::day_ranges(&[1, 2, 4, 5, 6], 7, None), "1-2,4-6");
        assert_eq!(super::day_ranges(&[], 7, None), "");
        // Day 1 a Monday; then a week from a Thursday; a fortnight names days by number.
        assert_eq!(super::day_ranges(&[1, 2, 3, 4, 5], 6, Some(0)), "Mon-Fri");
        assert_eq!(super::day_ranges(&[1, 2, 3, 5, 7], 7, Some(3)), "Thu-Sat,Mon,Wed");
        assert_eq!(super::day_ranges(&[1, 2, 3], 14, Some(0)), "1-3");
    }

    #[test]
    fn the_solver_line_shows_a_gap_below_a_tenth_of_a_percent_in_the_style_of_the_requested_gap() {
        let solver = |gap: f64| super::SolverOut {
            best_bound: Some(100.0),
            gap: Some(gap),
            mip_gap: 0.005,
            seconds: 1.3,
            variables: 10,
            constraints: 5,
            parts: 1,
        };
        let line = |gap: f64| super::status_text(super::SolveStatus::GapLimit, &solver(gap));
        assert_eq!(line(0.000495), "within the 0.50% gap: 0.05% above the bound (1.3 s)");
        assert_eq!(line(0.0141), "within the 0.50% gap: 1.41% above the bound (1.3 s)");
        assert_eq!(line(0.0), "within the 0.50% gap: 0.00% above the bound (1.3 s)");
        assert_eq!(line(3e-7), "within the 0.50% gap: <0.01% above the bound (1.3 s)");
        let stopped = super::status_text(super::SolveStatus::TimeLimit, &solver(0.0204));
        assert_eq!(stopped, "best plan found, not proven within 0.50%: 2.04% above the bound (1.3 s)");
    }
}
