#!/usr/bin/env bash
# call-answered: the healthy baseline. The callee rings for 300 ms and answers; the caller
# talks for 500 ms and hangs up with BYE. No finding is expected; every other scenario is a
# variation of this one.
source "$(dirname "$0")/../lab.sh"
lab_init call-answered "$@"
lab_capture_start
lab_kamailio
lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=300
lab_uac caller uac-call.xml u1 HOLD_MS=500
lab_finish
lab_truth <<'JSON'
{
  "story": "Ring 100 ms after the INVITE, answer 300 ms later, BYE from the caller after 500 ms.",
  "params": {"ring_ms": 100, "answer_after_ring_ms": 300, "hold_ms": 500},
  "calls": [{
    "call_id": "1-call-answered@lab",
    "final_code": 200, "finals": [200],
    "cancel": {"sent_by": null, "cause_487": null},
    "legs": {"caller-proxy": {"final_code": 200}, "proxy-uas1": {"final_code": 200}},
    "bye_from": "caller",
    "diagnoses": [],
    "absent": ["bye-right-after-answer", "ack-2xx-missing", "cancel-caller-hangup",
               "cancel-race-answered"]
  }]
}
JSON
