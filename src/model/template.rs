//! Shift templates that cannot be invalid, and what shifts cost.
//!
//! A [`ShiftTemplate`] is built only by [`ShiftTemplate::new`], which holds the one set of rules
//! (the scenario file's validation names the same rules with file locations first), so the
//! optimiser takes templates as they are: every template produces at least one shift whose
//! breaks fit. Reading a template reads its [`ShiftTemplateSpec`]; changing one means building a
//! new one.

use std::ops::Deref;

use crate::model::{AgentGroupId, Shift, ShiftPlan, ShiftTemplateSpec};
use crate::time::{DAY, IntervalGrid, Seconds, format_duration, is_whole_minutes};

/// Why a template's duration that places shifts or breaks at clock times is refused.
pub fn not_whole_minutes(secs: f64, placed: &str) -> String {
    format!(
        "{} is not a whole number of minutes; it places {placed}, which are clock times HH:MM",
        format_duration(secs)
    )
}

/// A checked [`ShiftTemplateSpec`].
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftTemplate(ShiftTemplateSpec);

/// Why a template was refused: the field and what was wrong with it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct TemplateError {
    /// The field, as in the scenario file (`step`, `lengths`, `breaks[1]`, `cost_per_hour`, ...).
    pub field: String,
    /// What was wrong and what is allowed.
    pub message: String,
}

impl ShiftTemplate {
    /// Checks `spec`: a positive step; at least one length, each above 0 and at most 24 hours;
    /// the step, the lengths and the breaks' `earliest` and `length` whole minutes (they place
    /// clock times);
    /// each break positive, with `earliest` from 0 up
    /// to `latest`, fitting in the longest shift; a `cost_per_hour` within [`COST_PER_HOUR`](crate::limits::COST_PER_HOUR); a
    /// `max_agents` of at least 1 when given. (A `latest_start` before `earliest_start` wraps
    /// past midnight; scenario files refuse it, to catch typos, unless the grid's days run past
    /// midnight to it: from 22:00 to 02:00 on nights from 22:00.)
    ///
    /// # Errors
    /// The first rule broken.
    pub fn new(spec: ShiftTemplateSpec) -> Result<ShiftTemplate, TemplateError> {
        let bad = |field: &str, message: String| Err(TemplateError { field: field.to_string(), message });
        if !(spec.step.is_finite() && spec.step > 0.0) {
            return bad("step", format!("must be a positive duration, got {}", format_duration(spec.step)));
        }
        if !is_whole_minutes(spec.step) {
            return bad("step", not_whole_minutes(spec.step, "log-in times"));
        }
        if let Some((j, b)) = spec.breaks.iter().enumerate().find(|(_, b)| !is_whole_minutes(b.earliest)) {
            return bad(&format!("breaks[{j}].earliest"), not_whole_minutes(b.earliest, "break start times"));
        }
        if spec.lengths.is_empty() {
            return bad("lengths", "needs at least one shift length, e.g. [\"8h\"]".to_string());
        }
        if let Some(&l) = spec.lengths.iter().find(|&&l| !(l > 0.0 && l <= DAY)) {
            return bad(
                "lengths",
                format!("each must be more than 0 and at most 24h, got {}", format_duration(l)),
            );
        }
        if let Some(&l) = spec.lengths.iter().find(|&&l| !is_whole_minutes(l)) {
            return bad("lengths", not_whole_minutes(l, "log-out times"));
        }
        let longest = spec.lengths.iter().copied().fold(0.0, f64::max);
        for (j, b) in spec.breaks.iter().enumerate() {
            if !(b.length > 0.0
                && b.earliest >= 0.0
                && b.latest >= b.earliest
                && b.earliest + b.length <= longest)
            {
                return bad(
                    &format!("breaks[{j}]"),
                    format!(
                        "length must be positive, 0 <= earliest <= latest, and the break must fit in the \
                         longest shift ({}), got length {}, earliest {}, latest {}",
                        format_duration(longest),
                        format_duration(b.length),
                        format_duration(b.earliest),
                        format_duration(b.latest)
                    ),
                );
            }
        }
        if let Some((j, b)) = spec.breaks.iter().enumerate().find(|(_, b)| !is_whole_minutes(b.length)) {
            return bad(&format!("breaks[{j}].length"), not_whole_minutes(b.length, "the times breaks end"));
        }
        let (cheapest, dearest) = crate::limits::COST_PER_HOUR;
        if !(cheapest..=dearest).contains(&spec.cost_per_hour) {
            return bad(
                "cost_per_hour",
                format!("must be from {cheapest} to {dearest} (COST_PER_HOUR), got {}", spec.cost_per_hour),
            );
        }
        if spec.max_agents == Some(0) {
            return bad("max_agents", "must be at least 1 (omit it for no limit)".to_string());
        }
        Ok(ShiftTemplate(spec))
    }

