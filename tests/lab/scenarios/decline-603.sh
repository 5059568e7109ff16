#!/usr/bin/env bash
# decline-603: the phone rings and the user presses decline after 1 s: 603 Decline.
# Result REJECTED.
source "$(dirname "$0")/../lab.sh"
lab_init decline-603 "$@"
lab_capture_start
lab_kamailio
lab_uas uas1 5081 uas-reject.xml RING=1 RING_MS=100 REJECT_MS=1000 CODE=603 REASON="Decline"
lab_uac caller uac-call.xml u1
lab_finish
lab_truth <<'JSON'
{
  "story": "Callee rings, the user declines after 1 s: 603 Decline.",
  "params": {"ring": true, "ring_ms": 100, "reject_after_ms": 1000, "uas_code": 603},
  "calls": [{
    "call_id": "1-decline-603@lab",
    "final_code": 603, "finals": [603],
    "cancel": {"sent_by": null, "cause_487": null},
    "legs": {"caller-proxy": {"final_code": 603}, "proxy-uas1": {"final_code": 603, "cancel_from": null}},
    "diagnoses": [],
    "absent": ["cancel-caller-hangup", "487-without-cancel", "missing-ack", "auth-loop"]
  }]
}
JSON
