#!/usr/bin/env bash
# 487-without-cancel: a callee that rings and then answers 487 Request Terminated although
# nobody sent a CANCEL. kamailio relays it; the caller sees a "cancelled" call it never
# cancelled.
source "$(dirname "$0")/../lab.sh"
lab_init 487-without-cancel "$@"
lab_capture_start
lab_kamailio
lab_uas uas1 5081 uas-reject.xml RING_MS=100 REJECT_MS=500 CODE=487 REASON="Request Terminated"
lab_uac caller uac-call.xml u1
lab_finish
lab_truth <<'JSON'
{
  "story": "uas1 rings, then answers 487 on its own after 500 ms; no CANCEL anywhere.",
  "params": {"ring_ms": 100, "reject_after_ring_ms": 500},
  "calls": [{
    "call_id": "1-487-without-cancel@lab",
    "final_code": 487, "finals": [487],
    "cancel": {"sent_by": null, "cause_487": "uas-spontaneous"},
    "legs": {
      "caller-proxy": {"final_code": 487},
      "proxy-uas1": {"final_code": 487, "cancel_from": null, "cause_487": "uas-spontaneous"}
    },
    "diagnoses": [{"id": "487-without-cancel", "leg": "proxy-uas1", "severity": "warning"}],
    "absent": ["cancel-caller-hangup", "proxy-timeout-cancel", "fork-branch-lost"]
  }]
}
JSON
