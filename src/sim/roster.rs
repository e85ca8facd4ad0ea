//! From a shift plan to agents and their timeline: who logs in, goes on break and logs out
//! when. Shift agents get one record per worked day; a staffing-vector group gets a pool as
//! large as its peak headcount, driven by headcount changes at interval boundaries. The
//! replication's [`BadDay`] removes absent agents and pulls agents off the phones.

use crate::bad_day::BadDay;
use crate::model::{AgentGroupId, Scenario};
use crate::sim::event::Event;
use crate::time::SimTime;

/// The agents of a run and the events that drive their schedule.
#[derive(Clone, Debug, Default)]
pub struct Roster {
    /// Group of each agent record.
    pub agent_group: Vec<AgentGroupId>,
    /// Per group: the pool of agent records driven by a staffing vector (empty for shifts).
    pub staffing_pool: Vec<Vec<u32>>,
    /// Scheduled events: log-ins, breaks, log-outs, headcount changes.
    pub timeline: Vec<(SimTime, Event)>,
    /// Time of the last event that can bring an agent on duty; after it, and past the
    /// horizon, a center with nobody logged in is closed.
    pub last_supply: SimTime,
}

impl Roster {
    /// Builds the roster of `scenario.plan` as worked on `bad_day`.
    pub fn new(scenario: &Scenario, bad_day: &mut BadDay) -> Roster {
        let grid = &scenario.grid;
        let mut roster =
            Roster { staffing_pool: vec![Vec::new(); scenario.agent_groups.len()], ..Roster::default() };
        // Shift agents as (agent, log-in, shift), kept only when agents are pulled off.
        let track = !bad_day.pulls().is_empty();
        let mut records = Vec::new();
        for (k, shift) in scenario.plan.shifts.iter().enumerate() {
            for log_in in shift.log_ins(grid) {
                let log_out = log_in + shift.length;
                if log_out <= 0.0 {
                    continue;
                }
                for _ in 0..shift.agents {
                    if bad_day.absent() {
                        continue;
                    }
                    let agent = roster.agent_group.len() as u32;
                    roster.agent_group.push(shift.group);
                    roster.timeline.push((log_in.max(0.0), Event::LogIn(agent)));
                    for brk in &shift.breaks {
                        let at = log_in + brk.offset;
                        if at >= 0.0 {
                            let length_s = brk.length.round() as u32;
                            roster.timeline.push((at, Event::BreakStart { agent, length_s }));
                        }
                    }
                    roster.timeline.push((log_out, Event::LogOut(agent)));
                    roster.last_supply = roster.last_supply.max(log_in);
                    if track {
                        records.push((agent, log_in, k));
                    }
                }
            }
        }
        if track {
            roster.pull_off_the_phones(scenario, bad_day, &records);
        }
        for staffing in &scenario.plan.staffing {
            let g = staffing.group;
            let peak = staffing.agents.iter().copied().max().unwrap_or(0);
            for _ in 0..peak {
                roster.staffing_pool[g.idx()].push(roster.agent_group.len() as u32);
                roster.agent_group.push(g);
            }
            let mut current = 0;
            for (idx, &planned) in staffing.agents.iter().enumerate() {
                let agents = bad_day.on_duty(g.idx(), grid.day_of(idx), idx, planned);
                if agents != current {
                    roster.timeline.push((grid.start_of(idx), Event::Staffing { group: g, agents }));
                    if agents > current {
                        roster.last_supply = roster.last_supply.max(grid.start_of(idx));
                    }
                    current = agents;
                }
                let gap_follows = idx + 1 == grid.len() || grid.start_of(idx + 1) > grid.end_of(idx) + 1e-9;
                if gap_follows && current > 0 {
                    roster.timeline.push((grid.end_of(idx), Event::Staffing { group: g, agents: 0 }));
                    current = 0;
                }
            }
        }
        roster
    }

    /// Sends agents of shift groups on a break for the length of each pull: the first agents
    /// of the group on shift at its start and not on a scheduled break then (an agent busy
    /// with a call leaves after it; one on a break stays off until the pull ends). A scheduled
    /// break falling inside the pull is not taken.
    /// `records` holds (agent, log-in, shift index) of every shift agent.
    fn pull_off_the_phones(
        &mut self,
        scenario: &Scenario,
        bad_day: &BadDay,
        records: &[(u32, SimTime, usize)],
    ) {
        for &(group, from, until, agents) in bad_day.pulls() {
            let available = records.iter().filter(|&&(agent, log_in, k)| {
                let shift = &scenario.plan.shifts[k];
                let on_break = shift.breaks.iter().any(|b| {
                    let at = log_in + b.offset;
                    at <= from && from < at + b.length
                });
                self.agent_group[agent as usize].0 == group
                    && log_in <= from
                    && from < log_in + shift.length
                    && !on_break
            });
            for &(agent, log_in, k) in available.take(agents as usize) {
                let back = until.min(log_in + scenario.plan.shifts[k].length);
                let length_s = (back - from).round().max(1.0) as u32;
                self.timeline.push((from, Event::Pull { agent, length_s }));
            }
        }
    }
}
