//! Live chats: an agent of a group with `max_concurrency = K` holds up to K chats at once,
//! and while it holds `j` of them each drains its remaining work at `factors[j-1] / j` per
//! second ([`ChatConcurrency::rate_per_chat`]).
//!
//! The rate change is handled exactly: on every start or end of a chat on an agent, the
//! remaining work of its chats is brought up to now at the old rate, and ONE completion event
//! is scheduled for the agent's earliest-finishing chat at the new rate, stamped with the
//! agent's generation number; a popped [`Event::ChatEnd`] with a stale stamp is ignored. With
//! exponential work this is exactly the Markov chain of docs/channels.md.
//!
//! Routing of a new chat: among the groups that prefer the chat type most (as for calls), the
//! agent holding the fewest chats takes it, ties going to the agent who has held that many the
//! longest (for agents holding none: idle the longest, from the group's idle list, which
//! `state` keeps). Agents holding `j` chats (1 <= j < K) wait in a FIFO bucket per `j`, with
//! the lazy removal the idle lists use (an entry whose token is stale is dropped when met).
//!
//! An agent holding chats is busy for calls, and an agent on a call takes no chat: `state`
//! marks an agent with chats [busy](crate::sim::state), so the voice routing never sees it.
//!
//! Memory is fixed at the start: K slots per agent of a chat group, buckets reused (and
//! compacted in place when stale entries pile up). Nothing is allocated per chat. Without a
//! chat call type every table is empty and nothing here runs.

use std::collections::VecDeque;

use crate::model::{AgentGroupId, Channel, ChatConcurrency, Scenario};
use crate::sim::counts::{ChatTime, Counts};
use crate::sim::event::{AgentIdx, CallIdx, Event, EventQueue};
use crate::sim::routing::{GroupSkill, Server};
use crate::time::{Seconds, SimTime};

/// One chat held by an agent.
#[derive(Copy, Clone, Debug)]
struct Slot {
    call: CallIdx,
    /// Work left, in seconds at rate 1, as of the agent's `last_update`.
    remaining: Seconds,
}

const EMPTY_SLOT: Slot = Slot { call: 0, remaining: 0.0 };

/// An agent's chats.
#[derive(Copy, Clone, Debug)]
struct ChatAgent {
    /// Its agent group.
    group: u16,
    /// Its first slot in [`Chats::slots`] (its slots are `first_slot..first_slot + K`).
    first_slot: u32,
    /// Chats held now.
    held: u32,
    /// Stamp of the one pending [`Event::ChatEnd`]; bumped on every reschedule.
    generation: u32,
    /// Validity of the agent's bucket entry; bumped whenever it leaves its bucket.
    token: u32,
    /// Whether it takes more chats (not when a break or log-out is due after its chats).
    accepting: bool,
    /// When its slots' remaining work was last brought up to date.
    last_update: SimTime,
}

/// A group that takes chats.
#[derive(Clone, Debug)]
struct ChatGroup {
    max: u32,
    /// `rates[j]`: work drained per second from each of `j` chats held (`rates[0]` unused).
    rates: Vec<f64>,
    /// `buckets[j]` (1 <= j < max): agents holding `j` chats, in the order they came to hold
    /// `j`: (agent, token, since).
    buckets: Vec<VecDeque<(AgentIdx, u32, SimTime)>>,
    /// The group's chat skills, in its preference order (what a free slot takes).
    skills: Vec<GroupSkill>,
    /// A bucket longer than this is compacted (stale entries dropped in place).
    compact_above: usize,
    /// Chats held by the group's agents, and agents holding at least one.
    chats_held: u32,
    agents_chatting: u32,
    /// When the two counts above were last integrated.
    last_change: SimTime,
}

/// The chat slots of one replication.
#[derive(Clone, Debug, Default)]
pub struct Chats {
    /// Per call type: whether it is a chat.
    is_chat: Vec<bool>,
    /// Per agent record (every agent; only those of chat groups are used).
    agents: Vec<ChatAgent>,
    slots: Vec<Slot>,
    /// Per agent group: `Some` for groups that take chats.
    groups: Vec<Option<ChatGroup>>,
}

