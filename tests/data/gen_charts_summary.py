# Generates tests/data/charts_summary.json: a synthetic but realistic Summary (2 days x 20
# half-hour intervals from 08:00, 3 call types with calls + 1 with none, 2 agent groups, one
# interval of the "sales" group with no agent on duty).
import json, math, random
random.seed(7)
KEYS = ["offered","offered_fresh","offered_redial","offered_repeat","offered_transfer","answered","abandoned",
        "unanswered_at_close","service_level","service_level_answered","p_wait","asa_s","abandon_rate",
        "mean_wait_all_s","wait_p50_s","wait_p80_s","wait_p90_s","wait_p95_s","wait_p99_s","wait_max_s"]
def est(m, hw): return {"mean": m, "half_width": hw}
def stats(offered, sl, aht_wait):
    if offered <= 0:
        d = {k: est(0.0, 0.0) for k in KEYS[:8]}
        for k in KEYS[8:]: d[k] = est(None, None)
        return d
    redial = offered*0.06; repeat = offered*0.04; transfer = offered*0.03
    fresh = offered - redial - repeat - transfer
    ab = offered * max(0.01, (1-sl)*0.25); unans = offered*0.005 if sl < 0.6 else 0.0
    ans = offered - ab - unans
    asa = aht_wait*(1.2-sl)*2
    d = {"offered": est(offered, offered*0.05), "offered_fresh": est(fresh, fresh*0.05),
         "offered_redial": est(redial, redial*0.2), "offered_repeat": est(repeat, repeat*0.2),
         "offered_transfer": est(transfer, transfer*0.2), "answered": est(ans, ans*0.05),
         "abandoned": est(ab, ab*0.2), "unanswered_at_close": est(unans, unans*0.5 if unans else 0.0),
         "service_level": est(sl, 0.03+0.04*random.random()), "service_level_answered": est(min(1,sl+0.03), 0.03),
         "p_wait": est(min(1,1.1-sl), 0.04), "asa_s": est(asa, asa*0.15), "abandon_rate": est(ab/offered, 0.01),
         "mean_wait_all_s": est(asa*1.1, asa*0.15)}
    for k, f in [("wait_p50_s",0.5),("wait_p80_s",1.6),("wait_p90_s",2.3),("wait_p95_s",3.0),("wait_p99_s",4.6),("wait_max_s",9.0)]:
        d[k] = est(asa*f, asa*f*0.15)
    return d
def clock(i): m = 8*60+30*i; return f"{m//60:02d}:{m%60:02d}"
PER_DAY, DAYS = 20, 2
types = [("billing", 60, 25), ("sales", 35, 15), ("VIP / Premium", 8, 10), ("fax", 0, 0)]
intervals = []
tot = {t[0]: [0.0, 0.0] for t in types}
for day in range(1, DAYS+1):
    for i in range(PER_DAY):
        shape = math.sin(math.pi*(i+0.5)/PER_DAY)
        for name, peak, w in types:
            offered = round(peak*(0.4+0.8*shape)*(1.1 if day == 2 else 1.0), 2) if peak else 0.0
            sl = max(0.35, min(0.98, 0.95 - 0.45*shape**3 + 0.05*random.random())) if peak else None
            intervals.append({"day": day, "start": clock(i), "call_type": name, **stats(offered, sl, w)})
            if peak: tot[name][0] += offered; tot[name][1] += offered*sl
call_types = []
for name, peak, w in types:
    off, good = tot[name]
    call_types.append({"name": name, **stats(off, good/off if off else 0, w)})
all_off = sum(v[0] for v in tot.values()); all_good = sum(v[1] for v in tot.values())
overall = stats(all_off, all_good/all_off, 20)
groups = []
for gname, base in [("generalists", 14), ("sales", 6)]:
    rows = []
    for day in range(1, DAYS+1):
        for i in range(PER_DAY):
            shape = math.sin(math.pi*(i+0.5)/PER_DAY)
            agents = round(base*(0.6+0.5*shape)) if not (gname == "sales" and i == 0) else 0.0
            occ = est(min(0.97, 0.65+0.3*shape+0.02*random.random()), 0.02) if agents else est(None, None)
            rows.append({"day": day, "start": clock(i), "agents_on_duty": est(float(agents), 0.0 if agents else 0.0), "occupancy": occ})
    groups.append({"name": gname, "occupancy": est(0.82, 0.01), "intervals": rows})
def buckets(n_calls, scale):
    zero = int(n_calls*0.45); out = [{"low_s": 0.0, "high_s": 0.0, "count": zero}]
    idx = 1; low = 0.01
    rest = n_calls - zero; counts = {}
    for _ in range(rest):
        w = random.expovariate(1/scale)
        k = int(math.floor(math.log(w/0.01)/math.log(1.02)))+1 if w >= 0.01 else 0
        counts[k] = counts.get(k, 0)+1
    for k in sorted(counts):
        lo = 0.0 if k == 0 else 0.01*1.02**(k-1); hi = 0.01 if k == 0 else lo*1.02
        out.append({"low_s": lo, "high_s": hi, "count": counts[k]})
    return out
dist = [{"call_type": None, "buckets": buckets(6000, 25)}]
for name, peak, w in types:
    if peak: dist.append({"call_type": name, "buckets": buckets(int(peak*40), w)})
summary = {"scenario": "Fixture bank", "seed": 42, "replications": 10, "plan": "scenario",
           "service_level": {"target_s": 20.0, "goal": 0.8, "definition": "offered"},
           "grid": {"start": "08:00", "interval_s": 1800.0, "per_day": PER_DAY, "days": DAYS},
           "paid_hours": 640.0, "overall": overall, "call_types": call_types, "intervals": intervals,
           "agent_groups": groups, "wait_distribution": dist}
json.dump(summary, open("tests/data/charts_summary.json", "w"), separators=(",", ":"))
