//! The chat flags of `ccsim erlang`: `--concurrency`, `--concurrency-factors`, and what
//! `--model chat-exact` refuses (flags the exact chat model has no use for).

use clap::ValueEnum;

use super::{Args, ModelName};
use crate::error::BadInput;
use crate::model::{ChatConcurrency, ConcurrencyError, MAX_CONCURRENCY};

impl Args {
    /// `--concurrency` and `--concurrency-factors`: the chats per agent and the throughput
    /// factors (default `1, 2, ..., K`), when given; only with Erlang C, whose queue the chat
    /// estimate is, and with the exact chat model.
    pub(super) fn chat(&self, model_name: ModelName) -> Result<Option<(u32, Vec<f64>)>, BadInput> {
        let Some(k) = self.concurrency else {
            if let Some(list) = &self.concurrency_factors {
                return Err(BadInput(format!(
                    "--concurrency-factors: \"{list}\" needs --concurrency K (the chats one agent holds at once)"
                )));
            }
            return Ok(None);
        };
        if !matches!(model_name, ModelName::ErlangC | ModelName::ChatExact) {
            let name = model_name.to_possible_value().map_or_else(String::new, |v| v.get_name().to_string());
            return Err(BadInput(format!(
                "--concurrency: the chat estimate is Erlang C on the agents' full-concurrency throughput; \
                 it does not combine with {name} (leave out --model, --patience, --lines, --redial, --volume-cv)"
            )));
        }
        if !(k.is_finite() && k >= 1.0 && k.fract() == 0.0 && k <= f64::from(MAX_CONCURRENCY)) {
            return Err(BadInput(format!(
                "--concurrency: must be a whole number of chats per agent from 1 to {MAX_CONCURRENCY}, got {k}"
            )));
        }
        let k = k as u32;
        let factors = match &self.concurrency_factors {
            None => None,
            Some(list) => Some(
                list.split(',')
                    .map(|v| {
                        v.trim().parse::<f64>().map_err(|_| {
                            BadInput(format!(
                                "--concurrency-factors: \"{}\" in \"{list}\" is not a number; expected a \
                                 comma-separated list such as 1,1.7,2.5",
                                v.trim()
                            ))
                        })
                    })
                    .collect::<Result<Vec<f64>, BadInput>>()?,
            ),
        };
        // The scenario's rule for `concurrency_factors`, with --concurrency as max_concurrency:
        // a count that does not match is worded with the flags given here.
        let chat = ChatConcurrency::new(k, factors).map_err(|e| match e {
            ConcurrencyError::FactorCount { given, max } => BadInput(format!(
                "--concurrency-factors: \"{}\" has {given} values but --concurrency is {max}; give one \
                 factor per number of chats held, 1 to {max} (e.g. 1,1.7,2.5 for 3)",
                self.concurrency_factors.as_deref().unwrap_or_default()
            )),
            other => BadInput(format!("--concurrency-factors (with --concurrency {k}): {other}")),
        })?;
        let factors = chat.factors().to_vec();
        Ok(Some((k, factors)))
    }

    /// With `--model chat-exact`: `--concurrency` is required, and the flags of lines, redials
    /// and forecast uncertainty are refused, naming why (`--patience` is the chats' own).
    pub(super) fn refuse_for_chat_exact(&self) -> Result<(), BadInput> {
        if self.concurrency.is_none() {
            return Err(BadInput(
                "--model chat-exact: needs --concurrency K, the chats one agent holds at once (the exact \
                 chat model is for live chat; without --concurrency use erlang-c, erlang-a or erlang-x)"
                    .into(),
            ));
        }
        let lines = "the exact chat model has no line limit, no blocking and no redials";
        let refused = [
            ("--lines", self.lines.is_some(), lines),
            ("--max-block", self.max_block.is_some(), lines),
            ("--redial", self.redial.is_some(), lines),
            ("--redial-delay", self.redial_delay.is_some(), lines),
            ("--volume-cv", self.volume_cv.is_some(), "the exact chat model has no forecast uncertainty"),
        ];
        match refused.iter().find(|(_, given, _)| *given) {
            Some((flag, _, why)) => {
                Err(BadInput(format!("{flag}: not used by --model chat-exact: {why} (leave {flag} out)")))
            }
            None => Ok(()),
        }
    }
}
