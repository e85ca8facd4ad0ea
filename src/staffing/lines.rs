//! The telephone lines' bound on a staffing: an agent answers a call only while its caller
//! holds a line, so a group never has more agents busy than there are lines its contacts can
//! hold. Agents past that number never take a call, and no goal is met by adding them: when a
//! group staffed up to its lines still misses, the lines bind, and the simulation search says
//! so instead of raising for nothing (blocked callers count as offered and missed, so the
//! goal may be out of reach of any headcount).
//!
//! The bound of a group in an interval is the sum, over the pools of lines its skills use
//! (its own or overflow skills alike), of the most lines of that pool working at any instant
//! of the interval: an outage lowers them only while it is on, and an interval partly down
//! still has agents answering in its other part. A group has no bound when any contact it
//! takes holds no line: a call type without a line limit, a chat or email type without lines
//! of its own, or a call type that offers callbacks (the call back is an outbound call and
//! holds none of the scenario's lines). Groups sharing a pool are each bounded by all of it:
//! which of them answers depends on the routing, not on the lines.

use crate::model::{Channel, Scenario};
use crate::time::SimTime;

/// The most agents of each group that can take calls in each interval, where lines bound it.
#[derive(Clone, Debug, Default)]
pub struct LineBound {
    /// Per group, per interval; empty when the scenario has no lines.
    bound: Vec<Vec<Option<u32>>>,
}

/// A pool of lines: the shared `[lines] total`, or a call type's own `lines`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Pool {
    Shared,
    Own(usize),
}

/// The pool call type `ct`'s contacts hold a line of, as the engine assigns it: its own lines,
/// else the shared ones for voice; `None`: no line at all.
fn pool_of(scenario: &Scenario, ct: usize) -> Option<Pool> {
    let telephony = &scenario.telephony;
    match telephony.call_type(ct).lines {
        Some(_) => Some(Pool::Own(ct)),
        None if scenario.call_types[ct].channel != Channel::Voice => None,
        None => telephony.shared_lines.map(|_| Pool::Shared),
    }
}

/// Whether call type `ct`'s callers hold a telephone line while they wait and talk.
pub fn holds_line(scenario: &Scenario, ct: usize) -> bool {
    pool_of(scenario, ct).is_some()
}

impl LineBound {
    /// The bound of every group of `scenario` in every interval of its grid.
    pub fn of(scenario: &Scenario) -> LineBound {
        let telephony = &scenario.telephony;
        if !telephony.has_lines() {
            return LineBound::default();
        }
        let pool_of = |ct: usize| pool_of(scenario, ct);
        let grid = &scenario.grid;
        let bound = scenario
            .agent_groups
            .iter()
            .map(|group| {
                let mut pools = Vec::new();
                for skill in &group.skills {
                    let ct = skill.call_type.idx();
                    match pool_of(ct) {
                        Some(pool) if scenario.callbacks.offer(ct).is_none() => {
                            if !pools.contains(&pool) {
                                pools.push(pool);
                            }
                        }
                        _ => return vec![None; grid.len()],
                    }
                }
                (0..grid.len())
                    .map(|idx| {
                        let (from, to) = (grid.start_of(idx), grid.end_of(idx));
                        let lines =
                            pools.iter().map(|&pool| most_working(scenario, pool, &pool_of, from, to));
                        Some(lines.fold(0u32, u32::saturating_add))
                    })
                    .collect()
            })
            .collect();
        LineBound { bound }
    }

    /// Whether any group is bounded (false without lines).
    pub fn any(&self) -> bool {
        self.bound.iter().flatten().any(Option::is_some)
    }

    /// The most agents of group `g` that can take calls in interval `idx`; `None`: no bound.
    pub fn of_group(&self, g: usize, idx: usize) -> Option<u32> {
        self.bound.get(g).and_then(|row| row[idx])
    }

    /// Whether `agents` of group `g` in interval `idx` are as many as its lines let take calls.
    pub fn reached(&self, g: usize, idx: usize, agents: u32) -> bool {
        self.of_group(g, idx).is_some_and(|lines| agents >= lines)
    }
}

