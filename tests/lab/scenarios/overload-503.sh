#!/usr/bin/env bash
# overload-503: the next hop is overloaded and answers 503 Service Unavailable with
# Retry-After: 30. A proxy must not relay a 503 upstream (RFC 3261 §16.7 step 6), so kamailio
# sends the caller 500 instead. The 503 is visible only on the downstream leg.
source "$(dirname "$0")/../lab.sh"
lab_init overload-503 "$@"
lab_capture_start
lab_kamailio
lab_uas uas1 5081 uas-reject.xml RING=0 RING_MS=0 REJECT_MS=30 CODE=503 REASON="Service Unavailable" EXTRA_HDR="Retry-After: 30"
lab_uac caller uac-call.xml u1
lab_finish
lab_truth <<'JSON'
{
  "story": "The callee's server is overloaded: 503 with Retry-After: 30; kamailio turns it into 500 for the caller (RFC 3261 16.7).",
  "params": {"ring": false, "ring_ms": 0, "reject_after_ms": 30, "uas_code": 503},
  "calls": [{
    "call_id": "1-overload-503@lab",
    "final_code": 500, "finals": [500],
    "cancel": {"sent_by": null, "cause_487": null},
    "legs": {"caller-proxy": {"final_code": 500}, "proxy-uas1": {"final_code": 503, "cancel_from": null}},
    "diagnoses": [{"id": "overload-503", "leg": "proxy-uas1", "severity": "warning"}],
    "absent": ["cancel-caller-hangup", "487-without-cancel", "missing-ack", "auth-loop"]
  }]
}
JSON
