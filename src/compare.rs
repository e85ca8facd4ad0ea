//! Comparing shift plans fairly: every plan is simulated on the same seeds, so each
//! replication meets the same callers (arrival times, handle times, patience, follow-ups)
//! whatever the plan. The difference between two plans is then estimated from per-replication
//! *paired* differences, whose confidence interval is much narrower than that of two
//! independent runs: what differs comes from the plans, not from noise.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::metrics::CallStats;
use crate::model::{Scenario, ServiceLevelGoal, ShiftPlan};
use crate::replicate::{self, Options, Replication, Summarizer};
use crate::stats::{Estimate, RatioDifferenceTally, Tally};
use crate::summary::{
    CallTypeSummary, ChannelGoals, ChannelSummary, GridInfo, IntervalSummary, IntervalTotal, Summary,
};
use crate::time::format_duration;

/// A plan to compare.
#[derive(Clone, Debug)]
pub struct PlanInput {
    /// Name shown in reports.
    pub name: String,
    /// The file it came from (`None`: the scenario's own plan).
    pub file: Option<PathBuf>,
    /// The plan.
    pub plan: ShiftPlan,
}

/// Plans compared on one scenario (the `compare --format json` contract).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Scenario name.
    pub scenario: String,
    /// Replications per plan.
    pub replications: u32,
    /// Base seed, shared by every plan.
    pub seed: u64,
    /// Share of each plan's agents simulated as shrinkage (off the phones); 0 when every agent
    /// took calls.
    #[serde(default)]
    pub shrinkage_applied: f64,
    /// The objective.
    pub service_level: ServiceLevelGoal,
    /// The interval grid, so charts can label time.
    pub grid: GridInfo,
    /// Each plan's results.
    pub plans: Vec<PlanResult>,
    /// Each plan after the first against the first.
    pub differences: Vec<Difference>,
    /// How the costs were priced where no template of the work's own length gives the rate
    /// and the group's templates differ in rate (see [`pricing_notes`]); for the reports, not
    /// the JSON.
    #[serde(skip)]
    pub pricing_notes: Vec<String>,
}

/// One plan's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanResult {
    /// Plan name.
    pub name: String,
    /// Plan file, `null` for the scenario's own plan.
    pub file: Option<String>,
    /// Paid agent-hours over the scenario.
    pub paid_hours: f64,
    /// Paid hours times each group's `cost_per_hour` (from its shift templates); `null` when
    /// a group has no cost.
    pub cost: Option<f64>,
    /// Busy time / on-duty time of all groups.
    pub occupancy: Estimate,
    /// All contacts.
    pub overall: CallStats<Estimate>,
    /// The risk of missing the goal, all contacts (scenarios with `[uncertainty]` or
    /// `[[events]]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<crate::risk::Risk>,
    /// Per call type.
    pub call_types: Vec<CallTypeSummary>,
    /// Per channel, each against its own goal, as `simulate` has them; only for a scenario of
    /// several channels (with one, it would repeat `overall`).
    #[serde(default, skip_serializing_if = "ChannelSummary::at_most_one")]
    pub channels: Vec<ChannelSummary>,
    /// Per interval and call type.
    pub intervals: Vec<IntervalSummary>,
    /// Per interval, all call types together.
    pub interval_totals: Vec<IntervalTotal>,
    /// Busy signals and line use, as `simulate` has them; only when the scenario has telephone
    /// lines. With callbacks below, they close each plan's balance: offered = answered +
    /// abandoned + unanswered at close + blocked + callbacks failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<crate::summary::LinesSummary>,
    /// Callback figures, as `simulate` has them; only when a call type offers callbacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<crate::summary::CallbacksSummary>,
    /// Intervals (with calls) whose mean service level is below the goal, as `HH:MM`, with
    /// `day N` in multi-day scenarios and the call type when there are several; each call type
    /// against its own channel's goal ([`crate::summary::ChannelGoals::below`]).
    pub intervals_below_goal: Vec<String>,
}

impl Comparison {
    /// Each channel of the scenario with its goal (the first plan's figures), when the
    /// contacts come by several channels; empty with one.
    pub fn channels(&self) -> &[ChannelSummary] {
        self.plans
            .first()
            .map_or(&[], |p| if ChannelSummary::at_most_one(&p.channels) { &[] } else { &p.channels })
    }
}

impl PlanResult {
    /// The goals its contacts are judged against, `scenario` being the scenario's own.
    pub fn goals(&self, scenario: ServiceLevelGoal) -> ChannelGoals<'_> {
        ChannelGoals { scenario, channels: &self.channels, call_types: &self.call_types }
    }

    /// The intervals below the goal ([`ChannelGoals::below`]), in grid order, each named as
    /// `grid` names it (`Mon 08:30` or `day 1 08:30`), with its call type when the scenario has
    /// several.
    pub fn below_goal_labels(&self, scenario: ServiceLevelGoal, grid: &GridInfo) -> Vec<String> {
        let several_types = self.call_types.len() > 1;
        self.goals(scenario)
            .below(&self.intervals)
            .cells
            .into_iter()
            .map(|i| {
                let when = grid.interval_label(i.day, &i.start);
                if several_types { format!("{when} {}", i.call_type) } else { when }
            })
            .collect()
    }
}

