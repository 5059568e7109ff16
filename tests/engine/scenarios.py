#!/usr/bin/env python3
"""Engine acceptance scenarios: hand-written traces and what `sipsleuth calls` must rebuild.

Each scenario writes its capture with tests/tools/sipscen.py, runs
`sipsleuth calls --format ndjson`, and checks the calls field by field. The expectations are
written from RFC 3261 and the scenario's story, not from sipsleuth's output.

Usage: scenarios.py SIPSLEUTH [NAME...]
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from sipscen import Capture  # noqa: E402
from flows import *  # noqa: E402,F401,F403

SCENARIOS = {}


def scenario(fn):
    SCENARIOS[fn.__name__] = fn
    return fn


@scenario
def proxy_call_answered(c):
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    c.resp(0.100, B1, P, 180, "Ringing", vb, CID, "fa", "tb", 1, "INVITE")
    c.resp(0.101, P, A, 180, "Ringing", va, CID, "fa", "tb", 1, "INVITE")
    c.resp(2.000, B1, P, 200, "OK", vb, CID, "fa", "tb", 1, "INVITE", body=True)
    c.resp(2.001, P, A, 200, "OK", va, CID, "fa", "tb", 1, "INVITE", body=True)
    c.req(2.010, A, P, "ACK", "sip:" + B1, [(A, "z9hG4bKa2")], CID, "fa", "tb", 1)
    c.req(2.011, P, B1, "ACK", "sip:" + B1, [(P, "z9hG4bKp2"), (A, "z9hG4bKa2")], CID, "fa", "tb", 1)
    c.req(10.000, A, P, "BYE", "sip:" + B1, [(A, "z9hG4bKa3")], CID, "fa", "tb", 2)
    vbye = [(P, "z9hG4bKp3"), (A, "z9hG4bKa3")]
    c.req(10.001, P, B1, "BYE", "sip:" + B1, vbye, CID, "fa", "tb", 2)
    c.resp(10.010, B1, P, 200, "OK", vbye, CID, "fa", "tb", 2, "BYE")
    c.resp(10.011, P, A, 200, "OK", [(A, "z9hG4bKa3")], CID, "fa", "tb", 2, "BYE")
    return [{
        "final_code": 200, "nlegs": 2, "pdd_ms": 101.0, "setup_ms": 2001.0,
        "duration_ms": 7990.0, "ended_by": "caller",
        "legs": [{"src": A, "dst": P, "parent": None, "final_code": 200, "canceled_by": None},
                 {"src": P, "dst": B1, "parent": 0, "final_code": 200, "canceled_by": None}],
    }]


@scenario
def caller_cancel(c):
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    c.resp(0.100, B1, P, 180, "Ringing", vb, CID, "fa", "tb", 1, "INVITE")
    c.resp(0.101, P, A, 180, "Ringing", va, CID, "fa", "tb", 1, "INVITE")
    c.req(4.000, A, P, "CANCEL", RURI, va, CID, "fa", None, 1)
    c.resp(4.001, P, A, 200, "OK", va, CID, "fa", None, 1, "CANCEL")
    c.req(4.002, P, B1, "CANCEL", "sip:bob@" + B1, vb, CID, "fa", None, 1)
    c.resp(4.003, B1, P, 200, "OK", vb, CID, "fa", None, 1, "CANCEL")
    c.resp(4.004, B1, P, 487, "Request Terminated", vb, CID, "fa", "tb", 1, "INVITE")
    c.req(4.005, P, B1, "ACK", "sip:bob@" + B1, vb[:1], CID, "fa", "tb", 1)
    c.resp(4.006, P, A, 487, "Request Terminated", va, CID, "fa", "tb", 1, "INVITE")
    c.req(4.007, A, P, "ACK", RURI, va, CID, "fa", "tb", 1)
    return [{
        "final_code": 487, "nlegs": 2, "pdd_ms": 101.0, "setup_ms": None, "duration_ms": None,
        "ended_by": None,
        "legs": [{"parent": None, "final_code": 487, "canceled_by": "upstream", "retransmissions": 0},
                 {"parent": 0, "final_code": 487, "canceled_by": "upstream", "retransmissions": 0}],
    }]


@scenario
def fork_one_wins(c):
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    v2 = invite_leg_b(c, 0.003, B2, "z9hG4bKp2", va)
    c.resp(0.100, B1, P, 180, "Ringing", v1, CID, "fa", "t1", 1, "INVITE")
    c.resp(0.101, P, A, 180, "Ringing", va, CID, "fa", "t1", 1, "INVITE")
    c.resp(0.150, B2, P, 180, "Ringing", v2, CID, "fa", "t2", 1, "INVITE")
    c.resp(0.151, P, A, 180, "Ringing", va, CID, "fa", "t2", 1, "INVITE")
    c.resp(3.000, B2, P, 200, "OK", v2, CID, "fa", "t2", 1, "INVITE", body=True)
    c.resp(3.001, P, A, 200, "OK", va, CID, "fa", "t2", 1, "INVITE", body=True)
    c.req(3.002, P, B1, "CANCEL", "sip:bob@" + B1, v1[:1], CID, "fa", None, 1, extra=[REASON_ELSEWHERE])
    c.resp(3.003, B1, P, 200, "OK", v1[:1], CID, "fa", None, 1, "CANCEL")
    c.resp(3.004, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
    c.req(3.005, P, B1, "ACK", "sip:bob@" + B1, v1[:1], CID, "fa", "t1", 1)
    c.req(3.010, A, P, "ACK", "sip:" + B2, [(A, "z9hG4bKa2")], CID, "fa", "t2", 1)
    c.req(3.011, P, B2, "ACK", "sip:" + B2, [(P, "z9hG4bKp3"), (A, "z9hG4bKa2")], CID, "fa", "t2", 1)
    c.req(9.000, B2, P, "BYE", "sip:" + A, [(B2, "z9hG4bKb9")], CID, "t2", "fa", 1,
          from_uri="sip:bob@b.example", to_uri="sip:alice@a.example")
    vbye = [(P, "z9hG4bKp9"), (B2, "z9hG4bKb9")]
    c.req(9.001, P, A, "BYE", "sip:" + A, vbye, CID, "t2", "fa", 1,
          from_uri="sip:bob@b.example", to_uri="sip:alice@a.example")
    c.resp(9.002, A, P, 200, "OK", vbye, CID, "t2", "fa", 1, "BYE",
           from_uri="sip:bob@b.example", to_uri="sip:alice@a.example")
    c.resp(9.003, P, B2, 200, "OK", [(B2, "z9hG4bKb9")], CID, "t2", "fa", 1, "BYE",
           from_uri="sip:bob@b.example", to_uri="sip:alice@a.example")
    return [{
        "final_code": 200, "nlegs": 3, "pdd_ms": 101.0, "setup_ms": 3001.0,
        "duration_ms": 5990.0, "ended_by": "callee",
        "legs": [{"dst": P, "parent": None, "final_code": 200, "canceled_by": None},
                 {"dst": B1, "parent": 0, "final_code": 487, "canceled_by": "proxy"},
                 {"dst": B2, "parent": 0, "final_code": 200, "canceled_by": None}],
    }]


@scenario
def retransmissions(c):
    va = [(A, "z9hG4bKa1")]
    for t in (0.0, 0.5, 1.5):  # Timer A: T1, 2*T1
        c.req(t, A, P, "INVITE", RURI, va, CID, "fa", None, 1, body=True)
    c.resp(1.6, P, A, 100, "Trying", va, CID, "fa", None, 1, "INVITE")
    for t in (2.0, 2.5, 3.5):  # Timer G
        c.resp(t, P, A, 486, "Busy Here", va, CID, "fa", "tp", 1, "INVITE")
    c.req(3.6, A, P, "ACK", RURI, va, CID, "fa", "tp", 1)
    return [{"final_code": 486, "nlegs": 1, "pdd_ms": None, "setup_ms": None,
             "legs": [{"final_code": 486, "retransmissions": 4}]}]


@scenario
def rfc2543_no_cookie(c):
    # RFC 2543 peers: no z9hG4bK cookie; matching falls back to Call-ID, CSeq, From tag, Via.
    va = [(A, "1")]
    c.req(0.0, A, P, "INVITE", RURI, va, CID, "fa", None, 1, body=True)
    c.req(0.5, A, P, "INVITE", RURI, va, CID, "fa", None, 1, body=True)
    c.resp(0.6, P, A, 180, "Ringing", va, CID, "fa", "tp", 1, "INVITE")
    c.resp(1.0, P, A, 200, "OK", va, CID, "fa", "tp", 1, "INVITE", body=True)
    c.req(1.1, A, P, "ACK", RURI, va, CID, "fa", "tp", 1)
    c.req(5.0, A, P, "BYE", RURI, [(A, "2")], CID, "fa", "tp", 2)
    c.resp(5.1, P, A, 200, "OK", [(A, "2")], CID, "fa", "tp", 2, "BYE")
    return [{"final_code": 200, "nlegs": 1, "pdd_ms": 600.0, "setup_ms": 1000.0,
             "duration_ms": 3900.0, "ended_by": "caller",
             "legs": [{"final_code": 200, "retransmissions": 1}]}]


@scenario
def duplicate_frames(c):
    proxy_call_answered(c)
    # The capture saw every packet twice (e.g. on two interfaces), 50 microseconds apart.
    for t, src, dst, payload, proto in list(c.frames):
        c.raw(t + 0.00005, src, dst, payload, proto)
    exp = proxy_call_answered(Capture())
    exp[0]["legs"] = [dict(l, retransmissions=0) for l in exp[0]["legs"]]
    return exp


@scenario
def cancel_wrong_branch(c):
    va = invite_leg_a(c)
    c.resp(0.100, P, A, 180, "Ringing", va, CID, "fa", "tp", 1, "INVITE")
    # The CANCEL carries another branch: it matches no INVITE transaction (RFC 3261 §9.2).
    c.req(1.0, A, P, "CANCEL", RURI, [(A, "z9hG4bKother")], CID, "fa", None, 1)
    c.resp(1.001, P, A, 481, "Call/Transaction Does Not Exist", [(A, "z9hG4bKother")], CID, "fa",
           None, 1, "CANCEL")
    c.resp(2.0, P, A, 200, "OK", va, CID, "fa", "tp", 1, "INVITE", body=True)
    c.req(2.1, A, P, "ACK", RURI, [(A, "z9hG4bKa2")], CID, "fa", "tp", 1)
    return [{"final_code": 200, "nlegs": 1, "legs": [{"canceled_by": None, "final_code": 200}]}]


@scenario
def auth_retry(c):
    va = [(A, "z9hG4bKa1")]
    c.req(0.0, A, P, "INVITE", RURI, va, CID, "fa", None, 1, body=True)
    c.resp(0.010, P, A, 407, "Proxy Authentication Required", va, CID, "fa", "px", 1, "INVITE",
           extra=['Proxy-Authenticate: Digest realm="b.example", nonce="abc"'])
    c.req(0.020, A, P, "ACK", RURI, va, CID, "fa", "px", 1)
    va2 = invite_leg_a(c, 0.030, "z9hG4bKa4", cseq=2,
                       extra=['Proxy-Authorization: Digest username="alice", realm="b.example", '
                              'nonce="abc", uri="sip:bob@b.example", response="00"'])
    vb = invite_leg_b(c, 0.032, B1, "z9hG4bKp1", va2, cseq=2)
    c.resp(0.500, B1, P, 180, "Ringing", vb, CID, "fa", "tb", 2, "INVITE")
    c.resp(0.501, P, A, 180, "Ringing", va2, CID, "fa", "tb", 2, "INVITE")
    c.resp(1.500, B1, P, 200, "OK", vb, CID, "fa", "tb", 2, "INVITE", body=True)
    c.resp(1.501, P, A, 200, "OK", va2, CID, "fa", "tb", 2, "INVITE", body=True)
    c.req(1.510, A, P, "ACK", "sip:" + B1, [(A, "z9hG4bKa5")], CID, "fa", "tb", 2)
    return [{"final_code": 200, "nlegs": 3, "auth_attempts": 2, "pdd_ms": 501.0,
             "setup_ms": 1501.0, "duration_ms": None,
             "legs": [{"final_code": 407, "parent": None}, {"final_code": 200, "parent": None},
                      {"final_code": 200, "parent": 1}]}]


@scenario
def auth_retry_reuses_branch(c):
    # A UAC (sipp does this) resends the INVITE with new credentials and a new CSeq but the
    # branch of its previous INVITE. A different CSeq number is a different request (RFC 3261
    # §8.1.1.7 wants a new branch anyway): three transactions, not one and two retransmissions.
    auth = ['Proxy-Authorization: Digest username="alice", realm="b.example", nonce="n%d", '
            'uri="sip:bob@b.example", response="00"']
    for i, branch in enumerate(("z9hG4bKa1", "z9hG4bKa2", "z9hG4bKa2")):
        t, v = i * 0.01, [(A, branch)]
        c.req(t, A, P, "INVITE", RURI, v, CID, "fa", None, i + 1, body=True,
              extra=[auth[0] % i] if i else [])
        c.resp(t + 0.002, P, A, 407, "Proxy Authentication Required", v, CID, "fa", "px", i + 1,
               "INVITE", extra=['Proxy-Authenticate: Digest realm="b.example", nonce="n%d"' % i])
        c.req(t + 0.003, A, P, "ACK", RURI, v, CID, "fa", "px", i + 1)
    return [{"final_code": 407, "nlegs": 3, "auth_attempts": 3,
             "legs": [{"final_code": 407, "retransmissions": 0}] * 3}]


@scenario
def b2bua_xcid(c):
    va = invite_leg_a(c)
    # A B2BUA starts a new dialog (new Call-ID, own Via stack) and names the inbound Call-ID.
    cid2 = "b2b-leg-2@s.example"
    vs = [(S, "z9hG4bKs1")]
    c.req(0.020, P, S, "INVITE", "sip:bob@" + S, [(P, "z9hG4bKp1")] + va, CID, "fa", None, 1,
          body=True)
    c.req(0.030, S, B1, "INVITE", "sip:bob@" + B1, vs, cid2, "fs", None, 1, body=True,
          extra=["X-CID: " + CID])
    c.resp(0.100, B1, S, 486, "Busy Here", vs, cid2, "fs", "tb", 1, "INVITE")
    c.req(0.101, S, B1, "ACK", "sip:bob@" + B1, vs, cid2, "fs", "tb", 1)
    c.resp(0.110, S, P, 486, "Busy Here", [(P, "z9hG4bKp1")] + va, CID, "fa", "ts", 1, "INVITE")
    c.req(0.111, P, S, "ACK", "sip:bob@" + S, [(P, "z9hG4bKp1")], CID, "fa", "ts", 1)
    c.resp(0.120, P, A, 486, "Busy Here", va, CID, "fa", "ts", 1, "INVITE")
    c.req(0.121, A, P, "ACK", RURI, va, CID, "fa", "ts", 1)
    return [{"call_id": [CID, cid2], "final_code": 486, "nlegs": 3,
             "legs": [{"dst": P, "parent": None}, {"dst": S, "parent": 0},
                      {"dst": B1, "parent": 1}]}]


@scenario
def stray_487_after_200(c):
    # Fork; B2 answers; B1's 487 is retransmitted after the proxy's transaction is gone and the
    # proxy relays it statelessly upstream (RFC 6026 §7.3 says it must not).
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    v2 = invite_leg_b(c, 0.003, B2, "z9hG4bKp2", va)
    c.resp(3.000, B2, P, 200, "OK", v2, CID, "fa", "t2", 1, "INVITE", body=True)
    c.resp(3.001, P, A, 200, "OK", va, CID, "fa", "t2", 1, "INVITE", body=True)
    c.req(3.002, P, B1, "CANCEL", "sip:bob@" + B1, v1[:1], CID, "fa", None, 1, extra=[REASON_ELSEWHERE])
    c.resp(3.003, B1, P, 200, "OK", v1[:1], CID, "fa", None, 1, "CANCEL")
    c.resp(3.004, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
    c.req(3.005, P, B1, "ACK", "sip:bob@" + B1, v1[:1], CID, "fa", "t1", 1)
    c.req(3.010, A, P, "ACK", "sip:" + B2, [(A, "z9hG4bKa2")], CID, "fa", "t2", 1)
    c.resp(3.504, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
    c.resp(3.505, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
    return [{"final_code": 200, "nlegs": 3,
             "legs": [{"final_code": 200}, {"final_code": 487, "canceled_by": "proxy"},
                      {"final_code": 200}]}]


@scenario
def settled_calls_released(c):
    # Three short rejected calls 100 s apart: each is settled 32 s (64*T1) after its last
    # message and must be released before the next starts, so at most one call is ever held.
    for n in range(3):
        t0 = 100.0 * n
        cid = "seq-%d@a.example" % n
        v = [(A, "z9hG4bKs%d" % n)]
        c.req(t0, A, P, "INVITE", RURI, v, cid, "fa", None, 1, body=True)
        c.resp(t0 + 0.01, P, A, 486, "Busy Here", v, cid, "fa", "tp", 1, "INVITE")
        c.req(t0 + 0.02, A, P, "ACK", RURI, v, cid, "fa", "tp", 1)
    return [{"final_code": 486, "nlegs": 1}] * 3


@scenario
def non_call_traffic(c):
    v = [(A, "z9hG4bKr1")]
    c.req(0.0, A, P, "REGISTER", "sip:b.example", v, "reg-1", "fr", None, 1)
    c.resp(0.01, P, A, 401, "Unauthorized", v, "reg-1", "fr", "tr", 1, "REGISTER")
    v = [(A, "z9hG4bKr2")]
    c.req(0.02, A, P, "REGISTER", "sip:b.example", v, "reg-1", "fr", None, 2)
    c.resp(0.03, P, A, 200, "OK", v, "reg-1", "fr", "tr", 2, "REGISTER")
    v = [(P, "z9hG4bKo1")]
    c.req(1.0, P, B1, "OPTIONS", "sip:" + B1, v, "opt-1", "fo", None, 1)
    c.resp(1.01, B1, P, 200, "OK", v, "opt-1", "fo", "to", 1, "OPTIONS")
    return []


def check(name, exp_calls, got_calls):
    errs = []
    if len(exp_calls) != len(got_calls):
        return ["%s: expected %d calls, got %d" % (name, len(exp_calls), len(got_calls))]
    for i, (e, g) in enumerate(zip(exp_calls, got_calls)):
        for k, v in e.items():
            if k == "legs":
                for j, le in enumerate(v):
                    if j >= len(g["legs"]):
                        errs.append("%s call %d: missing leg %d" % (name, i, j))
                        continue
                    for lk, lv in le.items():
                        if g["legs"][j].get(lk) != lv:
                            errs.append("%s call %d leg %d: %s = %r, expected %r" %
                                        (name, i, j, lk, g["legs"][j].get(lk), lv))
            elif k == "nlegs":
                if len(g["legs"]) != v:
                    errs.append("%s call %d: %d legs, expected %d" % (name, i, len(g["legs"]), v))
            else:
                gv = g.get(k)
                if isinstance(v, float) and isinstance(gv, (int, float)):
                    ok = abs(gv - v) < 0.0015
                else:
                    ok = gv == v
                if not ok:
                    errs.append("%s call %d: %s = %r, expected %r" % (name, i, k, gv, v))
    return errs


def main():
    binary = sys.argv[1]
    names = sys.argv[2:] or sorted(SCENARIOS)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            cap = Capture()
            exp = SCENARIOS[name](cap)
            path = os.path.join(tmp, name + ".pcap")
            cap.write(path)
            p = subprocess.run([binary, "calls", "--format", "ndjson", path],
                               capture_output=True, timeout=60)
            objs = [json.loads(l) for l in p.stdout.decode().splitlines()]
            calls = [o for o in objs if o["type"] == "call"]
            summary = [o for o in objs if o["type"] == "summary"]
            errs = [] if p.returncode == 0 else ["%s: exit %d" % (name, p.returncode)]
            errs += check(name, exp, calls)
            if name == "duplicate_frames" and summary:
                if summary[0]["engine"]["engine.duplicate_captures"] != 14:
                    errs.append("duplicate_frames: %r duplicate captures, expected 14" %
                                summary[0]["engine"]["engine.duplicate_captures"])
            if name == "settled_calls_released" and summary:
                if summary[0]["engine"]["engine.peak_open_calls"] != 1:
                    errs.append("settled_calls_released: peak open calls %r, expected 1" %
                                summary[0]["engine"]["engine.peak_open_calls"])
            if name == "non_call_traffic" and summary:
                m = summary[0]["other_traffic"]["methods"]
                if m.get("REGISTER", {}).get("transactions") != 2 or \
                        m.get("OPTIONS", {}).get("2xx") != 1:
                    errs.append("non_call_traffic: other traffic %r" % m)
            if errs:
                failed += 1
                print("FAIL", name)
                for e in errs:
                    print("   ", e)
                for o in calls:
                    print("    got:", json.dumps(o)[:600])
            else:
                print("ok  ", name)
    print("%d passed, %d failed" % (len(names) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
