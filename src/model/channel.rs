//! Channels: how a contact reaches the center (phone, live chat, email) and the rules each
//! one brings to the model.
//!
//! A call type belongs to one [`Channel`]. Chat lets an agent hold several contacts at once
//! ([`ChatConcurrency`], on the agent group); email waits in a backlog and is judged against
//! a target of hours ([`ChannelGoals`]). Everything here is already checked: a
//! [`ChatConcurrency`] can only be built by its checked constructor.

use super::ServiceLevelGoal;
use crate::error::quoted_number;

/// How a contact reaches the center.
#[derive(
    Copy,
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A phone call: one agent per call, the caller may hang up while waiting.
    #[default]
    Voice,
    /// A live chat: an agent may hold several at once, each slower the more it holds; the
    /// customer may leave while waiting.
    Chat,
    /// An email or ticket: waits in a backlog (never abandoned) and is worked between
    /// real-time contacts.
    Email,
}

impl Channel {
    /// Every channel, in the order reports list them.
    pub const ALL: [Channel; 3] = [Channel::Voice, Channel::Chat, Channel::Email];

    /// Lower-case name, as in the scenario file and the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Voice => "voice",
            Channel::Chat => "chat",
            Channel::Email => "email",
        }
    }

    /// Whether a customer waits on line for the answer (voice, chat), as opposed to a backlog.
    pub fn is_real_time(self) -> bool {
        matches!(self, Channel::Voice | Channel::Chat)
    }
}

/// How many chats an agent of a group holds at once, and how fast it works them.
///
/// `factors[j-1]` is the total throughput of an agent holding `j` chats relative to one chat,
/// so each of the `j` chats drains its remaining work at `factors[j-1] / j` per second. The
/// default (no `concurrency_factors`) is `[1, 2, ..., max]`: no slowdown.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatConcurrency {
    max: u32,
    factors: Vec<f64>,
}

/// Why [`ChatConcurrency::new`] refused its input: what was wrong and what is allowed (the
/// caller adds the file and field).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ConcurrencyError {
    /// Not one factor per number of chats held. A variant of its own because the count has a
    /// different name where it is given: `max_concurrency` in a scenario, `--concurrency` on
    /// the command line, which words this error itself.
    #[error(
        "has {given} values but max_concurrency is {max}; give one factor per number of chats \
         held, 1 to {max} (e.g. [1.0, 1.7, 2.5] for 3)"
    )]
    FactorCount {
        /// Factors given.
        given: usize,
        /// Chats one agent holds at once.
        max: u32,
    },
    /// Any other rule broken.
    #[error("{0}")]
    Invalid(String),
}

/// The most chats an agent may hold at once (a cap on `max_concurrency`, so that the engine's
/// fixed per-agent slots stay small).
pub const MAX_CONCURRENCY: u32 = 32;

impl ChatConcurrency {
    /// Checks and builds: `max` in 1..=[`MAX_CONCURRENCY`]; `factors` (when given) exactly
    /// `max` long, starting at 1, strictly increasing, with `factors[j-1] <= j` (holding more
    /// chats never makes an agent faster per chat than holding one).
    ///
    /// # Errors
    /// What was wrong and what is allowed (the caller adds the file and field).
    pub fn new(max: u32, factors: Option<Vec<f64>>) -> Result<ChatConcurrency, ConcurrencyError> {
        if max == 0 {
            return Err(ConcurrencyError::Invalid(
                "must be at least 1 (chats one agent holds at once)".to_string(),
            ));
        }
        if max > MAX_CONCURRENCY {
            return Err(ConcurrencyError::Invalid(format!(
                "{max} is more than the cap of {MAX_CONCURRENCY} (MAX_CONCURRENCY)"
            )));
        }
        let Some(factors) = factors else {
            return Ok(ChatConcurrency { max, factors: (1..=max).map(f64::from).collect() });
        };
        let known: Vec<Option<f64>> = factors.iter().copied().map(Some).collect();
        Self::check_factors(max, &known)?;
        Ok(ChatConcurrency { max, factors })
    }

