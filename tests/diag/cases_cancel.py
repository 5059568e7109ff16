"""Diagnosis cases for the CANCEL / 487 family (format in run.py).

Every flow is written message by message: A calls through the stateful proxy P to B1 (and B2
when P forks), with P's Via above A's on the proxied INVITE and a single Via on each hop's
CANCEL (RFC 3261 §9.1, §16.6). Timings follow kamailio as measured in the lab (LAB-NOTES.md):
hop-by-hop CANCEL answered "200 canceling", fork CANCELs with Reason cause=200, timer CANCELs
without a Reason and the 408 to the caller before the branches' 487s, "200 ok -- no more
pending branches" for a late CANCEL, the proxy's own 487 (own To tag) when a callee confirms a
CANCEL but never sends 487.

Each near miss is named after what makes it different from the trigger.
"""
from flows import A, B1, B2, CID, P, REASON_ELSEWHERE, RURI, S, invite_leg_a, invite_leg_b

P2 = "10.0.0.5:5060"  # a second proxy below P (nested fork)
NO_MORE = "ok -- no more pending branches"


def ruri(callee):
    return "sip:bob@" + callee


# --- small pieces of flows -------------------------------------------------------------------

def ring(c, t, callee, vb, va, tag, relay=True):
    c.resp(t, callee, P, 180, "Ringing", vb, CID, "fa", tag, 1, "INVITE")
    if relay:
        c.resp(t + 0.0002, P, A, 180, "Ringing", va, CID, "fa", tag, 1, "INVITE")


def caller_cancel(c, t, va, reply="canceling", code=200):
    """A's CANCEL (same single Via as its INVITE) and P's own answer to it (hop by hop)."""
    c.req(t, A, P, "CANCEL", RURI, va, CID, "fa", None, 1)
    if code:
        c.resp(t + 0.0003, P, A, code, reply, va, CID, "fa", None, 1, "CANCEL")


def proxy_cancel(c, t, callee, vb, extra=(), code=200, reply="OK"):
    """P's CANCEL to a branch: only P's Via, the branch's INVITE branch."""
    c.req(t, P, callee, "CANCEL", ruri(callee), vb[:1], CID, "fa", None, 1, extra=extra)
    if code:
        c.resp(t + 0.0001, callee, P, code, reply, vb[:1], CID, "fa", None, 1, "CANCEL")


def branch_ends(c, t, callee, vb, tag, code=487, reason="Request Terminated"):
    c.resp(t, callee, P, code, reason, vb, CID, "fa", tag, 1, "INVITE")
    c.req(t + 0.0001, P, callee, "ACK", ruri(callee), vb[:1], CID, "fa", tag, 1)


def caller_gets(c, t, va, tag, code=487, reason="Request Terminated"):
    c.resp(t, P, A, code, reason, va, CID, "fa", tag, 1, "INVITE")
    c.req(t + 0.0001, A, P, "ACK", RURI, va, CID, "fa", tag, 1)


def answer(c, t, callee, vb, va, tag, relay=True):
    c.resp(t, callee, P, 200, "OK", vb, CID, "fa", tag, 1, "INVITE", body=True)
    if relay:
        c.resp(t + 0.0002, P, A, 200, "OK", va, CID, "fa", tag, 1, "INVITE", body=True)


def ack_2xx(c, t, callee, tag, br="z9hG4bKa2"):
    """End-to-end ACK of a 2xx: a new transaction on each hop (RFC 3261 §13.2.2.4)."""
    c.req(t, A, P, "ACK", "sip:" + callee, [(A, br)], CID, "fa", tag, 1)
    c.req(t + 0.0001, P, callee, "ACK", "sip:" + callee, [(P, br + "p"), (A, br)], CID, "fa",
          tag, 1)


def caller_bye(c, t, callee, tag, br="z9hG4bKa3"):
    va, vb = [(A, br)], [(P, br + "p"), (A, br)]
    c.req(t, A, P, "BYE", "sip:" + callee, va, CID, "fa", tag, 2)
    c.req(t + 0.0001, P, callee, "BYE", "sip:" + callee, vb, CID, "fa", tag, 2)
    c.resp(t + 0.0003, callee, P, 200, "OK", vb, CID, "fa", tag, 2, "BYE")
    c.resp(t + 0.0004, P, A, 200, "OK", va, CID, "fa", tag, 2, "BYE")


# --- caller hang-ups -------------------------------------------------------------------------

def hangup_while_ringing(c):
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    caller_cancel(c, 4.200, va)
    proxy_cancel(c, 4.2005, B1, vb)
    branch_ends(c, 4.2015, B1, vb, "tb")
    caller_gets(c, 4.2018, va, "tb")


