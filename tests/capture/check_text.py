#!/usr/bin/env python3
"""Text-trace acceptance: every sample in tests/data/text/ (one per supported log shape) read by
`sipsleuth messages --format json` must give, message by message, the listing in NAME.expected:
start line, Call-ID, CSeq, time (UTC, microseconds; "-" when the text has none), source ->
destination ("-" when the text has no addresses, "?" for a side it does not name) and transport.
Each sample is read mapped, with read(2) (--no-mmap) and from standard input; all three must
agree. The summary must report unknown timing when a sample has no times.

Usage: check_text.py SIPSLEUTH [SAMPLE...]
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(HERE), "data", "text")


def listing(msgs):
    out = []
    for m in msgs:
        if m["method"] is not None:
            start = "%s %s SIP/2.0" % (m["method"], m["ruri"])
        else:
            start = "SIP/2.0 %d %s" % (m["status"], m["reason"])
        t = m["time"]
        t = "-" if t is None else t[:26]
        if m["src"] is None and m["dst"] is None:
            addrs = "- -> -"
        else:
            addrs = "%s -> %s" % (m["src"], m["dst"])
        out.append(" | ".join([start, m["call_id"] or "", m["cseq"] or "", t, addrs,
                               m["transport"]]))
    return out


def run(binary, path, how):
    args = [binary, "messages", "--format", "json"]
    stdin = None
    if how == "no-mmap":
        args += ["--no-mmap", path]
    elif how == "stdin":
        args.append("-")
        stdin = open(path, "rb")
    else:
        args.append(path)
    p = subprocess.run(args, stdin=stdin, capture_output=True, timeout=60)
    if stdin:
        stdin.close()
    msgs, summary = [], None
    for line in p.stdout.decode("utf-8").splitlines():
        o = json.loads(line)
        if o["type"] == "message":
            msgs.append(o)
        else:
            summary = o["summary"]
    return p.returncode, msgs, summary


def check(binary, name):
    path = os.path.join(DATA, name)
    with open(path + ".expected", encoding="utf-8") as f:
        want = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    errs, first = [], None
    for how in ("mmap", "no-mmap", "stdin"):
        rc, msgs, summary = run(binary, path, how)
        got = listing(msgs)
        if rc != 0:
            errs.append("%s (%s): exit status %d" % (name, how, rc))
        if first is None:
            first = (got, summary)
            for i in range(max(len(got), len(want))):
                g = got[i] if i < len(got) else "(nothing)"
                w = want[i] if i < len(want) else "(nothing)"
                if g != w:
                    errs.append("%s message %d:\n      got  %s\n      want %s" % (name, i + 1, g, w))
            # A trace that lost its CRs keeps Content-Lengths counted in CRLF bytes: the parser
            # rightly says the body is shorter; anything else malformed is an error.
            bad = [m for m in msgs if m["malformed"] and not (
                m["malformed"] == "body-shorter-than-content-length" and "bare-lf" in m["anomalies"])]
            for m in bad:
                errs.append("%s frame %d: malformed %s" % (name, m["frame"], m["malformed"]))
            if all(l.split(" | ")[3] == "-" for l in want) and summary["time_span"] is not None:
                errs.append("%s: the summary gives a time span for a trace without times" % name)
            if summary["counters"].get("text.messages", 0) != len(want):
                errs.append("%s: text.messages %r" % (name, summary["counters"]))
        elif (got, summary["counters"]) != (first[0], first[1]["counters"]):
            errs.append("%s: reading it %s gives another result" % (name, how))
    return errs


def main():
    binary = sys.argv[1]
    names = sys.argv[2:] or sorted(f[:-9] for f in os.listdir(DATA) if f.endswith(".expected"))
    failed = 0
    for name in names:
        errs = check(binary, name)
        if errs:
            failed += 1
            print("FAIL", name)
            for e in errs[:12]:
                print("   ", e)
        else:
            print("ok  ", name)
    print("%d passed, %d failed" % (len(names) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