    /// The template as given, to change and check again.
    pub fn spec(&self) -> ShiftTemplateSpec {
        self.0.clone()
    }
}

impl Deref for ShiftTemplate {
    type Target = ShiftTemplateSpec;

    fn deref(&self) -> &ShiftTemplateSpec {
        &self.0
    }
}

impl Shift {
    /// Cost of this block of shifts over the grid's days: its paid hours times the
    /// `cost_per_hour` of [`Shift::priced_by`]. `None` when the group has no template.
    pub fn cost(&self, templates: &[ShiftTemplate], grid: &IntervalGrid) -> Option<f64> {
        Some(self.priced_by(templates)?.cost_per_hour * self.paid_hours_on(grid))
    }

    /// The template whose rate prices this shift: the group's template of its length, else the
    /// group's first template. `None` when the group has no template.
    pub fn priced_by<'t>(&self, templates: &'t [ShiftTemplate]) -> Option<&'t ShiftTemplate> {
        let of_length = templates.iter().find(|t| t.group == self.group && t.lengths.contains(&self.length));
        of_length.or_else(|| first_template(templates, self.group))
    }
}

/// The group's first template: the rate of its staffing vectors and of its shifts of a length no
/// template has.
fn first_template(templates: &[ShiftTemplate], group: AgentGroupId) -> Option<&ShiftTemplate> {
    templates.iter().find(|t| t.group == group)
}

/// Work a plan prices at a rate no template of its own length gives: a shift of a length none of
/// its group's templates has, or a staffing vector (which has no shifts), where the group's
/// templates have more than one rate, so that which rate applies is a choice a reader should see.
#[derive(Clone, Debug, PartialEq)]
pub struct BorrowedRate {
    /// The group.
    pub group: AgentGroupId,
    /// The shift length, `None` for a staffing vector.
    pub length: Option<Seconds>,
    /// The template whose rate was taken: the group's first.
    pub template: ShiftTemplate,
}

impl ShiftPlan {
    /// Cost of the plan: each block of shifts as [`Shift::cost`], staffing vectors at their
    /// group's first template's `cost_per_hour`. `None` when a group in the plan has no template.
    pub fn cost(&self, templates: &[ShiftTemplate], grid: &IntervalGrid) -> Option<f64> {
        let rate = |group: AgentGroupId| first_template(templates, group).map(|t| t.cost_per_hour);
        let mut cost = 0.0;
        for shift in &self.shifts {
            cost += shift.cost(templates, grid)?;
        }
        for staffing in &self.staffing {
            let hours: f64 =
                staffing.agents.iter().map(|&a| f64::from(a)).sum::<f64>() * grid.length() / 3600.0;
            cost += rate(staffing.group)? * hours;
        }
        Some(cost)
    }

    /// Each group and shift length (or staffing vector) of the plan that [`ShiftPlan::cost`]
    /// prices at a rate borrowed from a template of another length, once, in plan order.
    pub fn borrowed_rates(&self, templates: &[ShiftTemplate]) -> Vec<BorrowedRate> {
        let mixed = |group: AgentGroupId| {
            let mut rates = templates.iter().filter(|t| t.group == group).map(|t| t.cost_per_hour);
            rates.next().is_some_and(|first| rates.any(|r| r != first))
        };
        let shifts = self.shifts.iter().filter_map(|s| {
            let exact = s.priced_by(templates)?.lengths.contains(&s.length);
            (!exact && mixed(s.group)).then_some((s.group, Some(s.length)))
        });
        let vectors = self.staffing.iter().filter(|v| mixed(v.group)).map(|v| (v.group, None));
        let mut borrowed: Vec<BorrowedRate> = Vec::new();
        for (group, length) in shifts.chain(vectors) {
            if borrowed.iter().any(|b| b.group == group && b.length == length) {
                continue;
            }
            if let Some(template) = first_template(templates, group) {
                borrowed.push(BorrowedRate { group, length, template: template.clone() });
            }
        }
        borrowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BreakRule, GroupStaffing};
    use crate::time::ClockTime;

    fn spec() -> ShiftTemplateSpec {
        ShiftTemplateSpec {
            group: AgentGroupId(0),
            earliest_start: ClockTime::parse("08:00").unwrap(),
            latest_start: ClockTime::parse("12:00").unwrap(),
            step: 1800.0,
            lengths: vec![4.0 * 3600.0],
            breaks: vec![BreakRule { length: 900.0, earliest: 3600.0, latest: 7200.0 }],
            cost_per_hour: 20.0,
            max_agents: None,
        }
    }