def hangup_forked(c):
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    v2 = invite_leg_b(c, 0.003, B2, "z9hG4bKp2", va)
    ring(c, 0.100, B1, v1, va, "t1")
    ring(c, 0.150, B2, v2, va, "t2")
    caller_cancel(c, 3.000, va)
    proxy_cancel(c, 3.0004, B1, v1)
    proxy_cancel(c, 3.0006, B2, v2)
    branch_ends(c, 3.0015, B1, v1, "t1")
    branch_ends(c, 3.0020, B2, v2, "t2")
    caller_gets(c, 3.0024, va, "t1")


def hangup_direct(c):
    """No proxy: A calls B1 directly."""
    v = [(A, "z9hG4bKa1")]
    c.req(0.0, A, B1, "INVITE", ruri(B1), v, CID, "fa", None, 1, body=True)
    c.resp(0.001, B1, A, 100, "Trying", v, CID, "fa", None, 1, "INVITE")
    c.resp(0.200, B1, A, 180, "Ringing", v, CID, "fa", "tb", 1, "INVITE")
    c.req(6.000, A, B1, "CANCEL", ruri(B1), v, CID, "fa", None, 1)
    c.resp(6.001, B1, A, 200, "OK", v, CID, "fa", None, 1, "CANCEL")
    c.resp(6.002, B1, A, 487, "Request Terminated", v, CID, "fa", "tb", 1, "INVITE")
    c.req(6.003, A, B1, "ACK", ruri(B1), v, CID, "fa", "tb", 1)


def hangup_through_b2bua(c):
    """A -> P -> S (a B2BUA: new Call-ID, own Via stack, X-CID) -> B1; the CANCEL crosses S."""
    cid2 = "b2b-2@s.example"
    va = invite_leg_a(c)
    vs_in = [(P, "z9hG4bKp1")] + va
    c.req(0.002, P, S, "INVITE", "sip:bob@" + S, vs_in, CID, "fa", None, 1, body=True,
          max_forwards=69)
    c.resp(0.003, S, P, 100, "Trying", vs_in, CID, "fa", None, 1, "INVITE")
    vs = [(S, "z9hG4bKs1")]
    c.req(0.010, S, B1, "INVITE", ruri(B1), vs, cid2, "fs", None, 1, body=True,
          extra=["X-CID: " + CID])
    c.resp(0.200, B1, S, 180, "Ringing", vs, cid2, "fs", "tb", 1, "INVITE")
    c.resp(0.201, S, P, 180, "Ringing", vs_in, CID, "fa", "ts", 1, "INVITE")
    c.resp(0.202, P, A, 180, "Ringing", va, CID, "fa", "ts", 1, "INVITE")
    caller_cancel(c, 5.000, va)
    c.req(5.001, P, S, "CANCEL", "sip:bob@" + S, vs_in[:1], CID, "fa", None, 1)
    c.resp(5.002, S, P, 200, "OK", vs_in[:1], CID, "fa", None, 1, "CANCEL")
    c.req(5.003, S, B1, "CANCEL", ruri(B1), vs, cid2, "fs", None, 1)
    c.resp(5.004, B1, S, 200, "OK", vs, cid2, "fs", None, 1, "CANCEL")
    c.resp(5.005, B1, S, 487, "Request Terminated", vs, cid2, "fs", "tb", 1, "INVITE")
    c.req(5.006, S, B1, "ACK", ruri(B1), vs, cid2, "fs", "tb", 1)
    c.resp(5.007, S, P, 487, "Request Terminated", vs_in, CID, "fa", "ts", 1, "INVITE")
    c.req(5.008, P, S, "ACK", "sip:bob@" + S, vs_in[:1], CID, "fa", "ts", 1)
    caller_gets(c, 5.009, va, "ts")


def rejected_busy(c):
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    branch_ends(c, 3.000, B1, vb, "tb", 486, "Busy Here")
    caller_gets(c, 3.001, va, "tb", 486, "Busy Here")


# --- proxy timers, serial and parallel forks ---------------------------------------------------

def timer_single_branch(c):
    """kamailio fr_inv_timer on one branch: CANCEL without Reason, 408 up before the 487."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    c.resp(2.0500, P, A, 408, "Request Timeout", va, CID, "fa", "kp", 1, "INVITE")
    proxy_cancel(c, 2.0501, B1, vb)
    c.req(2.0502, A, P, "ACK", RURI, va, CID, "fa", "kp", 1)
    branch_ends(c, 2.0512, B1, vb, "tb")


def timer_relays_487(c):
    """A proxy whose timer cancels the branch and passes the branch's 487 up (no 408)."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    proxy_cancel(c, 20.002, B1, vb)
    branch_ends(c, 20.003, B1, vb, "tb")
    caller_gets(c, 20.004, va, "tb")


