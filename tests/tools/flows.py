"""Shared call-flow pieces for hand-written test traces (engine scenarios, diagnosis cases).

Addresses: A is the caller, P a stateful proxy, B1 and B2 callees (fork targets), S a B2BUA.
invite_leg_a() writes A's INVITE to P and P's 100; invite_leg_b() writes P's proxied INVITE
(P's Via above A's, RFC 3261 §16.6) and the callee's 100. They return the Via stacks so the
caller can write the responses that travel back along them.
"""

A, P, B1, B2, S = "10.0.0.1:5060", "10.0.0.2:5060", "10.0.0.3:5060", "10.0.0.4:5060", "10.0.0.9:5060"
CID = "call-1@a.example"
RURI = "sip:bob@b.example"
REASON_ELSEWHERE = 'Reason: SIP;cause=200;text="Call completed elsewhere"'

def invite_leg_a(c, t=0.0, branch="z9hG4bKa1", cseq=1, extra=()):
    """A -> P INVITE and P's 100."""
    v = [(A, branch)]
    c.req(t, A, P, "INVITE", RURI, v, CID, "fa", None, cseq, extra=extra, body=True)
    c.resp(t + 0.001, P, A, 100, "Trying", v, CID, "fa", None, cseq, "INVITE")
    return v


def invite_leg_b(c, t, callee, pbranch, va, cseq=1):
    """P -> callee INVITE (P's Via on top of A's) and the callee's 100."""
    v = [(P, pbranch)] + va
    c.req(t, P, callee, "INVITE", "sip:bob@%s" % callee, v, CID, "fa", None, cseq, body=True,
          max_forwards=69)
    c.resp(t + 0.001, callee, P, 100, "Trying", v, CID, "fa", None, cseq, "INVITE")
    return v


