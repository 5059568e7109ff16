#!/usr/bin/env bash
# cancel-unmatched: the caller tries to hang up while ringing, but its CANCEL carries a Via
# branch that matches no INVITE transaction. kamailio answers 481 Call/Transaction Does Not
# Exist and forwards nothing; the callee keeps ringing and answers after 1 s, and the caller,
# still waiting, ACKs the 200 and hangs up with BYE.
source "$(dirname "$0")/../lab.sh"
lab_init cancel-unmatched "$@"
lab_capture_start
lab_kamailio
lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=1000
lab_uac caller uac-cancel.xml u1 CANCEL_AFTER_MS=400 BAD_BRANCH=1
lab_finish
lab_truth <<'JSON'
{
  "story": "A CANCEL with a wrong branch 400 ms into the ringing gets 481; the callee answers at 1.1 s; the caller ACKs and sends BYE.",
  "params": {"ring_ms": 100, "answer_after_ring_ms": 1000, "cancel_after_ring_ms": 400},
  "calls": [{
    "call_id": "1-cancel-unmatched@lab",
    "final_code": 200, "finals": [200],
    "cancel": {"sent_by": "caller", "cause_487": null, "effect": "none: matched no transaction (481)"},
    "legs": {
      "caller-proxy": {"final_code": 200, "cancel_from": "caller", "cancel_response": 481},
      "proxy-uas1": {"final_code": 200, "cancel_from": null}
    },
    "bye_from": "caller",
    "diagnoses": [{"id": "cancel-unmatched", "leg": "caller-proxy", "severity": "warning"}],
    "absent": ["cancel-caller-hangup", "cancel-race-answered", "cancel-too-late"]
  }]
}
JSON