impl Chats {
    /// Slots for the agents of `scenario` (`agent_group[agent]` is each agent's group); empty
    /// when the scenario has no chat call type.
    pub fn new(scenario: &Scenario, agent_group: &[AgentGroupId], skills: &[Vec<GroupSkill>]) -> Chats {
        if !scenario.has_chat() {
            return Chats { is_chat: vec![false; scenario.call_types.len()], ..Chats::default() };
        }
        let is_chat: Vec<bool> = scenario.call_types.iter().map(|c| c.channel == Channel::Chat).collect();
        let mut members = vec![0usize; scenario.agent_groups.len()];
        for g in agent_group {
            members[g.idx()] += 1;
        }
        let groups = scenario
            .agent_groups
            .iter()
            .zip(skills)
            .zip(&members)
            .map(|((group, skills), &n)| {
                group.chat.as_ref().map(|c: &ChatConcurrency| ChatGroup {
                    max: c.max(),
                    rates: std::iter::once(0.0).chain((1..=c.max()).map(|j| c.rate_per_chat(j))).collect(),
                    buckets: (0..c.max()).map(|_| VecDeque::with_capacity(n.min(1024) + 1)).collect(),
                    skills: skills.iter().copied().filter(|s| is_chat[usize::from(s.call_type)]).collect(),
                    compact_above: 2 * n + 16,
                    chats_held: 0,
                    agents_chatting: 0,
                    last_change: 0.0,
                })
            })
            .collect::<Vec<_>>();
        let mut slots = Vec::new();
        let agents = agent_group
            .iter()
            .map(|g| {
                let first_slot = slots.len() as u32;
                if let Some(group) = &groups[g.idx()] {
                    slots.extend(std::iter::repeat_n(EMPTY_SLOT, group.max as usize));
                }
                ChatAgent {
                    group: g.0,
                    first_slot,
                    held: 0,
                    generation: 0,
                    token: 0,
                    accepting: true,
                    last_update: 0.0,
                }
            })
            .collect();
        Chats { is_chat, agents, slots, groups }
    }

    /// Whether call type `ct` is a chat.
    #[inline(always)]
    pub fn is_chat(&self, ct: usize) -> bool {
        // Without chats `groups` is empty and the engine, which asks this of every contact,
        // needs no lookup.
        !self.groups.is_empty() && self.is_chat[ct]
    }

    /// Per group: the time-integrals of chats held and of agents holding chats, zero for the
    /// groups that take no chats (empty without chats), as [`Counts::chat_time`] holds them.
    pub fn new_counts(&self) -> Vec<ChatTime> {
        if self.groups.iter().all(Option::is_none) {
            return Vec::new();
        }
        vec![ChatTime::default(); self.groups.len()]
    }

    /// The group of `servers` (a call type's servers, by preference) that should take a new
    /// chat that has waited `waited`, with how many chats its chosen agent holds: the most
    /// preferring groups first, then the fewest chats held, then the longest in that state.
    /// `idle(g)` is when group `g`'s longest-idle agent became idle (agents holding none).
    #[inline]
    pub fn pick_agent(
        &mut self,
        servers: &[Server],
        waited: Seconds,
        mut idle: impl FnMut(usize) -> Option<SimTime>,
    ) -> Option<(usize, u32)> {
        let mut best: Option<(u16, u32, SimTime, usize)> = None;
        for &server in servers {
            if server.after > waited {
                continue;
            }
            if let Some((rank, _, _, _)) = best
                && server.rank > rank
            {
                break;
            }
            let g = usize::from(server.group);
            let candidate = match idle(g) {
                Some(since) => Some((0, since)),
                None => self.least_loaded(g),
            };
            if let Some((held, since)) = candidate
                && best.is_none_or(|(_, h, s, _)| (held, since) < (h, s))
            {
                best = Some((server.rank, held, since, g));
            }
        }
        best.map(|(_, held, _, g)| (g, held))
    }