    #[test]
    fn a_template_is_refused_by_the_rules_of_the_scenario_file() {
        assert!(ShiftTemplate::new(spec()).is_ok());
        let refused = |change: fn(&mut ShiftTemplateSpec), field: &str| {
            let mut s = spec();
            change(&mut s);
            let e = ShiftTemplate::new(s).expect_err(field);
            assert_eq!(e.field, field, "{e}");
        };
        // A free template (cost 0) was accepted by the optimiser and refused by the file.
        refused(|s| s.cost_per_hour = 0.0, "cost_per_hour");
        refused(|s| s.cost_per_hour = f64::NAN, "cost_per_hour");
        refused(|s| s.cost_per_hour = 1e-12, "cost_per_hour");
        refused(|s| s.cost_per_hour = 1e200, "cost_per_hour");
        refused(|s| s.step = 0.0, "step");
        refused(|s| s.lengths = vec![4.0 * 3600.0 + 30.0], "lengths");
        refused(|s| s.breaks[0].length = 930.0, "breaks[0].length");
        refused(|s| s.lengths = Vec::new(), "lengths");
        refused(|s| s.lengths = vec![25.0 * 3600.0], "lengths");
        refused(|s| s.max_agents = Some(0), "max_agents");
        refused(|s| s.breaks[0].earliest = 4.0 * 3600.0, "breaks[0]");
        refused(|s| s.breaks[0].latest = 0.0, "breaks[0]");
    }

    #[test]
    fn a_shift_costs_its_paid_hours_at_its_templates_rate() {
        let grid = IntervalGrid::new(ClockTime::MIDNIGHT, 3600.0, 24, 2).unwrap();
        let templates = [ShiftTemplate::new(spec()).unwrap()];
        let start = ClockTime::parse("08:00").unwrap();
        let (length, breaks, days) = (4.0 * 3600.0, Vec::new(), Some(vec![2]));
        let shift = Shift { group: AgentGroupId(0), start, length, agents: 3, breaks, days };
        // 3 agents x 4 h x 1 day x 20 an hour.
        assert_eq!(shift.cost(&templates, &grid), Some(240.0));
        let plan = ShiftPlan { name: "p".into(), shifts: vec![shift], staffing: Vec::new() };
        assert_eq!(plan.cost(&templates, &grid), Some(240.0));
        let other = Shift { group: AgentGroupId(1), ..plan.shifts[0].clone() };
        assert_eq!(other.cost(&templates, &grid), None, "a group without a template has no cost");
    }

    #[test]
    fn work_priced_at_a_rate_of_another_length_is_named_only_where_the_rates_differ() {
        let grid = IntervalGrid::new(ClockTime::MIDNIGHT, 3600.0, 24, 1).unwrap();
        let hours = |h: f64| h * 3600.0;
        let template = |group: u16, length: f64, cost_per_hour: f64| {
            ShiftTemplate::new(ShiftTemplateSpec {
                group: AgentGroupId(group),
                lengths: vec![hours(length)],
                breaks: Vec::new(),
                cost_per_hour,
                ..spec()
            })
            .unwrap()
        };
        // Group 0: full days at 28, half days at 30. Group 1: two lengths, one rate.
        let templates =
            [template(0, 8.0, 28.0), template(0, 4.0, 30.0), template(1, 8.0, 38.0), template(1, 4.0, 38.0)];
        let shift = |group: u16, length: f64| Shift {
            group: AgentGroupId(group),
            start: ClockTime::parse("09:00").unwrap(),
            length: hours(length),
            agents: 2,
            breaks: Vec::new(),
            days: None,
        };
        let vector = GroupStaffing { group: AgentGroupId(0), agents: vec![1; 24] };
        let plan = ShiftPlan {
            name: "p".into(),
            shifts: vec![shift(0, 8.0), shift(0, 4.0), shift(0, 6.0), shift(0, 6.0), shift(1, 6.0)],
            staffing: vec![vector],
        };
        let borrowed: Vec<(u16, Option<f64>, f64)> = plan
            .borrowed_rates(&templates)
            .iter()
            .map(|b| (b.group.0, b.length.map(|l| l / 3600.0), b.template.cost_per_hour))
            .collect();
        // The 6-hour shifts of group 0 once; group 1's 6-hour shift has one rate to take.
        assert_eq!(borrowed, [(0, Some(6.0), 28.0), (0, None, 28.0)]);
        // The rate named is the rate charged: 2 agents x 6 h x 28.
        assert_eq!(plan.shifts[2].cost(&templates, &grid), Some(336.0));
    }
}
