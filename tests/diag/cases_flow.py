"""Diagnosis cases for the transaction and dialog flow rules (rules_flow.def).

Each rule has traces that trigger it and near misses that must not, named after what makes
them different. Times tell the story: T1 = 500 ms, response retransmissions double up to
T2 = 4 s (Timer G), INVITE retransmissions double from T1 (Timer A), 64*T1 = 32 s.
A is the caller, P a transaction-stateful proxy that Record-Routes, B1/B2 callees.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from flows import A, B1, B2, CID, P, REASON_ELSEWHERE, RURI, invite_leg_a, invite_leg_b  # noqa: E402

CASES = []


def case(rule, expect, **kw):
    """Register the decorated build function as a case named after the function."""
    def add(fn):
        CASES.append(dict(name=fn.__name__.replace("_", "-"), rule=rule, expect=expect,
                          build=fn, **kw))
        return fn
    return add


def timer_g(first, until):
    """Times of a response's retransmissions after its first copy at `first`: T1, 2*T1 ... T2."""
    out, t, step = [], first, 0.5
    while t + step <= until:
        t += step
        out.append(round(t, 3))
        step = min(step * 2, 4.0)
    return out


def callee_uri(b):
    return "sip:bob@" + b


# --- building blocks --------------------------------------------------------------------------

def answer(c, t, callee, vb, va, tag, cseq=1):
    """callee's 200 to P and P's relay to A, then A's ACK through P (P Record-Routes)."""
    c.resp(t, callee, P, 200, "OK", vb, CID, "fa", tag, cseq, "INVITE", body=True)
    c.resp(t + 0.001, P, A, 200, "OK", va, CID, "fa", tag, cseq, "INVITE", body=True)
    c.req(t + 0.010, A, P, "ACK", callee_uri(callee), [(A, "z9hG4bKack%s" % tag)], CID, "fa",
          tag, cseq)
    c.req(t + 0.011, P, callee, "ACK", callee_uri(callee),
          [(P, "z9hG4bKpack%s" % tag), (A, "z9hG4bKack%s" % tag)], CID, "fa", tag, cseq)


