#!/usr/bin/env bash
# cancel-caller-hangup: the everyday 487. The callee rings; 800 ms later the caller hangs up.
# kamailio answers the caller's CANCEL itself (200), cancels its branch, relays the callee's
# 487 upstream and ACKs it hop by hop. Normal behaviour, reported as info.
source "$(dirname "$0")/../lab.sh"
lab_init cancel-caller-hangup "$@"
lab_capture_start
lab_kamailio
lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=30000
lab_uac caller uac-cancel.xml u1 CANCEL_AFTER_MS=800
lab_finish
lab_truth <<'JSON'
{
  "story": "Caller hears ringing, hangs up after 800 ms: CANCEL, 200, 487, ACK on both legs.",
  "params": {"ring_ms": 100, "cancel_after_ms": 800, "fr_inv_ms": 3000},
  "calls": [{
    "call_id": "1-cancel-caller-hangup@lab",
    "final_code": 487, "finals": [487],
    "cancel": {"sent_by": "caller", "cause_487": "caller-hangup"},
    "legs": {
      "caller-proxy": {"final_code": 487, "cancel_from": "caller", "cancel_response": 200},
      "proxy-uas1": {"final_code": 487, "cancel_from": "proxy", "cancel_reason": null,
                     "cause_487": "caller-hangup"}
    },
    "diagnoses": [{"id": "cancel-caller-hangup", "leg": "caller-proxy", "severity": "info"}],
    "absent": ["cancel-race-answered", "cancel-race-487-then-200", "proxy-timeout-cancel",
               "fork-branch-lost", "487-without-cancel", "missing-ack", "cancel-before-provisional"]
  }]
}
JSON