def timer_then_serial(c):
    """Serial forking: the timer gives up on B1, the INVITE to B2 goes out with the CANCEL."""
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, v1, va, "t1")
    v2 = invite_leg_b(c, 2.0510, B2, "z9hG4bKp2", va)
    proxy_cancel(c, 2.0514, B1, v1)
    branch_ends(c, 2.0526, B1, v1, "t1")
    ring(c, 2.150, B2, v2, va, "t2")
    answer(c, 2.450, B2, v2, va, "t2")
    ack_2xx(c, 2.4505, B2, "t2")
    caller_bye(c, 9.000, B2, "t2")


def fork_no_winner_flow(c):
    """Parallel fork, both ring until the timer: CANCEL B1, 408 up, CANCEL B2, 487s."""
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    v2 = invite_leg_b(c, 0.003, B2, "z9hG4bKp2", va)
    ring(c, 0.100, B1, v1, va, "t1")
    ring(c, 0.150, B2, v2, va, "t2")
    proxy_cancel(c, 2.0460, B1, v1)
    branch_ends(c, 2.0473, B1, v1, "t1")
    c.resp(2.1086, P, A, 408, "Request Timeout", va, CID, "fa", "kp", 1, "INVITE")
    proxy_cancel(c, 2.1087, B2, v2)
    c.req(2.1088, A, P, "ACK", RURI, va, CID, "fa", "kp", 1)
    branch_ends(c, 2.1099, B2, v2, "t2")


def serial_no_winner(c):
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, v1, va, "t1")
    v2 = invite_leg_b(c, 2.0510, B2, "z9hG4bKp2", va)
    proxy_cancel(c, 2.0514, B1, v1)
    branch_ends(c, 2.0526, B1, v1, "t1")
    ring(c, 2.150, B2, v2, va, "t2")
    c.resp(4.1000, P, A, 408, "Request Timeout", va, CID, "fa", "kp", 1, "INVITE")
    proxy_cancel(c, 4.1001, B2, v2)
    c.req(4.1002, A, P, "ACK", RURI, va, CID, "fa", "kp", 1)
    branch_ends(c, 4.1012, B2, v2, "t2")


def fork_both_busy(c):
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    v2 = invite_leg_b(c, 0.003, B2, "z9hG4bKp2", va)
    branch_ends(c, 0.050, B1, v1, "t1", 486, "Busy Here")
    branch_ends(c, 0.060, B2, v2, "t2", 486, "Busy Here")
    caller_gets(c, 0.061, va, "t2", 486, "Busy Here")


def fork_answered(c, reason=True):
    """B2 answers; P cancels B1 (with Reason cause=200 like kamailio, or without)."""
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    v2 = invite_leg_b(c, 0.003, B2, "z9hG4bKp2", va)
    ring(c, 0.100, B1, v1, va, "t1")
    ring(c, 0.150, B2, v2, va, "t2")
    answer(c, 3.000, B2, v2, va, "t2")
    proxy_cancel(c, 3.0003, B1, v1, extra=[REASON_ELSEWHERE] if reason else ())
    branch_ends(c, 3.0015, B1, v1, "t1")
    ack_2xx(c, 3.0010, B2, "t2")
    caller_bye(c, 8.000, B2, "t2")


def fork_answered_no_reason(c):
    fork_answered(c, reason=False)


def fork_answered_caller_crossed(c):
    """B2 answers at 3.0; the caller's CANCEL (3.0001) crosses the relayed 200; P, which had the
    answer first, cancels B1 without a Reason; the caller ACKs and BYEs."""
    va = invite_leg_a(c)
    v1 = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    v2 = invite_leg_b(c, 0.003, B2, "z9hG4bKp2", va)
    ring(c, 0.100, B1, v1, va, "t1")
    ring(c, 0.150, B2, v2, va, "t2")
    answer(c, 3.0000, B2, v2, va, "t2")
    caller_cancel(c, 3.0001, va, NO_MORE)
    proxy_cancel(c, 3.0004, B1, v1)
    branch_ends(c, 3.0015, B1, v1, "t1")
    ack_2xx(c, 3.0030, B2, "t2")
    caller_bye(c, 3.0040, B2, "t2")


def lost_branch_seen_alone(c):
    """Only the P-B1 hop is captured: the CANCEL's Reason alone says another branch won."""
    vb = [(P, "z9hG4bKp1"), (A, "z9hG4bKa1")]
    c.req(0.0, P, B1, "INVITE", ruri(B1), vb, CID, "fa", None, 1, body=True, max_forwards=69)
    c.resp(0.001, B1, P, 100, "Trying", vb, CID, "fa", None, 1, "INVITE")
    c.resp(0.100, B1, P, 180, "Ringing", vb, CID, "fa", "t1", 1, "INVITE")
    proxy_cancel(c, 3.000, B1, vb, extra=[REASON_ELSEWHERE])
    branch_ends(c, 3.0012, B1, vb, "t1")


