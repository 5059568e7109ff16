#!/usr/bin/env python3
"""End to end: `sipsleuth analyze` on generated captures against the generator's ground truth.

bench/gen_capture.py writes, for every call, what the caller got (final code, category, PDD,
setup, duration, IR.42 class, retransmissions). The outcome mix is exact, so attempts, answered,
categories, codes, ASR and both NERs must match exactly, and the timing statistics within 1 ms
(the capture keeps microseconds). Checked in the default mix and the extended one (timeouts,
auth retries, redirects, declines ...), with the seed and the IR.42 NER, in CallMeter mode, with
the histogram forced on, for the per-call CSV table, the `calls` filters and --fail-on.

Usage: truth.py SIPSLEUTH
"""
import csv
import io
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "bench", "gen_capture.py")
FAILS = []


def check(ok, what):
    if not ok:
        FAILS.append(what)


def percentile(sorted_v, q):
    """numpy.percentile's default (linear) method."""
    h = (len(sorted_v) - 1) * q
    lo = math.floor(h)
    if lo + 1 >= len(sorted_v):
        return sorted_v[lo]
    return sorted_v[lo] + (h - lo) * (sorted_v[lo + 1] - sorted_v[lo])


def run(binary, *args, ok=(0,)):
    p = subprocess.run([binary] + list(args), capture_output=True, timeout=300)
    if p.returncode not in ok:
        raise SystemExit("%s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr.decode()[-500:]))
    return p


def expected(truth, ner, callmeter):
    n = len(truth)
    cats = {c: 0 for c in ("SUCCESS", "TIMEOUT", "REJECTED", "CANCELED", "ERROR", "REDIRECTED",
                           "INCOMPLETE")}
    codes = {}
    for t in truth:
        cat = "ERROR" if callmeter and t["category"] == "CANCELED" else t["category"]
        cats[cat] += 1
        codes[str(t["final_code"])] = codes.get(str(t["final_code"]), 0) + 1
    if ner == "seed":
        eff = cats["SUCCESS"] + cats["TIMEOUT"]
    else:
        eff = sum(1 for t in truth if t["ir42"] != "ineffective")
    return {"attempts": n, "answered": cats["SUCCESS"], "categories": cats, "codes": codes,
            "asr": cats["SUCCESS"] / n, "ner": eff / n, "ner_effective": eff}


def check_stats(label, got, values):
    values = sorted(values)
    check(got["count"] == len(values), "%s count %s != %d" % (label, got["count"], len(values)))
    if not values:
        check(got["p50"] is None, "%s p50 should be null" % label)
        return
    want = {"mean": sum(values) / len(values), "p50": percentile(values, 0.5),
            "p90": percentile(values, 0.9), "p99": percentile(values, 0.99), "max": values[-1]}
    for k, v in want.items():
        check(abs(got[k] - v) <= 1.0, "%s %s: %s, truth %.3f" % (label, k, got[k], v))


def check_report(label, rep, truth, ner, callmeter):
    exp = expected(truth, ner, callmeter)
    k = rep["kpi"]
    check(rep["schema"] == "sipsleuth.analyze/1", label + ": schema")
    for f in ("attempts", "answered", "ner_effective"):
        check(k[f] == exp[f], "%s: %s %s != %s" % (label, f, k[f], exp[f]))
    check(k["asr"] == exp["asr"], "%s: asr %r != %r" % (label, k["asr"], exp["asr"]))
    check(k["ner"] == exp["ner"], "%s: ner %r != %r" % (label, k["ner"], exp["ner"]))
    check(k["ner_definition"] == ner, label + ": ner_definition")
    check(rep["categories"] == exp["categories"],
          "%s: categories %s != %s" % (label, rep["categories"], exp["categories"]))
    check(rep["codes"] == exp["codes"], "%s: codes %s != %s" % (label, rep["codes"], exp["codes"]))
    for name in ("pdd_ms", "setup_ms", "duration_ms"):
        check_stats(label + " " + name, k[name], [t[name] for t in truth if t[name] is not None])
    retr = sum(t["retransmissions"] for t in truth)
    check(k["retransmissions"]["messages"] == retr,
          "%s: retransmissions %s != %d" % (label, k["retransmissions"]["messages"], retr))
    ir = {}
    for t in truth:
        ir[t["ir42"]] = ir.get(t["ir42"], 0) + 1
    for cls, n in k["ir42"].items():
        check(n == ir.get(cls, 0), "%s: ir42 %s %d != %d" % (label, cls, n, ir.get(cls, 0)))
    # the rows of every table add up to the totals
    for table in ("destinations", "elements"):
        t = rep[table]
        tot = sum(r["attempts"] for r in t["rows"]) + t["other"]["attempts"]
        check(tot == exp["attempts"], "%s: %s rows add up to %d" % (label, table, tot))
    tot = sum(r["attempts"] for r in rep["time_buckets"]["rows"])
    check(tot == exp["attempts"], "%s: time buckets add up to %d" % (label, tot))


def check_csv(label, text, truth):
    rows = list(csv.DictReader(io.StringIO(text)))
    by_id = {t["call_id"]: t for t in truth}
    check(len(rows) == len(truth), "%s: %d rows, %d calls" % (label, len(rows), len(truth)))
    for r in rows:
        t = by_id.get(r["call_id"])
        if t is None:
            check(False, "%s: unknown call %s" % (label, r["call_id"]))
            continue
        check(r["final_code"] == str(t["final_code"]) and r["category"] == t["category"],
              "%s: %s got %s %s, truth %s %s" % (label, r["call_id"], r["final_code"],
                                                 r["category"], t["final_code"], t["category"]))
        for k in ("pdd_ms", "setup_ms", "duration_ms"):
            got = float(r[k]) if r[k] else None
            ok = (got is None) == (t[k] is None) and (got is None or abs(got - t[k]) <= 1.0)
            check(ok, "%s: %s %s %s, truth %s" % (label, r["call_id"], k, r[k], t[k]))
        check(r["retransmissions"] == str(t["retransmissions"]),
              "%s: %s retransmissions" % (label, r["call_id"]))


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        for mix, mb in (("default", 2), ("extended", 3)):
            cap = os.path.join(tmp, mix + ".pcap")
            tru = os.path.join(tmp, mix + ".truth")
            subprocess.run([sys.executable, GEN, cap, "--mb", str(mb), "--mix", mix, "--truth",
                            tru, "--seed", "7"], check=True, capture_output=True)
            truth = [json.loads(line) for line in open(tru)]
            for ner in ("seed", "ir42"):
                for cm in (False, True):
                    args = ["analyze", "--format", "json", "--ner", ner] + (["--callmeter"] if cm else [])
                    rep = json.loads(run(binary, *(args + [cap])).stdout)
                    check_report("%s/%s%s" % (mix, ner, "/callmeter" if cm else ""), rep, truth,
                                 ner, cm)
            rep = json.loads(run(binary, "analyze", "--format", "json", "--exact-samples", "10",
                                 cap).stdout)
            check_report(mix + "/histogram", rep, truth, "seed", False)
            check(not rep["kpi"]["pdd_ms"]["exact"], mix + ": histogram not used")
            check_csv(mix + "/csv", run(binary, "analyze", "--format", "csv", cap).stdout.decode(),
                      truth)
            # calls filters agree with the truth
            for cat in ("SUCCESS", "TIMEOUT", "CANCELED"):
                out = run(binary, "calls", "--format", "ndjson", "--category", cat, cap).stdout
                n = sum(1 for l in out.splitlines() if json.loads(l)["type"] == "call")
                want = sum(1 for t in truth if t["category"] == cat)
                check(n == want, "%s: calls --category %s: %d, truth %d" % (mix, cat, n, want))
            # --fail-on exits 1 exactly when a finding of that severity or worse exists
            sev = {"info": 0, "warning": 1, "error": 2}
            worst = max([sev[f["severity"]] for f in rep["findings"]], default=-1)
            for name, level in sev.items():
                p = run(binary, "analyze", "--fail-on", name, cap, ok=(0, 1))
                check(p.returncode == (1 if worst >= level else 0),
                      "%s: --fail-on %s exit %d" % (mix, name, p.returncode))
    for f in FAILS[:40]:
        print("FAIL", f)
    print("%d failure(s)" % len(FAILS))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
