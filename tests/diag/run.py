#!/usr/bin/env python3
"""Diagnosis rule tests: for every rule, a trace that triggers it and a near miss that must not.

Cases live in cases_*.py modules next to this file. Each module defines CASES, a list of
dicts:
    {"name": "caller-hangup-after-ringing",     # unique
     "rule": "cancel-caller-hangup",            # the rule under test
     "expect": "trigger" | "near-miss",         # must (not) be reported
     "build": function(Capture) -> None,        # writes the messages
     "call": 0,                                 # which call of the output (default 0)
     "leg": 1,                                  # optional: the finding must be on this leg
     "cause": "cancel-caller-hangup",           # optional: expected primary cause (or None)
     "category": "CANCELED"}                    # optional
The runner builds each capture, runs `sipsleuth calls --format ndjson`, and checks.
Every rule in `sipsleuth explain --list-findings` must have at least one trigger and one
near miss here.

Usage: run.py SIPSLEUTH [CASE-NAME...]
"""
import importlib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
sys.path.insert(0, HERE)
from sipscen import Capture  # noqa: E402


def load_cases():
    cases = []
    for f in sorted(os.listdir(HERE)):
        if f.startswith("cases_") and f.endswith(".py"):
            cases += importlib.import_module(f[:-3]).CASES
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SystemExit("duplicate case names: %s" % sorted(dup))
    return cases


def run_case(binary, case, tmp):
    cap = Capture()
    case["build"](cap)
    path = os.path.join(tmp, case["name"] + ".pcap")
    cap.write(path)
    p = subprocess.run([binary, "calls", "--format", "ndjson", path], capture_output=True,
                       timeout=60)
    if p.returncode != 0:
        return ["exit status %d: %s" % (p.returncode, p.stderr.decode()[-300:])], []
    calls = [json.loads(l) for l in p.stdout.decode().splitlines()]
    calls = [c for c in calls if c["type"] == "call"]
    idx = case.get("call", 0)
    if idx >= len(calls):
        return ["expected at least %d calls, got %d" % (idx + 1, len(calls))], calls
    call = calls[idx]
    hits = [f for f in call["findings"] if f["id"] == case["rule"]]
    if "leg" in case:
        hits = [f for f in hits if f["leg"] == case["leg"]]
    errs = []
    if case["expect"] == "trigger" and not hits:
        errs.append("rule %s not reported%s" % (case["rule"], " on leg %d" % case["leg"] if "leg" in case else ""))
    if case["expect"] == "near-miss" and hits:
        errs.append("rule %s reported on a near miss: %s" % (case["rule"], hits[0]["detail"]))
    for f in hits:
        if not f["evidence"]:
            errs.append("finding %s has no evidence" % f["id"])
    if "cause" in case and call["cause"] != case["cause"]:
        errs.append("cause %r, expected %r" % (call["cause"], case["cause"]))
    if "category" in case and call["category"] != case["category"]:
        errs.append("category %r, expected %r" % (call["category"], case["category"]))
    return errs, calls


def rules_listed(binary):
    p = subprocess.run([binary, "explain", "--format", "json", "--list-findings"],
                       capture_output=True, timeout=30)
    if p.returncode != 0:
        return None
    out = json.loads(p.stdout.decode())
    items = out if isinstance(out, list) else out.get("findings", [])
    return [f["id"] for f in items]


def main():
    binary = sys.argv[1]
    only = set(sys.argv[2:])
    cases = [c for c in load_cases() if not only or c["name"] in only]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            errs, calls = run_case(binary, case, tmp)
            if errs:
                failed += 1
                print("FAIL %s (%s, %s)" % (case["name"], case["rule"], case["expect"]))
                for e in errs:
                    print("    " + e)
                for c in calls:
                    print("    got: final=%s cause=%s findings=%s" % (
                        c["final_code"], c["cause"],
                        [(f["id"], f["leg"]) for f in c["findings"]]))
            else:
                print("ok   %s (%s, %s)" % (case["name"], case["rule"], case["expect"]))
    total = len(cases)
    if not only:
        rules = rules_listed(binary)
        if rules is not None:
            for r in rules:
                kinds = {c["expect"] for c in cases if c["rule"] == r}
                for k in ("trigger", "near-miss"):
                    total += 1
                    if k not in kinds:
                        failed += 1
                        print("FAIL rule %s has no %s case" % (r, k))
    print("%d passed, %d failed" % (total - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
