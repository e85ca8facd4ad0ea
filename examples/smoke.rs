use ccsim::dist::Dist;
use ccsim::model::{Scenario, StationaryQueue};
fn main() {
    let hours: u32 = std::env::args().nth(1).map_or(24, |h| h.parse().unwrap());
    let q = StationaryQueue {
        calls_per_hour: 1800.0,
        handle_time: Dist::exponential(180.0),
        patience: None,
        agents: 100,
        target: 20.0,
        hours,
    };
    let sc = Scenario::stationary(&q);
    let t = std::time::Instant::now();
    let counts = ccsim::sim::run(&sc, 1, 0, &mut ccsim::sim::NoTrace);
    let el = t.elapsed().as_secs_f64();
    let o = counts.overall();
    let s = o.stats(ccsim::model::SlDefinition::Offered);
    println!("offered {} in {:.3}s = {:.2} M calls/s", s.offered, el, s.offered / el / 1e6);
    // Erlang C for A=90, c=100
    let (a, c) = (90.0f64, 100u32);
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    let pw = c as f64 * b / (c as f64 - a * (1.0 - b));
    let sl = 1.0 - pw * (-(c as f64 - a) * 20.0 / 180.0).exp();
    let asa = pw * 180.0 / (c as f64 - a);
    println!(
        "p_wait {:.4} (erlang {:.4}) sl {:.4} ({:.4}) asa {:.2} ({:.2}) p50 {:?} p90 {:?}",
        s.p_wait, pw, s.service_level, sl, s.asa_s, asa, s.wait_p50_s, s.wait_p90_s
    );
    let ag = &counts.agent_time;
    let busy: f64 = ag.iter().map(|t| t.busy_s).sum();
    let on: f64 = ag.iter().map(|t| t.on_duty_s).sum();
    println!(
        "occupancy {:.4} (expected {:.4}) on duty avg {:.2}",
        busy / on,
        a / c as f64,
        on / (hours as f64 * 3600.0)
    );
    let q2 = StationaryQueue { patience: Some(Dist::exponential(120.0)), ..q };
    let sc2 = Scenario::stationary(&q2);
    let t = std::time::Instant::now();
    let counts = ccsim::sim::run(&sc2, 1, 0, &mut ccsim::sim::NoTrace);
    let el = t.elapsed().as_secs_f64();
    let s = counts.overall().stats(ccsim::model::SlDefinition::Offered);
    println!(
        "abandonment: offered {} in {:.3}s = {:.2} M calls/s, abandon {:.4}, sl {:.4}",
        s.offered,
        el,
        s.offered / el / 1e6,
        s.abandon_rate,
        s.service_level
    );
}
