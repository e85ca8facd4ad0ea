//! Skill-based routing, decided from tables built once per run.
//!
//! Rules (also in docs/engine.md, "Routing"):
//! - An arriving call goes to an idle agent of a group that has its skill; groups that list
//!   the skill earlier are preferred, and among equally preferred groups the agent idle the
//!   longest takes it. A skill with `after = D` lets its group take the call only once it has
//!   waited D (overflow).
//! - An agent who becomes free takes, among the call types it has skills for whose oldest
//!   waiting call is eligible, the one with the highest call-type priority; ties go to the
//!   agent's earlier skill, and within a call type the longest-waiting call goes first (FIFO).
//! - Email skills are not in that choice: an agent takes an email only when no voice or chat
//!   contact may go to it, by the same rule among its email skills ([`crate::sim::email`]).

use crate::model::{Channel, Scenario};
use crate::sim::event::CallIdx;
use crate::time::{Seconds, SimTime};

/// A group that can take a call type, with how much it prefers it.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Server {
    /// The group.
    pub group: u16,
    /// Position of the call type in the group's skill list (0 = its first skill).
    pub rank: u16,
    /// Minimum wait before this group may take the call.
    pub after: Seconds,
}

/// A call type an agent group can take, as the group sees it.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct GroupSkill {
    /// The call type.
    pub call_type: u16,
    /// Minimum wait before this group may take the call.
    pub after: Seconds,
    /// The call type's priority.
    pub priority: i32,
}

/// Routing tables of a scenario.
#[derive(Clone, Debug)]
pub struct Routing {
    /// Per call type: groups that can take it, by (rank, group index).
    pub servers: Vec<Vec<Server>>,
    /// Per call type: the distinct positive `after` thresholds, ascending.
    pub overflow_steps: Vec<Vec<Seconds>>,
    /// Per group: its real-time (voice and chat) skills in preference order.
    pub skills: Vec<Vec<GroupSkill>>,
}

impl Routing {
    /// Builds the tables.
    pub fn new(scenario: &Scenario) -> Routing {
        let n_types = scenario.call_types.len();
        let mut servers = vec![Vec::new(); n_types];
        let mut skills = Vec::with_capacity(scenario.agent_groups.len());
        for (g, group) in scenario.agent_groups.iter().enumerate() {
            let mut list = Vec::with_capacity(group.skills.len());
            for (rank, skill) in group.skills.iter().enumerate() {
                let ct = skill.call_type.idx();
                servers[ct].push(Server { group: g as u16, rank: rank as u16, after: skill.after });
                // A free agent looks at its email skills only when no real-time contact may go
                // to it ([`crate::sim::email`]).
                if scenario.call_types[ct].channel == Channel::Email {
                    continue;
                }
                list.push(GroupSkill {
                    call_type: ct as u16,
                    after: skill.after,
                    priority: scenario.call_types[ct].priority,
                });
            }
            skills.push(list);
        }
        for list in &mut servers {
            list.sort_by_key(|s| (s.rank, s.group));
        }
        let overflow_steps = servers
            .iter()
            .map(|list| {
                let mut steps: Vec<Seconds> = list.iter().map(|s| s.after).filter(|a| *a > 0.0).collect();
                steps.sort_by(f64::total_cmp);
                steps.dedup();
                steps
            })
            .collect();
        Routing { servers, overflow_steps, skills }
    }
}

impl Routing {
    /// The group whose longest-idle agent should take a call of `ct` that has waited
    /// `waited`: the most preferring group first, then the agent idle the longest.
    ///
    /// `longest_idle(g)` is the instant group `g`'s longest-idle agent became idle, or `None`
    /// when it has none; it is asked about groups in preference order and only while the
    /// answer can still change. (The engine takes a call type served by one group, the
    /// common case, through [`Routing::sole_group`] without asking.)
    #[inline]
    pub fn group_for_call(
        &self,
        ct: usize,
        waited: Seconds,
        mut longest_idle: impl FnMut(usize) -> Option<SimTime>,
    ) -> Option<usize> {
        let mut best: Option<(u16, SimTime, usize)> = None;
        for &server in &self.servers[ct] {
            if server.after > waited {
                continue;
            }
            if let Some((rank, _, _)) = best
                && server.rank > rank
            {
                break;
            }
            let g = usize::from(server.group);
            if let Some(since) = longest_idle(g)
                && best.is_none_or(|(_, best_since, _)| since < best_since)
            {
                best = Some((server.rank, since, g));
            }
        }
        best.map(|(_, _, g)| g)
    }

    /// When only one group serves `ct` (the common case: no preference to weigh), that group
    /// if a call that has waited `waited` may go to it (`Some(None)` when it may not yet);
    /// `None` when several groups serve `ct`.
    #[inline]
    pub fn sole_group(&self, ct: usize, waited: Seconds) -> Option<Option<usize>> {
        match &self.servers[ct][..] {
            &[server] => Some((server.after <= waited).then_some(usize::from(server.group))),
            _ => None,
        }
    }

    /// The waiting call a free agent of group `g` should take at `now`, if any: always the
    /// front of its call type's queue.
    ///
    /// `oldest_waiting(ct)` is the oldest call of `ct` still waiting, with its arrival instant.
    #[inline(always)]
    pub fn call_for_agent(
        &self,
        g: usize,
        now: SimTime,
        oldest_waiting: impl FnMut(usize) -> Option<(CallIdx, SimTime)>,
    ) -> Option<CallIdx> {
        call_among(&self.skills[g], now, oldest_waiting)
    }
}

/// The waiting call an agent with `skills` (in its preference order) should take at `now`:
/// the highest call-type priority among the call types whose oldest waiting call is eligible,
/// ties to the earlier skill. The rule of [`Routing::call_for_agent`], also used for a chat
/// agent's free slot (its chat skills only).
#[inline(always)]
pub fn call_among(
    skills: &[GroupSkill],
    now: SimTime,
    mut oldest_waiting: impl FnMut(usize) -> Option<(CallIdx, SimTime)>,
) -> Option<CallIdx> {
    // A group with one skill takes its oldest eligible call: no priorities to weigh.
    if let &[skill] = skills {
        let (call, arrival) = oldest_waiting(usize::from(skill.call_type))?;
        return (now - arrival >= skill.after).then_some(call);
    }
    let mut best: Option<(i32, CallIdx)> = None;
    for &skill in skills {
        if best.is_some_and(|(priority, _)| skill.priority <= priority) {
            continue;
        }
        if let Some((call, arrival)) = oldest_waiting(usize::from(skill.call_type))
            && now - arrival >= skill.after
        {
            best = Some((skill.priority, call));
        }
    }
    best.map(|(_, call)| call)
}
