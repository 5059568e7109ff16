#!/usr/bin/env bash
# cancel-too-late: the call is answered and ACKed; 300 ms later the caller sends a CANCEL for
# the INVITE anyway. It can change nothing: kamailio answers "200 ok -- no more pending
# branches" and does not forward it. The caller then hangs up properly with BYE.
source "$(dirname "$0")/../lab.sh"
lab_init cancel-too-late "$@"
lab_capture_start
lab_kamailio
lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=300
lab_uac caller uac-call.xml u1 LATE_CANCEL_MS=300
lab_finish
lab_truth <<'JSON'
{
  "story": "Answered and ACKed; a CANCEL 300 ms after the ACK gets 200 from the proxy and is not forwarded; BYE follows.",
  "params": {"ring_ms": 100, "answer_after_ring_ms": 300, "cancel_after_ack_ms": 300},
  "calls": [{
    "call_id": "1-cancel-too-late@lab",
    "final_code": 200, "finals": [200],
    "cancel": {"sent_by": "caller", "cause_487": null, "effect": "none: after the 200 and the ACK"},
    "legs": {
      "caller-proxy": {"final_code": 200, "cancel_from": "caller",
                       "cancel_response": "200 ok -- no more pending branches"},
      "proxy-uas1": {"final_code": 200, "cancel_from": null}
    },
    "bye_from": "caller",
    "diagnoses": [{"id": "cancel-too-late", "leg": "caller-proxy", "severity": "info"}],
    "absent": ["cancel-race-answered", "cancel-caller-hangup"]
  }]
}
JSON