def answer_simple(c, callee=B1, tag="t1"):
    """A -> P -> callee, which rings and answers at 2 s; ACKed on both hops."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, callee, "z9hG4bKp1", va)
    c.resp(0.100, callee, P, 180, "Ringing", vb, CID, "fa", tag, 1, "INVITE")
    c.resp(0.101, P, A, 180, "Ringing", va, CID, "fa", tag, 1, "INVITE")
    answer(c, 2.0, callee, vb, va, tag)
    return va, vb


def bye_from_caller(c, t, callee, tag, cseq=2):
    v = [(A, "z9hG4bKbye%s" % tag)]
    vp = [(P, "z9hG4bKpbye%s" % tag)] + v
    c.req(t, A, P, "BYE", callee_uri(callee), v, CID, "fa", tag, cseq)
    c.req(t + 0.001, P, callee, "BYE", callee_uri(callee), vp, CID, "fa", tag, cseq)
    c.resp(t + 0.010, callee, P, 200, "OK", vp, CID, "fa", tag, cseq, "BYE")
    c.resp(t + 0.011, P, A, 200, "OK", v, CID, "fa", tag, cseq, "BYE")


def bye_from_callee(c, t, callee, tag, cseq=1):
    v = [(callee, "z9hG4bKcbye%s" % tag)]
    vp = [(P, "z9hG4bKpcbye%s" % tag)] + v
    kw = dict(from_uri="sip:bob@b.example", to_uri="sip:alice@a.example")
    c.req(t, callee, P, "BYE", "sip:" + A, v, CID, tag, "fa", cseq, **kw)
    c.req(t + 0.001, P, A, "BYE", "sip:" + A, vp, CID, tag, "fa", cseq, **kw)
    c.resp(t + 0.010, A, P, 200, "OK", vp, CID, tag, "fa", cseq, "BYE", **kw)
    c.resp(t + 0.011, P, callee, 200, "OK", v, CID, tag, "fa", cseq, "BYE", **kw)


def fork_b2_answers(c, b1_acks=True):
    """Parallel fork to B1 and B2, both ring; B2 answers at 3 s; P CANCELs B1, which confirms
    and answers 487 at 3.004; P ACKs it. Returns (va, v1)."""
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    v2 = invite_leg_b(c, 0.003, B2, "z9hG4bKp2", va)
    c.resp(0.100, B1, P, 180, "Ringing", v1, CID, "fa", "t1", 1, "INVITE")
    c.resp(0.101, P, A, 180, "Ringing", va, CID, "fa", "t1", 1, "INVITE")
    c.resp(0.150, B2, P, 180, "Ringing", v2, CID, "fa", "t2", 1, "INVITE")
    c.resp(0.151, P, A, 180, "Ringing", va, CID, "fa", "t2", 1, "INVITE")
    answer(c, 3.000, B2, v2, va, "t2")
    c.req(3.002, P, B1, "CANCEL", callee_uri(B1), v1[:1], CID, "fa", None, 1,
          extra=[REASON_ELSEWHERE])
    c.resp(3.003, B1, P, 200, "OK", v1[:1], CID, "fa", None, 1, "CANCEL")
    c.resp(3.004, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
    if b1_acks:
        c.req(3.005, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)
    return va, v1


def b1_ignores_ack(c, v1, until, reack=True):
    """B1 does not take P's ACK: Timer G copies of its 487, each ACKed again by P."""
    for t in timer_g(3.004, until):
        c.resp(t, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
        if reack:
            c.req(t + 0.001, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)


# --- stray-response-forwarded -------------------------------------------------------------------

@case("stray-response-forwarded", "trigger", leg=0, cause="stray-response-forwarded",
      category="SUCCESS")
def stray_487_relayed_after_fork_answer(c):
    # The 2009 Kamailio case: B1 keeps retransmitting its 487 after P's ACK; P absorbs the
    # copies while its transaction lives, then relays the one at +7.5 s to the answered caller,
    # who ACKs it and hangs up.
    va, v1 = fork_b2_answers(c)
    b1_ignores_ack(c, v1, 10.6)
    c.resp(10.505, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
    c.req(10.506, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)
    bye_from_caller(c, 10.507, B2, "t2")


@case("stray-response-forwarded", "trigger", leg=0, cause="stray-response-forwarded",
      category="SUCCESS")
def stray_487_seen_at_caller_only(c):
    # Captured on the caller's side only: a 487 with another To tag than the 200 arrives after
    # the call was answered. Only a relay from another branch can produce it.
    va = invite_leg_a(c)
    c.resp(0.101, P, A, 180, "Ringing", va, CID, "fa", "t1", 1, "INVITE")
    c.resp(3.001, P, A, 200, "OK", va, CID, "fa", "t2", 1, "INVITE", body=True)
    c.req(3.010, A, P, "ACK", "sip:" + B2, [(A, "z9hG4bKa2")], CID, "fa", "t2", 1)
    c.resp(10.505, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
    c.req(10.506, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)
    c.req(10.507, A, P, "BYE", "sip:" + B2, [(A, "z9hG4bKa3")], CID, "fa", "t2", 2)
    c.resp(10.520, P, A, 200, "OK", [(A, "z9hG4bKa3")], CID, "fa", "t2", 2, "BYE")


@case("stray-response-forwarded", "trigger", leg=0, cause="cancel-caller-hangup",
      category="CANCELED")
def stray_487_relayed_after_caller_acked(c):
    # The caller cancelled; P answered it 487 and got its ACK. B1 keeps retransmitting its 487;
    # once P's transaction is gone the copy at +7.5 s is relayed to the caller, whose
    # transaction was over. Harmless here (the caller ACKs again) but the same proxy defect.
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    c.resp(0.100, B1, P, 180, "Ringing", v1, CID, "fa", "t1", 1, "INVITE")
    c.resp(0.101, P, A, 180, "Ringing", va, CID, "fa", "t1", 1, "INVITE")
    c.req(3.000, A, P, "CANCEL", RURI, va, CID, "fa", None, 1)
    c.resp(3.001, P, A, 200, "OK", va, CID, "fa", None, 1, "CANCEL")
    c.req(3.002, P, B1, "CANCEL", callee_uri(B1), v1[:1], CID, "fa", None, 1)
    c.resp(3.003, B1, P, 200, "OK", v1[:1], CID, "fa", None, 1, "CANCEL")
    c.resp(3.004, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
    c.req(3.005, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)
    c.resp(3.006, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
    c.req(3.007, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)
    b1_ignores_ack(c, v1, 10.6)
    c.resp(10.505, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
    c.req(10.506, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)


@case("stray-response-forwarded", "trigger", leg=0, cause=None, category="SUCCESS")
def stray_487_relayed_caller_keeps_the_call(c):
    # The same relay, but this caller ACKs the stray 487 and keeps talking until its own BYE
    # 20 s later: the proxy is still wrong, yet the stray did not end the call.
    va, v1 = fork_b2_answers(c)
    b1_ignores_ack(c, v1, 20.0)
    for t in (10.505, 18.505):  # B1's copies at +7.5 and +15.5 s, both relayed
        c.resp(t, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
        c.req(t + 0.001, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)
    bye_from_caller(c, 30.0, B2, "t2")


@case("stray-response-forwarded", "near-miss")
def stray_487_dropped_by_proxy(c):
    # Same misbehaving B1, but P drops the copy that matches no transaction (RFC 6026 §7.3):
    # the caller never sees it and talks until its own BYE.
    va, v1 = fork_b2_answers(c)
    b1_ignores_ack(c, v1, 10.6)
    bye_from_caller(c, 20.0, B2, "t2")


@case("stray-response-forwarded", "near-miss")
def uas_487_after_its_own_200_same_tag(c):
    # Caller's side only: the 487 after the 200 carries the answer's own To tag, so it is the
    # answering UA misbehaving, not a proxy relaying another branch's response.
    va = invite_leg_a(c)
    c.resp(3.001, P, A, 200, "OK", va, CID, "fa", "t2", 1, "INVITE", body=True)
    c.req(3.010, A, P, "ACK", "sip:" + B2, [(A, "z9hG4bKa2")], CID, "fa", "t2", 1)
    c.resp(3.505, P, A, 487, "Request Terminated", va, CID, "fa", "t2", 1, "INVITE")
    c.req(3.506, A, P, "ACK", RURI, va, CID, "fa", "t2", 1)


@case("stray-response-forwarded", "near-miss")
def proxy_relays_487_while_transaction_lives(c):
    # Caller cancels; P relays B1's 487 once, as it should, before the caller's ACK: the copy is
    # the transaction's own final response, not a stray.
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    c.resp(0.100, B1, P, 180, "Ringing", v1, CID, "fa", "t1", 1, "INVITE")
    c.resp(0.101, P, A, 180, "Ringing", va, CID, "fa", "t1", 1, "INVITE")
    c.req(3.000, A, P, "CANCEL", RURI, va, CID, "fa", None, 1)
    c.resp(3.001, P, A, 200, "OK", va, CID, "fa", None, 1, "CANCEL")
    c.req(3.002, P, B1, "CANCEL", callee_uri(B1), v1[:1], CID, "fa", None, 1)
    c.resp(3.003, B1, P, 200, "OK", v1[:1], CID, "fa", None, 1, "CANCEL")
    c.resp(3.004, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
    c.req(3.005, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)
    c.resp(3.006, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
    # the caller's ACK is lost once: P retransmits its 487 (Timer G) and B1 happens to
    # retransmit too; the caller ACKs the copy
    c.resp(3.504, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
    c.req(3.505, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)
    c.resp(3.506, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
    c.req(3.507, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)


# --- 487-retransmitted-after-ack ----------------------------------------------------------------

def caller_cancels(c, t=3.0):
    """A -> P -> B1, B1 rings; A cancels at t; P confirms and cancels B1, which answers 200 and
    487 at t+0.004; P ACKs it and relays the 487, which A ACKs. Returns (va, v1)."""
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    c.resp(0.100, B1, P, 180, "Ringing", v1, CID, "fa", "t1", 1, "INVITE")
    c.resp(0.101, P, A, 180, "Ringing", va, CID, "fa", "t1", 1, "INVITE")
    c.req(t, A, P, "CANCEL", RURI, va, CID, "fa", None, 1)
    c.resp(t + 0.001, P, A, 200, "OK", va, CID, "fa", None, 1, "CANCEL")
    c.req(t + 0.002, P, B1, "CANCEL", callee_uri(B1), v1[:1], CID, "fa", None, 1)
    c.resp(t + 0.003, B1, P, 200, "OK", v1[:1], CID, "fa", None, 1, "CANCEL")
    c.resp(t + 0.004, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
    return va, v1


@case("487-retransmitted-after-ack", "trigger", leg=1, category="CANCELED")
def callee_487_keeps_coming_after_ack(c):
    # B1 answers P's ACK with more 487s at +0.5, +1.5, +3.5 and +7.5 s; P ACKs each one again.
    va, v1 = caller_cancels(c)
    c.req(3.005, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)
    c.resp(3.006, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
    c.req(3.007, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)
    b1_ignores_ack(c, v1, 10.6)


@case("487-retransmitted-after-ack", "trigger", leg=1, cause="stray-response-forwarded")
def callee_487_after_ack_on_losing_branch(c):
    # The fork of the 2009 case: P ACKs the losing branch's 487, B1 keeps sending it.
    stray_487_relayed_after_fork_answer(c)


@case("487-retransmitted-after-ack", "near-miss")
def callee_487_crossed_the_ack(c):
    # The ACK leaves P 0.45 s after the 487; B1's first Timer G copy (sent before the ACK got
    # there) is seen 50 ms after it. Nothing follows: B1 took the ACK.
    va, v1 = caller_cancels(c)
    c.resp(3.006, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
    c.req(3.007, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)
    c.req(3.454, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)
    c.resp(3.504, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
    c.req(3.505, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)


@case("487-retransmitted-after-ack", "near-miss")
def callee_487_ack_lost_twice(c):
    # P's first two ACKs are lost after the capture point: B1 sends copies at +0.5 and +1.5 s,
    # P ACKs each, and the third ACK gets through. One copy past the crossing window is what a
    # lossy path produces, not a UAS that ignores ACKs.
    va, v1 = caller_cancels(c)
    c.req(3.005, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)
    c.resp(3.006, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
    c.req(3.007, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)
    for t in (3.504, 4.504):
        c.resp(t, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
        c.req(t + 0.001, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)


# --- missing-ack --------------------------------------------------------------------------------

def busy_through_proxy(c, t=2.0):
    """A -> P -> B1; B1 answers 486 at t, P ACKs it and relays the 486 to A. Returns va."""
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    c.resp(t, B1, P, 486, "Busy Here", v1, CID, "fa", "t1", 1, "INVITE")
    c.req(t + 0.001, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)
    c.resp(t + 0.002, P, A, 486, "Busy Here", va, CID, "fa", "t1", 1, "INVITE")
    return va


def on_sctp(c):
    """Move every frame of the capture to SCTP, a reliable transport (RFC 4168), and say so in
    the Via headers: nothing is retransmitted there."""
    c.frames = [(t, s, d, p.replace(b"SIP/2.0/UDP", b"SIP/2.0/SCTP"), "sctp")
                for t, s, d, p, _ in c.frames]


@case("missing-ack", "trigger", leg=0, cause=None, category="REJECTED")
def caller_never_acks_busy(c):
    # P ACKs B1's 486 on its hop, but A never ACKs P's: P resends the 486 per Timer G for 32 s.
    va = busy_through_proxy(c)
    for t in timer_g(2.002, 2.002 + 31.9):
        c.resp(t, P, A, 486, "Busy Here", va, CID, "fa", "t1", 1, "INVITE")


@case("missing-ack", "trigger", leg=0)
def caller_acks_with_a_new_branch(c):
    # A does ACK, but with a branch of its own: the ACK matches no transaction at P, which goes
    # on resending the 486 and gets the same unusable ACK each time.
    va = busy_through_proxy(c)
    c.req(2.003, A, P, "ACK", RURI, [(A, "z9hG4bKnew1")], CID, "fa", "t1", 1)
    for t in timer_g(2.002, 6.0):
        c.resp(t, P, A, 486, "Busy Here", va, CID, "fa", "t1", 1, "INVITE")
        c.req(t + 0.001, A, P, "ACK", RURI, [(A, "z9hG4bKnew1")], CID, "fa", "t1", 1)


@case("missing-ack", "trigger", leg=0)
def caller_never_acks_over_sctp(c):
    # Over a reliable transport nothing is resent: the capture shows the ACK missing because it goes on for
    # another minute (a keep-alive OPTIONS from A) without one.
    busy_through_proxy(c)
    v = [(A, "z9hG4bKo1")]
    c.req(62.0, A, P, "OPTIONS", "sip:" + P, v, "ka-1@a.example", "fo", None, 1)
    c.resp(62.001, P, A, 200, "OK", v, "ka-1@a.example", "fo", "to", 1, "OPTIONS")
    on_sctp(c)


@case("missing-ack", "near-miss")
def ack_absorbed_by_proxy(c):
    # Each hop ACKs its own 486: B1 gets P's ACK, P gets A's and does not forward it.
    busy_through_proxy(c)
    c.req(2.003, A, P, "ACK", RURI, [(A, "z9hG4bKa1")], CID, "fa", "t1", 1)


@case("missing-ack", "near-miss")
def busy_at_end_of_capture(c):
    # The capture stops 0.3 s after the 486: no ACK seen, but no sign that none came either.
    busy_through_proxy(c)


@case("missing-ack", "near-miss")
def busy_over_sctp_at_end_of_capture(c):
    # Reliable transport and the capture stops a second later: nothing says the ACK is missing.
    busy_through_proxy(c)
    v = [(A, "z9hG4bKo1")]
    c.req(3.0, A, P, "OPTIONS", "sip:" + P, v, "ka-1@a.example", "fo", None, 1)
    c.resp(3.001, P, A, 200, "OK", v, "ka-1@a.example", "fo", "to", 1, "OPTIONS")
    on_sctp(c)


@case("missing-ack", "near-miss")
def acks_lost_on_a_lossy_path(c):
    # A ACKs every copy, but its first two ACKs are lost after the capture point: P resends
    # the 486 twice, then the third ACK gets through. ACKs were sent: none is missing.
    va = busy_through_proxy(c)
    for t in (2.003, 2.503, 3.503):
        if t > 2.1:
            c.resp(t - 0.001, P, A, 486, "Busy Here", va, CID, "fa", "t1", 1, "INVITE")
        c.req(t, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)


@case("missing-ack", "near-miss")
def busy_resent_once_at_end_of_capture(c):
    # One copy of the 486 and the capture ends 0.1 s later: the ACK may still be on its way.
    va = busy_through_proxy(c)
    c.resp(2.502, P, A, 486, "Busy Here", va, CID, "fa", "t1", 1, "INVITE")


@case("missing-ack", "near-miss")
def ack_lost_once(c):
    # A's first ACK is lost after the capture point; P resends the 486 once and A ACKs again.
    va = busy_through_proxy(c)
    c.req(2.003, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)
    c.resp(2.502, P, A, 486, "Busy Here", va, CID, "fa", "t1", 1, "INVITE")
    c.req(2.503, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)


# --- ack-2xx-missing ----------------------------------------------------------------------------

def answered_without_ack(c, t=2.0, relay=True, until=None):
    """A -> P -> B1; B1 answers at t and resends its 200 (T1 doubling to T2) until `until`;
    P relays every copy to A when relay is set. Returns (va, v1)."""
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    c.resp(0.100, B1, P, 180, "Ringing", v1, CID, "fa", "t1", 1, "INVITE")
    c.resp(0.101, P, A, 180, "Ringing", va, CID, "fa", "t1", 1, "INVITE")
    for k, tt in enumerate([t] + timer_g(t, until if until is not None else t + 31.9)):
        c.resp(tt, B1, P, 200, "OK", v1, CID, "fa", "t1", 1, "INVITE", body=True)
        if relay or k == 0:
            c.resp(tt + 0.001, P, A, 200, "OK", va, CID, "fa", "t1", 1, "INVITE", body=True)
    return va, v1


@case("ack-2xx-missing", "trigger", leg=0, cause="ack-2xx-missing", category="SUCCESS")
def caller_never_acks_the_200(c):
    # A never ACKs; B1 resends the 200 for 64*T1 and then hangs up: the call drops at 32 s.
    answered_without_ack(c)
    bye_from_callee(c, 34.0, B1, "t1")


# The same trace, seen from P's hop to B1: that hop lacks the ACK too, but only because the
# caller never sent one; the finding belongs to the caller's hop alone.
CASES.append(dict(name="caller-never-acks-200-proxy-hop-not-blamed", rule="ack-2xx-missing",
                  expect="near-miss", leg=1, build=caller_never_acks_the_200))


@case("ack-2xx-missing", "trigger", leg=1, cause="ack-2xx-missing", category="SUCCESS")
def proxy_swallows_the_ack(c):
    # A ACKs each copy P relays, but P never routes the ACK on to B1.
    answered_without_ack(c)
    for t in [2.0] + timer_g(2.0, 33.9):
        c.req(t + 0.010, A, P, "ACK", callee_uri(B1), [(A, "z9hG4bKack%d" % int(t * 1000))],
              CID, "fa", "t1", 1)
    bye_from_callee(c, 34.0, B1, "t1")


@case("ack-2xx-missing", "near-miss")
def ack_crossed_a_200_retransmission(c):
    # A's ACK is slow: B1's first copy of the 200 (at T1) crosses it. ACK present: no finding.
    answered_without_ack(c, until=2.6)
    c.req(2.502, A, P, "ACK", callee_uri(B1), [(A, "z9hG4bKack1")], CID, "fa", "t1", 1)
    c.req(2.503, P, B1, "ACK", callee_uri(B1), [(P, "z9hG4bKpack1"), (A, "z9hG4bKack1")], CID,
          "fa", "t1", 1)
    bye_from_caller(c, 60.0, B1, "t1")


@case("ack-2xx-missing", "near-miss")
def late_ack_sent_straight_to_callee(c):
    # P does not Record-Route: the ACK goes from A straight to B1, 1.6 s late, after two copies.
    # Neither hop misses it.
    answered_without_ack(c, until=3.6)
    c.req(3.6, A, B1, "ACK", callee_uri(B1), [(A, "z9hG4bKack1")], CID, "fa", "t1", 1)


@case("ack-2xx-missing", "near-miss")
def one_200_copy_at_end_of_capture(c):
    # One copy and the capture ends at 2.6 s: the ACK may simply not have been captured yet.
    answered_without_ack(c, until=2.6)


# --- invite-no-response -------------------------------------------------------------------------

def timer_a(first, until):
    """Times of an INVITE's retransmissions after its first copy: T1, 2*T1, 4*T1 ... (no cap)."""
    out, t, step = [], first, 0.5
    while t + step <= until:
        t += step
        out.append(round(t, 3))
        step *= 2
    return out


def silent_b1(c, until, vb):
    for t in timer_a(0.002, until):
        c.req(t, P, B1, "INVITE", callee_uri(B1), vb, CID, "fa", None, 1, body=True,
              max_forwards=69)


@case("invite-no-response", "trigger", leg=1, cause="invite-no-response", category="TIMEOUT")
def callee_silent_proxy_answers_408(c):
    # B1 says nothing; P resends its INVITE at 0.5, 1.5, 3.5, 7.5 s and answers A 408 at 10 s.
    va = invite_leg_a(c)
    vb = [(P, "z9hG4bKp1")] + va
    c.req(0.002, P, B1, "INVITE", callee_uri(B1), vb, CID, "fa", None, 1, body=True,
          max_forwards=69)
    silent_b1(c, 9.9, vb)
    c.resp(10.002, P, A, 408, "Request Timeout", va, CID, "fa", "px", 1, "INVITE")
    c.req(10.003, A, P, "ACK", RURI, va, CID, "fa", "px", 1)


@case("invite-no-response", "trigger", leg=0, cause="invite-no-response", category="INCOMPLETE")
def proxy_silent_caller_gives_up(c):
    # P is down: A resends its INVITE per Timer A for 32 s and gives up with nothing to show.
    va = [(A, "z9hG4bKa1")]
    for t in [0.0] + timer_a(0.0, 31.9):
        c.req(t, A, P, "INVITE", RURI, va, CID, "fa", None, 1, body=True)


@case("invite-no-response", "trigger", leg=1, cause=None, category="SUCCESS")
def dead_branch_before_serial_fork_answers(c):
    # B1 is silent; after 4 s P gives up on it and tries B2, which answers: the caller never
    # noticed, so the dead branch is not why the call ended as it did.
    va = invite_leg_a(c)
    vb = [(P, "z9hG4bKp1")] + va
    c.req(0.002, P, B1, "INVITE", callee_uri(B1), vb, CID, "fa", None, 1, body=True,
          max_forwards=69)
    silent_b1(c, 4.0, vb)
    v2 = invite_leg_b(c, 4.002, B2, "z9hG4bKp2", va)
    c.resp(4.100, B2, P, 180, "Ringing", v2, CID, "fa", "t2", 1, "INVITE")
    c.resp(4.101, P, A, 180, "Ringing", va, CID, "fa", "t2", 1, "INVITE")
    answer(c, 6.0, B2, v2, va, "t2")
    bye_from_caller(c, 60.0, B2, "t2")


@case("invite-no-response", "near-miss")
def slow_callee_answers_after_retransmissions(c):
    # B1 is slow, not dead: P resends twice, then B1's 100 and 486 arrive.
    va = invite_leg_a(c)
    vb = [(P, "z9hG4bKp1")] + va
    c.req(0.002, P, B1, "INVITE", callee_uri(B1), vb, CID, "fa", None, 1, body=True,
          max_forwards=69)
    silent_b1(c, 1.6, vb)
    c.resp(1.600, B1, P, 100, "Trying", vb, CID, "fa", None, 1, "INVITE")
    c.resp(2.000, B1, P, 486, "Busy Here", vb, CID, "fa", "t1", 1, "INVITE")
    c.req(2.001, P, B1, "ACK", callee_uri(B1), vb[:1], CID, "fa", "t1", 1)
    c.resp(2.002, P, A, 486, "Busy Here", va, CID, "fa", "t1", 1, "INVITE")
    c.req(2.003, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)


@case("invite-no-response", "near-miss")
def invite_resent_once_at_end_of_capture(c):
    # One retransmission and the capture ends at 0.6 s: too early to call B1 dead.
    va = invite_leg_a(c)
    vb = [(P, "z9hG4bKp1")] + va
    c.req(0.002, P, B1, "INVITE", callee_uri(B1), vb, CID, "fa", None, 1, body=True,
          max_forwards=69)
    silent_b1(c, 0.6, vb)


@case("invite-no-response", "trigger", leg=None, cause=None, category="SUCCESS")
def reinvite_to_a_dead_callee(c):
    # Mid-call, A sends a re-INVITE (hold) through P; B1 has gone away and never answers it.
    # The call had been answered, so this is not why it ended as it did.
    answer_simple(c)
    v = [(A, "z9hG4bKre1")]
    vp = [(P, "z9hG4bKpre1")] + v
    c.req(20.0, A, P, "INVITE", callee_uri(B1), v, CID, "fa", "t1", 2, body=True)
    c.resp(20.001, P, A, 100, "Trying", v, CID, "fa", "t1", 2, "INVITE")
    for t in [20.002] + timer_a(20.002, 51.9):
        c.req(t, P, B1, "INVITE", callee_uri(B1), vp, CID, "fa", "t1", 2, body=True)


# --- bye-right-after-answer ---------------------------------------------------------------------

@case("bye-right-after-answer", "trigger", leg=1, cause="bye-right-after-answer",
      category="SUCCESS")
def caller_drops_an_answer_it_cannot_use(c):
    # B1's SDP answer has no codec A accepts: A ACKs and hangs up 2 ms later (RFC 3261 §13.2.2.4
    # leaves it no other way out).
    answer_simple(c)
    v = [(A, "z9hG4bKbye1")]
    vp = [(P, "z9hG4bKpbye1")] + v
    reason = ['Reason: SIP;cause=488;text="Incompatible SDP"']
    c.req(2.012, A, P, "BYE", callee_uri(B1), v, CID, "fa", "t1", 2, extra=reason)
    c.req(2.013, P, B1, "BYE", callee_uri(B1), vp, CID, "fa", "t1", 2, extra=reason)
    c.resp(2.020, B1, P, 200, "OK", vp, CID, "fa", "t1", 2, "BYE")
    c.resp(2.021, P, A, 200, "OK", v, CID, "fa", "t1", 2, "BYE")


@case("bye-right-after-answer", "trigger", leg=1)
def caller_cancel_crossed_the_200(c):
    # A hangs up while B1's 200 is on its way: P has nothing left to cancel, and A must ACK
    # the answer and end it with BYE at once. B1 sees a hang-up the moment it picks up.
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    c.resp(0.100, B1, P, 180, "Ringing", vb, CID, "fa", "t1", 1, "INVITE")
    c.resp(0.101, P, A, 180, "Ringing", va, CID, "fa", "t1", 1, "INVITE")
    c.resp(3.000, B1, P, 200, "OK", vb, CID, "fa", "t1", 1, "INVITE", body=True)
    c.resp(3.001, P, A, 200, "OK", va, CID, "fa", "t1", 1, "INVITE", body=True)
    c.req(3.002, A, P, "CANCEL", RURI, va, CID, "fa", None, 1)
    c.resp(3.003, P, A, 200, "ok -- no more pending branches", va, CID, "fa", None, 1, "CANCEL")
    c.req(3.040, A, P, "ACK", callee_uri(B1), [(A, "z9hG4bKackt1")], CID, "fa", "t1", 1)
    c.req(3.041, P, B1, "ACK", callee_uri(B1), [(P, "z9hG4bKpackt1"), (A, "z9hG4bKackt1")], CID,
          "fa", "t1", 1)
    bye_from_caller(c, 3.042, B1, "t1")


@case("bye-right-after-answer", "trigger", leg=1, cause="bye-right-after-answer")
def callee_hangs_up_as_it_answers(c):
    # B1's media setup fails after it answered: it sends BYE 150 ms after the ACK reached it.
    answer_simple(c)
    bye_from_callee(c, 2.161, B1, "t1")


@case("bye-right-after-answer", "trigger", leg=1, cause=None, category="SUCCESS")
def second_fork_answer_torn_down(c):
    # Both branches answer: A keeps B2's call and ends B1's extra one at once. B1's user sees a
    # hang-up, but the call itself went on normally.
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    v2 = invite_leg_b(c, 0.003, B2, "z9hG4bKp2", va)
    answer(c, 3.000, B2, v2, va, "t2")
    answer(c, 3.020, B1, v1, va, "t1")
    bye_from_caller(c, 3.031, B1, "t1", cseq=2)
    bye_from_caller(c, 60.0, B2, "t2", cseq=3)


@case("bye-right-after-answer", "near-miss")
def bye_after_a_long_call(c):
    answer_simple(c)
    bye_from_caller(c, 62.0, B1, "t1")


@case("bye-right-after-answer", "near-miss")
def short_call_at_human_speed(c):
    # Answered, then hung up by a person 1.5 s later: short, but a person did it.
    answer_simple(c)
    bye_from_caller(c, 3.51, B1, "t1")


# --- auth-loop ----------------------------------------------------------------------------------

def credentials(kind, nonce, user="alice"):
    return ['%s: Digest username="%s", realm="b.example", nonce="%s", uri="%s", '
            'response="6629fae49393a05397450978507c4ef1"' % (kind, user, nonce, RURI)]


def challenge(kind, nonce, stale=False):
    return ['%s: Digest realm="b.example", nonce="%s", algorithm=MD5%s'
            % (kind, nonce, ", stale=TRUE" if stale else "")]


def invite_challenged(c, t, n, creds, code=407, stale=False):
    """A's INVITE number n (CSeq n, branch of its own) to P, P's challenge and A's ACK."""
    v = [(A, "z9hG4bKa%d" % n)]
    c.req(t, A, P, "INVITE", RURI, v, CID, "fa", None, n, body=True,
          extra=credentials("Proxy-Authorization", "n%d" % (n - 1)) if creds else [])
    c.resp(t + 0.002, P, A, code, "Proxy Authentication Required", v, CID, "fa", "px%d" % n, n,
           "INVITE", extra=challenge("Proxy-Authenticate", "n%d" % n, stale))
    c.req(t + 0.003, A, P, "ACK", RURI, v, CID, "fa", "px%d" % n, n)


@case("auth-loop", "trigger", leg=2, cause="auth-loop", category="ERROR")
def wrong_password_three_invites(c):
    # The lab's case: challenged, then twice more with credentials; the caller gives up.
    for n in (1, 2, 3):
        invite_challenged(c, 0.01 * (n - 1), n, creds=n > 1)


@case("auth-loop", "trigger", leg=1, cause="auth-loop", category="ERROR")
def wrong_password_one_try(c):
    # Most UAs try the password once: challenged, challenged again with credentials, done.
    invite_challenged(c, 0.0, 1, creds=False)
    invite_challenged(c, 0.01, 2, creds=True)


@case("auth-loop", "trigger", leg=2, cause="auth-loop", category="ERROR")
def trunk_refuses_proxy_credentials(c):
    # P authenticates to a carrier (B1) on the caller's behalf; the carrier challenges P's
    # credentials again and P fails the call with 403.
    va = invite_leg_a(c)
    for n, creds in ((1, False), (2, True)):
        v = [(P, "z9hG4bKp%d" % n)] + va
        c.req(0.002 + n * 0.01, P, B1, "INVITE", "sip:bob@" + B1, v, CID, "fa", None, n,
              body=True, max_forwards=69,
              extra=credentials("Proxy-Authorization", "c%d" % n, "trunk1") if creds else [])
        c.resp(0.004 + n * 0.01, B1, P, 407, "Proxy Authentication Required", v, CID, "fa",
               "gw%d" % n, n, "INVITE", extra=challenge("Proxy-Authenticate", "c%d" % n))
        c.req(0.005 + n * 0.01, P, B1, "ACK", "sip:bob@" + B1, v[:1], CID, "fa", "gw%d" % n, n)
    c.resp(0.040, P, A, 403, "Forbidden", va, CID, "fa", "px", 1, "INVITE")
    c.req(0.041, A, P, "ACK", RURI, va, CID, "fa", "px", 1)


@case("auth-loop", "near-miss", cause=None, category="SUCCESS")
def one_challenge_then_accepted(c):
    invite_challenged(c, 0.0, 1, creds=False)
    v = [(A, "z9hG4bKa2")]
    c.req(0.01, A, P, "INVITE", RURI, v, CID, "fa", None, 2, body=True,
          extra=credentials("Proxy-Authorization", "n1"))
    c.resp(0.5, P, A, 200, "OK", v, CID, "fa", "tb", 2, "INVITE", body=True)
    c.req(0.51, A, P, "ACK", "sip:" + B1, [(A, "z9hG4bKa3")], CID, "fa", "tb", 2)


@case("auth-loop", "near-miss", cause=None, category="SUCCESS")
def stale_nonce_then_accepted(c):
    # A reuses a nonce from an earlier call: P says stale=TRUE, A answers the new nonce and
    # is let in. One credentialed INVITE was challenged, but the password was fine.
    invite_challenged(c, 0.0, 1, creds=True, stale=True)
    v = [(A, "z9hG4bKa2")]
    c.req(0.01, A, P, "INVITE", RURI, v, CID, "fa", None, 2, body=True,
          extra=credentials("Proxy-Authorization", "n1"))
    c.resp(0.5, P, A, 200, "OK", v, CID, "fa", "tb", 2, "INVITE", body=True)
    c.req(0.51, A, P, "ACK", "sip:" + B1, [(A, "z9hG4bKa3")], CID, "fa", "tb", 2)


@case("auth-loop", "near-miss", category="ERROR")
def caller_has_no_credentials(c):
    # Challenged once; the caller has no account for the realm and gives up without trying.
    invite_challenged(c, 0.0, 1, creds=False)


# --- overload-503 -------------------------------------------------------------------------------

def callee_rejects(c, code, reason, extra=(), upstream=None):
    """A -> P -> B1; B1 rejects with code at 0.05 s, P ACKs it and answers A `upstream`
    (code, reason), which A ACKs. Returns (va, v1)."""
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    c.resp(0.050, B1, P, code, reason, v1, CID, "fa", "t1", 1, "INVITE", extra=extra)
    c.req(0.051, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)
    if upstream:
        ucode, ureason = upstream
        c.resp(0.052, P, A, ucode, ureason, va, CID, "fa", "t1" if ucode == code else "px", 1,
               "INVITE")
        c.req(0.053, A, P, "ACK", RURI, va, CID, "fa", "t1" if ucode == code else "px", 1)
    return va, v1


@case("overload-503", "trigger", leg=1, cause="overload-503", category="ERROR")
def callee_overloaded_proxy_answers_500(c):
    # The lab's case: B1 is overloaded (Retry-After: 30); P does not relay the 503 but answers
    # A 500 (RFC 3261 §16.7).
    callee_rejects(c, 503, "Service Unavailable", ["Retry-After: 30"],
                   (500, "Server Internal Error"))


@case("overload-503", "trigger", leg=0, cause="overload-503", category="ERROR")
def proxy_overloaded_answers_503_itself(c):
    # P itself sheds load: it answers the caller 503 at once and never forwards the INVITE.
    va = [(A, "z9hG4bKa1")]
    c.req(0.0, A, P, "INVITE", RURI, va, CID, "fa", None, 1, body=True)
    c.resp(0.001, P, A, 503, "Service Unavailable", va, CID, "fa", "px", 1, "INVITE",
           extra=["Retry-After: 5"])
    c.req(0.002, A, P, "ACK", RURI, va, CID, "fa", "px", 1)


@case("overload-503", "trigger", leg=1, cause="overload-503", category="ERROR")
def proxy_relays_503_as_is(c):
    # B1 has no route (503, no Retry-After) and P passes the 503 on unchanged.
    callee_rejects(c, 503, "Service Unavailable", (), (503, "Service Unavailable"))


# The same trace, on the caller's hop: P relayed the 503, it did not produce it.
CASES.append(dict(name="proxy-relaying-503-is-not-its-source", rule="overload-503",
                  expect="near-miss", leg=0, build=proxy_relays_503_as_is))


@case("overload-503", "trigger", leg=1, cause=None, category="SUCCESS")
def proxy_fails_over_after_503(c):
    # B1 refuses with 503; P tries B2, which answers. The caller never noticed.
    va, _ = callee_rejects(c, 503, "Service Unavailable", ["Retry-After: 60"])
    v2 = invite_leg_b(c, 0.060, B2, "z9hG4bKp2", va)
    c.resp(0.200, B2, P, 180, "Ringing", v2, CID, "fa", "t2", 1, "INVITE")
    c.resp(0.201, P, A, 180, "Ringing", va, CID, "fa", "t2", 1, "INVITE")
    answer(c, 2.0, B2, v2, va, "t2")
    bye_from_caller(c, 30.0, B2, "t2")


@case("overload-503", "near-miss", category="ERROR")
def server_error_500_without_503(c):
    # B1 fails with 500 and P relays it: an error, but nobody said it was unavailable.
    callee_rejects(c, 500, "Server Internal Error", (), (500, "Server Internal Error"))


# --- retransmission-storm -----------------------------------------------------------------------

@case("retransmission-storm", "trigger", leg=1, category="CANCELED")
def callee_answers_every_ack_with_its_487(c):
    # B1 resends its 487 for every ACK it gets and P ACKs every copy: 100 rounds in 3 s. (A
    # real ping-pong is faster still, but copies within 20 ms of each other are taken for
    # duplicate captures by the engine.)
    va, v1 = caller_cancels(c)
    c.resp(3.006, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
    c.req(3.007, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)
    for k in range(100):
        t = 3.005 + k * 0.030
        c.req(t, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)
        c.resp(t + 0.001, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")


@case("retransmission-storm", "trigger", leg=1, cause="bye-right-after-answer")
def callee_resends_its_200_every_50_ms(c):
    # B1's retransmission timer is broken: its 200 comes every 50 ms although each is ACKed,
    # until B1 gives up and hangs up.
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    c.resp(2.0, P, A, 200, "OK", va, CID, "fa", "t1", 1, "INVITE", body=True)
    for k in range(40):
        c.resp(2.0 + k * 0.05, B1, P, 200, "OK", v1, CID, "fa", "t1", 1, "INVITE", body=True)
    c.req(2.010, A, P, "ACK", callee_uri(B1), [(A, "z9hG4bKack1")], CID, "fa", "t1", 1)
    c.req(2.011, P, B1, "ACK", callee_uri(B1), [(P, "z9hG4bKpack1"), (A, "z9hG4bKack1")], CID,
          "fa", "t1", 1)
    bye_from_callee(c, 2.2, B1, "t1")


@case("retransmission-storm", "near-miss")
def timer_g_copies_for_32_s(c):
    # The missing ACK case: ten copies of the 486 over 32 s is the protocol working.
    caller_never_acks_busy(c)


@case("retransmission-storm", "near-miss")
def many_copies_at_a_slow_rate(c):
    # 25 copies of a 486, one a second (a UAS with T2 set to 1 s): too many for Timer G, but
    # no faster than a timer; missing-ack covers what matters here.
    va = busy_through_proxy(c)
    for k in range(1, 26):
        c.resp(2.002 + k, P, A, 486, "Busy Here", va, CID, "fa", "t1", 1, "INVITE")


# --- reinvite-rejected --------------------------------------------------------------------------

def reinvite(c, t, code, reason, cseq=2, branch="re1", extra=()):
    """Mid-call re-INVITE from A through P to B1 at t; B1 answers code at t+0.05, relayed to A;
    each hop ACKs (a 2xx ACK end to end, a non-2xx ACK hop by hop)."""
    v = [(A, "z9hG4bKa%s" % branch)]
    vp = [(P, "z9hG4bKp%s" % branch)] + v
    c.req(t, A, P, "INVITE", callee_uri(B1), v, CID, "fa", "t1", cseq, body=True)
    c.resp(t + 0.001, P, A, 100, "Trying", v, CID, "fa", "t1", cseq, "INVITE")
    c.req(t + 0.002, P, B1, "INVITE", callee_uri(B1), vp, CID, "fa", "t1", cseq, body=True)
    c.resp(t + 0.050, B1, P, code, reason, vp, CID, "fa", "t1", cseq, "INVITE", extra=extra,
           body=code < 300)
    c.resp(t + 0.051, P, A, code, reason, v, CID, "fa", "t1", cseq, "INVITE", extra=extra,
           body=code < 300)
    if code < 300:
        answer_ack = [(A, "z9hG4bKack%s" % branch)]
        c.req(t + 0.060, A, P, "ACK", callee_uri(B1), answer_ack, CID, "fa", "t1", cseq)
        c.req(t + 0.061, P, B1, "ACK", callee_uri(B1), [(P, "z9hG4bKpack%s" % branch)] + answer_ack,
              CID, "fa", "t1", cseq)
    else:
        c.req(t + 0.051, P, B1, "ACK", callee_uri(B1), vp[:1], CID, "fa", "t1", cseq)
        c.req(t + 0.052, A, P, "ACK", callee_uri(B1), v, CID, "fa", "t1", cseq)


@case("reinvite-rejected", "trigger", leg=None, cause="reinvite-rejected", category="SUCCESS")
def hold_refused_and_caller_hangs_up(c):
    # 20 s into the call A puts B1 on hold; B1 refuses the offer (488) and A hangs up on it.
    answer_simple(c)
    reinvite(c, 22.0, 488, "Not Acceptable Here", extra=['Warning: 304 b1 "Media type not available"'])
    bye_from_caller(c, 22.1, B1, "t1", cseq=3)


@case("reinvite-rejected", "trigger", leg=None, cause=None, category="SUCCESS")
def glare_491_then_retry(c):
    # A's re-INVITE crosses one from B1: 491, and A's retry 2.1 s later succeeds. The call goes
    # on, so the refusal is not why it ended.
    answer_simple(c)
    reinvite(c, 22.0, 491, "Request Pending")
    reinvite(c, 24.1, 200, "OK", cseq=3, branch="re2")
    bye_from_caller(c, 60.0, B1, "t1", cseq=4)


@case("reinvite-rejected", "near-miss")
def hold_accepted(c):
    answer_simple(c)
    reinvite(c, 22.0, 200, "OK")
    bye_from_caller(c, 60.0, B1, "t1", cseq=3)


@case("reinvite-rejected", "near-miss", category="ERROR")
def initial_invite_refused_488(c):
    # The first INVITE of the call is refused: no dialog yet, so no re-INVITE to speak of.
    callee_rejects(c, 488, "Not Acceptable Here", (), (488, "Not Acceptable Here"))


@case("retransmission-storm", "near-miss")
def a_dozen_quick_copies(c):
    # A UAS with a broken timer resends its 486 twelve times 50 ms apart and stops: wrong, but
    # a short burst that ends on its own, not two elements feeding each other.
    va = busy_through_proxy(c)
    c.req(2.003, A, P, "ACK", RURI, va, CID, "fa", "t1", 1)
    for k in range(1, 13):
        c.resp(2.002 + k * 0.05, P, A, 486, "Busy Here", va, CID, "fa", "t1", 1, "INVITE")


@case("retransmission-storm", "trigger", leg=1, cause="stray-response-forwarded")
def ping_pong_beyond_the_call_memory_budget(c):
    # 6000 rounds of B1's 487 and P's re-ACK, each relayed to the answered caller: the call
    # outgrows its memory budget (later messages are counted, not kept), and its findings must
    # still be reported.
    va, v1 = fork_b2_answers(c)
    for k in range(6000):
        t = 3.5 + k * 0.025
        c.resp(t, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
        c.req(t + 0.001, P, B1, "ACK", callee_uri(B1), v1[:1], CID, "fa", "t1", 1)
        c.resp(t + 0.002, P, A, 487, "Request Terminated", va, CID, "fa", "t1", 1, "INVITE")
    bye_from_caller(c, 3.505, B2, "t2")