    /// The fewest chats an agent of group `g` with room holds (at least 1), and since when
    /// the first such agent holds that many; stale bucket entries met on the way are dropped.
    #[inline]
    fn least_loaded(&mut self, g: usize) -> Option<(u32, SimTime)> {
        let group = self.groups[g].as_mut()?;
        for (j, bucket) in group.buckets.iter_mut().enumerate().skip(1) {
            while let Some(&(agent, token, since)) = bucket.front() {
                if self.agents[agent as usize].token == token {
                    return Some((j as u32, since));
                }
                bucket.pop_front();
            }
        }
        None
    }

    /// Takes the agent [`pick_agent`](Self::pick_agent) chose in group `g` holding `held`
    /// chats (at least 1) out of its bucket.
    #[inline]
    pub fn take_from_bucket(&mut self, g: usize, held: u32) -> Option<AgentIdx> {
        let group = self.groups[g].as_mut()?;
        group.buckets[held as usize].pop_front().map(|(agent, _, _)| agent)
    }

    /// Agent `agent` starts a chat `call` with `work` seconds of work at rate 1. Returns
    /// whether it is the agent's first chat (it then stops being idle).
    #[inline]
    pub fn start(
        &mut self,
        agent: AgentIdx,
        call: CallIdx,
        work: Seconds,
        now: SimTime,
        events: &mut EventQueue,
        counts: &mut Counts,
    ) -> bool {
        let g = usize::from(self.agents[agent as usize].group);
        self.integrate(g, now, counts);
        let Some(group) = self.groups[g].as_mut() else { return false };
        let a = &mut self.agents[agent as usize];
        drain(a, &mut self.slots, group, now);
        let first = a.held == 0;
        if first {
            a.accepting = true;
            group.agents_chatting += 1;
        }
        debug_assert!(a.held < group.max, "agent {agent} is full");
        self.slots[(a.first_slot + a.held) as usize] = Slot { call, remaining: work };
        a.held += 1;
        group.chats_held += 1;
        a.token = a.token.wrapping_add(1);
        enter_bucket(agent, a, group, now);
        self.maybe_compact(g);
        self.reschedule(agent, g, now, events);
        first
    }

    /// Whether a popped [`Event::ChatEnd`] stamped `generation` is the agent's pending one.
    #[inline]
    pub fn is_current(&self, agent: AgentIdx, generation: u32) -> bool {
        self.agents[agent as usize].generation == generation
    }

    /// The agent's earliest-finishing chat ends: returns it and the chats the agent still
    /// holds. The others are rescheduled at the new rate.
    #[inline]
    pub fn finish(
        &mut self,
        agent: AgentIdx,
        g: usize,
        now: SimTime,
        events: &mut EventQueue,
        counts: &mut Counts,
    ) -> (CallIdx, u32) {
        self.integrate(g, now, counts);
        let group = self.groups[g].as_mut().expect("a chat ends only in a chat group");
        let a = &mut self.agents[agent as usize];
        drain(a, &mut self.slots, group, now);
        let first = a.first_slot as usize;
        let held = &mut self.slots[first..first + a.held as usize];
        let done = earliest(held);
        let call = held[done].call;
        held[done] = held[held.len() - 1];
        a.held -= 1;
        group.chats_held -= 1;
        if a.held == 0 {
            group.agents_chatting -= 1;
        }
        a.token = a.token.wrapping_add(1);
        let left = a.held;
        enter_bucket(agent, a, group, now);
        self.maybe_compact(g);
        self.reschedule(agent, g, now, events);
        (call, left)
    }

    /// Whether agent `agent` of group `g` holds chats and may take one more now.
    #[inline]
    pub fn has_room(&self, agent: AgentIdx, g: usize) -> bool {
        let a = &self.agents[agent as usize];
        self.groups[g].as_ref().is_some_and(|group| a.accepting && a.held < group.max)
    }

    /// Chats the agent holds.
    #[inline]
    pub fn held(&self, agent: AgentIdx) -> u32 {
        self.agents.get(agent as usize).map_or(0, |a| a.held)
    }