def nested_fork_lost(c):
    """P forks to P2 and B2; P2 serves B1. B2 answers: P cancels P2 (Reason), P2 relays its own
    CANCEL to B1 without a Reason."""
    va = invite_leg_a(c)
    vp2 = [(P, "z9hG4bKp1")] + va
    c.req(0.002, P, P2, "INVITE", RURI, vp2, CID, "fa", None, 1, body=True, max_forwards=69)
    c.resp(0.0025, P2, P, 100, "Trying", vp2, CID, "fa", None, 1, "INVITE")
    v2 = invite_leg_b(c, 0.003, B2, "z9hG4bKp2", va)
    vb1 = [(P2, "z9hG4bKq1")] + vp2
    c.req(0.004, P2, B1, "INVITE", ruri(B1), vb1, CID, "fa", None, 1, body=True, max_forwards=68)
    c.resp(0.005, B1, P2, 180, "Ringing", vb1, CID, "fa", "t1", 1, "INVITE")
    c.resp(0.0052, P2, P, 180, "Ringing", vp2, CID, "fa", "t1", 1, "INVITE")
    c.resp(0.0054, P, A, 180, "Ringing", va, CID, "fa", "t1", 1, "INVITE")
    answer(c, 2.000, B2, v2, va, "t2")
    c.req(2.0003, P, P2, "CANCEL", RURI, vp2[:1], CID, "fa", None, 1, extra=[REASON_ELSEWHERE])
    c.resp(2.0004, P2, P, 200, "canceling", vp2[:1], CID, "fa", None, 1, "CANCEL")
    c.req(2.0005, P2, B1, "CANCEL", ruri(B1), vb1[:1], CID, "fa", None, 1)
    c.resp(2.0006, B1, P2, 200, "OK", vb1[:1], CID, "fa", None, 1, "CANCEL")
    c.resp(2.0010, B1, P2, 487, "Request Terminated", vb1, CID, "fa", "t1", 1, "INVITE")
    c.req(2.0011, P2, B1, "ACK", ruri(B1), vb1[:1], CID, "fa", "t1", 1)
    c.resp(2.0012, P2, P, 487, "Request Terminated", vp2, CID, "fa", "t1", 1, "INVITE")
    c.req(2.0013, P, P2, "ACK", RURI, vp2[:1], CID, "fa", "t1", 1)
    ack_2xx(c, 2.0020, B2, "t2")
    caller_bye(c, 7.000, B2, "t2")


# --- 487 with no CANCEL ----------------------------------------------------------------------

def spontaneous_487(c):
    """B1 ends the ringing INVITE with 487 on its own; P passes it up."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    branch_ends(c, 0.6070, B1, vb, "tb")
    caller_gets(c, 0.6073, va, "tb")


def cancel_after_487(c):
    """The 487 comes first; the caller's CANCEL only 20 ms later (it cannot have caused it)."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    branch_ends(c, 0.6070, B1, vb, "tb")
    c.resp(0.6073, P, A, 487, "Request Terminated", va, CID, "fa", "tb", 1, "INVITE")
    caller_cancel(c, 0.6273, va, NO_MORE)
    c.req(0.6280, A, P, "ACK", RURI, va, CID, "fa", "tb", 1)


def branch_cancel_not_captured(c):
    """The caller cancels; the capture misses P's CANCEL to B1 but sees B1's 487."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    caller_cancel(c, 4.000, va)
    branch_ends(c, 4.0015, B1, vb, "tb")
    caller_gets(c, 4.0018, va, "tb")


# --- CANCEL timing -----------------------------------------------------------------------------

def cancel_before_any_provisional(c):
    """No 100 from P or B1; the caller cancels after 103 ms; P holds its CANCEL until B1's 180."""
    va = [(A, "z9hG4bKa1")]
    c.req(0.0, A, P, "INVITE", RURI, va, CID, "fa", None, 1, body=True)
    vb = [(P, "z9hG4bKp1")] + va
    c.req(0.0016, P, B1, "INVITE", ruri(B1), vb, CID, "fa", None, 1, body=True, max_forwards=69)
    caller_cancel(c, 0.1033, va)
    ring(c, 0.3042, B1, vb, va, "tb", relay=False)
    proxy_cancel(c, 0.3044, B1, vb)
    branch_ends(c, 0.3056, B1, vb, "tb")
    caller_gets(c, 0.3057, va, "tb")