    /// The rules of [`ChatConcurrency::new`] on factors of which some are unknown (`None`, a
    /// value that could not be read): the count, and every rule the known ones can break.
    ///
    /// # Errors
    /// The first rule broken, as [`ChatConcurrency::new`] words it.
    pub fn check_factors(max: u32, factors: &[Option<f64>]) -> Result<(), ConcurrencyError> {
        if factors.len() != max as usize {
            return Err(ConcurrencyError::FactorCount { given: factors.len(), max });
        }
        if let Some(bad) = factors.iter().flatten().find(|f| !f.is_finite()) {
            return Err(ConcurrencyError::Invalid(format!("{} is not a finite number", quoted_number(*bad))));
        }
        if let Some(first) = factors[0]
            && first != 1.0
        {
            return Err(ConcurrencyError::Invalid(format!(
                "the first factor (one chat held) must be 1.0, got {}; the others are relative to it",
                quoted_number(first)
            )));
        }
        for j in 1..factors.len() {
            let Some(factor) = factors[j] else { continue };
            if let Some(before) = factors[j - 1]
                && factor <= before
            {
                return Err(ConcurrencyError::Invalid(format!(
                    "factors must be strictly increasing (an agent holding more chats gets more \
                     done in total), but factor {} ({}) is not above factor {} ({})",
                    j + 1,
                    quoted_number(factor),
                    j,
                    quoted_number(before)
                )));
            }
            if factor > (j + 1) as f64 {
                return Err(ConcurrencyError::Invalid(format!(
                    "factor {} is {} but an agent holding {} chats can do at most {} times the \
                     work of one (each chat at full speed)",
                    j + 1,
                    quoted_number(factor),
                    j + 1,
                    j + 1
                )));
            }
        }
        Ok(())
    }

    /// Most chats an agent holds at once.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// Total throughput with `j` chats relative to one, `j` in 1..=max.
    pub fn factors(&self) -> &[f64] {
        &self.factors
    }

    /// Work drained per second from each of `j` chats held (`j` in 1..=max).
    pub fn rate_per_chat(&self, j: u32) -> f64 {
        self.factors[j as usize - 1] / f64::from(j)
    }

    /// Whether the factors are the default `[1, 2, ..., max]` (no slowdown).
    pub fn is_linear(&self) -> bool {
        self.factors.iter().enumerate().all(|(i, &f)| f == (i + 1) as f64)
    }
}

/// Service-level goals of the channels that have their own (`[service_level.chat]`,
/// `[service_level.email]`); a channel without one uses the scenario's `[service_level]`.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct ChannelGoals {
    /// `[service_level.chat]`.
    pub chat: Option<ServiceLevelGoal>,
    /// `[service_level.email]`.
    pub email: Option<ServiceLevelGoal>,
}

impl ChannelGoals {
    /// The channel's own goal, if it has one (voice never does: `[service_level]` is its goal).
    pub fn own(&self, channel: Channel) -> Option<ServiceLevelGoal> {
        match channel {
            Channel::Voice => None,
            Channel::Chat => self.chat,
            Channel::Email => self.email,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_factors_mean_no_slowdown() {
        let c = ChatConcurrency::new(3, None).unwrap();
        assert_eq!(c.factors(), [1.0, 2.0, 3.0]);
        assert!(c.is_linear());
        for j in 1..=3 {
            assert_eq!(c.rate_per_chat(j), 1.0);
        }
    }

    #[test]
    fn rate_per_chat_is_factor_over_chats_held() {
        let c = ChatConcurrency::new(3, Some(vec![1.0, 1.7, 2.5])).unwrap();
        assert!((c.rate_per_chat(2) - 0.85).abs() < 1e-15);
        assert!((c.rate_per_chat(3) - 2.5 / 3.0).abs() < 1e-15);
        assert!(!c.is_linear());
    }

    #[test]
    fn rejects_bad_concurrency() {
        assert!(ChatConcurrency::new(0, None).unwrap_err().to_string().contains("at least 1"));
        assert!(ChatConcurrency::new(MAX_CONCURRENCY + 1, None).unwrap_err().to_string().contains("cap"));
        let long = ChatConcurrency::new(2, Some(vec![1.0, 1.5, 2.0])).unwrap_err().to_string();
        assert!(long.contains("3 values") && long.contains("max_concurrency is 2"), "{long}");
        let short = ChatConcurrency::new(3, Some(vec![1.0, 1.5])).unwrap_err().to_string();
        assert!(short.contains("2 values") && short.contains("is 3"), "{short}");
        assert!(
            ChatConcurrency::new(2, Some(vec![1.2, 1.5])).unwrap_err().to_string().contains("must be 1.0")
        );
        assert!(
            ChatConcurrency::new(3, Some(vec![1.0, 1.7, 1.7]))
                .unwrap_err()
                .to_string()
                .contains("increasing")
        );
        assert!(ChatConcurrency::new(2, Some(vec![1.0, 2.5])).unwrap_err().to_string().contains("at most 2"));
        assert!(
            ChatConcurrency::new(2, Some(vec![1.0, f64::NAN])).unwrap_err().to_string().contains("finite")
        );
    }
}
