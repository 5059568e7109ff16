#!/usr/bin/env bash
# auth-challenge-ok: the proxy demands credentials. The first INVITE gets 407 Proxy
# Authentication Required (ACKed); the caller resends it with a Proxy-Authorization digest
# for the right password (CSeq 2) and the call is answered. One attempt, not two.
source "$(dirname "$0")/../lab.sh"
lab_init auth-challenge-ok "$@"
lab_capture_start
lab_kamailio -A WITH_AUTH
lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=300
lab_uac caller uac-call.xml u1 AUTH=1 AUTH_PASS=lab-secret HOLD_MS=500
lab_finish
lab_truth <<'JSON'
{
  "story": "INVITE -> 407, ACK; INVITE with valid credentials (CSeq 2) -> ringing, 200, ACK, BYE after 500 ms.",
  "params": {"auth": "digest, realm lab.test, user alice, right password", "ring_ms": 100,
             "answer_after_ring_ms": 300, "hold_ms": 500},
  "calls": [{
    "call_id": "1-auth-challenge-ok@lab",
    "final_code": 200, "finals": [407, 200],
    "attempts": 1,
    "cancel": {"sent_by": null, "cause_487": null},
    "legs": {
      "caller-proxy": {"final_code": 200, "invite_transactions": 2,
                       "note": "CSeq 1 INVITE got 407; CSeq 2 INVITE with credentials got 200"},
      "proxy-uas1": {"final_code": 200}
    },
    "diagnoses": [],
    "absent": ["auth-loop", "missing-ack"]
  }]
}
JSON