def cancel_after_trying(c):
    """The caller cancels after P's 100 Trying, before any ringing: allowed (RFC 3261 §9.1)."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    caller_cancel(c, 0.050, va)
    proxy_cancel(c, 0.0503, B1, vb)
    branch_ends(c, 0.0515, B1, vb, "tb")
    caller_gets(c, 0.0518, va, "tb")


def cancel_wrong_branch(c):
    """A CANCEL with a branch of its own: 481, the INVITE rings on and is answered."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    vx = [(A, "z9hG4bK-bogus-1")]
    c.req(0.5040, A, P, "CANCEL", RURI, vx, CID, "fa", None, 1)
    c.resp(0.5042, P, A, 481, "Call/Transaction Does Not Exist", vx, CID, "fa", None, 1, "CANCEL")
    answer(c, 1.1050, B1, vb, va, "tb")
    ack_2xx(c, 1.1062, B1, "tb")
    caller_bye(c, 1.1075, B1, "tb")


def cancel_wrong_cseq(c):
    """The INVITE's branch but CSeq 2: the proxy finds no INVITE for it and answers 481."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    c.req(0.5040, A, P, "CANCEL", RURI, va, CID, "fa", None, 2)
    c.resp(0.5042, P, A, 481, "Call/Transaction Does Not Exist", va, CID, "fa", None, 2, "CANCEL")
    answer(c, 1.1050, B1, vb, va, "tb")
    ack_2xx(c, 1.1062, B1, "tb")
    caller_bye(c, 1.1075, B1, "tb")


def cancel_after_ack(c, late_reply=(200, NO_MORE)):
    """Answered and ACKed; the caller's CANCEL 307 ms after the ACK; BYE right after."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    answer(c, 0.4090, B1, vb, va, "tb")
    ack_2xx(c, 0.4094, B1, "tb")
    caller_cancel(c, 0.7166, va, late_reply[1], late_reply[0])
    caller_bye(c, 0.7180, B1, "tb")


def cancel_after_ack_481(c):
    cancel_after_ack(c, (481, "Call/Transaction Does Not Exist"))


def cancel_after_busy(c):
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    branch_ends(c, 2.000, B1, vb, "tb", 486, "Busy Here")
    caller_gets(c, 2.0003, va, "tb", 486, "Busy Here")
    caller_cancel(c, 2.800, va, "Call/Transaction Does Not Exist", 481)


# --- races ---------------------------------------------------------------------------------------

def race_answered(c, bye_at=1.1012):
    """The 200 leaves P at 0.7002 and is delayed 400 ms towards A; A's CANCEL at 0.8004 meets
    a finished transaction ("200 ok -- no more pending branches"); A ACKs and BYEs."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    answer(c, 0.7000, B1, vb, va, "tb")
    caller_cancel(c, 0.8004, va, NO_MORE)
    ack_2xx(c, 1.1009, B1, "tb")
    caller_bye(c, bye_at, B1, "tb")


def race_kept_call(c):
    race_answered(c, bye_at=70.0)


def race_below_proxy(c):
    """A's CANCEL reaches P first; P's CANCEL crosses B1's 200 on the P-B1 hop; B1 answers the
    CANCEL 481; P relays the 200; A ACKs and BYEs."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    caller_cancel(c, 1.0000, va)
    proxy_cancel(c, 1.0004, B1, vb, code=None)
    answer(c, 1.0005, B1, vb, va, "tb")
    c.resp(1.0006, B1, P, 481, "Call/Transaction Does Not Exist", vb[:1], CID, "fa", None, 1,
           "CANCEL")
    ack_2xx(c, 1.0100, B1, "tb")
    caller_bye(c, 1.0110, B1, "tb")


