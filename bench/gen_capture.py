#!/usr/bin/env python3
"""Generate a synthetic SIP capture (classic pcap, Ethernet/IPv4/UDP) of a given size.

Calls go caller -> proxy -> callee (two hops, so every call has two legs), with a mix of
outcomes in fixed proportions and unique Call-IDs, at a steady call rate with a bounded number
of calls in flight. Used by the benchmarks (same call rate at 100 MB and 1 GB, so memory must
stay flat) and as a generator with exact ground truth (--truth FILE writes one JSON line per
call with its outcome).

Usage: gen_capture.py OUT.pcap --mb 100 [--cps 200] [--seed 1] [--truth OUT.truth.ndjson]
                      [--mix default|extended]

--mix extended adds no answer (480 after ringing), decline (603), redirect (302), a silent callee
(the proxy retransmits, then answers 408 after Timer B), a caller who hangs up before ringing,
and a proxy challenge (407) answered with credentials; the default mix and its bytes are
unchanged. Each truth line: call_id, outcome, start (epoch seconds of the first INVITE),
final_code, category, pdd_ms, setup_ms, duration_ms (null when not applicable), ir42 class and
retransmissions, as generated (docs/metrics.md defines them).
"""
import argparse
import json
import random
import struct

ETH = b"\x00\x11\x22\x33\x44\x55" + b"\x66\x77\x88\x99\xaa\xbb" + b"\x08\x00"
CALLER, PROXY, CALLEE = "10.1.0.10", "10.1.0.1", "10.1.0.20"


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def frame(src, sport, dst, dport, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                      ip4(src), ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return ETH + hdr + udp


SDP = ("v=0\r\no=- 2890844526 2890844526 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
       "m=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
       "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n")


class Call:
    def __init__(self, n, rng):
        self.n = n
        self.cid = "%08x-%04x@%s" % (rng.getrandbits(32), n & 0xFFFF, CALLER)
        self.ftag = "%x" % rng.getrandbits(40)
        self.ttag = "%x" % rng.getrandbits(40)
        self.b1 = "z9hG4bK%x" % rng.getrandbits(48)  # caller's branch
        self.b2 = "z9hG4bK%x" % rng.getrandbits(48)  # proxy's branch
        self.user = "+1555%07d" % (n % 10000000)

    def request(self, method, hop, branch_hop, cseq_method=None, cseq=1, to_tag=False,
                body="", tx="", extra=()):
        """hop 1: caller->proxy (one Via); hop 2: proxy->callee (two Vias). tx is appended to
        the branches (a new transaction, e.g. the INVITE retried with credentials)."""
        ruri = "sip:%s@%s" % (self.user, PROXY if hop == 1 else CALLEE)
        vias = []
        if hop == 2:
            vias.append("Via: SIP/2.0/UDP %s:5060;branch=%s" % (PROXY, (self.b2 if branch_hop else self.b2 + "a") + tx))
        vias.append("Via: SIP/2.0/UDP %s:5060;branch=%s" % (CALLER, (self.b1 if branch_hop else self.b1 + "a") + tx))
        h = ["%s %s SIP/2.0" % (method, ruri)] + vias + [
            "Max-Forwards: %d" % (70 if hop == 1 else 69),
            "From: \"Caller %d\" <sip:caller%d@%s>;tag=%s" % (self.n % 1000, self.n % 1000, CALLER, self.ftag),
            "To: <sip:%s@%s>%s" % (self.user, PROXY, (";tag=" + self.ttag) if to_tag else ""),
            "Call-ID: %s" % self.cid,
            "CSeq: %d %s" % (cseq, cseq_method or method),
            "Contact: <sip:caller@%s:5060>" % CALLER,
            "User-Agent: gen_capture",
        ] + list(extra)
        if body:
            h.append("Content-Type: application/sdp")
        h.append("Content-Length: %d" % len(body))
        return ("\r\n".join(h) + "\r\n\r\n" + body).encode()

    def response(self, code, reason, hop, method="INVITE", cseq=1, to_tag=True, body="",
                 branch_hop=True, tx="", tag=None, extra=()):
        vias = []
        if hop == 2:
            vias.append("Via: SIP/2.0/UDP %s:5060;branch=%s" % (PROXY, (self.b2 if branch_hop else self.b2 + "a") + tx))
        vias.append("Via: SIP/2.0/UDP %s:5060;branch=%s" % (CALLER, (self.b1 if branch_hop else self.b1 + "a") + tx))
        h = ["SIP/2.0 %d %s" % (code, reason)] + vias + [
            "From: \"Caller %d\" <sip:caller%d@%s>;tag=%s" % (self.n % 1000, self.n % 1000, CALLER, self.ftag),
            "To: <sip:%s@%s>%s" % (self.user, PROXY, (";tag=" + (tag or self.ttag)) if to_tag else ""),
            "Call-ID: %s" % self.cid,
            "CSeq: %d %s" % (cseq, method),
        ] + list(extra)
        if code == 200 and method == "INVITE":
            h.append("Contact: <sip:callee@%s:5060>" % CALLEE)
        if code == 302:
            h.append("Contact: <sip:%s@10.1.0.30:5060>" % self.user)
        if body:
            h.append("Content-Type: application/sdp")
        h.append("Content-Length: %d" % len(body))
        return ("\r\n".join(h) + "\r\n\r\n" + body).encode()


# outcome -> weight; the proportions are part of the ground truth
MIX = [("answered", 60), ("busy", 15), ("cancelled", 15), ("not_found", 5), ("unavailable", 5)]
MIX_EXTENDED = [("answered", 40), ("busy", 10), ("cancelled", 10), ("not_found", 5),
                ("unavailable", 5), ("no_answer", 8), ("declined", 4), ("redirect", 3),
                ("timeout", 5), ("auth", 7), ("abandoned", 3)]

# What the caller gets, as generated: final code, category, PDD / setup / duration in seconds
# (None: not applicable), IR.42 class, retransmitted messages. Times are offsets from the
# first INVITE; docs/metrics.md defines each.
TRUTH = {
    "answered": (200, "SUCCESS", 0.101, 2.001, 30.0 - 2.010, "answer", 0),
    "busy": (486, "REJECTED", 0.101, None, None, "user_busy", 0),
    "cancelled": (487, "CANCELED", 0.101, None, None, "no_answer", 0),
    "not_found": (404, "ERROR", None, None, None, "ineffective", 0),
    "unavailable": (500, "ERROR", None, None, None, "ineffective", 0),
    "no_answer": (480, "TIMEOUT", 0.101, None, None, "no_answer", 0),
    "declined": (603, "REJECTED", None, None, None, "terminal_reject", 0),
    "redirect": (302, "REDIRECTED", None, None, None, "ineffective", 0),
    "timeout": (408, "TIMEOUT", None, None, None, "ineffective", 6),
    "auth": (200, "SUCCESS", 0.111, 1.001, 20.0 - 1.010, "answer", 0),
    "abandoned": (487, "CANCELED", None, None, None, "ineffective", 0),
}


def events(call, outcome, t0):
    """(time, src, sport, dst, dport, payload) for both hops of one call."""
    C, P, E = (CALLER, 5060), (PROXY, 5060), (CALLEE, 5060)
    ev = []

    def up(dt, payload):    # caller -> proxy
        ev.append((t0 + dt, C, P, payload))

    def down(dt, payload):  # proxy -> callee
        ev.append((t0 + dt, P, E, payload))

    def back2(dt, payload):  # callee -> proxy
        ev.append((t0 + dt, E, P, payload))

    def back1(dt, payload):  # proxy -> caller
        ev.append((t0 + dt, P, C, payload))

    sdp_a = SDP.format(ip=CALLER)
    sdp_b = SDP.format(ip=CALLEE)
    if outcome in ("declined", "redirect", "timeout", "auth", "abandoned"):
        return events_extended(call, outcome, up, down, back1, back2, sdp_a, sdp_b, ev)
    up(0.0, call.request("INVITE", 1, True, body=sdp_a))
    back1(0.001, call.response(100, "Trying", 1, to_tag=False))
    down(0.002, call.request("INVITE", 2, True, body=sdp_a))
    back2(0.003, call.response(100, "Trying", 2, to_tag=False))
    if outcome in ("not_found", "unavailable"):
        code, reason = (404, "Not Found") if outcome == "not_found" else (503, "Service Unavailable")
        back2(0.050, call.response(code, reason, 2))
        down(0.051, call.request("ACK", 2, True, to_tag=True))
        back1(0.052, call.response(code if code != 503 else 500, reason if code != 503 else "Server Error", 1))
        up(0.053, call.request("ACK", 1, True, to_tag=True))
        return ev
    back2(0.100, call.response(180, "Ringing", 2))
    back1(0.101, call.response(180, "Ringing", 1))
    if outcome == "answered":
        back2(2.000, call.response(200, "OK", 2, body=sdp_b))
        back1(2.001, call.response(200, "OK", 1, body=sdp_b))
        up(2.010, call.request("ACK", 1, False, to_tag=True))
        down(2.011, call.request("ACK", 2, False, to_tag=True))
        up(30.0, call.request("BYE", 1, False, cseq=2, to_tag=True))
        down(30.001, call.request("BYE", 2, False, cseq=2, to_tag=True))
        back2(30.010, call.response(200, "OK", 2, method="BYE", cseq=2, branch_hop=False))
        back1(30.011, call.response(200, "OK", 1, method="BYE", cseq=2, branch_hop=False))
    elif outcome == "busy":
        back2(3.000, call.response(486, "Busy Here", 2))
        down(3.001, call.request("ACK", 2, True, to_tag=True))
        back1(3.002, call.response(486, "Busy Here", 1))
        up(3.003, call.request("ACK", 1, True, to_tag=True))
    elif outcome == "no_answer":
        back2(10.000, call.response(480, "Temporarily Unavailable", 2))
        down(10.001, call.request("ACK", 2, True, to_tag=True))
        back1(10.002, call.response(480, "Temporarily Unavailable", 1))
        up(10.003, call.request("ACK", 1, True, to_tag=True))
    elif outcome == "cancelled":
        up(5.000, call.request("CANCEL", 1, True))
        back1(5.001, call.response(200, "OK", 1, method="CANCEL", to_tag=False))
        down(5.002, call.request("CANCEL", 2, True))
        back2(5.003, call.response(200, "OK", 2, method="CANCEL", to_tag=False))
        back2(5.004, call.response(487, "Request Terminated", 2))
        down(5.005, call.request("ACK", 2, True, to_tag=True))
        back1(5.006, call.response(487, "Request Terminated", 1))
        up(5.007, call.request("ACK", 1, True, to_tag=True))
    return ev


def events_extended(call, outcome, up, down, back1, back2, sdp_a, sdp_b, ev):
    """Outcomes of --mix extended that do not start like the default ones."""
    if outcome == "auth":
        up(0.0, call.request("INVITE", 1, True, body=sdp_a))
        chal = 'Proxy-Authenticate: Digest realm="%s", nonce="%s"' % (PROXY, call.ftag)
        back1(0.001, call.response(407, "Proxy Authentication Required", 1, tag=call.ttag + "p",
                                   extra=[chal]))
        up(0.002, call.request("ACK", 1, True, to_tag=True))
        cred = ('Proxy-Authorization: Digest username="caller", realm="%s", nonce="%s", '
                'uri="sip:%s@%s", response="0123456789abcdef0123456789abcdef"'
                % (PROXY, call.ftag, call.user, PROXY))
        up(0.010, call.request("INVITE", 1, True, cseq=2, body=sdp_a, tx="r", extra=[cred]))
        back1(0.011, call.response(100, "Trying", 1, cseq=2, to_tag=False, tx="r"))
        down(0.012, call.request("INVITE", 2, True, cseq=2, body=sdp_a, tx="r"))
        back2(0.013, call.response(100, "Trying", 2, cseq=2, to_tag=False, tx="r"))
        back2(0.110, call.response(180, "Ringing", 2, cseq=2, tx="r"))
        back1(0.111, call.response(180, "Ringing", 1, cseq=2, tx="r"))
        back2(1.000, call.response(200, "OK", 2, cseq=2, body=sdp_b, tx="r"))
        back1(1.001, call.response(200, "OK", 1, cseq=2, body=sdp_b, tx="r"))
        up(1.010, call.request("ACK", 1, False, cseq=2, to_tag=True))
        down(1.011, call.request("ACK", 2, False, cseq=2, to_tag=True))
        up(20.0, call.request("BYE", 1, False, cseq=3, to_tag=True, tx="b"))
        down(20.001, call.request("BYE", 2, False, cseq=3, to_tag=True, tx="b"))
        back2(20.010, call.response(200, "OK", 2, method="BYE", cseq=3, branch_hop=False, tx="b"))
        back1(20.011, call.response(200, "OK", 1, method="BYE", cseq=3, branch_hop=False, tx="b"))
        return ev
    up(0.0, call.request("INVITE", 1, True, body=sdp_a))
    back1(0.001, call.response(100, "Trying", 1, to_tag=False))
    down(0.002, call.request("INVITE", 2, True, body=sdp_a))
    if outcome == "timeout":
        # The callee stays silent: the proxy retransmits (Timer A doubling from T1 = 0.5 s) and
        # answers 408 when Timer B (64*T1) fires.
        for dt in (0.5, 1.5, 3.5, 7.5, 15.5, 31.5):
            down(0.002 + dt, call.request("INVITE", 2, True, body=sdp_a))
        back1(32.002, call.response(408, "Request Timeout", 1, tag=call.ttag + "p"))
        up(32.003, call.request("ACK", 1, True, to_tag=True))
        return ev
    back2(0.003, call.response(100, "Trying", 2, to_tag=False))
    if outcome == "abandoned":  # the caller hangs up before anything rang
        up(0.050, call.request("CANCEL", 1, True))
        back1(0.051, call.response(200, "OK", 1, method="CANCEL", to_tag=False))
        down(0.052, call.request("CANCEL", 2, True))
        back2(0.053, call.response(200, "OK", 2, method="CANCEL", to_tag=False))
        back2(0.054, call.response(487, "Request Terminated", 2))
        down(0.055, call.request("ACK", 2, True, to_tag=True))
        back1(0.056, call.response(487, "Request Terminated", 1))
        up(0.057, call.request("ACK", 1, True, to_tag=True))
        return ev
    code, reason = (603, "Decline") if outcome == "declined" else (302, "Moved Temporarily")
    back2(0.050, call.response(code, reason, 2))
    down(0.051, call.request("ACK", 2, True, to_tag=True))
    back1(0.052, call.response(code, reason, 1))
    up(0.053, call.request("ACK", 1, True, to_tag=True))
    return ev


def truth_line(call, outcome, t0):
    code, cat, pdd, setup, dur, ir42, retrans = TRUTH[outcome]

    def ms(v):
        return None if v is None else round(v * 1000.0, 3)
    return json.dumps({"call_id": call.cid, "outcome": outcome, "start": t0, "final_code": code,
                       "category": cat, "pdd_ms": ms(pdd), "setup_ms": ms(setup),
                       "duration_ms": ms(dur), "ir42": ir42, "retransmissions": retrans})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=100.0)
    ap.add_argument("--cps", type=float, default=200.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--truth")
    ap.add_argument("--mix", choices=("default", "extended"), default="default")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    limit = int(a.mb * 1e6)
    start = 1700000000.0
    outcomes = [o for o, w in (MIX if a.mix == "default" else MIX_EXTENDED) for _ in range(w)]
    truth = open(a.truth, "w") if a.truth else None
    import heapq
    heap = []
    seq = 0
    written = 24
    n = 0
    with open(a.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        next_call = start
        while True:
            # Emit everything due before the next call starts.
            while heap and (heap[0][0] <= next_call or written >= limit):
                t, _, s, d, payload = heapq.heappop(heap)
                fr = frame(s[0], s[1], d[0], d[1], payload)
                sec = int(t)
                usec = int(round((t - sec) * 1e6))
                if usec >= 1000000:
                    sec, usec = sec + 1, usec - 1000000
                f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)) + fr)
                written += 16 + len(fr)
            if written >= limit:
                if not heap:
                    break
                continue
            call = Call(n, rng)
            outcome = outcomes[n % len(outcomes)]
            for t, s, d, payload in events(call, outcome, next_call):
                seq += 1
                heapq.heappush(heap, (t, seq, s, d, payload))
            if truth:
                truth.write(truth_line(call, outcome, next_call) + "\n")
            n += 1
            next_call += 1.0 / a.cps
    if truth:
        truth.close()
    print("%s: %d calls, %.1f MB" % (a.out, n, written / 1e6))


if __name__ == "__main__":
    main()