/// The most lines of `pool` working at any instant of `[from, to)`. Working lines are the
/// fewest any outage on at that instant leaves (all of them when none is on); they rise only
/// where an outage ends, so the most is found at `from` or at such an end.
fn most_working(
    scenario: &Scenario,
    pool: Pool,
    pool_of: &dyn Fn(usize) -> Option<Pool>,
    from: SimTime,
    to: SimTime,
) -> u32 {
    let telephony = &scenario.telephony;
    let total = match pool {
        Pool::Shared => telephony.shared_lines.unwrap_or(0),
        Pool::Own(ct) => telephony.call_type(ct).lines.unwrap_or(0),
    };
    let windows: Vec<(SimTime, SimTime, u32)> = telephony
        .outages
        .iter()
        .filter(|o| match o.call_type {
            Some(ct) => pool_of(ct.idx()) == Some(pool),
            None => pool == Pool::Shared,
        })
        .flat_map(|o| o.windows(&scenario.grid).map(move |(start, end)| (start, end, o.lines)))
        .collect();
    let working = |t: SimTime| {
        windows.iter().filter(|&&(start, end, _)| start <= t && t < end).map(|w| w.2).fold(total, u32::min)
    };
    let ends = windows.iter().map(|w| w.1).filter(|&end| from < end && end < to);
    std::iter::once(from).chain(ends).map(working).max().unwrap_or(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Scenario {
        crate::scenario::load_str(text, std::path::Path::new("lines.toml")).unwrap().scenario
    }

    const DAY: &str = r#"
name = "lines"
start = "08:00"
interval = "1h"
[service_level]
target = "20s"
goal = 0.8
[lines]
total = 12
[[lines_outages]]
start = "09:00"
end = "10:00"
lines = 0
[[lines_outages]]
start = "10:30"
end = "11:30"
lines = 4
[[call_types]]
name = "phone"
volumes = [10, 10, 10, 10]
handle_time = { distribution = "exponential", mean = "4m" }
[[call_types]]
name = "vip"
lines = 3
volumes = [10, 10, 10, 10]
handle_time = { distribution = "exponential", mean = "4m" }
[[agent_groups]]
name = "front"
skills = ["phone"]
[[agent_groups]]
name = "both"
skills = ["vip", { call_type = "phone", after = "30s" }]
[[shifts]]
group = "front"
start = "08:00"
end = "12:00"
agents = 5
"#;

    #[test]
    fn a_group_is_bounded_by_the_lines_its_skills_hold_while_they_work() {
        let bound = LineBound::of(&load(DAY));
        let row = |g| (0..4).map(|idx| bound.of_group(g, idx)).collect::<Vec<_>>();
        // 09:00 is down all hour; 10:00 has all 12 lines until 10:30; 11:00 has 4 until 11:30,
        // then all 12 again.
        assert_eq!(row(0), [Some(12), Some(0), Some(12), Some(12)]);
        // Its own 3 lines and, by overflow, the shared ones.
        assert_eq!(row(1), [Some(15), Some(3), Some(15), Some(15)]);
        assert!(bound.reached(1, 1, 3) && !bound.reached(1, 1, 2));
    }

    #[test]
    fn a_contact_that_holds_no_line_leaves_its_group_unbounded() {
        // A call type without a line limit (the shared lines and their outages gone), which the
        // second group takes by overflow beside its own lines; then one that offers callbacks.
        let shared = DAY.find("[lines]").unwrap()..DAY.find("[[call_types]]").unwrap();
        let unlimited = load(&DAY.replace(&DAY[shared], ""));
        let bound = LineBound::of(&unlimited);
        assert_eq!((bound.of_group(0, 0), bound.of_group(1, 0)), (None, None));
        let callbacks = load(&DAY.replace(
            "lines = 3\n",
            "lines = 3\ncallback = { offer_when_wait_over = \"30s\", accept = 0.5, answer = 0.9, retries = 1, retry_after = \"5m\" }\n",
        ));
        let bound = LineBound::of(&callbacks);
        assert_eq!((bound.of_group(0, 0), bound.of_group(1, 0)), (Some(12), None));
    }
}