def race_487_then_200(c):
    """B1 answers at 0.8 but its 200 reaches P only at 2.6; A cancels at 0.85; P's timer sends
    A its own 487 at 2.35 (B1 confirmed the CANCEL, no 487: it had answered); then the 200."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    caller_cancel(c, 0.8500, va)
    proxy_cancel(c, 0.8502, B1, vb)
    caller_gets(c, 2.3500, va, "kp")
    answer(c, 2.6000, B1, vb, va, "tb")
    ack_2xx(c, 2.6025, B1, "tb")
    caller_bye(c, 2.6037, B1, "tb")


def uas_487_then_200(c):
    """No proxy: a UAS ends the INVITE 487 after the CANCEL, then answers it 200 anyway."""
    v = [(A, "z9hG4bKa1")]
    c.req(0.0, A, B1, "INVITE", ruri(B1), v, CID, "fa", None, 1, body=True)
    c.resp(0.200, B1, A, 180, "Ringing", v, CID, "fa", "tb", 1, "INVITE")
    c.req(1.000, A, B1, "CANCEL", ruri(B1), v, CID, "fa", None, 1)
    c.resp(1.001, B1, A, 200, "OK", v, CID, "fa", None, 1, "CANCEL")
    c.resp(1.002, B1, A, 487, "Request Terminated", v, CID, "fa", "tb", 1, "INVITE")
    c.req(1.003, A, B1, "ACK", ruri(B1), v, CID, "fa", "tb", 1)
    c.resp(1.010, B1, A, 200, "OK", v, CID, "fa", "tb", 1, "INVITE", body=True)
    c.req(1.011, A, B1, "ACK", ruri(B1), [(A, "z9hG4bKa2")], CID, "fa", "tb", 1)
    c.req(1.012, A, B1, "BYE", ruri(B1), [(A, "z9hG4bKa3")], CID, "fa", "tb", 2)
    c.resp(1.013, B1, A, 200, "OK", [(A, "z9hG4bKa3")], CID, "fa", "tb", 2, "BYE")


def hangup_487_retransmitted(c):
    """A normal hang-up whose 487 is sent again (the ACK was late): still one final."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    caller_cancel(c, 4.200, va)
    proxy_cancel(c, 4.2005, B1, vb)
    branch_ends(c, 4.2015, B1, vb, "tb")
    c.resp(4.2018, P, A, 487, "Request Terminated", va, CID, "fa", "tb", 1, "INVITE")
    c.resp(4.7018, P, A, 487, "Request Terminated", va, CID, "fa", "tb", 1, "INVITE")
    c.req(4.7020, A, P, "ACK", RURI, va, CID, "fa", "tb", 1)


def stray_487_after_answer(c):
    """Fork: B2 answers; B1's 487, resent after P freed its transaction, is relayed up to A."""
    fork_answered(c)
    v1 = [(P, "z9hG4bKp1"), (A, "z9hG4bKa1")]
    c.resp(3.5015, B1, P, 487, "Request Terminated", v1, CID, "fa", "t1", 1, "INVITE")
    c.resp(3.5017, P, A, 487, "Request Terminated", [(A, "z9hG4bKa1")], CID, "fa", "t1", 1,
           "INVITE")


# --- callees that never send 487 --------------------------------------------------------------

def callee_no_487(c, late_487_at=None):
    """B1 confirms P's CANCEL and stays silent; P's timer answers A with its own 487 (To tag
    "kp") 1.47 s later; optionally B1's 487 turns up much later."""
    va = invite_leg_a(c)
    vb = invite_leg_b(c, 0.002, B1, "z9hG4bKp1", va)
    ring(c, 0.100, B1, vb, va, "tb")
    caller_cancel(c, 0.6080, va)
    proxy_cancel(c, 0.6082, B1, vb)
    caller_gets(c, 2.0745, va, "kp")
    if late_487_at:
        branch_ends(c, late_487_at, B1, vb, "tb")


def callee_late_487(c):
    callee_no_487(c, late_487_at=5.0)


def direct_no_487(c, capture_until):
    """No proxy: B1 confirms A's CANCEL and sends nothing more; the capture goes on (an OPTIONS
    ping of another dialog) until capture_until."""
    v = [(A, "z9hG4bKa1")]
    c.req(0.0, A, B1, "INVITE", ruri(B1), v, CID, "fa", None, 1, body=True)
    c.resp(0.001, B1, A, 100, "Trying", v, CID, "fa", None, 1, "INVITE")
    c.resp(0.200, B1, A, 180, "Ringing", v, CID, "fa", "tb", 1, "INVITE")
    c.req(1.000, A, B1, "CANCEL", ruri(B1), v, CID, "fa", None, 1)
    c.resp(1.001, B1, A, 200, "OK", v, CID, "fa", None, 1, "CANCEL")
    vo = [(A, "z9hG4bKo1")]
    c.req(capture_until, A, B1, "OPTIONS", "sip:" + B1, vo, "ping-1@a.example", "fo", None, 1)
    c.resp(capture_until + 0.001, B1, A, 200, "OK", vo, "ping-1@a.example", "fo", "to", 1,
           "OPTIONS")


def direct_no_487_long(c):
    direct_no_487(c, 45.0)


def direct_no_487_short(c):
    direct_no_487(c, 2.0)


H, RA, R4, FL, FN, PT = ("cancel-caller-hangup", "cancel-race-answered",
                         "cancel-race-487-then-200", "fork-branch-lost", "fork-no-winner",
                         "proxy-timeout-cancel")
NC, BP, UM, N4, TL = ("487-without-cancel", "cancel-before-provisional", "cancel-unmatched",
                      "cancel-no-487", "cancel-too-late")


def case(name, rule, expect, build, **kw):
    return dict(name=name, rule=rule, expect=expect, build=build, **kw)


