#!/usr/bin/env python3
"""Command-line behaviour of `analyze` and the `calls` filters on a hand-written trace.

Four single-hop calls (answered, busy, a 404 whose Call-ID and Request-URI carry hostile bytes,
one never answered) at known times; the expectations come from that story. Checked: every
filter of `calls` and their combination, usage errors (exit 2), an unreadable input (exit 3),
colour only when asked, escaping of trace bytes in text, JSON and CSV, and null ratios when
there are no attempts.

Usage: analyze_cli.py SIPSLEUTH
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from sipscen import Capture  # noqa: E402

A, B1, B2 = "10.0.0.1:5060", "10.0.0.3:5060", "10.0.0.4:5060"
HOSTILE_CID = 'c3,"q"\x1b[31m@x'
FORMULA_USER = "=cmd"
ESC_USER = "\x1b[2Jdan"
FAILS = []


def check(ok, what):
    if not ok:
        FAILS.append(what)


def call(c, t, cid, callee, code, user="bob"):
    ruri = "sip:%s@b.example" % user
    v = [(A, "z9hG4bK" + cid.encode().hex()[:12] + "i")]
    c.req(t, A, callee, "INVITE", ruri, v, cid, "fa", None, 1, body=True)
    c.resp(t + 0.010, callee, A, 100, "Trying", v, cid, "fa", None, 1, "INVITE")
    if code is None:
        return
    c.resp(t + 0.100, callee, A, 180, "Ringing", v, cid, "fa", "tb", 1, "INVITE")
    c.resp(t + 1.000, callee, A, code, "X", v, cid, "fa", "tb", 1, "INVITE", body=code == 200)
    if code == 200:
        c.req(t + 1.010, A, callee, "ACK", "sip:b@" + callee, [(A, v[0][1] + "k")], cid, "fa",
              "tb", 1)
        vb = [(A, v[0][1] + "b")]
        c.req(t + 5.000, A, callee, "BYE", "sip:b@" + callee, vb, cid, "fa", "tb", 2)
        c.resp(t + 5.010, callee, A, 200, "OK", vb, cid, "fa", "tb", 2, "BYE")
    else:
        c.req(t + 1.010, A, callee, "ACK", ruri, v, cid, "fa", "tb", 1)


def build(path):
    c = Capture()
    call(c, 0, "c1@x", B1, 200)
    call(c, 10, "c2@x", B2, 486, user="carol")
    call(c, 20, HOSTILE_CID, B2, 404, user=FORMULA_USER)
    call(c, 70, "c4@x", B1, None, user=ESC_USER)
    c.write(path)


def run(binary, *args, env=None):
    return subprocess.run([binary] + list(args), capture_output=True, timeout=60,
                          env=dict(os.environ, **(env or {})))


def calls_ids(binary, cap, *filters):
    p = run(binary, "calls", "--format", "ndjson", *(list(filters) + [cap]))
    if p.returncode != 0:
        return "exit %d: %s" % (p.returncode, p.stderr.decode()[-200:])
    objs = [json.loads(l) for l in p.stdout.decode().splitlines()]
    return sorted(o["call_id"][0] for o in objs if o["type"] == "call")


def check_filters(binary, cap):
    cases = [
        ([], ["c1@x", "c2@x", HOSTILE_CID, "c4@x"]),
        (["--code", "486"], ["c2@x"]),
        (["--code", "4xx"], ["c2@x", HOSTILE_CID]),
        (["--code", "none"], ["c4@x"]),
        (["--code", "200", "--code", "404"], ["c1@x", HOSTILE_CID]),
        (["--category", "success,Rejected"], ["c1@x", "c2@x"]),
        (["--category", "INCOMPLETE"], ["c4@x"]),
        (["--address", "10.0.0.4"], ["c2@x", HOSTILE_CID]),
        (["--address", "10.0.0.3:5060"], ["c1@x", "c4@x"]),
        (["--address", "10.0.0.3:5999"], []),
        (["--address", "[::1]:5060"], []),
        (["--call-id", "c1@x,c4@x"], ["c1@x", "c4@x"]),
        (["--call-id", HOSTILE_CID], [HOSTILE_CID]),
        (["--since", "15"], [HOSTILE_CID, "c4@x"]),
        (["--until", "15"], ["c1@x", "c2@x"]),
        (["--since", "10", "--until", "20"], ["c2@x"]),
        (["--since", "2023-11-14T22:13:30Z", "--until", "2023-11-14T23:14:20+01:00"],
         ["c2@x", HOSTILE_CID]),
        (["--since", "2023-11-14 22:13:30.5"], [HOSTILE_CID, "c4@x"]),
        (["--until", "2023-11-14"], []),
        (["--category", "REJECTED", "--address", "10.0.0.3"], []),
        (["--category", "REJECTED", "--address", "10.0.0.4"], ["c2@x"]),
    ]
    for args, want in cases:
        got = calls_ids(binary, cap, *args)
        check(got == sorted(want), "calls %s: %r, want %r" % (" ".join(args), got, sorted(want)))
    for bad in (["--code", "99"], ["--code", "7xx"], ["--category", "CANCELLED"],
                ["--finding", "no-such-rule"], ["--since", "tomorrow"], ["--until", "-5"],
                ["--address", "10.0.0"], ["--address", "10.0.0.1:0"],
                ["--since", "2023-13-01"]):
        p = run(binary, "calls", *(bad + [cap]))
        check(p.returncode == 2 and p.stderr, "calls %s: exit %d" % (" ".join(bad), p.returncode))


def check_analyze(binary, cap, tmp):
    text = run(binary, "analyze", cap)
    check(text.returncode == 0, "analyze exit %d" % text.returncode)
    check(b"\x1b" not in text.stdout, "colour or a raw ESC on a pipe")
    # the Request-URI with an ESC does not parse: its key is the URI as written, escaped
    check(b"sip:\\x1b[2Jdan@b.exam~" in text.stdout, "hostile destination not escaped in text")
    col = run(binary, "analyze", "--color", "always", cap, env={"NO_COLOR": "1"})
    check(b"\x1b[1m" in col.stdout, "--color always without colour")
    check(b"\x1b[2J" not in col.stdout, "a trace byte reached the terminal")
    check(b"\x1b" not in run(binary, "analyze", "--color", "never", cap).stdout, "--color never")
    js = run(binary, "analyze", "--format", "json", cap)
    rep = json.loads(js.stdout)
    check(rep["kpi"]["attempts"] == 4 and rep["kpi"]["answered"] == 1, "attempts/answered")
    check(rep["kpi"]["asr"] == 0.25, "asr %r" % rep["kpi"]["asr"])
    check(rep["categories"]["INCOMPLETE"] == 1, "incomplete")
    keys = [r["key"] for r in rep["destinations"]["rows"]]
    check("sip:" + ESC_USER + "@b.example" in keys, "hostile key in JSON: %r" % keys)
    check(FORMULA_USER + "@b.example" in keys, "formula key in JSON: %r" % keys)
    csvp = run(binary, "analyze", "--format", "csv", cap)
    rows = list(csv.DictReader(io.StringIO(csvp.stdout.decode())))
    check(len(rows) == 4, "csv rows %d" % len(rows))
    by = {r["call_id"]: r for r in rows}
    check(HOSTILE_CID in by, "hostile Call-ID does not round-trip through CSV")
    if HOSTILE_CID in by:
        r = by[HOSTILE_CID]
        check(r["destination"] == "'" + FORMULA_USER + "@b.example", "formula not neutralised: %r"
              % r["destination"])
        check(r["final_code"] == "404" and r["category"] == "ERROR", "hostile call outcome")
    check(by.get("c4@x", {}).get("final_code") == "" and by["c4@x"]["pdd_ms"] == "",
          "empty cells for no final")
    check(by.get("c1@x", {}).get("duration_ms") == "3990.000", "c1 duration %r"
          % by.get("c1@x", {}).get("duration_ms"))
    check(csvp.stdout.count(b"\r\n") == 5, "CSV lines end with CRLF")
    # exit codes
    for bad in (["--fail-on", "fatal"], ["--format", "xml"], ["--ner", "itu"], ["--bucket", "0"],
                ["--top", "0"], ["--color", "maybe"], ["--no-such-option"], []):
        p = run(binary, "analyze", *(bad + ([cap] if bad else [])))
        check(p.returncode == 2, "analyze %s: exit %d" % (" ".join(bad), p.returncode))
    p = run(binary, "analyze", os.path.join(tmp, "missing.pcap"))
    check(p.returncode == 3, "missing input: exit %d" % p.returncode)
    p = run(binary, "analyze", "--fail-on", "info", os.path.join(tmp, "missing.pcap"), cap)
    check(p.returncode == 3, "unreadable input wins over --fail-on: exit %d" % p.returncode)
    # no attempts at all: ratios are null, not 0
    c = Capture()
    v = [(A, "z9hG4bKr1")]
    c.req(0, A, B1, "REGISTER", "sip:b.example", v, "r1@x", "fa", None, 1)
    c.resp(0.01, B1, A, 200, "OK", v, "r1@x", "fa", "tb", 1, "REGISTER")
    reg = os.path.join(tmp, "register.pcap")
    c.write(reg)
    rep = json.loads(run(binary, "analyze", "--format", "json", reg).stdout)
    check(rep["kpi"]["asr"] is None and rep["kpi"]["ner"] is None, "ratios without attempts")
    check(rep["other_traffic"]["methods"].get("REGISTER", {}).get("codes") == {"200": 1},
          "REGISTER in other traffic")


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        cap = os.path.join(tmp, "calls.pcap")
        build(cap)
        check_filters(binary, cap)
        check_analyze(binary, cap, tmp)
    for f in FAILS:
        print("FAIL", f)
    print("%d failure(s)" % len(FAILS))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