/// `plan` minus `against`, replication by replication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// The plan.
    pub plan: String,
    /// The plan it is compared with (the first).
    pub against: String,
    /// Paid agent-hours, plan minus against.
    pub paid_hours: f64,
    /// Cost, plan minus against (`null` when either has no cost).
    pub cost: Option<f64>,
    /// Occupancy difference.
    pub occupancy: Estimate,
    /// Paired differences of every statistic, all contacts.
    pub overall: CallStats<Estimate>,
    /// Probability of meeting the goal, plan minus against: the mean of the per-replication
    /// differences of "the day meets the goal" (1 or 0), with its Student-t 95% half-width
    /// (scenarios with `[uncertainty]` or `[[events]]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_meet_goal: Option<Estimate>,
    /// With telephone lines: the paired differences of the busy signals, as `lines` of a plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<crate::summary::LinesSummary>,
    /// With callbacks: the paired differences of the callback figures, as `callbacks` of a plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<crate::summary::CallbacksSummary>,
    /// Per call type.
    pub call_types: Vec<CallTypeSummary>,
    /// Per channel, paired differences; only for a scenario of several channels.
    #[serde(default, skip_serializing_if = "ChannelSummary::at_most_one")]
    pub channels: Vec<ChannelSummary>,
    /// Per interval and call type.
    pub intervals: Vec<IntervalSummary>,
}

/// Simulates every plan with the same replications and seed and compares each with the first.
/// `shrinkage` of each plan's agents are taken off the phones (0: all take calls); paid hours and
/// cost count every agent. `progress` is called once per finished replication of any plan.
///
/// # Errors
/// When the thread pool cannot be built.
pub fn compare(
    scenario: &Scenario,
    plans: &[PlanInput],
    options: &Options,
    shrinkage: f64,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<Comparison> {
    let comparing = Comparing::new(scenario, plans, shrinkage);
    let simulated = comparing.simulated.clone();
    let comparing =
        replicate::run_fold_paired(&simulated, options, progress, comparing, |c, records| c.add(&records))?;
    Ok(comparing.finish(options))
}

/// A comparison being folded, replication by replication: each plan's figures, and each later
/// plan's paired differences from the first (the same callers meet every plan in replication
/// r). [`compare`] feeds it from the engine; `ccsim merge` from the parts of a sharded run.
pub struct Comparing<'a> {
    scenario: &'a Scenario,
    plans: &'a [PlanInput],
    shrinkage: f64,
    with_plans: Vec<Scenario>,
    /// The scenarios the engine runs: each plan net of shrinkage, in the plans' order.
    pub simulated: Vec<Scenario>,
    summarizers: Vec<Summarizer>,
    paired: Vec<Summarizer<RatioDifferenceTally>>,
    /// Per later plan: its replication's "meets the goal" minus the first plan's, paired by
    /// replication (the difference of the probabilities of meeting the goal).
    paired_meet: Vec<Tally>,
}