    /// Group `g`'s chat skills in its preference order (empty for a group without chats).
    #[inline]
    pub fn skills(&self, g: usize) -> &[GroupSkill] {
        self.groups.get(g).and_then(Option::as_ref).map_or(&[], |group| &group.skills)
    }

    /// Whether agent `agent` of group `g` takes more chats: not once a break or log-out is due
    /// after its chats (it then only finishes them), again when that is called off.
    pub fn set_accepting(&mut self, agent: AgentIdx, g: usize, accepting: bool, now: SimTime) {
        let Some(group) = self.groups.get_mut(g).and_then(Option::as_mut) else { return };
        let a = &mut self.agents[agent as usize];
        if a.held == 0 || a.accepting == accepting {
            a.accepting = accepting || a.held == 0;
            return;
        }
        a.accepting = accepting;
        a.token = a.token.wrapping_add(1);
        enter_bucket(agent, a, group, now);
    }

    /// Brings every chat group's integrals up to `now` (the end of the run).
    pub fn close(&mut self, now: SimTime, counts: &mut Counts) {
        for g in 0..self.groups.len() {
            self.integrate(g, now, counts);
        }
    }

    /// Adds chats held and agents chatting of group `g` since its last change.
    #[inline]
    fn integrate(&mut self, g: usize, now: SimTime, counts: &mut Counts) {
        let Some(group) = self.groups[g].as_mut() else { return };
        let dt = now - group.last_change;
        if dt > 0.0 {
            let time = &mut counts.chat_time[g];
            time.chats_s += f64::from(group.chats_held) * dt;
            time.agents_s += f64::from(group.agents_chatting) * dt;
            group.last_change = now;
        }
    }

    /// Schedules the agent's next chat end (none when it holds none), invalidating the one
    /// pending.
    #[inline]
    fn reschedule(&mut self, agent: AgentIdx, g: usize, now: SimTime, events: &mut EventQueue) {
        let a = &mut self.agents[agent as usize];
        a.generation = a.generation.wrapping_add(1);
        if a.held == 0 {
            return;
        }
        let Some(group) = self.groups[g].as_ref() else { return };
        let first = a.first_slot as usize;
        let held = &self.slots[first..first + a.held as usize];
        let remaining = held[earliest(held)].remaining.max(0.0);
        let at = now + remaining / group.rates[a.held as usize];
        events.push(at, Event::ChatEnd { agent, generation: a.generation });
    }

    /// Drops stale entries of group `g`'s buckets, in place, once one has grown past its
    /// bound (an agent who keeps its place at the front while others come and go behind it).
    #[inline]
    fn maybe_compact(&mut self, g: usize) {
        let Some(group) = self.groups[g].as_mut() else { return };
        let agents = &self.agents;
        for bucket in &mut group.buckets {
            if bucket.len() > group.compact_above {
                bucket.retain(|&(agent, token, _)| agents[agent as usize].token == token);
            }
        }
    }
}

/// Brings the remaining work of `a`'s chats up to `now` at the rate of its current count.
#[inline]
fn drain(a: &mut ChatAgent, slots: &mut [Slot], group: &ChatGroup, now: SimTime) {
    let dt = now - a.last_update;
    a.last_update = now;
    if dt > 0.0 && a.held > 0 {
        let done = dt * group.rates[a.held as usize];
        let first = a.first_slot as usize;
        for slot in &mut slots[first..first + a.held as usize] {
            slot.remaining -= done;
        }
    }
}

/// Index of the chat with the least work left (the first such, for a fixed order).
#[inline]
fn earliest(held: &[Slot]) -> usize {
    let mut best = 0;
    for (i, slot) in held.iter().enumerate().skip(1) {
        if slot.remaining < held[best].remaining {
            best = i;
        }
    }
    best
}

/// Puts agent `agent` (its token already bumped) in the bucket of its chat count when it has
/// room and takes chats.
#[inline]
fn enter_bucket(agent: AgentIdx, a: &ChatAgent, group: &mut ChatGroup, now: SimTime) {
    if a.accepting && a.held >= 1 && a.held < group.max {
        group.buckets[a.held as usize].push_back((agent, a.token, now));
    }
}
