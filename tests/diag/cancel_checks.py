#!/usr/bin/env python3
"""Checks of the CANCEL/487 family over every flow in cases_cancel.py that run.py cannot make:
each leg whose INVITE ended with 487 gets exactly one root-cause finding; every finding of the
family has a detail and evidence with notes; and the details of some flows say the specific
thing they must (DETAILS).

The root causes are the rules that say why a 487 happened: cancel-caller-hangup,
fork-branch-lost, proxy-timeout-cancel, 487-without-cancel, cancel-race-487-then-200 and
cancel-no-487.

Usage: cancel_checks.py SIPSLEUTH
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
sys.path.insert(0, HERE)
from sipscen import Capture  # noqa: E402
import cases_cancel  # noqa: E402

ROOT_HANGUP = "cancel-caller-hangup"
ROOTS = {"cancel-caller-hangup", "fork-branch-lost", "proxy-timeout-cancel", "487-without-cancel",
         "cancel-race-487-then-200", "cancel-no-487"}
FAMILY = ROOTS | {"cancel-race-answered", "fork-no-winner", "cancel-before-provisional",
                  "cancel-unmatched", "cancel-too-late"}


# flow -> (rule, leg, words its detail must contain)
DETAILS = {
    "hangup_while_ringing": [(ROOT_HANGUP, 0, "4.1 s into ringing"),
                             (ROOT_HANGUP, 1, "relayed the caller's CANCEL")],
    "timer_single_branch": [("proxy-timeout-cancel", 1, "2.0 s after its INVITE"),
                            ("proxy-timeout-cancel", 1, "got 408")],
    "timer_then_serial": [("proxy-timeout-cancel", 1, "serial forking followed"),
                          ("proxy-timeout-cancel", 1, "which answered")],
    "fork_answered": [("fork-branch-lost", 1, "Reason SIP;cause=200")],
    "fork_answered_caller_crossed": [("cancel-race-answered", 0, "went out")],
    "race_answered": [("cancel-race-answered", 0, "crossed on the wire"),
                      ("cancel-race-answered", 0, "no more pending branches")],
    "race_487_then_200": [("cancel-race-487-then-200", 0, "To tag of its own"),
                          ("cancel-race-487-then-200", 0, "hung up with BYE")],
    "callee_no_487": [("cancel-no-487", 1, "answered 487 upstream itself")],
    "direct_no_487_long": [("cancel-no-487", 0, "44.0 s of capture")],
    "cancel_wrong_branch": [("cancel-unmatched", 0, "Via branch z9hG4bK-bogus-1")],
    "cancel_wrong_cseq": [("cancel-unmatched", 0, "CSeq number 2")],
    "cancel_after_ack": [("cancel-too-late", 0, "after its own ACK")],
    "spontaneous_487": [("487-without-cancel", 0, "relayed up from leg 1")],
    "fork_no_winner_flow": [("fork-no-winner", 0, "tried 2 branches"),
                            ("fork-no-winner", 0, "got 408")],
}


def check_details(name, call):
    errs = []
    for rule, leg, words in DETAILS.get(name, []):
        hits = [f for f in call["findings"] if f["id"] == rule and f["leg"] == leg]
        if not any(words in f["detail"] for f in hits):
            errs.append("%s on leg %d: detail lacks %r (%s)" % (
                rule, leg, words, hits[0]["detail"] if hits else "not reported"))
    return errs


def check_call(call):
    errs = []
    legs_487 = 0
    for leg in call["legs"]:
        if leg["final_code"] != 487:
            continue
        legs_487 += 1
        roots = [f["id"] for f in call["findings"] if f["leg"] == leg["index"] and f["id"] in ROOTS]
        if len(roots) != 1:
            errs.append("leg %d ended 487 with root causes %s" % (leg["index"], roots))
    for f in call["findings"]:
        if f["id"] in FAMILY and (not f["detail"] or not f["evidence"]):
            errs.append("%s on leg %s lacks a detail or evidence" % (f["id"], f["leg"]))
        if f["id"] in FAMILY and any(e["note"] is None for e in f["evidence"]):
            errs.append("%s on leg %s has evidence without a note" % (f["id"], f["leg"]))
    return errs, legs_487


def main():
    binary = sys.argv[1]
    builds = []
    for case in cases_cancel.CASES:
        if case["build"] not in builds:
            builds.append(case["build"])
    failed = checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for build in builds:
            cap = Capture()
            build(cap)
            path = os.path.join(tmp, build.__name__ + ".pcap")
            cap.write(path)
            p = subprocess.run([binary, "calls", "--format", "ndjson", path], capture_output=True,
                               timeout=60)
            calls = [c for c in map(json.loads, p.stdout.decode().splitlines())
                     if c["type"] == "call"]
            errs = [] if p.returncode == 0 and calls else ["exit %d, %d calls" % (p.returncode,
                                                                                  len(calls))]
            for call in calls:
                e, n = check_call(call)
                errs += e
                checked += n
            if calls:
                errs += check_details(build.__name__, calls[0])
            print("%s %s" % ("FAIL" if errs else "ok  ", build.__name__))
            for e in errs:
                print("    " + e)
            failed += bool(errs)
    print("%d flows, %d legs ending 487 checked, %d failed" % (len(builds), checked, failed))
    return 1 if failed or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