CASES = [
    # cancel-caller-hangup
    case("caller hangs up while ringing", H, "trigger", hangup_while_ringing, leg=0,
         cause=H, category="CANCELED"),
    case("relayed CANCEL gives the branch's 487 the caller's cause", H, "trigger",
         hangup_while_ringing, leg=1, cause=H, category="CANCELED"),
    case("caller hangs up on a forked call: every branch gets it", H, "trigger", hangup_forked,
         leg=2, cause=H, category="CANCELED"),
    case("caller hangs up on a direct call", H, "trigger", hangup_direct, leg=0, cause=H,
         category="CANCELED"),
    case("caller's CANCEL carried across a B2BUA", H, "trigger", hangup_through_b2bua, leg=2,
         cause=H, category="CANCELED"),
    case("branch 487 without its CANCEL in the capture is still the caller's", H, "trigger",
         branch_cancel_not_captured, leg=1, cause=H, category="CANCELED"),
    case("callee busy while ringing: rejected, nobody hung up", H, "near-miss", rejected_busy,
         cause=None, category="REJECTED"),
    case("proxy's own timer CANCEL is not the caller's hang-up", H, "near-miss",
         timer_single_branch),
    case("branch cancelled because another answered is not a hang-up", H, "near-miss",
         fork_answered),
    case("late 487 after the proxy gave up has cancel-no-487 as its one cause", H, "near-miss",
         callee_late_487, leg=1),
    case("the caller's leg of a cancel-no-487 call is still its hang-up", H, "trigger",
         callee_no_487, leg=0),

    # cancel-race-answered
    case("200 crossed the caller's CANCEL, caller ACKs and BYEs", RA, "trigger", race_answered,
         leg=0, cause=RA, category="SUCCESS"),
    case("CANCEL crossed the 200 below the proxy: reported on the caller's leg", RA, "trigger",
         race_below_proxy, leg=0, cause=RA, category="SUCCESS"),
    case("race below the reported leg is not reported again", RA, "near-miss", race_below_proxy,
         leg=1),
    case("caller kept the call after the crossing (BYE after 70 s)", RA, "near-miss",
         race_kept_call, category="SUCCESS"),
    case("CANCEL after the caller ACKed the 200 is too late, not a race", RA, "near-miss",
         cancel_after_ack),
    case("487 before the 200 is the 487-then-200 race, not this one", RA, "near-miss",
         race_487_then_200),
    case("481 while the INVITE was pending is unmatched, not a race", RA, "near-miss",
         cancel_wrong_cseq),
    case("normal hang-up while ringing is not a race", RA, "near-miss", hangup_while_ringing),

    # cancel-race-487-then-200
    case("proxy's 487 reaches the caller, then the callee's delayed 200", R4, "trigger",
         race_487_then_200, leg=0, cause=R4, category="SUCCESS"),
    case("UAS sends 487 then 200 on the same INVITE", R4, "trigger", uas_487_then_200, leg=0,
         cause=R4, category="SUCCESS"),
    case("487 sent twice is one final, not a race", R4, "near-miss", hangup_487_retransmitted,
         cause=H, category="CANCELED"),
    case("stray 487 after the 200 is the other order, not this race", R4, "near-miss",
         stray_487_after_answer, category="SUCCESS"),
    case("200 crossing the CANCEL with no 487 first", R4, "near-miss", race_answered),

    # fork-branch-lost
    # An answered forked call has no cause: the losing branches explain nothing the caller saw.
    case("proxy cancels the ringing branch with Reason cause=200", FL, "trigger", fork_answered,
         leg=1, cause=None, category="SUCCESS"),
    case("proxy cancels right after a sibling's 200, no Reason", FL, "trigger",
         fork_answered_no_reason, leg=1, cause=None, category="SUCCESS"),
    case("lost branch of a nested fork, CANCEL relayed by the inner proxy", FL, "trigger",
         nested_fork_lost, leg=3, cause=None, category="SUCCESS"),
    case("caller's CANCEL crossing the winner's 200 does not make the loser a hang-up", FL,
         "trigger", fork_answered_caller_crossed, leg=1, cause=RA, category="SUCCESS"),
    case("lost branch seen alone: only the Reason tells", FL, "trigger", lost_branch_seen_alone,
         leg=0, cause=FL, category="CANCELED"),
    case("caller cancelling a forked call: branches are hung up, not lost", FL, "near-miss",
         hangup_forked),
    case("branch given up by the timer before any sibling answered", FL, "near-miss",
         timer_then_serial),

    # fork-no-winner
    case("both branches ring until the proxy's timer, caller gets 408", FN, "trigger",
         fork_no_winner_flow, leg=0, cause=FN, category="TIMEOUT"),
    case("serial fork: both branches time out one after the other", FN, "trigger",
         serial_no_winner, leg=0, cause=FN, category="TIMEOUT"),
    case("caller cancelling a forked call is a hang-up, not a fork without winner", FN,
         "near-miss", hangup_forked),
    case("a fork where one branch answered has a winner", FN, "near-miss", fork_answered),
    case("a single branch timing out is not a fork", FN, "near-miss", timer_single_branch),
    case("a fork whose branches are busy was refused, not timed out", FN, "near-miss",
         fork_both_busy, cause=None, category="REJECTED"),

    # proxy-timeout-cancel
    case("proxy timer cancels the only branch, caller gets 408 first", PT, "trigger",
         timer_single_branch, leg=1, cause=PT, category="TIMEOUT"),
    case("proxy timer then serial forking to the next branch", PT, "trigger", timer_then_serial,
         leg=1, cause=PT, category="SUCCESS"),
    case("caller's 487 relayed up from a timed-out branch", PT, "trigger", timer_relays_487,
         leg=0, cause=PT, category="CANCELED"),
    case("proxy cancel with Reason cause=200 is a lost fork branch, not a timeout", PT,
         "near-miss", fork_answered),
    case("proxy cancel after a sibling's 200 without Reason is a lost branch", PT, "near-miss",
         fork_answered_no_reason),
    case("CANCEL relayed from the caller is a hang-up, not a proxy timeout", PT, "near-miss",
         hangup_while_ringing),

    # 487-without-cancel
    case("callee ends the ringing INVITE with 487 on its own", NC, "trigger", spontaneous_487,
         leg=1, cause=NC, category="CANCELED"),
    case("caller's 487 relayed from a branch nobody cancelled", NC, "trigger", spontaneous_487,
         leg=0, cause=NC, category="CANCELED"),
    case("a CANCEL after the 487 did not cause it", NC, "trigger", cancel_after_487, leg=0,
         category="CANCELED"),
    case("487 after the caller's CANCEL is a hang-up", NC, "near-miss", hangup_while_ringing),
    case("no CANCEL on the branch but the caller's CANCEL upstream explains it", NC,
         "near-miss", branch_cancel_not_captured),

    # cancel-before-provisional
    case("caller cancels before any provisional response", BP, "trigger",
         cancel_before_any_provisional, leg=0, cause=BP, category="CANCELED"),
    case("proxy holding its CANCEL until the branch's 180 waits as asked", BP, "near-miss",
         cancel_before_any_provisional, leg=1),
    case("CANCEL after only a 100 Trying is allowed", BP, "near-miss", cancel_after_trying,
         cause=H, category="CANCELED"),

    # cancel-unmatched
    case("CANCEL with a branch of its own gets 481, call answered", UM, "trigger",
         cancel_wrong_branch, leg=0, cause=UM, category="SUCCESS"),
    case("CANCEL with the INVITE's branch but another CSeq gets 481", UM, "trigger",
         cancel_wrong_cseq, leg=0, cause=UM, category="SUCCESS"),
    case("481 to a CANCEL after the ACK is too late, not unmatched", UM, "near-miss",
         cancel_after_ack_481),
    case("a CANCEL with the INVITE's branch and CSeq is matched", UM, "near-miss",
         hangup_while_ringing),

    # cancel-no-487
    case("callee confirms the CANCEL, proxy answers its own 487", N4, "trigger", callee_no_487,
         leg=1, cause=N4, category="CANCELED"),
    case("callee's 487 arrives after the proxy gave up", N4, "trigger", callee_late_487, leg=1,
         cause=N4, category="CANCELED"),
    case("callee confirms the CANCEL and 43 s of capture pass with no 487", N4, "trigger",
         direct_no_487_long, leg=0, cause=N4, category="INCOMPLETE"),
    case("capture ends 1 s after the CANCEL's 200: too soon to say", N4, "near-miss",
         direct_no_487_short, category="INCOMPLETE"),
    case("callee that answered before the CANCEL sends no 487: a race", N4, "near-miss",
         race_487_then_200),
    case("callee's 487 right after its 200 to the CANCEL", N4, "near-miss",
         hangup_while_ringing),

    # cancel-too-late
    case("CANCEL 307 ms after the ACK of the 200", TL, "trigger", cancel_after_ack, leg=0,
         cause=TL, category="SUCCESS"),
    case("CANCEL after the caller ACKed a 486", TL, "trigger", cancel_after_busy, leg=0,
         category="REJECTED"),
    case("CANCEL crossing the 200 before the ACK is a race, not too late", TL, "near-miss",
         race_answered),
    case("CANCEL before the 487 is in time", TL, "near-miss", hangup_while_ringing),
]
