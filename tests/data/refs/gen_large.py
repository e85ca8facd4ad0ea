"""Reference values at large loads for ccsim's Erlang tests (erlang_large_*.csv).

Run: python3 gen_large.py  (mpmath 1.3, 60 significant digits; takes a minute).

Independent of ccsim's code paths:
- Erlang C from the closed form with the regularised upper incomplete gamma, never the
  Erlang B recursion: with t = e^-A A^c/c! * c/(c-A) and Q = Q(c, A) = P(Poisson(A) < c),
  P(wait) = t / (Q + t); SL = 1 - P(wait) exp(-(c-A) T / AHT); ASA = P(wait) AHT / (c-A).
- Erlang A: the stationary distribution of the birth-death chain summed directly (states
  below c through Q(c, A) as above, queue states by their product weights). P(wait) is the
  queue's mass, P(abandon) = theta E[queue] / lambda and mean wait of all calls =
  E[queue] / lambda (Little's law). Service level and ASA use the tagged caller's formulas
  documented in src/erlang/a.rs, evaluated here at 60 digits (the regularised incomplete
  beta I_x(k+1, beta) as the negative-binomial tail 1 - sum_{i<=k} P(Y = i), summed at 60
  digits where no cancellation matters), so they check numerical stability at large loads;
  their derivation is checked at small loads by erlang_a_sample.csv (uniformization, see
  README.md).
"""
import csv
from mpmath import mp, mpf, exp, log, loggamma, gammainc

mp.dps = 60


def f64(x):
    return repr(float(x))


def erlang_c(A, c, aht, T):
    A = mpf(A)
    t = exp(-A + c * log(A) - loggamma(c + 1)) * c / (c - A)
    Q = gammainc(c, A, regularized=True)
    pw = t / (Q + t)
    sl = 1 - pw * exp(-(c - A) * T / aht)
    asa = pw * aht / (c - A)
    return pw, sl, asa, A / c


def erlang_a(rate, aht, patience, c, T):
    lam = mpf(rate)
    mu, th = 1 / mpf(aht), 1 / mpf(patience)
    A = lam / mu
    cmu = c * mu
    below = gammainc(c, A, regularized=True)  # sum_{n<c} pi_n up to the common factor
    pc = exp(-A + c * log(A) - loggamma(c + 1))
    w, k, ws = pc, 0, []
    while True:
        ws.append(w)
        w = w * lam / (cmu + (k + 1) * th)
        k += 1
        if k > 10 and w < pc * mpf(10) ** -40 and lam < cmu + k * th:
            break
    total = below + sum(ws)
    p = [x / total for x in ws]
    pwait = sum(p)
    eq = sum(k * x for k, x in enumerate(p))  # mean queue seen by an arrival = time average
    pab = th * eq / lam
    mwall = eq / lam
    x = 1 - exp(-th * T)
    beta = cmu / th + 1
    pnow = below / total
    sl, ans, wa, h = pnow, pnow, mpf(0), mpf(0)
    d = exp(beta * log(1 - x))  # P(Y = 0) = (1 - x)^beta
    cdf = mpf(0)
    for k, pk in enumerate(p):
        if k > 0:
            d = d * x * (k - 1 + beta) / k
        cdf += d
        q = cmu / (cmu + (k + 1) * th)
        h += 1 / (cmu + (k + 1) * th)
        ans += pk * q
        wa += pk * q * h
        sl += pk * q * (1 - cdf)
    return pwait, pab, sl, sl / ans, wa / ans, mwall, A * (1 - pab) / c, A


def main():
    with open("erlang_c_large.csv", "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["offered_load_erlangs", "agents", "aht_s", "target_s", "p_wait", "service_level", "asa_s", "occupancy"])
        for A, cs in [(20000, [20001, 20010, 20050, 20100, 20150, 20200, 20300]),
                      (50000, [50001, 50100, 50200, 50400, 50700])]:
            for c in cs:
                pw, sl, asa, occ = erlang_c(A, c, 180, 20)
                out.writerow([A, c, 180, 20, f64(pw), f64(sl), f64(asa), f64(occ)])
    with open("erlang_a_large.csv", "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["arrival_rate_per_s", "aht_s", "patience_s", "agents", "target_s", "offered_load_erlangs",
                      "p_wait", "p_abandon", "service_level", "service_level_answered", "asa_s", "mean_wait_all_s", "occupancy"])
        for A, pat, cs in [(2000, 120, [1900, 2000, 2050]), (2000, 600, [2000, 2040]), (20000, 300, [19900, 20050]),
                             (50000, 120, [42709, 50000]), (50000, 1800, [49864])]:
            rate = mpf(A) / 180
            for c in cs:
                pw, pab, sl, sla, asa, mw, occ, load = erlang_a(rate, 180, pat, c, 20)
                out.writerow([f64(rate), 180, pat, c, 20, A, f64(pw), f64(pab), f64(sl), f64(sla), f64(asa), f64(mw), f64(occ)])


if __name__ == "__main__":
    main()