impl<'a> Comparing<'a> {
    /// An empty comparison of `plans` on `scenario`.
    pub fn new(scenario: &'a Scenario, plans: &'a [PlanInput], shrinkage: f64) -> Comparing<'a> {
        let with_plans: Vec<Scenario> = plans
            .iter()
            .map(|input| scenario.with_plan(ShiftPlan { name: input.name.clone(), ..input.plan.clone() }))
            .collect();
        let simulated: Vec<Scenario> =
            with_plans.iter().map(|s| replicate::on_the_phones(s, shrinkage)).collect();
        let summarizers = simulated.iter().map(Summarizer::new).collect();
        let paired = simulated.iter().skip(1).map(Summarizer::new).collect();
        let paired_meet = vec![Tally::default(); simulated.len().saturating_sub(1)];
        Comparing { scenario, plans, shrinkage, with_plans, simulated, summarizers, paired, paired_meet }
    }

    /// Adds replication r of every plan (in the plans' order), in replication order.
    pub fn add(&mut self, records: &[Replication]) {
        for (summarizer, rep) in self.summarizers.iter_mut().zip(records) {
            summarizer.add(rep);
        }
        let scenario = self.scenario;
        let meets =
            |rep: &Replication| f64::from(u8::from(crate::risk::meets_goal(scenario, rep) == Some(true)));
        if let Some((base, others)) = records.split_first() {
            for ((summarizer, tally), rep) in
                self.paired.iter_mut().zip(self.paired_meet.iter_mut()).zip(others)
            {
                summarizer.add_paired(rep, base);
                if base.overall.stats.service_level.is_finite() && rep.overall.stats.service_level.is_finite()
                {
                    tally.add(meets(rep) - meets(base));
                }
            }
        }
    }

    /// The comparison of the replications added, run with `options`' seed and replications.
    pub fn finish(&self, options: &Options) -> Comparison {
        let (scenario, plans, shrinkage) = (self.scenario, self.plans, self.shrinkage);
        let summaries: Vec<Summary> = self
            .summarizers
            .iter()
            .zip(&self.with_plans)
            .map(|(s, with_plan)| replicate::net_summary(s, with_plan, shrinkage, options.seed))
            .collect();
        let paired = &self.paired;
        let results: Vec<PlanResult> = plans
            .iter()
            .zip(summaries)
            .map(|(input, summary)| {
                let mut result = PlanResult {
                    name: input.name.clone(),
                    file: input.file.as_ref().map(|f| f.display().to_string()),
                    paid_hours: summary.paid_hours,
                    cost: input.plan.cost(&scenario.shift_templates, &scenario.grid),
                    occupancy: summary.occupancy,
                    overall: summary.overall,
                    risk: summary.risk,
                    call_types: summary.call_types,
                    channels: summary.channels,
                    intervals: summary.intervals,
                    interval_totals: summary.interval_totals,
                    lines: summary.lines,
                    callbacks: summary.callbacks,
                    intervals_below_goal: Vec::new(),
                };
                // By day number even when the scenario names weekdays: the JSON's form.
                let days = GridInfo { first_weekday: None, ..GridInfo::of(&scenario.grid) };
                result.intervals_below_goal = result.below_goal_labels(scenario.goal(), &days);
                result
            })
            .collect();
        let risky = crate::risk::models_bad_days(scenario);
        let differences = paired
            .iter()
            .zip(&self.paired_meet)
            .zip(results.iter().skip(1))
            .map(|((diffs, meet), result)| {
                let mut d = difference(&results[0], result, &diffs.finish(scenario, options.seed));
                d.p_meet_goal = risky.then(|| meet.estimate(crate::stats::CONFIDENCE));
                d
            })
            .collect();
        Comparison {
            grid: GridInfo::of(&scenario.grid),
            scenario: scenario.name.clone(),
            replications: options.replications,
            seed: options.seed,
            shrinkage_applied: shrinkage,
            service_level: scenario.goal(),
            plans: results,
            differences,
            pricing_notes: pricing_notes(scenario, plans),
        }
    }
}

/// One sentence per group and shift length (or the group's staffing vectors) that a plan's
/// cost prices at a rate borrowed from another template, naming the plans: a manager who adds
/// a 6-hour shift where the templates are 8h30m and 4h should see which of their rates it got.
pub fn pricing_notes(scenario: &Scenario, plans: &[PlanInput]) -> Vec<String> {
    let mut notes: Vec<(crate::model::BorrowedRate, Vec<&str>)> = Vec::new();
    for input in plans {
        for b in input.plan.borrowed_rates(&scenario.shift_templates) {
            match notes.iter_mut().find(|(n, _)| n.group == b.group && n.length == b.length) {
                Some((_, names)) => names.push(&input.name),
                None => notes.push((b, vec![&input.name])),
            }
        }
    }
    notes
        .into_iter()
        .map(|(b, names)| {
            let group = &scenario.agent_groups[b.group.idx()].name;
            let lengths: Vec<String> = b.template.lengths.iter().map(|&l| format_duration(l)).collect();
            let rate = format!(
                "{:.2} an hour, the rate of their first template ({})",
                b.template.cost_per_hour,
                lengths.join(", ")
            );
            let what = match b.length {
                Some(length) => format!(
                    "{} shifts of {group} are priced at {rate}: none of their templates is that long",
                    format_duration(length)
                ),
                None => format!("The staffing vectors of {group} are priced at {rate}"),
            };
            format!("{what} ({}).", names.join(", "))
        })
        .collect()
}

/// `result` minus `base_result`, from the summary of per-replication differences.
fn difference(base_result: &PlanResult, result: &PlanResult, diffs: &Summary) -> Difference {
    Difference {
        plan: result.name.clone(),
        against: base_result.name.clone(),
        paid_hours: result.paid_hours - base_result.paid_hours,
        cost: result.cost.zip(base_result.cost).map(|(a, b)| a - b),
        occupancy: diffs.occupancy,
        overall: diffs.overall,
        p_meet_goal: None,
        lines: diffs.lines.clone(),
        callbacks: diffs.callbacks.clone(),
        // Risk figures of differences mean nothing; the paired difference is `p_meet_goal`.
        call_types: diffs.call_types.iter().cloned().map(|c| CallTypeSummary { risk: None, ..c }).collect(),
        channels: diffs.channels.clone(),
        intervals: diffs.intervals.iter().cloned().map(|i| IntervalSummary { risk: None, ..i }).collect(),
    }
}
