#!/usr/bin/env bash
# not-found-404: the far end does not know the user: 404 Not Found from the callee's
# UA, relayed by the proxy. Result ERROR.
source "$(dirname "$0")/../lab.sh"
lab_init not-found-404 "$@"
lab_capture_start
lab_kamailio
lab_uas uas1 5081 uas-reject.xml RING=0 RING_MS=0 REJECT_MS=30 CODE=404 REASON="Not Found"
lab_uac caller uac-call.xml u1
lab_finish
lab_truth <<'JSON'
{
  "story": "The callee's UA does not know the user: 404 Not Found, no ringing.",
  "params": {"ring": false, "ring_ms": 0, "reject_after_ms": 30, "uas_code": 404},
  "calls": [{
    "call_id": "1-not-found-404@lab",
    "final_code": 404, "finals": [404],
    "cancel": {"sent_by": null, "cause_487": null},
    "legs": {"caller-proxy": {"final_code": 404}, "proxy-uas1": {"final_code": 404, "cancel_from": null}},
    "diagnoses": [],
    "absent": ["cancel-caller-hangup", "487-without-cancel", "missing-ack", "auth-loop"]
  }]
}
JSON
